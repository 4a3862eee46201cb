//! Storage tests on a real SQLite file.

use crate::Store;
use gridbot_handlers::effect::{Effect, OutAction, Outgoing};
use gridbot_handlers::incoming::{ChatKind, Incoming, Msg};
use gridbot_handlers::model::*;
use gridbot_handlers::{Settings, Wants};

use crate::testing::on_both;

on_both!(
    an_update_stored_twice_is_new_only_once_and_the_offset_persists,
    a_petition_round_trips_through_apply_and_load,
    the_outbox_gives_each_chat_its_oldest_item_first_and_leases_it,
    an_expired_lease_lets_another_sender_take_the_item,
    a_supergroup_upgrade_moves_the_binding_roles_and_petitions,
    one_holder_has_a_lease_until_it_expires,
);

fn person(id: i64) -> Person {
    Person::sample(id, &format!("p{id}"))
}

pub(crate) fn grid() -> Grid {
    Grid::sample(-1, "一网格")
}

pub(crate) fn petition(n: i64, chat: i64) -> Petition {
    Petition {
        message_id: n as i32 * 10,
        grid: "一网格".into(),
        resident: person(100 + n),
        location: Some("3号楼".into()),
        created_at: 1_000,
        deadlines: Deadlines {
            respond_by: 2_000,
            escalate_at: 3_000,
            resolve_by: 9_000,
        },
        next_due_at: Some(2_000),
        ..Petition::sample(n, chat)
    }
}

fn text(chat: i64, s: &str) -> Effect {
    Effect::Send(Outgoing::new(
        chat,
        OutAction::Text {
            text: s.into(),
            reply_to: None,
            mentions: vec![],
            buttons: vec![],
        },
    ))
}

async fn an_update_stored_twice_is_new_only_once_and_the_offset_persists(s: &Store) {
    let mut tx = s.begin().await.unwrap();
    assert!(tx.record_update(7, "{}", 1).await.unwrap());
    assert!(!tx.record_update(7, "{}", 2).await.unwrap());
    tx.set_offset(8).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(s.offset().await.unwrap(), 8);
    // A rolled-back transaction leaves nothing behind.
    let mut tx = s.begin().await.unwrap();
    assert!(tx.record_update(9, "{}", 1).await.unwrap());
    tx.set_offset(10).await.unwrap();
    drop(tx);
    assert_eq!(s.offset().await.unwrap(), 8);
    let mut tx = s.begin().await.unwrap();
    assert!(tx.record_update(9, "{}", 1).await.unwrap());
}

async fn a_petition_round_trips_through_apply_and_load(s: &Store) {
    let mut p = petition(1, -1);
    let mut tx = s.begin().await.unwrap();
    tx.apply(
        &[
            Effect::Bind {
                grid: grid(),
                title: None,
            },
            Effect::NewPetition(p.clone()),
            Effect::LinkMessage {
                number: p.number,
                chat_id: -1,
                message_id: 555,
            },
            Effect::AddFollower {
                number: p.number,
                person: person(7),
            },
        ],
        1_000,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(s.petition(PetitionNo(1)).await.unwrap(), Some(p.clone()));
    // The message link lets a reply find the petition.
    let inc = Incoming::Message(Msg {
        chat_id: -1,
        chat_kind: ChatKind::Group,
        chat_title: None,
        message_id: 600,
        from: Some(person(9)),
        from_bot: false,
        text: "同问".into(),
        media: None,
        reply_to: Some(gridbot_handlers::incoming::ReplyTo {
            message_id: 555,
            from: None,
            from_bot: true,
        }),
        date: 0,
        service: false,
    });
    let settings = Settings::for_tests();
    let mut tx = s.begin().await.unwrap();
    let mut ctx = tx.base_context(&inc, &settings).await.unwrap();
    assert_eq!(ctx.grid, Some(grid()));
    let w = Wants {
        reply_to: Some(555),
        numbers: vec![PetitionNo(1)],
        sender_recent: true,
        duplicates: p.category.clone().zip(p.location.clone()),
        ..Wants::default()
    };
    tx.load(&inc, &mut ctx, &w, &settings, 1_500).await.unwrap();
    assert_eq!(
        ctx.reply_petition.as_ref().map(|p| p.number),
        Some(PetitionNo(1))
    );
    assert_eq!(ctx.followers, vec![person(7)]);
    assert_eq!(ctx.next_number, PetitionNo(2));
    assert_eq!(ctx.recent_active.len(), 1);
    // Saving changes every mutable field.
    p.state = State::Claimed;
    p.owner = Some(person(10));
    p.first_response_at = Some(1_200);
    p.reminders = 2;
    tx.apply(&[Effect::SavePetition(p.clone())], 1_500)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(s.petition(PetitionNo(1)).await.unwrap(), Some(p));
}

async fn the_outbox_gives_each_chat_its_oldest_item_first_and_leases_it(s: &Store) {
    let mut tx = s.begin().await.unwrap();
    tx.apply(&[text(-1, "a1"), text(-1, "a2"), text(-2, "b1")], 1_000)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let first = s.take_outbox(1_000, 60_000, 10).await.unwrap();
    let texts: Vec<_> = first
        .iter()
        .map(|i| match &i.action {
            OutAction::Text { text, .. } => text.clone(),
            _ => String::new(),
        })
        .collect();
    assert_eq!(texts, ["a1", "b1"]);
    // Leased: nobody else gets them, and a2 waits behind a1.
    assert!(s.take_outbox(1_001, 60_000, 10).await.unwrap().is_empty());
    s.outbox_sent(&first[0], Some(77), 1_002).await.unwrap();
    let next = s.take_outbox(1_003, 60_000, 10).await.unwrap();
    assert_eq!(next.len(), 1);
    assert!(matches!(&next[0].action, OutAction::Text { text, .. } if text == "a2"));
    // A retry later than now hides it until then; a failure ends it.
    s.outbox_retry(next[0].id, 5_000, "502", true)
        .await
        .unwrap();
    assert!(s.take_outbox(4_999, 60_000, 10).await.unwrap().is_empty());
    let again = s.take_outbox(5_000, 60_000, 10).await.unwrap();
    assert_eq!(again[0].attempts, 1);
    s.outbox_failed(again[0].id, "chat not found")
        .await
        .unwrap();
    let stats = s.outbox_stats().await.unwrap();
    assert_eq!((stats.pending, stats.sent, stats.failed), (1, 1, 1));
}

async fn an_expired_lease_lets_another_sender_take_the_item(s: &Store) {
    let mut tx = s.begin().await.unwrap();
    tx.apply(&[text(-1, "a1")], 1_000).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(s.take_outbox(1_000, 100, 10).await.unwrap().len(), 1);
    assert!(s.take_outbox(1_050, 100, 10).await.unwrap().is_empty());
    assert_eq!(s.take_outbox(1_100, 100, 10).await.unwrap().len(), 1);
}

async fn a_supergroup_upgrade_moves_the_binding_roles_and_petitions(s: &Store) {
    let mut tx = s.begin().await.unwrap();
    tx.apply(
        &[
            Effect::Bind {
                grid: grid(),
                title: None,
            },
            Effect::SetRole {
                grid: grid(),
                person: person(10),
                role: Role::Worker,
            },
            Effect::NewPetition(petition(1, -1)),
            text(-1, "queued"),
            Effect::MigrateChat { from: -1, to: -100 },
        ],
        1_000,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.begin().await.unwrap();
    let g = tx.grid(-100).await.unwrap().expect("binding moved");
    assert_eq!(g.community, "欣锦苑社区");
    let staff = tx.staff(&g).await.unwrap();
    assert_eq!(staff.len(), 1);
    assert_eq!(staff[0].role, Role::Worker);
    tx.commit().await.unwrap();
    assert_eq!(
        s.petition(PetitionNo(1)).await.unwrap().unwrap().chat_id,
        -100
    );
    assert_eq!(
        s.take_outbox(2_000, 1_000, 10).await.unwrap()[0].chat_id,
        -100
    );
}

async fn one_holder_has_a_lease_until_it_expires(s: &Store) {
    assert!(s.hold_lease("poller", "a", 1_000, 5_000).await.unwrap());
    assert!(!s.hold_lease("poller", "b", 2_000, 5_000).await.unwrap());
    assert!(
        s.hold_lease("poller", "a", 3_000, 5_000).await.unwrap(),
        "renewal"
    );
    assert!(!s.hold_lease("poller", "b", 7_999, 5_000).await.unwrap());
    assert!(
        s.hold_lease("poller", "b", 8_001, 5_000).await.unwrap(),
        "expired: taken over"
    );
    assert!(!s.hold_lease("poller", "a", 8_002, 5_000).await.unwrap());
    s.release_lease("poller", "b").await.unwrap();
    assert!(
        s.hold_lease("poller", "a", 8_003, 5_000).await.unwrap(),
        "released"
    );
}

mod board;
mod figures;
mod forget;
mod outcome;
mod retention;
