"""Logins, session cookies, CSRF tokens and the login limit of the web page."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

from monitor.web.auth import (
    LoginLimiter,
    Sessions,
    hash_password,
    load_key,
    verify_password,
)


def test_a_hash_verifies_its_password_only() -> None:
    hashed = hash_password("correct horse")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse")
    assert not verify_password(hashed, "correct horse ")
    assert not verify_password(hashed, "")
    assert not verify_password(None, "correct horse")  # unknown user
    assert not verify_password("not a hash", "correct horse")  # a typo locks out, never in


def test_hash_password_command_reads_stdin_and_prints_a_hash() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "web", "hash-password"],
        input=b"s3cret\n",
        capture_output=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    hashed = run.stdout.decode().strip()
    assert verify_password(hashed, "s3cret")  # the line end is not part of the password
    assert b"s3cret" not in run.stdout + run.stderr
    empty = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "web", "hash-password"],
        input=b"",
        capture_output=True,
        check=False,
    )
    assert empty.returncode == 1 and b"no password" in empty.stderr


def test_a_session_cookie_cannot_be_forged_or_stretched() -> None:
    sessions = Sessions(b"k" * 32, 3600)
    session = sessions.new("desk", now=1000.0)
    value = sessions.cookie_value(session)
    assert sessions.read(value, now=1001.0) == session
    assert sessions.read(value, now=1000.0 + 3600) is None  # expired
    body, mac = value.split(".")
    assert sessions.read(body + "." + mac[::-1], now=1001.0) is None
    other = Sessions(b"x" * 32, 3600)
    assert other.read(value, now=1001.0) is None  # another key
    forged = other.cookie_value(other.new("admin", now=1000.0))
    assert sessions.read(forged, now=1001.0) is None
    for junk in ("", ".", "a.b", "%%%.%%%", "x" * 5000, "e30.e30"):
        assert sessions.read(junk, now=1001.0) is None


def test_a_session_keeps_a_keyed_stamp_of_the_password_hash() -> None:
    sessions = Sessions(b"k" * 32, 3600)
    stamped = sessions.new("desk", now=1000.0, stamp=sessions.stamp("$argon2id$one"))
    assert sessions.read(sessions.cookie_value(stamped), now=1001.0) == stamped
    assert sessions.stamp("$argon2id$one") != sessions.stamp("$argon2id$two")
    # Keyed: the cookie (readable by its holder) tells nothing of the hash.
    assert Sessions(b"x" * 32, 3600).stamp("$argon2id$one") != sessions.stamp("$argon2id$one")
    assert "argon2" not in sessions.cookie_value(stamped)


def test_csrf_tokens_belong_to_their_session() -> None:
    sessions = Sessions(b"k" * 32, 3600)
    one, two = sessions.new(""), sessions.new("")
    assert sessions.check_csrf(one, sessions.csrf(one))
    assert not sessions.check_csrf(one, sessions.csrf(two))
    assert not sessions.check_csrf(one, "")
    assert not sessions.check_csrf(None, sessions.csrf(one))


def test_the_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    keys: list[bytes] = []
    threads = [threading.Thread(target=lambda: keys.append(load_key(tmp_path))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(keys)) == 1 and len(keys[0]) == 32
    mode = os.stat(tmp_path / "web-secret").st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["web-secret"]  # no temp file left


def test_failed_logins_are_limited_per_client_and_overall() -> None:
    limiter = LoginLimiter(per_client=3, overall=5, window=60)
    for _ in range(3):
        assert limiter.wait("10.0.0.1", now=0.0) == 0
        limiter.failed("10.0.0.1", now=0.0)
    assert limiter.wait("10.0.0.1", now=1.0) == 59.0
    assert limiter.wait("10.0.0.2", now=1.0) == 0  # another client may still try
    limiter.failed("10.0.0.2", now=1.0)
    limiter.failed("10.0.0.3", now=1.0)
    assert limiter.wait("10.0.0.9", now=2.0) > 0  # five failures in all: everyone waits
    assert limiter.wait("10.0.0.1", now=61.0) == 0  # the window passed
    limiter.succeeded("10.0.0.2")
