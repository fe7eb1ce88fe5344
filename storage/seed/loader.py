"""Load the knowledge base into the database, idempotently.

Seeding again adds what is new in `knowledge.yaml` and never duplicates what
is there: a coordinator a chair recorded, a person's own time zone, a theme a
chair created all survive a re-seed. What only the file says of a theme (its
summary, lists, study groups, sources), the bodies it describes and the facts
it states are brought up to date with it, so a correction reaches a database seeded before it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiosqlite

from storage import people, themes
from storage.seed.model import Knowledge, Source, load_knowledge

Seeder = Callable[[aiosqlite.Connection, Knowledge], Awaitable[int]]

# Other aggregates (sessions, meetings) register their own seeders here.
EXTRA_SEEDERS: list[Seeder] = []


@dataclass
class SeedReport:
    added: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = [f"{count} {what}" for what, count in self.added.items() if count]
        return "seeded: " + (", ".join(parts) if parts else "nothing new")


async def seed(conn: aiosqlite.Connection, knowledge: Knowledge | None = None) -> SeedReport:
    """Seed inside the caller's transaction."""
    kb = knowledge or load_knowledge()
    report = SeedReport()
    report.added["documents"] = await _documents(conn, kb)
    report.added["bodies"] = await _bodies(conn, kb)
    report.added["facts"] = await _facts(conn, kb)
    report.added["themes"] = await _themes(conn, kb)
    report.added["people"] = await _people(conn, kb)
    for extra in EXTRA_SEEDERS:
        report.added[extra.__name__.removeprefix("seed_")] = await extra(conn, kb)
    return report


async def _documents(conn: aiosqlite.Connection, kb: Knowledge) -> int:
    added = 0
    for doc in kb.documents:
        cur = await conn.execute(
            "INSERT INTO documents (file, title, symbol, date, citation, summary)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (file) DO NOTHING",
            (
                doc.file,
                doc.title,
                doc.symbol,
                doc.date.isoformat() if doc.date else None,
                doc.citation,
                doc.summary,
            ),
        )
        added += cur.rowcount
        # A document seeded before it had a citation gets one; one set is kept.
        await conn.execute(
            "UPDATE documents SET citation = ? WHERE file = ? AND citation IS NULL",
            (doc.citation, doc.file),
        )
    return added


async def _bodies(conn: aiosqlite.Connection, kb: Knowledge) -> int:
    """Bodies added, or corrected in the file since they were seeded."""
    added = 0
    for body in kb.bodies:
        cur = await conn.execute(
            "INSERT INTO bodies (abbr, name, sector, description, aliases, source_file,"
            " source_section) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (abbr) DO UPDATE SET"
            " name = excluded.name, sector = excluded.sector,"
            " description = excluded.description, aliases = excluded.aliases,"
            " source_file = excluded.source_file, source_section = excluded.source_section"
            " WHERE (name, sector, description, aliases, source_file, source_section)"
            " IS NOT (excluded.name, excluded.sector, excluded.description, excluded.aliases,"
            " excluded.source_file, excluded.source_section)",
            (
                body.abbr,
                body.name,
                body.sector,
                body.description,
                json.dumps(body.aliases),
                body.source.file,
                body.source.section,
            ),
        )
        added += cur.rowcount
    return added


async def _facts(conn: aiosqlite.Connection, kb: Knowledge) -> int:
    """Facts added, or corrected in the file since they were seeded."""
    added = 0
    for fact in kb.facts:
        cur = await conn.execute(
            "INSERT INTO facts (key, value, source_file, source_section, note)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
            " source_file = excluded.source_file, source_section = excluded.source_section,"
            " note = excluded.note WHERE (value, source_file, source_section, note)"
            " IS NOT (excluded.value, excluded.source_file, excluded.source_section,"
            " excluded.note)",
            (fact.key, fact.value, fact.source.file, fact.source.section, fact.source.note),
        )
        added += cur.rowcount
    return added


def _source(source: Source) -> dict[str, str]:
    return source.model_dump(exclude_none=True)


async def _themes(conn: aiosqlite.Connection, kb: Knowledge) -> int:
    """Themes added; one seeded before is brought up to date with the file."""
    added = 0
    ids: dict[str, int] = {}
    # Parents first, so a sub-item can point at its item.
    ordered = sorted(kb.themes, key=lambda t: t.parent is not None)
    for theme in ordered:
        existing = await themes.by_slug(conn, theme.slug)
        content = {
            "name": theme.name,
            "summary": theme.summary,
            "categories": theme.categories,
            "number": theme.number,
            "pilot": theme.pilot,
            "details": {
                "study_groups": theme.study_groups.model_dump(by_alias=True),
                "events": theme.events,
                "partners": theme.partners,
                "resolutions": theme.resolutions,
                "recommendations": theme.recommendations,
                "reports": theme.reports,
                "webpage": theme.webpage,
                "translations": theme.translations,
                "coordination": theme.coordination.model_dump(exclude_none=True)
                if theme.coordination
                else None,
            },
            "sources": [_source(s) for s in theme.sources],
        }
        if existing is not None:
            theme_id = existing.id
            await themes.refresh_seeded(conn, theme_id, **content)
        else:
            theme_id = await themes.insert_theme(
                conn,
                slug=theme.slug,
                parent_id=ids.get(theme.parent) if theme.parent else None,
                **content,
            )
            added += 1
        ids[theme.slug] = theme_id
        await themes.add_name(conn, theme_id, theme.name, "name")
        for alias in (*theme.aliases, *(n for ns in theme.translations.values() for n in ns)):
            await themes.add_name(conn, theme_id, alias, "alias")
        for sub in theme.subtopics:
            sub_id = await themes.insert_subtopic(
                conn,
                theme_id,
                sub.name,
                sub.study_groups.model_dump(by_alias=True),
                (sub.source.file, sub.source.section),
            )
            translated = (name for names in sub.translations.values() for name in names)
            for name in (sub.name, *sub.aliases, *translated):
                await themes.add_name(conn, theme_id, name, "subtopic", sub_id)
    return added


async def _people(conn: aiosqlite.Connection, kb: Knowledge) -> int:
    added = 0
    for person in kb.people:
        if person.email and await people.by_email(conn, person.email) is not None:
            continue
        namesakes = await people.by_name(conn, person.name)
        if any(known.current == person.current for known in namesakes):
            continue
        is_chair = person.current and person.role.strip().lower() in ("chair", "iscg chair")
        await people.create(
            conn,
            person.name,
            email=person.email,
            country=person.country,
            title=person.title,
            timezone=person.timezone,
            role="chair" if is_chair else "member",
            position=person.role,
            advisory_group=person.group,
            current=person.current,
            source=(person.source.file, person.source.section),
        )
        added += 1
    return added
