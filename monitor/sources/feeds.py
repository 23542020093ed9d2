"""Feed sources (`[sources.NAME] type = "feed"`): RSS, Atom and JSON Feed polled on a schedule.

Threads. A scheduler thread hands each feed that is due to a small pool of poll workers;
a worker fetches (`fetch.Fetcher`: conditional GET, total time limit, size cap, per-host
spacing) and parses (`feedparse`), works out the feed's next poll time itself (its interval,
stretched by exponential backoff with jitter after errors, or a 429/503's Retry-After) and
queues the result. So a feed that is slow, hostile or down holds one worker for at most its
time limit and never another feed's schedule. Everything touching the state database
happens on the daemon's loop thread, in `take` and `finished`: which entries are new (one
query per poll), marking entries seen on a first poll without `backfill`, saving the
feed's state. With `full_text`, new entries go back to a worker to fetch their links.

Exactly once. An entry's identity is its guid/id, else its link, else a content hash
(`feedparse`), and the `items` table remembers (feed, identity, text hash) once its alerts
are committed, so neither a restart nor a re-published feed alerts twice. An entry whose
text changed comes through again, and the story tracker files it under its story (a copy:
nothing new is sent) unless it changed beyond recognition. The validators (ETag,
Last-Modified) of a poll are saved only once every entry of that poll is committed: after a
kill -9 in between, the next start fetches the whole feed again instead of getting a 304
that would lose the entries not yet taken in. A feed is not polled again while entries of
its last poll are still on their way through the pipeline.

Nodes. When nodes share the state on PostgreSQL, each feed is polled by one node at a time:
the scheduler takes the feed's lease before each poll (`leases.FeedLeases`, on a store of
its own) and leaves a feed another node holds alone, asking again at its next due time or
sooner. A feed this node did not hold at its last check has a stale state in memory (the
holder moved its validators and schedule on), so on taking its lease the scheduler reads
the state the holder saved before polling; and this node never saves the state of a feed it
does not hold. Entries already taken in are `items` rows every node consults.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import queue
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from monitor.articles import Article, ArticleError
from monitor.articles.htmlfmt import read_html
from monitor.articles.readers import finish, log_decoding
from monitor.channels.http import host_of
from monitor.config import FeedSourceConfig
from monitor.sources.base import Item, Outcome, ParsedItems, article_item
from monitor.sources.feedparse import FeedEntry, FeedError, ParsedFeed, parse_feed
from monitor.sources.fetch import Fetcher, FetchError, shown_url
from monitor.sources.leases import FeedLeases
from monitor.state import SourceState, Store
from monitor.textsafe import shorten

log = logging.getLogger("monitor.feeds")

MAX_WORKERS = 8
"""Polls at a time. Each holds a worker for at most its feed's `timeout` (30 s by default)."""
PER_HOST = MAX_WORKERS // 2
"""Polls of one host at a time. The fetcher spaces requests to a host, so polls beyond this
would only sleep in its queue, holding workers that the feeds of other hosts then lack
(50 feeds on one host once kept a feed elsewhere from being polled at all)."""
FULL_TEXT_SECONDS = 120.0
"""Time one poll's new entries may spend fetching their links (`full_text`)."""
MAX_BACKOFF = 3600.0
"""Longest wait after errors (unless the feed's own interval is longer)."""
MB = 1024 * 1024


class SourceCounters(Protocol):
    """Where polls and entries are counted (`monitor.metrics.Metrics`)."""

    def polled(self, source: str, ok: bool) -> None: ...
    def took_in(self, source: str, entries: int) -> None: ...


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _epoch(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


def target(url: str) -> str:
    """What a feed's validators belong to: a digest of its URL, never the URL (a token)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def _host(url: str) -> str:
    return host_of(url).lower()


def backoff(interval: float, errors: int) -> float:
    """Seconds to the next poll after `errors` failures in a row: the interval doubled per
    failure up to an hour (or the interval, if longer), times a jitter of 0.8-1.2 so that
    feeds on one failing host do not come back in lockstep."""
    if errors <= 0:
        return interval
    delay = min(interval * 2.0 ** min(errors, 16), max(interval, MAX_BACKOFF))
    return delay * random.uniform(0.8, 1.2)


@dataclass(eq=False)
class _Poll:
    """One poll's entries on their way through the pipeline; its validators wait for them."""

    feed: str
    etag: str | None
    last_modified: str | None
    outstanding: int = 0
    failed: bool = False


@dataclass(frozen=True)
class _Result:
    """What a worker brings back from one poll."""

    feed: str
    parsed: ParsedFeed | None  # None on an error or a 304
    etag: str | None
    last_modified: str | None
    error: str | None


@dataclass(eq=False)
class _Feed:
    name: str
    conf: FeedSourceConfig
    state: SourceState
    next_at: float = 0.0
    busy: bool = False  # a poll in flight, or its entries not all committed
    dirty: bool = False  # state to save on the loop thread
    pending: set[str] = field(default_factory=set)  # entry keys queued, not yet finished
    cut: int = 0  # entries its last document had beyond MAX_ENTRIES
    held: bool = False  # nodes: this node held its lease at the last check


class FeedPoller(ParsedItems):
    """Every feed of the config as one source; items are named by their feed (`owns`)."""

    name = "feeds"
    kind = "feed"

    def __init__(
        self,
        feeds: Mapping[str, FeedSourceConfig],
        store: Store,
        counters: SourceCounters | None = None,
        *,
        fetcher: Fetcher | None = None,
        max_seconds: float = 10.0,
        leases: FeedLeases | None = None,
    ) -> None:
        self.store = store  # the loop thread's connection: used in take/finished only
        self._leases = leases  # nodes sharing the state: the scheduler thread's alone
        self._leased: set[str] = set()  # feeds whose lease this node holds (scheduler)
        self.counters = counters
        self.fetcher = fetcher if fetcher is not None else Fetcher()
        self._max_seconds = max_seconds
        states = store.source_states()
        self._feeds: dict[str, _Feed] = {}
        self._lock = threading.Condition()
        self._results: queue.Queue[_Result] = queue.Queue()
        self._fetched: queue.Queue[Item] = queue.Queue()  # full-text entries ready
        self._ready: deque[Item] = deque()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._workers: list[threading.Thread] = []
        self._polling: dict[str, int] = {}  # host -> polls handed to workers, not yet done
        self._retired: set[str] = set()  # feeds removed by a reload: their entries still
        self._apply(feeds, states)  # queued are ours to see through (`owns`)

    # -- configuration ------------------------------------------------------------------------
    def _apply(
        self, feeds: Mapping[str, FeedSourceConfig], states: Mapping[str, SourceState]
    ) -> None:
        now = time.time()
        with self._lock:
            kept = {name: f for name, f in self._feeds.items() if name in feeds}
            for name, conf in feeds.items():
                feed = kept.get(name)
                if feed is None:
                    state = states.get(name) or SourceState(name)
                    feed = _Feed(name, conf, state)
                    due = _epoch(state.next_poll)
                    # A feed polled before resumes its schedule (a restart loop must not
                    # hammer it); a new one is polled now.
                    feed.next_at = min(due, now + conf.interval) if due is not None else now
                    if self._leases is not None:
                        # Its lease is asked for now; taking it reads the schedule again.
                        feed.next_at = now
                    kept[name] = feed
                elif feed.conf != conf:
                    if feed.conf.url != conf.url or feed.conf.interval != conf.interval:
                        feed.next_at = now  # a changed feed is polled at once
                    feed.conf = conf
                if feed.state.target != target(conf.url):
                    # Another URL: the old validators mean nothing there, and its first poll
                    # is a new feed's (without backfill, what is there is marked seen, not
                    # alerted: a URL pointed at another feed would alert its whole backlog).
                    if feed.state.target:
                        feed.state.primed = False
                        feed.dirty = True
                    feed.state.target = target(conf.url)
                    feed.state.etag = feed.state.last_modified = None
            self._retired = (self._retired | set(self._feeds)) - set(kept)
            self._feeds = kept
            self._lock.notify_all()

    def reconfigure(self, feeds: Mapping[str, FeedSourceConfig]) -> None:
        """Apply changed `[sources.*]` feeds: new ones start, removed ones stop being polled
        (their entries already queued still go through), changed ones are polled now."""
        self._apply(feeds, self.store.source_states())

    # -- Source ------------------------------------------------------------------------------
    @property
    def max_seconds(self) -> float:
        return self._max_seconds

    def owns(self, source_name: str) -> bool:
        # A removed feed's entries already queued still go through, and must not be
        # taken for inbox files (the SourceSet's fallback owner).
        return source_name in self._feeds or source_name in self._retired

    def start(self) -> None:
        # Daemon threads, not an executor: a poll stuck in a slow fetch must not hold up
        # the process's exit (an executor's threads are joined at exit).
        workers = min(MAX_WORKERS, max(1, len(self._feeds)))
        self._workers = [
            threading.Thread(target=self._work, name=f"feed-{i}", daemon=True)
            for i in range(workers)
        ]
        for worker in self._workers:
            worker.start()
        self._thread = threading.Thread(target=self._schedule, name="feeds", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        for _ in self._workers:
            self._jobs.put(None)
        if self._thread is not None:
            self._thread.join(5.0)

    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def take(self, timeout: float, limit: int) -> list[Item]:
        """Take in finished polls (the database work) and offer their new entries."""
        while True:
            try:
                result = self._results.get_nowait()
            except queue.Empty:
                break
            try:
                self._take_in(result)
            except Exception:
                log.exception("feed %s: could not take in a poll; it is polled again", result.feed)
                self._release(result.feed)
        while True:
            try:
                self._ready.append(self._fetched.get_nowait())
            except queue.Empty:
                break
        self._save_dirty()
        items: list[Item] = []
        while self._ready and len(items) < limit:
            items.append(self._ready.popleft())
        return items

    def give_back(self, items: list[Item]) -> None:
        self._ready.extendleft(reversed(items))

    def finished(self, outcomes: list[Outcome]) -> None:
        new = 0
        for outcome in outcomes:
            poll = outcome.item.handle
            if not isinstance(poll, _Poll):
                continue
            feed = self._feeds.get(poll.feed)
            if feed is not None:
                feed.pending.discard(outcome.item.key)
            if outcome.status == "processed":
                new += 1
                if feed is not None:
                    feed.state.last_new = iso(time.time())
                    feed.dirty = True
                if self.counters is not None:
                    self.counters.took_in(poll.feed, 1)
            elif outcome.status == "skipped":  # a bug or a stop: not remembered, retried
                poll.failed = True
            poll.outstanding -= 1
            if poll.outstanding == 0:
                self._complete(poll)
        self._save_dirty()

    # -- the loop thread's side ---------------------------------------------------------------
    def _take_in(self, result: _Result) -> None:
        feed = self._feeds.get(result.feed)
        if feed is None:  # removed by a reload while it was polled
            return
        state = feed.state
        parsed = result.parsed
        if result.error is not None or parsed is None:
            feed.dirty = True
            self._release(feed.name)
            return
        if parsed.truncated and parsed.truncated != feed.cut:  # once, not on every poll
            log.warning(
                "feed %s: %d entries beyond the first %d of one document were left out",
                feed.name,
                parsed.truncated,
                len(parsed.entries),
            )
        feed.cut = parsed.truncated
        entries = parsed.entries
        pairs = [(e.key, e.fingerprint) for e in entries]
        if not state.primed and not feed.conf.backfill:
            self.store.remember_items(feed.name, pairs)
            state.primed = True
            state.etag, state.last_modified = result.etag, result.last_modified
            feed.dirty = True
            log.info(
                "feed %s: first poll, %d entries there already marked seen (backfill = false)",
                feed.name,
                len(entries),
            )
            self._release(feed.name)
            return
        fresh = [
            entries[i]
            for i in self.store.new_items(feed.name, pairs)
            if entries[i].key not in feed.pending
        ]
        state.primed = True
        feed.dirty = True
        poll = _Poll(feed.name, result.etag, result.last_modified, outstanding=len(fresh))
        if not fresh:
            self._complete(poll)
            return
        feed.pending.update(e.key for e in fresh)
        log.info("feed %s: %d new entries", feed.name, len(fresh))
        if feed.conf.full_text:
            self._jobs.put(functools.partial(self._full_text, feed, poll, fresh, parsed))
        else:
            self._ready.extend(self._item(feed, poll, e, parsed, None) for e in fresh)

    def _complete(self, poll: _Poll) -> None:
        """Every entry of a poll is committed: its validators may now save a re-fetch."""
        feed = self._feeds.get(poll.feed)
        if feed is None:
            return
        if not poll.failed:
            feed.state.etag, feed.state.last_modified = poll.etag, poll.last_modified
        feed.dirty = True
        self._release(feed.name)

    def _release(self, name: str) -> None:
        with self._lock:
            feed = self._feeds.get(name)
            if feed is not None:
                feed.busy = False
            self._lock.notify_all()

    def _save_dirty(self) -> None:
        snapshots: list[SourceState] = []
        with self._lock:  # a worker may be updating a state
            for feed in self._feeds.values():
                # Another node's feed: its state is the holder's to save (this node's copy
                # is stale; it is read again if the lease comes back).
                if feed.dirty and (feed.held or self._leases is None):
                    feed.dirty = False
                    feed.state.next_poll = iso(feed.next_at)
                    snapshots.append(dataclasses.replace(feed.state))
        if snapshots:
            self.store.save_source_states(snapshots)

    def _item(
        self, feed: _Feed, poll: _Poll, entry: FeedEntry, parsed: ParsedFeed, body: str | None
    ) -> Item:
        article = Article.create(
            entry.url or f"{feed.name}#{entry.key}",
            entry.title,
            body if body else entry.text,
            url=entry.url,
            published=entry.published,
            source=parsed.title or feed.name,
            language=parsed.language,
        )
        return article_item(feed.name, entry.key, article, entry.fingerprint, poll)

    # -- the workers' side --------------------------------------------------------------------
    def _schedule(self) -> None:
        """Submit each feed when it is due and not busy; wake on stop, reload and release."""
        try:
            self._scheduling()
        finally:
            if self._leases is not None:
                with self._lock:
                    gone = self._leased - set(self._feeds)
                self._leases.let_go(gone)
                self._leases.close()

    def _scheduling(self) -> None:
        while not self._stop.is_set():
            gone: set[str] = set()
            with self._lock:
                now = time.time()
                due: list[_Feed] = []
                full: set[str] = set()  # hosts with PER_HOST polls going: woken by their end
                for feed in sorted(self._feeds.values(), key=lambda f: f.next_at):
                    host = _host(feed.conf.url)
                    if feed.busy or feed.next_at > now:
                        continue
                    if self._polling.get(host, 0) >= PER_HOST:
                        full.add(host)
                        continue
                    feed.busy = True
                    self._polling[host] = self._polling.get(host, 0) + 1
                    due.append(feed)
                idle = [
                    f.next_at
                    for f in self._feeds.values()
                    if not f.busy and _host(f.conf.url) not in full
                ]
                if self._leases is not None:
                    gone = self._leased - set(self._feeds)
                    self._leased -= gone
                if not due and not gone:
                    wait = min(idle, default=now + 60.0) - now
                    self._lock.wait(max(0.05, min(wait, 60.0)))
                    continue
            if self._leases is not None:
                self._leases.let_go(gone)
                due = self._leased_only(due)
            for feed in due:
                self._jobs.put(functools.partial(self._poll, feed.name, feed.conf, feed.state))

    def _leased_only(self, due: list[_Feed]) -> list[_Feed]:
        """The due feeds whose lease this node holds, their states read again where it did
        not hold it at the last check; the others are due again when asked about next."""
        assert self._leases is not None
        verdicts = self._leases.check([feed.name for feed in due])
        taken = [f for f in due if verdicts[f.name] is None and not f.held]
        stored = self._leases.states() if taken else {}
        polled: list[_Feed] = []
        with self._lock:
            now = time.time()
            for feed in due:
                wait = verdicts[feed.name]
                if wait is None and feed in taken and stored is None:
                    wait = self._leases.lease / 2  # its state could not be read: not yet
                if wait is not None:
                    if feed.held and self._leases.reachable:  # else said once already
                        log.info("feed %s: another node holds its lease now", feed.name)
                    feed.held = False
                    self._leased.discard(feed.name)
                    feed.next_at = now + min(feed.conf.interval, wait)
                    self._unbusy(feed)
                    continue
                self._leased.add(feed.name)
                if not feed.held:
                    assert stored is not None
                    feed.held = True
                    self._adopt(feed, stored.get(feed.name), now)
                    log.info("feed %s: this node polls it now", feed.name)
                    if feed.next_at > now:  # the last holder polled it lately
                        self._unbusy(feed)
                        continue
                polled.append(feed)
            self._lock.notify_all()
        return polled

    def _adopt(self, feed: _Feed, stored: SourceState | None, now: float) -> None:
        """Take a feed's state from the database (its last holder's) in place of this
        node's copy: validators, `primed` and schedule carry over. Under the lock, with the
        feed busy, so no other thread is using its state."""
        feed.dirty = False  # what this node had is older than what the holder saved
        if stored is None:  # never saved: this node's copy is as good
            return
        state = dataclasses.replace(stored)
        due = _epoch(state.next_poll)
        feed.next_at = min(due, now + feed.conf.interval) if due is not None else now
        if state.target != target(feed.conf.url):  # as in `_apply`: another URL, polled now
            if state.target:
                state.primed = False
                feed.dirty = True
            state.target = target(feed.conf.url)
            state.etag = state.last_modified = None
            feed.next_at = now
        feed.state = state

    def _unbusy(self, feed: _Feed) -> None:
        """A feed picked as due and then not polled (under the lock)."""
        feed.busy = False
        host = _host(feed.conf.url)
        self._polling[host] -= 1
        if not self._polling[host]:
            del self._polling[host]

    def _work(self) -> None:
        """A poll worker: one job at a time (a poll, or a poll's full-text fetches)."""
        while not self._stop.is_set():
            job = self._jobs.get()
            if job is None:
                return
            try:
                job()
            except Exception:  # every job catches its own; this is the last line
                log.exception("feed worker: a job failed")

    def _poll(self, name: str, conf: FeedSourceConfig, state: SourceState) -> None:
        started = time.time()
        status: int | None = None
        parsed: ParsedFeed | None = None
        etag, modified = state.etag, state.last_modified
        error: str | None = None
        retry_after: float | None = None
        try:
            got = self.fetcher.get(
                conf.url,
                etag=etag,
                last_modified=modified,
                allow_private=True,  # the admin's own URL: always polled
                max_bytes=int(conf.max_size_mb * MB),
                total_timeout=conf.timeout,
            )
            status = got.status
            if got.status != 304:
                etag, modified = got.etag, got.last_modified
                served = got.content_type + (f"; charset={got.charset}" if got.charset else "")
                parsed = parse_feed(got.body, served, got.url)
        except FetchError as exc:
            status, error, retry_after = exc.status, str(exc), exc.retry_after
        except FeedError as exc:
            error = f"not a usable feed: {exc}"
        except Exception as exc:  # a bug: this feed's poll fails, nothing else
            log.exception("feed %s: poll failed", name)
            error = f"internal error ({type(exc).__name__})"
        finished = time.time()
        with self._lock:
            host = _host(conf.url)
            self._polling[host] -= 1
            if not self._polling[host]:
                del self._polling[host]
            self._lock.notify_all()
            feed = self._feeds.get(name)
            if feed is None:
                return
            state.polls += 1
            state.last_poll = iso(started)
            state.last_status = status
            if error is None:
                state.errors = 0
                state.last_error = None
                state.last_success = iso(finished)
                feed.next_at = finished + conf.interval
            else:
                state.errors += 1
                state.last_error = shorten(error, 300)
                wait = backoff(conf.interval, state.errors)
                if retry_after is not None:
                    wait = max(wait, retry_after)
                feed.next_at = finished + wait
        if error is not None:
            log.warning(
                "feed %s: %s (%d failed polls in a row; next poll in %.0f s)",
                name,
                shorten(error, 300),
                state.errors,
                feed.next_at - finished,
            )
        elif status == 304:
            log.debug("feed %s: not modified", name)
        if self.counters is not None:
            self.counters.polled(name, error is None)
        self._results.put(_Result(name, parsed, etag, modified, error))
        self._signal_ready()

    def _full_text(
        self, feed: _Feed, poll: _Poll, entries: list[FeedEntry], parsed: ParsedFeed
    ) -> None:
        """Fetch each new entry's link and extract its text; the entry's own text if not.

        Within FULL_TEXT_SECONDS for the whole poll: 100 new entries on a slow site would
        otherwise hold a poll worker for most of an hour, and a few such feeds every worker.
        """
        deadline = time.monotonic() + FULL_TEXT_SECONDS
        late = 0
        for entry in entries:
            if self._stop.is_set():
                return
            body = None
            if entry.url and time.monotonic() > deadline:
                late += 1
            elif entry.url:
                try:
                    got = self.fetcher.get(
                        entry.url,
                        allow_private=feed.conf.allow_private,
                        accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                        max_bytes=int(feed.conf.max_size_mb * MB),
                        total_timeout=feed.conf.timeout,
                    )
                    draft = read_html(got.body, got.charset)
                    body = finish(draft, got.url).body
                    where = f"feed {feed.name}: {shorten(shown_url(got.url), 200)}"
                    log_decoding(where, draft)
                except (FetchError, ArticleError) as exc:
                    log.warning(
                        "feed %s: full text of %s not used (%s); the entry's own text stands in",
                        feed.name,
                        shorten(shown_url(entry.url), 200),
                        shorten(str(exc), 300),
                    )
                except Exception:
                    log.exception("feed %s: full text of an entry failed", feed.name)
            self._fetched.put(self._item(feed, poll, entry, parsed, body))
            self._signal_ready()
        if late:
            log.warning(
                "feed %s: full text of %d entries not fetched: this poll's %g s for full "
                "texts were spent; their own text stands in",
                feed.name,
                late,
                FULL_TEXT_SECONDS,
            )
