"""Queueing effects on other people: the shapes of outbox payloads, in one place.

Commands and jobs call these inside the transaction of the change that causes
the message; connectors read the same shapes back in `send(row)`. Keeping the
shapes here is what lets a meeting invite be written by the meetings code and
delivered by the mail connector without either knowing the other.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from typing import Any, Literal

import aiosqlite

from bot.core import Attachment, Button, Field_, Reply, Section
from bot.mailbuild import wire_bytes
from storage import mail as mail_store
from storage import outbox
from storage.db import together

AutoSubmitted = Literal["auto-generated", "auto-replied"]


def attachment_to_json(attachment: Attachment) -> dict[str, str]:
    return {
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "data_base64": base64.b64encode(attachment.data).decode("ascii"),
    }


def reply_to_payload(reply: Reply) -> dict[str, Any]:
    """A Reply as JSON-able data (the chat payload's "reply")."""
    return {
        "text": reply.text,
        "title": reply.title,
        "markdown": reply.markdown,
        "footer": reply.footer,
        "public": reply.public,
        "error": reply.error,
        "sections": [
            {
                "title": s.title,
                "text": s.text,
                "fields": [
                    {"name": f.name, "value": f.value, "inline": f.inline} for f in s.fields
                ],
            }
            for s in reply.sections
        ],
        "buttons": [
            {"label": b.label, "command": b.command, "style": b.style} for b in reply.buttons
        ],
        "attachments": [attachment_to_json(a) for a in reply.attachments],
    }


def reply_from_payload(data: dict[str, Any]) -> Reply:
    return Reply(
        text=data["text"],
        title=data.get("title"),
        markdown=data.get("markdown"),
        footer=data.get("footer"),
        public=data.get("public", True),
        error=data.get("error", False),
        sections=[
            Section(
                text=s.get("text", ""),
                title=s.get("title"),
                fields=[Field_(f["name"], f["value"], f.get("inline", True)) for f in s["fields"]],
            )
            for s in data.get("sections", [])
        ],
        buttons=[
            Button(b["label"], b["command"], b.get("style", "default"))
            for b in data.get("buttons", [])
        ],
        attachments=[
            Attachment(a["filename"], a["content_type"], base64.b64decode(a["data_base64"]))
            for a in data.get("attachments", [])
        ],
    )


async def queue_chat(
    conn: aiosqlite.Connection,
    *,
    destination: str,
    kind: str,
    reply: Reply,
    now: dt.datetime,
    dedupe_key: str,
    mention: str | None = None,
    not_after: dt.datetime | None = None,
) -> int | None:
    """Post a Reply in a chat channel later (`slack:C1`, `discord:123`, `console:main`).

    `mention` is the one identity a connector may ping (an action owner's
    reminder); nothing else in the text ever pings. `not_after`: when what it
    says stops being true (a meeting's start, for its reminder); not sent after.
    """
    payload = {"text": reply.text, "reply": reply_to_payload(reply), "mention": mention}
    return await outbox.enqueue(
        conn,
        destination=destination,
        kind=kind,
        payload=payload,
        now=now,
        dedupe_key=dedupe_key,
        not_after=not_after,
    )


def new_message_id(bot_address: str) -> str:
    """A Message-ID under the bot's own domain, so its mail is recognised when it comes back."""
    domain = bot_address.rpartition("@")[2] or "localhost"
    return f"<{secrets.token_hex(12)}@{domain}>"


async def queue_email(
    conn: aiosqlite.Connection,
    *,
    bot_address: str,
    to: list[str],
    subject: str,
    text: str,
    kind: str,
    now: dt.datetime,
    dedupe_key: str,
    html: str | None = None,
    calendar: str | None = None,
    calendar_method: str | None = None,
    attachments: list[Attachment] | None = None,
    auto_submitted: AutoSubmitted = "auto-generated",
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    to_list: bool = False,
    meeting_id: int | None = None,
    not_after: dt.datetime | None = None,
) -> int | None:
    """Queue one e-mail, built here, with its final Message-ID and Date.

    The row holds the message as it will go on the wire (`mime`), next to the
    parts it was made of: the dispatcher only hands bytes to the SMTP server,
    and a retry repeats them exactly. `calendar` is iCalendar text sent as
    iMIP (text/calendar; method=...) and as an `invite.ics` attachment;
    `to_list` marks a post to the mailing list (whose address `to` holds);
    `meeting_id` names the scheduled meeting it is about, so that replies to it
    can join that meeting's minutes; `not_after` is as for `queue_chat`.
    """
    payload: dict[str, Any] = {
        "message_id": new_message_id(bot_address),
        "to": to,
        "subject": subject,
        "text": text,
        "html": html,
        "calendar": calendar,
        "calendar_method": calendar_method,
        "attachments": [attachment_to_json(a) for a in attachments or []],
        "auto_submitted": auto_submitted,
        "in_reply_to": in_reply_to,
        "references": references or [],
        "to_list": to_list,
        "meeting_id": meeting_id,
    }
    payload["mime"] = wire_bytes(payload, bot_address=bot_address, now=now).decode("utf-8")
    destination = "email:" + ",".join(to)
    # The id is kept apart from the outbox row, which may be pruned once sent. Both
    # go in one hop: when the row was queued already (`dedupe_key`), the id kept
    # was never sent, so no mail will ever carry it.
    row, _ = await together(
        outbox.enqueue(
            conn,
            destination=destination,
            kind=kind,
            payload=payload,
            now=now,
            dedupe_key=dedupe_key,
            not_after=not_after,
        ),
        mail_store.remember_sent(conn, payload["message_id"], meeting_id),
    )
    return row
