//! Operations for the street's IT admin: `gridbot backup`, `gridbot purge`, and the
//! `[retention]` job of a running bot. Messages here are English (the admin reads them);
//! long work shows its progress on stderr when stderr is a terminal.

use crate::config::{Config, Env};
use crate::now_ms;
use anyhow::{Context as _, Result, bail};
use gridbot_handlers::Dur;
use gridbot_handlers::model::Millis;
use gridbot_storage::Store;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Petitions cleared per transaction: short enough that the running bot barely waits.
const PETITION_BATCH: i64 = 200;
/// Raw updates and chatter messages cleared per transaction.
const LOG_BATCH: i64 = 2_000;
/// A retention period this short is allowed (tests) but said aloud.
const SHORT_RETENTION: Dur = Dur(7 * 24 * 3_600_000);

/// A one-line progress display on stderr, only on a terminal.
struct Progress {
    on: bool,
    last: Option<Instant>,
}

impl Progress {
    fn on_terminal() -> Progress {
        Progress {
            on: std::io::stderr().is_terminal(),
            last: None,
        }
    }
    fn off() -> Progress {
        Progress {
            on: false,
            last: None,
        }
    }
    fn show(&mut self, line: impl FnOnce() -> String) {
        if !self.on
            || self
                .last
                .is_some_and(|t| t.elapsed() < Duration::from_millis(200))
        {
            return;
        }
        self.last = Some(Instant::now());
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{}\x1b[K", line());
        let _ = err.flush();
    }
    fn clear(&self) {
        if self.on && self.last.is_some() {
            eprint!("\r\x1b[K");
        }
    }
}

/// `12.3 MB`.
pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KB", n as f64 / (1u64 << 10) as f64),
        n => format!("{n} B"),
    }
}

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

/// Midnight at the start of `day` (YYYY-MM-DD) on the street's clock.
fn start_of(day: &str, tz: chrono_tz::Tz) -> Result<Millis> {
    use chrono::TimeZone;
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .with_context(|| format!("--before {day}: expected a date like 2025-01-01"))?;
    let t = tz
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).context("bad date")?)
        .earliest()
        .context("that date does not exist in the street's timezone")?;
    Ok(t.timestamp_millis())
}

/// Clear everything older than `before`, batch by batch, while `go()` holds: petitions
/// closed before it, then the raw log and chatter. (petitions, log rows) cleared.
async fn purge_all(
    store: &Store,
    before: Millis,
    progress: &mut Progress,
    go: impl Fn() -> bool,
) -> Result<(usize, u64)> {
    let todo = store.clearable_before(before).await?;
    let mut petitions = 0;
    while go() {
        let n = store.purge_batch(before, PETITION_BATCH).await?;
        if n == 0 {
            break;
        }
        petitions += n;
        progress.show(|| format!("purging: {petitions} of {todo} petitions"));
    }
    let mut log = 0;
    while go() {
        let n = store.purge_log_batch(before, LOG_BATCH).await?;
        if n == 0 {
            break;
        }
        log += n;
        progress.show(|| format!("purging: {petitions} petitions, {log} old log rows"));
    }
    progress.clear();
    Ok((petitions, log))
}

/// `gridbot purge [--before DATE] [--dry-run]`; without a date, `[retention] closed_after`.
pub async fn purge(env: &Env, before: Option<&str>, dry_run: bool) -> Result<()> {
    let cfg = Config::load(&env.config_path)?;
    let now = now_ms();
    let (cutoff, said) = match (before, cfg.retention) {
        (Some(day), _) => (start_of(day, cfg.settings.tz)?, day.to_string()),
        (None, Some(after)) => (
            now - after.ms(),
            format!("{} ago ([retention] closed_after)", after.human()),
        ),
        (None, None) => bail!(
            "say up to when: --before YYYY-MM-DD (or set [retention] closed_after in {})",
            env.config_path.display()
        ),
    };
    // Tomorrow means "everything closed so far"; a later date is most likely a typo.
    if cutoff > now + 86_400_000 {
        bail!("--before {said} is in the future: only petitions closed in the past can be purged");
    }
    let store = crate::run::open_store(env).await?;
    if dry_run {
        let n = store.clearable_before(cutoff).await?;
        store.close().await;
        println!("would purge {n} petitions closed before {said} (nothing changed)");
        return Ok(());
    }
    let done = purge_all(&store, cutoff, &mut Progress::on_terminal(), || true).await;
    store.close().await;
    let (petitions, log) = done?;
    println!(
        "purged {petitions} petitions closed before {said}: texts, names and notes cleared, \
         figures kept; {log} older raw updates and chat messages cleared"
    );
    Ok(())
}

/// `[retention] closed_after`: the running bot clears old closed petitions by itself.
pub struct Retention {
    pub store: Store,
    pub closed_after: Dur,
}

impl Retention {
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let every = self.closed_after.ms().clamp(1_000, 3_600_000);
        if self.closed_after < SHORT_RETENTION {
            tracing::warn!(
                closed_after = %self.closed_after.human(),
                "[retention] closed_after is shorter than a week: personal data of closed petitions is cleared that soon"
            );
        }
        // Several instances on one database: one of them does the work.
        let holder = format!("retention-{}-{}", std::process::id(), now_ms());
        loop {
            let now = now_ms();
            match self
                .store
                .hold_lease("retention", &holder, now, every)
                .await
            {
                Ok(true) => {
                    let go = || !*stop.borrow();
                    let cutoff = now - self.closed_after.ms();
                    match purge_all(&self.store, cutoff, &mut Progress::off(), go).await {
                        Ok((0, 0)) => {}
                        Ok((petitions, log_rows)) => tracing::info!(
                            petitions,
                            log_rows,
                            "retention: personal data of old closed petitions cleared"
                        ),
                        Err(e) => tracing::error!(error = %e, "retention: cannot purge"),
                    }
                }
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "retention: cannot take the lease"),
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(every as u64)) => {}
                _ = stop.changed() => {}
            }
            if *stop.borrow() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_name_their_file_or_their_server() {
        for (url, file) in [
            ("sqlite://gridbot.db", Some("gridbot.db")),
            (
                "sqlite:///var/lib/gridbot/gridbot.db",
                Some("/var/lib/gridbot/gridbot.db"),
            ),
            ("sqlite:data.db?mode=rwc", Some("data.db")),
            ("sqlite::memory:", None),
            ("postgres://u@h/db", None),
        ] {
            assert_eq!(sqlite_path(url).as_deref(), file.map(Path::new), "{url}");
        }
        let hint = pg_dump_hint(
            "postgres://grid:s3cret@db.local:5433/nanyuan?sslmode=require",
            Path::new("b.dump"),
        );
        assert!(
            hint.contains("pg_dump --format=custom --file=b.dump --host=db.local --port=5433 --username=grid nanyuan"),
            "{hint}"
        );
        assert!(!hint.contains("s3cret"), "{hint}");
    }

    #[test]
    fn a_raw_update_names_its_sender_and_the_quoted_sender_the_way_forget_looks_for_them() {
        use gridbot_fake_api::fixtures::{User, reply};
        let (resident, worker) = (User::new(1001, "居民1", None), User::new(10, "王", None));
        let mut v = reply(-4001, 5, &worker, "师傅下午到", 4, &resident);
        v["update_id"] = 7.into();
        let u: teloxide::types::Update = serde_json::from_str(&v.to_string()).expect("update");
        let raw = crate::ingest::Raw::from_update(&u).json;
        for id in [1001, 10] {
            let pattern = gridbot_storage::raw_user_pattern(id);
            let needle = pattern.trim_matches('%');
            assert!(raw.contains(needle), "{needle} not in {raw}");
        }
        let other = gridbot_storage::raw_user_pattern(100);
        assert!(!raw.contains(other.trim_matches('%')), "{raw}");
    }

    #[test]
    fn sizes_read_like_people_say_them() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KB");
        assert_eq!(human_bytes(45 << 20), "45.0 MB");
    }

    #[test]
    fn a_purge_date_is_midnight_on_the_streets_clock() {
        let t = start_of("2025-01-01", chrono_tz::Asia::Shanghai).unwrap();
        assert_eq!(t, 1_735_660_800_000); // 2024-12-31T16:00:00Z
        assert!(start_of("2025-13-01", chrono_tz::Asia::Shanghai).is_err());
    }
}
