"""The wording of what the rules loader reports: one function (or constant) per message.

Every message is the text after `FILE:LINE: `, phrased for the person editing the rule file:
what is wrong and what to write instead. Whatever a message quotes from a rule file is cut
to 60 characters (`textsafe.shorten`), so a megabyte-long key does not come back as a
megabyte-long line. The callers decide which line a message goes on.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from monitor.errors import QueryError
from monitor.gazetteer import EntityCatalog
from monitor.rules.model import EntityDef, Keywords, Rule, RuleFile
from monitor.textsafe import shorten

ANCHORS = (
    "YAML anchors and aliases (`&name`, `*name`) are not allowed in rule files: "
    "write each value out in full"
)


NOT_A_MAPPING = "expected a mapping with `rules:` (a list) or a single rule with `id:`"
RULE_NOT_A_MAPPING = "a rule must be a mapping with at least `id:`"
ENTITY_NOT_A_MAPPING = "an entity must be a mapping with at least `name:`"


def could_not_load(exc: Exception) -> str:
    """A bug met while loading: the file (or rule) is left out, the others still load."""
    reason = shorten(str(exc).splitlines()[0] if str(exc) else "")
    return f"could not load: {type(exc).__name__}" + (f": {reason}" if reason else "")


def file_too_large(most_bytes: int) -> str:
    return f"rule file too large: more than {most_bytes >> 20} MiB; split it into several files"


def not_a_regular_file(what: str) -> str:
    return f"not a regular file: {what}; only regular files (or symbolic links to them) are read"


def cannot_read(reason: str) -> str:
    return f"cannot read rule file: {reason}"


def folder_unreadable(reason: str) -> str:
    return f"cannot read rules folder: {reason}; its rule files are not loaded"


def invalid_yaml(reason: str) -> str:
    return f"invalid YAML: {reason}"


def unacceptable_character(code: int, column: int) -> str:
    """A character a YAML file may not hold (ruamel and libyaml refuse the file for it)."""
    escape = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    return (
        f"character U+{code:04X} (column {column}) is not allowed in a YAML file; "
        f"write it as the escape `{escape}` inside a double-quoted string, or delete it"
    )


def invalid_json(reason: str, column: int | None = None) -> str:
    return f"invalid JSON: {reason}" + (f" (column {column})" if column is not None else "")


def unknown_file_key(key: str) -> str:
    close = difflib.get_close_matches(key, list(RuleFile.model_fields), n=1)
    hint = f"did you mean `{close[0]}`?" if close else "allowed: `entities`, `rules`"
    return f"unknown key `{shorten(key)}`: {hint}"


def not_a_list(key: str) -> str:
    return f"`{key}` must be a list"


def duplicate_entity(name: str, first: object) -> str:
    return f"entity `{name}` is already defined at {first}; merge the two definitions"


def duplicate_rule(rule_id: str, first: object) -> str:
    return (
        f"duplicate rule id `{shorten(rule_id)}` (first defined at {first}); "
        "rule ids must be unique across all files"
    )


def unknown_channel(rule_id: str, name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = (
        f"did you mean `{close[0]}`?"
        if close
        else f"configured channels: {', '.join(known) or 'none'}"
    )
    return f"rule `{shorten(rule_id)}` notifies unknown channel `{shorten(name)}`: {hint}"


def too_deep(most: int) -> str:
    return f"nested too deeply: at most {most} levels of mappings and lists are read"


def number_too_long(length: int, most: int) -> str:
    return f"a number {length:,} characters long: rule files need none longer than {most}"


def unreadable_value(reason: str) -> str:
    return f"cannot read this value: {reason}"


def os_reason(exc: OSError) -> str:
    """`[Errno 40] Too many levels of symbolic links`: the error without the path, which the
    message names already (relative to the config's folder, as every problem does)."""
    if exc.errno is not None and exc.strerror:
        return f"[Errno {exc.errno}] {exc.strerror}"
    return shorten(str(exc))


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


def describe(err: Any) -> str:
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
        return "rule `id` may only hold ASCII letters (a-z, A-Z), digits, `-` and `_`"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"`{dotted}`: {msg}" if loc else msg


def query_problem(shown: str, node: CommentedMap, error: QueryError) -> str:
    """`FILE:LINE: query error at column C: message` for an error in a rule's query.

    See `_query_place` for LINE and C.
    """
    line, column = _query_place(node, error.column)
    return f"{shown}:{line}: query error at column {column}: {error.message}"


def query_word_warning(shown: str, node: CommentedMap, word: str, column: int) -> str:
    """`FILE:LINE: warning: ...` for a lower-case operator word between terms (`a and b`):
    operators are upper case, so it is searched for as a word, which is rarely meant."""
    line, column = _query_place(node, column)
    operator = word.upper()
    return (
        f"{shown}:{line}: warning: query column {column}: `{shorten(word)}` is searched for as "
        f'a word; write {operator} for the operator, or "{shorten(word)}" in quotes for the word'
    )


def _query_place(node: CommentedMap, column: int) -> tuple[int, int]:
    """The line and column in the file of a column of the rule's query.

    LINE is where the query text is: the `query:` line, or the line below a `|` or `>` block
    indicator. In a literal block (`|`) the query keeps its line breaks, so LINE and C are
    those of the spot itself (C counted within that line of the query); otherwise C counts
    from the start of the query text.
    """
    line = node.lc.value("query")[0] + 1
    value = node["query"]
    if isinstance(value, LiteralScalarString | FoldedScalarString):
        line += 1
    if isinstance(value, LiteralScalarString):
        before = str(value)[: column - 1]
        line += before.count("\n")
        column -= before.rfind("\n") + 1
    return line, column


def unknown_entity(name: str, catalog: EntityCatalog) -> str:
    meanings = catalog.ambiguous(name)
    if meanings:
        options = " or ".join(f"`{m}`" for m in meanings)
        return f"ambiguous entity `{shorten(name)}`: it could mean {options}; name one"
    close = catalog.suggest(name)
    hint = f"did you mean `{close}`?" if close else "define it under `entities:` in a rule file"
    return f"unknown entity `{shorten(name)}`: {hint}"
