"""The AST of Boolean queries: immutable nodes, what they mean, and the canonical printer.

A query is a tree of frozen dataclasses: `Term` and `Entity` leaves; `Lang` (`lang:de`, a
condition on the article's language, not on its text); `And` and `Or` with two or more
children; `Not`; `Near` (NEAR/n and ONEAR/n); `Field` (`title:` or `body:` scoping).
Nodes carry the column they started at in the query text (`column`, left out of equality and
repr), so checks made after parsing, such as entity resolution in the loader, can point at the
right place, while two queries that differ only in layout compare equal.

`to_text` prints the canonical form: `parse_query(to_text(node)) == node` for every node the
parser can produce (a property test checks it), so a query can be shown back to its writer,
stored or compared in one spelling.

The functions here (and the matcher's passes over a compiled query) recurse once per level of
the tree. That is safe because `query_parser` refuses queries nested deeper than its
`MAX_DEPTH`: AND and OR chains are flat nodes however long, and NEAR and field scopes cannot
nest, so a parsed tree is at most a few levels per parenthesis or NOT.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Literal, TypeAlias

from monitor.textsafe import shorten

MAX_DISTANCE = 100
"""The largest n allowed in `NEAR/n` and `ONEAR/n`."""

DEFAULT_DISTANCE = 5
"""What `NEAR` and `ONEAR` without `/n` mean."""

MIN_WILDCARD_PREFIX = 3
"""Letters or digits a wildcard word needs before its `*`, in a query and in `keywords`."""

_LAST_WORD = re.compile(r"[^\W_]+$")


def short_wildcard(inner: str) -> str | None:
    """Why the wildcard `inner*` (a keyword or a query term) is refused for the length of
    the word before its `*`, or None. `a*` matches a large share of all words: an anchor
    that wakes its rule in nearly every article, and hits by the thousand."""
    last = _LAST_WORD.search(inner)
    if last is None or len(last.group()) >= MIN_WILDCARD_PREFIX:
        return None
    return (
        f"a wildcard needs at least {MIN_WILDCARD_PREFIX} letters before `*`: "
        f"`{shorten(inner, most=40)}*` would match too many words"
    )


FieldName = Literal["title", "body", "lead"]
"""`lead` is the start of the body: its first `[matching] lead_words` words."""

_BARE_SAFE = re.compile(r"[^\W_][\w'\u2019.\-]*")
_OPERATOR = re.compile(r"AND|OR|NOT|O?NEAR(/.*)?")


def is_operator(word: str) -> bool:
    """True for the words the lexer reads as operators (`AND`, `NEAR/5`, ...), case-sensitive."""
    return _OPERATOR.fullmatch(word) is not None


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase (`weapon`, `"South Korea"`); `wildcard`: its last word is a prefix."""

    text: str
    wildcard: bool = False
    column: int = dataclasses.field(default=0, compare=False, repr=False, kw_only=True)

    @property
    def label(self) -> str:
        """The term as a rule writer would write it as a keyword (`weapon*`, `South Korea`)."""
        return f"{self.text}*" if self.wildcard else self.text


@dataclass(frozen=True, slots=True)
class Entity:
    """`entity:NAME`: any name of the entity called NAME (resolved by the loader)."""

    name: str
    column: int = dataclasses.field(default=0, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Lang:
    """`lang:de`, `lang:(de OR fr)`: the article's language is one of `codes` (lower-case
    ISO 639 codes as `monitor.langcodes` compares them; in the order written, no repeats)."""

    codes: tuple[str, ...]
    column: int = dataclasses.field(default=0, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class And:
    """Every child holds (two or more children)."""

    children: tuple[QueryNode, ...]
    column: int = dataclasses.field(default=0, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Or:
    """At least one child holds (two or more children)."""

    children: tuple[QueryNode, ...]
    column: int = dataclasses.field(default=0, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Not:
    """The child does not hold."""

    child: QueryNode
    column: int = dataclasses.field(default=0, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Near:
    """A span of `left` and one of `right` in one field with at most `distance` words between.

    `ordered` (ONEAR): the `left` span comes first.
    """

    left: QueryNode
    right: QueryNode
    distance: int = DEFAULT_DISTANCE
    ordered: bool = False
    column: int = dataclasses.field(default=0, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Field:
    """The child, looking only at one field of the article (`title:`, `body:`, or `lead:`,
    the first `[matching] lead_words` words of the body)."""

    field: FieldName
    child: QueryNode
    column: int = dataclasses.field(default=0, compare=False, repr=False, kw_only=True)


QueryNode: TypeAlias = "Term | Entity | Lang | And | Or | Not | Near | Field"


def entities(node: QueryNode) -> list[Entity]:
    """Every `entity:` node of a query, in order of appearance."""
    if isinstance(node, Entity):
        return [node]
    if isinstance(node, Term | Lang):
        return []
    return [found for child in children(node) for found in entities(child)]


def children(node: QueryNode) -> tuple[QueryNode, ...]:
    if isinstance(node, And | Or):
        return node.children
    if isinstance(node, Not | Field):
        return (node.child,)
    if isinstance(node, Near):
        return (node.left, node.right)
    return ()


def languages(node: QueryNode) -> list[Lang]:
    """Every `lang:` node of a query, in order of appearance."""
    if isinstance(node, Lang):
        return [node]
    return [found for child in children(node) for found in languages(child)]


def matches_empty(node: QueryNode) -> bool:
    """True when `node` can hold for an article that contains none of its terms.

    Exactly the queries the matcher could not file under some term it needs (and that would
    alert on almost every article: `NOT a`, `a OR NOT b`, `lang:de`), so `parse_query`
    refuses them. A `lang:` condition can hold or not on such an article, depending on its
    language: `lang:de` alone or `NOT lang:en` alone would match whole languages.
    """
    return _on_empty(node)[0]


def _on_empty(node: QueryNode) -> tuple[bool, bool]:
    """(can hold, can fail) for an article that contains none of the query's terms."""
    if isinstance(node, Term | Entity | Near):
        return False, True
    if isinstance(node, Lang):
        return True, True
    if isinstance(node, Not):
        holds, fails = _on_empty(node.child)
        return fails, holds
    if isinstance(node, And | Or):
        found = [_on_empty(child) for child in node.children]
        if isinstance(node, And):
            return all(h for h, _ in found), any(f for _, f in found)
        return any(h for h, _ in found), all(f for _, f in found)
    return _on_empty(node.child)


# --- printing -----------------------------------------------------------------------------------

_LEVEL = {Or: 1, And: 2, Not: 3, Near: 4, Field: 5, Term: 6, Entity: 6, Lang: 6}


def _quoted(text: str, wildcard: bool = False) -> str:
    star = "*" if wildcard else ""
    bare = _BARE_SAFE.fullmatch(text) and not is_operator(text)
    return f"{text}{star}" if bare else f'"{text}{star}"'


def to_text(node: QueryNode) -> str:
    """The canonical text of a query: `parse_query(to_text(q)) == q` for every parsed `q`.

    Operators upper case and spelt out (`NEAR` as `NEAR/5`), single spaces, parentheses only
    where the structure needs them, phrases and odd words in double quotes.
    """
    if isinstance(node, Term):
        return _quoted(node.text, node.wildcard)
    if isinstance(node, Entity):
        return f"entity:{_quoted(node.name)}"
    if isinstance(node, Lang):
        if len(node.codes) == 1:
            return f"lang:{node.codes[0]}"
        return f"lang:({' OR '.join(node.codes)})"
    if isinstance(node, And):
        return " AND ".join(_operand(child, 3) for child in node.children)
    if isinstance(node, Or):
        return " OR ".join(_operand(child, 2) for child in node.children)
    if isinstance(node, Not):
        return f"NOT {_operand(node.child, 3)}"
    if isinstance(node, Near):
        operator = f"{'ONEAR' if node.ordered else 'NEAR'}/{node.distance}"
        return f"{_operand(node.left, 5)} {operator} {_operand(node.right, 5)}"
    return f"{node.field}:{_operand(node.child, 6)}"


def _operand(node: QueryNode, level: int) -> str:
    """`node` as an operand, in parentheses unless it binds at least as tightly as `level`."""
    text = to_text(node)
    return text if _LEVEL[type(node)] >= level else f"({text})"
