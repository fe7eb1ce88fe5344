"""The minutes of a meeting: one model, rendered as Markdown, HTML and plain text.

Chat, e-mail, the web pages and the digest all render the same `Minutes`, so
an action's id and anchor (`A12`, `#action-12`) are the same wherever it is
linked from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from zoneinfo import ZoneInfo

import aiosqlite
from jinja2 import Environment

from bot.actionline import labelled_action
from bot.identity import platform_of
from bot.mentions import defang, mentioned, named
from bot.templating import environment
from bot.timeparse import date_text
from storage import actions, minutes, people
from storage import meetings as scheduled
from storage.actions import Action
from storage.minutes import Line, MinutedMeeting

GROUP_ZONE_LABEL = "Geneva"
URL = re.compile(r"^(https?://\S+)\s*(.*)$", re.I)


@dataclass
class ActionEntry:
    ref: str  # A12
    anchor: str  # action-12
    text: str
    owners: list[str]
    due: dt.date | None
    status: str
    flagged: list[str] = field(default_factory=list)  # owners nobody matched

    @classmethod
    def of(cls, action: Action) -> ActionEntry:
        return cls(
            ref=action.ref,
            anchor=action.anchor,
            text=action.text,
            owners=[owner.label for owner in action.owners],
            due=action.due_date,
            status=action.status,
            flagged=[owner.label for owner in action.owners if owner.flagged],
        )


@dataclass
class Entry:
    kind: str  # info, idea, agreed, action, link
    text: str
    author: str
    at: dt.datetime
    action: ActionEntry | None = None
    url: str | None = None


@dataclass
class Topic:
    title: str | None  # None: what was said before the first #topic
    author: str | None
    at: dt.datetime | None
    entries: list[Entry] = field(default_factory=list)


@dataclass
class LogLine:
    """A line of the log as all three forms show it: made once, rendered three times."""

    time: str  # HH:MM UTC
    author: str  # defanged
    text: str  # defanged

    @classmethod
    def of(cls, line: Line) -> LogLine:
        return cls(_hhmm(line.at), defang(line.author), defang(line.text))


@dataclass
class Minutes:
    meeting_id: int  # the minutes' own number: /minutes 3, the page /minutes/3
    scheduled_code: str | None  # the scheduled meeting minuted (m7), if any
    title: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    zone: ZoneInfo
    chairs: list[str]
    present: list[tuple[str, int]]
    topics: list[Topic]
    by_person: list[tuple[str, list[ActionEntry]]]
    unassigned: list[ActionEntry]
    carried_over: list[ActionEntry]
    log: list[LogLine]

    @property
    def subject(self) -> str:
        # The group's day: a call at 23:30 UTC on Monday is Tuesday's in Geneva.
        return f"Minutes: {self.title} ({date_text(self.started_at.astimezone(self.zone))})"

    @property
    def reference(self) -> str:
        """Which minutes these are, and how to ask for them again.

        Minutes have numbers of their own, and scheduled meetings ids (m7) of
        theirs: both are shown, so that neither is taken for the other.
        """
        of = f" (scheduled meeting {self.scheduled_code})" if self.scheduled_code else ""
        return f"Minutes {self.meeting_id}{of}: /minutes {self.meeting_id} shows them again."

    @property
    def recorded(self) -> bool:
        """Anything said or any action of its own: minutes of a meeting where nobody spoke
        say so in one line, not with an empty log and lists of "none"."""
        return bool(self.log or self.by_person or self.unassigned)

    @cached_property
    def log_text(self) -> str:
        """The log as all three forms print it, joined once (HTML escapes it in one go)."""
        return "\n".join(f"{line.time} {line.author}: {line.text}" for line in self.log)


async def build(conn: aiosqlite.Connection, meeting: MinutedMeeting, zone: ZoneInfo) -> Minutes:
    """The minutes as they stand: a running meeting's so far, an ended one's in full."""
    said = await _with_names(
        conn, platform_of(meeting.channel), await minutes.lines(conn, meeting.id)
    )
    own = {a.id: a for a in await actions.of_meetings(conn, [meeting.id])}
    earlier = await minutes.earlier_in_series(conn, meeting)
    carried = [a for a in await actions.of_meetings(conn, earlier) if a.status == "open"]
    chairs = [p.name for p in [await people.get(conn, pid) for pid in meeting.chairs] if p]
    by_person: dict[str, list[ActionEntry]] = {}
    unassigned = []
    for action in own.values():
        entry = ActionEntry.of(action)
        for owner in entry.owners:
            by_person.setdefault(owner, []).append(entry)
        if not entry.owners:
            unassigned.append(entry)
    return Minutes(
        meeting_id=meeting.id,
        scheduled_code=(
            scheduled.code_for(int(meeting.scheduled_ref)) if meeting.scheduled_ref else None
        ),
        title=meeting.title,
        started_at=meeting.started_at,
        ended_at=meeting.ended_at,
        zone=zone,
        chairs=chairs,
        present=Counter(line.author for line in said).most_common(),
        topics=_topics(said, own),
        by_person=sorted(by_person.items(), key=lambda pair: pair[0].lower()),
        unassigned=unassigned,
        carried_over=[ActionEntry.of(action) for action in carried],
        log=[LogLine.of(line) for line in said],
    )


async def _mention_names(
    conn: aiosqlite.Connection, platform: str, texts: list[str]
) -> dict[str, str]:
    """The names of the known people the platform mentions in these texts pick, by identity."""
    names: dict[str, str] = {}
    for identity in set().union(*(mentioned(text, platform) for text in texts)):
        person = await people.by_identity(conn, identity)
        if person is not None:
            names[identity] = person.name
    return names


async def named_in(conn: aiosqlite.Connection, platform: str, text: str) -> str:
    """A line's text with the members its mentions pick named (`@Jane Doe`, not `<@8123>`)."""
    return named(text, platform, (await _mention_names(conn, platform, [text])).get)


async def _with_names(conn: aiosqlite.Connection, platform: str, said: list[Line]) -> list[Line]:
    """The lines with the members their mentions pick named, as `named_in` does."""
    names = await _mention_names(conn, platform, [line.text for line in said])
    if not names:
        return said
    return [replace(line, text=named(line.text, platform, names.get)) for line in said]


def _topics(said: list[Line], own: dict[int, Action]) -> list[Topic]:
    topics = [Topic(None, None, None)]
    for line in said:
        if line.undone or line.kind in ("line", "undo", "chair"):
            continue
        body = item_text(line.text)
        if line.kind == "topic":
            topics.append(Topic(body, line.author, line.at))
            continue
        entry = Entry(line.kind, body, line.author, line.at)
        if line.kind == "action":
            action = own.get(line.action_id or 0)
            if action is None:
                continue
            entry.action = ActionEntry.of(action)
        elif line.kind == "link":
            match = URL.match(body)
            if match:
                entry.url, entry.text = match.group(1), match.group(2)
        topics[-1].entries.append(entry)
    return [topic for topic in topics if topic.title is not None or topic.entries]


def item_text(text: str) -> str:
    """`#info the text` -> `the text`, `ACCIÓN: the text` -> `the text`; a bare URL
    line stays whole."""
    if text.startswith("#") and " " in text:
        return text.split(None, 1)[1].strip()
    return labelled_action(text) or text


# --- rendering -------------------------------------------------------------


def _time_range(m: Minutes, zone: dt.tzinfo) -> str:
    """The hours, "08:00–09:30", or only "08:00" while the meeting runs."""
    start = m.started_at.astimezone(zone)
    if m.ended_at is None:
        return f"{start:%H:%M}"
    return f"{start:%H:%M}–{m.ended_at.astimezone(zone):%H:%M}"


def _when(m: Minutes) -> str:
    """The day and hours in UTC and Geneva; a running meeting says so once, at the end
    ("(still running)" after each hour read "08:00 (still running) UTC (09:00 (still ...")."""
    local = m.started_at.astimezone(m.zone)
    return (
        f"{date_text(m.started_at)}, {_time_range(m, dt.UTC)} UTC"
        f" ({_time_range(m, m.zone)} {GROUP_ZONE_LABEL}, {local:%Z})"
        + (", still running" if m.ended_at is None else "")
    )


def _due(entry: ActionEntry) -> str:
    return f"due {date_text(entry.due)}" if entry.due else "no due date"


def _hhmm(moment: dt.datetime) -> str:
    # Once per log line: strftime would be much of the rendering time.
    utc = moment.astimezone(dt.UTC)
    return f"{utc.hour:02d}:{utc.minute:02d}"


def _markdown_text(text: str) -> str:
    """User text for the Markdown minutes: mentions inert, no code fence of its own,
    which would open a block that runs on to the log's and swallow the rest, and no
    masked link: "[www.itu.int](https://elsewhere)" showed, under the bot's name, a
    link to elsewhere as www.itu.int; escaped, its brackets show as written."""
    return _code_text(text).replace("[", "\\[")


def _code_text(text: str) -> str:
    """User text for the minutes' code block (the log), where nothing is a link and a
    backslash would show: mentions inert, and no code fence to end the block early."""
    return defang(text).replace("```", "'''")


@cache
def _environment() -> Environment:
    env = environment(due=_due, md=_markdown_text, code=_code_text)
    env.globals.update(when=_when)
    return env


def _render(name: str, m: Minutes) -> str:
    return _environment().get_template(name).render(m=m)


def render_markdown(m: Minutes) -> str:
    return _render("minutes.md", m)


def render_html(m: Minutes) -> str:
    return _render("minutes.html", m)


def render_text(m: Minutes) -> str:
    return _render("minutes.txt", m)


def render_html_body(m: Minutes) -> str:
    """The HTML minutes without their document, for a web page with its own layout."""
    template = _environment().get_template("minutes.html")
    return "".join(template.blocks["body"](template.new_context({"m": m})))
