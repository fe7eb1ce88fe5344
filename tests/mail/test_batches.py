"""Mail handled in batches (an IMAP fetch, SMTP deliveries arriving together): each
message is handled once and in order, and acknowledged only after its own effects
committed, whatever happens to the others in its batch."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot import actions as action_items
from bot import mailflow
from bot.app import open_services
from bot.config import Settings
from bot.core import Reply
from bot.handlers.email import PROCESSED_FLAG
from bot.mailflow import MailFlow, Outcome
from bot.mailparse import parse
from bot.mailreader import CHUNK, MailReader
from bot.services import Services
from storage import mail as mail_store
from storage import outbox, people
from tests.mail.conftest import BOT, CORPUS, LIST, MailBot
from tests.mail.test_inbound_servers import imap, mailbox_settings, wait_for

ROOT = Path(__file__).parent.parent.parent


def post(number: int) -> bytes:
    """A list post in one thread, with an ACTION line of its own and one quoted."""
    return (
        f"From: Member {number} <member{number}@example.org>\r\nTo: {LIST}\r\n"
        f"Subject: Re: [ISCG] Thread\r\nMessage-ID: <post-{number}@example.org>\r\n"
        f"In-Reply-To: <post-{number - 1}@example.org>\r\n"
        f"References: <root@example.org> <post-{number - 1}@example.org>\r\n"
        "List-Id: <int-sect-group.lists.example.int>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Dear colleagues,\r\n\r\nACTION: Member {number} to send comments on document"
        f" {number}\r\n\r\nOn Mon, 23 Nov 2026 at 09:00, Someone <s@example.org> wrote:\r\n"
        "> ACTION: quoted, not recorded\r\n"
    ).encode()


def question(number: int) -> bytes:
    """Mail to the bot asking for help: answered inside its batch."""
    return (
        f"From: Asker <asker{number}@example.org>\r\nTo: {BOT}\r\nSubject: help\r\n"
        f"Message-ID: <question-{number}@example.org>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nhelp\r\n"
    ).encode()


async def rows(services: Services, sql: str) -> list[tuple]:
    async with services.db.read() as conn:
        return [tuple(row) for row in await conn.execute_fetchall(sql)]


async def handled(services: Services) -> list[tuple]:
    return await rows(services, "SELECT message_id, outcome FROM mail_messages ORDER BY 1")


async def action_texts(services: Services) -> list[str]:
    return [text for (text,) in await rows(services, "SELECT text FROM actions ORDER BY id")]


def texts(result: list[Outcome | Exception]) -> list[str]:
    return [r.text if isinstance(r, Outcome) else type(r).__name__ for r in result]


async def test_a_batch_does_what_the_same_messages_one_at_a_time_do(settings, clock, tmp_path):
    shapes = [p.read_bytes() for p in sorted(CORPUS.glob("*.eml"))]
    messages = [post(1), *shapes[:6], post(2), question(1), post(3), *shapes[6:], post(1)]
    assert len(messages) >= 2 * CHUNK  # enough for the worker process to read some
    databases = []
    for name, batched, processes in (
        ("alone", False, 0),
        ("batched", True, 0),
        ("worker", True, 1),
    ):
        services = await open_services(
            settings.model_copy(update={"db_path": tmp_path / f"{name}.sqlite3"}), clock
        )
        flow = MailFlow(services, MailReader(processes))
        if batched:
            outcomes = texts(await flow.handle_many([(raw, "smtp") for raw in messages]))
        else:
            outcomes = [(await flow.handle(raw, "smtp")).text for raw in messages]
        flow.close()
        databases.append(
            (
                outcomes,
                await rows(services, "SELECT * FROM mail_messages ORDER BY message_id"),
                await rows(services, "SELECT * FROM actions ORDER BY id"),
                await rows(services, "SELECT * FROM action_owners ORDER BY action_id, position"),
                await rows(services, "SELECT kind, destination FROM outbox ORDER BY id"),
                await rows(services, "SELECT id, name, email FROM people ORDER BY id"),
            )
        )
        await services.db.close()
    alone, batched, worker = databases
    assert batched == alone and worker == alone
    assert alone[0][-1] == "duplicate" and "answered" in alone[0]
    assert [row[1] for row in alone[2] if "document" in row[1]] == [
        f"Member {n} to send comments on document {n}" for n in (1, 2, 3)
    ]  # one action per post, none from quoted text, none twice


async def test_list_posts_commit_together_without_the_full_path(services, monkeypatch):
    async def never(*args: object) -> Outcome:
        raise AssertionError("a list post that only records actions took the full path")

    flow = MailFlow(services)
    monkeypatch.setattr(flow, "_handle_fully", never)
    result = await flow.handle_many([(post(n), "imap") for n in range(1, 6)])
    assert texts(result) == ["recorded"] * 5
    assert await action_texts(services) == [
        f"Member {n} to send comments on document {n}" for n in range(1, 6)
    ]
    async with services.db.read() as conn:
        record = await mail_store.get(conn, "<post-5@example.org>")
    assert record is not None and record.thread_root == "<root@example.org>"


def count_transactions(services: Services, monkeypatch) -> list[int]:
    """A list that grows by one for each transaction opened."""
    transaction, opened = services.db.transaction, []

    def counted() -> object:
        opened.append(1)
        return transaction()

    monkeypatch.setattr(services.db, "transaction", counted)
    return opened


async def test_a_delivery_the_worker_reads_in_chunks_commits_once(services, monkeypatch):
    """The batch waits for the worker's next chunk rather than commit at each one."""
    monkeypatch.setattr(mailflow, "CHUNK_PATIENCE", 30)  # however slow this machine
    flow = MailFlow(services, MailReader(processes=1))
    await flow.reader.start()
    opened = count_transactions(services, monkeypatch)
    try:
        result = await flow.handle_many([(post(n), "imap") for n in range(1, 3 * CHUNK + 1)])
    finally:
        flow.close()
    assert texts(result) == ["recorded"] * 3 * CHUNK
    assert len(opened) == 1
    assert len(await action_texts(services)) == 3 * CHUNK


class HeldReader(MailReader):
    """Reads the first two messages at once and the rest when the test says so."""

    def __init__(self) -> None:
        super().__init__(processes=0)
        self.rest: asyncio.Future[list] | None = None
        self.release = lambda: None

    def read(self, raws, addresses):
        loop = asyncio.get_running_loop()
        first, rest = loop.create_future(), loop.create_future()
        first.set_result([parse(raw, addresses) for raw in raws[:2]])
        self.rest = rest
        self.release = lambda: rest.set_result([parse(raw, addresses) for raw in raws[2:]])
        return [first, rest]


async def test_a_batch_does_not_hold_the_database_while_a_chunk_is_long_coming(
    services, monkeypatch
):
    """A worker that is starting takes a second: past its patience, the batch
    commits what it has and waits for the chunk without the database."""
    monkeypatch.setattr(mailflow, "CHUNK_PATIENCE", 0)
    reader = HeldReader()
    flow = MailFlow(services, reader)
    handling = asyncio.create_task(flow.handle_many([(post(n), "imap") for n in (1, 2, 3)]))
    await asyncio.sleep(0)
    # Waiting for the transaction would wait forever: the chunk comes after the read.
    assert [m for m, _ in await asyncio.wait_for(handled(services), 30)] == [
        "<post-1@example.org>",
        "<post-2@example.org>",
    ]
    assert reader.rest is not None and not reader.rest.done()
    reader.release()
    assert texts(await handling) == ["recorded"] * 3
    assert len(await action_texts(services)) == 3


async def test_questions_are_answered_inside_the_batch_of_the_posts_around_them(
    services, monkeypatch
):
    """Questions (here `help`) commit with the list posts around them, in one
    transaction: an answer no longer ends a batch."""

    async def never(*args: object) -> Outcome:
        raise AssertionError("a question took the full path")

    flow = MailFlow(services)
    monkeypatch.setattr(flow, "_handle_fully", never)
    opened = count_transactions(services, monkeypatch)
    delivery = [post(1), question(1), post(2), question(2), question(1)]
    result = await flow.handle_many([(raw, "imap") for raw in delivery])
    assert texts(result) == ["recorded", "answered", "recorded", "answered", "duplicate"]
    assert [r.queued for r in result] == [False, True, False, True, False]
    assert len(opened) == 1
    answered = await rows(services, "SELECT destination FROM outbox ORDER BY id")
    assert answered == [("email:asker1@example.org",), ("email:asker2@example.org",)]
    assert len(await action_texts(services)) == 2


async def test_a_question_in_a_batch_sees_the_action_items_of_the_posts_before_it(services):
    flow = MailFlow(services)
    actions_open = question(1).replace(b"\r\nhelp\r\n", b"\r\n/actions open\r\n")
    result = await flow.handle_many([(post(1), "imap"), (actions_open, "imap")])
    assert texts(result) == ["recorded", "answered"]
    async with services.db.read() as conn:
        [answer] = await outbox.listing(conn)
    assert "Member 1 to send comments on document 1" in answer.payload["text"]


async def test_an_html_post_keeps_the_lines_of_its_preformatted_text(services):
    """Plain text sent as HTML (`<pre>`, or a style keeping line breaks, as some
    clients write it): each ACTION line stays a line of its own, one item each."""
    flow = MailFlow(services)
    bodies = [
        "<pre>Dear all,\nACTION: Jane Doe to send the agenda\nACTION: Li Wei to book a room</pre>",
        '<div style="white-space: pre-wrap">ACTION: Amina to draft the note\r\n'
        "ACTION: Bob to review it</div>",
        # A cell left open keeps no line breaks beyond its row.
        '<table><tr><td style="white-space:pre">Agenda</tr></table>'
        "<p>ACTION: Li Wei to circulate the\nrevised report</p>",
    ]
    deliveries = []
    for number, body in enumerate(bodies):
        raw = (
            f"From: Jane <jane@example.org>\r\nTo: {LIST}\r\nSubject: Agenda\r\n"
            f"Message-ID: <html-{number}@x>\r\nList-Id: <int-sect-group.lists.example.int>\r\n"
            f"Content-Type: text/html; charset=utf-8\r\n\r\n<html><body>{body}</body></html>"
        )
        deliveries.append((raw.encode(), "imap"))
    assert texts(await flow.handle_many(deliveries)) == ["recorded"] * 3
    assert await action_texts(services) == [
        "Jane Doe to send the agenda",
        "Li Wei to book a room",
        "Amina to draft the note",
        "Bob to review it",
        "Li Wei to circulate the revised report",
    ]


async def test_a_failing_message_leaves_the_others_handled_once(services, monkeypatch):
    flow = MailFlow(services)
    batch = [(raw, "imap") for raw in (post(1), question(1), post(2), post(1))]

    async def broken_outbox(*args: object, **kwargs: object) -> None:
        raise RuntimeError("outbox unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(mailflow, "queue_email", broken_outbox)
        first = await flow.handle_many(batch)
    assert texts(first) == ["recorded", "RuntimeError", "recorded", "duplicate"]
    assert await handled(services) == [
        ("<post-1@example.org>", "recorded"),
        ("<post-2@example.org>", "recorded"),
    ]
    # Redelivered (the failed one was not acknowledged): only it is handled now.
    again = await flow.handle_many(batch)
    assert texts(again) == ["duplicate", "answered", "duplicate", "duplicate"]
    assert len(await handled(services)) == 3
    assert len(await action_texts(services)) == 2


async def test_a_message_failing_on_the_quiet_path_is_redone_alone(services, monkeypatch):
    prepare = action_items.prepare

    def failing_for_document_2(ctx, text, **kwargs):
        if text.endswith("document 2"):
            raise RuntimeError("cannot read this action")
        return prepare(ctx, text, **kwargs)

    monkeypatch.setattr(action_items, "prepare", failing_for_document_2)
    flow = MailFlow(services)
    result = await flow.handle_many([(post(n), "imap") for n in (1, 2, 3)])
    # Post 2 took the full path, where /action reports the error to nobody (as it did
    # before batches existed); posts 1 and 3 were not recorded twice by the redo.
    assert texts(result) == ["recorded"] * 3
    assert await action_texts(services) == [
        "Member 1 to send comments on document 1",
        "Member 3 to send comments on document 3",
    ]


async def test_a_command_ending_the_batchs_transaction_is_redone_alone(services, monkeypatch):
    """SQLite ends a transaction by itself on some errors (a full disk), and the
    command's apology hides the error: the batch stops there, lets nothing commit
    on its own, and is redone without the message, which takes the full path."""
    ask = services.ask

    async def rolled_back(ctx, text, **kwargs):
        if ctx.message_id == "<question-1@example.org>":
            async with services.db.read() as conn:
                if conn.in_transaction:
                    await conn.execute("ROLLBACK")  # what SQLite does on SQLITE_FULL
            return Reply(text="Sorry, that went wrong.", error=True)
        return await ask(ctx, text, **kwargs)

    monkeypatch.setattr(services, "ask", rolled_back)
    flow = MailFlow(services)
    delivery = [(raw, "imap") for raw in (post(1), question(1), post(2))]
    assert texts(await flow.handle_many(delivery)) == ["recorded", "answered", "recorded"]
    assert [outcome for _, outcome in await handled(services)] == ["recorded"] * 2 + ["answered"]
    answered = await rows(services, "SELECT destination FROM outbox")
    assert answered == [("email:asker1@example.org",)]
    assert len(await action_texts(services)) == 2


def break_on_question_1(services, monkeypatch) -> dict[str, bool]:
    """Make the command of question 1 fail while `broken` says so."""
    ask, state = services.ask, {"broken": True}

    async def broken_on_question_1(ctx, text, **kwargs):
        if state["broken"] and ctx.message_id == "<question-1@example.org>":
            raise RuntimeError("a bug this message finds")
        return await ask(ctx, text, **kwargs)

    monkeypatch.setattr(services, "ask", broken_on_question_1)
    return state


async def test_a_message_that_always_fails_is_given_up_and_no_longer_comes_back(
    services, clock, monkeypatch
):
    """A message that is not handled comes back (IMAP fetches it after a reconnect, an
    MTA offers it again); one that fails every time is recorded as failed when it
    fails again after failing often enough for long enough."""
    break_on_question_1(services, monkeypatch)
    flow = MailFlow(services)
    delivery = [(question(1), "imap"), (question(2), "imap")]
    for attempt in range(mailflow.GIVE_UP_AFTER + 1):  # often, but not yet for long
        second = "answered" if attempt == 0 else "duplicate"
        assert texts(await flow.handle_many(delivery)) == ["RuntimeError", second]
    clock.advance(minutes=10)
    failed = "failed: RuntimeError: a bug this message finds (7 attempts, given up)"
    assert texts(await flow.handle_many(delivery)) == [failed, "duplicate"]
    assert texts(await flow.handle_many(delivery)) == ["duplicate", "duplicate"]
    assert await handled(services) == [
        ("<question-1@example.org>", failed),
        ("<question-2@example.org>", "answered"),
    ]
    answered = await rows(services, "SELECT destination FROM outbox")
    assert answered == [("email:asker2@example.org",)]  # the failed one got no answer


async def test_a_fault_that_passes_costs_no_mail_however_long_it_lasted(
    services, clock, monkeypatch
):
    state = break_on_question_1(services, monkeypatch)
    flow = MailFlow(services)
    for _ in range(mailflow.GIVE_UP_AFTER):
        assert texts(await flow.handle_many([(question(1), "imap")])) == ["RuntimeError"]
        clock.advance(minutes=5)
    state["broken"] = False  # 25 minutes later, whatever it was is mended
    assert texts(await flow.handle_many([(question(1), "imap")])) == ["answered"]


def break_actions(monkeypatch) -> dict[str, bool]:
    """Make inserting action items fail while `broken` says so."""
    add, state = mailflow.stored_actions.add, {"broken": True}

    async def broken_actions(conn: object, new: list) -> list:
        if new and state["broken"]:
            raise RuntimeError("actions table unavailable")
        return await add(conn, new)

    monkeypatch.setattr(mailflow.stored_actions, "add", broken_actions)
    return state


async def test_an_answer_commits_with_its_batch_or_not_at_all(services, monkeypatch):
    """A question is answered inside its batch: when the batch cannot commit (here for
    a post after it), neither the answer nor the mark is kept, and the redelivery
    answers it once."""
    state = break_actions(monkeypatch)
    flow = MailFlow(services)
    delivery = [(question(1), "imap"), (post(1), "imap")]
    assert texts(await flow.handle_many(delivery)) == ["RuntimeError", "RuntimeError"]
    assert await handled(services) == []
    assert await rows(services, "SELECT destination FROM outbox") == []
    state["broken"] = False
    assert texts(await flow.handle_many(delivery)) == ["answered", "recorded"]
    assert texts(await flow.handle_many(delivery)) == ["duplicate", "duplicate"]
    answered = await rows(services, "SELECT destination FROM outbox")
    assert answered == [("email:asker1@example.org",)]


async def test_a_notice_is_not_lost_with_the_batch_after_it(services, monkeypatch):
    """A message the full path decided on (here the redelivery of one the bot stopped
    in) is written with the next batch; when that batch fails for one of its own
    messages, the notice is written on its own instead."""
    async with services.db.transaction() as conn:
        running = mail_store.MailRecord(
            message_id="<question-1@example.org>",
            thread_root="<question-1@example.org>",
            sender="asker1@example.org",
            subject="help",
            source="imap",
            outcome=mail_store.RUNNING + "/schedule",
        )
        assert await mail_store.record(conn, running, services.now())
    break_actions(monkeypatch)
    flow = MailFlow(services)
    result = await flow.handle_many([(question(1), "imap"), (post(1), "imap")])
    assert texts(result) == ["interrupted", "RuntimeError"]
    assert await handled(services) == [("<question-1@example.org>", "interrupted")]
    answered = await rows(services, "SELECT destination FROM outbox")
    assert answered == [("email:asker1@example.org",)]


CRASHING_RUN = """
import asyncio, os, signal, sys
from bot import actions
from bot.app import open_services
from bot.config import Settings
from bot.mailflow import MailFlow
from tests.mail.test_batches import post

prepare = actions.prepare

def prepare_or_die(ctx, text, **kwargs):
    if text.endswith("document 5"):
        os.kill(os.getpid(), signal.SIGKILL)  # the process dies mid-batch
    return prepare(ctx, text, **kwargs)

actions.prepare = prepare_or_die

async def main():
    services = await open_services(Settings(ISCG_DB_PATH=sys.argv[1], ISCG_LIST_ADDRESS="{list}"))
    flow = MailFlow(services)
    for batch in ((1, 2, 3), (4, 5, 6)):
        await flow.handle_many([(post(n), "imap") for n in batch])

asyncio.run(main())
"""


async def test_a_crash_mid_batch_loses_nothing_and_repeats_nothing(tmp_path, clock):
    path = tmp_path / "crash.sqlite3"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CRASHING_RUN.replace("{list}", LIST),
        str(path),
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("ISCG_")},
            "PYTHONPATH": str(ROOT),
        },
    )
    assert await process.wait() == -signal.SIGKILL
    services = await open_services(Settings(ISCG_DB_PATH=path, ISCG_LIST_ADDRESS=LIST), clock)
    try:
        # The first batch committed; nothing of the second did, though its
        # transaction was open, with post 4 handled in it, when the process died.
        assert [m for m, _ in await handled(services)] == [
            f"<post-{n}@example.org>" for n in (1, 2, 3)
        ]
        assert len(await action_texts(services)) == 3
        # Everything delivered again (an MTA retrying): each post once, each action once.
        result = await MailFlow(services).handle_many([(post(n), "smtp") for n in range(1, 7)])
        assert texts(result) == ["duplicate"] * 3 + ["recorded"] * 3
        assert await action_texts(services) == [
            f"Member {n} to send comments on document {n}" for n in range(1, 7)
        ]
    finally:
        await services.db.close()


async def test_deliveries_arriving_together_share_a_batch(mailbot: MailBot, monkeypatch):
    flow = mailbot.connector.flow
    sizes: list[int] = []
    handle_many = flow.handle_many

    async def counting(deliveries):
        sizes.append(len(deliveries))
        return await handle_many(deliveries)

    async def broken_outbox(*args: object, **kwargs: object) -> None:
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(flow, "handle_many", counting)
    monkeypatch.setattr(mailflow, "queue_email", broken_outbox)
    result = await asyncio.gather(
        mailbot.receive(post(1)),
        mailbot.receive(question(1)),
        mailbot.receive(post(2)),
        return_exceptions=True,
    )
    assert sizes == [3]
    assert result[0] == result[2] == "recorded"
    assert isinstance(result[1], RuntimeError)  # this sender's SMTP session gets a 451


async def test_imap_flags_the_handled_messages_of_a_batch_and_retries_the_failed_one(
    services, mailbot: MailBot, dovecot, monkeypatch
):
    mailbox_settings(services, dovecot)
    mailbot.connector.imap_idle_seconds = 0.5
    client = await asyncio.to_thread(imap, dovecot)
    for raw in (post(1), question(1), post(2)):
        await asyncio.to_thread(client.append, "INBOX", raw)

    async def broken_outbox(*args: object, **kwargs: object) -> None:
        raise RuntimeError("outbox unavailable")

    async def flagged(wanted: list[bool]) -> bool:
        """Flags come after the commit (and the stored position before them)."""
        flags = await asyncio.to_thread(client.get_flags, [1, 2, 3])
        return [PROCESSED_FLAG in flags.get(uid, ()) for uid in (1, 2, 3)] == wanted

    with monkeypatch.context() as patch:
        patch.setattr(mailflow, "queue_email", broken_outbox)
        listening = asyncio.create_task(mailbot.connector.listen())
        await wait_for(lambda: flagged([True, False, True]))
        assert [m for m, _ in await handled(services)] == [
            "<post-1@example.org>",
            "<post-2@example.org>",
        ]
        async with services.db.read() as conn:
            position = await mail_store.imap_position(conn, "INBOX")
        assert position is not None and position[1] == 1  # the search must still find UID 2
    # The reader reconnects after its backoff and the message is handled.
    await wait_for(lambda: flagged([True, True, True]))
    listening.cancel()
    await asyncio.gather(listening, return_exceptions=True)
    assert len(await handled(services)) == 3
    assert len(await action_texts(services)) == 2
    await asyncio.to_thread(client.logout)


async def test_what_the_flow_remembers_of_people_follows_their_changes(services):
    """Senders and action owners are remembered across batches, and read again once
    people change (here as another part of the bot would change them)."""
    flow = MailFlow(services)
    jane = post(1).replace(b"Member 1 to send comments", b"Jane Doe to send comments")
    assert texts(await flow.handle_many([(jane, "imap")])) == ["recorded"]
    async with services.db.transaction() as conn:
        await people.ensure(conn, "email:jane.doe@example.org", "Jane Doe")
    again = post(2).replace(b"Member 2 to send comments", b"Jane Doe to send comments")
    assert texts(await flow.handle_many([(again, "imap")])) == ["recorded"]
    owners = await rows(
        services,
        "SELECT a.text, o.label FROM actions a LEFT JOIN action_owners o ON o.action_id = a.id"
        " ORDER BY a.id",
    )
    assert owners == [
        ("Jane Doe to send comments on document 1", None),  # nobody of that name yet
        ("Jane Doe to send comments on document 2", "Jane Doe"),
    ]


async def test_a_sender_met_in_a_batch_owns_the_action_lines_after_it(services, monkeypatch):
    """A first-time sender joins the people the batch reads action lines against,
    and is forgotten with the batch when it rolls back."""
    flow = MailFlow(services)
    amina = post(2).replace(b"Member 2 <member2@", b"Amina Diallo <amina@")
    named = post(3).replace(b"Member 3 to send comments", b"Amina Diallo to send comments")
    delivery = [(raw, "imap") for raw in (post(1), amina, named)]
    state = break_actions(monkeypatch)
    assert texts(await flow.handle_many(delivery)) == ["RuntimeError"] * 3
    state["broken"] = False
    assert texts(await flow.handle_many(delivery)) == ["recorded"] * 3
    owners = await rows(  # "Member 2" is nobody: Amina wrote post 2
        services,
        "SELECT a.text, o.label, p.email FROM actions a JOIN action_owners o"
        " ON o.action_id = a.id LEFT JOIN people p ON p.id = o.person_id ORDER BY a.id",
    )
    assert owners == [
        ("Member 1 to send comments on document 1", "Member 1", "member1@example.org"),
        ("Amina Diallo to send comments on document 3", "Amina Diallo", "amina@example.org"),
    ]


async def test_people_something_else_changed_in_the_batch_are_read_again(services, monkeypatch):
    """The directory grows by a new sender only where nothing else changed people in
    the batch's transaction since it was read; else it is read again."""
    flow = MailFlow(services)
    by_identity, met = people.by_identity, []

    async def meeting_a_colleague_too(conn, identity):
        if identity == "email:member2@example.org" and not met:  # as a command might
            met.append(await people.create(conn, "Zoe Zed", email="zoe@example.org"))
        return await by_identity(conn, identity)

    monkeypatch.setattr(mailflow.people, "by_identity", meeting_a_colleague_too)
    named = post(3).replace(b"Member 3 to send comments", b"Zoe Zed to send comments")
    result = await flow.handle_many([(raw, "imap") for raw in (post(1), post(2), named)])
    assert texts(result) == ["recorded"] * 3
    owners = await rows(
        services,
        "SELECT o.label, p.email FROM actions a JOIN action_owners o ON o.action_id = a.id"
        " JOIN people p ON p.id = o.person_id ORDER BY a.id",
    )
    assert owners == [
        ("Member 1", "member1@example.org"),
        ("Member 2", "member2@example.org"),
        ("Zoe Zed", "zoe@example.org"),
    ]
