"""What the bot may do with a message: the rules that keep a list bot from looping.

A list bot that answers an auto-reply, a bounce, or its own post echoed back
by the list can flood hundreds of inboxes; every such rule is here, as pure
functions of the parsed message, so each is tested on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses

from bot import mailcalendar
from bot.mailparse import LIST_ID, TRACE_BREAK, InboundMail, address_list, sent_as_list
from bot.textclean import WORD_JOINER

# Senders no person reads: mail systems, and the no-reply addresses of notices
# (a spam filter's "message blocked", a helpdesk's receipt), where an answer is
# lost or, worse, answered in turn.
AUTOMATIC_LOCAL_PARTS = frozenset(
    [
        "mailer-daemon",
        "mail-daemon",
        "maildaemon",
        "postmaster",
        "noreply",
        "no-reply",
        "no_reply",
        "donotreply",
        "do-not-reply",
        "do_not_reply",
        "sympa",
        "listserv",
        "majordomo",
        "listmaster",
    ]
)
# What may follow such a name in a sender's local part: a tag ("noreply+ticket-4711"),
# or words naming the service ("no-reply-notifications", "noreply.calendar").
_NAME_ENDS = ("+", "-", "_", ".")
# A list server's own addresses (Mailman 2 and 3, Sympa). Mail to some of them is
# a command: an answer to Mailman 3's "-confirm+<token>" confirms the request it
# came with, were it someone's web request to unsubscribe the bot.
AUTOMATIC_SUFFIXES = (
    "-bounces",
    "-request",
    "-owner",
    "-confirm",
    "-join",
    "-leave",
    "-subscribe",
    "-unsubscribe",
)
# Precedence values that mark mail as a machine's (RFC 3834 section 2, and
# what vacation programs write in place of Auto-Submitted).
AUTOMATIC_PRECEDENCE = frozenset(["auto_reply", "junk", "bulk", "list"])
# Of those, the marks a mailing list puts on every post it sends (Mailman and
# Sympa write `list`, older list servers `bulk`): they say nothing of the post's author.
LIST_PRECEDENCE = frozenset(["bulk", "list"])
# Auto-responders that write neither Auto-Submitted nor Precedence write one of these.
AUTORESPONDER_HEADERS = ("x-autoreply", "x-autorespond")
# The subject a delivery failure opens with when it comes as plain mail, not as a
# multipart/report, and its sender is no mailer-daemon (a spam filter's notice, an
# old Exchange or Domino server, in the members' languages): its text quotes the
# bot's answer, and answering that would start a loop.
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(?:undeliverable|undelivered mail|delivery (?:status notification|failure|has failed)"
    r"|mail delivery (?:failed|failure)|returned mail|failure notice|message (?:you sent )?blocked"
    r"|non remis|non distribuable|no se puede entregar|no entregado|unzustellbar"
    r"|не доставлено|недоставленное сообщение|无法送达|无法投递|未送达"
    r"|لا يمكن التسليم|تعذر التسليم)\b",
    re.I,
)
# The subject an out-of-office answer opens with, as mail clients write it in the
# members' languages (Outlook's, older Exchange's, Lotus Notes'). An Outlook rule
# ("reply using a specific template") or a server that strips headers sends it
# with no mark at all: its text ("Je suis absente du bureau") is no question.
_AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(?:automatic reply|auto(?:matic)?[- ]?response|autoreply|out of (?:the )?office"
    r"(?: autoreply)?|réponse automatique|absence du bureau|respuesta automática"
    r"|fuera de la oficina|automatische antwort|abwesenheitsnotiz|автоматический ответ"
    r"|自动回复|自動回覆|自动答复|رد تلقائي|الرد التلقائي)\s*(?:[:：]|$)",
    re.I,
)
# Outlook's "Recall This Message", as it reaches a mailbox outside the sender's Exchange:
# a message of its own, "Recall: <subject>" (in the sender's language), saying that
# "Jane Doe would like to recall the message". Both must hold: "Rappel :" is also how
# a French reminder opens, and a reminder posted to the list may hold action items.
_RECALL_SUBJECT = re.compile(
    r"^\s*(?:recall|rappel|recuperar|rückruf|отзыв|撤回|召回|استدعاء)\s*[:：]", re.I
)
_RECALL_BODY = re.compile(
    r"\b(?:would like to recall|souhaite rappeler|desea recuperar|möchte .{1,300} zurückrufen"
    r"|хочет отозвать)\b|(?:想|希望)(?:撤回|召回)|يرغب .{1,300} استدعاء",
    re.I | re.S,
)
MAX_RECALL_TEXT = 2_000  # a recall's text is one sentence, the recalled subject in it
# Words that Mailman, Sympa and LISTSERV take as administrative requests when
# a subject or a body's first line begins with them; such a post is held.
ADMINISTRIVIA = frozenset(
    [
        "add",
        "confirm",
        "del",
        "end",
        "help",
        "index",
        "info",
        "join",
        "leave",
        "list",
        "lists",
        "options",
        "password",
        "query",
        "remove",
        "review",
        "set",
        "sign",
        "signoff",
        "stop",
        "sub",
        "subscribe",
        "unsub",
        "unsubscribe",
        "which",
        "who",
    ]
)
# Lines, blank ones aside, that Mailman 3 reads for commands (`email_commands_max_lines`).
COMMAND_LINES_READ = 10
# A result opens a resinfo (RFC 8601: ";" method "=" result), and a property is a word of
# its own: our server copies an envelope sender into its header, and one written
# "dkim=pass.header.d=x@example.org" (every character allowed unquoted) read, anywhere in
# the text, as a passing DKIM result for the chair's domain.
_RESULT = re.compile(r"(?:^|;)\s*(dkim|dmarc)\s*=\s*([a-z]+)\b(?P<props>[^;]*)", re.I)
_PROPERTY = re.compile(r"(?:^|\s)header\.(d|i|from)\s*=\s*([^\s;()]+)", re.I)


@dataclass(frozen=True)
class Verdict:
    """Whether to act on a message at all, and if not, why (logged and stored)."""

    act: bool
    reason: str = ""


def _local_part(address: str) -> str:
    return address.partition("@")[0].lower()


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower().rstrip(".")


def _uncommented(value: str) -> str:
    """A header's value without its comments, which RFC 5322 lets stand between any words,
    and without the text of its quoted strings ("" is left): a server copies into its
    Authentication-Results what the sender wrote, a quoted envelope sender too, where
    `"dkim=pass header.d=example.org x"@evil.example` would read as a passing result.

    One pass over the text, counting depth: comments nest, and anyone can send
    a header of thousands of them. Inside either, a backslash quotes the next
    character; a "(" inside quotes opens no comment.
    """
    if "(" not in value and '"' not in value:
        return value
    kept, depth, quoted, escaped = [], 0, False, False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\" and (quoted or depth):
            escaped = True
        elif quoted:
            quoted = char != '"'
            if not quoted:
                kept.append('""')
        elif char == '"' and not depth:
            quoted = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif not depth:
            kept.append(char)
    return "".join(kept)


def _keyword(value: str) -> str:
    """A header's keyword, lowercase: RFC 3834 lets comments stand around `no`."""
    words = _uncommented(value).split(";")[0].split()
    return words[0].lower() if words else ""


def is_own(mail: InboundMail, bot_address: str, own_message_id: bool) -> bool:
    """Mail the bot wrote: From its address, or carrying a Message-ID it made."""
    return mail.sender == bot_address.lower() or own_message_id


def automatic_reason(mail: InboundMail, bot_address: str, list_address: str) -> str | None:
    """Why the message was written by a machine (never answer it), or None."""
    auto = _keyword(mail.header("auto-submitted"))
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    marked = _autoresponder_mark(mail, list_address)
    if marked:
        return marked
    if "return-path" in mail.headers and mail.header("return-path").strip() in ("<>", ""):
        return "empty Return-Path (a bounce)"
    local = _local_part(mail.sender)
    if not mail.sender or _automatic_name(local):
        return f"automatic sender {mail.sender or '(none)'}"
    base = local.split("+", 1)[0]
    if base.endswith(AUTOMATIC_SUFFIXES):
        return f"list machinery sender {mail.sender}"
    for ctype in mail.content_types:
        if ctype in ("multipart/report", "message/delivery-status"):
            return f"{ctype} (a delivery report)"
    by_subject = _subject_mark(mail.subject)
    if by_subject:
        return by_subject
    if _RECALL_SUBJECT.match(mail.subject) and _RECALL_BODY.search(mail.text[:MAX_RECALL_TEXT]):
        return "an Outlook message recall"
    suppress = {w.strip().lower() for w in mail.header("x-auto-response-suppress").split(",")}
    if suppress & {"all", "oof"}:
        return "X-Auto-Response-Suppress asks for no auto-reply"
    # Exactly: another bot's address may contain this one's ("other-iscg-bot@...").
    loop = mail.header("x-loop")  # most mail has none: no address parsing for it
    looped = getaddresses(loop.split("\n")) if loop else []
    if bot_address.lower() in {address.lower() for _, address in looped}:
        return "X-Loop names the bot"
    return None


def _automatic_name(local: str) -> bool:
    """A local part naming a mail system or a no-reply service, alone or with a tag or
    more words after it: a helpdesk's "noreply+ticket-4711" acknowledging the bot's
    answer would otherwise be answered in turn, each hour up to the limit."""
    return local in AUTOMATIC_LOCAL_PARTS or any(
        local.startswith(name) and local[len(name) : len(name) + 1] in _NAME_ENDS
        for name in AUTOMATIC_LOCAL_PARTS
    )


def calendar_program(mail: InboundMail, bot_address: str) -> str | None:
    """What a calendar program's message is, when the bot takes nothing from its
    calendar (someone's own invitation, a REFRESH), or None.

    Apart from `automatic_reason`: a person sent it, and a list post's action
    lines are recorded whatever else it carries.
    """
    method = mailcalendar.not_taken(mail.calendar, bot_address) if mail.calendar else None
    return f"a calendar program's {method}" if method else None


def _autoresponder_mark(mail: InboundMail, list_address: str) -> str | None:
    """The Precedence or X-Autoreply header an auto-responder wrote, or None.

    Many vacation programs (and bulk senders) mark their mail only this way.
    A post of the group's list carries the list's own `Precedence: list` (or
    `bulk`), and is read as any post (`is_list_post`): it may speak to the bot.
    Mail that comes straight to the bot with one is a newsletter's or another
    list's machine.
    """
    precedence = _keyword(mail.header("precedence"))
    if precedence in AUTOMATIC_PRECEDENCE and not (
        precedence in LIST_PRECEDENCE and is_list_post(mail, list_address)
    ):
        return f"Precedence: {precedence}"
    for name in AUTORESPONDER_HEADERS:
        if name in mail.headers:
            return f"{name.title()} (an auto-reply)"
    return None


def _subject_mark(subject: str) -> str | None:
    """What an automatic message's subject says it is, when nothing else does."""
    if _AUTO_REPLY_SUBJECT.match(subject):
        return "an out-of-office subject (an auto-reply)"
    if _BOUNCE_SUBJECT.match(subject):
        return "a delivery failure's subject (a bounce)"
    return None


def is_list_post(mail: InboundMail, list_address: str) -> bool:
    """A post of the group's list: it names the list among its recipients or, come
    through an alias, in its List-Id (Mailman writes `<name.domain>`). Another list's
    post reaching the bot's mailbox (TSAG's) is no post of the group: its ACTION lines
    are that group's."""
    ours = list_address.lower()
    list_id = LIST_ID.search(mail.header("list-id"))
    return ours in mail.recipients or (
        list_id is not None and list_id.group(1).lower() == ours.replace("@", ".")
    )


def sent_to_bot(mail: InboundMail, bot_address: str, list_address: str) -> bool:
    """Mail its sender sent to the bot: in To or Cc, or in Bcc, which only the envelope
    shows (`delivered_to`). Not a list post in Bcc, ours or another list's: every post
    reaches the bot by its envelope, so only its To or Cc (or an `@iscg-bot` line)
    speaks to it."""
    bot = bot_address.lower()
    if bot in mail.recipients:
        return True
    through_a_list = bool(mail.header("list-id")) or is_list_post(mail, list_address)
    return bot in mail.delivered_to and not through_a_list


def only_copied(mail: InboundMail, bot_address: str) -> bool:
    """Mail to someone else that the bot is in Cc or Bcc of (kept there by every Reply All).

    Not in To, and To or Cc names someone but its sender: a member who sends to
    themselves (or to no one) with the bot in Bcc writes to the bot alone.
    """
    bot = bot_address.lower()
    if bot in address_list(mail.header("to")):
        return False
    return bot in mail.recipients or any(a != mail.sender for a in mail.recipients)


def unknown_author(mail: InboundMail, list_address: str) -> str | None:
    """Why a message has no author to answer, or None.

    `parse` finds who wrote a post the list rewrote to its own address; where
    no header named one person, the list is left as the sender, and an answer
    "to the sender only" would go to every member.
    """
    if mail.sender == list_address.lower() or sent_as_list(mail.headers, mail.sender):
        return "its author is unknown (From is the list's address, no header names one person)"
    return None


def resent_as_list(mail: InboundMail) -> bool:
    """A post whose From the list rewrote to its own address (DMARC), its author read
    from other headers (`parse`): its signature, if any, is the list's."""
    return bool(mail.sender) and mail.sender not in address_list(mail.header("from"))


def authenticated(mail: InboundMail, authserv_id: str | None) -> bool:
    """A passing DKIM or DMARC result, aligned with the sender's domain, from our server.

    Only the `Authentication-Results` written by the receiving server (its
    authserv-id) counts: anyone can write the header into the mail they send.
    The results prove the From header's domain alone: an author `parse` read from
    another header of a list's rewritten post (X-Original-From, Reply-To) is unproven,
    as anyone can write those, and a List-Post naming their own From, too.
    """
    if not authserv_id or not mail.sender:
        return False
    if resent_as_list(mail):
        return False
    sender_domain = _domain(mail.sender)
    results = _first_reports(_our_results(mail, authserv_id))
    if any(method == "dmarc" and result == "fail" for method, result, _ in results):
        return False  # the domain's own policy: no aligned signature passed
    for _method, result, props in results:
        if result != "pass":
            continue
        domains = [value.rpartition("@")[2].lower() for _, value in _PROPERTY.findall(props)]
        if any(_aligned(sender_domain, d) for d in domains):
            return True
    return False


def _our_results(mail: InboundMail, authserv_id: str) -> list[str]:
    """The results in each header with our server's id in the topmost trace block
    holding one, top first (none when there is none).

    A receiving server's filters may each add a header (OpenDKIM's "dkim=pass",
    OpenDMARC's "dmarc=none" above it), all above the Received header the server
    writes as it takes the mail. One with our id below that Received came with the
    mail: the sender wrote it. Beyond that, the bot assumes what RFC 8601 section 5
    asks of the server: that it removes headers claiming its id from incoming mail
    (a server that wrote none of its own would otherwise leave a forged one on top).
    """
    for block in mail.header("authentication-results").split(TRACE_BREAK * 2):
        ours = [
            results
            for server, results in map(_split_result, block.split("\n"))
            if server.lower() == authserv_id.lower()
        ]
        if ours:
            return ours
    return []


def _first_reports(headers: list[str]) -> list[tuple[str, str, str]]:
    """(method, result, properties) of each method, from the topmost header reporting it.

    Each of our server's filters reports its own method (OpenDKIM "dkim", OpenDMARC
    "dmarc"). A server that writes its one header under its own Received (Gmail's
    mx.google.com does) is followed by the sender's headers with no Received between:
    a forger's "dkim=pass" there, under the server's "dkim=none", is no answer of it.
    """
    reported: set[str] = set()
    found: list[tuple[str, str, str]] = []
    for header in headers:
        results = [(m.lower(), r.lower(), props) for m, r, props in _RESULT.findall(header)]
        found += [result for result in results if result[0] not in reported]
        reported.update(method for method, _, _ in results)
    return found


def _split_result(header: str) -> tuple[str, str]:
    """(authserv-id, results) of one `Authentication-Results` header."""
    # Comments may hold a ";" (OpenDKIM's "dkim=pass (2048-bit key; unprotected)
    # header.d=..."), which would end the result before its domain.
    server, _, results = _uncommented(header).partition(";")
    words = server.split()
    return (words[0] if words else ""), results


def _aligned(sender_domain: str, signer: str) -> bool:
    signer = signer.strip().rstrip(".").lower()
    return bool(signer) and (sender_domain == signer or sender_domain.endswith("." + signer))


def starts_with_command_word(text: str) -> bool:
    for line in text.splitlines():
        if line.strip():
            first = re.split(r"[\s:,.!?]+", line.strip(), maxsplit=1)[0].lower()
            return first.lstrip("/") in ADMINISTRIVIA
    return False


def list_safe(text: str, prefix: str = "ISCG assistant: ") -> str:
    """Text for the list that no list server takes for an administrative request.

    Mailman 3 reads not only the first line but the first ten that are not blank:
    a meeting called "Set up call" (its announcement's second line, "Set up call
    (m2)") or a topic "Set up the agenda" in the minutes had the bot's post held
    as a "set" command. The first line takes the prefix, which reads as the bot
    speaking; a later one (a title, a topic, where a prefix would garble the
    layout) opens with an invisible word joiner, so its first word is no command.
    """
    lines = text.splitlines(keepends=True)
    read = 0
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        if starts_with_command_word(line):
            stripped = line.lstrip()
            lead = prefix if read == 0 else WORD_JOINER
            lines[number] = line[: len(line) - len(stripped)] + lead + stripped
        read += 1
        if read == COMMAND_LINES_READ:
            break
    return "".join(lines)
