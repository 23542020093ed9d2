"""The language of an article's text, found by py3langid, for articles that declare none.

A source's declaration wins (`Article.language`: a feed's `<language>`, a JSON article's
`language`, `<html lang>`, an e-mail's Content-Language); only when there is none is the
text classified, and only when something asks (`Article.lang`): a rule with `languages:`
or `lang:`, or an article that matched and whose alert records carry its language.

Why py3langid: it ships its model inside the package (no download when the daemon runs),
it is a maintained, numpy-based port of langid.py (97 languages, ISO 639 codes), and it is
fast for what it does: about 0.1 ms for a headline, 0.5 ms for 3 KB. Its model takes about
0.5 s to load, so it is loaded once per process, on first use or when `preload` is called
(`monitor test` calls it before forking its workers, so they share the loaded model).

The cost is bounded: the title and the first `MAX_BODY_CHARS` characters of the body are
classified, which is plenty to tell a language and keeps a 1 MB article at the price of a
short one. Too little text (fewer than `MIN_LETTERS` letters), or a verdict the model is
not at all sure of (below `MIN_PROBABILITY`), is no language: None.
"""

from __future__ import annotations

import threading
from typing import Any

from monitor.langcodes import canonical

MAX_BODY_CHARS = 400
"""How much of the body is classified, after the title. The model walks the text byte by
byte in Python: 1,000 characters cost 0.47 ms an article, a fifth of what the daemon spends
on an article matching 80 rules; 400 cost 0.21 ms and still told all 120 English articles
of bench/data/labelled_articles.jsonl (one or two sentences are enough: 541 of the 554
short texts of the multilingual set)."""

MIN_LETTERS = 10
"""Fewer letters than this (a one-word headline, a body of figures) is not enough to tell."""

MIN_PROBABILITY = 0.1
"""Below this (the normalised probability over py3langid's 97 languages) the model is
guessing: a short English headline of names can come out as Dutch with 0.15."""

_lock = threading.Lock()
_identifier: Any = None


def preload() -> None:
    """Load the model now (about 0.5 s) rather than on the first article that needs it."""
    _model()


def _model() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def sample(title: str, body: str) -> str:
    """What is classified: the title, then the start of the body."""
    return f"{title}\n{body[:MAX_BODY_CHARS]}" if body else title


def detect(title: str, body: str) -> str | None:
    """The language of the text (an ISO 639 code as `monitor.langcodes` compares them), or
    None when there is too little text or the model is unsure."""
    text = sample(title, body)
    letters = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if letters >= MIN_LETTERS:
                break
    else:
        return None
    code, probability = _model().classify(text)
    if code == "zxx" or probability < MIN_PROBABILITY:
        return None
    # Varieties the model tells apart but news, rules and declarations do not: short
    # Chinese in traditional characters comes out as Cantonese (3 of the 34 Chinese texts
    # of the multilingual set), and Shanghai news as Wu (`monitor.langcodes.MERGED`).
    return canonical(str(code))
