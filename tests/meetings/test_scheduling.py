"""Fair slots for a membership like the ISCG's, checked against the plain-Python reference."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bench.naive_slots import naive_rank
from bot.scheduling import PROHIBITIVE, Invitee, choose, quarter_cost, rank_slots
from bot.timeparse import parse_when
from tests.conftest import NOW

UTC = dt.UTC
GENEVA = ZoneInfo("Europe/Zurich")
ISCG = [
    Invitee("Geneva", GENEVA),
    Invitee("Mexico City", ZoneInfo("America/Mexico_City")),
    Invitee("Douala", ZoneInfo("Africa/Douala")),
    Invitee("Beijing", ZoneInfo("Asia/Shanghai")),
    Invitee("Tehran", ZoneInfo("Asia/Tehran")),
    Invitee("Vilnius", ZoneInfo("Europe/Vilnius")),
]
HOUR = dt.timedelta(hours=1)
NEXT_WEEK = (
    (dt.datetime(2026, 11, 29, 23, 0, tzinfo=UTC), dt.datetime(2026, 12, 6, 23, 0, tzinfo=UTC)),
)


def test_costs_rise_steeply_outside_the_day_and_are_prohibitive_at_night():
    assert quarter_cost(8 * 60) == 0 == quarter_cost(19 * 60 + 45)
    assert 0 < quarter_cost(7 * 60 + 45) < quarter_cost(7 * 60) < quarter_cost(6 * 60)
    assert 0 < quarter_cost(20 * 60) < quarter_cost(21 * 60) < quarter_cost(22 * 60 + 45)
    assert quarter_cost(23 * 60) == PROHIBITIVE == quarter_cost(3 * 60) == quarter_cost(5 * 60 + 45)


def test_the_iscg_slot_splits_the_pain_between_mexico_city_and_beijing():
    ranked = rank_slots(ISCG, NEXT_WEEK, HOUR)
    best = ranked[0]
    # 12:30 UTC: 06:30 in Mexico City, 20:30 in Beijing; 13:30 in Geneva.
    assert best.start.time() == dt.time(12, 30)
    assert best.start.astimezone(ZoneInfo("America/Mexico_City")).hour == 6
    assert best.start.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M") == "20:30"
    # Nobody is asked to meet between 23:00 and 06:00, nor on their weekend.
    for slot in ranked:
        for person in ISCG:
            local = slot.start.astimezone(person.zone)
            end = (slot.end - dt.timedelta(minutes=1)).astimezone(person.zone)
            assert local.hour >= 6 and end.hour < 23 and local.weekday() < 5
    # The worst-off attendee is minimised first, then the total.
    assert [s.worst for s in ranked] == sorted(s.worst for s in ranked)


def test_three_proposals_on_different_days():
    picked = choose(rank_slots(ISCG, NEXT_WEEK, HOUR), GENEVA)
    assert len(picked) == 3
    assert len({s.start.astimezone(GENEVA).date() for s in picked}) == 3


def test_same_ranking_as_the_plain_python_reference():
    busy = (
        (dt.datetime(2026, 12, 1, 12, 0, tzinfo=UTC), dt.datetime(2026, 12, 1, 14, 10, tzinfo=UTC)),
    )
    people = [*ISCG[:3], Invitee("Busy Beijing", ZoneInfo("Asia/Shanghai"), busy), ISCG[4]]
    for duration in (HOUR, dt.timedelta(minutes=90), dt.timedelta(minutes=15)):
        fast = rank_slots(people, NEXT_WEEK, duration)
        slow = naive_rank(people, NEXT_WEEK, duration)
        assert [(s.start, s.worst, s.total) for s in fast] == [
            (s.start, s.worst, s.total) for s in slow
        ]
        assert fast


def test_existing_meetings_and_weekends_are_avoided():
    busy = (
        (dt.datetime(2026, 11, 29, 23, 0, tzinfo=UTC), dt.datetime(2026, 12, 3, 23, 0, tzinfo=UTC)),
    )
    people = [ISCG[0], Invitee("Busy", GENEVA, busy)]
    ranked = rank_slots(people, NEXT_WEEK, HOUR)
    # Monday to Thursday are taken and the weekend is out: only Friday 4 December is left.
    assert {s.start.astimezone(GENEVA).date() for s in ranked} == {dt.date(2026, 12, 4)}


def test_during_a_session_slots_fall_outside_its_working_hours(iscg_sessions):
    window = parse_when("during TSAG", now=NOW, zone=GENEVA, sessions=iscg_sessions)
    # Before 09:00 Geneva it is night in Mexico City, after 17:30 night in Beijing:
    # with both invited there is no slot, without Beijing there are evening ones.
    assert rank_slots(ISCG, window.spans, HOUR) == []
    without_beijing = [p for p in ISCG if p.name != "Beijing"]
    ranked = rank_slots(without_beijing, window.spans, HOUR)
    assert ranked
    for slot in ranked:
        local_start, local_end = slot.start.astimezone(GENEVA), slot.end.astimezone(GENEVA)
        assert dt.date(2027, 1, 19) <= local_start.date() <= dt.date(2027, 1, 23)
        assert local_end.time() <= dt.time(9, 0) or local_start.time() >= dt.time(17, 30)


def test_between_sessions_skips_the_session_days(iscg_sessions):
    window = parse_when("between RAG and TDAG", now=NOW, zone=GENEVA, sessions=iscg_sessions)
    picked = choose(rank_slots(ISCG, window.spans, HOUR), GENEVA)
    days = {s.start.astimezone(GENEVA).date() for s in picked}
    # 31 May and 1 June: the weekend of 29-30 May is out, and Friday 28 May is the
    # Tehran member's weekend.
    assert days == {dt.date(2027, 5, 31), dt.date(2027, 6, 1)}


def test_a_window_with_no_acceptable_slot_gives_nothing():
    saturday = (
        (dt.datetime(2026, 12, 5, 8, 0, tzinfo=UTC), dt.datetime(2026, 12, 5, 18, 0, tzinfo=UTC)),
    )
    assert rank_slots(ISCG, saturday, HOUR) == []


def test_each_attendee_keeps_the_weekend_of_their_country():
    """Slots for the ISCG's Tehran member fell on Thursday and Friday, Iran's weekend
    (government offices work Saturday to Wednesday), and a Riyadh member's on Friday;
    Saturday and Sunday were the only weekend days the finder knew."""
    people = [*ISCG, Invitee("Riyadh", ZoneInfo("Asia/Riyadh"))]
    week = (
        (
            dt.datetime(2026, 11, 29, 23, 0, tzinfo=UTC),
            dt.datetime(2026, 12, 13, 23, 0, tzinfo=UTC),
        ),
    )
    ranked = rank_slots(people, week, HOUR)
    assert ranked
    for slot in ranked:
        assert slot.start.astimezone(ZoneInfo("Asia/Tehran")).weekday() not in (3, 4)
        assert slot.start.astimezone(ZoneInfo("Asia/Riyadh")).weekday() not in (4, 5)
        assert slot.start.astimezone(GENEVA).weekday() < 5
    slow = naive_rank(people, week, HOUR)
    assert [(s.start, s.worst, s.total) for s in ranked] == [
        (s.start, s.worst, s.total) for s in slow
    ]
