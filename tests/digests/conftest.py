"""A small membership with meetings, actions, a decision and a directory change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import aiosqlite
import pytest

from bot.services import Services
from storage import actions, meetings, minutes, outbox, people, themes
from storage.actions import Owner
from storage.meetings import Attendee
from storage.minutes import NewLine
from storage.outbox import OutboxRow
from storage.timestamps import to_db


@dataclass
class Members:
    jane: int  # e-mail, Mexico City
    bob: int  # Slack only, Tokyo
    dora: int  # Discord only: reached by direct message


@pytest.fixture
async def members(services: Services) -> Members:
    async with services.db.transaction() as conn:
        jane = await people.create(
            conn, "Jane Doe", email="jane@example.org", timezone="America/Mexico_City"
        )
        bob = await people.create(conn, "Bob Smith", timezone="Asia/Tokyo")
        dora = await people.create(conn, "Dora Ng", timezone="Asia/Tokyo")
        await people.link_identity(conn, "slack:U0BOB", bob.id, "bob")
        await people.link_identity(conn, "discord:777", dora.id, "dora")
    return Members(jane.id, bob.id, dora.id)


async def create_action(
    conn: aiosqlite.Connection,
    text: str,
    owners: list[Owner],
    due: dt.date | None,
    creator: int,
    now: dt.datetime,
) -> int:
    [action] = await actions.add(
        conn,
        [
            actions.NewAction(
                text=text,
                owners=owners,
                due_date=due,
                meeting_id=None,
                platform="console",
                channel="console:main",
                message_key=None,
                created_by=creator,
                created_at=now,
            )
        ],
    )
    assert action.id is not None
    return action.id


async def add_action(
    services: Services, text: str, owners: list[Owner], due: dt.date | None, creator: int
) -> int:
    async with services.db.transaction() as conn:
        return await create_action(conn, text, owners, due, creator, services.now())


async def add_meeting(services: Services, title: str, start: dt.datetime, who: list[int]) -> None:
    async with services.db.transaction() as conn:
        await meetings.create(
            conn,
            uid=f"{title}@test",
            title=title,
            start=start,
            end=start + dt.timedelta(hours=1),
            organizer_id=None,
            organizer_name="Chair",
            channel="console:main",
            attendees=[Attendee(person_id=p, name=f"p{p}") for p in who],
            created_by="console:chair",
            now=services.now(),
        )


async def add_decision(services: Services, text: str, person_id: int) -> int:
    now = services.now()
    async with services.db.transaction() as conn:
        meeting = await minutes.start(
            conn,
            channel="console:room",
            title="ISCG call",
            series="iscg call",
            person_id=person_id,
            now=now - dt.timedelta(hours=2),
        )
        await minutes.add_line(
            conn,
            NewLine(
                meeting_id=meeting.id,
                person_id=person_id,
                author="Jane",
                at=now - dt.timedelta(hours=1),
                kind="agreed",
                text=text,
            ),
        )
        await minutes.end(conn, meeting.id, person_id, now - dt.timedelta(minutes=30))
    return meeting.id


async def add_coordinator(services: Services, person_id: int) -> None:
    async with services.db.transaction() as conn:
        theme = await themes.by_slug(conn, "accessibility")
        assert theme is not None
        await themes.assign(
            conn,
            theme_id=theme.id,
            person_id=person_id,
            kind="coordinator",
            sector="ITU-T",
            recorded_by="console:chair",
            recorded_at=to_db(services.now() - dt.timedelta(days=1)),
        )


async def sent(services: Services, kind: str) -> list[OutboxRow]:
    async with services.db.read() as conn:
        return await outbox.by_kind(conn, kind)


@pytest.fixture(autouse=True)
async def running_since_last_week(services: Services) -> None:
    """These tests look at a deployment that sent its previous digest a week ago.

    (A brand-new deployment sends nothing on its first pass: see
    test_first_start_waits_for_the_next_slot.)
    """
    from bot.digests import GROUP
    from storage import digests as store

    last_week = services.now() - dt.timedelta(days=7)
    async with services.db.transaction() as conn:
        await store.record_period(conn, GROUP, last_week, last_week, "empty", "test")
