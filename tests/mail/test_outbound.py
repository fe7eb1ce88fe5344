"""Outgoing mail on the wire: headers, iMIP invites, list announcements, SMTP answers."""

from __future__ import annotations

import datetime as dt
import logging
from email import message_from_string, policy
from email.utils import parsedate_to_datetime

from icalendar import Calendar

from bot.mailbuild import reply_subject, wire_bytes
from bot.outgoing import queue_email
from storage import outbox
from tests.mail.conftest import BOT, LIST

INVITE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ISCG//bot//EN\r\nMETHOD:{method}\r\n"
    "BEGIN:VEVENT\r\nUID:meeting-42@iscg.example\r\nSEQUENCE:0\r\nDTSTAMP:20261123T080000Z\r\n"
    "DTSTART:20261201T130000Z\r\nDTEND:20261201T140000Z\r\nSUMMARY:ISCG coordination – réunion\r\n"
    "ORGANIZER:mailto:iscg-bot@iscg.example\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:{attendee}\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


async def queue(services, key: str, **fields) -> int | None:
    base = {"subject": "ISCG coordination", "text": "An invitation.", "kind": "invite"}
    async with services.db.transaction() as conn:
        return await queue_email(
            conn, bot_address=BOT, now=services.now(), dedupe_key=key, **(base | fields)
        )


async def test_invite_is_imip_to_each_attendee(services, mailbot):
    calendar = INVITE.format(method="REQUEST", attendee="amina@example.cm")
    await queue(
        services,
        "i1",
        to=["amina@example.cm"],
        html="<p>An invitation.</p>",
        calendar=calendar,
        calendar_method="REQUEST",
    )
    [sent] = await mailbot.deliver()
    message = sent.message
    assert sent.rcpt_tos == ["amina@example.cm"] and sent.mail_from == BOT
    assert message["Auto-Submitted"] == "auto-generated" and message["X-Loop"] == BOT
    assert message["Message-ID"].endswith("@iscg.example>")
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    inline = alternative.get_payload()[2]
    assert inline.get_param("method") == "REQUEST" and inline.get_param("charset") == "UTF-8"
    assert attachment.get_filename() == "invite.ics"
    for part in (inline, attachment):
        parsed = Calendar.from_ical(part.get_content())
        assert str(parsed["METHOD"]) == "REQUEST"
        assert str(parsed.walk("VEVENT")[0]["SUMMARY"]) == "ISCG coordination – réunion"


async def test_cancellation_method_matches_the_calendar(services, mailbot):
    calendar = INVITE.format(method="CANCEL", attendee="amina@example.cm")
    await queue(
        services, "c1", to=["amina@example.cm"], calendar=calendar, calendar_method="CANCEL"
    )
    [sent] = await mailbot.deliver()
    alternative, attachment = sent.message.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain",
        "text/calendar",
    ]
    assert alternative.get_payload()[1].get_param("method") == "CANCEL"
    assert attachment.get_param("method") == "CANCEL"


async def test_list_gets_an_announcement_with_a_publish_calendar(services, mailbot):
    calendar = INVITE.format(method="REQUEST", attendee=LIST)
    await queue(
        services,
        "a1",
        to=[LIST],
        to_list=True,
        subject="Help wanted: agenda items",
        text="help us build the agenda\n14:00 Geneva · 07:00 Mexico City · 21:00 Beijing",
        html="<p>14:00 Geneva</p>",
        calendar=calendar,
    )
    [sent] = await mailbot.deliver()
    message = sent.message
    assert sent.rcpt_tos == [LIST] and message["To"] == LIST
    assert message["Subject"] == "ISCG assistant: Help wanted: agenda items"
    alternative, attachment = message.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html"]
    assert alternative.get_payload()[0].get_content().startswith("ISCG assistant: help us")
    assert attachment.get_filename() == "invite.ics"
    assert str(Calendar.from_ical(attachment.get_content())["METHOD"]) == "PUBLISH"
    for name in ("List-Id", "Precedence", "X-BeenThere"):
        assert name not in message


async def test_one_connection_carries_a_batch(services, mailbot, sink):
    for number in range(5):
        await queue(services, f"b{number}", to=[f"p{number}@example.org"])
    assert len(await mailbot.deliver()) == 5
    assert sink.connections == 1


async def test_5xx_fails_with_the_server_answer_and_4xx_is_retried(services, mailbot, sink):
    sink.rcpt_answers = {
        "gone@example.org": "550 5.1.1 No such user here",
        "busy@example.org": "451 4.3.0 Try again later",
    }
    gone = await queue(services, "f1", to=["gone@example.org"])
    busy = await queue(services, "f2", to=["busy@example.org"])
    ok = await queue(services, "f3", to=["fine@example.org"])
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == ["fine@example.org"]
    async with services.db.read() as conn:
        rows = {row_id: await outbox.get(conn, row_id) for row_id in (gone, busy, ok)}
    assert rows[gone].status == "failed" and "550 5.1.1 No such user here" in rows[gone].last_error
    assert rows[busy].status == "pending" and "451" in rows[busy].last_error
    assert rows[busy].next_attempt_at > services.now()
    assert rows[ok].status == "sent"


async def test_server_down_leaves_mail_queued_for_a_retry(services, mailbot):
    services.settings.smtp_port = 1  # nothing listens there
    row = await queue(services, "d1", to=["x@example.org"])
    await mailbot.deliver()
    async with services.db.read() as conn:
        stored = await outbox.get(conn, row)
    assert stored.status == "pending" and "cannot reach the SMTP server" in stored.last_error


async def test_a_retry_sends_the_queued_bytes_again(services, clock, mailbot, sink):
    sink.rcpt_answers = {"busy@example.org": "451 4.3.0 Try again later"}
    queued_at = services.now()
    row = await queue(services, "r1", to=["busy@example.org"], text="Compte rendu — 会议纪要")
    assert await mailbot.deliver() == []
    async with services.db.read() as conn:
        queued = (await outbox.get(conn, row)).payload["mime"].encode("utf-8")
    sink.rcpt_answers = {}
    clock.advance(hours=1)
    [sent] = await mailbot.deliver()
    async with services.db.read() as conn:
        stored = await outbox.get(conn, row)
    assert stored.status == "sent" and sent.raw == queued
    assert "mime" not in stored.payload and stored.payload["text"] == "Compte rendu — 会议纪要"
    assert parsedate_to_datetime(sent.message["Date"]) == queued_at  # when it was written


async def test_a_server_without_8bitmime_gets_7bit_mail(services, clock, mailbot, sink):
    sink.seven_bit = True
    queued_at = services.now()
    text = "会议纪要 — compte rendu, " + "et la suite " * 10 + "\n"  # lines over 78
    await queue(
        services,
        "s1",
        to=["li.wei@example.cn"],
        subject="会议纪要 — compte rendu",
        text=text,
        html="<p>会议纪要</p>",
    )
    clock.advance(minutes=5)
    [sent] = await mailbot.deliver()
    assert sent.raw.isascii()
    message = sent.message
    assert parsedate_to_datetime(message["Date"]) == queued_at
    assert message["Subject"] == "会议纪要 — compte rendu"
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
    assert message.get_body(("html",)).get_content().strip() == "<p>会议纪要</p>"


async def test_text_goes_as_written_unless_a_line_is_too_long_for_mail(services, mailbot, sink):
    """7bit or 8bit as written, as Django sends mail; only a line over RFC 5322's 998
    octets is encoded, and every part reads back as it was queued."""
    paragraph = "Réunion de coordination: " + "un mot " * 40  # longer than 78, not 998
    overlong = "é" * 600  # 1,200 octets on one line
    html = "<p>" + "word " * 150 + "</p>"
    await queue(services, "c1", to=["a@example.org"], text=paragraph + "\n", html=html)
    await queue(services, "c2", to=["b@example.org"], text=overlong + "\n", html="<p>ok</p>")
    # A NUL may not travel as 7bit or 8bit data (RFC 2045).
    await queue(services, "c3", to=["c@example.org"], text=paragraph + "\0\n", html="<p>ok</p>")
    plain_part, long_part, nul_part = await mailbot.deliver()
    encodings = [
        [part["Content-Transfer-Encoding"] for part in sent.message.iter_parts()]
        for sent in (plain_part, long_part, nul_part)
    ]
    assert encodings == [["8bit", "7bit"], ["base64", "7bit"], ["quoted-printable", "7bit"]]
    assert b"\0" not in nul_part.raw
    assert paragraph.encode() in plain_part.raw  # readable on the wire as it is

    def content(sent, kind: str = "plain") -> str:
        return sent.message.get_body((kind,)).get_content().replace("\r\n", "\n")

    assert content(plain_part) == paragraph + "\n"
    assert content(plain_part, "html").strip() == html
    assert content(long_part) == overlong + "\n"


async def test_an_internationalised_address_gets_utf8_headers(services, mailbot, sink):
    await queue(services, "e1", to=["josé@correo.example.es"], subject="Réunion")
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == ["josé@correo.example.es"]
    message = message_from_string(sent.raw.decode("utf-8"), policy=policy.default)
    assert message["To"].addresses[0].addr_spec == "josé@correo.example.es"
    assert message["Subject"] == "Réunion"


async def test_a_text_holding_a_boundary_cannot_split_the_message(services, mailbot):
    await queue(services, "k1", to=["a@example.org"], html="<p>First.</p>")
    [first] = await mailbot.deliver()
    boundary = first.message.get_boundary()
    # Someone who received one answer writes its boundary into a text the bot sends.
    text = f"Quoted:\n--{boundary}\nContent-Type: text/html\n\n<p>injected</p>\n--{boundary}--\n"
    await queue(services, "k2", to=["b@example.org"], text=text, html="<p>Second.</p>")
    [second] = await mailbot.deliver()
    message = second.message
    assert message.get_boundary() != boundary
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
    assert message.get_body(("html",)).get_content().strip() == "<p>Second.</p>"


async def test_a_long_thread_gets_its_references_folded(services, mailbot):
    ids = [f"<message-{n:03}.of-a-long-thread@mail.example.org>" for n in range(12)]
    await queue(services, "t1", to=["a@example.org"], in_reply_to=ids[-1], references=ids)
    [sent] = await mailbot.deliver()
    lines = sent.raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    assert max(len(line) for line in lines) <= 78
    assert sent.message["References"].split() == ids
    assert sent.message["In-Reply-To"] == ids[-1]


async def test_a_non_ascii_message_id_is_answered_encoded(services, mailbot):
    # Only valid where both ends speak SMTPUTF8, but some clients write them.
    await queue(services, "u1", to=["a@example.org"], in_reply_to="<réunion-1@example.fr>")
    [sent] = await mailbot.deliver()
    assert sent.raw.isascii()
    assert sent.message["In-Reply-To"] == "<réunion-1@example.fr>"


async def test_address_and_subject_go_as_the_library_writes_them(services, mailbot):
    # The builder stores short plain-ASCII values as they are, instead of parsing them:
    # the wire must not tell the difference, long or odd values included.
    cases = [
        (["a@example.org", "b.c@example.org"], "Re: who coordinates accessibility?"),
        (['"two words"@example.org'], "Re: (not a comment) <nor an address>; a, b: c"),
        ([f"delegate-{n}@ministry.example.gov" for n in range(4)], "Re: " + "long " * 30),
        (["d@example.org"], "Re: =?iso-8859-1?q?caf=E9?= and  two  spaces"),
    ]
    for n, (to, subject) in enumerate(cases):
        await queue(services, f"h{n}", to=to, subject=subject)
    sent = await mailbot.deliver()
    assert len(sent) == len(cases)
    wire = policy.default.clone(linesep="\r\n")
    for mail, (to, subject) in zip(sent, cases, strict=True):
        head = mail.raw.split(b"\r\n\r\n", 1)[0] + b"\r\n"
        for name, value in (("To", ", ".join(to)), ("Subject", subject)):
            assert wire.fold_binary(name, wire.header_factory(name, value)) in head
        assert [a.addr_spec for a in mail.message["To"].addresses] == to
        assert mail.message["Subject"] == subject.replace("=?iso-8859-1?q?caf=E9?=", "café")


def test_what_others_wrote_goes_as_the_library_writes_it_however_malformed():
    # A sender's address comes from their own From line. Two malformed ones that
    # print alike must not share a folding, nor lose what the library makes of them.
    wire = policy.default.clone(linesep="\r\n")
    cases = [
        (["@x"], "Re: x"),
        (["b@\\"], "Re: x"),
        (["<j@example.org"], ""),
        (["(a comment) a@example.org"], "   "),
        (["a@example.org", "b@example.org"], "Re: réunion"),
    ]
    for to, subject in cases:
        payload = {"message_id": "<m@iscg.example>", "to": to, "subject": subject, "text": "hi"}
        sent = wire_bytes(payload, bot_address=BOT, now=dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC))
        head = sent.split(b"\r\n\r\n", 1)[0] + b"\r\n"
        for name, value in (("To", ", ".join(to)), ("Subject", subject)):
            assert wire.fold_binary(name, wire.header_factory(name, value)) in head


def test_an_answers_subject_has_one_re_and_the_lists_tag_once():
    cases = {
        "[int-sect-group] Re: /themes pilot": "Re: [int-sect-group] /themes pilot",
        "RE: AW: Sv: agenda": "Re: agenda",
        "Re: [int-sect-group] Re: [int-sect-group] budget": "Re: [int-sect-group] budget",
        "Re[2]: slides": "Re: slides",
        "答复: [int-sect-group] 议程": "Re: [int-sect-group] 议程",
        "回复：Re: 议程": "Re: 议程",
        "رد: جدول الأعمال": "Re: جدول الأعمال",
        "RES: agenda": "Re: agenda",
        "Reorganisation": "Re: Reorganisation",
        "": "Re: your message",
    }
    assert {given: reply_subject(given) for given in cases} == cases


async def test_the_log_has_one_line_per_row_sent_and_the_answer_for_one_refused(
    services, mailbot, sink, caplog
):
    """What an operator reads in the bot's log after a pass: each row once, where it
    went, and for a refused one the server's answer and whether it is tried again."""
    caplog.set_level(logging.INFO)
    sink.rcpt_answers = {
        "gone@example.org": "550 5.1.1 No such user here",
        "busy@example.org": "451 4.3.0 Try again later",
    }
    ok = await queue(services, "l1", to=["fine@example.org"])
    gone = await queue(services, "l2", to=["gone@example.org"])
    busy = await queue(services, "l3", to=["busy@example.org"])
    caplog.clear()
    await mailbot.deliver()
    async with services.db.read() as conn:
        retry_at = (await outbox.get(conn, busy)).next_attempt_at
    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "bot.delivery"]
    assert lines == [
        ("INFO", f"outbox row {ok} sent to email:fine@example.org"),
        (
            "WARNING",
            f"outbox row {gone} to email:gone@example.org failed for good:"
            " gone@example.org: 550 5.1.1 No such user here",
        ),
        (
            "WARNING",
            f"outbox row {busy} to email:busy@example.org not sent, tried again at"
            f" {retry_at.isoformat(timespec='seconds')}:"
            " busy@example.org: 451 4.3.0 Try again later",
        ),
    ]


async def test_a_subject_starts_on_its_own_line(services, mailbot):
    """To an internationalised address (headers as UTF-8), a Chinese subject of about 70
    characters went as 'Subject:' alone on its line, the text on the next: legal, but
    some readers show that as an empty subject or one led by a space. Its first word now
    stays on the Subject line, as Mailman and mail programs write it, and reads back whole."""
    title = "部门间协调组关于无障碍获取信息通信技术的协调会议第二次会议议程草案讨论" * 2
    subjects = [f"Re: {title[:n]}" for n in (62, 66, 70, 73, 76)]
    for n, subject in enumerate(subjects):
        await queue(services, f"s{n}", to=["李伟@例子.中国"], subject=subject)
    sent = await mailbot.deliver()
    for mail, subject in zip(sent, subjects, strict=True):
        head = mail.raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        [line] = [line for line in head if line.startswith(b"Subject:")]
        assert line.startswith(b"Subject: Re:"), mail.raw.split(b"\r\nDate")[0].decode()
        assert max(len(line) for line in head) <= 998
        parsed = message_from_string(mail.raw.decode("utf-8"), policy=policy.default)
        assert parsed["Subject"] == subject
