"""Discord: slash commands from the registry, buttons, embeds, meetings in channels.

Every registry command becomes an application command whose options come
from its pydantic argument model; the options are joined back with ` | `
into the command text the registry parses, so Discord runs exactly what the
console and e-mail run. Messages in channels and threads reach the line hooks
(meeting minutes) when the message-content intent is enabled; a message that
mentions the bot is answered as a question. Outbox rows for `discord:<channel
id>` are posted as embeds, with an .ics invite also turned into a Discord
scheduled event when the bot may create events.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import logging
import re
import secrets
import sys
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Any, Literal

import discord
import icalendar
from discord import app_commands
from pydantic import ValidationError

from bot import choices
from bot.commands import load_all
from bot.config import ConfigError, Settings
from bot.core import (
    Args,
    Command,
    Context,
    MessageDeleted,
    MessageEdited,
    Registry,
    Reply,
    UserError,
    error_reply,
    split_bars,
)
from bot.handlers import textsplit
from bot.handlers.base import Connector, DeliveryError, InFlight
from bot.handlers.discord_render import Message, render
from bot.mentions import PLATFORM_MENTION
from bot.outgoing import reply_from_payload
from bot.services import Services

if TYPE_CHECKING:
    from bot.app import BotApp
    from storage.outbox import OutboxRow

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
DEFER_AFTER = 2.0  # seconds: Discord wants an answer within 3
BUTTON_LIFETIME = dt.timedelta(days=7)
DESCRIPTION_LIMIT = 100  # Discord's limit for command and option descriptions
CUSTOM_ID_LIMIT = 100
FREE_TEXT = "arguments"  # the one option of a command whose model has its own grammar
MEMBERSHIP_KEPT = 600.0  # seconds a user's membership of the group's server is taken as known
# Outside the group's server (DISCORD_GUILD_ID): another server, or a direct message from
# someone who is not a member of it.
_ELSEWHERE = "This bot serves another server: ask in it, or write to me as one of its members."
# Discord could not say whether the writer is a member of the group's server (busy,
# rate-limited, the server not yet loaded): not "you are no member".
_UNSURE = (
    "Discord could not tell me just now whether you are a member of the group's server. "
    "Please try again in a minute."
)
EVENT_MARK = "ISCG meeting "  # ends a scheduled event's description, with the meeting UID
_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "danger": discord.ButtonStyle.danger,
    "default": discord.ButtonStyle.secondary,
}
_SIMPLE_TYPES: dict[Any, type] = {str: str, int: int, float: float, bool: bool}
MESSAGE_CONTENT_MISSING = (
    "Discord: the message-content intent is not enabled for this application, so "
    "meetings run in Discord channels cannot record plain lines (#action, #agreed...). "
    "Slash commands, buttons and @mentions work. Enable it in the developer portal under "
    "Bot > Privileged Gateway Intents > Message Content Intent, then restart."
)


# --- from the registry to application commands ---------------------------------------


def slash_path(registry: Registry, name: str) -> tuple[str, ...]:
    """Where a registry command lives among Discord commands.

    Discord cannot make one name both a command and a group, so when "sessions"
    and "sessions add" both exist the bare one becomes `/sessions list` (it
    takes no required argument) or `/sessions new` (it does).
    """
    words = tuple(name.split(" "))
    if len(words) > 1:
        return words
    if any(other.startswith(name + " ") for other in registry.commands):
        command = registry.commands[name]
        required = any(info.is_required() for info in command.args.model_fields.values())
        return (name, "new" if required else "list")
    return words


def options_text(command: Command, values: dict[str, str]) -> str:
    """Option values as the text `Args.from_text` parses: ` | ` between fields, in order.

    A model with two or more fields always gets its separators (`Climate change |`),
    so a value with spaces is never split into words. A `|` typed in an option
    (the e-mail form, `3 Dec 14:00 | 90m`) is refused with the options its
    parts belong in, as the example.
    """
    names = list(command.args.model_fields) if _pipe_friendly(command) else [FREE_TEXT]
    if len(names) <= 1:
        return values.get(names[0], "") if names else ""
    for position, name in enumerate(names[:-1]):
        if len(pieces := split_bars(values.get(name, ""))) > 1:  # a link's own `|` is no cut
            parts = zip(names[position:], (p.strip() for p in pieces), strict=False)
            raise UserError(
                f'The "{name}" option cannot contain |: on Discord each part has its own '
                f"option ({', '.join(names)})",
                ", ".join(f"{option}: {part}" for option, part in parts if part),
            )
    joined = " | ".join(values.get(name, "") for name in names)
    last = values.get(names[-1], "")
    if len(pieces := split_bars(last)) > 1 and not _read_back(command, joined, names[-1], last):
        # `/schedule` reads every `|` as a cut: "jane@x.org | li@x.org" in the attendees
        # was "at most four parts separated by |", of which Discord shows none.
        raise UserError(
            f'The "{names[-1]}" option cannot contain |: on Discord each part has its own '
            f"option ({', '.join(names)}), and a | in one is read as the start of another",
            f"{names[-1]}: " + ", ".join(piece.strip() for piece in pieces if piece.strip()),
        )
    return joined


def _read_back(command: Command, joined: str, name: str, value: str) -> bool:
    """Whether the command text reads `value` back whole as its field `name`."""
    try:
        return str(command.args.from_text(joined).get(name, "")).strip() == value.strip()
    except UserError:
        return False


def _command_rest(command: Command, example: str) -> str | None:
    text = example.strip().lstrip("/")
    if text == command.name or text.startswith(command.name + " "):
        return text[len(command.name) :].strip()
    return None


def _example_values(command: Command) -> list[dict[str, Any]]:
    found = []
    for example in command.examples:
        rest = _command_rest(command, example)
        if rest is None:
            continue
        try:
            found.append(command.args.from_text(rest))
        except UserError:
            continue
    return found


def _pipe_friendly(command: Command) -> bool:
    """True when options joined with `|` parse back to what the examples mean.

    A model with its own grammar (`/action <text> @owner by friday`) that does
    not read `|` is offered as one free-text option instead of typed ones.
    """
    model = command.args
    if model.from_text.__func__ is Args.from_text.__func__:  # type: ignore[attr-defined]
        return True
    names = list(model.model_fields)
    for raw in _example_values(command):
        joined = " | ".join(str(raw.get(name, "")) for name in names)
        try:
            again = model.from_text(joined if len(names) > 1 else str(raw.get(names[0], "")))
            if model.model_validate(raw) != model.model_validate(again):
                return False
        except (UserError, ValidationError):
            return False
    return True


def _describe(text: str, example: str | None) -> str:
    text = text.strip() or "value"
    if example:
        text = f"{text}, e.g. {example}"
    return textsplit.clip(text, DESCRIPTION_LIMIT)


def _option_type(annotation: Any, kind: str | None) -> Any:
    """The Discord option type for a model field: text unless a better picker exists."""
    if kind == choices.MEMBER:
        return discord.User
    args = [a for a in typing.get_args(annotation) if a is not NoneType]
    if typing.get_origin(annotation) in (typing.Union, UnionType) and len(args) == 1:
        annotation = args[0]
    if typing.get_origin(annotation) is Literal:
        values = typing.get_args(annotation)
        if 0 < len(values) <= choices.MAX_CHOICES and all(isinstance(v, str) for v in values):
            return annotation
    return _SIMPLE_TYPES.get(annotation, str)  # dates and anything else: as text


def _option_value(value: Any) -> str:
    if isinstance(value, discord.abc.User):
        return value.mention
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass
class _Option:
    name: str
    annotation: Any
    required: bool
    description: str
    kind: str | None  # an autocomplete provider's kind


def _options(command: Command) -> list[_Option]:
    """The options of a command, required first, from its argument model."""
    if not _pipe_friendly(command):
        example = next(
            (rest for e in command.examples if (rest := _command_rest(command, e))), None
        )
        usage = command.usage or "arguments"
        return [_Option(FREE_TEXT, str, usage.startswith("<"), _describe(usage, example), None)]
    examples = _example_values(command)
    parts = dict(zip(command.args.model_fields, _usage_parts(command), strict=False))
    options = []
    for name, info in command.args.model_fields.items():
        kind = choices.field_kind(name, info)
        annotation = _option_type(info.annotation, kind)
        example = next((str(v[name]) for v in examples if v.get(name)), None)
        options.append(
            _Option(
                name,
                annotation,
                info.is_required(),
                _describe(info.description or _hint(parts.get(name), name), example),
                kind if kind in choices.PROVIDERS and annotation is str else None,
            )
        )
    return sorted(options, key=lambda option: not option.required)


# A usage's first unit: a `<placeholder>` or a word, with what follows it.
_FIRST_UNIT = re.compile(r"\s*(<[^>]*>|\S+)\s*(.*)", re.S)


def _usage_parts(command: Command) -> list[str]:
    """The usage cut into one part per field of the model, as the text form fills them:
    at each `|` if there is one per field, else (the default grammar) the first fields a
    word each and the last the rest; each part as a placeholder, without its brackets."""
    names = list(command.args.model_fields)
    usage = command.usage.strip()
    parts = [usage]
    if len(names) > 1:
        parts = _bar_parts(usage)
        if len(parts) != len(names):
            parts, rest = [], usage
            for _ in names[:-1]:
                match = _FIRST_UNIT.fullmatch(rest)
                unit, rest = (match[1], match[2]) if match else ("", "")
                parts.append(unit)
            parts.append(rest.strip())
    shown = []
    for part, name in zip(parts, names, strict=False):
        part = _unwrapped(part)
        bare = not part or re.fullmatch(r"[\w ]+", part)  # "reason", "command", "place"
        shown.append(f"<{part or name}>" if bare else part)
    return shown


def _bar_parts(usage: str) -> list[str]:
    """A usage cut at its `|`s, an optional part's (`[| <duration>]`) too, but not at those
    that separate the words one argument may be (`[daily|weekly|off]`)."""
    parts, depth, current = [], 0, ""
    for char in usage.replace("[|", "|["):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, current.strip()]


def _unwrapped(part: str) -> str:
    """A usage part without the brackets that make all of it optional (the option's own
    `[...]` says so on Discord): `[| reason]` is `| reason`, `<id> [note]` stays."""
    part = part.strip()
    depth = 0
    for position, char in enumerate(part):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0:
            whole = part.startswith("[") and position == len(part) - 1
            return part[1:-1].strip() if whole else part
    return part


class DiscordForm:
    """How registry commands are typed on Discord: app commands named as `slash_path`
    says (`/sessions list`, `/schedule new`), an option for each argument
    (`/schedule new title: Budget when: 3 Dec 14:00`), never the text form's `|`."""

    columns = False  # Discord's font is proportional

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def name(self, command: Command) -> str:
        return " ".join(slash_path(self.registry, command.name))

    def usage(self, command: Command) -> str:
        options = _options(command)
        if not _pipe_friendly(command):
            placeholders = [command.usage.strip() or "<arguments>"]
        else:
            by_field = dict(zip(command.args.model_fields, _usage_parts(command), strict=False))
            placeholders = [by_field.get(o.name, f"<{o.name}>") for o in options]
        return " ".join(
            f"{o.name}: {shown}" if o.required else f"[{o.name}: {shown}]"
            for o, shown in zip(options, placeholders, strict=True)
        )

    def typed(self, text: str) -> str:
        if not text.startswith("/"):
            return text
        command, rest = self.registry.find(text[1:])
        if command is None:
            return text
        try:
            values = {k: str(v) for k, v in command.args.from_text(rest).items() if v != ""}
        except UserError:
            return text
        if not _pipe_friendly(command):
            values = {FREE_TEXT: rest.strip()} if rest.strip() else {}
        given = [f"{o.name}: {values[o.name]}" for o in _options(command) if o.name in values]
        return " ".join([f"/{self.name(command)}", *given])


def _hint(part: str | None, name: str) -> str:
    """What an option takes, in the usage's words: `<date>` is "the date", `@person
    [@person ...]` as written; the field's name ("text", "ref") says nothing to a
    delegate (/due's date option read "the text, e.g. Friday")."""
    if part and (placeholder := re.fullmatch(r"<([^>:]+)[^>]*>", part)):
        return f"the {placeholder[1].strip()}"
    return part or "the " + name.replace("_", " ")


def _app_command(command: Command, name: str) -> app_commands.Command[Any, ..., Any]:
    options = _options(command)

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        texts = {key: _option_value(value) for key, value in values.items() if value is not None}
        await _connector(interaction).run_command(interaction, command, texts)

    empty = inspect.Parameter.empty
    callback.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [
            inspect.Parameter(
                o.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=o.annotation,
                default=empty if o.required else None,
            )
            for o in options
        ]
    )
    callback.__qualname__ = callback.__name__ = command.name.replace(" ", "_").replace("-", "_")
    if options:
        app_commands.describe(**{o.name: o.description for o in options})(callback)
    completions = {o.name: _autocomplete(o.kind) for o in options if o.kind}
    if completions:
        app_commands.autocomplete(**completions)(callback)
    return app_commands.Command(
        name=name, description=_describe(command.summary, None), callback=callback
    )


def _autocomplete(
    kind: str,
) -> Callable[[discord.Interaction, str], Awaitable[list[app_commands.Choice[str]]]]:
    async def complete(interaction: discord.Interaction, current: str) -> list[Any]:
        connector = _connector(interaction)
        if not await connector._in_scope(interaction.guild_id, interaction.user.id):
            return []  # another server's members see none of the group's meetings or actions
        ctx = await connector.context(interaction)
        found = await choices.choices_for(kind, ctx, current)
        return [app_commands.Choice(name=c.label[:100], value=c.value[:100]) for c in found]

    return complete


def build_tree(client: discord.Client, registry: Registry) -> app_commands.CommandTree[Any]:
    """The application commands of every registry command, groups for multi-word names."""
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(client)
    groups: dict[str, app_commands.Group] = {}
    for name in sorted(registry.commands):
        command = registry.commands[name]
        path = slash_path(registry, name)
        if len(path) == 1:
            tree.add_command(_app_command(command, path[0]))
            continue
        group = groups.get(path[0])
        if group is None:
            group = app_commands.Group(name=path[0], description=f"/{path[0]} commands")
            groups[path[0]] = group
            tree.add_command(group)
        group.add_command(_app_command(command, path[1]))
    return tree


# --- buttons ---------------------------------------------------------------------------


class CommandButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"iscg:(?P<expires>\d+):(?P<command>.+)",
):
    """A button that runs a command as whoever clicks it, valid until `expires`.

    The command is in the custom id, so a button still works after a restart;
    past its lifetime a click says it expired and what to type instead.
    """

    def __init__(self, command: str, expires: int, label: str = "", style: Any = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80] or command[:80],
                style=style or discord.ButtonStyle.secondary,
                custom_id=f"iscg:{expires}:{command}",
            )
        )
        self.command = command
        self.expires = expires

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CommandButton:
        label = getattr(item, "label", "") or ""
        return cls(match["command"], int(match["expires"]), label, getattr(item, "style", None))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _connector(interaction).click(interaction, self.command, self.expires)


# --- the connector ---------------------------------------------------------------------


class IscgClient(discord.Client):
    """The discord.py client, knowing the connector its commands and buttons run through."""

    def __init__(self, connector: DiscordConnector | None, *, message_content: bool) -> None:
        intents = discord.Intents.default()
        intents.message_content = message_content
        # The bot never joins voice: no warning about voice libraries at start.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(intents=intents, allowed_mentions=NO_PINGS)
        self.connector = connector

    async def setup_hook(self) -> None:
        self.add_dynamic_items(CommandButton)

    async def on_ready(self) -> None:
        log.info("Discord: logged in as %s in %d server(s)", self.user, len(self.guilds))

    async def on_message(self, message: discord.Message) -> None:
        if self.connector is not None:
            await self.connector.on_message(message)

    # Raw: the message edited or deleted may be older than the cache, or the bot restarted.
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        if self.connector is not None:
            await self.connector.on_edit(payload)

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        if self.connector is not None:
            await self.connector.on_delete(
                payload.guild_id, payload.channel_id, [payload.message_id]
            )

    async def on_raw_bulk_message_delete(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        if self.connector is not None:
            await self.connector.on_delete(
                payload.guild_id, payload.channel_id, payload.message_ids
            )


def _connector(interaction: discord.Interaction) -> DiscordConnector:
    connector = getattr(interaction.client, "connector", None)
    if connector is None:
        raise RuntimeError("this Discord client has no connector")
    return connector  # type: ignore[no-any-return]


class DiscordConnector(Connector):
    name = "discord"
    platform = "discord"

    def __init__(self, app: BotApp) -> None:
        super().__init__(app)
        self.services: Services = app.services
        # Help and usage on Discord show its app commands, not the text form.
        self.services.registry.use_form(self.platform, DiscordForm(self.services.registry))
        self.message_content = True
        self.client = self.new_client()
        self._long_buttons: dict[str, str] = {}
        self._hearing = InFlight()
        # Whether a user writing directly is in the group's server, and until when that holds.
        self._group_members: dict[int, tuple[bool, float]] = {}

    @classmethod
    def configured(cls, settings: Settings) -> bool:
        return bool(settings.discord_token)

    @classmethod
    def requirement(cls) -> str:
        return "set DISCORD_TOKEN (and DISCORD_GUILD_ID to serve one server)"

    def new_client(self) -> IscgClient:
        client = IscgClient(self, message_content=self.message_content)
        self.tree = build_tree(client, self.services.registry)
        return client

    async def connect(self) -> None:
        await self.client.login(self._token())
        log.info("Discord: commands are registered with `iscg-bot discord sync`, not on start")

    def _token(self) -> str:
        token = self.services.settings.discord_token
        if not token:
            raise DeliveryError("DISCORD_TOKEN is not set", permanent=True)
        return token

    async def listen(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired:
            log.warning("%s", MESSAGE_CONTENT_MISSING)
            await self.client.close()
            self.message_content = False
            self.client = self.new_client()
            await self.client.login(self._token())
            await self.client.connect(reconnect=True)

    async def disconnect(self) -> None:
        await self.client.close()

    # --- who and where ---

    async def _in_scope(self, guild_id: int | None, user_id: int) -> bool | None:
        """Whether to serve what is asked here: in the group's server (`DISCORD_GUILD_ID`),
        or directly by one of its members. Anyone who shares any server with the bot can
        write to it directly, and the group's actions, owners and meetings are the group's.
        None when Discord could not say whether the writer is a member.
        """
        wanted = self.services.settings.discord_guild_id
        if wanted is None or guild_id == wanted:
            return True
        return guild_id is None and await self._in_group(wanted, user_id)

    async def _in_group(self, guild_id: int, user_id: int) -> bool | None:
        """Whether the user is a member of the group's server, asked of Discord at most
        every `MEMBERSHIP_KEPT` seconds per user (each keystroke of a menu asks); None
        when Discord could not say (asked again next time)."""
        now = asyncio.get_running_loop().time()
        known = self._group_members.get(user_id)
        if known is not None and known[1] > now:
            return known[0]
        guild = self.client.get_guild(guild_id)
        if guild is None:  # not in the bot's cache yet (just connected): ask again next time
            return None
        try:
            member = await _member(guild, user_id)
        except discord.HTTPException as exc:  # busy or rate-limited: ask again next time
            log.warning("Discord could not say whether %s is a member: %r", user_id, exc)
            return None
        self._group_members[user_id] = (member is not None, now + MEMBERSHIP_KEPT)
        return member is not None

    async def context(self, interaction: discord.Interaction) -> Context:
        user = interaction.user
        return await self.services.context_for(
            f"discord:{user.id}",
            user.display_name,
            f"discord:{interaction.channel_id}",
            message_id=f"discord:{interaction.id}",
        )

    # --- slash commands and buttons ---

    async def run_command(
        self, interaction: discord.Interaction, command: Command, values: dict[str, str]
    ) -> None:
        try:
            rest = options_text(command, values)
        except UserError as exc:
            await self.answer(
                interaction, error_reply(f"{exc.message}.\nFor example: {exc.example}")
            )
            return
        if self.services.registry.find(f"{command.name} {rest}")[0] is not command:
            # `/sessions list` with a value starting "add" must not run /sessions add.
            first, bar, others = rest.partition("|")
            rest = f'"{first.strip()}" {bar}{others}'.strip()
        await self.run_text(interaction, command, f"{command.name} {rest}".strip())

    async def click(self, interaction: discord.Interaction, text: str, expires: int) -> None:
        text = self._long_buttons.get(text, text)
        command, _ = self.services.registry.find(text)
        if command is None or self.services.now().timestamp() > expires:
            again = "the command again" if command is None else f"/{text}"
            await self.answer(
                interaction, error_reply(f"This button has expired. Type {again} instead.")
            )
            return
        await self.run_text(interaction, command, text)

    async def run_text(self, interaction: discord.Interaction, command: Command, text: str) -> None:
        """Run command text as the interaction's user, deferring if it may pass 3 seconds."""
        if not (served := await self._in_scope(interaction.guild_id, interaction.user.id)):
            await self.answer(interaction, error_reply(_UNSURE if served is None else _ELSEWHERE))
            return
        guess_private = not command.changes_state
        if command.slow:
            await interaction.response.defer(ephemeral=guess_private, thinking=True)
        task = asyncio.ensure_future(self._ask(interaction, text))
        if not command.slow:
            done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
            if not done:
                await interaction.response.defer(ephemeral=guess_private, thinking=True)
        reply = await task
        await self.answer(interaction, reply or Reply(text="Done."), deferred_private=guess_private)
        self.app.notify_outbox()

    async def _ask(self, interaction: discord.Interaction, text: str) -> Reply | None:
        """Run command text; who asks is read inside the time the deferral watches,
        since recording someone new waits for the database."""
        await self._meet_named(interaction, text)
        return await self.services.ask(await self.context(interaction), "/" + text)

    async def _meet_named(self, interaction: discord.Interaction, text: str) -> None:
        """Record, under their server names, the members a command's text mentions.

        A member picked from the @ menu in an option arrives as `<@8123...>` alone
        (Discord resolves mentions only for options of the member type), so the
        server is asked who it is, as Slack's users.info is: an action given to
        someone who never spoke to the bot is theirs, not an unknown "@8123...".
        """
        me = self.client.user
        for raw in dict.fromkeys(PLATFORM_MENTION.findall(text)):
            if not raw.isdigit() or (me is not None and int(raw) == me.id):
                continue
            try:
                member = await _member(interaction.guild, int(raw))
            except discord.HTTPException:  # Discord could not say: the mention stays as written
                continue
            if member is not None and not member.bot:
                await self.services.meet(f"discord:{member.id}", member.display_name)

    async def answer(
        self, interaction: discord.Interaction, reply: Reply, *, deferred_private: bool = True
    ) -> None:
        """Send a reply: ephemeral when personal or an error, in as many messages as needed."""
        private = reply.error or not reply.public
        messages = render(reply)
        view = self.view_for(reply)
        if interaction.response.is_done() and private != deferred_private:
            # The "thinking..." message has the wrong visibility: replace it.
            await interaction.delete_original_response()
        for number, message in enumerate(messages):
            kwargs = _send_kwargs(message, view if number == len(messages) - 1 else None)
            if not interaction.response.is_done():
                await interaction.response.send_message(ephemeral=private, **kwargs)
            else:
                await interaction.followup.send(ephemeral=private, **kwargs)

    def view_for(self, reply: Reply) -> discord.ui.View | None:
        if not reply.buttons:
            return None
        expires = int((self.services.now() + BUTTON_LIFETIME).timestamp())
        view = discord.ui.View(timeout=None)
        for button in reply.buttons[:25]:
            command = button.command.strip().lstrip("/")
            if len(f"iscg:{expires}:{command}") > CUSTOM_ID_LIMIT:
                key = "#" + secrets.token_hex(8)  # remembered until a restart
                self._long_buttons[key] = command
                command = key
            style = _STYLES.get(button.style, discord.ButtonStyle.secondary)
            view.add_item(CommandButton(command, expires, button.label, style))
        return view

    # --- messages in channels ---

    async def on_message(self, message: discord.Message) -> None:
        """Lines in a channel feed a running meeting; a mention or a DM is a question."""
        if message.author.bot:
            return
        finish = self._hearing.begin(f"discord:{message.id}")  # see `on_edit`
        try:
            await self._hear(message)
        finally:
            finish()

    async def _hear(self, message: discord.Message) -> None:
        served = await self._in_scope(
            message.guild.id if message.guild else None, message.author.id
        )
        if served is None:  # a direct message: Discord could not say who may write one
            await self.post(message.channel, error_reply(_UNSURE), reference=message)
        if not served:
            return
        me = self.client.user
        marks = _marks_of(me, message)
        addressed = message.guild is None or any(mark in message.content for mark in marks)
        text = _without(marks, message.content)
        if not text and not addressed:
            return
        if addressed or text.startswith("#"):  # not chat the bot only overhears
            await self._meet_mentioned(message, me)
        ctx = await self.services.context_for(
            f"discord:{message.author.id}",
            message.author.display_name,
            f"discord:{message.channel.id}",
            message_id=f"discord:{message.id}",
        )
        reply = await self.services.ask(ctx, text, addressed=addressed)
        if reply is not None:
            await self.post(message.channel, reply, reference=message)
        self.app.notify_outbox()

    # --- edits and deletions ---

    async def on_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """A message edited: the meeting line or action recorded from it follows, quietly.

        Discord also sends an update when it adds a link's preview (the text as it
        was), and, without the message-content intent, no text at all: neither is
        an edit of what was said.
        """
        message = payload.message
        if message.author.bot or not self.message_content or "content" not in payload.data:
            return
        if payload.cached_message is not None and payload.cached_message.content == message.content:
            return
        if not await self._in_scope(payload.guild_id, message.author.id):
            return
        me = self.client.user
        text = _without(_marks_of(me, message), message.content)
        if not text:
            return  # only a file left: the line's text is kept rather than blanked
        if text.startswith("#"):  # members picked in an #action, by name (see on_message)
            await self._meet_mentioned(message, me)
        await self._hearing.settled(f"discord:{message.id}")
        await self.services.follow(
            MessageEdited(
                f"discord:{payload.channel_id}",
                f"discord:{message.id}",
                f"discord:{message.author.id}",
                message.author.display_name,
                text,
            )
        )

    async def on_delete(
        self, guild_id: int | None, channel_id: int, message_ids: typing.Iterable[int]
    ) -> None:
        """Messages deleted, by their authors or a moderator (one or a purge): what was
        recorded from them goes where it is not yet published."""
        wanted = self.services.settings.discord_guild_id
        if wanted is not None and guild_id not in (wanted, None):
            return
        for message_id in message_ids:
            await self._hearing.settled(f"discord:{message_id}")
            await self.services.follow(
                MessageDeleted(f"discord:{channel_id}", f"discord:{message_id}")
            )

    async def _meet_mentioned(
        self, message: discord.Message, me: discord.ClientUser | None
    ) -> None:
        """Record, under their server names, the members the message mentions.

        Discord sends a member picked from the @ menu as `<@8123...>` and the
        member beside it, so an action given to someone who never spoke to
        the bot is theirs by name, not an unknown "@8123..." (as on Slack).
        """
        for user in message.mentions:
            if user != me and not user.bot:
                await self.services.meet(f"discord:{user.id}", user.display_name)

    async def post(
        self,
        channel: discord.abc.Messageable,
        reply: Reply,
        *,
        mention: int | None = None,
        reference: discord.Message | None = None,
    ) -> None:
        """Post in a channel; without the right to embed, post the text instead."""
        pings = NO_PINGS
        if mention:  # the owner of an action, reminded: that one member, nobody else
            pings = discord.AllowedMentions(
                everyone=False, roles=False, replied_user=False, users=[discord.Object(mention)]
            )
        mention_text = f"<@{mention}>" if mention else None
        view = self.view_for(reply)
        try:
            await self._post_all(
                channel, render(reply, mention=mention_text), pings, view, reference
            )
        except discord.Forbidden:
            if not (reply.title or reply.sections):
                raise
            plain = render(reply, mention=mention_text, rich=False)
            await self._post_all(channel, plain, pings, view, reference)

    async def _post_all(
        self,
        channel: discord.abc.Messageable,
        messages: list[Message],
        pings: discord.AllowedMentions,
        view: discord.ui.View | None,
        reference: discord.Message | None,
    ) -> None:
        for number, message in enumerate(messages):
            kwargs = _send_kwargs(message, view if number == len(messages) - 1 else None)
            if reference is not None and number == 0:
                kwargs["reference"] = reference
                kwargs["mention_author"] = False
            kwargs["allowed_mentions"] = pings
            await channel.send(**kwargs)

    # --- the outbox ---

    async def _channel_or_dm(self, ident: int) -> discord.abc.Messageable:
        """The channel with this id, else the direct messages of the member with it.

        Personal digests and action reminders go to `discord:<user id>`, the
        person's identity; Discord ids are unique across channels and users.
        """
        found = self.client.get_channel(ident)
        if found is not None:
            return found  # type: ignore[return-value]
        try:
            return await self.client.fetch_channel(ident)  # type: ignore[return-value]
        except discord.NotFound:
            user = await self.client.fetch_user(ident)
            return user.dm_channel or await user.create_dm()

    async def send(self, row: OutboxRow) -> None:
        """Deliver a chat payload (`bot.outgoing.queue_chat`) to `discord:<channel id>`."""
        try:
            channel_id = int(row.destination.partition(":")[2])
        except ValueError:
            raise DeliveryError(
                f"{row.destination} is not a Discord channel id", permanent=True
            ) from None
        payload = row.payload
        data = payload.get("reply")
        reply = reply_from_payload(data) if data else Reply(text=payload["text"], public=True)
        mention = _discord_user(payload.get("mention"))
        try:
            channel = await self._channel_or_dm(channel_id)
            await self.post(channel, reply, mention=mention)
        except (discord.NotFound, discord.Forbidden) as exc:
            raise DeliveryError(
                f"Discord refused {row.destination}: {exc}", permanent=True
            ) from exc
        except discord.HTTPException as exc:
            raise DeliveryError(f"Discord error for {row.destination}: {exc}") from exc
        guild = getattr(channel, "guild", None)
        for attachment in reply.attachments if guild is not None else []:
            if attachment.filename.endswith(".ics"):
                try:
                    await sync_scheduled_events(guild, attachment.data, self.services.now())
                except discord.HTTPException:  # the announcement is out; the event is a bonus
                    log.warning("Discord scheduled event for %s failed", row.id, exc_info=True)


def _send_kwargs(message: Message, view: discord.ui.View | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"allowed_mentions": NO_PINGS}
    if message.content:
        kwargs["content"] = message.content
    if message.embeds:
        kwargs["embeds"] = message.embeds
    if message.files:
        kwargs["files"] = message.files
    if view is not None:
        kwargs["view"] = view
    return kwargs


async def _member(guild: discord.Guild | None, user_id: int) -> discord.Member | None:
    """The server's member with this id, if the server knows them (outside a server, none).

    Raises `discord.HTTPException` when Discord could not say (busy, rate limit): that
    is not "no", which the group's server check keeps for ten minutes.
    """
    if guild is None:
        return None
    try:
        return guild.get_member(user_id) or await guild.fetch_member(user_id)
    except discord.NotFound:  # not a member, or no longer
        return None


def _marks_of(me: discord.ClientUser | None, message: discord.Message) -> list[str]:
    """How a message's text names the bot: its mention, or that of its own role.

    Not `message.mentions`, which holds the bot too when someone only replies to
    its post (Discord pings the replied-to author by default): "Thanks!" under an
    announcement is not a question. The role Discord gave the bot on joining
    bears its name and is offered beside it in the @ menu: picked, it names the
    bot as well.
    """
    if me is None:
        return []
    roles = [r for r in message.role_mentions if r.tags is not None and r.tags.bot_id == me.id]
    return [f"<@{me.id}>", f"<@!{me.id}>", *(f"<@&{role.id}>" for role in roles)]


def _without(marks: list[str], text: str) -> str:
    """A message's text as the bot reads it: without the marks that name the bot."""
    for mark in marks:
        text = text.replace(mark, " ")
    return text.strip()


def _discord_user(identity: object) -> int | None:
    if isinstance(identity, str) and identity.startswith("discord:"):
        ident = identity.partition(":")[2]
        return int(ident) if ident.isdigit() else None
    return None


# --- scheduled events --------------------------------------------------------------------


def _may_create_events(guild: discord.Guild) -> bool:
    permissions = guild.me.guild_permissions
    return permissions.create_events or permissions.manage_events


async def sync_scheduled_events(guild: discord.Guild, ics: bytes, now: dt.datetime) -> list[str]:
    """Mirror an invite, update or cancellation as the server's scheduled event.

    The trigger is an announcement carrying an .ics; the event's description
    ends with the meeting's UID so an update (same UID, higher SEQUENCE) edits
    it and a cancellation cancels it. Without the permission, nothing happens.
    Returns what was done, for the log.
    """
    if not _may_create_events(guild):
        return []
    calendar = icalendar.Calendar.from_ical(ics)
    method = str(calendar.get("METHOD", "PUBLISH")).upper()
    done = []
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        mark = f"{EVENT_MARK}{uid}"
        existing = next(
            (e for e in guild.scheduled_events if (e.description or "").endswith(mark)), None
        )
        if method == "CANCEL" or str(event.get("STATUS", "")).upper() == "CANCELLED":
            if existing is not None:
                await existing.cancel(reason="ISCG meeting cancelled")
                done.append(f"cancelled {uid}")
            continue
        start = _utc(event.decoded("DTSTART"))
        end = _utc(event.decoded("DTEND")) if event.get("DTEND") else start + dt.timedelta(hours=1)
        if start <= now:
            continue
        location = str(event.get("URL") or event.get("LOCATION") or "online")[:100]
        details = str(event.get("DESCRIPTION", ""))[: 1000 - len(mark) - 2]
        fields: dict[str, Any] = {
            "name": str(event.get("SUMMARY", "ISCG meeting"))[:100],
            "start_time": start,
            "end_time": end,
            "location": location,
            "description": f"{details}\n\n{mark}".strip(),
        }
        if existing is not None:
            await existing.edit(**fields)
            done.append(f"updated {uid}")
        else:
            await guild.create_scheduled_event(
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                **fields,
            )
            done.append(f"created {uid}")
    for line in done:
        log.info("Discord scheduled event in %s: %s", guild.name, line)
    return done


def _utc(value: dt.date | dt.datetime) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


# --- `iscg-bot discord sync` ---------------------------------------------------------------


async def sync_commands(settings: Settings, registry: Registry, guild_id: int | None) -> str:
    """Register the application commands: in one server (instant) or globally (up to an hour)."""
    if not settings.discord_token:
        raise ConfigError("set DISCORD_TOKEN first (the bot token from the developer portal)")
    client = IscgClient(None, message_content=False)
    tree = build_tree(client, registry)
    try:
        await client.login(settings.discord_token)
        guild_id = guild_id or settings.discord_guild_id
        if guild_id:
            guild = discord.Object(guild_id)
            tree.copy_global_to(guild=guild)
            synced = await tree.sync(guild=guild)
            where = f"server {guild_id} (available now)"
        else:
            synced = await tree.sync()
            where = "every server the bot is in (Discord may take up to an hour to show them)"
    finally:
        await client.close()
    names = ", ".join(f"/{command.name}" for command in synced)
    return f"Registered {len(synced)} commands in {where}: {names}"


async def sync_command(settings: Settings, guild_id: int | None) -> int:
    """`iscg-bot discord sync [--guild ID]`: prints what was registered."""
    try:
        print(await sync_commands(settings, load_all(), guild_id))
    except discord.LoginFailure:
        print(
            "iscg-bot: Discord refused DISCORD_TOKEN (reset it under Bot > Token)", file=sys.stderr
        )
        return 1
    return 0
