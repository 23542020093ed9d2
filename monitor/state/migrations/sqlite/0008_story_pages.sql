-- The web page (issue 18) lists stories newest first, a page at a time, and filters them by
-- rule, source and channel; its rules page counts each rule's stories per day. With 10,000
-- stories in the window and 100,000 articles that matched nothing beside them, a filtered
-- page or a count read every article of the window, row by row: 0.25 to 0.65 s a call
-- (bench/web_queries.py). By these two, each reads the stories it shows or counts, and
-- per story only its copies' index entries: 1 to 25 ms (the rules page 65 ms).
--
-- `articles_stories`: the stories themselves (first copies: story_id = id), by arrival, in
-- the page's order, for keyset paging and counting.
CREATE INDEX articles_stories ON articles (first_seen DESC, id) WHERE story_id = id;
-- `articles_story` (a story's copies) now holds what the filters and the rules page ask of a
-- copy: its arrival, rules and source, so that they read no article row. It keeps only
-- articles filed under a story: an article no rule matched (most of them) costs no entry
-- now, where it cost one before; a matched one costs the one it did.
DROP INDEX IF EXISTS articles_story;
CREATE INDEX articles_story ON articles (story_id, first_seen, rules, outlet, source)
    WHERE story_id IS NOT NULL;
