"""`/healthz`: what a host's health check polls; never behind the access key."""

from __future__ import annotations

import asyncio
from importlib.metadata import PackageNotFoundError, version

from aiohttp import web

from bot.handlers.web.site import SITE, Site

# A database stuck behind a long transaction is as unhealthy as a missing one
# for a host deciding whether to route traffic here.
DB_TIMEOUT = 5.0


def app_version() -> str:
    try:
        return version("iscg-bot")
    except PackageNotFoundError:
        return "unknown"


async def healthz(request: web.Request) -> web.Response:
    services = request.app[SITE].services
    headers = {"Cache-Control": "no-store"}
    try:
        schema = await asyncio.wait_for(services.db.version(), DB_TIMEOUT)
    except Exception as exc:
        body = {"status": "unavailable", "error": type(exc).__name__, "version": app_version()}
        return web.json_response(body, status=503, headers=headers)
    body = {"status": "ok", "version": app_version(), "schema": schema}
    return web.json_response(body, headers=headers)


def install(site: Site, app: web.Application) -> None:
    site.open_route(app.router, "/healthz", healthz)
