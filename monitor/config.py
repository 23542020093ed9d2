"""Pydantic models of `config.toml`: strict keys, `${VAR}` from the environment, relative paths.

Everything a user can get wrong here is reported as `FILE:LINE: message` so that `monitor
check` and a failed start point at the line to fix. Secrets are `SecretStr`, so a config that
is printed or logged never shows them.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class ConfigError(Exception):
    """A config problem, already phrased as one `FILE:LINE: message` line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InboxConfig(_Strict):
    path: Path = Path("inbox")
    after: Literal["archive", "delete", "keep"] = "archive"
    archive: Path = Path("archive")
    quarantine: Path = Path("quarantine")
    rescan_seconds: float = Field(default=30.0, gt=0)
    max_size_mb: float = Field(default=20.0, gt=0)
    poll: bool = False


class RulesConfig(_Strict):
    path: Path = Path("rules")


class StateConfig(_Strict):
    path: Path = Path("state")


class MetricsConfig(_Strict):
    listen: str = Field(default="127.0.0.1:9464", pattern=r"^[^:]+:\d+$")


class ConsoleChannel(_Strict):
    type: Literal["console"]


class FileChannel(_Strict):
    type: Literal["file"]
    path: Path = Path("alerts.jsonl")


class SlackChannel(_Strict):
    type: Literal["slack"]
    webhook_url: SecretStr


class EmailChannel(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    type: Literal["email"]
    host: str
    port: int = Field(default=587, gt=0, lt=65536)
    security: Literal["none", "starttls", "ssl"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    from_: str = Field(alias="from")
    to: list[str] = Field(min_length=1)


class WebhookChannel(_Strict):
    type: Literal["webhook"]
    url: SecretStr
    secret: SecretStr | None = None


ChannelConfig = Annotated[
    ConsoleChannel | FileChannel | SlackChannel | EmailChannel | WebhookChannel,
    Field(discriminator="type"),
]


class Config(_Strict):
    """The whole config file. Paths are made absolute against the config file's folder."""

    inbox: InboxConfig = Field(default_factory=InboxConfig)
    rules: RulesConfig = Field(default_factory=RulesConfig)
    state: StateConfig = Field(default_factory=StateConfig)
    metrics: MetricsConfig | None = None
    channels: dict[str, ChannelConfig] = Field(default_factory=dict)
    source: Path = Field(default=Path("config.toml"), exclude=True)


def _interpolate(value: Any, where: tuple[str, ...], env: Mapping[str, str],
                 missing: list[tuple[tuple[str, ...], str]]) -> Any:
    """Replace `${VAR}` in every string; collect unset variables instead of failing early."""
    if isinstance(value, str):
        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in env:
                missing.append((where, name))
                return ""
            return env[name]

        return _VAR.sub(sub, value)
    if isinstance(value, dict):
        return {k: _interpolate(v, (*where, k), env, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, where, env, missing) for v in value]
    return value


def _line_of(text: str, where: tuple[str | int, ...]) -> int:
    """Best-effort line number of a dotted key in TOML text (tomllib gives none)."""
    keys = [str(k) for k in where if not isinstance(k, int)]
    if not keys:
        return 1
    lines = text.splitlines()
    # The deepest table header that is a prefix of the key path, then the key under it.
    best_line, best_depth = 0, 0
    for depth in range(len(keys), 0, -1):
        header = re.compile(
            r"^\s*\[\s*"
            + r"\s*\.\s*".join(f'(?:{re.escape(k)}|"{re.escape(k)}")' for k in keys[:depth])
            + r"\s*\]"
        )
        for i, line in enumerate(lines):
            if header.match(line):
                best_line, best_depth = i, depth
                break
        if best_depth:
            break
    if best_depth == len(keys):
        return best_line + 1
    key = re.compile(r"^\s*" + re.escape(keys[best_depth]) + r"\s*=")
    for i in range(best_line, len(lines)):
        if i > best_line and lines[i].lstrip().startswith("[") and best_depth:
            break
        if key.match(lines[i]):
            return i + 1
    return best_line + 1


_CHANNEL_TYPES = ("console", "file", "slack", "email", "webhook")


def _user_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop the union-member tag pydantic inserts (`channels.x.slack.url` -> `channels.x.url`)."""
    if len(loc) >= 3 and loc[0] == "channels" and loc[2] in _CHANNEL_TYPES:
        return (*loc[:2], *loc[3:])
    return loc


def _fix_hint(err: dict[str, Any]) -> str:
    kind = err["type"]
    loc = ".".join(str(p) for p in err["loc"])
    if kind == "extra_forbidden":
        return f"unknown key `{loc}`: remove it or check its spelling"
    if kind == "missing":
        return f"missing key `{loc}`"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return f"`{loc}`: channel `type` must be one of {', '.join(_CHANNEL_TYPES)}"
    return f"`{loc}`: {err['msg']}"


def _absolute(config: Config, base: Path) -> Config:
    def fix(p: Path) -> Path:
        return p if p.is_absolute() else (base / p).resolve()

    channels: dict[str, ChannelConfig] = {}
    for name, ch in config.channels.items():
        channels[name] = ch.model_copy(update={"path": fix(ch.path)}) if isinstance(
            ch, FileChannel) else ch
    return config.model_copy(update={
        "inbox": config.inbox.model_copy(update={
            "path": fix(config.inbox.path),
            "archive": fix(config.inbox.archive),
            "quarantine": fix(config.inbox.quarantine),
        }),
        "rules": config.rules.model_copy(update={"path": fix(config.rules.path)}),
        "state": config.state.model_copy(update={"path": fix(config.state.path)}),
        "channels": channels,
    })


def key_line(config: Config, *keys: str) -> int:
    """The line of a dotted key in the config file, for messages about valid-TOML problems."""
    try:
        return _line_of(config.source.read_text(encoding="utf-8"), keys)
    except OSError:
        return 1


def load_config(path: Path, env: Mapping[str, str] | None = None,
                strict_env: bool = True) -> Config:
    """Read, interpolate and validate a config file; raise `ConfigError` listing every problem.

    With `strict_env=False` an unset `${VAR}` reads as empty instead of being an error: for
    commands that never send (`monitor outbox`, `monitor test`), so an admin can run them in
    a shell that does not hold the channels' secrets.
    """
    env = os.environ if env is None else env
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{shown}:1: config file not found (pass --config FILE)"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{shown}:1: cannot read config: {exc}"]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ConfigError([f"{shown}:{m.group(1) if m else 1}: invalid TOML: {exc}"]) from None
    missing: list[tuple[tuple[str, ...], str]] = []
    raw = _interpolate(raw, (), env, missing)
    problems = [
        f"{shown}:{_line_of(text, where)}: environment variable {name} is not set "
        f"(used by `{'.'.join(where)}`); export it or remove the key"
        for where, name in missing
    ] if strict_env else []
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = _user_loc(err["loc"])
            problems.append(f"{shown}:{_line_of(text, loc)}: {_fix_hint({**err, 'loc': loc})}")
    if problems:
        raise ConfigError(problems)
    return _absolute(config.model_copy(update={"source": path.resolve()}), path.resolve().parent)
