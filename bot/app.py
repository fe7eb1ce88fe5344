"""Builds the running bot: storage, services, enabled connectors; its lifecycle."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal
import sys

from aiohttp import web

from bot import timeparse
from bot.clock import Clock, SystemClock
from bot.commands import load_all
from bot.config import DB_SETTING, Settings, cannot_listen
from bot.delivery import Dispatcher
from bot.handlers.base import Connector
from bot.jobs import JobRunner
from bot.services import Services
from storage.db import Database
from storage.seed.loader import SeedReport, seed

log = logging.getLogger(__name__)

# Every connector the bot knows, as "module:Class", imported only when configured
# (so a deployment without Discord never imports discord.py).
CONNECTORS: dict[str, str] = {
    "discord": "bot.handlers.discord:DiscordConnector",
    "slack": "bot.handlers.slack:SlackConnector",
    "email": "bot.handlers.email:EmailConnector",
}


def connector_class(path: str) -> type[Connector]:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


async def open_services(settings: Settings, clock: Clock | None = None) -> Services:
    """Open (create, migrate, seed) the database and return the services on it."""
    registry = load_all()  # command families register their seeders (EXTRA_SEEDERS) on import
    db = await Database(settings.db_path, setting=DB_SETTING).open()
    try:
        await db.migrate()
        async with db.transaction() as conn:
            report: SeedReport = await seed(conn)
        if any(report.added.values()):
            log.info("%s", report)
    except BaseException:
        await db.close()
        raise
    return Services(db=db, settings=settings, registry=registry, clock=clock or SystemClock())


class BotApp:
    """The bot as one process: connectors, web server, outbox and job runner."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.web = web.Application()
        self.connectors: dict[str, Connector] = {}
        self.dispatcher = Dispatcher(services, self.connectors)
        self.jobs = JobRunner(services)
        self._stop = asyncio.Event()
        self._runner: web.AppRunner | None = None

    def report_connectors(self) -> list[str]:
        """Log which connectors are on and what would enable the others."""
        lines = []
        for name, path in CONNECTORS.items():
            cls = connector_class(path)
            if cls.configured(self.services.settings):
                lines.append(f"{name}: on")
            else:
                lines.append(f"{name}: off ({cls.requirement()})")
        for line in lines:
            log.info("%s", line)
        return lines

    def configured(self) -> list[type[Connector]]:
        classes = [connector_class(path) for path in CONNECTORS.values()]
        return [cls for cls in classes if cls.configured(self.services.settings)]

    def notify_outbox(self) -> None:
        """Something was queued: deliver now rather than at the next poll."""
        self.dispatcher.notify()

    async def start_web(self) -> None:
        from bot.handlers.web import install_routes

        install_routes(self)
        self._runner = web.AppRunner(self.web, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "0.0.0.0", self.services.settings.port)
        try:
            await site.start()
        except OSError as exc:
            raise cannot_listen(exc, "0.0.0.0", self.services.settings.port, "PORT") from None
        log.info("web server on port %s", self.services.settings.port)

    def stop(self) -> None:
        self._stop.set()

    async def run(self, *, console: Connector | None = None, connectors: bool = True) -> None:
        """Run until SIGTERM/SIGINT (or the console closes), then shut down cleanly.

        `connectors=False` is the bare console: no chat, mail or web server, so it
        can be opened beside a running bot without fighting over its port.
        """
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, self.stop)
        timeparse.warm_up()
        if connectors:
            self.report_connectors()
            for cls in self.configured():
                self.connectors[cls.platform] = cls(self)
        if console is not None:
            self.connectors[console.platform] = console
        tasks: list[asyncio.Task[None]] = []
        try:
            for connector in self.connectors.values():
                await connector.connect()
            if connectors:
                await self.start_web()
            for connector in self.connectors.values():
                tasks.append(asyncio.create_task(connector.listen(), name=connector.name))
            tasks.append(asyncio.create_task(self.dispatcher.run(), name="outbox"))
            tasks.append(asyncio.create_task(self.jobs.run(), name="jobs"))
            if console is not None:
                console_task = next(t for t in tasks if t.get_name() == console.name)
                console_task.add_done_callback(lambda _t: self.stop())
            await self._stop.wait()
        finally:
            log.info("shutting down")
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for connector in self.connectors.values():
                with contextlib.suppress(Exception):
                    await connector.disconnect()
            if self._runner is not None:
                await self._runner.cleanup()
            await self.services.db.close()


def setup_logging(level: int = logging.INFO) -> None:
    """The bot's log on stderr. The SMTP listener's library (aiosmtpd, logger `mail.log`)
    writes each connection and command line at INFO, a dozen lines a message beside the
    bot's one: only its warnings show, unless the bot logs debug details (`-v`)."""
    logging.basicConfig(
        level=level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if level > logging.DEBUG:
        logging.getLogger("mail.log").setLevel(logging.WARNING)
