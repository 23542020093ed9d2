"""`monitor.sources.opml` and `monitor sources import`: OPML to `[sources.NAME]` blocks."""

from __future__ import annotations

import os
import stat
import time
import tomllib

import pytest
from helpers.workspace import Workspace

from monitor.sources.opml import (
    MAX_OUTLINES,
    OpmlError,
    OpmlFeed,
    read_opml,
    source_slug,
    sources_toml,
    toml_string,
)

READER_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My subscriptions in Feedly Cloud</title></head>
  <body>
    <outline text="World" title="World">
      <outline type="rss" text="BBC News - World" title="BBC News - World"
               xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"
               htmlUrl="https://www.bbc.co.uk/news/world"/>
      <outline type="rss" text="Reuters Top News" xmlUrl="https://reuters.example/rss/top"/>
      <outline text="Asia">
        <outline type="rss" text="" title="" xmlUrl="https://www.koreaherald.example/rss"/>
      </outline>
    </outline>
    <outline text="Tech">
      <outline type="rss" title="Ars Technica" text="ignored" xmlUrl="https://ars.example/feed"/>
      <outline type="atom" text="Новости" xmlUrl="https://lenta.example/rss"/>
    </outline>
  </body>
</opml>
""".encode()


def _opml(*outlines: str) -> bytes:
    return f'<opml version="2.0"><body>{"".join(outlines)}</body></opml>'.encode()


def _outline(title: str, url: str) -> str:
    escaped = (
        title.replace("&", "&amp;").replace('"', "&quot;").replace("\n", "&#10;") if title else ""
    )
    url = url.replace("&", "&amp;").replace('"', "&quot;").replace("\n", "&#10;")
    return f'<outline title="{escaped}" xmlUrl="{url}"/>'


def test_typical_reader_export() -> None:
    feeds = read_opml(READER_EXPORT)
    assert feeds == [
        OpmlFeed("BBC News - World", "https://feeds.bbci.co.uk/news/world/rss.xml"),
        OpmlFeed("Reuters Top News", "https://reuters.example/rss/top"),
        OpmlFeed("www.koreaherald.example", "https://www.koreaherald.example/rss"),
        OpmlFeed("Ars Technica", "https://ars.example/feed"),
        OpmlFeed("Новости", "https://lenta.example/rss"),
    ]
    parsed = tomllib.loads(sources_toml(feeds, set()))["sources"]
    assert list(parsed) == [
        "bbc-news-world",
        "reuters-top-news",
        "www-koreaherald-example",  # no title: the host
        "ars-technica",
        "lenta-example",  # no ASCII letters in the title: the host
    ]
    assert all(table["type"] == "feed" for table in parsed.values())
    assert parsed["ars-technica"]["url"] == "https://ars.example/feed"


def test_blocks_have_the_title_as_a_comment() -> None:
    text = sources_toml([OpmlFeed("Ars Technica", "https://ars.example/feed")], set())
    assert text == (
        '# Ars Technica\n[sources.ars-technica]\ntype = "feed"\nurl = "https://ars.example/feed"\n'
    )


@pytest.mark.parametrize(
    "title",
    [
        'He said "hi"',
        "line one\nline two\n[sources.evil]\nurl = 'x'",
        "] = 1\n[channels.x]",
        "back\\slash \\u0041",
        "tab\there\r\nand \x1b[2J escape \u202e bidi",
        "Ünïcödé 新闻 😀",
        "\u2028\u2029\x7f\x85",
    ],
)
def test_titles_cannot_inject_toml(title: str) -> None:
    url = "https://example.org/feed"
    text = sources_toml([OpmlFeed(title, url)], set())
    parsed = tomllib.loads(text)
    assert parsed == {"sources": {source_slug(title, url): {"type": "feed", "url": url}}}
    assert len(text.splitlines()) == 4  # comment, header, type, url: nothing injected


@pytest.mark.parametrize(
    "url",
    [
        'https://example.org/a"b',
        "https://example.org/a\\b\\\\c",
        'https://example.org/?q=1&x="];[evil]\n',
        "https://example.org/\x00\x01\x1f\x7f\t",
        "https://example.org/ünï/😀",
        "https://example.org/\ud800",  # a lone surrogate: TOML cannot hold it
    ],
)
def test_urls_read_back_exactly(url: str) -> None:
    text = sources_toml([OpmlFeed("T", url)], set())
    read = tomllib.loads(text)["sources"]["t"]["url"]
    assert read == url.replace("\ud800", "\ufffd")
    assert tomllib.loads(f"x = {toml_string(url)}")["x"] == read


def test_urls_with_odd_characters_from_an_opml_file_survive() -> None:
    url = 'https://example.org/feed?a=1&b="2"&c=\\'
    (feed,) = read_opml(_opml(_outline("Odd", url)))
    assert feed.url == url
    assert tomllib.loads(sources_toml([feed], set()))["sources"]["odd"]["url"] == url


def test_duplicates_are_listed_once() -> None:
    feeds = read_opml(
        _opml(
            _outline("One", "https://a.example/rss"),
            f"<outline text='Folder'>{_outline('One again', 'https://a.example/rss')}</outline>",
            _outline("Two", "https://b.example/rss"),
        )
    )
    parsed = tomllib.loads(sources_toml(feeds, set()))["sources"]
    assert parsed == {
        "one": {"type": "feed", "url": "https://a.example/rss"},
        "two": {"type": "feed", "url": "https://b.example/rss"},
    }


def test_name_clashes_get_numbers() -> None:
    feeds = [
        OpmlFeed("News", "https://a.example/rss"),
        OpmlFeed("NEWS!", "https://b.example/rss"),
        OpmlFeed("news", "https://c.example/rss"),
    ]
    parsed = tomllib.loads(sources_toml(feeds, {"news", "news-2"}))["sources"]
    assert [(name, table["url"]) for name, table in parsed.items()] == [
        ("news-3", "https://a.example/rss"),
        ("news-4", "https://b.example/rss"),
        ("news-5", "https://c.example/rss"),
    ]


def test_a_feed_titled_inbox_gets_a_name_the_config_accepts(workspace: Workspace) -> None:
    """A feed titled "Inbox" made `[sources.inbox]`, a name the config refuses (the inbox
    folder's own), so the printed blocks did not load and `--write` refused every feed."""
    parsed = tomllib.loads(sources_toml([OpmlFeed("Inbox", "https://a.example/rss")], set()))
    assert list(parsed["sources"]) == ["inbox-2"]
    (workspace.root / "feeds.opml").write_bytes(_opml(_outline("INBOX", "https://a.example/r")))
    result = workspace.monitor("sources", "import", "feeds.opml", "--write")
    assert result.returncode == 0, result.stderr
    assert workspace.monitor("check").returncode == 0


@pytest.mark.parametrize(
    ("title", "url", "slug"),
    [
        ("Le Monde – Actualités", "https://lemonde.example/rss", "le-monde-actualites"),
        ("  --The  Guardian!!-- ", "https://g.example/", "the-guardian"),
        ("新闻", "https://www.xinhua.example/rss", "xinhua-example"),
        ("2024", "https://n.example:8080/x", "n-example"),
        ("x" * 100, "https://a.example/", "x" * 40),
    ],
)
def test_slugs(title: str, url: str, slug: str) -> None:
    assert source_slug(title, url) == slug


def test_non_http_urls_are_skipped_with_a_note() -> None:
    notes: list[str] = []
    feeds = read_opml(
        _opml(
            _outline("Local", "file:///etc/passwd"),
            _outline("Script", "javascript:alert(1)"),
            _outline("Gopher", "gopher://old.example/"),
            _outline("Good", "http://good.example/rss"),
            _outline("No host", "https:///path"),
        ),
        notes,
    )
    assert feeds == [OpmlFeed("Good", "http://good.example/rss")]
    (note,) = notes
    assert "skipped 4 feed(s)" in note and "file:///etc/passwd" in note


def test_title_falls_back_to_text_then_host() -> None:
    feeds = read_opml(
        _opml(
            '<outline text="From text" xmlUrl="https://a.example/rss"/>',
            '<outline xmlUrl="https://b.example/rss"/>',
            '<outline title="  spaced \n  out " xmlUrl="https://c.example/rss"/>',
        )
    )
    assert [feed.title for feed in feeds] == ["From text", "b.example", "spaced out"]


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<opml><body><outline title="&e;&e;&e;&e;" xmlUrl="https://x.example/"/></body></opml>
"""


@pytest.mark.parametrize(
    "data",
    [
        BOMB,
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<opml><body><outline title="&x;" xmlUrl="https://x.example/"/></body></opml>',
        b'<!DOCTYPE opml SYSTEM "http://dtd.example/opml.dtd"><opml/>',
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE o [<!ENTITY a "b">]><opml/>'.encode(
            "utf-16"
        ),
    ],
)
def test_doctypes_and_entities_are_refused(data: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(OpmlError, match="DOCTYPE"):
        read_opml(data)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<opml><body><outline", "not well-formed"),
        (b"<rss version='2.0'><channel/></rss>", "root element is <rss>"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not well-formed"),
    ],
)
def test_not_opml(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        read_opml(data)


def test_outlines_are_capped() -> None:
    outlines = "".join(
        f'<outline text="F{i}" xmlUrl="https://f.example/{i}"/>' for i in range(MAX_OUTLINES + 50)
    )
    notes: list[str] = []
    started = time.perf_counter()
    feeds = read_opml(_opml(outlines), notes)
    assert time.perf_counter() - started < 2
    assert len(feeds) == MAX_OUTLINES
    assert any("first 10,000 outlines" in note for note in notes)


def test_encodings_are_honoured() -> None:
    data = (
        '<?xml version="1.0" encoding="windows-1251"?><opml><body>'
        '<outline text="Лента" xmlUrl="https://lenta.example/rss"/></body></opml>'
    ).encode("cp1251")
    assert read_opml(data) == [OpmlFeed("Лента", "https://lenta.example/rss")]


# -- the command -------------------------------------------------------------------------


def test_cli_prints_the_blocks(workspace: Workspace) -> None:
    (workspace.root / "feeds.opml").write_bytes(READER_EXPORT)
    result = workspace.monitor("sources", "import", "feeds.opml")
    assert result.returncode == 0, result.stderr
    parsed = tomllib.loads(result.stdout)["sources"]
    assert len(parsed) == 5 and parsed["bbc-news-world"]["type"] == "feed"
    assert "[sources." not in workspace.config.read_text(encoding="utf-8")  # printed only


def test_cli_write_round_trip(workspace: Workspace) -> None:
    workspace.write_config(
        extra='\n# Already here\n[sources.bbc-news-world]\ntype = "feed"\n'
        'url = "https://feeds.bbci.co.uk/news/world/rss.xml"\n'
        '\n[sources.ars-technica]\ntype = "feed"\nurl = "https://other.example/ars"\n'
    )
    os.chmod(workspace.config, 0o640)
    before = workspace.config.read_text(encoding="utf-8")
    opml = workspace.root / "feeds.opml"
    opml.write_bytes(READER_EXPORT)

    result = workspace.monitor("sources", "import", str(opml), "--write", "--config", "config.toml")
    assert result.returncode == 0, result.stderr
    assert "added 4 feed source(s)" in result.stdout
    assert "1 feed(s) already in" in result.stderr
    after = workspace.config.read_text(encoding="utf-8")
    assert after.startswith(before)  # appended, nothing else touched
    assert stat.S_IMODE(workspace.config.stat().st_mode) == 0o640
    sources = tomllib.loads(after)["sources"]
    assert sources["ars-technica"]["url"] == "https://other.example/ars"  # left as it was
    assert sources["ars-technica-2"]["url"] == "https://ars.example/feed"  # a clash: numbered
    assert len(sources) == 6
    assert [p.name for p in workspace.root.iterdir() if p.name.endswith(".tmp")] == []

    again = workspace.monitor("sources", "import", str(opml), "--write")
    assert again.returncode == 0, again.stderr
    assert "5 feed(s) already in" in again.stderr
    assert workspace.config.read_text(encoding="utf-8") == after  # nothing new: unchanged


def test_cli_write_refuses_a_config_that_does_not_load(workspace: Workspace) -> None:
    workspace.write_config(extra="\n[stories]\nno_such_key = 1\n")
    before = workspace.config.read_text(encoding="utf-8")
    (workspace.root / "feeds.opml").write_bytes(READER_EXPORT)
    result = workspace.monitor("sources", "import", "feeds.opml", "--write")
    assert result.returncode == 2
    assert "config.toml:" in result.stderr and "no_such_key" in result.stderr
    assert ".tmp" not in result.stderr  # problems name the real file
    assert workspace.config.read_text(encoding="utf-8") == before
    assert [p.name for p in workspace.root.iterdir() if p.name.endswith(".tmp")] == []


def test_cli_write_refuses_invalid_toml(workspace: Workspace) -> None:
    workspace.config.write_text("[inbox\n", encoding="utf-8")
    (workspace.root / "feeds.opml").write_bytes(READER_EXPORT)
    result = workspace.monitor("sources", "import", "feeds.opml", "--write")
    assert result.returncode == 2 and "config.toml: error" in result.stderr
    assert workspace.config.read_text(encoding="utf-8") == "[inbox\n"


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (None, 2, "missing.opml: error: cannot read it"),
        (b"<html><body>no</body></html>", 2, "bad.opml: error: not an OPML file"),
        (BOMB, 2, "bad.opml: error: the file has a DOCTYPE"),
        (b"<opml><body><outline text='folder'/></body></opml>", 1, "bad.opml: error: no feeds"),
    ],
)
def test_cli_errors(workspace: Workspace, content: bytes | None, code: int, message: str) -> None:
    name = "missing.opml" if content is None else "bad.opml"
    if content is not None:
        (workspace.root / name).write_bytes(content)
    result = workspace.monitor("sources", "import", name)
    assert result.returncode == code
    assert message in result.stderr
    assert result.stdout == ""


def test_cli_write_keeps_crlf_line_endings_and_the_owner(workspace: Workspace) -> None:
    """--write rewrote a CRLF config with LF line endings throughout (it was read with
    newline translation), and the replacement file got the writer's owner and group: a
    config root:monitor 0640 written by root became unreadable to the daemon's user."""
    text = workspace.config.read_text(encoding="utf-8").replace("\n", "\r\n")
    workspace.config.write_bytes(text.encode("utf-8"))
    os.chmod(workspace.config, 0o640)
    owner = (65534, 65534) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    os.chown(workspace.config, *owner)
    (workspace.root / "feeds.opml").write_bytes(READER_EXPORT)
    result = workspace.monitor("sources", "import", "feeds.opml", "--write")
    assert result.returncode == 0, result.stderr
    after = workspace.config.read_bytes()
    assert after.startswith(text.encode("utf-8"))
    assert after.count(b"\n") == after.count(b"\r\n") and b"[sources." in after
    st = workspace.config.stat()
    assert (st.st_uid, st.st_gid) == owner
    assert stat.S_IMODE(st.st_mode) == 0o640


def test_the_feed_pseudo_scheme_is_read_as_http() -> None:
    notes: list[str] = []
    feeds = read_opml(
        _opml(
            _outline("Ars", "feed://feeds.arstechnica.com/arstechnica/index"),
            _outline("Tls", "feed:https://example.org/rss"),
            _outline("Odd", "feed:gopher://old.example/"),
        ),
        notes,
    )
    assert feeds == [
        OpmlFeed("Ars", "http://feeds.arstechnica.com/arstechnica/index"),
        OpmlFeed("Tls", "https://example.org/rss"),
    ]
    (note,) = notes
    assert "skipped 1 feed(s)" in note and "feed:gopher://old.example/" in note
