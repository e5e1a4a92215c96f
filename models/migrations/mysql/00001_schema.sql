-- The whole schema of Qianfa on MySQL/MariaDB: InnoDB, utf8mb4_unicode_ci
-- (4-byte characters such as 𠮷 need utf8mb4), DATETIME(6) in UTC.

-- +goose Up
CREATE TABLE agencies (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code           VARCHAR(64)  NOT NULL,
    name           VARCHAR(255) NOT NULL,
    level          VARCHAR(32)  NOT NULL DEFAULT '',
    parent_id      BIGINT       NULL,
    approval_steps TEXT         NOT NULL,
    audit_count    BIGINT       NOT NULL DEFAULT 0,
    audit_head     VARCHAR(128) NOT NULL DEFAULT '',
    created_at     DATETIME(6)  NOT NULL,
    updated_at     DATETIME(6)  NOT NULL,
    UNIQUE KEY uq_agencies_code (code),
    KEY idx_agencies_parent (parent_id),
    CONSTRAINT fk_agencies_parent FOREIGN KEY (parent_id) REFERENCES agencies(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE users (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL,
    name          VARCHAR(255) NOT NULL DEFAULT '',
    email         VARCHAR(255) NOT NULL DEFAULT '',
    agency_id     BIGINT       NOT NULL,
    roles         VARCHAR(255) NOT NULL DEFAULT '',
    password_hash VARCHAR(255) NOT NULL DEFAULT '',
    active        BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at    DATETIME(6)  NOT NULL,
    updated_at    DATETIME(6)  NOT NULL,
    UNIQUE KEY uq_users_username (username),
    KEY idx_users_agency (agency_id),
    CONSTRAINT fk_users_agency FOREIGN KEY (agency_id) REFERENCES agencies(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE reports (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id     BIGINT       NOT NULL,
    year          INT          NOT NULL,
    kind          VARCHAR(16)  NOT NULL,
    edition       VARCHAR(16)  NOT NULL,
    state         VARCHAR(32)  NOT NULL,
    version       BIGINT       NOT NULL,
    step          INT          NOT NULL DEFAULT 0,
    revision      INT          NOT NULL DEFAULT 0,
    submitted_by  BIGINT       NULL,
    content       LONGTEXT     NOT NULL,
    error_count   INT          NOT NULL DEFAULT 0,
    warning_count INT          NOT NULL DEFAULT 0,
    audit_count   BIGINT       NOT NULL DEFAULT 0,
    audit_head    VARCHAR(128) NOT NULL DEFAULT '',
    created_at    DATETIME(6)  NOT NULL,
    updated_at    DATETIME(6)  NOT NULL,
    published_at  DATETIME(6)  NULL,
    UNIQUE KEY uq_reports_agency_year_kind (agency_id, year, kind),
    KEY idx_reports_state (state),
    KEY idx_reports_year_state (year, state),
    CONSTRAINT ck_reports_kind CHECK (kind IN ('agency', 'government')),
    CONSTRAINT fk_reports_agency FOREIGN KEY (agency_id) REFERENCES agencies(id),
    CONSTRAINT fk_reports_submitted_by FOREIGN KEY (submitted_by) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE revisions (
    id              BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    report_id       BIGINT      NOT NULL,
    number          INT         NOT NULL,
    state_at_freeze VARCHAR(32) NOT NULL,
    content         LONGTEXT    NOT NULL,
    author_id       BIGINT      NOT NULL,
    created_at      DATETIME(6) NOT NULL,
    UNIQUE KEY uq_revisions_report_number (report_id, number),
    CONSTRAINT fk_revisions_report FOREIGN KEY (report_id) REFERENCES reports(id),
    CONSTRAINT fk_revisions_author FOREIGN KEY (author_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE approvals (
    id         BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    report_id  BIGINT      NOT NULL,
    revision   INT         NOT NULL,
    step       INT         NOT NULL,
    user_id    BIGINT      NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_approvals_report_revision_step (report_id, revision, step),
    CONSTRAINT fk_approvals_report FOREIGN KEY (report_id) REFERENCES reports(id),
    CONSTRAINT fk_approvals_user FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE publications (
    id           BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    report_id    BIGINT      NOT NULL,
    revision     INT         NOT NULL,
    content      LONGTEXT    NOT NULL,
    published_at DATETIME(6) NOT NULL,
    published_by BIGINT      NOT NULL,
    KEY idx_publications_report (report_id),
    CONSTRAINT fk_publications_report FOREIGN KEY (report_id) REFERENCES reports(id),
    CONSTRAINT fk_publications_user FOREIGN KEY (published_by) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- audit_events.id is the global sequence number (seq) of the log.
CREATE TABLE audit_events (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    chain          VARCHAR(64)  NOT NULL,
    pos            BIGINT       NOT NULL,
    at             DATETIME(6)  NOT NULL,
    actor_id       BIGINT       NOT NULL DEFAULT 0,
    actor_username VARCHAR(64)  NOT NULL DEFAULT '',
    action         VARCHAR(32)  NOT NULL,
    agency_id      BIGINT       NOT NULL DEFAULT 0,
    report_id      BIGINT       NOT NULL DEFAULT 0,
    from_state     VARCHAR(32)  NOT NULL DEFAULT '',
    to_state       VARCHAR(32)  NOT NULL DEFAULT '',
    comment        TEXT         NOT NULL,
    revision       INT          NOT NULL DEFAULT 0,
    data           TEXT         NOT NULL,
    prev_hash      VARCHAR(128) NOT NULL DEFAULT '',
    hash           VARCHAR(128) NOT NULL,
    UNIQUE KEY uq_audit_events_chain_pos (chain, pos),
    KEY idx_audit_events_report (report_id),
    KEY idx_audit_events_at (at),
    KEY idx_audit_events_action (action)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- token_hash is the SHA-256 (hex) of the bearer/cookie token; the token itself is never stored.
CREATE TABLE sessions (
    token_hash   CHAR(64)    NOT NULL PRIMARY KEY,
    user_id      BIGINT      NOT NULL,
    csrf_token   VARCHAR(64) NOT NULL,
    created_at   DATETIME(6) NOT NULL,
    expires_at   DATETIME(6) NOT NULL,
    last_seen_at DATETIME(6) NOT NULL,
    KEY idx_sessions_user (user_id),
    CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE login_failures (
    id       BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username VARCHAR(255) NOT NULL,
    at       DATETIME(6) NOT NULL,
    ip       VARCHAR(64) NOT NULL DEFAULT '',
    KEY idx_login_failures_username_at (username, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE audit_events;
DROP TABLE publications;
DROP TABLE approvals;
DROP TABLE revisions;
DROP TABLE reports;
DROP TABLE users;
DROP TABLE agencies;
