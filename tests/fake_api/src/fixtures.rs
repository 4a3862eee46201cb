//! Updates in exactly the JSON shape Telegram sends, for [`crate::FakeApi::push_update`].
//! They carry no `update_id`; the fake assigns one. Ids of chats below
//! -10^12 make supergroups, other negative ids basic groups.
//!
//! A replied-to message (and a callback's message) is a placeholder with
//! empty text: the fake replaces it with the message it knows under that id
//! (one the bot sent, or one pushed earlier), as Telegram would.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::Options;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub first_name: String,
    /// A username ending in "bot" makes a bot, as Telegram reserves those.
    pub username: Option<String>,
}

impl User {
    pub fn new(id: i64, first_name: &str, username: Option<&str>) -> User {
        User {
            id,
            first_name: first_name.into(),
            username: username.map(str::to_string),
        }
    }

    /// The bot itself as the fake's `getMe` describes it.
    pub fn bot(opts: &Options) -> User {
        User::new(opts.bot_id, "Gridbot", Some(&opts.bot_username))
    }

    pub fn is_bot(&self) -> bool {
        self.username
            .as_deref()
            .is_some_and(|u| u.to_ascii_lowercase().ends_with("bot"))
    }

    pub fn to_json(&self) -> Value {
        let mut user =
            json!({"id": self.id, "is_bot": self.is_bot(), "first_name": self.first_name});
        if let Some(username) = &self.username {
            user["username"] = username.as_str().into();
        }
        if !self.is_bot() {
            user["language_code"] = "zh-hans".into();
        }
        user
    }
}

/// Unix seconds now, as Telegram dates are.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The chat object Telegram puts in a group message.
pub fn chat(chat_id: i64) -> Value {
    group_chat(chat_id, &format!("Group {chat_id}"))
}

fn group_chat(chat_id: i64, title: &str) -> Value {
    if chat_id < -1_000_000_000_000 {
        json!({"id": chat_id, "title": title, "type": "supergroup"})
    } else {
        json!({"id": chat_id, "title": title, "type": "group", "all_members_are_administrators": false})
    }
}

fn private_chat(user: &User) -> Value {
    let mut chat = json!({"id": user.id, "first_name": user.first_name, "type": "private"});
    if let Some(username) = &user.username {
        chat["username"] = username.as_str().into();
    }
    chat
}

fn message(chat: Value, message_id: i64, user: &User) -> Value {
    json!({"message_id": message_id, "from": user.to_json(), "chat": chat, "date": now()})
}

fn with_text(mut message: Value, text: &str) -> Value {
    message["text"] = text.into();
    let entities = entities(text);
    if !entities.is_empty() {
        message["entities"] = Value::Array(entities);
    }
    message
}

/// A text message in a group; a leading `/command` gets its `bot_command`
/// entity and `@names` their `mention` entities, as Telegram adds them.
pub fn group_text(chat_id: i64, message_id: i64, user: &User, text: &str) -> Value {
    json!({"message": with_text(message(chat(chat_id), message_id, user), text)})
}

/// A command in a group, e.g. `command(-5, 10, &user, "/claim 3")`.
pub fn command(chat_id: i64, message_id: i64, user: &User, text: &str) -> Value {
    group_text(chat_id, message_id, user, text)
}

/// A text replying to an earlier message of `reply_to_user`.
pub fn reply(
    chat_id: i64,
    message_id: i64,
    user: &User,
    text: &str,
    reply_to_message_id: i64,
    reply_to_user: &User,
) -> Value {
    let mut update = group_text(chat_id, message_id, user, text);
    let mut replied = message(chat(chat_id), reply_to_message_id, reply_to_user);
    replied["date"] = (now() - 60).into();
    replied["text"] = "".into();
    update["message"]["reply_to_message"] = replied;
    update
}

pub fn private_text(user: &User, message_id: i64, text: &str) -> Value {
    json!({"message": with_text(message(private_chat(user), message_id, user), text)})
}

/// The group message `message_id` after its author changed it to `text`.
pub fn edited(chat_id: i64, message_id: i64, user: &User, text: &str) -> Value {
    let mut message = with_text(message(chat(chat_id), message_id, user), text);
    message["date"] = (now() - 30).into();
    message["edit_date"] = now().into();
    json!({"edited_message": message})
}

pub fn sticker(chat_id: i64, message_id: i64, user: &User) -> Value {
    let mut message = message(chat(chat_id), message_id, user);
    message["sticker"] = json!({
        "width": 512,
        "height": 512,
        "emoji": "👍",
        "set_name": "HotCherry",
        "is_animated": false,
        "is_video": false,
        "type": "regular",
        "file_id": format!("CAACAgIAAxkBAAI{message_id}"),
        "file_unique_id": format!("AgAD{message_id}"),
        "file_size": 27_000,
    });
    json!({"message": message})
}

pub fn photo(chat_id: i64, message_id: i64, user: &User, caption: Option<&str>) -> Value {
    let mut message = message(chat(chat_id), message_id, user);
    let sizes: Vec<Value> = [(90, 67, 1_500), (320, 240, 21_000), (1280, 960, 180_000)]
        .iter()
        .enumerate()
        .map(|(i, (w, h, size))| {
            json!({
                "file_id": format!("AgACAgUAAxkBAAI{message_id}x{i}"),
                "file_unique_id": format!("AQAD{message_id}x{i}"),
                "file_size": size,
                "width": w,
                "height": h,
            })
        })
        .collect();
    message["photo"] = Value::Array(sizes);
    if let Some(caption) = caption {
        message["caption"] = caption.into();
    }
    json!({"message": message})
}

/// A press on an inline button of message `message_id` (the bot's).
pub fn callback(id: &str, user: &User, chat_id: i64, message_id: i64, data: &str) -> Value {
    json!({"callback_query": {
        "id": id,
        "from": user.to_json(),
        "message": {"message_id": message_id, "chat": chat(chat_id), "date": now() - 60, "text": ""},
        "chat_instance": format!("-{}", chat_id.unsigned_abs() * 7 + 13),
        "data": data,
    }})
}

fn bot_membership(
    chat_id: i64,
    title: &str,
    by: &User,
    bot_id: i64,
    old: &str,
    new: &str,
) -> Value {
    let bot = User::new(bot_id, "Gridbot", Some(&Options::default().bot_username)).to_json();
    let mut new_member = json!({"user": bot, "status": new});
    if new == "kicked" {
        new_member["until_date"] = 0.into();
    }
    json!({"my_chat_member": {
        "chat": group_chat(chat_id, title),
        "from": by.to_json(),
        "date": now(),
        "old_chat_member": {"user": bot, "status": old},
        "new_chat_member": new_member,
    }})
}

/// `by` added the bot to the group.
pub fn bot_added(chat_id: i64, title: &str, by: &User, bot_id: i64) -> Value {
    bot_membership(chat_id, title, by, bot_id, "left", "member")
}

/// `by` removed (banned) the bot from the group.
pub fn bot_removed(chat_id: i64, title: &str, by: &User, bot_id: i64) -> Value {
    bot_membership(chat_id, title, by, bot_id, "member", "kicked")
}

static SERVICE_MESSAGE_ID: AtomicI64 = AtomicI64::new(900_000);

/// The service message in the old group saying it became supergroup `to_chat_id`.
pub fn migrate(from_chat_id: i64, to_chat_id: i64) -> Value {
    let id = SERVICE_MESSAGE_ID.fetch_add(1, Ordering::Relaxed);
    let by = User::new(777, "Group Owner", None);
    let mut message = message(chat(from_chat_id), id, &by);
    message["migrate_to_chat_id"] = to_chat_id.into();
    json!({"message": message})
}

/// The first service message in the new supergroup, naming the old group.
pub fn migrated_from(from_chat_id: i64, to_chat_id: i64) -> Value {
    let id = SERVICE_MESSAGE_ID.fetch_add(1, Ordering::Relaxed);
    json!({"message": {
        "message_id": id,
        "from": {"id": 1_087_968_824, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"},
        "sender_chat": group_chat(to_chat_id, &format!("Group {to_chat_id}")),
        "chat": group_chat(to_chat_id, &format!("Group {to_chat_id}")),
        "date": now(),
        "migrate_from_chat_id": from_chat_id,
    }})
}

/// `by` added `member` to the group (the service message).
pub fn new_member(chat_id: i64, message_id: i64, by: &User, member: &User) -> Value {
    let mut message = message(chat(chat_id), message_id, by);
    message["new_chat_participant"] = member.to_json();
    message["new_chat_member"] = member.to_json();
    message["new_chat_members"] = json!([member.to_json()]);
    json!({"message": message})
}

/// A poll update, a kind the bot does not subscribe to.
pub fn poll(id: &str, question: &str) -> Value {
    json!({"poll": {
        "id": id,
        "question": question,
        "options": [{"text": "是", "voter_count": 1}, {"text": "否", "voter_count": 0}],
        "total_voter_count": 1,
        "is_closed": false,
        "is_anonymous": true,
        "type": "regular",
        "allows_multiple_answers": false,
    }})
}

/// Telegram's entities for a text: a `bot_command` for a leading `/word`
/// (with its `@botname`), a `mention` for each `@name`. Offsets and lengths
/// count UTF-16 code units.
pub fn entities(text: &str) -> Vec<Value> {
    let mut found = Vec::new();
    let mut offset = 0;
    for (i, word) in text.split_inclusive(char::is_whitespace).enumerate() {
        let token = word.trim_end();
        let length = utf16_len(token);
        let name_ok =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if i == 0 && token.starts_with('/') && name_ok(token[1..].split('@').next().unwrap_or("")) {
            found.push(json!({"offset": 0, "length": length, "type": "bot_command"}));
        } else if let Some(name) = token.strip_prefix('@')
            && name.len() >= 4
            && name_ok(name)
        {
            found.push(json!({"offset": offset, "length": length, "type": "mention"}));
        }
        offset += utf16_len(word);
    }
    found
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}
