"""The fast path against a brute-force oracle, on generated rule sets and texts.

The oracle shares no code with the engine: it applies one plain `re` regex per term, rule by
rule, to the raw text, with its own simple normalisation (NFKC, accents stripped, regex
IGNORECASE). If the automaton, the term index, the anchors, the sentence-break checks or the
suppression ever disagree with the obvious reading of the contract, these tests find it.

The oracle's reading of the contract:
* a term is its words (runs of letters and digits); a trailing `*` makes the last a prefix;
* words are whole (no letter or digit on either side, except after a prefix);
* between two words of a phrase any run of non-word characters is allowed, unless it holds
  sentence punctuation and whitespace and the word before it is longer than one letter --
  or the term's own text has such a break there;
* an entity is mentioned when one of its aliases (any case; `exact` ones in their case)
  occurs and no alias of another entity occurs over a strictly longer stretch around it.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.articles.model import Article
from monitor.gazetteer.model import Entity
from monitor.matching import Matcher
from monitor.rules.model import Keywords, Rule, RuleSet
from monitor.rules.query import MIN_WILDCARD_PREFIX

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_9738bd22683e892a.txt"
SENTENCE = ".!?;:\u2026"
WORD = r"[^\W_]"
NOT_WORD = r"[\W_]"


# --- the oracle --------------------------------------------------------------------------------


def plain(text: str) -> str:
    """NFKC, then accents (non-spacing marks) removed. Case is left to the regexes."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def is_break(gap: str) -> bool:
    return any(ch in SENTENCE for ch in gap) and any(ch.isspace() for ch in gap)


def term_regex(term: str, *, exact: bool = False) -> re.Pattern[str]:
    """One regex for one keyword or alias."""
    text = plain(term).strip()
    prefix = text.endswith("*")
    parts = re.split(f"({WORD}+)", text.rstrip("*"))
    words, gaps = parts[1::2], parts[2:-1:2]
    regex = f"(?<!{WORD})" + re.escape(words[0])
    for word, gap, following in zip(words[:-1], gaps, words[1:], strict=True):
        if len(word) == 1 or is_break(gap):
            separator = f"{NOT_WORD}+"
        else:  # a gap without sentence punctuation, or one without whitespace
            separator = r"(?:(?:[^\w.!?;:\u2026]|_)+|(?:[^\w\s]|_)+)"
        regex += separator + re.escape(following)
    if not prefix:
        regex += f"(?!{WORD})"
    return re.compile(f"(?=({regex}))", 0 if exact else re.IGNORECASE)


def occurs(term: str, text: str) -> bool:
    return term_regex(term).search(plain(text)) is not None


def spans(regex: re.Pattern[str], text: str) -> set[tuple[int, int]]:
    return {match.span(1) for match in regex.finditer(text)}


def mentioned(entities: list[Entity], text: str) -> set[Entity]:
    """Entities with at least one alias hit not strictly inside another entity's hit."""
    text = plain(text)
    hits: list[tuple[Entity, int, int]] = []
    for entity in entities:
        loose = [*entity.aliases, *([] if entity.name in entity.exact else [entity.name])]
        for alias, exact in [*((a, False) for a in loose), *((a, True) for a in entity.exact)]:
            for start, end in spans(term_regex(alias, exact=exact), text):
                hits.append((entity, start, end))
    found: set[Entity] = set()
    for entity, start, end in hits:
        inside = any(
            other != entity and s <= start and end <= e and e - s > end - start
            for other, s, e in hits
        )
        if not inside:
            found.add(entity)
    return found


def oracle(ruleset: RuleSet, blockers: list[Entity], art: Article) -> list[str]:
    present: set[Entity] = set()
    if any(rule.entities for rule in ruleset.rules):  # else no mention is ever asked about
        every = list(dict.fromkeys([*ruleset.entities.values(), *blockers]))
        present = mentioned(every, art.title) | mentioned(every, art.body)

    def has(term: str) -> bool:
        return occurs(term, art.title) or occurs(term, art.body)

    matched = []
    for rule in ruleset.rules:
        kw = rule.keywords
        if (
            all(ruleset.entities[name] in present for name in rule.entities)
            and all(has(term) for term in kw.all)
            and (not kw.any or any(has(term) for term in kw.any))
            and not any(has(term) for term in kw.none)
        ):
            matched.append(rule.id)
    return sorted(matched)


# --- generated rule sets and texts ----------------------------------------------------------------

VOCABULARY = [
    "korea", "south", "north", "s", "u", "nato", "us", "senator", "weapon", "weapons",
    "ammunition", "zurich", "military", "support", "republic", "of", "democratic", "people",
    "guinea", "papua", "new", "the", "a", "cafe", "n",
]  # fmt: skip
ACCENTED = {"zurich": ["zürich", unicodedata.normalize("NFD", "zürich")], "cafe": ["café"]}
SEPARATORS = [
    " ", " ", " ", " ", "\n", "-", " — ", ". ", ", ", "; ", "! ", ".", "\n\n", "_",
    "’s ", "'s ", "... ", ": ", " (", ") ", "\t",
]  # fmt: skip
TERM_SEPARATORS = [" ", " ", " ", "-", ". "]


def spellings(vocabulary: list[str]) -> list[str]:
    """Every word as an article or a rule writer might spell it: any case, maybe accented."""
    variants = [v for word in vocabulary for v in [word, *ACCENTED.get(word, [])]]
    return sorted({form for v in variants for form in (v, v.upper(), v.title())})


def term_pool(vocabulary: list[str], size: int = 1500) -> tuple[list[str], list[str]]:
    """Phrases and keywords to draw from: every single word first, then random phrases.

    Drawing a whole term in one choice, rather than word by word, keeps hypothesis's own
    overhead (most of the run time) down; the pool is fixed so runs are reproducible.
    """
    words = spellings(vocabulary)
    rng = random.Random(20230130)
    phrases = [*words, *(f"{letter} {word}" for letter in "SUN" for word in ("Korea", "Navy"))]
    for _ in range(size):
        picked = [rng.choice(words) for _ in range(rng.randint(2, 3))]
        phrase = picked[0]
        for word in picked[1:]:
            phrase += rng.choice(TERM_SEPARATORS) + word
        phrases.append(phrase)
    keywords = [*phrases]
    for phrase in phrases[::3]:  # prefix wildcards: the last word cut short, 3 letters or more
        head, _, last = phrase.rpartition(" ")
        if last.isalpha() and len(last) >= MIN_WILDCARD_PREFIX:
            cut = rng.randint(MIN_WILDCARD_PREFIX, len(last))
            keywords.append(f"{head} {last[:cut]}*".lstrip())
    return phrases, keywords


@dataclass(frozen=True)
class Case:
    ruleset: RuleSet
    blockers: list[Entity]


class Kit:
    """The strategies for one vocabulary, built once: building them per draw is slow."""

    def __init__(self, vocabulary: list[str]) -> None:
        # One draw per term, or per word-and-separator pair in a text: see `term_pool`.
        words = spellings(vocabulary)
        text_pairs = st.sampled_from([(w, sep) for w in words for sep in SEPARATORS])
        phrases, keywords = term_pool(vocabulary)
        self.phrase = st.sampled_from(phrases)
        self.keyword = st.sampled_from(keywords)
        self.exact = st.lists(st.sampled_from(["US", "NATO", "Nato", "S", "ROK"]), max_size=1)
        self.text_pairs = text_pairs
        self.cases = self._cases()
        self.examples = self._examples()

    def entity(self, number: int) -> st.SearchStrategy[Entity]:
        """An entity named like its first alias, or by a name no text contains."""

        def build(aliases: list[str], exact: list[str], own_name: bool) -> Entity:
            name = f"Entity{number}" if own_name else aliases[0]
            return Entity(name=name, aliases=tuple(aliases), exact=tuple(exact))

        return st.builds(
            build, st.lists(self.phrase, min_size=1, max_size=3), self.exact, st.booleans()
        )

    def _cases(self) -> st.SearchStrategy[Case]:
        entity = [self.entity(i) for i in range(5)]
        keywords = st.builds(
            Keywords,
            all=st.lists(self.keyword, max_size=1),
            any=st.lists(self.keyword, max_size=2),
            none=st.lists(self.keyword, max_size=1),
        )

        @st.composite
        def cases(draw: st.DrawFn) -> Case:
            named = {f"E{i}": draw(entity[i]) for i in range(draw(st.integers(0, 3)))}
            blockers = [draw(entity[3 + i]) for i in range(draw(st.integers(0, 2)))]
            if len(named) > 0 and draw(st.booleans()):  # a longer name around another one's alias
                inner = draw(st.sampled_from([a for e in named.values() for a in e.aliases]))
                before, after = draw(self.phrase), draw(st.sampled_from(["", " people"]))
                blockers.append(Entity("Longer", (f"{before} {inner}{after}",)))
            rules = []
            for index in range(draw(st.integers(1, 6))):
                chosen = draw(st.lists(st.sampled_from(sorted(named)), max_size=2)) if named else []
                kw = draw(keywords)
                if not (chosen or kw.all or kw.any):
                    kw = Keywords(any=[draw(self.keyword)], none=kw.none)
                rules.append(Rule(id=f"rule-{index}", entities=chosen, keywords=kw))
            return Case(RuleSet(rules=tuple(rules), entities=named), blockers)

        return cases()

    def _examples(self) -> st.SearchStrategy[tuple[Case, str, str]]:
        """A case and a title and body made of random words and of the case's own terms.

        Random words alone rarely spell a whole phrase; mixing in the rules' terms (a
        wildcard completed with a suffix) makes about half of the rules match.
        """

        @st.composite
        def examples(draw: st.DrawFn) -> tuple[Case, str, str]:
            case = draw(self.cases)
            entities = [*case.ruleset.entities.values(), *case.blockers]
            terms = [
                *(t for r in case.ruleset.rules for kw in (r.keywords.all, r.keywords.any,
                  r.keywords.none) for t in kw),
                *(a for e in entities for a in (*e.aliases, *e.exact)),
            ]  # fmt: skip
            term = st.builds(
                lambda t, inner, suffix, sep: t.replace(" ", inner).replace("*", suffix) + sep,
                st.sampled_from(terms),
                st.sampled_from([" ", " ", ". ", ". ", *SEPARATORS]),
                st.sampled_from(["", "s", "ing"]),
                st.sampled_from(SEPARATORS),
            )
            piece = st.one_of(self.text_pairs.map("".join), term)
            title = "".join(draw(st.lists(piece, max_size=6)))
            body = "".join(draw(st.lists(piece, max_size=20)))
            return case, title, body

        return examples()


GENERATED = Kit(VOCABULARY)


def check(case: Case, art: Article) -> None:
    matches = Matcher(case.ruleset, blockers=case.blockers).match(art)
    assert [m.rule for m in matches] == oracle(case.ruleset, case.blockers, art)
    for match in matches:
        assert match.hits, "a match always says why"
        for hit in match.hits:
            assert getattr(art, hit.field)[hit.start : hit.end] == hit.text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(GENERATED.examples)
def test_engine_agrees_with_the_oracle(example: tuple[Case, str, str]) -> None:
    case, title, body = example
    check(case, Article.create(path="generated.txt", title=title, body=body))


# --- the seed article -------------------------------------------------------------------------


def seed_article() -> Article:
    """The seed format: a first line "date YYYY-MM-DD Title", then the body."""
    first, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    title = first.strip().split(" ", 2)[2]
    return Article.create(path=str(SEED), title=title, body=body)


SEED_ARTICLE = seed_article()
SEED_KIT = Kit(
    sorted({w.lower() for w in re.findall(r"[^\W\d_]+", SEED_ARTICLE.title + SEED_ARTICLE.body)})
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SEED_KIT.cases)
def test_engine_agrees_with_the_oracle_on_the_seed_article(case: Case) -> None:
    check(case, SEED_ARTICLE)


def test_the_seed_article_rule_agrees_with_the_oracle() -> None:
    nato = Entity("NATO", ("NATO",))
    south = Entity("South Korea", ("South Korea", "S Korea", "Republic of Korea"), ("ROK",))
    north = Entity("North Korea", ("North Korea", "Democratic People's Republic of Korea"))
    ruleset = RuleSet(
        rules=(
            Rule(
                id="nato-south-korea",
                entities=["NATO", "South Korea"],
                keywords=Keywords(any=["weapon*", "ammunition", "military support"]),
            ),
            Rule(id="not-exhibition", entities=["NATO"], keywords=Keywords(none=["Seoul"])),
            Rule(id="north", entities=["North Korea"]),
            Rule(id="tanks-and-planes", keywords=Keywords(all=["tanks", "aircraft"])),
        ),
        entities={"NATO": nato, "South Korea": south, "North Korea": north},
    )
    case = Case(ruleset, [])
    check(case, SEED_ARTICLE)
    assert oracle(ruleset, [], SEED_ARTICLE) == ["nato-south-korea", "north", "tanks-and-planes"]
