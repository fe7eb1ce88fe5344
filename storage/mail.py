"""Inbound mail bookkeeping: messages handled, answers per sender, mailbox position."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import NamedTuple

import aiosqlite
from pydantic import BaseModel

from storage.db import fetch_one
from storage.timestamps import to_db


class MailRecord(BaseModel):
    message_id: str
    thread_root: str
    sender: str
    subject: str
    source: str
    outcome: str


async def get(conn: aiosqlite.Connection, message_id: str) -> MailRecord | None:
    row = await fetch_one(
        conn,
        "SELECT message_id, thread_root, sender, subject, source, outcome"
        " FROM mail_messages WHERE message_id = ?",
        (message_id,),
    )
    return None if row is None else MailRecord(**dict(row))


# The outcome of a message whose command is being carried out: stored (and
# committed) before the command runs, replaced by the real outcome with the
# answer. Found on redelivery, it means the bot stopped in between.
RUNNING = "running: "

_INSERT_MAIL = (
    "INSERT INTO mail_messages (message_id, thread_root, sender, subject, source, outcome,"
    " received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET"
    " outcome = excluded.outcome, received_at = excluded.received_at"
    f" WHERE mail_messages.outcome LIKE '{RUNNING}%' AND excluded.outcome NOT LIKE '{RUNNING}%'"
)


def _mail_row(mail: MailRecord, received_at: dt.datetime) -> tuple[str, ...]:
    return (
        mail.message_id,
        mail.thread_root,
        mail.sender,
        mail.subject[:500],
        mail.source,
        mail.outcome,
        to_db(received_at),
    )


async def record(conn: aiosqlite.Connection, mail: MailRecord, received_at: dt.datetime) -> bool:
    """Mark a message handled (or running); False when it already was (a redelivery).

    A running mark is replaced by the outcome, once.
    """
    cur = await conn.execute(_INSERT_MAIL, _mail_row(mail, received_at))
    return cur.rowcount == 1


async def record_many(
    conn: aiosqlite.Connection, mails: list[tuple[MailRecord, dt.datetime]]
) -> None:
    """Mark messages handled in one round trip (the caller knows none of them was)."""
    if mails:  # a batch that only settled an answer has none
        await conn.executemany(_INSERT_MAIL, [_mail_row(*mail) for mail in mails])


async def set_outcome(conn: aiosqlite.Connection, message_id: str, outcome: str) -> None:
    await conn.execute(
        "UPDATE mail_messages SET outcome = ? WHERE message_id = ?", (outcome, message_id)
    )


class ThreadFacts(NamedTuple):
    """What the database knows about an inbound message and its thread."""

    outcome: str | None  # what became of its Message-ID before (a redelivery), if anything
    own: bool  # a Message-ID the bot made
    root: str  # the first message of its thread
    meeting_id: int | None  # the scheduled meeting the bot's mail at the root was about


async def thread_facts(
    conn: aiosqlite.Connection, asked: list[tuple[str, str | None, str]]
) -> list[ThreadFacts]:
    """One round trip for every question the inbound flow asks before deciding.

    `asked` holds (Message-ID, parent, fallback root) for each message, the
    answers come in the same order. The root is the parent's own root when
    the parent was handled, else the fallback; the meeting is that of the
    bot's invitation or announcement at the root, if it was one.
    """
    if not asked:
        return []
    values = ", ".join(["(?, ?, ?, ?)"] * len(asked))
    rows = await conn.execute_fetchall(
        f"WITH asked (n, id, parent, fallback) AS (VALUES {values}),"
        " rooted AS (SELECT n, id, coalesce((SELECT thread_root FROM mail_messages"
        "  WHERE message_id = asked.parent), asked.fallback) AS root FROM asked)"
        " SELECT (SELECT outcome FROM mail_messages WHERE message_id = rooted.id),"
        " EXISTS (SELECT 1 FROM mail_sent_ids WHERE message_id = rooted.id),"
        " root, (SELECT meeting_id FROM mail_sent_ids WHERE message_id = rooted.root)"
        " FROM rooted ORDER BY n",
        [value for n, question in enumerate(asked) for value in (n, *question)],
    )
    return [
        ThreadFacts(outcome, bool(own), str(root), None if meeting is None else int(meeting))
        for outcome, own, root, meeting in rows
    ]


async def remember_sent(
    conn: aiosqlite.Connection, message_id: str, meeting_id: int | None
) -> None:
    """A Message-ID the bot made, and the scheduled meeting its mail was about."""
    await conn.execute(
        "INSERT INTO mail_sent_ids (message_id, meeting_id) VALUES (?, ?)"
        " ON CONFLICT (message_id) DO NOTHING",
        (message_id, meeting_id),
    )


class Answered(NamedTuple):
    """What a sender had from the bot since some moment."""

    answers: int  # answers, not counting the "limit reached" notice
    noticed: bool  # whether that notice was among them


async def answered_since(conn: aiosqlite.Connection, sender: str, since: dt.datetime) -> Answered:
    """The answers a sender had from the bot since `since`, and whether the notice went."""
    return (await answered_each_since(conn, [sender], since))[sender]


async def answered_each_since(
    conn: aiosqlite.Connection, senders: Collection[str], since: dt.datetime
) -> dict[str, Answered]:
    """`answered_since` of each sender, in one round trip (none asked: none read)."""
    if not senders:
        return {}
    marks = ", ".join("?" for _ in senders)
    rows = await conn.execute_fetchall(
        "SELECT sender, count(*) - total(notice), max(notice) IS 1 FROM mail_answers"
        f" WHERE sender IN ({marks}) AND sent_at > ? GROUP BY sender",
        (*senders, to_db(since)),
    )
    found = {sender: Answered(int(answers), bool(noticed)) for sender, answers, noticed in rows}
    return {sender: found.get(sender, Answered(0, False)) for sender in senders}


async def add_answer(
    conn: aiosqlite.Connection, sender: str, now: dt.datetime, *, notice: bool = False
) -> None:
    await conn.execute(
        "INSERT INTO mail_answers (sender, sent_at, notice) VALUES (?, ?, ?)",
        (sender, to_db(now), int(notice)),
    )


async def imap_position(conn: aiosqlite.Connection, mailbox: str) -> tuple[int, int] | None:
    """(UIDVALIDITY, last UID handled) of a mailbox, or None before the first message."""
    row = await fetch_one(
        conn, "SELECT uidvalidity, last_uid FROM mail_imap_state WHERE mailbox = ?", (mailbox,)
    )
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
