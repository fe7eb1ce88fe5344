"""Instants are stored as ISO 8601 UTC text ("2027-01-19T13:00:00Z"), sortable as text."""

from __future__ import annotations

import datetime as dt


def to_db(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("refusing to store a naive datetime")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_db(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
