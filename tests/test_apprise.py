"""The `apprise` channel, against a real HTTP server on 127.0.0.1 (`json://` URLs).

The daemon delivering through it is tested in tests/e2e/test_apprise_daemon.py.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from helpers.apprise_shared import TOKEN, url_of

# A fixture: pytest finds it here once imported; `x as x` tells ruff it is not unused.
from helpers.apprise_shared import receiver as receiver
from helpers.records import typed
from helpers.slack_server import DEFAULT_PATH, Reply, SlackServer, hang, server_error
from helpers.workspace import Workspace

from monitor.channels.apprise import AppriseChannel
from monitor.config import load_config
from monitor.errors import ConfigError, DeliveryError

RECORD = {
    "rule": "nato-south-korea",
    "channel": "team",
    "description": "NATO engages South Korea",
    "article": {"id": "0123456789abcdef", "title": "NATO chief urges S Korea", "path": "/in/x.txt"},
    "hits": [{"term": "NATO", "text": "NATO", "field": "title", "start": 0, "end": 4}],
    "sent_at": "2023-01-30T10:00:01Z",
}


def test_an_alert_arrives_with_the_headline_and_the_text_body(receiver: SlackServer) -> None:
    AppriseChannel("team", [url_of(receiver)]).send(typed(RECORD))
    [got] = receiver.received
    assert got.path == DEFAULT_PATH
    assert got.json["title"] == "NATO chief urges S Korea"
    assert "Rule: nato-south-korea" in got.json["message"]
    assert 'Matched: "NATO" (NATO, title)' in got.json["message"]


def test_a_500_is_retried_and_a_404_is_a_dead_letter_never_with_the_url(
    receiver: SlackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    channel = AppriseChannel("team", [url_of(receiver, f"user:{TOKEN}x@")])
    receiver.script(server_error(), Reply(404, f"no such hook {DEFAULT_PATH}"))
    with pytest.raises(DeliveryError) as err:
        channel.send(typed(RECORD))
    assert not err.value.permanent and "urls[0] (JSON) failed" in str(err.value)
    assert "500" in str(err.value)
    with pytest.raises(DeliveryError) as err:
        channel.send(typed(RECORD))
    assert err.value.permanent and "404" in str(err.value)
    for text in (str(err.value), caplog.text):
        assert TOKEN not in text and "127.0.0.1" not in text


def test_a_retry_after_a_partial_failure_goes_only_to_the_urls_that_missed_it(
    receiver: SlackServer,
) -> None:
    with SlackServer(validate=False) as second:
        second.script(server_error())
        channel = AppriseChannel("team", [url_of(receiver), url_of(second)])
        with pytest.raises(DeliveryError, match=r"urls\[1\] \(JSON\) failed"):
            channel.send(typed(RECORD))
        channel.send(typed(RECORD))
        assert len(receiver.received) == 1 and len(second.received) == 2


def test_a_stuck_send_is_cut_off_at_the_total_time_limit(receiver: SlackServer) -> None:
    receiver.script(hang(3.0))
    channel = AppriseChannel("team", [url_of(receiver)], total_timeout=1.0)
    started = time.monotonic()
    with pytest.raises(DeliveryError, match="within 1 s") as err:
        channel.send(typed(RECORD))
    assert time.monotonic() - started < 2.5 and not err.value.permanent
    with pytest.raises(DeliveryError, match="previous send is still running"):
        channel.send(typed(RECORD))  # no second send piles up behind the stuck one


def _config(tmp_path: Path, urls: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[channels.team]\ntype = "apprise"\nurls = {urls}\n', encoding="utf-8")
    return path


def test_urls_are_checked_with_the_config_without_echoing_them(tmp_path: Path) -> None:
    path = _config(tmp_path, f'["json://127.0.0.1/{TOKEN}", "nosuch://{TOKEN}@x/y"]')
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    [problem] = err.value.problems
    assert problem.startswith(f"{path}:3: [channels.team] urls[1]: not an Apprise URL")
    assert TOKEN not in problem
    with pytest.raises(ConfigError, match="at least 1 item"):
        load_config(_config(tmp_path, "[]"), env={})
    # A URL from an unset variable is unknown until run time: not judged, only listed.
    config = load_config(_config(tmp_path, '["${TEAM_URL}"]'), env={}, strict_env=False)
    assert [v.name for v in config.unset] == ["TEAM_URL"]


def test_check_reports_a_bad_url_with_file_line(workspace: Workspace) -> None:
    workspace.write_config(
        extra=f'\n[channels.team]\ntype = "apprise"\nurls = ["tgram://{TOKEN}"]\n'
    )
    result = workspace.monitor("check")
    assert result.returncode == 1
    assert "config.toml:20: [channels.team] urls[0]: not an Apprise URL" in result.stdout
    assert TOKEN not in result.stdout + result.stderr
