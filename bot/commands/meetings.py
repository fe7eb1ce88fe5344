"""/schedule, /schedule pick, /meetings, /invite, /reschedule, /cancel."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

import aiosqlite
from pydantic import Field

from bot import choices, directory, weblinks
from bot import meetings as domain
from bot.core import (
    LIST_LIMIT,
    QUOTES,
    AlsoAllowed,
    Args,
    Attachment,
    Button,
    Context,
    Field_,
    Reply,
    Role,
    Section,
    UserError,
    registry,
    split_arguments,
    split_bars,
)
from bot.meetings import minutes_of
from bot.scheduling import propose, unsocial
from bot.timeparse import (
    EXAMPLE_TIME,
    GENEVA,
    Instant,
    TimeParseError,
    When,
    Window,
    day_span,
    day_text,
    parse_duration,
    parse_when,
    reads_as_duration,
    when_text,
    zone_name,
)
from storage import meetings as store
from storage import sessions as session_store
from storage import themes
from storage.meetings import NOT_COMING, Attendee, Meeting

SCHEDULE_EXAMPLE = "/schedule Climate change | 3 Dec 14:00 Geneva time | 60m | management team"
# Each command's own example, also shown when the meeting it names is not found.
MEETINGS_EXAMPLE = "/meetings m1"
RESCHEDULE_EXAMPLE = "/reschedule m1 | 4 Dec 15:00 Geneva time"
CANCEL_EXAMPLE = "/cancel m1"
DEFAULT_DURATION = dt.timedelta(minutes=60)
OFFERED_SINCE = dt.timedelta(days=30)  # past meetings offered to pick: their minutes
ICS_TYPE = "text/calendar; method=REQUEST; charset=utf-8"
# Where a public reply, and the file it carries, is posted for a whole channel to read.
_CHAT_PLATFORMS = ("slack", "discord")


class ScheduleArgs(Args):
    title: str
    when: str = Field(description="the date and time, or a window to propose slots in")
    duration: str = ""
    attendees: str = ""

    @classmethod
    def from_text(cls, text: str) -> dict[str, str]:
        text = text.strip()
        if text[:1] in QUOTES:  # "Budget review" 3 Dec 14:00, "Budget | review" | 3 Dec 14:00
            parts = split_arguments(text, 5)  # a fifth part is refused below
        else:
            parts = [part.strip() for part in split_bars(text)]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise UserError("Give a title and when, separated by |", SCHEDULE_EXAMPLE)
        if len(parts) > 4:
            raise UserError("/schedule takes at most four parts separated by |", SCHEDULE_EXAMPLE)
        if len(parts) == 3 and not reads_as_duration(parts[2]):  # else the attendees
            parts = [parts[0], parts[1], "", parts[2]]
        return dict(zip(("title", "when", "duration", "attendees"), parts, strict=False))


class PickArgs(Args):
    number: int = Field(description="the slot number")


class MeetingArg(Args):
    meeting: str


class OptionalMeetingArg(Args):
    meeting: str = ""


# A meeting id as the first word, with no `|` after it: `m1 to 4 Dec 15:00`, and the
# marks people set after it as after a heading: `m1: clash`, `m1 - clash`, `m1, clash`
# (a dash before a number is a shift's sign, spaced or not: `m1 -1h`, `m1 - 1h`). Not a
# bare number, which may be the day of a date (`/reschedule 4 Dec 15:00`), nor a second
# id: `/cancel m1, m2` is two meetings, not m1 with the reason "m2".
_ID_FIRST = re.compile(
    r"(?P<meeting>#?m\d+)(?:\s*[:,]\s*|\s+[-–—]\s+(?!\d)|\s+to\s+|\s+)"
    r"(?P<rest>(?!#?m\d+\b)\S.*)",
    re.I | re.S,
)


def _meeting_and_rest(text: str) -> tuple[str, str]:
    """The meeting and what follows it: split at the first `|`, else after a meeting id
    (`m1 to 4 Dec 15:00`, `m1 because of the clash`), which is one word."""
    meeting, sep, rest = text.partition("|")
    if not sep and (match := _ID_FIRST.fullmatch(text.strip())):
        return match["meeting"], match["rest"].strip()
    return meeting.strip(), rest.strip()


class RescheduleArgs(Args):
    meeting: str
    when: str = Field(description="the new date and time")
    duration: str = ""  # a new length, as /schedule takes it; none keeps the meeting's

    @classmethod
    def from_text(cls, text: str) -> dict[str, str]:
        meeting, rest = _meeting_and_rest(text)
        when, _, duration = (part.strip() for part in rest.partition("|"))
        if not meeting or not when:
            raise UserError(
                "Give the meeting and the new time, separated by |",
                "/reschedule m1 | 4 Dec 15:00 Geneva time",
            )
        if duration and not reads_as_duration(duration):
            raise UserError(
                f'"{duration}" is not a length. After the new time, /reschedule takes'
                " only the meeting's new length, if it changes.",
                f"/reschedule {meeting} | {when} | 90m",
            )
        return {"meeting": meeting, "when": when, "duration": duration}


class CancelArgs(Args):
    meeting: str
    reason: str = ""

    @classmethod
    def from_text(cls, text: str) -> dict[str, str]:
        meeting, reason = _meeting_and_rest(text)
        if not meeting:
            raise UserError("Say which meeting", "/cancel m1 | clashes with the TSAG session")
        return {"meeting": meeting, "reason": reason}


# --- replies -------------------------------------------------------------------


def _times_fields(start: dt.datetime, attendees: list[Attendee], default) -> list[Field_]:  # type: ignore[no-untyped-def]
    return [Field_(label, value) for label, value in domain.local_times(start, attendees, default)]


def _who(meeting: Meeting) -> str:
    names = [a.name for a in meeting.attendees]
    if meeting.list_invited:
        names.append("the mailing list")
    return ", ".join(names) or "nobody"


def _ics(meeting: Meeting, ctx: Context, *, for_channel: bool = False) -> Attachment:
    """The meeting's .ics for the reader (`domain.calendar_file`). One a chat reply posts
    for the whole channel (`for_channel`: /schedule, /reschedule, /cancel) is the copy,
    as /invite gives anyone it does not invite: not all who read the channel are, and
    the invitation names every attendee's address; its organiser has it from /invite."""
    shared = for_channel and ctx.platform in _CHAT_PLATFORMS
    method, data = domain.calendar_file(
        meeting, ctx.services, ctx.now, invited=_is_mine(ctx, meeting) and not shared
    )
    return Attachment(
        filename=f"iscg-{meeting.code}.ics",
        content_type=ICS_TYPE.replace("REQUEST", method),
        data=data,
    )


def _names(names: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def _invitations_text(meeting: Meeting, list_address: str) -> str:
    mailed = sum(1 for a in meeting.attendees if a.email)
    if mailed:
        text = f"Invitations go to {mailed} e-mail address{'es' if mailed != 1 else ''}"
        if meeting.list_invited:
            text += f" and are announced on {list_address}"
    elif meeting.list_invited:
        text = f"The invitation is announced on {list_address}"
    else:
        text = "No invitation goes out by mail"
    return text + "."


def _unmailed_text(ctx: Context, meeting: Meeting, in_chat: list[str], unreached: list[str]) -> str:
    """Who gets no invitation, how they will hear of the meeting, and what to do about it:
    a delegate left out of an invitation must not be left out unsaid."""
    if not in_chat and not unreached:
        return ""
    lines = []
    if in_chat:
        lines.append(
            f"{_no_address(in_chat)}: they will see this meeting and its reminders "
            "only in this channel."
        )
    if unreached:
        lines.append(f"{_no_address(unreached)}, and I have no other way to tell them.")
    lines.append(
        f"Forward them the attached invitation ({ctx.typed(f'/invite {meeting.code}')} gives it"
        " again), "
        "or next time give their address among the attendees (name@example.org)."
    )
    return "\n".join(lines)


def _no_address(names: list[str]) -> str:
    verb = "has" if len(names) == 1 else "have"
    return f"{_names(names)} {verb} no e-mail address on record, so no invitation"


def _reminders_text(ctx: Context, meeting: Meeting) -> str:
    """Only the reminders that will go: a meeting 13 hours away gets no 24-hour one."""
    every = ctx.services.settings.reminders
    leads = domain.reminder_leads(ctx.services, meeting, ctx.now)
    if not every:
        return ""
    if not leads:
        return "It starts too soon for any reminder."
    where = "here and by mail" if any(a.email for a in meeting.attendees) else "here"
    labels = _names([domain.lead_label(lead) for lead in leads])
    text = f"Reminder{'s' if len(leads) > 1 else ''} {labels} before, {where}"
    missed = [domain.lead_label(lead) for lead in every if lead not in leads]
    if missed:
        text += f" (too late for the {_names(missed)} one{'s' if len(missed) > 1 else ''})"
    return text + "."


def _hard_hours(ctx: Context, meeting: Meeting) -> str:
    """Whom the meeting's time falls at night or on the weekend for, in the zone they set:
    a time typed is the chair's to choose, but a delegate asked to join at 01:00 is one
    the chair must see before the invitation is read, not find in a list of times."""
    by_zone: dict[str, list[str]] = {}
    for attendee in meeting.attendees:
        if attendee.timezone and attendee.partstat not in NOT_COMING:
            key = domain.zone_of(attendee, ctx.services.zone).key
            by_zone.setdefault(key, []).append(attendee.name)
    hard: dict[str, list[str]] = {}  # "at night": ["Noah LUO (<time>, Beijing)", ...]
    for key, names in by_zone.items():
        zone = ZoneInfo(key)
        if why := unsocial(meeting.start, meeting.end, zone):
            local = f"{when_text(meeting.start, zone)}, {zone_name(zone)}"
            hard.setdefault(why, []).append(f"{_names(names)} ({local})")
    if not hard:
        return ""
    said = "; ".join(f"{why} for {_names(who)}" for why, who in hard.items())
    fair = ctx.typed(_schedule_again(meeting, "next week"))  # its own attendees and length
    return f"Mind the hour: it is {said}. For slots that suit everyone: {fair}"


def _created_reply(
    ctx: Context, meeting: Meeting, reading: str | None, unmailed: tuple[list[str], list[str]]
) -> Reply:
    invitations = _invitations_text(meeting, ctx.services.settings.list_address)
    delivery = f"{invitations} {_reminders_text(ctx, meeting)}".rstrip()
    for notice in (_hard_hours(ctx, meeting), _unmailed_text(ctx, meeting, *unmailed)):
        if notice:
            delivery += "\n" + notice
    sections = []
    if reading:
        sections.append(Section(text=f"Read as: {reading}"))
    sections += [
        Section(
            title="When",
            text=f"{minutes_of(meeting.duration)} minutes",
            fields=_times_fields(meeting.start, meeting.attendees, ctx.services.zone),
        ),
        Section(title="Attendees", text=_who(meeting)),
        Section(text=delivery),
    ]
    return Reply.from_sections(
        f"Scheduled {meeting.code}: {meeting.title}",
        sections,
        footer=" · ".join(
            ctx.typed(command)
            for command in (
                f"/invite {meeting.code}",
                f"/reschedule {meeting.code} | <when>",
                f"/cancel {meeting.code}",
            )
        ),
        attachments=[_ics(meeting, ctx, for_channel=True)],
        public=True,
    )


# --- /schedule -------------------------------------------------------------------


async def _coordinator_of_theme(ctx: Context, rest: str) -> bool:
    """A coordinator may schedule a meeting of a theme they coordinate."""
    if ctx.role < Role.COORDINATOR:
        return False
    try:
        args = ScheduleArgs.from_text(rest)
    except UserError:
        return False
    items = domain.attendee_items(args.get("attendees", ""))
    if not items:
        return False
    index = directory.name_index(ctx.services.extras)
    await index.ensure(ctx.services.db)
    async with ctx.services.db.read() as conn:
        for item in items:
            found = await directory.resolve(conn, index, item)
            if found.theme is None:
                continue
            mine = await themes.assignments(conn, found.theme.id)
            if any(a.kind == "coordinator" and a.person.id == ctx.person_id for a in mine):
                return True
    return False


@registry.command(
    "schedule",
    args=ScheduleArgs,
    help="Schedule an ISCG meeting at a time, or get fair slots proposed for a window.\n"
    "A link in the title becomes the join link of the invitation.",
    usage="<title> | <when> [| <duration>] [| <attendees>]",
    examples=[
        SCHEDULE_EXAMPLE,
        "/schedule ISCG coordination | between RAG and TDAG",
        "/schedule Climate change pilot | during TSAG | 90m | climate change, list",
        "/schedule AI check-in https://meet.example.org/ai | next week | 45m | "
        "TSAG representatives, jane@example.org",
    ],
    role=Role.SECRETARIAT,
    also=AlsoAllowed("a coordinator of a theme the meeting invites", _coordinator_of_theme),
    slow=True,
)
async def schedule(ctx: Context, args: ScheduleArgs) -> Reply:
    services = ctx.services
    await directory.name_index(services.extras).ensure(services.db)
    async with services.db.read() as conn:
        every = await session_store.every(conn)
        invitation = await domain.resolve_attendees(
            conn, services, args.attendees, ctx.platform, command=_before_attendees(args)
        )
    command = f"/schedule {args.title} |"
    when = parse_when(args.when, now=ctx.now, zone=ctx.zone, sessions=every, command=command)
    duration = parse_duration(args.duration) if args.duration else when.duration or DEFAULT_DURATION
    if not invitation.attendees and not invitation.list_invited:
        raise UserError("Nobody would be invited.", SCHEDULE_EXAMPLE)
    title, invitation.join_url = domain.split_link(args.title)
    if isinstance(when, Instant):
        async with services.db.transaction() as conn:
            return await _book(
                conn, ctx, title, (when.start, when.zone), duration, invitation, when.reading
            )
    return await _propose(ctx, title, when, duration, invitation)


async def _book(
    conn: aiosqlite.Connection,
    ctx: Context,
    title: str,
    set_at: tuple[dt.datetime, ZoneInfo],
    duration: dt.timedelta,
    invitation: domain.Invitation,
    reading: str | None,
) -> Reply:
    """Create the meeting in the caller's transaction and say what went out to whom.
    `set_at`: its start and the zone that time was set in (kept with the meeting).

    The same meeting asked for twice (`3pm`, then `15:00`) is not created again: the
    check is in the transaction that would create it, so two requests cannot both pass.
    """
    start, zone = set_at
    existing = await store.same_as(conn, ctx.person_id, title, start)
    if existing is not None and _invites_the_same(existing, invitation):
        return _already_scheduled(ctx, existing)
    meeting = await domain.create(
        conn,
        ctx.services,
        ctx,
        title=title,
        start=start,
        duration=duration,
        invitation=invitation,
        zone=zone,
    )
    unmailed = await domain.without_address(conn, meeting)
    return _created_reply(ctx, meeting, reading, unmailed)


def _invites_the_same(meeting: Meeting, invitation: domain.Invitation) -> bool:
    """The same people, list and link: asked twice. Two breakout groups of one title at
    one hour, each with its own attendees or link, are two meetings."""

    def invited(attendees: list[Attendee]) -> set[object]:
        return {
            a.person_id if a.person_id is not None else (a.email or "").lower() for a in attendees
        }

    return (
        invited(meeting.attendees) == invited(invitation.attendees)
        and meeting.list_invited == invitation.list_invited
        and meeting.join_url == invitation.join_url
    )


def _already_scheduled(ctx: Context, meeting: Meeting) -> Reply:
    return Reply(
        text=f"You already scheduled {meeting.code} {meeting.title} at "
        f"{when_text(meeting.start, ctx.zone)}: I did not create it again and sent no "
        f"invitation. See it with {ctx.typed(f'/meetings {meeting.code}')}; "
        f"move it with {ctx.typed(f'/reschedule {meeting.code} | <when>')}."
    )


def _before_attendees(args: ScheduleArgs) -> str:
    """The command as typed up to its attendees, for the examples of a refusal."""
    title = f'"{args.title}"' if "|" in args.title else args.title
    fields = [title, args.when, *([args.duration] if args.duration else [])]
    return "/schedule " + " | ".join(fields) + " |"


def _with_organiser(ctx: Context, attendees: list[Attendee]) -> list[Attendee]:
    """The attendees and the organiser, once: the organiser takes part in the meeting, so
    a slot at 01:00 or on a Sunday their time is no slot, even if nobody else minds."""
    if any(a.person_id == ctx.person_id for a in attendees):
        return attendees
    organiser = Attendee(person_id=ctx.person_id, name=ctx.display_name, timezone=ctx.zone.key)
    return [*attendees, organiser]


async def _propose(
    ctx: Context, title: str, when: Window, duration: dt.timedelta, invitation: domain.Invitation
) -> Reply:
    services = ctx.services
    async with services.db.read() as conn:
        invitees = await domain.busy_invitees(
            conn, _with_organiser(ctx, invitation.attendees), when.start, when.end, services.zone
        )
    slots = propose(invitees, when.spans, duration, GENEVA)
    if not slots:
        raise TimeParseError(
            f"No free slot {when.label} suits everyone: every {minutes_of(duration)}-minute slot "
            "falls on a weekend, between 23:00 and 06:00 for someone, on session days, or on "
            "their other meetings.",
            f"/schedule {title} | next week  (or a shorter duration, or fewer attendees)",
        )
    payload = {
        "title": title,
        "minutes": minutes_of(duration),
        "attendees": [a.model_dump() for a in invitation.attendees],
        "list_invited": invitation.list_invited,
        "theme_id": invitation.theme_id,
        "join_url": invitation.join_url,
        "slots": [slot.start.isoformat() for slot in slots],
    }
    async with services.db.transaction() as conn:
        await store.save_proposal(conn, ctx.identity, ctx.channel, payload, ctx.now)
    sections = []
    for number, slot in enumerate(slots, 1):
        fields = _times_fields(slot.start, invitation.attendees, services.zone)
        sections.append(
            Section(
                title=f"{number}. {when_text(slot.start, ctx.zone)} your time",
                text=f"worst-off attendee's cost {slot.worst:g}, total {slot.total:g}",
                fields=fields,
            )
        )
    # Ranked as in the group's zone, which the times shown do not pass off as theirs.
    unknown = [a.name for a in invitation.attendees if not a.timezone]
    assumed = (
        f"Zone not known, taken as Geneva's: {', '.join(unknown)}. They can set theirs by mail"
        " to the bot: /timezone America/Mexico_City\n"
        if unknown
        else ""
    )
    return Reply.from_sections(
        f"Proposed slots for {title} ({when.label}, {minutes_of(duration)} minutes)",
        sections,
        footer=f"{assumed}Take one with {ctx.typed('/schedule pick <n>')}. Ranked by fairness:"
        " the worst-off attendee first (08:00-20:00 local is free, 23:00-06:00 and weekends are"
        " out), then the total.",
        buttons=[
            Button(f"Take {n}", f"schedule pick {n}", "primary") for n in range(1, len(slots) + 1)
        ],
    )


async def _has_proposal(ctx: Context, _rest: str) -> bool:
    async with ctx.services.db.read() as conn:
        return await store.proposal(conn, ctx.identity, ctx.channel) is not None


@registry.command(
    "schedule pick",
    args=PickArgs,
    help="Take one of the slots /schedule proposed.",
    usage="<n>",
    examples=["/schedule pick 1"],
    role=Role.SECRETARIAT,
    also=AlsoAllowed("the one who asked /schedule for the slots, here", _has_proposal),
)
async def schedule_pick(ctx: Context, args: PickArgs) -> Reply:
    services = ctx.services
    async with services.db.read() as conn:
        saved = await store.proposal(conn, ctx.identity, ctx.channel)
    if saved is None:
        raise UserError(
            "You have no proposed slots open here. Ask for some first.",
            "/schedule ISCG coordination | between RAG and TDAG",
        )
    slots = saved["slots"]
    if not 1 <= args.number <= len(slots):
        raise UserError(f"Pick a number from 1 to {len(slots)}.", "/schedule pick 1")
    start = dt.datetime.fromisoformat(slots[args.number - 1])
    if start <= ctx.now:
        raise TimeParseError(
            f"Slot {args.number} ({when_text(start, ctx.zone)}) has passed; ask again.",
            "/schedule ISCG coordination | next week",
        )
    invitation = domain.Invitation(
        attendees=[Attendee(**a) for a in saved["attendees"]],
        list_invited=saved["list_invited"],
        theme_id=saved["theme_id"],
        join_url=saved.get("join_url"),
    )
    duration = dt.timedelta(minutes=saved["minutes"])
    async with services.db.transaction() as conn:
        # A slot is nobody's own wall-clock time: it keeps its hour on the group's clock.
        set_at = (start, services.zone)
        reply = await _book(conn, ctx, saved["title"], set_at, duration, invitation, None)
        await store.drop_proposal(conn, ctx.identity, ctx.channel)
    return reply


# --- reading meetings ------------------------------------------------------------


def _answers(meeting: Meeting) -> str:
    counts: dict[str, int] = {}
    for person in meeting.attendees:
        counts[person.partstat] = counts.get(person.partstat, 0) + 1
    order = ("ACCEPTED", "TENTATIVE", "DECLINED", "NEEDS-ACTION", "DELEGATED")
    words = {"NEEDS-ACTION": "no answer"}
    return ", ".join(f"{counts[k]} {words.get(k, k.lower())}" for k in order if k in counts)


@choices.provider("meeting")
async def meeting_choices(ctx: Context, current: str) -> list[choices.Choice]:
    """Meetings to pick by id, as `m3 · Thu 3 Dec 2026 14:00 (UTC+1) · title` in the
    reader's zone: upcoming ones soonest first, then those of the last 30 days (their
    minutes), latest first; cancelled ones are left out. What is typed filters them."""
    async with ctx.services.db.read() as conn:
        found = await store.since(conn, ctx.now - OFFERED_SINCE)
    live = [m for m in found if m.status != "cancelled"]
    ordered = [m for m in live if m.end > ctx.now] + [m for m in reversed(live) if m.end <= ctx.now]
    typed = current.strip().lower()
    labels = [(f"{m.code} · {when_text(m.start, ctx.zone)} · {m.title}", m.code) for m in ordered]
    return [choices.Choice(label, code) for label, code in labels if typed in label.lower()]


# `/meetings mine`: the meetings one organises or is invited to, in the members' languages.
MINE = frozenset({"mine", "my", "my meetings", "les miennes", "mes réunions", "mis reuniones"})
MEETINGS_FILTERS = "mine, a day or a week (today, tomorrow, this week, next week, 3 Dec)"


async def _meetings_asked(
    ctx: Context, conn: aiosqlite.Connection, wanted: str
) -> Meeting | Window:
    """What `/meetings <text>` names: one meeting (by id or title), or the window of time
    whose meetings to list (`today`, `next week`, `3 Dec`, in any language the time
    reader takes). A word that is neither gets what /meetings takes, with an example,
    not "there is no meeting 'today'"."""
    if domain.is_meeting_id(domain.code_of(wanted)) or await store.by_title(conn, wanted):
        return await domain.find(conn, wanted, MEETINGS_EXAMPLE, ctx.now)
    try:
        when = parse_when(
            wanted, now=ctx.now, zone=ctx.zone, sessions=await session_store.every(conn)
        )
    except TimeParseError:
        if await domain.close_title(conn, wanted, ctx.now) is not None:
            return await domain.find(conn, wanted, MEETINGS_EXAMPLE, ctx.now)  # did you mean
        raise UserError(
            f'"{wanted}" is no meeting I know, nor a day ahead I can read. /meetings takes'
            f" a meeting (its id, such as m3, or its title), {MEETINGS_FILTERS}, or nothing"
            " for all upcoming meetings.",
            "/meetings today",
        ) from None
    if isinstance(when, Instant):  # `/meetings 3 Dec 14:00`: that day's meetings
        day = when.start.astimezone(ctx.zone).date()
        return Window(
            spans=(day_span(day, 1, ctx.zone),), label=f"on {day_text(day)}", zone=ctx.zone
        )
    return when


def _is_mine(ctx: Context, meeting: Meeting) -> bool:
    """Its organiser or one of its attendees: by person, or by the address one invited by
    address alone writes from."""
    address = ctx.identity.removeprefix("email:").lower() if ctx.platform == "email" else None
    return meeting.organizer_id == ctx.person_id or any(
        a.person_id == ctx.person_id or (address and (a.email or "").lower() == address)
        for a in meeting.attendees
    )


@registry.command(
    "meetings",
    args=OptionalMeetingArg,
    help="Upcoming ISCG meetings in your zone (all, mine, a day's, a week's), or one meeting.\n"
    "One meeting is shown with everyone's local time and answer.",
    usage="[mine|today|this week|<day>|<meeting>]",
    examples=[
        "/meetings",
        "/meetings mine",
        "/meetings today",
        "/meetings next week",
        MEETINGS_EXAMPLE,
    ],
    phrasings=[
        "[what are|show [me]|list] my [upcoming|next] meetings => mine",
        "(what|which) meetings (do i have|am i (in|invited to)) => mine",
        "when is (the|our) next [iscg] (meeting|call)",
        "when do we meet [next|again]",
        "(what|which) meetings (are coming up|are scheduled|are planned|are there|do we have)",
        "what are the (upcoming|next|scheduled|planned) meetings",
        "[are there] any (upcoming|scheduled|planned) meetings",
        "[are there] any meetings (coming up|scheduled|planned|soon)",
        "is there a meeting (coming up|scheduled|planned|soon|this week|next week)",
        "(list|show [me]) [the|all [the]] [upcoming|next] [iscg] meetings",
        "upcoming [iscg] meetings",
        # The members' own languages: French, Spanish, Russian, Chinese, Arabic.
        "quand (est|a lieu) la prochaine (réunion|reunion)",
        "quelles sont les prochaines (réunions|reunions)",
        "(cuándo|cuando) es la (próxima|proxima|siguiente) (reunión|reunion)",
        "(cuáles|cuales) son las (próximas|proximas) reuniones",
        "когда [будет] (следующее|ближайшее) (заседание|совещание)",
        "когда [будет] (следующая|ближайшая) встреча",
        "какие (заседания|совещания|встречи) (запланированы|предстоят)",
        "下[一]次会议是什么时候",
        "下[一]次会议(什么时候|在哪天)",
        "(最近|接下来)有(什么|哪些)会议",
        "متى [موعد] الاجتماع (القادم|المقبل)",
        "ما هي الاجتماعات (القادمة|المقبلة)",
    ],
)
async def list_meetings(ctx: Context, args: OptionalMeetingArg) -> Reply:
    wanted = " ".join(args.meeting.split())
    mine = wanted.lower() in MINE
    async with ctx.services.db.read() as conn:
        asked = await _meetings_asked(ctx, conn, wanted) if wanted and not mine else None
        if isinstance(asked, Meeting):
            return _detail(ctx, asked)
        upcoming = await store.upcoming(conn, ctx.now)
    heading, filtered = "Upcoming meetings", ""
    if mine:
        upcoming = [m for m in upcoming if _is_mine(ctx, m)]
        heading, filtered = "Your upcoming meetings", "you organise or are invited to"
    elif asked is not None:
        upcoming = [m for m in upcoming if m.start < asked.end and m.end > asked.start]
        heading, filtered = f"Meetings {asked.label}", asked.label
    if not upcoming and filtered:
        return Reply(text=f"No upcoming meeting {filtered}. All upcoming meetings: /meetings")
    if not upcoming:
        return Reply(
            text="No meeting is scheduled. A chair can schedule one: " + ctx.typed(SCHEDULE_EXAMPLE)
        )
    lines = [
        f"• {m.code} · {when_text(m.start, ctx.zone)} · {m.title} · {_answers(m)}"
        for m in upcoming[:LIST_LIMIT]
    ]
    if len(upcoming) > LIST_LIMIT:
        where = await weblinks.full_list_at(ctx.services, "/meetings")
        lines.append(f"… and {len(upcoming) - LIST_LIMIT} later ones, all listed {where}.")
    return Reply.from_sections(
        f"{heading} ({ctx.zone.key} time)",
        [Section(text="\n".join(lines))],
        footer=f"Details and answers: {ctx.typed('/meetings <id>')} · "
        f"calendar file: {ctx.typed('/invite <id>')}",
    )


def _answer(meeting: Meeting, attendee: Attendee, notes: bool = False) -> str:
    """An attendee's answer as `/meetings <id>` shows it, with `notes` the note they typed
    with it (who replaces them, why not: written to the organiser, on one line); a
    delegation names to whom, or the chair cannot tell who now holds the invitation."""
    note = f" (“{' '.join(attendee.note.split())}”)" if notes and attendee.note else ""
    if attendee.partstat == "NEEDS-ACTION":
        return "no answer yet" + note  # a proposal's note, with no answer given
    if attendee.partstat != "DELEGATED" or not attendee.email:
        return attendee.partstat.lower() + note
    delegates = [
        f"{a.name} <{a.email}>" for a in meeting.attendees if a.delegated_from == attendee.email
    ]
    return ("delegated to " + ", ".join(delegates) if delegates else "delegated") + note


def _detail(ctx: Context, meeting: Meeting) -> Reply:
    state = "CANCELLED" + (f" ({meeting.cancel_reason})" if meeting.cancel_reason else "")
    # A note with an answer is written to the organiser (RFC 5546 COMMENT): it is
    # theirs and the secretariat's to read, not every member's.
    notes = ctx.role >= Role.SECRETARIAT or meeting.organizer_id == ctx.person_id
    people = "\n".join(
        f"• {a.name}: {_answer(meeting, a, notes)}"
        f" · {when_text(meeting.start, domain.zone_of(a, ctx.services.zone))}"
        for a in meeting.attendees
    )
    sections = [
        Section(
            text=f"{minutes_of(meeting.duration)} minutes, organised by {meeting.organizer_name}"
            + (f". {state}" if meeting.status == "cancelled" else "")
            + f". Your time: {when_text(meeting.start, ctx.zone)}",
        ),
        Section(title="Attendees and answers", text=people or "nobody"),
    ]
    if meeting.list_invited:
        sections.append(Section(text=f"Announced on {ctx.services.settings.list_address}."))
    return Reply.from_sections(f"{meeting.code}: {meeting.title}", sections)


@registry.command(
    "invite",
    args=MeetingArg,
    help="The meeting's calendar file (.ics), to add it to your calendar.",
    usage="<meeting>",
    examples=["/invite m1"],
)
async def invite(ctx: Context, args: MeetingArg) -> Reply:
    async with ctx.services.db.read() as conn:
        meeting = await domain.find(conn, args.meeting, now=ctx.now)
    return Reply(
        text=f"{meeting.code}: {meeting.title}, {when_text(meeting.start, ctx.zone)}. "
        + _what_the_file_does(meeting, invited=_is_mine(ctx, meeting)),
        attachments=[_ics(meeting, ctx)],
    )


def _what_the_file_does(meeting: Meeting, *, invited: bool) -> str:
    """A cancelled meeting's file takes it out of an invitee's calendar (a CANCEL) and marks
    it cancelled in anyone else's (a copy with STATUS:CANCELLED): the reader must not think
    they are adding a meeting that will not take place."""
    if meeting.status != "cancelled":
        return "Open the attached file to add it to your calendar."
    reason = f" ({meeting.cancel_reason})" if meeting.cancel_reason else ""
    effect = (
        "remove it from your calendar"
        if invited
        else "mark it cancelled in your calendar, if you had added it"
    )
    return f"This meeting was cancelled{reason}. Open the attached file to {effect}."


# --- changing meetings -----------------------------------------------------------


async def _organiser_of(ctx: Context, rest: str) -> bool:
    """Whoever scheduled a meeting may move or cancel it (named as the command names it)."""
    async with ctx.services.db.read() as conn:
        try:
            meeting = await domain.find(conn, _meeting_and_rest(rest)[0])
        except UserError:
            return False
    return meeting.organizer_id == ctx.person_id


ORGANISER = AlsoAllowed("the meeting's organiser", _organiser_of)


async def _found(ctx: Context, text: str, example: str) -> Meeting:
    """The meeting `text` names; `example` is the command's own, shown if none is found."""
    async with ctx.services.db.read() as conn:
        return await domain.find(conn, text, example, ctx.now)


def _cancelled_on(ctx: Context, meeting: Meeting, already: str = "") -> str:
    """`m1 (Climate change) was cancelled on <when> (<reason>)`, in the reader's zone."""
    reason = f" ({meeting.cancel_reason})" if meeting.cancel_reason else ""
    return (
        f"{meeting.code} ({meeting.title}) was {already}cancelled on "
        f"{when_text(meeting.updated_at, ctx.zone)}{reason}"
    )


def _over(ctx: Context, meeting: Meeting) -> str:
    return (
        f"{meeting.code} ({meeting.title}) was on {when_text(meeting.start, ctx.zone)} and is over"
    )


def _movable(ctx: Context, meeting: Meeting, when: str) -> Meeting:
    """The meeting to move, refused when cancelled or over: the refusal says what became
    of it and gives the /schedule that holds it at the time asked (a generic example
    read as if the meeting had been mistyped)."""
    again = _schedule_again(meeting, when)
    if meeting.status == "cancelled":
        raise UserError(
            f"{_cancelled_on(ctx, meeting)}, so it cannot be moved; to hold it after all,"
            " schedule it again (its attendees are invited again).",
            again,
        )
    if meeting.end <= ctx.now:
        raise UserError(
            f"{_over(ctx, meeting)}, so it cannot be moved; to meet again, schedule a new meeting.",
            again,
        )
    return meeting


def _schedule_again(meeting: Meeting, when: str) -> str:
    """The /schedule of the same title, length, attendees and list, at `when`."""
    people = [
        f'"{name}"' if "," in name else name
        for name in (a.email or a.name for a in meeting.attendees)
    ]
    if meeting.list_invited:
        people.append("list")
    return f"/schedule {meeting.title} | {when.strip()} | {minutes_of(meeting.duration)}m" + (
        f" | {', '.join(people)}" if people else ""
    )


@registry.command(
    "reschedule",
    args=RescheduleArgs,
    help="Move a meeting, or change its length: attendees get an update (same invitation,"
    " SEQUENCE+1).",
    usage="<meeting> | <when> [| <duration>]",
    examples=[RESCHEDULE_EXAMPLE],
    role=Role.SECRETARIAT,
    also=ORGANISER,
)
async def reschedule(ctx: Context, args: RescheduleArgs) -> Reply:
    meeting = _movable(ctx, await _found(ctx, args.meeting, RESCHEDULE_EXAMPLE), args.when)
    async with ctx.services.db.read() as conn:
        every = await session_store.every(conn)
    command = f"/reschedule {meeting.code} |"

    def read(text: str) -> When:
        return parse_when(
            text,
            now=ctx.now,
            zone=ctx.zone,
            sessions=every,
            command=command,
            moving=meeting.start,
            kept_in=domain.set_in(meeting, ctx.services.zone),
        )

    when = read(args.when)
    if not isinstance(when, Instant):
        raise TimeParseError(
            f'"{args.when}" is a window; moving a meeting needs a precise time.',
            f"{command} {_same_time_in(args.when, read, meeting.start)}",
        )
    # A length typed (`| 90m`, or a range: `14:00-16:00`) is the meeting's new one.
    duration = parse_duration(args.duration) if args.duration else when.duration
    duration = duration or meeting.duration
    if when.start == meeting.start and duration == meeting.duration:
        return _already_there(ctx, meeting)
    async with ctx.services.db.transaction() as conn:
        moved = await domain.reschedule(
            conn, ctx.services, ctx, meeting, when.start, duration, when.zone
        )
    word = "Moved" if when.start != meeting.start else "Changed"
    reply = domain.change_reply(moved, word, ctx.services)
    longer = (
        f"\nNow {minutes_of(duration)} minutes long (it was {minutes_of(meeting.duration)})."
        if duration != meeting.duration
        else ""
    )
    reply.text = f"{reply.text}\nRead as: {when.reading}{longer}\nAttendees get an update."
    if hard := _hard_hours(ctx, moved):
        reply.text += f"\n{hard}"
    reply.attachments = [_ics(moved, ctx, for_channel=True)]
    return reply


def _same_time_in(window: str, read: Callable[[str], When], start: dt.datetime) -> str:
    """What to type to move a meeting into a window (`next week`): `same time next week`,
    its own weekday and hour there, when that reads as a time other than the one it has
    (`same time this week`, of this week's meeting, moves nothing); else a time to copy."""
    said = f"same time {window}"
    try:
        when = read(said)
    except TimeParseError:
        return EXAMPLE_TIME
    return said if isinstance(when, Instant) and when.start != start else EXAMPLE_TIME


def _already_there(ctx: Context, meeting: Meeting) -> Reply:
    """Moving a meeting to its own time is no change: an update would only raise the
    SEQUENCE and fill every attendee's inbox with a "new" time that is the old one."""
    return Reply(
        text=f"{meeting.code} is already at {when_text(meeting.start, ctx.zone)}: "
        "nothing changed and no update was sent."
    )


def _already_cancelled(ctx: Context, meeting: Meeting) -> Reply:
    """Cancelling a cancelled meeting is no change: say when it was done, and send nothing
    (a second CANCEL would only fill every attendee's inbox)."""
    return Reply(
        text=f"{_cancelled_on(ctx, meeting, 'already ')}:"
        " nothing was sent again. Upcoming meetings: /meetings"
    )


@registry.command(
    "cancel",
    args=CancelArgs,
    help="Cancel a meeting: attendees get a cancellation their calendar applies.",
    usage="<meeting> [| reason]",
    examples=[CANCEL_EXAMPLE, "/cancel m1 | clashes with the TSAG session"],
    role=Role.SECRETARIAT,
    also=ORGANISER,
)
async def cancel(ctx: Context, args: CancelArgs) -> Reply:
    meeting = await _found(ctx, args.meeting, CANCEL_EXAMPLE)
    if meeting.status == "cancelled":
        return _already_cancelled(ctx, meeting)
    if meeting.end <= ctx.now:
        return Reply(
            text=f"{_over(ctx, meeting)}: there is nothing to cancel. Upcoming meetings: /meetings"
        )
    async with ctx.services.db.transaction() as conn:
        cancelled = await domain.cancel(conn, ctx.services, ctx, meeting, args.reason or None)
    reply = domain.change_reply(cancelled, "Cancelled", ctx.services)
    reply.text += "\nAttendees get a cancellation; reminders are off."
    reply.attachments = [_ics(cancelled, ctx, for_channel=True)]
    return reply
