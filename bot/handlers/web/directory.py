"""`/themes` and `/themes/<slug>`: the directory, searched like `/who-coordinates`."""

from __future__ import annotations

from aiohttp import web

from bot import directory
from bot.core import OTHER_LANGUAGES
from bot.handlers.web.home import contact
from bot.handlers.web.site import SITE, Site
from storage import themes

MAX_QUERY = 200


async def theme_list(request: web.Request) -> web.Response:
    site = request.app[SITE]
    services = site.services
    query = request.query.get("q", "").strip()[:MAX_QUERY]
    found = None
    if query:
        index = directory.name_index(services.extras)
        await index.ensure(services.db)
        async with services.db.read() as conn:
            found = await directory.resolve(conn, index, query)
        groups = {}
    else:
        async with services.db.read() as conn:
            groups = directory.by_category(await themes.all_themes(conn))
    return site.render(
        request,
        "themes.html",
        query=query,
        found=found,
        groups=groups,
        is_numbered=directory.is_numbered,
    )


async def theme_page(request: web.Request) -> web.Response:
    site = request.app[SITE]
    index = directory.name_index(site.services.extras)
    await index.ensure(site.services.db)
    async with site.services.db.read() as conn:
        theme = await themes.by_slug(conn, request.match_info["slug"])
        if theme is None:
            raise web.HTTPNotFound()
        info = await directory.card(conn, theme, index)
        contacts = await contact(conn, site.services.settings)
    lists = {
        title: directory.study_group_lines(theme.details.get(key) or {})
        for key, title in directory.DETAIL_TITLES.items()
    }
    return site.render(
        request,
        "theme.html",
        info=info,
        theme=theme,
        details={title: lines for title, lines in lists.items() if lines},
        sectors=directory.SECTOR_LABELS,
        languages=OTHER_LANGUAGES,
        study_group_lines=directory.study_group_lines,
        **contacts,
    )


def install(site: Site, app: web.Application) -> None:
    site.page(app.router, "/themes", theme_list)
    site.page(app.router, "/themes/{slug}", theme_page)
