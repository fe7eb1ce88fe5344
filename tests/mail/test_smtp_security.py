"""Outbound SMTP as deployed: STARTTLS, implicit TLS and a login, against a real
aiosmtpd server holding a certificate from a test CA the bot is told to trust."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, LoginPassword

from bot.app import BotApp
from bot.handlers.email import EmailConnector
from storage import outbox
from tests.mail.conftest import MailBot, SinkHandler, free_port, outbox_cli, queue_notice


@dataclass
class Certificates:
    ca: Path  # what the bot trusts
    cert: Path  # the server's, signed by the CA, for 127.0.0.1
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A CA and a server certificate, made with the openssl command for this run."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl(
        *("req", "-x509", *key, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2"),
        *("-subj", "/CN=ISCG test CA", "-addext", "basicConstraints=critical,CA:TRUE"),
        *("-addext", "keyUsage=critical,keyCertSign,cRLSign"),
    )
    openssl("req", *key, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (folder / "server.ext").write_text(
        "subjectAltName = IP:127.0.0.1, DNS:localhost\nbasicConstraints = CA:FALSE\n"
        "keyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\n"
    )
    openssl(
        *("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key"),
        *("-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext"),
    )
    return Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")


@pytest.fixture
def trusted(certificates: Certificates, monkeypatch: pytest.MonkeyPatch) -> Certificates:
    """The bot builds OpenSSL's default context, which trusts the file SSL_CERT_FILE names."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca))
    return certificates


@asynccontextmanager
async def smtp_server(
    handler: SinkHandler, *, implicit_tls: ssl.SSLContext | None = None, **options: Any
) -> AsyncIterator[int]:
    """An aiosmtpd server on a free port, with the given aiosmtpd options."""
    port = free_port()
    server = await asyncio.get_running_loop().create_server(
        lambda: SMTPServer(handler, **options), "127.0.0.1", port, ssl=implicit_tls
    )
    try:
        yield port
    finally:
        server.close()
        await server.wait_closed()


class Authenticator:
    """aiosmtpd's check of a login: keeps what the client sent, takes one password."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.logins: list[tuple[str, str]] = []

    def __call__(
        self, server: SMTPServer, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        self.logins.append((login, password))
        # Not handled: aiosmtpd itself answers, 235 or 535.
        return AuthResult(success=(login, password) == (self.user, self.password), handled=False)


def point_at(services, port: int, tls: str, user: str | None = None, password: str | None = None):
    s = services.settings
    s.smtp_port, s.smtp_tls, s.smtp_user, s.smtp_password = port, tls, user, password


async def stored(services, row: int) -> outbox.OutboxRow:
    async with services.db.read() as conn:
        found = await outbox.get(conn, row)
    assert found is not None
    return found


async def test_starttls_sends_over_the_upgraded_connection(services, mailbot: MailBot, trusted):
    # The server takes no mail before STARTTLS.
    options = {"tls_context": trusted.server_context(), "require_starttls": True}
    async with smtp_server(mailbot.sink, **options) as port:
        point_at(services, port, "starttls")
        row = await queue_notice(services, "s1")
        [sent] = await mailbot.deliver()
    assert sent.tls is not None and sent.tls.startswith("TLSv1")
    assert sent.rcpt_tos == ["amina@example.cm"]
    assert (await stored(services, row)).status == "sent"


async def test_ssl_sends_over_implicit_tls(services, mailbot: MailBot, trusted):
    async with smtp_server(mailbot.sink, implicit_tls=trusted.server_context()) as port:
        point_at(services, port, "ssl")
        row = await queue_notice(services, "s1")
        [sent] = await mailbot.deliver()
    assert sent.tls is not None and sent.tls.startswith("TLSv1")
    assert (await stored(services, row)).status == "sent"


async def test_the_configured_login_is_sent_after_starttls(services, mailbot: MailBot, trusted):
    check = Authenticator("iscg-bot", "s3cret")
    options = {
        "tls_context": trusted.server_context(),
        "authenticator": check,
        "auth_required": True,  # no mail without a login
    }
    async with smtp_server(mailbot.sink, **options) as port:
        point_at(services, port, "starttls", "iscg-bot", "s3cret")
        row = await queue_notice(services, "s1")
        [sent] = await mailbot.deliver()
    assert check.logins == [("iscg-bot", "s3cret")]
    assert sent.tls is not None
    assert (await stored(services, row)).status == "sent"


async def test_a_refused_login_holds_the_mail_and_sends_it_once_mended(
    services, clock, mailbot: MailBot, trusted
):
    """A password changed on the server and not yet in the bot: the mail waits (it is
    not the mail's fault), no other row repeats the refused login meanwhile, and all of
    it goes once the password is right. `iscg-bot outbox` shows why it waits."""
    check = Authenticator("iscg-bot", "s3cret")
    options = {"tls_context": trusted.server_context(), "authenticator": check}
    async with smtp_server(mailbot.sink, **options) as port:
        point_at(services, port, "starttls", "iscg-bot", "old-password")
        rows = [await queue_notice(services, "s1"), await queue_notice(services, "s2")]
        assert await mailbot.deliver() == []
        tried = len(check.logins)
        assert set(check.logins) == {("iscg-bot", "old-password")}  # each mechanism, once
        listed = await outbox_cli(services)
        assert listed.returncode == 0, listed.stderr
        first, second = listed.stdout.splitlines()
        assert first.split()[:2] == [str(rows[0]), "pending"]
        assert "535 5.7.8 Authentication credentials invalid" in first
        assert "attempts=0" in first and second.split()[:2] == [str(rows[1]), "pending"]

        assert await mailbot.deliver() == []  # paused: no login at all
        assert len(check.logins) == tried
        services.settings.smtp_password = "s3cret"
        clock.advance(seconds=30)
        assert len(await mailbot.deliver()) == 2
    assert [(await stored(services, row)).status for row in rows] == ["sent", "sent"]


async def test_a_certificate_from_an_unknown_ca_is_refused(
    services, mailbot: MailBot, certificates
):
    """Without trust in the test CA the bot does not send: the row waits for a retry."""
    options = {"tls_context": certificates.server_context()}
    async with smtp_server(mailbot.sink, **options) as port:
        point_at(services, port, "starttls")
        row = await queue_notice(services, "s1")
        assert await mailbot.deliver() == []
    waiting = await stored(services, row)
    assert waiting.status == "pending"
    assert "CERTIFICATE_VERIFY_FAILED" in (waiting.last_error or "")


async def test_a_relay_that_wants_a_login_the_bot_lacks_holds_the_mail_until_mended(
    services, clock, mailbot: MailBot, trusted, caplog
):
    """ISCG_SMTP_USER left unset for a relay that takes mail only after a login: its
    530 at MAIL FROM is the bot's settings, not the mail's fault. Every row waits,
    the log names the settings to check, and all of it goes once they are set."""
    check = Authenticator("iscg-bot", "s3cret")
    options = {
        "tls_context": trusted.server_context(),
        "authenticator": check,
        "auth_required": True,
    }
    async with smtp_server(mailbot.sink, **options) as port:
        point_at(services, port, "starttls")  # no user, no password
        rows = [await queue_notice(services, "s1"), await queue_notice(services, "s2")]
        assert await mailbot.deliver() == []
        waiting = [await stored(services, row) for row in rows]
        assert [(row.status, row.attempts) for row in waiting] == [("pending", 0)] * 2
        assert "530 5.7.0 Authentication required" in (waiting[0].last_error or "")
        assert "check ISCG_SMTP_USER and ISCG_SMTP_PASSWORD" in caplog.text

        point_at(services, port, "starttls", "iscg-bot", "s3cret")
        clock.advance(seconds=30)
        assert len(await mailbot.deliver()) == 2
    assert [(await stored(services, row)).status for row in rows] == ["sent", "sent"]


@pytest.mark.parametrize(
    "answer",
    [
        "554 5.7.1 <amina@example.cm>: Relay access denied",  # Postfix
        "550 5.7.1 <amina@example.cm>... Relaying denied",  # Sendmail
        "550 relay not permitted",  # Exim
        "450 4.7.1 <amina@example.cm>: Relay access denied",  # Postfix with soft_bounce
    ],
)
async def test_a_relay_that_refuses_to_relay_for_the_bot_holds_the_mail(
    services, clock, mailbot: MailBot, sink, caplog, answer
):
    """A relay denied for every recipient: the bot is not allowed to send through that
    server (its login or host is wrong), so no row is failed for it; one unknown
    mailbox still fails only its own row once the relay takes the bot's mail."""
    sink.rcpt_answers = {"amina@example.cm": answer, "li.wei@example.cn": answer}
    rows = [
        await queue_notice(services, "r1"),
        await queue_notice(services, "r2", "li.wei@example.cn"),
    ]
    assert await mailbot.deliver() == []
    waiting = [await stored(services, row) for row in rows]
    assert [(row.status, row.attempts) for row in waiting] == [("pending", 0)] * 2
    assert answer in (waiting[0].last_error or "")
    assert "check ISCG_SMTP_HOST, ISCG_SMTP_USER and ISCG_SMTP_PASSWORD" in caplog.text

    sink.rcpt_answers = {"li.wei@example.cn": "550 5.1.1 No such user here"}
    clock.advance(seconds=30)
    [sent] = await mailbot.deliver()
    assert sent.rcpt_tos == ["amina@example.cm"]
    gone = await stored(services, rows[1])
    assert gone.status == "failed" and "550 5.1.1 No such user here" in (gone.last_error or "")


async def test_a_recipient_the_relay_will_not_take_fails_alone_once_the_bot_is_logged_in(
    services, mailbot: MailBot, trusted
):
    """Logged in, a relay that will not relay for one recipient (Exchange limited to its
    accepted domains: "Unable to relay") refuses that recipient, not the bot: the row
    fails on its own and the others go. Held as the bot's fault instead, with no try
    counted, it stayed pending for good and paused all mail each time it came first."""
    check = Authenticator("iscg-bot", "s3cret")
    mailbot.sink.rcpt_answers = {
        "amina@example.cm": "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"
    }
    options = {"tls_context": trusted.server_context(), "authenticator": check}
    async with smtp_server(mailbot.sink, **options) as port:
        point_at(services, port, "starttls", "iscg-bot", "s3cret")
        refused = await queue_notice(services, "a1")
        taken = await queue_notice(services, "a2", "li.wei@example.cn")
        assert [m.rcpt_tos for m in await mailbot.deliver()] == [["li.wei@example.cn"]]
    failed = await stored(services, refused)
    assert failed.status == "failed" and "Unable to relay" in (failed.last_error or "")
    assert (await stored(services, taken)).status == "sent"


async def test_mail_held_by_a_refused_login_goes_as_soon_as_the_mended_bot_starts(
    services, mailbot: MailBot, trusted
):
    """The operator puts the right password in the settings and restarts the bot: the
    mail held meanwhile goes at once, not when the pause the old process set (up to an
    hour after many refusals) would have ended."""
    check = Authenticator("iscg-bot", "s3cret")
    options = {"tls_context": trusted.server_context(), "authenticator": check}
    async with smtp_server(mailbot.sink, **options) as port:
        point_at(services, port, "starttls", "iscg-bot", "old-password")
        rows = [await queue_notice(services, "s1"), await queue_notice(services, "s2")]
        assert await mailbot.deliver() == []
        assert (await stored(services, rows[0])).next_attempt_at > services.now()

        services.settings.smtp_password = "s3cret"
        restarted = BotApp(services)  # same time, same database: a new process
        restarted.connectors["email"] = EmailConnector(restarted)
        try:
            await restarted.dispatcher.recover()
            await restarted.dispatcher.run_once()
        finally:
            await restarted.connectors["email"].disconnect()
        assert len(mailbot.sink.received) == 2
    assert [(await stored(services, row)).status for row in rows] == ["sent", "sent"]


async def test_a_login_set_for_a_server_that_offers_none_in_the_clear_names_the_tls_setting(
    services, mailbot: MailBot, trusted
):
    """ISCG_SMTP_TLS=none with a user set, for a server that offers a login only after
    STARTTLS: the server was reached, and the mail waits with what to change."""
    check = Authenticator("iscg-bot", "s3cret")
    options = {"tls_context": trusted.server_context(), "authenticator": check}
    async with smtp_server(mailbot.sink, **options) as port:
        point_at(services, port, "none", "iscg-bot", "s3cret")
        row = await queue_notice(services, "s1")
        assert await mailbot.deliver() == []
    waiting = await stored(services, row)
    assert waiting.status == "pending" and waiting.attempts == 0
    assert "cannot reach" not in (waiting.last_error or "")
    assert "check ISCG_SMTP_TLS" in (waiting.last_error or "")
    assert check.logins == []
