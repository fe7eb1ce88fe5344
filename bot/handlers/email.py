"""E-mail: a mailbox read over IMAP, an SMTP listener for an MTA, and SMTP delivery.

Inbound, a message is acknowledged (IMAP flag and stored UID; SMTP `250`)
only after `MailFlow.handle_many` committed what it caused. The IMAP side runs
IMAPClient, which blocks, in a thread of its own that fetches new mail in
batches, hands each batch to the event loop and waits for the commit; the
SMTP listener groups deliveries that arrive while a batch is being handled
into the next one. Outbound, one SMTP connection is kept open across the
dispatcher's sends (a batch) and closed when idle.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import re
import ssl
import textwrap
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiosmtplib
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session
from imapclient import IMAPClient

from bot.config import Settings, cannot_listen
from bot.handlers.base import Connector, DeliveryError
from bot.mailbuild import international, reply_subject, wire_bytes
from bot.mailflow import MailFlow, Outcome
from storage import mail as mail_store
from storage.outbox import OutboxRow

log = logging.getLogger(__name__)

PROCESSED_FLAG = b"$IscgProcessed"
BACKOFF_MAX = 60.0
# Messages fetched by one IMAP command and handed over (and committed) together:
# enough to share transactions and the reader's worker (a backlog is read about
# 15% faster than in fifties), few enough that a restart redoes little, and no
# more bytes than a small part of the bot's memory (a bigger message comes alone).
IMAP_FETCH_BATCH = 100
IMAP_FETCH_BYTES = 25_000_000
# A relay's refusal to carry the bot's mail at all, as Postfix, Sendmail, Exim and
# Exchange word it; "User unknown in relay recipient table" is about one recipient.
RELAY_DENIED = re.compile(
    r"relay(?:ing)?(?: access)? (?:denied|not permitted|prohibited)|unable to relay", re.I
)


class EmailConnector(Connector):
    name = "email"
    platform = "email"
    smtp_idle_seconds = 30.0
    imap_idle_seconds = 25.0  # re-issue IDLE this often (and notice a stop request)
    imap_poll_seconds = 30.0  # for servers without IDLE

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.settings: Settings = app.services.settings
        self.flow = MailFlow(app.services)
        self._smtp: aiosmtplib.SMTP | None = None
        self._smtp_used = 0.0
        self._smtp_lock = asyncio.Lock()
        self._server: asyncio.base_events.Server | None = None
        self._stop = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._inbox = GroupCommit(self.receive_many)

    @classmethod
    def configured(cls, settings: Settings) -> bool:
        return bool(settings.smtp_host or settings.imap_host or settings.inbound_smtp_port)

    @classmethod
    def requirement(cls) -> str:
        return "set ISCG_SMTP_HOST to send, ISCG_IMAP_HOST or ISCG_INBOUND_SMTP_PORT to receive"

    @property
    def can_send(self) -> bool:
        return bool(self.settings.smtp_host)

    # -- inbound -------------------------------------------------------------

    async def receive(self, raw: bytes, source: str) -> str:
        """One delivery, handled with those arriving at the same time; raises if not stored."""
        outcome = await self._inbox.submit(raw, source)
        return outcome.text

    async def receive_many(
        self, deliveries: Sequence[tuple[bytes, str]]
    ) -> list[Outcome | Exception]:
        """Messages handled together (an IMAP fetch, SMTP deliveries arriving at once)."""
        results = await self.flow.handle_many(deliveries)
        if any(isinstance(r, Outcome) and r.queued for r in results):
            self.app.notify_outbox()
        return results

    async def connect(self) -> None:
        if self.settings.imap_host:  # a mailbox may hold a backlog: have its reader ready
            await self.flow.reader.start()
        port = self.settings.inbound_smtp_port
        if port:
            handler = _InboundHandler(self)
            host = self.settings.inbound_smtp_host
            try:
                self._server = await asyncio.get_running_loop().create_server(
                    lambda: SMTPServer(handler, enable_SMTPUTF8=True, hostname="iscg-bot"),
                    host,
                    port,
                )
            except OSError as exc:
                raise cannot_listen(
                    exc, host, port, "ISCG_INBOUND_SMTP_PORT", "ISCG_INBOUND_SMTP_HOST"
                ) from None
            log.info("mail: SMTP listener on %s:%s", self.settings.inbound_smtp_host, port)

    async def listen(self) -> None:
        self._loop = asyncio.get_running_loop()
        tasks = [asyncio.create_task(self._close_idle_smtp())]
        if self.settings.imap_host:
            done: asyncio.Future[None] = self._loop.create_future()
            reader = ImapReader(
                self.settings, self._deliver_from_thread, self._position_from_thread, self._stop
            )
            reader.idle_seconds, reader.poll_seconds = (
                self.imap_idle_seconds,
                self.imap_poll_seconds,
            )
            thread = threading.Thread(
                target=_run_then_resolve, args=(reader.run, done), name="imap", daemon=True
            )
            thread.start()
            tasks.append(asyncio.ensure_future(done))
        try:
            await asyncio.gather(*tasks)
        finally:
            self._stop.set()
            for task in tasks:
                task.cancel()

    def _deliver_from_thread(self, raws: list[bytes], position: ImapPosition) -> list[bool]:
        """Called by the IMAP thread: handle on the loop, store the UID, wait for both."""
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(self._receive_imap(raws, position), self._loop)
        return future.result()

    async def _receive_imap(self, raws: list[bytes], position: ImapPosition) -> list[bool]:
        """Which messages were handled; the stored UID moves past the leading ones only.

        A message after a failed one may be handled (and is flagged), but the
        search from the stored UID must still find the failed one.
        """
        results = await self.receive_many([(raw, "imap") for raw in raws])
        handled = [not isinstance(result, Exception) for result in results]
        mailbox, validity, uids = position
        leading = [*handled, False].index(False)
        if leading:
            async with self.app.services.db.transaction() as conn:
                await mail_store.set_imap_position(conn, mailbox, validity, uids[leading - 1])
        return handled

    def _position_from_thread(self, mailbox: str) -> tuple[int, int] | None:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(self._position(mailbox), self._loop).result()

    async def _position(self, mailbox: str) -> tuple[int, int] | None:
        async with self.app.services.db.read() as conn:
            return await mail_store.imap_position(conn, mailbox)

    # -- outbound ------------------------------------------------------------

    async def send(self, row: OutboxRow) -> None:
        payload = row.payload
        if "message_id" not in payload:
            payload = await self._as_thread_post(row)
        recipients = [str(address) for address in payload["to"]]
        options = ["SMTPUTF8"] if international(self.settings.bot_address, recipients) else []
        async with self._smtp_lock:
            for fresh_only in (False, True):
                smtp, fresh = await self._connection(force_new=fresh_only)
                data = self._wire(
                    payload, row.created_at, eight_bit=smtp.supports_extension("8bitmime")
                )
                body = ["BODY=8BITMIME"] if not data.isascii() else []
                try:
                    errors, _ = await smtp.sendmail(
                        self.settings.bot_address, recipients, data, mail_options=options + body
                    )
                except aiosmtplib.SMTPServerDisconnected as exc:
                    await self._drop()
                    if fresh:
                        raise DeliveryError(f"SMTP server disconnected: {exc}") from None
                    continue  # a kept connection the server had closed: one new try
                except aiosmtplib.SMTPRecipientsRefused as exc:
                    codes = [r.code for r in exc.recipients]
                    detail = "; ".join(
                        f"{r.recipient}: {r.code} {r.message}" for r in exc.recipients
                    )
                    # Logged in, a recipient the relay will not take is that recipient's
                    # (a domain the relay does not serve): held as the bot's, that row
                    # would hold all mail behind it, and for good.
                    for r in exc.recipients if not self.settings.smtp_user else ():
                        if settings := _settings_at_fault(r.code, r.message, sender=False):
                            raise _refusing_the_bot(detail, settings) from None
                    raise DeliveryError(detail, permanent=all(c >= 500 for c in codes)) from None
                except aiosmtplib.SMTPResponseException as exc:
                    await self._drop()
                    detail = f"{exc.code} {exc.message}"
                    sender = isinstance(exc, aiosmtplib.SMTPSenderRefused)
                    if settings := _settings_at_fault(exc.code, exc.message, sender=sender):
                        raise _refusing_the_bot(detail, settings) from None
                    raise DeliveryError(detail, permanent=exc.code >= 500) from None
                except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                    await self._drop()
                    raise DeliveryError(f"SMTP: {exc!r}") from None
                for address, response in errors.items():
                    log.warning(
                        "mail %s refused for %s: %s", payload["message_id"], address, response
                    )
                self._smtp_used = time.monotonic()
                return

    def _wire(self, payload: dict[str, Any], queued_at: dt.datetime, *, eight_bit: bool) -> bytes:
        """The queued bytes; built here for a chat-shaped row, or again for a 7-bit server.

        Either way the Date is when the row was queued, as for the queued bytes.
        """
        queued = payload.get("mime")
        if queued is not None and (eight_bit or queued.isascii()):
            return str(queued).encode("utf-8")
        return wire_bytes(
            payload, bot_address=self.settings.bot_address, now=queued_at, eight_bit=eight_bit
        )

    async def _connection(self, *, force_new: bool) -> tuple[aiosmtplib.SMTP, bool]:
        if self._smtp is not None and self._smtp.is_connected and not force_new:
            return self._smtp, False
        await self._drop()
        s = self.settings
        if not s.smtp_host:
            raise DeliveryError("ISCG_SMTP_HOST is not set")
        smtp = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            use_tls=s.smtp_tls == "ssl",
            start_tls=s.smtp_tls == "starttls",
            timeout=60,
        )
        try:
            await smtp.connect()
            if smtp.is_ehlo_or_helo_needed:  # to know whether the server takes 8BITMIME
                await smtp.ehlo()
            if s.smtp_user and not smtp.supports_extension("auth"):
                # Often a login offered only over TLS: aiosmtplib would say so as any error.
                raise _refusing_the_bot(
                    "no login offered on this connection, and ISCG_SMTP_USER is set",
                    "ISCG_SMTP_TLS and ISCG_SMTP_PORT",
                )
            if s.smtp_user:
                await smtp.login(s.smtp_user, s.smtp_password or "")
        except aiosmtplib.SMTPResponseException as exc:  # a login refused, a greeting not 220
            with contextlib.suppress(Exception):
                smtp.close()
            detail = f"{exc.code} {exc.message}"
            if settings := _settings_at_fault(exc.code, exc.message, sender=False):
                raise _refusing_the_bot(detail, settings) from None
            raise DeliveryError(detail, unreachable=True) from None
        except DeliveryError:
            with contextlib.suppress(Exception):
                smtp.close()
            raise
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise DeliveryError(
                f"cannot reach the SMTP server: {exc!r}", unreachable=True
            ) from None
        self._smtp = smtp
        return smtp, True

    async def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None and smtp.is_connected:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(smtp.quit(), 5)
            smtp.close()

    async def _close_idle_smtp(self) -> None:
        while True:
            await asyncio.sleep(min(5.0, self.smtp_idle_seconds))
            if (
                self._smtp is not None
                and time.monotonic() - self._smtp_used > self.smtp_idle_seconds
            ):
                async with self._smtp_lock:
                    await self._drop()

    async def _as_thread_post(self, row: OutboxRow) -> dict[str, Any]:
        """A chat-shaped payload queued for an e-mail channel (`email:<thread root>`).

        Meeting code speaks to "the channel" a meeting runs in; for a mail thread
        that is the list, in that thread. The Message-ID derives from the row, so
        a retry carries the same one.
        """
        target = row.destination.partition(":")[2]
        digest = hashlib.sha256(f"{row.id}:{row.created_at}".encode()).hexdigest()[:24]
        domain = self.settings.bot_address.rpartition("@")[2] or "localhost"
        payload: dict[str, Any] = {
            "message_id": f"<{digest}@{domain}>",
            "text": row.payload.get("text", ""),
            "auto_submitted": "auto-generated",
        }
        if target.startswith("<"):
            async with self.app.services.db.read() as conn:
                root = await mail_store.get(conn, target)
            payload |= {
                "to": [self.settings.list_address],
                "to_list": True,
                "subject": reply_subject(root.subject if root else "ISCG"),
                "in_reply_to": target,
                "references": [target],
            }
        else:  # a person's own conversation with the bot (see `MailFlow._speaks_in`)
            opening = payload["text"].strip().partition("\n")[0]
            payload |= {"to": [target], "subject": textwrap.shorten(opening, 100) or "ISCG"}
        return payload

    async def disconnect(self) -> None:
        self._stop.set()
        self.flow.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        async with self._smtp_lock:
            await self._drop()


class GroupCommit:
    """Deliveries that arrive while a batch is being handled go together in the next.

    Each caller's `submit` returns (or raises) only once its own message was
    committed (or was not), so the SMTP listener still answers 250 per message
    after its commit, yet concurrent deliveries share one transaction.
    """

    def __init__(
        self, handle: Callable[[list[tuple[bytes, str]]], Awaitable[list[Outcome | Exception]]]
    ) -> None:
        self._handle = handle
        self._waiting: list[tuple[tuple[bytes, str], asyncio.Future[Outcome]]] = []
        self._task: asyncio.Task[None] | None = None

    async def submit(self, raw: bytes, source: str) -> Outcome:
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting.append(((raw, source), future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._handle_waiting())
        return await future

    async def _handle_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                results = await self._handle([delivery for delivery, _ in batch])
            except Exception as exc:
                results = [exc] * len(batch)
            for (_, future), result in zip(batch, results, strict=True):
                if future.done():  # its sender gave up waiting
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)


class _InboundHandler:
    """aiosmtpd handler: 250 only once the message is handled and committed."""

    def __init__(self, connector: EmailConnector) -> None:
        self.connector = connector

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            delivered = _as_delivered(envelope.mail_from, envelope.rcpt_tos, bytes(raw or b""))
            outcome = await self.connector.receive(delivered, "smtp")
        except Exception:
            log.exception("inbound mail from %s not stored", envelope.mail_from)
            return "451 4.3.0 Not stored, try again later"
        return f"250 OK {outcome[:60]}"


def _settings_at_fault(code: int, message: str, *, sender: bool) -> str | None:
    """The settings to check when a refusal is about the bot rather than one message.

    A relay that wants a login (530, 535, "authentication required") or will not
    relay for the bot refuses every message alike until its ISCG_SMTP_* settings
    are mended; failing each row for good would lose them all. Refused as the
    sender (MAIL FROM), it is the bot too, unless the message's size (552) or
    parameters (555) were. None: the refusal is the message's own (an unknown mailbox).
    A relay denied is so even as a 4xx (Postfix with `soft_bounce`): retried row by
    row, every one would fail after its last try.
    """
    if RELAY_DENIED.search(message):
        return "ISCG_SMTP_HOST, ISCG_SMTP_USER and ISCG_SMTP_PASSWORD"
    if code < 500:
        return None
    if code in (530, 535) or "authenticat" in message.lower():
        return "ISCG_SMTP_USER and ISCG_SMTP_PASSWORD"
    if sender and code not in (552, 555):
        return "ISCG_BOT_ADDRESS, ISCG_SMTP_USER and ISCG_SMTP_PASSWORD"
    return None


def _refusing_the_bot(detail: str, settings: str) -> DeliveryError:
    """The relay refuses the bot: mail waits, as for a server out of reach (see `Dispatcher`)."""
    return DeliveryError(
        f"{detail} (the SMTP server refuses the bot's mail: check {settings})", unreachable=True
    )


def _as_delivered(mail_from: str | None, rcpt_tos: list[str], raw: bytes) -> bytes:
    """The message with its envelope on top, as the final delivery writes it (RFC 5321):
    the sender as Return-Path, each recipient as Delivered-To (as Postfix and Dovecot do).

    Mail relayed to the listener carries no Return-Path, and an empty envelope
    sender (`MAIL FROM:<>`) is how bounces and auto-replies show what they are,
    often with no header saying so. Placed first, it is the one the bot reads.
    The recipients are the only trace of a Bcc: no header the sender wrote names the bot.
    """
    sender = _one_line(mail_from or "").strip().removeprefix("<").removesuffix(">")
    lines = [f"Return-Path: <{sender}>", *(f"Delivered-To: {_one_line(r)}" for r in rcpt_tos)]
    return "".join(f"{line}\r\n" for line in lines).encode("utf-8", "surrogateescape") + raw


def _one_line(text: str) -> str:
    """An envelope address as one header line: a line break in it (which no client
    should send) would put a header of the sender's above the ones the bot trusts."""
    return "".join(text.splitlines())


def _run_then_resolve(work: Callable[[], None], done: asyncio.Future[None]) -> None:
    """Run the blocking loop (it handles its own errors), then wake the awaiting task."""
    try:
        work()
    finally:
        with contextlib.suppress(RuntimeError):  # the event loop is already closed
            done.get_loop().call_soon_threadsafe(lambda: done.done() or done.set_result(None))


ImapPosition = tuple[str, int, list[int]]  # mailbox, UIDVALIDITY, the UIDs handed over


class ImapReader:
    """The blocking IMAP loop: IDLE or poll, fetch new mail, hand it over, flag it."""

    def __init__(
        self,
        settings: Settings,
        deliver: Callable[[list[bytes], ImapPosition], list[bool]],
        position: Callable[[str], tuple[int, int] | None],
        stop: threading.Event,
    ) -> None:
        self.settings = settings
        self.deliver = deliver
        self.position = position
        self.stop = stop
        self.idle_seconds = EmailConnector.imap_idle_seconds
        self.poll_seconds = EmailConnector.imap_poll_seconds
        self.backoff = 1.0  # the wait before the next reconnection, doubled by each failure

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self._session()
            except Exception as exc:
                backoff = self.backoff
                log.warning("IMAP connection lost (%r); reconnecting in %.0f s", exc, backoff)
                self.stop.wait(backoff)
                self.backoff = min(backoff * 2, BACKOFF_MAX)

    def _client(self) -> IMAPClient:
        s = self.settings
        assert s.imap_host
        context = ssl.create_default_context()
        client = IMAPClient(
            s.imap_host, port=s.imap_port, ssl=s.imap_tls == "ssl", ssl_context=context, timeout=60
        )
        if s.imap_tls == "starttls":
            client.starttls(context)
        client.login(s.imap_user or "", s.imap_password or "")
        return client

    def _session(self) -> None:
        client = self._client()
        try:
            mailbox = self.settings.imap_mailbox
            selected = client.select_folder(mailbox)
            validity = int(selected[b"UIDVALIDITY"])
            idle = b"IDLE" in client.capabilities()
            _, size = _reported_size(client, int(selected.get(b"EXISTS", 0)))  # SELECT's
            while not self.stop.is_set():
                self._drain(client, mailbox, validity)
                new, size = _reported_size(client, size)
                if new:
                    continue  # came during the drain: IDLE would not tell of it again
                if idle:
                    client.idle()
                    told = []
                    try:
                        told = client.idle_check(timeout=self.idle_seconds)
                    finally:
                        told += client.idle_done()[1]
                else:
                    self.stop.wait(self.poll_seconds)
                    told = client.noop()[1]
                size = _size_told(told, size)
                # A whole round worked: a drop hours later is a new fault, retried at
                # once (a server that drops every session still gets the long waits).
                self.backoff = 1.0
        finally:
            with contextlib.suppress(Exception):
                client.logout()

    def _drain(self, client: IMAPClient, mailbox: str, validity: int) -> None:
        """Hand over every message not yet processed, in UID order and in batches.

        The handled messages of a batch are flagged; a failure stops the drain
        (the connection is dropped and the unflagged message retried). The
        stored UID keeps a big mailbox from being searched whole; the flag
        covers a message handled just before a crash stored its UID.
        """
        stored = self.position(mailbox)
        last = stored[1] if stored and stored[0] == validity else 0
        criteria = ["UID", f"{last + 1}:*", "UNKEYWORD", PROCESSED_FLAG.decode()]
        uids = sorted(uid for uid in client.search(criteria) if uid > last)
        for first in range(0, len(uids), IMAP_FETCH_BATCH):
            some = uids[first : first + IMAP_FETCH_BATCH]
            fetched = client.fetch(some, ["RFC822.SIZE"])
            sizes = {uid: data.get(b"RFC822.SIZE", 0) for uid, data in fetched.items()}
            for wanted in _by_size(some, sizes):
                if self.stop.is_set():
                    return
                self._hand_over(client, mailbox, validity, wanted)

    def _hand_over(
        self, client: IMAPClient, mailbox: str, validity: int, wanted: list[int]
    ) -> None:
        """Fetch these messages, have them handled, flag those that were."""
        fetched = client.fetch(wanted, ["BODY.PEEK[]"])
        found = [uid for uid in wanted if fetched.get(uid)]
        if not found:
            return
        raws = [fetched[uid][b"BODY[]"] for uid in found]
        handled = self.deliver(raws, (mailbox, validity, found))
        done = [uid for uid, ok in zip(found, handled, strict=True) if ok]
        if done:
            client.add_flags(done, [PROCESSED_FLAG, b"\\Seen"])
        if len(done) < len(found):
            raise RuntimeError(f"{len(found) - len(done)} message(s) not handled; retrying")


def _reported_size(client: IMAPClient, size: int) -> tuple[bool, int]:
    """Whether the server reported new mail since last asked (`* n EXISTS`), and the
    mailbox's size as known now, from `size`; the reports are forgotten once read.

    A server tells of new mail once, at the end of whichever command it noticed it
    in: Dovecot answers a SEARCH with the mailbox as the command found it, then
    adds `* 2 EXISTS` for a message that came meanwhile. IDLE does not repeat
    that; a client that misses it leaves the message for IDLE's next round. Only a
    size larger than the one known, less what was expunged meanwhile (`* n
    EXPUNGE`), is new mail: a server may repeat the size in answers where nothing
    changed (RFC 3501 7: any command may carry it), and taken as new mail each time,
    the bot searched again and again, never in IDLE. The size kept errs low (in which
    order the two came is not known): that costs one more search, never a message.
    IMAPClient keeps such reports where only imaplib's `response()` reads them (its
    issue #152).
    """
    _, expunged = client._imap.response("EXPUNGE")
    _, counts = client._imap.response("EXISTS")
    removed = len(expunged) if expunged != [None] else 0
    if counts == [None]:
        return False, max(size - removed, 0)
    told = int(counts[-1])
    return told > size - removed, max(told - removed, 0)


def _size_told(responses: list[tuple[object, ...]], size: int) -> int:
    """The mailbox's size after what IDLE or NOOP told (IMAPClient reads these itself,
    as `(3, b"EXISTS")` and `(1, b"EXPUNGE")`): messages others removed meanwhile
    make it smaller, and new mail then no larger than the size once known is still new."""
    for response in responses:
        if len(response) < 2 or not isinstance(response[0], int):
            continue
        if response[1] == b"EXISTS":
            size = response[0]
        elif response[1] == b"EXPUNGE":
            size -= 1
    return size


def _by_size(uids: list[int], sizes: dict[int, int]) -> list[list[int]]:
    """The UIDs in order, in groups of at most IMAP_FETCH_BYTES (a bigger message alone;
    one the server gave no size for counts as none)."""
    groups: list[list[int]] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if not groups or total + size > IMAP_FETCH_BYTES:
            groups.append([])
            total = 0
        groups[-1].append(uid)
        total += size
    return groups
