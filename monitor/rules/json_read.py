"""Reading `.json` rule files with a JSON parser, and the line where each object starts.

A program that generates rules writes JSON. JSON is YAML too, but as flow-style YAML it
falls off the fast libyaml reader onto ruamel (seconds per ten thousand rules), and a YAML
reader accepts things no JSON file has. So a `.json` file is read by `json.loads` into the
same `Tree` the fast YAML reader gives (plain values, and the 1-based line of every
mapping, which `FILE:LINE` messages need): `object_pairs_hook` runs once per object as it
closes, in the order of their closing braces, and one regular-expression pass over the
text (skipping strings) gives the line of the opening brace of each closing one, in the
same order. Lines are counted as an editor and YAML count them: `\n`, `\r\n` and a lone
`\r` each end a line (`json` itself only counts `\n`).

A syntax error is a problem at the parser's line and column. Anything the JSON reader
could take differently from a YAML one (a duplicate key, NaN, a number too long, nesting
too deep) raises `NotPlain`, so the file is read by ruamel, which reports it with its line,
as for a YAML file; so is a file with any other problem, whose messages come from ruamel's
tree of the same text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from monitor.rules.yaml_read import MAX_NUMBER_CHARS, NotPlain, Tree

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[{}]', re.DOTALL)


def _breaks(text: str, start: int, end: int) -> int:
    """How many lines end in `text[start:end]` (`\n`, `\r\n` or a lone `\r`)."""
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


def _close_order_lines(text: str) -> list[int]:
    """For each `}` outside strings, in text order: the line of its matching `{`."""
    lines: list[int] = []
    opened: list[int] = []
    line, last = 1, 0
    count = _breaks if "\r" in text else None  # most files: `str.count` of `\n` alone
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token == "{":
            start = match.start()
            line += count(text, last, start) if count else text.count("\n", last, start)
            last = start
            opened.append(line)
        elif token == "}":
            lines.append(opened.pop() if opened else line)
    return lines


def _number(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise NotPlain  # ruamel's reader refuses it on its line
    return int(text)


def _constant(name: str) -> Any:
    raise NotPlain  # NaN, Infinity: not JSON, and nothing a rule takes


def read_json(text: str) -> Tree:
    """The JSON document in `text` as a `Tree`; `json.JSONDecodeError` for a syntax error
    (its `pos` counts in the text without a byte order mark), `NotPlain` for what ruamel
    must read (see the module's docstring)."""
    text = text.removeprefix("\ufeff")
    closed: list[dict[str, Any]] = []  # objects in the order their braces close

    def mapping(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        made = dict(pairs)
        if len(made) != len(pairs):
            raise NotPlain  # a duplicate key: ruamel names it
        closed.append(made)
        return made

    try:
        root = json.loads(
            text, object_pairs_hook=mapping, parse_int=_number, parse_constant=_constant
        )
    except RecursionError:
        raise NotPlain from None  # ruamel's reader refuses deep nesting on its line
    # Only text that parsed is scanned for lines: on a broken string the scan's regex went
    # back over the rest of the file at every escaped quote (quadratic, holding the GIL).
    order = _close_order_lines(text)
    lines = {id(made): order[i] if i < len(order) else 1 for i, made in enumerate(closed)}
    return Tree(root, lines)
