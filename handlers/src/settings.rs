//! What the product needs to know from the config file, already parsed and checked.
//! The bot's config module builds this; tests build it with [`Settings::for_tests`].

use crate::duration::Dur;
use crate::intake::Rules;
use crate::model::UserId;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckMode {
    /// A reaction on the resident's message (quiet).
    Reaction,
    /// A short reply with the number and the promised answer time.
    Reply,
    Silent,
}

/// One set of clocks (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    pub first_response: Dur,
    pub reminder_every: Dur,
    pub escalate_after: Dur,
    pub resolve: Dur,
}

/// Quiet hours as minutes after local midnight; `start == end` means none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub street: String,
    pub tz: chrono_tz::Tz,
    pub admins: Vec<UserId>,
    pub rules: Rules,
    pub ack: AckMode,
    pub follow_up_window: Dur,
    pub duplicate_window: Dur,
    pub normal: Clocks,
    pub urgent: Clocks,
    /// Per-category resolution clock overrides (category code → duration).
    pub resolve_by_category: HashMap<String, Dur>,
    pub rating_window: Dur,
    pub quiet: QuietHours,
    /// Daily repeat of the resolution-overdue alert.
    pub overdue_repeat: Dur,
    /// `[alerts] webhook` is set: urgent and overdue alerts are also queued for it.
    pub alert_webhook: bool,
}

impl Settings {
    pub fn defaults(rules: Rules) -> Settings {
        Settings {
            street: "南苑街道".into(),
            tz: chrono_tz::Asia::Shanghai,
            admins: Vec::new(),
            rules,
            ack: AckMode::Reaction,
            follow_up_window: Dur::mins(3),
            duplicate_window: Dur::hours(72),
            normal: Clocks {
                first_response: Dur::mins(30),
                reminder_every: Dur::mins(30),
                escalate_after: Dur::hours(2),
                resolve: Dur::hours(72),
            },
            urgent: Clocks {
                first_response: Dur::mins(5),
                reminder_every: Dur::mins(5),
                escalate_after: Dur::mins(15),
                resolve: Dur::hours(4),
            },
            resolve_by_category: HashMap::new(),
            rating_window: Dur::hours(48),
            quiet: QuietHours {
                start: 22 * 60,
                end: 7 * 60,
            },
            overdue_repeat: Dur::hours(24),
            alert_webhook: false,
        }
    }

    /// Built-in rules and defaults, with user 1 as the admin.
    pub fn for_tests() -> Settings {
        let mut s = Settings::defaults(Rules::builtin());
        s.admins = vec![1];
        s
    }

    pub fn is_admin(&self, user: UserId) -> bool {
        self.admins.contains(&user)
    }

    pub fn clocks(&self, urgent: bool) -> &Clocks {
        if urgent { &self.urgent } else { &self.normal }
    }
}
