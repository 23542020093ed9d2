"""sd_notify: the Notifier without systemd, and its settings from the environment.

The daemon's notifications, over a real socket, are tested in tests/e2e/test_sdnotify_daemon.py.
"""

from __future__ import annotations

from monitor.sdnotify import Notifier


def test_notifier_is_a_no_op_without_systemd() -> None:
    assert Notifier({}).notify("READY=1") is False
    assert Notifier({}).watchdog_interval is None


def test_abstract_socket_and_watchdog_interval() -> None:
    notifier = Notifier({"NOTIFY_SOCKET": "@monitor-test", "WATCHDOG_USEC": "4000000"})
    assert notifier.enabled and notifier.watchdog_interval == 2.0
    other_pid = Notifier({"WATCHDOG_USEC": "4000000", "WATCHDOG_PID": "1"})
    assert other_pid.watchdog_interval is None
