-- Stories (issue 13): the unit of alerting. A story is a group of near-duplicate articles;
-- its id is the id of the first article in it. `seq` is the number the in-memory
-- near-duplicate index stores (see monitor.stories.index); `sketch` and `keys` are what the
-- index is rebuilt from at start-up (NULL once the story has left the window).
CREATE TABLE stories (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    id      TEXT NOT NULL UNIQUE,
    arrived REAL NOT NULL,
    sketch  BLOB,
    keys    BLOB
);
CREATE INDEX stories_arrived ON stories (arrived);
-- Every article knows its story, its link and the rules it matched (a JSON list), so that
-- `monitor stories` can show a story's copies ("also in") and rules.
ALTER TABLE articles ADD COLUMN story_id TEXT;
ALTER TABLE articles ADD COLUMN url TEXT;
ALTER TABLE articles ADD COLUMN rules TEXT;
ALTER TABLE articles ADD COLUMN similarity REAL;
ALTER TABLE articles ADD COLUMN archived TEXT;
-- The outlet that published it (a feed's title, ninjs `source`), beside `source`, the
-- monitor's own source it came through (`inbox`): "also in" names the outlet when known.
ALTER TABLE articles ADD COLUMN outlet TEXT;
CREATE INDEX articles_story ON articles (story_id);
CREATE INDEX articles_first_seen ON articles (first_seen);
-- The same text again under another name or from another outlet has the same article id
-- (a hash of title and body): it is a sighting of that article, listed as "also in".
CREATE TABLE sightings (
    article_id TEXT NOT NULL,
    story_id   TEXT NOT NULL,
    outlet     TEXT,
    url        TEXT,
    path       TEXT NOT NULL,
    title      TEXT NOT NULL,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (article_id, path)
);
CREATE INDEX sightings_story ON sightings (story_id);
-- Which rules alerted on which story, and when: the flood guard counts stories per rule
-- here, whatever way (story or rule messages) the channels group them.
CREATE TABLE story_rules (
    story_id   TEXT NOT NULL,
    rule       TEXT NOT NULL,
    article_id TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (story_id, rule)
);
CREATE INDEX story_rules_time ON story_rules (rule, created_at);
-- Outbox rows are now keyed (story id, rule, channel); a story message has rule ''.
-- `held` rows wait for their digest (release_at, epoch seconds), then become `digested`
-- with the key of the digest row that carried them; `silenced` rows name their silence.
ALTER TABLE outbox ADD COLUMN release_at REAL;
ALTER TABLE outbox ADD COLUMN digest TEXT;
ALTER TABLE outbox ADD COLUMN silence TEXT;
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'rule';
CREATE INDEX outbox_held ON outbox (status, channel, release_at);
-- Silences: `rule` or `query` (one of them), optionally one channel, until a time.
CREATE TABLE silences (
    id         TEXT PRIMARY KEY,
    rule       TEXT,
    query      TEXT,
    channel    TEXT,
    until      REAL NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expired_at TEXT
);
