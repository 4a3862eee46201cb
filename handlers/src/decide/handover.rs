//! Handing a petition on: 上报 to the community, reopening, transfer to another staff member,
//! and merging a duplicate into the petition that stays.

use super::transitions::{
    acknowledge, actionable, alert, answered, log, plain, refuse_state, saved, staff_petition,
    status_update,
};
use super::{Act, answer};
use crate::effect::Effect;
use crate::intake::mask_pii;
use crate::model::{EventKind, Millis, Person, Petition, PetitionNo, Role, State};
use crate::text::{self, Rich, outcome};

/// `/escalate N reason`: the community's secretaries own it, the alert chat is told, the
/// grid worker keeps working on it.
pub(super) fn escalate(act: Act, n: PetitionNo, reason: &str, out: &mut Vec<Effect>) {
    let Act { ctx, m, by, s, now } = act;
    let Some(p) = actionable(
        ctx,
        m,
        n,
        |st| matches!(st, State::Open | State::Claimed),
        out,
    ) else {
        return;
    };
    let mut q = p.clone();
    answered(&mut q, by, now, out);
    q.state = State::Escalated;
    q.escalated = true;
    out.push(log(n, Some(by), EventKind::Escalated, reason, now));
    out.push(status_update(&q, plain(outcome::escalated(n)), Vec::new()));
    let body = outcome::escalation_alert(&q, by, &mask_pii(reason), &mask_pii(&q.text));
    alert(ctx, &q, body, out);
    acknowledge(m, &q, outcome::DONE_ESCALATED, out);
    out.push(saved(q, s));
}

pub(super) fn reopen(act: Act, n: PetitionNo, out: &mut Vec<Effect>) {
    let Act { ctx, m, by, s, now } = act;
    let Some(p) = actionable(
        ctx,
        m,
        n,
        |st| matches!(st, State::Resolved | State::Closed),
        out,
    ) else {
        return;
    };
    let q = reopened(p, now);
    out.push(log(n, Some(by), EventKind::Reopened, "", now));
    out.push(status_update(&q, plain(outcome::reopened(n)), Vec::new()));
    acknowledge(m, &q, outcome::DONE_REOPENED, out);
    out.push(saved(q, s));
}

/// Back to its owner (or open; to the community when it was escalated), resolution undone,
/// the resolution clock running again from now.
pub(super) fn reopened(p: &Petition, now: Millis) -> Petition {
    let mut q = p.clone();
    q.state = match (&q.owner, q.escalated) {
        (_, true) => State::Escalated,
        (Some(_), false) => State::Claimed,
        (None, false) => State::Open,
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

/// `/transfer N` as a reply to a message of the new owner, who must be staff of the grid.
pub(super) fn transfer(act: Act, n: PetitionNo, out: &mut Vec<Effect>) {
    let Act { ctx, m, by, s, now } = act;
    let Some(p) = actionable(ctx, m, n, State::is_active, out) else {
        return;
    };
    let Some(target) = m
        .reply_to
        .as_ref()
        .filter(|r| !r.from_bot)
        .and_then(|r| r.from.as_ref())
    else {
        return out.push(answer(m, text::TRANSFER_NEEDS_REPLY.into()));
    };
    // The target's role was looked up in this chat's grid: only there does it mean anything.
    if m.chat_id != p.chat_id {
        return out.push(answer(m, outcome::TRANSFER_HERE_ONLY.into()));
    }
    if !ctx.target_role.is_some_and(Role::is_staff) {
        return out.push(answer(m, text::TARGET_NOT_STAFF.into()));
    }
    if p.owner.as_ref().is_some_and(|o| o.id == target.id) {
        return out.push(answer(m, outcome::already_owner(n, target)));
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
    r.push(&outcome::transferred(n, by))
        .mention(target)
        .push(outcome::TRANSFERRED_TAIL);
    out.push(status_update(&q, r, Vec::new()));
    acknowledge(m, &q, outcome::DONE_TRANSFERRED, out);
    out.push(saved(q, s));
}

/// `/merge N M`: N is a duplicate of M. N's resident and followers follow M and are told.
pub(super) fn merge(act: Act, a: PetitionNo, b: PetitionNo, out: &mut Vec<Effect>) {
    let Act { ctx, m, by, s, now } = act;
    if a == b {
        return out.push(answer(m, outcome::MERGE_INTO_ITSELF.into()));
    }
    let Some(dup) = staff_petition(ctx, m, a, out) else {
        return;
    };
    let Some(keep) = staff_petition(ctx, m, b, out) else {
        return;
    };
    // Only active petitions merge, and only into active ones: no chain, no cycle.
    if dup.state == State::Merged {
        return out.push(answer(m, outcome::merge_source_merged(a, dup.merged_into)));
    }
    if !dup.state.is_active() {
        return refuse_state(m, dup, out);
    }
    if keep.state == State::Merged {
        return out.push(answer(m, outcome::merge_target_merged(b, keep.merged_into)));
    }
    if !keep.state.is_active() {
        return out.push(answer(m, outcome::merge_target_inactive(b, keep.state)));
    }
    // Followers of M are told in M's group; a duplicate from elsewhere would never hear.
    if dup.chat_id != keep.chat_id {
        return out.push(answer(m, outcome::MERGE_SAME_GROUP_ONLY.into()));
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
        &outcome::merged_note(a),
        now,
    ));
    // `ctx.followers` are those of the first named petition: N's.
    let mut told: Vec<&Person> = vec![&dup.resident];
    for f in &ctx.followers {
        if !told.iter().any(|t| t.id == f.id) {
            told.push(f);
        }
    }
    for person in told.iter().filter(|t| t.id != keep.resident.id) {
        out.push(Effect::AddFollower {
            number: b,
            person: (*person).clone(),
        });
    }
    let mut r = Rich::new();
    for (i, person) in told.iter().enumerate() {
        if i > 0 {
            r.push(" ");
        }
        r.mention(person);
    }
    r.push(&outcome::merged(a, b));
    out.push(status_update(&q, r, Vec::new()));
    acknowledge(m, &q, outcome::DONE_MERGED, out);
    out.push(saved(q, s));
}
