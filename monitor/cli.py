"""The `monitor` command line, exactly as the contract lists it."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import stat
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import TypeAdapter

from monitor import __version__
from monitor.config import Config, config_warnings, file_channel_problems, load_config
from monitor.dryrun import render_all
from monitor.engine import Engine, load_engine
from monitor.engine_cache import wait_for_cache_writes
from monitor.errors import ConfigError, StoreError, UnknownRule
from monitor.explain import Explainer
from monitor.logs import setup_logging
from monitor.matching.weights import Observed
from monitor.reload import prominence
from monitor.rules.model import Rule, RuleFile
from monitor.silences import Silence, SilenceProblem, checked_silence, iso_utc, nearest
from monitor.sources.opml import OpmlError, read_opml, sources_toml
from monitor.state import SourceState, Store, open_store, schema_status
from monitor.state import exists as state_exists
from monitor.templates import check_template
from monitor.textsafe import json_safe, printable, shown_path
from monitor.walk import walk

log = logging.getLogger("monitor")


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("config.toml"),
        help="config file (default: ./config.toml)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="monitor", description="Media-monitoring alert daemon.")
    parser.add_argument("--version", action="version", version=f"monitor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the daemon in the foreground")
    _config_arg(run)
    run.add_argument("--log-format", choices=["plain", "json"], default="plain")

    check = sub.add_parser("check", help="validate config and rules; send nothing")
    _config_arg(check)
    check.add_argument(
        "--strict",
        action="store_true",
        help="an unset ${VAR} is an error, as for `monitor run` (default: a warning)",
    )
    check.add_argument(
        "--stats",
        action="store_true",
        help="also say what the rules cost the matcher: candidates per 1,000 articles, "
        "the costliest rules first",
    )
    check.add_argument(
        "--top",
        type=int,
        metavar="N",
        help="with --stats: how many of the costliest rules to list (default 20)",
    )
    check.add_argument(
        "--json",
        action="store_true",
        help="with --stats: the statistics as one JSON object, alone on stdout (every other "
        "line, problems and warnings too, goes to stderr)",
    )

    test = sub.add_parser("test", help="dry run: which rules match these articles")
    _config_arg(test)
    test.add_argument("--json", action="store_true", help="one JSON object per article")
    test.add_argument("--explain", action="store_true", help="show each hit in its context")
    test.add_argument(
        "--rule", metavar="ID", help="say why this rule matched each article, or why not"
    )
    test.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    outbox = sub.add_parser("outbox", help="list alerts waiting or dead-lettered")
    _config_arg(outbox)
    outbox.add_argument("--retry", action="store_true", help="send the dead alerts again")

    stories = sub.add_parser("stories", help="recent stories, their copies and deliveries")
    _config_arg(stories)
    stories.add_argument(
        "--since", default="24h", metavar="DURATION", help="how far back (default: 24h)"
    )
    stories.add_argument("--rule", metavar="ID", help="only stories this rule matched")
    stories.add_argument("--json", action="store_true", help="one JSON array of stories")

    migrate = sub.add_parser("migrate", help="bring the state database's schema up to date")
    _config_arg(migrate)
    migrate.add_argument(
        "--status", action="store_true", help="only say which migrations are pending"
    )

    sub.add_parser("schema", help="print the JSON Schema of rule files")

    cluster = sub.add_parser(
        "cluster", help="the nodes sharing a PostgreSQL state, their leases and the queues"
    )
    _config_arg(cluster)
    cluster.add_argument("--json", action="store_true", help="one JSON array of nodes")

    state = sub.add_parser("state", help="the state database: copy it to PostgreSQL")
    state_sub = state.add_subparsers(dest="state_command", required=True)
    copy = state_sub.add_parser(
        "copy",
        help="copy the SQLite state ([state] path) into a PostgreSQL database; run again, "
        "it brings what changed since",
    )
    _config_arg(copy)
    copy.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="postgresql://USER@HOST/DATABASE; the password from ~/.pgpass or PGPASSWORD, "
        "never on the command line",
    )

    silence = sub.add_parser("silence", help="stop alerts for a rule or a query for a while")
    silence_sub = silence.add_subparsers(dest="silence_command", required=True)
    add = silence_sub.add_parser("add", help="add a silence; prints its id")
    _config_arg(add)
    what = add.add_mutually_exclusive_group(required=True)
    what.add_argument("--rule", metavar="ID", help="silence this rule's alerts")
    what.add_argument("--query", metavar="QUERY", help="silence articles this query matches")
    add.add_argument("--channel", metavar="NAME", help="only on this channel (default: all)")
    add.add_argument(
        "--for",
        dest="duration",
        metavar="DURATION",
        required=True,
        help="how long, e.g. 30m, 2h, 1d",
    )
    add.add_argument("--comment", metavar="TEXT", default="", help="why, for the others")
    listing = silence_sub.add_parser("list", help="list the silences in force")
    _config_arg(listing)
    listing.add_argument("--json", action="store_true", help="one JSON array of objects")
    listing.add_argument("--all", action="store_true", help="include silences that are over")
    expire = silence_sub.add_parser("expire", help="end a silence now")
    _config_arg(expire)
    expire.add_argument("id", metavar="ID")

    # `monitor sources [--json]` lists the sources; `monitor sources import FILE.opml`.
    web = sub.add_parser("web", help="the web page: make a password hash for [web] users")
    web_sub = web.add_subparsers(dest="web_command", required=True)
    web_sub.add_parser(
        "hash-password",
        help="read a password on standard input, print its argon2 hash for [web] users",
    )

    sources = sub.add_parser(
        "sources", help="the sources and their state; import an OPML subscription list"
    )
    _config_arg(sources)
    sources.add_argument("--json", action="store_true", help="one JSON array of sources")
    sources_sub = sources.add_subparsers(dest="sources_command", required=False)
    opml = sources_sub.add_parser(
        "import", help="print (or --write) [sources.NAME] blocks for an OPML file's feeds"
    )
    # SUPPRESS: `monitor sources --config F import X` keeps F (the default of a
    # subcommand's own --config would overwrite it).
    opml.add_argument(
        "--config",
        type=Path,
        default=argparse.SUPPRESS,
        help="config file (default: ./config.toml)",
    )
    opml.add_argument("file", type=Path, metavar="FILE.opml")
    opml.add_argument(
        "--write",
        action="store_true",
        help="append the new feeds to the config file instead of printing them",
    )
    return parser


def _load_config_or_report(path: Path, needs: str | None = None) -> Config | None:
    """The config for commands that never send, so channel secrets need not be set.

    `needs` names the table the command works on (`state` for `outbox` and `migrate`): an
    unset variable there is an error, since `${STATE_DIR}` taken literally would make the
    command create or read a folder of that name and report on the wrong database.
    """
    try:
        config = load_config(path, strict_env=False)
    except ConfigError as exc:
        for problem in exc.problems:
            print(printable(problem), file=sys.stderr)  # one problem, one harmless line
        return None
    missing = [v for v in config.unset if needs and v.key.split(".")[0] == needs]
    for var in missing:
        print(
            printable(
                f"{path}:{var.line}: environment variable {var.name} is not set (used by "
                f"`{var.key}`); this command needs it: export it first"
            ),
            file=sys.stderr,
        )
    return None if missing else config


# -- run ---------------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    from monitor.daemon import Daemon
    from monitor.errors import FatalError

    setup_logging(args.log_format)
    try:
        return Daemon(args.config).run()
    except FatalError as exc:
        for line in str(exc).splitlines():
            log.critical("%s", line)
        return 2


# -- check -------------------------------------------------------------------------------------
def _template_problems(config: Config) -> list[str]:
    """`TEMPLATE:LINE: message` for each channel template that does not load or fails on a
    sample story, rule or digest record (`monitor.templates.check_template`)."""
    problems: list[str] = []
    for name, conf in config.channels.items():
        if conf.template is not None:
            shown = _shown_template(conf.template)
            problems += [
                f"{problem} (template of [channels.{name}])"
                for problem in check_template(conf.template, name, shown)
            ]
    return problems


def _shown_template(path: Path) -> str:
    """A template's path as check shows it: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def cmd_check(args: argparse.Namespace) -> int:
    """Every line goes through `printable`: problems quote rule files, paths and names that
    anyone who can write a rule file chose, and a newline, an ESC or a bidi control in them
    must not forge another line, retitle the terminal or reorder what the admin reads.

    The config is validated as a whole, channels included, without building a channel and
    without the channels' secrets: a rule editor can check rules on a server whose
    environment file only root reads. Unset variables are warnings (`--strict`: errors).
    """
    if not args.stats and (args.json or args.top is not None):
        # Accepting them and printing the plain lines would mislead a script into parsing
        # text as JSON: say so, as argparse says of any other misuse (exit 2).
        option = "--json" if args.json else "--top"
        print(
            f"monitor check: error: {option} only goes with --stats "
            "(the problems of a plain check are FILE:LINE: message lines)",
            file=sys.stderr,
        )
        return 2
    # With --json, stdout is the JSON document alone; every other line goes to stderr.
    out = sys.stderr if args.json else sys.stdout
    try:
        config = load_config(args.config, strict_env=args.strict)
    except ConfigError as exc:
        for problem in exc.problems:
            print(printable(problem), file=out)
        return 1
    for warning in config_warnings(config, str(args.config)):
        print(printable(warning), file=out)  # not a problem: check still exits 0
    problems = file_channel_problems(config, str(args.config))
    problems += _template_problems(config)
    engine: Engine | None = None
    observed, notes = _observed(config) if args.stats else (None, [])
    try:
        engine, rule_problems = load_engine(
            config.rules.path,
            list(config.channels),
            base=Path.cwd(),
            observed=observed,
            prominence=prominence(config),
        )
    except Exception as exc:  # load_engine reports per file; never a traceback from check
        rule_problems = [
            f"{config.rules.path}:1: could not load the rules: "
            f"{type(exc).__name__}: {str(exc)[:200]}"
        ]
    problems.extend(rule_problems)
    for warning in engine.warnings if engine is not None else ():
        print(printable(warning), file=out)  # not a problem: check still exits 0
    for problem in problems:
        print(printable(problem), file=out)  # one problem, one line
    if problems or engine is None:
        return 1
    print(
        printable(
            f"OK: config {args.config}, {len(engine.ruleset.rules)} rules, "
            f"{len(config.channels)} channels"
        ),
        file=out,
    )
    if args.stats:
        from monitor.rulestats import DEFAULT_TOP, render_json, render_text, rule_stats

        stats = rule_stats(engine, observed, notes)
        top = DEFAULT_TOP if args.top is None else max(0, args.top)
        sys.stdout.write((render_json if args.json else render_text)(stats, top))
    return 0


def _observed(config: Config) -> tuple[Observed | None, list[str]]:
    """What the daemon counted while matching, from its state (read, never created), and
    notes for `check --stats` on what could not be used. Never fails: the counts only refine
    the estimate, so without them the word lists alone are used, and the notes say why."""
    try:
        with _state_as_it_is(config) as store:
            if store is None:
                return None, []
            counts = store.term_counts()
    except Exception as exc:  # a damaged state, a folder for a file: never a traceback
        reason = str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}"
        return None, [f"the term counts could not be read, so word lists alone: {reason}"]
    notes = []
    if counts.skipped:
        from monitor.reload import skipped_note

        notes.append(skipped_note(counts))
    return Observed(counts.articles, counts.counts, counts.counted), notes


# -- test --------------------------------------------------------------------------------------
def _article_paths(paths: Sequence[Path]) -> Iterator[Path]:
    """Each path given; for a folder, every file below it, sorted.

    Walked without recursion (`monitor.walk`; a folder nested 1,100 deep ended in a
    RecursionError). Links to folders are not followed, links to files are read, and FIFOs,
    sockets and devices are left out as `rglob(...).is_file()` left them. A folder that
    cannot be listed is a warning on stderr.
    """

    def failed(folder: Path, exc: OSError) -> None:
        print(
            printable(f"warning: cannot list {shown_path(folder)}: {exc.strerror or exc}"),
            file=sys.stderr,
        )

    for path in paths:
        if not path.is_dir():
            yield path
            continue
        found = [file for file, entry, _ in walk(path, failed=failed) if _is_file(entry)]
        yield from sorted(found)


def _is_file(entry: os.DirEntry[str]) -> bool:
    """A regular file, or a link to one (a looping or dangling link is not an article)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def cmd_test(args: argparse.Namespace) -> int:
    setup_logging("plain", logging.WARNING)
    config = _load_config_or_report(args.config, needs="rules")
    if config is None:
        return 2
    engine, problems = load_engine(
        config.rules.path, list(config.channels), base=Path.cwd(), prominence=prominence(config)
    )
    for problem in problems:
        print(printable(f"warning: {problem} (rule skipped)"), file=sys.stderr)
    for warning in engine.warnings:
        print(printable(warning), file=sys.stderr)
    why = None
    if args.rule is not None:
        try:
            why = Explainer(engine, args.rule)
        except UnknownRule as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    failed = False
    for rendered in render_all(_article_paths(args.paths), engine, args.json, args.explain, why):
        sys.stdout.write(rendered.out)
        sys.stderr.write(rendered.err)
        failed = failed or rendered.failed
    sys.stdout.flush()
    return 1 if failed else 0


# -- outbox ------------------------------------------------------------------------------------
def cmd_outbox(args: argparse.Namespace) -> int:
    config = _load_config_or_report(args.config, needs="state")
    if config is None:
        return 2
    if not state_exists(config.state):
        print("outbox is empty (no state database yet)")
        return 0
    try:
        # Read as it is: upgrading the schema is `monitor migrate`'s (or `run`'s) to do.
        store = open_store(config.state, migrate=False)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    schema = store.schema()
    if schema.version < schema.newest:
        print(
            f"note: the state database's schema is at version {schema.version} of "
            f"{schema.newest}; `monitor migrate` (or the next `monitor run`) upgrades it",
            file=sys.stderr,
        )
    try:
        if args.retry:
            print(f"re-queued {store.requeue_dead()} dead alerts")
        rows = store.pending()
        if not rows:
            print("outbox is empty: every alert was delivered")
        for rule, count in sorted(store.suppressed().items()):
            print(
                printable(
                    f"held back by the flood guard (max_alerts_per_hour): {rule}: {count} alerts"
                )
            )
        counts = store.counts()
        if counts.get("silenced"):
            print(f"silenced (recorded, never sent): {counts['silenced']} alerts")
        if counts.get("held"):
            print(f"held for a digest or the end of quiet hours: {counts['held']} alerts")
        channel = None
        for row in rows:
            if row.channel != channel:
                channel = row.channel
                print(printable(f"{channel}:"))  # a quoted TOML key may hold anything
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(row.next_at))
            state = "dead" if row.status == "dead" else f"waiting, next try {when}"
            label = row.rule
            try:
                record = row.record
                if row.kind == "digest":
                    label, title = "digest", f"{int(record['count'])} stories"
                else:
                    title = repr(record["article"]["title"])
                if row.kind == "story":  # one message for the story: its rules
                    label = ", ".join(str(r["rule"]) for r in record["rules"]) + " (story)"
            except (ValueError, KeyError, TypeError):  # dead-lettered for that very reason
                title = "(malformed alert record)"
            # The title is repr'd; the error may quote a server's answer: one line each.
            print(
                printable(
                    f"  [{state}] {label}: {title} "
                    f"attempts={row.attempts} last_error={row.last_error or '-'}"
                )
            )
    finally:
        store.close()
    return 0


# -- stories -----------------------------------------------------------------------------------
@contextlib.contextmanager
def _state_as_it_is(config: Config) -> Iterator[Store | None]:
    """The state database for a listing: never created, never migrated (that is `monitor
    migrate`'s or `run`'s to do); None if the daemon never ran. `StoreError` (from opening
    or from a query) is the caller's to report."""
    if not state_exists(config.state):
        yield None
        return
    store = open_store(config.state, migrate=False)
    try:
        yield store
    finally:
        store.close()


def cmd_stories(args: argparse.Namespace) -> int:
    from monitor.durations import parse_duration
    from monitor.stories.listing import render_json, render_text, since_stamp

    try:
        since = since_stamp(parse_duration(args.since))
    except ValueError as exc:
        print(printable(f"error: --since: {exc}"), file=sys.stderr)
        return 2
    config = _load_config_or_report(args.config, needs="state")
    if config is None:
        return 2
    stories = []
    try:
        with _state_as_it_is(config) as store:
            if store is not None and not store.has("stories"):
                print(
                    "note: the state database predates stories; `monitor migrate` (or the "
                    "next `monitor run`) upgrades it",
                    file=sys.stderr,
                )
            elif store is not None:
                stories = store.stories_since(since, args.rule)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(render_json(stories))
    else:
        print("\n".join(render_text(stories)))
    return 0


# -- cluster -----------------------------------------------------------------------------------
def cmd_cluster(args: argparse.Namespace) -> int:
    from monitor.clusterview import render_json, render_text

    config = _load_config_or_report(args.config, needs="state")
    if config is None:
        return 2
    if config.state.url is None:
        if args.json:
            print("[]")
        else:
            print(
                "no cluster: the state is SQLite in "
                f"{printable(shown_path(config.state.path))}, for one daemon; set [state] url "
                "to a PostgreSQL database to run several nodes"
            )
        return 0
    try:
        with _state_as_it_is(config) as store:
            nodes = store.nodes() if store is not None and store.has("cluster") else []
            depth = store.depth() if store is not None else {}
    except StoreError as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)
        return 1
    if args.json:
        print(render_json(nodes))
    else:
        print("\n".join(render_text(nodes, depth)))
    return 0


# -- migrate -----------------------------------------------------------------------------------
def cmd_migrate(args: argparse.Namespace) -> int:
    """Apply pending schema migrations now (the daemon also does at start), or list them.

    Worth running by hand before restarting onto a new release: a migration that fails then
    fails here, with the daemon still running on the old one, not at a 3 a.m. restart.
    """
    config = _load_config_or_report(args.config, needs="state")
    if config is None:
        return 2
    if args.status and not state_exists(config.state):
        print("no state database yet: `monitor run` or `monitor migrate` creates it")
        return 0
    try:
        if args.status:
            schema = schema_status(config.state)
        else:
            store = open_store(config.state)
            schema = store.schema()
            store.close()
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    where = printable(schema.where if config.state.url else shown_path(Path(schema.where)))
    if args.status:
        behind = schema.newest - schema.version
        state = f"{behind} migration(s) pending" if behind > 0 else "up to date"
        print(f"{where}: schema version {schema.version} of {schema.newest}, {state}")
    elif schema.applied:
        print(f"{where}: schema version {schema.version}; applied {', '.join(schema.applied)}")
    else:
        print(f"{where}: schema version {schema.version}, up to date")
    return 0


# -- schema ------------------------------------------------------------------------------------
def cmd_schema(args: argparse.Namespace) -> int:
    schema = TypeAdapter(RuleFile | Rule).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "monitor rule file"
    print(json.dumps(schema, indent=2))
    return 0


# -- state copy -------------------------------------------------------------------------------
def cmd_state(args: argparse.Namespace) -> int:
    """`monitor state copy --to URL`: the SQLite state into PostgreSQL, again and again
    while the daemon runs, a last time once it is stopped (see `monitor.state.copy`)."""
    from monitor.state.copy import CopyError, copy_state
    from monitor.state.postgres import _password, redacted, url_problem
    from monitor.state.sqlite import DB_NAME

    setup_logging("plain", logging.WARNING)
    config = _load_config_or_report(args.config, needs="state")
    if config is None:
        return 2
    url: str = args.to.strip()
    target = printable(redacted(url))
    problem = url_problem(url)
    if problem is not None:
        print(f"error: --to {target}: {problem}", file=sys.stderr)
        return 2
    if _password(url):
        print(
            "note: a password in --to shows in the process list to every user of this "
            "machine: put it in ~/.pgpass (or PGPASSWORD) instead",
            file=sys.stderr,
        )
    source = config.state.path / DB_NAME
    shown = printable(shown_path(source))
    if not source.is_file():
        print(
            f"error: no SQLite state database to copy: {shown} does not exist (check "
            f"[state] path in {printable(str(args.config))})",
            file=sys.stderr,
        )
        return 2
    print(f"copying {shown} into {target}", flush=True)
    try:
        report = copy_state(
            source, url, done=lambda table, n: print(f"  {table}: {_rows(n)}", flush=True)
        )
    except CopyError as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)
        return 1
    for table, rows in report.left_out.items():
        print(f"  {table}: {_rows(rows)} left out (their values are not counts)")
    print(
        f"copied {_rows(sum(report.rows.values()))} into {target}; running the copy again "
        "brings what changed since"
    )
    return 0


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


# -- silence ----------------------------------------------------------------------------------
def _silence_store(config: Config, *, create: bool) -> Store | None:
    """The state database for `monitor silence`; None (reported) if it cannot be opened.

    `add` creates and migrates it (a silence may be set before the first run); `list` and
    `expire` read it as it is, like `outbox`, leaving upgrades to `migrate` or `run`.
    """
    try:
        store = open_store(config.state, migrate=create)
    except StoreError as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)
        return None
    schema = store.schema()
    if schema.version < schema.newest:  # silences came with a migration: say what to run
        print(
            f"note: the state database's schema is at version {schema.version} of "
            f"{schema.newest}; `monitor migrate` (or the next `monitor run`) upgrades it",
            file=sys.stderr,
        )
    return store


def _silence_add(args: argparse.Namespace, config: Config) -> int:
    """Checked before anything is stored (`checked_silence`, as the page checks it)."""
    options = {"rule": "--rule", "query": "--query", "channel": "--channel"}
    options |= {"duration": "--for", "comment": "--comment"}
    channels = sorted(config.channels)
    try:
        silence = checked_silence(
            rule=args.rule,
            query=args.query,
            channel=args.channel,
            duration=args.duration,
            comment=args.comment,
            channels=channels,
            engine=lambda: load_engine(
                config.rules.path, channels, base=Path.cwd(), prominence=prominence(config)
            )[0],
        )
    except SilenceProblem as exc:
        print(printable(f"error: {options[exc.field]}: {exc}"), file=sys.stderr)
        return 1
    store = _silence_store(config, create=True)
    if store is None:
        return 2
    try:
        store.add_silence(silence)
    except StoreError as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)
        return 2
    finally:
        store.close()
    print(silence.id)
    return 0


def _silence_list(args: argparse.Namespace, config: Config) -> int:
    silences: list[Silence] = []
    if state_exists(config.state):
        store = _silence_store(config, create=False)
        if store is None:
            return 2
        try:
            # A database from before silences (schema 3) holds none; the note said so.
            if store.has("stories"):
                silences = store.silences(include_expired=args.all)
        except StoreError as exc:
            print(printable(f"error: {exc}"), file=sys.stderr)
            return 2
        finally:
            store.close()
    now = time.time()
    if args.json:
        # Exact values; json_safe escapes what json leaves raw (bidi controls, C1).
        print(json_safe(json.dumps([s.to_json(now) for s in silences], ensure_ascii=False)))
        return 0
    if not silences:
        print("no silences in force" if not args.all else "no silences")
    for silence in silences:
        over = "" if silence.active(now) else " (over)"
        channel = silence.channel if silence.channel is not None else "all channels"
        comment = f" - {silence.comment}" if silence.comment else ""
        print(
            printable(
                f"{silence.id}  {silence.what}  on {channel}  until "
                f"{iso_utc(silence.until)}{over}{comment}"
            )
        )
    return 0


def _silence_expire(args: argparse.Namespace, config: Config) -> int:
    store = _silence_store(config, create=False) if state_exists(config.state) else None
    if store is not None and not store.has("stories"):
        store.close()
        store = None  # from before silences: it holds none
    if store is None:
        print(printable(f"error: no silence `{args.id}` (there are none)"), file=sys.stderr)
        return 1
    try:
        if store.expire_silence(args.id):
            print(printable(f"silence {args.id} expired: its matches alert again from now"))
            return 0
        known = {s.id: s for s in store.silences(include_expired=True)}
    except StoreError as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)
        return 2
    finally:
        store.close()
    if args.id in known:
        print(printable(f"error: silence {args.id} is already over"), file=sys.stderr)
    else:
        close = nearest(args.id, known)
        hint = f": did you mean {close}?" if close else ""
        print(printable(f"error: no silence `{args.id}`{hint}"), file=sys.stderr)
    return 1


def cmd_silence(args: argparse.Namespace) -> int:
    """`monitor silence add|list|expire`: what a running daemon applies within 2 s."""
    setup_logging("plain", logging.WARNING)
    config = _load_config_or_report(args.config, needs="state")
    if config is None:
        return 2
    action = {"add": _silence_add, "list": _silence_list, "expire": _silence_expire}
    return action[args.silence_command](args, config)


# -- sources ----------------------------------------------------------------------------------
MAX_OPML_BYTES = 20 * 2**20
"""An OPML export of thousands of feeds is a megabyte or two."""


def _sources_import(args: argparse.Namespace) -> int:
    """`monitor sources import FILE [--write]`: 0 done (also when every feed was already
    configured), 1 the file has no feeds, 2 it or the config cannot be read or used."""
    shown = printable(str(args.file))
    try:
        notes: list[str] = []
        with args.file.open("rb") as handle:
            data = handle.read(MAX_OPML_BYTES + 1)
        if len(data) > MAX_OPML_BYTES:
            print(
                f"{shown}: error: larger than {MAX_OPML_BYTES // 2**20} MB, which no "
                "subscription list is",
                file=sys.stderr,
            )
            return 2
        feeds = read_opml(data, notes)
    except OSError as exc:
        print(f"{shown}: error: cannot read it: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except OpmlError as exc:
        print(f"{shown}: error: {printable(str(exc))}", file=sys.stderr)
        return 2
    for note in notes:
        print(f"{shown}: note: {printable(note)}", file=sys.stderr)
    if not feeds:
        print(f"{shown}: error: no feeds in it (no <outline> with an xmlUrl)", file=sys.stderr)
        return 1
    config_path: Path = args.config
    try:
        with config_path.open(encoding="utf-8", newline="") as handle:
            text = handle.read()  # as it is: a CRLF file stays CRLF
        names, urls = _configured_sources(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        if args.write:
            why = exc.strerror if isinstance(exc, OSError) else exc
            print(printable(f"{config_path}: error: cannot use it: {why}"), file=sys.stderr)
            return 2
        text, names, urls = "", set(), set()  # printing only: nothing to avoid
    new = [feed for feed in feeds if feed.url not in urls]
    if len(new) < len(feeds):
        print(
            printable(f"note: {len(feeds) - len(new)} feed(s) already in {config_path}"),
            file=sys.stderr,
        )
    if not new:
        return 0
    block = sources_toml(new, names)
    if not args.write:
        sys.stdout.write(block)
        return 0
    added = sum(1 for line in block.splitlines() if line.startswith("[sources."))
    newline = "\r\n" if "\r\n" in text else "\n"
    block = block.replace("\n", newline)
    blank = newline * 2
    separator = (
        "" if not text or text.endswith(blank) else newline if text.endswith("\n") else blank
    )
    try:
        return _write_config(config_path, text + separator + block, added)
    except OSError as exc:
        print(printable(f"{config_path}: error: cannot write it: {exc}"), file=sys.stderr)
        return 2


def _configured_sources(text: str) -> tuple[set[str], set[str]]:
    """(names, URLs) of the `[sources.NAME]` tables in a config file's text."""
    sources = tomllib.loads(text).get("sources")
    if not isinstance(sources, dict):
        return set(), set()
    urls = {
        table["url"].strip()
        for table in sources.values()
        if isinstance(table, dict) and isinstance(table.get("url"), str)
    }
    return set(sources), urls


def _write_config(path: Path, text: str, added: int) -> int:
    """Replace the config file by `text` if it still loads: a temporary file beside it,
    checked, given the file's mode, then renamed over it, so the file is never half
    written and a daemon reloading it sees the old or the new one."""
    target = path.resolve()  # a symlinked config keeps its link
    tomllib.loads(text)  # our own blocks must parse; a failure here is a bug
    mode = stat.S_IMODE(target.stat().st_mode)
    handle, temp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        try:  # the daemon's user may read it through its owner or group: keep them
            os.chown(temp, target.stat().st_uid, target.stat().st_gid)
        except PermissionError:
            print(
                printable(f"{path}: note: its owner and group could not be kept"), file=sys.stderr
            )
        try:
            load_config(temp, strict_env=False)
        except ConfigError as exc:
            for problem in exc.problems:
                print(printable(problem.replace(str(temp), str(path))), file=sys.stderr)
            print(printable(f"{path}: not changed"), file=sys.stderr)
            temp.unlink()
            return 2
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    print(printable(f"{path}: added {added} feed source(s)"))
    return 0


def _sources_list(args: argparse.Namespace) -> int:
    """`monitor sources [--json]`: every configured source and what it last did."""
    from monitor.sources.listing import feed_holders, render_json, render_text, source_rows

    config = _load_config_or_report(args.config, needs="state")
    if config is None:
        return 2
    states: dict[str, SourceState] = {}
    items: dict[str, int] = {}
    holders: dict[str, str] = {}
    try:
        with _state_as_it_is(config) as store:
            if store is not None:
                states, items = store.source_states(), store.item_counts()
                holders = feed_holders(store.nodes())
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rows = source_rows(config, states, items, holders)
    print(render_json(rows) if args.json else "\n".join(render_text(rows)))
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    """`monitor sources [--json]`, or `monitor sources import FILE.opml [--write]`."""
    if args.sources_command is None:
        return _sources_list(args)
    return _sources_import(args)


# -- web -------------------------------------------------------------------------------------
def cmd_web(args: argparse.Namespace) -> int:
    """`monitor web hash-password`: the password on stdin (one line; the line end is not part
    of it), its argon2id hash on stdout. From a terminal it asks without echo."""
    import getpass

    from monitor.web.auth import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
    else:
        data = sys.stdin.buffer.read(4097)
        if len(data) > 4096:
            print("error: a password is at most 4,096 bytes", file=sys.stderr)
            return 1
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            print("error: the password is not UTF-8", file=sys.stderr)
            return 1
        password = text[:-2] if text.endswith("\r\n") else text.removesuffix("\n")
    if not password:
        print("error: no password on standard input (echo -n or a file with it)", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


COMMANDS = {
    "run": cmd_run,
    "check": cmd_check,
    "test": cmd_test,
    "outbox": cmd_outbox,
    "migrate": cmd_migrate,
    "schema": cmd_schema,
    "stories": cmd_stories,
    "cluster": cmd_cluster,
    "silence": cmd_silence,
    "state": cmd_state,
    "sources": cmd_sources,
    "web": cmd_web,
}


# Commands that load the whole rule set, print, and end: they end without freeing it.
_EXIT_AT_ONCE = frozenset({"test", "check"})


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code = COMMANDS[args.command](args)
    except BrokenPipeError:  # the reader went away (`monitor test ... | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        code = 1
    finally:
        # A command's output is out; a cache of its rules still being written behind is
        # finished before the process ends, so the next command finds it.
        wait_for_cache_writes()
    if args.command in _EXIT_AT_ONCE and argv is None:
        # Freeing a compiled rule set object by object took about 0.5 s at 100k rules, more
        # after `monitor test` forked its workers (every page written once more): the
        # process ends here instead, its output flushed first.
        try:
            sys.stdout.flush()
        except BrokenPipeError:  # the reader went away (`monitor test ... | head`)
            pass
        except OSError as exc:  # a full disk: say so rather than lose output silently
            print(f"error: could not write the output: {exc}", file=sys.stderr)
            code = code or 1
        sys.stderr.flush()
        logging.shutdown()
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
