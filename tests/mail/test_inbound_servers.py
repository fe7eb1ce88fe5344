"""The two ways in, against real servers: an MTA delivering over SMTP, a Dovecot mailbox."""

from __future__ import annotations

import asyncio
import email
import signal
import smtplib
import subprocess
import sys
import threading

import pytest
from imapclient import IMAPClient

from bot.handlers import email as email_handler
from bot.handlers.email import PROCESSED_FLAG, EmailConnector, ImapReader, _as_delivered
from storage import mail as mail_store
from tests.mail.conftest import BOT, MailBot, corpus, free_port
from tests.mail.test_rules import message
from tests.test_cli import environment


async def test_smtp_listener_answers_250_after_storing(services, mailbot: MailBot):
    port = free_port()
    services.settings.inbound_smtp_port = port
    await mailbot.connector.connect()

    def send() -> dict:
        with smtplib.SMTP("127.0.0.1", port) as client:
            return client.sendmail("amina.diallo@example.cm", [BOT], corpus("outlook_reply_en.eml"))

    refused = await asyncio.to_thread(send)
    assert refused == {}
    async with services.db.read() as conn:  # stored before the 250 came back
        record = await mail_store.get(conn, "<DB9PR01MB1234@outlook.example.cm>")
    assert record is not None and record.outcome == "answered" and record.source == "smtp"
    [answer] = await mailbot.deliver()
    assert answer.message.get_body(("plain",)).get_content().startswith("Accessibility")


async def test_smtp_listener_reads_an_empty_envelope_sender_as_a_bounce(services, mailbot):
    """An auto-reply sent with `MAIL FROM:<>` and no header saying what it is: relayed
    mail has no Return-Path, so the listener writes the envelope's, and it is not answered."""
    port = free_port()
    services.settings.inbound_smtp_port = port
    await mailbot.connector.connect()

    def send(envelope_sender: str, message_id: str) -> None:
        raw = message(sender="away@example.org", body="help", message_id=message_id)
        with smtplib.SMTP("127.0.0.1", port) as client:
            client.sendmail(envelope_sender, [BOT], raw)

    await asyncio.to_thread(send, "", "<away1@x>")
    await asyncio.to_thread(send, "away@example.org", "<away2@x>")
    async with services.db.read() as conn:
        bounce = await mail_store.get(conn, "<away1@x>")
        person = await mail_store.get(conn, "<away2@x>")
    assert bounce is not None and bounce.outcome == "ignored: empty Return-Path (a bounce)"
    assert person is not None and person.outcome == "answered"
    assert [sent.rcpt_tos for sent in await mailbot.deliver()] == [["away@example.org"]]


async def test_smtp_listener_says_try_later_when_it_cannot_store(services, mailbot: MailBot):
    port = free_port()
    services.settings.inbound_smtp_port = port
    await mailbot.connector.connect()
    await services.db.close()  # storage gone: the MTA must keep the message

    def send() -> None:
        with smtplib.SMTP("127.0.0.1", port) as client:
            client.sendmail("a@example.org", [BOT], corpus("outlook_reply_en.eml"))

    try:
        await asyncio.to_thread(send)
    except smtplib.SMTPDataError as exc:
        assert exc.smtp_code == 451
    else:
        raise AssertionError("the listener accepted a message it could not store")
    await services.db.open()


def imap(dovecot) -> IMAPClient:
    client = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=10)
    client.login(dovecot.user, dovecot.password)
    client.select_folder("INBOX")
    return client


async def wait_for(predicate, limit: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def imap_handled(services, count: int):
    """A check for wait_for: at least `count` messages read from the mailbox are stored."""

    async def check() -> bool:
        async with services.db.read() as conn:
            cur = await conn.execute("SELECT count(*) FROM mail_messages WHERE source='imap'")
            return (await cur.fetchone())[0] >= count

    return check


def mailbox_settings(services, dovecot) -> None:
    s = services.settings
    s.imap_host, s.imap_port, s.imap_tls = "127.0.0.1", dovecot.port, "none"
    s.imap_user, s.imap_password = dovecot.user, dovecot.password


async def test_imap_idle_answers_and_a_restart_repeats_nothing(services, mailbot, dovecot, sink):
    mailbox_settings(services, dovecot)
    client = await asyncio.to_thread(imap, dovecot)
    await asyncio.to_thread(client.append, "INBOX", corpus("out_of_office.eml"))
    listening = asyncio.create_task(mailbot.connector.listen())

    await wait_for(imap_handled(services, 1))  # the message already there
    # Appended while the bot is in IDLE: the server pushes it.
    await asyncio.to_thread(client.append, "INBOX", corpus("outlook_reply_en.eml"))
    await wait_for(imap_handled(services, 2))
    await mailbot.deliver()
    assert len(sink.received) == 1  # the out-of-office got no answer, the question one
    listening.cancel()
    await asyncio.gather(listening, return_exceptions=True)

    flags = await asyncio.to_thread(client.get_flags, [1, 2])
    assert all(PROCESSED_FLAG in f for f in flags.values())
    async with services.db.read() as conn:
        _validity, last = await mail_store.imap_position(conn, "INBOX")
    assert last == 2

    # A new process: nothing handled twice, and the next message is read.
    restarted = EmailConnector(mailbot.app)
    await asyncio.to_thread(client.append, "INBOX", corpus("html_only.eml"))
    again = asyncio.create_task(restarted.listen())
    await wait_for(imap_handled(services, 3))
    again.cancel()
    await asyncio.gather(again, return_exceptions=True)
    await mailbot.deliver()
    assert len(sink.received) == 2
    await asyncio.to_thread(client.logout)


async def test_imap_mail_told_of_in_a_search_answer_is_read_before_idle(
    services, mailbot, dovecot, sink, monkeypatch
):
    """Dovecot answers a SEARCH with the mailbox as it was when the command began, and
    tells of mail that came meanwhile (`* 1 EXISTS`) at its end. IDLE never repeats it:
    the message waited for IDLE's next round (25 s) unless the bot heeds the report."""
    mailbox_settings(services, dovecot)
    client = await asyncio.to_thread(imap, dovecot)
    search = IMAPClient.search
    searches = 0

    def search_as_mail_arrives(self, *args, **kwargs):
        nonlocal searches
        searches += 1
        if searches == 1:  # the bot's first look at the (empty) mailbox
            client.append("INBOX", corpus("outlook_reply_en.eml"))
        return search(self, *args, **kwargs)

    monkeypatch.setattr(IMAPClient, "search", search_as_mail_arrives)
    mailbot.connector.imap_idle_seconds = 120  # a missed report would wait that long
    listening = asyncio.create_task(mailbot.connector.listen())
    await wait_for(imap_handled(services, 1), limit=20)
    listening.cancel()
    await asyncio.gather(listening, return_exceptions=True)
    [answer] = await mailbot.deliver()
    assert answer.message.get_body(("plain",)).get_content().startswith("Accessibility")
    await asyncio.to_thread(client.logout)


async def test_imap_a_size_repeated_unchanged_is_no_new_mail(
    services, mailbot, dovecot, sink, monkeypatch
):
    """A server may give the mailbox's size (`* 1 EXISTS`) in the answer to any command,
    changed or not. Each was taken for new mail: the bot searched again at once, again
    and again, and never went into IDLE. Only a larger size is new mail."""
    mailbox_settings(services, dovecot)
    client = await asyncio.to_thread(imap, dovecot)
    await asyncio.to_thread(client.append, "INBOX", corpus("outlook_reply_en.eml"))
    search = IMAPClient.search
    searches = 0

    def search_telling_the_size(self, *args, **kwargs):
        nonlocal searches
        searches += 1
        found = search(self, *args, **kwargs)
        self._imap.untagged_responses.setdefault("EXISTS", []).append(b"1")  # unchanged
        return found

    monkeypatch.setattr(IMAPClient, "search", search_telling_the_size)
    listening = asyncio.create_task(mailbot.connector.listen())
    await wait_for(imap_handled(services, 1), limit=20)
    await asyncio.sleep(1)
    listening.cancel()
    await asyncio.gather(listening, return_exceptions=True)
    assert searches <= 3, searches
    assert len(await mailbot.deliver()) == 1
    await asyncio.to_thread(client.logout)


async def test_imap_mail_told_of_after_others_removed_some_is_read_before_idle(
    services, mailbot, dovecot, sink, monkeypatch
):
    """The bot read two messages; someone moved both out of its inbox while it was in
    IDLE, and a message came as it searched after: the server said '* 1 EXISTS', a size
    no larger than the two the bot last knew, and it waited for IDLE's next round."""
    mailbox_settings(services, dovecot)
    client = await asyncio.to_thread(imap, dovecot)
    other = await asyncio.to_thread(imap, dovecot)  # appends while `client` moves
    await asyncio.to_thread(client.create_folder, "Archive")
    for name in ("outlook_reply_en.eml", "html_only.eml"):
        await asyncio.to_thread(client.append, "INBOX", corpus(name))
    search = IMAPClient.search
    armed = False

    def search_as_mail_arrives(self, *args, **kwargs):
        nonlocal armed
        if armed:  # the bot's look after the move woke it
            armed = False
            other.append("INBOX", message(message_id="<after-move@x>"))
        return search(self, *args, **kwargs)

    monkeypatch.setattr(IMAPClient, "search", search_as_mail_arrives)
    mailbot.connector.imap_idle_seconds = 120  # a missed report would wait that long
    listening = asyncio.create_task(mailbot.connector.listen())
    await wait_for(imap_handled(services, 2), limit=20)
    await asyncio.sleep(0.5)  # in IDLE
    await asyncio.to_thread(client.select_folder, "INBOX")
    armed = True
    await asyncio.to_thread(client.move, [1, 2], "Archive")
    await wait_for(imap_handled(services, 3), limit=20)
    listening.cancel()
    await asyncio.gather(listening, return_exceptions=True)
    await asyncio.to_thread(client.logout)
    await asyncio.to_thread(other.logout)


async def test_imap_without_idle_is_polled_and_answers_new_mail(
    services, mailbot, dovecot_without_idle, sink
):
    """A mailbox whose server does not offer IDLE is polled: a question appended
    after the bot connected is still read and answered."""
    mailbox_settings(services, dovecot_without_idle)
    client = await asyncio.to_thread(imap, dovecot_without_idle)
    assert b"IDLE" not in await asyncio.to_thread(client.capabilities)
    await asyncio.to_thread(client.append, "INBOX", corpus("out_of_office.eml"))
    mailbot.connector.imap_poll_seconds = 0.2
    listening = asyncio.create_task(mailbot.connector.listen())

    await wait_for(imap_handled(services, 1))  # the message already there
    await asyncio.to_thread(client.append, "INBOX", corpus("outlook_reply_en.eml"))
    await wait_for(imap_handled(services, 2))  # found by a later poll: nothing pushed it
    [answer] = await mailbot.deliver()
    listening.cancel()
    await asyncio.gather(listening, return_exceptions=True)
    assert answer.message.get_body(("plain",)).get_content().startswith("Accessibility")
    flags = await asyncio.to_thread(client.get_flags, [1, 2])
    assert all(PROCESSED_FLAG in f for f in flags.values())
    await asyncio.to_thread(client.logout)


async def test_imap_reader_reconnects_after_a_dropped_connection(services, dovecot):
    mailbox_settings(services, dovecot)
    delivered: list[bytes] = []
    stop = threading.Event()

    def deliver(raws: list[bytes], position: object) -> list[bool]:
        delivered.extend(raws)
        return [True] * len(raws)

    reader = ImapReader(services.settings, deliver, lambda box: None, stop)
    reader.idle_seconds = 0.5
    sessions: list[IMAPClient] = []
    original = reader._client

    def tracking_client() -> IMAPClient:
        client = original()
        sessions.append(client)
        if len(sessions) == 1:  # the first session dies under the reader
            threading.Timer(0.3, client.shutdown).start()
        return client

    reader._client = tracking_client  # type: ignore[method-assign]
    thread = threading.Thread(target=reader.run, daemon=True)
    thread.start()
    await wait_for(lambda: _true(len(sessions) >= 2))
    client = await asyncio.to_thread(imap, dovecot)
    await asyncio.to_thread(
        client.append, "INBOX", b"From: a@example.org\r\nSubject: x\r\n\r\nhi\r\n"
    )
    await wait_for(lambda: _true(bool(delivered)))
    stop.set()
    await asyncio.to_thread(thread.join, 5)
    assert not thread.is_alive()


@pytest.mark.parametrize(("rounds", "last_wait"), [(1, 1.0), (0, 8.0)])
async def test_imap_reader_backs_off_while_failing_and_not_after_a_good_session(
    services, dovecot, rounds, last_wait
):
    """Each failed connection doubles the wait before the next; a session that
    worked for a whole round (drain, then IDLE) starts that over, so a drop hours
    later is retried at once, not after the longest wait the bot ever reached.
    One that drops before (a server that drops every session) keeps backing off."""
    mailbox_settings(services, dovecot)
    waits: list[float] = []

    class RecordingStop(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            waits.append(timeout or 0.0)
            return super().wait(0.01)

    stop = RecordingStop()
    reader = ImapReader(services.settings, lambda raws, position: [], lambda box: None, stop)
    reader.idle_seconds = 0.2
    attempts: list[IMAPClient | None] = []
    connect, drain = reader._client, reader._drain

    def client_of_a_flaky_server() -> IMAPClient:
        if len(attempts) < 3:  # the server is restarting
            attempts.append(None)
            raise ConnectionRefusedError("connection refused")
        attempts.append(connect())
        if len(attempts) == 5:
            stop.set()
        return attempts[-1]

    drains: list[IMAPClient] = []

    def drain_then_drop(client: IMAPClient, mailbox: str, validity: int) -> None:
        drain(client, mailbox, validity)
        drains.append(client)
        if len(attempts) == 4 and drains.count(client) == rounds + 1:
            client.shutdown()  # after `rounds` rounds that worked

    reader._client = client_of_a_flaky_server  # type: ignore[method-assign]
    reader._drain = drain_then_drop  # type: ignore[method-assign]
    thread = threading.Thread(target=reader.run, daemon=True)
    thread.start()
    await asyncio.to_thread(thread.join, 15)
    assert not thread.is_alive()
    assert len(attempts) == 5
    assert waits == [1.0, 2.0, 4.0, last_wait]


async def test_imap_fetches_a_backlog_in_groups_of_bounded_size(services, dovecot, monkeypatch):
    """Big messages are fetched a few at a time (the bot's memory holds a group), in
    UID order, each group handed over and flagged before the next is fetched."""
    mailbox_settings(services, dovecot)
    client = await asyncio.to_thread(imap, dovecot)
    bodies = [
        f"From: a@example.org\r\nSubject: {n}\r\n\r\n{'x' * 100 * (n + 1)}\r\n".encode()
        for n in range(4)
    ]
    for body in bodies:
        await asyncio.to_thread(client.append, "INBOX", body)
    # Room for the first two together; each of the others is alone (the last is over it).
    monkeypatch.setattr(email_handler, "IMAP_FETCH_BYTES", len(bodies[0]) + len(bodies[1]) + 2)
    groups: list[list[bytes]] = []
    stop = threading.Event()

    def deliver(raws: list[bytes], position: object) -> list[bool]:
        groups.append(raws)
        if sum(map(len, groups)) == len(bodies):
            stop.set()
        return [True] * len(raws)

    reader = ImapReader(services.settings, deliver, lambda box: None, stop)
    reader.idle_seconds = 0.5
    thread = threading.Thread(target=reader.run, daemon=True)
    thread.start()
    await asyncio.to_thread(thread.join, 15)
    assert not thread.is_alive()
    assert [[raw.replace(b"\r\n", b"\n") for raw in group] for group in groups] == [
        [body.replace(b"\r\n", b"\n") for body in group]
        for group in ([bodies[0], bodies[1]], [bodies[2]], [bodies[3]])
    ]
    flags = await asyncio.to_thread(client.get_flags, [1, 2, 3, 4])
    assert all(PROCESSED_FLAG in f for f in flags.values())
    await asyncio.to_thread(client.logout)


async def _true(value: bool) -> bool:
    return value


@pytest.mark.parametrize(("flags", "chatty"), [((), False), (("-v",), True)])
def test_the_running_bots_log_holds_no_line_per_smtp_command_unless_verbose(
    tmp_path, flags, chatty
):
    """`iscg-bot run` with the SMTP listener: aiosmtpd logs each connection and each
    command line at INFO, a dozen lines a message. They are left out unless asked for."""
    port = free_port()
    env = environment(tmp_path, {"ISCG_INBOUND_SMTP_PORT": str(port), "ISCG_BOT_ADDRESS": BOT})
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *flags, "run"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        seen = ""
        while "web server on port" not in seen:
            line = proc.stderr.readline()
            assert line, seen  # the bot ended before it was ready
            seen += line
        with smtplib.SMTP("127.0.0.1", port) as client:
            refused = client.sendmail(
                "amina.diallo@example.cm", [BOT], corpus("outlook_reply_en.eml")
            )
        assert refused == {}
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log = seen + rest
    assert proc.returncode == 0, log
    assert ("mail.log" in log) is chatty, log


def bcc(sender: str, to: str, body: str, message_id: str, headers: str = "") -> bytes:
    """Mail with the bot in Bcc: no header of the sender's names it."""
    raw = message(sender=sender, to=to, subject="Question", body=body, message_id=message_id)
    return raw.replace(b"Subject:", headers.encode() + b"Subject:", 1)


async def test_a_question_sent_to_the_bot_in_bcc_is_answered(services, mailbot, dovecot, sink):
    """A member who Bccs the bot (To: the member, or no one) got nothing: no To or Cc
    held its address. The envelope does: the MTA's delivery, or the Delivered-To the
    mailbox's server wrote. Mail to someone else with the bot in Bcc is answered only
    when it asks something the bot knows; a list post that only reaches it is not."""
    port = free_port()
    services.settings.inbound_smtp_port = port
    await mailbot.connector.connect()
    alone = bcc("amina@example.cm", "undisclosed-recipients:;", "who coordinates AI?", "<b1@x>")
    to_jane = bcc("li@example.cn", "jane@example.org", "Jane, see the draft below.", "<b2@x>")
    asks = bcc("ana@example.br", "jane@example.org", "When is the next meeting?", "<b3@x>")
    post = bcc(
        "tom@example.org", "int-sect-group@lists.example.int", "who coordinates AI?", "<b4@x>"
    )

    def send() -> None:
        with smtplib.SMTP("127.0.0.1", port) as client:
            for raw in (alone, to_jane, asks, post):
                client.sendmail("someone@example.org", [BOT], raw)

    await asyncio.to_thread(send)
    # The same from a mailbox: its server wrote Delivered-To (and Postfix X-Original-To).
    mailbox_settings(services, dovecot)
    client = await asyncio.to_thread(imap, dovecot)
    delivered = f"Delivered-To: {BOT}\r\n"
    to_self = bcc("noah@example.cn", "noah@example.cn", "What are my action items?", "<b5@x>")
    original = bcc("li@example.cn", "", "help", "<b6@x>", f"X-Original-To: {BOT}\r\n")
    for raw in (delivered.encode() + to_self, original):
        await asyncio.to_thread(client.append, "INBOX", raw)
    listening = asyncio.create_task(mailbot.connector.listen())
    await wait_for(imap_handled(services, 2))
    listening.cancel()
    await asyncio.gather(listening, return_exceptions=True)
    await asyncio.to_thread(client.logout)
    async with services.db.read() as conn:
        outcomes = [(await mail_store.get(conn, f"<b{n}@x>")).outcome for n in range(1, 7)]
    assert outcomes == [
        "answered",
        "ignored: the bot is only in copy, and nothing asks it",
        "answered",
        "recorded",
        "answered",
        "answered",
    ]
    answers = {m.rcpt_tos[0]: m.message for m in await mailbot.deliver()}
    assert set(answers) == {
        "amina@example.cm",
        "ana@example.br",
        "noah@example.cn",
        "li@example.cn",
    }
    text = answers["amina@example.cm"].get_body(("plain",)).get_content()
    assert text.startswith("Artificial Intelligence: who coordinates")
    assert "Your open actions" in answers["noah@example.cn"].get_body(("plain",)).get_content()


def test_an_envelope_address_cannot_write_a_header_of_its_own():
    """The listener writes the envelope on top of the message (Return-Path, Delivered-To),
    where the bot reads it first: a line break in an address sent straight to the
    listener would have put a header of the sender's (Authentication-Results) there."""
    forged = "eve@example.org\rAuthentication-Results: mx.iscg.example; dkim=pass"
    delivered = _as_delivered(forged, [f"{BOT}\r\nX-Loop: none"], b"Subject: hi\r\n\r\nhello\r\n")
    headers = email.message_from_bytes(delivered)
    assert headers.get_all("Authentication-Results") is None
    assert headers.get_all("X-Loop") is None
    assert headers["Subject"] == "hi"
