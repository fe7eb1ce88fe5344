"""Mail fixtures: a real SMTP server (aiosmtpd) receiving the bot's mail, the bot's
mail connector wired to it, and a real IMAP server (Dovecot) in a temporary folder."""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP as SMTPServer

from bot.app import BotApp
from bot.config import Settings
from bot.handlers.email import EmailConnector
from bot.mailparse import Addresses
from bot.outgoing import queue_email
from bot.services import Services
from tests.test_cli import bot as run_cli

CORPUS = Path(__file__).parent / "corpus"
BOT = "iscg-bot@iscg.example"
LIST = "int-sect-group@lists.example.int"
AUTHSERV = "mx.iscg.example"
OURS = Addresses(LIST, BOT)  # what the flow's settings give `parse`
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    tls: str | None = None  # the TLS version the mail came over; None: in the clear

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]


@dataclass
class SinkHandler:
    """What the test SMTP server does with mail: keep it, answer as told, maybe slowly."""

    received: list[Received] = field(default_factory=list)
    rcpt_answers: dict[str, str] = field(default_factory=dict)  # address -> "550 ..." reply
    delay: float = 0.0
    connections: int = 0
    seven_bit: bool = False  # a server that does not offer 8BITMIME (set before connecting)
    # A server slow to take the message: DATA is answered once `hold` is set, and
    # `holding` tells that one is waiting for it.
    hold: asyncio.Event | None = None
    holding: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.rcpt_answers.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.hold is not None:
            self.holding.set()
            await self.hold.wait()
        tls = server.transport.get_extra_info("ssl_object")  # after STARTTLS or implicit
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                bytes(envelope.original_content),
                tls.version() if tls else None,
            )
        )
        return "250 OK queued"


@pytest.fixture
async def smtp_sink() -> AsyncIterator[tuple[SinkHandler, int]]:
    handler = SinkHandler()
    port = free_port()

    def factory() -> SMTPServer:
        handler.connections += 1
        # aiosmtpd offers 8BITMIME unless it decodes the data itself.
        return SMTPServer(handler, enable_SMTPUTF8=True, decode_data=handler.seven_bit)

    server = await asyncio.get_running_loop().create_server(factory, "127.0.0.1", port)
    try:
        yield handler, port
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture
def sink(smtp_sink: tuple[SinkHandler, int]) -> SinkHandler:
    return smtp_sink[0]


@pytest.fixture
def settings(settings: Settings, smtp_sink: tuple[SinkHandler, int]) -> Settings:
    """The shared settings, with mail pointed at the test SMTP server."""
    return settings.model_copy(
        update={
            "bot_address": BOT,
            "list_address": LIST,
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_sink[1],
            "smtp_tls": "none",
            "authserv_id": AUTHSERV,
            "mail_rate_limit": 3,
        }
    )


@dataclass
class MailBot:
    """The bot's mail side as a test drives it: receive raw mail, run the outbox."""

    app: BotApp
    connector: EmailConnector
    sink: SinkHandler

    async def receive(self, raw: bytes | str) -> str:
        data = corpus(raw) if isinstance(raw, str) else raw
        return await self.connector.receive(data, "smtp")

    async def deliver(self) -> list[Received]:
        before = len(self.sink.received)
        await self.app.dispatcher.run_once()
        return self.sink.received[before:]


@pytest.fixture
async def mailbot(services: Services, sink: SinkHandler) -> AsyncIterator[MailBot]:
    app = BotApp(services)
    connector = EmailConnector(app)
    app.connectors["email"] = connector
    try:
        yield MailBot(app, connector, sink)
    finally:
        await connector.disconnect()


@dataclass
class Dovecot:
    port: int
    user: str = "iscg-bot"
    password: str = "secret"


# What Dovecot 2.3 offers after login, less IDLE: a server the bot must poll.
CAPABILITIES_WITHOUT_IDLE = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES"
    " THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN"
    " NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT"
    " SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY"
    " PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY"
)


def _dovecot_config(root: Path, port: int, capability: str | None) -> Path:
    home = root / "home"
    home.mkdir()
    if os.getuid() == 0:  # Dovecot never runs mail as root: use an unprivileged account
        account = pwd.getpwnam("nobody")
        uid, gid = account.pw_uid, account.pw_gid
        os.chown(home, uid, gid)
        internal, login = "dovecot", "dovenull"
    else:
        uid, gid = os.getuid(), os.getgid()
        internal = login = pwd.getpwuid(uid).pw_name
    config = root / "dovecot.conf"
    config.write_text(
        f"""base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:~/Maildir
# IDLE learns of new mail from inotify. Where the machine's inotify instances run out
# (128 per user by default, shared by every server and browser a run starts), Dovecot
# says so in its log and falls back to looking every 30 s, past what a test waits.
mailbox_idle_check_interval = 1 secs
{f"imap_capability = {capability}" if capability else ""}
passdb {{
  driver = static
  args = password=secret
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={home}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
    )
    return config


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    yield from _run_dovecot(capability=None)


@pytest.fixture
def dovecot_without_idle() -> Iterator[Dovecot]:
    """A Dovecot that does not offer IDLE (as some hosted mailboxes do not)."""
    yield from _run_dovecot(capability=CAPABILITIES_WITHOUT_IDLE)


def _run_dovecot(capability: str | None) -> Iterator[Dovecot]:
    if not Path(DOVECOT).exists():
        pytest.skip("dovecot is not installed (Debian: apt-get install dovecot-imapd)")
    # Not under pytest's private temp folder: Dovecot's mail user must reach its home.
    root = Path(tempfile.mkdtemp(prefix="iscg-dovecot-"))
    root.chmod(0o755)
    port = free_port()
    config = _dovecot_config(root, port, capability)
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.05)
    else:
        process.kill()
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip("dovecot did not start within 10 s")
    if process.poll() is not None:
        output = process.stdout.read().decode(errors="replace") if process.stdout else ""
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"dovecot could not start: {output.strip()[:300]}")
    try:
        yield Dovecot(port)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log = root / "dovecot.log"
        if log.exists():  # shown with a failed test's output: what the server complained of
            print(
                "dovecot.log:",
                *(
                    line
                    for line in log.read_text().splitlines()
                    if ("Warning" in line or "Error" in line or "Fatal" in line)
                    and "Killed with signal" not in line  # this teardown's own
                ),
                sep="\n  ",
            )
        shutil.rmtree(root, ignore_errors=True)


async def queue_notice(services: Services, key: str, to: str = "amina@example.cm") -> int:
    """One mail queued in the outbox, as any notice of the bot is; its row id."""
    async with services.db.transaction() as conn:
        row = await queue_email(
            conn,
            bot_address=BOT,
            to=[to],
            subject="ISCG coordination",
            text="The agenda.",
            kind="notice",
            now=services.now(),
            dedupe_key=key,
        )
    assert row is not None
    return row


async def outbox_cli(services: Services, *args: str) -> subprocess.CompletedProcess[str]:
    """`iscg-bot outbox ...` in its own process, on the test's database."""
    path = services.settings.db_path
    env = {"ISCG_DB_PATH": str(path)}
    return await asyncio.to_thread(run_cli, path.parent, "outbox", *args, env=env)
