"""A file channel that cannot write, in a running daemon (the daemon test of
tests/test_channels_hostile.py): the alert is a dead letter at once, not retried for ever, and
`monitor outbox --retry` sends it once the target is fixed."""

from __future__ import annotations

import time

from helpers.workspace import SEED, Workspace


def test_daemon_dead_letters_an_alert_its_file_channel_cannot_write(workspace: Workspace) -> None:
    workspace.start()
    (workspace.inbox / "first.txt").write_bytes(SEED.read_bytes())
    workspace.wait_for_alerts(1)
    # The target becomes a folder (works as root too, where permission bits do not).
    workspace.alerts.unlink()
    workspace.alerts.mkdir()
    (workspace.inbox / "second.txt").write_text(
        "NATO and South Korea talk ammunition\n\nNATO asked South Korea for ammunition.\n"
    )
    workspace.wait_for_log("failed permanently (dead letter)")
    time.sleep(2.5)  # what a retry with backoff would have taken
    assert "retrying" not in workspace.log()
    outbox = workspace.monitor("outbox")
    assert "[dead] nato-south-korea" in outbox.stdout, outbox.stdout
    assert f"cannot write {workspace.alerts}: Is a directory" in outbox.stdout
    assert "attempts=1" in outbox.stdout
    # Fixed by the admin, then sent on request.
    workspace.alerts.rmdir()
    assert "re-queued 1 dead alerts" in workspace.monitor("outbox", "--retry").stdout
    records = workspace.wait_for_alerts(1)
    assert records[0]["article"]["title"] == "NATO and South Korea talk ammunition"
    assert workspace.stop() == 0
