"""Which connection the settings choose, and Socket Mode against a local websocket."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from bot.app import BotApp, open_services
from bot.config import ConfigError
from bot.handlers.slack import EVENTS_PATH, SlackConnector
from tests.slack.conftest import FakeSlack, serve, slack_settings


@pytest.mark.parametrize(
    ("bot", "secret", "app", "on"),
    [
        ("xoxb-1", "s", None, True),  # HTTP mode
        ("xoxb-1", None, "xapp-1", True),  # Socket Mode needs no signing secret
        ("xoxb-1", None, None, False),
        (None, "s", "xapp-1", False),
    ],
)
def test_configured_needs_a_bot_token_and_a_way_in(settings, bot, secret, app, on):
    chosen = settings.model_copy(
        update={"slack_bot_token": bot, "slack_signing_secret": secret, "slack_app_token": app}
    )
    assert SlackConnector.configured(chosen) is on
    assert "SLACK_APP_TOKEN" in SlackConnector.requirement()


async def test_a_token_slack_refuses_stops_start_up_with_one_line(
    settings, clock, fake_slack: FakeSlack
):
    answer = fake_slack.answer

    def refuse(method: str, data: dict[str, Any]) -> dict[str, Any]:
        return (
            {"ok": False, "error": "invalid_auth"}
            if method == "auth.test"
            else answer(method, data)
        )

    fake_slack.answer = refuse  # type: ignore[method-assign]
    services = await open_services(slack_settings(settings, fake_slack.url), clock)
    try:
        with pytest.raises(
            ConfigError, match=r"SLACK_BOT_TOKEN: Slack refused it \(invalid_auth\)"
        ):
            await SlackConnector(BotApp(services)).connect()
    finally:
        await services.db.close()


class SocketSlack:
    """Slack's Socket Mode end: hands out a websocket URL, sends envelopes, keeps acks."""

    def __init__(self) -> None:
        self.acks: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outgoing: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.url = ""

    async def socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1})

        async def pump() -> None:
            while True:
                await ws.send_json(await self.outgoing.get())

        sender = asyncio.create_task(pump())
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    await self.acks.put(json.loads(message.data))
        finally:
            sender.cancel()
        return ws


async def test_app_token_selects_socket_mode_and_commands_arrive_over_it(
    settings, clock, fake_slack: FakeSlack, tools
):
    socket_end = SocketSlack()
    ws_app = web.Application()
    ws_app.router.add_get("/ws", socket_end.socket)
    runner, ws_url = await serve(ws_app)
    answer = fake_slack.answer

    def with_socket(method: str, data: dict[str, Any]) -> dict[str, Any]:
        if method == "apps.connections.open":
            return {"ok": True, "url": ws_url.replace("http", "ws") + "/ws"}
        return answer(method, data)

    fake_slack.answer = with_socket  # type: ignore[method-assign]
    chosen = slack_settings(settings, fake_slack.url, slack_app_token="xapp-test")
    services = await open_services(chosen, clock)
    app = BotApp(services)
    connector = SlackConnector(app)
    try:
        await connector.connect()
        assert connector.socket_mode
        assert not any(
            r.resource and r.resource.canonical == EVENTS_PATH for r in app.web.router.routes()
        )
        await socket_end.outgoing.put(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "command": "/who-coordinates",
                    "text": "accessibility",
                    "user_id": "U1",
                    "channel_id": "C1",
                    "team_id": "T1",
                    "response_url": f"{fake_slack.url}/respond/1",
                },
            }
        )
        async with asyncio.timeout(10):
            ack = await socket_end.acks.get()
        assert ack["envelope_id"] == "env-1"
        assert ack["payload"]["blocks"][0]["text"]["text"] == "Accessibility: who coordinates"
        opened = fake_slack.called("apps.connections.open")
        assert len(opened) == 1
    finally:
        await connector.disconnect()
        await services.db.close()
        await runner.cleanup()
