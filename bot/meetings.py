"""Meetings as the ISCG runs them: who is invited, when it suits them, and what goes out.

Creating, moving or cancelling a meeting writes, in the caller's transaction,
the meeting itself, one iTIP message per attendee with an address (REQUEST or
CANCEL, deduplicated by meeting, SEQUENCE and address), the list
announcement (PUBLISH) when the list is invited, and the reminder jobs. A
reminder job posts in the channel the meeting was scheduled in and mails the
attendees who have not declined; one that is stale (the meeting moved or was
cancelled) or overtaken by a shorter reminder that is also due does nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiosqlite
from rapidfuzz import fuzz, process

from bot import directory, ical, outgoing, weblinks
from bot.config import Settings
from bot.core import LINK, Context, Reply, UserError, unquote
from bot.identity import platform_of
from bot.jobs import job_handler
from bot.mailbuild import reply_html
from bot.mailpolicy import list_safe
from bot.owners import Namesakes
from bot.scheduling import Invitee
from bot.services import Services
from bot.timeparse import (
    GENEVA,
    TimeParseError,
    command_time,
    date_text,
    find_zone,
    main_zones,
    utc_text,
    when_text,
    zone_lines,
    zone_name,
)
from storage import jobs, outbox, people, themes
from storage import meetings as store
from storage import sessions as session_store
from storage.jobs import Job
from storage.meetings import NOT_COMING, Attendee, Meeting
from storage.people import Person
from storage.sessions import canonical_group

ATTENDEES_EXAMPLE = "management team, TSAG representatives, climate change, jane@example.org"
FEED_HISTORY = dt.timedelta(days=90)
_ADDRESS = r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
_EMAIL = re.compile(rf"^<?({_ADDRESS})>?$")
# An address with its name, as Outlook and webmail copy a recipient: `Jane Doe
# <jane@example.org>`, `"Doe, Jane" <jane@example.org>`, `'Jane Doe' <jane@example.org>`.
_NAMED_ADDRESS = re.compile(rf"""^(?:"([^"]*)"|([^"<>]*?))\s*<({_ADDRESS})>$""")
# The attendees typed are separated by commas or semicolons, except inside quotes or
# `<...>`; a stray quote or bracket is kept in its item (and refused there).
_ATTENDEE_ITEM = re.compile(r'(?:"[^"]*"|<[^<>]*>|[^,;"<]|["<])+')
_MENTION = re.compile(r"^<@!?([A-Za-z0-9]+)>$")
_MANAGEMENT = {"management team", "iscg management team", "iscg", "everyone", "all", "the iscg"}
_LIST_WORDS = {"list", "the list", "mailing list", "the mailing list"}


@dataclass
class Invitation:
    """Whom a meeting invites, resolved from what the chair typed."""

    attendees: list[Attendee] = field(default_factory=list)
    list_invited: bool = False
    theme_id: int | None = None
    join_url: str | None = None

    def add(self, person: Person) -> None:
        if any(a.person_id == person.id for a in self.attendees):
            return
        self.attendees.append(
            Attendee(
                person_id=person.id, email=person.email, name=person.name, timezone=person.lives_by
            )
        )

    def add_address(self, address: str, name: str = "") -> None:
        """An address no person is recorded with, shown by the name given with it, if any."""
        if any(a.email == address for a in self.attendees):
            return
        self.attendees.append(Attendee(email=address, name=name or address.partition("@")[0]))


def attendee_items(text: str) -> list[str]:
    """The attendees of `/schedule`, one an item: `Jane Doe <jane@example.org>; list`
    or `"Doe, Jane" <jane@example.org>, climate change` (a comma in quotes is a name's)."""
    return [item.strip() for item in _ATTENDEE_ITEM.findall(text) if item.strip()]


def split_link(title: str) -> tuple[str, str | None]:
    """`Climate change https://meet.example.org/x` -> the title and the join link."""
    match = LINK.search(title)
    if not match:
        return title, None
    rest = re.sub(r"\s+", " ", title[: match.start()] + title[match.end() :]).strip(" -:")
    # `"Climate change" https://…`: the quotes marked where the title ended.
    return unquote(rest) or title, match.group(0)


def _zone_named(key: str | None, default: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(key) if key else default
    except (ZoneInfoNotFoundError, ValueError):
        return default


def zone_of(attendee: Attendee, default: ZoneInfo) -> ZoneInfo:
    return _zone_named(attendee.timezone, default)


def set_in(meeting: Meeting, group_zone: ZoneInfo) -> ZoneInfo:
    """The zone the meeting's time was set in, whose clock a move by days keeps its hour
    on; the group's for a meeting set before the zone was kept."""
    return _zone_named(meeting.zone, group_zone)


# --- who is invited ------------------------------------------------------------


def management_team(everyone: list[Person]) -> list[Person]:
    """The ISCG's current composition: the chair and the advisory-group representatives."""
    return [p for p in everyone if p.current and (p.position or p.role == "chair")]


def _group_word(item: str, everyone: list[Person]) -> list[Person] | None:
    words = item.lower().split()
    if item.lower() in _MANAGEMENT:
        return management_team(everyone)
    if words and words[-1] in ("representatives", "representative", "reps", "members"):
        if len(words) == 1:
            return [p for p in everyone if p.current and p.advisory_group]
        group = canonical_group(words[0])
        if group is None:
            return None
        return [p for p in everyone if p.current and p.advisory_group == group]
    if item.lower() in ("chair", "the chair", "chairs"):
        return [p for p in everyone if p.current and p.role == "chair"]
    return None


async def _theme_people(
    conn: aiosqlite.Connection, services: Services, item: str
) -> tuple[int, list[Person]] | None:
    index = directory.name_index(services.extras)  # made ready by the caller
    found = await directory.resolve(conn, index, item)
    if found.theme is None:
        return None
    assigned = await themes.assignments(conn, found.theme.id)
    if not assigned:
        raise UserError(
            f"Nobody is recorded yet as coordinator or focal point of {found.theme.name}, "
            "so I cannot invite the theme.",
            f"/set-coordinator {found.theme.name} | Jane Doe <jane@example.org> TSAG",
        )
    return found.theme.id, [a.person for a in assigned]


async def resolve_attendees(
    conn: aiosqlite.Connection, services: Services, text: str, platform: str, command: str = ""
) -> Invitation:
    """`management team, TSAG representatives, climate change, @Noah LUO, x@y.org, list`.

    Call `directory.name_index(services.extras).ensure(db)` before opening `conn`.
    `command` is what comes before the attendees in the examples of a refusal
    (`/schedule Budget | 3 Dec 14:00 |`).
    """
    invitation = Invitation()
    everyone = await people.all_people(conn)
    if not text.strip():
        for person in management_team(everyone):
            invitation.add(person)
        return invitation
    items = attendee_items(text)
    try:
        for item in items:
            if await _resolve_item(conn, services, item, platform, everyone, invitation):
                continue
            parts = re.split(r"\s+and\s+", item)
            if len(parts) == 1 or not all(
                [
                    await _resolve_item(conn, services, p, platform, everyone, invitation)
                    for p in parts
                ]
            ):
                raise UserError(
                    f'I do not know whom "{item}" means: not a person, an e-mail address, a theme '
                    "or a group (management team, TSAG representatives, list).",
                    ATTENDEES_EXAMPLE,
                )
    except Namesakes as exc:
        example = f"{command} {text.replace(exc.written, exc.address)}".strip()
        raise UserError(exc.question, example) from None
    return invitation


async def _resolve_item(
    conn: aiosqlite.Connection,
    services: Services,
    item: str,
    platform: str,
    everyone: list[Person],
    invitation: Invitation,
) -> bool:
    lowered = item.lower()
    if lowered in _LIST_WORDS or lowered == services.settings.list_address.lower():
        invitation.list_invited = True
        return True
    if found := _address_of(item):
        address, name = found
        person = await people.by_email(conn, address)
        if person is not None:
            invitation.add(person)
        else:
            invitation.add_address(address, name)
        return True
    if match := _MENTION.match(item):
        person = await people.by_identity(conn, f"{platform}:{match.group(1)}")
        if person is None:
            return False
        invitation.add(person)
        return True
    group = _group_word(item, everyone)
    if group is not None:
        for person in group:
            invitation.add(person)
        return bool(group)
    name = item.lstrip("@").strip()
    found = _people_named(name, everyone)
    if len(found) > 1:
        raise Namesakes(item, found)
    if found:
        invitation.add(found[0])
        return True
    theme = await _theme_people(conn, services, name)
    if theme is None:
        return False
    invitation.theme_id = invitation.theme_id or theme[0]
    for person in theme[1]:
        invitation.add(person)
    return True


def _address_of(item: str) -> tuple[str, str] | None:
    """(address, the name given with it or "") of an item that is an e-mail address."""
    if match := _EMAIL.match(item):
        return match.group(1).lower(), ""
    if match := _NAMED_ADDRESS.match(item):
        return match.group(3).lower(), (match.group(1) or match.group(2)).strip(" '")
    return None


def _people_named(name: str, everyone: list[Person]) -> list[Person]:
    """Who a name means (exactly, else nearly): its current bearers, else a former
    one. More than one is for the asker to choose from, never for the bot."""
    exact = [p for p in everyone if p.name.lower() == name.lower()]
    if not exact:
        names = [p.name for p in everyone]
        best = process.extractOne(name, names, scorer=fuzz.WRatio, score_cutoff=90)
        if best is None:
            return []
        exact = [p for p in everyone if p.name.lower() == best[0].lower()]
    current = sorted((p for p in exact if p.current), key=lambda p: p.id)
    return current or exact[:1]


# --- what each one sees --------------------------------------------------------


def local_times(
    start: dt.datetime, attendees: list[Attendee], default: ZoneInfo
) -> list[tuple[str, str]]:
    """UTC, Geneva, then each attendee's zone: (label, time) pairs, one per distinct zone.

    Only zones known (set, or from a Slack profile) get a line: the group's zone is not
    passed off as the zone of one whose zone is not known (an address invited as it
    is); they read the UTC and Geneva lines, as in their reminders (`_own_time`).
    """
    rows = [
        ("UTC", utc_text(start)),
        ("Geneva", when_text(start, GENEVA)),
    ]
    by_zone: dict[str, list[str]] = {}
    for person in attendees:
        if person.timezone:
            by_zone.setdefault(zone_of(person, default).key, []).append(person.name)
    for key, names in by_zone.items():
        zone = ZoneInfo(key)
        rows.append((f"{zone_name(zone)} ({', '.join(names)})", when_text(start, zone)))
    return rows


def times_block(start: dt.datetime, attendees: list[Attendee], default: ZoneInfo) -> str:
    return "\n".join(f"{label}: {value}" for label, value in local_times(start, attendees, default))


def itip_message(meeting: Meeting, services: Services, now: dt.datetime) -> tuple[str, str]:
    """The meeting as its attendees' calendars take it now: (METHOD, calendar), the
    invitation or update (REQUEST), or the cancellation (CANCEL)."""
    method = "CANCEL" if meeting.status == "cancelled" else "REQUEST"
    calendar = ical.meeting_calendar(
        meeting, method=method, now=now, organizer_email=services.settings.bot_address
    )
    return method, calendar


def calendar_file(
    meeting: Meeting, services: Services, now: dt.datetime, *, invited: bool
) -> tuple[str, bytes]:
    """The meeting's .ics as /invite gives it: (METHOD, file).

    To one it invites (or its organiser, who forwards it) the invitation their mail
    had, which their calendar answers; to anyone else a copy to import (PUBLISH, as
    the feed and the site give it, RFC 5546 3.2.1), with the same UID and SEQUENCE:
    an invitation names every attendee's address and asks for an answer, which
    Outlook and Apple Calendar show as a meeting request the reader was never sent.
    A cancelled meeting's is its CANCEL to those it invited, which takes it out of their
    calendars; anyone else gets the copy with STATUS:CANCELLED, as the list, the feed and
    the site give it: a CANCEL names every attendee's address too (RFC 5546 3.2.5).
    """
    if invited:
        method, text = itip_message(meeting, services, now)
    else:
        method = "PUBLISH"
        text = ical.meeting_calendar(
            meeting, method=method, now=now, organizer_email=services.settings.bot_address
        )
    return method, text.encode("utf-8")


# --- the effects ---------------------------------------------------------------


def new_uid(services: Services) -> str:
    domain = services.settings.bot_address.rpartition("@")[2] or "localhost"
    return f"iscg-{secrets.token_hex(10)}@{domain}"


def _details(meeting: Meeting, times: str) -> str:
    """The meeting as every mail about it gives it: title, times, length, link, agenda."""
    return (
        f"{meeting.title} ({meeting.code})\n{times}\n"
        f"Duration: {minutes_of(meeting.duration)} minutes"
        + (f"\nJoin: {meeting.join_url}" if meeting.join_url else "")
        + (f"\n\nAgenda:\n{meeting.agenda}" if meeting.agenda else "")
    )


def _feed_text(settings: Settings) -> str:
    """Where the list's readers subscribe: the announcement's own .ics is one meeting only."""
    feed = weblinks.public_feed(settings)
    if feed is None:
        return ""
    return (
        f"\n\nSubscribe to the ISCG calendar, kept up to date: {weblinks.webcal(feed)}\n"
        f"Calendar programs that ask for an address take: {feed}"
    )


async def _announcement(
    conn: aiosqlite.Connection, services: Services, meeting: Meeting, intro: str
) -> str:
    """What the list reads: the times in the members' main zones, not in the attendees'.

    Passed through `list_safe` here, not only when the mail is built, so that
    the HTML part reads as the text part does.
    """
    zones = main_zones(await people.member_zones(conn))
    times = "\n".join(zone_lines(meeting.start, zones))
    return list_safe(
        f"{intro}\n\n{_details(meeting, times)}\n\n"
        "The attached invite.ics is this meeting, for your calendar."
        + _feed_text(services.settings)
    )


async def _queue_calendar(
    conn: aiosqlite.Connection,
    services: Services,
    meeting: Meeting,
    *,
    kind: str,
    subject: str,
    intro: str,
    now: dt.datetime,
) -> int:
    """One iTIP message per attendee with an address (+ the list announcement).

    Each is text and the same as HTML (escaped, as all HTML the bot writes),
    for mail programs that show only one, next to the calendar.
    """
    settings = services.settings
    method, calendar = itip_message(meeting, services, now)
    queued = 0
    prefix = _version_key(meeting)
    for person in meeting.attendees:
        if not person.email:
            continue
        queued += await _queue_personal(
            conn,
            services,
            meeting,
            person,
            method=method,
            calendar=calendar,
            kind=kind,
            subject=subject,
            intro=intro,
            now=now,
            dedupe_key=f"{prefix}:to:{person.email}",
        )
    if meeting.list_invited:
        announcement = ical.meeting_calendar(
            meeting, method="PUBLISH", now=now, organizer_email=settings.bot_address
        )
        text = await _announcement(conn, services, meeting, intro)
        queued += bool(
            await outgoing.queue_email(
                conn,
                bot_address=settings.bot_address,
                to=[settings.list_address],
                subject=subject,
                text=text,
                html=reply_html(Reply(text=text)),
                kind=kind,
                now=now,
                dedupe_key=f"{prefix}:list",
                calendar=announcement,
                calendar_method="PUBLISH",
                to_list=True,
                meeting_id=meeting.id,
            )
        )
    return queued


async def _queue_personal(
    conn: aiosqlite.Connection,
    services: Services,
    meeting: Meeting,
    person: Attendee,
    *,
    method: str,
    calendar: str,
    kind: str,
    subject: str,
    intro: str,
    now: dt.datetime,
    dedupe_key: str,
) -> bool:
    """One attendee's iTIP message: the calendar, and the meeting in their own zone."""
    assert person.email
    text = f"{intro}\n\n" + _details(meeting, times_block(meeting.start, [person], services.zone))
    return bool(
        await outgoing.queue_email(
            conn,
            bot_address=services.settings.bot_address,
            to=[person.email],
            subject=subject,
            text=text,
            html=reply_html(Reply(text=text)),
            kind=kind,
            now=now,
            dedupe_key=dedupe_key,
            calendar=calendar,
            calendar_method=method,
            meeting_id=meeting.id,
        )
    )


async def send_latest(
    conn: aiosqlite.Connection,
    services: Services,
    *,
    uid: str,
    email: str,
    now: dt.datetime,
) -> bool:
    """An attendee's calendar asked for the meeting as it is now (iTIP REFRESH, RFC 5546
    3.2.6: their copy was deleted or is out of date): the current invitation, or the
    cancellation, goes to them alone, once for each version of the meeting: a calendar
    that asks again on every message it gets (or misreads ours) would otherwise loop
    with the bot, and a redelivery sends nothing again. One whose copy is lost again has
    `/invite`. False when nothing was sent: the UID is no meeting of the bot's, `email`
    none of its attendees (anyone may hold a UID: /invite gives the .ics, and a meeting
    goes only to those it invites), or this version went to them already.
    """
    meeting = await store.by_uid(conn, uid)
    person = meeting and next(
        (a for a in meeting.attendees if a.email and a.email.lower() == email), None
    )
    if meeting is None or person is None:
        return False
    method, calendar = itip_message(meeting, services, now)
    if method == "CANCEL":
        word = "Cancelled"
        intro = "This ISCG meeting was cancelled" + (
            f": {meeting.cancel_reason}" if meeting.cancel_reason else "."
        )
    else:
        word = "Updated" if meeting.sequence else "Invitation"
        intro = "This ISCG meeting as it stands now, which your calendar asked for."
    return await _queue_personal(
        conn,
        services,
        meeting,
        person,
        method=method,
        calendar=calendar,
        kind="refresh",
        subject=_subject(word, meeting),
        intro=intro,
        now=now,
        dedupe_key=f"{_version_key(meeting)}:refresh:to:{person.email}",
    )


async def plan_reminders(
    conn: aiosqlite.Connection, services: Services, meeting: Meeting, now: dt.datetime
) -> int:
    """(Re)plan the reminders of a meeting: earlier ones for it are withdrawn first."""
    await withdraw_reminders(conn, meeting.id, "the meeting moved")
    planned = 0
    for lead in reminder_leads(services, meeting, now):
        planned += bool(
            await jobs.plan(
                conn,
                kind="meeting-reminder",
                due_at=meeting.start - lead,
                now=now,
                payload={
                    "meeting_id": meeting.id,
                    "sequence": meeting.sequence,
                    "lead_seconds": int(lead.total_seconds()),
                },
                dedupe_key=f"meeting:{meeting.id}:reminder:seq:{meeting.sequence}:{lead_label(lead)}",
                not_after=meeting.start,
            )
        )
    return planned


async def withdraw_reminders(conn: aiosqlite.Connection, meeting_id: int, reason: str) -> None:
    """Stop the reminders of a meeting that moved or was cancelled: those still planned,
    and those already queued but not yet sent (mail down, a platform paused), which
    would otherwise say it starts at its old time, or at all."""
    await jobs.cancel(conn, f"meeting:{meeting_id}:reminder:")
    await outbox.withdraw(conn, "reminder", f"meeting:{meeting_id}:seq:", reason)


def reminder_leads(services: Services, meeting: Meeting, now: dt.datetime) -> list[dt.timedelta]:
    """The reminders a meeting will get: one that would go out at once is noise, not a
    reminder, so a meeting 13 hours away gets the 15-minute one and not the 24-hour one."""
    return [lead for lead in services.settings.reminders if meeting.start - lead > now]


async def without_address(
    conn: aiosqlite.Connection, meeting: Meeting
) -> tuple[list[str], list[str]]:
    """Attendees no invitation reaches: (those known on the meeting's chat platform, the rest).

    The first see the meeting and its reminders where it was scheduled, if they read that
    channel; the bot has no way at all to tell the others.
    """
    platform = platform_of(meeting.channel)
    in_chat: list[str] = []
    unreached: list[str] = []
    for attendee in meeting.attendees:
        if attendee.email:
            continue
        known = await people.identities_of(conn, attendee.person_id) if attendee.person_id else []
        chat = platform != "email" and any(platform_of(i) == platform for i in known)
        (in_chat if chat else unreached).append(attendee.name)
    return in_chat, unreached


def lead_label(lead: dt.timedelta) -> str:
    minutes = int(lead.total_seconds() // 60)
    if minutes % 1440 == 0 and minutes >= 2880:
        return f"{minutes // 1440}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def _subject(word: str, meeting: Meeting) -> str:
    return f"{word}: {meeting.title} - {when_text(meeting.start, GENEVA)} Geneva"


async def create(
    conn: aiosqlite.Connection,
    services: Services,
    ctx: Context,
    *,
    title: str,
    start: dt.datetime,
    duration: dt.timedelta,
    invitation: Invitation,
    zone: ZoneInfo,
) -> Meeting:
    """The meeting, its invitations and reminders; `zone` is the one its time was set in."""
    meeting = await store.create(
        conn,
        uid=new_uid(services),
        title=title,
        start=start,
        end=start + duration,
        organizer_id=ctx.person_id,
        organizer_name=ctx.display_name,
        channel=ctx.channel,
        attendees=invitation.attendees,
        created_by=ctx.identity,
        now=ctx.now,
        theme_id=invitation.theme_id,
        list_invited=invitation.list_invited,
        join_url=invitation.join_url,
        zone=zone.key,
    )
    await _queue_calendar(
        conn,
        services,
        meeting,
        kind="invite",
        subject=_subject("Invitation", meeting),
        intro=f"{ctx.display_name} invites you to an ISCG meeting.",
        now=ctx.now,
    )
    await plan_reminders(conn, services, meeting, ctx.now)
    return meeting


async def _tell_channel(
    conn: aiosqlite.Connection, ctx: Context, meeting: Meeting, reply: Reply, what: str
) -> None:
    """A change made elsewhere is posted where the meeting was scheduled."""
    if meeting.channel == ctx.channel or _channel_is_invited(meeting):
        return
    await _post_in_channel(conn, meeting, what, reply, ctx.now, "chat")


async def _post_in_channel(
    conn: aiosqlite.Connection,
    meeting: Meeting,
    kind: str,
    reply: Reply,
    now: dt.datetime,
    key: str,
    not_after: dt.datetime | None = None,
) -> None:
    """Queue `reply` where the meeting was scheduled, once per version of it and `key`."""
    await outgoing.queue_chat(
        conn,
        destination=meeting.channel,
        kind=kind,
        reply=reply,
        now=now,
        dedupe_key=f"{_version_key(meeting)}:{key}",
        not_after=not_after,
    )


def _version_key(meeting: Meeting) -> str:
    """What the outbox keys of a version of a meeting start with: each message about
    it goes once per version (a move or a cancellation makes a new one)."""
    return f"meeting:{meeting.id}:seq:{meeting.sequence}"


def _channel_is_invited(meeting: Meeting) -> bool:
    """Scheduled in a mail to the bot alone by someone it invites: that channel is their
    address, which hears of the meeting as an attendee already (once, not twice)."""
    return any(meeting.channel == f"email:{a.email.lower()}" for a in meeting.attendees if a.email)


async def reschedule(
    conn: aiosqlite.Connection,
    services: Services,
    ctx: Context,
    meeting: Meeting,
    start: dt.datetime,
    duration: dt.timedelta | None = None,
    zone: ZoneInfo | None = None,
) -> Meeting:
    """Move the meeting to `start`, `duration` long (its own length when None), a time
    set in `zone` (None: the zone it was set in stays)."""
    end = start + (duration or meeting.duration)
    await store.move(conn, meeting.id, start, end, ctx.now, zone.key if zone else None)
    moved = await store.get(conn, meeting.id)
    assert moved is not None
    await _queue_calendar(
        conn,
        services,
        moved,
        kind="update",
        subject=_subject("Updated", moved),
        intro=f"{ctx.display_name} moved this ISCG meeting "
        f"(it was {when_text(meeting.start, GENEVA)} Geneva)."
        if start != meeting.start
        else f"{ctx.display_name} changed the length of this ISCG meeting "
        f"(it was {minutes_of(meeting.duration)} minutes).",
        now=ctx.now,
    )
    await plan_reminders(conn, services, moved, ctx.now)
    word = "Moved" if start != meeting.start else "Changed"  # a new length alone
    await _tell_channel(conn, ctx, moved, change_reply(moved, word, services), "update")
    return moved


async def cancel(
    conn: aiosqlite.Connection,
    services: Services,
    ctx: Context,
    meeting: Meeting,
    reason: str | None,
) -> Meeting:
    await store.cancel(conn, meeting.id, reason, ctx.now)
    cancelled = await store.get(conn, meeting.id)
    assert cancelled is not None
    await withdraw_reminders(conn, meeting.id, "the meeting was cancelled")
    await _queue_calendar(
        conn,
        services,
        cancelled,
        kind="cancel",
        subject=_subject("Cancelled", cancelled),
        intro=f"{ctx.display_name} cancelled this ISCG meeting"
        + (f": {reason}" if reason else "."),
        now=ctx.now,
    )
    await _tell_channel(
        conn, ctx, cancelled, change_reply(cancelled, "Cancelled", services), "cancel"
    )
    return cancelled


def change_reply(meeting: Meeting, word: str, services: Services) -> Reply:
    """A change told to people: 'Moved: m1 <title>' and the times. The title is the
    text's whole first line, so a renderer showing it as a heading says it once."""
    title = f"{word}: {meeting.code} {meeting.title}"
    text = (
        f"{title}\n"
        + times_block(meeting.start, meeting.attendees, services.zone)
        + (f"\nReason: {meeting.cancel_reason}" if meeting.cancel_reason else "")
    )
    return Reply(text=text, title=title, public=True)


async def tell_proposal(
    conn: aiosqlite.Connection,
    *,
    uid: str,
    email: str,
    name: str | None,
    partstat: str,
    comment: str | None,
    start: dt.datetime,
    end: dt.datetime | None,
    sequence: int | None,
    now: dt.datetime,
    floating: bool = False,
    undefined_zone: str | None = None,
    all_day: bool = False,
) -> bool:
    """An attendee's calendar proposed another time (COUNTER: "Propose new time" in
    Outlook and Gmail): it is told where the meeting was scheduled, with the command
    that takes it, for the organiser to decide; one who declined the time as it stands
    ("Decline and Propose New Time") is said to, and the note typed with it (why that
    time) is kept with their answer and passed on (`_proposal_note`). One sent before
    the meeting last moved (an earlier SEQUENCE: the proposal and the move crossed) is
    still a wish for that time, told as such; one for the time the meeting has now
    leaves nothing to decide. A length proposed with it (`end`: Outlook lets the end be
    moved too) is said, and set by the command. A time their calendar gave in no zone
    (`floating`, given here as read in Geneva) is the wall time their calendar showed:
    it is read in the attendee's own zone where one is recorded, else as Geneva time,
    the invitation's, and the organiser is told which, to check it with them; so is a
    time in a zone the calendar named but did not define (`undefined_zone`). A day with
    no time (`all_day`, given as its midnight in Geneva) is offered at the meeting's
    own time of day on it (in the zone it was set in), and the organiser is told the
    calendar gave only the day. False when it proposes for no standing meeting of theirs.
    """
    meeting = await store.by_uid(conn, uid)
    if meeting is None or meeting.status != "confirmed":
        return False
    attendee = next((a for a in meeting.attendees if a.email and a.email.lower() == email), None)
    if attendee is None:
        return False
    zone = zone_of(attendee, GENEVA)
    if floating and zone.key != GENEVA.key:
        # Their calendar showed the meeting, and took the new time, in their own zone:
        # the wall time read as Geneva's is theirs.
        start = _wall_time_in(start, zone)
        end = _wall_time_in(end, zone) if end is not None else None
    if all_day:
        start = _same_time_on(meeting, start.astimezone(GENEVA).date())
    length = end - start if end is not None and end > start else meeting.duration
    if start == meeting.start and length == meeting.duration:
        return True
    minutes = minutes_of(length)
    longer = length != meeting.duration
    was = minutes_of(meeting.duration)
    earlier = sequence is not None and sequence < meeting.sequence
    declines = (
        f"declines {when_text(meeting.start, GENEVA)} Geneva and "
        if partstat == "DECLINED" and not earlier
        else ""
    )
    before = f" (sent before it moved to {when_text(meeting.start, GENEVA)} Geneva)"
    who = name or attendee.name
    text = (
        f"{who} {declines}proposes another {'day' if all_day else 'time'} for"
        f" {meeting.code} {meeting.title}"
        f"{before if earlier else ''}:\n"
        f"UTC: {utc_text(start)} · Geneva: {when_text(start, GENEVA)}"
        + (f" · for {minutes} minutes (now {was})" if longer else "")
        + "\n"
        + (
            f"{who}'s calendar gave the time "
            + (
                f'in a zone it did not define ("{undefined_zone}")'
                if undefined_zone
                else "without a time zone"
            )
            + ": it is read as"
            + (
                " Geneva time, the invitation's.\n"
                if zone.key == GENEVA.key
                else f" {zone_name(zone)} time, {who}'s own as recorded.\n"
            )
            if floating
            else ""
        )
        + (
            f"{who}'s calendar gave the day only ({date_text(start.astimezone(GENEVA))},"
            " all day): the time of day is the meeting's own.\n"
            if all_day
            else ""
        )
        + (_proposal_note(meeting, who, comment) if comment else "")
        + _taking_it(meeting, who, start, minutes if longer else None, now)
    )
    if comment:
        await store.set_note(conn, uid, email, comment)
    proposal = Reply(text=text, title=f"New time proposed: {meeting.title}", public=True)
    await _post_in_channel(
        conn, meeting, "proposal", proposal, now, f"proposal:{email}:{utc_text(start)}:{minutes}"
    )
    return True


def _taking_it(
    meeting: Meeting, who: str, start: dt.datetime, minutes: int | None, now: dt.datetime
) -> str:
    """The command that moves the meeting to a proposed time; none for a time already
    past (a proposal held up in the mail, or a year mistyped), which /reschedule refuses."""
    if start <= now:
        return f"That time has passed, so the meeting cannot move there: ask {who} for another."
    zone = _written_zone(meeting)
    return (
        f"To move it there: /reschedule {meeting.code} | "
        + command_time(start, zone, zone_name(zone))
        + (f" | {minutes}m" if minutes is not None else "")
    )


def _written_zone(meeting: Meeting) -> ZoneInfo:
    """The zone a command the bot writes for a meeting names: the one it was set in, so
    that running it keeps the meeting on that clock (written in Geneva's, a meeting set
    at 08:00 Mexico City time then kept Geneva's hour across Europe's clock changes);
    Geneva's when that zone's name does not read back as it (an old alias)."""
    zone = set_in(meeting, GENEVA)
    try:
        named = find_zone(f"{zone_name(zone)} time", command="/reschedule")[0]
    except TimeParseError:  # a name several zones bear
        return GENEVA
    return zone if getattr(named, "key", None) == zone.key else GENEVA


def _same_time_on(meeting: Meeting, day: dt.date) -> dt.datetime:
    """The meeting's time of day on `day`, on the clock of the zone it was set in (across
    a change of the clocks, the same wall time there), as an instant in UTC."""
    zone = set_in(meeting, GENEVA)
    wall = meeting.start.astimezone(zone).time().replace(tzinfo=None)
    return dt.datetime.combine(day, wall, zone).astimezone(dt.UTC)


def _wall_time_in(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The Geneva wall time of `moment` as an instant in `zone` (UTC)."""
    wall = moment.astimezone(GENEVA).replace(tzinfo=None)
    return wall.replace(tzinfo=zone).astimezone(dt.UTC)


async def proposal_refusal(
    conn: aiosqlite.Connection, *, uid: str, attendee: str, from_attendee: bool
) -> str:
    """What the sender of a proposed time (COUNTER) that `tell_proposal` did not pass on
    is told, instead of silence: their calendar shows the proposal as sent.

    An invitee proposing, from their own address, for a meeting since cancelled is
    told so. Anyone else (not invited, or writing from another address than the one
    invited, or for a meeting the bot does not know) learns nothing of the meeting,
    not even whether there is one: anyone may hold its UID (/invite gives the .ics).
    A group member who had it from the list is told to propose there instead.
    """
    meeting = await store.by_uid(conn, uid)
    invited = (
        meeting is not None
        and from_attendee
        and any(a.email and a.email.lower() == attendee for a in meeting.attendees)
    )
    if meeting is not None and invited and meeting.status == "cancelled":
        return (
            f"{meeting.code} {meeting.title} was cancelled, so the new time your calendar"
            " proposed for it was not passed on to the organiser."
        )
    # A member who has the meeting from the group's list (its announcement) is invited
    # only through the list: told where a new time is heard, with nothing said of the
    # meeting, since the bot cannot tell them by their mail from a stranger.
    return (
        "The new time your calendar proposed was not passed on to the organiser, and"
        " nothing was changed: a calendar's proposal is taken only from someone invited"
        " personally, sent from the address the invitation went to. If the meeting"
        " reached you through the group's mailing list, suggest the new time in a reply"
        " to its announcement on the list, where the organiser and the group read it."
    )


def _proposal_note(meeting: Meeting, who: str, comment: str) -> str:
    """The note typed with a proposal, as the proposal's post gives it: in full in the
    organiser's own mail conversation with the bot; elsewhere (a channel, the list's
    thread), where others read, only that there is one, which /meetings shows the
    organiser and the secretariat: it was written to the organiser."""
    if (
        meeting.channel.startswith("email:")
        and "@" in meeting.channel
        and "<" not in (meeting.channel)
    ):
        return f"{who}'s note: {comment}\n"
    return (
        f"{who} added a note for the organiser: /meetings {meeting.code} shows it to the"
        " organiser and the secretariat.\n"
    )


# --- reminders -----------------------------------------------------------------


@job_handler("meeting-reminder")
async def send_reminder(services: Services, conn: aiosqlite.Connection, job: Job) -> str | None:
    meeting = await store.get(conn, int(job.payload["meeting_id"]))
    if meeting is None or meeting.status != "confirmed":
        return "meeting gone or cancelled"
    if meeting.sequence != job.payload["sequence"]:
        return "stale: the meeting changed since"
    now = services.now()
    lead = dt.timedelta(seconds=int(job.payload["lead_seconds"]))
    if any(now >= meeting.start - other for other in services.settings.reminders if other < lead):
        return "superseded by a shorter reminder that is due too"
    minutes = max(1, int((meeting.start - now).total_seconds() // 60))
    soon = f"in {minutes} minutes" if minutes < 120 else f"in about {round(minutes / 60)} hours"
    heading = f"Reminder: {meeting.title} ({meeting.code}) starts {soon}.\n"
    join = f"\nJoin: {meeting.join_url}" if meeting.join_url else ""
    text = (
        f"{heading}UTC: {utc_text(meeting.start)} · Geneva: {when_text(meeting.start, GENEVA)}"
        + join
    )
    label = f"reminder:{lead_label(lead)}"
    # Still queued (mail down, a platform paused) when the next reminder is due, or the
    # meeting starts, it says "in about 23 hours" of a meeting minutes away: dropped.
    shorter = [other for other in services.settings.reminders if other < lead]
    stale_at = meeting.start - max(shorter, default=dt.timedelta(0))
    if not _channel_is_invited(meeting):
        # Read by attendees from Mexico City to Beijing: each one's own time, as the
        # invitation posted there gave it, not Geneva's to convert an hour before.
        # Not of one who declined: a line of theirs would say they are expected.
        coming = [a for a in meeting.attendees if a.partstat not in NOT_COMING]
        times = times_block(meeting.start, coming, services.zone)
        reminder = Reply(
            text=heading + times + join, title=f"Reminder: {meeting.title}", public=True
        )
        await _post_in_channel(conn, meeting, "reminder", reminder, now, f"{label}:chat", stale_at)
    for person in meeting.attendees:
        if person.email and person.partstat not in NOT_COMING:
            await outgoing.queue_email(
                conn,
                bot_address=services.settings.bot_address,
                to=[person.email],
                subject=f"Reminder: {meeting.title} {soon}",
                text=text + _own_time(meeting, person),
                kind="reminder",
                now=now,
                dedupe_key=f"{_version_key(meeting)}:{label}:to:{person.email}",
                not_after=stale_at,
            )
    return f"reminded {lead_label(lead)} before"


def _own_time(meeting: Meeting, person: Attendee) -> str:
    """The attendee's own time, named by its zone, for a reminder; nothing when they set
    no zone: the group's time, given already, is not passed off as theirs."""
    if not person.timezone:
        return ""
    zone = zone_of(person, GENEVA)
    if zone.key != person.timezone:  # a zone this system no longer knows
        return ""
    return f"\nYour time ({zone_name(zone)}): {when_text(meeting.start, zone)}"


# --- reading -------------------------------------------------------------------


_MEETING_ID = re.compile(r"#?m?\d+", re.I)


def is_meeting_id(text: str) -> bool:
    """`m7`, `7`, `#m7`: what `find` takes for a meeting's id rather than a title."""
    return _MEETING_ID.fullmatch(text.strip()) is not None


def minutes_of(span: dt.timedelta) -> int:
    """A meeting's length (or a lead time) in whole minutes, as replies and commands write it."""
    return int(span.total_seconds() // 60)


def code_of(text: str) -> str:
    """The meeting code a text names (`m7`, `7`, `#M7`, `m7.` ending a mail's sentence -> `m7`);
    a title as it was typed, lower-cased."""
    code = text.strip().lstrip("#").rstrip(".,;:!?").lower()
    return store.code_for(int(code)) if code.isdigit() else code


async def find(
    conn: aiosqlite.Connection,
    text: str,
    example: str = "/invite m1",
    now: dt.datetime | None = None,
) -> Meeting:
    """A meeting by its short id (`m7`, `7`, `#m7`), or by its title when one standing
    meeting has it (a cancelled one only when none stands); several are listed to
    choose from by id, never guessed between.

    A title only close to an upcoming meeting's (`Budget reveiw`) is not taken on a
    guess either, but the refusal gives that meeting's id, in `example` (the command's
    own, written for m1).
    """
    code = code_of(text)
    meeting = await store.by_code(conn, code) if code else None
    if meeting is not None:
        return meeting
    named = await store.by_title(conn, text) if text.strip() else []
    standing = [m for m in named if m.status == "confirmed"] or named
    if len(standing) == 1:
        return standing[0]
    if standing:
        listed = ", ".join(f"{m.code} ({when_text(m.start, GENEVA)} Geneva)" for m in standing)
        raise UserError(
            f'{len(standing)} meetings are called "{" ".join(text.split())}": {listed}.'
            " Name one by its id.",
            example,
        )
    close = await close_title(conn, text, now) if now is not None and code else None
    if close is not None:
        raise UserError(
            f'There is no meeting "{text.strip()}": did you mean'
            f" {close.title} ({utc_text(close.start)} UTC)? Its id is {close.code}.",
            example.replace(" m1", f" {close.code}", 1),
        )
    raise UserError(
        f'There is no meeting "{text.strip()}". Meetings have ids like m3; see /meetings.',
        example,
    )


async def close_title(conn: aiosqlite.Connection, text: str, now: dt.datetime) -> Meeting | None:
    """The one upcoming meeting whose title the text misspells (a typo forgiven): `find`
    names it rather than guess, and so does /meetings."""
    upcoming = await store.upcoming(conn, now)
    best = process.extract(
        text.strip(),
        [m.title for m in upcoming],
        scorer=fuzz.WRatio,
        processor=str.casefold,
        score_cutoff=90,
        limit=2,
    )
    return upcoming[best[0][2]] if len(best) == 1 else None


async def busy_invitees(
    conn: aiosqlite.Connection,
    attendees: list[Attendee],
    first: dt.datetime,
    last: dt.datetime,
    default: ZoneInfo,
) -> list[Invitee]:
    """The attendees as the slot finder sees them, with the meetings they already have."""
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for start, end, ids in await store.busy_between(conn, first, last):
        for person_id in ids:
            busy.setdefault(person_id, []).append((start, end))
    return [
        Invitee(
            name=a.name,
            zone=zone_of(a, default),
            busy=tuple(busy.get(a.person_id, [])) if a.person_id else (),
        )
        for a in attendees
    ]


async def calendar_feed(
    conn: aiosqlite.Connection, *, now: dt.datetime, organizer_email: str
) -> str:
    """The subscribable feed: meetings from 90 days back on (cancelled ones marked), sessions."""
    since = now - FEED_HISTORY
    items = await store.since(conn, since)
    every = [s for s in await session_store.every(conn) if s.last_day >= since.date()]
    return ical.feed(items, every, now=now, organizer_email=organizer_email)
