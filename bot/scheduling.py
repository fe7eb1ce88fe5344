"""Choosing fair meeting slots for people from Mexico City to Beijing.

No hour suits everyone, so each attendee pays a cost for a slot: nothing
between 08:00 and 20:00 in their zone, a cost rising with the square of the
distance from that band before 08:00 and after 20:00, and a prohibitive one
from 23:00 to 06:00 or on their weekend (their country's: `WEEKENDS`). Slots are
ranked by the worst-off attendee's cost first, then by the total, then by time:
the person who would be up at 22:00 matters more than three who would be mildly
early.

The search works on a 15-minute grid: one cost per quarter of an hour for each
zone present (not each attendee), a sliding maximum over the meeting's
quarters, and masks for the window, session days and existing meetings, all as
numpy arrays; `bench/bench_scheduling.py` measures it against scoring every
slot in plain Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

STEP = dt.timedelta(minutes=15)
STEP_MINUTES = 15
QUARTERS_A_DAY = 96
COMFORT = (8 * 60, 20 * 60)  # local minutes of day with no cost
NIGHT = (23 * 60, 6 * 60)  # from 23:00 to 06:00: prohibitive
PROHIBITIVE = 1000.0
STEEPNESS = 10.0  # cost of a quarter one hour outside the comfortable band
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Weekend days (Monday = 0) by the zone of a country whose weekend is not Saturday
# and Sunday: Friday and Saturday across much of the Arab world, Israel and
# Bangladesh; Thursday and Friday in Iran, whose government offices work Saturday
# to Wednesday. Delegates are government officials: their offices' week counts.
SATURDAY_SUNDAY = (5, 6)
FRIDAY_SATURDAY = (4, 5)
WEEKENDS: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(
        (
            "Asia/Riyadh",
            "Asia/Kuwait",
            "Asia/Qatar",
            "Asia/Bahrain",
            "Asia/Baghdad",
            "Asia/Amman",
            "Asia/Muscat",
            "Asia/Aden",
            "Asia/Damascus",
            "Asia/Jerusalem",
            "Asia/Dhaka",
            "Africa/Cairo",
            "Africa/Algiers",
            "Africa/Tripoli",
            "Africa/Khartoum",
            "Indian/Maldives",
        ),
        FRIDAY_SATURDAY,
    ),
    "Asia/Tehran": (3, 4),
}
# Older IANA names of the same zones, which /timezone accepts ("Iran"): looked up as
# they were, a member in "Iran" was offered Thursday and Friday and kept from Saturday.
_ZONE_ALIASES = {
    "Iran": "Asia/Tehran",
    "Egypt": "Africa/Cairo",
    "Libya": "Africa/Tripoli",
    "Israel": "Asia/Jerusalem",
    "Asia/Tel_Aviv": "Asia/Jerusalem",
    "Asia/Dacca": "Asia/Dhaka",
}


def weekend(zone: ZoneInfo) -> tuple[int, ...]:
    """The weekdays (Monday = 0) that are the weekend where the zone is."""
    return WEEKENDS.get(_ZONE_ALIASES.get(zone.key, zone.key), SATURDAY_SUNDAY)


def quarter_cost(minute_of_day: int) -> float:
    """Cost of spending the quarter of an hour starting at this local minute in a meeting."""
    start, end = minute_of_day, minute_of_day + STEP_MINUTES
    if start >= NIGHT[0] or start < NIGHT[1]:
        return PROHIBITIVE
    if COMFORT[0] <= start and end <= COMFORT[1]:
        return 0.0
    hours = (COMFORT[0] - start) / 60 if start < COMFORT[0] else (end - COMFORT[1]) / 60
    return STEEPNESS * hours * hours


def unsocial(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> str | None:
    """Why a meeting from `start` to `end` is no time for someone in `zone`, as the slot
    finder would never propose it: "on their weekend", "at night" (a quarter of it
    between 23:00 and 06:00 there); None when it is a time they can be asked to keep."""
    moment = start
    while moment < end:
        local = moment.astimezone(zone)
        if local.weekday() in weekend(zone):
            return "on their weekend"
        if quarter_cost(local.hour * 60 + local.minute) >= PROHIBITIVE:
            return "at night"
        moment += STEP
    return None


QUARTER_COSTS = np.array([quarter_cost(q * STEP_MINUTES) for q in range(QUARTERS_A_DAY)])


@dataclass(frozen=True)
class Invitee:
    """Who the finder is fair to: a name, a zone, and the times they are already busy."""

    name: str
    zone: ZoneInfo
    busy: tuple[tuple[dt.datetime, dt.datetime], ...] = ()


@dataclass(frozen=True)
class Slot:
    start: dt.datetime  # UTC
    end: dt.datetime
    worst: float  # the worst-off attendee's cost
    total: float


def _grid(spans: Sequence[tuple[dt.datetime, dt.datetime]]) -> tuple[int, int]:
    """First quarter (minutes since the epoch, on the 15-minute grid) and quarter count."""
    first = min(start for start, _ in spans)
    last = max(end for _, end in spans)
    first_minute = -(-int((first - _EPOCH).total_seconds()) // 60 // STEP_MINUTES) * STEP_MINUTES
    last_minute = int((last - _EPOCH).total_seconds()) // 60
    return first_minute, max(0, (last_minute - first_minute) // STEP_MINUTES)


def _mask(
    first_minute: int, count: int, intervals: Iterable[tuple[dt.datetime, dt.datetime]]
) -> np.ndarray:
    """True for every quarter overlapping one of the intervals."""
    mask = np.zeros(count, dtype=bool)
    for start, end in intervals:
        a = int((start - _EPOCH).total_seconds()) // 60 - first_minute
        b = -(-int((end - _EPOCH).total_seconds()) // 60) - first_minute
        lo, hi = max(0, a // STEP_MINUTES), min(count, -(-b // STEP_MINUTES))
        if lo < hi:
            mask[lo:hi] = True
    return mask


def _offsets(zone: ZoneInfo, first_minute: int, count: int) -> np.ndarray:
    """The zone's UTC offset in minutes for every quarter, checked once a day (and
    quarter by quarter only on the days the offset changes)."""
    minutes = first_minute + STEP_MINUTES * np.arange(count)
    day_starts = list(range(first_minute, first_minute + STEP_MINUTES * count + 1440, 1440))
    day_offsets = [_offset_at(zone, minute) for minute in day_starts]
    result = np.empty(count, dtype=np.int64)
    for day, offset in enumerate(day_offsets[:-1]):
        lo = day * QUARTERS_A_DAY
        hi = min(count, lo + QUARTERS_A_DAY)
        if lo >= count:
            break
        if offset == day_offsets[day + 1]:
            result[lo:hi] = offset
        else:
            result[lo:hi] = [_offset_at(zone, int(m)) for m in minutes[lo:hi]]
    return result


def _offset_at(zone: ZoneInfo, minute: int) -> int:
    moment = _EPOCH + dt.timedelta(minutes=minute)
    offset = moment.astimezone(zone).utcoffset() or dt.timedelta()
    return int(offset.total_seconds()) // 60


def _zone_costs(zone: ZoneInfo, first_minute: int, count: int) -> np.ndarray:
    """Cost of each quarter for someone in this zone (weekend quarters prohibitive)."""
    local = first_minute + STEP_MINUTES * np.arange(count) + _offsets(zone, first_minute, count)
    costs = QUARTER_COSTS[(local // STEP_MINUTES) % QUARTERS_A_DAY].copy()
    weekday = (local // 1440 + 3) % 7  # 1 January 1970 was a Thursday (Monday = 0)
    costs[np.isin(weekday, weekend(zone))] = PROHIBITIVE * 10
    return costs


def _sliding(values: np.ndarray, size: int, reduce: np.ufunc) -> np.ndarray:
    """`reduce` over every run of `size` consecutive items (last axis)."""
    length = values.shape[-1] - size + 1
    if length <= 0:
        return values[..., :0]
    out = values[..., :length].copy()
    for shift in range(1, size):
        reduce(out, values[..., shift : shift + length], out=out)
    return out


def rank_slots(
    invitees: Sequence[Invitee],
    spans: Sequence[tuple[dt.datetime, dt.datetime]],
    duration: dt.timedelta,
) -> list[Slot]:
    """Every acceptable slot in the window, best first (fewest costs for the worst-off)."""
    if not spans or not invitees:
        return []
    first_minute, count = _grid(spans)
    size = max(1, -(-int(duration.total_seconds()) // 60 // STEP_MINUTES))
    if count < size:
        return []
    zones: dict[str, tuple[ZoneInfo, int]] = {}
    for person in invitees:
        zone, seen = zones.get(person.zone.key, (person.zone, 0))
        zones[person.zone.key] = (zone, seen + 1)
    per_zone = np.stack([_zone_costs(zone, first_minute, count) for zone, _ in zones.values()])
    weights = np.array([seen for _, seen in zones.values()], dtype=float)
    slot_costs = _sliding(per_zone, size, np.maximum)
    worst = slot_costs.max(axis=0)
    total = weights @ slot_costs
    outside = ~_mask(first_minute, count, spans)
    blocked = outside | _mask(first_minute, count, (b for p in invitees for b in p.busy))
    free = ~_sliding(blocked, size, np.logical_or)
    good = np.flatnonzero(free & (worst < PROHIBITIVE))
    order = good[np.lexsort((good, total[good], worst[good]))]
    return [
        Slot(
            start=_EPOCH + dt.timedelta(minutes=first_minute + STEP_MINUTES * int(i)),
            end=_EPOCH + dt.timedelta(minutes=first_minute + STEP_MINUTES * int(i)) + duration,
            worst=float(worst[i]),
            total=float(total[i]),
        )
        for i in order
    ]


def choose(ranked: Iterable[Slot], zone: ZoneInfo, limit: int = 3) -> list[Slot]:
    """Up to `limit` proposals from a ranking: on different days where possible, never
    overlapping, so the chair sees real alternatives rather than one slot moved by 15 minutes.
    """
    ranked = list(ranked)
    picked: list[Slot] = []
    for distinct_days in (True, False):
        for slot in ranked:
            if len(picked) == limit:
                return sorted(picked, key=lambda s: (s.worst, s.total, s.start))
            if any(slot.start < other.end and other.start < slot.end for other in picked):
                continue
            day = slot.start.astimezone(zone).date()
            if distinct_days and any(
                other.start.astimezone(zone).date() == day for other in picked
            ):
                continue
            picked.append(slot)
    return sorted(picked, key=lambda s: (s.worst, s.total, s.start))


def propose(
    invitees: Sequence[Invitee],
    spans: Sequence[tuple[dt.datetime, dt.datetime]],
    duration: dt.timedelta,
    zone: ZoneInfo,
    limit: int = 3,
) -> list[Slot]:
    return choose(rank_slots(invitees, spans, duration), zone, limit)
