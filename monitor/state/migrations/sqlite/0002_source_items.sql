-- Items are per source: the inbox's files become items of the source named "inbox", keyed by
-- their path; a feed's entries (by guid) and ingested documents will be items of their own
-- sources. `fingerprint` is the source's notion of "this exact version" (size and mtime for a
-- file), so a source can tell an unchanged item from an edited one.
CREATE TABLE items (
    source      TEXT NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    article_id  TEXT,
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (source, key)
);
INSERT INTO items (source, key, fingerprint, article_id, seen_at)
    SELECT 'inbox', path, size || ':' || mtime_ns, article_id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM files;
DROP TABLE files;
-- Which source an article first came from (the story issue shows "also in" by source).
ALTER TABLE articles ADD COLUMN source TEXT NOT NULL DEFAULT 'inbox';
