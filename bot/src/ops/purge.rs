//! `gridbot purge` and the `[retention]` job: petitions closed before a moment lose their
//! personal data batch by batch, in short transactions the running bot barely notices.

use super::Progress;
use crate::config::{Config, Env};
use crate::now_ms;
use anyhow::{Context as _, Result, bail};
use gridbot_handlers::Dur;
use gridbot_handlers::model::Millis;
use gridbot_storage::Store;
use std::time::Duration;
use tokio::sync::watch;

/// Petitions cleared per transaction: short enough that the running bot barely waits.
const PETITION_BATCH: i64 = 200;
/// Raw updates and chatter messages cleared per transaction.
const LOG_BATCH: i64 = 2_000;
/// A retention period this short is allowed (tests) but said aloud.
const SHORT_RETENTION: Dur = Dur(7 * 24 * 3_600_000);

/// Midnight at the start of `day` (YYYY-MM-DD) on the street's clock.
pub(super) fn start_of(day: &str, tz: chrono_tz::Tz) -> Result<Millis> {
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
