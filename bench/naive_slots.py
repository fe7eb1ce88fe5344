"""The reference slot ranking: every slot scored attendee by attendee in plain Python.

It is what `bot.scheduling.rank_slots` must agree with (tests) and what it is
measured against (bench): same grid, same costs, same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.scheduling import PROHIBITIVE, STEP, Invitee, Slot, quarter_cost, weekend


def _inside(start: dt.datetime, end: dt.datetime, spans) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def naive_rank(
    invitees: Sequence[Invitee],
    spans: Sequence[tuple[dt.datetime, dt.datetime]],
    duration: dt.timedelta,
) -> list[Slot]:
    first = min(a for a, _ in spans)
    last = max(b for _, b in spans)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    steps = -(-(first - epoch) // STEP)
    start = epoch + steps * STEP
    quarters = -(-duration // STEP)
    found = []
    while start + duration <= last:
        pieces = [(start + i * STEP, start + (i + 1) * STEP) for i in range(quarters)]
        if all(_inside(a, b, spans) for a, b in pieces):
            costs = []
            busy = False
            for person in invitees:
                if any(a < q1 and q0 < b for a, b in person.busy for q0, q1 in pieces):
                    busy = True
                    break
                worst_here = 0.0
                for a, _ in pieces:
                    local = a.astimezone(person.zone)
                    cost = (
                        PROHIBITIVE * 10
                        if local.weekday() in weekend(person.zone)
                        else quarter_cost(local.hour * 60 + local.minute)
                    )
                    worst_here = max(worst_here, cost)
                costs.append(worst_here)
            if not busy and max(costs) < PROHIBITIVE:
                found.append(Slot(start, start + duration, max(costs), float(sum(costs))))
        start += STEP
    found.sort(key=lambda s: (s.worst, s.total, s.start))
    return found
