"""Digest periods and quiet hours (`monitor.schedule`): when a held alert is released.

Times are written as wall-clock times in a zone and compared as such, so a DST mistake
shows as an hour off rather than as an opaque epoch number.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from monitor.schedule import Schedule, parse_digest, parse_quiet_days, schedule_of

BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str, zone: ZoneInfo | None = None) -> float:
    """`2026-03-28 12:00` in `zone` (default UTC) as an epoch time."""
    return datetime.fromisoformat(text).replace(tzinfo=zone or UTC).timestamp()


def wall(epoch: float | None, zone: ZoneInfo | None = None) -> str:
    assert epoch is not None
    return datetime.fromtimestamp(epoch, zone or UTC).strftime("%Y-%m-%d %H:%M:%S %Z")


def sched(
    digest: str | None = None,
    timezone: str = "UTC",
    quiet_hours: str | None = None,
    quiet_days: tuple[str, ...] = (),
) -> Schedule:
    found = schedule_of(digest, timezone, quiet_hours, quiet_days)
    assert found is not None
    return found


def test_no_settings_means_no_schedule() -> None:
    assert schedule_of(None) is None


def test_every_is_aligned_to_the_epoch() -> None:
    s = sched("every 30m")
    assert wall(s.release_at(at("2026-11-30 10:02:11"))) == "2026-11-30 10:30:00 UTC"
    # Strictly after: an alert at the very fire time goes into the next period.
    assert wall(s.release_at(at("2026-11-30 10:30:00"))) == "2026-11-30 11:00:00 UTC"
    s = sched("every 10s")
    assert s.release_at(at("2026-11-30 10:00:03")) == at("2026-11-30 10:00:10")


def test_every_ignores_the_time_zone() -> None:
    s = sched("every 1d", timezone="Europe/Berlin")
    assert wall(s.release_at(at("2026-11-30 10:00"))) == "2026-12-01 00:00:00 UTC"


def test_hourly_daily_and_weekdays() -> None:
    assert wall(sched("hourly").release_at(at("2026-11-30 10:59:59"))) == (
        "2026-11-30 11:00:00 UTC"
    )
    assert wall(sched("daily 08:00").release_at(at("2026-11-30 08:00:00"))) == (
        "2026-12-01 08:00:00 UTC"
    )
    # Friday evening -> Monday morning.
    friday = at("2026-11-27 18:00")
    assert wall(sched("weekdays 08:00").release_at(friday)) == "2026-11-30 08:00:00 UTC"


def test_cron_weekdays_are_read_as_cron_reads_them() -> None:
    # "1-5" is Monday to Friday in cron (APScheduler 3's own numbering would be Tue-Sat).
    saturday = at("2026-11-28 09:00")
    assert wall(sched("0 8 * * 1-5").release_at(saturday)) == "2026-11-30 08:00:00 UTC"
    # 0 and 7 are both Sunday.
    for spec in ("30 6 * * 0", "30 6 * * 7", "30 6 * * sun"):
        assert wall(sched(spec).release_at(saturday)) == "2026-11-29 06:30:00 UTC"
    assert wall(sched("*/15 * * * *").release_at(at("2026-11-30 10:01"))) == (
        "2026-11-30 10:15:00 UTC"
    )


def test_daily_in_berlin_across_the_spring_change() -> None:
    s = sched("daily 08:00", timezone="Europe/Berlin")
    # 29 March 2026: clocks go from 02:00 CET to 03:00 CEST; 08:00 stays 08:00 on the wall.
    saturday = at("2026-03-28 09:00", BERLIN)
    sunday = s.release_at(saturday)
    assert wall(sunday, BERLIN) == "2026-03-29 08:00:00 CEST"
    assert wall(sunday) == "2026-03-29 06:00:00 UTC"
    assert wall(s.release_at(at("2026-03-27 09:00", BERLIN))) == "2026-03-28 07:00:00 UTC"


def test_a_skipped_wall_time_fires_an_hour_later() -> None:
    s = sched("daily 02:30", timezone="Europe/Berlin")
    assert wall(s.release_at(at("2026-03-28 12:00", BERLIN)), BERLIN) == (
        "2026-03-29 03:30:00 CEST"
    )


def test_daily_in_berlin_across_the_autumn_change() -> None:
    s = sched("daily 08:00", timezone="Europe/Berlin")
    # 25 October 2026: back from CEST to CET.
    release = s.release_at(at("2026-10-24 09:00", BERLIN))
    assert wall(release, BERLIN) == "2026-10-25 08:00:00 CET"
    assert wall(release) == "2026-10-25 07:00:00 UTC"


def test_quiet_hours_cross_midnight() -> None:
    s = sched(quiet_hours="22:00-07:00")
    assert s.release_at(at("2026-11-30 21:59:59")) is None  # not quiet: send now
    assert wall(s.release_at(at("2026-11-30 22:00"))) == "2026-12-01 07:00:00 UTC"
    assert wall(s.release_at(at("2026-12-01 03:00"))) == "2026-12-01 07:00:00 UTC"
    assert s.release_at(at("2026-12-01 07:00")) is None


def test_quiet_hours_within_a_day() -> None:
    s = sched(quiet_hours="12:00-13:30")
    assert wall(s.release_at(at("2026-11-30 12:10"))) == "2026-11-30 13:30:00 UTC"
    assert s.release_at(at("2026-11-30 13:30")) is None


def test_quiet_hours_in_berlin_over_the_spring_change() -> None:
    s = sched(quiet_hours="22:00-07:00", timezone="Europe/Berlin")
    # The night of the change is an hour shorter; the end is still 07:00 on the wall.
    release = s.release_at(at("2026-03-28 23:00", BERLIN))
    assert wall(release, BERLIN) == "2026-03-29 07:00:00 CEST"
    assert release is not None and release - at("2026-03-28 23:00", BERLIN) == 7 * 3600


def test_quiet_days_alone_and_with_quiet_hours() -> None:
    weekend = sched(quiet_days=("sat", "sun"))
    assert wall(weekend.release_at(at("2026-11-28 15:00"))) == "2026-11-30 00:00:00 UTC"
    assert weekend.release_at(at("2026-11-30 15:00")) is None
    # Touching quiet times are one: Sunday, then the night until 07:00 Monday.
    both = sched(quiet_hours="22:00-07:00", quiet_days=("sun",))
    assert wall(both.release_at(at("2026-11-29 12:00"))) == "2026-11-30 07:00:00 UTC"
    assert wall(both.release_at(at("2026-11-28 23:00"))) == "2026-11-30 07:00:00 UTC"


def test_quiet_days_are_in_the_channel_zone() -> None:
    s = sched(quiet_days=("sat",), timezone="Europe/Berlin")
    # Friday 23:30 UTC is already Saturday 00:30 in Berlin.
    assert wall(s.release_at(at("2026-11-27 23:30")), BERLIN) == "2026-11-29 00:00:00 CET"


def test_a_digest_time_in_quiet_hours_moves_to_their_end() -> None:
    s = sched("hourly", quiet_hours="22:00-07:00")
    assert wall(s.release_at(at("2026-11-30 20:10"))) == "2026-11-30 21:00:00 UTC"
    night = [s.release_at(at(f"2026-11-30 {h}:10")) for h in (21, 22, 23)]
    assert {wall(r) for r in night} == {"2026-12-01 07:00:00 UTC"}  # one morning digest


def test_urgent_is_never_held() -> None:
    s = sched("daily 08:00", quiet_hours="00:00-23:59", quiet_days=("sun",))
    assert s.release_at(at("2026-11-29 12:00"), urgent=True) is None
    assert s.release_at(at("2026-11-29 12:00")) is not None


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("sometimes", "not a digest schedule"),
        ("every", "not a digest schedule"),
        ("every 0s", "too short"),
        ("every 0.5s", "too short"),
        ("every 30", "not a duration"),
        ("daily 25:00", "not a time of day"),
        ("weekdays 8", "not a time of day"),
        ("61 * * * *", "not a valid cron spec"),
        ("0 8 31 2 *", "not a valid cron spec"),
        ("0 8 * * 1-9", "not a valid cron spec"),
    ],
)
def test_bad_digest_specs_say_why(spec: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_digest(spec, UTC)


@pytest.mark.parametrize(
    ("timezone", "quiet_hours", "why"),
    [
        ("Mars/Olympus", None, "not a known time zone"),
        ("../etc/passwd", None, "not a known time zone"),
        ("Europe", None, "not a known time zone"),
        ("x" * 5000, None, "not a known time zone"),
        ("UTC", "22:00", "not a period"),
        ("UTC", "22:00-22:00", "same time"),
        ("UTC", "10pm-6am", "not a time of day"),
    ],
)
def test_bad_zones_and_periods_say_why(timezone: str, quiet_hours: str | None, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        schedule_of(None, timezone, quiet_hours or "01:00-02:00")


def test_bad_quiet_days() -> None:
    with pytest.raises(ValueError, match="not a day"):
        parse_quiet_days(["someday"])
    with pytest.raises(ValueError, match="every day is quiet"):
        parse_quiet_days(["mon", "tue", "wed", "thu", "fri", "sat", "Sunday"])
    assert parse_quiet_days(["Sat", "sunday"]) == {5, 6}
