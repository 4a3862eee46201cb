//! Binding groups, giving roles, the alert chat, the bot joining and leaving chats.

use super::answer;
use crate::context::Context;
use crate::effect::{Effect, OutAction, Outgoing};
use crate::incoming::{ChatKind, Msg};
use crate::model::{ChatId, Grid, Person, Role};
use crate::text;

pub(super) fn bind(ctx: &Context, m: &Msg, community: &str, grid: &str, out: &mut Vec<Effect>) {
    if ctx.role != Role::Admin {
        return out.push(answer(m, text::NOT_ADMIN.into()));
    }
    if m.chat_kind != ChatKind::Group {
        return out.push(answer(m, text::GROUP_ONLY.into()));
    }
    out.push(Effect::Bind {
        grid: Grid {
            chat_id: m.chat_id,
            community: community.to_string(),
            grid: grid.to_string(),
        },
        title: m.chat_title.clone(),
    });
    if let Some(admin) = &m.from {
        out.push(Effect::Send(Outgoing::new(
            m.chat_id,
            OutAction::Menu {
                user_id: admin.id,
                role: Role::Admin,
            },
        )));
    }
    out.push(answer(m, text::bound(community, grid)));
}

pub(super) fn set_role(ctx: &Context, m: &Msg, role: Role, out: &mut Vec<Effect>) {
    if ctx.role != Role::Admin {
        return out.push(answer(m, text::NOT_ADMIN.into()));
    }
    let Some(grid) = &ctx.grid else {
        return out.push(answer(m, text::NOT_BOUND.into()));
    };
    let target = m
        .reply_to
        .as_ref()
        .filter(|r| !r.from_bot)
        .and_then(|r| r.from.as_ref());
    let Some(person) = target else {
        return out.push(answer(m, text::ROLE_NEEDS_REPLY.into()));
    };
    out.push(Effect::SeenPerson(person.clone()));
    out.push(Effect::SetRole {
        grid: grid.clone(),
        person: person.clone(),
        role,
    });
    // Staff see the staff commands in this group's menu; residents the resident ones.
    out.push(Effect::Send(Outgoing::new(
        m.chat_id,
        OutAction::Menu {
            user_id: person.id,
            role,
        },
    )));
    out.push(answer(
        m,
        text::role_set(person, role, &grid.community, &grid.grid),
    ));
}

pub(super) fn alerts(ctx: &Context, m: &Msg, community: &str, out: &mut Vec<Effect>) {
    let allowed = ctx.role == Role::Admin || ctx.secretary_of.iter().any(|c| c == community);
    if !allowed {
        return out.push(answer(m, text::NOT_ADMIN_OR_SECRETARY.into()));
    }
    out.push(Effect::SetAlertChat {
        community: community.to_string(),
        chat_id: m.chat_id,
    });
    out.push(answer(m, text::alerts_set(community)));
}

pub(super) fn phone(
    ctx: &Context,
    m: &Msg,
    from: &Person,
    phone: Option<String>,
    out: &mut Vec<Effect>,
) {
    if !ctx.role.is_staff() && ctx.secretary_of.is_empty() {
        return out.push(answer(m, text::NOT_STAFF.into()));
    }
    match phone {
        Some(p) => {
            out.push(Effect::SetPhone {
                user: from.id,
                phone: p.clone(),
            });
            out.push(answer(
                m,
                format!("已公布您的办公电话 {p}，居民发送 /contact 可以看到。"),
            ));
        }
        None => out.push(answer(m, text::usage("phone"))),
    }
}

/// The bot joined or left a chat. On joining an unbound group it says once how to bind it.
pub(super) fn on_membership(
    ctx: &Context,
    chat_id: ChatId,
    kind: ChatKind,
    present: bool,
    out: &mut Vec<Effect>,
) {
    out.push(Effect::ChatPresence { chat_id, present });
    if present && kind == ChatKind::Group && ctx.grid.is_none() {
        out.push(Effect::Send(Outgoing::new(
            chat_id,
            OutAction::Text {
                text: format!("大家好，我是网格服务机器人。{}", text::NOT_BOUND),
                reply_to: None,
                mentions: Vec::new(),
                buttons: Vec::new(),
            },
        )));
    }
}
