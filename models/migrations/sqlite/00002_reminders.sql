-- Reminders on SQLite: the outbox of planned mail (one row per dedupe key), the
-- in-app notifications made from it, and the admin's working-day overrides.

-- +goose Up
CREATE TABLE outbox (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key        TEXT     NOT NULL UNIQUE,
    message_id        TEXT     NOT NULL,
    kind              TEXT     NOT NULL,
    report_id         INTEGER  NOT NULL DEFAULT 0,
    recipient_user_id INTEGER  NOT NULL DEFAULT 0,
    recipient_email   TEXT     NOT NULL,
    recipient_name    TEXT     NOT NULL DEFAULT '',
    subject           TEXT     NOT NULL,
    text_body         TEXT     NOT NULL,
    html_body         TEXT     NOT NULL,
    day               TEXT     NOT NULL,
    send_at           DATETIME NOT NULL,
    status            TEXT     NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'kept')),
    attempts          INTEGER  NOT NULL DEFAULT 0,
    lease_owner       TEXT     NOT NULL DEFAULT '',
    lease_until       DATETIME NULL,
    next_attempt_at   DATETIME NOT NULL,
    last_error        TEXT     NOT NULL DEFAULT '',
    sent_at           DATETIME NULL,
    created_at        DATETIME NOT NULL
);
CREATE INDEX idx_outbox_status_next ON outbox(status, next_attempt_at);

CREATE TABLE inbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER  NOT NULL REFERENCES users(id),
    outbox_id  INTEGER  NOT NULL UNIQUE REFERENCES outbox(id),
    report_id  INTEGER  NOT NULL DEFAULT 0,
    kind       TEXT     NOT NULL,
    title      TEXT     NOT NULL,
    body       TEXT     NOT NULL,
    created_at DATETIME NOT NULL,
    read_at    DATETIME NULL
);
CREATE INDEX idx_inbox_user_read ON inbox(user_id, read_at);

CREATE TABLE calendar_overrides (
    date       TEXT     NOT NULL PRIMARY KEY,
    work       BOOLEAN  NOT NULL,
    name       TEXT     NOT NULL DEFAULT '',
    updated_by INTEGER  NOT NULL DEFAULT 0,
    updated_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE calendar_overrides;
DROP TABLE inbox;
DROP TABLE outbox;
