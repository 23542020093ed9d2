"""Pydantic models of `config.toml`: strict keys, `${VAR}` from the environment, relative paths.

Everything a user can get wrong here is reported as `FILE:LINE: message` so that `monitor
check` and a failed start point at the line to fix. Secrets are `SecretStr`, so a config that
is printed or logged never shows them.
"""

from __future__ import annotations

import ipaddress
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

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
    # The time one file may take to be read and matched before it is stopped and
    # quarantined: one pathological file must not hold up the others (see monitor.budget).
    max_seconds: float = Field(default=10.0, gt=0, le=3600)
    poll: bool = False


class RulesConfig(_Strict):
    path: Path = Path("rules")


class StateConfig(_Strict):
    path: Path = Path("state")


_HOSTNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")


def parse_listen(listen: str) -> tuple[str, int]:
    """`HOST:PORT` or `[IPV6]:PORT` as (host, port); ValueError says what is wrong and the fix.

    Checked when the config is loaded, so that `monitor check` refuses what `bind` would
    refuse later (a port of 99999 used to pass check and then crash `run`), and so that an
    IPv6 address has one unambiguous spelling: brackets, as in URLs.
    """
    text = listen.strip()
    m = re.fullmatch(r"\[([^\]]*)\]:(\d+)|([^:\[\]]*):(\d+)", text)
    if m is None:
        if text.count(":") > 1 and "[" not in text:
            raise ValueError(f"{listen!r}: write an IPv6 address in brackets, e.g. "
                             f"\"[::1]:9464\"")
        raise ValueError(f"{listen!r} is not HOST:PORT, e.g. \"127.0.0.1:9464\" or "
                         f"\"[::1]:9464\"")
    v6, v6_port, host, v4_port = m.groups()
    port = int(v6_port if v6 is not None else v4_port)
    if not 1 <= port <= 65535:
        raise ValueError(f"{listen!r}: port {port} is out of range (1-65535)")
    if v6 is not None:
        try:
            ipaddress.IPv6Address(v6)
        except ValueError:
            raise ValueError(f"{listen!r}: {v6!r} in brackets is not an IPv6 address"
                             ) from None
        return v6, port
    if not _HOSTNAME.match(host):
        raise ValueError(f"{listen!r}: {host!r} is not a host name or IPv4 address")
    return host, port


class MetricsConfig(_Strict):
    listen: str = "127.0.0.1:9464"

    @field_validator("listen")
    @classmethod
    def _valid_listen(cls, value: str) -> str:
        parse_listen(value)
        return value


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
    if kind == "value_error" and "error" in err.get("ctx", {}):
        return f"`{loc}`: {err['ctx']['error']}"  # our own message, without pydantic's prefix
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
    text = _read_text(path, shown)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ConfigError([f"{shown}:{m.group(1) if m else 1}: invalid TOML: {exc}"]) from None
    except RecursionError:
        raise ConfigError([f"{shown}:1: invalid TOML: arrays or tables nested too deeply "
                           "for a config file"]) from None
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
    config = _absolute(config.model_copy(update={"source": path.resolve()}),
                       path.resolve().parent)
    overlaps = _overlap_problems(config, raw, text, shown)
    if overlaps:
        raise ConfigError(overlaps)
    return config


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
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError([f"{shown}:1: cannot read config: not a regular file"])
        data = handle.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError([f"{shown}:1: cannot read config: larger than "
                           f"{MAX_CONFIG_BYTES:,} bytes, which no config file needs"])
    try:
        return data.decode("utf-8-sig")  # a BOM, as Windows editors write, is no error
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ConfigError([f"{shown}:{line}: cannot read config: not UTF-8 (byte "
                           f"0x{data[exc.start]:02x}); save the file as UTF-8"]) from None


# -- folders that must not overlap the inbox ------------------------------------------------
# Why each folder must stay out of the inbox (and the inbox out of it). The inbox is watched
# recursively, so anything the daemon writes below it comes back as an "article".
_WHY_APART = {
    "archive": "processed files moved there would be read again, endlessly",
    "quarantine": "quarantined files would be read and quarantined again, endlessly",
    "state": "the daemon would take its own database for an article and quarantine it, then "
             "alert everything again after a restart",
    "rules": "rule files would be taken for articles and moved away, and every article "
             "dropped would reload the rules",
    "file": "each alert written there would be read as an article and alert again, endlessly",
}


# ... and why the inbox must not live inside one of them.
_WHY_INBOX_INSIDE = {
    "archive": "the inbox would sit among the dated archive folders, which are the daemon's "
               "to fill and yours to prune",
    "quarantine": "the inbox would sit among quarantined files and their notes, which are "
                  "the daemon's to fill and yours to clear",
    "state": "the state folder must hold the database alone (it is what you back up and "
             "keep on a local disk)",
    "rules": "files dropped into the inbox would be taken for rule files, and every one "
             "would reload the rules",
}


def _has_key(raw: Any, keys: tuple[str, ...]) -> bool:
    for key in keys:
        if not isinstance(raw, dict) or key not in raw:
            return False
        raw = raw[key]
    return True


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def _overlap_problems(config: Config, raw: dict[str, Any], text: str, shown: str) -> list[str]:
    """Folders (and file channels) that overlap the inbox, as `FILE:LINE: message` lines.

    Paths are compared fully resolved, so a symlink to (or into) the inbox is caught too.
    `archive` is checked only with `after = "archive"`, the only time it is written;
    archive and quarantine may share a folder or nest: neither is watched.
    """
    inbox = config.inbox.path.resolve()
    others: list[tuple[tuple[str, ...], str, str, Path, bool]] = []
    if config.inbox.after == "archive":
        others.append((("inbox", "archive"), "[inbox] archive", "archive",
                       config.inbox.archive, True))
    others += [
        (("inbox", "quarantine"), "[inbox] quarantine", "quarantine", config.inbox.quarantine,
         True),
        (("state", "path"), "[state] path", "state", config.state.path, True),
        (("rules", "path"), "[rules] path", "rules", config.rules.path, True),
    ]
    for name, ch in config.channels.items():
        if isinstance(ch, FileChannel):
            others.append((("channels", name, "path"), f"[channels.{name}] path", "file",
                           ch.path, False))
    problems: list[str] = []
    inbox_keys = ("inbox", "path")
    for keys, label, kind, path, is_folder in others:
        real = path.resolve()
        if _inside(real, inbox):  # the same folder, or inside the inbox: move it out
            what = (f"{label} and [inbox] path are the same folder ({real})" if real == inbox
                    else f"{label} ({real}) is inside [inbox] path ({inbox})")
            why = _WHY_APART[kind]
            default = "alerts.jsonl" if kind == "file" else kind
            fix = f'{label} = "{inbox.parent / default}" beside the inbox'
            at = keys if _has_key(raw, keys) else inbox_keys
        elif is_folder and _inside(inbox, real):  # the inbox inside it: move the inbox out
            what = f"[inbox] path ({inbox}) is inside {label} ({real})"
            why = _WHY_INBOX_INSIDE[kind]
            fix = f'[inbox] path = "{real.parent / "inbox"}" beside it'
            at = inbox_keys if _has_key(raw, inbox_keys) else keys
        else:
            continue
        problems.append(f"{shown}:{_line_of(text, at)}: {what}: {why}; keep them apart, "
                        f"e.g. {fix}")
    return problems


# -- warnings: valid, but probably not what the admin wants ------------------------------------
def is_local_host(host: str) -> bool:
    """Whether `host` names this machine (loopback), so traffic to it never crosses a network."""
    name = host.strip().strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost") or name == "ip6-localhost":
        return True
    try:
        return ipaddress.ip_address(name.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def cleartext_auth(channel: EmailChannel) -> bool:
    """SMTP AUTH without TLS to another machine: the password crosses the network readable."""
    return (channel.security == "none" and not is_local_host(channel.host)
            and (channel.password is not None or channel.username is not None))


def cleartext_auth_warning(name: str, channel: EmailChannel) -> str:
    """The text of the cleartext-AUTH warning (without FILE:LINE), shared by check and run."""
    return (f"[channels.{name}] security = \"none\" with a username/password for "
            f"{channel.host}, which is not this machine: the password and every alert cross "
            f"the network in cleartext; use security = \"starttls\" (port 587) or \"ssl\" "
            f"(port 465)")


def config_warnings(config: Config, shown: str | None = None) -> list[str]:
    """`FILE:LINE: warning: ...` lines for settings that work but are probably a mistake.

    A warning is not a problem: `monitor check` prints it and still exits 0. `shown` is the
    config path as the user gave it (default: the resolved path).
    """
    shown = str(config.source) if shown is None else shown
    warnings: list[str] = []
    for name, ch in config.channels.items():
        if isinstance(ch, EmailChannel) and cleartext_auth(ch):
            line = key_line(config, "channels", name, "security")
            warnings.append(f"{shown}:{line}: warning: {cleartext_auth_warning(name, ch)}")
    return warnings
