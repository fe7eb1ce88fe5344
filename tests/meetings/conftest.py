"""Fixtures of the meetings area: sessions like the ISCG's, a chair who asks."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.sessions import Session
from tests.conftest import CHAIR


def session(group: str, first: str, last: str, place: str | None = "Geneva") -> Session:
    return Session(
        id=0,
        group=group,
        first_day=dt.date.fromisoformat(first),
        last_day=dt.date.fromisoformat(last),
        place=place,
        source="test",
    )


@pytest.fixture
def iscg_sessions() -> list[Session]:
    """RAG then TDAG a week apart, as in 2020 (001_1710667cb7e93dba.txt), and a TSAG."""
    return [
        session("TSAG", "2027-01-19", "2027-01-23"),
        session("RAG", "2027-05-25", "2027-05-27"),
        session("TDAG", "2027-06-02", "2027-06-05", None),
    ]


@pytest.fixture
async def chair_sessions(ask) -> None:
    """The same sessions, recorded through the command a chair uses."""
    for line in (
        "/sessions add TSAG 2027-01-19 to 2027-01-23 Geneva",
        "/sessions add RAG 25 May 2027 to 27 May 2027 Geneva",
        "/sessions add TDAG 2027-06-02 to 2027-06-05",
    ):
        reply = await ask(line, who=CHAIR)
        assert not reply.error, reply.text
