"""Per-channel message templates (`template = "templates/slack.j2"`): Jinja2, sandboxed.

A template file defines up to two blocks, `{% block title %}` (the title line) and
`{% block body %}` (the text under it); a block it leaves out keeps the channel's built-in
rendering of that part. The variables are the alert record's JSON fields (`record_vars`).

The template's literal text is the admin's and trusted; every *value* it inserts comes from an
article and is not. So autoescape is off, but the environment's `finalize` passes every
`{{ ... }}` value through the escaper of the channel and block being rendered (a `Style`,
set for the duration of one render in a context variable): Slack's mrkdwn escaper, header
blanking for an email subject, visible escapes on the console. That is what keeps an article
from pinging `@channel`, faking a link, adding a mail header or forging a console line
through a template. `link(url, text)` is the one way to insert markup, and it checks the URL.

Undefined variables are errors (`StrictUndefined`), so a typo is found by `monitor check`
(`check_template` renders samples of every record kind) rather than sending a blank. A
template is compiled when its channel is built (start and reload: a broken one is refused
there with `FILE:LINE`); at send time a render that fails anyway (`TemplateFailure`) makes the
channel log it and send its built-in message, so no alert is lost to a template.

The sandbox stops attribute tricks (`__class__`, `__globals__`) and limits `range` to 100,000
items, but not time or memory: nested loops or `"x" * 10**9` would still hold the channel's
sender. Renders therefore have a deadline (checked in `range`, calls, arithmetic and between
output chunks), arithmetic and width filters have size caps, and output has a size cap.
"""

from __future__ import annotations

import functools
import logging
import re
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from monitor.errors import ConfigError
from monitor.textsafe import printable

log = logging.getLogger("monitor.templates")

MAX_TEMPLATE_BYTES = 256 * 1024
"""A message template is a page of text; anything this large is a mistake or an attack."""

MAX_OUTPUT_CHARS = 100_000
"""Most characters one block may render; every channel cuts far below this anyway."""

RENDER_SECONDS = 1.0
"""Longest a render may take; a message template needs milliseconds."""

MAX_SIZE = 10_000
"""Largest repeat count, width or exponent template arithmetic and filters accept."""

BLOCKS = ("title", "body")

KINDS = ("story", "rule", "digest")


class TemplateFailure(Exception):
    """A template could not be loaded or rendered; `str()` is `FILE:LINE: message`."""


class Trusted(str):
    """Text that is already escaped for its channel (made by `Style.link`): not escaped again."""


@dataclass(frozen=True)
class Style:
    """How one channel shows one block: how a value is escaped, how a link is written."""

    escape: Callable[[str], str]
    link: Callable[[str, str], str] = lambda url, text: f"{text} ({url})" if url else text


_style: ContextVar[Style | None] = ContextVar("monitor_template_style", default=None)
_deadline: ContextVar[float] = ContextVar("monitor_template_deadline", default=0.0)


def _check_time() -> None:
    if time.monotonic() > _deadline.get():
        raise SecurityError(f"the template took longer than {RENDER_SECONDS:g} s")


def _finalize(value: Any) -> str:
    """Every `{{ value }}` of a template: None is empty, anything else escaped for the
    channel; text `link()` made is already escaped."""
    if value is None:
        return ""
    if isinstance(value, Trusted):
        return str(value)
    style = _style.get()
    text = str(value)
    return style.escape(text) if style is not None else text


def _link(url: Any, text: Any = None) -> Trusted:
    """`link(article.url, "Read it")` in a template: a link in the channel's own syntax."""
    style = _style.get()
    label = "" if text is None else str(text)
    href = "" if url is None else str(url)
    if style is None:
        return Trusted(label or href)
    return Trusted(style.link(href, label or href))


def _bounded_range(*args: int) -> Iterator[int]:
    """`range` for templates: the sandbox's 100,000 cap, plus the render deadline."""
    numbers = range(*args)
    if len(numbers) > 100_000:
        raise SecurityError("range() of more than 100,000 items")
    for index, number in enumerate(numbers):
        if index % 1000 == 0:
            _check_time()
        yield number


def _capped(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose numeric arguments (widths) may not exceed MAX_SIZE, whose format
    string (`format`) has no huge width, and whose result (`replace`) cannot grow past a
    message's size. `functools.wraps` keeps Jinja's marks (`wordwrap` needs the
    environment passed: without them it always failed)."""

    @functools.wraps(original)
    def run(*args: Any, **kwargs: Any) -> Any:
        passed = (jinja2.Environment, jinja2.nodes.EvalContext, jinja2.runtime.Context)
        values = [a for a in (*args, *kwargs.values()) if not isinstance(a, passed)]
        for value in values[1:]:
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
                raise SecurityError(f"`{name}` with {value}: at most {MAX_SIZE}")
        if (
            name == "format"
            and values
            and isinstance(values[0], str)
            and _PERCENT_WIDTH.search(values[0])
        ):
            raise SecurityError("a %-format width over 9999")
        if name == "replace" and len(values) >= 3 and all(isinstance(v, str) for v in values[:3]):
            text, old, new = values[0], values[1], values[2]
            grows = text.count(old) * (len(new) - len(old)) if old else len(text) * len(new)
            if len(text) + grows > MAX_OUTPUT_CHARS:
                raise SecurityError("a replace that makes the text too long for a message")
        return original(*args, **kwargs)

    return run


#: A width or precision of 5+ digits in a %-format or a str.format field (`%099999d`,
#: `{:99999}`): a gigabyte of padding in one call. Other numbers in the text are fine.
_PERCENT_WIDTH = re.compile(r"%[^a-zA-Z%]*[0-9]{5,}")
_FORMAT_WIDTH = re.compile(r"\{[^{}]*:[^{}]*[0-9]{5,}")


class _Environment(SandboxedEnvironment):
    """The sandbox with time and size limits on arithmetic and calls."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _check_time()
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(count, int)
                    and len(seq) * count > MAX_OUTPUT_CHARS
                ):
                    raise SecurityError("a repeated string or list too long for a message")
        elif operator == "**":
            if isinstance(right, int) and abs(right) > 100:
                raise SecurityError("an exponent over 100")
        elif isinstance(left, str) and _PERCENT_WIDTH.search(left):
            raise SecurityError("a %-format width over 9999")
        return super().call_binop(context, operator, left, right)

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_time()
        # The sandbox hands out `str.format` wrapped (`wrap_str_format`): look inside.
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(owner, str) and _FORMAT_WIDTH.search(owner):
            raise SecurityError("a format width over 9999")
        return super().call(__context, __obj, *args, **kwargs)


def _environment(path: Path, source: str) -> _Environment:
    loader = jinja2.FunctionLoader(
        lambda name: (source, str(path), lambda: True) if name == str(path) else None
    )
    env = _Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals["range"] = _bounded_range
    env.globals["link"] = _link
    for name in ("center", "indent", "wordwrap", "truncate", "format", "batch", "slice", "replace"):
        env.filters[name] = _capped(name, env.filters[name])
    return env


def _line_of(exc: BaseException, path: Path) -> int:
    """The template line an exception was raised at: Jinja maps template frames of the
    traceback (after `handle_exception`) to the template's file name and line."""
    lineno = getattr(exc, "lineno", None)
    if isinstance(exc, jinja2.TemplateSyntaxError) and lineno:
        return int(lineno)
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(path)]
    return (lines[-1] or 1) if lines else 1


class MessageTemplate:
    """A compiled template file; `render` gives one block for one record, or None if the
    file does not define that block."""

    def __init__(self, path: Path, shown: str | None = None) -> None:
        self.path = path
        self.shown = shown or str(path)
        source = _read(path, self.shown)
        env = _environment(path, source)
        try:
            self._template = env.get_template(str(path))
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateFailure(
                f"{self.shown}:{exc.lineno or 1}: template syntax error: {exc.message}"
            ) from None
        self._env = env

    @property
    def blocks(self) -> set[str]:
        return set(self._template.blocks)

    def render(self, block: str, data: Mapping[str, Any], style: Style) -> str | None:
        """Block `block` for the record `data`, values escaped by `style`; None if the file
        has no such block; `TemplateFailure` (with FILE:LINE) if it fails."""
        render = self._template.blocks.get(block)
        if render is None:
            return None
        variables = record_vars(data)
        style_token = _style.set(style)
        deadline_token = _deadline.set(time.monotonic() + RENDER_SECONDS)
        try:
            try:
                context = self._template.new_context(dict(variables))
                out: list[str] = []
                size = 0
                for chunk in render(context):
                    size += len(chunk)
                    if size > MAX_OUTPUT_CHARS:
                        raise SecurityError(f"the {block} block is over {MAX_OUTPUT_CHARS} chars")
                    out.append(chunk)
                    _check_time()
                return "".join(out)
            except Exception:
                self._env.handle_exception()  # re-raises with template lines in the traceback
        except Exception as exc:
            raise TemplateFailure(
                f"{self.shown}:{_line_of(exc, self.path)}: {_describe(exc, variables)}"
            ) from exc
        finally:
            _style.reset(style_token)
            _deadline.reset(deadline_token)
        return None  # not reached: handle_exception always raises


def _describe(exc: BaseException, variables: Mapping[str, Any]) -> str:
    kind = variables.get("kind", "?")
    if isinstance(exc, jinja2.UndefinedError):
        m = re.fullmatch(r"'(\w+)' is undefined", str(exc))
        available = ", ".join(sorted(variables))
        if m:
            guard = _guard(m.group(1), str(kind))
            return (
                f"undefined variable '{m.group(1)}' in a {kind} message{guard} "
                f"(variables here: {available})"
            )
        return f"{exc} in a {kind} message (variables here: {available})"
    if isinstance(exc, SecurityError):
        return f"template stopped: {exc}"
    return f"{type(exc).__name__}: {exc} (in a {kind} message)"


def _guard(name: str, kind: str) -> str:
    """A hint how to guard a variable that only some record kinds have."""
    if name in ("digest", "stories", "count"):
        return '; guard it with {% if kind == "digest" %}'
    if kind == "digest" and name in ("article", "rules", "also_in", "excerpt", "hits_total"):
        return '; guard it with {% if kind != "digest" %}'
    if name in ("rule", "description", "hits"):
        return '; guard it with {% if kind == "rule" %}, or use `rules`, which every alert has'
    return ""


def _read(path: Path, shown: str) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as exc:
        raise TemplateFailure(f"{shown}:1: cannot read template: {exc.strerror or exc}") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateFailure(
            f"{shown}:1: template is larger than {MAX_TEMPLATE_BYTES:,} bytes; keep it short"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TemplateFailure(
            f"{shown}:{line}: template is not UTF-8 (byte 0x{data[exc.start]:02x}); "
            "save it as UTF-8"
        ) from None


def record_kind(data: Mapping[str, Any]) -> str:
    """`digest`, `story` or `rule`: which kind of message a record is."""
    if "digest" in data:
        return "digest"
    return "story" if "story" in data and "rules" in data else "rule"


def record_vars(data: Mapping[str, Any]) -> dict[str, Any]:
    """A template's variables: the record's JSON fields, plus `kind`; a rule record also
    has `rules` (one entry) and `also_in` (empty), so one template serves stories and rules."""
    variables = dict(data)
    kind = record_kind(data)
    variables["kind"] = kind
    if kind == "rule":
        variables.setdefault(
            "rules",
            [
                {
                    "rule": data.get("rule"),
                    "description": data.get("description"),
                    "hits": data.get("hits", []),
                    "hits_total": data.get("hits_total"),
                }
            ],
        )
    if kind in ("rule", "story"):
        variables.setdefault("also_in", [])
    return variables


def render_message(
    template: MessageTemplate,
    data: Mapping[str, Any],
    title_style: Style,
    body_style: Style,
    channel: str,
) -> tuple[str | None, str | None] | None:
    """(title, body) of a message from `template`, None for a block it does not define;
    None as a whole if rendering failed, which is logged with the template's FILE:LINE:
    the channel then sends its built-in message, so the alert is not lost."""
    try:
        return (
            template.render("title", data, title_style),
            template.render("body", data, body_style),
        )
    except TemplateFailure as exc:
        log.error(
            "channel `%s`: %s; sending the built-in message instead",
            printable(channel),
            printable(str(exc)),
        )
        return None


def load_template(path: Path | None, shown: str | None = None) -> MessageTemplate | None:
    """The compiled template for a channel's `template` key, or `ConfigError` (FILE:LINE)."""
    if path is None:
        return None
    try:
        return MessageTemplate(path, shown)
    except TemplateFailure as exc:
        raise ConfigError([str(exc)]) from None


# -- `monitor check`: samples of each record kind --------------------------------------------
def sample_records(channel: str) -> dict[str, dict[str, Any]]:
    """A realistic record of each kind, as the channel would get it, for `check_template`."""
    article = {
        "id": "3f2a9c1e5b7d4a60",
        "title": "NATO chief urges S Korea to step up military support for Ukraine",
        "path": "inbox/seed.txt",
        "url": "https://example.org/news/nato-korea",
        "published": "2026-11-30T08:00:00+00:00",
        "source": "Example Wire",
        "archived": "archive/2026-11-30/seed.txt",
    }
    hits = [
        {"term": "NATO", "text": "NATO", "field": "title", "start": 0, "end": 4},
        {"term": "South Korea", "text": "S Korea", "field": "title", "start": 17, "end": 24},
    ]
    excerpt = {"text": "NATO's secretary-general urged S Korea ...", "field": "body", "start": 0}
    rule_entry = {
        "rule": "nato-south-korea",
        "description": "NATO engages South Korea",
        "hits": hits,
        "hits_total": 2,
    }
    also_in = [
        {
            "source": "Other Wire",
            "url": "https://example.net/a",
            "path": "inbox/copy.txt",
            "title": article["title"],
        }
    ]
    sent = "2026-11-30T08:01:00+00:00"
    story = {
        "story": "s-3f2a9c1e",
        "channel": channel,
        "article": article,
        "rules": [rule_entry],
        "also_in": also_in,
        "hits_total": 2,
        "excerpt": excerpt,
        "matched_at": sent,
        "sent_at": sent,
    }
    rule = {
        "rule": rule_entry["rule"],
        "channel": channel,
        "description": rule_entry["description"],
        "article": article,
        "hits": hits,
        "hits_total": 2,
        "excerpt": excerpt,
        "matched_at": sent,
        "story": "s-3f2a9c1e",
        "sent_at": sent,
    }
    digest = {
        "digest": {"from": "2026-11-30T07:00:00+00:00", "to": "2026-11-30T08:00:00+00:00"},
        "channel": channel,
        "stories": [{k: v for k, v in story.items() if k not in ("channel", "sent_at")}],
        "count": 1,
        "sent_at": sent,
    }
    return {"story": story, "rule": rule, "digest": digest}


def check_template(path: Path, channel: str, shown: str | None = None) -> list[str]:
    """`FILE:LINE: message` for each problem of a channel's template: unreadable, a syntax
    error, or a block that fails on a sample story, rule or digest record (an undefined
    variable, say). One line per distinct problem."""
    try:
        template = MessageTemplate(path, shown)
    except TemplateFailure as exc:
        return [str(exc)]
    problems: list[str] = []
    plain = Style(escape=lambda text: text)
    for data in sample_records(channel).values():
        for block in BLOCKS:
            try:
                template.render(block, data, plain)
            except TemplateFailure as exc:
                problem = str(exc)
                if problem not in problems:
                    problems.append(problem)
                break
    if not template.blocks & set(BLOCKS):
        problems.append(
            f"{template.shown}:1: the template defines neither {{% block title %}} nor "
            "{% block body %}, so it changes nothing"
        )
    return problems
