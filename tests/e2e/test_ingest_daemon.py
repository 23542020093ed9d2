"""The ingest API through a real `monitor run`: 202 only once committed, duplicates across a
restart, every status code, /healthz, and the token never in the log."""

from __future__ import annotations

import json
import signal
import socket
from typing import Any

import requests
from helpers.stories import filler
from helpers.workspace import Workspace

TOKEN = "s3cret-ingest-token-0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _article(i: int, **extra: Any) -> dict[str, Any]:
    return {
        "title": f"NATO and Seoul {i}",
        "body": f"NATO asked South Korea for weapons and ammunition. {filler(500 + i, 120)}",
        "url": f"https://example.org/{i}",
        **extra,
    }


def _start(ws: Workspace, **keys: Any) -> str:
    port = _free_port()
    lines = ["\n[sources.api]", 'type = "http"', f'listen = "127.0.0.1:{port}"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in keys.items()]
    ws.write_config(extra="\n".join(lines) + "\n")
    ws.start(env={"INGEST_TOKEN": TOKEN})
    return f"http://127.0.0.1:{port}"


def _post(base: str, body: Any, token: str | None = TOKEN, **kw: Any) -> requests.Response:
    headers = {"Content-Type": "application/json", **kw.pop("headers", {})}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(f"{base}/articles", data=data, headers=headers, timeout=30, **kw)


def test_post_commits_before_202_and_a_repeat_is_a_duplicate(workspace: Workspace) -> None:
    base = _start(workspace, token="${INGEST_TOKEN}")
    answer = _post(base, _article(1))
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["accepted"] == 1 and body["duplicates"] == 0 and len(body["ids"]) == 1
    # Committed before the 202: the alert is queued already, and delivered soon after.
    records = workspace.wait_for_alerts(1, timeout=10)
    assert records[0]["article"]["id"] == body["ids"][0]
    again = _post(base, _article(1)).json()
    assert again == {**again, "accepted": 0, "duplicates": 1, "ids": body["ids"]}
    batch = _post(base, [_article(2), _article(3), _article(2)]).json()
    assert batch["accepted"] == 2 and batch["duplicates"] == 1 and len(batch["ids"]) == 3
    workspace.wait_for_alerts(3, timeout=10)
    workspace.stop()
    base_after = base
    workspace.start(env={"INGEST_TOKEN": TOKEN})
    after = _post(base_after, _article(3)).json()
    assert after["accepted"] == 0 and after["duplicates"] == 1
    workspace.stop()
    assert len(workspace.alert_records()) == 3
    assert TOKEN not in workspace.log()
    out = workspace.monitor("sources", "--json", "--config", str(workspace.config), check=True)
    api = next(row for row in json.loads(out.stdout) if row["name"] == "api")
    assert api["type"] == "http" and api["entries_seen"] == 3


def test_every_refusal_has_its_status(workspace: Workspace) -> None:
    base = _start(workspace, token="${INGEST_TOKEN}", max_size_mb=0.01)
    assert _post(base, _article(1), token=None).status_code == 401
    assert _post(base, _article(1), token="wrong-token-wrong-token").status_code == 401
    big = _article(1, body="NATO " * 5000)
    assert _post(base, big).status_code == 413
    broken = _post(base, b'{"title": "x",')
    assert broken.status_code == 400 and "line" in broken.json()["error"]
    missing = _post(base, [_article(1), {"url": "https://example.org/"}])
    assert missing.status_code == 400 and "1" in missing.json()["error"]
    wrong_type = _post(base, b"title", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert requests.get(f"{base}/articles", headers=auth, timeout=10).status_code == 405
    assert requests.post(f"{base}/nothing", headers=auth, timeout=10).status_code == 404
    chunked = requests.post(
        f"{base}/articles",
        data=iter([json.dumps(_article(1)).encode()]),  # no length: sent chunked
        headers={**auth, "Content-Type": "application/json"},
        timeout=10,
    )
    assert chunked.status_code == 411
    health = requests.get(f"{base}/healthz", timeout=10)
    assert health.status_code == 200 and health.text.strip() == "ok"
    # Nothing was recorded by any of them.
    workspace.stop()
    assert workspace.alert_records() == []
    assert TOKEN not in workspace.log()


def test_ninjs_is_accepted(workspace: Workspace) -> None:
    base = _start(workspace, token="${INGEST_TOKEN}")
    ninjs = {
        "uri": "urn:newsml:example.org:1",
        "headline": "NATO and Seoul",
        "body_text": f"NATO asked South Korea for weapons and ammunition. {filler(900, 80)}",
        "versioncreated": "2026-11-30T10:00:00Z",
        "copyrightholder": "Example Wire",
    }
    answer = _post(base, ninjs)
    assert answer.status_code == 202, answer.text
    record = workspace.wait_for_alerts(1)[0]
    assert record["article"]["source"] == "Example Wire"
    workspace.stop()


def test_a_refused_reload_keeps_the_listener_whose_token_changed(workspace: Workspace) -> None:
    """A reload that changes a listener's token (same address: the old one is stopped so the
    new can bind) and adds a listener that cannot bind is refused; the old listener must
    still answer, not be left stopped."""
    base = _start(workspace, token="${INGEST_TOKEN}")
    listen = base.removeprefix("http://")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        workspace.write_config(
            extra=f'\n[sources.api]\ntype = "http"\nlisten = "{listen}"\n'
            f'token = "another-token-0123456789"\n'
            f'\n[sources.api2]\ntype = "http"\nlisten = "127.0.0.1:{busy}"\n'
        )
        assert workspace.proc is not None
        workspace.proc.send_signal(signal.SIGHUP)
        workspace.wait_for_log("reload refused", this_run=True)
    answer = _post(base, _article(1))
    assert answer.status_code == 202, answer.text
    workspace.stop()


def test_lone_surrogates_in_an_article_are_replaced_not_fatal(workspace: Workspace) -> None:
    """A `"\\ud800"` escape in the url, source or date of a posted article made recording it
    raise (UTF-8 cannot encode it): no 202, no alert, the same failure at every retry. Each
    is U+FFFD now, in every field, through the record, the console and the log."""
    port = _free_port()
    workspace.write_config(
        extra=f'\n[channels.console]\ntype = "console"\n\n[sources.api]\ntype = "http"\n'
        f'listen = "127.0.0.1:{port}"\n'
    )
    workspace.start()
    odd = {
        "title": "NATO and Seoul \ud800",
        "body": f"NATO asked South Korea for weapons \udc00. {filler(900, 120)}",
        "url": "https://example.org/\ud800",
        "source": "Wire \udbff",
        "published": "2024-01-02\ud800",
    }
    answer = _post(f"http://127.0.0.1:{port}", odd, token=None)
    assert answer.status_code == 202, answer.text
    [record] = workspace.wait_for_alerts(1, timeout=10)
    article = record["article"]
    assert article["title"] == "NATO and Seoul \ufffd"
    assert article["url"] == "https://example.org/\ufffd" and article["source"] == "Wire \ufffd"
    workspace.wait_for_log("ALERT [nato", timeout=10)
    workspace.stop()
    log = workspace.log()
    assert "NATO and Seoul \ufffd" in log and "Traceback" not in log
