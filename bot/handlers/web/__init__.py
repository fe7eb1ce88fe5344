"""The web site: one aiohttp application in the bot's process, rendered on the server.

Every page only reads: routes are GET (and HEAD), so a crawler or a leaked link
can never change anything. Other connectors add their own routes to the same
application (Slack's `/slack/events`); the access key guards only the pages
registered here as protected, so those routes and `/healthz` stay reachable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.handlers.web import actions, calendar, directory, health, home, meetings, minutes
from bot.handlers.web.site import SITE, Site, guard

if TYPE_CHECKING:
    from bot.app import BotApp


def install_routes(bot: BotApp) -> None:
    site = Site(bot.services)
    bot.web[SITE] = site
    bot.web.middlewares.append(guard)
    for module in (health, home, directory, calendar, meetings, minutes, actions):
        module.install(site, bot.web)
