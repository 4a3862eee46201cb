-- gridbot schema, SQLite. Times are milliseconds since the Unix epoch (BIGINT) so that
-- both backends compare and sort them the same way. Booleans are 0/1 BIGINT.

CREATE TABLE kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Every raw update, stored before Telegram is told it arrived.
CREATE TABLE updates (
    update_id BIGINT PRIMARY KEY,
    received_at BIGINT NOT NULL,
    raw TEXT NOT NULL,
    error TEXT
);

-- Every message, idempotent by chat and message id.
CREATE TABLE messages (
    chat_id BIGINT NOT NULL,
    message_id BIGINT NOT NULL,
    user_id BIGINT,
    text TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);

CREATE TABLE people (
    user_id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    username TEXT,
    phone TEXT,
    private_ok BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE communities (
    name TEXT PRIMARY KEY,
    alert_chat BIGINT
);

CREATE TABLE grids (
    chat_id BIGINT PRIMARY KEY,
    community TEXT NOT NULL,
    grid TEXT NOT NULL,
    title TEXT,
    present BIGINT NOT NULL DEFAULT 1,
    bound_at BIGINT NOT NULL
);

-- scope is 'grid:<chat_id>' for worker/property, 'community:<name>' for secretary.
CREATE TABLE roles (
    user_id BIGINT NOT NULL,
    scope TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, scope)
);

CREATE TABLE petitions (
    number BIGINT PRIMARY KEY,
    chat_id BIGINT NOT NULL,
    message_id BIGINT NOT NULL,
    community TEXT NOT NULL,
    grid TEXT NOT NULL,
    resident_id BIGINT NOT NULL,
    resident_name TEXT NOT NULL,
    resident_username TEXT,
    text TEXT NOT NULL,
    category TEXT,
    urgent BIGINT NOT NULL,
    location TEXT,
    needs_look BIGINT NOT NULL,
    state TEXT NOT NULL,
    owner_id BIGINT,
    owner_name TEXT,
    owner_username TEXT,
    created_at BIGINT NOT NULL,
    first_response_at BIGINT,
    resolved_at BIGINT,
    closed_at BIGINT,
    rating TEXT,
    merged_into BIGINT,
    respond_by BIGINT NOT NULL,
    escalate_at BIGINT NOT NULL,
    resolve_by BIGINT NOT NULL,
    next_due_at BIGINT,
    reminders BIGINT NOT NULL DEFAULT 0,
    escalation_alerted BIGINT NOT NULL DEFAULT 0,
    resolve_alerted_at BIGINT,
    reopened BIGINT NOT NULL DEFAULT 0,
    escalated BIGINT NOT NULL DEFAULT 0,
    due_lease_until BIGINT
);
CREATE INDEX petitions_due ON petitions (next_due_at) WHERE next_due_at IS NOT NULL;
CREATE INDEX petitions_chat_state ON petitions (chat_id, state);
CREATE INDEX petitions_resident ON petitions (resident_id, created_at);
CREATE INDEX petitions_created ON petitions (created_at);

-- Messages that belong to a petition: replies to them are answers or follow-ups.
CREATE TABLE petition_messages (
    chat_id BIGINT NOT NULL,
    message_id BIGINT NOT NULL,
    number BIGINT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);

CREATE TABLE followers (
    number BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    username TEXT,
    PRIMARY KEY (number, user_id)
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT,
    actor_username TEXT,
    kind TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX events_number ON events (number, id);
CREATE INDEX events_at ON events (at);

-- Every call to Telegram, stored before it is made and retried until accepted.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    petition BIGINT,
    created_at BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending',
    sent_message_id BIGINT,
    sent_at BIGINT,
    last_error TEXT,
    lease_until BIGINT
);
CREATE INDEX outbox_pending ON outbox (state, chat_id, id);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
