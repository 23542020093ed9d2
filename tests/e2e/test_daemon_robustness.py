"""An unattended daemon meets bad input and a changing file system, and carries on."""

from __future__ import annotations

import errno
import os
import shutil
import time
from pathlib import Path

from helpers.stories import other_story
from helpers.workspace import SEED, Workspace

from monitor.sources.disposal import move_out
from monitor.sources.watch import _watch_error


def _drop(ws: Workspace, name: str, data: bytes) -> None:
    tmp = ws.inbox / f".{name}.tmp"
    tmp.write_bytes(data)
    os.rename(tmp, ws.inbox / name)


def test_fifo_and_directory_in_the_inbox_are_left_alone(workspace: Workspace) -> None:
    workspace.start()
    os.mkfifo(workspace.inbox / "pipe.txt")
    fd = os.open(workspace.inbox / "pipe.txt", os.O_RDWR | os.O_NONBLOCK)
    os.write(fd, b"NATO South Korea weapons")
    os.close(fd)  # a close-after-write event for a FIFO
    (workspace.inbox / "folder.txt").mkdir()
    _drop(workspace, "seed.txt", SEED.read_bytes())
    workspace.wait_for_alerts(1)
    workspace.wait_for_log("pipe.txt: not a regular file")
    assert (workspace.inbox / "pipe.txt").exists() and (workspace.inbox / "folder.txt").is_dir()
    assert workspace.stop() == 0


def test_file_over_the_size_cap_is_quarantined(workspace: Workspace) -> None:
    text = workspace.config.read_text("utf-8").replace(
        "rescan_seconds = 30", "rescan_seconds = 30\nmax_size_mb = 0.001"
    )
    workspace.config.write_text(text, "utf-8")
    workspace.start()
    _drop(workspace, "big.txt", SEED.read_bytes())  # 3 KB > 1 KB (0.001 MB)
    reason = workspace.root / "quarantine" / "big.txt.error.txt"
    workspace.wait_until(reason.exists)
    assert "larger than the size cap (1,048 bytes)" in reason.read_text("utf-8")
    _drop(
        workspace,
        "small.txt",
        b"NATO and South Korea\n\nNATO urged South Korea to send ammunition.",
    )
    workspace.wait_for_alerts(1)
    assert workspace.stop() == 0


def test_legacy_encoding_is_decoded_not_quarantined(workspace: Workspace) -> None:
    workspace.start()
    text = (
        "NATO and South Korea \u201ctalk\u201d\n\nNATO urged S\u00fcd... South Korea on ammunition."
    )
    _drop(workspace, "wire.txt", text.encode("cp1252"))
    records = workspace.wait_for_alerts(1)
    assert records[0]["article"]["title"] == "NATO and South Korea \u201ctalk\u201d"
    assert not (workspace.root / "quarantine").exists()
    assert workspace.stop() == 0


def test_odd_file_names(workspace: Workspace) -> None:
    workspace.start()
    name = "Zürich nöte — 'quoted' $HOME;rm -rf.txt"
    _drop(workspace, name, SEED.read_bytes())
    records = workspace.wait_for_alerts(1)
    assert records[0]["article"]["path"] == str(workspace.inbox / name)
    assert workspace.stop() == 0


def test_inbox_deleted_while_running_is_recreated_and_watched(workspace: Workspace) -> None:
    workspace.start()
    shutil.rmtree(workspace.inbox)
    workspace.wait_for_log("re-creating and watching it again", timeout=15)
    workspace.wait_until(workspace.inbox.is_dir)
    time.sleep(0.5)
    _drop(workspace, "seed.txt", SEED.read_bytes())
    workspace.wait_for_alerts(1, timeout=15)
    assert workspace.stop() == 0


def test_polling_observer_for_network_file_systems(workspace: Workspace) -> None:
    text = workspace.config.read_text("utf-8").replace(
        "rescan_seconds = 30", "rescan_seconds = 30\npoll = true"
    )
    workspace.config.write_text(text, "utf-8")
    workspace.start()
    _drop(workspace, "seed.txt", SEED.read_bytes())
    workspace.wait_for_alerts(1, timeout=10)
    assert workspace.stop() == 0


def test_inotify_limits_are_explained() -> None:
    root = Path("/srv/inbox")
    watches = str(_watch_error(root, OSError(errno.ENOSPC, "No space left on device")))
    assert "fs.inotify.max_user_watches" in watches and "poll = true" in watches
    instances = str(_watch_error(root, OSError(errno.EMFILE, "Too many open files")))
    assert "fs.inotify.max_user_instances" in instances


def test_binary_and_truncated_input_is_quarantined_with_reasons(workspace: Workspace) -> None:
    workspace.start()
    _drop(workspace, "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    _drop(workspace, "cut.json", b'{"headline": "NATO and S Korea", "body_text": "NATO urg')
    _drop(workspace, "seed.txt", SEED.read_bytes())
    workspace.wait_for_alerts(1)
    quarantine = workspace.root / "quarantine"
    workspace.wait_until(lambda: (quarantine / "cut.json.error.txt").exists())
    workspace.wait_until(lambda: (quarantine / "photo.txt.error.txt").exists())
    assert "PNG" in (quarantine / "photo.txt.error.txt").read_text("utf-8")
    assert "line 1" in (quarantine / "cut.json.error.txt").read_text("utf-8")
    assert workspace.stop() == 0


def test_move_out_never_overwrites_a_name_taken_in_the_archive(tmp_path: Path) -> None:
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    inbox.mkdir()
    archive.mkdir()
    (archive / "a.txt").write_text("first")
    (archive / "a.1.txt").symlink_to(tmp_path / "nowhere")  # taken, even if dangling
    (inbox / "a.txt").write_text("second")
    assert move_out(inbox / "a.txt", archive) == archive / "a.2.txt"
    assert (archive / "a.txt").read_text() == "first"
    assert (archive / "a.2.txt").read_text() == "second"
    assert not (inbox / "a.txt").exists()


def test_file_in_a_new_subfolder_is_seen_by_its_event(workspace: Workspace) -> None:
    """inotify is asked for few events; new folders must still be watched (not rescan)."""
    workspace.start()
    (workspace.inbox / "wire").mkdir()
    time.sleep(0.3)
    data = SEED.read_bytes()
    tmp = workspace.inbox / "wire" / ".seed.tmp"
    tmp.write_bytes(data)
    os.rename(tmp, workspace.inbox / "wire" / "seed.txt")
    workspace.wait_for_alerts(1, timeout=5)  # rescan_seconds is 30
    with (workspace.inbox / "wire" / "in-place.txt").open("wb") as fh:  # close after write
        fh.write(other_story(1))  # another story, so that it alerts too
    workspace.wait_for_alerts(2, timeout=5)
    assert workspace.stop() == 0


def test_a_storm_of_sighups_neither_wedges_nor_kills_the_daemon(workspace: Workspace) -> None:
    """1,000 SIGHUPs in a row deadlocked the main thread about one run in six: the handler's
    Event.set() was interrupted by the next signal, whose handler waited on the same lock,
    and then SIGTERM could not stop it either (review of issue 12). Handlers only note."""
    import signal

    workspace.start()
    workspace.wait_for_log("watching")
    assert workspace.proc is not None
    for _ in range(5):
        for _ in range(1000):
            os.kill(workspace.proc.pid, signal.SIGHUP)
        time.sleep(0.2)
    _drop(workspace, "seed.txt", SEED.read_bytes())
    workspace.wait_for_alerts(1, timeout=30)
    assert workspace.stop() == 0
