"""Instants are stored as ISO 8601 UTC text ("2027-01-19T13:00:00Z"), sortable as text."""

from __future__ import annotations

import datetime as dt

_last: tuple[tuple[int, int, int, int], str] = ((0, 0, 0, 0), "")


def to_db(moment: dt.datetime) -> str:
    global _last
    if moment.tzinfo is not dt.UTC:
        if moment.tzinfo is None:
            raise ValueError("refusing to store a naive datetime")
        moment = moment.astimezone(dt.UTC)
    # Every meeting line is stored through here, and a busy bot stores many in
    # the same second: the last second's text is kept (formatting takes ten
    # times as long as this check), and spelled out rather than strftime'd.
    m = moment
    second = (m.toordinal(), m.hour, m.minute, m.second)
    if second == _last[0]:
        return _last[1]
    text = f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}Z"
    _last = (second, text)
    return text


def from_db(text: str) -> dt.datetime:
    # fromisoformat is fifty times faster than strptime (minutes read thousands of
    # lines), but laxer: it serves only the exact stored shape, strptime refuses the rest.
    if len(text) == 20 and text.endswith("Z"):
        return dt.datetime.fromisoformat(text)
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
