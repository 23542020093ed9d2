"""An email channel pointed at a test SMTP server on 127.0.0.1, with test defaults."""

from __future__ import annotations

from typing import Any

from monitor.channels.email import EmailChannel

HOST = "127.0.0.1"
SENDER = "Monitor <monitor@example.org>"
DESK = "desk@example.org"


def email_channel(port: int, security: str = "none", **kw: Any) -> EmailChannel:
    """A channel `desk` sending to DESK from SENDER, no login; `kw` overrides any argument."""
    args: dict[str, Any] = {
        "name": "desk",
        "host": HOST,
        "port": port,
        "security": security,
        "username": None,
        "password": None,
        "sender": SENDER,
        "recipients": [DESK],
        "timeout": 5.0,
    }
    args.update(kw)
    return EmailChannel(**args)
