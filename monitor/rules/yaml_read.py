"""Reading rule files' YAML: a fast libyaml reader, and ruamel's, with the same refusals.

ruamel's round-trip parser keeps the line of every key and list item, which every
`FILE:LINE: message` needs, but it is pure Python: two to three minutes for 100,000 rules.
So a file is first read with libyaml (PyYAML's C parser) through a strict subset,
`read_fast`, that gives up (`NotPlain`) rather than guess wherever the two could disagree:
YAML 1.1 vs 1.2 scalars (`yes`, `0o17`, `1:30`), tags, anchors, directives, duplicate keys,
and the spots where libyaml is laxer than ruamel (tabs, NEL/LS line breaks, `|#` headers,
`"a":b`). A file that gives up there is read with ruamel (`read_roundtrip`), so every message
is exactly what ruamel gives. A file `read_fast` took that has a problem is read again into
ruamel's types with their line records, but by libyaml (`read_commented`): the same tree, so
the same messages, in a fraction of the time.

Both readers refuse, as the parser meets them and before anything is built, what no rule
file needs and a hostile one could use (`Refused`, a problem on one line): YAML anchors and
aliases (ten lines of them expand to millions of values), nesting deeper than `MAX_NESTING`
(ruamel's composer recurses once per level), a number longer than `MAX_NUMBER_CHARS` (before
`int()`), and a tagged value ruamel cannot construct (`!!int abc`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml import events as rt_events
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from yaml import events

try:
    from yaml._yaml import CParser  # what yaml.cyaml builds CSafeLoader on

    LIBYAML = True
except ImportError:  # a PyYAML built without libyaml: every file takes the ruamel path
    LIBYAML = False

from monitor.rules import messages
from monitor.textsafe import shorten

MAX_NESTING = 20
"""Deepest nesting of YAML mappings and lists read. A rule file needs five (the file, `rules:`,
a rule, `keywords:`, `any:`); ruamel's composer recurses once per level, so a file of 5,000
`[` used to end in a RecursionError."""

MAX_NUMBER_CHARS = 100
"""Longest number read. No key of a rule takes a number anywhere near this long; `int()`
refuses 4,300 digits (fewer if `PYTHONINTMAXSTRDIGITS` says so)."""


class NotPlain(Exception):
    """The fast reader cannot vouch that ruamel would read the file the same way."""


class Refused(NotPlain):
    """The file is refused with one problem on one line, whichever reader meets it.

    A `NotPlain` too, as the fast reader will not take the file; but ruamel need not read
    it either, as ruamel would refuse it in the same place for the same reason: its
    reader (`_Composer`, `_Constructor`) raises this too.
    """

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def refused_anchor(event: Any) -> Refused:
    """The refusal of an anchored node or an alias, at its line (either reader's event)."""
    return Refused(event.start_mark.line + 1, messages.ANCHORS)


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
"""Plain scalars that are null under YAML 1.1 and 1.2 alike."""

_UNSIGNED = re.compile(r"0|[1-9][0-9]*")
"""Plain scalars that are the same integer under YAML 1.1 and 1.2 alike (no octal, no `_`)."""


_Patterns = tuple[re.Pattern[str], ...]


def _typed_patterns() -> tuple[dict[str, _Patterns], _Patterns]:
    """Every pattern by which some YAML reader types a plain scalar, by first character.

    The union of PyYAML's (YAML 1.1) implicit resolvers and ruamel's for 1.1 and 1.2, taken
    from the libraries themselves: a plain scalar that matches none of them is a string for
    both, whatever the version. Keyed by first character, as both libraries key them; the
    second value holds the patterns for any first character (a `None` key; none today).
    """
    keyed: dict[str, list[re.Pattern[str]]] = {}
    anywhere: list[re.Pattern[str]] = []
    sources: list[dict[Any, Any]] = [yaml.resolver.Resolver.yaml_implicit_resolvers]
    sources += [VersionedResolver(version=v).versioned_resolver for v in ((1, 1), (1, 2))]
    for source in sources:
        for first, resolvers in source.items():
            patterns = keyed.setdefault(first, []) if first is not None else anywhere
            patterns.extend(regexp for _tag, regexp in resolvers)
    return {first: (*own, *anywhere) for first, own in keyed.items()}, tuple(anywhere)


_TYPED, _TYPED_ANYWHERE = _typed_patterns()


def _scalar(event: events.ScalarEvent, text: str) -> Any:
    """The value of a scalar, when YAML 1.1 and 1.2 (PyYAML and ruamel) agree on it."""
    if event.anchor is not None:
        raise refused_anchor(event)
    if event.tag is not None:
        raise NotPlain
    value = event.value
    if not event.implicit[0]:  # quoted or a `|`/`>` block: a string in every schema
        if event.style in ("|", ">"):
            _check_block_header(text, event)
        return value
    patterns = _TYPED.get(value[:1], _TYPED_ANYWHERE)
    if not patterns:
        return value  # most plain scalars: no schema types anything starting this way
    if value in _NULLS:
        return None
    if _UNSIGNED.fullmatch(value):
        if len(value) > MAX_NUMBER_CHARS:
            raise NotPlain  # refused by ruamel's reader (`_Constructor`), on its line
        return int(value)
    if any(pattern.match(value) for pattern in patterns):
        raise NotPlain  # `yes`, `0o17`, `1:30`, `1e3`, `.inf`, `2024-01-01`, `<<`, ...
    return value


_BLOCK_HEADER = re.compile(r"[|>][-+]?(?: +#[^\r\n]*| *)(?:\r\n|\r|\n) *[^ \r\n]")
"""A `|` or `>` block scalar's header line and the start of its first line of text."""


def _check_block_header(text: str, event: events.ScalarEvent) -> None:
    """`NotPlain` unless the block scalar starts in the plainest way.

    libyaml accepts headers that ruamel refuses (`|#`, a comment without a space), and
    ruamel refuses some blank first lines that libyaml takes. Only an optional chomping
    indicator, an optional comment and a first line with text are accepted here.
    """
    assert event.start_mark is not None  # libyaml marks every event
    if not _BLOCK_HEADER.match(text, event.start_mark.index):
        raise NotPlain


@dataclass(frozen=True)
class Tree:
    """A document read by `read_fast` (or `json_read.read_json`): plain values, and the
    line where each mapping starts (and, from the JSON reader, its place in the text)."""

    root: Any
    lines: dict[int, int]  # id(dict) -> 1-based line
    starts: dict[int, int] = field(default_factory=dict)  # id(dict) -> index of its `{`


_UNSAFE_CHARS = ("\t", "\x85", "\u2028", "\u2029", "\ufeff")
"""Characters that libyaml and ruamel treat differently: ruamel refuses a tab in places
where libyaml takes it as a space, and libyaml counts NEL, LS and PS as line breaks (they
are in YAML 1.1, not in 1.2), which shifts the lines of every rule after them. A byte order
mark is one too, anywhere but at the start (where both skip it)."""

_NO_KEY = object()
"""In `_build`: the open mapping awaits a key, not a value."""


def read_fast(text: str) -> Tree:
    """The document in `text` as plain values, parsed by libyaml, or `NotPlain`.

    Only what reads the same under YAML 1.1 and 1.2, in PyYAML and ruamel alike, is taken:
    one document, no directives, tags, anchors or aliases, string keys without duplicates,
    and plain scalars that are strings, null or a decimal integer (`_scalar`). Anything else
    raises `NotPlain` (and a syntax error `yaml.YAMLError`) so that ruamel reads the file;
    an anchor or an alias raises `Refused` at once. Deep nesting is left to the reader of a
    file with problems (`_build_commented`), as no valid rule file has any: this loop runs
    for every list and mapping of 100,000 rules, where even a depth test costs time.
    """
    text = text.removeprefix("\ufeff")  # libyaml skips it too; now marks index `text`
    if any(char in text for char in _UNSAFE_CHARS):
        raise NotPlain
    parser = CParser(text)
    try:
        return _build(parser.get_event, text)
    finally:
        parser.dispose()


def _build(next_event: Callable[[], Any], text: str) -> Tree:
    """Assemble the events into dicts, lists and scalars.

    One loop with exact type tests and no call per event but `_scalar`: it runs about
    13 times per rule, and at 100,000 rules every call in it costs a tenth of a second.
    """
    root: Any = None
    lines: dict[int, int] = {}
    open_: list[Any] = []  # the containers being filled, innermost last
    keys: list[Any] = []  # for each: the key awaiting its value, or _NO_KEY
    documents = 0
    while True:
        event = next_event()
        kind = type(event)
        if kind is events.ScalarEvent:
            value = _scalar(event, text)
        elif kind is events.MappingStartEvent or kind is events.SequenceStartEvent:
            if event.anchor is not None:
                raise refused_anchor(event)
            if event.tag is not None:
                raise NotPlain
            if kind is events.MappingStartEvent:
                value = {}
                lines[id(value)] = event.start_mark.line + 1
            else:
                value = []
        elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
            open_.pop()
            keys.pop()
            continue
        elif kind is events.DocumentStartEvent:
            documents += 1
            if event.version is not None or event.tags or documents > 1:
                raise NotPlain  # `%YAML 1.1` changes ruamel's schema; one document only
            continue
        elif kind is events.StreamEndEvent:
            return Tree(root, lines)
        elif kind is events.AliasEvent:
            raise refused_anchor(event)
        else:
            continue  # the stream's start, a document's end
        if not open_:
            root = value
        elif type(open_[-1]) is list:
            open_[-1].append(value)
        elif keys[-1] is _NO_KEY:
            if type(value) is not str or event.style or value in open_[-1]:  # style "": plain
                # A quoted key can take a value without a space (`"a":b`) where libyaml
                # accepts more than ruamel; a duplicate or non-string key ruamel reports.
                raise NotPlain
            keys[-1] = value
        else:
            open_[-1][keys[-1]] = value
            keys[-1] = _NO_KEY
        if kind is not events.ScalarEvent:
            open_.append(value)
            keys.append(_NO_KEY)


def read_commented(text: str) -> Any:
    """The document in `text` in ruamel's round-trip types, built from libyaml's events.

    Only for a text `read_fast` took, so that both readers agree on every value: for a file
    with problems, which are placed with a ruamel tree (`lc` lines of keys, values and
    items). Built from libyaml's events, the same tree costs a small part of what ruamel's
    own reader takes, so a large file with one mistake is reported at once, with the
    messages and lines ruamel's tree gives.
    """
    text = text.removeprefix("\ufeff")
    parser = CParser(text)
    try:
        return _build_commented(parser.get_event, text)
    finally:
        parser.dispose()


def _build_commented(next_event: Callable[[], Any], text: str) -> Any:
    """`_build`, making `CommentedMap`s and `CommentedSeq`s with ruamel's line records.

    Block scalars become `LiteralScalarString` or `FoldedScalarString`, as ruamel makes
    them: `messages.query_problem` counts lines inside a `|` query. Lines and columns are 0-based,
    as in ruamel.
    """
    root: Any = None
    open_: list[Any] = []  # the containers being filled, innermost last
    keys: list[Any] = []  # for each: (key, its mark) awaiting the value, or _NO_KEY
    while True:
        event = next_event()
        kind = type(event)
        if kind is events.ScalarEvent:
            value = _scalar(event, text)
            if event.style == "|":
                value = LiteralScalarString(value)
            elif event.style == ">":
                value = FoldedScalarString(value)
        elif kind is events.MappingStartEvent or kind is events.SequenceStartEvent:
            if len(open_) >= MAX_NESTING:  # `plain` and pydantic recurse per level
                raise Refused(event.start_mark.line + 1, messages.too_deep(MAX_NESTING))
            value = CommentedMap() if kind is events.MappingStartEvent else CommentedSeq()
        elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
            open_.pop()
            keys.pop()
            continue
        elif kind is events.StreamEndEvent:
            return root
        elif kind is events.AliasEvent:
            raise refused_anchor(event)  # `read_fast` took the text: never here
        else:
            continue  # the stream's and the document's start and end
        mark = event.start_mark
        if not open_:
            root = value
        elif type(open_[-1]) is CommentedSeq:
            open_[-1].lc.add_kv_line_col(len(open_[-1]), [mark.line, mark.column])
            open_[-1].append(value)
        elif keys[-1] is _NO_KEY:
            keys[-1] = (value, mark)
        else:
            key, at = keys[-1]
            open_[-1].lc.add_kv_line_col(key, [at.line, at.column, mark.line, mark.column])
            open_[-1][key] = value
            keys[-1] = _NO_KEY
        if kind is not events.ScalarEvent:
            value.lc.line, value.lc.col = mark.line, mark.column
            open_.append(value)
            keys.append(_NO_KEY)


class _Composer(Composer):
    """ruamel's composer, refusing anchors, aliases and deep nesting as the parser meets them.

    Before the node is built: an alias costs nothing to compose but expands when the tree is
    read, and each level of nesting is a level of recursion here.
    """

    _nesting = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, rt_events.AliasEvent) or event.anchor is not None:
            raise refused_anchor(event)
        if not isinstance(event, rt_events.CollectionStartEvent):
            return super().compose_node(parent, index)
        if self._nesting >= MAX_NESTING:
            raise Refused(event.start_mark.line + 1, messages.too_deep(MAX_NESTING))
        self._nesting += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._nesting -= 1


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor; a value it cannot build is a problem on its line.

    Some tagged values make ruamel's constructors raise plain exceptions (`!!int abc` a
    ValueError, `!!int ''` an IndexError, `!!bool maybe` a KeyError), and a long number
    would reach `int()`: each becomes a `Refused` naming the line.
    """

    def construct_non_recursive_object(self, node: Any, tag: str | None = None) -> Any:
        try:
            return super().construct_non_recursive_object(node, tag)
        except (Refused, YAMLError):
            raise
        except Exception as exc:
            reason = shorten(str(exc)) or type(exc).__name__
            raise Refused(node.start_mark.line + 1, messages.unreadable_value(reason)) from exc

    def construct_yaml_int(self, node: Any) -> Any:
        if len(node.value) > MAX_NUMBER_CHARS:
            raise Refused(
                node.start_mark.line + 1,
                messages.number_too_long(len(node.value), MAX_NUMBER_CHARS),
            )
        return super().construct_yaml_int(node)


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


def read_roundtrip(text: str) -> Any:
    """The document in `text` read by ruamel's round-trip loader, with the refusals above."""
    reader = YAML(typ="rt")
    reader.Composer = _Composer
    reader.Constructor = _Constructor
    return reader.load(text)


def plain(node: Any) -> Any:
    """ruamel's round-trip containers and scalar strings as plain Python values.

    Recursive, but only over trees `read_roundtrip` gave: at most `MAX_NESTING` deep, no aliases.
    """
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def line_at(node: Any, loc: Sequence[str | int], default: int) -> int:
    """1-based line of the deepest part of `loc` that exists in the YAML tree."""
    line = default
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line
