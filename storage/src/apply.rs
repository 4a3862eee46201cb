//! Carrying out the product's effects inside the update's transaction.

use crate::{Result, Tx};
use gridbot_handlers::effect::{Effect, Outgoing};
use gridbot_handlers::model::*;

impl Tx<'_> {
    pub(crate) async fn apply_one(&mut self, e: &Effect, now: Millis) -> Result<()> {
        match e {
            Effect::Bind { grid, title } => {
                sqlx::query(
                    "INSERT INTO communities (name) VALUES ($1) ON CONFLICT (name) DO NOTHING",
                )
                .bind(&grid.community)
                .execute(&mut *self.tx)
                .await?;
                sqlx::query(
                    "INSERT INTO grids (chat_id, community, grid, title, present, bound_at) VALUES ($1, $2, $3, $4, 1, $5)
                     ON CONFLICT (chat_id) DO UPDATE SET community = excluded.community, grid = excluded.grid,
                     title = excluded.title, present = 1",
                )
                .bind(grid.chat_id)
                .bind(&grid.community)
                .bind(&grid.grid)
                .bind(title.clone())
                .bind(now)
                .execute(&mut *self.tx)
                .await?;
            }
            Effect::SetRole { grid, person, role } => {
                let grid_scope = format!("grid:{}", grid.chat_id);
                let community_scope = format!("community:{}", grid.community);
                let scope = match role {
                    Role::Secretary => &community_scope,
                    _ => &grid_scope,
                };
                if *role == Role::Resident {
                    sqlx::query(
                        "DELETE FROM roles WHERE user_id = $1 AND (scope = $2 OR scope = $3)",
                    )
                    .bind(person.id)
                    .bind(&grid_scope)
                    .bind(&community_scope)
                    .execute(&mut *self.tx)
                    .await?;
                } else {
                    sqlx::query(
                        "INSERT INTO roles (user_id, scope, role) VALUES ($1, $2, $3)
                         ON CONFLICT (user_id, scope) DO UPDATE SET role = excluded.role",
                    )
                    .bind(person.id)
                    .bind(scope)
                    .bind(role.code())
                    .execute(&mut *self.tx)
                    .await?;
                }
            }
            Effect::SetAlertChat { community, chat_id } => {
                sqlx::query(
                    "INSERT INTO communities (name, alert_chat) VALUES ($1, $2)
                     ON CONFLICT (name) DO UPDATE SET alert_chat = excluded.alert_chat",
                )
                .bind(community)
                .bind(*chat_id)
                .execute(&mut *self.tx)
                .await?;
            }
            Effect::SeenPerson(p) => self.seen(p, false).await?,
            Effect::PrivateChat(p) => self.seen(p, true).await?,
            Effect::SetPhone { user, phone } => {
                sqlx::query("UPDATE people SET phone = $2 WHERE user_id = $1")
                    .bind(*user)
                    .bind(phone)
                    .execute(&mut *self.tx)
                    .await?;
            }
            Effect::NewPetition(p) => self.insert_petition(p).await?,
            Effect::SavePetition(p) => self.update_petition(p).await?,
            Effect::AddFollower { number, person } => {
                sqlx::query(
                    "INSERT INTO followers (number, user_id, name, username) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (number, user_id) DO NOTHING",
                )
                .bind(number.0)
                .bind(person.id)
                .bind(&person.name)
                .bind(person.username.clone())
                .execute(&mut *self.tx)
                .await?;
            }
            Effect::LinkMessage {
                number,
                chat_id,
                message_id,
            } => self.link_message(*number, *chat_id, *message_id).await?,
            Effect::Log(ev) => self.log_event(ev).await?,
            Effect::Send(out) => self.enqueue(out, now).await?,
            Effect::MigrateChat { from, to } => self.migrate_chat(*from, *to).await?,
            Effect::ChatPresence { chat_id, present } => {
                sqlx::query("UPDATE grids SET present = $2 WHERE chat_id = $1")
                    .bind(*chat_id)
                    .bind(*present as i64)
                    .execute(&mut *self.tx)
                    .await?;
            }
            Effect::Webhook(alert) => self.enqueue_webhook(alert, now).await?,
            Effect::Forget { user } => {
                let n = self.forget(*user).await?;
                tracing::info!(
                    user_id = *user,
                    petitions = n,
                    "personal data forgotten on request"
                );
            }
        }
        Ok(())
    }

    async fn seen(&mut self, p: &Person, private: bool) -> Result<()> {
        sqlx::query(
            "INSERT INTO people (user_id, name, username, private_ok) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, username = excluded.username,
             private_ok = CASE WHEN excluded.private_ok = 1 THEN 1 ELSE people.private_ok END",
        )
        .bind(p.id)
        .bind(&p.name)
        .bind(p.username.clone())
        .bind(private as i64)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub(crate) async fn link_message(
        &mut self,
        n: PetitionNo,
        chat: ChatId,
        msg: MsgId,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO petition_messages (chat_id, message_id, number) VALUES ($1, $2, $3)
             ON CONFLICT (chat_id, message_id) DO NOTHING",
        )
        .bind(chat)
        .bind(msg as i64)
        .bind(n.0)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub(crate) async fn log_event(&mut self, ev: &Event) -> Result<()> {
        sqlx::query(
            "INSERT INTO events (number, at, actor_id, actor_name, actor_username, kind, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(ev.number.0)
        .bind(ev.at)
        .bind(ev.actor.as_ref().map(|a| a.id))
        .bind(ev.actor.as_ref().map(|a| a.name.clone()))
        .bind(ev.actor.as_ref().and_then(|a| a.username.clone()))
        .bind(ev.kind.code())
        .bind(&ev.note)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub(crate) async fn enqueue(&mut self, out: &Outgoing, now: Millis) -> Result<()> {
        let action = serde_json::to_string(&out.action)
            .map_err(|e| crate::StoreError::Corrupt(format!("outgoing action: {e}")))?;
        sqlx::query(
            "INSERT INTO outbox (chat_id, action, petition, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(out.chat_id)
        .bind(action)
        .bind(out.petition.map(|n| n.0))
        .bind(now)
        .bind(out.not_before.max(now))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Every column in one statement.
    async fn insert_petition(&mut self, p: &Petition) -> Result<()> {
        let sql = format!(
            "INSERT INTO petitions ({}) VALUES {}",
            crate::rows::PETITION_COLUMNS,
            crate::placeholders(1, 32, self.postgres())
        );
        crate::batch::bind_petition(sqlx::query(sqlx::AssertSqlSafe(sql)), p)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub(crate) async fn update_petition(&mut self, p: &Petition) -> Result<()> {
        sqlx::query(
            "UPDATE petitions SET text = $2, category = $3, urgent = $4, location = $5, state = $6,
             owner_id = $7, owner_name = $8, owner_username = $9, first_response_at = $10, resolved_at = $11,
             closed_at = $12, rating = $13, merged_into = $14, respond_by = $15, escalate_at = $16,
             resolve_by = $17, next_due_at = $18, reminders = $19, escalation_alerted = $20,
             resolve_alerted_at = $21, reopened = $22, escalated = $23
             WHERE number = $1",
        )
        .bind(p.number.0)
        .bind(&p.text)
        .bind(p.category.clone())
        .bind(p.urgent as i64)
        .bind(p.location.clone())
        .bind(p.state.code())
        .bind(p.owner.as_ref().map(|o| o.id))
        .bind(p.owner.as_ref().map(|o| o.name.clone()))
        .bind(p.owner.as_ref().and_then(|o| o.username.clone()))
        .bind(p.first_response_at)
        .bind(p.resolved_at)
        .bind(p.closed_at)
        .bind(p.rating.map(|r| r.code()))
        .bind(p.merged_into.map(|n| n.0))
        .bind(p.deadlines.respond_by)
        .bind(p.deadlines.escalate_at)
        .bind(p.deadlines.resolve_by)
        .bind(p.next_due_at)
        .bind(p.reminders as i64)
        .bind(p.escalation_alerted as i64)
        .bind(p.resolve_alerted_at)
        .bind(p.reopened as i64)
        .bind(p.escalated as i64)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// A group became a supergroup: its binding, roles, petitions and queued messages follow.
    async fn migrate_chat(&mut self, from: ChatId, to: ChatId) -> Result<()> {
        for sql in [
            "UPDATE grids SET chat_id = $2 WHERE chat_id = $1",
            "UPDATE petitions SET chat_id = $2 WHERE chat_id = $1",
            "DELETE FROM petition_messages WHERE chat_id = $2 AND message_id IN
             (SELECT message_id FROM petition_messages WHERE chat_id = $1)",
            "UPDATE petition_messages SET chat_id = $2 WHERE chat_id = $1",
            "UPDATE outbox SET chat_id = $2 WHERE chat_id = $1 AND state = 'pending'",
            "UPDATE communities SET alert_chat = $2 WHERE alert_chat = $1",
        ] {
            sqlx::query(sql)
                .bind(from)
                .bind(to)
                .execute(&mut *self.tx)
                .await?;
        }
        sqlx::query("UPDATE roles SET scope = $2 WHERE scope = $1")
            .bind(format!("grid:{from}"))
            .bind(format!("grid:{to}"))
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}
