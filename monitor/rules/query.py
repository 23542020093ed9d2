"""Boolean queries (`query:` in a rule): parse the text into an immutable AST, print it back.

The syntax is the contract's ("Boolean queries"): terms, "phrases", `word*`, `entity:NAME`,
`lang:CODE`,
AND (or just a space), OR, NOT, `NEAR/n`, `ONEAR/n`, `title:`/`body:` and parentheses, with
upper-case operators and the precedence field > NEAR > NOT > AND > OR. This module is the
public face of two smaller ones: `query_ast` (the nodes, their meaning, the printer) and
`query_parser` (the lexer and the recursive-descent parser, with its errors and caps).
How a query is evaluated on an article is `monitor.matching.boolean`.
"""

from monitor.errors import QueryError
from monitor.rules.query_ast import (
    DEFAULT_DISTANCE,
    MAX_DISTANCE,
    MIN_WILDCARD_PREFIX,
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
    entities,
    languages,
    matches_empty,
    short_wildcard,
    to_text,
)
from monitor.rules.query_parser import MAX_DEPTH, operator_words, parse_query

__all__ = [
    "DEFAULT_DISTANCE",
    "MAX_DEPTH",
    "MAX_DISTANCE",
    "MIN_WILDCARD_PREFIX",
    "And",
    "Entity",
    "Field",
    "FieldName",
    "Lang",
    "Near",
    "Not",
    "Or",
    "QueryError",
    "QueryNode",
    "Term",
    "children",
    "entities",
    "languages",
    "matches_empty",
    "operator_words",
    "parse_query",
    "short_wildcard",
    "to_text",
]
