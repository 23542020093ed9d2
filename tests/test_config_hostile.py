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
from helpers.workspace import Workspace

from monitor.config import load_config, parse_listen
from monitor.errors import ConfigError

SHOWN = "config.toml"  # `monitor check` runs in the workspace with this relative path


def _config(
    ws: Workspace,
    inbox: str = "",
    state: str = "",
    rules: str = "",
    channels: str = "",
    metrics: str = "",
) -> None:
    """A config with the usual folders unless a section is given in full."""
    ws.config.write_text(
        (inbox or '[inbox]\npath = "inbox"\narchive = "archive"\nquarantine = "quarantine"\n')
        + (rules or '[rules]\npath = "rules"\n')
        + (state or '[state]\npath = "state"\n')
        + metrics
        + (channels or '[channels.log]\ntype = "file"\npath = "alerts.jsonl"\n'),
        encoding="utf-8",
    )


def _line(ws: Workspace, needle: str) -> int:
    lines = ws.config.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# -- folders overlapping the inbox ------------------------------------------------------------
OVERLAPS = [  # (sections replaced, line of the key reported, that key)
    pytest.param(
        {"inbox": '[inbox]\npath = "inbox"\narchive = "inbox/archive"\n'},
        3,
        "[inbox] archive",
        id="archive-inside-inbox",
    ),
    pytest.param(
        {"inbox": '[inbox]\npath = "inbox"\nquarantine = "inbox"\n'},
        3,
        "[inbox] quarantine",
        id="quarantine-is-inbox",
    ),
    pytest.param(
        {"state": '[state]\npath = "inbox/.state"\n'}, 8, "[state] path", id="state-inside-inbox"
    ),
    pytest.param(
        {"inbox": '[inbox]\npath = "state/inbox"\n'}, 2, "[state] path", id="inbox-inside-state"
    ),
    pytest.param({"rules": '[rules]\npath = "inbox"\n'}, 6, "[rules] path", id="rules-is-inbox"),
    pytest.param(
        {"channels": '[channels.log]\ntype = "file"\npath = "inbox/alerts.jsonl"\n'},
        11,
        "[channels.log] path",
        id="file-in-inbox",
    ),
]


@pytest.mark.parametrize(("sections", "line", "key"), OVERLAPS)
def test_overlapping_folders_fail_check_and_run(
    workspace: Workspace, sections: dict[str, str], line: int, key: str
) -> None:
    _config(workspace, **sections)
    check = workspace.monitor("check")
    assert check.returncode == 1, check.stdout
    assert re.search(
        rf"^{SHOWN}:{line}: .*{re.escape(key)}.*\[inbox\] path|"
        rf"^{SHOWN}:{line}: .*\[inbox\] path.*{re.escape(key)}",
        check.stdout,
        re.M,
    ), check.stdout
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
    check = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "check"],
        cwd=workspace.root,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert check.returncode == 0, check.stdout
    line = _line(workspace, 'security = "none"')
    assert re.search(
        rf"^{SHOWN}:{line}: warning: \[channels.desk\] security = \"none\" .*"
        r"smtp\.example\.org.*cleartext",
        check.stdout,
        re.M,
    ), check.stdout
    assert PASSWORD not in check.stdout + check.stderr
    assert "OK:" in check.stdout
    # The daemon says it too, at start.
    workspace.start(env={"SMTP_PASSWORD": PASSWORD})
    assert workspace.stop() == 0
    log = workspace.log()
    assert 'security = "none" with a username/password for smtp.example.org' in log
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


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"[inbox]\npath = " + b"[" * 5000 + b"\n",
            "config.toml:1: invalid TOML: arrays or tables nested too deeply",
        ),
        (
            b'[inbox]\npath = "inbox"\n[state]\npath = "\xff\xfe"\n',
            "config.toml:4: cannot read config: not UTF-8 (byte 0xff)",
        ),
        (b"# " + b"x" * (2 << 20) + b"\n", "config.toml:1: cannot read config: larger than"),
    ],
)
def test_hostile_config_file_is_one_clear_line(
    workspace: Workspace, data: bytes, expected: str
) -> None:
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


# -- found by an outside review: passed check, then crashed or misbehaved at run ------------
def _refused(ws: Workspace, command: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`monitor COMMAND` that must end at once with an error: not a daemon left running (a
    config that used to pass would start one), and never a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "monitor.cli", command, *args],
        cwd=ws.root,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result


def _check_and_run_refuse(ws: Workspace, expected: str) -> None:
    """`check` prints `expected` (a whole `FILE:LINE: message` start) and exits 1; `run`
    logs it and exits non-zero before opening the database."""
    check = _refused(ws, "check")
    assert check.returncode == 1
    assert expected in check.stdout, check.stdout
    run = _refused(ws, "run", "--config", SHOWN)
    assert expected.split(": ", 1)[1] in run.stderr, run.stderr
    assert not list(ws.root.rglob("monitor.db"))


@pytest.mark.parametrize(
    ("key", "value", "why"),
    [
        ("rescan_seconds", "inf", "must be a finite number, not inf or nan"),
        ("rescan_seconds", "nan", "must be a finite number, not inf or nan"),
        ("max_size_mb", "inf", "must be a finite number, not inf or nan"),
        ("max_size_mb", "-inf", "must be a finite number, not inf or nan"),
        ("max_seconds", "nan", "must be a finite number, not inf or nan"),
        ("rescan_seconds", "1e300", "must be at most 86400"),
        ("max_size_mb", "1e12", "must be at most 1024"),
    ],
)
def test_infinite_nan_and_huge_numbers_fail_check_and_run(
    workspace: Workspace, key: str, value: str, why: str
) -> None:
    """`rescan_seconds = inf` passed check and `run` died of an OverflowError; with
    `max_size_mb = inf` every article failed."""
    _config(workspace, inbox=f'[inbox]\npath = "inbox"\n{key} = {value}\n')
    _check_and_run_refuse(workspace, f"{SHOWN}:3: `inbox.{key}`: {why}")


@pytest.mark.parametrize(
    ("listen", "why"),
    [
        ("999.1.1.1:9464", "'999.1.1.1' is not an IPv4 address (four numbers 0-255"),
        ("1.2.3:9464", "'1.2.3' is not an IPv4 address"),
        ("127.0.0.1:\u0665\u0665\u0669\u0662\u0662", "is not HOST:PORT"),
        ("[::1]:\u0665\u0665\u0669\u0662\u0662", "is not HOST:PORT"),
        (
            "no-such-host.invalid:9464",
            "host 'no-such-host.invalid' does not resolve on this machine",
        ),
    ],
)
def test_listen_bind_cannot_use_fails_check_and_run(
    workspace: Workspace, listen: str, why: str
) -> None:
    """ "999.1.1.1:80" passed check and `run` died ("Name or service not known"); Arabic-Indic
    digits passed and bound port 55922. A name that resolves here (localhost) still passes."""
    _config(workspace, metrics=f'[metrics]\nlisten = "{listen}"\n')
    line = _line(workspace, "listen =")
    _check_and_run_refuse(workspace, f"{SHOWN}:{line}: `metrics.listen`: ")
    assert why in _refused(workspace, "check").stdout
    _config(workspace, metrics='[metrics]\nlisten = "localhost:9464"\n')
    assert workspace.monitor("check").returncode == 0


@pytest.mark.parametrize(
    "sections",
    [
        {"inbox": '[inbox]\npath = "inbox\\u0000x"\n'},
        {"inbox": '[inbox]\npath = "inbox"\narchive = "a\\u0000"\n'},
        {"inbox": '[inbox]\npath = "inbox"\nquarantine = "\\u0000q"\n'},
        {"rules": '[rules]\npath = "rules\\u0000"\n'},
        {"state": '[state]\npath = "st\\u0000ate"\n'},
        {"channels": '[channels.log]\ntype = "file"\npath = "alerts\\u0000.jsonl"\n'},
    ],
    ids=["inbox", "archive", "quarantine", "rules", "state", "file-channel"],
)
def test_nul_in_a_path_fails_check_and_run(workspace: Workspace, sections: dict[str, str]) -> None:
    """A NUL in a path ended check and run with `ValueError: embedded null byte`."""
    _config(workspace, **sections)
    line = _line(workspace, "\\u0000")
    text = workspace.config.read_text(encoding="utf-8").splitlines()[line - 1]
    key = text.split(" =")[0]
    header = next(
        h
        for h in reversed(workspace.config.read_text(encoding="utf-8").splitlines()[:line])
        if h.startswith("[")
    )
    # A channel's own keys are named as the message about its file path names them.
    table = header.strip("[]")
    where = f"{header} {key}" if table.startswith("channels.") else f"`{table}.{key}`"
    _check_and_run_refuse(workspace, f"{SHOWN}:{line}: {where}: contains a NUL character")


def test_config_that_is_a_directory_is_one_clear_line(workspace: Workspace) -> None:
    """`--config /etc/monitor` (the folder, not the file) was an IsADirectoryError traceback."""
    (workspace.root / "etc").mkdir()
    for command in ("check", "run"):
        result = _refused(workspace, command, "--config", "etc")
        assert (
            "etc:1: cannot read config: a directory, not a config file"
            in result.stdout + result.stderr
        )


PLACES_APART = [  # (sections replaced, the line's needle, what the message says)
    pytest.param(
        {"channels": '[channels.log]\ntype = "file"\npath = "state/monitor.db"\n'},
        'path = "state/monitor.db"',
        "[channels.log] path ({root}/state/monitor.db) "
        "is inside [state] path ({root}/state): alerts would be written into the "
        "database",
        id="file-in-state",
    ),
    pytest.param(
        {"channels": '[channels.log]\ntype = "file"\npath = "state"\n'},
        'path = "state"',
        "[channels.log] path and [state] path are the same path",
        id="file-is-state",
    ),
    pytest.param(
        {"channels": '[channels.log]\ntype = "file"\npath = "rules/a.yaml"\n'},
        'path = "rules/a.yaml"',
        "[channels.log] path ({root}/rules/a.yaml) is inside "
        "[rules] path ({root}/rules): every alert written there would reload the rules",
        id="file-in-rules",
    ),
    pytest.param(
        {"channels": '[channels.log]\ntype = "file"\npath = "config.toml"\n'},
        'path = "config.toml"',
        "[channels.log] path and the config file are the same file ({root}/config.toml)",
        id="file-is-config",
    ),
    pytest.param(
        {
            "channels": '[channels.log]\ntype = "file"\npath = "a.jsonl"\n'
            '[channels.copy]\ntype = "file"\npath = "./a.jsonl"\n'
        },
        'path = "./a.jsonl"',
        "[channels.copy] path and [channels.log] path are the same file ({root}/a.jsonl)",
        id="two-files-one-path",
    ),
    pytest.param(
        {"inbox": '[inbox]\npath = "inbox"\narchive = "rules"\n'},
        'archive = "rules"',
        "[inbox] archive and [rules] path are the same folder",
        id="archive-is-rules",
    ),
    pytest.param(
        {"inbox": '[inbox]\npath = "inbox"\narchive = "rules/done"\n'},
        'archive = "rules/done"',
        "[inbox] archive ({root}/rules/done) is inside "
        "[rules] path ({root}/rules): archived articles (a *.yaml one, say) would be "
        "loaded as rule files",
        id="archive-in-rules",
    ),
    pytest.param(
        {"inbox": '[inbox]\npath = "inbox"\nquarantine = "rules/q"\n'},
        'quarantine = "rules/q"',
        "[inbox] quarantine ({root}/rules/q) is inside [rules] path",
        id="quarantine-in-rules",
    ),
    pytest.param(
        {"inbox": '[inbox]\npath = "inbox"\nquarantine = "state"\n'},
        'quarantine = "state"',
        "[inbox] quarantine and [state] path are the same folder",
        id="quarantine-is-state",
    ),
    pytest.param(
        {"inbox": '[inbox]\npath = "inbox"\narchive = "state/archive"\n'},
        'archive = "state/archive"',
        "[inbox] archive ({root}/state/archive) is inside [state] path",
        id="archive-in-state",
    ),
    pytest.param(
        {"rules": '[rules]\npath = "archive/rules"\n'},
        'path = "archive/rules"',
        "[rules] path ({root}/archive/rules) is inside "
        "[inbox] archive ({root}/archive): the rules would sit among the dated "
        "archive folders",
        id="rules-in-archive",
    ),
    pytest.param(
        {"state": '[state]\npath = "quarantine/state"\n'},
        'path = "quarantine/state"',
        "[state] path ({root}/quarantine/state) is inside "
        "[inbox] quarantine ({root}/quarantine): the database would sit among "
        "quarantined files",
        id="state-in-quarantine",
    ),
]


@pytest.mark.parametrize(("sections", "needle", "message"), PLACES_APART)
def test_paths_that_overlap_fail_check_and_run(
    workspace: Workspace, sections: dict[str, str], needle: str, message: str
) -> None:
    """Passed check: a file channel appending to the database, to a rule file or to the config
    itself, two channels on one file, archived `*.yaml` articles loaded as rules."""
    _config(workspace, **sections)
    text = workspace.config.read_text(encoding="utf-8")
    line = text[: text.rindex(needle)].count("\n") + 1  # the last: channels come last
    _check_and_run_refuse(workspace, f"{SHOWN}:{line}: {message.format(root=workspace.root)}")
    assert re.search(
        rf"^{SHOWN}:{line}: .*; keep them apart, e.g. \[[\w.]+\] \w+ = \"/",
        _refused(workspace, "check").stdout,
        re.M,
    )


SECRET = "tok3n-s3cret"


@pytest.mark.parametrize(
    ("channel", "key", "url", "fix"),
    [
        ("webhook", "url", f"file:///etc/passwd?{SECRET}", "an http:// or https:// URL"),
        ("webhook", "url", f"ftp://example.org/{SECRET}", "an http:// or https:// URL"),
        ("webhook", "url", f"https:///{SECRET}", "an http:// or https:// URL"),
        ("webhook", "url", f"javascript:{SECRET}", "an http:// or https:// URL"),
        (
            "slack",
            "webhook_url",
            f"http://hooks.slack.com/services/{SECRET}",
            "an https:// URL (http:// only to localhost)",
        ),
        (
            "slack",
            "webhook_url",
            f"file:///{SECRET}",
            "an https:// URL (http:// only to localhost)",
        ),
    ],
)
def test_a_url_we_cannot_post_to_fails_check_and_run(
    workspace: Workspace, channel: str, key: str, url: str, fix: str
) -> None:
    """`url = "file:///etc/passwd"` passed check. The message names the key, never the URL
    (a secret); plain http to this machine (a local relay, the tests' fake Slack) still passes."""
    _config(workspace, channels=f'[channels.out]\ntype = "{channel}"\n{key} = "{url}"\n')
    line = _line(workspace, f"{key} =")
    _check_and_run_refuse(workspace, f"{SHOWN}:{line}: [channels.out] {key}: must be {fix}")
    both = _refused(workspace, "check")
    assert SECRET not in both.stdout + both.stderr
    for good in (
        f"http://127.0.0.1:9/{SECRET}",
        f"http://localhost/{SECRET}",
        f"https://hooks.example.org/{SECRET}",
    ):
        _config(workspace, channels=f'[channels.out]\ntype = "{channel}"\n{key} = "{good}"\n')
        check = workspace.monitor("check")
        assert check.returncode == 0, check.stdout


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
