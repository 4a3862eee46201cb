//! `gridbot run`: start-up checks, then the poller and the sender side by side until
//! SIGTERM or Ctrl-C.

use crate::config::{Config, Env, Token};
use crate::ingest::Brain;
use crate::poller::Poller;
use crate::sender::Sender;
use anyhow::{Context as _, Result};
use gridbot_storage::Store;
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, Me};
use tokio::sync::watch;

pub fn make_bot(token: &Token, api_url: Option<&str>) -> Result<Bot> {
    let bot = Bot::new(token.expose());
    Ok(match api_url {
        Some(u) => {
            let url = reqwest::Url::parse(u.trim_end_matches('/'))
                .with_context(|| format!("TELOXIDE_API_URL is not a URL: {u}"))?;
            bot.set_api_url(url)
        }
        None => bot,
    })
}

pub async fn open_store(env: &Env) -> Result<Store> {
    let store = Store::connect(&env.database_url)
        .await
        .with_context(|| format!("cannot open the database {}", redact_url(&env.database_url)))?;
    store
        .migrate()
        .await
        .context("cannot create or upgrade the database schema")?;
    Ok(store)
}

/// A database URL without its password, for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

async fn get_me(bot: &Bot, token: &Token, stop: &mut watch::Receiver<bool>) -> Option<Me> {
    let mut wait = Duration::from_secs(1);
    loop {
        match bot.get_me().await {
            Ok(me) => return Some(me),
            Err(e) => {
                tracing::warn!(error = %token.scrub(&e.to_string()), "cannot reach Telegram (getMe); retrying");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return None,
        }
        wait = (wait * 2).min(Duration::from_secs(60));
    }
}

/// Everyone's default menu is the resident one; staff get theirs per group (chat_member
/// scope) when their role is given, through the outbox.
async fn register_menus(bot: &Bot) {
    use gridbot_handlers::model::Role;
    let menu = crate::executor::menu(Role::Resident);
    let results = [
        bot.set_my_commands(menu.clone()).await,
        bot.set_my_commands(menu)
            .scope(BotCommandScope::AllGroupChats)
            .await,
    ];
    for r in results {
        if let Err(e) = r {
            tracing::warn!(error = %e, "could not register the command menu");
        }
    }
}

pub async fn run(env: Env, cfg: Config, webhook: bool) -> Result<()> {
    let hook_secret = match (webhook, cfg.hook.secret.clone()) {
        (true, None) => anyhow::bail!(
            "webhook mode needs a secret token: set [webhook] secret or GRIDBOT_WEBHOOK_SECRET"
        ),
        (_, s) => s,
    };
    let token = env.token.clone().context(
        "TELOXIDE_TOKEN is not set: put the token BotFather gave you in the environment",
    )?;
    let store = open_store(&env).await?;
    let bot = make_bot(&token, env.api_url.as_deref())?;
    let (stop_tx, mut stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("stopping: finishing the work under way");
        let _ = stop_tx.send(true);
    });
    let Some(me) = get_me(&bot, &token, &mut stop_rx).await else {
        return Ok(());
    };
    tracing::info!(bot = %me.username(), "connected to Telegram");
    if !me.can_read_all_group_messages {
        tracing::warn!(
            "privacy mode is on: in groups the bot sees only commands and replies, so residents' messages \
             are missed. Fix: in BotFather send /setprivacy, choose @{}, then Disable; then remove the bot \
             from each group and add it again (or make it a group admin)",
            me.username()
        );
    }
    register_menus(&bot).await;
    let sender = Sender {
        store: store.clone(),
        bot: bot.clone(),
        limits: cfg.limits,
        token: token.clone(),
    };
    let brain = Brain {
        settings: cfg.settings.clone(),
        bot_username: me.user.username.clone(),
        times: Default::default(),
    };
    let sending = tokio::spawn(sender.run(stop_rx.clone()));
    let scheduler =
        crate::scheduler::Scheduler::new(store.clone(), cfg.settings.clone(), cfg.limits);
    let clocks = tokio::spawn(scheduler.run(stop_rx.clone()));
    let digester = crate::digest::Digester {
        store: store.clone(),
        settings: cfg.settings.clone(),
        weekday: cfg.digest_weekday,
        minute: cfg.digest_minute,
    };
    let digests = tokio::spawn(digester.run(stop_rx.clone()));
    let retention = cfg.retention.map(|closed_after| {
        let job = crate::ops::Retention {
            store: store.clone(),
            closed_after,
        };
        tokio::spawn(job.run(stop_rx.clone()))
    });
    let boards = cfg.board.enabled.then(|| {
        let boarder = crate::board::Boarder {
            store: store.clone(),
            settings: cfg.settings.clone(),
            min_interval: cfg.board.min_interval,
        };
        tokio::spawn(boarder.run(stop_rx.clone()))
    });
    let posting = cfg.webhook.clone().map(|url| {
        let poster = crate::alert_webhook::AlertPoster {
            store: store.clone(),
            url,
            format: cfg.webhook_format,
        };
        tokio::spawn(poster.run(stop_rx.clone()))
    });
    let polled = match hook_secret.filter(|_| webhook) {
        Some(secret) => {
            let app = crate::webhook::router(store.clone(), brain, secret, &cfg.hook.path());
            crate::webhook::serve(&cfg.hook.listen, app, stop_rx.clone()).await
        }
        None => {
            let poller = Poller {
                store: store.clone(),
                bot: bot.clone(),
                brain,
                poll_timeout: Duration::from_millis(cfg.poll_timeout.ms() as u64),
                token,
                instance: instance_name(),
            };
            poller.run(stop_rx.clone()).await
        }
    };
    let _ = sending.await;
    let _ = clocks.await;
    let _ = digests.await;
    if let Some(r) = retention {
        let _ = r.await;
    }
    if let Some(p) = posting {
        let _ = p.await;
    }
    if let Some(b) = boards {
        let _ = b.await;
    }
    store.close().await;
    tracing::info!("stopped");
    polled
}

/// A name for this process in shared leases: host, pid and start time.
fn instance_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    format!("{}-{}-{}", host.trim(), std::process::id(), crate::now_ms())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
