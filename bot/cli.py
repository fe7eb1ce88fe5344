"""`iscg-bot` (also `python -m bot`): run, console, ask, db, outbox."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.app import BotApp, open_services, setup_logging
from bot.commands import load_all
from bot.config import DB_SETTING, ConfigError, Settings, load_settings, unknown_variables
from bot.handlers.console import (
    DEFAULT_CHANNEL,
    ConsoleConnector,
    ask_once,
    console_identity,
    render_text,
)
from bot.identity import IdentityError
from bot.outgoing import reply_to_payload
from bot.services import Services
from bot.timeparse import utc_text
from storage import outbox
from storage.db import Database, DatabaseError
from storage.outbox import OutboxRow, Pause
from storage.seed.loader import seed

log = logging.getLogger("iscg-bot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iscg-bot", description="Assistant for the ITU Inter-Sector Coordination Group."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("run", help="run the bot: configured handlers, web server, jobs")

    console = sub.add_parser("console", help="talk to the bot in this terminal")
    console.add_argument("--as", dest="as_identity", help="act as this identity")
    console.add_argument("--channel", default=DEFAULT_CHANNEL)

    ask = sub.add_parser("ask", help="run one command or question and print the reply")
    ask.add_argument("text", help='e.g. "/who-coordinates accessibility"')
    ask.add_argument("--as", dest="as_identity", help="identity, e.g. chair@example.org")
    ask.add_argument("--json", action="store_true", help="print the reply as JSON")
    ask.add_argument("--channel", default=DEFAULT_CHANNEL, help="console channel to speak in")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("migrate", help="apply pending migrations")
    db_sub.add_parser("seed", help="add what is new in the knowledge base")
    backup = db_sub.add_parser("backup", help="copy the live database (online backup API)")
    backup.add_argument("path", type=Path)

    sessions = sub.add_parser("sessions", help="advisory-group sessions")
    sessions_sub = sessions.add_subparsers(dest="sessions_command", required=True)
    ics = sessions_sub.add_parser("import", help="import sessions from an .ics calendar export")
    ics.add_argument("file", type=Path)

    box = sub.add_parser("outbox", help="list pending and failed deliveries, or retry one")
    box_sub = box.add_subparsers(dest="outbox_command")
    retry = box_sub.add_parser("retry", help="put a failed row back in line")
    retry.add_argument("id", type=int)

    discord_cmd = sub.add_parser("discord", help="Discord: register the slash commands")
    discord_sub = discord_cmd.add_subparsers(dest="discord_command", required=True)
    sync = discord_sub.add_parser(
        "sync", help="register the commands (after adding or changing one)"
    )
    sync.add_argument(
        "--guild", type=int, help="one server's id: instant (default DISCORD_GUILD_ID)"
    )
    slack = sub.add_parser("slack-manifest", help="print the Slack app manifest (YAML)")
    slack.add_argument("--url", help="the bot's public base URL (HTTP mode); omit for Socket Mode")
    return parser


async def _with_services(settings: Settings, work: Callable[[Services], Awaitable[int]]) -> int:
    services = await open_services(settings)
    try:
        return await work(services)
    finally:
        await services.db.close()


async def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    identity = console_identity(args.as_identity)

    async def work(services: Services) -> int:
        reply = await ask_once(services, args.text, identity=identity, channel=args.channel)
        if args.json:
            print(json.dumps(reply_to_payload(reply), ensure_ascii=False, indent=2))
        else:
            print(render_text(reply, settings.db_path.parent / "attachments"))
        return 0

    return await _with_services(settings, work)


async def cmd_run(settings: Settings) -> int:
    services = await open_services(settings)
    app = BotApp(services)
    console = None
    if sys.stdin.isatty() and sys.stdout.isatty() and not app.configured():
        console = ConsoleConnector(app, identity=console_identity(None))
    await app.run(console=console)
    return 0


async def cmd_console(settings: Settings, args: argparse.Namespace) -> int:
    # Read before the database opens: a mistyped --as must end the process, which
    # an open connection's thread would keep alive.
    identity = console_identity(args.as_identity)
    services = await open_services(settings)
    app = BotApp(services)
    console = ConsoleConnector(app, identity=identity, channel=args.channel)
    await app.run(console=console, connectors=False)
    return 0


async def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    if args.db_command == "backup" and not settings.db_path.exists():
        # Opening would create an empty database, and "backed up" would be untrue.
        raise DatabaseError(
            f"setting {DB_SETTING}: there is no database at {settings.db_path}, nothing to"
            " back up; check the path (`iscg-bot db migrate` creates a new one)"
        )
    db = await Database(settings.db_path, setting=DB_SETTING).open()
    try:
        if args.db_command == "migrate":
            applied = await db.migrate()
            print("applied: " + ", ".join(applied) if applied else "already up to date")
        elif args.db_command == "seed":
            load_all()  # registers the seeders of every command family
            await db.migrate()
            async with db.transaction() as conn:
                print(await seed(conn))
        elif args.db_command == "backup":
            await db.backup(args.path)
            print(f"backed up to {args.path}")
    finally:
        await db.close()
    return 0


def _not_requeued(row_id: int, row: OutboxRow | None, now: dt.datetime) -> str:
    """Why `outbox retry` left a row as it was, and what the operator may expect instead:
    a mistyped id, a row past its time and one about to go call for different next steps."""
    if row is None:
        return (
            f"there is no outbox row {row_id}; `iscg-bot outbox` lists the pending and failed ones"
        )
    if row.status in ("failed", "pending") and row.not_after and row.not_after <= now:
        then = "it stays failed" if row.status == "failed" else "the bot drops it"
        return f"row {row_id} was worth sending only until {utc_text(row.not_after)} UTC; {then}"
    if row.status == "pending" and row.next_attempt_at > now:  # a reminder, for its hour
        return (
            f"row {row_id} is pending and due at {utc_text(row.next_attempt_at)} UTC:"
            " the bot sends it then"
        )
    if row.status == "pending":
        return f"row {row_id} is pending and due: the bot sends it at its next pass"
    if row.status == "dropped":
        return f"row {row_id} was dropped ({row.last_error}): it is not sent"
    return f"row {row_id} is {row.status}: only a failed row can be retried"


def _next_try(row: OutboxRow, pause: Pause | None, now: dt.datetime) -> str:
    """When the bot tries a pending row that is not due (its backoff, or its platform's
    pause, which holds every row of the platform, those due too), for the listing."""
    if row.status != "pending":
        return ""
    if pause is not None and pause.until > now and pause.until >= row.next_attempt_at:
        times = f"{pause.times} failures in a row" if pause.times > 1 else "a failure"
        return f"  next try {utc_text(pause.until)} UTC ({row.platform} paused after {times})"
    if row.next_attempt_at > now:
        return f"  next try {utc_text(row.next_attempt_at)} UTC"
    return ""


async def cmd_outbox(settings: Settings, args: argparse.Namespace) -> int:
    async def work(services: Services) -> int:
        if args.outbox_command == "retry":
            now = services.now()
            async with services.db.transaction() as conn:
                done = await outbox.requeue(conn, args.id, now)
                row = await outbox.get(conn, args.id)
                # Due, but held by its platform's pause (a relay or login refused): the
                # operator says the cause is mended, so the running bot tries at its next pass.
                lifted = False
                if row is not None and row.status == "pending" and row.next_attempt_at <= now:
                    lifted = await outbox.resume(conn, row.platform)
            if done or lifted:
                resumed = f"; {row.platform} deliveries resume" if lifted and row else ""
                print(f"row {args.id} queued again{resumed}")
                return 0
            why = _not_requeued(args.id, row, services.now())
            print(f"iscg-bot: {why}", file=sys.stderr)
            return 1
        async with services.db.read() as conn:
            rows = await outbox.listing(conn)
            pauses = {p: await outbox.pause_of(conn, p) for p in {row.platform for row in rows}}
        if not rows:
            print("the outbox is empty: nothing pending or failed")
        now = services.now()
        for row in rows:
            error = f"  ({row.last_error})" if row.last_error else ""
            when = _next_try(row, pauses.get(row.platform), now)
            print(
                f"{row.id:>6} {row.status:<8} {row.kind:<10} {row.destination}  "
                f"attempts={row.attempts}{when}{error}"
            )
        return 0

    return await _with_services(settings, work)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(
        logging.DEBUG
        if args.verbose
        else logging.WARNING
        if args.command in ("ask", "console", "db", "outbox", "discord", "sessions")
        else logging.INFO
    )
    try:
        settings = load_settings()
        for line in unknown_variables():
            log.warning(line)
        if args.command == "ask":
            return asyncio.run(cmd_ask(settings, args))
        if args.command == "run":
            return asyncio.run(cmd_run(settings))
        if args.command == "console":
            return asyncio.run(cmd_console(settings, args))
        if args.command == "db":
            return asyncio.run(cmd_db(settings, args))
        if args.command == "outbox":
            return asyncio.run(cmd_outbox(settings, args))
        if args.command == "discord":
            from bot.handlers.discord import sync_command

            return asyncio.run(sync_command(settings, args.guild))
        if args.command == "slack-manifest":
            from bot.handlers.slack_manifest import print_manifest

            return print_manifest(args.url)
        if args.command == "sessions":
            from bot.session_import import cli_import

            return cli_import(settings, args.file)
    except (ConfigError, DatabaseError) as exc:
        print(f"iscg-bot: {exc}", file=sys.stderr)
        return 1
    except IdentityError as exc:
        print(f"iscg-bot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader left early (`iscg-bot outbox | head`): nothing more to say to it.
        # Python would fail again flushing stdout on its way out; point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 2
