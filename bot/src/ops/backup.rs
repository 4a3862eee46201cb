//! `gridbot backup FILE`: SQLite's `VACUUM INTO` while the bot runs; on PostgreSQL, the
//! `pg_dump` command to run instead.

use super::{Progress, human_bytes};
use crate::config::Env;
use anyhow::{Context as _, Result, bail};
use gridbot_storage::Store;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::watch;

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres:") || url.starts_with("postgresql:")
}

/// The file of a `sqlite://file.db` (or `sqlite:file.db`) URL; None for `:memory:`.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

/// What to run instead on PostgreSQL, with the URL's server and database (no password).
pub fn pg_dump_hint(url: &str, file: &Path) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let rest = rest.split('?').next().unwrap_or(rest);
    let (auth, place) = rest.rsplit_once('@').unwrap_or(("", rest));
    let user = auth.split(':').next().unwrap_or("");
    let (server, db) = place.split_once('/').unwrap_or((place, ""));
    let (host, port) = server.rsplit_once(':').unwrap_or((server, ""));
    let db = if db.is_empty() { "postgres" } else { db };
    let mut cmd = format!("pg_dump --format=custom --file={}", file.display());
    for (flag, v) in [("--host", host), ("--port", port), ("--username", user)] {
        if !v.is_empty() {
            cmd.push_str(&format!(" {flag}={v}"));
        }
    }
    format!(
        "the database is PostgreSQL: back it up with PostgreSQL's own tool, consistent while the \
         bot runs:\n  {cmd} {db}\nrestore with: pg_restore --clean --dbname={db} {}",
        file.display()
    )
}

/// `gridbot backup FILE`: a consistent copy of the SQLite database, the bot running or not.
pub async fn backup(env: &Env, file: &Path, force: bool) -> Result<()> {
    if is_postgres(&env.database_url) {
        bail!("{}", pg_dump_hint(&env.database_url, file));
    }
    let src = sqlite_path(&env.database_url)
        .with_context(|| format!("{}: not a database file", env.database_url))?;
    if !src.is_file() {
        bail!("no database at {}: nothing to back up", src.display());
    }
    if file.exists() && !force {
        bail!(
            "{} exists: choose another name or add --force to replace it",
            file.display()
        );
    }
    let name = file
        .file_name()
        .with_context(|| format!("{}: not a file name", file.display()))?;
    // Written beside the target and renamed at the end: FILE is never half a backup.
    let partial = file.with_file_name(format!(
        ".{}.partial-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&partial);
    let store = Store::connect(&env.database_url)
        .await
        .with_context(|| format!("cannot open the database {}", src.display()))?;
    let total = store.size_bytes().await.unwrap_or(0).max(0) as u64;
    let (done_tx, done_rx) = watch::channel(false);
    let watcher = tokio::spawn(show_copy(partial.clone(), total, done_rx));
    let copied = store.backup_into(&partial).await;
    let _ = done_tx.send(true);
    let _ = watcher.await;
    store.close().await;
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(e).with_context(|| format!("cannot write the backup {}", file.display()));
    }
    let checked = check_copy(&partial).await;
    let (verdict, petitions) = match checked {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, file)
        .with_context(|| format!("cannot move the backup into {}", file.display()))?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "backup written: {} ({}, {petitions} petitions, integrity {verdict})",
        file.display(),
        human_bytes(size)
    );
    Ok(())
}

/// The copy opens as a gridbot database and SQLite finds it sound.
async fn check_copy(path: &Path) -> Result<(String, i64)> {
    let copy = Store::connect(&format!("sqlite://{}", path.display()))
        .await
        .context("the backup does not open")?;
    let verdict = copy
        .quick_check()
        .await
        .context("cannot check the backup")?;
    let petitions = copy
        .petition_count()
        .await
        .context("cannot read the backup");
    copy.close().await;
    if verdict != "ok" {
        bail!("the backup is damaged: {verdict}");
    }
    Ok((verdict, petitions?))
}

/// While `VACUUM INTO` writes, show how far the copy has grown.
async fn show_copy(partial: PathBuf, total: u64, mut done: watch::Receiver<bool>) {
    let mut p = Progress::on_terminal();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
            _ = done.changed() => break,
        }
        let now = std::fs::metadata(&partial).map(|m| m.len()).unwrap_or(0);
        p.show(|| {
            format!(
                "backing up: {} of about {}",
                human_bytes(now),
                human_bytes(total)
            )
        });
    }
    p.clear();
}
