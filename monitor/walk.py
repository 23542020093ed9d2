"""Every entry below a folder, one folder at a time: the one folder walk the daemon uses.

A loop over a stack of folders, not recursion: `Path.rglob` and `os.walk` recurse once per
level, so a tree nested a thousand folders deep (in the inbox, the rules folder or a folder
given to `monitor test`) ended in a RecursionError. Links to folders are never entered (a
link to a parent would list forever); what a link to a file is, the caller decides.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path


def walk(
    root: Path,
    *,
    skip: Callable[[str], bool] = lambda name: False,
    enter: Callable[[Path, int], bool] = lambda path, depth: True,
    failed: Callable[[Path, OSError], None] = lambda path, exc: None,
) -> Iterator[tuple[Path, os.DirEntry[str], int]]:
    """(path, entry, depth) of every entry below `root` whose name `skip` lets through.

    Depth 1 is `root`'s own entries. A folder is entered only if `enter(path, depth)` says
    so; a folder that cannot be listed is handed to `failed` and the walk goes on.
    """
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            failed(folder, exc)
            continue
        for entry in entries:
            if skip(entry.name):
                continue
            path = folder / entry.name
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:  # cannot even lstat it: the caller finds out when it looks
                is_folder = False
            if is_folder and enter(path, depth + 1):
                stack.append((path, depth + 1))
            yield path, entry, depth + 1
