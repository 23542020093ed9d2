"""The ingest source between its listener and the loop: a POST's answer waits for the
commit (`finished`), duplicates, a timeout and a stop answered 503, a failed item too."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from monitor.articles import Article
from monitor.channels.file import FileChannelConfig
from monitor.config import HttpSourceConfig
from monitor.engine import load_engine
from monitor.pipeline import Pipeline
from monitor.sources.base import Item, Outcome
from monitor.sources.ingest import IngestSource
from monitor.sources.ingest_http import SubmitResult, SubmitUnavailable
from monitor.state import open_store


def _source(tmp_path: Path, wait: float = 5.0) -> IngestSource:
    conf = HttpSourceConfig.model_construct(
        type="http", listen="127.0.0.1:0", token=None, max_size_mb=None
    )
    store = open_store(tmp_path / "state")
    return IngestSource("api", conf, 1 << 20, store, lambda: True, wait_seconds=wait)


def _article(i: int) -> Article:
    return Article.create(f"ingest:api/{i}", f"Title {i}", f"Body {i}")


def _submit_in_thread(
    source: IngestSource, articles: list[Article]
) -> tuple[threading.Thread, list[SubmitResult | BaseException]]:
    out: list[SubmitResult | BaseException] = []

    def run() -> None:
        try:
            out.append(source.submit(articles))
        except BaseException as exc:
            out.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def _take(source: IngestSource, count: int) -> list[Item]:
    items: list[Item] = []
    deadline = time.monotonic() + 5
    while len(items) < count and time.monotonic() < deadline:
        items += source.take(0, 100)
        time.sleep(0.01)
    assert len(items) == count
    return items


def test_the_answer_waits_for_every_article_to_finish(tmp_path: Path) -> None:
    source = _source(tmp_path)
    articles = [_article(1), _article(2), _article(1)]
    thread, out = _submit_in_thread(source, articles)
    items = _take(source, 2)  # the repeat within the request is not queued
    source.finished([Outcome(items[0], "processed")])
    time.sleep(0.2)
    assert out == []  # one article still on its way: no answer yet
    source.finished([Outcome(items[1], "ignored")])
    thread.join(5)
    result = out[0]
    assert isinstance(result, SubmitResult)
    assert (result.accepted, result.duplicates) == (1, 2)
    assert result.ids == [a.id for a in articles]
    assert source.store.source_states()["api"].last_new is not None


def test_a_rejected_article_is_listed(tmp_path: Path) -> None:
    source = _source(tmp_path)
    thread, out = _submit_in_thread(source, [_article(1)])
    (item,) = _take(source, 1)
    source.finished([Outcome(item, "quarantined", reason="took too long")])
    thread.join(5)
    result = out[0]
    assert isinstance(result, SubmitResult)
    assert result.accepted == 0 and result.rejected == {item.key: "took too long"}


def test_a_failed_article_asks_for_a_retry(tmp_path: Path) -> None:
    source = _source(tmp_path)
    thread, out = _submit_in_thread(source, [_article(1)])
    (item,) = _take(source, 1)
    source.finished([Outcome(item, "skipped", reason="failed")])
    thread.join(5)
    assert isinstance(out[0], SubmitUnavailable)


def test_no_commit_in_time_is_a_503(tmp_path: Path) -> None:
    source = _source(tmp_path, wait=0.3)
    thread, out = _submit_in_thread(source, [_article(1)])
    thread.join(5)
    assert isinstance(out[0], SubmitUnavailable) and "not committed in time" in str(out[0])


def test_stopping_answers_the_waiting_clients(tmp_path: Path) -> None:
    source = _source(tmp_path, wait=30)
    source.start()
    thread, out = _submit_in_thread(source, [_article(1)])
    _take(source, 1)
    started = time.monotonic()
    source.stop()
    thread.join(5)
    assert time.monotonic() - started < 3
    assert isinstance(out[0], SubmitUnavailable)
    # The client is told why: not a commit that took too long (review: a POST during a
    # SIGTERM was answered "not committed in time").
    assert "stopping" in out[0].reason
    with pytest.raises(SubmitUnavailable):
        source.submit([_article(2)])


def test_one_article_in_two_concurrent_posts_is_accepted_once(tmp_path: Path) -> None:
    """Two clients post the same article at once: both copies reach the loop in one batch
    and both passed the 'already handled?' check before either was recorded. The second
    must be a duplicate, in the database and in its client's answer, not accepted twice."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.yaml").write_text(
        "rules:\n  - id: nato\n    entities: [NATO]\n", encoding="utf-8"
    )
    engine, _ = load_engine(tmp_path / "rules", ["log"])
    source = _source(tmp_path)
    pipeline = Pipeline(
        source.store, engine, {"log": FileChannelConfig(type="file", path=tmp_path / "a.jsonl")}
    )
    article = Article.create("ingest:api/1", "NATO meets", "NATO met today.")
    first, out_first = _submit_in_thread(source, [article])
    second, out_second = _submit_in_thread(source, [article])
    items = _take(source, 2)
    outcomes = pipeline.process_batch(source, items, done=source.finished)
    assert [o.status for o in outcomes] == ["processed", "ignored"]
    first.join(5)
    second.join(5)
    answers = [out_first[0], out_second[0]]
    assert all(isinstance(a, SubmitResult) for a in answers)
    counts = sorted((a.accepted, a.duplicates) for a in answers if isinstance(a, SubmitResult))
    assert counts == [(0, 1), (1, 0)]
    assert len(source.store.pending()) == 1
    source.store.close()
