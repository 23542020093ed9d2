"""Generate the built-in gazetteer (`monitor/gazetteer/data/*.json`) from pycountry + overlay.

    python tools/build_gazetteer.py              # rewrite the committed JSON files
    python tools/build_gazetteer.py --out DIR    # write them somewhere else (tests compare)

Why generated: pycountry has every ISO 3166 country with its official names, but not the
names the news uses ("South Korea", "Russia", "Ivory Coast"), nor demonyms, nor the short
forms; the hand-written `monitor/gazetteer/data/overlay.yaml` adds those. Generating keeps
the two sources honest: every pycountry country must be covered by the overlay, and the checks
below (no commas, no ambiguous names, no alias shared by two entities) run on every build
instead of being remembered. The output is deterministic (sorted, fixed layout), so the
committed JSON can be compared with a fresh build, and a diff shows exactly what changed.

The JSON depends on the installed pycountry version; a new pycountry release can add or rename
countries, which the comparison test then reports.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pycountry
from ruamel.yaml import YAML

from monitor.gazetteer.catalog import name_key

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "monitor" / "gazetteer" / "data"
OVERLAY = DATA / "overlay.yaml"
COUNTRIES = "countries.json"
ORGANISATIONS = "organisations.json"

COUNTRY_KEYS = frozenset({"name", "aliases", "exact", "demonyms", "drop"})
ORGANISATION_KEYS = frozenset({"name", "aliases", "exact"})
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
        if qualifier:
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


def _merge(name: str, names: Iterable[str], exact: Iterable[str], drop: set[str],
           ambiguous: set[str], where: str) -> tuple[list[str], list[str]]:
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
    rest = sorted((a for k, a in seen.items() if k != name_key(name)),
                  key=lambda a: (name_key(a), a))
    return [name, *rest], sorted(exact_list, key=lambda a: (a.casefold(), a))


def build_countries(overlay: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per pycountry country (plus the overlay's extras), sorted by name."""
    ambiguous = {name_key(a) for a in _str_list(overlay, "ambiguous", "overlay")}
    entries = overlay.get("countries")
    extras = overlay.get("extra_countries") or {}
    if not isinstance(entries, dict) or not isinstance(extras, dict):
        raise OverlayError("overlay: `countries` and `extra_countries` must be mappings")
    codes = {c.alpha_2 for c in pycountry.countries}
    missing = sorted(codes - set(entries))
    unknown = sorted(str(k) for k in entries if k not in codes)
    if missing or unknown:
        raise OverlayError(f"overlay countries: missing codes {missing} (every pycountry "
                           f"country needs an entry, even `{{demonyms: []}}`); "
                           f"unknown codes {unknown} (use `extra_countries`)")
    clash = sorted(str(k) for k in extras if k in codes)
    if clash:
        raise OverlayError(f"overlay extra_countries: {clash} are pycountry countries")

    records: list[dict[str, Any]] = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code: str = country.alpha_2
        where = f"overlay countries.{code}"
        entry = _checked_entry(entries[code], COUNTRY_KEYS, where)
        if "demonyms" not in entry:
            raise OverlayError(f"{where}: give `demonyms` (write `demonyms: []` if none)")
        derived = [clean_name(getattr(country, attr))
                   for attr in ("common_name", "name", "official_name")
                   if getattr(country, attr, None)]
        names = [n for n in derived if n]
        canonical = entry.get("name") or names[0]
        aliases, exact = _merge(
            canonical,
            [*names, *_str_list(entry, "aliases", where), *_str_list(entry, "demonyms", where)],
            _str_list(entry, "exact", where),
            {name_key(d) for d in _str_list(entry, "drop", where)}, ambiguous, where)
        records.append({"name": canonical, "kind": "country", "code": code,
                        "aliases": aliases, "exact": exact})
    for code, raw in sorted(extras.items()):
        where = f"overlay extra_countries.{code}"
        entry = _checked_entry(raw, COUNTRY_KEYS - {"drop"}, where)
        if "name" not in entry or "demonyms" not in entry:
            raise OverlayError(f"{where}: an extra country needs `name` and `demonyms`")
        aliases, exact = _merge(
            entry["name"],
            [*_str_list(entry, "aliases", where), *_str_list(entry, "demonyms", where)],
            _str_list(entry, "exact", where), set(), ambiguous, where)
        records.append({"name": entry["name"], "kind": "country", "code": str(code),
                        "aliases": aliases, "exact": exact})
    return sorted(records, key=lambda r: (name_key(r["name"]), r["name"]))


def build_organisations(overlay: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per organisation in the overlay, sorted by name."""
    ambiguous = {name_key(a) for a in _str_list(overlay, "ambiguous", "overlay")}
    entries = overlay.get("organisations")
    if not isinstance(entries, list):
        raise OverlayError("overlay: `organisations` must be a list")
    records: list[dict[str, Any]] = []
    for i, raw in enumerate(entries):
        where = f"overlay organisations[{i}]"
        entry = _checked_entry(raw, ORGANISATION_KEYS, where)
        if "name" not in entry:
            raise OverlayError(f"{where}: `name` is required")
        aliases, exact = _merge(entry["name"], _str_list(entry, "aliases", where),
                                _str_list(entry, "exact", where), set(), ambiguous, where)
        records.append({"name": entry["name"], "kind": "organisation",
                        "aliases": aliases, "exact": exact})
    return sorted(records, key=lambda r: (name_key(r["name"]), r["name"]))


def check(records: list[dict[str, Any]], ambiguous: Iterable[str]) -> list[str]:
    """Every problem in the merged data; an empty list means it may be written.

    No comma anywhere; no ambiguous name; no name key (alias or exact) shared by two
    entities, since `EntityCatalog.resolve` could only return one of them and the matcher
    would report the same words as two entities.
    """
    banned = {name_key(a) for a in ambiguous}
    problems: list[str] = []
    owner: dict[str, str] = {}
    for record in records:
        if record["name"] not in record["aliases"]:
            problems.append(f"{record['name']}: canonical name missing from aliases")
        for form in (*record["aliases"], *record["exact"]):
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


def render(records: list[dict[str, Any]]) -> str:
    """The records as JSON text: one object per few lines, keys in a fixed order.

    `json.dumps(indent=...)` would put every alias on its own line (thousands of lines);
    this keeps an entity together and still parses as plain JSON.
    """
    blocks: list[str] = []
    for record in records:
        head = ", ".join(
            f"{json.dumps(k)}: {json.dumps(record[k], ensure_ascii=False)}"
            for k in ("name", "kind", "code") if k in record)
        body = _wrapped("aliases", record["aliases"], "   ") + "\n"
        body += _wrapped("exact", record["exact"], "   ")[:-1]  # no comma after the last key
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


def build(out_dir: Path, overlay_path: Path = OVERLAY) -> dict[str, int]:
    """Build, check and write both JSON files into `out_dir`; return counts for the summary."""
    overlay = load_overlay(overlay_path)
    countries = build_countries(overlay)
    organisations = build_organisations(overlay)
    problems = check([*countries, *organisations], _str_list(overlay, "ambiguous", "overlay"))
    if problems:
        raise OverlayError("gazetteer data has problems:\n  " + "\n  ".join(problems))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / COUNTRIES).write_text(render(countries), encoding="utf-8")
    (out_dir / ORGANISATIONS).write_text(render(organisations), encoding="utf-8")
    everything = [*countries, *organisations]
    return {
        "countries": len(countries),
        "organisations": len(organisations),
        "aliases": sum(len(r["aliases"]) for r in everything),
        "exact": sum(len(r["exact"]) for r in everything),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DATA,
                        help=f"output folder (default: {DATA.relative_to(ROOT)})")
    parser.add_argument("--overlay", type=Path, default=OVERLAY, help="overlay YAML to read")
    args = parser.parse_args(argv)
    try:
        counts = build(args.out, args.overlay)
    except OverlayError as exc:
        print(f"build_gazetteer: {exc}", file=sys.stderr)
        return 1
    print("build_gazetteer: wrote " + ", ".join(f"{v} {k}" for k, v in counts.items())
          + f" to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
