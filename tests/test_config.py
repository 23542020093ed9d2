"""Config loading: strict keys with FILE:LINE, ${VAR} interpolation, relative paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.channels.email import EmailChannelConfig
from monitor.channels.file import FileChannelConfig
from monitor.channels.slack import SlackChannelConfig
from monitor.config import load_config
from monitor.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_loads_with_no_environment() -> None:
    config = load_config(REPO / "config.toml", env={})
    assert config.inbox.path == REPO / "inbox"
    assert set(config.channels) == {"console", "log"}


def test_paths_are_relative_to_the_config_folder(tmp_path: Path) -> None:
    sub = tmp_path / "etc"
    sub.mkdir()
    path = _write(sub, '[inbox]\npath = "in"\n[channels.f]\ntype = "file"\npath = "a.jsonl"\n')
    config = load_config(path, env={})
    assert config.inbox.path == sub / "in"
    assert config.state.path == sub / "state"
    channel = config.channels["f"]
    assert isinstance(channel, FileChannelConfig) and channel.path == sub / "a.jsonl"


def test_unknown_key_names_file_line_and_key(tmp_path: Path) -> None:
    path = _write(tmp_path, '[inbox]\npath = "in"\n\n[rules]\npth = "r"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert err.value.problems == [
        f"{path}:5: unknown key `rules.pth`: remove it or check its spelling"
    ]


def test_unset_variable_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, '[channels.s]\ntype = "slack"\nwebhook_url = "${SLACK_URL}"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert "SLACK_URL is not set" in str(err.value)
    assert f"{path}:3:" in str(err.value)


def test_variables_are_interpolated_and_secret(tmp_path: Path) -> None:
    path = _write(tmp_path, '[channels.s]\ntype = "slack"\nwebhook_url = "${SLACK_URL}"\n')
    config = load_config(path, env={"SLACK_URL": "https://hooks.example/T0/B0/XYZ"})
    channel = config.channels["s"]
    assert isinstance(channel, SlackChannelConfig)
    assert channel.webhook_url.get_secret_value() == "https://hooks.example/T0/B0/XYZ"
    assert "XYZ" not in repr(config)


def test_email_channel_from_key(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[channels.m]\ntype = "email"\nhost = "127.0.0.1"\n'
        'from = "a@example.org"\nto = ["b@example.org"]\n',
    )
    channel = load_config(path, env={}).channels["m"]
    assert isinstance(channel, EmailChannelConfig)
    assert channel.from_ == "a@example.org"


def test_bad_values_and_types(tmp_path: Path) -> None:
    path = _write(tmp_path, '[inbox]\nafter = "move"\n[channels.x]\ntype = "sms"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    text = str(err.value)
    assert f"{path}:2: `inbox.after`" in text
    assert f"{path}:3: `channels.x`: channel `type` must be one of" in text


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "[inbox]\npath = \n")
    with pytest.raises(ConfigError, match=r"config.toml:2: invalid TOML"):
        load_config(path, env={})
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml", env={})


def test_commands_that_never_send_tolerate_unset_variables(tmp_path: Path) -> None:
    path = _write(tmp_path, '[channels.s]\ntype = "slack"\nwebhook_url = "${SLACK_URL}"\n')
    config = load_config(path, env={}, strict_env=False)
    assert set(config.channels) == {"s"}


def test_webhook_url_is_checked_unless_its_variable_is_unset(tmp_path: Path) -> None:
    """A non-http URL is refused (and not echoed: it is a secret); a URL from an unset
    `${VAR}` is reported once, as unset, and tolerated by commands that never send."""
    path = _write(tmp_path, '[channels.h]\ntype = "webhook"\nurl = "file:///etc/passwd"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert err.value.problems == [f"{path}:3: [channels.h] url: must be an http:// or https:// URL"]
    path = _write(tmp_path, '[channels.h]\ntype = "webhook"\nurl = "${HOOK_URL}"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert len(err.value.problems) == 1 and "HOOK_URL is not set" in err.value.problems[0]
    assert set(load_config(path, env={}, strict_env=False).channels) == {"h"}


def test_a_symlink_loop_in_a_path_is_a_config_error(tmp_path: Path) -> None:
    """`resolve` raised RuntimeError ("Symlink loop") out of `check` and `run`."""
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    path = _write(tmp_path, '[inbox]\npath = "in"\n\n[state]\npath = "a/db"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert err.value.problems[0].startswith(f"{path}:5: [state] path: cannot resolve a/db: ")


EMAIL = """[channels.desk]
type = "email"
host = "smtp.example.org"
from = "monitor@example.org"
to = {to}
"""


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ('"desk@example.org"', "give `to` as a list of addresses"),
        ("[]", "no recipients"),
        ('["desk"]', "a `to` address is not an email address: 'desk'"),
        ('["a@example.org, b@example.org"]', "give each `to` address separately"),
        ('["desk@example.org\\r\\nBcc: x@example.org"]', "a `to` address contains a line break"),
    ],
)
def test_email_addresses_are_checked_with_the_config(tmp_path: Path, to: str, message: str) -> None:
    """Found by validating the config alone: `check` builds no channel to find them."""
    path = _write(tmp_path, EMAIL.format(to=to))
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert len(err.value.problems) == 1
    assert err.value.problems[0].startswith(f"{path}:5: [channels.desk] to: {message}")


def test_email_sender_is_checked_with_the_config(tmp_path: Path) -> None:
    path = _write(tmp_path, EMAIL.format(to='["d@example.org"]').replace("monitor@", "monitor"))
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert err.value.problems == [
        f"{path}:4: [channels.desk] from: `from` is not an email address: 'monitorexample.org'"
    ]


def test_unset_variables_are_listed_with_their_line_and_never_judged(tmp_path: Path) -> None:
    """With `strict_env=False` a value from an unset variable is not checked (it is unknown
    until run time) and the variable is listed for `check` to warn about."""
    text = EMAIL.format(to='["${DESK_TO}"]') + '\n[channels.s]\ntype = "slack"\n'
    path = _write(tmp_path, text + 'webhook_url = "${SLACK_URL}"\n')
    config = load_config(path, env={}, strict_env=False)
    assert [(v.name, v.key, v.line) for v in config.unset] == [
        ("DESK_TO", "channels.desk.to", 5),
        ("SLACK_URL", "channels.s.webhook_url", 9),
    ]
    assert load_config(path, env={"DESK_TO": "d@example.org", "SLACK_URL": "https://x.org/a"})
