"""What tests/test_apprise.py and tests/e2e/test_apprise_daemon.py share: the fake receiver
(a `receiver` fixture, imported into both modules) and the `json://` URL that points at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from helpers.slack_server import DEFAULT_PATH, SlackServer

TOKEN = DEFAULT_PATH.rsplit("/", 1)[1]  # the secret part of every URL here


@pytest.fixture
def receiver() -> Iterator[SlackServer]:
    with SlackServer(validate=False) as server:
        yield server


def url_of(server: SlackServer, auth: str = "") -> str:
    return f"json://{auth}127.0.0.1:{server.port}{DEFAULT_PATH}"
