"""The folder source on its own: the archive name an alert gives is the one the file gets."""

from __future__ import annotations

import datetime
import json
import logging
import os
from pathlib import Path

import pytest

from monitor.channels.file import FileChannelConfig
from monitor.config import InboxConfig
from monitor.engine import load_engine
from monitor.pipeline import Pipeline
from monitor.sources import FolderSource
from monitor.state import open_store

RULE = "rules:\n  - id: nato\n    entities: [NATO]\n"


def test_a_retried_move_keeps_the_archive_name_its_alerts_give(tmp_path: Path) -> None:
    """A file whose move failed was archived, on the retry, under whatever name was free by
    then, while a later file of the same name took the name the first one's alerts gave
    (review of issue 12): each alert must name its own file."""
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    (inbox / "a").mkdir(parents=True)
    (inbox / "b").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.yaml").write_text(RULE, encoding="utf-8")
    engine, _ = load_engine(tmp_path / "rules", ["log"])
    store = open_store(tmp_path / "state")
    pipeline = Pipeline(
        store, engine, {"log": FileChannelConfig(type="file", path=tmp_path / "a.jsonl")}
    )
    source = FolderSource(InboxConfig(path=inbox, archive=archive, quarantine=tmp_path / "q"))
    day = archive / datetime.date.today().isoformat()
    archive.mkdir()
    day.write_text("in the way")  # the day's folder cannot be made: the first move fails
    (inbox / "a" / "same.txt").write_text("NATO first\n\nNATO story A.\n", encoding="utf-8")
    [first] = pipeline.process_batch(source, [source.item(inbox / "a" / "same.txt")])
    assert first.status == "processed" and first.moved_to is None
    day.unlink()
    (inbox / "b" / "same.txt").write_text("NATO second\n\nNATO story B.\n", encoding="utf-8")
    [second] = pipeline.process_batch(source, [source.item(inbox / "b" / "same.txt")])
    for later in source._later.values():  # the retry is due now
        later.next_at = 0.0
    [retried] = pipeline.process_batch(source, [source.item(inbox / "a" / "same.txt")])
    assert retried.reason == "moved out at last"
    for outcome, title in ((retried, "NATO first"), (second, "NATO second")):
        assert outcome.moved_to is not None
        assert Path(outcome.moved_to).read_text("utf-8").startswith(title)
    records = {r.record["article"]["title"]: r.record["article"] for r in store.pending()}
    assert records["NATO first"]["archived"] == retried.moved_to
    assert records["NATO second"]["archived"] == second.moved_to
    assert retried.moved_to != second.moved_to
    assert json.dumps(records)  # the records are plain JSON
    store.close()


def test_files_queued_from_an_old_inbox_are_dropped_with_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Changing `[inbox] path` with 2,000 files queued logged 2,000 'skipped ... no longer in
    the inbox' warnings (review of issue 12)."""
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    config = InboxConfig(path=old, archive=tmp_path / "archive", quarantine=tmp_path / "q")
    source = FolderSource(config)
    for i in range(50):
        (old / f"{i}.txt").write_text("x", encoding="utf-8")
        source.work.put(old / f"{i}.txt")
    source._watcher = source._watch(config)
    try:
        with caplog.at_level(logging.WARNING):
            source.reconfigure(config.model_copy(update={"path": new}))
        assert source.take(0.05, 100) == []
        assert caplog.text.count("files queued from the old inbox") == 1
        assert "50 files queued" in caplog.text
    finally:
        source.stop()


def test_a_move_cut_short_by_a_kill_is_finished_not_copied_again(tmp_path: Path) -> None:
    """kill -9 between the link into the archive and the unlink from the inbox left the file
    under both names; on restart it was archived again as `a-1.txt` (CI, issue 13)."""
    from monitor.sources.disposal import move_out

    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    inbox.mkdir()
    archive.mkdir()
    (inbox / "a.txt").write_text("NATO")
    os.link(inbox / "a.txt", archive / "a.txt")  # the link made, the process killed
    assert move_out(inbox / "a.txt", archive) == archive / "a.txt"
    assert sorted(os.listdir(archive)) == ["a.txt"] and not os.listdir(inbox)
    (inbox / "a.txt").write_text("another file of the same name")
    assert move_out(inbox / "a.txt", archive) == archive / "a.1.txt"


def test_a_file_renamed_over_one_being_moved_out_is_not_deleted(tmp_path: Path) -> None:
    """Between the link into the archive (or quarantine) and the unlink from the inbox, a
    writer renamed a new file over the name: the unlink deleted the new file unread (CI,
    issue 13: the second of two empty files of one name was never quarantined)."""
    from monitor.sources import disposal

    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    inbox.mkdir()
    archive.mkdir()
    (inbox / "a.txt").write_text("first")
    real = disposal._link_or_copy

    def link_then_replace(src: Path | str, target: Path, src_dir: int | None) -> bool:
        done = real(src, target, src_dir)
        (inbox / ".new.tmp").write_text("second")
        os.rename(inbox / ".new.tmp", inbox / "a.txt")  # the writer's rename, just then
        return done

    disposal._link_or_copy = link_then_replace
    try:
        assert disposal.move_out(inbox / "a.txt", archive) == archive / "a.txt"
        assert (inbox / "a.txt").read_text() == "second"  # still there, to be read
        assert (archive / "a.txt").read_text() == "first"
        (tmp_path / "q").mkdir()
        moved = disposal.quarantine_file(inbox / "a.txt", tmp_path / "q", "empty")
        assert moved.read_text() == "second" and (inbox / "a.txt").read_text() == "second"
    finally:
        disposal._link_or_copy = real


def test_a_file_killed_between_link_and_unlink_is_archived_once(tmp_path: Path) -> None:
    """After a kill -9 between the link into the archive and the unlink, the restarted
    daemon read the file again and planned the next free name: `a.txt` and `a.1.txt` in
    the archive (CI: 501 archive names for 500 files)."""
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    inbox.mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.yaml").write_text(RULE, encoding="utf-8")
    engine, _ = load_engine(tmp_path / "rules", ["log"])
    store = open_store(tmp_path / "state")
    pipeline = Pipeline(
        store, engine, {"log": FileChannelConfig(type="file", path=tmp_path / "a.jsonl")}
    )
    source = FolderSource(InboxConfig(path=inbox, archive=archive, quarantine=tmp_path / "q"))
    day = archive / datetime.date.today().isoformat()
    day.mkdir(parents=True)
    (inbox / "a.txt").write_text("NATO story\n\nNATO met.\n", encoding="utf-8")
    os.link(inbox / "a.txt", day / "a.txt")  # the first run's link; then the kill
    [outcome] = pipeline.process_batch(source, [source.item(inbox / "a.txt")])
    assert outcome.status == "processed" and outcome.moved_to == str(day / "a.txt")
    assert os.listdir(day) == ["a.txt"] and not os.listdir(inbox)
    store.close()
