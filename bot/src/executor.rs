//! The one module that calls Bot API methods for outgoing work: each outbox item becomes
//! one call, and each failure is sorted into "try again" or "never".

use gridbot_handlers::effect::{Button, Mention, OutAction};
use gridbot_handlers::model::{MsgId, Role};
use gridbot_storage::OutboxItem;
use std::time::Duration;
use teloxide::payloads::{
    AnswerCallbackQuerySetters, EditMessageReplyMarkupSetters, PinChatMessageSetters,
    SendMessageSetters, SendPhotoSetters, SetMessageReactionSetters,
};
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, BotCommandScope, CallbackQueryId, InlineKeyboardButton, InlineKeyboardMarkup,
    InputFile, MessageEntity, MessageId, ReactionType, Recipient, ReplyParameters, User, UserId,
};
use teloxide::{ApiError, RequestError};

#[derive(Debug)]
pub enum SendError {
    /// Telegram asked us to wait (429): not the message's fault.
    RetryAfter(Duration),
    /// A 5xx, a timeout or a dropped connection: back off and try again.
    Transient(String),
    /// The chat became a supergroup: send there instead.
    Migrated(i64),
    /// Telegram will never accept it (chat gone, bot removed, bad request).
    Permanent(String),
    /// The message to edit is gone (deleted, or too old to edit): never, and whoever
    /// relies on that message must know.
    Gone(String),
}

fn keyboard(rows: &[Vec<Button>]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.iter().map(|row| {
        row.iter()
            .map(|b| InlineKeyboardButton::callback(b.label.clone(), b.data.clone()))
            .collect::<Vec<_>>()
    }))
}

/// Text mentions (Telegram notifies the person even without a username).
fn entities(m: &[Mention]) -> Vec<MessageEntity> {
    m.iter()
        .map(|m| {
            let user = User {
                id: UserId(m.user_id as u64),
                is_bot: false,
                first_name: "user".into(),
                last_name: None,
                username: None,
                language_code: None,
                is_premium: false,
                added_to_attachment_menu: false,
            };
            MessageEntity::text_mention(user, m.offset, m.length)
        })
        .collect()
}

/// Carry out one outbox item. Returns the sent message's id where there is one.
pub async fn execute(bot: &Bot, item: &OutboxItem) -> Result<Option<MsgId>, SendError> {
    let chat = ChatId(item.chat_id);
    let r = match &item.action {
        OutAction::Text {
            text,
            reply_to,
            mentions,
            buttons,
        } => {
            let mut req = bot.send_message(chat, gridbot_handlers::text::fit(text));
            if let Some(id) = reply_to {
                req = req.reply_parameters(
                    ReplyParameters::new(MessageId(*id)).allow_sending_without_reply(),
                );
            }
            if !mentions.is_empty() {
                req = req.entities(entities(mentions));
            }
            if !buttons.is_empty() {
                req = req.reply_markup(keyboard(buttons));
            }
            req.await.map(|m| Some(m.id.0))
        }
        OutAction::React { message_id, emoji } => bot
            .set_message_reaction(chat, MessageId(*message_id))
            .reaction(vec![ReactionType::Emoji {
                emoji: emoji.clone(),
            }])
            .await
            .map(|_| None),
        OutAction::SetButtons {
            message_id,
            buttons,
        } => {
            let mut req = bot.edit_message_reply_markup(chat, MessageId(*message_id));
            if !buttons.is_empty() {
                req = req.reply_markup(keyboard(buttons));
            }
            req.await.map(|_| None)
        }
        OutAction::AnswerCallback { callback_id, text } => bot
            .answer_callback_query(CallbackQueryId(callback_id.clone()))
            .text(text.clone())
            .await
            .map(|_| None),
        OutAction::Photo {
            caption,
            png_base64,
        } => {
            let bytes = decode_base64(png_base64).map_err(SendError::Permanent)?;
            bot.send_photo(chat, InputFile::memory(bytes).file_name("chart.png"))
                .caption(gridbot_handlers::text::fit(caption))
                .await
                .map(|m| Some(m.id.0))
        }
        OutAction::Menu { user_id, role } => {
            let scope = BotCommandScope::ChatMember {
                chat_id: Recipient::Id(chat),
                user_id: UserId(*user_id as u64),
            };
            if *role == Role::Resident {
                bot.delete_my_commands().scope(scope).await.map(|_| None)
            } else {
                bot.set_my_commands(menu(*role))
                    .scope(scope)
                    .await
                    .map(|_| None)
            }
        }
        OutAction::EditText { message_id, text } => {
            let r = bot
                .edit_message_text(
                    chat,
                    MessageId(*message_id),
                    gridbot_handlers::text::fit(text),
                )
                .await;
            return match r {
                Ok(_) => Ok(None),
                // Already showing this text (a repeat after a restart): done.
                Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(None),
                Err(RequestError::Api(
                    e @ (ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited),
                )) => Err(SendError::Gone(e.to_string())),
                Err(e) => Err(classify(e)),
            };
        }
        OutAction::Pin { message_id } => bot
            .pin_chat_message(chat, MessageId(*message_id))
            .disable_notification(true)
            .await
            .map(|_| None),
    };
    r.map_err(classify)
}

/// The commands a role sees in Telegram's menu.
pub fn menu(role: Role) -> Vec<BotCommand> {
    gridbot_handlers::text::role_menu(role)
        .into_iter()
        .map(|(c, d)| BotCommand::new(c, d))
        .collect()
}

fn classify(e: RequestError) -> SendError {
    match e {
        RequestError::RetryAfter(s) => SendError::RetryAfter(s.duration()),
        RequestError::MigrateToChatId(id) => SendError::Migrated(id.0),
        RequestError::Network(e) => SendError::Transient(e.to_string()),
        RequestError::Io(e) => SendError::Transient(e.to_string()),
        RequestError::InvalidJson { source, .. } => {
            SendError::Transient(format!("invalid response: {source}"))
        }
        RequestError::Api(api) => classify_api(api),
    }
}

fn classify_api(api: ApiError) -> SendError {
    let text = api.to_string();
    match api {
        ApiError::MessageNotModified => SendError::Permanent(text),
        ApiError::Unknown(d)
            if d.contains("Bad Gateway")
                || d.contains("Internal Server Error")
                || d.contains("Service Unavailable")
                || d.contains("Gateway Timeout")
                || d.contains("Too Many Requests") =>
        {
            SendError::Transient(d)
        }
        _ => SendError::Permanent(text),
    }
}

/// Minimal standard base64 decoder (the outbox stores chart PNGs as base64).
pub fn decode_base64(s: &str) -> Result<Vec<u8>, String> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let clean: Vec<u8> = s
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= val(*c).ok_or("invalid base64")? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Ok(out)
}

/// Standard base64 with padding.
pub fn encode_base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let mut acc = 0u32;
        for (i, b) in chunk.iter().enumerate() {
            acc |= (*b as u32) << (16 - 8 * i);
        }
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((acc >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for data in [&b""[..], b"a", b"ab", b"abc", b"\x89PNG\r\n\x1a\n\x00\xff"] {
            assert_eq!(decode_base64(&encode_base64(data)).unwrap(), data);
        }
        assert_eq!(encode_base64(b"abcd"), "YWJjZA==");
    }

    #[test]
    fn gone_chats_are_permanent_and_gateways_transient() {
        assert!(matches!(
            classify_api(ApiError::ChatNotFound),
            SendError::Permanent(_)
        ));
        assert!(matches!(
            classify_api(ApiError::Unknown(
                "Forbidden: bot was kicked from the group chat".into()
            )),
            SendError::Permanent(_)
        ));
        assert!(matches!(
            classify_api(ApiError::Unknown("Bad Gateway".into())),
            SendError::Transient(_)
        ));
    }
}
