-- Which patterns were counted, and since when. A pattern is counted only while some rule has
-- it, so a rule added after the counts were taken brings patterns the articles so far were
-- never searched for: their absence says nothing, and taking it for "seen in none of the N
-- articles" made a common word look rare. `since` is the article total (the '' row) when
-- the pattern was first counted: it was counted in `total - since` of them. Rows from
-- before this column (0) count from the start, as they were read until now; a pattern with
-- no row was never counted. Every article scanned is counted, matched or not.
ALTER TABLE term_counts ADD COLUMN since INTEGER NOT NULL DEFAULT 0;
