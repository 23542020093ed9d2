"""The `apprise` channel in a running daemon (the daemon test of tests/test_apprise.py): an
alert reaches a real HTTP server on 127.0.0.1 (`json://` URLs) after a failed first try, and
the URL, a secret, is in neither the log nor the state."""

from __future__ import annotations

from helpers.apprise_shared import TOKEN, url_of

# A fixture: pytest finds it here once imported; `x as x` tells ruff it is not unused.
from helpers.apprise_shared import receiver as receiver
from helpers.slack_server import SlackServer, server_error
from helpers.workspace import SEED, Workspace


def test_the_daemon_delivers_an_apprise_alert_and_keeps_the_url_secret(
    workspace: Workspace, receiver: SlackServer
) -> None:
    workspace.write_config(extra='\n[channels.team]\ntype = "apprise"\nurls = ["${TEAM_URL}"]\n')
    receiver.script(server_error())  # the first try fails: the error is logged and stored
    workspace.start("--log-format", "plain", env={"TEAM_URL": url_of(receiver)})
    (workspace.inbox / "seed.txt").write_bytes(SEED.read_bytes())
    workspace.wait_until(lambda: len(receiver.received) == 2, timeout=20)
    assert receiver.received[1].json["title"].startswith("NATO chief urges S Korea")
    workspace.wait_until(lambda: "empty" in workspace.monitor("outbox").stdout)
    assert workspace.stop() == 0
    assert "urls[0] (JSON) failed" in workspace.log()
    assert TOKEN not in workspace.log()
    for path in (workspace.root / "state").iterdir():
        assert TOKEN.encode() not in path.read_bytes(), path
    outbox = workspace.monitor("outbox")  # run without TEAM_URL in its environment
    assert outbox.returncode == 0 and TOKEN not in outbox.stdout + outbox.stderr
