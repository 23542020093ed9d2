-- What a polled source (a feed) knows between polls and across restarts: the validators of its
-- last complete poll (ETag, Last-Modified: a 304 costs nothing), its schedule and its health,
-- for `monitor sources`. The entries themselves are rows of `items` (source, key = guid).
-- `primed` is set once the first poll's entries were taken in (alerted, or with
-- `backfill = false` marked seen): a restart never backfills again. `target` is a digest of
-- the URL the validators belong to: a changed URL starts without them, never with the URL
-- itself, which may carry a token.
CREATE TABLE source_state (
    source        TEXT PRIMARY KEY,
    target        TEXT NOT NULL DEFAULT '',
    etag          TEXT,
    last_modified TEXT,
    primed        INTEGER NOT NULL DEFAULT 0,
    polls         INTEGER NOT NULL DEFAULT 0,
    errors        INTEGER NOT NULL DEFAULT 0,
    last_poll     TEXT,
    last_status   INTEGER,
    last_error    TEXT,
    last_success  TEXT,
    last_new      TEXT,
    next_poll     TEXT
);
