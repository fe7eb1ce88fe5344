"""The SQLite database: one aiosqlite connection, WAL, foreign keys, migrations.

One connection and one lock: SQLite allows a single writer anyway, and holding
the lock for a whole transaction is what makes "the change and its outbox rows
commit together" true without any other coordination. The task holding it may
read and open transactions inside its own: those use its connection (a nested
transaction is a savepoint), where waiting for the lock would wait for itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
LARGEST_ID = 2**63 - 1  # SQLite's largest INTEGER: a row id is never more


def may_be_id(number: int) -> bool:
    """Whether a row could have this id. A number typed or put in an address
    (`/done A99999999999999999999999`, `/meetings/9999...`) that SQLite cannot
    even take is no row's, not an OverflowError from the driver."""
    return 0 <= number <= LARGEST_ID


class DatabaseError(Exception):
    """The database cannot be opened or used; the message is one readable line."""


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) of every migration shipped, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if len(set(numbers)) != len(numbers):
        raise DatabaseError(f"two migrations share a number: {numbers}")
    return found


async def together(*statements: Awaitable[Any]) -> list[Any]:
    """Await statements of one transaction that need none of each other's results.

    aiosqlite runs calls in the order they are queued, one thread hop each.
    Queued together, they run back to back on the database thread and the
    event loop wakes about once for all of them: a flush of meeting lines and
    action items is mostly such hops. Every statement is awaited even when
    one fails, so none is left to run after the transaction has ended; then
    the first failure is raised. They are queued in the order given as long
    as each queues its statement before it first waits, as `conn.execute`
    does; one that queues later still comes after all those before it.
    Each runs in a task of its own: give them the connection, since a task
    other than the transaction's waits for it in `Database.read`.
    """
    results = await asyncio.gather(*statements, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


async def _to_the_end(conn: aiosqlite.Connection, sql: str) -> None:
    """Run a statement that opens or closes a transaction; cancelled meanwhile, wait
    until the connection's thread has run it anyway, and only then raise.

    The thread runs a queued statement whether or not anyone still waits for it.
    Cancelled while a COMMIT was on its way (a shutdown during a job's pass), a
    transaction sent ROLLBACK after the COMMIT, failed with "no transaction is
    active", and raised that error in place of the cancellation, which the job
    runner then took for a failed pass and carried on: the bot never stopped.
    The caller reads where the transaction stands from `in_transaction`.
    """
    try:
        await conn.execute(sql)
    except asyncio.CancelledError as cancelled:
        # Statements run in turn: once this one is through, so is the statement.
        barrier = asyncio.ensure_future(conn.execute("SELECT 1"))
        while not barrier.done():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(barrier)
        if not barrier.cancelled():
            barrier.exception()  # looked at: the cancellation is what this raises
        raise cancelled


async def fetch_one(
    conn: aiosqlite.Connection, sql: str, parameters: Iterable[Any] = ()
) -> aiosqlite.Row | None:
    """The first row a query returns, or None, in one hop to the database thread.

    `execute` and then `fetchone` are two hops, each waking the event loop
    again; `execute_fetchall` runs and reads the query in one. It reads every
    row, so use it only for queries that return few: a key lookup, an
    aggregate, a PRAGMA, or `LIMIT 1`.
    """
    rows = await conn.execute_fetchall(sql, parameters)
    return next(iter(rows), None)


async def fetch_value(conn: aiosqlite.Connection, sql: str, parameters: Iterable[Any] = ()) -> Any:
    """The first value of a query that always returns a row: an aggregate, a PRAGMA."""
    row = await fetch_one(conn, sql, parameters)
    if row is None:
        raise DatabaseError(f"no row where one is certain: {sql}")
    return row[0]


def _try_open(path: Path) -> None:
    """Open and close the file with the standard library: sqlite3.Error if it cannot be."""
    sqlite3.connect(path).close()


def _check_backup_target(source: Path, named: str, target: Path) -> None:
    """Raise DatabaseError unless `target` is another file that can be written;
    `named`: the database as its error names it (see `Database.named`)."""
    if target.exists() and source.exists() and target.samefile(source):
        raise DatabaseError(f"{target} is the database itself: give the backup another path")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _try_open(target)  # as in `Database.open`: no aiosqlite thread left behind
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else exc
        raise DatabaseError(f"cannot back up the database {named} to {target}: {reason}") from None


def _lower(value: object) -> str | None:
    """SQL `py_lower(x)`: str.lower of a text, NULL for NULL."""
    return None if value is None else str(value).lower()


class Database:
    def __init__(self, path: Path | str, *, setting: str | None = None) -> None:
        self.path = Path(path)
        self.setting = setting  # where the path was configured, named in errors
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None  # the task inside a transaction
        self._on_commit: list[Callable[[], None]] = []  # see `after_commit`

    async def open(self) -> Database:
        if str(self.path) != ":memory:":
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(
                    f"cannot create the folder for the database {self.named}: {exc.strerror}"
                ) from None
        conn: aiosqlite.Connection | None = None
        try:
            # aiosqlite answers a file it cannot open by stopping its thread without
            # waiting for it; the thread then wakes a closed event loop and prints a
            # traceback under our one-line message. Opening the file once here first
            # raises the same error with no thread left behind.
            await asyncio.to_thread(_try_open, self.path)
            # A multi-row INSERT is one statement per row count: keep room for them
            # beside the rest (sqlite3 caches 128 by default).
            conn = await aiosqlite.connect(self.path, isolation_level=None, cached_statements=512)
            conn.row_factory = aiosqlite.Row
            # Lower case as Python writes it (SQLite's lower() is ASCII only), for
            # queries that filter by what a person typed (`actions.offered`).
            await conn.create_function("py_lower", 1, _lower, deterministic=True)
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA busy_timeout = 5000")
            mode = await (await conn.execute("PRAGMA journal_mode = WAL")).fetchone()
            await conn.execute("PRAGMA synchronous = NORMAL")
            # Checkpoint every ~40 MB of WAL rather than 4 MB: many small commits (meeting
            # lines) dirty the same pages again and again, and each checkpoint syncs the file.
            # Commits are exactly as durable; only the WAL grows larger between checkpoints.
            await conn.execute("PRAGMA wal_autocheckpoint = 10000")
            # Fail now, not at the first command, if the file cannot be written.
            await conn.execute("BEGIN IMMEDIATE")
            await conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            if conn is not None:
                await conn.close()  # its worker thread would keep the process alive
            raise DatabaseError(f"cannot open the database {self.named}: {exc}") from None
        if mode is None or str(mode[0]).lower() not in ("wal", "memory"):
            await conn.close()
            raise DatabaseError(f"cannot switch the database {self.named} to WAL mode")
        self._conn = conn
        return self

    @property
    def named(self) -> str:
        """The database as an error names it: its file, and the setting that chose it,
        so that the operator knows which file and what to change."""
        return f"{self.path} (setting {self.setting})" if self.setting else str(self.path)

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise DatabaseError("the database is not open")
        return self._conn

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection for reads; waits while another task's transaction is open."""
        if self._holding():
            yield self.conn
            return
        async with self._lock:
            yield self.conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One atomic unit: everything inside commits together or not at all.

        Inside the task's own transaction it is a savepoint: undone alone on
        failure, committed with the transaction around it.
        """
        if self._holding():
            async with self._savepoint() as conn:
                yield conn
            return
        async with self._lock:
            conn = self.conn
            self._holder, self._on_commit = asyncio.current_task(), []
            try:
                await _to_the_end(conn, "BEGIN IMMEDIATE")
                yield conn
                # A deferred constraint may still refuse it. Cancelled on the way, it
                # still commits: what it kept in memory (`after_commit`) is read again.
                await _to_the_end(conn, "COMMIT")
            except BaseException:
                if conn.in_transaction:  # SQLite rolls back by itself on some errors
                    await _to_the_end(conn, "ROLLBACK")
                raise
            else:
                for done in self._on_commit:
                    done()
            finally:
                self._holder, self._on_commit = None, []

    def after_commit(self, done: Callable[[], None]) -> None:
        """Call `done` once the open transaction commits (at once when none is open).

        For what is kept in memory of a write, such as a key just made: kept
        from inside a transaction that then rolls back (a batch of mail runs
        commands inside its own), it would name what was never stored. A task
        other than the transaction's waits for it too: `together`'s children
        read with its connection. Only caches wait so: one dropped with a
        rollback is read again.
        """
        if self._holder is not None:
            self._on_commit.append(done)
        else:
            done()

    def _holding(self) -> bool:
        return self._holder is not None and self._holder is asyncio.current_task()

    @asynccontextmanager
    async def _savepoint(self) -> AsyncIterator[aiosqlite.Connection]:
        conn = self.conn
        if not conn.in_transaction:  # ended by SQLite on an error: a savepoint would commit
            raise DatabaseError("the transaction ended before this part of it")
        kept = len(self._on_commit)
        await _to_the_end(conn, "SAVEPOINT nested")
        try:
            yield conn
        except BaseException:
            del self._on_commit[kept:]
            if conn.in_transaction:
                await _to_the_end(conn, "ROLLBACK TO nested")
                await _to_the_end(conn, "RELEASE nested")
            raise
        else:
            await _to_the_end(conn, "RELEASE nested")

    async def version(self) -> int:
        async with self.read() as conn:
            return int(await fetch_value(conn, "PRAGMA user_version"))

    async def migrate(self) -> list[str]:
        """Apply the migrations newer than `PRAGMA user_version`; return their names."""
        applied = []
        current = await self.version()
        for number, name, sql in migrations():
            if number <= current:
                continue
            async with self.transaction() as conn:
                for statement in _statements(sql):
                    await conn.execute(statement)
                # PRAGMA takes no parameters; `number` is an int parsed from a file name.
                await conn.execute(f"PRAGMA user_version = {int(number)}")
            applied.append(name)
        return applied

    async def backup(self, target: Path) -> None:
        """Copy the live database with SQLite's online backup API.

        A target that cannot be written is one readable line, not a traceback;
        the database's own file is refused, since "backed up" would then be untrue.
        """
        await asyncio.to_thread(_check_backup_target, self.path, self.named, target)
        async with self.read() as conn:
            dest = await aiosqlite.connect(target)
            try:
                await conn.backup(dest)
            finally:
                await dest.close()


def _statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
