"""Action items and their owners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

import aiosqlite
from pydantic import BaseModel

from storage.timestamps import from_db, to_db

Status = Literal["open", "done"]


class Owner(BaseModel):
    """One owner: a person, an ISCG group, or a name nobody matched (`flagged`)."""

    label: str
    person_id: int | None = None
    group_key: str | None = None

    @property
    def flagged(self) -> bool:
        return self.person_id is None and self.group_key is None


class Action(BaseModel):
    id: int
    text: str
    due_date: dt.date | None
    status: Status
    meeting_id: int | None
    platform: str
    channel: str
    created_by: int
    created_at: dt.datetime
    closed_by: int | None
    closed_at: dt.datetime | None
    note: str | None
    owners: list[Owner] = []

    @property
    def ref(self) -> str:
        return f"A{self.id}"

    @property
    def anchor(self) -> str:
        return f"action-{self.id}"


_COLUMNS = (
    "id, text, due_date, status, meeting_id, platform, channel, created_by, created_at,"
    " closed_by, closed_at, note"
)


def _action(row: aiosqlite.Row) -> Action:
    data = dict(row)
    data["due_date"] = dt.date.fromisoformat(data["due_date"]) if data["due_date"] else None
    data["created_at"] = from_db(data["created_at"])
    data["closed_at"] = from_db(data["closed_at"]) if data["closed_at"] else None
    return Action(**data)


async def _with_owners(conn: aiosqlite.Connection, rows: Sequence[aiosqlite.Row]) -> list[Action]:
    found = [_action(row) for row in rows]
    if not found:
        return found
    by_id = {action.id: action for action in found}
    marks = ", ".join("?" for _ in by_id)
    cur = await conn.execute(
        f"SELECT action_id, label, person_id, group_key FROM action_owners"
        f" WHERE action_id IN ({marks}) ORDER BY action_id, position",
        tuple(by_id),
    )
    for owner in await cur.fetchall():
        by_id[owner["action_id"]].owners.append(
            Owner(label=owner["label"], person_id=owner["person_id"], group_key=owner["group_key"])
        )
    return found


async def create(
    conn: aiosqlite.Connection,
    *,
    text: str,
    owners: list[Owner],
    due_date: dt.date | None,
    meeting_id: int | None,
    platform: str,
    channel: str,
    message_key: str | None,
    created_by: int,
    now: dt.datetime,
) -> Action | None:
    """Record an action and return it as stored; None when its message was recorded already."""
    rows = await conn.execute_fetchall(
        "INSERT INTO actions (text, due_date, meeting_id, platform, channel, message_key,"
        " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        f" ON CONFLICT (message_key) DO NOTHING RETURNING {_COLUMNS}",
        (
            text,
            due_date.isoformat() if due_date else None,
            meeting_id,
            platform,
            channel,
            message_key,
            created_by,
            to_db(now),
        ),
    )
    if not rows:
        return None
    action = _action(next(iter(rows)))
    await _add_owners(conn, action.id, owners)
    action.owners = list(owners)
    return action


async def set_owners(conn: aiosqlite.Connection, action_id: int, owners: list[Owner]) -> None:
    await conn.execute("DELETE FROM action_owners WHERE action_id = ?", (action_id,))
    await _add_owners(conn, action_id, owners)


async def _add_owners(conn: aiosqlite.Connection, action_id: int, owners: list[Owner]) -> None:
    if not owners:
        return
    await conn.executemany(
        "INSERT INTO action_owners (action_id, position, label, person_id, group_key)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (action_id, n, owner.label, owner.person_id, owner.group_key)
            for n, owner in enumerate(owners)
        ],
    )


async def get(conn: aiosqlite.Connection, action_id: int) -> Action | None:
    cur = await conn.execute(f"SELECT {_COLUMNS} FROM actions WHERE id = ?", (action_id,))
    found = await _with_owners(conn, await cur.fetchall())
    return found[0] if found else None


async def delete(conn: aiosqlite.Connection, action_id: int) -> None:
    await conn.execute("DELETE FROM actions WHERE id = ?", (action_id,))


async def set_status(
    conn: aiosqlite.Connection,
    action_id: int,
    status: Status,
    *,
    person_id: int,
    now: dt.datetime,
    note: str | None = None,
) -> None:
    if status == "done":
        await conn.execute(
            "UPDATE actions SET status = 'done', closed_by = ?, closed_at = ?,"
            " note = COALESCE(?, note) WHERE id = ?",
            (person_id, to_db(now), note, action_id),
        )
    else:
        await conn.execute(
            "UPDATE actions SET status = 'open', closed_by = NULL, closed_at = NULL WHERE id = ?",
            (action_id,),
        )


async def set_due(conn: aiosqlite.Connection, action_id: int, due: dt.date | None) -> None:
    await conn.execute(
        "UPDATE actions SET due_date = ? WHERE id = ?",
        (due.isoformat() if due else None, action_id),
    )


async def of_meetings(conn: aiosqlite.Connection, meeting_ids: list[int]) -> list[Action]:
    if not meeting_ids:
        return []
    marks = ", ".join("?" for _ in meeting_ids)
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM actions WHERE meeting_id IN ({marks}) ORDER BY id",
        tuple(meeting_ids),
    )
    return await _with_owners(conn, await cur.fetchall())


async def listing(
    conn: aiosqlite.Connection,
    *,
    status: Status | None = None,
    due_before: dt.date | None = None,
    person_id: int | None = None,
    group_keys: Sequence[str] = (),
) -> list[Action]:
    """Actions by status and due date; with `person_id`, those the person or their groups own."""
    where, params = ["1 = 1"], []
    if status is not None:
        where.append("status = ?")
        params.append(status)
    if due_before is not None:
        where.append("due_date IS NOT NULL AND due_date < ?")
        params.append(due_before.isoformat())
    if person_id is not None:
        marks = ", ".join("?" for _ in group_keys) or "NULL"
        where.append(
            "id IN (SELECT action_id FROM action_owners WHERE person_id = ?"
            f" OR group_key IN ({marks}))"
        )
        params += [person_id, *group_keys]
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM actions WHERE {' AND '.join(where)}"
        " ORDER BY due_date IS NULL, due_date, id",
        tuple(params),
    )
    return await _with_owners(conn, await cur.fetchall())
