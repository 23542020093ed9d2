"""The config keys the README and the shipped config.toml document are the ones the loader
accepts: each document lists every key (commented-out lines count), and each loads.

A key added to the config models fails here until config.toml and the README show it.
"""

from __future__ import annotations

import re
import tomllib
import types
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pytest
from helpers.workspace import REPO
from pydantic import BaseModel

from monitor.channels.base import ChannelConfig
from monitor.channels.registry import CHANNEL_TYPES
from monitor.config import Config, FeedSourceConfig, HttpSourceConfig, load_config

# What the examples' ${VAR}s stand for, so that they load.
ENV = {
    "SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T0/B0/x",
    "SMTP_USER": "monitor",
    "SMTP_PASSWORD": "secret",
    "WEBHOOK_SECRET": "secret",
    "WEB_DESK_PASSWORD_HASH": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
    "TEAMS_URL": "json://127.0.0.1:9/teams",
    "TELEGRAM_BOT_TOKEN": "123456789:token",
    "TELEGRAM_CHAT_ID": "12345",
    "INGEST_TOKEN": "an-ingest-token-of-32-characters",
}

# `# key = value` and `# [table]`, the way config.toml and the README comment keys out.
COMMENTED_KEY = re.compile(r"^# ?(\[[\w.]+\](?: +#.*)?|\w+ = .*)$", re.MULTILINE)


def _uncommented(text: str) -> str:
    return COMMENTED_KEY.sub(r"\1", text)


def _readme_tomls() -> list[str]:
    readme = (REPO / "README.md").read_text("utf-8")
    return re.findall(r"^```toml\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)


# Keys every channel type has (`group`, `digest`, ...): documented once, on any channel.
COMMON = set(ChannelConfig.model_fields) - {"type"}


def _channel_key(kind: str, key: str) -> str:
    return f"channels.*.{key}" if key in COMMON else f"channels.{kind}.{key}"


def _keys(doc: dict[str, Any]) -> set[str]:
    """Dotted keys of a config; a channel's keys are named by its type, not its name
    (`channels.*.KEY` for the keys every type has)."""
    keys: set[str] = set()
    for table, body in doc.items():
        if table == "channels":
            for channel in body.values():
                keys |= {_channel_key(channel["type"], key) for key in channel}
        elif table == "sources":  # by type, like channels
            for source in body.values():
                keys |= {f"sources.{source['type']}.{key}" for key in source}
        elif isinstance(body, dict):
            keys |= {f"{table}.{key}" for key in body}
        else:
            keys.add(table)
    return keys


def _model(annotation: Any) -> type[BaseModel] | None:
    """The model in `Model` or `Model | None`, or None for a plain value."""
    if get_origin(annotation) in (Union, types.UnionType):
        found = [_model(arg) for arg in get_args(annotation)]
        return next((model for model in found if model is not None), None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _accepted() -> set[str]:
    """Every key the loader accepts, named as `_keys` names them."""
    keys: set[str] = set()
    for name, field in Config.model_fields.items():
        model = _model(field.annotation)
        if model is not None:
            keys |= {f"{name}.{sub.alias or key}" for key, sub in model.model_fields.items()}
    for model in (FeedSourceConfig, HttpSourceConfig):
        kind = get_args(model.model_fields["type"].annotation)[0]
        keys |= {f"sources.{kind}.{f.alias or k}" for k, f in model.model_fields.items()}
    for kind, entry in CHANNEL_TYPES.items():
        fields = entry.config.model_fields
        keys |= {_channel_key(kind, f.alias or k) for k, f in fields.items()}
    return keys


def test_shipped_config_lists_every_key_and_loads_with_them_all(tmp_path: Path) -> None:
    text = (REPO / "config.toml").read_text("utf-8")
    full = _uncommented(text)
    assert _keys(tomllib.loads(full)) == _accepted()
    (tmp_path / "config.toml").write_text(full, encoding="utf-8")
    load_config(tmp_path / "config.toml", env=ENV)  # every commented-out key is valid as shown


def test_readme_documents_every_key() -> None:
    documented: set[str] = set()
    for block in _readme_tomls():
        documented |= _keys(tomllib.loads(_uncommented(block)))
    assert documented == _accepted()


@pytest.mark.parametrize("index", range(len(_readme_tomls())))
def test_each_readme_config_example_loads(index: int, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(_uncommented(_readme_tomls()[index]), encoding="utf-8")
    load_config(tmp_path / "config.toml", env=ENV)
