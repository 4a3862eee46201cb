//! Retention: `gridbot purge` and `/forget` clear personal data and keep every figure.

use super::{grid, person, petition};
use crate::Store;
use crate::testing::on_both;
use gridbot_handlers::effect::{Effect, OutAction, Outgoing};
use gridbot_handlers::model::*;
use gridbot_handlers::text::ops::PURGED;

on_both!(
    purge_clears_petitions_closed_before_the_date_and_keeps_their_figures,
    purge_clears_old_raw_updates_and_chatter_but_not_messages_of_open_petitions,
);

pub(super) const CHAT: i64 = -1;
const WORKER: i64 = 10;

/// Petition `n` of resident `100 + n` in `state`, closed at `closed_at`, with a follower
/// (`200 + n`), a linked message, events by the resident and the worker, a sent message
/// about it and its raw update.
pub(super) async fn seed(s: &Store, n: i64, state: State, closed_at: Option<i64>) -> Petition {
    let mut p = petition(n, CHAT);
    p.text = format!("{n}号 3号楼电梯坏了 我电话13800001234");
    p.state = state;
    p.owner = Some(person(WORKER));
    p.first_response_at = Some(1_100);
    p.resolved_at = closed_at.map(|c| c - 100);
    p.closed_at = closed_at;
    p.rating = closed_at.map(|_| Rating::Satisfied);
    let resident = p.resident.clone();
    let ev = |actor: &Person, kind, note: &str| {
        Effect::Log(Event {
            number: p.number,
            at: 1_200,
            actor: Some(actor.clone()),
            kind,
            note: note.into(),
        })
    };
    let sent = Outgoing::new(
        CHAT,
        OutAction::Text {
            text: format!("{} 您好，#{n} 已受理", resident.name),
            reply_to: Some(p.message_id),
            mentions: vec![],
            buttons: vec![],
        },
    )
    .about(p.number);
    let mut tx = s.begin().await.unwrap();
    let raw = format!(
        r#"{{"update_id":{n},"message":{{"message_id":{},"from":{{"id":{},"is_bot":false,"first_name":"{}"}}}}}}"#,
        p.message_id, resident.id, resident.name
    );
    tx.record_update(n, &raw, 1_000).await.unwrap();
    tx.record_message(CHAT, p.message_id, Some(resident.id), &p.text, 1_000)
        .await
        .unwrap();
    tx.record_message(
        CHAT,
        p.message_id + 1,
        Some(resident.id),
        "补充：501室",
        1_050,
    )
    .await
    .unwrap();
    tx.apply(
        &[
            Effect::SeenPerson(resident.clone()),
            Effect::SeenPerson(person(200 + n)),
            Effect::NewPetition(p.clone()),
            Effect::LinkMessage {
                number: p.number,
                chat_id: CHAT,
                message_id: p.message_id + 1,
            },
            Effect::AddFollower {
                number: p.number,
                person: person(200 + n),
            },
            ev(&resident, EventKind::FollowUp, "补充：501室"),
            ev(&person(WORKER), EventKind::Replied, "明天上午来修"),
            ev(&person(WORKER), EventKind::Claimed, ""),
            Effect::Send(sent),
        ],
        1_000,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    sqlx::query("UPDATE outbox SET state = 'sent' WHERE petition = $1")
        .bind(n)
        .execute(s.pool())
        .await
        .unwrap();
    p
}

pub(super) async fn setup(s: &Store) {
    let mut tx = s.begin().await.unwrap();
    tx.apply(
        &[
            Effect::Bind {
                grid: grid(),
                title: None,
            },
            Effect::SeenPerson(person(WORKER)),
            Effect::SetRole {
                grid: grid(),
                person: person(WORKER),
                role: Role::Worker,
            },
        ],
        1_000,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// One text column of `sql`, with `n` bound as `$1` when given.
pub(super) async fn texts(s: &Store, sql: &str, n: Option<i64>) -> Vec<String> {
    let q = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()));
    let q = match n {
        Some(n) => q.bind(n),
        None => q,
    };
    let rows: Vec<(String,)> = q.fetch_all(s.pool()).await.unwrap();
    rows.into_iter().map(|(t,)| t).collect()
}

pub(super) async fn people(s: &Store) -> Vec<i64> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT user_id FROM people ORDER BY user_id")
        .fetch_all(s.pool())
        .await
        .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

/// Whether petition `p` lost every personal word (true) or kept them all (false).
pub(super) async fn assert_cleared(s: &Store, before: &Petition, cleared: bool) {
    let n = before.number.0;
    let after = s.petition(before.number).await.unwrap().unwrap();
    // The figures never change.
    let figures = |p: &Petition| {
        (
            p.state,
            p.category.clone(),
            p.location.clone(),
            p.urgent,
            (
                p.created_at,
                p.first_response_at,
                p.resolved_at,
                p.closed_at,
            ),
            p.rating,
            p.owner.as_ref().map(|o| o.id),
            p.chat_id,
        )
    };
    assert_eq!(figures(&after), figures(before), "#{n}");
    let msgs = texts(s, "SELECT text FROM messages WHERE message_id IN (SELECT $1 * 10 UNION SELECT $1 * 10 + 1) ORDER BY message_id", Some(n)).await;
    let notes = texts(
        s,
        "SELECT note FROM events WHERE number = $1 ORDER BY id",
        Some(n),
    )
    .await;
    let actors = texts(
        s,
        "SELECT COALESCE(actor_name, '') FROM events WHERE number = $1 ORDER BY id",
        Some(n),
    )
    .await;
    let sent = texts(s, "SELECT action FROM outbox WHERE petition = $1", Some(n)).await;
    let followers = texts(s, "SELECT name FROM followers WHERE number = $1", Some(n)).await;
    if cleared {
        assert_eq!(after.text, PURGED, "#{n}");
        assert_eq!(
            (after.resident.id, after.resident.name.as_str()),
            (0, PURGED)
        );
        assert_eq!(msgs, [PURGED, PURGED], "#{n}");
        assert_eq!(notes, [PURGED, PURGED, ""], "#{n}");
        assert_eq!(
            actors,
            [PURGED, "p10", "p10"],
            "#{n}: the worker stays named"
        );
        assert!(sent.iter().all(|a| !a.contains("p1")), "#{n}: {sent:?}");
        assert!(followers.is_empty(), "#{n}");
    } else {
        assert_eq!(after.text, before.text, "#{n}");
        assert_eq!(after.resident, before.resident, "#{n}");
        assert_eq!(msgs, [before.text.as_str(), "补充：501室"], "#{n}");
        assert_eq!(notes, ["补充：501室", "明天上午来修", ""], "#{n}");
        assert!(sent[0].contains("已受理"), "#{n}: {sent:?}");
        assert_eq!(followers, [format!("p{}", 200 + n)], "#{n}");
    }
}

async fn purge_clears_petitions_closed_before_the_date_and_keeps_their_figures(s: &Store) {
    setup(s).await;
    let old = seed(s, 1, State::Closed, Some(5_000)).await;
    let merged = seed(s, 2, State::Merged, Some(6_000)).await;
    let recent = seed(s, 3, State::Closed, Some(50_000)).await;
    let open = seed(s, 4, State::Claimed, None).await;
    let resolved = seed(s, 5, State::Resolved, None).await;
    assert_eq!(s.clearable_before(10_000).await.unwrap(), 2);
    // Batches of one: each its own short transaction, until none is left.
    assert_eq!(s.purge_batch(10_000, 1).await.unwrap(), 1);
    assert_eq!(s.purge_batch(10_000, 1).await.unwrap(), 1);
    assert_eq!(s.purge_batch(10_000, 1).await.unwrap(), 0, "idempotent");
    assert_eq!(s.clearable_before(10_000).await.unwrap(), 0);
    assert_cleared(s, &old, true).await;
    assert_cleared(s, &merged, true).await;
    for p in [&recent, &open, &resolved] {
        assert_cleared(s, p, false).await;
    }
    // Residents and followers of cleared petitions are forgotten; the worker and everyone
    // still named somewhere stay.
    let kept = people(s).await;
    for gone in [101, 102, 201, 202] {
        assert!(!kept.contains(&gone), "{gone} in {kept:?}");
    }
    for stays in [WORKER, 103, 104, 105, 203, 204, 205] {
        assert!(kept.contains(&stays), "{stays} not in {kept:?}");
    }
    assert_eq!(s.petition_count().await.unwrap(), 5);
}

async fn purge_clears_old_raw_updates_and_chatter_but_not_messages_of_open_petitions(s: &Store) {
    setup(s).await;
    seed(s, 4, State::Claimed, None).await;
    let mut tx = s.begin().await.unwrap();
    tx.record_message(CHAT, 7, Some(300), "大家早上好", 2_000)
        .await
        .unwrap();
    tx.record_message(CHAT, 8, Some(300), "今天降温了", 20_000)
        .await
        .unwrap();
    tx.record_update(90, r#"{"late":true}"#, 20_000)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut total = 0;
    loop {
        let n = s.purge_log_batch(10_000, 1).await.unwrap();
        if n == 0 {
            break;
        }
        total += n;
    }
    // The petition's raw update and the morning greeting: two rows.
    assert_eq!(total, 2);
    let chatter = texts(
        s,
        "SELECT text FROM messages WHERE message_id IN (7, 8) ORDER BY message_id",
        None,
    )
    .await;
    assert_eq!(chatter, [PURGED, "今天降温了"]);
    let raws = texts(s, "SELECT raw FROM updates ORDER BY update_id", None).await;
    assert_eq!(raws, ["{}", r#"{"late":true}"#]);
    let open = texts(
        s,
        "SELECT text FROM messages WHERE message_id IN (40, 41) ORDER BY message_id",
        None,
    )
    .await;
    assert!(!open.contains(&PURGED.to_string()), "{open:?}");
}
