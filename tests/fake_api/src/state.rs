//! What the fake remembers between requests: the update queue and its
//! confirmed offset, calls, sent messages, injected failures, and the chats
//! and messages seen so far (so answers echo the chat a fixture described).

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::{Value, json};

use crate::limits::Limits;
use crate::{Call, FIRST_SENT_MESSAGE_ID, Failure, Sent};

#[derive(Default)]
pub(crate) struct State {
    pub calls: Vec<Call>,
    pub sent: Vec<Sent>,
    pub gone: HashSet<i64>,
    pub migrated: HashMap<i64, i64>,
    pub too_many_requests: usize,
    pub polling: bool,
    pub limits: Limits,
    /// Pending updates, sorted by update id.
    updates: VecDeque<(i64, Value)>,
    last_update_id: i64,
    confirmed_offset: i64,
    failures: HashMap<String, VecDeque<Failure>>,
    chats: HashMap<i64, Value>,
    messages: HashMap<(i64, i64), Value>,
    last_message_id: HashMap<i64, i32>,
}

impl State {
    pub fn push_update(&mut self, mut update: Value) -> i64 {
        let id = match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => id,
            None => {
                let id = self.last_update_id + 1;
                update["update_id"] = id.into();
                id
            }
        };
        self.last_update_id = self.last_update_id.max(id);
        for (pointer, nested) in [
            ("/message/reply_to_message", true),
            ("/edited_message/reply_to_message", true),
            ("/callback_query/message", false),
        ] {
            if let Some(slot) = update.pointer_mut(pointer) {
                self.fill_placeholder(slot, nested);
            }
        }
        for key in ["message", "edited_message", "channel_post"] {
            if let Some(message) = update.get(key) {
                self.remember_message(message);
            }
        }
        if let Some(message) = update.pointer("/callback_query/message") {
            self.remember_message(message);
        }
        if let Some(chat) = update.pointer("/my_chat_member/chat") {
            self.remember_chat(chat);
        }
        let at = self.updates.partition_point(|(other, _)| *other <= id);
        self.updates.insert(at, (id, update));
        id
    }

    /// Confirms (drops) updates below `offset`, then returns up to `limit`
    /// of the rest. A negative offset keeps only the last `-offset` updates.
    pub fn take_updates(&mut self, offset: i64, limit: usize) -> Vec<Value> {
        let offset = if offset < 0 {
            let keep = offset.unsigned_abs() as usize;
            let skip = self.updates.len().saturating_sub(keep);
            self.updates.get(skip).map_or(offset, |(id, _)| *id)
        } else {
            offset
        };
        if offset > 0 {
            while self.updates.front().is_some_and(|(id, _)| *id < offset) {
                self.updates.pop_front();
            }
            self.confirmed_offset = self.confirmed_offset.max(offset);
        }
        self.updates
            .iter()
            .take(limit)
            .map(|(_, u)| u.clone())
            .collect()
    }

    pub fn confirmed_offset(&self) -> i64 {
        self.confirmed_offset
    }

    pub fn pending_updates(&self) -> usize {
        self.updates.len()
    }

    pub fn fail_next(&mut self, method: &str, failure: Failure, times: usize) {
        let queue = self
            .failures
            .entry(method.to_ascii_lowercase())
            .or_default();
        queue.extend(std::iter::repeat_n(failure, times));
    }

    pub fn next_failure(&mut self, method: &str) -> Option<Failure> {
        self.failures.get_mut(method)?.pop_front()
    }

    /// The chat object a fixture described, or a plausible one from the id's
    /// sign and size (supergroup ids are below -10^12).
    pub fn chat(&self, chat_id: i64) -> Value {
        if let Some(chat) = self.chats.get(&chat_id) {
            return chat.clone();
        }
        if chat_id < -1_000_000_000_000 {
            json!({"id": chat_id, "type": "supergroup", "title": format!("Supergroup {chat_id}")})
        } else if chat_id < 0 {
            json!({"id": chat_id, "type": "group", "title": format!("Group {chat_id}"), "all_members_are_administrators": false})
        } else {
            json!({"id": chat_id, "type": "private", "first_name": format!("User {chat_id}")})
        }
    }

    pub fn next_message_id(&mut self, chat_id: i64) -> i32 {
        let id = self
            .last_message_id
            .entry(chat_id)
            .or_insert(FIRST_SENT_MESSAGE_ID - 1);
        *id += 1;
        *id
    }

    pub fn message(&self, chat_id: i64, message_id: i64) -> Option<&Value> {
        self.messages.get(&(chat_id, message_id))
    }

    pub fn remember_message(&mut self, message: &Value) {
        let Some(chat) = message.get("chat") else {
            return;
        };
        self.remember_chat(chat);
        let ids = (chat["id"].as_i64(), message["message_id"].as_i64());
        if let (Some(chat_id), Some(message_id)) = ids {
            self.messages.insert((chat_id, message_id), message.clone());
        }
        if let Some(to) = message.get("migrate_to_chat_id").and_then(Value::as_i64) {
            let mut chat = chat.clone();
            chat["id"] = to.into();
            chat["type"] = "supergroup".into();
            self.remember_chat(&chat);
        }
    }

    /// Replaces a fixture's placeholder (empty text) with the message known
    /// under its chat and id; a nested reply loses its own reply, as in Telegram.
    fn fill_placeholder(&self, slot: &mut Value, nested: bool) {
        if slot.get("text").and_then(Value::as_str) != Some("") {
            return;
        }
        let ids = (slot["chat"]["id"].as_i64(), slot["message_id"].as_i64());
        let (Some(chat_id), Some(message_id)) = ids else {
            return;
        };
        if let Some(known) = self.messages.get(&(chat_id, message_id)) {
            *slot = known.clone();
            if let (true, Some(object)) = (nested, slot.as_object_mut()) {
                object.remove("reply_to_message");
            }
        }
    }

    fn remember_chat(&mut self, chat: &Value) {
        if let Some(id) = chat["id"].as_i64() {
            self.chats.insert(id, chat.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(id: i64) -> Value {
        json!({"update_id": id, "poll": {}})
    }

    #[test]
    fn an_offset_confirms_every_update_below_it_for_good() {
        let mut state = State::default();
        for _ in 0..3 {
            state.push_update(json!({"poll": {}}));
        }
        assert_eq!(state.take_updates(0, 100).len(), 3);
        assert_eq!(state.confirmed_offset(), 0, "offset 0 confirms nothing");
        let rest = state.take_updates(3, 100);
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0]["update_id"], 3);
        assert_eq!(state.confirmed_offset(), 3);
        assert_eq!(state.take_updates(1, 100).len(), 1, "confirmed stay gone");
        assert_eq!(state.confirmed_offset(), 3, "never goes back");
    }

    #[test]
    fn updates_are_served_in_id_order_up_to_the_limit() {
        let mut state = State::default();
        state.push_update(update(10));
        state.push_update(update(5));
        assert_eq!(state.push_update(json!({"poll": {}})), 11);
        let ids: Vec<_> = state
            .take_updates(0, 2)
            .iter()
            .map(|u| u["update_id"].clone())
            .collect();
        assert_eq!(ids, [5, 10]);
        assert_eq!(state.take_updates(-1, 100)[0]["update_id"], 11);
        assert_eq!(state.pending_updates(), 1);
    }

    #[test]
    fn sent_message_ids_count_per_chat_from_a_million() {
        let mut state = State::default();
        assert_eq!(state.next_message_id(-1), 1_000_000);
        assert_eq!(state.next_message_id(-1), 1_000_001);
        assert_eq!(state.next_message_id(7), 1_000_000);
    }
}
