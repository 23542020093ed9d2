"""`[web]` in config.toml: loopback without users, users required elsewhere, hashes only."""

from __future__ import annotations

from pathlib import Path

from monitor.config import load_config
from monitor.errors import ConfigError

HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"


def _problems(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> list[str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_config(path, env=env or {})
    except ConfigError as exc:
        return exc.problems
    return []


def test_loopback_without_users_is_a_single_user_desk(tmp_path: Path) -> None:
    assert _problems(tmp_path, '[web]\nlisten = "127.0.0.1:8080"\n') == []
    assert _problems(tmp_path, '[web]\nlisten = "[::1]:8080"\n') == []


def test_any_other_address_needs_users(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[web]\nlisten = "0.0.0.0:8080"\n')
    assert len(problems) == 1 and "config.toml:1" in problems[0]
    assert "users" in problems[0] and "hash-password" in problems[0]
    ok = f'[web]\nlisten = "0.0.0.0:8080"\nusers = {{ desk = "{HASH}" }}\n'
    assert _problems(tmp_path, ok) == []
    env = '[web]\nlisten = "0.0.0.0:8080"\nusers = { desk = "${WEB_HASH}" }\n'
    assert _problems(tmp_path, env, {"WEB_HASH": HASH}) == []


def test_a_password_instead_of_a_hash_is_refused_without_showing_it(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[web]\nusers = { desk = "hunter2-plaintext" }\n')
    assert len(problems) == 1 and "not an argon2 hash" in problems[0]
    assert "hunter2" not in problems[0]


def test_bad_user_names_and_clashing_ports(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f'[web]\nusers = {{ "a b" = "{HASH}" }}\n')
    assert problems and "'a b'" in problems[0]
    clash = '[metrics]\nlisten = "127.0.0.1:9000"\n[web]\nlisten = "127.0.0.1:9000"\n'
    problems = _problems(tmp_path, clash)
    assert problems and "config.toml:4" in problems[0] and "[metrics] listen" in problems[0]
    assert _problems(tmp_path, "[web]\nrecent = 100000\n")
    assert _problems(tmp_path, "[web]\nsurprise = 1\n")


def test_a_hash_with_a_part_lost_is_refused(tmp_path: Path) -> None:
    """A `$` eaten on the way (a shell, a compose file) leaves `$argon2id...` that verifies
    nothing: its user could never log in, and only a 401 would say so."""
    for broken in (
        "$argon2id$garbage",
        HASH.rsplit("$", 1)[0],
        "$argon2id$v=19$t=3,p=4$c2FsdHNhbHQ$aGFz",
    ):
        problems = _problems(tmp_path, f'[web]\nusers = {{ desk = "{broken}" }}\n')
        assert len(problems) == 1 and "not an argon2 hash" in problems[0], broken
        assert "garbage" not in problems[0]
