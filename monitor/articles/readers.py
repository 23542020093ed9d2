"""The one entry point that turns an inbox file into an `Article`, or says why it cannot.

The format is chosen by extension (case-insensitive); anything unknown is read as plain text
when it is text. Every failure on bad input is an `ArticleError` with a message for the
admin, so the daemon can quarantine the file and carry on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from monitor.articles.decode import decode_document, normalise_newlines
from monitor.articles.draft import Draft
from monitor.articles.eml import read_eml
from monitor.articles.htmlfmt import read_html
from monitor.articles.jsonfmt import read_json
from monitor.articles.model import Article, ArticleError
from monitor.articles.plaintext import read_plain

# Larger than any news story by orders of magnitude; what is bigger is a video or a dump
# dropped by mistake, and reading it whole would only exhaust the daemon's memory.
MAX_BYTES = 20 * 1024 * 1024

_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")

Reader = Callable[[bytes], Draft]


def _read_text(data: bytes) -> Draft:
    return read_plain(decode_document(data))


def _read_markdown(data: bytes) -> Draft:
    return read_plain(decode_document(data), markdown=True)


def _read_json(data: bytes) -> Draft:
    return read_json(decode_document(data))


def _read_eml(data: bytes) -> Draft:
    decode_document(data)  # only for its empty/binary verdict; parts carry their own charset
    return read_eml(data)


READERS: dict[str, Reader] = {
    ".txt": _read_text,
    ".text": _read_text,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".json": _read_json,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".eml": _read_eml,
}


def read_article(path: Path, display_path: str | None = None,
                 max_bytes: int = MAX_BYTES) -> Article:
    """Read one inbox file; `display_path` (default `str(path)`) becomes `Article.path`.

    A file larger than `max_bytes` is refused unread (`[inbox] max_size_mb` in the config).
    """
    shown = str(path) if display_path is None else display_path
    return read_bytes_article(_load(path, max_bytes), path.name, display_path=shown)


def read_bytes_article(data: bytes, name: str, display_path: str | None = None) -> Article:
    """Read an article from memory; `name` picks the format by its extension.

    Exceptions other than ArticleError are converted too (and chained, so the traceback
    survives in the log): a parser bug on one odd file must not stop the daemon.
    """
    reader = READERS.get(os.path.splitext(name)[1].lower(), _read_text)
    try:
        draft = reader(data)
    except ArticleError:
        raise
    except Exception as exc:
        raise ArticleError(f"could not read {name}: {type(exc).__name__}: {exc}") from exc
    return finish(draft, name if display_path is None else display_path)


def finish(draft: Draft, path: str) -> Article:
    """The steps every format shares: LF line endings, encodable text, something to match."""
    title = _clean(draft.title)
    body = _clean(draft.body)
    if not title.strip() and not body.strip():
        raise ArticleError("the file has neither a title nor any body text")
    return Article.create(
        path,
        title,
        body,
        url=draft.url,
        published=draft.published,
        source=draft.source,
    )


def _clean(text: str) -> str:
    """Normalise line endings and replace lone surrogates (from JSON escapes like \\ud800).

    One character is replaced by one, so offsets are unaffected; without this the content
    id could not be computed (lone surrogates cannot be encoded as UTF-8).
    """
    text = normalise_newlines(text)
    return text if text.isascii() else _LONE_SURROGATE.sub("\ufffd", text)


def _load(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, with file-system failures worded for the admin.

    Plain `os` calls, asking for the size the file has: a buffered `read(max_bytes + 1)`
    allocated (and the kernel mapped, then unmapped) a 20 MB buffer for every 4 KB article.
    A file that grows while it is read is read on to the cap.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            chunks: list[bytes] = []
            total = 0
            wanted = min(os.fstat(descriptor).st_size, max_bytes) + 1
            while True:  # a short read is the end of the file: one read, unless it grew
                chunk = os.read(descriptor, wanted)
                chunks.append(chunk)
                total += len(chunk)
                if len(chunk) < wanted or total > max_bytes:
                    break
                wanted = min(1 << 16, max_bytes + 1 - total)
        finally:
            os.close(descriptor)
        data = b"".join(chunks)  # no copy for the usual single chunk
    except FileNotFoundError as exc:
        raise ArticleError(f"file vanished before it could be read: {path}") from exc
    except IsADirectoryError as exc:
        raise ArticleError(f"{path} is a directory, not an article file") from exc
    except PermissionError as exc:
        raise ArticleError(
            f"permission denied reading {path}; make it readable by the monitor's user"
        ) from exc
    except OSError as exc:
        raise ArticleError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise ArticleError(
            f"file is larger than the size cap ({max_bytes:,} bytes), too big to be one "
            "article; raise [inbox] max_size_mb if such files are real articles"
        )
    return data
