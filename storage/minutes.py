"""Minuted meetings: the meeting, its chairs and every line said in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import aiosqlite
from pydantic import BaseModel

from storage.db import fetch_one, may_be_id
from storage.timestamps import from_db, to_db

LineKind = Literal["line", "topic", "info", "agreed", "action", "link", "idea", "undo", "chair"]
ITEM_KINDS = ("topic", "info", "agreed", "action", "link", "idea")


class MinutedMeeting(BaseModel):
    id: int
    channel: str
    title: str
    series: str
    scheduled_ref: str | None
    scheduled_minutes: int | None
    started_by: int
    started_at: dt.datetime
    ended_by: int | None
    ended_at: dt.datetime | None
    first_line: int = 0  # the ids of its lines lie in first_line..last_line
    last_line: int | None = None  # None while it runs
    chairs: list[int] = []


@dataclass(slots=True, kw_only=True)
class NewLine:
    """A line on its way in: what the writer batches (no id yet).

    A plain dataclass, not a model: every line said goes through it, and the
    values come from the bot itself, so there is nothing to validate.
    """

    meeting_id: int
    person_id: int
    author: str
    at: dt.datetime
    kind: LineKind
    text: str
    action_id: int | None = None
    message_key: str | None = None

    def row(self) -> tuple[object, ...]:
        return (
            self.meeting_id,
            self.person_id,
            self.author,
            to_db(self.at),
            self.kind,
            self.text,
            self.action_id,
            self.message_key,
        )


@dataclass(slots=True, kw_only=True)
class Line(NewLine):
    """A recorded line."""

    id: int
    undone: bool


_MEETING = (
    "id, channel, title, series, scheduled_ref, scheduled_minutes, started_by, started_at,"
    " ended_by, ended_at, first_line, last_line"
)
_LINE = "id, meeting_id, person_id, author, at, kind, text, action_id, undone"
_INSERT_INTO = (
    "INSERT INTO meeting_lines (meeting_id, person_id, author, at, kind, text, action_id,"
    " message_key)"
)
INSERT_LINE = f"{_INSERT_INTO} VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
# Line ids only grow (AUTOINCREMENT): the next line gets a larger id than this.
_LAST_LINE_ID = "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'meeting_lines'), 0)"
# A meeting's lines: a rowid range scan, filtered by meeting (see migration 0080).
_IN_MEETING = (
    "meeting_id = :meeting"
    " AND id >= (SELECT first_line FROM minuted_meetings WHERE id = :meeting)"
    " AND id <= (SELECT coalesce(last_line, 9223372036854775807) FROM minuted_meetings"
    " WHERE id = :meeting)"
)


async def _meeting(conn: aiosqlite.Connection, row: aiosqlite.Row | None) -> MinutedMeeting | None:
    if row is None:
        return None
    data = dict(row)
    data["started_at"] = from_db(data["started_at"])
    data["ended_at"] = from_db(data["ended_at"]) if data["ended_at"] else None
    cur = await conn.execute(
        "SELECT person_id FROM meeting_chairs WHERE meeting_id = ? ORDER BY rowid", (data["id"],)
    )
    data["chairs"] = [r[0] for r in await cur.fetchall()]
    return MinutedMeeting(**data)


def _line(row: aiosqlite.Row) -> Line:
    # Unpacked in _LINE's order rather than through dict(row): minutes read thousands.
    line_id, meeting_id, person_id, author, at, kind, text, action_id, undone = row
    return Line(
        id=line_id,
        meeting_id=meeting_id,
        person_id=person_id,
        author=author,
        at=from_db(at),
        kind=kind,
        text=text,
        action_id=action_id,
        undone=bool(undone),
    )


async def start(
    conn: aiosqlite.Connection,
    *,
    channel: str,
    title: str,
    series: str,
    person_id: int,
    now: dt.datetime,
    scheduled_ref: str | None = None,
    scheduled_minutes: int | None = None,
) -> MinutedMeeting:
    cur = await conn.execute(
        "INSERT INTO minuted_meetings (channel, title, series, scheduled_ref, scheduled_minutes,"
        f" started_by, started_at, first_line) VALUES (?, ?, ?, ?, ?, ?, ?, ({_LAST_LINE_ID}) + 1)",
        (channel, title, series, scheduled_ref, scheduled_minutes, person_id, to_db(now)),
    )
    meeting_id = int(cur.lastrowid)
    await add_chair(conn, meeting_id, person_id)
    meeting = await get(conn, meeting_id)
    assert meeting is not None
    return meeting


async def add_chair(conn: aiosqlite.Connection, meeting_id: int, person_id: int) -> bool:
    cur = await conn.execute(
        "INSERT INTO meeting_chairs (meeting_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (meeting_id, person_id),
    )
    return cur.rowcount == 1


async def end(
    conn: aiosqlite.Connection, meeting_id: int, person_id: int, now: dt.datetime
) -> bool:
    cur = await conn.execute(
        "UPDATE minuted_meetings SET ended_by = ?, ended_at = ?, last_line = "
        f"({_LAST_LINE_ID}) WHERE id = ? AND ended_at IS NULL",
        (person_id, to_db(now), meeting_id),
    )
    return cur.rowcount == 1


async def get(conn: aiosqlite.Connection, meeting_id: int) -> MinutedMeeting | None:
    if not may_be_id(meeting_id):
        return None
    row = await fetch_one(
        conn, f"SELECT {_MEETING} FROM minuted_meetings WHERE id = ?", (meeting_id,)
    )
    return await _meeting(conn, row)


async def running(conn: aiosqlite.Connection) -> list[MinutedMeeting]:
    """Every meeting whose minutes are being taken, wherever it runs."""
    rows = await conn.execute_fetchall(
        f"SELECT {_MEETING} FROM minuted_meetings WHERE ended_at IS NULL ORDER BY id"
    )
    return [meeting for row in rows if (meeting := await _meeting(conn, row)) is not None]


async def running_for_scheduled(
    conn: aiosqlite.Connection, scheduled_ref: str
) -> MinutedMeeting | None:
    """The running minutes of a scheduled meeting (the latest started, if several)."""
    return await _latest(conn, "scheduled_ref = ? AND ended_at IS NULL", (scheduled_ref,))


async def latest_for_scheduled(
    conn: aiosqlite.Connection, scheduled_ref: str
) -> MinutedMeeting | None:
    """The minutes of a scheduled meeting, running or ended (the latest started, if several)."""
    return await _latest(conn, "scheduled_ref = ?", (scheduled_ref,))


async def latest(conn: aiosqlite.Connection, channel: str | None = None) -> MinutedMeeting | None:
    """The most recent meeting of this channel only, or of any channel when none is given.

    Only this channel's: `/minutes` in a room asks for that room's meeting, and
    another room's shown in its place would pass for it.
    """
    if channel is None:
        return await _latest(conn, "1", ())
    return await _latest(conn, "channel = ?", (channel,))


async def latest_titled(conn: aiosqlite.Connection, title: str) -> MinutedMeeting | None:
    """The most recent meeting whose title contains this text."""
    pattern = title.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return await _latest(conn, "title LIKE ? ESCAPE '\\'", (f"%{pattern}%",))


async def _latest(
    conn: aiosqlite.Connection, where: str, params: tuple[object, ...]
) -> MinutedMeeting | None:
    row = await fetch_one(
        conn,
        f"SELECT {_MEETING} FROM minuted_meetings WHERE {where}"
        " ORDER BY started_at DESC, id DESC LIMIT 1",
        params,
    )
    return await _meeting(conn, row)


async def earlier_in_series(conn: aiosqlite.Connection, meeting: MinutedMeeting) -> list[int]:
    cur = await conn.execute(
        "SELECT id FROM minuted_meetings WHERE series = ? AND id != ?"
        " AND (started_at < ? OR (started_at = ? AND id < ?))",
        (
            meeting.series,
            meeting.id,
            to_db(meeting.started_at),
            to_db(meeting.started_at),
            meeting.id,
        ),
    )
    return [r[0] for r in await cur.fetchall()]


_LINES_PER_INSERT = 500  # 8 parameters a row, well under SQLite's limit


async def add_lines(conn: aiosqlite.Connection, lines: Sequence[NewLine]) -> None:
    """Insert many lines at once (the caller has dropped repeated messages).

    One multi-row INSERT rather than executemany: SQLite steps one statement
    instead of one per row, which is most of the database's share of a batch.
    """
    for start in range(0, len(lines), _LINES_PER_INSERT):
        chunk = lines[start : start + _LINES_PER_INSERT]
        values = ", ".join("(?, ?, ?, ?, ?, ?, ?, ?)" for _ in chunk)
        await conn.execute(
            f"{_INSERT_INTO} VALUES {values}", [value for line in chunk for value in line.row()]
        )


async def remove_action_lines(
    conn: aiosqlite.Connection, action_ids: Sequence[int], newest: int
) -> None:
    """Delete the lines of these actions among the table's `newest` lines.

    For the meeting writer, whose batch of lines went in beside its actions:
    the lines of actions that proved to be recorded already go again. Lines
    only grow in id (AUTOINCREMENT), so the batch's are the newest.
    """
    marks = ", ".join("?" for _ in action_ids)
    await conn.execute(
        "DELETE FROM meeting_lines WHERE id IN"
        " (SELECT id FROM meeting_lines ORDER BY id DESC LIMIT ?)"
        f" AND action_id IN ({marks})",
        (newest, *action_ids),
    )


async def add_line(conn: aiosqlite.Connection, line: NewLine) -> int:
    cur = await conn.execute(INSERT_LINE, line.row())
    return int(cur.lastrowid)


async def message_keys(conn: aiosqlite.Connection, meeting_id: int) -> set[str]:
    """The message keys recorded in a meeting: what a repeated delivery is checked against."""
    rows = await conn.execute_fetchall(
        f"SELECT message_key FROM meeting_lines WHERE {_IN_MEETING} AND message_key IS NOT NULL",
        {"meeting": meeting_id},
    )
    return {row[0] for row in rows}


async def lines(conn: aiosqlite.Connection, meeting_id: int) -> list[Line]:
    rows = await conn.execute_fetchall(
        f"SELECT {_LINE} FROM meeting_lines WHERE {_IN_MEETING} ORDER BY id",
        {"meeting": meeting_id},
    )
    return [_line(row) for row in rows]


async def last_item(
    conn: aiosqlite.Connection, meeting_id: int, person_id: int | None
) -> Line | None:
    """The newest item not yet undone: the person's own, or anyone's when person_id is None."""
    kinds = {f"kind{n}": kind for n, kind in enumerate(ITEM_KINDS)}
    marks = ", ".join(f":{name}" for name in kinds)
    row = await fetch_one(
        conn,
        f"SELECT {_LINE} FROM meeting_lines WHERE {_IN_MEETING} AND undone = 0"
        f" AND kind IN ({marks}) AND (:person IS NULL OR person_id = :person)"
        " ORDER BY id DESC LIMIT 1",
        {"meeting": meeting_id, "person": person_id, **kinds},
    )
    return None if row is None else _line(row)


async def mark_undone(conn: aiosqlite.Connection, line_id: int) -> None:
    await conn.execute("UPDATE meeting_lines SET undone = 1 WHERE id = ?", (line_id,))


async def line_of_message(conn: aiosqlite.Connection, meeting_id: int, key: str) -> Line | None:
    """The line a message (`message_key`) was recorded as in a meeting, if it was.

    For a message edited or deleted while the meeting runs: a scan of the
    meeting's range of lines, as `message_keys` reads them (no index by key, see
    migration 0080), which edits are rare enough to afford.
    """
    row = await fetch_one(
        conn,
        f"SELECT {_LINE} FROM meeting_lines WHERE {_IN_MEETING} AND message_key = :key"
        " ORDER BY id LIMIT 1",
        {"meeting": meeting_id, "key": key},
    )
    return None if row is None else _line(row)


async def rewrite_line(
    conn: aiosqlite.Connection, line_id: int, kind: LineKind, text: str, action_id: int | None
) -> None:
    """A line as its message now reads (edited): its kind, text and action."""
    await conn.execute(
        "UPDATE meeting_lines SET kind = ?, text = ?, action_id = ? WHERE id = ?",
        (kind, text, action_id, line_id),
    )


async def remove_line(conn: aiosqlite.Connection, line_id: int) -> None:
    """Take a line out of the minutes and their log (its message was deleted)."""
    await conn.execute("DELETE FROM meeting_lines WHERE id = ?", (line_id,))
