"""One inbound message, start to finish: decide, act, answer, mark it handled.

Both ways in (a mailbox over IMAP, an MTA delivering over SMTP) call
`MailFlow.handle` with the raw bytes and acknowledge the message only after it
returns: the answer and the "handled" mark commit in one transaction, after
the command's own effects, so a restart neither loses a message nor answers
it twice (a redelivered Message-ID is recognised and skipped).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace

import aiosqlite

from bot import mailcalendar, mailpolicy
from bot.core import Command, Context, Reply, Role, role_phrase
from bot.mailbuild import reply_html, reply_subject
from bot.mailparse import InboundMail, parse
from bot.outgoing import queue_email
from bot.services import Services
from storage import mail as mail_store
from storage import minutes

log = logging.getLogger(__name__)

RATE_WINDOW = dt.timedelta(hours=1)
FIRST_LINES = 3  # lines of the body read, after the subject, for a command


@dataclass(frozen=True)
class Outcome:
    """What became of a message (stored, and returned to the caller for its log)."""

    text: str
    queued: bool = False  # something was put in the outbox: wake the dispatcher


class MailFlow:
    def __init__(self, services: Services) -> None:
        self.services = services

    @property
    def bot_address(self) -> str:
        return self.services.settings.bot_address.lower()

    async def handle(self, raw: bytes, source: str) -> Outcome:
        mail = parse(raw)
        db = self.services.db
        async with db.read() as conn:
            if await mail_store.get(conn, mail.message_id) is not None:
                return Outcome("duplicate")
            own_id = await mail_store.is_own_message_id(conn, mail.message_id)
            root = await self._thread_root(conn, mail)
            channel, linked = await self._channel(conn, root)
        answers = self._calendar_answers(mail, own_id)
        if answers:
            outcome, reply = "calendar answer", None
        else:
            outcome, reply = await self._decide(mail, own_id, channel, linked)
        async with db.transaction() as conn:
            if not await mail_store.record(
                conn,
                message_id=mail.message_id,
                thread_root=root,
                sender=mail.sender,
                subject=mail.subject,
                source=source,
                outcome=outcome,
                now=self.services.now(),
            ):
                return Outcome("duplicate")
            if answers:
                outcome = await self._record_answers(conn, answers)
                await mail_store.set_outcome(conn, mail.message_id, outcome)
            queued = reply is not None and await self._answer(conn, mail, reply)
            if reply is not None and not queued:
                outcome = "limited"
                await mail_store.set_outcome(conn, mail.message_id, outcome)
        log.info("mail %s from %s: %s", mail.message_id, mail.sender, outcome)
        return Outcome(outcome, queued)

    async def _thread_root(self, conn: aiosqlite.Connection, mail: InboundMail) -> str:
        """Thread by In-Reply-To, then References; a known parent gives its own root."""
        parent = mail.parent
        if parent is None:
            return mail.message_id
        known = await mail_store.thread_root_of(conn, parent)
        return known or (mail.references[0] if mail.references else parent)

    async def _channel(self, conn: aiosqlite.Connection, root: str) -> tuple[str, bool]:
        """Where a thread speaks: its own channel, or a running meeting's it is linked to.

        A thread that started with the bot's invitation or list announcement of
        a scheduled meeting feeds the minutes of that meeting while they run,
        wherever they were started (True: linked).
        """
        meeting_id = await mail_store.meeting_of_message_id(conn, root)
        if meeting_id is not None:
            running = await minutes.running_for_scheduled(conn, str(meeting_id))
            if running is not None:
                return running.channel, True
        return f"email:{root}", False

    async def _decide(
        self, mail: InboundMail, own_id: bool, channel: str, linked: bool
    ) -> tuple[str, Reply | None]:
        settings = self.services.settings
        if mailpolicy.is_own(mail, self.bot_address, own_id):
            return "ignored: the bot's own mail", None
        reason = mailpolicy.automatic_reason(mail, self.bot_address)
        if reason:
            return f"ignored: {reason}", None
        ctx = await self.services.context_for(
            f"email:{mail.sender}",
            mail.sender_name,
            channel,
            message_id=mail.message_id,
        )
        minuted = linked or mailpolicy.is_list_post(mail, settings.list_address)
        if minuted:
            await self._record_lines(ctx, mail)
        spoken = mailpolicy.addressed_line(mail.reply_text, self.bot_address)
        direct = self.bot_address in mail.recipients
        if spoken is None and not direct:
            if minuted:
                return "recorded", None
            return "ignored: not addressed to the bot", None
        candidates = [spoken] if spoken is not None else self._candidates(mail)
        text = self._command_text(candidates)
        if text is None:
            if minuted and spoken is None:  # a reply with the bot in copy, not to it
                return "recorded", None
            text = candidates[0] if candidates else ""
        if await self._rate_limited(mail.sender):
            return "limited", Reply(text="")
        refusal = self._refusal(ctx, mail, text)
        reply = refusal or await self.services.ask(ctx, text) or Reply(text="(recorded)")
        return ("refused" if refusal else "answered"), reply

    def _candidates(self, mail: InboundMail) -> list[str]:
        lines = [line.strip() for line in mail.reply_text.splitlines() if line.strip()]
        return [*lines[:FIRST_LINES], mail.topic]

    def _command_text(self, candidates: list[str]) -> str | None:
        """The first candidate that reads as a command or a known question."""
        registry = self.services.registry
        for text in candidates:
            if not text:
                continue
            if text.startswith("/") or registry.find(text)[0] is not None:
                return text
            if registry.match_question(text) is not None:
                return text
        return None

    def _command_of(self, text: str) -> Command | None:
        registry = self.services.registry
        body = text.lstrip("/")
        command, _ = registry.find(body)
        if command is None and not text.startswith("/"):
            question = registry.match_question(text)
            if question is not None:
                command, _ = registry.find(question)
        return command

    def _refusal(self, ctx: Context, mail: InboundMail, text: str) -> Reply | None:
        """Commands that change shared state need a chair's authenticated mail.

        Only a chair, even where chat lets the secretariat do it: a From header
        is easy to forge, so mail is trusted for the fewest people.
        """
        command = self._command_of(text)
        if command is None or command.role <= Role.MEMBER:
            return None
        needed = Role.CHAIR
        authentic = mailpolicy.authenticated(mail, self.services.settings.authserv_id)
        if authentic and ctx.role >= needed:
            return None
        name = command.name
        why = (
            f"your address is not recorded as a {role_phrase(needed)}"
            if authentic
            else "this message carries no passing DKIM or DMARC result from our mail server"
        )
        return Reply(
            text=f"/{name} changes what everyone sees, so by e-mail it is accepted only from "
            f"a {role_phrase(needed)} whose mail is authenticated, and {why}.\n\n"
            f"Do it in Slack or Discord instead: type /{name} there, or ask the secretariat "
            "(iscg@itu.int).",
            error=True,
        )

    async def _rate_limited(self, sender: str) -> bool:
        """True once the sender had every answer and the notice this hour."""
        since = self.services.now() - RATE_WINDOW
        async with self.services.db.read() as conn:
            count = await mail_store.answers_since(conn, sender, since)
        return count >= self.services.settings.mail_rate_limit

    async def _answer(self, conn: aiosqlite.Connection, mail: InboundMail, reply: Reply) -> bool:
        """Queue the answer (or the one "limit reached" notice); False when silent."""
        settings, now = self.services.settings, self.services.now()
        count = await mail_store.answers_since(conn, mail.sender, now - RATE_WINDOW)
        limit = settings.mail_rate_limit
        if count > limit:
            return False
        notice = count == limit
        if notice:
            reply = Reply(
                text=f"You have had {limit} answers from the ISCG assistant in the last hour, "
                "the most it sends to one address. It will read your mail again in an hour; "
                "until then it does not answer. In chat (Slack, Discord) there is no such limit."
            )
        await queue_email(
            conn,
            bot_address=settings.bot_address,
            to=[mail.sender],
            subject=reply_subject(mail.subject),
            text=reply.text,
            html=reply_html(reply),
            attachments=reply.attachments,
            kind="mail-notice" if notice else "mail-reply",
            now=now,
            dedupe_key=f"mail-reply:{mail.message_id}",
            auto_submitted="auto-replied",
            in_reply_to=mail.message_id,
            references=[*mail.references, mail.message_id],
        )
        await mail_store.add_answer(conn, mail.sender, now, notice=notice)
        return True

    async def _record_lines(self, ctx: Context, mail: InboundMail) -> None:
        """Minutes and action items from a list post's own lines (never quoted text).

        Every line goes to the line hooks (a thread linked to a meeting feeds its
        minutes); an `ACTION:` line no hook took becomes an action item. Each
        line gets its own message id (`<id>#L3`): the minutes take one item per
        message id, so with the mail's own id only its first line would count.
        """
        actions = set(mailpolicy.action_lines(mail.reply_text))
        action_command = "action" in self.services.registry.commands
        for number, line in enumerate(mail.reply_text.splitlines(), 1):
            line = line.strip()
            ctx = replace(ctx, message_id=f"{mail.message_id}#L{number}")
            if (
                not line
                or line.startswith("/")
                or mailpolicy.addressed_line(line, self.bot_address)
            ):
                continue
            item = mailpolicy.action_lines(line)
            hook_line = f"#action {item[0]}" if item else line
            taken = await self.services.ask(ctx, hook_line, addressed=False)
            if taken is not None:  # a meeting runs in this thread: its minutes took it
                continue
            if item and item[0] in actions and action_command:
                await self.services.dispatcher.run_text(ctx, f"action {item[0]}")
            elif item:
                log.info("ACTION line from %s not recorded: no /action command", ctx.identity)

    def _calendar_answers(self, mail: InboundMail, own_id: bool) -> list[mailcalendar.Answer]:
        """The iMIP answers a person's mail carries (never the bot's own or a machine's)."""
        if not mail.calendar or mailpolicy.is_own(mail, self.bot_address, own_id):
            return []
        if mailpolicy.automatic_reason(mail, self.bot_address):
            return []
        return mailcalendar.replies(mail.calendar)

    async def _record_answers(
        self, conn: aiosqlite.Connection, answers: list[mailcalendar.Answer]
    ) -> str:
        now = self.services.now()
        stored = [await mailcalendar.record(conn, answer, now) for answer in answers]
        summary = ", ".join(f"{a.email} {a.partstat.lower()}" for a in answers)
        return f"calendar answer: {summary}" + ("" if all(stored) else " (not recorded)")
