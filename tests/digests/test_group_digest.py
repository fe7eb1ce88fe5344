"""The group digest: schedule, content, empty rule, downtime, two processes, /digest."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot import digests
from bot.app import open_services
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import Reply
from bot.digest_compose import CHAT_MAX_CHARS
from bot.handlers import discord_render, slack_render
from bot.jobs import JobRunner
from bot.services import Services
from storage import digests as store
from storage import people
from storage.actions import Owner
from tests.conftest import CHAIR, Asker

from .conftest import (
    Members,
    add_action,
    add_coordinator,
    add_decision,
    add_meeting,
    create_action,
    sent,
)

NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)  # Monday, 09:00 in Geneva


async def fill(services: Services, m: Members) -> None:
    today = NOW.date()
    await add_meeting(services, "ISCG coordination", NOW + dt.timedelta(days=3, hours=5), [m.jane])
    await add_meeting(services, "Far away", NOW + dt.timedelta(days=30), [m.jane])
    jane = Owner(label="Jane Doe", person_id=m.jane)
    await add_action(services, "update the mapping", [jane], today - dt.timedelta(days=3), m.jane)
    await add_action(services, "draft the note", [jane], today + dt.timedelta(days=9), m.jane)
    await add_action(services, "ask around", [Owner(label="@ghost")], None, m.jane)
    await add_action(
        services, "circulate", [Owner(label="secretariat", group_key="secretariat")], None, m.jane
    )
    await add_decision(services, "#agreed Adopt the <b>pilot</b> @everyone", m.jane)
    await add_coordinator(services, m.bob)


async def test_group_digest_content(services: Services, members: Members) -> None:
    await fill(services, members)
    report = await digests.run_pass(services)
    assert report is not None and report.group == "sent"
    [mail] = await sent(services, "digest")
    payload = mail.payload
    assert payload["to_list"] is True
    assert mail.destination == "email:" + services.settings.list_address
    text, html = payload["text"], payload["html"]
    assert "ISCG coordination (m1)" in text and "Far away" not in text
    assert "Calendar: http://localhost:8080/meetings/1.ics" in text
    assert "Geneva: Thu 26 Nov 2026 14:00 (UTC+1)" in text
    assert "UTC: Thu 26 Nov 2026 13:00\n" in text and "(UTC+0)" not in text
    # Overdue first, with how many days; free text owners under "unassigned".
    jane_part = text.split("Jane Doe:")[1]
    assert jane_part.index("OVERDUE 3 days") < jane_part.index("draft the note")
    assert text.index("Jane Doe:") < text.index("secretariat:") < text.index("unassigned:")
    assert "ask around" in text.split("unassigned:")[1]
    assert "Decisions" in text and "@everyone" not in text
    assert "Adopt the" in text and "#agreed" not in text  # as typed in the meeting, without its tag
    assert "&lt;b&gt;pilot&lt;/b&gt;" in html and "<b>pilot" not in html
    assert "Bob Smith: coordinator (ITU-T) for Accessibility" in text
    assert "http://localhost:8080/minutes/1" in text


async def test_the_text_digest_has_one_blank_line_between_its_parts(
    services: Services, members: Members
) -> None:
    """The list's text digest had two blank lines after each section and none between
    one owner's actions and the next owner's; one blank line now parts each section
    and each owner's list, and the mail ends after its last line."""
    await fill(services, members)
    await digests.run_pass(services)
    [mail] = await sent(services, "digest")
    text = mail.payload["text"]
    assert "\n\n\n" not in text and text.endswith("Accessibility\n"), text
    for section in ("== ISCG meetings", "== Open actions ==", "Jane Doe:", "secretariat:"):
        assert f"\n\n{section}" in text, section


async def test_weekly_schedule(services: Services, members: Members, clock: FixedClock) -> None:
    await fill(services, members)
    last_monday = dt.datetime(2026, 11, 16, 7, 0, tzinfo=dt.UTC)
    async with services.db.transaction() as conn:
        await store.record_period(
            conn, store.GROUP, last_monday - dt.timedelta(days=7), last_monday, "sent", "schedule"
        )
    clock.set(dt.datetime(2026, 11, 23, 6, 59, tzinfo=dt.UTC))  # 07:59 Geneva: not yet
    assert (await digests.run_pass(services)).group == "not due"  # type: ignore[union-attr]
    assert await sent(services, "digest") == []
    clock.set(dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC))  # 08:00 Geneva
    await digests.run_pass(services)
    await digests.run_pass(services)
    assert len(await sent(services, "digest")) == 1
    clock.set(dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC))  # Friday: nothing
    await digests.run_pass(services)
    assert len(await sent(services, "digest")) == 1
    clock.set(dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC))  # next Monday 08:00
    await digests.run_pass(services)
    rows = await sent(services, "digest")
    assert len(rows) == 2
    async with services.db.read() as conn:
        last = await store.last_period(conn, store.GROUP)
    assert last is not None
    assert last.start == dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
    assert last.end == dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)


async def test_empty_digest_is_not_sent(services: Services, members: Members) -> None:
    report = await digests.run_pass(services)
    assert report is not None and report.group == "empty: nothing to send"
    assert await sent(services, "digest") == []
    async with services.db.read() as conn:
        last = await store.last_period(conn, store.GROUP)
    assert last is not None and last.outcome == "empty"


async def test_downtime_gives_one_digest_for_the_gap(
    services: Services, members: Members, clock: FixedClock
) -> None:
    await fill(services, members)
    await digests.run_pass(services)
    # Down for three weeks: back on a Wednesday, one digest covers everything.
    clock.set(dt.datetime(2026, 12, 16, 10, 0, tzinfo=dt.UTC))
    await add_decision(services, "Keep the pilot", members.jane)
    await digests.run_pass(services)
    await digests.run_pass(services)
    rows = await sent(services, "digest")
    assert len(rows) == 2
    assert "Keep the pilot" in rows[1].payload["text"]
    assert "Adopt the" not in rows[1].payload["text"]  # reported the first time already
    async with services.db.read() as conn:
        last = await store.last_period(conn, store.GROUP)
    assert last is not None and last.start == NOW


async def test_restart_resends_nothing(
    services: Services, members: Members, settings: Settings
) -> None:
    await fill(services, members)
    await digests.run_pass(services)
    await services.db.close()
    again = await open_services(settings, FixedClock(NOW + dt.timedelta(minutes=5)))
    try:
        report = await digests.run_pass(again)
        assert report is not None and report.group == "not due"
        assert len(await sent(again, "digest")) == 1
    finally:
        await again.db.close()


async def test_two_processes_send_once(
    services: Services, members: Members, settings: Settings
) -> None:
    await fill(services, members)
    other = await open_services(settings.model_copy(), FixedClock(NOW))
    try:
        await asyncio.gather(JobRunner(services).run_once(), JobRunner(other).run_once())
        assert len(await sent(services, "digest")) == 1
    finally:
        await other.db.close()


async def test_lease_excludes_a_second_holder(services: Services) -> None:
    ttl = dt.timedelta(minutes=5)
    async with services.db.transaction() as conn:
        assert await store.take_lease(conn, "digests", "a", NOW, ttl)
        assert not await store.take_lease(conn, "digests", "b", NOW + dt.timedelta(minutes=1), ttl)
        assert await store.take_lease(conn, "digests", "b", NOW + dt.timedelta(minutes=6), ttl)


async def test_preview_and_now(ask: Asker, services: Services, members: Members) -> None:
    await fill(services, members)
    preview = await ask("/digest preview")
    assert not preview.public and "ISCG coordination (m1)" in preview.text
    assert await sent(services, "digest") == []
    refused = await ask("/digest now")
    assert refused.error
    done = await ask("/digest now", who=CHAIR)
    assert "queued" in done.text
    assert len(await sent(services, "digest")) == 1
    # The scheduled pass right after finds the period covered.
    report = await digests.run_pass(services)
    assert report is not None and report.group == "not due"
    again = await ask("/digest preview")
    assert "Adopt the" not in again.text


async def test_the_slot_after_digest_now_sends_only_what_is_new(
    ask: Asker, services: Services, members: Members, clock: FixedClock
) -> None:
    """`/digest now` at 07:55 and the 08:00 slot: the list had the same meetings and
    open actions twice, five minutes apart. The slot now sends only when there is news."""
    clock.set(dt.datetime(2026, 11, 23, 6, 55, tzinfo=dt.UTC))  # Monday 07:55 in Geneva
    await fill(services, members)
    assert "queued" in (await ask("/digest now", who=CHAIR)).text
    clock.set(dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC))
    report = await digests.run_pass(services)
    assert report is not None and report.group == "empty: nothing new since the last digest"
    assert len(await sent(services, "digest")) == 1
    again = await ask("/digest now", who=CHAIR)
    assert again.text == "Nothing to report since the last digest; nothing was sent."
    clock.advance(hours=2)
    await add_decision(services, "Keep the pilot", members.jane)
    assert "queued" in (await ask("/digest now", who=CHAIR)).text
    rows = await sent(services, "digest")
    assert len(rows) == 2 and "Keep the pilot" in rows[1].payload["text"]
    clock.set(dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC))  # a week on: the reminder
    report = await digests.run_pass(services)
    assert report is not None and report.group == "sent"


async def test_channels_get_the_digest(settings: Settings) -> None:
    posting = settings.model_copy(update={"digest_channels": ["slack:C123", "discord:456"]})
    svc = await open_services(posting, FixedClock(NOW))
    try:
        await add_decision(svc, "Adopt the pilot", 1)
        await digests.run_pass(svc)
        rows = await sent(svc, "digest")
        assert sorted(r.destination for r in rows) == [
            "discord:456",
            "email:" + settings.list_address,
            "slack:C123",
        ]
        chat = next(r for r in rows if r.destination == "slack:C123")
        assert "Adopt the pilot" in chat.payload["text"]
    finally:
        await svc.db.close()


async def test_a_long_digest_is_one_message_in_chat_and_whole_by_mail(settings: Settings) -> None:
    """Four hundred open actions made the weekly digest twenty-odd Slack or Discord
    messages in a row in the channel (and in a member's direct messages); chat now gets
    one, with "and N more" links, and the mail to the list keeps every action."""
    posting = settings.model_copy(update={"digest_channels": ["slack:C123", "discord:456"]})
    svc = await open_services(posting, FixedClock(NOW))
    try:
        async with svc.db.transaction() as conn:
            await store.record_period(conn, store.GROUP, NOW, NOW, "empty", "test")
            secretariat = Owner(label="secretariat", group_key="secretariat")
            for n in range(400):
                owners = [secretariat] if n % 2 else []
                await create_action(conn, f"check liaison {n}", owners, None, 1, NOW)
        svc.clock.advance(days=7)
        await digests.run_pass(svc)
        rows = {r.destination: r.payload for r in await sent(svc, "digest")}
        mail = rows["email:" + settings.list_address]["text"]
        assert mail.count("check liaison") == 400
        for channel in ("slack:C123", "discord:456"):
            text = rows[channel]["reply"]["text"]
            assert len(text) <= CHAT_MAX_CHARS
            assert "more <http://localhost:8080/actions>" in text
            reply = Reply(text=text, title="ISCG digest", public=True)
            assert len(discord_render.render(reply)) == len(slack_render.render(reply)) == 1
    finally:
        await svc.db.close()


async def test_huge_html_is_cut_with_and_more_links(services: Services, members: Members) -> None:
    jane = Owner(label="Jane Doe", person_id=members.jane)
    long_text = "review the long liaison statement " + "x" * 900
    async with services.db.transaction() as conn:
        for n in range(1300):
            await create_action(conn, f"{long_text} {n}", [jane], None, members.jane, NOW)
    await digests.run_pass(services)
    [mail] = await sent(services, "digest")
    html = mail.payload["html"]
    assert len(html.encode("utf-8")) <= 1_000_000
    assert 'more: <a href="http://localhost:8080/actions">' in html
    kept = html.count("review the long liaison statement")
    assert f"and {1300 - kept} more" in html
    assert mail.payload["text"].count("review the long liaison statement") == 1300


async def test_first_start_waits_for_the_next_slot(services: Services, members: Members) -> None:
    async with services.db.transaction() as conn:
        await conn.execute("DELETE FROM digest_periods")
    await fill(services, members)
    report = await digests.run_pass(services)
    assert report is not None and report.group == "not due"
    assert await sent(services, "digest") == []
    services.clock.advance(days=7)
    report = await digests.run_pass(services)
    assert report is not None and report.group and report.group.startswith("sent")
    assert len(await sent(services, "digest")) == 1


async def test_geneva_members_leave_the_digest_its_three_other_zones(
    services: Services, members: Members
) -> None:
    """Most members live by Geneva's zone, as the secretariat does: it took one of the
    three places the group digest keeps for members' zones beside UTC and Geneva, so
    Tokyo, one of the next three most set, was left out for its readers."""
    async with services.db.transaction() as conn:
        for name in ("Anna", "Marc", "Lea", "Hugo"):
            await people.create(conn, name, timezone="Europe/Zurich")
        await people.create(conn, "Li Wei", timezone="Asia/Shanghai")
        await people.create(conn, "Wang Fang", timezone="Asia/Shanghai")
    await add_meeting(services, "ISCG coordination", services.now() + dt.timedelta(days=3), [])
    report = await digests.run_pass(services)
    assert report is not None and report.group == "sent"
    [mail] = await sent(services, "digest")
    text = mail.payload["text"]
    for zone in ("Geneva: ", "Mexico City: ", "Tokyo: ", "Beijing: "):
        assert zone in text, text
