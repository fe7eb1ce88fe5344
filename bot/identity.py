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
