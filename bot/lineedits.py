"""Edited and deleted chat messages: what was recorded from them follows, quietly.

Delegates fix typos after the fact ("#action Jane to send teh report"), and
expect the record to read as the channel does. A message recorded as a line
of a meeting still running follows its edit: its text, its kind (an edit that
adds `#info` makes it an item, one that takes `#action` away leaves a plain
line), and for an `#action` its owners and due date, read again as of when it
was said. A deleted message's line leaves the minutes and their log. An open
action recorded from a chat message, in a meeting or not, follows the same
way.

What is already published stays as published, as a mailing list's archive
does: once a meeting has ended its minutes have gone to the list, so its
lines no longer change, and an action it published is not deleted with its
message (its id is in the minutes people read; it is closed with /done). Its
text, owners and due date still follow an edit by someone who may /assign and
/due it (an owner, a chair), for the open action is work still to do. A done action is history and
does not change. Owners or a date set since by /assign or /due, in a meeting or
not, follow an edit only by someone who may /assign and /due it, too (`_rewrite`).

Only the author's own edit counts (Slack and Discord only let authors edit;
a workspace admin's edit would not be theirs); a deletion counts whoever made
it, moderators included. Nothing is said in the channel: the platform shows
the edit itself. The same event delivered twice changes nothing more, and a
message nothing was recorded from changes nothing.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import aiosqlite

from bot import actions as action_items
from bot.core import Context, MessageChange, MessageEdited
from bot.identity import platform_of
from bot.meetingroom import Room, channel_message_key, message_key, room_of
from bot.mentions import named
from bot.minutetaking import classify, may_record
from bot.services import Services
from storage import actions as stored_actions
from storage import minutes, people
from storage.actions import Action, NewAction, Owner
from storage.minutes import Line, LineKind, MinutedMeeting

# Lines that did something when said (made a co-chair, undid an item): an edit
# cannot do it again or take it back, so they stay as they were.
_COMMANDS = ("undo", "chair")


async def follow(services: Services, change: MessageChange) -> None:
    """Apply an edit or a deletion to the line and the action recorded from the message."""
    key = channel_message_key(change.channel, change.message_id)
    if key is None:
        return
    here = room_of(services)
    ctx = None
    async with services.db.read() as conn:
        # Most edits are of chat nothing was recorded from: no write transaction for them.
        if await here.running_in(conn, change.channel) is None and (
            await stored_actions.by_message_key(conn, key) is None
        ):
            return
        if isinstance(change, MessageEdited):
            person = await people.by_identity(conn, change.author)
            if person is None:  # whoever it is, nothing of theirs is recorded
                return
            ctx = services.context_of(
                person, change.author, change.author_name, change.channel, change.message_id
            )
    text = change.text if isinstance(change, MessageEdited) else None
    await here.writer.run(_follow_op(here, key, change.channel, ctx, text))


def _follow_op(here: Room, key: str, channel: str, ctx: Context | None, text: str | None) -> Any:
    """The writer's op, after the lines queued before it (the message's own among them)."""

    async def op(conn: aiosqlite.Connection) -> None:
        meeting = await here.running_in(conn, channel)
        line = await minutes.line_of_message(conn, meeting.id, key) if meeting else None
        if line is not None and (line.undone or line.kind in _COMMANDS):
            line = None  # undone already, or a command that acted when said
        action = await stored_actions.by_message_key(conn, key)
        if action is not None and action.status != "open":
            return  # done: history, line and all
        if (
            ctx is not None
            and ctx.person_id != (line.person_id if line else None)
            and (action is None or ctx.person_id != action.created_by)
        ):
            return  # not the author's edit, or nothing recorded from it
        if text is None:
            await _deleted(conn, line, action)
        elif line is not None and meeting is not None:
            assert ctx is not None
            await _line_edited(conn, here, ctx, meeting, line, action, text)
        elif action is not None:
            assert ctx is not None
            await _action_edited(conn, here, ctx, action, text)

    return op


async def _deleted(conn: aiosqlite.Connection, line: Line | None, action: Action | None) -> None:
    """The message's line leaves the running meeting, and its action goes with it, or,
    recorded outside any meeting, alone; a meeting's action already published stays."""
    if line is not None:
        await minutes.remove_line(conn, line.id)
        if line.action_id is not None and action is not None and action.id == line.action_id:
            await stored_actions.delete(conn, action.id)
    elif action is not None and action.meeting_id is None:
        await stored_actions.delete(conn, action.id)


def _as_item(ctx: Context, text: str, *, bare: bool) -> str:
    """An action the /action command recorded from a message ('@iscg-bot /action ...',
    as the README has one typed in a thread, or 'action ...' in a direct message) as the
    `#action` it was minuted as: its edit is read as the command read it, not as talk.
    Without the slash only where `bare` (no meeting runs: a meeting minutes such a line
    as talk); a meeting's line only when it was minuted as an action (unaddressed,
    '/action items slipped' was talk)."""
    typed = text[1:] if text.startswith("/") else text if bare else ""
    command, rest = ctx.services.registry.find(typed) if typed else (None, "")
    return f"#action {rest}" if command is not None and command.name == "action" else text


def _read(ctx: Context, meeting: MinutedMeeting | None, text: str) -> tuple[LineKind, str]:
    """How the edited text is recorded: its kind and item text. What would not have
    been recorded as an item when said (an empty `#info`, someone's `#agreed` who
    does not chair, `#undo`) is a plain line: an edit answers nobody."""
    kind, body = classify(text)
    if kind in _COMMANDS or (kind != "line" and not body):
        return "line", text
    if meeting is not None and not may_record(ctx, meeting, kind):
        return "line", text
    return kind, body


async def _line_edited(
    conn: aiosqlite.Connection,
    here: Room,
    ctx: Context,
    meeting: MinutedMeeting,
    line: Line,
    action: Action | None,
    text: str,
) -> None:
    """The line takes the new text and kind; its action follows (created, read again,
    or deleted with the marker), its due date read as of when the line was said."""
    text = _as_item(ctx, text, bare=False) if line.kind == "action" else text
    kind, body = _read(ctx, meeting, text)
    said = dataclasses.replace(ctx, now=line.at)
    own = action if action is not None and action.id == line.action_id else None
    if kind != "action":
        if own is not None:
            await stored_actions.delete(conn, own.id)
        if (line.kind, line.text, line.action_id) != (kind, text, None):
            await minutes.rewrite_line(conn, line.id, kind, text, None)
        return
    lookups = await here.writer.action_lookups(conn)
    shown = named(text, platform_of(ctx.channel), lookups.people.name_of)
    if (line.kind, line.text) == ("action", shown) and own is not None:
        return  # the same text again (a retry, a link preview added): nothing to read
    new, _ = action_items.prepare(
        said, body, meeting_id=meeting.id, message_key=message_key(ctx), lookups=lookups
    )
    if own is not None:
        await _rewrite(conn, said, own, new, classify(line.text)[1], lookups, meeting.chairs)
        action_id: int | None = own.id
    elif action is None and await here.writer.insert_action(conn, new):
        action_id = new.id
    else:
        return  # an action of this message is recorded elsewhere: leave both be
    await minutes.rewrite_line(conn, line.id, "action", shown, action_id)


async def _action_edited(
    conn: aiosqlite.Connection, here: Room, ctx: Context, action: Action, text: str
) -> None:
    """An open action recorded outside the running meeting (outside any, or in one
    ended) follows the edit; taking its marker away deletes one recorded outside
    any meeting, where nothing published it. One a meeting published follows only
    the edit of someone who may change it with /assign and /due (an owner, the
    meeting's chairs, ISCG chairs and secretariat): the author of the line alone
    would otherwise give it away, or move its date, unseen."""
    chairs: list[int] = []
    if action.meeting_id is not None:
        meeting = await minutes.get(conn, action.meeting_id)
        chairs = meeting.chairs if meeting is not None else []
        if not await action_items.may_change(conn, ctx, action, chairs):
            return
    kind, body = _read(ctx, None, _as_item(ctx, text, bare=action.meeting_id is None))
    if kind != "action":
        if action.meeting_id is None:
            await stored_actions.delete(conn, action.id)
        return
    lookups = await here.writer.action_lookups(conn)
    if named(body, platform_of(ctx.channel), lookups.people.name_of) == action.text:
        return  # unchanged: owners or a due date set since by /assign or /due stay
    said = dataclasses.replace(ctx, now=action.created_at)
    new, _ = action_items.prepare(
        said, body, meeting_id=action.meeting_id, message_key=message_key(ctx), lookups=lookups
    )
    await _rewrite(conn, said, action, new, action.text, lookups, chairs)


async def _rewrite(
    conn: aiosqlite.Connection,
    said: Context,
    action: Action,
    new: NewAction,
    before: str,
    lookups: action_items.Lookups,
    chairs: list[int],
) -> None:
    """The action as its message now reads. Its owners and due date follow the edit
    where it changes them; where it does not (a typo fixed), those set since by /assign
    or /due stay: a chair's "/assign A1 Bob" is not undone by "teh" corrected.

    An edit is its author's correction of what their line said, as deleting it and
    saying it again would be, and the message shows it in the channel; nothing more
    is posted. But owners or a date someone set since by /assign or /due are changed
    by an edit only of someone who may /assign and /due it (`may_change`: an owner,
    the meeting's chairs, ISCG chairs, secretariat): the author alone took the action
    back from whom the chair gave it, unseen by either.
    """
    old, _ = action_items.prepare(
        said, before, meeting_id=action.meeting_id, message_key=None, lookups=lookups
    )
    # Set since by /assign: an owner the line did not name, or a member it named and
    # /assign took off (the line names the members its mentions picked, which reads a
    # surname "Chair" as the chair too: not `==`, but each member it named counts).
    in_line, owning = _whom(old.owners), _whom(action.owners)
    taken_off = any(person is not None for person, _, _ in in_line - owning)
    keep_owners = taken_off or not owning <= in_line
    keep_due = action.due_date != old.due_date  # by /due
    if (keep_owners or keep_due) and await action_items.may_change(conn, said, action, chairs):
        keep_owners = keep_due = False
    changed = _whom(new.owners) != _whom(old.owners) and not keep_owners
    owners = new.owners if changed else action.owners
    due = new.due_date if new.due_date != old.due_date and not keep_due else action.due_date
    await stored_actions.rewrite(conn, action.id, text=new.text, owners=owners, due_date=due)


def _whom(owners: list[Owner]) -> set[tuple[int | None, str | None, str]]:
    """Who owns, as a reading names them: a person, a group, or a name nobody matched."""
    return {(o.person_id, o.group_key, o.label if o.flagged else "") for o in owners}
