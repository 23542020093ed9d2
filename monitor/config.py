"""Pydantic models of `config.toml`: strict keys, `${VAR}` from the environment, relative paths.

Everything a user can get wrong here is reported as `FILE:LINE: message` so that `monitor
check` and a failed start point at the line to fix. Secrets are `SecretStr`, so a config that
is printed or logged never shows them.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import socket
import stat
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator

from monitor.channels.base import ChannelConfig
from monitor.channels.file import FileChannelConfig, cannot_write
from monitor.channels.registry import CHANNEL_TYPES
from monitor.durations import MAX_SECONDS as MAX_DURATION
from monitor.durations import parse_duration
from monitor.errors import ConfigError
from monitor.settings import VAR as _VAR
from monitor.settings import ConfigPath, is_local_host, unresolved
from monitor.settings import StrictModel as _Strict


class InboxConfig(_Strict):
    path: ConfigPath = Path("inbox")
    after: Literal["archive", "delete", "keep"] = "archive"
    archive: ConfigPath = Path("archive")
    quarantine: ConfigPath = Path("quarantine")
    # A rescan less often than daily misses events for too long to be meant; `inf` used to
    # overflow the scheduler at start.
    rescan_seconds: float = Field(default=30.0, gt=0, le=86400)
    # The whole file is read into memory to be matched: a gigabyte is already no article.
    max_size_mb: float = Field(default=20.0, gt=0, le=1024)
    # The time one file may take to be read and matched before it is stopped and
    # quarantined: one pathological file must not hold up the others (see monitor.budget).
    max_seconds: float = Field(default=10.0, gt=0, le=3600)
    poll: bool = False


class RulesConfig(_Strict):
    path: ConfigPath = Path("rules")


class StateConfig(_Strict):
    """Where the state is. `path` is always the node's own folder (its lock, the file being
    read); the database is SQLite in it, or PostgreSQL at `url`, shared by a cluster."""

    path: ConfigPath = Path("state")
    # A secret: the URL may carry the password (better: `${VAR}` or libpq's passfile).
    url: SecretStr | None = None
    # PostgreSQL only: how long a node's claims (inbox files, feeds, alerts being sent)
    # outlive its last heartbeat, so how soon another node takes over a dead node's work
    # (bench/cluster.py measures it). Heartbeats go every fifth of it; below 3 s a slow
    # database or a long pause of the process could cost a live node its claims.
    lease: float = 10.0

    @field_validator("lease", mode="before")
    @classmethod
    def _lease(cls, value: Any) -> float:
        seconds = _duration(value, 3.0)
        if seconds > 600:
            raise ValueError(f"{seconds:g} s would leave a dead node's work waiting: at most 10m")
        return seconds

    @field_validator("url")
    @classmethod
    def _postgresql(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        text = value.get_secret_value().strip()
        if unresolved(text):
            return SecretStr(text)
        from monitor.state.postgres import url_problem  # only for a config naming PostgreSQL

        problem = url_problem(text)
        if problem is not None:
            raise ValueError(problem)
        return SecretStr(text)


class StoriesConfig(_Strict):
    """Near-duplicate stories (monitor.stories): how far back, and how alike."""

    # Counted from when a story's first copy arrived. A year is far beyond any news cycle.
    window_hours: float = Field(default=72.0, gt=0, le=24 * 366)
    # The estimated Jaccard similarity of 3-word shingles at or above which an article is
    # a copy of a story: 0.38 is where bench/dedup_eval.py measured precision >= 0.98 with
    # the highest recall. Below 0.2 unrelated stories on one topic start to merge.
    similarity: float = Field(default=0.38, ge=0.2, le=1.0)


class MatchingConfig(_Strict):
    """How prominence is judged (`prominent: true` in a rule, `lead:` in a query)."""

    # The lead: the body's first words, where news writing puts what the story is about.
    lead_words: int = Field(default=50, ge=1, le=10_000, strict=True)  # not `true`, "50"
    # Mentions anywhere that make an entity prominent even outside the title and the lead.
    min_mentions: int = Field(default=2, ge=1, le=1_000, strict=True)


_HOSTNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")


def parse_listen(listen: str, *, any_port: bool = False) -> tuple[str, int]:
    """`HOST:PORT` or `[IPV6]:PORT` as (host, port); ValueError says what is wrong and the fix.

    `any_port` also takes port 0 (the kernel picks a free one): for servers built in tests,
    never for a config, whose admin must know where to connect.

    Checked when the config is loaded, so that `monitor check` refuses what `bind` would
    refuse later (a port of 99999 used to pass check and then crash `run`), and so that an
    IPv6 address has one unambiguous spelling: brackets, as in URLs.
    """
    text = listen.strip()
    # ASCII digits only: `\d` and `int` also take other scripts' digits ("٥٥٩٢٢" bound 55922).
    m = re.fullmatch(r"\[([^\]]*)\]:([0-9]+)|([^:\[\]]*):([0-9]+)", text)
    if m is None:
        if text.count(":") > 1 and "[" not in text:
            raise ValueError(f'{listen!r}: write an IPv6 address in brackets, e.g. "[::1]:9464"')
        raise ValueError(f'{listen!r} is not HOST:PORT, e.g. "127.0.0.1:9464" or "[::1]:9464"')
    v6, v6_port, host, v4_port = m.groups()
    digits = v6_port if v6 is not None else v4_port
    port = int(digits) if len(digits) <= 5 else -1  # no 5000-digit int() for a port
    if not (0 if any_port else 1) <= port <= 65535:
        raise ValueError(f"{listen!r}: port {digits} is out of range (1-65535)")
    if v6 is not None:
        try:
            ipaddress.IPv6Address(v6)
        except ValueError:
            raise ValueError(f"{listen!r}: {v6!r} in brackets is not an IPv6 address") from None
        return v6, port
    if not _HOSTNAME.match(host):
        raise ValueError(f"{listen!r}: {host!r} is not a host name or IPv4 address")
    last_label = host.rsplit(".", 1)[-1]
    if re.fullmatch(r"[0-9]+|0[xX][0-9A-Fa-f]*", last_label):
        # Numbers: an IPv4 address, written as four decimal numbers. No host name ends in a
        # number, and the resolver would read "1.2.3" or "0x7f.1" as some other address
        # while "999.1.1.1" passed check and then failed to resolve at start.
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise ValueError(
                f"{listen!r}: {host!r} is not an IPv4 address (four numbers 0-255, e.g. 127.0.0.1)"
            ) from None
    return host, port


RESOLVE_SECONDS = 3.0
"""How long `check` waits for a `[metrics] listen` host name to resolve before refusing it."""


def resolve_problem(host: str) -> str | None:
    """Why `host` cannot be bound to (it does not resolve here), or None if it resolves.

    An IP address literal needs no lookup. A name is looked up as `bind` will look it up at
    start, so a typo fails `check` instead of the daemon; in a thread, so that a resolver
    that never answers costs `check` a few seconds, not forever.
    """
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    outcome: list[str | None] = []

    def lookup() -> None:
        try:
            socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
            outcome.append(None)
        except Exception as exc:  # whatever the resolver raises: the daemon could not bind
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            outcome.append(reason or type(exc).__name__)

    thread = threading.Thread(target=lookup, name="resolve-listen", daemon=True)
    thread.start()
    thread.join(RESOLVE_SECONDS)
    if not outcome:
        return f"did not resolve within {RESOLVE_SECONDS:g} s"
    return outcome[0]


class MetricsConfig(_Strict):
    listen: str = "127.0.0.1:9464"

    @field_validator("listen")
    @classmethod
    def _valid_listen(cls, value: str) -> str:
        host, _ = parse_listen(value)
        why = resolve_problem(host)
        if why is not None:
            raise ValueError(
                f"{value!r}: host {host!r} does not resolve on this machine "
                f"({why}); use an IP address such as 127.0.0.1 or [::1]"
            )
        return value


SOURCE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
"""A source's name (`[sources.NAME]`): the key its items have in the state database and the
label of its metrics, so kept to characters every one of those takes as is."""


def _duration(value: Any, minimum: float) -> float:
    """A duration key: `"5m"`, `"10s"`, or a number of seconds."""
    if isinstance(value, bool):
        raise ValueError('write a duration such as "5m" or "30s"')
    if isinstance(value, int | float):
        if not minimum <= value <= MAX_DURATION:
            raise ValueError(f"{value!r} seconds is out of range ({minimum:g} s to ten years)")
        return float(value)
    if isinstance(value, str):
        return parse_duration(value, minimum=minimum)
    raise ValueError('write a duration such as "5m" or "30s"')


class FeedSourceConfig(_Strict):
    """`[sources.NAME] type = "feed"`: an RSS, Atom or JSON Feed polled on a schedule."""

    type: Literal["feed"]
    url: str
    # How often the feed is polled; errors stretch it (backoff), a 429's Retry-After too.
    interval: float = 300.0
    # First poll: false marks the entries already there as seen, without alerts.
    backfill: bool = False
    # Fetch each new entry's link and extract the article text (trafilatura).
    full_text: bool = False
    # Entry links on loopback, private or link-local addresses are refused unless true.
    allow_private: bool = False
    # One request, all of it (connect, redirects, body), and the largest document read.
    timeout: float = 30.0
    max_size_mb: float = Field(default=10.0, gt=0, le=1024)

    @field_validator("interval", mode="before")
    @classmethod
    def _interval(cls, value: Any) -> float:
        return _duration(value, 1.0)

    @field_validator("timeout", mode="before")
    @classmethod
    def _timeout(cls, value: Any) -> float:
        seconds = _duration(value, 1.0)
        if seconds > 600:
            raise ValueError(f"{seconds:g} s is longer than any feed needs: at most 10m")
        return seconds

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if unresolved(value):
            return value
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                "the feed URL must be an http:// or https:// address, e.g. "
                '"https://example.org/world/rss.xml"'
            )
        return value.strip()


class HttpSourceConfig(_Strict):
    """`[sources.NAME] type = "http"`: the ingest API, `POST /articles`."""

    type: Literal["http"]
    listen: str = "127.0.0.1:8089"
    token: SecretStr | None = None
    # The largest request body; unset: `[inbox] max_size_mb`.
    max_size_mb: float | None = Field(default=None, gt=0, le=1024)

    @field_validator("listen")
    @classmethod
    def _valid_listen(cls, value: str) -> str:
        return MetricsConfig._valid_listen(value)

    @model_validator(mode="after")
    def _token_off_loopback(self) -> HttpSourceConfig:
        host, _ = parse_listen(self.listen)
        if self.token is None and not is_local_host(host):
            raise ValueError(
                f"listen = {self.listen!r} is reachable from other machines: set "
                'token = "${INGEST_TOKEN}" so that only clients with the token can post'
            )
        secret = self.token.get_secret_value() if self.token is not None else None
        if secret is not None and not unresolved(secret) and len(secret) < 16:
            raise ValueError("token: use at least 16 characters (e.g. `openssl rand -hex 24`)")
        return self


def _argon2_hash(text: str) -> bool:
    """Whether `text` is a whole argon2 hash (`$argon2id$v=19$m=...,t=...,p=...$SALT$HASH`):
    a hash cut short or with a part lost would lock its user out, with nothing said."""
    if not text.startswith("$argon2"):
        return False
    from argon2 import extract_parameters  # only for a config with [web] users
    from argon2.exceptions import InvalidHashError

    try:
        extract_parameters(text)
    except (InvalidHashError, ValueError):
        return False
    return True


WEB_USER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")
"""A `[web] users` name: what people type into the login form, shown on the page."""


class WebConfig(_Strict):
    """`[web]`: the desk's page, served by the daemon (monitor/web)."""

    listen: str = "127.0.0.1:8080"
    # NAME = "ARGON2-HASH" (from `monitor web hash-password`); required off loopback.
    users: dict[str, SecretStr] = Field(default_factory=dict)
    # How many of the latest articles the playground tries a rule on (kept in memory).
    recent: int = Field(default=500, ge=0, le=5000)
    # How long a login lasts.
    session_hours: float = Field(default=12.0, gt=0, le=24 * 30)

    @field_validator("listen")
    @classmethod
    def _valid_listen(cls, value: str) -> str:
        return MetricsConfig._valid_listen(value)

    @field_validator("users")
    @classmethod
    def _valid_users(cls, value: dict[str, SecretStr]) -> dict[str, SecretStr]:
        for name, hashed in value.items():
            if not WEB_USER.fullmatch(name):
                raise ValueError(
                    f"user {name!r}: a name is 1-64 letters, digits, '_', '.', '@' or '-'"
                )
            secret = hashed.get_secret_value()
            if not unresolved(secret) and not _argon2_hash(secret):
                # Never quote the value: a password pasted here by mistake is a secret.
                raise ValueError(
                    f"user {name!r}: the value is not an argon2 hash (or only part of one: "
                    "a `$` eaten by a shell or an env file?); make one with "
                    "`monitor web hash-password` (the password on its standard input)"
                )
        return value

    @model_validator(mode="after")
    def _users_off_loopback(self) -> WebConfig:
        host, _ = parse_listen(self.listen)
        if not self.users and not is_local_host(host):
            raise ValueError(
                f"listen = {self.listen!r} is reachable from other machines: set "
                'users = { desk = "${WEB_DESK_PASSWORD_HASH}" } (argon2 hashes from '
                "`monitor web hash-password`) so that only people who log in see the page"
            )
        return self


SOURCE_TYPES = ("feed", "http")

if TYPE_CHECKING:
    AnySourceConfig = FeedSourceConfig | HttpSourceConfig
else:
    AnySourceConfig = Annotated[
        Union[FeedSourceConfig, HttpSourceConfig],  # noqa: UP007
        Field(discriminator="type"),
    ]


if TYPE_CHECKING:
    # mypy sees the common base; the models themselves are in the channel modules.
    AnyChannelConfig = ChannelConfig
else:
    # pydantic sees the union of every registered type's model, told apart by `type`: the
    # registry is the one list of channel types (no tuple here to keep in sync).
    AnyChannelConfig = Annotated[
        Union[tuple(t.config for t in CHANNEL_TYPES.values())],  # noqa: UP007
        Field(discriminator="type"),
    ]


@dataclass(frozen=True)
class UnsetVariable:
    """A `${NAME}` in the config that the environment does not set, and where."""

    name: str
    key: str  # dotted: channels.newsroom.webhook_url
    line: int


class Config(_Strict):
    """The whole config file. Paths are made absolute against the config file's folder."""

    inbox: InboxConfig = Field(default_factory=InboxConfig)
    rules: RulesConfig = Field(default_factory=RulesConfig)
    state: StateConfig = Field(default_factory=StateConfig)
    stories: StoriesConfig = Field(default_factory=StoriesConfig)
    matching: MatchingConfig = Field(default_factory=MatchingConfig)
    metrics: MetricsConfig | None = None
    web: WebConfig | None = None
    channels: dict[str, AnyChannelConfig] = Field(default_factory=dict)
    sources: dict[str, AnySourceConfig] = Field(default_factory=dict)
    source: Path = Field(default=Path("config.toml"), exclude=True)
    # Only with `strict_env=False`: variables left unset, for `monitor check` to warn about.
    unset: tuple[UnsetVariable, ...] = Field(default=(), exclude=True)


def _interpolate(
    value: Any,
    where: tuple[str, ...],
    env: Mapping[str, str],
    missing: list[tuple[tuple[str, ...], str]],
) -> Any:
    """Replace `${VAR}` in every string; collect unset variables instead of failing early.

    An unset variable's `${VAR}` stays in the value, so the channel models' validators can
    tell a value they cannot judge yet (`monitor.settings.unresolved`) from a wrong one.
    """
    if isinstance(value, str):

        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in env:
                missing.append((where, name))
                return m.group(0)
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


def _user_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop the union-member tag pydantic inserts (`channels.x.slack.url` -> `channels.x.url`)."""
    if len(loc) >= 3 and loc[0] == "channels" and loc[2] in CHANNEL_TYPES:
        return (*loc[:2], *loc[3:])
    if len(loc) >= 3 and loc[0] == "sources" and loc[2] in SOURCE_TYPES:
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
        if err["loc"][:1] == ("sources",):
            return f"`{loc}`: source `type` must be one of {', '.join(SOURCE_TYPES)}"
        return f"`{loc}`: channel `type` must be one of {', '.join(CHANNEL_TYPES)}"
    if kind == "value_error" and "error" in err.get("ctx", {}):
        parts = err["loc"]
        if len(parts) >= 2 and parts[0] in ("channels", "sources"):  # a model's own check
            key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts[2:])
            where = f"[{parts[0]}.{parts[1]}] {key[1:]}".rstrip()  # urls[1]: the second
            return f"{where}: {err['ctx']['error']}"
        return f"`{loc}`: {err['ctx']['error']}"  # our own message, without pydantic's prefix
    if kind == "finite_number":
        return (
            f"`{loc}`: must be a finite number, not inf or nan; give a number, or remove "
            f"the key for the default"
        )
    if kind in ("less_than_equal", "less_than") and "le" in err.get("ctx", {}):
        return f"`{loc}`: must be at most {err['ctx']['le']}; lower it"
    return f"`{loc}`: {err['msg']}"


def _absolute(config: Config, base: Path, text: str, shown: str) -> Config:
    """`config` with every relative path made absolute against `base` (and resolved).

    A path that cannot be resolved (a symlink loop) is a `ConfigError` at its key, not a
    traceback from `check` or `run`.
    """
    problems: list[str] = []

    def fix(p: Path, *keys: str) -> Path:
        if p.is_absolute():
            return p
        try:
            return (base / p).resolve()
        except (OSError, RuntimeError) as exc:
            problems.append(
                f"{shown}:{_line_of(text, keys)}: {_label(keys)}: cannot resolve "
                f"{p}: {exc}; fix the symlinks on the way or give another path"
            )
            return base / p

    channels: dict[str, ChannelConfig] = {}
    for name, ch in config.channels.items():
        paths: dict[str, Path] = {}
        if isinstance(ch, FileChannelConfig):
            paths["path"] = fix(ch.path, "channels", name, "path")
        if ch.template is not None:
            paths["template"] = fix(ch.template, "channels", name, "template")
        channels[name] = ch.model_copy(update=paths) if paths else ch
        if ch.template is not None:
            channels[name]._template_digest = _file_digest(paths["template"])
    config = config.model_copy(
        update={
            "inbox": config.inbox.model_copy(
                update={
                    "path": fix(config.inbox.path, "inbox", "path"),
                    "archive": fix(config.inbox.archive, "inbox", "archive"),
                    "quarantine": fix(config.inbox.quarantine, "inbox", "quarantine"),
                }
            ),
            "rules": config.rules.model_copy(
                update={"path": fix(config.rules.path, "rules", "path")}
            ),
            "state": config.state.model_copy(
                update={"path": fix(config.state.path, "state", "path")}
            ),
            "channels": channels,
        }
    )
    if problems:
        raise ConfigError(problems)
    return config


def _file_digest(path: Path) -> str | None:
    """SHA-256 of a (small) file such as a channel template, None if it cannot be read."""
    try:
        with path.open("rb") as handle:
            return hashlib.sha256(handle.read(1 << 20)).hexdigest()
    except OSError:
        return None


def key_line(config: Config, *keys: str) -> int:
    """The line of a dotted key in the config file, for messages about valid-TOML problems."""
    try:
        return _line_of(config.source.read_text(encoding="utf-8"), keys)
    except OSError:
        return 1


def load_config(
    path: Path, env: Mapping[str, str] | None = None, strict_env: bool = True
) -> Config:
    """Read, interpolate and validate a config file; raise `ConfigError` listing every problem.

    With `strict_env=False` an unset `${VAR}` is no error but listed in `Config.unset`
    (the value keeps its `${VAR}` and is not judged): for commands that never send
    (`monitor check`, `outbox`, `test`), so an admin or a rule editor can run them in a shell
    that does not hold the channels' secrets. `monitor run` loads with `strict_env=True`.
    """
    env = os.environ if env is None else env
    shown = str(path)
    text = _read_text(path, shown)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ConfigError([f"{shown}:{m.group(1) if m else 1}: invalid TOML: {exc}"]) from None
    except RecursionError:
        raise ConfigError(
            [f"{shown}:1: invalid TOML: arrays or tables nested too deeply for a config file"]
        ) from None
    missing: list[tuple[tuple[str, ...], str]] = []
    raw = _interpolate(raw, (), env, missing)
    problems = (
        [
            f"{shown}:{_line_of(text, where)}: environment variable {name} is not set "
            f"(used by `{'.'.join(where)}`); export it or remove the key"
            for where, name in missing
        ]
        if strict_env
        else []
    )
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = _user_loc(err["loc"])
            problems.append(f"{shown}:{_line_of(text, loc)}: {_fix_hint({**err, 'loc': loc})}")
    if problems:
        raise ConfigError(problems)
    problems = []
    unset = tuple(
        UnsetVariable(name, ".".join(where), _line_of(text, where)) for where, name in missing
    )
    try:
        config = _absolute(
            config.model_copy(update={"source": path.resolve(), "unset": unset}),
            path.resolve().parent,
            text,
            shown,
        )
    except ConfigError as exc:
        raise ConfigError(problems + exc.problems) from None
    problems += _overlap_problems(config, raw, text, shown)
    problems += _source_problems(config, text, shown)
    if problems:
        raise ConfigError(problems)
    return config


def _source_problems(config: Config, text: str, shown: str) -> list[str]:
    """Source names the state database and metrics can key by, and listeners that do not
    clash: two ingest sources, or one and `[metrics]`, cannot bind the same address."""
    problems: list[str] = []
    bound: dict[tuple[str, int], str] = {}
    if config.metrics is not None:
        bound[parse_listen(config.metrics.listen)] = "[metrics] listen"
    if config.web is not None:
        address = parse_listen(config.web.listen)
        if address in bound:
            problems.append(
                f"{shown}:{_line_of(text, ('web', 'listen'))}: [web] listen = "
                f"{config.web.listen!r} is already used by {bound[address]}; give each "
                "listener its own port"
            )
        bound[address] = "[web] listen"
    for name, conf in config.sources.items():
        where = f"{shown}:{_line_of(text, ('sources', name))}: [sources.{name}]"
        if not SOURCE_NAME.fullmatch(name) or name == "inbox":
            problems.append(
                f"{where}: the name must be 1-64 letters, digits, '-', '_' or '.', starting "
                'with a letter or digit, and not "inbox" (the [inbox] folder\'s own name)'
            )
        if isinstance(conf, HttpSourceConfig):
            address = parse_listen(conf.listen)
            if address in bound:
                problems.append(
                    f"{where} listen = {conf.listen!r} is already used by {bound[address]}; "
                    "give each listener its own port"
                )
            bound[address] = f"[sources.{name}] listen"
    return problems


MAX_CONFIG_BYTES = 1 << 20
"""A config file is a few kilobytes; anything near a megabyte is not one."""


def _read_text(path: Path, shown: str) -> str:
    """The config file's text, or `ConfigError`: never blocks, never reads a giant.

    Opened without blocking, so a FIFO given as `--config` is refused instead of waiting
    forever for a writer; only a regular file of sane size is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ConfigError([f"{shown}:1: config file not found (pass --config FILE)"]) from None
    except OSError as exc:
        raise ConfigError([f"{shown}:1: cannot read config: {exc.strerror or exc}"]) from None
    # Looked at before `fdopen`, which raises IsADirectoryError for a folder.
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "a directory, not a config file" if stat.S_ISDIR(mode) else "not a regular file"
        raise ConfigError([f"{shown}:1: cannot read config: {what}"])
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            [
                f"{shown}:1: cannot read config: larger than "
                f"{MAX_CONFIG_BYTES:,} bytes, which no config file needs"
            ]
        )
    try:
        return data.decode("utf-8-sig")  # a BOM, as Windows editors write, is no error
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            [
                f"{shown}:{line}: cannot read config: not UTF-8 (byte "
                f"0x{data[exc.start]:02x}); save the file as UTF-8"
            ]
        ) from None


# -- paths that must not overlap ---------------------------------------------------------------
# Why a place must stay out of another (host, what is inside it). The inbox is watched
# recursively, so anything the daemon writes below it comes back as an "article"; every
# *.yaml/*.yml below the rules folder is a rule file; the state folder holds the database.
_DB_ALONE = (
    "the state folder must hold the database alone (it is what you back up and keep "
    "on a local disk)"
)
_WHY_APART = {
    ("inbox", "archive"): "processed files moved there would be read again, endlessly",
    ("inbox", "quarantine"): "quarantined files would be read and quarantined again, endlessly",
    ("inbox", "state"): "the daemon would take its own database for an article and "
    "quarantine it, then alert everything again after a restart",
    ("inbox", "rules"): "rule files would be taken for articles and moved away, and every "
    "article dropped would reload the rules",
    ("inbox", "file"): "each alert written there would be read as an article and alert again, "
    "endlessly",
    ("rules", "archive"): "archived articles (a *.yaml one, say) would be loaded as rule "
    "files, and every article archived would reload the rules",
    ("rules", "quarantine"): "quarantined files (a *.yaml one, say) would be loaded as rule "
    "files, and every file quarantined would reload the rules",
    ("rules", "file"): "every alert written there would reload the rules, and a *.yaml or "
    "*.yml file would be read as a rule file",
    ("state", "archive"): _DB_ALONE,
    ("state", "quarantine"): _DB_ALONE,
    ("state", "file"): f"alerts would be written into the database or beside it, and {_DB_ALONE}",
    ("config", "file"): "each alert would be appended to the config file, which would then no "
    "longer load",
    ("file", "file"): "two channels appending to one file interleave their records and each "
    "alert is written twice",
}


# ... and why a folder must not live inside one of them.
_WHY_INSIDE = {
    ("inbox", "archive"): "the inbox would sit among the dated archive folders, which are the "
    "daemon's to fill and yours to prune",
    ("inbox", "quarantine"): "the inbox would sit among quarantined files and their notes, "
    "which are the daemon's to fill and yours to clear",
    ("inbox", "state"): _DB_ALONE,
    ("inbox", "rules"): "files dropped into the inbox would be taken for rule files, and every "
    "one would reload the rules",
    ("rules", "archive"): "the rules would sit among the dated archive folders, which are the "
    "daemon's to fill and yours to prune",
    ("rules", "quarantine"): "the rules would sit among quarantined files and their notes, "
    "which are the daemon's to fill and yours to clear",
    ("state", "archive"): "the database would sit among the dated archive folders, which are "
    "the daemon's to fill and yours to prune",
    ("state", "quarantine"): "the database would sit among quarantined files and their notes, "
    "which are the daemon's to fill and yours to clear",
}


@dataclass(frozen=True)
class _Place:
    """One path of the config, for the overlap checks."""

    keys: tuple[str, ...]  # where it is set: ("inbox", "archive")
    label: str  # how a message names it: "[inbox] archive"
    kind: str  # the key into _WHY_APART / _WHY_INSIDE
    path: Path  # absolute, symlinks resolved
    is_folder: bool
    default: str  # a name for it in a suggested fix
    noun: str = ""  # how a fix names it as a neighbour: "the inbox"


def _has_key(raw: Any, keys: tuple[str, ...]) -> bool:
    for key in keys:
        if not isinstance(raw, dict) or key not in raw:
            return False
        raw = raw[key]
    return True


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def _label(keys: tuple[str, ...]) -> str:
    """`("channels", "log", "path")` as the user reads it: `[channels.log] path`."""
    return f"[{'.'.join(keys[:-1])}] {keys[-1]}"


def _apart_problem(
    host: _Place, other: _Place, raw: dict[str, Any], text: str, shown: str
) -> str | None:
    """`FILE:LINE: message` if `other` is `host` or lies inside it, or (both folders, where
    `_WHY_INSIDE` has a reason) `host` lies inside `other`; None if they are apart."""
    if _inside(other.path, host.path):  # the same, or inside the host: move it out
        same = (
            "folder"
            if host.is_folder and other.is_folder
            else "path"
            if host.is_folder or other.is_folder
            else "file"
        )
        what = (
            f"{other.label} and {host.label} are the same {same} ({other.path})"
            if other.path == host.path
            else f"{other.label} ({other.path}) is inside {host.label} ({host.path})"
        )
        why = _WHY_APART[(host.kind, other.kind)]
        fix = f'{other.label} = "{host.path.parent / other.default}" beside {host.noun}'
        at = other.keys if _has_key(raw, other.keys) else host.keys
    elif (
        other.is_folder
        and (host.kind, other.kind) in _WHY_INSIDE
        and _inside(host.path, other.path)
    ):  # the host inside it: move the host out
        what = f"{host.label} ({host.path}) is inside {other.label} ({other.path})"
        why = _WHY_INSIDE[(host.kind, other.kind)]
        fix = f'{host.label} = "{other.path.parent / host.default}" beside it'
        at = host.keys if _has_key(raw, host.keys) else other.keys
    else:
        return None
    return f"{shown}:{_line_of(text, at)}: {what}: {why}; keep them apart, e.g. {fix}"


def _overlap_problems(config: Config, raw: dict[str, Any], text: str, shown: str) -> list[str]:
    """Paths that overlap where they must not, as `FILE:LINE: message` lines.

    Nothing the daemon writes may be in the inbox (or hold it); archived and quarantined
    files may not be in the rules or the state folder (or hold them); a file channel may not
    write into the state or rules folder, over the config file, or into another channel's
    file. Paths are compared fully resolved, so a symlink to (or into) a folder is caught too.
    `archive` is checked only with `after = "archive"`, the only time it is written;
    archive and quarantine may share a folder or nest: neither is watched.
    """

    def folder(keys: tuple[str, str], kind: str, path: Path, noun: str = "") -> _Place:
        return _Place(keys, _label(keys), kind, path.resolve(), True, kind, noun)

    inbox = folder(("inbox", "path"), "inbox", config.inbox.path, "the inbox")
    rules = folder(("rules", "path"), "rules", config.rules.path, "the rules folder")
    state = folder(("state", "path"), "state", config.state.path, "the state folder")
    written = [folder(("inbox", "quarantine"), "quarantine", config.inbox.quarantine)]
    if config.inbox.after == "archive":
        written.insert(0, folder(("inbox", "archive"), "archive", config.inbox.archive))
    files = [
        _Place(
            ("channels", name, "path"),
            _label(("channels", name, "path")),
            "file",
            ch.path.resolve(),
            False,
            "alerts.jsonl",
            f"[channels.{name}] path",
        )
        for name, ch in config.channels.items()
        if isinstance(ch, FileChannelConfig)
    ]
    source = _Place(
        (),
        "the config file",
        "config",
        config.source.resolve(),
        False,
        config.source.name,
        "the config file",
    )
    pairs = [(inbox, other) for other in [*written, state, rules, *files]]
    pairs += [(host, other) for host in (rules, state) for other in [*written, *files]]
    pairs += [(source, other) for other in files]
    pairs += [
        (first, _other_file(second)) for i, first in enumerate(files) for second in files[i + 1 :]
    ]
    problems = [_apart_problem(host, other, raw, text, shown) for host, other in pairs]
    return [problem for problem in problems if problem is not None]


def _other_file(place: _Place) -> _Place:
    """A file channel as the second of two on one file: the fix gives it a name of its own."""
    return _Place(
        place.keys, place.label, place.kind, place.path, False, f"{place.keys[1]}.jsonl", place.noun
    )


# -- warnings: valid, but probably not what the admin wants ------------------------------------
def config_warnings(config: Config, shown: str | None = None) -> list[str]:
    """`FILE:LINE: warning: ...` lines for settings that work but are probably a mistake.

    A warning is not a problem: `monitor check` prints it and still exits 0. `shown` is the
    config path as the user gave it (default: the resolved path). Each channel model says
    its own (`ChannelConfig.warnings`); unset variables (only left with `strict_env=False`)
    are named with where they are used, never with a value.
    """
    shown = str(config.source) if shown is None else shown
    warnings: list[str] = []
    for var in config.unset:
        warnings.append(
            f"{shown}:{var.line}: warning: environment variable {var.name} is not set (used by "
            f"`{var.key}`); `monitor run` needs it, `check --strict` makes this an error"
        )
    for name, ch in config.channels.items():
        for key, message in ch.warnings(name):
            line = key_line(config, "channels", name, key)
            warnings.append(f"{shown}:{line}: warning: {message}")
    return warnings


def file_channel_problems(config: Config, shown: str) -> list[str]:
    """`FILE:LINE: ...` for each file channel whose file this process could not append to.

    For `monitor check`: without it, a path the daemon cannot write (a relative path that
    resolves into a read-only /etc/monitor under systemd) passed check, and every alert was
    retried for ever. Nothing is created (see `cannot_write`); the test is made as the user
    running check, which is why the README says to run it as the daemon's user.
    """
    problems: list[str] = []
    for name, conf in config.channels.items():
        if not isinstance(conf, FileChannelConfig):
            continue
        error = cannot_write(conf.path)
        if error is None:
            continue
        line = key_line(config, "channels", name, "path")
        problems.append(
            f"{shown}:{line}: [channels.{name}] path {conf.path}: cannot write: "
            f"{error.strerror or error}; give an absolute path in a folder the daemon's user "
            f"may write (under systemd: below /var/lib/monitor, e.g. "
            f'path = "/var/lib/monitor/{conf.path.name}"), and run check as that user'
        )
    return problems
