"""Building blocks shared by `monitor.config` and the channel modules' config models.

A leaf module (it imports nothing from the package): each channel module defines the
pydantic model of its own `[channels.NAME]` table, and `monitor.config` builds the channel
union from the channel registry, so both sides need these without importing each other.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""`${NAME}`: a value read from the environment."""


class StrictModel(BaseModel):
    # TOML has `inf` and `nan`: no float key of ours means anything with them (an infinite
    # rescan interval overflowed the scheduler at start, an infinite size limit made every
    # article fail), so every float in every section must be finite.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def unresolved(value: str) -> bool:
    """Whether `value` still holds a `${VAR}` that was not set in the environment.

    `load_config` leaves an unset variable's `${VAR}` in place (and reports it, as an error
    or, for commands that never send, a warning). Validators of secret values skip such a
    value: what it will be is unknown until `monitor run`, which refuses to start without it.
    """
    return VAR.search(value) is not None


def _no_nul(path: Path) -> Path:
    """A NUL can be in a TOML string but in no file name: `resolve` and `open` would raise."""
    if "\x00" in str(path):
        raise ValueError("contains a NUL character (\\x00), which no file name can hold; remove it")
    return path


ConfigPath = Annotated[Path, AfterValidator(_no_nul)]
"""Every path key of the config: checked before any path is resolved or opened."""


def is_local_host(host: str) -> bool:
    """Whether `host` names this machine (loopback), so traffic to it never crosses a network."""
    name = host.strip().strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost") or name == "ip6-localhost":
        return True
    try:
        return ipaddress.ip_address(name.split("%", 1)[0]).is_loopback
    except ValueError:
        return False
