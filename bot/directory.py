"""Finding a theme from what a person typed, and what the directory says of it.

Resolution order: the exact name or alias (any case and punctuation), then a
sub-topic, then a typo (rapidfuzz); anything else gets the closest suggestions
rather than a guess stated as fact.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field

import aiosqlite
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from storage import knowledge, themes
from storage.db import Database
from storage.themes import Assignment, NameEntry, SubTopic, Theme, name_key

# A typo is accepted as the theme when it is this close to a single name...
TYPO_SCORE = 85.0
# ...and clearly closer than the next different theme.
TYPO_MARGIN = 4.0
SECTOR_LABELS = {"ITU-R": "ITU-R", "ITU-T": "ITU-T", "ITU-D": "ITU-D", "GS": "General Secretariat"}
# What a theme's `details` hold per Sector, in the order a reader wants them.
DETAIL_TITLES = {
    "study_groups": "Study groups",
    "resolutions": "Resolutions",
    "events": "Events",
    "partners": "Partner organizations",
    "recommendations": "Recommendations",
    "reports": "Reports",
}


@dataclass
class Resolution:
    """The outcome of looking a theme up."""

    query: str
    theme: Theme | None = None
    subtopic: SubTopic | None = None
    matched: NameEntry | None = None
    how: str = ""  # "name", "alias", "subtopic", "typo"
    suggestions: list[Theme] = field(default_factory=list)


@dataclass
class ThemeCard:
    """Everything `/who-coordinates` and `/theme` show about one theme."""

    theme: Theme
    coordinators: list[Assignment]
    focal_points: dict[str, list[Assignment]]
    subtopics: list[SubTopic]
    aliases: list[str]
    children: list[Theme]
    parent: Theme | None
    citations: list[str]


class NameIndex:
    """Every theme name in memory, grouped by length for fast typo search.

    Rebuilt when the directory changes (`invalidate`); a 10,000-theme directory
    builds in milliseconds, and lookups then never scan the whole table.
    """

    def __init__(self) -> None:
        self._entries: dict[str, list[NameEntry]] = {}
        self._by_length: dict[int, list[str]] = defaultdict(list)
        self._lock = asyncio.Lock()
        self._ready = False

    def invalidate(self) -> None:
        self._ready = False

    async def ensure(self, db: Database) -> None:
        if self._ready:
            return
        async with self._lock:
            if self._ready:
                return
            async with db.read() as conn:
                entries = await themes.names(conn)
            grouped: dict[str, list[NameEntry]] = defaultdict(list)
            for entry in entries:
                grouped[entry.key].append(entry)
            by_length: dict[int, list[str]] = defaultdict(list)
            for key in grouped:
                by_length[len(key)].append(key)
            self._entries, self._by_length, self._ready = dict(grouped), by_length, True

    def exact(self, key: str) -> list[NameEntry]:
        return self._entries.get(key, [])

    def close(self, key: str, limit: int = 8) -> list[tuple[str, float]]:
        """Names near `key`, best first, with a 0-100 score."""
        if not key:
            return []
        window = max(2, len(key) // 4)
        candidates = [
            name
            for length in range(len(key) - window, len(key) + window + 1)
            for name in self._by_length.get(length, ())
        ]
        scored = process.extract(key, candidates, scorer=fuzz.ratio, limit=limit, score_cutoff=50)
        typos = [(name, score) for name, score, _ in scored]
        if len(typos) < limit:
            # Also offer names that contain the words typed ("climate" -> "Climate change").
            partial = process.extract(
                key,
                [name for names in self._by_length.values() for name in names],
                scorer=fuzz.token_set_ratio,
                limit=limit,
                score_cutoff=80,
            )
            seen = {name for name, _ in typos}
            typos += [(name, score * 0.8) for name, score, _ in partial if name not in seen]
        return sorted(typos, key=lambda item: -item[1])[:limit]

    def entries(self, key: str) -> list[NameEntry]:
        return self._entries.get(key, [])

    def all_entries(self) -> list[NameEntry]:
        """Every name, alias and sub-topic: what a chat autocomplete offers."""
        return [entry for entries in self._entries.values() for entry in entries]


def name_index(services_extras: dict[str, object]) -> NameIndex:
    index = services_extras.get("theme_index")
    if not isinstance(index, NameIndex):
        index = NameIndex()
        services_extras["theme_index"] = index
    return index


async def resolve(conn: aiosqlite.Connection, index: NameIndex, query: str) -> Resolution:
    key = name_key(query)
    result = Resolution(query=query)
    hits = index.exact(key) or index.exact(key.replace(" ", ""))
    if hits:
        return await _resolved(conn, result, hits[0], hits[0].kind)
    near = index.close(key)
    if near:
        best_key, best_score = near[0]
        best_theme = index.entries(best_key)[0].theme_id
        runner_up = next(
            (score for other, score in near[1:] if index.entries(other)[0].theme_id != best_theme),
            0.0,
        )
        typo = best_score >= TYPO_SCORE and (
            best_score - runner_up >= TYPO_MARGIN or Levenshtein.distance(key, best_key) <= 1
        )
        if typo:
            return await _resolved(conn, result, index.entries(best_key)[0], "typo")
    seen: set[int] = set()
    for other, _score in near:
        theme_id = index.entries(other)[0].theme_id
        if theme_id in seen:
            continue
        seen.add(theme_id)
        theme = await themes.get(conn, theme_id)
        if theme is not None:
            result.suggestions.append(theme)
        if len(result.suggestions) == 3:
            break
    return result


async def _resolved(
    conn: aiosqlite.Connection, result: Resolution, entry: NameEntry, how: str
) -> Resolution:
    result.theme = await themes.get(conn, entry.theme_id)
    result.matched = entry
    result.how = how
    if entry.subtopic_id is not None:
        result.subtopic = await themes.subtopic(conn, entry.subtopic_id)
        if how != "typo":
            result.how = "subtopic"
    return result


async def card(conn: aiosqlite.Connection, theme: Theme) -> ThemeCard:
    assigned = await themes.assignments(conn, theme.id)
    focal: dict[str, list[Assignment]] = {sector: [] for sector in SECTOR_LABELS}
    for item in assigned:
        if item.kind == "focal_point":
            focal.setdefault(item.sector or "GS", []).append(item)
    citations = citations_for(theme.sources, await knowledge.documents(conn))
    parent = await themes.get(conn, theme.parent_id) if theme.parent_id else None
    return ThemeCard(
        theme=theme,
        coordinators=[item for item in assigned if item.kind == "coordinator"],
        focal_points=focal,
        subtopics=await themes.subtopics(conn, theme.id),
        aliases=await themes.aliases(conn, theme.id),
        children=await themes.children(conn, theme.id),
        parent=parent,
        citations=citations,
    )


def citations_for(sources: list[dict[str, str]], docs: dict[str, knowledge.Document]) -> list[str]:
    """One citation per document, its sections together: "ISCG/25-1/03-E (002_....txt) 2"."""
    sections: dict[str, list[str]] = {}
    for source in sources:
        sections.setdefault(source.get("file", ""), []).append(source.get("section", ""))
    result = []
    for file, parts in sections.items():
        doc = docs.get(file)
        label = doc.short_citation if doc else file
        result.append(f"{label}: {', '.join(p for p in parts if p)}".rstrip(": "))
    return result


def person_line(item: Assignment) -> str:
    person = item.person
    parts = [person.name]
    extra = [x for x in (item.advisory_group, person.country) if x]
    if extra:
        parts.append(f"({', '.join(extra)})")
    if person.email:
        parts.append(f"<{person.email}>")
    return " ".join(parts)


def study_group_lines(groups: dict[str, list[str]]) -> list[str]:
    return [f"{sector}: {'; '.join(cells)}" for sector, cells in groups.items() if cells]


def by_category(every: list[Theme]) -> dict[str, list[Theme]]:
    """Themes under each list of the documents they appear in (one theme, several lists)."""
    grouped: dict[str, list[Theme]] = {}
    for theme in every:
        for category in theme.categories or ["Other"]:
            grouped.setdefault(category, []).append(theme)
    return grouped
