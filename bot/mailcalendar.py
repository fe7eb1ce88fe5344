"""Calendar answers (iMIP `METHOD:REPLY`): who accepted, declined or is unsure.

Outlook, Gmail and Apple Mail all answer an invitation with a VEVENT holding
the UID and the one ATTENDEE who answers, with its PARTSTAT. Recording it is
the meetings code's business; `record` hands each answer to it.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

import aiosqlite
from icalendar import Calendar

log = logging.getLogger(__name__)

PARTSTATS = frozenset(("ACCEPTED", "DECLINED", "TENTATIVE", "NEEDS-ACTION", "DELEGATED"))


@dataclass(frozen=True)
class Answer:
    uid: str
    email: str
    partstat: str


def replies(calendar_text: str) -> list[Answer]:
    """The answers in a `METHOD:REPLY` calendar; nothing for any other method."""
    try:
        calendar = Calendar.from_ical(calendar_text)
    except ValueError:
        return []
    if str(calendar.get("METHOD", "")).upper() != "REPLY":
        return []
    found = []
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", "")).strip()
        attendees = event.get("ATTENDEE", [])
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            address = str(attendee).strip()
            if address.lower().startswith("mailto:"):
                address = address[7:]
            partstat = str(attendee.params.get("PARTSTAT", "")).upper()
            if uid and "@" in address and partstat in PARTSTATS:
                found.append(Answer(uid, address.lower(), partstat))
    return found


async def record(conn: aiosqlite.Connection, answer: Answer) -> bool:
    """Store one answer on its meeting through the meetings storage, if it is installed.

    The meetings capability owns the attendee table; until it is present the
    answer is logged and reported as not recorded.
    """
    try:
        meetings = importlib.import_module("storage.meetings")
    except ModuleNotFoundError:
        meetings = None
    set_partstat = getattr(meetings, "set_partstat", None)
    if set_partstat is None:
        log.warning("calendar answer not recorded (no meetings storage): %s", answer)
        return False
    return bool(await set_partstat(conn, answer.uid, answer.email, answer.partstat))
