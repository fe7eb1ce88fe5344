"""`/meetings` and `/meetings/<id>`: when, in Geneva, UTC and the visitor's zone; who comes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from aiohttp import web

from bot.handlers.web.site import SITE, Site
from bot.timeparse import date_text
from storage import meetings
from storage.meetings import Meeting

EVERYTHING = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ANSWERS = {
    "ACCEPTED": "accepted",
    "TENTATIVE": "maybe",
    "DECLINED": "declined",
    "DELEGATED": "delegated",
    "NEEDS-ACTION": "no answer yet",
}


@dataclass(frozen=True)
class ZoneTime:
    label: str  # "Geneva", "UTC", "America/Mexico_City"
    text: str  # "Tue 19 Jan 2027, 14:00–15:00 (CET, UTC+1)"


def _offset(moment: dt.datetime) -> str:
    minutes = int((moment.utcoffset() or dt.timedelta()).total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    sign = "+" if minutes > 0 else "-"
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def span(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> str:
    """One meeting's time in one zone, with the offset so nobody has to guess it."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    until = f"{last:%H:%M}" if first.date() == last.date() else f"{date_text(last)}, {last:%H:%M}"
    abbreviation = first.tzname() or ""
    offset = _offset(first)
    # Zones without a letter abbreviation name themselves "+0330": the offset says it all.
    numeric = abbreviation in ("UTC", offset) or abbreviation[:1] in "+-"
    suffix = offset if numeric else f"{abbreviation}, {offset}"
    return f"{date_text(first)}, {first:%H:%M}–{until} ({suffix})"


def times(meeting: Meeting, group_zone: ZoneInfo, visitor: ZoneInfo | None) -> list[ZoneTime]:
    zones = [("Geneva", group_zone), ("UTC", ZoneInfo("UTC"))]
    if visitor is not None and visitor.key not in (group_zone.key, "UTC"):
        zones.append((visitor.key, visitor))
    return [ZoneTime(label, span(meeting.start, meeting.end, zone)) for label, zone in zones]


def visitor_zone(request: web.Request) -> tuple[ZoneInfo | None, str | None]:
    """The `?tz=` zone, or None with a message when it is not an IANA name."""
    name = request.query.get("tz", "").strip()
    if not name:
        return None, None
    if name in available_timezones():
        try:
            return ZoneInfo(name), None
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return None, f"“{name[:60]}” is not an IANA time zone name, such as America/Mexico_City."


async def meeting_or_404(request: web.Request) -> Meeting:
    services = request.app[SITE].services
    async with services.db.read() as conn:
        meeting = await meetings.get(conn, int(request.match_info["id"]))
    if meeting is None:
        raise web.HTTPNotFound()
    return meeting


async def meeting_list(request: web.Request) -> web.Response:
    site = request.app[SITE]
    services = site.services
    zone, problem = visitor_zone(request)
    now = services.now()
    async with services.db.read() as conn:
        every = await meetings.since(conn, EVERYTHING)
    upcoming = [m for m in every if m.end > now]
    past = sorted((m for m in every if m.end <= now), key=lambda m: m.start, reverse=True)
    group_zone = services.settings.zone
    return site.render(
        request,
        "meetings.html",
        upcoming=[(m, times(m, group_zone, zone)) for m in upcoming],
        past=[(m, times(m, group_zone, zone)) for m in past],
        tz=zone.key if zone else "",
        problem=problem,
    )


async def meeting_page(request: web.Request) -> web.Response:
    site = request.app[SITE]
    services = site.services
    zone, problem = visitor_zone(request)
    meeting = await meeting_or_404(request)
    counts: dict[str, int] = {}
    for person in meeting.attendees:
        counts[ANSWERS[person.partstat]] = counts.get(ANSWERS[person.partstat], 0) + 1
    return site.render(
        request,
        "meeting.html",
        meeting=meeting,
        times=times(meeting, services.settings.zone, zone),
        minutes_long=int(meeting.duration.total_seconds() // 60),
        answers=ANSWERS,
        counts=counts,
        tz=zone.key if zone else "",
        problem=problem,
        past=meeting.end <= services.now(),
    )


def install(site: Site, app: web.Application) -> None:
    site.page(app.router, "/meetings", meeting_list)
    site.page(app.router, r"/meetings/{id:\d+}", meeting_page)
