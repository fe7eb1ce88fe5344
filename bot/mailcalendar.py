"""Calendar answers (iMIP `METHOD:REPLY`): who accepted, declined or is unsure.

Outlook, Gmail and Apple Mail all answer an invitation with a VEVENT holding
the UID, the SEQUENCE of the invitation answered and the one ATTENDEE who
answers, with its PARTSTAT (and, for a delegation, DELEGATED-TO or -FROM).
`record` stores each answer through the meetings storage, in the transaction
that marks the mail handled; an answer to an earlier SEQUENCE (the time before
a move, or the meeting before its cancellation) is not taken for the meeting
as it is now, nor one written (DTSTAMP) before the answer already taken.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from zoneinfo import ZoneInfo

import aiosqlite
from icalendar import Calendar
from icalendar.parser import Contentline, Contentlines, Parameters

from bot.ical import GENEVA
from storage import meetings
from storage.meetings import PARTSTATS

# Public mail services: two addresses there share a domain and nothing else.
PUBLIC_MAIL = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "yahoo.com", "yahoo.fr", "ymail.com", "aol.com", "icloud.com", "me.com", "mac.com",
        "proton.me", "protonmail.com", "gmx.com", "gmx.net", "gmx.de", "web.de", "mail.ru",
        "yandex.ru", "yandex.com", "qq.com", "163.com", "126.com", "sina.com", "foxmail.com",
        "orange.fr", "free.fr", "laposte.net", "zoho.com",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Answer:
    uid: str
    email: str
    partstat: str
    sequence: int | None = None  # of the invitation answered; None when not given
    name: str | None = None  # the CN the answer gives
    delegated_from: str | None = None  # a delegate's answer: whose invitation it took
    delegated_to: tuple[str, ...] = ()  # a PARTSTAT=DELEGATED answer: to whom
    from_attendee: bool = True  # sent from the attendee's own address (see `spoken_for`)
    proposed: dt.datetime | None = None  # a COUNTER's start: another time, proposed
    proposed_end: dt.datetime | None = None  # and its end (a length proposed with it)
    stamp: dt.datetime | None = None  # its DTSTAMP: when the attendee answered
    comment: str | None = None  # the note typed to the organiser (COMMENT, RFC 5546 3.2.3)
    may_join: bool = False  # from authenticated mail: one uninvited may join (see `record`)
    floating: bool = False  # a COUNTER's time in no zone, read in the invitation's (`replies`)
    undefined_zone: str | None = None  # the zone it named instead, defined nowhere (`replies`)
    refresh: bool = False  # a REFRESH: asks for the meeting as it is now, answers nothing
    organizer: str | None = None  # the ORGANIZER's address: the bot's for one of its meetings
    all_day: bool = False  # a COUNTER giving a day, no time: `proposed` is its midnight, Geneva


# The iTIP messages (RFC 5546 1.4) a calendar program writes: an attendee's answer,
# new time proposed ("Propose new time" in Outlook and Gmail) or request for the
# latest version; an organiser's invitation, update or cancellation (someone's Teams
# meeting with the bot among its invitees). PUBLISH is left out: an .ics a person
# attaches to a question they typed.
ATTENDEE_METHODS = ("REPLY", "COUNTER", "REFRESH")
ORGANIZER_METHODS = ("REQUEST", "CANCEL", "ADD", "DECLINECOUNTER")


@lru_cache(maxsize=16)
def _read(calendar_text: str) -> tuple[str, Calendar | None]:
    """The calendar's METHOD (upper case, "" when none) and the calendar; None unreadable.

    Parsed once per message: the mail policy asks whether a calendar program's
    message is taken, then the flow reads its answers. Callers only read it.
    """
    try:
        calendar = Calendar.from_ical(calendar_text)
        if any(event.errors for event in calendar.walk("VEVENT")):
            calendar = Calendar.from_ical(_mended(calendar_text))
    except ValueError:
        return "", None
    return str(calendar.get("METHOD", "")).upper(), calendar


_ADDRESSED = ("ATTENDEE;", "ORGANIZER;")
_NEXT_PARAMETER = re.compile(r";(?=[A-Za-z0-9-]+=)")
_ADDRESS_VALUE = re.compile(r":((?:mailto|urn):[^\"]*)$", re.IGNORECASE)


def _mended(calendar_text: str) -> str:
    """The calendar's text with each attendee or organiser line that icalendar could not
    read (and dropped, with the answer it gives) written again as RFC 6868 writes it.

    A name holding a double quote is written `^'` by RFC 6868; some programs write it
    as such (`CN="Ana "la jefa" Perez"`) or backslashed as a TEXT value is
    (`CN="Ana \\"la jefa\\" Perez"`, older Thunderbird), which no parameter may hold.
    """
    lines = []
    for line in Contentlines.from_ical(calendar_text):  # unfolded
        if line.upper().startswith(_ADDRESSED):
            try:
                line.parts()
            except ValueError:
                line = _mended_line(line)
        lines.append(line)
    return Contentlines(lines).to_ical().decode("utf-8")


def _mended_line(line: Contentline) -> Contentline:
    """An ATTENDEE or ORGANIZER line whose quoted parameter values hold double quotes,
    read from `;NAME=` to the next and up to the address; unchanged if it has none."""
    address = _ADDRESS_VALUE.search(line)
    if address is None:
        return line
    name, *parts = _NEXT_PARAMETER.split(line[: address.start()])
    parameters = Parameters()
    for part in parts:
        key, _, value = part.partition("=")
        if len(value) > 1 and value[0] == value[-1] == '"':
            value = value[1:-1]
        value = value.replace('\\"', '"')
        parameters[key] = value.split('","') if '","' in value else value
    return Contentline.from_parts(name, parameters, address.group(1))


def not_taken(calendar_text: str, bot_address: str) -> str | None:
    """The METHOD of a calendar program's message from which nothing is taken (a
    REPLY, COUNTER or REFRESH without a usable answer, time or attendee, another
    organiser's invitation), or None.

    Its text ("Pierre has proposed a new time", a Teams meeting's joining
    instructions) was written by a calendar program or for the meeting, not typed
    to the bot: it is no question to answer. One of the bot's own invitations,
    forwarded to it, may carry a command typed above it: it is read as mail.
    """
    method, calendar = _read(calendar_text)
    if calendar is None:
        return None
    if method in ORGANIZER_METHODS:
        organizers = {_addresses(e.get("ORGANIZER")) for e in calendar.walk("VEVENT")}
        return None if (bot_address.lower(),) in organizers else method
    if method not in ATTENDEE_METHODS or replies(calendar_text):
        return None
    return method


def replies(calendar_text: str) -> list[Answer]:
    """The answers in a `METHOD:REPLY` calendar, the times a `METHOD:COUNTER` proposes
    (Outlook's and Gmail's "Propose new time") and the attendees a `METHOD:REFRESH`
    asks the meeting's latest version for; nothing for another method.

    A proposed time in no zone (a floating DTSTART, no TZID and no Z, as some calendar
    programs write one) is read in the zone the bot's invitations are written in, the
    one the attendee's calendar showed the meeting in, and marked `floating` so that
    the organiser is told it was read so: dropped, the proposal was lost unseen. So is
    a day with no time (`DTSTART;VALUE=DATE`, the attendee ticked "All day"): it is
    taken as that day's midnight in Geneva and marked `all_day`, for the organiser to
    be offered the meeting's own time of day on it (`meetings.tell_proposal`).
    """
    method, calendar = _read(calendar_text)
    if calendar is None or method not in ATTENDEE_METHODS:
        return []
    found = []
    zones = _own_zones(calendar)
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", "")).strip()
        sequence = _sequence(event.get("SEQUENCE"))
        stamp = _instant(event, "DTSTAMP")
        proposed = _instant(event, "DTSTART", GENEVA, zones) if method == "COUNTER" else None
        day = _day(event) if method == "COUNTER" and proposed is None else None
        if day is not None:
            proposed = dt.datetime.combine(day, dt.time(), GENEVA).astimezone(dt.UTC)
        if method == "COUNTER" and proposed is None:
            continue  # no time and no day: nothing to propose
        floating = day is None and proposed is not None and _instant(event, "DTSTART") is None
        # A zone named but defined neither in the calendar nor anywhere known: as floating.
        named = getattr(event.get("DTSTART"), "params", {}).get("TZID") if floating else None
        proposed_end = _end(event, proposed, zones) if proposed is not None and not day else None
        organizer = next(iter(_addresses(event.get("ORGANIZER"))), None)
        comment = _comment(event.get("COMMENT"))
        attendees = event.get("ATTENDEE", [])
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            # A server that knows its user by an id ("urn:uuid:...") gives the address in
            # the EMAIL parameter (RFC 7986 6.2).
            [address] = _addresses(attendee) or _addresses(attendee.params.get("EMAIL")) or [""]
            # A COUNTER may also answer the time as it stands (Outlook's "Tentative" or
            # "Decline and Propose New Time"); without PARTSTAT it answers nothing.
            given = "TENTATIVE" if method == "REPLY" else "NEEDS-ACTION"
            partstat = str(attendee.params.get("PARTSTAT", given)).upper()
            if uid and address and partstat in PARTSTATS:
                params = attendee.params
                note = comment or _response_comment(params.get("X-RESPONSE-COMMENT"))
                found.append(
                    Answer(
                        uid,
                        address,
                        partstat,
                        sequence,
                        name=_name(params.get("CN")),
                        delegated_from=next(iter(_addresses(params.get("DELEGATED-FROM"))), None),
                        delegated_to=_addresses(params.get("DELEGATED-TO")),
                        proposed=proposed,
                        proposed_end=proposed_end,
                        stamp=stamp,
                        comment=note,
                        floating=floating,
                        undefined_zone=str(named)[:60] if named else None,
                        organizer=organizer,
                        refresh=method == "REFRESH",
                        all_day=day is not None,
                    )
                )
    return found


def _name(value: object) -> str | None:
    """The CN on one line: RFC 6868 lets a parameter hold a line break (`^n`), which a
    name shown as the first line of a post (a proposal's) or in a list must not keep."""
    if value is None:
        return None
    return " ".join(str(value).split()) or None


def _comment(value: object) -> str | None:
    """The attendee's note: Outlook sends what was typed with the answer or the
    proposal as COMMENT (MS-OXCICAL 2.1.3.1.1.20.5); several are joined; None when blank."""
    items = value if isinstance(value, list) else [value] if value is not None else []
    return "\n".join(note for note in (str(item).strip() for item in items) if note) or None


def _response_comment(value: object) -> str | None:
    """The note Google Calendar sends with an answer ("Add note" by Yes / No / Maybe): an
    ATTENDEE parameter, X-RESPONSE-COMMENT, with its quotes written as HTML's `&quot;`
    (a parameter holds no double quote, RFC 5545 3.1), where Outlook sends a COMMENT."""
    return _comment(html.unescape(str(value))) if value is not None else None


def _own_zones(calendar: Calendar) -> dict[str, dt.tzinfo]:
    """The zones the calendar defines itself (its VTIMEZONEs), by TZID.

    icalendar keeps the first definition it meets of a name it does not know, for
    the whole process, and reads every later calendar's times by it: Outlook calls
    any zone Windows cannot name "Customized Time Zone", so one sender's offset
    would read the next sender's proposal, hours off.
    """
    zones = {}
    for component in calendar.walk("VTIMEZONE"):
        try:
            zones[str(component["TZID"])] = component.to_tz(lookup_tzid=False)
        except (KeyError, ValueError):
            continue  # unusable: the time is read as icalendar reads it
    return zones


def _end(event: object, start: dt.datetime, zones: dict[str, dt.tzinfo]) -> dt.datetime | None:
    """A VEVENT's end as an instant: its DTEND (in no zone, in the invitation's, as its
    start), or its start and DURATION; None if neither."""
    if (end := _instant(event, "DTEND", GENEVA, zones)) is not None:
        return end
    try:
        duration = event.decoded("DURATION")  # type: ignore[attr-defined]
    except (KeyError, ValueError):
        return None
    return start + duration if isinstance(duration, dt.timedelta) else None


def _instant(
    event: object,
    name: str,
    floating: ZoneInfo | None = None,
    zones: dict[str, dt.tzinfo] | None = None,
) -> dt.datetime | None:
    """A VEVENT's DTSTART or DTSTAMP as an instant; None for a day or none, and for a
    floating time unless a zone to read it in is given. A time in a zone the calendar
    defines (`zones`, `_own_zones`) is read by that definition."""
    try:
        value = event.decoded(name)  # type: ignore[attr-defined]
    except (KeyError, ValueError):
        return None
    if not isinstance(value, dt.datetime):
        return None
    tzid = getattr(event.get(name), "params", {}).get("TZID")  # type: ignore[attr-defined]
    if zones and tzid in zones:
        value = value.replace(tzinfo=zones[tzid])  # the wall time as written, its own zone
    if value.tzinfo is None:
        if floating is None:
            return None
        value = value.replace(tzinfo=floating)
    return value.astimezone(dt.UTC)


def _day(event: object) -> dt.date | None:
    """A VEVENT's DTSTART when it is a day (`VALUE=DATE`), else None."""
    try:
        value = event.decoded("DTSTART")  # type: ignore[attr-defined]
    except (KeyError, ValueError):
        return None
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def _addresses(value: object) -> tuple[str, ...]:
    """The mail addresses of a calendar address or a list of them (DELEGATED-TO may
    name several), lower case, without `mailto:`; those that are no address left out."""
    found = []
    for item in value if isinstance(value, list) else [value] if value else []:
        address = str(item).strip().strip('"').strip()
        if address.lower().startswith("mailto:"):
            address = address[7:]
        if "@" in address:
            found.append(address.lower())
    return tuple(found)


def _sequence(value: object) -> int | None:
    """The SEQUENCE as a number; None when absent or not a number (nothing to compare)."""
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def spoken_for(answers: list[Answer], senders: set[str], proven: str | None) -> list[Answer]:
    """The answers as a mail may give them: each attendee's own, never another's.

    An answer counts only from its attendee's address (From, or Reply-To for a
    calendar server's no-reply sender): anyone who saw the invitation knows its
    UID, and a forged Decline would also stop that attendee's reminders. The
    others are kept, marked, so that the mail is still a calendar answer (not
    recorded), not a question to answer. Passing the invitation on (DELEGATED-TO),
    or accepting one forwarded (an uninvited attendee's answer), sends the meeting
    to a new address, so it counts only from authenticated mail (DKIM or DMARC
    aligned with the sender), from the very address it proves (`proven`, its From;
    None when unauthenticated): a Reply-To is whatever the writer typed, and
    'Reply-To: carol@...' on one's own signed mail joined Carol, or anyone, to the meeting.
    """
    kept = []
    for answer in answers:
        if answer.email not in senders:
            answer = replace(answer, from_attendee=False)
        elif answer.email == proven:
            answer = replace(answer, may_join=True)
        elif answer.delegated_to:
            answer = replace(answer, delegated_to=())
        kept.append(answer)
    return kept


async def record(conn: aiosqlite.Connection, answer: Answer, now: dt.datetime) -> bool:
    """Store one answer on its meeting's attendee; False for an unknown UID or address,
    or an answer to an earlier version of the meeting.

    A delegation makes the delegate an attendee (RFC 5546 2.1.5) from the answer
    of the attendee who passed the invitation on: the meeting's updates and
    cancellation reach the calendar it went to. The delegate's own answer
    (DELEGATED-FROM) proves nothing of the sort; it only names them (its CN),
    once they are an attendee. A COUNTER's time is told to the organiser
    (`meetings.tell_proposal`); what is stored of it is its answer to the time as
    it stands, when it gives one: one who declined it gets no reminders of it.

    One not invited who accepts (an invitation an attendee forwarded in Outlook to a
    colleague) joins as an optional attendee (RFC 5546 2.1.5, an uninvited attendee)
    when the mail is authenticated and comes from the domain of an invited attendee:
    the chair sees them, and the move or cancellation reaches the calendar that holds
    the meeting. Anyone can sign their own mail and learn a meeting's UID (/invite
    answers anyone), so an address at another domain, or at a public mail service's
    (`PUBLIC_MAIL`, where sharing the domain ties no one to a delegation), joins
    nobody to the meeting and its join link.
    """
    if not answer.from_attendee or answer.refresh:
        return False
    if answer.proposed is not None:
        if answer.partstat == "NEEDS-ACTION":
            return False  # a proposal that answers nothing of the time as it stands
    else:
        for delegate in answer.delegated_to:
            await meetings.add_delegate(
                conn, answer.uid, answer.email, delegate, None, sequence=answer.sequence
            )
        if answer.delegated_from and answer.name:
            await meetings.name_attendee(conn, answer.uid, answer.email, answer.name)
    take = partial(
        meetings.set_partstat,
        conn,
        answer.uid,
        answer.email,
        answer.partstat,
        now,
        sequence=answer.sequence,
        stamp=answer.stamp,
        note=answer.comment,
    )
    if await take():
        return True
    joining = answer.may_join and answer.partstat in ("ACCEPTED", "TENTATIVE")
    if not joining or answer.delegated_from or answer.proposed is not None:
        return False
    if answer.email.rpartition("@")[2] in PUBLIC_MAIL:
        return False
    added = await meetings.add_guest(
        conn, answer.uid, answer.email, answer.name, sequence=answer.sequence
    )
    return added and await take()
