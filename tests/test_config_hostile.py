"""Configs that used to pass `monitor check` and then misbehave, refused or warned about.

Each test runs the real `monitor check` (and `monitor run` where the daemon used to start):
folders that overlap the inbox, `[metrics] listen` values `bind` would refuse, SMTP AUTH in
cleartext to another machine, and a file channel whose file cannot be written.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Workspace

from monitor.config import ConfigError, load_config, parse_listen

SHOWN = "config.toml"  # `monitor check` runs in the workspace with this relative path


def _config(ws: Workspace, inbox: str = "", state: str = "", rules: str = "",
            channels: str = "", metrics: str = "") -> None:
    """A config with the usual folders unless a section is given in full."""
    ws.config.write_text(
        (inbox or '[inbox]\npath = "inbox"\narchive = "archive"\nquarantine = "quarantine"\n')
        + (rules or '[rules]\npath = "rules"\n')
        + (state or '[state]\npath = "state"\n')
        + metrics
        + (channels or '[channels.log]\ntype = "file"\npath = "alerts.jsonl"\n'),
        encoding="utf-8")


def _line(ws: Workspace, needle: str) -> int:
    lines = ws.config.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# -- folders overlapping the inbox ------------------------------------------------------------
OVERLAPS = [  # (sections replaced, line of the key reported, that key)
    pytest.param({"inbox": '[inbox]\npath = "inbox"\narchive = "inbox/archive"\n'},
                 3, "[inbox] archive", id="archive-inside-inbox"),
    pytest.param({"inbox": '[inbox]\npath = "inbox"\nquarantine = "inbox"\n'},
                 3, "[inbox] quarantine", id="quarantine-is-inbox"),
    pytest.param({"state": '[state]\npath = "inbox/.state"\n'},
                 8, "[state] path", id="state-inside-inbox"),
    pytest.param({"inbox": '[inbox]\npath = "state/inbox"\n'},
                 2, "[state] path", id="inbox-inside-state"),
    pytest.param({"rules": '[rules]\npath = "inbox"\n'},
                 6, "[rules] path", id="rules-is-inbox"),
    pytest.param({"channels": '[channels.log]\ntype = "file"\npath = "inbox/alerts.jsonl"\n'},
                 11, "[channels.log] path", id="file-in-inbox"),
]


@pytest.mark.parametrize(("sections", "line", "key"), OVERLAPS)
def test_overlapping_folders_fail_check_and_run(workspace: Workspace,
                                                sections: dict[str, str],
                                                line: int, key: str) -> None:
    _config(workspace, **sections)
    check = workspace.monitor("check")
    assert check.returncode == 1, check.stdout
    assert re.search(rf"^{SHOWN}:{line}: .*{re.escape(key)}.*\[inbox\] path|"
                     rf"^{SHOWN}:{line}: .*\[inbox\] path.*{re.escape(key)}",
                     check.stdout, re.M), check.stdout
    assert re.search(r"keep them apart, e.g. \[\w+(\.\w+)?\] \w+ = \"/", check.stdout)
    run = workspace.monitor("run", "--config", "config.toml")
    assert run.returncode != 0
    assert key in run.stderr and "[inbox] path" in run.stderr
    assert not (workspace.root / "state" / "monitor.db").exists()


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
@pytest.mark.parametrize(("listen", "why"), [
    ("127.0.0.1:99999", "port 99999 is out of range (1-65535)"),
    ("127.0.0.1:0", "port 0 is out of range"),
    ("::1:9464", "write an IPv6 address in brackets"),
    ("[not-v6]:9464", "is not an IPv6 address"),
    ("[::1]9464", "is not HOST:PORT"),
    ("bad host:9464", "is not a host name or IPv4 address"),
])
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
EMAIL = """[channels.desk]
type = "email"
host = "{host}"
port = 25
security = "none"
username = "desk"
password = "${{SMTP_PASSWORD}}"
from = "monitor@example.org"
to = ["desk@example.org"]
"""
PASSWORD = "hunter2-very-secret"


def test_cleartext_auth_to_another_host_is_a_warning(workspace: Workspace) -> None:
    _config(workspace, channels=EMAIL.format(host="smtp.example.org"))
    env = {**os.environ, "SMTP_PASSWORD": PASSWORD}
    check = subprocess.run([sys.executable, "-m", "monitor.cli", "check"], cwd=workspace.root,
                           capture_output=True, text=True, timeout=60, env=env)
    assert check.returncode == 0, check.stdout
    line = _line(workspace, 'security = "none"')
    assert re.search(rf"^{SHOWN}:{line}: warning: \[channels.desk\] security = \"none\" .*"
                     r"smtp\.example\.org.*cleartext", check.stdout, re.M), check.stdout
    assert PASSWORD not in check.stdout + check.stderr
    assert "OK:" in check.stdout
    # The daemon says it too, at start.
    workspace.start(env={"SMTP_PASSWORD": PASSWORD})
    assert workspace.stop() == 0
    log = workspace.log()
    assert "security = \"none\" with a username/password for smtp.example.org" in log
    assert "cleartext" in log and PASSWORD not in log


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
    assert (f"{SHOWN}:{line}: [channels.log] path {etc / 'alerts.jsonl'}: cannot write: "
            "Permission denied; give an absolute path") in check.stdout
    assert not (etc / "alerts.jsonl").exists()


def test_file_channel_through_a_regular_file_fails_check(workspace: Workspace) -> None:
    """Runs as root too: no permission bit stops root, but a file is never a folder."""
    (workspace.root / "etc").write_text("not a folder\n", encoding="utf-8")
    (workspace.root / "logs").mkdir()
    _config(workspace, channels='[channels.log]\ntype = "file"\npath = "etc/log/a.jsonl"\n'
                                '[channels.dir]\ntype = "file"\npath = "logs"\n')
    check = workspace.monitor("check")
    assert check.returncode == 1
    line = _line(workspace, 'path = "etc/log/a.jsonl"')
    assert (f"{SHOWN}:{line}: [channels.log] path {workspace.root / 'etc/log/a.jsonl'}: "
            "cannot write: Not a directory;") in check.stdout
    line = _line(workspace, 'path = "logs"')
    assert (f"{SHOWN}:{line}: [channels.dir] path {workspace.root / 'logs'}: "
            "cannot write: Is a directory;") in check.stdout
    assert "and run check as that user" in check.stdout


def test_check_creates_no_file(workspace: Workspace) -> None:
    """check may run as root: a file it created would be root's and unwritable to the daemon."""
    _config(workspace, channels='[channels.log]\ntype = "file"\npath = "out/a.jsonl"\n')
    check = workspace.monitor("check")
    assert check.returncode == 0, check.stdout
    assert not (workspace.root / "out").exists()


# -- the config file itself: nested too deeply, not UTF-8, a FIFO, huge ----------------------

@pytest.mark.parametrize(("data", "expected"), [
    (b'[inbox]\npath = ' + b"[" * 5000 + b"\n", "config.toml:1: invalid TOML: arrays or "
     "tables nested too deeply"),
    (b'[inbox]\npath = "inbox"\n[state]\npath = "\xff\xfe"\n', "config.toml:4: cannot read "
     "config: not UTF-8 (byte 0xff)"),
    (b"# " + b"x" * (2 << 20) + b"\n", "config.toml:1: cannot read config: larger than"),
])
def test_hostile_config_file_is_one_clear_line(workspace: Workspace, data: bytes,
                                               expected: str) -> None:
    workspace.config.write_bytes(data)
    for command in ("check", "run"):
        result = workspace.monitor(command, "--config", SHOWN)
        assert result.returncode != 0
        assert expected in result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr


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
