"""The compiled-rules cache: a slow load is pickled once and read back at the next start.

A cache folder is `$MONITOR_CACHE_DIR`, else `$XDG_CACHE_HOME/monitor`, else
`~/.cache/monitor`, created private to the user. The key (`cache_key`) is a hash of every
rule file's path and contents, the channels, the base for file names in messages, and the
size and modification time of every file of this package (so an upgrade or an edited
gazetteer is a miss): the same inputs give the same engine and the same problems, so a hit
is indistinguishable from a fresh load. A load is stored under the bytes it parsed
(`key_of`), never the files as they are afterwards. Any trouble with the cache
(unreadable, corrupt, not writable) is a miss.

Pickling a large rule set takes seconds, so the cache is written behind: a forked child
pickles its copy-on-write snapshot while the caller goes on at once (`write_behind`).

What is cached is opaque here (the caller checks what `read` returns), so this module does
not import `monitor.engine`, which uses it.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import monitor
from monitor.rules.loader import file_digest, inputs_digest, list_rule_folder, read_rule_file

MIN_SECONDS = 1.0
"""Loads faster than this are not cached (small rule sets, the tests)."""
KEEP = 4
"""How many cached engines to keep; older ones are deleted."""
STALE_TEMPORARY_SECONDS = 3600.0
"""A writer's temporary file untouched this long is left over from a writer that died (a
pickle is written in seconds, its file touched all along): it is deleted."""
ORPHAN_GRACE_SECONDS = 60.0
"""A temporary file whose writer (the pid in its name) is gone is deleted once untouched
this long: a writer in another pid namespace (a container sharing the folder) looks gone."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a rule set is built or unpickled; then freeze it.

    Both create millions of objects that all stay alive, and each allocation burst would
    trigger collections walking every object made so far. Afterwards the objects are frozen
    (`gc.freeze`): left in the youngest generation, they would be walked by the next
    collections while articles are matched. They are plain data without reference cycles,
    so reference counting still frees an engine replaced on reload.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def cache_dir() -> Path:
    """Where compiled rule sets are cached."""
    explicit = os.environ.get("MONITOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "monitor"


def cache_key(
    rules_dir: Path, channels: list[str], base: Path | None, epoch: int = 0
) -> str | None:
    """A hash of everything a load depends on, the rule files as they are now; None when
    there is no trustworthy one.

    `epoch` stands for the term weights the anchors were chosen with (see `load_engine`).

    Never raises, whatever the exception: the key only decides whether a cached engine may
    be used, and whatever is wrong with the rules folder is for the load to report (a folder
    nested thousands deep made listing it a RecursionError; a looping link, `ELOOP`, an
    OSError). Without a key the rules are simply loaded afresh.
    """
    try:
        return key_of(_read_inputs(rules_dir), rules_dir, channels, base, epoch)
    except Exception:
        return None


def key_of(
    inputs: str | None, rules_dir: Path, channels: list[str], base: Path | None, epoch: int = 0
) -> str | None:
    """The key of a load that read `inputs` (`loader.inputs_digest`); None without them.

    A load is stored under the key of the bytes it parsed (`LoadResult.inputs`), and looked
    up under those on disk (`cache_key`): the two agree exactly when the files hold what was
    compiled.
    """
    if inputs is None:
        return None
    digest = hashlib.sha256()
    digest.update(
        repr(
            (
                monitor.__version__,
                sys.version,
                str(rules_dir),
                str(base),
                sorted(channels),
                epoch,
            )
        ).encode(errors="surrogateescape")
    )
    digest.update(_package_stamp())
    digest.update(inputs.encode())
    return digest.hexdigest()


@functools.cache
def _package_stamp() -> bytes:
    """Name, size and mtime of every file of the installed package, read once per process:
    the code that runs cannot change under it, and every load (start, each reload, each
    check) used to walk and stat the whole package again."""
    stamp = bytearray()
    package = Path(monitor.__file__).parent
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        stat = path.stat()
        stamp += os.fsencode(path) + f"\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode()
    return bytes(stamp)


def _read_inputs(rules_dir: Path) -> str | None:
    """`inputs_digest` of the rule files as they are now; None if any cannot be read.

    A rule file that cannot be read (a FIFO, a dangling or looping link, no permission) or a
    folder that cannot be listed is a problem of the load, and problems that come from the
    state of the file system rather than from the bytes hashed here must never be answered
    from the cache: such a load is not cached at all.
    """
    listing = list_rule_folder(rules_dir)
    if listing.unreadable:
        return None
    digests = []
    for path in listing.files:
        try:
            data = read_rule_file(path)
        except OSError:
            return None
        if data is None:  # refused unread by the loader: no cache
            return None
        digests.append(file_digest(path, data))
    return inputs_digest(digests)


def read(key: str | None) -> object | None:
    """What was cached under `key`, unpickled; None for a miss (or any trouble)."""
    if key is None:
        return None
    folder = cache_dir()
    path = folder / f"engine-{key}.pickle"
    try:
        # Unpickling runs code: only trust a folder that no other user can write to.
        status = folder.stat()
        if status.st_uid != os.getuid() or status.st_mode & 0o022:
            return None
        with path.open("rb") as fh:
            value: object = pickle.load(fh)
        os.utime(path)  # most recently used: kept longest
    except Exception:  # missing, corrupt, from an incompatible build: load afresh
        return None
    return value


_writers: list[threading.Thread] = []


def write_behind(key: str, value: object) -> None:
    """Write the cache from a forked child, so that start-up does not wait for it.

    The child closes every descriptor it inherited but the standard three, only pickles and
    writes files, then leaves with `os._exit`, running none of the parent's cleanup (its
    database connections and threads are the parent's). A thread reaps it. Without fork the
    cache is written here and now.
    """
    if not hasattr(os, "fork"):
        _write(key, value)
        return
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory: no cache this time
        return
    if pid == 0:
        status = 1
        try:
            # The parent's descriptors are not the child's to keep: the state folder's lock
            # (flock is held while any copy of it is open) and listening sockets. Kept, a
            # daemon killed with -9 during a cold start could not be restarted until the
            # child finished writing (the lock named the dead parent).
            os.closerange(3, os.sysconf("SC_OPEN_MAX"))
            _write(key, value)
            status = 0
        finally:
            os._exit(status)
    reaper = threading.Thread(target=os.waitpid, args=(pid, 0), name="cache-writer", daemon=True)
    reaper.start()
    _writers.append(reaper)


def wait_for_cache_writes() -> None:
    """Wait until every cache write this process started has finished.

    Commands call it before they end, so that the next command finds the cache.
    """
    while _writers:
        _writers.pop().join()


def _write(key: str, value: object) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".engine-{os.getpid()}-", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / f"engine-{key}.pickle")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        entries = sorted(
            folder.glob("engine-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
        _prune_temporaries(folder)
    except Exception:  # a cache is an optimisation: never a reason to fail a load
        return


def _prune_temporaries(folder: Path, now: float | None = None) -> None:
    """Delete the `.engine-PID-*.tmp` files writers killed mid-write left behind.

    Nothing else would ever delete them, and each is as large as a cached engine (hundreds
    of MB for a large rule set). One goes when its writer is gone and it was not touched for
    `ORPHAN_GRACE_SECONDS`, or when it was not touched for `STALE_TEMPORARY_SECONDS` (a
    pid reused by another process, a name without a pid from an older release).
    """
    now = time.time() if now is None else now
    for path in folder.glob(".engine-*.tmp"):
        try:
            idle = now - path.stat().st_mtime
            if idle > STALE_TEMPORARY_SECONDS or (
                idle > ORPHAN_GRACE_SECONDS and not _alive(_writer_pid(path.name))
            ):
                path.unlink(missing_ok=True)
        except OSError:  # gone meanwhile, or not ours to delete
            continue


def _writer_pid(name: str) -> int | None:
    """The pid in `.engine-PID-XXXX.tmp`; None for a name without one."""
    part = name.removeprefix(".engine-").split("-", 1)[0]
    return int(part) if part.isascii() and part.isdigit() else None


def _alive(pid: int | None) -> bool:
    """Whether process `pid` exists (True when unknown: only age judges such a file)."""
    if pid is None or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, as another user
        return True
    return True
