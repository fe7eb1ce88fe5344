"""What every page shares: templates, the access check, errors, security headers."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from aiohttp import web
from jinja2 import Environment, PackageLoader, StrictUndefined

from bot import weblinks
from bot.core import new_error_id
from bot.services import Services

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# The key travels in URLs, so no page may leak its address to another site
# (Referer), and no script, frame or foreign resource is ever allowed.
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self';"
    " form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}


class Site:
    """The pages' shared state: services, the Jinja2 environment, which routes are ours."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.env = Environment(
            loader=PackageLoader("bot", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # as bot.templating: templates change only with a restart
        )
        self.protected: set[web.AbstractResource] = set()
        self.owned: set[web.AbstractResource] = set()
        self.key: str | None = None  # the access key, once `guard` has looked it up

    def visitor_key(self, request: web.Request) -> str | None:
        """The key this visitor presented, if right: the links on their page carry it."""
        given = request.query.get("key")
        if self.key is not None and weblinks.key_accepted(self.key, given):
            return given
        return None

    def page(self, router: web.UrlDispatcher, path: str, handler: Handler) -> None:
        """A page behind the access key when the site is not public."""
        route = router.add_get(path, handler)
        self.protected.add(route.resource)
        self.owned.add(route.resource)

    def open_route(self, router: web.UrlDispatcher, path: str, handler: Handler) -> None:
        """A route anyone may reach whatever the deployment says (health, the style sheet)."""
        route = router.add_get(path, handler)
        self.owned.add(route.resource)

    def render(
        self, request: web.Request, template: str, *, status: int = 200, **values: Any
    ) -> web.Response:
        key = self.visitor_key(request)

        def link(path: str, **params: str | None) -> str:
            return weblinks.page_url(path, key, **params)

        html = self.env.get_template(template).render(link=link, key=key, **values)
        return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


SITE = web.AppKey("iscg_site", Site)


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The access key, the error pages and the headers of every route this package owns."""
    site = request.app[SITE]
    resource = request.match_info.route.resource
    if resource is not None and resource not in site.owned:
        return await handler(request)  # another connector's route (Slack events)
    try:
        if resource is None or resource in site.protected:
            site.key = await weblinks.access_key(site.services)
        response = await _checked(site, request, handler)
    except web.HTTPNotFound:
        response = site.render(request, "error.html", status=404, reason="not_found")
    except web.HTTPException:
        raise
    except Exception:
        error_id = new_error_id()
        log.exception("web error %s on %s %s", error_id, request.method, request.path)
        response = site.render(request, "error.html", status=500, reason="error", error_id=error_id)
    response.headers.update(SECURITY_HEADERS)
    response.headers.setdefault("Cache-Control", "no-cache")
    return response


async def _checked(site: Site, request: web.Request, handler: Handler) -> web.StreamResponse:
    protected = request.match_info.route.resource in site.protected
    if protected and not weblinks.key_accepted(site.key, request.query.get("key")):
        chat = site.services.settings.chat_platforms
        return site.render(request, "error.html", status=403, reason="key", chat=chat)
    return await handler(request)


def fresh(request: web.Request, etag: str, modified: dt.datetime | None = None) -> bool:
    """True when the client's copy is current: answer 304 and build nothing.

    `If-None-Match` wins over `If-Modified-Since` (RFC 9110 13.2.2).
    """
    if request.if_none_match is not None:
        return any(tag.value == etag or tag.value == "*" for tag in request.if_none_match)
    since = request.if_modified_since
    return modified is not None and since is not None and modified.replace(microsecond=0) <= since


def install_style(site: Site, router: web.UrlDispatcher) -> None:
    """One small style sheet; the pages read well without it too."""
    css = resources.files("bot").joinpath("templates/site.css").read_bytes()
    etag = hashlib.sha256(css).hexdigest()[:16]

    async def style(request: web.Request) -> web.Response:
        headers = {"ETag": f'"{etag}"', "Cache-Control": "public, max-age=3600"}
        if fresh(request, etag):
            return web.Response(status=304, headers=headers)
        return web.Response(body=css, content_type="text/css", charset="utf-8", headers=headers)

    site.open_route(router, "/site.css", style)
