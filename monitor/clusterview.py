"""`monitor cluster`: the nodes sharing a PostgreSQL state, what each holds, the queues.

Read from the database alone (the nodes' rows, their leases and claims, the outbox), so it
works from any machine with the config, whether or not a daemon runs there. Everything a
node wrote (its host name, its status) is printed through `printable`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from monitor.state import NodeRow
from monitor.textsafe import json_safe, printable


def node_json(node: NodeRow) -> dict[str, Any]:
    return {
        "node": node.id,
        "host": node.host,
        "pid": node.pid,
        "version": node.version,
        "started": node.started_at,
        "heartbeat_age": round(node.heartbeat_age, 3),
        "lease": node.lease,
        "alive": node.alive,
        "stopped": node.stopped,
        "status": node.status,
        "leases": node.leases,
        "files": node.claims,
        "sending": node.sending,
    }


def render_json(nodes: Sequence[NodeRow]) -> str:
    return json_safe(json.dumps([node_json(n) for n in nodes], ensure_ascii=False))


def _state(node: NodeRow) -> str:
    if node.stopped:
        return "stopped"
    return "alive" if node.alive else "dead"


def render_text(nodes: Sequence[NodeRow], depth: Mapping[tuple[str, str], int]) -> list[str]:
    """One line per node, its leases and claims on indented lines, then the outbox."""
    alive = sum(1 for n in nodes if n.alive)
    lines = [f"{len(nodes)} node(s), {alive} alive"]
    for n in nodes:
        lines.append(
            printable(
                f"{n.id}  {_state(n)}  host {n.host or '?'} pid {n.pid}  started {n.started_at}"
                f"  heartbeat {n.heartbeat_age:.1f} s ago (lease {n.lease:g} s)"
                + (f"  {n.status}" if n.status else "")
            )
        )
        if n.leases:
            lines.append(printable(f"    leases: {', '.join(n.leases)}"))
        if n.claims:
            lines.append(f"    inbox files being read: {n.claims}")
        if n.sending:
            held = ", ".join(f"{ch} {k}" for ch, k in sorted(n.sending.items()))
            lines.append(printable(f"    alerts taken to send: {held}"))
    queues: dict[str, dict[str, int]] = {}
    for (channel, status), count in depth.items():
        queues.setdefault(channel, {})[status] = count
    if queues:
        lines.append("outbox:")
        for channel in sorted(queues):
            parts = ", ".join(f"{k} {s}" for s, k in sorted(queues[channel].items()))
            lines.append(printable(f"    {channel}: {parts}"))
    else:
        lines.append("outbox: empty")
    return lines
