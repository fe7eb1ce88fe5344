"""Outgoing mail, built from scratch from an outbox payload (see `bot.outgoing.queue_email`).

Nothing is ever copied from a message being answered (no List-*, Precedence
or X-BeenThere), so a reply cannot be mistaken for a list post. Every message
says it is automatic (`Auto-Submitted`) and carries `X-Loop` with the bot's
address, which is how the bot, and other robots, recognise it when it comes back.
Invites follow iMIP (RFC 6047): the calendar is the last alternative of the
body, with a `method` matching the calendar's METHOD, and also an attachment.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
import secrets
from email import policy
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from itertools import groupby
from typing import Any

from bot.core import Reply
from bot.mailparse import BOT_NAME
from bot.mailpolicy import list_safe


class _ReusingRegistry(HeaderRegistry):
    """The standard header registry, keeping what it would build again for every header.

    Python 3.11's registry makes a new class for each header it parses, and
    the bot's mail repeats most header values (From, X-Loop, Content-Type...)
    in every message. Header objects are immutable, so one serves them all;
    this halves the time to build a message.
    """

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type[BaseHeader]] = {}
        self._headers: dict[tuple[str, str], BaseHeader] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        found = self._classes.get(name)
        if found is None:
            found = self._classes[name] = super().__getitem__(name)
        return found

    def __call__(self, name: str, value: str) -> BaseHeader:
        key = (name, value)
        found = self._headers.get(key)
        if found is None:
            if len(self._headers) >= _HEADERS_KEPT:
                self._headers.clear()  # unique values (Message-ID, Date) pass through
            found = self._headers[key] = super().__call__(name, value)
        return found


class _WirePolicy(policy.EmailPolicy):
    """`policy.default`, remembering how it folded the headers the bot makes the same
    in every message (From, X-Loop, Content-Type...): folding them was a third
    of the time to write a message.

    The headers whose values are new in every message (its Message-ID and
    date, the ids it answers, the address and subject it answers) are stored
    as the text they are where the structured path would write that same
    text, as compat32 stores every header: parsing them into header objects
    only to write them out unchanged was most of the time to build an answer,
    the address alone a third. That is printable ASCII with no encoded word
    (the structured path decodes `=?` first), and for To plain addresses only
    (it rewrites a malformed one). Anything else takes the structured path, as
    does a long value, refolded by it when written out.
    """

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        if isinstance(value, str) and _as_written(name.lower(), value):
            return name, value
        return super().header_store_parse(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        # Only what the bot makes: two values written by others may be parsed into
        # header objects that print the same and fold differently (malformed addresses).
        if name.lower() not in _FOLDS_KEPT:
            return _first_word_kept(super().fold_binary(name, value), self.linesep)
        key = (name, value, self.utf8, self.cte_type, self.linesep, self.max_line_length)
        found = _FOLDED.get(key)
        if found is None:
            if len(_FOLDED) >= _HEADERS_KEPT:
                _FOLDED.clear()
            found = _FOLDED[key] = super().fold_binary(name, value)
        return found


def _first_word_kept(folded: bytes, linesep: str) -> bytes:
    """A header the library folded as its name alone on the first line (`Subject:`, then
    the text on the next), with that next line joined back to the name's, where the line
    keeps within RFC 5322's 998 octets.

    The library does so when the first words do not fit in what is left of the line and
    cannot be broken: Chinese of about 70 characters, written as UTF-8 to an
    internationalised address. Legal, but some readers show an empty subject, or one
    led by a space; Mailman and mail programs write the first word on the name's line.
    """
    end = linesep.encode()
    first, _, rest = folded.partition(end)
    if not first.endswith(b":") or b" " in first or rest[:1] not in (b" ", b"\t"):
        return folded
    second, _, after = rest.partition(end)
    joined = first + b" " + second.lstrip(b" \t")
    if len(joined) > MAX_LINE_OCTETS:
        return folded
    return joined + end + after


def _as_written(name: str, value: str) -> bool:
    """A value `_WirePolicy` stores as it is (see there)."""
    if name not in _AS_WRITTEN or not value.strip() or "=?" in value:
        return False
    if name == "to":
        return _PLAIN_ADDRESSES.fullmatch(value) is not None
    return value.isascii() and value.isprintable()


_HEADERS_KEPT = 2048
MAX_LINE_OCTETS = 998  # RFC 5322's limit for a line, its end not counted
_BOUNDARY_TOKEN = secrets.token_hex(16)
_AS_WRITTEN = frozenset({"message-id", "date", "in-reply-to", "references", "to", "subject"})
_FOLDS_KEPT = frozenset(
    {
        "from",
        "auto-submitted",
        "x-loop",
        "x-auto-response-suppress",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "content-disposition",
    }
)
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_ADDRESS = rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
_PLAIN_ADDRESSES = re.compile(rf"{_ADDRESS}(?:, {_ADDRESS})*")  # as `_build` joins them
_FOLDED: dict[tuple[object, ...], bytes] = {}
# Text parts go as written (ASCII as 7bit, UTF-8 as 8bit where the server takes
# 8BITMIME, as all current MTAs do) while their lines fit (`_text_cte`), else as
# quoted-printable or base64; the wire has CRLF line ends.
_EIGHT_BIT = _WirePolicy(header_factory=_ReusingRegistry())
_SEVEN_BIT = _EIGHT_BIT.clone(cte_type="7bit")
_WIRE = {True: _EIGHT_BIT.clone(linesep="\r\n"), False: _SEVEN_BIT.clone(linesep="\r\n")}
# A list's tag, or a reply's prefix in a client's language, at the start of a subject.
_LEADING_TAG_OR_RE = re.compile(
    r"\s*(?:(?P<tag>\[[^\]]{1,40}\])|(?:re|aw|sv|antw|res|回复|答复|回覆|رد)\s*(?:\[\d+\])?\s*[:：])\s*",
    re.I,
)
_METHOD_LINE = re.compile(r"^METHOD:(\S+)\s*$", re.M | re.I)
# Two spaces or more between words of a line, not after a sentence's end.
_COLUMN_GAP = re.compile(r"[^\s.!?] {2,}\S")
# Wrapped where a phone's screen is narrower than its lines, never re-spaced.
_PRE = '<pre style="font-family: monospace; white-space: pre-wrap">'


def reply_html(reply: Reply) -> str:
    """A Reply as a small, fully escaped HTML document."""
    parts = ['<div style="font-family: sans-serif">']
    heading, body = reply.headed()
    if heading:
        parts.append(f"<h3>{html.escape(heading)}</h3>")
    if reply.sections:
        for section in reply.sections:
            if section.title:
                parts.append(f"<h4>{html.escape(section.title)}</h4>")
            if section.text:
                parts.append(_paragraphs(section.text))
            if section.fields:
                rows = "\n".join(
                    f"<tr><th align=left valign=top>{html.escape(f.name)}</th>"
                    f"<td>{_lines(f.value)}</td></tr>"
                    for f in section.fields
                )
                parts.append(f"<table>\n{rows}\n</table>")
    else:
        parts.append(_paragraphs(body))
    if reply.footer:
        parts.append(f"<p><small>{_lines(reply.footer)}</small></p>")
    parts.append("</div>")
    return "\n".join(parts)


def _lines(text: str) -> str:
    # A line of source per line of text: HTML takes the break for a space, and the
    # part's lines stay as short as the text's (see `_text_cte`).
    return "<br>\n".join(html.escape(line) for line in text.splitlines())


def _paragraphs(text: str) -> str:
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return "\n".join(_block(block) for block in blocks)


def _block(block: str) -> str:
    """A paragraph as `<p>`, its lines laid out in columns (as /help's) as `<pre>`.

    In a proportional font, with runs of spaces taken as one, columns lose their
    alignment; the prose around them keeps the reader's font.
    """
    html_parts = []
    for columns, lines in _runs(block.splitlines()):
        text = "\n".join(lines)
        if columns:
            html_parts.append(f"{_PRE}{html.escape(text)}</pre>")
        else:
            html_parts.append(f"<p>{_lines(text)}</p>")
    return "\n".join(html_parts)


def _runs(lines: list[str]) -> list[tuple[bool, list[str]]]:
    """Consecutive lines, each run marked whether it is laid out in columns.

    Two lines or more with a gap of spaces inside them: one line has nothing to
    be aligned with, and two spaces after a sentence are a typing habit.
    """
    runs: list[tuple[bool, list[str]]] = []
    for gapped, group in groupby(lines, key=lambda line: _COLUMN_GAP.search(line) is not None):
        run = list(group)
        columns = gapped and len(run) > 1
        if runs and not columns and not runs[-1][0]:
            runs[-1][1].extend(run)  # prose continues
        else:
            runs.append((columns, run))
    return runs


def reply_subject(subject: str) -> str:
    """One `Re: ` in front, whatever the client's spelling of earlier ones (RE:, AW:, SV:),
    and the list's tag once after it: "[list] Re: x" answered is "Re: [list] x", not
    "Re: [list] Re: x"."""
    tags: list[str] = []
    rest = subject.strip()
    while match := _LEADING_TAG_OR_RE.match(rest):
        tag = match.group("tag")
        if tag and tag not in tags:
            tags.append(tag)
        rest = rest[match.end() :]
    return " ".join(["Re:", *tags, rest or "your message"])


def calendar_method(calendar: str, fallback: str | None) -> str:
    """The METHOD the calendar itself declares (iMIP requires the two to agree)."""
    match = _METHOD_LINE.search(calendar)
    return (match.group(1) if match else fallback or "PUBLISH").upper()


def _as_publish(calendar: str) -> str:
    if _METHOD_LINE.search(calendar):
        return _METHOD_LINE.sub("METHOD:PUBLISH", calendar, count=1)
    return calendar.replace("BEGIN:VCALENDAR", "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH", 1)


def wire_bytes(
    payload: dict[str, Any], *, bot_address: str, now: dt.datetime, eight_bit: bool = True
) -> bytes:
    """The message for one outbox payload as it goes on the wire, with its final Message-ID.

    `now` is the Date: the moment the message was complete, which is when it
    was queued; a retry sends the very same bytes.
    """
    body = _EIGHT_BIT if eight_bit else _SEVEN_BIT
    msg = _build(payload, bot_address=bot_address, now=now, body=body)
    _set_boundaries(msg)
    wire = _WIRE[eight_bit]
    if international(bot_address, payload["to"]):
        wire = wire.clone(utf8=True)  # an internationalised address goes as UTF-8 (SMTPUTF8)
    return msg.as_bytes(policy=wire)


def _set_boundaries(msg: EmailMessage) -> None:
    """Boundaries from the process's random token, or a new one if a part holds it.

    Random, so no text can hold it by chance, and checked, so that no text
    can hold it on purpose (someone who saw one answer knows the token).
    Without a boundary the generator would compile a pattern per part to
    search the whole message for a clash; with one new for every message,
    each Content-Type header would be parsed and folded afresh.
    The number sits before the token, so no boundary is the start of another.
    """
    token = _BOUNDARY_TOKEN
    if any(token in str(part.get_payload()) for part in msg.walk() if not part.is_multipart()):
        token = secrets.token_hex(16)
    multiparts = (part for part in msg.walk() if part.is_multipart())
    for number, part in enumerate(multiparts):
        part.set_boundary(f"=_iscg{number}_{token}")


def _text_cte(text: str, body: policy.EmailPolicy) -> str | None:
    """A text part as it is (7bit, or 8bit where the server takes it) when its lines
    keep within RFC 5322's 998 octets, as Django's mail does; else the library's choice.

    The library encodes a whole part as quoted-printable or base64 once a line
    passes 78 octets (the RFC's advice, not its limit): an answer's paragraphs
    and its HTML always do, and encoding them in Python was half the time to
    build an answer, for a message every client reads the same. A NUL, which
    7bit and 8bit data may not hold (RFC 2045), leaves the choice to the library.
    """
    encoded = text.encode("utf-8", "surrogateescape")
    if b"\0" in encoded or max(map(len, encoded.splitlines()), default=0) > MAX_LINE_OCTETS:
        return None
    if encoded.isascii():
        return "7bit"
    return "8bit" if body.cte_type == "8bit" else None


def one_line(subject: str) -> str:
    """A subject on one line: a title typed on two lines in chat ("Budget" and, below,
    "review") is a subject all the same, where a line break in a header is refused by
    the mail library (the minutes of such a meeting could never be sent) and, written
    as is, would start a header of the typist's own."""
    if subject.isprintable():
        return subject
    return " ".join(subject.split())


def international(sender: str, recipients: list[str]) -> bool:
    """An address is not ASCII: the headers go as UTF-8 and the server is asked for SMTPUTF8."""
    return not all(str(address).isascii() for address in [sender, *recipients])


def _build(
    payload: dict[str, Any], *, bot_address: str, now: dt.datetime, body: policy.EmailPolicy
) -> EmailMessage:
    to_list = bool(payload.get("to_list"))
    subject = one_line(str(payload.get("subject") or ""))
    text = str(payload.get("text") or "")
    html_body = payload.get("html")
    if to_list:
        subject, text = list_safe(subject), list_safe(text)
    msg = EmailMessage(policy=body)
    msg["From"] = formataddr((BOT_NAME, bot_address))
    msg["To"] = ", ".join(payload["to"])
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now.astimezone(dt.UTC))
    msg["Message-ID"] = payload["message_id"]
    if to_list:
        # A member's "Reply" to an announcement, minutes or a digest ("could we move
        # it an hour later?") is for the group: sent to the bot, it reached no one
        # and got the list of commands back.
        msg["Reply-To"] = msg["To"]
    if payload.get("in_reply_to"):
        msg["In-Reply-To"] = payload["in_reply_to"]
    if payload.get("references"):
        msg["References"] = " ".join(payload["references"])
    msg["Auto-Submitted"] = payload.get("auto_submitted") or "auto-generated"
    msg["X-Loop"] = bot_address
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(text, cte=_text_cte(text, body))
    if html_body:
        html_body = str(html_body)
        msg.add_alternative(html_body, subtype="html", cte=_text_cte(html_body, body))
    calendar = payload.get("calendar")
    if calendar:
        method = calendar_method(calendar, payload.get("calendar_method"))
        if to_list and method != "PUBLISH":
            # A list address as attendee is added to nobody's calendar: the list gets
            # an announcement with a calendar to import, not an invitation.
            calendar, method = _as_publish(calendar), "PUBLISH"
        if method != "PUBLISH":
            # iMIP: the calendar is the last alternative of the text it explains.
            msg.add_alternative(
                calendar.encode("utf-8"),
                maintype="text",
                subtype="calendar",
                params={"method": method, "charset": "UTF-8"},
                cte="base64" if not calendar.isascii() else "7bit",
            )
        msg.add_attachment(
            calendar.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename="invite.ics",
            params={"method": method, "charset": "UTF-8"},
        )
    for item in payload.get("attachments") or []:
        maintype, _, subtype = str(item["content_type"]).partition("/")
        msg.add_attachment(
            base64.b64decode(item["data_base64"]),
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=item["filename"],
        )
    return msg
