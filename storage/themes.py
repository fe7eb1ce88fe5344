"""The theme directory: themes, their sub-topics, names, coordinators, focal points."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Literal

import aiosqlite
from pydantic import BaseModel, Field

from storage.chinese import simplified
from storage.db import fetch_one, fetch_value
from storage.people import Person

AssignmentKind = Literal["coordinator", "focal_point"]
SECTORS = ("ITU-R", "ITU-T", "ITU-D", "GS")

_NON_WORD = re.compile(r"[\W_]+")
# Letters Arabic writers type one for the other: the final ى and ي, ة and ه, and the
# Persian keyboard's ی and ک (delegates of Iran write Arabic with it); the tatweel
# (ـ) only stretches a word.
_ARABIC_FOLD = str.maketrans({"ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه", "ـ": None})


def name_key(text: str) -> str:
    """Lookup form of a name: accents, case and punctuation do not matter.

    Letters of every script are kept, their marks dropped: "Accessibilité" is
    "accessibilite", and "доступность" or "无障碍" are themselves, where keeping
    only ASCII letters made every Russian, Chinese or Arabic name an empty key;
    Arabic letters written one for another are one (`_ARABIC_FOLD`), and so are
    traditional and simplified Chinese characters ("無障礙" is "无障碍").
    """
    decomposed = unicodedata.normalize("NFKD", simplified(text)).translate(_ARABIC_FOLD)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return _NON_WORD.sub(" ", folded).strip()


class Theme(BaseModel):
    id: int
    slug: str
    name: str
    summary: str = ""
    categories: list[str] = Field(default_factory=list)
    number: str | None = None
    parent_id: int | None = None
    pilot: bool = False
    details: dict[str, Any] = Field(default_factory=dict)
    sources: list[dict[str, Any]] = Field(default_factory=list)


class SubTopic(BaseModel):
    id: int
    theme_id: int
    name: str
    study_groups: dict[str, list[str]] = Field(default_factory=dict)
    source_file: str | None = None
    source_section: str | None = None


class NameEntry(BaseModel):
    key: str
    name: str
    theme_id: int
    subtopic_id: int | None
    kind: Literal["name", "alias", "subtopic"]


class Assignment(BaseModel):
    id: int
    theme_id: int
    kind: AssignmentKind
    sector: str
    advisory_group: str | None
    recorded_by: str
    recorded_at: str
    person: Person


_THEME_COLUMNS = "id, slug, name, summary, categories, number, parent_id, pilot, details, sources"


def _theme(row: aiosqlite.Row) -> Theme:
    data = dict(row)
    for key in ("categories", "details", "sources"):
        data[key] = json.loads(data[key])
    return Theme(**data)


async def get(conn: aiosqlite.Connection, theme_id: int) -> Theme | None:
    row = await fetch_one(conn, f"SELECT {_THEME_COLUMNS} FROM themes WHERE id = ?", (theme_id,))
    return None if row is None else _theme(row)


async def by_slug(conn: aiosqlite.Connection, slug: str) -> Theme | None:
    row = await fetch_one(conn, f"SELECT {_THEME_COLUMNS} FROM themes WHERE slug = ?", (slug,))
    return None if row is None else _theme(row)


async def all_themes(conn: aiosqlite.Connection) -> list[Theme]:
    rows = await conn.execute_fetchall(f"SELECT {_THEME_COLUMNS} FROM themes ORDER BY id")
    return [_theme(row) for row in rows]


async def children(conn: aiosqlite.Connection, theme_id: int) -> list[Theme]:
    rows = await conn.execute_fetchall(
        f"SELECT {_THEME_COLUMNS} FROM themes WHERE parent_id = ? ORDER BY number, id",
        (theme_id,),
    )
    return [_theme(row) for row in rows]


async def parent_ids(conn: aiosqlite.Connection) -> set[int]:
    """Themes that have numbered sub-items."""
    rows = await conn.execute_fetchall(
        "SELECT DISTINCT parent_id FROM themes WHERE parent_id IS NOT NULL"
    )
    return {row[0] for row in rows}


async def names(conn: aiosqlite.Connection) -> list[NameEntry]:
    rows = await conn.execute_fetchall(
        "SELECT key, name, theme_id, subtopic_id, kind FROM theme_names"
    )
    return [NameEntry(**dict(row)) for row in rows]


async def by_key(conn: aiosqlite.Connection, key: str) -> list[NameEntry]:
    rows = await conn.execute_fetchall(
        "SELECT key, name, theme_id, subtopic_id, kind FROM theme_names WHERE key = ?"
        " ORDER BY CASE kind WHEN 'name' THEN 0 WHEN 'alias' THEN 1 ELSE 2 END",
        (key,),
    )
    return [NameEntry(**dict(row)) for row in rows]


async def subtopics(conn: aiosqlite.Connection, theme_id: int | None = None) -> list[SubTopic]:
    """A theme's sub-topics, or every theme's when none is named."""
    rows = await conn.execute_fetchall(
        "SELECT id, theme_id, name, study_groups, source_file, source_section"
        " FROM subtopics WHERE ? IS NULL OR theme_id = ? ORDER BY id",
        (theme_id, theme_id),
    )
    rows = [dict(row) for row in rows]
    for row in rows:
        row["study_groups"] = json.loads(row["study_groups"])
    return [SubTopic(**row) for row in rows]


async def subtopic(conn: aiosqlite.Connection, subtopic_id: int) -> SubTopic | None:
    row = await fetch_one(
        conn,
        "SELECT id, theme_id, name, study_groups, source_file, source_section"
        " FROM subtopics WHERE id = ?",
        (subtopic_id,),
    )
    if row is None:
        return None
    data = dict(row)
    data["study_groups"] = json.loads(data["study_groups"])
    return SubTopic(**data)


async def assignments(conn: aiosqlite.Connection, theme_id: int) -> list[Assignment]:
    rows = await conn.execute_fetchall(
        "SELECT a.id, a.theme_id, a.kind, a.sector, a.advisory_group, a.recorded_by,"
        " a.recorded_at, p.id AS p_id, p.name, p.email, p.country, p.title, p.timezone,"
        " p.role, p.position, p.advisory_group AS p_group, p.current"
        " FROM assignments a JOIN people p ON p.id = a.person_id"
        " WHERE a.theme_id = ? ORDER BY a.kind, a.sector, a.recorded_at, a.id",
        (theme_id,),
    )
    result = []
    for row in rows:
        data = dict(row)
        person = Person(
            id=data["p_id"],
            name=data["name"],
            email=data["email"],
            country=data["country"],
            title=data["title"],
            timezone=data["timezone"],
            role=data["role"],
            position=data["position"],
            advisory_group=data["p_group"],
            current=bool(data["current"]),
        )
        result.append(
            Assignment(
                id=data["id"],
                theme_id=data["theme_id"],
                kind=data["kind"],
                sector=data["sector"],
                advisory_group=data["advisory_group"],
                recorded_by=data["recorded_by"],
                recorded_at=data["recorded_at"],
                person=person,
            )
        )
    return result


async def themes_of_person(conn: aiosqlite.Connection, person_id: int) -> list[Theme]:
    rows = await conn.execute_fetchall(
        f"SELECT DISTINCT {', '.join('t.' + c.strip() for c in _THEME_COLUMNS.split(','))}"
        " FROM themes t JOIN assignments a ON a.theme_id = t.id WHERE a.person_id = ?"
        " ORDER BY t.name",
        (person_id,),
    )
    return [_theme(row) for row in rows]


async def assign(
    conn: aiosqlite.Connection,
    *,
    theme_id: int,
    person_id: int,
    kind: AssignmentKind,
    sector: str = "",
    advisory_group: str | None = None,
    recorded_by: str,
    recorded_at: str,
) -> bool:
    """Record a coordinator or focal point; False when it was already recorded.

    One recorded again with another advisory group takes it; named again without one,
    they keep theirs, and that is no change (it was counted one, and the chair told
    "Recorded" again, which read as a second record).
    """
    cur = await conn.execute(
        "INSERT INTO assignments (theme_id, person_id, kind, sector, advisory_group,"
        " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (theme_id, person_id, kind, sector) DO UPDATE SET"
        " advisory_group = excluded.advisory_group"
        " WHERE excluded.advisory_group IS NOT NULL"
        " AND excluded.advisory_group IS NOT assignments.advisory_group",
        (theme_id, person_id, kind, sector, advisory_group, recorded_by, recorded_at),
    )
    return cur.rowcount > 0


async def insert_theme(
    conn: aiosqlite.Connection,
    *,
    slug: str,
    name: str,
    summary: str,
    categories: list[str],
    number: str | None,
    parent_id: int | None,
    pilot: bool,
    details: dict[str, Any],
    sources: list[dict[str, Any]],
    created_by: str = "seed",
) -> int:
    cur = await conn.execute(
        "INSERT INTO themes (slug, name, summary, categories, number, parent_id, pilot,"
        " details, sources, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            slug,
            name,
            summary,
            json.dumps(categories),
            number,
            parent_id,
            int(pilot),
            json.dumps(details, ensure_ascii=False),
            json.dumps(sources, ensure_ascii=False),
            created_by,
        ),
    )
    return int(cur.lastrowid)


async def refresh_seeded(
    conn: aiosqlite.Connection,
    theme_id: int,
    *,
    name: str,
    summary: str,
    categories: list[str],
    number: str | None,
    pilot: bool,
    details: dict[str, Any],
    sources: list[dict[str, Any]],
) -> bool:
    """Bring a theme taken from the knowledge base up to date with it; whether it changed.

    Its text, lists and sources are the knowledge base's alone (no command edits
    them), so a correction there must reach a database seeded before it. A theme
    created otherwise is left as it is.
    """
    values = (
        name,
        summary,
        json.dumps(categories),
        number,
        int(pilot),
        json.dumps(details, ensure_ascii=False),
        json.dumps(sources, ensure_ascii=False),
    )
    cur = await conn.execute(
        "UPDATE themes SET name = ?, summary = ?, categories = ?, number = ?, pilot = ?,"
        " details = ?, sources = ? WHERE id = ? AND created_by = 'seed'"
        " AND (name, summary, categories, number, pilot, details, sources)"
        " IS NOT (?, ?, ?, ?, ?, ?, ?)",
        (*values, theme_id, *values),
    )
    return cur.rowcount > 0


async def insert_subtopic(
    conn: aiosqlite.Connection,
    theme_id: int,
    name: str,
    study_groups: dict[str, list[str]],
    source: tuple[str, str],
) -> int:
    """The sub-topic's id; one there already takes the study groups and source given."""
    await conn.execute(
        "INSERT INTO subtopics (theme_id, name, study_groups, source_file, source_section)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (theme_id, name) DO UPDATE SET"
        " study_groups = excluded.study_groups, source_file = excluded.source_file,"
        " source_section = excluded.source_section"
        " WHERE (study_groups, source_file, source_section)"
        " IS NOT (excluded.study_groups, excluded.source_file, excluded.source_section)",
        (theme_id, name, json.dumps(study_groups), source[0], source[1]),
    )
    row = await fetch_one(
        conn, "SELECT id FROM subtopics WHERE theme_id = ? AND name = ?", (theme_id, name)
    )
    return int(row[0])


async def add_name(
    conn: aiosqlite.Connection,
    theme_id: int,
    name: str,
    kind: Literal["name", "alias", "subtopic"],
    subtopic_id: int | None = None,
) -> None:
    key = name_key(name)
    if not key:
        return
    await conn.execute(
        "INSERT INTO theme_names (key, name, theme_id, subtopic_id, kind) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (key, theme_id) DO NOTHING",
        (key, name, theme_id, subtopic_id, kind),
    )


async def count(conn: aiosqlite.Connection) -> int:
    return int(await fetch_value(conn, "SELECT COUNT(*) FROM themes"))
