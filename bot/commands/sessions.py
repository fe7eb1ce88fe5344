"""/sessions and /sessions add: the advisory-group sessions meetings are planned around."""

from __future__ import annotations

import datetime as dt
import re

from bot.core import Args, Context, Reply, Role, Section, UserError, registry
from bot.timeparse import day_text, read_day, read_days
from storage import sessions
from storage.sessions import GROUPS, Session, canonical_group

ADD_EXAMPLE = "/sessions add TSAG 2027-01-19 to 2027-01-23 Geneva"
# The Union plans its conferences a few years ahead; a session further off is a typo
# ("2207" for "2027"), and one near the last year Python has broke "after TSAG".
SESSION_YEARS_AHEAD = 10
# What a question calls a session: "when is the next TSAG (meeting)?"
_SESSION_NAMES = "|".join(["advisory group", *GROUPS])
_TO = re.compile(r"\s+(?:to|until|till|-|–)\s+", re.IGNORECASE)


class SessionArgs(Args):
    """`TSAG 2027-01-19 to 2027-01-23 Geneva`: the place is whatever follows the last day."""

    group: str
    first_day: str
    rest: str

    @classmethod
    def from_text(cls, text: str) -> dict[str, str]:
        group, _, days = text.strip().partition(" ")
        parts = _TO.split(days.strip(), maxsplit=1)
        if not group or not days.strip():
            raise UserError(_NO_DAYS, ADD_EXAMPLE)
        if len(parts) != 2 or not all(part.strip() for part in parts):
            # "25-27 May 2027", "du 25 au 27 mai 2027": a range read whole, or refused then.
            return {"group": group, "first_day": days.strip(), "rest": ""}
        return {"group": group, "first_day": parts[0], "rest": parts[1]}


_NO_DAYS = "Give the group, the first day, `to`, the last day and optionally the place"


def _days_and_place(
    ctx: Context, text: str, command: str
) -> tuple[dt.date, dt.date, str | None] | None:
    """The longest leading run of words that reads as a range of days ("25 to 27 May 2027",
    "du 25 au 27 mai 2027") and the place after it; None when no run does.

    Split at its "to" alone, "25 to 27 May 2027" had "25" for its first day, 25 November,
    and was refused as longer than a month; "25-27 May" and the French and Spanish
    ranges were refused as having no "to"."""
    words = text.split()
    for cut in range(len(words), 0, -1):
        days = read_days(" ".join(words[:cut]), now=ctx.now, zone=ctx.zone, command=command)
        if days is not None:
            return *days, " ".join(words[cut:]) or None
    return None


def _last_day_and_place(ctx: Context, text: str) -> tuple[dt.date, str | None]:
    """The longest leading run of words that reads as a day; the words after it are the place."""
    words = text.split()
    for cut in range(len(words), 0, -1):
        day = read_day(" ".join(words[:cut]), now=ctx.now, zone=ctx.zone)
        if day is not None:
            return day, " ".join(words[cut:]) or None
    raise UserError(f'I cannot read the last day in "{text}".', ADD_EXAMPLE)


def session_line(session: Session, today: dt.date) -> str:
    state = " (under way)" if session.first_day <= today <= session.last_day else ""
    return f"• {session.label()}{state}"


@registry.command(
    "sessions",
    help="Upcoming advisory-group and other ITU sessions (RAG, TSAG, TDAG, Council...).",
    examples=["/sessions"],
    phrasings=[
        f"when is the next ({_SESSION_NAMES}) [meeting|session]",
        f"when does ({_SESSION_NAMES}) meet [next]",
        "(what|which) sessions are (coming up|scheduled|planned|there)",
        "(what|when) are the [upcoming|next] [advisory group] sessions",
        "(list|show [me]) [the|all [the]] [upcoming|next] [advisory group] sessions",
        "upcoming [advisory group] sessions",
    ],
)
async def list_sessions(ctx: Context, _args: Args) -> Reply:
    today = ctx.now.astimezone(ctx.zone).date()
    async with ctx.services.db.read() as conn:
        upcoming = await sessions.upcoming(conn, today)
    if not upcoming:
        return Reply(
            text="No upcoming session is recorded. A chair or the secretariat can add one: "
            + ctx.typed(ADD_EXAMPLE)
        )
    lines = [session_line(session, today) for session in upcoming]
    return Reply.from_sections(
        "Upcoming sessions",
        [Section(text="\n".join(lines))],
        footer="Schedule around them: " + ctx.typed("/schedule <title> | between RAG and TDAG"),
    )


@registry.command(
    "sessions add",
    args=SessionArgs,
    help="Record a session of an advisory group or another ITU body (chair or secretariat).",
    usage="<group> <first day> to <last day> [place]",
    examples=[ADD_EXAMPLE, "/sessions add RAG 25 May 2027 to 27 May 2027 Geneva"],
    role=Role.SECRETARIAT,
)
async def add_session(ctx: Context, args: SessionArgs) -> Reply:
    group = canonical_group(args.group)
    if group is None:
        raise UserError(
            f'I know no group called "{args.group}". Known groups: {", ".join(GROUPS.values())}.',
            ADD_EXAMPLE,
        )
    whole = f"{args.first_day} to {args.rest}" if args.rest else args.first_day
    found = _days_and_place(ctx, whole, f"/sessions add {group}")
    if found is not None:
        first, last, place = found
    elif not args.rest:
        raise UserError(_NO_DAYS, ADD_EXAMPLE)
    else:
        first = read_day(args.first_day, now=ctx.now, zone=ctx.zone)
        if first is None:
            raise UserError(f'I cannot read the first day "{args.first_day}".', ADD_EXAMPLE)
        last, place = _last_day_and_place(ctx, args.rest)
    if last < first:
        raise UserError(
            f"The last day ({day_text(last)}) comes before the first ({day_text(first)}).",
            ADD_EXAMPLE,
        )
    if (last - first).days > 31:
        raise UserError("A session lasts at most a month; check the dates.", ADD_EXAMPLE)
    if last.year > ctx.now.year + SESSION_YEARS_AHEAD:
        raise UserError(
            f"{day_text(last)} is more than {SESSION_YEARS_AHEAD} years from now; check the year.",
            ADD_EXAMPLE,
        )
    async with ctx.services.db.transaction() as conn:
        session, added = await sessions.add(
            conn,
            group=group,
            first_day=first,
            last_day=last,
            place=place,
            source=f"added by {ctx.identity}",
            now=ctx.now,
        )
    if not added:
        return Reply(text=f"Already recorded: {session.label()}. Nothing changed.")
    return Reply(
        text=f"Recorded {session.label()}. See {ctx.typed('/sessions')}; schedule around it "
        f"with {ctx.typed(f'/schedule <title> | during {group}')}",
        public=True,
    )
