"""Values an argument may take, offered while a person types (chat autocomplete).

An argument model marks what a field holds either by naming it after a kind
(a field called `theme`, `meeting`, `action`) or explicitly with
`Field(json_schema_extra={"kind": "meeting"})`. Each family registers the
provider of its kind here (the meeting commands offer meetings, the action
commands action items), so chat handlers offer choices without knowing any
family. The kind `member` means "a person of the chat platform": handlers
that can pick a member offer their own picker for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from pydantic.fields import FieldInfo
from rapidfuzz import fuzz, process, utils

from bot import directory
from bot.core import Context
from bot.timeparse import CITY_ZONES
from storage.themes import name_key

MAX_CHOICES = 25  # Discord's limit, and more than anyone reads
KIND_KEY = "kind"
MEMBER = "member"


@dataclass(frozen=True)
class Choice:
    label: str  # what the menu shows
    value: str  # what goes into the command text


Provider = Callable[[Context, str], Awaitable[list[Choice]]]
PROVIDERS: dict[str, Provider] = {}


def provider(kind: str) -> Callable[[Provider], Provider]:
    """Register what offers values of this kind; two providers for one kind is an error."""

    def register(func: Provider) -> Provider:
        if kind in PROVIDERS:
            raise ValueError(f"two autocomplete providers for {kind!r}")
        PROVIDERS[kind] = func
        return func

    return register


def field_kind(name: str, info: FieldInfo) -> str | None:
    """The kind of value an argument field holds, if it is one the handlers can help with."""
    extra = info.json_schema_extra
    if isinstance(extra, dict) and isinstance(extra.get(KIND_KEY), str):
        return str(extra[KIND_KEY])
    return name if name in PROVIDERS else None


async def choices_for(kind: str, ctx: Context, current: str) -> list[Choice]:
    found = PROVIDERS.get(kind)
    if found is None:
        return []
    return (await found(ctx, current))[:MAX_CHOICES]


@provider("theme")
async def theme_choices(ctx: Context, current: str) -> list[Choice]:
    """Theme names, aliases and sub-topics closest to what is typed (all names when empty)."""
    index = directory.name_index(ctx.services.extras)
    await index.ensure(ctx.services.db)
    entries = index.all_entries()
    theme_names = {
        e.theme_id: e.name for e in entries if e.kind == "name" and e.subtopic_id is None
    }
    key = name_key(current)
    if not key:
        return [Choice(name, name) for name in sorted(set(theme_names.values()))][:MAX_CHOICES]
    scored = process.extract(
        key, [e.key for e in entries], scorer=fuzz.WRatio, limit=None, score_cutoff=50
    )
    # A name that starts with what is typed beats a better fuzzy score elsewhere.
    scored.sort(key=lambda hit: (not hit[0].startswith(key), -hit[1], len(hit[0])))
    result: list[Choice] = []
    seen: set[str] = set()
    for _, _, position in scored:
        entry = entries[position]
        if entry.name in seen:
            continue
        seen.add(entry.name)
        owner = theme_names.get(entry.theme_id)
        label = entry.name if owner in (None, entry.name) else f"{entry.name} ({owner})"
        result.append(Choice(label, entry.name))
        if len(result) == MAX_CHOICES:
            break
    return result


@cache
def _zone_names() -> dict[str, str]:
    """What a member may call a zone, and the zone: IANA names, and the cities and
    countries /schedule and /timezone read ("Beijing" -> Asia/Shanghai).

    Legacy names without a region (GB, NZ, CST6CDT) are left out: they read as abbreviations.
    """
    names = {name: name for name in available_timezones() if "/" in name or name == "UTC"}
    names |= {city.title(): zone for city, zone in CITY_ZONES.items()}
    return names


def closest_zones(text: str, limit: int) -> list[Choice]:
    """The zones closest to a typed name, one choice each, a city shown with its zone
    ("Geneva (Europe/Zurich)"): typed "Geneva" or "Beijing", an IANA list alone offered
    names that merely look alike (Africa/Ndjamena, Africa/Abidjan)."""
    names = _zone_names()
    found = process.extract(text, list(names), limit=4 * limit, processor=utils.default_process)
    by_zone: dict[str, str] = {}
    for name, _score, _index in found:
        zone = names[name]
        by_zone.setdefault(zone, zone if name == zone else f"{name} ({zone})")
    return [Choice(label, zone) for zone, label in by_zone.items()][:limit]


@provider("zone")
async def zone_choices(ctx: Context, current: str) -> list[Choice]:
    """The zones closest to what is typed ("mexico" -> America/Mexico_City); Geneva first."""
    typed = current.strip()
    if not typed:
        return [
            Choice(f"{ctx.services.zone.key} (Geneva, the group's zone)", ctx.services.zone.key)
        ]
    return closest_zones(typed, MAX_CHOICES)
