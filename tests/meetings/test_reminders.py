"""Reminders survive restarts: due ones run once, late ones are dropped, none twice."""

from __future__ import annotations

import datetime as dt
import sqlite3

from bot.app import open_services
from bot.clock import FixedClock
from bot.delivery import Dispatcher
from bot.handlers.base import Connector
from bot.handlers.console import ask_once
from bot.jobs import HANDLERS, RETRY_AFTER, JobRunner
from storage import jobs, meetings, outbox, people
from tests.conftest import CHAIR

START = dt.datetime(2026, 12, 3, 13, 0, tzinfo=dt.UTC)  # 14:00 Geneva


async def schedule(ask, attendees: str = "jane@example.org") -> None:
    reply = await ask(
        f"/schedule Climate change | 3 Dec 14:00 Geneva time | 60m | {attendees}",
        who=CHAIR,
        channel="iscg",
    )
    assert not reply.error, reply.text


async def restart_at(settings, moment: dt.datetime):
    """A new process on the same database file, its clock at `moment`."""
    return await open_services(settings, FixedClock(moment))


async def reminders(services) -> list[outbox.OutboxRow]:
    async with services.db.read() as conn:
        return await outbox.by_kind(conn, "reminder")


async def test_the_day_before_reminder_goes_to_the_channel_and_the_attendees(ask, settings):
    await schedule(ask)
    later = await restart_at(settings, START - dt.timedelta(hours=23))
    try:
        assert await JobRunner(later).run_once() == 1
        sent = await reminders(later)
        assert sorted(r.destination for r in sent) == ["console:iscg", "email:jane@example.org"]
        chat = next(r for r in sent if r.platform == "console").payload
        assert chat["text"].startswith("Reminder: Climate change (m1) starts in about 23 hours.")
        assert "Geneva: Thu 3 Dec 2026 14:00 (UTC+1)" in chat["text"]
        # A second runner (another restart) at the same moment sends nothing more.
        assert await JobRunner(later).run_once() == 0
        assert len(await reminders(later)) == 2
    finally:
        await later.db.close()


async def test_restart_inside_the_last_window_sends_only_the_latest_reminder_once(ask, settings):
    await schedule(ask)
    # Down for the whole day before; back ten minutes before the start.
    later = await restart_at(settings, START - dt.timedelta(minutes=10))
    try:
        assert await JobRunner(later).run_once() == 2
        sent = await reminders(later)
        assert len(sent) == 2  # the 15-minute one, in chat and by mail; the 24-hour one stood down
        assert all(":reminder:15m:" in r.dedupe_key for r in sent)
        assert "starts in 10 minutes" in sent[0].payload["text"]
        async with later.db.read() as conn:
            assert await jobs.pending(conn, "meeting-reminder") == []
    finally:
        await later.db.close()
    again = await restart_at(settings, START - dt.timedelta(minutes=5))
    try:
        assert await JobRunner(again).run_once() == 0
        assert len(await reminders(again)) == 2
    finally:
        await again.db.close()


async def test_after_the_start_missed_reminders_are_dropped_not_sent_late(ask, settings):
    await schedule(ask)
    later = await restart_at(settings, START + dt.timedelta(minutes=5))
    try:
        await JobRunner(later).run_once()
        assert await reminders(later) == []
        async with later.db.read() as conn:
            cur = await conn.execute(
                "SELECT status, result FROM jobs WHERE kind = 'meeting-reminder'"
            )
            assert {tuple(row) for row in await cur.fetchall()} == {("dropped", "too late")}
    finally:
        await later.db.close()


async def test_a_reminder_that_fails_on_a_passing_error_is_sent_a_minute_later_once(
    ask, settings, monkeypatch
):
    # The first run fails (the database locked, say): the reminder was marked failed
    # and never sent, the attendees left unreminded without a word.
    real = HANDLERS["meeting-reminder"]
    runs = []

    async def locked_once(services, conn, job):
        runs.append(job.id)
        if len(runs) == 1:
            raise sqlite3.OperationalError("database is locked")
        return await real(services, conn, job)

    monkeypatch.setitem(HANDLERS, "meeting-reminder", locked_once)
    await schedule(ask)
    first = START - dt.timedelta(hours=23)
    for moment, handled, sent in [
        (first, 0, 0),  # failed, rolled back: nothing queued
        (first + dt.timedelta(seconds=30), 0, 0),  # not yet due again
        (first + dt.timedelta(minutes=1), 1, 2),  # tried again: in chat and by mail
        (first + dt.timedelta(minutes=2), 0, 2),  # and only once
    ]:
        later = await restart_at(settings, moment)
        try:
            assert await JobRunner(later).run_once() == handled, moment
            assert len(await reminders(later)) == sent, moment
        finally:
            await later.db.close()


async def test_a_reminder_that_keeps_failing_is_given_up_after_its_last_try(
    ask, settings, monkeypatch
):
    async def broken(services, conn, job):
        raise RuntimeError("a fault in the reminder's text")

    monkeypatch.setitem(HANDLERS, "meeting-reminder", broken)
    await schedule(ask)
    moment = START - dt.timedelta(hours=23)
    for wait in [*RETRY_AFTER, None]:
        later = await restart_at(settings, moment)
        try:
            await JobRunner(later).run_once()
            async with later.db.read() as conn:
                cur = await conn.execute(
                    "SELECT status, attempts FROM jobs WHERE kind = 'meeting-reminder'"
                    " ORDER BY due_at LIMIT 1"
                )
                status, attempts = await cur.fetchone()
        finally:
            await later.db.close()
        if wait is None:
            assert (status, attempts) == ("failed", len(RETRY_AFTER))
        else:
            assert status == "pending", attempts
            moment += wait


async def test_a_moved_meeting_is_reminded_at_its_new_time_only(ask, settings):
    await schedule(ask)
    await ask("/reschedule m1 | 10 Dec 14:00 Geneva time", who=CHAIR)
    later = await restart_at(settings, START - dt.timedelta(minutes=10))
    try:
        await JobRunner(later).run_once()
        assert await reminders(later) == []
    finally:
        await later.db.close()


async def _queued_reminders_then(settings, command: str) -> list[outbox.OutboxRow]:
    """The 15-minute reminders are queued (nothing sent yet: mail is down), then `command`."""
    later = await restart_at(settings, START - dt.timedelta(minutes=10))
    try:
        assert await JobRunner(later).run_once() == 2
        reply = await ask_once(later, command, identity=CHAIR, channel="iscg")
        assert not reply.error, reply.text
        async with later.db.read() as conn:
            return [r for r in await outbox.listing(conn) if r.kind == "reminder"]
    finally:
        await later.db.close()


async def test_a_reminder_queued_before_a_cancellation_is_not_sent(ask, settings):
    await schedule(ask)
    assert await _queued_reminders_then(settings, "/cancel m1 | chair unwell") == []


async def test_a_reminder_queued_before_a_move_is_not_sent(ask, settings):
    await schedule(ask)
    assert await _queued_reminders_then(settings, "/reschedule m1 | 10 Dec 14:00 Geneva time") == []


class _Recorder(Connector):
    """Stands in for the console and mail connectors: keeps what it is handed."""

    name = platform = "any"

    def __init__(self) -> None:
        super().__init__(app=None)  # type: ignore[arg-type]
        self.sent: list[outbox.OutboxRow] = []

    @classmethod
    def configured(cls, settings) -> bool:
        return True

    @classmethod
    def requirement(cls) -> str:
        return ""

    async def listen(self) -> None:
        return None

    async def send(self, row: outbox.OutboxRow) -> None:
        self.sent.append(row)


async def test_a_reminder_still_queued_when_the_meeting_starts_is_dropped_not_sent_late(
    ask, settings
):
    """Mail was down from the 15-minute reminder until after the start: 'starts in
    10 minutes' arriving while the meeting runs, or after it, would mislead."""
    await schedule(ask)
    queued = await restart_at(settings, START - dt.timedelta(minutes=10))
    try:
        assert await JobRunner(queued).run_once() == 2
    finally:
        await queued.db.close()
    later = await restart_at(settings, START + dt.timedelta(minutes=5))
    recorder = _Recorder()
    try:
        await Dispatcher(later, {"console": recorder, "email": recorder}).run_once()
        assert [r.kind for r in recorder.sent if r.kind == "reminder"] == []
        async with later.db.read() as conn:
            rows = await outbox.by_kind(conn, "reminder")
        assert {r.status for r in rows} == {"dropped"}
    finally:
        await later.db.close()


async def test_an_attendee_who_declined_is_not_reminded(ask, settings, services):
    """Bob declined from his calendar: the day before, Jane and the channel are reminded,
    Bob's mailbox is not."""
    await schedule(ask, "jane@example.org, bob@example.org")
    async with services.db.transaction() as conn:
        uid = (await meetings.get(conn, 1)).uid
        assert await meetings.set_partstat(conn, uid, "bob@example.org", "DECLINED")
    later = await restart_at(settings, START - dt.timedelta(hours=23))
    try:
        assert await JobRunner(later).run_once() == 1
        sent = await reminders(later)
        assert sorted(r.destination for r in sent) == ["console:iscg", "email:jane@example.org"]
    finally:
        await later.db.close()


async def test_the_reminder_mail_gives_an_attendees_own_time_only_when_their_zone_is_known(
    ask, settings
):
    """Li set Asia/Shanghai: 'Your time (Beijing)', by its place, as her invitation names
    it. Jane set none: the group's Geneva time is not passed off as hers (UTC and Geneva
    are there already)."""
    assert not (await ask("/timezone Asia/Shanghai", who="email:li@example.cn")).error
    await schedule(ask, "jane@example.org, li@example.cn")
    later = await restart_at(settings, START - dt.timedelta(hours=23))
    try:
        await JobRunner(later).run_once()
        mails = {r.destination: r.payload["text"] for r in await reminders(later)}
    finally:
        await later.db.close()
    assert "Your time (Beijing): Thu 3 Dec 2026 21:00 (UTC+8)" in mails["email:li@example.cn"]
    assert "Your time" not in mails["email:jane@example.org"]
    assert "Geneva: Thu 3 Dec 2026 14:00 (UTC+1)" in mails["email:jane@example.org"]


async def test_a_day_before_reminder_still_queued_when_the_next_is_due_is_dropped(ask, settings):
    """Mail was down from the day-before reminder until minutes before the start: 'starts
    in about 23 hours' then, beside the 15-minute reminder, would mislead."""
    await schedule(ask)
    queued = await restart_at(settings, START - dt.timedelta(hours=23))
    try:
        assert await JobRunner(queued).run_once() == 1
    finally:
        await queued.db.close()
    later = await restart_at(settings, START - dt.timedelta(minutes=5))
    recorder = _Recorder()
    try:
        await Dispatcher(later, {"console": recorder, "email": recorder}).run_once()
        assert [r.payload["text"] for r in recorder.sent if r.kind == "reminder"] == []
        async with later.db.read() as conn:
            rows = await outbox.by_kind(conn, "reminder")
        assert rows and {r.status for r in rows} == {"dropped"}
    finally:
        await later.db.close()


async def test_a_cancellation_withdraws_reminders_being_sent_or_failed_too(ask, settings):
    """One reminder is on the wire when the chair cancels, another failed earlier: the
    first, if its send fails, is not tried again, and `outbox retry` sends neither."""
    await schedule(ask)
    later = await restart_at(settings, START - dt.timedelta(minutes=10))
    try:
        assert await JobRunner(later).run_once() == 2
        async with later.db.transaction() as conn:
            first, second = await outbox.by_kind(conn, "reminder")
            assert await outbox.mark_sending(conn, first.id, later.now())
            assert await outbox.mark_sending(conn, second.id, later.now())
            await outbox.mark_failed(conn, second.id, "550 mailbox unavailable")
        reply = await ask_once(later, "/cancel m1 | chair unwell", identity=CHAIR, channel="iscg")
        assert not reply.error, reply.text
        async with later.db.transaction() as conn:
            await outbox.mark_retry(conn, first.id, "451 try later", later.now())
            assert not await outbox.requeue(conn, second.id, later.now())
            rows = await outbox.by_kind(conn, "reminder")
        assert {r.status for r in rows} == {"dropped"}
    finally:
        await later.db.close()


async def test_the_reminder_in_the_channel_gives_each_attendees_own_time(ask, settings):
    """The reminder posted where the meeting was scheduled gave only UTC and Geneva time:
    Noah LUO in Beijing and Victor in Mexico City, reading it in the channel, had to
    convert it themselves, though the invitation posted there gave each one's time."""
    await schedule(ask, "jane@example.org, Noah LUO, Victor Manuel Martinez Vanegas")
    later = await restart_at(settings, START - dt.timedelta(hours=23))
    try:
        await JobRunner(later).run_once()
        chat = next(r for r in await reminders(later) if r.platform == "console").payload
    finally:
        await later.db.close()
    assert "Geneva: Thu 3 Dec 2026 14:00 (UTC+1)" in chat["text"], chat["text"]
    assert "Beijing (Noah LUO): Thu 3 Dec 2026 21:00 (UTC+8)" in chat["text"], chat["text"]
    assert (
        "Mexico City (Victor Manuel Martinez Vanegas): Thu 3 Dec 2026 07:00 (UTC-6)" in chat["text"]
    ), chat["text"]


async def test_the_reminder_in_the_channel_gives_no_time_for_one_who_declined(
    ask, services, settings
):
    """Ana Lopez declined m1 and got no reminder, but the one posted in the channel
    still gave 'Mexico City (Ana Lopez): 07:00', as if she were coming."""
    async with services.db.transaction() as conn:
        await people.create(
            conn, "Ana Lopez", email="ana@example.mx", timezone="America/Mexico_City"
        )
    await schedule(ask, "jane@example.org, Noah LUO, Ana Lopez")
    async with services.db.transaction() as conn:
        meeting = await meetings.by_code(conn, "m1")
        assert await meetings.set_partstat(conn, meeting.uid, "ana@example.mx", "DECLINED")
    later = await restart_at(settings, START - dt.timedelta(hours=23))
    try:
        await JobRunner(later).run_once()
        chat = next(r for r in await reminders(later) if r.platform == "console").payload
    finally:
        await later.db.close()
    assert "Beijing (Noah LUO): Thu 3 Dec 2026 21:00 (UTC+8)" in chat["text"], chat["text"]
    assert "Ana Lopez" not in chat["text"] and "Mexico City" not in chat["text"], chat["text"]
