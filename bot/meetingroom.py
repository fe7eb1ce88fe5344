"""Minute-taking in a channel: which meeting runs where, and recording what is said.

Every line of a channel with a running meeting is written to the database
before the bot answers or moves on, yet a busy meeting must not cost one
transaction per line. `LineWriter` does group commit: lines that arrive while
a transaction is being written wait for the next one, which commits them all
together; each caller's `await` returns only once its own line is committed.
Changes to a meeting itself (start, end, co-chair, actions, undo) run in the
same queue, so they are ordered with the lines around them.

The running meeting of each channel is cached in memory (one process owns the
database); every change to it goes through the writer, which keeps the cache
in step and drops it if a transaction fails. So are the message keys of each
running meeting: a message delivered twice (a platform's retry, a mail read
again after a restart) is recorded once. Holding them here rather than in a
unique index keeps each commit to a few pages however many meetings run (see
migration 0080); they are loaded from the meeting's lines when first needed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import aiosqlite

from bot.actions import Lookups, lookups_for
from bot.core import Context
from bot.identity import thread_parent
from bot.services import Services
from storage import actions, minutes
from storage.actions import NewAction
from storage.db import together
from storage.minutes import MinutedMeeting, NewLine

T = TypeVar("T")
Op = Callable[[aiosqlite.Connection], Awaitable[Any]]
EXTRAS_KEY = "minutes.room"


@dataclass(slots=True, kw_only=True)
class Said(NewLine):
    """A line heard in a channel: it joins whichever meeting runs there when written.

    The writer fills in `meeting_id` and inserts it as it is; a line said
    outside a meeting never gets that far (0 would fail the foreign key).
    """

    channel: str
    meeting_id: int = 0


def message_key(ctx: Context) -> str | None:
    """The platform message id, scoped to the channel (Slack ids are per channel)."""
    return channel_message_key(ctx.channel, ctx.message_id)


def channel_message_key(channel: str, message_id: str | None) -> str | None:
    """`message_key` of a message in `channel`, without a Context made for it."""
    return f"{channel}#{message_id}" if message_id else None


class Room:
    """The per-process state of minute-taking: running meetings and the writer."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.db = services.db
        # Every running meeting, by channel, once read: a handful at most, while every
        # mail thread is a channel of its own, most of them new (one read each).
        self._running: dict[str, MinutedMeeting] | None = None
        self._keys: dict[int, set[str]] = {}  # message keys recorded, by running meeting
        # The process's shared lookups as this transaction sees them; see action_lookups.
        self._lookups: Lookups | None = None
        self._lookups_checked = False
        self.writer = LineWriter(self)

    async def running(self, channel: str) -> MinutedMeeting | None:
        """The meeting running in `channel`; in a thread without one of its own, the
        channel's, when the thread was opened during it (replies to "Meeting started",
        not to a message of last week)."""
        if self._running is None:
            async with self.db.read() as conn:
                return await self.running_in(conn, channel)
        return self._in(self._running, channel)

    async def running_in(
        self, conn: aiosqlite.Connection, channel: str, *, own: bool = False
    ) -> MinutedMeeting | None:
        """The same, inside an open transaction (the writer's, or a reader's); `own`:
        only a meeting of the channel itself (a thread may hold a breakout of its own)."""
        if self._running is None:
            self._running = {meeting.channel: meeting for meeting in await minutes.running(conn)}
        return self._running.get(channel) if own else self._in(self._running, channel)

    @staticmethod
    def _in(running: dict[str, MinutedMeeting], channel: str) -> MinutedMeeting | None:
        if (meeting := running.get(channel)) is not None:
            return meeting
        thread = thread_parent(channel)
        if thread is None:
            return None
        parent, opened = thread
        meeting = running.get(parent)
        return meeting if meeting is not None and meeting.started_at <= opened else None

    async def first_time(
        self, conn: aiosqlite.Connection, meeting_id: int, key: str | None
    ) -> bool:
        """True (and the key is remembered) unless this message was recorded in the meeting.

        Only the writer's ops call this, inside the transaction that records it.
        """
        if key is None:
            return True
        keys = self._keys.get(meeting_id)
        if keys is None:
            keys = self._keys[meeting_id] = await minutes.message_keys(conn, meeting_id)
        if key in keys:
            return False
        keys.add(key)
        return True

    def set_running(self, channel: str, meeting: MinutedMeeting | None) -> None:
        """A meeting started (or, None, ended) in `channel`, in the caller's transaction."""
        if self._running is None:
            return  # not read yet: the first read finds it as it is
        if meeting is not None:
            self._running[channel] = meeting
        elif (ended := self._running.pop(channel, None)) is not None:
            self._keys.pop(ended.id, None)

    def forget(self) -> None:
        """Drop what may hold work that was rolled back; it is read again when needed."""
        self._running = None
        self._keys.clear()
        self._lookups = None
        self.lookups_may_change()

    async def action_lookups(self, conn: aiosqlite.Connection) -> Lookups:
        """People and sessions for reading action items (`lookups_for`), checked once
        per transaction rather than once per `#action` line.

        Within one transaction of the writer only its ops that read lines
        (start, end, co-chair, undo) can change people; the writer calls
        `lookups_may_change` before each transaction and after each such op.
        An op reads them before it changes anything, so what a failed op rolls
        back to its savepoint is never in them.
        """
        if self._lookups is None or not self._lookups_checked:
            self._lookups = await lookups_for(self.services, conn)
            self._lookups_checked = True
        return self._lookups

    def lookups_may_change(self) -> None:
        self._lookups_checked = False


def room_of(services: Services) -> Room:
    room = services.extras.get(EXTRAS_KEY)
    if room is None:
        room = services.extras[EXTRAS_KEY] = Room(services)
    return room  # type: ignore[no-any-return]


@dataclass(slots=True)
class _Job:
    op: Op
    reads_lines: bool  # the lines queued before it must be in the table when it runs
    writes: bool  # False: it writes only through the writer, so needs no savepoint


class LineWriter:
    """Group commit for meeting lines and the operations ordered among them.

    Lines are held back and inserted together, in order, at the end of the
    transaction or before the first operation that reads them; an operation
    that only adds a line of its own hands it to `add`, and an action item
    with its line to `add_action`, so a busy meeting costs a few statements a
    batch rather than a few a line or an action.
    """

    def __init__(self, room: Room) -> None:
        self.room = room
        self._queue: list[tuple[Said | _Job, asyncio.Future[Any]]] = []
        self._task: asyncio.Task[None] | None = None
        self._rows: list[NewLine] = []  # lines of the open transaction not yet inserted
        # Action items not yet inserted: each with the op's future and its result
        # should the action's message prove to be recorded already.
        self._actions: list[tuple[NewAction, asyncio.Future[Any] | None, Any]] = []
        self._next_action_id: int | None = None  # numbered here within a transaction
        self._replaced: dict[asyncio.Future[Any], Any] = {}
        self._running: asyncio.Future[Any] | None = None  # the future of the op running

    async def line(self, said: Said) -> bool:
        """Record a line; False when no meeting runs there or the message was recorded already."""
        return bool(await self._submit(said))

    async def run(
        self,
        op: Callable[[aiosqlite.Connection], Awaitable[T]],
        *,
        reads_lines: bool = True,
        writes: bool = True,
    ) -> T:
        """Run `op` in the writer's transaction, after every line queued before it.

        `reads_lines=False` promises that `op` neither reads meeting lines nor
        changes which meeting runs where, so the lines before it need not be
        inserted first. `writes=False` promises that it writes only through
        `add` and `add_action`, so a failure needs no savepoint to undo.
        """
        return await self._submit(_Job(op, reads_lines, writes))  # type: ignore[no-any-return]

    def add(self, line: NewLine) -> None:
        """From inside an op: record `line` in order with the lines around the op."""
        self._rows.append(line)

    async def action_lookups(self, conn: aiosqlite.Connection) -> Lookups:
        """The room's `action_lookups`, and the id to number actions from, read together."""
        if self._next_action_id is not None:
            return await self.room.action_lookups(conn)
        lookups, self._next_action_id = await together(
            self.room.action_lookups(conn), actions.next_id(conn)
        )
        return lookups  # type: ignore[no-any-return]

    async def add_action(
        self, conn: aiosqlite.Connection, action: NewAction, line: NewLine, *, if_recorded: Any
    ) -> None:
        """From inside an op: record `action` and its `line`, numbered now, inserted with the lines.

        Should the action's message prove to be recorded already (a mail's
        line can be, before a meeting listened in its thread), neither is
        kept and the op's result becomes `if_recorded`. The id was read by
        `action_lookups`, unless the op skipped it.
        """
        if self._next_action_id is None:
            self._next_action_id = await actions.next_id(conn)
        action.id = line.action_id = self._next_action_id
        self._next_action_id += 1
        self._actions.append((action, self._running, if_recorded))
        self._rows.append(line)

    async def insert_action(self, conn: aiosqlite.Connection, action: NewAction) -> bool:
        """From inside an op that reads lines: insert `action` now, numbered in step with
        the actions of the batch (a line edited into an `#action`); False when an action
        of its message is recorded already.

        Such an op runs once the lines and actions before it are inserted, so only
        the ones after it are numbered from here on.
        """
        if self._next_action_id is None:
            self._next_action_id = await actions.next_id(conn)
        action.id = self._next_action_id
        self._next_action_id += 1
        return bool(await actions.add(conn, [action]))

    async def _submit(self, item: Said | _Job) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            results: list[tuple[asyncio.Future[Any], Any, BaseException | None]] = []
            try:
                async with self.room.db.transaction() as conn:
                    await self._write(conn, batch, results)
            except Exception as exc:
                self._rows, self._actions, self._replaced = [], [], {}
                self.room.forget()  # the cache may hold what was rolled back
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for future, value, error in results:
                if future.done():
                    continue
                if error is None:
                    future.set_result(self._replaced.pop(future, value))
                else:
                    future.set_exception(error)

    async def _write(
        self,
        conn: aiosqlite.Connection,
        batch: list[tuple[Said | _Job, asyncio.Future[Any]]],
        results: list[tuple[asyncio.Future[Any], Any, BaseException | None]],
    ) -> None:
        rows = self._rows = []
        self._actions, self._next_action_id, self._replaced = [], None, {}
        self.room.lookups_may_change()
        for item, future in batch:
            if isinstance(item, Said):
                meeting = await self.room.running_in(conn, item.channel)
                fresh = meeting is not None and await self.room.first_time(
                    conn, meeting.id, item.message_key
                )
                if fresh:
                    item.meeting_id = meeting.id
                    rows.append(item)
                results.append((future, fresh, None))
                continue
            if item.reads_lines:
                await self._insert(conn)
            kept, kept_actions = len(rows), len(self._actions)
            if item.writes:
                # Never released: COMMIT releases them all, and ROLLBACK TO the newest
                # of the name undoes just this op. A statement saved per op and batch.
                await conn.execute("SAVEPOINT minutes_op")
            self._running = future
            try:
                value = await item.op(conn)
            except Exception as exc:
                if item.writes:
                    await conn.execute("ROLLBACK TO minutes_op")
                del rows[kept:]
                del self._actions[kept_actions:]
                await self._insert(conn)  # so the keys read back below include them
                self.room.forget()  # it may have cached what was just rolled back
                results.append((future, None, exc))
            else:
                results.append((future, value, None))
            finally:
                self._running = None
            if item.reads_lines:  # it may have added a person (#chair)
                self.room.lookups_may_change()
        await self._insert(conn)

    async def _insert(self, conn: aiosqlite.Connection) -> None:
        queued, rows = list(self._actions), list(self._rows)
        self._actions.clear()
        self._rows.clear()
        if not queued:
            if rows:
                await minutes.add_lines(conn, rows)
            return
        added, _ = await together(
            actions.add(conn, [action for action, _, _ in queued]), minutes.add_lines(conn, rows)
        )
        kept = {action.id for action in added}
        gone = [entry for entry in queued if entry[0].id not in kept]
        for _, future, if_recorded in gone:
            if future is not None:
                self._replaced[future] = if_recorded
        if gone:
            ids = [action.id for action, _, _ in gone if action.id is not None]
            await minutes.remove_action_lines(conn, ids, len(rows))
