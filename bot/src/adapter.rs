//! Telegram's `Update` in the product's words ([`Incoming`]). The only place that knows
//! teloxide's message shapes.

use gridbot_handlers::incoming::{ChatKind, Incoming, Media, Msg, ReplyTo};
use gridbot_handlers::model::Person;
use teloxide::types::{Chat, Message, MessageKind, Update, UpdateKind, User};

pub fn person(u: &User) -> Person {
    let name = match &u.last_name {
        Some(l) if !l.is_empty() => format!("{} {l}", u.first_name),
        _ => u.first_name.clone(),
    };
    Person {
        id: u.id.0 as i64,
        name,
        username: u.username.clone(),
    }
}

fn kind(c: &Chat) -> ChatKind {
    if c.is_private() {
        ChatKind::Private
    } else if c.is_group() || c.is_supergroup() {
        ChatKind::Group
    } else {
        ChatKind::Other
    }
}

fn media(m: &Message) -> Option<Media> {
    Some(if m.photo().is_some() {
        Media::Photo
    } else if m.video().is_some() || m.video_note().is_some() {
        Media::Video
    } else if m.voice().is_some() {
        Media::Voice
    } else if m.audio().is_some() {
        Media::Audio
    } else if m.sticker().is_some() {
        Media::Sticker
    } else if m.animation().is_some() {
        Media::Animation
    } else if m.document().is_some() {
        Media::Document
    } else if m.text().is_some() {
        return None;
    } else {
        Media::Other
    })
}

pub fn msg(m: &Message) -> Msg {
    let from = m.from.as_ref();
    Msg {
        chat_id: m.chat.id.0,
        chat_kind: kind(&m.chat),
        chat_title: m.chat.title().map(str::to_string),
        message_id: m.id.0,
        from: from.map(person),
        // Anonymous admins and channels speak through sender_chat: never petitions.
        from_bot: from.is_none_or(|u| u.is_bot) || m.sender_chat.is_some(),
        text: m
            .text()
            .or_else(|| m.caption())
            .unwrap_or_default()
            .to_string(),
        media: media(m),
        reply_to: m.reply_to_message().map(|r| ReplyTo {
            message_id: r.id.0,
            from: r.from.as_ref().map(person),
            from_bot: r.from.as_ref().is_some_and(|u| u.is_bot),
        }),
        date: m.date.timestamp_millis(),
        service: !matches!(m.kind, MessageKind::Common(_)),
    }
}

/// The product's view of an update.
pub fn incoming(u: &Update) -> Incoming {
    match &u.kind {
        UpdateKind::Message(m) => match m.migrate_to_chat_id() {
            Some(to) => Incoming::Migrated {
                from: m.chat.id.0,
                to: to.0,
            },
            None => Incoming::Message(msg(m)),
        },
        UpdateKind::EditedMessage(m) => Incoming::Edited(msg(m)),
        UpdateKind::CallbackQuery(q) => Incoming::Callback {
            id: q.id.0.clone(),
            from: person(&q.from),
            chat_id: q.message.as_ref().map(|m| m.chat().id.0),
            message_id: q.message.as_ref().map(|m| m.id().0),
            data: q.data.clone().unwrap_or_default(),
        },
        UpdateKind::MyChatMember(c) => Incoming::Membership {
            chat_id: c.chat.id.0,
            title: c.chat.title().map(str::to_string),
            kind: kind(&c.chat),
            present: c.new_chat_member.is_present(),
            by: Some(person(&c.from)),
        },
        UpdateKind::Error(_) => Incoming::Ignored {
            kind: "unknown".into(),
        },
        other => Incoming::Ignored {
            kind: format!("{other:?}")
                .split(['(', ' ', '{'])
                .next()
                .unwrap_or("other")
                .to_string(),
        },
    }
}
