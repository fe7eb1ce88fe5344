"""Digest bookkeeping: covered periods, personal subscriptions, leases, and the
reads a digest is made of (decisions, minutes and directory changes in a period)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import aiosqlite
from pydantic import BaseModel

from storage.db import fetch_one
from storage.timestamps import from_db, to_db

Frequency = Literal["daily", "weekly", "off"]
Outcome = Literal["sent", "empty", "unreachable"]
GROUP = "group"
GROUP_KEY = "digest:group"  # outbox keys of group digests: digest:group:<when>:<destination>


def person_audience(person_id: int) -> str:
    return f"person:{person_id}"


class Period(BaseModel):
    audience: str
    start: dt.datetime
    end: dt.datetime
    outcome: Outcome
    trigger: str


class Subscription(BaseModel):
    person_id: int
    frequency: Frequency = "off"
    nudges: bool = True


class Decision(BaseModel):
    meeting_id: int
    meeting_title: str
    text: str
    at: dt.datetime


class MinutesDone(BaseModel):
    meeting_id: int
    title: str
    ended_at: dt.datetime


class DirectoryChange(BaseModel):
    theme: str
    theme_slug: str
    person: str
    kind: str
    sector: str
    recorded_at: dt.datetime


async def take_lease(
    conn: aiosqlite.Connection, name: str, holder: str, now: dt.datetime, ttl: dt.timedelta
) -> bool:
    """Hold `name` until now + ttl unless another holder's lease is still running."""
    cur = await conn.execute(
        "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
        " expires_at = excluded.expires_at"
        " WHERE leases.holder = excluded.holder OR leases.expires_at <= ?",
        (name, holder, to_db(now + ttl), to_db(now)),
    )
    return cur.rowcount == 1


async def release_lease(conn: aiosqlite.Connection, name: str, holder: str) -> None:
    await conn.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))


async def last_period(conn: aiosqlite.Connection, audience: str) -> Period | None:
    row = await fetch_one(
        conn,
        "SELECT audience, period_from, period_to, outcome, trigger FROM digest_periods"
        " WHERE audience = ? ORDER BY period_to DESC LIMIT 1",
        (audience,),
    )
    if row is None:
        return None
    return Period(
        audience=row["audience"],
        start=from_db(row["period_from"]),
        end=from_db(row["period_to"]),
        outcome=row["outcome"],
        trigger=row["trigger"],
    )


async def last_ends(
    conn: aiosqlite.Connection, trigger: str | None = None
) -> dict[str, dt.datetime]:
    """The end of the last period of every audience (one read for all personal digests);
    with `trigger`, of the last period that trigger recorded."""
    cur = await conn.execute(
        "SELECT audience, MAX(period_to) AS period_to FROM digest_periods"
        " WHERE ? IS NULL OR trigger = ? GROUP BY audience",
        (trigger, trigger),
    )
    return {row["audience"]: from_db(row["period_to"]) for row in await cur.fetchall()}


async def record_period(
    conn: aiosqlite.Connection,
    audience: str,
    start: dt.datetime,
    end: dt.datetime,
    outcome: Outcome,
    trigger: str,
) -> bool:
    """Record a covered period; False when that period was recorded already."""
    cur = await conn.execute(
        "INSERT INTO digest_periods (audience, period_from, period_to, outcome, trigger)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (audience, period_to) DO NOTHING",
        (audience, to_db(start), to_db(end), outcome, trigger),
    )
    return cur.rowcount == 1


async def last_group_digest(conn: aiosqlite.Connection) -> tuple[str, dt.datetime] | None:
    """The text of the last group digest queued to the list, as its outbox row keeps it,
    and when it was queued."""
    row = await fetch_one(
        conn,
        "SELECT json_extract(payload, '$.text') AS text, created_at FROM outbox"
        " WHERE dedupe_key > ? AND dedupe_key < ? AND dedupe_key LIKE ?"
        " ORDER BY id DESC LIMIT 1",
        (f"{GROUP_KEY}:", f"{GROUP_KEY};", "%:list"),
    )
    return (row["text"], from_db(row["created_at"])) if row else None


async def subscription(conn: aiosqlite.Connection, person_id: int) -> Subscription:
    row = await fetch_one(
        conn,
        "SELECT person_id, frequency, nudges FROM digest_subscriptions WHERE person_id = ?",
        (person_id,),
    )
    return Subscription(**dict(row)) if row else Subscription(person_id=person_id)


async def subscriptions(conn: aiosqlite.Connection) -> dict[int, Subscription]:
    cur = await conn.execute("SELECT person_id, frequency, nudges FROM digest_subscriptions")
    return {row["person_id"]: Subscription(**dict(row)) for row in await cur.fetchall()}


async def save_subscription(
    conn: aiosqlite.Connection, sub: Subscription, now: dt.datetime
) -> None:
    await conn.execute(
        "INSERT INTO digest_subscriptions (person_id, frequency, nudges, updated_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET"
        " frequency = excluded.frequency, nudges = excluded.nudges,"
        " updated_at = excluded.updated_at",
        (sub.person_id, sub.frequency, int(sub.nudges), to_db(now)),
    )


async def decisions_between(
    conn: aiosqlite.Connection, start: dt.datetime, end: dt.datetime
) -> list[Decision]:
    cur = await conn.execute(
        "SELECT l.meeting_id, m.title AS meeting_title, l.text, l.at FROM meeting_lines l"
        " JOIN minuted_meetings m ON m.id = l.meeting_id"
        " WHERE l.kind = 'agreed' AND l.undone = 0 AND l.at >= ? AND l.at < ?"
        " ORDER BY l.at, l.id",
        (to_db(start), to_db(end)),
    )
    return [Decision(**{**dict(row), "at": from_db(row["at"])}) for row in await cur.fetchall()]


async def minutes_between(
    conn: aiosqlite.Connection, start: dt.datetime, end: dt.datetime
) -> list[MinutesDone]:
    cur = await conn.execute(
        "SELECT id AS meeting_id, title, ended_at FROM minuted_meetings"
        " WHERE ended_at >= ? AND ended_at < ? ORDER BY ended_at, id",
        (to_db(start), to_db(end)),
    )
    return [
        MinutesDone(**{**dict(row), "ended_at": from_db(row["ended_at"])})
        for row in await cur.fetchall()
    ]


async def directory_changes(
    conn: aiosqlite.Connection, start: dt.datetime, end: dt.datetime
) -> list[DirectoryChange]:
    """Coordinators and focal points recorded in the period (the seed is not a change)."""
    cur = await conn.execute(
        "SELECT t.name AS theme, t.slug AS theme_slug, p.name AS person, a.kind, a.sector,"
        " a.recorded_at FROM assignments a JOIN themes t ON t.id = a.theme_id"
        " JOIN people p ON p.id = a.person_id"
        " WHERE a.recorded_by != 'seed' AND a.recorded_at >= ? AND a.recorded_at < ?"
        " ORDER BY a.recorded_at, a.id",
        (to_db(start), to_db(end)),
    )
    return [
        DirectoryChange(**{**dict(row), "recorded_at": from_db(row["recorded_at"])})
        for row in await cur.fetchall()
    ]
