"""Reading JSON rule files, with the line of every rule, key and list item, without ruamel.

A program that generates rules writes JSON. JSON is YAML too, but as flow-style YAML it
falls off the fast libyaml reader onto ruamel (seconds per ten thousand rules), and a YAML
reader accepts things no JSON file has, and refuses some that JSON allows (a raw DEL or C1
control character in a string). So a `.json` file, and a `.yaml` file that holds one JSON
document, is read by JSON readers only, in two steps:

- `read_json`: `json.loads` into the same `Tree` the fast YAML reader gives (plain values,
  and the 1-based line of every mapping, which `FILE:LINE` messages need), and where each
  mapping's `{` is in the text. `object_pairs_hook` runs once per object as it closes, in
  the order of their closing braces, and one regular-expression pass over the text
  (skipping strings) gives the line and place of the opening brace of each closing one, in
  the same order.
- `read_json_commented`: one value of the text (the whole document, or one rule at the
  place `read_json` found) in ruamel's round-trip types with their line records
  (`CommentedMap.lc`), as ruamel would have built them, for placing a problem on the line
  of a key or a list item. It is pure Python, so it is only asked for what has a problem:
  one rule with a mistake in 100,000 is read twice, not the 100,000.

What the JSON reader takes differently from a YAML one (a duplicate key, `NaN`, a number
too long, nesting too deep) makes `read_json` raise `NotPlain`; `read_json_commented`
reads such a text as a YAML reader does: a duplicate key is `DuplicateKey` (the whole file
is refused, as YAML refuses it), a long number or deep nesting `Refused` on its line, and
`NaN`, `Infinity` and `-Infinity` are the strings YAML reads there.

Lines are counted as an editor and YAML count them: `\\n`, `\\r\\n` and a lone `\\r` each
end a line (`json` itself only counts `\\n`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from monitor.rules import messages
from monitor.rules.yaml_read import MAX_NESTING, MAX_NUMBER_CHARS, NotPlain, Refused, Tree
from monitor.textsafe import shorten

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[{}]', re.DOTALL)


def _breaks(text: str, start: int, end: int) -> int:
    """How many lines end in `text[start:end]` (`\\n`, `\\r\\n` or a lone `\\r`)."""
    found = text.count("\n", start, end)
    cr = text.count("\r", start, end)
    if cr:
        found += cr - text.count("\r\n", start, end)
    return found


def _line_start(text: str, index: int) -> int:
    """Where the line of `text[index]` starts: looking back in growing windows, so that it
    costs the length of the line, not of the text before it (`rfind` of a character the
    text lacks, `\r` in most files, reads back to the start)."""
    size = 256
    while True:
        low = max(0, index - size)
        found = max(text.rfind("\n", low, index), text.rfind("\r", low, index))
        if found >= 0 or low == 0:
            return found + 1
        size *= 4


def position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of `text[index]`, as an editor shows them."""
    return 1 + _breaks(text, 0, index), index - _line_start(text, index) + 1


def line_count(text: str) -> int:
    """The number of lines of `text` (a last line without a line end counts), at least 1."""
    lines = _breaks(text, 0, len(text))
    if text and text[-1] not in "\r\n":
        lines += 1
    return max(1, lines)


def _close_order(text: str, start: int) -> tuple[list[int], list[int]]:
    """For each `}` outside strings, in text order: the line and place of its matching `{`."""
    lines: list[int] = []
    places: list[int] = []
    opened: list[tuple[int, int]] = []
    line, last = 1, start
    count = _breaks if "\r" in text else None  # most files: `str.count` of `\n` alone
    for match in _TOKENS.finditer(text, start):
        token = match.group()
        if token == "{":
            here = match.start()
            line += count(text, last, here) if count else text.count("\n", last, here)
            last = here
            opened.append((line, here))
        elif token == "}":
            at_line, at = opened.pop() if opened else (line, last)
            lines.append(at_line)
            places.append(at)
    return lines, places


def _number(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise NotPlain  # `read_json_commented` refuses it on its line
    return int(text)


def _constant(name: str) -> Any:
    raise NotPlain  # NaN, Infinity: not JSON; `read_json_commented` reads them as YAML does


def read_json(text: str) -> Tree:
    """The JSON document in `text` as a `Tree`; `json.JSONDecodeError` for a syntax error
    (its `pos` counts in the text without a byte order mark), `NotPlain` for what
    `read_json_commented` must read (see the module's docstring).

    `Tree.starts` holds where each mapping's `{` is in `text`, for `read_json_commented`.
    """
    start = 1 if text.startswith("\ufeff") else 0
    closed: list[dict[str, Any]] = []  # objects in the order their braces close

    def mapping(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        made = dict(pairs)
        if len(made) != len(pairs):
            raise NotPlain  # a duplicate key: `read_json_commented` names it
        closed.append(made)
        return made

    try:
        root = json.loads(
            text[start:] if start else text,
            object_pairs_hook=mapping,
            parse_int=_number,
            parse_constant=_constant,
        )
    except RecursionError:
        raise NotPlain from None  # `read_json_commented` refuses deep nesting on its line
    # Only text that parsed is scanned for lines: on a broken string the scan's regex went
    # back over the rest of the file at every escaped quote (quadratic, holding the GIL).
    lines, places = _close_order(text, start)
    found = len(lines)
    line_of = {id(made): lines[i] if i < found else 1 for i, made in enumerate(closed)}
    start_of = {id(made): places[i] if i < found else 0 for i, made in enumerate(closed)}
    return Tree(root, line_of, start_of)


class DuplicateKey(Exception):
    """A mapping has a key twice: the whole file is refused, as a YAML reader refuses it.

    `reason` is worded as ruamel words it (`found duplicate key "id" with value "b"
    (original value: "a")`), `line` is the second key's.
    """

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_WORDS = {
    "true": True,
    "false": False,
    "null": None,
    "NaN": "NaN",  # not JSON, though `json` reads them: strings, as YAML reads them
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
}
_WORD = re.compile("|".join(re.escape(word) for word in sorted(_WORDS, key=len, reverse=True)))
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
_scan = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[attr-defined]


class _Commented:
    """`read_json_commented`'s reader: one pass over the text, tracking line and column."""

    def __init__(self, text: str, at: int, line: int, skip_from: int) -> None:
        self.text = text
        self.skip_from = skip_from
        self.at = at
        self.line = line  # 0-based, as in ruamel's records
        self.line_start = _line_start(text, at)

    def _skip(self) -> None:
        text, at = self.text, self.at
        end = _SPACE.match(text, at).end()  # type: ignore[union-attr]  # matches ""
        if end != at:
            breaks = _breaks(text, at, end)
            if breaks:
                self.line += breaks
                self.line_start = max(text.rfind("\n", at, end), text.rfind("\r", at, end)) + 1
            self.at = end

    def _expect(self, char: str) -> None:
        self._skip()
        if self.text[self.at : self.at + 1] != char:
            raise ValueError(f"expected {char!r} at {self.at}")  # `json` read it: never
        self.at += 1

    def value(self, depth: int) -> Any:
        self._skip()
        text, at = self.text, self.at
        char = text[at : at + 1]
        if char == '"':
            value, self.at = _scanstring(text, at + 1, True)
            return value
        if char in ("{", "["):
            if depth >= MAX_NESTING:
                raise Refused(self.line + 1, messages.too_deep(MAX_NESTING))
            if char == "{" and depth >= self.skip_from:
                return self._skipped(at)
            return self._mapping(depth) if char == "{" else self._sequence(depth)
        number = _NUMBER.match(text, at)
        if number is not None:
            self.at = number.end()
            if number.group(1) or number.group(2):
                return float(number.group())
            digits = number.group()
            if len(digits) > MAX_NUMBER_CHARS:
                raise Refused(
                    self.line + 1, messages.number_too_long(len(digits), MAX_NUMBER_CHARS)
                )
            return int(digits)
        word = _WORD.match(text, at)
        if word is None:
            raise ValueError(f"no JSON value at {at}")  # `json` read it: never
        self.at = word.end()
        return _WORDS[word.group()]

    def _skipped(self, at: int) -> Any:
        """The mapping at `at` as plain values, read by `json`'s scanner, lines counted."""
        value, end = _scan(self.text, at)
        breaks = _breaks(self.text, at, end)
        if breaks:
            self.line += breaks
            self.line_start = _line_start(self.text, end)
        self.at = end
        return value

    def _mark(self) -> tuple[int, int]:
        self._skip()
        return self.line, self.at - self.line_start

    def _mapping(self, depth: int) -> CommentedMap:
        made = CommentedMap()
        made.lc.line, made.lc.col = self._mark()
        self.at += 1  # the `{`
        key_line, key_col = self._mark()
        if self.text[self.at] == "}":
            self.at += 1
            return made
        while True:  # at a key
            self._expect('"')
            key, self.at = _scanstring(self.text, self.at, True)
            self._expect(":")
            line, col = self._mark()
            value = self.value(depth + 1)
            if key in made:
                reason = (
                    f'found duplicate key "{shorten(str(key))}" with value '
                    f'"{shorten(str(value))}" (original value: "{shorten(str(made[key]))}")'
                )
                raise DuplicateKey(key_line + 1, reason)
            made.lc.add_kv_line_col(key, [key_line, key_col, line, col])
            made[key] = value
            self._skip()
            if self.text[self.at] == "}":
                self.at += 1
                return made
            self._expect(",")
            key_line, key_col = self._mark()

    def _sequence(self, depth: int) -> CommentedSeq:
        made = CommentedSeq()
        made.lc.line, made.lc.col = self._mark()
        self.at += 1  # the `[`
        self._skip()
        if self.text[self.at] == "]":
            self.at += 1
            return made
        while True:
            line, col = self._mark()
            made.lc.add_kv_line_col(len(made), [line, col])
            made.append(self.value(depth + 1))
            self._skip()
            if self.text[self.at] == "]":
                self.at += 1
                return made
            self._expect(",")


def read_json_commented(
    text: str, at: int = 0, line: int = 1, depth: int = 0, skip_from: int = MAX_NESTING
) -> Any:
    """The JSON value at `text[at]` (after blanks; the whole document by default) in ruamel's
    round-trip types, with the line and column of every key, value and list item as ruamel
    records them (0-based). `line` is the 1-based line `text[at]` is on, `depth` how many
    lists and mappings hold the value (2 for a rule in a file's `rules:`), for the limit.
    Mappings held by `skip_from` or more are plain values, read by `json` (the document's
    top level alone costs little when its rules are mappings: `skip_from=2`).

    Only for text `json.loads` read (or refused only with `NotPlain`): a syntax error is
    not reported here. Raises `Refused` for a number too long or nesting too deep, and
    `DuplicateKey`, on their lines.
    """
    if at == 0 and text.startswith("\ufeff"):
        at = 1
    return _Commented(text, at, line - 1, skip_from).value(depth)
