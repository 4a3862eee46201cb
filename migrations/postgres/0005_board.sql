-- The live board (`[board] enabled`): one pinned message per grid group listing its active
-- petitions. `outbox_id` is the queued post of a new board until the sender records the
-- sent message's id; the two fingerprints say what the board shows (see handlers' board.rs).
CREATE TABLE boards (
    chat_id BIGINT PRIMARY KEY,
    message_id BIGINT,
    outbox_id BIGINT,
    content_hash BIGINT NOT NULL,
    shown_hash BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
