-- The schema as it was before numbered migrations. IF NOT EXISTS makes this a no-op on a
-- database created by those versions, which is how they join the numbered history.
CREATE TABLE IF NOT EXISTS articles (
    id         TEXT PRIMARY KEY,
    path       TEXT NOT NULL,
    title      TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    path       TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    mtime_ns   INTEGER NOT NULL,
    article_id TEXT
);
CREATE TABLE IF NOT EXISTS outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id   TEXT NOT NULL,
    rule         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      REAL NOT NULL,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    delivered_at TEXT,
    UNIQUE (article_id, rule, channel)
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_at);
CREATE INDEX IF NOT EXISTS outbox_rule_time ON outbox (rule, created_at);
