"""Message templates (`template = "..."` on a channel): rendering of each record kind, the
escaping of every value a template inserts, the limits on runaway templates, the fallback to
the built-in message at send time, and what `monitor check` reports with FILE:LINE."""

from __future__ import annotations

import io
import json
import logging
import re
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from helpers.apprise_shared import url_of
from helpers.records import typed
from helpers.slack_server import SlackServer
from helpers.workspace import REPO

from monitor.alerts import AlertRecord
from monitor.channels.apprise import AppriseChannel
from monitor.channels.console import ConsoleChannel
from monitor.channels.email import EmailChannel
from monitor.channels.email_render import TEXT_STYLE, build_message, templated_message
from monitor.channels.slack import SlackChannel
from monitor.channels.slack_render import (
    BODY_STYLE,
    TITLE_STYLE,
    slack_payload,
    templated_payload,
)
from monitor.config import load_config
from monitor.errors import ConfigError
from monitor.templates import (
    MessageTemplate,
    TemplateFailure,
    check_template,
    load_template,
    render_message,
    sample_records,
)

TEMPLATE = """\
{% block title %}
{% if kind == "digest" %}{{ count }} stories{% else %}{{ article.title }}{% endif %}
{% endblock %}
{% block body %}
{% if kind == "digest" %}
{% for s in stories %}
- {{ s.article.title }}
{% endfor %}
{% else %}
Rules: {% for r in rules %}{{ r.rule }} ({{ r.description }})
{%- if not loop.last %}, {% endif %}{% endfor %}

Kind: {{ kind }}; also in {{ also_in|length }}
{{ link(article.url, "Read the article") }}
{% endif %}
{% endblock %}
"""


def _write(tmp_path: Path, text: str, name: str = "t.j2") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _story(**article: Any) -> dict[str, Any]:
    record = sample_records("test")["story"]
    record["article"] = {**record["article"], **article}
    return record


def _typed(data: dict[str, Any]) -> AlertRecord:
    return typed(data)


# -- rendering each kind ---------------------------------------------------------------------
def test_one_template_renders_story_rule_and_digest_records(tmp_path: Path) -> None:
    template = MessageTemplate(_write(tmp_path, TEMPLATE))
    samples = sample_records("desk")
    plain = TEXT_STYLE
    story = template.render("body", samples["story"], plain)
    rule = template.render("body", samples["rule"], plain)
    digest = template.render("body", samples["digest"], plain)
    assert story is not None and rule is not None and digest is not None
    assert "Rules: nato-south-korea (NATO engages South Korea)" in story
    assert "Kind: story; also in 1" in story
    assert "Read the article <https://example.org/news/nato-korea>" in story
    # A rule record has `rules` (one entry) and an empty `also_in` too.
    assert "Rules: nato-south-korea (NATO engages South Korea)" in rule
    assert "Kind: rule; also in 0" in rule
    assert digest.strip() == "- NATO chief urges S Korea to step up military support for Ukraine"
    assert template.render("title", samples["digest"], plain) == "1 stories"


def test_a_missing_block_keeps_the_built_in_part(tmp_path: Path) -> None:
    template = MessageTemplate(
        _write(tmp_path, "{% block title %}T: {{ article.title }}{% endblock %}")
    )
    record = _typed(_story())
    title, body = render_message(template, record.data, TEXT_STYLE, TEXT_STYLE, "c") or (None, None)
    assert title == "T: NATO chief urges S Korea to step up military support for Ukraine"
    assert body is None
    stream = io.StringIO()
    ConsoleChannel("c", stream, template).send(record)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "T: NATO chief urges S Korea to step up military support for Ukraine"
    assert lines[1].startswith("    nato-south-korea: NATO engages South Korea")  # built-in


# -- escaping ----------------------------------------------------------------------------------
HOSTILE = "<!channel> *bold* _it_ <https://evil.example|click> & `code`"


def test_slack_escapes_every_inserted_value_but_keeps_the_admins_mrkdwn(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "{% block title %}{{ article.title }}{% endblock %}"
        "{% block body %}*Headline:* {{ article.title }}\n{{ link(article.url, article.title) }}"
        "{% endblock %}",
    )
    template = MessageTemplate(path)
    record = _typed(_story(title=HOSTILE, url="https://example.org/a_b?x=1&y=2"))
    parts = render_message(template, record.data, TITLE_STYLE, BODY_STYLE, "slack")
    assert parts is not None
    payload = templated_payload(slack_payload(record), record, *parts)
    header = payload["blocks"][0]["text"]["text"]
    assert "<" not in header and "&lt;!channel&gt;" in header
    body = payload["blocks"][1]["text"]["text"]
    assert body.startswith("*Headline:* ")  # the template's own formatting stays
    assert "<!channel>" not in body and "&lt;!channel&gt;" in body
    assert "*bold*" not in body and "<https://evil" not in body
    # link(): a real link to the checked URL, its label escaped.
    assert "<https://example.org/a_b?x=1&amp;y=2|&lt;!channel&gt;" in body
    assert payload["blocks"][1]["text"]["verbatim"] is True
    assert json.dumps(payload).count("<!channel>") == 0


def test_slack_link_refuses_a_url_that_is_no_web_url(tmp_path: Path) -> None:
    template = MessageTemplate(
        _write(tmp_path, "{% block body %}{{ link(article.url, 'x') }}{% endblock %}")
    )
    record = _typed(_story(url="javascript:alert(1)|<!channel>"))
    assert template.render("body", record.data, BODY_STYLE) == "x"


def test_slack_header_and_section_stay_within_limits(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "{% block title %}{% for i in range(50) %}{{ article.title }} {% endfor %}{% endblock %}"
        "{% block body %}{% for i in range(200) %}{{ article.title }} {% endfor %}{% endblock %}",
    )
    record = _typed(_story())
    parts = render_message(MessageTemplate(path), record.data, TITLE_STYLE, BODY_STYLE, "s")
    assert parts is not None
    payload = templated_payload(slack_payload(record), record, *parts)
    assert len(payload["blocks"][0]["text"]["text"]) <= 150
    assert len(payload["blocks"][1]["text"]["text"]) <= 3000


def test_email_subject_cannot_gain_a_header_from_a_title(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "{% block title %}Alert: {{ article.title }}{% endblock %}"
        "{% block body %}{{ article.title }}\n<b>literal</b>{% endblock %}",
    )
    title = "Hello\r\nBcc: victim@example.org\r\n\r\n<script>x</script>"
    record = _typed(_story(title=title))
    parts = render_message(MessageTemplate(path), record.data, TEXT_STYLE, TEXT_STYLE, "desk")
    assert parts is not None
    msg = templated_message(build_message(record, "m@example.org", ["desk@example.org"]), *parts)
    raw = msg.as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "Alert: Hello Bcc: victim@example.org <script>x</script>"
    assert parsed["To"] == "desk@example.org"
    text = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    assert text is not None and html is not None
    assert "Hello  Bcc: victim@example.org" in text.get_content()
    page = html.get_content()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;literal&lt;/b&gt;" in page  # the HTML part is the text, escaped


def test_console_shows_an_esc_and_a_newline_in_a_value_as_escapes(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "{% block title %}NEWS {{ article.title }}{% endblock %}"
        "{% block body %}  from {{ article.source }}{% endblock %}",
    )
    record = _typed(_story(title="a\x1b[2Jb\nALERT [fake] forged", source="x\ny"))
    stream = io.StringIO()
    ConsoleChannel("c", stream, MessageTemplate(path)).send(record)
    lines = stream.getvalue().splitlines()
    assert lines == ["NEWS a\\x1b[2Jb\\nALERT [fake] forged", "  from x\\ny"]


def test_the_safe_filter_does_not_bypass_escaping(tmp_path: Path) -> None:
    template = MessageTemplate(
        _write(tmp_path, "{% block body %}{{ article.title|safe }}{% endblock %}")
    )
    out = template.render("body", _story(title="<!channel>"), BODY_STYLE)
    assert out == "&lt;!channel&gt;"


# -- the sandbox and the limits ------------------------------------------------------------------
@pytest.mark.parametrize(
    "expression",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        '{{ "x" * 1000000000 }}',
        "{{ 10 ** 1000000000 }}",
        '{{ "x"|center(1000000000) }}',
        '{{ "%01000000000d" % 1 }}',
        '{{ "{:1000000000}".format(1) }}',
        "{% for i in range(100000) %}{{ article.title }}{% endfor %}",
        "{{ range(10**9)|list }}",
        "{{ article.__class__.__mro__ }}",
    ],
)
def test_a_runaway_or_hostile_template_is_stopped_quickly(tmp_path: Path, expression: str) -> None:
    template = MessageTemplate(_write(tmp_path, "{% block body %}" + expression + "{% endblock %}"))
    started = time.monotonic()
    with pytest.raises(TemplateFailure, match=r"t\.j2:1: "):
        template.render("body", _story(), TEXT_STYLE)
    assert time.monotonic() - started < 3


def test_numbers_in_formatted_text_are_no_widths(tmp_path: Path) -> None:
    body = '{{ "Story 12345: %s" % kind }} {{ "Ref 123456 {}".format(kind) }}'
    template = MessageTemplate(_write(tmp_path, "{% block body %}" + body + "{% endblock %}"))
    assert template.render("body", _story(), TEXT_STYLE) == "Story 12345: story Ref 123456 story"


def test_a_template_cannot_include_other_files(tmp_path: Path) -> None:
    _write(tmp_path, "secret", "other.j2")
    template = MessageTemplate(
        _write(tmp_path, "{% block body %}{% include '/etc/passwd' %}{% endblock %}")
    )
    with pytest.raises(TemplateFailure, match="TemplateNotFound"):
        template.render("body", _story(), TEXT_STYLE)


def test_a_huge_template_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "x" * (300 * 1024))
    with pytest.raises(ConfigError, match=r"t\.j2:1: template is larger than"):
        load_template(path)


# -- check: FILE:LINE ----------------------------------------------------------------------------
def test_check_reports_an_undefined_variable_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "{% block body %}\nline two\n{{ artcle.title }}\n{% endblock %}")
    problems = check_template(path, "desk")
    assert problems
    assert problems[0].startswith(f"{path}:3: undefined variable 'artcle'")
    assert "variables here:" in problems[0] and "article" in problems[0]


def test_check_tells_to_guard_a_digest_only_variable(tmp_path: Path) -> None:
    path = _write(tmp_path, "{% block title %}\n{{ digest.from }}{% endblock %}")
    problems = check_template(path, "desk")
    assert problems[0].startswith(f"{path}:2: undefined variable 'digest' in a story message")
    assert '{% if kind == "digest" %}' in problems[0]


def test_check_passes_a_template_that_guards_by_kind(tmp_path: Path) -> None:
    assert check_template(_write(tmp_path, TEMPLATE), "desk") == []


def test_check_reports_a_syntax_error_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "{% block body %}\n\n{% if x %}\n{% endblock %}")
    (problem,) = check_template(path, "desk")
    assert problem.startswith(f"{path}:4: template syntax error: ")


def test_check_reports_a_missing_or_non_utf8_file(tmp_path: Path) -> None:
    (missing,) = check_template(tmp_path / "nope.j2", "desk")
    assert missing.startswith(f"{tmp_path / 'nope.j2'}:1: cannot read template")
    bad = tmp_path / "bad.j2"
    bad.write_bytes(b"{% block body %}\nok\n\xff{% endblock %}")
    (problem,) = check_template(bad, "desk")
    assert problem.startswith(f"{bad}:3: template is not UTF-8")


def test_check_warns_about_a_template_without_blocks(tmp_path: Path) -> None:
    (problem,) = check_template(_write(tmp_path, "{{ article.title }}"), "desk")
    assert "neither {% block title %} nor {% block body %}" in problem


# -- send time: fall back, log, never lose the alert -------------------------------------------
def test_a_failing_template_at_send_time_logs_and_sends_the_built_in_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # `rule` exists in a rule record only: the story sent here lacks it.
    path = _write(tmp_path, "{% block title %}\n{{ rule }}{% endblock %}")
    record = _typed(_story())
    stream = io.StringIO()
    with caplog.at_level(logging.ERROR, logger="monitor.templates"):
        ConsoleChannel("c", stream, MessageTemplate(path)).send(record)
    assert stream.getvalue().startswith("ALERT [nato-south-korea] NATO chief urges")
    assert f"{path}:2: undefined variable 'rule'" in caplog.text
    assert "sending the built-in message instead" in caplog.text


# -- config ----------------------------------------------------------------------------------------
def _config(tmp_path: Path, channel: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(channel, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "table", ['type = "file"\npath = "a.jsonl"', 'type = "webhook"\nurl = "https://e.org/x"']
)
def test_file_and_webhook_channels_refuse_a_template(tmp_path: Path, table: str) -> None:
    path = _config(tmp_path, f'[channels.x]\n{table}\ntemplate = "t.j2"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    (problem,) = info.value.problems
    assert problem.startswith(f"{path}:4: [channels.x] template: file and webhook channels send")


def test_template_path_is_relative_to_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "config.toml"
    path.write_text(
        '[channels.c]\ntype = "console"\ntemplate = "templates/c.j2"\n', encoding="utf-8"
    )
    config = load_config(path)
    assert config.channels["c"].template == (tmp_path / "conf" / "templates" / "c.j2").resolve()


def _readme_templates() -> list[str]:
    readme = (REPO / "README.md").read_text("utf-8")
    return re.findall(r"^```jinja\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("index", range(2))
def test_the_readme_templates_pass_check_and_render(tmp_path: Path, index: int) -> None:
    text = _readme_templates()[index]
    path = _write(tmp_path, text)
    assert check_template(path, "desk") == []
    template = MessageTemplate(path)
    for data in sample_records("desk").values():
        assert (template.render("title", data, TEXT_STYLE) or "").strip()
        assert (template.render("body", data, BODY_STYLE) or "").strip()


# -- each channel's send path --------------------------------------------------------------------
CHANNEL_TEMPLATE = (
    "{% block title %}T {{ article.title }}{% endblock %}"
    "{% block body %}B {{ rules[0].description }}{% endblock %}"
)


def test_slack_channel_posts_the_templated_message_and_falls_back(tmp_path: Path) -> None:
    with SlackServer() as slack:
        good = MessageTemplate(_write(tmp_path, CHANNEL_TEMPLATE))
        SlackChannel("s", slack.url, interval=0, template=good).send(_typed(_story()))
        bad = MessageTemplate(_write(tmp_path, "{% block title %}{{ nope }}{% endblock %}", "b.j2"))
        SlackChannel("s", slack.url, interval=0, template=bad).send(_typed(_story()))
        first, second = (r.json for r in slack.received)
    assert first["blocks"][0]["text"]["text"].startswith("T NATO chief")
    assert first["blocks"][1]["text"]["text"] == "B NATO engages South Korea"
    assert second["text"].startswith("[nato-south-korea] NATO chief")  # built-in


def test_email_channel_builds_the_templated_message(tmp_path: Path) -> None:
    channel = EmailChannel(
        "desk",
        "127.0.0.1",
        25,
        "none",
        None,
        None,
        "m@example.org",
        ["d@example.org"],
        template=MessageTemplate(_write(tmp_path, CHANNEL_TEMPLATE)),
    )
    msg = channel._message(_typed(_story()))
    assert msg["Subject"].startswith("T NATO chief")
    body = msg.get_body(("plain",))
    assert body is not None and body.get_content() == "B NATO engages South Korea\n"


def test_apprise_channel_sends_the_templated_title_and_body(tmp_path: Path) -> None:
    with SlackServer(validate=False) as receiver:
        template = MessageTemplate(_write(tmp_path, CHANNEL_TEMPLATE))
        AppriseChannel("team", [url_of(receiver)], template=template).send(_typed(_story()))
        [got] = receiver.received
    assert got.json["title"].startswith("T NATO chief")
    assert got.json["message"].strip() == "B NATO engages South Korea"


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ('{{ "%0999999999d"|format(1) }}', "a %-format width over 9999"),
        (
            '{% set a = "' + "a" * 100 + '" %}{% set s = "aaaaaaaaaa" %}'
            '{{ s|replace("a", a)|replace("a", a)|replace("a", a)|replace("a", a)|length }}',
            "a replace that makes the text too long",
        ),
    ],
)
def test_format_and_replace_cannot_blow_up_a_render(
    tmp_path: Path, source: str, problem: str
) -> None:
    """4 GB and 14 s through `|format`, 1 GB through chained `|replace`, before the output
    cap could say no (break-it review of issue 13)."""
    path = _write(tmp_path, "{% block title %}" + source + "{% endblock %}")
    started = time.monotonic()
    [message] = check_template(path, "desk")
    assert problem in message and time.monotonic() - started < 1.0


def test_wordwrap_works(tmp_path: Path) -> None:
    """It always failed: the size-capping wrapper lost Jinja's `pass_environment` mark."""
    path = _write(
        tmp_path,
        '{% block title %}{% if kind != "digest" %}{{ article.title|wordwrap(20) }}'
        "{% endif %}{% endblock %}",
    )
    assert check_template(path, "desk") == []
