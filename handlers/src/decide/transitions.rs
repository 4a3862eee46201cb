//! The petition state machine driven by staff commands (SPEC §4). Each refusal is one
//! Chinese sentence and no change.

use super::{answer, confirm};
use crate::clocks;
use crate::context::Context;
use crate::effect::{Button, Effect, OutAction, Outgoing};
use crate::incoming::Msg;
use crate::intake::mask_pii;
use crate::model::{Event, EventKind, Millis, Person, Petition, PetitionNo, Role, State};
use crate::settings::Settings;
use crate::text::{self, Rich};

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

fn plain(s: String) -> Rich {
    let mut r = Rich::new();
    r.push(&s);
    r
}

/// The petition named `n`, if the sender may act on it as staff; otherwise the refusal.
fn staff_petition<'a>(
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

fn refuse_state(m: &Msg, p: &Petition, out: &mut Vec<Effect>) {
    out.push(answer(m, text::wrong_state(p.number, p.state)));
}

/// Mark the first response if this is it.
fn answered(p: &mut Petition, by: &Person, now: Millis, out: &mut Vec<Effect>) {
    if p.first_response_at.is_none() {
        p.first_response_at = Some(now);
        out.push(log(p.number, Some(by), EventKind::Answered, "", now));
    }
}

/// Confirm a command: quietly when the group already sees its outcome, else in words.
fn acknowledge(m: &Msg, p: &Petition, what: &str, out: &mut Vec<Effect>) {
    if m.chat_id == p.chat_id {
        out.push(confirm(m));
    } else {
        out.push(answer(m, text::done(what, p.number)));
    }
}

pub(super) fn claim(
    ctx: &Context,
    m: &Msg,
    by: &Person,
    n: PetitionNo,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let Some(p) = staff_petition(ctx, m, n, out) else {
        return;
    };
    if !p.state.is_active() {
        return refuse_state(m, p, out);
    }
    if let Some(owner) = &p.owner
        && p.state == State::Claimed
    {
        let msg = if owner.id == by.id {
            format!("您已经受理了 {n}。")
        } else {
            format!(
                "{n} 已由{}受理。如需接手，请让对方用 /transfer {} 转交。",
                text::who(owner),
                n.0
            )
        };
        return out.push(answer(m, msg));
    }
    let mut q = p.clone();
    q.state = State::Claimed;
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
        None => acknowledge(m, &q, "已受理", out),
    }
    out.push(saved(q, s));
}

pub(super) fn reply(
    ctx: &Context,
    m: &Msg,
    by: &Person,
    n: PetitionNo,
    body: &str,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let Some(p) = staff_petition(ctx, m, n, out) else {
        return;
    };
    if matches!(p.state, State::Merged | State::Closed) {
        return refuse_state(m, p, out);
    }
    let mut q = p.clone();
    let first = q.first_response_at.is_none();
    answered(&mut q, by, now, out);
    out.push(log(n, Some(by), EventKind::Replied, body, now));
    out.push(status_update(
        &q,
        plain(text::staff_reply(&q, by, body)),
        Vec::new(),
    ));
    acknowledge(m, &q, "已答复", out);
    if first {
        out.push(Effect::SavePetition(q));
    }
}

pub(super) fn progress(
    ctx: &Context,
    m: &Msg,
    by: &Person,
    n: PetitionNo,
    body: &str,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let Some(p) = staff_petition(ctx, m, n, out) else {
        return;
    };
    if !p.state.is_active() {
        return refuse_state(m, p, out);
    }
    let mut q = p.clone();
    let first = q.first_response_at.is_none();
    answered(&mut q, by, now, out);
    out.push(log(n, Some(by), EventKind::Progress, body, now));
    out.push(status_update(
        &q,
        plain(text::progress(&q, by, body)),
        Vec::new(),
    ));
    acknowledge(m, &q, "已发布进展", out);
    if first {
        out.push(Effect::SavePetition(q));
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

#[allow(clippy::too_many_arguments)]
pub(super) fn resolve(
    ctx: &Context,
    m: &Msg,
    by: &Person,
    n: PetitionNo,
    body: &str,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let Some(p) = staff_petition(ctx, m, n, out) else {
        return;
    };
    if !p.state.is_active() {
        return refuse_state(m, p, out);
    }
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
        r.push("\n关注人：");
        for f in followers {
            r.mention(f).push(" ");
        }
    }
    out.push(status_update(&q, r, rating_buttons(n)));
    acknowledge(m, &q, "已办结", out);
    out.push(saved(q, s));
}

#[allow(clippy::too_many_arguments)]
pub(super) fn escalate(
    ctx: &Context,
    m: &Msg,
    by: &Person,
    n: PetitionNo,
    reason: &str,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let Some(p) = staff_petition(ctx, m, n, out) else {
        return;
    };
    if !matches!(p.state, State::Open | State::Claimed) {
        return refuse_state(m, p, out);
    }
    let mut q = p.clone();
    answered(&mut q, by, now, out);
    q.state = State::Escalated;
    q.escalated = true;
    out.push(log(n, Some(by), EventKind::Escalated, reason, now));
    out.push(status_update(
        &q,
        plain(format!("{n} 已上报社区，由社区书记协调办理。")),
        Vec::new(),
    ));
    alert(
        ctx,
        &q,
        format!(
            "⬆️ 上报 {n} | {} {} | {}上报：{}\n内容：{}",
            q.community,
            q.grid,
            text::who(by),
            reason,
            mask_pii(&q.text)
        ),
        out,
    );
    acknowledge(m, &q, "已上报", out);
    out.push(saved(q, s));
}

pub(super) fn reopen(
    ctx: &Context,
    m: &Msg,
    by: &Person,
    n: PetitionNo,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let Some(p) = staff_petition(ctx, m, n, out) else {
        return;
    };
    if !matches!(p.state, State::Resolved | State::Closed) {
        return refuse_state(m, p, out);
    }
    let q = reopened(p, now);
    out.push(log(n, Some(by), EventKind::Reopened, "", now));
    out.push(status_update(
        &q,
        plain(format!("{n} 已重新打开，继续办理。")),
        Vec::new(),
    ));
    acknowledge(m, &q, "已重新打开", out);
    out.push(saved(q, s));
}

/// Back to its owner (or open), resolution undone, deadlines running again from now.
pub(crate) fn reopened(p: &Petition, now: Millis) -> Petition {
    let mut q = p.clone();
    q.state = if q.owner.is_some() {
        State::Claimed
    } else {
        State::Open
    };
    q.resolved_at = None;
    q.closed_at = None;
    q.rating = None;
    q.reopened += 1;
    q.resolve_alerted_at = None;
    let span = q.deadlines.resolve_by - q.created_at;
    q.deadlines.resolve_by = now + span;
    q
}

pub(super) fn transfer(
    ctx: &Context,
    m: &Msg,
    by: &Person,
    n: PetitionNo,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let Some(target) = m
        .reply_to
        .as_ref()
        .and_then(|r| r.from.as_ref())
        .filter(|_| !m.reply_to.as_ref().is_some_and(|r| r.from_bot))
    else {
        return out.push(answer(m, text::TRANSFER_NEEDS_REPLY.into()));
    };
    let Some(p) = staff_petition(ctx, m, n, out) else {
        return;
    };
    if !p.state.is_active() {
        return refuse_state(m, p, out);
    }
    if !ctx.target_role.is_some_and(Role::is_staff) {
        return out.push(answer(m, text::TARGET_NOT_STAFF.into()));
    }
    let mut q = p.clone();
    q.owner = Some(target.clone());
    if q.state == State::Open {
        q.state = State::Claimed;
    }
    out.push(log(
        n,
        Some(by),
        EventKind::Transferred,
        &text::who(target),
        now,
    ));
    let mut r = Rich::new();
    r.push(&format!("{n} 已由{}转交给 ", text::who(by)))
        .mention(target)
        .push(" 办理。");
    out.push(status_update(&q, r, Vec::new()));
    acknowledge(m, &q, "已转交", out);
    out.push(Effect::SavePetition(q));
}

#[allow(clippy::too_many_arguments)]
pub(super) fn merge(
    ctx: &Context,
    m: &Msg,
    by: &Person,
    a: PetitionNo,
    b: PetitionNo,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    if a == b {
        return out.push(answer(m, "不能把诉求合并到它自己。".into()));
    }
    let Some(dup) = staff_petition(ctx, m, a, out) else {
        return;
    };
    let Some(keep) = staff_petition(ctx, m, b, out) else {
        return;
    };
    if !dup.state.is_active() {
        return refuse_state(m, dup, out);
    }
    if keep.state == State::Merged {
        return out.push(answer(
            m,
            format!("{b} 已并入其他诉求，请合并到最终保留的那一条。"),
        ));
    }
    let mut q = dup.clone();
    q.state = State::Merged;
    q.merged_into = Some(b);
    q.closed_at = Some(now);
    out.push(log(a, Some(by), EventKind::Merged, &b.to_string(), now));
    out.push(log(
        b,
        Some(by),
        EventKind::Joined,
        &format!("{a} 并入"),
        now,
    ));
    out.push(Effect::AddFollower {
        number: b,
        person: dup.resident.clone(),
    });
    let mut r = Rich::new();
    r.mention(&dup.resident).push(&format!(
        " 您反映的 {a} 与 {b} 是同一问题，已合并办理，进展会在 {b} 通知您。"
    ));
    out.push(status_update(&q, r, Vec::new()));
    acknowledge(m, &q, "已合并", out);
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
