"""Shared fixtures: a real SQLite file per test, a fixed clock, a way to ask the bot."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import open_services
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import Reply
from bot.handlers.console import ask_once
from bot.services import Services

# Monday 23 November 2026, 09:00 in Geneva.
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
CHAIR = "email:chair@example.org"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # Tests never read a developer's .env or environment.
    monkeypatch.chdir(tmp_path)
    for name in list(Settings.model_fields):
        info = Settings.model_fields[name]
        for alias in getattr(info.validation_alias, "choices", []):
            monkeypatch.delenv(str(alias), raising=False)
    return Settings(
        ISCG_DB_PATH=tmp_path / "iscg.sqlite3",
        ISCG_CHAIRS=CHAIR,
        PORT=0,
    )


@pytest.fixture
async def services(settings: Settings, clock: FixedClock) -> AsyncIterator[Services]:
    svc = await open_services(settings, clock)
    try:
        yield svc
    finally:
        await svc.db.close()


class Asker:
    """Speak to the bot as someone, in a console channel, like `iscg-bot ask`."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def __call__(
        self, text: str, *, who: str = "console:member", channel: str = "main"
    ) -> Reply:
        return await ask_once(self.services, text, identity=who, channel=channel)


@pytest.fixture
def ask(services: Services) -> Asker:
    return Asker(services)
