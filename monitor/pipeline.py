"""One file through the pipeline: read, match, record + queue alerts, then move the file.

The order is the guarantee: the file leaves the inbox only after its article and alerts are
committed, so a crash at any point leaves the file in the inbox to be processed again, and
the outbox's unique key keeps that second pass from alerting twice.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from monitor.alerts import alert_record, flood_summary
from monitor.articles import Article, ArticleError, read_article
from monitor.config import InboxConfig
from monitor.engine import Engine
from monitor.rules.model import Rule
from monitor.store import QueuedAlert, Store

log = logging.getLogger("monitor.pipeline")

# skipped: left alone for a reason the admin should see (logged as a warning);
# ignored: nothing to do, e.g. a second event for a file already processed (debug).
Status = Literal["processed", "quarantined", "skipped", "ignored"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one file, for the log line and the tests."""

    path: Path
    status: Status
    article_id: str | None = None
    rules: tuple[str, ...] = ()
    new_alerts: int = 0
    ms: float = 0.0
    reason: str = ""
    moved_to: Path | None = field(default=None)


def _numbered(name: str, n: int) -> str:
    """`stem.N.suffix` (or `name.N` without a suffix): the N-th alternative to a taken name."""
    stem, dot, suffix = name.partition(".")
    return f"{stem}.{n}{dot}{suffix}" if dot else f"{name}.{n}"


def _free_name(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/stem.N.suffix` if that is taken: never overwrite."""
    target = folder / name
    n = 1
    while target.exists() or target.is_symlink():
        target = folder / _numbered(name, n)
        n += 1
    return target


def move_out(src: Path, folder: Path) -> Path:
    """Move a file out of the inbox into `folder`, under a name not yet taken there.

    A rename out of the watched inbox is an unmatched IN_MOVED_FROM, which watchdog holds
    for 0.5 s to pair it, delaying every event queued behind it: each archived file would add
    half a second to the next article's alert. A hard link plus unlink gives the same result
    with only an IN_DELETE. The link also picks the name: it fails on a name already taken,
    so no name is looked up first (two stat calls per file in a burst). Across file systems
    (or where links are refused) it falls back to an ordinary move.
    """
    name, n = src.name, 0
    while True:
        target = folder / (_numbered(name, n) if n else name)
        try:
            os.link(src, target)
        except FileExistsError:
            n += 1
            continue
        except OSError:
            target = _free_name(folder, name)
            shutil.move(src, target)
            return target
        src.unlink()
        return target


@dataclass(frozen=True)
class _Matched:
    """A file read and matched, waiting for the write transaction to be recorded."""

    path: Path
    st: os.stat_result
    article: Article
    rules: tuple[str, ...]
    records: list[tuple[Rule, dict[str, Any]]]  # the matching rule and its alert record
    seconds: float  # spent reading and matching


def _failed(path: Path) -> Outcome:
    """A file that hit a bug (not bad input): logged, left in the inbox for the next rescan."""
    log.exception("failed to process %s; will retry on the next rescan", path)
    return Outcome(path, "skipped", reason="internal error (logged)")


class Pipeline:
    """Processes inbox files one at a time against the current engine."""

    def __init__(self, inbox: InboxConfig, store: Store, engine: Engine,
                 channels: list[str]) -> None:
        self.inbox = inbox
        self.store = store
        self.engine = engine  # replaced whole on reload
        self.channels = channels

    def process_batch(self, paths: list[Path]) -> list[Outcome]:
        """Process files with one database commit for all, then move each out of the inbox.

        Reading and matching (most of the work) happen before the write transaction, so the
        database is locked only for the short time it takes to record the batch and the
        dispatcher can mark alerts sent in between instead of waiting for a whole batch.
        Each file is recorded inside its own savepoint, so a file that fails (a bug, not bad
        input, which is quarantined) is rolled back alone, logged, and left in the inbox for
        the next rescan while the others commit.
        """
        outcomes: dict[Path, Outcome] = {}
        matched: list[_Matched] = []
        engine = self.engine
        for path in paths:
            try:
                result = self._match(path, engine)
            except Exception:
                result = _failed(path)
            if isinstance(result, Outcome):
                outcomes[path] = result
            else:
                matched.append(result)
        recorded = self._record_all(matched)
        outcomes.update((o.path, o) for o in recorded)
        for outcome in recorded:  # only after the commit: files leave the inbox
            if outcome.status == "processed":
                outcomes[outcome.path] = self._disposed(outcome)
        return [outcomes[p] for p in paths]

    def _record_all(self, matched: list[_Matched]) -> list[Outcome]:
        """Record every matched file in one transaction (a savepoint each)."""
        recorded: list[Outcome] = []
        if not matched:
            return recorded
        with self.store.batch():
            for item in matched:
                try:
                    recorded.append(self._record(item))
                except Exception:
                    recorded.append(_failed(item.path))
        return recorded

    def _disposed(self, outcome: Outcome) -> Outcome:
        """The outcome once the file has left the inbox (unchanged if it could not)."""
        try:
            moved = self._dispose(outcome.path)
        except OSError as exc:
            log.error("processed %s but could not move it out of the inbox: %s",
                      outcome.path, exc)
            return outcome
        return replace(outcome, moved_to=moved)

    def _match(self, path: Path, engine: Engine) -> _Matched | Outcome:
        """Read and match one file; an Outcome if there is nothing to record."""
        started = time.perf_counter()
        try:
            st = path.lstat()
        except FileNotFoundError:
            return Outcome(path, "ignored", reason="gone before it could be read")
        if not stat.S_ISREG(st.st_mode):
            kind = "a symbolic link (never followed)" if stat.S_ISLNK(st.st_mode) else (
                "not a regular file")
            return Outcome(path, "skipped", reason=kind)
        if self.inbox.after == "keep" and self.store.file_unchanged(
                str(path), st.st_size, st.st_mtime_ns):
            return Outcome(path, "ignored", reason="already processed (after = keep)")
        try:
            article = read_article(path, max_bytes=int(self.inbox.max_size_mb * 1024 * 1024))
        except ArticleError as exc:
            if not path.exists():
                return Outcome(path, "ignored", reason="gone before it could be read")
            moved = self._quarantine(path, str(exc))
            return Outcome(path, "quarantined", reason=str(exc), moved_to=moved,
                           ms=(time.perf_counter() - started) * 1000)
        matches = engine.matcher.match(article)
        rules = engine.rules
        records = [(rules[m.rule], alert_record(article, m, rules[m.rule].description))
                   for m in matches]
        return _Matched(path, st, article, tuple(m.rule for m in matches), records,
                        time.perf_counter() - started)

    def _record(self, item: _Matched) -> Outcome:
        """Queue a matched file's alerts (past the flood guard) and record its article."""
        started = time.perf_counter()
        article = item.article
        alerts: list[QueuedAlert] = []
        for rule, record in item.records:
            targets = rule.notify if rule.notify is not None else self.channels
            queued = [QueuedAlert(rule=rule.id, channel=c, record=record) for c in targets]
            alerts.extend(self._flood_guard(rule, article.id, queued, targets))
        new = self.store.record_article(article.id, article.path, article.title, alerts)
        if self.inbox.after == "keep":
            self.store.remember_file(str(item.path), item.st.st_size, item.st.st_mtime_ns,
                                     article.id)
        return Outcome(item.path, "processed", article_id=article.id, rules=item.rules,
                       new_alerts=new,
                       ms=(item.seconds + time.perf_counter() - started) * 1000)

    def _flood_guard(self, rule: Rule, article_id: str, queued: list[QueuedAlert],
                     targets: list[str]) -> list[QueuedAlert]:
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
        log.warning("rule %s is over its limit of %d alerts per hour; holding back its alert "
                    "for article %s", rule.id, cap, article_id)
        held = [QueuedAlert(a.rule, a.channel, a.record, status="suppressed") for a in queued]
        return held + [QueuedAlert(rule.id, c, summary, article_id=summary["article"]["id"])
                       for c in targets]

    def _dispose(self, path: Path) -> Path | None:
        after = self.inbox.after
        if after == "keep":
            return None
        if after == "delete":
            path.unlink(missing_ok=True)
            return None
        folder = self.inbox.archive / date.today().isoformat()
        try:
            return move_out(path, folder)
        except FileNotFoundError:  # the day's folder, made on its first file
            folder.mkdir(parents=True, exist_ok=True)
            return move_out(path, folder)

    def _quarantine(self, path: Path, reason: str) -> Path | None:
        folder = self.inbox.quarantine
        folder.mkdir(parents=True, exist_ok=True)
        try:
            target = move_out(path, folder)
        except OSError as exc:
            log.error("cannot move %s to quarantine: %s", path, exc)
            return None
        Path(f"{target}.error.txt").write_text(
            f"{path}: {reason}\n", encoding="utf-8")
        return target
