"""The durable outbox: effects on other people, committed with their cause.

A row is written inside the caller's transaction (`enqueue` takes the open
connection); the dispatcher claims it, sends it, and commits the new state
right after the platform accepted it, so a restart neither loses nor repeats.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

import aiosqlite
from pydantic import BaseModel

from storage.db import fetch_one, may_be_id
from storage.timestamps import from_db, to_db

Status = Literal["pending", "sending", "sent", "failed", "dropped"]


class OutboxRow(BaseModel):
    id: int
    destination: str
    kind: str
    payload: dict[str, Any]
    dedupe_key: str | None
    status: Status
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    not_after: dt.datetime | None = None  # past it, the row is dropped instead of sent

    @property
    def platform(self) -> str:
        return self.destination.partition(":")[0]


_COLUMNS = (
    "id, destination, kind, payload, dedupe_key, status, attempts, next_attempt_at,"
    " last_error, created_at, sent_at, not_after"
)


def _row(row: aiosqlite.Row) -> OutboxRow:
    data = dict(row)
    data["payload"] = json.loads(data["payload"])
    for key in ("next_attempt_at", "created_at", "sent_at", "not_after"):
        data[key] = from_db(data[key]) if data[key] else None
    return OutboxRow(**data)


async def enqueue(
    conn: aiosqlite.Connection,
    *,
    destination: str,
    kind: str,
    payload: dict[str, Any],
    now: dt.datetime,
    dedupe_key: str | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> int | None:
    """Queue one message; None when the same `dedupe_key` was queued already.

    `not_after`: past it the message is no longer true, and is dropped unsent.
    """
    cur = await conn.execute(
        "INSERT INTO outbox (destination, kind, payload, dedupe_key, next_attempt_at,"
        " created_at, not_after) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
        (
            destination,
            kind,
            json.dumps(payload, ensure_ascii=False),
            dedupe_key,
            to_db(not_before or now),
            to_db(now),
            to_db(not_after) if not_after else None,
        ),
    )
    return int(cur.lastrowid) if cur.rowcount else None


async def due(
    conn: aiosqlite.Connection, platforms: list[str], now: dt.datetime, limit: int = 100
) -> list[OutboxRow]:
    """Pending rows for the given platforms whose time has come, oldest first."""
    if not platforms:
        return []
    marks = ", ".join("?" for _ in platforms)
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?"
        f" AND substr(destination, 1, instr(destination, ':') - 1) IN ({marks})"
        " ORDER BY next_attempt_at, id LIMIT ?",
        (to_db(now), *platforms, limit),
    )
    return [_row(row) for row in await cur.fetchall()]


async def get(conn: aiosqlite.Connection, row_id: int) -> OutboxRow | None:
    if not may_be_id(row_id):  # typed by an operator (`outbox retry`): no row has it
        return None
    row = await fetch_one(conn, f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (row_id,))
    return None if row is None else _row(row)


async def listing(
    conn: aiosqlite.Connection, statuses: tuple[str, ...] = ("pending", "sending", "failed")
) -> list[OutboxRow]:
    marks = ", ".join("?" for _ in statuses)
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE status IN ({marks}) ORDER BY id", statuses
    )
    return [_row(row) for row in await cur.fetchall()]


async def by_kind(conn: aiosqlite.Connection, kind: str) -> list[OutboxRow]:
    cur = await conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE kind = ? ORDER BY id", (kind,))
    return [_row(row) for row in await cur.fetchall()]


async def mark_sending(conn: aiosqlite.Connection, row_id: int, now: dt.datetime) -> bool:
    """Claim a row; False when another worker (or process) got it first, or when its
    `not_after` has passed: then it is dropped, not sent late."""
    await conn.execute(
        "UPDATE outbox SET status = 'dropped', last_error = 'too late to be sent'"
        " WHERE id = ? AND status = 'pending' AND not_after <= ?",
        (row_id, to_db(now)),
    )
    cur = await conn.execute(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1"
        " WHERE id = ? AND status = 'pending'",
        (row_id,),
    )
    return cur.rowcount == 1


async def mark_sent(conn: aiosqlite.Connection, row_id: int, now: dt.datetime) -> None:
    """Sent: the wire copy of a mail goes (its parts stay, readable in the payload)."""
    await conn.execute(
        "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL,"
        " payload = json_remove(payload, '$.mime') WHERE id = ?",
        (to_db(now), row_id),
    )


async def mark_retry(
    conn: aiosqlite.Connection,
    row_id: int,
    error: str,
    next_attempt: dt.datetime,
    *,
    counted: bool = True,
) -> None:
    """Pending again; not `counted`: the attempt is given back (it was no fault of the row).

    Only a row still being sent: one withdrawn meanwhile (`withdraw`) stays dropped.
    """
    await conn.execute(
        "UPDATE outbox SET status = 'pending', last_error = ?, next_attempt_at = ?,"
        " attempts = attempts - ? WHERE id = ? AND status = 'sending'",
        (error[:2000], to_db(next_attempt), 0 if counted else 1, row_id),
    )


async def mark_failed(conn: aiosqlite.Connection, row_id: int, error: str) -> None:
    """Given up; a row withdrawn while it was being sent stays dropped (`withdraw`)."""
    await conn.execute(
        "UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ? AND status = 'sending'",
        (error[:2000], row_id),
    )


async def requeue(conn: aiosqlite.Connection, row_id: int, now: dt.datetime) -> bool:
    """Put a failed row back in line (`iscg-bot outbox retry`), or one waiting out the
    backoff after a failed try: its operator mended the cause and need not wait up to
    an hour. Not once its `not_after` has passed: the dispatcher would only drop it."""
    if not may_be_id(row_id):
        return False
    cur = await conn.execute(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?"
        " WHERE id = ? AND (status = 'failed'"
        " OR (status = 'pending' AND last_error IS NOT NULL AND next_attempt_at > ?))"
        " AND (not_after IS NULL OR not_after > ?)",
        (to_db(now), row_id, to_db(now), to_db(now)),
    )
    return cur.rowcount == 1


class Pause(BaseModel):
    """A platform left alone until `until`, after `times` failures to reach it in a row."""

    until: dt.datetime
    times: int


async def pause_of(conn: aiosqlite.Connection, platform: str) -> Pause | None:
    row = await fetch_one(
        conn, "SELECT until, times FROM outbox_pauses WHERE platform = ?", (platform,)
    )
    return None if row is None else Pause(until=from_db(row["until"]), times=row["times"])


async def pause(conn: aiosqlite.Connection, platform: str, until: dt.datetime, times: int) -> None:
    await conn.execute(
        "INSERT INTO outbox_pauses (platform, until, times) VALUES (?, ?, ?)"
        " ON CONFLICT (platform) DO UPDATE SET until = excluded.until, times = excluded.times",
        (platform, to_db(until), times),
    )


async def resume(conn: aiosqlite.Connection, platform: str) -> bool:
    """Lift a platform's pause; False when it had none."""
    cur = await conn.execute("DELETE FROM outbox_pauses WHERE platform = ?", (platform,))
    return cur.rowcount == 1


async def withdraw(conn: aiosqlite.Connection, kind: str, key_prefix: str, reason: str) -> int:
    """Withdraw the unsent rows of a kind whose key starts with the prefix: what they
    say is no longer true (a reminder of a meeting since moved or cancelled).

    Queued, failed (no `outbox retry` sends it) or being sent: a send under way
    cannot be called back, but if it fails the row is not tried again.
    """
    cur = await conn.execute(
        "UPDATE outbox SET status = 'dropped', last_error = ?"
        " WHERE status IN ('pending', 'sending', 'failed') AND kind = ?"
        " AND substr(dedupe_key, 1, length(?)) = ?",
        (reason, kind, key_prefix, key_prefix),
    )
    return cur.rowcount


async def recover_interrupted(conn: aiosqlite.Connection, now: dt.datetime) -> int:
    """Rows left 'sending' by a crash go back to pending (at-least-once, one repeat).

    Rows waiting for a retry are due at once: a start is when an operator mends
    the settings a server refused (a password), so the platforms' pauses are lifted
    too.
    """
    cur = await conn.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
    await conn.execute("DELETE FROM outbox_pauses")
    await conn.execute(
        "UPDATE outbox SET next_attempt_at = ?"
        " WHERE status = 'pending' AND last_error IS NOT NULL AND next_attempt_at > ?",
        (to_db(now), to_db(now)),
    )
    return cur.rowcount
