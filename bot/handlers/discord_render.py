"""A Reply as Discord messages: embeds within Discord's limits, plain text as fallback.

Discord refuses a message over its limits rather than cutting it, so every
reply is split here, once, before anything is sent: 2,000 characters of
content, 4,096 of embed description, 25 fields of 1,024 characters, 6,000
characters for an embed as a whole. A long reply becomes several messages,
in order, the first carrying the title and the last the footer.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import discord

from bot.core import Attachment, Reply
from bot.handlers import textsplit

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
BLANK = "\u200b"  # a field needs a name; this one shows nothing

COLOUR = discord.Colour(0x009CD6)  # ITU blue
ERROR_COLOUR = discord.Colour.red()


@dataclass
class Message:
    """One Discord message to send: any of text content, embeds and files."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    files: list[discord.File] = field(default_factory=list)


def plain(text: str) -> str:
    """A reply's plain text as Discord shows it as written: no masked link.

    Discord reads `[www.itu.int](https://elsewhere.example)` in the bot's messages
    and embeds as a link reading www.itu.int that leads elsewhere; an action, a
    title or a cancellation reason someone typed so was echoed under the bot's
    name as one. Escaped, the bracket shows as typed. (The Markdown of a reply,
    the minutes, escapes the user text in it itself.)
    """
    return text.replace("[", "\\[")


def split_text(text: str, limit: int) -> list[str]:
    """Discord pieces: as the shared splitter, but always at least one (maybe empty)."""
    return textsplit.split_text(text, limit) or [""]


class _Packer:
    """Fills embeds in reading order, starting a new one when a limit would be passed."""

    def __init__(self, title: str | None, colour: discord.Colour, reserve: int) -> None:
        self.title = textsplit.clip_heading(title, TITLE_LIMIT) if title else None
        self.colour = colour
        self.reserve = reserve  # room kept for the footer of the last embed
        self.embeds: list[discord.Embed] = []
        self._new()

    def _new(self) -> discord.Embed:
        title = self.title if not self.embeds else None
        if self.embeds and self.title:
            title = textsplit.clip(f"{self.title} (continued)", TITLE_LIMIT)
        embed = discord.Embed(title=title, colour=self.colour)
        self.embeds.append(embed)
        return embed

    @property
    def current(self) -> discord.Embed:
        return self.embeds[-1]

    def _room(self, embed: discord.Embed) -> int:
        return EMBED_TOTAL_LIMIT - self.reserve - len(embed)

    def text(self, text: str, title: str | None = None) -> None:
        """A block of prose: the description until fields begin, fields after."""
        if self.current.fields:
            if text or title:
                self.field(title or BLANK, text, inline=False)
            return
        if title:
            text = f"**{discord.utils.escape_markdown(title)}**\n{text}".rstrip()
        for chunk in split_text(text, DESCRIPTION_LIMIT) if text else []:
            embed = self.current
            current = embed.description or ""
            joined = f"{current}\n\n{chunk}" if current else chunk
            if len(joined) > DESCRIPTION_LIMIT or len(joined) - len(current) > self._room(embed):
                embed = self._new()
                joined = chunk
            embed.description = joined

    def field(self, name: str, value: str, *, inline: bool) -> None:
        name = textsplit.clip(name or BLANK, FIELD_NAME_LIMIT)
        for number, chunk in enumerate(split_text(value or BLANK, FIELD_VALUE_LIMIT)):
            label = name if number == 0 else textsplit.clip(f"{name} (continued)", FIELD_NAME_LIMIT)
            embed = self.current
            full = len(embed.fields) >= FIELD_COUNT_LIMIT
            if full or len(label) + len(chunk) > self._room(embed):
                embed = self._new()
            embed.add_field(name=label, value=chunk, inline=inline)


def embeds_for(reply: Reply) -> list[discord.Embed]:
    footer = textsplit.clip(reply.footer, FOOTER_LIMIT) if reply.footer else None
    heading, body = reply.headed()
    body = plain(body) if reply.markdown is None else reply.markdown
    packer = _Packer(heading, ERROR_COLOUR if reply.error else COLOUR, len(footer or ""))
    if not reply.sections:
        packer.text(body.strip())
    for section in reply.sections:
        packer.text(plain(section.text), section.title)
        for item in section.fields:
            packer.field(item.name, plain(item.value), inline=item.inline)
    if footer:
        packer.embeds[-1].set_footer(text=footer)
    return packer.embeds


def file_for(attachment: Attachment) -> discord.File:
    return discord.File(io.BytesIO(attachment.data), filename=attachment.filename)


def render(reply: Reply, *, mention: str | None = None, rich: bool = True) -> list[Message]:
    """The messages that show a reply: embeds when it has structure, text otherwise.

    `mention` (`<@123>`) opens the first message's content: an embed never
    pings, so the one ping an action reminder may carry must be in the text.
    `rich=False` is the fallback for a channel where the bot may not embed.
    """
    structured = rich and bool(reply.title or reply.sections)
    prefix = f"{mention} " if mention else ""
    if structured:
        messages = [Message(embeds=[embed]) for embed in embeds_for(reply)]
        if prefix:
            messages[0].content = prefix.strip()
    else:
        budget = CONTENT_LIMIT - len(prefix)
        messages = [Message(content=chunk) for chunk in split_text(plain(reply.text), budget)]
        messages[0].content = prefix + (messages[0].content or "")
    messages[0].files = [file_for(attachment) for attachment in reply.attachments]
    return messages
