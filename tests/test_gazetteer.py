"""The built-in gazetteer: complete, unambiguous data, and name lookup as rule authors type."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pycountry
import pytest

from monitor.gazetteer import Entity, EntityCatalog, load_builtin, name_key

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "monitor" / "gazetteer" / "data"
SCRIPT = REPO / "tools" / "build_gazetteer.py"


def _records(filename: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((DATA / filename).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def catalog() -> EntityCatalog:
    return EntityCatalog()


def _by_name(name: str) -> Entity:
    found = [e for e in load_builtin() if e.name == name]
    assert len(found) == 1, name
    return found[0]


def _keys(entity: Entity) -> set[str]:
    return {name_key(a) for a in (*entity.aliases, *entity.exact)}


# --- the data -----------------------------------------------------------------------------


def test_every_pycountry_country_is_present() -> None:
    codes = {r["code"] for r in _records("countries.json")}
    missing = {c.alpha_2 for c in pycountry.countries} - codes
    assert not missing


def test_records_are_well_formed_and_sorted() -> None:
    for filename, kind in (("countries.json", "country"), ("organisations.json", "organisation")):
        records = _records(filename)
        assert records == sorted(records, key=lambda r: (name_key(r["name"]), r["name"]))
        for record in records:
            assert record["kind"] == kind
            assert record["aliases"][0] == record["name"]
            assert all(isinstance(a, str) and a.strip() == a and a for a in record["aliases"])


def test_no_alias_contains_a_comma() -> None:
    commas = [a for e in load_builtin() for a in (*e.aliases, *e.exact) if "," in a]
    assert commas == []


def test_no_alias_is_shared_by_two_entities() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in load_builtin():
        for key in _keys(entity):
            owners[key].add(entity.name)
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert shared == {}


@pytest.mark.parametrize("word", ["Korea", "Korean", "Koreans", "Congo", "Congolese",
                                  "Macedonia", "Virgin Islands"])
def test_ambiguous_names_belong_to_no_entity(word: str, catalog: EntityCatalog) -> None:
    assert not [e.name for e in load_builtin() if name_key(word) in _keys(e)]
    assert catalog.resolve(word) is None


def test_capitals_are_not_aliases(catalog: EntityCatalog) -> None:
    for capital in ("Seoul", "Washington", "Moscow", "Beijing", "Paris", "Kinshasa"):
        assert catalog.resolve(capital) is None


def test_south_korea() -> None:
    korea = _by_name("South Korea")
    assert {"South Korea", "S Korea", "South Korean", "Republic of Korea"} <= set(korea.aliases)
    assert korea.exact == ("ROK",)
    assert korea.kind == "country"


def test_north_korea() -> None:
    korea = _by_name("North Korea")
    assert "Democratic People's Republic of Korea" in korea.aliases
    assert "DPRK" in korea.exact


def test_comma_names_are_inverted_or_dropped() -> None:
    assert "Republic of Moldova" in _by_name("Moldova").aliases
    assert "Democratic Republic of the Congo" in _by_name("DR Congo").aliases
    by_code = {r["code"]: r for r in _records("countries.json")}
    assert by_code["VG"]["name"] == "British Virgin Islands"  # "Virgin Islands, British"
    assert "U.S. Virgin Islands" in by_code["VI"]["aliases"]  # "Virgin Islands, U.S."
    assert not any("Province of China" in a for a in _by_name("Taiwan").aliases)


def test_longer_names_exist_for_the_longest_match_rule() -> None:
    # The matcher drops "Guinea" inside these longer hits; it can only do so if they exist.
    names = {name_key(a) for e in load_builtin() for a in e.aliases}
    for longer in ("Papua New Guinea", "Equatorial Guinea", "Guinea-Bissau", "South Sudan",
                   "Democratic Republic of the Congo", "American Samoa", "Northern Ireland"):
        assert name_key(longer) in names


def test_demonyms_for_common_countries(catalog: EntityCatalog) -> None:
    expected = {"Dutch": "Netherlands", "Swiss": "Switzerland", "British": "United Kingdom",
                "American": "United States", "French": "France", "German": "Germany",
                "Dominican": "Dominican Republic", "Ivorian": "Ivory Coast",
                "Polish": "Poland", "Emirati": "United Arab Emirates"}
    assert {word: getattr(catalog.resolve(word), "name", None) for word in expected} == expected


def test_short_forms_that_are_words_are_exact() -> None:
    assert {"US", "U.S."} <= set(_by_name("United States").exact)
    assert "UK" in _by_name("United Kingdom").exact
    assert "WHO" in _by_name("World Health Organization").exact
    assert {"UN"} <= set(_by_name("United Nations").exact)
    assert {"EU"} <= set(_by_name("European Union").exact)
    for entity in load_builtin():  # an exact form must never also match case-insensitively
        assert not {name_key(a) for a in entity.aliases} & {name_key(x) for x in entity.exact}


def test_matcher_agrees_on_the_name_key() -> None:
    from monitor.matching.normalize import normalize

    disagree = [a for e in load_builtin() for a in (*e.aliases, *e.exact)
                if name_key(a) != normalize(a)]
    assert disagree == []


def test_committed_json_is_what_the_script_builds(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)],
                              capture_output=True, text=True, timeout=60, cwd=REPO)
        assert done.returncode == 0, done.stderr
    for filename in ("countries.json", "organisations.json"):
        built = (first / filename).read_text(encoding="utf-8")
        assert built == (second / filename).read_text(encoding="utf-8"), "not deterministic"
        assert built == (DATA / filename).read_text(encoding="utf-8"), (
            f"{filename} is stale: run `python tools/build_gazetteer.py` and commit the result")


# --- lookup ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "name"), [
    ("nato", "NATO"),
    ("Nato", "NATO"),
    ("North Atlantic Treaty Organization", "NATO"),
    ("north atlantic treaty organisation", "NATO"),
    ("South Korea", "South Korea"),
    ("s. korea", "South Korea"),
    ("rok", "South Korea"),
    ("DPRK", "North Korea"),
    ("cote d'ivoire", "Ivory Coast"),
    ("C\u00f4te d\u2019Ivoire", "Ivory Coast"),  # curly apostrophe
    ("TÜRKIYE", "Turkey"),
    ("who", "World Health Organization"),
    ("u.s.", "United States"),
    ("Czech Republic", "Czechia"),
    ("Holy See", "Vatican City"),
    ("Georgia", "Georgia"),
    ("Guinea", "Guinea"),
    ("Papua New Guinea", "Papua New Guinea"),
    ("drc", "DR Congo"),
    ("Congo-Brazzaville", "Republic of the Congo"),
])
def test_resolve(typed: str, name: str, catalog: EntityCatalog) -> None:
    found = catalog.resolve(typed)
    assert found is not None and found.name == name


def test_resolve_unknown(catalog: EntityCatalog) -> None:
    assert catalog.resolve("Atlantis") is None
    assert catalog.resolve("") is None
    assert catalog.resolve("  ...  ") is None


@pytest.mark.parametrize(("typed", "name"), [
    ("Sout Korea", "South Korea"),
    ("Untied Kingdom", "United Kingdom"),
    ("Phillipines", "Philippines"),
    ("Columbia", "Colombia"),
    ("Sth Korean", "South Korea"),
])
def test_suggest(typed: str, name: str, catalog: EntityCatalog) -> None:
    assert catalog.suggest(typed) == name


def test_suggest_nothing_close(catalog: EntityCatalog) -> None:
    assert catalog.suggest("xyzzy") is None
    assert catalog.suggest("") is None


def test_user_entities_are_added_and_override_builtins() -> None:
    mine = Entity(name="NATO", aliases=("NATO", "the Alliance"), kind="custom")
    person = Entity(name="Jens Stoltenberg", aliases=("Jens Stoltenberg", "Stoltenberg"))
    catalog = EntityCatalog([mine, person])
    assert catalog.resolve("nato") is mine
    assert catalog.resolve("the alliance") is mine
    # The built-in NATO is gone, with its aliases: the user's definition is the whole truth.
    assert catalog.resolve("North Atlantic Treaty Organization") is None
    assert catalog.resolve("stoltenberg") is person
    assert catalog.suggest("Stoltenbreg") == "Jens Stoltenberg"
    assert sum(e.name == "NATO" for e in catalog) == 1
    assert len(catalog) == len(load_builtin()) + 1


def test_user_alias_cannot_hide_a_canonical_name() -> None:
    sneaky = Entity(name="Seoul government", aliases=("Seoul government", "South Korea"))
    catalog = EntityCatalog([sneaky])
    assert catalog.resolve("South Korea") is _by_name("South Korea")
    assert catalog.resolve("Seoul government") is sneaky


def test_user_only_catalog() -> None:
    catalog = EntityCatalog([Entity(name="Acme", aliases=("Acme",))], builtin=())
    assert [e.name for e in catalog] == ["Acme"]
    assert catalog.resolve("NATO") is None


def test_load_builtin_is_cached_and_complete() -> None:
    assert load_builtin() is load_builtin()
    kinds = {e.kind for e in load_builtin()}
    assert kinds == {"country", "organisation"}
    assert all(e.name in e.aliases for e in load_builtin())
