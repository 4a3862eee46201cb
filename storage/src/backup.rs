//! `gridbot backup`: a consistent copy of the SQLite database while the bot writes to it.
//! `VACUUM INTO` reads one snapshot (WAL lets the writers go on) and writes a compact file.

use crate::{Backend, Result, Store, StoreError};
use std::path::Path;

impl Store {
    /// Copy the database into `to`, which must not exist yet. SQLite only.
    pub async fn backup_into(&self, to: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Corrupt(
                "a PostgreSQL database is backed up with pg_dump".into(),
            ));
        }
        let to = to
            .to_str()
            .ok_or_else(|| StoreError::Corrupt(format!("{}: not a UTF-8 path", to.display())))?;
        sqlx::query("VACUUM INTO $1")
            .bind(to)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The database's size in bytes as SQLite counts it (pages × page size); 0 elsewhere.
    pub async fn size_bytes(&self) -> Result<i64> {
        if self.backend != Backend::Sqlite {
            return Ok(0);
        }
        let (pages,): (i64,) = sqlx::query_as("PRAGMA page_count")
            .fetch_one(self.pool())
            .await?;
        let (size,): (i64,) = sqlx::query_as("PRAGMA page_size")
            .fetch_one(self.pool())
            .await?;
        Ok(pages * size)
    }

    /// SQLite's own quick check of the file: "ok" when sound.
    pub async fn quick_check(&self) -> Result<String> {
        if self.backend != Backend::Sqlite {
            return Ok("ok".into());
        }
        let rows: Vec<(String,)> = sqlx::query_as("PRAGMA quick_check")
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .into_iter()
            .map(|(r,)| r)
            .collect::<Vec<_>>()
            .join("; "))
    }
}
