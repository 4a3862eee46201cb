//! Row structs and their conversion to the product's types. Private to storage.

use crate::{Result, StoreError};
use gridbot_handlers::model::*;

pub(crate) const PETITION_COLUMNS: &str = "number, chat_id, message_id, community, grid, \
    resident_id, resident_name, resident_username, text, category, urgent, location, needs_look, \
    state, owner_id, owner_name, owner_username, created_at, first_response_at, resolved_at, \
    closed_at, rating, merged_into, respond_by, escalate_at, resolve_by, next_due_at, reminders, \
    escalation_alerted, resolve_alerted_at, reopened, escalated";

/// The columns of [`PETITION_COLUMNS`] from `text` on: a petition's words and state, which
/// a save writes (the ones before it name the petition and its resident).
pub(crate) const PETITION_STATE_COLUMNS: &str = "text, category, urgent, location, needs_look, \
    state, owner_id, owner_name, owner_username, created_at, first_response_at, resolved_at, \
    closed_at, rating, merged_into, respond_by, escalate_at, resolve_by, next_due_at, reminders, \
    escalation_alerted, resolve_alerted_at, reopened, escalated";

/// Also read from a JSON array of the columns in [`PETITION_COLUMNS`] order (serde reads a
/// struct from a sequence in field order), for loading many at once.
#[derive(sqlx::FromRow, serde::Deserialize)]
pub(crate) struct PetitionRow {
    number: i64,
    chat_id: i64,
    message_id: i64,
    community: String,
    grid: String,
    resident_id: i64,
    resident_name: String,
    resident_username: Option<String>,
    text: String,
    category: Option<String>,
    urgent: i64,
    location: Option<String>,
    needs_look: i64,
    state: String,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    owner_username: Option<String>,
    created_at: i64,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    rating: Option<String>,
    merged_into: Option<i64>,
    respond_by: i64,
    escalate_at: i64,
    resolve_by: i64,
    next_due_at: Option<i64>,
    reminders: i64,
    escalation_alerted: i64,
    resolve_alerted_at: Option<i64>,
    reopened: i64,
    escalated: i64,
}

impl PetitionRow {
    pub(crate) fn into_petition(self) -> Result<Petition> {
        let state = State::from_code(&self.state).ok_or_else(|| {
            StoreError::Corrupt(format!("petition {} state {}", self.number, self.state))
        })?;
        Ok(Petition {
            number: PetitionNo(self.number),
            chat_id: self.chat_id,
            message_id: self.message_id as MsgId,
            community: self.community,
            grid: self.grid,
            resident: Person {
                id: self.resident_id,
                name: self.resident_name,
                username: self.resident_username,
            },
            text: self.text,
            category: self.category,
            urgent: self.urgent != 0,
            location: self.location,
            needs_look: self.needs_look != 0,
            state,
            owner: self.owner_id.map(|id| Person {
                id,
                name: self.owner_name.unwrap_or_default(),
                username: self.owner_username,
            }),
            created_at: self.created_at,
            first_response_at: self.first_response_at,
            resolved_at: self.resolved_at,
            closed_at: self.closed_at,
            rating: self.rating.as_deref().and_then(Rating::from_code),
            merged_into: self.merged_into.map(PetitionNo),
            deadlines: Deadlines {
                respond_by: self.respond_by,
                escalate_at: self.escalate_at,
                resolve_by: self.resolve_by,
            },
            next_due_at: self.next_due_at,
            reminders: self.reminders as i32,
            escalation_alerted: self.escalation_alerted != 0,
            resolve_alerted_at: self.resolve_alerted_at,
            reopened: self.reopened as i32,
            escalated: self.escalated != 0,
        })
    }
}

pub(crate) fn petitions(rows: Vec<PetitionRow>) -> Result<Vec<Petition>> {
    rows.into_iter().map(PetitionRow::into_petition).collect()
}

/// The petition columns as one JSON array: one value a row through the `Any` driver
/// instead of 32 (converting every value on its own is most of the cost of reading
/// petitions). Read back with [`from_json`].
pub(crate) fn petition_json(postgres: bool) -> String {
    if postgres {
        format!("json_build_array({PETITION_COLUMNS})::text")
    } else {
        format!("json_array({PETITION_COLUMNS})")
    }
}

pub(crate) fn from_json(rows: Vec<(String,)>) -> Result<Vec<Petition>> {
    rows.into_iter()
        .map(|(json,)| {
            serde_json::from_str::<PetitionRow>(&json)
                .map_err(|e| StoreError::Corrupt(format!("petition as JSON: {e}")))?
                .into_petition()
        })
        .collect()
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    number: i64,
    at: i64,
    actor_id: Option<i64>,
    actor_name: Option<String>,
    actor_username: Option<String>,
    kind: String,
    note: String,
}

impl EventRow {
    pub(crate) fn into_event(self) -> Result<Event> {
        Ok(Event {
            number: PetitionNo(self.number),
            at: self.at,
            actor: self.actor_id.map(|id| Person {
                id,
                name: self.actor_name.unwrap_or_default(),
                username: self.actor_username,
            }),
            kind: EventKind::from_code(&self.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("event kind {}", self.kind)))?,
            note: self.note,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct StaffRow {
    pub user_id: i64,
    pub name: Option<String>,
    pub username: Option<String>,
    pub phone: Option<String>,
    pub private_ok: Option<i64>,
    pub role: String,
}

impl StaffRow {
    pub(crate) fn into_staff(self) -> Staff {
        Staff {
            person: Person {
                id: self.user_id,
                name: self.name.unwrap_or_default(),
                username: self.username,
            },
            role: Role::from_code(&self.role).unwrap_or(Role::Resident),
            phone: self.phone,
            private_ok: self.private_ok.unwrap_or(0) != 0,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_save_writes_the_tail_of_the_petition_columns() {
        let all = super::PETITION_COLUMNS;
        let state = super::PETITION_STATE_COLUMNS;
        assert!(all.ends_with(&format!(", {state}")), "{all}\n{state}");
        assert_eq!(all.split(", ").count(), 32);
        assert_eq!(state.split(", ").count(), 24);
    }
}
