//! The live board's rows: what each group's pinned board shows and which message it is.
//!
//! A new board is an ordinary outbox message whose id the `boards` row remembers; when
//! the sender records it as sent, the same transaction stores the message id and queues
//! its pin, so a restart neither loses the board nor pins twice. An edit that Telegram
//! answers "message to edit not found" clears the message id ([`Store::outbox_gone`]) and
//! the next pass posts a new board.

use crate::rows::{PETITION_COLUMNS, PetitionRow, petitions};
use crate::{ACTIVE, OutboxItem, Result, Store, Tx};
use gridbot_handlers::board::{Board, Step, Stored};
use gridbot_handlers::effect::{OutAction, Outgoing};
use gridbot_handlers::model::{ChatId, Grid, Millis, MsgId, Petition};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;

/// A bound group the bot is in: its active petitions and what is stored of its board.
#[derive(Debug, Clone)]
pub struct BoardGroup {
    pub grid: Grid,
    pub petitions: Vec<Petition>,
    pub stored: Option<Stored>,
}

type BoardRow = (i64, Option<i64>, i64, i64, i64, Option<String>);

impl Store {
    /// Every bound group the bot is in, with its active petitions (three reads, whatever
    /// the number of groups).
    pub async fn board_groups(&self) -> Result<Vec<BoardGroup>> {
        let grids: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT chat_id, community, grid FROM grids WHERE present = 1 ORDER BY chat_id",
        )
        .fetch_all(self.pool())
        .await?;
        let rows: Vec<PetitionRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {PETITION_COLUMNS} FROM petitions
             WHERE state IN {ACTIVE} ORDER BY number"
        )))
        .fetch_all(self.pool())
        .await?;
        let boards: Vec<BoardRow> = sqlx::query_as(
            "SELECT b.chat_id, b.message_id, b.content_hash, b.shown_hash, b.updated_at, o.state
             FROM boards b LEFT JOIN outbox o ON o.id = b.outbox_id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut by_chat: HashMap<ChatId, Vec<Petition>> = HashMap::new();
        for p in petitions(rows)? {
            by_chat.entry(p.chat_id).or_default().push(p);
        }
        let mut stored: HashMap<ChatId, Stored> = boards
            .into_iter()
            .map(|(chat, message_id, content, shown, updated_at, outbox)| {
                let s = Stored {
                    message_id: message_id.and_then(|m| MsgId::try_from(m).ok()),
                    posting: outbox.as_deref() == Some("pending"),
                    content,
                    shown,
                    updated_at,
                };
                (chat, s)
            })
            .collect();
        Ok(grids
            .into_iter()
            .map(|(chat_id, community, grid)| BoardGroup {
                petitions: by_chat.remove(&chat_id).unwrap_or_default(),
                stored: stored.remove(&chat_id),
                grid: Grid {
                    chat_id,
                    community,
                    grid,
                },
            })
            .collect())
    }

    /// Queue the post or edit `step` asks for and remember what the board now shows, in
    /// one transaction.
    pub async fn board_queue(
        &self,
        chat: ChatId,
        board: &Board,
        step: Step,
        now: Millis,
    ) -> Result<()> {
        let action = match step {
            Step::Wait => return Ok(()),
            Step::Post => OutAction::Text {
                text: board.text.clone(),
                reply_to: None,
                mentions: Vec::new(),
                buttons: Vec::new(),
            },
            Step::Edit(message_id) => OutAction::EditText {
                message_id,
                text: board.text.clone(),
            },
        };
        let mut tx = self.begin().await?;
        let outbox_id = tx.enqueue_id(&Outgoing::new(chat, action), now).await?;
        let posted = matches!(step, Step::Post).then_some(outbox_id);
        sqlx::query(
            "INSERT INTO boards (chat_id, message_id, outbox_id, content_hash, shown_hash, updated_at)
             VALUES ($1, NULL, $2, $3, $4, $5)
             ON CONFLICT (chat_id) DO UPDATE SET
               message_id = CASE WHEN excluded.outbox_id IS NULL THEN boards.message_id ELSE NULL END,
               outbox_id = COALESCE(excluded.outbox_id, boards.outbox_id),
               content_hash = excluded.content_hash, shown_hash = excluded.shown_hash,
               updated_at = excluded.updated_at",
        )
        .bind(chat)
        .bind(posted)
        .bind(board.content)
        .bind(board.shown)
        .bind(now)
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await
    }

    /// Telegram answered that the message to edit is gone (deleted, or too old to edit):
    /// the item has failed for good, and a board that was that message is no more.
    pub async fn outbox_gone(&self, item: &OutboxItem, error: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE outbox SET state = 'failed', last_error = $2, lease_until = NULL WHERE id = $1",
        )
        .bind(item.id)
        .bind(error)
        .execute(&mut *tx.tx)
        .await?;
        if let OutAction::EditText { message_id, .. } = &item.action {
            sqlx::query(
                "UPDATE boards SET message_id = NULL WHERE chat_id = $1 AND message_id = $2",
            )
            .bind(item.chat_id)
            .bind(i64::from(*message_id))
            .execute(&mut *tx.tx)
            .await?;
        }
        tx.commit().await
    }
}

impl Tx<'_> {
    /// A sent text was a new board: remember its message id and pin it.
    pub(crate) async fn board_sent(
        &mut self,
        item: &OutboxItem,
        message_id: MsgId,
        now: Millis,
    ) -> Result<()> {
        let r = sqlx::query(
            "UPDATE boards SET message_id = $3, outbox_id = NULL WHERE outbox_id = $1 AND chat_id = $2",
        )
        .bind(item.id)
        .bind(item.chat_id)
        .bind(i64::from(message_id))
        .execute(&mut *self.tx)
        .await?;
        if r.rows_affected() == 1 {
            let pin = Outgoing::new(item.chat_id, OutAction::Pin { message_id });
            self.enqueue_id(&pin, now).await?;
        }
        Ok(())
    }

    /// Queue one call and return its outbox id.
    async fn enqueue_id(&mut self, out: &Outgoing, now: Millis) -> Result<i64> {
        let action = serde_json::to_string(&out.action)
            .map_err(|e| crate::StoreError::Corrupt(format!("outgoing action: {e}")))?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO outbox (chat_id, action, petition, created_at, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(out.chat_id)
        .bind(action)
        .bind(out.petition.map(|n| n.0))
        .bind(now)
        .bind(out.not_before.max(now))
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(id)
    }
}
