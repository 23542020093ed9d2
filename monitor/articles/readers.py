"""The one entry point that turns an inbox file into an `Article`, or says why it cannot.

The format is chosen by extension (case-insensitive); anything unknown is read as plain text
when it is text. Every failure on bad input is an `ArticleError` with a message for the
admin, so the daemon can quarantine the file and carry on.
"""

from __future__ import annotations

import dataclasses
import errno
import fcntl
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path

from monitor.articles.decode import decode_document, normalise_newlines, xml_declared
from monitor.articles.draft import Draft
from monitor.articles.eml import read_eml
from monitor.articles.htmlfmt import read_html
from monitor.articles.jsonfmt import read_json
from monitor.articles.model import Article
from monitor.articles.plaintext import read_plain
from monitor.errors import ArticleError
from monitor.safepath import open_folder_below

# Larger than any news story by orders of magnitude; what is bigger is a video or a dump
# dropped by mistake, and reading it whole would only exhaust the daemon's memory.
MAX_BYTES = 20 * 1024 * 1024


log = logging.getLogger("monitor.articles")

Reader = Callable[[bytes], Draft]


def _read_text(data: bytes) -> Draft:
    # Text formats declare nothing, but an XML file read as text may (`<?xml encoding=`).
    text, decoding = decode_document(data, xml_declared(data))
    return read_plain(text, decoding=decoding)


def _read_markdown(data: bytes) -> Draft:
    text, decoding = decode_document(data)
    return read_plain(text, markdown=True, decoding=decoding)


def _read_json(data: bytes) -> Draft:
    # JSON is UTF-8 (RFC 8259): declared so, a file that is not is read by a guess that is
    # logged as unsure, rather than lost.
    text, decoding = decode_document(data, "utf-8")
    return dataclasses.replace(read_json(text), decoding=decoding)


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
"""Extension to reader; anything else is read as text (`_read_text`), `.xml` included."""


def read_article(
    path: Path, display_path: str | None = None, max_bytes: int = MAX_BYTES
) -> Article:
    """Read one article file the user named; `display_path` (default `str(path)`) becomes
    `Article.path`. A symbolic link is followed: the user chose it (`monitor test`).

    A file larger than `max_bytes` is refused unread (`[inbox] max_size_mb` in the config).
    """
    shown = str(path) if display_path is None else display_path
    data, _ = _load(path, max_bytes, inbox=None)
    return read_bytes_article(data, path.name, display_path=shown)


def read_inbox_bytes(
    root: Path, path: Path, max_bytes: int = MAX_BYTES
) -> tuple[bytes, os.stat_result]:
    """The bytes of a file someone dropped into the inbox, and the `fstat` of what was read.

    Unlike `read_article`, nothing but a regular file that is no longer being written is
    read, whatever the name pointed at when the inbox was scanned: a symbolic link (even one
    swapped in after the scan) is refused, so a file outside the inbox can never be read
    and sent out; a FIFO or device is refused without blocking (`NotRegular`); a file that
    is still open for writing, or that changed while it was read, raises `NotFinished`.
    `path` must be below `root` (the inbox), and no folder between them may be a symbolic
    link either. Other failures are `ArticleError`s worded for the admin.
    """
    return _load(path, max_bytes, inbox=root)


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
    shown = name if display_path is None else display_path
    article = finish(draft, shown)
    log_decoding(shown, draft)
    return article


def log_decoding(where: str, draft: Draft) -> None:
    """Log how `draft`'s text was decoded when its charset was guessed (or its declared
    one did not fit): INFO for a sure guess, WARNING for an unsure one, naming `where`
    (the file, or the URL of a fetched page) so the admin can fix the source."""
    decoding = draft.decoding
    if decoding is not None and decoding.guessed:
        level = logging.INFO if decoding.sure else logging.WARNING
        log.log(level, "%s: %s", where, decoding.describe())


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
        language=draft.language,
    )


def _clean(text: str) -> str:
    """LF line endings. Lone surrogates (from JSON escapes like \\ud800) are replaced by
    `Article.create`, in every field."""
    return normalise_newlines(text)


class NotFinished(Exception):
    """An inbox file whose writer has not finished with it; it is read again when it has."""


class NotRegular(ArticleError):
    """An inbox name that is not a regular file: a link, or a FIFO, socket or device.

    Left where it is (with a warning), not quarantined: moving it would follow whatever
    folder link was swapped in, or take away an object that is not the daemon's to move.
    """


# Linux's file leases: a read lease is refused (EAGAIN) while any process has the file open
# for writing, which is the one reliable way to know that a writer that neither renames nor
# closes has not finished. Python names the constant on Linux only.
_F_SETLEASE = getattr(fcntl, "F_SETLEASE", None)


def _open_for_writing(descriptor: int) -> bool | None:
    """Whether another process holds the file open for writing; None when we cannot tell.

    A lease needs the file to be ours (or CAP_LEASE) and a local file system: for a file
    written by another user, or on NFS, the caller falls back to the size/mtime checks.
    """
    if _F_SETLEASE is None:
        return None
    try:
        fcntl.fcntl(descriptor, _F_SETLEASE, fcntl.F_RDLCK)
    except OSError as exc:
        return True if exc.errno in (errno.EAGAIN, errno.EBUSY) else None
    fcntl.fcntl(descriptor, _F_SETLEASE, fcntl.F_UNLCK)
    return False


def _open_below(root: Path, path: Path, flags: int) -> int:
    """`os.open(path)`, walking down from `root` one folder at a time without following links.

    `O_NOFOLLOW` guards the last component only: a sub-folder of the inbox swapped for a link
    to `/etc` would otherwise still lead outside it.
    """
    folder = open_folder_below(root, path)
    try:
        return os.open(path.name, flags, dir_fd=folder)
    finally:
        os.close(folder)


def _open(path: Path, inbox: Path | None) -> tuple[int, os.stat_result]:
    """A descriptor on `path` and its fstat; in the inbox, a regular file's only.

    `O_NOFOLLOW | O_NONBLOCK`, then `fstat` on the descriptor: checking the name first and
    opening it after (lstat, then open) leaves a gap in which a symbolic link to a private
    file, or a FIFO that would block the daemon forever, can be swapped in.
    """
    flags = os.O_RDONLY | os.O_CLOEXEC
    try:
        if inbox is None:
            # Never wait in open(): a FIFO without a writer would block for good. A pipe
            # the user named on purpose (`monitor test <(curl ...)`) has its writer, and
            # reads from it wait for the data once blocking mode is back.
            descriptor = os.open(path, flags | os.O_NONBLOCK)
            os.set_blocking(descriptor, True)
        else:
            descriptor = _open_below(inbox, path, flags | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if inbox is not None and exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise NotRegular(
                f"{path} is a symbolic link or below one; links in the inbox "
                "are never followed: move the file itself into the inbox"
            ) from exc
        raise
    st = os.fstat(descriptor)
    if inbox is not None and not stat.S_ISREG(st.st_mode):
        os.close(descriptor)
        raise NotRegular(
            f"{path} is not a regular file (a FIFO, socket or device); only regular files are read"
        )
    if inbox is not None and _open_for_writing(descriptor):
        os.close(descriptor)
        raise NotFinished(f"{path} is still open for writing")
    return descriptor, st


def _load(path: Path, max_bytes: int, inbox: Path | None) -> tuple[bytes, os.stat_result]:
    """The file's bytes and its fstat, with file-system failures worded for the admin.

    Plain `os` calls, asking for the size the file has: a buffered `read(max_bytes + 1)`
    allocated (and the kernel mapped, then unmapped) a 20 MB buffer for every 4 KB article.
    A file that grows while it is read is read on to the cap; in the inbox (`inbox` is its
    root), one whose size or modification time changed during the read raises `NotFinished`.
    """
    try:
        descriptor, st = _open(path, inbox)
        try:
            chunks: list[bytes] = []
            total = 0
            wanted = min(st.st_size, max_bytes) + 1
            while True:  # a short read is the end of the file: one read, unless it grew
                chunk = os.read(descriptor, wanted)
                chunks.append(chunk)
                total += len(chunk)
                if len(chunk) < wanted or total > max_bytes:
                    break
                wanted = min(1 << 16, max_bytes + 1 - total)
            after = st if inbox is None else os.fstat(descriptor)
        finally:
            os.close(descriptor)
        data = b"".join(chunks)  # no copy for the usual single chunk
    except FileNotFoundError as exc:
        if inbox is None:  # a name the user gave (`monitor test`): it may never have existed
            raise ArticleError("no such file or directory") from exc
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
    if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns) or (
        inbox is not None and len(data) != st.st_size
    ):
        raise NotFinished(f"{path} changed while it was read")
    return data, st
