"""`monitor run` as a real subprocess (the daemon test of tests/test_cli.py): it refuses to
start when a channel's secret variable is unset."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers.cli_shared import SECRET_CHANNELS
from helpers.workspace import Workspace


def test_run_refuses_to_start_without_a_needed_variable(workspace: Workspace) -> None:
    workspace.write_config(extra=SECRET_CHANNELS)
    env = {k: v for k, v in os.environ.items() if k != "SLACK_WEBHOOK_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "run"],
        cwd=workspace.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "environment variable SLACK_WEBHOOK_URL is not set" in result.stderr
