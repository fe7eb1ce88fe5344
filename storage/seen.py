"""Platform messages and events already handled, so that a redelivery does nothing twice.

Slack sends an event again when its acknowledgement was late or lost (up to three
retries, the last some minutes on); a bot restarted in between must still know it
handled the first, or the delegate reads a second answer to one message.
"""

from __future__ import annotations

import datetime as dt

import aiosqlite

from storage.timestamps import to_db


async def first_time(conn: aiosqlite.Connection, key: str, now: dt.datetime) -> bool:
    """Record `key` as seen now; False if it was seen already."""
    cur = await conn.execute(
        "INSERT INTO seen_messages (platform_message_id, seen_at) VALUES (?, ?)"
        " ON CONFLICT (platform_message_id) DO NOTHING",
        (key, to_db(now)),
    )
    return cur.rowcount == 1


async def forget_before(conn: aiosqlite.Connection, before: dt.datetime) -> None:
    """Forget the keys seen before `before`, which can no longer come again. A scan of
    the table: its callers do it now and then (hourly), not for every key."""
    await conn.execute("DELETE FROM seen_messages WHERE seen_at < ?", (to_db(before),))
