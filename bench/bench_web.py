"""The web under load: the calendar feed and the directory search, against a constant.

The server runs in its own process (as in production, where it is the bot's
process) and a small aiohttp client loop on loopback sends a bounded number
of requests, a few at a time. Targets (issue 9): directory search p99 under
20 ms; the calendar feed p99 under 100 ms when the client holds its ETag.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.app import BotApp, open_services
from bot.clock import FixedClock
from bot.config import Settings
from bot.handlers.web import install_routes
from storage import meetings

NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
REQUESTS = 2000
CONCURRENCY = 8
TIME_LIMIT = 20.0  # seconds per target, whatever REQUESTS says
EVENTS = 5000
FULL_FEEDS = 100  # a 5,000-event feed is over a megabyte: fewer whole downloads
QUERIES = ["accesibility", "AI", "e-waste", "climate policy", "EMF", "quantum blockchain"]


def settings(db_path: Path) -> Settings:
    return Settings(_env_file=None, ISCG_DB_PATH=db_path, PORT=0)  # type: ignore[call-arg]


async def _constant(_request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def _serve(db_path: Path, ready: Any) -> None:
    services = await open_services(settings(db_path), FixedClock(NOW))
    app = BotApp(services)
    app.web.router.add_get("/constant", _constant)
    install_routes(app)
    runner = web.AppRunner(app.web, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    ready.put(runner.addresses[0][1])
    await asyncio.Event().wait()


def _server_process(db_path: str, ready: Any) -> None:
    asyncio.run(_serve(Path(db_path), ready))


async def load(
    session: aiohttp.ClientSession,
    url: Callable[[int], str],
    headers: dict[str, str],
    count: int = REQUESTS,
) -> dict[str, float]:
    """Send `count` requests, CONCURRENCY at a time; latency per request in ms."""
    latencies: list[float] = []
    statuses: set[int] = set()
    counter = iter(range(count))
    deadline = time.monotonic() + TIME_LIMIT

    async def worker() -> None:
        for index in counter:
            if time.monotonic() > deadline:
                return
            started = time.perf_counter()
            async with session.get(url(index), headers=headers) as response:
                await response.read()
                statuses.add(response.status)
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    if statuses - {200, 304}:
        raise RuntimeError(f"unexpected statuses {statuses}")
    return {
        "rps": len(latencies) / elapsed,
        "p99": statistics.quantiles(latencies, n=100)[98],
        "requests": len(latencies),
    }


def _figures(name: str, measured: dict[str, float], constant: dict[str, float], **params: Any):
    common = {"requests": int(measured["requests"]), "concurrency": CONCURRENCY, **params}
    return [
        {
            "name": f"{name}.{metric}",
            "value": round(measured[metric], 2),
            "unit": unit,
            "params": common,
            "baseline": "same server answering a constant",
            "baseline_value": round(constant[metric], 2),
            "ratio": round(measured[metric] / constant[metric], 3),
        }
        for metric, unit in (("p99", "ms"), ("rps", "requests/s"))
    ]


Prepare = Callable[[Path], Awaitable[None]]


async def _prepare_database(db_path: Path) -> None:
    """The seeded directory, and EVENTS meetings from 80 days back on, one in ten cancelled."""
    services = await open_services(settings(db_path), FixedClock(NOW))
    first = NOW - dt.timedelta(days=80)
    try:
        async with services.db.transaction() as conn:
            for number in range(EVENTS):
                start = first + dt.timedelta(hours=5 * number)
                meeting = await meetings.create(
                    conn,
                    uid=f"bench-{number}@iscg-bot",
                    title=f"ISCG coordination call {number}",
                    start=start,
                    end=start + dt.timedelta(hours=1),
                    organizer_id=None,
                    organizer_name="ISCG Chair",
                    channel="console:main",
                    attendees=[],
                    created_by="bench",
                    now=NOW,
                    agenda="1. Accessibility\n2. Climate change",
                )
                if number % 10 == 9:
                    await meetings.cancel(conn, meeting.id, "moved", NOW)
    finally:
        await services.db.close()


async def _measure(port: int) -> list[dict[str, Any]]:
    base = f"http://127.0.0.1:{port}"
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:
        await load(session, lambda i: f"{base}/themes?q={QUERIES[i % len(QUERIES)]}", {})  # warm
        constant = await load(session, lambda _i: f"{base}/constant", {})
        search = await load(session, lambda i: f"{base}/themes?q={QUERIES[i % len(QUERIES)]}", {})
        started = time.perf_counter()
        async with session.get(f"{base}/calendar.ics") as response:
            body = await response.read()
            etag = response.headers["ETag"]
        built = (time.perf_counter() - started) * 1000
        polled = await load(session, lambda _i: f"{base}/calendar.ics", {"If-None-Match": etag})
        whole = await load(session, lambda _i: f"{base}/calendar.ics", {}, FULL_FEEDS)
    feed = {"events": EVENTS, "feed_bytes": len(body)}
    return [
        *_figures("web.themes_search", search, constant, queries=QUERIES),
        *_figures("web.calendar_feed.etag_304", polled, constant, **feed),
        *_figures("web.calendar_feed.kept_200", whole, constant, **feed),
        {
            "name": "web.calendar_feed.first_build",
            "value": round(built, 1),
            "unit": "ms",
            "params": feed,
            "baseline": "p99 of the same feed served from memory",
            "baseline_value": round(whole["p99"], 2),
            "ratio": round(built / whole["p99"], 2),
        },
    ]


def main() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.sqlite3"
        asyncio.run(_prepare_database(db_path))
        context = multiprocessing.get_context("spawn")
        ready = context.Queue()
        server = context.Process(target=_server_process, args=(str(db_path), ready), daemon=True)
        server.start()
        try:
            port = ready.get(timeout=60)
            return asyncio.run(_measure(port))
        finally:
            server.terminate()
            server.join(10)
