"""A web client on the bot's own aiohttp application, public or behind a key."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import BotApp, open_services
from bot.clock import FixedClock
from bot.config import Settings
from bot.handlers.web import install_routes
from bot.services import Services

Build = Callable[[Services], Awaitable[TestClient]]


@pytest.fixture
async def client_for() -> AsyncIterator[Build]:
    """Build a test client on the real application of a given `Services`."""
    clients: list[TestClient] = []

    async def build(services: Services) -> TestClient:
        app = BotApp(services)
        install_routes(app)
        client = TestClient(TestServer(app.web))
        await client.start_server()
        clients.append(client)
        return client

    yield build
    for client in clients:
        await client.close()


@pytest.fixture
async def client(services: Services, client_for: Build) -> TestClient:
    return await client_for(services)


@pytest.fixture
def private_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"web_public": False})


@pytest.fixture
async def private_services(
    private_settings: Settings, clock: FixedClock
) -> AsyncIterator[Services]:
    services = await open_services(private_settings, clock)
    try:
        yield services
    finally:
        await services.db.close()


@pytest.fixture
async def private_client(private_services: Services, client_for: Build) -> TestClient:
    return await client_for(private_services)
