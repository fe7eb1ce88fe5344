"""`/minutes/<id>` and `/minutes/<id>.txt`: the minutes chat and mail link to.

The HTML is the minutes model's own rendering (one `#action-12` anchor per
action, the same everywhere the minutes appear), set inside the site's layout.
"""

from __future__ import annotations

from aiohttp import web
from markupsafe import Markup

from bot import minutes as minutes_model
from bot.handlers.web.site import SITE, Site
from storage import minutes


async def _built(request: web.Request) -> minutes_model.Minutes:
    services = request.app[SITE].services
    async with services.db.read() as conn:
        meeting = await minutes.get(conn, int(request.match_info["id"]))
        if meeting is None:
            raise web.HTTPNotFound()
        return await minutes_model.build(conn, meeting, services.settings.zone)


async def minutes_page(request: web.Request) -> web.Response:
    site = request.app[SITE]
    built = await _built(request)
    # Escaped by the minutes' own autoescaping environment.
    body = Markup(minutes_model.render_html_body(built))
    return site.render(request, "minutes.page.html", m=built, body=body)


async def minutes_text(request: web.Request) -> web.Response:
    built = await _built(request)
    return web.Response(text=minutes_model.render_text(built), content_type="text/plain")


def install(site: Site, app: web.Application) -> None:
    site.page(app.router, r"/minutes/{id:\d+}", minutes_page)
    site.page(app.router, r"/minutes/{id:\d+}.txt", minutes_text)
