"""HTML pages and fragments to text.

A saved web page is mostly navigation, cookie banners and related-story links; matching
those would alert on every page of a site. trafilatura finds the article itself. When it
finds nothing (very short pages, unusual markup) the visible text is better than losing the
article, so lxml supplies that. Fragments (ninjs `body_html`, HTML e-mail) are the article
already and only need converting, not extracting.

Hostile or broken pages are bounded before any superlinear work (see bench/html_caps.py for
the measurements behind the caps): trafilatura costs 35-110 microseconds per element, more
on deep trees, plus its attributes and text; lxml's parse and `visible_text` about 1-2. So
trafilatura only sees trees within `MAX_EXTRACT_ELEMENTS`, `MAX_EXTRACT_DEPTH`,
`MAX_EXTRACT_ATTRIBUTES` and `MAX_EXTRACT_CHARS`; other pages get their visible text.
Markup with more than `MAX_MARKUP_TAGS` tags is refused unparsed, and attributes, which
nothing reads text from, are dropped where there are too many of them (`_parse`).
"""

from __future__ import annotations

import itertools
import logging
import re

import lxml.etree  # type: ignore[import-untyped, unused-ignore]
import lxml.html  # type: ignore[import-untyped, unused-ignore]

from monitor.articles.decode import decode_document
from monitor.articles.draft import Draft
from monitor.errors import ArticleError

# trafilatura and its helpers log every page they find dubious; in a daemon that processes
# whatever lands in the inbox, that is noise in the admin's log, not information.
for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

_SKIPPED = frozenset({"head", "script", "style", "noscript", "template", "svg", "iframe"})
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_RAW_TEXT = frozenset({"script", "style", "title"})
# Possessive: a name that could give characters back to `[^<>]*` made a "<" followed by
# megabytes of letters quadratic.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*+)[^<>]*+>")
_RESOURCE_LIMIT = lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT

MAX_EXTRACT_ELEMENTS = 20_000
"""Trees with more elements skip trafilatura for the linear visible-text walk.

Real news pages have 2,000 to 10,000 elements; trafilatura took 0.2 s for a 20,000-element
news page, 0.8 to 1.6 s for 20,000 bare <div>s nested up to `MAX_EXTRACT_DEPTH` deep, on
the two-core development machine, and its cost grows faster than the element count.
"""
MAX_EXTRACT_ATTRIBUTES = 100_000
"""Trees with more attributes skip trafilatura too: 2 to 6 microseconds each, and a real
page has 2 or 3 an element (a 10,000-element news page: 7,500 to 30,000)."""
MAX_EXTRACT_CHARS = 1_000_000
"""Trees with more text (outside scripts and styles) skip trafilatura too: 0.2 to 0.75 s at
this size, 2.7 s for 5 MB in 19,000 links; a news page has tens of kilobytes."""
MAX_EXTRACT_DEPTH = 100
"""Trees nested deeper (from <html> down) skip trafilatura too; real pages nest a few tens."""
MAX_MARKUP_TAGS = 500_000
"""Markup with more "<" characters than this is refused before parsing.

At this size the parse and the visible-text walk take up to a second and 200 MB (twice that
at twice the size: the walk costs about 1.5 microseconds an element, most of it lxml making
a Python object for each); a real page, inline scripts included, has a few tens of
thousands.
"""
MAX_TAG_ATTRIBUTES = 100
"""A tag with more "=" than this is parsed without its attributes (see `_parse`)."""
MAX_MARKUP_ATTRIBUTES = 500_000
"""Markup with more "=" than this is parsed without attributes (see `_parse`); a real page,
inline scripts included, has tens of thousands."""
_ANY_ATTRIBUTES = re.compile(r"<([A-Za-z][^\s<>/=]*+)[^<>]*+>?")
# Anchored at "<" and possessive throughout, so each character of a tag is looked at once
# (letting the tag name give characters back made this 20 times slower on a real page).
_CROWDED_TAG = re.compile(
    rf"<([A-Za-z][^\s<>/=]*+)[^<>=]*+(?:=[^<>=]*+){{{MAX_TAG_ATTRIBUTES + 1}}}[^<>]*+>?"
)
_ATTRIBUTES = lxml.etree.XPath("count(//@*)")
_TOO_DEEP = lxml.etree.XPath("boolean(" + "/*" * (MAX_EXTRACT_DEPTH + 1) + ")")

_DECLARED = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARED = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)

# Only the publication date the page states in its metadata; "extensive search" guesses
# dates from the running text, and a wrong date is worse than none.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def read_html(data: bytes, charset: str | None = None) -> Draft:
    """Headline and main text of a saved web page.

    trafilatura runs only on a tree small enough for it to finish within about a second
    (`_fit_for_extraction`); otherwise the page's visible text is the body, which is what a
    reader of so odd a page would see anyway and costs a linear walk. `charset` is the one
    an HTTP `Content-Type` declared (a page fetched for a feed entry): as in browsers, it
    comes before the page's own `<meta charset>`.
    """
    check_markup_size(data.count(b"<"))
    text, decoding = decode_document(data, charset or declared_charset(data))
    tree, complete = _parse(text, huge=False)
    if tree is None:
        raise ArticleError("the HTML file has no content (no elements or text inside it)")
    found = None
    if not complete:  # deeper than 255 levels or a giant text node: lxml stopped early
        tree = parse_html(text)
        if tree is None:
            raise ArticleError("the HTML file has no content (no elements or text inside it)")
    elif _fit_for_extraction(tree):
        found = _extract(text)
    title = _extracted_title(found) or fallback_title(tree)
    body = _extracted_text(found) or visible_text(tree)
    return Draft(
        title=title,
        body=body,
        url=_attr(found, "url"),
        published=_attr(found, "date"),
        source=_attr(found, "sitename"),
        decoding=decoding,
        language=declared_language(tree),
    )


def html_to_text(markup: str) -> str:
    """The visible text of an HTML fragment or page, one block per paragraph."""
    check_markup_size(markup.count("<"))
    tree = parse_html(markup)
    return "" if tree is None else visible_text(tree)


def check_markup_size(tags: int) -> None:
    """Refuse markup with more than `MAX_MARKUP_TAGS` tags (`tags` counts its "<"), unparsed.

    Counting a character is a C loop over bytes; parsing is where the memory goes (about
    200 bytes per element) and the text walk where the time goes.
    """
    if tags > MAX_MARKUP_TAGS:
        raise ArticleError(
            f"the HTML has {tags:,} tags, more than the {MAX_MARKUP_TAGS:,} any news page "
            "needs (a real page has a few thousand); it is likely a generated or corrupt "
            "file, so it was not parsed. Save the article itself (or its text) instead"
        )


def parse_html(markup: str) -> lxml.html.HtmlElement | None:
    """Parse markup leniently, all of it; None when there is nothing in it.

    libxml2 stops at 255 levels of nesting by default and drops everything after that
    point, silently; `huge_tree` raises that limit to 2,048 (and lifts the 10 MB text-node
    limit). Deeper still, the markup is flattened (block tags become paragraphs, other
    tags vanish) and parsed again, so the text is kept even though the structure is not.
    """
    tree, complete = _parse(markup, huge=True)
    if complete:
        return tree
    tree, complete = _parse(_flatten(markup), huge=True)
    if complete:
        return tree
    raise ArticleError(
        "the HTML is nested more than 2,048 levels deep, even with its tags flattened, "
        "so its text cannot be read reliably; save the article's text instead"
    )


def _parse(markup: str, huge: bool) -> tuple[lxml.html.HtmlElement | None, bool]:
    """(tree, complete): lxml's tree, and whether libxml2 parsed the whole markup.

    The text is handed to lxml as UTF-8 bytes with the encoding fixed, because lxml refuses
    a str that carries an XML encoding declaration and would otherwise obey a stale
    <meta charset> that no longer matches the already-decoded text. A resource limit (depth,
    text-node size) is only reported in the parser's error log; the tree just ends there.
    Tags with more than `MAX_TAG_ATTRIBUTES` attributes lose them first: libxml2 compares
    each new attribute with all the earlier ones (40,000 on one tag took 1.2 s, and the
    20 MB a file may have would take hours, out of reach of the time budget), and so does
    trafilatura (3.5 s for 20,000). Markup with more than `MAX_MARKUP_ATTRIBUTES` "="
    loses every attribute: each costs lxml about 280 bytes (1.95 million took 550 MB).
    Text is never in an attribute.
    """
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=huge)
    if markup.count("=") > MAX_MARKUP_ATTRIBUTES:
        markup = _ANY_ATTRIBUTES.sub(r"<\1>", markup)
    else:
        markup = _CROWDED_TAG.sub(r"<\1>", markup)  # 3 ms a megabyte
    try:
        tree = lxml.html.document_fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        tree = None
    complete = not any(e.type == _RESOURCE_LIMIT for e in parser.error_log)
    return tree, complete


def _flatten(markup: str) -> str:
    """The markup with no element left to nest: blocks become <p>s, inline tags go.

    libxml2 closes an open <p> when the next one starts, so the result is flat and still
    has its paragraph breaks. <script>, <style> and <title> stay, because their content
    must stay hidden (or remain the title); none of them can contain elements, so they
    cannot nest. The pattern stops at the next "<", so it scans each character a bounded
    number of times.
    """
    return _TAG.sub(_flat_tag, markup)


def _flat_tag(found: re.Match[str]) -> str:
    """The replacement for one tag in `_flatten`."""
    name = found.group(2).lower()
    if name in _RAW_TEXT:
        return found.group(0)
    if name in _BLOCKS:
        return "<p>"
    if name == "br":
        return "<br>"
    return " " if name in _CELLS else ""


def _fit_for_extraction(tree: lxml.html.HtmlElement) -> bool:
    """Whether trafilatura can read this tree in about a second or less.

    Its cost per element grows with the depth (about 45 microseconds flat, 80 at 100 levels,
    110 at 250), attributes add theirs, and text its own, faster than its length when it is
    spread over many elements; so all four are capped. Elements are counted only up to the
    cap; the rest is then counted over at most that many (scripts' text is not the page's).
    """
    elements = sum(1 for _ in itertools.islice(tree.iter(), MAX_EXTRACT_ELEMENTS + 1))
    if elements > MAX_EXTRACT_ELEMENTS or _TOO_DEEP(tree):
        return False
    if _ATTRIBUTES(tree) > MAX_EXTRACT_ATTRIBUTES:
        return False
    hidden = sum(len(e.text or "") for e in tree.iter("script", "style"))
    return sum(len(text) for text in tree.itertext()) - hidden <= MAX_EXTRACT_CHARS


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in a <meta> tag or XML declaration, if any."""
    head = data[:4096]
    found = _DECLARED.search(head) or _XML_DECLARED.search(head)
    return found.group(1).decode("ascii") if found else None


_CONTENT_LANGUAGE = lxml.etree.XPath(
    "//meta[translate(@http-equiv, 'CONTENTLAGU', 'contentlagu') = 'content-language']/@content"
)


def declared_language(tree: lxml.html.HtmlElement) -> str | None:
    """The page's declared language: `<html lang>` (or `xml:lang`), else the first
    `<meta http-equiv="content-language">`, as written; `Article.create` reduces it to its
    primary subtag, or drops it when it names no language."""
    root = tree.getroottree().getroot()
    for key in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        value = root.get(key)
        if value and value.strip():
            return str(value).strip()
    found = _CONTENT_LANGUAGE(tree)
    if found:
        # "de, en": a page for several audiences names its first language first
        return str(found[0]).split(",")[0].strip() or None
    return None


def fallback_title(tree: lxml.html.HtmlElement) -> str:
    """<title>, else the first <h1>: what a browser tab or a reader would call the page."""
    for path in (".//title", ".//h1"):
        element = tree.find(path)
        if element is not None:
            text = _SPACE_RUN.sub(" ", element.text_content()).strip()
            if text:
                return text
    return ""


def visible_text(tree: lxml.html.HtmlElement) -> str:
    """Text a reader would see: scripts and styles dropped, blocks on their own paragraph."""
    raw = "".join(_pieces(tree))
    lines = (line.strip(" ") for line in raw.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _pieces(root: lxml.html.HtmlElement) -> list[str]:
    """The tree's text with HTML's whitespace rules and block breaks, in pieces.

    An explicit stack, not recursion: a tree 2,048 levels deep would exceed Python's
    recursion limit, and nested generators pass every piece up through each level, which
    made the walk quadratic in the depth. A list rather than a generator, and no empty
    pieces: this loop is the whole cost of reading a page too large for trafilatura.
    (lxml's iterwalk would be faster still, but it skips comments, and their tails.)
    """
    out: list[str] = []
    append = out.append
    # (node, inside <pre>, closing): an element is pushed again to be closed after its
    # children, because its closing break and its tail come after theirs.
    stack: list[tuple[lxml.html.HtmlElement, bool, bool]] = [(root, False, False)]
    pop, push = stack.pop, stack.append
    while stack:
        element, in_pre, closing = pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if closing or not tag or tag in _SKIPPED:
            if closing:
                append(_break_after(tag))
            tail = element.tail
            if tail:
                append(_space(tail, in_pre))
            continue
        inner_pre = in_pre or tag == "pre"
        append(_break_before(tag))
        text = element.text
        if text:
            append(_space(text, inner_pre))
        if len(element):
            push((element, in_pre, True))
            stack.extend([(child, inner_pre, False) for child in reversed(element)])
        else:  # most elements are leaves: close them now rather than through the stack
            append(_break_after(tag))
            tail = element.tail
            if tail:
                append(_space(tail, in_pre))
    return out


def _break_before(tag: str) -> str:
    """Blocks start a paragraph; a line break is its own line."""
    if tag in _BLOCKS:
        return "\n\n"
    return "\n" if tag == "br" else ""


def _break_after(tag: str) -> str:
    """Blocks end a paragraph; table cells are kept apart on the same line."""
    if tag in _BLOCKS:
        return "\n\n"
    return " " if tag in _CELLS else ""


def _space(text: str, in_pre: bool) -> str:
    """Collapse source formatting whitespace as a browser does, except inside <pre>."""
    return text if in_pre else _SPACE_RUN.sub(" ", text)


def _extract(text: str) -> object | None:
    """trafilatura's document, or None when it gives up (it also raises on odd input).

    Only called for a tree `read_html` has checked is small and shallow enough.
    """
    # Imported here, after the loggers above are quieted: htmldate logs while importing.
    import trafilatura

    tree, _ = _parse(text, huge=False)  # its own copy: trafilatura prunes the tree it is given
    if tree is None:
        return None
    # Exception, not BaseException: the per-article time budget (monitor.budget's
    # ArticleTimeout) and KeyboardInterrupt must stop the article, not just this heuristic.
    try:
        return trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception:  # a third-party heuristic failing must not lose the article
        return None


def _extracted_title(found: object | None) -> str:
    """trafilatura's headline, if it found one."""
    return _attr(found, "title") or ""


def _extracted_text(found: object | None) -> str:
    """trafilatura's main text, if it found any."""
    return _attr(found, "text") or ""


def _attr(found: object | None, name: str) -> str | None:
    """A string field of trafilatura's result; its types are not declared, so check here."""
    value = getattr(found, name, None)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
