"""Mentions in what people write: finding who they name, and never pinging anyone back.

User text is echoed in replies, minutes and e-mails; a `@everyone` or a Slack
`<!channel>` copied verbatim would notify a whole workspace. `defang` keeps the
words readable and makes them inert on every platform.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.textclean import WORD_JOINER

# A word joiner after "@" (or instead of "<!") breaks every platform's ping syntax.
_BROADCAST = re.compile(
    r"<!(?P<slack>everyone|here|channel)(?:\|[^>]*)?>"
    r"|<!subteam\^[^>|]*(?:\|(?P<team>[^>]*))?>"
    r"|<@&(?P<role>\d+)>"
    r"|<@!?(?P<user>[A-Za-z0-9]+)>"
    r"|@(?P<word>everyone|here|channel)\b",
    re.IGNORECASE,
)
# Platform mentions that name one user: Slack <@U123>, Discord <@123> / <@!123>.
PLATFORM_MENTION = re.compile(r"<@!?([A-Z0-9]+|\d+)>")
# A typed handle: @jane, @jane.doe, @张伟 (a name in any script; not an e-mail's @)
HANDLE = re.compile(r"(?<![\w@<])@([^\W\d_][\w.-]*\w)")
BROADCAST_WORDS = frozenset({"everyone", "here", "channel"})


def defang(text: str) -> str:
    """The text with every mention made inert but still readable."""

    def inert(match: re.Match[str]) -> str:
        name = (
            match.group("slack")
            or match.group("team")
            or match.group("word")
            or match.group("user")
            or ("role-" + match.group("role") if match.group("role") else "group")
        )
        return f"@{WORD_JOINER}{name.lstrip('@')}"

    return _BROADCAST.sub(inert, text)


def named(text: str, platform: str, name_of: Callable[[str], str | None]) -> str:
    """The text with each platform mention of someone known written `@Their Name`.

    Discord and Slack send a member picked from the @ menu as `<@8123...>`;
    made inert it read as "@8123...", a number nobody knows, in replies,
    minutes and mail. `name_of` gives the name of an identity (`discord:8123`);
    a mention nobody answers to stays as written (and `defang` makes it inert).
    """

    def name(match: re.Match[str]) -> str:
        found = name_of(platform_identity(platform, match.group(1)))
        # Someone known only by their id so far ("U0123") keeps the mention, which
        # reads as their name once the platform tells it.
        return f"@{found}" if found and found != match.group(1) else match.group()

    return PLATFORM_MENTION.sub(name, text)


def mentioned(text: str, platform: str) -> set[str]:
    """The identities the platform mentions in a text name (`discord:8123`)."""
    return {platform_identity(platform, m.group(1)) for m in PLATFORM_MENTION.finditer(text)}


def platform_identity(platform: str, user_id: str) -> str:
    """`<@U123>` on Slack is slack:U123; `<@123>` on Discord is discord:123."""
    if platform in ("slack", "discord"):
        return f"{platform}:{user_id}"
    return f"slack:{user_id}" if not user_id.isdigit() else f"discord:{user_id}"
