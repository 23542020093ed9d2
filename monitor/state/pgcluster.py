"""A node's claims in a cluster on PostgreSQL: its heartbeat, named leases, inbox files.

Everything a node holds is a row naming it, valid while the node is alive: its `nodes` row
is not stopped and its heartbeat, written from the database's clock, is younger than its
lease (`monitor_node_alive`, migration 0002). So there is one thing to keep up, the
heartbeat, and one way to lose everything at once: stop beating (killed, cut off) or leave.
A row lock (`FOR UPDATE SKIP LOCKED`, `ON CONFLICT ... WHERE`) makes each claim atomic;
no consensus of our own is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from monitor.state.base import NodeRow
from monitor.state.sql import _unavailable

if TYPE_CHECKING:
    from monitor.state.postgres import PostgresStore


class PgCluster:
    """This node's part in the cluster, through one store (one thread's connections)."""

    def __init__(self, store: PostgresStore, node: str, lease: float) -> None:
        self.store = store
        self.node = node
        self.lease = lease

    # -- membership --------------------------------------------------------------------------
    def join(self, host: str, pid: int, version: str) -> None:
        _join(self.store, self.node, host, pid, version, self.lease)

    def beat(self, status: str = "") -> None:
        """Renew the heartbeat (and so every claim). StoreUnavailable if the database is out
        of reach; a node whose row was taken for gone (stopped by hand) joins again."""
        _beat(self.store, self.node, status, self.lease)

    def leave(self) -> None:
        _leave(self.store, self.node)

    def abandon(self, why: str) -> int:
        """Cut short every call this process has in flight to the database (a node that
        lost it: a reply a network cut holds back never comes); how many there were."""
        return self.store.abandon_calls(why)

    # -- named leases ------------------------------------------------------------------------
    def hold(self, name: str) -> bool:
        """Take or keep the lease `name`: True if this node holds it now."""
        return _hold(self.store, self.node, name)

    def let_go(self, name: str) -> None:
        _let_go(self.store, self.node, name)

    def lease_left(self, name: str) -> float | None:
        """Seconds until the lease `name`, held by another live node, is anyone's unless
        that node beats again (0 when it lapses now); None if no other live node holds it."""
        return _lease_left(self.store, self.node, name)

    # -- inbox files -------------------------------------------------------------------------
    def claim_items(self, source: str, keys: Sequence[str]) -> set[str]:
        """Claim items for this node in one statement; the keys it now holds (those another
        live node holds are left out)."""
        if not keys:
            return set()
        return _claim_items(self.store, self.node, source, list(dict.fromkeys(keys)))

    def release_items(self, source: str, keys: Sequence[str]) -> None:
        if keys:
            _release_items(self.store, self.node, source, list(keys))


@_unavailable
def _join(store: PostgresStore, node: str, host: str, pid: int, version: str, lease: float) -> None:
    with store._tx() as db:
        db.execute(
            "INSERT INTO nodes (id, host, pid, version, lease) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET heartbeat = clock_timestamp(), stopped_at = NULL, "
            "lease = excluded.lease",
            (node, host, pid, version, lease),
        )
        # Nodes gone for a day are forgotten (their claims went with their heartbeat).
        db.execute(
            "DELETE FROM nodes WHERE heartbeat < clock_timestamp() - interval '1 day' AND id != ?",
            (node,),
        )


@_unavailable
def _beat(store: PostgresStore, node: str, status: str, lease: float) -> None:
    """The heartbeat; and the sessions dead nodes left on the server are ended.

    A node cut off in the middle of a transaction leaves its session holding row locks,
    and the other nodes, which take a dead node's alerts with `SKIP LOCKED`, skip those.
    The server's `idle_in_transaction_session_timeout` ends most such sessions, but not one
    cut between the statements of a pipeline and its Sync (psycopg's `executemany`): the
    server is not idle then, only waiting for the rest. A live node ends them instead; it
    finds them by their `application_name` (`postgres.application_name`)."""
    with store._tx() as db:
        db.execute(
            "SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a JOIN nodes n "
            "ON a.application_name = 'monitor ' || CASE WHEN octet_length(n.id) <= 55 "
            "AND n.id ~ '^[ -~]*$' THEN n.id ELSE md5(n.id) END "
            "WHERE a.datname = current_database() AND n.id != ? "
            "AND NOT monitor_node_alive(n.id) AND n.heartbeat > clock_timestamp() - "
            "interval '1 day'",
            (node,),
        )
        row = db.execute(
            "UPDATE nodes SET heartbeat = clock_timestamp(), status = ? "
            "WHERE id = ? AND stopped_at IS NULL RETURNING id",
            (status, node),
        ).fetchone()
        if row is None:
            db.execute(
                "INSERT INTO nodes (id, host, pid, lease, status) VALUES (?, '', 0, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET heartbeat = clock_timestamp(), "
                "stopped_at = NULL, status = excluded.status",
                (node, lease, status),
            )


@_unavailable
def _leave(store: PostgresStore, node: str) -> None:
    with store._tx() as db:
        db.execute("UPDATE nodes SET stopped_at = clock_timestamp() WHERE id = ?", (node,))
        db.execute("DELETE FROM leases WHERE node = ?", (node,))
        db.execute("DELETE FROM item_claims WHERE node = ?", (node,))
        db.execute(
            "UPDATE outbox SET claimed_by = NULL WHERE claimed_by = ? AND status = 'pending'",
            (node,),
        )


@_unavailable
def _hold(store: PostgresStore, node: str, name: str) -> bool:
    with store._tx() as db:
        row = db.execute(
            "INSERT INTO leases (name, node) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
            "node = excluded.node, acquired_at = clock_timestamp() "
            "WHERE leases.node = excluded.node OR NOT monitor_node_alive(leases.node) "
            "RETURNING node",
            (name, node),
        ).fetchone()
    return row is not None


@_unavailable
def _let_go(store: PostgresStore, node: str, name: str) -> None:
    with store._tx() as db:
        db.execute("DELETE FROM leases WHERE name = ? AND node = ?", (name, node))


@_unavailable
def _lease_left(store: PostgresStore, node: str, name: str) -> float | None:
    row = store._db.execute(
        "SELECT n.lease - EXTRACT(EPOCH FROM clock_timestamp() - n.heartbeat)::float8 "
        "FROM leases l JOIN nodes n ON n.id = l.node "
        "WHERE l.name = ? AND l.node != ? AND n.stopped_at IS NULL",
        (name, node),
    ).fetchone()
    return None if row is None else max(0.0, float(row[0]))


@_unavailable
def _claim_items(store: PostgresStore, node: str, source: str, keys: list[str]) -> set[str]:
    with store._tx() as db:
        rows = db.execute(
            "INSERT INTO item_claims (source, key, node) "
            "SELECT ?, k, ? FROM unnest(?::text[]) AS k "
            "ON CONFLICT (source, key) DO UPDATE SET node = excluded.node, "
            "claimed_at = clock_timestamp() "
            "WHERE item_claims.node = excluded.node OR NOT monitor_node_alive(item_claims.node) "
            "RETURNING key",
            (source, node, keys),
        ).fetchall()
    return {str(r[0]) for r in rows}


@_unavailable
def _release_items(store: PostgresStore, node: str, source: str, keys: list[str]) -> None:
    with store._tx() as db:
        db.execute(
            "DELETE FROM item_claims WHERE source = ? AND node = ? AND key = ANY(?::text[])",
            (source, node, keys),
        )


@_unavailable
def nodes(store: PostgresStore) -> list[NodeRow]:
    """Every node the database knows, the live ones first, with what each holds."""
    rows = store._db.execute(
        "SELECT n.id, n.host, n.pid, n.version, "
        "to_char(n.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
        "EXTRACT(EPOCH FROM clock_timestamp() - n.heartbeat)::float8, n.lease, "
        "monitor_node_alive(n.id), n.stopped_at IS NOT NULL, n.status, "
        "COALESCE((SELECT array_agg(name ORDER BY name) FROM leases l WHERE l.node = n.id), "
        "'{}'::text[]), "
        "(SELECT COUNT(*) FROM item_claims c WHERE c.node = n.id), "
        "(SELECT json_object_agg(channel, rows) FROM (SELECT channel, COUNT(*) AS rows "
        "FROM outbox o WHERE o.claimed_by = n.id AND o.status = 'pending' GROUP BY channel) q) "
        "FROM nodes n ORDER BY 8 DESC, n.started_at, n.id"
    ).fetchall()
    return [
        NodeRow(
            id=str(r[0]),
            host=str(r[1]),
            pid=int(r[2]),
            version=str(r[3]),
            started_at=str(r[4]),
            heartbeat_age=max(0.0, float(r[5])),
            lease=float(r[6]),
            alive=bool(r[7]),
            stopped=bool(r[8]),
            status=str(r[9]),
            leases=[str(x) for x in r[10]],
            claims=int(r[11]),
            sending={str(k): int(v) for k, v in (r[12] or {}).items()},
        )
        for r in rows
    ]
