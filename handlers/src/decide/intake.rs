//! A message in a bound grid group: a staff answer, a follow-up, a duplicate, a new
//! petition, or chit-chat that is stored and left alone.

use super::answer;
use crate::clocks;
use crate::context::Context;
use crate::effect::{AlertKind, Effect, OutAction, Outgoing};
use crate::incoming::{Media, Msg};
use crate::intake::{Judgement, mask_pii};
use crate::model::{Event, EventKind, Millis, Person, Petition, State};
use crate::settings::{AckMode, Settings};
use crate::text;

pub(super) fn on_message(ctx: &Context, m: &Msg, s: &Settings, now: Millis, out: &mut Vec<Effect>) {
    let Some(from) = &m.from else { return };
    if ctx.role.is_staff() {
        return staff_answers(ctx, m, from, s, now, out);
    }
    // A reply to a message of an active petition joins it.
    if let Some(p) = ctx.reply_petition.as_ref().filter(|p| p.state.is_active()) {
        return follow_up(p, m, from, now, out);
    }
    let judged = ctx.judged.clone().unwrap_or_else(|| judge(m, s));
    if !judged.needs_answer && !m.media.is_some_and(needs_a_look) {
        return;
    }
    if let Some(p) = ctx
        .last_of_sender
        .as_ref()
        .filter(|p| p.state.is_active() && now - p.created_at <= s.follow_up_window.ms())
    {
        return follow_up(p, m, from, now, out);
    }
    raise(ctx, m, from, judged, s, now, out);
}

/// `/petition text`: never judged as chit-chat.
pub(super) fn raise_explicit(
    ctx: &Context,
    m: &Msg,
    body: &str,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let Some(from) = &m.from else { return };
    let mut j = s.rules.judge(body);
    j.needs_answer = true;
    if j.category.is_none() {
        // Judged chit-chat, but the resident insists: still file it under its topic.
        j.category = Some(s.rules.topic(body).to_string());
    }
    let mut msg = m.clone();
    msg.text = body.to_string();
    raise(ctx, &msg, from, j, s, now, out);
}

/// What a resident's message in a bound grid needs loaded, judged as [`on_message`] will
/// judge it: the sender's latest petition and the next number only when it may raise or
/// join one, the duplicate it would join, and the grid's staff only when it is urgent.
pub(super) fn resident_wants(m: &Msg, s: &Settings, w: &mut crate::context::Wants) {
    let j = judge(m, s);
    w.sender_recent = j.needs_answer || m.media.is_some_and(needs_a_look);
    w.lean = !j.urgent;
    if !j.urgent {
        w.duplicates = j.category.clone().zip(j.location.clone());
    }
    w.judged = Some(j);
}

/// The (category, place) under which [`raise`] would look for a duplicate of this text,
/// judged the same way; None when it would not look (chit-chat, urgent, no place).
/// `explicit` is `/petition`, whose text is never chit-chat.
pub(super) fn duplicate_key(text: &str, explicit: bool, s: &Settings) -> Option<(String, String)> {
    if !explicit && text.trim().is_empty() {
        return None;
    }
    let j = s.rules.judge(text);
    if j.urgent {
        return None;
    }
    let category = match j.category {
        Some(c) => c,
        None if explicit => s.rules.topic(text).to_string(),
        None => return None,
    };
    Some((category, j.location?))
}

fn judge(m: &Msg, s: &Settings) -> Judgement {
    if m.text.trim().is_empty() {
        return Judgement {
            needs_answer: false,
            category: None,
            urgent: false,
            location: None,
            emergency: None,
            matched: Vec::new(),
        };
    }
    s.rules.judge(&m.text)
}

/// Photos, videos and voice without words are tracked as "needs a look"; stickers are not.
fn needs_a_look(media: Media) -> bool {
    matches!(
        media,
        Media::Photo | Media::Video | Media::Voice | Media::Document
    )
}

fn event(
    p: &Petition,
    actor: Option<&Person>,
    kind: EventKind,
    note: String,
    at: Millis,
) -> Effect {
    Effect::Log(Event {
        number: p.number,
        at,
        actor: actor.cloned(),
        kind,
        note,
    })
}

fn follow_up(p: &Petition, m: &Msg, from: &Person, now: Millis, out: &mut Vec<Effect>) {
    out.push(Effect::LinkMessage {
        number: p.number,
        chat_id: m.chat_id,
        message_id: m.message_id,
    });
    let note = if m.text.is_empty() {
        "[图片/视频/语音]".to_string()
    } else {
        m.text.clone()
    };
    out.push(event(p, Some(from), EventKind::FollowUp, note, now));
    if from.id != p.resident.id {
        out.push(Effect::AddFollower {
            number: p.number,
            person: from.clone(),
        });
    }
}

fn raise(
    ctx: &Context,
    m: &Msg,
    from: &Person,
    j: Judgement,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let Some(grid) = &ctx.grid else { return };
    // Same category and place as an active petition of the duplicate window: "+1".
    if let (Some(cat), Some(loc)) = (&j.category, &j.location)
        && !j.urgent
        && let Some(existing) = ctx.recent_active.iter().find(|p| {
            p.category.as_ref() == Some(cat)
                && p.location.as_ref() == Some(loc)
                && now - p.created_at <= s.duplicate_window.ms()
        })
    {
        if existing.resident.id == from.id {
            return follow_up(existing, m, from, now, out);
        }
        out.push(Effect::AddFollower {
            number: existing.number,
            person: from.clone(),
        });
        out.push(Effect::LinkMessage {
            number: existing.number,
            chat_id: m.chat_id,
            message_id: m.message_id,
        });
        out.push(event(
            existing,
            Some(from),
            EventKind::Joined,
            m.text.clone(),
            now,
        ));
        out.push(answer(m, text::duplicate_joined(existing.number)));
        return;
    }
    let needs_look = !j.needs_answer;
    let category = j
        .category
        .clone()
        .or_else(|| needs_look.then(|| "other".to_string()));
    let deadlines = clocks::deadlines(now, j.urgent, category.as_deref(), s);
    let mut p = Petition {
        number: ctx.next_number,
        chat_id: m.chat_id,
        message_id: m.message_id,
        community: grid.community.clone(),
        grid: grid.grid.clone(),
        resident: from.clone(),
        text: m.text.clone(),
        category,
        urgent: j.urgent,
        location: j.location.clone(),
        needs_look,
        state: State::Open,
        owner: None,
        created_at: now,
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        rating: None,
        merged_into: None,
        deadlines,
        next_due_at: None,
        reminders: 0,
        escalation_alerted: false,
        resolve_alerted_at: None,
        reopened: 0,
        escalated: false,
    };
    p.next_due_at = clocks::next_due(&p, s);
    out.push(Effect::NewPetition(p.clone()));
    out.push(Effect::LinkMessage {
        number: p.number,
        chat_id: m.chat_id,
        message_id: m.message_id,
    });
    out.push(event(&p, Some(from), EventKind::Raised, String::new(), now));
    let cat_name = p.category.as_deref().and_then(|c| s.rules.category_name(c));
    if p.urgent {
        out.push(Effect::Send(
            Outgoing::new(
                m.chat_id,
                OutAction::Text {
                    text: text::emergency_reply(&p, j.emergency),
                    reply_to: Some(m.message_id),
                    mentions: Vec::new(),
                    buttons: Vec::new(),
                },
            )
            .about(p.number),
        ));
        let urgent = text::urgent_alert(&p, &mask_pii(&p.text), cat_name.unwrap_or("其他"));
        let hook = clocks::webhook_alert(AlertKind::Urgent, &p, &urgent, s, now);
        super::transitions::alert(ctx, &p, urgent, out);
        out.extend(hook);
    } else if needs_look {
        out.push(answer(m, text::needs_look_reply(p.number)));
    } else {
        match s.ack {
            AckMode::Reaction => out.push(Effect::Send(
                Outgoing::new(
                    m.chat_id,
                    OutAction::React {
                        message_id: m.message_id,
                        emoji: text::REACTION.into(),
                    },
                )
                .about(p.number),
            )),
            AckMode::Reply => out.push(Effect::Send(
                Outgoing::new(
                    m.chat_id,
                    OutAction::Text {
                        text: text::ack_reply(&p, cat_name, p.deadlines.respond_by, s.tz),
                        reply_to: Some(m.message_id),
                        mentions: Vec::new(),
                        buttons: Vec::new(),
                    },
                )
                .about(p.number),
            )),
            AckMode::Silent => {}
        }
    }
    if s.ack != AckMode::Silent || p.urgent {
        out.push(event(&p, None, EventKind::Acknowledged, String::new(), now));
    }
}

/// A staff member's message: a reply to a petition's message or `#N` answers it.
fn staff_answers(
    ctx: &Context,
    m: &Msg,
    from: &Person,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let mut answered: Vec<&Petition> = Vec::new();
    if let Some(p) = &ctx.reply_petition {
        answered.push(p);
    }
    for p in &ctx.petitions {
        if !answered.iter().any(|a| a.number == p.number) && ctx.role_for(p.number).is_staff() {
            answered.push(p);
        }
    }
    for p in answered {
        if !p.state.is_active() {
            continue;
        }
        out.push(Effect::LinkMessage {
            number: p.number,
            chat_id: m.chat_id,
            message_id: m.message_id,
        });
        out.push(event(
            p,
            Some(from),
            EventKind::Answered,
            m.text.clone(),
            now,
        ));
        if p.first_response_at.is_none() {
            let mut q = p.clone();
            q.first_response_at = Some(now);
            out.push(super::transitions::saved(q, s));
        }
    }
}

/// An edited resident message updates the petition it raised.
pub(super) fn on_edit(ctx: &Context, m: &Msg, s: &Settings, out: &mut Vec<Effect>) {
    let (Some(p), Some(from)) = (&ctx.edited_petition, &m.from) else {
        return;
    };
    if p.resident.id != from.id || m.text.trim().is_empty() || p.text == m.text {
        return;
    }
    let j = s.rules.judge(&m.text);
    let mut q = p.clone();
    q.text = m.text.clone();
    if j.location.is_some() {
        q.location = j.location;
    }
    if j.category.is_some() && j.category != p.category {
        q.category = j.category;
        q.urgent = p.urgent || j.urgent;
        q.deadlines = clocks::deadlines(p.created_at, q.urgent, q.category.as_deref(), s);
    }
    out.push(super::transitions::saved(q, s));
    out.push(event(
        p,
        Some(from),
        EventKind::Edited,
        m.text.clone(),
        m.date,
    ));
}
