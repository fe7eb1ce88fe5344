"""/help and /timezone: the commands about the bot and about oneself."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import process

from bot.core import Args, Context, Reply, UserError, help_summary, registry
from storage import people


class HelpArgs(Args):
    command: str = ""


class ZoneArgs(Args):
    zone: str = ""


@registry.command(
    "help",
    args=HelpArgs,
    help="List the commands, or show one command's usage and examples.",
    usage="[command]",
    examples=["/help", "/help who-coordinates", "/help schedule"],
    phrasings=[
        "help",
        "what can you do",
        "how do i use you",
        "how does this work",
        "help with {command}",
        "how do i use {command}",
    ],
)
async def help_command(ctx: Context, args: HelpArgs) -> Reply:
    reg = ctx.services.registry
    wanted = args.command.strip().lstrip("/").lower()
    if not wanted:
        return help_summary(reg)
    command, _ = reg.find(wanted)
    if command is None:
        suggestions = reg.suggest(wanted)
        hint = (
            ("Did you mean " + " or ".join(f"/{s}" for s in suggestions) + "? ")
            if suggestions
            else ""
        )
        raise UserError(
            f"There is no command /{wanted}. {hint}Type /help for the list.",
            "/help who-coordinates",
        )
    return Reply(text=command.usage_text(), title=f"/{command.name}")


def _zone_suggestions(text: str) -> list[str]:
    zones = sorted(available_timezones())
    return [match[0] for match in process.extract(text.replace(" ", "_"), zones, limit=3)]


@registry.command(
    "timezone",
    args=ZoneArgs,
    help="Set your own time zone (an IANA name), so times are shown in it.",
    usage="<IANA zone>",
    examples=["/timezone America/Mexico_City", "/timezone Asia/Shanghai", "/timezone"],
    phrasings=[
        "set my time zone to {zone}",
        "set my timezone to {zone}",
        "my time zone is {zone}",
        "my timezone is {zone}",
        "what is my time zone => ",
    ],
    changes_state=True,
    asks_when_bare=True,
)
async def timezone(ctx: Context, args: ZoneArgs) -> Reply:
    local = ctx.now.astimezone(ctx.zone)
    if not args.zone:
        origin = (
            "the group's default; set yours with /timezone <zone>"
            if ctx.zone_is_default
            else "yours"
        )
        return Reply(
            text=f"Your time zone is {ctx.zone.key} ({origin}); it is now "
            f"{local:%H:%M} there (UTC{local:%z})."
        )
    name = args.zone.strip()
    try:
        zone = ZoneInfo(name)
        if name not in available_timezones():
            raise ZoneInfoNotFoundError(name)
    except (ZoneInfoNotFoundError, ValueError):
        suggestions = _zone_suggestions(name)
        raise UserError(
            f'"{name}" is not an IANA time zone name. Closest: {", ".join(suggestions)}. '
            "Geneva is Europe/Zurich.",
            "/timezone America/Mexico_City",
        ) from None
    async with ctx.services.db.transaction() as conn:
        await people.set_timezone(conn, ctx.person_id, zone.key)
    now_there = ctx.now.astimezone(zone)
    offset = now_there.utcoffset() or dt.timedelta()
    hours = offset.total_seconds() / 3600
    return Reply(
        text=f"Your time zone is now {zone.key}: it is {now_there:%H:%M} there "
        f"(UTC{hours:+g}). Times will be shown in it."
    )
