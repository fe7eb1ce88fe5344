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
