"""`/meetings` and `/meetings/<id>`: times in Geneva, UTC and the visitor's zone; answers."""

from __future__ import annotations

import pytest

from tests.web.agenda import make_agenda
from tests.web.html import read


@pytest.fixture
async def agenda(services):
    return await make_agenda(services)


async def test_upcoming_and_past_with_geneva_and_utc_times(client, agenda):
    response = await client.get("/meetings")
    assert response.status == 200
    page = read(await response.text())
    assert page.problems() == []
    assert [text for level, text in page.headings] == ["ISCG meetings", "Upcoming", "Past"]
    text = page.text
    upcoming, past = text.split("Upcoming", 1)[1].split("Past", 1)
    assert "Coordination call" in upcoming and "October check-in" in past
    assert "Summer review" in past
    assert "Geneva: Tue 19 Jan 2027, 14:00–15:00 (CET, UTC+1)" in upcoming
    assert "UTC: Tue 19 Jan 2027, 13:00–14:00 (UTC)" in upcoming
    # The Monday after the clocks change: summer time in Geneva.
    assert "Geneva: Mon 29 Mar 2027, 15:00–16:00 (CEST, UTC+2)" in upcoming
    assert "February call (cancelled)" in upcoming
    assert page.link("Coordination call") == f"/meetings/{agenda.next_call.id}"


async def test_the_visitors_zone_is_added_and_carried_on(client, agenda):
    page = read(await (await client.get("/meetings", params={"tz": "America/Mexico_City"})).text())
    assert "America/Mexico_City: Tue 19 Jan 2027, 07:00–08:00 (CST, UTC-6)" in page.text
    assert page.link("Coordination call") == (
        f"/meetings/{agenda.next_call.id}?tz=America%2FMexico_City"
    )
    page = read(await (await client.get("/meetings", params={"tz": "Asia/Kolkata"})).text())
    assert "Asia/Kolkata: Tue 19 Jan 2027, 18:30–19:30 (IST, UTC+5:30)" in page.text


async def test_an_unknown_zone_is_said_and_ignored(client, agenda):
    response = await client.get("/meetings", params={"tz": "Geneva<script>"})
    assert response.status == 200
    html = await response.text()
    assert "<script>" not in html
    page = read(html)
    assert "“Geneva<script>” is not an IANA time zone name" in page.text
    assert "Geneva: Tue 19 Jan 2027" in page.text


async def test_one_meeting_with_attendance_answers_and_its_ics(client, agenda):
    response = await client.get(f"/meetings/{agenda.next_call.id}", params={"tz": "Asia/Tehran"})
    assert response.status == 200
    html = await response.text()
    page = read(html)
    assert page.problems() == []
    assert page.headings[0] == (1, "Coordination call")
    assert "Asia/Tehran Tue 19 Jan 2027, 16:30–17:30 (UTC+3:30)" in page.text
    assert "1 accepted, 1 declined, 1 no answer yet." in page.text
    assert "Ana Ruiz accepted" in page.text
    assert "Bo Chen declined" in page.text
    assert "Cy Nkemelu no answer yet" in page.text
    assert "ana@example.org" not in page.text  # answers, not addresses
    assert "AOB &lt;b&gt;" in html
    assert page.link("Add this meeting to your calendar (.ics)") == (
        f"/meetings/{agenda.next_call.id}.ics"
    )
    assert page.link("https://meet.example.org/iscg") == "https://meet.example.org/iscg"


async def test_a_cancelled_meeting_says_so_and_why(client, agenda):
    page = read(await (await client.get(f"/meetings/{agenda.cancelled.id}")).text())
    assert "This meeting is cancelled: clashes with TDAG" in page.text


async def test_unknown_meeting_is_not_found(client, agenda):
    assert (await client.get("/meetings/999")).status == 404
    # A number SQLite cannot take was a 500 page and a traceback in the log.
    for path in ("/meetings/99999999999999999999999", "/meetings/99999999999999999999999.ics"):
        assert (await client.get(path)).status == 404, path
