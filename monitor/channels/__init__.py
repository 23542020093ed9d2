"""Channel types behind one interface; `build_channel` turns a config entry into a channel."""

from __future__ import annotations

from monitor import config as cfg
from monitor.channels.base import Channel, DeliveryError
from monitor.channels.console import ConsoleChannel
from monitor.channels.email import EmailChannel
from monitor.channels.file import FileChannel
from monitor.channels.slack import SlackChannel
from monitor.channels.webhook import WebhookChannel

__all__ = ["Channel", "ChannelConfigError", "DeliveryError", "build_channel"]


class ChannelConfigError(Exception):
    """A channel entry that validates as TOML but cannot be used (say, a malformed address)."""


def build_channel(name: str, conf: cfg.ChannelConfig) -> Channel:
    """The channel for one `[channels.NAME]` entry; secrets are unwrapped only here."""
    if isinstance(conf, cfg.ConsoleChannel):
        return ConsoleChannel(name)
    if isinstance(conf, cfg.FileChannel):
        return FileChannel(name, conf.path)
    if isinstance(conf, cfg.SlackChannel):
        return SlackChannel(name, conf.webhook_url.get_secret_value())
    if isinstance(conf, cfg.WebhookChannel):
        secret = conf.secret.get_secret_value() if conf.secret else None
        return WebhookChannel(name, conf.url.get_secret_value(), secret)
    password = conf.password.get_secret_value() if conf.password else None
    try:
        return EmailChannel(name, conf.host, conf.port, conf.security, conf.username, password,
                            conf.from_, list(conf.to))
    except ValueError as exc:
        raise ChannelConfigError(str(exc)) from None
