"""The home page: what the site offers, the directory's search box, whom to contact."""

from __future__ import annotations

import aiosqlite
from aiohttp import web

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
    async with site.services.db.read() as conn:
        details = await contact(conn, site.services.settings)
    return site.render(request, "home.html", **details)


def install(site: Site, router: web.UrlDispatcher) -> None:
    install_style(site, router)
    site.page(router, "/", home)
