"""Inbound mail as the bot needs it: decoded headers, readable text, the new part only.

Parsing uses the standard library (`policy.default`). Headers are decoded
from their raw form so that a charset Python does not know (or a label that
lies) falls back to utf-8, windows-1252 and finally latin-1 instead of
failing: list mail comes from every mail client there is.
"""

from __future__ import annotations

import codecs
import email
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.header import decode_header
from email.message import Message
from email.policy import EmailPolicy
from email.utils import getaddresses, parseaddr
from functools import cache, cached_property, lru_cache
from typing import NamedTuple

from mailparser_reply import EmailMessage as ReplyText
from mailparser_reply import EmailReply as ReplyPart

from bot import replylanguages
from bot.actionline import labelled_action
from bot.htmltext import html_to_text
from bot.textclean import clean_input

FALLBACK_CHARSETS = ("utf-8", "windows-1252", "latin-1")
# What a label means in the mail clients write (as the WHATWG Encoding Standard
# reads them): Chinese clients label GBK text "gb2312" (朱镕基 is not GB2312),
# Taiwanese and Hong Kong ones label Big5-HKSCS "big5", Windows writes its
# code pages under the ISO names. Python's codecs take each label strictly.
CHARSET_MEANT = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "tis-620": "cp874",
    "iso8859-1": "cp1252",
}
# Labels of single-byte Western charsets, which decode any bytes: text in UTF-8
# mislabelled so (a client's default left unchanged) would come out as "AmÃ©lie".
# Valid UTF-8 with non-ASCII characters is next to impossible in real text of
# these charsets, so such a text is read as UTF-8.
UTF8_MISLABELLED_AS = frozenset(["cp1252", "iso8859-15"])
# The six UN languages (Arabic and Russian are the bot's own additions to
# mail-parser-reply), and German, and what Outlook and Foxmail write in them that the
# library misses ("outlook"), and the closings it misses ("closings"). Each language costs
# time on every message; these cover the membership's clients.
replylanguages.register()
REPLY_LANGUAGES = ("en", "fr", "es", "zh", "ru", "ar", "de", "outlook", "closings")
# Where the receiving server wrote the envelope's recipient (Postfix, Dovecot, Gmail; the
# bot's own SMTP listener too): the only trace of a Bcc, which no header of the sender's names.
ENVELOPE_HEADERS = ("delivered-to", "x-original-to")
# Headers each relay may add one more of, all of them read (top first: each relay prepends).
EVERY_OCCURRENCE = frozenset(["authentication-results", "x-loop", *ENVELOPE_HEADERS])
# Headers whose grammar has no encoded words (RFC 8601), read as written: our server
# copies the envelope sender into its `Authentication-Results`, and one holding
# "=?utf-8?q?=3B_dkim=3Dpass_header.d=3Dexample.org=3B?=" decoded into a result of its own.
WRITTEN_AS_IS = frozenset(["authentication-results"])
# Between the `Authentication-Results` of two servers' trace blocks: a server adds its
# results above the Received header it writes, so those below that header came with the
# mail (`mailpolicy.authenticated` reads only the top block holding our server's).
TRACE_BREAK = "\n"
# The line under an action line that gives its due date, as minutes write it.
_DEADLINE_LINE = re.compile(r"(?:deadline|due(?:\s+date)?)\s*[:：]\s*\S", re.I)
# Longer than the first line of any quote header ("On ... wrote:", "From: ..."), by far.
MAX_HEADER_LINE = 1_000
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
# `<meta charset="gb2312">` or `<meta http-equiv="Content-Type" content="text/html;
# charset=gb2312">`, in the bytes an HTML body starts with.
_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
META_CHARSET_WITHIN = 4096
# "Re:" or "Fwd:" in any of the languages mail clients write them ("AW:", "SV:", "TR:",
# Chinese Outlook's "答复:", Foxmail's "回复：" with a full-width colon, Arabic "رد:"...),
# and a list's subject tag ("[ISCG]").
_REPLY_WORD = (
    r"(?:re|fwd?|aw|sv|tr|rv|wg|antw|res|enc|r|回复|答复|回覆|转发|轉寄|轉發|رد)"
    r"\s*(?:\[\d+\])?[:：]"
)
_LIST_TAG = r"\[[^\]]{1,40}\]"
# A reply's or forward's subject: the word, after any list tags.
_ANSWER_PREFIX = re.compile(rf"^\s*(?:{_LIST_TAG}\s*)*{_REPLY_WORD}", re.I)
# C0 and C1 controls (tab and line ends among them) and the Unicode line and
# paragraph separators: a run of them is one space in a decoded header.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# "Dear colleagues,", "Hi Jane,": a mail's opening, never its request.
# A greeting on its own line: ending in a comma, "!" or ":" (or their Chinese and
# Arabic forms), or a name or two at most ("Dear all", "Hello Jane"); "Hi who
# coordinates AI" is a question. In the languages of REPLY_LANGUAGES: "Bonjour,",
# "Estimados colegas:", "Здравствуйте,", "您好，" and "السلام عليكم،" open mail as
# often as "Dear all,", and a thank-you under them is still only thanks.
_SALUTATION = re.compile(
    r"^(?:dear|hi|hello|hey|greetings|good (?:morning|afternoon|evening|day)"
    r"|bonjour|bonsoir|salut|ch[eè]re?s?|madame|monsieur"
    r"|hola|estimad[oa]s?|querid[oa]s?|buen[oa]s (?:d[ií]as|tardes|noches)|señor[ae]?s?"
    r"|здравствуйте|добрый (?:день|вечер)|доброе утро|уважаем(?:ый|ая|ые)|коллеги|привет"
    r"|您好|你好|大家好|各位|尊敬的"
    r"|السلام عليكم|مرحبا|عزيز(?:ي|تي)|الزملاء|السيد(?:ة|ات)?|الأعزاء"
    r"|hallo|liebe[rs]?|sehr geehrte[rn]?|guten (?:morgen|tag|abend))\b"
    r"(?:[^.?!,]{0,40}[,!:，！：،]|(?:\s+[\w.'-]+){0,2}\s*)$",
    re.I,
)
# "Thanks, perfect.", "Well received, with thanks", "I am out of the office": a reply
# that asks nothing (a question mark anywhere overrules it). "OK" or "noted" count only
# opening the line: inside it they may be part of a request. So do the members' own
# ("D'accord", "De acuerdo", "Принято", "حسنا"; "收到" and "好的" with no space after them).
_ACKNOWLEDGEMENT = re.compile(
    r"^(?:ok|okay|great|perfect|noted|got it|cheers|received"
    r"|d['’]accord|parfait|not[ée]|c['’]est not[ée]|entendu|tr[èe]s bien"
    r"|de acuerdo|entendido|perfecto|recibido|anotado|muy bien|vale"
    r"|принято|понятно|хорошо|ок|حسنا|تم|موافق|ممتاز)\b"
    r"|^(?:收到|好的|明白|了解|知道了)"
    r"|\b(?:thanks?|thank you|well received|well noted|appreciated|out of (?:the )?office|"
    r"on (?:annual )?leave|merci|bien re[çc]u|bien not[ée]|gracias|danke|vielen dank)\b"
    r"|спасибо|благодарю|谢谢|感谢|多谢|شكرا",
    re.I,
)
# A question mark as the members' keyboards type it: Chinese input methods' full-width
# one, and the Arabic one.
_QUESTION_MARK = re.compile("[?？؟]")
_SUBJECT_PREFIX = re.compile(rf"^\s*(?:{_REPLY_WORD}\s*|{_LIST_TAG}\s*)+", re.I)


class _RawHeaderPolicy(EmailPolicy):
    """`policy.default` with headers handed back as their raw text.

    Building the structured header objects costs more than the rest of the
    parse; the bot decodes the few headers it reads itself (with charset
    fallbacks the structured parser lacks), so it does not pay for them.
    """

    def header_fetch_parse(self, name: str, value: str) -> str:  # type: ignore[override]
        return value


MAIL_POLICY = _RawHeaderPolicy()


class OwnLine(NamedTuple):
    """A line a post adds to its thread, and the action item it states, if any."""

    number: int  # in the new part, from 1
    text: str  # stripped
    action: str | None


class Addresses(NamedTuple):
    """The list's address and the bot's, lowercase, as `parse` needs them.

    A From of the list's own address is the list's rewrite (DMARC), whose
    author is read from other headers; neither address is taken for that author.
    """

    list_address: str
    bot_address: str


@dataclass
class InboundMail:
    """One received message, parsed once and read by the policy and the flow."""

    message_id: str
    sender: str  # lowercase address of the person who wrote it
    sender_name: str
    recipients: list[str]  # To and Cc, lowercase
    subject: str
    in_reply_to: str | None
    references: list[str]
    plain: str  # the first text/plain part, decoded
    html: str  # the first text/html part, decoded
    calendar: str | None = None
    attachments: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # decoded, lowercase names
    content_types: tuple[str, ...] = ()  # its own parts, multiparts too (not an attached mail's)
    unreadable: str | None = None  # why the parser failed on it, if it did
    bot_address: str = ""  # lowercase: whose mentions `addressed` finds

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    # The body is read on first use: mail the bot ignores (bounces, auto-replies,
    # its own posts coming back) is classified from its headers alone.
    @cached_property
    def text(self) -> str:
        """The whole readable body: the plain text, else the HTML converted (HTML-only
        mail, and mail whose plain part some clients and mail merges leave blank),
        without the characters nobody sees (a Windows client's byte-order mark opening
        it, the direction marks Outlook in Arabic opens each line with)."""
        text = self.plain if self.plain.strip() or not self.html else html_to_text(self.html)
        return clean_input(text)

    @cached_property
    def reply_text(self) -> str:
        """What this message adds: quotes and signature removed."""
        return new_part(self.text)

    # Read in the mail reader's worker with the rest (`warm`), these come back with
    # the message: the event loop, which acts on it, finds them done.
    @cached_property
    def names_bot(self) -> bool:
        """A line naming the bot anywhere in the text, quotes too: a cheap test that
        `addressed` only narrows (most mail never names the bot)."""
        return addressed_line(self.text, self.bot_address) is not None

    @cached_property
    def addressed(self) -> str | None:
        """What its own text says to the bot (after a line's `@iscg-bot`), or None."""
        return addressed_line(self.reply_text, self.bot_address) if self.names_bot else None

    @cached_property
    def has_actions(self) -> bool:
        """An action line anywhere, quoted or not (none: no need to read the new part)."""
        return bool(action_lines(self.text))

    @cached_property
    def own_lines(self) -> tuple[OwnLine, ...]:
        """The lines this message adds to its thread, for minutes and action items.

        Never quoted text, and not the bot's commands (a `/` line, an
        `@iscg-bot` line): those are answered, not minuted.
        """
        found = []
        for number, line in enumerate(self.reply_text.splitlines(), 1):
            line = line.strip()
            if (
                not line
                or line.startswith("/")
                or addressed_line(line, self.bot_address) is not None  # a bare `@iscg-bot` too
            ):
                continue
            item = action_lines(line)
            deadline = _DEADLINE_LINE.match(line)
            if deadline and found and found[-1].action and found[-1].number == number - 1:
                # "ACTION: ...", then "Deadline: 4 December" under it: the action's due date,
                # said with it (a line of its own too, the minutes' log gave it twice).
                found[-1] = found[-1]._replace(action=f"{found[-1].action}, {line}")
                continue
            found.append(OwnLine(number, line, item[0] if item else None))
        return tuple(found)

    def warm(self) -> None:
        """Work out what the flow reads of every message, ahead of it."""
        self.addressed  # noqa: B018 - cached properties, all of them
        self.has_actions  # noqa: B018
        self.own_lines  # noqa: B018

    @property
    def delivered_to(self) -> list[str]:
        """The envelope's recipients, as the receiving servers wrote them (lowercase)."""
        return address_list(*(self.header(name) for name in ENVELOPE_HEADERS))

    @property
    def parent(self) -> str | None:
        """The message this one answers: In-Reply-To, else the last of References."""
        return self.in_reply_to or (self.references[-1] if self.references else None)

    @property
    def answer_references(self) -> list[str]:
        """The References of an answer to it (RFC 5322 section 3.6.4): its own, or its
        In-Reply-To where it gave none (as Outlook often does), then its Message-ID. An
        answer naming this message alone left the thread in readers that follow References."""
        earlier = self.references or ([self.in_reply_to] if self.in_reply_to else [])
        return [*earlier, self.message_id]

    @property
    def answers_another(self) -> bool:
        """A reply or a forward: its subject was written for another message ("Re:
        /schedule ..." under a thank-you), so it is no request of this one's."""
        return self.parent is not None or bool(_ANSWER_PREFIX.match(self.subject))

    @property
    def topic(self) -> str:
        """The subject without `Re:`, `Fwd:` and `[list]` tags."""
        return _SUBJECT_PREFIX.sub("", self.subject).strip()


# The name the bot's mail goes out under. Outlook's @mention, picked from the names its
# sender has mail from, writes it into the text ("@ISCG assistant who coordinates AI?")
# and puts the bot in To; its plain text may carry the link after it ("<mailto:...>").
BOT_NAME = "ISCG assistant"
_MENTION_LINK = re.compile(r"\s*<(?:mailto:)?[^<>\s]+@[^<>\s]+>")
# What may stand between `@iscg-bot` and what is said to it: the colon or comma of
# Latin keyboards, of Chinese input methods (full-width, "、"), the Arabic comma.
MENTION_PUNCTUATION = " \t:,：，、،"


@cache  # asked for every line of every list post
def mention_tokens(bot_address: str) -> tuple[str, ...]:
    """`@iscg-bot`, `@` with the bot's name (Outlook's @mention), and `@` with the local
    part of the bot's address (when it has one: a bare `@` would make every mention of
    anyone speak to the bot)."""
    local = bot_address.partition("@")[0].lower()
    named = ["@iscg-bot", "@" + BOT_NAME.lower(), *(["@" + local] if local else [])]
    return tuple(sorted(set(named)))


def addressed_line(text: str, bot_address: str) -> str | None:
    """The text after a line starting `@iscg-bot` (a list post speaking to the bot)."""
    tokens = mention_tokens(bot_address)
    lowered_text = text.lower()
    if not any(token in lowered_text for token in tokens):
        return None  # most mail never names the bot: no need to look line by line
    for line in text.splitlines():
        stripped = line.strip()
        lowered = stripped.lower()
        for token in tokens:
            if lowered.startswith(token) and (
                len(lowered) == len(token) or not lowered[len(token)].isalnum()
            ):
                said = stripped[len(token) :]
                link = _MENTION_LINK.match(said)
                return said[link.end() if link else 0 :].lstrip(MENTION_PUNCTUATION)
    return None


def request_lines(text: str, count: int) -> list[str]:
    """The first `count` lines of a text a request may be on: blank lines and the
    greeting a mail opens with ("Dear colleagues,") skipped."""
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not _SALUTATION.match(line)][:count]


def question_mark(text: str) -> bool:
    """Whether a text holds a question mark, as the members' keyboards type it."""
    return _QUESTION_MARK.search(text) is not None


def acknowledges(lines: list[str]) -> bool:
    """Request lines that only thank or acknowledge (or none at all): nothing to answer."""
    return not lines or (
        _ACKNOWLEDGEMENT.search(lines[0]) is not None
        and not any(question_mark(line) for line in lines)
    )


def action_lines(text: str) -> list[str]:
    """`ACTION: ...` and `#action ...` lines of a text (in any of the membership's
    languages, `labelled_action`), in order."""
    return [item for line in text.splitlines() if (item := labelled_action(line))]


def decode_bytes(data: bytes, charset: str | None) -> str:
    meant = _charset_meant(charset) if charset else None
    if meant in UTF8_MISLABELLED_AS and not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for candidate in (meant, *FALLBACK_CHARSETS):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, ValueError):  # ValueError: a name no codec could have
            continue
    return data.decode("latin-1")  # pragma: no cover - latin-1 decodes every byte


@lru_cache(maxsize=256)
def _charset_meant(label: str) -> str:
    """The codec a charset label means in mail (`CHARSET_MEANT`); unknown ones as given."""
    try:
        name = codecs.lookup(label.strip()).name
    except (LookupError, ValueError):  # ValueError: a name no codec could have
        return label
    return CHARSET_MEANT.get(name, name)


def decode_header_value(raw: str) -> str:
    """RFC 2047 words decoded, each with the charset fallbacks, on one line.

    8-bit text in a header (UTF-8, as RFC 6532 allows, or a legacy charset),
    which the parser hands over as surrogate escapes, is decoded first, with
    the same fallbacks. Control characters, line breaks too, become spaces:
    an encoded word can hold any (`=0D=0A`), and a subject or name carried
    into the bot's own headers with one would fail to be written. Characters
    nobody sees go (`clean_input`).
    """
    return clean_input(_CONTROLS.sub(" ", _decoded_header(raw))).strip()


def _decoded_header(raw: str) -> str:
    raw = re.sub(r"\r?\n[ \t]+", " ", raw)
    ascii_only = raw.isascii()
    if not ascii_only:
        raw = decode_bytes(raw.encode("utf-8", "surrogateescape"), None)
    if "=?" not in raw:
        return raw
    try:
        parts = decode_header(raw)
    except Exception:  # a broken encoded word: keep the text as written
        return raw
    return "".join(
        _header_chunk(chunk, charset, ascii_only) if isinstance(chunk, bytes) else chunk
        for chunk, charset in parts
    )


def _header_chunk(chunk: bytes, charset: str | None, ascii_only: bool) -> str:
    if charset is None and not ascii_only:
        # decode_header wrote the text between encoded words this way.
        return chunk.decode("raw-unicode-escape")
    return decode_bytes(chunk, charset)


def _unfolded(raw: str) -> str:
    """A header's value on one line, its text as written."""
    return re.sub(r"\r?\n[ \t]+", " ", raw).strip()


def _raw_headers(message: Message) -> dict[str, str]:
    """First occurrence of each header, decoded; those of `EVERY_OCCURRENCE` one a line,
    and the `Authentication-Results` of each trace block apart (a blank line between)."""
    found: dict[str, str] = {}
    for name, value in message.raw_items():
        key = name.lower()
        if key == "received" and "authentication-results" in found:
            results = found["authentication-results"]
            if not results.endswith(TRACE_BREAK):
                found["authentication-results"] = results + TRACE_BREAK
            continue
        text = _unfolded(str(value)) if key in WRITTEN_AS_IS else decode_header_value(str(value))
        if key in EVERY_OCCURRENCE and key in found:
            found[key] += "\n" + text
        elif key not in found:
            found[key] = text
    return found


# The identifier of a List-Id header, after any display name: "ISCG <name.domain>".
LIST_ID = re.compile(r"<([^<>\s]+)>\s*$")


def sent_as_list(headers: dict[str, str], sender: str) -> bool:
    """Whether From is the address of the list the post came through: its List-Post, or
    the address its List-Id names (Mailman's `<name.domain>` for name@domain). A list
    that rewrites From to its own address (DMARC) leaves its post no author's address."""
    if sender in address_list(headers.get("list-post", "").replace("mailto:", "")):
        return True
    list_id = LIST_ID.search(headers.get("list-id", ""))
    return list_id is not None and list_id.group(1).lower() == sender.replace("@", ".")


def address_list(*values: str) -> list[str]:
    """The addresses in header values (To, Cc, Reply-To...), lower case."""
    return list(_addresses(values))


@lru_cache(maxsize=4096)
def _addresses(values: tuple[str, ...]) -> tuple[str, ...]:
    """Remembered: list mail repeats the same To, Cc and From headers all day."""
    return tuple(addr.lower() for _, addr in getaddresses([v for v in values if v]) if "@" in addr)


_sender_address = lru_cache(maxsize=4096)(parseaddr)


def message_ids(value: str) -> list[str]:
    return _MESSAGE_ID.findall(value or "")


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset()
    if charset is None and part.get_content_type() == "text/html":
        charset = _html_charset(payload)
    return decode_bytes(payload, charset)


def _html_charset(html: bytes) -> str | None:
    """The charset an HTML body names in its own `<meta>` (`charset=...`, or http-equiv's
    content), where its Content-Type names none, as webmails and Word's HTML send it.

    Read from its start, as browsers do (Word writes its styles after the `<meta>`).
    """
    found = _META_CHARSET.search(html, 0, META_CHARSET_WITHIN)
    return found.group(1).decode("ascii") if found else None


_LINE_END = re.compile(r"\r?\n")


def unflow(text: str, delsp: bool) -> str:
    """A `format=flowed` text (RFC 3676) as its writer typed it: each paragraph one line.

    Thunderbird and Apple Mail wrap long lines at about 72 characters and mark
    the break with a trailing space; read as written, an `ACTION:` line lost
    its end ("... by 4 December" on the next line, no due date). Lines join
    only at the same quote depth (`>`); `-- ` (the signature mark) never flows.
    """
    lines: list[str] = []
    joined: list[str] = []  # the pieces of the line being joined
    depth = 0
    for line in _LINE_END.split(text):
        level = len(line) - len(line.lstrip(">"))
        content = line[level:]
        content = content[1:] if content.startswith(" ") else content  # space-stuffed
        if joined and level != depth:
            lines.append(_quoted(depth, "".join(joined)))
            joined = []
        depth = level
        flows = content.endswith(" ") and content != "-- "
        joined.append(content[:-1] if flows and delsp else content)
        if not flows:
            lines.append(_quoted(depth, "".join(joined)))
            joined = []
    if joined:
        lines.append(_quoted(depth, "".join(joined)))
    return "\n".join(lines)


def _quoted(depth: int, text: str) -> str:
    return f"{'>' * depth} {text}" if depth else text


def _bodies(message: Message) -> tuple[str, str, str | None, list[str], tuple[str, ...]]:
    """(first text/plain, first text/html, text/calendar, attachment names, content types)."""
    plain = html = ""
    calendar: str | None = None
    attachments: list[str] = []
    types: list[str] = []
    for part in _own_parts(message):
        ctype = part.get_content_type()
        types.append(ctype)
        if part.is_multipart() and part.get_content_maintype() != "message":
            continue  # its parts come next; an attached message is read as one part
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        # Only read when it can decide something: parsing the parameters is not free.
        is_text = ctype.startswith("text/")
        filename = None if is_text and disposition != "attachment" else _filename(part)
        if ctype == "text/calendar" and calendar is None:
            calendar = _part_text(part)
        elif disposition == "attachment" or (filename and not is_text):
            attachments.append(decode_header_value(filename or ctype))
        elif ctype == "text/plain" and not plain:
            plain = _part_text(part)
            if str(part.get_param("format", "")).lower() == "flowed":
                plain = unflow(plain, str(part.get_param("delsp", "")).lower() == "yes")
        elif ctype == "text/html" and not html:
            html = _part_text(part)
        elif filename := _filename(part):
            attachments.append(decode_header_value(filename))
    return plain, html, calendar, attachments, tuple(types)


def _own_parts(message: Message) -> Iterator[Message]:
    """`message.walk()` without entering an attached message (message/*).

    A forwarded mail, or a bounce passed on by a person, is something the
    sender attached: its text is not theirs, and its delivery report does not
    make their message one.
    """
    yield message
    if message.is_multipart() and message.get_content_maintype() != "message":
        for part in message.get_payload():
            yield from _own_parts(part)


def _filename(part: Message) -> str | None:
    try:
        return part.get_filename()
    except ValueError:  # an RFC 2231 name in a charset that cannot be one: shown by its type
        return None


@cache
def _reply_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The parser's patterns, built once: it would rebuild them for every message."""
    template = ReplyText(text="", languages=list(REPLY_LANGUAGES), keep_hyphen_lists=True)
    return template.HEADER_REGEX, template.DISCLAIMERS_REGEX, template.SIGNATURE_REGEX


def reply_message(text: str) -> ReplyText:
    """mail-parser-reply's view of a body, with the bot's languages and patterns."""
    header, disclaimers, signature = _reply_patterns()
    return ReplyText(
        text=text,
        languages=list(REPLY_LANGUAGES),
        keep_hyphen_lists=True,
        _header_regex=header,
        _disclaimers_regex=disclaimers,
        _signature_regex=signature,
    )


def _first_reply(message: ReplyText) -> str:
    """`message.read().replies[0].body`, without reading the replies after it.

    `read` finds every reply header of the whole text, then strips the
    signature and disclaimers of every part; the bot keeps only the first part
    with content, so headers are found one by one and the work stops there
    (a quoted thread below a short answer is most of a list post). The steps
    are `read`'s own, in its order, including how it places each header, and
    its private `_process_signatures_disclaimers`: a corpus test compares the
    two, so a version of the library that reads differently is caught. One
    difference: a text that opens with a header above a message quoted whole
    (Outlook's forward or reply with nothing typed above it) adds nothing, where
    `read` gives the quoted message: its `ACTION:` lines are someone else's,
    already recorded. Below an attribution ("Jane wrote:") with `>` lines, the
    part is kept: a bottom-posted answer follows the quote (`new_part`).
    """
    text = message.text
    current, previous = 0, ""
    for match in header_matches(message.HEADER_REGEX, text):
        for header in match.groups():
            if not header:
                continue
            position = text.find(header, current + 1 if current > 0 else current)
            content = text[current:position]
            current, before = (position if position >= 0 else 0), previous
            previous = header
            if content.strip():
                return _own_reply(message, content, before)
    return _own_reply(message, text[current:], previous)


def _own_reply(message: ReplyText, content: str, headers: str) -> str:
    """The first part with content, or nothing when it is a message quoted whole.

    `headers` above the first part with content means the text opened with them:
    nothing was typed above. Unless `>` lines follow them at once (a bottom-posted
    answer comes after those), the part is the message they head, `>` lines of
    its own included: no line of it is the sender's.
    """
    if headers and not _opens_quoted(content.removeprefix(headers)):  # the part opens with them
        return ""
    return _reply_body(message, content, headers)


def _opens_quoted(text: str) -> bool:
    """Whether the first line with text is quoted with `>`."""
    return next((line for line in text.splitlines() if line.strip()), "").lstrip().startswith(">")


def header_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for the reply-header pattern, tried where a match can start.

    Each of its alternatives starts at a line start (`^`) or a line end (`\n`,
    for "From: ... Sent: ..." blocks), so no position within a line starts one;
    trying only those halves the time to find the headers of a quoted thread.
    Nor does a line longer than any header: the library's "On ... wrote:"
    pattern takes time growing with the cube of a line's length, and anyone
    can send one line of 16 KB (9 s).
    """
    resume, newline = 0, -1
    while True:
        following = text.find("\n", newline + 1)
        line_end = len(text) if following < 0 else following
        if line_end - newline - 1 <= MAX_HEADER_LINE:
            for position in (newline, newline + 1):
                if position < resume:
                    continue
                match = pattern.match(text, position)
                if match:
                    yield match
                    resume = max(match.end(), position + 1)
        newline = following
        if newline < 0:
            return


def _reply_body(message: ReplyText, content: str, headers: str) -> str:
    disclaimers, signatures = message._process_signatures_disclaimers(content)
    return ReplyPart(
        content=content, headers=headers, signatures=signatures, disclaimers=disclaimers
    ).body


def new_part(text: str) -> str:
    """The text a message adds to its thread: no quoted reply, no signature.

    mail-parser-reply splits at the "On ... wrote:" / "From: ... Sent:" headers
    of many languages; `keep_hyphen_lists` stops it from taking a line that
    starts with `-` (a list item, an action) for a signature. Lines still
    quoted with `>`, and the attribution line just above them, are dropped after it;
    an action line is the sender's own even when it ends in ":" above a quote.
    """
    latest = _first_reply(reply_message(text))
    kept = []
    next_quoted = False  # whether the next non-blank line (below this one) is quoted
    for line in reversed(latest.splitlines()):
        quoted = line.lstrip().startswith(">")
        if not quoted and not (next_quoted and _attribution(line)):
            kept.append(line)  # else a quote, or the attribution ("... wrote:") of one
        if line.strip():
            next_quoted = quoted
    return "\n".join(reversed(kept)).strip()


def _attribution(line: str) -> bool:
    """Whether a line just above a quote introduces it ("Jane wrote:")."""
    return line.rstrip().endswith((":", "\uff1a")) and labelled_action(line) is None


def parse(raw: bytes, addresses: Addresses) -> InboundMail:
    """The message as the bot reads it; never raises.

    One it cannot read comes back `unreadable`, under a stand-in id made from
    its bytes: the flow records and ignores it, so that no mailbox is stuck
    fetching it again and again.
    """
    try:
        return _parse(raw, addresses)
    except Exception as exc:
        why = f"{type(exc).__name__}: {exc}".encode("utf-8", "replace").decode("utf-8")
        return InboundMail(
            message_id=_stand_in_id(raw),
            sender="",
            sender_name="",
            recipients=[],
            subject="",
            in_reply_to=None,
            references=[],
            plain="",
            html="",
            unreadable=why,
        )


def _author(
    headers: dict[str, str],
    name: str,
    list_address: str,
    addresses: Addresses,
    wrapped: Message | None,
) -> tuple[str, str]:
    """(name, address) of whoever wrote a post a list (ours, or another the bot is
    copied through) sent under its own address.

    DMARC rewriting: the list writes "Jane via int-sect-group <list@...>" and
    keeps Jane's address in X-Original-From, or the From of the post it
    wrapped whole, or Reply-To, or, when it points Reply-To at itself
    (Mailman 3), in Cc: the first of these naming one address that is neither
    the list's nor the bot's. Only the list's own From is read this way:
    anyone can put "via" in a name and any address in Reply-To. Where none
    names one, the list stays the sender (never answered: the answer would reach
    every member of it).
    """
    name = name.rsplit(" via ", 1)[0].strip()
    inner = decode_header_value(str(wrapped.get("From") or "")) if wrapped is not None else ""
    for value in (
        headers.get("x-original-from"),
        inner,
        headers.get("reply-to"),
        headers.get("cc"),
    ):
        found = [a for a in address_list(value or "") if a not in (*addresses, list_address)]
        if len(found) == 1:
            return name, found[0]
    return name, list_address


def _wrapped(message: Message) -> Message | None:
    """The post a list wrapped whole in a message of its own (Mailman's DMARC "wrap
    message": a message/rfc822 part, after an optional note from the list)."""
    ctype = message.get_content_type()
    parts = [message] if ctype == "message/rfc822" else []
    if ctype == "multipart/mixed" and isinstance(message.get_payload(), list):
        parts = message.get_payload()
    for part in parts:
        inner = part.get_payload() if part.get_content_type() == "message/rfc822" else None
        if isinstance(inner, list) and inner:
            return inner[0]
    return None


def _stand_in_id(raw: bytes) -> str:
    """A stable Message-ID for a message without one, so a redelivery is still recognised."""
    return f"<sha256.{hashlib.sha256(raw).hexdigest()[:32]}@missing-message-id>"


def _parse(raw: bytes, addresses: Addresses) -> InboundMail:
    message = email.message_from_bytes(raw, policy=MAIL_POLICY)
    headers = _raw_headers(message)
    name, sender = _sender_address(headers.get("from", ""))
    sender = sender.lower()
    body = message
    if sender and (sender == addresses.list_address or sent_as_list(headers, sender)):
        wrapped = _wrapped(message)
        name, sender = _author(headers, name, sender, addresses, wrapped)
        body = message if wrapped is None else wrapped  # read, not listed as an attachment
    plain, html, calendar, attachments, content_types = _bodies(body)
    message_ids_given = message_ids(headers.get("message-id", ""))
    return InboundMail(
        message_id=message_ids_given[0] if message_ids_given else _stand_in_id(raw),
        sender=sender,
        sender_name=name or sender.partition("@")[0],
        recipients=address_list(headers.get("to", ""), headers.get("cc", "")),
        subject=headers.get("subject", ""),
        in_reply_to=next(iter(message_ids(headers.get("in-reply-to", ""))), None),
        references=message_ids(headers.get("references", "")),
        plain=plain,
        html=html,
        calendar=calendar,
        attachments=attachments,
        headers=headers,
        content_types=content_types,
        bot_address=addresses.bot_address,
    )
