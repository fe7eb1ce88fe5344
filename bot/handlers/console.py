"""The terminal: an interactive console, and the one-shot `iscg-bot ask`.

Both speak in a console channel (`console:main` unless told otherwise), so a
meeting can be run one `ask` per line, by several identities.
"""

from __future__ import annotations

import asyncio
import getpass
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.config import Settings
from bot.core import Reply
from bot.handlers.base import Connector, DeliveryError
from bot.identity import canonical_identity
from bot.services import Services
from storage.outbox import OutboxRow

DEFAULT_CHANNEL = "main"


def console_identity(as_identity: str | None) -> str:
    if as_identity:
        text = as_identity.strip()
        if ":" not in text and "@" not in text:
            return f"console:{text}"
        return canonical_identity(text)
    return f"console:{getpass.getuser()}"


def render_text(reply: Reply, attachment_dir: Path | None = None) -> str:
    """A reply as a terminal shows it: the text, then buttons and files."""
    lines = [reply.text]
    for button in reply.buttons:
        lines.append(f"  [{button.label}] -> /{button.command}")
    for attachment in reply.attachments:
        where = ""
        if attachment_dir is not None:
            attachment_dir.mkdir(parents=True, exist_ok=True)
            path = attachment_dir / Path(attachment.filename).name
            path.write_bytes(attachment.data)
            where = f", saved as {path}"
        lines.append(f"  (attached {attachment.filename}, {len(attachment.data):,} bytes{where})")
    return "\n".join(lines)


async def ask_once(
    services: Services, text: str, *, identity: str, channel: str = DEFAULT_CHANNEL
) -> Reply:
    name = identity.partition(":")[2]
    ctx = await services.context_for(identity, name, f"console:{channel}")
    reply = await services.ask(ctx, text)
    return reply if reply is not None else Reply(text="(recorded)")


class ConsoleConnector(Connector):
    """The interactive console, as a connector so reminders reach it too."""

    name = "console"
    platform = "console"

    def __init__(
        self,
        app: Any,
        *,
        identity: str,
        channel: str = DEFAULT_CHANNEL,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
    ) -> None:
        super().__init__(app)
        self.identity = identity
        self.channel = channel
        self.stdin, self.stdout = stdin, stdout

    @classmethod
    def configured(cls, settings: Settings) -> bool:
        return False  # only started explicitly, on a terminal

    @classmethod
    def requirement(cls) -> str:
        return "run on a terminal with no chat or mail settings"

    def _print(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    async def listen(self) -> None:
        services: Services = self.app.services
        self._print(
            f"ISCG assistant, console. You are {self.identity}. "
            "Type /help for commands, Ctrl-D to leave."
        )
        attachments = services.settings.db_path.parent / "attachments"
        while True:
            line = await asyncio.to_thread(self._readline)
            if line is None:
                self._print("")
                return
            if not line.strip():
                continue
            reply = await ask_once(services, line, identity=self.identity, channel=self.channel)
            self._print(render_text(reply, attachments))
            self.app.notify_outbox()

    def _readline(self) -> str | None:
        if self.stdin is sys.stdin and sys.stdin.isatty():
            try:
                return input("iscg> ")
            except EOFError:
                return None
        line = self.stdin.readline()
        return None if line == "" else line.rstrip("\n")

    async def send(self, row: OutboxRow) -> None:
        if row.destination != f"console:{self.channel}":
            raise DeliveryError(f"no console open on {row.destination}")
        self._print(f"\n[{row.kind}] {row.payload.get('text', '')}")
