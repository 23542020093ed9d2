"""Real-vocabulary rule sets and a corpus drawn by real word frequencies (issue 15's mixes).

The client-name mix of `bench/generate.py` matches about 1.3 rules per article by
construction, whatever the rule count. Rule sets written from real news words are not like
that: a word shared by many rules wakes all of them in every article that has it. So here:

* the corpus: articles of 3-5 KB whose words are drawn from wordfreq's English list by their
  real frequency (Zipf), in sentences, plus a few topic words per article drawn by frequency
  from the rarer part of the list and repeated (a story is about something: real text is
  bursty, a rare word that occurs once tends to occur again);
* the rules, drawn from the corpus's own words by occurrence (a word twice as frequent in the
  corpus is picked twice as often), in bands of document frequency (the share of articles
  that contain it):
  - `sparse`: `any` of one to three rare words or two-word phrases (document frequency up to
    0.2 %, phrases taken from the articles' own adjacent words); 60 % of rules also need one
    common word (`all: [policy]`, document frequency 5-50 %);
  - `dense`: the same, but the `any` also lists one word of 0.2-5 % document frequency, so
    about 1 % of all rules match each article.

Rules and corpus are seeded, so runs are comparable; `monitor test --json` and the oracle see
them as files (`rules.yaml`, `article-NNNNNN.txt`).
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from functools import cache
from pathlib import Path

MIXES = ("sparse", "dense")

_SPECIAL = {"yes", "no", "on", "off", "true", "false", "null", "nan", "inf", "y", "n"}
_RARE = (0.0, 0.002)
_COMMON = (0.05, 0.5)
_MIDDLE = (0.002, 0.05)


@cache
def _vocabulary() -> tuple[list[str], list[float]]:
    """wordfreq's 60,000 most frequent English words (letters only) and their frequencies."""
    from wordfreq import top_n_list, word_frequency

    words = [w for w in top_n_list("en", 60_000) if w.isascii() and w.isalpha()]
    return words, [word_frequency(w, "en") for w in words]


def _sentence(rng: random.Random, words: list[str], cum: list[float], topics: list[str]) -> str:
    drawn = rng.choices(words, cum_weights=cum, k=rng.randint(8, 24))
    for i in range(len(drawn)):
        if rng.random() < 0.04:
            drawn[i] = rng.choice(topics)
    return " ".join(drawn).capitalize() + "."


def article(rng: random.Random, words: list[str], cum: list[float], rare: list[str]) -> str:
    """One 3-5 KB article: a headline, then paragraphs of four sentences."""
    topics = rng.sample(rare, 6)
    target = rng.randint(3000, 5000)
    sentences: list[str] = []
    size = 0
    while size < target:
        sentence = _sentence(rng, words, cum, topics)
        sentences.append(sentence)
        size += len(sentence) + 1
    headline = _sentence(rng, words, cum, topics).rstrip(".")
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return headline + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, count: int, seed: int = 15) -> None:
    """`count` articles as .txt files (the same for every mix and rule count)."""
    words, weights = _vocabulary()
    cum: list[float] = []
    total = 0.0
    for weight in weights:
        total += weight
        cum.append(total)
    # Topic words: the rarer part of the list (below the 3,000 most frequent), by frequency.
    rare_words, rare_weights = words[3000:], weights[3000:]
    rng = random.Random(seed)
    topics = rng.choices(rare_words, rare_weights, k=20_000)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        text = article(rng, words, cum, topics)
        (folder / f"article-{i:06d}.txt").write_text(text, "utf-8")


_WORD = re.compile(r"[a-z]+")


def _read_corpus(corpus: Path) -> list[list[str]]:
    return [_WORD.findall(path.read_text("utf-8").lower()) for path in sorted(corpus.glob("*.txt"))]


class _Drawer:
    """Words (and phrases) of the corpus drawn by occurrence, within a document-frequency band."""

    def __init__(self, docs: list[list[str]], rng: random.Random) -> None:
        self.docs = docs
        self.rng = rng
        counts: Counter[str] = Counter()
        for doc in docs:
            counts.update(set(doc))
        self.df = {word: n / len(docs) for word, n in counts.items()}

    def _ok(self, word: str, band: tuple[float, float]) -> bool:
        return band[0] < self.df[word] <= band[1] and word not in _SPECIAL and len(word) > 1

    def word(self, band: tuple[float, float]) -> str:
        while True:
            doc = self.rng.choice(self.docs)
            word = doc[self.rng.randrange(len(doc))]
            if self._ok(word, band):
                return word

    def rare_term(self) -> str:
        """A rare word, or a third of the time a two-word phrase starting with one."""
        while True:
            doc = self.rng.choice(self.docs)
            at = self.rng.randrange(len(doc) - 1)
            if not self._ok(doc[at], _RARE):
                continue
            if self.rng.random() < 1 / 3 and doc[at + 1] not in _SPECIAL:
                return f"{doc[at]} {doc[at + 1]}"
            return doc[at]


def rules(corpus: Path, count: int, mix: str, seed: int = 16) -> list[dict[str, object]]:
    """`count` keyword rules of the mix, drawn from the corpus's own words."""
    if mix not in MIXES:
        raise ValueError(f"unknown mix {mix!r}")
    rng = random.Random(seed)
    draw = _Drawer(_read_corpus(corpus), rng)
    made: list[dict[str, object]] = []
    for i in range(count):
        any_terms = list(dict.fromkeys(draw.rare_term() for _ in range(rng.randint(1, 3))))
        if mix == "dense":
            any_terms.append(draw.word(_MIDDLE))
        keywords: dict[str, list[str]] = {"any": any_terms}
        if rng.random() < 0.6:
            keywords["all"] = [draw.word(_COMMON)]
        made.append({"id": f"{mix}-{i:06d}", "keywords": keywords})
    return made


def write_rules(folder: Path, corpus: Path, count: int, mix: str) -> None:
    """The mix's rules as one block-style YAML file, every keyword quoted."""
    lines = ["rules:"]
    for rule in rules(corpus, count, mix):
        keywords = rule["keywords"]
        assert isinstance(keywords, dict)
        lines.append(f"  - id: {rule['id']}")
        lines.append("    keywords:")
        for key, terms in keywords.items():
            lines.append(f"      {key}: [{', '.join(json.dumps(t) for t in terms)}]")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
