"""Configs that used to pass `monitor check` and then misbehave, refused or warned about.

Each test runs the real `monitor check`: folders that overlap the inbox, `[metrics] listen`
values `bind` would refuse, SMTP AUTH in cleartext to another machine, and a file channel whose
file cannot be written. The tests that also run `monitor run` (refused, or the daemon started)
are in tests/e2e/test_config_hostile_daemon.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.config_hostile_shared import EMAIL, SHOWN, _config, _line, _refused
from helpers.workspace import Workspace

from monitor.config import load_config, parse_listen
from monitor.errors import ConfigError


# -- folders overlapping the inbox ------------------------------------------------------------
def test_a_symlink_to_the_inbox_is_the_inbox(workspace: Workspace) -> None:
    (workspace.root / "inbox").mkdir()
    (workspace.root / "q").symlink_to(workspace.root / "inbox")
    _config(workspace, inbox='[inbox]\npath = "inbox"\nquarantine = "q"\n')
    check = workspace.monitor("check")
    assert check.returncode == 1
    assert f"{SHOWN}:3: [inbox] quarantine and [inbox] path are the same folder" in check.stdout


def test_archive_and_quarantine_may_share_or_nest(workspace: Workspace) -> None:
    _config(workspace, inbox='[inbox]\npath = "inbox"\narchive = "done"\nquarantine = "done"\n')
    assert workspace.monitor("check").returncode == 0
    _config(workspace, inbox='[inbox]\npath = "inbox"\narchive = "q/ok"\nquarantine = "q"\n')
    assert workspace.monitor("check").returncode == 0


def test_archive_is_not_checked_when_unused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[inbox]\nafter = "delete"\narchive = "inbox/a"\n', encoding="utf-8")
    load_config(path, env={})  # no error: nothing is ever archived
    path.write_text('[inbox]\narchive = "inbox/a"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config.toml:2: \[inbox\] archive"):
        load_config(path, env={})


# -- [metrics] listen -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("listen", "why"),
    [
        ("127.0.0.1:99999", "port 99999 is out of range (1-65535)"),
        ("127.0.0.1:0", "port 0 is out of range"),
        ("::1:9464", "write an IPv6 address in brackets"),
        ("[not-v6]:9464", "is not an IPv6 address"),
        ("[::1]9464", "is not HOST:PORT"),
        ("bad host:9464", "is not a host name or IPv4 address"),
    ],
)
def test_bad_listen_fails_check(workspace: Workspace, listen: str, why: str) -> None:
    _config(workspace, metrics=f'[metrics]\nlisten = "{listen}"\n')
    check = workspace.monitor("check")
    assert check.returncode == 1
    line = _line(workspace, "listen =")
    assert f"{SHOWN}:{line}: `metrics.listen`: " in check.stdout
    assert why in check.stdout
    assert "Value error" not in check.stdout


def test_good_listen_values() -> None:
    assert parse_listen("127.0.0.1:9464") == ("127.0.0.1", 9464)
    assert parse_listen("localhost:1") == ("localhost", 1)
    assert parse_listen("[::1]:65535") == ("::1", 65535)
    assert parse_listen("[::]:9464") == ("::", 9464)


# -- cleartext SMTP AUTH ----------------------------------------------------------------------
@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1"])
def test_cleartext_auth_to_this_machine_is_fine(workspace: Workspace, host: str) -> None:
    _config(workspace, channels=EMAIL.format(host=host).replace("${SMTP_PASSWORD}", "pw"))
    check = workspace.monitor("check")
    assert check.returncode == 0
    assert "warning" not in check.stdout


# -- file channels that cannot write ----------------------------------------------------------
def test_file_channel_in_a_read_only_folder_fails_check(workspace: Workspace) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into a chmod 0555 folder; see the ENOTDIR test")
    etc = workspace.root / "etc"
    etc.mkdir()
    _config(workspace, channels='[channels.log]\ntype = "file"\npath = "etc/alerts.jsonl"\n')
    etc.chmod(0o555)
    try:
        check = workspace.monitor("check")
    finally:
        etc.chmod(0o755)
    assert check.returncode == 1
    line = _line(workspace, 'path = "etc/alerts.jsonl"')
    assert (
        f"{SHOWN}:{line}: [channels.log] path {etc / 'alerts.jsonl'}: cannot write: "
        "Permission denied; give an absolute path"
    ) in check.stdout
    assert not (etc / "alerts.jsonl").exists()


def test_file_channel_through_a_regular_file_fails_check(workspace: Workspace) -> None:
    """Runs as root too: no permission bit stops root, but a file is never a folder."""
    (workspace.root / "etc").write_text("not a folder\n", encoding="utf-8")
    (workspace.root / "logs").mkdir()
    _config(
        workspace,
        channels='[channels.log]\ntype = "file"\npath = "etc/log/a.jsonl"\n'
        '[channels.dir]\ntype = "file"\npath = "logs"\n',
    )
    check = workspace.monitor("check")
    assert check.returncode == 1
    line = _line(workspace, 'path = "etc/log/a.jsonl"')
    assert (
        f"{SHOWN}:{line}: [channels.log] path {workspace.root / 'etc/log/a.jsonl'}: "
        "cannot write: Not a directory;"
    ) in check.stdout
    line = _line(workspace, 'path = "logs"')
    assert (
        f"{SHOWN}:{line}: [channels.dir] path {workspace.root / 'logs'}: "
        "cannot write: Is a directory;"
    ) in check.stdout
    assert "and run check as that user" in check.stdout


def test_check_creates_no_file(workspace: Workspace) -> None:
    """check may run as root: a file it created would be root's and unwritable to the daemon."""
    _config(workspace, channels='[channels.log]\ntype = "file"\npath = "out/a.jsonl"\n')
    check = workspace.monitor("check")
    assert check.returncode == 0, check.stdout
    assert not (workspace.root / "out").exists()


# -- the config file itself: nested too deeply, not UTF-8, a FIFO, huge ----------------------
def test_config_that_is_a_fifo_is_refused_without_blocking(workspace: Workspace) -> None:
    workspace.config.unlink()
    os.mkfifo(workspace.config)
    result = workspace.monitor("check", "--config", SHOWN)  # 60 s timeout: would hang
    assert result.returncode == 1
    assert "config.toml:1: cannot read config: not a regular file" in result.stdout


def test_config_with_a_byte_order_mark_is_read(workspace: Workspace) -> None:
    workspace.config.write_bytes(b"\xef\xbb\xbf" + workspace.config.read_bytes())
    result = workspace.monitor("check", "--config", SHOWN)
    assert result.returncode == 0, result.stdout


# -- found by an outside review: passed check, then crashed or misbehaved at run ------------
def test_check_prints_each_rule_problem_as_one_harmless_line(workspace: Workspace) -> None:
    """An entity name with ESC ] 0 ; TITLE BEL (retitles the terminal), U+202E and a newline
    came out raw: a forged `ALERT` line. Each problem is one line, its oddities escaped."""
    hostile = "Nope\\x1b]0;TITLE\\x07\\u202e\\nALERT [fake] forged"
    (workspace.rules / "evil.yaml").write_text(
        f'rules:\n  - id: evil\n    entities: ["{hostile}"]\n', encoding="utf-8"
    )
    check = _refused(workspace, "check")
    assert check.returncode == 1
    problems = [line for line in check.stdout.splitlines() if "evil.yaml" in line]
    assert len(problems) == 1, check.stdout
    assert problems[0].startswith("rules/evil.yaml:3: ") or problems[0].startswith(
        f"{workspace.rules / 'evil.yaml'}:3: "
    ), problems
    assert "Nope\\x1b]0;TITLE\\x07\\u202e\\nALERT [fake] forged" in problems[0]
    assert not any(line.startswith("ALERT") for line in check.stdout.splitlines())
    assert "\x1b" not in check.stdout and "\x07" not in check.stdout
    assert "\u202e" not in check.stdout


def test_outbox_escapes_a_channel_name(workspace: Workspace) -> None:
    """A channel's name is a TOML key, which may hold anything once quoted."""
    from monitor.state import QueuedAlert, open_store

    name = "desk\x1b]0;TITLE\x07\u202e"
    _config(
        workspace, channels='[channels."desk\\u001b]0;TITLE\\u0007\\u202e"]\ntype = "console"\n'
    )
    store = open_store(workspace.root / "state")
    try:
        store.record_article(
            "a1",
            "/in/x",
            "T",
            [
                QueuedAlert(
                    "r1",
                    name,
                    {
                        "rule": "r1",
                        "article": {"id": "a1", "title": "T", "path": "/in/x"},
                        "hits": [],
                    },
                )
            ],
        )
    finally:
        store.close()
    out = workspace.monitor("outbox")
    assert out.returncode == 0, out.stderr
    assert "desk\\x1b]0;TITLE\\x07\\u202e:" in out.stdout.splitlines()
    assert "\x1b" not in out.stdout and "\u202e" not in out.stdout
