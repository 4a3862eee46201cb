//! The webhook queue: alerts stored with the decision that raised them, taken by one
//! poster at a time (a lease), retried until the receiver accepts them or they are given up.

use crate::outbox::OutboxStats;
use crate::{Result, Store};
use gridbot_handlers::effect::WebhookAlert;
use gridbot_handlers::model::Millis;

#[derive(Debug, Clone)]
pub struct WebhookItem {
    pub id: i64,
    pub alert: WebhookAlert,
    pub attempts: i64,
    pub created_at: Millis,
}

impl Store {
    /// Up to `limit` alerts ready to post, oldest first, each leased for `lease_ms`.
    pub async fn take_webhooks(
        &self,
        now: Millis,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<WebhookItem>> {
        let mut tx = self.pool().begin().await?;
        let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT id, payload, attempts, created_at FROM webhook_outbox
             WHERE state = 'pending' AND next_attempt_at <= $1
               AND (lease_until IS NULL OR lease_until <= $1)
             ORDER BY next_attempt_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for (id, payload, attempts, created_at) in rows {
            let taken = sqlx::query(
                "UPDATE webhook_outbox SET lease_until = $2 WHERE id = $1 AND state = 'pending'
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
            match serde_json::from_str::<WebhookAlert>(&payload) {
                Ok(alert) => items.push(WebhookItem {
                    id,
                    alert,
                    attempts,
                    created_at,
                }),
                Err(e) => {
                    sqlx::query(
                        "UPDATE webhook_outbox SET state = 'failed', last_error = $2 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(format!("unreadable alert: {e}"))
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(items)
    }

    /// The receiver accepted it.
    pub async fn webhook_sent(&self, id: i64, now: Millis) -> Result<()> {
        sqlx::query(
            "UPDATE webhook_outbox SET state = 'sent', sent_at = $2, lease_until = NULL,
             attempts = attempts + 1 WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Try again at `at`.
    pub async fn webhook_retry(&self, id: i64, at: Millis, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE webhook_outbox SET next_attempt_at = $2, last_error = $3,
             attempts = attempts + 1, lease_until = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(at)
        .bind(error)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Given up (the receiver refuses it, or too many attempts), kept for the record.
    pub async fn webhook_failed(&self, id: i64, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE webhook_outbox SET state = 'failed', last_error = $2, lease_until = NULL,
             attempts = attempts + 1 WHERE id = $1",
        )
        .bind(id)
        .bind(error)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn webhook_stats(&self) -> Result<OutboxStats> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT state, COUNT(*) FROM webhook_outbox GROUP BY state")
                .fetch_all(self.pool())
                .await?;
        Ok(OutboxStats::from_rows(rows))
    }
}
