"""The labelled full articles of issue 16 (bench/data/labelled_articles.jsonl) are valid."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from helpers.generated import assert_written_by

DATA = Path(__file__).resolve().parent.parent / "bench" / "data"
SET = DATA / "labelled_articles.jsonl"
TOPICS = {"politics", "economy", "conflict", "sport", "tech", "health", "culture"}


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines()]


def test_every_article_has_the_fields_and_a_full_body(records: list[dict[str, Any]]) -> None:
    assert len(records) >= 120
    ids = Counter(r["id"] for r in records)
    assert [i for i, n in ids.items() if n > 1] == []
    for r in records:
        assert set(r) == {"id", "topic", "title", "body", "about", "mentioned"}, r["id"]
        assert r["topic"] in TOPICS and r["id"].startswith(r["topic"][:2]), r["id"]
        assert r["title"].strip() and "\n" not in r["title"], r["id"]
        assert 150 <= len(r["body"].split()) <= 450, r["id"]
        assert r["about"] == sorted(set(r["about"])), r["id"]
        assert r["mentioned"] == sorted(set(r["mentioned"])), r["id"]
        assert set(r["about"]) <= set(r["mentioned"]), r["id"]
    assert {t: n for t, n in Counter(r["topic"] for r in records).items() if n < 15} == {}


def test_every_label_is_a_builtin_country_or_organisation(records: list[dict[str, Any]]) -> None:
    folder = resources.files("monitor.gazetteer").joinpath("data")
    known = set()
    for file, key in (("countries.json", "code"), ("organisations.json", "name")):
        data = json.loads(folder.joinpath(file).read_text(encoding="utf-8"))
        known |= {item[key] for item in data}
    unknown = {(r["id"], label) for r in records for label in r["mentioned"] if label not in known}
    assert unknown == set()


def test_the_set_is_what_its_script_writes(tmp_path: Path) -> None:
    assert_written_by(DATA / "make_labelled_articles.py", SET, tmp_path)
