"""`iscg-bot outbox` as an operator uses it after a refused delivery: the failed
row with the server's answer, `retry`, and the mail then reaching the server."""

from __future__ import annotations

import datetime as dt

from bot.outgoing import queue_email
from bot.timeparse import utc_text
from storage import outbox
from storage.timestamps import to_db
from tests.mail.conftest import BOT, MailBot, outbox_cli, queue_notice


async def test_a_failed_row_is_listed_retried_and_then_delivered(
    services, clock, mailbot: MailBot, sink
):
    sink.rcpt_answers = {"gone@example.org": "550 5.1.1 No such user here"}
    row = await queue_notice(services, "o1", to="gone@example.org")
    assert await mailbot.deliver() == []

    listed = await outbox_cli(services)
    assert listed.returncode == 0, listed.stderr
    [line] = listed.stdout.splitlines()
    assert line.split()[:2] == [str(row), "failed"]
    assert "email:gone@example.org" in line and "550 5.1.1 No such user here" in line

    retried = await outbox_cli(services, "retry", str(row))
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout.strip() == f"row {row} queued again"
    [line] = (await outbox_cli(services)).stdout.splitlines()
    assert line.split()[:2] == [str(row), "pending"]

    sink.rcpt_answers = {}  # the address was fixed on the server's side
    async with services.db.read() as conn:
        requeued = await outbox.get(conn, row)
    clock.set(requeued.next_attempt_at)  # the time the retry put it in line for
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == ["gone@example.org"]
    assert (await outbox_cli(services)).stdout.strip() == (
        "the outbox is empty: nothing pending or failed"
    )

    again = await outbox_cli(services, "retry", str(row))
    assert again.returncode == 1
    assert again.stderr.strip() == (
        f"iscg-bot: row {row} is sent: only a failed row can be retried"
    )


async def test_a_failed_reminder_past_its_meeting_is_not_put_back_in_line(services):
    """'queued again' would be untrue: the dispatcher drops a row past its not_after."""
    start = services.now() - dt.timedelta(hours=1)  # the meeting began an hour ago
    async with services.db.transaction() as conn:
        row = await queue_email(
            conn,
            bot_address=BOT,
            to=["gone@example.org"],
            subject="Reminder: ISCG coordination in 15 minutes",
            text="Reminder",
            kind="reminder",
            now=start - dt.timedelta(minutes=15),
            dedupe_key="r1",
            not_after=start,
        )
        assert row is not None
        assert await outbox.mark_sending(conn, row, start - dt.timedelta(minutes=15))
        await outbox.mark_failed(conn, row, "550 5.1.1 No such user here")
    retried = await outbox_cli(services, "retry", str(row))
    assert retried.returncode == 1
    assert retried.stderr.strip() == (
        f"iscg-bot: row {row} was worth sending only until {utc_text(start)} UTC; it stays failed"
    )
    async with services.db.read() as conn:
        assert (await outbox.get(conn, row)).status == "failed"


async def test_a_row_waiting_for_its_retry_says_when_it_is_tried_again(
    services, clock, mailbot: MailBot, sink
):
    """After a 4xx the row is pending again, but not before its backoff: the operator
    who mended the cause needs to know when the bot will try it."""
    clock.set(dt.datetime.now(dt.UTC))  # the command reads the real clock
    sink.rcpt_answers = {"busy@example.org": "451 4.3.0 Try again later"}
    row = await queue_notice(services, "b1", to="busy@example.org")
    assert await mailbot.deliver() == []
    async with services.db.read() as conn:
        waiting = await outbox.get(conn, row)
    [line] = (await outbox_cli(services)).stdout.splitlines()
    assert line.split()[:2] == [str(row), "pending"]
    assert f"next try {utc_text(waiting.next_attempt_at)} UTC" in line
    assert "451 4.3.0 Try again later" in line


async def test_a_row_waiting_for_its_retry_is_tried_at_once_when_asked(
    services, clock, mailbot: MailBot, sink
):
    """The operator mended what the server complained of: `retry` does not make them
    wait out the backoff (up to an hour), and the mail goes at the next pass."""
    clock.set(dt.datetime.now(dt.UTC))  # the command reads the real clock
    sink.rcpt_answers = {"busy@example.org": "451 4.3.0 Try again later"}
    row = await queue_notice(services, "b1", to="busy@example.org")
    assert await mailbot.deliver() == []

    retried = await outbox_cli(services, "retry", str(row))
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout.strip() == f"row {row} queued again"
    [line] = (await outbox_cli(services)).stdout.splitlines()
    assert line.split()[:2] == [str(row), "pending"] and "next try" not in line

    sink.rcpt_answers = {}
    async with services.db.read() as conn:
        clock.set((await outbox.get(conn, row)).next_attempt_at)
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == ["busy@example.org"]


async def test_retry_says_why_a_row_not_waiting_for_a_retry_is_left_alone(services):
    """A row queued and not yet tried is due already, one dropped is past sending:
    neither is put in line, and the answer says what the operator can expect instead."""
    due = await queue_notice(services, "d1")
    dropped = await queue_notice(services, "d2")
    async with services.db.transaction() as conn:
        await outbox.withdraw(conn, "notice", "d2", "the meeting was cancelled")
    pending = await outbox_cli(services, "retry", str(due))
    assert pending.returncode == 1
    assert pending.stderr.strip() == (
        f"iscg-bot: row {due} is pending and due: the bot sends it at its next pass"
    )
    # A reminder queued for its hour (far ahead: the command reads the real clock).
    hour = dt.datetime(2999, 1, 1, 8, 0, tzinfo=dt.UTC)
    later = await queue_notice(services, "d3")
    async with services.db.transaction() as conn:
        await conn.execute(
            "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", (to_db(hour), later)
        )
    waiting = await outbox_cli(services, "retry", str(later))
    assert waiting.returncode == 1
    assert waiting.stderr.strip() == (
        f"iscg-bot: row {later} is pending and due at {utc_text(hour)} UTC: the bot sends it then"
    )
    gone = await outbox_cli(services, "retry", str(dropped))
    assert gone.returncode == 1
    assert gone.stderr.strip() == (
        f"iscg-bot: row {dropped} was dropped (the meeting was cancelled): it is not sent"
    )


async def test_outbox_retry_from_the_command_line_lifts_the_running_bots_pause(
    services, clock, mailbot: MailBot, sink
):
    """The relay refused the bot (its host or login was wrong) and the running bot paused
    its mail; the operator mended the relay and ran `iscg-bot outbox retry <id>`, which
    said "queued again", but the bot held the pause in its memory and sent nothing until
    it ended (up to an hour after a few refusals). The pause is kept in the database: a
    retry lifts it, the bot's next pass sends that row, once, and the rows that only
    waited for the pause go at their own time."""
    clock.set(dt.datetime.now(dt.UTC))  # the command reads the real clock
    answer = "554 5.7.1 <amina@example.cm>: Relay access denied"
    sink.rcpt_answers = {"amina@example.cm": answer, "li.wei@example.cn": answer}
    rows = [
        await queue_notice(services, "p1"),
        await queue_notice(services, "p2", "li.wei@example.cn"),
    ]

    async def stored(row: int) -> outbox.OutboxRow:
        async with services.db.read() as conn:
            found = await outbox.get(conn, row)
        assert found is not None
        return found

    async def pause_ends() -> None:
        clock.set(max([(await stored(row)).next_attempt_at for row in rows]))

    for _ in range(3):  # paused 30 s, then 2 min, then 10 min
        assert await mailbot.deliver() == []
        await pause_ends()
    assert await mailbot.deliver() == []
    # Each row waits for the pause, whether or not its own next try is past: say so.
    until = utc_text((await stored(rows[1])).next_attempt_at)
    held = f"next try {until} UTC (email paused after 4 failures in a row)"
    listed = (await outbox_cli(services)).stdout.splitlines()
    assert [held in line for line in listed] == [True, True], listed
    sink.rcpt_answers = {}
    retried = await outbox_cli(services, "retry", str(rows[0]))
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout.strip() == f"row {rows[0]} queued again; email deliveries resume"
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == ["amina@example.cm"]
    assert [(await stored(row)).status for row in rows] == ["sent", "pending"]
    assert await mailbot.deliver() == []  # nothing twice
    await pause_ends()
    [later] = await mailbot.deliver()
    assert later.rcpt_tos == ["li.wei@example.cn"]
    assert len(sink.received) == 2
