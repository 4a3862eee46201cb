//! Loading a [`Page`]: what a whole page of updates needs, in a handful of queries instead
//! of several per update (see `gridbot_handlers::page`).

use crate::rows::{StaffRow, from_json};
use crate::{ACTIVE, Result, Tx};
use gridbot_handlers::model::*;
use gridbot_handlers::page::Page;
use sqlx::AssertSqlSafe;
use std::collections::{BTreeSet, HashMap};

/// `$from, $from+1, …` for `n` values on PostgreSQL, `?, ?, …` on SQLite (see
/// `crate::placeholders`); either way they are bound in the order they are written.
fn list(from: usize, n: usize, postgres: bool) -> String {
    (from..from + n)
        .map(|i| crate::param(i, postgres))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A duplicates key: the chat, category and place a message could join an earlier
/// petition under.
pub type DuplicateKey = (ChatId, String, String);

impl Tx<'_> {
    /// The grids these chats are bound to, in statements of at most 500 chats.
    pub(crate) async fn grids_of(&mut self, chats: &[ChatId]) -> Result<HashMap<ChatId, Grid>> {
        let pg = self.postgres();
        let mut grids = HashMap::new();
        for chunk in chats.chunks(crate::ROWS_PER_STATEMENT) {
            let sql = format!(
                "SELECT chat_id, community, grid FROM grids WHERE chat_id IN ({})",
                list(1, chunk.len(), pg)
            );
            let mut q = sqlx::query_as::<_, (i64, String, String)>(AssertSqlSafe(sql));
            for c in chunk {
                q = q.bind(*c);
            }
            for (chat_id, community, grid) in q.fetch_all(&mut *self.tx).await? {
                let g = Grid {
                    chat_id,
                    community,
                    grid,
                };
                grids.insert(chat_id, g);
            }
        }
        Ok(grids)
    }

    /// The grids of the page's chats, every role of its senders, their active petitions in
    /// those chats and the number the next petition gets.
    pub async fn page(&mut self, chats: &[ChatId], senders: &[UserId]) -> Result<Page> {
        let pg = self.postgres();
        let mut page = Page {
            valid: true,
            next_number: self.next_number().await?,
            ..Page::default()
        };
        page.grids = self.grids_of(chats).await?;
        if !senders.is_empty() {
            let sql = format!(
                "SELECT user_id, scope, role FROM roles WHERE user_id IN ({})",
                list(1, senders.len(), pg)
            );
            let mut q = sqlx::query_as::<_, (i64, String, String)>(AssertSqlSafe(sql));
            for u in senders {
                q = q.bind(*u);
            }
            for (user, scope, role) in q.fetch_all(&mut *self.tx).await? {
                page.roles.entry(user).or_default().push((scope, role));
            }
        }
        if !chats.is_empty() && !senders.is_empty() {
            // Searched through the residents' index only (a resident has few active
            // petitions): `+chat_id` keeps SQLite from searching every pair of resident and
            // chat. Locked in number order, as every other page query locks.
            let lock = self.lock();
            let sql = format!(
                "state IN {ACTIVE} AND resident_id IN ({}) AND +chat_id IN ({}) ORDER BY number{lock}",
                list(1, senders.len(), pg),
                list(1 + senders.len(), chats.len(), pg),
            );
            let sql = self.select(&sql);
            let mut q = sqlx::query_as::<_, (String,)>(sql);
            for u in senders {
                q = q.bind(*u);
            }
            for c in chats {
                q = q.bind(*c);
            }
            page.petitions = from_json(q.fetch_all(&mut *self.tx).await?)?;
        }
        Ok(page)
    }

    /// The rest a page's messages asked for: the active petitions created since `since`
    /// under their duplicates keys, and the staff and alert chat of the grids in
    /// `staff_chats`.
    pub async fn page_more(
        &mut self,
        page: &mut Page,
        keys: &[DuplicateKey],
        staff_chats: &[ChatId],
        since: Millis,
    ) -> Result<()> {
        let pg = self.postgres();
        if !keys.is_empty() {
            // One index search a key (a cross product of IN lists would search every
            // combination of the page's chats, categories and places).
            let keys: Vec<&DuplicateKey> =
                keys.iter().collect::<BTreeSet<_>>().into_iter().collect();
            // SQLite takes at most 500 terms in one compound SELECT.
            for keys in keys.chunks(200) {
                let mut n = 0;
                let mut next = || {
                    n += 1;
                    crate::param(n, pg)
                };
                let searches: Vec<String> = keys
                    .iter()
                    .map(|_| {
                        format!(
                            "SELECT number FROM petitions WHERE chat_id = {} AND category = {} \
                             AND location = {} AND created_at >= {} AND state IN {ACTIVE}",
                            next(),
                            next(),
                            next(),
                            next()
                        )
                    })
                    .collect();
                let lock = self.lock();
                let sql = self.select(&format!(
                    "number IN ({}) ORDER BY number{lock}",
                    searches.join(" UNION ALL ")
                ));
                let mut q = sqlx::query_as::<_, (String,)>(sql);
                for (chat, category, place) in keys {
                    q = q
                        .bind(*chat)
                        .bind(category.as_str())
                        .bind(place.as_str())
                        .bind(since);
                }
                for p in from_json(q.fetch_all(&mut *self.tx).await?)? {
                    if !page.petitions.iter().any(|q| q.number == p.number) {
                        page.petitions.push(p);
                    }
                }
            }
        }
        let grids: Vec<Grid> = staff_chats
            .iter()
            .filter_map(|c| page.grids.get(c).cloned())
            .collect();
        if grids.is_empty() {
            return Ok(());
        }
        let mut scopes = BTreeSet::new();
        for g in &grids {
            scopes.insert(format!("grid:{}", g.chat_id));
            scopes.insert(format!("community:{}", g.community));
        }
        let sql = format!(
            "SELECT r.scope, r.user_id, p.name, p.username, p.phone, p.private_ok, r.role
             FROM roles r LEFT JOIN people p ON p.user_id = r.user_id
             WHERE r.scope IN ({}) ORDER BY r.role, r.user_id",
            list(1, scopes.len(), pg)
        );
        type Row = (
            String,
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i64>,
            String,
        );
        let mut q = sqlx::query_as::<_, Row>(AssertSqlSafe(sql));
        for s in &scopes {
            q = q.bind(s.clone());
        }
        let rows = q.fetch_all(&mut *self.tx).await?;
        for g in &grids {
            let (grid_scope, community_scope) = (
                format!("grid:{}", g.chat_id),
                format!("community:{}", g.community),
            );
            let staff = rows
                .iter()
                .filter(|r| r.0 == grid_scope || r.0 == community_scope)
                .map(|r| {
                    StaffRow {
                        user_id: r.1,
                        name: r.2.clone(),
                        username: r.3.clone(),
                        phone: r.4.clone(),
                        private_ok: r.5,
                        role: r.6.clone(),
                    }
                    .into_staff()
                })
                .collect();
            page.staff.insert(g.chat_id, staff);
        }
        let communities: BTreeSet<&str> = grids.iter().map(|g| g.community.as_str()).collect();
        let sql = format!(
            "SELECT name, alert_chat FROM communities WHERE name IN ({})",
            list(1, communities.len(), pg)
        );
        let mut q = sqlx::query_as::<_, (String, Option<i64>)>(AssertSqlSafe(sql));
        for c in &communities {
            q = q.bind(c.to_string());
        }
        let found: HashMap<String, Option<i64>> =
            q.fetch_all(&mut *self.tx).await?.into_iter().collect();
        for c in communities {
            page.alert_chats
                .insert(c.to_string(), found.get(c).copied().flatten());
        }
        Ok(())
    }
}
