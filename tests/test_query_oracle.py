"""Boolean queries in the engine against a brute-force evaluator, on random queries and texts.

The evaluator shares no code with the engine: its own tokenizer (a character loop), phrase
and prefix matching by comparing word lists at every position, the longest-match rule for
entity names by comparing every pair of hits, and NEAR by trying every pair of spans. It
evaluates the generated AST directly, while the engine gets the query as text, so the
printer and the parser are under test too. Both the verdicts and the hits are compared.

The evaluator's reading of the contract and of the query semantics:
* a word is a run of letters, digits and combining marks; words compare without accents and
  case (exact aliases: with case);
* a phrase may not cross a sentence break: a gap holding sentence punctuation and whitespace
  after a word longer than one letter;
* an entity's spans are its alias hits not strictly inside a longer alias hit of any entity;
* `a NEAR/n b`: spans of a and b in one field, not overlapping, at most n words between them
  (sentence breaks do not matter); ONEAR: a's span first;
* the hits of a rule are every span of its entities and `all`/`any` keywords, plus the spans
  of the query's positive terms that made it true (OR: the branches that hold; NEAR: the spans
  in a close pair; NOT: what made the negated part false).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.articles.model import Article
from monitor.gazetteer.model import Entity
from monitor.matching import Matcher
from monitor.rules import query as q
from monitor.rules.model import Keywords, Rule, RuleSet

SENTENCE = ".!?;:\u2026"
FIELDS = ("title", "body")

# --- the evaluator ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    norm: str
    exact: str
    start: int
    end: int
    break_before: bool


def bare(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def words(text: str) -> list[Word]:
    found: list[Word] = []
    i = 0
    while i < len(text):
        if not is_word_char(text[i]):
            i += 1
            continue
        j = i
        while j < len(text) and is_word_char(text[j]):
            j += 1
        gap = text[found[-1].end : i] if found else ""
        breaks = (
            bool(found)
            and len(found[-1].norm) > 1
            and any(c in SENTENCE for c in gap)
            and any(c.isspace() for c in gap)
        )
        found.append(Word(bare(text[i:j]).casefold(), bare(text[i:j]), i, j, breaks))
        i = j
    return found


Span = tuple[int, int, int]  # field, first word, last word


def phrase_spans(
    fields: list[list[Word]], pattern: str, prefix: bool = False, exact: bool = False
) -> list[Span]:
    wanted = [w.exact if exact else w.norm for w in words(pattern)]
    spans = []
    for number, text in enumerate(fields):
        for first in range(len(text) - len(wanted) + 1):
            run = text[first : first + len(wanted)]
            got = [w.exact if exact else w.norm for w in run]
            if any(w.break_before for w in run[1:]):
                continue
            if got[:-1] != wanted[:-1]:
                continue
            if got[-1] == wanted[-1] or (prefix and got[-1].startswith(wanted[-1])):
                spans.append((number, first, first + len(wanted) - 1))
    return spans


def entity_spans(fields: list[list[Word]], entities: list[Entity]) -> dict[Entity, set[Span]]:
    hits: list[tuple[Entity, Span]] = []
    for entity in entities:
        loose = [*entity.aliases, *([] if entity.name in entity.exact else [entity.name])]
        for alias in loose:
            hits += [(entity, span) for span in phrase_spans(fields, alias)]
        for alias in entity.exact:
            hits += [(entity, span) for span in phrase_spans(fields, alias, exact=True)]
    kept: dict[Entity, set[Span]] = {entity: set() for entity in entities}
    for entity, (f, a, b) in hits:
        inside = any(g == f and c <= a and b <= d and d - c > b - a for _, (g, c, d) in hits)
        if not inside:
            kept[entity].add((f, a, b))
    return kept


class Evaluator:
    """One article, one rule set: term spans on demand, entity spans once."""

    def __init__(self, ruleset: RuleSet, title: str, body: str) -> None:
        self.fields = [words(title), words(body)]
        self.ruleset = ruleset
        self.entities = entity_spans(self.fields, list(dict.fromkeys(ruleset.entities.values())))

    def term(self, text: str) -> set[Span]:
        return set(phrase_spans(self.fields, text.rstrip("*"), prefix=text.endswith("*")))

    def leaf(self, node: q.QueryNode, allowed: set[int]) -> list[tuple[str, Span]]:
        if isinstance(node, q.Term):
            spans = self.term(node.label)
            label = node.label
        else:
            assert isinstance(node, q.Entity)
            spans = self.entities[self.ruleset.entities[node.name]]
            label = node.name
        return [(label, span) for span in spans if span[0] in allowed]

    def spans(self, node: q.QueryNode, allowed: set[int]) -> list[tuple[str, Span]]:
        """Spans of a NEAR operand: a leaf, an OR of them, a field scope of them."""
        if isinstance(node, q.Or):
            return [s for child in node.children for s in self.spans(child, allowed)]
        if isinstance(node, q.Field):
            return self.spans(node.child, allowed & {FIELDS.index(node.field)})
        return self.leaf(node, allowed)

    def near(self, node: q.Near, allowed: set[int]) -> list[tuple[str, Span]]:
        """Every span taking part in a close pair."""
        taking = []
        for left in self.spans(node.left, allowed):
            for right in self.spans(node.right, allowed):
                (f, a1, a2), (g, b1, b2) = left[1], right[1]
                close = f == g and (
                    (a2 < b1 and b1 - a2 - 1 <= node.distance)
                    or (not node.ordered and b2 < a1 and a1 - b2 - 1 <= node.distance)
                )
                if close:
                    taking += [left, right]
        return taking

    def why(
        self, node: q.QueryNode, allowed: set[int], want: bool
    ) -> tuple[bool, list[tuple[str, Span]]]:
        """(the value of node, and if it equals `want`, the spans that make it so)."""
        if isinstance(node, q.Term | q.Entity):
            found = self.leaf(node, allowed)
            return bool(found), found if want else []
        if isinstance(node, q.Near):
            found = self.near(node, allowed)
            return bool(found), found if want else []
        if isinstance(node, q.Not):
            value, reasons = self.why(node.child, allowed, not want)
            return not value, reasons
        if isinstance(node, q.Field):
            return self.why(node.child, allowed & {FIELDS.index(node.field)}, want)
        assert isinstance(node, q.And | q.Or)
        results = [self.why(child, allowed, want) for child in node.children]
        value = (
            all(v for v, _ in results) if isinstance(node, q.And) else any(v for v, _ in results)
        )
        reasons = [r for v, rs in results if v == want for r in rs] if value == want else []
        return value, reasons


def oracle(
    ruleset: RuleSet, queries: dict[str, q.QueryNode], title: str, body: str
) -> dict[str, set[tuple[str, str, int, int]]]:
    """Rule id -> its hits as (term, field, start, end), for every rule that matches."""
    ev = Evaluator(ruleset, title, body)
    everywhere = {0, 1}
    matched = {}
    for rule in ruleset.rules:
        found: list[tuple[str, Span]] = []
        ok = True
        for name in rule.entities:
            spans = ev.entities[ruleset.entities[name]]
            ok &= bool(spans)
            found += [(name, s) for s in spans]
        for keyword in rule.keywords.all:
            ok &= bool(ev.term(keyword))
        if rule.keywords.any:
            ok &= any(ev.term(keyword) for keyword in rule.keywords.any)
        ok &= not any(ev.term(keyword) for keyword in rule.keywords.none)
        found += [(kw, s) for kw in (*rule.keywords.all, *rule.keywords.any) for s in ev.term(kw)]
        if rule.id in queries:
            value, reasons = ev.why(queries[rule.id], everywhere, True)
            ok &= value
            found += reasons
        if ok:
            matched[rule.id] = {
                (label, FIELDS[f], ev.fields[f][a].start, ev.fields[f][b].end)
                for label, (f, a, b) in found
            }
    return matched


# --- generated rules and texts ------------------------------------------------------------------

SOUTH = Entity("South Korea", ("South Korea", "S Korea", "Republic of Korea"), ("ROK",))
NORTH = Entity("North Korea", ("North Korea", "Democratic People's Republic of Korea"))
NATO = Entity("NATO", ("NATO", "North Atlantic Treaty Organization"))
ENTITIES = {"South Korea": SOUTH, "s korea": SOUTH, "North Korea": NORTH, "nato": NATO}

VOCABULARY = [
    "korea", "south", "north", "s", "nato", "republic", "of", "democratic", "people",
    "weapon", "weapons", "ammunition", "seoul", "stoltenberg", "urged", "zurich", "and",
    "military", "support", "atlantic", "treaty", "organization", "x",
]  # fmt: skip
SPELLINGS = sorted(
    {form for word in VOCABULARY for form in (word, word.upper(), word.title())}
    | {"Zürich", "zu\u0308rich", "ROK", "Rok", "People's", "People\u2019s"}
)
SEPARATORS = [
    " ",
    " ",
    " ",
    " ",
    "\n",
    "-",
    " \u2014 ",
    ". ",
    ", ",
    "; ",
    ".",
    "\n\n",
    "_",
    "'s ",
    "... ",
    ": ",
    " (",
    ") ",
]
TERMS = [
    *VOCABULARY[:-1], "South Korea", "north korea", "military support", "s korea", "korea s",
    "Republic of Korea", "weapon*", "wea*", "kor*", "south kor*", "ammun*", "stolt*", "Zürich",
]  # fmt: skip

leaf = st.one_of(
    st.builds(lambda t: q.Term(t.rstrip("*"), t.endswith("*")), st.sampled_from(TERMS)),
    st.builds(q.Entity, st.sampled_from(sorted(ENTITIES))),
)
fields = st.sampled_from(["title", "body"])
near_side = st.one_of(leaf, st.lists(leaf, min_size=2, max_size=3).map(lambda c: q.Or(tuple(c))))
near_operand = st.one_of(near_side, near_side, st.builds(q.Field, fields, near_side))


def has_field(node: q.QueryNode) -> bool:
    return isinstance(node, q.Field) or any(has_field(c) for c in q.children(node))


def compound(children: st.SearchStrategy[q.QueryNode]) -> st.SearchStrategy[q.QueryNode]:
    several = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(
        st.builds(q.And, several),
        st.builds(q.Or, several),
        st.builds(q.Not, children),
        st.builds(q.Near, near_operand, near_operand, st.integers(0, 12), st.booleans()),
        st.builds(q.Field, fields, children.filter(lambda c: not has_field(c))),
    )


queries = st.recursive(leaf, compound, max_leaves=5).filter(lambda n: not q.matches_empty(n))
proximity = st.builds(q.Near, near_operand, near_operand, st.integers(0, 6), st.booleans())


@dataclass(frozen=True)
class Example:
    ruleset: RuleSet
    queries: dict[str, q.QueryNode]
    title: str
    body: str


def sometimes(draw: st.DrawFn, values: st.SearchStrategy[str]) -> list[str]:
    """A list of one value, one time in four: more conditions make matches rare."""
    return [draw(values)] if draw(st.integers(0, 3)) == 0 else []


@st.composite
def examples(draw: st.DrawFn, queries: st.SearchStrategy[q.QueryNode] = queries) -> Example:
    """Up to four rules, each with a query and maybe an entity and keywords, and a text.

    The text is made mostly of the queries' own terms (a wildcard completed with a suffix)
    and entity names, with random words between, so that about half of the rules match.
    """
    rules = []
    asts = {}
    for index in range(draw(st.integers(1, 4))):
        ast = draw(queries)
        keywords = Keywords(
            any=sometimes(draw, st.sampled_from(TERMS[:8])),
            none=sometimes(draw, st.sampled_from(TERMS)),
        )
        rule_id = f"rule-{index}"
        rules.append(
            Rule(
                id=rule_id,
                entities=sometimes(draw, st.sampled_from(sorted(ENTITIES))),
                keywords=keywords,
                query=q.to_text(ast),
            )
        )
        asts[rule_id] = ast
    labels = [label for ast in asts.values() for label in _spellings(ast)]
    random_word = st.tuples(st.sampled_from(SPELLINGS), st.sampled_from(SEPARATORS)).map("".join)
    own_term = st.tuples(
        st.sampled_from([*labels, "South Korea", "North Korea", "NATO", "ROK"]),
        st.sampled_from(["", "s", "ium"]),
        st.sampled_from(SEPARATORS),
    ).map(lambda t: t[0].replace("*", t[1]) + t[2])
    piece = st.one_of(random_word, own_term, own_term, own_term)
    title = "".join(draw(st.lists(piece, max_size=6)))
    body = "".join(draw(st.lists(piece, min_size=2, max_size=20)))
    return Example(RuleSet(rules=tuple(rules), entities=dict(ENTITIES)), asts, title, body)


def _spellings(node: q.QueryNode) -> list[str]:
    """The terms of a query as written, and every name of its entities."""
    if isinstance(node, q.Term):
        return [node.label]
    if isinstance(node, q.Entity):
        entity = ENTITIES[node.name]
        return [*entity.aliases, *entity.exact]
    return [t for child in q.children(node) for t in _spellings(child)]


def check(example: Example) -> None:
    art = Article.create(path="generated.txt", title=example.title, body=example.body)
    matches = Matcher(example.ruleset).match(art)
    got = {m.rule: {(h.term, h.field, h.start, h.end) for h in m.hits} for m in matches}
    assert got == oracle(example.ruleset, example.queries, example.title, example.body)
    for match in matches:
        assert match.hits, "a match always says why"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(examples())
def test_engine_agrees_with_the_evaluator(example: Example) -> None:
    check(example)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(examples(proximity))
def test_engine_agrees_with_the_evaluator_on_proximity(example: Example) -> None:
    check(example)


def test_the_evaluator_itself_on_a_known_text() -> None:
    ruleset = RuleSet(rules=(Rule(id="r", query="x"),), entities=dict(ENTITIES))
    ev = Evaluator(ruleset, "", "Stoltenberg urged the ROK. South Korea's People\u2019s Republic")
    assert ev.term("korea") == {(1, 5, 5)}
    assert ev.entities[SOUTH] == {(1, 3, 3), (1, 4, 5)}
    near = q.parse_query('entity:"South Korea" NEAR/1 urged')
    assert isinstance(near, q.Near)
    assert ev.why(near, {0, 1}, True) == (True, [("South Korea", (1, 3, 3)), ("urged", (1, 1, 1))])
