"""The home page: what the site offers, the directory's search box, whom to contact."""

from __future__ import annotations

import aiosqlite
from aiohttp import web

from bot import weblinks
from bot.config import Settings
from bot.handlers.web.site import SITE, Site, install_style
from storage import knowledge


async def contact(conn: aiosqlite.Connection, settings: Settings) -> dict[str, str | None]:
    """What `contact.html` shows, from the knowledge base and the settings."""
    secretariat = await knowledge.fact(conn, "iscg.secretariat_email")
    website = await knowledge.fact(conn, "iscg.website")
    return {
        "secretariat": secretariat.value if secretariat else None,
        "website": website.value if website else None,
        "list_address": settings.list_address,
    }


async def home(request: web.Request) -> web.Response:
    site = request.app[SITE]
    settings = site.services.settings
    async with site.services.db.read() as conn:
        details = await contact(conn, settings)
    # Calendar programs need an absolute address: the public one, else the one asked for.
    base = settings.web_url or f"{request.scheme}://{request.host}"
    feed = weblinks.page_url(weblinks.FEED_PATH, site.visitor_key(request), base)
    return site.render(request, "home.html", webcal=weblinks.webcal(feed), feed=feed, **details)


def install(site: Site, app: web.Application) -> None:
    install_style(site, app.router)
    site.page(app.router, "/", home)
