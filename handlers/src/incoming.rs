//! What arrived from Telegram, in the product's own words. The bot's adapter builds these
//! from teloxide's `Update`; tests build them directly.

use crate::model::{ChatId, Millis, MsgId, Person};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatKind {
    Private,
    Group,
    /// Channels and anything else the bot does not serve.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    Photo,
    Video,
    Voice,
    Audio,
    Document,
    Sticker,
    Animation,
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplyTo {
    pub message_id: MsgId,
    pub from: Option<Person>,
    pub from_bot: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    pub chat_id: ChatId,
    pub chat_kind: ChatKind,
    pub chat_title: Option<String>,
    pub message_id: MsgId,
    pub from: Option<Person>,
    pub from_bot: bool,
    /// Text, or the caption of a media message; empty when there is none.
    pub text: String,
    pub media: Option<Media>,
    pub reply_to: Option<ReplyTo>,
    pub date: Millis,
    /// Joins, leaves, pins, title changes…: never petitions.
    pub service: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Message(Msg),
    Edited(Msg),
    Callback {
        id: String,
        from: Person,
        chat_id: Option<ChatId>,
        message_id: Option<MsgId>,
        data: String,
    },
    /// The bot itself was added to or removed from a chat.
    Membership {
        chat_id: ChatId,
        title: Option<String>,
        kind: ChatKind,
        present: bool,
        by: Option<Person>,
    },
    /// A group became a supergroup with a new id.
    Migrated {
        from: ChatId,
        to: ChatId,
    },
    /// An update kind the bot does not use (polls, inline queries, channel posts…).
    Ignored {
        kind: String,
    },
}

impl Incoming {
    pub fn chat_id(&self) -> Option<ChatId> {
        match self {
            Incoming::Message(m) | Incoming::Edited(m) => Some(m.chat_id),
            Incoming::Callback { chat_id, .. } => *chat_id,
            Incoming::Membership { chat_id, .. } => Some(*chat_id),
            Incoming::Migrated { from, .. } => Some(*from),
            Incoming::Ignored { .. } => None,
        }
    }

    pub fn sender(&self) -> Option<&Person> {
        match self {
            Incoming::Message(m) | Incoming::Edited(m) => m.from.as_ref(),
            Incoming::Callback { from, .. } => Some(from),
            Incoming::Membership { by, .. } => by.as_ref(),
            _ => None,
        }
    }
}
