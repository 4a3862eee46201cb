//! Loading what the figures count (SPEC §6) and sending the weekly digest exactly once.

use crate::rows::{PETITION_COLUMNS, PetitionRow, petitions};
use crate::{Backend, Result, Store, Tx};
use gridbot_handlers::context::StatsWant;
use gridbot_handlers::effect::Outgoing;
use gridbot_handlers::figures::View;
use gridbot_handlers::model::*;
use gridbot_handlers::{Context, Settings};
use sqlx::AssertSqlSafe;

/// Petitions that can count in `[$1, $2)`: raised in it, answered, resolved or closed in or
/// after it, due in or after it, still waiting, or active now (overdue now). A superset:
/// `figures::compute` decides exactly.
const RELEVANT: &str = "state <> 'merged' AND (state IN ('open','claimed','escalated') OR (created_at < $2 AND \
     (created_at >= $1 OR first_response_at IS NULL OR first_response_at >= $1 OR resolved_at IS NULL \
      OR resolved_at >= $1 OR resolve_by >= $1 OR closed_at >= $1)))";

fn grid_of((chat_id, community, grid): (i64, String, String)) -> Grid {
    Grid {
        chat_id,
        community,
        grid,
    }
}

impl Tx<'_> {
    /// `/stats`: the grids in view and their relevant petitions.
    pub(crate) async fn load_stats(
        &mut self,
        want: &StatsWant,
        sender: Option<UserId>,
        ctx: &mut Context,
        s: &Settings,
        now: Millis,
    ) -> Result<()> {
        let Ok(period) = want.period.resolve(now, s.tz) else {
            return Ok(());
        };
        let mut grids = Vec::new();
        match &want.view {
            View::Grid(chat) => grids.extend(self.grid(*chat).await?),
            View::Street => grids = self.grids_where("1 = 1", None).await?,
            View::Communities(names) => {
                for c in names {
                    grids.extend(self.grids_where("community = $1", Some(c)).await?);
                }
            }
            View::OwnGrids => {
                let scopes: Vec<(String,)> = sqlx::query_as(
                    "SELECT scope FROM roles WHERE user_id = $1 AND role IN ('worker','property') ORDER BY scope",
                )
                .bind(sender.unwrap_or(0))
                .fetch_all(&mut *self.tx)
                .await?;
                for (scope,) in scopes {
                    if let Some(chat) = scope.strip_prefix("grid:").and_then(|c| c.parse().ok()) {
                        grids.extend(self.grid(chat).await?);
                    }
                }
            }
        }
        grids.sort_by(|a, b| (&a.community, &a.grid).cmp(&(&b.community, &b.grid)));
        grids.dedup_by_key(|g| g.chat_id);
        for g in &grids {
            let rows = sqlx::query_as::<_, PetitionRow>(AssertSqlSafe(format!(
                "SELECT {PETITION_COLUMNS} FROM petitions WHERE chat_id = $3 AND {RELEVANT} ORDER BY number"
            )))
            .bind(period.start)
            .bind(period.end)
            .bind(g.chat_id)
            .fetch_all(&mut *self.tx)
            .await?;
            ctx.stats_petitions.extend(petitions(rows)?);
        }
        ctx.stats_grids = grids;
        Ok(())
    }

    async fn grids_where(&mut self, filter: &str, arg: Option<&String>) -> Result<Vec<Grid>> {
        let sql = format!(
            "SELECT chat_id, community, grid FROM grids WHERE {filter} ORDER BY community, grid"
        );
        let q = sqlx::query_as::<_, (i64, String, String)>(AssertSqlSafe(sql));
        let q = match arg {
            Some(a) => q.bind(a.clone()),
            None => q,
        };
        Ok(q.fetch_all(&mut *self.tx)
            .await?
            .into_iter()
            .map(grid_of)
            .collect())
    }
}

impl Store {
    /// Every bound grid, by community and name.
    pub async fn grids(&self) -> Result<Vec<Grid>> {
        let mut tx = self.begin().await?;
        let g = tx.grids_where("1 = 1", None).await?;
        tx.commit().await?;
        Ok(g)
    }

    /// Every petition that can count in the period `[start, end)` or is active now, by number.
    ///
    /// They come as one JSON array in one row: a month of a large street is a hundred
    /// thousand petitions, and through the driver one row at a time they took seconds; one
    /// string built by the database and parsed here takes a fraction of that.
    pub async fn figure_petitions(&self, start: Millis, end: Millis) -> Result<Vec<Petition>> {
        let all = match self.backend {
            Backend::Sqlite => format!("json_group_array(json_array({PETITION_COLUMNS}))"),
            Backend::Postgres => format!("json_agg(json_build_array({PETITION_COLUMNS}))::text"),
        };
        let (json,): (Option<String>,) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {all} FROM petitions WHERE {RELEVANT}"
        )))
        .bind(start)
        .bind(end)
        .fetch_one(self.pool())
        .await?;
        let rows: Vec<PetitionRow> = match json {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| crate::StoreError::Corrupt(format!("petitions as JSON: {e}")))?,
            None => Vec::new(),
        };
        let mut out = petitions(rows)?;
        out.sort_unstable_by_key(|p| p.number);
        Ok(out)
    }

    /// Communities with an alert chat, and when their first grid was bound.
    pub async fn digest_targets(&self) -> Result<Vec<(String, ChatId, Option<Millis>)>> {
        Ok(sqlx::query_as(
            "SELECT c.name, c.alert_chat, (SELECT MIN(g.bound_at) FROM grids g WHERE g.community = c.name)
             FROM communities c WHERE c.alert_chat IS NOT NULL ORDER BY c.name",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// Queue `outgoing` unless `key` was marked before, and mark it; the mark and the
    /// messages are one transaction, so a digest goes out once however often (and by however
    /// many instances) this is called. `force` queues even when marked; without a key the
    /// messages are always queued.
    pub async fn enqueue_once(
        &self,
        key: Option<&str>,
        outgoing: &[Outgoing],
        now: Millis,
        force: bool,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        if let Some(k) = key {
            let r = sqlx::query(
                "INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            )
            .bind(k)
            .bind(now.to_string())
            .execute(&mut *tx.tx)
            .await?;
            if r.rows_affected() != 1 && !force {
                return Ok(false);
            }
        }
        let sends: Vec<gridbot_handlers::effect::Effect> = outgoing
            .iter()
            .cloned()
            .map(gridbot_handlers::effect::Effect::Send)
            .collect();
        tx.apply(&sends, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Whether `key` was marked by [`Store::enqueue_once`].
    pub async fn marked(&self, key: &str) -> Result<bool> {
        let v: Option<(String,)> = sqlx::query_as("SELECT value FROM kv WHERE key = $1")
            .bind(key)
            .fetch_optional(self.pool())
            .await?;
        Ok(v.is_some())
    }
}

/// The kv key that marks a community's digest for a period as queued.
pub fn digest_key(community: &str, period_label: &str) -> String {
    format!("digest:{community}:{period_label}")
}
