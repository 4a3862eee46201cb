//! Named leases: exactly one instance at a time holds "poller"; when it dies, its lease
//! runs out and a standby takes it.

use crate::{Result, Store};
use gridbot_handlers::model::Millis;

impl Store {
    /// Take or renew the lease `name` for `holder` until `now + ttl_ms`. True when held.
    pub async fn hold_lease(
        &self,
        name: &str,
        holder: &str,
        now: Millis,
        ttl_ms: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
             WHERE leases.until < $4 OR leases.holder = excluded.holder",
        )
        .bind(name)
        .bind(holder)
        .bind(now + ttl_ms)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Give the lease back (a graceful stop), so a standby need not wait for it to expire.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
