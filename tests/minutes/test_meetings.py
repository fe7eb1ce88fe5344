"""Whole meetings driven through the console handler, and the minutes they produce."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from dataclasses import replace
from zoneinfo import ZoneInfo

from bot import minutes as rendering
from bot.app import open_services
from bot.core import MessageDeleted, MessageEdited
from bot.handlers.console import ask_once
from bot.meetingroom import room_of
from storage import actions, minutes, outbox, people
from storage.actions import NewAction
from storage.minutes import NewLine
from tests.conftest import CHAIR
from tests.minutes.conftest import BOB, JANE, OUTSIDER, SAM, Speaker


async def _run_meeting(ask) -> str:
    await ask("/meeting start ISCG coordination call", who=JANE)
    await ask("Good morning, let us begin", who=JANE)
    await ask("morning!", who=BOB)
    assert (await ask("#topic Climate change pilot", who=JANE)).text == (
        "Topic: Climate change pilot"
    )
    await ask("#info the e-waste report is out", who=BOB)
    await ask("#idea a joint workshop with ITU-D SG2", who=BOB)
    reply = await ask("#action Bob Smith to circulate the report by Friday", who=JANE)
    assert reply.text.startswith("Recorded A1: Bob Smith to circulate the report by Friday")
    assert "Owners: Bob Smith; due Fri 27 Nov 2026." in reply.text
    await ask("https://www.itu.int/iscg/report.pdf the report", who=BOB)
    await ask("#agreed Climate change stays a <pilot> theme", who=JANE)
    await ask("#topic Accessibility", who=JANE)
    await ask("#link https://www.itu.int/accessibility", who=BOB)
    await ask("#action update the accessibility page", who=BOB)
    await ask("#decision review in March", who=JANE)
    return (await ask("/meeting end", who=JANE)).markdown


async def test_a_whole_meeting_gives_minutes_in_order(ask, known, services):
    text = await _run_meeting(ask)
    assert text.startswith("# ISCG coordination call\n")
    assert "Mon 23 Nov 2026, 08:00–08:00 UTC (09:00–09:00 Geneva, CET)" in text
    assert "Chairs: Jane Doe" in text
    assert "Present (lines said): jane (6), bob (6)" in text
    climate = text.index("## Climate change pilot")
    access = text.index("## Accessibility")
    by_person = text.index("## Action items by person")
    assert climate < access < by_person < text.index("## Unassigned actions") < text.index("## Log")
    first = text[climate:access]
    assert first.index("INFO the e-waste report is out (bob)") < first.index(
        "IDEA a joint workshop"
    )
    assert (
        "- ACTION **A1** Bob Smith to circulate the report by Friday — Bob Smith,"
        " due Fri 27 Nov 2026" in first
    )
    # Every item says who gave it, a link as MeetBot's minutes show it too.
    assert "- LINK <https://www.itu.int/iscg/report.pdf> the report (bob)\n- AGREED" in first
    assert "- AGREED Climate change stays a <pilot> theme (jane)" in first
    second = text[access:by_person]
    assert "- LINK <https://www.itu.int/accessibility> (bob)" in second
    assert "- AGREED review in March (jane)" in second
    assert "- Bob Smith\n  - **A1** Bob Smith to circulate the report" in text
    assert (
        "## Unassigned actions\n- **A2** update the accessibility page — unassigned, no due date"
        in text
    )
    assert "08:00 bob: morning!" in text

    async with services.db.read() as conn:
        mails = await outbox.by_kind(conn, "minutes")
    assert len(mails) == 1
    mail = mails[0]
    assert mail.destination == "email:int-sect-group@lists.itu.int"
    assert mail.dedupe_key == "minutes:1"
    assert mail.payload["to_list"] is True
    assert mail.payload["subject"] == "Minutes: ISCG coordination call (Mon 23 Nov 2026)"
    assert "Climate change stays a <pilot> theme" in mail.payload["text"]
    assert "Action items by person" in mail.payload["text"]
    assert (
        "* LINK https://www.itu.int/iscg/report.pdf the report (bob)\n* AGREED"
        in (mail.payload["text"])
    )
    html = mail.payload["html"]
    assert "Climate change stays a &lt;pilot&gt; theme" in html
    assert "<pilot>" not in html
    assert '<li id="action-1">ACTION <strong>A1</strong>' in html
    assert '<a href="#action-1">A1</a>' in html
    assert '<a href="https://www.itu.int/iscg/report.pdf">' in html
    assert "report.pdf</a> the report (bob)</li>" in html


async def test_a_title_on_two_lines_still_ends_and_mails_on_one(ask, known, services):
    # A chat message may hold a line break; the title it gave was refused by the mail
    # library as a subject at /meeting end, every time: the meeting could never end.
    await ask("/meeting start Budget review\nBcc: victim@example.org", who=JANE)
    ended = await ask("/meeting end", who=JANE)
    assert not ended.error, ended.text
    async with services.db.read() as conn:
        [mail] = await outbox.by_kind(conn, "minutes")
    head = mail.payload["mime"].split("\r\n\r\n", 1)[0]
    assert "\r\nSubject: Minutes: Budget review Bcc: victim@example.org (Mon" in head
    assert "\r\nBcc:" not in head


async def test_minutes_command_shows_the_same_minutes(ask, known):
    ended = await _run_meeting(ask)
    assert (await ask("/minutes", who=BOB)).markdown == ended
    assert (await ask("/minutes 1", who=BOB)).markdown == ended
    assert (await ask("/minutes coordination", who=BOB)).markdown == ended
    missing = await ask("/minutes budget", who=BOB)
    assert missing.error and 'no minutes of a meeting "budget"' in missing.text


async def test_minutes_without_an_id_are_this_channels_only(ask, known, clock):
    assert (await ask("/minutes", who=BOB, channel="room4")).error  # no meeting anywhere
    await ask("/meeting start Room three call", who=JANE, channel="room3")
    await ask("/meeting end", who=JANE, channel="room3")
    elsewhere = await ask("/minutes", who=BOB, channel="room4")
    assert elsewhere.error
    assert elsewhere.text.startswith(
        "No meeting has been minuted here yet. The latest minutes, of another channel, are "
        '"Room three call" of Mon 23 Nov 2026.\nFor example: /minutes 1'
    )
    clock.advance(hours=1)
    await ask("/meeting start Room four call", who=JANE, channel="room4")
    await ask("/meeting end", who=JANE, channel="room4")
    assert (await ask("/minutes", who=BOB, channel="room3")).markdown.startswith(
        "# Room three call"
    )
    assert (await ask("/minutes", who=BOB, channel="room4")).markdown.startswith("# Room four call")


async def test_a_second_meeting_in_the_same_place_is_refused(ask, known):
    await ask("/meeting start Weekly call", who=JANE)
    refused = await ask("/meeting start Another", who=BOB)
    assert refused.error
    assert '"Weekly call" is already running here' in refused.text
    elsewhere = await ask("/meeting start Another", who=BOB, channel="side")
    assert 'Meeting "Another" started' in elsewhere.text


async def test_only_chairs_set_topics_record_agreements_and_end(ask, known):
    await ask("/meeting start Weekly call", who=JANE)
    topic = await ask("#topic My topic", who=BOB)
    assert topic.error and "Only the chairs can record #topic" in topic.text
    agreed = await ask("#agreed we agree", who=BOB)
    assert agreed.error and "Only the chairs can record #agreed" in agreed.text
    end = await ask("/meeting end", who=BOB)
    assert end.error and "Only the chairs of this meeting (Jane Doe)" in end.text
    cochair = await ask("#chair @bob", who=OUTSIDER)
    assert cochair.error and "Only a chair" in cochair.text
    assert (await ask("#chair @bob", who=JANE)).text == "Bob Smith now co-chairs this meeting."
    assert (await ask("#topic Now mine", who=BOB)).text == "Topic: Now mine"
    text = (await ask("/meeting end", who=BOB)).markdown
    assert "Chairs: Jane Doe, Bob Smith" in text
    assert "## My topic" not in text and "## Now mine" in text
    assert "08:00 bob: #topic My topic" in text  # kept in the log


async def test_iscg_chair_and_secretariat_may_end_any_meeting(ask, known):
    await ask("/meeting start One", who=JANE)
    assert "# One" in (await ask("/meeting end", who=SAM)).markdown
    await ask("/meeting start Two", who=JANE)
    assert "# Two" in (await ask("/meeting end", who=CHAIR)).markdown


async def test_a_member_refused_the_end_is_told_who_can_and_from_when_anyone_can(ask, known):
    await ask("/meeting start Forgotten", who=JANE)
    refused = await ask("/meeting end", who=OUTSIDER)
    assert refused.error
    assert refused.text == (
        "Only the chairs of this meeting (Jane Doe), ISCG chairs and the secretariat can end it "
        "now: ask a chair to end it, or to make you a co-chair with #chair. From Mon 23 Nov 2026 "
        "13:00 (UTC+1), 4 hours after it began, anyone here can."
    )


async def test_minutes_are_dated_by_the_groups_day(ask, known, clock):
    clock.set(dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC))  # Tue 00:30 in Geneva
    await ask("/meeting start Late call", who=JANE)
    ended = await ask("/meeting end", who=JANE)
    assert ended.title == "Minutes: Late call (Tue 24 Nov 2026)"


async def test_a_meeting_left_open_can_be_ended_by_anyone(ask, known, clock):
    await ask("/meeting start Forgotten", who=JANE)
    clock.advance(hours=3, minutes=59)
    assert (await ask("/meeting end", who=OUTSIDER)).error
    clock.advance(minutes=2)
    ended = await ask("/meeting end", who=OUTSIDER)
    assert ended.markdown.startswith("# Forgotten")
    assert "08:00–12:01 UTC" in ended.markdown


async def test_undo_removes_own_last_item_and_a_chair_may_undo_anyone(ask, known, services):
    await ask("/meeting start Undo call", who=JANE)
    await ask("#info first from bob", who=BOB)
    await ask("#action Bob Smith to do something", who=BOB)
    await ask("#info from jane", who=JANE)
    undone = await ask("#undo", who=BOB)
    assert undone.text == "Removed your #action: Bob Smith to do something"
    await ask("#idea bob's idea", who=BOB)
    by_chair = await ask("#undo", who=JANE)
    assert by_chair.text == "Removed bob's #idea: bob's idea"
    assert (await ask("#undo", who=OUTSIDER)).text == (
        "There is nothing of yours to undo in this meeting."
    )
    text = (await ask("/meeting end", who=JANE)).markdown
    assert "INFO first from bob (bob)" in text
    assert "INFO from jane (jane)" in text
    assert "bob's idea" not in text.split("## Log")[0]
    assert "do something" not in text.split("## Log")[0]
    assert "08:00 bob: #action Bob Smith to do something" in text  # the log keeps all
    async with services.db.read() as conn:
        assert await actions.listing(conn) == []


async def test_open_actions_of_the_series_are_carried_over(ask, known, clock):
    await ask("/meeting start ISCG call 1", who=JANE)
    await ask("#action Bob Smith to draft the liaison by 4 December", who=JANE)
    await ask("#action Jane Doe to book the room", who=JANE)
    await ask("/meeting end", who=JANE)
    assert "done" in (await ask("/done A2", who=JANE)).text
    await ask("/meeting start Other call", who=JANE)
    await ask("#action Bob Smith to do other things", who=JANE)
    await ask("/meeting end", who=JANE)
    clock.advance(days=7)
    await ask("/meeting start ISCG call 2", who=JANE)
    text = (await ask("/meeting end", who=JANE)).markdown
    carried = text[text.index("## Carried over") : text.index("Nothing was recorded.")]
    assert (
        "**A1** Bob Smith to draft the liaison by 4 December — Bob Smith, due Fri 4 Dec 2026"
        in carried
    )
    assert "A2" not in carried  # done
    assert "A3" not in carried  # another series
    assert text.index("## Carried over") < text.index("Nothing was recorded.")


async def test_the_same_message_delivered_twice_is_recorded_once(say, known, services):
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    assert (
        await say("hello", who=BOB, channel="slack:C1", message_id="1.1", addressed=False) is None
    )
    assert (
        await say("hello", who=BOB, channel="slack:C1", message_id="1.1", addressed=False) is None
    )
    first = await say("#action Jane Doe to call", who=BOB, channel="slack:C1", message_id="1.2")
    assert first is not None and first.text.startswith("Recorded A1")
    again = await say("#action Jane Doe to call", who=BOB, channel="slack:C1", message_id="1.2")
    assert again is None
    topic = await say("#topic T", who=JANE, channel="slack:C1", message_id="1.3")
    assert topic is not None and topic.text == "Topic: T"
    assert await say("#topic T", who=JANE, channel="slack:C1", message_id="1.3") is None
    # The same id in another channel is another message.
    await say("/meeting start Other", who=JANE, channel="slack:C2")
    await say("hello", who=BOB, channel="slack:C2", message_id="1.1", addressed=False)
    async with services.db.read() as conn:
        said = [(line.meeting_id, line.text) for line in await minutes.lines(conn, 1)]
        assert said == [(1, "hello"), (1, "#action Jane Doe to call"), (1, "#topic T")]
        assert len(await minutes.lines(conn, 2)) == 1
        assert len(await actions.listing(conn)) == 1


async def test_an_action_recorded_before_the_meeting_is_not_recorded_again_in_it(
    say, known, services
):
    # Recorded outside a meeting, then the same message again once one runs there
    # (a mail redelivered after a meeting began listening in its thread is the case).
    first = await say("/action Jane Doe to call", who=BOB, channel="slack:C1", message_id="2.1")
    assert first is not None and first.text.startswith("Recorded A1")
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    again = await say("/action Jane Doe to call", who=BOB, channel="slack:C1", message_id="2.1")
    assert again is not None and again.text == "That message was recorded already."
    later = await say("#action Bob Smith to write", who=BOB, channel="slack:C1", message_id="2.2")
    assert later is not None and later.text.startswith("Recorded A2")
    async with services.db.read() as conn:
        said = [line.text for line in await minutes.lines(conn, 1)]
        assert said == ["#action Bob Smith to write"]
        listed = await actions.listing(conn)
    assert [(a.ref, a.text, [o.label for o in a.owners]) for a in listed] == [
        ("A1", "Jane Doe to call", ["Jane Doe"]),
        ("A2", "Bob Smith to write", ["Bob Smith"]),
    ]


async def test_lines_outside_a_meeting_are_not_recorded_and_questions_still_answered(
    say, ask, known, services
):
    assert await say("just chatting", who=BOB, addressed=False) is None
    await ask("/meeting start Q and A", who=JANE)
    answer = await ask("who coordinates accessibility?", who=BOB)
    assert answer.text.startswith("Accessibility: who coordinates")
    assert (await ask("just a remark", who=BOB)).text == "(recorded)"
    async with services.db.read() as conn:
        texts = [line.text for line in await minutes.lines(conn, 1)]
    assert texts == ["who coordinates accessibility?", "just a remark"]


async def test_a_meeting_line_where_no_meeting_runs_says_so_not_the_whole_help(
    say, ask, known, services
):
    for line in ("#topic no meeting here", "#agreed x", "#info x", "#idea x", "#link x"):
        reply = await ask(line, who=BOB, channel="room4")
        word = line.split()[0]
        assert reply.error and reply.text == (
            f"No meeting is running here, and {word} works only in one. Start one with "
            "/meeting start <title>, or /meeting start m3 for a scheduled meeting (see /meetings)."
        )
    for line in ("#undo", "#chair @bob"):
        assert (await ask(line, who=BOB, channel="room4")).text.startswith(
            "No meeting is running here"
        )
    # Not spoken to the bot: still nothing said, nothing recorded.
    assert await say("#topic chatter", who=BOB, channel="slack:C7", addressed=False) is None
    async with services.db.read() as conn:
        assert await minutes.running(conn) == []


async def test_an_action_line_where_no_meeting_runs_records_it_outside_minutes(ask, known):
    reply = await ask("#action Jane Doe to send the slides", who=BOB, channel="room4")
    assert reply.text == (
        "Recorded A1: Jane Doe to send the slides\nOwners: Jane Doe; no due date.\n"
        "No meeting is running here, so it joins no minutes."
    )
    assert "A1 Jane Doe to send the slides" in (await ask("/actions", who=JANE)).text
    empty = await ask("#action", who=BOB, channel="room4")
    assert empty.error and "#action needs some text" in empty.text


async def test_action_lines_in_the_members_languages_are_minuted_and_grouped(ask, known, services):
    """A Spanish, French, Russian, Chinese or Arabic minute-taker labels an action in
    their language: the lines were minuted as talk, and no action recorded."""
    async with services.db.transaction() as conn:
        for name in ("Ana García", "Marie Dupont", "Иван Петров", "张伟", "أحمد علي"):
            await people.create(conn, name)
    await ask("/meeting start ISCG coordination call", who=JANE)
    await ask("#topic Accessibility", who=JANE)
    said = {
        "ACCIÓN: Ana García enviará el documento": "A1",
        "ACTION : Marie Dupont envoie le projet": "A2",
        "ДЕЙСТВИЕ: Иван Петров подготовит проект": "A3",
        "行动项：张伟 提交文件": "A4",
        "إجراء: أحمد علي يرسل الوثيقة": "A5",
        "Action item: Jane Doe to book the room": "A6",
    }
    for line, ref in said.items():
        assert (await ask(line, who=BOB)).text.startswith(f"Recorded {ref}: "), line
    for prose in ("La acción: una idea", "Action items were discussed at length"):
        assert (await ask(prose, who=BOB)).text == "(recorded)"  # talk, minuted as such
    text = (await ask("/meeting end", who=JANE)).markdown
    topic = text[text.index("## Accessibility") : text.index("## Action items by person")]
    assert "- ACTION **A1** Ana García enviará el documento — Ana García, no due date" in topic
    by_person = text[text.index("## Action items by person") : text.index("## Log")]
    for owner, ref in (("Ana García", "A1"), ("Marie Dupont", "A2"), ("张伟", "A4")):
        assert f"- {owner}\n  - **{ref}**" in by_person
    assert "Unassigned" not in text
    listing = (await ask("/actions open", who=JANE)).text
    assert "A3 Иван Петров подготовит проект — Иван Петров [open]" in listing
    assert "A5 أحمد علي يرسل الوثيقة — أحمد علي [open]" in listing


async def test_an_item_typed_with_a_colon_is_that_item(ask, known):
    """'#agreed: we adopt the report' or '#info: the report is out', as minute-takers
    type them, were minuted as talk, not what was agreed, and '#action: Jane Doe to
    send it' was recorded as ': Jane Doe to send it'."""
    await ask("/meeting start Call", who=JANE)
    assert (await ask("#topic: Budget", who=JANE)).text == "Topic: Budget"
    await ask("#agreed: we adopt the report", who=JANE)
    await ask("#info： the report is out", who=BOB)  # a Chinese keyboard's colon
    recorded = await ask("#action: Jane Doe to send it", who=BOB)
    assert recorded.text.startswith("Recorded A1: Jane Doe to send it\n"), recorded.text
    assert (await ask("#link:", who=BOB)).error  # a colon is no text
    text = (await ask("/meeting end", who=JANE)).markdown
    budget = text[text.index("## Budget") : text.index("## Action items by person")]
    assert "AGREED we adopt the report" in budget
    assert "INFO the report is out (bob)" in budget
    assert "**A1** Jane Doe to send it — Jane Doe" in budget


async def test_a_mistyped_tag_is_said_not_silently_minuted_as_talk(ask, known):
    """'#acton Jane Doe to send the figures' was minuted as talk with '(recorded)': the
    member believed the action recorded, and nobody ever saw it in a list."""
    await ask("/meeting start Call", who=JANE)
    typo = await ask("#acton Jane Doe to send the figures", who=BOB)
    assert typo.error and typo.text == (
        '"#acton" is no meeting item, so your line is minuted as talk. Did you mean '
        "#action? Write it again as: #action Jane Doe to send the figures"
    )
    assert "Did you mean #agreed?" in (await ask("#agred the budget", who=JANE)).text
    for talk in ("#ITU at 160 years", "#1 priority is the budget", "#climate week"):
        assert (await ask(talk, who=BOB)).text == "(recorded)"
    text = (await ask("/meeting end", who=JANE)).markdown
    assert "#acton Jane Doe to send the figures" in text  # in the log, as said


async def test_an_item_without_text_is_refused_not_minuted(ask, known):
    """A bare `#info` or `#link` was minuted as "INFO #info (Bob)" and "LINK #link"."""
    await ask("/meeting start Bare items", who=JANE)
    for kind in ("info", "idea", "link", "agreed", "decision"):
        refused = await ask(f"#{kind}", who=JANE)
        shown = "agreed" if kind == "decision" else kind
        assert refused.error and refused.text.startswith(f"#{shown} needs some text, for example: ")
    ended = (await ask("/meeting end", who=JANE)).text
    assert "INFO" not in ended and "LINK" not in ended and "AGREED" not in ended
    assert "#info" not in ended and "#link" not in ended


async def test_bad_items_long_lines_and_pings(ask, known, services):
    await ask("/meeting start Bad input", who=JANE)
    empty = await ask("#action", who=BOB)
    assert empty.error and "#action needs some text" in empty.text
    assert (await ask("#action   ", who=BOB)).error
    long_line = "x" * 3990 + " the end"
    assert len(long_line) < 4000 <= len(long_line + "!" * 2)
    assert (await ask(long_line, who=BOB)).text == "(recorded)"
    too_long = await ask("y" * 4001, who=BOB)
    assert too_long.error and "at most 4,000" in too_long.text
    ping = await ask("#action @everyone check <!channel> and @here before Friday", who=BOB)
    assert "@everyone" not in ping.text and "<!channel>" not in ping.text
    assert "@\u2060everyone" in ping.text and "@\u2060channel" in ping.text
    text = (await ask("/meeting end", who=JANE)).markdown
    assert long_line in text
    assert "@everyone" not in text and "<!channel>" not in text and "@here" not in text
    async with services.db.read() as conn:
        stored = await actions.get(conn, 1)
        mail = (await outbox.by_kind(conn, "minutes"))[0]
    assert stored is not None and stored.text.startswith("@everyone check <!channel>")
    assert stored.owners == []  # @everyone is never an owner
    assert "@everyone" not in mail.payload["text"] and "@everyone" not in mail.payload["html"]
    assert re.search(r"&lt;!channel&gt;|@\u2060channel", mail.payload["html"])


async def test_a_link_line_without_an_address_keeps_no_live_mention(ask, known):
    """`#link <!channel> see www.itu.int` (no http address) went into the text and
    Markdown minutes as typed, the one user text there not made inert."""
    await ask("/meeting start Links", who=JANE)
    await ask("#link <!channel> @everyone see www.itu.int", who=BOB)
    ended = await ask("/meeting end", who=JANE)
    for form in (ended.text, ended.markdown or ""):
        assert "LINK @\u2060channel @\u2060everyone see www.itu.int (bob)" in form
        assert "<!channel>" not in form and "@everyone" not in form


async def test_a_chair_on_utc_reads_the_start_time_once(ask, known):
    """'/meeting start' by a chair whose time zone is UTC read 'started at 08:00 UTC
    (08:00 UTC)'; a chair elsewhere still reads their own time beside it."""
    await ask("/timezone UTC", who=BOB)
    started = (await ask("/meeting start Budget call", who=BOB)).text
    assert started.startswith('Meeting "Budget call" started at 08:00 UTC, chaired by bob.')
    await ask("/meeting end", who=BOB)
    started = (await ask("/meeting start Budget call", who=JANE)).text
    assert "started at 08:00 UTC (09:00 Geneva), chaired by jane." in started


async def test_start_links_to_the_scheduled_meeting_under_way_or_named(ask, known, clock):
    scheduled = await ask("/schedule ISCG coordination | 2026-11-23 09:30 | 60m", who=CHAIR)
    assert not scheduled.error, scheduled.text
    assert "m1" in scheduled.text
    clock.advance(minutes=35)  # under way now
    started = await ask("/meeting start", who=JANE)
    assert 'Meeting "ISCG coordination" (scheduled meeting m1) started' in started.text
    # Planned for an hour: anyone may end it once it has run two.
    clock.advance(hours=1, minutes=59)
    refused = await ask("/meeting end", who=OUTSIDER)
    assert refused.error
    assert refused.text.endswith(
        "From Mon 23 Nov 2026 11:35 (UTC+1), an hour past its planned end, anyone here can."
    )
    clock.advance(minutes=2)
    assert (await ask("/meeting end", who=OUTSIDER)).markdown.startswith("# ISCG coordination")
    named = await ask("/meeting start m1", who=JANE, channel="other")
    assert 'Meeting "ISCG coordination" (scheduled meeting m1) started' in named.text


async def test_minutes_are_found_by_the_ids_the_bot_shows(ask, known):
    await ask("/schedule ISCG coordination | 2026-11-23 09:30 | 60m", who=CHAIR)
    refused = await ask("/meeting start m99", who=JANE)
    assert refused.error and refused.text == (
        'There is no meeting "m99". Meetings have ids like m3; see /meetings.\n'
        "For example: /meeting start m1"
    )
    await ask("/meeting start Side chat", who=BOB, channel="side")  # minutes 1, unscheduled
    side = (await ask("/meeting end", who=BOB, channel="side")).text
    assert "\nMinutes 1: /minutes 1 shows them again.\n" in side
    not_yet = await ask("/minutes m1", who=BOB)
    assert not_yet.error and not_yet.text == (
        'm1, "ISCG coordination", has no minutes yet.\nFor example: /meeting start m1'
    )
    await ask("/meeting start m1", who=JANE)  # minutes 2, of scheduled meeting m1
    await ask("#topic Budget", who=JANE)
    ended = (await ask("/meeting end", who=JANE)).text
    assert "\nMinutes 2 (scheduled meeting m1): /minutes 2 shows them again.\n" in ended
    assert (await ask("/minutes m1", who=BOB, channel="side")).text == ended
    assert (await ask("/minutes #m1", who=BOB, channel="side")).text == ended
    assert (await ask("/minutes 2", who=BOB, channel="side")).text == ended
    assert (await ask("/minutes 1", who=BOB)).text == side
    missing = await ask("/minutes 3", who=BOB)
    assert missing.error and missing.text.startswith(
        "There are no minutes 3. For the minutes of a scheduled meeting, give its id as "
        "/meetings shows it."
    )
    unknown = await ask("/minutes m99", who=BOB)
    assert unknown.error and unknown.text.startswith('There is no meeting "m99".')


async def test_minutes_asked_for_as_a_mails_sentence_ends_are_found(ask, known):
    """'/minutes 1.' answered 'I have no minutes of a meeting "1."' and to start one."""
    await ask("/meeting start Budget call", who=JANE)
    await ask("#info the budget is agreed", who=JANE)
    await ask("/meeting end", who=JANE)
    for typed in ("/minutes 1.", "/minutes 1,", "/minutes Budget call.", "/minutes 1。"):
        reply = await ask(typed, who=BOB)
        assert not reply.error and "Budget call" in reply.text, (typed, reply.text)


async def test_minutes_are_found_by_their_page_and_a_long_number_is_none(ask, known):
    """`/minutes 99999999999999999999` answered "Sorry, something went wrong on my side"
    (SQLite cannot hold the number); the link of the page, pasted, found nothing."""
    await ask("/meeting start Side chat", who=BOB)
    side = (await ask("/meeting end", who=BOB)).text
    for pasted in ("/minutes/1", "http://localhost:8080/minutes/1.txt#action-3"):
        assert (await ask(f"/minutes {pasted}", who=BOB)).text == side
    huge = await ask("/minutes 99999999999999999999", who=BOB)
    assert huge.error and huge.text.startswith("There are no minutes 99999999999999999999.")


async def test_a_delivery_repeated_after_a_restart_is_recorded_once(settings, clock, known):
    """The running meeting's message keys come back from the database on restart."""
    first = await open_services(settings, clock)
    try:
        say = Speaker(first)
        await say("/meeting start Slack call", who=JANE, channel="slack:C1")
        await say("hello", who=BOB, channel="slack:C1", message_id="1.1", addressed=False)
        await say("#action Jane Doe to call", who=BOB, channel="slack:C1", message_id="1.2")
    finally:
        await first.db.close()
    second = await open_services(settings, clock)
    try:
        say = Speaker(second)
        # Slack retries both after the restart; a new line still counts.
        assert await say("hello", who=BOB, channel="slack:C1", message_id="1.1") is None
        assert (
            await say("#action Jane Doe to call", who=BOB, channel="slack:C1", message_id="1.2")
            is None
        )
        await say("bye", who=BOB, channel="slack:C1", message_id="1.3", addressed=False)
        async with second.db.read() as conn:
            [meeting] = [m for m in await minutes.running(conn) if m.channel == "slack:C1"]
            texts = [line.text for line in await minutes.lines(conn, meeting.id)]
            assert len(await actions.listing(conn)) == 1
    finally:
        await second.db.close()
    assert texts == ["hello", "#action Jane Doe to call", "bye"]


async def test_meetings_running_at_once_keep_their_own_lines(ask, known, services):
    """Lines of meetings in different channels interleave in the table, never in the minutes."""
    await ask("/meeting start Call A", who=JANE, channel="a")
    await ask("/meeting start Call B", who=BOB, channel="b")
    for n in range(3):
        await ask(f"a{n}", who=JANE, channel="a")
        await ask(f"b{n}", who=BOB, channel="b")
    ended_a = (await ask("/meeting end", who=JANE, channel="a")).text
    await ask("/meeting start Call C", who=JANE, channel="a")
    await ask("c0", who=JANE, channel="a")
    await ask("b3", who=BOB, channel="b")
    async with services.db.read() as conn:
        by_meeting = {m: [line.text for line in await minutes.lines(conn, m)] for m in (1, 2, 3)}
    assert by_meeting == {1: ["a0", "a1", "a2"], 2: ["b0", "b1", "b2", "b3"], 3: ["c0"]}
    assert "a2" in ended_a and "b0" not in ended_a


async def test_an_owner_known_since_the_last_action_is_matched(ask, known, services):
    """What action items are read against is refreshed when people change (revisions)."""
    await ask("/meeting start Call", who=JANE)
    await ask("#action Bob Smith to draft", who=JANE)
    async with services.db.transaction() as conn:
        await people.create(conn, "Nadia Noor", email="nadia@example.org")
    reply = await ask("#action Nadia Noor to review", who=JANE)
    assert "Owners: Nadia Noor" in reply.text


async def test_an_operation_that_fails_undoes_only_itself(ask, known, services):
    """Lines and items around a failing operation in the same batch are kept, in order."""
    await ask("/meeting start Call", who=JANE)
    jane = await services.context_for(JANE, "jane", "console:main")
    bob = await services.context_for(BOB, "bob", "console:main")

    async def broken(conn):
        await conn.execute("UPDATE minuted_meetings SET title = 'changed'")
        raise RuntimeError("boom")

    writer = room_of(services).writer

    async def queues_then_fails(conn):  # writes only through the writer: no savepoint
        new = {"meeting_id": 1, "message_key": "console:main:5", "text": "never"}
        action = NewAction(
            **new,
            owners=[],
            due_date=None,
            platform="console",
            channel="console:main",
            created_by=known["bob"],
            created_at=services.now(),
        )
        line = NewLine(
            **new, person_id=known["bob"], author="bob", at=services.now(), kind="action"
        )
        await writer.add_action(conn, action, line, if_recorded=None)
        raise RuntimeError("bang")

    def said(ctx, text, message_id):
        return services.ask(replace(ctx, message_id=message_id), text, addressed=False)

    results = await asyncio.gather(
        said(bob, "before", "1"),
        said(jane, "#action Bob Smith to write", "2"),
        writer.run(broken),
        said(jane, "#action Jane Doe to read", "3"),
        said(bob, "after", "4"),
        said(bob, "after", "4"),
        writer.run(queues_then_fails, reads_lines=False, writes=False),
        return_exceptions=True,
    )
    assert isinstance(results[2], RuntimeError) and isinstance(results[6], RuntimeError)
    assert results[1].text.startswith("Recorded A1") and results[3].text.startswith("Recorded A2")
    async with services.db.read() as conn:
        meeting = await minutes.get(conn, 1)
        texts = [line.text for line in await minutes.lines(conn, 1)]
        assert len(await actions.listing(conn)) == 2
    assert meeting is not None and meeting.title == "Call"
    assert texts == ["before", "#action Bob Smith to write", "#action Jane Doe to read", "after"]


async def test_the_room_remembers_running_meetings_only(ask, known, services, monkeypatch):
    """Each mail thread is a channel: the room keeps the running meetings, read once, and
    nothing of the many quiet channels."""
    await ask("/meeting start Call", who=JANE, channel="busy")
    here = room_of(services)
    here.forget()  # as after a rollback: read again
    reads = []
    every_running = minutes.running

    async def counted(conn):
        reads.append(1)
        return await every_running(conn)

    monkeypatch.setattr(minutes, "running", counted)
    for n in range(5):
        assert await here.running(f"console:thread-{n}") is None
    assert (await here.running("console:busy")) is not None
    assert here._running is not None and list(here._running) == ["console:busy"]
    assert len(reads) == 1
    await ask("still minuted", who=BOB, channel="busy")
    async with services.db.read() as conn:
        assert [line.text for line in await minutes.lines(conn, 1)] == ["still minuted"]


async def test_minutes_of_a_meeting_where_nobody_spoke_say_nothing_was_recorded(
    ask, known, services
):
    await ask("/meeting start Quiet call", who=JANE)
    ended = await ask("/meeting end", who=JANE)
    async with services.db.read() as conn:
        built = await rendering.build(conn, await minutes.get(conn, 1), ZoneInfo("Europe/Zurich"))
    forms = {
        "markdown": ended.markdown,
        "text": ended.text,
        "html": rendering.render_html(built),
    }
    for form, shown in forms.items():
        assert "Nothing was recorded." in shown, form
        assert "none" not in shown and "Log" not in shown, form
    assert "```" not in ended.markdown
    assert "<pre>" not in forms["html"]


async def test_an_action_taken_back_keeps_its_id_to_itself(ask, known, settings, clock):
    """`#action ...` (A1), `#undo`, then `#action ...` was "Recorded A1" again: a `/done A1`
    meant for the one taken back closed the new one. Ids are never given twice, also
    across a restart."""
    await ask("/meeting start Undo call", who=JANE)
    assert (await ask("#action Bob Smith to draft", who=BOB)).text.startswith("Recorded A1:")
    await ask("#undo", who=JANE)
    assert (await ask("#action Bob Smith to redo", who=BOB)).text.startswith("Recorded A2:")
    assert (await ask("/done A1", who=BOB)).text.startswith("There is no action A1")
    await ask("#undo", who=JANE)
    restarted = await open_services(settings, clock)
    try:
        again = await ask_once(restarted, "/action Bob Smith to send", identity=BOB, channel="x")
        assert again.text.startswith("Recorded A3:")
    finally:
        await restarted.db.close()


async def test_everyone_is_never_made_a_co_chair(ask, known, services):
    """`#chair @everyone` in the console made a person called "everyone" a co-chair."""
    await ask("/meeting start Chair call", who=JANE)
    refused = await ask("#chair @everyone", who=JANE)
    assert refused.error and "I know no one called" in refused.text
    async with services.db.read() as conn:
        assert await people.by_identity(conn, "console:everyone") is None


async def test_a_co_chair_named_as_two_people_are_is_asked_about(ask, known, services):
    """`#chair Fabio Bigi` with a member who shares the ISCG chair's name answered
    "I know no one called", as if neither existed."""
    async with services.db.transaction() as conn:
        await people.create(conn, "Fabio Bigi", email="f.bigi@example.org", advisory_group="TSAG")
    await ask("/meeting start Chair call", who=JANE)
    asked = await ask("#chair Fabio Bigi", who=JANE)
    assert asked.error
    assert asked.text == (
        'Two people are called "Fabio Bigi": Fabio Bigi <fabio.bigi@virgilio.it> (chair, Italy) '
        "and Fabio Bigi <f.bigi@example.org> (TSAG). Write the e-mail address of the one you "
        "mean.\nFor example: #chair fabio.bigi@virgilio.it"
    )
    chosen = await ask("#chair f.bigi@example.org", who=JANE)
    assert chosen.text == "Fabio Bigi now co-chairs this meeting."


def _edited(text: str, message_id: str, *, who: str = BOB, channel: str = "slack:C1"):
    return MessageEdited(channel, message_id, who, who.partition(":")[2], text)


async def test_an_edited_line_is_minuted_as_it_now_reads(say, known, services):
    """'#action Jane Doe to send teh report', corrected in the channel, kept its first
    text in the minutes and in /actions."""
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    said = await say(
        "#action Jane Doe to send teh report", who=BOB, channel="slack:C1", message_id="1.1"
    )
    assert said is not None and said.text.startswith("Recorded A1")
    fixed = _edited("#action Bob Smith to send the report by Friday", "1.1")
    await services.follow(fixed)
    await services.follow(fixed)  # Slack delivers it again: nothing more changes
    # Someone else's "edit" of Bob's message (no platform allows it) changes nothing.
    await services.follow(_edited("#action Jane Doe to do it all", "1.1", who=JANE))
    listed = await say("/actions open", who=JANE, channel="slack:C1")
    assert "A1 Bob Smith to send the report by Friday — Bob Smith, due Fri 27 Nov 2026" in (
        listed.text
    )
    assert "teh" not in listed.text and "A2" not in listed.text
    ended = await say("/meeting end", who=JANE, channel="slack:C1")
    assert "teh" not in ended.text and "do it all" not in ended.text
    assert "bob: #action Bob Smith to send the report by Friday" in ended.text


async def test_an_edit_adds_or_takes_away_an_item_and_a_deletion_removes_its_line(
    say, known, services
):
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    lines = [
        ("the report is out", "2.1"),
        ("#action Bob Smith to call Nairobi", "2.2"),
        ("Jane Doe to write to TSB", "2.3"),
        ("#info an aside nobody wants kept", "2.4"),
    ]
    for text, message_id in lines:
        await say(text, who=BOB, channel="slack:C1", message_id=message_id, addressed=False)
    await services.follow(_edited("#info the report is out", "2.1"))
    await services.follow(_edited("Bob Smith to call Nairobi, maybe", "2.2"))
    await services.follow(_edited("#action Jane Doe to write to TSB by 4 December", "2.3"))
    await services.follow(MessageDeleted("slack:C1", "2.4"))  # a moderator's, or Bob's
    await services.follow(MessageDeleted("slack:C1", "2.4"))
    await services.follow(MessageDeleted("slack:C1", "9.9"))  # never recorded
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "Nairobi" not in listed
    assert "A2 Jane Doe to write to TSB by 4 December — Jane Doe, due Fri 4 Dec 2026" in listed
    minutes_text = (await say("/meeting end", who=JANE, channel="slack:C1")).text
    assert "INFO the report is out" in minutes_text
    assert "A2 Jane Doe to write to TSB by 4 December" in minutes_text
    assert "bob: Bob Smith to call Nairobi, maybe" in minutes_text  # a plain line now
    assert "ACTION Bob Smith to call Nairobi" not in minutes_text
    assert "aside" not in minutes_text


async def test_published_minutes_stay_and_an_open_action_follows_its_message(say, known, services):
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    await say("#info first figures", who=BOB, channel="slack:C1", message_id="3.1")
    await say(
        "#action Bob Smith to send teh figures", who=BOB, channel="slack:C1", message_id="3.2"
    )
    await say("#action Jane Doe to book the room", who=BOB, channel="slack:C1", message_id="3.3")
    await say("/done A2", who=JANE, channel="slack:C1")
    published = (await say("/meeting end", who=JANE, channel="slack:C1")).text
    # Outside any meeting, an action told to the bot (a direct message).
    await say("#action Bob Smith to thank Beijing", who=BOB, channel="slack:D1", message_id="3.4")
    await say("#action Bob Smith to ring Geneva", who=BOB, channel="slack:D1", message_id="3.5")

    await services.follow(_edited("#info final figures", "3.1"))
    await services.follow(_edited("#action Bob Smith to send the figures", "3.2"))
    await services.follow(_edited("#action Jane Doe to book another room", "3.3"))
    await services.follow(MessageDeleted("slack:C1", "3.2"))  # published: A1 stays
    await services.follow(
        _edited("#action Bob Smith to thank Mexico City", "3.4", channel="slack:D1")
    )
    await services.follow(MessageDeleted("slack:D1", "3.5"))
    shown = (await say("/minutes 1", who=JANE, channel="slack:C1")).text
    assert "first figures" in shown and "final figures" not in shown
    assert shown.split("Log")[1] == published.split("Log")[1]
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A1 Bob Smith to send the figures — Bob Smith [open]" in listed
    assert "A3 Bob Smith to thank Mexico City — Bob Smith [open]" in listed
    assert "A4" not in listed and "Geneva" not in listed
    done = (await say("/actions done", who=JANE, channel="slack:C1")).text
    assert "A2 Jane Doe to book the room — Jane Doe [done]" in done


async def test_an_edit_changes_a_published_action_only_for_who_may_change_it(say, known, services):
    """Bob, who neither owned A1 nor chaired, could not '/assign A1' or '/due A1' after
    the meeting; editing his '#action' line a week on gave Jane's action to Sam, due
    another day, silently, over the chair's /due."""
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    await say("#action Jane Doe to book the room", who=BOB, channel="slack:C1", message_id="5.1")
    await say("/meeting end", who=JANE, channel="slack:C1")
    await say("/due A1 4 December", who=JANE, channel="slack:C1")
    refused = await say("/assign A1 Sam Sekretar", who=BOB, channel="slack:C1")
    assert refused is not None and refused.error
    await services.follow(_edited("#action Sam Sekretar to book the room by tomorrow", "5.1"))
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A1 Jane Doe to book the room — Jane Doe, due Fri 4 Dec 2026" in listed
    # Jane, who owns it, may still fix her own message's action; Bob his own.
    await say("#action Bob Smith to ring Nairobi", who=BOB, channel="slack:C1", message_id="5.2")
    await services.follow(_edited("#action Bob Smith to ring Nairobi by Friday", "5.2"))
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A2 Bob Smith to ring Nairobi by Friday — Bob Smith, due Fri 27 Nov 2026" in listed


async def test_an_edited_action_command_stays_an_action(say, known, services):
    """'@iscg-bot /action ...' (the README's way in a thread) or 'action ...' in a direct
    message, corrected, lost its action: the edit was read as a plain line."""
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    await say("/action Jane Doe to send teh report", who=BOB, channel="slack:C1", message_id="6.1")
    await say("/action Bob Smith to ring Geneva", who=BOB, channel="slack:D1", message_id="6.2")
    await say("action Bob Smith to thank Beijing", who=BOB, channel="slack:D1", message_id="6.3")
    await say(
        "/action items slipped", who=BOB, channel="slack:C1", message_id="6.4", addressed=False
    )
    await services.follow(_edited("/action Jane Doe to send the report", "6.1"))
    await services.follow(_edited("/action items slipped again", "6.4"))
    await services.follow(
        _edited("/action Bob Smith to ring Geneva by Friday", "6.2", channel="slack:D1")
    )
    await services.follow(
        _edited("action Bob Smith to thank Mexico City", "6.3", channel="slack:D1")
    )
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A1 Jane Doe to send the report — Jane Doe [open]" in listed
    assert "A2 Bob Smith to ring Geneva by Friday — Bob Smith, due Fri 27 Nov 2026" in listed
    assert "A3 Bob Smith to thank Mexico City — Bob Smith [open]" in listed
    ended = (await say("/meeting end", who=JANE, channel="slack:C1")).text
    assert "bob: #action Jane Doe to send the report" in ended
    assert "bob: /action items slipped again" in ended and "A4" not in ended


async def test_an_edit_keeps_the_owner_and_date_set_since_unless_it_changes_them(
    say, known, services
):
    """The chair gave A1 to Bob and a date with /assign and /due; Jane's author fixing
    'teh' gave it back to Jane Doe, undated, with nothing said."""
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    await say("#action Jane Doe to send teh report", who=BOB, channel="slack:C1", message_id="7.1")
    await say("/assign A1 Bob Smith", who=JANE, channel="slack:C1")
    await say("/due A1 4 December", who=JANE, channel="slack:C1")
    await services.follow(_edited("#action Jane Doe to send the report", "7.1"))
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A1 Jane Doe to send the report — Bob Smith, due Fri 4 Dec 2026" in listed
    # An edit that names another owner, or a date, is what the line now says.
    await services.follow(_edited("#action Sam Sekretar to send the report", "7.1"))
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A1 Sam Sekretar to send the report — Sam Sekretar, due Fri 4 Dec 2026" in listed
    # Bob gave it away: the chair's date is no longer his to change, by /due or an edit.
    await services.follow(_edited("#action Sam Sekretar to send the report by Friday", "7.1"))
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "— Sam Sekretar, due Fri 4 Dec 2026" in listed


async def test_an_edit_leaves_owners_and_a_date_set_since_to_who_may_change_them(
    say, known, services
):
    """The chair gave Bob's '#action Jane Doe to book the room' to Sam and a date; Bob,
    who may not /assign or /due it, edited his line to name himself and another day, and
    took it back from Sam unseen by either. The line and the text follow the edit; the
    owners and date stay the chair's, as his /assign would have been refused."""
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    await say("#action Jane Doe to book the room", who=BOB, channel="slack:C1", message_id="9.1")
    await say("/assign A1 Sam Sekretar", who=JANE, channel="slack:C1")
    await say("/due A1 4 December", who=JANE, channel="slack:C1")
    await services.follow(_edited("#action Bob Smith to book the room by Friday", "9.1"))
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A1 Bob Smith to book the room by Friday — Sam Sekretar, due Fri 4 Dec 2026" in (listed)
    # Outside a meeting too: Olga's action, given to Bob by its owner Jane.
    await say(
        "/action Jane Doe to ring Nairobi", who=OUTSIDER, channel="slack:D9", message_id="9.2"
    )
    await say("/assign A2 Bob Smith", who=JANE, channel="slack:C1")
    await services.follow(
        _edited("/action Sam Sekretar to ring Nairobi", "9.2", who=OUTSIDER, channel="slack:D9")
    )
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A2 Sam Sekretar to ring Nairobi — Bob Smith [open]" in listed
    # Bob's own line, nobody's /assign since: his correction is what it says.
    await say("#action Jane Doe to call Geneva", who=BOB, channel="slack:C1", message_id="9.3")
    await services.follow(_edited("#action Bob Smith to call Geneva by Friday", "9.3"))
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A3 Bob Smith to call Geneva by Friday — Bob Smith, due Fri 27 Nov 2026" in listed


async def test_an_action_label_in_bold_is_an_action_label(say, known, services):
    """In Slack a chair typed '*ACTION:* Jane Doe to send the slides' (the label in bold):
    the first star was read as a bullet and the action recorded as '* Jane Doe to send the
    slides'; '**ACTION:**' (Markdown) and '*ACTION*:' (Gmail's plain text) were lost."""
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    for n, line in enumerate(
        [
            "*ACTION:* Jane Doe to send the slides",
            "**ACTION:** Bob Smith to book the room",
            "*Action 3*: Jane Doe to ring Geneva",
            "*Action items:*",  # a heading in bold: nothing to do
        ]
    ):
        await say(line, who=JANE, channel="slack:C1", message_id=f"10.{n}", addressed=False)
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A1 Jane Doe to send the slides — Jane Doe [open]" in listed, listed
    assert "A2 Bob Smith to book the room — Bob Smith [open]" in listed, listed
    assert "A3 Jane Doe to ring Geneva — Jane Doe [open]" in listed, listed
    assert "A4" not in listed and "*" not in listed


async def test_none_in_italics_or_bold_after_an_action_label_is_no_action(say, known):
    """In Slack a minute-taker wrote '*Action items:* _none_' (the label in bold, 'none' in
    italics): it was recorded as the action A1 '_none_', open and nobody's."""
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    for n, line in enumerate(["*Action items:* _none_", "ACTION: *None*", "*ACTION:* _无_"]):
        await say(line, who=JANE, channel="slack:C1", message_id=f"11.{n}", addressed=False)
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A1" not in listed, listed


async def test_an_edit_does_not_give_back_an_action_the_chair_took_its_author_off(
    say, known, services
):
    """Bob's '#action Bob Smith and Sam Sekretar to book the room': the chair gave it to
    Sam alone with /assign; Bob edited his line to name only himself, and it was his
    again, Sam's no more, though /assign would have refused him."""
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    await say(
        "#action Bob Smith and Sam Sekretar to book the room",
        who=BOB,
        channel="slack:C1",
        message_id="9.4",
    )
    await say("/assign A1 Sam Sekretar", who=JANE, channel="slack:C1")
    await services.follow(_edited("#action Bob Smith to book the room", "9.4"))
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A1 Bob Smith to book the room — Sam Sekretar [open]" in listed, listed


async def test_an_edit_longer_than_the_bot_reads_changes_nothing(say, known, services):
    """A line edited past the 4,000 characters the bot reads of a message took them all
    into the minutes and its action, where the same message sent was refused."""
    await say("/meeting start Slack call", who=JANE, channel="slack:C1")
    await say("#action Jane Doe to send the report", who=BOB, channel="slack:C1", message_id="8.1")
    long = "#action Jane Doe to send the report " + "and the annex " * 400
    refused = await say(long, who=BOB, channel="slack:C1", message_id="8.2")
    assert refused is not None and "the bot reads at most 4,000" in refused.text
    await services.follow(_edited(long, "8.1"))
    listed = (await say("/actions open", who=JANE, channel="slack:C1")).text
    assert "A1 Jane Doe to send the report — Jane Doe [open]" in listed
    assert "annex" not in listed
