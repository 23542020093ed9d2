"""End to end: a real `monitor run` process on a temporary folder, asserting on alerts.jsonl."""

from __future__ import annotations

import datetime
import os
import shutil
import signal
import time
from pathlib import Path

from helpers.workspace import SEED, Workspace

NORTH_KOREA = """North Korea fires missile as NATO watches

PYONGYANG - North Korea launched a ballistic missile on Tuesday. The Democratic People's
Republic of Korea said the weapons test was a warning. NATO called it reckless.
"""


def _drop_by_rename(ws: Workspace, name: str, data: bytes) -> float:
    tmp = ws.inbox / f"{name}.tmp"
    tmp.write_bytes(data)
    started = time.monotonic()
    os.rename(tmp, ws.inbox / name)
    return started


def test_file_present_before_start_alerts_and_is_archived(workspace: Workspace) -> None:
    workspace.inbox.mkdir()
    shutil.copy(SEED, workspace.inbox / SEED.name)
    workspace.start()
    records = workspace.wait_for_alerts(1)
    rec = records[0]
    assert rec["rule"] == "nato-south-korea"
    assert rec["channel"] == "log"
    assert rec["article"]["title"].startswith("NATO chief urges S Korea")
    assert rec["article"]["path"] == str(workspace.inbox / SEED.name)
    assert len(rec["article"]["id"]) == 16
    assert rec["sent_at"].endswith("Z")
    terms = {h["term"] for h in rec["hits"]}
    assert {"NATO", "South Korea"} <= terms
    for hit in rec["hits"]:
        assert hit["field"] in ("title", "body")
        assert hit["end"] > hit["start"]
    archived = workspace.root / "archive" / datetime.date.today().isoformat() / SEED.name
    workspace.wait_until(archived.exists)
    assert rec["article"]["archived"] == str(archived)  # where it is now, for the reader
    assert not (workspace.inbox / SEED.name).exists()
    assert workspace.stop() == 0
    assert len(workspace.alert_records()) == 1


def test_alerts_name_the_archive_copy_each_file_actually_got(workspace: Workspace) -> None:
    """Alerts showed the inbox path of a file long moved to archive/ (issue 12). Files of one
    name from two folders, and one whose name the archive already holds, each get their own
    archive name, and each alert names its own."""
    today = workspace.root / "archive" / datetime.date.today().isoformat()
    today.mkdir(parents=True)
    (today / "story.txt").write_bytes(b"an older story archived earlier\n")
    for folder, rule_word in (("a", "NATO and South Korea"), ("b", "South Korea and NATO")):
        (workspace.inbox / folder).mkdir(parents=True)
        text = f"{rule_word} from desk {folder}\nNATO urged South Korea to send ammunition.\n"
        (workspace.inbox / folder / "story.txt").write_bytes(text.encode())
    workspace.start()
    records = workspace.wait_for_alerts(2)
    for rec in records:
        archived = Path(rec["article"]["archived"])
        workspace.wait_until(archived.exists)
        assert archived.parent == today and archived.name != "story.txt"
        assert archived.read_text("utf-8").startswith(rec["article"]["title"])
        assert rec["article"]["path"].startswith(str(workspace.inbox))
    assert len({rec["article"]["archived"] for rec in records}) == 2
    assert workspace.stop() == 0


def test_drop_by_rename_alerts_within_a_second(workspace: Workspace) -> None:
    workspace.start()
    started = _drop_by_rename(workspace, "seed.txt", SEED.read_bytes())
    workspace.wait_for_alerts(1, timeout=5)
    latency = time.monotonic() - started
    print(f"drop-to-alert latency: {latency * 1000:.0f} ms")
    assert latency < 1.0, f"alert took {latency:.2f}s"
    assert workspace.stop() == 0


def test_slow_in_place_write_is_read_only_when_complete(workspace: Workspace) -> None:
    workspace.start()
    data = SEED.read_bytes()
    half = len(data) // 2
    with (workspace.inbox / "slow.txt").open("wb") as fh:
        fh.write(data[:half])
        fh.flush()
        time.sleep(1.5)
        fh.write(data[half:])
    records = workspace.wait_for_alerts(1)
    time.sleep(0.5)
    assert len(workspace.alert_records()) == 1
    assert "Lee Jong-Sup" in (workspace.root / "archive").rglob("slow.txt").__next__().read_text(
        "utf-8"
    )
    assert records[0]["article"]["title"].startswith("NATO chief")
    assert "quarantined" not in workspace.log()
    assert workspace.stop() == 0


def test_same_content_under_another_name_alerts_nothing_new(workspace: Workspace) -> None:
    workspace.start()
    _drop_by_rename(workspace, "first.txt", SEED.read_bytes())
    workspace.wait_for_alerts(1)
    _drop_by_rename(workspace, "second.txt", SEED.read_bytes())
    workspace.wait_for_log("second.txt")
    time.sleep(0.5)
    assert len(workspace.alert_records()) == 1
    assert workspace.stop() == 0


def test_non_matching_article_is_archived_without_alert(workspace: Workspace) -> None:
    workspace.start()
    _drop_by_rename(workspace, "nk.txt", NORTH_KOREA.encode())
    workspace.wait_for_log("nk.txt")
    assert workspace.alert_records() == []
    assert list((workspace.root / "archive").rglob("nk.txt"))
    assert workspace.stop() == 0


def test_unreadable_file_is_quarantined_and_others_still_alert(workspace: Workspace) -> None:
    workspace.start()
    _drop_by_rename(workspace, "broken.json", b'{"title": "NATO and South Korea", "body": ')
    _drop_by_rename(workspace, "empty.txt", b"")
    _drop_by_rename(workspace, "seed.txt", SEED.read_bytes())
    workspace.wait_for_alerts(1)
    quarantine = workspace.root / "quarantine"
    workspace.wait_until(lambda: (quarantine / "empty.txt.error.txt").exists())
    reason = (quarantine / "broken.json.error.txt").read_text("utf-8")
    assert "broken.json" in reason and "line 1" in reason
    assert (quarantine / "broken.json").exists()
    assert "quarantined" in workspace.log()
    assert workspace.stop() == 0


def test_temporary_and_hidden_names_are_ignored(workspace: Workspace) -> None:
    workspace.start()
    for name in (".hidden.txt", "draft.tmp", "upload.part", "notes.txt~"):
        (workspace.inbox / name).write_bytes(SEED.read_bytes())
    time.sleep(1.0)
    assert workspace.alert_records() == []
    for name in (".hidden.txt", "draft.tmp", "upload.part", "notes.txt~"):
        assert (workspace.inbox / name).exists()
    os.rename(workspace.inbox / "upload.part", workspace.inbox / "upload.txt")
    workspace.wait_for_alerts(1)
    assert workspace.stop() == 0


def test_after_delete_removes_the_file(workspace: Workspace) -> None:
    workspace.write_config(after="delete")
    workspace.start()
    _drop_by_rename(workspace, "seed.txt", SEED.read_bytes())
    workspace.wait_for_alerts(1)
    workspace.wait_until(lambda: not (workspace.inbox / "seed.txt").exists())
    assert not (workspace.root / "archive").exists()
    assert workspace.stop() == 0


def test_after_keep_leaves_file_and_restart_does_not_alert_again(workspace: Workspace) -> None:
    workspace.write_config(after="keep", rescan=0.5)
    workspace.start()
    _drop_by_rename(workspace, "seed.txt", SEED.read_bytes())
    workspace.wait_for_alerts(1)
    time.sleep(1.5)  # several rescans see the kept file
    assert (workspace.inbox / "seed.txt").exists()
    assert workspace.stop() == 0
    workspace.start()
    time.sleep(1.0)
    assert len(workspace.alert_records()) == 1
    assert workspace.stop() == 0


def test_sighup_reloads_rules_and_refuses_a_broken_change(workspace: Workspace) -> None:
    workspace.start()
    (workspace.rules / "eu.yaml").write_text(
        "id: eu-gas\nentities: [European Union]\nkeywords:\n  any: [gas]\n", encoding="utf-8"
    )
    assert workspace.proc is not None
    workspace.proc.send_signal(signal.SIGHUP)
    workspace.wait_for_log("reloaded 2 rules")
    _drop_by_rename(workspace, "eu.txt", b"EU agrees gas price cap\n\nThe European Union ...")
    assert workspace.wait_for_alerts(1)[0]["rule"] == "eu-gas"

    (workspace.rules / "bad.yaml").write_text("id: bad\nentities: [Atlantis]\n", "utf-8")
    workspace.proc.send_signal(signal.SIGHUP)
    workspace.wait_for_log("reload refused")
    assert "bad.yaml:2: unknown entity `Atlantis`" in workspace.log()
    _drop_by_rename(workspace, "seed.txt", SEED.read_bytes())
    records = workspace.wait_for_alerts(2)
    assert {r["rule"] for r in records} == {"eu-gas", "nato-south-korea"}
    assert workspace.stop() == 0


def test_sigint_also_exits_zero(workspace: Workspace) -> None:
    workspace.start()
    assert workspace.stop(signal.SIGINT) == 0


def test_bad_config_is_a_fatal_error_naming_the_line(workspace: Workspace) -> None:
    workspace.write_config(extra='[channels.log2]\ntype = "file"\npaht = "x"\n')
    result = workspace.monitor("run", "--config", str(workspace.config))
    assert result.returncode != 0
    assert f"{workspace.config}:19: unknown key `channels.log2.paht`" in result.stderr


def test_json_log_format_has_one_object_per_article(workspace: Workspace) -> None:
    workspace.start("--log-format", "json")
    _drop_by_rename(workspace, "seed.txt", SEED.read_bytes())
    workspace.wait_for_alerts(1)
    workspace.wait_for_log('"rules": ["nato-south-korea"]')
    assert workspace.stop() == 0
    import json

    lines = [json.loads(line) for line in workspace.log().splitlines() if line.startswith("{")]
    processed = [rec for rec in lines if rec.get("file", "").endswith("seed.txt")]
    assert processed and processed[0]["article_id"] and processed[0]["ms"] >= 0


def test_symlink_into_the_inbox_is_never_followed(workspace: Workspace) -> None:
    workspace.start()
    outside = workspace.root / "outside.txt"
    outside.write_bytes(SEED.read_bytes())
    link = workspace.root / "link.txt"
    link.symlink_to(outside)
    os.rename(link, workspace.inbox / "link.txt")
    workspace.wait_for_log("symbolic link (never followed)")
    time.sleep(0.3)
    assert workspace.alert_records() == []
    assert outside.exists()
    assert workspace.stop() == 0


def test_saved_rule_file_is_reloaded_without_a_signal(workspace: Workspace) -> None:
    workspace.start()
    tmp = workspace.rules / ".eu.yaml.swp"
    tmp.write_text("id: eu-gas\nentities: [EU]\nkeywords:\n  any: [gas]\n", encoding="utf-8")
    os.rename(tmp, workspace.rules / "eu.yaml")
    workspace.wait_for_log("reloaded 2 rules")
    _drop_by_rename(workspace, "eu.txt", b"EU agrees gas price cap\n\nThe European Union ...")
    assert workspace.wait_for_alerts(1)[0]["rule"] == "eu-gas"
    (workspace.rules / "eu.yaml").write_text("id: eu-gas\nentities: [EU\n", encoding="utf-8")
    workspace.wait_for_log("reload refused")
    assert "eu.yaml:2: invalid YAML" in workspace.log()
    assert workspace.stop() == 0


def test_sighup_reloads_the_config_too(workspace: Workspace) -> None:
    workspace.start()
    assert workspace.proc is not None
    second = workspace.root / "second.jsonl"
    workspace.write_config(extra=f'[channels.second]\ntype = "file"\npath = "{second}"\n')
    text = workspace.config.read_text("utf-8").replace('path = "inbox"', 'path = "inbox2"')
    workspace.config.write_text(text, "utf-8")
    workspace.proc.send_signal(signal.SIGHUP)
    workspace.wait_for_log("reloaded 1 rules")
    new_inbox = workspace.root / "inbox2"
    workspace.wait_until(new_inbox.is_dir)
    tmp = new_inbox / ".seed.tmp"
    tmp.write_bytes(SEED.read_bytes())
    os.rename(tmp, new_inbox / "seed.txt")
    workspace.wait_for_alerts(1)
    workspace.wait_until(second.exists)
    assert '"channel": "second"' in second.read_text("utf-8")

    workspace.config.write_text(text + "\n[inbox2]\n", "utf-8")  # an unknown table
    workspace.proc.send_signal(signal.SIGHUP)
    workspace.wait_for_log("reload refused: keeping the config")
    assert "unknown key `inbox2`" in workspace.log()
    assert workspace.stop() == 0


def test_alerts_for_a_removed_channel_are_kept_and_reported(workspace: Workspace) -> None:
    workspace.write_config(extra='[channels.gone]\ntype = "file"\npath = "/proc/nope/x"\n')
    workspace.start()
    _drop_by_rename(workspace, "seed.txt", SEED.read_bytes())
    workspace.wait_for_alerts(1)
    workspace.wait_for_log("retrying in")  # /proc/nope cannot be written
    assert workspace.stop() == 0
    workspace.write_config()
    workspace.start()
    workspace.wait_for_log("alerts are waiting for channel `gone`")
    assert workspace.stop() == 0
    assert "gone:" in workspace.monitor("outbox").stdout
