"""Channel types behind one interface; `build_channel` turns a config entry into a channel."""

from __future__ import annotations

import logging

from monitor import config as cfg
from monitor.channels.base import Channel
from monitor.channels.console import ConsoleChannel
from monitor.channels.email import EmailChannel
from monitor.channels.file import FileChannel, cannot_write
from monitor.channels.slack import SlackChannel
from monitor.channels.webhook import WebhookChannel
from monitor.errors import ChannelConfigError, DeliveryError

__all__ = [
    "Channel",
    "ChannelConfigError",
    "DeliveryError",
    "build_channel",
    "file_channel_problems",
]

log = logging.getLogger("monitor.channels")


def build_channel(name: str, conf: cfg.ChannelConfig, *, warn: bool = True) -> Channel:
    """The channel for one `[channels.NAME]` entry; secrets are unwrapped only here.

    With `warn`, settings that work but endanger something (SMTP AUTH in cleartext) are
    logged, so the daemon says so at every start and reload; `monitor check` passes False
    and prints the same warnings with FILE:LINE itself (`config.config_warnings`).
    """
    if isinstance(conf, cfg.ConsoleChannel):
        return ConsoleChannel(name)
    if isinstance(conf, cfg.FileChannel):
        return FileChannel(name, conf.path)
    if isinstance(conf, cfg.SlackChannel):
        return SlackChannel(name, conf.webhook_url.get_secret_value())
    if isinstance(conf, cfg.WebhookChannel):
        secret = conf.secret.get_secret_value() if conf.secret else None
        return WebhookChannel(name, conf.url.get_secret_value(), secret)
    if warn and cfg.cleartext_auth(conf):
        log.warning("%s", cfg.cleartext_auth_warning(name, conf))
    password = conf.password.get_secret_value() if conf.password else None
    try:
        return EmailChannel(
            name,
            conf.host,
            conf.port,
            conf.security,
            conf.username,
            password,
            conf.from_,
            list(conf.to),
        )
    except ValueError as exc:
        raise ChannelConfigError(str(exc)) from None


def file_channel_problems(config: cfg.Config, shown: str) -> list[str]:
    """`FILE:LINE: ...` for each file channel whose file this process could not append to.

    For `monitor check`: without it, a path the daemon cannot write (a relative path that
    resolves into a read-only /etc/monitor under systemd) passed check, and every alert was
    retried for ever. Nothing is created (see `cannot_write`); the test is made as the user
    running check, which is why the README says to run it as the daemon's user.
    """
    problems: list[str] = []
    for name, conf in config.channels.items():
        if not isinstance(conf, cfg.FileChannel):
            continue
        error = cannot_write(conf.path)
        if error is None:
            continue
        line = cfg.key_line(config, "channels", name, "path")
        problems.append(
            f"{shown}:{line}: [channels.{name}] path {conf.path}: cannot write: "
            f"{error.strerror or error}; give an absolute path in a folder the daemon's user "
            f"may write (under systemd: below /var/lib/monitor, e.g. "
            f'path = "/var/lib/monitor/{conf.path.name}"), and run check as that user'
        )
    return problems
