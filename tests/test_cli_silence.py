"""`monitor silence add|list|expire`, run as real subprocesses on a real state database."""

from __future__ import annotations

import json
import re

from helpers.workspace import Workspace

ID = re.compile(r"[0-9a-f]{12}")


def _add(workspace: Workspace, *args: str) -> str:
    result = workspace.monitor("silence", "add", *args)
    assert result.returncode == 0, result.stderr
    assert ID.fullmatch(result.stdout.strip()), result.stdout
    assert result.stdout.count("\n") == 1  # the id alone on its line
    return result.stdout.strip()


def test_add_list_expire_round_trip(workspace: Workspace) -> None:
    empty = workspace.monitor("silence", "list")
    assert empty.returncode == 0 and "no silences" in empty.stdout
    by_rule = _add(workspace, "--rule", "nato-south-korea", "--for", "2h", "--comment", "known")
    by_query = _add(
        workspace, "--query", "entity:NATO AND title:summit", "--channel", "log", "--for", "30m"
    )
    listed = workspace.monitor("silence", "list").stdout.splitlines()
    assert len(listed) == 2
    assert listed[0].startswith(by_query) and "query entity:NATO AND title:summit" in listed[0]
    assert "on log" in listed[0]
    assert listed[1].startswith(by_rule) and "rule nato-south-korea" in listed[1]
    assert "all channels" in listed[1] and "known" in listed[1]

    expired = workspace.monitor("silence", "expire", by_query)
    assert expired.returncode == 0 and by_query in expired.stdout
    assert [
        line.split()[0] for line in workspace.monitor("silence", "list").stdout.splitlines()
    ] == [by_rule]
    both = workspace.monitor("silence", "list", "--all").stdout
    assert by_query in both and "(over)" in both

    again = workspace.monitor("silence", "expire", by_query)
    assert again.returncode == 1 and "already over" in again.stderr
    unknown = workspace.monitor("silence", "expire", "feedfeedfeed")
    assert unknown.returncode == 1 and "no silence `feedfeedfeed`" in unknown.stderr


def test_list_json_is_one_array_of_the_contract_fields(workspace: Workspace) -> None:
    assert json.loads(workspace.monitor("silence", "list", "--json").stdout) == []
    silence_id = _add(workspace, "--rule", "nato-south-korea", "--for", "1h30m")
    result = workspace.monitor("silence", "list", "--json")
    assert result.returncode == 0
    (silence,) = json.loads(result.stdout)
    assert {"id", "rule", "query", "channel", "until", "comment"} <= set(silence)
    assert silence["id"] == silence_id
    assert silence["rule"] == "nato-south-korea"
    assert silence["query"] is None and silence["channel"] is None and silence["comment"] == ""
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", silence["until"])


def test_unknown_rule_suggests_the_nearest(workspace: Workspace) -> None:
    result = workspace.monitor("silence", "add", "--rule", "nato-south-kora", "--for", "2h")
    assert result.returncode == 1
    assert "no rule `nato-south-kora`" in result.stderr
    assert "did you mean `nato-south-korea`?" in result.stderr
    assert result.stdout == ""


def test_bad_query_says_the_column(workspace: Workspace) -> None:
    result = workspace.monitor("silence", "add", "--query", "summit AND (", "--for", "2h")
    assert result.returncode == 1
    assert "--query: column 13: " in result.stderr
    unknown = workspace.monitor("silence", "add", "--query", "entity:NATTO", "--for", "2h")
    assert unknown.returncode == 1
    assert "--query: column 1: unknown entity `NATTO`: did you mean `NATO`?" in unknown.stderr


def test_unknown_channel_lists_the_configured_ones(workspace: Workspace) -> None:
    result = workspace.monitor(
        "silence", "add", "--rule", "nato-south-korea", "--channel", "slack", "--for", "2h"
    )
    assert result.returncode == 1
    assert "no channel `slack`" in result.stderr and "configured: log" in result.stderr


def test_bad_duration(workspace: Workspace) -> None:
    for duration in ("2x", "0s", "forever"):
        result = workspace.monitor(
            "silence", "add", "--rule", "nato-south-korea", "--for", duration
        )
        assert result.returncode == 1, duration
        assert "--for:" in result.stderr


def test_exactly_one_of_rule_and_query(workspace: Workspace) -> None:
    both = workspace.monitor("silence", "add", "--rule", "a", "--query", "b", "--for", "2h")
    assert both.returncode == 2 and "not allowed with" in both.stderr
    neither = workspace.monitor("silence", "add", "--for", "2h")
    assert neither.returncode == 2 and "one of the arguments --rule --query" in neither.stderr
    assert json.loads(workspace.monitor("silence", "list", "--json").stdout) == []


def test_hostile_comment_is_printed_as_one_harmless_line(workspace: Workspace) -> None:
    comment = "fine\nforged line\x1b]0;pwned\x07\u202e"
    silence_id = _add(workspace, "--rule", "nato-south-korea", "--for", "2h", "--comment", comment)
    out = workspace.monitor("silence", "list").stdout
    assert out.count("\n") == 1 and "\x1b" not in out and "\u202e" not in out
    assert silence_id in out and "fine\\nforged line\\x1b" in out
    as_json = workspace.monitor("silence", "list", "--json").stdout
    assert "\x1b" not in as_json and "\u202e" not in as_json
    (shown,) = json.loads(as_json)
    assert shown["comment"] == comment  # JSON keeps it exactly, escaped by the encoder
