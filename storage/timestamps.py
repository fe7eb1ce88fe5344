"""Instants are stored as ISO 8601 UTC text ("2027-01-19T13:00:00Z"), sortable as text."""

from __future__ import annotations

import datetime as dt


def to_db(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("refusing to store a naive datetime")
    # isoformat is the same text as strftime("%Y-%m-%dT%H:%M:%SZ"), in a third less
    # time; every meeting line is stored through here.
    return moment.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def from_db(text: str) -> dt.datetime:
    # fromisoformat is fifty times faster than strptime (minutes read thousands of
    # lines), but laxer: it serves only the exact stored shape, strptime refuses the rest.
    if len(text) == 20 and text.endswith("Z"):
        return dt.datetime.fromisoformat(text)
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
