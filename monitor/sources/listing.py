"""`monitor sources`: every configured source and its state, from the state database.

Read-only, beside a running daemon, like `monitor stories`: the config says which sources
exist, the database what they did (a feed's last poll, HTTP status, errors in a row, next
poll; entries seen are its rows in `items`). A feed's URL is shown without its query string
or user info, which is where tokens go. When nodes share the state (PostgreSQL), a feed
shows the live node holding its lease, the one polling it (`node`; null when none).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from monitor.config import Config, FeedSourceConfig, HttpSourceConfig
from monitor.sources.fetch import shown_url
from monitor.sources.leases import lease_name
from monitor.state.base import NodeRow, SourceState
from monitor.textsafe import printable


def feed_holders(nodes: Iterable[NodeRow]) -> dict[str, str]:
    """Feed name -> the live node holding its lease (a dead node's lease is anyone's)."""
    prefix = lease_name("")
    return {
        lease[len(prefix) :]: node.id
        for node in nodes
        if node.alive
        for lease in node.leases
        if lease.startswith(prefix)
    }


def source_rows(
    config: Config,
    states: dict[str, SourceState],
    items: dict[str, int],
    holders: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One object per source, as `--json` prints it."""
    rows: list[dict[str, Any]] = [
        {
            "name": "inbox",
            "type": "folder",
            "path": str(config.inbox.path),
        }
    ]
    for name, conf in config.sources.items():
        state = states.get(name, SourceState(name))
        row: dict[str, Any] = {"name": name, "type": conf.type}
        if isinstance(conf, FeedSourceConfig):
            row.update(
                url=shown_url(conf.url),
                interval=conf.interval,
                last_poll=state.last_poll,
                last_status=state.last_status,
                last_success=state.last_success,
                last_error=state.last_error,
                errors=state.errors,
                polls=state.polls,
                entries_seen=items.get(name, 0),
                last_new=state.last_new,
                next_poll=state.next_poll,
                node=(holders or {}).get(name),
            )
        elif isinstance(conf, HttpSourceConfig):
            row.update(
                listen=conf.listen,
                entries_seen=items.get(name, 0),
                last_new=state.last_new,
            )
        rows.append(row)
    return rows


def render_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)


def render_text(rows: list[dict[str, Any]]) -> list[str]:
    """A block per source: its name and type, then its state on indented lines."""
    lines: list[str] = []
    for row in rows:
        where = row.get("url") or row.get("listen") or row.get("path") or ""
        lines.append(printable(f"{row['name']} ({row['type']}) {where}"))
        if row["type"] == "feed":
            health = "ok" if not row["errors"] else f"{row['errors']} failed polls in a row"
            lines.append(
                printable(
                    f"  last poll {row['last_poll'] or 'never'}"
                    f" (HTTP {row['last_status'] or '-'}), {health}"
                )
            )
            if row["last_error"]:
                lines.append(printable(f"  last error: {row['last_error']}"))
            lines.append(
                printable(
                    f"  {row['entries_seen']} entries seen, last new {row['last_new'] or 'never'}; "
                    f"next poll {row['next_poll'] or 'at start'}"
                )
            )
            if row["node"]:
                lines.append(printable(f"  polled by node {row['node']}"))
        elif row["type"] == "http":
            lines.append(
                printable(
                    f"  {row['entries_seen']} articles taken in, last {row['last_new'] or 'never'}"
                )
            )
    return lines
