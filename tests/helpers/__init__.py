"""What the tests share besides fixtures: the Workspace (a deployment in a temporary folder, with
the daemon), a fake Slack/webhook receiver and a loopback TCP server for misbehaving peers.
Imported as `helpers.…`: pyproject puts tests/ on pytest's path, for tests/ and tests/e2e/ alike."""
