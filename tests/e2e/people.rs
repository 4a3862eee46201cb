//! What residents and staff can ask the bot: help by role, the contact card, templates.

use crate::harness::*;
use gridbot_fake_api::fixtures;

#[tokio::test]
async fn help_shows_each_caller_what_they_may_do() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let r = app.say(GROUP, &resident(1), "/help");
    let text = app.answer_to(GROUP, r, "/status").await.text;
    assert!(
        !text.contains("/claim") && !text.contains("/bind"),
        "{text}"
    );
    let w = app.say(GROUP, &worker(), "/help");
    let text = app.answer_to(GROUP, w, "/claim").await.text;
    assert!(text.contains("例") && !text.contains("/bind"), "{text}");
    let a = app.say(GROUP, &admin(), "/help");
    app.answer_to(GROUP, a, "/bind").await;
}

#[tokio::test]
async fn the_contact_card_shows_who_serves_the_grid_and_their_published_phones() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let p = app.say(GROUP, &worker(), "/phone 0537-2345678");
    app.answer_to(GROUP, p, "0537-2345678").await;
    // A resident cannot publish a phone on the card.
    let bad = app.say(GROUP, &resident(1), "/phone 13800001111");
    app.answer_to(GROUP, bad, "只有本网格").await;
    let c = app.say(GROUP, &resident(1), "/contact");
    let card = app.answer_to(GROUP, c, "民情联系卡").await.text;
    assert!(
        card.contains("网格员") && card.contains("王网格员") && card.contains("0537-2345678"),
        "{card}"
    );
    assert!(!card.contains("13800001111"), "{card}");
}

#[tokio::test]
async fn templates_are_shown_by_code_or_chinese_name_to_staff_only() {
    let app = App::start(FAST).await;
    app.setup_grid().await;
    let a = app.say(GROUP, &worker(), "/template 电梯");
    let by_name = app.answer_to(GROUP, a, "标准答复").await.text;
    let b = app.say(GROUP, &worker(), "/template elevator");
    let by_code = app.answer_to(GROUP, b, "标准答复").await.text;
    assert_eq!(by_name, by_code);
    let c = app.say(GROUP, &worker(), "/template 火星");
    app.answer_to(GROUP, c, "没有「火星」这个类别").await;
    let d = app.say(GROUP, &resident(2), "/template 电梯");
    app.answer_to(GROUP, d, "只有本网格").await;
}

#[tokio::test]
async fn a_private_start_explains_the_bot_and_opens_the_chat_for_alerts() {
    let app = App::start(FAST).await;
    let who = secretary();
    app.push(fixtures::private_text(&who, 1, "/start"));
    app.wait("the private welcome", |a| {
        a.sent_to(who.id).iter().any(|s| s.text.contains("/help"))
    })
    .await;
    app.push(fixtures::private_text(&who, 2, "你好 在吗"));
    app.wait("an answer to plain text in private", |a| {
        a.sent_to(who.id).len() >= 2
    })
    .await;
}
