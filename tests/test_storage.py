"""The SQLite file: migrations, WAL, foreign keys, idempotent seeding, backup."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import threading
from zoneinfo import ZoneInfo

import pytest

from storage import actions, knowledge, minutes, outbox, people, themes
from storage.db import (
    Database,
    DatabaseError,
    _statements,
    fetch_one,
    fetch_value,
    migrations,
    together,
)
from storage.seed.loader import seed
from storage.timestamps import from_db, to_db
from tests.conftest import NOW


async def test_fresh_file_is_migrated_seeded_wal_with_foreign_keys(services, settings):
    assert settings.db_path.exists()
    assert await services.db.version() == migrations()[-1][0]
    async with services.db.read() as conn:
        mode = await (await conn.execute("PRAGMA journal_mode")).fetchone()
        fk = await (await conn.execute("PRAGMA foreign_keys")).fetchone()
        assert mode[0] == "wal" and fk[0] == 1
        assert await themes.count(conn) > 50
        with pytest.raises(sqlite3.IntegrityError):
            await conn.execute(
                "INSERT INTO identities (identity, person_id) VALUES ('x:y', 999999)"
            )


async def test_migrate_twice_applies_nothing(services):
    assert await services.db.migrate() == []


async def test_seeding_again_adds_nothing_and_keeps_what_a_chair_recorded(services, ask):
    await ask(
        "/set-coordinator gender | Jane Doe <jane@example.org> TDAG", who="email:chair@example.org"
    )
    async with services.db.read() as conn:
        before = [
            await (await conn.execute(f"SELECT COUNT(*) FROM {t}")).fetchone()
            for t in ("themes", "people", "theme_names", "assignments", "subtopics")
        ]
    async with services.db.transaction() as conn:
        report = await seed(conn)
    assert not any(report.added.values()), report
    async with services.db.read() as conn:
        after = [
            await (await conn.execute(f"SELECT COUNT(*) FROM {t}")).fetchone()
            for t in ("themes", "people", "theme_names", "assignments", "subtopics")
        ]
    assert [tuple(r) for r in before] == [tuple(r) for r in after]
    assert "Jane Doe (TDAG)" in (await ask("/who-coordinates gender")).text


async def test_a_correction_to_the_knowledge_base_reaches_a_database_seeded_before_it(
    services, ask
):
    """What the file alone says of a theme is brought up to date on the next start;
    what a chair recorded for it stays."""
    await ask("/set-coordinator e-waste | Jane Doe TDAG", who="email:chair@example.org")
    async with services.db.transaction() as conn:  # as seeded by an older file
        await conn.execute(
            "UPDATE themes SET summary = 'Old text (Annex 1.4 of 001_*).', details = '{}'"
            " WHERE slug = 'climate-change'"
        )
        await conn.execute("UPDATE subtopics SET study_groups = '{}' WHERE name = 'e-waste'")
        await conn.execute("UPDATE facts SET value = 'old' WHERE key = 'iscg.pilot_themes'")
    async with services.db.transaction() as conn:
        await seed(conn)
        pilot = await knowledge.fact(conn, "iscg.pilot_themes")
    assert pilot is not None and "Climate change" in pilot.value
    page = (await ask("/theme e-waste")).text
    assert "001_*" not in page and "Pilot theme of inter-sectoral coordination" in page
    assert "ITU-T: Study Group 5 - Q7/5" in page and "Resolution 73 (Rev. Hammamet, 2016)" in page
    assert "Jane Doe (TDAG)" in page
    async with services.db.transaction() as conn:
        assert not any((await seed(conn)).added.values())


async def test_seeded_people_follow_the_latest_document(services):
    async with services.db.read() as conn:
        chair = await people.by_email(conn, "fabio.bigi@virgilio.it")
        luo = await people.by_name(conn, "Noah LUO")
        major = await people.by_name(conn, "Peter Major")
    assert chair is not None and chair.role == "chair"
    assert luo and luo[0].current and luo[0].timezone == "Asia/Shanghai"
    assert major and not major[0].current


async def test_transaction_rolls_back_everything_on_error(services):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with services.db.transaction() as conn:
            await people.create(conn, "Temp Person")
            await outbox.enqueue(
                conn,
                destination="email:x@example.org",
                kind="reply",
                payload={},
                now=services.now(),
            )
            raise Boom
    async with services.db.read() as conn:
        assert await people.by_name(conn, "Temp Person") == []
        assert await outbox.listing(conn) == []


async def test_inside_its_transaction_a_task_reads_and_nests_on_its_own_connection(services):
    """A command run inside a batch of mail's transaction reads there, and a unit of
    its own is a savepoint: undone alone, kept only if the transaction commits.
    Another task waits for the commit, and sees everything or nothing."""
    await asyncio.wait_for(nest(services.db), 30)  # waiting for itself would never end


async def nest(db) -> None:
    seen_outside: list[list[str]] = []

    async def names(conn) -> list[str]:
        rows = await conn.execute_fetchall("SELECT name FROM people WHERE name LIKE 'Nest %'")
        return sorted(name for (name,) in rows)

    async def another_task() -> None:
        async with db.read() as conn:
            seen_outside.append(await names(conn))

    async with db.transaction() as conn:
        await people.create(conn, "Nest Outer")
        waiting = asyncio.create_task(another_task())
        async with db.read() as inner:  # the lock is this task's own: no wait
            assert inner is conn and await names(inner) == ["Nest Outer"]
        async with db.transaction() as inner:
            await people.create(inner, "Nest Kept")
        with pytest.raises(RuntimeError):
            async with db.transaction() as inner:
                await people.create(inner, "Nest Undone")
                raise RuntimeError("a failing unit")
        assert await names(conn) == ["Nest Kept", "Nest Outer"]
        await asyncio.sleep(0)
        assert not waiting.done()  # another task waits for the commit
    await waiting
    assert seen_outside == [["Nest Kept", "Nest Outer"]]
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            async with db.transaction() as inner:
                await people.create(inner, "Nest Rolled Back")
            raise RuntimeError("the transaction fails after its savepoint")
    async with db.read() as conn:
        assert await names(conn) == ["Nest Kept", "Nest Outer"]


async def test_a_transaction_sqlite_ended_takes_no_more_parts(services):
    """SQLite rolls a transaction back by itself on some errors (a full disk): a part
    begun after that would commit on its own, so it fails instead."""
    with pytest.raises(DatabaseError):
        async with services.db.transaction() as conn:
            await people.create(conn, "Ended Before")
            await conn.execute("ROLLBACK")  # as SQLite does on SQLITE_FULL
            async with services.db.transaction() as inner:
                await people.create(inner, "Ended After")
    async with services.db.read() as conn:
        assert await people.by_name(conn, "Ended Before") == []
        assert await people.by_name(conn, "Ended After") == []


async def test_a_commit_refused_rolls_back_and_the_next_transaction_begins(services):
    async with services.db.transaction() as conn:
        await conn.execute("CREATE TABLE t_parent (id INTEGER PRIMARY KEY)")
        await conn.execute(
            "CREATE TABLE t_child (parent INTEGER REFERENCES t_parent (id)"
            " DEFERRABLE INITIALLY DEFERRED)"
        )
    with pytest.raises(sqlite3.IntegrityError):
        async with services.db.transaction() as conn:
            await conn.execute("INSERT INTO t_child (parent) VALUES (99)")  # checked at COMMIT
    async with services.db.transaction() as conn:
        await conn.execute("INSERT INTO t_parent (id) VALUES (1)")
    async with services.db.read() as conn:
        assert await fetch_value(conn, "SELECT count(*) FROM t_child") == 0
        assert await fetch_value(conn, "SELECT count(*) FROM t_parent") == 1


async def test_a_task_cancelled_on_its_way_to_commit_ends_cancelled_and_committed(services):
    """A shutdown while a job commits: the cancellation, not a failed ROLLBACK after the
    COMMIT, reaches the job runner, which then stops (it took the error for a failed pass
    and carried on: the bot never stopped)."""
    db, gate, waiting = services.db, threading.Event(), asyncio.Event()
    await db.conn.create_function("wait_for_gate", 0, lambda: int(gate.wait(10)))
    held: list[asyncio.Future] = []

    async def a_job() -> None:
        async with db.transaction() as conn:
            await people.create(conn, "Committed Anyway")
            # The database thread waits at the gate, so the COMMIT queues behind it.
            held.append(asyncio.ensure_future(conn.execute("SELECT wait_for_gate()")))
            await asyncio.sleep(0)
            waiting.set()

    job = asyncio.create_task(a_job())
    await waiting.wait()  # the job now waits for its COMMIT
    job.cancel()
    for _ in range(3):  # the job takes the cancellation while its COMMIT still waits
        await asyncio.sleep(0)
    gate.set()
    with pytest.raises(asyncio.CancelledError):
        await job
    await held[0]
    async with db.transaction() as conn:  # the database goes on
        await people.create(conn, "Next")
    async with db.read() as conn:
        assert [len(await people.by_name(conn, n)) for n in ("Committed Anyway", "Next")] == [1, 1]


async def test_what_is_kept_in_memory_of_a_write_waits_for_its_commit(services):
    db, kept = services.db, []
    db.after_commit(lambda: kept.append("outside a transaction: at once"))
    with pytest.raises(RuntimeError):
        async with db.transaction():
            db.after_commit(lambda: kept.append("rolled back"))
            raise RuntimeError("the transaction fails")
    async with db.transaction():
        db.after_commit(lambda: kept.append("committed"))
        with pytest.raises(RuntimeError):
            async with db.transaction():  # a savepoint, undone alone
                db.after_commit(lambda: kept.append("in an undone savepoint"))
                raise RuntimeError("the savepoint fails")
        async with db.transaction():
            db.after_commit(lambda: kept.append("in a kept savepoint"))
        assert kept == ["outside a transaction: at once"]  # not before the commit
    assert kept == ["outside a transaction: at once", "committed", "in a kept savepoint"]

    async def a_child_reading(conn) -> None:  # as `together` runs its statements
        await conn.execute("SELECT 1")
        db.after_commit(lambda: kept.append("a child's, rolled back"))

    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await together(a_child_reading(conn))
            raise RuntimeError("the transaction fails")
    assert kept[3:] == []


async def test_statements_sent_together_all_finish_before_a_failure_is_raised(services):
    """`together` leaves no statement to run after its transaction has rolled back."""
    finished = []

    async def slow_insert(conn):
        await conn.execute("INSERT INTO people (name) VALUES ('Slow Person')")
        finished.append("slow")
        await conn.execute("INSERT INTO people (name) VALUES ('Second Step')")
        finished.append("second")

    with pytest.raises(sqlite3.IntegrityError):
        async with services.db.transaction() as conn:
            await together(
                conn.execute("INSERT INTO identities (identity, person_id) VALUES ('x:y', 999999)"),
                slow_insert(conn),
            )
    assert finished == ["slow", "second"]
    async with services.db.read() as conn:
        assert await people.by_name(conn, "Slow Person") == []
        assert await people.by_name(conn, "Second Step") == []


async def test_fetch_one_gives_the_first_row_or_none(services):
    async with services.db.read() as conn:
        newest_first = "SELECT id, name FROM themes ORDER BY id DESC"
        rows = list(await conn.execute_fetchall(newest_first))
        row = await fetch_one(conn, newest_first)
        assert len(rows) > 1 and row is not None and tuple(row) == tuple(rows[0])
        assert await fetch_one(conn, "SELECT id FROM themes WHERE id = ?", (-1,)) is None


async def test_fetch_value_gives_the_value_and_fails_clearly_without_a_row(services):
    async with services.db.read() as conn:
        assert await fetch_value(conn, "SELECT count(*) FROM themes WHERE id = ?", (-1,)) == 0
        with pytest.raises(DatabaseError, match="no row where one is certain: SELECT id"):
            await fetch_value(conn, "SELECT id FROM themes WHERE id = ?", (-1,))


async def test_outbox_dedupe_key_queues_once(services):
    async with services.db.transaction() as conn:
        first = await outbox.enqueue(
            conn,
            destination="email:a@example.org",
            kind="invite",
            payload={"n": 1},
            now=services.now(),
            dedupe_key="k1",
        )
        second = await outbox.enqueue(
            conn,
            destination="email:a@example.org",
            kind="invite",
            payload={"n": 2},
            now=services.now(),
            dedupe_key="k1",
        )
    assert first is not None and second is None


async def test_backup_is_a_complete_copy(services, tmp_path):
    target = tmp_path / "copy" / "backup.sqlite3"
    await services.db.backup(target)
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("SELECT COUNT(*) FROM themes").fetchone()[0] > 50
    finally:
        copy.close()


async def test_unopenable_path_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseError, match="cannot create the folder"):
        await Database(blocker / "sub" / "db.sqlite3").open()


def test_a_folder_given_as_the_database_leaves_no_thread_behind(tmp_path):
    """`iscg-bot` on a path SQLite cannot open printed its one line, then a traceback
    from aiosqlite's thread, which finished after the event loop had closed."""
    failures: list[threading.ExceptHookArgs] = []
    before = set(threading.enumerate())
    hook, threading.excepthook = threading.excepthook, failures.append
    try:
        with pytest.raises(DatabaseError, match="cannot open the database"):
            asyncio.run(Database(tmp_path).open())
        for thread in set(threading.enumerate()) - before:
            thread.join(timeout=10)
    finally:
        threading.excepthook = hook
    assert failures == []


async def _migrated_before(db: Database, number: int) -> None:
    """The database as a release before migration `number` left it."""
    for applied, _, sql in migrations():
        if applied >= number:
            break
        async with db.transaction() as conn:
            for statement in _statements(sql):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {applied}")


async def test_documents_seeded_before_0110_are_cited_as_delegates_find_them(tmp_path):
    db = await Database(tmp_path / "old.sqlite3").open()
    try:
        await _migrated_before(db, 110)
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO documents (file, title, symbol, date, summary) VALUES"
                " ('002_18378ac2cfefb067.txt', 'Proposal', 'ISCG/25-1/03-E', '2025-01-23', 's')"
            )
        assert await db.migrate() == [
            "0110_document_citations.sql",
            "0120_outbox_not_after.sql",
            "0130_attendee_answer_order.sql",
            "0140_people_platform_zone.sql",
            "0150_attendee_delegated_from.sql",
            "0190_outbox_pauses.sql",
            "0191_people_platform_zone_from.sql",
            "0200_attendee_answer_note.sql",
            "0390_meeting_zone.sql",
            "0400_job_attempts.sql",
        ]
        async with db.transaction() as conn:
            await seed(conn)
            cited = await knowledge.document(conn, "002_18378ac2cfefb067.txt")
        assert cited is not None and cited.short_citation == "ISCG/25-1/03-E, 23 January 2025"
    finally:
        await db.close()


async def test_meeting_lines_keep_their_meetings_across_migration_0080(tmp_path):
    """Lines written before lines were found by id range still belong to their meetings."""
    db = await Database(tmp_path / "old.sqlite3").open()
    try:
        await _migrated_before(db, 80)
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO people (id, name) VALUES (1, 'Jane')")
            for meeting, ended in (
                (1, "2026-11-02T10:00:00Z"),
                (2, None),
                (3, "2026-11-02T10:00:00Z"),
            ):
                await conn.execute(
                    "INSERT INTO minuted_meetings (id, channel, title, series, started_by,"
                    " started_at, ended_at) VALUES (?, ?, 't', 's', 1, '2026-11-02T09:00:00Z', ?)",
                    (meeting, f"c{meeting}", ended),
                )
            for n, meeting in enumerate((1, 2, 1, 2, 1)):
                await conn.execute(
                    "INSERT INTO meeting_lines (meeting_id, person_id, author, at, kind, text,"
                    " message_key) VALUES (?, 1, 'Jane', '2026-11-02T09:30:00Z', 'line', ?, ?)",
                    (meeting, f"line {n}", f"c{meeting}#{n}"),
                )
        assert await db.migrate() == [
            "0080_meeting_line_ranges.sql",
            "0090_revisions.sql",
            "0100_mail_sent.sql",
            "0110_document_citations.sql",
            "0120_outbox_not_after.sql",
            "0130_attendee_answer_order.sql",
            "0140_people_platform_zone.sql",
            "0150_attendee_delegated_from.sql",
            "0190_outbox_pauses.sql",
            "0191_people_platform_zone_from.sql",
            "0200_attendee_answer_note.sql",
            "0390_meeting_zone.sql",
            "0400_job_attempts.sql",
        ]
        async with db.transaction() as conn:
            assert [line.text for line in await minutes.lines(conn, 1)] == [
                "line 0",
                "line 2",
                "line 4",
            ]
            assert await minutes.lines(conn, 3) == []
            assert await minutes.message_keys(conn, 2) == {"c2#1", "c2#3"}
            running = {meeting.channel: meeting for meeting in await minutes.running(conn)}
            assert running["c2"].last_line is None
            new = minutes.NewLine(
                meeting_id=2, person_id=1, author="Jane", at=NOW, kind="line", text="line 5"
            )
            assert await minutes.add_line(conn, new) == 6
            assert [line.text for line in await minutes.lines(conn, 2)] == [
                "line 1",
                "line 3",
                "line 5",
            ]
    finally:
        await db.close()


async def test_a_line_and_an_action_are_found_by_their_message_and_follow_it(services):
    """An edited or deleted chat message finds what was recorded from it: its line in
    the meeting running (only there), and its action, which take its new reading."""
    async with services.db.transaction() as conn:
        person = await people.create(conn, "Jane Doe")
        first = await minutes.start(
            conn, channel="c1", title="t", series="s", person_id=person.id, now=NOW
        )
        said = {"person_id": person.id, "author": "Jane Doe", "at": NOW}
        old = minutes.NewLine(
            meeting_id=first.id, kind="info", text="#info old", **said, message_key="c1#1"
        )
        await minutes.add_line(conn, old)
        await minutes.end(conn, first.id, person.id, NOW)
        meeting = await minutes.start(
            conn, channel="c1", title="t", series="s", person_id=person.id, now=NOW
        )
        (action,) = await actions.add(
            conn,
            [
                actions.NewAction(
                    text="Jane to send teh report",
                    owners=[],
                    due_date=None,
                    meeting_id=meeting.id,
                    platform="slack",
                    channel="c1",
                    message_key="c1#2",
                    created_by=person.id,
                    created_at=NOW,
                )
            ],
        )
        for number, text in ((2, "#action Jane to send teh report"), (3, "hello")):
            line = minutes.NewLine(
                meeting_id=meeting.id, kind="line", text=text, **said, message_key=f"c1#{number}"
            )
            await minutes.add_line(conn, line)

        assert await minutes.line_of_message(conn, meeting.id, "c1#1") is None  # the ended one's
        line = await minutes.line_of_message(conn, meeting.id, "c1#2")
        assert line is not None and line.text == "#action Jane to send teh report"
        await minutes.rewrite_line(conn, line.id, "action", "#action Jane to send it", action.id)
        owner = actions.Owner(label="Jane Doe", person_id=person.id)
        await actions.rewrite(
            conn, action.id, text="Jane to send it", owners=[owner], due_date=NOW.date()
        )
        found = await actions.by_message_key(conn, "c1#2")
        assert found is not None
        assert (found.text, found.owners, found.due_date) == (
            "Jane to send it",
            [owner],
            NOW.date(),
        )
        assert await actions.by_message_key(conn, "c1#3") is None
        hello = await minutes.line_of_message(conn, meeting.id, "c1#3")
        assert hello is not None
        await minutes.remove_line(conn, hello.id)
        assert [
            (line.kind, line.text, line.action_id) for line in await minutes.lines(conn, meeting.id)
        ] == [("action", "#action Jane to send it", action.id)]


def test_instants_are_stored_as_utc_text_to_the_second():
    geneva = ZoneInfo("Europe/Zurich")  # Geneva keeps Zurich time
    cases = [
        (dt.datetime(2026, 11, 23, 8, 0, 5, 999_999, tzinfo=dt.UTC), "2026-11-23T08:00:05Z"),
        (dt.datetime(2026, 11, 23, 8, 0, 5, tzinfo=dt.UTC), "2026-11-23T08:00:05Z"),
        (dt.datetime(2026, 11, 23, 8, 0, 6, tzinfo=dt.UTC), "2026-11-23T08:00:06Z"),
        # The same wall-clock second in Geneva is another instant (CET, then CEST).
        (dt.datetime(2026, 11, 23, 8, 0, 6, tzinfo=geneva), "2026-11-23T07:00:06Z"),
        (dt.datetime(2027, 3, 28, 3, 30, tzinfo=geneva), "2027-03-28T01:30:00Z"),
        (dt.datetime(2027, 3, 28, 3, 30, tzinfo=dt.UTC), "2027-03-28T03:30:00Z"),
    ]
    for moment, text in cases:
        assert to_db(moment) == text
        assert from_db(text) == moment.replace(microsecond=0)
    with pytest.raises(ValueError):
        to_db(dt.datetime(2026, 11, 23, 8, 0))
