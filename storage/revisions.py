"""Change counters, moved by triggers (migration 0090): is an in-memory view still good?"""

from __future__ import annotations

import aiosqlite


async def current(conn: aiosqlite.Connection, *names: str) -> tuple[int, ...]:
    """The counters of these kinds of record, in the order named."""
    marks = ", ".join("?" for _ in names)
    rows = await conn.execute_fetchall(
        f"SELECT name, n FROM revisions WHERE name IN ({marks})", names
    )
    found = dict(rows)
    return tuple(int(found.get(name, 0)) for name in names)
