"""Running a meeting, MeetBot style: start, the `#` lines, undo, co-chairs, end.

Whoever starts a meeting chairs it. Anyone present may add items; only
chairs (and ISCG chairs and secretariat) may set the topic, record what was
agreed, undo other people's items and end the meeting, unless it has run
past its planned length plus an hour (four hours when unscheduled), when
anyone may end it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

import aiosqlite
from rapidfuzz import fuzz, process

from bot import actions as action_items
from bot import meetings as scheduled_meetings
from bot import minutes as minutes_model
from bot.actionline import labelled_action
from bot.core import RECORDED, Context, Reply, Role, UserError
from bot.identity import platform_of
from bot.meetingroom import Room, Said, message_key, room_of
from bot.mentions import (
    defang,
    named,
)
from bot.outgoing import queue_email
from bot.owners import Namesakes, person_named
from bot.timeparse import when_text, zone_name
from storage import actions as stored_actions
from storage import meetings as scheduled
from storage import minutes, people
from storage.meetings import Meeting as ScheduledMeeting
from storage.minutes import LineKind, MinutedMeeting, NewLine

START_EXAMPLE = "/meeting start ISCG coordination call"
UNSCHEDULED_LIMIT = dt.timedelta(hours=4)
GRACE = dt.timedelta(hours=1)
_NO_MINUTES = "No meeting is running here, so it joins no minutes."
# "#agreed the report", and as minute-takers also type it, "#agreed: the report" (a
# Chinese keyboard's colon too).
_ITEM = re.compile(r"^#(\w+)(?:\s*[:：]\s*|\s+|$)(.*)$", re.S)
_KINDS: dict[str, LineKind] = {
    "topic": "topic",
    "info": "info",
    "agreed": "agreed",
    "decision": "agreed",
    "action": "action",
    "link": "link",
    "idea": "idea",
    "undo": "undo",
    "chair": "chair",
}
_CHAIRS_ONLY = {"topic": "#topic", "agreed": "#agreed"}
# A tag typed amiss ("#acton", "#agred", "#actions"): as close to an item's (rapidfuzz's
# ratio, 0-100) as one letter off, left out or doubled in a word of four or more.
_TAG = re.compile(r"^#(\w+)\s*(.*)$", re.S)
_MISTYPED_CUTOFF = 82


def room(ctx: Context) -> Room:
    return room_of(ctx.services)


def classify(text: str) -> tuple[LineKind, str]:
    """(kind, the item's own text): `#decision x` -> ("agreed", "x"); a bare URL is a link;
    `ACTION: x` (`ACCIÓN: x`, `行动项：x`...) is an action, as it is in a list post."""
    match = _ITEM.match(text)
    if match and match.group(1).lower() in _KINDS:
        return _KINDS[match.group(1).lower()], (match.group(2) or "").strip()
    if (item := labelled_action(text)) is not None:
        return "action", item
    if minutes_model.URL.match(text):
        return "link", text
    return "line", text


UNTITLED = "ISCG meeting"  # the title of a meeting started without one


def series_of(title: str, channel: str, named: bool) -> str:
    """Meetings of one series share a title (dates and numbers aside), or a channel."""
    if not named:
        return f"channel:{channel}"
    key = re.sub(r"\d{4}-\d{2}-\d{2}|#?\d+\b", " ", title.lower())
    return "title:" + " ".join(re.sub(r"[^\w\s]", " ", key).split())


def is_chair(ctx: Context, meeting: MinutedMeeting) -> bool:
    return ctx.person_id in meeting.chairs or ctx.role >= Role.SECRETARIAT


def may_record(ctx: Context, meeting: MinutedMeeting, kind: LineKind) -> bool:
    """Whether the speaker may record this kind of item: #topic and #agreed are the
    chairs'; anyone else's is kept in the log as a plain line."""
    return kind not in _CHAIRS_ONLY or is_chair(ctx, meeting)


def open_to_all_from(meeting: MinutedMeeting) -> dt.datetime:
    """When anyone may end the meeting: an hour past its planned length, or four hours
    after it began if none was planned, so that one whose chairs left can still close."""
    planned = (
        dt.timedelta(minutes=meeting.scheduled_minutes) + GRACE
        if meeting.scheduled_minutes
        else UNSCHEDULED_LIMIT
    )
    return meeting.started_at + planned


def overdue(meeting: MinutedMeeting, now: dt.datetime) -> bool:
    return now > open_to_all_from(meeting)


async def chair_names(conn: aiosqlite.Connection, meeting: MinutedMeeting) -> list[str]:
    found = [await people.get(conn, pid) for pid in meeting.chairs]
    return [person.name for person in found if person]


def _said(ctx: Context, kind: LineKind, text: str) -> Said:
    return Said(
        channel=ctx.channel,
        person_id=ctx.person_id,
        author=ctx.display_name,
        at=ctx.now,
        kind=kind,
        text=text,
        message_key=message_key(ctx),
    )


# --- start and end ---------------------------------------------------------


async def start(ctx: Context, title: str) -> Reply:
    here = room(ctx)

    async def op(conn: aiosqlite.Connection) -> Reply:
        running = await here.running_in(conn, ctx.channel, own=True)
        if running is not None:
            raise UserError(
                f'"{defang(running.title)}" is already running here (started '
                f"{running.started_at:%H:%M} UTC). End it with /meeting end first.",
            )
        planned = await scheduled_for(conn, title, ctx)
        named = bool(title.strip()) or planned is not None
        # Untitled, it is the group's meeting: a channel id ("slack:C5") means nothing
        # in the minutes on the list; its series is still the channel's.
        name = planned.title if planned else (title.strip() or UNTITLED)
        meeting = await minutes.start(
            conn,
            channel=ctx.channel,
            title=name,
            series=series_of(name, ctx.channel, named),
            person_id=ctx.person_id,
            now=ctx.now,
            scheduled_ref=str(planned.id) if planned else None,
            scheduled_minutes=(
                int((planned.end - planned.start).total_seconds() // 60) if planned else None
            ),
        )
        here.set_running(ctx.channel, meeting)
        local = ctx.now.astimezone(ctx.zone)
        # A chair on UTC read "08:00 UTC (08:00 UTC)": the local time only where it differs.
        local_text = "" if ctx.zone.key == "UTC" else f" ({local:%H:%M} {zone_name(ctx.zone)})"
        linked = f" (scheduled meeting {planned.code or planned.id})" if planned else ""
        return Reply(
            text=f'Meeting "{defang(name)}"{linked} started at {ctx.now:%H:%M} UTC'
            f"{local_text}, chaired by {defang(ctx.display_name)}. "
            "Lines here are now minuted: #topic #info #idea #agreed #action #link #undo, "
            "#chair <person> adds a co-chair; /meeting end closes it.",
            public=True,
        )

    return await here.writer.run(op)


async def scheduled_for(
    conn: aiosqlite.Connection, named: str, ctx: Context
) -> ScheduledMeeting | None:
    """The scheduled meeting named (`m7`, `7`) or, when none is named, the one under way.

    A meeting id that names no meeting is refused, not taken for a title: the
    minutes would start unlinked, under a title that looks like an id.
    One under way that was scheduled from this channel wins over one from elsewhere.
    """
    text = named.strip()
    if scheduled_meetings.is_meeting_id(text):
        return await scheduled_meetings.find(conn, text, example="/meeting start m1")
    if text:
        return None
    under_way = [m for m in await scheduled.upcoming(conn, ctx.now) if m.start <= ctx.now]
    under_way.sort(key=lambda m: m.channel != ctx.channel)
    return under_way[0] if under_way else None


async def end(ctx: Context) -> Reply:
    here = room(ctx)
    settings = ctx.services.settings

    async def op(conn: aiosqlite.Connection) -> Reply:
        meeting = await here.running_in(conn, ctx.channel)
        if meeting is None:
            raise UserError("No meeting is running here.", START_EXAMPLE)
        if not is_chair(ctx, meeting) and not overdue(meeting, ctx.now):
            raise UserError(await _not_yours_to_end(ctx, conn, meeting))
        await minutes.end(conn, meeting.id, ctx.person_id, ctx.now)
        ended = await minutes.get(conn, meeting.id)
        assert ended is not None
        built = await minutes_model.build(conn, ended, settings.zone)
        await queue_email(
            conn,
            bot_address=settings.bot_address,
            to=[settings.list_address],
            to_list=True,
            subject=built.subject,
            text=minutes_model.render_text(built),
            html=minutes_model.render_html(built),
            kind="minutes",
            dedupe_key=f"minutes:{meeting.id}",
            now=ctx.now,
        )
        here.set_running(meeting.channel, None)  # `/meeting end` may come from a thread
        if platform_of(meeting.channel) == "email":
            # Its channel is a thread of the list, whose members (the chair among them)
            # get the minutes just queued: the answer to the chair was a second copy.
            return Reply(
                text=f'Meeting "{built.title}" ended; its minutes went to the list '
                f"({settings.list_address}). {built.reference}"
            )
        return minutes_reply(built, public=True)

    return await here.writer.run(op)


async def _not_yours_to_end(
    ctx: Context, conn: aiosqlite.Connection, meeting: MinutedMeeting
) -> str:
    """Who can end the meeting now, how to get it ended, and from when anyone can: what
    the refused member can do about it, where an example would only repeat /meeting end."""
    names = ", ".join(await chair_names(conn, meeting))
    hours = int(UNSCHEDULED_LIMIT.total_seconds() // 3600)
    after = (
        "an hour past its planned end"
        if meeting.scheduled_minutes
        else f"{hours} hours after it began"
    )
    return (
        f"Only the chairs of this meeting ({defang(names)}), ISCG chairs and the secretariat "
        "can end it now: ask a chair to end it, or to make you a co-chair with #chair. "
        f"From {when_text(open_to_all_from(meeting), ctx.zone)}, {after}, anyone here can."
    )


# --- lines -----------------------------------------------------------------


async def hear(ctx: Context, text: str) -> Reply | None:
    """A non-command line: recorded when a meeting runs in this channel, else ignored."""
    here = room(ctx)
    meeting = await here.running(ctx.channel)
    if meeting is None:
        return None
    kind, body = classify(text)
    if not may_record(ctx, meeting, kind):
        if not await here.writer.line(_said(ctx, "line", text)):
            return RECORDED
        return Reply(
            text=f"Only the chairs can record {_CHAIRS_ONLY[kind]}; your line is kept in the log. "
            "A chair can add you with #chair.",
            error=True,
        )
    if kind not in ("line", "undo") and not body:
        return Reply(text=_empty_item(kind), error=True)
    if kind == "action":
        return await here.writer.run(
            _action_op(ctx, here, body, text), reads_lines=False, writes=False
        )
    if kind == "undo":
        return await here.writer.run(_undo_op(ctx, here))
    if kind == "chair":
        return await here.writer.run(_chair_op(ctx, here, body))
    recorded = await here.writer.line(_said(ctx, kind, text))
    if recorded and kind == "line" and (meant := _meant_item(text)) is not None:
        return Reply(text=meant, error=True)
    if recorded and kind == "topic":
        async with ctx.services.db.read() as conn:
            body = await minutes_model.named_in(conn, platform_of(ctx.channel), body)
        return Reply(text=f"Topic: {defang(body)}", public=True)
    return RECORDED


def _meant_item(text: str) -> str | None:
    """What to tell of a line whose tag is an item's mistyped ("#acton Jane Doe to send
    it"): it was minuted as talk, silently, and the action never recorded; None for any
    other line (a hashtag, "#1 priority")."""
    match = _TAG.match(text)
    if match is None:
        return None
    typed = match.group(1)
    found = process.extractOne(
        typed.lower(), list(_KINDS), scorer=fuzz.ratio, score_cutoff=_MISTYPED_CUTOFF
    )
    if found is None:
        return None
    again = f"#{found[0]} {match.group(2)}".rstrip()
    return (
        f'"#{typed}" is no meeting item, so your line is minuted as talk. '
        f"Did you mean #{found[0]}? Write it again as: {defang(again)}"
    )


def _empty_item(kind: str) -> str:
    """A bare `#info` or `#link` was minuted as the item "#info", "#link"; every item
    but `#undo` needs its text."""
    examples = {
        "topic": "#topic Climate change pilot",
        "action": action_items.ACTION_EXAMPLE,
        "chair": "#chair @jane",
        "agreed": "#agreed Climate change becomes a pilot theme",
        "info": "#info The mapping tables were updated in March",
        "idea": "#idea A joint workshop with the study groups",
        "link": "#link https://www.itu.int/go/iscg the ISCG page",
    }
    return f"#{kind} needs some text, for example: {examples[kind]}"


def _action_op(ctx: Context, here: Room, body: str, text: str) -> Any:
    async def op(conn: aiosqlite.Connection) -> Reply:
        meeting = await here.running_in(conn, ctx.channel)
        key = message_key(ctx)  # a repeated message adds no action
        if meeting is None or not await here.first_time(conn, meeting.id, key):
            return RECORDED
        lookups = await here.writer.action_lookups(conn)
        action, reading = action_items.prepare(
            ctx, body, meeting_id=meeting.id, message_key=key, lookups=lookups
        )
        said = named(text, platform_of(ctx.channel), lookups.people.name_of)
        line = _new_line(ctx, meeting, "action", said)
        await here.writer.add_action(conn, action, line, if_recorded=RECORDED)
        return action_items.created_reply(action_items.created(action, reading, ctx))

    return op


def _undo_op(ctx: Context, here: Room) -> Any:
    async def op(conn: aiosqlite.Connection) -> Reply:
        meeting = await here.running_in(conn, ctx.channel)
        if meeting is None or not await here.first_time(conn, meeting.id, message_key(ctx)):
            return RECORDED
        chair = is_chair(ctx, meeting)
        target = await minutes.last_item(conn, meeting.id, None if chair else ctx.person_id)
        await minutes.add_line(conn, _new_line(ctx, meeting, "undo", "#undo"))
        if target is None:
            return Reply(text="There is nothing of yours to undo in this meeting.", error=True)
        await minutes.mark_undone(conn, target.id)
        if target.action_id is not None:
            await stored_actions.delete(conn, target.action_id)
        whose = "your" if target.person_id == ctx.person_id else f"{target.author}'s"
        label = "#agreed" if target.kind == "agreed" else f"#{target.kind}"
        said = await minutes_model.named_in(conn, platform_of(ctx.channel), target.text)
        return Reply(
            text=f"Removed {defang(whose)} {label}: {defang(minutes_model.item_text(said))}",
            public=True,
        )

    return op


def _chair_op(ctx: Context, here: Room, who: str) -> Any:
    async def op(conn: aiosqlite.Connection) -> Reply:
        meeting = await here.running_in(conn, ctx.channel)
        if meeting is None or not await here.first_time(conn, meeting.id, message_key(ctx)):
            return RECORDED
        await minutes.add_line(conn, _new_line(ctx, meeting, "chair", f"#chair {who}"))
        if not is_chair(ctx, meeting):
            names = ", ".join(await chair_names(conn, meeting))
            return Reply(
                text=f"Only a chair of this meeting ({defang(names)}) can add a co-chair.",
                error=True,
            )
        try:
            person_id = await _person_named(conn, ctx, who)
        except Namesakes as exc:
            return Reply(text=f"{exc.question}\nFor example: #chair {exc.address}", error=True)
        if person_id is None:
            return Reply(
                text=f'I know no one called "{defang(who)}". Name them with a mention '
                "(@jane), their full name or their e-mail address.",
                error=True,
            )
        await minutes.add_chair(conn, meeting.id, person_id)
        updated = await minutes.get(conn, meeting.id)
        here.set_running(updated.channel, updated)
        person = await people.get(conn, person_id)
        name = person.name if person else who
        return Reply(text=f"{defang(name)} now co-chairs this meeting.", public=True)

    return op


async def _person_named(conn: aiosqlite.Connection, ctx: Context, who: str) -> int | None:
    """A mention, handle, full name or address -> a person (`owners.person_named`)."""
    index = (await action_items.lookups_for(ctx.services, conn)).people
    return await person_named(conn, index, platform_of(ctx.channel), who)


def _new_line(ctx: Context, meeting: MinutedMeeting, kind: LineKind, text: str) -> NewLine:
    line = _said(ctx, kind, text)
    line.meeting_id = meeting.id
    return line


async def outside_meeting(ctx: Context, text: str) -> Reply | None:
    """A `#` line spoken to the bot where no meeting runs: say so, not the whole help.

    `#action` (or `ACTION:`) still records its action item, as `/action` does
    anywhere (and as such a line in a mail does): the speaker is told it joins no
    minutes.
    """
    kind, body = classify(text)
    if kind == "line" or (kind != "action" and not text.startswith("#")):
        return None
    if kind == "action":
        if not body:
            return Reply(text=_empty_item(kind), error=True)
        reply = await record_action(ctx, body)
        return reply if reply.error else replace(reply, text=f"{reply.text}\n{_NO_MINUTES}")
    word = text.split(None, 1)[0]
    return Reply(
        text=f"No meeting is running here, and {word} works only in one. Start one with "
        "/meeting start <title>, or /meeting start m3 for a scheduled meeting (see /meetings).",
        error=True,
    )


async def record_action(ctx: Context, text: str) -> Reply:
    """`/action ...`: in a channel with a running meeting it joins the minutes."""
    here = room(ctx)
    if await here.running(ctx.channel) is not None:
        reply = await here.writer.run(
            _action_op(ctx, here, text, f"#action {text}"), reads_lines=False, writes=False
        )
        return Reply(text="That message was recorded already.") if reply is RECORDED else reply
    async with ctx.services.db.transaction() as conn:
        created = await action_items.create(
            conn, ctx, text, meeting_id=None, message_key=message_key(ctx)
        )
    if created.action is None:
        return Reply(text="That message was recorded already.")
    return action_items.created_reply(created)


def minutes_reply(built: minutes_model.Minutes, *, public: bool) -> Reply:
    """The minutes as an answer: plain text for mail, Slack and the console, Markdown
    where it shows (Discord)."""
    return Reply(
        text=minutes_model.render_text(built),
        markdown=minutes_model.render_markdown(built),
        title=built.subject,
        public=public,
    )
