-- Reminders on MySQL/MariaDB: the outbox of planned mail (one row per dedupe key),
-- the in-app notifications made from it, and the admin's working-day overrides.
-- The senders claim outbox rows with SELECT … FOR UPDATE SKIP LOCKED on
-- idx_outbox_status_next. Subjects and titles are TEXT: a report's title is
-- free text, and one long title must not stop the day's planning.

-- +goose Up
CREATE TABLE outbox (
    id                BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    dedupe_key        VARCHAR(512) NOT NULL,
    message_id        VARCHAR(255) NOT NULL,
    kind              VARCHAR(32)  NOT NULL,
    report_id         BIGINT       NOT NULL DEFAULT 0,
    recipient_user_id BIGINT       NOT NULL DEFAULT 0,
    recipient_email   VARCHAR(255) NOT NULL,
    recipient_name    VARCHAR(255) NOT NULL DEFAULT '',
    subject           TEXT         NOT NULL,
    text_body         MEDIUMTEXT   NOT NULL,
    html_body         MEDIUMTEXT   NOT NULL,
    day               CHAR(10)     NOT NULL,
    send_at           DATETIME(6)  NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    attempts          INT          NOT NULL DEFAULT 0,
    lease_owner       VARCHAR(255) NOT NULL DEFAULT '',
    lease_until       DATETIME(6)  NULL,
    next_attempt_at   DATETIME(6)  NOT NULL,
    last_error        TEXT         NOT NULL,
    sent_at           DATETIME(6)  NULL,
    created_at        DATETIME(6)  NOT NULL,
    UNIQUE KEY uq_outbox_dedupe_key (dedupe_key),
    KEY idx_outbox_status_next (status, next_attempt_at),
    CONSTRAINT ck_outbox_status CHECK (status IN ('pending', 'sent', 'failed', 'kept'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE inbox (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id    BIGINT       NOT NULL,
    outbox_id  BIGINT       NOT NULL,
    report_id  BIGINT       NOT NULL DEFAULT 0,
    kind       VARCHAR(32)  NOT NULL,
    title      TEXT         NOT NULL,
    body       MEDIUMTEXT   NOT NULL,
    created_at DATETIME(6)  NOT NULL,
    read_at    DATETIME(6)  NULL,
    UNIQUE KEY uq_inbox_outbox (outbox_id),
    KEY idx_inbox_user_read (user_id, read_at),
    CONSTRAINT fk_inbox_user FOREIGN KEY (user_id) REFERENCES users(id),
    CONSTRAINT fk_inbox_outbox FOREIGN KEY (outbox_id) REFERENCES outbox(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE calendar_overrides (
    `date`     CHAR(10)     NOT NULL PRIMARY KEY,
    work       BOOLEAN      NOT NULL,
    name       VARCHAR(255) NOT NULL DEFAULT '',
    updated_by BIGINT       NOT NULL DEFAULT 0,
    updated_at DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE calendar_overrides;
DROP TABLE inbox;
DROP TABLE outbox;
