"""iCalendar text that Outlook, Gmail and Apple Calendar accept as invites (RFC 5545, 5546).

- `meeting_calendar(meeting, method=..., ...)`: one meeting as an iTIP message:
  `REQUEST` for invites and updates (attendees, RSVP), `CANCEL` for a
  cancellation (STATUS:CANCELLED, the raised SEQUENCE), `PUBLISH` for the
  mailing-list announcement (no attendees, as RFC 5546 3.2.1 requires).
- `feed(meetings, sessions, ...)`: the subscribable calendar: no METHOD,
  sessions as all-day events, cancelled meetings kept as STATUS:CANCELLED.

A meeting keeps its UID for life; SEQUENCE is the one stored with it (0 on
creation, +1 per change); DTSTAMP is the send time, always UTC. Start and end
are written in Europe/Zurich with a VTIMEZONE narrowed to the years needed: a
long RDATE list (what `add_missing_timezones()` writes) is misread by Outlook,
while a zone cut to one or two years has at most a transition or two per rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar

from storage.meetings import Meeting
from storage.sessions import Session

PRODID = "-//ITU ISCG//iscg-bot//EN"
GENEVA = ZoneInfo("Europe/Zurich")
ALARM_BEFORE = dt.timedelta(minutes=15)


def vtimezone(zone: ZoneInfo, first: dt.date, last: dt.date) -> icalendar.Timezone:
    """The zone's rules from 1 January of `first`'s year to 1 January after `last`."""
    return icalendar.Timezone.from_tzinfo(
        zone, first_date=dt.date(first.year, 1, 1), last_date=dt.date(last.year + 1, 1, 1)
    )


def _calendar(method: str | None, name: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def _description(meeting: Meeting) -> str:
    parts = []
    if meeting.agenda:
        parts.append(f"Agenda:\n{meeting.agenda}")
    if meeting.join_url:
        parts.append(f"Join: {meeting.join_url}")
    if meeting.status == "cancelled":
        parts.append("Cancelled" + (f": {meeting.cancel_reason}" if meeting.cancel_reason else "."))
    parts.append(f"ISCG meeting {meeting.code}, organised by {meeting.organizer_name}.")
    return "\n\n".join(parts)


def _event(
    meeting: Meeting,
    *,
    now: dt.datetime,
    organizer_email: str,
    zone: ZoneInfo,
    attendees: bool,
    alarm: bool,
    url: str | None,
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", meeting.start.astimezone(zone))
    event.add("dtend", meeting.end.astimezone(zone))
    event.add("summary", meeting.title)
    event.add("description", _description(meeting))
    if url or meeting.join_url:
        event.add("url", url or meeting.join_url)
    if meeting.join_url:
        event.add("location", meeting.join_url)
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if meeting.status == "cancelled" else "OPAQUE")
    event.add(
        "organizer",
        f"mailto:{organizer_email}",
        parameters={"CN": meeting.organizer_name},
    )
    if attendees:
        for person in meeting.attendees:
            if not person.email:
                continue  # reached in chat only; a calendar address must be mail
            event.add(
                "attendee",
                f"mailto:{person.email}",
                parameters={
                    "CN": person.name,
                    "ROLE": person.role,
                    "RSVP": "TRUE",
                    "PARTSTAT": "NEEDS-ACTION",
                    "CUTYPE": "INDIVIDUAL",
                },
            )
    if alarm and meeting.status == "confirmed":
        valarm = icalendar.Alarm()
        valarm.add("action", "DISPLAY")
        valarm.add("description", f"Reminder: {meeting.title}")
        valarm.add("trigger", -ALARM_BEFORE)
        event.add_component(valarm)
    return event


def meeting_calendar(
    meeting: Meeting,
    *,
    method: str,
    now: dt.datetime,
    organizer_email: str,
    zone: ZoneInfo = GENEVA,
    url: str | None = None,
) -> str:
    """One meeting as the iTIP message for `method` (REQUEST, CANCEL or PUBLISH)."""
    if method not in ("REQUEST", "CANCEL", "PUBLISH"):
        raise ValueError(f"unsupported METHOD {method!r}")
    if method == "CANCEL" and meeting.status != "cancelled":
        raise ValueError("a CANCEL is only sent for a cancelled meeting")
    cal = _calendar(method)
    cal.add_component(vtimezone(zone, meeting.start.date(), meeting.end.date()))
    cal.add_component(
        _event(
            meeting,
            now=now,
            organizer_email=organizer_email,
            zone=zone,
            attendees=method != "PUBLISH",
            alarm=method != "CANCEL",
            url=url,
        )
    )
    return cal.to_ical().decode("utf-8")


def _session_event(session: Session, now: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"session-{session.group.lower()}-{session.first_day.isoformat()}@iscg-bot")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", session.first_day)
    event.add("dtend", session.last_day + dt.timedelta(days=1))  # exclusive, RFC 5545 3.6.1
    event.add("summary", session.title or f"{session.group} session")
    if session.place:
        event.add("location", session.place)
    event.add("transp", "TRANSPARENT")
    return event


def feed(
    meetings: Iterable[Meeting],
    sessions: Iterable[Session],
    *,
    now: dt.datetime,
    organizer_email: str,
    zone: ZoneInfo = GENEVA,
    name: str = "ISCG meetings",
) -> str:
    """The subscribable calendar: no METHOD (RFC 5545 3.7.2), one VTIMEZONE for all."""
    items = list(meetings)
    cal = _calendar(None, name)
    if items:
        first = min(m.start for m in items).date()
        last = max(m.end for m in items).date()
        cal.add_component(vtimezone(zone, first, last))
    for meeting in items:
        cal.add_component(
            _event(
                meeting,
                now=now,
                organizer_email=organizer_email,
                zone=zone,
                attendees=False,
                alarm=False,
                url=None,
            )
        )
    for session in sessions:
        cal.add_component(_session_event(session, now))
    return cal.to_ical().decode("utf-8")
