//! The scheduler's side of the database: which petitions' next moments have come (found
//! through the `next_due_at` index, so the cost follows the due count, not the open count),
//! leased so that two instances never take the same one, then handled grid by grid in one
//! transaction each: what was decided and the petition's new state commit together.

use crate::rows::{from_json, petition_json};
use crate::{Result, Store, Tx};
use gridbot_handlers::Context;
use gridbot_handlers::model::*;
use sqlx::AssertSqlSafe;
use std::collections::BTreeMap;

/// Due and not leased, oldest moment first: a range scan of the `next_due_at` index.
const DUE: &str = "next_due_at IS NOT NULL AND next_due_at <= $1
    AND (due_lease_until IS NULL OR due_lease_until <= $1)
    ORDER BY next_due_at, number LIMIT $2";

/// What the clocks need to decide about one grid's due petitions.
#[derive(Debug, Clone, Default)]
pub struct DueLoad {
    /// Only `grid`, `staff` and `alert_chat` are filled.
    pub ctx: Context,
    /// The petitions still due, as they are now (an answer may have come meanwhile).
    pub petitions: Vec<Petition>,
    /// The sent message with a resolved petition's rating buttons.
    pub rating_messages: Vec<(PetitionNo, MsgId)>,
}

impl Store {
    /// Up to `limit` petitions whose next moment has come, leased for `lease_ms`, grouped by
    /// grid (oldest moment first).
    pub async fn take_due(
        &self,
        now: Millis,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<(Grid, Vec<Petition>)>> {
        let mut tx = self.begin().await?;
        // Found and leased in one statement. The lease test is repeated outside the
        // subquery: on PostgreSQL a row another instance leased meanwhile is checked again
        // once its lock is free, and then it is theirs.
        let postgres = self.backend == crate::Backend::Postgres;
        let rows: Vec<(String,)> = sqlx::query_as(AssertSqlSafe(format!(
            "UPDATE petitions SET due_lease_until = $3
             WHERE number IN (SELECT number FROM petitions WHERE {DUE})
               AND (due_lease_until IS NULL OR due_lease_until <= $1)
             RETURNING {}",
            petition_json(postgres)
        )))
        .bind(now)
        .bind(limit)
        .bind(now + lease_ms)
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut taken = from_json(rows)?;
        taken.sort_by_key(|p| (p.next_due_at, p.number));
        let mut by_chat: BTreeMap<ChatId, Vec<Petition>> = BTreeMap::new();
        for p in taken {
            by_chat.entry(p.chat_id).or_default().push(p);
        }
        // Their grids in one query.
        let chats: Vec<ChatId> = by_chat.keys().copied().collect();
        let mut grids = tx.grids_of(&chats).await?;
        let mut out = Vec::with_capacity(by_chat.len());
        for (chat, ps) in by_chat {
            let grid = match grids.remove(&chat) {
                Some(g) => g,
                // The group was unbound: the petitions still know where they belong.
                None => Grid {
                    chat_id: chat,
                    community: ps[0].community.clone(),
                    grid: ps[0].grid.clone(),
                },
            };
            out.push((grid, ps));
        }
        tx.commit().await?;
        Ok(out)
    }
}

impl Store {
    /// Leave taken petitions leased until `until`: nobody takes them before then (their
    /// group's next turn), and their next moments stay as they are.
    pub async fn defer_due(&self, numbers: &[PetitionNo], until: Millis) -> Result<()> {
        let mut tx = self.begin().await?;
        for n in numbers {
            sqlx::query("UPDATE petitions SET due_lease_until = $2 WHERE number = $1")
                .bind(n.0)
                .bind(until)
                .execute(&mut *tx.tx)
                .await?;
        }
        tx.commit().await
    }
}

impl Tx<'_> {
    /// Inside the transaction that will apply the decision: the grid's context and those of
    /// `numbers` that are still due, locked against concurrent writers on PostgreSQL.
    pub async fn due_group(
        &mut self,
        grid: &Grid,
        numbers: &[PetitionNo],
        now: Millis,
    ) -> Result<DueLoad> {
        let postgres = self.postgres();
        let lock = self.lock();
        let sql = format!(
            "SELECT {} FROM petitions WHERE number = $1 AND next_due_at <= $2{lock}",
            petition_json(postgres)
        );
        let mut load = DueLoad::default();
        for n in numbers {
            let rows: Vec<(String,)> = sqlx::query_as(AssertSqlSafe(sql.clone()))
                .bind(n.0)
                .bind(now)
                .fetch_all(&mut *self.tx)
                .await?;
            load.petitions.extend(from_json(rows)?);
        }
        for p in load.petitions.iter().filter(|p| p.state == State::Resolved) {
            if let Some(msg) = self.rating_message(p).await? {
                load.rating_messages.push((p.number, msg));
            }
        }
        load.ctx.staff = self.staff(grid).await?;
        load.ctx.alert_chat = self.alert_chat(&grid.community).await?;
        load.ctx.grid = Some(grid.clone());
        Ok(load)
    }

    /// The latest sent message of the petition that carries its rating buttons.
    async fn rating_message(&mut self, p: &Petition) -> Result<Option<MsgId>> {
        let found: Option<(i64,)> = sqlx::query_as(
            "SELECT sent_message_id FROM outbox WHERE petition = $1 AND chat_id = $2
             AND state = 'sent' AND sent_message_id IS NOT NULL AND action LIKE $3
             ORDER BY id DESC LIMIT 1",
        )
        .bind(p.number.0)
        .bind(p.chat_id)
        .bind(format!("%\"data\":\"rate:{}:%", p.number.0))
        .fetch_optional(&mut *self.tx)
        .await?;
        Ok(found.map(|(m,)| m as MsgId))
    }

    /// Give the petitions back to every instance (their next moments are saved already).
    pub async fn release_due(&mut self, numbers: &[PetitionNo]) -> Result<()> {
        for n in numbers {
            sqlx::query("UPDATE petitions SET due_lease_until = NULL WHERE number = $1")
                .bind(n.0)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
