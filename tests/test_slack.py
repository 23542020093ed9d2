"""The `slack` channel: the message it renders and how it talks to a real (local) webhook."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from helpers.records import typed
from helpers.slack_server import (
    DEFAULT_PATH,
    OK,
    Reply,
    SlackServer,
    hang,
    invalid_payload,
    no_service,
    rate_limited,
    server_error,
    unused_port,
    validate_payload,
)

from monitor.channels.http import DEFAULT_RETRY_AFTER, parse_retry_after
from monitor.channels.slack import SlackChannel
from monitor.channels.slack_render import slack_len, slack_payload
from monitor.errors import DeliveryError

SECRET = DEFAULT_PATH.rsplit("/", 1)[1]
BODY = "Seoul, 30 January. NATO chief urged S Korea to send weapons & ammunition to Ukraine."


def make_record(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "rule": "nato-south-korea",
        "channel": "newsroom",
        "description": "NATO engages South Korea",
        "article": {
            "id": "0123456789abcdef",
            "title": "NATO chief urges S Korea to arm Ukraine",
            "path": "/srv/inbox/x.txt",
            "url": "https://example.org/news?id=1&lang=en",
            "published": "2023-01-30",
            "source": "Reuters",
        },
        "hits": [
            {"term": "NATO", "text": "NATO", "field": "title", "start": 0, "end": 4},
            {"term": "NATO", "text": "NATO", "field": "body", "start": 19, "end": 23},
            {"term": "South Korea", "text": "S Korea", "field": "body", "start": 36, "end": 43},
            {"term": "weapon*", "text": "weapons", "field": "body", "start": 52, "end": 59},
        ],
        "excerpt": {"text": BODY[7:], "field": "body", "start": 7},
        "matched_at": "2023-01-30T10:00:00Z",
        "sent_at": "2023-01-30T10:00:01Z",
    }
    for key, value in changes.items():
        if key in record["article"]:
            record["article"][key] = value
        else:
            record[key] = value
    return record


def blocks_of(payload: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [b for b in payload["blocks"] if b["type"] == kind]


def all_texts(payload: dict[str, Any]) -> list[str]:
    texts = [payload["text"]]
    for block in payload["blocks"]:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [e["text"] for e in block.get("elements", [])]
    return texts


def excerpt_text(payload: dict[str, Any]) -> str:
    text: str = blocks_of(payload, "section")[1]["text"]["text"]
    return text


# --- rendering ---------------------------------------------------------------------------


def test_payload_shape_and_limits() -> None:
    payload = slack_payload(typed(make_record()))
    assert validate_payload(payload) is None
    assert payload["text"] == "[nato-south-korea] NATO chief urges S Korea to arm Ukraine"
    assert [b["type"] for b in payload["blocks"]] == [
        "header",
        "section",
        "section",
        "section",
        "context",
    ]
    header = payload["blocks"][0]["text"]
    assert header == {"type": "plain_text", "text": "NATO chief urges S Korea to arm Ukraine"}
    facts = payload["blocks"][1]["text"]["text"]
    assert "`nato-south-korea`" in facts and "NATO engages South Korea" in facts
    assert "Reuters" in facts and "2023-01-30" in facts
    terms = payload["blocks"][-1]["elements"][0]["text"]
    assert terms == "Terms: `NATO`, `South Korea`, `weapon*`"


def test_unfurl_off_no_link_names_and_verbatim() -> None:
    payload = slack_payload(typed(make_record()))
    assert payload["unfurl_links"] is False and payload["unfurl_media"] is False
    assert "link_names" not in payload and "parse" not in payload
    for block in payload["blocks"][1:]:
        for obj in [block.get("text"), *block.get("elements", [])]:
            if obj:
                assert obj["type"] == "mrkdwn" and obj["verbatim"] is True


def test_header_cut_to_150_with_ellipsis() -> None:
    title = " ".join(["Headline"] * 60)
    payload = slack_payload(typed(make_record(title=title)))
    header = payload["blocks"][0]["text"]["text"]
    assert slack_len(header) <= 150 and header.endswith("…")
    assert header.startswith("Headline Headline")
    assert not header[:-1].endswith(" ")  # cut at a word, not in the middle of one
    assert payload["text"].endswith(title)  # the fallback has room for all of it


def test_header_cut_never_splits_an_escape_sequence() -> None:
    for n in range(25, 45):
        header = slack_payload(typed(make_record(title="&" * n)))["blocks"][0]["text"]["text"]
        assert slack_len(header) <= 150
        assert re.fullmatch(r"(&amp;)+…?", header), header


def test_emoji_counted_as_two_and_never_split() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji, 8 UTF-16 units
    header = slack_payload(typed(make_record(title=family * 40)))["blocks"][0]["text"]["text"]
    assert slack_len(header) <= 150 and header.endswith("…")
    assert header[:-1].replace(family, "") == ""


def test_empty_title_still_has_a_header() -> None:
    payload = slack_payload(typed(make_record(title="  \n ")))
    assert payload["blocks"][0]["text"]["text"] == "(untitled article)"
    assert validate_payload(payload) is None


def test_long_excerpt_cut_under_3000() -> None:
    text = ("NATO & S Korea <talk> " * 400).strip()  # ~8800 chars, more when escaped
    hits = [
        {
            "term": "NATO",
            "text": "NATO",
            "field": "body",
            "start": 100 + i * 22,
            "end": 104 + i * 22,
        }
        for i in range(400)
    ]
    record = make_record(hits=hits, excerpt={"text": text, "field": "body", "start": 100})
    payload = slack_payload(typed(record))
    assert validate_payload(payload) is None
    shown = excerpt_text(payload)
    assert 2800 < slack_len(shown) <= 3000
    assert shown.startswith("…") and shown.endswith("…")
    # every & is a whole entity, and the bold markers stay balanced
    assert "&" not in re.sub(r"&(amp|lt|gt);", "", shown)
    assert shown.count("*") % 2 == 0


def test_block_count_within_limit_with_many_hits() -> None:
    hits = [
        {"term": f"t{i}", "text": f"word{i}", "field": "body", "start": i, "end": i + 1}
        for i in range(500)
    ]
    payload = slack_payload(typed(make_record(hits=hits, excerpt=None)))
    assert len(payload["blocks"]) <= 50
    assert validate_payload(payload) is None
    assert payload["blocks"][-1]["elements"][0]["text"].endswith(", …")
    assert excerpt_text(payload).endswith("*, …")


@pytest.mark.parametrize(
    "evil", ["<!channel>", "<!here>", "<@U123>", "<https://x|y>", "<#C123>", "<!subteam^S1>"]
)
def test_article_text_is_escaped_everywhere(evil: str) -> None:
    body = f"NATO {evil} S Korea & co"
    record = make_record(
        title=f"Title {evil} & more",
        source=f"Wire {evil}",
        published=f"{evil}",
        description=f"desc {evil}",
        hits=[
            {"term": "NATO", "text": "NATO", "field": "body", "start": 0, "end": 4},
            {"term": f"term {evil}", "text": f"x{evil}", "field": "title", "start": 0, "end": 1},
        ],
        excerpt={"text": body, "field": "body", "start": 0},
    )
    payload = slack_payload(typed(record))
    dumped = json.dumps(payload, ensure_ascii=False)
    assert evil not in dumped
    escaped = evil.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for text in all_texts(payload):
        # the only live `<...>` in the whole message is our own link
        assert (
            re.sub(r"<https://example\.org/[^|<>]*\|Read the article>", "", text).count("<") == 0
        ), text
    assert escaped in payload["blocks"][0]["text"]["text"]
    assert escaped in excerpt_text(payload)
    assert "S Korea &amp; co" in excerpt_text(payload)


def test_bold_around_hits_inside_the_excerpt_only() -> None:
    shown = excerpt_text(slack_payload(typed(make_record())))
    assert shown.startswith("…")  # the window starts after the beginning of the body
    assert "*NATO*" in shown and "*S Korea*" in shown and "*weapons*" in shown
    assert shown.count("*") == 6
    assert "&amp; ammunition" in shown


def test_hits_outside_the_window_or_in_the_title_are_not_bolded() -> None:
    """One highlight rule for Slack and email (`spans.highlight_spans`): a hit is bolded
    where its offsets fall in the window, clipped to it; the other field's are ignored."""
    record = make_record(
        hits=[
            {"term": "NATO", "text": "NATO", "field": "body", "start": 0, "end": 4},  # before
            {"term": "NATO", "text": "NATO", "field": "title", "start": 19, "end": 23},  # title
            {"term": "Ukraine", "text": "Ukraine", "field": "body", "start": 76, "end": 83},
            {"term": "x", "text": "x", "field": "body", "start": 82, "end": 900},  # past the end
        ]
    )
    shown = excerpt_text(slack_payload(typed(record)))
    assert shown.count("*") == 2 and "*Ukraine.*" in shown


def test_article_asterisks_cannot_break_the_bold() -> None:
    text = "a *fake* claim: NATO*S Korea_ and `code` ~x~"
    start = text.index("NATO")
    record = make_record(
        hits=[
            {"term": "NATO", "text": "NATO", "field": "body", "start": start, "end": start + 4},
            {
                "term": "South Korea",
                "text": "S Korea",
                "field": "body",
                "start": start + 5,
                "end": start + 12,
            },
        ],
        excerpt={"text": text, "field": "body", "start": 0},
    )
    shown = excerpt_text(slack_payload(typed(record)))
    assert re.sub(r"[^*_~`]", "", shown) == "****"  # only our four markers remain
    assert "*NATO*∗*S Korea*" in shown.replace("\u200b", "")


def test_bold_next_to_a_letter_gets_a_word_boundary() -> None:
    text = "the NATOs view"
    record = make_record(
        hits=[{"term": "NATO", "text": "NATO", "field": "body", "start": 4, "end": 8}],
        excerpt={"text": text, "field": "body", "start": 0},
    )
    assert excerpt_text(slack_payload(typed(record))) == "the *NATO*\u200bs view"


def test_without_excerpt_the_matched_words_are_shown() -> None:
    payload = slack_payload(typed(make_record(excerpt=None)))
    shown = excerpt_text(payload)
    assert shown == "*Matched:* *NATO*, *S Korea*, *weapons*"
    assert validate_payload(payload) is None


#: Characters that must not reach Slack raw: controls that drive a terminal or a viewer
#: (ESC, BEL, CSI, NEL), line breaks that would split the header, and bidi controls that
#: make text display in another order than it reads.
UNSAFE = [
    "\x1b",
    "\x07",
    "\x00",
    "\x7f",
    "\x9b",
    "\x85",
    "\r",
    "\n",
    "\u2028",
    "\u2029",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]


@pytest.mark.parametrize("char", UNSAFE)
def test_control_and_bidi_characters_become_spaces_and_highlights_hold(char: str) -> None:
    # The character takes the place of the space before "NATO", so the hit offsets hold.
    body = BODY[:18] + char + BODY[19:]
    record = make_record(
        title=f"NATO{char}chief[2J urges S Korea",
        source=f"Wire{char}]0;x",
        description=f"NATO{char}engages",
        published=f"2023{char}01",
        hits=[
            {"term": f"NATO{char}", "text": "NATO", "field": "body", "start": 19, "end": 23},
            {
                "term": "South Korea",
                "text": f"S{char}Korea",
                "field": "title",
                "start": 0,
                "end": 1,
            },
        ],
        excerpt={"text": body[7:], "field": "body", "start": 7},
    )
    payload = slack_payload(typed(record))
    assert validate_payload(payload) is None
    for text in all_texts(payload):
        # Only the line break between the facts lines, which the renderer puts there.
        assert not set(text) & (set(UNSAFE) - {"\n"}), text
    assert payload["blocks"][0]["text"]["text"] == "NATO chief[2J urges S Korea"
    assert payload["text"] == "[nato-south-korea] NATO chief[2J urges S Korea"
    assert "Wire ]0;x" in payload["blocks"][1]["text"]["text"]
    assert excerpt_text(payload) == (
        "…30 January. *NATO* chief urged S Korea to send weapons &amp; ammunition to Ukraine."
    )
    assert "`NATO`" in payload["blocks"][-1]["elements"][0]["text"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org/x",
        "https://example.org/a|<!channel>",
        "https://ex.org/<x>",
        "https://exa mple.org/",
        "//example.org/x",
        "",
        None,
    ],
)
def test_no_link_for_unsafe_urls(url: object) -> None:
    payload = slack_payload(typed(make_record(url=url)))
    assert "Read the article" not in json.dumps(payload)
    assert validate_payload(payload) is None


def test_link_for_http_urls_with_ampersand_escaped() -> None:
    payload = slack_payload(typed(make_record(url="http://example.org/a?b=1&c=2")))
    assert "<http://example.org/a?b=1&amp;c=2|Read the article>" in [
        b["text"]["text"] for b in blocks_of(payload, "section")
    ]


# --- sending -----------------------------------------------------------------------------


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    with SlackServer() as server:
        yield server


def channel(url: str, **kwargs: Any) -> SlackChannel:
    kwargs.setdefault("interval", 0.0)
    kwargs.setdefault("timeout", (1.0, 1.0))
    return SlackChannel("newsroom", url, **kwargs)


def assert_secret_free(exc: DeliveryError) -> None:
    for text in (str(exc), repr(exc)):
        assert SECRET not in text and "/services/" not in text
    # no chained requests exception, whose text would quote the URL
    assert exc.__cause__ is None
    assert exc.__context__ is None or exc.__suppress_context__


def test_send_ok(slack: SlackServer) -> None:
    record = make_record()
    ch = channel(slack.url)
    ch.send(typed(record))
    ch.close()
    [got] = slack.received
    assert got.path == DEFAULT_PATH and got.rejected is None
    assert got.header("Content-Type") == "application/json"
    assert got.json == slack_payload(typed(record))


def test_debug_logging_does_not_leak_the_url(
    slack: SlackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger; urllib3 logs request lines at DEBUG
    slack.script(server_error())
    ch = channel(slack.url)
    with pytest.raises(DeliveryError):
        ch.send(typed(make_record()))
    assert SECRET not in caplog.text


def test_429_gives_retry_after_and_holds_later_alerts(slack: SlackServer) -> None:
    slack.script(rate_limited(7))
    ch = channel(slack.url)
    with pytest.raises(DeliveryError) as info:
        ch.send(typed(make_record()))
    assert info.value.retry_after == 7 and not info.value.permanent
    assert_secret_free(info.value)
    # the next alert is not posted into the block; it is told how long to wait
    with pytest.raises(DeliveryError) as again:
        ch.send(typed(make_record()))
    assert again.value.retry_after is not None and 6 < again.value.retry_after <= 7
    assert len(slack.received) == 1


def test_429_without_usable_retry_after_defaults(slack: SlackServer) -> None:
    slack.script(Reply(429, "rate_limited"), rate_limited("soon"))
    for _ in range(2):
        with pytest.raises(DeliveryError) as info:
            channel(slack.url).send(typed(make_record()))
        assert info.value.retry_after == DEFAULT_RETRY_AFTER


def test_parse_retry_after() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after(" 2.5 ") == 2.5
    now = 1_700_000_000.0
    assert parse_retry_after("Tue, 14 Nov 2023 22:14:00 GMT", now=now) == pytest.approx(
        1_700_000_040.0 - now
    )
    # never less than a second, so a receiver cannot make the dispatcher spin
    assert parse_retry_after("Tue, 14 Nov 2000 22:14:00 GMT", now=now) == DEFAULT_RETRY_AFTER
    for garbled in (None, "", "soon", "-5", "0", "nan", "inf"):
        assert parse_retry_after(garbled) == DEFAULT_RETRY_AFTER
    assert parse_retry_after("99999999999") == 24 * 3600


def test_500_is_temporary(slack: SlackServer) -> None:
    slack.script(server_error())
    with pytest.raises(DeliveryError) as info:
        channel(slack.url).send(typed(make_record()))
    assert not info.value.permanent and info.value.retry_after is None
    assert "500" in str(info.value)
    assert_secret_free(info.value)


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        (invalid_payload(), "invalid_payload"),
        (no_service(), "no_service"),
        (Reply(403, "action_prohibited"), "action_prohibited"),
    ],
)
def test_4xx_is_permanent_with_slack_error_code(
    slack: SlackServer, reply: Reply, code: str
) -> None:
    slack.script(reply)
    with pytest.raises(DeliveryError) as info:
        channel(slack.url).send(typed(make_record()))
    assert info.value.permanent and code in str(info.value)
    assert str(reply.status) in str(info.value)
    assert_secret_free(info.value)


def test_wrong_webhook_path_is_no_service(slack: SlackServer) -> None:
    with pytest.raises(DeliveryError) as info:
        channel(slack.url.replace(SECRET, "revoked0token")).send(typed(make_record()))
    assert info.value.permanent and "no_service" in str(info.value)


def test_server_echoing_the_url_is_redacted(slack: SlackServer) -> None:
    slack.script(Reply(404, f"<h1>Not found</h1> {DEFAULT_PATH} nor {SECRET} here"))
    with pytest.raises(DeliveryError) as info:
        channel(slack.url).send(typed(make_record()))
    assert info.value.permanent and "Not found" in str(info.value)
    assert_secret_free(info.value)


def test_redirect_is_not_followed(slack: SlackServer) -> None:
    slack.script(Reply(302, "", {"Location": "/elsewhere"}))
    with pytest.raises(DeliveryError) as info:
        channel(slack.url).send(typed(make_record()))
    assert info.value.permanent and "redirect" in str(info.value)
    assert len(slack.received) == 1


def test_stand_in_refuses_payloads_over_the_limits(slack: SlackServer) -> None:
    too_long = {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]}
    for bad in (
        too_long,
        {"text": "x" * 40_001},
        {"blocks": [{"type": "divider"}] * 51},
        {"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]},
        {"foo": 1},
    ):
        resp = requests.post(slack.url, json=bad, timeout=2)
        assert (resp.status_code, resp.text) == (400, "invalid_payload")
    assert all(r.rejected for r in slack.received)


def test_hang_is_temporary_within_the_timeout(slack: SlackServer) -> None:
    slack.script(hang(10))
    started = time.monotonic()
    with pytest.raises(DeliveryError) as info:
        channel(slack.url, timeout=(1.0, 0.3)).send(typed(make_record()))
    assert time.monotonic() - started < 2
    assert not info.value.permanent and "timed out" in str(info.value)
    assert_secret_free(info.value)


def test_connection_refused_is_temporary() -> None:
    url = f"http://127.0.0.1:{unused_port()}{DEFAULT_PATH}"
    with pytest.raises(DeliveryError) as info:
        channel(url).send(typed(make_record()))
    assert not info.value.permanent and "connection error" in str(info.value)
    assert "127.0.0.1" in str(info.value)
    assert_secret_free(info.value)


def test_invalid_url_is_permanent_and_not_echoed() -> None:
    with pytest.raises(DeliveryError) as info:
        channel(f"hooks.slack.com{DEFAULT_PATH}").send(typed(make_record()))
    assert info.value.permanent
    assert_secret_free(info.value)


def test_posts_are_spaced_by_the_interval(slack: SlackServer) -> None:
    ch = channel(slack.url, interval=0.2)
    ch.send(typed(make_record()))
    ch.send(typed(make_record()))
    first, second = slack.received
    assert second.at - first.at >= 0.2


def test_session_is_reused_and_not_closed(slack: SlackServer) -> None:
    session = requests.Session()
    ch = channel(slack.url, session=session)
    ch.send(typed(make_record()))
    ch.close()
    slack.script(OK)
    channel(slack.url, session=session).send(typed(make_record()))  # still usable
    assert len(slack.received) == 2
    session.close()
