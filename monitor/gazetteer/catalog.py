"""The built-in gazetteer and the catalog that turns a name in a rule into an `Entity`.

Rules name entities the way people write them (`entities: [NATO, South Korea]`,
`[nato, cote d'ivoire]`), so lookup goes by a *name key*: the words of the name, case-folded
and stripped of accents, joined by single spaces. That is the same notion of "word" the
matcher uses (punctuation, hyphens and apostrophes separate words), so "S. Korea",
"s korea" and "S-Korea" are one key. Exact-case aliases ("US", "WHO") are case-sensitive when
matching article text, but a rule author typing `who` or `Us` plainly means the entity, so
lookup ignores case for them too.

The built-in entities live in `data/countries.json` and `data/organisations.json`, generated
by `tools/build_gazetteer.py` from pycountry and a curated overlay; only the JSON is read
here, so the runtime needs neither pycountry's data nor the YAML overlay.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process

from monitor.gazetteer.model import Entity

DATA_FILES = ("countries.json", "organisations.json")
"""The built-in data files, in `monitor/gazetteer/data/`."""

SUGGEST_CUTOFF = 75.0
"""Minimum rapidfuzz `ratio` (0-100) for `suggest` to offer a name.

High enough that "Sout Korea" -> "South Korea" and "Columbia" -> "Colombia" are offered but an
unrelated word is not turned into a confident-looking wrong suggestion.
"""

_WORD = re.compile(r"[^\W_]+")


def name_key(text: str) -> str:
    """The lookup key of a name: its words, case-folded, without accents, space-joined.

    "Côte d'Ivoire" -> "cote d ivoire", "S. Korea" -> "s korea". NFKC first so ligatures and
    full-width letters count as letters, then accents are dropped by decomposing and removing
    the combining marks. Agrees with `monitor.matching.normalize.normalize` on every built-in
    alias (a test checks it); it is duplicated here rather than imported because the matcher
    package depends on the gazetteer, not the other way round.
    """
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(unicodedata.normalize("NFC", bare)))


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def _entity(item: Any, where: str) -> Entity:
    """One JSON object as an `Entity`, refusing malformed data with a message that says where."""
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise ValueError(f"{where}: expected an object with a string `name`, got {item!r}")
    name: str = item["name"]
    kind = item.get("kind", "custom")
    if not isinstance(kind, str):
        raise ValueError(f"{where} ({name}): `kind` must be a string")
    aliases = _strings(item.get("aliases", []), f"{where} ({name}).aliases")
    if name not in aliases:
        aliases = (name, *aliases)
    return Entity(name=name, aliases=aliases,
                  exact=_strings(item.get("exact", []), f"{where} ({name}).exact"),
                  kind=kind)


@cache
def load_builtin() -> tuple[Entity, ...]:
    """Every built-in entity (countries, then organisations), read once per process.

    Cached because every rule load builds a catalog and the files never change while the
    daemon runs; the tuple and its entities are immutable, so sharing them is safe.
    """
    folder = resources.files("monitor.gazetteer").joinpath("data")
    entities: list[Entity] = []
    for filename in DATA_FILES:
        data = json.loads(folder.joinpath(filename).read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise ValueError(f"gazetteer data/{filename}: expected a JSON list")
        entities.extend(_entity(item, f"gazetteer data/{filename}[{i}]")
                        for i, item in enumerate(data))
    return tuple(entities)


class EntityCatalog:
    """Built-in entities plus the user's own, looked up by any of their names.

    A user entity replaces the built-in one with the same canonical name (compared by name
    key), so a rule file can redefine "NATO" with its own aliases. Lookup tries canonical
    names before aliases, and user entities before built-in ones, so a user alias can never
    hide a built-in entity's canonical name, but it does shadow a built-in alias.
    """

    def __init__(self, user: Iterable[Entity] = (), *,
                 builtin: Iterable[Entity] | None = None) -> None:
        """`builtin` defaults to `load_builtin()`; pass `()` for a catalog of user entities only."""
        own = tuple(user)
        replaced = {name_key(e.name) for e in own}
        base = load_builtin() if builtin is None else tuple(builtin)
        self._entities = (*(e for e in base if name_key(e.name) not in replaced), *own)
        self._by_name: dict[str, Entity] = {}
        self._by_alias: dict[str, Entity] = {}
        for entity in self._entities:  # built-ins first: the user's entries overwrite theirs
            self._by_name[name_key(entity.name)] = entity
            for alias in (*entity.aliases, *entity.exact):
                self._by_alias[name_key(alias)] = entity
        self._by_name.pop("", None)
        self._by_alias.pop("", None)
        # Canonical names first so that `suggest` prefers them when scores tie.
        self._choices = list(dict.fromkeys([*self._by_name, *self._by_alias]))

    @property
    def entities(self) -> tuple[Entity, ...]:
        """Every entity in the catalog: the built-ins not replaced, then the user's."""
        return self._entities

    def __len__(self) -> int:
        return len(self._entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self._entities)

    def resolve(self, name: str) -> Entity | None:
        """The entity `name` refers to (canonical name, alias or exact alias), or None.

        Case-, accent- and punctuation-insensitive: "nato", "Côte d'Ivoire" and
        "cote d'ivoire", "S. Korea" and "s korea" all resolve.
        """
        key = name_key(name)
        return self._by_name.get(key) or self._by_alias.get(key)

    def suggest(self, name: str) -> str | None:
        """The canonical name of the entity whose name is closest to `name`, if close enough.

        For "unknown entity 'Sout Korea': did you mean 'South Korea'?". Every name and alias
        is compared (so "Sth Korean" finds South Korea through "South Korean"), but the answer
        is always a canonical name, which is what the user should write.
        """
        key = name_key(name)
        if not key:
            return None
        found = self.resolve(name)
        if found is not None:
            return found.name
        best = process.extractOne(key, self._choices, scorer=fuzz.ratio,
                                  score_cutoff=SUGGEST_CUTOFF)
        if best is None:
            return None
        choice = best[0]
        entity = self._by_name.get(choice) or self._by_alias[choice]
        return entity.name
