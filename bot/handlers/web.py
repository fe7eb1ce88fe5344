"""The web server's own routes (health); other handlers add theirs to `app.web`."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.app import BotApp


def _version() -> str:
    try:
        return version("iscg-bot")
    except PackageNotFoundError:
        return "unknown"


def install_routes(bot: BotApp) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        try:
            await bot.services.db.version()
        except Exception as exc:
            return web.json_response(
                {"status": "unavailable", "error": type(exc).__name__, "version": _version()},
                status=503,
            )
        return web.json_response({"status": "ok", "version": _version()})

    bot.web.router.add_get("/healthz", healthz)
