//! Helpers for tests that run on both backends: a fresh PostgreSQL database per test.

use crate::{Result, Store};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT: AtomicU64 = AtomicU64::new(0);

/// The PostgreSQL server tests may use (`GRIDBOT_TEST_PG`), if any. When
/// `GRIDBOT_TEST_PG_REQUIRED` is set, its absence is an error rather than a skip.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("GRIDBOT_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() && std::env::var("GRIDBOT_TEST_PG_REQUIRED").is_ok() {
        panic!(
            "GRIDBOT_TEST_PG_REQUIRED is set but GRIDBOT_TEST_PG is not: start PostgreSQL with .ci/pg.sh"
        );
    }
    url
}

/// Create an empty database on the server at `base` and return its URL.
pub async fn fresh_postgres(base: &str) -> Result<String> {
    let name = format!(
        "gridbot_t_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let admin = Store::connect(base).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(admin.pool())
        .await?;
    admin.close().await;
    let (prefix, _) = base.rsplit_once('/').unwrap_or((base, ""));
    Ok(format!("{prefix}/{name}"))
}

/// Each named test (an `async fn(&Store)` in the calling module) runs on a fresh SQLite file
/// and, where a server is given, on a fresh PostgreSQL database.
#[cfg(test)]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("t.db").display());
                let s = crate::Store::connect(&url).await.unwrap();
                s.migrate().await.unwrap();
                super::$name(&s).await;
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                let Some(base) = crate::testing::postgres_url() else {
                    eprintln!("skipped: GRIDBOT_TEST_PG is not set");
                    return;
                };
                let url = crate::testing::fresh_postgres(&base).await.unwrap();
                let s = crate::Store::connect(&url).await.unwrap();
                s.migrate().await.unwrap();
                super::$name(&s).await;
            })*
        }
    };
}
#[cfg(test)]
pub(crate) use on_both;

/// Every row a decision can write, one line each in key order, for comparing two databases
/// that were given the same updates.
pub async fn dump(store: &Store) -> Result<Vec<String>> {
    let tables: [(&str, &str, &str); 8] = [
        ("petitions", crate::rows::PETITION_COLUMNS, "number"),
        (
            "events",
            "id, number, at, actor_id, actor_name, actor_username, kind, note",
            "id",
        ),
        (
            "outbox",
            "id, chat_id, action, petition, state, created_at, next_attempt_at",
            "id",
        ),
        (
            "people",
            "user_id, name, username, phone, private_ok",
            "user_id",
        ),
        (
            "followers",
            "number, user_id, name, username",
            "number, user_id",
        ),
        (
            "petition_messages",
            "chat_id, message_id, number",
            "chat_id, message_id",
        ),
        ("webhook_outbox", "id, payload, state, created_at", "id"),
        (
            "grids",
            "chat_id, community, grid, title, present",
            "chat_id",
        ),
    ];
    let mut out = Vec::new();
    for (table, columns, order) in tables {
        let text: Vec<String> = columns
            .split(',')
            .map(|c| format!("COALESCE(CAST({} AS TEXT), '-')", c.trim()))
            .collect();
        let sql = format!(
            "SELECT {} FROM {table} ORDER BY {order}",
            text.join(" || ' | ' || ")
        );
        let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(store.pool())
            .await?;
        out.extend(rows.into_iter().map(|(r,)| format!("{table}: {r}")));
    }
    Ok(out)
}
