//! The resident's verdict: the 满意 / 基本满意 / 不满意 buttons under a resolution.

use super::handover::reopened;
use super::transitions::{alert, log, saved, status_update};
use crate::context::Context;
use crate::effect::{Button, Effect, OutAction, Outgoing};
use crate::model::{ChatId, EventKind, Millis, MsgId, Person, PetitionNo, Rating, State};
use crate::settings::Settings;
use crate::text::{Rich, outcome};

/// `rate:12:s` → (#12, satisfied). Anything else is garbage.
pub fn parse_data(data: &str) -> Option<(PetitionNo, Rating)> {
    let mut parts = data.split(':');
    if parts.next()? != "rate" {
        return None;
    }
    let n = PetitionNo::parse(parts.next()?)?;
    let r = match parts.next()? {
        "s" => Rating::Satisfied,
        "b" => Rating::Basic,
        "u" => Rating::Unsatisfied,
        _ => return None,
    };
    parts.next().is_none().then_some((n, r))
}

fn toast(id: &str, t: &str) -> Effect {
    Effect::Send(Outgoing::new(
        0,
        OutAction::AnswerCallback {
            callback_id: id.to_string(),
            text: t.to_string(),
        },
    ))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn on_callback(
    ctx: &Context,
    id: &str,
    from: &Person,
    chat_id: Option<ChatId>,
    message_id: Option<MsgId>,
    data: &str,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let Some((n, rating)) = parse_data(data) else {
        return out.push(toast(id, outcome::BUTTON_STALE));
    };
    let Some(p) = ctx.petition(n) else {
        return out.push(toast(id, outcome::BUTTON_STALE));
    };
    if p.resident.id != from.id {
        return out.push(toast(id, outcome::RESIDENT_ONLY));
    }
    if p.state != State::Resolved || chat_id != Some(p.chat_id) {
        return out.push(toast(id, outcome::NOT_AWAITING_RATING));
    }
    let label = outcome::rating_label(rating);
    out.push(log(n, Some(from), EventKind::Rated, label, now));
    out.push(toast(id, outcome::THANKS_FOR_RATING));
    if let (Some(chat), Some(msg)) = (chat_id, message_id) {
        out.push(Effect::Send(Outgoing::new(
            chat,
            OutAction::SetButtons {
                message_id: msg,
                buttons: vec![vec![Button {
                    label: outcome::rated_marker(label),
                    data: "rated".into(),
                }]],
            },
        )));
    }
    if rating == Rating::Unsatisfied {
        // Back to its owner, the group told, the community alerted.
        let mut q = reopened(p, now);
        q.rating = Some(Rating::Unsatisfied);
        out.push(log(
            n,
            Some(from),
            EventKind::Reopened,
            outcome::UNSATISFIED_NOTE,
            now,
        ));
        let mut r = Rich::new();
        r.push(&outcome::unsatisfied_reopened(n));
        if let Some(o) = &q.owner {
            r.push(outcome::OWNER_IS).mention(o);
        }
        out.push(status_update(&q, r, Vec::new()));
        alert(ctx, &q, outcome::unsatisfied_alert(&q), out);
        out.push(saved(q, s));
    } else {
        let mut q = p.clone();
        q.state = State::Closed;
        q.rating = Some(rating);
        q.closed_at = Some(now);
        out.push(log(n, Some(from), EventKind::Closed, label, now));
        out.push(saved(q, s));
    }
}
