"""Calendar answers (iMIP `METHOD:REPLY`): who accepted, declined or is unsure.

Outlook, Gmail and Apple Mail all answer an invitation with a VEVENT holding
the UID, the SEQUENCE of the invitation answered and the one ATTENDEE who
answers, with its PARTSTAT. `record` stores each answer through the meetings
storage, in the transaction that marks the mail handled; an answer to an
earlier SEQUENCE (the time before a move, or the meeting before its
cancellation) is not taken for the meeting as it is now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import aiosqlite
from icalendar import Calendar

from storage import meetings
from storage.meetings import PARTSTATS


@dataclass(frozen=True)
class Answer:
    uid: str
    email: str
    partstat: str
    sequence: int | None = None  # of the invitation answered; None when not given


# What an attendee's calendar program sends the organiser (RFC 5546 1.4): an answer,
# a new time proposed ("Propose new time" in Outlook and Gmail), a request for the
# latest version.
ATTENDEE_METHODS = ("REPLY", "COUNTER", "REFRESH")


def _read(calendar_text: str) -> tuple[str, Calendar | None]:
    """The calendar's METHOD (upper case, "" when none) and the calendar; None unreadable."""
    try:
        calendar = Calendar.from_ical(calendar_text)
    except ValueError:
        return "", None
    return str(calendar.get("METHOD", "")).upper(), calendar


def not_taken(calendar_text: str) -> str | None:
    """The METHOD of an attendee's calendar message from which nothing is recorded (a
    COUNTER, a REFRESH, a REPLY without a usable answer), or None.

    Such a message was written by a calendar program, not typed to the bot: its
    text ("Pierre has proposed a new time") is no question to answer.
    """
    method, _ = _read(calendar_text)
    if method not in ATTENDEE_METHODS or (method == "REPLY" and replies(calendar_text)):
        return None
    return method


def replies(calendar_text: str) -> list[Answer]:
    """The answers in a `METHOD:REPLY` calendar; nothing for any other method."""
    method, calendar = _read(calendar_text)
    if calendar is None or method != "REPLY":
        return []
    found = []
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", "")).strip()
        sequence = _sequence(event.get("SEQUENCE"))
        attendees = event.get("ATTENDEE", [])
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            address = str(attendee).strip()
            if address.lower().startswith("mailto:"):
                address = address[7:]
            partstat = str(attendee.params.get("PARTSTAT", "")).upper()
            if uid and "@" in address and partstat in PARTSTATS:
                found.append(Answer(uid, address.lower(), partstat, sequence))
    return found


def _sequence(value: object) -> int | None:
    """The SEQUENCE as a number; None when absent or not a number (nothing to compare)."""
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


async def record(conn: aiosqlite.Connection, answer: Answer, now: dt.datetime) -> bool:
    """Store one answer on its meeting's attendee; False for an unknown UID or address,
    or an answer to an earlier version of the meeting."""
    return await meetings.set_partstat(
        conn, answer.uid, answer.email, answer.partstat, now, sequence=answer.sequence
    )
