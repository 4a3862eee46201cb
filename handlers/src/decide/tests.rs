//! The state machine, driven through [`decide`] with contexts built by hand.

mod forget;
mod handover;
mod history;
mod lists;
mod rating;
mod refusals;
mod working;

use super::decide;
use crate::context::Context;
use crate::effect::{Button, Effect, Mention, OutAction};
use crate::incoming::{ChatKind, Incoming, Msg, ReplyTo};
use crate::model::*;
use crate::settings::Settings;

pub const GROUP: ChatId = -4001;
pub const ALERTS: ChatId = -4999;
pub const T0: Millis = 1_700_000_000_000;
pub const NOW: Millis = T0 + 3_600_000;
const MIN: Millis = 60_000;

pub fn person(id: UserId, name: &str) -> Person {
    Person::sample(id, name)
}
pub fn worker() -> Person {
    person(10, "王网格员")
}
pub fn property() -> Person {
    person(30, "赵物业")
}
pub fn secretary() -> Person {
    person(20, "李书记")
}
pub fn resident(n: i64) -> Person {
    person(1000 + n, &format!("居民{n}"))
}

/// Petition `n` of resident `n` in GROUP, in `state`; past Open it is the worker's.
pub fn petition(n: i64, state: State) -> Petition {
    let worked = state != State::Open;
    let done = matches!(state, State::Resolved | State::Closed);
    Petition {
        message_id: 500 + n as MsgId,
        text: format!("3号楼2单元电梯坏了 第{n}回 电话13812345678"),
        location: Some("3号楼2单元".into()),
        state,
        owner: worked.then(worker),
        first_response_at: worked.then_some(T0 + 5 * MIN),
        resolved_at: done.then_some(T0 + 30 * MIN),
        closed_at: (state == State::Closed).then_some(T0 + 40 * MIN),
        rating: (state == State::Closed).then_some(Rating::Satisfied),
        escalated: state == State::Escalated,
        ..Petition::sample(n, GROUP).raised_at(T0)
    }
}

fn staff(p: Person, role: Role, private_ok: bool) -> Staff {
    Staff {
        person: p,
        role,
        phone: None,
        private_ok,
    }
}

/// GROUP's context for a sender with `role`, who has that role where each petition lives.
pub fn ctx(role: Role, petitions: Vec<Petition>) -> Context {
    Context {
        grid: Some(Grid::sample(GROUP, "第一网格")),
        role,
        petition_roles: petitions.iter().map(|p| (p.number, role)).collect(),
        petitions,
        staff: vec![
            staff(worker(), Role::Worker, false),
            staff(secretary(), Role::Secretary, true),
        ],
        alert_chat: Some(ALERTS),
        ..Context::default()
    }
}

pub fn said(by: &Person, text: &str) -> Msg {
    Msg {
        chat_id: GROUP,
        chat_kind: ChatKind::Group,
        chat_title: None,
        message_id: 900,
        from: Some(by.clone()),
        from_bot: false,
        text: text.into(),
        media: None,
        reply_to: None,
        date: NOW,
        service: false,
    }
}

/// `text` as a reply to a message of `to`.
pub fn replying(by: &Person, text: &str, to: &Person) -> Msg {
    let mut m = said(by, text);
    m.reply_to = Some(ReplyTo {
        message_id: 800,
        from: Some(to.clone()),
        from_bot: false,
    });
    m
}

/// Compiling the rules takes a while: once for all tests.
pub fn settings() -> &'static Settings {
    static S: std::sync::LazyLock<Settings> = std::sync::LazyLock::new(Settings::for_tests);
    &S
}

pub fn run(c: &Context, m: Msg) -> Vec<Effect> {
    decide(c, &Incoming::Message(m), settings(), None, NOW)
}

pub fn press(c: &Context, by: &Person, data: &str) -> Vec<Effect> {
    let inc = Incoming::Callback {
        id: "cb1".into(),
        from: by.clone(),
        chat_id: Some(GROUP),
        message_id: Some(777),
        data: data.into(),
    };
    decide(c, &inc, settings(), None, NOW)
}

/// The petition as last saved.
pub fn saved(out: &[Effect]) -> Option<&Petition> {
    out.iter().rev().find_map(|e| match e {
        Effect::SavePetition(p) => Some(p),
        _ => None,
    })
}

pub fn events(out: &[Effect]) -> Vec<(PetitionNo, EventKind, String)> {
    out.iter()
        .filter_map(|e| match e {
            Effect::Log(ev) => Some((ev.number, ev.kind, ev.note.clone())),
            _ => None,
        })
        .collect()
}

pub fn kinds(out: &[Effect]) -> Vec<EventKind> {
    events(out).into_iter().map(|(_, k, _)| k).collect()
}

/// A text the bot sends: chat, text, the message it replies to, mentions, buttons.
pub struct Said<'a> {
    pub chat: ChatId,
    pub text: &'a str,
    pub reply_to: Option<MsgId>,
    pub mentions: &'a [Mention],
    pub buttons: &'a [Vec<Button>],
}

pub fn texts(out: &[Effect]) -> Vec<Said<'_>> {
    out.iter()
        .filter_map(|e| match e {
            Effect::Send(o) => match &o.action {
                OutAction::Text {
                    text,
                    reply_to,
                    mentions,
                    buttons,
                } => Some(Said {
                    chat: o.chat_id,
                    text,
                    reply_to: *reply_to,
                    mentions,
                    buttons,
                }),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The one text sent to `chat` as a reply to message `to`.
pub fn reply_to(out: &[Effect], chat: ChatId, to: MsgId) -> Said<'_> {
    let mut found: Vec<Said<'_>> = texts(out)
        .into_iter()
        .filter(|s| s.chat == chat && s.reply_to == Some(to))
        .collect();
    assert_eq!(found.len(), 1, "one reply to {to} in {chat}: {out:#?}");
    found.remove(0)
}

pub fn toasts(out: &[Effect]) -> Vec<&str> {
    out.iter()
        .filter_map(|e| match e {
            Effect::Send(o) => match &o.action {
                OutAction::AnswerCallback { text, .. } => Some(text.as_str()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

pub fn followers_added(out: &[Effect]) -> Vec<(PetitionNo, UserId)> {
    out.iter()
        .filter_map(|e| match e {
            Effect::AddFollower { number, person } => Some((*number, person.id)),
            _ => None,
        })
        .collect()
}

/// Whether the effects change anything kept (a petition, the log, followers).
pub fn changes_anything(out: &[Effect]) -> bool {
    out.iter().any(|e| {
        matches!(
            e,
            Effect::SavePetition(_)
                | Effect::NewPetition(_)
                | Effect::Log(_)
                | Effect::AddFollower { .. }
        )
    })
}
