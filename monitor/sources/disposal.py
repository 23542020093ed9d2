"""Moving files out of a watched folder without losing or overwriting any.

Used by the folder source (archive, quarantine) and by nothing that must know about files
otherwise. Every move creates the new name exclusively (link, or `open(..., "x")`), so an
earlier file of the same name is never replaced, and takes the file by its name in an open
folder descriptor (`monitor.safepath`) so no link swapped into the path can redirect it.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

NAME_MAX = 255
"""Longest file name, in bytes, on Linux file systems."""

NOTE = ".error.txt"


def numbered(name: str, n: int, reserve: int = 0) -> str:
    """`name` for n = 0, else `stem.N.suffix` (`name.N` without a suffix): the N-th
    alternative to a taken name; cut to fit in NAME_MAX bytes with `reserve` to spare.

    An inbox name may already be 255 bytes long: numbered, or with `.error.txt` after it,
    it would not fit, and the file could never leave the inbox (ENAMETOOLONG).
    """
    stem, dot, suffix = name.partition(".")
    if n:
        name = f"{stem}.{n}{dot}{suffix}" if dot else f"{name}.{n}"
    raw = os.fsencode(name)
    room = NAME_MAX - reserve
    if len(raw) <= room:
        return name
    tail = os.fsencode(f".{n}{dot}{suffix}" if n and dot else (f".{n}" if n else f"{dot}{suffix}"))
    if len(tail) > room // 2:  # a suffix that long is not a suffix: cut the name's end
        tail = b""
    return os.fsdecode(raw[: room - len(tail)] + tail)


def move_out(src: Path, folder: Path, src_dir: int | None = None, name: str | None = None) -> Path:
    """Move a file out of the inbox into `folder`, under a name not yet taken there: `name`
    (default: the file's own) if it is free, else the first free numbered form of it.

    With `src_dir` (a descriptor on the file's folder, see `monitor.safepath`), the file is
    taken by its name in that folder, so no link swapped into the path can redirect the move.

    A rename out of the watched inbox is an unmatched IN_MOVED_FROM, which watchdog holds
    for 0.5 s to pair it, delaying every event queued behind it: each archived file would add
    half a second to the next article's alert. A hard link plus unlink gives the same result
    with only an IN_DELETE. The link also picks the name: it fails on a name already taken,
    so no name is looked up first (two stat calls per file in a burst). Across file systems
    (or where links are refused) it falls back to a copy into a new file: never a rename,
    which would replace a file that took the name in between.
    """
    name, n = name or src.name, 0
    source = src.name if src_dir is not None else src
    while True:
        target = folder / numbered(name, n)
        try:
            linked = _link_or_copy(source, target, src_dir)
        except FileExistsError:
            if _same_file(source, target, src_dir):
                break  # linked there by a move that a kill -9 cut short before its unlink
            n += 1
            continue
        if linked and not _same_file(source, target, src_dir):
            # Another file was renamed over the name between the link and now: it is a new
            # article, not this one, and stays in the inbox to be read.
            return target
        break
    os.unlink(source, dir_fd=src_dir)
    return target


def _same_file(source: Path | str, target: Path, src_dir: int | None) -> bool:
    """Whether `target` is `source` itself (one inode, two names): the file was linked into
    the archive and the process died before removing it from the inbox. Moving it again
    would leave a second, numbered copy in the archive."""
    try:
        a = os.stat(source, dir_fd=src_dir, follow_symlinks=False)
        b = os.stat(target, follow_symlinks=False)
    except OSError:
        return False
    return (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev)


def _link_or_copy(src: Path | str, target: Path, src_dir: int | None) -> bool:
    """Give `src`'s content the new name `target`; FileExistsError if that name is taken.
    True if it was linked (one file, two names), False if copied."""
    try:
        os.link(src, target, src_dir_fd=src_dir, follow_symlinks=False)
        return True
    except (FileExistsError, FileNotFoundError, PermissionError):
        raise  # taken; the folder is missing; the folder is not writable (no copy helps)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        descriptor = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=src_dir)
        with os.fdopen(descriptor, "rb") as reader, target.open("xb") as writer:
            shutil.copyfileobj(reader, writer)
            st = os.fstat(reader.fileno())
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        return False


def _with_note(folder: Path, name: str, reason: str, place: Callable[[Path], None]) -> Path:
    """Put something into `folder` under `name` (numbered if taken) with `NAME.error.txt`.

    The note is created first, exclusively, and `place` (which raises FileExistsError on a
    name already taken) puts the thing in after it, so neither can replace an earlier
    quarantined file or its note: a quarantined `r.txt.error.txt` and the note of a later
    `r.txt` would otherwise share a name.
    """
    n = 0
    while True:
        target = folder / numbered(name, n, reserve=len(NOTE))
        note = Path(f"{target}{NOTE}")
        try:
            descriptor = os.open(
                note, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, 0o640
            )
        except FileExistsError:
            n += 1
            continue
        with os.fdopen(descriptor, "w", encoding="utf-8", errors="backslashreplace") as out:
            out.write(reason)  # first: a kill right after the placing leaves no empty note
        try:
            place(target)
        except BaseException as exc:
            note.unlink()
            if not isinstance(exc, FileExistsError):
                raise
            n += 1
            continue
        return target


def quarantine_file(src: Path, folder: Path, reason: str, src_dir: int | None = None) -> Path:
    """Move `src` into `folder` with `NAME.error.txt` beside it saying why; overwrite nothing.

    `src_dir` as for `move_out`.
    """
    source = src.name if src_dir is not None else src
    linked: list[bool] = []
    target = _with_note(
        folder,
        src.name,
        reason,
        lambda target: linked.append(_link_or_copy(source, target, src_dir)),
    )
    if not linked or not linked[0] or _same_file(source, target, src_dir):
        os.unlink(source, dir_fd=src_dir)  # else a new file took the name: it stays
    return target


def quarantine_folder(src: Path, folder: Path, reason: str) -> Path:
    """Move a whole folder out of the inbox into `folder`, with its note; overwrite nothing.

    For a folder tree the daemon must not walk (nested too deep). A rename, so the tree
    must be on the quarantine's file system; OSError otherwise, and it stays where it is.
    """

    def place(target: Path) -> None:
        if target.exists() or target.is_symlink():  # rename would replace an empty folder
            raise FileExistsError(target)
        os.rename(src, target)

    folder.mkdir(parents=True, exist_ok=True)
    return _with_note(folder, src.name, reason, place)
