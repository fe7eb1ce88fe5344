"""Stand-ins for what Discord sends: interactions, users, channels, guilds (no network).

dpytest has no interaction support, so these record what the connector asks
Discord to show: `response.send_message`, `response.defer`, `followup.send`.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import discord
import pytest

from bot.app import BotApp
from bot.core import Args, Registry, Reply, Role
from bot.handlers.discord import DiscordConnector
from bot.services import Services
from storage import people

_ids = itertools.count(1000)


@dataclass
class User:
    id: int
    display_name: str = "Member"
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class Sent:
    how: str  # "response", "followup", "defer", "delete"
    kwargs: dict[str, Any]

    @property
    def embeds(self) -> list[discord.Embed]:
        return self.kwargs.get("embeds", [])

    @property
    def content(self) -> str:
        return self.kwargs.get("content") or ""

    @property
    def ephemeral(self) -> bool:
        return bool(self.kwargs.get("ephemeral"))

    @property
    def pings_nobody(self) -> bool:
        mentions = self.kwargs["allowed_mentions"]
        return not (mentions.everyone or mentions.users or mentions.roles)

    @property
    def shown(self) -> str:
        """Everything a reader sees: content, then each embed's text."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.title or "", embed.description or ""]
            parts += [f"{f.name}: {f.value}" for f in embed.fields]
            parts.append(embed.footer.text or "")
        return "\n".join(p for p in parts if p)


class Response:
    def __init__(self, log: list[Sent], on_defer: Any = None) -> None:
        self.log, self._done, self.on_defer = log, False, on_defer

    def is_done(self) -> bool:
        return self._done

    async def send_message(self, **kwargs: Any) -> None:
        assert not self._done, "an interaction is answered once"
        self._done = True
        self.log.append(Sent("response", kwargs))

    async def defer(self, **kwargs: Any) -> None:
        assert not self._done
        self._done = True
        self.log.append(Sent("defer", kwargs))
        if self.on_defer is not None:
            self.on_defer()


class Followup:
    def __init__(self, log: list[Sent]) -> None:
        self.log = log

    async def send(self, **kwargs: Any) -> None:
        self.log.append(Sent("followup", kwargs))


class Members:
    """A server's members as an interaction's `guild` looks them up (none by default)."""

    def __init__(self, *members: User) -> None:
        self.members = {member.id: member for member in members}
        self.fetched: list[int] = []

    def get_member(self, user_id: int) -> User | None:
        return None  # no members intent: the cache is empty

    async def fetch_member(self, user_id: int) -> User:
        self.fetched.append(user_id)
        if user_id not in self.members:
            raise discord.NotFound(_Refused(404), "Unknown Member")
        return self.members[user_id]


@dataclass
class _Refused:
    status: int
    reason: str = "refused"


class Interaction:
    """What the connector reads from a discord.Interaction, recording the answers."""

    def __init__(
        self, client: discord.Client, user: User, channel_id: int = 555, guild_id: int | None = 77
    ) -> None:
        self.client = client
        self.user = user
        self.id = next(_ids)
        self.channel_id = channel_id
        self.guild_id = guild_id
        self.guild: Members | None = Members() if guild_id is not None else None
        self.sent: list[Sent] = []
        self.response = Response(self.sent)
        self.followup = Followup(self.sent)

    async def delete_original_response(self) -> None:
        self.sent.append(Sent("delete", {}))

    @property
    def messages(self) -> list[Sent]:
        return [s for s in self.sent if s.how in ("response", "followup")]


class Channel:
    def __init__(self, channel_id: int = 555, guild: Any = None) -> None:
        self.id = channel_id
        self.guild = guild
        self.sent: list[Sent] = []

    async def send(self, **kwargs: Any) -> None:
        self.sent.append(Sent("channel", kwargs))


@pytest.fixture
async def connector(services: Services) -> AsyncIterator[DiscordConnector]:
    connector = DiscordConnector(BotApp(services))
    yield connector
    await connector.client.close()


@pytest.fixture
def member(connector: DiscordConnector) -> User:
    return User(111, "Ana Member")


@pytest.fixture
async def chair(services: Services) -> User:
    user = User(222, "Carla Chair")
    async with services.db.transaction() as conn:
        person = await people.ensure(conn, f"discord:{user.id}", user.display_name)
        await people.set_role(conn, person.id, "chair")
    return user


@pytest.fixture
def interact(connector: DiscordConnector):
    def make(user: User, **kw: Any) -> Interaction:
        return Interaction(connector.client, user, **kw)

    return make


@contextmanager
def temporary_command(
    registry: Registry,
    name: str,
    reply: Any,
    *,
    args: type[Args] | None = None,
    role: Role = Role.MEMBER,
    slow: bool = False,
    changes_state: bool | None = None,
) -> Iterator[list[Any]]:
    """Register a command for one test; yields the args it was called with."""
    calls: list[Any] = []

    async def handler(ctx: Any, parsed: Any) -> Reply:
        calls.append(parsed)
        result = reply(ctx, parsed) if callable(reply) else reply
        if hasattr(result, "__await__"):
            result = await result
        return result

    extra: dict[str, Any] = {"args": args} if args is not None else {}
    registry.command(
        name,
        help=f"Test command {name}.",
        role=role,
        slow=slow,
        changes_state=changes_state,
        **extra,
    )(handler)
    try:
        yield calls
    finally:
        registry.remove(name)


@dataclass
class Guild:
    """A server as the scheduled-event code sees it."""

    can_create_events: bool = True
    name: str = "ISCG"
    scheduled_events: list[Any] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)

    @property
    def me(self) -> Any:
        permissions = discord.Permissions(create_events=self.can_create_events)

        class Me:
            guild_permissions = permissions

        return Me()

    async def create_scheduled_event(self, **kwargs: Any) -> Any:
        self.created.append(kwargs)
        event = ScheduledEvent(**{k: kwargs[k] for k in ("name", "description", "location")})
        self.scheduled_events.append(event)
        return event


@dataclass
class ScheduledEvent:
    name: str
    description: str
    location: str
    cancelled: bool = False
    edits: list[dict[str, Any]] = field(default_factory=list)

    async def cancel(self, **kwargs: Any) -> None:
        self.cancelled = True

    async def edit(self, **kwargs: Any) -> None:
        self.edits.append(kwargs)
