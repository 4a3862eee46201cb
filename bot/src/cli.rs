//! The command line of SPEC §7.

use crate::config::{Config, Env};
use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand, ValueEnum};
use gridbot_handlers::intake::{Rules, mask_pii};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gridbot",
    version,
    about = "Telegram group bot for neighbourhood grid governance"
)]
struct Cli {
    /// Log as JSON lines instead of readable text.
    #[arg(long, global = true)]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the bot (long polling).
    Run {
        /// Serve Telegram's webhook instead of polling (behind a reverse proxy).
        #[arg(long)]
        webhook: bool,
    },
    /// Create or upgrade the database.
    Migrate,
    /// A scripted day in a grid group with an accelerated clock; no token, no network.
    Demo,
    /// Register, remove or show Telegram's webhook (once per deployment).
    Webhook {
        #[arg(value_enum)]
        action: crate::hookcmd::Action,
    },
    /// Validate the config file and the rules file it names.
    CheckConfig {
        /// Also validate this rules file.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Judge messages read one a line from stdin; print one JSON object a line.
    Classify {
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Export every petition (texts masked).
    Export {
        #[arg(long, value_enum)]
        format: Format,
        /// Only petitions raised on or after this date (YYYY-MM-DD, street timezone).
        #[arg(long)]
        since: Option<String>,
        /// Export the petitions' event history instead.
        #[arg(long)]
        events: bool,
    },
    /// The figures (response, resolution, satisfaction …) per grid, category and worker.
    Report {
        #[arg(long, value_enum)]
        format: crate::report::Format,
        /// week | month (so far), last-week, a week like 2026-W48 or a month like 2026-11.
        #[arg(long, conflicts_with_all = ["since", "until"])]
        period: Option<String>,
        /// First day of the period (YYYY-MM-DD, street timezone); with --until.
        #[arg(long, requires = "until")]
        since: Option<String>,
        /// Last day of the period, included (YYYY-MM-DD).
        #[arg(long, requires = "since")]
        until: Option<String>,
        /// Only this community.
        #[arg(long)]
        community: Option<String>,
    },
    /// Queue the weekly digest now (a running bot sends it); by default of the last week.
    Digest {
        /// Only this community.
        #[arg(long)]
        community: Option<String>,
        /// The period instead of the last complete week: week, last-week, 2026-W48 …
        #[arg(long)]
        period: Option<String>,
    },
    /// A consistent copy of the SQLite database, safe while the bot runs.
    Backup {
        /// Where to write the copy.
        file: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Clear personal data of petitions closed before a date; every figure is kept.
    Purge {
        /// YYYY-MM-DD (street timezone); default: [retention] closed_after ago.
        #[arg(long)]
        before: Option<String>,
        /// Only say how many petitions would be purged.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // The demo prints a transcript; only problems belong beside it.
    let quiet = matches!(cli.command, Command::Demo);
    init_logging(cli.log_json, quiet);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(dispatch(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(json: bool, quiet: bool) {
    use tracing_subscriber::EnvFilter;
    let default = if quiet {
        "warn"
    } else {
        "info,sqlx=warn,hyper=warn,reqwest=warn"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn dispatch(cmd: Command) -> Result<()> {
    let env = Env::read();
    match cmd {
        Command::Run { webhook } => {
            let cfg = Config::load(&env.config_path)?;
            crate::run(env, cfg, webhook).await
        }
        Command::Webhook { action } => {
            let cfg = Config::load(&env.config_path)?;
            crate::hookcmd::webhook(&env, &cfg, action).await
        }
        Command::Demo => crate::demo::run().await.map(|_| ()),
        Command::Migrate => {
            crate::run::open_store(&env).await?;
            println!(
                "database is up to date: {}",
                crate::run::redact_url(&env.database_url)
            );
            Ok(())
        }
        Command::CheckConfig { rules } => {
            let cfg = Config::load(&env.config_path)?;
            if let Some(r) = rules {
                let text = std::fs::read_to_string(&r)
                    .with_context(|| format!("cannot read {}", r.display()))?;
                Rules::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", r.display()))?;
                println!("{}: ok", r.display());
            }
            println!(
                "{}: ok ({} categories, rules {})",
                env.config_path.display(),
                cfg.settings.rules.categories().len(),
                cfg.rules_file
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "built in".into())
            );
            if let Some(after) = cfg.retention {
                println!(
                    "retention: personal data of petitions closed more than {} ago is cleared",
                    after.human()
                );
            }
            Ok(())
        }
        Command::Classify { rules } => classify(rules, &env),
        Command::Export {
            format,
            since,
            events,
        } => export(&env, format, since.as_deref(), events).await,
        Command::Report {
            format,
            period,
            since,
            until,
            community,
        } => {
            let days = since.as_deref().zip(until.as_deref());
            crate::report::command(&env, format, period.as_deref(), days, community.as_deref())
                .await
        }
        Command::Digest { community, period } => {
            crate::digest::command(&env, community.as_deref(), period.as_deref()).await
        }
        Command::Backup { file, force } => crate::ops::backup(&env, &file, force).await,
        Command::Purge { before, dry_run } => {
            crate::ops::purge(&env, before.as_deref(), dry_run).await
        }
    }
}

fn classify(rules: Option<PathBuf>, env: &Env) -> Result<()> {
    let rules = match rules {
        Some(r) => {
            let text = std::fs::read_to_string(&r)
                .with_context(|| format!("cannot read {}", r.display()))?;
            Rules::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", r.display()))?
        }
        None => Config::load(&env.config_path)?.settings.rules,
    };
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.context("cannot read stdin")?;
        let j = rules.judge(&line);
        serde_json::to_writer(&mut out, &j)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn parse_since(since: Option<&str>, tz: chrono_tz::Tz) -> Result<i64> {
    use chrono::TimeZone;
    let Some(s) = since else { return Ok(0) };
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("--since {s}: expected a date like 2026-11-01"))?;
    let t = tz
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).context("bad date")?)
        .earliest()
        .context("that date does not exist in the street's timezone")?;
    Ok(t.timestamp_millis())
}

async fn export(env: &Env, format: Format, since: Option<&str>, events: bool) -> Result<()> {
    let cfg = Config::load(&env.config_path)?;
    let since = parse_since(since, cfg.settings.tz)?;
    let store = crate::run::open_store(env).await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if events {
        let mut rows = store.export_events(since).await?;
        for r in &mut rows {
            r.note = mask_pii(&r.note);
        }
        match format {
            Format::Json => serde_json::to_writer_pretty(&mut out, &rows)?,
            Format::Csv => {
                writeln!(out, "number,at,actor_id,kind,note")?;
                for r in rows {
                    let actor = r.actor_id.map(|a| a.to_string()).unwrap_or_default();
                    writeln!(
                        out,
                        "{},{},{},{},{}",
                        r.number,
                        r.at,
                        actor,
                        r.kind,
                        csv(&r.note)
                    )?;
                }
            }
        }
    } else {
        let mut rows = store.export(since).await?;
        for r in &mut rows {
            r.text = mask_pii(&r.text);
        }
        match format {
            Format::Json => serde_json::to_writer_pretty(&mut out, &rows)?,
            Format::Csv => {
                writeln!(
                    out,
                    "number,community,grid,chat_id,message_id,resident_id,text,category,urgent,location,state,created_at,first_response_at,resolved_at,rating"
                )?;
                for r in rows {
                    let o = |v: &Option<String>| csv(v.as_deref().unwrap_or(""));
                    writeln!(
                        out,
                        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                        r.number,
                        csv(&r.community),
                        csv(&r.grid),
                        r.chat_id,
                        r.message_id,
                        r.resident_id,
                        csv(&r.text),
                        o(&r.category),
                        r.urgent,
                        o(&r.location),
                        r.state,
                        r.created_at,
                        o(&r.first_response_at),
                        o(&r.resolved_at),
                        o(&r.rating)
                    )?;
                }
            }
        }
    }
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// A CSV field, quoted when it must be.
fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
