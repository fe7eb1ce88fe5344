"""Instants are stored as ISO 8601 UTC text ("2027-01-19T13:00:00Z"), sortable as text."""

from __future__ import annotations

import datetime as dt


def to_db(moment: dt.datetime) -> str:
    if moment.tzinfo is not dt.UTC:
        if moment.tzinfo is None:
            raise ValueError("refusing to store a naive datetime")
        moment = moment.astimezone(dt.UTC)
    # Spelled out rather than strftime("%Y-%m-%dT%H:%M:%SZ"), in a quarter of the
    # time: every meeting line is stored through here.
    m = moment
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}Z"


def from_db(text: str) -> dt.datetime:
    # fromisoformat is fifty times faster than strptime (minutes read thousands of
    # lines), but laxer: it serves only the exact stored shape, strptime refuses the rest.
    if len(text) == 20 and text.endswith("Z"):
        return dt.datetime.fromisoformat(text)
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
