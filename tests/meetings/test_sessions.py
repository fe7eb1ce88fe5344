"""/sessions and /sessions add, and the sessions the seed documents date."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import sessions
from storage.seed.loader import seed
from tests.conftest import CHAIR


async def test_seeded_sessions_come_from_the_documents(services):
    async with services.db.read() as conn:
        every = await sessions.every(conn)
    labels = [s.label() for s in every]
    assert "RAG, 25-27 May 2020" in labels
    assert "TDAG, 2-5 June 2020" in labels
    assert "TSAG, 23-27 September 2019, Geneva" in labels
    assert all(s.source.startswith("seed: 001_1710667cb7e93dba.txt") for s in every)


async def test_reseeding_adds_no_session(services):
    async with services.db.transaction() as conn:
        report = await seed(conn)
    assert report.added["sessions"] == 0


async def test_a_chair_adds_a_session_and_everyone_sees_it(ask):
    reply = await ask("/sessions add TSAG 2027-01-19 to 2027-01-23 Geneva", who=CHAIR)
    assert reply.text.startswith("Recorded TSAG, 19-23 January 2027, Geneva.")
    again = await ask("/sessions add tsag 19 January 2027 to 23 January 2027 Geneva", who=CHAIR)
    assert "Already recorded" in again.text
    listing = await ask("/sessions")
    assert "• TSAG, 19-23 January 2027, Geneva" in listing.text
    # The 2019/2020 sessions of the seed documents are over: not listed as upcoming.
    assert "2020" not in listing.text


async def test_a_multi_word_place_and_a_month_boundary(ask):
    reply = await ask("/sessions add Council 2027-06-29 to 2027-07-02 Geneva CICG", who=CHAIR)
    assert "Council, 29 June - 2 July 2027, Geneva CICG" in reply.text


async def test_a_session_running_now_is_recorded_in_this_year(ask, clock):
    # Tuesday 1 December 2026: the session began yesterday.
    clock.set(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC))
    reply = await ask("/sessions add RAG 30 Nov to 2 Dec Geneva", who=CHAIR)
    assert reply.text.startswith("Recorded RAG, 30 November - 2 December 2026, Geneva.")
    assert "• RAG, 30 November - 2 December 2026, Geneva" in (await ask("/sessions")).text


async def test_sessions_add_needs_the_secretariat_role(ask):
    reply = await ask("/sessions add TSAG 2027-01-19 to 2027-01-23 Geneva")
    assert reply.error and "chair or secretariat" in reply.text


async def test_sessions_add_refusals(ask):
    unknown = await ask("/sessions add FOO 2027-01-19 to 2027-01-23", who=CHAIR)
    assert unknown.error and 'no group called "FOO"' in unknown.text
    assert "/sessions add TSAG 2027-01-19 to 2027-01-23 Geneva" in unknown.text
    backwards = await ask("/sessions add RAG 2027-05-27 to 2027-05-25", who=CHAIR)
    assert backwards.error and "comes before the first" in backwards.text
    no_to = await ask("/sessions add RAG 2027-05-27", who=CHAIR)
    assert no_to.error and "the last day" in no_to.text
    unreadable = await ask("/sessions add RAG someday to later", who=CHAIR)
    assert unreadable.error and "cannot read the first day" in unreadable.text
    # A typo of the year ("2207"), or a session near the last year Python has, which
    # "/schedule ... | after TSAG" could not look past.
    far = await ask("/sessions add TSAG 9999-12-19 to 9999-12-23 Geneva", who=CHAIR)
    assert far.error and "more than 10 years from now; check the year" in far.text
    assert "/sessions add TSAG 2027-01-19 to 2027-01-23 Geneva" in far.text


async def test_no_upcoming_session(ask):
    reply = await ask("/sessions")
    assert "No upcoming session is recorded" in reply.text


async def test_a_session_dated_in_french_or_spanish_is_recorded(ask):
    """ "/sessions add RAG 25 mai 2027 to 27 mai 2027 Genève" got "I cannot read the first
    day"."""
    reply = await ask("/sessions add RAG 25 mai 2027 to 27 mai 2027 Genève", who=CHAIR)
    assert reply.text.startswith("Recorded RAG, 25-27 May 2027, Genève."), reply.text
    reply = await ask("/sessions add TDAG 2 de junio de 2027 to 5 de junio de 2027", who=CHAIR)
    assert reply.text.startswith("Recorded TDAG, 2-5 June 2027."), reply.text


@pytest.mark.parametrize(
    "days",
    [
        "25 to 27 May 2027 Geneva",
        "25-27 May 2027 Geneva",
        "du 25 au 27 mai 2027 Geneva",
        "del 25 al 27 de mayo de 2027 Geneva",
    ],
)
async def test_a_range_of_days_with_the_month_written_once_is_recorded(ask, days):
    """ "/sessions add RAG 25 to 27 May 2027 Geneva" was refused as longer than a month
    (its first day read as 25 November), and "25-27 May 2027" or "du 25 au 27 mai 2027"
    as having no "to"."""
    reply = await ask(f"/sessions add RAG {days}", who=CHAIR)
    assert reply.text.startswith("Recorded RAG, 25-27 May 2027, Geneva."), reply.text
