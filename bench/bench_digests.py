"""Composing the group digest and 1,000 personal digests over 10,000 open actions
and 500 meetings, against the same queries without composing or rendering.

The figure is one digest pass's work; the target is under 2 seconds for all,
and the render at most 3 times the queries.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from bot.app import open_services
from bot.clock import FixedClock
from bot.config import Settings
from bot.digest_compose import (
    Links,
    Snapshot,
    compose_group,
    compose_personal,
    render_html,
    render_text,
)
from bot.services import Services
from storage import actions, meetings, people
from storage.actions import NewAction, Owner
from storage.meetings import Attendee

NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
PEOPLE = 1_000
ACTIONS = 10_000
MEETINGS = 500
ZONES = ["Europe/Zurich", "America/New_York", "Asia/Tokyo", "Africa/Nairobi", "America/Bogota"]


async def _fill(services: Services) -> list[int]:
    rng = random.Random(8)
    async with services.db.transaction() as conn:
        ids = [
            (
                await people.create(
                    conn, f"Member {n}", email=f"m{n}@example.org", timezone=rng.choice(ZONES)
                )
            ).id
            for n in range(PEOPLE)
        ]
        new = []
        for n in range(ACTIONS):
            owner = rng.choice(ids)
            due = NOW.date() + dt.timedelta(days=rng.randint(-30, 60)) if n % 3 else None
            new.append(
                NewAction(
                    text=f"review contribution {n} on the mapping tables",
                    owners=[Owner(label=f"Member {owner}", person_id=owner)],
                    due_date=due,
                    meeting_id=None,
                    platform="console",
                    channel="console:main",
                    message_key=None,
                    created_by=owner,
                    created_at=NOW,
                )
            )
        await actions.add(conn, new)
        for n in range(MEETINGS):
            start = NOW + dt.timedelta(hours=rng.randint(1, 24 * 28))
            await meetings.create(
                conn,
                uid=f"bench-{n}@example.org",
                title=f"Coordination call {n}",
                start=start,
                end=start + dt.timedelta(hours=1),
                organizer_id=None,
                organizer_name="Chair",
                channel="console:main",
                attendees=[Attendee(person_id=p, name=f"Member {p}") for p in rng.sample(ids, 4)],
                created_by="bench",
                now=NOW,
            )
    return ids


async def _queries(services: Services) -> Snapshot:
    async with services.db.read() as conn:
        return await Snapshot.load(conn, NOW, NOW - dt.timedelta(days=7))


async def _all(services: Services, links: Links) -> int:
    snap = await _queries(services)
    size = 0
    group = compose_group(snap, links)
    assert group is not None
    size += len(render_text(group)) + len(render_html(group))
    for person in list(snap.people.values())[:PEOPLE]:
        digest = compose_personal(snap, person, links)
        if digest is not None:
            size += len(render_text(digest)) + len(render_html(digest))
    return size


async def _run() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(ISCG_DB_PATH=Path(tmp) / "bench.sqlite3", PORT=0)
        services = await open_services(settings, FixedClock(NOW))
        try:
            await _fill(services)
            links = Links("http://localhost:8080")
            await _all(services, links)  # warm the template cache
            started = time.perf_counter()
            await _queries(services)
            queries = time.perf_counter() - started
            started = time.perf_counter()
            await _all(services, links)
            total = time.perf_counter() - started
        finally:
            await services.db.close()
    params = {"actions": ACTIONS, "meetings": MEETINGS, "personal_digests": PEOPLE}
    return [
        {
            "name": "digests: group + 1,000 personal, composed and rendered",
            "value": round(total, 3),
            "unit": "s",
            "params": params,
            "baseline": "the same queries without composing or rendering",
            "baseline_value": round(queries, 3),
            "ratio": round(total / queries, 2),
        }
    ]


def main() -> list[dict[str, object]]:
    return asyncio.run(_run())


if __name__ == "__main__":
    for figure in main():
        print(figure)
