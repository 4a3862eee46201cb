//! What storage loads for the figures, and the digest's once-only queueing.

use super::{grid, person, petition};
use crate::Store;
use crate::testing::on_both;
use gridbot_handlers::context::StatsWant;
use gridbot_handlers::effect::{Effect, OutAction, Outgoing};
use gridbot_handlers::figures::{self, PeriodSpec, Scope, View};
use gridbot_handlers::incoming::{ChatKind, Incoming, Msg};
use gridbot_handlers::model::*;
use gridbot_handlers::{Context, Settings, Wants};

on_both!(
    the_loaded_petitions_give_the_same_figures_as_all_petitions,
    a_digest_is_queued_once_per_key,
);

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// Petitions of every shape around week 48 of 2026 in two grids.
fn history() -> Vec<Petition> {
    let week = PeriodSpec::Week {
        year: 2026,
        week: 48,
    }
    .resolve(0, Settings::for_tests().tz)
    .unwrap();
    let mut out = Vec::new();
    for (i, offset) in [-30, -9, -4, -1, 0, 2, 5, 6, 8, 12].iter().enumerate() {
        for (j, chat) in [-1i64, -2].iter().enumerate() {
            let n = (i * 4 + j * 2) as i64 + 1;
            let mut p = petition(n, *chat);
            p.created_at = week.start + offset * DAY + 9 * HOUR;
            p.deadlines = Deadlines {
                respond_by: p.created_at + HOUR / 2,
                escalate_at: p.created_at + 2 * HOUR,
                resolve_by: p.created_at + 3 * DAY,
            };
            let mut q = p.clone();
            q.number = PetitionNo(n + 1);
            q.message_id += 1;
            // p: answered late, resolved late and rated; q: answered at once, still open.
            p.first_response_at = Some(p.created_at + HOUR);
            p.resolved_at = Some(p.created_at + 4 * DAY);
            p.closed_at = p.resolved_at;
            p.rating = Some(if i % 2 == 0 {
                Rating::Satisfied
            } else {
                Rating::Unrated
            });
            p.state = State::Closed;
            q.first_response_at = Some(q.created_at + 60_000);
            q.state = State::Claimed;
            out.extend([p, q]);
        }
    }
    out
}

async fn the_loaded_petitions_give_the_same_figures_as_all_petitions(s: &Store) {
    let all = history();
    let mut other = grid();
    other.chat_id = -2;
    other.grid = "二网格".into();
    let mut effects = vec![
        Effect::Bind {
            grid: grid(),
            title: None,
        },
        Effect::Bind {
            grid: other,
            title: None,
        },
    ];
    effects.extend(all.iter().cloned().map(Effect::NewPetition));
    let mut tx = s.begin().await.unwrap();
    tx.apply(&effects, 0).await.unwrap();
    tx.commit().await.unwrap();
    let tz = Settings::for_tests().tz;
    let period = PeriodSpec::Week {
        year: 2026,
        week: 48,
    }
    .resolve(0, tz)
    .unwrap();
    let now = period.end + 3 * DAY;
    let loaded = s.figure_petitions(period.start, period.end).await.unwrap();
    assert!(
        loaded.len() < all.len(),
        "old closed petitions are not loaded"
    );
    let expect = figures::compute(&all, &Scope::Street, &period, now);
    assert_eq!(
        figures::compute(&loaded, &Scope::Street, &period, now),
        expect
    );
    assert!(expect.raised > 0 && expect.overdue_in_period > 0 && expect.rated > 0);

    // `/stats week` of a worker in grid -1, on the same petitions.
    let inc = Incoming::Message(Msg {
        chat_id: -1,
        chat_kind: ChatKind::Group,
        chat_title: None,
        message_id: 1,
        from: Some(person(10)),
        from_bot: false,
        text: "/stats".into(),
        media: None,
        reply_to: None,
        date: now,
        service: false,
    });
    let mut ctx = Context {
        grid: Some(grid()),
        role: Role::Worker,
        ..Context::default()
    };
    let w = Wants {
        stats: Some(StatsWant {
            view: View::Grid(-1),
            period: PeriodSpec::Week {
                year: 2026,
                week: 48,
            },
        }),
        ..Wants::default()
    };
    let mut tx = s.begin().await.unwrap();
    tx.load(&inc, &mut ctx, &w, &Settings::for_tests(), now)
        .await
        .unwrap();
    drop(tx);
    assert_eq!(ctx.stats_grids, [grid()]);
    assert!(ctx.stats_petitions.iter().all(|p| p.chat_id == -1));
    assert_eq!(
        figures::compute(&ctx.stats_petitions, &Scope::Street, &period, now),
        figures::compute(&all, &Scope::Grid(-1), &period, now)
    );
}

async fn a_digest_is_queued_once_per_key(s: &Store) {
    let photo = Outgoing::new(
        -9,
        OutAction::Photo {
            caption: "图".into(),
            png_base64: "iVBORw0KGgo=".into(),
        },
    );
    let key = crate::digest_key("欣锦苑社区", "2026-W48");
    let one = std::slice::from_ref(&photo);
    assert!(!s.marked(&key).await.unwrap());
    assert!(s.enqueue_once(Some(&key), one, 5, false).await.unwrap());
    assert!(!s.enqueue_once(Some(&key), one, 6, false).await.unwrap());
    assert!(s.marked(&key).await.unwrap());
    assert!(s.enqueue_once(None, one, 7, false).await.unwrap());
    // An operator's digest goes out even when the week is marked.
    assert!(s.enqueue_once(Some(&key), one, 8, true).await.unwrap());
    assert_eq!(s.outbox_stats().await.unwrap().pending, 3);
    let items = s.take_outbox(10, 1000, 10).await.unwrap();
    assert!(matches!(&items[0].action, OutAction::Photo { caption, .. } if caption == "图"));
}
