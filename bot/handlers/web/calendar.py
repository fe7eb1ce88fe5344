"""`/calendar.ics` and `/meetings/<id>.ics`: calendars to subscribe to and to import.

Calendar programs poll a subscribed feed every few minutes to hours. The feed
is built once per state of its data (`storage.feed.fingerprint`, one cheap
query) and kept in memory; a poll that presents the ETag is answered 304
without a body, and one that does not gets the kept bytes. The ETag is weak:
a rebuilt feed carries a new DTSTAMP but means the same calendar.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from dataclasses import dataclass

import aiosqlite
from aiohttp import web

from bot import ical, weblinks
from bot import meetings as meeting_domain
from bot.handlers.web.health import app_version
from bot.handlers.web.meetings import meeting_or_404
from bot.handlers.web.site import SITE, Site, fresh
from storage import feed

CONTENT_TYPE = "text/calendar"
# Meetings also leave the 90-day window as time passes, without any write.
RECHECK = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class _Feed:
    etag: str
    body: bytes
    modified: dt.datetime | None


class FeedCache:
    """The last feed built, the last ETag worked out, and a lock so a burst builds once."""

    def __init__(self) -> None:
        self.current: _Feed | None = None
        self.lock = asyncio.Lock()
        self.etag: str | None = None
        self.marks: tuple[int, int] | None = None
        self.checked_at: dt.datetime | None = None

    async def etag_now(self, conn: aiosqlite.Connection, now: dt.datetime, organizer: str) -> str:
        """The feed's ETag; summed up again only after a write or a minute."""
        marks = await feed.write_marks(conn)
        recent = self.checked_at is not None and abs(now - self.checked_at) < RECHECK
        if self.etag is None or marks != self.marks or not recent:
            since = now - meeting_domain.FEED_HISTORY
            self.etag = _etag(await feed.fingerprint(conn, since), organizer)
            self.marks, self.checked_at = marks, now
        return self.etag


FEED = web.AppKey("iscg_feed", FeedCache)


def _etag(mark: str, organizer: str) -> str:
    # The code's version counts: a new release may write the same data differently.
    return hashlib.sha256(f"{app_version()}|{organizer}|{mark}".encode()).hexdigest()[:24]


def _calendar_response(request: web.Request, item: _Feed, filename: str) -> web.Response:
    headers = {
        "ETag": f'W/"{item.etag}"',
        "Cache-Control": "no-cache",
        "Content-Disposition": f'inline; filename="{filename}"',
    }
    if item.modified is not None:
        headers["Last-Modified"] = item.modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
    if fresh(request, item.etag, item.modified):
        return web.Response(status=304, headers=headers)
    return web.Response(body=item.body, content_type=CONTENT_TYPE, charset="utf-8", headers=headers)


async def calendar_feed(request: web.Request) -> web.Response:
    services = request.app[SITE].services
    cache = request.app[FEED]
    organizer = services.settings.bot_address
    now = services.now()
    async with services.db.read() as conn:
        etag = await cache.etag_now(conn, now, organizer)
    if cache.current is None or cache.current.etag != etag:
        async with cache.lock:
            if cache.current is None or cache.current.etag != etag:
                async with services.db.read() as conn:
                    text = await meeting_domain.calendar_feed(
                        conn, now=now, organizer_email=organizer
                    )
                cache.current = _Feed(etag, text.encode("utf-8"), now.replace(microsecond=0))
    return _calendar_response(request, cache.current, "iscg.ics")


async def meeting_ics(request: web.Request) -> web.Response:
    services = request.app[SITE].services
    meeting = await meeting_or_404(request)
    organizer = services.settings.bot_address
    # PUBLISH: a copy to import, which no calendar program answers as an invitation.
    text = ical.meeting_calendar(
        meeting, method="PUBLISH", now=services.now(), organizer_email=organizer
    )
    etag = _etag(f"{meeting.id}|{meeting.sequence}|{meeting.status}", organizer)
    item = _Feed(etag, text.encode("utf-8"), None)
    return _calendar_response(request, item, f"{meeting.code}.ics")


def install(site: Site, app: web.Application) -> None:
    app[FEED] = FeedCache()
    site.page(app.router, weblinks.FEED_PATH, calendar_feed)
    site.page(app.router, r"/meetings/{id:\d+}.ics", meeting_ics)
