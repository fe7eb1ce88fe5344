"""/meeting start, /meeting end, /minutes, and the `#` lines of a running meeting."""

from __future__ import annotations

import re

import aiosqlite

from bot import lineedits, minutetaking
from bot import meetings as scheduled_meetings
from bot import minutes as minutes_model
from bot.core import Args, Context, NoArgs, Reply, UserError, registry
from bot.identity import platform_of
from bot.meetingroom import room_of
from bot.mentions import defang
from bot.services import Services
from bot.timeparse import date_text
from storage import minutes
from storage.minutes import MinutedMeeting

# `3`, or the page's address as it was pasted: `/minutes/3`, `https://.../minutes/3.txt#action-12`.
_NUMBER = re.compile(r"(?:\S*/minutes/)?(\d+)(?:\.txt)?(?:[?#]\S*)?")
_STOPS = ".,;:!。，、،"


class TitleArg(Args):
    title: str = ""


class MeetingArg(Args):
    meeting: str = ""


@registry.command(
    "meeting start",
    args=TitleArg,
    help="Start taking minutes in this channel or thread; you chair the meeting.",
    usage="[<meeting id or title>]",
    examples=[minutetaking.START_EXAMPLE, "/meeting start"],
    changes_state=True,
)
async def meeting_start(ctx: Context, args: TitleArg) -> Reply:
    return await minutetaking.start(ctx, args.title)


@registry.command(
    "meeting end",
    help="End the meeting running here: post its minutes and send them to the list.",
    examples=["/meeting end"],
    changes_state=True,
)
async def meeting_end(ctx: Context, args: NoArgs) -> Reply:
    return await minutetaking.end(ctx)


@registry.command(
    "minutes",
    args=MeetingArg,
    help="The minutes of the last meeting here, or of others: by number, meeting id (m3) or title.",
    usage="[<minutes number, meeting id or title>]",
    examples=["/minutes", "/minutes 3", "/minutes m3", "/minutes coordination call"],
    phrasings=["minutes of {meeting}", "show the minutes of {meeting}", "show the minutes => "],
)
async def minutes_command(ctx: Context, args: MeetingArg) -> Reply:
    # "/minutes 3." or "/minutes m3," as a mail's sentence ends: the stop is no part of it.
    wanted = args.meeting.strip().removeprefix("#").rstrip(_STOPS).rstrip()
    number = _NUMBER.fullmatch(wanted)
    async with ctx.services.db.read() as conn:
        if number:
            meeting = await _numbered(conn, int(number.group(1)))
        elif scheduled_meetings.is_meeting_id(wanted):
            meeting = await _of_scheduled(conn, wanted)
        elif wanted:
            meeting = await _titled(conn, wanted)
        else:
            meeting = await _here(ctx, conn)
        built = await minutes_model.build(conn, meeting, ctx.services.settings.zone)
    return minutetaking.minutes_reply(built, public=False)


async def _numbered(conn: aiosqlite.Connection, number: int) -> MinutedMeeting:
    """Minutes by their own number, the one they show and their web page has (/minutes/3).

    A number is not a scheduled meeting's id here: those are asked for as `m3`.
    """
    meeting = await minutes.get(conn, number)
    if meeting is None:
        raise UserError(
            f"There are no minutes {number}. For the minutes of a scheduled meeting, "
            "give its id as /meetings shows it.",
            "/minutes m3",
        )
    return meeting


async def _of_scheduled(conn: aiosqlite.Connection, code: str) -> MinutedMeeting:
    """The minutes of a scheduled meeting (`m3`), the latest if it was minuted twice."""
    planned = await scheduled_meetings.find(conn, code, example="/minutes m1")
    meeting = await minutes.latest_for_scheduled(conn, str(planned.id))
    if meeting is None:
        raise UserError(
            f'{planned.code}, "{defang(planned.title)}", has no minutes yet.',
            f"/meeting start {planned.code}",
        )
    return meeting


async def _titled(conn: aiosqlite.Connection, title: str) -> MinutedMeeting:
    meeting = await minutes.latest_titled(conn, title)
    if meeting is None:
        raise UserError(
            f'I have no minutes of a meeting "{defang(title)}".', minutetaking.START_EXAMPLE
        )
    return meeting


async def _here(ctx: Context, conn: aiosqlite.Connection) -> MinutedMeeting:
    """The last meeting of this channel; with none here, say so and name the latest elsewhere.

    Another channel's minutes shown for `/minutes` would pass for this channel's.
    By mail, each new message is a channel of its own, where nothing was ever
    minuted: a member who mails `/minutes` gets the latest minutes, whose title
    and date head the answer.
    """
    meeting = await minutes.latest(conn, channel=ctx.channel)
    if meeting is not None:
        return meeting
    elsewhere = await minutes.latest(conn)
    if elsewhere is None:
        raise UserError("No meeting has been minuted yet.", minutetaking.START_EXAMPLE)
    if platform_of(ctx.channel) == "email":
        return elsewhere
    raise UserError(
        "No meeting has been minuted here yet. The latest minutes, of another channel, are "
        f'"{defang(elsewhere.title)}" of {date_text(elsewhere.started_at.astimezone(ctx.zone))}.',
        f"/minutes {elsewhere.id}",
    )


async def meeting_runs(services: Services, conn: aiosqlite.Connection, channel: str) -> bool:
    """Only a channel with a running meeting has lines for the minutes."""
    room = room_of(services)
    return await room.running_in(conn, channel) is not None


@registry.on_line(
    "minutes",
    listens=meeting_runs,
    unheard=minutetaking.outside_meeting,
    changed=lineedits.follow,
)
async def meeting_line(ctx: Context, text: str) -> Reply | None:
    return await minutetaking.hear(ctx, text)
