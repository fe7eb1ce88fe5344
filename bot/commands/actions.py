"""/action, /actions, /done, /reopen, /assign, /due: action items anywhere."""

from __future__ import annotations

import re
from typing import Any

import aiosqlite
from pydantic import Field

from bot import actions as action_items
from bot import choices, directory, minutetaking, weblinks
from bot.core import LIST_LIMIT, Args, Context, Reply, UserError, registry
from bot.identity import platform_of
from bot.mentions import defang
from bot.owners import GROUP_LABELS, find_owners, group_key
from bot.timeparse import date_text
from storage import actions, minutes, themes
from storage.actions import Action

# An id's letter and the stops after it, as the members' keyboards type them: a Chinese
# one in full-width mode ("Ａ１２"), its comma and enumeration comma ("A4，A5", "A4、A5"),
# an Arabic one ("A4، A5"); `\d` reads their digits (Arabic-Indic too).
_A = "[AaＡａ]"
_STOPS = ".,;:。，；：、،؛"
# "A12", "12", and "A12." or "A12," as a mail's sentence ends with it ("/done A12.").
_REF = re.compile(rf"^{_A}?(\d+)[{_STOPS}]?$")
_MORE_REF = re.compile(rf"\b{_A}\d+\b")
# "A5", "A5, A6 and A7" ("A5 et A6", "A5 y A6", "A5 и A6", "A5 و A6"): the ids at
# the start of a /done's text, up to its note; the stop of a mail's sentence ("/done A4
# and A5.") or a colon after them is no note.
_SEPARATOR = "[,;&，；、،؛]"
_AND = r"(?:and|et|y|e|и|و)\s"
_MORE_REFS = re.compile(rf"(?:(?:\s|{_SEPARATOR})*(?:{_AND})?\s*{_A}\d+\b)+[{_STOPS}]?", re.I)
_LISTED = re.compile(rf"\s*(?:{_SEPARATOR}|{_AND})", re.I)
_LISTED_AFTER = re.compile(rf"{_SEPARATOR}\s*$")
LIST_EXAMPLE = "/actions overdue"
_STATES = ("open", "overdue", "done")
# "/due A12 none": the due date is taken away (one set by mistake, or a task with no
# date after all); it was answered 'I cannot read "none" as a due date', and "no due
# date" 'I cannot read "date"', with no way to clear it. What a line's due date says to
# mean "not set yet" ("none", "n/a", "TBD") is `actions.not_set_yet`, read beside this.
_NO_DUE = re.compile(
    r"(?:no(?:\s+due)?\s+date|clear|remove|-+|aucune?|sans\s+date|ninguna"
    r"|sin\s+fecha|нет|без\s+срока|无|لا\s+يوجد)[.!]?",
    re.I,
)


class TextArg(Args):
    text: str = ""


class FilterArg(Args):
    filter: str = ""


class RefArg(Args):
    ref: str = Field(description="the action id")


class RefTextArg(RefArg):
    text: str = ""


@choices.provider("ref")
async def action_choices(ctx: Context, current: str) -> list[choices.Choice]:
    """Action items to pick by id, as /actions lists them: open ones first, then done
    ones (for /reopen). What is typed filters them by id or by words of the text."""
    async with ctx.services.db.read() as conn:
        found = await actions.offered(conn, current.strip().lower(), choices.MAX_CHOICES)
    today = ctx.now.astimezone(ctx.zone).date()
    return [choices.Choice(action_items.describe(action, today), action.ref) for action in found]


@registry.command(
    "action",
    args=TextArg,
    help="Record an action item; owners and due date are read from the text.",
    usage="<text> [@owner ...] [by <date>]",
    examples=[
        "/action Jane Doe to update the mapping tables by Friday",
        "/action secretariat to circulate the draft before TDAG",
        "/action @jane review the liaison statement due 2027-01-15",
    ],
    changes_state=True,
)
async def action_command(ctx: Context, args: TextArg) -> Reply:
    if not args.text:
        raise UserError("Say what is to be done.", action_items.ACTION_EXAMPLE.replace("#", "/"))
    return await minutetaking.record_action(ctx, args.text)


@registry.command(
    "actions",
    args=FilterArg,
    help="Action items: yours (open) by default, or open, overdue, done, a person's, a theme's.",
    usage="[mine|open|overdue|done|@person|<theme>]",
    examples=["/actions", "/actions overdue", "/actions @jane", "/actions climate change"],
    phrasings=[
        "[what are|show [me]|list] my [open] (actions|action items|tasks) => mine",
        "(what|which) (actions|action items|tasks) do i have [open] => mine",
        "do i have any [open] (actions|action items|tasks) => mine",
        "what (do i have|do i need|am i supposed) to do => mine",
        "[what are|show [me]|list] [the|all [the]] open (actions|action items) => open",
        "[what are|show [me]|list] [the|all [the]] overdue (actions|action items) => overdue",
        "(what|which) (actions|action items) are overdue => overdue",
        # The members' own languages: French, Spanish, Russian, Chinese, Arabic.
        "[quelles sont] mes (actions|tâches) [en cours|ouvertes] => mine",
        "[(cuáles|cuales|qué|que) son] mis (acciones|tareas) [pendientes] => mine",
        "[какие|покажи] мои [открытые] (задачи|действия|поручения) => mine",
        "какие у меня [есть] [открытые] (задачи|действия|поручения) => mine",
        "我的(行动项|行动项目|行动|任务)[有哪些|是什么] => mine",
        "我有(哪些|什么)(行动项|行动项目|任务) => mine",
        "[ما هي] (إجراءاتي|مهامي) => mine",
    ],
)
async def actions_command(ctx: Context, args: FilterArg) -> Reply:
    """The list a filter asks for: a state (open, overdue, done), whose or on what
    (mine, @person, a group, a theme), or both ("/actions overdue @jane", "/actions
    mine done"); a state with no one named is everyone's, no state is open ones."""
    today = ctx.now.astimezone(ctx.zone).date()
    state, wanted = _state_of(args.filter.strip())
    criteria: dict[str, Any] = {
        "open": {"status": "open"},
        "overdue": {"status": "open", "due_before": today},
        "done": {"status": "done"},
    }[state or "open"]
    index = directory.name_index(ctx.services.extras)
    await index.ensure(ctx.services.db)  # before the read: a read waits for one around it
    async with ctx.services.db.read() as conn:
        if wanted.lower() == "mine" or not (wanted or state):
            title = f"Your {state or 'open'} actions"
            found = await actions.listing(
                conn,
                **criteria,
                person_id=ctx.person_id,
                group_keys=await action_items.my_groups(conn, ctx),
            )
        elif not wanted:
            title = f"{state.capitalize()} actions"
            found = await actions.listing(conn, **criteria)
        else:
            title, found = await _named(ctx, conn, index, wanted, criteria)
            title = f"{(state or 'open').capitalize()} {title}"
    if not found:
        return Reply(text=f"{title}: none.")
    lines = [f"{title} ({len(found)}):"]
    lines += [defang(action_items.describe(action, today)) for action in found[:LIST_LIMIT]]
    if len(found) > LIST_LIMIT:
        lines.append(await _more(ctx, len(found) - LIST_LIMIT, open_ones=state != "done"))
    return Reply(text="\n".join(lines), title=title)


def _state_of(wanted: str) -> tuple[str, str]:
    """The state a filter asks for, first or last ("overdue @jane", "@jane done"), and
    the rest of it: "/actions overdue @jane" listed all Jane's open actions as "Open
    actions of Jane Doe", the word "overdue" left unread."""
    words = wanted.split()
    if words and words[0].lower() in _STATES:
        return words[0].lower(), " ".join(words[1:])
    if len(words) > 1 and words[-1].lower() in _STATES:
        return words[-1].lower(), " ".join(words[:-1])
    return "", wanted


async def _more(ctx: Context, more: int, *, open_ones: bool) -> str:
    """What a list cut at LIST_LIMIT says of the rest: for open actions, how to narrow
    the list and where they are all listed (the page, like the filters, has no done ones)."""
    if not open_ones:
        return f"… and {more} more."
    where = await weblinks.full_list_at(ctx.services, "/actions")
    return (
        f"… and {more} more. Narrow the list: /actions overdue, /actions @person,"
        f" /actions <theme>; all open ones are {where}."
    )


async def _named(
    ctx: Context,
    conn: aiosqlite.Connection,
    index: directory.NameIndex,
    wanted: str,
    criteria: dict[str, Any],
) -> tuple[str, list[Action]]:
    """Actions (as `criteria` of `actions.listing` select) of a person (@jane, a full
    name), a group (`tsag`, typed in any case as a filter is) or a theme, and what
    they are ("actions of Jane Doe")."""
    group = group_key(wanted.strip().lstrip("@"))
    if group is not None:
        return f"actions of {GROUP_LABELS[group]}", await actions.listing(
            conn, **criteria, person_id=-1, group_keys=[group]
        )
    known = (await action_items.lookups_for(ctx.services, conn)).people
    owners = find_owners(wanted, platform_of(ctx.channel), known, only_owners=True)
    if owners and not owners[0].flagged:
        owner = owners[0]
        return f"actions of {owner.label}", await actions.listing(
            conn,
            **criteria,
            person_id=owner.person_id if owner.person_id is not None else -1,
            group_keys=[owner.group_key] if owner.group_key else [],
        )
    found = await directory.resolve(conn, index, wanted)
    if found.theme is None:
        raise UserError(
            f'"{wanted}" is neither a person I know nor a theme. '
            "Try mine, open, overdue, done, @person or a theme name.",
            LIST_EXAMPLE,
        )
    names = [entry.name for entry in await themes.names(conn) if entry.theme_id == found.theme.id]
    pattern = re.compile(
        r"\b(?:"
        + "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
        + r")\b",
        re.I,
    )
    return f"actions on {found.theme.name}", [
        action for action in await actions.listing(conn, **criteria) if pattern.search(action.text)
    ]


async def _changeable(
    ctx: Context, conn: aiosqlite.Connection, ref: str, *, example: str
) -> Action:
    """The action named by `A12` or `12`, if this person may change it. A mistyped id
    is answered with an `example` of the command typed ("/due A12 15 January"): one
    of /done after a /reopen or /due, copied, closed the action."""
    match = _REF.match(ref.strip())
    if not match:
        raise UserError(f'"{ref}" is not an action id; ids look like A12.', example)
    action = await actions.get(conn, int(match.group(1)))
    if action is None:
        raise UserError(f"There is no action A{match.group(1)}.", "/actions open")
    meeting = await minutes.get(conn, action.meeting_id) if action.meeting_id else None
    chairs = meeting.chairs if meeting else []
    if not await action_items.may_change(conn, ctx, action, chairs):
        names = await minutetaking.chair_names(conn, meeting) if meeting else []
        raise UserError(defang(action_items.who_may(action, names)))
    return action


def _unchanged(ctx: Context, action: Action) -> Reply:
    """A /done or /reopen that asks for the state the action is in: nothing is written, and
    the reply says so; "A2 is done" again would read as news, and the first date be lost."""
    if action.status == "open":
        return Reply(text=f"{action.ref} is already open; nothing changed.")
    closed = action.closed_at
    on = f" on {date_text(closed.astimezone(ctx.zone))}" if closed else ""
    return Reply(text=f"{action.ref} was already done{on}; nothing changed.")


def _noted(ctx: Context, action: Action, note: str) -> Reply:
    """A /done with a new note for an action done already: the note is what it brings, so
    it is kept (the first closer and date stay), not dropped under "nothing changed"."""
    closed = action.closed_at
    on = f" on {date_text(closed.astimezone(ctx.zone))}" if closed else ""
    return Reply(
        text=f"{action.ref} was already done{on}; its note is now: {defang(note)}", public=True
    )


def _more_refs(first: str, text: str) -> tuple[list[str], str]:
    """The ids a /done names after its `first` (`A5`, `A5, A6 and A7`), and its note, the
    words after them ("A5 sent both"). Only `A`-ids: a note may well start with a number
    ("2 copies sent").

    An id set apart by a space alone and followed by words is the note's first word
    ("/done A12 A4 paper copies printed"): closing A4 too closed an action nobody
    named; listed ("A12, A4 sent", "A12 and A4 sent") or alone ("A12 A4"), ids are ids.
    """
    match = _MORE_REFS.match(text)
    if match is None:
        return [], text
    note = text[match.end() :].strip()
    listed = _LISTED_AFTER.search(first) is not None or _LISTED.match(text) is not None
    if note and not listed:
        return [], text
    return _MORE_REF.findall(match.group()), note


async def _close(ctx: Context, conn: aiosqlite.Connection, action: Action, note: str) -> Reply:
    """One action of a /done: closed, its note changed, or left as it was, and said so."""
    if action.status == "done" and note and note != action.note:
        await actions.set_note(conn, action.id, note)
        return _noted(ctx, action, note)
    if action.status == "done":
        return _unchanged(ctx, action)
    await actions.set_status(
        conn, action.id, "done", person_id=ctx.person_id, now=ctx.now, note=note or None
    )
    said = f"\nNote: {defang(note)}" if note else ""
    return Reply(text=f"{action.ref} is done: {defang(action.text)}{said}", public=True)


@registry.command(
    "done",
    args=RefTextArg,
    help="Mark action items done, with an optional note.",
    usage="<id> [<id> ...] [note]",
    examples=["/done A12", "/done A12 sent to the list on Monday", "/done A12 A13"],
    changes_state=True,
)
async def done_command(ctx: Context, args: RefTextArg) -> Reply:
    """`/done A4 A5` (or `A4, A5`, with a note after them for both) closes both: it
    closed A4 with the note "A5" and left A5 open. Each must be the asker's to change,
    or none is closed."""
    more, note = _more_refs(args.ref, args.text)
    async with ctx.services.db.transaction() as conn:
        refs = [*_refs_in(args.ref), *more]
        found = await _all_changeable(ctx, conn, refs, example="/done A12")
        replies = [await _close(ctx, conn, action, note) for action in found]
    return _together(replies)


def _refs_in(ref: str) -> list[str]:
    """The ids of a command's first word: one ("A12", "12"), or several written without
    a space ("A4,A5", "A4、A5" as Chinese lists them)."""
    return _MORE_REF.findall(ref) if _MORE_REFS.fullmatch(ref.strip()) else [ref]


async def _all_changeable(
    ctx: Context, conn: aiosqlite.Connection, refs: list[str], *, example: str
) -> list[Action]:
    """The actions `refs` name, each once, if this person may change every one: a
    refusal of one leaves all as they were."""
    found: dict[int, Action] = {}
    for ref in refs:
        action = await _changeable(ctx, conn, ref, example=example)
        found.setdefault(action.id, action)
    return list(found.values())


def _together(replies: list[Reply]) -> Reply:
    """The answers of a command that changed several actions, one line each."""
    return Reply(
        text="\n".join(reply.text for reply in replies),
        public=any(reply.public for reply in replies),
    )


@registry.command(
    "reopen",
    args=RefArg,
    help="Reopen an action item marked done.",
    usage="<id> [<id> ...]",
    examples=["/reopen A12", "/reopen A12 A13"],
    changes_state=True,
)
async def reopen_command(ctx: Context, args: RefArg) -> Reply:
    """`/reopen A4 A5` (or `A4, A5`, `A4 and A5`) reopens both, as /done closes both:
    it answered '"A4 A5" is not an action id'."""
    async with ctx.services.db.transaction() as conn:
        found = await _all_changeable(ctx, conn, _refs_in(args.ref), example="/reopen A12")
        replies = [await _reopen(ctx, conn, action) for action in found]
    return _together(replies)


async def _reopen(ctx: Context, conn: aiosqlite.Connection, action: Action) -> Reply:
    """One action of a /reopen: open again, or left as it was, and said so."""
    if action.status == "open":
        return _unchanged(ctx, action)
    await actions.set_status(conn, action.id, "open", person_id=ctx.person_id, now=ctx.now)
    return Reply(text=f"{action.ref} is open again: {defang(action.text)}", public=True)


@registry.command(
    "assign",
    args=RefTextArg,
    help="Give an action item to other owners (they replace the current ones).",
    usage="<id> @person [@person ...]",
    examples=["/assign A12 @jane", "/assign A12 TSAG representatives"],
    changes_state=True,
)
async def assign_command(ctx: Context, args: RefTextArg) -> Reply:
    async with ctx.services.db.transaction() as conn:
        action = await _changeable(ctx, conn, args.ref, example="/assign A12 @jane")
        known = (await action_items.lookups_for(ctx.services, conn)).people
        owners = find_owners(args.text, platform_of(ctx.channel), known, only_owners=True)
        if not owners:
            raise UserError("Name the new owner.", f"/assign {action.ref} @jane")
        if all(owner.flagged for owner in owners):  # would replace known owners by unknowns
            raise UserError(
                f"I know no one called {', '.join(o.label for o in owners)}, so {action.ref} "
                "keeps its owners. Name them by @handle, full name or e-mail address.",
                f"/assign {action.ref} @jane",
            )
        await actions.set_owners(conn, action.id, owners)
        action.owners = owners
    lines = [f"{action.ref} now belongs to {defang(action_items.owners_text(action))}."]
    lines += [defang(w) for w in action_items.owner_warnings(owners)]
    return Reply(text="\n".join(lines), public=True)


@registry.command(
    "due",
    args=RefTextArg,
    help="Set, change or clear (none) an action item's due date.",
    usage="<id> <date>",
    examples=["/due A12 Friday", "/due A12 15 January", "/due A12 before TDAG", "/due A12 none"],
    changes_state=True,
)
async def due_command(ctx: Context, args: RefTextArg) -> Reply:
    async with ctx.services.db.transaction() as conn:
        action = await _changeable(ctx, conn, args.ref, example="/due A12 15 January")
        if not args.text.strip():  # 'I could not read "" as a date' said nothing useful
            raise UserError(f"Say when {action.ref} is due.", f"/due {action.ref} 15 January")
        # "/due A1 TBD" as a line's "Deadline: TBD" reads: not set yet, so none.
        if _NO_DUE.fullmatch(args.text.strip()) or action_items.not_set_yet(args.text):
            await actions.set_due(conn, action.id, None)
            return Reply(text=f"{action.ref} now has no due date.", public=True)
        phrase = args.text if re.match(r"(?i)(by|before|due)\b", args.text) else f"due {args.text}"
        reading = action_items.read_due(
            phrase, ctx, await action_items.lookups_for(ctx.services, conn)
        )
        if reading.due is None:
            # The parser's reason ("31 Feb is not a date: February 2027 has 28 days").
            problem = reading.problem or f'I could not read "{args.text}" as a date.'
            raise UserError(problem, f"/due {action.ref} 15 January")
        await actions.set_due(conn, action.id, reading.due)
    lines = [f"{action.ref} is now due {date_text(reading.due)}."]
    lines += action_items.due_warnings(reading, ctx, action.ref)
    return Reply(text="\n".join(lines), public=True)
