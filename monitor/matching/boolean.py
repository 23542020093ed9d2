"""Boolean queries on what the single scan found: no text is read again per rule.

A parsed query (`monitor.rules.query`) is compiled into a tree whose leaves are term and
entity numbers of the shared automaton (a query's `weapon*` and a keyword `weapon*` are one
term). Evaluating a candidate rule only looks up the spans the scan already recorded:

* a term or entity holds when it has a span in the fields in view; `title:`/`body:`/`lead:`
  narrow the view for everything below them (so `title:(a AND NOT b)` means "a in the title,
  b not in it"); the lead is the body's first `lead_words` words, and a span is in it when
  it starts there;
* `lang:de` holds when the article's language (`Article.lang`: declared, else detected)
  is one of its codes; it is asked last in an AND, so the language of an article is only
  worked out when everything else the query asks of the text holds;
* AND, OR and NOT combine truth values;
* `a NEAR/n b` holds when a span of `a` and a span of `b`, in the same field and not
  overlapping, have at most n words between them, in either order; ONEAR wants `a` first.
  Sentence breaks do not block NEAR: the distance is counted in words only, because
  datelines, headlines and abbreviations ("U.S. Navy") put false breaks exactly where
  proximity matters, and analysts' tools count positions the same way. A tight n is the way to
  ask for "the same sentence". Words are the matcher's words, so "Korea's" is two ("korea",
  "s"). The title and the body never count as near each other.

The hits of a query are the spans of the positive leaves that made it true: for OR the
branches that hold, for NEAR the spans that take part in a close pair, nothing for an
excluded term. (`collect_false` gives what made a node false, so that a double negation such
as `NOT (a AND NOT b)` holding because `b` occurs still shows `b`: every match has a hit.)

`need` gives what the candidate index files a query rule under: a set of leaves of which at
least one occurs in every article the query matches (see `need` for why that exists).

Compiling, evaluating and `need` recurse once per level of the query tree; the query parser
bounds that depth (`monitor.rules.query.MAX_DEPTH`), so no rule file can exhaust the stack
here, at load time or while articles are matched.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeAlias

from monitor.matching.spans import Span
from monitor.rules import query as q

TERM = 0
ENTITY = 1
TITLE = 0b001
LEAD = 0b010
"""The body's first `lead_words` words (`Occurrences.lead_words`): a span starting there."""
BODY = 0b110
"""The whole body: its lead and the rest."""
ALL_FIELDS = 0b111
"""A field mask: bit 0 the title, bit 1 the lead of the body, bit 2 the rest of the body.
A scope narrows the view by AND (`lead:` inside `body:` is the lead)."""
_MASKS = {"title": TITLE, "body": BODY, "lead": LEAD}


def in_view(span: Span, mask: int, lead_words: int) -> bool:
    """Whether a span lies in the part of the article `mask` looks at."""
    if span.field == 0:
        return bool(mask & TITLE)
    return bool(mask & (LEAD if span.first < lead_words else BODY & ~LEAD))


Tagged: TypeAlias = tuple[str, Span]
"""A span with the label of the leaf it belongs to (the term or entity name as written)."""

Anchor: TypeAlias = tuple[int, int]
"""(TERM or ENTITY, number): something the candidate index can file a rule under."""


class Occurrences(Protocol):
    """What evaluating a query asks of one article's scan (`monitor.matching.scan`).

    A protocol rather than an import: the scan is built from the compiled set, which is
    built from this module, so naming the class here would tie the three in a cycle.
    """

    def term_spans(self, term: int) -> list[Span]: ...

    def entity_spans(self, entity: int) -> list[Span]: ...

    def has_term(self, term: int) -> bool: ...

    def has_entity(self, entity: int) -> bool: ...

    def language(self) -> str | None: ...

    @property
    def lead_words(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Leaf:
    """A term (`kind` TERM) or an entity (ENTITY) by number, with its label for hits."""

    label: str
    kind: int
    number: int

    def spans(self, found: Occurrences, mask: int) -> list[Span]:
        spans = (found.term_spans if self.kind == TERM else found.entity_spans)(self.number)
        if not spans:
            return []
        if mask == ALL_FIELDS:
            return spans
        lead = found.lead_words
        return [span for span in spans if in_view(span, mask, lead)]

    def holds(self, found: Occurrences, mask: int) -> bool:
        if mask == ALL_FIELDS:  # no spans needed for a one-word term
            return (found.has_term if self.kind == TERM else found.has_entity)(self.number)
        spans = (found.term_spans if self.kind == TERM else found.entity_spans)(self.number)
        lead = found.lead_words
        return any(in_view(span, mask, lead) for span in spans)

    def tagged(self, found: Occurrences, mask: int) -> list[Tagged]:
        return [(self.label, span) for span in self.spans(found, mask)]

    def collect(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        out.extend(self.tagged(found, mask))

    def collect_false(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        return None  # absent: nothing to show


@dataclass(frozen=True, slots=True)
class InLanguage:
    """`lang:`: the article's language is one of `codes` (an unknown language is none)."""

    codes: frozenset[str]

    def holds(self, found: Occurrences, mask: int) -> bool:
        return found.language() in self.codes

    def collect(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        return None  # a condition on the article, not on a place in it: no hit

    def collect_false(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        return None


@dataclass(frozen=True, slots=True)
class AllOf:
    children: tuple[Condition, ...]

    def holds(self, found: Occurrences, mask: int) -> bool:
        return all(child.holds(found, mask) for child in self.children)

    def collect(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        for child in self.children:
            child.collect(found, mask, out)

    def collect_false(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        for child in self.children:
            if not child.holds(found, mask):
                child.collect_false(found, mask, out)


@dataclass(frozen=True, slots=True)
class AnyOf:
    children: tuple[Condition, ...]

    def holds(self, found: Occurrences, mask: int) -> bool:
        return any(child.holds(found, mask) for child in self.children)

    def tagged(self, found: Occurrences, mask: int) -> list[Tagged]:
        """The spans of every branch (for a NEAR operand: only leaves and ORs get here)."""
        return [pair for child in self.children for pair in _tagged(child, found, mask)]

    def collect(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        for child in self.children:
            if child.holds(found, mask):
                child.collect(found, mask, out)

    def collect_false(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        for child in self.children:
            child.collect_false(found, mask, out)


@dataclass(frozen=True, slots=True)
class Negation:
    child: Condition

    def holds(self, found: Occurrences, mask: int) -> bool:
        return not self.child.holds(found, mask)

    def collect(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        self.child.collect_false(found, mask, out)  # something only if NOT (NOT a) and such

    def collect_false(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        self.child.collect(found, mask, out)


@dataclass(frozen=True, slots=True)
class InField:
    """The child with the view narrowed to the fields in `mask`."""

    mask: int
    child: Condition

    def holds(self, found: Occurrences, mask: int) -> bool:
        return self.child.holds(found, mask & self.mask)

    def tagged(self, found: Occurrences, mask: int) -> list[Tagged]:
        return _tagged(self.child, found, mask & self.mask)

    def collect(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        self.child.collect(found, mask & self.mask, out)

    def collect_false(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        self.child.collect_false(found, mask & self.mask, out)


@dataclass(frozen=True, slots=True)
class Proximity:
    """`left NEAR/distance right`, or ONEAR when `ordered`."""

    left: Condition
    right: Condition
    distance: int
    ordered: bool

    def holds(self, found: Occurrences, mask: int) -> bool:
        lefts = _tagged(self.left, found, mask)
        if not lefts:
            return False
        rights = _tagged(self.right, found, mask)
        return bool(rights) and next(self._pairs(lefts, rights), None) is not None

    def collect(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        lefts = _tagged(self.left, found, mask)
        rights = _tagged(self.right, found, mask)
        taking: dict[Tagged, None] = {}
        for a, b in self._pairs(lefts, rights):
            taking[a] = None
            taking[b] = None
        out.extend(taking)

    def collect_false(self, found: Occurrences, mask: int, out: list[Tagged]) -> None:
        return None  # no close pair: nothing to show

    def _pairs(
        self, lefts: Sequence[Tagged], rights: Sequence[Tagged]
    ) -> Iterator[tuple[Tagged, Tagged]]:
        """Every (left, right) pair close enough, looking only at rights that could be.

        Rights are sorted by (field, first); a right span that ends at most `distance + 1`
        words before a left one starts at most `longest` words earlier still.
        """
        ordered_rights = sorted(rights, key=lambda pair: pair[1])
        keys = [(span.field, span.first) for _, span in ordered_rights]
        longest = max(span.last - span.first for _, span in ordered_rights)
        reach = self.distance + 1
        for left in lefts:
            a = left[1]
            low = (a.field, a.last) if self.ordered else (a.field, a.first - reach - longest)
            start = bisect_right(keys, low) if self.ordered else bisect_left(keys, low)
            stop = bisect_right(keys, (a.field, a.last + reach))
            for right in ordered_rights[start:stop]:
                if close(a, right[1], self.distance, self.ordered):
                    yield left, right


def close(a: Span, b: Span, distance: int, ordered: bool) -> bool:
    """At most `distance` words between two non-overlapping spans of one field.

    With `ordered`, `a` must come first.
    """
    if a.field != b.field:
        return False
    if a.last < b.first:
        return b.first - a.last - 1 <= distance
    return not ordered and b.last < a.first and a.first - b.last - 1 <= distance


Condition: TypeAlias = "Leaf | InLanguage | AllOf | AnyOf | Negation | InField | Proximity"


def _tagged(node: Condition, found: Occurrences, mask: int) -> list[Tagged]:
    if isinstance(node, Leaf | AnyOf | InField):
        return node.tagged(found, mask)
    raise TypeError(f"not a NEAR operand: {node!r}")  # the parser refuses these


def compile_query(
    node: q.QueryNode, term: Callable[[q.Term], int], entity: Callable[[q.Entity], int]
) -> Condition:
    """The query with its leaves numbered by `term` and `entity` (the compiler's tables)."""
    if isinstance(node, q.Term):
        return Leaf(node.label, TERM, term(node))
    if isinstance(node, q.Entity):
        return Leaf(node.name, ENTITY, entity(node))
    if isinstance(node, q.Lang):
        return InLanguage(frozenset(node.codes))
    if isinstance(node, q.And):
        compiled = [compile_query(child, term, entity) for child in node.children]
        # The language last: detecting it costs more than looking up a dozen terms.
        return AllOf(tuple(sorted(compiled, key=asks_language)))
    if isinstance(node, q.Or):
        return AnyOf(tuple(compile_query(child, term, entity) for child in node.children))
    if isinstance(node, q.Not):
        return Negation(compile_query(node.child, term, entity))
    if isinstance(node, q.Near):
        return Proximity(
            compile_query(node.left, term, entity),
            compile_query(node.right, term, entity),
            node.distance,
            node.ordered,
        )
    return InField(_MASKS[node.field], compile_query(node.child, term, entity))


def asks_language(node: Condition) -> bool:
    """Whether evaluating `node` may need the article's language."""
    if isinstance(node, InLanguage):
        return True
    if isinstance(node, Leaf):
        return False
    if isinstance(node, AllOf | AnyOf):
        return any(asks_language(child) for child in node.children)
    if isinstance(node, Proximity):
        return False  # the parser keeps `lang:` out of NEAR
    return asks_language(node.child)


def leaves(node: Condition) -> list[Leaf]:
    """Every leaf of a compiled query, in order."""
    if isinstance(node, Leaf):
        return [node]
    if isinstance(node, InLanguage):
        return []
    if isinstance(node, AllOf | AnyOf):
        return [leaf for child in node.children for leaf in leaves(child)]
    if isinstance(node, Proximity):
        return [*leaves(node.left), *leaves(node.right)]
    return leaves(node.child)


AnchorCost: TypeAlias = Callable[[frozenset[Anchor]], float]
"""What filing a rule under a set of anchors costs (how often articles wake it)."""


def need(node: Condition, cost: AnchorCost = len) -> frozenset[Anchor] | None:
    """Leaves of which one occurs in every article where `node` holds; None if there are none.

    AND needs what any one child needs (the cheapest set by `cost` is taken: by default the
    smallest); OR needs something from every branch; NEAR what either side needs; a field
    scope what its child needs. NOT is handled by `need_false` (De Morgan), so `NOT (NOT a)`
    still needs `a`. This is None exactly when the query holds for an article with none of
    its terms, which the parser refuses (`monitor.rules.query.matches_empty`), so every
    parsed query can be filed.
    """
    if isinstance(node, Leaf):
        return frozenset({(node.kind, node.number)})
    if isinstance(node, InLanguage):
        return None  # an article in any language may have none of the query's terms
    if isinstance(node, AllOf):
        return _cheapest((need(child, cost) for child in node.children), cost)
    if isinstance(node, AnyOf):
        return _union(need(child, cost) for child in node.children)
    if isinstance(node, Negation):
        return need_false(node.child, cost)
    if isinstance(node, Proximity):
        return _cheapest((need(node.left, cost), need(node.right, cost)), cost)
    return need(node.child, cost)


def need_false(node: Condition, cost: AnchorCost = len) -> frozenset[Anchor] | None:
    """Leaves of which one occurs in every article where `node` does *not* hold, or None."""
    if isinstance(node, Leaf | Proximity | InLanguage):
        return None  # false on an empty article (a language: on one in another language)
    if isinstance(node, AllOf):
        return _union(need_false(child, cost) for child in node.children)
    if isinstance(node, AnyOf):
        return _cheapest((need_false(child, cost) for child in node.children), cost)
    if isinstance(node, Negation):
        return need(node.child, cost)
    return need_false(node.child, cost)


def _cheapest(
    options: Iterable[frozenset[Anchor] | None], cost: AnchorCost
) -> frozenset[Anchor] | None:
    known = [option for option in options if option is not None]
    return min(known, key=cost) if known else None


def _union(options: Iterable[frozenset[Anchor] | None]) -> frozenset[Anchor] | None:
    merged: set[Anchor] = set()
    for option in options:
        if option is None:
            return None
        merged |= option
    return frozenset(merged)
