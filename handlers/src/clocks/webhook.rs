//! What an alert tells the optional webhook: decided here, POSTed by the bot.

use crate::effect::{AlertKind, Effect, WebhookAlert};
use crate::intake::mask_pii;
use crate::model::{Millis, Petition};
use crate::settings::Settings;

/// The webhook copy of one petition's alert, when a webhook is configured.
pub fn webhook_alert(
    kind: AlertKind,
    p: &Petition,
    message: &str,
    s: &Settings,
    now: Millis,
) -> Option<Effect> {
    s.alert_webhook.then(|| {
        Effect::Webhook(WebhookAlert {
            kind,
            street: s.street.clone(),
            community: p.community.clone(),
            grid: p.grid.clone(),
            petition: p.number.0,
            category: p.category.clone(),
            location: p.location.clone(),
            urgent: p.urgent,
            text: mask_pii(&p.text),
            wait_minutes: ((now - p.created_at) / 60_000).max(0),
            owner: p.owner.as_ref().map(crate::text::who),
            raised_at: p.created_at,
            alerted_at: now,
            message: mask_pii(message),
        })
    })
}
