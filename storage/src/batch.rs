//! Effects written together: the rows a page of updates adds (people, petitions, history,
//! message links, followers, outgoing calls, webhook alerts) wait in a [`Batch`] and go in
//! one multi-row statement per table, instead of a statement each. Effects that change or
//! remove existing rows run in their place, after whatever waited before them.

use crate::{Result, StoreError, Tx};
use gridbot_handlers::effect::{Effect, Outgoing, WebhookAlert};
use gridbot_handlers::model::*;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyArguments;

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, AnyArguments>;

/// Bound values in one statement: well below either backend's limit.
const MAX_VALUES: usize = 10_000;

#[derive(Default)]
pub(crate) struct Batch<'e> {
    /// Someone seen, and whether in a private chat with the bot.
    people: Vec<(&'e Person, bool)>,
    new: Vec<&'e Petition>,
    /// Existing petitions, their last version.
    saved: Vec<&'e Petition>,
    followers: Vec<(PetitionNo, &'e Person)>,
    links: Vec<(PetitionNo, ChatId, MsgId)>,
    events: Vec<&'e Event>,
    outbox: Vec<&'e Outgoing>,
    webhooks: Vec<&'e WebhookAlert>,
}

impl<'e> Batch<'e> {
    /// Keep an effect that can wait for the batch's statements; false for one that must run
    /// in its place.
    pub(crate) fn take(&mut self, e: &'e Effect) -> bool {
        match e {
            Effect::SeenPerson(p) => self.people.push((p, false)),
            Effect::PrivateChat(p) => self.people.push((p, true)),
            Effect::NewPetition(p) => self.new.push(p),
            Effect::SavePetition(p) => {
                // A petition this batch adds is added as last saved; others are updated once.
                if let Some(q) = self.new.iter_mut().find(|q| q.number == p.number) {
                    *q = p;
                } else if let Some(q) = self.saved.iter_mut().find(|q| q.number == p.number) {
                    *q = p;
                } else {
                    self.saved.push(p);
                }
            }
            Effect::AddFollower { number, person } => self.followers.push((*number, person)),
            Effect::LinkMessage {
                number,
                chat_id,
                message_id,
            } => self.links.push((*number, *chat_id, *message_id)),
            Effect::Log(ev) => self.events.push(ev),
            Effect::Send(out) => self.outbox.push(out),
            Effect::Webhook(a) => self.webhooks.push(a),
            _ => return false,
        }
        true
    }
}

impl Tx<'_> {
    /// Carry out effects in order, rows that only add waiting to go together.
    pub async fn apply(&mut self, effects: &[Effect], now: Millis) -> Result<()> {
        let mut batch = Batch::default();
        for e in effects {
            if !batch.take(e) {
                self.flush(std::mem::take(&mut batch), now).await?;
                self.apply_one(e, now).await?;
            }
        }
        self.flush(batch, now).await
    }

    /// `head VALUES (…), (…) tail` for every row, as few statements as the limits allow.
    async fn insert_many<'r, T>(
        &mut self,
        head: &str,
        columns: usize,
        tail: &str,
        rows: &'r [T],
        bind: fn(AnyQuery<'r>, &'r T) -> AnyQuery<'r>,
    ) -> Result<()> {
        let per = (MAX_VALUES / columns).clamp(1, crate::ROWS_PER_STATEMENT);
        for chunk in rows.chunks(per) {
            let sql = format!(
                "{head} VALUES {} {tail}",
                crate::placeholders(chunk.len(), columns, self.postgres())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for r in chunk {
                q = bind(q, r);
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    pub(crate) async fn flush(&mut self, b: Batch<'_>, now: Millis) -> Result<()> {
        self.insert_many(
            &format!("INSERT INTO petitions ({})", crate::rows::PETITION_COLUMNS),
            32,
            "",
            &b.new,
            |q, p| bind_petition(q, p),
        )
        .await?;
        for p in &b.saved {
            self.update_petition(p).await?;
        }
        // One row a person (a statement may not upsert the same row twice): the last name
        // seen, and a private chat if any of them was one.
        let mut people: Vec<(&Person, bool)> = Vec::with_capacity(b.people.len());
        for (p, private) in b.people {
            match people.iter_mut().find(|(q, _)| q.id == p.id) {
                Some(seen) => *seen = (p, seen.1 || private),
                None => people.push((p, private)),
            }
        }
        self.insert_many(
            "INSERT INTO people (user_id, name, username, private_ok)",
            4,
            "ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, username = excluded.username,
             private_ok = CASE WHEN excluded.private_ok = 1 THEN 1 ELSE people.private_ok END",
            &people,
            |q, (p, private)| {
                q.bind(p.id)
                    .bind(&p.name)
                    .bind(p.username.clone())
                    .bind(*private as i64)
            },
        )
        .await?;
        self.insert_many(
            "INSERT INTO followers (number, user_id, name, username)",
            4,
            "ON CONFLICT (number, user_id) DO NOTHING",
            &b.followers,
            |q, (n, p)| {
                q.bind(n.0)
                    .bind(p.id)
                    .bind(&p.name)
                    .bind(p.username.clone())
            },
        )
        .await?;
        self.insert_many(
            "INSERT INTO petition_messages (chat_id, message_id, number)",
            3,
            "ON CONFLICT (chat_id, message_id) DO NOTHING",
            &b.links,
            |q, (n, chat, msg)| q.bind(*chat).bind(*msg as i64).bind(n.0),
        )
        .await?;
        self.insert_many(
            "INSERT INTO events (number, at, actor_id, actor_name, actor_username, kind, note)",
            7,
            "",
            &b.events,
            |q, ev| {
                q.bind(ev.number.0)
                    .bind(ev.at)
                    .bind(ev.actor.as_ref().map(|a| a.id))
                    .bind(ev.actor.as_ref().map(|a| a.name.clone()))
                    .bind(ev.actor.as_ref().and_then(|a| a.username.clone()))
                    .bind(ev.kind.code())
                    .bind(&ev.note)
            },
        )
        .await?;
        let outbox = b
            .outbox
            .iter()
            .map(|out| {
                let action = serde_json::to_string(&out.action)
                    .map_err(|e| StoreError::Corrupt(format!("outgoing action: {e}")))?;
                Ok((*out, action, now))
            })
            .collect::<Result<Vec<_>>>()?;
        self.insert_many(
            "INSERT INTO outbox (chat_id, action, petition, created_at, next_attempt_at)",
            5,
            "",
            &outbox,
            |q, (out, action, now)| {
                q.bind(out.chat_id)
                    .bind(action.as_str())
                    .bind(out.petition.map(|n| n.0))
                    .bind(*now)
                    .bind(out.not_before.max(*now))
            },
        )
        .await?;
        let webhooks = b
            .webhooks
            .iter()
            .map(|a| {
                serde_json::to_string(a)
                    .map(|payload| (payload, now))
                    .map_err(|e| StoreError::Corrupt(format!("webhook alert: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        self.insert_many(
            "INSERT INTO webhook_outbox (payload, created_at, next_attempt_at)",
            3,
            "",
            &webhooks,
            |q, (payload, now)| q.bind(payload.as_str()).bind(*now).bind(*now),
        )
        .await
    }
}

/// Every column of a petition, in [`crate::rows::PETITION_COLUMNS`] order.
pub(crate) fn bind_petition<'q>(q: AnyQuery<'q>, p: &'q Petition) -> AnyQuery<'q> {
    let q = q
        .bind(p.number.0)
        .bind(p.chat_id)
        .bind(p.message_id as i64)
        .bind(&p.community)
        .bind(&p.grid)
        .bind(p.resident.id)
        .bind(&p.resident.name)
        .bind(p.resident.username.clone());
    bind_state(q, p)
}

/// The columns of [`crate::rows::PETITION_STATE_COLUMNS`], in order.
pub(crate) fn bind_state<'q>(q: AnyQuery<'q>, p: &'q Petition) -> AnyQuery<'q> {
    q.bind(&p.text)
        .bind(p.category.clone())
        .bind(p.urgent as i64)
        .bind(p.location.clone())
        .bind(p.needs_look as i64)
        .bind(p.state.code())
        .bind(p.owner.as_ref().map(|o| o.id))
        .bind(p.owner.as_ref().map(|o| o.name.clone()))
        .bind(p.owner.as_ref().and_then(|o| o.username.clone()))
        .bind(p.created_at)
        .bind(p.first_response_at)
        .bind(p.resolved_at)
        .bind(p.closed_at)
        .bind(p.rating.map(|r| r.code()))
        .bind(p.merged_into.map(|n| n.0))
        .bind(p.deadlines.respond_by)
        .bind(p.deadlines.escalate_at)
        .bind(p.deadlines.resolve_by)
        .bind(p.next_due_at)
        .bind(p.reminders as i64)
        .bind(p.escalation_alerted as i64)
        .bind(p.resolve_alerted_at)
        .bind(p.reopened as i64)
        .bind(p.escalated as i64)
}
