"""The multilingual labelled set of issue 16 (bench/data/labelled_multilingual.jsonl) is valid."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from helpers.generated import assert_written_by

from monitor.gazetteer import LANGUAGES as BUILT_IN

DATA = Path(__file__).resolve().parent.parent / "bench" / "data"
SET = DATA / "labelled_multilingual.jsonl"
LANGUAGES = set(BUILT_IN)
CATEGORIES = {
    "dateline",
    "headline",
    "inflection",
    "demonym",
    "organisation",
    "north-korea",
    "two-koreas",
    "word-trap",
    "no-entity",
}


def _builtin(file: str, key: str) -> set[str]:
    folder = resources.files("monitor.gazetteer").joinpath("data")
    return {r[key] for r in json.loads(folder.joinpath(file).read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    lines = SET.read_text(encoding="utf-8").splitlines()
    out = []
    for number, line in enumerate(lines, 1):
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            pytest.fail(f"line {number} is not JSON: {exc}")
    return out


def test_every_record_has_the_fields(records: list[dict[str, Any]]) -> None:
    ids = Counter(r["id"] for r in records)
    assert [i for i, n in ids.items() if n > 1] == []
    for r in records:
        assert {"id", "text", "labels", "category", "source", "language"} <= set(r), r
        assert set(r) <= {"id", "text", "labels", "category", "source", "language", "script"}
        assert r["language"] in LANGUAGES, r["id"]
        assert r["id"].startswith(r["language"]), r["id"]
        assert isinstance(r["text"], str) and r["text"].strip(), r["id"]
        assert r["category"] in CATEGORIES, r["id"]
        assert r["labels"] == sorted(set(r["labels"])), r["id"]
        assert ("script" in r) == (r["language"] == "zh"), r["id"]
        assert r.get("script", "Hans") in {"Hans", "Hant"}, r["id"]


def test_every_label_is_a_builtin_country_or_organisation(records: list[dict[str, Any]]) -> None:
    known = (
        _builtin("countries.json", "code")
        | _builtin("organisations.json", "name")
        | _builtin("historical.json", "name")
    )
    unknown = {(r["id"], label) for r in records for label in r["labels"] if label not in known}
    assert unknown == set()


def test_every_language_has_25_texts_and_the_traps(records: list[dict[str, Any]]) -> None:
    per_language = Counter(r["language"] for r in records)
    assert set(per_language) == LANGUAGES
    assert {lang: n for lang, n in per_language.items() if n < 25} == {}
    scripts = Counter(r["script"] for r in records if "script" in r)
    assert scripts["Hans"] >= 12 and scripts["Hant"] >= 12
    for language in LANGUAGES:
        mine = [r for r in records if r["language"] == language]
        # North Korea alone is KP and never KR; no-entity and word traps in every language.
        assert any("KP" in r["labels"] and "KR" not in r["labels"] for r in mine), language
        assert any(r["category"] == "two-koreas" for r in mine), language
        assert sum(r["category"] == "no-entity" and r["labels"] == [] for r in mine) >= 2
        assert any(r["category"] == "word-trap" for r in mine), language
        assert all(r["labels"] == [] for r in mine if r["category"] == "no-entity"), language


def test_the_set_is_what_its_script_writes(tmp_path: Path) -> None:
    assert_written_by(DATA / "make_labelled_multilingual.py", SET, tmp_path)
