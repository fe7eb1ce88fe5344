"""/schedule to /cancel as a chair sees them, and what goes into the outbox."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
import vobject

from bot.core import LIST_LIMIT
from bot.handlers import discord_render, slack_render
from bot.ical import meeting_calendar
from storage import jobs, outbox, people
from storage import meetings as store
from tests.conftest import CHAIR
from tests.digests.conftest import add_meeting

SCHEDULE = (
    "/schedule Climate change | 3 Dec 14:00 Geneva time | 60m | Fabio Bigi, jane@example.org, list"
)


async def rows(services, kind=None):
    async with services.db.read() as conn:
        found = await outbox.listing(conn, ("pending",))
    return [r for r in found if kind is None or r.kind == kind]


async def test_a_precise_time_creates_the_meeting_and_shows_every_zone(ask, services):
    reply = await ask("/schedule Climate change | 3 Dec 14:00 Geneva time", who=CHAIR)
    assert not reply.error, reply.text
    assert reply.title == "Scheduled m1: Climate change"
    assert "UTC: Thu 3 Dec 2026 13:00" in reply.text
    assert "Geneva: Thu 3 Dec 2026 14:00 (UTC+1)" in reply.text
    # Default attendees: the management team, each in their own zone.
    assert (
        "Mexico City (Victor Manuel Martinez Vanegas): Thu 3 Dec 2026 07:00 (UTC-6)" in reply.text
    )
    assert "Beijing (Noah LUO): Thu 3 Dec 2026 21:00 (UTC+8)" in reply.text
    assert "Tehran (Ahmad R. Sharafat): Thu 3 Dec 2026 16:30 (UTC+3:30)" in reply.text
    assert reply.public
    # The chat reply carries the invitation, readable by both parsers.
    (ics,) = reply.attachments
    assert ics.filename == "iscg-m1.ics"
    cal = icalendar.Calendar.from_ical(ics.data)
    assert cal["METHOD"] == "REQUEST"
    assert vobject.readOne(ics.data.decode()).vevent.summary.value == "Climate change"


async def test_a_dotted_time_after_a_date_is_booked_at_that_minute(ask):
    """ "3 Dec 9.10" proposed slots all over 3 December, as if 9.10 were 9 October."""
    reply = await ask("/schedule Climate change | 3 Dec 9.10", who=CHAIR)
    assert reply.title == "Scheduled m1: Climate change", reply.text
    assert "Read as: Thu 3 Dec 2026 09:10 (UTC+1) your zone, Europe/Zurich" in reply.text
    assert "UTC: Thu 3 Dec 2026 08:10" in reply.text


async def test_in_an_hour_with_a_zone_books_one_hour_from_now(ask):
    """ "in 1 hour CET" proposed slots over the rest of the day instead of booking."""
    reply = await ask("/schedule Quick sync | in 1 hour CET", who=CHAIR)
    assert reply.title == "Scheduled m1: Quick sync", reply.text
    assert (
        'Read as: Mon 23 Nov 2026 10:00 (UTC+1) CET read as Geneva time ("in 1 hour" taken '
        "from now)" in reply.text
    )


async def test_a_weekday_alone_on_that_weekday_proposes_todays_slots(ask):
    """On Monday morning, "Monday 14:00" was today but "on Monday" proposed next Monday's
    slots, with nothing said."""
    reply = await ask("/schedule Budget | on Monday | 30m", who=CHAIR)
    assert reply.title == (
        'Proposed slots for Budget (on Monday 23 November 2026 ("on Monday" said on a Monday '
        'is today; for a week from today write "next Monday"), 30 minutes)'
    ), reply.text
    assert "1. Mon 23 Nov 2026" in reply.text


async def test_next_week_in_a_named_zone_proposes_slots_across_the_week(ask):
    """A Beijing member's "next week Beijing time" proposed slots on Monday only."""
    reply = await ask("/schedule Budget | next week Beijing time", who=CHAIR)
    assert reply.title == (
        "Proposed slots for Budget (next week, Monday 30 November 2026 - Sunday 6 December "
        "2026, Beijing time, 60 minutes)"
    ), reply.text
    days = set(re.findall(r"\d\. (\w{3} \d+ \w{3}) 2026", reply.text))
    assert len(days) == 3, reply.text


async def test_next_week_at_a_utc_offset_proposes_slots_in_that_offsets_week(ask):
    """ "/schedule X | next week UTC+8" proposed slots in Geneva's week, the offset
    dropped from the reading, so Monday 07:00 in Beijing was left out."""
    reply = await ask("/schedule Budget | next week UTC+8", who=CHAIR)
    assert reply.title == (
        "Proposed slots for Budget (next week, Monday 30 November 2026 - Sunday 6 December "
        "2026, UTC+8, 60 minutes)"
    ), reply.text


async def test_a_day_this_month_lacks_is_next_months_and_the_reading_says_why(ask):
    """ "/schedule X | the 31st 14:00", said in November, got "I cannot read"."""
    reply = await ask("/schedule Budget | the 31st 14:00", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert (
        'Read as: Thu 31 Dec 2026 14:00 (UTC+1) your zone, Europe/Zurich ("the 31st 14:00" '
        "taken as next month's, Thursday 31 December 2026: November 2026 has 30 days)"
    ) in reply.text
    reply = await ask("/schedule Budget | the 31st", who=CHAIR)
    assert (
        'on Thursday 31 December 2026 ("the 31st" taken as next month\'s: November 2026 has 30 '
        "days)" in reply.text
    ), reply.text


async def test_in_two_weeks_proposes_slots_across_that_week(ask):
    """ "/schedule X | in two weeks" proposed slots on Monday 7 December alone."""
    reply = await ask("/schedule Budget | in two weeks", who=CHAIR)
    assert reply.title == (
        "Proposed slots for Budget (in two weeks, Monday 7 December 2026 - Sunday 13 December "
        "2026, 60 minutes)"
    ), reply.text
    days = set(re.findall(r"\d\. (\w{3} \d+ \w{3}) 2026", reply.text))
    assert len(days) == 3, reply.text


@pytest.mark.parametrize("when", ["du 7 au 9 décembre", "del 7 al 9 de diciembre"])
async def test_a_range_of_days_in_french_or_spanish_proposes_slots_in_it(ask, when):
    """ "/schedule X | du 7 au 9 décembre" got "I cannot read"."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == (
        "Proposed slots for Budget (from Monday 7 December 2026 to Wednesday 9 December "
        "2026, 60 minutes)"
    ), reply.text
    days = set(re.findall(r"\d\. (\w{3} \d+ \w{3}) 2026", reply.text))
    assert days <= {"Mon 7 Dec", "Tue 8 Dec", "Wed 9 Dec"}, reply.text


@pytest.mark.parametrize(
    ("when", "label"),
    [
        ("25 May", "on Tuesday 25 May 2027"),
        ("du 25 au 27 mai", "from Tuesday 25 May 2027 to Thursday 27 May 2027"),
    ],
)
async def test_a_window_of_session_days_says_so_and_how_to_meet_then(
    ask, chair_sessions, when, label
):
    """ "/schedule X | 25 May", a RAG day, got '"25 May" (on Tuesday 25 May 2027) is
    already over' with "/schedule X | 25 May 2027" to write instead, the same day."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.error
    assert reply.text.startswith(
        f"RAG, 25-27 May 2027, Geneva covers all of the window ({label}): I keep session "
        'days free of other meetings. For slots around its working hours, write "during RAG".'
    ), reply.text
    assert "/schedule Budget | during RAG" in reply.text


async def test_a_day_written_with_dots_proposes_that_days_slots(ask):
    """ "/schedule X | 7.12.", 7 December as German and Swiss members write it, proposed
    slots for tomorrow, 24 November: the pair was read as 07:12."""
    reply = await ask("/schedule Budget | 7.12.", who=CHAIR)
    assert reply.title == "Proposed slots for Budget (on Monday 7 December 2026, 60 minutes)", (
        reply.text
    )


async def test_in_a_month_books_this_day_next_month(ask):
    """ "/schedule X | dans un mois à 14h" was booked on Tuesday 1 December."""
    reply = await ask("/schedule Budget | dans un mois à 14h", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert "Read as: Wed 23 Dec 2026 14:00 (UTC+1)" in reply.text


async def test_a_french_date_with_its_weekday_short_as_calendars_write_it_is_booked(ask):
    """ "/schedule X | mar. 1 déc. à 14h", as French calendars write a day, got "I cannot
    read": with "déc" taken for English "dec", French was never tried."""
    reply = await ask("/schedule Réunion | mar. 1 déc. à 14h", who=CHAIR)
    assert reply.title == "Scheduled m1: Réunion", reply.text
    assert "Read as: Tue 1 Dec 2026 14:00 (UTC+1)" in reply.text
    assert 'read in French as "tuesday. 1 december. 14:00"' in reply.text


async def test_a_time_ending_a_sentence_is_booked_at_that_time(ask):
    """ "/schedule X | tomorrow at 10:00." (a mail's sentence, ending with its stop) was
    booked at 09:00 and the invitations sent for it; "next week." proposed Monday's
    slots alone."""
    reply = await ask("/schedule Budget | tomorrow at 10:00.", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert "Read as: Tue 24 Nov 2026 10:00 (UTC+1)" in reply.text
    reply = await ask("/schedule Budget | next week.", who=CHAIR)
    assert reply.title == (
        "Proposed slots for Budget (next week, Monday 30 November 2026 - Sunday 6 December "
        "2026, 60 minutes)"
    ), reply.text


async def test_a_french_or_spanish_date_is_booked_and_the_reading_says_how(ask):
    """ "le 3 décembre à 14h" and "3 de diciembre 14:00" got "I cannot read"."""
    reply = await ask("/schedule Réunion | le 3 décembre à 14h | 60m", who=CHAIR)
    assert reply.title == "Scheduled m1: Réunion", reply.text
    assert (
        'Read as: Thu 3 Dec 2026 14:00 (UTC+1) your zone, Europe/Zurich ("le 3 décembre à '
        '14h" read in French as "3 december 14:00")' in reply.text
    )
    reply = await ask("/schedule Reunión | 3 de diciembre 14:00 Mexico City time", who=CHAIR)
    assert reply.title == "Scheduled m2: Reunión", reply.text
    assert "UTC: Thu 3 Dec 2026 20:00" in reply.text
    assert 'read in Spanish as "3 december 14:00"' in reply.text


async def test_a_dotted_pair_alone_is_asked_not_read_as_todays_slots(ask):
    """ "/schedule X | 10.12" proposed slots for the rest of today."""
    reply = await ask("/schedule Budget | 10.12", who=CHAIR)
    assert reply.error
    assert reply.text.startswith(
        '"10.12" could be 10 December or 10:12: which one? Write the month as a word for the '
        "day, or the time with a colon.\n"
    )
    assert "/schedule Budget | 10 Dec  (or: /schedule Budget | 10:12)" in reply.text


async def test_a_mistyped_weekday_is_read_and_the_reply_shows_the_reading(ask):
    """ "/schedule X | Thrusday 10:00" got "I cannot read"."""
    reply = await ask("/schedule Budget | Thrusday 10:00", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert (
        'Read as: Thu 26 Nov 2026 10:00 (UTC+1) your zone, Europe/Zurich ("Thrusday 10:00" '
        'read as "Thursday 10:00")' in reply.text
    )


async def test_a_zone_named_in_french_is_the_one_booked(ask):
    """ "/schedule X | le 3 décembre à 14h heure de Genève" got "I cannot read"."""
    reply = await ask("/schedule Budget | le 3 décembre à 14h heure de Genève", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert 'Read as: Thu 3 Dec 2026 14:00 (UTC+1) Geneva time ("heure de Genève")' in reply.text


async def test_a_date_in_chinese_in_beijing_time_is_booked(ask):
    """ "/schedule 预算 | 12月3日下午2点 北京时间" got "I cannot read"."""
    reply = await ask("/schedule 预算 | 12月3日下午2点 北京时间", who=CHAIR)
    assert reply.title == "Scheduled m1: 预算", reply.text
    assert "UTC: Thu 3 Dec 2026 06:00" in reply.text
    assert '("12月3日下午2点" read in Chinese as "3 December 2:00pm")' in reply.text


async def test_an_hour_alone_is_asked_not_dropped_for_the_whole_day(ask):
    """ "/schedule X | tomorrow at 3" proposed slots over all of tomorrow."""
    reply = await ask("/schedule Budget | tomorrow at 3", who=CHAIR)
    assert reply.error
    assert reply.text.startswith(
        '"at 3" could be 03:00 or 15:00: which one? Write the time in full.\n'
    )
    assert "/schedule Budget | tomorrow at 15:00  (or: /schedule Budget | tomorrow at 03:00)" in (
        reply.text
    )


@pytest.mark.parametrize("when", ["a Friday 14:00", "at 14:00 on a Friday"])
async def test_a_weekday_with_its_article_is_that_weekday_not_the_first(ask, when):
    """ "/schedule X | a Friday 14:00" was booked for Tuesday 1 December, the "a" read
    as one, the 1st, and the invitations sent."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert "Read as: Fri 27 Nov 2026 14:00 (UTC+1)" in reply.text, reply.text


async def test_the_question_about_an_hour_alone_keeps_the_zone_named(ask):
    """ "/schedule X | 3 Dec at 9 Beijing time" offered "3 Dec at 09:00", which books
    09:00 in Geneva, the chair's zone: 16:00 in Beijing."""
    reply = await ask("/schedule Budget | 3 Dec at 9 Beijing time", who=CHAIR)
    assert reply.error
    assert (
        "/schedule Budget | 3 Dec at 21:00 Beijing time  "
        "(or: /schedule Budget | 3 Dec at 09:00 Beijing time)"
    ) in reply.text, reply.text
    dotted = await ask("/schedule Budget | 10.12 New York time", who=CHAIR)
    assert (
        "/schedule Budget | 10 Dec New York time  (or: /schedule Budget | 10:12 New York time)"
    ) in dotted.text, dotted.text
    booked = await ask("/schedule Budget | 3 Dec at 09:00 Beijing time", who=CHAIR)
    assert "UTC: Thu 3 Dec 2026 01:00" in booked.text, booked.text


async def test_a_time_restated_in_utc_as_invitations_write_it_is_booked(ask):
    """ "/schedule X | 3 Dec 14:00 CET (13:00 UTC)" got "I cannot read"."""
    reply = await ask("/schedule Budget | 3 Dec 14:00-15:30 CET (13:00-14:30 UTC)", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert (
        'Read as: Thu 3 Dec 2026 14:00 (UTC+1) CET read as Geneva time; "13:00-14:30 UTC" '
        "agrees" in reply.text
    )
    assert "90 minutes" in reply.text


async def test_a_time_in_four_digits_as_un_documents_write_it_is_booked(ask):
    """ "/schedule X | 3 Dec 1400 hrs" was refused as the year 1400."""
    reply = await ask("/schedule Budget | 3 Dec 1400 hrs", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert "Read as: Thu 3 Dec 2026 14:00 (UTC+1) your zone, Europe/Zurich" in reply.text


async def test_a_weekday_that_is_not_the_dates_books_nothing_and_asks(ask, services):
    """ "/schedule X | Friday 3 Dec 14:00" sent invitations for Thursday 3 December."""
    reply = await ask("/schedule Budget | Friday 3 Dec 14:00 | 60m | list", who=CHAIR)
    assert reply.error
    assert reply.text.startswith(
        '"Friday 3 Dec 14:00": 3 December 2026 is a Thursday, not a Friday. Write the weekday '
        "and the date of the day you mean.\nFor example: /schedule Budget | Thursday 3 Dec "
        "14:00  (or: /schedule Budget | Friday 4 Dec 14:00)"
    )
    assert await rows(services, "invite") == []


@pytest.mark.parametrize(
    ("when", "says", "example"),
    [
        (
            "Di 14:00",
            '"Di" could be Sunday (French) or Tuesday (German, Dutch): which one?',
            "/schedule Budget | Sunday 14:00  (or: /schedule Budget | Tuesday 14:00)",
        ),
        (
            "do 15:00",
            '"do" could be Sunday (Spanish) or Thursday (German, Dutch): which one?',
            "/schedule Budget | Sunday 15:00  (or: /schedule Budget | Thursday 15:00)",
        ),
        ("mar 10h", '"mar" could be March (English, ', "/schedule Budget | Tuesday 10h"),
    ],
)
async def test_a_short_day_word_languages_read_differently_is_asked(
    ask, services, when, says, example
):
    """ "/schedule X | Di 14:00" (German Dienstag) sent invitations for Sunday, "do 15:00"
    (Dutch donderdag) too, and "mar 10h" (mardi) for 23 March."""
    reply = await ask(f"/schedule Budget | {when} | 60m | list", who=CHAIR)
    assert reply.error, reply.text
    assert reply.text.startswith(says), reply.text
    assert example in reply.text
    assert await rows(services, "invite") == []


async def test_a_short_day_word_languages_agree_on_is_read(ask):
    reply = await ask("/schedule Budget | sam 10h", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert "Read as: Sat 28 Nov 2026 10:00 (UTC+1)" in reply.text


async def test_tomorrow_morning_proposes_morning_slots_only(ask):
    """ "/schedule X | tomorrow morning" proposed 14:30 among its slots."""
    reply = await ask("/schedule Budget | tomorrow morning | 30m | Fabio Bigi", who=CHAIR)
    assert reply.title == (
        "Proposed slots for Budget (on Tuesday 24 November 2026 in the morning (08:00-12:00 "
        "Europe/Zurich), 30 minutes)"
    ), reply.text
    starts = re.findall(r"\d\. Tue 24 Nov 2026 (\d\d:\d\d) \(UTC\+1\) your time", reply.text)
    assert starts and all("08:00" <= start <= "11:30" for start in starts), reply.text


async def test_an_attendee_known_on_slack_is_shown_in_the_zone_of_their_profile(ask, services):
    """Ana never set /timezone; her Slack profile says Mexico City. The meeting showed her
    at Geneva's 14:00, 07:00 for her, in the reply and in /meetings."""
    ana = await services.context_for(
        "slack:U1ANA", "Ana Ruiz", "slack:C1", platform_zone="America/Mexico_City"
    )
    assert "America/Mexico_City" in (await services.ask(ana, "/timezone")).text
    reply = await ask("/schedule Budget | 3 Dec 2026 14:00 CET | Ana Ruiz", who=CHAIR)
    assert not reply.error, reply.text
    shown = "Mexico City (Ana Ruiz): Thu 3 Dec 2026 07:00 (UTC-6)"
    assert shown in reply.text
    listed = (await ask("/meetings m1", who=CHAIR)).text
    assert "Ana Ruiz: no answer yet · Thu 3 Dec 2026 07:00 (UTC-6)" in listed


async def test_invites_go_to_each_address_and_the_list_with_reminders_planned(ask, services):
    reply = await ask(SCHEDULE, who=CHAIR)
    assert "announced on int-sect-group@lists.itu.int" in reply.text
    invites = await rows(services, "invite")
    destinations = sorted(r.destination for r in invites)
    assert destinations == [
        "email:fabio.bigi@virgilio.it",
        "email:int-sect-group@lists.itu.int",
        "email:jane@example.org",
    ]
    by_dest = {r.destination: r.payload for r in invites}
    personal = by_dest["email:jane@example.org"]
    assert personal["calendar_method"] == "REQUEST"
    assert "METHOD:REQUEST" in personal["calendar"]
    assert "ORGANIZER;CN=chair@example.org:mailto:iscg-bot@localhost" in personal["calendar"]
    listing = by_dest["email:int-sect-group@lists.itu.int"]
    assert listing["to_list"] and listing["calendar_method"] == "PUBLISH"
    assert "METHOD:PUBLISH" in listing["calendar"] and "ATTENDEE" not in listing["calendar"]
    async with services.db.read() as conn:
        planned = await jobs.pending(conn, "meeting-reminder")
    assert [j.dedupe_key for j in planned] == [
        "meeting:1:reminder:seq:0:24h",
        "meeting:1:reminder:seq:0:15m",
    ]
    assert all(str(j.not_after) == "2026-12-03 13:00:00+00:00" for j in planned)


async def test_reschedule_keeps_the_uid_raises_the_sequence_and_replans(ask, services):
    await ask(SCHEDULE, who=CHAIR)
    reply = await ask("/reschedule m1 | 4 Dec 15:00 CET", who=CHAIR)
    assert not reply.error, reply.text
    assert "Geneva: Fri 4 Dec 2026 15:00 (UTC+1)" in reply.text
    updates = await rows(services, "update")
    first = (await rows(services, "invite"))[0].payload["calendar"]
    update = next(r for r in updates if r.destination == "email:jane@example.org").payload[
        "calendar"
    ]
    uid = icalendar.Calendar.from_ical(first).walk("VEVENT")[0]["UID"]
    event = icalendar.Calendar.from_ical(update).walk("VEVENT")[0]
    assert event["UID"] == uid and event["SEQUENCE"] == 1
    async with services.db.read() as conn:
        planned = await jobs.pending(conn, "meeting-reminder")
    assert [j.dedupe_key for j in planned] == [
        "meeting:1:reminder:seq:1:24h",
        "meeting:1:reminder:seq:1:15m",
    ]


async def test_rescheduling_to_the_same_time_sends_nothing(ask, services):
    await ask(SCHEDULE, who=CHAIR)
    moved = await ask("/reschedule m1 | 15 Dec 2026 09:00", who=CHAIR)
    assert moved.text.startswith("Moved: m1")
    sent = len(await rows(services))
    again = await ask("/reschedule m1 | 15 Dec 2026 09:00", who=CHAIR)
    assert not again.error
    assert again.text == (
        "m1 is already at Tue 15 Dec 2026 09:00 (UTC+1): nothing changed and no update was sent."
    )
    assert len(await rows(services)) == sent
    event = icalendar.Calendar.from_ical((await ask("/invite m1")).attachments[0].data)
    assert event.walk("VEVENT")[0]["SEQUENCE"] == 1


async def test_cancel_sends_cancel_and_drops_reminders(ask, services):
    await ask(SCHEDULE, who=CHAIR)
    reply = await ask("/cancel m1 | clashes with the TSAG session", who=CHAIR)
    assert "Cancelled: m1 Climate change" in reply.text
    cancels = await rows(services, "cancel")
    personal = next(r for r in cancels if r.destination == "email:jane@example.org").payload
    assert personal["calendar_method"] == "CANCEL"
    event = icalendar.Calendar.from_ical(personal["calendar"]).walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    async with services.db.read() as conn:
        assert await jobs.pending(conn, "meeting-reminder") == []
    again = await ask("/cancel m1", who=CHAIR)
    assert again.text == (
        "m1 (Climate change) was already cancelled on Mon 23 Nov 2026 09:00 (UTC+1)"
        " (clashes with the TSAG session): nothing was sent again. Upcoming meetings: /meetings"
    )
    assert len(await rows(services, "cancel")) == len(cancels)
    assert "m1" not in (await ask("/meetings")).text


async def test_reschedule_of_a_cancelled_or_past_meeting_says_so_and_how_to_hold_it_again(
    ask, clock
):
    """'/reschedule m1 | 4 Dec 15:00' of a meeting cancelled the day before answered
    "m1 is already cancelled" with the example of a meeting the chair never asked about;
    the reply now says when and why it was cancelled, and gives the /schedule that holds
    it at the time asked. A meeting over is said to be over, with the same way out (and
    /cancel of it says there is nothing to cancel)."""
    await ask(SCHEDULE, who=CHAIR)
    await ask("/cancel m1 | clashes with the TSAG session", who=CHAIR)
    moved = await ask("/reschedule m1 | 4 Dec 15:00", who=CHAIR)
    assert moved.error
    assert moved.text.startswith(
        "m1 (Climate change) was cancelled on Mon 23 Nov 2026 09:00 (UTC+1) (clashes with"
        " the TSAG session), so it cannot be moved; to hold it after all, schedule it again"
        " (its attendees are invited again).\nFor example: /schedule Climate change | 4 Dec 15:00"
        " | 60m | "
    ), moved.text
    await ask("/schedule Budget review | 24 Nov 10:00 | 90m | jane@example.org", who=CHAIR)
    clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC))
    late = await ask("/reschedule m2 | 26 Nov 10:00", who=CHAIR)
    assert late.text.startswith(
        "m2 (Budget review) was on Tue 24 Nov 2026 10:00 (UTC+1) and is over, so it cannot"
        " be moved; to meet again, schedule a new meeting.\n"
        "For example: /schedule Budget review | 26 Nov 10:00 | 90m | jane@example.org"
    ), late.text
    gone = await ask("/cancel m2", who=CHAIR)
    assert gone.text.startswith(
        "m2 (Budget review) was on Tue 24 Nov 2026 10:00 (UTC+1) and is over: there is"
        " nothing to cancel. Upcoming meetings: /meetings"
    ), gone.text


async def test_a_meeting_id_ending_a_sentence_is_still_the_meeting(ask):
    """'/cancel m1.' or '/invite m1.' (a mail's sentence) answered 'There is no meeting
    "m1."'; a stop or comma after the id is no part of it, for the organiser too."""
    await ask("/schedule Budget review | 3 Dec 14:00 | jane@example.org", who=CHAIR)
    invite = await ask("/invite m1.")
    assert invite.text.startswith("m1: Budget review, "), invite.text
    assert (await ask("/meetings M1,")).text.startswith("m1: Budget review")
    gone = await ask("/cancel m1.", who=CHAIR)
    assert "Cancelled: m1 Budget review" in gone.text, gone.text


async def test_a_meeting_named_by_a_mistyped_title_is_answered_with_its_id(ask):
    """'/cancel Budget reveiw', '/invite budget reveiw' answered 'There is no meeting
    "Budget reveiw"' though m1 is Budget review: the reply now names the id of the
    upcoming meeting of that title, in the command's own example, and does nothing on
    the guess."""
    await ask("/schedule Budget review | 3 Dec 14:00 | jane@example.org", who=CHAIR)
    for command, example in (
        ("/cancel budget reveiw", "/cancel m1"),
        ("/invite budget reveiw", "/invite m1"),
        ("/reschedule budget reveiw | 4 Dec 15:00", "/reschedule m1 | 4 Dec 15:00 Geneva time"),
    ):
        reply = await ask(command, who=CHAIR)
        assert reply.error
        assert reply.text.startswith(
            'There is no meeting "budget reveiw": did you mean'
            " Budget review (Thu 3 Dec 2026 13:00 UTC)? Its id is m1.\n"
            f"For example: {example}"
        ), reply.text
    assert "m1 · Thu 3 Dec 2026 14:00" in (await ask("/meetings")).text  # not cancelled


async def test_a_length_out_of_range_is_refused_as_a_length_not_as_an_attendee(ask):
    """'/schedule Budget | 3 Dec 14:00 | 25h' answered 'I do not know whom "25h" means':
    a third part written as a length is the length, and one too long is said to be."""
    for length in ("25h", "0m", "2 minutes"):
        reply = await ask(f"/schedule Budget | 3 Dec 14:00 | {length}", who=CHAIR)
        assert reply.error
        assert reply.text.startswith(
            f"A meeting lasts between 5 minutes and 12 hours; {length} does not."
        ), reply.text


async def test_reschedule_and_cancel_read_a_meeting_id_without_a_bar(ask, services):
    """'/reschedule m1 to 4 Dec 15:00' and '/cancel m1 because of the TSAG clash' were
    refused for want of a `|`, though a meeting id is one word; after an id (m1, not a
    bare number, which may begin a date) the rest is the time, or the reason."""
    await ask(SCHEDULE, who=CHAIR)
    moved = await ask("/reschedule m1 to 4 Dec 15:00", who=CHAIR)
    assert "Moved: m1 Climate change" in moved.text, moved.text
    assert "Geneva: Fri 4 Dec 2026 15:00 (UTC+1)" in moved.text
    again = await ask("/reschedule m1 4 Dec 16:00", who=CHAIR)
    assert "Geneva: Fri 4 Dec 2026 16:00 (UTC+1)" in again.text, again.text
    bare = await ask("/reschedule 4 Dec 17:00", who=CHAIR)
    assert bare.error and "separated by |" in bare.text
    gone = await ask("/cancel m1 because of the TSAG clash", who=CHAIR)
    assert "Cancelled: m1 Climate change" in gone.text, gone.text
    assert "Reason: because of the TSAG clash" in gone.text


@pytest.mark.parametrize(
    "command",
    ["/cancel m1: clash with TSAG", "/cancel m1 - clash with TSAG", "/cancel m1, clash with TSAG"],
)
async def test_a_reason_set_off_from_the_meeting_id_is_the_reason(ask, command):
    """'/cancel m1: clash with TSAG' got 'There is no meeting "m1: clash with TSAG"', and
    '/cancel m1 - clash with TSAG' sent every attendee the reason '- clash with TSAG'."""
    await ask(SCHEDULE, who=CHAIR)
    gone = await ask(command, who=CHAIR)
    assert "Cancelled: m1 Climate change" in gone.text, gone.text
    assert "\nReason: clash with TSAG\n" in gone.text, gone.text


@pytest.mark.parametrize("command", ["/cancel m1, m2", "/cancel m1 m2"])
async def test_two_meetings_cancelled_at_once_cancel_neither(ask, services, command):
    """'/cancel m1, m2' cancelled m1 and mailed each of its attendees 'Reason: m2',
    and m2 stood: neither is cancelled, and the chair is told no meeting is named so."""
    await ask(SCHEDULE, who=CHAIR)
    await ask(SCHEDULE.replace("3 Dec", "4 Dec"), who=CHAIR)
    reply = await ask(command, who=CHAIR)
    assert reply.error and "There is no meeting" in reply.text, reply.text
    async with services.db.read() as conn:
        for code in ("m1", "m2"):
            assert (await store.by_code(conn, code)).status == "confirmed", reply.text


@pytest.mark.parametrize(
    ("shift", "geneva"),
    [
        ("-1h", "Thu 3 Dec 2026 13:00 (UTC+1)"),
        ("- 1h", "Thu 3 Dec 2026 13:00 (UTC+1)"),
        ("- 1 day", "Wed 2 Dec 2026 14:00 (UTC+1)"),
    ],
)
async def test_a_shift_back_right_after_the_meeting_id_stays_a_shift(ask, shift, geneva):
    """'/reschedule m1 -1h': the dash is the shift's sign, not a mark after the id.
    Spaced, '/reschedule m1 - 1h' moved the meeting to 01:00 that day, and '- 1 day' to
    tomorrow ('1 day' read as a day), the dash taken as a mark before the new time."""
    await ask(SCHEDULE, who=CHAIR)
    moved = await ask(f"/reschedule m1 {shift}", who=CHAIR)
    assert f"Geneva: {geneva}" in moved.text, moved.text


async def test_moving_a_cancelled_meeting_shows_how_to_schedule_it_again(ask):
    """The chair cancelled m1, then the TSAG dates changed and they want it back:
    '/reschedule m1 | 5 Dec 14:00' showed a /schedule example of another meeting
    ('Climate change ... | management team'); it now writes this one's /schedule,
    with its title, length and attendees, at the time typed."""
    reply = await ask(
        "/schedule Budget review | 3 Dec 14:00 Geneva time | 90m | jane@example.org, list",
        who=CHAIR,
    )
    assert not reply.error, reply.text
    await ask("/cancel m1", who=CHAIR)
    again = await ask("/reschedule m1 | 5 Dec 14:00", who=CHAIR)
    assert again.error
    assert again.text.startswith("m1 (Budget review) was cancelled on"), again.text
    command = again.text.rpartition("For example: ")[2]
    assert command == "/schedule Budget review | 5 Dec 14:00 | 90m | jane@example.org, list"
    revived = await ask(command, who=CHAIR)
    assert "Scheduled m2: Budget review" in revived.text, revived.text


@pytest.mark.parametrize(
    ("when", "first"),
    [
        ("every Tuesday 14:00", "Tuesday 14:00"),
        ("Tuesdays at 14:00 Geneva time", "Tuesday at 14:00 Geneva time"),
        ("weekly on Thursday 9:00 Beijing time", "Thursday 9:00 Beijing time"),
        ("every other Monday 10:00", "Monday 10:00"),
        ("first Monday of each month 14:00", "3 Dec 14:00 Geneva time"),
    ],
)
async def test_a_series_is_refused_with_its_first_meeting_to_schedule(ask, when, first):
    """'/schedule Weekly sync | every Tuesday 14:00' got 'I cannot read ... as a date and
    time', as if the day or hour were wrong. The bot books one meeting at a time: it
    says so, and gives the command for the first one where the text names one."""
    reply = await ask(f"/schedule Weekly sync | {when} | 60m | jane@example.org", who=CHAIR)
    assert reply.error
    assert reply.text.startswith(
        "I schedule one meeting at a time, not a series: schedule the first one now"
    ), reply.text
    assert reply.text.endswith(f"For example: /schedule Weekly sync | {first}"), reply.text


async def test_reschedule_takes_a_new_length_with_the_new_time(ask, services):
    """'/reschedule m1 | 4 Dec 14:00-16:00' moved the meeting but kept its 60 minutes,
    saying nothing of the 16:00 typed; '/reschedule m1 | 7 Dec 14:00 | 90m', the
    length as /schedule takes it, was read as 7 Dec 2090. Both now set the length,
    the reply says so, and the update carries it."""
    await ask(SCHEDULE, who=CHAIR)
    moved = await ask("/reschedule m1 | 4 Dec 14:00-16:00", who=CHAIR)
    assert not moved.error, moved.text
    assert "Now 120 minutes long (it was 60)." in moved.text, moved.text
    async with services.db.read() as conn:
        meeting = await store.by_code(conn, "m1")
    assert meeting.end - meeting.start == dt.timedelta(hours=2)
    event = icalendar.Calendar.from_ical(moved.attachments[0].data).walk("VEVENT")[0]
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(hours=2)
    longer = await ask("/reschedule m1 | 7 Dec 14:00 | 90m", who=CHAIR)
    assert not longer.error, longer.text
    assert "Now 90 minutes long (it was 120)." in longer.text, longer.text
    # The same time with only a new length is a change too; the same both is none.
    shorter = await ask("/reschedule m1 | 7 Dec 14:00 | 45m", who=CHAIR)
    assert "Now 45 minutes long (it was 90)." in shorter.text, shorter.text
    same = await ask("/reschedule m1 | 7 Dec 14:00 | 45m", who=CHAIR)
    assert "nothing changed and no update was sent" in same.text, same.text
    wrong = await ask("/reschedule m1 | 7 Dec 14:00 | Jane", who=CHAIR)
    assert wrong.error and '"Jane" is not a length' in wrong.text, wrong.text


async def test_proposals_say_whose_zone_was_not_known(ask):
    """Slots for Ana, invited by address with no zone the bot knows, were ranked as if
    she were in Geneva, and nothing told the chair, who could not see she might be in
    Mexico City at 06:00. The proposals now say whose zone was taken as Geneva's."""
    reply = await ask("/schedule Sync | next week | 60m | ana@example.mx", who=CHAIR)
    assert not reply.error, reply.text
    assert (
        "Zone not known, taken as Geneva's: ana. They can set theirs by mail to the bot:"
        " /timezone America/Mexico_City" in reply.text
    ), reply.text
    known = await ask("/schedule Sync | next week | 60m | Fabio Bigi", who=CHAIR)
    assert "Zone not known" not in known.text, known.text


@pytest.mark.parametrize(
    ("shift", "hour", "minute"),
    [
        ("+1h", 15, 0),
        ("+ 30m", 14, 30),
        ("-1h", 13, 0),
        ("1 hour later", 15, 0),
        ("an hour earlier", 13, 0),
        ("90 minutes later", 15, 30),
        ("later by 1h30", 15, 30),
    ],
)
async def test_reschedule_by_a_shift_moves_from_the_meetings_own_time(
    ask, services, shift, hour, minute
):
    """'/reschedule m1 | +1h' (of a meeting at 14:00 on 3 December) moved it to 01:00
    that night and sent every attendee the update; 'one hour later' was refused as 'a
    window'. A shift now moves the meeting from its own time, and says so."""
    await ask(SCHEDULE, who=CHAIR)
    moved = await ask(f"/reschedule m1 | {shift}", who=CHAIR)
    assert not moved.error, moved.text
    async with services.db.read() as conn:
        meeting = await store.by_code(conn, "m1")
    local = meeting.start.astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert (local.date(), local.hour, local.minute) == (dt.date(2026, 12, 3), hour, minute)
    assert f'"{shift}" from its time, Thu 3 Dec 2026 14:00 (UTC+1)' in moved.text, moved.text


@pytest.mark.parametrize(
    ("shift", "start", "said"),
    [
        ("+1 day", dt.datetime(2026, 12, 4, 13, 0, tzinfo=dt.UTC), '"+1 day" from its time'),
        ("a week later", dt.datetime(2026, 12, 10, 13, 0, tzinfo=dt.UTC), "from its time"),
        ("+1h CET", dt.datetime(2026, 12, 3, 14, 0, tzinfo=dt.UTC), "CET read as Geneva time"),
        ("+1h Beijing time", dt.datetime(2026, 12, 3, 14, 0, tzinfo=dt.UTC), "22:00 (UTC+8)"),
    ],
)
async def test_reschedule_by_days_or_with_a_zone_moves_from_the_meetings_own_time(
    ask, services, shift, start, said
):
    """Of a meeting at 14:00 on 3 December, '/reschedule m1 | +1 day' moved it to
    tomorrow, 24 November ('a week later' to 30 November), and '+1h CET' to 01:00 that
    night, the updates sent to every attendee."""
    await ask(SCHEDULE, who=CHAIR)
    moved = await ask(f"/reschedule m1 | {shift}", who=CHAIR)
    assert not moved.error, moved.text
    assert said in moved.text, moved.text
    async with services.db.read() as conn:
        assert (await store.by_code(conn, "m1")).start == start, moved.text


@pytest.mark.parametrize(
    ("chair_zone", "set_at", "move", "start", "read"),
    [
        # Europe's clocks go back on 31 October 2027 and forward on 28 March 2027; Mexico
        # City's and Beijing's do not move.
        (
            "America/Mexico_City",
            "28 Oct 2027 14:00 Geneva time",
            "+7 days",
            dt.datetime(2027, 11, 4, 13, 0, tzinfo=dt.UTC),
            "Thu 4 Nov 2027 14:00 (UTC+1) the meeting's zone, Europe/Zurich",
        ),
        (
            "Asia/Shanghai",
            "25 Mar 2027 14:00 Geneva time",
            "a week later",
            dt.datetime(2027, 4, 1, 12, 0, tzinfo=dt.UTC),
            "Thu 1 Apr 2027 14:00 (UTC+2) the meeting's zone, Europe/Zurich",
        ),
        (
            "America/Mexico_City",
            "28 Oct 2027 14:00 Geneva time",
            "Thursday 4 Nov 2027",
            dt.datetime(2027, 11, 4, 13, 0, tzinfo=dt.UTC),
            "at its own time",
        ),
        (
            "America/Mexico_City",
            "28 Oct 2027 14:00 Geneva time",
            "same time on 4 Nov 2027",
            dt.datetime(2027, 11, 4, 13, 0, tzinfo=dt.UTC),
            "at its own time",
        ),
        # Set in Mexico City time, moved by a chair in Geneva: 08:00 there it stays.
        (
            "Europe/Zurich",
            "28 Oct 2027 08:00 Mexico City time",
            "+7 days",
            dt.datetime(2027, 11, 4, 14, 0, tzinfo=dt.UTC),
            "Thu 4 Nov 2027 08:00 (UTC-6) the meeting's zone, America/Mexico_City",
        ),
    ],
)
async def test_a_move_by_days_keeps_the_hour_in_the_zone_the_meeting_was_set_in(
    ask, services, chair_zone, set_at, move, start, read
):
    """A chair in Mexico City moved a 14:00 Geneva meeting '+7 days' across Europe's
    clock change: the days were counted on Mexico City's clock, and the meeting landed
    at 13:00 Geneva. A weekly meeting keeps its hour in the zone it was set in."""
    await ask(f"/timezone {chair_zone}", who=CHAIR)
    assert not (
        await ask(f"/schedule RAG sync | {set_at} | 60m | jane@example.org", who=CHAIR)
    ).error
    moved = await ask(f"/reschedule m1 | {move}", who=CHAIR)
    assert not moved.error, moved.text
    assert read in moved.text, moved.text
    async with services.db.read() as conn:
        assert (await store.by_code(conn, "m1")).start == start, moved.text
    # Moved again from there, it keeps the same clock.
    again = await ask("/reschedule m1 | +7 days", who=CHAIR)
    async with services.db.read() as conn:
        assert (await store.by_code(conn, "m1")).start == start + dt.timedelta(days=7), again.text


@pytest.mark.parametrize("shift", ["+1", "+15", "+1:30"])
async def test_a_shift_that_says_not_by_how_much_is_asked(ask, services, shift):
    """'/reschedule m1 | +1' moved the meeting to 1 December, '+15' to the 15th."""
    await ask(SCHEDULE, who=CHAIR)
    asked = await ask(f"/reschedule m1 | {shift}", who=CHAIR)
    assert asked.error
    assert asked.text.startswith(f'"{shift}" says a move, but not by how much'), asked.text
    async with services.db.read() as conn:
        meeting = await store.by_code(conn, "m1")
    assert meeting.start == dt.datetime(2026, 12, 3, 13, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("when", "day"),
    [("same time on Friday", 27), ("Friday, same time", 27), ("4 Dec same time", 4)],
)
async def test_reschedule_to_the_same_time_another_day(ask, services, when, day):
    """'/reschedule m1 | same time on Friday' got 'I know no place called "same"'; the
    same time is the meeting's own (14:00 here), in the reader's zone, on the day named
    (Friday, as any weekday, the next one: 27 November)."""
    await ask(SCHEDULE, who=CHAIR)
    moved = await ask(f"/reschedule m1 | {when}", who=CHAIR)
    assert not moved.error, moved.text
    async with services.db.read() as conn:
        meeting = await store.by_code(conn, "m1")
    month = 11 if day > 4 else 12
    assert meeting.start == dt.datetime(2026, month, day, 13, 0, tzinfo=dt.UTC), moved.text


@pytest.mark.parametrize(
    ("when", "start", "read"),
    [
        # Said on Monday 23 November 2026, of a meeting on Thursday 26 November.
        ("same time next week", dt.datetime(2026, 12, 3, 13, 0, tzinfo=dt.UTC), "3 December"),
        ("next week, same time", dt.datetime(2026, 12, 3, 13, 0, tzinfo=dt.UTC), "3 December"),
        ("same time in January", dt.datetime(2027, 1, 7, 13, 0, tzinfo=dt.UTC), "7 January"),
    ],
)
async def test_reschedule_to_the_same_time_in_a_week_or_month_named(
    ask, services, when, start, read
):
    """'/reschedule m1 | same time next week' got '"same time next week" is a window;
    moving a meeting needs a precise time': it is the meeting's weekday in the week (or
    month) named, at its own time."""
    assert not (
        await ask("/schedule Budget | 26 Nov 14:00 | 60m | jane@example.org", who=CHAIR)
    ).error
    moved = await ask(f"/reschedule m1 | {when}", who=CHAIR)
    assert not moved.error, moved.text
    assert f'("{when}": Thursday {read} 20' in moved.text, moved.text
    async with services.db.read() as conn:
        assert (await store.by_code(conn, "m1")).start == start, moved.text


async def test_a_week_to_move_a_meeting_into_is_answered_with_what_to_type(ask, services):
    """'/reschedule m1 | next week' was refused with an example on another day and hour
    ('4 Dec 15:00 Geneva time'); the example is now the command that keeps the meeting's
    weekday and hour in that week, and it moves it there."""
    await ask("/schedule Budget | 26 Nov 14:00 Geneva time | jane@example.org", who=CHAIR)
    window = await ask("/reschedule m1 | next week", who=CHAIR)
    assert window.error and "is a window" in window.text, window.text
    assert window.text.endswith("For example: /reschedule m1 | same time next week"), window.text
    moved = await ask(window.text.rpartition("For example: ")[2], who=CHAIR)
    assert moved.text.startswith("Moved: m1 Budget"), moved.text
    async with services.db.read() as conn:
        meeting = await store.by_code(conn, "m1")
    assert meeting.start == dt.datetime(2026, 12, 3, 13, 0, tzinfo=dt.UTC), moved.text


async def test_the_week_a_meeting_is_in_is_answered_with_a_time_that_moves_it(ask):
    """'/reschedule m1 | this week', of a meeting this Thursday, answered 'For example:
    /reschedule m1 | same time this week', which is its own time: typing it got 'm1 is
    already at Thu 26 Nov 2026 14:00: nothing changed'."""
    await ask("/schedule Budget | 26 Nov 14:00 Geneva time | jane@example.org", who=CHAIR)
    window = await ask("/reschedule m1 | this week", who=CHAIR)
    assert window.error and "is a window" in window.text, window.text
    moved = await ask(window.text.rpartition("For example: ")[2], who=CHAIR)
    assert moved.text.startswith("Moved: m1 Budget"), moved.text


async def test_the_same_time_next_week_in_a_zone_named_keeps_the_meetings_weekday(ask, services):
    """'/reschedule m1 | next week Geneva time' answered 'For example: /reschedule m1 |
    same time next week Geneva time', and typing that moved the Thursday meeting to
    Monday 30 November, 'next week 14:00' read as a week from today."""
    await ask("/timezone America/Mexico_City", who=CHAIR)
    await ask("/schedule Budget | 26 Nov 14:00 Geneva time | jane@example.org", who=CHAIR)
    window = await ask("/reschedule m1 | next week Geneva time", who=CHAIR)
    command = window.text.rpartition("For example: ")[2]
    assert command == "/reschedule m1 | same time next week Geneva time", window.text
    moved = await ask(command, who=CHAIR)
    assert "Read as: Thu 3 Dec 2026 14:00 (UTC+1) Geneva time" in moved.text, moved.text
    async with services.db.read() as conn:
        meeting = await store.by_code(conn, "m1")
    assert meeting.start == dt.datetime(2026, 12, 3, 13, 0, tzinfo=dt.UTC), moved.text


async def test_a_new_length_made_elsewhere_is_told_as_a_change_not_a_move(ask, services):
    """The chair lengthened m1 from their mailbox ('/reschedule m1 | 3 Dec 14:00 | 90m'):
    the channel it was scheduled in was told 'Moved: m1 Climate change' at the very
    time it had, and its members looked for a new time that was not there."""
    assert not (await ask(SCHEDULE, who=CHAIR, channel="iscg")).error
    longer = await ask("/reschedule m1 | 3 Dec 14:00 Geneva time | 90m", who=CHAIR)
    assert longer.text.startswith("Changed: m1 Climate change"), longer.text
    async with services.db.read() as conn:
        [told] = [r for r in await outbox.by_kind(conn, "update") if r.platform == "console"]
    assert told.destination == "console:iscg"
    assert told.payload["text"].startswith("Changed: m1 Climate change"), told.payload["text"]


async def test_a_meeting_may_be_named_by_its_title(ask, services):
    """'/cancel Budget review' and '/meetings budget review' got 'There is no meeting
    "Budget review". Meetings have ids like m3', though the chair had just scheduled it
    under that title. A title names its meeting when one standing meeting has it; when
    several do, the reply lists their ids to choose from."""
    assert not (
        await ask("/schedule Budget review | 3 Dec 14:00 | 60m | jane@example.org", who=CHAIR)
    ).error
    assert not (await ask(SCHEDULE, who=CHAIR)).error
    detail = await ask("/meetings budget  REVIEW")
    assert not detail.error and detail.text.startswith("m1: Budget review"), detail.text
    cancelled = await ask("/cancel Budget review | clash", who=CHAIR)
    assert "Cancelled: m1 Budget review" in cancelled.text, cancelled.text
    # Scheduled again under the same title: the standing one is meant.
    assert not (
        await ask("/schedule Budget review | 4 Dec 14:00 | 60m | jane@example.org", who=CHAIR)
    ).error
    moved = await ask("/reschedule Budget review | 5 Dec 14:00", who=CHAIR)
    assert "Moved: m3 Budget review" in moved.text, moved.text
    assert not (
        await ask("/schedule Budget review | 8 Dec 14:00 | 60m | jane@example.org", who=CHAIR)
    ).error
    which = await ask("/cancel Budget review", who=CHAIR)
    assert which.error
    assert which.text.startswith(
        '2 meetings are called "Budget review": m3 (Sat 5 Dec 2026 14:00 (UTC+1) Geneva),'
        " m4 (Tue 8 Dec 2026 14:00 (UTC+1) Geneva). Name one by its id."
    ), which.text


@pytest.mark.parametrize(
    ("when", "start"),
    [
        ("Friday", dt.datetime(2026, 11, 27, 13, 0, tzinfo=dt.UTC)),
        ("4 Dec", dt.datetime(2026, 12, 4, 13, 0, tzinfo=dt.UTC)),
        ("tomorrow", dt.datetime(2026, 11, 24, 13, 0, tzinfo=dt.UTC)),
        # The meeting's time where the day is named: 14:00 Geneva is 21:00 in Beijing.
        ("4 Dec Beijing time", dt.datetime(2026, 12, 4, 13, 0, tzinfo=dt.UTC)),
    ],
)
async def test_reschedule_to_a_day_keeps_the_meetings_time(ask, services, when, start):
    """'/reschedule m1 | Friday' got '"Friday" is a window; moving a meeting needs a
    precise time': a day alone now moves the meeting to that day at its own time."""
    await ask(SCHEDULE, who=CHAIR)
    moved = await ask(f"/reschedule m1 | {when}", who=CHAIR)
    assert not moved.error, moved.text
    async with services.db.read() as conn:
        assert (await store.by_code(conn, "m1")).start == start, moved.text
    assert "at its own time" in moved.text, moved.text
    window = await ask("/reschedule m1 | next week", who=CHAIR)
    assert window.error and "is a window" in window.text, window.text


async def test_a_shift_is_no_time_for_a_new_meeting(ask):
    reply = await ask("/schedule Sync | +1h | 60m | jane@example.org", who=CHAIR)
    assert reply.error
    assert '"+1h" moves a meeting from its time' in reply.text, reply.text
    assert reply.text.endswith("For example: /schedule Sync | in 1 hour"), reply.text


async def test_meetings_lists_in_the_readers_zone_and_shows_answers(ask, services):
    await ask(SCHEDULE, who=CHAIR)
    await ask("/timezone America/Mexico_City", who="console:victor")
    listing = await ask("/meetings", who="console:victor")
    assert "m1 · Thu 3 Dec 2026 07:00 (UTC-6) · Climate change · 2 no answer" in listing.text
    async with services.db.transaction() as conn:
        meeting = await store.by_code(conn, "m1")
        assert await store.set_partstat(conn, meeting.uid, "mailto:Jane@Example.org", "ACCEPTED")
        assert not await store.set_partstat(conn, meeting.uid, "nobody@example.org", "ACCEPTED")
    detail = await ask("/meetings m1")
    assert "• jane: accepted" in detail.text
    assert "• Fabio Bigi: no answer yet" in detail.text


async def test_invite_returns_the_ics(ask):
    await ask(SCHEDULE, who=CHAIR)
    reply = await ask("/invite m1")
    (ics,) = reply.attachments
    assert b"SEQUENCE:0" in ics.data and b"BEGIN:VTIMEZONE" in ics.data
    unknown = await ask("/invite m9")
    assert unknown.error and 'no meeting "m9"' in unknown.text


async def test_invite_gives_one_not_invited_a_copy_not_a_meeting_request(ask):
    """A member not invited to m1 asks /invite m1: the file was the attendees' invitation
    (METHOD:REQUEST, every attendee's address, RSVP), which Outlook and Apple Calendar
    show as a meeting request they were never sent. They now get a copy to import
    (PUBLISH, no attendees), the same event by UID and SEQUENCE as the invitation the
    attendees had, which the chair and an attendee invited by address still get."""
    await ask(SCHEDULE, who=CHAIR)
    await ask("/reschedule m1 | 4 Dec 2026 15:00", who=CHAIR)
    files = {
        who: icalendar.Calendar.from_ical((await ask("/invite m1", who=who)).attachments[0].data)
        for who in ("console:member", CHAIR, "email:jane@example.org")
    }
    copy, invitation, jane = files.values()
    assert copy["METHOD"] == "PUBLISH"
    assert invitation["METHOD"] == jane["METHOD"] == "REQUEST"
    [event] = copy.walk("VEVENT")
    assert "ATTENDEE" not in event
    [invited] = invitation.walk("VEVENT")
    assert (event["UID"], event["SEQUENCE"]) == (invited["UID"], invited["SEQUENCE"])
    assert invited["SEQUENCE"] == 1
    assert (await ask("/invite m1")).attachments[0].content_type == (
        "text/calendar; method=PUBLISH; charset=utf-8"
    )


async def test_invite_for_a_cancelled_meeting_says_the_file_removes_it(ask):
    await ask(SCHEDULE, who=CHAIR)
    await ask("/cancel m1 | clashes with the TSAG session", who=CHAIR)
    reply = await ask("/invite m1", who="email:jane@example.org")
    assert reply.text == (
        "m1: Climate change, Thu 3 Dec 2026 14:00 (UTC+1). This meeting was cancelled "
        "(clashes with the TSAG session). Open the attached file to remove it from your calendar."
    )
    (ics,) = reply.attachments
    assert icalendar.Calendar.from_ical(ics.data)["METHOD"] == "CANCEL"
    await ask("/schedule Other | 4 Dec 14:00", who=CHAIR)
    await ask("/cancel m2", who=CHAIR)
    plain = await ask("/invite m2", who=CHAIR)
    assert "This meeting was cancelled. Open the attached file to remove it" in plain.text


async def test_invite_for_a_cancelled_meeting_names_no_attendee_to_one_not_invited(ask):
    """A member not invited to m1, cancelled, asks /invite m1: they got its CANCEL, which
    names every attendee's address, when the live meeting's copy names none. They now get
    the copy to import marked cancelled (PUBLISH, STATUS:CANCELLED, the same UID and
    SEQUENCE as the attendees' CANCEL), and are told what opening it does."""
    await ask(SCHEDULE, who=CHAIR)
    await ask("/cancel m1 | clashes with the TSAG session", who=CHAIR)
    reply = await ask("/invite m1")
    assert reply.text == (
        "m1: Climate change, Thu 3 Dec 2026 14:00 (UTC+1). This meeting was cancelled "
        "(clashes with the TSAG session). Open the attached file to mark it cancelled in your "
        "calendar, if you had added it."
    )
    (ics,) = reply.attachments
    assert ics.content_type == "text/calendar; method=PUBLISH; charset=utf-8"
    assert b"jane@example.org" not in ics.data
    copy = icalendar.Calendar.from_ical(ics.data)
    assert copy["METHOD"] == "PUBLISH"
    [event] = copy.walk("VEVENT")
    assert "ATTENDEE" not in event and event["STATUS"] == "CANCELLED"
    chair = icalendar.Calendar.from_ical((await ask("/invite m1", who=CHAIR)).attachments[0].data)
    assert chair["METHOD"] == "CANCEL"
    [cancel] = chair.walk("VEVENT")
    assert (event["UID"], event["SEQUENCE"]) == (cancel["UID"], cancel["SEQUENCE"])


async def test_a_window_proposes_three_slots_and_pick_creates_one(ask, services, chair_sessions):
    reply = await ask("/schedule ISCG coordination | between RAG and TDAG", who=CHAIR)
    assert not reply.error, reply.text
    assert reply.text.startswith(
        "Proposed slots for ISCG coordination (between RAG, 25-27 May 2027"
    )
    assert [b.command for b in reply.buttons] == [
        "schedule pick 1",
        "schedule pick 2",
        "schedule pick 3",
    ]
    # Every proposal shows every attendee's local time.
    assert reply.text.count("Beijing (Noah LUO)") == 3
    # Not Friday 28 May: the weekend of Ahmad, in Tehran.
    assert "1. Mon 31 May 2027 14:30 (UTC+2) your time" in reply.text
    picked = await ask("/schedule pick 1", who=CHAIR)
    assert picked.title == "Scheduled m1: ISCG coordination"
    again = await ask("/schedule pick 1", who=CHAIR)
    assert again.error and "no proposed slots" in again.text


def your_times(text: str) -> list[dt.datetime]:
    """The proposed slots as the organiser reads them ("1. Tue 8 Dec 2026 14:00 (UTC+1) ...")."""
    found = re.findall(
        r"^\d\. \w{3} (\d+ \w{3} \d{4} \d\d:\d\d) \(UTC[^)]*\) your time$", text, re.M
    )
    return [dt.datetime.strptime(when, "%d %b %Y %H:%M") for when in found]


async def set_zones(ask, zones: dict[str, str]) -> None:
    for who, zone in zones.items():
        assert not (await ask(f"/timezone {zone}", who=who)).error


async def test_proposals_respect_the_organisers_own_hours(ask):
    await set_zones(
        ask,
        {"email:li@example.org": "Asia/Shanghai", "email:jane@example.org": "America/Mexico_City"},
    )
    reply = await ask("/schedule G | next week | 60m | li@example.org, jane@example.org", who=CHAIR)
    assert not reply.error, reply.text
    # Beijing and Mexico City alone would meet at 01:00 Geneva; the chair in Geneva attends too.
    times = your_times(reply.text)
    assert len(times) == 3
    assert all(
        dt.time(6) <= t.time() and (t + dt.timedelta(hours=1)).time() <= dt.time(23) for t in times
    )
    assert all(t.weekday() < 5 for t in times)


def costs(text: str) -> list[str]:
    return re.findall(r"^worst-off attendee's cost .*$", text, re.M)


async def test_a_chair_elsewhere_is_proposed_slots_in_their_hours_and_counted_once(ask):
    await set_zones(ask, {"email:li@example.org": "Asia/Shanghai", CHAIR: "America/Mexico_City"})
    asked = "/schedule G | next week | 60m | li@example.org, Fabio Bigi"
    reply = await ask(asked, who=CHAIR)
    assert not reply.error, reply.text
    times = your_times(reply.text)
    assert len(times) == 3
    assert all(dt.time(6) <= t.time() <= dt.time(22) and t.weekday() < 5 for t in times)
    assert costs(reply.text) and "cost 0, total 0" not in reply.text
    # Listing oneself changes nothing: the chair's early hour is counted once, not twice.
    listed = await ask(f"{asked}, chair@example.org", who=CHAIR)
    assert your_times(listed.text) == times and costs(listed.text) == costs(reply.text)


async def test_a_window_with_no_free_slot_says_so(ask, chair_sessions):
    reply = await ask("/schedule ISCG coordination | during TSAG", who=CHAIR)
    assert reply.error and "No free slot during TSAG" in reply.text
    assert "For example: /schedule ISCG coordination | next week" in reply.text


async def test_refusals_name_the_failing_part(ask):
    past = await ask("/schedule X | 2 Nov 2026 10:00", who=CHAIR)
    assert past.error and "in the past" in past.text
    zone = await ask("/schedule X | 3 Dec 14:00 CST", who=CHAIR)
    assert zone.error and '"CST" could mean' in zone.text
    group = await ask("/schedule X | during FOO", who=CHAIR)
    assert group.error and 'no group called "FOO"' in group.text
    who = await ask("/schedule X | 3 Dec 14:00 | 60m | nobody-known-here", who=CHAIR)
    assert who.error and 'whom "nobody-known-here" means' in who.text
    form = await ask("/schedule just a title", who=CHAIR)
    assert form.error and "Give a title and when" in form.text


async def test_group_words_and_themes_as_attendees(ask, services):
    reply = await ask("/schedule T | 3 Dec 14:00 | TSAG representatives", who=CHAIR)
    assert "Attendees\nDominique Wurges, Noah LUO" in reply.text
    await ask("/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG", who=CHAIR)
    themed = await ask("/schedule A11y | 3 Dec 16:00 | 45m | accessibility", who=CHAIR)
    assert "Attendees\nJane Doe" in themed.text and "45 minutes" in themed.text


async def test_attendees_pasted_with_their_names_as_outlook_writes_them(ask):
    """`Jane Doe <jane@example.org>` was refused: "I do not know whom ... means"."""
    await ask("/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG", who=CHAIR)
    pasted = "Ana Lima <ana@example.br>; \"Doe, John\" <john@example.org>, 'Li Wei' <li@example.cn>"
    reply = await ask(f"/schedule A11y | 3 Dec 16:00 | {pasted}; accessibility", who=CHAIR)
    assert "Attendees\nAna Lima, Doe, John, Li Wei, Jane Doe" in reply.text, reply.text
    event = icalendar.Calendar.from_ical(reply.attachments[0].data).walk("VEVENT")[0]
    invited = {str(a): a.params["CN"] for a in event["ATTENDEE"]}
    assert invited["mailto:john@example.org"] == "Doe, John"
    # A coordinator's own theme is found among attendees pasted so, too.
    own = await ask(
        f"/schedule A11y 2 | 3 Dec 17:00 | {pasted}; accessibility", who="email:jane@example.org"
    )
    assert not own.error, own.text
    broken = await ask('/schedule X | 3 Dec 18:00 | "Doe, John <john@example.org>', who=CHAIR)
    assert broken.error and "I do not know whom" in broken.text


async def test_members_may_not_schedule_but_a_coordinator_may_for_their_theme(ask):
    member = await ask("/schedule X | 3 Dec 14:00")
    assert member.error and "chair or secretariat" in member.text
    await ask("/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG", who=CHAIR)
    own = await ask("/schedule A11y | 3 Dec 16:00 | accessibility", who="email:jane@example.org")
    assert not own.error, own.text
    other = await ask("/schedule AI | 3 Dec 16:00 | AI", who="email:jane@example.org")
    assert other.error
    moved = await ask("/reschedule m1 | 3 Dec 17:00", who="email:jane@example.org")
    assert not moved.error, moved.text


async def test_calendar_meeting_matches_the_stored_one(ask, services):
    await ask(SCHEDULE, who=CHAIR)
    async with services.db.read() as conn:
        meeting = await store.by_code(conn, "m1")
    text = meeting_calendar(
        meeting, method="REQUEST", now=services.now(), organizer_email="b@x.org"
    )
    assert text.count("ATTENDEE") == 2


async def test_a_link_in_the_title_is_the_join_link_of_the_invitation(ask):
    reply = await ask(
        "/schedule Climate change https://meet.example.org/cc | 3 Dec 14:00 | jane@example.org",
        who=CHAIR,
    )
    assert reply.title == "Scheduled m1: Climate change"
    event = icalendar.Calendar.from_ical(reply.attachments[0].data).walk("VEVENT")[0]
    assert str(event["URL"]) == "https://meet.example.org/cc"
    assert "Join: https://meet.example.org/cc" in str(event["DESCRIPTION"])


async def test_a_join_link_with_a_bar_in_its_query_is_taken_whole(ask, services):
    """A Zoom or Teams link with `|` in its query string was cut at the `|`, the command's
    separator: the invitation's link was broken and the rest was read as the time. A `|`
    in a link's query belongs to the link; after the link, `|` separates as before."""
    link = "https://zoom.us/j/8123?pwd=Ab|Cd&context=%7B%22Tid%22%3A%22a1%22%7D|x"
    for n, text in enumerate(
        (
            f"/schedule Climate change {link} | 3 Dec 14:00 | jane@example.org",
            f"/schedule Climate change {link}| 4 Dec 14:00 | 90m | jane@example.org",
        ),
        start=1,
    ):
        reply = await ask(text, who=CHAIR)
        assert reply.title == f"Scheduled m{n}: Climate change", reply.text
        event = icalendar.Calendar.from_ical(reply.attachments[0].data).walk("VEVENT")[0]
        assert str(event["URL"]) == link
        assert f"Join: {link}" in str(event["DESCRIPTION"])
    async with services.db.read() as conn:
        second = await store.by_code(conn, "m2")
    assert second is not None and second.end - second.start == dt.timedelta(minutes=90)
    assert [a.email for a in second.attendees] == ["jane@example.org"]


async def test_a_quoted_title_before_its_join_link_loses_its_quotes(ask):
    """'/schedule "Climate change" https://meet.example.org/cc | 3 Dec 14:00' invited to
    '"Climate change"', quotes and all, in every calendar: the quotes only mark where
    the title ends, with or without a link after it."""
    reply = await ask(
        '/schedule "Climate change" https://meet.example.org/cc | 3 Dec 14:00', who=CHAIR
    )
    assert reply.title == "Scheduled m1: Climate change", reply.text
    event = icalendar.Calendar.from_ical(reply.attachments[0].data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Climate change"
    assert str(event["URL"]) == "https://meet.example.org/cc"


async def test_the_feed_from_the_database_keeps_cancelled_meetings_and_sessions(ask, services):
    from bot.meetings import calendar_feed

    await ask(SCHEDULE, who=CHAIR)
    await ask("/schedule Other | 4 Dec 14:00", who=CHAIR)
    await ask("/cancel m2", who=CHAIR)
    await ask("/sessions add TSAG 2027-01-19 to 2027-01-23 Geneva", who=CHAIR)
    async with services.db.read() as conn:
        text = await calendar_feed(conn, now=services.now(), organizer_email="bot@example.org")
    cal = icalendar.Calendar.from_ical(text)
    assert "METHOD" not in cal
    statuses = {str(e["SUMMARY"]): str(e.get("STATUS", "")) for e in cal.walk("VEVENT")}
    assert statuses["Climate change"] == "CONFIRMED"
    assert statuses["Other"] == "CANCELLED"
    assert "TSAG session" in statuses
    # The 2019-2020 sessions of the seed documents are older than 90 days: not in the feed.
    assert "RAG session" not in statuses


async def test_a_time_alone_is_read_on_the_clock_of_the_zone_it_names(ask, clock):
    # Tuesday 1 December 2026, 09:58 in Beijing (01:58 UTC).
    clock.set(dt.datetime(2026, 12, 1, 1, 58, tzinfo=dt.UTC))
    later = await ask("/schedule T | 15:00 Beijing time | 30m | jane@example.org", who=CHAIR)
    assert "Read as: Tue 1 Dec 2026 15:00 (UTC+8) Beijing time" in later.text
    moved = await ask("/reschedule m1 | 09:00 Beijing time", who=CHAIR)
    assert "Read as: Wed 2 Dec 2026 09:00 (UTC+8) Beijing time" in moved.text


async def test_a_zone_abbreviation_typed_is_the_zone_the_reply_names(ask):
    reply = await ask("/schedule T | 3 Dec 14:00 NZDT | 30m | jane@example.org", who=CHAIR)
    assert "Read as: Thu 3 Dec 2026 14:00 (UTC+13) NZDT read as Auckland time" in reply.text
    moved = await ask("/reschedule m1 | 3 Dec 14:00 EAT", who=CHAIR)
    assert "Read as: Thu 3 Dec 2026 14:00 (UTC+3) EAT (Nairobi)" in moved.text


async def test_midnight_with_a_day_is_asked_not_read_as_the_day_s_start(ask):
    reply = await ask("/schedule T | 3 Dec midnight | 30m | jane@example.org", who=CHAIR)
    assert reply.error and "could be 00:00 at the start of Thursday 3 December 2026" in reply.text
    assert "For example: /schedule T | 4 Dec 00:00  (the night of 3 to 4 December;" in reply.text
    assert (await ask("/meetings")).text.startswith("No meeting is scheduled.")


async def test_a_time_alone_moves_a_meeting_within_its_own_day(ask, clock):
    """A meeting on Monday 29 March 2027, the day after Geneva's clocks go forward:
    "/reschedule m1 | 10:00" typed on 23 November moved it to 24 November at 10:00."""
    await ask("/timezone America/Mexico_City", who=CHAIR)
    await ask("/schedule T | 29 Mar 2027 09:00 | 30m | jane@example.org", who=CHAIR)
    moved = await ask("/reschedule m1 | 10:00", who=CHAIR)
    assert "Geneva: Mon 29 Mar 2027 18:00 (UTC+2)" in moved.text
    assert (
        "Read as: Mon 29 Mar 2027 10:00 (UTC-6) your zone, America/Mexico_City "
        '("10:00" taken as the meeting\'s day, Monday 29 March 2027)'
    ) in moved.text
    # In Beijing the meeting (16:00 UTC) is on Tuesday 30 March: its day there.
    beijing = await ask("/reschedule m1 | 10:00 Beijing time", who=CHAIR)
    assert "Read as: Tue 30 Mar 2027 10:00 (UTC+8) Beijing time" in beijing.text
    # Once the meeting's day at that hour has gone by, it is the next time the clock shows.
    clock.set(dt.datetime(2027, 3, 30, 1, 30, tzinfo=dt.UTC))  # 09:30 in Beijing
    late = await ask("/reschedule m1 | 09:00 Beijing time", who=CHAIR)
    assert "Read as: Wed 31 Mar 2027 09:00 (UTC+8) Beijing time" in late.text


async def test_a_refused_time_is_shown_in_the_command_typed(ask):
    await ask("/schedule T | 3 Dec 14:00 | 30m | jane@example.org", who=CHAIR)
    unreadable = await ask("/reschedule m1 | whenever suits", who=CHAIR)
    assert unreadable.text == (
        'I cannot read "whenever suits" as a date and time.\n'
        "For example: /reschedule m1 | 3 Dec 14:00 Geneva time"
    )
    gap = await ask("/schedule X | 28 Mar 2027 02:30 Geneva time", who=CHAIR)
    assert gap.text == (
        "02:30 on Sunday 28 March 2027 does not exist in Europe/Zurich: "
        "the clocks move forward then, to 03:30.\n"
        "For example: /schedule X | 28 Mar 2027 03:30 Geneva time"
    )


async def test_a_quoted_title_may_hold_a_bar(ask, services):
    reply = await ask(
        '/schedule "Budget | review" | 3 Dec 14:00 | 90m | jane@example.org', who=CHAIR
    )
    assert reply.title == "Scheduled m1: Budget | review"
    assert "90 minutes" in reply.text and "jane" in reply.text
    event = icalendar.Calendar.from_ical(reply.attachments[0].data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Budget | review"
    # Phones type curly quotes; a title without a bar still needs none.
    again = await ask(
        "/schedule \u201cBudget | review\u201d 3 Dec 2pm | 90m | jane@example.org", who=CHAIR
    )
    assert again.text.startswith("You already scheduled m1 Budget | review at")


async def test_a_day_just_gone_is_refused_not_moved_to_next_year(ask, services, clock):
    # Tuesday 1 December 2026, 11:00 in Geneva.
    clock.set(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC))
    await ask("/schedule T | 3 Dec 14:00 | 30m | jane@example.org", who=CHAIR)
    sent = len(await rows(services))
    earlier_today = await ask("/reschedule m1 | 1 Dec 09:00", who=CHAIR)
    assert earlier_today.text == (
        '"1 Dec 09:00" is Tue 1 Dec 2026 09:00 (UTC+1), which is in the past '
        "(it is now Tue 1 Dec 2026 11:00 (UTC+1)). For next year, write the year.\n"
        "For example: /reschedule m1 | 1 Dec 2027 09:00"
    )
    yesterday = await ask("/reschedule m1 | 30 Nov 15:00 Beijing time", who=CHAIR)
    assert yesterday.text.endswith("For example: /reschedule m1 | 30 Nov 2027 15:00 Asia/Shanghai")
    assert len(await rows(services)) == sent
    # Months gone by, the day is next year's, and the reply says so.
    june = await ask("/reschedule m1 | 1 June 15:00", who=CHAIR)
    assert (
        'Read as: Tue 1 Jun 2027 15:00 (UTC+2) your zone, Europe/Zurich ("1 June 15:00" '
        "taken as next year's, Tuesday 1 June 2027)"
    ) in june.text


async def test_a_month_first_date_is_refused_not_read_as_a_century_ahead(ask, services):
    us = await ask("/schedule T | 04/13 10:00 | 30m | jane@example.org", who=CHAIR)
    # dateparser takes 13 for the year (2113) and the month from the clock.
    assert us.text == (
        '"04/13 10:00" reads as Sat 4 Nov 2113, years from now. Write the day first, the month '
        "as a word and the year in full.\nFor example: /schedule T | 3 Dec 14:00 Geneva time"
    )
    short_year = await ask("/schedule T | 1 Nov 26 09:00 | 30m | jane@example.org", who=CHAIR)
    assert short_year.text.startswith('"1 Nov 26 09:00" reads as Fri 1 Nov 2126, years from')
    assert await rows(services) == []
    far = await ask("/schedule T | 3 Dec 2029 10:00 | 30m | jane@example.org", who=CHAIR)
    assert far.title == "Scheduled m1: T"


async def test_a_day_no_calendar_has_is_refused_with_the_reason(ask):
    await ask("/schedule T | 3 Dec 14:00 | 30m | jane@example.org", who=CHAIR)
    february = await ask("/reschedule m1 | 31 Feb 2027 10:00", who=CHAIR)
    assert february.text == (
        "31 Feb 2027 is not a date: February 2027 has 28 days.\n"
        "For example: /reschedule m1 | 28 Feb 2027 10:00"
    )
    iso = await ask("/schedule Iso test | 2027-13-01 10:00 | 30m | jane@example.org", who=CHAIR)
    assert iso.text == (
        "2027-13-01 is not a date: there is no month 13.\n"
        "For example: /schedule Iso test | 2027-01-13 10:00"
    )
    assert "m2" not in (await ask("/meetings")).text


async def test_attendees_without_an_address_are_named_with_how_they_will_hear(ask, services):
    # Noah LUO and Inga Rimkeviciene are seeded without an e-mail address; Noah is
    # known in this console, Inga nowhere the bot speaks.
    async with services.db.transaction() as conn:
        (noah,) = await people.by_name(conn, "Noah LUO")
        await people.link_identity(conn, "console:noah", noah.id, "noah")
    reply = await ask(
        "/schedule Climate change | 3 Dec 14:00 | Noah LUO, Inga Rimkeviciene, jane@example.org",
        who=CHAIR,
    )
    assert (
        "Invitations go to 1 e-mail address. Reminders 24h and 15m before, here and by mail.\n"
        "Noah LUO has no e-mail address on record, so no invitation: they will see this "
        "meeting and its reminders only in this channel.\n"
        "Inga Rimkeviciene has no e-mail address on record, so no invitation, and I have no "
        "other way to tell them.\n"
        "Forward them the attached invitation (/invite m1 gives it again), or next time give "
        "their address among the attendees (name@example.org)."
    ) in reply.text
    assert [r.destination for r in await rows(services, "invite")] == ["email:jane@example.org"]


async def test_a_meeting_too_close_for_the_24h_reminder_announces_only_the_15m_one(ask, services):
    # It is 09:00 in Geneva: 22:00 is 13 hours away.
    reply = await ask("/schedule Climate change | today 22:00 | jane@example.org", who=CHAIR)
    assert (
        "Invitations go to 1 e-mail address. "
        "Reminder 15m before, here and by mail (too late for the 24h one)."
    ) in reply.text
    async with services.db.read() as conn:
        planned = await jobs.pending(conn, "meeting-reminder")
    assert [j.dedupe_key for j in planned] == ["meeting:1:reminder:seq:0:15m"]
    soon = await ask("/schedule Quick check | today 09:10 | jane@example.org", who=CHAIR)
    assert "Invitations go to 1 e-mail address. It starts too soon for any reminder." in soon.text


async def test_two_groups_of_one_title_at_one_hour_are_two_meetings(ask):
    first = await ask("/schedule Breakout | 3 Dec 16:00 | jane@example.org", who=CHAIR)
    other = await ask("/schedule Breakout | 3 Dec 16:00 | bob@example.org", who=CHAIR)
    linked = await ask(
        "/schedule Breakout https://meet.example.org/b | 3 Dec 16:00 | jane@example.org", who=CHAIR
    )
    assert [r.title for r in (first, other, linked)] == [
        "Scheduled m1: Breakout",
        "Scheduled m2: Breakout",
        "Scheduled m3: Breakout",
    ]


async def test_the_same_meeting_asked_for_again_is_not_created_nor_sent_twice(ask, services):
    first = await ask("/schedule Climate change | 3 Dec 3pm | jane@example.org", who=CHAIR)
    assert first.title == "Scheduled m1: Climate change"
    sent = len(await rows(services))
    for when in ("3 Dec 3 pm", "3 Dec 15:00", "3 Dec 3pm Geneva time"):
        again = await ask(f"/schedule climate change | {when} | jane@example.org", who=CHAIR)
        assert not again.error
        assert again.text == (
            "You already scheduled m1 Climate change at Thu 3 Dec 2026 15:00 (UTC+1): I did not "
            "create it again and sent no invitation. See it with /meetings m1; "
            "move it with /reschedule m1 | <when>."
        )
        assert not again.attachments
    assert len(await rows(services)) == sent
    assert (await ask("/meetings")).text.count("Climate change") == 1
    # Once cancelled, it may be scheduled again.
    await ask("/cancel m1", who=CHAIR)
    assert (await ask("/schedule Climate change | 3 Dec 15:00", who=CHAIR)).title == (
        "Scheduled m2: Climate change"
    )


async def test_a_long_list_of_meetings_is_cut_and_says_where_the_rest_are(ask, services):
    """Sixty meetings scheduled ahead made `/meetings` sixty lines, three Discord
    messages; it now lists the first ones and says where all of them are."""
    for week in range(60):
        start = services.now() + dt.timedelta(days=7 * week + 1)
        await add_meeting(services, f"Weekly call {week}", start, [])
    listing = await ask("/meetings")
    assert "Weekly call 24 ·" in listing.text and "Weekly call 25 ·" not in listing.text
    assert (
        f"… and {60 - LIST_LIMIT} later ones, all listed at http://localhost:8080/meetings."
        in listing.text
    )
    assert len(discord_render.render(listing)) == 1
    assert len(slack_render.render(listing)) == 1


async def test_a_year_centuries_ahead_is_refused_not_an_apology(ask):
    # "31 Dec 9999" (its year written in full) passed the far-ahead check and then
    # overflowed building the invitation: "Sorry, something went wrong".
    # So did midnight near the calendar's ends, and a due date in the year 0.
    for when in ["31 Dec 9998 23:00 UTC", "31 Dec 9999 midnight", "31 Dec 9999 24:00"]:
        refused = await ask(f"/schedule Far call | {when} | 60m | list", who=CHAIR)
        assert refused.error and "more than 100 years from now" in refused.text, refused.text
        assert "For example: /schedule Far call | 3 Dec 14:00 Geneva time" in refused.text
    first = await ask("/schedule Far call | 1 Jan 0001 midnight", who=CHAIR)
    assert first.error and 'I cannot read "1 Jan 0001 midnight"' in first.text, first.text
    due = await ask("/action chair to check by mid December 0000", who=CHAIR)
    assert "No due date recorded: " in due.text and "100 years ago. Check the year" in due.text


async def test_an_attendee_named_as_two_people_are_is_asked_about_not_guessed(ask, services):
    # The secretariat means the TSAG member, who shares the chair's name: the chair
    # (seeded, fabio.bigi@virgilio.it) was invited in their place, without a word.
    async with services.db.transaction() as conn:
        await people.create(conn, "Fabio Bigi", email="f.bigi@example.org", advisory_group="TSAG")
    reply = await ask("/schedule Budget | 3 Dec 14:00 | Fabio Bigi, list", who=CHAIR)
    assert reply.error
    assert reply.text == (
        'Two people are called "Fabio Bigi": Fabio Bigi <fabio.bigi@virgilio.it> (chair, Italy) '
        "and Fabio Bigi <f.bigi@example.org> (TSAG). Write the e-mail address of the one you "
        "mean.\nFor example: /schedule Budget | 3 Dec 14:00 | fabio.bigi@virgilio.it, list"
    )
    assert await rows(services, "invite") == []
    assert "m1" not in (await ask("/meetings")).text


@pytest.mark.parametrize(
    ("when", "start"),
    [
        ("10-12 on Thursday", "Geneva: Thu 26 Nov 2026 10:00 (UTC+1)"),
        ("Thursday 10-12", "Geneva: Thu 26 Nov 2026 10:00 (UTC+1)"),
        ("3 Dec 10-12", "Geneva: Thu 3 Dec 2026 10:00 (UTC+1)"),
        ("tomorrow 9 to 11", "Geneva: Tue 24 Nov 2026 09:00 (UTC+1)"),
    ],
)
async def test_a_range_of_bare_hours_beside_its_day_books_those_hours(ask, when, start):
    """'/schedule X | 10-12 on Thursday' (ten to noon) was read as 10 December, a
    Thursday too, and proposed slots that day; '3 Dec 10-12' could not be read."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert start in reply.text
    assert "120 minutes" in reply.text


async def test_a_range_of_small_bare_hours_asks_night_or_afternoon(ask):
    reply = await ask("/schedule Budget | Thursday 2-4", who=CHAIR)
    assert reply.error
    assert '"2-4" could be at night or in the afternoon' in reply.text
    assert "/schedule Budget | Thursday 14:00-16:00" in reply.text


@pytest.mark.parametrize(
    ("when", "day", "night"),
    [
        ("Thursday 12-2", "Thursday 12:00-14:00", "Thursday 00:00-02:00"),
        ("Thursday 11-1", "Thursday 11:00-13:00", "Thursday 23:00-01:00"),
    ],
)
async def test_a_range_of_bare_hours_past_noon_asks_night_or_afternoon(ask, when, day, night):
    """'/schedule X | Thursday 12-2' (the lunch hour and the next) got '"12-2" is not a
    meeting's span: a meeting lasts between 5 minutes and 12 hours', read as 12:00 to
    02:00; like 'Thursday 2-4', it is now asked about with both readings."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.error
    assert "could be at night or in the afternoon" in reply.text
    assert f"/schedule Budget | {day}  (or: /schedule Budget | {night})" in reply.text


async def test_a_range_with_its_first_hour_in_the_morning_is_booked(ask):
    """'/schedule X | Thursday 2am-4' was asked whether '2am-4' was at night or in the
    afternoon, though its 'am' said which."""
    reply = await ask("/schedule Budget | Thursday 2am-4", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert "Geneva: Thu 26 Nov 2026 02:00 (UTC+1)" in reply.text


async def test_a_range_of_days_before_its_month_is_never_asked_night_or_afternoon(ask):
    """'/schedule X | 3-5 Dec 14:00-16:00' was asked whether '3-5' was at night or in the
    afternoon, with '/schedule X | 15:00-17:00 Dec 14:00-16:00' as the example."""
    reply = await ask("/schedule Budget | 3-5 Dec 14:00-16:00", who=CHAIR)
    assert reply.error
    assert "night or in the afternoon" not in reply.text
    assert "15:00-17:00" not in reply.text


async def test_night_or_afternoon_keeps_the_zone_in_its_examples(ask):
    """'/schedule X | Thursday 2-4 Beijing time' was asked night or afternoon with
    '/schedule X | Thursday 14:00-16:00', which books 14:00 in the asker's own zone
    (Geneva), seven hours from the one written."""
    reply = await ask("/schedule Budget | Thursday 2-4 Beijing time", who=CHAIR)
    assert reply.error
    assert "/schedule Budget | Thursday 14:00-16:00 Beijing time  (or: " in reply.text
    assert "/schedule Budget | Thursday 02:00-04:00 Beijing time)" in reply.text


@pytest.mark.parametrize("when", ["tomorrow 10:00 -", "tomorrow 10:00 to", "tomorrow 10:00–"])
async def test_a_range_left_open_asks_for_its_end_and_books_nothing(ask, services, when):
    """'/schedule X | tomorrow 10:00 -', the end of the range not yet typed, was booked
    at 09:00 and its invitations sent: the dash moved the start an hour."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.error
    assert "starts at 10:00 but says no end: until when?" in reply.text
    assert "/schedule Budget | tomorrow 10:00-11:00" in reply.text
    assert await rows(services) == []


@pytest.mark.parametrize(
    ("when", "read", "utc"),
    [
        ("3 Dec 15:00 +05:30", "Thu 3 Dec 2026 15:00 (UTC+5:30) UTC+5:30", "Thu 3 Dec 2026 09:30"),
        ("3 Dec 10:00 -05:00", "Thu 3 Dec 2026 10:00 (UTC-5) UTC-5", "Thu 3 Dec 2026 15:00"),
        ("2026-12-03T14:00:00+0800", "Thu 3 Dec 2026 14:00 (UTC+8) UTC+8", "Thu 3 Dec 2026 06:00"),
    ],
)
async def test_a_time_with_its_offset_is_said_back_in_that_offset(ask, when, read, utc):
    """'/schedule X | 3 Dec 15:00 +05:30' was booked right, but the reply said it was
    read as 10:30 'your zone, Europe/Zurich', which the chair never wrote."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert f"Read as: {read}" in reply.text
    assert "your zone" not in reply.text
    assert f"UTC: {utc}" in reply.text


async def test_a_range_written_with_a_dash_is_no_offset(ask):
    reply = await ask("/schedule Budget | 3 Dec 03:00-05:00", who=CHAIR)
    assert "Read as: Thu 3 Dec 2026 03:00 (UTC+1) your zone, Europe/Zurich" in reply.text
    assert "120 minutes" in reply.text


@pytest.mark.parametrize(
    ("when", "shown"),
    [
        ("Di 1.12. 10:00", "Geneva: Tue 1 Dec 2026 10:00 (UTC+1)"),
        ("Di 1 Dec 10:00", "Geneva: Tue 1 Dec 2026 10:00 (UTC+1)"),
        ("do 3.12. 14:00", "Geneva: Thu 3 Dec 2026 14:00 (UTC+1)"),
    ],
)
async def test_a_short_weekday_beside_its_date_is_that_days(ask, when, shown):
    """'/schedule X | Di 1.12. 10:00' (Tuesday 1 December, as German calendars write it)
    was asked back: 'Di' could be Sunday (French) or Tuesday; the date says which."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert shown in reply.text


async def test_a_short_weekday_beside_a_date_of_another_day_is_still_asked(ask):
    reply = await ask("/schedule Budget | Di 2.12. 10:00", who=CHAIR)
    assert reply.error
    assert '"Di" could be Sunday (French) or Tuesday (German, Dutch)' in reply.text


async def test_a_short_month_with_its_year_is_the_month(ask):
    """'/due A1 by Mar 2027' was asked whether 'Mar' was March or (French) Tuesday."""
    await ask("/action Send the budget", who=CHAIR)
    reply = await ask("/due A1 by Mar 2027", who=CHAIR)
    assert reply.text == "A1 is now due Mon 1 Mar 2027.", reply.text


@pytest.mark.parametrize(("when", "month"), [("Mar 2027", "March"), ("Feb 2027", "February")])
async def test_a_short_month_with_its_year_proposes_slots_across_the_month(ask, when, month):
    """'/schedule X | Mar 2027' proposed slots on Monday 1 March alone, as 'Feb 2027' did
    on 1 February: a short month was the whole month only after 'in'."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert not reply.error, reply.text
    assert f"(in {month} 2027, 60 minutes)" in reply.text, reply.text


@pytest.mark.parametrize("due", ["by Tue 1.12.", "by Di 1.12.", "by Tuesday 1.12"])
async def test_a_due_date_with_its_weekday_and_dotted_day_is_that_day(ask, due):
    """'/due A1 by Tue 1.12.' made the action due Tuesday 24 November, '1.12' read as the
    time 01:12 beside the weekday, a week before the day the member wrote."""
    await ask("/action Send the budget", who=CHAIR)
    reply = await ask(f"/due A1 {due}", who=CHAIR)
    assert reply.text == "A1 is now due Tue 1 Dec 2026.", reply.text


async def test_a_short_weekday_beside_an_undotted_date_of_another_day_is_asked(ask):
    """'/due A1 by Di 2.12' (2 December, a Wednesday) made the action due Tuesday 2
    December 2025, in the past: '2.12' was read as the time 02:12, tomorrow a Tuesday,
    so 'Di' was taken for the German Tuesday."""
    await ask("/action Send the budget", who=CHAIR)
    reply = await ask("/due A1 by Di 2.12", who=CHAIR)
    assert reply.error, reply.text
    assert '"Di" could be Sunday (French) or Tuesday (German, Dutch)' in reply.text
    assert "2025" not in reply.text


@pytest.mark.parametrize("due", ["by Fri 17.00", "by Friday 9.30", "by 14.00"])
async def test_a_due_time_written_with_a_dot_is_no_date(ask, due):
    """'/due A1 by Fri 17.00' (Friday, 17:00, as German writes the time) made the action
    due Wednesday 17 November 2100: '17.00' was read as a day and month 00."""
    await ask("/action Send the budget", who=CHAIR)
    reply = await ask(f"/due A1 {due}", who=CHAIR)
    day = "Mon 23 Nov 2026" if due == "by 14.00" else "Fri 27 Nov 2026"
    assert reply.text == f"A1 is now due {day}.", reply.text


@pytest.mark.parametrize("zone", ["Asia/Tehran", "Iran"])
async def test_no_slot_is_proposed_on_an_iranian_members_thursday(ask, zone):
    """A member who set '/timezone Iran', the older IANA name /timezone accepts, was
    offered slots on Thursday, his weekend, as if he worked Monday to Friday."""
    assert not (await ask(f"/timezone {zone}", who="email:reza@example.org")).error
    reply = await ask("/schedule Budget | 26 Nov | 1h | reza@example.org", who=CHAIR)
    assert reply.error
    assert "No free slot on Thursday 26 November 2026 suits everyone" in reply.text


@pytest.mark.parametrize(
    ("zone", "read"),
    [
        ("Eastern time", 'Read as: Thu 3 Dec 2026 10:00 (UTC-5) New York time ("Eastern time")'),
        (
            "hora del centro",
            'Read as: Thu 3 Dec 2026 10:00 (UTC-6) Mexico City time ("hora del centro")',
        ),
    ],
)
async def test_a_region_s_time_is_its_zone(ask, zone, read):
    """'/schedule X | 3 Dec 10:00 Eastern time' was refused: 'I know no place called
    "Eastern"', and 'hora del centro', Mexico's own name for its time, not read."""
    reply = await ask(f"/schedule Budget | 3 Dec 10:00 {zone}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert read in reply.text


async def test_central_time_is_asked_about(ask, services):
    reply = await ask("/schedule Budget | 3 Dec 10:00 Central time", who=CHAIR)
    assert reply.error
    assert '"Central time" could be the time of Mexico City or of Chicago' in reply.text
    assert "/schedule Budget | 3 Dec 10:00 Mexico City time" in reply.text
    assert await rows(services) == []


@pytest.mark.parametrize("when", ["Mon 7-9 Dec", "Mon 7 to Wed 9 Dec"])
async def test_a_range_of_days_with_its_first_weekday_is_those_days(ask, when):
    """'/schedule X | Mon 7-9 Dec' proposed slots from Saturday 7 November to 9 December:
    'Mon 7' read alone was the 7th of this month."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert not reply.error, reply.text
    assert "from Monday 7 December 2026 to Wednesday 9 December 2026" in reply.text
    assert "November" not in reply.text


async def test_a_range_of_days_with_a_wrong_weekday_is_asked_about(ask):
    reply = await ask("/schedule Budget | Tue 7-9 Dec", who=CHAIR)
    assert reply.error
    assert "7 December 2026 is a Monday, not a Tuesday" in reply.text


@pytest.mark.parametrize("when", ["week of 9 Dec", "the week starting 7 December"])
async def test_the_week_of_a_day_proposes_slots_across_that_week(ask, when):
    """'/schedule X | week of 9 Dec', as a chair writes a week, got 'I cannot read'."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert not reply.error, reply.text
    assert f"({when}, Monday 7 December 2026 - Sunday 13 December 2026, 60 minutes)" in (reply.text)


@pytest.mark.parametrize("when", ["week of 14-18 Dec", "week of 14 to 18 December"])
async def test_the_week_of_a_range_of_days_is_the_week_of_its_first(ask, when):
    """'/schedule X | week of 14-18 Dec' proposed slots in December 2118: the range was
    read as one day, 14 December of the year 2118."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert not reply.error, reply.text
    assert f"({when}, Monday 14 December 2026 - Sunday 20 December 2026, 60 minutes)" in (
        reply.text
    )
    assert "2118" not in reply.text


@pytest.mark.parametrize(
    ("when", "start", "length"),
    [
        ("jeudi de 10h à 12h", "Geneva: Thu 26 Nov 2026 10:00 (UTC+1)", "120 minutes"),
        ("le 3 décembre de 14h à 16h30", "Geneva: Thu 3 Dec 2026 14:00 (UTC+1)", "150 minutes"),
        ("mañana de 10:00 a 12:00", "Geneva: Tue 24 Nov 2026 10:00 (UTC+1)", "120 minutes"),
        ("3 декабря с 10:00 до 12:00", "Geneva: Thu 3 Dec 2026 10:00 (UTC+1)", "120 minutes"),
    ],
)
async def test_a_range_of_hours_in_another_language_is_booked(ask, when, start, length):
    """'/schedule X | jeudi de 10h à 12h' or 'mañana de 10:00 a 12:00' got 'I cannot read':
    word by word, the range's 'à' or 'a' was no range (the Spanish 'a' became 'year')."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert start in reply.text
    assert length in reply.text


@pytest.mark.parametrize(
    ("when", "start", "length"),
    [
        ("周四10点到12点", "Geneva: Thu 26 Nov 2026 10:00 (UTC+1)", "120 minutes"),
        ("12月3日下午2点到4点", "Geneva: Thu 3 Dec 2026 14:00 (UTC+1)", "120 minutes"),
        ("明天上午9点半至11点", "Geneva: Tue 24 Nov 2026 09:30 (UTC+1)", "90 minutes"),
    ],
)
async def test_a_range_of_hours_in_chinese_is_booked(ask, when, start, length):
    """'/schedule X | 周四10点到12点' (Thursday, 10:00 to 12:00) was refused as a range of
    days ending (today) before it starts (Thursday)."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert start in reply.text
    assert length in reply.text


@pytest.mark.parametrize(
    ("when", "start", "length"),
    [
        ("明天上午10点到12点", "Geneva: Tue 24 Nov 2026 10:00 (UTC+1)", "120 minutes"),
        ("12月3日上午11点到12点半", "Geneva: Thu 3 Dec 2026 11:00 (UTC+1)", "90 minutes"),
    ],
)
async def test_a_morning_range_in_chinese_ending_at_noon_is_booked(ask, when, start, length):
    """'/schedule X | 明天上午10点到12点' (tomorrow morning, 10 to 12) was booked at 09:00
    with no end: the morning (上午) said for both ends made 12 midnight."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert start in reply.text
    assert length in reply.text


@pytest.mark.parametrize("when", ["el jueves de 10 a 12", "jeudi de 10 à 12"])
async def test_a_range_of_bare_hours_in_another_language_is_booked(ask, when):
    """'/schedule X | el jueves de 10 a 12' was read as 'thursday 10 year 12', 10 December,
    and proposed slots that day."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert "Geneva: Thu 26 Nov 2026 10:00 (UTC+1)" in reply.text
    assert "120 minutes" in reply.text


async def test_a_range_of_days_led_by_de_stays_days(ask):
    reply = await ask("/schedule Budget | de 2 a 4 de diciembre", who=CHAIR)
    assert "from Wednesday 2 December 2026 to Friday 4 December 2026" in reply.text


@pytest.mark.parametrize("due", ["by Friday COB", "by Friday EOD", "by 27 Nov, end of day"])
async def test_a_deadline_word_after_the_day_is_that_day(ask, due):
    """'/due A1 by Friday COB' got 'I cannot read', though 'by COB Friday' was read."""
    await ask("/action Send the budget", who=CHAIR)
    reply = await ask(f"/due A1 {due}", who=CHAIR)
    assert reply.text == "A1 is now due Fri 27 Nov 2026.", reply.text


@pytest.mark.parametrize("week", ["esta semana", "cette semaine", "на этой неделе"])
async def test_this_week_in_another_language_lists_the_whole_week(ask, week):
    """'/meetings esta semana' (or 'cette semaine') answered 'No upcoming meeting on Monday
    23 November', read as '0 week ago', today, with a meeting set for the Tuesday."""
    await ask("/schedule Budget | 24 Nov 15:00", who=CHAIR)
    reply = await ask(f"/meetings {week}", who=CHAIR)
    assert "Meetings this week, Monday 23 November 2026 - Sunday 29 November 2026" in reply.text
    assert "Budget" in reply.text


@pytest.mark.parametrize(
    ("week", "label"),
    [
        ("本周", "Meetings this week, Monday 23 November 2026 - Sunday 29 November 2026"),
        ("下周", "No upcoming meeting next week, Monday 30 November 2026 - Sunday 6 December"),
    ],
)
async def test_a_week_named_in_chinese_is_that_week(ask, week, label):
    """'/meetings 本周' (this week) or '下周' (next week) got '"本周" is no meeting I know,
    nor a day ahead I can read', and '/schedule X | 下周' 'I cannot read'."""
    await ask("/schedule Budget | 24 Nov 15:00", who=CHAIR)
    reply = await ask(f"/meetings {week}", who=CHAIR)
    assert label in reply.text, reply.text


@pytest.mark.parametrize("when", ["3 Dec 14:00Z", "3 Dec 1400Z", "2026-12-03T14:00:00Z"])
async def test_a_time_in_zulu_is_said_back_in_utc(ask, when):
    """'/schedule X | 3 Dec 14:00Z' was booked at 14:00 UTC, but the reply said it was read
    as 15:00 'your zone, Europe/Zurich'."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert "Read as: Thu 3 Dec 2026 14:00 (UTC+0) UTC" in reply.text, reply.text
    assert "UTC: Thu 3 Dec 2026 14:00" in reply.text
    assert "your zone" not in reply.text


@pytest.mark.parametrize(("length", "shown"), [("90", "90 minutes"), ("2", "120 minutes")])
async def test_a_length_without_its_unit_is_the_one_it_can_only_be(ask, length, shown):
    """'/schedule X | 3 Dec 14:00 | 90' got 'I do not know whom "90" means', the length
    taken for an attendee."""
    reply = await ask(f"/schedule Budget | 3 Dec 14:00 | {length}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert shown in reply.text


async def test_a_length_without_its_unit_that_could_be_either_is_asked_about(ask):
    reply = await ask("/schedule Budget | 3 Dec 14:00 | 8", who=CHAIR)
    assert reply.error
    assert '"8" has no unit: 8 minutes or 8 hours?' in reply.text


@pytest.mark.parametrize(
    ("length", "shown"),
    [("1 hora", "60 minutes"), ("2 heures", "120 minutes"), ("90 minutos", "90 minutes")],
)
async def test_a_length_in_another_language_is_the_meetings(ask, length, shown):
    """'/schedule X | 3 Dec 14:00 | 1 hora' got 'I do not know whom "1 hora" means'."""
    reply = await ask(f"/schedule Budget | 3 Dec 14:00 | {length}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert shown in reply.text


@pytest.mark.parametrize(
    ("when", "shown"),
    [
        ("el martes a las 9 de la mañana", "Geneva: Tue 24 Nov 2026 09:00 (UTC+1)"),
        ("el 3 de diciembre a las 4 de la tarde", "Geneva: Thu 3 Dec 2026 16:00 (UTC+1)"),
        ("le 3 décembre à 4 heures de l'après-midi", "Geneva: Thu 3 Dec 2026 16:00 (UTC+1)"),
        ("3 декабря в 4 часа дня", "Geneva: Thu 3 Dec 2026 16:00 (UTC+1)"),
    ],
)
async def test_an_hour_with_its_part_of_the_day_in_another_language(ask, when, shown):
    """'/schedule X | el 3 de diciembre a las 4 de la tarde' (4 in the afternoon), as the
    chair in Mexico City writes it, got 'I cannot read': 'de la mañana' was 'tomorrow'."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert shown in reply.text


@pytest.mark.parametrize(
    ("when", "start"),
    [
        ("el jueves de 2 a 4 de la tarde", "Geneva: Thu 26 Nov 2026 14:00 (UTC+1)"),
        ("el jueves de 9 a 11 de la mañana", "Geneva: Thu 26 Nov 2026 09:00 (UTC+1)"),
        ("jeudi de 2 à 4 de l'après-midi", "Geneva: Thu 26 Nov 2026 14:00 (UTC+1)"),
        ("в четверг с 2 до 4 дня", "Geneva: Thu 26 Nov 2026 14:00 (UTC+1)"),
    ],
)
async def test_a_range_of_hours_with_its_part_of_the_day_in_another_language(ask, when, start):
    """'/schedule X | el jueves de 2 a 4 de la tarde' (Thursday, 2 to 4 in the afternoon)
    was booked on Wednesday 2 December at 16:00: the part of the day made '4' a time
    before the range was read, and '2 a' was left the 2nd of a month."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert start in reply.text
    assert "120 minutes" in reply.text


@pytest.mark.parametrize("when", ["el jueves de 10 a 12 de la mañana", "в четверг с 10 до 12 утра"])
async def test_a_morning_range_ending_at_noon_in_another_language_is_booked(ask, when):
    """'/schedule X | el jueves de 10 a 12 de la mañana' (Thursday, 10 to 12 in the
    morning) was booked on Thursday 10 December at 00:00: 12 of the morning was 12:00am,
    midnight, and the range no meeting's span."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert "Geneva: Thu 26 Nov 2026 10:00 (UTC+1)" in reply.text
    assert "120 minutes" in reply.text


@pytest.mark.parametrize("when", ["el 3 de diciembre a las 12 de la noche", "3 декабря в 12 ночи"])
async def test_twelve_at_night_in_another_language_is_midnight_not_noon(ask, when):
    """'/schedule X | el 3 de diciembre a las 12 de la noche' (12 at night, midnight) was
    booked at noon: 'de la noche' made it 12:00pm. It is now 00:00, as '3 Dec 12am' is."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert "Geneva: Thu 3 Dec 2026 00:00 (UTC+1)" in reply.text


async def test_tomorrow_morning_in_spanish_proposes_the_morning(ask):
    """'/schedule X | mañana por la mañana' (tomorrow morning) got 'I cannot read', though
    'por la tarde' (in the afternoon) was read."""
    reply = await ask("/schedule Budget | mañana por la mañana | 1h | jane@example.org", who=CHAIR)
    assert "on Tuesday 24 November 2026 in the morning (08:00-12:00 Europe/Zurich)" in reply.text
    assert "I cannot read" not in reply.text


@pytest.mark.parametrize(
    ("due", "shown"),
    [("周五前", "Fri 27 Nov 2026"), ("12月15日之前", "Tue 15 Dec 2026")],
)
async def test_a_due_date_with_chinese_before_after_it(ask, due, shown):
    """'/due A1 周五前' (by Friday: Chinese puts 'before' after the day) got 'I cannot
    read', though '/due A1 12月15日' was read."""
    await ask("/action Send the budget", who=CHAIR)
    reply = await ask(f"/due A1 {due}", who=CHAIR)
    assert reply.text.startswith(f"A1 is now due {shown}.\n"), reply.text


@pytest.mark.parametrize(
    ("due", "shown"),
    [
        ("fin décembre", "Thu 31 Dec 2026"),
        ("finales de diciembre", "Thu 31 Dec 2026"),
        ("fin de semaine", "Fri 27 Nov 2026"),
        ("à la fin du mois", "Mon 30 Nov 2026"),
    ],
)
async def test_the_end_of_a_month_or_week_in_french_or_spanish(ask, due, shown):
    """'/due A1 fin décembre' or 'finales de diciembre' got 'I cannot read', though
    'end of December' was read."""
    await ask("/action Send the budget", who=CHAIR)
    reply = await ask(f"/due A1 {due}", who=CHAIR)
    assert reply.text.startswith(f"A1 is now due {shown}."), reply.text


@pytest.mark.parametrize(
    ("due", "shown"), [("a fin del mes", "Mon 30 Nov 2026"), ("finales del año", "Thu 31 Dec 2026")]
)
async def test_the_end_of_the_month_or_year_in_spanish_with_del(ask, due, shown):
    """'/due A1 a fin del mes' or 'finales del año' (the end of the month, of the year),
    as Spanish joins 'de' and 'el', got 'I cannot read', though 'fin de mes' was read."""
    await ask("/action Send the budget", who=CHAIR)
    reply = await ask(f"/due A1 {due}", who=CHAIR)
    assert reply.text.startswith(f"A1 is now due {shown}."), reply.text


@pytest.mark.parametrize("when", ["3 Dec 14:00 - Geneva time", "3 Dec 14:00 – CET"])
async def test_a_dash_before_the_zone_is_no_open_range(ask, when):
    """'/schedule X | 3 Dec 14:00 - Geneva time', the dash setting the zone apart, was
    asked for the end of a range, as if it were '14:00 -'."""
    reply = await ask(f"/schedule Budget | {when}", who=CHAIR)
    assert reply.title == "Scheduled m1: Budget", reply.text
    assert "Geneva: Thu 3 Dec 2026 14:00 (UTC+1)" in reply.text


async def test_a_time_at_night_for_an_attendee_is_pointed_out(ask):
    """'/schedule Climate | 24 Nov 15:00 Beijing time' invited the management team at
    01:00 in Mexico City, said only in the list of times; the chair is now told whom the
    hour costs, and how to get slots that suit everyone. A move there is told so too."""
    booked = await ask("/schedule Climate | 24 Nov 15:00 Beijing time", who=CHAIR)
    assert not booked.error, booked.text
    assert (
        "Mind the hour: it is at night for Victor Manuel Martinez Vanegas"
        " (Tue 24 Nov 2026 01:00 (UTC-6), Mexico City). For slots that suit everyone:"
        " /schedule Climate | next week | 60m | "
    ) in booked.text, booked.text
    moved = await ask("/reschedule m1 | 28 Nov 15:00 Beijing time", who=CHAIR)
    assert "Mind the hour: it is on their weekend for Abdouramane El Hadjar" in moved.text, (
        moved.text
    )
    fine = await ask("/reschedule m1 | 25 Nov 14:00 Geneva time", who=CHAIR)
    assert not fine.error and "Mind the hour" not in fine.text, fine.text


async def test_the_slots_offered_for_a_hard_hour_are_for_the_meetings_own_attendees(ask):
    """A 90-minute meeting of Noah LUO and Victor at 01:00 Mexico City time: the slots
    'that suit everyone' were offered with '/schedule Climate | next week', which
    proposes an hour for the management team, 60 minutes long, and books it for them."""
    booked = await ask(
        "/schedule Climate | 24 Nov 15:00 Beijing time | 90m"
        " | Noah LUO, Victor Manuel Martinez Vanegas, jane@example.org",
        who=CHAIR,
    )
    command = "/schedule Climate | next week | 90m | Noah LUO, Victor Manuel Martinez Vanegas"
    assert f"For slots that suit everyone: {command}, jane@example.org\n" in booked.text, (
        booked.text
    )
    slots = await ask(f"{command}, jane@example.org", who=CHAIR)
    assert slots.title.startswith("Proposed slots for Climate"), slots.text
    assert "90 minutes" in slots.title and "Fabio Bigi" not in slots.text, slots.text
