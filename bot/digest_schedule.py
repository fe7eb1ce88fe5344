"""When digests go out: `weekly mon 08:00` or `daily 08:00`, wall-clock time in a zone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SCHEDULE = re.compile(r"(daily|weekly\s+(mon|tue|wed|thu|fri|sat|sun)\w*)\s+(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class Schedule:
    """`weekly mon 08:00` or `daily 08:00`, in a zone."""

    weekday: int | None  # None: every day
    at: dt.time

    @classmethod
    def parse(cls, text: str) -> Schedule:
        match = _SCHEDULE.fullmatch(text.strip().lower())
        if match is None:
            raise ValueError(f"{text!r} is not a schedule like 'weekly mon 08:00' or 'daily 08:00'")
        hour, minute = int(match.group(3)), int(match.group(4))
        if hour > 23 or minute > 59:
            raise ValueError(f"{text!r}: no such time of day")
        weekday = _WEEKDAYS.index(match.group(2)) if match.group(2) else None
        return cls(weekday, dt.time(hour, minute))

    def describe(self) -> str:
        """`Mondays at 08:00` or `at 08:00` (every day), for people."""
        days = "" if self.weekday is None else f"{_DAY_NAMES[self.weekday]}s "
        return f"{days}at {self.at:%H:%M}"

    @property
    def interval(self) -> dt.timedelta:
        return dt.timedelta(days=1 if self.weekday is None else 7)

    def latest(self, now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
        """The last slot at or before now (wall-clock time in the zone, DST included)."""
        day = now.astimezone(zone).date()
        while True:
            slot = dt.datetime.combine(day, self.at, zone)
            if slot <= now and (self.weekday is None or day.weekday() == self.weekday):
                return slot.astimezone(dt.UTC)
            day -= dt.timedelta(days=1)
