//! Retention: clearing the personal data of closed petitions while keeping every figure.
//!
//! One function, [`Tx::clear_petitions`], serves `gridbot purge` (petitions closed before a
//! date), the `[retention]` job and a resident's `/forget`. What goes: the petition's text,
//! the resident's name and id, its followers, its event notes and the names of residents in
//! them, the stored texts of its messages, the bot's sent messages and webhook alerts about
//! it, and the people rows nobody refers to any more. What stays: number, grid, category,
//! urgency, location (a building), states, every time, the owner and the rating, so that
//! `gridbot report` and `gridbot export` count the same as before.

use crate::{Result, Store, Tx};
use gridbot_handlers::context::ForgetView;
use gridbot_handlers::effect::OutAction;
use gridbot_handlers::model::{Millis, UserId};
use gridbot_handlers::text::ops::PURGED;
use sqlx::AssertSqlSafe;

/// Closed or merged, personal data still there.
const CLEARABLE: &str = "state IN ('closed','merged') AND text <> $1";
/// A raw update after clearing: still there, so that a repeat is still recognised.
const EMPTY_RAW: &str = "{}";
/// How far around a forgotten petition's life the raw log is searched for its updates.
const RAW_MARGIN_MS: i64 = 3_600_000;

/// How a raw update names a user who sent (or is quoted in) it: teloxide writes a user as
/// `{"id":N,"is_bot":…}`. A `LIKE` pattern.
pub fn raw_user_pattern(user: UserId) -> String {
    format!("%\"id\":{user},\"is_bot\"%")
}

/// `n1, n2, …` for an `IN (…)`: numbers only, never text.
fn list(numbers: &[i64]) -> String {
    numbers
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// How many petitions closed (or merged) before `before` still hold personal data.
    pub async fn clearable_before(&self, before: Millis) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM petitions WHERE {CLEARABLE} AND COALESCE(closed_at, created_at) < $2"
        )))
        .bind(PURGED)
        .bind(before)
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }

    /// Clear up to `batch` petitions closed before `before`, in one short transaction (the
    /// running bot waits for it); how many were cleared, 0 when none is left.
    pub async fn purge_batch(&self, before: Millis, batch: i64) -> Result<usize> {
        let mut tx = self.begin().await?;
        let rows: Vec<(i64,)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT number FROM petitions WHERE {CLEARABLE} AND COALESCE(closed_at, created_at) < $2
             ORDER BY number LIMIT $3"
        )))
        .bind(PURGED)
        .bind(before)
        .bind(batch)
        .fetch_all(&mut *tx.tx)
        .await?;
        let numbers: Vec<i64> = rows.into_iter().map(|(n,)| n).collect();
        tx.clear_petitions(&numbers).await?;
        tx.commit().await?;
        Ok(numbers.len())
    }

    /// Older than `before` and belonging to no petition: chatter's stored texts and the raw
    /// update log (whose content lives on in the tables). Up to `batch` rows of each; how
    /// many were cleared, 0 when none is left.
    pub async fn purge_log_batch(&self, before: Millis, batch: i64) -> Result<u64> {
        let mut tx = self.begin().await?;
        let raw = sqlx::query(
            "UPDATE updates SET raw = $1 WHERE update_id IN
             (SELECT update_id FROM updates WHERE received_at < $2 AND raw <> $1 LIMIT $3)",
        )
        .bind(EMPTY_RAW)
        .bind(before)
        .bind(batch)
        .execute(&mut *tx.tx)
        .await?;
        let chatter = sqlx::query(
            "UPDATE messages SET text = $1 WHERE (chat_id, message_id) IN
             (SELECT m.chat_id, m.message_id FROM messages m WHERE m.at < $2 AND m.text <> $1
              AND NOT EXISTS (SELECT 1 FROM petition_messages pm
                              WHERE pm.chat_id = m.chat_id AND pm.message_id = m.message_id)
              AND NOT EXISTS (SELECT 1 FROM petitions p
                              WHERE p.chat_id = m.chat_id AND p.message_id = m.message_id)
              LIMIT $3)",
        )
        .bind(PURGED)
        .bind(before)
        .bind(batch)
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        Ok(raw.rows_affected() + chatter.rows_affected())
    }
}

impl Tx<'_> {
    /// `/forget`: the sender's petitions that would be cleared, and those that wait.
    pub(crate) async fn forget_view(&mut self, user: UserId) -> Result<ForgetView> {
        let (closed,): (i64,) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM petitions WHERE resident_id = $2 AND {CLEARABLE}"
        )))
        .bind(PURGED)
        .bind(user)
        .fetch_one(&mut *self.tx)
        .await?;
        let (active,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM petitions WHERE resident_id = $1 AND state NOT IN ('closed','merged')",
        )
        .bind(user)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(ForgetView {
            closed: closed as usize,
            active: active as usize,
        })
    }

    /// `/forget`: clear the user's closed petitions and their raw updates; how many.
    pub(crate) async fn forget(&mut self, user: UserId) -> Result<usize> {
        let rows: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT number, created_at, closed_at FROM petitions WHERE resident_id = $2 AND {CLEARABLE}"
        )))
        .bind(PURGED)
        .bind(user)
        .fetch_all(&mut *self.tx)
        .await?;
        // Raw updates that name the user (as sender or quoted), among those that arrived
        // during the petitions' lives.
        let pattern = raw_user_pattern(user);
        for (_, created, closed) in &rows {
            sqlx::query(
                "UPDATE updates SET raw = $1 WHERE received_at >= $2 AND received_at <= $3 AND raw LIKE $4",
            )
            .bind(EMPTY_RAW)
            .bind(created - RAW_MARGIN_MS)
            .bind(closed.unwrap_or(*created) + RAW_MARGIN_MS)
            .bind(&pattern)
            .execute(&mut *self.tx)
            .await?;
        }
        let numbers: Vec<i64> = rows.iter().map(|(n, _, _)| *n).collect();
        self.clear_petitions(&numbers).await?;
        Ok(numbers.len())
    }

    /// Clear the personal data of these petitions (see the module's doc). Idempotent.
    pub(crate) async fn clear_petitions(&mut self, numbers: &[i64]) -> Result<()> {
        if numbers.is_empty() {
            return Ok(());
        }
        let ns = list(numbers);
        // Whom the petitions name: their people rows may go once nothing refers to them.
        let mut people: Vec<(i64,)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT resident_id FROM petitions WHERE number IN ({ns})
             UNION SELECT user_id FROM followers WHERE number IN ({ns})"
        )))
        .fetch_all(&mut *self.tx)
        .await?;
        people.retain(|(id,)| *id != 0);
        let scrubbed = serde_json::to_string(&OutAction::Text {
            text: PURGED.into(),
            reply_to: None,
            mentions: Vec::new(),
            buttons: Vec::new(),
        })
        .map_err(|e| crate::StoreError::Corrupt(format!("cleared action: {e}")))?;
        let statements = [
            // Messages first: they are found through the petitions' own message ids.
            format!(
                "UPDATE messages SET text = $1 WHERE EXISTS (SELECT 1 FROM petition_messages pm
                 WHERE pm.number IN ({ns}) AND pm.chat_id = messages.chat_id AND pm.message_id = messages.message_id)"
            ),
            format!(
                "UPDATE messages SET text = $1 WHERE EXISTS (SELECT 1 FROM petitions p
                 WHERE p.number IN ({ns}) AND p.chat_id = messages.chat_id AND p.message_id = messages.message_id)"
            ),
            // Events: the notes, and the names of the resident and followers who acted.
            format!(
                "UPDATE events SET actor_id = NULL, actor_name = $1, actor_username = NULL
                 WHERE number IN ({ns}) AND actor_id IS NOT NULL AND (
                   actor_id IN (SELECT resident_id FROM petitions p WHERE p.number = events.number)
                   OR actor_id IN (SELECT user_id FROM followers f WHERE f.number = events.number))"
            ),
            format!("UPDATE events SET note = $1 WHERE number IN ({ns}) AND note <> ''"),
            format!(
                "UPDATE petitions SET text = $1, resident_name = $1, resident_username = NULL, resident_id = 0
                 WHERE number IN ({ns})"
            ),
        ];
        for sql in statements {
            sqlx::query(AssertSqlSafe(sql))
                .bind(PURGED)
                .execute(&mut *self.tx)
                .await?;
        }
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM followers WHERE number IN ({ns})"
        )))
        .execute(&mut *self.tx)
        .await?;
        // What the bot sent about them: still there (delivery bookkeeping), words gone.
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE outbox SET action = $1 WHERE petition IN ({ns}) AND state <> 'pending'"
        )))
        .bind(&scrubbed)
        .execute(&mut *self.tx)
        .await?;
        for n in numbers {
            sqlx::query(
                "UPDATE webhook_outbox SET payload = $1 WHERE state <> 'pending' AND payload LIKE $2",
            )
            .bind(EMPTY_RAW)
            .bind(format!("%\"petition\":{n},%"))
            .execute(&mut *self.tx)
            .await?;
        }
        for (id,) in people {
            sqlx::query(
                "DELETE FROM people WHERE user_id = $1
                 AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.user_id = $1)
                 AND NOT EXISTS (SELECT 1 FROM petitions p WHERE p.resident_id = $1)
                 AND NOT EXISTS (SELECT 1 FROM followers f WHERE f.user_id = $1)",
            )
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }
}
