"""Hostile inbox files: the work of reading one article is bounded, and its text is kept.

A generated or corrupt file must cost a bounded, small amount of time and memory and end as
an article or an ArticleError that says why; it must never hold up the files behind it, and
text a reader would see must not be silently lost (HTML nested past libxml2's depth limit).
That a hostile file does not hold up the next one in the daemon is tested in
tests/e2e/test_articles_hostile_daemon.py.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import trafilatura
from helpers.articles_hostile_shared import NEWS, _nested, _page

from monitor.articles import ArticleError, eml, htmlfmt, read_bytes_article
from monitor.budget import ArticleTimeout

ARTICLES = Path(__file__).resolve().parents[1] / "monitor" / "articles"


@pytest.fixture
def extractions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every call of trafilatura (through `htmlfmt._extract`)."""
    calls: list[str] = []
    original = htmlfmt._extract

    def counting(text: str) -> object | None:
        calls.append(text)
        return original(text)

    monkeypatch.setattr(htmlfmt, "_extract", counting)
    return calls


# --- HTML: size caps -------------------------------------------------------------------------


def test_a_news_sized_page_still_goes_through_trafilatura(extractions: list[str]) -> None:
    """5,000 navigation links and a short article: boilerplate is still dropped."""
    nav = "<nav><ul>" + "<li><a href='/s'>Weather</a></li>" * 2_500 + "</ul></nav>"
    body = nav + f"<main><article><h1>Talks</h1><p>{NEWS}</p><p>{NEWS}</p></article></main>"
    article = read_bytes_article(_page(body), "news.html")
    assert len(extractions) == 1
    assert NEWS in article.body
    assert "Weather" not in article.body


def test_more_elements_than_the_cap_skip_trafilatura_and_keep_the_text(
    extractions: list[str],
) -> None:
    body = "<p>x</p>" * htmlfmt.MAX_EXTRACT_ELEMENTS + f"<p>{NEWS}</p>"
    article = read_bytes_article(_page(body, "Many"), "many.html")
    assert extractions == []
    assert article.title == "Many"
    assert NEWS in article.body


def test_a_tree_deeper_than_the_extraction_cap_skips_trafilatura(
    extractions: list[str],
) -> None:
    article = read_bytes_article(_page(_nested(htmlfmt.MAX_EXTRACT_DEPTH + 5)), "deep.html")
    assert extractions == []
    assert article.body == NEWS


def test_a_shallower_tree_is_extracted(extractions: list[str]) -> None:
    """Just under the depth cap (html and body count as two levels)."""
    article = read_bytes_article(_page(_nested(htmlfmt.MAX_EXTRACT_DEPTH - 3)), "ok.html")
    assert len(extractions) == 1
    assert NEWS in article.body


def test_markup_over_the_tag_cap_is_refused_unparsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(markup: str, huge: bool) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(htmlfmt, "_parse", no_parsing)
    data = _page("<br>" * (htmlfmt.MAX_MARKUP_TAGS + 1))
    with pytest.raises(ArticleError) as caught:
        read_bytes_article(data, "huge.html")
    message = str(caught.value)
    assert f"{htmlfmt.MAX_MARKUP_TAGS:,}" in message and "tags" in message
    assert "Save the article itself" in message


def test_the_tag_cap_applies_to_json_body_html_and_email_html(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(htmlfmt, "MAX_MARKUP_TAGS", 50)
    markup = "<p>x</p>" * 30
    document = json.dumps({"headline": "NATO", "body_html": markup}).encode()
    with pytest.raises(ArticleError, match="60 tags"):
        read_bytes_article(document, "a.json")
    mail = ("Subject: NATO\r\nContent-Type: text/html\r\n\r\n" + markup).encode()
    with pytest.raises(ArticleError, match="60 tags"):
        read_bytes_article(mail, "a.eml")
    assert (
        read_bytes_article(
            json.dumps({"headline": "NATO", "body_html": "<p>ok</p>"}).encode(), "b.json"
        ).body
        == "ok"
    )


def test_a_tag_with_thousands_of_attributes_is_read_without_them() -> None:
    """libxml2 and trafilatura compare each attribute with the earlier ones: 50,000 on one
    tag took 32 s, the 2,000,000 a 20 MB file can hold would take hours."""
    attributes = " ".join(f"a{i}=1" for i in range(50_000))
    article = read_bytes_article(_page(f"<p {attributes}>{NEWS}</p><p>Next.</p>"), "a.html")
    assert article.body.split() == f"{NEWS} Next.".split()
    unterminated = _page(f"<p {attributes}<p>{NEWS}</p>")
    assert read_bytes_article(unterminated, "b.html").body == NEWS


def test_a_tag_at_the_attribute_cap_keeps_its_attributes() -> None:
    names = [f"a{i}" for i in range(htmlfmt.MAX_TAG_ATTRIBUTES)]
    tree = htmlfmt.parse_html("<p " + " ".join(f"{n}=1" for n in names) + ">x</p>")
    assert tree is not None
    assert list(tree.find(".//p").attrib) == names
    crowded = htmlfmt.parse_html("<p " + " ".join(f"{n}=1" for n in [*names, "z"]) + ">x</p>")
    assert crowded is not None
    assert dict(crowded.find(".//p").attrib) == {}


def test_markup_with_too_many_attributes_is_parsed_without_any(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each attribute costs lxml about 280 bytes; past the cap, the text is what counts."""
    monkeypatch.setattr(htmlfmt, "MAX_MARKUP_ATTRIBUTES", 10)
    markup = "<div class=a id=b>" + "<p class='c' title='d'>One</p>" * 5 + "</div>"
    tree = htmlfmt.parse_html(markup)
    assert tree is not None
    assert sum(len(element.attrib) for element in tree.iter()) == 0
    assert htmlfmt.visible_text(tree) == "One\n\nOne\n\nOne\n\nOne\n\nOne"


def test_more_attributes_than_the_cap_skip_trafilatura(extractions: list[str]) -> None:
    tag = "<p " + " ".join(f"a{i}=1" for i in range(50)) + ">x</p>"
    count = htmlfmt.MAX_EXTRACT_ATTRIBUTES // 50 + 1
    article = read_bytes_article(_page(tag * count + f"<p>{NEWS}</p>"), "attrs.html")
    assert extractions == []
    assert NEWS in article.body


def test_more_text_than_the_cap_skips_trafilatura(extractions: list[str]) -> None:
    words = "word " * (htmlfmt.MAX_EXTRACT_CHARS // 5 // 100)
    article = read_bytes_article(_page(f"<p>{words}</p>" * 101 + f"<p>{NEWS}</p>"), "t.html")
    assert extractions == []
    assert article.body.endswith(NEWS)


def test_script_text_does_not_count_against_the_text_cap(extractions: list[str]) -> None:
    script = "<script>" + "x" * htmlfmt.MAX_EXTRACT_CHARS + "</script><style>p {}</style>"
    article = read_bytes_article(_page(script + f"<p>{NEWS}</p>"), "s.html")
    assert len(extractions) == 1
    assert article.body == NEWS


# --- HTML: nesting past libxml2's limits ---------------------------------------------------


@pytest.mark.parametrize("depth", [300, 2_000, 3_000, 100_000])
def test_deeply_nested_html_keeps_its_text(depth: int) -> None:
    """libxml2 stops at 255 levels (2,048 with huge_tree) and drops the rest silently."""
    data = _page(_nested(depth) + "<p>Closing paragraph.</p>")
    article = read_bytes_article(data, "deep.html")
    assert article.title == "Deep page"
    assert article.body == f"{NEWS}\n\nClosing paragraph."


def test_deeply_nested_fragments_keep_their_text() -> None:
    document = json.dumps({"headline": "NATO", "body_html": _nested(300)}).encode()
    assert read_bytes_article(document, "deep.json").body == NEWS
    mail = ("Subject: NATO\r\nContent-Type: text/html\r\n\r\n" + _nested(3_000)).encode()
    assert read_bytes_article(mail, "deep.eml").body == NEWS


def test_a_text_node_over_10_mb_is_kept() -> None:
    """libxml2's other default limit: without huge_tree the whole document came back empty."""
    words = "word " * 2_200_000
    article = read_bytes_article(_page(f"<p>{words}</p><p>{NEWS}</p>"), "long.html")
    assert article.body.endswith(NEWS)
    assert len(article.body) > 11_000_000


def test_flattening_keeps_paragraphs_and_hides_scripts() -> None:
    markup = (
        "<div><script>if (a<b) hidden()</script><div><p>One <b>bold</b> line"
        "<br>two</p></div><table><tr><td>a</td><td>b</td></tr></table></div>"
    )
    tree = htmlfmt.parse_html(htmlfmt._flatten(markup))
    assert tree is not None
    assert htmlfmt.visible_text(tree) == "One bold line\ntwo\n\na b"


def test_flattening_is_linear_in_a_tag_without_an_end() -> None:
    """A "<" and then megabytes of letters: a backtracking pattern took hours over this."""
    tree = htmlfmt.parse_html(_nested(3_000) + "<" + "a" * 2_000_000)
    assert tree is not None
    assert htmlfmt.visible_text(tree).startswith(NEWS)


def test_markup_too_deep_even_when_flattened_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(htmlfmt, "_flatten", lambda markup: markup)
    with pytest.raises(ArticleError, match="nested more than 2,048 levels"):
        read_bytes_article(_page(_nested(3_000)), "deeper.html")


# --- HTML: the time budget's exception is never swallowed ----------------------------------


def test_article_timeout_passes_through_the_html_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`_extract` turns trafilatura's failures into a fallback, but not the time budget."""

    def out_of_time(*args: object, **kwargs: object) -> None:
        raise ArticleTimeout

    monkeypatch.setattr(trafilatura, "bare_extraction", out_of_time)
    with pytest.raises(ArticleTimeout):
        read_bytes_article(_page(f"<p>{NEWS}</p>"), "page.html")


def test_article_timeout_passes_through_the_email_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The e-mail reader catches Exception around optional headers; not the budget."""

    def out_of_time(self: object, name: str, value: str) -> None:
        raise ArticleTimeout

    monkeypatch.setattr(eml._BoundedPolicy, "header_fetch_parse", out_of_time)
    with pytest.raises(ArticleTimeout):
        read_bytes_article(b"From: a@b.example\r\nSubject: NATO\r\n\r\nSouth Korea", "a.eml")


def test_no_reader_catches_base_exception() -> None:
    """A bare `except:` or `except BaseException` would swallow ArticleTimeout."""
    offenders = []
    for path in sorted(ARTICLES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.ExceptHandler):
                continue
            caught = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            names = {c.id for c in caught if isinstance(c, ast.Name)}
            if node.type is None or names & {"BaseException", "ArticleTimeout"}:
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_article_timeout_is_a_base_exception() -> None:
    assert issubclass(ArticleTimeout, BaseException)
    assert not issubclass(ArticleTimeout, Exception)


# --- JSON --------------------------------------------------------------------------------------


def test_json_with_a_huge_number_is_read() -> None:
    """int() refuses more than 4,300 digits; the number is metadata nobody reads."""
    huge = "9" * 5_000
    data = f'{{"title": "NATO", "body": "South Korea", "views": {huge}, "n": -{huge}}}'
    article = read_bytes_article(data.encode(), "big.json")
    assert (article.title, article.body) == ("NATO", "South Korea")


def test_json_huge_number_as_title_is_still_a_wrong_type() -> None:
    with pytest.raises(ArticleError, match='"title" must be a string, not float'):
        read_bytes_article(b'{"title": ' + b"1" * 5_000 + b"}", "big.json")


def test_json_error_lists_at_most_twenty_keys() -> None:
    document = json.dumps({f"key{i:04}": 1 for i in range(5_000)}).encode()
    with pytest.raises(ArticleError) as caught:
        read_bytes_article(document, "keys.json")
    message = str(caught.value)
    assert "key0000, key0001" in message and "and 4,980 more" in message
    assert len(message) < 600


# --- e-mail ------------------------------------------------------------------------------------

_HEADERS = b"From: Desk <desk@wire.example>\r\nSubject: NATO\r\nMIME-Version: 1.0\r\n"


def _multipart(parts: int, content_type: bytes = b"text/plain") -> bytes:
    first = b"--B\r\nContent-Type: text/plain\r\n\r\nSouth Korea\r\n"
    rest = b"".join(
        b"--B\r\nContent-Type: " + content_type + b"\r\n\r\npart %d\r\n" % i
        for i in range(parts - 1)
    )
    return (
        _HEADERS
        + b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        + first
        + rest
        + b"--B--\r\n"
    )


def test_email_with_many_parts_under_the_cap_is_read() -> None:
    article = read_bytes_article(_multipart(eml.MAX_PARTS - 10), "parts.eml")
    assert (article.title, article.body) == ("NATO", "South Korea")


def test_email_with_too_many_parts_is_refused() -> None:
    with pytest.raises(ArticleError, match="more than 1,000 MIME parts"):
        read_bytes_article(_multipart(50_000), "parts.eml")


def test_email_parts_nested_too_deeply_are_named() -> None:
    data = _HEADERS
    for level in range(990):
        data += b'Content-Type: multipart/mixed; boundary="B%d"\r\n\r\n--B%d\r\n' % (level, level)
    data += b"Content-Type: text/plain\r\n\r\nSouth Korea\r\n"
    with pytest.raises(ArticleError, match="nested too deeply"):
        read_bytes_article(data, "nested.eml")


def test_email_with_too_many_lines_is_refused() -> None:
    data = _HEADERS + b"\r\nSouth Korea" + b"\n" * (eml.MAX_LINES + 1)
    with pytest.raises(ArticleError, match="lines"):
        read_bytes_article(data, "lines.eml")


@pytest.mark.parametrize(
    "header",
    [
        b"From: " + b"a@b.example, " * 100_000,  # 45 s before
        b"From: " + b'"a" ' * 100_000,
        b"Subject: NATO " + b"=?utf-8?q?x?= " * 200_000,  # exhausted the memory before
        b"Subject: NATO" + b"\r\n y" * 400_000,  # 16 s before
    ],
)
def test_email_with_a_hostile_header_is_read(header: bytes) -> None:
    name = header.split(b":")[0]
    rest = b"From: desk@wire.example\r\n" if name == b"Subject" else b"Subject: NATO\r\n"
    article = read_bytes_article(header + b"\r\n" + rest + b"\r\nSouth Korea", "h.eml")
    assert article.title.startswith("NATO")
    assert article.body == "South Korea"


def test_email_header_budget_refuses_a_message_of_long_unique_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(eml, "MAX_PARSED_HEADER_CHARS", 5_000)
    parts = b"".join(
        b"--B\r\nContent-Type: text/plain; " + b"a%d=b; " % i * 60 + b"\r\n\r\npart\r\n"
        for i in range(20)
    )
    data = _HEADERS + b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n' + parts + b"--B--\r\n"
    with pytest.raises(ArticleError, match="headers are too long or too many"):
        read_bytes_article(data, "budget.eml")


def test_email_header_is_parsed_once_however_often_it_is_read() -> None:
    policy = eml._BoundedPolicy()
    first = policy.header_fetch_parse("subject", "NATO and South Korea")
    again = policy.header_fetch_parse("subject", "NATO and South Korea")
    assert first is again
    assert policy.budget.spent == len("NATO and South Korea")


def test_email_header_value_is_cut_before_parsing() -> None:
    policy = eml._BoundedPolicy()
    header = policy.header_fetch_parse("subject", "x" * (eml.MAX_HEADER_CHARS * 3))
    assert str(header) == "x" * eml.MAX_HEADER_CHARS
