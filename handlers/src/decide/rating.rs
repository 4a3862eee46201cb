//! The resident's verdict: the 满意 / 基本满意 / 不满意 buttons under a resolution.

use super::transitions::{alert, log, reopened, saved};
use crate::context::Context;
use crate::effect::{Button, Effect, OutAction, Outgoing};
use crate::model::{ChatId, EventKind, Millis, MsgId, Person, PetitionNo, Rating, State};
use crate::settings::Settings;
use crate::text;

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
        return out.push(toast(id, "这个按钮已失效。"));
    };
    let Some(p) = ctx.petition(n) else {
        return out.push(toast(id, "这个按钮已失效。"));
    };
    if p.resident.id != from.id {
        return out.push(toast(id, "只有反映问题的居民本人可以评价。"));
    }
    if p.state != State::Resolved || chat_id != Some(p.chat_id) {
        return out.push(toast(id, "这条诉求已经评价过或不在待评价状态。"));
    }
    let label = match rating {
        Rating::Satisfied => text::RATE_SATISFIED,
        Rating::Basic => text::RATE_BASIC,
        _ => text::RATE_UNSATISFIED,
    };
    out.push(log(n, Some(from), EventKind::Rated, label, now));
    out.push(toast(id, "感谢您的评价！"));
    if let (Some(chat), Some(msg)) = (chat_id, message_id) {
        out.push(Effect::Send(Outgoing::new(
            chat,
            OutAction::SetButtons {
                message_id: msg,
                buttons: vec![vec![Button {
                    label: format!("已评价：{label}"),
                    data: "rated".into(),
                }]],
            },
        )));
    }
    if rating == Rating::Unsatisfied {
        let mut q = reopened(p, now);
        q.rating = Some(Rating::Unsatisfied);
        out.push(log(n, None, EventKind::Reopened, "居民不满意", now));
        out.push(super::transitions::status_update(
            &q,
            {
                let mut r = text::Rich::new();
                r.push(&format!("{n} 居民评价「不满意」，已重新打开，继续办理。"));
                if let Some(o) = &q.owner {
                    r.push(" 负责人：").mention(o);
                }
                r
            },
            Vec::new(),
        ));
        alert(
            ctx,
            &q,
            format!(
                "❗ {n} 居民评价不满意，已重新打开 | {} {} | 负责人：{}",
                q.community,
                q.grid,
                q.owner
                    .as_ref()
                    .map(text::who)
                    .unwrap_or_else(|| "未受理".into())
            ),
            out,
        );
        out.push(saved(q, s));
    } else {
        let mut q = p.clone();
        q.state = State::Closed;
        q.rating = Some(rating);
        q.closed_at = Some(now);
        out.push(log(n, None, EventKind::Closed, label, now));
        out.push(saved(q, s));
    }
}
