//! The weekly digest (SPEC §6): at `[digest] weekday/time` on the street's clock, each
//! community with an alert chat gets its figures per grid, the overdue list, hot spots and a
//! chart. A kv mark `digest:<community>:<week>` is written in the same transaction as the
//! outbox rows, so a digest goes out once per week across restarts and instances.
//! `gridbot digest` queues the same thing at once; the running bot's sender delivers it.

use crate::chart;
use crate::config::{Config, Env};
use crate::executor::encode_base64;
use crate::now_ms;
use anyhow::{Result, bail};
use gridbot_handlers::effect::{OutAction, Outgoing};
use gridbot_handlers::figures::{self, Period, PeriodSpec};
use gridbot_handlers::model::{ChatId, Millis};
use gridbot_handlers::text::fit;
use gridbot_handlers::{Settings, text};
use gridbot_storage::{Store, digest_key};
use std::time::Duration;
use tokio::sync::watch;

/// How often the loop looks whether a digest is due.
const TICK: Duration = Duration::from_secs(30);

/// Who asked for the digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The weekly schedule: once per community and week, never for a week before the
    /// community's first grid was bound.
    Schedule,
    /// An operator (`gridbot digest`): always queued; a finished week is marked as sent so
    /// the schedule does not repeat it.
    Operator,
}

/// The digest's messages for one community: the text, then the chart when it can be drawn.
pub async fn messages(
    store: &Store,
    s: &Settings,
    community: &str,
    chat: ChatId,
    period: &Period,
    now: Millis,
) -> Result<Vec<Outgoing>> {
    let petitions = store.figure_petitions(period.start, period.end).await?;
    let grids = store.grids().await?;
    let d = figures::digest(&petitions, &grids, community, period, &s.rules, now);
    let text = OutAction::Text {
        text: d.text,
        reply_to: None,
        mentions: Vec::new(),
        buttons: Vec::new(),
    };
    let mut out = vec![Outgoing::new(chat, text)];
    let (title, rows) = (d.chart_title, d.rows);
    match tokio::task::spawn_blocking(move || chart::render(&title, &rows)).await? {
        Ok(png) => out.push(Outgoing::new(
            chat,
            OutAction::Photo {
                caption: fit(&d.caption),
                png_base64: encode_base64(&png),
            },
        )),
        Err(e) => tracing::error!(community, error = %e, "digest sent without its chart"),
    }
    Ok(out)
}

/// Queue the digest of `period` for every community with an alert chat (or only `only`).
/// Returns the communities queued.
pub async fn send(
    store: &Store,
    s: &Settings,
    only: Option<&str>,
    period: &Period,
    trigger: Trigger,
    now: Millis,
) -> Result<Vec<String>> {
    let targets = store.digest_targets().await?;
    if let Some(c) = only
        && !targets.iter().any(|(name, _, _)| name == c)
    {
        bail!(
            "community {c} has no alert chat: a secretary or admin sends /alerts {c} in the chat that should receive the digest"
        );
    }
    let mut sent = Vec::new();
    for (community, chat, first_bound) in targets {
        if only.is_some_and(|c| c != community) {
            continue;
        }
        let key = digest_key(&community, &period.label);
        let force = match trigger {
            Trigger::Schedule => {
                // A community bound after the week ended has nothing to sum up for it.
                if first_bound.is_none_or(|b| b >= period.end) || store.marked(&key).await? {
                    continue;
                }
                false
            }
            Trigger::Operator => true,
        };
        let mark = (trigger == Trigger::Schedule || period.is_complete(now)).then_some(key);
        let out = messages(store, s, &community, chat, period, now).await?;
        if store
            .enqueue_once(mark.as_deref(), &out, now, force)
            .await?
        {
            tracing::info!(community = %community, chat_id = chat, period = %period.label, "digest queued");
            sent.push(community);
        }
    }
    Ok(sent)
}

/// The schedule's loop, until `stop`.
pub struct Digester {
    pub store: Store,
    pub settings: Settings,
    pub weekday: chrono::Weekday,
    pub minute: u32,
}

impl Digester {
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                break;
            }
            if let Err(e) = self.tick(now_ms()).await {
                tracing::error!(error = %e, "weekly digest failed; will try again");
            }
            tokio::select! {
                _ = tokio::time::sleep(TICK) => {}
                _ = stop.changed() => {}
            }
        }
    }

    async fn tick(&self, now: Millis) -> Result<()> {
        let s = &self.settings;
        let (_, spec) = figures::digest_due(now, s.tz, self.weekday, self.minute);
        let period = spec.resolve(now, s.tz)?;
        send(&self.store, s, None, &period, Trigger::Schedule, now).await?;
        Ok(())
    }
}

/// The period of `gridbot digest --period …`; by default the last complete week.
pub fn period(arg: Option<&str>, s: &Settings, now: Millis) -> Result<Period> {
    let spec = match arg {
        Some(p) => PeriodSpec::parse(p)?,
        None => PeriodSpec::LastWeek,
    };
    Ok(spec.resolve(now, s.tz)?)
}

/// `gridbot digest`: queue the digest now and say for whom.
pub async fn command(env: &Env, community: Option<&str>, period: Option<&str>) -> Result<()> {
    let cfg = Config::load(&env.config_path)?;
    let s = &cfg.settings;
    let now = now_ms();
    let period = self::period(period, s, now)?;
    let store = crate::run::open_store(env).await?;
    let sent = send(&store, s, community, &period, Trigger::Operator, now).await;
    store.close().await;
    println!("{}", summary(&sent?, &period));
    Ok(())
}

/// What `gridbot digest` prints.
pub fn summary(sent: &[String], period: &Period) -> String {
    if sent.is_empty() {
        return format!("no digest queued for {}", period.label);
    }
    format!(
        "digest {} ({}) queued for: {} (a running gridbot sends it)",
        period.label,
        text::figures::period_title(period),
        sent.join(", ")
    )
}
