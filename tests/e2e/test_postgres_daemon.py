"""A real `monitor run` and the CLI with their state in PostgreSQL (`[state] url`)."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import psycopg
from helpers.pgserver import PgServer
from helpers.workspace import BASE_CONFIG, SEED, Workspace

from monitor.state.migrations import migrations

PG_STATE = '[state]\npath = "state"\nurl = "${MONITOR_PG}"\n'


def _on_postgres(ws: Workspace, url: str, extra: str = "") -> dict[str, str]:
    text = BASE_CONFIG.format(after="archive", rescan=30).replace(
        '[state]\npath = "state"\n', PG_STATE
    )
    ws.config.write_text(text + extra, encoding="utf-8")
    os.environ["MONITOR_PG"] = url  # for ws.monitor(); start() gets it explicitly too
    return {"MONITOR_PG": url}


def _outbox(url: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT rule, channel, status FROM outbox ORDER BY seq").fetchall()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def test_the_daemon_records_and_delivers_through_postgresql(
    workspace: Workspace, pg_url: str
) -> None:
    env = _on_postgres(workspace, pg_url)
    workspace.start(env=env)
    shutil.copy(SEED, workspace.inbox / "a.txt")
    records = workspace.wait_for_alerts(1, timeout=20)
    assert records[0]["rule"] == "nato-south-korea"
    workspace.wait_until(lambda: _outbox(pg_url) == [("nato-south-korea", "log", "delivered")])
    assert not (workspace.root / "state" / "monitor.db").exists()  # nothing went to SQLite
    assert workspace.stop(signal.SIGTERM) == 0
    # The same file again after a restart: the article is known, nothing is sent twice.
    workspace.start(env=env)
    shutil.copy(SEED, workspace.inbox / "again.txt")
    workspace.wait_until(lambda: not (workspace.inbox / "again.txt").exists(), timeout=20)
    assert len(workspace.alert_records()) == 1
    workspace.stop()


def test_migrate_outbox_and_silences_work_on_postgresql(
    workspace: Workspace, pg_server: PgServer
) -> None:
    name = pg_server.create_db()
    url = pg_server.url(name)
    _on_postgres(workspace, url)
    try:
        status = workspace.monitor("migrate", "--status")
        assert status.returncode == 0, status.stderr
        assert "no state database yet" in status.stdout
        done = workspace.monitor("migrate")
        assert done.returncode == 0, done.stderr
        assert "applied 0001_initial" in done.stdout
        assert f"/{name}" in done.stdout and "postgresql://monitor@" in done.stdout
        again = workspace.monitor("migrate", "--status")
        newest = len(migrations("postgresql"))
        assert f"schema version {newest} of {newest}, up to date" in again.stdout
        added = workspace.monitor("silence", "add", "--rule", "nato-south-korea", "--for", "1h")
        assert added.returncode == 0, added.stderr
        listed = workspace.monitor("silence", "list")
        assert added.stdout.strip() in listed.stdout
        outbox = workspace.monitor("outbox")
        assert outbox.returncode == 0, outbox.stderr
    finally:
        pg_server.drop_db(name)


def test_an_unreachable_database_is_a_clear_error_without_the_password(
    workspace: Workspace, pg_server: PgServer
) -> None:
    url = f"postgresql://monitor:hunter2secret@127.0.0.1:{pg_server.port + 1}/none"
    _on_postgres(workspace, url)
    done = workspace.monitor("migrate")
    assert done.returncode == 1
    assert "cannot use the state database postgresql://monitor@127.0.0.1" in done.stderr
    assert "hunter2secret" not in done.stderr + done.stdout
    check = workspace.monitor("check")
    assert "hunter2secret" not in check.stderr + check.stdout


def test_a_url_that_is_not_postgresql_is_a_config_error_with_its_line(
    workspace: Workspace,
) -> None:
    _on_postgres(workspace, "mysql://u:pw@db/monitor")
    done = workspace.monitor("check")
    assert done.returncode != 0
    said = done.stdout + done.stderr
    assert "config.toml:" in said and "a PostgreSQL URL" in said, said
    assert "pw@" not in said


def test_a_url_libpq_cannot_read_is_refused_without_quoting_it(workspace: Workspace) -> None:
    """libpq's parse errors quote the URL's offending part, the password included."""
    for url in ("postgresql://u:p%zzhunter2@127.0.0.1/m", "postgresql://u:hunter2@[::1/m"):
        _on_postgres(workspace, url)
        done = workspace.monitor("check")
        said = done.stdout + done.stderr
        assert done.returncode != 0 and "libpq cannot read this URL" in said, said
        assert "hunter2" not in said
        run = workspace.monitor("migrate")
        assert run.returncode != 0 and "hunter2" not in run.stdout + run.stderr


def test_the_pool_log_never_carries_the_password(pg_server: PgServer, tmp_path: Path) -> None:
    """A node whose database went away logs the pool's failed attempts: without the
    password, even for a URL libpq could not parse."""
    import logging

    from monitor.state import postgres

    secret = "s3cretPW"
    bad = f"postgresql://monitor:{secret}@127.0.0.1:{pg_server.port}/nope?bogus=1"
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    keep = Keep()
    logging.getLogger("psycopg.pool").addHandler(keep)
    try:
        postgres._redact.urls.add(bad)
        logging.getLogger("psycopg.pool").warning("error connecting: invalid URI: %s", bad)
        good = pg_server.url(pg_server.create_db(), tcp=True).replace(
            "monitor@", f"monitor:{secret}@"
        )
        postgres._redact.urls.add(good)
        logging.getLogger("psycopg.pool").warning("connection failed for %s", good)
    finally:
        logging.getLogger("psycopg.pool").removeHandler(keep)
    assert records and not any(secret in r for r in records), records
