//! `/stats` through `decide`: who sees which grids, and the answer's words.

use super::*;
use crate::context::{Context, StatsWant};
use crate::decide::{decide, wants};
use crate::effect::{Effect, OutAction};
use crate::incoming::{ChatKind, Incoming, Msg};
use crate::model::{Person, Role};
use crate::settings::Settings;
use chrono::TimeZone;

const GROUP: ChatId = -4001;

fn grid() -> Grid {
    Grid::sample(GROUP, "第一网格")
}

fn stats(chat: ChatId, kind: ChatKind, text: &str) -> Incoming {
    Incoming::Message(Msg {
        chat_id: chat,
        chat_kind: kind,
        chat_title: None,
        message_id: 7,
        from: Some(Person::sample(20, "李书记")),
        from_bot: false,
        text: text.into(),
        media: None,
        reply_to: None,
        date: 0,
        service: false,
    })
}

fn ctx(grid: Option<Grid>, role: Role, secretary_of: &[&str]) -> Context {
    Context {
        grid,
        role,
        secretary_of: secretary_of.iter().map(|c| c.to_string()).collect(),
        ..Context::default()
    }
}

fn answer(effects: &[Effect]) -> String {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Send(o) => match &o.action {
                OutAction::Text { text, .. } => Some(text.clone()),
                _ => None,
            },
            _ => None,
        })
        .expect("an answer")
}

#[test]
fn stats_shows_the_grid_to_its_worker_the_community_to_a_secretary_and_nothing_to_residents() {
    let s = Settings::for_tests();
    let group = stats(GROUP, ChatKind::Group, "/stats month");
    let private = stats(20, ChatKind::Private, "/stats");
    let view = |c: &Context, inc: &Incoming| wants(inc, c, &s, None).stats.map(|w| w.view);
    let month = |v| StatsWant {
        view: v,
        period: PeriodSpec::ThisMonth,
    };
    assert_eq!(
        wants(&group, &ctx(Some(grid()), Role::Worker, &[]), &s, None).stats,
        Some(month(View::Grid(GROUP)))
    );
    let secretary = ctx(Some(grid()), Role::Secretary, &["欣锦苑社区"]);
    assert_eq!(
        view(&secretary, &group),
        Some(View::Communities(vec!["欣锦苑社区".into()]))
    );
    let resident = ctx(Some(grid()), Role::Resident, &[]);
    assert_eq!(view(&resident, &group), None);
    let refusal = answer(&decide(&resident, &group, &s, None, 0));
    assert!(refusal.contains("只有本网格的网格员"), "{refusal}");
    assert_eq!(
        view(&ctx(None, Role::Admin, &[]), &private),
        Some(View::Street)
    );
    assert_eq!(
        view(&ctx(None, Role::Resident, &["欣锦苑社区"]), &private),
        Some(View::Communities(vec!["欣锦苑社区".into()]))
    );
    let nobody = ctx(None, Role::Resident, &[]);
    assert_eq!(view(&nobody, &private), Some(View::OwnGrids));
    let refusal = answer(&decide(&nobody, &private, &s, None, 0));
    assert!(refusal.contains("只有本网格的网格员"), "{refusal}");
}

#[test]
fn a_secretarys_stats_sum_the_grids_and_list_each() {
    let s = Settings::for_tests();
    let now = chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 11, 26, 15, 0, 0)
        .unwrap()
        .timestamp_millis();
    let second = Grid::sample(-4002, "第二网格");
    let raised = |n: i64, chat: ChatId, answered: bool| {
        let t = now - 3_600_000;
        Petition {
            grid: if chat == GROUP {
                "第一网格"
            } else {
                "第二网格"
            }
            .into(),
            resident: Person::default(),
            text: String::new(),
            category: None,
            first_response_at: answered.then_some(t + 60_000),
            ..Petition::sample(n, chat).raised_at(t)
        }
    };
    let mut c = ctx(Some(grid()), Role::Secretary, &["欣锦苑社区"]);
    c.stats_grids = vec![grid(), second];
    c.stats_petitions = vec![raised(1, GROUP, true), raised(2, -4002, false)];
    let text = answer(&decide(
        &c,
        &stats(GROUP, ChatKind::Group, "/stats"),
        &s,
        None,
        now,
    ));
    assert!(
        text.starts_with("📊 欣锦苑社区 · 2026年第48周（11月23日—11月29日）（截至 11-26 15:00）"),
        "{text}"
    );
    assert!(
        text.contains("新增诉求 2 件\n及时响应率 50%（1/2）"),
        "{text}"
    );
    assert!(text.contains("首次响应用时中位数 1分钟"), "{text}");
    assert!(text.contains("第一网格：新增 1 | 响应 100%"), "{text}");
    assert!(text.contains("第二网格：新增 1 | 响应 0%"), "{text}");
    assert!(
        text.contains("当前超时 1 件") || text.contains("超时：当前 1 件"),
        "{text}"
    );
}
