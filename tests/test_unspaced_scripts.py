"""Scripts written without spaces (Chinese, Japanese, Thai): words are characters there.

A keyword or name in them matches as a sequence of characters anywhere in a run, NEAR
counts characters, and full-width Latin letters fold to their plain forms.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.articles.model import Article
from monitor.gazetteer.model import Entity
from monitor.matching import Matcher
from monitor.matching.normalize import tokenize
from monitor.rules.model import Keywords, Rule, RuleSet


def _matches(
    body: str,
    title: str = "",
    any: Iterable[str] = (),
    query: str | None = None,
    entities: Iterable[str] = (),
    known: Iterable[Entity] = (),
) -> list[tuple[str, str]]:
    """(field, quoted text) of each hit of one rule, or [] if it does not match."""
    rule = Rule(id="r", entities=list(entities), keywords=Keywords(any=list(any)), query=query)
    ruleset = RuleSet(rules=(rule,), entities={e.name: e for e in known})
    article = Article.create(path="a.txt", title=title, body=body)
    found = Matcher(ruleset).match(article)
    hits: list[tuple[str, str]] = [(h.field, h.text) for m in found for h in m.hits]
    for m in found:
        for h in m.hits:
            assert getattr(article, h.field)[h.start : h.end] == h.text
    return hits


def _words(text: str) -> list[str]:
    tokens = tokenize(text)
    return [text[b:e] for b, e in zip(tokens.begins, tokens.ends, strict=True)]


def test_a_chinese_keyword_matches_inside_a_headline_without_spaces() -> None:
    assert _matches("", title="台湾半导体出口创新高", any=["台湾"]) == [("title", "台湾")]
    assert _matches("中国大陆与台湾", any=["台湾"]) == [("body", "台湾")]
    assert _matches("台北与大湾区", any=["台湾"]) == []  # the characters, in order, adjacent


def test_each_character_of_an_unspaced_script_is_a_word_and_other_letters_stay_words() -> None:
    assert _words("iPhone销量在台湾") == ["iPhone", "销", "量", "在", "台", "湾"]
    assert _words("東京でＮＡＴＯ会議") == ["東", "京", "で", "ＮＡＴＯ", "会", "議"]
    assert _words("ประเทศไทย") == list("ประเทศไทย")
    assert _words("한국은 나토가") == ["한국은", "나토가"]  # Hangul is written with spaces


def test_japanese_kana_and_half_width_forms() -> None:
    assert _matches("ロシアとウクライナの停戦協議", any=["ウクライナ"]) == [("body", "ウクライナ")]
    # Half-width Katakana is the same word; the voicing marks are kept (ガス is not カス).
    assert _matches("ｶﾞｽ価格が上昇", any=["ガス"]) == [("body", "ｶﾞｽ")]
    assert _matches("カス", any=["ガス"]) == []


def test_full_width_latin_letters_are_plain_letters() -> None:
    assert _matches("東京でＮＡＴＯ首脳会議", any=["NATO"]) == [("body", "ＮＡＴＯ")]
    nato = Entity("NATO", ("NATO", "北约"))
    assert _matches("北约秘书长访问首尔", entities=["NATO"], known=[nato]) == [("body", "北约")]


def test_near_counts_characters_in_an_unspaced_script() -> None:
    text = "美国总统今天访问韩国"  # 美国 … 韩国: six characters between them
    assert _matches(text, query="美国 NEAR/6 韩国")
    assert not _matches(text, query="美国 NEAR/5 韩国")
    assert _matches(text, query='"美国总统"')


def test_a_phrase_does_not_run_across_an_ideographic_full_stop() -> None:
    assert _matches("这是朝鲜。韩国表示", any=["鲜韩"]) == []
    assert _matches("朝鲜韩国", any=["鲜韩"]) == [("body", "鲜韩")]


def test_hangul_glued_to_a_latin_word_is_a_word_of_its_own() -> None:
    assert _words("NATO가 EU는 한국은") == ["NATO", "가", "EU", "는", "한국은"]
    assert _matches("NATO가 동맹국들과 회의를 열었다", any=["NATO"]) == [("body", "NATO")]


def test_letters_one_press_writes_for_another_are_one() -> None:
    assert _matches("MISIR ve Türkiye", any=["Mısır"]) == [("body", "MISIR")]
    assert _matches("Mısır ve Türkiye", any=["Misir"]) == [("body", "Mısır")]
    assert _matches("سفر به ایران", any=["ايران"]) == [("body", "ایران")]  # Persian yeh
    assert _matches("كره الجنوبية", any=["کره"]) == [("body", "كره")]  # Arabic kaf
    assert _matches("اجتماع الـناتو", any=["الناتو"]) == [("body", "الـناتو")]  # tatweel
