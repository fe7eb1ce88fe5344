"""Sending digests and nudges, exactly once, from the job runner's pass.

Each digest covers a stored period [from, to): the period row commits in the
same transaction as its outbox rows, so a restart re-sends nothing, and after
downtime the next pass finds one slot passed and covers the whole gap in one
digest. A lease row keeps a second bot process on the same database from
composing at the same time; the period's unique key would stop it anyway.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import aiosqlite

from bot import outgoing, weblinks
from bot.core import Reply
from bot.digest_compose import (
    CHAT_MAX_CHARS,
    Digest,
    Links,
    Snapshot,
    compose_group,
    compose_personal,
    render_html,
    render_text,
)
from bot.digest_schedule import Schedule
from bot.jobs import on_pass
from bot.services import Services, zone_or
from bot.timeparse import GENEVA, date_text
from storage import actions, digests, people
from storage.digests import GROUP, Subscription, person_audience
from storage.people import Person

log = logging.getLogger(__name__)

LEASE = "digests"
LEASE_TTL = dt.timedelta(minutes=5)
SCHEDULED = "schedule"  # the trigger of periods the job runner's slots recorded
NUDGE_BEFORE_DAYS = 2
NUDGE_LATE_WINDOW_DAYS = 7  # after downtime, older misses are not nudged any more


@dataclass
class PassReport:
    group: str = "not due"
    personal: int = 0
    nudges: int = 0
    unreachable: int = 0


def _links(services: Services) -> Links:
    return Links(weblinks.base_url(services.settings).rstrip("/"))


def _holder(services: Services) -> str:
    return services.extras.setdefault("digest-lease-holder", secrets.token_hex(8))


async def start_of(conn: aiosqlite.Connection, audience: str, fallback: dt.datetime) -> dt.datetime:
    last = await digests.last_period(conn, audience)
    return last.end if last else fallback


async def preview(services: Services) -> Digest | None:
    """The group digest as it would be sent now."""
    now = services.now()
    schedule = Schedule.parse(services.settings.digest_schedule)
    async with services.db.read() as conn:
        start = await start_of(conn, GROUP, now - schedule.interval)
        snap = await Snapshot.load(conn, now, start)
    return compose_group(snap, _links(services))


async def send_group(
    services: Services, conn: aiosqlite.Connection, now: dt.datetime, trigger: str
) -> str:
    """Compose the group digest for [last end, now) and queue it, with its period."""
    schedule = Schedule.parse(services.settings.digest_schedule)
    start = await start_of(conn, GROUP, now - schedule.interval)
    if start >= now:
        return "already covered"
    snap = await Snapshot.load(conn, now, start)
    digest = compose_group(snap, _links(services))
    if digest is None:
        await digests.record_period(conn, GROUP, start, now, "empty", trigger)
        return "empty: nothing to send"
    text = render_text(digest)
    if await _repeats_last(conn, text, now - schedule.interval / 2):
        await digests.record_period(conn, GROUP, start, now, "empty", trigger)
        return "empty: nothing new since the last digest"
    key = f"{digests.GROUP_KEY}:{now.isoformat()}"
    await outgoing.queue_email(
        conn,
        bot_address=services.settings.bot_address,
        to=[services.settings.list_address],
        subject=f"ISCG digest, {date_text(now.astimezone(GENEVA))}",
        text=text,
        html=render_html(digest),
        kind="digest",
        now=now,
        dedupe_key=f"{key}:list",
        to_list=True,
    )
    chat_text = render_text(digest, CHAT_MAX_CHARS)
    for channel in services.settings.digest_channels:
        await outgoing.queue_chat(
            conn,
            destination=channel,
            kind="digest",
            reply=Reply(text=chat_text, title=digest.title, public=True),
            now=now,
            dedupe_key=f"{key}:{channel}",
        )
    await digests.record_period(conn, GROUP, start, now, "sent", trigger)
    return "sent"


async def _repeats_last(conn: aiosqlite.Connection, text: str, since: dt.datetime) -> bool:
    """Whether the last group digest, sent after `since`, had every section of this one.

    Meetings ahead and open actions are in every digest: after `/digest now` at 07:55
    the 08:00 one held nothing else, and the list had the same digest twice. Half an
    interval on, the same sections are sent again, as the week's (or day's) reminder.
    """
    last = await digests.last_group_digest(conn)
    return last is not None and last[1] > since and _sections(text) <= _sections(last[0])


def _sections(text: str) -> set[str]:
    """A text digest's sections (`== Decisions ==` and its items), without the title and
    intro that name the time it covers from."""
    return {section.strip() for section in text.split("\n== ")[1:]}


def reach(person: Person, identities: list[str]) -> str | None:
    """Where a person gets personal messages: e-mail, else a direct message in chat.

    Slack posts to a user id as a direct message from the app; the Discord
    connector opens a direct message with a user id that is no channel's.
    """
    if person.email:
        return f"email:{person.email}"
    # One answer however the identities were read: Slack first, as before Discord could.
    for platform in ("slack:U", "discord:"):
        found = next((i for i in sorted(identities) if i.startswith(platform)), None)
        if found is not None:
            return found
    return None


async def _tell(
    services: Services,
    conn: aiosqlite.Connection,
    destination: str,
    *,
    subject: str,
    text: str,
    html: str | None,
    kind: str,
    key: str,
) -> bool:
    now = services.now()
    if destination.startswith("email:"):
        row = await outgoing.queue_email(
            conn,
            bot_address=services.settings.bot_address,
            to=[destination.partition(":")[2]],
            subject=subject,
            text=text,
            html=html,
            kind=kind,
            now=now,
            dedupe_key=key,
        )
    else:
        reply = Reply(text=text, title=subject, public=False)
        row = await outgoing.queue_chat(
            conn, destination=destination, kind=kind, reply=reply, now=now, dedupe_key=key
        )
    return row is not None


async def _identities(conn: aiosqlite.Connection) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for identity, person_id, *_ in await people.all_identities(conn):
        found.setdefault(person_id, []).append(identity)
    return found


def _person_zone(person: Person) -> ZoneInfo:
    """The zone of the person's day: theirs, their Slack profile's, or Geneva's."""
    zone, _default = zone_or(person.lives_by, GENEVA)
    return zone


async def subscribed(conn: aiosqlite.Connection, person_id: int, now: dt.datetime) -> None:
    """A member who starts a digest, or changes how often it comes, is counted from now.

    Without this mark the first pass after `/subscribe daily` at 02:00 sent a
    digest for yesterday's slot, and the 08:00 slot the same again six hours
    later; the first digest now comes at the member's next slot, as the reply says.
    """
    await digests.record_period(conn, person_audience(person_id), now, now, "empty", "subscribed")


def _period_had_one(last: dt.datetime | None, slot: dt.datetime, interval: dt.timedelta) -> bool:
    """Whether the member's last scheduled digest came within half a period before the slot.

    A member who set /timezone westward (Geneva to Mexico City, or Los Angeles) after
    the morning's digest reached 08:00 again hours later and got the same digest twice;
    the calendar day of their new zone did not tell (Geneva's 08:00 is 23:00 the day
    before in Los Angeles). Two digests are never closer than half a day (half a week):
    one that close to the last waits for the next slot.
    """
    return last is not None and last > slot - interval / 2


def _named_chair(services: Services, person: Person, identities: list[str]) -> bool:
    """Whether ISCG_CHAIRS names the person, by an identity or their address."""
    known = {*identities, *([f"email:{person.email}"] if person.email else [])}
    return not known.isdisjoint(services.settings.chair_identities)


def personal_schedule(frequency: str, group: Schedule) -> Schedule:
    """When a member's own digest goes, in their zone: daily, or weekly, at the group
    digest's hour and on its day (Monday when the group's goes daily)."""
    if frequency != "weekly":
        return Schedule(None, group.at)
    return Schedule(group.weekday if group.weekday is not None else 0, group.at)


async def send_personal(services: Services, conn: aiosqlite.Connection, report: PassReport) -> None:
    """Each subscriber whose own slot (in their zone) has passed gets their digest."""
    now = services.now()
    group = Schedule.parse(services.settings.digest_schedule)
    subs = [s for s in (await digests.subscriptions(conn)).values() if s.frequency != "off"]
    if not subs:
        return
    ends = await digests.last_ends(conn)
    scheduled = await digests.last_ends(conn, SCHEDULED)
    snap: Snapshot | None = None
    identities = await _identities(conn)
    for sub in subs:
        schedule = personal_schedule(sub.frequency, group)
        audience = person_audience(sub.person_id)
        person = await people.get(conn, sub.person_id)
        if person is None:
            continue
        zone = _person_zone(person)
        slot = schedule.latest(now, zone)
        start = ends.get(audience, slot - schedule.interval)
        # A change of subscription since (daily to weekly) starts its own periods.
        last = scheduled.get(audience)
        last = last if last == ends.get(audience) else None
        if start >= slot or _period_had_one(last, slot, schedule.interval):
            continue
        snap = snap or await Snapshot.load(conn, now, now)
        destination = reach(person, identities.get(person.id, []))
        if destination is None:
            report.unreachable += 1
            await digests.record_period(conn, audience, start, now, "unreachable", SCHEDULED)
            continue
        chair = _named_chair(services, person, identities.get(person.id, []))
        digest = compose_personal(snap, person, _links(services), is_chair=chair)
        by_mail = destination.startswith("email:")
        if digest is None:
            await digests.record_period(conn, audience, start, now, "empty", SCHEDULED)
            continue
        await _tell(
            services,
            conn,
            destination,
            subject=digest.title,
            text=render_text(digest, None if by_mail else CHAT_MAX_CHARS),
            html=render_html(digest) if by_mail else None,
            kind="digest",
            key=f"digest:{audience}:{now.isoformat()}",
        )
        await digests.record_period(conn, audience, start, now, "sent", SCHEDULED)
        report.personal += 1


async def send_nudges(services: Services, conn: aiosqlite.Connection, report: PassReport) -> None:
    """Remind each owner once 2 days before the due date and once the day after it is missed.

    A day starts, for nudges, at the digests' time of day in the owner's zone, so
    a nudge comes with the morning's mail, never at midnight where the owner lives.
    """
    now = services.now()
    daily = personal_schedule("daily", Schedule.parse(services.settings.digest_schedule))
    subs = await digests.subscriptions(conn)
    identities = await _identities(conn)
    soon = now.date() + dt.timedelta(days=NUDGE_BEFORE_DAYS + 1)
    for action in await actions.listing(conn, status="open", due_before=soon):
        assert action.due_date is not None
        for owner in action.owners:
            if (
                owner.person_id is None
                or not subs.get(owner.person_id, Subscription(person_id=owner.person_id)).nudges
            ):
                continue
            person = await people.get(conn, owner.person_id)
            if person is None:
                continue
            zone = _person_zone(person)
            today = daily.latest(now, zone).astimezone(zone).date()
            late = (today - action.due_date).days
            if -NUDGE_BEFORE_DAYS <= late <= 0:
                word, text = "due", f"{action.ref} is due {date_text(action.due_date)}"
            elif 1 <= late <= NUDGE_LATE_WINDOW_DAYS:
                word, text = "missed", f"{action.ref} was due {date_text(action.due_date)}"
            else:
                continue
            destination = reach(person, identities.get(person.id, []))
            if destination is None:
                report.unreachable += 1
                continue
            link = _links(services).action(action)
            sent = await _tell(
                services,
                conn,
                destination,
                subject=f"Reminder: {text}",
                text=f"{text}: {action.text}\n{link}\n(/done {action.ref} when it is done;"
                " /subscribe nudges off to stop these reminders)",
                html=None,
                kind="nudge",
                key=f"nudge:{action.id}:{word}:{action.due_date}:{person.id}",
            )
            report.nudges += int(sent)


async def run_pass(services: Services) -> PassReport | None:
    """One pass: the group digest if its slot has passed, personal digests, nudges.

    None when another process holds the lease.
    """
    holder = _holder(services)
    async with services.db.transaction() as conn:
        if not await digests.take_lease(conn, LEASE, holder, services.now(), LEASE_TTL):
            return None
    report = PassReport()
    try:
        async with services.db.transaction() as conn:
            now = services.now()
            schedule = Schedule.parse(services.settings.digest_schedule)
            slot = schedule.latest(now, services.zone)
            if await digests.last_period(conn, GROUP) is None:
                # A new deployment starts counting at its latest slot instead of
                # mailing the list the moment it first runs.
                await digests.record_period(conn, GROUP, slot, slot, "empty", "first start")
            elif await start_of(conn, GROUP, slot - schedule.interval) < slot:
                report.group = await send_group(services, conn, now, SCHEDULED)
        async with services.db.transaction() as conn:
            await send_personal(services, conn, report)
            await send_nudges(services, conn, report)
    finally:
        async with services.db.transaction() as conn:
            await digests.release_lease(conn, LEASE, holder)
    if report.unreachable:
        log.info(
            "digests: %d member(s) with no known address or channel skipped", report.unreachable
        )
    return report


on_pass(run_pass)
