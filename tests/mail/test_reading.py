"""Reading any bytes a mailbox may hold: 8-bit headers, broken charsets, a worker process.

A message the bot cannot read must never stop a mailbox: it is recorded and
ignored, not fetched again and again.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import random
import signal
import sys
from concurrent.futures import Future, ProcessPoolExecutor

from bot import mailparse, mailreader
from bot.mailflow import MailFlow
from bot.mailparse import parse
from bot.mailreader import CHUNK, FIRST_CHUNK, MailReader
from storage import people
from tests.mail.conftest import BOT, CORPUS, LIST, OURS
from tests.mail.test_batches import ROOT, action_texts, post, question, texts


def raw_utf8_post() -> bytes:
    """A list post whose headers are raw UTF-8, as RFC 6532 allows (no encoded words)."""
    return (
        f"From: José García <jose@example.es>\r\nTo: {LIST}\r\n"
        "Subject: Réunion café 会议\r\nMessage-ID: <utf8-post@example.es>\r\n"
        "List-Id: <int-sect-group.lists.example.int>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Hola,\r\nACTION: José to send the notes\r\n"
    ).encode()


def test_raw_utf8_and_legacy_8bit_headers_are_decoded():
    mail = parse(raw_utf8_post(), OURS)
    assert mail.subject == "Réunion café 会议" and mail.sender_name == "José García"
    legacy = "From: Jose <jose@example.es>\r\nSubject: R\xe9union\r\n\r\nHola\r\n"
    assert parse(legacy.encode("latin-1"), OURS).subject == "Réunion"  # windows-1252, not UTF-8
    mixed = "Subject: Réunion =?utf-8?q?caf=C3=A9?= 会议\r\n\r\n"
    assert parse(mixed.encode(), OURS).subject == "Réunion café 会议"


def test_charset_names_no_codec_has_fall_back():
    raw = (
        b"From: =?\xe8oi8-r?b?88XS?= <sergey@example.ru>\r\nSubject: =?utf\x00-8?q?caf=C3=A9?=\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b'Content-Type: text/plain; charset="utf\x00-8"\r\n\r\nBonjour caf\xc3\xa9\r\n--b\r\n'
        b"Content-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*=UT\xd9-8''rapport%20pr%C3%A9liminaire.pdf\r\n"
        b"\r\nJVBERi0=\r\n--b--\r\n"
    )
    mail = parse(raw, OURS)
    assert mail.unreadable is None
    assert mail.sender == "sergey@example.ru" and mail.subject == "café"
    assert mail.text == "Bonjour café" and mail.attachments == ["application/pdf"]


def _text_of(body: bytes, charset: str) -> str:
    raw = (
        f"From: A <a@example.org>\r\nSubject: =?{charset}?b?"
        + base64.b64encode(body).decode()
        + f"?=\r\nContent-Type: text/plain; charset={charset}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + body
    mail = parse(raw, OURS)
    assert mail.subject == mail.text, (mail.subject, mail.text)
    return mail.text


def test_charset_labels_are_read_as_the_clients_that_write_them_mean():
    """Chinese clients label GBK "gb2312" (朱镕基 is not in GB2312), a client left at
    its Western default labels UTF-8 "iso-8859-1", old ones label windows-1252 so too:
    each came out as mojibake ("éF»ù", "AmÃ©lie") or control characters."""
    assert _text_of("#action 朱镕基 准备报告".encode("gbk"), "gb2312") == "#action 朱镕基 准备报告"
    assert _text_of("Amélie à préparer".encode(), "iso-8859-1") == "Amélie à préparer"
    assert _text_of("Amélie’s draft".encode("cp1252"), "iso-8859-1") == "Amélie’s draft"
    assert _text_of("Amélie".encode("latin-1"), "iso-8859-1") == "Amélie"  # as labelled
    assert _text_of("香港特區".encode("big5hkscs"), "big5") == "香港特區"


def test_damaged_copies_of_every_corpus_message_are_all_read():
    """Bytes flipped, cut and inserted (encoded-word and MIME syntax among them)."""
    shapes = [path.read_bytes() for path in sorted(CORPUS.glob("*.eml"))]
    pieces = [b"=?", b"?=", b"\n", b";", b'"', b"boundary=", b"charset=", b"=?utf-8?b?", b"*="]
    rng = random.Random(2)
    for _ in range(1500):
        raw = bytearray(rng.choice(shapes))
        for _ in range(rng.randint(1, 8)):
            at, roll = rng.randrange(len(raw)), rng.random()
            if roll < 0.4:
                raw[at] = rng.randrange(256)
            elif roll < 0.7:
                del raw[at : at + rng.randint(1, 20)]
            else:
                raw[at:at] = rng.choice(pieces)
        mail = parse(bytes(raw), OURS)
        assert mail.unreadable is None, (mail.unreadable, bytes(raw))
        assert isinstance(mail.reply_text, str)


async def test_mail_with_raw_utf8_headers_is_recorded_and_answered(services):
    flow = MailFlow(services, MailReader(0))
    help_request = (
        f"From: José García <jose@example.es>\r\nTo: {BOT}\r\nSubject: help café\r\n"
        "Message-ID: <utf8-help@example.es>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nhelp\r\n"
    ).encode()
    result = await flow.handle_many([(raw_utf8_post(), "imap"), (help_request, "imap")])
    assert texts(result) == ["recorded", "answered"]
    assert await action_texts(services) == ["José to send the notes"]


async def test_line_breaks_encoded_in_headers_are_read_as_spaces_and_answered(mailbot, services):
    """`=0D=0A` in an encoded word: the answer's one-line subject could not be written."""
    raw = (
        "From: =?utf-8?q?Jane=0D=0ADoe?= <jane@example.org>\r\n"
        f"To: =?utf-8?q?ISCG=0Aassistant=E2=80=A8?= <{BOT}>\r\n"
        "Subject: =?utf-8?q?Hi=0D=0Athere=09=00?=\r\nMessage-ID: <crlf@example.org>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n/themes pilot\r\n"
    ).encode()
    assert await mailbot.receive(raw) == "answered"
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == ["jane@example.org"]
    assert sent.message["Subject"] == "Re: Hi there"
    assert b"\r\nSubject: Re: Hi there\r\n" in sent.raw
    assert sent.message.get_body(("plain",)).get_content().startswith('Themes matching "pilot"')
    async with services.db.read() as conn:
        person = await people.by_identity(conn, "email:jane@example.org")
    assert person is not None and person.name == "Jane Doe"


async def test_an_unreadable_message_is_recorded_once_and_never_retried(
    services, monkeypatch, caplog
):
    def broken(raw: bytes, addresses: mailparse.Addresses) -> mailparse.InboundMail:
        raise ValueError("a parser bug")

    monkeypatch.setattr(mailparse, "_parse", broken)
    flow = MailFlow(services, MailReader(0))
    with caplog.at_level(logging.WARNING):
        [first] = await flow.handle_many([(post(1), "imap")])
    assert first.text == "ignored: unreadable (ValueError: a parser bug)"
    assert "unreadable: ValueError: a parser bug" in caplog.text
    assert (await flow.handle(post(1), "imap")).text == "duplicate"  # acknowledged: not again


WARMED = ("text", "reply_text", "names_bot", "addressed", "has_actions", "own_lines")


async def test_a_big_delivery_is_read_by_the_worker_as_it_would_be_here(caplog):
    raws = [post(n) for n in range(1, 2 * CHUNK + 4)] + [question(1)]
    reader = MailReader(1)
    try:
        await reader.start()
        with caplog.at_level(logging.WARNING):
            chunks = reader.read(raws, OURS)
            sizes = [len(await chunk) for chunk in chunks]
            read = [mail for chunk in chunks for mail in await chunk]
    finally:
        reader.close()
    assert sizes == [FIRST_CHUNK, CHUNK, len(raws) - FIRST_CHUNK - CHUNK]
    assert "process lost" not in caplog.text
    here = [parse(raw, OURS) for raw in raws]
    assert read == here
    # What the flow reads of each came back worked out, as it reads here.
    for name in WARMED:
        assert all(name in mail.__dict__ for mail in read), name
        assert [getattr(m, name) for m in read] == [getattr(m, name) for m in here], name
    assert read[-1].addressed is None and read[-1].names_bot is False  # sent to it, not named
    assert [line.action for line in read[0].own_lines if line.action] == [
        "Member 1 to send comments on document 1"  # not the quoted one
    ]


async def test_a_worker_still_starting_leaves_the_first_chunk_to_the_loop():
    raws = [post(n) for n in range(1, 2 * CHUNK + 4)]
    reader = MailReader(1)  # not started: the first big delivery starts it
    try:
        chunks = reader.read(raws, OURS)
        assert chunks[0].done()  # read here, while the worker starts
        sizes = [len(await chunk) for chunk in chunks]
    finally:
        reader.close()
    assert sizes == [CHUNK, CHUNK, len(raws) - 2 * CHUNK]


async def test_a_lost_worker_is_replaced_and_nothing_is_lost(caplog):
    raws = [post(n) for n in range(1, 3 * CHUNK)]
    reader = MailReader(1)
    try:
        await reader.start()
        assert reader._pool is not None
        for pid in list(reader._pool._processes):  # as the kernel's OOM killer would
            os.kill(pid, signal.SIGKILL)
        with caplog.at_level(logging.WARNING):
            read = [mail for chunk in reader.read(raws, OURS) for mail in await chunk]
        assert "mail reader process lost" in caplog.text
        assert [m.message_id for m in read] == [parse(raw, OURS).message_id for raw in raws]
        caplog.clear()
        with caplog.at_level(logging.WARNING):  # a new worker reads the next delivery
            again = [mail for chunk in reader.read(raws, OURS) for mail in await chunk]
        assert "process lost" not in caplog.text and again == read
    finally:
        reader.close()


KILLED_BOT = """
import asyncio, os, signal, sys
from pathlib import Path
from bot.mailreader import MailReader

async def main():
    reader = MailReader(1)
    await reader.start()
    Path(sys.argv[1]).write_text(" ".join(str(pid) for pid in reader._pool._processes))
    os.kill(os.getpid(), signal.SIGKILL)  # no shutdown, no atexit: as the OOM killer would

asyncio.run(main())
"""


async def test_a_killed_bot_leaves_no_worker_behind(tmp_path):
    # The pid goes through a file: a pipe the worker inherited would stay open.
    pids = tmp_path / "worker.pid"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", KILLED_BOT, str(pids), cwd=ROOT, stdout=asyncio.subprocess.DEVNULL
    )
    assert await process.wait() == -signal.SIGKILL
    [worker] = [int(pid) for pid in pids.read_text().split()]
    for _ in range(100):  # it checks once a second
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        await asyncio.sleep(0.1)
    os.kill(worker, signal.SIGKILL)
    raise AssertionError("the mail reader's worker outlived the bot")


async def test_a_worker_that_cannot_start_leaves_reading_here(monkeypatch, caplog):
    class NoProcesses(ProcessPoolExecutor):
        def submit(self, *args: object, **kwargs: object) -> Future[object]:
            raise OSError(11, "Resource temporarily unavailable")  # as fork() fails

    monkeypatch.setattr(mailreader, "ProcessPoolExecutor", NoProcesses)
    raws = [post(n) for n in range(1, 3 * CHUNK)]
    reader = MailReader(1)
    with caplog.at_level(logging.WARNING):
        read = [mail for chunk in reader.read(raws, OURS) for mail in await chunk]
        assert "mail reader process lost" in caplog.text
        assert [m.message_id for m in read] == [parse(raw, OURS).message_id for raw in raws]
        await reader.start()
    assert "not started" in caplog.text and reader.processes == 0
    assert len(reader.read(raws, OURS)) == 1  # read here from now on
