"""What a digest holds and how it reads: one snapshot of the database, composed
for the whole group or for one person, rendered as text (chat, mail) and HTML.

Everything is read once into a `Snapshot` and composed in memory, so a thousand
personal digests cost one set of queries, not a thousand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from zoneinfo import ZoneInfo

import aiosqlite
from jinja2 import Environment

from bot.actions import group_label
from bot.minutes import item_text
from bot.owners import groups_of
from bot.templating import environment
from bot.timeparse import GENEVA, date_text, main_zones, when_text, zone_lines, zone_name
from storage import actions, digests, meetings, people, sessions
from storage.actions import Action
from storage.meetings import NOT_COMING, Meeting
from storage.people import Person
from storage.sessions import Session

MEETING_DAYS = 14
SESSION_DAYS = 60
MAX_HTML_BYTES = 1_000_000
CHAT_MAX_CHARS = 4_000  # one Discord embed (4,096), one Slack message of a few sections
UNASSIGNED = "unassigned"


@dataclass
class Snapshot:
    """The rows every digest of one pass is composed from."""

    now: dt.datetime
    start: dt.datetime  # the period of the group digest: [start, now)
    meetings: list[Meeting]
    sessions: list[Session]
    actions: list[Action]
    people: dict[int, Person]
    zones: list[str]
    decisions: list[digests.Decision]
    minutes: list[digests.MinutesDone]
    changes: list[digests.DirectoryChange]
    by_person: dict[int, list[Action]] = field(default_factory=dict)
    by_group: dict[str, list[Action]] = field(default_factory=dict)
    # Each person's meetings, in order: a thousand digests must not each scan them all.
    attending: dict[int, list[Meeting]] = field(default_factory=dict)

    @classmethod
    async def load(
        cls, conn: aiosqlite.Connection, now: dt.datetime, start: dt.datetime
    ) -> Snapshot:
        horizon = now + dt.timedelta(days=MEETING_DAYS)
        today = now.astimezone(GENEVA).date()
        snap = cls(
            now=now,
            start=start,
            meetings=[m for m in await meetings.upcoming(conn, now) if m.start < horizon],
            sessions=await sessions.between(conn, today, today + dt.timedelta(days=SESSION_DAYS)),
            actions=await actions.listing(conn, status="open"),
            people={p.id: p for p in await people.all_people(conn)},
            zones=await people.member_zones(conn),
            decisions=await digests.decisions_between(conn, start, now),
            minutes=await digests.minutes_between(conn, start, now),
            changes=await digests.directory_changes(conn, start, now),
        )
        for action in snap.actions:
            for owner in action.owners:
                if owner.person_id is not None:
                    snap.by_person.setdefault(owner.person_id, []).append(action)
                elif owner.group_key is not None:
                    snap.by_group.setdefault(owner.group_key, []).append(action)
        for meeting in snap.meetings:
            for person_id in {
                a.person_id
                for a in meeting.attendees
                if a.person_id is not None and a.partstat not in NOT_COMING
            }:
                snap.attending.setdefault(person_id, []).append(meeting)
        return snap


@dataclass
class Item:
    """One line of a section: its text, an optional link, and lines under it."""

    text: str
    url: str | None = None
    details: list[str] = field(default_factory=list)
    late: bool = False


@dataclass
class Block:
    """A section (or an owner's actions): items shown, and how many were cut."""

    title: str
    items: list[Item]
    more: int = 0
    more_url: str | None = None
    blocks: list[Block] = field(default_factory=list)  # owners, under "Open actions"

    @property
    def empty(self) -> bool:
        return not self.items and not self.blocks

    def cut(self, limit: int) -> Block:
        return replace(
            self,
            items=self.items[:limit],
            more=self.more
            + max(0, len(self.items) - limit)
            + sum(len(b.items) + b.more for b in self.blocks[limit:]),
            blocks=[b.cut(limit) for b in self.blocks[:limit]],
        )


@dataclass
class Digest:
    title: str
    intro: str
    blocks: list[Block]

    def cut(self, limit: int) -> Digest:
        return replace(self, blocks=[b.cut(limit) for b in self.blocks])


@dataclass(frozen=True)
class Links:
    base: str

    def ics(self, meeting: Meeting) -> str:
        return f"{self.base}/meetings/{meeting.id}.ics"

    def minutes(self, meeting_id: int) -> str:
        return f"{self.base}/minutes/{meeting_id}"

    def action(self, action: Action) -> str:
        page = self.minutes(action.meeting_id) if action.meeting_id else f"{self.base}/actions"
        return f"{page}#{action.anchor}"

    @property
    def actions(self) -> str:
        return f"{self.base}/actions"

    @property
    def meetings(self) -> str:
        return f"{self.base}/meetings"


def _meeting_item(meeting: Meeting, zones: list[ZoneInfo], links: Links) -> Item:
    details = zone_lines(meeting.start, zones)
    if meeting.join_url:
        details.append(f"Join: {meeting.join_url}")
    details.append(f"Calendar: {links.ics(meeting)}")
    return Item(f"{meeting.title} ({meeting.code})", None, details)


def _action_item(action: Action, today: dt.date, links: Links) -> Item:
    text = f"{action.ref} {action.text}"
    late = action.due_date is not None and action.due_date < today
    if late:
        assert action.due_date is not None
        days = (today - action.due_date).days
        due = date_text(action.due_date, year=False)
        text += f" (OVERDUE {days} day{'s' if days != 1 else ''}, due {due})"
    elif action.due_date is not None:
        text += f" (due {date_text(action.due_date)})"
    return Item(text, links.action(action), late=late)


def _by_due(action: Action) -> tuple[bool, dt.date, int]:
    return (action.due_date is None, action.due_date or dt.date.max, action.id)


def _owner_blocks(found: list[Action], today: dt.date, links: Links) -> list[Block]:
    """Open actions per owner, overdue first; free-text owners go under "unassigned"."""
    grouped: dict[str, list[Action]] = defaultdict(list)
    for action in found:
        named = [o for o in action.owners if not o.flagged]
        if not named:
            grouped[UNASSIGNED].append(action)
        for owner in named:
            grouped[group_label(owner.group_key) if owner.group_key else owner.label].append(action)
    blocks = []
    for owner, owned in grouped.items():
        owned.sort(key=_by_due)
        items = [_action_item(a, today, links) for a in owned]
        blocks.append(Block(owner, items, more_url=links.actions))
    blocks.sort(key=lambda b: (b.title == UNASSIGNED, not any(i.late for i in b.items), b.title))
    return blocks


@cache
def _zone(key: str) -> ZoneInfo:
    return ZoneInfo(key)


def compose_group(snap: Snapshot, links: Links) -> Digest | None:
    """The group digest, or None when every section is empty."""
    today = snap.now.astimezone(GENEVA).date()
    zones = main_zones(snap.zones)
    blocks = [
        Block(
            f"ISCG meetings in the next {MEETING_DAYS} days",
            [_meeting_item(m, zones, links) for m in snap.meetings],
            more_url=links.meetings,
        ),
        Block(
            f"Advisory-group sessions in the next {SESSION_DAYS} days",
            [Item(s.label()) for s in snap.sessions],
        ),
        Block(
            "Decisions",
            [
                Item(f"{item_text(d.text)} ({d.meeting_title})", links.minutes(d.meeting_id))
                for d in snap.decisions
            ],
        ),
        Block(
            "Minutes",
            [
                Item(f"{m.title}, {when_text(m.ended_at, GENEVA)}", links.minutes(m.meeting_id))
                for m in snap.minutes
            ],
        ),
        Block("Open actions", [], blocks=_owner_blocks(snap.actions, today, links)),
        Block(
            "Directory changes",
            [
                Item(
                    f"{c.person}: {c.kind.replace('_', ' ')}"
                    f"{' (' + c.sector + ')' if c.sector else ''} for {c.theme}"
                )
                for c in snap.changes
            ],
        ),
    ]
    kept = [b for b in blocks if not b.empty]
    if not kept:
        return None
    since = when_text(snap.start, GENEVA)
    return Digest(
        "ISCG digest", f"What is coming, what is open, what was decided since {since}.", kept
    )


def compose_personal(
    snap: Snapshot, person: Person, links: Links, *, is_chair: bool = False
) -> Digest | None:
    """A member's own digest: their actions and their meetings, in their zone.

    `is_chair`: ISCG_CHAIRS names them, which makes them a chair as their role does;
    their actions are those of the chair and the secretariat too, as `/actions mine`
    lists them.
    """
    zone = _zone(person.lives_by) if person.lives_by else GENEVA
    today = snap.now.astimezone(zone).date()
    keys = groups_of(
        person,
        is_chair=is_chair or person.role == "chair",
        is_secretariat=is_chair or person.role in ("secretariat", "chair"),
    )
    mine = {a.id: a for a in snap.by_person.get(person.id, [])}
    for key in keys:
        mine.update((a.id, a) for a in snap.by_group.get(key, []))
    owned = sorted(mine.values(), key=_by_due)
    attending = snap.attending.get(person.id, [])
    blocks = [
        Block(
            f"Your meetings in the next {MEETING_DAYS} days",
            [_meeting_item(m, [zone], links) for m in attending],
            more_url=links.meetings,
        ),
        Block(
            "Your open actions",
            [_action_item(a, today, links) for a in owned],
            more_url=links.actions,
        ),
    ]
    kept = [b for b in blocks if not b.empty]
    if not kept:
        return None
    place = zone_name(zone)
    times = f"Times in {place} time ({zone.key})." if place != zone.key else f"Times in {place}."
    return Digest(f"Your ISCG digest, {person.name}", times, kept)


def _longest(block: Block) -> int:
    return max([len(block.items), len(block.blocks)] + [_longest(b) for b in block.blocks])


@cache
def _environment() -> Environment:
    return environment()


def render_text(digest: Digest, max_chars: int | None = None) -> str:
    """The text digest; past `max_chars` (chat), lists are cut with "and N more" links.

    Mail takes it whole. In a chat channel or direct message four hundred open
    actions were twenty-odd messages in a row every week; `CHAT_MAX_CHARS` is one.
    """
    if max_chars is None:
        return _environment().get_template("digest.txt").render(d=digest)
    return _fitted(digest, "digest.txt", lambda text: len(text) <= max_chars)


def render_html(digest: Digest, max_bytes: int = MAX_HTML_BYTES) -> str:
    """The HTML mail; past `max_bytes`, lists are cut with "and N more" links."""
    return _fitted(digest, "digest.html", lambda html: len(html.encode("utf-8")) <= max_bytes)


def _fitted(digest: Digest, template: str, fits: Callable[[str], bool]) -> str:
    """The digest rendered with its lists halved until it fits (or one item a list)."""
    rendered = _environment().get_template(template).render(d=digest)
    limit = max((_longest(b) for b in digest.blocks), default=1)
    while not fits(rendered) and limit > 1:
        limit //= 2
        rendered = _environment().get_template(template).render(d=digest.cut(limit))
    return rendered
