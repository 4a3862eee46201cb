-- Alerts for the optional webhook (`[alerts] webhook`): stored with the decision that
-- raised them, POSTed by the bot, retried with backoff, never in Telegram's way.
CREATE TABLE webhook_outbox (
    id BIGSERIAL PRIMARY KEY,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending',
    sent_at BIGINT,
    last_error TEXT,
    lease_until BIGINT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (state, next_attempt_at);

-- The message carrying a petition's rating buttons is found among its sent messages.
CREATE INDEX outbox_petition ON outbox (petition) WHERE petition IS NOT NULL;
