"""A few meetings around the test clock (Mon 23 Nov 2026), written through their storage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.services import Services
from storage import meetings, sessions
from storage.meetings import Attendee, Meeting


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@dataclass
class Agenda:
    long_ago: Meeting  # ended more than 90 days back: not in the feed
    recent: Meeting  # within the last 90 days
    next_call: Meeting  # upcoming, with attendees
    cancelled: Meeting  # upcoming, cancelled
    after_dst: Meeting  # the Monday after Europe moves to summer time


async def make_agenda(services: Services) -> Agenda:
    now = services.now()

    async def create(title: str, start: dt.datetime, **extra: object) -> Meeting:
        async with services.db.transaction() as conn:
            return await meetings.create(
                conn,
                uid=f"{title.lower().replace(' ', '-')}@test",
                title=title,
                start=start,
                end=start + dt.timedelta(hours=1),
                organizer_id=None,
                organizer_name="ISCG Chair",
                channel="console:main",
                created_by="email:chair@example.org",
                now=now,
                attendees=extra.pop("attendees", []),  # type: ignore[arg-type]
                **extra,  # type: ignore[arg-type]
            )

    long_ago = await create("Summer review", utc(2026, 7, 1, 12, 0))
    recent = await create("October check-in", utc(2026, 10, 1, 12, 0))
    next_call = await create(
        "Coordination call",
        utc(2027, 1, 19, 13, 0),
        agenda="1. Accessibility pilot\n2. AOB <b>",
        join_url="https://meet.example.org/iscg",
        attendees=[
            Attendee(name="Ana Ruiz", email="ana@example.org"),
            Attendee(name="Bo Chen", email="bo@example.org"),
            Attendee(name="Cy Nkemelu", email="cy@example.org"),
        ],
    )
    cancelled = await create("February call", utc(2027, 2, 10, 13, 0))
    after_dst = await create("Spring call", utc(2027, 3, 29, 13, 0))
    async with services.db.transaction() as conn:
        await sessions.add(
            conn,
            group="TSAG",
            first_day=dt.date(2027, 1, 18),
            last_day=dt.date(2027, 1, 22),
            place="Geneva",
            source="added by test",
            now=now,
        )
        await meetings.cancel(conn, cancelled.id, "clashes with TDAG", now)
        await meetings.set_partstat(conn, next_call.uid, "ana@example.org", "ACCEPTED", now)
        await meetings.set_partstat(conn, next_call.uid, "bo@example.org", "DECLINED", now)
        cancelled = await meetings.get(conn, cancelled.id)  # type: ignore[assignment]
    return Agenda(long_ago, recent, next_call, cancelled, after_dst)
