"""Items through the pipeline: open, read, match, record + queue alerts, then settle.

The order is the guarantee: the source disposes of an item (the inbox archives its file)
only after its article and alerts are committed, so a crash at any point leaves the item to
be processed again, and the outbox's unique key keeps that second pass from alerting twice.
What an item is and where it goes belong to its source (`monitor.sources`); this module only
knows items, articles and the store.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from monitor.alerts import alert_record, flood_summary
from monitor.articles import Article, ArticleError, read_bytes_article
from monitor.budget import ArticleTimeout, time_limit
from monitor.engine import Engine
from monitor.rules.model import Rule
from monitor.sources.base import Item, Outcome, Source, Verdict
from monitor.state import QueuedAlert, Store

log = logging.getLogger("monitor.pipeline")

COMMIT_SECONDS = 1.0
"""Longest a batch reads and matches before its alerts are committed and sent."""

BIG_ITEM = 512 * 1024
"""Items this large (a hundred times a news story) may take a while to read and match."""


@dataclass(frozen=True)
class _Matched:
    """An item read and matched, waiting for the write transaction to be recorded."""

    item: Item
    article: Article
    rules: tuple[str, ...]
    records: list[tuple[Rule, dict[str, Any]]]  # the matching rule and its alert record
    seconds: float  # spent reading and matching


def read_item(item: Item) -> Article:
    """The article in an opened item: the source's own, or read from its bytes."""
    if item.article is not None:
        return item.article
    return read_bytes_article(item.data or b"", item.format or item.name, display_path=item.name)


class Pipeline:
    """Processes items one at a time against the current engine."""

    def __init__(self, store: Store, engine: Engine, channels: list[str]) -> None:
        self.store = store
        self.engine = engine  # replaced whole on reload
        self.channels = channels

    def process_batch(
        self,
        source: Source,
        items: list[Item],
        progress: Callable[[], None] | None = None,
        interrupt: Callable[[], bool] | None = None,
        done: Callable[[list[Outcome]], None] | None = None,
    ) -> list[Outcome]:
        """Process items with one database commit per second of work, then settle each.

        Reading and matching (most of the work) happen before the write transaction, so the
        database is locked only for the short time it takes to record the batch and the
        dispatcher can mark alerts sent in between instead of waiting for a whole batch.
        The batch is committed whenever it has taken COMMIT_SECONDS and before an item
        that may be slow (BIG_ITEM bytes or more), and `done` is given the outcomes of each
        commit at once, so a good article's alert does not wait for slow items that came
        after it. Each item is recorded inside its own savepoint, so an item that fails (a
        bug, not bad input, which the source quarantines) is rolled back alone, logged, and
        left to its source to try again later while the others commit.

        `progress` is called after each item is read: the daemon's proof for the systemd
        watchdog that the loop is not stuck. When `interrupt` says so (a stop or a reload
        is waiting), the items not yet read are left alone: the outcomes returned cover
        only the items handled, in order.
        """
        handled: list[Outcome] = []
        ready: list[Outcome] = []  # outcomes not yet given to `done`
        matched: list[_Matched] = []
        engine = self.engine
        since = time.monotonic()
        for i, item in enumerate(items):
            if i and interrupt is not None and interrupt():
                break
            if matched and item.size >= BIG_ITEM:  # a big item may be slow: send what is ready
                ready += self._commit(source, matched)
                handled += self._hand_over(ready, done)
                matched, ready, since = [], [], time.monotonic()
            try:
                result = self._match(source, item, engine)
            except Exception:
                result = source.settle(item, Verdict.FAILED, Outcome(item, "skipped"))
            if progress is not None:
                progress()
            if isinstance(result, Outcome):
                ready.append(result)
            else:
                matched.append(result)
            if time.monotonic() - since >= COMMIT_SECONDS:
                ready += self._commit(source, matched)
                handled += self._hand_over(ready, done)
                matched, ready, since = [], [], time.monotonic()
        ready += self._commit(source, matched)
        handled += self._hand_over(ready, done)
        order = {item.key: i for i, item in enumerate(items)}
        return sorted(handled, key=lambda o: order[o.item.key])

    @staticmethod
    def _hand_over(
        outcomes: list[Outcome], done: Callable[[list[Outcome]], None] | None
    ) -> list[Outcome]:
        if done is not None and outcomes:
            done(outcomes)
        return outcomes

    def _commit(self, source: Source, matched: list[_Matched]) -> list[Outcome]:
        """Record matched items in one transaction, then let the source dispose of each."""
        recorded = self._record_all(source, matched)
        return [
            source.settle(item.item, Verdict.PROCESSED, outcome)
            if outcome.status == "processed"
            else outcome
            for item, outcome in zip(matched, recorded, strict=True)
        ]

    def _record_all(self, source: Source, matched: list[_Matched]) -> list[Outcome]:
        """Record every matched item in one transaction (a savepoint each)."""
        recorded: list[Outcome] = []
        if not matched:
            return recorded
        with self.store.batch():
            for item in matched:
                try:
                    recorded.append(self._record(source, item))
                except Exception:
                    failed = Outcome(item.item, "skipped")
                    recorded.append(source.settle(item.item, Verdict.FAILED, failed))
        return recorded

    def _match(self, source: Source, item: Item, engine: Engine) -> _Matched | Outcome:
        """Open, read and match one item; an Outcome if there is nothing to record."""
        started = time.perf_counter()
        if item.fingerprint and self.store.item_unchanged(item.source, item.key, item.fingerprint):
            return Outcome(item, "ignored", reason="already processed, and unchanged since")
        opened: Item = item
        try:
            with time_limit(source.max_seconds):
                result = source.open(item)
                if isinstance(result, Outcome):
                    return result
                opened = result
                article = read_item(opened)
                matches = engine.matcher.match(article)
        except ArticleError as exc:
            return self._unreadable(source, opened, str(exc), started)
        except ArticleTimeout:
            reason = (
                f"reading and matching it took longer than the {source.max_seconds:g} s one "
                "item may take ([inbox] max_seconds): a pathological file, or one far larger "
                "than an article; it was stopped so that other articles do not wait"
            )
            return self._unreadable(source, opened, reason, started)
        source.read_done(opened)
        rules = engine.rules
        records = [
            (rules[m.rule], alert_record(article, m, rules[m.rule].description)) for m in matches
        ]
        if opened.location:  # where the file will be once it has left the inbox
            for _, record in records:
                record["article"]["archived"] = opened.location
        return _Matched(
            opened,
            article,
            tuple(m.rule for m in matches),
            records,
            time.perf_counter() - started,
        )

    @staticmethod
    def _unreadable(source: Source, item: Item, reason: str, started: float) -> Outcome:
        ms = (time.perf_counter() - started) * 1000
        return source.settle(
            item, Verdict.UNREADABLE, Outcome(item, "quarantined", reason=reason, ms=ms)
        )

    def _record(self, source: Source, item: _Matched) -> Outcome:
        """Queue a matched item's alerts (past the flood guard) and record its article."""
        started = time.perf_counter()
        article = item.article
        alerts: list[QueuedAlert] = []
        for rule, record in item.records:
            targets = rule.notify if rule.notify is not None else self.channels
            queued = [QueuedAlert(rule=rule.id, channel=c, record=record) for c in targets]
            alerts.extend(self._flood_guard(rule, article.id, queued, targets))
        new = self.store.record_article(
            article.id, article.path, article.title, alerts, source=source.name
        )
        if item.item.fingerprint:
            self.store.remember_item(
                item.item.source, item.item.key, item.item.fingerprint, article.id
            )
        return Outcome(
            item.item,
            "processed",
            article_id=article.id,
            rules=item.rules,
            new_alerts=new,
            ms=(item.seconds + time.perf_counter() - started) * 1000,
        )

    def _flood_guard(
        self, rule: Rule, article_id: str, queued: list[QueuedAlert], targets: list[str]
    ) -> list[QueuedAlert]:
        """Hold back a rule's alerts past its `max_alerts_per_hour`, with one summary instead.

        Held-back alerts are stored as `suppressed` (counted, never sent), so nothing vanishes
        without a trace; the summary tells the channel that the rule is misfiring.
        """
        cap = rule.max_alerts_per_hour
        if cap is None or self.store.already_alerted(article_id, rule.id):
            return queued
        now = datetime.now(UTC)
        since = (now - timedelta(hours=1)).isoformat(timespec="seconds").replace("+00:00", "Z")
        if self.store.alerted_articles(rule.id, since) < cap:
            return queued
        summary = flood_summary(rule.id, rule.description, cap, now.strftime("%Y-%m-%dT%H"))
        log.warning(
            "rule %s is over its limit of %d alerts per hour; holding back its alert "
            "for article %s",
            rule.id,
            cap,
            article_id,
        )
        held = [QueuedAlert(a.rule, a.channel, a.record, status="suppressed") for a in queued]
        return held + [
            QueuedAlert(rule.id, c, summary, article_id=summary["article"]["id"]) for c in targets
        ]
