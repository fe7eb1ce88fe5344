"""People the minutes tests talk about, and a way to speak with a platform message id."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.core import Reply
from bot.services import Services
from storage import people

JANE = "console:jane"
BOB = "console:bob"
SAM = "console:sam"  # secretariat
OUTSIDER = "console:olga"


@dataclass
class Speaker:
    """Say a line in a channel as a chat connector would: with a message id, maybe unaddressed."""

    services: Services

    async def __call__(
        self,
        text: str,
        *,
        who: str,
        channel: str = "console:main",
        message_id: str | None = None,
        addressed: bool = True,
    ) -> Reply | None:
        ctx = await self.services.context_for(
            who, who.partition(":")[2], channel, message_id=message_id
        )
        return await self.services.ask(ctx, text, addressed=addressed)


@pytest.fixture
async def known(services: Services) -> dict[str, int]:
    """Jane Doe and Bob Smith (console, Slack and Discord ids) and a secretariat member."""
    async with services.db.transaction() as conn:
        jane = await people.create(conn, "Jane Doe", email="jane@example.org")
        bob = await people.create(conn, "Bob Smith", email="bob@example.org")
        sam = await people.create(conn, "Sam Sekretar", role="secretariat")
        await people.link_identity(conn, JANE, jane.id, "jane")
        await people.link_identity(conn, BOB, bob.id, "bob")
        await people.link_identity(conn, SAM, sam.id, "sam")
        await people.link_identity(conn, "slack:U123", bob.id, "bob")
        await people.link_identity(conn, "discord:4567", jane.id, "jane")
    return {"jane": jane.id, "bob": bob.id, "sam": sam.id}


@pytest.fixture
def say(services: Services) -> Speaker:
    return Speaker(services)
