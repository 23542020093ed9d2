"""Pydantic models of rule files, and the loaded `RuleSet` the matcher compiles.

The models forbid unknown keys so that a misspelled key (`keyword:`) is an error rather
than a rule that silently matches everything or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from monitor import langcodes
from monitor.gazetteer.model import Entity
from monitor.rules.query import QueryNode

RULE_ID_PATTERN = r"^[A-Za-z0-9_-]+$"

MAX_NAME_WORDS = 20
"""Most words in a user entity's name or alias (the longest built-in one has 9). The matcher
looks for every shorter alias inside every longer one (so that the longer name wins), which
grew faster than the square of an alias's length: a 1,500-word alias took 5 s to compile."""

_WORD = re.compile(r"[^\W_]+")


def _few_words(name: str) -> str:
    """`name`, unless it has more than `MAX_NAME_WORDS` words (counting stops there) or
    ends with a `*`: an alias matches whole words, and a `*` was silently dropped
    (`Путин*` matched `Путин` alone, never `Путина`)."""
    if sum(1 for _ in islice(_WORD.finditer(name), MAX_NAME_WORDS + 1)) > MAX_NAME_WORDS:
        raise ValueError(f"an entity name or alias has at most {MAX_NAME_WORDS} words")
    if _WILDCARD.search(name):
        raise ValueError(
            f"`{name[:60]}`: a `*` is no wildcard in an entity's name or alias (they match "
            "whole words): list the forms news uses as aliases (`Путина`, `Путину`), or "
            "put the wildcard in a rule's keywords (`any: [Путин*]`)"
        )
    return name


_WILDCARD = re.compile(r"[^\W_]\*\s*\Z")  # at the end: `E*Trade` is a name


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _text(value: Any) -> Any:
    """`value` as text that can be stored and sent, or a `ValueError`; not a string: as is.

    A JSON or YAML escape can write half of a UTF-16 surrogate pair (`"\\ud800"`), which is
    no character: UTF-8 cannot encode it, so the database, a JSON line or an email refuses
    every alert that quotes it (the rule's description, a keyword it hit), and the alerts
    of the whole article with them. Such a rule is refused at load time instead. A complete
    pair (`"\\ud83d\\ude00"`, as a program writing JSON with ASCII escapes puts an emoji)
    becomes its character: JSON's parser joins the halves, YAML's leaves them apart.
    Checked before pydantic's own checks, whose message for it says nothing useful.
    """
    if not isinstance(value, str) or value.isascii() or _SURROGATE.search(value) is None:
        return value
    try:
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError as exc:
        code = int.from_bytes(exc.object[exc.start : exc.start + 2], "little")
        raise ValueError(
            f"holds `\\u{code:04x}`, half of a UTF-16 surrogate pair without the other half "
            "(an escape such as `\\ud800`): it is no character, and no alert quoting it "
            "could be stored or sent; write the character itself, or both halves of its pair"
        ) from None


_Text = Annotated[str, BeforeValidator(_text)]
"""Every text of a rule or an entity: free of lone surrogates (see `_text`)."""

_Name = Annotated[str, BeforeValidator(_text), AfterValidator(_few_words)]

MAX_TERMS = 10_000
"""Most items in one of a rule's lists: `keywords` `all`, `any` and `none`, and `entities`.
A real rule has a few dozen; a pasted list of names (every company in an index, every
sanctioned person) can reach thousands. What a list costs grows with its length: one rule
with 800,000 `any` terms (6.3 MB) took `monitor check` 12 s and 1.6 GB to compile. More
than this is better split into several rules, or several entities with their aliases."""

MAX_ALIASES = 1_000
"""Most `aliases` (and, separately, `exact` names) of one entity. The built-in entity with
the most has 93 (the United Nations); every alias is also looked for inside every longer
one when the matcher is compiled."""

MAX_NOTIFY = 1_000
"""Most channel names in a rule's `notify` (a config has a handful of channels)."""


def _at_most(limit: int, what: str, hint: str = "") -> BeforeValidator:
    """A cap on a list's length, checked before its items are: a list far over the cap is
    refused without validating (or building) what is in it. It leaves the JSON Schema as
    it is (the shipped copy in `rules/` is compared with `monitor schema`)."""

    def check(value: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) > limit:
            raise ValueError(
                f"at most {limit:,} {what} (got {len(value):,})" + (f"; {hint}" if hint else "")
            )
        return value

    return BeforeValidator(check)


_Terms = Annotated[list[_Text], _at_most(MAX_TERMS, "terms per list")]
_AnyTerms = Annotated[
    list[_Text], _at_most(MAX_TERMS, "terms per list", "split the list over several rules")
]
"""Only `any` gets the hint: rules are ORed, as `any` is, while `all`, `none` and a rule's
`entities` do not split into several rules without changing what they mean."""


def _language_code(code: str) -> str:
    """A code of `languages:` in the form articles carry (`DE` -> `de`; `monitor.langcodes`),
    else an error that says what to write (`german` -> `de`)."""
    return langcodes.checked(code)


_LanguageCode = Annotated[str, AfterValidator(_language_code)]

MAX_LANGUAGES = 200
"""Most codes in a rule's `languages:` (ISO 639-1 has 184)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntityDef(_Strict):
    """A user-defined entity in a rule file."""

    name: _Name = Field(min_length=1)
    aliases: Annotated[
        list[_Name], _at_most(MAX_ALIASES, "aliases per entity", "define several entities")
    ] = Field(default_factory=list)
    exact: Annotated[
        list[_Name], _at_most(MAX_ALIASES, "exact names per entity", "define several entities")
    ] = Field(default_factory=list)
    fuzzy: int | None = Field(default=None, ge=0, le=100)


class Keywords(_Strict):
    """Keyword conditions: every `all`, at least one `any` (when given), no `none`."""

    all: _Terms = Field(default_factory=list)
    any: _AnyTerms = Field(default_factory=list)
    none: _Terms = Field(default_factory=list)


class Rule(_Strict):
    """One watch rule. Its conditions (entities, keywords, query) are ANDed."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    description: _Text = ""
    entities: Annotated[list[_Text], _at_most(MAX_TERMS, "entities")] = Field(default_factory=list)
    keywords: Keywords = Field(default_factory=Keywords)
    query: _Text | None = None
    notify: Annotated[list[_Text] | None, _at_most(MAX_NOTIFY, "channels")] = None
    max_alerts_per_hour: int | None = Field(default=None, ge=1)
    # Sent at once, whatever a channel's digest or quiet hours say: breaking news.
    urgent: bool = False
    # Only articles in one of these languages (declared by the source, else detected);
    # an article whose language is unknown matches no rule that has `languages`.
    languages: Annotated[list[_LanguageCode] | None, _at_most(MAX_LANGUAGES, "languages")] = Field(
        default=None, min_length=1
    )
    # Every entity of `entities` must be prominent: in the title, in the lead (the first
    # `[matching] lead_words` words of the body) or mentioned `min_mentions` times.
    prominent: bool = False

    @model_validator(mode="after")
    def _prominent_needs_entities(self) -> Rule:
        if self.prominent and not self.entities:
            raise ValueError(
                "`prominent: true` is about the rule's `entities`, and it has none: list "
                "them under `entities:` (in a query, use `title:` or `lead:` for the same idea)"
            )
        return self

    @model_validator(mode="after")
    def _has_positive_condition(self) -> Rule:
        if not (self.entities or self.keywords.all or self.keywords.any or self.query):
            raise ValueError(
                "a rule needs something to look for: give `entities`, `keywords.all`, "
                "`keywords.any` or `query` (`keywords.none` alone would match every article)"
            )
        return self


class RuleFile(_Strict):
    """A rule file holding a list of rules and, optionally, entity definitions."""

    entities: list[EntityDef] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where something was defined, for `FILE:LINE: message` errors."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class RuleSet:
    """Every rule loaded from the rules folder, with entity names already resolved.

    `entities` maps each name a rule used (as the rule wrote it, in `entities:` or as
    `entity:NAME` in a query) to the resolved `Entity`, so the matcher never has to look names
    up again. `queries` maps the id of each rule with a `query` to its parsed AST; the matcher
    parses `rule.query` itself when a rule is missing there (a hand-built `RuleSet`).
    """

    rules: tuple[Rule, ...]
    entities: dict[str, Entity] = field(default_factory=dict)
    sources: dict[str, SourceRef] = field(default_factory=dict)
    queries: dict[str, QueryNode] = field(default_factory=dict)
    user_entities: tuple[Entity, ...] = ()
    """Every entity the rule files define (`entities:`), named by a rule or not: what a rule
    tried out beside them (the web page's playground) may name too."""
