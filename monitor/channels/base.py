"""The one interface every channel type implements, and the failure it reports.

The dispatcher only needs to know whether a failed send may succeed later (retry, honouring
`retry_after` when the service said so) or never will (dead letter). Messages in a
`DeliveryError` are shown to users and stored, so they must never contain secrets.
"""

from __future__ import annotations

from typing import Any, Protocol


class Channel(Protocol):
    """Delivers complete alert records (see `monitor.alerts`) to one destination."""

    name: str

    def send(self, record: dict[str, Any]) -> None:
        """Deliver one alert or raise `DeliveryError`."""

    def close(self) -> None:
        """Release files or connections."""
