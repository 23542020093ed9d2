"""When a channel sends: its digest schedule and quiet hours, as pure functions of the time.

A channel with `digest` or `quiet_hours`/`quiet_days` does not send an alert at once: the
pipeline queues it `held` with the epoch time `release_at(now, urgent)` returns, and the
dispatcher turns every held alert whose time has come into one digest message. Everything
here is computed from the config and a timestamp, with no I/O, so it is tested on its own
across DST changes and midnights.

Choices, documented in the README:

* `every N` periods are aligned to the Unix epoch, not to the daemon's start: `every 30m`
  fires at :00 and :30 UTC (in every time zone), `every 1d` at midnight UTC. A restart
  therefore never moves a period, and every held alert of one period shares one release
  time (which is what groups them into one digest).
* `hourly`, `daily HH:MM`, `weekdays HH:MM` and 5-field cron specs are wall-clock times in
  the channel's `timezone`, computed by APScheduler's `CronTrigger` (which handles DST): a
  time skipped by the spring change fires an hour later on the wall clock (02:30 becomes
  03:30), a time that occurs twice in autumn fires twice. In a cron spec the day-of-week
  field is read as classic cron reads it (0 and 7 are Sunday; APScheduler 3's own
  `from_crontab` would take 0 for Monday), and when both day-of-month and day-of-week are
  restricted, both must match.
* A release time that falls in quiet hours (or on a quiet day) moves to the end of the quiet
  period; without a digest, an alert that comes in during one is released at its end.
* An urgent alert is never held.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from monitor.durations import parse_duration

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""`quiet_days` names, in `date.weekday()` order."""

_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # classic cron: 0 = Sunday
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
_MAX_STEPS = 32
"""Most quiet periods one release time is pushed through (a quiet day, then quiet hours...)."""

SPEC_EXAMPLES = (
    '"every 30m", "hourly", "daily 08:00", "weekdays 08:00" or a cron spec "0 8 * * 1-5"'
)


# -- parsing: each raises ValueError with the fix -----------------------------------------------


def parse_timezone(name: str) -> ZoneInfo:
    """The IANA time zone `name` (`Europe/Berlin`), or ValueError naming an example."""
    try:
        if not name or name != name.strip() or ".." in name or name.startswith("/"):
            raise ValueError
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f'{name!r} is not a known time zone: give an IANA name such as "UTC", '
            '"Europe/Berlin" or "America/New_York"'
        ) from None


def parse_clock(text: str) -> time:
    """`HH:MM` (24-hour) as a time, or ValueError."""
    m = _CLOCK.fullmatch(text.strip())
    if m is None:
        raise ValueError(f'{text!r} is not a time of day: write HH:MM (24-hour), e.g. "08:00"')
    return time(int(m.group(1)), int(m.group(2)))


def parse_quiet_hours(text: str) -> tuple[time, time]:
    """`22:00-07:00` as (start, end); the period may cross midnight; start != end."""
    parts = text.split("-")
    if len(parts) != 2:
        raise ValueError(
            f'{text!r} is not a period: write START-END in 24-hour time, e.g. "22:00-07:00"'
        )
    start, end = parse_clock(parts[0]), parse_clock(parts[1])
    if start == end:
        raise ValueError(
            f"{text!r} starts and ends at the same time: give two different times "
            '(e.g. "22:00-07:00"), or use quiet_days for whole days'
        )
    return start, end


def parse_quiet_days(days: Iterable[str]) -> frozenset[int]:
    """Day names (`mon`..`sun`, any case) as weekday numbers (Monday 0)."""
    found: set[int] = set()
    for day in days:
        key = day.strip().lower()[:3]
        if key not in DAYS or day.strip().lower() not in (key, _long(key)):
            raise ValueError(f"{day!r} is not a day: use {', '.join(DAYS)}")
        found.add(DAYS.index(key))
    if len(found) == 7:
        raise ValueError(
            "every day is quiet, so nothing would ever be sent: leave some days out "
            "(mark urgent rules with `urgent: true` to bypass quiet hours)"
        )
    return frozenset(found)


def _long(key: str) -> str:
    return {
        "mon": "monday",
        "tue": "tuesday",
        "wed": "wednesday",
        "thu": "thursday",
        "fri": "friday",
        "sat": "saturday",
        "sun": "sunday",
    }[key]


@dataclass(frozen=True)
class Every:
    """`every N`: periods of `seconds`, aligned to the epoch."""

    seconds: float

    def next_after(self, now: float) -> float:
        step = self.seconds
        return (math.floor(now / step) + 1) * step


@dataclass(frozen=True)
class Cron:
    """A wall-clock schedule in a time zone (`hourly`, `daily`, `weekdays`, cron)."""

    trigger: CronTrigger

    def next_after(self, now: float) -> float:
        # Fire times are whole seconds; asking from the next second makes "after" strict.
        start = datetime.fromtimestamp(math.floor(now) + 1, self.trigger.timezone)
        fire = self.trigger.get_next_fire_time(None, start)
        if fire is None:  # a spec that can never fire (31 February): checked at load time
            raise ValueError("the digest schedule never fires")
        return float(fire.timestamp())


Period = Every | Cron


def parse_digest(spec: str, zone: tzinfo) -> Period:
    """A `digest` spec as a period; ValueError with examples for anything else."""
    text = " ".join(spec.split())
    lower = text.lower()
    if lower.startswith("every "):
        try:
            return Every(parse_duration(text[6:], minimum=1.0))
        except ValueError as exc:
            raise ValueError(f"{spec!r}: {exc}") from None
    if lower == "hourly":
        return Cron(CronTrigger(minute=0, second=0, timezone=zone))
    for word, days in (("daily", "*"), ("weekdays", "mon-fri")):
        if lower.startswith(word + " "):
            at = parse_clock(text[len(word) + 1 :])
            return Cron(
                CronTrigger(
                    day_of_week=days, hour=at.hour, minute=at.minute, second=0, timezone=zone
                )
            )
    fields = text.split(" ")
    if len(fields) == 5:
        return _cron(spec, fields, zone)
    raise ValueError(f"{spec!r} is not a digest schedule: use {SPEC_EXAMPLES}")


def _cron(spec: str, fields: list[str], zone: tzinfo) -> Cron:
    minute, hour, day, month, weekday = fields
    try:
        trigger = CronTrigger(
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=_cron_weekdays(weekday),
            second=0,
            timezone=zone,
        )
        # A spec that matches no date (31 2) would never send the held alerts.
        if trigger.get_next_fire_time(None, datetime(2000, 1, 1, tzinfo=zone)) is None:
            raise ValueError("it matches no date")
    except ValueError as exc:
        raise ValueError(
            f"{spec!r} is not a valid cron spec ({exc}): five fields, minute hour day "
            'month weekday, e.g. "0 8 * * 1-5" (08:00 on weekdays)'
        ) from None
    return Cron(trigger)


def _cron_weekdays(field: str) -> str:
    """A classic cron day-of-week field as APScheduler day names (`1-5` -> `mon,...,fri`).

    APScheduler 3 numbers days from Monday = 0, cron from Sunday = 0 (and 7), so numbers are
    expanded here into an explicit list of names, which both read the same way.
    """
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.lower().split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise ValueError(f"bad step in weekday {part!r}")
        if body == "*":
            first, last = 0, 6
        else:
            low, _, high = body.partition("-")
            first = _cron_day(low)
            last = _cron_day(high) if high else (6 if step else first)
            if high == "7":
                last = 7
        if first > last:
            raise ValueError(f"weekday range {part!r} runs backwards")
        days |= {d % 7 for d in range(first, last + 1, step or 1)}
    return ",".join(_CRON_DAYS[d] for d in sorted(days))


def _cron_day(text: str) -> int:
    if text.isdigit() and int(text) <= 7:
        return int(text)
    if text[:3] in _CRON_DAYS and len(text) == 3:
        return _CRON_DAYS.index(text)
    raise ValueError(f"{text!r} is no weekday (0-7 or sun..sat)")


# -- the schedule ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """A channel's digest period and quiet time, in its time zone."""

    zone: tzinfo
    period: Period | None = None
    quiet_hours: tuple[time, time] | None = None
    quiet_days: frozenset[int] = frozenset()

    def release_at(self, now: float, urgent: bool = False) -> float | None:
        """When an alert that comes in at `now` is sent: None for at once, else an epoch time.

        With a digest: its next fire time after `now`, moved to the end of the quiet period
        it falls in. Without one: the end of the quiet period `now` is in, or None.
        """
        if urgent:
            return None
        if self.period is not None:
            fire = self.period.next_after(now)
            return self.quiet_end(fire) or fire
        return self.quiet_end(now)

    def quiet_end(self, at: float) -> float | None:
        """The first moment after the quiet period `at` is in, or None if `at` is not quiet.

        Quiet periods that touch (a quiet Sunday, then quiet hours until 07:00 Monday) are
        one: the result is the first moment that is in neither.
        """
        moved = at
        for _ in range(_MAX_STEPS):
            end = self._end_of_one(moved)
            if end is None:
                return None if moved == at else moved
            moved = end
        return moved  # parse_quiet_days refuses a week with no day to send on

    def _end_of_one(self, at: float) -> float | None:
        local = datetime.fromtimestamp(at, self.zone)
        today = local.date()
        if local.weekday() in self.quiet_days:
            return self._wall(today + timedelta(days=1), time(0, 0), at)
        if self.quiet_hours is None:
            return None
        start, end = self.quiet_hours
        clock = local.time().replace(tzinfo=None)
        if start < end:  # 01:00-06:00
            return self._wall(today, end, at) if start <= clock < end else None
        if clock < end:  # after midnight in a 22:00-07:00 period
            return self._wall(today, end, at)
        if clock >= start:  # before midnight
            return self._wall(today + timedelta(days=1), end, at)
        return None

    def _wall(self, day: date, clock: time, after: float) -> float:
        """The epoch time of a wall-clock time in the zone, at least a second after `after`.

        A wall time the spring change skips is read with the offset before it (02:30 is
        03:30 summer time); the floor keeps a zone's odd transition from looping.
        """
        stamp = datetime.combine(day, clock, self.zone).timestamp()
        return max(stamp, math.floor(after) + 1.0)


@functools.lru_cache(maxsize=256)
def schedule_of(
    digest: str | None,
    timezone: str = "UTC",
    quiet_hours: str | None = None,
    quiet_days: tuple[str, ...] = (),
) -> Schedule | None:
    """The schedule of a channel's settings, or None when it sends everything at once.

    Cached: the pipeline asks for every alert, and the settings are few and unchanging.
    """
    if digest is None and quiet_hours is None and not quiet_days:
        return None
    zone = parse_timezone(timezone)
    return Schedule(
        zone=zone,
        period=None if digest is None else parse_digest(digest, zone),
        quiet_hours=None if quiet_hours is None else parse_quiet_hours(quiet_hours),
        quiet_days=parse_quiet_days(quiet_days),
    )
