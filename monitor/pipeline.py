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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from monitor.alerts import ArticleRecords, flood_summary, story_record, with_excerpt
from monitor.articles import Article, ArticleError, read_bytes_article
from monitor.budget import ArticleTimeout, time_limit
from monitor.channels.base import ChannelConfig
from monitor.engine import Engine
from monitor.matching.matcher import PatternCounts
from monitor.matching.model import Match
from monitor.rules.model import Rule
from monitor.sources.base import Item, Outcome, Source, Verdict
from monitor.state import ArticleFacts, Cluster, QueuedAlert, Store, StoreUnavailable
from monitor.stories.sketch import sketch
from monitor.stories.tracker import StoryRef, StoryTracker

if TYPE_CHECKING:
    from monitor.web.recent import RecentArticles

log = logging.getLogger("monitor.pipeline")

COMMIT_SECONDS = 1.0
"""Longest a batch reads and matches before its alerts are committed and sent."""

TERM_COUNTS_SECONDS = 600.0
"""How often the patterns matching saw are added to the store's term counts, which refine
the term weights the next compile chooses anchors by (`monitor.matching.weights`)."""

BIG_ITEM = 512 * 1024
"""Items this large (a hundred times a news story) may take a while to read and match."""

CLAIMED_ELSEWHERE = "another node of the cluster is reading it"
"""The reason of an item left to the node that claimed it (the daemon offers it again
later, in case that node dies before the item leaves the inbox)."""


@dataclass(frozen=True)
class _Matched:
    """An item read and matched, waiting for the write transaction to be recorded."""

    item: Item
    article: Article
    rules: tuple[str, ...]
    records: list[tuple[Rule, Match, dict[str, Any]]]  # each matching rule, its hits, its record
    sketch: tuple[bytes, bytes] | None  # the near-duplicate sketch and index keys, if matched
    seconds: float  # spent reading and matching


class SilenceCheck(Protocol):
    """Which silence, if any, holds a rule's alerts for one article on one channel."""

    def silenced(self, rule: str, channel: str) -> str | None: ...


def read_item(item: Item) -> Article:
    """The article in an opened item: the source's own, or read from its bytes."""
    if item.article is not None:
        return item.article
    return read_bytes_article(item.data or b"", item.format or item.name, display_path=item.name)


class Pipeline:
    """Processes items one at a time against the current engine."""

    def __init__(
        self,
        store: Store,
        engine: Engine,
        channels: Mapping[str, ChannelConfig],
        stories: StoryTracker | None = None,
    ) -> None:
        self.store = store
        self.engine = engine  # replaced whole on reload
        self.channels = dict(channels)  # replaced whole on reload
        self.stories = stories
        # Set by the daemon: the silences in force for an article.
        self.silences: Callable[[Article], SilenceCheck] | None = None
        self._counts: PatternCounts | None = None  # of `_counted`'s matcher
        self._counted: Engine | None = None
        self._counts_saved = time.monotonic()
        # Set by the daemon in a cluster: items of these sources (a shared inbox folder)
        # are claimed for this node before they are opened, so no two nodes read one file.
        self.cluster: Cluster | None = None
        self.shared: frozenset[str] = frozenset()
        # The web page's playground tries rules on the latest articles ([web]; else None).
        self.recent: RecentArticles | None = None

    def _claim(self, items: list[Item]) -> tuple[list[Item], list[Outcome], dict[str, list[str]]]:
        """The items this node may process, the outcomes of those another node has, and
        the keys claimed per source (released once the batch is settled)."""
        cluster = self.cluster
        if cluster is None or not self.shared:
            return items, [], {}
        wanted: dict[str, list[str]] = {}
        for item in items:
            if item.source in self.shared:
                wanted.setdefault(item.source, []).append(item.key)
        claimed = {source: cluster.claim_items(source, keys) for source, keys in wanted.items()}
        mine: list[Item] = []
        refused: list[Outcome] = []
        for item in items:
            got = claimed.get(item.source)
            if got is None or item.key in got:
                mine.append(item)
            else:
                refused.append(Outcome(item, "ignored", reason=CLAIMED_ELSEWHERE))
        return mine, refused, {source: sorted(keys) for source, keys in claimed.items()}

    def _release(self, claimed: dict[str, list[str]]) -> None:
        if self.cluster is None:
            return
        for source, keys in claimed.items():
            try:
                self.cluster.release_items(source, keys)
            except Exception as exc:  # they lapse with this node's heartbeat, or at its stop
                log.warning("could not release %d claimed items: %s", len(keys), exc)

    def _counter(self, engine: Engine) -> PatternCounts:
        """The pattern tally of this engine's matcher (a reload saves the old one's first)."""
        if self._counts is None or self._counted is not engine:
            self.save_term_counts()
            self._counts, self._counted = engine.matcher.counter(), engine
        return self._counts

    def save_term_counts(self) -> None:
        """Add the patterns counted so far to the store: every `TERM_COUNTS_SECONDS`, on a
        reload and at shutdown. Counts only steer speed: one that cannot be saved is dropped."""
        self._counts_saved = time.monotonic()
        tally = self._counts
        if tally is None or not tally.articles:
            return
        # The whole pattern set once per rule set (and after a halving dropped the rows of
        # patterns never seen): the store then knows which patterns were looked for.
        patterns = () if tally.registered else tally.keys()
        counts, articles = tally.drain()
        try:
            halved = self.store.add_term_counts(counts, articles, patterns)
        except Exception as exc:
            log.warning("term counts of %d articles not saved: %s", articles, exc)
            return
        tally.registered = bool(patterns) or not halved  # a halving after: give them again

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

        `StoreUnavailable` if the database failed the batch (down, cut off, its commit
        refused): its transaction was rolled back whole and none of its items was settled,
        so they are all to be tried again; outcomes given to `done` before stand.
        """
        order = {(item.source, item.key): i for i, item in enumerate(items)}
        items, refused, claimed = self._claim(items)
        try:
            handled = self._process(source, items, progress, interrupt, done)
        except StoreUnavailable:
            # The claims stay this node's, for its retry (they lapse if it dies): letting
            # them go would be one more call to a database that just failed, which a
            # network cut would make wait.
            raise
        except BaseException:
            self._release(claimed)
            raise
        self._release(claimed)
        handled += self._hand_over(refused, done)
        return sorted(handled, key=lambda o: order[o.item.source, o.item.key])

    def _process(
        self,
        source: Source,
        items: list[Item],
        progress: Callable[[], None] | None,
        interrupt: Callable[[], bool] | None,
        done: Callable[[list[Outcome]], None] | None,
    ) -> list[Outcome]:
        handled: list[Outcome] = []
        ready: list[Outcome] = []  # outcomes not yet given to `done`
        matched: list[_Matched] = []
        engine = self.engine
        if time.monotonic() - self._counts_saved >= TERM_COUNTS_SECONDS:
            self.save_term_counts()
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
            except StoreUnavailable:
                raise  # the database's failure, not the item's: the batch is tried again
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
        return handled

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
        """Record every matched item in one transaction (a savepoint each).

        `_match` skipped versions recorded before; a version twice in this batch (one
        article in two concurrent POSTs, a repeat within one feed poll) passed it both
        times, so the second is answered as a duplicate here, without another query.
        """
        if not matched:
            return []
        recorded: list[Outcome | None] = []  # None: failed, settled once the rest commit
        failed: list[tuple[int, Exception]] = []
        versions: set[tuple[str, str, str]] = set()
        with self.store.batch():
            for item in matched:
                it = item.item
                version = (it.source, it.key, it.fingerprint)
                if it.fingerprint and version in versions:
                    recorded.append(
                        Outcome(it, "ignored", reason="already processed, and unchanged since")
                    )
                    continue
                try:
                    outcome = self._record(source, item)
                    recorded.append(outcome)
                    if outcome.status == "processed":
                        versions.add(version)
                except Exception as exc:
                    failed.append((len(recorded), exc))
                    recorded.append(None)
        # Committed. An item that failed alone (its savepoint rolled back: a bug, or a
        # statement timeout or a deadlock on its rows) is its source's to try again later.
        # Had the commit failed, `batch()` raised: nothing is settled, all are tried again.
        for at, error in failed:
            it = matched[at].item
            try:
                raise error
            except Exception:  # the source logs it, with its traceback
                recorded[at] = source.settle(it, Verdict.FAILED, Outcome(it, "skipped"))
        return [outcome for outcome in recorded if outcome is not None]

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
                matches, words = engine.matcher.scan(article, self._counter(engine))
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
        if self.recent is not None:
            self.recent.add(article)
        rules = engine.rules
        made = ArticleRecords(article)
        records = [
            (rules[m.rule], m, made.rule_record(m, rules[m.rule].description)) for m in matches
        ]
        if opened.location:  # where the file will be once it has left the inbox
            for _, _, record in records:
                record["article"]["archived"] = opened.location
        return _Matched(
            opened,
            article,
            tuple(m.rule for m in matches),
            records,
            sketch(words) if matches and self.stories is not None else None,
            time.perf_counter() - started,
        )

    @staticmethod
    def _unreadable(source: Source, item: Item, reason: str, started: float) -> Outcome:
        ms = (time.perf_counter() - started) * 1000
        return source.settle(
            item, Verdict.UNREADABLE, Outcome(item, "quarantined", reason=reason, ms=ms)
        )

    def _record(self, source: Source, item: _Matched) -> Outcome:
        """File a matched item under its story, queue its alerts per channel, record it.

        Per channel that a matching rule notifies: a `rule` channel gets one record per
        rule, a `story` channel one message listing the rules; both keyed by the story, so a
        near-duplicate of a story adds nothing where the story was already alerted (it is
        recorded as a copy, "also in"). A rule over its flood limit, or silenced on a
        channel, is left out there; a message whose rules are all silenced is recorded as
        silenced (never sent, even after the silence ends). A channel with a digest or in
        quiet hours holds the alert until its release time, unless a rule is `urgent`.
        """
        started = time.perf_counter()
        article = item.article
        story: StoryRef | None = None
        if item.sketch is not None and self.stories is not None:
            story = self.stories.assign(article.id, *item.sketch)
        story_id = story.id if story is not None else article.id
        check = self.silences(article) if self.silences is not None and item.records else None
        if check is not None and not check:
            check = None  # nothing can be silenced for this article: no question per rule
        everywhere = list(self.channels)
        grouping = {channel: self._grouping(channel) for channel in everywhere}
        now = time.time()
        alerts: list[QueuedAlert] = []
        messages: dict[str, list[tuple[Rule, Match, dict[str, Any]]]] = {}
        silenced_by: dict[str, str] = {}  # story channel -> a silence that held a rule back
        # What each channel already has of this story (a copy, or a channel regrouped by a
        # reload): rules it got as rule records, and the rules of its story message.
        fresh = story is not None and story.new
        had = {} if fresh else self.store.story_deliveries(story_id)
        for rule, match, record in item.records:
            record["story"] = story_id
            targets = rule.notify if rule.notify is not None else everywhere
            if check is None:
                silences = dict.fromkeys(targets)
                audible = targets
            else:
                silences = {c: check.silenced(rule.id, c) for c in targets}
                audible = [c for c in targets if silences[c] is None]
            if audible and not self._within_flood_limit(
                rule, story_id, article.id, audible, alerts, fresh, now
            ):
                held = [c for c in audible if grouping.get(c, "rule") == "rule"]
                if held:
                    with_excerpt(record, article, match)
                alerts += [
                    QueuedAlert(rule.id, c, record, story_id, status="suppressed") for c in held
                ]
                audible = []
            for channel in targets:
                silence = silences[channel]
                if silence is None and channel not in audible:
                    continue  # held back by the flood guard
                if had and rule.id in had.get(channel, ()):
                    continue  # the channel has this story for this rule already
                if grouping.get(channel, "rule") == "story":
                    if silence is None:
                        messages.setdefault(channel, []).append((rule, match, record))
                    else:
                        silenced_by.setdefault(channel, silence)
                elif "" in had.get(channel, ()):
                    continue  # it had the story's message (before a reload regrouped it)
                elif silence is not None:
                    with_excerpt(record, article, match)
                    alerts.append(
                        QueuedAlert(rule.id, channel, record, story_id, "silenced", silence=silence)
                    )
                else:
                    with_excerpt(record, article, match)
                    alerts.append(
                        self._queued(rule.id, channel, record, story_id, rule.urgent, now)
                    )
        alerts += self._story_messages(article, story, story_id, messages, silenced_by, now)
        new = self.store.record_article(
            article.id,
            article.path,
            article.title,
            alerts,
            source=item.item.source,
            facts=ArticleFacts(
                story=story_id if item.records else None,
                url=article.url,
                rules=item.rules,
                similarity=story.similarity if story is not None else None,
                archived=item.item.location,
                outlet=article.source,
            ),
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

    def _grouping(self, channel: str) -> str:
        conf = self.channels.get(channel)
        return conf.grouping() if conf is not None else "rule"

    def _queued(
        self,
        rule: str,
        channel: str,
        record: dict[str, Any],
        story_id: str,
        urgent: bool,
        now: float,
        kind: str = "rule",
    ) -> QueuedAlert:
        """An alert to send now, or held for the channel's digest or quiet hours."""
        conf = self.channels.get(channel)
        schedule = conf.schedule() if conf is not None else None
        release = schedule.release_at(now, urgent) if schedule is not None else None
        if release is None:
            return QueuedAlert(rule, channel, record, story_id, kind=kind)
        return QueuedAlert(rule, channel, record, story_id, "held", kind, release_at=release)

    def _story_messages(
        self,
        article: Article,
        story: StoryRef | None,
        story_id: str,
        messages: dict[str, list[tuple[Rule, Match, dict[str, Any]]]],
        silenced_by: dict[str, str],
        now: float,
    ) -> list[QueuedAlert]:
        """One story message per story channel; channels sharing the same rules share one
        record (encoded once). A channel whose every rule is silenced gets its message
        recorded as silenced, which also keeps later copies from alerting there."""
        if not messages and not silenced_by:
            return []
        also_in = []
        if story is not None and not story.new:
            also_in = [
                copy
                for copy in self.store.story_copies(story_id)
                if copy["article_id"] != article.id or copy["sighting"]
            ]
        made: dict[tuple[str, ...], dict[str, Any]] = {}
        queued: list[QueuedAlert] = []
        for channel, entries in messages.items():
            ids = tuple(rule.id for rule, _, _ in entries)
            record = made.get(ids)
            if record is None:
                record = made[ids] = story_record(
                    story_id, article, [(m, r) for _, m, r in entries], also_in
                )
            urgent = any(rule.urgent for rule, _, _ in entries)
            queued.append(self._queued("", channel, record, story_id, urgent, now, "story"))
        for channel, silence in silenced_by.items():
            if channel not in messages:
                marker = {"story": story_id, "rules": [], "silenced": silence}
                queued.append(
                    QueuedAlert("", channel, marker, story_id, "silenced", "story", silence=silence)
                )
        return queued

    def _within_flood_limit(
        self,
        rule: Rule,
        story_id: str,
        article_id: str,
        targets: list[str],
        alerts: list[QueuedAlert],
        fresh: bool,
        now: float,
    ) -> bool:
        """Whether the rule may alert on this story: below its `max_alerts_per_hour`.

        Counted in stories, not copies: a story the rule alerted on before keeps its verdict;
        a match silenced on every channel does not count. Past the limit, the rule's alerts
        are stored as `suppressed` (counted, never sent), and one summary per channel and
        hour tells the channel the rule is misfiring, held like any alert by the channel's
        digest or quiet hours. `targets` are the channels where the rule is not silenced.
        """
        cap = rule.max_alerts_per_hour
        if cap is None:  # nothing to count: no database work for most rules
            return True
        known = None if fresh else self.store.story_rule(story_id, rule.id)  # a new story: none
        if known is not None:
            return known == "alerted"
        moment = datetime.fromtimestamp(now, UTC)
        since = (moment - timedelta(hours=1)).isoformat(timespec="seconds").replace("+00:00", "Z")
        if self.store.alerted_stories(rule.id, since) < cap:
            self.store.add_story_rule(story_id, rule.id, article_id, "alerted")
            return True
        self.store.add_story_rule(story_id, rule.id, article_id, "suppressed")
        summary = flood_summary(rule.id, rule.description, cap, moment.strftime("%Y-%m-%dT%H"))
        log.warning(
            "rule %s is over its limit of %d alerts per hour; holding back its alert for story %s",
            rule.id,
            cap,
            story_id,
        )
        flood_id = summary["article"]["id"]
        alerts += [self._queued(rule.id, c, summary, flood_id, rule.urgent, now) for c in targets]
        return False
