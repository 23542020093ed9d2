"""Load rule files from the rules folder into a `RuleSet`, with `FILE:LINE: message` errors.

ruamel.yaml keeps the line of every key and list item, so each validation error from the
pydantic models can point at the exact line to fix. One broken rule does not hide the
others: the loader returns every valid rule together with the list of problems, and the
caller decides (the daemon starts with the valid rules; a reload with problems is refused).

A rule's `query:` is parsed here, at load time, so a typo in a query is a `monitor check`
problem (`FILE:LINE: query error at column C: message`) rather than a surprise in the
daemon, and its `entity:NAME`s are resolved like `entities:`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from monitor.gazetteer import EntityCatalog
from monitor.gazetteer.model import Entity
from monitor.rules import query as q
from monitor.rules.model import EntityDef, Keywords, Rule, RuleFile, RuleSet, SourceRef


@dataclass(frozen=True)
class LoadResult:
    """The valid rules, and one `FILE:LINE: message` string per problem found."""

    ruleset: RuleSet
    problems: tuple[str, ...]


def rule_files(folder: Path) -> list[Path]:
    """Every `*.yaml`/`*.yml` below `folder`, sorted, skipping hidden files and folders."""
    if not folder.is_dir():
        return []
    found = [
        p for p in folder.rglob("*")
        if p.suffix.lower() in (".yaml", ".yml") and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(found)


def _plain(node: Any) -> Any:
    """ruamel's round-trip containers and scalar strings as plain Python values."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def _line(node: Any, loc: Sequence[str | int], default: int) -> int:
    """1-based line of the deepest part of `loc` that exists in the YAML tree."""
    line = default
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def _field_names(loc: Sequence[str | int]) -> list[str]:
    """The keys allowed at the place `loc` points to (its parent), for spelling suggestions."""
    parent = [p for p in loc[:-1] if isinstance(p, str)]
    if parent and parent[-1] == "keywords":
        return list(Keywords.model_fields)
    if parent and parent[-1] == "entities":
        return list(EntityDef.model_fields)
    if not parent:
        return list(Rule.model_fields) + list(RuleFile.model_fields)
    return list(Rule.model_fields)


def _describe(err: Any) -> str:
    loc: tuple[str | int, ...] = tuple(err["loc"])
    dotted = ".".join(str(p) for p in loc) or "rule"
    if err["type"] == "extra_forbidden":
        key = str(loc[-1])
        close = difflib.get_close_matches(key, _field_names(loc), n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else (
            f"allowed keys here: {', '.join(_field_names(loc))}")
        return f"unknown key `{key}`: {hint}"
    if err["type"] == "missing":
        return f"missing key `{dotted}`"
    if err["type"] == "string_pattern_mismatch" and loc[-1:] == ("id",):
        return "rule `id` may only hold letters, digits, `-` and `_`"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"`{dotted}`: {msg}" if loc else msg


class _FileLoader:
    """Collects the rules and entity definitions of one file, recording problems."""

    def __init__(self, path: Path, shown: str) -> None:
        self.path = path
        self.shown = shown
        self.rules: list[tuple[Rule, SourceRef, CommentedMap, q.QueryNode | None]] = []
        self.entities: list[tuple[EntityDef, SourceRef]] = []
        self.problems: list[str] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.shown}:{line}: {message}")

    def load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(1, f"cannot read rule file: {exc}")
            return
        try:
            doc = YAML(typ="rt").load(text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            # An error at the end of the stream is reported on the last line, not past it.
            line = min(mark.line + 1, max(1, len(text.splitlines()))) if mark is not None else 1
            self.problem(line, f"invalid YAML: {exc.problem or exc.context}")
            return
        except YAMLError as exc:
            self.problem(1, f"invalid YAML: {exc}")
            return
        if doc is None:
            return  # an empty file (or comments only) defines nothing
        if not isinstance(doc, CommentedMap):
            self.problem(1, "expected a mapping with `rules:` (a list) or a single rule with `id:`")
            return
        if "id" in doc:
            self._rule(doc, doc, ())
            return
        extra = [k for k in doc if k not in RuleFile.model_fields]
        for key in extra:
            close = difflib.get_close_matches(str(key), list(RuleFile.model_fields), n=1)
            hint = f"did you mean `{close[0]}`?" if close else "allowed: `entities`, `rules`"
            self.problem(doc.lc.key(key)[0] + 1, f"unknown key `{key}`: {hint}")
        self._list(doc, "entities", self._entity)
        self._list(doc, "rules", self._rule)

    def _list(self, doc: CommentedMap, key: str, each: Any) -> None:
        items = doc.get(key)
        if items is None:
            return
        if not isinstance(items, CommentedSeq):
            self.problem(doc.lc.key(key)[0] + 1, f"`{key}` must be a list")
            return
        for i, item in enumerate(items):
            each(doc, item, (key, i))

    def _rule(self, doc: CommentedMap, node: Any, at: tuple[str | int, ...]) -> None:
        line = _line(doc, at, 1)
        if not isinstance(node, CommentedMap):
            self.problem(line, "a rule must be a mapping with at least `id:`")
            return
        try:
            rule = Rule.model_validate(_plain(node))
        except ValidationError as exc:
            for err in exc.errors():
                self.problem(_line(doc, (*at, *err["loc"]), line), _describe(err))
            return
        ast = None
        if rule.query is not None:
            try:
                ast = q.parse_query(rule.query)
            except q.QueryError as exc:
                self.problems.append(_query_problem(self.shown, node, exc))
                return
        self.rules.append((rule, SourceRef(self.shown, line), node, ast))

    def _entity(self, doc: CommentedMap, node: Any, at: tuple[str | int, ...]) -> None:
        line = _line(doc, at, 1)
        if not isinstance(node, CommentedMap):
            self.problem(line, "an entity must be a mapping with at least `name:`")
            return
        try:
            entity = EntityDef.model_validate(_plain(node))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ("entities", *err["loc"])
                self.problem(_line(doc, (*at, *err["loc"]), line),
                             _describe({**err, "loc": loc}))
            return
        self.entities.append((entity, SourceRef(self.shown, line)))


def _query_problem(shown: str, node: CommentedMap, error: q.QueryError) -> str:
    """`FILE:LINE: query error at column C: message` for an error in a rule's query.

    LINE is where the query text is: the `query:` line, or the line below a `|` or `>` block
    indicator. In a literal block (`|`) the query keeps its line breaks, so LINE and C are
    those of the error itself (C counted within that line of the query); otherwise C counts
    from the start of the query text.
    """
    line = node.lc.value("query")[0] + 1
    column = error.column
    value = node["query"]
    if isinstance(value, LiteralScalarString | FoldedScalarString):
        line += 1
    if isinstance(value, LiteralScalarString):
        before = str(value)[: column - 1]
        line += before.count("\n")
        column -= before.rfind("\n") + 1
    return f"{shown}:{line}: query error at column {column}: {error.message}"


def _as_entity(definition: EntityDef) -> Entity:
    names = [definition.name, *[a for a in definition.aliases if a != definition.name]]
    return Entity(name=definition.name, aliases=tuple(names), exact=tuple(definition.exact),
                  fuzzy=definition.fuzzy, kind="custom")


def load_rules(folder: Path, base: Path | None = None) -> LoadResult:
    """Load every rule file below `folder`; file names in messages are shown relative to `base`."""
    loaders: list[_FileLoader] = []
    for path in rule_files(folder):
        try:
            shown = str(path.relative_to(base)) if base else str(path)
        except ValueError:
            shown = str(path)
        loader = _FileLoader(path, shown)
        loader.load()
        loaders.append(loader)
    problems = [p for loader in loaders for p in loader.problems]

    user: dict[str, tuple[EntityDef, SourceRef]] = {}
    for loader in loaders:
        for definition, ref in loader.entities:
            key = definition.name.casefold()
            if key in user:
                problems.append(f"{ref}: entity `{definition.name}` is already defined at "
                                f"{user[key][1]}; merge the two definitions")
                continue
            user[key] = (definition, ref)
    catalog = EntityCatalog([_as_entity(d) for d, _ in user.values()])

    rules: list[Rule] = []
    sources: dict[str, SourceRef] = {}
    resolved: dict[str, Entity] = {}
    queries: dict[str, q.QueryNode] = {}
    first_seen: dict[str, SourceRef] = {}  # every valid-looking rule, even one later refused
    for loader in loaders:
        for rule, ref, node, ast in loader.rules:
            if rule.id in first_seen:
                problems.append(f"{ref}: duplicate rule id `{rule.id}` (first defined at "
                                f"{first_seen[rule.id]}); rule ids must be unique across all "
                                "files")
                continue
            first_seen[rule.id] = ref
            bad = _resolve_entities(rule, node, ref, catalog, resolved)
            if ast is not None:
                bad += _resolve_query_entities(ast, node, ref, catalog, resolved)
            if bad:
                problems.extend(bad)
                continue
            rules.append(rule)
            sources[rule.id] = ref
            if ast is not None:
                queries[rule.id] = ast
    ruleset = RuleSet(rules=tuple(rules), entities=resolved, sources=sources, queries=queries)
    return LoadResult(ruleset=ruleset, problems=tuple(problems))


def _resolve_entities(rule: Rule, node: CommentedMap, ref: SourceRef, catalog: EntityCatalog,
                      resolved: dict[str, Entity]) -> list[str]:
    problems = []
    for i, name in enumerate(rule.entities):
        entity = catalog.resolve(name)
        if entity is None:
            line = _line(node, ("entities", i), ref.line)
            problems.append(f"{ref.file}:{line}: {_unknown_entity(name, catalog)}")
        else:
            resolved[name] = entity
    return problems


def _resolve_query_entities(ast: q.QueryNode, node: CommentedMap, ref: SourceRef,
                            catalog: EntityCatalog, resolved: dict[str, Entity]) -> list[str]:
    """Resolve every `entity:NAME` of a query, as `entities:` names are resolved."""
    problems = []
    for reference in q.entities(ast):
        entity = catalog.resolve(reference.name)
        if entity is None:
            error = q.QueryError(_unknown_entity(reference.name, catalog), reference.column)
            problems.append(_query_problem(ref.file, node, error))
        else:
            resolved[reference.name] = entity
    return problems


def _unknown_entity(name: str, catalog: EntityCatalog) -> str:
    meanings = catalog.ambiguous(name)
    if meanings:
        options = " or ".join(f"`{m}`" for m in meanings)
        return f"ambiguous entity `{name}`: it could mean {options}; name one"
    close = catalog.suggest(name)
    hint = f"did you mean `{close}`?" if close else "define it under `entities:` in a rule file"
    return f"unknown entity `{name}`: {hint}"


def check_notify(ruleset: RuleSet, channels: Iterable[str]) -> dict[str, str]:
    """Rules that notify a channel the config does not define: rule id -> problem."""
    known = sorted(channels)
    problems: dict[str, str] = {}
    for rule in ruleset.rules:
        for name in rule.notify or ():
            if name not in known and rule.id not in problems:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean `{close[0]}`?" if close else (
                    f"configured channels: {', '.join(known) or 'none'}")
                problems[rule.id] = (f"{ruleset.sources[rule.id]}: rule `{rule.id}` notifies "
                                     f"unknown channel `{name}`: {hint}")
    return problems
