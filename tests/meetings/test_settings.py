"""ISCG_REMINDERS: lead times of meeting reminders."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config import ConfigError, load_settings


def test_reminder_lead_times(monkeypatch):
    monkeypatch.setenv("ISCG_REMINDERS", "15m, 2d,1h")
    assert load_settings().reminders == [
        dt.timedelta(days=2),
        dt.timedelta(hours=1),
        dt.timedelta(minutes=15),
    ]
    monkeypatch.setenv("ISCG_REMINDERS", "")
    assert load_settings().reminders == []


def test_a_bad_lead_time_names_the_setting(monkeypatch):
    monkeypatch.setenv("ISCG_REMINDERS", "soon")
    with pytest.raises(ConfigError, match="ISCG_REMINDERS"):
        load_settings()


@pytest.mark.parametrize("name", ["CET", "EST", "GB", "Europe/Geneva"])
def test_the_group_zone_is_a_place_not_an_abbreviation(monkeypatch, name):
    monkeypatch.setenv("ISCG_TIMEZONE", name)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value).startswith(f"setting ISCG_TIMEZONE: {name!r} is ")
    assert str(info.value).endswith("; for example ISCG_TIMEZONE=Europe/Zurich")


@pytest.mark.parametrize("name", ["UTC", "Asia/Kathmandu", "Etc/GMT-3"])
def test_the_group_zone_may_be_any_place_or_utc(monkeypatch, name):
    monkeypatch.setenv("ISCG_TIMEZONE", name)
    assert load_settings().timezone == name
