-- Several `monitor run` processes (nodes) on one database share the work. No consensus of
-- our own: a node's claims are rows that name it, and they hold while the node is alive,
-- which is what its heartbeat says (`nodes.heartbeat`, written every lease/5 seconds from
-- the database's own clock, so the nodes' clocks do not matter). A node that stops cleanly
-- sets `stopped_at` and lets everything go at once; a node killed or cut off stops beating,
-- and once its heartbeat is older than its lease its claims are anyone's.
CREATE TABLE nodes (
    id         TEXT COLLATE "C" PRIMARY KEY,
    host       TEXT NOT NULL,
    pid        INTEGER NOT NULL,
    version    TEXT NOT NULL DEFAULT '',
    lease      DOUBLE PRECISION NOT NULL,
    started_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    heartbeat  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    stopped_at TIMESTAMPTZ,
    status     TEXT NOT NULL DEFAULT ''
);

CREATE FUNCTION monitor_node_alive(node TEXT) RETURNS BOOLEAN
    LANGUAGE sql VOLATILE
    AS $$ SELECT EXISTS (SELECT 1 FROM nodes WHERE id = node AND stopped_at IS NULL
                         AND heartbeat > clock_timestamp() - make_interval(secs => lease)) $$;

-- Named leases: `feed:NAME` is the right to poll one feed. Held by `node` while it lives.
CREATE TABLE leases (
    name        TEXT COLLATE "C" PRIMARY KEY,
    node        TEXT COLLATE "C" NOT NULL,
    acquired_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

-- An inbox file on a shared folder being read by one node: inserted before the file is
-- opened, deleted once it has left the inbox. Another node skips it while the claimant lives.
CREATE TABLE item_claims (
    source     TEXT COLLATE "C" NOT NULL,
    key        TEXT COLLATE "C" NOT NULL,
    node       TEXT COLLATE "C" NOT NULL,
    claimed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (source, key)
);

-- The node sending an outbox row: set when a sender takes it (FOR UPDATE SKIP LOCKED), and
-- kept through its retries; another node's sender takes it only once that node is dead.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT COLLATE "C";
CREATE INDEX outbox_claimed ON outbox (claimed_by) WHERE status = 'pending';
