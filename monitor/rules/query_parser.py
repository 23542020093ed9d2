"""The parser of Boolean queries: query text in, `monitor.rules.query_ast` nodes out.

The grammar, loosest first (the contract's precedence, tightest being field scoping)::

    query   := or END
    or      := and ("OR" and)*
    and     := not (["AND"] not)*          adjacent operands are ANDed
    not     := "NOT" not | near
    near    := field [("NEAR" | "NEAR/n" | "ONEAR" | "ONEAR/n") field]
    field   := ("title:" | "body:" | "lead:") primary | primary
    primary := WORD | "PHRASE" | entity:NAME | lang:CODE | lang:(CODE OR CODE ...) | "(" or ")"

Operators are upper case only, so a lower-case `and`, `or` or `near` is an ordinary word and
never changes what a query means behind the writer's back. The parser is hand-written
recursive descent: it is small, and every error can say what was expected and where (a
1-based column in the query text), which is what a rule writer needs from `monitor check`.

Some queries parse but are refused, because they would not do what their writer expects:

* `NEAR/n` above `MAX_DISTANCE`: proximity that far is no longer proximity, and the cap bounds
  the work per article;
* a wildcard with fewer than `MIN_WILDCARD_PREFIX` letters (`we*` matches half the language);
* NEAR operands other than terms, phrases, entities, ORs of those or a field scope of those:
  "`NOT a` near `b`" or "`a AND b` near `c`" have no single position to measure from, and
  `a NEAR b NEAR c` is ambiguous;
* a query that would hold for an article containing none of its terms (`NOT a`,
  `a OR NOT b`): it would alert on nearly every article, and the matcher could not file it
  under any term (see `matches_empty`);
* a field scope inside another (`title:(body:x)`), which could only ever be empty or redundant;
* `lang:` under a field scope or beside NEAR: the language is the whole article's, and has
  no position; and a code that is no ISO 639 language code (`lang:german`: write `lang:de`).

`lang:` is a condition on the article, not a term: a query needs a term besides it
(`lang:de AND entity:NATO`), for the same reason as `NOT a` alone is refused.

A query comes from a file anyone with access to the rules folder can write, so nothing in it
may make loading fail in a way `monitor check` cannot report: parentheses and NOTs together
nest at most `MAX_DEPTH` deep (every later pass over the tree, from `matches_empty` to the
matcher's evaluation, recurses once per level, so this one cap bounds them all; an AND or OR
chain is one flat node however long), and a `NEAR/n` distance is refused by its length before
`int()` sees it (Python refuses to convert more than 4,300 digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from monitor import langcodes
from monitor.errors import QueryError
from monitor.rules.query_ast import (
    DEFAULT_DISTANCE,
    MAX_DISTANCE,
    And,
    Entity,
    Field,
    FieldName,
    Lang,
    Near,
    Not,
    Or,
    QueryNode,
    Term,
    children,
    languages,
    matches_empty,
    short_wildcard,
)
from monitor.textsafe import shorten

MAX_DEPTH = 50
"""Deepest nesting of parentheses and NOTs, counted together (so a pathological query, such as
a thousand chained NOTs, cannot exhaust the stack here or in any later pass over its tree)."""

_DISTANCE_DIGITS = len(str(MAX_DISTANCE))
"""More significant digits than this is a distance above `MAX_DISTANCE`, known without `int()`."""

_SHOWN = 40
"""Longest piece of the query quoted back in a message; more is cut (`abc…`)."""

_cut = partial(shorten, most=_SHOWN)

_QUOTES = '"\u201c\u201d'  # straight and curly double quotes, as pasted from documents
_WORD_CHAR = re.compile(r"[^\W_]")
_BARE = re.compile(f"[^\\s(){_QUOTES}]+")
"""A bare word: up to whitespace, a parenthesis or a quote (one regex, not a loop per char)."""
_LAST_WORD = re.compile(r"[^\W_]+$")
_PREFIX = re.compile(r"([A-Za-z]+):")
_NEAR_OPERATOR = re.compile(r"O?NEAR(/.*)?")


_OPERATOR_WORDS = frozenset({"and", "or", "not", "near", "onear"})
_MAYBE_OPERATOR_WORD = re.compile(r"(?<![^\W_])(?:and|or|not|o?near)(?![^\W_])", re.IGNORECASE)


def operator_words(text: str) -> list[tuple[str, int]]:
    """Words between two terms that read as operators in another case (`a and b`, `x Near y`),
    with their columns: the query searches for them as words, which a writer rarely means.

    A word in quotes, or right after a field (`title:or`), is meant as a word. Meant for a
    query that parses; returns nothing for one that does not.
    """
    if _MAYBE_OPERATOR_WORD.search(text) is None:  # most queries: no need to lex again
        return []
    try:
        tokens = _lex(text)
    except QueryError:
        return []
    found = []
    for before, token, after in zip(tokens, tokens[1:], tokens[2:], strict=False):
        word, slash, distance = token.text.lower().partition("/")
        if (
            token.kind == "word"
            and word in _OPERATOR_WORDS
            and (not slash or (word.endswith("near") and distance.isdigit()))
            and before.kind in ("word", "phrase", ")")
            and after.kind in ("word", "phrase", "field", "(", "NOT")
        ):
            found.append((token.text, token.column))
    return found


def parse_query(text: str) -> QueryNode:
    """Parse a query; raises `QueryError` (a ValueError) with a 1-based column on any problem."""
    node = _Parser(text).parse()
    if matches_empty(node):
        culprit, under_or = _negative_culprit(node, under_or=False)
        if languages(culprit) and not _has_term(culprit):
            raise QueryError(
                "`lang:` only narrows which articles the query looks at: give the query a "
                "term that must appear as well, as in `lang:de AND entity:NATO` (or use the "
                "rule key `languages:` beside the rule's entities or keywords)",
                culprit.column,
            )
        if under_or:
            raise QueryError(
                "an OR branch that only excludes (`a OR NOT b`) matches every article without "
                "the excluded words: give each OR branch a term that must appear, or write "
                "`a AND NOT b`",
                culprit.column,
            )
        raise QueryError(
            "a query needs at least one term that must appear: NOT only excludes "
            "(write `a AND NOT b`)",
            culprit.column,
        )
    return node


def _has_term(node: QueryNode) -> bool:
    if isinstance(node, Term | Entity):
        return True
    return any(_has_term(child) for child in children(node))


def _negative_culprit(node: QueryNode, under_or: bool) -> tuple[QueryNode, bool]:
    """The NOT that makes a `matches_empty` query match everything, and whether under an OR."""
    if isinstance(node, Or):
        first = next(child for child in node.children if matches_empty(child))
        return _negative_culprit(first, under_or=True)
    if isinstance(node, And):
        return _negative_culprit(node.children[0], under_or)
    if isinstance(node, Field):
        return _negative_culprit(node.child, under_or)
    return node, under_or


# --- lexing -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    """One lexical token; `kind` is word, phrase, field, (, ), AND, OR, NOT, NEAR or END."""

    kind: str
    text: str
    column: int
    distance: int = DEFAULT_DISTANCE
    ordered: bool = False


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token(ch, ch, i + 1))
            i += 1
        elif ch in _QUOTES:
            i = _lex_phrase(text, i, tokens)
        else:
            i = _lex_bare(text, i, tokens)
    tokens.append(_Token("END", "", n + 1))
    return tokens


def _lex_phrase(text: str, start: int, tokens: list[_Token]) -> int:
    end = next((j for j in range(start + 1, len(text)) if text[j] in _QUOTES), -1)
    if end < 0:
        raise QueryError("unclosed quote: expected a closing '\"'", start + 1)
    if text[end + 1 : end + 2] == "*":
        raise QueryError('put the `*` inside the quotes, as in "arms deal*"', end + 2)
    tokens.append(_Token("phrase", text[start + 1 : end], start + 1))
    return end + 1


def _lex_bare(text: str, start: int, tokens: list[_Token]) -> int:
    found = _BARE.match(text, start)
    end = found.end() if found else start
    raw = text[start:end]
    column = start + 1
    prefix = _PREFIX.match(raw)
    if prefix:
        name = prefix.group(1).lower()
        after = text[start + prefix.end() : start + prefix.end() + 1]
        if name in ("title", "body", "lead", "entity", "lang"):
            if not after or after.isspace():
                raise QueryError(_expected_after_field(name), column)
            tokens.append(_Token("field", name, column))
            return start + prefix.end()
        if after and (_WORD_CHAR.match(after) or after in "(" + _QUOTES):
            raise QueryError(
                f"unknown field `{_cut(prefix.group(0))}`: the fields are `title:`, `body:` and "
                "`lead:` (and `entity:`, `lang:`); put the text in quotes to search for it "
                f'("{_cut(raw)}")',
                column,
            )
    if raw in ("AND", "OR", "NOT"):
        tokens.append(_Token(raw, raw, column))
    elif _NEAR_OPERATOR.fullmatch(raw):
        tokens.append(_near_token(raw, column))
    else:
        tokens.append(_Token("word", raw, column))
    return end


def _near_token(raw: str, column: int) -> _Token:
    name, _, number = raw.partition("/")
    ordered = name == "ONEAR"
    if raw in ("NEAR", "ONEAR"):
        return _Token("NEAR", raw, column, DEFAULT_DISTANCE, ordered)
    if not (number.isascii() and number.isdigit()):
        raise QueryError(f"{name}/n needs a number, as in {name}/5", column)
    significant = number.lstrip("0") or "0"  # int() refuses 4,300 digits, zeros included
    if len(significant) > _DISTANCE_DIGITS or int(significant) > MAX_DISTANCE:
        got = significant if len(significant) <= _SHOWN else f"a {len(significant)}-digit number"
        raise QueryError(
            f"{name} distance is at most {MAX_DISTANCE} words (got {got}); for a looser "
            "link use AND",
            column,
        )
    distance = int(significant)
    if len(number) > _DISTANCE_DIGITS:  # leading zeros: messages quote the operator short
        raw = f"{name}/{distance}"
    return _Token("NEAR", raw, column, distance, ordered)


def _expected_after_field(name: str) -> str:
    if name == "lang":
        return "expected a language code right after `lang:`, as in lang:de or lang:(de OR fr)"
    if name == "entity":
        return (
            "expected an entity name right after `entity:`, as in entity:NATO or "
            'entity:"South Korea"'
        )
    return f"expected a term, phrase or '(' right after `{name}:`"


# --- parsing ------------------------------------------------------------------------------------

_OPERAND_START = frozenset({"word", "phrase", "field", "(", "NOT"})


class _Parser:
    """Recursive descent over the token list; one method per precedence level."""

    def __init__(self, text: str) -> None:
        self.tokens = _lex(text)
        self.pos = 0
        self.depth = 0  # open parentheses
        self.nots = 0  # NOTs being parsed, inside the innermost of them

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> QueryNode:
        if self.peek().kind == "END":
            raise QueryError("the query is empty", 1)
        node = self.or_(None)
        token = self.peek()
        if token.kind == ")":
            raise QueryError("unbalanced ')': there is no '(' to close", token.column)
        return node

    def or_(self, after: str | None) -> QueryNode:
        first = self.and_(after)
        children = [first]
        while self.peek().kind == "OR":
            self.take()
            children.append(self.and_("OR"))
        return first if len(children) == 1 else Or(tuple(children), column=first.column)

    def and_(self, after: str | None) -> QueryNode:
        first = self.not_(after)
        children = [first]
        while True:
            if self.peek().kind == "AND":
                self.take()
                children.append(self.not_("AND"))
            elif self.peek().kind in _OPERAND_START:
                children.append(self.not_(None))
            else:
                break
        return first if len(children) == 1 else And(tuple(children), column=first.column)

    def not_(self, after: str | None) -> QueryNode:
        if self.peek().kind == "NOT":
            token = self.take()
            if self.depth + self.nots >= MAX_DEPTH:
                raise _too_deep(token)
            self.nots += 1
            child = self.not_("NOT")
            self.nots -= 1
            return Not(child, column=token.column)
        return self.near(after)

    def near(self, after: str | None) -> QueryNode:
        left = self.field(after)
        if self.peek().kind != "NEAR":
            return left
        token = self.take()
        _check_near_operand(left, token.text)
        if self.peek().kind == "NOT":
            raise QueryError(
                f"{token.text} cannot take a NOT: write `(a {token.text} b) AND NOT c`",
                self.peek().column,
            )
        right = self.field(token.text)
        _check_near_operand(right, token.text)
        if self.peek().kind == "NEAR":
            raise QueryError(
                f"`a {token.text} b {self.peek().text} c` is ambiguous: join two proximity "
                "conditions with AND, as in `(a NEAR b) AND (b NEAR c)`",
                self.peek().column,
            )
        return Near(left, right, token.distance, token.ordered, column=left.column)

    def field(self, after: str | None) -> QueryNode:
        token = self.peek()
        if token.kind != "field" or token.text in ("entity", "lang"):
            return self.primary(after)
        self.take()
        child = self.primary(f"{token.text}:")
        inside = languages(child)
        if inside:
            raise QueryError(
                f"`lang:` inside `{token.text}:`: the language is the whole article's; write "
                f"it beside the scope, as in `lang:de AND {token.text}:x`",
                inside[0].column,
            )
        inner = _find_field(child)
        if inner is not None:
            raise QueryError(
                f"`{inner.field}:` inside `{token.text}:`: field scopes cannot be nested",
                inner.column,
            )
        names: dict[str, FieldName] = {"title": "title", "body": "body", "lead": "lead"}
        name = names[token.text]
        return Field(name, child, column=token.column)

    def primary(self, after: str | None) -> QueryNode:
        token = self.peek()
        if token.kind == "word":
            self.take()
            return _word_term(token)
        if token.kind == "phrase":
            self.take()
            return _phrase_term(token)
        if token.kind == "field" and token.text == "entity":
            self.take()
            return self.entity(token)
        if token.kind == "field" and token.text == "lang":
            self.take()
            return self.lang(token)
        if token.kind == "(":
            return self.group()
        raise self.expected(after, token)

    def entity(self, prefix: _Token) -> Entity:
        token = self.take()
        name = token.text.strip()
        if token.kind not in ("word", "phrase") or not name:
            raise QueryError(_expected_after_field("entity"), prefix.column)
        if "*" in name:
            raise QueryError(
                "an entity name cannot hold a wildcard `*`: entity:NAME already "
                "matches every name of the entity",
                token.column,
            )
        if not _WORD_CHAR.search(name):
            raise QueryError(
                f"`{_cut(name)}` is not an entity name: it has no letter or digit", token.column
            )
        return Entity(name, column=prefix.column)

    def lang(self, prefix: _Token) -> Lang:
        """`lang:de` or `lang:(de OR fr)`: codes only, joined by OR (an article has one
        language, so AND or NOT between codes would mean nothing or everything)."""
        token = self.take()
        if token.kind in ("word", "phrase"):
            return Lang((_language_code(token),), column=prefix.column)
        if token.kind != "(":
            raise QueryError(_expected_after_field("lang"), prefix.column)
        codes = [_language_code(self.take())]
        while self.peek().kind == "OR":
            self.take()
            codes.append(_language_code(self.take()))
        if self.peek().kind != ")":
            raise QueryError(
                "`lang:( … )` lists language codes joined by OR, as in lang:(de OR fr)",
                self.peek().column,
            )
        self.take()
        return Lang(tuple(dict.fromkeys(codes)), column=prefix.column)

    def group(self) -> QueryNode:
        opening = self.take()
        if self.depth + self.nots >= MAX_DEPTH:
            raise _too_deep(opening)
        if self.peek().kind == ")":
            raise QueryError(
                "empty parentheses: expected a term or '(' after '('", self.peek().column
            )
        self.depth += 1
        node = self.or_("'('")
        self.depth -= 1
        if self.peek().kind != ")":
            raise QueryError("unclosed '(': expected a matching ')'", opening.column)
        self.take()
        return node

    def expected(self, after: str | None, token: _Token) -> QueryError:
        if token.kind == ")" and self.depth == 0:
            return QueryError("unbalanced ')': there is no '(' to close", token.column)
        if after is None:
            shown = "(" if token.kind == "(" else _cut(token.text)
            return QueryError(f"expected a term or '(' before {shown}", token.column)
        if after.endswith(":"):
            return QueryError(_expected_after_field(after[:-1]), token.column)
        return QueryError(f"expected a term or '(' after {after}", token.column)


def _language_code(token: _Token) -> str:
    """A code of `lang:`, as articles carry it; else an error suggesting one (`german`)."""
    code = token.text.strip()
    if token.kind not in ("word", "phrase") or not code:
        raise QueryError(
            "`lang:( … )` lists language codes joined by OR, as in lang:(de OR fr)", token.column
        )
    try:
        return langcodes.checked(code)
    except ValueError as exc:
        raise QueryError(str(exc), token.column) from None


def _too_deep(token: _Token) -> QueryError:
    """The refusal of a `(` or NOT past `MAX_DEPTH` levels of the two together."""
    return QueryError(
        f"parentheses and NOTs nested too deeply (at most {MAX_DEPTH} levels)", token.column
    )


def _check_near_operand(node: QueryNode, operator: str) -> None:
    """Refuse NEAR operands that have no positions of their own (see the module docstring)."""
    bad = _bad_near_operand(node)
    if bad is None:
        return
    kind = {Not: "a NOT", And: "an AND", Near: "another NEAR", Lang: "a `lang:` condition"}[
        type(bad)
    ]
    raise QueryError(
        f"{operator} needs a term, phrase, entity or an OR of those on each side, not {kind}; "
        f"write `(a {operator} b) AND c` for a condition on more terms",
        bad.column,
    )


def _bad_near_operand(node: QueryNode) -> QueryNode | None:
    if isinstance(node, Term | Entity):
        return None
    if isinstance(node, Or):
        return next(
            (bad for child in node.children if (bad := _bad_near_operand(child)) is not None), None
        )
    if isinstance(node, Field):
        return _bad_near_operand(node.child)
    return node


def _find_field(node: QueryNode) -> Field | None:
    if isinstance(node, Field):
        return node
    return next(
        (found for child in children(node) if (found := _find_field(child)) is not None), None
    )


def _word_term(token: _Token) -> Term:
    raw, column = token.text, token.column
    star = raw.find("*")
    if 0 <= star < len(raw) - 1:
        raise QueryError(
            "`*` is only allowed at the end of a word (a prefix wildcard such as `weapon*`)",
            column + star,
        )
    if raw in ("&", "&&", "|", "||"):
        raise QueryError(f"`{raw}` is not an operator here: write AND or OR (upper case)", column)
    if len(raw) > 1 and raw[0] in "-!" and _WORD_CHAR.match(raw[1]):
        raise QueryError(f"`{raw[0]}` does not exclude here: write `NOT {_cut(raw[1:])}`", column)
    if len(raw) > 1 and raw[0] == "+" and _WORD_CHAR.match(raw[1]):
        raise QueryError(
            f"`+` is not needed: terms are required unless joined by OR; write `{_cut(raw[1:])}`",
            column,
        )
    return _term(raw, column, column + len(raw) - 1)


def _phrase_term(token: _Token) -> Term:
    content = token.text
    star = content.find("*")
    if 0 <= star < len(content.rstrip()) - 1:
        raise QueryError(
            "`*` is only allowed at the end of the last word (a prefix wildcard "
            'such as "arms deal*")',
            token.column + 1 + star,
        )
    text = content.strip()
    if not text:
        raise QueryError("empty phrase: put words between the quotes", token.column)
    return _term(text, token.column, token.column + len(content.rstrip()))


def _term(text: str, column: int, star_column: int) -> Term:
    """A term from a word or phrase text, checking its wildcard; `star_column`: where `*` is."""
    wildcard = text.endswith("*")
    inner = text[:-1] if wildcard else text
    if not _WORD_CHAR.search(inner):
        if wildcard:
            raise QueryError("`*` must directly follow a word, as in `weapon*`", star_column)
        raise QueryError(f"`{_cut(text)}` is not a term: it has no letter or digit", column)
    if wildcard:
        if _LAST_WORD.search(inner) is None:
            raise QueryError("`*` must directly follow a word, as in `weapon*`", star_column)
        short = short_wildcard(inner)
        if short is not None:
            raise QueryError(short, column)
    return Term(inner, wildcard, column=column)
