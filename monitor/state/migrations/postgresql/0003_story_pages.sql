-- The twin of the SQLite schema's 0008_story_pages, for the web page (issue 18): the stories
-- (first copies) by arrival, in the page's order, for keyset paging and counting.
--
-- SQLite's migration also widens `articles_story` with each copy's rules and source; here
-- it stays as it is: a B-tree entry must fit in a third of a page (about 2,700 bytes), and
-- an article's list of rules (a hundred rule ids at 100,000 rules) or a hostile outlet name
-- may not, which would make the article unrecordable. Those are read from the rows.
CREATE INDEX articles_stories ON articles (first_seen DESC, id) WHERE story_id = id;
