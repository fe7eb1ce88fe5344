"""Meetings, their attendees and their answers, and open slot proposals.

The mail connector records an attendee's iTIP REPLY with `set_partstat(conn,
uid, email, partstat)`; everything else is written by `bot.meetings`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

import aiosqlite
from pydantic import BaseModel

from storage.db import fetch_one, may_be_id
from storage.timestamps import from_db, to_db

PartStat = Literal["NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED"]
PARTSTATS: tuple[str, ...] = PartStat.__args__  # type: ignore[attr-defined]
# Answers after which an attendee gets no reminders and no digest lists the meeting
# as theirs: they said they will not come, or passed the invitation on to another.
NOT_COMING = ("DECLINED", "DELEGATED")


class Attendee(BaseModel):
    """Someone invited: a known person, or only an e-mail address."""

    person_id: int | None = None
    email: str | None = None
    name: str
    timezone: str | None = None
    role: str = "REQ-PARTICIPANT"
    partstat: PartStat = "NEEDS-ACTION"
    delegated_from: str | None = None  # a delegate's: the address whose invitation they took
    note: str | None = None  # what they typed with their answer (its COMMENT)


class Meeting(BaseModel):
    id: int
    code: str
    uid: str
    title: str
    start: dt.datetime
    end: dt.datetime
    sequence: int
    status: Literal["confirmed", "cancelled"]
    organizer_id: int | None
    organizer_name: str
    channel: str
    theme_id: int | None
    agenda: str
    join_url: str | None
    list_invited: bool
    cancel_reason: str | None
    updated_at: dt.datetime  # its last change; for a cancelled one, when it was cancelled
    zone: str | None = None  # the IANA zone its time was set in; None: the group's
    attendees: list[Attendee] = []

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start


_COLUMNS = (
    "id, code, uid, title, start_at, end_at, sequence, status, organizer_id, organizer_name,"
    " channel, theme_id, agenda, join_url, list_invited, cancel_reason, updated_at, zone"
)


async def _meeting(conn: aiosqlite.Connection, row: aiosqlite.Row) -> Meeting:
    data = dict(row)
    data["start"] = from_db(data.pop("start_at"))
    data["end"] = from_db(data.pop("end_at"))
    data["updated_at"] = from_db(data["updated_at"])
    data["list_invited"] = bool(data["list_invited"])
    # The zone the attendee has set now (by person, or by the address they were invited
    # at): one set after the invitation is where they read the update and the reminders.
    cur = await conn.execute(
        "SELECT a.person_id, a.email, a.name,"
        " COALESCE(p.timezone, p.platform_zone, a.timezone) AS timezone,"
        " a.role, a.partstat, a.delegated_from, a.answer_note AS note"
        " FROM meeting_attendees a LEFT JOIN people p"
        " ON p.id = a.person_id OR (a.person_id IS NULL AND p.email = a.email)"
        " WHERE a.meeting_id = ? ORDER BY a.id",
        (data["id"],),
    )
    data["attendees"] = [Attendee(**dict(r)) for r in await cur.fetchall()]
    return Meeting(**data)


async def create(
    conn: aiosqlite.Connection,
    *,
    uid: str,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    organizer_id: int | None,
    organizer_name: str,
    channel: str,
    attendees: list[Attendee],
    created_by: str,
    now: dt.datetime,
    theme_id: int | None = None,
    agenda: str = "",
    join_url: str | None = None,
    list_invited: bool = False,
    zone: str | None = None,
) -> Meeting:
    cur = await conn.execute(
        "INSERT INTO meetings (uid, title, start_at, end_at, organizer_id, organizer_name,"
        " channel, theme_id, agenda, join_url, list_invited, created_by, created_at, updated_at,"
        " zone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            uid,
            title,
            to_db(start),
            to_db(end),
            organizer_id,
            organizer_name,
            channel,
            theme_id,
            agenda,
            join_url,
            int(list_invited),
            created_by,
            to_db(now),
            to_db(now),
            zone,
        ),
    )
    meeting_id = int(cur.lastrowid)
    await conn.execute(
        "UPDATE meetings SET code = ? WHERE id = ?", (code_for(meeting_id), meeting_id)
    )
    for person in attendees:
        await conn.execute(
            "INSERT INTO meeting_attendees (meeting_id, person_id, email, name, timezone, role)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                meeting_id,
                person.person_id,
                person.email.lower() if person.email else None,
                person.name,
                person.timezone,
                person.role,
            ),
        )
    meeting = await get(conn, meeting_id)
    assert meeting is not None
    return meeting


def code_for(meeting_id: int) -> str:
    """The id people see and type for a meeting (`m7`): its own series, apart from
    the numbers of minutes and action items."""
    return f"m{meeting_id}"


async def get(conn: aiosqlite.Connection, meeting_id: int) -> Meeting | None:
    if not may_be_id(meeting_id):
        return None
    row = await fetch_one(conn, f"SELECT {_COLUMNS} FROM meetings WHERE id = ?", (meeting_id,))
    return None if row is None else await _meeting(conn, row)


async def by_code(conn: aiosqlite.Connection, code: str) -> Meeting | None:
    row = await fetch_one(
        conn, f"SELECT {_COLUMNS} FROM meetings WHERE code = ? COLLATE NOCASE", (code.strip(),)
    )
    return None if row is None else await _meeting(conn, row)


async def by_title(conn: aiosqlite.Connection, title: str) -> list[Meeting]:
    """The meetings with this title (any case, spaces as typed collapsed), first first."""
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM meetings WHERE title = ? COLLATE NOCASE ORDER BY start_at, id",
        (" ".join(title.split()),),
    )
    return [await _meeting(conn, row) for row in await cur.fetchall()]


async def by_uid(conn: aiosqlite.Connection, uid: str) -> Meeting | None:
    row = await fetch_one(conn, f"SELECT {_COLUMNS} FROM meetings WHERE uid = ?", (uid,))
    return None if row is None else await _meeting(conn, row)


async def same_as(
    conn: aiosqlite.Connection, organizer_id: int | None, title: str, start: dt.datetime
) -> Meeting | None:
    """A confirmed meeting this organiser already has with this title at this start."""
    row = await fetch_one(
        conn,
        f"SELECT {_COLUMNS} FROM meetings WHERE status = 'confirmed' AND organizer_id IS ?"
        " AND title = ? COLLATE NOCASE AND start_at = ? ORDER BY id LIMIT 1",
        (organizer_id, title.strip(), to_db(start)),
    )
    return None if row is None else await _meeting(conn, row)


async def upcoming(conn: aiosqlite.Connection, now: dt.datetime) -> list[Meeting]:
    """Confirmed meetings not over yet, soonest first."""
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM meetings WHERE status = 'confirmed' AND end_at > ?"
        " ORDER BY start_at, id",
        (to_db(now),),
    )
    return [await _meeting(conn, row) for row in await cur.fetchall()]


async def since(conn: aiosqlite.Connection, moment: dt.datetime) -> list[Meeting]:
    """Every meeting ending after a moment, cancelled ones too (the calendar feed)."""
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM meetings WHERE end_at > ? ORDER BY start_at, id",
        (to_db(moment),),
    )
    return [await _meeting(conn, row) for row in await cur.fetchall()]


async def busy_between(
    conn: aiosqlite.Connection, first: dt.datetime, last: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime, list[int]]]:
    """Confirmed meetings overlapping [first, last): start, end, attending person ids."""
    cur = await conn.execute(
        "SELECT m.start_at, m.end_at, group_concat(a.person_id) FROM meetings m"
        " LEFT JOIN meeting_attendees a ON a.meeting_id = m.id"
        " WHERE m.status = 'confirmed' AND m.end_at > ? AND m.start_at < ?"
        " GROUP BY m.id ORDER BY m.start_at",
        (to_db(first), to_db(last)),
    )
    result = []
    for start, end, ids in await cur.fetchall():
        people = [int(x) for x in ids.split(",")] if ids else []
        result.append((from_db(start), from_db(end), people))
    return result


async def move(
    conn: aiosqlite.Connection,
    meeting_id: int,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    zone: str | None = None,
) -> None:
    """A new time, set in `zone` (None keeps the meeting's): SEQUENCE+1, and every
    earlier answer is asked again, but for a delegation: who passed the invitation on
    does not take it back with the time."""
    await conn.execute(
        "UPDATE meetings SET start_at = ?, end_at = ?, sequence = sequence + 1, updated_at = ?,"
        " zone = COALESCE(?, zone) WHERE id = ?",
        (to_db(start), to_db(end), to_db(now), zone, meeting_id),
    )
    await conn.execute(
        "UPDATE meeting_attendees SET partstat = 'NEEDS-ACTION', replied_at = NULL,"
        " answer_note = NULL WHERE meeting_id = ? AND partstat != 'DELEGATED'",
        (meeting_id,),
    )


async def cancel(
    conn: aiosqlite.Connection, meeting_id: int, reason: str | None, now: dt.datetime
) -> None:
    await conn.execute(
        "UPDATE meetings SET status = 'cancelled', sequence = sequence + 1, cancel_reason = ?,"
        " updated_at = ? WHERE id = ?",
        (reason, to_db(now), meeting_id),
    )


async def set_partstat(
    conn: aiosqlite.Connection,
    uid: str,
    email: str,
    partstat: str,
    now: dt.datetime | None = None,
    *,
    sequence: int | None = None,
    stamp: dt.datetime | None = None,
    note: str | None = None,
) -> bool:
    """Record an attendee's answer (an iTIP REPLY); False when the UID or address is unknown.

    The mail connector calls this with the REPLY's UID, the ATTENDEE address
    (without `mailto:`), its PARTSTAT, its SEQUENCE and its DTSTAMP. An answer
    whose SEQUENCE is below the meeting's answers a version since moved or
    cancelled (RFC 5546 2.1.5): it is not taken, and False is returned as for an
    unknown meeting. Nor is one written before the answer already taken (a lower
    SEQUENCE, or the same with an earlier DTSTAMP): mail may arrive out of the
    order it was written, and an Accept delayed by a server must not undo the
    Decline sent after it. An answer without them is taken as it arrives. `note`,
    what they typed with it, replaces the one of their earlier answer.
    """
    value = partstat.strip().upper()
    if value not in PARTSTATS:
        raise ValueError(f"{partstat!r} is not a PARTSTAT ({', '.join(PARTSTATS)})")
    cur = await conn.execute(
        "UPDATE meeting_attendees SET partstat = :partstat, replied_at = :now,"
        " answer_sequence = COALESCE(:sequence, answer_sequence),"
        " answer_stamp = COALESCE(:stamp, answer_stamp), answer_note = :note"
        " WHERE email = :email AND meeting_id = (SELECT id FROM meetings WHERE uid = :uid"
        " AND (:sequence IS NULL OR sequence <= :sequence))"
        " AND (:sequence > answer_sequence OR (COALESCE(:sequence = answer_sequence, 1)"
        " AND (:stamp IS NULL OR answer_stamp IS NULL OR :stamp >= answer_stamp)))",
        {
            "partstat": value,
            "now": to_db(now) if now else None,
            "email": email.strip().lower().removeprefix("mailto:"),
            "uid": uid,
            "sequence": sequence,
            "stamp": to_db(stamp) if stamp else None,
            "note": note,
        },
    )
    return cur.rowcount > 0


async def add_delegate(
    conn: aiosqlite.Connection,
    uid: str,
    delegator: str,
    delegate: str,
    name: str | None,
    *,
    sequence: int | None = None,
) -> bool:
    """Make `delegate` an attendee of the meeting `delegator` is invited to, in the same
    role, when the meeting stands and the answer is not to an earlier version of it.

    `name` (the delegate's CN) replaces the address's first part as the delegate's
    name when given, also once the delegate is an attendee. The delegate keeps the
    first address whose invitation they took (what `/meetings` shows the attendee who
    passed it on). False when nothing changed.
    """
    address = delegate.strip().lower()
    cur = await conn.execute(
        "INSERT INTO meeting_attendees (meeting_id, email, name, role, delegated_from)"
        " SELECT m.id, ?, COALESCE(?, ?), a.role, a.email FROM meetings m"
        " JOIN meeting_attendees a ON a.meeting_id = m.id"
        " WHERE m.uid = ? AND a.email = ? AND m.status = 'confirmed'"
        " AND (? IS NULL OR m.sequence <= ?)"
        " ON CONFLICT (meeting_id, email) DO UPDATE SET name = COALESCE(?, name),"
        " delegated_from = COALESCE(delegated_from, excluded.delegated_from)",
        (
            address,
            name,
            address.partition("@")[0],
            uid,
            delegator.strip().lower(),
            sequence,
            sequence,
            name,
        ),
    )
    return cur.rowcount > 0


async def add_guest(
    conn: aiosqlite.Connection,
    uid: str,
    email: str,
    name: str | None,
    *,
    sequence: int | None = None,
) -> bool:
    """Make `email`, not invited, an optional attendee of the meeting `uid` when it stands,
    the answer is not to an earlier version of it, and an invited attendee has an address
    at the same domain (a colleague their invitation was forwarded to); `name` (their CN)
    or the address's first part names them. False when nothing changed (already an
    attendee, or no invited colleague)."""
    address = email.strip().lower()
    domain = "@" + address.rpartition("@")[2]
    cur = await conn.execute(
        "INSERT INTO meeting_attendees (meeting_id, email, name, role)"
        " SELECT id, ?, ?, 'OPT-PARTICIPANT' FROM meetings"
        " WHERE uid = ? AND status = 'confirmed' AND (? IS NULL OR sequence <= ?)"
        " AND EXISTS (SELECT 1 FROM meeting_attendees AS invited"
        "  WHERE invited.meeting_id = meetings.id AND invited.role IS NOT 'OPT-PARTICIPANT'"
        "  AND lower(substr(invited.email, instr(invited.email, '@'))) = ?)"
        " ON CONFLICT (meeting_id, email) DO NOTHING",
        (
            address,
            (name or "").strip() or address.partition("@")[0],
            uid,
            sequence,
            sequence,
            domain,
        ),
    )
    return cur.rowcount > 0


async def set_note(conn: aiosqlite.Connection, uid: str, email: str, note: str) -> bool:
    """Keep the note an attendee wrote to the organiser (a proposal's COMMENT) with their
    answer, where /meetings shows it to the organiser and the secretariat."""
    cur = await conn.execute(
        "UPDATE meeting_attendees SET answer_note = ? WHERE email = ?"
        " AND meeting_id = (SELECT id FROM meetings WHERE uid = ?)",
        (note, email.strip().lower(), uid),
    )
    return cur.rowcount > 0


async def name_attendee(conn: aiosqlite.Connection, uid: str, email: str, name: str) -> bool:
    """Give an attendee of the meeting `uid` the name their calendar gives (a delegate's CN)."""
    cur = await conn.execute(
        "UPDATE meeting_attendees SET name = ? WHERE email = ?"
        " AND meeting_id = (SELECT id FROM meetings WHERE uid = ?)",
        (name.strip(), email.strip().lower(), uid),
    )
    return cur.rowcount > 0


async def save_proposal(
    conn: aiosqlite.Connection,
    identity: str,
    channel: str,
    payload: dict[str, Any],
    now: dt.datetime,
) -> None:
    await conn.execute(
        "INSERT INTO meeting_proposals (identity, channel, payload, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (identity, channel) DO UPDATE SET payload = excluded.payload,"
        " created_at = excluded.created_at",
        (identity, channel, json.dumps(payload, ensure_ascii=False), to_db(now)),
    )


async def proposal(
    conn: aiosqlite.Connection, identity: str, channel: str
) -> dict[str, Any] | None:
    row = await fetch_one(
        conn,
        "SELECT payload FROM meeting_proposals WHERE identity = ? AND channel = ?",
        (identity, channel),
    )
    return None if row is None else dict(json.loads(row[0]))


async def drop_proposal(conn: aiosqlite.Connection, identity: str, channel: str) -> None:
    await conn.execute(
        "DELETE FROM meeting_proposals WHERE identity = ? AND channel = ?", (identity, channel)
    )
