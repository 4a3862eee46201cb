//! `gridbot webhook set|delete|info`: register the webhook once per deployment (not at each
//! instance's start).

use crate::config::{Config, Env};
use anyhow::{Context as _, Result};
use teloxide::payloads::SetWebhookSetters;
use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Action {
    Set,
    Delete,
    Info,
}

pub async fn webhook(env: &Env, cfg: &Config, action: Action) -> Result<()> {
    let token = env.token.clone().context("TELOXIDE_TOKEN is not set")?;
    let bot = crate::run::make_bot(&token, env.api_url.as_deref())?;
    let scrub = |e: teloxide::RequestError| anyhow::anyhow!(token.scrub(&e.to_string()));
    match action {
        Action::Set => {
            let url = cfg
                .hook
                .url
                .clone()
                .context("[webhook] url is not set in the config file")?;
            let secret = cfg
                .hook
                .secret
                .clone()
                .context("[webhook] secret (or GRIDBOT_WEBHOOK_SECRET) is not set")?;
            let parsed = reqwest::Url::parse(&url)
                .with_context(|| format!("[webhook] url is not a URL: {url}"))?;
            bot.set_webhook(parsed)
                .secret_token(secret)
                .allowed_updates(vec![
                    AllowedUpdate::Message,
                    AllowedUpdate::EditedMessage,
                    AllowedUpdate::CallbackQuery,
                    AllowedUpdate::MyChatMember,
                ])
                .await
                .map_err(scrub)?;
            println!("webhook set: {url} (then run `gridbot run --webhook` behind your proxy)");
        }
        Action::Delete => {
            bot.delete_webhook().await.map_err(scrub)?;
            println!("webhook deleted: `gridbot run` polls again");
        }
        Action::Info => {
            let info = bot.get_webhook_info().await.map_err(scrub)?;
            println!(
                "url: {}\npending updates: {}\nlast error: {}",
                info.url
                    .map(|u| u.to_string())
                    .unwrap_or_else(|| "(none: polling)".into()),
                info.pending_update_count,
                info.last_error_message.unwrap_or_else(|| "(none)".into())
            );
        }
    }
    Ok(())
}
