"""Kill the bot with SIGKILL while it sends to a slow server, start it again: no message
lost, none sent twice beyond the documented window (one, with the same Message-ID)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sys
from collections import Counter

from bot.app import open_services
from bot.outgoing import queue_email
from storage import outbox
from tests.mail.conftest import BOT, free_port

COUNT = 20


async def start_bot(settings, port: int) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "ISCG_DB_PATH": str(settings.db_path),
        "ISCG_SMTP_HOST": "127.0.0.1",
        "ISCG_SMTP_PORT": str(port),
        "ISCG_SMTP_TLS": "none",
        "ISCG_BOT_ADDRESS": BOT,
        "PORT": str(free_port()),
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def until(predicate, limit: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not await predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_kill_while_sending_then_restart(settings, smtp_sink):
    sink, port = smtp_sink
    sink.delay = 0.15  # a slow server: the kill lands mid-batch
    services = await open_services(settings)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    async with services.db.transaction() as conn:
        for number in range(COUNT):
            await queue_email(
                conn,
                bot_address=BOT,
                to=[f"member{number}@example.org"],
                subject=f"Digest {number}",
                text="Weekly digest.",
                kind="digest",
                now=now,
                dedupe_key=f"crash-{number}",
            )
    await services.db.close()

    first = await start_bot(settings, port)

    async def some_sent() -> bool:
        return len(sink.received) >= 5

    await until(some_sent)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    killed_at = len(sink.received)
    assert killed_at < COUNT

    second = await start_bot(settings, port)

    async def all_unique_arrived() -> bool:
        return len({r.message["Message-ID"] for r in sink.received}) >= COUNT

    try:
        await until(all_unique_arrived)
        services = await open_services(settings)

        async def all_marked() -> bool:
            async with services.db.read() as conn:
                rows = await outbox.listing(conn, ("sent",))
            return len(rows) == COUNT

        await until(all_marked)
        await services.db.close()
    finally:
        second.send_signal(signal.SIGTERM)
        await second.wait()
    counts = Counter(r.message["Message-ID"] for r in sink.received)
    assert len(counts) == COUNT  # none lost
    repeated = [mid for mid, n in counts.items() if n > 1]
    assert len(repeated) <= 1 and all(counts[mid] == 2 for mid in repeated)
