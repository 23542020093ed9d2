"""The language of articles: declared by the source or detected, `languages:` and `lang:`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.workspace import Workspace

from monitor import langcodes
from monitor.articles import Article, read_bytes_article
from monitor.articles import language as detection
from monitor.engine import Engine, load_engine
from monitor.explain import Explainer
from monitor.rules import query as q
from monitor.rules.loader import load_rules
from monitor.silences import query_problem

# One sentence of news in each of the 20 languages the issue names.
SAMPLES = {
    "ar": "أعلن حلف شمال الأطلسي يوم الثلاثاء أنه سيرسل مزيدا من الذخيرة إلى كوريا الجنوبية.",
    "de": "Die NATO hat am Dienstag angekündigt, weitere Munition nach Südkorea zu liefern.",
    "en": "NATO announced on Tuesday that it would send more ammunition to South Korea.",
    "es": "La OTAN anunció el martes que enviará más municiones a Corea del Sur.",
    "fa": "ناتو روز سه‌شنبه اعلام کرد که مهمات بیشتری به کره جنوبی می‌فرستد.",
    "fr": "L'OTAN a annoncé mardi qu'elle enverrait davantage de munitions en Corée du Sud.",
    "he": 'נאט"ו הודיעה ביום שלישי כי תשלח תחמושת נוספת לדרום קוריאה.',
    "hi": "नाटो ने मंगलवार को घोषणा की कि वह दक्षिण कोरिया को और गोला-बारूद भेजेगा और "
    "इसके लिए सरकार से बातचीत कर रहा है।",
    "id": "NATO mengumumkan pada hari Selasa bahwa mereka akan mengirim lebih banyak amunisi "
    "ke Korea Selatan.",
    "it": "La NATO ha annunciato martedì che invierà altre munizioni alla Corea del Sud.",
    "ja": "北大西洋条約機構は火曜日、韓国に追加の弾薬を送ると発表した。",
    "ko": "나토는 화요일 한국에 탄약을 추가로 보낼 것이라고 발표했다.",
    "nl": "De NAVO heeft dinsdag aangekondigd meer munitie naar Zuid-Korea te sturen.",
    "pl": "NATO ogłosiło we wtorek, że wyśle więcej amunicji do Korei Południowej.",
    "pt": "A OTAN anunciou na terça-feira que enviará mais munições para a Coreia do Sul.",
    "ru": "НАТО объявило во вторник, что направит больше боеприпасов в Южную Корею.",
    "sv": "Nato meddelade på tisdagen att alliansen skickar mer ammunition till Sydkorea.",
    "tr": "NATO salı günü Güney Kore'ye daha fazla mühimmat göndereceğini açıkladı.",
    "uk": "НАТО оголосило у вівторок, що надішле більше боєприпасів до Південної Кореї.",
    "zh": "北约周二宣布将向韩国运送更多弹药。",
}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_one_sentence_is_enough_in_each_of_the_twenty_languages(code: str) -> None:
    assert detection.detect("", SAMPLES[code]) == code


def test_too_little_text_is_no_language() -> None:
    assert detection.detect("NATO", "") is None
    assert detection.detect("Q3 2024", "12 345 678 9.5%") is None
    assert Article.create("a.txt", "NATO", "").lang is None
    assert Article.create("a.txt", "NATO", "").lang_source is None


def test_only_the_start_of_a_long_body_is_read() -> None:
    english = "The government said on Tuesday that talks would continue. " * 20
    german = "Die Regierung sagte am Dienstag, dass die Gespräche weitergehen. " * 2000
    assert len(detection.sample("T", english + german)) == 2 + detection.MAX_BODY_CHARS
    assert detection.detect("", english + german) == "en"


def test_detection_runs_once_and_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(title: str, body: str) -> str:
        calls.append(title)
        return "de"

    monkeypatch.setattr(detection, "detect", counting)
    article = Article.create("a.txt", "Titel", "Text")
    assert calls == []  # building an article detects nothing
    assert (article.lang, article.lang, article.lang_source) == ("de", "de", "detected")
    assert calls == ["Titel"]
    declared = Article.create("b.txt", "Titel", "Text", language="fr-CA")
    assert (declared.lang, declared.lang_source) == ("fr", "declared")
    assert calls == ["Titel"]  # a declared language is never second-guessed


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("de-DE", "de"),
        ("zh-Hant-TW", "zh"),
        (" EN_us ", "en"),
        ("pt-BR", "pt"),
        ("deu", "de"),
        ("iw", "he"),
        ("yue-HK", "zh"),  # Cantonese is Chinese, as detection says (langcodes.MERGED)
        ("nb-NO", "no"),
        ("fil", "tl"),
        ("und", None),
        ("english", None),
        ("x-klingon", None),
        ("xx", None),
        ("12", None),
        ("", None),
        ("de" * 200, None),
    ],
)
def test_declarations_are_reduced_to_their_primary_subtag(tag: str, code: str | None) -> None:
    assert langcodes.primary(tag) == code
    assert Article.create("a.txt", "T", "B", language=tag).language == code


def test_formats_declare_their_language() -> None:
    html = (
        b'<html lang="de-AT"><head><title>Titel</title></head>'
        b"<body><p>Die NATO tagt in Wien.</p></body></html>"
    )
    assert read_bytes_article(html, "a.html").language == "de"
    meta = (
        b'<html><head><meta http-equiv="Content-Language" content="fr-CA, en">'
        b"<title>Titre</title></head><body><p>L'OTAN.</p></body></html>"
    )
    assert read_bytes_article(meta, "a.html").language == "fr"
    ninjs = {"headline": "Título", "body_text": "Texto", "language": "pt-BR"}
    assert read_bytes_article(json.dumps(ninjs).encode(), "a.json").language == "pt"
    simple = {"title": "T", "body": "B", "language": "garbage!"}  # ignored: the text decides
    assert read_bytes_article(json.dumps(simple).encode(), "a.json").language is None
    mail = b"Subject: Hallo\nContent-Language: de-CH\nContent-Type: text/plain\n\nText\n"
    assert read_bytes_article(mail, "a.eml").language == "de"
    assert read_bytes_article(b"Title\n\nBody", "a.txt").language is None


@pytest.mark.parametrize(
    ("code", "fix"),
    [("german", "`de`"), ("Deutsch", "`de`"), ("deu", "`de`"), ("de-AT", "`de`"), ("xx", "ISO")],
)
def test_a_code_that_is_no_language_says_what_to_write(code: str, fix: str) -> None:
    problem = langcodes.problem(code)
    assert problem is not None and fix in problem


def test_codes_are_checked_case_insensitively() -> None:
    assert langcodes.checked("DE") == "de"
    assert langcodes.checked("haw") == "haw"
    assert langcodes.checked("yue") == "zh" and langcodes.checked("NB") == "no"
    assert langcodes.problem("und") is not None


# --- rules and queries ---------------------------------------------------------------------


def _engine(tmp_path: Path, rules: str) -> Engine:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "r.yaml").write_text(rules, encoding="utf-8")
    engine, problems = load_engine(folder, [])
    assert problems == []
    return engine


RULES = """\
rules:
  - id: nato-de
    entities: [NATO]
    languages: [de]
  - id: nato-de-fr
    query: 'entity:NATO AND lang:(de OR fr)'
  - id: nato-not-en
    query: 'entity:NATO AND NOT lang:en'
  - id: nato
    entities: [NATO]
"""


def _matched(engine: Engine, article: Article) -> list[str]:
    return [m.rule for m in engine.matcher.match(article)]


def test_languages_and_lang_select_articles(tmp_path: Path) -> None:
    engine = _engine(tmp_path, RULES)
    german = Article.create("de.txt", "", SAMPLES["de"])
    french = Article.create("fr.txt", "", SAMPLES["fr"])
    english = Article.create("en.txt", "", SAMPLES["en"])
    unknown = Article.create("x.txt", "NATO", "")
    assert _matched(engine, german) == ["nato", "nato-de", "nato-de-fr", "nato-not-en"]
    assert _matched(engine, french) == ["nato", "nato-de-fr", "nato-not-en"]
    assert _matched(engine, english) == ["nato"]
    # An unknown language is none of the rule's: `languages:` and `lang:` do not match it,
    # and `NOT lang:en` does.
    assert _matched(engine, unknown) == ["nato", "nato-not-en"]
    declared = Article.create("d.txt", "", SAMPLES["en"], language="de-DE")
    assert "nato-de" in _matched(engine, declared)  # the declaration wins


def test_an_article_without_the_terms_is_never_classified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _engine(tmp_path, RULES.replace("  - id: nato\n    entities: [NATO]\n", ""))

    def refuse(title: str, body: str) -> str:
        raise AssertionError("detected the language of an article no rule could match")

    monkeypatch.setattr(detection, "detect", refuse)
    assert _matched(engine, Article.create("a.txt", "Storm", "A storm hit the coast.")) == []


def test_lang_round_trips_and_is_refused_where_it_means_nothing() -> None:
    node = q.parse_query("NATO AND lang:(DE OR fr OR de)")
    assert q.to_text(node) == "NATO AND lang:(de OR fr)"
    for text, needle in [
        ("lang:de", "only narrows"),
        ("NOT lang:en", "only narrows"),
        ("NATO OR lang:de", "only narrows"),
        ("lang:german NATO", "write `de`"),
        ("title:lang:de NATO", "inside `title:`"),
        ("lang:de NEAR NATO", "`lang:` condition"),
        ("lang:(de AND fr) NATO", "joined by OR"),
        ("lang: NATO", "language code"),
    ]:
        with pytest.raises(q.QueryError, match=needle):
            q.parse_query(text)


def test_loader_says_where_a_bad_code_is_and_what_to_write(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "r.yaml").write_text(
        "rules:\n"
        "  - id: a\n"
        "    entities: [NATO]\n"
        "    languages:\n"
        "      - de\n"
        "      - german\n"
        "  - id: b\n"
        "    query: 'NATO AND lang:francais'\n"
        "  - id: c\n"
        "    entities: [NATO]\n"
        "    languages: []\n",
        encoding="utf-8",
    )
    problems = load_rules(folder, base=tmp_path).problems
    assert len(problems) == 3, problems
    assert (
        problems[0].startswith("rules/r.yaml:6: `languages.1`: `german`") and "`de`" in problems[0]
    )
    assert problems[1].startswith("rules/r.yaml:8: query error at column 15: ")
    assert "write `fr`" in problems[1]
    assert problems[2].startswith("rules/r.yaml:11: `languages`: ")


def test_a_silence_can_use_lang_beside_a_term(tmp_path: Path) -> None:
    engine = _engine(tmp_path, RULES)
    assert query_problem("entity:NATO AND lang:ru", engine) is None
    problem = query_problem("lang:ru", engine)
    assert problem is not None and "only narrows" in problem


def test_explain_says_the_language_and_where_it_came_from(tmp_path: Path) -> None:
    engine = _engine(tmp_path, RULES)
    german = Article.create("de.txt", "", SAMPLES["de"])
    checks = Explainer(engine, "nato-de").explain(german).checks
    assert [(c.condition, c.ok, c.note) for c in checks][-1] == (
        "language one of de",
        True,
        "the article's language is de (detected)",
    )
    query = Explainer(engine, "nato-not-en").explain(
        Article.create("e.txt", "", SAMPLES["en"], language="en-GB")
    )
    (lang,) = [part for part in query.checks[0].parts if part.condition == "lang:en"]
    assert lang.ok and lang.note == "holds: the article's language is en (declared)"


# --- end to end ----------------------------------------------------------------------------


def test_monitor_test_json_filters_by_language(workspace: Workspace) -> None:
    (workspace.rules / "nato.yaml").write_text(
        "id: nato-de\nentities: [NATO]\nlanguages: [de]\n", encoding="utf-8"
    )
    folder = workspace.root / "articles"
    folder.mkdir()
    (folder / "de.txt").write_text(f"NATO in Seoul\n\n{SAMPLES['de']}\n", encoding="utf-8")
    (folder / "fr.txt").write_text(f"L'OTAN à Séoul\n\n{SAMPLES['fr']}\n", encoding="utf-8")
    ninjs = {"headline": "NATO", "body_text": "NATO.", "language": "de-DE"}  # too short to tell
    (folder / "ninjs.json").write_text(json.dumps(ninjs), encoding="utf-8")
    result = workspace.monitor("test", "--json", "--config", str(workspace.config), str(folder))
    assert result.returncode == 0, result.stderr
    lines = {Path(o["path"]).name: o for o in map(json.loads, result.stdout.splitlines())}
    assert (lines["de.txt"]["language"], [m["rule"] for m in lines["de.txt"]["matches"]]) == (
        "de",
        ["nato-de"],
    )
    # Not classified when nothing matched (it would cost more than matching): no key.
    assert "language" not in lines["fr.txt"] and lines["fr.txt"]["matches"] == []
    assert lines["ninjs.json"]["language"] == "de"
    assert [m["rule"] for m in lines["ninjs.json"]["matches"]] == ["nato-de"]


def test_the_daemon_loads_the_model_beside_its_loop_and_survives_a_broken_one(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Loaded on the first matched article, it delayed that first alert by half a second;
    the daemon loads it in a thread once ready (`daemon._preload_language`)."""
    from monitor import daemon

    loads: list[int] = []
    monkeypatch.setattr(detection, "preload", lambda: loads.append(1))
    daemon._preload_language()
    assert loads == [1]

    def broken() -> None:
        raise ImportError("numpy missing")

    monkeypatch.setattr(detection, "preload", broken)
    with caplog.at_level("WARNING", logger="monitor"):
        daemon._preload_language()  # does not raise
    assert "language model could not be loaded" in caplog.text
