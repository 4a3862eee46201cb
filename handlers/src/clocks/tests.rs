use super::*;
use crate::context::Context;
use crate::effect::{AlertKind, Effect, OutAction};
use crate::model::*;
use chrono::TimeZone;

const MIN: Millis = 60_000;
const HOUR: Millis = 60 * MIN;
const GROUP: ChatId = -4001;
const ALERTS: ChatId = -4999;

fn shanghai(d: u32, h: u32, m: u32) -> Millis {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 11, d, h, m, 0)
        .unwrap()
        .timestamp_millis()
}

fn no_quiet() -> Settings {
    let mut s = Settings::for_tests();
    s.quiet = QuietHours { start: 0, end: 0 };
    s
}

fn raised(n: i64, at: Millis, urgent: bool, s: &Settings) -> Petition {
    let mut p = Petition {
        message_id: 100 + n as i32,
        text: format!("{n}号楼楼道灯坏了 电话13812345678"),
        category: Some("other".into()),
        urgent,
        created_at: at,
        deadlines: deadlines(at, urgent, Some("other"), s),
        ..Petition::sample(n, GROUP)
    };
    p.next_due_at = next_due(&p, s);
    p
}

fn ctx() -> Context {
    Context {
        grid: Some(Grid::sample(GROUP, "第一网格")),
        staff: vec![Staff {
            person: Person::sample(10, "王网格员"),
            role: Role::Worker,
            phone: None,
            private_ok: false,
        }],
        alert_chat: Some(ALERTS),
        ..Context::default()
    }
}

fn run(ps: &[Petition], s: &Settings, now: Millis) -> Vec<Effect> {
    let c = ctx();
    due(
        &DueGroup {
            petitions: ps,
            ctx: &c,
            rating_messages: &[(PetitionNo(1), 555)],
        },
        s,
        now,
    )
}

fn saved(effects: &[Effect]) -> Vec<Petition> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SavePetition(p) => Some(p.clone()),
            _ => None,
        })
        .collect()
}

/// (chat, text, reply_to, mentioned user ids) of each message sent.
fn texts(effects: &[Effect]) -> Vec<(ChatId, String, Option<MsgId>, Vec<i64>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send(o) => match &o.action {
                OutAction::Text {
                    text,
                    reply_to,
                    mentions,
                    ..
                } => Some((
                    o.chat_id,
                    text.clone(),
                    *reply_to,
                    mentions.iter().map(|m| m.user_id).collect(),
                )),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The scheduler's life for one petition: run it at each next moment until `until`.
fn drive(mut p: Petition, s: &Settings, until: Millis) -> (Petition, Vec<Effect>) {
    let mut all = Vec::new();
    while let Some(at) = p.next_due_at.filter(|at| *at <= until) {
        let effects = run(std::slice::from_ref(&p), s, at);
        p = saved(&effects).pop().expect("every due petition is saved");
        assert!(p.next_due_at.is_none_or(|n| n > at), "moves on: {p:?}");
        all.extend(effects);
    }
    (p, all)
}

mod sweep;

#[test]
fn quiet_hours_across_midnight_end_in_the_morning() {
    let tz = chrono_tz::Asia::Shanghai;
    let q = QuietHours {
        start: 22 * 60,
        end: 7 * 60,
    };
    assert_eq!(
        quiet_until(shanghai(28, 23, 30), q, tz),
        Some(shanghai(29, 7, 0))
    );
    assert_eq!(
        quiet_until(shanghai(28, 6, 59), q, tz),
        Some(shanghai(28, 7, 0))
    );
    assert_eq!(quiet_until(shanghai(28, 7, 0), q, tz), None);
    assert_eq!(quiet_until(shanghai(28, 12, 0), q, tz), None);
    let none = QuietHours { start: 0, end: 0 };
    assert_eq!(quiet_until(shanghai(28, 23, 30), none, tz), None);
}

#[test]
fn quiet_hours_are_read_on_the_streets_clock() {
    let q = QuietHours {
        start: 22 * 60,
        end: 7 * 60,
    };
    // 23:30 in Shanghai is 16:30 in Berlin: quiet in one street, not in the other.
    let at = shanghai(28, 23, 30);
    assert!(quiet_until(at, q, chrono_tz::Asia::Shanghai).is_some());
    assert_eq!(quiet_until(at, q, chrono_tz::Europe::Berlin), None);
    let berlin_morning = chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2026, 11, 29, 7, 0, 0)
        .unwrap()
        .timestamp_millis();
    assert_eq!(
        quiet_until(at + 6 * HOUR, q, chrono_tz::Europe::Berlin),
        Some(berlin_morning)
    );
}

#[test]
fn a_category_change_moves_the_resolution_deadline_from_the_raise() {
    use crate::incoming::{ChatKind, Incoming, Msg};
    let mut s = no_quiet();
    s.resolve_by_category
        .insert("elevator".into(), crate::Dur::hours(24));
    let t0 = shanghai(28, 9, 0);
    let p = raised(1, t0, false, &s);
    assert_eq!(p.deadlines.resolve_by, t0 + 72 * HOUR);
    let text = "3号楼2单元电梯坏了 停在五楼不动了";
    assert_eq!(s.rules.judge(text).category.as_deref(), Some("elevator"));
    let c = Context {
        edited_petition: Some(p.clone()),
        ..ctx()
    };
    let edit = Incoming::Edited(Msg {
        chat_id: GROUP,
        chat_kind: ChatKind::Group,
        chat_title: None,
        message_id: p.message_id,
        from: Some(p.resident.clone()),
        from_bot: false,
        text: text.into(),
        media: None,
        reply_to: None,
        date: t0 + HOUR,
        service: false,
    });
    let effects = crate::decide::decide(&c, &edit, &s, None, t0 + HOUR);
    let q = saved(&effects).pop().expect("the edit is saved");
    assert_eq!(q.category.as_deref(), Some("elevator"));
    assert_eq!(
        q.deadlines.resolve_by,
        t0 + 24 * HOUR,
        "counted from the raise"
    );
    assert_eq!(q.deadlines.respond_by, t0 + 30 * MIN);
    assert_eq!(q.next_due_at, next_due(&q, &s));
}
