"""The slot finder and the calendar feed at ISCG-plus scale.

- search: 60 attendees in 25 zones, a four-week window at 15-minute steps,
  200 existing meetings; against `naive_rank` (every slot scored attendee by
  attendee in plain Python) in the same run. Targets: under 50 ms, 10x faster.
- feed: 5,000 meetings and 20 sessions as one .ics; against icalendar's own
  `add_missing_timezones()` way of adding the VTIMEZONE (the RDATE list Outlook
  misreads), so the figure shows what the compact zone costs.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from zoneinfo import ZoneInfo

import icalendar

from bench.naive_slots import naive_rank
from bot.ical import feed
from bot.scheduling import Invitee, rank_slots
from storage.meetings import Attendee, Meeting
from storage.sessions import Session

ZONES = [
    "America/Mexico_City",
    "America/New_York",
    "America/Sao_Paulo",
    "America/Bogota",
    "America/Los_Angeles",
    "Europe/Zurich",
    "Europe/London",
    "Europe/Paris",
    "Europe/Vilnius",
    "Europe/Moscow",
    "Europe/Istanbul",
    "Africa/Douala",
    "Africa/Nairobi",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Europe/Berlin",
    "Africa/Lagos",
]
START = dt.datetime(2027, 3, 1, 0, 0, tzinfo=dt.UTC)  # includes Europe's DST change
WEEKS = 4


def _people(rng: random.Random) -> list[Invitee]:
    window_end = START + dt.timedelta(weeks=WEEKS)
    busy: list[list[tuple[dt.datetime, dt.datetime]]] = [[] for _ in range(60)]
    for _ in range(200):
        start = START + dt.timedelta(minutes=15 * rng.randrange(0, 4 * 24 * 7 * WEEKS))
        end = min(window_end, start + dt.timedelta(minutes=rng.choice((30, 60, 90))))
        for person in rng.sample(range(60), 5):
            busy[person].append((start, end))
    # Mostly European and African zones, as in the ISCG; every one of the 25 present.
    zones = ZONES + [rng.choice(ZONES[5:16]) for _ in range(35)]
    return [Invitee(f"p{i}", ZoneInfo(zones[i]), tuple(busy[i])) for i in range(60)]


def _timed(call, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def _meetings(count: int) -> list[Meeting]:
    base = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)
    people = [Attendee(person_id=i, email=f"p{i}@example.org", name=f"P {i}") for i in range(8)]
    return [
        Meeting(
            id=i,
            code=f"m{i}",
            uid=f"u{i}@bench",
            title=f"Meeting {i}",
            start=base + dt.timedelta(hours=7 * i),
            end=base + dt.timedelta(hours=7 * i + 1),
            sequence=i % 3,
            status="cancelled" if i % 17 == 0 else "confirmed",
            organizer_id=1,
            organizer_name="Chair",
            channel="console:main",
            theme_id=None,
            agenda="1. Item\n2. AOB",
            join_url="https://meet.example.org/x",
            list_invited=False,
            cancel_reason=None,
            updated_at=base,
            attendees=people,
        )
        for i in range(count)
    ]


def _library_feed(meetings: list[Meeting]) -> str:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//bench//EN")
    cal.add("version", "2.0")
    zone = ZoneInfo("Europe/Zurich")
    for m in meetings:
        event = icalendar.Event()
        event.add("uid", m.uid)
        event.add("dtstamp", m.start)
        event.add("dtstart", m.start.astimezone(zone))
        event.add("dtend", m.end.astimezone(zone))
        event.add("summary", m.title)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def main() -> list[dict]:
    rng = random.Random(7)
    people = _people(rng)
    spans = [(START, START + dt.timedelta(weeks=WEEKS))]
    hour = dt.timedelta(hours=1)
    fast = rank_slots(people, spans, hour)
    began = time.perf_counter()
    slow = naive_rank(people, spans, hour)
    naive_seconds = time.perf_counter() - began
    assert fast and [s.start for s in fast] == [s.start for s in slow], "rankings differ"
    fast_seconds = _timed(lambda: rank_slots(people, spans, hour), 15)
    params = {
        "attendees": 60,
        "zones": len({p.zone.key for p in people}),
        "weeks": WEEKS,
        "step_minutes": 15,
        "meetings": 200,
        "acceptable_slots": len(fast),
    }
    meetings = _meetings(5000)
    sessions = [
        Session(
            id=i,
            group="TSAG",
            first_day=dt.date(2026, 9, 1) + dt.timedelta(days=60 * i),
            last_day=dt.date(2026, 9, 5) + dt.timedelta(days=60 * i),
            source="bench",
        )
        for i in range(20)
    ]
    stamp = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    feed_seconds = _timed(
        lambda: feed(meetings, sessions, now=stamp, organizer_email="bot@example.org"), 3
    )
    library_seconds = _timed(lambda: _library_feed(meetings), 3)
    return [
        {
            "name": "slot search",
            "value": round(fast_seconds * 1000, 2),
            "unit": "ms",
            "params": params,
            "baseline": "naive plain-Python scoring of every slot",
            "baseline_value": round(naive_seconds * 1000, 1),
            "ratio": round(naive_seconds / fast_seconds, 1),
        },
        {
            "name": "calendar feed, 5000 meetings",
            "value": round(feed_seconds * 1000, 1),
            "unit": "ms",
            "params": {"meetings": 5000, "sessions": 20},
            "baseline": "icalendar events + add_missing_timezones(), no attendees or alarms",
            "baseline_value": round(library_seconds * 1000, 1),
            "ratio": round(library_seconds / feed_seconds, 2),
        },
    ]
