//! Every fixture, pushed and fetched through the real teloxide client, comes
//! out as the update kind it claims to be (never `UpdateKind::Error`).

use gridbot_fake_api::{FakeApi, Options, TOKEN, User, fixtures};
use serde_json::Value;
use teloxide::prelude::*;
use teloxide::types::{ChatMemberKind, MediaKind, MessageEntityKind, MessageKind, UpdateKind};

fn bot(api: &FakeApi) -> Bot {
    Bot::new(TOKEN).set_api_url(api.api_url().parse().expect("a valid url"))
}

fn alice() -> User {
    User::new(1001, "阿丽", Some("alice_w"))
}

fn text_of(kind: &UpdateKind) -> Option<&str> {
    match kind {
        UpdateKind::Message(m) | UpdateKind::EditedMessage(m) => m.text(),
        _ => None,
    }
}

type Check = fn(&UpdateKind) -> bool;

#[tokio::test]
async fn every_fixture_deserializes_as_its_update_kind() {
    let api = FakeApi::start().await;
    let bob = User::new(1002, "Bob", None);
    const GROUP: i64 = -4_000_123;
    const SUPERGROUP: i64 = -1_001_555_296_434;
    let (group, supergroup) = (GROUP, SUPERGROUP);
    let bot_id = Options::default().bot_id;
    let cases: Vec<(&str, Value, Check)> = vec![
        (
            "group_text",
            fixtures::group_text(group, 10, &alice(), "楼道灯坏了 @someone"),
            |k| {
                matches!(k, UpdateKind::Message(m) if m.chat.is_group() && m.from.as_ref().is_some_and(|u| u.id.0 == 1001))
                    && text_of(k) == Some("楼道灯坏了 @someone")
            },
        ),
        (
            "supergroup text",
            fixtures::group_text(supergroup, 11, &bob, "hi"),
            |k| matches!(k, UpdateKind::Message(m) if m.chat.is_supergroup()),
        ),
        (
            "command",
            fixtures::command(group, 12, &alice(), "/claim 3"),
            |k| {
                let UpdateKind::Message(m) = k else {
                    return false;
                };
                let entities = m.entities().unwrap_or_default();
                entities.len() == 1
                    && entities[0].kind == MessageEntityKind::BotCommand
                    && (entities[0].offset, entities[0].length) == (0, 6)
            },
        ),
        (
            "reply",
            fixtures::reply(group, 13, &bob, "收到", 10, &alice()),
            |k| {
                let UpdateKind::Message(m) = k else {
                    return false;
                };
                m.reply_to_message()
                    .is_some_and(|r| r.id.0 == 10 && r.text() == Some("楼道灯坏了 @someone"))
            },
        ),
        (
            "private_text",
            fixtures::private_text(&alice(), 1, "/start"),
            |k| matches!(k, UpdateKind::Message(m) if m.chat.is_private() && m.chat.id.0 == 1001),
        ),
        (
            "edited",
            fixtures::edited(group, 10, &alice(), "楼道灯修好了"),
            |k| {
                matches!(k, UpdateKind::EditedMessage(m) if m.edit_date().is_some())
                    && text_of(k) == Some("楼道灯修好了")
            },
        ),
        (
            "sticker",
            fixtures::sticker(group, 14, &alice()),
            |k| matches!(k, UpdateKind::Message(m) if m.sticker().is_some()),
        ),
        (
            "photo with caption",
            fixtures::photo(group, 15, &alice(), Some("漏水")),
            |k| matches!(k, UpdateKind::Message(m) if m.photo().is_some_and(|p| p.len() == 3) && m.caption() == Some("漏水")),
        ),
        (
            "photo without caption",
            fixtures::photo(group, 16, &alice(), None),
            |k| matches!(k, UpdateKind::Message(m) if matches!(&m.kind, MessageKind::Common(c) if matches!(c.media_kind, MediaKind::Photo(_)))),
        ),
        (
            "callback",
            fixtures::callback("cb-1", &bob, group, 10, "claim:3"),
            |k| matches!(k, UpdateKind::CallbackQuery(q) if q.data.as_deref() == Some("claim:3") && q.message.as_ref().is_some_and(|m| m.id().0 == 10)),
        ),
        (
            "bot_added",
            fixtures::bot_added(group, "三号楼", &alice(), bot_id),
            |k| matches!(k, UpdateKind::MyChatMember(u) if matches!(u.new_chat_member.kind, ChatMemberKind::Member(_)) && matches!(u.old_chat_member.kind, ChatMemberKind::Left)),
        ),
        (
            "bot_removed",
            fixtures::bot_removed(group, "三号楼", &alice(), bot_id),
            |k| matches!(k, UpdateKind::MyChatMember(u) if matches!(u.new_chat_member.kind, ChatMemberKind::Banned(_)) && u.new_chat_member.user.is_bot),
        ),
        (
            "migrate",
            fixtures::migrate(group, supergroup),
            |k| matches!(k, UpdateKind::Message(m) if m.migrate_to_chat_id().is_some_and(|c| c.0 == SUPERGROUP)),
        ),
        (
            "migrated_from",
            fixtures::migrated_from(group, supergroup),
            |k| matches!(k, UpdateKind::Message(m) if m.migrate_from_chat_id().is_some_and(|c| c.0 == GROUP)),
        ),
        (
            "new_member",
            fixtures::new_member(group, 17, &alice(), &bob),
            |k| matches!(k, UpdateKind::Message(m) if m.new_chat_members().is_some_and(|u| u[0].id.0 == 1002)),
        ),
        (
            "poll",
            fixtures::poll("poll-1", "要不要装电梯?"),
            |k| matches!(k, UpdateKind::Poll(_)),
        ),
    ];
    for (_, update, _) in &cases {
        api.push_update(update.clone());
    }
    let updates = bot(&api).get_updates().await.expect("getUpdates answers");
    assert_eq!(updates.len(), cases.len());
    for ((name, _, check), update) in cases.iter().zip(&updates) {
        assert!(check(&update.kind), "{name}: {:#?}", update.kind);
    }
}

#[tokio::test]
async fn entity_offsets_count_utf16_units() {
    let entities = fixtures::entities("/claim@gridbot_test_bot 3 问 @alice_w 😀 @bob_w");
    let spans: Vec<_> = entities
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap(),
                e["offset"].as_u64().unwrap(),
                e["length"].as_u64().unwrap(),
            )
        })
        .collect();
    // "/claim@gridbot_test_bot" is 23 units; "😀" counts 2.
    assert_eq!(
        spans,
        [
            ("bot_command", 0, 23),
            ("mention", 28, 8),
            ("mention", 40, 6)
        ]
    );
}

#[tokio::test]
async fn a_reply_to_the_bot_carries_the_message_the_bot_sent() {
    let api = FakeApi::start().await;
    let bot = bot(&api);
    let sent = bot
        .send_message(ChatId(-77), "工单 #3 已登记")
        .await
        .expect("sendMessage answers");
    let me = User::bot(api.options());
    api.push_update(fixtures::reply(
        -77,
        20,
        &alice(),
        "谢谢",
        i64::from(sent.id.0),
        &me,
    ));
    api.push_update(fixtures::callback(
        "cb-2",
        &alice(),
        -77,
        i64::from(sent.id.0),
        "x",
    ));
    let updates = bot.get_updates().await.expect("getUpdates answers");
    let UpdateKind::Message(m) = &updates[0].kind else {
        panic!("{:?}", updates[0].kind)
    };
    let replied = m.reply_to_message().expect("a reply");
    assert_eq!(replied.text(), Some("工单 #3 已登记"));
    assert!(replied.from.as_ref().is_some_and(|u| u.is_bot));
    let UpdateKind::CallbackQuery(q) = &updates[1].kind else {
        panic!("{:?}", updates[1].kind)
    };
    let message = q.regular_message().expect("an accessible message");
    assert_eq!(message.text(), Some("工单 #3 已登记"));
}
