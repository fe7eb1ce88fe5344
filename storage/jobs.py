"""Jobs due at a time: reminders, digests, nudges. Planned in the cause's transaction."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

import aiosqlite
from pydantic import BaseModel

from storage.timestamps import from_db, to_db

Status = Literal["pending", "done", "dropped", "failed"]


class Job(BaseModel):
    id: int
    kind: str
    due_at: dt.datetime
    payload: dict[str, Any]
    dedupe_key: str | None
    status: Status
    not_after: dt.datetime | None
    result: str | None
    attempts: int = 0  # failed runs so far


_COLUMNS = "id, kind, due_at, payload, dedupe_key, status, not_after, result, attempts"


def _job(row: aiosqlite.Row) -> Job:
    data = dict(row)
    data["payload"] = json.loads(data["payload"])
    data["due_at"] = from_db(data["due_at"])
    data["not_after"] = from_db(data["not_after"]) if data["not_after"] else None
    return Job(**data)


async def plan(
    conn: aiosqlite.Connection,
    *,
    kind: str,
    due_at: dt.datetime,
    now: dt.datetime,
    payload: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    not_after: dt.datetime | None = None,
) -> int | None:
    """Plan a job; a pending job with the same key is moved to the new time."""
    cur = await conn.execute(
        "INSERT INTO jobs (kind, due_at, payload, dedupe_key, not_after, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (dedupe_key) DO UPDATE SET due_at = excluded.due_at,"
        " payload = excluded.payload, not_after = excluded.not_after"
        " WHERE jobs.status = 'pending'",
        (
            kind,
            to_db(due_at),
            json.dumps(payload or {}, ensure_ascii=False),
            dedupe_key,
            to_db(not_after) if not_after else None,
            to_db(now),
        ),
    )
    return int(cur.lastrowid) if cur.rowcount else None


async def cancel(conn: aiosqlite.Connection, dedupe_prefix: str) -> int:
    """Drop the pending jobs whose key starts with the prefix (a cancelled meeting)."""
    cur = await conn.execute(
        "UPDATE jobs SET status = 'dropped', result = 'cancelled'"
        " WHERE status = 'pending' AND substr(dedupe_key, 1, length(?)) = ?",
        (dedupe_prefix, dedupe_prefix),
    )
    return cur.rowcount


async def due(conn: aiosqlite.Connection, now: dt.datetime, limit: int = 100) -> list[Job]:
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM jobs WHERE status = 'pending' AND due_at <= ?"
        " ORDER BY due_at, id LIMIT ?",
        (to_db(now), limit),
    )
    return [_job(row) for row in await cur.fetchall()]


async def pending(conn: aiosqlite.Connection, kind: str | None = None) -> list[Job]:
    if kind is None:
        cur = await conn.execute(
            f"SELECT {_COLUMNS} FROM jobs WHERE status = 'pending' ORDER BY due_at, id"
        )
    else:
        cur = await conn.execute(
            f"SELECT {_COLUMNS} FROM jobs WHERE status = 'pending' AND kind = ?"
            " ORDER BY due_at, id",
            (kind,),
        )
    return [_job(row) for row in await cur.fetchall()]


async def retry_at(
    conn: aiosqlite.Connection, job_id: int, due_at: dt.datetime, result: str
) -> bool:
    """Run a pending job that failed again at `due_at`, its failure counted."""
    cur = await conn.execute(
        "UPDATE jobs SET due_at = ?, attempts = attempts + 1, result = ?"
        " WHERE id = ? AND status = 'pending'",
        (to_db(due_at), result, job_id),
    )
    return cur.rowcount == 1


async def finish(
    conn: aiosqlite.Connection,
    job_id: int,
    status: Status,
    now: dt.datetime,
    result: str | None = None,
) -> bool:
    """Close a pending job; False when it was not pending (another runner took it)."""
    cur = await conn.execute(
        "UPDATE jobs SET status = ?, result = ?, finished_at = ?"
        " WHERE id = ? AND status = 'pending'",
        (status, result, to_db(now), job_id),
    )
    return cur.rowcount == 1
