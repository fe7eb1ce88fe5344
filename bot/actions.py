"""Action items: creating them from text, who may change them, and finding them.

An action comes from `#action` in a meeting or `/action` anywhere; both go
through `create`, so owners and due dates are read the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import aiosqlite

from bot import timeparse
from bot.core import Context, Reply, Role
from bot.mentions import defang
from bot.owners import GROUP_LABELS, PeopleIndex, find_owners, groups_of
from storage import actions, people
from storage.actions import Action, Owner

ACTION_EXAMPLE = "#action Jane Doe to update the mapping tables by Friday"
# "by Friday", "before TDAG", "due 2027-01-15", "due by 15 January": the last one wins.
_DUE_WORD = re.compile(r"(?:^|[\s,;(])(by|before|due(?:\s+(?:on|by|before))?)\s+", re.I)
_MAX_DATE_WORDS = 5


@dataclass
class Created:
    """A new action and what the person should be told about it."""

    action: Action | None  # None: this message was recorded already
    warnings: list[str] = field(default_factory=list)


@dataclass
class DueReading:
    due: dt.date | None
    phrase: str | None  # the words read as the date, or that failed to read
    readable: bool = True


async def read_due(
    conn: aiosqlite.Connection, text: str, ctx: Context, index: PeopleIndex
) -> DueReading:
    """The due date at the end of an action's text.

    "by" also introduces people ("reviewed by the secretariat"), so a phrase
    after "by" that names an owner, or is too long to be a date, is not one; a
    short phrase that still cannot be read is reported, not silently ignored.
    """
    today = ctx.now.astimezone(ctx.zone).date()
    for match in reversed(list(_DUE_WORD.finditer(text))):
        phrase = text[match.end() :].strip().rstrip(".!;,")
        if not phrase:
            continue
        try:
            due = await timeparse.parse_due(
                f"{match.group(1)} {phrase}", now=ctx.now, zone=ctx.zone, conn=conn
            )
            return DueReading(due.date, phrase)
        except timeparse.TimeParseError:
            # The parser refuses past days for scheduling; an action may be late already.
            past = timeparse.read_day(phrase, now=ctx.now, zone=ctx.zone)
            if past is not None and past < today:
                return DueReading(past, phrase)
        explicit = match.group(1).lower().startswith("due")
        names_owner = bool(find_owners(phrase, ctx.platform, index))
        if explicit or (not names_owner and len(phrase.split()) <= _MAX_DATE_WORDS):
            return DueReading(None, phrase, readable=False)
    return DueReading(None, None)


async def create(
    conn: aiosqlite.Connection,
    ctx: Context,
    text: str,
    *,
    meeting_id: int | None,
    message_key: str | None,
) -> Created:
    """Record an action from its text (owners and due date read from it)."""
    index = await PeopleIndex.load(conn)
    owners = find_owners(text, ctx.platform, index)
    reading = await read_due(conn, text, ctx, index)
    action_id = await actions.create(
        conn,
        text=text,
        owners=owners,
        due_date=reading.due,
        meeting_id=meeting_id,
        platform=ctx.platform,
        channel=ctx.channel,
        message_key=message_key,
        created_by=ctx.person_id,
        now=ctx.now,
    )
    if action_id is None:
        return Created(None)
    action = await actions.get(conn, action_id)
    assert action is not None
    return Created(action, due_warnings(reading, ctx) + owner_warnings(owners))


def due_warnings(reading: DueReading, ctx: Context) -> list[str]:
    if not reading.readable:
        return [
            f'I could not read "{reading.phrase}" as a date, so this action has no due date. '
            "Set one with /due <id> <date>, e.g. /due A1 15 January."
        ]
    if reading.due is not None and reading.due < ctx.now.astimezone(ctx.zone).date():
        return [f"The due date {reading.due:%a %d %b %Y} is in the past; recorded anyway."]
    return []


def owner_warnings(owners: list[Owner]) -> list[str]:
    flagged = [owner.label for owner in owners if owner.flagged]
    if not flagged:
        return []
    return [
        "I know no one called "
        + ", ".join(flagged)
        + "; kept as written (flagged). Use /assign <id> @person to fix it."
    ]


def created_reply(created: Created) -> Reply:
    action = created.action
    assert action is not None
    due = f"due {action.due_date:%a %d %b %Y}" if action.due_date else "no due date"
    lines = [
        f"Recorded {action.ref}: {defang(action.text)}",
        f"Owners: {defang(owners_text(action))}; {due}.",
    ]
    lines += [defang(warning) for warning in created.warnings]
    return Reply(text="\n".join(lines), public=True)


def owners_text(action: Action) -> str:
    if not action.owners:
        return "unassigned"
    return ", ".join(owner.label + (" (?)" if owner.flagged else "") for owner in action.owners)


def describe(action: Action, today: dt.date) -> str:
    """One line: `A12 Jane Doe to update the tables — Jane Doe, due Fri 27 Nov 2026 [open]`."""
    due = f", due {action.due_date:%a %d %b %Y}" if action.due_date else ""
    late = action.status == "open" and action.due_date is not None and action.due_date < today
    status = "OVERDUE" if late else action.status
    return f"{action.ref} {action.text} — {owners_text(action)}{due} [{status}]"


async def my_groups(conn: aiosqlite.Connection, ctx: Context) -> list[str]:
    person = await people.get(conn, ctx.person_id)
    if person is None:
        return []
    return groups_of(
        person,
        is_chair=ctx.role is Role.CHAIR,
        is_secretariat=ctx.role >= Role.SECRETARIAT,
    )


async def may_change(
    conn: aiosqlite.Connection, ctx: Context, action: Action, meeting_chairs: list[int]
) -> bool:
    """Owners (or members of an owning group), the meeting's chairs, ISCG chairs and secretariat."""
    if ctx.role >= Role.SECRETARIAT or ctx.person_id in meeting_chairs:
        return True
    if any(owner.person_id == ctx.person_id for owner in action.owners):
        return True
    mine = set(await my_groups(conn, ctx))
    return any(owner.group_key in mine for owner in action.owners)


def who_may(action: Action, chair_names: list[str]) -> str:
    who = [owner.label for owner in action.owners if not owner.flagged]
    if chair_names:
        who.append("the meeting's chairs (" + ", ".join(chair_names) + ")")
    who.append("ISCG chairs and the secretariat")
    return f"Only {', '.join(who)} can change {action.ref}."


def group_label(key: str) -> str:
    return GROUP_LABELS.get(key, key)
