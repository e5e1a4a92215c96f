-- The whole schema of Qianfa on SQLite. Times are stored as UTC text that
-- the driver parses back because the declared type is DATETIME.

-- +goose Up
CREATE TABLE agencies (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    code           TEXT     NOT NULL UNIQUE,
    name           TEXT     NOT NULL,
    level          TEXT     NOT NULL DEFAULT '',
    parent_id      INTEGER  NULL REFERENCES agencies(id),
    approval_steps TEXT     NOT NULL DEFAULT '[]',
    audit_count    INTEGER  NOT NULL DEFAULT 0,
    audit_head     TEXT     NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX idx_agencies_parent ON agencies(parent_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT     NOT NULL UNIQUE,
    name          TEXT     NOT NULL DEFAULT '',
    email         TEXT     NOT NULL DEFAULT '',
    agency_id     INTEGER  NOT NULL REFERENCES agencies(id),
    roles         TEXT     NOT NULL DEFAULT '',
    password_hash TEXT     NOT NULL DEFAULT '',
    active        BOOLEAN  NOT NULL DEFAULT 1,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE INDEX idx_users_agency ON users(agency_id);

CREATE TABLE reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id     INTEGER  NOT NULL REFERENCES agencies(id),
    year          INTEGER  NOT NULL,
    kind          TEXT     NOT NULL CHECK (kind IN ('agency', 'government')),
    edition       TEXT     NOT NULL,
    state         TEXT     NOT NULL,
    version       INTEGER  NOT NULL,
    step          INTEGER  NOT NULL DEFAULT 0,
    revision      INTEGER  NOT NULL DEFAULT 0,
    submitted_by  INTEGER  NULL REFERENCES users(id),
    content       TEXT     NOT NULL,
    error_count   INTEGER  NOT NULL DEFAULT 0,
    warning_count INTEGER  NOT NULL DEFAULT 0,
    audit_count   INTEGER  NOT NULL DEFAULT 0,
    audit_head    TEXT     NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    published_at  DATETIME NULL,
    UNIQUE (agency_id, year, kind)
);
CREATE INDEX idx_reports_state ON reports(state);
CREATE INDEX idx_reports_year_state ON reports(year, state);

CREATE TABLE revisions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id       INTEGER  NOT NULL REFERENCES reports(id),
    number          INTEGER  NOT NULL,
    state_at_freeze TEXT     NOT NULL,
    content         TEXT     NOT NULL,
    author_id       INTEGER  NOT NULL REFERENCES users(id),
    created_at      DATETIME NOT NULL,
    UNIQUE (report_id, number)
);

CREATE TABLE approvals (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id  INTEGER  NOT NULL REFERENCES reports(id),
    revision   INTEGER  NOT NULL,
    step       INTEGER  NOT NULL,
    user_id    INTEGER  NOT NULL REFERENCES users(id),
    created_at DATETIME NOT NULL,
    UNIQUE (report_id, revision, step)
);

CREATE TABLE publications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id    INTEGER  NOT NULL REFERENCES reports(id),
    revision     INTEGER  NOT NULL,
    content      TEXT     NOT NULL,
    published_at DATETIME NOT NULL,
    published_by INTEGER  NOT NULL REFERENCES users(id)
);
CREATE INDEX idx_publications_report ON publications(report_id);

-- audit_events.id is the global sequence number (seq) of the log.
CREATE TABLE audit_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    chain          TEXT     NOT NULL,
    pos            INTEGER  NOT NULL,
    at             DATETIME NOT NULL,
    actor_id       INTEGER  NOT NULL DEFAULT 0,
    actor_username TEXT     NOT NULL DEFAULT '',
    action         TEXT     NOT NULL,
    agency_id      INTEGER  NOT NULL DEFAULT 0,
    report_id      INTEGER  NOT NULL DEFAULT 0,
    from_state     TEXT     NOT NULL DEFAULT '',
    to_state       TEXT     NOT NULL DEFAULT '',
    comment        TEXT     NOT NULL DEFAULT '',
    revision       INTEGER  NOT NULL DEFAULT 0,
    data           TEXT     NOT NULL DEFAULT '',
    prev_hash      TEXT     NOT NULL DEFAULT '',
    hash           TEXT     NOT NULL,
    UNIQUE (chain, pos)
);
CREATE INDEX idx_audit_events_report ON audit_events(report_id);
CREATE INDEX idx_audit_events_at ON audit_events(at);
CREATE INDEX idx_audit_events_action ON audit_events(action);

-- token_hash is the SHA-256 (hex) of the bearer/cookie token; the token itself is never stored.
CREATE TABLE sessions (
    token_hash   TEXT     NOT NULL PRIMARY KEY,
    user_id      INTEGER  NOT NULL REFERENCES users(id),
    csrf_token   TEXT     NOT NULL,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL
);
CREATE INDEX idx_sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT     NOT NULL,
    at       DATETIME NOT NULL,
    ip       TEXT     NOT NULL DEFAULT ''
);
CREATE INDEX idx_login_failures_username_at ON login_failures(username, at);

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
