//! What the scheduler does when petitions' next moments come: one grouped reminder per
//! grid, the overdue alerts to the community, and closing resolutions nobody rated.
//!
//! Every petition handed in is saved with its next moment recomputed, so a petition is
//! never taken twice for the same moment: a reminder that went out moves the count on (past
//! every slot missed while the bot was down or quiet hours lasted), an alert is marked sent.

use super::{quiet_until, webhook_alert};
use crate::context::Context;
use crate::decide::{alert, log, saved};
use crate::effect::{AlertKind, Button, Effect, OutAction, Outgoing};
use crate::model::{
    EventKind, Grid, Millis, MsgId, Person, Petition, PetitionNo, Rating, Role, State,
};
use crate::settings::Settings;
use crate::text::clocks as say;

/// The due petitions of one grid, with that grid's context (`grid`, `staff`, `alert_chat`).
pub struct DueGroup<'a> {
    pub petitions: &'a [Petition],
    pub ctx: &'a Context,
    /// The sent message carrying a resolved petition's rating buttons, where known.
    pub rating_messages: &'a [(PetitionNo, MsgId)],
}

/// What one petition's moment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    Remind,
    Unanswered,
    Overdue,
    CloseUnrated,
}

impl Job {
    /// Whether it says something to people (and so waits for the end of quiet hours).
    fn speaks(self) -> bool {
        self != Job::CloseUnrated
    }
}

/// The jobs due at `now`, by the same arithmetic as [`super::next_due`].
fn jobs(p: &Petition, s: &Settings, now: Millis) -> Vec<Job> {
    let mut out = Vec::new();
    match p.state {
        State::Open | State::Claimed | State::Escalated => {
            if p.first_response_at.is_none() {
                if reminder_at(p, s) <= now {
                    out.push(Job::Remind);
                }
                if !p.escalation_alerted && p.deadlines.escalate_at <= now {
                    out.push(Job::Unanswered);
                }
            } else {
                let at = p
                    .resolve_alerted_at
                    .map_or(p.deadlines.resolve_by, |last| last + s.overdue_repeat.ms());
                if at <= now {
                    out.push(Job::Overdue);
                }
            }
        }
        State::Resolved => {
            if p.resolved_at
                .is_some_and(|r| r + s.rating_window.ms() <= now)
            {
                out.push(Job::CloseUnrated);
            }
        }
        State::Closed | State::Merged => {}
    }
    out
}

fn every(p: &Petition, s: &Settings) -> Millis {
    s.clocks(p.urgent).reminder_every.ms().max(1)
}

fn reminder_at(p: &Petition, s: &Settings) -> Millis {
    p.deadlines.respond_by + p.reminders as i64 * every(p, s)
}

/// The reminder count after one sent at `now`: the next slot lies in the future, so
/// reminders missed while the bot was down or quiet come as one, not as a burst.
fn reminders_after(p: &Petition, s: &Settings, now: Millis) -> i32 {
    let passed = (now - p.deadlines.respond_by).max(0) / every(p, s) + 1;
    (p.reminders as i64 + 1).max(passed).min(i32::MAX as i64) as i32
}

pub fn due(g: &DueGroup<'_>, s: &Settings, now: Millis) -> Vec<Effect> {
    let mut out = Vec::new();
    let quiet = quiet_until(now, s.quiet, s.tz);
    let (mut remind, mut unanswered, mut overdue) = (Vec::new(), Vec::new(), Vec::new());
    for p in g.petitions {
        let jobs = jobs(p, s, now);
        if let Some(end) = quiet.filter(|_| !p.urgent && jobs.iter().any(|j| j.speaks())) {
            // Not now: the whole petition waits for the morning, to go in its grid's message.
            let mut q = p.clone();
            q.next_due_at = Some(end);
            out.push(Effect::SavePetition(q));
            continue;
        }
        let mut q = p.clone();
        for job in jobs {
            match job {
                Job::Remind => {
                    q.reminders = reminders_after(p, s, now);
                    out.push(log(
                        p.number,
                        None,
                        EventKind::Reminded,
                        &say::reminder_note(q.reminders),
                        now,
                    ));
                    remind.push(p);
                }
                Job::Unanswered => {
                    q.escalation_alerted = true;
                    out.push(log(
                        p.number,
                        None,
                        EventKind::Alerted,
                        say::NOTE_UNANSWERED,
                        now,
                    ));
                    unanswered.push(p);
                }
                Job::Overdue => {
                    q.resolve_alerted_at = Some(now);
                    out.push(log(
                        p.number,
                        None,
                        EventKind::Alerted,
                        say::NOTE_OVERDUE,
                        now,
                    ));
                    overdue.push(p);
                }
                Job::CloseUnrated => {
                    q.state = State::Closed;
                    q.rating = Some(Rating::Unrated);
                    q.closed_at = Some(now);
                    out.push(log(
                        p.number,
                        None,
                        EventKind::Closed,
                        say::NOTE_UNRATED,
                        now,
                    ));
                    out.extend(expire_buttons(g, p));
                }
            }
        }
        out.push(saved(q, s));
    }
    let grid = grid_of(g);
    if !remind.is_empty() {
        out.push(reminder(g.ctx, &remind, now));
    }
    if !unanswered.is_empty() {
        let body = say::unanswered_alert(&grid, &unanswered, now);
        grouped_alert(g.ctx, &unanswered, body, &mut out);
        for p in &unanswered {
            let one = say::unanswered_alert(&grid, &[p], now);
            out.extend(webhook_alert(AlertKind::Unanswered, p, &one, s, now));
        }
    }
    if !overdue.is_empty() {
        let body = say::overdue_alert(&grid, &overdue, now);
        grouped_alert(g.ctx, &overdue, body, &mut out);
        for p in &overdue {
            let one = say::overdue_alert(&grid, &[p], now);
            out.extend(webhook_alert(AlertKind::Overdue, p, &one, s, now));
        }
    }
    out
}

/// The grid as the context knows it, else as the petitions remember it.
fn grid_of(g: &DueGroup<'_>) -> Grid {
    g.ctx.grid.clone().unwrap_or_else(|| {
        let p = g.petitions.first();
        Grid {
            chat_id: p.map_or(0, |p| p.chat_id),
            community: p.map(|p| p.community.clone()).unwrap_or_default(),
            grid: p.map(|p| p.grid.clone()).unwrap_or_default(),
        }
    })
}

/// Who a reminder names: the grid workers; with none, property staff; else secretaries.
/// A petition's owner is named too.
fn reminded<'a>(ctx: &'a Context, items: &[&'a Petition]) -> Vec<&'a Person> {
    let of = |role| -> Vec<&Person> {
        ctx.staff
            .iter()
            .filter(|st| st.role == role)
            .map(|st| &st.person)
            .collect()
    };
    let mut to = of(Role::Worker);
    if to.is_empty() {
        to = of(Role::Property);
    }
    if to.is_empty() {
        to = of(Role::Secretary);
    }
    for o in items.iter().filter_map(|p| p.owner.as_ref()) {
        if !to.iter().any(|t| t.id == o.id) {
            to.push(o);
        }
    }
    to
}

/// One message in the group; a reply to the resident's message when there is one petition.
fn reminder(ctx: &Context, items: &[&Petition], now: Millis) -> Effect {
    let r = say::reminder(&reminded(ctx, items), items, now).fitted();
    let single = match items {
        [p] => Some(*p),
        _ => None,
    };
    let chat = items.first().map_or(0, |p| p.chat_id);
    let out = Outgoing::new(
        chat,
        OutAction::Text {
            text: r.text,
            reply_to: single.map(|p| p.message_id),
            mentions: r.mentions,
            buttons: Vec::new(),
        },
    );
    // A staff reply to the reminder of one petition answers that petition.
    Effect::Send(match single {
        Some(p) => out.about(p.number),
        None => out,
    })
}

/// An alert routed like every other (alert chat, secretaries, else the group); linked to
/// a petition only when it is about one.
fn grouped_alert(ctx: &Context, items: &[&Petition], body: String, out: &mut Vec<Effect>) {
    let Some(first) = items.first() else { return };
    let mut sent = Vec::new();
    alert(ctx, first, body, &mut sent);
    if items.len() > 1 {
        for e in &mut sent {
            if let Effect::Send(o) = e {
                o.petition = None;
            }
        }
    }
    out.extend(sent);
}

/// The rating buttons give way to a note that the window is over.
fn expire_buttons(g: &DueGroup<'_>, p: &Petition) -> Option<Effect> {
    let (_, msg) = g.rating_messages.iter().find(|(n, _)| *n == p.number)?;
    Some(Effect::Send(Outgoing::new(
        p.chat_id,
        OutAction::SetButtons {
            message_id: *msg,
            buttons: vec![vec![Button {
                label: say::RATING_EXPIRED.into(),
                data: "rated".into(),
            }]],
        },
    )))
}
