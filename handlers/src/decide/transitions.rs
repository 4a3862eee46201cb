//! The petition state machine driven by staff commands (SPEC §4). Each refusal is one
//! Chinese sentence and no change.

use super::{Act, answer, confirm};
use crate::clocks;
use crate::context::Context;
use crate::effect::{Button, Effect, OutAction, Outgoing};
use crate::incoming::Msg;
use crate::model::{Event, EventKind, Millis, Person, Petition, PetitionNo, Role, State};
use crate::settings::Settings;
use crate::text::{self, Rich, outcome};

/// Save a changed petition with its next due moment recomputed from its state.
pub(crate) fn saved(mut p: Petition, s: &Settings) -> Effect {
    p.next_due_at = clocks::next_due(&p, s);
    Effect::SavePetition(p)
}

pub(crate) fn log(
    n: PetitionNo,
    by: Option<&Person>,
    kind: EventKind,
    note: &str,
    at: Millis,
) -> Effect {
    Effect::Log(Event {
        number: n,
        at,
        actor: by.cloned(),
        kind,
        note: note.to_string(),
    })
}

/// A status update in the petition's group, as a reply to the resident's original message.
pub(crate) fn status_update(p: &Petition, rich: Rich, buttons: Vec<Vec<Button>>) -> Effect {
    let r = rich.fitted();
    Effect::Send(
        Outgoing::new(
            p.chat_id,
            OutAction::Text {
                text: r.text,
                reply_to: Some(p.message_id),
                mentions: r.mentions,
                buttons,
            },
        )
        .about(p.number),
    )
}

pub(super) fn plain(s: String) -> Rich {
    let mut r = Rich::new();
    r.push(&s);
    r
}

/// The petition named `n`, if the sender may act on it as staff; otherwise the refusal.
pub(super) fn staff_petition<'a>(
    ctx: &'a Context,
    m: &Msg,
    n: PetitionNo,
    out: &mut Vec<Effect>,
) -> Option<&'a Petition> {
    let Some(p) = ctx.petition(n) else {
        out.push(answer(m, text::unknown_number(n)));
        return None;
    };
    match ctx.role_for(n) {
        r if r.is_staff() => Some(p),
        _ if ctx.role.is_staff() => {
            out.push(answer(m, text::other_grid(n)));
            None
        }
        _ => {
            out.push(answer(m, text::NOT_STAFF.into()));
            None
        }
    }
}

pub(super) fn refuse_state(m: &Msg, p: &Petition, out: &mut Vec<Effect>) {
    out.push(answer(m, text::wrong_state(p.number, p.state)));
}

/// The petition named `n`, if the sender may act on it as staff and its state is one that
/// `allowed` accepts; otherwise the refusal.
pub(super) fn actionable<'a>(
    ctx: &'a Context,
    m: &Msg,
    n: PetitionNo,
    allowed: fn(State) -> bool,
    out: &mut Vec<Effect>,
) -> Option<&'a Petition> {
    let p = staff_petition(ctx, m, n, out)?;
    if !allowed(p.state) {
        refuse_state(m, p, out);
        return None;
    }
    Some(p)
}

/// Mark the first response if this is it.
pub(super) fn answered(p: &mut Petition, by: &Person, now: Millis, out: &mut Vec<Effect>) {
    if p.first_response_at.is_none() {
        p.first_response_at = Some(now);
        out.push(log(p.number, Some(by), EventKind::Answered, "", now));
    }
}

/// Confirm a command: quietly when the group already sees its outcome, else in words.
pub(super) fn acknowledge(m: &Msg, p: &Petition, what: &str, out: &mut Vec<Effect>) {
    if m.chat_id == p.chat_id {
        out.push(confirm(m));
    } else {
        out.push(answer(m, text::done(what, p.number)));
    }
}

pub(super) fn claim(act: Act, n: PetitionNo, out: &mut Vec<Effect>) {
    let Act { ctx, m, by, s, now } = act;
    let Some(p) = actionable(ctx, m, n, State::is_active, out) else {
        return;
    };
    // The community may take over an escalated petition; otherwise hand-over is /transfer.
    let takeover =
        p.state == State::Escalated && matches!(ctx.role_for(n), Role::Secretary | Role::Admin);
    if let Some(owner) = &p.owner {
        if owner.id == by.id {
            return out.push(answer(m, outcome::already_claimed_by_you(n)));
        }
        if !takeover {
            return out.push(answer(m, outcome::claimed_by_other(n, owner)));
        }
    }
    let mut q = p.clone();
    if q.state == State::Open {
        q.state = State::Claimed;
    }
    q.owner = Some(by.clone());
    answered(&mut q, by, now, out);
    out.push(log(n, Some(by), EventKind::Claimed, "", now));
    out.push(status_update(&q, plain(text::claimed(&q, by)), Vec::new()));
    let template = q
        .category
        .as_deref()
        .and_then(|c| Some((s.rules.category_name(c)?, s.rules.template(c)?)));
    match template {
        Some((name, t)) => out.push(answer(m, text::claim_template_hint(n, name, t))),
        None => acknowledge(m, &q, outcome::DONE_CLAIMED, out),
    }
    out.push(saved(q, s));
}

/// A staff note posted in the group as an answer to the resident: `/reply` or `/progress`.
pub(super) struct Note {
    /// The states the note may be written in.
    allowed: fn(State) -> bool,
    kind: EventKind,
    /// What the group reads.
    says: fn(&Petition, &Person, &str) -> String,
    done: &'static str,
}

/// `/reply N text`: also after resolution, until the petition is closed or merged.
pub(super) const REPLY: Note = Note {
    allowed: |st| !matches!(st, State::Merged | State::Closed),
    kind: EventKind::Replied,
    says: text::staff_reply,
    done: outcome::DONE_REPLIED,
};

/// `/progress N text`: only while the petition is being worked on.
pub(super) const PROGRESS: Note = Note {
    allowed: State::is_active,
    kind: EventKind::Progress,
    says: text::progress,
    done: outcome::DONE_PROGRESS,
};

/// Post the note; the petition itself changes only if this is its first response.
pub(super) fn note(what: &Note, act: Act, n: PetitionNo, body: &str, out: &mut Vec<Effect>) {
    let Act { ctx, m, by, s, now } = act;
    let Some(p) = actionable(ctx, m, n, what.allowed, out) else {
        return;
    };
    let mut q = p.clone();
    let first = q.first_response_at.is_none();
    answered(&mut q, by, now, out);
    out.push(log(n, Some(by), what.kind, body, now));
    out.push(status_update(
        &q,
        plain((what.says)(&q, by, body)),
        Vec::new(),
    ));
    acknowledge(m, &q, what.done, out);
    if first {
        out.push(saved(q, s));
    }
}

pub(crate) fn rating_buttons(n: PetitionNo) -> Vec<Vec<Button>> {
    let b = |label: &str, code: &str| Button {
        label: label.into(),
        data: format!("rate:{}:{code}", n.0),
    };
    vec![vec![
        b(text::RATE_SATISFIED, "s"),
        b(text::RATE_BASIC, "b"),
        b(text::RATE_UNSATISFIED, "u"),
    ]]
}

pub(super) fn resolve(act: Act, n: PetitionNo, body: &str, out: &mut Vec<Effect>) {
    let Act { ctx, m, by, s, now } = act;
    let Some(p) = actionable(ctx, m, n, State::is_active, out) else {
        return;
    };
    let mut q = p.clone();
    answered(&mut q, by, now, out);
    q.state = State::Resolved;
    q.resolved_at = Some(now);
    if q.owner.is_none() {
        q.owner = Some(by.clone());
    }
    out.push(log(n, Some(by), EventKind::Resolved, body, now));
    let mut r = plain(text::resolved(&q, by, body));
    let followers: Vec<&Person> = ctx
        .followers
        .iter()
        .filter(|f| f.id != q.resident.id)
        .collect();
    if !followers.is_empty() {
        r.push(outcome::FOLLOWERS_TOLD);
        for f in followers {
            r.mention(f).push(" ");
        }
    }
    out.push(status_update(&q, r, rating_buttons(n)));
    acknowledge(m, &q, outcome::DONE_RESOLVED, out);
    out.push(saved(q, s));
}

/// An alert to the community: its alert chat; else its secretaries' private chats; else
/// the group itself.
pub(crate) fn alert(ctx: &Context, p: &Petition, body: String, out: &mut Vec<Effect>) {
    let send = |chat| {
        Effect::Send(
            Outgoing::new(
                chat,
                OutAction::Text {
                    text: text::fit(&body),
                    reply_to: None,
                    mentions: Vec::new(),
                    buttons: Vec::new(),
                },
            )
            .about(p.number),
        )
    };
    if let Some(chat) = ctx.alert_chat {
        return out.push(send(chat));
    }
    let secretaries: Vec<_> = ctx
        .staff
        .iter()
        .filter(|st| st.role == Role::Secretary && st.private_ok)
        .collect();
    if secretaries.is_empty() {
        out.push(send(p.chat_id));
    } else {
        out.extend(secretaries.iter().map(|st| send(st.person.id)));
    }
}
