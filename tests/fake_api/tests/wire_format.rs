//! The exact JSON teloxide 0.17 puts on the wire for the calls gridbot makes,
//! pinned so a teloxide upgrade that changes them fails here first, and so
//! end-to-end tests know what to look for in `Call::params`.

use gridbot_fake_api::{FakeApi, TOKEN};
use serde_json::{Value, json};
use teloxide::prelude::*;
use teloxide::types::{
    AllowedUpdate, BotCommand, CallbackQueryId, InlineKeyboardButton, InlineKeyboardMarkup,
    MessageEntity, MessageId, ParseMode, ReactionType, ReplyParameters, User, UserId,
};

fn bot(api: &FakeApi) -> Bot {
    Bot::new(TOKEN).set_api_url(api.api_url().parse().expect("a valid url"))
}

fn last_params(api: &FakeApi, method: &str) -> Value {
    let calls = api.calls_to(method);
    let call = calls
        .last()
        .unwrap_or_else(|| panic!("no call to {method}"));
    println!("{method}: {}", call.params);
    call.params.clone()
}

fn keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        InlineKeyboardButton::callback("接单", "claim:3"),
        InlineKeyboardButton::callback("完成", "done:3"),
    ]])
}

#[tokio::test]
async fn send_message_with_reply_keyboard_and_mentions() {
    let api = FakeApi::start().await;
    let alice = User {
        id: UserId(1001),
        is_bot: false,
        first_name: "阿丽".into(),
        last_name: None,
        username: None,
        language_code: None,
        is_premium: false,
        added_to_attachment_menu: false,
    };
    let sent = bot(&api)
        .send_message(ChatId(-42), "阿丽 请处理 @bob_w")
        .reply_parameters(ReplyParameters::new(MessageId(7)).allow_sending_without_reply())
        .entities(vec![
            MessageEntity::text_mention(alice, 0, 2),
            MessageEntity::text_mention_id(UserId(1002), 6, 6),
        ])
        .reply_markup(keyboard())
        .disable_notification(true)
        .await
        .expect("sendMessage answers");
    assert_eq!(
        last_params(&api, "sendMessage"),
        json!({
            "chat_id": -42,
            "text": "阿丽 请处理 @bob_w",
            "entities": [
                {"type": "text_mention", "offset": 0, "length": 2,
                 "user": {"id": 1001, "is_bot": false, "first_name": "阿丽"}},
                {"type": "text_link", "offset": 6, "length": 6, "url": "tg://user/?id=1002"},
            ],
            "disable_notification": true,
            "reply_parameters": {"message_id": 7, "allow_sending_without_reply": true},
            "reply_markup": {"inline_keyboard": [[
                {"text": "接单", "callback_data": "claim:3"},
                {"text": "完成", "callback_data": "done:3"},
            ]]},
        })
    );
    let markup = sent.reply_markup().expect("the keyboard is echoed");
    assert_eq!(markup.inline_keyboard[0].len(), 2);
    let sent = &api.sent_to(-42)[0];
    assert_eq!(sent.reply_to, Some(7));
    assert!(sent.entities.is_some() && sent.reply_markup.is_some());
}

#[tokio::test]
async fn html_text_is_sent_as_is_with_its_parse_mode() {
    let api = FakeApi::start().await;
    bot(&api)
        .send_message(ChatId(1001), "<b>#3</b> 已派单")
        .parse_mode(ParseMode::Html)
        .await
        .expect("sendMessage answers");
    assert_eq!(
        last_params(&api, "sendMessage"),
        json!({"chat_id": 1001, "text": "<b>#3</b> 已派单", "parse_mode": "HTML"})
    );
    assert_eq!(api.sent_messages()[0].parse_mode.as_deref(), Some("HTML"));
}

#[tokio::test]
async fn reactions_callbacks_edits_and_setup_calls() {
    let api = FakeApi::start().await;
    let bot = bot(&api);
    bot.set_message_reaction(ChatId(-42), MessageId(10))
        .reaction(vec![ReactionType::Emoji {
            emoji: "👍".into()
        }])
        .await
        .expect("setMessageReaction answers");
    assert_eq!(
        last_params(&api, "setMessageReaction"),
        json!({"chat_id": -42, "message_id": 10, "reaction": [{"type": "emoji", "emoji": "👍"}]})
    );

    bot.answer_callback_query(CallbackQueryId("cb-1".into()))
        .text("已接单")
        .show_alert(true)
        .await
        .expect("answerCallbackQuery answers");
    assert_eq!(
        last_params(&api, "answerCallbackQuery"),
        json!({"callback_query_id": "cb-1", "text": "已接单", "show_alert": true})
    );

    let sent = bot
        .send_message(ChatId(-42), "工单 #3")
        .reply_markup(keyboard())
        .await
        .unwrap();
    let edited = bot
        .edit_message_reply_markup(ChatId(-42), sent.id)
        .await
        .expect("editMessageReplyMarkup answers");
    assert!(
        edited.reply_markup().is_none(),
        "an edit without markup drops the keyboard"
    );
    assert_eq!(
        last_params(&api, "editMessageReplyMarkup"),
        json!({"chat_id": -42, "message_id": 1_000_000})
    );
    let again = bot.edit_message_reply_markup(ChatId(-42), sent.id).await;
    assert!(
        matches!(
            again,
            Err(teloxide::RequestError::Api(
                teloxide::ApiError::MessageNotModified
            ))
        ),
        "{again:?}"
    );

    let edited = bot
        .edit_message_text(ChatId(-42), sent.id, "工单 #3 已完成")
        .await
        .expect("editMessageText answers");
    assert_eq!(edited.text(), Some("工单 #3 已完成"));
    assert_eq!(
        last_params(&api, "editMessageText"),
        json!({"chat_id": -42, "message_id": 1_000_000, "text": "工单 #3 已完成"})
    );

    bot.set_my_commands([BotCommand::new("claim", "接单")])
        .await
        .unwrap();
    assert_eq!(
        last_params(&api, "setMyCommands"),
        json!({"commands": [{"command": "claim", "description": "接单"}]})
    );
    assert_eq!(bot.get_my_commands().await.unwrap()[0].command, "claim");

    bot.get_updates()
        .offset(5)
        .timeout(0)
        .allowed_updates([AllowedUpdate::Message, AllowedUpdate::CallbackQuery])
        .await
        .unwrap();
    assert_eq!(
        last_params(&api, "getUpdates"),
        json!({"offset": 5, "timeout": 0, "allowed_updates": ["message", "callback_query"]})
    );

    bot.delete_webhook().await.unwrap();
    assert_eq!(last_params(&api, "deleteWebhook"), json!({}));
    let chat = bot.get_chat(ChatId(-42)).await.expect("getChat answers");
    assert_eq!(chat.title(), Some("Group -42"));
    assert!(
        api.unknown_methods().is_empty(),
        "{:?}",
        api.unknown_methods()
    );
}
