//! The fake as the real teloxide client sees it: answers it deserializes,
//! and errors it classifies the way it classifies Telegram's.

use std::time::{Duration, Instant};

use gridbot_fake_api::{Failure, FakeApi, Options, TOKEN};
use teloxide::prelude::*;
use teloxide::types::{InputFile, MessageId, ReplyParameters};
use teloxide::{ApiError, RequestError};

fn bot(api: &FakeApi) -> Bot {
    Bot::new(TOKEN).set_api_url(api.api_url().parse().expect("a valid url"))
}

#[tokio::test]
async fn get_me_describes_the_bot_with_its_privacy_mode() {
    let opts = Options {
        can_read_all_group_messages: false,
        ..Options::default()
    };
    let api = FakeApi::start_with(opts).await;
    let me = bot(&api).get_me().await.expect("getMe answers");
    assert_eq!(me.username(), "gridbot_test_bot");
    assert!(me.is_bot && me.can_join_groups && !me.can_read_all_group_messages);
    assert_eq!(
        api.calls_to("GETME").len(),
        1,
        "method names match case-insensitively"
    );
}

#[tokio::test]
async fn send_message_echoes_text_chat_and_reply_and_is_recorded() {
    let api = FakeApi::start().await;
    let bot = bot(&api);
    let first = bot
        .send_message(ChatId(-42), "工单 #1")
        .reply_parameters(ReplyParameters::new(MessageId(7)))
        .await
        .expect("sendMessage answers");
    let second = bot.send_message(ChatId(-42), "工单 #2").await.unwrap();
    let private = bot.send_message(ChatId(1001), "你好").await.unwrap();
    assert_eq!(
        (first.id.0, second.id.0, private.id.0),
        (1_000_000, 1_000_001, 1_000_000)
    );
    assert_eq!(first.text(), Some("工单 #1"));
    assert_eq!(first.chat.id, ChatId(-42));
    assert!(first.chat.is_group() && private.chat.is_private());
    assert_eq!(first.reply_to_message().map(|m| m.id), Some(MessageId(7)));
    let sent = api.sent_to(-42);
    assert_eq!(sent.len(), 2);
    assert_eq!((sent[0].reply_to, sent[1].reply_to), (Some(7), None));
    assert_eq!(sent[0].text, "工单 #1");
    assert_eq!(api.sent_messages().len(), 3);
}

#[tokio::test]
async fn get_updates_drops_for_good_what_an_offset_confirms() {
    let api = FakeApi::start().await;
    let bot = bot(&api);
    let ids: Vec<i64> = (0..3)
        .map(|_| api.push_update(gridbot_fake_api::fixtures::poll("p", "q")))
        .collect();
    assert_eq!(ids, [1, 2, 3]);
    let all = bot.get_updates().await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!((api.confirmed_offset(), api.pending_updates()), (0, 3));
    let rest = bot.get_updates().offset(3).limit(10).await.unwrap();
    assert_eq!(rest.iter().map(|u| u.id.0).collect::<Vec<_>>(), [3]);
    assert_eq!((api.confirmed_offset(), api.pending_updates()), (3, 1));
    let again = bot.get_updates().offset(1).await.unwrap();
    assert_eq!(again.len(), 1, "confirmed updates never come back");
    bot.get_updates().offset(4).await.unwrap();
    assert_eq!((api.confirmed_offset(), api.pending_updates()), (4, 0));
}

#[tokio::test]
async fn a_long_poll_returns_as_soon_as_an_update_arrives() {
    let api = FakeApi::start().await;
    let poll = tokio::spawn(bot(&api).get_updates().timeout(30).into_future());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    api.push_update(gridbot_fake_api::fixtures::poll("p", "q"));
    let updates = poll.await.unwrap().unwrap();
    assert_eq!(updates.len(), 1);
    assert!(started.elapsed() < Duration::from_millis(500));
    let started = Instant::now();
    assert!(
        bot(&api)
            .get_updates()
            .offset(2)
            .timeout(30)
            .await
            .unwrap()
            .is_empty()
    );
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(2) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
}

#[tokio::test]
async fn a_second_poller_gets_409_and_a_vanished_one_frees_the_slot() {
    let api = FakeApi::start().await;
    let first = tokio::spawn(bot(&api).get_updates().timeout(2).into_future());
    assert!(
        api.wait_until(Duration::from_secs(2), |a| a.calls_to("getUpdates").len()
            == 1)
            .await
    );
    let second = bot(&api).get_updates().await;
    assert!(
        matches!(
            second,
            Err(RequestError::Api(ApiError::TerminatedByOtherGetUpdates))
        ),
        "{second:?}"
    );
    first.abort();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let third = bot(&api).get_updates().await;
    assert!(
        third.is_ok(),
        "the aborted poll must not hold the slot: {third:?}"
    );
}

#[tokio::test]
async fn injected_429_is_retry_after_and_is_counted() {
    let api = FakeApi::start().await;
    api.fail_next(
        "sendMessage",
        Failure::TooManyRequests { retry_after: 7 },
        2,
    );
    let bot = bot(&api);
    for _ in 0..2 {
        let err = bot.send_message(ChatId(-1), "x").await.unwrap_err();
        assert!(
            matches!(err, RequestError::RetryAfter(s) if s.seconds() == 7),
            "{err:?}"
        );
    }
    bot.send_message(ChatId(-1), "x")
        .await
        .expect("only two fail");
    assert_eq!(api.too_many_requests(), 2);
    assert_eq!(
        api.calls_to("sendmessage").len(),
        3,
        "failed calls are recorded"
    );
    assert_eq!(api.sent_messages().len(), 1);
}

#[tokio::test]
async fn bad_gateway_is_an_api_error_that_teloxide_delays_ten_seconds() {
    let api = FakeApi::start().await;
    api.fail_next("getMe", Failure::Status(502), 1);
    let started = Instant::now();
    let err = bot(&api).get_me().await.unwrap_err();
    assert!(
        matches!(&err, RequestError::Api(ApiError::Unknown(d)) if d == "Bad Gateway"),
        "{err:?}"
    );
    // teloxide sleeps 10 s before reading any 5xx body (DELAY_ON_SERVER_ERROR).
    assert!(started.elapsed() >= Duration::from_secs(10));
}

#[tokio::test]
async fn a_dropped_connection_is_a_network_error() {
    let api = FakeApi::start().await;
    api.fail_next("sendMessage", Failure::DropConnection, 1);
    let bot = bot(&api);
    let err = bot.send_message(ChatId(-1), "x").await.unwrap_err();
    assert!(matches!(err, RequestError::Network(_)), "{err:?}");
    assert!(api.sent_messages().is_empty());
    bot.send_message(ChatId(-1), "x")
        .await
        .expect("the next call is answered");
    assert_eq!(
        api.calls_to("sendMessage").len(),
        2,
        "reqwest did not retry on its own"
    );
}

#[tokio::test]
async fn permanent_errors_name_the_chat_problem() {
    let api = FakeApi::start().await;
    let bot = bot(&api);
    api.set_chat_gone(-5);
    api.set_chat_migrated(-6, -1_000_000_000_006);
    api.fail_next("sendMessage", Failure::Status(400), 1);
    let not_found = bot.send_message(ChatId(-7), "x").await.unwrap_err();
    assert!(
        matches!(not_found, RequestError::Api(ApiError::ChatNotFound)),
        "{not_found:?}"
    );
    let gone = bot.send_message(ChatId(-5), "x").await.unwrap_err();
    assert!(
        matches!(&gone, RequestError::Api(ApiError::Unknown(d)) if d == "Forbidden: bot was kicked from the group chat"),
        "{gone:?}"
    );
    let moved = bot.send_message(ChatId(-6), "x").await.unwrap_err();
    assert!(
        matches!(moved, RequestError::MigrateToChatId(c) if c.0 == -1_000_000_000_006),
        "{moved:?}"
    );
    assert!(api.sent_messages().is_empty());
}

#[tokio::test]
async fn enforced_limits_refuse_a_burst_into_one_group() {
    let api = FakeApi::start_with(Options {
        enforce_limits: true,
        ..Options::default()
    })
    .await;
    let bot = bot(&api);
    let mut refused = Vec::new();
    for i in 0..25 {
        match bot.send_message(ChatId(-9), format!("#{i}")).await {
            Ok(_) => {}
            Err(RequestError::RetryAfter(s)) => refused.push(s.seconds()),
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(api.sent_to(-9).len(), 20);
    assert_eq!(refused.len(), 5);
    assert!(refused.iter().all(|s| (50..=60).contains(s)), "{refused:?}");
    assert_eq!(api.too_many_requests(), 5);
    bot.send_message(ChatId(-10), "another group")
        .await
        .expect("limits are per chat");
}

#[tokio::test]
async fn send_photo_arrives_as_multipart_and_is_recorded() {
    let api = FakeApi::start().await;
    let png = vec![0x89u8; 3000];
    let message = bot(&api)
        .send_photo(ChatId(-3), InputFile::memory(png).file_name("report.png"))
        .caption("图表")
        .reply_parameters(ReplyParameters::new(MessageId(5)))
        .await
        .expect("sendPhoto answers");
    assert_eq!(message.caption(), Some("图表"));
    assert!(message.photo().is_some());
    let sent = api.sent_to(-3);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].photo_bytes, sent[0].reply_to),
        (Some(3000), Some(5))
    );
    assert_eq!(sent[0].text, "图表");
    let call = &api.calls_to("sendPhoto")[0];
    assert_eq!(call.params["chat_id"], "-3");
    assert_eq!(call.params["photo"]["__file_bytes"], 3000);
}

#[tokio::test]
async fn unknown_methods_answer_true_and_are_listed() {
    let api = FakeApi::start().await;
    // getMyName expects an object, so teloxide cannot read the `true`.
    let err = bot(&api).get_my_name().await.unwrap_err();
    assert!(matches!(err, RequestError::InvalidJson { .. }), "{err:?}");
    bot(&api)
        .delete_webhook()
        .await
        .expect("known methods answer true");
    assert_eq!(api.unknown_methods(), ["getmyname"]);
}

#[tokio::test]
async fn a_wrong_token_is_unauthorized_and_not_recorded() {
    let api = FakeApi::start().await;
    let wrong = Bot::new("1:wrong").set_api_url(api.api_url().parse().unwrap());
    let err = wrong.get_me().await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::InvalidToken)),
        "{err:?}"
    );
    assert!(api.calls().is_empty());
}
