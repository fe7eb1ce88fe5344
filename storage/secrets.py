"""Values an installation generates once and must keep: the web access key."""

from __future__ import annotations

import aiosqlite

from storage.db import fetch_one


async def get(conn: aiosqlite.Connection, name: str) -> str | None:
    row = await fetch_one(conn, "SELECT value FROM instance_secrets WHERE name = ?", (name,))
    return None if row is None else str(row[0])


async def keep_first(conn: aiosqlite.Connection, name: str, value: str, created_at: str) -> str:
    """Store `value` unless one is stored already; return the one that is kept."""
    await conn.execute(
        "INSERT INTO instance_secrets (name, value, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT (name) DO NOTHING",
        (name, value, created_at),
    )
    kept = await get(conn, name)
    assert kept is not None
    return kept
