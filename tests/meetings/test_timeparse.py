"""Every phrase form /schedule and due dates accept, and every refusal, on a fixed clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from dateparser.languages.locale import Locale

from bot.timeparse import (
    Instant,
    TimeParseError,
    Window,
    due_date,
    find_zone,
    parse_duration,
    parse_when,
    split_due,
    when_text,
)
from tests.conftest import NOW
from tests.meetings.conftest import session

GENEVA = ZoneInfo("Europe/Zurich")
UTC = dt.UTC


def when(text, sessions, zone=GENEVA):
    return parse_when(text, now=NOW, zone=zone, sessions=sessions)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # IANA zone in the text: 14:00 in Mexico City in December is UTC-6.
        ("3 Dec 14:00 America/Mexico_City", utc(2026, 12, 3, 20, 0)),
        # CET is Geneva wall-clock time: in June that is CEST, UTC+2.
        ("1 June 15:00 CET", utc(2027, 6, 1, 13, 0)),
        ("1 June 15:00 CEST", utc(2027, 6, 1, 13, 0)),
        ("3 Dec 15:00 CET", utc(2026, 12, 3, 14, 0)),
        ("3 Dec 14:00 Geneva time", utc(2026, 12, 3, 13, 0)),
        ("3 Dec 14:00 Beijing time", utc(2026, 12, 3, 6, 0)),
        ("3 Dec 10:30 Tehran time", utc(2026, 12, 3, 7, 0)),
        ("3 Dec 14:00 UTC", utc(2026, 12, 3, 14, 0)),
        ("3 Dec 14:00 UTC+5:30", utc(2026, 12, 3, 8, 30)),
        # Half- and quarter-hour zones and the far side of the date line, by city.
        ("3 Dec 14:00 Kolkata time", utc(2026, 12, 3, 8, 30)),
        ("3 Dec 14:00 Kathmandu time", utc(2026, 12, 3, 8, 15)),
        ("3 Dec 14:00 Auckland time", utc(2026, 12, 3, 1, 0)),
        # Any place the IANA database names, with "time".
        ("3 Dec 14:00 Lagos time", utc(2026, 12, 3, 13, 0)),
        ("3 Dec 14:00 in Buenos Aires time", utc(2026, 12, 3, 17, 0)),
        ("3 Dec 14:00 local time", utc(2026, 12, 3, 13, 0)),
        ("3 Dec 2pm", utc(2026, 12, 3, 13, 0)),
        ("3 Dec 14h30", utc(2026, 12, 3, 13, 30)),
        # Day first unless ISO: 01/12 is 1 December.
        ("01/12 14:00", utc(2026, 12, 1, 13, 0)),
        ("2027-01-12 14:00", utc(2027, 1, 12, 13, 0)),
        ("tomorrow 9am", utc(2026, 11, 24, 8, 0)),
        # The zone changes across DST: 14:00 Geneva in July is 12:00 UTC.
        ("15 July 2027 14:00 Geneva time", utc(2027, 7, 15, 12, 0)),
    ],
)
def test_instants(text, expected, iscg_sessions):
    result = when(text, iscg_sessions)
    assert isinstance(result, Instant)
    assert result.start == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 1 hour", utc(2026, 11, 23, 9, 0)),
        ("in 2 hours", utc(2026, 11, 23, 10, 0)),
        ("in 1h", utc(2026, 11, 23, 9, 0)),  # not 01:00 tomorrow, as "at 1h" is
        ("in an hour", utc(2026, 11, 23, 9, 0)),
        ("in 1 minute", utc(2026, 11, 23, 8, 1)),
        ("in 90 minutes", utc(2026, 11, 23, 9, 30)),
        ("in 30 min for 45 minutes", utc(2026, 11, 23, 8, 30)),
        # Hours and minutes together: "in 2h30" was 02:30 the next night, invitations sent.
        ("in 2h30", utc(2026, 11, 23, 10, 30)),
        ("in 1h 30m", utc(2026, 11, 23, 9, 30)),
        ("in 1 hour 30 minutes", utc(2026, 11, 23, 9, 30)),
        ("in 1,5 hours", utc(2026, 11, 23, 9, 30)),
    ],
)
def test_in_some_minutes_or_hours_is_that_long_from_now(text, expected, iscg_sessions):
    """'/schedule Quick sync | in 1h' was a meeting at 01:00 the next night, invitations
    sent; 'in 2 hours' proposed slots for the whole day."""
    result = when(text, iscg_sessions)
    assert isinstance(result, Instant), result
    assert result.start == expected
    assert result.reading.startswith(when_text(expected, GENEVA))
    assert "from now" in result.reading


@pytest.mark.parametrize(
    ("text", "expected", "reading"),
    [
        (
            "in 1 hour CET",
            utc(2026, 11, 23, 9, 0),
            'Mon 23 Nov 2026 10:00 (UTC+1) CET read as Geneva time ("in 1 hour" taken from now)',
        ),
        (
            "in 2 hours Beijing time",
            utc(2026, 11, 23, 10, 0),
            'Mon 23 Nov 2026 18:00 (UTC+8) Beijing time ("in 2 hours" taken from now)',
        ),
        (
            "in 90 minutes America/New_York",
            utc(2026, 11, 23, 9, 30),
            'Mon 23 Nov 2026 04:30 (UTC-5) America/New_York ("in 90 minutes" taken from now)',
        ),
        (
            "in 1h UTC+5:30",
            utc(2026, 11, 23, 9, 0),
            'Mon 23 Nov 2026 14:30 (UTC+5:30) UTC+5:30 ("in 1h" taken from now)',
        ),
    ],
)
def test_in_an_hour_with_a_zone_is_from_now_shown_in_that_zone(text, expected, reading):
    """ "in 1 hour CET" proposed slots for the rest of the day: the zone hid the span."""
    result = when(text, [])
    assert isinstance(result, Instant), result
    assert (result.start, result.reading) == (expected, reading)


SHANGHAI = ZoneInfo("Asia/Shanghai")
MEXICO_CITY = ZoneInfo("America/Mexico_City")
# Tuesday 1 December 2026, 01:58 UTC: 09:58 in Beijing, 02:58 in Geneva and
# still Monday 30 November, 19:58, in Mexico City.
TESTER_NOW = dt.datetime(2026, 12, 1, 1, 58, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "zone", "text", "shown"),
    [
        # Later today on the reader's clock: today, in whichever zone the text names.
        (TESTER_NOW, GENEVA, "15:00 Beijing time", "Tue 1 Dec 2026 15:00 (UTC+8) Beijing time"),
        (TESTER_NOW, SHANGHAI, "15:00", "Tue 1 Dec 2026 15:00 (UTC+8)"),
        (TESTER_NOW, GENEVA, "03:30", "Tue 1 Dec 2026 03:30 (UTC+1)"),
        (TESTER_NOW, MEXICO_CITY, "21:00", "Mon 30 Nov 2026 21:00 (UTC-6)"),
        # Earlier today: tomorrow, into the next month in Mexico City.
        (TESTER_NOW, SHANGHAI, "9am", "Wed 2 Dec 2026 09:00 (UTC+8)"),
        (TESTER_NOW, GENEVA, "02:30", "Wed 2 Dec 2026 02:30 (UTC+1)"),
        (TESTER_NOW, MEXICO_CITY, "18:00", "Tue 1 Dec 2026 18:00 (UTC-6)"),
        (TESTER_NOW, MEXICO_CITY, "at 9h30", "Tue 1 Dec 2026 09:30 (UTC-6)"),
        # New Year's Eve, 23:30 in Geneva and still 2026 in UTC.
        (utc(2026, 12, 31, 22, 30), GENEVA, "noon", "Fri 1 Jan 2027 12:00 (UTC+1)"),
        # Saturday before clocks go forward: tomorrow's 10:00 is summer time.
        (utc(2027, 3, 27, 10, 0), GENEVA, "10:00", "Sun 28 Mar 2027 10:00 (UTC+2)"),
        # 01:30 that night: 03:30 is later the same night, after the jump.
        (utc(2027, 3, 28, 0, 30), GENEVA, "03:30", "Sun 28 Mar 2027 03:30 (UTC+2)"),
        # 03:30 summer time: the clock has passed 02:30, so Monday's.
        (utc(2027, 3, 28, 1, 30), GENEVA, "02:30", "Mon 29 Mar 2027 02:30 (UTC+2)"),
        # Saturday before clocks go back: tomorrow's 10:00 is winter time.
        (utc(2027, 10, 30, 10, 0), GENEVA, "10:00", "Sun 31 Oct 2027 10:00 (UTC+1)"),
    ],
)
def test_a_time_alone_is_the_next_time_the_readers_clock_shows_it(now, zone, text, shown):
    result = parse_when(text, now=now, zone=zone, sessions=[])
    assert isinstance(result, Instant)
    assert result.reading.startswith(shown)


@pytest.mark.parametrize(
    ("zone", "text", "shown"),
    [
        (SHANGHAI, "tomorrow 10:00", "Wed 2 Dec 2026 10:00 (UTC+8)"),
        (GENEVA, "Wednesday 10:00", "Wed 2 Dec 2026 10:00 (UTC+1)"),
        (SHANGHAI, "1 Dec 15:00", "Tue 1 Dec 2026 15:00 (UTC+8)"),
        (MEXICO_CITY, "1 Dec 15:00", "Tue 1 Dec 2026 15:00 (UTC-6)"),
        (GENEVA, "2027-01-12 14:00", "Tue 12 Jan 2027 14:00 (UTC+1)"),
        # Monday evening in Mexico City: its next Tuesday is the next day.
        (GENEVA, "next Tuesday 10:00 America/Mexico_City", "Tue 1 Dec 2026 10:00 (UTC-6)"),
        (GENEVA, "28 Mar 2027 10:00 Geneva time", "Sun 28 Mar 2027 10:00 (UTC+2)"),
    ],
)
def test_phrases_with_a_day_keep_it_at_a_day_boundary(zone, text, shown):
    result = parse_when(text, now=TESTER_NOW, zone=zone, sessions=[])
    assert isinstance(result, Instant)
    assert result.reading.startswith(shown)


def test_a_numeric_date_that_reads_both_ways_says_it_was_read_day_first():
    new_york = ZoneInfo("America/New_York")
    result = parse_when("03/04/2027 10:00", now=NOW, zone=new_york, sessions=[])
    assert result.start == utc(2027, 4, 3, 14, 0)
    assert result.reading.endswith(
        '; "03/04/2027" read day first, as 3 April: for March 4 write 4 Mar'
    )
    # Only one way to read it, or no numbers: no note.
    assert "day first" not in when("13/04/2027 10:00", []).reading
    assert "day first" not in when("3 Dec 14:00", []).reading


def test_the_readers_zone_is_used_when_the_text_names_none(iscg_sessions):
    result = when("3 Dec 14:00", iscg_sessions, zone=ZoneInfo("Asia/Shanghai"))
    assert isinstance(result, Instant) and result.start == utc(2026, 12, 3, 6, 0)
    assert "Asia/Shanghai" in result.reading


def test_next_tuesday_on_a_monday_shows_the_full_date(iscg_sessions):
    # NOW is Monday 23 November 2026.
    result = when("next Tuesday 10:00", iscg_sessions)
    assert isinstance(result, Instant)
    assert "Tue 24 Nov 2026 10:00" in result.reading
    assert "taken as tomorrow, Tuesday 24 November 2026" in result.reading


@pytest.mark.parametrize(
    ("text", "shown", "taken"),
    [
        # Said on Tuesday 1 December at 11:00 in Geneva: the next time the clock shows it.
        ("Tuesday 14:00", "Tue 1 Dec 2026 14:00", "taken as today, Tuesday 1 December 2026"),
        ("2pm on Tue", "Tue 1 Dec 2026 14:00", "taken as today, Tuesday 1 December 2026"),
        (
            "Tuesday 10:00",
            "Tue 8 Dec 2026 10:00",
            "taken as Tuesday 8 December 2026, a week from today",
        ),
        # 14:00 in Beijing has passed (it is 18:00 there).
        (
            "Tue 14:00 Beijing time",
            "Tue 8 Dec 2026 14:00 (UTC+8)",
            "taken as Tuesday 8 December 2026, a week from today",
        ),
        (
            "next Tuesday 14:00",
            "Tue 8 Dec 2026 14:00",
            "taken as Tuesday 8 December 2026, a week from today",
        ),
    ],
)
def test_a_weekday_said_on_that_weekday_is_today_until_its_hour_has_passed(text, shown, taken):
    now = utc(2026, 12, 1, 10, 0)
    result = parse_when(text, now=now, zone=GENEVA, sessions=[])
    assert result.reading.startswith(shown)
    assert f'("{text.removesuffix(" Beijing time")}" {taken})' in result.reading


@pytest.mark.parametrize("text", ["Tuesday", "on Tuesday", "Tue.", "tuesday Beijing time"])
def test_a_weekday_alone_said_on_that_weekday_is_today_as_with_a_time(text):
    """ "Tuesday 14:00" said on a Tuesday morning was today, but "Tuesday" (or "on
    Tuesday") alone proposed slots a week ahead, and the reply did not say which."""
    now = utc(2026, 12, 1, 10, 0)
    result = parse_when(text, now=now, zone=GENEVA, sessions=[])
    assert isinstance(result, Window)
    assert result.start == now
    typed = text.removesuffix(" Beijing time")
    assert result.label == (
        f'on Tuesday 1 December 2026 ("{typed}" said on a Tuesday is today; for a week from '
        'today write "next Tuesday")'
    )
    later = parse_when("next Tuesday", now=now, zone=GENEVA, sessions=[])
    assert later.label == "on Tuesday 8 December 2026"


@pytest.mark.parametrize(
    ("text", "start", "heard"),
    [
        ("le 3 décembre à 14h", utc(2026, 12, 3, 13, 0), 'in French as "3 december 14:00"'),
        ("3 déc. 14 h 30", utc(2026, 12, 3, 13, 30), ""),  # English reads it as it is
        ("mardi prochain à 10h", utc(2026, 11, 24, 9, 0), 'in French as "next tuesday 10:00"'),
        ("demain 9h", utc(2026, 11, 24, 8, 0), 'in French as "tomorrow 9:00"'),
        ("3 de diciembre 14:00", utc(2026, 12, 3, 13, 0), 'in Spanish as "3 december 14:00"'),
        ("el martes a las 14:00", utc(2026, 11, 24, 13, 0), 'in Spanish as "tuesday 14:00"'),
        ("mañana a las 15", utc(2026, 11, 24, 14, 0), 'in Spanish as "tomorrow 15:00"'),
        ("3 декабря в 14:00", utc(2026, 12, 3, 13, 0), 'in Russian as "3 december 14:00"'),
        ("во вторник в 14:00", utc(2026, 11, 24, 13, 0), 'in Russian as "tuesday 14:00"'),
        ("3 ديسمبر 14:00", utc(2026, 12, 3, 13, 0), 'in Arabic as "3 december 14:00"'),
        # The zone is read as in English, whatever the language of the date.
        (
            "3 de diciembre 14:00 America/Mexico_City",
            utc(2026, 12, 3, 20, 0),
            'in Spanish as "3 december 14:00"',
        ),
        # "3 Mar" is March, as English reads it, not "mardi".
        ("3 Mar 2027 14:00", utc(2027, 3, 3, 13, 0), ""),
    ],
)
def test_dates_in_the_other_un_languages_are_read_and_the_reading_says_so(text, start, heard):
    """ "le 3 décembre à 14h", "3 de diciembre 14:00", "14 h 30": "I cannot read"."""
    result = when(text, [])
    assert isinstance(result, Instant), result
    assert result.start == start
    said = text.removesuffix(" America/Mexico_City")
    assert (f'("{said}" read {heard})' in result.reading) == bool(heard), result.reading


@pytest.mark.parametrize(
    ("text", "start", "heard"),
    [
        ("Tuesady 14:00", utc(2026, 11, 24, 13, 0), '("Tuesady 14:00" read as "Tuesday 14:00")'),
        ("3 Dcember 14:00", utc(2026, 12, 3, 13, 0), '("3 Dcember 14:00" read as "3 December'),
        ("Thrusday 9am", utc(2026, 11, 26, 8, 0), '("Thrusday 9am" read as "Thursday 9am")'),
        (
            "3 Febuary 2027 10:00 Beijing time",
            utc(2027, 2, 3, 2, 0),
            '("3 Febuary 2027 10:00" read as "3 February 2027 10:00")',
        ),
    ],
)
def test_a_mistyped_weekday_or_month_is_read_and_the_reading_shows_it(text, start, heard):
    """ "Tuesady 14:00" and "3 Dcember 14:00" got "I cannot read"."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert result.start == start
    assert heard in result.reading


@pytest.mark.parametrize(
    ("text", "start", "zone"),
    [
        ("le 3 décembre à 14h heure de Genève", utc(2026, 12, 3, 13, 0), "heure de Genève"),
        ("3 Dec 14:00 à Genève", utc(2026, 12, 3, 13, 0), "à Genève"),
        (
            "3 de diciembre a las 14:00 hora de la Ciudad de México",
            utc(2026, 12, 3, 20, 0),
            "hora de la Ciudad de México",
        ),
        ("3 dic 14:00 hora de México", utc(2026, 12, 3, 20, 0), "hora de México"),
        (
            "3 декабря в 14:00 по московскому времени",
            utc(2026, 12, 3, 11, 0),
            "по московскому времени",
        ),
        ("3 ديسمبر 14:00 بتوقيت جنيف", utc(2026, 12, 3, 13, 0), "بتوقيت جنيف"),
        ("3 Dec 14:00 北京时间", utc(2026, 12, 3, 6, 0), "北京时间"),
    ],
)
def test_a_zone_named_in_another_un_language_is_read_and_echoed(text, start, zone):
    """ "14h heure de Genève", "hora de México", "北京时间": "I cannot read"."""
    result = when(text, [], zone=ZoneInfo("America/New_York"))
    assert isinstance(result, Instant)
    assert result.start == start
    assert f' time ("{zone}")' in result.reading


@pytest.mark.parametrize(
    ("text", "start", "english"),
    [
        ("12月3日 14:00", utc(2026, 12, 3, 13, 0), "3 December 14:00"),
        ("12月3日下午2点30分", utc(2026, 12, 3, 13, 30), "3 December 2:30pm"),
        ("2026年12月3日 14:00", utc(2026, 12, 3, 13, 0), "3 December 2026 14:00"),
        ("明天上午9点半", utc(2026, 11, 24, 8, 30), "tomorrow 9:30am"),
        ("周二下午3点", utc(2026, 11, 24, 14, 0), "Tuesday 3:00pm"),
        # 下周二 is the Tuesday of next week (said on Monday 23 November), not tomorrow.
        ("下周二 14:00", utc(2026, 12, 1, 13, 0), "1 December 2026 14:00"),
        ("１２月３日 １４：００", utc(2026, 12, 3, 13, 0), "3 December 14:00"),
    ],
)
def test_a_date_in_chinese_is_read_and_the_reading_says_so(text, start, english):
    """ "12月3日 14:00" and "明天上午9点" got "I cannot read"."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert result.start == start
    assert f'("{text}" read in Chinese as "{english}")' in result.reading


@pytest.mark.parametrize(
    ("text", "asked", "example"),
    [
        (
            "tomorrow at 3",
            '"at 3" could be 03:00 or 15:00: which one?',
            "/schedule X | tomorrow at 15:00  (or: /schedule X | tomorrow at 03:00)",
        ),
        ("Tuesday at 10", '"at 10" could be 10:00 or 22:00', "| Tuesday at 22:00  (or: "),
        (
            "3 Dec at 10 Beijing time",
            '"at 10" could be 10:00 or 22:00',
            "| 3 Dec at 10:00 Beijing time)",
        ),
        ("tomorrow 9", '"tomorrow 9" could be 09:00 or 21:00', "| tomorrow 21:00  (or: "),
        (
            "mañana a las 9",
            '"mañana a las 9" read in Spanish as "tomorrow 9": "tomorrow 9" could be',
            "| tomorrow 09:00)",
        ),
    ],
)
def test_an_hour_alone_from_1_to_11_is_asked_morning_or_evening(text, asked, example):
    """ "tomorrow at 3" proposed slots over all of tomorrow, "Tuesday at 10" was refused as
    "on Tuesday 10 November ... already over", "3 Dec at 10" read as the year 2110."""
    with pytest.raises(TimeParseError) as info:
        parse_when(text, now=NOW, zone=GENEVA, sessions=[], command="/schedule X |")
    assert info.value.message.startswith(asked)
    assert example in info.value.example


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("3 Dec at 14", utc(2026, 12, 3, 13, 0)),
        ("Thursday at 16", utc(2026, 11, 26, 15, 0)),
        ("tomorrow at 12", utc(2026, 11, 24, 11, 0)),
        ("el martes a las 15", utc(2026, 11, 24, 14, 0)),
    ],
)
def test_an_hour_alone_from_12_on_is_that_hour(text, start):
    result = when(text, [])
    assert isinstance(result, Instant)
    assert result.start == start


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("the 3rd at 2pm", utc(2026, 12, 3, 13, 0)),
        ("14:00 on the 3rd", utc(2026, 12, 3, 13, 0)),
        ("the 24th 10:00", utc(2026, 11, 24, 9, 0)),  # still to come this month
    ],
)
def test_a_day_of_the_month_alone_gone_by_is_next_months(text, start):
    """Said on 23 November, "the 3rd at 2pm" was refused as 3 November, in the past."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert result.start == start
    if start.month == 12:
        assert f'("{text}" taken as next month\'s, Thursday 3 December 2026)' in result.reading


def test_a_due_day_of_the_month_alone_gone_by_is_next_months():
    assert due_date("by the 3rd", now=NOW, zone=GENEVA, sessions=[]).date == dt.date(2026, 12, 3)
    assert due_date("by the 30th", now=NOW, zone=GENEVA, sessions=[]).date == dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "start", "agrees"),
    [
        ("3 Dec 14:00 CET (13:00 UTC)", utc(2026, 12, 3, 13, 0), '"13:00 UTC" agrees'),
        ("3 Dec 2pm Geneva / 8am New York", utc(2026, 12, 3, 13, 0), '"8am New York" agrees'),
        (
            "3 Dec 14:00-15:00 CET (13:00-14:00 UTC)",
            utc(2026, 12, 3, 13, 0),
            '"13:00-14:00 UTC" agrees',
        ),
        # Past midnight in Beijing: the time alone or with its own date.
        (
            "3 Dec 23:00 CET (06:00 Beijing time)",
            utc(2026, 12, 3, 22, 0),
            '"06:00 Beijing time" agrees',
        ),
        (
            "3 Dec 23:00 CET (4 Dec 06:00 Beijing time)",
            utc(2026, 12, 3, 22, 0),
            '"4 Dec 06:00 Beijing time" agrees',
        ),
    ],
)
def test_a_time_restated_in_another_zone_is_checked_and_said_to_agree(text, start, agrees):
    """ "3 Dec 14:00 CET (13:00 UTC)", as ITU invitations write it, got "I cannot read"."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert result.start == start
    assert result.reading.endswith(f"; {agrees}")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "3 Dec 14:00 CET (12:00 UTC)",
            '"3 Dec 14:00 CET" is Thu 3 Dec 2026 13:00 (UTC+0) in UTC, but "12:00 UTC" says '
            "12:00: which one? Write one time and its zone.",
        ),
        (
            "3 Dec 23:00 CET (3 Dec 06:00 Beijing time)",
            '"3 Dec 23:00 CET" is Fri 4 Dec 2026 06:00 (UTC+8) in Asia/Shanghai, but "3 Dec '
            '06:00 Beijing time" says 06:00: which one? Write one time and its zone.',
        ),
    ],
)
def test_a_time_restated_differently_in_another_zone_is_asked(text, says):
    with pytest.raises(TimeParseError) as info:
        parse_when(text, now=NOW, zone=GENEVA, sessions=[], command="/schedule X |")
    assert info.value.message == says
    assert info.value.example == f"/schedule X | {text.partition(' (')[0]}"


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("3 Dec 1400", utc(2026, 12, 3, 13, 0)),
        ("3 Dec 1400 hrs Beijing time", utc(2026, 12, 3, 6, 0)),
        ("3 Dec 2026 0930", utc(2026, 12, 3, 8, 30)),
        ("Tuesday 1400", utc(2026, 11, 24, 13, 0)),
        ("0930h tomorrow", utc(2026, 11, 24, 8, 30)),
        ("3 Dec 2030 2100", utc(2030, 12, 3, 20, 0)),
        ("3 Dec 1400 CET (1300 UTC)", utc(2026, 12, 3, 13, 0)),
    ],
)
def test_a_time_written_in_four_digits_is_that_time(text, start):
    """ "3 Dec 1400" was refused as the year 1400, "3 Dec 2026 1400" as unreadable."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert result.start == start


def test_a_year_alone_after_a_day_stays_the_year():
    result = when("3 Dec 2030", [])
    assert isinstance(result, Window)
    assert result.label == "on Tuesday 3 December 2030"


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        ("Tuesday 9.10", '("Tuesday 9.10" taken as tomorrow, Tuesday 24 November 2026)'),
        ("tomorrow at 12", '("tomorrow at 12" taken as tomorrow, Tuesday 24 November 2026)'),
        ("Thursday 14:00-15:30", '("Thursday 14:00-15:30" taken as Thursday 26 November 2026)'),
        ("Tuesday 1400", '("Tuesday 1400" taken as tomorrow, Tuesday 24 November 2026)'),
    ],
)
def test_the_reading_quotes_the_time_as_it_was_typed(text, taken):
    """The reading quoted "Tuesday 9:10", "tomorrow at 12:00" or "Thursday 14:00": the
    text after the bot's own rewriting, which the chair never typed."""
    assert taken in when(text, []).reading


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        (
            "Friday 3 Dec 14:00",
            '"Friday 3 Dec 14:00": 3 December 2026 is a Thursday, not a Friday.',
            "/schedule X | Thursday 3 Dec 14:00  (or: /schedule X | Friday 4 Dec 14:00)",
        ),
        (
            "Fri 3 December 2026 14:00 Beijing time",
            '"Fri 3 December 2026 14:00": 3 December 2026 is a Thursday, not a Friday.',
            "/schedule X | Thursday 3 Dec 2026 14:00 Asia/Shanghai  (or: /schedule X | "
            "Friday 4 Dec 2026 14:00 Asia/Shanghai)",
        ),
        (
            "Monday 3/12",
            '"Monday 3/12": 3 December 2026 is a Thursday, not a Monday.',
            "/schedule X | Thursday 3 Dec  (or: /schedule X | Monday 30 Nov)",
        ),
    ],
)
def test_a_weekday_that_is_not_the_dates_is_asked_about(text, says, example):
    """ "Friday 3 Dec 14:00" booked Thursday 3 December, the weekday ignored unsaid."""
    with pytest.raises(TimeParseError) as info:
        parse_when(text, now=NOW, zone=GENEVA, sessions=[], command="/schedule X |")
    assert info.value.message == f"{says} Write the weekday and the date of the day you mean."
    assert info.value.example == example


@pytest.mark.parametrize(
    ("text", "spans", "label"),
    [
        (
            "tomorrow morning",
            ((utc(2026, 11, 24, 7, 0), utc(2026, 11, 24, 11, 0)),),
            "on Tuesday 24 November 2026 in the morning (08:00-12:00 Europe/Zurich)",
        ),
        (
            "Thursday afternoon",
            ((utc(2026, 11, 26, 11, 0), utc(2026, 11, 26, 17, 0)),),
            "on Thursday 26 November 2026 in the afternoon (12:00-18:00 Europe/Zurich)",
        ),
        (
            "tomorrow evening Beijing time",
            ((utc(2026, 11, 24, 10, 0), utc(2026, 11, 24, 14, 0)),),
            "on Tuesday 24 November 2026 in the evening (18:00-22:00 Asia/Shanghai)",
        ),
    ],
)
def test_a_part_of_a_day_is_a_window_of_those_hours(text, spans, label):
    """ "tomorrow morning" proposed slots all over tomorrow, evening included."""
    result = when(text, [])
    assert isinstance(result, Window)
    assert (result.spans, result.label) == (spans, label)


@pytest.mark.parametrize(
    ("text", "start", "heard"),
    [
        ("à 14h", utc(2026, 11, 23, 13, 0), '("à 14h" read as "14:00")'),
        ("à 14h heure de Genève", utc(2026, 11, 23, 13, 0), '("à 14h" read as "14:00")'),
        ("le 3 à 14h", utc(2026, 12, 3, 13, 0), '("le 3 à 14h" read as "3 14:00")'),
    ],
)
def test_a_time_with_only_its_little_words_in_french_is_that_time(text, start, heard):
    """ "à 14h" was booked for 14:00 on 1 December: dateparser's English let "à" by as "a",
    one, the first of the month."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert result.start == start
    assert heard in result.reading


@pytest.mark.parametrize("text", ["Geneva time", "CET", "heure de Genève"])
def test_a_zone_alone_is_asked_for_the_day_and_time(text):
    """ "/schedule X | Geneva time" answered 'I know no place called "Geneva"'."""
    with pytest.raises(TimeParseError) as info:
        parse_when(text, now=NOW, zone=GENEVA, sessions=[], command="/schedule X |")
    assert info.value.message == f'"{text}" is a time zone, with no day or time: say when.'
    assert info.value.example == f"/schedule X | 21 Dec 2026 14:00 {text}"


@pytest.mark.parametrize(
    ("text", "spans", "english"),
    [
        (
            "demain matin",
            ((utc(2026, 11, 24, 7, 0), utc(2026, 11, 24, 11, 0)),),
            'in French as "tomorrow morning"',
        ),
        (
            "mardi après-midi",
            ((utc(2026, 11, 24, 11, 0), utc(2026, 11, 24, 17, 0)),),
            'in French as "tuesday afternoon"',
        ),
        (
            "mañana por la tarde",
            ((utc(2026, 11, 24, 11, 0), utc(2026, 11, 24, 17, 0)),),
            'in Spanish as "tomorrow afternoon"',
        ),
        (
            "завтра утром",
            ((utc(2026, 11, 24, 7, 0), utc(2026, 11, 24, 11, 0)),),
            'in Russian as "tomorrow morning"',
        ),
    ],
)
def test_a_part_of_a_day_in_another_language_is_a_window_of_its_hours(text, spans, english):
    """ "demain matin", "mardi après-midi": "I cannot read"."""
    result = when(text, [])
    assert isinstance(result, Window)
    assert result.spans == spans
    assert result.label.endswith(f' ("{text}" read {english})')


@pytest.mark.parametrize(
    "text", ["3 Dec midday", "3 Dec at mid-day", "3 de diciembre a mediodía", "3 декабря в полдень"]
)
def test_midday_is_noon(text):
    """ "/schedule X | 3 Dec midday" (or "a mediodía") got "I cannot read", though "noon"
    and the French "midi" were read."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert result.start == utc(2026, 12, 3, 11, 0)
    assert '12:00")' in result.reading


@pytest.mark.parametrize(
    "text", ["jeudi 3 décembre 2026 à 14 heures", "el jueves 3 de diciembre a las 14 horas"]
)
def test_an_hour_written_with_its_word_is_that_hour(text):
    """ "à 14 heures" was unreadable, "a las 14 horas" read as "14:00 hour"."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert result.start == utc(2026, 12, 3, 13, 0)
    assert 'as "thursday 3 december' in result.reading and "hour" not in result.reading


def test_a_word_in_capitals_is_no_french_little_word():
    """ "3 Dec 14:00 LA" was booked at 14:00 Geneva time, "LA" dropped as the French "la"."""
    with pytest.raises(TimeParseError) as info:
        when("3 Dec 14:00 LA", [])
    assert info.value.message == 'I cannot read "3 Dec 14:00 LA" as a date and time.'


@pytest.mark.parametrize("text", ["3 Dec 14:00 La", "3 Dec 14:00 El", "Friday 10:00 la"])
def test_a_little_word_last_is_no_french_or_spanish_article(text):
    """ "3 Dec 14:00 La" (Los Angeles, typed as a word) was booked at 14:00 Geneva time,
    "La" left out as the French "la": an article or "à" is never the last word."""
    with pytest.raises(TimeParseError) as info:
        when(text, [])
    assert info.value.message == f'I cannot read "{text}" as a date and time.'


def test_a_window_in_french_is_read_as_one():
    result = when("la semaine prochaine", [])
    assert isinstance(result, Window)
    assert result.spans == ((utc(2026, 11, 29, 23, 0), utc(2026, 12, 6, 23, 0)),)
    assert result.label.endswith('("la semaine prochaine" read in French as "next week")')


@pytest.mark.parametrize(
    ("text", "language", "english"),
    [
        ("aujourd'hui 14h", "French", "today 14:00"),
        ("hoy 14:00", "Spanish", "today 14:00"),
        ("сегодня в 14:00", "Russian", "today 14:00"),
    ],
)
def test_today_in_another_language_is_said_back_as_today(text, language, english):
    """The reply said '"aujourd'hui 14h" read in French as "0 day ago 14:00"',
    dateparser's own words for it, which no delegate would recognise."""
    result = when(text, [])
    assert result.start == utc(2026, 11, 23, 13, 0)
    assert f'("{text}" read in {language} as "{english}")' in result.reading


def test_reading_echoes_the_offset_and_how_cet_was_taken(iscg_sessions):
    result = when("1 June 15:00 CET", iscg_sessions)
    assert result.reading.startswith("Tue 1 Jun 2027 15:00 (UTC+2)")
    assert "Geneva" in result.reading


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("60m", 60),
        ("1h30", 90),
        ("1h30m", 90),
        ("for 90 minutes", 90),
        ("2 hours", 120),
        ("1.5h", 90),
        ("1,5h", 90),
        ("for 1,5 hours", 90),
        ("45 min", 45),
        ("1:15", 75),
        ("90", 90),  # no unit, but 90 hours is no meeting's length
        ("2", 120),  # nor 2 minutes
    ],
)
def test_durations(text, minutes):
    assert parse_duration(text) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["forever", "0m", "13h", "8"])
def test_bad_durations_are_refused_with_an_example(text):
    with pytest.raises(TimeParseError) as info:
        parse_duration(text)
    assert info.value.example


def test_a_duration_with_a_decimal_comma_inside_the_when_text():
    assert when("3 Dec 14:00 for 1,5 hours", []).duration == dt.timedelta(minutes=90)


def test_a_duration_inside_the_when_text(iscg_sessions):
    result = when("3 Dec 14:00 Geneva time for 90 minutes", iscg_sessions)
    assert result.duration == dt.timedelta(minutes=90)
    assert result.start == utc(2026, 12, 3, 13, 0)


def test_during_a_session_means_its_days_outside_working_hours(iscg_sessions):
    result = when("during TSAG", iscg_sessions)
    assert isinstance(result, Window)
    assert "TSAG, 19-23 January 2027, Geneva" in result.label
    # Five days, each with an early and a late part, in Geneva time (UTC+1 in January).
    assert len(result.spans) == 10
    assert result.spans[0] == (utc(2027, 1, 18, 23, 0), utc(2027, 1, 19, 8, 0))
    assert result.spans[1] == (utc(2027, 1, 19, 16, 30), utc(2027, 1, 19, 23, 0))
    assert result.end == utc(2027, 1, 23, 23, 0)


def test_between_two_sessions(iscg_sessions):
    result = when("between RAG and TDAG", iscg_sessions)
    assert isinstance(result, Window)
    # 28 May to 1 June 2027 in Geneva (UTC+2): the session days themselves are left out.
    assert result.spans == ((utc(2027, 5, 27, 22, 0), utc(2027, 6, 1, 22, 0)),)
    assert result.label.startswith("between RAG, 25-27 May 2027")


def test_before_a_session_leaves_out_other_sessions_days(iscg_sessions):
    result = when("before TDAG", iscg_sessions)
    assert result.end == utc(2027, 6, 1, 22, 0)
    assert result.start == utc(2027, 5, 18, 22, 0)
    # RAG (25-27 May) falls in the two weeks before TDAG: its days are cut out.
    assert (utc(2027, 5, 24, 22, 0), utc(2027, 5, 27, 22, 0)) not in result.spans
    for start, end in result.spans:
        assert not (start < utc(2027, 5, 27, 22, 0) and end > utc(2027, 5, 24, 22, 0))


def test_after_a_session(iscg_sessions):
    result = when("after RAG", iscg_sessions)
    assert result.start == utc(2027, 5, 27, 22, 0)
    assert result.end == utc(2027, 6, 10, 22, 0)


def test_next_week_and_a_month(iscg_sessions):
    week = when("next week", iscg_sessions)
    assert week.spans == ((utc(2026, 11, 29, 23, 0), utc(2026, 12, 6, 23, 0)),)
    assert "Monday 30 November 2026" in week.label
    january = when("in January", iscg_sessions)
    assert january.start == utc(2026, 12, 31, 23, 0)
    assert january.end == utc(2027, 1, 31, 23, 0)
    assert "January 2027" in january.label
    # A month named alone is the month too, as "/meetings December" means; it was
    # read as its first day. An abbreviation alone ("mar", "dec") is not taken so.
    for text in ("January", "january 2027"):
        alone = when(text, iscg_sessions)
        assert (alone.start, alone.end) == (january.start, january.end), text
        assert "January 2027" in alone.label


@pytest.mark.parametrize(
    ("text", "spans", "label"),
    [
        (
            "next week Beijing time",
            ((utc(2026, 11, 29, 16, 0), utc(2026, 12, 6, 16, 0)),),
            "next week, Monday 30 November 2026 - Sunday 6 December 2026, Beijing time",
        ),
        (
            "in January CET",
            ((utc(2026, 12, 31, 23, 0), utc(2027, 1, 31, 23, 0)),),
            "in January 2027, CET read as Geneva time",
        ),
        (
            "next month America/Mexico_City",
            ((utc(2026, 12, 1, 6, 0), utc(2027, 1, 1, 6, 0)),),
            "in December 2026, America/Mexico_City",
        ),
        # An offset, as a delegate writes their own: the days are counted there too.
        (
            "next week UTC+8",
            ((utc(2026, 11, 29, 16, 0), utc(2026, 12, 6, 16, 0)),),
            "next week, Monday 30 November 2026 - Sunday 6 December 2026, UTC+8",
        ),
        (
            "3 Dec GMT-5",
            ((utc(2026, 12, 3, 5, 0), utc(2026, 12, 4, 5, 0)),),
            "on Thursday 3 December 2026",
        ),
    ],
)
def test_a_calendar_window_with_a_zone_is_counted_in_that_zone(text, spans, label):
    """ "next week Beijing time" proposed slots on Monday alone, "in January CET" on
    1 January alone: the zone kept the window from being read as one."""
    result = when(text, [])
    assert isinstance(result, Window)
    assert (result.spans, result.label) == (spans, label)


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("in two weeks", dt.date(2026, 12, 7)),
        ("in 2 weeks", dt.date(2026, 12, 7)),
        ("in a fortnight", dt.date(2026, 12, 7)),
        ("two weeks from now", dt.date(2026, 12, 7)),
        ("in three weeks' time", dt.date(2026, 12, 14)),
        ("dans deux semaines", dt.date(2026, 12, 7)),
    ],
)
def test_weeks_ahead_is_that_week_to_propose_slots_in(text, monday):
    """ "/schedule X | in two weeks" proposed slots on Monday 7 December alone (today's
    weekday), not across the week two weeks on; as a due date it is still that day."""
    result = when(text, [])
    assert isinstance(result, Window)
    sunday = monday + dt.timedelta(days=6)
    week = f"Monday {monday.day} December 2026 - Sunday {sunday.day} December 2026"
    assert week in result.label
    first = dt.datetime.combine(monday, dt.time(), GENEVA)
    assert result.spans == ((first, first + dt.timedelta(days=7)),)
    assert due_date(text, now=NOW, zone=GENEVA, sessions=[]).date == monday


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("du 7 au 9 décembre", dt.date(2026, 12, 7), dt.date(2026, 12, 9)),
        ("del 7 al 9 de diciembre", dt.date(2026, 12, 7), dt.date(2026, 12, 9)),
        ("entre el 7 y el 9 de diciembre", dt.date(2026, 12, 7), dt.date(2026, 12, 9)),
        ("с 7 по 9 декабря", dt.date(2026, 12, 7), dt.date(2026, 12, 9)),
        ("7-9 Dec", dt.date(2026, 12, 7), dt.date(2026, 12, 9)),
        ("from 7 to 9 December", dt.date(2026, 12, 7), dt.date(2026, 12, 9)),
        ("between 7 and 9 December", dt.date(2026, 12, 7), dt.date(2026, 12, 9)),
        ("Dec 7-9", dt.date(2026, 12, 7), dt.date(2026, 12, 9)),
        ("3/12 - 5/12", dt.date(2026, 12, 3), dt.date(2026, 12, 5)),
        # Across a month's end, the month written once or on each side.
        ("du 30 novembre au 2 décembre", dt.date(2026, 11, 30), dt.date(2026, 12, 2)),
        ("30 to 2 December", dt.date(2026, 11, 30), dt.date(2026, 12, 2)),
        ("28 Dec to 3", dt.date(2026, 12, 28), dt.date(2027, 1, 3)),
        ("12月7日至9日", dt.date(2026, 12, 7), dt.date(2026, 12, 9)),
    ],
)
def test_a_range_of_days_is_a_window_of_those_days(text, first, last):
    """ "du 25 au 27 mai" and "del 25 al 27 de mayo" got "I cannot read", and "25-27 May"
    was 25 May alone."""
    result = when(text, [])
    assert isinstance(result, Window), result
    assert (
        result.label
        == f"from {first:%A} {first.day} {first:%B %Y} to {last:%A} {last.day} {last:%B %Y}"
    )
    start = max(dt.datetime.combine(first, dt.time(), GENEVA), NOW)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), GENEVA)
    assert result.spans == ((start, end),)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("3 Dec 10-12", dt.datetime(2026, 12, 3, 10, tzinfo=GENEVA)),
        ("Dec 3 10-12", dt.datetime(2026, 12, 3, 10, tzinfo=GENEVA)),
        ("3 Dec 10 to 12", dt.datetime(2026, 12, 3, 10, tzinfo=GENEVA)),
        ("9-11 tomorrow", dt.datetime(2026, 11, 24, 9, tzinfo=GENEVA)),
    ],
)
def test_an_hour_range_beside_a_day_is_no_range_of_days(text, start):
    """ "/schedule X | 3 Dec 10-12" (ten to noon) proposed slots from 3 to 12 December 2110,
    "3 Dec 10" read as a day in the year 2110, and "9-11 tomorrow" slots from today, as
    from 9 November to tomorrow; the numbers are the hours, start and end."""
    result = when(text, [])
    assert isinstance(result, Instant), result
    assert result.start == start
    assert result.duration == dt.timedelta(hours=2)


def test_a_range_of_days_that_ends_before_it_starts_is_refused():
    with pytest.raises(TimeParseError) as info:
        when("9 to 7 December", [])
    assert info.value.message == (
        '"9 to 7 December" ends (Monday 7 December 2026) before it starts (Wednesday '
        "9 December 2026)."
    )


def test_months_ahead_are_this_day_of_that_month_not_its_first():
    """Said on 23 November, "in a month" was 1 December, a week away, as a due date, a
    meeting's day ("in a month 14:00") and the window to propose slots in."""
    assert due_date("in a month", now=NOW, zone=GENEVA, sessions=[]).date == dt.date(2026, 12, 23)
    assert due_date("in 2 months", now=NOW, zone=GENEVA, sessions=[]).date == dt.date(2027, 1, 23)
    assert when("in a month 14:00", []).start == utc(2026, 12, 23, 13, 0)
    window = when("in a month", [])
    assert window.label == "in a month, Monday 21 December 2026 - Sunday 27 December 2026"


def test_sept_is_september_as_a_month_and_in_a_day(iscg_sessions):
    month = when("in Sept", iscg_sessions)
    assert "September 2027" in month.label
    assert month.end == utc(2027, 9, 30, 22, 0)
    with pytest.raises(TimeParseError) as info:
        when("31 Sept 10:00", iscg_sessions)
    assert "31 Sept is not a date: September 2027 has 30 days." in info.value.message
    assert info.value.example.endswith("| 30 Sept 10:00")


def test_a_day_without_a_time_is_a_window_of_that_day(iscg_sessions):
    result = when("3 Dec", iscg_sessions)
    assert isinstance(result, Window)
    assert result.spans == ((utc(2026, 12, 2, 23, 0), utc(2026, 12, 3, 23, 0)),)


def test_this_week_starts_now_not_in_the_past(iscg_sessions):
    result = when("this week", iscg_sessions)
    assert result.start == NOW


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        ("3 Dec 14:00 CST", '"CST" could mean', "| 3 Dec 14:00 Beijing time"),
        ("3 Dec 14:00 IST", '"IST" could mean', "| 3 Dec 14:00 Delhi time"),
        ("3 Dec 14:00 BST", '"BST" could mean', "IANA"),
        ("2 Nov 2026 10:00", "in the past", "14:00"),
        ("today 07:00", "in the past", "14:00"),
        ("during FOO", 'no group called "FOO"', "during TSAG"),
        ("between RAG and XYZ", 'no group called "XYZ"', "between RAG and TDAG"),
        ("during WRC", "No upcoming WRC session", "/sessions add WRC"),
        ("between RAG and RAG", "No RAG session is recorded after Thursday 27 May", "add RAG"),
        ("whenever suits", 'cannot read "whenever suits"', "3 Dec 14:00"),
        ("3 Dec 14:00 Europe/Genva", '"Europe/Genva" is not an IANA', "Europe/Zurich"),
        ("28 March 2027 02:30 CET", "does not exist", "| 28 March 2027 03:30 CET"),
        ("in March 2026", "already over", "next week"),
        ("3 Dec 24:00", "24:00 is the midnight that ends a day", "4 Dec 00:00"),
        ("3 Dec 14:00 in Atlantis time", 'I know no place called "Atlantis"', "Africa/Lagos"),
        ("3 Dec 24h00 Beijing time", "write it as 00:00 with the next day's date", "4 Dec"),
    ],
)
def test_refusals_say_which_part_failed_and_show_an_example(text, says, example, iscg_sessions):
    with pytest.raises(TimeParseError) as info:
        when(text, iscg_sessions)
    assert says in info.value.message
    assert example in (info.value.example or "") + info.value.message


@pytest.mark.parametrize(
    ("text", "unread", "place"),
    [
        ("3 Dec 25:00 Geneva time", "3 Dec 25:00", "Geneva time"),
        ("3 Dec at lunch Beijing time", "3 Dec at lunch", "Beijing time"),
        (
            "the day after the plenary 10:00 Mexico City time",
            "the day after the plenary 10:00",
            "Mexico City time",
        ),
    ],
)
def test_a_known_place_is_not_blamed_for_a_date_that_does_not_read(
    text, unread, place, iscg_sessions
):
    """'3 Dec 25:00 Geneva time' got 'I know no place called "Geneva"': the place was
    read, the date and time were not. The refusal names the part that failed."""
    with pytest.raises(TimeParseError) as info:
        when(text, iscg_sessions)
    assert info.value.message == (
        f'I cannot read "{unread}" as a date and time (the rest, "{place}", I read).'
    )
    assert "no place" not in info.value.message
    assert info.value.example == "/schedule Climate change | 3 Dec 14:00 " + place


@pytest.mark.parametrize(
    ("command", "text", "says", "example"),
    [
        # The clocks skip 02:30 in Geneva: the example is the same moment as the clocks show it.
        (
            "/schedule X |",
            "28 Mar 2027 02:30 Geneva time",
            "clocks move forward then, to 03:30",
            "/schedule X | 28 Mar 2027 03:30 Geneva time",
        ),
        ("/reschedule m4 |", "2:30am", "does not exist", "/reschedule m4 | 03:30"),
        # Its "am" goes with the hour it follows: "03:30am" is no way to write it.
        (
            "/reschedule m4 |",
            "2:30 a.m. Geneva time",
            "does not exist",
            "/reschedule m4 | 03:30 Geneva time",
        ),
        ("/reschedule m4 |", "whenever suits", "cannot read", "/reschedule m4 | 3 Dec 14:00"),
    ],
)
def test_refusals_show_the_command_typed_with_a_time_that_works(command, text, says, example):
    # Sunday 28 March 2027, 01:00 in Geneva: the clocks go forward in an hour.
    now = utc(2027, 3, 28, 0, 0)
    with pytest.raises(TimeParseError) as info:
        parse_when(text, now=now, zone=GENEVA, sessions=[], command=command)
    assert says in info.value.message
    assert info.value.example.startswith(example)


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        # Year-month-day strictly: never read as year-day-month.
        ("2027-13-01 10:00", "2027-13-01 is not a date: there is no month 13.", "2027-01-13 10:00"),
        ("2027-31-12 10:00", "2027-31-12 is not a date: there is no month 31.", "2027-12-31 10:00"),
        ("2027-02-30 10:00", "2027-02-30 is not a date: February 2027 has 28 days.", "2027-02-28"),
        ("2028-02-30 10:00", "February 2028 has 29 days.", "2028-02-29 10:00"),
        ("31 Feb 2027 10:00", "31 Feb 2027 is not a date: February 2027 has 28 days.", "28 Feb"),
        ("31 April 10:00", "31 April is not a date: April 2027 has 30 days.", "30 April 10:00"),
        # A day of the month alone past any month's last: not the year 2032.
        ("the 32nd 14:00", "32nd is not a date: no month has so many days.", "the 31st 14:00"),
    ],
)
def test_a_day_no_calendar_has_is_refused_with_the_reason(text, says, example):
    with pytest.raises(TimeParseError) as info:
        parse_when(text, now=TESTER_NOW, zone=GENEVA, sessions=[], command="/reschedule m4 |")
    assert says in info.value.message
    assert info.value.example.startswith(f"/reschedule m4 | {example}")


@pytest.mark.parametrize(
    ("text", "start", "reading"),
    [
        # A place's standard and summer names mean its wall clock, as CET does Geneva's:
        # Auckland and Sydney keep summer time in December.
        ("3 Dec 14:00 NZDT", utc(2026, 12, 3, 1, 0), "(UTC+13) NZDT read as Auckland time"),
        ("3 Dec 14:00 NZST", utc(2026, 12, 3, 1, 0), "(UTC+13) NZST read as Auckland time"),
        ("3 Dec 14:00 NZT", utc(2026, 12, 3, 1, 0), "(UTC+13) NZT read as Auckland time"),
        ("1 Jul 2027 14:00 NZT", utc(2027, 7, 1, 2, 0), "(UTC+12) NZT read as Auckland time"),
        ("3 Dec 14:00 AEST", utc(2026, 12, 3, 3, 0), "(UTC+11) AEST read as Sydney time"),
        ("3 Dec 14:00 EAT", utc(2026, 12, 3, 11, 0), "(UTC+3) EAT (Nairobi)"),
        ("3 Dec 14:00 WAT", utc(2026, 12, 3, 13, 0), "(UTC+1) WAT (Lagos)"),
        ("3 Dec 14:00 CAT", utc(2026, 12, 3, 12, 0), "(UTC+2) CAT (Maputo)"),
        ("3 Dec 14:00 PKT", utc(2026, 12, 3, 9, 0), "(UTC+5) PKT (Karachi)"),
        ("3 Dec 14:00 ICT", utc(2026, 12, 3, 7, 0), "(UTC+7) ICT (Bangkok)"),
        ("3 Dec 14:00 SGT", utc(2026, 12, 3, 6, 0), "(UTC+8) SGT (Singapore)"),
        ("3 Dec 14:00 HKT", utc(2026, 12, 3, 6, 0), "(UTC+8) HKT (Hong Kong)"),
        ("3 Dec 14:00 KST", utc(2026, 12, 3, 5, 0), "(UTC+9) KST (Seoul)"),
        ("3 Dec 14:00 BRT", utc(2026, 12, 3, 17, 0), "(UTC-3) BRT (Brasilia)"),
        ("3 Dec 14:00 ART", utc(2026, 12, 3, 17, 0), "(UTC-3) ART (Buenos Aires)"),
        ("3 Dec 14:00 IRST", utc(2026, 12, 3, 10, 30), "(UTC+3:30) IRST (Tehran)"),
        ("3 Dec 14:00 EET", utc(2026, 12, 3, 12, 0), "(UTC+2) EET read as Vilnius time"),
        # One the tables do not hold is read at the offset it stands for, and named.
        ("3 Dec 14:00 HST", utc(2026, 12, 4, 0, 0), "(UTC-10) HST (UTC-10)"),
    ],
)
def test_a_zone_abbreviation_is_read_as_its_zone_and_named_in_the_reading(text, start, reading):
    result = when(text, [])
    assert result.start == start
    assert result.reading.endswith(f"14:00 {reading}")
    assert "your zone" not in result.reading


@pytest.mark.parametrize(
    ("text", "question", "example"),
    [
        (
            "3 Dec 14:00 IST",
            '"IST" could mean India, Irish or Israel Standard Time: which one? I will not '
            'guess. Write the city, "Delhi time", "Dublin time" or "Jerusalem time", '
            "or an IANA zone.",
            "/schedule X | 3 Dec 14:00 Delhi time  (or: 3 Dec 14:00 Dublin time)",
        ),
        (
            "3 Dec 14:00 CST",
            '"CST" could mean China, Central (Mexico City or US, which differ in summer) or '
            'Cuba Standard Time: which one? I will not guess. Write the city, "Beijing time", '
            '"Mexico City time", "Chicago time" or "Havana time", or an IANA zone.',
            "/schedule X | 3 Dec 14:00 Beijing time  (or: 3 Dec 14:00 Mexico City time)",
        ),
    ],
)
def test_an_ambiguous_abbreviation_is_a_question_with_each_reading_written_out(
    text, question, example
):
    with pytest.raises(TimeParseError) as info:
        parse_when(text, now=NOW, zone=GENEVA, sessions=[], command="/schedule X |")
    assert info.value.message == question
    assert info.value.example == example
    for city in ("Delhi", "Dublin", "Jerusalem", "Beijing", "Mexico City", "Chicago", "Havana"):
        assert isinstance(when(f"3 Dec 14:00 {city} time", []), Instant)


@pytest.mark.parametrize(
    ("text", "message", "example"),
    [
        (
            "3 Dec midnight",
            '"3 Dec midnight" could be 00:00 at the start of Thursday 3 December 2026 (the '
            "night of 2 to 3 December) or the midnight that ends it (the night of 3 to 4 "
            "December): which one? Write 00:00 with the date of the day that begins.",
            "/schedule X | 4 Dec 00:00  (the night of 3 to 4 December; "
            "3 Dec 00:00 for the night of 2 to 3 December)",
        ),
        (
            "30 Nov midnight Beijing time",
            '"30 Nov midnight" could be 00:00 at the start of Monday 30 November 2026 (the '
            "night of 29 to 30 November) or the midnight that ends it (the night of 30 "
            "November to 1 December): which one? Write 00:00 with the date of the day that "
            "begins.",
            "/schedule X | 1 Dec 00:00 Asia/Shanghai  (the night of 30 November to 1 December; "
            "30 Nov 00:00 for the night of 29 to 30 November)",
        ),
    ],
)
def test_midnight_with_a_day_is_asked_with_both_readings(text, message, example):
    with pytest.raises(TimeParseError) as info:
        parse_when(text, now=NOW, zone=GENEVA, sessions=[], command="/schedule X |")
    assert info.value.message == message
    assert info.value.example == example
    # Each reading, written as the example says, is the night it names.
    assert when("4 Dec 00:00", []).start == utc(2026, 12, 3, 23, 0)


@pytest.mark.parametrize(
    ("text", "example"),
    [
        ("3 Dec 24:00", "/schedule X | 4 Dec 00:00  (the night of 3 to 4 December)"),
        ("15 Mar 2027 24:00", "/schedule X | 16 Mar 2027 00:00  (the night of 15 to 16 March)"),
        (
            "31 Dec 2028 24h00 Beijing time",
            "/schedule X | 1 Jan 2029 00:00 Asia/Shanghai  (the night of 31 December to 1 January)",
        ),
        ("24:00", "/schedule X | 00:00  (the coming midnight)"),
    ],
)
def test_24_00_is_refused_with_the_next_day_of_the_date_typed(text, example):
    """The example was "4 Dec 00:00 (the night of 3 to 4 December)" whatever the date."""
    with pytest.raises(TimeParseError) as info:
        parse_when(text, now=NOW, zone=GENEVA, sessions=[], command="/schedule X |")
    assert info.value.message.startswith("24:00 is the midnight that ends a day")
    assert info.value.example == example


def test_midnight_alone_is_the_next_one_on_the_clock():
    result = when("midnight", [])
    assert result.start == utc(2026, 11, 23, 23, 0)
    assert result.reading.startswith("Tue 24 Nov 2026 00:00 (UTC+1)")


@pytest.mark.parametrize("text", ["3 Dec 14:00 at the met office", "next week wat", "14:00 art"])
def test_a_word_in_small_letters_is_no_zone_abbreviation(text):
    assert find_zone(text) == (None, "", text)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("3 Dec 14.00", utc(2026, 12, 3, 13, 0)),
        ("3 Dec 9.30 Beijing time", utc(2026, 12, 3, 1, 30)),
        ("3.12.2026 14.00", utc(2026, 12, 3, 13, 0)),
        ("Thursday 14.30", utc(2026, 11, 26, 13, 30)),
        # Minutes that could be a month: with the day named beside them, still the time.
        ("3 Dec 9.10", utc(2026, 12, 3, 8, 10)),
        ("Tuesday 9.10", utc(2026, 11, 24, 8, 10)),
        ("9.05 on Thu", utc(2026, 11, 26, 8, 5)),
        ("3.12.2026 9.10", utc(2026, 12, 3, 8, 10)),
        ("2026-12-03 9.12", utc(2026, 12, 3, 8, 12)),
        ("tomorrow 9.10 Beijing time", utc(2026, 11, 24, 1, 10)),
    ],
)
def test_a_time_written_with_a_dot_is_a_time_not_a_day_to_propose_slots_in(text, start):
    """ "3 Dec 14.00" was read as the whole of 3 December, and slots were proposed in it."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert result.start == start


@pytest.mark.parametrize(
    ("text", "asked", "example"),
    [
        ("10.12", '"10.12" could be 10 December or 10:12', "/schedule X | 10 Dec  (or: "),
        ("9.10", '"9.10" could be 9 October or 09:10', "/schedule X | 09:10)"),
        ("9.10 for 30 minutes", '"9.10" could be 9 October or 09:10', "/schedule X | 9 Oct  (or: "),
    ],
)
def test_a_dotted_pair_alone_that_reads_as_a_day_or_a_time_is_asked(text, asked, example):
    """ "10.12" alone proposed slots for the rest of today (dateparser's 10:12, the time
    then dropped), "9.10" for tomorrow: neither 10 December nor a meeting at 09:10."""
    with pytest.raises(TimeParseError) as info:
        parse_when(text, now=NOW, zone=GENEVA, sessions=[], command="/schedule X |")
    assert info.value.message == (
        f"{asked}: which one? Write the month as a word for the day, or the time with a colon."
    )
    assert example in info.value.example


def test_a_dotted_pair_beside_a_time_is_the_day():
    result = when("10.12 14:00 Beijing time", [])
    assert isinstance(result, Instant)
    assert result.start == utc(2026, 12, 10, 6, 0)


@pytest.mark.parametrize(
    ("text", "start", "reading"),
    [
        # dateparser read ET and PT at their winter offsets all year, labelled "your zone".
        ("1 Jul 2027 14:00 ET", utc(2027, 7, 1, 18, 0), "(UTC-4) ET read as New York time"),
        ("3 Dec 14:00 ET", utc(2026, 12, 3, 19, 0), "(UTC-5) ET read as New York time"),
        ("1 Jul 2027 2 PM PT", utc(2027, 7, 1, 21, 0), "(UTC-7) PT read as Los Angeles time"),
    ],
)
def test_us_time_shorthands_are_the_wall_clock_of_their_place(text, start, reading):
    result = when(text, [])
    assert result.start == start
    assert result.reading.endswith(reading)


def test_central_time_is_asked_mexico_city_or_chicago():
    with pytest.raises(TimeParseError) as info:
        parse_when("3 Dec 14:00 CT", now=NOW, zone=GENEVA, sessions=[], command="/schedule X |")
    assert '"Mexico City time" or "Chicago time"' in info.value.message
    assert info.value.example == (
        "/schedule X | 3 Dec 14:00 Mexico City time  (or: 3 Dec 14:00 Chicago time)"
    )


@pytest.mark.parametrize(
    ("text", "start", "minutes"),
    [
        ("3 Dec 14:00-15:00 CET", utc(2026, 12, 3, 13, 0), 60),
        ("3 Dec 2-3:30pm", utc(2026, 12, 3, 13, 0), 90),
        ("3 Dec 11-1pm", utc(2026, 12, 3, 10, 0), 120),
        ("3 Dec 9:30 to 11:00 Beijing time", utc(2026, 12, 3, 1, 30), 90),
        ("2027-01-12 14.00-15.00", utc(2027, 1, 12, 13, 0), 60),
        ("Thursday 23:00-00:30 Mexico City time", utc(2026, 11, 27, 5, 0), 90),
    ],
)
def test_a_time_range_is_a_start_and_a_length(text, start, minutes):
    """ "3 Dec 14:00-15:00 CET", as a calendar writes it, got "I cannot read"."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert (result.start, result.duration) == (start, dt.timedelta(minutes=minutes))


@pytest.mark.parametrize(
    "text", ["2026-12-03T14:00-05:00", "2026-12-03 14:00-05:00", "3 Dec 14:00 -05:00"]
)
def test_a_time_with_its_utc_offset_is_no_range(text):
    """An ISO 8601 time with its offset was taken for the range 14:00 to 05:00 and
    refused as no meeting's span; it is 14:00 at UTC-5."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert (result.start, result.duration) == (utc(2026, 12, 3, 19, 0), None)


def test_a_range_too_short_for_a_meeting_says_so():
    with pytest.raises(TimeParseError) as info:
        when("3 Dec 14:00-14:02", [])
    assert info.value.message.startswith('"14:00-14:02" is not a meeting\'s span')


@pytest.mark.parametrize(
    ("text", "start", "label"),
    [
        ("3 Dec 14:00 China time", utc(2026, 12, 3, 6, 0), "China time"),
        ("3 Dec 14:00 Iran time", utc(2026, 12, 3, 10, 30), "Iran time"),
        ("3 Dec 14:00 Cameroon time", utc(2026, 12, 3, 13, 0), "Cameroon time"),
        ("3 Dec 14:00 Lithuania time", utc(2026, 12, 3, 12, 0), "Lithuania time"),
        ("1 Jul 2027 14:00 UK time", utc(2027, 7, 1, 13, 0), "UK time"),
    ],
)
def test_a_country_of_one_zone_is_its_zone(text, start, label):
    """Members' own countries got 'I know no place called "China"'."""
    result = when(text, [])
    assert result.start == start
    assert result.reading.endswith(f") {label}")


def test_find_zone_strips_the_zone_words():
    zone, label, rest = find_zone("3 Dec 14:00 Mexico City time")
    assert zone == ZoneInfo("America/Mexico_City") and rest == "3 Dec 14:00"
    assert label == "Mexico City time"


@pytest.mark.parametrize(
    ("text", "start", "note", "second"),
    [
        (
            "31 Oct 2027 02:30 Geneva time",
            utc(2027, 10, 31, 0, 30),
            "; 02:30 comes twice that night as the clocks go back: this is the first, UTC+2; "
            "for the second write 02:30 UTC+1",
            "31 Oct 2027 02:30 UTC+1",
        ),
        (
            "7 Nov 2027 01:30 America/New_York",
            utc(2027, 11, 7, 5, 30),
            "for the second write 01:30 UTC-5",
            "7 Nov 2027 01:30 UTC-5",
        ),
    ],
)
def test_a_time_the_clocks_show_twice_is_the_first_and_the_reading_says_so(
    text, start, note, second
):
    result = when(text, [])
    assert result.start == start
    assert result.reading.endswith(note)
    assert when(second, []).start == start + dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("text", "start", "note"),
    [
        # The night summer time ends, the abbreviation written says which 02:30 is meant.
        (
            "31 Oct 2027 02:30 CET",
            utc(2027, 10, 31, 1, 30),
            "(UTC+1) CET read as Geneva time; 02:30 comes twice that night as the clocks go "
            "back: this is the second, UTC+1, as CET says; for the first write 02:30 UTC+2",
        ),
        (
            "31 Oct 2027 02:30 CEST",
            utc(2027, 10, 31, 0, 30),
            "(UTC+2) CEST read as Geneva time; 02:30 comes twice that night as the clocks go "
            "back: this is the first, UTC+2; for the second write 02:30 UTC+1",
        ),
        ("7 Nov 2027 01:30 EST", utc(2027, 11, 7, 6, 30), "this is the second, UTC-5, as EST"),
        ("4 Apr 2027 02:30 NZST", utc(2027, 4, 3, 14, 30), "the second, UTC+12, as NZST says"),
    ],
)
def test_a_repeated_time_is_the_one_its_written_abbreviation_names(text, start, note):
    result = when(text, [])
    assert result.start == start
    assert note in result.reading


def test_an_etc_zone_is_read_whole_with_the_offset_it_means():
    # "GMT+5" inside Etc/GMT+5 is no offset of its own: the zone is UTC-5.
    result = parse_when("3 Dec 14:00 Etc/GMT+5", now=NOW, zone=GENEVA, sessions=[])
    assert result.start == utc(2026, 12, 3, 19, 0)
    assert result.reading == (
        "Thu 3 Dec 2026 14:00 (UTC-5) Etc/GMT+5, which is UTC-5: Etc/GMT signs are reversed"
    )
    # Written as an offset, GMT+5 is what it says.
    assert when("3 Dec 14:00 GMT+5", []).start == utc(2026, 12, 3, 9, 0)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("by Friday", dt.date(2026, 11, 27)),
        ("by 15 January", dt.date(2027, 1, 15)),
        ("due 2027-01-15", dt.date(2027, 1, 15)),
        ("before TDAG", dt.date(2027, 6, 2)),
        ("by next Tuesday", dt.date(2026, 11, 24)),
    ],
)
def test_due_dates(text, day, iscg_sessions):
    assert due_date(text, now=NOW, zone=GENEVA, sessions=iscg_sessions).date == day


@pytest.mark.parametrize(
    ("text", "day", "taken"),
    [
        ("by Friday", dt.date(2026, 11, 27), '"by Friday" said on a Friday is today'),
        ("by Fri", dt.date(2026, 11, 27), 'for a week from today write "by next Friday"'),
        ("by next Friday", dt.date(2026, 12, 4), ""),
        ("by Monday", dt.date(2026, 11, 30), ""),
        ("by EOD", dt.date(2026, 11, 27), '"by EOD" is the end of today, Fri 27 Nov 2026'),
        ("by COB", dt.date(2026, 11, 27), "end of today"),
        ("by close of business", dt.date(2026, 11, 27), "end of today"),
        ("by end of the day", dt.date(2026, 11, 27), "end of today"),
        ("by mid-December", dt.date(2026, 12, 15), "read as the 15th, Tue 15 Dec 2026"),
        ("by mid January", dt.date(2027, 1, 15), "read as the 15th, Fri 15 Jan 2027"),
        ("by mid next month", dt.date(2026, 12, 15), "read as the 15th"),
    ],
)
def test_due_dates_said_on_a_friday(text, day, taken):
    # Friday 27 November 2026, 23:30 in Geneva: the day is not over, so it is still today
    # (and in Beijing, already Saturday, it is next Friday).
    now = utc(2026, 11, 27, 22, 30)
    due = due_date(text, now=now, zone=GENEVA, sessions=[])
    assert due.date == day
    assert taken in due.taken_as and bool(taken) == bool(due.taken_as)
    beijing = due_date("by Friday", now=now, zone=SHANGHAI, sessions=[])
    assert beijing.date == dt.date(2026, 12, 4) and not beijing.taken_as


@pytest.mark.parametrize(
    ("zone", "text", "day"),
    [
        (GENEVA, "by 1 December", dt.date(2026, 12, 1)),
        (GENEVA, "by 01/12", dt.date(2026, 12, 1)),
        (SHANGHAI, "by 1 Dec", dt.date(2026, 12, 1)),
        # Still 30 November in Mexico City.
        (MEXICO_CITY, "by 30 November", dt.date(2026, 11, 30)),
        (MEXICO_CITY, "by 1 December", dt.date(2026, 12, 1)),
        (GENEVA, "by 1 December 2027", dt.date(2027, 12, 1)),
        (GENEVA, "by 30 November 2027", dt.date(2027, 11, 30)),
        # Months gone by: next year's, as planned.
        (GENEVA, "by 1 June", dt.date(2027, 6, 1)),
    ],
)
def test_a_due_date_of_today_is_today_not_next_year(zone, text, day):
    assert due_date(text, now=TESTER_NOW, zone=zone, sessions=[]).date == day


@pytest.mark.parametrize(
    ("text", "day", "taken"),
    [
        ("15 janvier", dt.date(2027, 1, 15), '"15 janvier" read in French as "15 january"'),
        ("by le 15 janvier", dt.date(2027, 1, 15), '"le 15 janvier" read in French as'),
        ("el viernes", dt.date(2026, 11, 27), '"el viernes" read in Spanish as "friday"'),
        ("15 de enero de 2027", dt.date(2027, 1, 15), '"15 de enero de 2027" read in Spanish'),
        ("15 января", dt.date(2027, 1, 15), '"15 января" read in Russian as "15 january"'),
        ("1月15日", dt.date(2027, 1, 15), '"1月15日" read in Chinese as "15 January"'),
        # Said on a Monday, as "by Monday" is: today, and the reply says both.
        ("lundi", dt.date(2026, 11, 23), '"lundi" read in French as "monday"; "lundi" said on'),
    ],
)
def test_a_due_date_in_another_un_language_is_read_and_said(text, day, taken):
    """ "/due A1 15 janvier" got 'I could not read "15 janvier" as a date'."""
    due = due_date(text, now=NOW, zone=GENEVA, sessions=[])
    assert due.date == day
    assert due.taken_as.startswith(taken)


@pytest.mark.parametrize(
    ("text", "day", "taken"),
    [
        ("by 12/15", dt.date(2026, 12, 15), '"12/15" read month first, as Tuesday 15 December'),
        ("by 11/30", dt.date(2026, 11, 30), "(there is no month 30)"),
        ("1-13", dt.date(2027, 1, 13), '"1-13" read month first, as Wednesday 13 January 2027'),
        ("by 12.30", dt.date(2026, 12, 30), '"12.30" read month first, as Wednesday 30 December'),
        # Day first whenever it can be: the house rule.
        ("by 15/12", dt.date(2026, 12, 15), ""),
        ("by 01/12", dt.date(2026, 12, 1), ""),
    ],
)
def test_a_due_date_that_can_only_be_month_first_is_read_so_and_said(text, day, taken):
    """'/action Jane Doe to send it by 12/15' was due on 12 November 2115, and 'by 11/30'
    on 11 November 2030: the second number was read as the year."""
    due = due_date(text, now=NOW, zone=GENEVA, sessions=[])
    assert due.date == day
    assert taken in due.taken_as and bool(taken) == bool(due.taken_as)


@pytest.mark.parametrize(
    "text", ["reviewed by Sam", "checked by Mai", "signed by Lu", "send it by Ven"]
)
def test_a_name_after_by_is_no_date_in_another_language(text):
    """'reviewed by Sam' was due on Saturday ('"Sam" read in French as "saturday"'),
    the name dropped from the action's text."""
    assert split_due(text, now=NOW, zone=GENEVA, sessions=[]) == (text, None)
    # In small letters, as French writes them, they are still the days.
    assert due_date("by mai", now=NOW, zone=GENEVA, sessions=[]).date == dt.date(2027, 5, 1)
    assert due_date("by sam.", now=NOW, zone=GENEVA, sessions=[]).date == dt.date(2026, 11, 28)


@pytest.mark.parametrize(("text", "says"), [("by di", '"di" could be Sunday'), ("by do", '"do"')])
def test_a_due_day_word_languages_read_differently_is_asked(text, says):
    """ "/due A1 by di" (dinsdag) was due on Sunday."""
    with pytest.raises(TimeParseError) as info:
        due_date(text, now=NOW, zone=GENEVA, sessions=[])
    assert info.value.message.startswith(says)
    assert info.value.example.startswith("by Sunday  (or: by T")


def test_a_due_day_just_gone_is_late_not_due_next_year():
    with pytest.raises(TimeParseError) as info:
        due_date("by 30 November", now=TESTER_NOW, zone=GENEVA, sessions=[])
    assert "Monday 30 November 2026, which is in the past" in info.value.message


def test_due_before_a_session_says_which(iscg_sessions):
    due = due_date("before TDAG", now=NOW, zone=GENEVA, sessions=iscg_sessions)
    assert due.note == "first day of TDAG, 2-5 June 2027"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("by yesterday", "in the past"),
        ("before FOO", 'no group called "FOO"'),
        ("before WRC", "No upcoming WRC session"),
        ("by the cows come home", "cannot read"),
        ("due 2027-13-01", "2027-13-01 is not a date: there is no month 13."),
        ("due 2027-31-12", "2027-31-12 is not a date: there is no month 31."),
        ("by 31 Feb", "31 Feb is not a date: February 2027 has 28 days."),
    ],
)
def test_due_date_refusals(text, says, iscg_sessions):
    with pytest.raises(TimeParseError) as info:
        due_date(text, now=NOW, zone=GENEVA, sessions=iscg_sessions)
    assert says in info.value.message


def test_split_due_finds_a_trailing_due_phrase(iscg_sessions):
    def split(text):
        return split_due(text, now=NOW, zone=GENEVA, sessions=iscg_sessions)

    assert split("send the mapping to TSB by Friday") == (
        "send the mapping to TSB",
        due_date("by Friday", now=NOW, zone=GENEVA, sessions=iscg_sessions),
    )
    assert split("prepare slides before TDAG.")[1].date == dt.date(2027, 6, 2)
    assert split("review by the TSB") == ("review by the TSB", None)
    with pytest.raises(TimeParseError):
        split("prepare slides before FOO")


def test_sessions_named_in_the_wrong_order_are_an_empty_window_not_a_missing_session():
    # TDAG in April, RAG in March: there is no time "between TDAG and RAG".
    sessions = [
        session("TDAG", "2027-04-06", "2027-04-09"),
        session("RAG", "2027-03-15", "2027-03-17"),
    ]
    with pytest.raises(TimeParseError) as info:
        parse_when(
            "between TDAG and RAG", now=NOW, zone=GENEVA, sessions=sessions, command="/schedule W |"
        )
    assert info.value.message == (
        '"between TDAG and RAG" is an empty window: the next RAG session '
        "(RAG, 15-17 March 2027, Geneva) comes before the next TDAG session "
        "(TDAG, 6-9 April 2027, Geneva), and no later RAG session is recorded. "
        "Name the earlier session first."
    )
    assert info.value.example == "/schedule W | between RAG and TDAG"


def test_examples_in_refusals_are_dated_from_the_clock_not_a_set_year():
    # Tuesday 1 February 2028: an example "3 Dec 2027" would be in the past itself.
    now = utc(2028, 2, 1, 8, 0)
    with pytest.raises(TimeParseError) as past:
        parse_when("2028-01-05 10:00", now=now, zone=GENEVA, sessions=[], command="/schedule X |")
    assert past.value.example == (
        "/schedule X | next Tuesday 14:00 Geneva time, or a full date such as 29 Feb 2028 14:00"
    )
    with pytest.raises(TimeParseError) as unreadable:
        due_date("by Fridya", now=now, zone=GENEVA, sessions=[])
    assert unreadable.value.example.endswith("or due 2028-02-29")
    with pytest.raises(TimeParseError) as no_session:
        parse_when("during RAG", now=now, zone=GENEVA, sessions=[])
    assert no_session.value.example.startswith("/sessions add RAG 2028-02-29 to 2028-03-04 ")
    # Each example, typed, is read as the future it shows.
    assert parse_when("29 Feb 2028 14:00", now=now, zone=GENEVA, sessions=[]).start > now


def test_the_short_words_of_a_due_phrase_are_put_to_the_languages_once(monkeypatch):
    """Each short word of a due phrase ("the", "of", "on": is it a German or Dutch day?)
    was put to a dozen languages on every action line read, and list posts' lines repeat
    them: a line whose "by" leads a long phrase took over twice as long to read."""
    asked: list[str] = []
    original = Locale.is_applicable

    def is_applicable(self, date_string, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(date_string)
        return original(self, date_string, *args, **kwargs)

    monkeypatch.setattr(Locale, "is_applicable", is_applicable)
    counts = []
    for topic in ("budget", "agenda", "report"):
        with pytest.raises(TimeParseError):
            due_date(
                f"by the end of the meeting of the group on the {topic}",
                now=NOW,
                zone=GENEVA,
                sessions=[],
            )
        counts.append({word: asked.count(word) for word in ("the", "end", "of", "on")})
    assert counts[2] == counts[0]  # the second and third lines asked nothing again


@pytest.mark.parametrize("text", ["3 Dec 14:00–15:30", "3 Dec 14:00 – 15:30"])
def test_a_range_with_a_mails_dash_is_read_as_english(text):
    """ "3 Dec 14:00–15:30", the dash Word and Outlook put in a range, was said to be
    'read in French as "3 december 14:00–15:30"' to the English chair who wrote it."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert result.start == dt.datetime(2026, 12, 3, 14, tzinfo=GENEVA)
    assert result.duration == dt.timedelta(minutes=90)
    assert "French" not in result.reading and " read " not in result.reading


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("tomorrow 14h-16h", dt.datetime(2026, 11, 24, 14, tzinfo=GENEVA)),
        ("14-16h tomorrow", dt.datetime(2026, 11, 24, 14, tzinfo=GENEVA)),
        ("3 Dec 14-16h", dt.datetime(2026, 12, 3, 14, tzinfo=GENEVA)),
        ("Thursday 9-11h", dt.datetime(2026, 11, 26, 9, tzinfo=GENEVA)),
    ],
)
def test_a_range_of_hours_written_with_h_is_the_start_and_the_length(text, start):
    """'/schedule X | tomorrow 14h-16h', a range as French and Swiss members write it in
    an English sentence, was booked at the hour it was said (dateparser kept the clock's),
    '9-11h Thursday' on Wednesday 9 December at 11:00, and '3 Dec 14-16h' refused as in
    the year 2114; the range is read as '14:00-16:00' is."""
    result = when(text, [])
    assert isinstance(result, Instant)
    assert result.start == start
    assert result.duration == dt.timedelta(hours=2)


@pytest.mark.parametrize("text", ["Monday to Friday", "Mon-Fri", "du lundi au vendredi"])
def test_a_range_of_weekdays_said_on_its_first_day_is_next_weeks(text):
    """Said on Monday 23 November, '/schedule X | Monday to Friday' was refused as ending
    (Friday 27 November) before it starts (Monday 30 November): each day was read alone."""
    result = when(text, [])
    assert isinstance(result, Window)
    assert result.label.startswith("from Monday 30 November 2026 to Friday 4 December 2026"), (
        result.label
    )


@pytest.mark.parametrize("text", ["Mon 7.12.", "Monday 7.12.", "Mon 7.12. 14:00"])
def test_a_dotted_date_after_its_weekday_is_that_day(text):
    """'/schedule X | Mon 7.12.' (Monday 7 December, as German calendars write it) was
    booked on Monday 30 November at 07:12: the weekday made '7.12' a time."""
    result = when(text, [])
    day = result.start if isinstance(result, Instant) else result.spans[0][0]
    assert day.astimezone(GENEVA).date() == dt.date(2026, 12, 7)
    if isinstance(result, Instant):
        assert result.start.astimezone(GENEVA).time() == dt.time(14)
