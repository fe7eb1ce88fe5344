"""The iCal rules one by one, each calendar read back by icalendar and by vobject."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from bot.ical import feed, meeting_calendar
from storage.meetings import Attendee, Meeting
from tests.meetings.conftest import session

UTC = dt.UTC
STAMP = dt.datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def meeting(start: dt.datetime, **changes) -> Meeting:
    data = {
        "id": 1,
        "code": "m1",
        "uid": "iscg-abc@bot.example.org",
        "title": "Climate change pilot",
        "start": start,
        "end": start + dt.timedelta(minutes=60),
        "sequence": 0,
        "status": "confirmed",
        "organizer_id": 1,
        "organizer_name": "Fabio Bigi",
        "channel": "console:main",
        "theme_id": None,
        "agenda": "1. Mapping\n2. AOB",
        "join_url": "https://meet.example.org/iscg",
        "list_invited": False,
        "cancel_reason": None,
        "updated_at": start - dt.timedelta(days=10),
        "attendees": [
            Attendee(
                person_id=2, email="noah@example.cn", name="Noah LUO", timezone="Asia/Shanghai"
            ),
            Attendee(person_id=3, email="inga@example.lt", name="Inga Rimkeviciene"),
            Attendee(person_id=4, name="Chat Only"),
        ],
    }
    data.update(changes)
    return Meeting(**data)


def both(text: str):
    """The VEVENT as icalendar and as vobject read it."""
    cal = icalendar.Calendar.from_ical(text)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    parsed = vobject.readOne(text)
    return cal, events[0], parsed


START = dt.datetime(2026, 12, 3, 13, 0, tzinfo=UTC)


def request(m: Meeting, method: str = "REQUEST", **kw) -> str:
    return meeting_calendar(
        m, method=method, now=STAMP, organizer_email="iscg-bot@example.org", **kw
    )


def test_request_has_method_uid_sequence_and_utc_dtstamp():
    text = request(meeting(START))
    cal, event, parsed = both(text)
    assert cal["METHOD"] == "REQUEST"
    assert str(event["UID"]) == "iscg-abc@bot.example.org"
    assert text.count("SEQUENCE:") == 1 and "SEQUENCE:0" in text
    assert "DTSTAMP:20261123T080000Z" in text
    assert parsed.vevent.dtstamp.value == STAMP


def test_a_fresh_dtstamp_on_every_send():
    later = dt.datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    text = meeting_calendar(
        meeting(START), method="REQUEST", now=later, organizer_email="iscg-bot@example.org"
    )
    assert "DTSTAMP:20261124T093000Z" in text


def test_organizer_is_the_bare_bot_address_with_the_chairs_name():
    _, event, parsed = both(request(meeting(START)))
    assert str(event["ORGANIZER"]) == "mailto:iscg-bot@example.org"
    assert event["ORGANIZER"].params["CN"] == "Fabio Bigi"
    assert parsed.vevent.organizer.value == "mailto:iscg-bot@example.org"


def test_one_attendee_per_person_with_an_address():
    _, event, parsed = both(request(meeting(START)))
    attendees = event.get("ATTENDEE")
    assert [str(a) for a in attendees] == ["mailto:noah@example.cn", "mailto:inga@example.lt"]
    for attendee in attendees:
        assert attendee.params["RSVP"] == "TRUE"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendees[0].params["CN"] == "Noah LUO"
    assert len(parsed.vevent.attendee_list) == 2


def test_dtstart_in_geneva_with_a_compact_vtimezone_and_dtend_not_duration():
    text = request(meeting(START))
    assert "DTSTART;TZID=Europe/Zurich:20261203T140000" in text
    assert "DTEND;TZID=Europe/Zurich:20261203T150000" in text
    assert "DURATION" not in text.split("BEGIN:VEVENT")[1]
    # One VTIMEZONE in RRULE style: no RDATE list for Outlook to misread.
    assert text.count("BEGIN:VTIMEZONE") == 1
    zone = text.split("BEGIN:VTIMEZONE")[1].split("END:VTIMEZONE")[0]
    assert "RDATE" not in zone
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in zone
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in zone
    # DAYLIGHT starts at 02:00 CET (the offset before the change), as RFC 5545 3.6.5 says.
    daylight = zone.split("BEGIN:DAYLIGHT")[1]
    assert re.search(r"DTSTART:\d{4}03\d\dT020000", daylight)


def test_description_url_and_alarm():
    _, event, parsed = both(request(meeting(START)))
    assert "1. Mapping" in str(event["DESCRIPTION"])
    assert "https://meet.example.org/iscg" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "https://meet.example.org/iscg"
    alarm = event.walk("VALARM")[0]
    assert alarm["TRIGGER"].dt == -dt.timedelta(minutes=15)
    assert alarm["ACTION"] == "DISPLAY"
    assert parsed.vevent.valarm.trigger.value == -dt.timedelta(minutes=15)


def test_update_keeps_the_uid_and_raises_the_sequence():
    moved = meeting(START + dt.timedelta(days=1), sequence=1)
    text = request(moved)
    _, event, _ = both(text)
    assert str(event["UID"]) == "iscg-abc@bot.example.org"
    assert text.count("SEQUENCE:") == 1 and "SEQUENCE:1" in text


def test_cancel_has_method_cancel_status_cancelled_and_a_higher_sequence():
    gone = meeting(START, sequence=2, status="cancelled", cancel_reason="clash with TSAG")
    text = request(gone, "CANCEL")
    cal, event, parsed = both(text)
    assert cal["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert not event.walk("VALARM")
    assert parsed.vevent.status.value == "CANCELLED"
    with pytest.raises(ValueError):
        request(meeting(START), "CANCEL")


def test_publish_announcement_has_no_attendees():
    cal, event, _ = both(request(meeting(START), "PUBLISH"))
    assert cal["METHOD"] == "PUBLISH"
    assert "ATTENDEE" not in event


@pytest.mark.parametrize(
    ("zone", "start"),
    [
        # Geneva: the night the clocks go forward, and the one they go back.
        ("Europe/Zurich", dt.datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
        ("Europe/Zurich", dt.datetime(2027, 3, 27, 23, 30, tzinfo=UTC)),
        ("Europe/Zurich", dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("Europe/Zurich", dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
        ("Europe/Zurich", dt.datetime(2027, 7, 1, 12, 0, tzinfo=UTC)),
        # Mexico City kept DST until October 2022; Tehran until September 2022.
        ("America/Mexico_City", dt.datetime(2022, 4, 3, 9, 0, tzinfo=UTC)),
        ("America/Mexico_City", dt.datetime(2022, 10, 30, 6, 30, tzinfo=UTC)),
        ("America/Mexico_City", dt.datetime(2022, 10, 30, 7, 30, tzinfo=UTC)),
        ("America/Mexico_City", dt.datetime(2026, 12, 3, 15, 0, tzinfo=UTC)),
        ("Asia/Tehran", dt.datetime(2022, 3, 21, 20, 0, tzinfo=UTC)),
        ("Asia/Tehran", dt.datetime(2022, 9, 21, 19, 0, tzinfo=UTC)),
        ("Asia/Tehran", dt.datetime(2022, 9, 21, 20, 0, tzinfo=UTC)),
        ("Asia/Tehran", dt.datetime(2027, 1, 10, 6, 30, tzinfo=UTC)),
    ],
)
def test_both_parsers_read_the_same_utc_instant_across_dst_changes(zone, start):
    text = request(meeting(start), zone=ZoneInfo(zone))
    local = start.astimezone(ZoneInfo(zone))
    if local.fold:  # the repeated hour: written in UTC, since a local time would be ambiguous
        assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z" in text
    else:
        assert f"DTSTART;TZID={zone}:{local:%Y%m%dT%H%M%S}" in text
    _, event, parsed = both(text)
    # icalendar resolves the TZID itself; vobject builds its tzinfo from our VTIMEZONE.
    assert event["DTSTART"].dt.astimezone(UTC) == start
    assert parsed.vevent.dtstart.value.astimezone(UTC) == start
    assert parsed.vevent.dtend.value.astimezone(UTC) == start + dt.timedelta(hours=1)


def test_vobject_uses_the_vtimezone_we_wrote():
    parsed = vobject.readOne(request(meeting(dt.datetime(2027, 7, 1, 12, 0, tzinfo=UTC))))
    local = parsed.vevent.dtstart.value
    assert (local.hour, local.utcoffset()) == (14, dt.timedelta(hours=2))


def test_feed_has_no_method_sessions_all_day_and_cancelled_meetings_marked():
    items = [
        meeting(START),
        meeting(
            START + dt.timedelta(days=7),
            id=2,
            code="m2",
            uid="u2@x",
            status="cancelled",
            sequence=1,
        ),
    ]
    sessions = [session("TSAG", "2027-01-19", "2027-01-23")]
    text = feed(items, sessions, now=STAMP, organizer_email="iscg-bot@example.org")
    cal = icalendar.Calendar.from_ical(text)
    assert "METHOD" not in cal
    events = cal.walk("VEVENT")
    assert len(events) == 3
    by_uid = {str(e["UID"]): e for e in events}
    assert by_uid["u2@x"]["STATUS"] == "CANCELLED"
    tsag = next(e for e in events if "TSAG" in str(e["SUMMARY"]))
    assert tsag["DTSTART"].dt == dt.date(2027, 1, 19)
    assert tsag["DTEND"].dt == dt.date(2027, 1, 24)  # exclusive end
    assert "ATTENDEE" not in text
    parsed = vobject.readOne(text)
    assert len(parsed.vevent_list) == 3
