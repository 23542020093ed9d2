"""The rule playground's backend (`monitor.web.playground`): rules typed into the web page are
checked as `monitor check` checks a rule file, tried on an article with the hits and the
`monitor test --rule` explanation, and on recent articles; nothing is saved, and hostile
input ends in problems, never in an exception or a hang."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.workspace import BASE_CONFIG

from monitor.articles.model import Article
from monitor.config import load_config
from monitor.engine import load_engine
from monitor.errors import ArticleError
from monitor.explain import Check, Explainer
from monitor.reload import prominence
from monitor.web import playground
from monitor.web.playground import (
    SHOWN,
    CheckView,
    HitView,
    PlaygroundContext,
    PlaygroundResult,
    RuleTry,
    article_from_form,
    try_rules,
)

RUNNING_RULES = """\
entities:
  - name: Acme Corporation
    aliases: [Acme Corp, Acme]
rules:
  - id: nato-south-korea
    entities: [NATO, South Korea]
"""
"""The daemon's own rule files: a user entity that no running rule names."""

NATO_KOREA = """\
rules:
  - id: nato-korea
    description: NATO and South Korea
    entities: [NATO, South Korea]
    keywords:
      any: [ammunition, weapon*]
"""

TITLE = "NATO chief urges S Korea to send ammunition"
BODY = (
    "SEOUL - Jens Stoltenberg said on Monday that weapons\nfor Ukraine were urgent. More later.\n"
)


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> PlaygroundContext:
    """What a running daemon lends the playground: built as the daemon would build it."""
    root = tmp_path_factory.mktemp("daemon")
    (root / "rules").mkdir()
    (root / "rules" / "desk.yaml").write_text(RUNNING_RULES, encoding="utf-8")
    config_file = root / "config.toml"
    config_file.write_text(
        BASE_CONFIG.format(after="archive", rescan=30)
        + '\n[channels.console]\ntype = "console"\n\n[matching]\nlead_words = 30\n',
        encoding="utf-8",
    )
    config = load_config(config_file)
    with pytest.MonkeyPatch.context() as patch:  # a slow load is cached: not in ~/.cache
        patch.setenv("MONITOR_CACHE_DIR", str(root / "cache"))
        engine, problems = load_engine(
            config.rules.path, list(config.channels), prominence=prominence(config)
        )
    assert problems == []
    return PlaygroundContext.of(config, engine)


def _rule(result: PlaygroundResult, rule_id: str) -> RuleTry:
    return next(r for r in result.rules if r.rule == rule_id)


def _check(tried: RuleTry, condition: str) -> CheckView:
    return next(c for c in tried.checks if c.condition == condition)


def _quoted(article: Article, hit: HitView) -> str:
    return (article.title if hit.field == "title" else article.body)[hit.start : hit.end]


def test_the_context_holds_the_daemons_channels_entities_and_matching(
    context: PlaygroundContext,
) -> None:
    assert sorted(context.channels) == ["console", "log"]
    assert [e.name for e in context.entities] == ["Acme Corporation"]
    assert context.prominence.lead_words == 30


def test_a_matching_rule_gives_its_hits_on_the_words_they_quote(
    context: PlaygroundContext,
) -> None:
    article = article_from_form(TITLE, BODY, None)
    result = try_rules(NATO_KOREA, article, [], context)
    assert result.problems == ()
    tried = _rule(result, "nato-korea")
    assert (tried.matched, tried.description, tried.line) == (True, "NATO and South Korea", 2)
    found = [(h.field, h.term, h.text, _quoted(article, h)) for h in tried.hits]
    assert found == [
        ("title", "NATO", "NATO", "NATO"),
        ("title", "South Korea", "S Korea", "S Korea"),
        ("title", "ammunition", "ammunition", "ammunition"),
        ("body", "weapon*", "weapons", "weapons"),
    ]
    assert tried.hits_total == 4
    assert tried.hits[3].before.endswith("said on Monday that ")
    assert tried.hits[3].after == " for Ukraine were urgent. More later."  # line break: a space
    assert [(c.condition, c.ok) for c in tried.checks] == [
        ("entity NATO", True),
        ("entity South Korea", True),
        ("at least one of ammunition, weapon*", True),
    ]
    korea = _check(tried, "entity South Korea")
    assert [(h.text, h.start, h.end) for h in korea.hits] == [("S Korea", 17, 24)]
    assert TITLE[17:24] == "S Korea"


def test_the_hits_are_those_monitor_test_shows(
    context: PlaygroundContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same engine answers: the hits are the matcher's, in its order."""
    monkeypatch.setenv("MONITOR_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.yaml").write_text(NATO_KOREA, encoding="utf-8")
    engine, _ = load_engine(tmp_path / "rules", [])
    article = article_from_form(TITLE, BODY * 3, None)
    (match,) = engine.matcher.match(article)
    tried = _rule(try_rules(NATO_KOREA, article, [], context), "nato-korea")
    assert [(h.field, h.start, h.end, h.term, h.text) for h in tried.hits] == [
        (h.field, h.start, h.end, h.term, h.text) for h in match.hits
    ]
    assert tried.hits_total == len(match.hits) == 6


RICH = """\
rules:
  - id: rich
    entities: [NATO, South Korea]
    prominent: true
    keywords:
      all: [urges]
      any: [ammunition, weapon*]
      none: [football]
    query: '(entity:NATO NEAR/3 entity:"South Korea") AND lang:en AND NOT title:tennis'
  - id: other
    keywords: {any: [Stoltenberg]}
"""


def test_the_explanation_is_that_of_monitor_test_rule(
    context: PlaygroundContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Probes compiled beside the rules explain as `Explainer`'s own matcher does."""
    monkeypatch.setenv("MONITOR_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.yaml").write_text(RICH, encoding="utf-8")
    engine, _ = load_engine(tmp_path / "rules", [], prominence=context.prominence)
    articles = [
        article_from_form(TITLE, BODY, "en"),
        article_from_form("Weather", f"Calm. {BODY} NATO and S Korea.", None),
    ]
    for article, matched in zip(articles, (True, False), strict=True):
        expected = Explainer(engine, "rich").explain(article)
        tried = _rule(try_rules(RICH, article, [], context), "rich")
        assert tried.matched is expected.matched is matched
        assert tried.checks == tuple(_as_view(c, article) for c in expected.checks)
        assert len(tried.checks) == 8  # 4 conditions, the any group, the query, prominence


def _as_view(check: Check, article: Article) -> CheckView:
    return CheckView(
        check.condition,
        check.ok,
        check.note,
        tuple(playground._hit(h, article) for h in check.hits[: playground.MAX_CHECK_HITS]),
        len(check.hits),
        tuple(_as_view(part, article) for part in check.parts),
    )


def test_a_rule_that_does_not_match_says_which_condition_failed(
    context: PlaygroundContext,
) -> None:
    article = article_from_form("NATO ministers meet in Brussels", "They discussed weapons.", None)
    tried = _rule(try_rules(NATO_KOREA, article, [], context), "nato-korea")
    assert tried.matched is False
    assert tried.hits == () and tried.hits_total == 0
    assert [(c.condition, c.ok) for c in tried.checks] == [
        ("entity NATO", True),
        ("entity South Korea", False),
        ("at least one of ammunition, weapon*", True),
    ]
    missing = _check(tried, "entity South Korea")
    assert missing.hits == () and missing.note == ""


def test_aliases_count_and_north_korea_is_not_south_korea(context: PlaygroundContext) -> None:
    text = "rules:\n  - id: nato-sk\n    entities: [NATO, South Korea]\n"
    south = article_from_form("NATO chief visits S Korea", "", None)
    north = article_from_form("NATO condemns North Korea launch", "", None)
    assert _rule(try_rules(text, south, [], context), "nato-sk").matched is True
    tried = _rule(try_rules(text, north, [], context), "nato-sk")
    assert tried.matched is False
    assert not _check(tried, "entity South Korea").ok


def test_a_query_is_explained_term_by_term(context: PlaygroundContext) -> None:
    text = "id: near\nquery: 'entity:NATO NEAR/2 ammunition'\n"
    article = article_from_form(TITLE, "", None)
    result = try_rules(text, article, [], context)
    (check,) = _rule(result, "near").checks
    assert not check.ok
    parts = {p.condition: p for p in check.parts}
    assert parts["entity:NATO"].ok and parts["ammunition"].ok
    assert parts["entity:NATO NEAR/2 ammunition"].note == "closest: 6 words apart, needs at most 2"


def test_a_languages_rule_shows_the_articles_language(context: PlaygroundContext) -> None:
    text = "id: de\nentities: [NATO]\nlanguages: [de]\n"
    article = article_from_form("NATO", "kurz", "de-DE")
    result = try_rules(text, article, [], context)
    assert result.language == "de (declared)"
    assert _rule(result, "de").matched is True


def test_a_yaml_syntax_error_names_its_line(context: PlaygroundContext) -> None:
    text = "rules:\n  - id: a\n    entities: [NATO\n"
    result = try_rules(text, None, [], context)
    assert result.rules == ()
    assert result.problems == (
        f"{SHOWN}:3: invalid YAML: expected ',' or ']', but got '<stream end>'",
    )


def test_lines_are_right_with_the_crlf_a_browser_sends(context: PlaygroundContext) -> None:
    text = (
        "rules:\r\n  - id: a\r\n    entities: [NATO]\r\n  - id: b\r\n    entities: [Sout Korea]\r\n"
    )
    result = try_rules(text, None, [], context)
    assert result.problems == (
        f"{SHOWN}:5: unknown entity `Sout Korea`: did you mean `South Korea`?",
    )
    assert [(r.rule, r.line) for r in result.rules] == [("a", 2)]


def test_an_unknown_entity_gets_a_suggestion(context: PlaygroundContext) -> None:
    text = "rules:\n  - id: a\n    entities: [NATO, Sout Korea]\n"
    assert try_rules(text, None, [], context).problems == (
        f"{SHOWN}:3: unknown entity `Sout Korea`: did you mean `South Korea`?",
    )


def test_notify_may_name_only_the_daemons_channels(context: PlaygroundContext) -> None:
    text = "id: a\nentities: [NATO]\nnotify: [console, lgo, newsrom]\n"
    assert try_rules(text, None, [], context).problems == (
        f"{SHOWN}:3: rule `a` notifies unknown channel `lgo`: did you mean `log`?",
        f"{SHOWN}:3: rule `a` notifies unknown channel `newsrom`: configured channels: "
        "console, log",
    )
    assert try_rules("id: a\nentities: [NATO]\nnotify: [log]\n", None, [], context).problems == ()


def test_every_problem_is_reported_and_the_good_rules_still_tried(
    context: PlaygroundContext,
) -> None:
    text = (
        "rules:\n"
        "  - id: good\n    entities: [NATO]\n"
        "  - id: bad\n    keywords: {any: [we*x]}\n    keyword: {}\n"
        "  - id: good\n    entities: [NATO]\n"
    )
    result = try_rules(text, article_from_form(TITLE, "", None), [], context)
    assert result.problems == (
        f"{SHOWN}:5: rule 'bad': keyword 'we*x': `*` is only allowed at the end of the last "
        "word (a prefix wildcard such as `weapon*`)",
        f"{SHOWN}:6: unknown key `keyword`: did you mean `keywords`?",
        f"{SHOWN}:7: duplicate rule id `good` (first defined at {SHOWN}:2); rule ids must be "
        "unique across all files",
    )
    assert [(r.rule, r.matched) for r in result.rules] == [("good", True)]


def test_the_daemons_entities_and_rule_ids_are_known_but_not_in_the_way(
    context: PlaygroundContext,
) -> None:
    """A rule may name an entity the running rule files define (even one no running rule
    names), and share an id with a running rule: nothing is saved."""
    text = "rules:\n  - id: nato-south-korea\n    entities: [Acme Corporation]\n"
    article = article_from_form("Acme Corp wins a contract", "", None)
    result = try_rules(text, article, [], context)
    assert result.problems == ()
    assert [(h.term, h.text) for h in _rule(result, "nato-south-korea").hits] == [
        ("Acme Corporation", "Acme Corp")
    ]


def test_the_texts_own_entities_replace_the_daemons_of_that_name(
    context: PlaygroundContext,
) -> None:
    text = (
        "entities:\n  - name: Acme Corporation\n    aliases: [ACME Widgets]\n"
        "rules:\n  - id: acme\n    entities: [Acme Corporation]\n"
    )
    result = try_rules(text, article_from_form("Acme Corp wins", "", None), [], context)
    assert result.problems == ()  # no duplicate entity: the text's own wins
    assert _rule(result, "acme").matched is False
    result = try_rules(text, article_from_form("ACME Widgets wins", "", None), [], context)
    assert _rule(result, "acme").matched is True


def test_a_rule_id_like_the_probes_ids_is_no_trouble(context: PlaygroundContext) -> None:
    text = (
        "rules:\n  - id: _probe_a\n    entities: [NATO]\n  - id: _probe_a-0\n    entities: [Chad]\n"
    )
    result = try_rules(text, article_from_form(TITLE, "", None), [], context)
    assert result.problems == ()
    assert [(r.rule, r.matched, len(r.checks)) for r in result.rules] == [
        ("_probe_a", True, 1),
        ("_probe_a-0", False, 1),
    ]


def _recent(count: int, matching: set[int]) -> list[Article]:
    """`count` articles, newest first; those numbered in `matching` name NATO and S Korea."""
    return [
        Article.create(
            f"r{i}",
            f"Story {i}: NATO and S Korea" if i in matching else f"Story {i}: the weather",
            f"Story {i} ammunition.",
            source="wire",
            published="2026-12-01",
        )
        for i in range(count)
    ]


def test_recent_articles_are_counted_and_the_first_listed(
    context: PlaygroundContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(playground, "MAX_LISTED", 2)
    recent = _recent(10, {1, 4, 8})
    tried = _rule(try_rules(NATO_KOREA, None, recent, context), "nato-korea")
    assert tried.matched is None and tried.checks == ()
    assert (tried.recent_matches, tried.recent_total) == (3, 10)
    assert [(m.id, m.title, m.source) for m in tried.recent] == [
        (recent[1].id, "Story 1: NATO and S Korea", "wire"),
        (recent[4].id, "Story 4: NATO and S Korea", "wire"),
    ]
    first = tried.recent[0].hit
    assert first is not None and (first.field, first.text, first.start) == ("title", "NATO", 9)


def test_at_most_max_recent_articles_are_read(
    context: PlaygroundContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(playground, "MAX_RECENT", 3)
    read: list[int] = []

    def endless() -> Iterator[Article]:
        for number, article in enumerate(_recent(1000, set(range(1000)))):
            read.append(number)
            yield article

    result = try_rules(NATO_KOREA, None, endless(), context)
    tried = _rule(result, "nato-korea")
    assert (tried.recent_matches, tried.recent_total) == (3, 3)
    assert len(read) == 4  # one more, to tell whether there were more
    assert result.warnings == ("only the newest 3 recent articles are tried",)


def test_oversized_recent_articles_and_the_budget_leave_articles_out(
    context: PlaygroundContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(playground, "MAX_RECENT_CHARS", 100)
    big = Article.create("big", "NATO and S Korea", "ammunition " * 100_000)
    recent = [big, *_recent(10, {0, 1, 2})]
    result = try_rules(NATO_KOREA, None, recent, context)
    tried = _rule(result, "nato-korea")
    assert tried.recent_total == 2  # two of 46 characters, then the budget is spent
    assert tried.recent_matches == 2
    assert len(result.warnings) == 2
    assert "1 recent articles of more than 200,000 characters are not tried" in result.warnings
    assert result.warnings[1].startswith("only the newest 2 recent articles are tried")


def test_no_recent_article_is_tried_once_the_time_is_up(
    context: PlaygroundContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(playground, "MAX_SECONDS", 0.0)
    result = try_rules(NATO_KOREA, article_from_form(TITLE, "", None), _recent(5, {1}), context)
    tried = _rule(result, "nato-korea")
    assert (tried.matched, tried.recent_matches, tried.recent_total) == (True, 0, 0)
    assert result.warnings == ("no recent article is tried: the run took more than 0 s",)


def test_a_run_that_takes_too_long_is_stopped_and_the_next_one_works(
    context: PlaygroundContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NEAR over a long distance between common words costs seconds per rule on a long
    article (the caps bound the text, not that): the run is stopped wherever it is."""
    monkeypatch.setattr(playground, "RUN_SECONDS", 0.5)
    slow = "rules:\n" + "".join(f"  - id: r{i}\n    query: 'the NEAR/100 said'\n" for i in range(5))
    article = article_from_form("t", ("the said the NATO the " * 5000)[:100_000], None)
    started = time.monotonic()
    result = try_rules(slow, article, [], context)
    assert time.monotonic() - started < 3  # 5 s unstopped (2 cores, 2.5 GHz)
    assert result.rules == ()
    assert len(result.problems) == 1 and "stopped after 0.5 s" in result.problems[0]
    # The thread goes on as usual: nothing is raised later, and the same text runs again.
    time.sleep(0.6)
    small = article_from_form("the said", "", None)
    again = try_rules(slow, small, [], context)
    assert again.problems == () and [r.matched for r in again.rules] == [True] * 5


def test_the_form_builds_the_article_as_the_readers_do() -> None:
    article = article_from_form("  A title \r\n", "Line one\r\nLine two\rthree \ud800 ", "de-AT")
    assert (article.title, article.body) == ("A title", "Line one\nLine two\nthree \ufffd")
    assert article.language == "de" and article.lang_source == "declared"
    assert article.id == Article.make_id("A title", "Line one\nLine two\nthree \ufffd")
    assert article.path == f"playground:{article.id}"
    assert article_from_form("T", "", "english").language is None  # names no language


def test_the_form_refuses_an_empty_or_oversized_article() -> None:
    with pytest.raises(ArticleError, match="neither a title nor any body text"):
        article_from_form("  ", "\n", None)
    with pytest.raises(ArticleError, match="at most 200,000"):
        article_from_form("T", "x" * 200_000, None)


def test_control_characters_in_the_article_do_no_harm(context: PlaygroundContext) -> None:
    article = article_from_form("NATO\x00 and S\u202eKorea", "\x1b[31mS Korea\x00 ammunition", None)
    tried = _rule(try_rules(NATO_KOREA, article, [], context), "nato-korea")
    assert tried.matched is True
    for hit in tried.hits:
        assert _quoted(article, hit) == hit.text


def _alias_bomb() -> str:
    levels = ["a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for name, previous in zip("bcdefg", "abcdef", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return "\n".join(levels) + "\nid: r1\nkeywords:\n  any: *g\n"


HOSTILE = {
    "over 64 KB": (
        "rules:\n" + "  - id: r\n    entities: [NATO]\n" * 3000,
        f"{SHOWN}:1: the text is 93,007 bytes; the playground takes at most 65,536 (64 KB)",
    ),
    "over 64 KB in UTF-8 only": (
        "# " + "é" * 33_000 + "\nid: a\nentities: [NATO]\n",
        f"{SHOWN}:1: the text is 66,026 bytes",
    ),
    "51 rules": (
        "rules:\n" + "".join(f"  - id: r{i}\n    entities: [NATO]\n" for i in range(51)),
        f"{SHOWN}:1: the text holds 51 rules; the playground tries at most 50 at a time",
    ),
    "an alias bomb": (
        _alias_bomb(),
        f"{SHOWN}:1: YAML anchors and aliases (`&name`, `*name`) are not allowed",
    ),
    "nested brackets": ("rules: " + "[" * 5000 + "\n", f"{SHOWN}:1: nested too deeply"),
    "a 5,000-digit number": (
        "id: r1\nentities: [NATO]\nmax_alerts_per_hour: " + "9" * 5000 + "\n",
        f"{SHOWN}:3: a number 5,000 characters long",
    ),
    "NEAR/ and 5,000 digits": (
        'id: r1\nquery: "a NEAR/' + "9" * 5000 + ' b"\n',
        f"{SHOWN}:2: query error at column 3: NEAR distance is at most 100 words",
    ),
    "a NUL": (
        "id: r1\ndescription: a\x00b\nentities: [NATO]\n",
        f"{SHOWN}:2: invalid YAML: character U+0000 (column 15) is not allowed in a YAML file",
    ),
    "an escape character": (
        "id: r1\ndescription: a\x1bb\nentities: [NATO]\n",
        f"{SHOWN}:2: invalid YAML: character U+001B (column 15) is not allowed",
    ),
    "a lone surrogate": (
        "id: r1\nentities: [NATO, S\ud800]\n",
        f"{SHOWN}:2: character U+D800 (column 19) is half of a UTF-16 surrogate pair",
    ),
    "an escaped lone surrogate": (
        'id: r1\ndescription: "\\udfff"\nentities: [NATO]\n',
        f"{SHOWN}:2: `description`: holds `\\udfff`, half of a UTF-16 surrogate pair",
    ),
    "a bidi override": (
        "id: r1\nentities: [NAT\u202eO]\n",
        f"{SHOWN}:2: unknown entity `NAT\\u202eO`",  # shown escaped, as `monitor check` does
    ),
    "a list": ("- a\n- b\n", f"{SHOWN}:1: expected a mapping with `rules:`"),
    "nothing": ("# just a comment\n", f"{SHOWN}:1: no rule to try"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_is_a_problem_not_an_exception(context: PlaygroundContext, name: str) -> None:
    text, expected = HOSTILE[name]
    started = time.monotonic()
    result = try_rules(text, article_from_form(TITLE, BODY, None), [], context)
    assert time.monotonic() - started < 10  # a blow-up, not a slow machine
    assert result.rules == ()
    assert len(result.problems) == 1
    assert result.problems[0].startswith(expected)


def test_problems_are_capped(context: PlaygroundContext) -> None:
    text = "rules:\n" + "".join(f"  - id: r{i}\n    entities: [Nowhere{i}]\n" for i in range(150))
    result = try_rules(text, None, [], context)
    assert len(result.problems) == playground.MAX_PROBLEMS + 1
    assert result.problems[-1] == "... and 50 more problems"


def test_an_oversized_article_is_a_problem(context: PlaygroundContext) -> None:
    article = Article.create("x", "NATO", "S Korea " * 30_000)
    result = try_rules(NATO_KOREA, article, [], context)
    assert result.rules == ()
    assert result.problems == (
        f"{SHOWN}:1: the article is 240,003 characters; the playground tries at most "
        "200,000: paste the part that matters",
    )


def test_a_failure_nothing_foresaw_is_a_problem_too(
    context: PlaygroundContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(playground, "compile_loaded", broken)
    result = try_rules(NATO_KOREA + "# not cached\n", None, [], context)
    assert result.problems == (
        f"{SHOWN}:1: could not try the rules: RecursionError: maximum recursion depth exceeded",
    )


def test_nothing_is_written(
    context: PlaygroundContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No file is opened for writing, created, moved or removed anywhere, and the working
    folder and the cache folders stay empty."""
    for name in ("HOME", "XDG_CACHE_HOME", "MONITOR_CACHE_DIR", "TMPDIR"):
        monkeypatch.setenv(name, str(tmp_path))
    monkeypatch.chdir(tmp_path)
    written: list[tuple[str, tuple[object, ...]]] = []
    _WATCH.append(written)
    try:
        text = (
            NATO_KOREA.replace("weapon*", "weapon*, tank*") + "  - id: q\n    query: 'a NEAR b'\n"
        )
        result = try_rules(text, article_from_form(TITLE, BODY, "en"), _recent(50, {3}), context)
    finally:
        _WATCH.remove(written)
    assert result.problems == ()
    assert _rule(result, "nato-korea").recent_matches == 1
    assert written == []
    assert list(tmp_path.iterdir()) == []


def test_the_watch_sees_writes(tmp_path: Path) -> None:
    written: list[tuple[str, tuple[object, ...]]] = []
    _WATCH.append(written)
    try:
        (tmp_path / "a").write_text("x", encoding="utf-8")
        (tmp_path / "a").read_text(encoding="utf-8")
        os.close(os.open(tmp_path / "b", os.O_WRONLY | os.O_CREAT))
        (tmp_path / "c").mkdir()
    finally:
        _WATCH.remove(written)
    assert [event for event, _ in written] == ["open", "open", "os.mkdir"]


_WATCH: list[list[tuple[str, tuple[object, ...]]]] = []
_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_CHANGES = {
    "os.mkdir",
    "os.rename",
    "os.remove",
    "os.rmdir",
    "os.symlink",
    "os.link",
    "os.truncate",
    "shutil.copyfile",
    "shutil.move",
    "shutil.rmtree",
    "os.chmod",
}


def _audit(event: str, args: tuple[object, ...]) -> None:
    if not _WATCH:
        return
    if event == "open":
        mode, flags = args[1], args[2]
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITING
        ):
            _WATCH[-1].append((event, args))
    elif event in _CHANGES:
        _WATCH[-1].append((event, args))


sys.addaudithook(_audit)  # inert unless a test watches (`_WATCH`); hooks cannot be removed
