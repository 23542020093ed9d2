"""Load rule files from the rules folder into a `RuleSet`, with `FILE:LINE: message` errors.

ruamel.yaml keeps the line of every key and list item, so each validation error from the
pydantic models can point at the exact line to fix. One broken rule does not hide the
others: the loader returns every valid rule together with the list of problems, and the
caller decides (the daemon starts with the valid rules; a reload with problems is refused).

ruamel's round-trip parser is pure Python (its C extension cannot keep comments and lines),
1.2 to 1.6 s per 1,000 rules: two to three minutes for 100,000. So each file is first read with
libyaml (PyYAML's C parser) through a strict subset, `_read_fast`, that gives up rather than
guess wherever the two could disagree: YAML 1.1 vs 1.2 scalars (`yes`, `0o17`, `1:30`),
tags, anchors, directives, duplicate keys, and the spots where libyaml is laxer than ruamel
(tabs, NEL/LS line breaks, `|#` headers, `"a":b`). A file that gives up there is read again
with ruamel, so every message is exactly what ruamel gives. A file libyaml read that has a
problem is read again too, into ruamel's types with their line records, but by libyaml
(`_read_commented`): the same tree, so the same messages, in seconds rather than minutes.

A rule's `query:` is parsed here, at load time, so a typo in a query is a `monitor check`
problem (`FILE:LINE: query error at column C: message`) rather than a surprise in the
daemon, and its `entity:NAME`s are resolved like `entities:`.

Anyone who can save a file in the rules folder can feed it anything, and a load that raises
would take the daemon down on every restart. So every file, however hostile, ends as rules or
as `FILE:LINE: message` problems, in time linear in its size:

* YAML anchors and aliases are refused wherever they appear (`_ANCHORS`): rules never need
  them, and ten lines of them expand to millions of values (a "billion laughs" took minutes
  and gigabytes). Both readers refuse them as the parser meets them, before anything is built;
* nesting deeper than `MAX_NESTING` is refused the same way: a rule file needs five levels,
  and ruamel's composer (and everything after it) recurses once per level;
* a number longer than `MAX_NUMBER_CHARS` is refused before `int()` (which refuses 4,300
  digits, and takes quadratic time on YAML 1.1's base-60 `1:2:3...`), and a tagged value
  that ruamel cannot construct (`!!int abc`) is a problem on its line, not an exception;
* a file larger than `MAX_FILE_BYTES` is not read at all;
* a name that holds no regular file (a FIFO, a device, a link that loops or leads nowhere)
  or a folder that cannot be listed is a problem of its own (`list_rule_folder`,
  `read_rule_file`): one such entry used to make the listing raise, and every rule of the
  folder was lost;
* anything else that still goes wrong with one file (a bug) is a problem for that file
  (`FILE:1: could not load: ...`), and the other files load as usual.

Messages quote at most 60 characters (`textsafe.shorten`) of what the file says, so a
megabyte-long key does not come back as a megabyte-long line.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml import events as rt_events
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from yaml import events

try:
    from yaml._yaml import CParser  # what yaml.cyaml builds CSafeLoader on

    _LIBYAML = True
except ImportError:  # a PyYAML built without libyaml: every file takes the ruamel path
    _LIBYAML = False

from monitor.gazetteer import EntityCatalog
from monitor.gazetteer.model import Entity
from monitor.rules import query as q
from monitor.rules.model import EntityDef, Keywords, Rule, RuleFile, RuleSet, SourceRef
from monitor.textsafe import printable, shorten, shown_path
from monitor.walk import walk

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Rule files larger than this (32 MiB) are refused unread. 100,000 rules in one file are 11 to
15 MB, so there is room for twice as many; what a file costs grows with its size (100,000
rules: about 10 s and 570 MB to load and compile, more for a file of nothing but distinct
query terms), so the cap bounds what one file can cost. A bigger file is better split anyway:
any change to a file is a reload of all of it."""

MAX_NESTING = 20
"""Deepest nesting of YAML mappings and lists read. A rule file needs five (the file, `rules:`,
a rule, `keywords:`, `any:`); ruamel's composer recurses once per level, so a file of 5,000
`[` used to end in a RecursionError."""

MAX_NUMBER_CHARS = 100
"""Longest number read. No key of a rule takes a number anywhere near this long; `int()`
refuses 4,300 digits (fewer if `PYTHONINTMAXSTRDIGITS` says so)."""


_ANCHORS = (
    "YAML anchors and aliases (`&name`, `*name`) are not allowed in rule files: "
    "write each value out in full"
)


_NOT_A_MAPPING = "expected a mapping with `rules:` (a list) or a single rule with `id:`"


def _too_deep() -> str:
    return f"nested too deeply: at most {MAX_NESTING} levels of mappings and lists are read"


@dataclass(frozen=True)
class LoadResult:
    """The valid rules, and one `FILE:LINE: message` string per problem found."""

    ruleset: RuleSet
    problems: tuple[str, ...]


RULE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class RuleFolder:
    """What listing the rules folder found: the rule files, and the folders it could not list.

    A rule file here is any entry named `*.yaml`/`*.yml` that is not a folder: a FIFO, a
    device or a symbolic link that leads nowhere too, so that reading it reports what it is
    (`read_rule_file`) rather than its rules vanishing without a word. A folder that cannot
    be listed is kept with the reason, for the same reason.
    """

    files: tuple[Path, ...]
    unreadable: tuple[tuple[Path, OSError], ...] = ()


def list_rule_folder(folder: Path) -> RuleFolder:
    """Every rule file below `folder`, sorted, skipping hidden files and folders. Never raises.

    Links to folders are not followed (`monitor.walk`), links to files are listed.
    Nothing here follows a link or looks inside a file: a link that loops (`ELOOP`), leads
    through a file (`ENOTDIR`) or is too long made `DirEntry.is_file()` raise, and that one
    entry took every rule of the folder down with it.
    """
    if not folder.is_dir():
        return RuleFolder(())
    unreadable: list[tuple[Path, OSError]] = []

    def failed(path: Path, exc: OSError) -> None:
        if not isinstance(exc, FileNotFoundError):  # gone since listed: nothing to load
            unreadable.append((path, exc))  # else its rules would vanish without a word

    found = [
        path
        for path, entry, _ in walk(folder, skip=lambda name: name.startswith("."), failed=failed)
        if path.suffix.lower() in RULE_SUFFIXES and not _is_folder(entry)
    ]
    return RuleFolder(tuple(sorted(found)), tuple(sorted(unreadable, key=lambda u: u[0])))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:  # cannot even lstat it: reading it will say why
        return False


def rule_files(folder: Path) -> list[Path]:
    """The rule files below `folder` (see `list_rule_folder`), sorted."""
    return list(list_rule_folder(folder).files)


class NotARegularFile(OSError):
    """A rule file's name holds something else: a FIFO, a socket, a device, a folder, or a
    symbolic link to nothing. A problem of its own, since `cannot read` would send the
    admin looking for a permission or a disk error."""


def _kind(mode: int) -> str:
    """What a file of this `st_mode` is, in words, for `NotARegularFile`."""
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


def read_rule_file(path: Path) -> bytes | None:
    """The bytes of a rule file; None if it holds more than `MAX_FILE_BYTES`.

    Raises `NotARegularFile` for a name that holds no file (found with `stat`, before
    opening: opening a device can have effects of its own) or a dangling link, and OSError
    for one that cannot be read. Opened without blocking and checked again once open: a
    FIFO put in the file's place after the check would block the read forever.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if not os.path.islink(path):
            raise
        try:
            target = printable(shown_path(Path(os.readlink(path))))
        except OSError:
            target = "?"
        raise NotARegularFile(
            f"a symbolic link to `{shorten(target)}`, which does not exist"
        ) from None
    if not stat.S_ISREG(mode):
        raise NotARegularFile(_kind(mode))
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(handle, "rb") as fh:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(_kind(mode))
        data = fh.read(MAX_FILE_BYTES + 1)
    return None if len(data) > MAX_FILE_BYTES else data


def _os_reason(exc: OSError) -> str:
    """`[Errno 40] Too many levels of symbolic links`: the error without the path, which the
    message names already (relative to the config's folder, as every problem does)."""
    if exc.errno is not None and exc.strerror:
        return f"[Errno {exc.errno}] {exc.strerror}"
    return shorten(str(exc))


class _NotPlain(Exception):
    """The fast reader cannot vouch that ruamel would read the file the same way."""


class _Refused(_NotPlain):
    """The file is refused with one problem on one line, whichever reader meets it.

    A `_NotPlain` too, as the fast reader will not take the file; but ruamel need not read
    it either, as ruamel would refuse it in the same place for the same reason: its
    reader (`_Composer`, `_Constructor`) raises this too.
    """

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _refused_anchor(event: Any) -> _Refused:
    """The refusal of an anchored node or an alias, at its line (either reader's event)."""
    return _Refused(event.start_mark.line + 1, _ANCHORS)


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
        raise _refused_anchor(event)
    if event.tag is not None:
        raise _NotPlain
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
            raise _NotPlain  # refused by ruamel's reader (`_Constructor`), on its line
        return int(value)
    if any(pattern.match(value) for pattern in patterns):
        raise _NotPlain  # `yes`, `0o17`, `1:30`, `1e3`, `.inf`, `2024-01-01`, `<<`, ...
    return value


_BLOCK_HEADER = re.compile(r"[|>][-+]?(?: +#[^\r\n]*| *)(?:\r\n|\r|\n) *[^ \r\n]")
"""A `|` or `>` block scalar's header line and the start of its first line of text."""


def _check_block_header(text: str, event: events.ScalarEvent) -> None:
    """`_NotPlain` unless the block scalar starts in the plainest way.

    libyaml accepts headers that ruamel refuses (`|#`, a comment without a space), and
    ruamel refuses some blank first lines that libyaml takes. Only an optional chomping
    indicator, an optional comment and a first line with text are accepted here.
    """
    assert event.start_mark is not None  # libyaml marks every event
    if not _BLOCK_HEADER.match(text, event.start_mark.index):
        raise _NotPlain


@dataclass(frozen=True)
class _Tree:
    """A document read by `_read_fast`: plain values, and the line where each mapping starts."""

    root: Any
    lines: dict[int, int]  # id(dict) -> 1-based line


_UNSAFE_CHARS = ("\t", "\x85", "\u2028", "\u2029", "\ufeff")
"""Characters that libyaml and ruamel treat differently: ruamel refuses a tab in places
where libyaml takes it as a space, and libyaml counts NEL, LS and PS as line breaks (they
are in YAML 1.1, not in 1.2), which shifts the lines of every rule after them. A byte order
mark is one too, anywhere but at the start (where both skip it)."""

_NO_KEY = object()
"""In `_build`: the open mapping awaits a key, not a value."""


def _read_fast(text: str) -> _Tree:
    """The document in `text` as plain values, parsed by libyaml, or `_NotPlain`.

    Only what reads the same under YAML 1.1 and 1.2, in PyYAML and ruamel alike, is taken:
    one document, no directives, tags, anchors or aliases, string keys without duplicates,
    and plain scalars that are strings, null or a decimal integer (`_scalar`). Anything else
    raises `_NotPlain` (and a syntax error `yaml.YAMLError`) so that ruamel reads the file;
    an anchor or an alias raises `_Refused` at once. Deep nesting is left to the reader of a
    file with problems (`_build_commented`), as no valid rule file has any: this loop runs
    for every list and mapping of 100,000 rules, where even a depth test costs time.
    """
    text = text.removeprefix("\ufeff")  # libyaml skips it too; now marks index `text`
    if any(char in text for char in _UNSAFE_CHARS):
        raise _NotPlain
    parser = CParser(text)
    try:
        return _build(parser.get_event, text)
    finally:
        parser.dispose()


def _build(next_event: Callable[[], Any], text: str) -> _Tree:
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
                raise _refused_anchor(event)
            if event.tag is not None:
                raise _NotPlain
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
                raise _NotPlain  # `%YAML 1.1` changes ruamel's schema; one document only
            continue
        elif kind is events.StreamEndEvent:
            return _Tree(root, lines)
        elif kind is events.AliasEvent:
            raise _refused_anchor(event)
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
                raise _NotPlain
            keys[-1] = value
        else:
            open_[-1][keys[-1]] = value
            keys[-1] = _NO_KEY
        if kind is not events.ScalarEvent:
            open_.append(value)
            keys.append(_NO_KEY)


def _read_commented(text: str) -> Any:
    """The document in `text` in ruamel's round-trip types, built from libyaml's events.

    Only for a text `_read_fast` took, so that both readers agree on every value: for a file
    with problems, which are placed with a ruamel tree (`lc` lines of keys, values and
    items). Built from libyaml's events, the same tree costs a small part of what ruamel's
    own reader takes (a file of 10,000 rules with one typo: 5.5 s), so a large file with one
    mistake is reported at once, with the messages and lines ruamel's tree gives.
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
    them: `_query_problem` counts lines inside a `|` query. Lines and columns are 0-based,
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
            if len(open_) >= MAX_NESTING:  # `_plain` and pydantic recurse per level
                raise _Refused(event.start_mark.line + 1, _too_deep())
            value = CommentedMap() if kind is events.MappingStartEvent else CommentedSeq()
        elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
            open_.pop()
            keys.pop()
            continue
        elif kind is events.StreamEndEvent:
            return root
        elif kind is events.AliasEvent:
            raise _refused_anchor(event)  # `_read_fast` took the text: never here
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
            raise _refused_anchor(event)
        if not isinstance(event, rt_events.CollectionStartEvent):
            return super().compose_node(parent, index)
        if self._nesting >= MAX_NESTING:
            raise _Refused(event.start_mark.line + 1, _too_deep())
        self._nesting += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._nesting -= 1


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor; a value it cannot build is a problem on its line.

    Some tagged values make ruamel's constructors raise plain exceptions (`!!int abc` a
    ValueError, `!!int ''` an IndexError, `!!bool maybe` a KeyError), and a long number
    would reach `int()`: each becomes a `_Refused` naming the line.
    """

    def construct_non_recursive_object(self, node: Any, tag: str | None = None) -> Any:
        try:
            return super().construct_non_recursive_object(node, tag)
        except (_Refused, YAMLError):
            raise
        except Exception as exc:
            reason = shorten(str(exc)) or type(exc).__name__
            raise _Refused(node.start_mark.line + 1, f"cannot read this value: {reason}") from exc

    def construct_yaml_int(self, node: Any) -> Any:
        if len(node.value) > MAX_NUMBER_CHARS:
            raise _Refused(
                node.start_mark.line + 1,
                f"a number {len(node.value):,} characters long: rule files "
                f"need none longer than {MAX_NUMBER_CHARS}",
            )
        return super().construct_yaml_int(node)


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


def _roundtrip(text: str) -> Any:
    """The document in `text` read by ruamel's round-trip loader, with the refusals above."""
    reader = YAML(typ="rt")
    reader.Composer = _Composer
    reader.Constructor = _Constructor
    return reader.load(text)


def _plain(node: Any) -> Any:
    """ruamel's round-trip containers and scalar strings as plain Python values.

    Recursive, but only over trees `_roundtrip` gave: at most `MAX_NESTING` deep, no aliases.
    """
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def _line(node: Any, loc: Sequence[str | int], default: int) -> int:
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


def _field_names(loc: Sequence[str | int]) -> list[str]:
    """The keys allowed at the place `loc` points to (its parent), for spelling suggestions."""
    parent = [p for p in loc[:-1] if isinstance(p, str)]
    if parent and parent[-1] == "keywords":
        return list(Keywords.model_fields)
    if parent and parent[-1] == "entities":
        return list(EntityDef.model_fields)
    if not parent:  # a rule's keys or a file's: `entities` is both, and listed once
        return list(dict.fromkeys([*Rule.model_fields, *RuleFile.model_fields]))
    return list(Rule.model_fields)


def _describe(err: Any) -> str:
    loc: tuple[str | int, ...] = tuple(err["loc"])
    dotted = ".".join(str(p) for p in loc) or "rule"
    if err["type"] == "extra_forbidden":
        key = str(loc[-1])
        close = difflib.get_close_matches(key, _field_names(loc), n=1, cutoff=0.6)
        hint = (
            f"did you mean `{close[0]}`?"
            if close
            else (f"allowed keys here: {', '.join(_field_names(loc))}")
        )
        return f"unknown key `{shorten(key)}`: {hint}"
    if err["type"] == "missing":
        return f"missing key `{dotted}`"
    if err["type"] == "string_pattern_mismatch" and loc[-1:] == ("id",):
        return "rule `id` may only hold letters, digits, `-` and `_`"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"`{dotted}`: {msg}" if loc else msg


_Place = tuple[str | int, ...]
"""Where a rule or entity is in its file: `("rules", 3)`, or `()` for a file that is one rule."""

_Item = tuple[_Place, dict[str, Any], int]
"""A rule or entity definition read by `_read_fast`: its place, its keys, its line."""

_RULES = TypeAdapter(list[Rule])
_ENTITIES = TypeAdapter(list[EntityDef])
"""A whole file's rules (entities) are validated in one call, not one call per rule."""


def _fast_items(tree: _Tree) -> tuple[list[_Item], list[_Item]]:
    """The rules and the entity definitions of a file read by `_read_fast`.

    Raises `_NotPlain` for every shape that `_FileLoader._load_roundtrip` reports as a
    problem, so that the report comes from there; but a document that is not a mapping is
    refused here, as it would be there (a megabyte-long scalar took ruamel seconds).
    """
    doc = tree.root
    if doc is None:
        return [], []  # an empty file (or comments only) defines nothing
    if not isinstance(doc, dict):  # ruamel says the same; no need to make it read megabytes
        raise _Refused(1, _NOT_A_MAPPING)
    if "id" in doc:
        return [((), doc, 1)], []
    if any(key not in RuleFile.model_fields for key in doc):
        raise _NotPlain
    return _fast_list(tree, "rules"), _fast_list(tree, "entities")


def _fast_list(tree: _Tree, key: str) -> list[_Item]:
    """The items of the file's `rules:` or `entities:`, each a mapping (else `_NotPlain`)."""
    items = tree.root.get(key)
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise _NotPlain
    return [((key, i), item, tree.lines[id(item)]) for i, item in enumerate(items)]


class _FileLoader:
    """Collects the rules and entity definitions of one file, recording problems.

    A file is read with libyaml when it can be (`_load_fast`), else with ruamel
    (`_load_roundtrip`). Problems found later, across files (an unknown entity), need the
    ruamel node of a rule to name the line: `node` reads the file with ruamel only then.
    """

    def __init__(self, path: Path, shown: str) -> None:
        self.path = path
        self.shown = shown
        self.rules: list[tuple[Rule, SourceRef, _Place, q.QueryNode | None]] = []
        self.entities: list[tuple[EntityDef, SourceRef]] = []
        self.problems: list[str] = []
        self._text = ""
        self._doc: Any = None  # ruamel's tree, once the file has been read with ruamel
        self._vouched = False  # `_read_fast` took the text: `_read_commented` reads it

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.shown}:{line}: {message}")

    def node(self, at: _Place) -> CommentedMap:
        """The ruamel node of the rule at `at`, for placing a problem found after loading."""
        if self._doc is None:
            self._doc = _read_commented(self._text) if self._vouched else _roundtrip(self._text)
        node = self._doc
        for part in at:
            node = node[part]
        assert isinstance(node, CommentedMap)
        return node

    def load(self) -> None:
        """Read the file; its problems are recorded, never raised.

        An exception nothing below expects (a bug, or a limit not thought of) becomes a
        problem on line 1 and leaves the file without rules, so that the other files still
        load and `monitor check` says which file it was.
        """
        try:
            if self._read():
                self._parse()
        except Exception as exc:
            self.rules, self.entities, self._doc = [], [], None
            reason = shorten(str(exc).splitlines()[0] if str(exc) else "")
            self.problem(
                1, f"could not load: {type(exc).__name__}" + (f": {reason}" if reason else "")
            )

    def _read(self) -> bool:
        """Read the text, at most `MAX_FILE_BYTES` of it; False (with a problem) if it fails."""
        try:
            data = read_rule_file(self.path)
            if data is None:
                self.problem(
                    1,
                    f"rule file too large: more than {MAX_FILE_BYTES >> 20} MiB; "
                    "split it into several files",
                )
                return False
            self._text = data.decode("utf-8")
        except NotARegularFile as exc:
            self.problem(
                1,
                f"not a regular file: {exc}; only regular files (or symbolic "
                "links to them) are read",
            )
            return False
        except OSError as exc:
            self.problem(1, f"cannot read rule file: {_os_reason(exc)}")
            return False
        except UnicodeDecodeError as exc:
            self.problem(1, f"cannot read rule file: {exc}")
            return False
        return True

    def _parse(self) -> None:
        if not self._load_fast():
            self._load_roundtrip()

    def _load_fast(self) -> bool:
        """Read the file with libyaml; False, recording nothing, if ruamel must read it.

        Only a file without any problem is taken this way: a file with one is read again
        into ruamel's types (by libyaml if `_read_fast` took it, else by ruamel) so that every
        message and line is the one ruamel's tree gives. Each file is validated with one
        pydantic call, not one per rule.
        """
        if not _LIBYAML:
            return False
        try:
            tree = _read_fast(self._text)
            self._vouched = True
            rule_items, entity_items = _fast_items(tree)
            rules = _RULES.validate_python([keys for _, keys, _ in rule_items])
            entities = _ENTITIES.validate_python([keys for _, keys, _ in entity_items])
            asts = [None if r.query is None else q.parse_query(r.query) for r in rules]
        except _Refused as exc:
            self.problem(exc.line, exc.message)
            return True
        except (yaml.YAMLError, _NotPlain, ValidationError, q.QueryError):
            return False
        self.rules = [
            (rule, SourceRef(self.shown, line), at, ast)
            for rule, (at, _, line), ast in zip(rules, rule_items, asts, strict=True)
        ]
        self.entities = [
            (entity, SourceRef(self.shown, line))
            for entity, (_, _, line) in zip(entities, entity_items, strict=True)
        ]
        return True

    def _load_roundtrip(self) -> None:
        text = self._text
        try:
            doc = _read_commented(text) if self._vouched else _roundtrip(text)
        except _Refused as exc:
            self.problem(exc.line, exc.message)
            return
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            # An error at the end of the stream is reported on the last line, not past it.
            line = min(mark.line + 1, max(1, len(text.splitlines()))) if mark is not None else 1
            self.problem(line, f"invalid YAML: {exc.problem or exc.context}")
            return
        except YAMLError as exc:
            self.problem(1, f"invalid YAML: {shorten(str(exc))}")
            return
        self._doc = doc
        if doc is None:
            return  # an empty file (or comments only) defines nothing
        if not isinstance(doc, CommentedMap):
            self.problem(1, _NOT_A_MAPPING)
            return
        if "id" in doc:
            self._rule(doc, doc, ())
            return
        extra = [k for k in doc if k not in RuleFile.model_fields]
        for key in extra:
            close = difflib.get_close_matches(str(key), list(RuleFile.model_fields), n=1)
            hint = f"did you mean `{close[0]}`?" if close else "allowed: `entities`, `rules`"
            self.problem(doc.lc.key(key)[0] + 1, f"unknown key `{shorten(str(key))}`: {hint}")
        self._list(doc, "entities", self._entity)
        self._list(doc, "rules", self._rule)

    def _list(self, doc: CommentedMap, key: str, each: Any) -> None:
        items = doc.get(key)
        if items is None:
            return
        if not isinstance(items, CommentedSeq):
            self.problem(doc.lc.key(key)[0] + 1, f"`{key}` must be a list")
            return
        for i, item in enumerate(items):
            each(doc, item, (key, i))

    def _rule(self, doc: CommentedMap, node: Any, at: _Place) -> None:
        line = _line(doc, at, 1)
        if not isinstance(node, CommentedMap):
            self.problem(line, "a rule must be a mapping with at least `id:`")
            return
        try:
            rule = Rule.model_validate(_plain(node))
        except ValidationError as exc:
            for err in exc.errors():
                self.problem(_line(doc, (*at, *err["loc"]), line), _describe(err))
            return
        ast = None
        if rule.query is not None:
            try:
                ast = q.parse_query(rule.query)
            except q.QueryError as exc:
                self.problems.append(_query_problem(self.shown, node, exc))
                return
        self.rules.append((rule, SourceRef(self.shown, line), at, ast))

    def _entity(self, doc: CommentedMap, node: Any, at: _Place) -> None:
        line = _line(doc, at, 1)
        if not isinstance(node, CommentedMap):
            self.problem(line, "an entity must be a mapping with at least `name:`")
            return
        try:
            entity = EntityDef.model_validate(_plain(node))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ("entities", *err["loc"])
                self.problem(_line(doc, (*at, *err["loc"]), line), _describe({**err, "loc": loc}))
            return
        self.entities.append((entity, SourceRef(self.shown, line)))


def _query_problem(shown: str, node: CommentedMap, error: q.QueryError) -> str:
    """`FILE:LINE: query error at column C: message` for an error in a rule's query.

    LINE is where the query text is: the `query:` line, or the line below a `|` or `>` block
    indicator. In a literal block (`|`) the query keeps its line breaks, so LINE and C are
    those of the error itself (C counted within that line of the query); otherwise C counts
    from the start of the query text.
    """
    line = node.lc.value("query")[0] + 1
    column = error.column
    value = node["query"]
    if isinstance(value, LiteralScalarString | FoldedScalarString):
        line += 1
    if isinstance(value, LiteralScalarString):
        before = str(value)[: column - 1]
        line += before.count("\n")
        column -= before.rfind("\n") + 1
    return f"{shown}:{line}: query error at column {column}: {error.message}"


def _as_entity(definition: EntityDef) -> Entity:
    names = [definition.name, *[a for a in definition.aliases if a != definition.name]]
    return Entity(
        name=definition.name,
        aliases=tuple(names),
        exact=tuple(definition.exact),
        fuzzy=definition.fuzzy,
        kind="custom",
    )


def load_rules(folder: Path, base: Path | None = None) -> LoadResult:
    """Load every rule file below `folder`; file names in messages are shown relative to `base`."""

    def shown(path: Path) -> str:
        try:
            return shown_path(path.relative_to(base) if base else path)
        except ValueError:
            return shown_path(path)

    listing = list_rule_folder(folder)
    loaders: list[_FileLoader] = []
    for path in listing.files:
        loader = _FileLoader(path, shown(path))
        loader.load()
        loaders.append(loader)
    problems = [
        f"{shown(path)}:1: cannot read rules folder: {_os_reason(exc)}; its rule "
        "files are not loaded"
        for path, exc in listing.unreadable
    ]
    problems += [p for loader in loaders for p in loader.problems]

    user: dict[str, tuple[EntityDef, SourceRef]] = {}
    for loader in loaders:
        for definition, ref in loader.entities:
            key = definition.name.casefold()
            if key in user:
                problems.append(
                    f"{ref}: entity `{definition.name}` is already defined at "
                    f"{user[key][1]}; merge the two definitions"
                )
                continue
            user[key] = (definition, ref)
    catalog = EntityCatalog([_as_entity(d) for d, _ in user.values()])

    rules: list[Rule] = []
    sources: dict[str, SourceRef] = {}
    resolved: dict[str, Entity] = {}
    queries: dict[str, q.QueryNode] = {}
    first_seen: dict[str, SourceRef] = {}  # every valid-looking rule, even one later refused
    for loader in loaders:
        for rule, ref, at, ast in loader.rules:
            if rule.id in first_seen:
                problems.append(
                    f"{ref}: duplicate rule id `{shorten(rule.id)}` (first defined at "
                    f"{first_seen[rule.id]}); rule ids must be unique across all "
                    "files"
                )
                continue
            first_seen[rule.id] = ref
            node = partial(loader.node, at)
            try:
                bad = _resolve_entities(rule, node, ref, catalog, resolved)
                if ast is not None:
                    bad += _resolve_query_entities(ast, node, ref, catalog, resolved)
            except Exception as exc:  # a bug: this rule is a problem, the others still load
                bad = [f"{ref}: could not load: {type(exc).__name__}: {shorten(str(exc))}"]
            if bad:
                problems.extend(bad)
                continue
            rules.append(rule)
            sources[rule.id] = ref
            if ast is not None:
                queries[rule.id] = ast
    ruleset = RuleSet(rules=tuple(rules), entities=resolved, sources=sources, queries=queries)
    return LoadResult(ruleset=ruleset, problems=tuple(problems))


def _resolve_entities(
    rule: Rule,
    node: Callable[[], CommentedMap],
    ref: SourceRef,
    catalog: EntityCatalog,
    resolved: dict[str, Entity],
) -> list[str]:
    """Resolve a rule's `entities:` into `resolved`; a problem for each name that fails.

    `node` gives the rule's ruamel node, which is needed (and built) only for a problem.
    """
    problems = []
    for i, name in enumerate(rule.entities):
        if _lookup(name, catalog, resolved) is None:
            line = _line(node(), ("entities", i), ref.line)
            problems.append(f"{ref.file}:{line}: {_unknown_entity(name, catalog)}")
    return problems


def _resolve_query_entities(
    ast: q.QueryNode,
    node: Callable[[], CommentedMap],
    ref: SourceRef,
    catalog: EntityCatalog,
    resolved: dict[str, Entity],
) -> list[str]:
    """Resolve every `entity:NAME` of a query, as `entities:` names are resolved."""
    problems = []
    for reference in q.entities(ast):
        if _lookup(reference.name, catalog, resolved) is None:
            error = q.QueryError(_unknown_entity(reference.name, catalog), reference.column)
            problems.append(_query_problem(ref.file, node(), error))
    return problems


def _lookup(name: str, catalog: EntityCatalog, resolved: dict[str, Entity]) -> Entity | None:
    """`catalog.resolve(name)`, recorded in `resolved`; many rules name the same entities."""
    entity = resolved.get(name)
    if entity is None:
        entity = catalog.resolve(name)
        if entity is not None:
            resolved[name] = entity
    return entity


def _unknown_entity(name: str, catalog: EntityCatalog) -> str:
    meanings = catalog.ambiguous(name)
    if meanings:
        options = " or ".join(f"`{m}`" for m in meanings)
        return f"ambiguous entity `{shorten(name)}`: it could mean {options}; name one"
    close = catalog.suggest(name)
    hint = f"did you mean `{close}`?" if close else "define it under `entities:` in a rule file"
    return f"unknown entity `{shorten(name)}`: {hint}"


def check_notify(ruleset: RuleSet, channels: Iterable[str]) -> dict[str, str]:
    """Rules that notify a channel the config does not define: rule id -> problem."""
    known = sorted(channels)
    problems: dict[str, str] = {}
    for rule in ruleset.rules:
        for name in rule.notify or ():
            if name not in known and rule.id not in problems:
                close = difflib.get_close_matches(name, known, n=1)
                hint = (
                    f"did you mean `{close[0]}`?"
                    if close
                    else (f"configured channels: {', '.join(known) or 'none'}")
                )
                problems[rule.id] = (
                    f"{ruleset.sources[rule.id]}: rule `{shorten(rule.id)}` "
                    f"notifies unknown channel `{shorten(name)}`: {hint}"
                )
    return problems
