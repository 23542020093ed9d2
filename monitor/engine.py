"""A rule set loaded and compiled together, swapped as one value on reload.

Keeping the rules and their compiled matcher in one frozen value means the article pipeline
always sees a consistent pair, and a reload is a single reference assignment.

Large rule sets take seconds to load and compile (about 9 s for 100,000 rules), so a load
that took longer than `CACHE_MIN_SECONDS` is pickled to a cache folder (`$MONITOR_CACHE_DIR`,
else `$XDG_CACHE_HOME/monitor`, else `~/.cache/monitor`, created private to the user). The key
is a hash of every rule file's path and contents, the channels, the base for file names in
messages, and the size and modification time of every file of this package (so an upgrade
or an edited gazetteer is a miss): the same inputs give the same engine and the same
problems, so a hit is indistinguishable from a fresh load. Any trouble with the cache
(unreadable, corrupt, not writable) falls back to a fresh load.

Pickling is itself slow (about 4.6 s at 100,000 rules), so the cache is written behind: a
forked child pickles its copy-on-write snapshot of the engine on the other core while the
caller goes on at once.
"""

from __future__ import annotations

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
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import monitor
from monitor.errors import RuleError
from monitor.gazetteer import load_builtin
from monitor.matching import Matcher
from monitor.matching.compile import parse_keyword
from monitor.rules.loader import check_notify, list_rule_folder, load_rules, read_rule_file
from monitor.rules.model import Rule, RuleSet

CACHE_MIN_SECONDS = 1.0
"""Loads faster than this are not cached (small rule sets, the tests)."""
CACHE_KEEP = 4
"""How many cached engines to keep; older ones are deleted."""


@dataclass(frozen=True)
class Engine:
    ruleset: RuleSet
    matcher: Matcher

    @cached_property
    def rules(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.ruleset.rules}


def load_engine(
    rules_dir: Path,
    channels: list[str],
    base: Path | None = None,
) -> tuple[Engine, list[str]]:
    """Load and compile every rule below `rules_dir`; return the engine and all problems.

    The engine holds every rule that is valid; the problems list the rest as
    `FILE:LINE: message`. Whether to accept a partial set is the caller's decision.
    A slow load is cached (see the module docstring). Never raises for what a rule file
    holds: a rule the matcher cannot compile is a problem too (see `_compile`).
    """
    with _collector_paused():
        key = _cache_key(rules_dir, channels, base)
        cached = _cache_read(key)
        if cached is not None:
            return cached
        started = time.monotonic()
        loaded = _load(rules_dir, channels, base)
        if (
            key is not None
            and time.monotonic() - started >= CACHE_MIN_SECONDS
            and _cache_key(rules_dir, channels, base) == key
        ):  # unchanged while loading
            _write_behind(key, loaded)
        return loaded


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a rule set is built or unpickled; then freeze it.

    Both create millions of objects that all stay alive, and each allocation burst would
    trigger collections walking every object made so far: at 100k rules that more than
    doubled the time to unpickle the cached engine (5.8 s against 2.1 s). Afterwards the
    objects are frozen (`gc.freeze`): left in the youngest generation, they would be walked
    by the next collections while articles are matched, which cut throughput at 100k rules
    to a third. They are plain data without reference cycles, so reference counting still
    frees an engine replaced on reload.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _load(rules_dir: Path, channels: list[str], base: Path | None) -> tuple[Engine, list[str]]:
    try:
        result = load_rules(rules_dir, base)
    except Exception as exc:  # it reports every file's problems itself: this is a bug
        empty = RuleSet(rules=())
        problem = f"{rules_dir}:1: could not load the rules: {type(exc).__name__}: {str(exc)[:200]}"
        return Engine(ruleset=empty, matcher=Matcher(empty, blockers=load_builtin())), [problem]
    unroutable = check_notify(result.ruleset, channels)
    ruleset = result.ruleset
    if unroutable:
        kept = tuple(r for r in ruleset.rules if r.id not in unroutable)
        ruleset = replace(ruleset, rules=kept)
    problems = [*result.problems, *unroutable.values()]
    return _compile(ruleset, problems, rules_dir)


def _compile(ruleset: RuleSet, problems: list[str], rules_dir: Path) -> tuple[Engine, list[str]]:
    """The engine of `ruleset`; a rule that fails to compile is left out, as a problem.

    The loader checks what the matcher relies on except each keyword's spelling, which
    only compiling checks (`parse_keyword`: a `*` inside a word, no letter at all); checking
    it in the loader too would cost every load a second pass over 100,000 rules' keywords.
    So when compiling fails, which keyword is at fault is found then, its rule left out and
    the rest compiled again. Should that fail too (a bug), the engine is empty and the
    problem names the rules folder: the daemon keeps the rules it runs, `check` says why.
    """
    blockers = load_builtin()
    try:
        return Engine(ruleset=ruleset, matcher=Matcher(ruleset, blockers=blockers)), problems
    except Exception:
        pass
    refused = _bad_keywords(ruleset)
    ruleset = replace(ruleset, rules=tuple(r for r in ruleset.rules if r.id not in refused))
    problems = [*problems, *refused.values()]
    try:
        return Engine(ruleset=ruleset, matcher=Matcher(ruleset, blockers=blockers)), problems
    except Exception as exc:
        empty = RuleSet(rules=())
        problems.append(
            f"{rules_dir}:1: could not compile the rules: {type(exc).__name__}: {str(exc)[:200]}"
        )
        return Engine(ruleset=empty, matcher=Matcher(empty, blockers=blockers)), problems


def _bad_keywords(ruleset: RuleSet) -> dict[str, str]:
    """Rules with a keyword the matcher refuses: rule id -> `FILE:LINE: message`."""
    refused: dict[str, str] = {}
    for rule in ruleset.rules:
        for keyword in (*rule.keywords.all, *rule.keywords.any, *rule.keywords.none):
            try:
                parse_keyword(rule.id, keyword)
            except RuleError as exc:
                where = ruleset.sources.get(rule.id)
                refused[rule.id] = f"{where or rule.id}: {exc}"
                break
    return refused


def cache_dir() -> Path:
    """Where compiled rule sets are cached."""
    explicit = os.environ.get("MONITOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "monitor"


def _cache_key(rules_dir: Path, channels: list[str], base: Path | None) -> str | None:
    """A hash of everything a load depends on; None when there is no trustworthy one.

    Never raises, whatever the exception: the key only decides whether a cached engine may
    be used, and whatever is wrong with the rules folder is for the load to report (a folder
    nested thousands deep made listing it a RecursionError; a looping link, `ELOOP`, an
    OSError). Without a key the rules are simply loaded afresh.
    """
    try:
        return _hash_inputs(rules_dir, channels, base)
    except Exception:
        return None


def _hash_inputs(rules_dir: Path, channels: list[str], base: Path | None) -> str | None:
    """The key of `_cache_key`; None if anything in the rules folder cannot be read.

    A rule file that cannot be read (a FIFO, a dangling or looping link, no permission) or a
    folder that cannot be listed is a problem of the load, and problems that come from the
    state of the file system rather than from the bytes hashed here must never be answered
    from the cache: such a load is not cached at all.
    """
    digest = hashlib.sha256()
    digest.update(
        repr(
            (monitor.__version__, sys.version, str(rules_dir), str(base), sorted(channels))
        ).encode(errors="surrogateescape")
    )
    package = Path(monitor.__file__).parent
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        stat = path.stat()
        digest.update(os.fsencode(path) + f"\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    listing = list_rule_folder(rules_dir)
    if listing.unreadable:
        return None
    for path in listing.files:
        try:
            data = read_rule_file(path)
        except OSError:
            return None
        if data is None:  # refused unread by the loader: no cache
            return None
        digest.update(os.fsencode(path) + f"\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _cache_read(key: str | None) -> tuple[Engine, list[str]] | None:
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
            engine, problems = pickle.load(fh)
        os.utime(path)  # most recently used: kept longest
    except Exception:  # missing, corrupt, from an incompatible build: load afresh
        return None
    if not isinstance(engine, Engine):
        return None
    return engine, list(problems)


_writers: list[threading.Thread] = []


def _write_behind(key: str, loaded: tuple[Engine, list[str]]) -> None:
    """Write the cache from a forked child, so that start-up does not wait for it.

    The child only pickles and writes files, then leaves with `os._exit`, running none of
    the parent's cleanup (its database connections and threads are the parent's). A thread
    reaps it. Without fork the cache is written here and now.
    """
    if not hasattr(os, "fork"):
        _cache_write(key, loaded)
        return
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory: no cache this time
        return
    if pid == 0:
        status = 1
        try:
            _cache_write(key, loaded)
            status = 0
        finally:
            os._exit(status)
    reaper = threading.Thread(target=os.waitpid, args=(pid, 0), name="cache-writer", daemon=True)
    reaper.start()
    _writers.append(reaper)


def wait_for_cache_writes() -> None:
    """Wait until every cache write this process started has finished (for tests)."""
    while _writers:
        _writers.pop().join()


def _cache_write(key: str, loaded: tuple[Engine, list[str]]) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".engine-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as fh:
                pickle.dump(loaded, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / f"engine-{key}.pickle")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        entries = sorted(
            folder.glob("engine-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in entries[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except Exception:  # a cache is an optimisation: never a reason to fail a load
        return
