"""People and the identities (`platform:id`) that lead to them."""

from __future__ import annotations

from typing import Literal

import aiosqlite
from pydantic import BaseModel

from storage.db import fetch_one

RoleName = Literal["member", "coordinator", "secretariat", "chair"]


class Person(BaseModel):
    id: int
    name: str
    email: str | None = None
    country: str | None = None
    title: str | None = None
    timezone: str | None = None  # set by the person (/timezone)
    role: RoleName = "member"
    position: str | None = None
    advisory_group: str | None = None
    current: bool = True
    platform_zone: str | None = None  # their chat profile's, refreshed as they speak
    platform_zone_from: str | None = None  # where that is, in its handler's words

    @property
    def lives_by(self) -> str | None:
        """The zone the person's day runs in: their own, else their profile's, else None."""
        return self.timezone or self.platform_zone


_COLUMNS = (
    "id, name, email, country, title, timezone, role, position, advisory_group, current,"
    " platform_zone, platform_zone_from"
)


def _person(row: aiosqlite.Row | None) -> Person | None:
    return None if row is None else Person(**dict(row))


async def get(conn: aiosqlite.Connection, person_id: int) -> Person | None:
    return _person(
        await fetch_one(conn, f"SELECT {_COLUMNS} FROM people WHERE id = ?", (person_id,))
    )


async def by_identity(conn: aiosqlite.Connection, identity: str) -> Person | None:
    row = await fetch_one(
        conn,
        f"SELECT {', '.join('p.' + c.strip() for c in _COLUMNS.split(','))} "
        "FROM people p JOIN identities i ON i.person_id = p.id WHERE i.identity = ?",
        (identity,),
    )
    return _person(row)


async def by_email(conn: aiosqlite.Connection, email: str) -> Person | None:
    return _person(
        await fetch_one(conn, f"SELECT {_COLUMNS} FROM people WHERE email = ?", (email,))
    )


async def by_name(conn: aiosqlite.Connection, name: str) -> list[Person]:
    rows = await conn.execute_fetchall(
        f"SELECT {_COLUMNS} FROM people WHERE name = ? COLLATE NOCASE ORDER BY current DESC, id",
        (name.strip(),),
    )
    return [Person(**dict(row)) for row in rows]


async def source(conn: aiosqlite.Connection, person_id: int) -> tuple[str | None, str | None]:
    """The seed document and section a person was taken from, (None, None) for one
    recorded by a chair."""
    row = await fetch_one(
        conn, "SELECT source_file, source_section FROM people WHERE id = ?", (person_id,)
    )
    return (row[0], row[1]) if row is not None else (None, None)


async def all_people(conn: aiosqlite.Connection) -> list[Person]:
    rows = await conn.execute_fetchall(
        f"SELECT {_COLUMNS} FROM people ORDER BY name COLLATE NOCASE"
    )
    return [Person(**dict(row)) for row in rows]


async def member_zones(conn: aiosqlite.Connection) -> list[str]:
    """The zones current members live by (set, else their Slack profile's), most common
    first: where a group message shows times."""
    cur = await conn.execute(
        "SELECT COALESCE(timezone, platform_zone) AS zone FROM people"
        " WHERE current = 1 AND COALESCE(timezone, platform_zone) IS NOT NULL"
        " GROUP BY zone ORDER BY COUNT(*) DESC, zone"
    )
    return [row["zone"] for row in await cur.fetchall()]


async def create(
    conn: aiosqlite.Connection,
    name: str,
    *,
    email: str | None = None,
    country: str | None = None,
    title: str | None = None,
    timezone: str | None = None,
    role: RoleName = "member",
    position: str | None = None,
    advisory_group: str | None = None,
    current: bool = True,
    source: tuple[str, str] | None = None,
) -> Person:
    cur = await conn.execute(
        "INSERT INTO people (name, email, country, title, timezone, role, position,"
        " advisory_group, current, source_file, source_section)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            name,
            email.lower() if email else None,
            country,
            title,
            timezone,
            role,
            position,
            advisory_group,
            int(current),
            source[0] if source else None,
            source[1] if source else None,
        ),
    )
    person = await get(conn, int(cur.lastrowid))
    assert person is not None
    return person


async def link_identity(
    conn: aiosqlite.Connection, identity: str, person_id: int, display_name: str | None = None
) -> None:
    await conn.execute(
        "INSERT INTO identities (identity, person_id, display_name) VALUES (?, ?, ?)"
        " ON CONFLICT (identity) DO UPDATE SET person_id = excluded.person_id,"
        " display_name = COALESCE(excluded.display_name, identities.display_name)",
        (identity, person_id, display_name),
    )


async def all_identities(conn: aiosqlite.Connection) -> list[tuple[str, int, str | None]]:
    """Every (identity, person id, display name): what mention matching looks through."""
    rows = await conn.execute_fetchall("SELECT identity, person_id, display_name FROM identities")
    return [(row[0], row[1], row[2]) for row in rows]


async def identities_of(conn: aiosqlite.Connection, person_id: int) -> list[str]:
    rows = await conn.execute_fetchall(
        "SELECT identity FROM identities WHERE person_id = ? ORDER BY identity", (person_id,)
    )
    return [row[0] for row in rows]


async def ensure(conn: aiosqlite.Connection, identity: str, display_name: str) -> Person:
    """The person behind an identity, created on first contact.

    An `email:` identity joins the person already known by that address (a seeded
    chair writing in for the first time is the same person, not a new one).
    """
    person = await by_identity(conn, identity)
    if person is not None:
        return person
    platform, _, ident = identity.partition(":")
    if platform == "email":
        person = await by_email(conn, ident)
    if person is None:
        person = await create(
            conn, display_name or ident, email=ident if platform == "email" else None
        )
    await link_identity(conn, identity, person.id, display_name)
    return person


async def set_timezone(conn: aiosqlite.Connection, person_id: int, zone: str) -> None:
    await conn.execute("UPDATE people SET timezone = ? WHERE id = ?", (zone, person_id))


async def set_platform_zone(
    conn: aiosqlite.Connection, person_id: int, zone: str, source: str | None
) -> None:
    """The zone a platform gives the person, and where it is in the platform's words."""
    await conn.execute(
        "UPDATE people SET platform_zone = ?, platform_zone_from = ? WHERE id = ?",
        (zone, source, person_id),
    )


async def set_role(conn: aiosqlite.Connection, person_id: int, role: RoleName) -> None:
    await conn.execute("UPDATE people SET role = ? WHERE id = ?", (role, person_id))


async def set_name(conn: aiosqlite.Connection, person_id: int, name: str) -> None:
    await conn.execute("UPDATE people SET name = ? WHERE id = ?", (name, person_id))


async def set_email(conn: aiosqlite.Connection, person_id: int, email: str) -> None:
    await conn.execute("UPDATE people SET email = ? WHERE id = ?", (email.lower(), person_id))
