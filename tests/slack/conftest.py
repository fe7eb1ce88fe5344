"""Slack over real HTTP on loopback: the bot's web server, and a stand-in Web API.

`FakeSlack` answers the Web API methods the bot calls (via `SLACK_API_URL`),
the file-upload URLs it hands out, and the `response_url`s of requests, and
records everything. `SlackBot` signs requests as Slack does and posts them to
the bot's `/slack/events`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.app import BotApp, open_services
from bot.clock import FixedClock
from bot.commands import load_all
from bot.config import Settings
from bot.core import (
    Args,
    Attachment,
    Button,
    Context,
    LineHook,
    Reply,
    Role,
    Section,
    registry,
)
from bot.handlers.slack import SlackConnector

SECRET = "test-signing-secret"
BOT_USER = "UBOT"
USERS = {
    "U1": {"name": "jane", "real_name": "Jane Doe", "tz": "America/Mexico_City"},
    "U2": {"name": "li", "real_name": "Li Wei", "tz": "Asia/Shanghai"},
    "U3": {"name": "zhang", "real_name": "张伟", "tz": "Asia/Shanghai"},  # never wrote to the bot
}


@dataclass
class Call:
    method: str
    data: dict[str, Any]


@dataclass
class FakeSlack:
    """Slack's Web API as far as the bot uses it, recording every call."""

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)  # response_url posts
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    unavailable: set[str] = field(default_factory=set)  # users.info fails for these
    # The next calls of a Web API method, in turn: True is answered "429 Too Many
    # Requests" (Retry-After: 1), False as usual; past the list, as usual.
    limited: dict[str, list[bool]] = field(default_factory=dict)
    retry_after: str = "1"  # the Retry-After of those answers, in seconds
    _ts: int = 0

    def called(self, method: str) -> list[dict[str, Any]]:
        return [call.data for call in self.calls if call.method == method]

    async def wait_for(self, check: Any) -> None:
        """Wait until `check()` is true (something arrived), or fail after 10 s."""
        async with asyncio.timeout(10):
            while not check():
                self.changed.clear()
                await self.changed.wait()

    def _record(self) -> None:
        self.changed.set()

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        data: dict[str, Any] = dict(request.query)
        body = await request.read()
        if body and request.content_type == "application/json":
            data.update(json.loads(body))
        elif body:
            data.update(urllib.parse.parse_qsl(body.decode()))
        if self.limited.get(method) and self.limited[method].pop(0):
            self._record()
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": self.retry_after},
            )
        self.calls.append(Call(method, data))
        self._record()
        return web.json_response(self.answer(method, data))

    def answer(self, method: str, data: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": "T1",
                    "user": "iscg-bot", "team": "ISCG"}  # fmt: skip
        if data.get("channel") == "CGONE":
            return {"ok": False, "error": "channel_not_found"}
        if method == "users.info":
            if data.get("user") in self.unavailable:
                return {"ok": False, "error": "fatal_error"}
            user = USERS.get(data.get("user", ""))
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            profile = {"display_name": "", "real_name": user["real_name"]}
            return {"ok": True, "user": {"id": data["user"], **user, "profile": profile}}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            self._ts += 1
            ts = f"1800000000.{self._ts:06d}"
            return {"ok": True, "channel": data.get("channel"), "ts": ts, "message_ts": ts}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(data.get("users"))}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.called(method))}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = data["files"]
            files = json.loads(files) if isinstance(files, str) else files
            return {"ok": True, "files": [{"id": f["id"], "title": f["title"]} for f in files]}
        return {"ok": False, "error": "unknown_method"}

    async def upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        self._record()
        return web.Response(text="OK")

    async def respond(self, request: web.Request) -> web.Response:
        self.responses.append(await request.json())
        self._record()
        return web.Response(text="ok")

    def completed_uploads(self) -> list[dict[str, Any]]:
        """Each completed upload: channel, thread and the file's bytes."""
        done = []
        for data in self.called("files.completeUploadExternal"):
            files = data["files"]
            files = json.loads(files) if isinstance(files, str) else files
            for item in files:
                done.append(
                    {
                        "channel": data.get("channel_id"),
                        "thread_ts": data.get("thread_ts"),
                        "title": item["title"],
                        "data": self.uploads[item["id"]],
                    }
                )
        return done


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    app = web.Application()
    app.router.add_post("/api/{method}", fake.api)
    app.router.add_get("/api/{method}", fake.api)
    app.router.add_post("/upload/{file_id}", fake.upload)
    app.router.add_post("/respond/{key}", fake.respond)
    runner, fake.url = await serve(app)
    try:
        yield fake
    finally:
        await runner.cleanup()


def sign(body: str, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class SlackBot:
    """The bot with Slack in HTTP mode, reached over loopback like Slack reaches it."""

    app: BotApp
    connector: SlackConnector
    url: str
    fake: FakeSlack
    http: aiohttp.ClientSession
    _responses: int = 0

    def response_url(self) -> str:
        self._responses += 1
        return f"{self.fake.url}/respond/{self._responses}"

    async def post(
        self,
        body: str,
        content_type: str,
        headers: dict[str, str] | None = None,
        *,
        signed: bool = True,
    ) -> tuple[int, str]:
        all_headers = {"Content-Type": content_type, **(sign(body) if signed else {})}
        all_headers.update(headers or {})
        async with self.http.post(
            f"{self.url}/slack/events", data=body.encode(), headers=all_headers
        ) as response:
            return response.status, await response.text()

    async def command(
        self, command: str, text: str = "", *, user: str = "U1", channel: str = "C1"
    ) -> tuple[int, dict[str, Any] | str]:
        """A slash command as Slack sends it: a signed form body."""
        form = {
            "token": "legacy",
            "team_id": "T1",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": USERS.get(user, {}).get("name", user),
            "command": command,
            "text": text,
            "api_app_id": "A1",
            "response_url": self.response_url(),
            "trigger_id": "1.2.3",
        }
        status, body = await self.post(
            urllib.parse.urlencode(form), "application/x-www-form-urlencoded"
        )
        return status, json.loads(body) if body.startswith("{") else body

    async def click(
        self,
        value: str,
        *,
        user: str = "U1",
        channel: str = "C1",
        thread_ts: str | None = None,
        index: int = 0,
    ) -> int:
        """A button click: a form body whose `payload` is the interaction JSON."""
        container = {"type": "message", "message_ts": "1799999999.000100", "channel_id": channel}
        if thread_ts:
            container["thread_ts"] = thread_ts
        payload = {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": user, "team_id": "T1"},
            "api_app_id": "A1",
            "container": container,
            "channel": {"id": channel, "name": "general"},
            "message": {"ts": "1799999999.000100", "text": "..."},
            "response_url": self.response_url(),
            "trigger_id": "1.2.3",
            "actions": [
                {
                    "type": "button",
                    "action_id": f"iscg-run:{index}",
                    "block_id": "b1",
                    "value": value,
                    "action_ts": "1800000000.1",
                }
            ],
        }
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        status, _ = await self.post(body, "application/x-www-form-urlencoded")
        return status

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str = "Ev1",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        """An Events API callback: a signed JSON body."""
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": "T1",
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": 1800000000,
                "event": event,
                "authorizations": [{"team_id": "T1", "user_id": BOT_USER, "is_bot": True}],
            }
        )
        return await self.post(body, "application/json", headers)


def slack_settings(settings: Settings, api_url: str, **extra: Any) -> Settings:
    return settings.model_copy(
        update={
            "slack_bot_token": "xoxb-test",
            "slack_signing_secret": SECRET,
            "slack_api_url": f"{api_url}/api/",
            "chairs": [*settings.chairs, "slack:U2"],
            **extra,
        }
    )


class Text(Args):
    text: str = ""


ICS = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//EN",
        "BEGIN:VEVENT",
        "UID:m1@iscg",
        "DTSTAMP:20261123T080000Z",
        "DTSTART:20261201T130000Z",
        "SUMMARY:ISCG call",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
).encode()


@dataclass
class Tools:
    """Commands and a line hook that exist only in these tests.

    `gate` holds the slow commands until the test opens it, so "the ack came
    before the work finished" is shown without any timing.
    """

    gate: asyncio.Event = field(default_factory=asyncio.Event)
    lines: list[tuple[str, str, str | None]] = field(default_factory=list)
    running: set[str] = field(default_factory=set)  # channels with a "meeting"


@pytest.fixture
def tools() -> Iterator[Tools]:
    tools = Tools()
    before = set(load_all().commands)

    @registry.command("zz-slow", help="Propose slots (slow).", slow=True)
    async def slow(ctx: Context, args: Args) -> Reply:
        await tools.gate.wait()
        return Reply(
            text="Proposed slots: 1. Tue 1 Dec 14:00",
            title="Proposed slots",
            buttons=[Button("Pick 1", "zz-pick 1", "primary"), Button("Pick 2", "zz-pick 2")],
            public=True,
        )

    @registry.command("zz-lag", args=Text, help="Answer after the gate opens (not slow).")
    async def lag(ctx: Context, args: Text) -> Reply:
        await tools.gate.wait()
        return Reply(text=f"Done: {args.text}")

    @registry.command("zz-pick", args=Text, help="Take a proposal.", role=Role.SECRETARIAT)
    async def pick(ctx: Context, args: Text) -> Reply:
        return Reply(
            text=f"{ctx.display_name} picked slot {args.text} in {ctx.channel}", public=True
        )

    @registry.command("zz-file", args=Text, help="The .ics of a meeting.")
    async def file(ctx: Context, args: Text) -> Reply:
        return Reply(
            text="ISCG call: invitation attached",
            attachments=[Attachment("invite.ics", "text/calendar", ICS)],
            public=args.text == "public",
        )

    @registry.command("zz-echo", args=Text, help="Say it back, publicly.")
    async def echo(ctx: Context, args: Text) -> Reply:
        return Reply(text=f"You said: {args.text}", title=f"Echo {args.text}", public=True)

    @registry.command("zz-meeting start", args=Text, help="A two-word command.")
    async def meeting_start(ctx: Context, args: Text) -> Reply:
        return Reply(text=f"Started {args.text} in {ctx.channel}", public=True)

    @registry.command("zz-long", help="A very long answer.")
    async def long(ctx: Context, args: Args) -> Reply:
        sections = [
            Section(text=f"Item {i}: " + "word " * 50, title=f"Part {i}") for i in range(70)
        ]
        sections.append(Section(text="x" * 7000, title="Big"))
        return Reply.from_sections("Long answer", sections, footer="Source: test")

    async def hook(ctx: Context, text: str) -> Reply | None:
        if ctx.channel not in tools.running or not text.startswith("#"):
            return None
        tools.lines.append((ctx.channel, text, ctx.message_id))
        return Reply(text=f"Noted: {text}", public=True)

    line_hook = LineHook("zz-minutes", hook)
    registry.line_hooks.append(line_hook)
    try:
        yield tools
    finally:
        tools.gate.set()
        registry.line_hooks.remove(line_hook)
        for name in set(registry.commands) - before:
            registry.remove(name)


@contextlib.asynccontextmanager
async def running_slack_bot(
    settings: Settings, clock: FixedClock, fake_slack: FakeSlack
) -> AsyncIterator[SlackBot]:
    """The bot as one process runs it, on the database file `settings` names: started
    twice, it is the bot restarted."""
    services = await open_services(slack_settings(settings, fake_slack.url), clock)
    app = BotApp(services)
    connector = SlackConnector(app)
    app.connectors["slack"] = connector
    await connector.connect()
    runner, url = await serve(app.web)
    try:
        async with aiohttp.ClientSession() as http:
            yield SlackBot(app, connector, url, fake_slack, http)
    finally:
        await connector.disconnect()
        await runner.cleanup()
        await services.db.close()


@pytest.fixture
async def slack_bot(
    settings: Settings, clock: FixedClock, fake_slack: FakeSlack, tools: Tools
) -> AsyncIterator[SlackBot]:
    async with running_slack_bot(settings, clock, fake_slack) as bot:
        yield bot
