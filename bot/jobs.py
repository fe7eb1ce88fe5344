"""The job runner: work planned for a time (reminders, digests, nudges).

A job's effects (outbox rows) and its completion commit in one transaction,
so after a restart a due job runs once. A job past its `not_after` (a
reminder for a meeting that has already begun) is dropped, not run late.
A job that fails is rolled back and tried again later, a few times: most
failures pass (a database locked by a long write, a disk full for a minute),
and a reminder given up on the first one would be lost without a word.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

import aiosqlite

from bot.services import Services
from storage import jobs
from storage.jobs import Job

log = logging.getLogger(__name__)

JobHandler = Callable[[Services, aiosqlite.Connection, Job], Awaitable[str | None]]
HANDLERS: dict[str, JobHandler] = {}
PassHook = Callable[[Services], Awaitable[object]]
PASS_HOOKS: list[PassHook] = []
# After the first, second and third failure, the next try; a fourth gives the job up.
RETRY_AFTER = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=15))


def job_handler(kind: str) -> Callable[[JobHandler], JobHandler]:
    """Register what runs a job of this kind (inside the job's transaction)."""

    def register(handler: JobHandler) -> JobHandler:
        if kind in HANDLERS:
            raise ValueError(f"two job handlers for {kind!r}")
        HANDLERS[kind] = handler
        return handler

    return register


def on_pass(hook: PassHook) -> PassHook:
    """Register work checked on every runner pass (due-ness decided from stored state)."""
    PASS_HOOKS.append(hook)
    return hook


class JobRunner:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.wakeup = asyncio.Event()

    async def run_once(self) -> int:
        """Run the pass hooks and every job due now; return how many jobs were handled."""
        for hook in PASS_HOOKS:
            try:
                await hook(self.services)
            except Exception:
                log.exception("runner pass hook %s failed", getattr(hook, "__name__", hook))
        now = self.services.now()
        async with self.services.db.read() as conn:
            due = await jobs.due(conn, now)
        handled = 0
        for job in due:
            handler = HANDLERS.get(job.kind)
            try:
                async with self.services.db.transaction() as conn:
                    if job.not_after is not None and now > job.not_after:
                        if await jobs.finish(conn, job.id, "dropped", now, "too late"):
                            handled += 1
                        continue
                    if handler is None:
                        await jobs.finish(conn, job.id, "failed", now, "no handler")
                        continue
                    result = await handler(self.services, conn, job)
                    if await jobs.finish(conn, job.id, "done", now, result):
                        handled += 1
                    else:  # another runner finished it meanwhile: undo our effects
                        raise _AlreadyDone
            except _AlreadyDone:
                continue
            except Exception:
                log.exception("job %s (%s) failed (attempt %d)", job.id, job.kind, job.attempts + 1)
                await self._failed(job, now)
        return handled

    async def _failed(self, job: Job, now: dt.datetime) -> None:
        """Try a failed job again later, or give it up after its last try."""
        async with self.services.db.transaction() as conn:
            if job.attempts < len(RETRY_AFTER):
                await jobs.retry_at(conn, job.id, now + RETRY_AFTER[job.attempts], "error, see log")
            else:
                await jobs.finish(conn, job.id, "failed", now, "error, see log")

    async def run(self, interval: float = 20.0) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:
                log.exception("job pass failed")
            self.wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wakeup.wait(), interval)


class _AlreadyDone(Exception):
    pass
