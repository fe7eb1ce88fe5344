"""Meeting lines through the registry with durable writes, and rendering big minutes.

Ingestion: 100 meetings running at once (one task per channel, each channel's
lines in order, as chat connectors deliver them), 100,000 lines of which about
one in ten is a `#` item, each acknowledged only once committed. Baseline: the
same rows inserted plainly in one transaction. Rendering: the minutes of a
5,000-line meeting in Markdown, HTML and plain text, against just reading its
lines from the database. Action items: `/action` outside a meeting with 5,000
people known, against the same with 50.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot import minutes as minutes_model
from bot import timeparse
from bot.app import open_services
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import Context
from bot.services import Services
from storage import minutes
from storage import people as stored_people
from storage.db import Database
from storage.minutes import NewLine

NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)  # a Monday, as in the tests
MEETINGS = 100
LINES = 100_000
SPEAKERS = 5
BIG = 5_000
MANY_PEOPLE = 5_000  # /action: owners are read against every person known
ACTIONS = 50
# About one line in ten is an item, as in MeetBot logs of working groups.
ITEMS = [
    ("#info the survey results are in for question {n}", 3),
    ("#action speaker{s} to review document {n}{due}", 2),
    ("#link https://www.itu.int/md/doc-{n}", 2),
    ("#idea a joint session on topic {n}", 1),
    ("#agreed proposal {n} goes to TSAG", 1),
    ("#topic agenda item {n}", 1),
]
PLAIN = 90
# Due phrases as people write them; a third of actions have none.
DUES = [
    "",
    "",
    "",
    " by Friday",
    " by 15 January",
    " due 2027-01-15",
    " by next Tuesday",
    " by 4 December",
    " by end of January",
    " by 30 November",
]


def _script(rng: random.Random, count: int) -> list[tuple[int, str]]:
    templates = [text for text, weight in ITEMS for _ in range(weight)]
    lines = []
    for n in range(count):
        speaker = rng.randrange(SPEAKERS)
        if rng.randrange(100) < PLAIN:
            text = f"I think point {n} needs more discussion with the Sector members ({speaker})"
        else:
            text = rng.choice(templates).format(n=n, s=speaker, due=rng.choice(DUES))
        lines.append((speaker, text))
    return lines


async def _speakers(services: Services, channel: str) -> list[Context]:
    found = []
    for s in range(SPEAKERS):
        ctx = await services.context_for(f"console:speaker{s}", f"speaker{s}", channel)
        found.append(ctx)
    # Speaker 0 chairs, so #topic and #agreed are recorded as items.
    await services.ask(found[0], "/meeting start Working group call")
    return found


def _messages(people: list[Context], script: list[tuple[int, str]]) -> list[tuple[Context, str]]:
    """Each line with the Context a connector makes for it (its own message id).

    Made before the clock starts: turning a platform event into a Context is
    the connector's work (bench_slack measures that path), not the registry's.
    """
    return [
        (dataclasses.replace(people[speaker], message_id=f"m{n}"), text)
        for n, (speaker, text) in enumerate(script)
    ]


async def _feed(services: Services, messages: list[tuple[Context, str]]) -> int:
    for ctx, text in messages:
        await services.dispatcher.handle(ctx, text, addressed=False)
    return len(messages)


async def _ingest(folder: Path) -> tuple[float, dict[str, int]]:
    settings = Settings(ISCG_DB_PATH=folder / "ingest.sqlite3", PORT=0)
    services = await open_services(settings, FixedClock(NOW))
    timeparse.warm_up()  # as `BotApp.run` does before the first message
    try:
        rng = random.Random(7)
        per = LINES // MEETINGS
        channels = [f"console:bench-{i}" for i in range(MEETINGS)]
        people = [await _speakers(services, channel) for channel in channels]
        feeds = [_messages(p, _script(rng, per)) for p in people]
        start = time.perf_counter()
        await asyncio.gather(*(_feed(services, messages) for messages in feeds))
        elapsed = time.perf_counter() - start
        async with services.db.read() as conn:
            row = await (await conn.execute("SELECT count(*) FROM meeting_lines")).fetchone()
            actions = await (await conn.execute("SELECT count(*) FROM actions")).fetchone()
        return elapsed, {"lines": int(row[0]), "actions": int(actions[0])}
    finally:
        await services.db.close()


async def _baseline(folder: Path) -> float:
    """The same number of rows, inserted plainly in one transaction."""
    db = await Database(folder / "baseline.sqlite3").open()
    try:
        await db.migrate()
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO people (id, name) VALUES (1, 'x')")
            await conn.execute(
                "INSERT INTO minuted_meetings (id, channel, title, series, started_by, started_at)"
                " VALUES (1, 'c', 't', 's', 1, '2026-11-23T08:00:00Z')"
            )
        rng = random.Random(7)
        rows = [
            NewLine(
                meeting_id=1,
                person_id=1,
                author=f"speaker{s}",
                at=NOW,
                kind="line",
                text=text,
                message_key=f"m{n}",
            )
            for n, (s, text) in enumerate(_script(rng, LINES))
        ]
        start = time.perf_counter()
        async with db.transaction() as conn:
            await minutes.add_lines(conn, rows)
        return time.perf_counter() - start
    finally:
        await db.close()


async def _render(folder: Path) -> tuple[float, float, int]:
    settings = Settings(ISCG_DB_PATH=folder / "render.sqlite3", PORT=0)
    services = await open_services(settings, FixedClock(NOW))
    try:
        people = await _speakers(services, "console:big")
        await _feed(services, _messages(people, _script(random.Random(11), BIG)))
        async with services.db.read() as conn:
            [meeting] = [m for m in await minutes.running(conn) if m.channel == "console:big"]
            renders, reads, size = [], [], 0
            for _ in range(5):
                start = time.perf_counter()
                await minutes.lines(conn, meeting.id)
                reads.append(time.perf_counter() - start)
                start = time.perf_counter()
                built = await minutes_model.build(conn, meeting, settings.zone)
                outputs = [
                    minutes_model.render_markdown(built),
                    minutes_model.render_html(built),
                    minutes_model.render_text(built),
                ]
                renders.append(time.perf_counter() - start)
                size = sum(len(text) for text in outputs)
        return statistics.median(renders), statistics.median(reads), size
    finally:
        await services.db.close()


async def _action_latency(folder: Path, known: int) -> float:
    """The median time of `/action` outside a meeting, with `known` people recorded:
    each reads its owners against every person (shared while nobody changes)."""
    settings = Settings(ISCG_DB_PATH=folder / f"action{known}.sqlite3", PORT=0)
    services = await open_services(settings, FixedClock(NOW))
    timeparse.warm_up()
    try:
        async with services.db.transaction() as conn:
            for n in range(known):
                await stored_people.ensure(conn, f"email:p{n}@example.org", f"Given{n} Family{n}")
        ctx = await services.context_for("console:speaker0", "speaker0", "console:actions")
        times = []
        for n in range(ACTIONS):
            said = dataclasses.replace(ctx, message_id=f"a{n}")
            text = f"/action Given{n} Family{n} to send item {n} by Friday"
            start = time.perf_counter()
            reply = await services.ask(said, text)
            times.append(time.perf_counter() - start)
            assert reply is not None and f"Owners: Given{n} Family{n};" in reply.text, reply
        return statistics.median(times)
    finally:
        await services.db.close()


async def _run() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        elapsed, counts = await _ingest(folder)
        baseline = await _baseline(folder)
        render, read, size = await _render(folder)
        action_few = await _action_latency(folder, ACTIONS)
        action_many = await _action_latency(folder, MANY_PEOPLE)
    rate, base_rate = LINES / elapsed, LINES / baseline
    return [
        {
            "name": "meeting lines ingested through the registry (durable, group commit)",
            "value": round(rate),
            "unit": "lines/s",
            "params": {"meetings": MEETINGS, "lines": LINES, **counts, "target": 20_000},
            "baseline": "the same rows as plain inserts in one transaction",
            "baseline_value": round(base_rate),
            "ratio": round(rate / base_rate, 3),
        },
        {
            "name": "minutes of a 5,000-line meeting built and rendered as Markdown, HTML, text",
            "value": round(render * 1000, 1),
            "unit": "ms",
            "params": {"lines": BIG, "characters": size, "target_ms": 200},
            "baseline": "reading the meeting's lines from the database",
            "baseline_value": round(read * 1000, 1),
            "ratio": round(render / read, 2),
        },
        {
            "name": "/action outside a meeting, 5,000 people known (median)",
            "value": round(action_many * 1000, 2),
            "unit": "ms",
            "params": {"people": MANY_PEOPLE, "actions": ACTIONS},
            "baseline": f"the same with {ACTIONS} people known",
            "baseline_value": round(action_few * 1000, 2),
            "ratio": round(action_many / action_few, 2),
        },
    ]


def main() -> list[dict[str, object]]:
    return asyncio.run(_run())
