"""Action items: owners, due dates, the lifecycle commands and who may change what."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import actions as action_items
from bot.core import LIST_LIMIT
from bot.handlers import discord_render, slack_render
from bot.owners import PeopleIndex, find_owners
from storage import actions, people
from tests.conftest import CHAIR
from tests.digests.conftest import create_action
from tests.minutes.conftest import BOB, JANE, OUTSIDER, SAM


@pytest.mark.parametrize(
    ("text", "platform", "expected"),
    [
        ("Jane Doe to update the mapping tables", "console", ["Jane Doe"]),
        ("jane doe and Bob Smith to meet", "console", ["Jane Doe", "Bob Smith"]),
        ("<@U123> to check the list", "slack", ["Bob Smith"]),
        ("<@4567> to check the list", "discord", ["Jane Doe"]),
        ("Review <@U123>'s slides", "slack", []),  # whose slides, not who reviews them
        ("<@U123> Review TSB's notes", "slack", ["Bob Smith"]),
        ("@jane to send the slides", "console", ["Jane Doe"]),
        ("bob@example.org to send the slides", "console", ["Bob Smith"]),
        ("secretariat to circulate the draft", "console", ["secretariat"]),
        ("TSAG representatives to report back", "console", ["TSAG representatives"]),
        ("The chair to write to the Council", "console", ["the chair"]),
        ("Jane Doe to send the report to the secretariat", "console", ["Jane Doe"]),
        ("Janet Doeson to review", "console", []),  # whole words, not substrings
        ("Bob Smithers to review", "console", []),
        ("@ghost to review", "console", ["@ghost"]),
        ("<@U999> to review", "slack", ["@U999"]),
        ("@everyone to read this", "console", []),
        ("Update the pages (Jane Doe, TDAG reps)", "console", ["Jane Doe", "TDAG representatives"]),
        ("ISC-TF to draft the report", "console", ["ISC-TF"]),
        ("The Inter-Sectoral Coordination Task Force to report", "console", ["ISC-TF"]),
        ("@ISC-TF and TSAG members to meet", "console", ["ISC-TF", "TSAG representatives"]),
        ("Jane Doe to send the report to the ISC-TF", "console", ["Jane Doe"]),
        ("BDT and TSB to update the mapping tables", "console", ["BDT", "TSB"]),
        ("Jane Doe, TSB, to update the tables", "console", ["Jane Doe"]),  # who Jane is
        ("@bob, the chair, will open the call", "console", ["Bob Smith"]),
        ("Jane Doe, TSB, and BDT to update the tables", "console", ["Jane Doe", "TSB", "BDT"]),
        ("The three Bureaux to update the tables", "console", ["the Bureaux"]),
        ("Jane Doe and the Radiocommunication Bureau to meet", "console", ["Jane Doe", "BR"]),
        ("Jane Doe和Bob Smith提交文件", "console", ["Jane Doe", "Bob Smith"]),  # no spaces
        ("Jane Doeson提交文件", "console", []),
    ],
)
async def test_owners_are_found_from_mentions_names_addresses_and_groups(
    services, known, text, platform, expected
):
    async with services.db.read() as conn:
        index = await PeopleIndex.load(conn)
    owners = find_owners(text, platform, index)
    assert [owner.label for owner in owners] == expected
    for owner in owners:
        assert owner.flagged == owner.label.startswith("@")


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("review the draft (Ana Pérez's text)", "unassigned"),
        ("review the draft (Ana’s text)", "unassigned"),
        ("review the draft (Jane Doe's text) - Bob Smith", "Bob Smith"),
        ("Send Jane Doe's comments to the list", "unassigned"),
        ("The secretariat's note to be circulated", "unassigned"),
        ("Send @jane's notes to the list", "unassigned"),
        ("@secretariat's note to be circulated", "unassigned"),
        ("Jane Doe and Ana to check the TSB's figures", "Jane Doe, Ana Pérez"),
        ("Review the draft (Ana Pérez)", "Ana Pérez"),
    ],
)
async def test_a_name_written_as_a_possessive_owns_nothing(ask, known, services, text, owners):
    """'ACTION: review the draft (Ana's text)' was Ana's: a name in brackets says who
    does it, but Ana's text is what the action is about."""
    async with services.db.transaction() as conn:
        await people.create(conn, "Ana Pérez")
    reply = await ask(f"/action {text}", who=BOB)
    assert reply.text.endswith(f"Owners: {owners}; no due date."), reply.text


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("Le secrétariat enverra le projet", "secretariat"),
        ("La Secretaría enviará el documento", "secretariat"),
        ("Секретариату подготовить проект до 4 декабря", "secretariat"),
        ("秘书处提交文件", "secretariat"),
        ("الأمانة ترسل الوثيقة", "secretariat"),
        ("Secrétariat et Jane Doe : envoyer le projet", "secretariat, Jane Doe"),
        # Whom it goes to, never who does it.
        ("Envoyer le projet au secrétariat", "unassigned"),
        ("Направить проект в секретариат", "unassigned"),
        ("将文件发给秘书处", "unassigned"),
    ],
)
async def test_the_secretariat_in_each_language_owns_what_it_opens(ask, known, text, owners):
    """'ACCIÓN: La Secretaría enviará el documento', 'ПОРУЧЕНИЕ: Секретариату подготовить
    проект' or '行动项：秘书处提交文件' in a list post were unassigned, in no one's list:
    only the English 'secretariat' was a group."""
    reply = await ask(f"/action {text}", who=BOB)
    assert f"Owners: {owners};" in reply.text, reply.text


async def test_chinese_names_are_found_in_text_written_without_spaces(services, known):
    """'行动项：张伟提交文件', as Chinese is typed, was unassigned: a name had to end
    before a space or a punctuation mark."""
    async with services.db.transaction() as conn:
        for name in ("张伟", "李娜", "欧阳明华"):
            await people.create(conn, name)
    async with services.db.read() as conn:
        index = await PeopleIndex.load(conn)
    for text, expected in (
        ("张伟提交文件", ["张伟"]),
        ("张伟和李娜负责起草报告", ["张伟", "李娜"]),
        ("请欧阳明华审阅", ["欧阳明华"]),
        ("张伟 提交文件", ["张伟"]),
        ("张三提交文件", []),
        # Further on in the sentence a name is not its subject: the one the file goes
        # to, or no name at all (高峰会议, a summit, is not 高峰's).
        ("秘书处将文件发给张伟", ["secretariat"]),
        ("张伟将文件发给李娜", ["张伟"]),
        ("请张伟和李娜审阅", ["张伟", "李娜"]),
        ("张伟、李娜与Jane Doe提交文件", ["张伟", "李娜", "Jane Doe"]),
    ):
        assert [o.label for o in find_owners(text, "email", index)] == expected, text
    async with services.db.transaction() as conn:
        await people.create(conn, "高峰")
    async with services.db.read() as conn:
        index = await PeopleIndex.load(conn)
    found = find_owners("秘书处准备高峰会议文件", "email", index)  # the secretariat prepares
    assert [owner.label for owner in found] == ["secretariat"]


async def test_an_index_grown_by_each_person_met_is_the_index_read_again(services, known):
    async with services.db.read() as conn:
        first = index = await PeopleIndex.load(conn)
    met = [
        ("email:amina@example.cm", "Amina Diallo"),  # someone new
        ("email:bob@example.org", "Bobby"),  # Bob, known by his address, met by mail
        ("email:jd@example.net", "Jane Doe"),  # a second Jane Doe: the name is no one's alone
        ("email:anon@example.org", ""),  # no display name: named by the address
        ("slack:U777", "amina"),  # a Slack user: a person of their own
    ]
    texts = [
        "Amina Diallo to write",
        "Jane Doe to call",
        "@bobby and @amina to check",
        "bob@example.org and anon@example.org to send",
    ]
    for identity, display in met:
        async with services.db.transaction() as conn:
            person = await people.ensure(conn, identity, display)
        index = index.with_person(person, identity, display)
        async with services.db.read() as conn:
            fresh = await PeopleIndex.load(conn)
        assert (index.people, index.identities, index.by_email) == (
            fresh.people,
            fresh.identities,
            fresh.by_email,
        )
        assert (index.by_display, index.name_ids) == (fresh.by_display, fresh.name_ids)
        assert (index.first_names, index.last_names) == (fresh.first_names, fresh.last_names)
        for text in texts:
            assert find_owners(text, "email", index) == find_owners(text, "email", fresh)
    assert [owner.label for owner in find_owners(texts[0], "email", index)] == ["Amina Diallo"]
    assert find_owners(texts[0], "email", first) == []  # shared: never changed


async def test_lookups_are_shared_once_committed_and_read_again_after_a_change(services, known):
    ctx = await services.context_for(BOB, "bob", "console:main")
    async with services.db.read() as conn:
        shared = await action_items.lookups_for(ctx.services, conn)
        assert await action_items.lookups_for(ctx.services, conn) is shared  # nobody changed
    with pytest.raises(RuntimeError):
        async with services.db.transaction() as conn:
            await people.create(conn, "Zed Zulu")
            assert (
                "zed zulu" in (await action_items.lookups_for(ctx.services, conn)).people.name_ids
            )
            raise RuntimeError("rolled back")
    async with services.db.transaction() as conn:
        await people.create(conn, "Yan Yu")  # the revision the rolled-back change had
    reply = await services.ask(ctx, "/action Yan Yu and Zed Zulu to call")
    assert reply is not None and "Owners: Yan Yu, Zed Zulu (?);" in reply.text  # unknown


async def test_unknown_owner_is_kept_and_flagged(ask, known):
    reply = await ask("/action @ghost and Jane Doe to review the text", who=BOB)
    assert "Owners: @ghost (?), Jane Doe" in reply.text
    assert "I know no one called @ghost; kept as written (flagged)" in reply.text
    listed = await ask("/actions open", who=BOB)
    assert "A1 @ghost and Jane Doe to review the text — @ghost (?), Jane Doe [open]" in listed.text


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("Jane to send the draft", "Jane Doe"),  # a first name no one else has
        ("Jane and the secretariat to send it", "Jane Doe, secretariat"),
        ("Ann Other and Bob Smith to meet", "Ann Other (?), Bob Smith"),  # not dropped unsaid
        ("Ann Other to meet", "unassigned"),  # unknown words alone name no one known
        ("Draft Report to be circulated", "unassigned"),
        ("All to review the terms of reference", "unassigned"),
        ("TSAG to consider the draft", "TSAG representatives"),
        ("Chairman to sign the letter", "the chair"),  # as "The chairman to ..." reads
        ("Chairperson and Jane to sign it", "the chair, Jane Doe"),
        ("ISC-TF and TDAG to consider the draft", "ISC-TF, TDAG representatives"),
        ("Mark the dates for Jane", "unassigned"),  # no subject made of names
        # With no English verb (an action in Spanish, French...), known names opening it.
        ("Jane enviará el documento", "Jane Doe"),
        ("Jane et Bob Smith envoient le projet", "Jane Doe, Bob Smith"),
        ("Ann enviará el documento", "unassigned"),  # unknown: no verb to say it is a name
        # ... and a name after a preposition is whom it goes to, or whose it is.
        ("La Secretaría enviará el documento a Jane Doe", "secretariat"),
        ("Le secrétariat enverra le projet à Jane Doe", "secretariat"),
        ("Jane Doe enviará los comentarios de Bob Smith", "Jane Doe"),
        ("Update the pages (Jane Doe, TDAG reps)", "Jane Doe, TDAG representatives"),
        ("Revisión del borrador por Jane Doe", "Jane Doe"),  # who does it
        # ... and a name further on is what the action is about, not who does it.
        ("Envoyer le projet Jane Doe au secrétariat", "unassigned"),
        ("Circulate Jane Doe's comments", "unassigned"),
        ("إرسال تعليقات Jane Doe على الوثيقة", "unassigned"),
        ("Jane Doe ترسل الوثيقة", "Jane Doe"),  # Arabic: no capitals, a known name leads
        ("Circulate the draft – Bob Smith", "Bob Smith"),  # the owner, as minutes set it
        ("Circulate the draft. Owner: Jane Doe", "Jane Doe"),  # or labelled so
        ("Enviar el documento (responsable: Bob Smith)", "Bob Smith"),
        ("إرسال الوثيقة. المسؤول: Jane Doe", "Jane Doe"),
        # A title is no one's name; after one, a single word is a surname (UN style).
        ("Dr Jane Doe to circulate the draft", "Jane Doe"),
        ("Ms. Doe and Mr Smith to meet", "Jane Doe, Bob Smith"),
        ("Mme Doe envoie le projet", "Jane Doe"),
        ("Mr Other to meet", "unassigned"),
        ("Ms Doe (ITU-T) and Bob (TSB) to meet", "Jane Doe, Bob Smith"),  # who they are
    ],
)
async def test_a_subject_made_of_names_reads_first_names_and_keeps_unknown_ones(
    ask, known, text, owners
):
    reply = await ask(f"/action {text}", who=BOB)
    assert f"Owners: {owners};" in reply.text, reply.text


async def test_owners_named_alone_are_read_in_any_case(ask, known):
    """'/assign A1 the chair and jane' gave A1 to the chair alone, Jane dropped unsaid;
    '/assign A1 jane' or '/assign A1 tsag' answered 'Name the new owner.', and
    '/actions jane' '"jane" is neither a person I know nor a theme'."""
    await ask("/action Bob Smith to book the room", who=BOB)
    assert (await ask("/assign A1 the chair and jane", who=SAM)).text == (
        "A1 now belongs to the chair, Jane Doe."
    )
    assert (await ask("/assign A1 tsag", who=SAM)).text == (
        "A1 now belongs to TSAG representatives."
    )
    assert (await ask("/assign A1 jane", who=SAM)).text == "A1 now belongs to Jane Doe."
    assert (await ask("/actions jane", who=BOB)).text.startswith("Open actions of Jane Doe (1):")
    assert (await ask("/actions climate change", who=BOB)).text.startswith(
        "Open actions on Climate change"
    )


async def test_a_title_before_a_name_two_people_have_names_neither(ask, known, services):
    """'#action Mr Li to present' was Wang Li's, whose last word is Li, though Li Wei's
    name (surname first, as Chinese names are written) starts with it."""
    async with services.db.transaction() as conn:
        await people.create(conn, "Wang Li")
        await people.create(conn, "Li Wei")
    assert "Owners: unassigned;" in (await ask("/action Mr Li to present", who=BOB)).text
    assert "Owners: Wang Li;" in (await ask("/action Mr Wang to present", who=BOB)).text


async def test_an_english_verb_that_is_also_a_first_name_owns_nothing(ask, known, services):
    """'/action Mark the meeting dates in the calendar' was Mark Jones's, the verb read as
    the name a Spanish or French action opens with ('Ana enviará el documento')."""
    async with services.db.transaction() as conn:
        await people.create(conn, "Mark Jones")
    for text in ("Mark the meeting dates in the calendar", "Mark up the draft"):
        reply = await ask(f"/action {text}", who=BOB)
        assert "Owners: unassigned;" in reply.text, reply.text
    assert "Owners: Mark Jones;" in (await ask("/action Mark enviará el documento", who=BOB)).text


async def test_assign_by_first_name_and_never_to_no_one_known(ask, known):
    await ask("/action Bob Smith to book the room", who=BOB)
    assert (await ask("/assign A1 Jane", who=BOB)).text == "A1 now belongs to Jane Doe."
    refused = await ask("/assign A1 @nobody", who=SAM)
    assert refused.error and refused.text.startswith("I know no one called @nobody, so A1 keeps")
    assert "— Jane Doe [open]" in (await ask("/actions open", who=BOB)).text


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Jane Doe to update the tables by Friday", "Fri 27 Nov 2026"),
        ("Jane Doe to update the tables by 15 January", "Fri 15 Jan 2027"),
        ("Jane Doe to update the tables due 2027-01-15", "Fri 15 Jan 2027"),
        ("Jane Doe to update the tables before 15 Dec", "Tue 15 Dec 2026"),
        ("Jane Doe to update the tables before TDAG", "Mon 8 Mar 2027"),
        ("@jane update the tables due by 1 December @bob", "Tue 1 Dec 2026"),
        # Said in meetings and left without a date before: "I cannot read 'end of month'".
        ("Jane Doe to update the tables by end of month", "Mon 30 Nov 2026"),
        ("Jane Doe to update the tables by the end of next week", "Fri 4 Dec 2026"),
        ("Jane Doe to update the tables by end of January", "Sun 31 Jan 2027"),
        ("Jane Doe to update the tables by the end of the year", "Thu 31 Dec 2026"),
        ("Jane Doe to update the tables by COB Friday", "Fri 27 Nov 2026"),
        # As minutes write them: a deadline, a label with its colon.
        ("Jane Doe to update the tables. Deadline: 10 December.", "Thu 10 Dec 2026"),
        ("Jane Doe to update the tables (deadline 4 Dec)", "Fri 4 Dec 2026"),
        ("Jane Doe to update the tables, due: 2027-01-15", "Fri 15 Jan 2027"),
        # Said on 23 November: the 3rd of next month, not late since 3 November.
        ("Jane Doe to update the tables by the 3rd", "Thu 3 Dec 2026"),
        # "By" a day in the members' languages: the actions had no due date.
        ("Jane Doe envoie le projet avant le 4 décembre", "Fri 4 Dec 2026"),
        ("Jane Doe envoie le projet d'ici vendredi", "Fri 27 Nov 2026"),
        ("Jane Doe enviará el documento antes del 4 de diciembre", "Fri 4 Dec 2026"),
        ("Jane Doe подготовит проект до 4 декабря", "Fri 4 Dec 2026"),
        ("Jane Doe ترسل الوثيقة قبل 4 ديسمبر", "Fri 4 Dec 2026"),
        ("Jane Doe 12月4日前提交文件", "Fri 4 Dec 2026"),
        ("Jane Doe 提交文件，截止日期：12月10日", "Thu 10 Dec 2026"),
    ],
)
async def test_due_dates_come_from_the_shared_time_parser(ask, known, text, due):
    added = await ask("/sessions add TDAG 2027-03-08 to 2027-03-11 Geneva", who=CHAIR)
    assert not added.error, added.text
    reply = await ask(f"/action {text}", who=JANE)
    assert f"due {due}." in reply.text, reply.text


async def test_a_preposition_of_another_language_is_no_due_date_unless_one_follows(ask, known):
    reply = await ask("/action Jane Doe доведет проект до сведения членов", who=BOB)
    assert "Owners: Jane Doe; no due date." in reply.text and "No due date" not in reply.text
    reply = await ask("/action Jane Doe envoie le projet avant la réunion", who=BOB)
    assert reply.text.endswith("Owners: Jane Doe; no due date."), reply.text


async def test_a_due_day_without_a_year_just_gone_is_late_not_next_year(ask, known):
    # NOW is Monday 23 November 2026: "by 20 November" was last Friday.
    late = await ask("/action Jane Doe to file the report by 20 November", who=BOB)
    assert "due Fri 20 Nov 2026" in late.text
    assert "is in the past; recorded anyway" in late.text


async def test_a_past_day_written_with_its_weekday_is_that_day(ask, known):
    """Said on 23 November 2026, "by Monday 16 November" was read as Tue 16 Nov 2027."""
    late = await ask("/action Jane Doe to file the report by Monday 16 November", who=BOB)
    assert "due Mon 16 Nov 2026." in late.text
    assert "is in the past; recorded anyway" in late.text
    ahead = await ask("/action Jane Doe to file the report by Tuesday 16 November", who=BOB)
    assert "due Tue 16 Nov 2027." in ahead.text


@pytest.mark.parametrize(
    ("written", "due", "says"),
    [
        (
            "#action Jane Doe to send the slides by Friday",
            "Fri 27 Nov 2026",
            'Due date: "by Friday" said on a Friday is today, Fri 27 Nov 2026; for a week '
            'from today write "by next Friday".',
        ),
        ("#action Jane Doe to send the slides by next Friday", "Fri 4 Dec 2026", None),
        (
            "#action Jane Doe to send the slides by EOD",
            "Fri 27 Nov 2026",
            'Due date: "by EOD" is the end of today, Fri 27 Nov 2026.',
        ),
        (
            "#action Jane Doe to send the slides by COB",
            "Fri 27 Nov 2026",
            'Due date: "by COB" is the end of today, Fri 27 Nov 2026.',
        ),
        (
            "#action Jane Doe to send the slides by end of day",
            "Fri 27 Nov 2026",
            'Due date: "by end of day" is the end of today, Fri 27 Nov 2026.',
        ),
        (
            "#action Jane Doe to send the slides by mid-December",
            "Tue 15 Dec 2026",
            'Due date: "by mid-December" is read as the 15th, Tue 15 Dec 2026.',
        ),
    ],
)
async def test_a_due_date_that_reads_two_ways_is_read_by_the_house_rule_and_said(
    ask, known, clock, written, due, says
):
    # Friday 27 November 2026, 10:00 in Geneva: "by Friday" is today, as "Friday 14:00"
    # said on a Friday morning is (the next time the day comes round).
    clock.set(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC))
    await ask("/meeting start Call", who=JANE)
    reply = await ask(written, who=JANE)
    assert f"Owners: Jane Doe; due {due}." in reply.text, reply.text
    assert "No due date recorded" not in reply.text
    assert (says in reply.text) if says else "Due date:" not in reply.text


async def test_a_due_date_written_month_first_is_that_day(ask, known):
    """'/action Jane Doe to send it by 12/15' was due Tue 12 Nov 2115."""
    reply = await ask("/action Jane Doe to send it by 12/15", who=BOB)
    assert "due Tue 15 Dec 2026." in reply.text, reply.text
    assert '"12/15" read month first' in reply.text
    november = await ask("/action Jane Doe to send it by 11/30", who=BOB)
    assert "due Mon 30 Nov 2026." in november.text, november.text


async def test_a_day_this_month_lacks_is_next_months_and_said(ask, known):
    """'/action Jane Doe to send it by the 31st', said in November, got 'I cannot read
    "the 31st" as a due date'."""
    reply = await ask("/action Jane Doe to send it by the 31st", who=BOB)
    assert "due Thu 31 Dec 2026." in reply.text, reply.text
    assert (
        'Due date: "by the 31st" is read as Thu 31 Dec 2026: November 2026 has 30 days.'
        in reply.text
    )


@pytest.mark.parametrize("due", ["7.12.", "7.12"])
async def test_a_due_date_written_with_dots_is_that_day(ask, known, due):
    """'/action Jane Doe to send it by 7.12.' was due Tue 24 Nov 2026, tomorrow."""
    reply = await ask(f"/action Jane Doe to send it by {due}", who=BOB)
    assert "due Mon 7 Dec 2026." in reply.text, reply.text


async def test_a_day_past_any_months_last_is_no_due_date(ask, known):
    """'/action Jane Doe to send it by the 32nd' was recorded due Mon 1 Nov 2032."""
    reply = await ask("/action Jane Doe to send it by the 32nd", who=BOB)
    assert "2032" not in reply.text, reply.text
    assert "32nd is not a date: no month has so many days." in reply.text


@pytest.mark.parametrize(
    "when",
    [
        "no later than 15 January",
        "avant le 15 janvier",
        "d'ici le 15 janvier",
        "antes del 15 de enero",
        "a más tardar el 15 de enero",
        "до 15 января",
    ],
)
async def test_a_deadline_led_as_delegates_write_it_is_read(ask, known, when):
    """'/due A1 avant le 15 janvier' or 'no later than 15 January' got 'I cannot read'."""
    await ask("/action Jane Doe to send it", who=BOB)
    reply = await ask(f"/due A1 {when}", who=JANE)
    assert reply.text.startswith("A1 is now due Fri 15 Jan 2027."), reply.text


@pytest.mark.parametrize(
    "span",
    [
        "within two weeks",
        "dans les 2 semaines",
        "en las próximas 2 semanas",
        "en los próximos 14 días",
    ],
)
async def test_within_a_span_is_due_when_it_ends(ask, known, span):
    await ask("/action Jane Doe to send it", who=BOB)
    reply = await ask(f"/due A1 {span}", who=JANE)
    assert reply.text.startswith("A1 is now due Mon 7 Dec 2026."), reply.text


@pytest.mark.parametrize(
    "text",
    [
        "Jane Doe to send the draft within two weeks",
        "Jane Doe enverra le projet dans les 2 semaines",
        "Jane Doe enviará el documento en las próximas 2 semanas",
        "Jane Doe enviará el documento en los próximos 14 días",
    ],
)
async def test_an_action_due_within_a_span_is_due_when_it_ends(ask, known, text):
    """'ACTION: Jane Doe to send the draft within two weeks' had no due date (and was in
    no overdue list after them), though '/due A1 within two weeks' read it."""
    reply = await ask(f"/action {text}", who=BOB)
    assert "Owners: Jane Doe; due Mon 7 Dec 2026." in reply.text, reply.text
    prose = await ask("/action Jane Doe to send the draft within the framework", who=BOB)
    assert prose.text.endswith("Owners: Jane Doe; no due date."), prose.text


@pytest.mark.parametrize("year", ["2026", "2027"])
async def test_within_a_year_is_no_span(ask, known, year):
    """'ACTION: Jane Doe to finish the study within 2026', said in November, was recorded
    due Sun 1 Nov 2026 and its author told it was in the past; 'within 2027' on 1 Nov."""
    reply = await ask(f"/action Jane Doe to finish the study within {year}", who=BOB)
    assert reply.text.endswith("Owners: Jane Doe; no due date."), reply.text


async def test_a_name_after_by_is_not_a_french_weekday(ask, known):
    """'reviewed by Sam' was recorded due Sat 28 Nov 2026, '"Sam" read in French'."""
    reply = await ask("/action Jane Doe to update the page, reviewed by Sam", who=BOB)
    assert "Owners: Jane Doe; no due date." in reply.text, reply.text
    assert "French" not in reply.text


@pytest.mark.parametrize("share", ["15%", "2.5%", "50 %", "10 per cent", "3 percent"])
async def test_a_share_after_by_is_no_due_date(ask, known, share):
    """'ACTION: Jane Doe to cut the costs by 15%' was due on 15 December, and 'by 50%' in
    2050: a share is how much, never when."""
    reply = await ask(f"/action Jane Doe to cut the costs by {share}", who=BOB)
    assert reply.text.endswith("Owners: Jane Doe; no due date."), reply.text
    later = await ask(f"/action Jane Doe to cut the costs by {share} by 4 December", who=BOB)
    assert "due Fri 4 Dec 2026." in later.text, later.text


@pytest.mark.parametrize(
    "text",
    [
        "Secretariat to raise the budget by 2.5",
        "Secretariat to raise the budget by 1.25",
        "Secretariat to raise the budget by 3",
        "Secretariat to raise the budget by CHF 2,500",
        "Secretariat to raise the budget by USD 1.5 million",
        "Secretariat to cut the list by 2 pages",
        "Secretariat to cut the list by half",
        "Secretariat to extend the deadline by 2 weeks",
        "Secretariat to inform members, the deadline extended by 2 weeks",
        "Secretariat to increase the number of focal points in each Sector by 2",
        "Jane Doe сократит расходы до 2,5",
    ],
)
async def test_an_amount_after_by_is_no_due_date(ask, known, text):
    """'ACTION: Secretariat to raise the budget by 2.5' was due on 2 May, 'by 1.25' on
    25 January, 'by 2 weeks' in two weeks, and 'by half' told its author that no due
    date could be read: after a verb that changes an amount, it is how much."""
    reply = await ask(f"/action {text}", who=BOB)
    assert reply.text.endswith("; no due date."), reply.text
    later = await ask(f"/action {text} by 4 December", who=BOB)
    assert "due Fri 4 Dec 2026." in later.text, later.text


async def test_a_number_after_by_with_no_amount_to_change_is_still_a_date(ask, known):
    reply = await ask("/action Jane Doe to send it by 7.12", who=BOB)
    assert "due Mon 7 Dec 2026." in reply.text, reply.text
    reply = await ask("/action Jane Doe to cut the budget by 4 December", who=BOB)
    assert "due Fri 4 Dec 2026." in reply.text, reply.text
    reply = await ask("/action Jane Doe to cut the budget by Fridya", who=BOB)
    assert 'No due date recorded: I cannot read "Fridya"' in reply.text, reply.text


@pytest.mark.parametrize(
    "text",
    [
        "Jane Doe to upload the slides to Dropbox by 7.12",
        "Jane Doe to merge the multiple inputs by 7.12",
        "Jane Doe to explain the delay by 7.12",
        "Jane Doe to agree the cutoff by 7.12",
        "Jane Doe to raise the matter with TSAG by 7.12",
        "Jane Doe to increase awareness of the survey by 7.12",
    ],
)
async def test_a_date_after_a_word_like_a_change_verb_is_still_a_date(ask, known, text):
    """'ACTION: Jane Doe to upload the slides to Dropbox by 7.12' had no due date, and no
    warning: "Dropbox" was read as "drop", and "by 7.12" as how much."""
    reply = await ask(f"/action {text}", who=BOB)
    assert reply.text.endswith("Owners: Jane Doe; due Mon 7 Dec 2026."), reply.text


async def test_a_bracket_around_or_after_a_due_date_is_not_the_dates(ask, known):
    """'... by 4 December (final deadline: TBC)' told its author 'I cannot read "4 December
    (final deadline: TBC)"', and '(deadline: Fridya)' said back "Fridya)"."""
    reply = await ask("/action Jane Doe to send it by 4 December (to be confirmed)", who=BOB)
    assert reply.text.endswith("Owners: Jane Doe; due Fri 4 Dec 2026."), reply.text
    typo = await ask("/action Jane Doe to send it (deadline: Fridya)", who=BOB)
    assert 'I cannot read "Fridya" as a due date' in typo.text, typo.text


@pytest.mark.parametrize("none", ["Deadline: TBD", "(deadline: ongoing)", "due: n/a", "by ASAP"])
async def test_a_due_date_said_not_to_be_set_yet_is_no_warning(ask, known, none):
    """'ACTION: Jane Doe to send it. Deadline: TBD' told its author 'No due date recorded:
    I cannot read "TBD" as a due date', of a date they had said was not set yet."""
    reply = await ask(f"/action Jane Doe to send it {none}", who=BOB)
    assert reply.text.endswith("Owners: Jane Doe; no due date."), reply.text


@pytest.mark.parametrize(
    "after",
    [". Final deadline: TBD", ", deadline: ongoing", "; deadline for comments: TBC", ". Thanks!"],
)
async def test_a_due_date_ends_where_its_sentence_or_another_label_does(ask, known, after):
    """'ACTION: Jane Doe to send it by 4 December. Final deadline: TBD' told its author
    'I cannot read "4 December. Final deadline: TBD" as a due date', and recorded none."""
    reply = await ask(f"/action Jane Doe to send it by 4 December{after}", who=BOB)
    assert reply.text.endswith("Owners: Jane Doe; due Fri 4 Dec 2026."), reply.text


@pytest.mark.parametrize(
    ("when", "due"),
    [
        ("by Q1 2027", "Wed 31 Mar 2027"),
        ("by the end of Q2", "Wed 30 Jun 2027"),
        ("by Q4", "Thu 31 Dec 2026"),
    ],
)
async def test_a_quarter_is_due_on_its_last_day(ask, known, when, due):
    """'ACTION: Jane Doe to send it by Q1 2027' was due Mon 1 Feb 2027, two months early."""
    reply = await ask(f"/action Jane Doe to send it {when}", who=BOB)
    assert f"Owners: Jane Doe; due {due}." in reply.text, reply.text
    assert f"is read as the end of the quarter, {due}." in reply.text


@pytest.mark.parametrize(
    ("when", "due"),
    [("before Q2", "Wed 31 Mar 2027"), ("before Q1 2027", "Thu 31 Dec 2026")],
)
async def test_before_a_quarter_is_before_it_starts(ask, known, when, due):
    """'ACTION: Jane Doe to send it before Q2' was due Wed 30 Jun 2027, three months after
    the day it was meant to be done by."""
    reply = await ask(f"/action Jane Doe to send it {when}", who=BOB)
    assert f"Owners: Jane Doe; due {due}." in reply.text, reply.text
    assert f'"{when}" is read as the day before the quarter starts, {due}.' in reply.text
    end = await ask("/action Jane Doe to send it before the end of Q2", who=BOB)
    assert "Owners: Jane Doe; due Wed 30 Jun 2027." in end.text, end.text


async def test_past_and_unreadable_due_dates(ask, known, services):
    past = await ask("/action Jane Doe to file the report by 3 March 2025", who=BOB)
    assert "due Mon 3 Mar 2025" in past.text
    assert "is in the past; recorded anyway" in past.text
    unreadable = await ask("/action Jane Doe to file the report by Fridya", who=BOB)
    assert "no due date" in unreadable.text
    assert "No due date recorded" in unreadable.text and "/due A2" in unreadable.text
    no_session = await ask("/action Jane Doe to report before RAG", who=BOB)
    assert "No upcoming RAG session is recorded" in no_session.text
    by_person = await ask("/action Update the page, reviewed by Bob Smith", who=BOB)
    assert "No due date recorded" not in by_person.text
    async with services.db.read() as conn:
        stored = [(a.ref, a.due_date) for a in await actions.listing(conn)]
    assert [ref for ref, due in stored if due is not None] == ["A1"]
    assert len(stored) == 4
    overdue = await ask("/actions overdue", who=BOB)
    assert "A1 Jane Doe to file the report by 3 March 2025" in overdue.text
    assert "[OVERDUE]" in overdue.text and "A2" not in overdue.text
    noun = await ask("/action Jane Doe to check the deadline for comments", who=BOB)
    assert "No due date recorded" not in noun.text and "no due date." in noun.text
    label = await ask("/action Jane Doe to send it. Deadline: whenever", who=BOB)
    assert 'No due date recorded: I cannot read "whenever"' in label.text


async def test_action_lifecycle_and_permissions(ask, known):
    created = await ask("/action Jane Doe to update the mapping tables by Friday", who=BOB)
    assert created.text.startswith("Recorded A1: Jane Doe to update the mapping tables by Friday")
    mine = await ask("/actions", who=JANE)
    assert mine.text.startswith("Your open actions (1):")
    assert "A1 Jane Doe to update the mapping tables by Friday — Jane Doe, due Fri 27 Nov 2026" in (
        mine.text
    )
    assert (await ask("/actions mine", who=BOB)).text == "Your open actions: none."

    refused = await ask("/done A1", who=OUTSIDER)
    assert refused.error
    assert "Only Jane Doe, ISCG chairs and the secretariat can change A1." in refused.text
    assert (await ask("/due A1 15 January", who=OUTSIDER)).error

    done = await ask("/done A1 sent on Monday", who=JANE)
    assert done.text == (
        "A1 is done: Jane Doe to update the mapping tables by Friday\nNote: sent on Monday"
    )
    assert (await ask("/actions", who=JANE)).text == "Your open actions: none."
    assert "A1 Jane Doe to update" in (await ask("/actions done", who=BOB)).text
    assert (await ask("/reopen 1", who=JANE)).text.startswith("A1 is open again")

    moved = await ask("/assign A1 @bob", who=SAM)
    assert moved.text == "A1 now belongs to Bob Smith."
    assert "A1" in (await ask("/actions mine", who=BOB)).text
    assert (await ask("/done A1", who=JANE)).error  # no longer hers

    due = await ask("/due A1 15 January", who=BOB)
    assert due.text == "A1 is now due Fri 15 Jan 2027."
    bad = await ask("/due A1 someday soonish", who=BOB)
    assert bad.error and 'cannot read "someday soonish"' in bad.text
    assert "Bob Smith, due Fri 15 Jan 2027" in (await ask("/actions @bob", who=JANE)).text
    assert (await ask("/done A99", who=BOB)).text.startswith("There is no action A99")
    for command in ("/done", "/reopen", "/due A{} Friday", "/assign A{} @jane"):  # no apology
        typed = command.format("9" * 23) if "{}" in command else f"{command} A{'9' * 23}"
        refused = await ask(typed, who=BOB)
        assert refused.text.startswith(f"There is no action A{'9' * 23}."), refused.text
    assert (await ask("/done x1", who=BOB)).error


async def test_meeting_chairs_may_change_the_meetings_actions(ask, known):
    await ask("/meeting start Call", who=JANE)
    await ask("#action Bob Smith to write the note", who=JANE)
    await ask("/meeting end", who=JANE)
    assert (await ask("/done A1", who=JANE)).text.startswith("A1 is done")
    outsider = await ask("/reopen A1", who=OUTSIDER)
    assert "Only Bob Smith, the meeting's chairs (Jane Doe), ISCG chairs" in outsider.text


async def test_done_twice_or_reopening_an_open_action_changes_nothing(ask, known, services):
    await ask("/action Jane Doe to send the report", who=BOB)
    assert (await ask("/reopen A1", who=JANE)).text == "A1 is already open; nothing changed."
    await ask("/done A1 sent", who=JANE)
    async with services.db.read() as conn:
        before = await actions.get(conn, 1)
    again = await ask("/done A1 sent", who=JANE)
    assert again.text == "A1 was already done on Mon 23 Nov 2026; nothing changed."
    assert not again.public
    async with services.db.read() as conn:
        assert await actions.get(conn, 1) == before  # same closer, date and note


async def test_done_closes_every_action_it_names(ask, known, services):
    """`/done A1 A2` closed A1 with the note "A2" and left A2 open; `/done A1, A2` was
    refused as no action id."""
    for text in ("Jane Doe to send it", "Jane Doe to print 2 copies", "Bob Smith to book"):
        await ask(f"/action {text}", who=JANE)
    done = await ask("/done A1 A2", who=JANE)
    assert done.text == ("A1 is done: Jane Doe to send it\nA2 is done: Jane Doe to print 2 copies")
    async with services.db.read() as conn:
        assert [(a.status, a.note) for a in await actions.listing(conn, status="done")] == [
            ("done", None),
            ("done", None),
        ]
    await ask("/reopen A2", who=JANE)
    assert (await ask("/done A2, A1", who=JANE)).text == (
        "A2 is done: Jane Doe to print 2 copies\n"
        "A1 was already done on Mon 23 Nov 2026; nothing changed."
    )
    refused = await ask("/done A2 and A3", who=JANE)  # A3 is Bob's: nothing closed
    assert refused.error and refused.text.startswith("Only Bob Smith")
    assert (await ask("/actions mine", who=BOB)).text.startswith("Your open actions (1)")
    await ask("/reopen A2", who=JANE)
    noted = await ask("/done A2 2 copies sent", who=JANE)  # a number starts a note
    assert noted.text.endswith("\nNote: 2 copies sent")
    for ref in ("A1", "A2"):
        await ask(f"/reopen {ref}", who=JANE)
    stopped = await ask("/done A1 and A2.", who=JANE)  # a mail's sentence: no note "."
    assert stopped.text == (
        "A1 is done: Jane Doe to send it\nA2 is done: Jane Doe to print 2 copies"
    )
    for ref in ("A1", "A2"):
        await ask(f"/reopen {ref}", who=JANE)
    both = await ask("/done A1, A2 sent both", who=JANE)  # the note after the ids: both's
    assert both.text == (
        "A1 is done: Jane Doe to send it\nNote: sent both\n"
        "A2 is done: Jane Doe to print 2 copies\nNote: sent both"
    )


async def test_reopen_opens_every_action_it_names(ask, known):
    """'/reopen A1 A2', as '/done A1 A2' closes both, answered '"A1 A2" is not an action
    id; ids look like A12.'"""
    for text in ("Jane Doe to send it", "Jane Doe to print it", "Bob Smith to book"):
        await ask(f"/action {text}", who=JANE)
    await ask("/done A1 A2", who=JANE)
    assert (await ask("/reopen A1 A2", who=JANE)).text == (
        "A1 is open again: Jane Doe to send it\nA2 is open again: Jane Doe to print it"
    )
    await ask("/done A1", who=JANE)
    assert (await ask("/reopen A1, A2.", who=JANE)).text == (
        "A1 is open again: Jane Doe to send it\nA2 is already open; nothing changed."
    )
    await ask("/done A1", who=JANE)
    refused = await ask("/reopen A1 and A3", who=JANE)  # A3 is Bob's: nothing reopened
    assert refused.error and refused.text.startswith("Only Bob Smith")
    assert "A1 Jane Doe to send it" in (await ask("/actions done", who=JANE)).text


async def test_ids_listed_as_chinese_and_arabic_keyboards_type_them_are_ids(ask, known):
    """'/done A1、A2' (Chinese lists with '、'), '/done A1، A2' (an Arabic keyboard's
    comma) or '/done Ａ１' (full-width, as a Chinese keyboard may type it) answered that
    it is not an action id."""
    for text in ("Jane Doe to send it", "Jane Doe to print it"):
        await ask(f"/action {text}", who=JANE)
    both = "A1 is done: Jane Doe to send it\nA2 is done: Jane Doe to print it"
    for typed in ("/done A1、A2", "/done A1，A2", "/done A1، A2", "/done A1 et A2"):
        assert (await ask(typed, who=JANE)).text.startswith(both), typed
        assert (await ask("/reopen A1,A2", who=JANE)).text.startswith("A1 is open again")
    assert (await ask("/done A1，A2 已发送", who=JANE)).text.endswith("\nNote: 已发送")
    await ask("/reopen A1、A2", who=JANE)
    assert (await ask("/done Ａ１", who=JANE)).text == "A1 is done: Jane Doe to send it"


async def test_an_id_ending_a_mails_sentence_is_the_id(ask, known):
    """'/done A1.' or '/reopen A1.', as a mail's sentence ends, answered '"A1." is not an
    action id'."""
    await ask("/action Jane Doe to send it", who=JANE)
    assert (await ask("/done A1.", who=JANE)).text == "A1 is done: Jane Doe to send it"
    assert not (await ask("/reopen A1.", who=JANE)).error
    assert (await ask("/due A1, 4 December", who=JANE)).error is False


async def test_a_mistyped_id_is_answered_with_an_example_of_the_command_typed(ask, known):
    """'/reopen x1' or '/due x1 Friday' answered 'For example: /done A12': copied, it
    closed an action the member meant to reopen or give a date."""
    await ask("/action Jane Doe to send it", who=JANE)
    for typed, example in (
        ("/done x1", "/done A12"),
        ("/reopen x1", "/reopen A12"),
        ("/due x1 Friday", "/due A12 15 January"),
        ("/assign x1 @bob", "/assign A12 @jane"),
    ):
        refused = await ask(typed, who=JANE)
        assert refused.error and refused.text == (
            f'"x1" is not an action id; ids look like A12.\nFor example: {example}'
        ), refused.text


async def test_a_note_that_starts_with_an_id_like_word_closes_nothing_else(ask, known):
    """`/done A1 A2 paper copies printed` (A4 paper, an A3 poster) closed A2 as well, an
    action nobody meant; an id with words after it, set apart by a space alone, is the
    note's."""
    for text in ("Jane Doe to print the report", "Jane Doe to book the room"):
        await ask(f"/action {text}", who=JANE)
    done = await ask("/done A1 A2 paper copies printed", who=JANE)
    assert done.text == "A1 is done: Jane Doe to print the report\nNote: A2 paper copies printed"
    assert "A2 Jane Doe to book the room" in (await ask("/actions open", who=JANE)).text
    await ask("/reopen A1", who=JANE)
    both = await ask("/done A1 and A2 printed", who=JANE)
    assert "A2 is done" in both.text and both.text.endswith("Note: printed")


async def test_a_new_note_for_an_action_done_already_is_kept(ask, known, services, clock):
    """`/done A1 sent` then, a day later, `/done A1 @everyone: minutes of TSAG`: the second
    note was dropped under "nothing changed"; it now replaces the first, the date stays."""
    await ask("/action Jane Doe to send the report", who=BOB)
    await ask("/done A1 sent", who=JANE)
    clock.advance(hours=24)
    again = await ask("/done A1 @everyone: with the minutes of TSAG", who=JANE)
    assert again.text == (
        "A1 was already done on Mon 23 Nov 2026; its note is now: "
        "@\u2060everyone: with the minutes of TSAG"
    )
    assert again.public
    listed = await ask("/actions done", who=BOB)
    assert "[done: @\u2060everyone: with the minutes of TSAG]" in listed.text
    async with services.db.read() as conn:
        action = await actions.get(conn, 1)
    assert action is not None and action.closed_at == clock.now() - dt.timedelta(hours=24)
    refused = await ask("/done A1 my own note", who=OUTSIDER)
    assert refused.error and "Only Jane Doe" in refused.text


async def test_a_refusal_names_each_who_may_change_once(ask, known):
    await ask("/meeting start Call", who=JANE)
    await ask("#action Bob Smith and the secretariat to circulate the draft", who=JANE)
    await ask("/meeting end", who=JANE)
    refused = await ask("/done A1", who=OUTSIDER)
    assert refused.error
    assert refused.text.startswith(
        "Only Bob Smith, the meeting's chairs (Jane Doe), ISCG chairs and the secretariat "
        "can change A1."
    )


async def test_group_owners_see_their_groups_actions(ask, known, services):
    async with services.db.transaction() as conn:
        [dominique] = await people.by_name(conn, "Dominique Wurges")
        await people.link_identity(conn, "console:dominique", dominique.id, "dominique")
    await ask("/action TSAG representatives to report on the survey", who=JANE)
    await ask("/action secretariat to circulate the draft", who=JANE)
    tsag = await ask("/actions", who="console:dominique")
    assert "A1 TSAG representatives to report" in tsag.text and "A2" not in tsag.text
    assert (await ask("/done A1", who="console:dominique")).text.startswith("A1 is done")
    secretariat = await ask("/actions", who=SAM)
    assert "A2 secretariat to circulate" in secretariat.text
    listed = await ask("/actions secretariat", who=JANE)
    assert listed.text.startswith("Open actions of secretariat (1)")
    # The ISC-TF is the secretariat's focal points: its actions are theirs.
    await ask("/action ISC-TF to draft the report", who=JANE)
    assert "A3 ISC-TF to draft the report — ISC-TF [open]" in (await ask("/actions", who=SAM)).text
    assert (await ask("/actions ISC-TF", who=JANE)).text.startswith("Open actions of ISC-TF (1)")
    refused = await ask("/done A3", who=JANE)
    assert refused.error and refused.text.startswith(
        "Only ISCG chairs and the secretariat can change A3."
    )
    # The Bureaux are the secretariat's too; who works in which is not known.
    await ask("/action TSB to update the mapping tables", who=JANE)
    assert (await ask("/actions TSB", who=JANE)).text.startswith("Open actions of TSB (1)")
    # A filter is typed as it comes: 'tsb', 'tsag' named nobody and no theme.
    assert (await ask("/actions tsb", who=JANE)).text.startswith("Open actions of TSB (1)")
    assert (await ask("/actions tsag", who=JANE)).text.startswith(
        "Open actions of TSAG representatives: none"
    )
    refused = await ask("/done A4", who=JANE)
    assert refused.text.startswith("Only ISCG chairs and the secretariat can change A4.")
    assert (await ask("/done A4", who=SAM)).text.startswith("A4 is done")


async def test_actions_of_a_theme(ask, known):
    await ask("/action Jane Doe to update the climate change page", who=BOB)
    await ask("/action Bob Smith to fix the e-waste figures", who=BOB)
    await ask("/action Jane Doe to book a room", who=BOB)
    reply = await ask("/actions climate change", who=BOB)
    assert reply.text.startswith("Open actions on Climate change (2)")
    assert "A1" in reply.text and "A2" in reply.text and "A3" not in reply.text
    unknown = await ask("/actions zzzz qqqq", who=BOB)
    assert unknown.error and "neither a person I know nor a theme" in unknown.text


async def test_a_state_and_whose_together_filter_by_both(ask, known):
    """'/actions overdue @jane' listed all Jane's open actions, titled 'Open actions of
    Jane Doe', the word 'overdue' left unread; '/actions mine done' was refused."""
    await ask("/action Jane Doe to file the climate change report by 20 November", who=BOB)
    await ask("/action Jane Doe to book a room by Friday", who=BOB)
    await ask("/action Bob Smith to update the climate change page by 2 November", who=BOB)
    await ask("/action Jane Doe to send the slides", who=BOB)
    await ask("/done A4", who=JANE)
    overdue = await ask("/actions overdue @jane", who=BOB)
    assert overdue.text.splitlines() == [
        "Overdue actions of Jane Doe (1):",
        "A1 Jane Doe to file the climate change report by 20 November — Jane Doe,"
        " due Fri 20 Nov 2026 [OVERDUE]",
    ]
    assert (await ask("/actions Jane Doe done", who=BOB)).text.startswith(
        "Done actions of Jane Doe (1):\nA4 "
    )
    assert (await ask("/actions mine done", who=JANE)).text.startswith("Your done actions (1):")
    on_theme = await ask("/actions overdue climate change", who=JANE)
    assert on_theme.text.startswith("Overdue actions on Climate change (2):")
    assert "A2" not in on_theme.text
    assert (await ask("/actions open @jane", who=BOB)).text.startswith(
        "Open actions of Jane Doe (2):"
    )
    assert (await ask("/actions overdue tsb", who=BOB)).text == "Overdue actions of TSB: none."


async def test_action_outside_meeting_deduplicated_by_message_id(say, known, services):
    first = await say("/action Jane Doe to call", who=BOB, channel="slack:C9", message_id="9.1")
    assert first is not None and first.text.startswith("Recorded A1")
    again = await say("/action Jane Doe to call", who=BOB, channel="slack:C9", message_id="9.1")
    assert again is not None and again.text == "That message was recorded already."
    async with services.db.read() as conn:
        [only] = await actions.listing(conn)
    assert only.platform == "slack" and only.channel == "slack:C9"


async def test_slash_action_inside_a_meeting_joins_the_minutes(ask, known):
    await ask("/meeting start Call", who=JANE)
    await ask("/action Bob Smith to send the slides", who=BOB)
    text = (await ask("/meeting end", who=JANE)).markdown
    assert "- ACTION **A1** Bob Smith to send the slides — Bob Smith, no due date" in text
    empty = await ask("/action", who=BOB)
    assert empty.error and "Say what is to be done" in empty.text


async def test_a_due_date_of_today_is_today_not_next_year(ask, known, clock):
    # Tuesday 1 December 2026, 03:00 in Geneva.
    clock.set(dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC))
    await ask("/action Bob Smith to send the slides", who=BOB)
    assert (await ask("/due A1 1 December", who=BOB)).text == "A1 is now due Tue 1 Dec 2026."
    assert (await ask("/due A1 01/12", who=BOB)).text == "A1 is now due Tue 1 Dec 2026."
    next_year = await ask("/due A1 1 December 2027", who=BOB)
    assert next_year.text == "A1 is now due Wed 1 Dec 2027."
    await ask("/meeting start Call", who=JANE)
    await ask("#action Jane Doe to book a room by 1 December", who=JANE)
    minutes = (await ask("/meeting end", who=JANE)).markdown
    assert "Jane Doe to book a room by 1 December — Jane Doe, due Tue 1 Dec 2026" in minutes


async def test_a_due_date_in_french_or_spanish_is_set_and_said(ask, known):
    """ "/due A1 15 janvier" got 'I could not read "15 janvier" as a date'."""
    await ask("/action Bob Smith to send the slides", who=BOB)
    reply = await ask("/due A1 15 janvier", who=BOB)
    assert reply.text == (
        'A1 is now due Fri 15 Jan 2027.\nDue date: "15 janvier" read in French as "15 january".'
    )
    reply = await ask("/due A1 el viernes", who=BOB)
    assert reply.text.startswith("A1 is now due Fri 27 Nov 2026."), reply.text


@pytest.mark.parametrize("none", ["none", "no due date", "N/A", "sin fecha", "нет"])
async def test_due_none_takes_the_due_date_away(ask, known, none):
    """'/due A1 none' got 'I cannot read "none" as a due date', and 'no due date' 'I cannot
    read "date"': a date set by mistake could not be taken away."""
    await ask("/action Jane Doe to send it by Friday", who=BOB)
    reply = await ask(f"/due A1 {none}", who=JANE)
    assert reply.text == "A1 now has no due date.", reply.text
    listed = await ask("/actions", who=JANE)
    assert "A1 Jane Doe to send it by Friday — Jane Doe [open]" in listed.text, listed.text
    refused = await ask("/due A1 none", who=OUTSIDER)
    assert refused.error and "Only Jane Doe" in refused.text


@pytest.mark.parametrize("when", ["TBD", "to be confirmed", "ongoing"])
async def test_due_tbd_takes_the_due_date_away_as_a_line_reads_it(ask, known, when):
    """'ACTION: ... Deadline: TBD' records no due date, but '/due A1 TBD', when the date
    set turned out not to be settled, got 'I could not read "TBD" as a date.'"""
    await ask("/action Jane Doe to send it by Friday", who=BOB)
    reply = await ask(f"/due A1 {when}", who=JANE)
    assert reply.text == "A1 now has no due date.", reply.text


async def test_due_without_a_date_asks_for_one(ask, known):
    """'/due A1' answered 'I could not read "" as a date.'"""
    await ask("/action Bob Smith to send the slides", who=BOB)
    for typed in ("/due A1", "/due A1   "):
        reply = await ask(typed, who=BOB)
        assert reply.error and reply.text == "Say when A1 is due.\nFor example: /due A1 15 January"


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("2027-13-01", "2027-13-01 is not a date: there is no month 13."),
        ("2027-31-12", "2027-31-12 is not a date: there is no month 31."),
        ("31 Feb", "31 Feb is not a date: February 2027 has 28 days."),
        ("before RAG", "No upcoming RAG session is recorded."),
    ],
)
async def test_due_says_why_a_date_is_refused(ask, known, written, says):
    await ask("/action Bob Smith to send the slides", who=BOB)
    reply = await ask(f"/due A1 {written}", who=BOB)
    assert reply.error and reply.text == f"{says}\nFor example: /due A1 15 January"


async def test_the_note_of_done_is_shown_defanged_in_the_reply_and_the_done_list(ask, known):
    await ask("/action Jane Doe to send the report", who=BOB)
    done = await ask("/done A1 sent to the list, told @everyone", who=JANE)
    assert done.text.endswith("\nNote: sent to the list, told @\u2060everyone")
    listed = await ask("/actions done", who=BOB)
    assert listed.text == (
        "Done actions (1):\n"
        "A1 Jane Doe to send the report — Jane Doe [done: sent to the list, told @\u2060everyone]"
    )
    await ask("/reopen A1", who=JANE)
    plain = await ask("/done A1", who=JANE)
    assert plain.text == "A1 is done: Jane Doe to send the report"
    # The first note told how it was done the first time, not now.
    assert (await ask("/actions done", who=BOB)).text.endswith(" — Jane Doe [done]")


async def test_a_member_named_with_at_in_any_script_is_found(ask, services, known):
    """`/actions @张伟` as `/actions @bob`: a handle is a name in the writer's script."""
    async with services.db.transaction() as conn:
        zhang = await people.create(conn, "张伟", email="zhang@example.org")
        await people.link_identity(conn, "console:zhang", zhang.id, "张伟")
    await ask("/action @张伟 to circulate the slides by Friday", who=JANE)
    listed = await ask("/actions @张伟", who=JANE)
    assert not listed.error, listed.text
    assert "A1" in listed.text and "张伟" in listed.text


async def test_a_long_list_of_actions_is_cut_and_says_where_the_rest_are(ask, known, services):
    """400 open actions made `/actions open` 400 lines: some twenty Discord messages or
    Slack posts in a row. The answer now lists the first ones, counts the rest and says
    how to narrow the list and where all open ones are; it fits one message anywhere."""
    async with services.db.transaction() as conn:
        for number in range(400):
            owner = actions.Owner(label="Jane Doe", person_id=known["jane"])
            await create_action(
                conn, f"Jane Doe to review liaison statement {number}", [owner], None, 1,
                services.now(),
            )  # fmt: skip
    listed = await ask("/actions open", who=BOB)
    lines = listed.text.splitlines()
    assert lines[0] == "Open actions (400):" and len(lines) == LIST_LIMIT + 2
    assert lines[-1] == (
        f"… and {400 - LIST_LIMIT} more. Narrow the list: /actions overdue, /actions @person,"
        " /actions <theme>; all open ones are at http://localhost:8080/actions."
    )
    assert len(discord_render.render(listed)) == 1
    assert len(slack_render.render(listed)) == 1
    services.settings.web_public = False  # the page's link carries a key: not in a reply
    mine = await ask("/actions", who=JANE)
    assert mine.text.endswith("all open ones are on the web pages (/calendar gives their link).")
    assert "key=" not in mine.text
    async with services.db.transaction() as conn:
        for action in await actions.listing(conn, status="open"):
            await actions.set_status(conn, action.id, "done", person_id=1, now=services.now())
    done = await ask("/actions done", who=BOB)
    assert done.text.endswith(f"\n… and {400 - LIST_LIMIT} more.")


async def test_a_list_of_long_actions_cuts_each_text_not_its_owners(ask, known, services):
    """Twenty-five actions of 4,000 characters each made `/actions` fifty Discord
    messages; each line now shows the start of the text, its owners and due date."""
    owner = actions.Owner(label="Jane Doe", person_id=known["jane"])
    async with services.db.transaction() as conn:
        for number in range(LIST_LIMIT):
            text = f"Jane Doe to review statement {number} " + "word " * 790
            await create_action(conn, text, [owner], None, 1, services.now())
    listed = await ask("/actions open", who=BOB)
    for line in listed.text.splitlines()[1:]:
        assert line.endswith("… — Jane Doe [open]") and len(line) < 200
    assert len(discord_render.render(listed)) <= 2
    assert len(slack_render.render(listed)) == 1


async def test_the_offered_actions_are_read_no_more_than_discord_shows(services, known):
    """Discord asks at each keystroke: with thousands of actions, each one read (and
    its owners) was work for 25 shown. The query stops at the choices offered, open
    ones first, and what is typed (any case, any script) filters them by id or text."""
    from bot.choices import MAX_CHOICES
    from bot.commands.actions import action_choices

    async with services.db.transaction() as conn:
        creator = (await people.ensure(conn, JANE, "Jane Doe")).id
    now = dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC)
    async with services.db.transaction() as conn:
        done = await create_action(conn, "ÉTUDE closed", [], None, creator, now)
        await actions.set_status(conn, done, "done", person_id=creator, now=now)
        for number in range(1, MAX_CHOICES + 6):
            await create_action(conn, f"Item {number}", [], None, creator, now)
    ctx = await services.context_for(JANE, "Jane Doe", "console:main")
    offered = await action_choices(ctx, "")
    assert [c.value for c in offered] == [f"A{n}" for n in range(2, MAX_CHOICES + 2)]
    assert [c.value for c in await action_choices(ctx, "étude")] == ["A1"]
    assert [c.value for c in await action_choices(ctx, " a3")] == [
        "A3",
        *[f"A{n}" for n in range(30, 32)],
    ]
    assert [c.label for c in await action_choices(ctx, "item 7")] == [
        "A8 Item 7 — unassigned [open]"
    ]
