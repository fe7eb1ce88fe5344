"""`/actions`: every open action item, where digests link items not made in a meeting."""

from __future__ import annotations

from aiohttp import web

from bot.handlers.web.site import SITE, Site
from storage import actions


async def action_list(request: web.Request) -> web.Response:
    site = request.app[SITE]
    async with site.services.db.read() as conn:
        items = await actions.listing(conn, status="open")
    today = site.services.now().astimezone(site.services.settings.zone).date()
    return site.render(request, "actions.html", items=items, today=today)


def install(site: Site, app: web.Application) -> None:
    site.page(app.router, "/actions", action_list)
