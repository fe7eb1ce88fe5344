"""Identities are `platform:id`; a bare e-mail address means `email:<address>`.

Keeping one canonical spelling is what lets a person's `/actions mine` be the
same list on Slack, Discord, the console and by mail.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.textclean import clean_input

PLATFORMS = ("console", "email", "slack", "discord")
_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.?[^@\s<>]*$")


class IdentityError(ValueError):
    pass


def canonical_identity(raw: str) -> str:
    """`Jane@Example.org` -> `email:jane@example.org`; `slack:U1` stays as it is."""
    text = clean_input(raw).strip()  # a mark pasted with an address is no part of it
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


def thread_parent(channel: str) -> tuple[str, dt.datetime] | None:
    """The channel a Slack thread is under, and when the thread was opened
    (`slack:C1/1700000000.000100` -> `slack:C1`, 14 Nov 2023 22:13:20 UTC).

    Only Slack's form: a mail channel is a thread already, and its Message-ID
    may hold a `/`.
    """
    if not channel.startswith("slack:") or "/" not in channel:
        return None
    parent, _, ts = channel.partition("/")
    try:
        return parent, dt.datetime.fromtimestamp(float(ts), dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
