"""The rules for answering by mail: who is answered, how often, and what needs authentication."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from bot.core import Reply
from bot.jobs import JobRunner
from bot.mailbuild import reply_html
from bot.mailparse import addressed_line, parse
from bot.mailpolicy import authenticated, list_safe, starts_with_command_word
from storage import people
from tests.conftest import NOW
from tests.mail.conftest import AUTHSERV, BOT, LIST, OURS

CHAIR = "chair@example.org"


def message(
    *,
    sender: str = "member@example.org",
    to: str = BOT,
    subject: str = "question",
    body: str = "help",
    headers: str = "",
    message_id: str = "<m1@example.org>",
) -> bytes:
    return (
        f"From: Some One <{sender}>\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Message-ID: {message_id}\r\nDate: Mon, 23 Nov 2026 08:00:00 +0000\r\n{headers}"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


def test_a_line_speaks_to_the_bot_by_its_name_or_address_only():
    assert addressed_line("Hello\n@iscg-bot: help", BOT) == "help"
    assert addressed_line("@ISCG-BOT who coordinates AI?", BOT) == "who coordinates AI?"
    assert addressed_line("@iscg-botanist hello", BOT) is None
    assert addressed_line("@jane could you look?", BOT) is None
    assert addressed_line("@ all: see below", "") is None  # no address: no bare "@"


async def test_a_list_post_naming_the_bot_with_a_chinese_or_arabic_colon_is_answered(mailbot):
    """ "@iscg-bot：who coordinates AI?" (a full-width colon, as a Chinese input method
    types it), "@iscg-bot，..." or "@iscg-bot، ..." got "I could not place that question"."""
    for number, mark in enumerate(["：", "，", "، ", "、"]):
        post = message(
            sender=f"member{number}@example.org",
            to=LIST,
            body=f"@iscg-bot{mark}who coordinates AI?",
            message_id=f"<mark{number}@x>",
        )
        assert await mailbot.receive(post) == "answered"
    for sent in await mailbot.deliver():
        text = sent.message.get_body(("plain",)).get_content()
        assert text.startswith("Artificial Intelligence: who coordinates"), text


async def test_an_answer_to_mail_with_in_reply_to_alone_stays_in_its_thread(mailbot):
    """Outlook often writes In-Reply-To and no References: the answer's References named
    only the question, so readers that thread by References started a new thread."""
    asked = message(
        to=LIST,
        subject="Re: agenda",
        body="@iscg-bot /themes pilot",
        headers="In-Reply-To: <agenda@example.org>\r\n",
    )
    assert await mailbot.receive(asked) == "answered"
    [sent] = await mailbot.deliver()
    assert sent.message["In-Reply-To"] == "<m1@example.org>"
    assert sent.message["References"] == "<agenda@example.org> <m1@example.org>"


async def test_outlooks_at_mention_of_the_bot_by_its_name_speaks_to_it(mailbot):
    """Outlook's @mention writes the name picked ("@ISCG assistant", the name the bot's
    mail comes under) and puts the bot in To: on the list the question got no answer, and
    to the bot alone "I could not place that question"."""
    on_list = message(
        to=f"{LIST}, ISCG assistant <{BOT}>",
        body="Dear all,\r\n\r\n@ISCG assistant who coordinates AI?",
        headers="List-Id: <int-sect-group.lists.example.int>\r\n",
    )
    assert await mailbot.receive(on_list) == "answered"
    alone = message(
        to=f"ISCG assistant <{BOT}>",
        body=f"@ISCG assistant<mailto:{BOT}> /themes pilot",  # Outlook's plain text of the link
        message_id="<m2@example.org>",
    )
    assert await mailbot.receive(alone) == "answered"
    texts = [s.message.get_body(("plain",)).get_content() for s in await mailbot.deliver()]
    assert texts[0].startswith("Artificial Intelligence: who coordinates"), texts[0]
    assert texts[1].startswith('Themes matching "pilot"'), texts[1]


async def test_a_post_another_list_sent_under_its_own_address_is_never_answered_to_it(mailbot):
    """Another list the bot is copied through (TSAG's), rewriting From to its own address
    as lists do for DMARC, had the bot's answer "to the sender only" go to that list,
    every member of it; the author it names is answered, and with none nobody is."""
    other = "tsag@lists.example.int"
    post = (
        f"From: Jane Doe via TSAG <{other}>\r\nTo: {other}\r\nCc: {BOT}\r\n"
        "List-Id: TSAG <tsag.lists.example.int>\r\nSubject: Re: agenda\r\n"
    )
    body = "Content-Type: text/plain; charset=utf-8\r\n\r\n@iscg-bot who coordinates AI?\r\n"
    named = f"{post}Reply-To: jane@example.org\r\nMessage-ID: <t1@x>\r\n{body}".encode()
    assert await mailbot.receive(named) == "answered"
    unnamed = f"{post}Message-ID: <t2@x>\r\n{body}".encode()
    assert "its author is unknown" in await mailbot.receive(unnamed)
    by_list_post = f"From: TSAG <{other}>\r\nTo: {BOT}\r\nList-Post: <mailto:{other}>\r\n"
    raw = f"{by_list_post}Subject: help\r\nMessage-ID: <t3@x>\r\n{body}".encode()
    assert "its author is unknown" in await mailbot.receive(raw)
    assert [sent.rcpt_tos for sent in await mailbot.deliver()] == [["jane@example.org"]]


async def test_another_lists_post_reaching_the_bot_is_not_the_groups(mailbot, ask):
    """A TSAG post the bot's mailbox receives (its subscription, or a member's forward
    rule) had its ACTION line recorded as the ISCG's, its List-Id alone making it a list
    post; only our list's post is, by its address or, come through an alias, its List-Id."""
    tsag = message(
        sender="jane@example.org",
        to="tsag@lists.example.int",
        subject="TSAG drafting",
        body="ACTION: Jane Doe to send the TSAG draft",
        headers=f"List-Id: TSAG <tsag.lists.example.int>\r\nDelivered-To: {BOT}\r\n",
        message_id="<tsag1@x>",
    )
    assert await mailbot.receive(tsag) == "ignored: not addressed to the bot"
    ours = message(
        sender="li.wei@example.org",
        to="all-groups@example.int",
        subject="ISCG drafting",
        body="ACTION: Li Wei to send the ISCG draft",
        headers=f"List-Id: ISCG <int-sect-group.lists.example.int>\r\nDelivered-To: {BOT}\r\n",
        message_id="<iscg1@x>",
    )
    assert await mailbot.receive(ours) == "recorded"
    listed = (await ask("/actions open")).text
    assert "Li Wei to send the ISCG draft" in listed
    assert "TSAG draft" not in listed
    assert await mailbot.deliver() == []


def test_lines_spoken_to_the_bot_are_not_the_posts_own_lines():
    raw = message(to=LIST, body="@iscg-bot\r\n/themes\r\n@iscg-bot: help\r\nSee you Monday.")
    assert [line.text for line in parse(raw, OURS).own_lines] == ["See you Monday."]


async def test_a_command_with_or_without_the_slash_in_subject_or_body(mailbot):
    assert await mailbot.receive(message(subject="/themes pilot", body="")) == "answered"
    assert await mailbot.receive(
        message(subject="hi", body="themes pilot", message_id="<m2@x>")
    ) == ("answered")
    sent = await mailbot.deliver()
    assert [s.message.get_body(("plain",)).get_content().splitlines()[0] for s in sent] == [
        'Themes matching "pilot"',
        'Themes matching "pilot"',
    ]


async def test_a_body_opening_with_a_byte_order_mark_runs_its_command(mailbot):
    # Windows clients may open a UTF-8 body with U+FEFF; the first line was no command.
    raw = message(subject="question", body="\ufeff/themes pilot")
    assert await mailbot.receive(raw) == "answered"
    (sent,) = await mailbot.deliver()
    assert sent.message.get_body(("plain",)).get_content().startswith('Themes matching "pilot"')


async def test_a_command_typed_with_a_chinese_input_methods_slash_is_run(mailbot):
    """ "／actions mine" in the subject, "、meetings" in the body: the command got
    "I could not place that question"."""
    assert await mailbot.receive(message(subject="／actions mine", body="")) == "answered"
    other = message(subject="问题", body="您好，\r\n、meetings", message_id="<m2@x>")
    assert await mailbot.receive(other) == "answered"
    mine, meetings = [m.message.get_body(("plain",)).get_content() for m in await mailbot.deliver()]
    assert mine.startswith("Your open actions") and meetings.startswith("No meeting is scheduled")


async def test_direction_marks_of_arabic_mail_hide_no_greeting_command_or_action(mailbot, ask):
    """Outlook writing right to left opens lines with an invisible mark (U+200F): its
    greeting was read as the request (the list of commands came back), a thank-you
    under an answer was answered, and an ACTION line of a list post was lost."""
    asked = message(body="\u200fمرحبا،\r\n\u200f/actions mine")
    assert await mailbot.receive(asked) == "answered"
    [sent] = await mailbot.deliver()
    assert sent.message.get_body(("plain",)).get_content().startswith("Your open actions")
    thanks = message(
        sender="amina@example.cm",
        subject="RE: /actions mine",
        body="\u200fحسنا",
        headers="In-Reply-To: <answer@iscg.example>\r\n",
        message_id="<m2@x>",
    )
    assert await mailbot.receive(thanks) == "ignored: a reply asking nothing"
    post = message(
        to=LIST, body="\u200fACTION: Amina Diallo to send the Arabic summary", message_id="<m3@x>"
    )
    assert await mailbot.receive(post) == "recorded"
    assert "Amina Diallo to send the Arabic summary" in (await ask("/actions open")).text


async def test_machine_mail_and_loops_are_never_answered(mailbot):
    cases = {
        "Auto-Submitted: auto-generated\r\n": "Auto-Submitted",
        "Return-Path: <>\r\n": "empty Return-Path",
        "X-Auto-Response-Suppress: OOF\r\n": "X-Auto-Response-Suppress",
        f"X-Loop: {BOT}\r\n": "X-Loop",
    }
    for number, (header, why) in enumerate(cases.items()):
        outcome = await mailbot.receive(message(headers=header, message_id=f"<a{number}@x>"))
        assert why in outcome
    for number, sender in enumerate(
        (
            "postmaster@example.org",
            "Mail-Daemon@mx.example.net",
            "no-reply@helpdesk.example.org",
            "int-sect-group-bounces+x=y@lists.example.int",
            "int-sect-group-request@lists.example.int",
            "int-sect-group-owner@lists.example.int",
            "int-sect-group-confirm+3f2a9c@lists.example.int",  # Mailman 3: answering confirms
            "int-sect-group-leave@lists.example.int",
            "sympa@lists.example.int",
            "listmaster@lists.example.int",  # Sympa's notices
            # A helpdesk's receipt, tagged or named by its service, answering the bot's answer.
            "noreply+ticket-4711@helpdesk.example.org",
            "no-reply-notifications@example.org",
            "donotreply.calendar@example.org",
        )
    ):
        outcome = await mailbot.receive(message(sender=sender, message_id=f"<s{number}@x>"))
        assert outcome.startswith("ignored"), outcome
    assert "Auto-Submitted" not in await mailbot.receive(
        message(headers="Auto-Submitted: no\r\n", message_id="<no@x>")
    )
    assert len(await mailbot.deliver()) == 1  # only the "Auto-Submitted: no" one


async def test_auto_replies_marked_only_by_precedence_or_x_autoreply_are_never_answered(mailbot):
    """Vacation programs that write no Auto-Submitted mark their replies so (RFC 3834)."""
    cases = {
        "Precedence: auto_reply\r\n": "ignored: Precedence: auto_reply",
        "Precedence: Bulk\r\n": "ignored: Precedence: bulk",
        "Precedence: junk (spam)\r\n": "ignored: Precedence: junk",
        "Precedence: list\r\n": "ignored: Precedence: list",  # straight to the bot
        "X-Autoreply: yes\r\n": "ignored: X-Autoreply (an auto-reply)",
        "X-Autorespond: yes\r\n": "ignored: X-Autorespond (an auto-reply)",
    }
    for number, (header, outcome) in enumerate(cases.items()):
        raw = message(
            sender=f"away{number}@example.org",  # each within the hourly limit
            subject="Automatic reply: Re: who coordinates accessibility?",
            body="who coordinates accessibility?",
            headers=header,
            message_id=f"<away{number}@x>",
        )
        assert await mailbot.receive(raw) == outcome
    assert await mailbot.deliver() == []


async def test_out_of_office_answers_and_bounces_marked_only_by_their_subject_are_never_answered(
    mailbot,
):
    """Outlook rules and some servers send the out-of-office text with no header saying
    so, and spam filters their "message blocked" notice from an address of their own;
    the subject, as each writes it in its language, still does."""
    subjects = [
        "Automatic reply: Re: question",
        "Out of Office AutoReply: question",
        "Réponse automatique : Re: question",
        "Absence du bureau",
        "Respuesta automática: RE: question",
        "Автоматический ответ: RE: question",
        "自动回复: 回复: question",
        "رد تلقائي: question",
        "Automatische Antwort: AW: question",
    ]
    for number, subject in enumerate(subjects):
        raw = message(
            sender=f"away{number}@example.org",
            subject=subject,
            body="I am away until 30 November.\r\nwho coordinates accessibility?",
            message_id=f"<away{number}@x>",
        )
        assert await mailbot.receive(raw) == "ignored: an out-of-office subject (an auto-reply)"
    for number, subject in enumerate(
        [
            "Undeliverable: Re: question",
            "Mail delivery failed: returning message to sender",
            "Message you sent blocked by our bulk email filter",
            "No se puede entregar: Re: question",
            "Не доставлено: Re: question",
            "无法送达: Re: question",
        ]
    ):
        raw = message(
            sender=f"filter{number}@example.org",
            subject=subject,
            body="Your message could not be delivered.\r\n\r\nSubject: Re: question\r\n\r\nhelp",
            message_id=f"<bounce{number}@x>",
        )
        assert await mailbot.receive(raw) == "ignored: a delivery failure's subject (a bounce)"
    assert await mailbot.receive(
        message(subject="Automatic replies: who coordinates them?", message_id="<q@x>")
    ) == ("answered")
    forwarded = message(subject="Fwd: Undeliverable: Re: question", message_id="<fwd@x>")
    assert await mailbot.receive(forwarded) == "answered"  # a person asking about it
    assert len(await mailbot.deliver()) == 2


async def test_an_outlook_message_recall_gets_no_answer(mailbot, ask):
    """Outlook's "Recall This Message" sends the recipients a message of its own; the bot
    answered it with the list of commands (or ran the question it names)."""
    recalls = [
        (
            "Recall: who coordinates AI?",
            'Jane Doe would like to recall the message, "who coordinates AI?".',
        ),
        ("Rappel : Budget", "Jane Doe souhaite rappeler le message « Budget »."),
        ("Recuperar: Budget", 'Jane Doe desea recuperar el mensaje "Budget".'),
        ("撤回: 预算", "Jane Doe 想撤回邮件“预算”。"),
    ]
    for number, (subject, body) in enumerate(recalls):
        raw = message(subject=subject, body=body, message_id=f"<recall{number}@x>")
        assert await mailbot.receive(raw) == "ignored: an Outlook message recall"
    to_list = message(
        to=LIST,
        subject="Recall: Budget",
        body='Jane Doe would like to recall the message, "Budget".',
        message_id="<recall-list@x>",
    )
    assert await mailbot.receive(to_list) == "ignored: an Outlook message recall"
    assert await mailbot.deliver() == []
    # A reminder ("rappel") posted to the list is no recall: its action is recorded.
    reminder = message(
        to=LIST,
        subject="Rappel : réunion ISCG jeudi",
        body="ACTION: Jane Doe to send the agenda",
        message_id="<rappel@x>",
    )
    assert await mailbot.receive(reminder) == "recorded"
    assert "Jane Doe to send the agenda" in (await ask("/actions open")).text


async def test_a_list_post_speaking_to_the_bot_is_answered_whatever_precedence_the_list_gave(
    mailbot,
):
    """Mailman and Sympa mark every post `Precedence: list`, older list servers `bulk`."""
    for number, precedence in enumerate(("list", "bulk")):
        post = message(
            sender=f"member{number}@example.org",
            to=LIST,
            body="Hi all\n\n@iscg-bot /who-coordinates AI",
            headers=f"List-Id: <int-sect-group.lists.example.int>\r\nPrecedence: {precedence}\r\n",
            message_id=f"<post{number}@x>",
        )
        assert await mailbot.receive(post) == "answered"
    vacation = message(
        sender="away@example.org",
        to=LIST,
        body="@iscg-bot /who-coordinates AI",
        headers="List-Id: <int-sect-group.lists.example.int>\r\nPrecedence: auto_reply\r\n",
        message_id="<away@x>",
    )
    assert await mailbot.receive(vacation) == "ignored: Precedence: auto_reply"
    through_an_alias = message(
        sender="member2@example.org",
        to="all-groups@example.int",
        body="@iscg-bot /who-coordinates AI",
        headers="List-Id: ISCG <int-sect-group.lists.example.int>\r\nPrecedence: list\r\n",
        message_id="<alias@x>",
    )
    assert await mailbot.receive(through_an_alias) == "answered"
    for number, list_id in enumerate(
        ("<news.example.org>", "Old <old-int-sect-group.lists.example.int>")
    ):
        newsletter = message(
            sender="news@example.org",
            headers=f"List-Id: {list_id}\r\nPrecedence: bulk\r\n",
            message_id=f"<news{number}@x>",
        )
        assert await mailbot.receive(newsletter) == "ignored: Precedence: bulk"
    sent = await mailbot.deliver()
    assert [s.rcpt_tos for s in sent] == [
        ["member0@example.org"],
        ["member1@example.org"],
        ["member2@example.org"],
    ]
    for answer in sent:
        assert answer.message.get_body(("plain",)).get_content().startswith("Artificial")


async def test_auto_submitted_no_with_a_comment_is_a_person_writing(mailbot):
    # RFC 3834 allows comments around the keyword: only the keyword says who wrote it.
    nested = "(" * 5000 + "deep" + ")" * 5000  # comments nest: read in one pass
    for number, value in enumerate(
        ("no (typed by hand)", "(person) no", "no(x);x=y", nested + " no")
    ):
        raw = message(
            sender=f"person{number}@example.org",  # each within the hourly limit
            headers=f"Auto-Submitted: {value}\r\n",
            message_id=f"<no{number}@x>",
        )
        assert await mailbot.receive(raw) == "answered"
    machine = message(headers="Auto-Submitted: auto-replied (vacation)\r\n", message_id="<v@x>")
    assert await mailbot.receive(machine) == "ignored: Auto-Submitted: auto-replied"
    assert len(await mailbot.deliver()) == 4


async def test_x_loop_names_the_bot_in_any_of_its_headers_and_only_by_its_exact_address(mailbot):
    looped = {
        f"X-Loop: list@example.org\r\nX-Loop: {BOT.upper()}\r\n": "ignored: X-Loop names the bot",
        "X-Loop: other-" + BOT + "\r\n": "answered",
        f"X-Loop: {BOT}.example.org\r\n": "answered",
    }
    for number, (header, outcome) in enumerate(looped.items()):
        assert await mailbot.receive(message(headers=header, message_id=f"<l{number}@x>")) == (
            outcome
        )
    assert len(await mailbot.deliver()) == 2


async def test_mail_carrying_a_message_id_the_bot_made_is_ignored(mailbot):
    assert await mailbot.receive(message(message_id="<q1@example.org>")) == "answered"
    [sent] = await mailbot.deliver()
    echoed = sent.raw.replace(b"From: ISCG assistant <" + BOT.encode(), b"From: Someone <x@y.org")
    assert await mailbot.receive(echoed.replace(b"X-Loop", b"X-Old")) == (
        "ignored: the bot's own mail"
    )


async def test_list_post_is_answered_only_when_it_addresses_the_bot(mailbot):
    plain = message(to=LIST, body="who coordinates accessibility?", headers="List-Id: <l.x>\r\n")
    assert (await mailbot.receive(plain)).startswith("recorded")
    spoken = message(to=LIST, body="Hi all\n\n@iscg-bot /who-coordinates AI", message_id="<m3@x>")
    assert await mailbot.receive(spoken) == "answered"
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == ["member@example.org"]  # the sender only, not the list
    assert sent.message.get_body(("plain",)).get_content().startswith("Artificial Intelligence")


async def test_one_sender_is_answered_n_times_an_hour_then_told_once(mailbot, clock):
    outcomes = [await mailbot.receive(message(message_id=f"<r{n}@x>")) for n in range(6)]
    assert outcomes == ["answered"] * 3 + ["limited"] * 3  # the notice is not an answer
    sent = await mailbot.deliver()
    assert len(sent) == 4  # limit 3 in these tests, then one notice
    assert "3 answers from the ISCG assistant in the last hour" in (
        sent[-1].message.get_body(("plain",)).get_content()
    )
    clock.set(NOW + dt.timedelta(hours=1, minutes=1))
    assert await mailbot.receive(message(message_id="<later@x>")) == "answered"


async def test_the_limits_notice_names_only_the_chat_the_group_runs(mailbot, services):
    """A group on its list alone was told 'In chat (Slack, Discord) there is no such
    limit', a workspace it does not have; the notice names the platforms it runs."""
    for n in range(4):
        await mailbot.receive(message(message_id=f"<l{n}@x>"))
    notice = (await mailbot.deliver())[-1].message.get_body(("plain",)).get_content()
    assert "the most it sends to one address" in notice
    assert "Slack" not in notice and "Discord" not in notice, notice
    services.settings.slack_bot_token = "token"
    for n in range(4):
        await mailbot.receive(message(sender="other@example.org", message_id=f"<o{n}@x>"))
    notice = (await mailbot.deliver())[-1].message.get_body(("plain",)).get_content()
    assert "In chat (Slack) there is no such limit." in notice, notice


async def test_in_one_delivery_a_sender_is_answered_n_times_then_told_once(mailbot):
    """Answered inside one batch, each answer counts for the next question."""
    delivery = [message(message_id=f"<burst{n}@x>") for n in range(6)]
    outcomes = await mailbot.connector.receive_many([(raw, "imap") for raw in delivery])
    assert [getattr(o, "text", o) for o in outcomes] == ["answered"] * 3 + ["limited"] * 3
    sent = [s.message.get_body(("plain",)).get_content() for s in await mailbot.deliver()]
    assert len(sent) == 4  # limit 3 in these tests, then one notice
    assert "3 answers from the ISCG assistant in the last hour" in sent[-1]


async def test_a_steady_sender_gets_n_answers_and_one_notice_in_any_hour(mailbot, clock):
    """Every ten minutes for three hours: in each hour, the limit's three answers and
    one notice; an answer is due again as soon as the oldest leaves the hour."""
    heard = ""
    for number in range(18):
        clock.set(NOW + dt.timedelta(minutes=10 * number))
        await mailbot.receive(message(message_id=f"<steady{number}@x>"))
        sent = [s.message.get_body(("plain",)).get_content() for s in await mailbot.deliver()]
        heard += "".join("N" if "in the last hour" in text else "A" for text in sent) or "-"
    assert heard == "AAAN--" * 3


def auth_header(result: str = "dkim=pass header.d=example.org", server: str = AUTHSERV) -> str:
    return f"Authentication-Results: {server}; spf=pass smtp.mailfrom=example.org; {result}\r\n"


async def test_in_one_delivery_each_sender_is_held_to_their_own_answers(mailbot, ask):
    for n in range(3):
        assert await mailbot.receive(message(sender=CHAIR, message_id=f"<r{n}@x>")) == "answered"
    other = "other@example.org"
    delivery = [
        message(sender=other, to=LIST, body="Thanks, all.", message_id="<post@x>"),
        # The chair's fourth of the hour: not carried out, though authenticated.
        message(
            sender=CHAIR,
            subject="/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG",
            body="",
            headers=auth_header(),
            message_id="<r3@x>",
        ),
        message(sender=other, message_id="<o1@x>"),  # their first
    ]
    outcomes = await mailbot.connector.receive_many([(raw, "imap") for raw in delivery])
    assert [getattr(o, "text", o) for o in outcomes] == ["recorded", "limited", "answered"]
    sent = await mailbot.deliver()
    assert [s.rcpt_tos for s in sent] == [[CHAIR]] * 4 + [[other]]
    assert "Coordinator: none recorded" in (await ask("/who-coordinates accessibility")).text


async def test_a_chairs_command_signed_as_opendkim_reports_it_is_carried_out(mailbot, ask):
    """OpenDKIM writes "dkim=pass (2048-bit key; unprotected) header.d=...": the ";" in its
    comment cut the result before its domain, so a chair's signed command from a domain
    with no DMARC record was refused as carrying no passing DKIM or DMARC result."""
    opendkim = (
        f"Authentication-Results: {AUTHSERV};\r\n\tdkim=pass (2048-bit key; unprotected)"
        ' header.d=example.org header.i=@example.org header.b="AbCd1234";\r\n'
        "\tdmarc=none (p=none dis=none) header.from=example.org\r\n"
    )
    command = "/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG"
    raw = message(sender=CHAIR, subject=command, body="", headers=opendkim)
    assert await mailbot.receive(raw) == "answered"
    [done] = await mailbot.deliver()
    assert "Recorded Jane Doe" in done.message.get_body(("plain",)).get_content()
    assert "Jane Doe" in (await ask("/who-coordinates accessibility")).text


async def test_a_result_written_inside_a_quoted_sender_proves_nothing(mailbot, ask):
    """Our server copies the envelope sender into its header, quoted when its local part
    has spaces: a forger's "dkim=pass header.d=example.org x"@evil.example read as a
    passing DKIM result for the chair's domain, and the forged chair's command ran."""
    quoted = '"dkim=pass header.d=example.org x"@evil.example'
    headers = (
        f"Authentication-Results: {AUTHSERV}; spf=pass smtp.mailfrom={quoted};\r\n"
        "\tdkim=none; dmarc=fail header.from=example.org\r\n"
    )
    subject = "/set-coordinator accessibility | Mallory <mallory@evil.example> TSAG"
    forged = message(sender=CHAIR, subject=subject, body="", headers=headers)
    assert await mailbot.receive(forged) == "refused"
    assert "Mallory" not in (await ask("/who-coordinates accessibility")).text
    [sent] = await mailbot.deliver()
    assert "no passing DKIM or DMARC result" in sent.message.get_body(("plain",)).get_content()


async def test_a_result_written_into_the_envelope_sender_is_not_read_as_ours(mailbot, ask):
    """Our server copies the envelope sender into its own header: one written
    'dkim=pass.header.d=x@example.org' (no character needs quoting) or as an encoded word
    decoding to '; dkim=pass header.d=example.org;' read as a passing DKIM result for the
    chair's domain, and a forger's '/set-coordinator ...' ran as the chair's."""
    encoded = "=?utf-8?q?=3B_dkim=3Dpass_header.d=3Dexample.org=3B?=@evil.example"
    for number, envelope in enumerate(["dkim=pass.header.d=x@example.org", encoded]):
        header = (
            f"Authentication-Results: {AUTHSERV}; spf=fail smtp.mailfrom={envelope};\r\n"
            "\tdkim=none; dmarc=none header.from=example.org\r\n"
        )
        raw = message(
            sender=CHAIR,
            subject="/set-coordinator accessibility | Mallory <mallory@evil.example> TSAG",
            body="",
            headers=header,
            message_id=f"<envelope{number}@evil.example>",
        )
        assert await mailbot.receive(raw) == "refused"
    assert "Mallory" not in (await ask("/who-coordinates accessibility")).text
    for sent in await mailbot.deliver():
        text = sent.message.get_body(("plain",)).get_content()
        assert "no passing DKIM or DMARC result" in text


async def test_a_chairs_command_with_dkim_and_dmarc_in_separate_headers_is_carried_out(
    mailbot, ask
):
    """OpenDKIM and OpenDMARC each add a header of their own, with the same authserv-id,
    above the server's Received: only the topmost was read ("dmarc=none" for a domain
    with no DMARC record), and a chair's signed command was refused."""
    ours = (
        f"Authentication-Results: {AUTHSERV}; dmarc=none (p=none dis=none)"
        " header.from=example.org\r\n"
        f"Authentication-Results: {AUTHSERV};\r\n\tdkim=pass (2048-bit key; unprotected)"
        " header.d=example.org\r\n"
        f"Received: from mail.example.org by {AUTHSERV} (Postfix) with ESMTPS id 4Q\r\n"
    )
    command = "/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG"
    raw = message(sender=CHAIR, subject=command, body="", headers=ours)
    assert await mailbot.receive(raw) == "answered"
    [done] = await mailbot.deliver()
    assert "Recorded Jane Doe" in done.message.get_body(("plain",)).get_content()
    assert "Jane Doe" in (await ask("/who-coordinates accessibility")).text


async def test_state_changing_command_needs_a_chair_with_authenticated_mail(mailbot, services, ask):
    services.settings.mail_rate_limit = 50
    command = "/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG"
    forged = auth_header(server="evil.example")  # anyone can write this header
    cases = [
        (CHAIR, "", "no passing DKIM or DMARC"),
        (CHAIR, forged, "no passing DKIM or DMARC"),
        (CHAIR, auth_header("dkim=pass header.d=other.org"), "no passing DKIM or DMARC"),
        (CHAIR, auth_header("dkim=fail header.d=example.org"), "no passing DKIM or DMARC"),
        ("member@example.org", auth_header(), "not recorded as a chair"),
        # Chat lets the secretariat change things; mail trusts only chairs.
        ("sec@example.org", auth_header(), "not recorded as a chair"),
    ]
    async with services.db.transaction() as conn:
        secretariat = await people.ensure(conn, "email:sec@example.org", "Sec Retariat")
        await people.set_role(conn, secretariat.id, "secretariat")
    for number, (sender, header, _) in enumerate(cases):
        raw = message(
            sender=sender, subject=command, body="", headers=header, message_id=f"<c{number}@x>"
        )
        assert await mailbot.receive(raw) == "refused"
    sent = await mailbot.deliver()
    for (_, _, why), mail in zip(cases, sent, strict=True):
        text = mail.message.get_body(("plain",)).get_content()
        assert why in text and "Ask the secretariat (iscg@itu.int) to do it for you." in text
    ok = message(
        sender=CHAIR,
        subject=command,
        body="",
        headers=auth_header("dmarc=pass header.from=example.org"),
        message_id="<ok@x>",
    )
    assert await mailbot.receive(ok) == "answered"
    [done] = await mailbot.deliver()
    assert "Recorded Jane Doe" in done.message.get_body(("plain",)).get_content()
    in_chat = await ask(command, who="email:sec@example.org")
    assert not in_chat.error and "already recorded as coordinator" in in_chat.text


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("/set-coordinator\u200b accessibility | Eve <eve@evil.example> TSAG", ""),
        # Joiners between zero-width spaces: cleaned once they stood beside letters and
        # stayed, cleaned again (by the dispatcher) they went.
        ("/set-coordinator\u200b\u200d\u200b accessibility | Eve <eve@evil.example> TSAG", ""),
        # After the bot's name: a Chinese keyboard's slash, an ideographic space.
        ("hello", "@iscg-bot \uff0fset-coordinator accessibility | Eve <eve@evil.example> TSAG"),
        ("hello", "@iscg-bot\u3000/set-coordinator accessibility | Eve <eve@evil.example> TSAG"),
    ],
)
async def test_an_invisible_character_in_a_command_word_does_not_pass_for_no_command(
    mailbot, ask, subject, body
):
    # A hidden or foreign character around the command word hid the command from the
    # check for authenticated mail, and the dispatcher, which read it away, then ran
    # it: a forged From of the chair's recorded anyone as coordinator.
    forged = message(sender=CHAIR, to=BOT, subject=subject, body=body)
    assert await mailbot.receive(forged) == "refused"
    [refusal] = await mailbot.deliver()
    assert "no passing DKIM or DMARC" in refusal.message.get_body(("plain",)).get_content()
    assert "Coordinator: none recorded" in (await ask("/who-coordinates accessibility")).text


async def test_a_question_by_mail_that_starts_with_a_commands_name_is_answered(mailbot):
    """'subscribe to the calendar' (a phrasing of /calendar, answered in chat) was checked
    by mail as /subscribe, a change of one's settings, and refused for want of proof."""
    raw = message(subject="subscribe to the calendar", body="")
    assert await mailbot.receive(raw) == "answered"
    [sent] = await mailbot.deliver()
    text = sent.message.get_body(("plain",)).get_content()
    assert "Subscribe to the ISCG calendar" in text and "DKIM" not in text


async def test_by_mail_even_a_members_change_needs_a_chair_with_authenticated_mail(
    mailbot, services, ask
):
    """In chat any member may close an action item or set their zone; by mail, where
    anyone can write anyone's From, those are refused too, and nothing changes. Their
    own settings they may change with authenticated mail: nobody else's change."""
    services.settings.mail_rate_limit = 50
    services.settings.slack_bot_token = services.settings.discord_token = "token"
    await ask("/action chair to send the agenda")
    changes = ["/done A1", "/timezone Asia/Shanghai", "/meeting start Accessibility sync"]
    for number, command in enumerate(changes):
        forged = message(sender=CHAIR, subject=command, body="", message_id=f"<f{number}@x>")
        assert await mailbot.receive(forged) == "refused"
    member = message(subject="/done A1", body="", headers=auth_header())
    assert await mailbot.receive(member) == "refused"
    texts = [m.message.get_body(("plain",)).get_content() for m in await mailbot.deliver()]
    assert ["no passing DKIM or DMARC" in text for text in texts] == [True] * 3 + [False]
    assert "only when the mail is authenticated" in texts[1]  # anyone's, with proof
    assert "not recorded as a chair" in texts[3]
    assert "Do it in Slack or Discord instead: type /done there" in texts[3]
    assert (await ask("/actions done")).text == "Done actions: none."
    member_zone = (await ask("/timezone", who="email:member@example.org")).text
    assert "Asia/Shanghai" not in member_zone
    for number, own in enumerate(["/timezone Asia/Shanghai", "/subscribe weekly"]):
        proven = message(subject=own, body="", headers=auth_header(), message_id=f"<o{number}@x>")
        assert await mailbot.receive(proven) == "answered"
    assert "Asia/Shanghai" in (await ask("/timezone", who="email:member@example.org")).text
    question = message(subject="/actions mine", body="", message_id="<q@x>")
    assert await mailbot.receive(question) == "answered"  # asking needs no proof


async def test_a_question_typed_after_a_slash_is_answered_and_a_change_still_needs_proof(
    mailbot, ask
):
    """'/who coordinates AI' by mail answered "There is no command /who": the slash
    before a question word hid the question. Read as the question now, a change asked
    so ("/set my time zone to ...") is still refused without a passing DKIM or DMARC."""
    asked = message(subject="/who coordinates AI", body="", message_id="<slash1@x>")
    assert await mailbot.receive(asked) == "answered"
    forged = message(subject="/set my time zone to Asia/Shanghai", body="", message_id="<slash2@x>")
    assert await mailbot.receive(forged) == "refused"
    answer, refusal = (
        s.message.get_body(("plain",)).get_content() for s in await mailbot.deliver()
    )
    assert answer.startswith("Artificial Intelligence: who coordinates"), answer
    assert "/timezone changes what the assistant records" in refusal
    assert "no passing DKIM or DMARC" in refusal
    assert "Asia/Shanghai" not in (await ask("/timezone", who="email:member@example.org")).text
    assert (await ask("/who coordinates AI")).text.startswith("Artificial Intelligence")


@pytest.mark.parametrize(
    ("question", "theme"),
    [
        ("من ينسق إمكانية الوصول؟", "Accessibility"),
        ("من ينسق النفاذ؟", "Accessibility"),
        ("من ينسق التغير المناخي؟", "Climate change"),
        ("¿Quién coordina el clima?", "Climate change"),
        ("кто координирует климат?", "Climate change"),
    ],
)
async def test_a_pilot_theme_asked_by_its_name_in_a_un_language_is_answered(
    mailbot, ask, question, theme
):
    """ "إمكانية الوصول" (accessibility, as members write it beside the Union's "إمكانية
    النفاذ") got "I know no theme called ..." by mail and in chat."""
    assert await mailbot.receive(message(subject="question", body=question)) == "answered"
    [sent] = await mailbot.deliver()
    answer = sent.message.get_body(("plain",)).get_content()
    assert answer.startswith(f"{theme}: who coordinates"), answer
    assert "I know no theme" not in answer
    assert (await ask(question)).text.startswith(f"{theme}: who coordinates")


async def test_a_chairs_command_the_list_resent_as_its_own_is_refused_saying_why(mailbot, ask):
    """Refused as carrying "no passing DKIM or DMARC result", the chair, who signs every
    mail, could not see that the list had rewritten From and signed it as its own."""
    rewritten = message(
        sender=LIST,
        to=LIST,
        subject="Accessibility",
        body="@iscg-bot /set-coordinator accessibility | Jane Doe <jane@example.org> TSAG",
        headers=f"List-Id: <l.x>\r\nX-Original-From: Some One <{CHAIR}>\r\n"
        + auth_header("dmarc=pass header.from=lists.example.int"),
    ).replace(b"From: Some One", b"From: Some One via int-sect-group")
    assert await mailbot.receive(rewritten) == "refused"
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == [CHAIR]
    text = " ".join(sent.message.get_body(("plain",)).get_content().split())
    assert "the list resent this message under its own address" in text, text
    assert "no passing DKIM" not in text
    assert "Coordinator: none recorded" in (await ask("/who-coordinates accessibility")).text


async def test_a_chair_whose_command_the_list_resent_is_told_to_write_to_the_bot(mailbot):
    """Told the list's rewrite hid their signature, the chair was offered only chat or
    the secretariat: nothing said that the same command sent to the assistant's own
    address, not through the list, carries their signature and is carried out."""
    rewritten = message(
        sender=LIST,
        to=LIST,
        subject="Accessibility",
        body="@iscg-bot /set-coordinator accessibility | Jane Doe <jane@example.org> TSAG",
        headers=f"List-Id: <l.x>\r\nX-Original-From: Some One <{CHAIR}>\r\n",
    ).replace(b"From: Some One", b"From: Some One via int-sect-group")
    assert await mailbot.receive(rewritten) == "refused"
    [sent] = await mailbot.deliver()
    text = " ".join(sent.message.get_body(("plain",)).get_content().split())
    assert f"Send it to {BOT} itself, not through the list: your own signature" in text, text


async def test_a_via_name_on_any_other_address_never_borrows_its_reply_to(mailbot):
    """Only the list's own From is a DMARC rewrite: anyone can write "via" in a name."""
    impostor = message(
        sender="mallory@example.org",
        subject="/set-coordinator accessibility | Mallory <mallory@example.org> TSAG",
        body="",
        headers=f"Reply-To: {CHAIR}\r\nX-Original-From: {CHAIR}\r\n{auth_header()}",
    ).replace(b"Some One", b"Mallory via nothing")
    assert await mailbot.receive(impostor) == "refused"
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == ["mallory@example.org"]
    assert "not recorded as a chair" in sent.message.get_body(("plain",)).get_content()


async def test_an_author_named_by_a_list_header_has_no_proof_of_their_own(mailbot, ask):
    """A colleague at the chair's domain, whose own mail passes DKIM, wrote a List-Post
    naming their own address and the chair's in X-Original-From: read as a list's
    rewritten post, it ran the chair's /set-coordinator. A list's (or anyone's) proof
    is of its own From, never of the author another header names."""
    command = "/set-coordinator accessibility | Mallory <mallory@example.org> TSAG"
    for number, header in enumerate(["List-Post: <mailto:mallory@example.org>", ""]):
        impostor = message(
            sender="mallory@example.org",
            subject=command,
            body="",
            headers=f"{header}\r\nX-Original-From: {CHAIR}\r\n{auth_header()}".lstrip(),
            message_id=f"<forged{number}@x>",
        )
        assert await mailbot.receive(impostor) == "refused"
    assert "Mallory" not in (await ask("/who-coordinates accessibility")).text
    rewritten = message(  # our list's own rewrite: the chair, unproven
        sender=LIST,
        to=LIST,
        subject="coordinators",
        body=f"@iscg-bot {command}",
        headers=f"X-Original-From: {CHAIR}\r\n{auth_header('dkim=pass header.d=example.org')}",
        message_id="<rewritten@x>",
    ).replace(b"Some One", b"Chair via int-sect-group")
    assert await mailbot.receive(rewritten) == "refused"
    assert "Mallory" not in (await ask("/who-coordinates accessibility")).text
    for sent in await mailbot.deliver():
        text = sent.message.get_body(("plain",)).get_content()
        assert text.startswith("/set-coordinator changes what the assistant records"), text


async def test_past_the_limit_a_command_is_not_carried_out(mailbot, services, ask):
    """The limit stops the work, not only the answer: a change sent after the hour's
    answers is not made behind the sender's back (they get the notice instead)."""
    await ask("/action chair to send the agenda")
    for number in range(3):  # the hour's three answers (the limit in these tests)
        await mailbot.receive(message(sender=CHAIR, message_id=f"<h{number}@x>"))
    done = message(sender=CHAIR, subject="/done A1", body="", headers=auth_header())
    assert await mailbot.receive(done) == "limited"
    assert (await ask("/actions done")).text == "Done actions: none."
    last = (await mailbot.deliver())[-1].message.get_body(("plain",)).get_content()
    assert "3 answers from the ISCG assistant in the last hour" in last
    # Told so: the notice must not let them think the change was made.
    assert "it neither acts on nor answers your mail" in last


async def test_asking_ones_time_zone_by_mail_needs_no_proof(mailbot):
    """`/timezone` alone only shows the zone: a question, answered like any other."""
    for number, text in enumerate(["/timezone", "what is my time zone?"]):
        asked = message(subject=text, body="", message_id=f"<tz{number}@x>")
        assert await mailbot.receive(asked) == "answered"
    for sent in await mailbot.deliver():
        assert sent.message.get_body(("plain",)).get_content().startswith("Your time zone is")


def test_authentication_results_parsing():
    def mail(header: str, sender: str = "chair@mail.example.org"):
        return parse(message(sender=sender, headers=header), OURS)

    assert authenticated(mail(auth_header("dkim=pass header.d=example.org")), AUTHSERV)
    assert authenticated(
        mail(auth_header("dkim=pass (2048-bit) header.i=@mail.example.org")), AUTHSERV
    )
    assert not authenticated(mail(auth_header("dkim=pass header.d=evil.org")), AUTHSERV)
    assert not authenticated(mail(auth_header("dkim=pass header.d=example.org")), None)
    assert authenticated(
        mail(f"Authentication-Results: {AUTHSERV} 1; dmarc=pass header.from=mail.example.org\r\n"),
        AUTHSERV,
    )


async def test_a_forged_result_under_a_header_our_server_wrote_below_its_received_is_ignored(
    mailbot, ask
):
    """A server that writes its header under its own Received (Gmail's mx.google.com
    does) is followed by the sender's headers with no Received between: a forger's
    "dkim=pass" for the chair's domain there was read with the server's "dkim=none;
    dmarc=fail", and '/set-coordinator ...' ran as the chair's."""
    received = f"Received: from evil.example by {AUTHSERV} with ESMTPS id 4Q\r\n"
    unsigned = "dmarc=fail (p=reject) header.from=example.org"  # no "dkim=" at all
    no_policy = "dkim=none; dmarc=none header.from=example.org"
    for number, (ours, forged) in enumerate(
        [
            (no_policy, auth_header("dkim=pass header.d=example.org")),
            (no_policy, auth_header("dmarc=pass header.from=example.org")),
            (unsigned, auth_header("dkim=pass header.d=example.org") + received),  # theirs
        ]
    ):
        raw = message(
            sender=CHAIR,
            subject="/set-coordinator accessibility | Mallory <mallory@evil.example> TSAG",
            body="",
            headers=received + auth_header(ours) + forged,
            message_id=f"<forged{number}@evil.example>",
        )
        assert await mailbot.receive(raw) == "refused"
    assert "Mallory" not in (await ask("/who-coordinates accessibility")).text
    for sent in await mailbot.deliver():
        text = sent.message.get_body(("plain",)).get_content()
        assert "no passing DKIM or DMARC result" in text


def test_only_our_servers_authentication_results_above_its_received_count():
    """Our server adds its headers above the Received it writes; one with our id below
    that Received came with the mail: the sender wrote it."""
    received = f"Received: from mail.example.org by {AUTHSERV} (Postfix)\r\n"

    def mail(ours: list[str], came_with_it: list[str]):
        headers = "".join(auth_header(r) for r in ours) + received
        headers += "".join(auth_header(r) for r in came_with_it)
        return parse(message(sender=CHAIR, headers=headers), OURS)

    passing, failing = "dkim=pass header.d=example.org", "dkim=fail header.d=example.org"
    assert not authenticated(mail([failing], [passing]), AUTHSERV)
    assert not authenticated(mail(["dkim=none"], [passing]), AUTHSERV)
    assert authenticated(mail([passing], [failing]), AUTHSERV)
    assert authenticated(mail(["dmarc=none header.from=example.org", passing], []), AUTHSERV)
    assert authenticated(mail(["dkim=none", "dmarc=pass header.from=example.org"], []), AUTHSERV)
    relayed = auth_header("dkim=fail header.d=example.org", server="mx.relay.example")
    below = parse(message(sender=CHAIR, headers=relayed + auth_header(passing)), OURS)
    assert authenticated(below, AUTHSERV)  # another server's header is not ours: skipped
    # Received headers above ours (a later hop inside our network) end no block of ours.
    inside = parse(message(sender=CHAIR, headers=received + auth_header(passing)), OURS)
    assert authenticated(inside, AUTHSERV)


async def test_action_lines_of_a_list_post_become_action_items(mailbot, ask):
    outcome = await mailbot.receive("gmail_list_post_fr.eml")
    await mailbot.receive("qp_chinese_list.eml")
    await mailbot.receive("list_echo_own_post.eml")
    assert outcome == "recorded"
    listing = (await ask("/actions open")).text
    assert "circulate the revised réport by Friday" in listing
    assert "准备无障碍报告" in listing
    assert "quoted" not in listing and "echoed" not in listing
    mine = (await ask("/actions mine", who="email:pierre.martin@example.fr")).text
    assert "circulate the revised réport" in mine
    assert await mailbot.deliver() == []


async def test_an_action_line_ending_in_a_colon_above_a_quote_is_kept(mailbot, ask):
    """Not taken for the attribution line ("... wrote:") of the quote below it."""
    body = "ACTION: Jane to answer these points:\n> 1. budget\n> 2. venue\n"
    post = message(to=LIST, body=body, headers="List-Id: <l.x>\r\n")
    assert await mailbot.receive(post) == "recorded"
    listing = (await ask("/actions open")).text
    assert "Jane to answer these points" in listing and "budget" not in listing


async def test_numbered_action_lines_of_a_list_post_are_recorded(mailbot, ask):
    """A plain-text summary numbers its points: its actions were lost."""
    body = (
        "Outcomes of today's call:\n1. ACTION: Jane Doe to circulate the draft\n"
        "2) #action Li Wei to book the room\n(3) ACTION: Ana to check the budget\n"
        "4. Next call in January."
    )
    post = message(to=LIST, body=body, headers="List-Id: <l.x>\r\n")
    assert await mailbot.receive(post) == "recorded"
    listing = (await ask("/actions open")).text
    for text in ("circulate the draft", "book the room", "check the budget"):
        assert text in listing, listing
    assert "January" not in listing


async def test_action_lines_numbered_after_their_label_are_recorded(mailbot, ask):
    """Minutes number their actions after the label ('Action 1:', 'Action item 2:'):
    such lines were no actions, and every action of the post was lost."""
    body = (
        "Action 1: Jane Doe to circulate the draft\n"
        "Action item 2: Li Wei to book the room\n"
        "ACCIÓN n.º 3: Ana García enviará el documento\n"
        "ДЕЙСТВИЕ № 4: Иван подготовит проект\n"
        "行动项5：张伟 提交文件\n"
        "Action 6: none\n"
        "Action 2027: a plan for the year"  # a year, not a number of the minutes
    )
    post = message(to=LIST, body=body, headers="List-Id: <l.x>\r\n")
    assert await mailbot.receive(post) == "recorded"
    listing = (await ask("/actions open")).text
    for text in (
        "A1 Jane Doe to circulate the draft",
        "A2 Li Wei to book the room",
        "A3 Ana García enviará el documento",
        "A4 Иван подготовит проект",
        "A5 张伟 提交文件",
    ):
        assert text in listing, listing
    assert "A6" not in listing and "plan" not in listing


async def test_action_lines_in_the_members_languages_are_recorded(mailbot, ask):
    """Members label actions in their own language: only English ones were recorded."""
    body = (
        "Resumen de la llamada:\n"
        "ACCIÓN: Ana García enviará el documento\n"
        "- ACTION\u202f: Marie Dupont envoie le projet\n"  # French: a space before the colon
        "ДЕЙСТВИЕ: Иван подготовит проект\n"
        "行动项：张伟 提交文件\n"
        "\u200fإجراء: أحمد يرسل الوثيقة\n"
        "La acción: seguimos con el tema.\n"  # prose, not a label
        "Action point: Jane Doe to book the room\n"  # as English minutes label them too
        "Action items:\n"  # a heading, nothing to do
        "Accion pendiente del mes pasado: ninguna"
    )
    post = message(to=LIST, body=body, headers="List-Id: <l.x>\r\n")
    assert await mailbot.receive(post) == "recorded"
    listing = (await ask("/actions open")).text
    for text in (
        "A1 Ana García enviará el documento",
        "A2 Marie Dupont envoie le projet",
        "A3 Иван подготовит проект",
        "A4 张伟 提交文件",
        "A5 أحمد يرسل الوثيقة",
        "A6 Jane Doe to book the room",
    ):
        assert text in listing, listing
    assert "seguimos" not in listing and "ninguna" not in listing and "A7" not in listing


async def test_an_action_line_with_no_english_verb_is_owned_by_whom_it_opens_with(
    mailbot, ask, services
):
    """'إجراء: إرسال تعليقات Jane Doe على الوثيقة' (send Jane Doe's comments on the
    document) was Jane Doe's, a known name anywhere in the line taken for its owner;
    as in English ("X to do Y"), an action is owned by the names it opens with."""
    async with services.db.transaction() as conn:
        for name in ("Jane Doe", "أحمد علي", "Bob Smith"):
            await people.create(conn, name)
    body = (
        "إجراء: إرسال تعليقات Jane Doe على الوثيقة\n"
        "الإجراء: أحمد علي يرسل تعليقات Jane Doe\n"
        "إجراء: السيد أحمد علي و Jane Doe يراجعان الوثيقة\n"
        "إجراء: مراجعة الوثيقة من قبل أحمد علي\n"  # by: who does it
        "ПОРУЧЕНИЕ: Направить комментарии Bob Smith секретариату\n"
        "ACCIÓN: Revisar el informe Jane Doe y enviarlo\n"
        "ACTION: Send Jane Doe's comments on the document"
    )
    post = message(to=LIST, body=body, headers="List-Id: <l.x>\r\n")
    assert await mailbot.receive(post) == "recorded"
    listing = (await ask("/actions open")).text.splitlines()
    owners = [line.rsplit(" — ", 1)[1] for line in listing[1:]]
    assert owners == [
        "unassigned [open]",
        "أحمد علي [open]",
        "أحمد علي, Jane Doe [open]",
        "أحمد علي [open]",
        "unassigned [open]",
        "unassigned [open]",
        "unassigned [open]",
    ], listing


async def test_a_group_set_apart_after_a_name_says_who_the_person_is(mailbot, ask, services):
    """'ACTION: Jane Doe, TSB, to send the draft' (Jane of the TSB) was the TSB's too,
    in every Bureau member's list; two owners are 'Jane Doe and TSB to send'."""
    async with services.db.transaction() as conn:
        await people.create(conn, "Jane Doe")
    body = (
        "ACTION: Jane Doe, TSB, to send the draft\n"
        "ACTION: Jane Doe (the chair) to open the call\n"
        "ACTION: Jane Doe and TSB to send the figures\n"
        "ACTION: Jane Doe, TSB and BDT to check the tables"
    )
    post = message(to=LIST, body=body, headers="List-Id: <l.x>\r\n")
    assert await mailbot.receive(post) == "recorded"
    listing = (await ask("/actions open")).text.splitlines()
    owners = [line.rsplit(" — ", 1)[1] for line in listing[1:]]
    assert owners == [
        "Jane Doe [open]",
        "Jane Doe [open]",
        "Jane Doe, TSB [open]",
        "Jane Doe, TSB, BDT [open]",
    ], listing
    assert (await ask("/actions TSB")).text.startswith("Open actions of TSB (2)")


async def test_an_action_tag_with_a_colon_keeps_no_colon(mailbot, ask):
    """'#action: Li Wei to book the room' was recorded as ': Li Wei to book the room'."""
    post = message(to=LIST, body="#action: Li Wei to book the room", headers="List-Id: <l.x>\r\n")
    assert await mailbot.receive(post) == "recorded"
    assert "A1 Li Wei to book the room — " in (await ask("/actions open")).text


async def test_an_action_label_that_says_there_is_none_records_nothing(mailbot, ask):
    """Minutes write "Action items: none": it was recorded as an action "none", open and
    nobody's, in every member's digest until someone closed it."""
    body = (
        "Summary of the call:\n"
        "Action items: none from this call.\n"
        "ACTION: N/A\n"
        "Action points: No new actions\n"
        "ACCIÓN: ninguna por ahora\n"
        "ACTION : Aucune\n"
        "ДЕЙСТВИЕ: нет\n"
        "行动项：暂无\n"
        "إجراء: لا يوجد\n"
        "行动项：无障碍工作组提交报告\n"  # the accessibility group: an action
        "ACTION: Nonet tickets to be booked by Ana"
    )
    post = message(to=LIST, body=body, headers="List-Id: <l.x>\r\n")
    assert await mailbot.receive(post) == "recorded"
    listing = (await ask("/actions open")).text.splitlines()
    assert listing[0] == "Open actions (2):", listing
    assert listing[1].startswith("A1 无障碍工作组提交报告")
    assert listing[2].startswith("A2 Nonet tickets to be booked by Ana")


async def test_a_deadline_under_an_action_line_is_its_due_date(mailbot, ask):
    """Minutes mailed to the list give each action's deadline on the line under it: the
    actions were recorded with no due date."""
    body = (
        "Actions agreed:\n"
        "ACTION: Jane Doe to circulate the draft\n"
        "Deadline: 4 December\n"
        "ACTION: Li Wei to book the room\n"
        "Due date: 2026-12-10\n"
        "ACTION: Ana to check the budget\n"
        "\n"
        "Deadline: 1 December for all comments to the secretariat"  # a paragraph apart
    )
    post = message(to=LIST, body=body, headers="List-Id: <l.x>\r\n")
    assert await mailbot.receive(post) == "recorded"
    listing = (await ask("/actions open")).text.splitlines()
    assert listing[1].startswith("A1 Jane Doe to circulate the draft, Deadline: 4 December")
    assert listing[1].endswith(", due Fri 4 Dec 2026 [open]")
    assert listing[2].endswith(
        "book the room, Due date: 2026-12-10 — unassigned, due Thu 10 Dec 2026 [open]"
    )
    assert listing[3] == "A3 Ana to check the budget — unassigned [open]"


async def test_a_list_post_whose_author_is_unknown_is_read_but_never_answered(mailbot, ask):
    """The list rewrote From to itself and names no author: "the sender" is every member."""
    outcome = await mailbot.receive("dmarc_author_unknown.eml")
    assert outcome == (
        "recorded, not answered: its author is unknown "
        "(From is the list's address, no header names one person)"
    )
    assert await mailbot.deliver() == []
    assert "Bob to draft the climate note" in (await ask("/actions open")).text


def test_text_for_the_list_never_starts_with_a_command_word():
    assert starts_with_command_word("Help with the agenda")
    assert starts_with_command_word("\n\nwho: ISCG members")
    assert not starts_with_command_word("The agenda")
    assert list_safe("subscribe to the calendar") == "ISCG assistant: subscribe to the calendar"
    assert list_safe("Meeting on Tuesday") == "Meeting on Tuesday"


# Mailman 3's administrivia rule (mailman/rules/administrivia.py): a command word and
# as many words after it as the command takes, in the Subject or in one of the first
# ten lines (blank ones aside) of the first text/plain part, holds the post.
MAILMAN_COMMANDS = {
    "confirm": (1, 1),
    "help": (0, 0),
    "info": (0, 0),
    "lists": (0, 0),
    "options": (0, 0),
    "password": (2, 2),
    "remove": (0, 0),
    "set": (3, 3),
    "subscribe": (0, 3),
    "unsubscribe": (0, 1),
    "who": (0, 0),
}


def held_by_mailman(mail) -> str | None:  # type: ignore[no-untyped-def]
    """The line for which Mailman 3 would hold this post for its moderator, if any."""
    plain = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    lines = [str(mail["Subject"])]
    lines += [line.strip() for line in plain.get_content().splitlines() if line.strip()][:10]
    for line in lines:
        words = line.lower().split()
        if words and words[0] in MAILMAN_COMMANDS:
            least, most = MAILMAN_COMMANDS[words[0]]
            if least <= len(words) - 1 <= most:
                return line
    return None


async def test_no_line_mailman_reads_for_commands_holds_the_bots_list_mail(ask, mailbot):
    # "Set up call" made the announcement's second line "Set up call (m1)", and the
    # topic "Set up the agenda" a line of the minutes: "set" and three words, held.
    chair = f"email:{CHAIR}"
    schedule = "/schedule Set up call | 3 Dec 14:00 Geneva time | 60m | list"
    scheduled = await ask(schedule, who=chair)
    assert not scheduled.error, scheduled.text
    await ask("/meeting start Weekly call", who=chair)
    await ask("#topic Set up the agenda", who=chair)
    await ask("#info Subscribe to the calendar", who=chair)
    assert not (await ask("/meeting end", who=chair)).error
    sent = [received.message for received in await mailbot.deliver()]
    assert [mail["Subject"].split(":")[0] for mail in sent] == ["Invitation", "Minutes"]
    assert [held_by_mailman(mail) for mail in sent] == [None, None]
    plain = sent[0].get_body(("plain",)).get_content()
    assert "\nSet up call (m1)\r\n" in plain.replace(
        "\u2060", ""
    )  # reads as it did (a word joiner aside)


async def test_meeting_started_by_mail_takes_minutes_from_the_thread(mailbot, ask):
    start = message(
        sender=CHAIR,
        to=LIST,
        subject="Accessibility sync",
        body="@iscg-bot /meeting start Accessibility sync",
        headers="List-Id: <l.x>\r\n" + auth_header(),
        message_id="<start@x>",
    )
    assert await mailbot.receive(start) == "answered"
    reply = message(
        sender="li.wei@example.cn",
        to=LIST,
        subject="Re: Accessibility sync",
        body="#info the draft goes to TSAG\n\nOn Mon, Someone wrote:\n> #info quoted, not minuted",
        headers="List-Id: <l.x>\r\nIn-Reply-To: <start@x>\r\nReferences: <start@x>\r\n",
        message_id="<r1@x>",
    )
    assert await mailbot.receive(reply) == "recorded"
    authorless = (
        message(
            sender=LIST,
            to=LIST,
            subject="Re: Accessibility sync",
            body="#info budget agreed\n@iscg-bot /themes pilot",
            headers=f"Reply-To: {LIST}\r\nList-Id: <l.x>\r\nIn-Reply-To: <start@x>\r\n",
            message_id="<r2@x>",
        )
    ).replace(b"Some One", b"Jane via int-sect-group")
    assert (await mailbot.receive(authorless)).startswith("recorded, not answered: its author")
    assert len(await mailbot.deliver()) == 1  # the start only: never an answer to the list
    minutes = (await ask("/minutes Accessibility sync")).text
    assert "the draft goes to TSAG" in minutes and "budget agreed" in minutes
    assert "quoted, not minuted" not in minutes
    assert "@iscg-bot" not in minutes
    deadline = message(
        sender="li.wei@example.cn",
        to=LIST,
        subject="Re: Accessibility sync",
        body="ACTION: Li Wei to circulate the draft\nDeadline: 4 December\nThanks all",
        headers="List-Id: <l.x>\r\nIn-Reply-To: <start@x>\r\n",
        message_id="<r3@x>",
    )
    assert await mailbot.receive(deadline) == "recorded"
    log = (await ask("/minutes Accessibility sync")).text.split("\nLog\n")[1]
    assert "#action Li Wei to circulate the draft, Deadline: 4 December\n" in log, log
    assert log.count("Deadline: 4 December") == 1, log  # said once, with its action


async def test_a_listing_by_mail_is_headed_by_its_title_and_count(mailbot, ask):
    post = message(to=LIST, subject="plan", body="ACTION: Some One to circulate the draft")
    assert await mailbot.receive(post) == "recorded"
    question = message(subject="/actions mine", body="", message_id="<m2@example.org>")
    assert await mailbot.receive(question) == "answered"
    [sent] = await mailbot.deliver()
    html = sent.message.get_body(("html",)).get_content()
    assert "<h3>Your open actions (1)</h3>" in html and "(1):" not in html
    assert "<p>A1 Some One to circulate the draft" in html


async def test_a_reply_to_an_answer_never_runs_the_subject_it_answers_again(mailbot, ask):
    command = "/schedule Budget check | 3 Dec 14:00 Geneva time | 30m | fabio@example.org"
    first = message(sender=CHAIR, subject=command, body="", headers=auth_header())
    assert await mailbot.receive(first) == "answered"
    [scheduled] = [m for m in await mailbot.deliver() if m.message["To"] == CHAIR]
    thanks = message(
        sender=CHAIR,
        subject=f"Re: {command}",
        body=f"Thanks, perfect.\r\n\r\nOn Mon, Chair wrote:\r\n> {command}",
        headers=f"In-Reply-To: {scheduled.message['Message-ID']}\r\n{auth_header()}",
        message_id="<thanks@example.org>",
    )
    assert await mailbot.receive(thanks) == "ignored: a reply asking nothing"
    assert await mailbot.deliver() == []
    assert (await ask("/meetings")).text.count("Budget check") == 1  # not scheduled twice
    foxmail = message(  # Foxmail's reply: "回复：" and no In-Reply-To
        sender=CHAIR,
        subject=f"回复：{command}",
        body="谢谢！",
        headers=auth_header(),
        message_id="<xiexie@example.org>",
    )
    assert await mailbot.receive(foxmail) == "ignored: a reply asking nothing"
    assert (await ask("/meetings")).text.count("Budget check") == 1
    # A new question in a reply is answered, not the one in its subject.
    follow_up = message(
        subject="RE: who coordinates accessibility?",
        body="And who coordinates AI?",
        message_id="<ai@example.org>",
    )
    assert await mailbot.receive(follow_up) == "answered"
    [answer] = await mailbot.deliver()
    text = answer.message.get_body(("plain",)).get_content()
    assert text.startswith("Artificial Intelligence: who coordinates") and "Accessib" not in text


async def test_what_a_private_mail_asks_for_later_goes_to_its_sender_never_to_the_list(
    mailbot, clock
):
    """A meeting scheduled by mail to the bot alone: its reminders, and its move asked
    for in another thread, go to the chair, never to the list in a thread it never
    saw, which would show the command and the addresses in it to every member."""
    schedule = "/schedule Budget check | 3 Dec 14:00 Geneva time | 30m | fabio@example.org"
    for number, command in enumerate((schedule, "/reschedule m1 | 3 Dec 15:00 Geneva time")):
        raw = message(
            sender=CHAIR,
            subject=command,
            body="",
            headers=auth_header(),
            message_id=f"<p{number}@x>",
        )
        assert await mailbot.receive(raw) == "answered"
    clock.set(dt.datetime(2026, 12, 2, 14, 30, tzinfo=dt.UTC))  # the day before
    assert await JobRunner(mailbot.app.services).run_once() >= 1
    sent = await mailbot.deliver()
    assert sent and all(LIST not in mail.rcpt_tos for mail in sent)
    to_chair = [m.message["Subject"] for m in sent if m.rcpt_tos == [CHAIR]]
    assert [s for s in to_chair if not s.startswith("Re: /")] == [
        "Reminder: Budget check (m1) starts in about 24 hours."
    ]


class _Shown(HTMLParser):
    """The paragraphs (`p`) and preformatted blocks (`pre`) of HTML as a mail client
    shows them: in a paragraph a run of spaces is one and `<br>` breaks the line."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._open: str | None = None
        self._text = ""
        self.feed(html.replace("\r\n", "\n"))  # as a browser reads line ends

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "pre"):
            self._open, self._text = tag, ""
        elif tag == "br":
            self._text += "\n"

    def handle_data(self, data: str) -> None:
        self._text += data if self._open == "pre" else re.sub(r"\s+", " ", data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            shown = self._text if tag == "pre" else re.sub(r" *\n *", "\n", self._text)
            self.blocks.append((tag, shown.strip("\n") if tag == "pre" else shown.strip()))
            self._open = None


async def test_the_html_of_help_keeps_its_columns(mailbot):
    assert await mailbot.receive(message(subject="/help", body="")) == "answered"
    [sent] = await mailbot.deliver()
    plain = sent.message.get_body(("plain",)).get_content()
    columns = "\n".join(line for line in plain.splitlines() if line.startswith("  /"))
    assert "/who-coordinates  " in columns  # the plain text is laid out in columns
    blocks = _Shown(sent.message.get_body(("html",)).get_content()).blocks
    assert ("pre", columns) in blocks  # aligned as in the plain text
    assert ("p", "Commands:") in blocks
    assert ("p", plain.splitlines()[-1]) in blocks  # "Type /help <command> ..." is prose


def test_prose_with_two_spaces_after_a_sentence_stays_in_the_readers_font():
    text = "Noted.  The agenda follows.\nSee you Monday.\n\nA  single  gapped line."
    assert _Shown(reply_html(Reply(text=text))).blocks == [
        ("p", "Noted. The agenda follows.\nSee you Monday."),
        ("p", "A single gapped line."),
    ]


async def test_minutes_by_mail_are_plain_text_without_markdown_marks(mailbot, ask):
    await ask("/meeting start Help desk sync", who=CHAIR)
    await ask("#action Some One to send the slides", who=CHAIR)
    await ask("/meeting end", who=CHAIR)
    asked = message(subject="/minutes Help desk sync", body="", message_id="<min@x>")
    assert await mailbot.receive(asked) == "answered"
    [sent] = [m for m in await mailbot.deliver() if m.rcpt_tos == ["member@example.org"]]
    plain = sent.message.get_body(("plain",)).get_content()
    html = sent.message.get_body(("html",)).get_content()
    assert "* ACTION A1 Some One to send the slides -- unassigned" in plain
    for marks in ("**", "# Help", "## ", "```"):
        assert marks not in plain and marks not in html, marks


async def test_a_chair_picks_a_proposed_slot_in_a_new_mail(mailbot, services):
    """Mail to the bot alone is one conversation with its sender, whatever the thread:
    proposals asked for in one mail are taken in the next."""
    services.settings.mail_rate_limit = 50
    window = "/schedule Budget check | next week | 30m | fabio@example.org"
    asked = message(sender=CHAIR, subject=window, body="", headers=auth_header())
    assert await mailbot.receive(asked) == "answered"
    pick = message(
        sender=CHAIR,
        subject="/schedule pick 1",
        body="",
        headers=auth_header(),
        message_id="<pick@x>",
    )
    assert await mailbot.receive(pick) == "answered"
    sent = await mailbot.deliver()
    answers = [m.message.get_body(("plain",)).get_content() for m in sent if m.rcpt_tos == [CHAIR]]
    assert "Take one with /schedule pick <n>" in answers[0]
    assert answers[1].startswith("Scheduled m1: Budget check"), answers[1]


async def test_a_question_after_a_mails_greeting_is_answered(mailbot):
    body = "\r\n".join(
        [
            "Dear colleagues,",
            "I hope you are well.",
            "Thank you for your help.",
            "Who coordinates AI?",
        ]
    )
    assert await mailbot.receive(message(subject="A question", body=body)) == "answered"
    [sent] = await mailbot.deliver()
    text = sent.message.get_body(("plain",)).get_content()
    assert text.startswith("Artificial Intelligence: who coordinates")


async def test_a_question_typed_as_people_ask_it_is_answered_by_its_command(mailbot, ask):
    """ "When is the next ISCG meeting?" or "What are my action items?" got "I could not
    place that question" and the list of commands."""
    chair = f"email:{CHAIR}"
    await ask("/schedule Budget check | 3 Dec 14:00 Geneva time | 30m | list", who=chair)
    await ask("/sessions add TSAG 2027-01-19 to 2027-01-23 Geneva", who=chair)
    post = message(to=LIST, subject="plan", body="ACTION: Some One to circulate the draft")
    assert await mailbot.receive(post) == "recorded"
    await mailbot.deliver()
    questions = {
        "When is the next ISCG meeting?": "Budget check",
        "What are my action items?": "A1 Some One to circulate the draft",
        "When is the next TSAG meeting?": "TSAG, 19-23 January 2027, Geneva",
        "What commands are there?": "/who-coordinates",
    }
    for number, question in enumerate(questions):  # the second from the owner of A1
        body = f"Dear colleagues,\r\n\r\n{question}\r\n\r\nBest regards,\r\nSome One"
        sender = "member@example.org" if number == 1 else f"member{number}@example.org"
        asked = message(sender=sender, subject="Question", body=body, message_id=f"<q{number}@x>")
        assert await mailbot.receive(asked) == "answered"
    answers = [m.message.get_body(("plain",)).get_content() for m in await mailbot.deliver()]
    for answer, expected in zip(answers, questions.values(), strict=True):
        assert "I could not place" not in answer and expected in answer, answer


async def test_a_question_in_a_members_own_language_is_answered_by_its_command(mailbot, ask):
    """ "¿Cuándo es la próxima reunión?", "请问我的行动项有哪些？": asked in Spanish,
    French, Chinese or Arabic, each got "I could not place that question"; so did the
    same in Russian ("Когда следующее заседание?", "Какие у меня задачи?", "Помощь")."""
    await ask("/schedule Budget check | 3 Dec 14:00 Geneva time | 30m | list", who=f"email:{CHAIR}")
    await mailbot.deliver()
    questions = {
        "Estimados colegas:\r\n\r\n¿Cuándo es la próxima reunión?\r\n\r\nSaludos": "Budget check",
        "Bonjour,\r\n\r\nQuand a lieu la prochaine réunion ?\r\n\r\nCordialement": "Budget check",
        "您好！\r\n\r\n请问我的行动项有哪些？": "Your open actions",
        "السلام عليكم،\r\n\r\nمتى الاجتماع القادم؟": "Budget check",
        "Добрый день!\r\n\r\nКогда следующее заседание?\r\n\r\nС уважением": "Budget check",
        "Коллеги,\r\n\r\nКогда будет следующая встреча?": "Budget check",
        "Какие у меня задачи?": "Your open actions",
        "Помощь": "Commands:",
    }
    for number, body in enumerate(questions):
        asked = message(sender=f"m{number}@example.org", body=body, message_id=f"<l{number}@x>")
        assert await mailbot.receive(asked) == "answered"
    answers = [m.message.get_body(("plain",)).get_content() for m in await mailbot.deliver()]
    for answer, expected in zip(answers, questions.values(), strict=True):
        assert expected in answer, answer


async def test_a_meeting_is_never_started_in_mail_to_the_bot_alone(mailbot, ask):
    """No one else hears that conversation; a meeting there took the sender's every
    question for minutes, and held the database while it did."""
    start = message(
        sender=CHAIR, subject="/meeting start Budget sync", body="", headers=auth_header()
    )
    assert await mailbot.receive(start) == "refused"
    question = message(
        sender=CHAIR, subject="A question", body="who coordinates AI?", message_id="<q@x>"
    )
    assert await asyncio.wait_for(mailbot.receive(question), 30) == "answered"
    refusal, answer = [
        m.message.get_body(("plain",)).get_content() for m in await mailbot.deliver()
    ]
    assert refusal.startswith("Minutes are taken where the group speaks: a thread on the list.")
    assert "on a line of its own, after @iscg-bot." in refusal  # no chat in a list-only group
    assert answer.startswith("Artificial Intelligence: who coordinates")


async def test_a_reply_with_a_new_request_is_answered_and_one_that_only_thanks_is_not(mailbot):
    def reply(body: str, number: int) -> bytes:
        return message(
            subject="Re: who coordinates accessibility?",
            body=body,
            headers="In-Reply-To: <answer@iscg.example>\r\n",
            message_id=f"<re{number}@x>",
        )

    thanks = [
        "OK, noted. Many thanks",
        "Dear all\r\nWell received, thanks.",
        "Hello Jane\r\nThanks a lot",
        "Received with thanks.",
        "I am out of the office until 4 December",
    ]
    for number, body in enumerate(thanks, 10):
        assert await mailbot.receive(reply(body, number)) == "ignored: a reply asking nothing"
    request = reply("Could you tell me when the next meeting is held in Geneva", 2)
    assert await mailbot.receive(request) == "answered"  # not understood, but not dropped
    assert await mailbot.receive(reply("Hi who coordinates AI", 3)) == "answered"
    first, second = [m.message.get_body(("plain",)).get_content() for m in await mailbot.deliver()]
    assert first.startswith("I could not place that question")
    assert second.startswith("Artificial Intelligence: who coordinates")


async def test_mail_to_someone_else_with_the_bot_in_copy_is_answered_only_when_it_asks(mailbot):
    """The chair writes to Jane with the bot in Cc, and Jane answers to all: each got
    the list of commands back. A command or a question the bot knows is still answered."""

    def copied(body: str, number: int) -> bytes:
        return message(
            sender=f"person{number}@example.org",
            to="Jane Doe <jane@example.org>",
            subject="Budget follow-up",
            body=body,
            headers=f"Cc: {BOT}, pierre@example.fr\r\n",
            message_id=f"<cc{number}@x>",
        )

    asking_jane = "Dear Jane,\r\n\r\ncould you send me the revised figures before Friday?"
    outcome = await mailbot.receive(copied(asking_jane, 1))
    assert outcome == "ignored: the bot is only in copy, and nothing asks it"
    assert await mailbot.receive(copied("Dear all,\r\nwho coordinates AI?", 2)) == "answered"
    [answer] = await mailbot.deliver()
    assert answer.rcpt_tos == ["person2@example.org"]
    assert answer.message.get_body(("plain",)).get_content().startswith("Artificial Intelligence")
    headings = [
        "Next meeting",
        "ISCG meetings",
        "Las próximas reuniones",
        "Upcoming ISCG meetings",
        "Any upcoming meetings",
        "Aide",
        "Ayuda",
    ]
    for number, heading in enumerate(headings):
        noted = copied(f"{heading}\r\nJane, the agenda is attached.", 10 + number)
        outcome = await mailbot.receive(noted)  # a heading, no question
        assert outcome == "ignored: the bot is only in copy, and nothing asks it", heading
    command = copied("/who-coordinates AI\r\nJane, for your information.", 30)
    assert await mailbot.receive(command) == "answered"  # a slash says it is the bot's
    to_the_bot = message(body="could you send me the revised figures?", message_id="<to@x>")
    assert await mailbot.receive(to_the_bot) == "answered"  # not understood, but said to it


async def test_a_thank_you_under_a_greeting_in_any_members_language_gets_no_answer(mailbot):
    """Members open mail in their own language; a thank-you under the bot's answer got
    the whole list of commands back when the greeting was not English."""

    def reply(body: str, number: int) -> bytes:
        return message(
            sender=f"member{number}@example.org",
            subject="RE: who coordinates accessibility?",
            body=body,
            headers="In-Reply-To: <answer@iscg.example>\r\n",
            message_id=f"<thanks{number}@x>",
        )

    thanks = [
        "Bonjour,\r\n\r\nMerci beaucoup !\r\n\r\nMarie",
        "Chers collègues,\r\n\r\nBien reçu, merci.",
        "Hola:\r\n\r\nMuchas gracias.\r\n\r\nSaludos",
        "Estimados colegas,\r\nGracias por la información.",
        "Здравствуйте,\r\n\r\nБольшое спасибо!",
        "您好，\r\n\r\n非常感谢！",
        "السلام عليكم،\r\n\r\nشكرا جزيلا",
        "Hallo zusammen,\r\nVielen Dank!",
    ]
    for number, body in enumerate(thanks):
        assert await mailbot.receive(reply(body, number)) == "ignored: a reply asking nothing"
    asked = reply("Здравствуйте,\r\n\r\nwho coordinates AI?\r\n\r\nС уважением,", 99)
    assert await mailbot.receive(asked) == "answered"
    [sent] = await mailbot.deliver()
    text = sent.message.get_body(("plain",)).get_content()
    assert text.startswith("Artificial Intelligence: who coordinates")


async def test_an_ok_under_an_answer_in_any_members_language_gets_no_answer(mailbot):
    """ "收到" (received), "好的" (fine), "De acuerdo", "C'est noté", "حسنا": how members
    acknowledge an answer in their language; each got the list of commands back."""

    def reply(body: str, number: int) -> bytes:
        return message(
            sender=f"member{number}@example.org",
            subject="RE: /actions mine",
            body=body,
            headers="In-Reply-To: <answer@iscg.example>\r\n",
            message_id=f"<ok{number}@x>",
        )

    acknowledgements = [
        "收到",
        "收到！",
        "好的。",
        "明白了",
        "De acuerdo.",
        "Entendido, saludos",
        "Perfecto",
        "D'accord.",
        "C'est noté.",
        "Parfait !",
        "Entendu",
        "حسنا",
        "تم الاستلام",
        "Принято.",
    ]
    for number, body in enumerate(acknowledgements):
        assert await mailbot.receive(reply(body, number)) == "ignored: a reply asking nothing"
    asked = reply("Entendido.\r\nWho coordinates AI?", 99)
    assert await mailbot.receive(asked) == "answered"
    [sent] = await mailbot.deliver()
    assert sent.message.get_body(("plain",)).get_content().startswith("Artificial Intelligence")


async def test_a_thank_you_with_a_question_typed_in_a_chinese_or_arabic_keyboard_is_answered(
    mailbot,
):
    """ "谢谢！Where is the room for the ISCG meeting？": the question mark a Chinese input
    method types (or the Arabic "؟") was not seen, so the reply was taken for thanks and
    dropped; a question the bot cannot place still gets its list of commands."""
    for number, body in enumerate(
        ["谢谢！Where is the room for the ISCG meeting？", "شكرا، where is the room؟"]
    ):
        raw = message(
            sender=f"member{number}@example.org",
            subject="RE: /meetings",
            body=body,
            headers="In-Reply-To: <answer@iscg.example>\r\n",
            message_id=f"<asked{number}@x>",
        )
        assert await mailbot.receive(raw) == "answered"
    for sent in await mailbot.deliver():
        text = sent.message.get_body(("plain",)).get_content()
        assert text.startswith("I could not place that question")


async def test_an_organiser_invited_to_their_own_meeting_is_reminded_once(mailbot, clock):
    schedule = (
        "/schedule Budget check | 3 Dec 14:00 Geneva time | 30m | fabio@example.org, " + CHAIR
    )
    raw = message(sender=CHAIR, subject=schedule, body="", headers=auth_header())
    assert await mailbot.receive(raw) == "answered"
    await mailbot.deliver()
    clock.set(dt.datetime(2026, 12, 2, 14, 30, tzinfo=dt.UTC))  # the day before
    assert await JobRunner(mailbot.app.services).run_once() >= 1
    to_chair = [m for m in await mailbot.deliver() if m.rcpt_tos == [CHAIR]]
    assert len(to_chair) == 1, [m.message["Subject"] for m in to_chair]
