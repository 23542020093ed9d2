-- In how many of the articles the daemon matched each pattern occurred: the evidence that
-- refines the term weights (monitor/matching/weights.py) with which each rule is indexed
-- under what the fewest articles contain. `pattern` is the matcher's normalised form of a
-- keyword or name (" a b ", or " a b" for a prefix); the row with pattern '' (no pattern is
-- empty) counts the articles. All counts are halved when the articles pass a million, so the
-- feeds of last year fade.
CREATE TABLE term_counts (
    pattern  TEXT PRIMARY KEY,
    articles INTEGER NOT NULL
) WITHOUT ROWID;
