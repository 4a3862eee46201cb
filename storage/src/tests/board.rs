//! The live board's rows: a post becomes the board and is pinned when sent; an edit of a
//! deleted board forgets it.

use super::{grid, petition, text};
use crate::testing::on_both;
use crate::{OutboxItem, Store};
use gridbot_handlers::board::{self, Step};
use gridbot_handlers::effect::{Effect, OutAction};
use gridbot_handlers::model::*;

on_both!(
    a_posted_board_is_pinned_once_sent_and_forgotten_when_its_message_is_gone,
    a_group_the_bot_left_has_no_board,
);

async fn next(s: &Store, now: Millis) -> OutboxItem {
    let mut items = s.take_outbox(now, 60_000, 10).await.unwrap();
    assert_eq!(items.len(), 1, "one item due: {items:?}");
    items.remove(0)
}

async fn a_posted_board_is_pinned_once_sent_and_forgotten_when_its_message_is_gone(s: &Store) {
    let chat = grid().chat_id;
    let tz = gridbot_handlers::Settings::for_tests().tz;
    let mut tx = s.begin().await.unwrap();
    let mut other = petition(2, -2);
    other.state = State::Open;
    let mut done = petition(3, chat);
    done.state = State::Closed;
    let effects = [
        Effect::Bind {
            grid: grid(),
            title: None,
        },
        Effect::NewPetition(petition(1, chat)),
        Effect::NewPetition(other),
        Effect::NewPetition(done),
    ];
    tx.apply(&effects, 1_000).await.unwrap();
    tx.commit().await.unwrap();

    let groups = s.board_groups().await.unwrap();
    assert_eq!(groups.len(), 1, "only bound groups");
    let numbers: Vec<_> = groups[0].petitions.iter().map(|p| p.number.0).collect();
    assert_eq!(numbers, [1], "this group's active petitions");
    assert_eq!(groups[0].stored, None);

    let b = board::render(&groups[0].petitions, 2_000, tz);
    s.board_queue(chat, &b, Step::Post, 2_000).await.unwrap();
    let stored = s.board_groups().await.unwrap()[0].stored.clone().unwrap();
    assert!(stored.posting && stored.message_id.is_none());
    assert_eq!((stored.content, stored.updated_at), (b.content, 2_000));

    // Sent: the board is that message, and its pin is queued in the same transaction.
    let post = next(s, 2_000).await;
    assert!(matches!(&post.action, OutAction::Text { text, .. } if *text == b.text));
    s.outbox_sent(&post, Some(900), 2_100).await.unwrap();
    let stored = s.board_groups().await.unwrap()[0].stored.clone().unwrap();
    assert_eq!((stored.posting, stored.message_id), (false, Some(900)));
    let pin = next(s, 2_200).await;
    assert_eq!(pin.action, OutAction::Pin { message_id: 900 });
    s.outbox_sent(&pin, None, 2_300).await.unwrap();

    // Another text about no petition is no board and gets no pin.
    let mut tx = s.begin().await.unwrap();
    tx.apply(&[text(chat, "你好")], 3_000).await.unwrap();
    tx.commit().await.unwrap();
    let hello = next(s, 3_000).await;
    s.outbox_sent(&hello, Some(901), 3_100).await.unwrap();
    assert!(s.take_outbox(3_200, 60_000, 10).await.unwrap().is_empty());

    // An edit keeps the message and stores the new fingerprints.
    let edited = board::render(&[], 70_000, tz);
    s.board_queue(chat, &edited, Step::Edit(900), 70_000)
        .await
        .unwrap();
    let stored = s.board_groups().await.unwrap()[0].stored.clone().unwrap();
    assert_eq!(stored.message_id, Some(900));
    assert_eq!(
        (stored.content, stored.updated_at),
        (edited.content, 70_000)
    );
    let edit = next(s, 70_000).await;
    assert_eq!(
        edit.action,
        OutAction::EditText {
            message_id: 900,
            text: edited.text.clone()
        }
    );
    // The board was deleted: the edit fails for good and the board is forgotten.
    s.outbox_gone(&edit, "message to edit not found")
        .await
        .unwrap();
    let stored = s.board_groups().await.unwrap()[0].stored.clone().unwrap();
    assert_eq!((stored.posting, stored.message_id), (false, None));
    assert_eq!(s.outbox_stats().await.unwrap().failed, 1);
}

async fn a_group_the_bot_left_has_no_board(s: &Store) {
    let chat = grid().chat_id;
    let mut tx = s.begin().await.unwrap();
    let effects = [
        Effect::Bind {
            grid: grid(),
            title: None,
        },
        Effect::NewPetition(petition(1, chat)),
        Effect::ChatPresence {
            chat_id: chat,
            present: false,
        },
    ];
    tx.apply(&effects, 1_000).await.unwrap();
    tx.commit().await.unwrap();
    assert!(s.board_groups().await.unwrap().is_empty());
}
