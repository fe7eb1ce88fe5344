"""iCalendar text that Outlook, Gmail and Apple Calendar accept as invites (RFC 5545, 5546).

- `meeting_calendar(meeting, method=..., ...)`: one meeting as an iTIP message:
  `REQUEST` for invites and updates (attendees, RSVP), `CANCEL` for a
  cancellation (STATUS:CANCELLED, the raised SEQUENCE), `PUBLISH` for the
  mailing-list announcement (no attendees, as RFC 5546 3.2.1 requires).
- `feed(meetings, sessions, ...)`: the subscribable calendar: no METHOD,
  sessions as all-day events, cancelled meetings kept as STATUS:CANCELLED.

A meeting keeps its UID for life; SEQUENCE is the one stored with it (0 on
creation, +1 per change); DTSTAMP is the send time, always UTC. Start and end
are written in Europe/Zurich with a VTIMEZONE of our own (`vtimezone`): a long
RDATE list (what `add_missing_timezones()` writes) is misread by Outlook, so
yearly rules are written as RRULEs and the rest narrowed to the years needed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

from storage.meetings import Attendee, Meeting
from storage.sessions import Session

PRODID = "-//ITU ISCG//iscg-bot//EN"
GENEVA = ZoneInfo("Europe/Zurich")
ALARM_BEFORE = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class _Transition:
    onset: dt.datetime  # local wall-clock time in the offset before the change (RFC 5545 3.6.5)
    before: dt.timedelta
    after: dt.timedelta
    name: str
    dst: bool


def _offset(zone: ZoneInfo, moment: dt.datetime) -> dt.timedelta:
    return moment.astimezone(zone).utcoffset() or dt.timedelta()


def _transitions(zone: ZoneInfo, first: dt.datetime, last: dt.datetime) -> list[_Transition]:
    """Every change of the zone's offset in [first, last): a day at a time, then to the minute."""
    found = []
    day = first
    previous = _offset(zone, day)
    while day < last:
        following = day + dt.timedelta(days=1)
        if _offset(zone, following) != previous:
            low, high = day, following  # the change lies in (low, high]
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == previous:
                    low = middle
                else:
                    high = middle
            local = high.astimezone(zone)
            after = local.utcoffset() or dt.timedelta()
            found.append(
                _Transition(
                    onset=(high + previous).replace(tzinfo=None, second=0, microsecond=0),
                    before=previous,
                    after=after,
                    name=local.tzname() or "",
                    dst=bool(local.dst()),
                )
            )
            previous = after
        day = following
    return found


def _yearly_rule(onsets: list[dt.datetime]) -> dict[str, object] | None:
    """`FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU` when every onset follows one such rule."""
    if len(onsets) < 2 or len({(o.year) for o in onsets}) != len(onsets):
        return None
    first = onsets[0]
    if any(
        (o.month, o.weekday(), o.time()) != (first.month, first.weekday(), first.time())
        for o in onsets
    ):
        return None
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[first.weekday()]
    if all(o.day + 7 > calendar.monthrange(o.year, o.month)[1] for o in onsets):
        return {"freq": "yearly", "bymonth": first.month, "byday": f"-1{weekday}"}
    nth = {(o.day - 1) // 7 + 1 for o in onsets}
    if len(nth) == 1:
        return {"freq": "yearly", "bymonth": first.month, "byday": f"{nth.pop()}{weekday}"}
    return None


def vtimezone(zone: ZoneInfo, first: dt.date, last: dt.date) -> icalendar.Timezone:
    """The zone's rules for the years from `first` to `last`, in the compact form Outlook reads.

    Transitions that follow a yearly rule (Geneva's last Sundays of March and
    October) become one RRULE each, ending (UNTIL) only where the zone stopped
    following it; others (Tehran's fixed dates) become one sub-component per
    change, of which a range of a few years has only a handful. Each DTSTART is
    the onset in the offset in force before it, as RFC 5545 3.6.5 requires.
    """
    start = dt.datetime(first.year - 1, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last.year + 2, 1, 1, tzinfo=dt.UTC)
    tz = icalendar.Timezone()
    tz.add("tzid", zone.key)
    changes = _transitions(zone, start, end)
    if not changes:
        local = start.astimezone(zone)
        part = icalendar.TimezoneStandard()
        part.add("dtstart", dt.datetime(1970, 1, 1))
        part.add("tzoffsetfrom", local.utcoffset())
        part.add("tzoffsetto", local.utcoffset())
        part.add("tzname", local.tzname())
        tz.add_component(part)
        return tz
    kinds: dict[tuple[bool, dt.timedelta, dt.timedelta, str], list[_Transition]] = {}
    for change in changes:
        kinds.setdefault((change.dst, change.before, change.after, change.name), []).append(change)
    for (dst, before, after, name), group in kinds.items():
        onsets = [change.onset for change in group]
        rule = _yearly_rule(onsets)
        for onset in onsets[:1] if rule else onsets:
            part = icalendar.TimezoneDaylight() if dst else icalendar.TimezoneStandard()
            part.add("dtstart", onset)
            part.add("tzoffsetfrom", before)
            part.add("tzoffsetto", after)
            part.add("tzname", name)
            if rule:
                if onsets[-1].year < end.year - 1:  # the zone stopped following the rule
                    rule = {**rule, "until": (onsets[-1] - before).replace(tzinfo=dt.UTC)}
                part.add("rrule", rule)
            tz.add_component(part)
    return tz


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


def _local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The moment in the zone, or in UTC when its wall-clock time is the repeated hour of
    a change back to standard time: RFC 5545 reads an ambiguous local time as its first
    occurrence, which would move a meeting in the second one by an hour."""
    local = moment.astimezone(zone)
    if local.replace(fold=0).astimezone(dt.UTC) != moment.astimezone(dt.UTC):
        return moment.astimezone(dt.UTC)
    return local


def _delegation(person: Attendee, everyone: list[Attendee]) -> dict[str, list[str]]:
    """Who `person` passed the invitation on to, or took it from, as the organiser's
    update states it (RFC 5546 3.2.2.3, 4.2.10): without it the delegate's calendar
    shows an invitation from nowhere, and the delegator's a meeting they seem to skip."""
    address = (person.email or "").lower()
    taken = [f"mailto:{a.email}" for a in everyone if a.email and a.delegated_from == address]
    parameters = {"DELEGATED-TO": taken} if person.partstat == "DELEGATED" and taken else {}
    if person.delegated_from:
        parameters["DELEGATED-FROM"] = [f"mailto:{person.delegated_from}"]
    return parameters


def _event(
    meeting: Meeting,
    *,
    now: dt.datetime,
    organizer_email: str,
    zone: ZoneInfo,
    attendees: bool,
    alarm: bool,
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", _local(meeting.start, zone))
    event.add("dtend", _local(meeting.end, zone))
    event.add("summary", meeting.title)
    event.add("description", _description(meeting))
    if meeting.join_url:
        event.add("url", meeting.join_url)
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
                    # The answer the organiser knows (RFC 5546 3.2.2): one who passed
                    # the invitation on is not asked again.
                    "RSVP": "FALSE" if person.partstat == "DELEGATED" else "TRUE",
                    "PARTSTAT": person.partstat,
                    "CUTYPE": "INDIVIDUAL",
                    **_delegation(person, meeting.attendees),
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
            )
        )
    for session in sessions:
        cal.add_component(_session_event(session, now))
    return cal.to_ical().decode("utf-8")
