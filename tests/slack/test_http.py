"""Slack in HTTP mode, end to end on loopback: what Slack would show."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import urllib.parse
from typing import Any

import icalendar

from bot import digests
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import Attachment, Reply, Section
from bot.handlers.slack_manifest import BUILT_IN
from bot.outgoing import queue_chat
from storage import outbox
from tests.slack.conftest import (
    BOT_USER,
    ICS,
    FakeSlack,
    SlackBot,
    Tools,
    running_slack_bot,
    sign,
)


def texts(blocks: list[dict[str, Any]]) -> str:
    """Everything a person could read in the blocks, in order."""
    parts = []
    for block in blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [f["text"] for f in block.get("fields", [])]
        parts += [
            e["text"] if isinstance(e["text"], str) else e["text"]["text"]
            for e in block.get("elements", [])
        ]
    return "\n".join(parts)


def ack_body(body: dict[str, Any] | str) -> dict[str, Any]:
    assert isinstance(body, dict), body
    return body


# -- slash commands ------------------------------------------------------


async def test_slash_command_answers_in_the_ack_as_block_kit(slack_bot: SlackBot):
    status, body = await slack_bot.command("/who-coordinates", "accessibility")
    assert status == 200
    answer = ack_body(body)
    assert answer["response_type"] == "ephemeral"
    blocks = answer["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Accessibility: who coordinates", "emoji": False},
    }
    assert blocks[-1]["type"] == "context"  # the source document, shown small
    assert (
        ".txt" in blocks[-1]["elements"][0]["text"] or "ISCG" in blocks[-1]["elements"][0]["text"]
    )
    assert answer["text"].startswith("Accessibility: who coordinates")
    assert [c["user"] for c in slack_bot.fake.called("users.info")] == ["U1"]


async def test_iscg_alias_takes_commands_and_questions(slack_bot: SlackBot):
    _, command = await slack_bot.command("/iscg", "who-coordinates AI")
    _, question = await slack_bot.command("/iscg", "who coordinates AI?")
    for body in (command, question):
        assert ack_body(body)["blocks"][0]["text"]["text"].startswith("Artificial Intelligence")


async def test_multi_word_command_arrives_as_its_first_word(slack_bot: SlackBot):
    _, body = await slack_bot.command("/zz-meeting", "start Budget review", channel="C7")
    assert ack_body(body)["text"] == "Started Budget review in slack:C7"
    assert ack_body(body)["response_type"] == "in_channel"


async def test_help_lists_every_command(slack_bot: SlackBot):
    _, body = await slack_bot.command("/help")
    shown = texts(ack_body(body)["blocks"])
    for name in slack_bot.app.services.registry.commands:
        # as it is typed on Slack, where Slack keeps some names (/invite) for itself
        assert (f"/iscg {name}" if name in BUILT_IN else f"/{name}") in shown
    # Slack's font is proportional: columns padded with spaces came out ragged, and the
    # name Slack keeps for itself (/invite), written longer, pushed its summary further.
    assert "• /action — Record an action item;" in shown
    assert "• /iscg invite — The meeting's calendar file (.ics)" in shown
    assert "  " not in shown


async def test_users_time_zone_comes_from_slack_until_they_set_one(slack_bot: SlackBot):
    _, body = await slack_bot.command("/timezone")
    assert ack_body(body)["text"] == (
        "Your time zone is America/Mexico_City (from your Slack profile; set another with "
        "/timezone &lt;zone&gt;); it is now 02:00 there (UTC-6)."
    )
    await slack_bot.command("/timezone", "Asia/Tokyo")
    _, body = await slack_bot.command("/timezone")
    assert "Asia/Tokyo" in ack_body(body)["text"]
    # users.info is asked once; its answer is cached.
    assert len(slack_bot.fake.called("users.info")) == 1


async def test_errors_and_refusals_are_ephemeral(slack_bot: SlackBot):
    _, body = await slack_bot.command("/who-coordinates")
    assert ack_body(body)["response_type"] == "ephemeral"
    assert "missing" in ack_body(body)["text"]
    _, body = await slack_bot.command("/set-coordinator", "accessibility | Jane Doe")
    refusal = ack_body(body)
    assert refusal["response_type"] == "ephemeral"
    assert "needs the chair or secretariat role" in refusal["text"]


async def test_a_user_group_or_a_date_picked_in_slack_reads_as_written(slack_bot: SlackBot):
    # Slack sends a user group as <!subteam^S0614|@delegates> (its label has the @) and a
    # date as <!date^...|Feb 18>: echoed, they read "@@delegates" and "@Feb 18".
    typed = "<!subteam^S0614|@delegates> to review the draft by <!date^1795000000^{date}|4 Dec>"
    _, body = await slack_bot.command("/action", typed, user="U2")
    assert ack_body(body)["text"].startswith("Recorded A1: @delegates to review the draft by 4 Dec")


async def test_a_command_slack_keeps_for_itself_is_shown_as_iscg_invite(slack_bot: SlackBot):
    # Slack's own /invite adds someone to the channel: "/invite m1 gives it again" sent
    # people there ("user not found"). On Slack the bot's is /iscg invite.
    await slack_bot.command("/schedule", "Budget | 3 Dec 14:00 | 60m", user="U2")
    await slack_bot.connector.idle()
    (scheduled,) = slack_bot.fake.responses
    shown = texts(scheduled["blocks"])
    assert "/iscg invite m1 · /reschedule m1" in shown
    assert "/invite" not in shown.replace("/iscg invite", "")
    _, listed = await slack_bot.command("/help", "invite")
    assert ack_body(listed)["text"].startswith("Usage: /iscg invite &lt;meeting&gt;")
    _, done = await slack_bot.command("/iscg", "invite m1")
    assert ack_body(done)["text"].startswith("m1: Budget")


async def test_public_reply_is_posted_in_the_channel(slack_bot: SlackBot):
    _, body = await slack_bot.command("/zz-echo", "hello")
    assert ack_body(body)["response_type"] == "in_channel"


async def test_user_text_never_becomes_a_live_mention(slack_bot: SlackBot):
    for typed in ("<!channel> & <!here|here>", "&lt;!everyone&gt; <@U2>"):
        _, body = await slack_bot.command("/zz-echo", typed)
        answer = ack_body(body)
        # Slack parses mentions in mrkdwn and in the fallback text; a plain_text
        # header shows its characters as they are.
        assert answer["blocks"][0]["text"]["type"] == "plain_text"
        everything = answer["text"] + texts(answer["blocks"][1:])
        for ping in ("<!channel", "<!here", "<!everyone", "<@U2>"):
            assert ping not in everything
    assert "You said: &lt;!everyone&gt; &lt;@U2&gt;" in answer["text"]


async def test_long_reply_is_split_within_slacks_limits(slack_bot: SlackBot):
    _, body = await slack_bot.command("/zz-long")
    first = ack_body(body)
    await slack_bot.connector.idle()
    messages = [first, *slack_bot.fake.responses]
    for message in messages:
        assert len(message["blocks"]) <= 50
        # Slack refuses more text than about 13,000 characters in one message's blocks
        # ("msg_blocks_too_long"): the whole answer was lost.
        assert len(texts(message["blocks"])) < 13000
        for block in message["blocks"]:
            if block["type"] == "section" and "text" in block:
                assert len(block["text"]["text"]) <= 3000
    shown = "\n".join(texts(m["blocks"]) for m in messages)
    assert "*Part 0*" in shown and "*Part 69*" in shown
    assert shown.count("x") >= 7000
    assert messages[-1]["blocks"][-1]["type"] == "context"


# -- the 3-second ack ----------------------------------------------------


async def test_slow_command_acks_first_then_answers_through_respond(
    slack_bot: SlackBot, tools: Tools
):
    status, body = await slack_bot.command("/zz-slow")
    # The command is still waiting at the gate: the ack did not wait for it.
    assert (status, body) == (200, "")
    assert slack_bot.fake.responses == []
    tools.gate.set()
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    answer = slack_bot.fake.responses[0]
    assert answer["response_type"] == "in_channel"
    assert answer["blocks"][0]["text"]["text"] == "Proposed slots"
    buttons = answer["blocks"][-1]["elements"]
    assert [(b["text"]["text"], b["value"], b.get("style")) for b in buttons] == [
        ("Pick 1", "zz-pick 1", "primary"),
        ("Pick 2", "zz-pick 2", None),
    ]


async def test_command_that_overruns_the_ack_budget_answers_later(
    slack_bot: SlackBot, tools: Tools
):
    slack_bot.connector.ack_budget = 0.05
    status, body = await slack_bot.command("/zz-lag", "ok")
    assert (status, body) == (200, "")
    tools.gate.set()
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    assert slack_bot.fake.responses[0]["text"] == "Done: ok"
    assert slack_bot.fake.responses[0]["response_type"] == "ephemeral"


async def test_events_are_acked_before_the_work_is_done(slack_bot: SlackBot, tools: Tools):
    mention = message(f"<@{BOT_USER}> /zz-slow", type="app_mention")
    assert await slack_bot.event(mention, event_id="EvSlow") == (200, "")
    assert slack_bot.fake.called("chat.postMessage") == []  # still at the gate
    tools.gate.set()
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.called("chat.postMessage"))
    (post,) = slack_bot.fake.called("chat.postMessage")
    assert post["blocks"][0]["text"]["text"] == "Proposed slots"


# -- signatures ----------------------------------------------------------


async def test_unsigned_badly_signed_and_replayed_requests_get_401(slack_bot: SlackBot):
    form = urllib.parse.urlencode(
        {"command": "/zz-echo", "text": "x", "user_id": "U1", "channel_id": "C1",
         "response_url": slack_bot.response_url(), "team_id": "T1"}
    )  # fmt: skip
    kind = "application/x-www-form-urlencoded"
    unsigned = await slack_bot.post(form, kind, signed=False)
    wrong = await slack_bot.post(form, kind, sign(form, secret="not-the-secret"), signed=False)
    old = await slack_bot.post(form, kind, sign(form, int(time.time()) - 6 * 60), signed=False)
    tampered_headers = sign(form)
    tampered = await slack_bot.post(form + "x", kind, tampered_headers, signed=False)
    assert [r[0] for r in (unsigned, wrong, old, tampered)] == [401, 401, 401, 401]
    await slack_bot.connector.idle()
    assert slack_bot.fake.called("users.info") == []
    assert slack_bot.fake.responses == []


# -- buttons -------------------------------------------------------------


async def test_button_runs_its_command_as_the_clicker_with_role_checks(slack_bot: SlackBot):
    assert await slack_bot.click("zz-pick 1", user="U1") == 200
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    refusal = slack_bot.fake.responses[0]
    assert refusal["response_type"] == "ephemeral"
    assert "needs the chair or secretariat role" in refusal["text"]
    assert refusal["replace_original"] is False

    assert await slack_bot.click("zz-pick 2", user="U2", thread_ts="1799999999.000001") == 200
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 2)
    taken = slack_bot.fake.responses[1]
    assert taken["response_type"] == "in_channel"
    assert taken["text"] == "Li Wei picked slot 2 in slack:C1/1799999999.000001"


# -- files -----------------------------------------------------------------


async def test_public_ics_is_uploaded_to_the_channel(slack_bot: SlackBot):
    _, body = await slack_bot.command("/zz-file", "public")
    assert ack_body(body)["response_type"] == "in_channel"
    await slack_bot.fake.wait_for(slack_bot.fake.completed_uploads)
    (upload,) = slack_bot.fake.completed_uploads()
    assert upload["channel"] == "C1"
    assert upload["title"] == "invite.ics"
    event = icalendar.Calendar.from_ical(upload["data"]).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "ISCG call"
    assert slack_bot.fake.called("files.getUploadURLExternal")[0]["filename"] == "invite.ics"


async def test_personal_ics_goes_to_the_askers_direct_messages(slack_bot: SlackBot):
    _, body = await slack_bot.command("/zz-file", "mine")
    assert ack_body(body)["response_type"] == "ephemeral"
    await slack_bot.fake.wait_for(slack_bot.fake.completed_uploads)
    assert slack_bot.fake.called("conversations.open")[0]["users"] == "U1"
    assert slack_bot.fake.completed_uploads()[0]["channel"] == "DU1"
    assert slack_bot.fake.completed_uploads()[0]["data"] == ICS


# -- events ----------------------------------------------------------------


def message(text: str, ts: str = "1800000001.000100", **extra: Any) -> dict[str, Any]:
    return {"type": "message", "user": "U1", "text": text, "ts": ts, "channel": "C1",
            "channel_type": "channel", "event_ts": ts, **extra}  # fmt: skip


async def test_url_verification_challenge(slack_bot: SlackBot):
    body = json.dumps({"token": "t", "challenge": "abc123", "type": "url_verification"})
    status, text = await slack_bot.post(body, "application/json")
    assert status == 200
    assert "abc123" in text


async def test_mention_answers_a_question_in_a_thread_under_it(slack_bot: SlackBot):
    mention = message(f"<@{BOT_USER}> who coordinates AI?", type="app_mention")
    status, _ = await slack_bot.event(mention, event_id="EvM")
    assert status == 200
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.called("chat.postMessage"))
    (post,) = slack_bot.fake.called("chat.postMessage")
    assert post["channel"] == "C1"
    assert post["thread_ts"] == "1800000001.000100"
    assert post["blocks"][0]["text"]["text"].startswith("Artificial Intelligence")


async def test_direct_message_is_answered_in_the_dm(slack_bot: SlackBot):
    dm = message("who coordinates accessibility", channel="D1", channel_type="im")
    await slack_bot.event(dm, event_id="EvD")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.called("chat.postMessage"))
    (post,) = slack_bot.fake.called("chat.postMessage")
    assert post["channel"] == "D1"
    assert "thread_ts" not in post
    assert post["text"].startswith("Accessibility: who coordinates")


async def test_a_direct_message_mentioning_the_bot_is_answered_once(slack_bot: SlackBot):
    # Slack sends no app_mention for a direct message, mention or not: the message is all.
    dm = message(f"<@{BOT_USER}> who coordinates accessibility", channel="D1", channel_type="im")
    await slack_bot.event(dm, event_id="EvDM")
    await slack_bot.connector.idle()
    (post,) = slack_bot.fake.called("chat.postMessage")
    assert post["channel"] == "D1"
    assert post["text"].startswith("Accessibility: who coordinates")


async def test_meeting_lines_are_recorded_once_despite_retries(slack_bot: SlackBot, tools: Tools):
    tools.running.add("slack:C1/1799999999.000001")
    line = message("#action Jane to send the report &amp; slides", thread_ts="1799999999.000001")
    assert (await slack_bot.event(line, event_id="EvA"))[0] == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert (await slack_bot.event(line, event_id="EvA", headers=retry))[0] == 200
    assert (await slack_bot.event(line, event_id="EvA"))[0] == 200
    await slack_bot.connector.idle()
    assert tools.lines == [
        (
            "slack:C1/1799999999.000001",
            "#action Jane to send the report & slides",
            "slack:C1:1800000001.000100",
        )
    ]
    (post,) = slack_bot.fake.called("chat.postMessage")
    assert post["thread_ts"] == "1799999999.000001"
    assert post["text"] == "Noted: #action Jane to send the report &amp; slides"


async def test_a_retry_of_a_handled_event_is_silent_after_a_restart(
    settings: Settings, clock: FixedClock, fake_slack: FakeSlack, tools: Tools
):
    # Slack retried an event the bot had handled before it restarted: the delegate got a
    # second answer, "That message was recorded already.", under their action.
    dm = message("#action Jane to send the report by Friday", channel="D1", channel_type="im")
    async with running_slack_bot(settings, clock, fake_slack) as before:
        assert (await before.event(dm, event_id="EvR"))[0] == 200
        await before.connector.idle()
    (recorded,) = fake_slack.called("chat.postMessage")
    assert recorded["text"].startswith("Recorded A1: Jane to send the report by Friday")
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    async with running_slack_bot(settings, clock, fake_slack) as after:
        assert (await after.event(dm, event_id="EvR", headers=retry))[0] == 200
        await after.connector.idle()
    assert len(fake_slack.called("chat.postMessage")) == 1
    assert fake_slack.called("chat.postEphemeral") == []


async def test_ordinary_chat_edits_bots_and_mentions_are_not_minutes(
    slack_bot: SlackBot, tools: Tools
):
    tools.running.add("slack:C1")
    events = [
        message("hello everyone", ts="1.1"),
        message("#info edited", ts="1.2", subtype="message_changed"),
        message("#info from a bot", ts="1.3", bot_id="B9"),
        message(f"<@{BOT_USER}> #info asked the bot", ts="1.4"),  # app_mention answers it
        message("#info a channel line", ts="1.5", channel="C2"),  # no meeting in C2
    ]
    for number, event in enumerate(events):
        assert (await slack_bot.event(event, event_id=f"Ev{number}"))[0] == 200
    await slack_bot.connector.idle()
    assert tools.lines == []
    assert slack_bot.fake.called("chat.postMessage") == []
    assert slack_bot.fake.called("chat.postEphemeral") == []


# -- outbox ----------------------------------------------------------------


async def test_outbox_posts_to_a_thread_with_the_one_allowed_mention(slack_bot: SlackBot):
    services = slack_bot.app.services
    reply = Reply(
        text="Reminder: <!channel> send the report",
        title="Action reminder",
        public=True,
        attachments=[Attachment("invite.ics", "text/calendar", ICS)],
    )
    async with services.db.transaction() as conn:
        await queue_chat(conn, destination="slack:C9/1700.5", kind="reminder", reply=reply,
                         now=services.now(), dedupe_key="r1", mention="slack:U2")  # fmt: skip
        await queue_chat(conn, destination="slack:CGONE", kind="reminder", reply=reply,
                         now=services.now(), dedupe_key="r2")  # fmt: skip
    assert await slack_bot.app.dispatcher.run_once() == 2
    (post,) = [p for p in slack_bot.fake.called("chat.postMessage") if p["channel"] == "C9"]
    assert post["thread_ts"] == "1700.5"
    assert post["text"].startswith("<@U2> ")
    assert "<!channel>" not in json.dumps(post)
    assert post["blocks"][0]["text"]["text"] == "<@U2>"
    assert slack_bot.fake.completed_uploads()[0]["channel"] == "C9"
    async with services.db.read() as conn:
        rows = {row.destination: row for row in await outbox.by_kind(conn, "reminder")}
    assert rows["slack:C9/1700.5"].status == "sent"
    assert rows["slack:CGONE"].status == "failed"
    assert "channel_not_found" in (rows["slack:CGONE"].last_error or "")


async def test_a_rate_limited_post_waits_out_retry_after_and_posts_once(slack_bot: SlackBot):
    """Slack answers 429 with Retry-After when the bot posts too fast (one message a second
    per channel): the answer to a mention still comes, and a long outbox post in several
    messages is neither cut short nor posted twice."""
    fake = slack_bot.fake
    fake.limited["chat.postMessage"] = [True]
    mention = message(f"<@{BOT_USER}> who coordinates AI?", type="app_mention")
    await slack_bot.event(mention, event_id="EvLimited")
    await slack_bot.connector.idle()
    (answer,) = fake.called("chat.postMessage")
    assert answer["text"].startswith("Artificial Intelligence")

    services = slack_bot.app.services
    sections = [Section(text="word " * 500, title=f"Part {i}") for i in range(60)]
    reply = Reply.from_sections("Weekly digest", sections)
    reply.public = True
    async with services.db.transaction() as conn:
        await queue_chat(conn, destination="slack:C7", kind="digest", reply=reply,
                         now=services.now(), dedupe_key="d1")  # fmt: skip
    fake.limited["chat.postMessage"] = [False, True]  # the second message is refused
    fake.calls.clear()
    await slack_bot.app.dispatcher.run_once()
    await slack_bot.app.dispatcher.run_once()
    posts = fake.called("chat.postMessage")
    shown = "\n".join(texts(post["blocks"]) for post in posts)
    assert len(posts) > 2  # Slack takes about 13,000 characters of blocks a message
    assert all(shown.count(f"*Part {i}*") == 1 for i in range(60))  # none lost, none twice
    async with services.db.read() as conn:
        (row,) = await outbox.by_kind(conn, "digest")
    assert row.status == "sent"


async def test_a_long_retry_after_leaves_the_row_for_later_without_holding_the_outbox(
    slack_bot: SlackBot,
):
    """Slack may ask to wait a minute or more (a method's per-minute limit): slept out in
    the call, up to three times, it held every Slack reminder queued behind the row."""
    fake = slack_bot.fake
    services = slack_bot.app.services
    async with services.db.transaction() as conn:
        await queue_chat(conn, destination="slack:C7", kind="reminder",
                         reply=Reply(text="m1 starts in 15 minutes", public=True),
                         now=services.now(), dedupe_key="r1")  # fmt: skip
    fake.retry_after = "120"
    fake.limited["chat.postMessage"] = [True]
    async with asyncio.timeout(10):
        await slack_bot.app.dispatcher.run_once()
    assert fake.called("chat.postMessage") == []
    async with services.db.read() as conn:
        (row,) = await outbox.by_kind(conn, "reminder")
    assert row.status == "pending" and "ratelimited" in (row.last_error or "")


async def test_a_file_slack_refuses_does_not_post_the_message_again(slack_bot: SlackBot):
    """Without the files:write scope the invitation's text went out, the .ics did not,
    and the row was tried again: the channel got the invitation at every try."""
    fake = slack_bot.fake
    answer = fake.answer

    def no_files(method: str, data: dict[str, Any]) -> dict[str, Any]:
        if method == "files.getUploadURLExternal":
            return {"ok": False, "error": "missing_scope", "needed": "files:write"}
        return answer(method, data)

    fake.answer = no_files  # type: ignore[method-assign]
    services = slack_bot.app.services
    invite = Attachment("invite.ics", "text/calendar", ICS)
    reply = Reply(text="ISCG call", title="Invitation", public=True, attachments=[invite])
    async with services.db.transaction() as conn:
        await queue_chat(conn, destination="slack:C7", kind="invite", reply=reply,
                         now=services.now(), dedupe_key="i1")  # fmt: skip
    for _ in range(3):
        await slack_bot.app.dispatcher.run_once()
        services.clock.advance(hours=2)
    posted = [post["text"] for post in fake.called("chat.postMessage")]
    assert posted == ["ISCG call", "I could not share the file (missing_scope)."]
    async with services.db.read() as conn:
        (row,) = await outbox.by_kind(conn, "invite")
    assert row.status == "sent"


async def test_a_file_lost_on_the_way_is_said_in_plain_words(slack_bot: SlackBot):
    """The connection to Slack's upload address dropped while the .ics went up: the
    channel read 'I could not share the file (ClientConnectorError(ConnectionKey(host=...'.
    It is told in plain words; the details go to the log."""
    fake = slack_bot.fake
    answer = fake.answer

    def nowhere(method: str, data: dict[str, Any]) -> dict[str, Any]:
        if method == "files.getUploadURLExternal":  # an address where nothing listens
            return {"ok": True, "upload_url": "http://127.0.0.1:9/upload", "file_id": "F1"}
        return answer(method, data)

    fake.answer = nowhere  # type: ignore[method-assign]
    services = slack_bot.app.services
    invite = Attachment("invite.ics", "text/calendar", ICS)
    reply = Reply(text="ISCG call", title="Invitation", public=True, attachments=[invite])
    async with services.db.transaction() as conn:
        await queue_chat(conn, destination="slack:C7", kind="invite", reply=reply,
                         now=services.now(), dedupe_key="i2")  # fmt: skip
    await slack_bot.app.dispatcher.run_once()
    posted = [post["text"] for post in fake.called("chat.postMessage")]
    assert posted == [
        "ISCG call",
        "I could not share the file (the connection to Slack failed).",
    ], posted


# -- people named with Slack mentions ---------------------------------------


async def test_a_slack_mention_names_the_owner_and_the_co_chair(slack_bot: SlackBot):
    """Slack sends `<@U1>` for a mention picked from its menu: it is that person."""
    _, started = await slack_bot.command("/meeting", "start Budget review", user="U2")
    assert ack_body(started)["response_type"] == "in_channel"
    lines = [
        "#action <@U1> to send the report by Friday",
        "#action <@U3|zhang> to circulate the slides",  # someone the bot never met
        "#chair <@U1>",
    ]
    for number, line in enumerate(lines):
        event = message(line, ts=f"1800000002.00010{number}", user="U2")
        await slack_bot.event(event, event_id=f"EvOwner{number}")
        await slack_bot.connector.idle()
    posted = [p["text"] for p in slack_bot.fake.called("chat.postMessage")]
    ephemeral = [p["text"] for p in slack_bot.fake.called("chat.postEphemeral")]
    assert ephemeral == []
    assert "Owners: Jane Doe; due Fri 27 Nov 2026." in posted[0]
    assert "Owners: 张伟; no due date." in posted[1]
    assert not any("(?)" in text or "@slack" in text for text in posted)
    assert posted[2] == "Jane Doe now co-chairs this meeting."
    _, mine = await slack_bot.command("/actions", "mine", user="U3")
    assert "A2" in ack_body(mine)["text"]
    _, hers = await slack_bot.command("/actions", "<@U1>", user="U2")
    assert "A1" in ack_body(hers)["text"]


async def test_subscribe_says_where_the_digest_goes_in_words(slack_bot: SlackBot):
    _, body = await slack_bot.command("/subscribe", "weekly")
    text = ack_body(body)["text"]
    assert "They come to you in Slack, as direct messages from me." in text
    assert "U1" not in text


async def test_a_moved_or_cancelled_meeting_is_headed_once(slack_bot: SlackBot):
    await slack_bot.command("/schedule", "Budget review | 3 Dec 14:00 Geneva time", user="U2")
    await slack_bot.connector.idle()
    _, moved = await slack_bot.command("/reschedule", "m1 | 4 Dec 15:00 Geneva time", user="U2")
    _, cancelled = await slack_bot.command("/cancel", "m1 | chair unwell", user="U2")
    for body, word in ((moved, "Moved"), (cancelled, "Cancelled")):
        blocks = ack_body(body)["blocks"]
        assert blocks[0]["text"]["text"] == f"{word}: m1 Budget review"
        assert f"{word}:" not in texts(blocks[1:])
        assert texts(blocks[1:]).startswith("UTC: ")


async def test_a_meeting_started_without_a_title_is_not_named_by_channel_id(
    slack_bot: SlackBot,
):
    _, started = await slack_bot.command("/meeting", "start", user="U2", channel="C5")
    assert ack_body(started)["text"].startswith('Meeting "ISCG meeting" started at 08:00 UTC')
    _, ended = await slack_bot.command("/meeting", "end", user="U2", channel="C5")
    minutes = ack_body(ended)
    assert minutes["blocks"][0]["text"]["text"] == "Minutes: ISCG meeting (Mon 23 Nov 2026)"
    assert "slack:" not in minutes["text"] + texts(minutes["blocks"])


async def test_schedule_takes_a_quoted_title_in_straight_or_typographic_quotes(
    slack_bot: SlackBot,
):
    """Slack on a phone or a Mac types “ ” for ": the README's quoted title must work."""
    for number, typed in enumerate(('"Budget review"', "“Budget review”")):
        hour = 14 + number
        await slack_bot.command("/schedule", f"{typed} 3 Dec {hour}:00 Geneva time", user="U2")
        await slack_bot.connector.idle()
        answer = slack_bot.fake.responses[-1]
        assert answer["text"].startswith(f"Scheduled m{number + 1}: Budget review\n")
        assert f"Read as: Thu 3 Dec 2026 {hour}:00 (UTC+1) Geneva time" in answer["text"]


async def test_someone_first_met_while_slack_could_not_name_them_gets_their_name(
    slack_bot: SlackBot,
):
    slack_bot.fake.unavailable.add("U1")
    _, first = await slack_bot.command("/meeting", "start Budget review", channel="C6")
    assert "chaired by U1" in ack_body(first)["text"]  # all there was to go on
    _, minutes = await slack_bot.command("/meeting", "end", channel="C6")
    assert "Chairs:  U1\n" in ack_body(minutes)["text"]
    slack_bot.fake.unavailable.clear()
    await slack_bot.command("/meeting", "start Budget review", channel="C6")
    _, minutes = await slack_bot.command("/meeting", "end", channel="C6")
    assert "Chairs:  Jane Doe\n" in ack_body(minutes)["text"]


async def test_an_action_shows_the_mentioned_person_by_name_not_by_slack_id(
    slack_bot: SlackBot,
):
    _, body = await slack_bot.command("/action", "<@U3> review the draft by 10 Dec", user="U2")
    assert ack_body(body)["text"] == (
        "Recorded A1: @张伟 review the draft by 10 Dec\nOwners: 张伟; due Thu 10 Dec 2026."
    )
    _, listed = await slack_bot.command("/actions", "open")
    assert "A1 @张伟 review the draft by 10 Dec — 张伟" in ack_body(listed)["text"]


async def test_minutes_of_a_running_meeting_say_so_once(slack_bot: SlackBot):
    await slack_bot.command("/meeting", "start Budget review", user="U2")
    _, body = await slack_bot.command("/minutes")
    when = "When:    Mon 23 Nov 2026, 08:00 UTC (09:00 Geneva, CET), still running\n"
    assert when in ack_body(body)["text"]


async def test_escaped_slash_command_text_reads_as_typed(slack_bot: SlackBot):
    """What Slack sends for 'Jane Doe <jane@example.org> TSAG' once commands are escaped."""
    typed = "accessibility | Jane Doe &lt;<mailto:jane@example.org|jane@example.org>&gt; TSAG"
    _, body = await slack_bot.command("/set-coordinator", typed, user="U2")
    assert ack_body(body)["text"].startswith(
        "Recorded Jane Doe &lt;jane@example.org&gt; (TSAG) as coordinator for Accessibility."
    )


async def test_a_reply_in_a_thread_under_the_channels_meeting_is_minuted(slack_bot: SlackBot):
    """Members answer the bot's 'Meeting started' in its thread: that is the meeting too."""
    await slack_bot.command("/meeting", "start Budget review", user="U2")
    thread = "1800000003.000100"
    lines = ["#action Jane Doe to send the figures", "#agreed the budget stands"]
    for number, line in enumerate(lines):
        event = message(line, ts=f"1800000003.00020{number}", user="U2", thread_ts=thread)
        await slack_bot.event(event, event_id=f"EvThread{number}")
        await slack_bot.connector.idle()
    posted = [p for p in slack_bot.fake.called("chat.postMessage")]
    assert posted[0]["text"].startswith("Recorded A1: Jane Doe to send the figures")
    assert posted[0]["thread_ts"] == thread
    _, ended = await slack_bot.command("/meeting", "end", user="U2")
    minutes = ack_body(ended)["text"]
    assert "the budget stands" in minutes
    assert "Jane Doe to send the figures" in minutes
    _, again = await slack_bot.command("/meeting", "end", user="U2")
    assert "No meeting is running here" in ack_body(again)["text"]


async def test_old_threads_stay_out_of_a_meeting_and_a_thread_may_hold_a_breakout(
    slack_bot: SlackBot,
):
    """A reply under last year's message is no part of today's meeting; a breakout
    started in a thread (as the README shows) runs there, beside the channel's."""
    await slack_bot.command("/meeting", "start Plenary", user="U2")
    old = message("#agreed nothing to do with it", ts="1800000004.1", thread_ts="1700000000.1")
    await slack_bot.event(old, event_id="EvOld")
    await slack_bot.connector.idle()
    thread = "1800000005.000100"
    start = message(
        f"<@{BOT_USER}> /meeting start Breakout",
        type="app_mention",
        ts="1800000005.2",
        thread_ts=thread,
        user="U2",
    )
    await slack_bot.event(start, event_id="EvBreakout")
    await slack_bot.connector.idle()
    started = [p["text"] for p in slack_bot.fake.called("chat.postMessage")]
    assert any(text.startswith('Meeting "Breakout" started') for text in started), started
    line = message("#agreed breakout point", ts="1800000005.3", thread_ts=thread, user="U2")
    await slack_bot.event(line, event_id="EvBreakoutLine")
    await slack_bot.connector.idle()
    _, ended = await slack_bot.command("/meeting", "end", user="U2")
    plenary = ack_body(ended)["text"]
    assert "Plenary" in plenary
    assert "breakout point" not in plenary and "nothing to do with it" not in plenary


async def test_an_action_given_by_mention_while_slack_could_not_name_them_becomes_theirs(
    slack_bot: SlackBot,
):
    """`#action <@U3> ...` while users.info failed: the minutes read "@U3 to send the
    report -- @U3 [not matched: @U3]" for good, and 张伟's /actions mine lacked it, even
    once the bot knew who U3 was. Known later, the action is theirs and names them."""
    slack_bot.fake.unavailable.add("U3")
    await slack_bot.command("/meeting", "start Budget review", user="U2")
    event = message("#action <@U3> to send the report by Friday", user="U2")
    await slack_bot.event(event, event_id="EvUnnamed")
    await slack_bot.connector.idle()
    assert "Owners: @U3 (?)" in slack_bot.fake.called("chat.postMessage")[0]["text"]
    slack_bot.fake.unavailable.clear()
    _, mine = await slack_bot.command("/actions", "mine", user="U3")
    assert (
        "A1 @张伟 to send the report by Friday — 张伟, due Fri 27 Nov 2026"
        in (ack_body(mine)["text"])
    )
    _, ended = await slack_bot.command("/meeting", "end", user="U2")
    minutes = ack_body(ended)["text"]
    assert "* 张伟\n  * A1 @张伟 to send the report by Friday -- 张伟, due" in minutes
    assert "U3" not in minutes


async def test_a_personal_digest_comes_at_the_hour_subscribe_named_in_the_slack_zone(
    slack_bot: SlackBot, clock: FixedClock
):
    """Jane's Slack profile says Mexico City; /subscribe answered "at 08:00
    America/Mexico_City" but, with no /timezone of her own, her digest came at 08:00
    Geneva time (01:00 for her)."""
    _, body = await slack_bot.command("/subscribe", "daily")
    assert "at 08:00 America/Mexico_City" in ack_body(body)["text"]
    await slack_bot.command("/action", "<@U1> to send the report by 10 Dec", user="U2")
    clock.set(dt.datetime(2026, 11, 23, 13, 59, tzinfo=dt.UTC))  # 07:59 in Mexico City
    await digests.run_pass(slack_bot.app.services)
    async with slack_bot.app.services.db.read() as conn:
        assert await outbox.by_kind(conn, "digest") == []
    clock.set(dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC))  # 08:00 in Mexico City
    await digests.run_pass(slack_bot.app.services)
    async with slack_bot.app.services.db.read() as conn:
        [row] = await outbox.by_kind(conn, "digest")
    assert "send the report" in row.payload["reply"]["text"]


async def test_an_error_reply_echoing_a_broadcast_word_notifies_nobody(slack_bot: SlackBot):
    # Slack sends `<!here>` from the composer; the bot reads it as "@here" and the
    # "no theme called" answer echoed it, which Slack's mrkdwn parses as a mention.
    _, body = await slack_bot.command("/theme", "<!here> @channel @everyone")
    answer = ack_body(body)
    everything = answer["text"] + texts(answer["blocks"])
    assert "no theme" in everything.lower() or "closest" in everything.lower(), everything
    for word in ("here", "channel", "everyone"):
        assert f"@\u2060{word}" in everything
        assert f"@{word}" not in everything
        assert f"<!{word}" not in everything


async def test_the_nudge_of_someone_only_mentioned_comes_at_their_slack_zones_hour(
    slack_bot: SlackBot, clock: FixedClock
):
    """Zhang (Asia/Shanghai in his Slack profile) never wrote to the bot; given an action
    by mention, his nudge came at Geneva's 08:00, 15:00 for him, not at his 08:00."""
    await slack_bot.command("/action", "<@U3> to send the report by Friday", user="U2")
    services = slack_bot.app.services
    clock.set(dt.datetime(2026, 11, 24, 23, 0, tzinfo=dt.UTC))  # Wednesday 07:00 in Beijing
    await digests.run_pass(services)
    async with services.db.read() as conn:
        assert await outbox.by_kind(conn, "nudge") == []
    clock.set(dt.datetime(2026, 11, 25, 0, 0, tzinfo=dt.UTC))  # 08:00 in Beijing
    await digests.run_pass(services)
    async with services.db.read() as conn:
        [row] = await outbox.by_kind(conn, "nudge")
    assert row.destination == "slack:U3"


async def test_an_action_nudge_comes_at_the_digest_hour_in_the_owners_slack_zone(
    slack_bot: SlackBot, clock: FixedClock
):
    """Jane's Slack profile says Mexico City and she never set /timezone: the nudge for
    her action due Friday came on Wednesday at 08:00 Geneva time, 01:00 for her."""
    await slack_bot.command("/actions", "mine")  # Jane speaks to the bot once, on Monday
    await slack_bot.command("/action", "<@U1> to send the report by Friday", user="U2")
    services = slack_bot.app.services
    clock.set(dt.datetime(2026, 11, 25, 7, 0, tzinfo=dt.UTC))  # Wednesday, 01:00 in Mexico City
    await digests.run_pass(services)
    async with services.db.read() as conn:
        assert await outbox.by_kind(conn, "nudge") == []
    clock.set(dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC))  # 08:00 in Mexico City
    await digests.run_pass(services)
    async with services.db.read() as conn:
        [row] = await outbox.by_kind(conn, "nudge")
    assert row.destination == "slack:U1"
    assert "A1 is due Fri 27 Nov 2026: " in row.payload["reply"]["text"]


# -- edits and deletions ---------------------------------------------------


def changed(
    ts: str, text: str, before: str, *, user: str = "U1", editor: str = "", **extra: Any
) -> dict[str, Any]:
    """A `message_changed` event as Slack sends it for an edit of the message `ts`."""
    edit_ts = "1800000099.000100"
    edited = {"user": editor or user, "ts": edit_ts}
    message = {"type": "message", "user": user, "text": text, "ts": ts, "edited": edited}
    previous = {"type": "message", "user": user, "text": before, "ts": ts}
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": "C1",
        "channel_type": "channel",
        "ts": edit_ts,
        "event_ts": edit_ts,
        "message": message | extra,
        "previous_message": previous | extra,
    }


def deleted(ts: str, before: str, *, user: str = "U1", **extra: Any) -> dict[str, Any]:
    """A `message_deleted` event as Slack sends it, by the author or a moderator."""
    return {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": "C1",
        "channel_type": "channel",
        "ts": "1800000098.000100",
        "event_ts": "1800000098.000100",
        "deleted_ts": ts,
        "previous_message": {"type": "message", "user": user, "text": before, "ts": ts} | extra,
    }


async def test_an_edited_or_deleted_meeting_line_reads_in_the_minutes_as_in_slack(
    slack_bot: SlackBot,
):
    """'#action Jane to send teh report', corrected in Slack, kept the typo in the minutes
    and /actions; a deleted line stayed in the log; the bot says nothing about either."""
    await slack_bot.command("/meeting", "start Budget review", user="U2")
    thread = "1800000006.000100"
    said = [
        message("#action <@U1> to send teh report", ts="1800000006.000100"),
        message("the figures are final", ts="1800000006.000200", thread_ts=thread),
        message("#info an aside", ts="1800000006.000300"),
        message("#info nobody else may edit this", ts="1800000006.000400", user="U2"),
    ]
    for number, event in enumerate(said):
        await slack_bot.event(event, event_id=f"EvSaid{number}")
        await slack_bot.connector.idle()
    posted = len(slack_bot.fake.called("chat.postMessage"))
    before = "#action <@U1> to send teh report"
    edits = [
        changed("1800000006.000100", "#action <@U3> to send the report by 4 Dec", before,
                thread_ts=thread),  # a thread's parent: said in the channel
        changed("1800000006.000200", "#agreed the figures are final", "the figures are final",
                thread_ts=thread),  # U1 chairs not: a line still
        changed("1800000006.000200", "#info the figures are final &amp; signed",
                "#agreed the figures are final", thread_ts=thread),
        deleted("1800000006.000300", "#info an aside", user="U2"),  # a moderator's
        changed("1800000006.000400", "#info changed by U1", "#info nobody else may edit this",
                user="U2", editor="U1"),
    ]  # fmt: skip
    for number, event in enumerate([*edits, edits[0]]):  # the first again: Slack retried it
        assert (await slack_bot.event(event, event_id=f"EvEdit{number}"))[0] == 200
        await slack_bot.connector.idle()
    assert len(slack_bot.fake.called("chat.postMessage")) == posted
    assert slack_bot.fake.called("chat.postEphemeral") == []
    _, listed = await slack_bot.command("/actions", "open", user="U2")
    assert (
        "A1 @张伟 to send the report by 4 Dec — 张伟, due Fri 4 Dec 2026 [open]"
        in (ack_body(listed)["text"])
    )
    _, ended = await slack_bot.command("/meeting", "end", user="U2")
    minutes = ack_body(ended)["text"]
    assert "teh" not in minutes and "aside" not in minutes and "changed by" not in minutes
    assert "Jane Doe: #action @张伟 to send the report by 4 Dec" in minutes
    assert "INFO the figures are final &amp; signed (Jane Doe)" in minutes
    assert "nobody else may edit this" in minutes


async def test_an_edit_after_the_minutes_went_out_leaves_them_and_an_action_follows(
    slack_bot: SlackBot,
):
    await slack_bot.command("/meeting", "start Budget review", user="U2")
    for number, text in enumerate(["#info first figures", "#action <@U1> to sned the slides"]):
        await slack_bot.event(
            message(text, ts=f"1800000007.00010{number}"), event_id=f"EvP{number}"
        )
        await slack_bot.connector.idle()
    _, ended = await slack_bot.command("/meeting", "end", user="U2")
    published = ack_body(ended)["text"]
    events = [
        changed("1800000007.000100", "#info final figures", "#info first figures"),
        changed(
            "1800000007.000101",
            "#action <@U1> to send the slides",
            "#action <@U1> to sned the slides",
        ),
        deleted("1800000007.000101", "#action <@U1> to send the slides"),
    ]
    for number, event in enumerate(events):
        await slack_bot.event(event, event_id=f"EvLate{number}")
        await slack_bot.connector.idle()
    _, shown = await slack_bot.command("/minutes", "1", user="U2")
    assert ack_body(shown)["text"].split("Log")[1] == published.split("Log")[1]
    _, listed = await slack_bot.command("/actions", "mine")
    assert "A1 @Jane Doe to send the slides — Jane Doe [open]" in ack_body(listed)["text"]


async def test_a_deleted_thread_parent_leaves_the_minutes(slack_bot: SlackBot):
    """Slack keeps a deleted message that has replies as "This message was deleted."
    and tells of it as a change by Slackbot, not as a deletion: the line stayed."""
    await slack_bot.command("/meeting", "start Budget review", user="U2")
    parent = "1800000008.000100"
    said = [
        message("#idea a joint workshop in Nairobi", ts=parent),
        message("sounds good", ts="1800000008.000200", thread_ts=parent, user="U2"),
    ]
    for number, event in enumerate(said):
        await slack_bot.event(event, event_id=f"EvParent{number}")
        await slack_bot.connector.idle()
    tombstone = {"type": "message", "subtype": "tombstone", "text": "This message was deleted.",
                 "user": "USLACKBOT", "hidden": True, "ts": parent, "thread_ts": parent,
                 "reply_count": 1}  # fmt: skip
    event = changed(parent, "", "#idea a joint workshop in Nairobi", thread_ts=parent)
    event["message"] = tombstone
    await slack_bot.event(event, event_id="EvTombstone")
    await slack_bot.connector.idle()
    _, ended = await slack_bot.command("/meeting", "end", user="U2")
    minutes = ack_body(ended)["text"]
    assert "Nairobi" not in minutes and "deleted" not in minutes
    assert "Li Wei: sounds good" in minutes


async def test_help_shows_the_commands_as_typed_on_slack(slack_bot: SlackBot):
    # Slack's slash commands take the text form, `|` and all (Discord shows its options).
    _, body = await slack_bot.command("/help", "schedule")
    assert ack_body(body)["text"].startswith(
        "Usage: /schedule &lt;title&gt; | &lt;when&gt; [| &lt;duration&gt;]"
    )
    assert "/schedule ISCG coordination | between RAG and TDAG" in ack_body(body)["text"]
    # Slack keeps /invite for itself (it adds someone to the channel): the title of its
    # help said "/invite" above the usage that rightly said "/iscg invite".
    _, body = await slack_bot.command("/help", "invite")
    assert ack_body(body)["blocks"][0]["text"]["text"] == "/iscg invite"
    assert ack_body(body)["text"].startswith("Usage: /iscg invite &lt;meeting&gt;")


async def test_meetings_mine_lists_the_askers_meetings_not_a_meeting_called_mine(
    slack_bot: SlackBot,
):
    await slack_bot.command("/schedule", "Budget | 3 Dec 14:00 | 60m", user="U2")
    await slack_bot.connector.idle()
    _, mine = await slack_bot.command("/meetings", "mine", user="U2")
    assert ack_body(mine)["text"].startswith("Your upcoming meetings (Asia/Shanghai time)")
    assert "m1 · Thu 3 Dec 2026 14:00 (UTC+8) · Budget" in ack_body(mine)["text"]
    _, today = await slack_bot.command("/meetings", "today", user="U2")
    assert ack_body(today)["text"].startswith("No upcoming meeting on Monday 23 November 2026")


async def test_a_command_slack_lists_with_only_words_under_it_shows_them(slack_bot: SlackBot):
    # Slack's menu offers /meeting and /digest; sent alone they answered "There is no
    # command /meeting", which Slack had just offered.
    _, body = await slack_bot.command("/meeting")
    shown = ack_body(body)["text"]
    assert shown.startswith("/meeting needs one more word, the one of these you mean:")
    assert "/meeting start" in shown and "/meeting end" in shown
    assert "There is no command" not in shown
    assert ack_body(body)["response_type"] == "ephemeral"


async def test_a_question_that_also_names_the_channel_is_answered(slack_bot: SlackBot):
    # "@channel @iscg-bot when is the next meeting?" got "I could not place that question".
    text = f"<!channel> <@{BOT_USER}> <@U2> who coordinates accessibility?"
    await slack_bot.event(message(text, type="app_mention"), event_id="EvC")
    await slack_bot.connector.idle()
    (post,) = slack_bot.fake.called("chat.postMessage")
    assert post["text"].startswith("Accessibility: who coordinates")


async def test_an_edit_that_leaves_only_the_file_keeps_the_line(slack_bot: SlackBot):
    """A file shared with '#action <@U1> to review the attached draft', its words then
    taken out in Slack (the file kept), blanked the minutes' line and deleted A1, where
    Discord keeps the line."""
    await slack_bot.command("/meeting", "start Budget review", user="U2")
    text = "#action <@U1> to review the attached draft"
    shared = message(text, ts="1800000010.000100", subtype="file_share")
    await slack_bot.event(shared, event_id="EvFile")
    await slack_bot.connector.idle()
    await slack_bot.event(changed("1800000010.000100", "", text), event_id="EvFileEdit")
    await slack_bot.connector.idle()
    _, listed = await slack_bot.command("/actions", "open", user="U2")
    assert "A1 @Jane Doe to review the attached draft" in ack_body(listed)["text"]
    _, ended = await slack_bot.command("/meeting", "end", user="U2")
    assert "Jane Doe: #action @Jane Doe to review the attached draft" in ack_body(ended)["text"]


async def test_an_edit_that_overtakes_its_message_is_neither_lost_nor_applied_twice(
    slack_bot: SlackBot,
):
    """Slack does not keep events in order: '#action <@U1> to send teh report' corrected at
    once, the edit delivered first, was recorded with the typo (the edit found nothing to
    change); an edit and a deletion delivered while the message is still being recorded
    must follow it too."""
    await slack_bot.command("/meeting", "start Budget review", user="U2")
    edit = changed(
        "1800000011.000100", "#action <@U1> to send the report", "#action <@U1> to send teh report"
    )
    await slack_bot.event(edit, event_id="EvEarlyEdit")
    await slack_bot.connector.idle()
    said = message("#action <@U1> to send teh report", ts="1800000011.000100")
    await slack_bot.event(said, event_id="EvLateSaid")
    await slack_bot.connector.idle()
    gone = message("#info a slip", ts="1800000011.000200")
    await slack_bot.event(deleted("1800000011.000200", "#info a slip"), event_id="EvEarlyGone")
    await slack_bot.event(gone, event_id="EvLateGone")
    await slack_bot.connector.idle()
    typo = "#info the figures are finla"  # corrected while it is still being recorded
    await slack_bot.event(message(typo, ts="1800000011.000300"), event_id="EvTypo")
    fixed = changed("1800000011.000300", "#info the figures are final", typo)
    await slack_bot.event(fixed, event_id="EvFixed")
    await slack_bot.connector.idle()
    (recorded,) = [p["text"] for p in slack_bot.fake.called("chat.postMessage")]
    assert recorded.startswith("Recorded A1: @Jane Doe to send the report")
    _, listed = await slack_bot.command("/actions", "open", user="U2")
    assert "A1 @Jane Doe to send the report — Jane Doe [open]" in ack_body(listed)["text"]
    assert "A2" not in ack_body(listed)["text"]
    _, ended = await slack_bot.command("/meeting", "end", user="U2")
    minutes = ack_body(ended)["text"]
    assert "teh" not in minutes and "slip" not in minutes and "finla" not in minutes
    assert "INFO the figures are final (Jane Doe)" in minutes
    assert minutes.count("Jane Doe: #action @Jane Doe to send the report") == 1


async def test_an_event_is_acked_at_once_while_the_database_is_busy_and_answered_once(
    slack_bot: SlackBot,
):
    """Slack retries an event not acked within three seconds: the ack waited for the
    database (a digest or a batch of mail writing) to record the event as seen."""
    release = asyncio.Event()

    async def busy() -> None:
        async with slack_bot.app.services.db.transaction():
            await release.wait()

    holder = asyncio.create_task(busy())
    await asyncio.sleep(0)
    mention = message(f"<@{BOT_USER}> who coordinates AI?", type="app_mention")
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    async with asyncio.timeout(2):
        assert (await slack_bot.event(mention, event_id="EvBusy"))[0] == 200
        assert (await slack_bot.event(mention, event_id="EvBusy", headers=retry))[0] == 200
    release.set()
    await holder
    await slack_bot.connector.idle()
    (post,) = slack_bot.fake.called("chat.postMessage")
    assert post["thread_ts"] == "1800000001.000100"


async def test_event_ids_are_kept_a_day_and_then_forgotten(
    settings: Settings, clock: FixedClock, fake_slack: FakeSlack, tools: Tools
):
    async def kept(bot: SlackBot) -> list[str]:
        async with bot.app.services.db.read() as conn:
            rows = await conn.execute_fetchall("SELECT platform_message_id FROM seen_messages")
        return sorted(row[0] for row in rows)

    async with running_slack_bot(settings, clock, fake_slack) as bot:
        for event_id in ("EvDay1", "EvDay1b"):
            await bot.event(message("hello", ts=f"1800000012.{event_id}"), event_id=event_id)
            await bot.connector.idle()
        assert await kept(bot) == ["slack:event:EvDay1", "slack:event:EvDay1b"]
    clock.advance(hours=25)
    async with running_slack_bot(settings, clock, fake_slack) as bot:
        await bot.event(message("hello again", ts="1800090000.000100"), event_id="EvDay2")
        await bot.connector.idle()
        assert await kept(bot) == ["slack:event:EvDay2"]


async def test_an_address_typed_without_its_scheme_reads_once_in_the_minutes(
    slack_bot: SlackBot,
):
    # Slack links 'itu.int/go/iscg' as <http://itu.int/go/iscg|itu.int/go/iscg>: the minutes
    # read 'itu.int/go/iscg (http://itu.int/go/iscg) the ISCG page'.
    await slack_bot.command("/meeting", "start Budget review", user="U2")
    typed = "#link <http://itu.int/go/iscg|itu.int/go/iscg> the ISCG page, <https://x.org|x.org>"
    await slack_bot.event(message(typed, ts="1800000013.000100"), event_id="EvLink")
    await slack_bot.connector.idle()
    _, ended = await slack_bot.command("/meeting", "end", user="U2")
    minutes = ack_body(ended)["text"]
    assert "LINK http://itu.int/go/iscg the ISCG page, https://x.org (Jane Doe)" in minutes


async def test_changes_that_overtake_their_message_out_of_order_leave_it_as_last_made(
    slack_bot: SlackBot,
):
    """'#info a slip' corrected and then deleted at once, Slack delivering the deletion,
    then the edit, then the message (it keeps no order between events): the edit took
    the deletion's place, and the deleted message was recorded as edited; so an older
    edit delivered after a newer one had the message recorded as it read before."""
    await slack_bot.command("/meeting", "start Budget review", user="U2")
    said = "1800000013.000200"
    second = {"edited": {"user": "U1", "ts": "1800000013.000900"}}
    first = {"edited": {"user": "U1", "ts": "1800000013.000500"}}
    typo = "#info the figures are finla"
    await slack_bot.event(
        changed(said, "#info the figures are final", "#info the figures are fina", **second),
        event_id="EvSecondEdit",
    )
    await slack_bot.connector.idle()
    await slack_bot.event(
        changed(said, "#info the figures are fina", typo, **first), event_id="EvFirstEdit"
    )
    await slack_bot.connector.idle()
    await slack_bot.event(message(typo, ts=said), event_id="EvSaidAfterEdits")
    await slack_bot.connector.idle()
    ts = "1800000013.000100"
    await slack_bot.event(deleted(ts, "#info a slip, fixed"), event_id="EvGoneFirst")
    await slack_bot.connector.idle()
    await slack_bot.event(changed(ts, "#info a slip, fixed", "#info a slip"), event_id="EvFix")
    await slack_bot.connector.idle()
    await slack_bot.event(message("#info a slip", ts=ts), event_id="EvSaidLast")
    await slack_bot.connector.idle()
    _, ended = await slack_bot.command("/meeting", "end", user="U2")
    minutes = ack_body(ended)["text"]
    assert "slip" not in minutes
    assert "INFO the figures are final (Jane Doe)" in minutes


async def test_the_calendar_file_posted_in_the_channel_names_no_attendee(slack_bot: SlackBot):
    """A chair's '/schedule', '/reschedule' and '/cancel' in a channel uploaded the
    attendees' invitation, update and cancellation there (every attendee's address, a
    meeting request to whoever opens it), which /invite gives no one it does not invite;
    the channel now gets the copy to import, and the chair the invitation from /invite."""
    scheduled = "Budget | 3 Dec 14:00 | 60m | jane@example.org, ana@example.org"
    await slack_bot.command("/schedule", scheduled, user="U2")
    await slack_bot.connector.idle()
    await slack_bot.command("/reschedule", "m1 | 4 Dec 14:00", user="U2")
    await slack_bot.connector.idle()
    await slack_bot.command("/cancel", "m1 | clashes with TSAG", user="U2")
    await slack_bot.connector.idle()
    assert len(slack_bot.fake.completed_uploads()) == 3
    for upload in slack_bot.fake.completed_uploads():
        assert upload["channel"] == "C1"
        assert b"example.org" not in upload["data"]
        assert icalendar.Calendar.from_ical(upload["data"])["METHOD"] == "PUBLISH"
    cancelled = icalendar.Calendar.from_ical(slack_bot.fake.completed_uploads()[2]["data"])
    assert cancelled.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    await slack_bot.command("/invite", "m1", user="U2")
    await slack_bot.connector.idle()
    personal = slack_bot.fake.completed_uploads()[3]
    assert personal["channel"] == "DU2"
    assert icalendar.Calendar.from_ical(personal["data"])["METHOD"] == "CANCEL"
