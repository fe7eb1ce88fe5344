"""A Reply as Slack shows it: Block Kit messages with a plain-text fallback.

Slack's limits live here and nowhere else; a long reply is split here into
several messages rather than cut off by Slack. User-written text is escaped
for mrkdwn before the bot adds its own formatting, so `<!channel>` typed by
someone is shown, never obeyed. The other direction (Slack's markup in what
people type) is turned back into plain text by `plain_text`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from bot.core import Button, Field_, Reply, Section, TextForm, registry
from bot.handlers import textsplit
from bot.handlers.slack_manifest import ALIAS, BUILT_IN
from bot.mentions import defang

# Slack's published limits (https://docs.slack.dev/reference/block-kit/blocks).
MAX_BLOCKS = 50  # blocks in one message
MAX_SECTION_TEXT = 3000  # characters of a section's text
MAX_FIELD_TEXT = 2000  # characters of one section field
MAX_FIELDS = 10  # fields in one section
MAX_HEADER_TEXT = 150  # characters of a header
MAX_CONTEXT_TEXT = 2000  # characters of one context element
MAX_BUTTON_TEXT = 75  # characters of a button label
MAX_BUTTON_VALUE = 2000  # characters of a button's value
MAX_ACTIONS = 25  # elements in one actions block
MAX_FALLBACK = 4000  # Slack truncates notification text beyond this
# Characters of text in one message's blocks together: Slack refuses a message past
# about 13,000 ("msg_blocks_too_long", a limit it does not publish), so a long reply,
# the minutes of a long meeting, in 50 blocks of 3,000 never reached its reader.
MAX_MESSAGE_TEXT = 12000

RUN_ACTION = "iscg-run"  # action_id prefix of buttons that run a command


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn parses as markup, and make the
    bare words `@here`, `@channel`, `@everyone` inert.

    Slack's composer sends a typed `@here` as `<!here>`, which the bot reads back
    as the words "@here"; an answer echoing them ("I know no theme called
    "@here"") went out as mrkdwn, whose default parsing (`verbatim` false)
    turns such words into mentions. Here, where every reply is written, no
    handler can forget it.
    """
    return defang(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


# A command Slack keeps for itself, written at the start of a word: "/invite m1".
_RESERVED = re.compile(r"(?<![\w/])/(" + "|".join(sorted(BUILT_IN)) + r")\b")


def shown(text: str) -> str:
    """Text as a Slack reply shows it: escaped (`escape`), and each command whose name
    Slack keeps for itself written as Slack users must type it.

    "/invite m1 gives it again" sent people to Slack's own /invite, which adds
    someone to the channel and answered "user not found"; on Slack the bot's
    /invite is `/iscg invite` (the manifest says so once, the replies every time).
    """

    return escape(_as_typed(text))


def _as_typed(text: str) -> str:
    """Each command whose name Slack keeps for itself as Slack users must type it."""

    def aliased(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"/{ALIAS} {name}" if name in registry.commands else match.group()

    return _RESERVED.sub(aliased, text)


class SlackForm(TextForm):
    """Commands on Slack are typed in the text form, `|` and all, but read in Slack's
    proportional font: a list of them is not laid out in space-padded columns."""

    columns = False


SLACK_FORM = SlackForm()


_MARKUP = re.compile(r"<([^<>]*)>")


def plain_text(text: str) -> str:
    """Slack's markup in what a person typed, back to what they meant.

    `<@U123>` (or `<@U123|jane>`) stays `<@U123>`: the platform mention the
    rest of the bot reads as that person, as it reads Discord's `<@123>`
    (echoed, it is escaped, so it never pings). `<#C1|general>` becomes
    `#general`, `<https://x|label>` `label (https://x)`, `<!channel>` the
    words `@channel` (inert again when echoed: `escape`), a user group
    `@delegates` and a date its text; then Slack's `&amp;` `&lt;` `&gt;` are
    undone.
    """

    def one(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return f"<{target}>"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!"):
            # <!here>, <!subteam^S1|@delegates> (its label has the @ already), and
            # <!date^1392734382^{date}|Feb 18th>, a date shown as its fallback text.
            kind = target[1:].split("^")[0]
            if kind == "date":
                return label
            return "@" + (label or kind).removeprefix("@")
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        if label and label != target and not _autolinked(label, target):
            return f"{label} ({target})"
        return target

    return html.unescape(_MARKUP.sub(one, text))


def _autolinked(label: str, target: str) -> bool:
    """Whether the label is the address as typed, which Slack linked with a scheme added
    (`itu.int/go/iscg` sent as `<http://itu.int/go/iscg|itu.int/go/iscg>`): not a label
    to keep beside the address, which read twice in the minutes."""
    return target.partition("://")[2].rstrip("/") == label.rstrip("/")


@dataclass
class SlackMessage:
    """One message as chat.postMessage, a response_url or an ack takes it."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def render(reply: Reply, *, mention: str | None = None) -> list[SlackMessage]:
    """The reply as one or more messages, each within Slack's limits.

    `mention` is a Slack user id the bot means to ping (an action owner's
    reminder); it is the only live mention the output can contain.
    """
    blocks: list[dict[str, Any]] = []
    heading, body = reply.headed()
    if heading:
        blocks.append(_header(heading))
    if reply.sections:
        for section in reply.sections:
            blocks.extend(_section_blocks(section))
    elif body.strip():
        blocks.extend(_text_blocks(shown(body)))
    if reply.footer:
        blocks.append(_context(reply.footer))
    blocks.extend(_action_blocks(reply.buttons))
    if mention:
        lead = f"<@{mention}> "
        blocks.insert(0, _mrkdwn_section(lead.strip()))
    else:
        lead = ""
    if not blocks:
        blocks.append(_mrkdwn_section(shown(reply.text) or " "))
    chunks = _chunks(blocks)
    messages = [
        SlackMessage(text=textsplit.clip(lead + shown(reply.text), MAX_FALLBACK), blocks=chunks[0])
    ]
    for chunk in chunks[1:]:
        messages.append(
            SlackMessage(text=textsplit.clip(_blocks_text(chunk), MAX_FALLBACK), blocks=chunk)
        )
    return messages


def _chunks(blocks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The blocks in runs, in order, each within a message's limits (`MAX_BLOCKS`,
    `MAX_MESSAGE_TEXT`); one block is at most a section's 3,000 characters."""
    chunks: list[list[dict[str, Any]]] = [[]]
    size = 0
    for block in blocks:
        length = len(_blocks_text([block]))
        if chunks[-1] and (len(chunks[-1]) == MAX_BLOCKS or size + length > MAX_MESSAGE_TEXT):
            chunks.append([])
            size = 0
        chunks[-1].append(block)
        size += length
    return chunks


def _header(title: str) -> dict[str, Any]:
    """A title in plain text (Slack parses no markup there, so nothing is escaped)."""
    return {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": textsplit.clip_heading(_as_typed(title), MAX_HEADER_TEXT),
            "emoji": False,
        },
    }


def _mrkdwn_section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": textsplit.clip(shown(text), MAX_CONTEXT_TEXT)}],
    }


def split_text(text: str, limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Section-sized pieces (Slack's limit is the default)."""
    return textsplit.split_text(text, limit)


def _text_blocks(mrkdwn: str) -> list[dict[str, Any]]:
    return [_mrkdwn_section(piece) for piece in split_text(mrkdwn)]


def _section_blocks(section: Section) -> list[dict[str, Any]]:
    text = shown(section.text)
    if section.title:
        text = f"*{shown(section.title)}*" + (f"\n{text}" if text else "")
    blocks = _text_blocks(text) if text.strip() else []
    inline: list[Field_] = []
    for item in section.fields:
        if item.inline:
            inline.append(item)
            continue
        blocks.extend(_field_blocks(inline))
        inline = []
        blocks.extend(_text_blocks(f"*{shown(item.name)}*\n{shown(item.value)}"))
    blocks.extend(_field_blocks(inline))
    return blocks


def _field_blocks(fields: list[Field_]) -> list[dict[str, Any]]:
    rendered = [
        {
            "type": "mrkdwn",
            "text": textsplit.clip(f"*{shown(f.name)}*\n{shown(f.value)}", MAX_FIELD_TEXT),
        }
        for f in fields
    ]
    return [
        {"type": "section", "fields": rendered[i : i + MAX_FIELDS]}
        for i in range(0, len(rendered), MAX_FIELDS)
    ]


def _action_blocks(buttons: list[Button]) -> list[dict[str, Any]]:
    elements = []
    for index, button in enumerate(buttons):
        element: dict[str, Any] = {
            "type": "button",
            "action_id": f"{RUN_ACTION}:{index}",
            "text": {"type": "plain_text", "text": textsplit.clip(button.label, MAX_BUTTON_TEXT)},
            "value": button.command[:MAX_BUTTON_VALUE],
        }
        if button.style in ("primary", "danger"):
            element["style"] = button.style
        elements.append(element)
    return [
        {"type": "actions", "elements": elements[i : i + MAX_ACTIONS]}
        for i in range(0, len(elements), MAX_ACTIONS)
    ]


def _blocks_text(blocks: list[dict[str, Any]]) -> str:
    """The mrkdwn of a run of blocks, as the fallback of a continuation message."""
    parts = []
    for block in blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(item["text"] for item in block.get("fields", []))
        parts.extend(item["text"] for item in block.get("elements", []) if "text" in item)
    return "\n".join(p if isinstance(p, str) else p.get("text", "") for p in parts)
