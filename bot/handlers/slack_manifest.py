"""`iscg-bot slack-manifest`: the Slack app manifest, generated from the registry.

Installing the app is pasting this into https://api.slack.com/apps ("Create
New App" > "From a manifest"), so the slash commands Slack knows can never
drift from the commands the bot has. Without `--url` the app uses Socket
Mode (no public address needed); with it, Slack posts to `<url>/slack/events`.
"""

from __future__ import annotations

import yaml

from bot.core import Command, Registry
from bot.handlers import textsplit

# Scopes the bot token needs, and why (printed as comments in the manifest).
SCOPES: dict[str, str] = {
    "commands": "the slash commands",
    "chat:write": "answers, meeting announcements, minutes and reminders",
    "chat:write.public": "announce meetings in public channels the bot was not added to",
    "app_mentions:read": "questions asked with @iscg-bot",
    "channels:history": "#action, #info... lines of meetings run in public channels",
    "groups:history": "the same in private channels the bot was added to",
    "im:history": "direct messages to the bot",
    "im:write": "send a personal .ics (Add to calendar) in a direct message",
    "files:write": "upload .ics invitations",
    "users:read": "people's display names and time zones",
}
BOT_EVENTS = ["app_mention", "message.channels", "message.groups", "message.im"]
# Slack's built-in commands: an app cannot take these names; `/iscg <name>` reaches them.
BUILT_IN = frozenset(
    [
        "active",
        "apps",
        "archive",
        "away",
        "call",
        "collapse",
        "dm",
        "dnd",
        "expand",
        "feed",
        "invite",
        "leave",
        "me",
        "msg",
        "mute",
        "open",
        "prefs",
        "remind",
        "remove",
        "rename",
        "search",
        "shortcuts",
        "shrug",
        "star",
        "status",
        "topic",
        "who",
    ]
)
MAX_DESCRIPTION = 100
MAX_USAGE_HINT = 100
ALIAS = "iscg"


def _slash_command(name: str, commands: list[Command], url: str | None) -> dict[str, object]:
    """One slash command for a top-level name and the multi-word commands under it.

    Escaped, so that a person picked from Slack's menu arrives as `<@U123|jdoe>`
    (the handler reads it as that person), not as '@jdoe', a legacy username.
    """
    own = next((c for c in commands if c.name == name), None)
    subs = [c for c in commands if c.name != name]
    description = own.summary if own else "; ".join(f"{c.name}: {c.summary}" for c in subs)
    hints = [own.usage] if own and own.usage else []
    hints += [f"{c.name.partition(' ')[2]} {c.usage}".strip() for c in subs]
    entry: dict[str, object] = {
        "command": f"/{name}",
        "description": textsplit.clip(description, MAX_DESCRIPTION),
        "should_escape": True,
    }
    if hints:
        entry["usage_hint"] = textsplit.clip(" · ".join(hints), MAX_USAGE_HINT)
    if url:
        entry["url"] = url
    return entry


def manifest(
    registry: Registry, *, url: str | None = None, name: str = "ISCG assistant"
) -> dict[str, object]:
    """The manifest as data; `url` is the bot's public base URL for HTTP mode."""
    events_url = f"{url.rstrip('/')}/slack/events" if url else None
    commands = [
        _slash_command(
            top, [c for c in registry.commands.values() if c.name.split()[0] == top], events_url
        )
        for top in registry.top_level()
        if top not in BUILT_IN
    ]
    commands.append(
        {
            "command": f"/{ALIAS}",
            "description": "Any ISCG command or question (for names another app already uses)",
            "usage_hint": "<command ...> or a question, e.g. who-coordinates AI",
            "should_escape": True,
            **({"url": events_url} if events_url else {}),
        }
    )
    settings: dict[str, object] = {
        "event_subscriptions": {"bot_events": BOT_EVENTS},
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": False,
        "socket_mode_enabled": events_url is None,
        "token_rotation_enabled": False,
    }
    if events_url:
        settings["event_subscriptions"] = {"request_url": events_url, "bot_events": BOT_EVENTS}
        settings["interactivity"] = {"is_enabled": True, "request_url": events_url}
    return {
        "display_information": {
            "name": name,
            "description": "Who coordinates what in the ITU ISCG; meetings, minutes, actions.",
            "background_color": "#1d4f91",
        },
        "features": {
            "app_home": {"messages_tab_enabled": True, "messages_tab_read_only_enabled": False},
            "bot_user": {"display_name": "iscg-bot", "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": list(SCOPES)}},
        "settings": settings,
    }


def manifest_yaml(registry: Registry, *, url: str | None = None) -> str:
    """The manifest as YAML, each scope followed by a comment saying why it is needed."""
    text = yaml.safe_dump(
        manifest(registry, url=url), sort_keys=False, allow_unicode=True, width=200
    )
    lines = []
    for line in text.splitlines():
        scope = line.strip().removeprefix("- ")
        if line.lstrip().startswith("- ") and scope in SCOPES:
            line = f"{line}  # {SCOPES[scope]}"
        lines.append(line)
    skipped = sorted(BUILT_IN & set(registry.top_level()))
    head = [
        "# Slack app manifest for the ISCG assistant, generated by `iscg-bot slack-manifest`.",
        "# Paste it at https://api.slack.com/apps > Create New App > From a manifest.",
    ]
    if skipped:
        head.append(
            "# Slack reserves "
            + ", ".join(f"/{s}" for s in skipped)
            + ": use "
            + ", ".join(f"/{ALIAS} {s}" for s in skipped)
            + "."
        )
    return "\n".join([*head, *lines]) + "\n"


def print_manifest(url: str | None) -> int:
    """The `iscg-bot slack-manifest` command: needs no database and no tokens."""
    from bot.commands import load_all

    print(manifest_yaml(load_all(), url=url), end="")
    return 0
