"""`/calendar.ics` and `/meetings/<id>.ics`, parsed back by icalendar and by vobject."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import vobject

from bot import weblinks
from storage import meetings, sessions
from storage.db import Database
from tests.web.agenda import make_agenda


@pytest.fixture
async def agenda(services):
    return await make_agenda(services)


def _events(text: str) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


async def test_feed_has_recent_and_upcoming_meetings_and_sessions(client, agenda, services):
    response = await client.get("/calendar.ics")
    assert response.status == 200
    assert response.content_type == "text/calendar"
    assert response.charset == "utf-8"
    text = await response.text()
    calendar = icalendar.Calendar.from_ical(text)
    assert "METHOD" not in calendar
    events = _events(text)
    assert "Summer review" not in events  # ended more than 90 days ago
    for title in ("October check-in", "Coordination call", "February call", "Spring call"):
        assert title in events, title
    assert str(events["February call"]["STATUS"]) == "CANCELLED"
    assert str(events["Coordination call"]["STATUS"]) == "CONFIRMED"
    assert events["Coordination call"].decoded("DTSTART") == dt.datetime(
        2027, 1, 19, 13, 0, tzinfo=dt.UTC
    )
    assert "ATTENDEE" not in events["Coordination call"]
    async with services.db.read() as conn:
        expected = [s for s in await sessions.every(conn) if s.last_day >= dt.date(2026, 8, 25)]
    all_day = [
        event
        for event in calendar.walk("VEVENT")
        if not isinstance(event.decoded("DTSTART"), dt.datetime)
    ]
    assert any(s.group == "TSAG" and s.first_day == dt.date(2027, 1, 18) for s in expected)
    assert len(all_day) == len(expected)
    assert {event.decoded("DTSTART") for event in all_day} == {s.first_day for s in expected}


async def test_vobject_reads_the_same_feed(client, agenda):
    text = await (await client.get("/calendar.ics")).text()
    parsed = vobject.readOne(text)
    by_title = {event.summary.value: event for event in parsed.vevent_list}
    assert by_title["February call"].status.value == "CANCELLED"
    start = by_title["Spring call"].dtstart.value
    assert start.astimezone(dt.UTC) == dt.datetime(2027, 3, 29, 13, 0, tzinfo=dt.UTC)
    assert start.utcoffset() == dt.timedelta(hours=2)  # Geneva summer time
    assert len(by_title) == len(_events(text))


async def test_polling_with_the_etag_or_the_date_costs_a_304(client, agenda):
    first = await client.get("/calendar.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('W/"')
    body = await first.read()
    again = await client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert again.status == 304
    assert await again.read() == b""
    assert again.headers["ETag"] == etag
    since = await client.get("/calendar.ics", headers={"If-Modified-Since": modified})
    assert since.status == 304
    stale = await client.get("/calendar.ics", headers={"If-None-Match": 'W/"other"'})
    assert stale.status == 200
    assert await stale.read() == body  # the kept feed, not a rebuilt one


async def test_a_change_gives_a_new_etag_and_feed(client, agenda, services):
    first = await client.get("/calendar.ics")
    etag = first.headers["ETag"]
    async with services.db.transaction() as conn:
        await meetings.move(
            conn,
            agenda.next_call.id,
            dt.datetime(2027, 1, 20, 13, 0, tzinfo=dt.UTC),
            dt.datetime(2027, 1, 20, 14, 0, tzinfo=dt.UTC),
            services.now(),
        )
    changed = await client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert changed.status == 200
    assert changed.headers["ETag"] != etag
    event = _events(await changed.text())["Coordination call"]
    assert event.decoded("DTSTART").astimezone(dt.UTC).day == 20
    assert int(event["SEQUENCE"]) == 1


async def test_one_meeting_as_an_ics_to_import(client, agenda):
    response = await client.get(f"/meetings/{agenda.next_call.id}.ics")
    assert response.status == 200
    assert response.content_type == "text/calendar"
    text = await response.text()
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["METHOD"]) == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == agenda.next_call.uid
    assert vobject.readOne(text).vevent.summary.value == "Coordination call"
    again = await client.get(
        f"/meetings/{agenda.next_call.id}.ics", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status == 304
    assert (await client.get("/meetings/999.ics")).status == 404


async def test_the_feed_needs_the_key_on_a_private_site(private_client, private_services):
    assert (await private_client.get("/calendar.ics")).status == 403
    key = await weblinks.access_key(private_services)
    response = await private_client.get("/calendar.ics", params={"key": key})
    assert response.status == 200
    assert response.content_type == "text/calendar"


async def test_home_page_offers_the_webcal_link(client, private_client, private_services):
    from tests.web.html import read

    page = read(await (await client.get("/")).text())
    webcal = page.link("Subscribe to the ISCG calendar")
    assert webcal.startswith("webcal://127.0.0.1:") and webcal.endswith("/calendar.ics")
    key = await weblinks.access_key(private_services)
    page = read(await (await private_client.get("/", params={"key": key})).text())
    assert page.link("Subscribe to the ISCG calendar").endswith(f"/calendar.ics?key={key}")


async def test_a_change_made_by_another_process_is_seen(client, agenda, services):
    """`iscg-bot ask "/cancel ..."` on the same file writes through its own connection."""
    etag = (await client.get("/calendar.ics")).headers["ETag"]
    other = await Database(services.settings.db_path).open()
    try:
        async with other.transaction() as conn:
            await meetings.cancel(conn, agenda.next_call.id, "chair unavailable", services.now())
    finally:
        await other.close()
    changed = await client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert changed.status == 200
    assert str(_events(await changed.text())["Coordination call"]["STATUS"]) == "CANCELLED"


async def test_meetings_leave_the_feed_90_days_after_they_end(client, agenda, clock):
    etag = (await client.get("/calendar.ics")).headers["ETag"]
    # "October check-in" ended 1 Oct 2026 13:00 UTC; 90 days later it is history.
    clock.set(dt.datetime(2026, 12, 30, 13, 1, tzinfo=dt.UTC))
    later = await client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert later.status == 200
    assert "October check-in" not in _events(await later.text())
