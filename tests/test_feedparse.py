"""`monitor.sources.feedparse`: feed documents to entries, well-formed and hostile."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from monitor.sources.feedparse import MAX_ENTRIES, FeedEntry, FeedError, parse_feed

RSS20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Example News</title>
  <link>https://news.example/</link>
  <language> en-GB </language>
  <item>
    <title>NATO chief visits Seoul</title>
    <link>https://news.example/a/1</link>
    <guid isPermaLink="false">
       article-1
    </guid>
    <description>Short &lt;b&gt;summary&lt;/b&gt;</description>
    <content:encoded><![CDATA[<p>Full <em>text</em> here.</p>
      <script>evil()</script>]]></content:encoded>
    <pubDate>Tue, 10 Jun 2003 04:00:00 +0200</pubDate>
  </item>
  <item>
    <title>Only a description</title>
    <link>https://news.example/a/2</link>
    <description>Plain &amp; simple</description>
    <pubDate>not a date at all</pubDate>
  </item>
  <item><title></title><description></description></item>
</channel>
</rss>
"""

RSS10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/">
    <title>RDF Site</title><link>https://rdf.example/</link><description>d</description>
    <dc:language>de</dc:language>
  </channel>
  <item rdf:about="https://rdf.example/1">
    <title>Erste Meldung</title><link>https://rdf.example/1</link>
    <description>Text eins</description><dc:date>2024-03-01T12:00:00+01:00</dc:date>
  </item>
</rdf:RDF>
"""

RSS091 = b"""<?xml version="1.0"?>
<rss version="0.91"><channel>
  <title>Old School</title><link>http://old.example/</link><description>d</description>
  <language>en-us</language>
  <item><title>Vintage item</title><link>http://old.example/v</link>
  <description>From 1999</description></item>
</channel></rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de-DE">
  <title>Atom Feed</title>
  <entry>
    <id>urn:uuid:1</id><title>HTML content</title><link href="/posts/1"/>
    <updated>2024-01-02T03:04:05+02:00</updated>
    <content type="html">&lt;p&gt;First &amp;amp; &lt;b&gt;bold&lt;/b&gt;&lt;/p&gt;
      &lt;p&gt;Second&lt;/p&gt;</content>
  </entry>
  <entry>
    <id>urn:uuid:2</id><title type="html">&lt;i&gt;Styled&lt;/i&gt; title</title>
    <link href="javascript:alert(1)"/>
    <published>2024-01-02T00:00:00Z</published><updated>2024-02-02T00:00:00Z</updated>
    <content type="xhtml">
      <div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <b>world</b></p></div>
    </content>
  </entry>
  <entry>
    <id>urn:uuid:3</id><title>Summary only</title><summary>Just the summary</summary>
  </entry>
</feed>
"""


def _rss(items: str, head: str = "", encoding: str = "utf-8") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>T</title>{head}{items}</channel></rss>"
    ).encode(encoding)


def _json_feed(items: list[object], **feed: object) -> bytes:
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "JSON News", **feed}
    return json.dumps({**document, "items": items}).encode("utf-8")


def _by_title(entries: list[FeedEntry]) -> dict[str, FeedEntry]:
    return {entry.title: entry for entry in entries}


# -- formats -----------------------------------------------------------------------------


def test_rss20() -> None:
    feed = parse_feed(RSS20, "application/rss+xml; charset=utf-8", "https://news.example/rss")
    assert (feed.title, feed.language, feed.version, feed.truncated) == (
        "Example News",
        "en-GB",
        "rss20",
        0,
    )
    first, second = feed.entries  # the empty item is dropped
    assert first.key == "article-1"  # the guid, whitespace stripped
    assert first.title == "NATO chief visits Seoul"
    assert first.text == "Full text here."  # content:encoded wins; scripts are not text
    assert first.url == "https://news.example/a/1"
    assert first.published == "2003-06-10T02:00:00Z"
    assert second.key == "https://news.example/a/2"  # no guid: the link
    assert second.text == "Plain & simple"
    assert second.published is None


def test_rss10_rdf() -> None:
    feed = parse_feed(RSS10)
    assert (feed.title, feed.language, feed.version) == ("RDF Site", "de", "rss10")
    (entry,) = feed.entries
    assert (entry.title, entry.text, entry.url) == (
        "Erste Meldung",
        "Text eins",
        "https://rdf.example/1",
    )
    assert entry.published == "2024-03-01T11:00:00Z"


def test_rss091() -> None:
    feed = parse_feed(RSS091, "text/xml")
    assert feed.version.startswith("rss091")
    assert (feed.title, feed.language) == ("Old School", "en-us")
    (entry,) = feed.entries
    assert (entry.title, entry.text, entry.url) == (
        "Vintage item",
        "From 1999",
        "http://old.example/v",
    )


def test_atom_html_xhtml_and_summary() -> None:
    feed = parse_feed(ATOM, "application/atom+xml", "https://atom.example/feed.xml")
    assert (feed.title, feed.language, feed.version) == ("Atom Feed", "de-DE", "atom10")
    entries = _by_title(feed.entries)
    html = entries["HTML content"]
    assert html.text == "First & bold\n\nSecond"
    assert html.url == "https://atom.example/posts/1"  # relative to the feed's URL
    assert html.published == "2024-01-02T01:04:05Z"  # updated, as no published
    styled = entries["Styled title"]  # an HTML title becomes text
    assert styled.text == "Hello world"
    assert styled.url is None  # only http(s) links
    assert styled.published == "2024-01-02T00:00:00Z"  # published before updated
    assert entries["Summary only"].text == "Just the summary"


def test_json_feed_11() -> None:
    data = _json_feed(
        [
            {
                "id": "1",
                "url": "https://j.example/1",
                "title": "HTML item",
                "content_html": "<p>Hello <b>there</b></p><p>Again</p>",
                "content_text": "ignored when there is HTML",
                "date_published": "2024-05-01T10:00:00+02:00",
            },
            {"id": 2, "title": "Text item", "content_text": "Plain text\r\nbody"},
            {"url": "/3", "title": "Summary item", "summary": "Only a summary"},
            {
                "title": "Bare item",
                "content_text": "No id, no url",
                "date_modified": "2024-05-02T00:00:00Z",
                "date_published": "yesterday",
            },
            {"id": "5"},  # neither title nor text: dropped
            "not an object",
        ],
        language="fr-CA",
    )
    feed = parse_feed(data, "application/feed+json", "https://j.example/feed.json")
    assert (feed.title, feed.language, feed.version) == ("JSON News", "fr-CA", "json11")
    entries = _by_title(feed.entries)
    assert len(feed.entries) == 4
    html = entries["HTML item"]
    assert (html.key, html.text, html.url) == ("1", "Hello there\n\nAgain", "https://j.example/1")
    assert html.published == "2024-05-01T08:00:00Z"
    assert entries["Text item"].key == "2"
    assert entries["Text item"].text == "Plain text\nbody"
    summary = entries["Summary item"]
    assert summary.key == "https://j.example/3" == summary.url  # no id: the url
    assert summary.text == "Only a summary"
    bare = entries["Bare item"]
    assert bare.key == f"sha256:{bare.fingerprint}"  # neither: the hash
    assert bare.published == "2024-05-02T00:00:00Z"  # garbage published: modified


def test_json_feed_10_detected_without_content_type() -> None:
    data = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1",
            "title": "Old JSON",
            "items": [{"id": "a", "title": "x", "content_text": "y"}],
        }
    ).encode()
    feed = parse_feed(b"\n  " + data, "text/plain")
    assert feed.version == "json10" and feed.title == "Old JSON" and feed.language is None


# -- identity ----------------------------------------------------------------------------


def test_key_survives_text_changes_and_fingerprint_does_not() -> None:
    before = parse_feed(
        _rss("<item><guid>g-1</guid><title>A</title><description>v1</description></item>")
    )
    after = parse_feed(
        _rss("<item><guid>\n   g-1  \n</guid><title>A</title><description>v2</description></item>")
    )
    (old,), (new,) = before.entries, after.entries
    assert old.key == new.key == "g-1"
    assert old.fingerprint != new.fingerprint
    same = parse_feed(
        _rss("<item><guid>g-1</guid><title>A</title><description>v1</description></item>")
    )
    assert same.entries[0].fingerprint == old.fingerprint


def test_link_key_and_hash_key() -> None:
    linked = parse_feed(_rss("<item><link>https://x.example/p</link><title>A</title></item>"))
    assert linked.entries[0].key == "https://x.example/p"
    bare = parse_feed(_rss("<item><title>A</title><description>B</description></item>"))
    (entry,) = bare.entries
    assert entry.key == f"sha256:{entry.fingerprint}"
    assert (
        parse_feed(_rss("<item><title>A</title><description>B</description></item>")).entries[0].key
        == entry.key
    )  # stable across polls


def test_long_keys_are_hashed() -> None:
    guid = "g" * 5_000
    (entry,) = parse_feed(_rss(f"<item><guid>{guid}</guid><title>A</title></item>")).entries
    assert entry.key.startswith("sha256:") and len(entry.key) == 71
    (again,) = parse_feed(_rss(f"<item><guid>{guid}</guid><title>B</title></item>")).entries
    assert again.key == entry.key


def test_distinct_entries_get_distinct_fingerprints() -> None:
    feed = parse_feed(
        _rss(
            "<item><title>ab</title><description>c</description></item>"
            "<item><title>a</title><description>bc</description></item>"
        )
    )
    first, second = feed.entries
    assert first.fingerprint != second.fingerprint and first.key != second.key


# -- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00Z"),
        ("Tue, 10 Jun 2003 04:00:00 -0530", "2003-06-10T09:30:00Z"),
        ("2024-12-31T23:30:00-01:00", "2025-01-01T00:30:00Z"),
        ("2024-06-01T12:00:00Z", "2024-06-01T12:00:00Z"),
        ("the day before yesterday", None),
        ("", None),
    ],
)
def test_rss_dates(date: str, expected: str | None) -> None:
    data = _rss(f"<item><title>A</title><pubDate>{date}</pubDate></item>")
    assert parse_feed(data).entries[0].published == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2024-12-31T23:30:00-01:00", "2025-01-01T00:30:00Z"),
        ("2024-06-01T12:00:00.123Z", "2024-06-01T12:00:00Z"),
        ("2024-06-01T12:00:00", "2024-06-01T12:00:00Z"),  # no offset: UTC
        ("Tue, 10 Jun 2003 04:00:00 +0200", "2003-06-10T02:00:00Z"),
        ("0000-99-99", None),
        (12345, None),
    ],
)
def test_json_dates(date: object, expected: str | None) -> None:
    data = _json_feed([{"id": "1", "title": "A", "date_published": date}])
    assert parse_feed(data).entries[0].published == expected


def test_languages() -> None:
    assert (
        parse_feed(_rss("<item><title>A</title></item>", "<language>de-DE</language>")).language
        == "de-DE"
    )
    assert parse_feed(_rss("<item><title>A</title></item>")).language is None
    assert parse_feed(_json_feed([{"id": "1", "title": "A"}], language=" en ")).language == "en"
    assert parse_feed(_json_feed([{"id": "1", "title": "A"}], language=7)).language is None


# -- encodings ---------------------------------------------------------------------------


def test_iso_8859_1_declared() -> None:
    data = _rss(
        "<item><title>Über die Straße</title><description>Ça va, señor?</description></item>",
        encoding="ISO-8859-1",
    )
    assert "Straße".encode() not in data  # really latin-1 bytes
    for content_type in ("", "application/rss+xml", "text/xml"):
        (entry,) = parse_feed(data, content_type).entries
        assert (entry.title, entry.text) == ("Über die Straße", "Ça va, señor?")


def test_windows_1251_declared() -> None:
    data = _rss(
        "<item><title>Новости дня</title><description>Привет, мир</description></item>",
        head="<language>ru</language>",
        encoding="windows-1251",
    )
    for content_type in ("", "application/xml"):
        feed = parse_feed(data, content_type)
        (entry,) = feed.entries
        assert (entry.title, entry.text, feed.language) == ("Новости дня", "Привет, мир", "ru")


def test_utf16_with_bom() -> None:
    data = _rss("<item><title>Wide 😀 title</title></item>", encoding="utf-16")
    assert parse_feed(data).entries[0].title == "Wide 😀 title"


# -- hostile -----------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>
"""


def _refused(data: bytes, content_type: str = "", within: float = 1.0) -> str:
    started = time.perf_counter()
    with pytest.raises(FeedError) as caught:
        parse_feed(data, content_type)
    assert time.perf_counter() - started < within
    return str(caught.value)


def test_billion_laughs_refused_at_once() -> None:
    assert "declares XML entities" in _refused(BILLION_LAUGHS, within=0.1)


def test_quadratic_blowup_refused() -> None:
    value = "x" * 100_000
    items = "<item><title>&a;</title></item>" * 1_000
    data = f'<!DOCTYPE rss [<!ENTITY a "{value}">]><rss version="2.0"><channel>{items}'
    assert "declares XML entities" in _refused(data.encode(), within=0.1)


def test_safe_looking_entity_is_refused_too() -> None:
    # feedparser would keep this one ("safe") and expand it in both of its parsers.
    data = _rss("<item><title>&brand;</title></item>").replace(
        b"<rss", b'<!DOCTYPE rss [<!ENTITY brand "Spoofed">]>\n<rss', 1
    )
    assert "declares XML entities" in _refused(data)


def test_external_entity_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        "<rss version='2.0'><channel><item><title>&xxe;</title></item></channel></rss>"
    ).encode()
    assert "declares XML entities" in _refused(data)
    wide = data.decode().encode("utf-16")  # the declaration spelt with NUL bytes between
    assert "declares XML entities" in _refused(wide)


def test_external_dtd_is_not_fetched(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "TOPSECRET">', encoding="utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file://{dtd}">'
        "<rss version='2.0'><channel><item><title>A &secret; B</title></item></channel></rss>"
    ).encode()
    feed = parse_feed(data)
    assert all("TOPSECRET" not in entry.title for entry in feed.entries)


def test_bytes_that_name_a_file_are_not_read(tmp_path: Path) -> None:
    # feedparser.parse(bytes) tries the bytes as a file name before as a document.
    feed_file = tmp_path / "feed.xml"
    feed_file.write_bytes(RSS20)
    assert "not a feed" in _refused(str(feed_file).encode())


def test_huge_feed_is_cut_to_the_first_entries() -> None:
    items = "".join(
        f"<item><title>Entry {i}</title><guid>g{i}</guid><description>Body {i} of the entry"
        "</description></item>"
        for i in range(100_000)
    )
    data = _rss(items)
    assert len(data) > 9_000_000
    started = time.perf_counter()
    feed = parse_feed(data)
    assert time.perf_counter() - started < 3  # parsing all of it takes over 10 s
    assert len(feed.entries) == MAX_ENTRIES
    assert feed.truncated == 100_000 - MAX_ENTRIES
    assert feed.entries[0].key == "g0" and feed.entries[-1].key == f"g{MAX_ENTRIES - 1}"
    assert feed.title == "T"


def test_huge_atom_feed_is_cut_too() -> None:
    entries = "".join(f"<entry><id>e{i}</id><title>E {i}</title></entry>" for i in range(5_000))
    data = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>{entries}</feed>'
    feed = parse_feed(data.encode())
    assert (len(feed.entries), feed.truncated, feed.version) == (MAX_ENTRIES, 4_000, "atom10")


def test_huge_json_feed_is_cut() -> None:
    items: list[object] = [{"id": str(i), "title": f"T{i}"} for i in range(5_000)]
    feed = parse_feed(_json_feed(items))
    assert (len(feed.entries), feed.truncated) == (MAX_ENTRIES, 4_000)


def test_too_many_tags_refused() -> None:
    items = "<item><title>A</title>" + "<category>c</category>" * 300_000 + "</item>"
    assert "tags" in _refused(_rss(items))


def test_long_texts_are_capped() -> None:
    body = "word " * 400_000  # 2 MB
    title = "T" * 10_000
    (entry,) = parse_feed(
        _rss(f"<item><title>{title}</title><description>{body}</description></item>")
    ).entries
    assert len(entry.text) <= 1_000_000 and len(entry.title) <= 2_000


def test_broken_xml_with_entries_is_accepted() -> None:
    data = _rss("<item><title>Good one</title></item><item><title>Broken & bad</title></item>")
    feed = parse_feed(data)  # a bare "&" is not XML; real feeds have them
    assert [entry.title for entry in feed.entries] == ["Good one", "Broken & bad"]


def test_broken_xml_without_entries_is_an_error() -> None:
    message = _refused(b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>a</ti")
    assert "not well-formed" in message


def test_valid_feed_without_entries_is_no_error() -> None:
    feed = parse_feed(_rss(""))
    assert feed.entries == [] and feed.title == "T"


def test_html_page_is_not_a_feed() -> None:
    page = b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</p></body></html>"
    assert "not a feed" in _refused(page, "text/html")
    assert "HTML page" in _refused(page)


@pytest.mark.parametrize("data", [b"", b"   \n\t"])
def test_empty_document(data: bytes) -> None:
    assert "empty" in _refused(data)


@pytest.mark.parametrize(
    "data", [b"just some text", b"\x89PNG\r\n\x1a\n\x00\x00binary", b"[1, 2, 3]"]
)
def test_other_things_are_not_feeds(data: bytes) -> None:
    assert "not a feed" in _refused(data)


def test_deeply_nested_json() -> None:
    data = b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 1_000_000
    assert "nested too deeply" in _refused(data, "application/feed+json")


def test_json_that_is_not_a_json_feed() -> None:
    assert "not a JSON Feed" in _refused(b'{"title": "x", "items": []}', "application/json")
    assert "not a JSON Feed" in _refused(b'{"version": "1.1"}')
    assert "not valid JSON" in _refused(b'{"version": ', "application/feed+json")
    assert "not a JSON object" in _refused(b"[1]", "application/json")


def test_json_feed_with_wrong_types_is_read_as_far_as_it_goes() -> None:
    data = _json_feed(
        [{"id": ["x"], "title": 5, "content_text": "ok", "url": 3}, {"title": {"a": 1}}],
    )
    data = data.replace(b'"title": "JSON News"', b'"title": 42')
    feed = parse_feed(data)
    assert feed.title is None
    (entry,) = feed.entries
    assert entry.text == "ok" and entry.url is None and entry.key.startswith("sha256:")


def test_credentials_and_token_of_the_feed_url_never_reach_entries() -> None:
    """Relative guids and links are resolved against the feed's URL, but not against its
    user info or query, where credentials and tokens go: those would end up in the state
    database (keys) and in alerts (article URLs)."""
    rss_doc = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><guid>g1</guid><title>x</title><link>/a/b</link><description>d</description>"
        b"</item><item><title>y</title><link>#top</link><description>e</description></item>"
        b"</channel></rss>"
    )
    json_doc = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "t",
            "items": [{"id": "1", "url": "/x", "content_text": "hi"}],
        }
    ).encode()
    url = "https://user:SECRET1@Host.example:8443/feed.xml?token=SECRET2#SECRET3"
    entries = parse_feed(rss_doc, "application/rss+xml", url).entries
    entries += parse_feed(json_doc, "application/feed+json", url).entries
    shown = repr(entries)
    assert "SECRET" not in shown and "user" not in shown
    assert entries[0].url == "https://host.example:8443/a/b"
    assert entries[1].url == "https://host.example:8443/feed.xml#top"
    assert entries[2].url == "https://host.example:8443/x"


def test_entries_sharing_a_guid_keep_stable_distinct_keys() -> None:
    """One guid twice in a document: an exact repeat is dropped; two different texts get
    keys of their own, the same on every poll (one key for both made the state see one of
    them as changed, and send it through again, on every poll)."""
    doc = _rss(
        "".join(
            f"<item><guid>{guid}</guid><title>{title}</title><description>{text}</description></item>"
            for guid, title, text in [
                ("g1", "One", "first text"),
                ("g1", "Two", "second text"),
                ("g2", "X", "x"),
                ("g2", "X", "x"),
            ]
        )
    )
    entries = parse_feed(doc, "application/rss+xml").entries
    assert [e.title for e in entries] == ["One", "Two", "X"]
    assert len({e.key for e in entries}) == 3
    assert entries[2].key.endswith("g2")
    assert [e.key for e in parse_feed(doc, "application/rss+xml").entries] == [
        e.key for e in entries
    ]


def test_lone_surrogates_in_a_json_feed_become_replacement_characters() -> None:
    """A `"\\ud800"` escape reached the entry's key (the state database), title, text and
    link, and the feed's title: nothing could store or send them."""
    doc = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "Wire \\ud800",'
        b' "language": "en\\udc00", "items": [{"id": "k\\ud800", "title": "NATO \\ud800",'
        b' "content_text": "NATO \\udc00 met", "url": "https://x.org/\\ud800"}]}'
    )
    parsed = parse_feed(doc, "application/feed+json", "https://x.org/feed.json")
    [entry] = parsed.entries
    assert (entry.key, entry.title, entry.text, entry.url) == (
        "k\ufffd",
        "NATO \ufffd",
        "NATO \ufffd met",
        "https://x.org/\ufffd",
    )
    assert parsed.title == "Wire \ufffd" and parsed.language == "en\ufffd"


def test_a_character_reference_to_no_character_does_not_fail_the_feed() -> None:
    """feedparser encodes every `&#...;` it meets: `&#xD800;` (a surrogate) or `&#x110000;`
    raised out of the parse, so one entry failed every poll of its feed."""
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T&#55296;</title>'
        b"<item><guid>g&#xD800;</guid><title>NATO &#x110000; &#233;</title>"
        b"<description>x &#xdfff; y</description></item>"
        b"<item><guid>g2</guid><title>Second</title></item></channel></rss>"
    )
    parsed = parse_feed(rss, "application/rss+xml", "https://x.org/feed.xml")
    assert parsed.title == "T\ufffd"
    assert [(e.title, e.text) for e in parsed.entries] == [
        ("NATO \ufffd \u00e9", "x \ufffd y"),
        ("Second", ""),
    ]


_RU_FEED = (
    '<?xml version="1.0"{declaration}?>\n<rss version="2.0"><channel><title>РИА</title>'
    "<item><title>Россия и НАТО провели переговоры</title><link>https://e.org/1</link>"
    "<description>Министр иностранных дел заявил в понедельник, что переговоры с НАТО о "
    "безопасности в Европе продолжатся.</description></item></channel></rss>"
)


@pytest.mark.parametrize(
    ("declaration", "content_type", "level"),
    [
        ("", "application/rss+xml", "INFO"),  # nothing declared: detected
        (' encoding="windows-1251"', "application/rss+xml", None),  # declared right
        (' encoding="iso-8859-1"', "application/rss+xml", "WARNING"),  # declared wrong
        ("", "text/xml; charset=ISO-8859-1", "WARNING"),  # wrong in HTTP
    ],
)
def test_a_legacy_feed_is_read_by_what_it_declares_else_detected(
    caplog: pytest.LogCaptureFixture, declaration: str, content_type: str, level: str | None
) -> None:
    """feedparser read an undeclared cp1251 feed as windows-1252 without a word: stored as
    `Ðîññèÿ è ÍÀÒÎ` and matching nothing (the symptom issue 16 opens with)."""
    data = _RU_FEED.format(declaration=declaration).encode("cp1251")
    with caplog.at_level("INFO", logger="monitor.sources"):
        parsed = parse_feed(data, content_type, "https://user:pw@feeds.example.org/ru?key=s")
    logged = [r for r in caplog.records if r.name == "monitor.sources"]
    if level == "WARNING":  # a declaration wins, as in browsers; the log says it is wrong
        assert parsed.entries[0].title != "Россия и НАТО провели переговоры"
        assert "reads as cp1251, Russian" in logged[0].getMessage()
    else:
        assert (parsed.title, parsed.entries[0].title) == (
            "РИА",
            "Россия и НАТО провели переговоры",
        )
    assert [r.levelname for r in logged] == ([level] if level else [])
    assert all("pw" not in r.getMessage() and "key=" not in r.getMessage() for r in logged)
