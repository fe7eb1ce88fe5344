"""`iscg-bot sessions import FILE.ics`: sessions from a real calendar export.

All-day multi-day events, timed events with TZID and VTIMEZONE, and recurring
events (expanded with recurring-ical-events) are read; an event is kept only
if its summary names a known group (RAG, TSAG, TDAG, Council, WTSA, WTDC,
RA, WRC, PP) and reported otherwise. A session is one group and first day,
so importing the same file again changes nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

import aiosqlite
import icalendar
import recurring_ical_events

from bot.app import open_services
from bot.config import Settings
from storage import sessions
from storage.sessions import group_in_text

PAST = dt.timedelta(days=366)
AHEAD = dt.timedelta(days=3 * 366)


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"added {len(self.added)}, already known {len(self.unchanged)}, "
            f"skipped {len(self.skipped)}"
        ]
        out += [f"  + {label}" for label in self.added]
        out += [f"  - skipped (no known group in its summary): {s}" for s in self.skipped]
        return out


def _days(event: icalendar.Event) -> tuple[dt.date, dt.date]:
    """First and last day of an event, in the event's own zone; DTEND is exclusive."""
    start = event["DTSTART"].dt
    end = event["DTEND"].dt if "DTEND" in event else None
    if not isinstance(start, dt.datetime):
        last = (end - dt.timedelta(days=1)) if end else start
        return start, max(start, last)
    end = end or start + (event["DURATION"].dt if "DURATION" in event else dt.timedelta())
    if end.tzinfo is None and start.tzinfo is not None:
        end = end.replace(tzinfo=start.tzinfo)
    last_moment = end - dt.timedelta(microseconds=1) if end > start else start
    if start.tzinfo is not None:
        last_moment = last_moment.astimezone(start.tzinfo)
    return start.date(), last_moment.date()


async def import_calendar(
    conn: aiosqlite.Connection, text: bytes | str, *, source: str, now: dt.datetime
) -> ImportReport:
    """Add the sessions of a calendar inside the caller's transaction."""
    calendar = icalendar.Calendar.from_ical(text)
    events = recurring_ical_events.of(calendar).between(now - PAST, now + AHEAD)
    report = ImportReport()
    for event in sorted(events, key=lambda e: str(e["DTSTART"].dt)):
        summary = str(event.get("SUMMARY", "")).strip()
        group = group_in_text(summary)
        if group is None:
            if summary not in report.skipped:
                report.skipped.append(summary or "(no summary)")
            continue
        first, last = _days(event)
        location = str(event.get("LOCATION", "")).strip() or None
        session, added = await sessions.add(
            conn,
            group=group,
            first_day=first,
            last_day=last,
            place=location,
            title=summary,
            source=f"import: {source}",
            now=now,
        )
        (report.added if added else report.unchanged).append(session.label())
    return report


def cli_import(settings: Settings, path: Path) -> int:
    """The `iscg-bot sessions import FILE.ics` subcommand: prints the report, exit status."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"iscg-bot: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1

    async def work() -> ImportReport:
        services = await open_services(settings)
        try:
            async with services.db.transaction() as conn:
                return await import_calendar(conn, data, source=path.name, now=services.now())
        finally:
            await services.db.close()

    try:
        report = asyncio.run(work())
    except ValueError as exc:
        print(f"iscg-bot: {path} is not an iCalendar file: {exc}", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0
