//! gridbot's database: migrations for SQLite and PostgreSQL and one [`Store`] with a method
//! per use case, taking and returning `gridbot_handlers` types. Row structs stay private.
//!
//! Portable SQL (`$1` placeholders, integer times) through `sqlx::Any`, so every feature
//! works the same on both backends.

mod apply;
mod backup;
mod batch;
mod board;
mod context;
mod due;
mod figures;
mod lease;
mod outbox;
mod page;
mod queries;
mod retention;
mod rows;
pub mod testing;
mod webhooks;

pub use board::BoardGroup;
pub use due::DueLoad;
pub use figures::digest_key;
pub use outbox::{OutboxItem, OutboxStats};
pub use page::DuplicateKey;
pub use queries::{ExportEvent, ExportRow};
pub use retention::raw_user_pattern;
pub use webhooks::WebhookItem;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// The database, shared by the poller, the sender and the scheduler.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// A message as [`Tx::record_messages`] stores it.
pub struct NewMessage<'a> {
    pub chat_id: i64,
    pub message_id: i32,
    pub user_id: Option<i64>,
    pub text: &'a str,
    pub at: i64,
}

/// Rows in one multi-row INSERT: far below either backend's limit of bound parameters.
const ROWS_PER_STATEMENT: usize = 500;

/// `($1, $2, $3), ($4, $5, $6)` for `rows` rows of `columns` values on PostgreSQL, and
/// `(?, ?, ?), (?, ?, ?)` on SQLite: SQLite looks a numbered parameter's name up by walking
/// the statement's list of names, once for every parameter bound, so binding thousands of
/// them costs the square of their number; anonymous ones are bound by position.
fn placeholders(rows: usize, columns: usize, postgres: bool) -> String {
    let mut out = String::with_capacity(rows * columns * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..columns {
            if c > 0 {
                out.push_str(", ");
            }
            out.push_str(&param(r * columns + c + 1, postgres));
        }
        out.push(')');
    }
    out
}

/// The `i`th (from 1) bound value as [`placeholders`] writes it: `$i`, or `?` on SQLite.
pub(crate) fn param(i: usize, postgres: bool) -> String {
    if postgres {
        format!("${i}")
    } else {
        "?".into()
    }
}

/// The states of a petition still being handled, as SQL.
pub(crate) const ACTIVE: &str = "('open','claimed','escalated')";

/// One transaction: an update, its decisions and its outgoing calls land together or not at all.
pub struct Tx<'a> {
    tx: Transaction<'a, Any>,
}

impl Store {
    /// `sqlite://file.db` (created when missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let (url, max) = match backend {
            Backend::Sqlite => {
                let u = if url.contains('?') || url.contains(":memory:") {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                // One writer at a time is SQLite's nature; one connection avoids lock upgrades.
                (u, 1)
            }
            Backend::Postgres => (url.to_string(), 8),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(60))
            // A ping before every use is a round trip each time; a local SQLite file never
            // drops its connection, a PostgreSQL server may.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        Ok(Store { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Create or upgrade the schema.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE.run(&self.pool).await?,
            Backend::Postgres => POSTGRES.run(&self.pool).await?,
        }
        Ok(())
    }

    pub async fn begin(&self) -> Result<Tx<'static>> {
        Ok(Tx {
            tx: self.pool.begin().await?,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The next `getUpdates` offset (0 before the first update).
    pub async fn offset(&self) -> Result<i64> {
        let v: Option<(String,)> = sqlx::query_as("SELECT value FROM kv WHERE key = 'offset'")
            .fetch_optional(&self.pool)
            .await?;
        Ok(v.and_then(|(s,)| s.parse().ok()).unwrap_or(0))
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

impl Tx<'_> {
    pub(crate) fn postgres(&mut self) -> bool {
        self.tx.backend_name() == "PostgreSQL"
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }

    /// Store a raw update; false when it was stored before (a repeat does nothing twice).
    pub async fn record_update(&mut self, update_id: i64, raw: &str, now: i64) -> Result<bool> {
        let r = sqlx::query(
            "INSERT INTO updates (update_id, received_at, raw) VALUES ($1, $2, $3)
             ON CONFLICT (update_id) DO NOTHING",
        )
        .bind(update_id)
        .bind(now)
        .bind(raw)
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// [`Tx::record_update`] for a whole page in one statement: whether each is new (a
    /// repeat within the page is not new the second time).
    pub async fn record_updates(&mut self, rows: &[(i64, &str)], now: i64) -> Result<Vec<bool>> {
        let mut fresh = std::collections::HashSet::new();
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO updates (update_id, received_at, raw) VALUES {}
                 ON CONFLICT (update_id) DO NOTHING RETURNING update_id",
                placeholders(chunk.len(), 3, self.postgres())
            );
            let mut q = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql));
            for (id, raw) in chunk {
                q = q.bind(*id).bind(now).bind(*raw);
            }
            fresh.extend(
                q.fetch_all(&mut *self.tx)
                    .await?
                    .into_iter()
                    .map(|(id,)| id),
            );
        }
        Ok(rows.iter().map(|(id, _)| fresh.remove(id)).collect())
    }

    /// [`Tx::record_message`] for a whole page in one statement: whether each is new.
    pub async fn record_messages(&mut self, rows: &[NewMessage<'_>]) -> Result<Vec<bool>> {
        let mut fresh = std::collections::HashSet::new();
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO messages (chat_id, message_id, user_id, text, at) VALUES {}
                 ON CONFLICT (chat_id, message_id) DO NOTHING RETURNING chat_id, message_id",
                placeholders(chunk.len(), 5, self.postgres())
            );
            let mut q = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql));
            for m in chunk {
                q = q
                    .bind(m.chat_id)
                    .bind(m.message_id as i64)
                    .bind(m.user_id)
                    .bind(m.text)
                    .bind(m.at);
            }
            fresh.extend(q.fetch_all(&mut *self.tx).await?);
        }
        Ok(rows
            .iter()
            .map(|m| fresh.remove(&(m.chat_id, m.message_id as i64)))
            .collect())
    }

    /// Note that an update could not be processed (it stays stored with the reason).
    pub async fn mark_update_failed(&mut self, update_id: i64, error: &str) -> Result<()> {
        sqlx::query("UPDATE updates SET error = $2 WHERE update_id = $1")
            .bind(update_id)
            .bind(error)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Store a message; false when this chat's message id was stored before.
    pub async fn record_message(
        &mut self,
        chat_id: i64,
        message_id: i32,
        user_id: Option<i64>,
        text: &str,
        at: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "INSERT INTO messages (chat_id, message_id, user_id, text, at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (chat_id, message_id) DO NOTHING",
        )
        .bind(chat_id)
        .bind(message_id as i64)
        .bind(user_id)
        .bind(text)
        .bind(at)
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// The offset the next `getUpdates` confirms with.
    pub async fn set_offset(&mut self, offset: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO kv (key, value) VALUES ('offset', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(offset.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
