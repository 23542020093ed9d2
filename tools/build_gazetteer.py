"""Generate the built-in gazetteer (`monitor/gazetteer/data/*.json`) from pycountry + overlay.

    python tools/build_gazetteer.py              # rewrite the committed JSON files
    python tools/build_gazetteer.py --out DIR    # write them somewhere else (tests compare)

Why generated: pycountry has every ISO 3166 country with its official names, and ISO 3166-3's
former countries, but not the names the news uses ("South Korea", "Russia", "Ivory Coast"),
nor demonyms, capitals, short forms, organisations or regions; the hand-written
`monitor/gazetteer/data/overlay.yaml` adds those. Generating keeps the two sources honest:
every pycountry country and former country must be covered by the overlay, and the checks
below (no commas, no ambiguous names, no alias shared by two entities, guards that really
contain what they guard) run on every build instead of being remembered. The output is
deterministic (sorted, fixed layout), so the committed JSON can be compared with a fresh
build, and a diff shows exactly what changed.

Files written, one JSON list each (`ambiguous.json` holds names, the others entities):

* countries.json     kind "country": ISO 3166-1 plus Kosovo; opt-in `capitals` per country
* historical.json    kind "historical": former states with no single successor (Soviet Union)
* organisations.json kind "organisation"; `part_of` names the parent of an organ
* regions.json       kind "region": continents, seas, groupings ("Latin America")
* phrases.json       kind "phrase": "guinea pig", "Michael Jordan": block only, never named
* ambiguous.json     names that belong to no entity, with the entities they could mean
* not_covered.md     the names in other languages left out, and why (a report, not data)

Names in other languages (`tools/gazetteer_languages.py`): every country gets its CLDR name
in each language of `LANGUAGES` (Babel's copy of CLDR), plus the overlay's `country_names`
(the forms news uses that CLDR lacks); organisations and regions get the overlay's
`entity_names`.
Each name also gets its generated forms (cases, genitive, particles, prefixes). Then:

* a one-word name that is a common word in another of the languages (wordfreq, Zipf >=
  3.5) is dropped, unless it is also an English name of the same entity or listed in
  `collision_keep`: "Island" (Iceland in German and Swedish) would fire on every English
  "island". An all-capital short form is kept as an exact (case-sensitive) alias instead;
* a name that is an English name of another entity, or a generated form another entity
  also has, is dropped; a name two entities both have as a dictionary form ("Конго")
  becomes ambiguous (it belongs to neither, and `ambiguous.json` lists it);
* every such decision is listed in `not_covered.md`, which the tests compare like the JSON.

The JSON depends on the installed pycountry, Babel and wordfreq versions (a new release can
add, rename or re-rank names, which the comparison test then reports). Babel and wordfreq
are build-time tools here: the runtime reads only the JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from ruamel.yaml import YAML

# The sibling module, and this checkout's `monitor` (not another one installed in the venv).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import gazetteer_languages as languages

from monitor.gazetteer.catalog import name_key

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "monitor" / "gazetteer" / "data"
OVERLAY = DATA / "overlay.yaml"
COUNTRIES = "countries.json"
HISTORICAL = "historical.json"
ORGANISATIONS = "organisations.json"
REGIONS = "regions.json"
PHRASES = "phrases.json"
AMBIGUOUS = "ambiguous.json"
REPORT = "not_covered.md"
OUTPUTS = (COUNTRIES, HISTORICAL, ORGANISATIONS, REGIONS, PHRASES, AMBIGUOUS, REPORT)
"""Every file `build` writes, in `monitor/gazetteer/data/`."""

COUNTRY_KEYS = frozenset({"name", "aliases", "exact", "demonyms", "drop"})
HISTORICAL_KEYS = frozenset({"name", "aliases", "exact", "demonyms", "drop", "into", "skip"})
ORGANISATION_KEYS = frozenset({"name", "aliases", "exact", "part_of"})
REGION_KEYS = frozenset({"name", "aliases", "exact"})
WRAP = 96
"""Width at which alias lists are wrapped in the JSON output, for readable diffs."""

_QUALIFIER = re.compile(r"^(?:the\s+)?(?P<tail>.*\bof(?:\s+the)?)$", re.IGNORECASE)


class OverlayError(ValueError):
    """The overlay or the merged data breaks one of the gazetteer's rules."""


def clean_name(raw: str) -> str | None:
    """A pycountry name as an alias, or None when it cannot be one.

    Commas would read as list separators and never occur in running text the way ISO writes
    them, so "Korea, Republic of" is inverted to "Republic of Korea" (the part after the
    comma ends in "of"/"of the"), "Virgin Islands, British" to "British Virgin Islands"
    (a one-word qualifier), and anything else with a comma ("Taiwan, Province of China",
    "Bonaire, Sint Eustatius and Saba") is dropped: the overlay supplies usable forms.
    Parenthesised parts ("Holy See (Vatican City State)") are removed, and a leading "the"
    ("the State of Eritrea") too, since the matcher finds the name with or without it.
    """
    name = re.sub(r"\s*\([^)]*\)", "", raw).strip()
    if "," in name:
        head, _, tail = name.partition(",")
        tail = tail.strip()
        qualifier = _QUALIFIER.match(tail)
        if qualifier and "," not in tail:
            name = f"{qualifier.group('tail')} {head.strip()}"
        elif tail and " " not in tail:
            name = f"{tail} {head.strip()}"
        else:
            return None
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"\s+", " ", name).strip()
    return name or None


def _str_list(entry: dict[str, Any], key: str, where: str) -> list[str]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise OverlayError(f"{where}: `{key}` must be a list of strings")
    return [str(v) for v in value]


def _checked_entry(entry: Any, allowed: frozenset[str], where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise OverlayError(f"{where}: expected a mapping")
    unknown = sorted(str(k) for k in entry if k not in allowed)
    if unknown:
        raise OverlayError(f"{where}: unknown keys {unknown}; allowed: {sorted(allowed)}")
    if "name" in entry and not isinstance(entry["name"], str):
        raise OverlayError(f"{where}: `name` must be a string")
    return entry


def _mapping(overlay: dict[str, Any], key: str) -> dict[str, Any]:
    value = overlay.get(key) or {}
    if not isinstance(value, dict):
        raise OverlayError(f"overlay: `{key}` must be a mapping")
    return value


def _list(overlay: dict[str, Any], key: str) -> list[Any]:
    value = overlay.get(key) or []
    if not isinstance(value, list):
        raise OverlayError(f"overlay: `{key}` must be a list")
    return value


def ambiguous_names(overlay: dict[str, Any]) -> dict[str, list[str]]:
    """The overlay's `ambiguous` section: name -> the canonical names it could mean."""
    entries = _mapping(overlay, "ambiguous")
    result: dict[str, list[str]] = {}
    for name, candidates in entries.items():
        where = f"overlay ambiguous.{name}"
        if (
            not isinstance(candidates, list)
            or len(candidates) < 2
            or not all(isinstance(c, str) for c in candidates)
        ):
            raise OverlayError(f"{where}: give the two or more entity names it could mean")
        result[str(name)] = [str(c) for c in candidates]
    return result


def _merge(
    name: str,
    names: Iterable[str],
    exact: Iterable[str],
    drop: set[str],
    ambiguous: set[str],
    where: str,
) -> tuple[list[str], list[str]]:
    """Aliases and exact aliases of one entity: deduplicated, filtered, canonical name first.

    Aliases are deduplicated by name key (the first spelling wins, so pycountry's accented
    "Côte d'Ivoire" is kept over "Cote d'Ivoire"). A name listed as exact is removed from
    the aliases: declaring it exact means "only with this case". Ambiguous names and the
    overlay's `drop` list are removed; the canonical name may not be one of them.
    """
    exact_list = list(dict.fromkeys(exact))
    exact_keys = {name_key(e) for e in exact_list}
    for form in exact_list:
        if name_key(form) in ambiguous:
            raise OverlayError(f"{where}: exact alias {form!r} is listed as ambiguous")
    if name_key(name) in ambiguous | drop | exact_keys:
        raise OverlayError(f"{where}: canonical name {name!r} is dropped, ambiguous or exact")
    seen: dict[str, str] = {}
    for alias in (name, *names):
        key = name_key(alias)
        if not key:
            raise OverlayError(f"{where}: alias {alias!r} has no letter or digit")
        if key in ambiguous or key in drop or key in exact_keys or key in seen:
            continue
        seen[key] = alias
    rest = sorted(
        (a for k, a in seen.items() if k != name_key(name)), key=lambda a: (name_key(a), a)
    )
    return [name, *rest], sorted(exact_list, key=lambda a: (a.casefold(), a))


def _sorted(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: (name_key(r["name"]), r["name"]))


def _historical(
    overlay: dict[str, Any],
    ambiguous: set[str],
) -> tuple[list[dict[str, Any]], dict[str, tuple[list[str], list[str]]]]:
    """Former states (ISO 3166-3 and the overlay's extras): own records, or names to fold.

    A former state is folded into the one current country that continues it (`into: MM` for
    Burma): its names become that country's aliases, returned as code -> (aliases, exact).
    One that split up or was absorbed keeps its own record (the Soviet Union), so its names
    never count for one successor; `skip: true` leaves out what the news does not name.
    """
    entries = _mapping(overlay, "historical")
    extras = _list(overlay, "extra_historical")
    iso = {c.alpha_4: c for c in pycountry.historic_countries}
    missing = sorted(set(iso) - set(entries))
    unknown = sorted(str(k) for k in entries if k not in iso)
    if missing or unknown:
        raise OverlayError(
            f"overlay historical: missing codes {missing} (every ISO 3166-3 "
            f"former country needs an entry, even `{{skip: true}}`); unknown "
            f"codes {unknown} (use `extra_historical`)"
        )
    records: list[dict[str, Any]] = []
    folded: dict[str, tuple[list[str], list[str]]] = {}
    for code in sorted(iso):
        where = f"overlay historical.{code}"
        entry = _checked_entry(entries[code], HISTORICAL_KEYS, where)
        if entry.get("skip"):
            if set(entry) != {"skip"}:
                raise OverlayError(f"{where}: a skipped entry has no other keys")
            continue
        drop = {name_key(d) for d in _str_list(entry, "drop", where)}
        derived = clean_name(iso[code].name)
        names = [n for n in (derived,) if n and name_key(n) not in drop]
        more = [*names, *_str_list(entry, "aliases", where), *_str_list(entry, "demonyms", where)]
        exact = _str_list(entry, "exact", where)
        if "into" in entry:
            if "name" in entry:
                raise OverlayError(f"{where}: `into` and `name` exclude each other")
            aliases, exacts = folded.setdefault(str(entry["into"]), ([], []))
            aliases.extend(more)
            exacts.extend(exact)
            continue
        if "name" not in entry:
            raise OverlayError(f"{where}: give `name` (own entity), `into` or `skip`")
        aliases, exact = _merge(entry["name"], more, exact, drop, ambiguous, where)
        records.append(
            {
                "name": entry["name"],
                "kind": "historical",
                "code": code,
                "aliases": aliases,
                "exact": exact,
            }
        )
    for i, raw in enumerate(extras):
        where = f"overlay extra_historical[{i}]"
        entry = _checked_entry(raw, HISTORICAL_KEYS - {"drop", "skip"}, where)
        more = [*_str_list(entry, "aliases", where), *_str_list(entry, "demonyms", where)]
        if "into" in entry:
            aliases, exacts = folded.setdefault(str(entry["into"]), ([], []))
            aliases.extend(more)
            exacts.extend(_str_list(entry, "exact", where))
            continue
        if "name" not in entry:
            raise OverlayError(f"{where}: give `name` (own entity) or `into`")
        aliases, exact = _merge(
            entry["name"], more, _str_list(entry, "exact", where), set(), ambiguous, where
        )
        records.append(
            {"name": entry["name"], "kind": "historical", "aliases": aliases, "exact": exact}
        )
    return _sorted(records), folded


def _capitals(overlay: dict[str, Any], codes: set[str]) -> dict[str, list[str]]:
    """The overlay's `capitals` section: code -> capital names (seats of government too)."""
    entries = _mapping(overlay, "capitals")
    unknown = sorted(str(k) for k in entries if k not in codes)
    if unknown:
        raise OverlayError(f"overlay capitals: unknown country codes {unknown}")
    result: dict[str, list[str]] = {}
    for code, names in entries.items():
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise OverlayError(f"overlay capitals.{code}: expected a list of names")
        result[str(code)] = [str(n) for n in names]
    return result


def build_countries(
    overlay: dict[str, Any],
    folded: dict[str, tuple[list[str], list[str]]] | None = None,
) -> list[dict[str, Any]]:
    """One record per pycountry country (plus the overlay's extras), sorted by name.

    `folded` adds the names of former states continued by a country (see `_historical`).
    Each record gets `capitals`: the capital names that are not already one of its aliases
    ("Singapore", "Luxembourg"), an opt-in list the matcher does not use by default.
    """
    ambiguous = {name_key(a) for a in ambiguous_names(overlay)}
    folded = folded or {}
    entries = overlay.get("countries")
    extras = overlay.get("extra_countries") or {}
    if not isinstance(entries, dict) or not isinstance(extras, dict):
        raise OverlayError("overlay: `countries` and `extra_countries` must be mappings")
    codes = {c.alpha_2 for c in pycountry.countries}
    missing = sorted(codes - set(entries))
    unknown = sorted(str(k) for k in entries if k not in codes)
    if missing or unknown:
        raise OverlayError(
            f"overlay countries: missing codes {missing} (every pycountry "
            f"country needs an entry, even `{{demonyms: []}}`); "
            f"unknown codes {unknown} (use `extra_countries`)"
        )
    clash = sorted(str(k) for k in extras if k in codes)
    if clash:
        raise OverlayError(f"overlay extra_countries: {clash} are pycountry countries")
    stray = sorted(set(folded) - codes - {str(k) for k in extras})
    if stray:
        raise OverlayError(f"overlay historical: `into` names unknown country codes {stray}")
    capitals = _capitals(overlay, codes | {str(k) for k in extras})

    records: list[dict[str, Any]] = []
    sources: list[tuple[str, dict[str, Any], list[str], str]] = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code: str = country.alpha_2
        where = f"overlay countries.{code}"
        entry = _checked_entry(entries[code], COUNTRY_KEYS, where)
        if "demonyms" not in entry:
            raise OverlayError(f"{where}: give `demonyms` (write `demonyms: []` if none)")
        derived = [
            clean_name(getattr(country, attr))
            for attr in ("common_name", "name", "official_name")
            if getattr(country, attr, None)
        ]
        sources.append((code, entry, [n for n in derived if n], where))
    for code, raw in sorted(extras.items()):
        where = f"overlay extra_countries.{code}"
        entry = _checked_entry(raw, COUNTRY_KEYS - {"drop"}, where)
        if "name" not in entry or "demonyms" not in entry:
            raise OverlayError(f"{where}: an extra country needs `name` and `demonyms`")
        sources.append((str(code), entry, [], where))
    for code, entry, names, where in sources:
        canonical = entry.get("name") or names[0]
        old_names, old_exact = folded.get(code, ([], []))
        aliases, exact = _merge(
            canonical,
            [
                *names,
                *_str_list(entry, "aliases", where),
                *_str_list(entry, "demonyms", where),
                *old_names,
            ],
            [*_str_list(entry, "exact", where), *old_exact],
            {name_key(d) for d in _str_list(entry, "drop", where)},
            ambiguous,
            where,
        )
        own = {name_key(a) for a in (*aliases, *exact)}
        capital_list = list(
            dict.fromkeys(c for c in capitals.get(code, []) if name_key(c) not in own)
        )
        records.append(
            {
                "name": canonical,
                "kind": "country",
                "code": code,
                "aliases": aliases,
                "exact": exact,
                "capitals": capital_list,
            }
        )
    return _sorted(records)


def _plain_records(
    overlay: dict[str, Any], section: str, kind: str, allowed: frozenset[str]
) -> list[dict[str, Any]]:
    """The records of a list section of the overlay (organisations, regions), sorted."""
    ambiguous = {name_key(a) for a in ambiguous_names(overlay)}
    entries = overlay.get(section)
    if not isinstance(entries, list):
        raise OverlayError(f"overlay: `{section}` must be a list")
    records: list[dict[str, Any]] = []
    for i, raw in enumerate(entries):
        where = f"overlay {section}[{i}]"
        entry = _checked_entry(raw, allowed, where)
        if "name" not in entry:
            raise OverlayError(f"{where}: `name` is required")
        aliases, exact = _merge(
            entry["name"],
            _str_list(entry, "aliases", where),
            _str_list(entry, "exact", where),
            set(),
            ambiguous,
            where,
        )
        record: dict[str, Any] = {"name": entry["name"], "kind": kind}
        if "part_of" in entry:
            record["part_of"] = str(entry["part_of"])
        record.update(aliases=aliases, exact=exact)
        records.append(record)
    return _sorted(records)


def build_organisations(overlay: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per organisation in the overlay, sorted by name.

    `part_of` (an organ of another organisation: the European Commission of the EU, the
    Security Council of the UN) must name an organisation of the list that is not itself
    a part: one level keeps "counts as its parent" easy to reason about.
    """
    records = _plain_records(overlay, "organisations", "organisation", ORGANISATION_KEYS)
    names = {r["name"]: r for r in records}
    for record in records:
        parent = record.get("part_of")
        if parent is None:
            continue
        if parent not in names:
            raise OverlayError(
                f"organisation {record['name']!r}: part_of {parent!r} is not "
                "an organisation's canonical name"
            )
        if "part_of" in names[parent]:
            raise OverlayError(
                f"organisation {record['name']!r}: its parent {parent!r} is "
                "itself a part; parts are one level deep"
            )
    return records


def build_regions(overlay: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per region (continent, sea, grouping of countries), sorted by name."""
    return _plain_records(overlay, "regions", "region", REGION_KEYS)


def build_phrases(
    overlay: dict[str, Any],
    entities: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """One record per guard phrase: a common phrase that holds an entity's name without
    being about it ("guinea pig", "Michael Jordan", "Thanksgiving turkey").

    The overlay groups them under the entity they protect (`Turkey: [roast turkey, ...]`);
    each must contain one of that entity's names as whole words (in Chinese or Japanese, as
    characters: "朝鲜族" holds "朝鲜"), or it would guard nothing.
    """
    groups = _mapping(overlay, "phrases")
    by_name = {r["name"]: r for r in entities}
    records: list[dict[str, Any]] = []
    for guarded, phrases in groups.items():
        where = f"overlay phrases.{guarded}"
        target = by_name.get(str(guarded))
        if target is None:
            raise OverlayError(f"{where}: {guarded!r} is not an entity's canonical name")
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise OverlayError(f"{where}: expected a list of phrases")
        names = [*target["aliases"], *target["exact"]]
        for phrase in phrases:
            if not any(languages.contains(phrase, n) for n in names):
                raise OverlayError(f"{where}: {phrase!r} contains none of {guarded}'s names")
            records.append(
                {
                    "name": phrase,
                    "kind": "phrase",
                    "guards": str(guarded),
                    "aliases": [phrase],
                    "exact": [],
                }
            )
    return _sorted(records)


def build_ambiguous(
    ambiguous: dict[str, list[str]],
    entities: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The ambiguous names with their candidates, which must be built-in entities.

    `ambiguous` holds the overlay's names, their generated forms and the names the
    language pass found two entities sharing; one record per name key (the first wins).
    """
    known = {r["name"] for r in entities if r["kind"] != "phrase"}
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name, candidates in ambiguous.items():
        unknown = [c for c in candidates if c not in known]
        if unknown:
            raise OverlayError(f"overlay ambiguous.{name}: {unknown} are not entity names")
        if name_key(name) not in seen:
            seen.add(name_key(name))
            records.append({"name": name, "candidates": sorted(candidates)})
    return _sorted(records)


# --- names in other languages -----------------------------------------------------------------


@dataclass(frozen=True)
class _Form:
    """One candidate name in another language for one entity."""

    text: str
    lang: str
    generated: bool  # made by an inflection rule, not a dictionary form


@dataclass
class LanguageReport:
    """What the language pass left out or changed, for `not_covered.md`."""

    common: list[tuple[str, str, str, str]]  # entity, name, languages, where common
    taken: list[tuple[str, str, str, str]]  # entity, name, languages, owner
    ambiguous: dict[str, list[str]]  # name -> entities (automatic)
    exact: list[tuple[str, str, str]]  # entity, name, languages


def _lang_mapping(overlay: dict[str, Any], key: str) -> dict[str, Any]:
    """A per-language overlay section, checked: its keys must be in `LANGUAGES`."""
    section = _mapping(overlay, key)
    unknown = sorted(str(k) for k in section if k not in languages.LANGUAGES)
    if unknown:
        raise OverlayError(f"overlay {key}: unknown languages {unknown}")
    for lang, value in section.items():
        if not isinstance(value, dict | list):
            raise OverlayError(f"overlay {key}.{lang}: expected a mapping or a list")
    return section


def _names_by_language(value: Any, where: str) -> dict[str, list[str]]:
    """An entry's `names` (language -> names), checked."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise OverlayError(f"{where}: `names` must map languages to lists of names")
    result: dict[str, list[str]] = {}
    for lang, names in value.items():
        if lang not in languages.LANGUAGES:
            raise OverlayError(f"{where}.names: unknown language {lang!r}")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise OverlayError(f"{where}.names.{lang}: expected a list of names")
        result[str(lang)] = [str(n) for n in names]
    return result


def _with_forms(lang: str, names: Iterable[str], irregular: dict[str, list[str]]) -> list[_Form]:
    """Each name and its generated forms (the overlay's `irregular` list replaces the rules)."""
    forms: list[_Form] = []
    for name in names:
        forms.append(_Form(name, lang, False))
        made = irregular.get(name)
        generated = made if made is not None else languages.inflect(lang, name)
        forms.extend(_Form(f, lang, True) for f in generated)
    return forms


def _script_languages(name: str) -> list[str]:
    """The inflecting languages written in the script of `name`'s first letter."""
    scripts = {
        "CYRILLIC": ("ru", "uk"),
        "LATIN": ("de", "sv", "pl"),
        "HANGUL": ("ko",),
        "ARABIC": ("ar",),
        "HEBREW": ("he",),
    }
    first = next((ch for ch in name if ch.isalpha()), "")
    script = unicodedata.name(first, "").split(" ")[0] if first else ""
    return list(scripts.get(script, ()))


def ambiguous_forms(overlay: dict[str, Any]) -> dict[str, list[str]]:
    """The overlay's ambiguous names and their generated forms in the languages of their
    script ("Корея" -> "Кореи", "Корею" ...; "Korea" -> "Koreas", "Korei" ...)."""
    result: dict[str, list[str]] = {}
    for name, candidates in ambiguous_names(overlay).items():
        result.setdefault(name, candidates)
        for lang in _script_languages(name):
            for form in languages.inflect(lang, name):
                result.setdefault(form, candidates)
    return result


def add_languages(
    overlay: dict[str, Any],
    countries: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    words: languages.CommonWords | None = None,
) -> LanguageReport:
    """Add the names in other languages to `countries` and `entities` (organisations and
    regions, named in `entity_names`), in place; return what was left out and why.

    See the module docstring for the rules. `words` defaults to wordfreq's lists for
    `LANGUAGES`; tests pass a smaller one.
    """
    country_names = _lang_mapping(overlay, "country_names")
    country_exact = _lang_mapping(overlay, "country_exact")
    cldr_drop = _lang_mapping(overlay, "cldr_drop")
    irregular = _lang_mapping(overlay, "irregular")
    keep = {name_key(k) for k in _list(overlay, "collision_keep")}
    banned = {name_key(a) for a in ambiguous_forms(overlay)}
    words = words or languages.common_words()
    entity_names = _mapping(overlay, "entity_names")
    known = {r["name"] for r in entities}
    stray = sorted(str(k) for k in entity_names if k not in known)
    if stray:
        raise OverlayError(f"overlay entity_names: {stray} are not organisations or regions")
    names_of = {
        str(k): _names_by_language(v, f"overlay entity_names.{k}") for k, v in entity_names.items()
    }

    candidates: dict[str, list[_Form]] = {}
    exact_forms: dict[str, list[_Form]] = defaultdict(list)
    for lang in languages.LANGUAGES:
        cldr = languages.cldr_names(lang)
        dropped = {name_key(d) for d in cldr_drop.get(lang, [])}
        extra = country_names.get(lang, {})
        exact = country_exact.get(lang, {})
        forms_of = irregular.get(lang, {})
        for record in countries:
            code = record["code"]
            names = [n for n in cldr.get(code, []) if name_key(n) not in dropped]
            names += [str(n) for n in extra.get(code, [])]
            found = _with_forms(lang, names, forms_of)
            candidates.setdefault(record["name"], []).extend(found)
            exact_forms[record["name"]].extend(
                _Form(str(n), lang, False) for n in exact.get(code, [])
            )
        for record in entities:
            names = names_of.get(record["name"], {}).get(lang, [])
            candidates.setdefault(record["name"], []).extend(_with_forms(lang, names, forms_of))

    records = {r["name"]: r for r in [*countries, *entities]}
    english: dict[str, str] = {}  # name key -> owner, over every record's current names
    for record in [*countries, *entities]:
        for form in (*record["aliases"], *record["exact"], *record.get("capitals", ())):
            english.setdefault(name_key(form), record["name"])
    report = LanguageReport([], [], {}, [])

    # 1. ordinary words in another language, and names owned by another entity in English
    kept: dict[str, list[_Form]] = {}
    for owner, forms in candidates.items():
        langs_of: dict[str, set[str]] = defaultdict(set)
        for form in forms:
            langs_of[name_key(form.text)].add(form.lang)
        own = {k for k, o in english.items() if o == owner}
        exact_keys = {name_key(f.text) for f in exact_forms.get(owner, [])}
        survivors: list[_Form] = []
        for form in forms:
            key = name_key(form.text)
            if key in banned or key in exact_keys or not key:
                continue
            if key in own:
                continue  # already one of its names
            if key in english:
                report.taken.append(
                    (owner, form.text, ",".join(sorted(langs_of[key])), english[key])
                )
                continue
            common = [] if key in keep else words.common_in(form.text, langs_of[key])
            if common:
                where = ", ".join(f"{lang} {zipf:.1f}" for lang, zipf in common)
                if not form.generated and form.text.isupper() and len(form.text) <= 6:
                    report.exact.append((owner, form.text, ",".join(sorted(langs_of[key]))))
                    exact_forms[owner].append(form)
                else:
                    report.common.append((owner, form.text, ",".join(sorted(langs_of[key])), where))
                continue
            survivors.append(form)
        kept[owner] = survivors

    # 2. one name for two entities: ambiguous if both have it as a dictionary form,
    #    else the generated one gives way
    holders: dict[str, dict[str, bool]] = defaultdict(dict)  # key -> owner -> has a base form
    for owner, forms in kept.items():
        for form in forms:
            have = holders[name_key(form.text)]
            have[owner] = have.get(owner, False) or not form.generated
    lost: dict[str, set[str]] = defaultdict(set)  # owner -> keys it does not get
    for key, have in holders.items():
        if len(have) < 2:
            continue
        bases = sorted(o for o, base in have.items() if base)
        if len(bases) >= 2:
            text = next(f.text for f in kept[bases[0]] if name_key(f.text) == key)
            report.ambiguous[text] = bases
        for owner in have:
            if len(bases) != 1 or owner != bases[0]:
                lost[owner].add(key)
                if len(bases) < 2:
                    text = next(f.text for f in kept[owner] if name_key(f.text) == key)
                    others = ", ".join(sorted(set(have) - {owner}))
                    report.taken.append((owner, text, "generated", others))

    for owner, forms in kept.items():
        record = records[owner]
        seen = {name_key(a) for a in (*record["aliases"], *record["exact"])}
        added: list[str] = []
        for form in forms:
            key = name_key(form.text)
            if key in lost[owner] or key in seen:
                continue
            seen.add(key)
            added.append(form.text)
        name = record["aliases"][0]
        rest = sorted([*record["aliases"][1:], *added], key=lambda a: (name_key(a), a))
        record["aliases"] = [name, *rest]
        extra_exact = [f.text for f in exact_forms.get(owner, []) if name_key(f.text) not in seen]
        record["exact"] = sorted(
            dict.fromkeys([*record["exact"], *extra_exact]), key=lambda a: (a.casefold(), a)
        )
    report.common = sorted(set(report.common))
    report.taken = sorted(set(report.taken))
    report.exact = sorted(set(report.exact))
    return report


def render_report(report: LanguageReport) -> str:
    """`not_covered.md`: the names in other languages the build left out, and why."""
    lines = [
        "# Names in other languages that are not aliases",
        "",
        "Generated by `tools/build_gazetteer.py` (do not edit): the CLDR names, the overlay's",
        "`country_names`/`names` and their generated forms that the build left out. A text that",
        "uses only one of these names does not count as a mention of the entity.",
        "",
        "## Ordinary words in another language (wordfreq Zipf >= "
        f"{languages.COMMON_ZIPF}): dropped",
        "",
        "| entity | name | from | common in (Zipf) |",
        "|---|---|---|---|",
        *(f"| {e} | {n} | {langs} | {where} |" for e, n, langs, where in report.common),
        "",
        "## All-capital short forms that are words elsewhere: exact (case-sensitive) only",
        "",
        "| entity | name | from |",
        "|---|---|---|",
        *(f"| {e} | {n} | {langs} |" for e, n, langs in report.exact),
        "",
        "## Names another entity has: left to it",
        "",
        "| entity | name | from | belongs to |",
        "|---|---|---|---|",
        *(f"| {e} | {n} | {langs} | {o} |" for e, n, langs, o in report.taken),
        "",
        "## Names two entities have: ambiguous (in `ambiguous.json`)",
        "",
        "| name | could mean |",
        "|---|---|",
        *(f"| {n} | {', '.join(c)} |" for n, c in sorted(report.ambiguous.items())),
        "",
    ]
    return "\n".join(lines)


def check(records: list[dict[str, Any]], ambiguous: Iterable[str]) -> list[str]:
    """Every problem in the merged data; an empty list means it may be written.

    No comma anywhere; no ambiguous name; no name key (alias, exact or capital) shared by
    two entities, since `EntityCatalog.resolve` could only return one of them and the
    matcher would report the same words as two entities. (An organisation still counts as
    its parent: the catalog adds a part's names to its parent when loading, not here.)
    """
    banned = {name_key(a) for a in ambiguous}
    problems: list[str] = []
    owner: dict[str, str] = {}
    for record in records:
        if record["name"] not in record["aliases"]:
            problems.append(f"{record['name']}: canonical name missing from aliases")
        for form in (*record["aliases"], *record["exact"], *record.get("capitals", ())):
            key = name_key(form)
            if "," in form:
                problems.append(f"{record['name']}: {form!r} contains a comma")
            if key in banned:
                problems.append(f"{record['name']}: {form!r} is ambiguous")
            other = owner.setdefault(key, record["name"])
            if other != record["name"]:
                problems.append(f"{form!r} belongs to both {other!r} and {record['name']!r}")
    return problems


def _wrapped(key: str, values: list[str], indent: str) -> str:
    """`"key": [..],` with the list wrapped at `WRAP` columns, one value never split."""
    lines: list[str] = []
    line = f'{indent}"{key}": ['
    for i, value in enumerate(values):
        last = i == len(values) - 1
        item = json.dumps(value, ensure_ascii=False) + ("]," if last else ",")
        sep = "" if line.endswith("[") else " "
        if len(line) + len(sep) + len(item) > WRAP and not line.endswith("["):
            lines.append(line)
            line, sep = indent + "  ", ""
        line += sep + item
    if not values:
        line += "],"
    lines.append(line)
    return "\n".join(lines)


_LIST_KEYS = ("aliases", "exact", "capitals", "candidates")
"""Keys rendered as wrapped lists, in this order, after the scalar keys."""


def render(records: list[dict[str, Any]]) -> str:
    """The records as JSON text: one object per few lines, keys in a fixed order.

    `json.dumps(indent=...)` would put every alias on its own line (thousands of lines);
    this keeps an entity together and still parses as plain JSON.
    """
    blocks: list[str] = []
    for record in records:
        head = ", ".join(
            f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
            for k, v in record.items()
            if k not in _LIST_KEYS
        )
        lists = [_wrapped(k, record[k], "   ") for k in _LIST_KEYS if k in record]
        body = "\n".join(lists)[:-1]  # no comma after the last key
        blocks.append("  {" + head + ",\n" + body + "}")
    text = "[\n" + ",\n".join(blocks) + "\n]\n"
    if json.loads(text) != records:  # the hand-made layout must not change the data
        raise AssertionError("render() produced JSON that does not round-trip")
    return text


def load_overlay(path: Path = OVERLAY) -> dict[str, Any]:
    """The overlay YAML as plain Python data (safe loader: no tags, no code)."""
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise OverlayError(f"{path}: expected a mapping at the top level")
    return data


def build_all(
    overlay: dict[str, Any], words: languages.CommonWords | None = None
) -> tuple[dict[str, list[dict[str, Any]]], LanguageReport]:
    """Every output file's records, checked together, and the language pass's report;
    raises OverlayError on any problem."""
    ambiguous = ambiguous_names(overlay)
    banned = {name_key(a) for a in ambiguous}
    historical, folded = _historical(overlay, banned)
    countries = build_countries(overlay, folded)
    organisations = build_organisations(overlay)
    regions = build_regions(overlay)
    report = add_languages(overlay, countries, [*organisations, *regions], words)
    named = [*countries, *historical, *organisations, *regions]
    phrases = build_phrases(overlay, named)
    every_ambiguous = {**ambiguous_forms(overlay), **report.ambiguous}
    problems = check([*named, *phrases], every_ambiguous)
    if problems:
        raise OverlayError("gazetteer data has problems:\n  " + "\n  ".join(problems))
    files = {
        COUNTRIES: countries,
        HISTORICAL: historical,
        ORGANISATIONS: organisations,
        REGIONS: regions,
        PHRASES: phrases,
        AMBIGUOUS: build_ambiguous(every_ambiguous, named),
    }
    return files, report


def build(out_dir: Path, overlay_path: Path = OVERLAY) -> dict[str, int]:
    """Build, check and write every output file into `out_dir`; return counts for the summary."""
    files, report = build_all(load_overlay(overlay_path))
    out_dir.mkdir(parents=True, exist_ok=True)
    for filename, records in files.items():
        (out_dir / filename).write_text(render(records), encoding="utf-8")
    (out_dir / REPORT).write_text(render_report(report), encoding="utf-8")
    entities = [r for f, rs in files.items() if f != AMBIGUOUS for r in rs]
    return {
        "countries": len(files[COUNTRIES]),
        "historical": len(files[HISTORICAL]),
        "organisations": len(files[ORGANISATIONS]),
        "regions": len(files[REGIONS]),
        "phrases": len(files[PHRASES]),
        "ambiguous names": len(files[AMBIGUOUS]),
        "aliases": sum(len(r["aliases"]) for r in entities),
        "exact": sum(len(r["exact"]) for r in entities),
        "capitals": sum(len(r["capitals"]) for r in files[COUNTRIES]),
        "names left out": len(report.common) + len(report.taken),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=DATA, help=f"output folder (default: {DATA.relative_to(ROOT)})"
    )
    parser.add_argument("--overlay", type=Path, default=OVERLAY, help="overlay YAML to read")
    args = parser.parse_args(argv)
    try:
        counts = build(args.out, args.overlay)
    except OverlayError as exc:
        print(f"build_gazetteer: {exc}", file=sys.stderr)
        return 1
    print(
        "build_gazetteer: wrote "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
        + f" to {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
