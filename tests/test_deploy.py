"""The shipped systemd unit: systemd's own verifier accepts it, with no warning."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
UNIT = REPO / "deploy" / "monitor.service"


def _unit_text() -> str:
    return UNIT.read_text(encoding="utf-8")


def test_unit_has_the_required_settings() -> None:
    text = _unit_text()
    for line in (
        "Type=notify",
        "ExecReload=/bin/kill -HUP $MAINPID",
        "Restart=on-failure",
        "StateDirectory=monitor",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "PrivateTmp=yes",
        "ProtectHome=yes",
        "SystemCallFilter=@system-service",
    ):
        assert line in text.splitlines(), line
    assert any(line.startswith("WatchdogSec=") for line in text.splitlines())
    assert any(line.startswith("RestrictAddressFamilies=") for line in text.splitlines())
    assert "monitor run --config" in text


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (Debian package `systemd`)",
)
def test_systemd_analyze_verify_accepts_the_unit(tmp_path: Path) -> None:
    # verify checks that ExecStart exists, so point it at this venv's real `monitor`.
    executable = Path(sys.executable).parent / "monitor"
    unit = tmp_path / "monitor.service"
    unit.write_text(
        _unit_text().replace("/opt/monitor/venv/bin/monitor", str(executable)), encoding="utf-8"
    )
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, output
    assert [line for line in output.splitlines() if str(unit) in line] == [], output
