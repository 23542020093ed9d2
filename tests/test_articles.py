"""Article readers: every format, every decoding path, every way a file can be unreadable."""

from __future__ import annotations

import base64
import json
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.articles import (
    Article,
    ArticleError,
    htmlfmt,
    read_article,
    read_bytes_article,
    readers,
)

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_000 = SEEDS / "000_9738bd22683e892a.txt"

PNG_HEADER = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"

WriteFile = Callable[[str, bytes], Path]


@pytest.fixture
def write(tmp_path: Path) -> WriteFile:
    """Write bytes to a file in tmp_path and return its path."""

    def _write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return _write


# --- seed format and plain text -------------------------------------------------------------


def test_real_seed_file(write: WriteFile) -> None:
    path = write("000_9738bd22683e892a.txt", SEED_000.read_bytes())
    article = read_article(path)
    assert article.title == "NATO chief urges S Korea to step up military support for Ukraine"
    assert article.published == "2023-01-30"
    assert article.body.startswith(
        "World World NATO chief urges S Korea to step up military support for Ukraine\n\n"
        "Stoltenberg is in Seoul"
    )
    assert "Jens Stoltenberg urged South Korea on Monday" in article.body
    assert "date 2023-01-30" not in article.body
    assert "\r" not in article.body
    assert article.path == str(path)
    assert article.url is None and article.source is None


def test_display_path_becomes_article_path(write: WriteFile) -> None:
    path = write("a.txt", b"Title\nBody")
    assert read_article(path, display_path="inbox/a.txt").path == "inbox/a.txt"


def test_seed_line_with_bom_crlf_and_leading_space(write: WriteFile) -> None:
    data = b"\xef\xbb\xbf date 2024-05-06 Storm closes ports\r\n\r\nShips stayed in harbour.\r\n"
    article = read_article(write("s.txt", data))
    assert (article.title, article.published) == ("Storm closes ports", "2024-05-06")
    assert article.body == "Ships stayed in harbour."


def test_seed_line_with_impossible_date_keeps_article_undated(write: WriteFile) -> None:
    article = read_article(write("s.txt", b"date 2023-02-30 Title here\nBody"))
    assert (article.title, article.published, article.body) == ("Title here", None, "Body")


def test_plain_text_first_non_empty_line_is_title(write: WriteFile) -> None:
    data = b"\n\n  Council approves budget  \n\nThe vote was 7 to 2.\n\tTabs  and  spaces stay.\n"
    article = read_article(write("p.txt", data))
    assert article.title == "Council approves budget"
    assert article.body == "The vote was 7 to 2.\n\tTabs  and  spaces stay."
    assert article.published is None


def test_text_extension_and_case_insensitive_extension(write: WriteFile) -> None:
    assert read_article(write("a.TEXT", b"Alpha\nbeta")).title == "Alpha"
    assert read_article(write("b.TXT", b"Gamma\ndelta")).body == "delta"


def test_markdown_strips_heading_marks_from_title_only(write: WriteFile) -> None:
    data = b"## Rates held steady\n\nThe bank kept rates at 4%.\n\n## Reaction\n\nMarkets rose.\n"
    article = read_article(write("m.md", data))
    assert article.title == "Rates held steady"
    assert article.body == "The bank kept rates at 4%.\n\n## Reaction\n\nMarkets rose."


def test_text_without_markdown_extension_keeps_hashes(write: WriteFile) -> None:
    assert read_article(write("m.txt", b"# Not stripped\nbody")).title == "# Not stripped"


def test_unknown_extension_read_as_text(write: WriteFile) -> None:
    article = read_article(write("wire.story", b"Flood warning issued\nRivers are rising."))
    assert (article.title, article.body) == ("Flood warning issued", "Rivers are rising.")


def test_no_extension_read_as_text(write: WriteFile) -> None:
    assert read_article(write("README", b"Heading\nText")).title == "Heading"


def test_line_endings_normalised(write: WriteFile) -> None:
    article = read_article(write("crlf.txt", b"T\r\none\r\ntwo\rthree\n"))
    assert article.body == "one\ntwo\nthree"


# --- decoding --------------------------------------------------------------------------------


def test_cp1252_decoded_legibly(write: WriteFile) -> None:
    article = read_article(write("legacy.txt", b"Wire\ncaf\xe9 \x93quoted\x94"))
    assert article.body == "caf\u00e9 \u201cquoted\u201d"


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(write: WriteFile) -> None:
    article = read_article(write("odd.txt", b"Title\nna\xefve \x81"))
    assert article.body == "na\u00efve \x81"


def test_utf8_preferred_over_cp1252(write: WriteFile) -> None:
    article = read_article(write("u.txt", "Seoul \u2014 \u00fcber\n\u4e2d\u6587".encode()))
    assert article.title == "Seoul \u2014 \u00fcber"
    assert article.body == "\u4e2d\u6587"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_utf16_with_bom(write: WriteFile, encoding: str) -> None:
    text = "Caf\u00e9 talks\r\nMinisters met in \u0141\u00f3d\u017a.\r\n"
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-16": b""}[encoding]
    article = read_article(write("w.txt", bom + text.encode(encoding)))
    assert article.title == "Caf\u00e9 talks"
    assert article.body == "Ministers met in \u0141\u00f3d\u017a."


def test_utf8_bom_is_not_part_of_title(write: WriteFile) -> None:
    assert read_article(write("b.txt", b"\xef\xbb\xbfHeadline\nBody")).title == "Headline"


def test_broken_utf16_is_an_error(write: WriteFile) -> None:
    with pytest.raises(ArticleError, match=r"UTF-16.*re-save it as UTF-8"):
        read_article(write("w.txt", b"\xff\xfe" + "ab".encode("utf-16-le") + b"\x00\xd8"))


def test_png_is_binary(write: WriteFile) -> None:
    with pytest.raises(ArticleError, match=r"^binary file: this looks like a PNG image"):
        read_article(write("photo.txt", PNG_HEADER))


@pytest.mark.parametrize("name", ["x.json", "x.html", "x.eml", "x.md", "x.bin"])
def test_nul_bytes_are_binary_in_every_format(write: WriteFile, name: str) -> None:
    with pytest.raises(ArticleError, match=r"^binary file: .*NUL bytes"):
        read_article(write(name, b"Title\nsome\x00text"))


def test_control_characters_without_nul_are_binary(write: WriteFile) -> None:
    with pytest.raises(ArticleError, match=r"^binary file: .*control characters"):
        read_article(write("x.dat", bytes(range(1, 32)) * 4 + b"some text"))


def test_a_stray_control_character_is_tolerated(write: WriteFile) -> None:
    article = read_article(write("eof.txt", b"Old wire story\nText of a long legacy item.\x1a"))
    assert article.body == "Text of a long legacy item.\x1a"


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"\xff\xfe", "  \n".encode("utf-16")]
)
def test_empty_file(write: WriteFile, data: bytes) -> None:
    with pytest.raises(ArticleError, match=r"^empty file$"):
        read_article(write("e.txt", data))


def test_title_and_body_both_empty_is_an_error(write: WriteFile) -> None:
    with pytest.raises(ArticleError, match="neither a title nor any body"):
        read_article(write("e.md", b"#\n\n"))


# --- JSON ------------------------------------------------------------------------------------


def test_json_simple_form(write: WriteFile) -> None:
    document = {
        "title": "Port reopens",
        "body": "Cranes resumed work.\r\nShips docked.",
        "url": "https://news.example.org/port",
        "published": "2024-04-10",
        "source": "Monitor Wire",
    }
    article = read_article(write("a.json", json.dumps(document).encode()))
    assert article.title == "Port reopens"
    assert article.body == "Cranes resumed work.\nShips docked."
    assert article.url == "https://news.example.org/port"
    assert article.published == "2024-04-10"
    assert article.source == "Monitor Wire"


def test_json_ninjs_body_text(write: WriteFile) -> None:
    document = {
        "uri": "urn:newsml:example.org:20240410:port",
        "type": "text",
        "headline": "Port reopens after strike",
        "body_text": "Cranes resumed work on Wednesday.",
        "versioncreated": "2024-04-10T08:00:00Z",
        "copyrightholder": "Example Agency",
        "located": "Rotterdam",
    }
    article = read_article(write("n.json", json.dumps(document).encode()))
    assert article.title == "Port reopens after strike"
    assert article.body == "Cranes resumed work on Wednesday."
    assert article.url == "urn:newsml:example.org:20240410:port"
    assert article.published == "2024-04-10T08:00:00Z"
    assert article.source == "Example Agency"


def test_json_ninjs_located_is_source_when_no_copyright_holder(write: WriteFile) -> None:
    document = {"headline": "H", "body_text": "B", "located": "Rotterdam"}
    assert read_article(write("n.json", json.dumps(document).encode())).source == "Rotterdam"


def test_json_ninjs_body_html_converted_to_text(write: WriteFile) -> None:
    document = {
        "headline": "Budget passes",
        "body_html": "<p>The <b>budget</b> passed\n   on Friday.</p><p>Second&nbsp;para&amp;graph."
        "<br>New line.</p><script>track()</script><ul><li>one</li><li>two</li></ul>",
    }
    article = read_article(write("n.json", json.dumps(document).encode()))
    assert article.body == (
        "The budget passed on Friday.\n\nSecond\u00a0para&graph.\nNew line.\n\none\n\ntwo"
    )


def test_json_ninjs2_headlines_and_bodies(write: WriteFile) -> None:
    document = {
        "headlines": [{"role": "short", "value": "Short"}, {"role": "main", "value": "Main one"}],
        "bodies": [{"contenttype": "text/html", "value": "<p>Hello <i>there</i></p>"}],
    }
    article = read_article(write("n2.json", json.dumps(document).encode()))
    assert (article.title, article.body) == ("Main one", "Hello there")


def test_json_prefers_plain_body_over_html(write: WriteFile) -> None:
    document = {"headline": "H", "body_text": "plain words", "body_html": "<p>html words</p>"}
    assert read_article(write("n.json", json.dumps(document).encode())).body == "plain words"


def test_json_list_is_an_error(write: WriteFile) -> None:
    data = json.dumps([{"title": "a", "body": "b"}, {"title": "c", "body": "d"}]).encode()
    with pytest.raises(ArticleError, match="list of 2 items; put one article per file"):
        read_article(write("l.json", data))


def test_json_scalar_is_an_error(write: WriteFile) -> None:
    with pytest.raises(ArticleError, match="JSON holds a str, not an object"):
        read_article(write("s.json", b'"just a string"'))


def test_json_without_title_or_body_names_expected_keys(write: WriteFile) -> None:
    data = json.dumps({"headline_text": "x", "content": "y"}).encode()
    with pytest.raises(ArticleError) as caught:
        read_article(write("k.json", data))
    message = str(caught.value)
    for key in ('"title"', '"body"', '"headline"', '"body_text"', '"body_html"'):
        assert key in message
    assert "found keys: content, headline_text" in message


def test_json_title_of_wrong_type_is_an_error(write: WriteFile) -> None:
    with pytest.raises(ArticleError, match='"title" must be a string, not int'):
        read_article(write("t.json", b'{"title": 12, "body": "text"}'))


def test_json_null_fields_count_as_absent(write: WriteFile) -> None:
    article = read_article(write("t.json", b'{"title": null, "body": "text", "url": null}'))
    assert (article.title, article.body, article.url) == ("", "text", None)


def test_truncated_json_names_line_and_column(write: WriteFile) -> None:
    data = b'{\n  "title": "Port reopens",\n  "body": "Cranes resu'
    with pytest.raises(ArticleError) as caught:
        read_article(write("t.json", data))
    try:
        json.loads(data)
    except json.JSONDecodeError as exc:
        expected = f"line {exc.lineno}, column {exc.colno}"
    assert expected == "line 3, column 11"
    assert expected in str(caught.value)
    assert "complete" in str(caught.value)


def test_json_lone_surrogate_replaced_not_crashing(write: WriteFile) -> None:
    article = read_article(write("s.json", b'{"title": "bad \\ud800 char", "body": "ok"}'))
    assert article.title == "bad \ufffd char"


def test_deeply_nested_json_is_an_error(write: WriteFile) -> None:
    with pytest.raises(ArticleError, match="invalid JSON"):
        read_article(write("d.json", b"[" * 100_000))


# --- HTML ------------------------------------------------------------------------------------

PAGE = b"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>Ceasefire talks resume | Example News</title>
<meta property="og:title" content="Ceasefire talks resume in Geneva">
<meta property="article:published_time" content="2024-02-01T10:00:00Z">
<script>var tracking = "do not match me";</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
<div class="cookies">We use cookies to improve your experience. Accept all cookies.</div>
<main><article>
<h1>Ceasefire talks resume in Geneva</h1>
<p>GENEVA - Negotiators returned to the table on Thursday for a second round of ceasefire
talks, diplomats said, after a two-week pause caused by disagreement over the agenda.</p>
<p>The mediators proposed a phased plan starting with a prisoner exchange and humanitarian
corridors, according to two people familiar with the draft.</p>
<p>Neither delegation commented publicly as the talks began behind closed doors.</p>
</article></main>
<footer><p>Copyright 2024 Example News. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>
"""


def test_html_main_text_extracted_without_boilerplate(write: WriteFile) -> None:
    article = read_article(write("page.html", PAGE))
    assert article.title == "Ceasefire talks resume in Geneva"
    assert "Negotiators returned to the table on Thursday" in article.body
    assert "Neither delegation commented publicly" in article.body
    for boilerplate in ("cookies", "Privacy policy", "Copyright", "Weather", "do not match me"):
        assert boilerplate not in article.body
    assert article.published == "2024-02-01"


def test_html_reading_is_quiet(write: WriteFile, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        read_article(write("page.htm", PAGE))
        read_article(write("tiny.html", b"<html><body><p>Tiny.</p></body></html>"))
    noisy = [r for r in caplog.records if r.name.split(".")[0] in {"trafilatura", "htmldate"}]
    assert noisy == []


def test_html_falls_back_to_visible_text_and_title(
    write: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(htmlfmt, "_extract", lambda text: None)
    data = (
        b"<html><head><title>Fallback title</title><style>p{}</style></head><body>"
        b"<h1>Heading</h1><p>First   para\nwraps.</p><script>x()</script>"
        b"<table><tr><td>a</td><td>b</td></tr></table><pre>  keep\n  this</pre></body></html>"
    )
    article = read_article(write("f.html", data))
    assert article.title == "Fallback title"
    assert article.body == "Heading\n\nFirst para wraps.\n\na b\n\nkeep\nthis"


def test_html_title_falls_back_to_first_h1(
    write: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(htmlfmt, "_extract", lambda text: None)
    article = read_article(write("f.html", b"<body><h1> Only  heading </h1><p>Text</p></body>"))
    assert article.title == "Only heading"


def test_html_declared_legacy_charset_honoured(write: WriteFile) -> None:
    text = "<html><head><meta charset='koi8-r'><title>Новости</title></head><body><p>Привет</p>"
    article = read_article(write("k.html", text.encode("koi8-r")))
    assert article.title == "Новости"
    assert "Привет" in article.body


def test_html_with_xml_declaration(write: WriteFile) -> None:
    data = b'<?xml version="1.0" encoding="utf-8"?><html><body><h1>X</h1><p>Y</p></body></html>'
    article = read_article(write("x.xhtml", data))
    assert article.title == "X"
    assert "Y" in article.body


def test_html_comment_only_is_an_error(write: WriteFile) -> None:
    with pytest.raises(ArticleError):
        read_article(write("c.html", b"<!-- nothing here -->"))


# --- e-mail ----------------------------------------------------------------------------------


def _eml(headers: str, body: bytes) -> bytes:
    return headers.replace("\n", "\r\n").encode("ascii") + b"\r\n" + body


def test_eml_prefers_plain_part(write: WriteFile) -> None:
    data = _eml(
        'From: "Wire Desk" <desk@wire.example.org>\n'
        "Subject: Bridge closed after barge strike\n"
        "Date: Tue, 09 Apr 2024 07:45:00 +0200\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="XX"\n',
        b"--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML version</p>\r\n"
        b"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain version.\r\nLine 2.\r\n"
        b"--XX--\r\n",
    )
    article = read_article(write("m.eml", data))
    assert article.title == "Bridge closed after barge strike"
    assert article.body == "Plain version.\nLine 2."
    assert article.published == "2024-04-09T07:45:00+02:00"
    assert article.source == "Wire Desk"


def test_eml_html_only_converted(write: WriteFile) -> None:
    html = b"<html><body><p>Markets <b>fell</b>.</p><style>p{}</style><p>Bonds rose.</p></body>"
    data = _eml(
        "From: alerts@wire.example.org\nSubject: Markets\n"
        "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n",
        base64.encodebytes(html),
    )
    article = read_article(write("h.eml", data))
    assert (article.title, article.body) == ("Markets", "Markets fell.\n\nBonds rose.")
    assert article.source == "alerts@wire.example.org"
    assert article.published is None


def test_eml_non_utf8_charset(write: WriteFile) -> None:
    data = _eml(
        "Subject: =?koi8-r?b?" + base64.b64encode("Новости".encode("koi8-r")).decode() + "?=\n"
        "Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: 8bit\n",
        "Привет, мир".encode("koi8-r"),
    )
    article = read_article(write("k.eml", data))
    assert (article.title, article.body) == ("Новости", "Привет, мир")


def test_eml_latin1_label_with_windows_quotes_and_raw_header(write: WriteFile) -> None:
    data = (
        b"Subject: Caf\xe9 \x93news\x94\r\nDate: not a date\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\nLe caf=E9 est =93chaud=94.\r\n"
    )
    article = read_article(write("l.eml", data))
    assert article.title == "Caf\u00e9 \u201cnews\u201d"
    assert article.body == "Le caf\u00e9 est \u201cchaud\u201d."
    assert article.published is None


def test_eml_wrong_charset_label_survived(write: WriteFile) -> None:
    data = _eml("Subject: S\nContent-Type: text/plain; charset=x-nonsense\n", "Zürich".encode())
    assert read_article(write("w.eml", data)).body == "Zürich"


# --- file system and identity ----------------------------------------------------------------


def test_a_named_file_that_does_not_exist(tmp_path: Path) -> None:
    """Not "vanished": that is for the inbox, where the file was there when listed."""
    with pytest.raises(ArticleError, match=r"^no such file or directory$"):
        read_article(tmp_path / "gone.txt")


def test_directory_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "sub.txt").mkdir()
    with pytest.raises(ArticleError, match="is a directory"):
        read_article(tmp_path / "sub.txt")


def test_oversized_file(write: WriteFile) -> None:
    path = write("big.txt", b"Title\n" + b"x" * 20)
    with pytest.raises(ArticleError, match=r"size cap \(10 bytes\), too big"):
        read_article(path, max_bytes=10)
    assert read_article(path, max_bytes=26).title == "Title"


@pytest.mark.parametrize("cap", [10, 70_000, 200_000])
def test_a_file_that_grows_after_its_size_was_taken_is_read_on(
    write: WriteFile, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    """The reader asks for the size the file had: if it grew since, it reads on to the cap."""
    body = b"y" * 100_000
    path = write("grown.txt", b"Title\n" + body)
    real_fstat = os.fstat

    def stale(descriptor: int) -> os.stat_result:  # the size before the writer finished
        fields = list(real_fstat(descriptor))
        fields[6] = 3  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", stale)
    if cap < 100_006:
        with pytest.raises(ArticleError, match="size cap"):
            read_article(path, max_bytes=cap)
    else:
        assert read_article(path, max_bytes=cap).body == body.decode()


def test_same_content_under_two_names_has_same_id(write: WriteFile) -> None:
    data = b"Same story\nSame words."
    first = read_article(write("one.txt", data))
    second = read_article(write("two.txt", data))
    assert first.id == second.id
    assert first.path != second.path
    assert first.id != read_article(write("three.txt", b"Same story\nOther words.")).id


def test_same_story_in_another_format_has_same_id(write: WriteFile) -> None:
    text = read_article(write("a.txt", b"Same story\nSame words."))
    as_json = read_article(write("a.json", b'{"title": "Same story", "body": "Same words."}'))
    assert text.id == as_json.id


def test_unexpected_parser_failure_becomes_article_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(data: bytes) -> None:
        raise ValueError("parser bug")

    monkeypatch.setitem(readers.READERS, ".json", explode)
    with pytest.raises(ArticleError, match="ValueError: parser bug") as caught:
        read_bytes_article(b"{}", "x.json")
    assert isinstance(caught.value.__cause__, ValueError)


def test_read_bytes_article_defaults_path_to_name() -> None:
    article = read_bytes_article(b"T\nB", "inbox/x.txt")
    assert isinstance(article, Article)
    assert (article.path, article.title, article.body) == ("inbox/x.txt", "T", "B")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300), ext=st.sampled_from([*sorted(readers.READERS), ".bin"]))
def test_arbitrary_bytes_raise_only_article_error(data: bytes, ext: str) -> None:
    try:
        article = read_bytes_article(data, "x" + ext)
    except ArticleError:
        return
    assert article.title.strip() or article.body.strip()
    article.title.encode("utf-8")
    article.body.encode("utf-8")


# --- sample articles shipped in seeds/ --------------------------------------------------------


def _seed(write: WriteFile, name: str) -> Article:
    return read_article(write(name, (SEEDS / name).read_bytes()))


def test_every_seed_is_readable(write: WriteFile) -> None:
    names = sorted(p.name for p in SEEDS.iterdir() if p.is_file())
    assert len(names) >= 4
    articles = [_seed(write, name) for name in names]
    assert all(a.title and a.body for a in articles)
    assert len({a.id for a in articles}) == len(articles)


def test_seed_korea_ammunition_mentions_nato_and_south_korea(write: WriteFile) -> None:
    article = _seed(write, "001_korea_ammunition.json")
    text = article.title + "\n" + article.body
    assert "NATO" in text and "South Korea" in text
    assert article.published == "2024-02-14"


def test_seed_north_korea_never_mentions_south_korea(write: WriteFile) -> None:
    article = _seed(write, "002_north_korea_missile.md")
    text = article.title + "\n" + article.body
    assert "North Korea" in text and "NATO" in text
    for other in ("South Korea", "Seoul", "Republic of Korea", "Korean"):
        assert other not in text
    assert article.title.startswith("North Korea")


def test_seed_senator_tennis_has_no_nato(write: WriteFile) -> None:
    article = _seed(write, "003_senator_tennis.txt")
    text = (article.title + "\n" + article.body).lower()
    assert "senator" in text and "exhibition match" in text
    # "seNATOr" contains the letters on purpose: a NATO rule must match whole words only.
    assert re.search(r"\bnato\b", text) is None
    assert "korea" not in text


def test_seed_eu_energy_page(write: WriteFile) -> None:
    article = _seed(write, "004_eu_energy.html")
    assert article.title == "EU ministers agree to extend gas storage target"
    assert "90 percent full" in article.body
    assert "Most read" not in article.body and "cookies" not in article.body


def test_an_xml_declaration_is_not_the_title_of_a_text_file(tmp_path: Path) -> None:
    """It declares the charset of a text file saved by an XML tool; it was the title."""
    path = tmp_path / "wire.txt"
    text = '<?xml version="1.0" encoding="windows-1251"?>\nРоссия и НАТО\nТекст статьи.\n'
    path.write_bytes(text.encode("cp1251"))
    article = read_article(path)
    assert (article.title, article.body) == ("Россия и НАТО", "Текст статьи.")
