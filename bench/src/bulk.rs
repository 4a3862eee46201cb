//! Large fixtures straight into the database: multi-row INSERTs inside one transaction, on
//! the schema `gridbot migrate` made. Far faster than through the bot, and the bot's own
//! paths are what the benchmarks then measure.

use anyhow::Result;
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};

/// One petition as stored; the columns left out keep their defaults (or NULL).
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub number: i64,
    pub chat_id: i64,
    pub message_id: i64,
    pub community: String,
    pub grid: String,
    pub resident_id: i64,
    pub resident_name: String,
    pub text: String,
    pub category: Option<&'static str>,
    pub location: Option<String>,
    pub state: &'static str,
    pub owner: Option<(i64, String)>,
    pub created_at: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub rating: Option<&'static str>,
    pub respond_by: i64,
    pub escalate_at: i64,
    pub resolve_by: i64,
    pub next_due_at: Option<i64>,
}

impl Row {
    /// Petition `i` (number `i + 1`) of grid `i % GROUPS`, raised by its own resident with
    /// `text` half an hour before `respond_by`, unanswered, its reminder due then.
    pub fn unanswered(i: usize, text: String, respond_by: i64) -> Row {
        let grid = crate::fixtures::grid(i % crate::fixtures::GROUPS);
        let created = respond_by - 30 * 60_000;
        Row {
            number: i as i64 + 1,
            chat_id: grid.chat_id,
            message_id: 10 + (i / crate::fixtures::GROUPS) as i64,
            community: grid.community,
            grid: grid.grid,
            resident_id: 1_000_000 + i as i64,
            resident_name: format!("居民{i}"),
            text,
            category: Some("property"),
            state: "open",
            created_at: created,
            respond_by,
            escalate_at: created + 2 * 3_600_000,
            resolve_by: created + 72 * 3_600_000,
            next_due_at: Some(respond_by),
            ..Row::default()
        }
    }
}

const COLUMNS: &str = "INSERT INTO petitions (number, chat_id, message_id, community, grid, \
    resident_id, resident_name, text, category, urgent, location, needs_look, state, owner_id, \
    owner_name, created_at, first_response_at, resolved_at, closed_at, rating, respond_by, \
    escalate_at, resolve_by, next_due_at) ";
/// 24 parameters a row: 1,000 rows stay under SQLite's 32,766 parameters a statement.
const ROWS_PER_INSERT: usize = 1_000;

/// Insert petitions `row(0) .. row(n-1)` in one transaction.
pub async fn petitions(url: &str, n: usize, row: impl Fn(usize) -> Row) -> Result<()> {
    let mut conn = SqliteConnection::connect(url).await?;
    sqlx::query("PRAGMA synchronous = NORMAL")
        .execute(&mut conn)
        .await?;
    let mut tx = conn.begin().await?;
    let mut start = 0;
    while start < n {
        let end = (start + ROWS_PER_INSERT).min(n);
        let rows: Vec<Row> = (start..end).map(&row).collect();
        let mut q = QueryBuilder::<Sqlite>::new(COLUMNS);
        q.push_values(rows, |mut b, r| {
            let (owner_id, owner_name) = r.owner.map_or((None, None), |(i, n)| (Some(i), Some(n)));
            b.push_bind(r.number)
                .push_bind(r.chat_id)
                .push_bind(r.message_id)
                .push_bind(r.community)
                .push_bind(r.grid)
                .push_bind(r.resident_id)
                .push_bind(r.resident_name)
                .push_bind(r.text)
                .push_bind(r.category)
                .push_bind(0i64)
                .push_bind(r.location)
                .push_bind(0i64)
                .push_bind(r.state)
                .push_bind(owner_id)
                .push_bind(owner_name)
                .push_bind(r.created_at)
                .push_bind(r.first_response_at)
                .push_bind(r.resolved_at)
                .push_bind(r.closed_at)
                .push_bind(r.rating)
                .push_bind(r.respond_by)
                .push_bind(r.escalate_at)
                .push_bind(r.resolve_by)
                .push_bind(r.next_due_at);
        });
        q.build().execute(&mut *tx).await?;
        start = end;
    }
    tx.commit().await?;
    conn.close().await?;
    Ok(())
}

/// How many petitions match `filter` (with `$1`, `$2` bound to `a`, `b`).
pub async fn count(url: &str, filter: &str, a: i64, b: i64) -> Result<i64> {
    let mut conn = SqliteConnection::connect(url).await?;
    let sql = format!("SELECT COUNT(*) FROM petitions WHERE {filter}");
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(a)
        .bind(b)
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    Ok(n)
}

/// Run one statement on the database (fixture tweaks between measurements).
pub async fn exec(url: &str, sql: &str) -> Result<u64> {
    let mut conn = SqliteConnection::connect(url).await?;
    let r = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(r.rows_affected())
}
