"""Load rule files from the rules folder into a `RuleSet`, with `FILE:LINE: message` errors.

This module is the orchestration: list the rule files, read each (`json_read` for JSON,
never ruamel; `yaml_read` for YAML: libyaml when it can vouch for the result, else ruamel),
validate it with the pydantic models
(`monitor.rules.model`), parse every `query:`, then resolve entity names across files and
refuse duplicate rule ids. The wording of every message is `monitor.rules.messages`.

One broken rule does not hide the others: the loader returns every valid rule together with
the list of problems, and the caller decides (the daemon starts with the valid rules; a
reload with problems is refused).

A rule's `query:` is parsed here, at load time, so a typo in a query is a `monitor check`
problem (`FILE:LINE: query error at column C: message`) rather than a surprise in the
daemon, and its `entity:NAME`s are resolved like `entities:`.

Anyone who can save a file in the rules folder can feed it anything, and a load that raises
would take the daemon down on every restart. So every file, however hostile, ends as rules or
as `FILE:LINE: message` problems, in time linear in its size: the readers refuse anchors,
deep nesting and huge numbers (`yaml_read`); a file larger than `MAX_FILE_BYTES` is not read
at all; a name that holds no regular file (a FIFO, a device, a link that loops or leads
nowhere) or a folder that cannot be listed is a problem of its own (`list_rule_folder`,
`read_rule_file`), rather than a listing that raises and loses every rule of the folder; and
anything else that still goes wrong with one file (a bug) is a problem for that file
(`FILE:1: could not load: ...`), and the other files load as usual.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from array import array
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeGuard

import yaml
from pydantic import TypeAdapter, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from monitor.gazetteer import EntityCatalog, name_key
from monitor.gazetteer.model import Entity
from monitor.rules import messages
from monitor.rules import query as q
from monitor.rules.json_read import (
    DuplicateKey,
    line_count,
    position,
    read_json,
    read_json_commented,
)
from monitor.rules.model import (
    MAX_NOTIFY,
    MAX_TERMS,
    EntityDef,
    Rule,
    RuleFile,
    RuleSet,
    SourceRef,
)
from monitor.rules.yaml_read import (
    LIBYAML,
    NotPlain,
    Refused,
    Tree,
    line_at,
    plain,
    read_commented,
    read_fast,
    read_roundtrip,
)
from monitor.textsafe import printable, shorten, shown_path
from monitor.walk import walk

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Rule files larger than this (32 MiB) are refused unread. 100,000 rules in one file are 11 to
15 MB, so there is room for twice as many; what a file costs grows with its size (100,000
rules: about 10 s and 570 MB to load and compile, more for a file of nothing but distinct
query terms), so the cap bounds what one file can cost. A bigger file is better split anyway:
any change to a file is a reload of all of it."""


@dataclass(frozen=True)
class LoadResult:
    """The valid rules, and one `FILE:LINE: message` string per problem found.

    `where(rule_id, place)` is the `FILE:LINE` of a part of a loaded rule (say
    `("keywords", "any", 2)`), for problems found after loading (a keyword the matcher
    refuses). It reads the rule's file again only when asked.
    """

    ruleset: RuleSet
    problems: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    """`FILE:LINE: warning: ...` for what loads but is likely a mistake (`a and b`)."""
    places: dict[str, tuple[_FileLoader, _Place]] = field(
        default_factory=dict, repr=False, compare=False
    )
    files: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    """Each rule file's name as shown in messages, and its place in the listing."""
    inputs: str | None = None
    """`inputs_digest` of the bytes this load parsed; None if a file or folder could not be
    read. The compiled-rules cache keys what it stores by this, not by the files as they
    are after the load: a file rewritten during a load would otherwise be cached under
    bytes other than those compiled."""

    def in_file_order(self, problems: Iterable[str]) -> tuple[str, ...]:
        """`problems` by file and line, as the admin reads the files; those of one line in
        the order they came (a stable sort). One found after loading goes among the rest."""

        def key(problem: str) -> tuple[int, int]:
            where = _WHERE.match(problem)
            if where is None:
                return (-1, 0)
            return (self.files.get(where[1], -1), int(where[2]))

        return tuple(sorted(problems, key=key))

    def where(self, rule_id: str, place: _Place) -> SourceRef:
        ref = self.ruleset.sources[rule_id]
        found = self.places.get(rule_id)
        if found is None:
            return ref
        loader, at = found
        try:
            return SourceRef(ref.file, line_at(loader.node(at), place, ref.line))
        except Exception:  # the file changed since: the rule's own line will do
            return ref


RULE_SUFFIXES = (".yaml", ".yml", ".json")
SCHEMA_SUFFIX = ".schema.json"
"""`monitor schema`'s output beside the rules (editors find it there) is no rule file."""


@dataclass(frozen=True)
class RuleFolder:
    """What listing the rules folder found: the rule files, and the folders it could not list.

    A rule file here is any entry named `*.yaml`/`*.yml`/`*.json` (but not `*.schema.json`)
    that is not a folder: a FIFO, a
    device or a symbolic link that leads nowhere too, so that reading it reports what it is
    (`read_rule_file`) rather than its rules vanishing without a word. A folder that cannot
    be listed is kept with the reason, for the same reason.
    """

    files: tuple[Path, ...]
    unreadable: tuple[tuple[Path, OSError], ...] = ()


def list_rule_folder(folder: Path) -> RuleFolder:
    """Every rule file below `folder`, sorted, skipping hidden files and folders. Never raises.

    Links to folders are not followed (`monitor.walk`), links to files are listed.
    Nothing here follows a link or looks inside a file: a link that loops (`ELOOP`), leads
    through a file (`ENOTDIR`) or is too long made `DirEntry.is_file()` raise, and that one
    entry took every rule of the folder down with it.
    """
    if not folder.is_dir():
        return RuleFolder(())
    unreadable: list[tuple[Path, OSError]] = []

    def failed(path: Path, exc: OSError) -> None:
        if not isinstance(exc, FileNotFoundError):  # gone since listed: nothing to load
            unreadable.append((path, exc))  # else its rules would vanish without a word

    found = [
        path
        for path, entry, _ in walk(folder, skip=lambda name: name.startswith("."), failed=failed)
        if path.suffix.lower() in RULE_SUFFIXES
        and not path.name.lower().endswith(SCHEMA_SUFFIX)
        and not _is_folder(entry)
    ]
    return RuleFolder(tuple(sorted(found)), tuple(sorted(unreadable, key=lambda u: u[0])))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:  # cannot even lstat it: reading it will say why
        return False


class NotARegularFile(OSError):
    """A rule file's name holds something else: a FIFO, a socket, a device, a folder, or a
    symbolic link to nothing. A problem of its own, since `cannot read` would send the
    admin looking for a permission or a disk error."""


def _kind(mode: int) -> str:
    """What a file of this `st_mode` is, in words, for `NotARegularFile`."""
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


def read_rule_file(path: Path) -> bytes | None:
    """The bytes of a rule file; None if it holds more than `MAX_FILE_BYTES`.

    Raises `NotARegularFile` for a name that holds no file (found with `stat`, before
    opening: opening a device can have effects of its own) or a dangling link, and OSError
    for one that cannot be read. Opened without blocking and checked again once open: a
    FIFO put in the file's place after the check would block the read forever.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if not os.path.islink(path):
            raise
        try:
            target = printable(shown_path(Path(os.readlink(path))))
        except OSError:
            target = "?"
        raise NotARegularFile(
            f"a symbolic link to `{shorten(target)}`, which does not exist"
        ) from None
    if not stat.S_ISREG(mode):
        raise NotARegularFile(_kind(mode))
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(handle, "rb") as fh:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(_kind(mode))
        data = fh.read(MAX_FILE_BYTES + 1)
    return None if len(data) > MAX_FILE_BYTES else data


def file_digest(path: Path, data: bytes) -> bytes:
    """One rule file's part of `inputs_digest`: its name and its bytes."""
    return hashlib.sha256(os.fsencode(path) + f"\0{len(data)}\0".encode() + data).digest()


def inputs_digest(files: Iterable[bytes]) -> str:
    """What a load read, from the `file_digest` of each file in listing order."""
    digest = hashlib.sha256()
    for part in files:
        digest.update(part)
    return digest.hexdigest()


_Place = tuple[str | int, ...]
"""Where a rule or entity is in its file: `("rules", 3)`, or `()` for a file that is one rule."""

_Item = tuple[_Place, dict[str, Any], int]
"""A rule or entity definition read by `read_fast`: its place, its keys, its line."""


@dataclass(slots=True)
class _Found:
    """A rule as its file holds it, valid or not, with what the checks across files need.

    `rule` is None when the rule did not validate; `fields` are then its keys as read, so
    that its entities, channels, keywords and id are still checked and every mistake of the
    rule is reported in one run. `refused` is set once any problem of the rule is recorded.
    """

    ref: SourceRef
    at: _Place
    rule: Rule | None
    ast: q.QueryNode | None
    fields: dict[str, Any]
    refused: bool

    def strings(self, key: str) -> list[tuple[int, str]]:
        """The (index, text) of each string in the rule's list `key` (valid or not)."""
        if self.rule is not None:
            value: Any = getattr(self.rule, key) or []
        else:
            value = self.fields.get(key)
        if not _checkable(value):
            return []
        return [(i, item) for i, item in enumerate(value) if isinstance(item, str)]

    def keywords(self) -> list[tuple[_Place, str]]:
        """Every keyword of the rule with its place, from the fields as read."""
        if self.rule is not None:
            groups: Any = self.rule.keywords.model_dump()
        else:
            groups = self.fields.get("keywords")
        if not isinstance(groups, dict):
            return []
        found: list[tuple[_Place, str]] = []
        for group in ("all", "any", "none"):
            words = groups.get(group)
            if _checkable(words):
                found += [
                    (("keywords", group, i), word)
                    for i, word in enumerate(words)
                    if isinstance(word, str)
                ]
        return found


def _checkable(value: Any) -> TypeGuard[list[Any]]:
    """Whether the items of a list in a rule are worth checking one by one: a list over the
    caps of `monitor.rules.model` is already a problem, and a hostile one can be huge."""
    return isinstance(value, list) and len(value) <= max(MAX_TERMS, MAX_NOTIFY)


_FLOW_START = re.compile(r"\ufeff?[ \t\r\n]*\{")
"""A YAML file that may be one JSON document: `{` is its first character but blanks."""

_RULES = TypeAdapter(list[Rule])
_ENTITIES = TypeAdapter(list[EntityDef])
"""A whole file's rules (entities) are validated in one call, not one call per rule."""


_CHUNK = 1024
"""Items validated per pydantic call by `_validated`: a call that fails is made again
without its bad items, so one bad rule costs another call for its chunk, not for the file."""


def _validated(adapter: TypeAdapter[list[Any]], items: list[_Item]) -> list[Any]:
    """Each item validated (its model), or None for one that does not validate; in one
    pydantic call per `_CHUNK` items, and one more for a chunk with a bad item."""
    done: list[Any] = []
    for first in range(0, len(items), _CHUNK):
        chunk = [keys for _, keys, _ in items[first : first + _CHUNK]]
        try:
            done += adapter.validate_python(chunk)
            continue
        except ValidationError as exc:
            bad = {err["loc"][0] for err in exc.errors()}
        good = iter(adapter.validate_python([k for i, k in enumerate(chunk) if i not in bad]))
        done += [None if i in bad else next(good) for i in range(len(chunk))]
    return done


def _fast_items(tree: Tree) -> tuple[list[_Item], list[_Item]]:
    """The rules and the entity definitions of a file read by `read_fast`.

    Raises `NotPlain` for every shape that `_FileLoader._load_roundtrip` reports as a
    problem, so that the report comes from there; but a document that is not a mapping is
    refused here, as it would be there (a megabyte-long scalar took ruamel seconds).
    """
    doc = tree.root
    if doc is None:
        return [], []  # an empty file (or comments only) defines nothing
    if not isinstance(doc, dict):  # ruamel says the same; no need to make it read megabytes
        raise Refused(1, messages.NOT_A_MAPPING)
    if "id" in doc:
        return [((), doc, 1)], []
    if any(key not in RuleFile.model_fields for key in doc):
        raise NotPlain
    return _fast_list(tree, "rules"), _fast_list(tree, "entities")


def _fast_list(tree: Tree, key: str) -> list[_Item]:
    """The items of the file's `rules:` or `entities:`, each a mapping (else `NotPlain`)."""
    items = tree.root.get(key)
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise NotPlain
    return [((key, i), item, tree.lines[id(item)]) for i, item in enumerate(items)]


class _FileLoader:
    """Collects the rules and entity definitions of one file, recording problems.

    A JSON document is read by the JSON readers alone (`_load_json`); a YAML file with
    libyaml when it can be (`_load_fast`), else with ruamel (`_load_roundtrip`). Problems
    found later, across files (an unknown entity), need the ruamel node of a rule to name
    the line: `node` builds it only then (for JSON, of that one rule).
    """

    def __init__(self, path: Path, shown: str, data: bytes | None = None) -> None:
        self.path = path
        self.shown = shown
        self._data = data
        """The file's bytes when the caller has them (`load_rules_data`): nothing is read."""
        self.rules: list[_Found] = []
        self.entities: list[tuple[EntityDef, SourceRef]] = []
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self._text = ""
        self._doc: Any = None  # ruamel's tree, once the file has been read with ruamel
        self._vouched = False  # `read_fast` took the text: `read_commented` reads it
        self.digest: bytes | None = None
        """`file_digest` of the bytes read; None until read, or if they could not be."""
        self._json = False  # JSON: `node` reads one rule with `read_json_commented`
        self._starts: dict[str, tuple[array[int], array[int]]] = {}
        """For JSON: where each item of `rules:` and `entities:` starts, and its line."""
        self._last: tuple[_Place, CommentedMap] | None = None  # `node`'s last JSON answer

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.shown}:{line}: {message}")

    def node(self, at: _Place) -> CommentedMap:
        """The ruamel node of the rule at `at`, for placing a problem found after loading.

        A JSON file's rule is read alone, from where `read_json` found it: a file with one
        mistake in 100,000 rules builds one rule's node, not the whole file's.
        """
        if self._doc is None and self._json:
            if self._last is None or self._last[0] != at:
                self._last = (at, self._json_node(at))
            return self._last[1]
        if self._doc is None:
            self._doc = read_commented(self._text) if self._vouched else read_roundtrip(self._text)
        node = self._doc
        for part in at:
            node = node[part]
        assert isinstance(node, CommentedMap)
        return node

    def _json_node(self, at: _Place) -> CommentedMap:
        if not at:
            node = read_json_commented(self._text)
        else:
            key, index = at
            assert isinstance(key, str) and isinstance(index, int)
            starts, lines = self._starts[key]
            node = read_json_commented(self._text, starts[index], lines[index], depth=2)
        assert isinstance(node, CommentedMap)
        return node

    def load(self) -> None:
        """Read the file; its problems are recorded, never raised.

        An exception nothing below expects (a bug, or a limit not thought of) becomes a
        problem on line 1 and leaves the file without rules, so that the other files still
        load and `monitor check` says which file it was.
        """
        try:
            if self._read():
                self._parse()
        except Exception as exc:
            self.rules, self.entities, self._doc, self._json = [], [], None, False
            self.problem(1, messages.could_not_load(exc))

    def _read(self) -> bool:
        """Read the text, at most `MAX_FILE_BYTES` of it; False (with a problem) if it fails."""
        try:
            data = read_rule_file(self.path) if self._data is None else self._data
            if data is None or len(data) > MAX_FILE_BYTES:
                self.problem(1, messages.file_too_large(MAX_FILE_BYTES))
                return False
            self.digest = file_digest(self.path, data)
            self._text = data.decode("utf-8")
        except NotARegularFile as exc:
            self.problem(1, messages.not_a_regular_file(str(exc)))
            return False
        except OSError as exc:
            self.problem(1, messages.cannot_read(messages.os_reason(exc)))
            return False
        except UnicodeDecodeError as exc:
            self.problem(1, messages.cannot_read(str(exc)))
            return False
        return True

    def _parse(self) -> None:
        json_file = self.path.suffix.lower() == ".json"
        if (json_file or _FLOW_START.match(self._text)) and self._load_json(json_file):
            return
        if not self._load_fast():
            self._load_roundtrip()

    def _load_json(self, json_file: bool) -> bool:
        """Read a `.json` file, or a `.yaml` file that holds one JSON document, with the JSON
        readers alone (`json_read`); False, recording nothing, for a `.yaml` file that is
        not JSON (it is read as YAML).

        A generated rule file is often one JSON document named `.yaml` (flow style, every
        key quoted), which libyaml's subset gives up on for its quoted keys; JSON is YAML
        1.2, and `read_json_commented` reads what the two could read differently (a
        duplicate key, NaN) as YAML does. A file with problems is never read by ruamel:
        the rules with a problem (or a warning) are read again into ruamel's types, one by
        one, from where `read_json` found them (`node`). A file whose shape is wrong (an
        unknown top-level key, a rule that is not a mapping) has its top level read so
        too (`_load_shape`); only one that `json` reads differently from YAML is read whole.
        """
        text = self._text
        self._json = True
        tree: Tree | None = None  # None: the whole file is read into ruamel's types
        shape = False  # `_fast_items` refused the file's shape: `_load_shape` reports it
        rule_items: list[_Item] = []
        entity_items: list[_Item] = []
        try:
            tree = read_json(text)
            rule_items, entity_items = _fast_items(tree)
        except json.JSONDecodeError as exc:
            if not json_file:
                self._json = False
                return False
            line, column = position(exc.doc, exc.pos)  # `doc`: without a byte order mark
            # An error at the end of the text is reported on the last line, not past it.
            self.problem(min(line, line_count(text)), messages.invalid_json(exc.msg, column))
            return True
        except Refused as exc:
            self.problem(exc.line, exc.message)
            return True
        except NotPlain:  # a duplicate key, NaN, a long number, deep nesting (no `tree`)
            shape = tree is not None  # or a shape `_load_doc` reports
        try:
            if tree is None:
                self._load_doc(read_json_commented(text))
            elif shape:
                self._load_shape(tree)
            else:
                for key, items in (("rules", rule_items), ("entities", entity_items)):
                    starts = array("q", [tree.starts[id(keys)] for _, keys, _ in items])
                    self._starts[key] = (starts, array("q", [line for _, _, line in items]))
                self._take(rule_items, entity_items)
        except (Refused, DuplicateKey) as exc:  # the whole file is refused, as in YAML
            self.rules, self.entities, self.warnings, self._doc = [], [], [], None
            if isinstance(exc, Refused):
                self.problems = [f"{self.shown}:{exc.line}: {exc.message}"]
            else:
                self.problems = [f"{self.shown}:{exc.line}: {self._invalid(exc.reason)}"]
        return True

    def _load_shape(self, tree: Tree) -> None:
        """A JSON document `_fast_items` refused: `_load_doc`'s checks of the file's keys and
        lists, on its top level read into ruamel's types (each rule a plain value there, for
        speed), and its rules and entities that are mappings taken by `_take`."""
        top = read_json_commented(self._text, skip_from=2)
        assert isinstance(top, CommentedMap)  # `_fast_items` refused anything else
        for key in top:
            if key not in RuleFile.model_fields:
                self.problem(top.lc.key(key)[0] + 1, messages.unknown_file_key(str(key)))
        taken: dict[str, list[_Item]] = {"rules": [], "entities": []}
        for key, stray in (
            ("entities", messages.ENTITY_NOT_A_MAPPING),
            ("rules", messages.RULE_NOT_A_MAPPING),
        ):
            items, listed = tree.root.get(key), top.get(key)
            if items is None:
                continue
            if not isinstance(items, list) or not isinstance(listed, CommentedSeq):
                self.problem(top.lc.key(key)[0] + 1, messages.not_a_list(key))
                continue
            lines = array("q", [listed.lc.item(i)[0] + 1 for i in range(len(items))])
            starts = array("q", [tree.starts.get(id(item), 0) for item in items])
            self._starts[key] = (starts, lines)
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    taken[key].append(((key, i), item, lines[i]))
                else:
                    self.problem(lines[i], stray)
        self._take(taken["rules"], taken["entities"])

    def _take(self, rule_items: list[_Item], entity_items: list[_Item]) -> None:
        """The rules and entities of a file read by `read_json`, validated by the thousand
        (`_validated`); a rule or entity with a problem is checked again alone, on its
        ruamel node (`node`), to report every problem of it on its line."""
        for (at, _, line), entity in zip(
            entity_items, _validated(_ENTITIES, entity_items), strict=True
        ):
            if entity is None:
                self._entity(self.node(at), at, line)
            else:
                self.entities.append((entity, SourceRef(self.shown, line)))
        for (at, _, line), rule in zip(rule_items, _validated(_RULES, rule_items), strict=True):
            ast = None
            if rule is not None and rule.query is not None:
                try:
                    ast = q.parse_query(rule.query)
                except q.QueryError:
                    rule = None  # `_rule` reports it
            if rule is None:
                self._rule(self.node(at), at, line)
                continue
            self.rules.append(_Found(SourceRef(self.shown, line), at, rule, ast, {}, False))
            self._warn(rule.query, at)

    def _load_fast(self) -> bool:
        """Read a YAML file with libyaml; False, recording nothing, if ruamel must read it.

        Only a file without any problem is taken this way: a file with one is read again
        into ruamel's types (by libyaml if `read_fast` took it, else by ruamel) so that every
        message and line is the one ruamel's tree gives. Each file is validated with one
        pydantic call, not one per rule.
        """
        if not LIBYAML:
            return False
        try:
            tree = read_fast(self._text)
            self._vouched = True
            rule_items, entity_items = _fast_items(tree)
            rules = _RULES.validate_python([keys for _, keys, _ in rule_items])
            entities = _ENTITIES.validate_python([keys for _, keys, _ in entity_items])
            asts = [None if r.query is None else q.parse_query(r.query) for r in rules]
        except Refused as exc:
            self.problem(exc.line, exc.message)
            return True
        except (yaml.YAMLError, NotPlain, ValidationError, q.QueryError):
            return False
        self.rules = [
            _Found(SourceRef(self.shown, line), at, rule, ast, {}, refused=False)
            for rule, (at, _, line), ast in zip(rules, rule_items, asts, strict=True)
        ]
        self.entities = [
            (entity, SourceRef(self.shown, line))
            for entity, (_, _, line) in zip(entities, entity_items, strict=True)
        ]
        for found in self.rules:
            assert found.rule is not None  # all validated
            self._warn(found.rule.query, found.at)
        return True

    def _warn(self, query: str | None, at: _Place) -> None:
        """Warn of lower-case operator words between terms in a query that parsed."""
        if query is None:
            return
        for word, column in q.operator_words(query):
            self.warnings.append(
                messages.query_word_warning(self.shown, self.node(at), word, column)
            )

    def _unacceptable(self, exc: ReaderError) -> None:
        """A character YAML allows nowhere in a file, not even in a string (a control
        character but tab and line ends, DEL, U+FFFE...): the file is refused, on that
        character's line. JSON allows them in strings, so a JSON document never comes here."""
        line, column = position(self._text, exc.position)
        code = exc.character if isinstance(exc.character, int) else 0
        self.problem(line, self._invalid(messages.unacceptable_character(code, column)))

    def _invalid(self, reason: str) -> str:
        """A syntax problem ruamel found, named for the file's own format."""
        if self.path.suffix.lower() == ".json":
            return messages.invalid_json(reason)
        return messages.invalid_yaml(reason)

    def _load_roundtrip(self) -> None:
        text = self._text
        try:
            doc = read_commented(text) if self._vouched else read_roundtrip(text)
        except Refused as exc:
            self.problem(exc.line, exc.message)
            return
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            # An error at the end of the stream is reported on the last line, not past it.
            line = min(mark.line + 1, max(1, len(text.splitlines()))) if mark is not None else 1
            self.problem(line, self._invalid(str(exc.problem or exc.context)))
            return
        except ReaderError as exc:  # ruamel's says neither line nor character in words
            self._unacceptable(exc)
            return
        except YAMLError as exc:
            self.problem(1, self._invalid(shorten(str(exc))))
            return
        self._load_doc(doc)

    def _load_doc(self, doc: Any) -> None:
        """The rules and entities of a file in ruamel's types, every problem on its line."""
        self._doc = doc
        if doc is None:
            return  # an empty file (or comments only) defines nothing
        if not isinstance(doc, CommentedMap):
            self.problem(1, messages.NOT_A_MAPPING)
            return
        if "id" in doc:
            self._rule(doc, (), 1)
            return
        extra = [k for k in doc if k not in RuleFile.model_fields]
        for key in extra:
            self.problem(doc.lc.key(key)[0] + 1, messages.unknown_file_key(str(key)))
        self._list(doc, "entities", self._entity)
        self._list(doc, "rules", self._rule)

    def _list(self, doc: CommentedMap, key: str, each: Any) -> None:
        items = doc.get(key)
        if items is None:
            return
        if not isinstance(items, CommentedSeq):
            self.problem(doc.lc.key(key)[0] + 1, messages.not_a_list(key))
            return
        for i, item in enumerate(items):
            each(item, (key, i), items.lc.item(i)[0] + 1)

    def _rule(self, node: Any, at: _Place, line: int) -> None:
        """Check one rule as read (valid or not), at `at` on `line`, recording its problems."""
        if not isinstance(node, CommentedMap):
            self.problem(line, messages.RULE_NOT_A_MAPPING)
            return
        fields = plain(node)
        rule: Rule | None = None
        try:
            rule = Rule.model_validate(fields)
        except ValidationError as exc:
            for err in exc.errors():
                self.problem(line_at(node, err["loc"], line), messages.describe(err))
        refused = rule is None
        ast = None
        query = fields.get("query")
        if isinstance(query, str):  # checked even in a rule that did not validate
            try:
                ast = q.parse_query(query)
            except q.QueryError as exc:
                self.problems.append(messages.query_problem(self.shown, node, exc))
                refused = True
            else:
                self._warn(query, at)
        kept = {} if rule is not None else fields  # a valid rule's keys are in `rule`
        found = _Found(SourceRef(self.shown, line), at, rule, ast, kept, refused)
        self.rules.append(found)

    def _entity(self, node: Any, at: _Place, line: int) -> None:
        if not isinstance(node, CommentedMap):
            self.problem(line, messages.ENTITY_NOT_A_MAPPING)
            return
        try:
            entity = EntityDef.model_validate(plain(node))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ("entities", *err["loc"])
                self.problem(
                    line_at(node, err["loc"], line), messages.describe({**err, "loc": loc})
                )
            return
        self.entities.append((entity, SourceRef(self.shown, line)))


def _as_entity(definition: EntityDef) -> Entity:
    names = [definition.name, *[a for a in definition.aliases if a != definition.name]]
    return Entity(
        name=definition.name,
        aliases=tuple(names),
        exact=tuple(definition.exact),
        fuzzy=definition.fuzzy,
        kind="custom",
    )


def load_rules(
    folder: Path,
    base: Path | None = None,
    channels: Collection[str] | None = None,
    keyword_problem: Callable[[str, str], str | None] | None = None,
) -> LoadResult:
    """Load every rule file below `folder`; file names in messages are shown relative to `base`.

    Every mistake of every rule is reported, not only the first: a rule that does not
    validate is still checked for query errors, unknown entities, unknown channels (when
    `channels` is given) and a duplicate id, so that `monitor check` lists them all in one
    run. A duplicate id is reported on the later rule, naming where the first one is; it
    counts even when the first one is refused for other reasons.

    `keyword_problem(rule_id, keyword)` says what is wrong with a keyword's spelling, or
    None; the matcher owns that rule (see `monitor.engine`). It is asked only about the
    keywords of rules already refused: for the others, compiling finds them at no extra cost.
    """

    def shown(path: Path) -> str:
        try:
            return shown_path(path.relative_to(base) if base else path)
        except ValueError:
            return shown_path(path)

    listing = list_rule_folder(folder)
    loaders: list[_FileLoader] = []
    for path in listing.files:
        loader = _FileLoader(path, shown(path))
        loader.load()
        loaders.append(loader)
    problems = [
        f"{shown(path)}:1: {messages.folder_unreadable(messages.os_reason(exc))}"
        for path, exc in listing.unreadable
    ]
    return _gather(loaders, problems, channels, keyword_problem, (), _inputs(listing, loaders))


def load_rules_data(
    data: bytes,
    shown: str,
    channels: Collection[str] | None = None,
    keyword_problem: Callable[[str, str], str | None] | None = None,
    entities: Iterable[Entity] = (),
) -> LoadResult:
    """Load one rule file's bytes, named `shown` in messages, as `load_rules` loads a file of
    a folder; nothing is read from disk. `shown`'s suffix picks the format (`.json`, else
    YAML) as a file name's does.

    For rules tried out without being saved (the web page's playground): their ids need
    not differ from those of any other file, and `entities` (the user entities the rule
    files define, `RuleSet.user_entities`) are known beside the built-in ones, so a rule may
    name them; an entity `data` defines replaces one of theirs of the same name.
    """
    loader = _FileLoader(Path(shown), shown, data=data)
    loader.load()
    return _gather([loader], [], channels, keyword_problem, tuple(entities), None)


def _gather(
    loaders: list[_FileLoader],
    problems: list[str],
    channels: Collection[str] | None,
    keyword_problem: Callable[[str, str], str | None] | None,
    known_entities: tuple[Entity, ...],
    inputs: str | None,
) -> LoadResult:
    """The rules of files already read: entities resolved across them (and among
    `known_entities`), duplicate ids, channels and keywords checked."""
    problems += [p for loader in loaders for p in loader.problems]
    warnings = [w for loader in loaders for w in loader.warnings]

    user: dict[str, tuple[EntityDef, SourceRef]] = {}
    for loader in loaders:
        for definition, ref in loader.entities:
            key = definition.name.casefold()
            if key in user:
                problems.append(
                    f"{ref}: {messages.duplicate_entity(definition.name, user[key][1])}"
                )
                continue
            user[key] = (definition, ref)
    defined = tuple(_as_entity(d) for d, _ in user.values())
    own = {name_key(e.name) for e in defined}
    others = [e for e in known_entities if name_key(e.name) not in own]
    catalog = EntityCatalog([*others, *defined])

    known = None if channels is None else sorted(channels)
    rules: list[Rule] = []
    sources: dict[str, SourceRef] = {}
    resolved: dict[str, Entity] = {}
    queries: dict[str, q.QueryNode] = {}
    places: dict[str, tuple[_FileLoader, _Place]] = {}
    first_seen: dict[str, SourceRef] = {}  # every rule's id, even one refused
    for loader in loaders:
        for found in loader.rules:
            node = partial(loader.node, found.at)
            try:
                bad = _check_across(found, node, first_seen, catalog, resolved, known)
                if found.refused or bad:
                    bad += _check_keywords(found, node, keyword_problem)
            except Exception as exc:  # a bug: this rule is a problem, the others still load
                bad = [f"{found.ref}: {messages.could_not_load(exc)}"]
            problems.extend(bad)
            rule = found.rule
            if found.refused or bad or rule is None:
                continue
            rules.append(rule)
            sources[rule.id] = found.ref
            places[rule.id] = (loader, found.at)
            if found.ast is not None:
                queries[rule.id] = found.ast
    ruleset = RuleSet(
        rules=tuple(rules),
        entities=resolved,
        sources=sources,
        queries=queries,
        user_entities=defined,
    )
    for loader in loaders:  # kept by `places` only to place problems found later
        loader.rules.clear()
        loader.entities.clear()
    result = LoadResult(
        ruleset=ruleset,
        problems=(),
        warnings=tuple(warnings),
        places=places,
        files={loader.shown: number for number, loader in enumerate(loaders)},
        inputs=inputs,
    )
    return replace(result, problems=result.in_file_order(problems))


def _inputs(listing: RuleFolder, loaders: list[_FileLoader]) -> str | None:
    """`LoadResult.inputs`: None if any folder or file could not be read."""
    digests = [loader.digest for loader in loaders]
    if listing.unreadable or None in digests:
        return None
    return inputs_digest(d for d in digests if d is not None)


_WHERE = re.compile(r"(.+?):(\d+): ")
"""The `FILE:LINE: ` a problem starts with."""


def _check_across(
    found: _Found,
    node: Callable[[], CommentedMap],
    first_seen: dict[str, SourceRef],
    catalog: EntityCatalog,
    resolved: dict[str, Entity],
    channels: list[str] | None,
) -> list[str]:
    """The problems of one rule that need the other files or the config: a duplicate id,
    unknown entities (in `entities:` and in the query), unknown channels."""
    problems: list[str] = []
    rule_id = found.rule.id if found.rule is not None else found.fields.get("id")
    if isinstance(rule_id, str):
        if rule_id in first_seen:
            problems.append(f"{found.ref}: {messages.duplicate_rule(rule_id, first_seen[rule_id])}")
        else:
            first_seen[rule_id] = found.ref
    problems += _resolve_entities(found, node, catalog, resolved)
    if found.ast is not None:
        problems += _resolve_query_entities(found.ast, node, found.ref, catalog, resolved)
    if channels is not None:
        for i, name in found.strings("notify"):
            if name not in channels:
                line = line_at(node(), ("notify", i), found.ref.line)
                shown_id = rule_id if isinstance(rule_id, str) else "?"
                message = messages.unknown_channel(shown_id, name, channels)
                problems.append(f"{found.ref.file}:{line}: {message}")
    return problems


def _check_keywords(
    found: _Found,
    node: Callable[[], CommentedMap],
    keyword_problem: Callable[[str, str], str | None] | None,
) -> list[str]:
    """The spelling of every keyword of a rule, by `keyword_problem`."""
    if keyword_problem is None:
        return []
    rule_id = found.rule.id if found.rule is not None else found.fields.get("id")
    problems: list[str] = []
    for place, keyword in found.keywords():
        message = keyword_problem(rule_id if isinstance(rule_id, str) else "?", keyword)
        if message is not None:
            line = line_at(node(), place, found.ref.line)
            problems.append(f"{found.ref.file}:{line}: {message}")
    return problems


def _resolve_entities(
    found: _Found,
    node: Callable[[], CommentedMap],
    catalog: EntityCatalog,
    resolved: dict[str, Entity],
) -> list[str]:
    """Resolve a rule's `entities:` into `resolved`; a problem for each name that fails.

    `node` gives the rule's ruamel node, which is needed (and built) only for a problem.
    """
    problems = []
    for i, name in found.strings("entities"):
        if _lookup(name, catalog, resolved) is None:
            line = line_at(node(), ("entities", i), found.ref.line)
            problems.append(f"{found.ref.file}:{line}: {messages.unknown_entity(name, catalog)}")
    return problems


def _resolve_query_entities(
    ast: q.QueryNode,
    node: Callable[[], CommentedMap],
    ref: SourceRef,
    catalog: EntityCatalog,
    resolved: dict[str, Entity],
) -> list[str]:
    """Resolve every `entity:NAME` of a query, as `entities:` names are resolved."""
    problems = []
    for reference in q.entities(ast):
        if _lookup(reference.name, catalog, resolved) is None:
            error = q.QueryError(messages.unknown_entity(reference.name, catalog), reference.column)
            problems.append(messages.query_problem(ref.file, node(), error))
    return problems


def _lookup(name: str, catalog: EntityCatalog, resolved: dict[str, Entity]) -> Entity | None:
    """`catalog.resolve(name)`, recorded in `resolved`; many rules name the same entities."""
    entity = resolved.get(name)
    if entity is None:
        entity = catalog.resolve(name)
        if entity is not None:
            resolved[name] = entity
    return entity
