"""Signed `/who-coordinates` slash commands through the real `/slack/events` endpoint.

The bot runs in a process of its own (its web server, slack-bolt signature
check, the registry, SQLite, the Block Kit renderer); this process plays
Slack: it signs requests, keeps a fixed number in flight, and stands in for
the Web API (auth.test, users.info). The baseline is the same aiohttp server
in the same kind of process answering a constant, under the same load.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import multiprocessing
import statistics
import tempfile
import time
import urllib.parse
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

SECRET = "bench-secret"
CONCURRENCY = 8
WARMUP = 100
REQUESTS = 2000


def _bot_process(port_out: Queue[int], api_url: str, data_dir: str) -> None:
    """The bot with Slack in HTTP mode, on a free loopback port, until terminated."""
    from bot.app import BotApp, open_services
    from bot.config import Settings
    from bot.handlers.slack import SlackConnector

    async def run() -> None:
        settings = Settings(
            ISCG_DB_PATH=Path(data_dir) / "iscg.sqlite3",
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_APP_TOKEN=None,
            SLACK_API_URL=api_url,
            PORT=0,
        )
        services = await open_services(settings)
        app = BotApp(services)
        connector = SlackConnector(app)
        await connector.connect()
        port_out.put(await _serve(app.web))
        await asyncio.Event().wait()

    asyncio.run(run())


def _constant_process(port_out: Queue[int]) -> None:
    """The baseline: aiohttp answering every POST with a constant JSON body."""

    async def run() -> None:
        async def constant(_request: web.Request) -> web.Response:
            await _request.read()
            return web.json_response({"response_type": "ephemeral", "text": "ok"})

        app = web.Application()
        app.router.add_post("/slack/events", constant)
        port_out.put(await _serve(app))
        await asyncio.Event().wait()

    asyncio.run(run())


async def _serve(app: web.Application) -> int:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return int(runner.addresses[0][1])


async def _fake_web_api() -> tuple[web.AppRunner, str]:
    async def api(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "UBOT", "team_id": "T1"})
        user = {"id": "U1", "name": "jane", "tz": "Europe/Zurich", "profile": {}}
        return web.json_response({"ok": True, "user": user})

    app = web.Application()
    app.router.add_route("*", "/api/{method}", api)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/api/"


def _signed(body: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }


BODY = urllib.parse.urlencode(
    {
        "command": "/who-coordinates",
        "text": "accessibility",
        "user_id": "U1",
        "channel_id": "C1",
        "team_id": "T1",
        "response_url": "http://127.0.0.1:9/unused",
        "trigger_id": "1",
    }
)


async def _load(url: str, count: int) -> tuple[float, list[float]]:
    """Send `count` signed requests, CONCURRENCY at a time: (seconds, latencies in ms)."""
    latencies: list[float] = []
    queue: asyncio.Queue[None] = asyncio.Queue()
    for _ in range(count):
        queue.put_nowait(None)
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            while not queue.empty():
                queue.get_nowait()
                headers = _signed(BODY)
                start = time.perf_counter()
                async with session.post(url, data=BODY, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{url} answered {response.status}")
                latencies.append((time.perf_counter() - start) * 1000)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return time.perf_counter() - began, latencies


def _p99(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=100)[98]


async def _measure(target: Any, *args: Any) -> tuple[float, float]:
    """Start a server process, warm it up, load it: (requests/s, p99 ms)."""
    ctx = multiprocessing.get_context("spawn")
    ports: Queue[int] = ctx.Queue()
    process = ctx.Process(target=target, args=(ports, *args), daemon=True)
    process.start()
    try:
        port = await asyncio.to_thread(ports.get, True, 60)
        url = f"http://127.0.0.1:{port}/slack/events"
        await _load(url, WARMUP)
        seconds, latencies = await _load(url, REQUESTS)
        return REQUESTS / seconds, _p99(latencies)
    finally:
        process.terminate()
        process.join(10)


async def _run() -> list[dict[str, Any]]:
    runner, api_url = await _fake_web_api()
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            bot_rps, bot_p99 = await _measure(_bot_process, api_url, data_dir)
        base_rps, base_p99 = await _measure(_constant_process)
    finally:
        await runner.cleanup()
    params = {"concurrency": CONCURRENCY, "requests": REQUESTS, "command": "/who-coordinates"}
    baseline = "aiohttp answering a constant"
    return [
        {
            "name": "slack_slash_command_throughput",
            "value": round(bot_rps, 1),
            "unit": "requests/s",
            "params": params,
            "baseline": baseline,
            "baseline_value": round(base_rps, 1),
            "ratio": round(bot_rps / base_rps, 3),
        },
        {
            "name": "slack_slash_command_p99",
            "value": round(bot_p99, 2),
            "unit": "ms",
            "params": params,
            "baseline": baseline,
            "baseline_value": round(base_p99, 2),
            "ratio": round(bot_p99 / base_p99, 3),
        },
    ]


def main() -> list[dict[str, Any]]:
    return asyncio.run(_run())


if __name__ == "__main__":
    for figure in main():
        print(figure)
