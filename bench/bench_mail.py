"""Mail throughput: the full inbound path over an mbox, and the outbox sending over SMTP.

Inbound: 10,000 varied messages (list posts with actions and quotes in several
languages, HTML-only mail, bounces, auto-replies, list echoes, questions to the
bot) go through the full inbound path (parse, classify, strip, extract
actions, commit): `MailFlow.handle_many`, in the batches an IMAP fetch
delivers, against two baselines on the same messages: `email.message_from_bytes`
with its default (compat32) policy, and with `policy.default`, the policy the
issue requires the bot to parse with (and far slower on its own). Three rounds
of all three; the medians are reported.
Outbound: 1,000 queued messages delivered to a local aiosmtpd server over one
kept connection, against aiosmtplib sending prepared messages directly. A
message is built when it is queued, in the transaction of its cause; that
rate is reported too (`queued_per_s`), since the sending figure excludes it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import mailbox
import statistics
import tempfile
import time
from email import policy
from pathlib import Path
from typing import Any

import aiosmtplib
from aiosmtpd.smtp import SMTP as SMTPServer

from bot import timeparse
from bot.app import BotApp, open_services
from bot.clock import FixedClock
from bot.config import Settings
from bot.handlers.email import IMAP_FETCH_BATCH, EmailConnector
from bot.mailflow import MailFlow
from bot.outgoing import queue_email

CORPUS = Path(__file__).parent.parent / "tests" / "mail" / "corpus"
BOT = "iscg-bot@iscg.example"
LIST = "int-sect-group@lists.example.int"
INBOUND = 10_000
OUTBOUND = 1_000
ROUNDS = 3  # inbound: the median is reported
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)

LIST_POST = """From: Member {n} <member{m}@example.org>
To: {list}
Subject: Re: [ISCG] Thread {t}
Message-ID: <post-{n}@example.org>
In-Reply-To: <post-{p}@example.org>
References: <root-{t}@example.org> <post-{p}@example.org>
List-Id: <int-sect-group.lists.example.int>
Content-Type: text/plain; charset=utf-8

Dear colleagues,

Thank you for the update on item {n}.
ACTION: Member {m} to send comments on document {n}
- a point on the agenda
- another point

Best regards,
Member {m}

On Mon, 23 Nov 2026 at 09:00, Someone <someone@example.org> wrote:
> earlier text
> ACTION: quoted, not recorded
"""


def build_mbox(path: Path) -> list[bytes]:
    """The benchmark's messages: the test corpus re-numbered, and generated list posts."""
    shapes = [p.read_bytes() for p in sorted(CORPUS.glob("*.eml")) if "calendar" not in p.name]
    messages = []
    for n in range(INBOUND):
        if n % 4 == 3:  # every shape in turn (`n % len(shapes)` took only those ≡ 3 mod 4)
            raw = shapes[(n // 4) % len(shapes)]
            raw = raw.replace(b"Message-ID: <", f"Message-ID: <b{n}.".encode(), 1)
            raw = raw.replace(b"iscg-bot@iscg.example", BOT.encode())
        else:
            raw = LIST_POST.format(n=n, m=n % 97, t=n % 300, p=max(n - 1, 0), list=LIST).encode()
        messages.append(raw)
    box = mailbox.mbox(path)
    for raw in messages:
        box.add(raw)
    box.flush()
    return [bytes(message.as_bytes()) for message in mailbox.mbox(path)]


def _parse_rate(messages: list[bytes], **options: Any) -> float:
    start = time.perf_counter()
    for raw in messages:
        email.message_from_bytes(raw, **options)
    return len(messages) / (time.perf_counter() - start)


async def inbound(root: Path) -> list[dict[str, Any]]:
    """The median of ROUNDS rounds, each timing both baselines and the full path in turn:
    the machine's speed drifts by up to 2x within minutes, and one round may catch a
    slow minute that the baselines, timed just before, did not."""
    messages = build_mbox(root / "bench.mbox")
    rounds = []
    for number in range(ROUNDS):
        compat32 = _parse_rate(messages)
        default = _parse_rate(messages, policy=policy.default)
        rate = await _inbound_rate(root / f"inbound{number}.sqlite3", messages)
        rounds.append((rate, compat32, default))
    # Medians of each figure, and of each round's ratios (a round's own baselines).
    rate, compat32, default = (statistics.median(figures) for figures in zip(*rounds, strict=True))
    ratio = statistics.median(c / r for r, c, _ in rounds)
    ratio_default = statistics.median(d / r for r, _, d in rounds)
    return [
        {
            "name": "mail inbound: full path (parse, classify, strip, actions, commit)",
            "value": round(rate, 1),
            "unit": "messages/s",
            "params": {
                "messages": len(messages),
                "batch": IMAP_FETCH_BATCH,
                "rounds": [round(r, 1) for r, _, _ in rounds],
            },
            "baseline": "email.message_from_bytes alone (compat32)",
            "baseline_value": round(compat32, 1),
            "ratio": round(ratio, 2),
            "baseline_default_policy": "email.message_from_bytes(policy=policy.default) alone",
            "baseline_default_policy_value": round(default, 1),
            "ratio_default_policy": round(ratio_default, 2),
        }
    ]


async def _inbound_rate(path: Path, messages: list[bytes]) -> float:
    """Messages per second through `MailFlow.handle_many`, into a new database."""
    settings = Settings(
        ISCG_DB_PATH=path,
        ISCG_BOT_ADDRESS=BOT,
        ISCG_LIST_ADDRESS=LIST,
        ISCG_MAIL_RATE_LIMIT=1_000_000,
    )
    services = await open_services(settings, FixedClock(NOW))
    flow = MailFlow(services)
    await flow.reader.start()  # as the connector does when it connects
    timeparse.warm_up()  # as `BotApp.run` does before the first message
    try:
        start = time.perf_counter()
        for first in range(0, len(messages), IMAP_FETCH_BATCH):
            batch = messages[first : first + IMAP_FETCH_BATCH]
            results = await flow.handle_many([(raw, "bench") for raw in batch])
            failed = [r for r in results if isinstance(r, Exception)]
            assert not failed, failed[0]
        return len(messages) / (time.perf_counter() - start)
    finally:
        flow.close()
        await services.db.close()


class _Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


async def outbound(root: Path) -> list[dict[str, Any]]:
    sink = _Sink()
    server = await asyncio.get_running_loop().create_server(
        lambda: SMTPServer(sink), "127.0.0.1", 0
    )
    port = server.sockets[0].getsockname()[1]
    settings = Settings(
        ISCG_DB_PATH=root / "outbound.sqlite3",
        ISCG_BOT_ADDRESS=BOT,
        ISCG_SMTP_HOST="127.0.0.1",
        ISCG_SMTP_PORT=port,
        ISCG_SMTP_TLS="none",
    )
    services = await open_services(settings, FixedClock(NOW))
    app = BotApp(services)
    app.connectors["email"] = connector = EmailConnector(app)
    try:
        start = time.perf_counter()
        async with services.db.transaction() as conn:
            for n in range(OUTBOUND):
                await queue_email(
                    conn,
                    bot_address=BOT,
                    to=[f"member{n}@example.org"],
                    subject=f"Digest {n}",
                    text="This week on the list.\n" * 20,
                    html="<p>This week</p>" * 20,
                    kind="digest",
                    now=NOW,
                    dedupe_key=f"bench-{n}",
                )
        queueing = OUTBOUND / (time.perf_counter() - start)
        start = time.perf_counter()
        while await app.dispatcher.run_once():
            pass
        rate = OUTBOUND / (time.perf_counter() - start)
        assert sink.count == OUTBOUND, sink.count

        prepared = [
            email.message_from_bytes(
                b"From: " + BOT.encode() + b"\r\nTo: x@example.org"
                b"\r\nSubject: x\r\n\r\n" + b"This week.\r\n" * 20
            )
        ]
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
        await smtp.connect()
        start = time.perf_counter()
        for _ in range(OUTBOUND):
            await smtp.send_message(prepared[0])
        baseline = OUTBOUND / (time.perf_counter() - start)
        await smtp.quit()
    finally:
        await connector.disconnect()
        await services.db.close()
        server.close()
    return [
        {
            "name": "mail outbound: outbox to a local aiosmtpd server",
            "value": round(rate, 1),
            "unit": "messages/s",
            "params": {"messages": OUTBOUND, "queued_per_s": round(queueing, 1)},
            "baseline": "aiosmtplib sending prepared messages on one connection",
            "baseline_value": round(baseline, 1),
            "ratio": round(baseline / rate, 2),
        }
    ]


async def _run() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        return [*await inbound(root), *await outbound(root)]


def main() -> list[dict[str, Any]]:
    return asyncio.run(_run())
