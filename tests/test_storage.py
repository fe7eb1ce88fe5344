"""The SQLite file: migrations, WAL, foreign keys, idempotent seeding, backup."""

from __future__ import annotations

import sqlite3

import pytest

from storage import outbox, people, themes
from storage.db import Database, DatabaseError, migrations
from storage.seed.loader import seed


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
