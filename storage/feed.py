"""What the calendar feed is built from, summed up by one cheap query.

Calendar programs poll the feed every few minutes; the answer to "has anything
in it changed?" must cost far less than building 5,000 events. Meetings only
change through `storage.meetings` (each change raises `sequence` and sets
`updated_at`); sessions are only ever added.
"""

from __future__ import annotations

import datetime as dt

import aiosqlite

from storage.db import fetch_one, fetch_value
from storage.timestamps import to_db


async def fingerprint(conn: aiosqlite.Connection, since: dt.datetime) -> str:
    """Changes whenever the feed of meetings ending after `since`, and the sessions, would."""
    meetings = await fetch_one(
        conn,
        "SELECT count(*), max(id), total(sequence), max(updated_at),"
        " sum(status = 'cancelled') FROM meetings WHERE end_at > ?",
        (to_db(since),),
    )
    sessions = await fetch_one(
        conn,
        "SELECT count(*), max(id) FROM sessions WHERE last_day >= ?",
        (since.date().isoformat(),),
    )
    return "|".join(str(value) for value in (*tuple(meetings), *tuple(sessions)))


async def write_marks(conn: aiosqlite.Connection) -> tuple[int, int]:
    """Whether anything at all was written: by this connection, and by other ones.

    Far cheaper than `fingerprint`: while both stay the same, no table changed.
    """
    return int(await fetch_value(conn, "PRAGMA data_version")), conn.total_changes
