"""Action items and their owners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import aiosqlite
from pydantic import BaseModel

from storage.db import fetch_value, may_be_id, together
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


@dataclass(slots=True, kw_only=True)
class NewAction:
    """An action item to insert. `id` None: `add` numbers it."""

    text: str
    owners: list[Owner]
    due_date: dt.date | None
    meeting_id: int | None
    platform: str
    channel: str
    message_key: str | None
    created_by: int
    created_at: dt.datetime
    id: int | None = None

    def stored(self) -> Action:
        """The action as it now stands in the table, without reading it back."""
        assert self.id is not None
        return Action(
            id=self.id,
            text=self.text,
            due_date=self.due_date,
            status="open",
            meeting_id=self.meeting_id,
            platform=self.platform,
            channel=self.channel,
            created_by=self.created_by,
            created_at=from_db(to_db(self.created_at)),
            closed_by=None,
            closed_at=None,
            note=None,
            owners=list(self.owners),
        )


_NEW_COLUMNS = (
    "id, text, due_date, meeting_id, platform, channel, message_key, created_by, created_at"
)
_CHUNK = 500  # rows per INSERT, well under SQLite's limit of bound values


# The largest id of an action taken back (`#undo`), kept where the change counters are.
_TAKEN_BACK = "actions taken back"


async def next_id(conn: aiosqlite.Connection) -> int:
    """The id the next action gets (a batch of meeting lines or of mail numbers its
    actions from it itself): past every id given so far, also one taken back by
    `#undo`, which SQLite's max + 1 gave again: "Recorded A4" named another action
    than the A4 people had seen recorded and undone."""
    return int(
        await fetch_value(
            conn,
            "SELECT max(coalesce((SELECT max(id) FROM actions), 0),"
            " coalesce((SELECT n FROM revisions WHERE name = ?), 0)) + 1",
            (_TAKEN_BACK,),
        )
    )


async def add(conn: aiosqlite.Connection, new: Sequence[NewAction]) -> list[NewAction]:
    """Insert action items with their owners; those inserted, each with its id.

    One whose message was recorded already (`message_key`) is left out.
    Actions come numbered (the meeting writer's lines name theirs) or are
    numbered here, as SQLite would, from the largest id (the caller's
    transaction holds the write lock): RETURNING does not keep the order of
    rows, so ids are given, never read back. The owners go to the database
    together with the actions; their insert skips those of an action left out.
    """
    if any(action.id is None for action in new):
        if any(action.id is not None for action in new):
            raise ValueError("number all the actions to insert, or none")
        for number, action in enumerate(new, await next_id(conn)):
            action.id = number
    inserts = [
        _insert_chunk(conn, new[first : first + _CHUNK]) for first in range(0, len(new), _CHUNK)
    ]
    *returned, _ = await together(*inserts, _add_owners(conn, [(a.id, a.owners) for a in new]))
    ids = {int(row[0]) for rows in returned for row in rows}
    return [action for action in new if action.id in ids]


async def _insert_chunk(conn: aiosqlite.Connection, chunk: Sequence[NewAction]) -> list[Any]:
    marks = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk))
    values = [
        value
        for a in chunk
        for value in (
            a.id,
            a.text,
            a.due_date.isoformat() if a.due_date else None,
            a.meeting_id,
            a.platform,
            a.channel,
            a.message_key,
            a.created_by,
            to_db(a.created_at),
        )
    ]
    return list(
        await conn.execute_fetchall(
            f"INSERT INTO actions ({_NEW_COLUMNS}) VALUES {marks}"
            " ON CONFLICT (message_key) DO NOTHING RETURNING id",
            values,
        )
    )


async def set_owners(conn: aiosqlite.Connection, action_id: int, owners: list[Owner]) -> None:
    await conn.execute("DELETE FROM action_owners WHERE action_id = ?", (action_id,))
    await _add_owners(conn, [(action_id, owners)])


async def _add_owners(
    conn: aiosqlite.Connection, owned: Sequence[tuple[int | None, list[Owner]]]
) -> None:
    """The owners of actions, skipping those of an action that is not in the table."""
    rows = [
        (action_id, n, owner.label, owner.person_id, owner.group_key)
        for action_id, owners in owned
        for n, owner in enumerate(owners)
    ]
    statements = []
    for first in range(0, len(rows), _CHUNK):
        chunk = rows[first : first + _CHUNK]
        marks = ", ".join(["(?, ?, ?, ?, ?)"] * len(chunk))
        statements.append(
            conn.execute(
                "INSERT INTO action_owners (action_id, position, label, person_id, group_key)"
                f" SELECT * FROM (VALUES {marks}) AS o"
                " WHERE EXISTS (SELECT 1 FROM actions WHERE id = o.column1)",
                [value for row in chunk for value in row],
            )
        )
    await together(*statements)


async def get(conn: aiosqlite.Connection, action_id: int) -> Action | None:
    if not may_be_id(action_id):
        return None
    cur = await conn.execute(f"SELECT {_COLUMNS} FROM actions WHERE id = ?", (action_id,))
    found = await _with_owners(conn, await cur.fetchall())
    return found[0] if found else None


async def delete(conn: aiosqlite.Connection, action_id: int) -> None:
    """Take an action back; its id is never given again (see `next_id`)."""
    await conn.execute("DELETE FROM actions WHERE id = ?", (action_id,))
    await conn.execute(
        "INSERT INTO revisions (name, n) VALUES (?, ?)"
        " ON CONFLICT (name) DO UPDATE SET n = max(n, excluded.n)",
        (_TAKEN_BACK, action_id),
    )


async def by_message_key(conn: aiosqlite.Connection, message_key: str) -> Action | None:
    """The action recorded from a chat message (`message_key`, unique), if any."""
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM actions WHERE message_key = ?", (message_key,)
    )
    found = await _with_owners(conn, await cur.fetchall())
    return found[0] if found else None


async def rewrite(
    conn: aiosqlite.Connection,
    action_id: int,
    *,
    text: str,
    owners: list[Owner],
    due_date: dt.date | None,
) -> None:
    """An action as its message now reads (edited): text, owners and due date read again."""
    await conn.execute(
        "UPDATE actions SET text = ?, due_date = ? WHERE id = ?",
        (text, due_date.isoformat() if due_date else None, action_id),
    )
    await set_owners(conn, action_id, owners)


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
        # The note said how it was done; reopened, that was not so (a later /done
        # without a note showed it again, as if it were the new closing's).
        await conn.execute(
            "UPDATE actions SET status = 'open', closed_by = NULL, closed_at = NULL, note = NULL"
            " WHERE id = ?",
            (action_id,),
        )


async def set_note(conn: aiosqlite.Connection, action_id: int, note: str) -> None:
    await conn.execute("UPDATE actions SET note = ? WHERE id = ?", (note, action_id))


async def claim_mentions(
    conn: aiosqlite.Connection, platform: str, user_id: str, person_id: int, name: str
) -> None:
    """Actions that named a Slack or Discord member by a mention (`<@U3>`) while the bot
    could not tell who that was, once it can: each reads and belongs as if known then.

    Unknown, the member was kept as written: the text `<@U3>` (shown "@U3" in minutes,
    digests and mail), an owner "@U3" flagged, or one named by the bare id "U3"; and
    the action was in nobody's `/actions mine` and earned nobody a nudge.
    """
    if platform not in ("slack", "discord"):
        return
    await conn.execute(
        "UPDATE action_owners SET person_id = ?, label = ?"
        " WHERE person_id IS NULL AND group_key IS NULL AND label = ?"
        " AND action_id IN (SELECT id FROM actions WHERE platform = ?)",
        (person_id, name, "@" + user_id, platform),
    )
    await conn.execute(
        "UPDATE action_owners SET label = ? WHERE person_id = ? AND label = ?",
        (name, person_id, user_id),
    )
    for mention in (f"<@{user_id}>", f"<@!{user_id}>"):
        await conn.execute(
            "UPDATE actions SET text = replace(text, ?, ?) WHERE platform = ? AND instr(text, ?)",
            (mention, "@" + name, platform, mention),
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


async def offered(conn: aiosqlite.Connection, typed: str, limit: int) -> list[Action]:
    """The first `limit` actions whose ref (`a12`) or lower-case text holds `typed`
    (lower case), open ones first, each status in `listing`'s order.

    Chat autocomplete asks at every keystroke: only the actions offered are read,
    with their owners, however many there are. The text is lowered as Python does
    (`py_lower`, see `storage.db`): SQLite's lower() leaves "É" as it is.
    """
    where, params = "", []
    if typed:
        where = " WHERE instr('a' || id, ?) > 0 OR instr(py_lower(text), ?) > 0"
        params = [typed, typed]
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM actions{where}"
        " ORDER BY status = 'done', due_date IS NULL, due_date, id LIMIT ?",
        (*params, limit),
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
