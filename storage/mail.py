"""Inbound mail bookkeeping: messages handled, answers per sender, mailbox position."""

from __future__ import annotations

import datetime as dt

import aiosqlite
from pydantic import BaseModel

from storage.timestamps import to_db


class MailRecord(BaseModel):
    message_id: str
    thread_root: str
    sender: str
    subject: str
    source: str
    outcome: str


async def get(conn: aiosqlite.Connection, message_id: str) -> MailRecord | None:
    cur = await conn.execute(
        "SELECT message_id, thread_root, sender, subject, source, outcome"
        " FROM mail_messages WHERE message_id = ?",
        (message_id,),
    )
    row = await cur.fetchone()
    return None if row is None else MailRecord(**dict(row))


async def record(
    conn: aiosqlite.Connection,
    *,
    message_id: str,
    thread_root: str,
    sender: str,
    subject: str,
    source: str,
    outcome: str,
    now: dt.datetime,
) -> bool:
    """Mark a message handled; False when it already was (a redelivery)."""
    cur = await conn.execute(
        "INSERT INTO mail_messages (message_id, thread_root, sender, subject, source, outcome,"
        " received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING",
        (message_id, thread_root, sender, subject[:500], source, outcome, to_db(now)),
    )
    return cur.rowcount == 1


async def set_outcome(conn: aiosqlite.Connection, message_id: str, outcome: str) -> None:
    await conn.execute(
        "UPDATE mail_messages SET outcome = ? WHERE message_id = ?", (outcome, message_id)
    )


async def thread_root_of(conn: aiosqlite.Connection, message_id: str) -> str | None:
    cur = await conn.execute(
        "SELECT thread_root FROM mail_messages WHERE message_id = ?", (message_id,)
    )
    row = await cur.fetchone()
    return None if row is None else str(row[0])


async def is_own_message_id(conn: aiosqlite.Connection, message_id: str) -> bool:
    cur = await conn.execute(
        "SELECT 1 FROM outbox WHERE json_extract(payload, '$.message_id') = ? LIMIT 1",
        (message_id,),
    )
    return await cur.fetchone() is not None


async def meeting_of_message_id(conn: aiosqlite.Connection, message_id: str) -> int | None:
    """The scheduled meeting a mail the bot sent was about (an invitation, an announcement)."""
    cur = await conn.execute(
        "SELECT json_extract(payload, '$.meeting_id') FROM outbox"
        " WHERE json_extract(payload, '$.message_id') = ? LIMIT 1",
        (message_id,),
    )
    row = await cur.fetchone()
    return None if row is None or row[0] is None else int(row[0])


async def answers_since(conn: aiosqlite.Connection, sender: str, since: dt.datetime) -> int:
    cur = await conn.execute(
        "SELECT count(*) FROM mail_answers WHERE sender = ? AND sent_at > ?",
        (sender, to_db(since)),
    )
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def add_answer(
    conn: aiosqlite.Connection, sender: str, now: dt.datetime, *, notice: bool = False
) -> None:
    await conn.execute(
        "INSERT INTO mail_answers (sender, sent_at, notice) VALUES (?, ?, ?)",
        (sender, to_db(now), int(notice)),
    )


async def imap_position(conn: aiosqlite.Connection, mailbox: str) -> tuple[int, int] | None:
    """(UIDVALIDITY, last UID handled) of a mailbox, or None before the first message."""
    cur = await conn.execute(
        "SELECT uidvalidity, last_uid FROM mail_imap_state WHERE mailbox = ?", (mailbox,)
    )
    row = await cur.fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


async def set_imap_position(
    conn: aiosqlite.Connection, mailbox: str, uidvalidity: int, uid: int
) -> None:
    await conn.execute(
        "INSERT INTO mail_imap_state (mailbox, uidvalidity, last_uid) VALUES (?, ?, ?)"
        " ON CONFLICT (mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity,"
        " last_uid = max(CASE WHEN mail_imap_state.uidvalidity = excluded.uidvalidity"
        " THEN mail_imap_state.last_uid ELSE 0 END, excluded.last_uid)",
        (mailbox, uidvalidity, uid),
    )
