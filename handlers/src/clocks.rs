//! The clocks of SPEC §3: deadlines fixed when a petition is raised, quiet hours, and what
//! the scheduler must do when a petition's next moment comes.

mod due;
mod webhook;

pub use due::{DueGroup, due};
pub use webhook::webhook_alert;

use crate::model::{Deadlines, Millis, Petition, State};
use crate::settings::{QuietHours, Settings};
use chrono::{TimeZone, Timelike};

/// The deadlines of a petition raised at `at`.
pub fn deadlines(at: Millis, urgent: bool, category: Option<&str>, s: &Settings) -> Deadlines {
    let c = s.clocks(urgent);
    let resolve = match (urgent, category.and_then(|c| s.resolve_by_category.get(c))) {
        (false, Some(d)) => *d,
        _ => c.resolve,
    };
    Deadlines {
        respond_by: at + c.first_response.ms(),
        escalate_at: at + c.escalate_after.ms(),
        resolve_by: at + resolve.ms(),
    }
}

/// When the scheduler must next look at this petition, from its stored state alone.
pub fn next_due(p: &Petition, s: &Settings) -> Option<Millis> {
    match p.state {
        State::Open | State::Claimed | State::Escalated => {
            let d = &p.deadlines;
            if p.first_response_at.is_none() {
                let reminder = if p.reminders == 0 {
                    d.respond_by
                } else {
                    d.respond_by + p.reminders as i64 * s.clocks(p.urgent).reminder_every.ms()
                };
                let escalation = (!p.escalation_alerted).then_some(d.escalate_at);
                Some(escalation.map_or(reminder, |e| e.min(reminder)))
            } else {
                Some(match p.resolve_alerted_at {
                    None => d.resolve_by,
                    Some(last) => last + s.overdue_repeat.ms(),
                })
            }
        }
        State::Resolved => p.resolved_at.map(|r| r + s.rating_window.ms()),
        State::Closed | State::Merged => None,
    }
}

/// Whether `at` falls in quiet hours, and if so when they end.
pub fn quiet_until(at: Millis, q: QuietHours, tz: chrono_tz::Tz) -> Option<Millis> {
    if q.start == q.end {
        return None;
    }
    let local = tz.timestamp_millis_opt(at).single()?;
    let minute = local.hour() * 60 + local.minute();
    let inside = if q.start < q.end {
        minute >= q.start && minute < q.end
    } else {
        minute >= q.start || minute < q.end
    };
    if !inside {
        return None;
    }
    // Minutes until the end, across midnight when needed.
    let until_end = (q.end + 24 * 60 - minute) % (24 * 60);
    let end =
        local.with_second(0)?.with_nanosecond(0)? + chrono::Duration::minutes(until_end as i64);
    Some(end.timestamp_millis())
}

/// Whether a petition is past any deadline now.
pub fn is_overdue(p: &Petition, now: Millis) -> bool {
    p.state.is_active()
        && ((p.first_response_at.is_none() && now >= p.deadlines.respond_by)
            || now >= p.deadlines.resolve_by)
}

#[cfg(test)]
mod tests;
