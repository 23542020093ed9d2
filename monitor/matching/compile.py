"""Compile a `RuleSet` once: one Aho-Corasick automaton for every term, and the term -> rule index.

Three layers, from text to rules:

* a *pattern* is what the automaton looks for: normalised words joined as " a b " (whole
  words) or " a b" (the last word is a prefix, from `word*`). Identical patterns are stored once,
  whichever rules or entities use them;
* a *term* is a pattern plus the sentence breaks its own text contains ("Mr. Smith" may match
  across "Mr. Smith", "Mr Smith" may not), so two spellings of one pattern can differ there;
  a term is used as a keyword by rules, as an alias by entities, or both;
* a *compiled rule* refers to terms and entities by number; each rule is filed in the index
  under one *anchor*, a term or entity it cannot match without (or a set of them, one of which
  every match contains), so an article only wakes the rules whose anchor it contains (the
  Luwak / percolator idea: the index narrows, evaluation decides).

A rule's `query` is compiled by `monitor.matching.boolean` into the same tables: its terms
are keywords like any other, its `entity:` names entities like `entities:`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from monitor.errors import RuleError
from monitor.gazetteer.model import Entity
from monitor.matching import boolean
from monitor.matching.boolean import Anchor, Condition
from monitor.matching.fuzzy import FuzzyAlias, FuzzyIndex
from monitor.matching.normalize import TokenizedText, tokenize
from monitor.matching.speedups import PatternSearch, pattern_search, rule_table, run_table
from monitor.matching.weights import TermWeights
from monitor.rules import query as q
from monitor.rules.model import Rule, RuleSet
from monitor.textsafe import shorten
from monitor.words import folded_words


@dataclass(frozen=True, slots=True)
class ParsedTerm:
    """A keyword or alias reduced to what the automaton and the checks need."""

    key: str
    size: int
    allowed_breaks: frozenset[int]
    case_key: str


def _parsed(tokens: TokenizedText, prefix: bool) -> ParsedTerm:
    last = len(tokens) - 1
    return ParsedTerm(
        key=tokens.text[:-1] if prefix else tokens.text,
        size=len(tokens),
        allowed_breaks=frozenset(tokens.breaks_between(0, last)),
        case_key=tokens.case_key(0, last),
    )


def parse_alias(alias: str) -> ParsedTerm | None:
    """An entity alias as a whole-word pattern; None when it holds no letter or digit.

    A `*` in an alias is punctuation like any other: wildcards are for keywords only.
    """
    tokens = tokenize(alias)
    return _parsed(tokens, prefix=False) if len(tokens) else None


def parse_keyword(rule_id: str, keyword: str) -> ParsedTerm:
    """A rule's keyword as a pattern, refusing what the contract does not define.

    A trailing `*` right after a word of at least `MIN_WILDCARD_PREFIX` letters makes that
    last word a prefix (`weapon*`, `military supp*`); a `*` anywhere else, after a shorter
    word, or a keyword without a letter or digit, is a `RuleError` naming the rule.
    """
    stripped = keyword.strip()
    inner = stripped.rstrip("*")
    if "*" in inner:
        raise RuleError(
            f"rule {_shown(rule_id)}: keyword {_shown(keyword)}: `*` is only allowed at the end of "
            "the last word (a prefix wildcard such as `weapon*`)"
        )
    tokens = tokenize(inner)
    prefix = inner != stripped
    if prefix and (not len(tokens) or tokens.ends[-1] != len(inner)):
        raise RuleError(
            f"rule {_shown(rule_id)}: keyword {_shown(keyword)}: `*` must directly follow a word, "
            "as in `weapon*`"
        )
    if not len(tokens):
        raise RuleError(
            f"rule {_shown(rule_id)}: keyword {_shown(keyword)} has no letter or digit in it"
        )
    short = q.short_wildcard(inner) if prefix else None
    if short is not None:  # the same rule, and words, as for a query's wildcard
        raise RuleError(f"rule {_shown(rule_id)}: keyword {_shown(keyword)}: {short}")
    return _parsed(tokens, prefix)


def _shown(text: str) -> str:
    """Text from a rule quoted in a message, cut after 60 characters (a file can hold anything)."""
    return repr(shorten(text))


@dataclass(slots=True)
class PatternInfo:
    """One automaton key: its length in tokens, and the terms sharing it."""

    key: str
    size: int
    terms: list[int] = field(default_factory=list)


@dataclass(slots=True)
class TermInfo:
    """A pattern with its allowed sentence breaks, and who uses it.

    `aliases` lists (entity number, case key or None); a case key means an `exact` alias,
    whose hit must have exactly that case.
    """

    pattern: int
    allowed_breaks: frozenset[int]
    aliases: list[tuple[int, str | None]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule by numbers: (name as written, entity) and (keyword as written, term) pairs.

    `query` is the compiled Boolean query, if the rule has one; `languages` the rule's
    `languages:`, if it has them (the article's language must be one of them).
    """

    id: str
    entities: tuple[tuple[str, int], ...]
    all: tuple[tuple[str, int], ...]
    any: tuple[tuple[str, int], ...]
    none: tuple[int, ...]
    query: Condition | None = None
    languages: frozenset[str] | None = None
    prominent: bool = False  # every entity of `entities` must be prominent in the article
    # The same numbers without repeats, for the per-candidate check.
    need_entities: frozenset[int] = field(init=False)
    need_terms: frozenset[int] = field(init=False)
    any_terms: frozenset[int] = field(init=False)
    none_terms: frozenset[int] = field(init=False)
    positive: tuple[tuple[str, int], ...] = field(init=False)  # `all` then `any`, for hits

    def __post_init__(self) -> None:
        object.__setattr__(self, "need_entities", frozenset(e for _, e in self.entities))
        object.__setattr__(self, "need_terms", frozenset(t for _, t in self.all))
        object.__setattr__(self, "any_terms", frozenset(t for _, t in self.any))
        object.__setattr__(self, "none_terms", frozenset(self.none))
        object.__setattr__(self, "positive", (*self.all, *self.any))


@dataclass(frozen=True)
class CompiledSet:
    """Everything `Matcher` needs per article, built once and never changed afterwards.

    `rules` are sorted by id, so evaluating candidates in index order gives sorted output.
    `wake_offsets`/`wake_table` are the anchor index by automaton pattern (for
    `speedups.gather`; `filed` reads it): the rules an article wakes when the pattern occurs
    in it (a rule filed under an entity is listed under every pattern of its aliases);
    `fuzzy_rules` are woken by every article, because a fuzzy hit needs no
    pattern. `entity_patterns` lists each entity's alias patterns, `entity_words` those that
    are one word and case-insensitive (a hit of one of them is the entity, unless a longer
    alias contains it), `alias_patterns` every pattern that is someone's alias, and
    `containers` maps an alias pattern to the longer alias patterns that contain its words,
    with the word offset (for suppression). `compound_patterns` are the patterns of
    entities' compounds (`Entity.compounds`), and `overlaps` maps each to the other alias
    patterns whose hits can overlap its hits, with their offset (a hit so overlapped, or
    right after a number, does not count). `word_offsets`/
    `word_table` list, per one-word pattern, the terms rules use as keywords that it is
    (they occur as soon as it is hit); `phrase_terms` maps each longer pattern to its keyword
    terms, which occur where one of its hits crosses no sentence break they forbid.
    `rule_table` and `rule_offsets` hold every rule's keyword
    conditions for `speedups.rule_matches`.
    """

    automaton: PatternSearch | None  # None when there is no term at all
    patterns: tuple[PatternInfo, ...]
    terms: tuple[TermInfo, ...]
    entities: tuple[Entity, ...]
    rules: tuple[CompiledRule, ...]
    wake_offsets: bytes
    wake_table: bytes
    fuzzy_rules: tuple[int, ...]
    fuzzy: FuzzyIndex | None
    entity_patterns: tuple[tuple[int, ...], ...]
    entity_words: tuple[tuple[int, ...], ...]
    alias_patterns: frozenset[int]
    containers: dict[int, tuple[tuple[int, int], ...]]
    compound_patterns: frozenset[int]
    overlaps: dict[int, tuple[tuple[int, int], ...]]
    word_offsets: bytes
    word_table: bytes
    phrase_terms: dict[int, tuple[int, ...]]
    phrase_patterns: frozenset[int]
    rule_table: bytes
    rule_offsets: bytes

    def filed(self) -> Iterator[tuple[int, Sequence[int]]]:
        """(pattern, the rules filed under it) for every pattern that has some."""
        starts = memoryview(self.wake_offsets).cast("i")
        rules = memoryview(self.wake_table).cast("i")
        for pattern in range(len(starts) - 1):
            if starts[pattern] != starts[pattern + 1]:
                yield pattern, rules[starts[pattern] : starts[pattern + 1]]


def _entity_patterns(
    builder: _Builder,
) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]]:
    """Per entity: all its alias patterns, and those one word long and case-insensitive."""
    patterns: list[dict[int, None]] = [{} for _ in builder.entities]
    words: list[dict[int, None]] = [{} for _ in builder.entities]
    for term in builder.terms:
        one_word = builder.patterns[term.pattern].size == 1
        compound = term.pattern in builder.compound_patterns
        for entity, exact in term.aliases:
            patterns[entity][term.pattern] = None
            if one_word and exact is None and not compound:
                words[entity][term.pattern] = None
    return tuple(map(tuple, patterns)), tuple(map(tuple, words))


_INNER_WORDS = 32
"""The longest alias `_containers` looks for inside longer ones."""


def _containers(
    builder: _Builder, aliases: frozenset[int]
) -> dict[int, tuple[tuple[int, int], ...]]:
    """Alias pattern -> (longer alias pattern containing its words, word offset) pairs.

    A hit can only lie strictly inside a longer alias hit whose words contain its own, so
    these are the only hits suppression ever has to look at. Inner aliases longer than
    `_INNER_WORDS` are not looked for (names are far shorter; the loader refuses user
    aliases over 20 words): each alias costs at most its length times that, not its square.
    """
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for longer in aliases:
        words = builder.patterns[longer].key.split()
        for start in range(len(words)):
            for stop in range(start + 1, min(len(words), start + _INNER_WORDS) + 1):
                if stop - start == len(words):
                    continue
                inner = builder.pattern_ids.get(f" {' '.join(words[start:stop])} ")
                if inner is not None and inner in aliases:
                    found[inner].append((longer, start))
    return {pattern: tuple(pairs) for pattern, pairs in found.items()}


def _block_with(builder: _Builder, blockers: Iterable[Entity]) -> None:
    """Compile the blockers' aliases that can suppress a hit of an entity the rules know.

    Suppression drops an entity hit lying inside a longer alias hit (`_containers`), so a
    blocker's alias matters only if its words hold some known alias's words; keyword hits
    are never suppressed. The built-in gazetteer has 32,000 names in 20 languages, and
    compiling them all cost every load half a second, a one-rule `monitor check` included;
    for `entities: [NATO]` a few dozen of them can matter. A fuzzy entity takes them all:
    its misspellings are looked for only in words no alias hit covers, and any alias hit
    (a country's name) covers words.
    """
    if any(entity.fuzzy is not None for entity in builder.entities):
        for entity in blockers:
            builder.entity(entity)
        return
    names = {builder.patterns[term.pattern].key for term in builder.terms if term.aliases}
    words = {word for name in names for word in name.split()}
    # A compound's hit also gives way to an alias overlapping it (`_overlaps`): any alias
    # with one of a compound's words may.
    compound = {word for p in builder.compound_patterns for word in builder.patterns[p].key.split()}

    def holds_a_name(alias: str) -> bool:
        found = folded_words(alias)
        if words.isdisjoint(found):
            return False
        if not compound.isdisjoint(found):
            return True
        return any(
            f" {' '.join(found[start:stop])} " in names
            for start in range(len(found))
            for stop in range(start + 1, min(len(found), start + _INNER_WORDS) + 1)
        )

    for entity in blockers:
        builder.entity(entity, holds_a_name)


def _overlaps(builder: _Builder, aliases: frozenset[int]) -> dict[int, tuple[tuple[int, int], ...]]:
    """Compound pattern -> (other alias pattern that can overlap it, its start offset) pairs.

    An ordinary alias overlaps a compound's hit where the alias ends with the compound's
    first words (offset < 0: it starts before) or starts with its last words (offset > 0):
    in 其中美国 ("among them the US") 美国 starts with 中美's last word. Such a compound
    hit does not count (`scan.Occurrences`); an alias containing it or inside it is the
    longest-match rule's business, and two compounds may overlap ("中美日": both count).
    """
    compounds = builder.compound_patterns
    longest = max((builder.patterns[c].size for c in compounds), default=0)
    ends: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
    starts: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for pattern in aliases - compounds:
        words = builder.patterns[pattern].key.split()
        for k in range(1, min(len(words), longest)):
            ends[tuple(words[-k:])].append((pattern, len(words) - k))
            starts[tuple(words[:k])].append(pattern)
    found: dict[int, tuple[tuple[int, int], ...]] = {}
    for compound in compounds:
        words = builder.patterns[compound].key.split()
        pairs: list[tuple[int, int]] = []
        for k in range(1, len(words)):
            pairs += [(p, -before) for p, before in ends.get(tuple(words[:k]), ())]
            pairs += [(p, len(words) - k) for p in starts.get(tuple(words[-k:]), ())]
        if pairs:
            found[compound] = tuple(dict.fromkeys(pairs))
    return found


class _Builder:
    """Accumulates patterns, terms and entities, sharing identical ones."""

    def __init__(self) -> None:
        self.patterns: list[PatternInfo] = []
        self.pattern_ids: dict[str, int] = {}
        self.terms: list[TermInfo] = []
        self.term_ids: dict[tuple[str, frozenset[int]], int] = {}
        self.keyword_ids: dict[str, int] = {}
        self.entities: list[Entity] = []
        self.entity_ids: dict[Entity, int] = {}
        self.compound_patterns: set[int] = set()

    def term(self, parsed: ParsedTerm) -> int:
        pattern = self.pattern_ids.get(parsed.key)
        if pattern is None:
            pattern = len(self.patterns)
            self.pattern_ids[parsed.key] = pattern
            self.patterns.append(PatternInfo(parsed.key, parsed.size))
        term_key = (parsed.key, parsed.allowed_breaks)
        term = self.term_ids.get(term_key)
        if term is None:
            term = len(self.terms)
            self.term_ids[term_key] = term
            self.terms.append(TermInfo(pattern, parsed.allowed_breaks))
            self.patterns[pattern].terms.append(term)
        return term

    def keyword(self, rule_id: str, keyword: str) -> int:
        term = self.keyword_ids.get(keyword)
        if term is None:  # rules repeat keywords a lot: parse each spelling once
            term = self.term(parse_keyword(rule_id, keyword))
            self.keyword_ids[keyword] = term
        return term

    def entity(self, entity: Entity, keep: Callable[[str], bool] | None = None) -> int:
        """Number an entity, compiling its aliases the first time it is seen.

        The canonical name counts as a case-insensitive alias unless it is listed as `exact`;
        compounds are case-insensitive aliases whose patterns are remembered
        (`compound_patterns`) for the checks only their hits get (`_overlaps`).
        Aliases with no letter or digit are skipped: they could never match a word, and so
        are those `keep` says no to (a blocker's that can suppress nothing: `_block_with`).
        """
        known = self.entity_ids.get(entity)
        if known is not None:
            return known
        number = len(self.entities)
        self.entity_ids[entity] = number
        self.entities.append(entity)
        loose = dict.fromkeys(
            [*entity.aliases, *([] if entity.name in entity.exact else [entity.name])]
        )
        pairs = [
            *((a, False, False) for a in loose),
            *((a, True, False) for a in entity.exact),
            *((a, False, True) for a in entity.compounds),
        ]
        for alias, exact, compound in pairs:
            if keep is not None and not keep(alias):
                continue
            parsed = parse_alias(alias)
            if parsed is None:
                continue
            term = self.term(parsed)
            if compound:
                self.compound_patterns.add(self.terms[term].pattern)
            entry = (number, parsed.case_key if exact else None)
            if entry not in self.terms[term].aliases:
                self.terms[term].aliases.append(entry)
        return number

    def automaton(self) -> PatternSearch | None:
        if not self.patterns:
            return None
        return pattern_search([pattern.key for pattern in self.patterns])


class _AnchorCosts:
    """What filing a rule under a set of anchors costs: the expected share of articles that
    would wake it (the sum of its patterns' shares; a fuzzy entity wakes every article)."""

    def __init__(
        self,
        builder: _Builder,
        weights: TermWeights,
        entity_patterns: tuple[tuple[int, ...], ...],
    ) -> None:
        self._builder = builder
        self._weights = weights
        self._entity_patterns = entity_patterns
        self._patterns: dict[int, float] = {}
        self._anchors: dict[Anchor, float] = {}

    def pattern(self, number: int) -> float:
        known = self._patterns.get(number)
        if known is None:
            key = self._builder.patterns[number].key
            known = self._patterns[number] = self._weights.pattern_share(key)
        return known

    def name(self, number: int) -> float:
        """An entity name's pattern: weighed without its script's lists (`listed_share`)."""
        key = self._builder.patterns[number].key
        return self._weights.pattern_share(key, by_script=False)

    def anchor(self, anchor: Anchor) -> float:
        known = self._anchors.get(anchor)
        if known is None:
            kind, number = anchor
            builder = self._builder
            if kind == boolean.TERM:
                known = self.pattern(builder.terms[number].pattern)
            else:
                fuzzy = builder.entities[number].fuzzy is not None
                known = sum(map(self.name, self._entity_patterns[number])) + fuzzy
            self._anchors[anchor] = known
        return known

    def __call__(self, anchors: frozenset[Anchor]) -> float:
        return sum(map(self.anchor, anchors))


def _anchor(rule: CompiledRule, cost: _AnchorCosts) -> frozenset[Anchor]:
    """The index entries for a rule: the cheapest set of terms or entities it needs.

    Each required keyword and each entity is one option, the `any` keywords together
    another (every match contains one of them), and what the query needs (`boolean.need`,
    itself chosen by cost); the option the fewest articles are expected to contain wins, so
    `all: [policy]` beside `any: [semiconductor, chipmaker]` files the rule under the two
    rare words.
    """
    options = [frozenset({(boolean.TERM, term)}) for _, term in rule.all]
    options += [frozenset({(boolean.ENTITY, entity)}) for _, entity in rule.entities]
    if rule.any:
        options.append(frozenset((boolean.TERM, term) for _, term in rule.any))
    if rule.query is not None:
        needed = boolean.need(rule.query, cost)
        if needed is None:  # the parser refuses such queries; a hand-built AST may not
            raise RuleError(
                f"rule {rule.id!r}: the query matches articles without any of "
                "its terms, so it cannot be indexed"
            )
        options.append(needed)
    return min(options, key=cost)


def _compile_query(rule: Rule, ruleset: RuleSet, builder: _Builder) -> Condition | None:
    """The rule's query, parsed by the loader (`ruleset.queries`) or here, then numbered."""
    if rule.query is None:
        return None
    ast = ruleset.queries.get(rule.id)
    if ast is None:
        try:
            ast = q.parse_query(rule.query)
        except q.QueryError as exc:
            raise RuleError(
                f"rule {rule.id!r}: query error at column {exc.column}: {exc.message}"
            ) from exc

    def entity(node: q.Entity) -> int:
        return builder.entity(_resolved(rule, ruleset, node.name))

    return boolean.compile_query(ast, lambda node: builder.keyword(rule.id, node.label), entity)


def _resolved(rule: Rule, ruleset: RuleSet, name: str) -> Entity:
    entity = ruleset.entities.get(name)
    if entity is None:
        raise RuleError(f"rule {rule.id!r}: entity {name!r} was not resolved by the loader")
    return entity


def _compile_rule(rule: Rule, ruleset: RuleSet, builder: _Builder) -> CompiledRule:
    entities = [(name, builder.entity(_resolved(rule, ruleset, name))) for name in rule.entities]
    return CompiledRule(
        id=rule.id,
        entities=tuple(entities),
        all=tuple((kw, builder.keyword(rule.id, kw)) for kw in rule.keywords.all),
        any=tuple((kw, builder.keyword(rule.id, kw)) for kw in rule.keywords.any),
        none=tuple(builder.keyword(rule.id, kw) for kw in rule.keywords.none),
        query=_compile_query(rule, ruleset, builder),
        languages=None if rule.languages is None else frozenset(rule.languages),
        prominent=rule.prominent,
    )


def _fuzzy_index(builder: _Builder, rules: Iterable[CompiledRule]) -> FuzzyIndex | None:
    """Fuzzy aliases of the entities rules name (blockers only block, so they never fuzz)."""
    wanted = sorted(
        {number for rule in rules for _, number in rule.entities}
        | {
            leaf.number
            for rule in rules
            if rule.query is not None
            for leaf in boolean.leaves(rule.query)
            if leaf.kind == boolean.ENTITY
        }
    )
    entries: list[FuzzyAlias] = []
    for number in wanted:
        entity = builder.entities[number]
        if entity.fuzzy is None:
            continue
        for alias in dict.fromkeys([entity.name, *entity.aliases]):
            if alias in entity.exact:
                continue
            words = tuple(tokenize(alias).norms)
            if words:
                entries.append(FuzzyAlias(number, words, entity.fuzzy))
    return FuzzyIndex(entries) if entries else None


def _rule_table(rules: Iterable[CompiledRule]) -> tuple[bytes, bytes]:
    table, offsets = rule_table(
        [
            (
                bool(rule.entities) or rule.query is not None or rule.languages is not None,
                [term for _, term in rule.all],
                [term for _, term in rule.any],
                rule.none,
                [term for _, term in rule.positive],
            )
            for rule in rules
        ]
    )
    return table, offsets


def _wake_table(woken: dict[int, set[int]], patterns: int) -> tuple[bytes, bytes]:
    return run_table([sorted(woken.get(number, ())) for number in range(patterns)])


def _keyword_terms(builder: _Builder) -> tuple[bytes, bytes, dict[int, tuple[int, ...]]]:
    """Keyword terms by pattern (query terms are keywords too): one-word patterns as a
    `gather` table, longer ones as a dict."""
    found: dict[int, list[int]] = defaultdict(list)
    for term in sorted(set(builder.keyword_ids.values())):
        found[builder.terms[term].pattern].append(term)
    words = [
        found.get(number, ()) if pattern.size == 1 else ()
        for number, pattern in enumerate(builder.patterns)
    ]
    offsets, table = run_table(words)
    phrases = {p: tuple(t) for p, t in found.items() if builder.patterns[p].size > 1}
    return offsets, table, phrases


def compile_ruleset(
    ruleset: RuleSet, blockers: Iterable[Entity] = (), weights: TermWeights | None = None
) -> CompiledSet:
    """Build the automaton, the term and entity tables and the anchor index.

    `weights` say how often each pattern occurs in articles, to file each rule under its
    rarest anchor; by default the English word list's estimate.

    Raises ValueError for what the matcher cannot run: a `query` that does not parse, a
    keyword with a misplaced `*` or without letters, an entity name the loader left unresolved.
    """
    builder = _Builder()
    compiled = sorted(
        (_compile_rule(rule, ruleset, builder) for rule in ruleset.rules), key=lambda r: r.id
    )
    # Every entity the rule set knows blocks, even one no rule names any more.
    for entity in ruleset.entities.values():
        builder.entity(entity)
    _block_with(builder, blockers)
    fuzzy = _fuzzy_index(builder, compiled)
    entity_patterns, entity_words = _entity_patterns(builder)
    woken: dict[int, set[int]] = defaultdict(set)
    fuzzy_rules: list[int] = []
    cost = _AnchorCosts(builder, weights or TermWeights(), entity_patterns)
    for index, rule in enumerate(compiled):
        for kind, number in _anchor(rule, cost):
            if kind == boolean.TERM:
                woken[builder.terms[number].pattern].add(index)
                continue
            for pattern in entity_patterns[number]:
                woken[pattern].add(index)
            if fuzzy is not None and builder.entities[number].fuzzy is not None:
                fuzzy_rules.append(index)
    aliases = frozenset(term.pattern for term in builder.terms if term.aliases)
    wake_offsets, wake_table = _wake_table(woken, len(builder.patterns))
    word_offsets, word_table, phrases = _keyword_terms(builder)
    rule_rows, rule_offsets = _rule_table(compiled)
    return CompiledSet(
        automaton=builder.automaton(),
        patterns=tuple(builder.patterns),
        terms=tuple(builder.terms),
        entities=tuple(builder.entities),
        rules=tuple(compiled),
        wake_offsets=wake_offsets,
        wake_table=wake_table,
        fuzzy_rules=tuple(sorted(set(fuzzy_rules))),
        fuzzy=fuzzy,
        entity_patterns=entity_patterns,
        entity_words=entity_words,
        alias_patterns=aliases,
        containers=_containers(builder, aliases),
        compound_patterns=frozenset(builder.compound_patterns),
        overlaps=_overlaps(builder, aliases),
        word_offsets=word_offsets,
        word_table=word_table,
        phrase_terms=phrases,
        phrase_patterns=frozenset(phrases),
        rule_table=rule_rows,
        rule_offsets=rule_offsets,
    )
