"""Silences in a real SQLite file, and which alerts `ActiveSilences` says are silenced.

The CLI (`monitor silence ...`) is tested in tests/test_cli_silence.py.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.workspace import NATO_RULE

from monitor.articles import Article
from monitor.engine import Engine, load_engine
from monitor.silences import ActiveSilences, Silence, SilenceWatch, iso_utc, query_problem
from monitor.state import Store, open_store

NOW = 1_800_000_000.0

SUMMIT = Article(
    path="/in/summit.txt",
    title="NATO summit opens in Vilnius",
    body="Leaders of the alliance met on Tuesday.",
)
TRADE = Article(path="/in/trade.txt", title="Trade talks", body="Tariffs were discussed.")


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "nato.yaml").write_text(NATO_RULE, encoding="utf-8")
    (rules / "trade.yaml").write_text(
        "rules:\n  - id: trade\n    keywords:\n      any: [tariffs]\n", encoding="utf-8"
    )
    loaded, problems = load_engine(rules, ["log", "slack"])
    assert problems == []
    return loaded


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "state")


def _silence(**fields: object) -> Silence:
    values: dict[str, object] = {"seconds": 3600, "now": NOW, **fields}
    return Silence.create(**values)  # type: ignore[arg-type]


# -- the store ---------------------------------------------------------------------------------
def test_add_list_expire_round_trip_survives_reopening(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    by_rule = _silence(rule="trade", channel="slack", comment="known story")
    by_query = _silence(query="entity:NATO", seconds=60)
    store.add_silence(by_rule)
    store.add_silence(by_query)
    store.close()
    store = open_store(tmp_path)
    assert store.silences(now=NOW) == [by_query, by_rule]  # soonest to end first
    assert store.expire_silence(by_query.id, now=NOW)
    assert not store.expire_silence(by_query.id, now=NOW)  # already over
    assert not store.expire_silence("unknown", now=NOW)
    assert store.silences(now=NOW) == [by_rule]
    everything = store.silences(include_expired=True, now=NOW)
    assert [s.id for s in everything] == [by_rule.id, by_query.id]
    assert everything[1].expired_at is not None


def test_silence_past_until_is_over_without_expiring(store: Store) -> None:
    silence = _silence(rule="trade", seconds=60)
    store.add_silence(silence)
    assert store.silences(now=NOW + 59) == [silence]
    assert store.silences(now=NOW + 60) == []
    assert store.silences(include_expired=True, now=NOW + 60) == [silence]
    assert not store.expire_silence(silence.id, now=NOW + 61)  # nothing left to end


def test_stamp_changes_on_add_and_expire_only(store: Store) -> None:
    empty = store.silences_stamp()
    assert store.silences_stamp() == empty
    silence = _silence(rule="trade")
    store.add_silence(silence)
    added = store.silences_stamp()
    assert added != empty
    assert store.silences_stamp() == added  # reading does not move it
    store.expire_silence(silence.id, now=NOW)
    assert store.silences_stamp() not in (empty, added)


def test_ids_are_short_and_distinct() -> None:
    ids = {_silence(rule="trade").id for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 12 and int(i, 16) >= 0 for i in ids)


def test_json_has_the_contract_fields() -> None:
    silence = _silence(rule="trade", channel="slack", comment="why", seconds=7200)
    shown = silence.to_json(now=NOW)
    assert list(shown)[:6] == ["id", "rule", "query", "channel", "until", "comment"]
    assert shown["until"] == iso_utc(NOW + 7200) == "2027-01-15T10:00:00Z"
    assert shown["query"] is None and shown["expired"] is False
    assert silence.to_json(now=NOW + 7200)["expired"] is True


def test_a_silence_names_a_rule_or_a_query() -> None:
    with pytest.raises(ValueError):
        Silence.create(rule="a", query="b", seconds=60)
    with pytest.raises(ValueError):
        Silence.create(seconds=60)


# -- matching ----------------------------------------------------------------------------------
def test_rule_silence_covers_its_rule_on_every_channel(engine: Engine) -> None:
    silence = _silence(rule="trade")
    check = ActiveSilences([silence], engine, NOW).for_article(TRADE, now=NOW)
    assert check.silenced("trade", "log") == silence.id
    assert check.silenced("trade", "slack") == silence.id
    assert check.silenced("nato-south-korea", "log") is None


def test_channel_silence_covers_only_that_channel(engine: Engine) -> None:
    silence = _silence(rule="trade", channel="slack")
    check = ActiveSilences([silence], engine, NOW).for_article(TRADE, now=NOW)
    assert check.silenced("trade", "slack") == silence.id
    assert check.silenced("trade", "log") is None


def test_entity_query_silence_covers_every_rule_of_matching_articles(engine: Engine) -> None:
    silence = _silence(query="entity:NATO AND title:summit")
    active = ActiveSilences([silence], engine, NOW)
    check = active.for_article(SUMMIT, now=NOW)
    assert check.silenced("nato-south-korea", "log") == silence.id
    assert check.silenced("trade", "slack") == silence.id
    assert not active.for_article(TRADE, now=NOW)  # no match: nothing silenced
    # "summit" only in the body is not a title match
    body_only = Article(path="/in/b.txt", title="NATO meets", body="A summit in Vilnius.")
    assert active.for_article(body_only, now=NOW).silenced("trade", "log") is None


def test_entity_aliases_count_as_in_rules(engine: Engine) -> None:
    silence = _silence(query="entity:NATO AND title:summit")
    alias = Article(path="/in/a.txt", title="North Atlantic Treaty Organization summit", body="")
    check = ActiveSilences([silence], engine, NOW).for_article(alias, now=NOW)
    assert check.silenced("trade", "log") == silence.id


def test_expired_and_past_silences_never_match(engine: Engine) -> None:
    past = _silence(rule="trade", seconds=60)
    done = replace(_silence(query="title:trade"), expired_at="2027-01-15T08:00:00Z")
    active = ActiveSilences([past, done], engine, NOW + 60)
    assert not active
    assert active.for_article(TRADE, now=NOW + 60).silenced("trade", "log") is None
    # Built while it applied, asked after it ended: over all the same.
    live = ActiveSilences([past], engine, NOW)
    assert live.for_article(TRADE, now=NOW + 30).silenced("trade", "log") == past.id
    assert live.for_article(TRADE, now=NOW + 61).silenced("trade", "log") is None


def test_query_that_no_longer_compiles_is_skipped_with_a_warning(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    gone = _silence(query="entity:Acme AND title:trade")
    fine = _silence(query="title:trade")
    with caplog.at_level(logging.WARNING, logger="monitor.silences"):
        active = ActiveSilences([gone, fine], engine, NOW)
    assert gone.id in caplog.text and "Acme" in caplog.text
    assert active.for_article(TRADE, now=NOW).silenced("trade", "log") == fine.id


def test_no_query_silence_means_no_extra_match_pass(engine: Engine) -> None:
    active = ActiveSilences([_silence(rule="trade")], engine, NOW)
    assert active._matcher is None


def test_query_problems_say_the_column(engine: Engine) -> None:
    assert query_problem("entity:NATO AND title:summit", engine) is None
    assert query_problem("summit AND (", engine) == ("column 13: expected a term or '(' after '('")
    problem = query_problem("title:x AND entity:NATTO", engine)
    assert problem is not None and problem.startswith("column 13: unknown entity `NATTO`")
    assert "did you mean `NATO`?" in problem


# -- the watch ---------------------------------------------------------------------------------
class _Counting:
    """A store wrapper counting how often the watch asks."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.stamps = 0
        self.loads = 0

    def silences(self, include_expired: bool = False, now: float | None = None) -> list[Silence]:
        self.loads += 1
        return self.store.silences(include_expired, now)

    def silences_stamp(self) -> tuple[int, str, int]:
        self.stamps += 1
        return self.store.silences_stamp()


def test_watch_polls_at_most_once_per_interval_and_reloads_on_change(
    store: Store, engine: Engine
) -> None:
    source = _Counting(store)
    watch = SilenceWatch(interval=0.2)
    first = watch.current(source, engine)
    assert not first and source.loads == 1
    for _ in range(50):
        assert watch.current(source, engine) is first  # between polls: nothing asked
    assert source.stamps == 1
    silence = Silence.create(rule="trade", seconds=3600)
    store.add_silence(silence)
    time.sleep(0.25)
    second = watch.current(source, engine)
    assert second is not first and source.loads == 2
    assert second.for_article(TRADE).silenced("trade", "log") == silence.id
    time.sleep(0.25)
    assert watch.current(source, engine) is second  # polled, unchanged: not rebuilt
    assert source.stamps == 3 and source.loads == 2
    store.expire_silence(silence.id)
    time.sleep(0.25)
    assert not watch.current(source, engine)


def test_watch_rebuilds_for_a_reloaded_engine_and_when_a_silence_ends(
    store: Store, engine: Engine, tmp_path: Path
) -> None:
    silence = Silence.create(rule="trade", seconds=60, now=NOW)
    store.add_silence(silence)
    watch = SilenceWatch(interval=3600)
    first = watch.current(store, engine, now=NOW)
    assert first
    reloaded, _ = load_engine(tmp_path / "rules", ["log", "slack"])
    second = watch.current(store, reloaded, now=NOW + 1)
    assert second is not first and second.engine is reloaded
    assert not watch.current(store, reloaded, now=NOW + 60)  # ran out: rebuilt without it
