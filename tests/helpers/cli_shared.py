"""What tests/test_cli.py and tests/e2e/test_cli_daemon.py share: a channel whose secret
comes from an environment variable."""

from __future__ import annotations

SECRET_CHANNELS = """
[channels.newsroom]
type = "slack"
webhook_url = "${SLACK_WEBHOOK_URL}"
"""
