//! The `Message` objects the fake answers sends and edits with, echoing what
//! the bot sent so teloxide (and the bot) see what Telegram would return.

use serde_json::{Map, Value, json};

use crate::methods::int;
use crate::server::Reply;
use crate::state::State;
use crate::{Options, Sent, fixtures};

const NOT_MODIFIED: &str = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

pub(crate) fn bot_user(opts: &Options) -> Value {
    json!({
        "id": opts.bot_id,
        "is_bot": true,
        "first_name": "Gridbot",
        "username": opts.bot_username,
    })
}

/// Records a `sendMessage`/`sendPhoto` and returns the new message.
pub(crate) fn send(
    state: &mut State,
    opts: &Options,
    method: &str,
    chat_id: i64,
    params: &Value,
) -> Value {
    let message_id = state.next_message_id(chat_id);
    let mut message = json!({
        "message_id": message_id,
        "date": fixtures::now(),
        "chat": state.chat(chat_id),
        "from": bot_user(opts),
    });
    let reply_to = int(&params["reply_parameters"], "message_id")
        .or_else(|| int(params, "reply_to_message_id"));
    if let Some(reply_to) = reply_to {
        message["reply_to_message"] = replied(state, chat_id, reply_to);
    }
    let (text_key, entities_key) = if method == "sendphoto" {
        message["photo"] = photo_sizes(message_id, params);
        ("caption", "caption_entities")
    } else {
        ("text", "entities")
    };
    let text = params[text_key].as_str().unwrap_or("").to_string();
    if method == "sendmessage" || !text.is_empty() {
        message[text_key] = text.clone().into();
    }
    let entities = params.get(entities_key).cloned();
    if let Some(entities) = &entities {
        message[entities_key] = entities.clone();
    }
    let reply_markup = params.get("reply_markup").cloned();
    set_markup(&mut message, reply_markup.as_ref());
    state.remember_message(&message);
    state.sent.push(Sent {
        method: method.to_string(),
        chat_id,
        message_id,
        text,
        parse_mode: params["parse_mode"].as_str().map(str::to_string),
        reply_to: reply_to.map(|id| id as i32),
        reply_markup,
        entities,
        photo_bytes: params["photo"]["__file_bytes"].as_u64().map(|n| n as usize),
    });
    message
}

/// `editMessageText`, `editMessageCaption`, `editMessageReplyMarkup`: the
/// message as edited, `true` for inline messages, and Telegram's "message is
/// not modified" when nothing changes on a message the fake knows.
pub(crate) fn edit(state: &mut State, opts: &Options, method: &str, params: &Value) -> Reply {
    if params.get("inline_message_id").is_some() {
        return Reply::Ok(json!(true));
    }
    let (Some(chat_id), Some(message_id)) = (int(params, "chat_id"), int(params, "message_id"))
    else {
        return Reply::err(400, "Bad Request: message to edit not found");
    };
    let known = state.message(chat_id, message_id).cloned();
    let mut message = known.clone().unwrap_or_else(|| {
        json!({
            "message_id": message_id,
            "date": fixtures::now(),
            "chat": state.chat(chat_id),
            "from": bot_user(opts),
        })
    });
    let text_fields = match method {
        "editmessagetext" => Some(("text", "entities")),
        "editmessagecaption" => Some(("caption", "caption_entities")),
        _ => None,
    };
    if let Some((text_key, entities_key)) = text_fields {
        let Some(text) = params[text_key].as_str() else {
            return Reply::err(400, "Bad Request: message text is empty");
        };
        message[text_key] = text.into();
        let object = message.as_object_mut().expect("messages are objects");
        match params.get(entities_key) {
            Some(entities) => object.insert(entities_key.into(), entities.clone()),
            None => object.remove(entities_key),
        };
    }
    // Telegram drops an inline keyboard that an edit does not repeat.
    set_markup(&mut message, params.get("reply_markup"));
    if known.as_ref() == Some(&message) {
        return Reply::err(400, NOT_MODIFIED);
    }
    message["edit_date"] = fixtures::now().into();
    state.remember_message(&message);
    Reply::Ok(message)
}

/// Only inline keyboards are echoed in a message, as Telegram does.
fn set_markup(message: &mut Value, markup: Option<&Value>) {
    let object: &mut Map<String, Value> = message.as_object_mut().expect("messages are objects");
    match markup.filter(|m| m.get("inline_keyboard").is_some()) {
        Some(markup) => object.insert("reply_markup".into(), markup.clone()),
        None => object.remove("reply_markup"),
    };
}

/// The message replied to as Telegram nests it: without its own reply.
fn replied(state: &State, chat_id: i64, message_id: i64) -> Value {
    match state.message(chat_id, message_id) {
        Some(message) => {
            let mut message = message.clone();
            if let Some(object) = message.as_object_mut() {
                object.remove("reply_to_message");
            }
            message
        }
        None => json!({
            "message_id": message_id,
            "date": fixtures::now(),
            "chat": state.chat(chat_id),
            "text": "",
        }),
    }
}

fn photo_sizes(message_id: i32, params: &Value) -> Value {
    let bytes = params["photo"]["__file_bytes"].as_u64().unwrap_or(0);
    let sizes = [(90, bytes / 16), (320, bytes / 4), (800, bytes)];
    let sizes: Vec<Value> = sizes
        .iter()
        .enumerate()
        .map(|(i, (side, size))| {
            json!({
                "file_id": format!("AgACAgUAAxkDAAI{message_id}x{i}"),
                "file_unique_id": format!("AQAD{message_id}x{i}"),
                "width": side,
                "height": side,
                "file_size": size,
            })
        })
        .collect();
    Value::Array(sizes)
}
