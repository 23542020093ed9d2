"""Digest records as each channel renders them, with hostile article text: nothing from an
article may forge a console line, ping a Slack channel, add a mail header, or break a limit.
"""

from __future__ import annotations

import io
import json
from email import message_from_bytes, policy
from typing import Any

from helpers.apprise_shared import receiver as receiver
from helpers.apprise_shared import url_of
from helpers.slack_server import SlackServer

from monitor.channels.apprise import AppriseChannel
from monitor.channels.console import ConsoleChannel
from monitor.channels.email_digest import (
    MAX_STORIES as MAIL_MAX,
)
from monitor.channels.email_digest import (
    build_digest_message,
    digest_subject,
    render_digest_html,
    render_digest_text,
)
from monitor.channels.slack_digest import digest_payload
from monitor.channels.slack_render import MAX_BLOCKS, SECTION_MAX, slack_len
from monitor.channels.webhook import record_body
from monitor.digests import DigestRecord, build_digest, parse_digest
from monitor.state import HeldRow

HOSTILE = (
    "<!channel> & <https://evil.example|click> *bold* \x1b[31mred\n"
    "ALERT [x] forged\r\nBcc: victim@example.org"
)


def _item(seq: int, story: str, rules: list[str], title: str, **article: Any) -> HeldRow:
    record = {
        "story": story,
        "article": {"id": story, "title": title, "path": f"inbox/{story}.txt", **article},
        "rules": [{"rule": r, "description": f"{r} <b>desc</b>", "hits": []} for r in rules],
        "also_in": [{"source": "AP", "url": "https://example.org/ap", "path": "ap.txt"}],
        "excerpt": None,
        "hits_total": 1,
        "matched_at": f"2026-11-30T10:{seq % 60:02d}:00Z",
    }
    return HeldRow(seq, "story", "", json.dumps(record), "2026-11-30T09:00:00Z")


def digest(items: list[HeldRow], channel: str = "desk") -> DigestRecord:
    record, bad = build_digest(
        "digest:desk:2026-11-30T11:00:00Z", channel, items, "2026-11-30T11:00:00Z"
    )
    assert record is not None and not bad
    return parse_digest(json.dumps(record), channel)


def test_console_prints_a_header_and_one_safe_line_per_story() -> None:
    record = digest([_item(1, "s1", ["r1", "r2"], HOSTILE), _item(2, "s2", ["r1"], "Plain title")])
    out = io.StringIO()
    ConsoleChannel("desk", out).send(record)
    lines = out.getvalue().splitlines()
    assert lines[0] == "DIGEST desk 2026-11-30T09:00:00Z - 2026-11-30T11:00:00Z: 2 stories"
    assert lines[1] == "  [r1] Plain title (inbox/s2.txt) +1 copy"
    assert len(lines) == 3  # the newlines in the title are shown escaped, not printed
    assert lines[2].startswith("  [r1, r2] <!channel>") and "\\n" in lines[2]
    assert "\x1b" not in out.getvalue()


def test_slack_escapes_everything_from_the_article() -> None:
    record = digest([_item(1, "s1", ["r1"], HOSTILE, url="https://example.org/a?x=1&y=2")])
    payload = digest_payload(record)
    text = json.dumps(payload)
    assert "<!channel>" not in text and "<https://evil" not in text
    assert "&lt;!channel&gt; &amp;" in text
    assert payload["blocks"][0]["text"]["text"] == "1 story"
    assert "<https://example.org/a?x=1&amp;y=2|" in text  # a real link, its & escaped
    assert payload["unfurl_links"] is False


def test_slack_stays_within_its_limits_and_counts_the_rest() -> None:
    many_groups = digest([_item(i, f"s{i}", [f"rule{i}"], f"Story {i}") for i in range(120)])
    payload = digest_payload(many_groups)
    assert len(payload["blocks"]) <= MAX_BLOCKS
    assert payload["blocks"][-1]["elements"][0]["text"].startswith("+")
    one_group = digest([_item(i, f"s{i}", ["r"], "T" * 290 + f" {i}") for i in range(200)])
    payload = digest_payload(one_group)
    sections = [b for b in payload["blocks"] if b["type"] == "section"]
    assert len(sections) == 1
    assert slack_len(sections[0]["text"]["text"]) <= SECTION_MAX
    assert sections[0]["text"]["text"].rsplit("\n", 1)[1].endswith("more")
    shown = sections[0]["text"]["text"].count("\n• ")
    assert payload["blocks"][-1]["elements"][0]["text"] == f"+{200 - shown} more"


def test_email_subject_and_headers_cannot_be_forged() -> None:
    record = digest([_item(1, "s1", ["r1"], HOSTILE, url="javascript:alert(1)")])
    assert digest_subject(record) == (
        "[monitor] Digest: 1 story (2026-11-30T09:00:00Z - 2026-11-30T11:00:00Z)"
    )
    msg = build_digest_message(record, "monitor@example.org", ["desk@example.org"])
    parsed = message_from_bytes(msg.as_bytes(), policy=policy.SMTP)
    assert parsed["Bcc"] is None and parsed["To"] == "desk@example.org"
    html_part = render_digest_html(record)
    assert "<b>" not in html_part and "javascript:" not in html_part
    assert "&lt;!channel&gt;" in html_part
    text = render_digest_text(record)
    assert "\nBcc:" not in text and "\x1b" not in text
    assert msg["Message-ID"] == build_digest_message(record, "m@example.org", [])["Message-ID"]


def test_email_lists_at_most_its_cap() -> None:
    record = digest([_item(i, f"s{i}", ["r"], f"Story {i}") for i in range(MAIL_MAX + 7)])
    text = render_digest_text(record)
    assert text.count("  - Story") == MAIL_MAX
    assert "+7 more" in text and "+7 more" in render_digest_html(record)


def test_webhook_and_file_get_the_record_as_stored() -> None:
    record = digest([_item(1, "s1", ["r1"], HOSTILE)])
    body = json.loads(record_body(record))
    assert body == dict(record.data)
    assert body["digest"]["from"] == "2026-11-30T09:00:00Z" and body["count"] == 1
    assert body["stories"][0]["rules"] == [{"rule": "r1", "description": "r1 <b>desc</b>"}]


def test_apprise_sends_the_digest_subject_and_text(receiver: SlackServer) -> None:
    record = digest([_item(1, "s1", ["r1"], "NATO chief urges S Korea")], channel="team")
    AppriseChannel("team", [url_of(receiver)]).send(record)
    [got] = receiver.received
    assert got.json["title"] == digest_subject(record)
    assert "NATO chief urges S Korea" in got.json["message"]
