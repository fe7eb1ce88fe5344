"""Every message shape in the corpus: what parsing yields, and what the bot does with it."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from bot.mailparse import (
    _first_reply,
    _opens_quoted,
    _reply_patterns,
    header_matches,
    new_part,
    parse,
    reply_message,
)
from tests.mail.conftest import BOT, CORPUS, LIST, OURS, corpus
from tests.mail.test_batches import action_texts


def test_outlook_reply_keeps_only_the_new_text():
    mail = parse(corpus("outlook_reply_en.eml"), OURS)
    assert mail.reply_text == "who coordinates accessibility?"
    assert mail.topic == "question"
    assert mail.parent == "<aaa111@iscg.example>"


def test_gmail_french_reply_drops_quote_and_signature_but_keeps_hyphen_lines():
    mail = parse(corpus("gmail_list_post_fr.eml"), OURS)
    assert mail.subject == "Re: [ISCG] Préparation du rapport"
    assert mail.topic == "Préparation du rapport"
    assert "- point un de la liste\n- point deux" in mail.reply_text
    assert "Jane to do something quoted" not in mail.reply_text
    assert "Cordialement" not in mail.reply_text


def test_reply_parser_keeps_lines_starting_with_a_hyphen():
    text = "Agenda:\n- item one\n-item two\n- ACTION: Ana to draft\n\nOn Mon, Bob wrote:\n> old"
    assert new_part(text) == "Agenda:\n- item one\n-item two\n- ACTION: Ana to draft"


def test_an_answer_below_the_quote_is_the_senders_own_text():
    """Bottom-posting (Thunderbird, inline answers): the attribution opens the text,
    the sender's own lines follow the `>` lines."""
    text = "On 23/11/2026 09:40, Jane Doe wrote:\n> Who drafts?\n\nI will.\nACTION: Tom to draft"
    assert new_part(text) == "I will.\nACTION: Tom to draft"
    outlook = (
        "From: Jane Doe <jane@example.org>\nSent: Monday\nTo: list\nSubject: x\n\nACTION: hers"
    )
    assert new_part(outlook) == ""
    assert new_part(f"{outlook}\n\nOn Sunday, Bo wrote:\n> older") == ""  # its own quote


def test_an_action_line_is_never_taken_for_the_attribution_of_a_quote():
    for action in ("ACTION: Jane to answer these points:", "- #action Ana to list：\t"):
        assert new_part(f"{action}\n> 1. budget\n> 2. venue") == action.strip()
    assert new_part("Jane Doe wrote:\n> 1. budget") == ""


@pytest.mark.parametrize("name", sorted(path.name for path in CORPUS.glob("*.eml")))
def test_the_first_reply_is_the_one_the_parser_would_read(name):
    """The bot stops reading at the first reply; mail-parser-reply's `read` reads them all.

    Both must keep the same text: this fails if a new version of the library
    places replies differently. But for a text that opens with a header (a
    forward with nothing typed above it): `read` gives the quoted message,
    the bot nothing.
    """
    text = parse(corpus(name), OURS).text
    stacked = f"{text}\n\nOn Mon, 23 Nov 2026 at 09:00, Jane <j@x.org> wrote:\n> {text[:200]}"
    for body in (text, stacked, f"-----Original Message-----\n{text}"):
        first = next(header_matches(_reply_patterns()[0], body), None)
        reply = reply_message(body).read().replies[0]
        opens = first is not None and not body[: first.start()].strip()
        whole = opens and not _opens_quoted(reply.content.removeprefix(reply.headers))
        expected = "" if whole else reply.body  # nothing typed above a message quoted whole
        assert _first_reply(reply_message(body)) == expected


HEADERS_OF_EVERY_LANGUAGE = """Short answer.
> On Mon, 23 Nov 2026 at 09:00, Jane <j@x.org> wrote:
text
Le lun. 23 nov. 2026 à 09:00, Jean <j@x.fr> a écrit :
text
El lun, 23 nov 2026 a las 9:00, Ana (<a@x.es>) escribió:
text
2026年11月23日 09:00，李伟 <l@x.cn> 写道：
text
Am Mo., 23. Nov. 2026 um 09:00 Uhr schrieb Jan <j@x.de>:
text

From: Jane <j@x.org>
Sent: Monday, 23 November 2026 09:00

text

*De :* Jean <j@x.fr>
*Envoyé :* lundi 23 novembre 2026 09:00

text

De: Ana
Enviado: lunes

text

-----Mensaje original-----
De: Ana
Enviado el: lunes

text

------------------ 原始邮件 ------------------
发件人: 李伟

text

发件人: 李伟
发送时间: 2026年11月23日

text

Von: Jan
Gesendet: Montag

text
-----Original Message-----
end"""


def test_reply_headers_are_found_where_the_parser_would_find_them():
    """`header_matches` tries only line starts and ends: every alternative of the
    pattern must begin at one, and it must find exactly what `finditer` finds."""
    pattern = _reply_patterns()[0]
    depth, start, alternatives = 0, 0, []
    for position, char in enumerate(pattern.pattern):
        if pattern.pattern[position - 1 : position] == "\\":
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            alternatives.append(pattern.pattern[start:position])
            start = position + 1
    alternatives.append(pattern.pattern[start:])
    assert len(alternatives) > 10
    assert all(a.lstrip("(").startswith(("^", "?:(?:^|\\n")) for a in alternatives)
    texts = [parse(corpus(path.name), OURS).text for path in sorted(CORPUS.glob("*.eml"))]
    for text in [*texts, HEADERS_OF_EVERY_LANGUAGE, "", "\n\n", "no header at all"]:
        found = [(m.span(), m.groups()) for m in header_matches(pattern, text)]
        assert found == [(m.span(), m.groups()) for m in pattern.finditer(text)]
    assert len(list(header_matches(pattern, HEADERS_OF_EVERY_LANGUAGE))) >= 9


def test_apple_mail_spanish_quote_is_dropped():
    mail = parse(corpus("apple_list_mention_es.eml"), OURS)
    assert mail.sender_name == "José García"
    assert "@iscg-bot help" not in mail.reply_text
    assert "@iscg-bot who coordinates climate change?" in mail.reply_text


def test_html_only_mail_in_gb2312_becomes_text_with_quotes_marked():
    mail = parse(corpus("html_only.eml"), OURS)
    assert mail.subject == "会议"
    assert mail.text.splitlines()[0] == "/who-coordinates accessibility"
    assert "你好，世界" in mail.text
    assert "> ACTION: quoted in html" in mail.text
    assert "color:red" not in mail.text
    assert "ACTION" not in mail.reply_text


def test_base64_koi8r_body_and_encoded_words():
    mail = parse(corpus("base64_cyrillic.eml"), OURS)
    assert mail.sender_name == "Сергей Иванов"
    assert mail.subject == "Вопрос: who coordinates AI?"
    assert "Кто координирует тему искусственного интеллекта?" in mail.reply_text


def test_quoted_printable_chinese_with_unparsed_attribution():
    mail = parse(corpus("qp_chinese_list.eml"), OURS)
    assert mail.subject == "Re: 议程"
    assert mail.reply_text == "大家好，\n\n#action 王伟 准备无障碍报告"


def test_unknown_charsets_fall_back_instead_of_failing():
    mail = parse(corpus("unknown_charset.eml"), OURS)
    assert mail.sender_name == "René"
    assert mail.subject == "café help"
    assert "Merci, René – “café”" in mail.text  # windows-1252 punctuation


def test_attachment_is_listed_not_read_as_text():
    mail = parse(corpus("attachment_list_post.eml"), OURS)
    assert mail.attachments == ["rapport préliminaire.pdf"]
    assert "%PDF" not in mail.text


def test_a_forwarded_message_is_an_attachment_not_the_senders_text():
    mail = parse(corpus("forwarded_bounce_html.eml"), OURS)
    assert mail.text.startswith("/who-coordinates accessibility")
    assert "mail system" not in mail.text  # the bounce's own text, inside the forward
    assert mail.attachments == ["Undelivered Mail Returned to Sender.eml"]
    assert "multipart/report" not in mail.content_types


def test_dmarc_rewritten_from_is_the_person_not_the_list():
    mail = parse(corpus("dmarc_rewritten.eml"), OURS)
    assert mail.sender == "jane@example.org"
    assert mail.sender_name == "Jane Doe"


REWRITTEN = f'From: "Jane Doe via int-sect-group" <{LIST}>\r\nTo: {LIST}\r\n'
JANE = "Jane Doe <jane@example.org>"


@pytest.mark.parametrize(
    ("headers", "author"),
    [
        (f"X-Original-From: {JANE}\r\nReply-To: {LIST}\r\n", "jane@example.org"),
        (f"Reply-To: {LIST}, {JANE}\r\n", "jane@example.org"),
        # Mailman 3 points Reply-To at the list and puts the author in Cc.
        (f"Reply-To: {LIST}\r\nCc: {JANE}, {BOT}\r\n", "jane@example.org"),
        (f"Reply-To: {LIST}\r\nCc: jane@example.org, bob@example.org\r\n", LIST),
        (f"Reply-To: {BOT}\r\nX-Original-From: {LIST}\r\n", LIST),
    ],
)
def test_the_author_of_a_post_the_list_rewrote_is_never_the_list_or_the_bot(headers, author):
    mail = parse(f"{REWRITTEN}{headers}\r\nhello\r\n".encode(), OURS)
    assert mail.sender == author
    assert mail.sender_name == "Jane Doe"


def wrapped_post(body: str, note: bool) -> bytes:
    """A post as Mailman's DMARC "wrap message" sends it: From the list, the post whole
    inside (message/rfc822), after the list's note when it has one."""
    inner = (
        "From: Jane Doe <jane@example.org>\r\nTo: " + LIST + "\r\nSubject: Agenda\r\n"
        "Message-ID: <inner@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body
    )
    text = (
        "--b\r\nContent-Type: text/plain\r\n\r\nA message from Jane Doe, wrapped by the list.\r\n"
        if note
        else ""
    )
    return (
        f"From: Jane Doe via int-sect-group <{LIST}>\r\nTo: {LIST}\r\nReply-To: {LIST}\r\n"
        "Subject: Agenda\r\nMessage-ID: <outer@example.org>\r\nList-Id: <l.x>\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        f"{text}--b\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n"
        f"{inner}\r\n--b--\r\n"
    ).encode()


@pytest.mark.parametrize("note", [True, False])
async def test_a_post_the_list_wrapped_whole_is_read_as_its_authors(mailbot, services, note):
    post = parse(wrapped_post("ACTION: Jane Doe to send the agenda\r\n", note), OURS)
    assert (post.sender, post.sender_name) == ("jane@example.org", "Jane Doe")
    assert post.reply_text == "ACTION: Jane Doe to send the agenda"
    assert post.attachments == []
    assert (
        await mailbot.receive(wrapped_post("@iscg-bot who coordinates accessibility?", note))
        == "answered"
    )
    [answer] = await mailbot.deliver()
    assert answer.rcpt_tos == ["jane@example.org"]  # the author, not the list


def test_message_without_message_id_gets_a_stable_one():
    raw = b"From: a@example.org\r\nTo: " + BOT.encode() + b"\r\nSubject: help\r\n\r\nhelp\r\n"
    assert parse(raw, OURS).message_id == parse(raw, OURS).message_id
    assert parse(raw, OURS).message_id != parse(raw + b"x", OURS).message_id


# What the bot does with each message of the corpus, through the real SMTP path.

ANSWERED = {
    "outlook_reply_en.eml": "Accessibility: who coordinates",
    "apple_list_mention_es.eml": "Climate change: who coordinates",
    "html_only.eml": "Accessibility: who coordinates",
    "dmarc_rewritten.eml": "Climate change: who coordinates",
    "dmarc_reply_to_list.eml": "Climate change: who coordinates",
    "forwarded_bounce_html.eml": "Accessibility: who coordinates",  # a person forwarding
    "unknown_charset.eml": "Commands:",
    # "Кто координирует тему искусственного интеллекта?": the theme of AI, inflected.
    "base64_cyrillic.eml": "Artificial Intelligence: who coordinates",
}
SILENT = {
    "bounce_dsn.eml": "ignored: Auto-Submitted: auto-replied",
    "dmarc_author_unknown.eml": "recorded, not answered: its author is unknown",
    # Each of the next two is recognised by one rule alone: no Auto-Submitted,
    # no empty Return-Path (none at all, as an SMTP delivery has).
    "bounce_qmail_plain.eml": "ignored: automatic sender mailer-daemon@mx.example.net",
    # A spam filter's notice, sent from its own address with a sender (not <>).
    "bounce_spam_filter_fr.eml": "ignored: a delivery failure's subject (a bounce)",
    "read_receipt_outlook.eml": "ignored: multipart/report (a delivery report)",
    "out_of_office.eml": "ignored: Auto-Submitted: auto-replied",
    # A hosted mail server's vacation reply: no Auto-Submitted, only Precedence.
    "vacation_precedence_only.eml": "ignored: Precedence: auto_reply",
    # An Outlook rule's out-of-office answer, in French: no mark but its subject.
    "out_of_office_fr_outlook_rule.eml": "ignored: an out-of-office subject (an auto-reply)",
    "list_echo_own_post.eml": "ignored: the bot's own mail",
    "gmail_list_post_fr.eml": "recorded",
    "qp_chinese_list.eml": "recorded",
    "attachment_list_post.eml": "recorded",
    "outlook_list_reply_ru.eml": "recorded",
    "outlook_list_reply_ar.eml": "recorded",
}


@pytest.mark.parametrize(("name", "starts"), sorted(ANSWERED.items()))
async def test_corpus_messages_that_get_an_answer(mailbot, name, starts):
    mail = parse(corpus(name), OURS)
    outcome = await mailbot.receive(name)
    assert outcome == "answered"
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == [mail.sender]
    message = sent.message
    assert message["In-Reply-To"] == mail.message_id
    assert message["References"].split()[-1] == mail.message_id
    assert message["Subject"].startswith("Re: ")
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["X-Loop"] == BOT
    assert LIST not in message["To"]
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert plain.startswith(starts), plain
    assert "<" in html


@pytest.mark.parametrize(("name", "outcome"), sorted(SILENT.items()))
async def test_corpus_messages_that_get_no_answer(mailbot, name, outcome):
    assert (await mailbot.receive(name)).startswith(outcome)
    assert await mailbot.deliver() == []


@pytest.mark.parametrize(
    ("name", "action"),
    [
        ("outlook_list_reply_ru.eml", "Ivan Petrov to circulate the draft agenda in Russian"),
        ("outlook_list_reply_ar.eml", "Amina Diallo to send the Arabic summary"),
    ],
)
async def test_outlook_quotes_in_russian_and_arabic_are_not_read_again(
    mailbot, services, name, action
):
    """Outlook marks a quote only with a header block in the client's language: one the
    reply parser could not read would record the quoted ACTION line a second time."""
    assert await mailbot.receive(name) == "recorded"
    assert await action_texts(services) == [action]
    assert "С уважением" not in parse(corpus(name), OURS).reply_text  # nor the signature


@pytest.mark.parametrize(
    ("name", "action"),
    [
        ("html_meta_charset_zh.eml", "王伟 to circulate the 无障碍 checklist by Friday"),
        ("html_meta_charset_ru.eml", "Иван Петров подготовить проект повестки"),
    ],
)
async def test_html_whose_charset_only_its_meta_names_is_read_in_that_charset(
    mailbot, services, name, action
):
    """HTML-only mail from Word (`<meta http-equiv=... charset=gb2312>`) or a webmail
    (`<meta charset="windows-1251">`), its Content-Type naming no charset: its action
    was recorded as "ÍõÎ° to circulate the ÎÞÕÏ°­ checklist"."""
    assert await mailbot.receive(name) == "recorded"
    assert await action_texts(services) == [action]


def alternative(to: str, plain: str, html: str, message_id: str) -> bytes:
    """multipart/alternative as a client or a mail merge sends it, the plain part first."""
    return (
        f"From: Ana Lima <ana@example.br>\r\nTo: {to}\r\nSubject: Pergunta\r\n"
        f"Message-ID: {message_id}\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="alt"\r\n\r\n'
        f"--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{plain}\r\n"
        f"--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--alt--\r\n"
    ).encode()


async def test_a_blank_plain_part_beside_the_html_is_not_the_whole_message(mailbot, services):
    """A plain part holding only line breaks (or spaces) beside the HTML that has the
    content: the bot read nothing, answered the list of commands and lost the action."""
    question = alternative(BOT, "\r\n \r\n", "<div>Who coordinates AI?</div>", "<alt1@x>")
    assert await mailbot.receive(question) == "answered"
    [sent] = await mailbot.deliver()
    text = sent.message.get_body(("plain",)).get_content()
    assert text.startswith("Artificial Intelligence: who coordinates"), text
    post = alternative(LIST, "\u00a0", "<p>ACTION: Ana Lima to send the figures</p>", "<alt2@x>")
    assert await mailbot.receive(post) == "recorded"
    assert await action_texts(services) == ["Ana Lima to send the figures"]


async def test_a_long_action_line_wrapped_by_thunderbird_is_recorded_whole(mailbot, services):
    """Thunderbird sends plain text `format=flowed`, wrapped at 72 characters: the
    action lost its second half, with its due date, and that half was a line of
    its own in the minutes."""
    assert await mailbot.receive("thunderbird_flowed_action.eml") == "recorded"
    assert await action_texts(services) == [
        "Tomas Kazlauskas to circulate the revised mapping tables to the three advisory"
        " groups by 4 December"
    ]
    async with services.db.read() as conn:
        [(due,)] = await conn.execute_fetchall("SELECT due_date FROM actions")
    assert due == "2026-12-04"
    mail = parse(corpus("thunderbird_flowed_action.eml"), OURS)
    assert "I will take the first step:\nACTION:" in mail.reply_text
    assert "quoted, not recorded" not in mail.reply_text


async def test_a_forward_with_nothing_typed_adds_nothing_of_its_own(mailbot, services):
    """The secretariat forwards Jane's post to the list again from Outlook, typing
    nothing above it: her ACTION line is not recorded a second time (for her, as
    the forwarder's own), and her question to the bot is not answered again."""
    assert await mailbot.receive("outlook_forward_nothing_typed.eml") == "recorded"
    assert await action_texts(services) == []
    assert await mailbot.deliver() == []
    mail = parse(corpus("outlook_forward_nothing_typed.eml"), OURS)
    assert "ACTION: Jane Doe" in mail.text and mail.reply_text == ""


@pytest.mark.parametrize(
    "text",
    [
        # "in the coordination office (مكتب) meeting we agreed on the following:"
        "مرحبا بالجميع\nفي اجتماع مكتب التنسيق اتفقنا على ما يلي:\nACTION: Ahmed to send it",
        "Коллеги,\nпредседатель написал:\nACTION: Ivan to send it",  # "the chairman wrote:"
    ],
)
def test_a_sentence_ending_in_a_colon_is_not_taken_for_a_quote_header(text):
    """A quote's header names the quoted mail's time; a sentence of one's own does not."""
    assert new_part(text).endswith("to send it")


@pytest.mark.parametrize(
    "header",
    [
        "23.11.2026 09:00, Jane Doe пишет:",
        "пн, 23 нояб. 2026 г. в 09:00, Jane Doe <jane@example.org>:",
        "في الاثنين، 23 نوفمبر 2026 في 9:00 ص كتب Jane Doe <jane@example.org>:",
    ],
)
def test_russian_and_arabic_quote_headers_end_the_new_text(header):
    text = f"Agreed.\n\n{header}\nolder text\nACTION: quoted, not recorded\n"
    assert new_part(text) == "Agreed."


async def test_a_redelivered_message_is_handled_once(mailbot):
    assert await mailbot.receive("outlook_reply_en.eml") == "answered"
    assert await mailbot.receive("outlook_reply_en.eml") == "duplicate"
    assert len(await mailbot.deliver()) == 1


@pytest.mark.parametrize(
    ("name", "email", "partstat", "cn"),
    [
        ("calendar_reply_outlook.eml", "amina.diallo@example.cm", "ACCEPTED", "Amina Diallo"),
        (
            "calendar_reply_gmail_decline.eml",
            "pierre.martin@example.fr",
            "DECLINED",
            "Pierre Martin",
        ),
        ("calendar_reply_apple_tentative.eml", "li.wei@example.cn", "TENTATIVE", "Li Wei"),
    ],
)
async def test_calendar_replies_are_read_and_never_answered(mailbot, name, email, partstat, cn):
    from bot.mailcalendar import Answer, replies

    mail = parse(corpus(name), OURS)
    [event] = Calendar.from_ical(mail.calendar).walk("VEVENT")
    stamp, organizer = event.decoded("DTSTAMP"), BOT if "ORGANIZER" in event else None
    expected = Answer(
        "meeting-42@iscg.example", email, partstat, 0, name=cn, stamp=stamp, organizer=organizer
    )
    assert replies(mail.calendar) == [expected]
    outcome = await mailbot.receive(name)
    assert outcome.startswith(f"calendar answer: {email} {partstat.lower()}")
    assert await mailbot.deliver() == []


def _counter_in_custom_zone(offset: str, attendee: str) -> str:
    """An Outlook COUNTER whose zone Windows could not name: its own VTIMEZONE, called
    "Customized Time Zone" whatever its offset, as Outlook writes it."""
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:Microsoft Exchange Server 2010",
            "METHOD:COUNTER",
            "BEGIN:VTIMEZONE",
            "TZID:Customized Time Zone",
            "BEGIN:STANDARD",
            "DTSTART:16010101T000000",
            f"TZOFFSETFROM:{offset}",
            f"TZOFFSETTO:{offset}",
            "END:STANDARD",
            "END:VTIMEZONE",
            "BEGIN:VEVENT",
            "UID:meeting-42@iscg.example",
            "DTSTAMP:20261125T090000Z",
            'DTSTART;TZID="Customized Time Zone":20261203T140000',
            'DTEND;TZID="Customized Time Zone":20261203T150000',
            f"ATTENDEE;PARTSTAT=TENTATIVE:mailto:{attendee}",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )


def test_each_calendar_is_read_in_its_own_zones_not_an_earlier_senders():
    """icalendar keeps the first VTIMEZONE it meets for a name, for the whole process:
    Li's proposal of 14:00 at UTC+8 made Pierre's 14:00 at UTC-5, sent later under the
    same name, read as 06:00 UTC instead of 19:00 UTC, and the chair was offered it."""
    from bot.mailcalendar import replies

    [li] = replies(_counter_in_custom_zone("+0800", "li.wei@example.cn"))
    [pierre] = replies(_counter_in_custom_zone("-0500", "pierre.martin@example.fr"))
    assert li.proposed == dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC)
    assert pierre.proposed == dt.datetime(2026, 12, 3, 19, 0, tzinfo=dt.UTC)
    assert pierre.proposed_end == dt.datetime(2026, 12, 3, 20, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("method", ["REFRESH", "REQUEST", "CANCEL"])
async def test_a_calendar_message_is_not_answered_with_the_help(mailbot, method):
    """A calendar asking for the latest version (REFRESH), someone's Teams meeting with
    the bot among its invitees (REQUEST, then CANCEL): a calendar program's mail, not
    questions to the bot."""
    raw = corpus("calendar_counter_outlook.eml").replace(b"COUNTER", method.encode())
    if method in ("REQUEST", "CANCEL"):  # Pierre's own meeting
        raw = raw.replace(b"ORGANIZER:mailto:iscg-bot", b"ORGANIZER:mailto:pierre.martin")
    outcome = await mailbot.receive(raw)
    if method == "REFRESH":  # for a meeting the bot does not know: nothing to send
        expected = "calendar answer: pierre.martin@example.fr asks for the latest version"
        assert outcome == f"{expected} (not recorded)"
    else:
        assert outcome == f"ignored: a calendar program's {method}, which the bot does not take"
    assert await mailbot.deliver() == []


async def test_a_time_proposed_for_no_meeting_of_ours_is_answered_briefly(mailbot):
    """Outlook's and Gmail's "Propose new time" (METHOD:COUNTER) for a meeting of the bot's
    it does not know: taken as a calendar answer, not recorded, and no help sent back;
    the sender is told in a line that it was not passed on, as a stranger is."""
    outcome = await mailbot.receive("calendar_counter_outlook.eml")
    assert outcome == (
        "calendar answer: pierre.martin@example.fr proposes Tue 1 Dec 2026 14:00 UTC (not recorded)"
    )
    [answer] = await mailbot.deliver()
    text = answer.message.get_body(("plain",)).get_content()
    assert text.startswith("The new time your calendar proposed was not passed on"), text
    assert "/help" not in text
    other = corpus("calendar_counter_outlook.eml").replace(
        b"ORGANIZER:mailto:iscg-bot", b"ORGANIZER:mailto:pierre.martin"
    )
    assert (await mailbot.receive(other.replace(b"0001@", b"0002@"))).endswith("(not recorded)")
    assert await mailbot.deliver() == []  # another organiser's meeting: not the bot's to answer


async def test_its_own_invitation_forwarded_with_a_command_is_read(mailbot):
    """A chair forwards the bot's own invitation (ORGANIZER the bot) with a line typed
    above it: the line is read, not dropped as a calendar program's mail."""
    raw = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"COUNTER", b"REQUEST")
        .replace(b"Could we meet an hour later?", b"/help meetings")
    )
    assert f"ORGANIZER:mailto:{BOT}".encode() in raw
    assert await mailbot.receive(raw) == "answered"


async def test_an_answer_sent_by_a_calendar_server_is_recorded_and_not_answered(mailbot):
    """iCloud and Nextcloud send an attendee's answer from their own no-reply address,
    some marked Auto-Submitted: the answer is still the attendee's, and nothing goes back."""
    raw = corpus("calendar_reply_apple_tentative.eml").replace(
        b"From: Li Wei <li.wei@example.cn>",
        b"From: Li Wei <noreply@email.apple.com>\r\nReply-To: li.wei@example.cn\r\n"
        b"Auto-Submitted: auto-generated",
    )
    outcome = await mailbot.receive(raw)
    assert outcome.startswith("calendar answer: li.wei@example.cn tentative"), outcome
    assert await mailbot.deliver() == []


@pytest.mark.parametrize("to", [LIST, f"{LIST}, {BOT}"])
async def test_a_members_own_invitation_to_the_list_has_its_action_lines_recorded(
    mailbot, services, to
):
    """Pierre's own Outlook invitation (ORGANIZER Pierre) posted to the list, the bot
    perhaps among its invitees: not answered, and not an answer to a meeting of ours,
    but the action lines typed in its body are the post's, recorded as any post's."""
    raw = (
        corpus("calendar_counter_outlook.eml")
        .replace(b"COUNTER", b"REQUEST")
        .replace(b"ORGANIZER:mailto:iscg-bot", b"ORGANIZER:mailto:pierre.martin")
        .replace(b"To: iscg-bot@iscg.example", f"To: {to}".encode())
        .replace(
            b"Could we meet an hour later?",
            b"Agenda attached.\r\nACTION: Pierre to circulate the draft\r\n"
            b"#action Amina to book the room",
        )
    )
    outcome = await mailbot.receive(raw)
    assert outcome == "recorded, not answered: a calendar program's REQUEST"
    assert await action_texts(services) == [
        "Pierre to circulate the draft",
        "Amina to book the room",
    ]
    assert await mailbot.deliver() == []


@pytest.mark.parametrize(
    "block",
    [
        # Alibaba Mail and Sina write the fields with a full-width colon, "主　题" spaced.
        "发件人：李伟 <li.wei@example.cn>\r\n发送时间：2026年11月23日(星期一) 09:00\r\n"
        f"收件人：ISCG <{LIST}>\r\n主\u3000题：议程\r\n",
        # Outlook in the traditional-script regional variant.
        "寄件者: 李偉 <li.wei@example.cn>\r\n寄件日期: 2026年11月23日 上午 09:00\r\n"
        f"收件者: {LIST}\r\n主旨: 議程\r\n",
        # Outlook for Mac and Apple Mail name the date "日期".
        "发件人: 李伟 <li.wei@example.cn>\r\n日期: 2026年11月23日 星期一 09:00\r\n"
        f"收件人: {LIST}\r\n主题: 议程\r\n",
    ],
)
async def test_a_chinese_clients_quote_header_ends_the_new_text(mailbot, services, block):
    """Below these headers the quoted post was read as the sender's own: its ACTION line
    was recorded a second time, and the header lines went to the minutes."""
    raw = (
        f"From: Wang Wei <wang.wei@example.cn>\r\nTo: {LIST}\r\nSubject: 回复: 议程\r\n"
        "Message-ID: <zh-quote@example.cn>\r\nIn-Reply-To: <agenda@example.cn>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"ACTION: 王伟 to send the checklist\r\n\r\n{block}\r\n"
        "ACTION: 李伟 to circulate the agenda\r\n"
    ).encode()
    assert [line.text for line in parse(raw, OURS).own_lines] == [
        "ACTION: 王伟 to send the checklist"
    ]
    assert await mailbot.receive(raw) == "recorded"
    assert await action_texts(services) == ["王伟 to send the checklist"]


async def test_an_action_label_gmail_set_in_bold_is_read_as_the_label(mailbot, services):
    """Gmail writes bold as *...* in a message's plain text: '*ACTION:* Jane Doe to send
    the draft' was recorded as '* Jane Doe to send the draft', and the bold heading
    '*Action items:*' as an action '*'."""
    raw = (
        f"From: Jane Doe <jane@example.org>\r\nTo: {LIST}\r\nSubject: notes\r\n"
        "Message-ID: <bold@example.org>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
        "*Action items:*\r\n*ACTION:* Jane Doe to send the draft\r\n"
        "**#action** Li Wei to book the room\r\n"
        "--b\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n"
        "<div><b>Action items:</b><br><b>ACTION:</b> Jane Doe to send the draft<br>"
        "<b>#action</b> Li Wei to book the room</div>\r\n--b--\r\n"
    ).encode()
    assert await mailbot.receive(raw) == "recorded"
    assert await action_texts(services) == [
        "Jane Doe to send the draft",
        "Li Wei to book the room",
    ]


def test_a_thank_you_opening_a_post_is_no_signature():
    """A closing ends the sender's text; 'Many thanks!' opening a post is not one, and
    the action line under it is the sender's."""
    text = "Dear all,\nMany thanks!\nACTION: Jane to send the draft\n\nBest wishes,\nLi"
    assert new_part(text) == "Dear all,\nMany thanks!\nACTION: Jane to send the draft"
