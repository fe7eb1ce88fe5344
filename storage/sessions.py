"""Advisory-group and other ITU sessions: the days meetings are planned around."""

from __future__ import annotations

import datetime as dt
import re

import aiosqlite
from pydantic import BaseModel

from storage.db import fetch_one
from storage.seed.loader import EXTRA_SEEDERS
from storage.seed.model import Knowledge
from storage.timestamps import to_db

# The groups a session may belong to, canonical spelling by lower-case key.
GROUPS: dict[str, str] = {
    name.lower(): name
    for name in ("RAG", "TSAG", "TDAG", "Council", "WTSA", "WTDC", "RA", "WRC", "PP")
}
# A group named in free text ("TSAG-7", "WRC-27", "Council 2027"); acronyms
# must be upper case so the word "ra" in a sentence is not taken for the RA.
GROUP_IN_TEXT = re.compile(r"\b(RAG|TSAG|TDAG|WTSA|WTDC|WRC|RA|PP|[Cc]ouncil)(?:-\d{1,2})?\b")


class Session(BaseModel):
    id: int
    group: str
    first_day: dt.date
    last_day: dt.date
    place: str | None = None
    title: str | None = None
    source: str

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def label(self) -> str:
        """`TSAG, 19-23 January 2027, Geneva`: how every reply names a session."""
        first, last = self.first_day, self.last_day
        if first == last:
            span = f"{first.day} {first:%B %Y}"
        elif (first.year, first.month) == (last.year, last.month):
            span = f"{first.day}-{last.day} {last:%B %Y}"
        elif first.year == last.year:
            span = f"{first.day} {first:%B} - {last.day} {last:%B %Y}"
        else:
            span = f"{first.day} {first:%B %Y} - {last.day} {last:%B %Y}"
        return f"{self.group}, {span}" + (f", {self.place}" if self.place else "")


def canonical_group(text: str) -> str | None:
    """`tsag` -> `TSAG`; None for a group the bot does not know."""
    return GROUPS.get(text.strip().lower())


def group_in_text(text: str) -> str | None:
    match = GROUP_IN_TEXT.search(text)
    return canonical_group(match.group(1)) if match else None


_COLUMNS = "id, body AS 'group', first_day, last_day, place, title, source"


def _session(row: aiosqlite.Row) -> Session:
    return Session(**dict(row))


async def add(
    conn: aiosqlite.Connection,
    *,
    group: str,
    first_day: dt.date,
    last_day: dt.date,
    place: str | None,
    source: str,
    now: dt.datetime | None = None,
    title: str | None = None,
) -> tuple[Session, bool]:
    """Record a session; (the stored one, False) when that group already starts that day."""
    cur = await conn.execute(
        "INSERT INTO sessions (body, first_day, last_day, place, title, source, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, COALESCE(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        " ON CONFLICT (body, first_day) DO NOTHING",
        (
            group,
            first_day.isoformat(),
            last_day.isoformat(),
            place,
            title,
            source,
            to_db(now) if now else None,
        ),
    )
    added = cur.rowcount == 1
    row = await fetch_one(
        conn,
        f"SELECT {_COLUMNS} FROM sessions WHERE body = ? AND first_day = ?",
        (group, first_day.isoformat()),
    )
    assert row is not None
    return _session(row), added


async def every(conn: aiosqlite.Connection) -> list[Session]:
    rows = await conn.execute_fetchall(f"SELECT {_COLUMNS} FROM sessions ORDER BY first_day, body")
    return [_session(row) for row in rows]


async def upcoming(conn: aiosqlite.Connection, today: dt.date) -> list[Session]:
    """Sessions not over yet (one under way counts), soonest first."""
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM sessions WHERE last_day >= ? ORDER BY first_day, body",
        (today.isoformat(),),
    )
    return [_session(row) for row in await cur.fetchall()]


async def between(conn: aiosqlite.Connection, first: dt.date, last: dt.date) -> list[Session]:
    """Sessions with at least one day in [first, last]."""
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM sessions WHERE last_day >= ? AND first_day <= ?"
        " ORDER BY first_day, body",
        (first.isoformat(), last.isoformat()),
    )
    return [_session(row) for row in await cur.fetchall()]


async def seed_sessions(conn: aiosqlite.Connection, kb: Knowledge) -> int:
    """The sessions the seed documents date; a re-seed adds only new ones."""
    added = 0
    for record in kb.sessions:
        _, new = await add(
            conn,
            group=canonical_group(record.group) or record.group,
            first_day=record.first_day,
            last_day=record.last_day,
            place=record.place,
            source=f"seed: {record.source.file}, {record.source.section}",
        )
        added += new
    return added


EXTRA_SEEDERS.append(seed_sessions)
