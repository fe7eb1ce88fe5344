"""What survives a crash: a command is never carried out twice."""

from __future__ import annotations

import pytest

from bot.mailflow import MailFlow
from storage import mail as mail_store
from tests.mail.conftest import MailBot
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


async def test_a_command_that_finished_is_marked_handled_with_its_answer(mailbot, services):
    assert await mailbot.receive(schedule_mail()) == "answered"
    assert await outcome_of(services, "<schedule@x>") == "answered"
    assert await mailbot.receive(schedule_mail()) == "duplicate"
    assert await meetings_count(services) == 1
