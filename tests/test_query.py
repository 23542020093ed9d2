"""Boolean queries: the parser, its errors, the canonical printer, and evaluation on real text."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.articles.model import Article
from monitor.gazetteer import EntityCatalog, load_builtin
from monitor.gazetteer.model import Entity as GazetteerEntity
from monitor.matching import Hit, Matcher
from monitor.matching.compile import compile_ruleset
from monitor.rules import query as q
from monitor.rules.model import Keywords, Rule, RuleSet
from monitor.rules.query import (
    And,
    Entity,
    Field,
    Near,
    Not,
    Or,
    QueryError,
    Term,
    matches_empty,
    parse_query,
    to_text,
)

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_9738bd22683e892a.txt"
A, B, C, D = Term("a"), Term("b"), Term("c"), Term("d")


# --- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("weapon", Term("weapon")),
    ('"South Korea"', Term("South Korea")),
    ("weapon*", Term("weapon", wildcard=True)),
    ('"arms deal*"', Term("arms deal", wildcard=True)),
    ("\u201cSouth Korea\u201d", Term("South Korea")),  # curly quotes, as pasted from a document
    ('"  South Korea "', Term("South Korea")),
    ("entity:NATO", Entity("NATO")),
    ('entity:"South Korea"', Entity("South Korea")),
    ("a AND b", And((A, B))),
    ("a b", And((A, B))),
    ("a AND b c", And((A, B, C))),
    ("a OR b OR c", Or((A, B, C))),
    ("a AND NOT b", And((A, Not(B)))),
    ("a NOT b", And((A, Not(B)))),
    ("a NEAR/3 b", Near(A, B, 3)),
    ("a NEAR b", Near(A, B, 5)),
    ("a ONEAR/0 b", Near(A, B, 0, ordered=True)),
    ("a ONEAR b", Near(A, B, 5, ordered=True)),
    ("title:a", Field("title", A)),
    ('body:"a b"', Field("body", Term("a b"))),
    ("title:(a OR b)", Field("title", Or((A, B)))),
    ("TITLE:a", Field("title", A)),
    ("title:entity:NATO", Field("title", Entity("NATO"))),
    ("(a)", A),
    ("((a OR b))", Or((A, B))),
    ("a(b)", And((A, B))),
])  # fmt: skip
def test_each_construct(text: str, expected: q.QueryNode) -> None:
    assert parse_query(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("a OR b AND c", Or((A, And((B, C))))),
    ("a AND b OR c", Or((And((A, B)), C))),
    ("NOT a AND b", And((Not(A), B))),
    ("NOT a NEAR b AND c", And((Not(Near(A, B)), C))),
    ("title:a NEAR/3 b", Near(Field("title", A), B, 3)),
    ("a NEAR/2 b OR c", Or((Near(A, B, 2), C))),
    ("(a OR b) NEAR c", Near(Or((A, B)), C)),
    ("a OR b c", Or((A, And((B, C))))),
    ("(a AND b) AND c", And((And((A, B)), C))),
    ("NOT NOT a", Not(Not(A))),
])  # fmt: skip
def test_precedence(text: str, expected: q.QueryNode) -> None:
    assert parse_query(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("a and b", And((A, Term("and"), B))),
    ("a or b", And((A, Term("or"), B))),
    ("a near b", And((A, Term("near"), B))),
    ("not a", And((Term("not"), A))),
    ("Near/5", Term("Near/5")),
    ('"AND"', Term("AND")),
    ('"title:x"', Term("title:x")),
    ("10:30", Term("10:30")),
    ("Korea's", Term("Korea's")),
    ("U.S.", Term("U.S.")),
])  # fmt: skip
def test_only_upper_case_operators_and_known_fields_are_syntax(
    text: str, expected: q.QueryNode
) -> None:
    assert parse_query(text) == expected


@pytest.mark.parametrize(("text", "column", "message"), [
    ("", 1, "the query is empty"),
    ("   ", 1, "the query is empty"),
    ("a AND", 6, "expected a term or '(' after AND"),
    ("a AND OR b", 7, "expected a term or '(' after AND"),
    ("a OR", 5, "expected a term or '(' after OR"),
    ("NOT", 4, "expected a term or '(' after NOT"),
    ("AND a", 1, "expected a term or '(' before AND"),
    ("a NEAR", 7, "expected a term or '(' after NEAR"),
    ('"South Korea', 1, "unclosed quote: expected a closing '\"'"),
    ("a AND (b", 7, "unclosed '(': expected a matching ')'"),
    ("a)", 2, "unbalanced ')': there is no '(' to close"),
    ("(a)) b", 4, "unbalanced ')': there is no '(' to close"),
    ("a AND ()", 8, "empty parentheses: expected a term or '(' after '('"),
    ("a NEAR/ b", 3, "NEAR/n needs a number, as in NEAR/5"),
    ("a ONEAR/x b", 3, "ONEAR/n needs a number, as in ONEAR/5"),
    ("a NEAR/101 b", 3, "NEAR distance is at most 100 words (got 101); for a looser link use AND"),
    ("we*", 1, "a wildcard needs at least 3 letters before `*`: `we*` would match too many words"),
    ('"arms de*"', 1,
     "a wildcard needs at least 3 letters before `*`: `arms de*` would match too many words"),
    ("wea*pon", 4,
     "`*` is only allowed at the end of a word (a prefix wildcard such as `weapon*`)"),
    ("*", 1, "`*` must directly follow a word, as in `weapon*`"),
    ('"arms deal"*', 12, 'put the `*` inside the quotes, as in "arms deal*"'),
    ('a ""', 3, "empty phrase: put words between the quotes"),
    ("a --", 3, "`--` is not a term: it has no letter or digit"),
    ("a && b", 3, "`&&` is not an operator here: write AND or OR (upper case)"),
    ("a -b", 3, "`-` does not exclude here: write `NOT b`"),
    ("title:", 1, "expected a term, phrase or '(' right after `title:`"),
    ("title: a", 1, "expected a term, phrase or '(' right after `title:`"),
    ("title:NOT a", 7, "expected a term, phrase or '(' right after `title:`"),
    ("a AND title:(body:b)", 14, "`body:` inside `title:`: field scopes cannot be nested"),
    ("author:smith", 1, "unknown field `author:`: the fields are `title:`, `body:` and "
                       '`lead:` (and `entity:`, `lang:`); put the text in quotes to search for '
                       'it ("author:smith")'),
    ("entity:", 1, 'expected an entity name right after `entity:`, as in entity:NATO or '
                   'entity:"South Korea"'),
    ("entity:(NATO)", 1, 'expected an entity name right after `entity:`, as in entity:NATO or '
                         'entity:"South Korea"'),
    ("entity:NAT*", 8, "an entity name cannot hold a wildcard `*`: entity:NAME already matches "
                       "every name of the entity"),
    ("a NEAR NOT b", 8, "NEAR cannot take a NOT: write `(a NEAR b) AND NOT c`"),
    ("(a AND b) NEAR/3 c", 2, "NEAR/3 needs a term, phrase, entity or an OR of those on each "
                              "side, not an AND; write `(a NEAR/3 b) AND c` for a condition on "
                              "more terms"),
    ("a NEAR (b OR NOT c)", 14, "NEAR needs a term, phrase, entity or an OR of those on each "
                                "side, not a NOT; write `(a NEAR b) AND c` for a condition on "
                                "more terms"),
    ("(a NEAR b) NEAR c", 2, "NEAR needs a term, phrase, entity or an OR of those on each side, "
                             "not another NEAR; write `(a NEAR b) AND c` for a condition on "
                             "more terms"),
    ("a NEAR b ONEAR c", 10, "`a NEAR b ONEAR c` is ambiguous: join two proximity conditions "
                             "with AND, as in `(a NEAR b) AND (b NEAR c)`"),
    ("NOT a", 1, "a query needs at least one term that must appear: NOT only excludes "
                 "(write `a AND NOT b`)"),
    ("NOT a AND NOT b", 1, "a query needs at least one term that must appear: NOT only "
                           "excludes (write `a AND NOT b`)"),
    ("a OR NOT b", 6, "an OR branch that only excludes (`a OR NOT b`) matches every article "
                      "without the excluded words: give each OR branch a term that must "
                      "appear, or write `a AND NOT b`"),
    ("title:(NOT a) OR b", 8, "an OR branch that only excludes (`a OR NOT b`) matches every "
                              "article without the excluded words: give each OR branch a term "
                              "that must appear, or write `a AND NOT b`"),
    ("(" * 60 + "a" + ")" * 60, 51, "parentheses and NOTs nested too deeply (at most 50 levels)"),
    ("x " + "NOT " * 1000 + "a", 203, "parentheses and NOTs nested too deeply (at most 50 "
                                      "levels)"),
    ("x " + "(NOT " * 30 + "a" + ")" * 30, 128, "parentheses and NOTs nested too deeply (at "
                                                "most 50 levels)"),
    ("a NEAR/" + "9" * 5000 + " b", 3, "NEAR distance is at most 100 words (got a 5000-digit "
                                       "number); for a looser link use AND"),
    ("a ONEAR/" + "0" * 5000 + "101 b", 3, "ONEAR distance is at most 100 words (got 101); for "
                                           "a looser link use AND"),
    ("a NEAR/" + "0" * 5000 + "5 NOT b", 5010, "NEAR/5 cannot take a NOT: write `(a NEAR/5 b) "
                                               "AND NOT c`"),
    ("a -" + "b" * 5000, 3, "`-` does not exclude here: write `NOT " + "b" * 40 + "…`"),
])  # fmt: skip
def test_errors_say_where_and_what_was_expected(text: str, column: int, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert (caught.value.column, caught.value.message) == (column, message)
    assert str(caught.value) == f"column {column}: {message}"


def test_the_deepest_and_longest_queries_allowed_go_through_every_pass() -> None:
    """At the nesting cap, and with AND/OR chains of 20,000 terms, nothing recurses too far.

    Every pass over a query recurses once per level (parsing, `matches_empty`, `to_text`,
    compiling, evaluating); the parser's cap is what bounds them, and chains are flat nodes.
    Run with only 500 frames to spare (Python's default allows about 1,000 in all), so a
    change that makes any pass recurse per chained term or per level much deeper fails here.
    """
    queries = [
        "weapon* AND " + "NOT (" * 25 + "zzz OR yyy" + ")" * 25,
        "weapon* AND " + "(" * 49 + "title:(zzz OR yyy) NEAR/3 korea" + ")" * 49,
        "(" + " OR ".join(f"w{i}" for i in range(20_000)) + ") AND weapon*",
        " AND ".join(f"w{i}" for i in range(20_000)) + " AND NOT weapon*",
    ]
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 500)
    try:
        nodes = [parse_query(text) for text in queries]
        assert [parse_query(to_text(node)) for node in nodes] == nodes
        assert not any(matches_empty(node) for node in nodes)
        matches = query_matcher(*queries).match(SEED_ARTICLE)
    finally:
        sys.setrecursionlimit(limit)
    assert [m.rule for m in matches] == ["q0"]
    with pytest.raises(QueryError, match="nested too deeply"):
        parse_query("weapon* AND " + "NOT (" * 25 + "NOT zzz" + ")" * 25)


def test_an_or_branch_with_not_is_fine_when_something_else_is_required() -> None:
    assert parse_query("x AND (a OR NOT b)") == And((Term("x"), Or((A, Not(B)))))
    assert parse_query("NOT (NOT a)") == Not(Not(A))


def test_nodes_remember_their_column_but_compare_without_it() -> None:
    node = parse_query('weapon AND  entity:"South Korea"')
    assert isinstance(node, And)
    assert [child.column for child in node.children] == [1, 13]
    assert node == parse_query('weapon entity:"South Korea"')
    assert [e.name for e in q.entities(node)] == ["South Korea"]


@pytest.mark.parametrize(("text", "canonical"), [
    ("a NEAR b", "a NEAR/5 b"),
    ("a b   c", "a AND b AND c"),
    ("(a OR b) c", "(a OR b) AND c"),
    ("a OR (b OR c)", "a OR (b OR c)"),
    ("NOT (a AND b) AND c", "NOT (a AND b) AND c"),
    ("title:(a) NEAR/2 b", "title:a NEAR/2 b"),
    ('"weapon" "AND" "x y" entity:"NATO"', 'weapon AND "AND" AND "x y" AND entity:NATO'),
    ("\u201carms deal*\u201d", '"arms deal*"'),
])  # fmt: skip
def test_to_text_is_canonical(text: str, canonical: str) -> None:
    assert to_text(parse_query(text)) == canonical


# --- round trip ---------------------------------------------------------------------------------

WORDS = [
    "korea", "Zürich", "AND", "OR", "NOT", "NEAR", "ONEAR", "NEAR/5", "and", "near", "title",
    "x-ray", "U.S.", "Korea's", "don’t", "3:1", "a(b", "C++", "e-mail", "naïve", "ÉTÉ", "42",
    "entity:x", "-dash", "+plus", "c'est", "Ελλάδα", "日本",
]  # fmt: skip
PREFIXES = ["weap", "Korea", "mil", "ünter", "x-ray", "abc", "Ελλ"]

words = st.sampled_from(WORDS)
phrases = st.lists(words, min_size=1, max_size=3).map(" ".join)
plain_terms = st.builds(Term, phrases)
wildcards = st.builds(
    lambda head, last: Term(f"{head} {last}".strip(), wildcard=True),
    st.sampled_from(["", "arms", "South Korea"]),
    st.sampled_from(PREFIXES),
)
leaf = st.one_of(plain_terms, wildcards, st.builds(Entity, phrases))
fields = st.sampled_from(["title", "body", "lead"])
near_side = st.one_of(leaf, st.lists(leaf, min_size=2, max_size=3).map(lambda c: Or(tuple(c))))
near_operand = st.one_of(near_side, st.builds(Field, fields, near_side))


def has_field(node: q.QueryNode) -> bool:
    return isinstance(node, Field) or any(has_field(c) for c in q.children(node))


def compound(children: st.SearchStrategy[q.QueryNode]) -> st.SearchStrategy[q.QueryNode]:
    several = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(
        st.builds(And, several),
        st.builds(Or, several),
        st.builds(Not, children),
        st.builds(Near, near_operand, near_operand, st.integers(0, 100), st.booleans()),
        st.builds(
            Field, fields, children.filter(lambda c: not has_field(c) and not q.languages(c))
        ),
    )


codes = st.lists(st.sampled_from(["de", "fr", "en", "haw"]), min_size=1, max_size=3, unique=True)
langs = st.builds(q.Lang, codes.map(tuple))
queries = st.recursive(st.one_of(leaf, langs), compound, max_leaves=8).filter(
    lambda n: not matches_empty(n)
)


@settings(max_examples=500, deadline=None)
@given(queries)
def test_to_text_round_trips(node: q.QueryNode) -> None:
    text = to_text(node)
    assert parse_query(text) == node
    assert to_text(parse_query(text)) == text


# --- evaluation on the seed article -------------------------------------------------------------


def seed_article() -> Article:
    first, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    return Article.create(path=str(SEED), title=first.strip().split(" ", 2)[2], body=body)


SEED_ARTICLE = seed_article()
CATALOG = EntityCatalog([])


def query_matcher(*queries: str) -> Matcher:
    """Rules q0, q1, ... with these queries, their entity names resolved as the loader does.

    The built-in entities block (as in the daemon) only when a query names an entity.
    """
    rules = tuple(Rule(id=f"q{i}", query=text) for i, text in enumerate(queries))
    names = {e.name for text in queries for e in q.entities(parse_query(text))}
    entities = {name: CATALOG.resolve(name) for name in names}
    assert None not in entities.values()
    return Matcher(
        RuleSet(rules=rules, entities=entities),  # type: ignore[arg-type]
        blockers=load_builtin() if names else (),
    )


def hits(query: str, art: Article = SEED_ARTICLE) -> list[Hit] | None:
    """The hits if `query` matches `art`, else None; every hit quotes its field exactly."""
    matches = query_matcher(query).match(art)
    for match in matches:
        assert match.hits
        for hit in match.hits:
            assert getattr(art, hit.field)[hit.start : hit.end] == hit.text
    return list(matches[0].hits) if matches else None


@pytest.mark.parametrize(("query", "expected"), [
    ('"South Korea" AND (ammunition OR weapon*)', True),
    ('"South Korea" AND (ammunition OR weapon*) AND NOT "exhibition match"', True),
    ("title:ammunition", False),
    ("body:ammunition", True),
    ('title:(NATO AND "S Korea")', True),
    ("title:(NATO AND NOT Stoltenberg)", True),
    ("title:Stoltenberg", False),
    ("Stoltenberg NEAR/3 Seoul", True),  # "Stoltenberg is in Seoul"
    ("Seoul NEAR/3 Stoltenberg", True),
    ("Stoltenberg NEAR/1 Seoul", False),
    ("Stoltenberg ONEAR/3 Seoul", True),
    ("Seoul ONEAR/3 Stoltenberg", False),
    ('entity:"South Korea" NEAR/2 urged', True),  # "Stoltenberg urged South Korea"
    ('entity:"South Korea" ONEAR/2 urged', False),
    ('entity:NATO NEAR/10 entity:"South Korea"', True),
    ('title:entity:NATO NEAR/3 title:entity:"South Korea"', True),  # "NATO chief urges S Korea"
    ('entity:"North Korea" NEAR/3 Stoltenberg', True),  # "North Korea called Stoltenberg's"
    ('entity:"North Korea" NEAR/3 ammunition', False),
    # "... tanks, aircraft and other weapons to NATO member Poland"
    ("(tanks OR aircraft) NEAR/6 Poland", True),
    ("(tanks OR howitzer*) NEAR/6 Poland", False),
    ("(cricket OR tennis) AND Seoul", False),
    ("senator OR entity:NATO", True),
    ("Seoul NOT Tokyo", True),
    ("Seoul AND NOT Japan", False),
    ("NOT (NOT ammunition)", True),
    ("ammunition OR tennis", True),
    ("ammunition or tennis", False),  # lower-case: three words, and "tennis" is not in the text
])  # fmt: skip
def test_queries_on_the_seed_article(query: str, expected: bool) -> None:
    assert (hits(query) is not None) is expected


def test_hits_are_the_positive_terms_that_made_the_query_true() -> None:
    found = hits('title:(NATO AND NOT Seoul) AND ("military support" OR tennis)')
    assert found is not None
    assert {(h.term, h.text, h.field) for h in found} == {
        ("NATO", "NATO", "title"),
        ("military support", "military support", "title"),
        ("military support", "military support", "body"),
    }


def test_near_hits_are_only_the_close_pairs() -> None:
    found = hits("Stoltenberg NEAR/3 Seoul")
    assert found is not None
    assert [(h.text, h.start) for h in found] == [
        ("Stoltenberg", 78),
        ("Seoul", 96),
        ("Stoltenberg", 436),
        ("Seoul", 454),
    ]
    assert SEED_ARTICLE.body[78:101] == "Stoltenberg is in Seoul"


def test_a_double_negation_still_says_why() -> None:
    found = hits("NOT (NOT ammunition OR tennis)")
    assert found is not None
    assert {h.text for h in found} == {"ammunition"}


# --- evaluation: the details of the semantics ---------------------------------------------------


def art(body: str, title: str = "") -> Article:
    return Article.create(path="t.txt", title=title, body=body)


def test_near_counts_words_between_and_ignores_sentence_breaks() -> None:
    assert hits("alpha NEAR/0 beta", art("alpha beta")) is not None
    assert hits("alpha NEAR/0 beta", art("alpha x beta")) is None
    assert hits("alpha NEAR/1 beta", art("beta. Alpha")) is not None
    assert hits('"alpha beta" NEAR/2 gamma', art("alpha beta one two gamma")) is not None
    assert hits('"alpha beta" NEAR/1 gamma', art("gamma one alpha beta")) is not None
    assert hits('"alpha beta" NEAR/1 gamma', art("gamma one two alpha beta")) is None


def test_near_needs_two_separate_stretches_of_text() -> None:
    assert hits('korea NEAR/5 "south korea"', art("South Korea")) is None
    assert hits('korea NEAR/5 "south korea"', art("South Korea and Korea")) is not None


def test_near_never_links_the_title_and_the_body() -> None:
    assert hits("alpha NEAR/5 beta", art("beta", title="alpha")) is None
    assert hits("alpha AND beta", art("beta", title="alpha")) is not None


def test_field_scope_applies_to_everything_below_it() -> None:
    both = art("alpha beta", title="alpha")
    assert hits("title:(alpha AND NOT beta)", both) is not None
    assert hits("body:(alpha AND NOT beta)", both) is None
    assert hits("title:alpha NEAR/1 beta", both) is None  # the title has no beta
    assert hits("title:(alpha OR beta) AND body:beta", both) is not None


def test_rules_filed_under_every_or_branch_are_never_missed() -> None:
    m = query_matcher(
        "zeta OR (omega AND psi)",
        "(alpha OR beta) NEAR/2 (gamma OR delta)",
        "NOT (NOT sigma OR NOT tau)",
    )
    assert [r.rule for r in m.match(art("psi and omega"))] == ["q0"]
    assert [r.rule for r in m.match(art("beta x delta"))] == ["q1"]
    assert [r.rule for r in m.match(art("tau sigma"))] == ["q2"]
    assert m.match(art("omega sigma")) == []


# --- NEAR is symmetric --------------------------------------------------------------------------

VOCABULARY = ["alpha", "beta", "gamma", "alphabet", "Beta", "x"]
near_terms = st.sampled_from(
    ["alpha", "beta", "gamma", '"alpha beta"', "alp*", "Beta", "(alpha OR gamma)"]
)
texts = st.lists(
    st.tuples(st.sampled_from(VOCABULARY), st.sampled_from([" ", ". ", "-", "\n", ", "])),
    max_size=25,
).map(lambda pairs: "".join(word + sep for word, sep in pairs))


@settings(max_examples=200, deadline=None)
@given(near_terms, near_terms, st.integers(0, 6), texts, texts)
def test_near_is_symmetric(a: str, b: str, n: int, title: str, body: str) -> None:
    m = query_matcher(
        f"{a} NEAR/{n} {b}", f"{b} NEAR/{n} {a}", f"{a} ONEAR/{n} {b} OR {b} ONEAR/{n} {a}"
    )
    matched = {r.rule: set(r.hits) for r in m.match(art(body, title))}
    assert ("q0" in matched) == ("q1" in matched) == ("q2" in matched)
    if matched:
        assert matched["q0"] == matched["q1"] == matched["q2"]


def test_query_terms_share_the_automaton_with_keywords() -> None:
    compiled = compile_ruleset(
        RuleSet(
            rules=(
                Rule(id="k", keywords=Keywords(any=["weapon*", "South Korea"])),
                Rule(id="q", query='"South Korea" AND weapon*'),
            )
        )
    )
    assert len(compiled.terms) == 2
    assert compiled.rules[1].query is not None


def test_fuzzy_entities_work_in_queries() -> None:
    stoltenberg = GazetteerEntity("Jens Stoltenberg", ("Jens Stoltenberg", "Stoltenberg"), fuzzy=90)
    rules = (Rule(id="q", query="entity:Stoltenberg NEAR/3 Seoul"),)
    m = Matcher(RuleSet(rules=rules, entities={"Stoltenberg": stoltenberg}))
    [match] = m.match(art("Stoltenburg is in Seoul"))
    assert [(h.term, h.text) for h in match.hits] == [
        ("Stoltenberg", "Stoltenburg"),
        ("Seoul", "Seoul"),
    ]
