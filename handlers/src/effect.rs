//! What the product decides should happen. `storage` applies every effect of one update in
//! the same transaction as the update itself; outgoing calls land in the outbox and the
//! bot's sender delivers them.

use crate::model::{
    ChatId, Event, Grid, Millis, MsgId, Person, Petition, PetitionNo, Role, UserId,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Bind a group to a community and grid (creating them if new).
    Bind {
        grid: Grid,
        title: Option<String>,
    },
    /// Give (or with `Role::Resident`, take) a role. Worker/property are per grid,
    /// secretary per community.
    SetRole {
        grid: Grid,
        person: Person,
        role: Role,
    },
    SetAlertChat {
        community: String,
        chat_id: ChatId,
    },
    /// Remember how someone is called (names are only shown).
    SeenPerson(Person),
    /// This person has a private chat with the bot (alerts may go there).
    PrivateChat(Person),
    /// Publish a staff member's office phone on the contact card.
    SetPhone {
        user: i64,
        phone: String,
    },
    NewPetition(Petition),
    SavePetition(Petition),
    AddFollower {
        number: PetitionNo,
        person: Person,
    },
    /// This message belongs to the petition (replies to it count as answers).
    LinkMessage {
        number: PetitionNo,
        chat_id: ChatId,
        message_id: MsgId,
    },
    Log(Event),
    Send(Outgoing),
    /// The group became a supergroup: everything keyed by the old id follows.
    MigrateChat {
        from: ChatId,
        to: ChatId,
    },
    /// The bot was added to (true) or removed from (false) a chat.
    ChatPresence {
        chat_id: ChatId,
        present: bool,
    },
    /// An alert for the optional `[alerts] webhook`: queued with the update, POSTed by the bot.
    Webhook(WebhookAlert),
    /// `/forget`: clear the personal data of this resident's closed (and merged) petitions,
    /// keeping their figures, as `gridbot purge` does for old ones.
    Forget {
        user: UserId,
    },
}

/// Why an alert went out (the `kind` of the webhook's JSON object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// An urgent petition was raised (fire, gas, someone trapped…).
    Urgent,
    /// Unanswered past the escalation clock.
    Unanswered,
    /// Unresolved past the resolution clock (repeated daily).
    Overdue,
}

/// One petition's alert as the webhook receives it; `text` and `message` are masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookAlert {
    pub kind: AlertKind,
    pub street: String,
    pub community: String,
    pub grid: String,
    pub petition: i64,
    pub category: Option<String>,
    pub location: Option<String>,
    pub urgent: bool,
    /// The resident's words, phone and ID numbers masked.
    pub text: String,
    /// Minutes since the petition was raised.
    pub wait_minutes: i64,
    pub owner: Option<String>,
    pub raised_at: Millis,
    pub alerted_at: Millis,
    /// The alert as one Chinese text, for chat robots (WeCom, DingTalk, Feishu).
    pub message: String,
}

/// One call to Telegram, stored before it is made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outgoing {
    pub chat_id: ChatId,
    pub action: OutAction,
    /// The petition this message is about: the sent message is linked to it.
    pub petition: Option<PetitionNo>,
    /// Not before this time (quiet hours); 0 = at once.
    #[serde(default)]
    pub not_before: Millis,
}

impl Outgoing {
    pub fn new(chat_id: ChatId, action: OutAction) -> Outgoing {
        Outgoing {
            chat_id,
            action,
            petition: None,
            not_before: 0,
        }
    }
    pub fn about(mut self, number: PetitionNo) -> Outgoing {
        self.petition = Some(number);
        self
    }
    pub fn not_before(mut self, at: Millis) -> Outgoing {
        self.not_before = at;
        self
    }
}

/// A text mention of a person without a username, in UTF-16 units as Telegram counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub offset: usize,
    pub length: usize,
    pub user_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub data: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutAction {
    Text {
        text: String,
        reply_to: Option<MsgId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        mentions: Vec<Mention>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<Vec<Button>>,
    },
    React {
        message_id: MsgId,
        emoji: String,
    },
    /// Replace (or with none, remove) the inline buttons of a sent message.
    SetButtons {
        message_id: MsgId,
        buttons: Vec<Vec<Button>>,
    },
    AnswerCallback {
        callback_id: String,
        text: String,
    },
    Photo {
        caption: String,
        /// PNG bytes, base64 in the outbox row.
        png_base64: String,
    },
    /// The command menu one person sees in one chat (Telegram's chat_member scope): the
    /// menu of `role`, or the default (resident) menu again for `Role::Resident`.
    Menu {
        user_id: i64,
        role: crate::model::Role,
    },
    /// Replace the text of a sent message (the live board).
    EditText {
        message_id: MsgId,
        text: String,
    },
    /// Pin a sent message without notifying the group (the live board).
    Pin {
        message_id: MsgId,
    },
}

impl OutAction {
    /// Whether Telegram's per-group message limit applies to this call.
    pub fn is_message(&self) -> bool {
        matches!(self, OutAction::Text { .. } | OutAction::Photo { .. })
    }
}
