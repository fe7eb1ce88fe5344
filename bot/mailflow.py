"""Inbound messages, start to finish: decide, act, answer, mark them handled.

Both ways in (a mailbox over IMAP, an MTA delivering over SMTP) call
`MailFlow.handle_many` with the raw messages they have and acknowledge each
only once its outcome came back: by then its effects, its answer and its
"handled" mark are committed, so a restart neither loses a message nor
answers it twice (a redelivered Message-ID is recognised and skipped). A
command's own effects commit before its answer; the message is marked running
first, so a redelivery after a crash in between never carries it out twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import NamedTuple

import aiosqlite
from pydantic import ValidationError

from bot import actions as action_items
from bot import mailcalendar, mailpolicy, meetings
from bot.core import Command, Context, Reply, Role, UserError, as_read, role_phrase
from bot.mailbuild import reply_html, reply_subject
from bot.mailparse import (
    Addresses,
    InboundMail,
    acknowledges,
    address_list,
    question_mark,
    request_lines,
)
from bot.mailreader import MailReader
from bot.meetingroom import channel_message_key
from bot.outgoing import queue_email
from bot.services import Services
from bot.timeparse import GENEVA, date_text, utc_text
from storage import actions as stored_actions
from storage import mail as mail_store
from storage import meetings as meetings_store
from storage import minutes, people, revisions
from storage.actions import NewAction
from storage.db import DatabaseError, together
from storage.people import Person

log = logging.getLogger(__name__)

RATE_WINDOW = dt.timedelta(hours=1)
# A message that fails again after failing this often, over at least this long, is
# recorded as failed and acknowledged: it would otherwise come back forever (over
# IMAP, at the cost of a reconnect each time). Recording it needs a working
# database, so a fault of the database itself (a full disk) costs no mail.
GIVE_UP_AFTER = 5
GIVE_UP_SPAN = dt.timedelta(minutes=10)
FAILURES_KEPT = 1_000  # messages whose failures are counted (the oldest are forgotten)
FIRST_LINES = 3  # lines of the body read for a command, before the subject
MEETING_PLACE_COMMANDS = frozenset({"meeting start"})  # make where they are said a meeting
# Messages whose facts one read asks for, at most: a batch that stops early (at a
# command) leaves them to be read again by the next, and a whole delivery each
# time would cost the square of its length.
FACTS_AHEAD = 20
# How long a batch waits, holding the database, for the reader's next chunk; past
# that it commits and waits without (a worker that is starting takes a second).
CHUNK_PATIENCE = 0.1  # seconds
# What the flow's memory of senders and action lookups depends on (migration 0090).
DIRECTORY_REVISIONS = ("people", "sessions")


@dataclass(frozen=True)
class Outcome:
    """What became of a message (stored, and returned to the caller for its log)."""

    text: str
    queued: bool = False  # something was put in the outbox: wake the dispatcher


@dataclass(frozen=True)
class _Facts:
    """What the database says about a message before anything is decided."""

    own_id: bool  # a Message-ID the bot made
    root: str  # its thread's first message
    channel: str
    linked: bool  # the thread feeds a running meeting's minutes
    interrupted: str | None = None  # the command the bot stopped in, on an earlier delivery
    # The sender, when a batch stopped at the message (read in its transaction).
    sender: Person | None = None
    # The sender's answers this hour, when that batch read them too (see `_ask`).
    answered: mail_store.Answered | None = None
    meeting_id: int | None = None  # the meeting the bot's mail at the thread's root was about


@dataclass
class _Directory:
    """People and sessions as the flow last read them, good while `mark` holds.

    Reading them again for every transaction (every known person, for the
    owners of an ACTION line) cost more than the mail itself.
    """

    mark: tuple[int, ...]
    senders: dict[str, Person] = field(default_factory=dict)  # by identity
    lookups: action_items.Lookups | None = None  # for reading ACTION lines

    def grown(
        self, mark: tuple[int, ...], identity: str, person: Person, display: str
    ) -> _Directory:
        """The directory with a sender `people.ensure` just met, good at `mark`."""
        lookups = self.lookups and self.lookups.with_person(person, identity, display, mark)
        return _Directory(mark, dict(self.senders), lookups)


@dataclass
class _Batch:
    """One transaction over several messages, and what its messages share."""

    conn: aiosqlite.Connection
    # The directory, once checked in this transaction (again after a new sender).
    directory: _Directory | None = None
    # What the database said about each message of the batch (by position), asked a
    # stretch at a time (`_ask`): only the batch itself writes until it commits.
    known: dict[int, mail_store.ThreadFacts] = field(default_factory=dict)
    # The answers this hour of each sender who may speak to the bot, with the batch's own.
    answered: dict[str, mail_store.Answered] = field(default_factory=dict)
    # Handled messages, written together before the commit (by Message-ID:
    # later messages of the batch find their duplicates and thread roots here),
    # and the meeting each thread root of the batch is linked to.
    handled: dict[str, tuple[mail_store.MailRecord, dt.datetime]] = field(default_factory=dict)
    meetings: dict[str, int | None] = field(default_factory=dict)
    # Action items of the batch's posts, inserted together before the commit, numbered
    # from the id the batch read first: nothing else adds items in its transaction.
    actions: list[NewAction] = field(default_factory=list)
    next_action_id: int = 1

    async def insert_actions(self) -> None:
        """The action items held back so far, inserted now: a command is about to read."""
        if self.actions:
            await stored_actions.add(self.conn, self.actions)
            self.next_action_id += len(self.actions)
            self.actions = []

    async def write(self) -> None:
        """What the batch holds back: its action items and its handled marks."""
        await together(
            stored_actions.add(self.conn, self.actions),
            mail_store.record_many(self.conn, list(self.handled.values())),
        )


class _Verdict(NamedTuple):
    """What was decided for a message."""

    outcome: str
    reply: Reply | None = None
    changed: bool = False  # a command that changes shared state was carried out


class _Asked(NamedTuple):
    """What a message asks the bot to run: a command or a question."""

    text: str
    changing: str | None  # its command's name, when that may change what is stored


@dataclass(frozen=True)
class _Decided:
    """A message the full path decided on: its mark and answer, written by `_settle`."""

    index: int  # its position in the delivery
    mail: InboundMail
    record: mail_store.MailRecord
    answers: list[mailcalendar.Answer]  # the iMIP answers it carries
    reply: Reply | None
    # Its command changed shared state and left it marked running: written at once,
    # alone, so that the window in which a stop turns its answer into the
    # "interrupted" notice is one short transaction, not the next batch.
    alone: bool = False


class _DecidedFailed(Exception):
    """Writing a decided message failed; the batch it was written in is redone without it."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


class _QuietPathFailed(Exception):
    """A message failed on the quiet path; its batch is redone without it."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


class MailFlow:
    def __init__(self, services: Services, reader: MailReader | None = None) -> None:
        self.services = services
        self.reader = reader or MailReader()
        self._directory: _Directory | None = None
        # Messages that failed, by Message-ID: attempts and the first one's time
        # (in memory: a restart gives each a few more tries).
        self._failures: dict[str, tuple[int, dt.datetime]] = {}

    def close(self) -> None:
        self.reader.close()

    @property
    def bot_address(self) -> str:
        return self.services.settings.bot_address.lower()

    @property
    def addresses(self) -> Addresses:
        return Addresses(self.services.settings.list_address.lower(), self.bot_address)

    async def handle(self, raw: bytes, source: str) -> Outcome:
        """One message: a batch of one; raises what stopped it from being handled."""
        [result] = await self.handle_many([(raw, source)])
        if isinstance(result, Exception):
            raise result
        return result

    async def handle_many(
        self, deliveries: Sequence[tuple[bytes, str]]
    ) -> list[Outcome | Exception]:
        """Several messages in their order, an outcome or the error for each.

        Most list traffic (posts that only record action items, bounces,
        auto-replies, echoes, questions to the bot) changes nothing but the
        bot's own tables and the outbox, so consecutive messages of that kind
        commit in one transaction: a commit per message is what made mail slow.
        A message whose command may change what is stored, or whose lines go to
        a meeting's minutes, takes the full path on its own, after the messages
        before it committed, so each sees what the earlier ones did. Its handled
        mark and answer commit first thing in the next batch's transaction, so
        it is acknowledged only after that; those of a command that changed
        shared state commit at once, on their own. An error is the caller's cue not
        to acknowledge that message (a redelivery is handled again); the others
        are unaffected.
        """
        chunks = deque(self.reader.read([raw for raw, _ in deliveries], self.addresses))
        try:
            return await self._handle_read(deliveries, chunks)
        finally:
            for chunk in chunks:  # left unread when stopped (cancelled) halfway
                chunk.cancel()

    async def _handle_read(
        self,
        deliveries: Sequence[tuple[bytes, str]],
        chunks: deque[asyncio.Future[list[InboundMail]]],
    ) -> list[Outcome | Exception]:
        parsed: list[tuple[InboundMail, str]] = []
        # A decided message holds its provisional outcome until its batch commits.
        results: list[Outcome | Exception] = []
        full_path: set[int] = set()  # messages the quiet path failed on
        decided: _Decided | None = None  # to be written with the next batch (or alone)
        while len(results) < len(deliveries) or decided is not None:
            alone = decided is not None and decided.alone
            # What is read so far, and at least one message more.
            while not alone and chunks and (len(parsed) == len(results) or chunks[0].done()):
                await self._read_chunk(deliveries, chunks, parsed)
            first = len(results)
            stopped: _Facts | None = None  # where the message the quiet run stopped at belongs
            try:
                async with self.services.db.transaction() as conn:
                    batch = _Batch(conn)
                    settled = await self._settle(conn, decided) if decided else None
                    if not alone:
                        read_more = partial(
                            self._read_chunk, deliveries, chunks, parsed, CHUNK_PATIENCE
                        )
                        stopped = await self._quiet_run(
                            batch, parsed, read_more, full_path, results
                        )
                        await batch.write()
            except _QuietPathFailed as failed:  # rolled back: redo the batch before it
                log.exception("mail batch redone, one message takes the full path")
                full_path.add(failed.index)
                del results[first:]
                continue
            except _DecidedFailed as failed:  # rolled back: redo the batch without it
                assert decided is not None
                given_up = self._failed(decided.mail, failed.error)
                if given_up is None:
                    results[decided.index] = failed.error
                    decided = None
                else:  # redone with it recorded as failed
                    record = decided.record
                    decided = self._giving_up(
                        decided.index, decided.mail, record.source, record.thread_root, given_up
                    )
                del results[first:]
                continue
            except Exception as exc:  # the commit failed: none of them is handled
                log.exception("mail batch not committed")
                stopped = None  # what it found was rolled back
                results[first:] = [r if isinstance(r, Exception) else exc for r in results[first:]]
                # The batch's own messages failed it: a decided message waits for the
                # next batch. A batch with none failed for it (or for the database).
                if decided is not None and len(results) == first:
                    results[decided.index] = exc
                    decided = None
            else:
                if decided is not None and settled is not None:
                    results[decided.index] = settled
                    self._done(decided.mail, settled)
                for (mail, _), result in zip(parsed[first:], results[first:], strict=False):
                    if isinstance(result, Outcome):
                        self._done(mail, result)
                decided = None
            # Alone, the decided message was the whole transaction: the quiet run comes next.
            if decided is None and not alone and len(results) < len(parsed):
                outcome = await self._on_full_path(len(results), *parsed[len(results)], stopped)
                if isinstance(outcome, _Decided):
                    decided = outcome
                    outcome = Outcome(decided.record.outcome)
                results.append(outcome)
        return results

    async def _on_full_path(
        self, index: int, mail: InboundMail, source: str, facts: _Facts | None
    ) -> Outcome | Exception | _Decided:
        """`_handle_fully`, its failure counted (and turned into giving up, in time)."""
        try:
            outcome = await self._handle_fully(index, mail, source, facts)
        except Exception as exc:
            given_up = self._failed(mail, exc)
            if given_up is None:
                return exc
            root = facts.root if facts else self._thread_question(mail)[2]
            return self._giving_up(index, mail, source, root, given_up)
        if isinstance(outcome, Outcome):
            self._done(mail, outcome)
        return outcome

    async def _read_chunk(
        self,
        deliveries: Sequence[tuple[bytes, str]],
        chunks: deque[asyncio.Future[list[InboundMail]]],
        parsed: list[tuple[InboundMail, str]],
        patience: float | None = None,
    ) -> bool:
        """The reader's next chunk added to `parsed`, waited for (up to `patience`
        seconds); False once all are read, or when it was not read in time."""
        if not chunks:
            return False
        if patience is not None:
            done, _ = await asyncio.wait([chunks[0]], timeout=patience)
            if not done:
                return False
        for mail in await chunks.popleft():
            source = deliveries[len(parsed)][1]
            if mail.unreadable:
                log.warning("mail from %s unreadable: %s", source, mail.unreadable)
            parsed.append((mail, source))
        return True

    async def _quiet_run(
        self,
        batch: _Batch,
        parsed: list[tuple[InboundMail, str]],
        read_more: Callable[[], Awaitable[bool]],
        full_path: set[int],
        results: list[Outcome | Exception],
    ) -> _Facts | None:
        """Handle messages in `batch` until one needs the full path (left unhandled);
        where that one belongs, if the batch found out.

        At the end of what is read, the batch waits a little for the reader's
        next chunk (the worker reads ahead, so it seldom waits long): a commit
        and a new batch per chunk cost more than handling the chunk's messages.
        No savepoint per message (a round trip each): a message that fails
        here rolls the whole batch back, to be redone without it.
        """
        # The directory's mark and the next action's id come in the same hop: most
        # batches hold a list post, and most list posts an ACTION line.
        _, mark, batch.next_action_id = await together(
            self._ask(batch, parsed, len(results)),
            revisions.current(batch.conn, *DIRECTORY_REVISIONS),
            stored_actions.next_id(batch.conn),
        )
        self._check_directory(batch, mark)
        index = len(results)
        while index < len(parsed) or await read_more():
            if index == len(parsed):  # an empty chunk
                continue
            if index in full_path:
                return None
            if index not in batch.known:  # read since the batch asked
                await self._ask(batch, parsed, index)
            try:
                outcome = await self._quietly(batch, index, *parsed[index])
            except Exception as exc:
                raise _QuietPathFailed(index) from exc
            if isinstance(outcome, _Facts):
                return outcome
            results.append(outcome)
            index += 1
        return None

    async def _ask(self, batch: _Batch, parsed: list[tuple[InboundMail, str]], first: int) -> None:
        """What the database knows of the next messages from `first` on, and the answers
        this hour of those of their senders who may speak to the bot, in one hop.

        A sender's answers are read once a batch: the batch counts those it
        adds itself (`_answer_here`).
        """
        asked = range(first, min(len(parsed), first + FACTS_AHEAD))
        questions = [self._thread_question(parsed[index][0]) for index in asked]
        speakers = {parsed[index][0].sender for index in asked if self._may_speak(parsed[index][0])}
        since = self.services.now() - RATE_WINDOW
        known, answered = await together(
            mail_store.thread_facts(batch.conn, questions),
            mail_store.answered_each_since(batch.conn, speakers - batch.answered.keys(), since),
        )
        batch.known.update(zip(asked, known, strict=True))
        batch.answered.update(answered)

    async def _quietly(
        self, batch: _Batch, index: int, mail: InboundMail, source: str
    ) -> Outcome | _Facts:
        """Handle a message inside `batch`; for one that needs the full path, its facts.

        The same decisions as `_handle_fully` and `_decide`, stopping where those
        would run a command that may change what is stored, offer lines to a
        listening meeting, or tell of an earlier delivery the bot stopped in,
        having written nothing for the message but its sender's person (new on
        first contact), which the full path takes.
        """
        if mail.message_id in batch.handled:
            return Outcome("duplicate")
        known = batch.known[index]
        parent = batch.handled.get(mail.parent or "")
        if parent is not None:  # its root is known to the batch alone so far
            root = parent[0].thread_root
            known = known._replace(root=root, meeting_id=batch.meetings[root])
        facts = await self._facts_of(batch.conn, known)
        if facts is None:
            return Outcome("duplicate")
        quiet = await self._quiet_outcome(batch, mail, facts)
        if quiet is None:  # it speaks to the bot: with its sender (most are known)
            sender = await self._sender(batch, mail)
            facts = replace(facts, sender=sender, answered=batch.answered.get(mail.sender))
            quiet = await self._answer_here(batch, mail, facts)
            if quiet is None:
                return facts  # for the full path
        outcome, queued = quiet
        batch.handled[mail.message_id] = (
            self._handled(mail, facts.root, source, outcome),
            self.services.now(),
        )
        batch.meetings[facts.root] = known.meeting_id
        return Outcome(outcome, queued)

    async def _quiet_outcome(
        self, batch: _Batch, mail: InboundMail, facts: _Facts
    ) -> tuple[str, bool] | None:
        """What a message comes to inside the batch, and whether an answer was queued;
        None where it speaks to the bot, its lines go to a meeting, or the bot stopped
        in it on an earlier delivery."""
        if facts.interrupted:
            return None
        answers = self._calendar_answers(mail, facts.own_id)
        if answers:
            outcome, reply, queued = await self._record_answers(batch.conn, mail, answers)
            if reply is None:
                return outcome, queued
            answered = batch.answered.get(mail.sender)
            if answered is None:  # sent to the list alone, say: not read with the batch
                since = self.services.now() - RATE_WINDOW
                answered = await mail_store.answered_since(batch.conn, mail.sender, since)
            outcome, replied = await self._reply_here(batch, mail, outcome, reply, answered)
            return outcome, queued or replied
        outcome = self._ignored(mail, facts.own_id) or await self._unanswered(batch, mail, facts)
        return None if outcome is None else (outcome, False)

    async def _answer_here(
        self, batch: _Batch, mail: InboundMail, facts: _Facts
    ) -> tuple[str, bool] | None:
        """Answer mail that speaks to the bot inside `batch`: its outcome, and whether
        an answer was queued; None where it takes the full path.

        Most of it asks something (who coordinates a theme, whose actions are
        due): the answer and the handled mark commit with the batch, and its
        commands read with the batch's connection. The full path, on its own,
        takes a command that may change what is stored (its effects commit
        before its answer, see `_decide`), a message the bot stopped in before,
        and one in a thread where a meeting hears lines: its text goes to the
        meeting's writer, whose transaction would wait for this one.
        """
        assert facts.sender is not None
        services = self.services
        if facts.interrupted or await services.registry.hears_lines(
            services, batch.conn, self._speaks_in(mail, facts)
        ):
            return None
        ctx = self._context(mail, facts, facts.sender)
        minuted = self._minuted(mail, facts)
        asked = await self._question(mail, facts, ctx, minuted)
        if isinstance(asked, _Asked) and asked.changing:
            return None
        if minuted:
            await self._record_actions(batch, ctx, mail)
        if isinstance(asked, _Verdict):
            outcome, reply = asked.outcome, asked.reply
        else:
            await batch.insert_actions()  # "/actions open" lists those of the batch too
            outcome, reply = "answered", await self._run(ctx, mail, asked.text)
            if not batch.conn.in_transaction:
                # SQLite ends a transaction itself on some errors (a full disk); the
                # command answered with an apology, and nothing after may commit alone.
                raise DatabaseError("the batch's transaction ended in a command")
        answered = facts.answered
        assert answered is not None  # `_ask` read it: the sender may speak to the bot
        return await self._reply_here(batch, mail, outcome, reply, answered)

    async def _reply_here(
        self,
        batch: _Batch,
        mail: InboundMail,
        outcome: str,
        reply: Reply | None,
        answered: mail_store.Answered,
    ) -> tuple[str, bool]:
        """`_reply` inside `batch`, the answer counted for the sender's next message in it."""
        outcome, queued = await self._reply(batch.conn, mail, outcome, reply, answered)
        if queued:
            notice = outcome == "limited"
            batch.answered[mail.sender] = mail_store.Answered(
                answered.answers + (not notice), answered.noticed or notice
            )
        return outcome, queued

    async def _unanswered(self, batch: _Batch, mail: InboundMail, facts: _Facts) -> str | None:
        """Mail that asks the bot nothing, or no one it can answer: its action items, or None.

        None when it may speak to the bot or its lines may feed a meeting.
        """
        conn = batch.conn
        minuted = self._minuted(mail, facts)
        program = self._calendar_program(mail, minuted)
        addressed = program is None and (mail.addressed is not None or self._sent_to_bot(mail))
        authorless = self._authorless(mail, minuted) if addressed else None
        if addressed and authorless is None:
            return None
        if minuted and await self.services.registry.hears_lines(self.services, conn, facts.channel):
            return None
        person = await self._sender(batch, mail)
        if not minuted:
            return authorless or program or "ignored: not addressed to the bot"
        await self._record_actions(batch, self._context(mail, facts, person), mail)
        return authorless or program or "recorded"

    async def _sender(self, batch: _Batch, mail: InboundMail) -> Person:
        """The sender as a person (created on first contact), remembered by the flow."""
        identity = f"email:{mail.sender}"
        directory = await self._current_directory(batch)
        person = directory.senders.get(identity) or await people.by_identity(batch.conn, identity)
        if person is None:
            before = await revisions.current(batch.conn, *DIRECTORY_REVISIONS)
            person = await people.ensure(batch.conn, identity, mail.sender_name)
            if before != directory.mark:  # people changed since it was read: read them again
                batch.directory = None
                return person
            # Only this person changed: the directory grows by them instead.
            mark = await revisions.current(batch.conn, *DIRECTORY_REVISIONS)
            directory = batch.directory = directory.grown(mark, identity, person, mail.sender_name)
            self._keep_directory(directory)
        directory.senders[identity] = person
        return person

    def _context(self, mail: InboundMail, facts: _Facts, person: Person) -> Context:
        return self.services.context_of(
            person,
            f"email:{mail.sender}",
            mail.sender_name,
            self._speaks_in(mail, facts),
            mail.message_id,
        )

    def _speaks_in(self, mail: InboundMail, facts: _Facts) -> str:
        """The channel of what a message asks: its thread on the list, or for mail sent
        to the bot alone, the conversation with its sender, whatever the thread.

        What a command later says "here" (a meeting's reminders, its move or
        cancellation) goes to that channel: the thread of a private mail is no
        place on the list, where it would show the command and the addresses in
        it to every member.
        """
        if facts.linked or mailpolicy.is_list_post(mail, self.services.settings.list_address):
            return facts.channel
        return f"email:{mail.sender}"

    async def _handle_fully(
        self, index: int, mail: InboundMail, source: str, facts: _Facts | None
    ) -> Outcome | _Decided:
        """Decide on one message alone, its commands in their own transactions.

        `facts`: where it belongs, as the batch before it found (None: read
        now). What it decided is written by `_settle`: in the next batch, or at
        once and alone when its command changed something.
        """
        if facts is None:
            async with self.services.db.read() as conn:
                facts = await self._facts(conn, mail)
            if facts is None:
                return Outcome("duplicate")
        answers = self._calendar_answers(mail, facts.own_id)
        if answers:
            verdict = _Verdict("calendar answer")
        else:
            verdict = await self._decide(mail, facts, source)
        if verdict.outcome == "duplicate":  # marked running by another delivery meanwhile
            return Outcome(verdict.outcome)
        record = self._handled(mail, facts.root, source, verdict.outcome)
        return _Decided(index, mail, record, answers, verdict.reply, alone=verdict.changed)

    async def _settle(self, conn: aiosqlite.Connection, decided: _Decided) -> Outcome:
        """Write a decided message's mark, calendar answers and answer mail.

        Raises `_DecidedFailed` so that the batch it is written in is redone
        without it, instead of failing with it.
        """
        mail, now = decided.mail, self.services.now()
        try:
            # The sender's answers this hour (for the limit), read in the same hop.
            recorded, answered = await together(
                mail_store.record(conn, decided.record, now),
                mail_store.answered_since(conn, mail.sender, now - RATE_WINDOW),
            )
            if not recorded:
                return Outcome("duplicate")
            outcome, reply, sent = decided.record.outcome, decided.reply, False
            if decided.answers:
                outcome, told, sent = await self._record_answers(conn, mail, decided.answers)
                reply = reply or told
            settled, queued = await self._reply(conn, mail, outcome, reply, answered)
            queued = queued or sent
            if settled != decided.record.outcome:
                await mail_store.set_outcome(conn, mail.message_id, settled)
        except Exception as exc:
            raise _DecidedFailed(exc) from exc
        return Outcome(settled, queued)

    async def _reply(
        self,
        conn: aiosqlite.Connection,
        mail: InboundMail,
        outcome: str,
        reply: Reply | None,
        answered: mail_store.Answered,
    ) -> tuple[str, bool]:
        """Queue a message's answer: its final outcome, and whether mail was queued.

        `answered`: the sender's answers this hour, as read in this transaction.
        Past the limit (decided so, or reached since by other answers) the
        notice goes instead of the answer, or nothing once it went.
        """
        limited = outcome == "limited" or (reply is not None and self._over_limit(answered))
        if limited:
            reply = self._limit_notice(answered)
        if reply is not None:
            await self._answer(conn, mail, reply, notice=limited)
        return ("limited" if limited else outcome), reply is not None

    def _done(self, mail: InboundMail, outcome: Outcome) -> None:
        """A message's outcome committed."""
        self._failures.pop(mail.message_id, None)
        log.info("mail %s from %s: %s", mail.message_id, mail.sender, outcome.text)

    def _failed(self, mail: InboundMail, error: Exception) -> str | None:
        """Count a failed attempt at a message (it is not acknowledged).

        Returns the outcome to record it with instead, once it failed too often
        for too long to try again.
        """
        log.error("mail %s not handled", mail.message_id, exc_info=error)
        now = self.services.now()
        attempts, since = self._failures.pop(mail.message_id, (0, now))
        attempts += 1
        if attempts <= GIVE_UP_AFTER or now - since < GIVE_UP_SPAN:
            self._failures[mail.message_id] = (attempts, since)
            if len(self._failures) > FAILURES_KEPT:
                del self._failures[next(iter(self._failures))]
            return None
        log.error(
            "mail %s from %s failed %d times since %s: recorded as failed, not tried again",
            mail.message_id,
            mail.sender,
            attempts,
            since.isoformat(timespec="seconds"),
        )
        why = f"{type(error).__name__}: {error}"[:200]
        return f"failed: {why} ({attempts} attempts, given up)"

    def _giving_up(
        self, index: int, mail: InboundMail, source: str, root: str, outcome: str
    ) -> _Decided:
        """A message to record as failed, answering nobody."""
        return _Decided(index, mail, self._handled(mail, root, source, outcome), [], None)

    def _thread_question(self, mail: InboundMail) -> tuple[str, str | None, str]:
        """What `thread_facts` is asked about a message.

        Threads by In-Reply-To, then References: a known parent gives its own
        root, else the first of References (or the parent) is taken for it.
        """
        parent = mail.parent
        fallback = mail.message_id if parent is None else (mail.references or [parent])[0]
        return mail.message_id, parent, fallback

    async def _facts(self, conn: aiosqlite.Connection, mail: InboundMail) -> _Facts | None:
        """Where a message belongs; None when it was handled already."""
        [known] = await mail_store.thread_facts(conn, [self._thread_question(mail)])
        return await self._facts_of(conn, known)

    async def _facts_of(
        self, conn: aiosqlite.Connection, known: mail_store.ThreadFacts
    ) -> _Facts | None:
        interrupted = None
        if known.outcome is not None:
            if not known.outcome.startswith(mail_store.RUNNING):
                return None
            interrupted = known.outcome.removeprefix(mail_store.RUNNING)
        channel, linked = await self._channel(conn, known.root, known.meeting_id)
        return _Facts(
            known.own, known.root, channel, linked, interrupted, meeting_id=known.meeting_id
        )

    def _handled(
        self, mail: InboundMail, root: str, source: str, outcome: str
    ) -> mail_store.MailRecord:
        return mail_store.MailRecord(
            message_id=mail.message_id,
            thread_root=root,
            sender=mail.sender,
            subject=mail.subject,
            source=source,
            outcome=outcome,
        )

    async def _channel(
        self, conn: aiosqlite.Connection, root: str, meeting_id: int | None
    ) -> tuple[str, bool]:
        """Where a thread speaks: its own channel, or a running meeting's it is linked to.

        A thread that started with the bot's invitation or list announcement of
        a scheduled meeting (`meeting_id`) feeds the minutes of that meeting
        while they run, wherever they were started (True: linked).
        """
        if meeting_id is not None:
            running = await minutes.running_for_scheduled(conn, str(meeting_id))
            if running is not None:
                return running.channel, True
        return f"email:{root}", False

    def _ignored(self, mail: InboundMail, own_id: bool) -> str | None:
        """Why the bot must not act on a message at all (its own, a machine's), or None."""
        if mail.unreadable:
            return f"ignored: unreadable ({mail.unreadable})"
        if mailpolicy.is_own(mail, self.bot_address, own_id):
            return "ignored: the bot's own mail"
        reason = mailpolicy.automatic_reason(
            mail, self.bot_address, self.services.settings.list_address
        )
        return f"ignored: {reason}" if reason else None

    def _may_speak(self, mail: InboundMail) -> bool:
        """The bot among its recipients, or a line naming it anywhere in its text (quotes
        too: `addressed` only narrows it)."""
        return self._sent_to_bot(mail) or mail.names_bot

    def _sent_to_bot(self, mail: InboundMail) -> bool:
        return mailpolicy.sent_to_bot(mail, self.bot_address, self.services.settings.list_address)

    def _authorless(self, mail: InboundMail, minuted: bool) -> str | None:
        """The outcome of mail that speaks to the bot with no author to answer, or None.

        Its lines are still read (`minuted`); the answer would go to the whole list.
        """
        why = mailpolicy.unknown_author(mail, self.services.settings.list_address)
        if why is None:
            return None
        return f"recorded, not answered: {why}" if minuted else f"ignored: {why}"

    def _calendar_program(self, mail: InboundMail, minuted: bool) -> str | None:
        """The outcome of a calendar program's message the bot takes nothing from, or None.

        A member's own invitation (Outlook, Gmail) is no question to the bot and
        no answer to its meetings, but on the list (`minuted`) the action lines
        its sender typed in it are the post's, recorded as any post's.
        """
        why = mailpolicy.calendar_program(mail, self.bot_address)
        if why is None:
            return None
        if minuted:
            return f"recorded, not answered: {why}"
        return f"ignored: {why}, which the bot does not take"

    def _minuted(self, mail: InboundMail, facts: _Facts) -> bool:
        """Its lines count: a list post, or any mail in a thread linked to a meeting."""
        return facts.linked or mailpolicy.is_list_post(mail, self.services.settings.list_address)

    async def _decide(self, mail: InboundMail, facts: _Facts, source: str) -> _Verdict:
        ignored = self._ignored(mail, facts.own_id)
        if ignored:
            return _Verdict(ignored)
        if facts.interrupted:
            return _Verdict("interrupted", self._interrupted_notice(mail, facts.interrupted))
        if facts.sender is not None:
            ctx = self._context(mail, facts, facts.sender)
        else:
            ctx = await self.services.context_for(
                f"email:{mail.sender}",
                mail.sender_name,
                self._speaks_in(mail, facts),
                message_id=mail.message_id,
            )
        minuted = self._minuted(mail, facts)
        program = self._calendar_program(mail, minuted)
        asked = _Verdict(program) if program else await self._question(mail, facts, ctx, minuted)
        if minuted:
            await self._record_lines(ctx, mail)
        if isinstance(asked, _Verdict):
            return asked
        if asked.changing:
            # Its effects commit in the command's own transactions, before the
            # answer and the handled mark: mark it running first, so that a
            # redelivery after a crash in between is never carried out twice.
            running = self._handled(
                mail, facts.root, source, mail_store.RUNNING + f"/{asked.changing}"
            )
            async with self.services.db.transaction() as conn:
                if not await mail_store.record(conn, running, self.services.now()):
                    return _Verdict("duplicate")  # handled meanwhile by another delivery
        reply = await self._run(ctx, mail, asked.text)
        return _Verdict("answered", reply, changed=asked.changing is not None)

    async def _run(self, ctx: Context, mail: InboundMail, text: str) -> Reply:
        """Run what a message asks, with the authority its proof of origin gives
        (`Context.proven`): checked where the command is finally read, whatever
        `_refusal` made of the text before."""
        proven = mailpolicy.authenticated(mail, self.services.settings.authserv_id)
        ctx = replace(ctx, proven=proven)
        return await self.services.ask(ctx, text) or Reply(text="(recorded)")

    async def _question(
        self, mail: InboundMail, facts: _Facts, ctx: Context, minuted: bool
    ) -> _Verdict | _Asked:
        """What a message asks the bot to run, or the verdict that it runs nothing."""
        spoken = mail.addressed
        direct = self._sent_to_bot(mail)
        if spoken is None and not direct:
            if minuted:
                return _Verdict("recorded")
            return _Verdict("ignored: not addressed to the bot")
        authorless = self._authorless(mail, minuted)
        if authorless:
            return _Verdict(authorless)
        candidates = [as_read(spoken)] if spoken is not None else self._candidates(mail)
        copied = spoken is None and mailpolicy.only_copied(mail, self.bot_address)
        text = self._command_text(candidates, asked_only=copied)
        # The meeting whose invitation or announcement this replies to, asking the bot nothing.
        for_organiser = facts.meeting_id if text is None and spoken is None else None
        if text is None:
            if minuted and spoken is None:  # a reply with the bot in copy, not to it
                return _Verdict("recorded")
            if copied:
                # A mail to someone else, the bot in Cc (kept there by every Reply All) or Bcc:
                # a command would have been read, anything else was not said to it.
                return _Verdict("ignored: the bot is only in copy, and nothing asks it")
            if mail.answers_another and spoken is None and acknowledges(candidates):
                return _Verdict("ignored: a reply asking nothing")  # "Thanks!" under an answer
            text = candidates[0] if candidates else ""
        # Past the hour's answers nothing it asks is done, not even a question;
        # the notice goes instead.
        if await self._rate_limited(mail.sender, facts.answered):
            return _Verdict("limited")
        if for_organiser is not None and (notice := await self._not_passed_on(ctx, for_organiser)):
            return _Verdict("answered", notice)
        command, argument = self._command_of(text)
        refusal = self._refusal(ctx, mail, command, argument) or self._no_meeting_place(
            mail, facts, command
        )
        if refusal:
            return _Verdict("refused", refusal)
        if command is None or not command.changes_with(argument):
            return _Asked(text, None)
        return _Asked(text, command.name)

    async def _not_passed_on(self, ctx: Context, meeting_id: int) -> Reply | None:
        """What a reply to a meeting's mail that reads as no command ("I will join ten
        minutes late") gets: its writer meant it for the organiser, and the list of
        commands told them neither that no one reads it nor whom to write to. None for
        the organiser's own reply (their invitation came back to them), and for a
        meeting no longer stored.
        """
        async with self.services.db.read() as conn:
            meeting = await meetings_store.get(conn, meeting_id)
            if meeting is None or meeting.organizer_id == ctx.person_id:
                return None
            organiser = await people.get(conn, meeting.organizer_id or 0)
        # The invitation names the assistant as its organiser: their address is nowhere
        # else, and their name is the directory's (a chat's display name may be a handle).
        named = organiser.name if organiser else meeting.organizer_name
        if organiser and organiser.email and organiser.email.lower() not in named.lower():
            named = f"{named} ({organiser.email})"
        answering = (
            " To answer the invitation, use Accept, Tentative or Decline in your calendar:"
            " the organiser sees those."
            if meeting.status == "confirmed"
            else ""
        )
        return Reply(
            text=f"Your reply about {meeting.code} {meeting.title} reached the ISCG "
            "assistant, an automatic address: it was not passed on to anyone. To tell the "
            f"organiser, {named}, write to them, or to the list "
            f"({self.services.settings.list_address}) for everyone to read.{answering}",
            error=True,
        )

    def _interrupted_notice(self, mail: InboundMail, command: str) -> Reply:
        return Reply(
            text=f'Your message "{mail.topic or mail.subject}" reached the ISCG assistant '
            f"before, but it stopped while carrying out {command}, so that may or may not have "
            "taken effect. It was not run again, so that nothing happens twice: check the "
            f"result, and if it is missing send {command} again in a new message.",
            error=True,
        )

    def _candidates(self, mail: InboundMail) -> list[str]:
        """Where a command or question may be: the first lines, then the subject, unless
        it was another message's (a reply would run the command it answers again)."""
        lines = request_lines(mail.reply_text, FIRST_LINES)
        subject = [] if mail.answers_another else [mail.topic]
        return [as_read(line) for line in lines + subject]

    def _command_text(self, candidates: list[str], *, asked_only: bool) -> str | None:
        """The first candidate that reads as a command or a known question.

        `asked_only`: mail to someone else with the bot in copy, where a line that
        reads like a command's words ("Upcoming ISCG meetings", "Aide") is a heading
        written for the people it was sent to: only a slash command or a question
        (with its question mark) is said to the bot.
        """
        registry = self.services.registry
        for text in candidates:
            if not text:
                continue
            if text.startswith("/"):
                return text
            if asked_only and not question_mark(text):
                continue
            if registry.find(text)[0] is not None or registry.match_question(text) is not None:
                return text
        return None

    def _command_of(self, text: str) -> tuple[Command | None, str]:
        """The command a text runs, and its argument text."""
        registry = self.services.registry
        # Read as the dispatcher reads it, which runs it: a question first, so "subscribe
        # to the calendar" (a phrasing of /calendar) is not checked as /subscribe.
        if text.startswith("/"):
            return registry.find(registry.slashed(text[1:]))
        return registry.find(registry.match_question(text) or text)

    def _refusal(
        self, ctx: Context, mail: InboundMail, command: Command | None, argument: str
    ) -> Reply | None:
        """Commands that change what the bot records need a chair's authenticated mail.

        Even those chat lets any member run (`/done`): a From header is easy to
        forge, and a forged one could close someone's action items. So mail is
        trusted for the fewest people, and only with proof of where it came
        from; by mail, the others ask. A change to one's own settings
        (`/subscribe`, `/timezone`) touches no one else: proof alone is enough,
        so that a member on mail only can have their digest by mail.
        """
        if command is None or not command.changes_with(argument):
            return None  # a question ("what is my time zone") needs no proof
        needed = Role.MEMBER if command.own_settings else Role.CHAIR
        authentic = mailpolicy.authenticated(mail, self.services.settings.authserv_id)
        if authentic and ctx.role >= needed:
            return None
        name = command.name
        direct = ""
        if authentic:
            why = f"your address is not recorded as a {role_phrase(needed)}"
        elif mailpolicy.resent_as_list(mail):
            # The chair signed it; told only "no passing result", they could not see why.
            why = (
                "the list resent this message under its own address (as lists do for "
                "DMARC), so the signature it carries is the list's, not your own domain's"
            )
            # Told why, they still had no way by mail: their own signature reaches the
            # bot unchanged when they write to it. A meeting starts only on the list.
            if name not in MEETING_PLACE_COMMANDS:
                direct = (
                    f"Send it to {self.bot_address} itself, not through the list: "
                    "your own signature is read there.\n\n"
                )
        else:
            why = "this message carries no passing DKIM or DMARC result from our mail server"
        who = "" if command.own_settings else f" from a {role_phrase(needed)}"
        chat = self.services.settings.chat_platforms
        instead = (
            f"Do it in {chat} instead: type /{name} there, or ask the secretariat (iscg@itu.int)."
            if chat
            else "Ask the secretariat (iscg@itu.int) to do it for you."
        )
        return Reply(
            text=f"/{name} changes what the assistant records, so by e-mail it is accepted "
            f"only{who} when the mail is authenticated, and {why}.\n\n{direct}{instead}",
            error=True,
        )

    def _no_meeting_place(
        self, mail: InboundMail, facts: _Facts, command: Command | None
    ) -> Reply | None:
        """`/meeting start` in mail to the bot alone: no one else hears that conversation,
        and a meeting there would take its sender's every question for minutes."""
        if command is None or command.name not in MEETING_PLACE_COMMANDS:
            return None
        if self._speaks_in(mail, facts) == facts.channel:
            return None
        chat = self.services.settings.chat_platforms
        return Reply(
            text="Minutes are taken where the group speaks: a thread on the list"
            + (", or a chat channel" if chat else "")
            + ". Mail to the assistant alone is heard by no one else. Send it to the list "
            "on a line of its own, after @iscg-bot" + (f", or type it in {chat}." if chat else "."),
            error=True,
        )

    async def _rate_limited(self, sender: str, answered: mail_store.Answered | None) -> bool:
        """True once the sender had every answer this hour (read before doing what they ask).

        `answered`: as the batch that reached the message read them, if it
        did. Inside that batch they are current (`_answer_here`). On the full
        path only a delivery handled meanwhile (the other way in) can have
        answered the sender since; `_settle` checks again, and sends the notice
        instead.
        """
        if answered is None:
            since = self.services.now() - RATE_WINDOW
            async with self.services.db.read() as conn:
                answered = await mail_store.answered_since(conn, sender, since)
        return self._over_limit(answered)

    def _over_limit(self, answered: mail_store.Answered) -> bool:
        return answered.answers >= self.services.settings.mail_rate_limit

    def _limit_notice(self, answered: mail_store.Answered) -> Reply | None:
        """The one "limit reached" notice of the hour, or None once it went.

        `answered`: what the sender had in the last hour. The notice is not an
        answer: counted with them, it would take the place of the next answer
        due once the oldest left the hour, and be sent again and again.
        """
        if answered.noticed:
            return None
        chat = self.services.settings.chat_platforms
        return Reply(
            text=f"You have had {self.services.settings.mail_rate_limit} answers from the ISCG "
            "assistant in the last hour, the most it sends to one address. Until an hour has "
            "passed since the first of them, it neither acts on nor answers your mail: please "
            "send again after that whatever you still need."
            + (f" In chat ({chat}) there is no such limit." if chat else "")
        )

    async def _answer(
        self, conn: aiosqlite.Connection, mail: InboundMail, reply: Reply, *, notice: bool
    ) -> None:
        """Queue the answer, or the notice, to the sender alone, in the mail's thread."""
        settings, now = self.services.settings, self.services.now()
        await together(
            queue_email(
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
                references=mail.answer_references,
            ),
            mail_store.add_answer(conn, mail.sender, now, notice=notice),
        )

    def _line_context(self, ctx: Context, mail: InboundMail, number: int) -> Context:
        return replace(ctx, message_id=self._line_id(mail, number))

    def _line_id(self, mail: InboundMail, number: int) -> str:
        """Each line gets its own message id (`<id>#L3`): the minutes and action
        items take one item per message id, so with the mail's own id only its
        first line would count."""
        return f"{mail.message_id}#L{number}"

    async def _record_lines(self, ctx: Context, mail: InboundMail) -> None:
        """Minutes and action items from a post's own lines, each through the dispatcher.

        Every line goes to the line hooks (a thread linked to a meeting feeds its
        minutes) when one listens in this channel; an `ACTION:` line no hook
        took becomes an action item.
        """
        services = self.services
        async with services.db.read() as conn:
            heard = await services.registry.hears_lines(services, conn, ctx.channel)
        action_command = "action" in services.registry.commands
        for number, line, item in mail.own_lines:
            line_ctx = self._line_context(ctx, mail, number)
            hook_line = f"#action {item}" if item else line
            if heard and await services.ask(line_ctx, hook_line, addressed=False) is not None:
                continue  # a meeting runs in this thread: its minutes took it
            if item and action_command:
                await services.dispatcher.run_text(line_ctx, f"action {item}")
            elif item:
                log.info("ACTION line from %s not recorded: no /action command", ctx.identity)

    async def _record_actions(self, batch: _Batch, ctx: Context, mail: InboundMail) -> None:
        """`_record_lines` where no line hook listens, inside the batch's transaction.

        What `/action <text>` would do outside a meeting (the text read as the
        command reads its argument; its reply is not sent, as by that path),
        without a transaction and a load of every known person per line: the
        batch inserts its items together (one already recorded is left out).
        """
        if not mail.has_actions:  # none, quoted or not: skip quote stripping
            return
        command = self.services.registry.commands.get("action")
        for number, _line, item in mail.own_lines:
            if item is None:
                continue
            if command is None:
                log.info("ACTION line from %s not recorded: no /action command", ctx.identity)
                continue
            try:
                text = command.args.model_validate(command.args.from_text(item)).text
            except (UserError, ValidationError):
                continue  # the command would answer with its usage, to nobody
            if not text:
                continue
            directory = await self._current_directory(batch)
            if directory.lookups is None:
                directory.lookups = await action_items.lookups_for(ctx.services, batch.conn)
            action, _ = action_items.prepare(
                ctx,  # read for its person, channel, time and zone, not its message id
                text,
                meeting_id=None,
                message_key=channel_message_key(ctx.channel, self._line_id(mail, number)),
                lookups=directory.lookups,
            )
            action.id = batch.next_action_id + len(batch.actions)
            batch.actions.append(action)

    async def _current_directory(self, batch: _Batch) -> _Directory:
        """The remembered directory, forgotten first if its tables changed since."""
        if batch.directory is None:
            self._check_directory(batch, await revisions.current(batch.conn, *DIRECTORY_REVISIONS))
        assert batch.directory is not None
        return batch.directory

    def _check_directory(self, batch: _Batch, mark: tuple[int, ...]) -> None:
        directory = self._directory
        if directory is None or directory.mark != mark:
            directory = _Directory(mark)
            self._keep_directory(directory)
        batch.directory = directory

    def _keep_directory(self, directory: _Directory) -> None:
        """The flow remembers `directory` once the batch that read it commits (it may
        hold people that a rollback would leave unstored)."""
        self.services.db.after_commit(partial(setattr, self, "_directory", directory))

    def _calendar_answers(self, mail: InboundMail, own_id: bool) -> list[mailcalendar.Answer]:
        """The iMIP answers a mail carries for its own sender (never the bot's own).

        Taken also from mail marked as a machine's: iCloud and Nextcloud send an
        attendee's answer from their own no-reply address (the attendee in
        Reply-To), some with Auto-Submitted, and recording an answer sends nothing back.
        """
        if not mail.calendar or mail.unreadable:
            return []
        if mailpolicy.is_own(mail, self.bot_address, own_id):
            return []
        senders = {mail.sender, *address_list(mail.header("reply-to"))}
        authentic = mailpolicy.authenticated(mail, self.services.settings.authserv_id)
        proven = mail.sender if authentic else None
        return mailcalendar.spoken_for(mailcalendar.replies(mail.calendar), senders, proven)

    async def _record_answers(
        self, conn: aiosqlite.Connection, mail: InboundMail, answers: list[mailcalendar.Answer]
    ) -> tuple[str, Reply | None, bool]:
        """Record a mail's calendar answers: its outcome, what its sender is told, and
        whether the meeting was queued for an attendee who asked for it (REFRESH).

        A time proposed for one of the bot's meetings that was not passed on (a
        stranger's, or for a cancelled meeting) gets a short answer, as a person's
        calendar shows it sent: silence left them waiting for a reply. Mail a machine
        marked as its own (a calendar server's) gets none, and neither the meeting a
        REFRESH asks for: what is sent in answer to it is an automatic response, which
        the no-loop rules (RFC 3834 2) never send to such mail, as for any other.
        """
        now = self.services.now()
        stored, queued = [], False
        automatic = self._ignored(mail, own_id=False)
        for answer in answers:
            if answer.refresh:
                sent = (
                    not automatic
                    and answer.from_attendee
                    and await meetings.send_latest(
                        conn,
                        self.services,
                        uid=answer.uid,
                        email=answer.email,
                        now=now,
                    )
                )
                queued = queued or sent
                stored.append(sent)
            else:
                stored.append(await self._take(conn, answer, now))
        summary = ", ".join(
            f"{a.email} asks for the latest version"
            if a.refresh
            else f"{a.email} proposes {date_text(a.proposed.astimezone(GENEVA))}, all day"
            if a.proposed and a.all_day
            else f"{a.email} proposes {utc_text(a.proposed)} UTC"
            if a.proposed
            else f"{a.email} {a.partstat.lower()}"
            for a in answers
        )
        outcome = f"calendar answer: {summary}" + (
            f" (not answered: {automatic.removeprefix('ignored: ')})"
            if automatic and any(a.refresh for a in answers)  # one calendar: all REFRESH
            else ""
            if all(stored)
            else " (not recorded)"
        )
        ours = [a.proposed is not None and a.organizer == self.bot_address for a in answers]
        refused = next(
            (a for a, taken, our in zip(answers, stored, ours, strict=True) if our and not taken),
            None,
        )
        if refused is None or automatic:
            return outcome, None, queued
        if mailpolicy.unknown_author(mail, self.services.settings.list_address):
            return outcome, None, queued  # the "sender" is the list: every member
        # The answer goes to From: a Reply-To naming the invitee is whatever the writer
        # typed, so only mail from the invitee's own address hears of the meeting.
        own = refused.from_attendee and refused.email == mail.sender
        text = await meetings.proposal_refusal(
            conn, uid=refused.uid, attendee=refused.email, from_attendee=own
        )
        return outcome, Reply(text=text), queued

    @staticmethod
    async def _take(
        conn: aiosqlite.Connection, answer: mailcalendar.Answer, now: dt.datetime
    ) -> bool:
        """Record an answer; for a proposal, tell the organiser of the time proposed and
        record the answer it gives to the time as it stands, if any."""
        if answer.proposed is None or not answer.from_attendee:
            return await mailcalendar.record(conn, answer, now)
        told = await meetings.tell_proposal(
            conn,
            uid=answer.uid,
            email=answer.email,
            name=answer.name,
            partstat=answer.partstat,
            comment=answer.comment,
            start=answer.proposed,
            end=answer.proposed_end,
            sequence=answer.sequence,
            now=now,
            floating=answer.floating,
            undefined_zone=answer.undefined_zone,
            all_day=answer.all_day,
        )
        if told:
            await mailcalendar.record(conn, answer, now)
        return told
