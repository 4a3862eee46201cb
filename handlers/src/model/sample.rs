//! Sample values for tests, here and in the adapter crates: a petition as intake would have
//! raised it, with nothing done to it yet. Tests set the fields they look at, with struct
//! update syntax (`Petition { text: …, ..Petition::sample(1, GROUP) }`) or the helpers below.

use super::{ChatId, Deadlines, Grid, Millis, MsgId, Person, Petition, PetitionNo, State, UserId};

const MIN: Millis = 60_000;

impl Person {
    /// Someone without a username.
    pub fn sample(id: UserId, name: &str) -> Person {
        Person {
            id,
            name: name.into(),
            username: None,
        }
    }
}

impl Grid {
    /// A grid of 欣锦苑社区.
    pub fn sample(chat_id: ChatId, grid: &str) -> Grid {
        Grid {
            chat_id,
            community: "欣锦苑社区".into(),
            grid: grid.into(),
        }
    }
}

impl Petition {
    /// Petition `number`, raised by resident `1000 + number` (居民N) as message `number` in
    /// `chat_id`, grid 欣锦苑社区 第一网格: 电梯坏了, an elevator case, open, raised at 0
    /// with no deadlines and nothing pending.
    pub fn sample(number: i64, chat_id: ChatId) -> Petition {
        Petition {
            number: PetitionNo(number),
            chat_id,
            message_id: number as MsgId,
            community: "欣锦苑社区".into(),
            grid: "第一网格".into(),
            resident: Person::sample(1000 + number, &format!("居民{number}")),
            text: "电梯坏了".into(),
            category: Some("elevator".into()),
            urgent: false,
            location: None,
            needs_look: false,
            state: State::Open,
            owner: None,
            created_at: 0,
            first_response_at: None,
            resolved_at: None,
            closed_at: None,
            rating: None,
            merged_into: None,
            deadlines: Deadlines::default(),
            next_due_at: None,
            reminders: 0,
            escalation_alerted: false,
            resolve_alerted_at: None,
            reopened: 0,
            escalated: false,
        }
    }

    /// Raised at `t` on the ordinary clocks: answer within 30 minutes, escalate after 2
    /// hours, resolve within 72 hours.
    pub fn raised_at(self, t: Millis) -> Petition {
        Petition {
            created_at: t,
            deadlines: Deadlines {
                respond_by: t + 30 * MIN,
                escalate_at: t + 120 * MIN,
                resolve_by: t + 72 * 60 * MIN,
            },
            ..self
        }
    }
}
