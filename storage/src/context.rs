//! Loading what the product needs to decide about one update, inside its transaction.

use crate::rows::{EventRow, StaffRow, from_json, petition_json};
use crate::{ACTIVE, Result, Tx};
use gridbot_handlers::context::ListKind;
use gridbot_handlers::incoming::Incoming;
use gridbot_handlers::model::*;
use gridbot_handlers::page::effective_role;
use gridbot_handlers::{Context, Settings, Wants};
use sqlx::AssertSqlSafe;

const WEEK_MS: i64 = 7 * 24 * 3_600_000;

impl Tx<'_> {
    /// Petitions where `filter` holds, one JSON value a row (see [`petition_json`]).
    pub(crate) fn select(&mut self, filter: &str) -> AssertSqlSafe<String> {
        let postgres = self.postgres();
        AssertSqlSafe(format!(
            "SELECT {} FROM petitions WHERE {filter}",
            petition_json(postgres)
        ))
    }

    /// Petitions an update may write back are locked on PostgreSQL, so the scheduler (which
    /// locks them too) never sees its changes overwritten by a stale copy. SQLite has one
    /// writer at a time already.
    pub(crate) fn lock(&mut self) -> &'static str {
        if self.postgres() { " FOR UPDATE" } else { "" }
    }

    /// The chat's grid and the sender's effective role there.
    pub async fn base_context(&mut self, inc: &Incoming, s: &Settings) -> Result<Context> {
        let mut ctx = Context::default();
        if let Some(chat) = inc.chat_id() {
            ctx.grid = self.grid(chat).await?;
        }
        if let Some(sender) = inc.sender() {
            // Every role the sender has, in one query.
            let roles: Vec<(String, String)> =
                sqlx::query_as("SELECT scope, role FROM roles WHERE user_id = $1")
                    .bind(sender.id)
                    .fetch_all(&mut *self.tx)
                    .await?;
            (ctx.role, ctx.secretary_of) = effective_role(&roles, ctx.grid.as_ref(), sender.id, s);
        }
        Ok(ctx)
    }

    pub(crate) async fn grid(&mut self, chat: ChatId) -> Result<Option<Grid>> {
        Ok(sqlx::query_as::<_, (i64, String, String)>(
            "SELECT chat_id, community, grid FROM grids WHERE chat_id = $1",
        )
        .bind(chat)
        .fetch_optional(&mut *self.tx)
        .await?
        .map(|(chat_id, community, grid)| Grid {
            chat_id,
            community,
            grid,
        }))
    }

    /// A user's role in a grid: worker/property of the grid or secretary of its community.
    async fn role_in(&mut self, user: UserId, chat: ChatId, community: &str) -> Result<Role> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT role FROM roles WHERE user_id = $1 AND (scope = $2 OR scope = $3)",
        )
        .bind(user)
        .bind(format!("grid:{chat}"))
        .bind(format!("community:{community}"))
        .fetch_all(&mut *self.tx)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|(r,)| Role::from_code(r))
            .max()
            .unwrap_or(Role::Resident))
    }

    /// Everything else [`Wants`] asks for.
    pub async fn load(
        &mut self,
        inc: &Incoming,
        ctx: &mut Context,
        w: &Wants,
        s: &Settings,
        now: Millis,
    ) -> Result<()> {
        let chat = inc.chat_id().unwrap_or(0);
        let sender = inc.sender().cloned();
        ctx.judged = w.judged.clone();
        for n in &w.numbers {
            if let Some(p) = self.petition(*n).await? {
                let role = match &sender {
                    Some(u) if s.is_admin(u.id) => Role::Admin,
                    Some(u) => self.role_in(u.id, p.chat_id, &p.community).await?,
                    None => Role::Resident,
                };
                ctx.petition_roles.push((p.number, role));
                ctx.petitions.push(p);
            }
        }
        if let Some(first) = w.numbers.first() {
            ctx.followers = self.followers(*first).await?;
            if w.history {
                ctx.history = self.history(*first).await?;
            }
        }
        if let Some(msg) = w.reply_to {
            ctx.reply_petition = self.petition_of_message(chat, msg).await?;
        }
        if let Some(msg) = w.edited {
            let lock = self.lock();
            let rows = sqlx::query_as::<_, (String,)>(
                self.select(&format!("chat_id = $1 AND message_id = $2{lock}")),
            )
            .bind(chat)
            .bind(msg as i64)
            .fetch_all(&mut *self.tx)
            .await?;
            ctx.edited_petition = from_json(rows)?.into_iter().next();
        }
        if w.sender_recent
            && let Some(u) = &sender
        {
            let rows = sqlx::query_as::<_, (String,)>(self.select(&format!(
                "chat_id = $1 AND resident_id = $2 AND state IN {ACTIVE} ORDER BY created_at DESC, number DESC LIMIT 1"
            )))
            .bind(chat)
            .bind(u.id)
            .fetch_all(&mut *self.tx)
            .await?;
            ctx.last_of_sender = from_json(rows)?.into_iter().next();
            // Only the one a duplicate would join: the oldest with the same category and place
            // (the product takes the first in number order), found through its index.
            if let Some((category, location)) = &w.duplicates {
                let rows = sqlx::query_as::<_, (String,)>(self.select(&format!(
                    "chat_id = $1 AND category = $3 AND location = $4 AND state IN {ACTIVE} \
                     AND created_at >= $2 ORDER BY number LIMIT 1"
                )))
                .bind(chat)
                .bind(now - s.duplicate_window.ms())
                .bind(category)
                .bind(location)
                .fetch_all(&mut *self.tx)
                .await?;
                ctx.recent_active = from_json(rows)?;
            }
            ctx.next_number = self.next_number().await?;
        }
        if let (Some(kind), Some(u)) = (w.list, &sender) {
            ctx.list = self.list(kind, ctx, u.id, now).await?;
        }
        if let Some(user) = w.target_user
            && let Some(g) = ctx.grid.clone()
        {
            ctx.target_role = Some(if s.is_admin(user) {
                Role::Admin
            } else {
                self.role_in(user, g.chat_id, &g.community).await?
            });
        }
        if w.forget
            && let Some(u) = &sender
        {
            ctx.forget = self.forget_view(u.id).await?;
        }
        if let Some(want) = &w.stats {
            self.load_stats(want, sender.as_ref().map(|u| u.id), ctx, s, now)
                .await?;
        }
        if let Some(g) = ctx.grid.clone().filter(|_| !w.lean) {
            ctx.staff = self.staff(&g).await?;
            ctx.alert_chat = self.alert_chat(&g.community).await?;
        }
        Ok(())
    }

    pub(crate) async fn next_number(&mut self) -> Result<PetitionNo> {
        let (n,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(number), 0) + 1 FROM petitions")
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(PetitionNo(n))
    }

    pub(crate) async fn petition(&mut self, n: PetitionNo) -> Result<Option<Petition>> {
        let lock = self.lock();
        let rows = sqlx::query_as::<_, (String,)>(self.select(&format!("number = $1{lock}")))
            .bind(n.0)
            .fetch_all(&mut *self.tx)
            .await?;
        Ok(from_json(rows)?.into_iter().next())
    }

    async fn petition_of_message(&mut self, chat: ChatId, msg: MsgId) -> Result<Option<Petition>> {
        let found: Option<(i64,)> = sqlx::query_as(
            "SELECT number FROM petition_messages WHERE chat_id = $1 AND message_id = $2",
        )
        .bind(chat)
        .bind(msg as i64)
        .fetch_optional(&mut *self.tx)
        .await?;
        let Some((n,)) = found else { return Ok(None) };
        let mut p = self.petition(PetitionNo(n)).await?;
        // A message of a merged duplicate now belongs to the petition it joined (merges never
        // chain; the bound only guards against a damaged database).
        for _ in 0..3 {
            match p.as_ref().and_then(|p| p.merged_into) {
                Some(into) => p = self.petition(into).await?,
                None => break,
            }
        }
        Ok(p)
    }

    pub(crate) async fn followers(&mut self, n: PetitionNo) -> Result<Vec<Person>> {
        let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
            "SELECT user_id, name, username FROM followers WHERE number = $1 ORDER BY user_id",
        )
        .bind(n.0)
        .fetch_all(&mut *self.tx)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, username)| Person { id, name, username })
            .collect())
    }

    pub(crate) async fn history(&mut self, n: PetitionNo) -> Result<Vec<Event>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT number, at, actor_id, actor_name, actor_username, kind, note FROM events WHERE number = $1 ORDER BY id",
        )
        .bind(n.0)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.into_iter().map(EventRow::into_event).collect()
    }

    /// The grid's workers and property staff, and its community's secretaries.
    pub(crate) async fn staff(&mut self, g: &Grid) -> Result<Vec<Staff>> {
        let rows: Vec<StaffRow> = sqlx::query_as(
            "SELECT r.user_id, p.name, p.username, p.phone, p.private_ok, r.role
             FROM roles r LEFT JOIN people p ON p.user_id = r.user_id
             WHERE r.scope = $1 OR r.scope = $2 ORDER BY r.role, r.user_id",
        )
        .bind(format!("grid:{}", g.chat_id))
        .bind(format!("community:{}", g.community))
        .fetch_all(&mut *self.tx)
        .await?;
        Ok(rows.into_iter().map(StaffRow::into_staff).collect())
    }

    pub(crate) async fn alert_chat(&mut self, community: &str) -> Result<Option<ChatId>> {
        let r: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT alert_chat FROM communities WHERE name = $1")
                .bind(community)
                .fetch_optional(&mut *self.tx)
                .await?;
        Ok(r.and_then(|(c,)| c))
    }

    async fn list(
        &mut self,
        kind: ListKind,
        ctx: &Context,
        user: UserId,
        now: Millis,
    ) -> Result<Vec<Petition>> {
        // A secretary or admin sees the whole community; others their grid.
        let wide = matches!(ctx.role, Role::Secretary | Role::Admin);
        let (scope, by_chat) = match &ctx.grid {
            Some(g) if !wide => ("chat_id = $1", Some(g.chat_id)),
            _ => ("community = $1", None),
        };
        let community = ctx
            .grid
            .as_ref()
            .map(|g| g.community.clone())
            .unwrap_or_default();
        let sql = match kind {
            ListKind::My => {
                "resident_id = $1 ORDER BY created_at DESC, number DESC LIMIT 100".to_string()
            }
            ListKind::Active => {
                format!("{scope} AND state IN {ACTIVE} ORDER BY urgent DESC, created_at, number")
            }
            ListKind::Mine => {
                format!(
                    "{scope} AND owner_id = $2 AND state IN {ACTIVE} ORDER BY created_at, number"
                )
            }
            ListKind::Overdue => format!(
                "{scope} AND state IN {ACTIVE} AND ((first_response_at IS NULL AND respond_by <= $2) OR resolve_by <= $2) ORDER BY created_at, number"
            ),
            // This week's visits: troubled petitions still open or finished within the week,
            // and open ones older than a week.
            ListKind::Visits => format!(
                "{scope} AND state <> 'merged' AND (\
                 (state IN {ACTIVE} AND (rating = 'unsatisfied' OR reopened > 0 OR escalated = 1 OR created_at <= $2)) \
                 OR (state NOT IN {ACTIVE} AND COALESCE(closed_at, resolved_at, 0) > $2 \
                     AND (rating = 'unsatisfied' OR reopened > 0 OR escalated = 1))) \
                 ORDER BY created_at, number"
            ),
        };
        let q = sqlx::query_as::<_, (String,)>(self.select(&sql));
        let q = match (kind, by_chat) {
            (ListKind::My, _) => q.bind(user),
            (_, Some(chat)) => q.bind(chat),
            (_, None) => q.bind(community),
        };
        let q = match kind {
            ListKind::My | ListKind::Active => q,
            ListKind::Mine => q.bind(user),
            ListKind::Overdue => q.bind(now),
            ListKind::Visits => q.bind(now - WEEK_MS),
        };
        from_json(q.fetch_all(&mut *self.tx).await?)
    }
}
