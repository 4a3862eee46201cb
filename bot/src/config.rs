//! The config file (SPEC §7) and the environment. Every key is optional; a bad key or value
//! is refused at start-up with its name, its value and its line.

use anyhow::{Context as _, Result, bail};
use gridbot_handlers::intake::Rules;
use gridbot_handlers::settings::{AckMode, Clocks, QuietHours};
use gridbot_handlers::{Dur, Settings};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

type S = Option<Spanned<String>>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct Raw {
    street: RawStreet,
    rules: RawRules,
    intake: RawIntake,
    clocks: RawClocks,
    quiet_hours: RawQuiet,
    digest: RawDigest,
    alerts: RawAlerts,
    telegram: RawTelegram,
    webhook: RawWebhook,
    retention: RawRetention,
    board: RawBoard,
}

/// The live board: one pinned message per grid group listing its waiting petitions.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawBoard {
    enabled: Option<bool>,
    /// At most one edit (or new board) per group this often; default "60s".
    min_interval: S,
}

/// How long personal data of closed petitions is kept (`gridbot purge`, done daily).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawRetention {
    /// e.g. "365d"; empty = keep everything.
    closed_after: S,
}

/// `gridbot run --webhook` behind a reverse proxy.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawWebhook {
    /// Where the bot listens, e.g. "127.0.0.1:8443" (the proxy forwards to it).
    listen: Option<String>,
    /// The public HTTPS URL Telegram calls; its path is the route served.
    url: Option<String>,
    /// Telegram's secret token (or GRIDBOT_WEBHOOK_SECRET).
    secret: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawStreet {
    name: Option<String>,
    timezone: S,
    admins: Vec<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawRules {
    file: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawIntake {
    ack: S,
    follow_up_window: S,
    duplicate_window: S,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawClocks {
    first_response: S,
    reminder_every: S,
    escalate_after: S,
    resolve: S,
    rating_window: S,
    overdue_repeat: S,
    urgent: RawClockSet,
    /// Per-category resolution clocks, e.g. `elevator = "24h"`.
    resolve_by_category: HashMap<String, Spanned<String>>,
}

/// One set of clocks as written: `[clocks.urgent]`, or the same keys in `[clocks]` itself.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawClockSet {
    first_response: S,
    reminder_every: S,
    escalate_after: S,
    resolve: S,
}

impl RawClocks {
    /// The ordinary set, whose keys sit in `[clocks]` beside the others.
    fn normal(&self) -> RawClockSet {
        RawClockSet {
            first_response: self.first_response.clone(),
            reminder_every: self.reminder_every.clone(),
            escalate_after: self.escalate_after.clone(),
            resolve: self.resolve.clone(),
        }
    }
}

impl RawClockSet {
    /// The clocks, each key under `prefix` left at its default when unset.
    fn read(
        &self,
        prefix: &str,
        dur: impl Fn(&str, &S, Dur) -> Result<Dur>,
        d: Clocks,
    ) -> Result<Clocks> {
        let key = |k: &str| format!("{prefix}.{k}");
        Ok(Clocks {
            first_response: dur(
                &key("first_response"),
                &self.first_response,
                d.first_response,
            )?,
            reminder_every: dur(
                &key("reminder_every"),
                &self.reminder_every,
                d.reminder_every,
            )?,
            escalate_after: dur(
                &key("escalate_after"),
                &self.escalate_after,
                d.escalate_after,
            )?,
            resolve: dur(&key("resolve"), &self.resolve, d.resolve)?,
        })
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawQuiet {
    start: S,
    end: S,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawDigest {
    weekday: S,
    time: S,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawAlerts {
    webhook: Option<String>,
    webhook_format: S,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawTelegram {
    per_chat_per_second: Option<f64>,
    per_group_per_minute: Option<u32>,
    global_per_second: Option<u32>,
    poll_timeout: S,
}

/// Telegram's sending limits (SPEC §7 `[telegram]`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub per_chat_per_second: f64,
    pub per_group_per_minute: u32,
    pub global_per_second: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookFormat {
    Generic,
    Wecom,
    Dingtalk,
    Feishu,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub settings: Settings,
    pub limits: Limits,
    pub poll_timeout: Dur,
    pub digest_weekday: chrono::Weekday,
    pub digest_minute: u32,
    pub webhook: Option<String>,
    pub webhook_format: WebhookFormat,
    pub rules_file: Option<PathBuf>,
    pub hook: Hook,
    /// `[retention] closed_after`: clear petitions closed longer ago; None = keep.
    pub retention: Option<Dur>,
    pub board: BoardConfig,
}

/// `[board]`: the live board, off unless enabled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoardConfig {
    pub enabled: bool,
    pub min_interval: Dur,
}

/// Webhook mode settings (`[webhook]`).
#[derive(Clone)]
pub struct Hook {
    pub listen: String,
    pub url: Option<String>,
    pub secret: Option<String>,
}

impl Hook {
    /// The route served: the path of the public URL, "/telegram" without one.
    pub fn path(&self) -> String {
        self.url
            .as_deref()
            .and_then(|u| u.split_once("://"))
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
            .filter(|p| p.len() > 1)
            .unwrap_or_else(|| "/telegram".into())
    }
}

impl fmt::Debug for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hook")
            .field("listen", &self.listen)
            .field("url", &self.url)
            .field("secret", &self.secret.as_ref().map(|_| "<hidden>"))
            .finish()
    }
}

/// A config error that names the file, the line, the key and the value.
fn bad(
    src: &str,
    file: &Path,
    key: &str,
    v: &Spanned<String>,
    why: impl fmt::Display,
) -> anyhow::Error {
    let line = src[..v.span().start.min(src.len())].matches('\n').count() + 1;
    anyhow::anyhow!(
        "{}:{line}: {key} = \"{}\": {why}",
        file.display(),
        v.get_ref()
    )
}

impl Config {
    /// Read the config file; a missing file means every default.
    pub fn load(path: &Path) -> Result<Config> {
        let src = match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read config file {}", path.display()));
            }
        };
        Config::parse(&src, path)
    }

    pub fn parse(src: &str, path: &Path) -> Result<Config> {
        let raw: Raw =
            toml::from_str(src).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let dur = |key: &str, v: &S, default: Dur| -> Result<Dur> {
            match v {
                None => Ok(default),
                Some(s) => Dur::parse(s.get_ref()).map_err(|e| bad(src, path, key, s, e)),
            }
        };
        let rules_file = raw.rules.file.filter(|f| !f.trim().is_empty()).map(|f| {
            let p = PathBuf::from(f);
            if p.is_relative() {
                path.parent().unwrap_or(Path::new(".")).join(p)
            } else {
                p
            }
        });
        let rules = match &rules_file {
            None => Rules::builtin(),
            Some(f) => {
                let text = std::fs::read_to_string(f)
                    .with_context(|| format!("[rules] file: cannot read {}", f.display()))?;
                Rules::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?
            }
        };
        let mut s = Settings::defaults(rules);
        if let Some(n) = raw.street.name {
            s.street = n;
        }
        if let Some(tz) = &raw.street.timezone {
            s.tz = tz.get_ref().parse().map_err(|_| {
                bad(
                    src,
                    path,
                    "street.timezone",
                    tz,
                    "not an IANA timezone such as Asia/Shanghai",
                )
            })?;
        }
        s.admins = raw.street.admins;
        if let Some(a) = &raw.intake.ack {
            s.ack = match a.get_ref().as_str() {
                "reaction" => AckMode::Reaction,
                "reply" => AckMode::Reply,
                "silent" => AckMode::Silent,
                _ => {
                    return Err(bad(
                        src,
                        path,
                        "intake.ack",
                        a,
                        "expected reaction, reply or silent",
                    ));
                }
            };
        }
        s.follow_up_window = dur(
            "intake.follow_up_window",
            &raw.intake.follow_up_window,
            s.follow_up_window,
        )?;
        s.duplicate_window = dur(
            "intake.duplicate_window",
            &raw.intake.duplicate_window,
            s.duplicate_window,
        )?;
        let c = &raw.clocks;
        s.normal = c.normal().read("clocks", dur, s.normal)?;
        s.rating_window = dur("clocks.rating_window", &c.rating_window, s.rating_window)?;
        s.overdue_repeat = dur("clocks.overdue_repeat", &c.overdue_repeat, s.overdue_repeat)?;
        s.urgent = c.urgent.read("clocks.urgent", dur, s.urgent)?;
        for (cat, v) in &c.resolve_by_category {
            let key = format!("clocks.resolve_by_category.{cat}");
            if s.rules.category_name(cat).is_none() {
                return Err(bad(src, path, &key, v, "no such category in the rules"));
            }
            s.resolve_by_category
                .insert(cat.clone(), dur(&key, &Some(v.clone()), Dur(0))?);
        }
        let q = &raw.quiet_hours;
        s.quiet = QuietHours {
            start: minute_of_day(src, path, "quiet_hours.start", &q.start, s.quiet.start)?,
            end: minute_of_day(src, path, "quiet_hours.end", &q.end, s.quiet.end)?,
        };
        let digest_weekday = match &raw.digest.weekday {
            None => chrono::Weekday::Mon,
            Some(w) => w.get_ref().parse().map_err(|_| {
                bad(
                    src,
                    path,
                    "digest.weekday",
                    w,
                    "expected Mon, Tue, Wed, Thu, Fri, Sat or Sun",
                )
            })?,
        };
        let digest_minute = minute_of_day(src, path, "digest.time", &raw.digest.time, 8 * 60)?;
        let webhook_format = match &raw.alerts.webhook_format {
            None => WebhookFormat::Generic,
            Some(f) => match f.get_ref().as_str() {
                "generic" => WebhookFormat::Generic,
                "wecom" => WebhookFormat::Wecom,
                "dingtalk" => WebhookFormat::Dingtalk,
                "feishu" => WebhookFormat::Feishu,
                _ => {
                    return Err(bad(
                        src,
                        path,
                        "alerts.webhook_format",
                        f,
                        "expected generic, wecom, dingtalk or feishu",
                    ));
                }
            },
        };
        let webhook = raw.alerts.webhook.filter(|w| !w.trim().is_empty());
        if let Some(w) = &webhook
            && !(w.starts_with("http://") || w.starts_with("https://"))
        {
            bail!(
                "{}: alerts.webhook = \"{w}\": expected an http:// or https:// URL",
                path.display()
            );
        }
        s.alert_webhook = webhook.is_some();
        let t = &raw.telegram;
        let limits = Limits {
            per_chat_per_second: t.per_chat_per_second.unwrap_or(1.0),
            per_group_per_minute: t.per_group_per_minute.unwrap_or(20),
            global_per_second: t.global_per_second.unwrap_or(30),
        };
        if limits.per_chat_per_second <= 0.0
            || limits.per_group_per_minute == 0
            || limits.global_per_second == 0
        {
            bail!(
                "{}: [telegram] limits must be greater than zero",
                path.display()
            );
        }
        let retention = match &raw.retention.closed_after {
            Some(v) if !v.get_ref().trim().is_empty() => {
                Some(dur("retention.closed_after", &Some(v.clone()), Dur(0))?)
            }
            _ => None,
        };
        let min_interval = dur("board.min_interval", &raw.board.min_interval, Dur::secs(60))?;
        if let Some(v) = &raw.board.min_interval
            && min_interval < Dur::secs(1)
        {
            return Err(bad(
                src,
                path,
                "board.min_interval",
                v,
                "must be at least 1s (Telegram would see an edit every tick)",
            ));
        }
        let board = BoardConfig {
            enabled: raw.board.enabled.unwrap_or(false),
            min_interval,
        };
        Ok(Config {
            retention,
            board,
            settings: s,
            limits,
            poll_timeout: dur("telegram.poll_timeout", &t.poll_timeout, Dur::secs(10))?,
            digest_weekday,
            digest_minute,
            webhook,
            webhook_format,
            rules_file,
            hook: Hook {
                listen: raw
                    .webhook
                    .listen
                    .unwrap_or_else(|| "127.0.0.1:8443".into()),
                url: raw.webhook.url.filter(|u| !u.trim().is_empty()),
                secret: std::env::var("GRIDBOT_WEBHOOK_SECRET")
                    .ok()
                    .or(raw.webhook.secret)
                    .filter(|s| !s.trim().is_empty()),
            },
        })
    }
}

fn minute_of_day(src: &str, path: &Path, key: &str, v: &S, default: u32) -> Result<u32> {
    let Some(v) = v else { return Ok(default) };
    let parsed = v.get_ref().split_once(':').and_then(|(h, m)| {
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60 && m.to_string().len() <= 2).then_some(h * 60 + m)
    });
    parsed.ok_or_else(|| bad(src, path, key, v, "expected a time of day such as 22:00"))
}

/// The bot token. Never printed: `Debug` and `Display` show only that it is set.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn new(s: String) -> Token {
        Token(s)
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// Remove the token from a text (an error message) before it is logged.
    pub fn scrub(&self, text: &str) -> String {
        if self.0.is_empty() {
            text.to_string()
        } else {
            text.replace(&self.0, "<token>")
        }
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<hidden>)")
    }
}

/// What comes from the environment.
#[derive(Debug, Clone)]
pub struct Env {
    pub token: Option<Token>,
    pub api_url: Option<String>,
    pub database_url: String,
    pub config_path: PathBuf,
}

impl Env {
    pub fn read() -> Env {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        Env {
            token: var("TELOXIDE_TOKEN").map(Token),
            api_url: var("TELOXIDE_API_URL"),
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://gridbot.db".into()),
            config_path: var("GRIDBOT_CONFIG")
                .map(PathBuf::from)
                .unwrap_or_else(|| "gridbot.toml".into()),
        }
    }
}

#[cfg(test)]
mod tests;
