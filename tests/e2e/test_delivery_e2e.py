"""Delivery through the real daemon: Slack outages, SIGKILL, dead letters, secrets."""

from __future__ import annotations

import json
import os
import signal
import ssl
import time

import pytest
import trustme
from aiosmtpd.controller import Controller
from helpers.mail import HOST
from helpers.slack_server import SlackServer, invalid_payload, rate_limited, server_error
from helpers.stories import filler
from helpers.workspace import SEED, Workspace
from test_email import PASSWORD, USER, Recorder, authenticator, free_port

SECRET_TOKEN = "s3cr3tW3bh00kT0k3nXYZ"

SLACK_CHANNEL = """
[channels.newsroom]
type = "slack"
webhook_url = "${SLACK_WEBHOOK_URL}"
"""


def _article(i: int, title: str = "NATO urges S Korea to send ammunition") -> bytes:
    return (
        f"{title} ({i})\n\nNATO asked South Korea for weapons and ammunition. {filler(i)}\n"
    ).encode()


def _drop(ws: Workspace, name: str, data: bytes) -> None:
    tmp = ws.inbox / f".{name}.tmp"
    tmp.write_bytes(data)
    os.rename(tmp, ws.inbox / name)


def _wait(predicate: object, timeout: float, ws: Workspace) -> None:
    ws.wait_until(predicate, timeout=timeout)  # type: ignore[arg-type]


def _assert_no_secret(ws: Workspace) -> None:
    assert SECRET_TOKEN not in ws.log()
    for path in (ws.root / "state").iterdir():
        assert SECRET_TOKEN.encode() not in path.read_bytes(), path
    outbox = ws.monitor("outbox")
    assert SECRET_TOKEN not in outbox.stdout + outbox.stderr


def test_slack_down_sigkill_restart_delivers_each_alert_exactly_once(workspace: Workspace) -> None:
    with SlackServer() as slack:
        env = {"SLACK_WEBHOOK_URL": slack.url}
        workspace.write_config(extra=SLACK_CHANNEL)
        slack.script(*[server_error()] * 1000)  # Slack is down
        workspace.start(env=env)
        for i in range(4):
            _drop(workspace, f"a{i}.txt", _article(i))
        # The file channel is not held up by the failing Slack channel.
        workspace.wait_for_alerts(4)
        _wait(lambda: len(slack.received) >= 2, 10, workspace)
        assert workspace.proc is not None
        workspace.proc.kill()  # SIGKILL: no chance to flush anything
        workspace.proc.wait()
        assert "retrying in" in workspace.log()

        with slack._lock:
            slack._script.clear()  # Slack is back
        back = len(slack.received)
        workspace.start(env=env)
        _wait(lambda: len(slack.received) - back >= 4, 30, workspace)
        time.sleep(1.5)  # anything extra would arrive now
        delivered = [r.json["text"] for r in slack.received[back:]]
        assert sorted(delivered) == sorted(set(delivered)) and len(delivered) == 4
        assert len(workspace.alert_records()) == 4
        assert workspace.stop() == 0
        _assert_no_secret(workspace)


def test_permanent_failure_is_dead_lettered_listed_and_retried(workspace: Workspace) -> None:
    with SlackServer() as slack:
        env = {"SLACK_WEBHOOK_URL": slack.url}
        workspace.write_config(extra=SLACK_CHANNEL)
        slack.script(invalid_payload())
        workspace.start(env=env)
        _drop(workspace, "seed.txt", SEED.read_bytes())
        workspace.wait_for_log("failed permanently (dead letter)")
        listing = workspace.monitor("outbox")
        assert listing.returncode == 0
        assert "newsroom:" in listing.stdout
        assert "[dead] nato-south-korea" in listing.stdout
        assert "invalid_payload" in listing.stdout
        assert len(slack.received) == 1  # no blind retries of a 400

        retry = workspace.monitor("outbox", "--retry")
        assert "re-queued 1 dead alerts" in retry.stdout
        _wait(lambda: len(slack.received) == 2, 10, workspace)
        _wait(lambda: "empty" in workspace.monitor("outbox").stdout, 10, workspace)
        assert workspace.stop() == 0
        _assert_no_secret(workspace)


def test_429_retry_after_is_obeyed(workspace: Workspace) -> None:
    with SlackServer() as slack:
        workspace.write_config(extra=SLACK_CHANNEL)
        slack.script(rate_limited(2))
        workspace.start(env={"SLACK_WEBHOOK_URL": slack.url})
        _drop(workspace, "seed.txt", SEED.read_bytes())
        _wait(lambda: len(slack.received) == 2, 10, workspace)
        gap = slack.received[1].at - slack.received[0].at
        assert 1.9 <= gap < 4.0, gap
        assert workspace.stop() == 0


def test_article_text_cannot_ping_the_channel(workspace: Workspace) -> None:
    with SlackServer() as slack:
        workspace.write_config(extra=SLACK_CHANNEL)
        workspace.start(env={"SLACK_WEBHOOK_URL": slack.url})
        _drop(
            workspace,
            "evil.txt",
            _article(1, "<!channel> NATO <@U123> S Korea <https://evil.example|click> & more"),
        )
        _wait(lambda: len(slack.received) == 1, 10, workspace)
        payload = json.dumps(slack.received[0].json)
        for raw in ("<!channel>", "<@U123>", "<https://evil.example|click>"):
            assert raw not in payload
        assert "&lt;!channel&gt;" in payload
        assert slack.received[0].rejected is None
        assert workspace.stop(signal.SIGTERM) == 0


def test_email_over_starttls_with_login_retries_451_and_resists_header_injection(
    workspace: Workspace, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(HOST, "localhost").configure_cert(server_tls)
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    handler = Recorder()
    handler.data_reply = "451 4.3.0 try again later"
    port = free_port()
    controller = Controller(
        handler,
        hostname=HOST,
        port=port,
        ready_timeout=5,
        tls_context=server_tls,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
    )
    controller.start()
    try:
        workspace.write_config(
            extra=f"""
[channels.desk]
type = "email"
host = "{HOST}"
port = {port}
security = "starttls"
username = "{USER}"
password = "${{SMTP_PASSWORD}}"
from = "monitor@example.org"
to = ["desk@example.org"]
"""
        )
        # The daemon's default TLS context trusts the test CA through SSL_CERT_FILE.
        workspace.start(env={"SMTP_PASSWORD": PASSWORD, "SSL_CERT_FILE": str(ca_file)})
        _drop(
            workspace,
            "evil.txt",
            _article(7, "NATO S Korea\r\nBcc: victim@example.org\r\nX-Evil: 1"),
        )
        workspace.wait_for_log("retrying in")
        handler.data_reply = None
        workspace.wait_until(lambda: len(handler.received) == 1, timeout=15)
        got = handler.received[0]
        assert got.tls and got.user == USER
        assert got.rcpt_tos == ["desk@example.org"]
        msg = got.message()
        assert msg["Bcc"] is None and msg["X-Evil"] is None
        assert "\n" not in msg["Subject"].replace("\n ", " ").strip()
        assert workspace.stop() == 0
        assert PASSWORD not in workspace.log()
        for path in (workspace.root / "state").iterdir():
            assert PASSWORD.encode() not in path.read_bytes()
    finally:
        controller.stop()


def test_webhook_posts_the_signed_alert_record(workspace: Workspace) -> None:
    with SlackServer(validate=False, secret="hmac-key-123") as hook:
        workspace.write_config(
            extra="""
[channels.hook]
type = "webhook"
url = "${HOOK_URL}"
secret = "${WEBHOOK_SECRET}"
"""
        )
        workspace.start(
            env={"HOOK_URL": hook.url + "?token=" + SECRET_TOKEN, "WEBHOOK_SECRET": "hmac-key-123"}
        )
        _drop(workspace, "seed.txt", SEED.read_bytes())
        _wait(lambda: len(hook.received) == 1, 10, workspace)
        got = hook.received[0]
        assert got.signature_ok is True
        assert got.json["channel"] == "hook" and got.json["rule"] == "nato-south-korea"
        file_record = workspace.wait_for_alerts(1)[0]
        assert got.json["article"] == file_record["article"]
        assert got.json["hits"] == file_record["hits"]
        assert workspace.stop() == 0
        _assert_no_secret(workspace)
        assert "hmac-key-123" not in workspace.log()
