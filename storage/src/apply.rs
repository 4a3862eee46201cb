//! Carrying out the product's effects inside the update's transaction.

use crate::{Result, Tx};
use gridbot_handlers::effect::Effect;
use gridbot_handlers::model::*;

impl Tx<'_> {
    /// One effect in its place. Those that only add rows are written as a batch of one.
    pub(crate) async fn apply_one(&mut self, e: &Effect, now: Millis) -> Result<()> {
        let mut one = crate::batch::Batch::default();
        if one.take(e) {
            return self.flush(one, now).await;
        }
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
            Effect::SetPhone { user, phone } => {
                sqlx::query("UPDATE people SET phone = $2 WHERE user_id = $1")
                    .bind(*user)
                    .bind(phone)
                    .execute(&mut *self.tx)
                    .await?;
            }
            Effect::MigrateChat { from, to } => self.migrate_chat(*from, *to).await?,
            Effect::ChatPresence { chat_id, present } => {
                sqlx::query("UPDATE grids SET present = $2 WHERE chat_id = $1")
                    .bind(*chat_id)
                    .bind(*present as i64)
                    .execute(&mut *self.tx)
                    .await?;
            }
            Effect::Forget { user } => {
                let n = self.forget(*user).await?;
                tracing::info!(
                    user_id = *user,
                    petitions = n,
                    "personal data forgotten on request"
                );
            }
            // Taken by the batch of one above.
            Effect::SeenPerson(_)
            | Effect::PrivateChat(_)
            | Effect::NewPetition(_)
            | Effect::SavePetition(_)
            | Effect::AddFollower { .. }
            | Effect::LinkMessage { .. }
            | Effect::Log(_)
            | Effect::Send(_)
            | Effect::Webhook(_) => {}
        }
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

    /// Every column from `text` on (what deciding may change; the rest never changes).
    pub(crate) async fn update_petition(&mut self, p: &Petition) -> Result<()> {
        let pg = self.postgres();
        let columns = crate::rows::PETITION_STATE_COLUMNS.split(", ");
        let set: Vec<String> = columns
            .enumerate()
            .map(|(i, c)| format!("{c} = {}", crate::param(i + 1, pg)))
            .collect();
        let number = crate::param(set.len() + 1, pg);
        let sql = format!(
            "UPDATE petitions SET {} WHERE number = {number}",
            set.join(", ")
        );
        crate::batch::bind_state(sqlx::query(sqlx::AssertSqlSafe(sql)), p)
            .bind(p.number.0)
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
