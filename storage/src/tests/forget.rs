//! `/forget`: a resident's own closed petitions lose their personal data; open ones and
//! other residents' stay.

use super::person;
use super::petition;
use super::retention::{CHAT, assert_cleared, people, seed, setup, texts};
use crate::Store;
use crate::testing::on_both;
use gridbot_handlers::effect::Effect;
use gridbot_handlers::incoming::{ChatKind, Incoming, Msg};
use gridbot_handlers::model::*;
use gridbot_handlers::{Context, Settings, Wants};

on_both!(forget_clears_only_the_senders_closed_petitions);

/// What `/forget` from `user` sees before it clears anything.
async fn forget_view(s: &Store, user: i64) -> gridbot_handlers::context::ForgetView {
    let inc = Incoming::Message(Msg {
        chat_id: CHAT,
        chat_kind: ChatKind::Group,
        chat_title: None,
        message_id: 999,
        from: Some(person(user)),
        from_bot: false,
        text: "/forget".into(),
        media: None,
        reply_to: None,
        date: 0,
        service: false,
    });
    let settings = Settings::for_tests();
    let mut tx = s.begin().await.unwrap();
    let mut ctx = Context::default();
    let w = Wants {
        forget: true,
        ..Wants::default()
    };
    tx.load(&inc, &mut ctx, &w, &settings, 100_000)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    ctx.forget
}

async fn forget_clears_only_the_senders_closed_petitions(s: &Store) {
    setup(s).await;
    let mine = seed(s, 1, State::Closed, Some(5_000)).await;
    let other = seed(s, 2, State::Closed, Some(5_000)).await;
    // Petition 3 is also resident 101's, still being handled.
    let mut open = petition(3, CHAT);
    open.resident = person(101);
    open.state = State::Claimed;
    let mut tx = s.begin().await.unwrap();
    tx.apply(&[Effect::NewPetition(open.clone())], 1_000)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let view = forget_view(s, 101).await;
    assert_eq!((view.closed, view.active), (1, 1));
    let mut tx = s.begin().await.unwrap();
    tx.apply(&[Effect::Forget { user: 101 }], 100_000)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_cleared(s, &mine, true).await;
    assert_cleared(s, &other, false).await;
    assert_eq!(s.petition(PetitionNo(3)).await.unwrap(), Some(open));
    let raws = texts(s, "SELECT raw FROM updates ORDER BY update_id", None).await;
    assert_eq!(raws[0], "{}");
    assert!(raws[1].contains("\"id\":102,"), "{raws:?}");
    // Still named by the open petition: the resident's row stays until it closes.
    assert!(people(s).await.contains(&101));
    let again = forget_view(s, 101).await;
    assert_eq!((again.closed, again.active), (0, 1), "nothing twice");
}
