"""Rarity anchors change speed, never answers: rules made of real news words, on real text.

Rules are drawn from the words of the labelled news texts in bench/data, as an agency's are
from the news it reads: rare words, phrases and prefixes in `any`, common words in `all`
(which the weights must not anchor on), some `none`. The engine must give exactly the
brute-force oracle's answers on every text. (Queries' anchors are checked against the query
oracle in tests/test_query_oracle.py.)
"""

from __future__ import annotations

import functools
import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest
import test_matching_oracle as oracle_module

from monitor.articles.model import Article
from monitor.gazetteer import load_builtin
from monitor.matching import Matcher
from monitor.rules.model import Keywords, Rule, RuleSet
from monitor.rules.query import MIN_WILDCARD_PREFIX

DATA = Path(__file__).resolve().parent.parent / "bench" / "data" / "labelled_news.jsonl"


def _texts() -> list[str]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def _rules(texts: list[str], count: int, seed: int = 15) -> list[Rule]:
    docs = [re.findall(r"[^\W\d_]+", text.lower()) for text in texts]
    df = Counter(word for doc in docs for word in set(doc))
    rng = random.Random(seed)
    common = [w for w, n in df.items() if n >= len(docs) // 20 and len(w) > 2]
    rules = []
    for i in range(count):
        doc = rng.choice([d for d in docs if len(d) > 3])
        at = rng.randrange(len(doc) - 1)
        rare = [w for w in doc if df[w] <= 3] or doc
        stems = [w for w in doc if len(w) >= MIN_WILDCARD_PREFIX] or ["nato"]
        any_terms = [rng.choice(rare), f"{doc[at]} {doc[at + 1]}", rng.choice(stems)[:4] + "*"]
        keywords = Keywords(
            any=any_terms[: rng.randint(1, 3)],
            all=[rng.choice(common)] if rng.random() < 0.6 else [],
            none=[rng.choice(rare)] if rng.random() < 0.1 else [],
        )
        rules.append(Rule(id=f"r{i:04d}", keywords=keywords))
    return rules


def test_rules_of_real_words_agree_with_the_oracle_on_real_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The oracle compiles a regex per term and call; remembered here, as bench/scale.py does.
    monkeypatch.setattr(oracle_module, "term_regex", functools.cache(oracle_module.term_regex))
    monkeypatch.setattr(oracle_module, "plain", functools.lru_cache(64)(oracle_module.plain))
    texts = _texts()
    ruleset = RuleSet(rules=tuple(_rules(texts, 300)))
    blockers = list(load_builtin())
    matcher = Matcher(ruleset, blockers=blockers)
    matched = 0
    for number, text in enumerate(texts):
        title, _, body = text.partition(" - ")
        art = Article.create(path=f"labelled-{number}", title=title, body=body or title)
        found = [m.rule for m in matcher.match(art)]
        assert found == oracle_module.oracle(ruleset, blockers, art), text
        matched += len(found)
    assert matched > len(texts) // 2  # the rules do match: this compared real answers
