"""Stories end to end: one message per story, near-duplicate copies recorded and not sent
again (also across a restart), `monitor stories`, and silences applied live."""

from __future__ import annotations

import json
import os
import re
import time

from helpers.slack_server import SlackServer
from helpers.stories import other_story
from helpers.workspace import SEED, Workspace

SECOND_RULE = """\
rules:
  - id: korea-arms
    description: South Korean arms
    entities: [South Korea]
    keywords:
      any: [weapon*, ammunition]
"""

STORY_CHANNELS = """
[channels.console]
type = "console"

[channels.stories]
type = "file"
path = "stories.jsonl"
group = "story"

[channels.newsroom]
type = "slack"
webhook_url = "${SLACK_WEBHOOK_URL}"
"""


def _drop(ws: Workspace, name: str, data: bytes) -> None:
    tmp = ws.inbox / f".{name}.tmp"
    tmp.write_bytes(data)
    os.rename(tmp, ws.inbox / name)


def _records(path: os.PathLike[str]) -> list[dict[str, object]]:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _copy_of_seed() -> bytes:
    """The seed as another outlet ran it: new headline, a dateline, the last paragraphs cut."""
    body = SEED.read_text("utf-8").split("\n", 1)[1]
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    kept = "\n\n".join(paragraphs[: max(3, len(paragraphs) * 2 // 3)])
    return f"Stoltenberg presses Seoul on arms for Kyiv\n\nSEOUL (AP) - {kept}\n".encode()


def _alert_lines(ws: Workspace) -> list[str]:
    return re.findall(r"^ALERT \[.*$", ws.log(), re.MULTILINE)


def test_one_message_per_story_and_copies_are_recorded_not_sent(workspace: Workspace) -> None:
    (workspace.rules / "arms.yaml").write_text(SECOND_RULE, encoding="utf-8")
    workspace.write_config(extra=STORY_CHANNELS)
    stories_file = workspace.root / "stories.jsonl"
    with SlackServer() as slack:
        workspace.start(env={"SLACK_WEBHOOK_URL": slack.url})
        _drop(workspace, "seed.txt", SEED.read_bytes())
        workspace.wait_for_alerts(2)  # `log` is a rule channel: one record per rule
        workspace.wait_until(lambda: len(slack.received) == 1 and len(_records(stories_file)) == 1)
        # The console: one header line for the story, both rules in it, details indented.
        workspace.wait_until(lambda: len(_alert_lines(workspace)) == 1)
        [header] = _alert_lines(workspace)
        assert header.startswith("ALERT [korea-arms, nato-south-korea] NATO chief urges")
        assert "    nato-south-korea: NATO engages South Korea; hits: NATO" in workspace.log()
        # Slack: one post naming both rules.
        post = slack.received[0].json
        assert "[korea-arms, nato-south-korea]" in post["text"]
        # The story record, as the contract has it.
        [story] = _records(stories_file)
        assert story["story"] == story["article"]["id"]  # type: ignore[index]
        assert story["channel"] == "stories"
        assert [r["rule"] for r in story["rules"]] == ["korea-arms", "nato-south-korea"]  # type: ignore[attr-defined]
        assert story["also_in"] == [] and "sent_at" in story
        rule_records = workspace.alert_records()
        assert {r["rule"] for r in rule_records} == {"korea-arms", "nato-south-korea"}
        assert all(r["story"] == story["story"] for r in rule_records)

        # Another outlet's copy: filed under the story, nothing sent anywhere.
        _drop(workspace, "copy.txt", _copy_of_seed())
        workspace.wait_until(lambda: not (workspace.inbox / "copy.txt").exists())
        workspace.wait_for_log("copy.txt id=")
        time.sleep(1.5)  # what would have been sent is sent by now
        assert len(slack.received) == 1
        assert len(_records(stories_file)) == 1 and len(workspace.alert_records()) == 2
        assert len(_alert_lines(workspace)) == 1

        listing = workspace.monitor("stories", "--json")
        assert listing.returncode == 0, listing.stderr
        [listed] = json.loads(listing.stdout)
        assert listed["story"] == story["story"]
        assert listed["rules"] == ["korea-arms", "nato-south-korea"]
        [copy] = listed["also_in"]
        assert copy["path"].endswith("copy.txt") and set(copy) >= {"source", "url", "path"}
        delivered = {(c["channel"], c["rule"], c["status"]) for c in listed["channels"]}
        assert ("newsroom", None, "sent") in delivered
        assert ("log", "nato-south-korea", "sent") in delivered
        text = workspace.monitor("stories", "--rule", "korea-arms").stdout
        assert "also in" in text and "copy.txt" in text
        assert workspace.monitor("stories", "--rule", "nope", "--json").stdout.strip() == "[]"

        # A restart: the index is rebuilt from the database, a later copy still joins.
        assert workspace.stop() == 0
        workspace.start(env={"SLACK_WEBHOOK_URL": slack.url})
        assert "1 stories in the 72 h near-duplicate window" in workspace.log()
        _drop(workspace, "late.txt", b"UPDATE " + _copy_of_seed())
        workspace.wait_for_log("late.txt id=")
        # A different story on the same subject is news: it alerts.
        _drop(workspace, "other.txt", other_story(3))
        workspace.wait_until(lambda: len(slack.received) == 2)
        time.sleep(1.0)
        assert len(slack.received) == 2 and len(_records(stories_file)) == 2
        assert workspace.stop() == 0


def test_a_silence_applies_to_the_running_daemon_and_is_recorded(workspace: Workspace) -> None:
    workspace.write_config(extra=STORY_CHANNELS.split("[channels.newsroom]")[0])
    workspace.start()
    added = workspace.monitor("silence", "add", "--rule", "nato-south-korea", "--for", "1h",
                              "--comment", "summit noise")  # fmt: skip
    assert added.returncode == 0, added.stderr
    silence_id = added.stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{12}", silence_id)
    time.sleep(2.0)  # the daemon applies a new silence within 2 s
    _drop(workspace, "seed.txt", SEED.read_bytes())
    workspace.wait_until(lambda: not (workspace.inbox / "seed.txt").exists())
    workspace.wait_for_log("seed.txt id=")
    time.sleep(1.0)
    assert workspace.alert_records() == [] and _records(workspace.root / "stories.jsonl") == []
    assert _alert_lines(workspace) == []
    outbox = workspace.monitor("outbox")
    # One for each channel: log, console, stories.
    assert "silenced (recorded, never sent): 3 alerts" in outbox.stdout, outbox.stdout
    [listed] = json.loads(workspace.monitor("stories", "--json").stdout)
    assert {c["status"] for c in listed["channels"]} == {"silenced"}
    assert {c.get("silence") for c in listed["channels"]} == {silence_id}

    # Expired: the next story alerts again; the silenced one is never sent later.
    assert workspace.monitor("silence", "expire", silence_id).returncode == 0
    time.sleep(2.0)
    _drop(workspace, "other.txt", other_story(4))
    workspace.wait_for_alerts(1)
    workspace.wait_until(lambda: len(_records(workspace.root / "stories.jsonl")) == 1)
    time.sleep(1.0)
    assert len(workspace.alert_records()) == 1
    assert workspace.stop() == 0


def test_one_email_per_story_and_none_for_its_copy(workspace: Workspace) -> None:
    from aiosmtpd.controller import Controller
    from test_email import Recorder, free_port

    handler, port = Recorder(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=5)
    controller.start()
    try:
        (workspace.rules / "arms.yaml").write_text(SECOND_RULE, encoding="utf-8")
        workspace.write_config(
            extra=f"""
[channels.desk]
type = "email"
host = "127.0.0.1"
port = {port}
security = "none"
from = "monitor@example.org"
to = ["desk@example.org"]
"""
        )
        workspace.start()
        _drop(workspace, "seed.txt", SEED.read_bytes())
        workspace.wait_until(lambda: len(handler.received) == 1, timeout=15)
        _drop(workspace, "copy.txt", _copy_of_seed())
        workspace.wait_for_log("copy.txt id=")
        time.sleep(1.5)
        assert len(handler.received) == 1  # two rules, one story, one email; the copy: none
        subject = str(handler.received[0].message()["Subject"])
        assert subject.endswith("(rules korea-arms, nato-south-korea)"), subject
        assert workspace.stop() == 0
    finally:
        controller.stop()
