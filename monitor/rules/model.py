"""Pydantic models of rule files, and the loaded `RuleSet` the matcher compiles.

The models forbid unknown keys so that a misspelled key (`keyword:`) is an error rather
than a rule that silently matches everything or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from monitor.gazetteer.model import Entity
from monitor.rules.query import QueryNode

RULE_ID_PATTERN = r"^[A-Za-z0-9_-]+$"

MAX_NAME_WORDS = 20
"""Most words in a user entity's name or alias (the longest built-in one has 9). The matcher
looks for every shorter alias inside every longer one (so that the longer name wins), which
grew faster than the square of an alias's length: a 1,500-word alias took 5 s to compile."""

_WORD = re.compile(r"[^\W_]+")


def _few_words(name: str) -> str:
    """`name`, unless it has more than `MAX_NAME_WORDS` words (counting stops there)."""
    if sum(1 for _ in islice(_WORD.finditer(name), MAX_NAME_WORDS + 1)) > MAX_NAME_WORDS:
        raise ValueError(f"an entity name or alias has at most {MAX_NAME_WORDS} words")
    return name


_Name = Annotated[str, AfterValidator(_few_words)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntityDef(_Strict):
    """A user-defined entity in a rule file."""

    name: _Name = Field(min_length=1)
    aliases: list[_Name] = Field(default_factory=list)
    exact: list[_Name] = Field(default_factory=list)
    fuzzy: int | None = Field(default=None, ge=0, le=100)


class Keywords(_Strict):
    """Keyword conditions: every `all`, at least one `any` (when given), no `none`."""

    all: list[str] = Field(default_factory=list)
    any: list[str] = Field(default_factory=list)
    none: list[str] = Field(default_factory=list)


class Rule(_Strict):
    """One watch rule. Its conditions (entities, keywords, query) are ANDed."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    description: str = ""
    entities: list[str] = Field(default_factory=list)
    keywords: Keywords = Field(default_factory=Keywords)
    query: str | None = None
    notify: list[str] | None = None
    max_alerts_per_hour: int | None = Field(default=None, ge=1)

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
