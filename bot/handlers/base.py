"""What every place the bot lives in provides: connect, listen, send (opsdroid-style).

The core knows nothing of the platforms: a connector turns platform events into
`Services.context_for(...)` + `Services.ask(...)` calls, renders the Reply, and
delivers outbox rows whose destination starts with its `platform`.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from bot.config import Settings

if TYPE_CHECKING:
    from bot.app import BotApp
    from storage.outbox import OutboxRow


class DeliveryError(Exception):
    """Sending failed. `permanent` failures are not retried (a 5xx, an unknown channel).

    `unreachable`: the platform itself could not be reached or refused the bot
    (no connection, a login refused, a relay that will not carry its mail). It
    says nothing about the message, and every other would fare the same until
    it is mended.
    """

    def __init__(self, message: str, *, permanent: bool = False, unreachable: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.unreachable = unreachable


class InFlight:
    """Messages being answered or recorded, by key, so that a change to one waits for it.

    Each platform event is handled in a task of its own: an edit or a deletion made at
    once could be followed before its message was recorded, find nothing, and be lost
    (the line kept its typo, or stayed deleted in Slack but not in the minutes).
    """

    def __init__(self) -> None:
        self._under_way: dict[str, asyncio.Event] = {}

    def begin(self, key: str) -> Callable[[], None]:
        """The message `key` is being answered or recorded; call what this returns when
        it is done (on every path: a change waits for it)."""
        done = self._under_way[key] = asyncio.Event()

        def finish() -> None:
            done.set()
            if self._under_way.get(key) is done:
                del self._under_way[key]

        return finish

    def __contains__(self, key: str) -> bool:
        return key in self._under_way

    async def settled(self, key: str) -> None:
        """Wait until the message `key` (if under way) is answered or recorded."""
        done = self._under_way.get(key)
        if done is not None:
            await done.wait()


class Connector(ABC):
    name: ClassVar[str]
    platform: ClassVar[str]  # the outbox destination prefix it delivers ("slack", "email")

    def __init__(self, app: BotApp) -> None:
        self.app = app

    @classmethod
    @abstractmethod
    def configured(cls, settings: Settings) -> bool:
        """True when the settings this connector needs are present."""

    @classmethod
    @abstractmethod
    def requirement(cls) -> str:
        """What to set to enable it, for the start-up log."""

    @property
    def can_send(self) -> bool:
        """False while the connector can receive but not deliver (rows stay pending)."""
        return True

    async def connect(self) -> None:
        """Log in, open listeners; return when ready to listen and send."""

    @abstractmethod
    async def listen(self) -> None:
        """Receive events until cancelled."""

    @abstractmethod
    async def send(self, row: OutboxRow) -> None:
        """Deliver one outbox row; raise DeliveryError on failure."""

    async def disconnect(self) -> None:
        """Release connections; called once on shutdown."""
