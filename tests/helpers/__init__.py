"""What the tests share besides fixtures: the Workspace (a deployment in a temporary folder, with
the daemon), a fake Slack/webhook receiver and a loopback TCP server for misbehaving peers.
A `<stem>_shared` module holds what tests/test_<stem>.py and its daemon half,
tests/e2e/test_<stem>_daemon.py, both use (a few fixtures among it, imported into both).
Imported as `helpers.…`: pyproject puts tests/ on pytest's path, for tests/ and tests/e2e/ alike."""
