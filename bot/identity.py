"""Identities are `platform:id`; a bare e-mail address means `email:<address>`.

Keeping one canonical spelling is what lets a person's `/actions mine` be the
same list on Slack, Discord, the console and by mail.
"""

from __future__ import annotations

import re

PLATFORMS = ("console", "email", "slack", "discord")
_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.?[^@\s<>]*$")


class IdentityError(ValueError):
    pass


def canonical_identity(raw: str) -> str:
    """`Jane@Example.org` -> `email:jane@example.org`; `slack:U1` stays as it is."""
    text = raw.strip()
    platform, sep, rest = text.partition(":")
    if sep and platform.lower() in PLATFORMS and rest:
        platform = platform.lower()
        if platform == "email":
            rest = rest.strip().lower()
        return f"{platform}:{rest.strip()}"
    if _ADDRESS.match(text):
        return f"email:{text.lower()}"
    raise IdentityError(
        f"{raw!r} is not an identity; write platform:id (slack:U0123, discord:8123, "
        "console:jane) or an e-mail address"
    )


def platform_of(identity: str) -> str:
    return identity.partition(":")[0]


def parent_channel(channel: str) -> str | None:
    """The channel a Slack thread is under (`slack:C1/1700.1` -> `slack:C1`).

    Replies in a thread under a channel's meeting are said in that meeting.
    Only Slack's form: a mail channel is a thread already, and its Message-ID
    may hold a `/`.
    """
    if channel.startswith("slack:") and "/" in channel:
        return channel.partition("/")[0]
    return None
