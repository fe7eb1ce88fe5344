"""The outbox dispatcher: hands pending rows to the connector of their platform.

A row is claimed ('sending') and committed before the send, and marked 'sent'
right after the platform accepted it. A crash between acceptance and that
commit leaves it 'sending'; on start those rows go back to pending (and rows
waiting for a retry are due at once), so at most that one message may repeat
(mail carries the same Message-ID, which receivers de-duplicate). A database
that cannot be written just then (locked, disk full) leaves it 'sending' too:
the outcome is kept and recorded by the platform's next pass, before anything
else is sent. Rows for a platform with no running connector stay pending
until one runs.

Each platform has its own pass, in its own order, beside the others: a mail
server slow to answer (or timing out on each message) holds back mail, not
the Slack or Discord reminders queued behind it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Mapping

import aiosqlite

from bot.handlers.base import Connector, DeliveryError
from bot.services import Services
from storage import outbox
from storage.outbox import OutboxRow

_Outcome = tuple[OutboxRow, DeliveryError | None]

log = logging.getLogger(__name__)

BACKOFF_SECONDS = (30, 120, 600, 1800, 3600)
MAX_ATTEMPTS = 12


def next_attempt(now: dt.datetime, attempts: int) -> dt.datetime:
    step = BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)]
    return now + dt.timedelta(seconds=step)


class Dispatcher:
    def __init__(self, services: Services, connectors: Mapping[str, Connector]) -> None:
        self.services = services
        self.connectors = connectors
        # One per platform's loop (`run`): set, it looks for due rows at once.
        self._wakeups: dict[str, asyncio.Event] = {}
        # Platforms that could not be reached (no connection, a login refused): until
        # when they are left alone, and how often in a row. Trying every row would
        # wait out a timeout per row, or repeat a refused login until the account locks.
        # Kept in the database with each outcome and read again at each pass, so that
        # `iscg-bot outbox retry` (another process) can lift it; this is the pass's copy.
        self._paused: dict[str, tuple[dt.datetime, int]] = {}
        # Platforms whose pause the database holds (as the pass last read or wrote it):
        # a row sent lifts it there, and a platform with none pays no write per row.
        self._stored_pauses: set[str] = set()
        # Each platform's last outcome until it is committed (see `_recording`).
        self._unsettled: dict[str, _Outcome] = {}

    def notify(self) -> None:
        """Something was queued: every platform looks for it now rather than at its next poll."""
        for wakeup in self._wakeups.values():
            wakeup.set()

    async def recover(self) -> int:
        async with self.services.db.transaction() as conn:
            return await outbox.recover_interrupted(conn, self.services.now())

    async def run_once(self, limit: int = 100) -> int:
        """Send what is due now on every platform, their passes side by side; return
        how many rows were handled. Every pass runs to its end before a failure is raised."""
        handled = await asyncio.gather(
            *(self.pass_for(platform, limit) for platform in self.connectors),
            return_exceptions=True,
        )
        for result in handled:
            if isinstance(result, BaseException):
                raise result
        return sum(n for n in handled if isinstance(n, int))

    async def pass_for(self, platform: str, limit: int = 100) -> int:
        """Send what is due now on one platform, oldest first; return how many rows were handled.

        The outcome of one row is committed together with the claim of the
        next, one transaction per message instead of two; it is still
        committed before the next message goes out.
        """
        await self._record_last(platform)  # what the database could not take last time
        db, now = self.services.db, self.services.now()
        if not self.connectors[platform].can_send:
            return 0
        async with db.read() as conn:
            pause = await outbox.pause_of(conn, platform)
            if pause is None:
                self._paused.pop(platform, None)
                self._stored_pauses.discard(platform)
            else:
                self._paused[platform] = (pause.until, pause.times)
                self._stored_pauses.add(platform)
            if self._paused_at(platform, now):
                return 0
            rows = await outbox.due(conn, [platform], now, limit)
        for row in rows:
            if self._paused_at(platform, now):  # unreachable earlier in this pass
                break
            async with self._recording(platform) as conn:
                if not await outbox.mark_sending(conn, row.id, now):
                    continue
            error = await self._deliver(row)
            self._note_reach(platform, error)
            self._unsettled[platform] = (row, error)
        await self._record_last(platform)
        return len(rows)

    async def _record_last(self, platform: str) -> None:
        """Commit the outcome of the platform's last send, if it is not yet."""
        if platform in self._unsettled:
            async with self._recording(platform):
                pass

    @contextlib.asynccontextmanager
    async def _recording(self, platform: str) -> AsyncIterator[aiosqlite.Connection]:
        """A transaction that first records the outcome of the platform's last send.

        Until that commits, the outcome is kept: a row the server took while the
        database could not be written stays 'sending' (never sent again by this
        process) and is marked by the next try, instead of only by a restart,
        which would send it again.
        """
        outcome = self._unsettled.get(platform)
        try:
            async with self.services.db.transaction() as conn:
                if outcome is not None:
                    await self._settle(conn, *outcome)
                yield conn
        except Exception as exc:
            if outcome is not None:
                row, error = outcome
                log.error(
                    "outbox row %s to %s was %s, but the database could not record it (%s);"
                    " it stays 'sending' and is recorded once the database can be written"
                    " (a restart before that sends it again)",
                    row.id,
                    row.destination,
                    "sent" if error is None else f"not sent ({error})",
                    exc,
                )
            raise
        if outcome is not None:
            del self._unsettled[platform]

    async def _deliver(self, row: OutboxRow) -> DeliveryError | None:
        """Hand the row to its connector; the error that stopped it, if any."""
        try:
            await self.connectors[row.platform].send(row)
        except DeliveryError as exc:
            return exc
        except Exception as exc:
            log.exception("outbox row %s to %s failed", row.id, row.destination)
            return DeliveryError(repr(exc))
        return None

    async def _settle(
        self, conn: aiosqlite.Connection, row: OutboxRow, error: DeliveryError | None
    ) -> None:
        """Record how the send went; the log says it once per row, with the server's answer
        for a refusal (a platform out of reach is told once, by `_note_reach`)."""
        now = self.services.now()
        if error is None:
            await outbox.mark_sent(conn, row.id, now)
            if row.platform in self._stored_pauses:
                await outbox.resume(conn, row.platform)
                self._stored_pauses.discard(row.platform)
            log.info("outbox row %s sent to %s", row.id, row.destination)
        elif error.unreachable:  # tried again with its platform, and not held against it
            until, times = self._paused[row.platform]
            await outbox.mark_retry(conn, row.id, str(error), until, counted=False)
            await outbox.pause(conn, row.platform, until, times)
            self._stored_pauses.add(row.platform)
        elif error.permanent or row.attempts + 1 >= MAX_ATTEMPTS:
            await outbox.mark_failed(conn, row.id, str(error))
            log.warning("outbox row %s to %s failed for good: %s", row.id, row.destination, error)
        else:
            later = next_attempt(now, row.attempts + 1)
            await outbox.mark_retry(conn, row.id, str(error), later)
            log.warning(
                "outbox row %s to %s not sent, tried again at %s: %s",
                row.id,
                row.destination,
                later.isoformat(timespec="seconds"),
                error,
            )

    def _paused_at(self, platform: str, now: dt.datetime) -> bool:
        paused = self._paused.get(platform)
        return paused is not None and now < paused[0]

    def _note_reach(self, platform: str, error: DeliveryError | None) -> None:
        """Pause a platform that could not be reached, longer each time; resume on success.

        Counted from the failure, not the pass: finding out may take a connection timeout.
        """
        if error is None:
            self._paused.pop(platform, None)
        elif error.unreachable:
            now = self.services.now()
            times = self._paused.get(platform, (now, 0))[1] + 1
            until = next_attempt(now, times)
            self._paused[platform] = (until, times)
            log.error(
                "%s cannot deliver (%s): its outbox waits until %s",
                platform,
                error,
                until.isoformat(timespec="seconds"),
            )

    async def run(self, interval: float = 5.0) -> None:
        await self.recover()
        await asyncio.gather(*(self._run_platform(p, interval) for p in list(self.connectors)))

    async def _run_platform(self, platform: str, interval: float) -> None:
        wakeup = self._wakeups.setdefault(platform, asyncio.Event())
        while True:
            try:
                handled = await self.pass_for(platform)
            except Exception:
                log.exception("outbox pass for %s failed", platform)
                handled = 0
            if handled:
                continue
            wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), interval)
