//! The outbox: every call to Telegram, stored before it is made, taken by one sender at a
//! time (a lease), retried until Telegram accepts it or answers that it never will.

use crate::{Result, Store};
use gridbot_handlers::effect::OutAction;
use gridbot_handlers::model::{ChatId, Millis, MsgId, PetitionNo};

#[derive(Debug, Clone)]
pub struct OutboxItem {
    pub id: i64,
    pub chat_id: ChatId,
    pub action: OutAction,
    pub petition: Option<PetitionNo>,
    pub attempts: i64,
    pub created_at: Millis,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxStats {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

impl OutboxStats {
    /// Fold `SELECT state, COUNT(*) … GROUP BY state` rows; any other state counts as failed.
    pub(crate) fn from_rows(rows: Vec<(String, i64)>) -> OutboxStats {
        let mut s = OutboxStats::default();
        for (state, n) in rows {
            match state.as_str() {
                "pending" => s.pending = n,
                "sent" => s.sent = n,
                _ => s.failed += n,
            }
        }
        s
    }
}

impl Store {
    /// Up to `limit` items ready to send: for each chat only its oldest pending item, so a
    /// chat's messages arrive in order. Each is leased for `lease_ms` to the caller.
    pub async fn take_outbox(
        &self,
        now: Millis,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<OutboxItem>> {
        let mut tx = self.pool().begin().await?;
        let rows: Vec<(i64, i64, String, Option<i64>, i64, i64)> = sqlx::query_as(
            "SELECT o.id, o.chat_id, o.action, o.petition, o.attempts, o.created_at FROM outbox o
             WHERE o.state = 'pending' AND o.next_attempt_at <= $1
               AND (o.lease_until IS NULL OR o.lease_until <= $1)
               AND o.id = (SELECT MIN(i.id) FROM outbox i WHERE i.chat_id = o.chat_id AND i.state = 'pending')
             ORDER BY o.next_attempt_at, o.id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for (id, chat_id, action, petition, attempts, created_at) in rows {
            let taken = sqlx::query(
                "UPDATE outbox SET lease_until = $2 WHERE id = $1 AND state = 'pending'
                 AND (lease_until IS NULL OR lease_until <= $3)",
            )
            .bind(id)
            .bind(now + lease_ms)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if taken.rows_affected() != 1 {
                continue;
            }
            match serde_json::from_str::<OutAction>(&action) {
                Ok(action) => items.push(OutboxItem {
                    id,
                    chat_id,
                    action,
                    petition: petition.map(PetitionNo),
                    attempts,
                    created_at,
                }),
                Err(e) => {
                    sqlx::query(
                        "UPDATE outbox SET state = 'failed', last_error = $2 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(format!("unreadable action: {e}"))
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(items)
    }

    /// Telegram accepted it. A sent message about a petition becomes one of its messages.
    pub async fn outbox_sent(
        &self,
        item: &OutboxItem,
        message_id: Option<MsgId>,
        now: Millis,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE outbox SET state = 'sent', sent_at = $2, sent_message_id = $3, lease_until = NULL WHERE id = $1")
            .bind(item.id)
            .bind(now)
            .bind(message_id.map(i64::from))
            .execute(&mut *tx.tx)
            .await?;
        if let (Some(n), Some(m)) = (item.petition, message_id) {
            tx.link_message(n, item.chat_id, m).await?;
        }
        // A new live board is a text about no petition; its pin follows it.
        if let (None, Some(m), OutAction::Text { .. }) = (item.petition, message_id, &item.action) {
            tx.board_sent(item, m, now).await?;
        }
        tx.commit().await
    }

    /// Try again at `at` (429's retry_after, or backoff after a 5xx or a dropped connection).
    pub async fn outbox_retry(
        &self,
        id: i64,
        at: Millis,
        error: &str,
        count_attempt: bool,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET next_attempt_at = $2, last_error = $3, attempts = attempts + $4, lease_until = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(at)
        .bind(error)
        .bind(count_attempt as i64)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Give the lease back untouched: the item keeps its place in line.
    pub async fn outbox_release(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE outbox SET lease_until = NULL WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Telegram will never accept it (chat gone, bot removed): given up, kept for the record.
    pub async fn outbox_failed(&self, id: i64, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET state = 'failed', last_error = $2, lease_until = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(error)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The chat became a supergroup: send its queued messages to the new id.
    pub async fn outbox_rekey(&self, from: ChatId, to: ChatId) -> Result<()> {
        sqlx::query("UPDATE outbox SET chat_id = $2, lease_until = NULL WHERE chat_id = $1 AND state = 'pending'")
            .bind(from)
            .bind(to)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn outbox_stats(&self) -> Result<OutboxStats> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT state, COUNT(*) FROM outbox GROUP BY state")
                .fetch_all(self.pool())
                .await?;
        Ok(OutboxStats::from_rows(rows))
    }
}
