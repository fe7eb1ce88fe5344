"""Action items: creating them from text, who may change them, and finding them.

An action comes from `#action` in a meeting, `/action` anywhere or an
`ACTION:` line in mail; all are read by `prepare`, so owners and due dates are
read the same way everywhere (the meeting writer inserts its batch's actions
together, `create` one at a time).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite

from bot import timeparse
from bot.core import Context, Reply, Role
from bot.identity import platform_of
from bot.mentions import defang, named
from bot.owners import (
    ALL_BUREAUX,
    BUREAUX,
    GROUP_LABELS,
    TASK_FORCE,
    PeopleIndex,
    find_owners,
    groups_of,
)
from bot.services import Services
from storage import actions, people, revisions
from storage import sessions as session_store
from storage.actions import Action, NewAction, Owner
from storage.people import Person
from storage.sessions import Session

ACTION_EXAMPLE = "#action Jane Doe to update the mapping tables by Friday"
# Owner groups whose members may change any action anyway (may_change): ISCG chairs,
# secretariat, and the ISC-TF and the Bureaux, whose members the bot knows as the
# secretariat's.
_ALWAYS_MAY_CHANGE = {"chair", "secretariat", TASK_FORCE, ALL_BUREAUX, *BUREAUX}
# "by Friday", "before TDAG", "due 2027-01-15", "due by 15 January", and as minutes
# write them, "Deadline: 4 December", "due: 2027-01-15": the last one wins.
# In the members' languages, "by" or "before" a day: "avant le 4 décembre", "d'ici
# vendredi", "antes del 4 de diciembre", "a más tardar el viernes", "до 4 декабря",
# "к пятнице", "قبل 4 ديسمبر", "بحلول الجمعة" (the date parser reads the day in each).
_LOCAL_DUE = (
    r"avant(?:\s+le)?|d['’]ici(?:\s+(?:le|au))?|au\s+plus\s+tard(?:\s+le)?"
    r"|antes\s+del?|a\s+m[áa]s\s+tardar(?:\s+el)?|до|к|قبل|بحلول"
)
# "Within two weeks", as minutes give a span ("dans les 2 semaines", "en las próximas 2
# semanas"): due when it ends, counted from when the action was said; such an action had
# no due date. Like "avant", only where a span follows: "within the framework of...".
_WITHIN_WORD = re.compile(timeparse.WITHIN, re.I)
# A year is no span: "to finish within 2027" was due Mon 1 Nov 2027 (the date parser's
# reading), and "within 2026", said in November, on 1 November, already past.
_YEAR = re.compile(r"(?:19|20)\d\d(?!\d)")
_DUE_WORD = re.compile(
    r"(?:^|(?<=[\s,;(]))(by|before|due(?:\s+(?:on|by|before|date))?|deadline"
    rf"|{_LOCAL_DUE}|{timeparse.WITHIN})(?:\s*[:：]\s*|\s+)",
    re.I,
)
_ENGLISH_DUE = re.compile(r"by|before|due|deadline", re.I)
# Chinese sets the day before 前 ("before"), within the sentence ("张伟12月4日前提交文件",
# "于12月4日之前"), or after 截止 ("deadline": "截止日期：12月4日").
_CHINESE_DAY = r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
_CHINESE_DUE = re.compile(
    rf"({_CHINESE_DAY})\s*之?前|截止(?:日期|时间)?\s*[:：为]?\s*({_CHINESE_DAY})"
)
# A share after "by" ("by 15%", "by 2.5 per cent", "by 10 percent"): how much, never a
# day; "to cut costs by 15%" was due on 15 December, "by 50%" in 2050.
_SHARE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|per\s*cent\b|percent\b)", re.I)
# A verb that changes how much or how long, a few words before "by" (Russian "до", "to"):
# "to raise the budget by 2.5", "to extend the deadline by 2 weeks", "сократить расходы
# до 2,5". An amount after it (`_CHANGE`) is the change, never a day ("by 2.5" was due on
# 2 May, "by 1.25" on 25 January, "by 2 weeks" in two weeks), and so is a phrase that
# starts with one and the date parser cannot read ("by 2 pages", "by CHF 2.5 million"):
# no due date was ever meant, so none is said to be unreadable.
_CHANGE_VERB = re.compile(
    # An English verb as a verb (after "to", "will", "be"..., or opening the line) and in
    # its own forms: "Dropbox", "multiple", "the delay", "cutoff" were taken for one, and
    # "to upload it to Dropbox by 7.12" lost its due date; nor does bringing a matter up
    # change an amount ("to raise the issue with TSAG by 7.12", "increase awareness").
    r"(?:(?:^|(?<!\w)(?:to|will|shall|should|must|would|can|may|be|and|or)\s+)"
    r"(?:(?:rais|increas|reduc|decreas|postpon|divid)(?:e[sd]?|ing)|cut(?:s|ting)?"
    r"|(?:lower|extend|expand|boost|delay|shorten|lengthen|adjust)(?:s|ed|ing)?"
    r"|(?:grow|shrink)(?:s|ing)?|trim(?:s|med|ming)?|drop(?:s|ped|ping)?"
    r"|defer(?:s|red|ring)?|multipl(?:y|ie[sd]|ying)|ris(?:e[sn]?|ing)|fall(?:s|ing)?)(?!\w)"
    r"(?!\s+(?:the\s+|this\s+|that\s+|these\s+|its\s+|their\s+)?(?:matters?|issues?"
    r"|questions?|points?|concerns?|topics?|subjects?|awareness)\b)"
    r"|(?<!\w)(?:сократ|сокращ|сниз|сниж|увелич|повыс|повыш|уменьш|продл)\w*)"
    r"(?:\s+[^\s.;!?]+){0,8}?[\s,(]+$"
    # Or its past participle right before "by": "deadline extended by 2 weeks".
    r"|(?<!\w)(?:(?:rais|increas|reduc|decreas|postpon|divid)ed|(?:lower|extend|expand|boost"
    r"|delay|shorten|lengthen|adjust)ed|grown|shrunk|trimmed|dropped|deferred|multiplied"
    r"|risen|fallen)[\s,(]+$",
    re.I,
)
_CHANGE = re.compile(
    r"(?:(?:(?:[A-Z]{3}\s*|[$€£¥])?(?:\d{1,3}(?:[,' ]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
    r"|one|two|three|four|five|six|seven|eight|nine|ten)(?:\s*(?:hours?|days?|weeks?|months?|years?))?"
    r"|an?\s+(?:hour|day|week|month|year|third|quarter|fifth|tenth)|half|twice|double)(?!\w)",
    re.I,
)
# A date not set yet, as minutes say it: "Deadline: TBD", "(due: ongoing)", "by ASAP".
# The author knows there is none; 'I cannot read "TBD" as a due date' told them nothing.
_NO_DATE_YET = re.compile(
    r"TB[DCA]|to\s+be\s+(?:determined|confirmed|agreed|decided)|ongoing|continuous|permanent"
    r"|ASAP|as\s+soon\s+as\s+possible|n/?a|none|open",
    re.I,
)
# A quarter, as work plans give one ("by Q1 2027", "by the end of Q2", "due Q3/2027"):
# its last day. The date parser read "Q1 2027" as 1 February 2027.
_QUARTER = re.compile(
    r"(?P<end>(?:the\s+)?end\s+of\s+)?(?:the\s+)?Q([1-4])(?:[\s/-]*(\d{4}))?", re.I
)
_MAX_DATE_WORDS = 5
_SESSION_FIELDS = ("id", "group", "first_day", "last_day", "place", "title", "source")
_MENTION_TAIL = re.compile(r"\s(?=@|<[@!])")
_ASIDE = re.compile(r"\s\(")
# A sentence's end, but not a dotted date's ("by 7.12. Bob to help", "by Dec. 4").
_SENTENCE_END = re.compile(r"[.;!?](?=\s+[^\d\s])")
_SHARED_LOOKUPS = "actions.lookups"  # in `Services.extras`
LISTED_TEXT = 120  # characters of an action's text in a list line


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
    problem: str = ""  # the parser's explanation when unreadable
    taken_as: str = ""  # how a phrase that reads two ways was taken (DueDate.taken_as)


@dataclass
class Lookups:
    """What reading an action needs from the database: known people and sessions.

    Building it reads every person and session, so a busy caller (the meeting
    writer) keeps one and hands it back to `load`, which returns it unchanged
    while the revisions of people and sessions stand still.
    """

    people: PeopleIndex
    sessions: tuple[tuple[Any, ...], ...]
    revision: tuple[int, ...] = ()

    @classmethod
    async def load(cls, conn: aiosqlite.Connection, known: Lookups | None = None) -> Lookups:
        revision = await revisions.current(conn, "people", "sessions")
        if known is not None and known.revision == revision:
            return known
        sessions = tuple(
            tuple(getattr(s, name) for name in _SESSION_FIELDS)
            for s in await session_store.every(conn)
        )
        return cls(await PeopleIndex.load(conn), sessions, revision)

    def with_person(
        self, person: Person, identity: str, display: str | None, revision: tuple[int, ...]
    ) -> Lookups:
        """These lookups and a person `people.ensure` just met (see `PeopleIndex.with_person`),
        good at `revision`, the revisions read after it."""
        return Lookups(self.people.with_person(person, identity, display), self.sessions, revision)


async def lookups_for(services: Services, conn: aiosqlite.Connection) -> Lookups:
    """`Lookups` as `conn` sees them, one set shared by the process: commands and
    the meeting writer (`Room.action_lookups`) alike.

    Each `/action`, `/assign` or `/due` used to read every person again (0.15 s
    for 5,000, holding the database). Lookups read inside a transaction are
    shared only once it commits: from one that rolls back they would name
    people never stored, under revision numbers that later changes reuse.
    """
    known = services.extras.get(_SHARED_LOOKUPS)
    lookups = await Lookups.load(conn, known)
    if lookups is not known:
        services.db.after_commit(partial(services.extras.__setitem__, _SHARED_LOOKUPS, lookups))
    return lookups


def read_due(text: str, ctx: Context, lookups: Lookups) -> DueReading:
    """The due date at the end of an action's text.

    "by" also introduces people ("reviewed by the secretariat"), so a phrase
    after "by" that names an owner, or is too long to be a date, is not one; a
    short phrase that still cannot be read is reported, not silently ignored.
    "Deadline" is also a noun ("to check the deadline for comments"): only as a
    label ("Deadline: ...") is a phrase after it that cannot be read reported.
    """
    today = ctx.now.astimezone(ctx.zone).date()
    labels = list(_DUE_WORD.finditer(text))
    starts = {match.start() for match in labels}
    # A date's words end where another label starts: "by 4 December, deadline: ongoing"
    # (no label: no end, and nothing to read).
    ends = [following.start() for following in labels[1:]] + [len(text)]
    for match, end in reversed(list(zip(labels, ends, strict=False))):
        if match.end() in starts:
            continue  # "deadline by ...": its "by" is read alone
        # The date ends where mentions start: "due Friday @jane @everyone".
        phrase = _phrase(text[match.end() : end])
        if not phrase or not_set_yet(phrase):
            continue
        label = " ".join(match.group(1).lower().split())
        if label == "by" and _SHARE.match(phrase):
            continue  # "to cut costs by 15%": how much, not when
        change = label in ("by", "до") and _CHANGE_VERB.search(text, 0, match.start())
        if change and _CHANGE.fullmatch(phrase):
            continue  # "to raise the budget by 2.5": how much, not when
        english = _ENGLISH_DUE.match(label) is not None
        # A deadline, a due date, is when it is due ("due" is what the date parser reads);
        # "avant le", "antes del", "до"... are its "by".
        within = _WITHIN_WORD.fullmatch(label) is not None
        if within and _YEAR.match(phrase):
            continue
        said = match.group(1) if english or within else "by"
        words = f"{'due' if label in ('deadline', 'due date') else said} {phrase}"
        quarter = _quarter_end(phrase, today, before=label.endswith("before")) if english else None
        due, problem = quarter or _due_on(words, today, ctx.zone, lookups.sessions)
        if due is not None:
            return DueReading(due.date, phrase, taken_as=due.taken_as)
        if not english or (change and _CHANGE.match(phrase)):
            continue  # a preposition, mostly: "до сведения", "avant la réunion"; "cut by 2 pages"
        if label in ("deadline", "due date") and not match.group(0).rstrip().endswith((":", "：")):
            continue
        explicit = label != "by"
        names_owner = bool(find_owners(phrase, platform_of(ctx.channel), lookups.people))
        if explicit or (not names_owner and len(phrase.split()) <= _MAX_DATE_WORDS):
            return DueReading(None, words, readable=False, problem=problem)
    for match in reversed(list(_CHINESE_DUE.finditer(text))):
        phrase = match.group(1) or match.group(2)
        due, _ = _due_on(f"by {phrase}", today, ctx.zone, lookups.sessions)
        if due is not None:
            return DueReading(due.date, phrase, taken_as=due.taken_as)
    return DueReading(None, None)


def not_set_yet(phrase: str) -> bool:
    """Whether a due date's words say it is not set yet ("TBD", "to be confirmed",
    "ongoing"): in an action's line, or after /due, which clears the date for them."""
    return _NO_DATE_YET.fullmatch(phrase.strip().rstrip(".!")) is not None


def _quarter_end(
    phrase: str, today: dt.date, *, before: bool
) -> tuple[timeparse.DueDate, str] | None:
    """The last day of the quarter a phrase names ("Q1 2027"; "Q3" alone: the next to end),
    said back, as `_due_on` answers; None for any other phrase. "Before Q2" is before it
    starts, the last day of Q1 (it was due on the last of June, three months late); "before
    the end of Q2" is the end of Q2."""
    match = _QUARTER.fullmatch(phrase)
    if match is None:
        return None
    ahead = before and not match.group("end")
    year = int(match.group(3) or today.year)
    end = _last_day(year, int(match.group(2)), ahead=ahead)
    if match.group(3) is None and end < today:
        end = _last_day(year + 1, int(match.group(2)), ahead=ahead)
    if ahead:
        taken = f'"before {phrase}" is read as the day before the quarter starts, '
    else:
        taken = f'"{phrase}" is read as the end of the quarter, '
    taken += timeparse.date_text(end)
    return timeparse.DueDate(end, timeparse.day_text(end), taken), ""


def _last_day(year: int, quarter: int, *, ahead: bool) -> dt.date:
    """The last day of a quarter, or (`ahead`) the day before it starts."""
    if ahead:
        return dt.date(year, 3 * quarter - 2, 1) - dt.timedelta(days=1)
    month = 3 * quarter
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _phrase(rest: str) -> str:
    """The words of a due date, from what follows its label: up to a mention ("due Friday
    @jane"), or a bracket ("by 4 December (deadline: TBC)"), less the bracket that closes
    around it ("(deadline: Fridya)"): the bracket was read, and said back, as the date's.
    And up to the sentence's end: "by Friday. Bob Smith to help." had no due date, and
    "by 4 December. Final deadline: TBD" was 'I cannot read "4 December. Final..."'."""
    phrase = _ASIDE.split(_MENTION_TAIL.split(rest, maxsplit=1)[0], maxsplit=1)[0]
    phrase = _SENTENCE_END.split(phrase, maxsplit=1)[0]
    return phrase.strip().rstrip(".!;,)").rstrip()


@lru_cache(maxsize=4096)
def _due_on(
    words: str, today: dt.date, zone: ZoneInfo, sessions: tuple[tuple[Any, ...], ...]
) -> tuple[timeparse.DueDate | None, str]:
    """The shared parser's reading of a due phrase, remembered per day.

    dateparser takes milliseconds a phrase and meetings repeat "by Friday" all
    the time; a due date is a day, so reading it relative to today's noon (not
    the second it was said) gives the same answer and lets it be cached.
    """
    noon = dt.datetime.combine(today, dt.time(12), zone)
    known = [Session(**dict(zip(_SESSION_FIELDS, row, strict=True))) for row in sessions]
    try:
        # A past day is the answer (an action may be late already when minuted).
        return timeparse.due_date(words, now=noon, zone=zone, sessions=known, past_ok=True), ""
    except timeparse.TimeParseError as exc:
        return None, exc.message


def prepare(
    ctx: Context, text: str, *, meeting_id: int | None, message_key: str | None, lookups: Lookups
) -> tuple[NewAction, DueReading]:
    """An action read from its text (owners and due date), ready to insert.

    Owners are read from the text as written; the text kept names the members
    its mentions pick (`@Jane Doe`, not `<@8123>`), for everyone who reads it.
    """
    reading = read_due(text, ctx, lookups)
    platform = platform_of(ctx.channel)
    action = NewAction(
        text=named(text, platform, lookups.people.name_of),
        owners=find_owners(text, platform, lookups.people),
        due_date=reading.due,
        meeting_id=meeting_id,
        platform=platform,
        channel=ctx.channel,
        message_key=message_key,
        created_by=ctx.person_id,
        created_at=ctx.now,
    )
    return action, reading


def created(action: NewAction, reading: DueReading, ctx: Context) -> Created:
    """An inserted action and what its author should be told about it."""
    stored = action.stored()
    return Created(stored, due_warnings(reading, ctx, stored.ref) + owner_warnings(action.owners))


async def create(
    conn: aiosqlite.Connection,
    ctx: Context,
    text: str,
    *,
    meeting_id: int | None,
    message_key: str | None,
    lookups: Lookups | None = None,
) -> Created:
    """Record an action from its text (owners and due date read from it)."""
    lookups = lookups or await lookups_for(ctx.services, conn)
    action, reading = prepare(
        ctx, text, meeting_id=meeting_id, message_key=message_key, lookups=lookups
    )
    if not await actions.add(conn, [action]):
        return Created(None)
    return created(action, reading, ctx)


def due_warnings(reading: DueReading, ctx: Context, ref: str) -> list[str]:
    if not reading.readable:
        return [
            f"No due date recorded: {reading.problem.rstrip('.')}. "
            f"Set one with /due {ref} <date>, e.g. /due {ref} 15 January."
        ]
    if reading.due is not None and reading.due < ctx.now.astimezone(ctx.zone).date():
        return [f"The due date {timeparse.date_text(reading.due)} is in the past; recorded anyway."]
    return [f"Due date: {reading.taken_as}."] if reading.taken_as else []


def owner_warnings(owners: list[Owner]) -> list[str]:
    flagged = [owner.label for owner in owners if owner.flagged]
    if not flagged:
        return []
    return [
        "I know no one called "
        + ", ".join(flagged)
        + "; kept as written (flagged). Use /assign <id> @person to change it."
    ]


def created_reply(created: Created) -> Reply:
    action = created.action
    assert action is not None
    due = f"due {timeparse.date_text(action.due_date)}" if action.due_date else "no due date"
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
    """One line: `A12 Jane Doe to update the tables — Jane Doe, due Fri 27 Nov 2026 [open]`.

    A done action shows the note given to /done (`[done: sent to the list]`): it is
    what tells the reader how it was done. A long text (up to 4,000 characters) is cut
    (`/actions` lists 25: 25 whole ones were a page of messages), owners and due kept.
    """
    text = action.text
    if len(text) > LISTED_TEXT:
        text = text[: LISTED_TEXT - 1].rstrip() + "…"
    due = f", due {timeparse.date_text(action.due_date)}" if action.due_date else ""
    late = action.status == "open" and action.due_date is not None and action.due_date < today
    status = "OVERDUE" if late else action.status
    if action.status == "done" and action.note:
        status = f"done: {action.note}"
    return f"{action.ref} {text} — {owners_text(action)}{due} [{status}]"


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
    """Who may change an action, each once: owners named "secretariat" or "the chair" are
    already in the closing "ISCG chairs and the secretariat", and said twice read as two."""
    who = [
        owner.label
        for owner in action.owners
        if not owner.flagged and owner.group_key not in _ALWAYS_MAY_CHANGE
    ]
    if chair_names:
        who.append("the meeting's chairs (" + ", ".join(chair_names) + ")")
    who.append("ISCG chairs and the secretariat")
    return f"Only {', '.join(who)} can change {action.ref}."


def group_label(key: str) -> str:
    return GROUP_LABELS.get(key, key)
