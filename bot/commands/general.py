"""/help and /timezone: the commands about the bot and about oneself."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from zoneinfo import ZoneInfo, available_timezones

from bot import choices
from bot.core import (
    Args,
    Context,
    Reply,
    UserError,
    family_text,
    help_summary,
    registry,
)
from bot.timeparse import (
    AMBIGUOUS_ABBREVIATIONS,
    CITY_ZONES,
    SAFE_ABBREVIATIONS,
    TimeParseError,
    etc_note,
    find_zone,
    offset_text,
)
from storage import people

ZONE_EXAMPLE = "/timezone America/Mexico_City"


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
        "how can you help [me]",
        "what can i ask [you]",
        "how do i use (you|this|it|the bot|the assistant)",
        "how does (this|it) work",
        "what commands (are there|do you (have|know|understand))",
        "what are [the|your] commands",
        "[list|show [me]] [the|all [the]|your] commands",
        "help with {command}",
        "how do i use {command}",
        # The members' own languages: French, Spanish, Russian, Chinese, Arabic.
        "aide",
        "que (peux-tu|pouvez-vous) faire",
        "comment (ça|ca|cela) (marche|fonctionne)",
        "ayuda",
        "(qué|que) (puedes|puede) hacer",
        "(cómo|como) funciona",
        "(помощь|справка)",
        "что (ты умеешь|вы умеете) [делать]",
        "как это работает",
        "帮助",
        "你能做什么",
        "怎么用",
        "مساعدة",
        "ماذا (يمكنك|تستطيع) أن تفعل",
    ],
)
async def help_command(ctx: Context, args: HelpArgs) -> Reply:
    reg = ctx.services.registry
    form = reg.form_for(ctx.platform)
    wanted = args.command.strip().lstrip("/").lower()
    if not wanted:
        return help_summary(reg, form=form)
    command, rest = reg.find(wanted)
    family = reg.family(wanted) if command is None or not rest else []
    if command is None and not family:
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
    if command is None:
        return Reply(text=family_text(wanted, family, form), title=f"/{wanted}")
    text = command.usage_text(form)
    if family:
        text += "\n\n" + family_text(wanted, family, form, intro=f"Also under /{wanted}:")
    return Reply(text=text, title=f"/{form.name(command)}")


def _zone_suggestions(text: str) -> list[str]:
    """The closest IANA names and city words (a city shown with its zone), three zones at most."""
    return [choice.label for choice in choices.closest_zones(text, 3)]


def _city_examples(matches: Callable[[ZoneInfo], bool]) -> list[tuple[str, str]]:
    """(`/timezone Beijing`, its zone) for each city /schedule knows whose zone matches."""
    by_zone: dict[str, str] = {}
    for city, key in CITY_ZONES.items():
        if key not in by_zone and matches(ZoneInfo(key)):
            by_zone[key] = f"/timezone {city.title()}"
    return [(command, key) for key, command in by_zone.items()]


def _name_one(problem: str, examples: list[tuple[str, str]]) -> UserError:
    """A refusal that lists the commands that would work, the first as the example."""
    listed = " or ".join(f"{command} ({note})" for command, note in examples)
    return UserError(
        f"{problem} Name your city or an IANA zone"
        + (f", for example {listed}." if listed else "."),
        examples[0][0] if examples else ZONE_EXAMPLE,
    )


def _ambiguous(word: str, now: dt.datetime) -> UserError:
    """CST, IST...: refused as /schedule refuses them, with the cities each could mean."""
    moments = [now.replace(month=1, day=15), now.replace(month=7, day=15)]
    examples = _city_examples(
        lambda zone: any(m.astimezone(zone).tzname() == word for m in moments)
    )
    return _name_one(
        f'"{word}" could mean {AMBIGUOUS_ABBREVIATIONS[word][0]}: I will not guess.', examples
    )


def _offset_only(offset: dt.timezone, now: dt.datetime) -> UserError:
    """UTC+8 is an offset, not a place: suggest the places at that offset now, and the
    Etc zone for it (whose sign is the reverse of the offset's, as POSIX writes it)."""
    delta = offset.utcoffset(None)
    label = offset_text(now.astimezone(offset))
    examples = _city_examples(lambda zone: now.astimezone(zone).utcoffset() == delta)
    hours, rest = divmod(int(delta.total_seconds()), 3600)
    if not rest:
        etc = f"Etc/GMT{-hours:+d}" if hours else "UTC"
        examples.append((f"/timezone {etc}", f"{label} all year round"))
    return _name_one(
        f"{label} is an offset, not a time zone: most places change their clocks in summer.",
        examples,
    )


def _as_schedule_reads(text: str) -> tuple[ZoneInfo | dt.timezone | None, str]:
    """What /schedule would read in the text: a zone (or a bare offset) and how it read it.

    A text with a `/` is left out: it was meant as an IANA name, and a mistyped one is
    better met with the closest names than with the parser's refusal.
    """
    word = text.upper()
    if "/" in text:
        return None, ""
    try:
        zone, label, _rest = find_zone(word if word in SAFE_ABBREVIATIONS else text)
    except TimeParseError as error:
        raise UserError(error.message, ZONE_EXAMPLE) from None
    return zone, label


def _iana_key(text: str) -> str:
    """An IANA name as members type it: in any case, a space for its `_`
    ("europe/zurich", "America/Mexico City")."""
    return "_".join(text.split()).lower()


@functools.cache
def _iana_names() -> dict[str, str]:
    """Every IANA name this system knows, by `_iana_key`: no two differ in case only."""
    return {_iana_key(name): name for name in available_timezones()}


def _read_zone(text: str, now: dt.datetime) -> tuple[ZoneInfo, str]:
    """The zone a member names and how it was read ("" for an IANA name, but what an Etc/GMT
    one means): /timezone reads "Beijing", "EST" or "CST" as /schedule does, so the two
    agree on what a word means."""
    word = text.upper()
    if word in AMBIGUOUS_ABBREVIATIONS:
        raise _ambiguous(word, now)
    if word not in SAFE_ABBREVIATIONS and (name := _iana_names().get(_iana_key(text))):
        return ZoneInfo(name), etc_note(name)
    zone, label = _as_schedule_reads(text)
    if isinstance(zone, ZoneInfo):
        return zone, label
    if isinstance(zone, dt.timezone):
        raise _offset_only(zone, now)
    raise UserError(
        f'"{text}" is not a time zone I know. Closest: {", ".join(_zone_suggestions(text))}. '
        "Geneva is Europe/Zurich.",
        ZONE_EXAMPLE,
    )


async def _zone_origin(ctx: Context) -> str:
    """Where the reader's zone comes from: a member who never set one reads the zone of
    their profile on a platform that gives one (it holds wherever they write from), and
    should know it is that, in that platform's words, and how to change it."""
    if ctx.zone_is_default:
        return "the group's default; set yours with /timezone <zone>"
    async with ctx.services.db.read() as conn:
        person = await people.get(conn, ctx.person_id)
    if person is not None and person.timezone:
        return "yours"
    return f"from {ctx.zone_from or 'your chat profile'}; set another with /timezone <zone>"


@registry.command(
    "timezone",
    args=ZoneArgs,
    help="Set your own time zone (an IANA name, or a city as /schedule reads it), "
    "so times are shown in it.",
    usage="<IANA zone or city>",
    examples=["/timezone America/Mexico_City", "/timezone Beijing", "/timezone"],
    phrasings=[
        "set my time zone to {zone}",
        "set my timezone to {zone}",
        "my time zone is {zone}",
        "my timezone is {zone}",
        "what is my time zone => ",
    ],
    changes_state=True,
    asks_when_bare=True,
    own_settings=True,
)
async def timezone(ctx: Context, args: ZoneArgs) -> Reply:
    local = ctx.now.astimezone(ctx.zone)
    if not args.zone:
        return Reply(
            text=f"Your time zone is {ctx.zone.key} ({await _zone_origin(ctx)}); it is now "
            f"{local:%H:%M} there ({offset_text(local)})."
        )
    zone, reading = _read_zone(args.zone.strip(), ctx.now)
    async with ctx.services.db.transaction() as conn:
        await people.set_timezone(conn, ctx.person_id, zone.key)
    now_there = ctx.now.astimezone(zone)
    return Reply(
        text=f"Your time zone is now {zone.key}"
        + (f" ({reading})" if reading and reading != zone.key else "")
        + f": it is {now_there:%H:%M} there ({offset_text(now_there)}). Times will be shown in it."
    )
