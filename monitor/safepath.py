"""Reaching a file below the inbox without following any link on the way.

A name checked first and used later is a race: a sub-folder of the inbox swapped for a link
to `/etc` (or to the state folder) in between, and a read would send out a private file, an
archive move would carry off the daemon's own database. So every step below the inbox is
taken from a folder descriptor, one folder at a time with `O_NOFOLLOW`, and the last step
(open, link, unlink) is made relative to the descriptor of the file's own folder.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


def open_folder_below(root: Path, path: Path) -> int:
    """A descriptor on the folder holding `path`, reached from `root` without following links.

    `root` itself may be a link (the admin's choice); nothing below it may. Raises OSError:
    ELOOP or ENOTDIR when a folder on the way is a link or not a folder, EXDEV when `path`
    is not below `root` at all (queued before `[inbox] path` changed). The caller closes
    the descriptor.
    """
    parts = path.relative_to(root).parts if path.is_relative_to(root) else ()
    if not parts:
        raise OSError(errno.EXDEV, f"not a file below {root}", str(path))
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            inner = os.open(
                part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder
            )
            os.close(folder)
            folder = inner
    except BaseException:
        os.close(folder)
        raise
    return folder
