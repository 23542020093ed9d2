"""Shared fixtures, and the `e2e` marker for everything under tests/e2e/.

The helpers themselves live in tests/helpers/ (`from helpers.workspace import Workspace`), so
no test imports this file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers.pgserver import PgServer, running
from helpers.workspace import Workspace

if TYPE_CHECKING:
    # Imported where used: Selenium takes 0.3 s to import, which a run of unit tests alone
    # need not pay.
    from helpers.browser import Browser

E2E = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e/ (the ones that run a real daemon) as `e2e`, so that
    `pytest -m "not e2e"` is the fast suite without a marker to forget in each file."""
    for item in items:
        if item.path.is_relative_to(E2E):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace(tmp_path)
    yield ws
    if ws.proc is not None and ws.proc.poll() is None:
        ws.proc.kill()
        ws.proc.wait()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throwaway PostgreSQL server for the session (per test worker), started on first
    use: the suites that need none never pay for it."""
    with running() as server:
        yield server


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A URL to a new, empty database of the session's server, dropped afterwards."""
    name = pg_server.create_db()
    yield pg_server.url(name)
    pg_server.drop_db(name)


@pytest.fixture(scope="module")
def browser_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One headless Chromium per test module (starting one takes about a second); tests
    take it through `browser`. Fails, never skips, without Chromium: `make test` installs it
    (tools/ensure_chromium.sh)."""
    from helpers.browser import missing, start_browser

    why = missing()
    if why:
        pytest.fail(why, pytrace=False)
    started = start_browser(tmp_path_factory.mktemp("browser"))
    yield started
    started.quit()


@pytest.fixture
def browser(browser_module: Browser, tmp_path: Path) -> Browser:
    """The module's browser as new: a blank page, no cookies, no open alert, the desktop
    size, an empty console; `screenshot_for_docs` writes into this test's tmp_path."""
    browser_module.reset()
    browser_module.tmp_path = tmp_path
    return browser_module
