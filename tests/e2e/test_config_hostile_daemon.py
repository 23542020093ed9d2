"""Hostile configs against `monitor run` as well as `monitor check` (the daemon tests of
tests/test_config_hostile.py).

`run` must refuse what `check` refuses, at once and before opening the database, with the same
`FILE:LINE: message` and never a traceback: folders that overlap the inbox or each other, a
config file nested too deeply, not UTF-8, huge or a folder, infinite or huge numbers, `[metrics]
listen` values `bind` cannot use, a NUL in a path, URLs a channel cannot post to. SMTP AUTH in
cleartext to another machine is only a warning, which the daemon repeats when it starts.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from helpers.config_hostile_shared import EMAIL, SHOWN, _config, _line, _refused
from helpers.workspace import Workspace

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


# -- cleartext SMTP AUTH ----------------------------------------------------------------------
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


# -- found by an outside review: passed check, then crashed or misbehaved at run ------------
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
