//! Delivery through a fake server that enforces Telegram's limits (30 a second overall, 20
//! a minute into one group) and answers 429 when they are broken: `send_rate` (2,000 queued
//! messages) and `reminder_lateness` (10,000 first-response clocks running out within one
//! minute).

use crate::bulk::{self, Row};
use crate::figure::Figure;
use crate::fixtures::{self, GROUPS};
use crate::proc::{Gridbot, polling, wait_for};
use anyhow::{Result, bail};
use gridbot_fake_api::{Call, FakeApi, Options};
use gridbot_handlers::effect::{OutAction, Outgoing};
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

const QUEUED: usize = 2_000;
const GLOBAL_PER_SECOND: f64 = 30.0;
const DUE: usize = 10_000;

fn limited() -> Options {
    Options {
        enforce_limits: true,
        ..Options::default()
    }
}

/// The accepted sends' arrival times (no 429 among them when none was answered).
fn sends(api: &FakeApi) -> Vec<Call> {
    api.calls_to("sendMessage")
}

pub async fn send_rate(bin: &Path) -> Result<Vec<Figure>> {
    let dir = tempfile::tempdir()?;
    let (store, db) = fixtures::fresh_store(dir.path(), "send.db").await?;
    let now = gridbot::now_ms();
    fixtures::bind_grids(&store, GROUPS, now).await?;
    let queued: Vec<Outgoing> = (0..QUEUED)
        .map(|i| {
            let text = format!("第{}条状态消息：诉求 #{} 已受理", i / GROUPS + 1, i + 1);
            Outgoing::new(
                fixtures::chat(i % GROUPS),
                OutAction::Text {
                    text,
                    reply_to: None,
                    mentions: Vec::new(),
                    buttons: Vec::new(),
                },
            )
        })
        .collect();
    store.enqueue_once(None, &queued, now, false).await?;
    store.close().await;

    let api = FakeApi::start_with(limited()).await;
    let bot = Gridbot::start(bin, dir.path(), &db, &api)?;
    polling(&api, &bot).await?;
    if !wait_for(Duration::from_secs(240), Duration::from_millis(500), || {
        api.sent_messages().len() >= QUEUED
    })
    .await
    {
        bail!(
            "only {} of {QUEUED} messages arrived in 240 s ({} 429s):\n{}",
            api.sent_messages().len(),
            api.too_many_requests(),
            bot.log()
        );
    }
    bot.stop()?;
    let calls = sends(&api);
    let span = calls.last().map(|c| c.at).zip(calls.first().map(|c| c.at));
    let span = span.map_or(0.0, |(l, f)| (l - f).as_secs_f64());
    let rate = (calls.len() as f64 - 1.0) / span;
    let rejected = api.too_many_requests();
    let f = Figure::new("send_rate", rate, "messages/s")
        .baseline("Telegram's allowed rate", GLOBAL_PER_SECOND, "messages/s")
        .detail(format!(
            "{QUEUED} queued messages, 20 to each of {GROUPS} groups, sent by the release binary in {span:.1} s \
             (first to last arrival) through the limit-enforcing fake; {} calls, {rejected} answered 429",
            calls.len()
        ));
    let met = f.ratio().is_some_and(|r| r >= 0.95) && rejected == 0;
    let count = Figure::new("send_rate_429s", rejected as f64, "responses")
        .goal("zero", rejected == 0)
        .detail("429 Too Many Requests the fake answered during `send_rate`");
    Ok(vec![f.goal("ratio ≥ 0.95, zero 429", met), count])
}

/// `#123` numbers a text names.
fn numbers(text: &str) -> Vec<i64> {
    text.split('#')
        .skip(1)
        .filter_map(|s| {
            let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

pub async fn reminder_lateness(bin: &Path) -> Result<Vec<Figure>> {
    let dir = tempfile::tempdir()?;
    let (store, db) = fixtures::fresh_store(dir.path(), "clocks.db").await?;
    let now = gridbot::now_ms();
    fixtures::bind_grids(&store, GROUPS, now).await?;
    store.close().await;
    // Deadlines from 8 s from now, spread evenly over one minute.
    let first = now + 8_000;
    let deadline = |i: usize| first + (i as i64 * 60_000) / DUE as i64;
    bulk::petitions(&db, DUE, |i| {
        Row::unanswered(i, fixtures::distinct_problem(i / GROUPS), deadline(i))
    })
    .await?;
    let api = FakeApi::start_with(limited()).await;
    let started = (Instant::now(), gridbot::now_ms());
    let bot = Gridbot::start(bin, dir.path(), &db, &api)?;
    polling(&api, &bot).await?;
    let mut named: HashMap<i64, f64> = HashMap::new();
    let mut seen = 0;
    let done = wait_for(Duration::from_secs(420), Duration::from_secs(1), || {
        let calls = sends(&api);
        for c in &calls[seen..] {
            let at = started.1 as f64 + (c.at - started.0).as_secs_f64() * 1000.0;
            for n in numbers(c.params["text"].as_str().unwrap_or("")) {
                named.entry(n).or_insert(at);
            }
        }
        seen = calls.len();
        named.len() >= DUE
    })
    .await;
    bot.stop()?;
    let rejected = api.too_many_requests();
    let mut late: Vec<f64> = named
        .iter()
        .filter(|(n, _)| (1..=DUE as i64).contains(*n))
        .map(|(n, at)| (at - deadline(*n as usize - 1) as f64) / 1000.0)
        .collect();
    late.sort_by(f64::total_cmp);
    let (p50, p95) = (percentile(&late, 50.0), percentile(&late, 95.0));
    let detail = format!(
        "{DUE} unanswered petitions, 100 in each of {GROUPS} groups, first-response deadlines spread over one minute; \
         {} reminders named {} of them{}; {rejected} answered 429; max lateness {:.1} s",
        seen,
        late.len(),
        if done {
            ""
        } else {
            " before the 420 s timeout"
        },
        late.last().copied().unwrap_or(f64::NAN)
    );
    Ok(vec![
        Figure::new("reminder_lateness_p50", p50, "s").detail(detail.clone()),
        Figure::new("reminder_lateness_p95", p95, "s")
            .goal("≤ 5 s", done && p95 <= 5.0)
            .detail(detail),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_read_from_a_reminder() {
        assert_eq!(
            super::numbers("⏰ 催办 #12 居民 已等待：水管\n#345 x /claim 9"),
            [12, 345]
        );
    }
}
