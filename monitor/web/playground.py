"""The rule playground: rules typed into the web page, tried on an article and on recent ones.

A rule author edits the text of one rule file (a `rules:` list or a single rule as a
top-level mapping, and optionally `entities:`) and sees what `monitor check` says of it,
whether each rule matches an article (pasted, or one of the recent ones) with its hits and
the `monitor test --rule` explanation, and which of the recent articles it matches.
Everything is the daemon's own code: the text is loaded by the rules loader
(`engine.load_data`: every check and `FILE:LINE: message` of a rule file, the file named
`playground.yaml`), compiled by `engine.compile_loaded` and explained by
`explain.Explainer`. Each explanation's probes are compiled into the same matcher as the
rules (`explain.probe_rules`), so one call compiles once and scans each article once:
compiling the built-in names that can block a hit is most of what a small rule set costs.

What the daemon runs only informs the text: its channels (for `notify:`), its user
entities (which a rule may name, beside the built-in ones; the text's own `entities:`
replace those of the same name) and its `[matching]`. Rule ids need not differ from the
running rules'. Nothing is saved: no file, no state; the last text's compiled rules are
kept in memory for the next run (`CACHED`).

Whatever the text and the article hold, `try_rules` returns problems rather than raising,
and its work is bounded: the text (`MAX_TEXT_BYTES`), the rules in it (`MAX_RULES`), the
article (`MAX_ARTICLE_CHARS`), the recent articles (`MAX_RECENT`, `MAX_RECENT_CHARS`,
`MAX_SECONDS`), and the time matching may take in all (`RUN_SECONDS`). The YAML itself is
guarded by the loader (anchors and aliases, deep nesting, long numbers and characters YAML
forbids are refused on their line). One run at a time (`_RUNNING`): a run is CPU-bound,
so a second one at once would only double the memory.

Everything returned is data (frozen dataclasses), none of it escaped: article text and rule
text are untrusted, and the page escapes them when it renders them.
"""

from __future__ import annotations

import ctypes
import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

from monitor.alerts import kept_hits
from monitor.articles.draft import Draft
from monitor.articles.model import Article
from monitor.articles.readers import finish
from monitor.config import Config
from monitor.engine import Engine, compile_loaded, load_data
from monitor.errors import ArticleError
from monitor.explain import Check, Explainer, Explanation, language_note, probe_rules
from monitor.gazetteer import Entity
from monitor.matching.model import DEFAULT_PROMINENCE, Hit, Match, Prominence
from monitor.rules.model import RuleSet
from monitor.textsafe import printable, shorten

log = logging.getLogger("monitor.web")

SHOWN = "playground.yaml"
"""The file name the text has in messages: `playground.yaml:3: unknown entity ...`."""

MAX_TEXT_BYTES = 64 * 1024
"""Largest rule text tried (UTF-8). A rule is a few hundred bytes; a whole rule file of a
desk's rules is a few KB. Loading and compiling cost in proportion to it."""

MAX_RULES = 50
"""Most rules tried at once: each is explained and listed with its recent matches."""

MAX_ARTICLE_CHARS = 200_000
"""Largest article tried (title and body, characters): a news story is a few KB, a long
read 50 to 100. What matching costs grows with the text times the rules that match it, and
hits are built for every mention: 50 rules of everyday words (`the NEAR/3 said`) take
about 3 s of CPU on 200 KB, and took 20 s on a megabyte."""

MAX_RECENT = 500
"""Most recent articles the rules are tried on (the newest, as the caller orders them)."""

MAX_RECENT_CHARS = 10_000_000
"""Most text, over all recent articles, the rules are tried on: 500 articles of 20 KB.
An article larger than `MAX_ARTICLE_CHARS` is left out."""

MAX_SECONDS = 3.0
"""Time into a run after which no more recent articles are tried (with a warning saying
how many were). The caps above keep an ordinary run well inside it (0.5 s for a rule and
500 articles of 5 KB); rules of everyday words on long articles can take longer."""

RUN_SECONDS = 6.0
"""Wall time a run may take in all, after which it is stopped wherever it is (`_StopAfter`)
and answers a problem. `MAX_SECONDS` only stops between recent articles, and the caps
bound the text, not what matching it costs: NEAR over a long distance between common words
(`the NEAR/100 said`) took 40 s per rule on a 200,000-character article, all of it holding
the interpreter that the daemon's matching needs too (the daemon matched a tenth of its
usual rate meanwhile). Compiling is not counted here: the text's cap bounds it (2 s at
most for 64 KB of fuzzy entities)."""

MAX_LISTED = 50
"""Most recent matches listed per rule (all are counted)."""

MAX_CHECK_HITS = 20
"""Most hits shown per condition of an explanation (all are counted)."""

MAX_PROBLEMS = 100
"""Most problem lines shown (then how many more there are)."""

CONTEXT_CHARS = 40
"""Characters of the article shown on each side of a hit (as `monitor test --explain`)."""

CACHED = 1
"""Texts whose compiled rules are kept (in memory only) for the next run: a rule author
tries one text on several articles, and compiling is most of a run's cost (0.4-0.6 s of
CPU for `entities: [NATO, South Korea]`, about 0.03 s left for a run that finds it). One
compiled text holds 30 MB for those two entities (the built-in names that could block
their hits), 50 MB with a `fuzzy` entity (all of them)."""

_PROBES = "_probe_"
"""The start of the ids of the explanations' probes (made longer if a rule's id starts so)."""

_RUNNING = threading.Lock()

_SURROGATE = re.compile(r"[\ud800-\udfff]")


class _Stopped(BaseException):
    """Raised inside a run that took `RUN_SECONDS` (a BaseException, so that no `except
    Exception` on the way catches it)."""


_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


class _StopAfter:
    """Within the block, `_Stopped` is raised in this thread once `seconds` have passed.

    Python cannot interrupt a thread otherwise (signals go to the main thread only): a timer
    asks the interpreter to raise it in this thread at its next instruction
    (`PyThreadState_SetAsyncExc`). Only pure computation on the run's own data is inside the
    block (matching, explaining), so nothing shared is left half-done; and leaving the
    block cancels one asked for but not yet raised, so it can never land outside."""

    def __init__(self, seconds: float) -> None:
        self._thread = threading.get_ident()
        self._lock = threading.Lock()
        self._inside = False
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        with self._lock:
            if self._inside:
                _set_async_exc(ctypes.c_ulong(self._thread), ctypes.py_object(_Stopped))

    def __enter__(self) -> None:
        with self._lock:
            self._inside = True
        self._timer.start()

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._inside = False
            # NULL clears an exception asked for that has not been raised yet.
            _set_async_exc(ctypes.c_ulong(self._thread), None)


@dataclass(frozen=True)
class PlaygroundContext:
    """What the running daemon lends the playground; `of` builds it from the daemon's
    config and engine (build it per request: a reload replaces both)."""

    channels: tuple[str, ...] = ()
    """The config's channel names: `notify:` may name these only."""
    entities: tuple[Entity, ...] = ()
    """The user entities the running rule files define (`RuleSet.user_entities`)."""
    prominence: Prominence = DEFAULT_PROMINENCE
    """`[matching]`: the lead and the mentions that make an entity prominent."""

    @classmethod
    def of(cls, config: Config, engine: Engine) -> PlaygroundContext:
        return cls(
            channels=tuple(config.channels),
            entities=engine.ruleset.user_entities,
            prominence=engine.matcher.prominence,  # the config's `[matching]`, as running
        )


@dataclass(frozen=True)
class HitView:
    """One hit: `text` is `article.title` or `article.body` (`field`)[start:end]; `before`
    and `after` are up to `CONTEXT_CHARS` characters around it, line breaks as spaces."""

    field: str
    start: int
    end: int
    term: str
    text: str
    before: str
    after: str


@dataclass(frozen=True)
class CheckView:
    """One condition of a rule (`monitor test --rule`), and whether the article meets it.

    `hits` are the first `MAX_CHECK_HITS` of `hits_total`. `note` says more when there is
    more to say (prominence, a language, a NEAR's closest distance); `parts` are a query's
    terms and NEARs. A condition without hits or note was not found in the article (for
    `not X`, that is what it asks)."""

    condition: str
    ok: bool
    note: str
    hits: tuple[HitView, ...]
    hits_total: int
    parts: tuple[CheckView, ...] = ()


@dataclass(frozen=True)
class RecentMatch:
    """A recent article a rule matches, with the rule's first hit in it."""

    id: str
    title: str
    source: str | None
    published: str | None
    hit: HitView | None


@dataclass(frozen=True)
class RuleTry:
    """One rule of the text, tried.

    `matched` is None when there was no article to try it on; `hits` are those an alert
    would list (`alerts.kept_hits`: at most 100, each term's first among them) of
    `hits_total`, for highlighting; `checks` the explanation. Of the `recent_total` recent
    articles tried, `recent_matches` match; `recent` lists the first `MAX_LISTED`, newest
    first.
    """

    rule: str
    description: str
    line: int
    matched: bool | None
    hits: tuple[HitView, ...]
    hits_total: int
    checks: tuple[CheckView, ...]
    recent_matches: int
    recent_total: int
    recent: tuple[RecentMatch, ...]


@dataclass(frozen=True)
class PlaygroundResult:
    """`problems` as `monitor check` words them (`playground.yaml:LINE: message`; those
    about the article or the input as a whole on line 1), `warnings` likewise, and every
    rule that loaded, in the text's order. Rules with problems are not tried; the others
    are. `language` is the article's language and where it came from, when a rule asks
    for it. `seconds` is how long the run took."""

    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    rules: tuple[RuleTry, ...] = ()
    language: str | None = None
    seconds: float = 0.0


def article_from_form(title: str, body: str, lang: str | None = None) -> Article:
    """The article a user pasted, built as the ingest API builds one it is sent (line
    breaks as LF, lone surrogates as U+FFFD, the title and body stripped, a language tag
    reduced to its language, dropped if it names none); its id is the content id, and its
    path `playground:ID`.

    `ArticleError` says why there is none: no text at all, or more than
    `MAX_ARTICLE_CHARS`.
    """
    size = len(title) + len(body)
    if size > MAX_ARTICLE_CHARS:
        raise ArticleError(
            f"the article is {size:,} characters; the playground tries at most "
            f"{MAX_ARTICLE_CHARS:,}: paste the part that matters"
        )
    if not title.strip() and not body.strip():
        raise ArticleError("the article has neither a title nor any body text")
    article = finish(Draft(title=title, body=body, language=lang or None), "")
    return replace(article, path=f"playground:{article.id}")


def try_rules(
    yaml_text: str,
    article: Article | None,
    recent: Iterable[Article],
    context: PlaygroundContext,
) -> PlaygroundResult:
    """Try the rules of `yaml_text` on `article` (if any) and on `recent` (newest first; at
    most `MAX_RECENT` are read from it). Never raises: a failure nothing foresaw is a
    problem too (and logged)."""
    started = time.monotonic()
    with _RUNNING:
        try:
            begun = time.monotonic()  # not counting a wait for the lock
            result = _try(yaml_text, article, recent, context, begun)
        except _Stopped:
            _compiled.cache_clear()  # nothing stopped half-way is kept
            log.warning("playground: a run was stopped after %g s", RUN_SECONDS)
            result = PlaygroundResult(
                problems=(
                    f"{SHOWN}:1: stopped after {RUN_SECONDS:g} s: these rules take too long on "
                    "this text (NEAR over a long distance or very common words, on a long "
                    "article, cost the most): try a shorter article or narrower rules",
                )
            )
        except Exception as exc:  # a bug, or a limit not thought of: say so, keep serving
            log.exception("playground: trying the rules failed")
            reason = shorten(printable(f"{type(exc).__name__}: {exc}"), 200)
            result = PlaygroundResult(problems=(f"{SHOWN}:1: could not try the rules: {reason}",))
    return replace(result, seconds=time.monotonic() - started)


def _try(
    text: str,
    article: Article | None,
    recent: Iterable[Article],
    context: PlaygroundContext,
    begun: float,
) -> PlaygroundResult:
    refused = _article_problem(article) if article is not None else None
    if refused is not None:
        return PlaygroundResult(problems=(refused,))
    compiled = _compiled(text, context)
    engine, prefix, problems = compiled.engine, compiled.prefix, compiled.problems
    if engine is None:
        return _result(problems, compiled.warnings)
    rules = engine.ruleset.rules
    mine = {rule.id for rule in rules}
    tried: dict[str, _Tried] = {}
    language = None
    warnings = list(compiled.warnings)
    with _StopAfter(begun + RUN_SECONDS - time.monotonic()):
        if article is not None and rules:
            everything = engine.matcher.match(article)
            found = {match.rule: match for match in everything if match.rule in mine}
            for rule in rules:
                why = Explainer(engine, rule.id, prefix=f"{prefix}{rule.id}-", shared=True)
                explained = why.explain(article, everything)
                tried[rule.id] = _tried(article, explained, found.get(rule.id))
            if engine.language_rules:
                language = language_note(article)
        deadline = begun + MAX_SECONDS
        counted, listed, total = _recent(engine, mine, recent, warnings, deadline)
    untried = _Tried(None, (), 0, ())
    return _result(
        problems,
        warnings,
        tuple(
            RuleTry(
                rule.id,
                rule.description,
                engine.ruleset.sources[rule.id].line,
                *tried.get(rule.id, untried),
                recent_matches=counted[rule.id],
                recent_total=total,
                recent=tuple(listed[rule.id]),
            )
            for rule in rules
        ),
        language,
    )


class _Tried(NamedTuple):
    """What trying a rule on the article gave: `RuleTry`'s fields of the same names."""

    matched: bool | None
    hits: tuple[HitView, ...]
    hits_total: int
    checks: tuple[CheckView, ...]


def _tried(article: Article, explanation: Explanation, match: Match | None) -> _Tried:
    checks = tuple(_check(c, article) for c in explanation.checks)
    if match is None:
        return _Tried(explanation.matched, (), 0, checks)
    hits = tuple(_hit(h, article) for h in kept_hits(match))
    return _Tried(explanation.matched, hits, len(match.hits), checks)


@dataclass(frozen=True)
class _Compiled:
    """The text loaded and compiled; `engine` None if there is no rule to try."""

    problems: tuple[str, ...]
    warnings: tuple[str, ...]
    engine: Engine | None = None
    prefix: str = ""
    """How the ids of the explanations' probes start (`_probe_prefix`)."""


@lru_cache(maxsize=CACHED)
def _compiled(text: str, context: PlaygroundContext) -> _Compiled:
    """The rules of `text`, loaded and compiled with their explanations' probes."""
    refused = _text_problem(text)
    if refused is not None:
        return _Compiled((refused,), ())
    loaded = load_data(text.encode("utf-8"), SHOWN, context.channels, context.entities)
    count = len(loaded.ruleset.rules)
    if count > MAX_RULES:
        message = (
            f"{SHOWN}:1: the text holds {count:,} rules; the playground tries at most "
            f"{MAX_RULES} at a time: keep the ones you are working on"
        )
        return _Compiled((*loaded.problems, message), loaded.warnings)
    if count == 0:
        none = (
            f"{SHOWN}:1: no rule to try: write one under `rules:` (a list), or a single "
            "rule as a mapping with an `id`"
        )
        return _Compiled(loaded.problems or (none,), loaded.warnings)
    prefix = _probe_prefix(rule.id for rule in loaded.ruleset.rules)
    engine, found = compile_loaded(
        loaded, SHOWN, context.prominence, extra=lambda rules: _probes(rules, prefix)
    )
    return _Compiled(tuple(found), engine.warnings, engine, prefix)


def _result(
    problems: Iterable[str],
    warnings: Iterable[str],
    rules: tuple[RuleTry, ...] = (),
    language: str | None = None,
) -> PlaygroundResult:
    """The result, each message on one harmless line (a rule file can quote anything: a bidi
    override, a control character), and at most `MAX_PROBLEMS` of each kind."""
    return PlaygroundResult(
        problems=_capped([printable(p) for p in problems], "problems"),
        warnings=_capped([printable(w) for w in warnings], "warnings"),
        rules=rules,
        language=language,
    )


def _capped(lines: list[str], what: str) -> tuple[str, ...]:
    if len(lines) <= MAX_PROBLEMS:
        return tuple(lines)
    return (*lines[:MAX_PROBLEMS], f"... and {len(lines) - MAX_PROBLEMS:,} more {what}")


def _text_problem(text: str) -> str | None:
    """Why the rule text is not even loaded: too large, or not text a file can hold."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT_BYTES:
        return (
            f"{SHOWN}:1: the text is {size:,} bytes; the playground takes at most "
            f"{MAX_TEXT_BYTES:,} (64 KB): try a few rules at a time, or `monitor check` for a "
            "whole rule file"
        )
    half = _SURROGATE.search(text)
    if half is not None:
        line = text.count("\n", 0, half.start()) + 1
        column = half.start() - text.rfind("\n", 0, half.start())
        return (
            f"{SHOWN}:{line}: character U+{ord(half.group()):04X} (column {column}) is half of "
            "a UTF-16 surrogate pair without the other half: no character, and no rule file "
            "can hold it; write the character itself"
        )
    return None


def _article_problem(article: Article) -> str | None:
    size = len(article.title) + len(article.body)
    if size <= MAX_ARTICLE_CHARS:
        return None
    return (
        f"{SHOWN}:1: the article is {size:,} characters; the playground tries at most "
        f"{MAX_ARTICLE_CHARS:,}: paste the part that matters"
    )


def _probe_prefix(rule_ids: Iterable[str]) -> str:
    """A start for the probes' ids that no rule's id has: `_probe_`, `__probe_`, ..."""
    ids = list(rule_ids)
    prefix = _PROBES
    while any(rule_id.startswith(prefix) for rule_id in ids):
        prefix = "_" + prefix
    return prefix


def _probes(ruleset: RuleSet, prefix: str) -> RuleSet:
    """The probes of every rule of `ruleset`, rule R's ids `{prefix}R-N`: since N holds no
    `-`, no two rules' probes share an id."""
    parts = [probe_rules(ruleset, rule.id, f"{prefix}{rule.id}-") for rule in ruleset.rules]
    return RuleSet(
        rules=tuple(probe for part in parts for probe in part.rules),
        entities=ruleset.entities,
        queries={key: node for part in parts for key, node in part.queries.items()},
    )


def _recent(
    engine: Engine,
    mine: set[str],
    recent: Iterable[Article],
    warnings: list[str],
    deadline: float,
) -> tuple[dict[str, int], dict[str, list[RecentMatch]], int]:
    """How many of the recent articles each rule matches, the first `MAX_LISTED` of them,
    and how many articles were tried (none after `deadline`); `warnings` say which were
    not."""
    counted = dict.fromkeys(mine, 0)
    listed: dict[str, list[RecentMatch]] = {rule_id: [] for rule_id in mine}
    tried = large = chars = 0
    more = stopped = False
    for number, article in enumerate(islice(recent, MAX_RECENT + 1)):
        if number == MAX_RECENT:
            more = True
            break
        size = len(article.title) + len(article.body)
        if size > MAX_ARTICLE_CHARS:
            large += 1
            continue
        if chars + size > MAX_RECENT_CHARS or time.monotonic() > deadline:
            stopped = True
            break
        chars += size
        tried += 1
        for match in engine.matcher.match(article):
            if match.rule in mine:
                counted[match.rule] += 1
                if len(listed[match.rule]) < MAX_LISTED:
                    listed[match.rule].append(_recent_match(article, match))
    if more:
        warnings.append(f"only the newest {MAX_RECENT} recent articles are tried")
    if large:
        warnings.append(
            f"{large:,} recent articles of more than {MAX_ARTICLE_CHARS:,} characters are not tried"
        )
    if stopped and not tried:
        warnings.append(f"no recent article is tried: the run took more than {MAX_SECONDS:g} s")
    elif stopped:
        warnings.append(
            f"only the newest {tried:,} recent articles are tried: the others would take "
            f"more than {MAX_SECONDS:g} s in all or {MAX_RECENT_CHARS:,} characters"
        )
    return counted, listed, tried


def _recent_match(article: Article, match: Match) -> RecentMatch:
    return RecentMatch(
        id=article.id,
        title=article.title,
        source=article.source,
        published=article.published,
        hit=_hit(match.hits[0], article) if match.hits else None,
    )


def _hit(hit: Hit, article: Article) -> HitView:
    text = article.title if hit.field == "title" else article.body
    return HitView(
        field=hit.field,
        start=hit.start,
        end=hit.end,
        term=hit.term,
        text=hit.text,
        before=_one_line(text[max(0, hit.start - CONTEXT_CHARS) : hit.start]),
        after=_one_line(text[hit.end : hit.end + CONTEXT_CHARS]),
    )


def _one_line(text: str) -> str:
    """Line breaks are layout: spaces, as `monitor test --explain` shows them."""
    return text.replace("\n", " ")


def _check(check: Check, article: Article) -> CheckView:
    return CheckView(
        condition=check.condition,
        ok=check.ok,
        note=check.note,
        hits=tuple(_hit(h, article) for h in check.hits[:MAX_CHECK_HITS]),
        hits_total=len(check.hits),
        parts=tuple(_check(part, article) for part in check.parts),
    )
