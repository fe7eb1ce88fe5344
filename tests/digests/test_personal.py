"""Personal digests (in the member's zone, only when asked) and nudges."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import digests
from bot.clock import FixedClock
from bot.handlers.slack import PROFILE_ZONE_FROM
from bot.services import Services
from storage import meetings, people
from storage.actions import Owner
from tests.conftest import CHAIR, Asker

from .conftest import Members, add_action, add_meeting, sent

NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
JANE = "console:jane"
BOB = "console:bob"
DORA = "console:dora"


async def link_console(services: Services, m: Members) -> None:
    async with services.db.transaction() as conn:
        await people.link_identity(conn, JANE, m.jane, "jane")
        await people.link_identity(conn, BOB, m.bob, "bob")
        await people.link_identity(conn, DORA, m.dora, "dora")


async def personal(services: Services) -> list:  # type: ignore[type-arg]
    return [r for r in await sent(services, "digest") if not r.payload.get("to_list")]


async def test_nobody_gets_a_personal_digest_without_asking(
    services: Services, members: Members
) -> None:
    jane = Owner(label="Jane Doe", person_id=members.jane)
    await add_action(services, "draft the note", [jane], NOW.date() + dt.timedelta(days=9), 1)
    await digests.run_pass(services)
    assert await personal(services) == []


async def test_personal_digest_in_the_members_zone(
    ask: Asker, services: Services, members: Members, clock: FixedClock
) -> None:
    await link_console(services, members)
    reply = await ask("/subscribe daily", who=JANE)
    assert "daily" in reply.text and "jane@example.org" in reply.text
    jane = Owner(label="Jane Doe", person_id=members.jane)
    await add_action(services, "draft the note", [jane], NOW.date() + dt.timedelta(days=9), 1)
    await add_action(services, "not hers", [Owner(label="Bob", person_id=members.bob)], None, 1)
    await add_meeting(
        services, "ISCG coordination", NOW + dt.timedelta(days=3, hours=5), [members.jane]
    )
    await add_meeting(services, "Without Jane", NOW + dt.timedelta(days=4), [members.bob])
    # 08:00 UTC is 02:00 in Mexico City: her 08:00 has not come yet today.
    await digests.run_pass(services)
    clock.set(dt.datetime(2026, 11, 23, 13, 59, tzinfo=dt.UTC))  # 07:59 in Mexico City
    await digests.run_pass(services)
    assert await personal(services) == []  # her first digest comes at her first 08:00
    clock.set(dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC))  # 08:00 in Mexico City
    await digests.run_pass(services)
    [mail] = await personal(services)
    assert mail.destination == "email:jane@example.org"
    text = mail.payload["text"]
    assert "Times in Mexico City time (America/Mexico_City)." in text
    assert "Mexico City: Thu 26 Nov 2026 07:00 (UTC-6)" in text
    assert "draft the note" in text and "not hers" not in text
    assert "Without Jane" not in text
    await ask("/subscribe off", who=JANE)
    clock.set(dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC))
    await digests.run_pass(services)
    assert len(await personal(services)) == 1


async def test_chat_only_members_get_a_direct_message_and_unreachable_is_counted(
    ask: Asker, services: Services, members: Members, clock: FixedClock
) -> None:
    await link_console(services, members)
    await ask("/subscribe weekly", who=BOB)
    reply = await ask("/subscribe weekly", who=DORA)
    assert "They come to you in Discord, as direct messages from me." in reply.text
    reply = await ask("/subscribe weekly", who="console:nemo")
    assert "nothing can reach you" in reply.text
    owner = Owner(label="Bob Smith", person_id=members.bob)
    await add_action(services, "check the liaison", [owner], None, 1)
    await add_action(services, "dora's", [Owner(label="Dora", person_id=members.dora)], None, 1)
    clock.set(dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC))  # Monday 08:00 in Geneva
    report = await digests.run_pass(services)
    assert report is not None and report.unreachable == 1 and report.personal == 2
    dora, bob = sorted(await personal(services), key=lambda row: row.destination)
    assert (dora.destination, bob.destination) == ("discord:777", "slack:U0BOB")
    assert "check the liaison" in bob.payload["text"]
    assert "dora's" in dora.payload["text"]


async def test_nudges_before_and_after_the_due_date(
    ask: Asker, services: Services, members: Members, clock: FixedClock
) -> None:
    due = dt.date(2026, 11, 27)  # Friday
    jane = Owner(label="Jane Doe", person_id=members.jane)
    free = Owner(label="someone else")
    action = await add_action(services, "update the mapping", [jane, free], due, 1)
    await digests.run_pass(services)  # Monday: 4 days before, no nudge
    assert await sent(services, "nudge") == []
    clock.set(dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC))  # Wednesday in Mexico City
    await digests.run_pass(services)
    clock.advance(hours=5)
    await digests.run_pass(services)
    [before] = await sent(services, "nudge")
    assert before.destination == "email:jane@example.org"
    assert f"A{action} is due Fri 27 Nov 2026" in before.payload["subject"]
    clock.set(dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.UTC))  # Saturday: missed
    await digests.run_pass(services)
    await digests.run_pass(services)
    rows = await sent(services, "nudge")
    assert len(rows) == 2 and "was due" in rows[1].payload["subject"]


async def test_nudges_off(
    ask: Asker, services: Services, members: Members, clock: FixedClock
) -> None:
    await link_console(services, members)
    reply = await ask("/subscribe nudges off", who=JANE)
    assert "nudges about your actions: off" in reply.text
    jane = Owner(label="Jane Doe", person_id=members.jane)
    await add_action(services, "update the mapping", [jane], dt.date(2026, 11, 24), 1)
    await digests.run_pass(services)
    assert await sent(services, "nudge") == []


async def test_subscribe_refuses_nonsense(ask: Asker, members: Members) -> None:
    reply = await ask("/subscribe hourly")
    assert reply.error and "/subscribe weekly" in reply.text


async def test_nudges_wait_for_the_digest_hour_in_the_owners_zone(
    services: Services, members: Members, clock: FixedClock
) -> None:
    """Not at midnight where the owner lives: at the digests' time of day there."""
    jane = Owner(label="Jane Doe", person_id=members.jane)
    await add_action(services, "update the mapping", [jane], dt.date(2026, 11, 27), 1)
    clock.set(dt.datetime(2026, 11, 25, 6, 30, tzinfo=dt.UTC))  # Wednesday 00:30 in Mexico City
    await digests.run_pass(services)
    clock.set(dt.datetime(2026, 11, 25, 13, 59, tzinfo=dt.UTC))  # 07:59 there
    await digests.run_pass(services)
    assert await sent(services, "nudge") == []
    clock.set(dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC))  # 08:00 there
    await digests.run_pass(services)
    [nudge] = await sent(services, "nudge")
    assert "is due Fri 27 Nov 2026" in nudge.payload["subject"]
    clock.set(dt.datetime(2026, 11, 28, 6, 30, tzinfo=dt.UTC))  # Saturday 00:30: missed, but night
    await digests.run_pass(services)
    assert len(await sent(services, "nudge")) == 1
    clock.set(dt.datetime(2026, 11, 28, 14, 0, tzinfo=dt.UTC))
    await digests.run_pass(services)
    assert "was due" in (await sent(services, "nudge"))[1].payload["subject"]


async def test_subscribe_says_which_day_and_hour_in_the_members_zone(
    ask: Asker, services: Services, members: Members
) -> None:
    await link_console(services, members)
    weekly = await ask("/subscribe weekly", who=JANE)
    assert weekly.text.startswith(
        "Personal digest: weekly, Mondays at 08:00 America/Mexico_City; nudges about your"
        " actions: on."
    )
    daily = await ask("/subscribe daily", who=JANE)
    assert daily.text.startswith(
        "Personal digest: daily, at 08:00 America/Mexico_City; nudges about your actions: on."
    )
    off = await ask("/subscribe off", who=JANE)
    assert off.text.startswith("Personal digest: off; nudges about your actions: on.")


async def test_a_weekly_personal_digest_comes_on_the_group_digests_day(
    ask: Asker, services: Services, members: Members, clock: FixedClock
) -> None:
    """ISCG_DIGEST_SCHEDULE=weekly fri 16:00: members who want theirs weekly get it on
    Fridays at 16:00 in their own zone, not on Mondays."""
    services.settings.digest_schedule = "weekly fri 16:00"
    await link_console(services, members)
    reply = await ask("/subscribe weekly", who=JANE)
    assert "weekly, Fridays at 16:00 America/Mexico_City" in reply.text
    jane = Owner(label="Jane Doe", person_id=members.jane)
    await add_action(services, "draft the note", [jane], NOW.date() + dt.timedelta(days=30), 1)
    await digests.run_pass(services)
    clock.set(dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC))  # Tuesday
    await digests.run_pass(services)
    clock.set(dt.datetime(2026, 11, 27, 21, 59, tzinfo=dt.UTC))  # Fri 15:59 in Mexico City
    await digests.run_pass(services)
    assert await personal(services) == []
    clock.set(dt.datetime(2026, 11, 27, 22, 0, tzinfo=dt.UTC))  # Fri 16:00 in Mexico City
    await digests.run_pass(services)
    assert len(await personal(services)) == 1


async def test_a_member_on_slack_and_discord_is_told_where_digests_really_go(
    ask: Asker, services: Services, clock: FixedClock
) -> None:
    """Eve, without an e-mail address, joined Slack, then Discord: /subscribe names
    the platform her digests really go to (they read her identities in other orders)."""
    async with services.db.transaction() as conn:
        eve = await people.create(conn, "Eve Ode", timezone="Africa/Douala")
        for identity in ("slack:U0EVE", "discord:888", "console:eve"):
            await people.link_identity(conn, identity, eve.id, "eve")
    reply = await ask("/subscribe daily", who="console:eve")
    owner = Owner(label="Eve Ode", person_id=eve.id)
    await add_action(services, "check the figures", [owner], NOW.date() + dt.timedelta(days=20), 1)
    clock.set(dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC))  # 08:00 in Douala
    await digests.run_pass(services)
    [row] = await personal(services)
    assert row.destination == "slack:U0EVE"
    assert "They come to you in Slack" in reply.text


async def test_subscribing_brings_one_digest_a_slot_never_a_catch_up_before_it(
    ask: Asker, services: Services, members: Members, clock: FixedClock
) -> None:
    """Jane subscribed at 07:30 in Mexico City and got a digest at once (for yesterday's
    slot), then the same again at 08:00; switching from weekly to daily on a Thursday did
    the same. Each change now counts from the moment it is made."""
    await link_console(services, members)
    jane = Owner(label="Jane Doe", person_id=members.jane)
    await add_action(services, "draft the note", [jane], NOW.date() + dt.timedelta(days=30), 1)
    clock.set(dt.datetime(2026, 11, 23, 13, 30, tzinfo=dt.UTC))  # Monday 07:30 there
    await ask("/subscribe daily", who=JANE)
    await digests.run_pass(services)
    assert await personal(services) == []
    clock.set(dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC))  # 08:00 there
    await digests.run_pass(services)
    await digests.run_pass(services)
    assert len(await personal(services)) == 1
    await ask("/subscribe daily", who=JANE)  # said again: nothing changes
    clock.set(dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC))
    await digests.run_pass(services)
    assert len(await personal(services)) == 2
    await ask("/subscribe weekly", who=JANE)
    clock.set(dt.datetime(2026, 11, 26, 16, 0, tzinfo=dt.UTC))  # Thursday 10:00 there
    await ask("/subscribe daily", who=JANE)
    await digests.run_pass(services)
    assert len(await personal(services)) == 2
    clock.set(dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC))  # Friday 08:00 there
    await digests.run_pass(services)
    assert len(await personal(services)) == 3


async def test_a_chair_named_in_the_settings_gets_the_chairs_actions_in_their_digest(
    ask: Asker, services: Services, clock: FixedClock
) -> None:
    """A chair by ISCG_CHAIRS saw the chair's and the secretariat's actions in
    /actions mine, but not in their personal digest, which read only the stored role."""
    await ask("/subscribe daily", who=CHAIR)
    chair = Owner(label="the chair", group_key="chair")
    secretariat = Owner(label="secretariat", group_key="secretariat")
    await add_action(services, "open the session", [chair], None, 1)
    await add_action(services, "book the room", [secretariat], None, 1)
    mine = await ask("/actions mine", who=CHAIR)
    assert "open the session" in mine.text and "book the room" in mine.text
    clock.set(dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC))  # 08:00 in Geneva
    await digests.run_pass(services)
    [mail] = await personal(services)
    assert mail.destination == "email:chair@example.org"
    assert "open the session" in mail.payload["text"] and "book the room" in mail.payload["text"]


async def test_a_slack_members_profile_zone_holds_where_else_they_write_and_in_the_digest(
    ask: Asker, services: Services, clock: FixedClock
) -> None:
    """Amina subscribed by mail before she spoke on Slack, whose profile says Mexico
    City: her digest came at 08:00 there but its times were Geneva's, and /timezone by
    mail answered with the group's default."""
    async with services.db.transaction() as conn:
        amina = await people.create(conn, "Amina Diallo", email="amina@example.org")
        await people.link_identity(conn, "console:amina", amina.id, "amina")
        await people.link_identity(conn, "slack:U0AM", amina.id, "amina")
    await ask("/subscribe daily", who="console:amina")
    await services.context_for(  # as the Slack handler asks for her
        "slack:U0AM",
        "Amina",
        "slack:C1",
        platform_zone="America/Mexico_City",
        zone_from=PROFILE_ZONE_FROM,
    )
    zone = await ask("/timezone", who="console:amina")
    assert zone.text.startswith(
        "Your time zone is America/Mexico_City (from your Slack profile; "
        "set another with /timezone <zone>)"
    )
    await add_meeting(services, "ISCG coordination", NOW + dt.timedelta(days=3), [amina.id])
    clock.set(dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC))  # 08:00 in Mexico City
    await digests.run_pass(services)
    [mail] = await personal(services)
    assert "Times in Mexico City time (America/Mexico_City)." in mail.payload["text"]
    assert "Mexico City: Thu 26 Nov 2026 02:00 (UTC-6)" in mail.payload["text"]


@pytest.mark.parametrize(
    ("zone", "hours_behind"),
    [
        ("America/Mexico_City", 7),  # at 08:00 there her day began again
        ("America/Los_Angeles", 9),  # 23:00 the evening before there: the "day" rule missed it
    ],
)
async def test_moving_west_after_the_digest_brings_no_second_one(
    ask: Asker, services: Services, clock: FixedClock, zone: str, hours_behind: int
) -> None:
    """Lea got her 08:00 digest in Geneva, flew west and set /timezone there: at 08:00
    there, hours later, the same digest came again, her daily one and her weekly one
    alike. One digest a period in the zone she is in now; the next comes a period on."""
    async with services.db.transaction() as conn:
        lea = await people.create(conn, "Lea Roth", email="lea@example.org")
        await people.link_identity(conn, "console:lea", lea.id, "lea")
    owner = Owner(label="Lea Roth", person_id=lea.id)
    await add_action(services, "draft the note", [owner], NOW.date() + dt.timedelta(days=30), 1)
    behind = dt.timedelta(hours=hours_behind)
    for frequency, sent_at, period in (
        ("daily", dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC), dt.timedelta(days=1)),
        ("weekly", dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC), dt.timedelta(days=7)),
    ):  # Tuesday and Monday, 08:00 in Geneva; the same hour there; a period on
        await ask("/timezone Europe/Zurich", who="console:lea")
        await ask(f"/subscribe {frequency}", who="console:lea")
        before = len(await personal(services))
        clock.set(sent_at)
        await digests.run_pass(services)
        assert len(await personal(services)) == before + 1
        clock.set(sent_at + dt.timedelta(hours=1))
        reply = await ask(f"/timezone {zone}", who="console:lea")
        assert zone in reply.text
        clock.set(sent_at + behind)
        await digests.run_pass(services)
        clock.set(sent_at + behind + dt.timedelta(hours=3))
        await digests.run_pass(services)
        assert len(await personal(services)) == before + 1, frequency
        clock.set(sent_at + behind + period)
        await digests.run_pass(services)
        assert len(await personal(services)) == before + 2, frequency


async def test_the_platform_that_gave_a_members_zone_is_named_in_its_own_words(
    ask: Asker, services: Services
) -> None:
    """/timezone said "from your Slack profile" of any zone a platform gave, as if the
    commands knew the platforms: each handler names its own source, kept with the zone,
    so the member reads it wherever they ask from."""
    async with services.db.transaction() as conn:
        li = await people.create(conn, "Li Wei", email="li.wei@example.cn")
        await people.link_identity(conn, "console:li", li.id, "li")
        await people.link_identity(conn, "discord:4242", li.id, "li")
    ctx = await services.context_for(
        "discord:4242",
        "Li Wei",
        "discord:1",
        platform_zone="Asia/Shanghai",
        zone_from="your Discord server profile",
    )
    here = await services.ask(ctx, "/timezone")
    assert here is not None
    assert here.text.startswith(
        "Your time zone is Asia/Shanghai (from your Discord server profile; "
        "set another with /timezone <zone>)"
    )
    by_console = await ask("/timezone", who="console:li")
    assert by_console.text.startswith(
        "Your time zone is Asia/Shanghai (from your Discord server profile; "
    )
    await ask("/timezone Asia/Tokyo", who="console:li")
    assert "(yours)" in (await ask("/timezone", who="console:li")).text


async def test_subscribe_alone_says_what_the_member_gets_and_changes_nothing(
    ask: Asker, services: Services, members: Members
) -> None:
    """'/subscribe' alone, to see what one gets, was told to choose daily, weekly, off...;
    like '/timezone' alone it now says what is set, and how to change it."""
    await link_console(services, members)
    first = await ask("/subscribe", who=JANE)
    assert not first.error
    assert first.text == (
        "Personal digest: off; nudges about your actions: on.\n"
        "They go to jane@example.org by e-mail.\n"
        "Change with /subscribe daily, /subscribe weekly, /subscribe off, "
        "/subscribe nudges off or /subscribe nudges on."
    )
    await ask("/subscribe weekly", who=JANE)
    again = await ask("/subscribe", who=JANE)
    assert again.text.startswith(
        "Personal digest: weekly, Mondays at 08:00 America/Mexico_City; nudges about your"
        " actions: on.\nThey go to jane@example.org by e-mail.\nChange with "
    )
    async with services.db.read() as conn:
        periods = await conn.execute_fetchall(
            "SELECT trigger FROM digest_periods WHERE audience = ?", (f"person:{members.jane}",)
        )
    assert [row[0] for row in periods] == ["subscribed"]  # the bare one marked nothing


async def test_subscribe_reads_the_choice_as_members_write_it(
    ask: Asker, services: Services, members: Members
) -> None:
    """'/subscribe weekly.' (a mail's sentence), 'hebdomadaire', 'semanal', 'еженедельно',
    '每周' or 'أسبوعي' were refused as no choice; they are the weekly digest, and a typo
    is answered with the choice it is closest to."""
    await link_console(services, members)
    for said, frequency in (
        ("weekly.", "weekly"),
        ("Daily!", "daily"),
        ("hebdomadaire", "weekly"),
        ("quotidien", "daily"),
        ("semanal", "weekly"),
        ("diario", "daily"),
        ("еженедельно", "weekly"),
        ("ежедневно", "daily"),
        ("每周", "weekly"),
        ("每天", "daily"),
        ("أسبوعي", "weekly"),
        ("يومي", "daily"),
    ):
        reply = await ask(f"/subscribe {said}", who=JANE)
        assert reply.text.startswith(f"Personal digest: {frequency}, "), (said, reply.text)
    typo = await ask("/subscribe dialy", who=JANE)
    assert typo.error
    assert typo.text.startswith(
        '"dialy" is no choice of /subscribe: did you mean daily?\nFor example: /subscribe daily'
    )


async def test_the_first_weekly_digest_after_daily_ones_comes_on_its_monday(
    ask: Asker, services: Services, clock: FixedClock
) -> None:
    """Lea took the daily digest, got Friday's, and chose weekly that day: the Monday's
    weekly digest comes, three days after the last daily one."""
    async with services.db.transaction() as conn:
        lea = await people.create(conn, "Lea Roth", email="lea@example.org")
        await people.link_identity(conn, "console:lea", lea.id, "lea")
    owner = Owner(label="Lea Roth", person_id=lea.id)
    await add_action(services, "draft the note", [owner], NOW.date() + dt.timedelta(days=30), 1)
    await ask("/timezone Europe/Zurich", who="console:lea")
    await ask("/subscribe daily", who="console:lea")
    clock.set(dt.datetime(2026, 11, 27, 7, 0, tzinfo=dt.UTC))  # Friday 08:00 in Geneva
    await digests.run_pass(services)
    assert len(await personal(services)) == 1
    clock.set(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC))
    await ask("/subscribe weekly", who="console:lea")
    clock.set(dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC))  # Monday 08:00 in Geneva
    await digests.run_pass(services)
    assert len(await personal(services)) == 2


async def test_a_meeting_one_declined_is_not_listed_as_theirs(
    ask: Asker, services: Services, members: Members, clock: FixedClock
) -> None:
    """Jane declined the budget meeting, and her reminders stopped; her digest still
    listed it under 'Your meetings' as one she would attend."""
    await link_console(services, members)
    await ask("/subscribe daily", who=JANE)
    for line in (
        "Budget | 26 Nov 14:00 | 60m | Jane Doe",
        "Climate | 27 Nov 14:00 | 60m | Jane Doe",
    ):
        assert not (await ask(f"/schedule {line}", who=CHAIR)).error
    async with services.db.transaction() as conn:
        budget = await meetings.by_code(conn, "m1")
        assert await meetings.set_partstat(conn, budget.uid, "jane@example.org", "DECLINED")
    clock.set(dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC))  # 08:00 in Mexico City
    await digests.run_pass(services)
    [mail] = await personal(services)
    text = mail.payload["text"]
    assert "Climate" in text and "Budget" not in text, text
