//! Read-only queries for the command line and the scheduler: export, due petitions.

use crate::rows::{EventRow, PETITION_COLUMNS, PetitionRow, petitions};
use crate::{Result, Store};
use gridbot_handlers::model::*;
use serde::Serialize;
use sqlx::AssertSqlSafe;

/// One petition as `gridbot export` writes it (text masked by the caller).
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow {
    pub number: i64,
    pub community: String,
    pub grid: String,
    pub chat_id: i64,
    pub message_id: i64,
    pub resident_id: i64,
    pub text: String,
    pub category: Option<String>,
    pub urgent: bool,
    pub location: Option<String>,
    pub state: String,
    pub created_at: String,
    pub first_response_at: Option<String>,
    pub resolved_at: Option<String>,
    pub rating: Option<String>,
    pub owner_id: Option<i64>,
    pub merged_into: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportEvent {
    pub number: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub kind: String,
    pub note: String,
}

fn iso(ms: Millis) -> String {
    chrono_free_iso(ms)
}

/// RFC 3339 in UTC without pulling chrono into storage.
fn chrono_free_iso(ms: Millis) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (h, m, s) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if mo <= 2 { y + 1 } else { y };
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}Z")
}

impl Store {
    /// Every petition raised at or after `since`, oldest first.
    pub async fn export(&self, since: Millis) -> Result<Vec<ExportRow>> {
        let rows = self.petitions_since(since).await?;
        Ok(rows
            .into_iter()
            .map(|p| ExportRow {
                number: p.number.0,
                community: p.community,
                grid: p.grid,
                chat_id: p.chat_id,
                message_id: p.message_id as i64,
                resident_id: p.resident.id,
                text: p.text,
                category: p.category,
                urgent: p.urgent,
                location: p.location,
                state: p.state.code().to_string(),
                created_at: iso(p.created_at),
                first_response_at: p.first_response_at.map(iso),
                resolved_at: p.resolved_at.map(iso),
                rating: p.rating.map(|r| r.code().to_string()),
                owner_id: p.owner.map(|o| o.id),
                merged_into: p.merged_into.map(|n| n.0),
            })
            .collect())
    }

    pub async fn petitions_since(&self, since: Millis) -> Result<Vec<Petition>> {
        let rows: Vec<PetitionRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {PETITION_COLUMNS} FROM petitions WHERE created_at >= $1 ORDER BY number"
        )))
        .bind(since)
        .fetch_all(self.pool())
        .await?;
        petitions(rows)
    }

    pub async fn petition(&self, n: PetitionNo) -> Result<Option<Petition>> {
        let mut tx = self.begin().await?;
        let p = tx.petition(n).await?;
        tx.commit().await?;
        Ok(p)
    }

    pub async fn export_events(&self, since: Millis) -> Result<Vec<ExportEvent>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT e.number, e.at, e.actor_id, e.actor_name, e.actor_username, e.kind, e.note FROM events e
             JOIN petitions p ON p.number = e.number WHERE p.created_at >= $1 ORDER BY e.id",
        )
        .bind(since)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|r| {
                let e = r.into_event()?;
                Ok(ExportEvent {
                    number: e.number.0,
                    at: iso(e.at),
                    actor_id: e.actor.map(|a| a.id),
                    kind: e.kind.code().to_string(),
                    note: e.note,
                })
            })
            .collect()
    }

    /// How many petitions there are (for tests and the operator).
    pub async fn petition_count(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM petitions")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_times_are_utc_rfc3339() {
        assert_eq!(super::iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso(1_795_000_000_000), "2026-11-18T11:06:40Z");
        assert_eq!(super::iso(951_782_400_000), "2000-02-29T00:00:00Z");
    }
}
