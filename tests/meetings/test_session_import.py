"""`iscg-bot sessions import FILE.ics` on a calendar like a real export."""

from __future__ import annotations

import datetime as dt

from bot.cli import main
from bot.session_import import import_calendar
from storage import sessions
from tests.conftest import NOW

EXPORT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Export//EN
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:tsag-1@example.org
DTSTAMP:20261101T000000Z
SUMMARY:TSAG-7 (fourth meeting)
LOCATION:Geneva
DTSTART;VALUE=DATE:20270119
DTEND;VALUE=DATE:20270124
END:VEVENT
BEGIN:VEVENT
UID:rag-1@example.org
DTSTAMP:20261101T000000Z
SUMMARY:RAG meeting
DTSTART;TZID=W. Europe Standard Time:20270525T093000
DTEND;TZID=W. Europe Standard Time:20270527T173000
END:VEVENT
BEGIN:VEVENT
UID:council@example.org
DTSTAMP:20261101T000000Z
SUMMARY:ITU Council
LOCATION:Geneva
DTSTART;VALUE=DATE:20270616
DTEND;VALUE=DATE:20270620
RRULE:FREQ=YEARLY;COUNT=2
END:VEVENT
BEGIN:VEVENT
UID:late-night@example.org
DTSTAMP:20261101T000000Z
SUMMARY:TDAG
DTSTART:20270601T230000Z
DTEND:20270605T150000Z
END:VEVENT
BEGIN:VEVENT
UID:lunch@example.org
DTSTAMP:20261101T000000Z
SUMMARY:Lunch with partners
DTSTART:20270120T110000Z
DTEND:20270120T120000Z
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")


async def test_import_reads_all_day_timed_and_recurring_events(services):
    async with services.db.transaction() as conn:
        report = await import_calendar(conn, EXPORT, source="export.ics", now=NOW)
    assert report.skipped == ["Lunch with partners"]
    assert report.added == [
        "TSAG, 19-23 January 2027, Geneva",
        "RAG, 25-27 May 2027",
        # A timed event starting 23:00 UTC starts on 1 June in UTC, its own zone.
        "TDAG, 1-5 June 2027",
        "Council, 16-19 June 2027, Geneva",
        "Council, 16-19 June 2028, Geneva",
    ]
    async with services.db.transaction() as conn:
        again = await import_calendar(conn, EXPORT, source="export.ics", now=NOW)
        every = await sessions.every(conn)
    assert again.added == [] and len(again.unchanged) == 5
    imported = [s for s in every if s.source == "import: export.ics"]
    assert len(imported) == 5
    assert imported[0].title == "TSAG-7 (fourth meeting)"


def test_the_cli_imports_and_a_second_run_changes_nothing(settings, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ISCG_DB_PATH", str(tmp_path / "cli.sqlite3"))
    first = dt.date.today() + dt.timedelta(days=40)
    text = EXPORT.replace("20270119", first.strftime("%Y%m%d")).replace(
        "20270124", (first + dt.timedelta(days=5)).strftime("%Y%m%d")
    )
    path = tmp_path / "export.ics"
    path.write_text(text)
    assert main(["sessions", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert (
        "+ TSAG," in out and "skipped (no known group in its summary): Lunch with partners" in out
    )
    assert main(["sessions", "import", str(path)]) == 0
    assert capsys.readouterr().out.startswith("added 0,")
    bad = tmp_path / "bad.ics"
    bad.write_text("not a calendar")
    assert main(["sessions", "import", str(bad)]) == 1
