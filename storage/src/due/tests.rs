//! The scheduler's queries on a real SQLite file and, where a server is given, PostgreSQL.

use crate::Store;
use crate::testing::on_both;
use crate::tests::grid;
use gridbot_handlers::effect::{AlertKind, Button, Effect, OutAction, Outgoing, WebhookAlert};
use gridbot_handlers::model::*;

on_both!(
    due_petitions_are_leased_to_one_taker_until_the_lease_runs_out,
    a_decision_and_the_petitions_next_moment_commit_together,
    a_petition_answered_after_it_was_taken_is_no_longer_due,
    the_rating_message_is_found_among_the_petitions_sent_messages,
    webhook_alerts_queue_retry_and_are_marked_sent,
);

const GROUP: ChatId = -1;

/// The storage tests' petition `n`, with its resident named `p{n}`, no location and its next
/// moment at `due`.
fn petition(n: i64, due: Option<Millis>) -> Petition {
    Petition {
        resident: Person::sample(100 + n, &format!("p{n}")),
        location: None,
        next_due_at: due,
        ..crate::tests::petition(n, GROUP)
    }
}

async fn seed(s: &Store, ps: Vec<Petition>) {
    let mut tx = s.begin().await.unwrap();
    let mut effects = vec![Effect::Bind {
        grid: grid(),
        title: None,
    }];
    effects.extend(ps.into_iter().map(Effect::NewPetition));
    tx.apply(&effects, 0).await.unwrap();
    tx.commit().await.unwrap();
}

fn numbers(taken: &[(Grid, Vec<Petition>)]) -> Vec<i64> {
    taken
        .iter()
        .flat_map(|(_, ps)| ps.iter().map(|p| p.number.0))
        .collect()
}

async fn due_petitions_are_leased_to_one_taker_until_the_lease_runs_out(s: &Store) {
    seed(
        s,
        vec![
            petition(1, Some(2_000)),
            petition(2, Some(2_500)),
            petition(3, Some(50_000)),
            petition(4, None),
        ],
    )
    .await;
    let first = s.take_due(3_000, 10_000, 100).await.unwrap();
    assert_eq!(first.len(), 1, "one grid");
    assert_eq!(first[0].0, grid());
    assert_eq!(numbers(&first), [1, 2], "only what is due, oldest first");
    assert!(s.take_due(3_000, 10_000, 100).await.unwrap().is_empty());
    assert!(s.take_due(12_999, 10_000, 100).await.unwrap().is_empty());
    let again = s.take_due(13_000, 10_000, 1).await.unwrap();
    assert_eq!(numbers(&again), [1], "a lapsed lease, and the limit holds");
}

async fn a_decision_and_the_petitions_next_moment_commit_together(s: &Store) {
    seed(s, vec![petition(1, Some(2_000))]).await;
    let taken = s.take_due(2_100, 10_000, 100).await.unwrap();
    let (g, ps) = &taken[0];
    let ns: Vec<_> = ps.iter().map(|p| p.number).collect();
    // A failed attempt leaves nothing behind.
    let mut tx = s.begin().await.unwrap();
    let load = tx.due_group(g, &ns, 2_100).await.unwrap();
    assert_eq!(load.petitions.len(), 1);
    assert_eq!(load.ctx.grid.as_ref(), Some(g));
    let mut q = load.petitions[0].clone();
    q.reminders = 1;
    q.next_due_at = Some(32_000);
    let effects = vec![
        Effect::SavePetition(q),
        Effect::Send(Outgoing::new(
            GROUP,
            OutAction::Text {
                text: "提醒".into(),
                reply_to: None,
                mentions: Vec::new(),
                buttons: Vec::new(),
            },
        )),
    ];
    tx.apply(&effects, 2_100).await.unwrap();
    drop(tx);
    assert_eq!(s.outbox_stats().await.unwrap().pending, 0);
    let mut tx = s.begin().await.unwrap();
    tx.apply(&effects, 2_100).await.unwrap();
    tx.release_due(&ns).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(s.outbox_stats().await.unwrap().pending, 1);
    let p = s.petition(PetitionNo(1)).await.unwrap().unwrap();
    assert_eq!((p.reminders, p.next_due_at), (1, Some(32_000)));
    assert!(s.take_due(31_999, 10_000, 100).await.unwrap().is_empty());
    assert_eq!(
        numbers(&s.take_due(32_000, 10_000, 100).await.unwrap()),
        [1]
    );
}

async fn a_petition_answered_after_it_was_taken_is_no_longer_due(s: &Store) {
    seed(s, vec![petition(1, Some(2_000))]).await;
    let taken = s.take_due(2_100, 10_000, 100).await.unwrap();
    let mut answered = taken[0].1[0].clone();
    answered.first_response_at = Some(2_050);
    answered.next_due_at = Some(9_000);
    let mut tx = s.begin().await.unwrap();
    tx.apply(&[Effect::SavePetition(answered)], 2_050)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.begin().await.unwrap();
    let load = tx
        .due_group(&grid(), &[PetitionNo(1)], 2_100)
        .await
        .unwrap();
    assert!(load.petitions.is_empty());
}

async fn the_rating_message_is_found_among_the_petitions_sent_messages(s: &Store) {
    let mut p = petition(7, Some(2_000));
    p.state = State::Resolved;
    seed(s, vec![p]).await;
    let buttons = |data: &str| {
        vec![vec![Button {
            label: "满意".into(),
            data: data.into(),
        }]]
    };
    let mut tx = s.begin().await.unwrap();
    for data in ["", "rate:7:s", "rate:77:s"] {
        let o = Outgoing::new(
            GROUP,
            OutAction::Text {
                text: "已办结".into(),
                reply_to: Some(70),
                mentions: Vec::new(),
                buttons: if data.is_empty() {
                    Vec::new()
                } else {
                    buttons(data)
                },
            },
        );
        tx.apply(&[Effect::Send(o.about(PetitionNo(7)))], 1_500)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    // A chat's items go one at a time, in order.
    for i in 0..3 {
        let items = s.take_outbox(1_600 + i, 1_000, 10).await.unwrap();
        s.outbox_sent(&items[0], Some(900 + i as i32), 1_600)
            .await
            .unwrap();
    }
    let mut tx = s.begin().await.unwrap();
    let load = tx
        .due_group(&grid(), &[PetitionNo(7)], 2_100)
        .await
        .unwrap();
    assert_eq!(load.rating_messages, [(PetitionNo(7), 901)]);
}

async fn webhook_alerts_queue_retry_and_are_marked_sent(s: &Store) {
    let alert = WebhookAlert {
        kind: AlertKind::Overdue,
        street: "南苑街道".into(),
        community: "欣锦苑社区".into(),
        grid: "一网格".into(),
        petition: 3,
        category: None,
        location: None,
        urgent: false,
        text: "138****5678".into(),
        wait_minutes: 130,
        owner: None,
        raised_at: 1,
        alerted_at: 2,
        message: "🔴".into(),
    };
    let mut tx = s.begin().await.unwrap();
    tx.apply(&[Effect::Webhook(alert.clone())], 1_000)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let items = s.take_webhooks(1_000, 60_000, 10).await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].alert, alert);
    assert!(
        s.take_webhooks(1_000, 60_000, 10).await.unwrap().is_empty(),
        "leased"
    );
    s.webhook_retry(items[0].id, 5_000, "502").await.unwrap();
    assert!(s.take_webhooks(4_999, 60_000, 10).await.unwrap().is_empty());
    let items = s.take_webhooks(5_000, 60_000, 10).await.unwrap();
    assert_eq!(items[0].attempts, 1);
    s.webhook_sent(items[0].id, 5_100).await.unwrap();
    let st = s.webhook_stats().await.unwrap();
    assert_eq!((st.pending, st.sent), (0, 1));
}

#[tokio::test]
async fn sqlite_finds_due_petitions_through_the_next_due_index() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let s = Store::connect(&url).await.unwrap();
    s.migrate().await.unwrap();
    let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "EXPLAIN QUERY PLAN SELECT number FROM petitions WHERE {}",
        super::DUE
    )))
    .bind(1_i64)
    .bind(10_i64)
    .fetch_all(s.pool())
    .await
    .unwrap();
    let plan: Vec<_> = plan.into_iter().map(|r| r.3).collect();
    assert!(
        plan.iter().any(|d| d.contains("USING INDEX petitions_due")),
        "{plan:?}"
    );
}
