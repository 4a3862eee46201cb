//! From one incoming update and its context to the effects it causes. Pure: the same
//! context, update and `now` always give the same effects.

mod admin;
mod commands;
mod handover;
mod intake;
mod lists;
mod rating;
mod transitions;

use transitions::{PROGRESS, REPLY};

// The clocks save, log and alert the way the state machine does.
pub(crate) use transitions::{alert, log, saved};

use crate::command::{self, Command, CommandError};
use crate::context::{Context, ListKind, Wants};
use crate::effect::{Effect, OutAction, Outgoing};
use crate::incoming::{ChatKind, Incoming, Msg};
use crate::model::{Millis, Person, Role};
use crate::settings::Settings;
use crate::text;

/// What storage must load before [`decide`] can run. `ctx` holds the grid and role already.
pub fn wants(inc: &Incoming, ctx: &Context, s: &Settings, bot_username: Option<&str>) -> Wants {
    let mut w = Wants::default();
    match inc {
        Incoming::Message(m) => match command::parse(&m.text, bot_username) {
            Some(Ok(c)) => {
                command_wants(&c, m, &mut w);
                if let Command::Petition(body) = &c {
                    w.duplicates = intake::duplicate_key(body, true, s);
                }
                if let Command::Stats(period) = &c {
                    w.stats = commands::stats_wants(ctx, m, period.as_deref());
                }
            }
            Some(Err(_)) => {}
            None if ctx.grid.is_some() && !m.from_bot && !m.service => {
                w.reply_to = m.reply_to.as_ref().map(|r| r.message_id);
                if ctx.role.is_staff() {
                    w.numbers = command::hash_refs(&m.text);
                } else {
                    intake::resident_wants(m, s, &mut w);
                }
            }
            None => {}
        },
        Incoming::Edited(m) => w.edited = Some(m.message_id),
        Incoming::Callback { data, .. } => {
            if let Some((n, _)) = rating::parse_data(data) {
                w.numbers.push(n);
            }
        }
        _ => {}
    }
    w
}

fn command_wants(c: &Command, m: &Msg, w: &mut Wants) {
    use Command::*;
    match c {
        Claim(n) | Reply(n, _) | Progress(n, _) | Resolve(n, _) | Escalate(n, _) | Reopen(n) => {
            w.numbers.push(*n);
            w.staff = true;
        }
        Status(n) => {
            w.numbers.push(*n);
            w.history = true;
        }
        Transfer(n) => {
            w.numbers.push(*n);
            w.target_user = m
                .reply_to
                .as_ref()
                .and_then(|r| r.from.as_ref())
                .map(|p| p.id);
        }
        Merge(a, b) => w.numbers.extend([*a, *b]),
        Petition(_) => {
            w.sender_recent = true;
            w.staff = true;
        }
        Role(_) => {
            w.target_user = m
                .reply_to
                .as_ref()
                .and_then(|r| r.from.as_ref())
                .map(|p| p.id)
        }
        My => w.list = Some(ListKind::My),
        List(_) => w.list = Some(ListKind::Active),
        Mine(_) => w.list = Some(ListKind::Mine),
        Overdue(_) => w.list = Some(ListKind::Overdue),
        Visits(_) => w.list = Some(ListKind::Visits),
        Contact => w.staff = true,
        Forget => w.forget = true,
        _ => {}
    }
}

/// The effects of one update.
pub fn decide(
    ctx: &Context,
    inc: &Incoming,
    s: &Settings,
    bot_username: Option<&str>,
    now: Millis,
) -> Vec<Effect> {
    let mut out = Vec::new();
    match inc {
        Incoming::Message(m) => {
            if m.chat_kind == ChatKind::Other || m.from_bot {
                return out;
            }
            if let Some(p) = &m.from {
                out.push(Effect::SeenPerson(p.clone()));
                if m.chat_kind == ChatKind::Private {
                    out.push(Effect::PrivateChat(p.clone()));
                }
            }
            match command::parse(&m.text, bot_username) {
                Some(parsed) => on_command(ctx, m, parsed, s, now, &mut out),
                None if m.service => {}
                None if m.chat_kind == ChatKind::Private => {
                    out.push(answer(m, text::START_PRIVATE.to_string()));
                }
                None if ctx.grid.is_some() => intake::on_message(ctx, m, s, now, &mut out),
                None => {} // a group that was never bound: stored, nothing else
            }
        }
        Incoming::Edited(m) => intake::on_edit(ctx, m, s, &mut out),
        Incoming::Callback {
            id,
            from,
            chat_id,
            message_id,
            data,
        } => rating::on_callback(ctx, id, from, *chat_id, *message_id, data, s, now, &mut out),
        Incoming::Membership {
            chat_id,
            present,
            kind,
            ..
        } => admin::on_membership(ctx, *chat_id, *kind, *present, &mut out),
        Incoming::Migrated { from, to } => out.push(Effect::MigrateChat {
            from: *from,
            to: *to,
        }),
        Incoming::Ignored { .. } => {}
    }
    out
}

fn on_command(
    ctx: &Context,
    m: &Msg,
    parsed: Result<Command, CommandError>,
    s: &Settings,
    now: Millis,
    out: &mut Vec<Effect>,
) {
    let c = match parsed {
        Ok(c) => c,
        Err(CommandError::Usage(name)) => return out.push(answer(m, text::usage(name))),
        Err(CommandError::Unknown(name)) => {
            return out.push(answer(m, text::unknown_command(&name)));
        }
    };
    let Some(from) = m.from.clone() else { return };
    let group = m.chat_kind == ChatKind::Group;
    let act = || Act {
        ctx,
        m,
        by: &from,
        s,
        now,
    };
    use Command::*;
    // In a group that was never bound only binding and help make sense.
    if group && ctx.grid.is_none() && !matches!(c, Help | Start | Bind { .. } | Alerts(_)) {
        return out.push(answer(m, text::NOT_BOUND.into()));
    }
    match c {
        Help => out.push(answer(m, text::help(ctx.role))),
        Start if group => out.push(answer(m, text::help(ctx.role))),
        Start => out.push(answer(m, text::START_PRIVATE.to_string())),
        Bind { community, grid } => admin::bind(ctx, m, &community, &grid, out),
        Role(r) => admin::set_role(ctx, m, r, out),
        Alerts(c) => admin::alerts(ctx, m, &c, out),
        Phone(p) => admin::phone(ctx, m, &from, p, out),
        Petition(t) if group && ctx.grid.is_some() => {
            intake::raise_explicit(ctx, m, &t, s, now, out)
        }
        Petition(_) if group => out.push(answer(m, text::NOT_BOUND.into())),
        Petition(_) => out.push(answer(m, text::GROUP_ONLY.into())),
        Claim(n) => transitions::claim(act(), n, out),
        Reply(n, t) => transitions::note(&REPLY, act(), n, &t, out),
        Progress(n, t) => transitions::note(&PROGRESS, act(), n, &t, out),
        Resolve(n, t) => transitions::resolve(act(), n, &t, out),
        Escalate(n, t) => handover::escalate(act(), n, &t, out),
        Reopen(n) => handover::reopen(act(), n, out),
        Transfer(n) => handover::transfer(act(), n, out),
        Merge(a, b) => handover::merge(act(), a, b, out),
        Status(n) => commands::status(ctx, m, &from, n, s, now, out),
        My => lists::show(ctx, m, ListKind::My, 1, s, now, out),
        List(p) => lists::show(ctx, m, ListKind::Active, p, s, now, out),
        Mine(p) => lists::show(ctx, m, ListKind::Mine, p, s, now, out),
        Overdue(p) => lists::show(ctx, m, ListKind::Overdue, p, s, now, out),
        Visits(p) => lists::show(ctx, m, ListKind::Visits, p, s, now, out),
        Template(c) => commands::template(ctx, m, c.as_deref(), s, out),
        Stats(p) => commands::stats(ctx, m, p.as_deref(), s, now, out),
        Contact => commands::contact(ctx, m, out),
        Forget => commands::forget(ctx, m, &from, out),
    }
}

/// A staff command on a petition being decided: in what context, from which message and
/// person, under which settings, at what moment.
#[derive(Clone, Copy)]
pub(super) struct Act<'a> {
    pub ctx: &'a Context,
    pub m: &'a Msg,
    pub by: &'a Person,
    pub s: &'a Settings,
    pub now: Millis,
}

/// An answer to a message: in a group always a Telegram reply to it.
pub(crate) fn answer(m: &Msg, body: String) -> Effect {
    Effect::Send(Outgoing::new(
        m.chat_id,
        OutAction::Text {
            text: text::fit(&body),
            reply_to: Some(m.message_id),
            mentions: Vec::new(),
            buttons: Vec::new(),
        },
    ))
}

/// A quiet confirmation on a command whose visible outcome is posted elsewhere.
pub(crate) fn confirm(m: &Msg) -> Effect {
    Effect::Send(Outgoing::new(
        m.chat_id,
        OutAction::React {
            message_id: m.message_id,
            emoji: "👌".into(),
        },
    ))
}

pub(crate) fn is_staff_here(ctx: &Context) -> bool {
    ctx.role.is_staff() && (ctx.grid.is_some() || ctx.role == Role::Admin)
}

#[cfg(test)]
pub(crate) mod tests;
