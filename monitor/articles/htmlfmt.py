"""HTML pages and fragments to text.

A saved web page is mostly navigation, cookie banners and related-story links; matching
those would alert on every page of a site. trafilatura finds the article itself. When it
finds nothing (very short pages, unusual markup) the visible text is better than losing the
article, so lxml supplies that. Fragments (ninjs `body_html`, HTML e-mail) are the article
already and only need converting, not extracting.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import lxml.etree  # type: ignore[import-untyped, unused-ignore]
import lxml.html  # type: ignore[import-untyped, unused-ignore]

from monitor.articles.decode import decode_document
from monitor.articles.draft import Draft
from monitor.articles.model import ArticleError

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
_DECLARED = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARED = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)

# Only the publication date the page states in its metadata; "extensive search" guesses
# dates from the running text, and a wrong date is worse than none.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def read_html(data: bytes) -> Draft:
    """Headline and main text of a saved web page."""
    text = decode_document(data, declared_charset(data))
    tree = parse_html(text)
    if tree is None:
        raise ArticleError("the HTML file has no content (no elements or text inside it)")
    found = _extract(text)
    title = _extracted_title(found) or fallback_title(tree)
    body = _extracted_text(found) or visible_text(tree)
    return Draft(
        title=title,
        body=body,
        url=_attr(found, "url"),
        published=_attr(found, "date"),
        source=_attr(found, "sitename"),
    )


def html_to_text(markup: str) -> str:
    """The visible text of an HTML fragment or page, one block per paragraph."""
    tree = parse_html(markup)
    return "" if tree is None else visible_text(tree)


def parse_html(markup: str) -> lxml.html.HtmlElement | None:
    """Parse markup leniently; None when there is nothing in it.

    The text is handed to lxml as UTF-8 bytes with the encoding fixed, because lxml refuses
    a str that carries an XML encoding declaration and would otherwise obey a stale
    <meta charset> that no longer matches the already-decoded text.
    """
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        return lxml.html.document_fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in a <meta> tag or XML declaration, if any."""
    head = data[:4096]
    found = _DECLARED.search(head) or _XML_DECLARED.search(head)
    return found.group(1).decode("ascii") if found else None


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


def _pieces(element: lxml.html.HtmlElement, in_pre: bool = False) -> Iterator[str]:
    """Walk the tree yielding text with HTML's whitespace rules and block breaks."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag and tag.lower() not in _SKIPPED:
        tag = tag.lower()
        in_pre = in_pre or tag == "pre"
        yield _break_before(tag)
        yield _space(element.text, in_pre)
        for child in element:
            yield from _pieces(child, in_pre)
        yield _break_after(tag)
    yield _space(element.tail, in_pre)


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


def _space(text: str | None, in_pre: bool) -> str:
    """Collapse source formatting whitespace as a browser does, except inside <pre>."""
    if not text:
        return ""
    return text if in_pre else _SPACE_RUN.sub(" ", text)


def _extract(text: str) -> object | None:
    """trafilatura's document, or None when it gives up (it also raises on odd input)."""
    # Imported here, after the loggers above are quieted: htmldate logs while importing.
    import trafilatura

    tree = parse_html(text)  # its own copy: trafilatura prunes the tree it is given
    if tree is None:
        return None
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
