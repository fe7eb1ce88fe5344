"""Mail and the meetings code together: calendar answers, minutes fed from a thread."""

from __future__ import annotations

import datetime as dt

import vobject
from icalendar import Calendar

from storage import meetings, outbox, people
from tests.conftest import CHAIR
from tests.mail.conftest import LIST, corpus
from tests.mail.test_rules import auth_header, message

LIST_HEADERS = "List-Id: <l.x>\r\n"


def thread_post(sender: str, body: str, message_id: str, parent: str = "<start@x>") -> bytes:
    return message(
        sender=sender,
        to=LIST,
        subject="Re: Accessibility sync",
        body=body,
        headers=f"{LIST_HEADERS}In-Reply-To: {parent}\r\nReferences: {parent}\r\n",
        message_id=message_id,
    )


async def start_meeting_by_mail(mailbot, services, sender: str) -> None:
    """A chair's authenticated list post starts "Accessibility sync" (thread <start@x>)."""
    async with services.db.transaction() as conn:  # by mail, only a chair starts one
        chair = await people.ensure(conn, "email:chair.person@example.org", "Chair Person")
        await people.set_role(conn, chair.id, "chair")
    start = message(
        sender=sender,
        to=LIST,
        subject="Accessibility sync",
        body="@iscg-bot /meeting start Accessibility sync",
        headers=LIST_HEADERS + auth_header(),
        message_id="<start@x>",
    )
    assert await mailbot.receive(start) == "answered"


async def test_starter_chairs_and_action_lines_join_the_minutes(mailbot, services, ask):
    await start_meeting_by_mail(mailbot, services, "Chair.Person@Example.org")
    post = thread_post(
        "chair.person@example.org",
        "#info the draft goes to TSAG\n#agreed publish the report in December\n"
        "ACTION: @li.wei prepare the accessibility checklist\n#action send the agenda",
        "<p1@x>",
    )
    assert await mailbot.receive(post) == "recorded"
    rewritten = message(  # the list rewrote From (DMARC): the chair is still the chair
        sender=LIST,
        to=LIST,
        subject="Re: Accessibility sync",
        body="#agreed meet again in January",
        headers=f"{LIST_HEADERS}In-Reply-To: <p1@x>\r\nReferences: <start@x> <p1@x>\r\n"
        "X-Original-From: Chair Person <Chair.Person@example.org>\r\n",
        message_id="<p1b@x>",
    ).replace(b"From: Some One", b"From: Chair Person via int-sect-group")
    assert await mailbot.receive(rewritten) == "recorded"
    other = thread_post(
        "li.wei@example.cn", "#agreed not a chair\nACTION: review the draft", "<p2@x>"
    )
    assert await mailbot.receive(other) == "recorded"
    minutes = (await ask("/minutes Accessibility sync")).markdown
    agreed = [line for line in minutes.splitlines() if line.startswith("- AGREED")]
    assert agreed == [
        "- AGREED publish the report in December (Some One)",
        "- AGREED meet again in January (Chair Person)",
    ], minutes
    assert "#agreed not a chair" in minutes  # kept in the log only
    for text in ("prepare the accessibility checklist", "send the agenda", "review the draft"):
        assert text in minutes
    open_actions = (await ask("/actions open")).text
    for text in ("prepare the accessibility checklist", "send the agenda", "review the draft"):
        assert text in open_actions
    assert (await mailbot.receive(post)) == "duplicate"
    assert (await ask("/actions open")).text == open_actions  # a redelivery adds nothing


async def test_calendar_answers_show_on_the_meeting(mailbot, ask, services):
    reply = await ask(
        "/schedule Accessibility sync | 3 Dec 14:00 Geneva time | 60m | amina.diallo@example.cm,"
        " pierre.martin@example.fr, li.wei@example.cn, jane@example.org",
        who=CHAIR,
    )
    assert not reply.error, reply.text
    async with services.db.read() as conn:
        uid = (await meetings.get(conn, 1)).uid
    for name in (
        "calendar_reply_outlook.eml",
        "calendar_reply_gmail_decline.eml",
        "calendar_reply_apple_tentative.eml",
    ):
        raw = corpus(name).replace(b"meeting-42@iscg.example", uid.encode())
        outcome = await mailbot.receive(raw)
        assert outcome.startswith("calendar answer") and "not recorded" not in outcome
    detail = (await ask("/meetings m1")).text
    assert "amina.diallo: accepted" in detail, detail
    assert "pierre.martin: declined" in detail
    assert "li.wei: tentative" in detail
    assert "jane: no answer yet" in detail
    assert await mailbot.receive("calendar_reply_outlook.eml") == "duplicate"
    unknown = corpus("calendar_reply_outlook.eml").replace(b"0001@", b"0002@")
    assert (await mailbot.receive(unknown)).endswith("(not recorded)")  # UID meeting-42: none


async def test_an_answer_to_an_earlier_time_or_a_cancelled_meeting_is_not_taken(
    mailbot, ask, services
):
    """Outlook's "Accept" of the first invitation, sent after the meeting moved (its
    SEQUENCE is the first one's), does not accept the new time; nor does an answer
    after the cancellation count on the cancelled meeting."""
    reply = await ask(
        "/schedule Accessibility sync | 3 Dec 14:00 Geneva time | 60m | amina.diallo@example.cm",
        who=CHAIR,
    )
    assert not reply.error, reply.text
    assert not (await ask("/reschedule m1 | 4 Dec 15:00 Geneva time", who=CHAIR)).error
    async with services.db.read() as conn:
        uid = (await meetings.get(conn, 1)).uid
    late = corpus("calendar_reply_outlook.eml").replace(b"meeting-42@iscg.example", uid.encode())
    assert (await mailbot.receive(late)).endswith("(not recorded)")
    assert "amina.diallo: no answer yet" in (await ask("/meetings m1")).text
    current = late.replace(b"SEQUENCE:0", b"SEQUENCE:1").replace(b"0001@", b"0002@")
    assert "not recorded" not in await mailbot.receive(current)
    assert "amina.diallo: accepted" in (await ask("/meetings m1")).text
    assert not (await ask("/cancel m1", who=CHAIR)).error
    after = current.replace(b"PARTSTAT=ACCEPTED", b"PARTSTAT=DECLINED").replace(b"0002@", b"0003@")
    assert (await mailbot.receive(after)).endswith("(not recorded)")
    assert "amina.diallo: accepted" in (await ask("/meetings m1")).text


async def test_answers_count_in_the_order_they_were_written_not_as_they_arrive(
    mailbot, ask, services
):
    """Amina accepts in Outlook, then declines ten minutes later; her server holds the
    Accept, which arrives after the Decline. She is down as declining: the answer with
    the later DTSTAMP (same SEQUENCE) stands. Her Tentative after both still counts."""
    reply = await ask(
        "/schedule Accessibility sync | 3 Dec 14:00 Geneva time | 60m | amina.diallo@example.cm",
        who=CHAIR,
    )
    assert not reply.error, reply.text
    async with services.db.read() as conn:
        uid = (await meetings.get(conn, 1)).uid
    accept = corpus("calendar_reply_outlook.eml").replace(b"meeting-42@iscg.example", uid.encode())
    decline = (
        accept.replace(b"PARTSTAT=ACCEPTED", b"PARTSTAT=DECLINED")
        .replace(b"DTSTAMP:20261123T101000Z", b"DTSTAMP:20261123T102000Z")
        .replace(b"0001@", b"0002@")
    )
    assert "not recorded" not in await mailbot.receive(decline)
    assert (await mailbot.receive(accept)).endswith("(not recorded)")
    assert "amina.diallo: declined" in (await ask("/meetings m1")).text
    tentative = (
        accept.replace(b"PARTSTAT=ACCEPTED", b"PARTSTAT=TENTATIVE")
        .replace(b"DTSTAMP:20261123T101000Z", b"DTSTAMP:20261123T103000Z")
        .replace(b"0001@", b"0003@")
    )
    assert "not recorded" not in await mailbot.receive(tentative)
    assert "amina.diallo: tentative" in (await ask("/meetings m1")).text


async def test_a_reply_to_the_list_announcement_goes_to_the_list(mailbot, ask, services):
    """Pierre answers the announcement with his mail client's Reply: "could we move it
    an hour later?". It went to the bot alone, which sent him the list of commands;
    it now goes to the list (Reply-To), where the chair reads it. Amina's own
    invitation has no Reply-To: her answers are for the bot."""
    reply = await ask(
        "/schedule Accessibility sync | 3 Dec 14:00 Geneva time | 60m | amina.diallo@example.cm,"
        " list",
        who=CHAIR,
    )
    assert not reply.error, reply.text
    sent = {s.rcpt_tos[0]: s.message for s in await mailbot.deliver()}
    announcement = sent[LIST]
    assert announcement["Reply-To"] == LIST
    assert "Reply-To" not in sent["amina.diallo@example.cm"]
    parent = announcement["Message-ID"]
    pierre = message(
        sender="pierre.martin@example.fr",
        to=announcement["Reply-To"],  # where his client sends it
        subject=f"Re: {announcement['Subject']}",
        body="Could we move it one hour later? 7:00 is early in Mexico.",
        headers=f"{LIST_HEADERS}In-Reply-To: {parent}\r\nReferences: {parent}\r\n",
        message_id="<pierre@x>",
    )
    assert await mailbot.receive(pierre) == "recorded"
    assert await mailbot.deliver() == []


def outlook_answer(uid: str, sender: str, attendee: str, number: int) -> bytes:
    """Outlook's answer (calendar_reply_outlook.eml) from `sender`, with its ATTENDEE line."""
    raw = corpus("calendar_reply_outlook.eml").replace(b"meeting-42@iscg.example", uid.encode())
    raw = raw.replace(b"Amina Diallo <amina.diallo@example.cm>", sender.encode())
    raw = raw.replace(b"0001@", f"{number:04d}@".encode())
    return raw.replace(
        b"ATTENDEE;PARTSTAT=ACCEPTED;CN=Amina Diallo:mailto:Amina.Diallo@example.cm",
        attendee.encode(),
    )


async def _meeting_with_amina(mailbot, ask, services) -> str:
    """m1 with Amina invited (her invitation sent); its UID, which her answers carry."""
    reply = await ask(
        "/schedule Accessibility sync | 3 Dec 14:00 Geneva time | 60m | amina.diallo@example.cm",
        who=CHAIR,
    )
    assert not reply.error, reply.text
    await mailbot.deliver()
    async with services.db.read() as conn:
        return (await meetings.get(conn, 1)).uid


async def _meeting_with_pierre(mailbot, ask, services) -> str:
    """m1 scheduled in #iscg with Pierre invited (his invitation sent); its UID, which
    his Outlook answers carry."""
    reply = await ask(
        "/schedule ISCG coordination meeting | 1 Dec 13:00 Geneva time | 60m"
        " | pierre.martin@example.fr",
        who=CHAIR,
        channel="iscg",
    )
    assert not reply.error, reply.text
    await mailbot.deliver()
    async with services.db.read() as conn:
        return (await meetings.get(conn, 1)).uid


async def test_a_reply_to_an_invitation_asking_nothing_says_whom_to_write_to(mailbot, ask):
    """Li Wei answered her invitation "I will join 10 minutes late." and got "I could
    not place that question" and the list of commands: nothing told her the organiser
    would never read it, nor whom to write to instead."""
    reply = await ask(
        "/schedule Accessibility sync | 3 Dec 14:00 Geneva time | 60m | li.wei@example.cn",
        who=CHAIR,
    )
    assert not reply.error, reply.text
    [invitation] = [s.message for s in await mailbot.deliver()]
    for number, body in enumerate(["I will join 10 minutes late.", "Thanks, noted."]):
        late = message(
            sender="li.wei@example.cn",
            subject="Re: " + invitation["Subject"],
            body=body,
            headers=f"In-Reply-To: {invitation['Message-ID']}\r\n",
            message_id=f"<late{number}@x>",
        )
        await mailbot.receive(late)
    [sent] = await mailbot.deliver()  # the thanks asks nothing: not answered
    text = " ".join(sent.message.get_body(("plain",)).get_content().split())
    assert "could not place" not in text
    assert text.startswith("Your reply about m1 Accessibility sync reached the ISCG assistant")
    organiser = CHAIR.removeprefix("email:")  # the name it was scheduled under
    assert f"organiser, {organiser}, write to them, or to the list ({LIST})" in text
    assert "use Accept, Tentative or Decline in your calendar" in text


async def test_a_reply_to_an_invitation_names_the_organisers_address(mailbot, ask, services):
    """The invitation names the assistant as its organiser: Li Wei, told to write to
    "the organiser, Jane Doe", who scheduled it in Slack, had no address to write to."""
    async with services.db.transaction() as conn:
        jane = await people.create(conn, "Jane Doe", email="jane.doe@example.org", role="chair")
        await people.link_identity(conn, "slack:U42", jane.id, "jane")
    reply = await ask(
        "/schedule Accessibility sync | 3 Dec 14:00 Geneva time | 60m | li.wei@example.cn",
        who="slack:U42",
    )
    assert not reply.error, reply.text
    [invitation] = [s.message for s in await mailbot.deliver()]
    late = message(
        sender="li.wei@example.cn",
        subject="Re: " + invitation["Subject"],
        body="I will join 10 minutes late.",
        headers=f"In-Reply-To: {invitation['Message-ID']}\r\n",
    )
    await mailbot.receive(late)
    [sent] = await mailbot.deliver()
    text = " ".join(sent.message.get_body(("plain",)).get_content().split())
    assert "the organiser, Jane Doe (jane.doe@example.org), write to them" in text, text


async def test_a_delegate_joins_the_meeting_and_gets_its_updates(mailbot, ask, services):
    """Amina passes the invitation on to Carol in Outlook; Carol accepts. Carol is an
    attendee from then on: the chair sees her answer, and the move reaches her calendar."""
    uid = await _meeting_with_amina(mailbot, ask, services)
    # Passing the meeting on sends it to a new address: only authenticated mail does that.
    delegated = auth_header("dkim=pass header.d=example.cm").encode() + outlook_answer(
        uid,
        "Amina Diallo <amina.diallo@example.cm>",
        'ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:carol.tan@example.sg"'
        ":mailto:amina.diallo@example.cm",
        1,
    )
    assert "not recorded" not in await mailbot.receive(delegated)
    accepted = outlook_answer(
        uid,
        "Carol Tan <carol.tan@example.sg>",
        'ATTENDEE;PARTSTAT=ACCEPTED;CN=Carol Tan;DELEGATED-FROM="mailto:amina.diallo@example.cm"'
        ":mailto:carol.tan@example.sg",
        2,
    )
    assert "not recorded" not in await mailbot.receive(accepted)
    assert await mailbot.deliver() == []
    detail = (await ask("/meetings m1")).text
    assert "amina.diallo: delegated to Carol Tan <carol.tan@example.sg>" in detail, detail
    assert "Carol Tan: accepted" in detail, detail
    assert not (await ask("/reschedule m1 | 4 Dec 15:00 Geneva time", who=CHAIR)).error
    moved = {r.rcpt_tos[0]: r.message for r in await mailbot.deliver()}
    assert set(moved) == {"amina.diallo@example.cm", "carol.tan@example.sg"}
    # The move asks Carol again; Amina's invitation stays passed on, not asked back.
    detail = (await ask("/meetings m1")).text
    assert "amina.diallo: delegated to Carol Tan <carol.tan@example.sg>" in detail, detail
    assert "Carol Tan: no answer yet" in detail, detail
    [event] = Calendar.from_ical(
        next(
            p
            for p in moved["amina.diallo@example.cm"].walk()
            if p.get_content_type() == "text/calendar"
        ).get_content()
    ).walk("VEVENT")
    answers = {str(a): (a.params["PARTSTAT"], a.params["RSVP"]) for a in event["ATTENDEE"]}
    assert answers == {
        "mailto:amina.diallo@example.cm": ("DELEGATED", "FALSE"),
        "mailto:carol.tan@example.sg": ("NEEDS-ACTION", "TRUE"),
    }
    # The update says who passed it on to whom (RFC 5546 4.2.10): Carol's calendar showed
    # an invitation from nowhere, Amina's a meeting she seemed to skip.
    passed = {str(a): a.params for a in event["ATTENDEE"]}
    assert passed["mailto:amina.diallo@example.cm"]["DELEGATED-TO"] == "mailto:carol.tan@example.sg"
    assert passed["mailto:carol.tan@example.sg"]["DELEGATED-FROM"] == (
        "mailto:amina.diallo@example.cm"
    )
    calendar = next(
        p for p in moved["carol.tan@example.sg"].walk() if p.get_content_type() == "text/calendar"
    )
    text = calendar.get_content().replace("\r\n ", "")  # unfolded (RFC 5545 3.1)
    assert "SEQUENCE:1" in text and "mailto:carol.tan@example.sg" in text


async def test_nobody_answers_for_another_attendee(mailbot, ask, services):
    """Anyone who saw an invitation knows its UID: Mallory can neither decline for
    Amina (which would also stop her reminders) nor pass her invitation on to
    herself, and unauthenticated mail from Amina herself passes it on to nobody."""
    uid = await _meeting_with_amina(mailbot, ask, services)
    mallory = "Mallory <mallory@evil.example>"
    declined = outlook_answer(
        uid, mallory, "ATTENDEE;PARTSTAT=DECLINED:mailto:amina.diallo@example.cm", 1
    )
    assert (await mailbot.receive(declined)).endswith("(not recorded)")
    forged = auth_header("dkim=pass header.d=evil.example").encode() + outlook_answer(
        uid,
        mallory,
        'ATTENDEE;PARTSTAT=ACCEPTED;CN=Mallory;DELEGATED-FROM="mailto:amina.diallo@example.cm"'
        ":mailto:mallory@evil.example",
        2,
    )
    assert (await mailbot.receive(forged)).endswith("(not recorded)")
    unauthenticated = outlook_answer(
        uid,
        "Amina Diallo <amina.diallo@example.cm>",
        'ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:mallory@evil.example"'
        ":mailto:amina.diallo@example.cm",
        3,
    )
    await mailbot.receive(unauthenticated)
    assert not (await ask("/reschedule m1 | 4 Dec 15:00 Geneva time", who=CHAIR)).error
    assert {r.rcpt_tos[0] for r in await mailbot.deliver()} == {"amina.diallo@example.cm"}


async def test_a_time_an_attendee_proposes_reaches_the_organiser(mailbot, ask, services):
    """Pierre uses "Propose new time" in Outlook: nothing goes back to him; where the
    meeting was scheduled, the chair reads the time and the command that takes it."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    counter = corpus("calendar_counter_outlook.eml").replace(
        b"meeting-42@iscg.example", uid.encode()
    )
    forged = counter.replace(
        b"From: Pierre Martin <pierre.martin@example.fr>", b"From: m@evil.example"
    )
    assert (await mailbot.receive(forged.replace(b"0001@", b"0002@"))).endswith("(not recorded)")
    assert [r.rcpt_tos for r in await mailbot.deliver()] == [["m@evil.example"]]  # told, only
    outcome = await mailbot.receive(counter)
    assert outcome == "calendar answer: pierre.martin@example.fr proposes Tue 1 Dec 2026 14:00 UTC"
    assert await mailbot.deliver() == []  # nothing to Pierre
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    assert told.destination == "console:iscg"
    text = told.payload["text"]
    assert text.startswith("Pierre Martin proposes another time for m1 ISCG coordination meeting")
    command = text.rpartition("To move it there: ")[2]
    assert command == "/reschedule m1 | 1 Dec 2026 15:00 Geneva time"
    moved = await ask(command, who=CHAIR, channel="iscg")
    assert not moved.error, moved.text
    async with services.db.read() as conn:
        assert (await meetings.get(conn, 1)).start.hour == 14  # UTC


async def test_replies_to_the_announcement_feed_the_running_minutes(mailbot, ask):
    reply = await ask(
        "/schedule Accessibility sync | 23 Nov 10:00 Geneva time | 60m | li.wei@example.cn, list",
        who=CHAIR,
    )
    assert not reply.error, reply.text
    sent = await mailbot.deliver()
    announcement = next(s.message for s in sent if LIST in s.rcpt_tos)
    invitation = next(s.message for s in sent if s.rcpt_tos == ["li.wei@example.cn"])
    started = await ask("/meeting start m1", who=CHAIR)
    assert "scheduled meeting m1" in started.text, started.text
    on_list = thread_post(
        "pierre.martin@example.fr",
        "#info the checklist is ready\nACTION: pierre to circulate the checklist",
        "<a1@x>",
        parent=announcement["Message-ID"],
    )
    assert await mailbot.receive(on_list) == "recorded"
    to_bot = message(
        sender="li.wei@example.cn",
        subject="Re: " + invitation["Subject"],
        body="#idea a shared glossary\n\nOn Mon, the assistant wrote:\n> Invitation",
        headers=f"In-Reply-To: {invitation['Message-ID']}\r\n",
        message_id="<a2@x>",
    )
    assert await mailbot.receive(to_bot) == "recorded"
    minutes = (await ask("/minutes")).text  # the console channel's meeting
    assert "INFO the checklist is ready (Some One)" in minutes, minutes
    assert "pierre to circulate the checklist" in minutes
    assert "IDEA a shared glossary" in minutes
    assert "circulate the checklist" in (await ask("/actions open")).text
    assert await mailbot.deliver() == []  # minuted, not answered
    await ask("/meeting end", who=CHAIR)
    late = thread_post(
        "pierre.martin@example.fr", "#info after the end", "<a3@x>", announcement["Message-ID"]
    )
    assert await mailbot.receive(late) == "recorded"
    ended = (await ask("/minutes")).text
    assert "the checklist is ready" in ended and "after the end" not in ended


async def test_a_meeting_ended_by_mail_sends_its_minutes_to_the_chair_once(mailbot, services):
    """The chair who ended the meeting from its list thread got the minutes twice: from
    the list, and in the answer to their "/meeting end"."""
    await start_meeting_by_mail(mailbot, services, "chair.person@example.org")
    post = thread_post("li.wei@example.cn", "#info the checklist is ready", "<i1@x>")
    assert await mailbot.receive(post) == "recorded"
    end = message(
        sender="chair.person@example.org",
        to=LIST,
        subject="Re: Accessibility sync",
        body="@iscg-bot /meeting end",
        headers=f"{LIST_HEADERS}In-Reply-To: <start@x>\r\nReferences: <start@x>\r\n"
        + auth_header(),
        message_id="<end@x>",
    )
    assert await mailbot.receive(end) == "answered"
    sent = {s.rcpt_tos[0]: s.message for s in await mailbot.deliver()}
    assert "INFO the checklist is ready" in sent[LIST].get_body(("plain",)).get_content()
    answer = " ".join(sent["chair.person@example.org"].get_body(("plain",)).get_content().split())
    assert answer == (
        f'Meeting "Accessibility sync" ended; its minutes went to the list ({LIST}).'
        " Minutes 1: /minutes 1 shows them again."
    )


async def test_a_meeting_started_by_mail_gives_its_time_in_geneva_by_name(mailbot, services):
    """The chair read "started at 08:00 UTC (09:00 Europe/Zurich)": every other message
    of the bot names that zone Geneva."""
    await start_meeting_by_mail(mailbot, services, "chair.person@example.org")
    [answer] = await mailbot.deliver()
    text = " ".join(answer.message.get_body(("plain",)).get_content().split())
    assert "started at 08:00 UTC (09:00 Geneva), chaired by" in text, text


async def test_minutes_asked_for_by_mail_are_the_latest(mailbot, ask):
    """A member mailed `/minutes` after the call and was told "No meeting has been minuted
    here yet": each new mail is a channel of its own, where nothing is ever minuted."""
    await ask("/meeting start Accessibility sync", who=CHAIR)
    await ask("#info the checklist is ready", who=CHAIR)
    await ask("/meeting end", who=CHAIR)
    await mailbot.deliver()  # the minutes to the list
    asked = message(sender="li.wei@example.cn", subject="minutes", body="/minutes")
    assert await mailbot.receive(asked) == "answered"
    [answer] = await mailbot.deliver()
    text = answer.message.get_body(("plain",)).get_content()
    assert text.startswith("Accessibility sync\r\n====="), text
    assert "INFO the checklist is ready" in text


async def test_past_the_limit_lines_addressed_to_the_bot_do_not_reach_the_minutes(
    mailbot, services, ask
):
    """Text that no command reads goes to a running meeting's minutes: past the hour's
    answers it is not carried out either, as a command would not be."""
    await start_meeting_by_mail(mailbot, services, "chair.person@example.org")
    for number in range(3):  # the hour's answers (the limit in these tests)
        asked = message(sender="li.wei@example.cn", subject="help", message_id=f"<h{number}@x>")
        assert await mailbot.receive(asked) == "answered"
    late = thread_post("li.wei@example.cn", "@iscg-bot #action review the late draft", "<l@x>")
    assert await mailbot.receive(late) == "limited"
    assert "review the late draft" not in (await ask("/actions open")).text
    assert "review the late draft" not in (await ask("/minutes Accessibility sync")).text
    chairs = thread_post("chair.person@example.org", "@iscg-bot #action the chair's", "<c@x>")
    assert await mailbot.receive(chairs) == "answered"  # under the limit, it still is
    assert "the chair's" in (await ask("/minutes Accessibility sync")).text


async def test_closings_and_sent_from_lines_stay_out_of_the_minutes(mailbot, services, ask):
    """The minutes' log showed "Bien cordialement,", the name under it, "Saludos cordiales,",
    "此致 / 敬礼" and "发自我的iPhone" as lines said; a sentence opening with such words stays."""
    await start_meeting_by_mail(mailbot, services, "chair.person@example.org")
    bodies = [
        "#info le projet part au TSAG\r\n\r\nBien cordialement,\r\nMarie\r\n\r\n"
        "Envoyé de mon iPhone",
        "#info el borrador va al TSAG\r\n\r\nSaludos cordiales,\r\nAna",
        "#info 草案将提交TSAG\r\n\r\n此致\r\n敬礼\r\n王伟\r\n\r\n发自我的iPhone",
        "Best wishes to the team on the launch.\r\n\r\nBest wishes,\r\nJane",
    ]
    for number, body in enumerate(bodies):
        post = thread_post(f"member{number}@example.org", body, f"<s{number}@x>")
        assert await mailbot.receive(post) == "recorded"
    minutes = (await ask("/minutes Accessibility sync")).text
    log = minutes.partition("\nLog\n---\n")[2]
    said = [line.partition(": ")[2] for line in log.strip().splitlines()]
    assert said == [
        "#info le projet part au TSAG",
        "#info el borrador va al TSAG",
        "#info 草案将提交TSAG",
        "Best wishes to the team on the launch.",
    ], minutes


async def test_a_sentence_opening_as_a_sent_from_line_keeps_the_lines_below(mailbot, ask):
    """A list post's line "Envoyé de mon bureau hier soir à tous les coordinateurs." or
    "发自我的内心感谢各位的支持" was read as a phone's "sent from" line: it and every line
    below it, the ACTION lines too, were dropped as a signature."""
    bodies = [
        "Bonjour à tous,\r\nEnvoyé de mon bureau hier soir à tous les coordinateurs.\r\n"
        "ACTION: Marie Dupont to send the French summary",
        "各位好，\r\n发自我的内心感谢各位的支持\r\nACTION: 王伟 提交中文摘要",
        "Коллеги,\r\nОтправлено из дома вчера вечером.\r\nACTION: Иван Петров подготовит обзор",
        "الزملاء الأعزاء،\r\nأرسلت من مكتبي أمس المسودة.\r\nACTION: أحمد علي يرسل التعليقات",
    ]
    for number, body in enumerate(bodies):
        post = message(
            sender=f"member{number}@example.org",
            to=LIST,
            body=body,
            headers=LIST_HEADERS,
            message_id=f"<sent{number}@x>",
        )
        assert await mailbot.receive(post) == "recorded"
    listed = (await ask("/actions open")).text
    assert "Marie Dupont to send the French summary" in listed, listed
    assert "王伟 提交中文摘要" in listed, listed
    assert "Иван Петров подготовит обзор" in listed, listed
    assert "أحمد علي يرسل التعليقات" in listed, listed


async def test_a_reply_from_russian_outlook_mobile_logs_only_its_own_lines(mailbot, services, ask):
    """Under "Получить Outlook для Android" the minutes' log showed that line, Outlook's
    rule and the whole quoted message, its #info lines among the member's own."""
    await start_meeting_by_mail(mailbot, services, "chair.person@example.org")
    body = (
        "#info проект направлен в КГСЭ\r\n\r\nПолучить Outlook для Android\r\n"
        "________________________________\r\n"
        "От: Chair Person <chair.person@example.org>\r\n"
        "Отправлено: понедельник, 23 ноября 2026 г. 9:00:00\r\n"
        f"Кому: ISCG <{LIST}>\r\nТема: Accessibility sync\r\n\r\n#info quoted, not minuted\r\n"
    )
    assert await mailbot.receive(thread_post("ivan@example.ru", body, "<ru@x>")) == "recorded"
    minutes = (await ask("/minutes Accessibility sync")).text
    log = minutes.partition("\nLog\n---\n")[2]
    said = [line.partition(": ")[2] for line in log.strip().splitlines()]
    assert said == ["#info проект направлен в КГСЭ"], minutes


async def test_the_line_above_a_forwarded_message_stays_out_of_the_minutes(mailbot, services, ask):
    """Gmail's "---------- Forwarded message ---------" and Apple Mail's "Début du message
    réexpédié :" were logged in the minutes as lines the member said."""
    await start_meeting_by_mail(mailbot, services, "chair.person@example.org")
    quoted = f"From: Jane Doe <jane@example.org>\r\nDate: Mon, 23 Nov 2026\r\nTo: {LIST}\r\n"
    bodies = [
        "#info the secretariat's draft, below\r\n\r\n---------- Forwarded message ---------\r\n"
        f"{quoted}Subject: draft\r\n\r\nthe draft\r\n",
        "#info le projet du secrétariat\r\n\r\nDébut du message réexpédié :\r\n\r\n"
        f"{quoted}Subject: projet\r\n\r\nle projet\r\n",
    ]
    for number, body in enumerate(bodies):
        post = thread_post(f"member{number}@example.org", body, f"<f{number}@x>")
        assert await mailbot.receive(post) == "recorded"
    minutes = (await ask("/minutes Accessibility sync")).text
    log = minutes.partition("\nLog\n---\n")[2]
    said = [line.partition(": ")[2] for line in log.strip().splitlines()]
    assert said == ["#info the secretariat's draft, below", "#info le projet du secrétariat"]


async def test_a_chair_schedules_by_mail_with_attendees_pasted_from_outlook(mailbot, services):
    """Attendees copied from Outlook's To line (`Jane Doe <jane@example.org>; ...`) were
    refused, and the chair got "I do not know whom ... means"."""
    async with services.db.transaction() as conn:
        chair = await people.ensure(conn, "email:chair.person@example.org", "Chair Person")
        await people.set_role(conn, chair.id, "chair")
    attendees = 'Jane Doe <jane@example.org>; "Doe, John" <john.doe@example.org>'
    schedule = message(
        sender="chair.person@example.org",
        subject=f"/schedule Budget check | 3 Dec 14:00 Geneva time | 30m | {attendees}",
        body="",
        headers=auth_header(),
    )
    assert await mailbot.receive(schedule) == "answered"
    sent = {m.rcpt_tos[0]: m.message for m in await mailbot.deliver()}
    answer = sent["chair.person@example.org"].get_body(("plain",)).get_content()
    assert answer.startswith("Scheduled m1: Budget check"), answer
    assert "Jane Doe, Doe, John" in answer
    invitation = sent["jane@example.org"]
    part = next(p for p in invitation.walk() if p.get_content_type() == "text/calendar")
    event = Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
    names = {str(a): a.params["CN"] for a in event["ATTENDEE"]}
    assert names["mailto:jane@example.org"] == "Jane Doe"
    assert names["mailto:john.doe@example.org"] == "Doe, John"


async def test_quote_headers_of_spanish_outlook_and_foxmail_stay_out_of_the_minutes(
    mailbot, services, ask
):
    """Spanish Outlook writes "Enviado el:" and Foxmail a "原始邮件" line above the quoted
    message: the minutes showed "De: Chair Person <...>", "Enviado el: lunes..." and the
    Foxmail line as the members' own lines."""
    await start_meeting_by_mail(mailbot, services, "chair.person@example.org")
    spanish = (
        "#info el borrador va al TSAG\r\n\r\n"
        "De: Chair Person <chair.person@example.org>\r\n"
        "Enviado el: lunes, 23 de noviembre de 2026 9:00\r\n"
        f"Para: {LIST}\r\nAsunto: Accessibility sync\r\n\r\n#info quoted, not minuted\r\n"
    )
    foxmail = (
        "#info 草案将提交TSAG\r\n\r\n------------------ 原始邮件 ------------------\r\n"
        '发件人: "Chair Person"<chair.person@example.org>;\r\n'
        "发送时间: 2026年11月23日(星期一) 下午4:00\r\n"
        f'收件人: "ISCG"<{LIST}>;\r\n主题: Accessibility sync\r\n\r\n#info quoted, not minuted\r\n'
    )
    for number, body in enumerate((spanish, foxmail)):
        post = thread_post(f"member{number}@example.org", body, f"<q{number}@x>")
        assert await mailbot.receive(post) == "recorded"
    minutes = (await ask("/minutes Accessibility sync")).text
    assert "el borrador va al TSAG" in minutes and "草案将提交TSAG" in minutes
    for quoted in ("Enviado el", "De: Chair", "原始邮件", "quoted, not minuted"):
        assert quoted not in minutes, minutes


async def test_decline_and_propose_new_time_records_the_decline(mailbot, ask, services):
    """Pierre uses Outlook's "Decline and Propose New Time": the COUNTER carries his
    answer (PARTSTAT=DECLINED) with the time he proposes. The chair sees him as
    declining the time as it stands, and the proposal says so."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(b"PARTSTAT=TENTATIVE", b"PARTSTAT=DECLINED")
    )
    assert "not recorded" not in await mailbot.receive(counter)
    detail = (await ask("/meetings m1", who=CHAIR)).text
    assert "pierre.martin: declined" in detail, detail
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    assert told.payload["text"].startswith(
        "Pierre Martin declines Tue 1 Dec 2026 13:00 (UTC+1) Geneva and proposes another time"
        " for m1 ISCG coordination meeting"
    ), told.payload["text"]


async def test_the_note_with_a_proposed_time_reaches_the_organiser(mailbot, ask, services):
    """Pierre proposes a new time in Outlook and types why; Outlook sends the note as
    the COUNTER's COMMENT (MS-OXCICAL 2.1.3.1.1.20.5). The chair reads it with the time."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(
            b"SUMMARY:ISCG coordination meeting",
            "COMMENT;LANGUAGE=zh-CN:TSAG 全会 14:00 结束，晚一小时可以吗？\\n谢谢\r\n"
            "SUMMARY:ISCG coordination meeting".encode(),
        )
    )
    assert "not recorded" not in await mailbot.receive(counter)
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    # Posted where the meeting was scheduled, which others read: the note, written to
    # the organiser, is pointed to, not shown; /meetings shows it to the organiser.
    assert "TSAG 全会" not in told.payload["text"]
    assert (
        "Pierre Martin added a note for the organiser: /meetings m1 shows it to the"
        " organiser and the secretariat." in told.payload["text"]
    ), told.payload["text"]
    detail = (await ask("/meetings m1", who=CHAIR)).text
    assert "tentative (“TSAG 全会 14:00 结束，晚一小时可以吗？ 谢谢”)" in detail, detail
    assert "TSAG 全会" not in (await ask("/meetings m1")).text


async def test_in_the_organisers_own_mail_the_note_is_in_the_proposal(mailbot, services):
    """A chair who scheduled by mail to the bot alone reads the proposal in that
    private conversation: the note is given there in full."""
    raw = message(
        sender="chair@example.org",
        to="iscg-bot@iscg.example",
        subject="/schedule ISCG coordination meeting | 1 Dec 13:00 Geneva time | 60m"
        " | pierre.martin@example.fr",
        body="",
        headers=auth_header(),
        message_id="<s1@x>",
    )
    assert await mailbot.receive(raw) == "answered"
    await mailbot.deliver()
    async with services.db.read() as conn:
        uid = (await meetings.get(conn, 1)).uid
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(
            b"SUMMARY:ISCG coordination meeting",
            b"COMMENT:Our plenary ends at 14:00.\r\nSUMMARY:ISCG coordination meeting",
        )
    )
    assert "not recorded" not in await mailbot.receive(counter)
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == ["chair@example.org"]
    text = sent.message.get_body(("plain",)).get_content()
    assert "Pierre Martin's note: Our plenary ends at 14:00." in text, text


async def test_the_note_typed_with_an_answer_is_shown_with_it(mailbot, ask, services):
    """Amina declines in Outlook with "Edit the response before sending": her note goes
    as the REPLY's COMMENT. /meetings shows the organiser it with her answer, until she
    answers again or the meeting moves (an answer to the new time is asked for)."""
    uid = await _meeting_with_amina(mailbot, ask, services)
    declined = outlook_answer(
        uid,
        "Amina Diallo <amina.diallo@example.cm>",
        "ATTENDEE;PARTSTAT=DECLINED:mailto:amina.diallo@example.cm\r\n"
        "COMMENT:Je suis à la session du TDAG cette semaine\\, Paul me remplace.",
        1,
    )
    assert not (await mailbot.receive(declined)).endswith("(not recorded)")
    detail = (await ask("/meetings m1", who=CHAIR)).text
    assert (
        "amina.diallo: declined (“Je suis à la session du TDAG cette semaine, Paul me remplace.”)"
        in detail
    ), detail
    # Written to the organiser: a member reads the answer, not the note.
    assert "amina.diallo: declined ·" in (await ask("/meetings m1")).text
    assert not (await ask("/reschedule m1 | 4 Dec 15:00 Geneva time", who=CHAIR)).error
    detail = (await ask("/meetings m1")).text
    assert "amina.diallo: no answer yet ·" in detail, detail


async def test_a_colleague_the_invitation_was_forwarded_to_joins_when_accepting(
    mailbot, ask, services
):
    """Amina forwards her invitation to Carol of her delegation (or Carol opens the
    /invite file); Carol presses Accept in Outlook. Her answer was 'not recorded': the
    chair never saw her, and the move and the cancellation never reached her calendar.
    From her own authenticated mail at her delegation's domain she is now an (optional)
    attendee; a forged or unauthenticated Accept adds nobody, and a Decline adds nobody
    either."""
    uid = await _meeting_with_amina(mailbot, ask, services)
    carol = "ATTENDEE;PARTSTAT=ACCEPTED;CN=Carol Tan:mailto:carol.tan@example.cm"
    unproven = outlook_answer(uid, "Carol Tan <carol.tan@example.cm>", carol, 1)
    assert (await mailbot.receive(unproven)).endswith("(not recorded)")
    declined = auth_header("dkim=pass header.d=example.sg").encode() + outlook_answer(
        uid,
        "Paul Mbarga <paul.mbarga@example.cm>",
        "ATTENDEE;PARTSTAT=DECLINED:mailto:paul.mbarga@example.cm",
        2,
    )
    assert (await mailbot.receive(declined)).endswith("(not recorded)")
    accepted = auth_header("dkim=pass header.d=example.cm").encode() + outlook_answer(
        uid, "Carol Tan <carol.tan@example.cm>", carol, 3
    )
    assert not (await mailbot.receive(accepted)).endswith("(not recorded)")
    detail = (await ask("/meetings m1", who=CHAIR)).text
    assert "Carol Tan: accepted" in detail and "paul" not in detail, detail
    assert not (await ask("/reschedule m1 | 4 Dec 15:00 Geneva time", who=CHAIR)).error
    moved = {r.rcpt_tos[0]: r.message for r in await mailbot.deliver()}
    assert set(moved) == {"amina.diallo@example.cm", "carol.tan@example.cm"}
    [event] = Calendar.from_ical(
        next(
            p
            for p in moved["carol.tan@example.cm"].walk()
            if p.get_content_type() == "text/calendar"
        ).get_content()
    ).walk("VEVENT")
    roles = {str(a): a.params["ROLE"] for a in event["ATTENDEE"]}
    assert roles["mailto:carol.tan@example.cm"] == "OPT-PARTICIPANT", roles


async def test_a_stranger_who_signs_their_own_accept_joins_nobody(mailbot, ask, services):
    """Anyone gets a meeting's .ics by mailing '/invite m1', and anyone can sign their own
    mail: Mallory accepted from her own domain and became an attendee (under any name she
    chose), getting every move and the join link. One not invited joins only from the
    domain of an invited attendee, and never from a public mail service's."""
    uid = await _meeting_with_amina(mailbot, ask, services)
    for number, address in enumerate(("mallory@example.org", "amina.friend@gmail.com"), 1):
        domain = address.rpartition("@")[2]
        signed = auth_header(f"dkim=pass header.d={domain}").encode() + outlook_answer(
            uid,
            f"ISCG Secretariat <{address}>",
            f"ATTENDEE;PARTSTAT=ACCEPTED;CN=ISCG Secretariat:mailto:{address}",
            number,
        )
        assert (await mailbot.receive(signed)).endswith("(not recorded)"), address
    detail = (await ask("/meetings m1", who=CHAIR)).text
    assert "ISCG Secretariat" not in detail, detail


async def test_an_accept_for_the_reply_to_address_joins_nobody(mailbot, ask, services):
    """Mallory, from her own signed mail, accepts for Carol with 'Reply-To: Carol': the
    signature proves Mallory's address, not Carol's, yet Carol was made an attendee of a
    meeting she never saw, and the move went to her."""
    uid = await _meeting_with_amina(mailbot, ask, services)
    forged = (
        auth_header("dkim=pass header.d=example.sg")
        + "Reply-To: Carol Tan <carol.tan@example.org>\r\n"
    ).encode() + outlook_answer(
        uid,
        "Mallory <mallory@example.sg>",
        "ATTENDEE;PARTSTAT=ACCEPTED;CN=Carol Tan:mailto:carol.tan@example.org",
        1,
    )
    assert (await mailbot.receive(forged)).endswith("(not recorded)")
    assert "Carol" not in (await ask("/meetings m1", who=CHAIR)).text
    assert not (await ask("/reschedule m1 | 4 Dec 15:00 Geneva time", who=CHAIR)).error
    moved = {r.rcpt_tos[0] for r in await mailbot.deliver()}
    assert moved == {"amina.diallo@example.cm"}, moved


async def test_a_time_proposed_in_the_hour_the_clocks_repeat_is_moved_to_as_proposed(
    mailbot, ask, services
):
    """Li Wei proposes 09:30 Beijing on 31 Oct 2027: 01:30 UTC, the second 02:30 in
    Geneva that night (CET). The command the chair was given wrote '02:30 Geneva time',
    which is the first 02:30 (CEST): the meeting went an hour early."""
    reply = await ask(
        "/schedule Night owls | 29 Oct 2027 13:00 Geneva time | 60m | li.wei@example.cn",
        who=CHAIR,
        channel="iscg",
    )
    assert not reply.error, reply.text
    await mailbot.deliver()
    async with services.db.read() as conn:
        uid = (await meetings.get(conn, 1)).uid
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(b"Pierre Martin <pierre.martin@example.fr>", b"Li Wei <li.wei@example.cn>")
        .replace(
            b"CN=Pierre Martin:mailto:pierre.martin@example.fr",
            b"CN=Li Wei:mailto:li.wei@example.cn",
        )
        .replace(b"DTSTART:20261201T140000Z", b"DTSTART:20271031T013000Z")
        .replace(b"DTEND:20261201T150000Z", b"DTEND:20271031T023000Z")
    )
    assert "not recorded" not in await mailbot.receive(counter)
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    command = told.payload["text"].rpartition("To move it there: ")[2]
    moved = await ask(command, who=CHAIR, channel="iscg")
    assert not moved.error, moved.text
    async with services.db.read() as conn:
        start = (await meetings.get(conn, 1)).start
    assert start.astimezone(dt.UTC) == dt.datetime(2027, 10, 31, 1, 30, tzinfo=dt.UTC), command


async def test_a_time_proposed_before_a_move_still_reaches_the_organiser(mailbot, ask, services):
    """Pierre proposes 15:00 from the first invitation while the chair moves the meeting
    to 16:00 on Ana's word: his COUNTER (SEQUENCE 0) arrived after the move (1) and was
    dropped unseen. The chair now reads it, marked as sent before the move; one that
    proposes the time the meeting now has tells nothing new and is not posted."""
    reply = await ask(
        "/schedule ISCG coordination meeting | 1 Dec 13:00 Geneva time | 60m"
        " | pierre.martin@example.fr, ana@example.mx",
        who=CHAIR,
        channel="iscg",
    )
    assert not reply.error, reply.text
    assert not (await ask("/reschedule m1 | 1 Dec 16:00 Geneva time", who=CHAIR)).error
    await mailbot.deliver()
    async with services.db.read() as conn:
        uid = (await meetings.get(conn, 1)).uid
    counter = corpus("calendar_counter_outlook.eml").replace(
        b"meeting-42@iscg.example", uid.encode()
    )
    assert "not recorded" not in await mailbot.receive(counter)
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    text = told.payload["text"]
    assert text.startswith(
        "Pierre Martin proposes another time for m1 ISCG coordination meeting"
        " (sent before it moved to Tue 1 Dec 2026 16:00 (UTC+1) Geneva):"
    ), text
    assert text.endswith("/reschedule m1 | 1 Dec 2026 15:00 Geneva time"), text
    same = (
        counter.replace(b"0001@", b"0002@")
        .replace(b"Pierre Martin <pierre.martin@example.fr>", b"Ana <ana@example.mx>")
        .replace(
            b"CN=Pierre Martin:mailto:pierre.martin@example.fr", b"CN=Ana:mailto:ana@example.mx"
        )
        .replace(b"DTSTART:20261201T140000Z", b"DTSTART:20261201T150000Z")
    )
    assert not (await mailbot.receive(same)).endswith("(not recorded)")
    async with services.db.read() as conn:
        assert len(await outbox.by_kind(conn, "proposal")) == 1


async def test_a_proposed_length_is_in_the_command_that_takes_it(mailbot, ask, services):
    """Pierre proposes 15:00 to 16:30 in Outlook for a 60-minute meeting: the chair was
    told only the start, and the command kept 60 minutes. The proposal now says the
    length, and the command sets it."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(b"DTEND:20261201T150000Z", b"DTEND:20261201T153000Z")
    )
    assert "not recorded" not in await mailbot.receive(counter)
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    text = told.payload["text"]
    assert "for 90 minutes (now 60)" in text, text
    command = text.rpartition("To move it there: ")[2]
    assert command == "/reschedule m1 | 1 Dec 2026 15:00 Geneva time | 90m"
    assert not (await ask(command, who=CHAIR, channel="iscg")).error
    async with services.db.read() as conn:
        meeting = await meetings.get(conn, 1)
    assert meeting.end - meeting.start == dt.timedelta(minutes=90)


async def test_a_proposed_time_in_no_zone_is_read_in_the_invitations_zone(mailbot, ask, services):
    """Pierre's calendar proposes 15:00 with no zone (no TZID, no Z): the COUNTER was
    dropped unseen, the chair never knew. It is read as Geneva time, the zone his
    invitation was written in, and the chair is told it was read so."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(b"DTSTART:20261201T140000Z", b"DTSTART:20261201T150000")
        .replace(b"DTEND:20261201T150000Z", b"DTEND:20261201T160000")
    )
    outcome = await mailbot.receive(counter)
    assert outcome == "calendar answer: pierre.martin@example.fr proposes Tue 1 Dec 2026 14:00 UTC"
    assert await mailbot.deliver() == []  # nothing to Pierre
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    text = told.payload["text"]
    assert "Geneva: Tue 1 Dec 2026 15:00 (UTC+1)" in text, text
    assert (
        "Pierre Martin's calendar gave the time without a time zone: it is read as Geneva"
        " time, the invitation's." in text
    ), text
    assert text.endswith("/reschedule m1 | 1 Dec 2026 15:00 Geneva time"), text


async def test_a_proposed_time_in_a_zone_nobody_defined_is_told_as_such(mailbot, ask, services):
    """A calendar that names a zone it does not define, and that no one knows
    (`TZID=Foo/Bar`), was said to have 'gave the time without a time zone': untrue, and
    the chair could not tell what to check with Pierre."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(b"DTSTART:20261201T140000Z", b"DTSTART;TZID=Foo/Bar:20261201T150000")
        .replace(b"DTEND:20261201T150000Z", b"DTEND;TZID=Foo/Bar:20261201T160000")
    )
    await mailbot.receive(counter)
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    text = told.payload["text"]
    assert "Geneva: Tue 1 Dec 2026 15:00 (UTC+1)" in text, text
    assert (
        'Pierre Martin\'s calendar gave the time in a zone it did not define ("Foo/Bar"):'
        " it is read as Geneva time, the invitation's." in text
    ), text


async def test_a_strangers_proposed_time_is_answered_and_changes_nothing(mailbot, ask, services):
    """Mallory, not invited, proposes a time for m1 from her own address (or with Pierre
    as attendee, or in no zone): it was dropped in silence. She is told it was not passed
    on, learning nothing of the meeting; the chair is told nothing."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    counter = corpus("calendar_counter_outlook.eml").replace(
        b"meeting-42@iscg.example", uid.encode()
    )
    mallory = counter.replace(b"Pierre Martin", b"Mallory").replace(
        b"pierre.martin@example.fr", b"mallory@evil.example"
    )
    as_pierre = counter.replace(
        b"From: Pierre Martin <pierre.martin@example.fr>", b"From: Mallory <mallory@evil.example>"
    )
    floating = mallory.replace(b"DTSTART:20261201T140000Z", b"DTSTART:20261201T150000")
    for number, raw in enumerate((mallory, as_pierre, floating), 1):
        raw = raw.replace(b"0001@", f"{number:04d}@".encode())
        assert (await mailbot.receive(raw)).endswith("(not recorded)")
        [answer] = await mailbot.deliver()
        assert answer.rcpt_tos == ["mallory@evil.example"]
        text = answer.message.get_body(("plain",)).get_content()
        assert text.startswith(
            "The new time your calendar proposed was not passed on to the organiser, and"
            " nothing was changed"
        ), text
        assert "m1" not in text and "coordination" not in text and "13:00" not in text
    async with services.db.read() as conn:
        assert await outbox.by_kind(conn, "proposal") == []
        assert (await meetings.get(conn, 1)).start.hour == 12  # UTC, as scheduled
    assert "Mallory" not in (await ask("/meetings m1", who=CHAIR)).text


async def test_a_time_proposed_for_a_cancelled_meeting_is_answered(mailbot, ask, services):
    """Pierre's Outlook proposes a new time after the chair cancelled m1 (the two crossed):
    he is told the meeting was cancelled, rather than waiting for an answer."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    assert not (await ask("/cancel m1", who=CHAIR, channel="iscg")).error
    await mailbot.deliver()
    counter = corpus("calendar_counter_outlook.eml").replace(
        b"meeting-42@iscg.example", uid.encode()
    )
    assert (await mailbot.receive(counter)).endswith("(not recorded)")
    [answer] = await mailbot.deliver()
    assert answer.rcpt_tos == ["pierre.martin@example.fr"]
    text = answer.message.get_body(("plain",)).get_content()
    assert text.startswith(
        "m1 ISCG coordination meeting was cancelled, so the new time your calendar proposed"
    ), text


def refresh(uid: str, sender: str, attendee: str, number: int) -> bytes:
    """An attendee's calendar asking the organiser for the meeting's latest version
    (iTIP REFRESH, RFC 5546 3.2.6): ATTENDEE, ORGANIZER, UID and DTSTAMP only."""
    calendar = (
        "BEGIN:VCALENDAR\r\nPRODID:-//Apple Inc.//macOS 14.0//EN\r\nVERSION:2.0\r\n"
        "METHOD:REFRESH\r\nBEGIN:VEVENT\r\n"
        f"ATTENDEE:mailto:{attendee}\r\nORGANIZER:mailto:iscg-bot@iscg.example\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261123T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    return message(
        sender=sender,
        subject="Refresh: Accessibility sync",
        body=calendar,
        headers='Content-Type: text/calendar; charset="utf-8"; method=REFRESH\r\n',
        message_id=f"<refresh-{number}@x>",
    )


async def test_an_attendee_whose_calendar_asks_for_the_latest_version_gets_it(
    mailbot, ask, services
):
    """Amina's calendar lost m1 after its move and asks for the latest version (REFRESH):
    it was ignored. She now gets the meeting as it stands (the update, SEQUENCE 1),
    herself alone and once; Mallory, not invited, gets nothing. Asked again after the
    cancellation, Amina gets the cancellation."""
    uid = await _meeting_with_amina(mailbot, ask, services)
    assert not (await ask("/reschedule m1 | 4 Dec 15:00 Geneva time", who=CHAIR)).error
    await mailbot.deliver()
    asked = refresh(uid, "amina.diallo@example.cm", "Amina.Diallo@example.cm", 1)
    outcome = await mailbot.receive(asked)
    assert outcome == "calendar answer: amina.diallo@example.cm asks for the latest version"
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == ["amina.diallo@example.cm"]
    part = next(p for p in sent.message.walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REQUEST"
    calendar = vobject.readOne(part.get_content())
    assert calendar.method.value == "REQUEST"
    assert calendar.vevent.sequence.value == "1"
    assert calendar.vevent.dtstart.value.astimezone(dt.UTC) == dt.datetime(
        2026, 12, 4, 14, tzinfo=dt.UTC
    )
    assert sent.message["Subject"].startswith("Updated: Accessibility sync")
    assert await mailbot.receive(asked) == "duplicate"
    assert await mailbot.deliver() == []
    # A calendar that asks again on every update it gets would loop with the bot: the
    # version it has now goes to it once.
    again = refresh(uid, "amina.diallo@example.cm", "amina.diallo@example.cm", 5)
    assert await mailbot.receive(again) == (
        "calendar answer: amina.diallo@example.cm asks for the latest version (not recorded)"
    )
    assert await mailbot.deliver() == []
    mallory = refresh(uid, "mallory@evil.example", "mallory@evil.example", 2)
    assert (await mailbot.receive(mallory)).endswith("(not recorded)")
    for_amina = refresh(uid, "mallory@evil.example", "amina.diallo@example.cm", 3)
    assert (await mailbot.receive(for_amina)).endswith("(not recorded)")
    assert await mailbot.deliver() == []
    assert not (await ask("/cancel m1 | postponed", who=CHAIR)).error
    await mailbot.deliver()
    again = refresh(uid, "amina.diallo@example.cm", "amina.diallo@example.cm", 4)
    assert not (await mailbot.receive(again)).endswith("(not recorded)")
    [cancelled] = await mailbot.deliver()
    part = next(p for p in cancelled.message.walk() if p.get_content_type() == "text/calendar")
    calendar = vobject.readOne(part.get_content())
    assert calendar.method.value == "CANCEL" and calendar.vevent.status.value == "CANCELLED"
    assert "postponed" in cancelled.message.get_body(("plain",)).get_content()


async def test_an_answer_naming_its_attendee_by_the_email_parameter_is_recorded(
    mailbot, ask, services
):
    """A calendar server that knows its user by an id writes the answering attendee as
    'urn:uuid:...' with the address in the EMAIL parameter (RFC 7986 6.2): Li Wei's
    Tentative was 'not recorded', the chair saw no answer from her."""
    reply = await ask(
        "/schedule Accessibility sync | 3 Dec 14:00 Geneva time | 60m | li.wei@example.cn",
        who=CHAIR,
    )
    assert not reply.error, reply.text
    async with services.db.read() as conn:
        uid = (await meetings.get(conn, 1)).uid
    raw = (
        corpus("calendar_reply_apple_tentative.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(
            b"PARTSTAT=3DTENTATIVE:mailto:li.wei@example.cn",
            b"EMAIL=3Dli.wei@example.cn;PARTSTAT=3DTENTATIVE:\r\n"
            b" urn:uuid:2f1c7a2e-5b8d-4b8e-9f3a-0c6d1e2f3a4b",
        )
    )
    outcome = await mailbot.receive(raw)
    assert outcome == "calendar answer: li.wei@example.cn tentative", outcome
    assert "li.wei: tentative" in (await ask("/meetings m1")).text


async def test_a_cancelled_meeting_is_named_only_to_its_invitees_own_address(
    mailbot, ask, services
):
    """Mallory writes from her own address with Pierre in Reply-To (as a calendar server's
    no-reply sender does) and proposes a time for the UID of cancelled m1: the answer,
    which goes to her From, named the meeting and said it was cancelled. She is now told
    only that it was not passed on, as any stranger is."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    assert not (await ask("/cancel m1", who=CHAIR, channel="iscg")).error
    await mailbot.deliver()
    forged = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(
            b"From: Pierre Martin <pierre.martin@example.fr>",
            b"From: Mallory <mallory@evil.example>\r\nReply-To: pierre.martin@example.fr",
        )
    )
    assert (await mailbot.receive(forged)).endswith("(not recorded)")
    [answer] = await mailbot.deliver()
    assert answer.rcpt_tos == ["mallory@evil.example"]
    text = answer.message.get_body(("plain",)).get_content()
    assert "m1" not in text and "coordination" not in text and "cancelled" not in text, text


async def test_a_proposed_time_whose_author_the_list_hid_is_answered_to_no_one(
    mailbot, ask, services
):
    """A time proposed for m1 came through the list, which rewrote From to itself and
    named no author (DMARC): the one-line answer that it was not passed on went to the
    list's address, to every member. Mail with no author to answer is answered by no one."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    hidden = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(
            b"From: Pierre Martin <pierre.martin@example.fr>",
            f'From: "Someone via int-sect-group" <{LIST}>\r\nReply-To: {LIST}\r\n'
            f"List-Id: <int-sect-group.lists.example.int>".encode(),
        )
        .replace(b"To: iscg-bot@iscg.example", f"To: {LIST}\r\nCc: iscg-bot@iscg.example".encode())
    )
    assert (await mailbot.receive(hidden)).endswith("(not recorded)")
    assert await mailbot.deliver() == []


async def test_a_proposed_time_in_no_zone_is_read_in_the_attendees_own_zone(mailbot, ask, services):
    """Pierre, who set Asia/Shanghai, sees m1 at 20:00 in his calendar and proposes 22:00,
    which it writes with no zone: it was read as 22:00 Geneva, six hours later than he
    meant, and the chair offered '/reschedule m1 | 1 Dec 2026 22:00 Geneva time'. It is
    now read in his own zone, 15:00 Geneva, and the chair is told it was read so."""
    assert not (await ask("/timezone Asia/Shanghai", who="email:pierre.martin@example.fr")).error
    uid = await _meeting_with_pierre(mailbot, ask, services)
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(b"DTSTART:20261201T140000Z", b"DTSTART:20261201T220000")
        .replace(b"DTEND:20261201T150000Z", b"DTEND:20261201T230000")
    )
    assert not (await mailbot.receive(counter)).endswith("(not recorded)")
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    text = told.payload["text"]
    assert "UTC: Tue 1 Dec 2026 14:00 · Geneva: Tue 1 Dec 2026 15:00 (UTC+1)" in text, text
    assert "for 60 minutes" not in text, text  # the length is as it was
    assert "it is read as Beijing time, Pierre Martin's own as recorded." in text, text
    assert text.endswith("/reschedule m1 | 1 Dec 2026 15:00 Geneva time"), text


async def test_a_day_proposed_without_a_time_reaches_the_organiser(mailbot, ask, services):
    """Pierre ticks "All day" when proposing 3 December for m1 (DTSTART;VALUE=DATE): the
    proposal was dropped unseen, the chair never heard of it. The chair is now told the
    day, that only the day was given, and the command that moves m1 there at its own
    Geneva time of day."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(b"DTSTART:20261201T140000Z", b"DTSTART;VALUE=DATE:20261203")
        .replace(b"DTEND:20261201T150000Z", b"DTEND;VALUE=DATE:20261204")
    )
    outcome = await mailbot.receive(counter)
    assert outcome == "calendar answer: pierre.martin@example.fr proposes Thu 3 Dec 2026, all day"
    assert await mailbot.deliver() == []  # nothing to Pierre
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    text = told.payload["text"]
    assert text.startswith("Pierre Martin proposes another day for m1 ISCG coordination"), text
    assert "UTC: Thu 3 Dec 2026 12:00 · Geneva: Thu 3 Dec 2026 13:00 (UTC+1)" in text, text
    assert "gave the day only (Thu 3 Dec 2026, all day)" in text, text
    assert text.endswith("To move it there: /reschedule m1 | 3 Dec 2026 13:00 Geneva time"), text


async def test_a_day_proposed_for_a_meeting_set_in_mexico_city_keeps_its_hour_there(
    mailbot, ask, services
):
    """m1 was set at 08:00 Mexico City time on 28 October 2027; Pierre ticks "All day"
    proposing 4 November, after Europe's clocks went back: the chair was offered 16:00
    Geneva, its Geneva time of day, which is 09:00 in Mexico City. The meeting's own
    time of day is the one it was set at, 08:00 there (15:00 Geneva)."""
    reply = await ask(
        "/schedule ISCG coordination | 28 Oct 2027 08:00 Mexico City time | 60m"
        " | pierre.martin@example.fr",
        who=CHAIR,
        channel="iscg",
    )
    assert not reply.error, reply.text
    await mailbot.deliver()
    async with services.db.read() as conn:
        uid = (await meetings.get(conn, 1)).uid
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(b"DTSTART:20261201T140000Z", b"DTSTART;VALUE=DATE:20271104")
        .replace(b"DTEND:20261201T150000Z", b"DTEND;VALUE=DATE:20271105")
    )
    assert not (await mailbot.receive(counter)).endswith("(not recorded)")
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    text = told.payload["text"]
    assert "UTC: Thu 4 Nov 2027 14:00 · Geneva: Thu 4 Nov 2027 15:00 (UTC+1)" in text, text
    command = "/reschedule m1 | 4 Nov 2027 08:00 Mexico City time"
    assert text.endswith(f"To move it there: {command}"), text
    # Taking it keeps the meeting on Mexico City's clock, which a move by days keeps.
    assert not (await ask(command, who=CHAIR)).error
    moved = await ask("/reschedule m1 | +7 days", who=CHAIR)
    assert "08:00 (UTC-6) the meeting's zone, America/Mexico_City" in moved.text, moved.text


async def test_a_refresh_marked_automatic_is_not_answered(mailbot, ask, services):
    """A calendar server asks for m1's latest version for Amina, its mail marked
    Auto-Submitted: the bot mailed the invitation back, an automatic answer to a
    machine's mail, which the no-loop rules never send. It now sends nothing, and says
    why; the same request without the mark is answered."""
    uid = await _meeting_with_amina(mailbot, ask, services)
    asked = refresh(uid, "amina.diallo@example.cm", "amina.diallo@example.cm", 1)
    marked = asked.replace(b"Subject:", b"Auto-Submitted: auto-generated\r\nSubject:", 1)
    outcome = await mailbot.receive(marked)
    assert outcome == (
        "calendar answer: amina.diallo@example.cm asks for the latest version"
        " (not answered: Auto-Submitted: auto-generated)"
    ), outcome
    assert await mailbot.deliver() == []
    plain = asked.replace(b"<refresh-1@x>", b"<refresh-2@x>")
    assert not (await mailbot.receive(plain)).endswith(")")
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == ["amina.diallo@example.cm"]


async def test_a_list_member_proposing_a_time_is_told_where_to_propose_it(mailbot, ask, services):
    """The group was invited to m1 through its list; Li Wei, who added it to her calendar
    from the announcement, proposes another time. She was told only that 'a new time is
    taken only from an invitee', though the list's invitation was hers too; she is now
    told to suggest it in a reply to the announcement on the list, and nothing else of
    the meeting; the chair's channel hears nothing."""
    reply = await ask(
        "/schedule ISCG coordination meeting | 1 Dec 13:00 Geneva time | 60m"
        " | pierre.martin@example.fr, list",
        who=CHAIR,
        channel="iscg",
    )
    assert not reply.error, reply.text
    await mailbot.deliver()
    async with services.db.read() as conn:
        uid = (await meetings.get(conn, 1)).uid
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(b"Pierre Martin", b"Li Wei")
        .replace(b"pierre.martin@example.fr", b"li.wei@example.cn")
    )
    assert (await mailbot.receive(counter)).endswith("(not recorded)")
    [answer] = await mailbot.deliver()
    assert answer.rcpt_tos == ["li.wei@example.cn"]
    text = " ".join(answer.message.get_body(("plain",)).get_content().split())
    assert "invitee" not in text, text
    assert "suggest the new time in a reply to its announcement on the list" in text, text
    assert "m1" not in text and "coordination" not in text, text
    async with services.db.read() as conn:
        assert await outbox.by_kind(conn, "proposal") == []


async def test_a_name_with_a_line_break_in_its_calendar_parameter_stays_on_one_line(
    mailbot, ask, services
):
    """Pierre's calendar writes his name as CN="Pierre^nMartin" (RFC 6868: ^n is a line
    break, ^' a double quote): the chair's post began "Pierre" and went on "Martin
    proposes..." on a line of its own. The name is now read on one line, quotes kept."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(b"CN=Pierre Martin", b"CN=\"Pierre ^'Pete^'^nMartin\"")
    )
    assert not (await mailbot.receive(counter)).endswith("(not recorded)")
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    first = told.payload["text"].splitlines()[0]
    assert first.startswith('Pierre "Pete" Martin proposes another time for m1'), first


async def test_the_note_google_calendar_sends_with_an_answer_is_shown_with_it(
    mailbot, ask, services
):
    """Pierre declines in Google Calendar with a note: Google sends it as the ATTENDEE's
    X-RESPONSE-COMMENT parameter, quotes as &quot;, not as a COMMENT. The note was lost:
    the chair saw 'declined' and never why. /meetings now shows it to the organiser."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    declined = (
        corpus("calendar_reply_gmail_decline.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(
            b"X-NUM-GUESTS=0:",
            b'X-NUM-GUESTS=0;X-RESPONSE-COMMENT="Au TDAG ce jour-l\xc3\xa0, '
            b'voir &quot;budget&quot;: Paul me remplace":',
        )
    )
    outcome = await mailbot.receive(declined)
    assert outcome == "calendar answer: pierre.martin@example.fr declined", outcome
    detail = (await ask("/meetings m1", who=CHAIR)).text
    assert 'declined (“Au TDAG ce jour-là, voir "budget": Paul me remplace”)' in detail, detail


async def test_an_answer_whose_name_holds_double_quotes_is_recorded(mailbot, ask, services):
    """Amina's calendar writes her name with its double quotes backslashed, as a text
    value is (older Thunderbird), or as they are, where RFC 6868 writes ^': the parser
    dropped the whole ATTENDEE line, her Accept was ignored as a calendar program's
    REPLY and the chair saw no answer. It is now read."""
    uid = await _meeting_with_amina(mailbot, ask, services)
    for number, name in enumerate(('"Amina \\"Mina\\" Diallo"', '"Amina "Mina" Diallo"'), 1):
        accepted = outlook_answer(
            uid,
            "Amina Diallo <amina.diallo@example.cm>",
            f"ATTENDEE;PARTSTAT={('ACCEPTED', 'TENTATIVE')[number - 1]};CN={name}"
            ":mailto:amina.diallo@example.cm",
            number,
        )
        outcome = await mailbot.receive(accepted)
        expected = ("accepted", "tentative")[number - 1]
        assert outcome == f"calendar answer: amina.diallo@example.cm {expected}", outcome
        assert f"amina.diallo: {expected}" in (await ask("/meetings m1")).text


async def test_a_proposed_time_already_past_offers_no_command_that_fails(mailbot, ask, services):
    """Pierre's proposal names a time already past (his calendar's year was wrong, or the
    mail was held up): the chair was offered '/reschedule m1 | 1 Dec 2025 15:00 Geneva
    time', which answers that the time is in the past. The chair is now told so, and
    to ask Pierre for another time."""
    uid = await _meeting_with_pierre(mailbot, ask, services)
    counter = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"meeting-42@iscg.example", uid.encode())
        .replace(b"DTSTART:20261201T140000Z", b"DTSTART:20251201T140000Z")
        .replace(b"DTEND:20261201T150000Z", b"DTEND:20251201T150000Z")
    )
    assert not (await mailbot.receive(counter)).endswith("(not recorded)")
    async with services.db.read() as conn:
        [told] = await outbox.by_kind(conn, "proposal")
    text = told.payload["text"]
    assert "/reschedule" not in text, text
    assert text.endswith(
        "That time has passed, so the meeting cannot move there: ask Pierre Martin for another."
    ), text
