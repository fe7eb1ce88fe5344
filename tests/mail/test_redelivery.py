"""What survives a crash or a pruned outbox: a command is never carried out twice, a
reply to the bot's announcement still finds its meeting, its own mail is still its own."""

from __future__ import annotations

import asyncio

import pytest

from bot.mailflow import MailFlow
from storage import mail as mail_store
from tests.conftest import CHAIR
from tests.mail.conftest import LIST, MailBot
from tests.mail.test_meetings_by_mail import thread_post
from tests.mail.test_rules import CHAIR as CHAIR_ADDRESS
from tests.mail.test_rules import auth_header, message

SCHEDULE = "/schedule Coordination call | 2 Dec 14:00 Geneva time | 60m | li.wei@example.cn"


def schedule_mail() -> bytes:
    return message(
        sender=CHAIR_ADDRESS,
        subject=SCHEDULE,
        body="",
        headers=auth_header("dmarc=pass header.from=example.org"),
        message_id="<schedule@x>",
    )


async def meetings_count(services) -> int:
    async with services.db.read() as conn:
        [(count,)] = await conn.execute_fetchall("SELECT count(*) FROM meetings")
    return int(count)


async def outcome_of(services, message_id: str) -> str | None:
    async with services.db.read() as conn:
        record = await mail_store.get(conn, message_id)
    return None if record is None else record.outcome


async def crash(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the process stopped here")


@pytest.mark.parametrize("stopped_in", ["answer", "command"])
async def test_a_command_interrupted_by_a_crash_is_never_carried_out_twice(
    mailbot: MailBot, services, monkeypatch, stopped_in
):
    """Stopped after the command committed (before its answer and handled mark), or
    before it committed: either way a redelivery does not run it, and says why."""
    with monkeypatch.context() as patch:
        if stopped_in == "answer":
            patch.setattr(MailFlow, "_answer", crash)
        else:
            patch.setattr(services, "ask", crash)
        with pytest.raises(RuntimeError):
            await mailbot.receive(schedule_mail())
    scheduled = 1 if stopped_in == "answer" else 0
    assert await meetings_count(services) == scheduled
    assert await outcome_of(services, "<schedule@x>") == "running: /schedule"

    assert await mailbot.receive(schedule_mail()) == "interrupted"
    assert await meetings_count(services) == scheduled  # not run a second time
    sent = await mailbot.deliver()
    [notice] = [s.message for s in sent if s.message["In-Reply-To"] == "<schedule@x>"]
    text = notice.get_body(("plain",)).get_content()
    assert "may or may not have taken effect" in text and "/schedule" in text, text
    assert await mailbot.receive(schedule_mail()) == "duplicate"
    assert await outcome_of(services, "<schedule@x>") == "interrupted"


async def test_a_stop_just_after_a_command_keeps_its_answer(
    mailbot: MailBot, services, monkeypatch
):
    """A shutdown cancelling a delivery while it handles the posts after a command costs
    the command nothing: its answer and handled mark were written at once, alone, so the
    redelivery finds it handled, instead of answering "it stopped while carrying out"."""
    post = message(to=LIST, body="ACTION: Li Wei to circulate the agenda", message_id="<p@x>")
    quiet_run, runs = MailFlow._quiet_run, 0

    async def stopped_in_the_second(self: MailFlow, *args: object):
        nonlocal runs
        runs += 1
        if runs == 2:  # the first stopped at the command
            raise asyncio.CancelledError
        return await quiet_run(self, *args)

    deliveries = [(schedule_mail(), "imap"), (post, "imap")]
    with monkeypatch.context() as patch:
        patch.setattr(MailFlow, "_quiet_run", stopped_in_the_second)
        with pytest.raises(asyncio.CancelledError):
            await mailbot.connector.receive_many(deliveries)
    assert await outcome_of(services, "<schedule@x>") == "answered"
    assert await outcome_of(services, "<p@x>") is None  # not handled: it comes again

    results = await mailbot.connector.receive_many(deliveries)
    assert [r.text for r in results] == ["duplicate", "recorded"]
    assert await meetings_count(services) == 1
    [answer] = [
        s.message for s in await mailbot.deliver() if s.message["In-Reply-To"] == "<schedule@x>"
    ]
    assert "may or may not" not in answer.get_body(("plain",)).get_content()


async def test_a_command_another_delivery_is_carrying_out_is_left_to_it(
    mailbot: MailBot, services, monkeypatch
):
    """The same message, delivered twice at once (IMAP and the SMTP listener): the
    second finds the first's running mark and leaves it in place (it must become the
    first's outcome), running nothing and answering nothing."""
    answered_each_since = mail_store.answered_each_since

    async def the_other_delivery_marks_it_first(conn, *args: object):
        """Read with where the message belongs, before it is marked running (the hour's
        answers): the other delivery's running mark goes in now."""
        running = mail_store.MailRecord(
            message_id="<schedule@x>",
            thread_root="<schedule@x>",
            sender=CHAIR_ADDRESS,
            subject=SCHEDULE,
            source="imap",
            outcome=mail_store.RUNNING + "/schedule",
        )
        assert await mail_store.record(conn, running, services.now())
        return await answered_each_since(conn, *args)

    monkeypatch.setattr(mail_store, "answered_each_since", the_other_delivery_marks_it_first)
    assert await mailbot.receive(schedule_mail()) == "duplicate"
    assert await outcome_of(services, "<schedule@x>") == "running: /schedule"
    assert await meetings_count(services) == 0
    assert await mailbot.deliver() == []


async def test_a_command_that_finished_is_marked_handled_with_its_answer(mailbot, services):
    assert await mailbot.receive(schedule_mail()) == "answered"
    assert await outcome_of(services, "<schedule@x>") == "answered"
    assert await mailbot.receive(schedule_mail()) == "duplicate"
    assert await meetings_count(services) == 1


async def test_pruning_the_outbox_keeps_the_announcement_linked_and_own_mail_own(
    mailbot: MailBot, services, ask
):
    reply = await ask(
        "/schedule Accessibility sync | 23 Nov 10:00 Geneva time | 60m | list", who=CHAIR
    )
    assert not reply.error, reply.text
    sent = await mailbot.deliver()
    announcement = next(s for s in sent if LIST in s.rcpt_tos)
    await ask("/meeting start m1", who=CHAIR)
    async with services.db.transaction() as conn:  # what an operator's clean-up does
        await conn.execute("DELETE FROM outbox WHERE status = 'sent'")
        [(left,)] = await conn.execute_fetchall("SELECT count(*) FROM outbox")
    assert left == 0

    post = thread_post(
        "pierre.martin@example.fr",
        "#info the glossary is ready",
        "<after-prune@x>",
        parent=announcement.message["Message-ID"],
    )
    assert await mailbot.receive(post) == "recorded"
    assert "INFO the glossary is ready" in (await ask("/minutes")).text
    # The list echoes the announcement back (From rewritten): still the bot's own mail.
    echo = announcement.raw.replace(b"From: ", b"X-Was-From: ", 1)
    echo = b"From: List <" + LIST.encode() + b">\r\n" + echo
    assert await mailbot.receive(echo) == "ignored: the bot's own mail"
