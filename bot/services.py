"""What commands reach through their Context: storage, settings, clock, caches.

Handlers ask `Services.context_for` to turn a platform user into a Context, so
the role rules (ISCG_CHAIRS, recorded roles, coordinators) live in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.core import Context, Dispatcher, MessageChange, Registry, Reply, Role
from bot.textclean import clean_input
from storage import actions, people
from storage.db import Database
from storage.people import Person


@dataclass
class Services:
    db: Database
    settings: Settings
    registry: Registry
    clock: Clock = field(default_factory=SystemClock)
    # Per-process caches and collaborators that command families attach
    # (e.g. the theme resolver); keyed by name to keep this module ignorant of them.
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.dispatcher = Dispatcher(self.registry)

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    def now(self) -> dt.datetime:
        return self.clock.now()

    async def context_for(
        self,
        identity: str,
        display_name: str,
        channel: str,
        *,
        message_id: str | None = None,
        platform_zone: str | None = None,
        zone_from: str | None = None,
    ) -> Context:
        """The Context of a person speaking; creates the person on first contact.

        `platform_zone` is what the platform knows (Slack's users.info), and
        `zone_from` where that is, in the handler's words ("your Slack profile");
        a zone the person set with /timezone wins over it. It is kept with the
        person when it changes, so that what reaches them while they are silent (an
        action's nudge, a digest) comes at their hours too, not at Geneva's.
        """
        display_name = clean_input(display_name)
        person = await self.meet(
            identity, display_name, platform_zone=platform_zone, zone_from=zone_from
        )
        return self.context_of(
            person, identity, display_name, channel, message_id, platform_zone=platform_zone
        )

    async def meet(
        self,
        identity: str,
        display_name: str,
        *,
        platform_zone: str | None = None,
        zone_from: str | None = None,
    ) -> Person:
        """The person behind an identity, recorded on first contact.

        Also for someone a platform names unambiguously before they ever speak
        (a Slack mention picked from the menu), so that an action given to them
        is theirs, not a name flagged as unknown. Someone first met under their
        bare id (Slack could not be asked their name then) takes their name as
        soon as it is known, or minutes would name them "U0123" for good; so do
        the actions that named them by a mention while they were unknown. A
        platform's display name is taken without the characters nobody sees: one
        with a word joiner read as someone else's name and matched nobody's.
        `platform_zone` (a Slack profile's) is kept with the person when it
        changes, with `zone_from` (where it is, in the handler's words), so that
        what reaches them while silent (an action's nudge) comes at their hours,
        also for someone so far only mentioned.
        """
        display_name = clean_input(display_name)
        async with self.db.read() as conn:
            person = await people.by_identity(conn, identity)
        platform, _, bare_id = identity.partition(":")
        if person is None:  # first contact
            async with self.db.transaction() as conn:
                person = await people.ensure(conn, identity, display_name)
                await actions.claim_mentions(conn, platform, bare_id, person.id, person.name)
        elif person.name == bare_id and display_name not in ("", bare_id):
            async with self.db.transaction() as conn:
                await people.set_name(conn, person.id, display_name)
                await actions.claim_mentions(conn, platform, bare_id, person.id, display_name)
            person = person.model_copy(update={"name": display_name})
        known, _default = zone_or(platform_zone, self.zone)
        stored = (person.platform_zone, person.platform_zone_from)
        if platform_zone and known.key == platform_zone and (platform_zone, zone_from) != stored:
            async with self.db.transaction() as conn:
                await people.set_platform_zone(conn, person.id, platform_zone, zone_from)
            person = person.model_copy(
                update={"platform_zone": platform_zone, "platform_zone_from": zone_from}
            )
        return person

    def context_of(
        self,
        person: Person,
        identity: str,
        display_name: str,
        channel: str,
        message_id: str | None = None,
        *,
        platform_zone: str | None = None,
    ) -> Context:
        """The Context of a person already read (or created) by the caller.

        A batch of mail reads its senders inside its own transaction, where
        `context_for` would wait for the database.
        """
        role = Role.parse(person.role)
        if identity in self.settings.chair_identities or (
            person.email and f"email:{person.email}" in self.settings.chair_identities
        ):
            role = Role.CHAIR
        # A Slack member's profile zone holds wherever they write from (mail, Discord).
        zone, is_default = zone_or(
            person.timezone or platform_zone or person.platform_zone, self.zone
        )
        zone_from = None if is_default or person.timezone else person.platform_zone_from
        return Context(
            identity=identity,
            display_name=display_name or person.name,
            channel=channel,
            role=role,
            person_id=person.id,
            now=self.now(),
            zone=zone,
            services=self,
            message_id=message_id,
            zone_is_default=is_default,
            zone_from=zone_from,
        )

    async def ask(self, ctx: Context, text: str, *, addressed: bool = True) -> Reply | None:
        return await self.dispatcher.handle(ctx, text, addressed=addressed)

    async def follow(self, change: MessageChange) -> None:
        """A chat message was edited or deleted: what was recorded from it follows."""
        await self.dispatcher.follow(self, change)


def zone_or(name: str | None, default: ZoneInfo) -> tuple[ZoneInfo, bool]:
    """The zone called `name`, else `default` (none, or one this system does not know);
    and whether it is the default."""
    if name:
        try:
            return ZoneInfo(name), False
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return default, True
