//! What storage loads for a petition's outcome: the visit list, merged duplicates.

use super::{grid, person, petition};
use crate::Store;
use crate::testing::on_both;
use gridbot_handlers::context::ListKind;
use gridbot_handlers::effect::Effect;
use gridbot_handlers::incoming::{ChatKind, Incoming, Msg, ReplyTo};
use gridbot_handlers::model::*;
use gridbot_handlers::{Context, Settings, Wants};

on_both!(
    visits_are_this_weeks_troubled_and_long_running_petitions_oldest_first,
    a_reply_to_a_merged_duplicate_belongs_to_the_petition_it_joined,
);

const DAY: i64 = 24 * 3_600_000;
const NOW: i64 = 100 * DAY;

async fn visits_are_this_weeks_troubled_and_long_running_petitions_oldest_first(s: &Store) {
    let at = |n: i64, chat: i64, state: State, age_days: i64| {
        let mut p = petition(n, chat);
        p.state = state;
        p.created_at = NOW - age_days * DAY;
        p
    };
    let mut unhappy = at(1, -1, State::Claimed, 10);
    unhappy.rating = Some(Rating::Unsatisfied);
    unhappy.reopened = 1;
    let mut escalated = at(2, -1, State::Escalated, 0);
    escalated.escalated = true;
    let long_running = at(3, -1, State::Claimed, 8);
    let fresh = at(4, -1, State::Claimed, 1);
    let mut escalated_long_ago = at(5, -1, State::Closed, 30);
    escalated_long_ago.escalated = true;
    escalated_long_ago.closed_at = Some(NOW - 10 * DAY);
    let mut escalated_this_week = at(6, -1, State::Closed, 20);
    escalated_this_week.escalated = true;
    escalated_this_week.closed_at = Some(NOW - 2 * DAY);
    let mut merged = at(7, -1, State::Merged, 9);
    merged.escalated = true;
    let mut reopened_resolved = at(8, -1, State::Resolved, 3);
    reopened_resolved.reopened = 1;
    reopened_resolved.resolved_at = Some(NOW - DAY);
    let mut other_grid = at(9, -2, State::Escalated, 2);
    other_grid.escalated = true;
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
    for p in [
        unhappy,
        escalated,
        long_running,
        fresh,
        escalated_long_ago,
        escalated_this_week,
        merged,
        reopened_resolved,
        other_grid,
    ] {
        effects.push(Effect::NewPetition(p));
    }
    let mut tx = s.begin().await.unwrap();
    tx.apply(&effects, NOW).await.unwrap();
    tx.commit().await.unwrap();

    let inc = said("/visits", None);
    let mut ctx = Context {
        grid: Some(grid()),
        role: Role::Worker,
        ..Context::default()
    };
    let w = Wants {
        list: Some(ListKind::Visits),
        ..Wants::default()
    };
    let mut tx = s.begin().await.unwrap();
    tx.load(&inc, &mut ctx, &w, &Settings::for_tests(), NOW)
        .await
        .unwrap();
    drop(tx);
    let listed: Vec<i64> = ctx.list.iter().map(|p| p.number.0).collect();
    assert_eq!(listed, [6, 1, 3, 8, 2]);
}

/// Person 10 writes in grid -1, perhaps as a reply to message `to`.
fn said(text: &str, to: Option<MsgId>) -> Incoming {
    Incoming::Message(Msg {
        chat_id: -1,
        chat_kind: ChatKind::Group,
        chat_title: None,
        message_id: 1,
        from: Some(person(10)),
        from_bot: false,
        text: text.into(),
        media: None,
        reply_to: to.map(|message_id| ReplyTo {
            message_id,
            from: None,
            from_bot: true,
        }),
        date: NOW,
        service: false,
    })
}

async fn a_reply_to_a_merged_duplicate_belongs_to_the_petition_it_joined(s: &Store) {
    let kept = petition(1, -1);
    let mut dup = petition(2, -1);
    dup.state = State::Merged;
    dup.merged_into = Some(PetitionNo(1));
    let effects = [
        Effect::Bind {
            grid: grid(),
            title: None,
        },
        Effect::NewPetition(kept),
        Effect::NewPetition(dup),
        Effect::LinkMessage {
            number: PetitionNo(2),
            chat_id: -1,
            message_id: 77,
        },
    ];
    let mut tx = s.begin().await.unwrap();
    tx.apply(&effects, NOW).await.unwrap();
    tx.commit().await.unwrap();
    let inc = said("还是没人来修", Some(77));
    let mut ctx = Context {
        grid: Some(grid()),
        ..Context::default()
    };
    let w = Wants {
        reply_to: Some(77),
        ..Wants::default()
    };
    let mut tx = s.begin().await.unwrap();
    tx.load(&inc, &mut ctx, &w, &Settings::for_tests(), NOW)
        .await
        .unwrap();
    drop(tx);
    assert_eq!(ctx.reply_petition.map(|p| p.number), Some(PetitionNo(1)));
}
