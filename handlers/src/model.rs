//! The nouns of the product: people, roles, grids, petitions and their events.

use serde::{Deserialize, Serialize};

mod sample;

/// Telegram chat id (negative for groups). Always i64.
pub type ChatId = i64;
/// Telegram user id.
pub type UserId = i64;
/// Telegram message id within a chat.
pub type MsgId = i32;
/// Milliseconds since the Unix epoch; every stored or compared time is one of these.
pub type Millis = i64;

/// A petition's short human number, `#42`, unique per deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PetitionNo(pub i64);

impl PetitionNo {
    /// Accepts `42`, `#42`, `＃42`, `42号`.
    pub fn parse(s: &str) -> Option<PetitionNo> {
        let t = s.trim();
        let t = t
            .strip_prefix('#')
            .or_else(|| t.strip_prefix('＃'))
            .unwrap_or(t);
        let t = t.strip_suffix('号').unwrap_or(t);
        if t.is_empty() || t.len() > 12 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok().filter(|n| *n > 0).map(PetitionNo)
    }
}

impl std::fmt::Display for PetitionNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Someone as Telegram showed them; the id identifies, the names are only shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Person {
    pub id: UserId,
    pub name: String,
    pub username: Option<String>,
}

/// Enums stored and shown by a short code: each variant and its code are written once,
/// and `code`/`from_code` both follow from that table. The codes match the serde names.
macro_rules! coded {
    (
        $(#[$meta:meta])*
        pub enum $ty:ident {
            $($(#[$vmeta:meta])* $variant:ident => $code:literal,)+
        }
    ) => {
        $(#[$meta])*
        pub enum $ty {
            $($(#[$vmeta])* $variant,)+
        }

        impl $ty {
            pub fn code(self) -> &'static str {
                match self {
                    $($ty::$variant => $code,)+
                }
            }
            pub fn from_code(s: &str) -> Option<$ty> {
                match s {
                    $($code => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

coded! {
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
    )]
    #[serde(rename_all = "snake_case")]
    pub enum Role {
        #[default]
        Resident => "resident",
        Worker => "worker",
        Property => "property",
        Secretary => "secretary",
        Admin => "admin",
    }
}

impl Role {
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Resident)
    }
}

/// A grid group: one Telegram group bound to a community and a grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grid {
    pub chat_id: ChatId,
    pub community: String,
    pub grid: String,
}

/// A staff member of a grid or community, for mentions and the contact card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub person: Person,
    pub role: Role,
    pub phone: Option<String>,
    /// Has opened a private chat with the bot (alerts can go there).
    pub private_ok: bool,
}

coded! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum State {
        Open => "open",
        Claimed => "claimed",
        Escalated => "escalated",
        Resolved => "resolved",
        Closed => "closed",
        Merged => "merged",
    }
}

impl State {
    /// Still waiting for staff work (not resolved, closed or merged).
    pub fn is_active(self) -> bool {
        matches!(self, State::Open | State::Claimed | State::Escalated)
    }
}

coded! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Rating {
        Satisfied => "satisfied",
        Basic => "basic",
        Unsatisfied => "unsatisfied",
        Unrated => "unrated",
    }
}

/// The deadlines of a petition, fixed when it is raised (and when its category changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Deadlines {
    /// First response due (reminders start here).
    pub respond_by: Millis,
    /// Unanswered past this → overdue alert to the community.
    pub escalate_at: Millis,
    /// Unresolved past this → overdue alert, daily until resolved.
    pub resolve_by: Millis,
}

/// A tracked resident request (诉求).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Petition {
    pub number: PetitionNo,
    pub chat_id: ChatId,
    pub message_id: MsgId,
    pub community: String,
    pub grid: String,
    pub resident: Person,
    pub text: String,
    pub category: Option<String>,
    pub urgent: bool,
    pub location: Option<String>,
    /// A photo/video/voice without words: tracked as "needs a look".
    pub needs_look: bool,
    pub state: State,
    pub owner: Option<Person>,
    pub created_at: Millis,
    pub first_response_at: Option<Millis>,
    pub resolved_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub rating: Option<Rating>,
    pub merged_into: Option<PetitionNo>,
    pub deadlines: Deadlines,
    /// When the next timed job (reminder, alert, rating close) is due; None = nothing pending.
    pub next_due_at: Option<Millis>,
    /// How many first-response reminders were sent.
    pub reminders: i32,
    /// Whether the unanswered overdue alert went out.
    pub escalation_alerted: bool,
    /// When the last resolution-overdue alert went out.
    pub resolve_alerted_at: Option<Millis>,
    pub reopened: i32,
    pub escalated: bool,
}

impl Petition {
    pub fn is_answered(&self) -> bool {
        self.first_response_at.is_some()
    }
}

coded! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum EventKind {
        Raised => "raised",
        Acknowledged => "acknowledged",
        FollowUp => "follow_up",
        Edited => "edited",
        Joined => "joined",
        Answered => "answered",
        Claimed => "claimed",
        Replied => "replied",
        Progress => "progress",
        Transferred => "transferred",
        Escalated => "escalated",
        Resolved => "resolved",
        Rated => "rated",
        Reopened => "reopened",
        Merged => "merged",
        Closed => "closed",
        Reminded => "reminded",
        Alerted => "alerted",
    }
}

/// One line of a petition's history: who did what, when, with what note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub number: PetitionNo,
    pub at: Millis,
    pub actor: Option<Person>,
    pub kind: EventKind,
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn petition_numbers_parse_in_the_forms_people_type() {
        for (s, n) in [
            ("42", 42),
            ("#42", 42),
            ("＃7", 7),
            ("15号", 15),
            (" 3 ", 3),
        ] {
            assert_eq!(PetitionNo::parse(s), Some(PetitionNo(n)), "{s}");
        }
        for s in ["", "#", "abc", "0", "-3", "4.2", "一", "1234567890123"] {
            assert_eq!(PetitionNo::parse(s), None, "{s}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in [
            "open",
            "claimed",
            "escalated",
            "resolved",
            "closed",
            "merged",
        ] {
            assert_eq!(State::from_code(s).unwrap().code(), s);
        }
        for s in ["raised", "follow_up", "alerted", "merged"] {
            assert_eq!(EventKind::from_code(s).unwrap().code(), s);
        }
    }
}
