"""The outbox as one platform's slowness meets the others: a mail server slow to take
a message does not hold back the reminders and answers queued for chat."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.core import Reply
from bot.handlers.base import Connector
from bot.outgoing import queue_chat
from storage import outbox
from tests.mail.conftest import MailBot, queue_notice


class ChatRecorder(Connector):
    """A chat platform that posts at once, and says so."""

    name = platform = "discord"

    def __init__(self, app, sink) -> None:
        super().__init__(app)
        self.sink = sink
        self.posted: list[tuple[str, int]] = []  # (destination, mails the server had taken)
        self.done = asyncio.Event()

    @classmethod
    def configured(cls, settings) -> bool:
        return True

    @classmethod
    def requirement(cls) -> str:
        return ""

    async def listen(self) -> None:
        return None

    async def send(self, row: outbox.OutboxRow) -> None:
        self.posted.append((row.destination, len(self.sink.received)))
        self.done.set()


async def test_a_chat_reminder_goes_while_a_slow_mail_server_still_holds_a_mail(
    services, mailbot: MailBot, sink
):
    """The mail was queued first and the server takes its time answering DATA: the
    reminder queued for Discord meanwhile is posted before the mail is accepted."""
    chat = ChatRecorder(mailbot.app, sink)
    mailbot.app.connectors["discord"] = chat
    sink.hold = asyncio.Event()
    mail = await queue_notice(services, "slow")
    running = asyncio.create_task(mailbot.app.dispatcher.run())
    try:
        await sink.holding.wait()  # the mail is on the wire
        async with services.db.transaction() as conn:
            reminder = await queue_chat(
                conn,
                destination="discord:42",
                kind="reminder",
                reply=Reply(text="Reminder: ISCG coordination in 15 minutes"),
                now=services.now(),
                dedupe_key="reminder-1",
            )
        mailbot.app.notify_outbox()
        await chat.done.wait()
        assert chat.posted == [("discord:42", 0)]  # the server had taken no mail yet
        async with services.db.read() as conn:
            assert (await outbox.get(conn, mail)).status == "sending"
            assert (await outbox.get(conn, reminder)).status in ("sending", "sent")
    finally:
        sink.hold.set()
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


async def test_a_mail_taken_while_the_database_was_locked_is_recorded_once_it_is_free(
    services, mailbot: MailBot, sink, caplog
):
    """The server answered 250 while another process held the database: the row cannot
    be marked sent then. The log says so, the mail is not sent again, and the row is
    marked sent as soon as the database can be written (not only after a restart)."""
    await services.db.conn.execute("PRAGMA busy_timeout = 0")  # locked: no waiting it out
    sink.hold = asyncio.Event()
    row = await queue_notice(services, "locked")
    delivering = asyncio.create_task(mailbot.deliver())
    await sink.holding.wait()  # claimed and committed; the mail is on the wire
    other = sqlite3.connect(services.settings.db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another writer holds the database
        sink.hold.set()
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            await delivering
        assert len(sink.received) == 1
        assert (
            f"outbox row {row} to email:amina@example.cm was sent, but the database could not"
            " record it (database is locked)" in caplog.text
        )
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert await mailbot.deliver() == []  # not sent again
    async with services.db.read() as conn:
        assert (await outbox.get(conn, row)).status == "sent"
