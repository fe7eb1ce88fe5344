"""Reading inbound mail in a process of its own, while the event loop acts on what was read.

Parsing a message and finding the text it adds to its thread is pure CPU
work, about a third of what handling it costs. A mailbox that filled while the
bot was down arrives a hundred messages per IMAP fetch; read on the event loop,
they would keep Slack, Discord and the outbox waiting, and reading and acting
would take turns instead of running at once. Where the machine has a second
core, a worker process reads a delivery in chunks while the flow acts on the
chunks before. A delivery of a few messages (the SMTP listener's, a quiet
mailbox's) is read in-process: the hop would cost more than it saves.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from bot.mailparse import Addresses, InboundMail, parse

log = logging.getLogger(__name__)

CHUNK = 10  # messages per hop to the worker
FIRST_CHUNK = 5  # the first hop's, so that the loop starts on a delivery soon


def _read_fully(raws: Sequence[bytes], addresses: Addresses) -> list[InboundMail]:
    """In the worker: each message parsed, and what the flow reads of it worked out too."""
    found = [parse(raw, addresses) for raw in raws]
    for mail in found:
        mail.warm()  # cached properties, sent back with the message
    return found


def _exit_with(parent: int) -> None:
    """In the worker: exit once the bot is gone. A bot that was killed cannot say so,
    and the worker, waiting on a queue whose other end it holds too, would wait forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _read_here(raws: Sequence[bytes], addresses: Addresses) -> asyncio.Future[list[InboundMail]]:
    done: asyncio.Future[list[InboundMail]] = asyncio.get_running_loop().create_future()
    done.set_result([parse(raw, addresses) for raw in raws])
    return done


class MailReader:
    """Parses deliveries, in a worker process when they are many and there is a core for it."""

    def __init__(self, processes: int | None = None) -> None:
        # One worker at most: the event loop itself does the other half of the work.
        self.processes = min(1, (os.cpu_count() or 1) - 1) if processes is None else processes
        self._pool: ProcessPoolExecutor | None = None

    def read(
        self, raws: Sequence[bytes], addresses: Addresses
    ) -> list[asyncio.Future[list[InboundMail]]]:
        """The messages in order, in chunks already being read (`parse` never raises).

        `addresses` go with each chunk: two short strings, and always the flow's current ones.
        """
        if self.processes < 1 or len(raws) < 2 * CHUNK:
            return [_read_here(raws, addresses)]
        started = self._pool is not None
        pool = self._worker()
        # A running worker reads all of it, the first chunk a short one: the loop acts
        # on it soon, and the worker reads on meanwhile. One that is only starting
        # takes up to a second: the loop reads the first chunk itself meanwhile.
        here = 0 if started else CHUNK
        first = FIRST_CHUNK if started else CHUNK
        bounds = [here, *range(here + first, len(raws), CHUNK), len(raws)]
        later = [
            asyncio.ensure_future(self._in_worker(pool, list(raws[start:end]), addresses))
            for start, end in itertools.pairwise(bounds)
        ]
        return later if started else [_read_here(raws[:here], addresses), *later]

    async def _in_worker(
        self, pool: ProcessPoolExecutor, raws: list[bytes], addresses: Addresses
    ) -> list[InboundMail]:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(pool, _read_fully, raws, addresses)
        except Exception as exc:  # it died (killed, out of memory) or could not start: read here
            log.warning("mail reader process lost (%r); reading %d here", exc, len(raws))
            if self._pool is pool:
                self.close()
            return [parse(raw, addresses) for raw in raws]

    async def start(self) -> None:
        """Start the worker before the first big delivery: it takes about a second.

        The worker only saves time: one that cannot start leaves reading in-process.
        """
        if self.processes < 1:
            return
        try:
            await asyncio.get_running_loop().run_in_executor(
                self._worker(), _read_fully, [], Addresses("", "")
            )
        except Exception as exc:
            log.warning("mail reader process not started (%r); mail is read in-process", exc)
            self.close()
            self.processes = 0

    def _worker(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # Spawned, not forked: the bot's threads (database, IMAP) would be copied
            # mid-work. A child of the bot itself, so it can tell when the bot is gone.
            self._pool = ProcessPoolExecutor(
                self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_exit_with,
                initargs=(os.getpid(),),
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
