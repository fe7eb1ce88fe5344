"""`/who-coordinates` through the whole dispatch path on a large directory.

10,000 themes and 50,000 people; 10,000 queries mixing exact names, aliases,
typos and unknown names. Baseline, same run and connection: the bare indexed
SQLite lookup of a theme by its normalised name.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import statistics
import string
import tempfile
import time
from pathlib import Path

from bot.app import open_services
from bot.clock import FixedClock
from bot.config import Settings
from storage.themes import name_key

THEMES = 10_000
PEOPLE = 50_000
QUERIES = 10_000
WORDS = [
    "".join(random.Random(i).choices(string.ascii_lowercase, k=random.Random(i + 7).randint(4, 10)))
    for i in range(3_000)
]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _typo(text: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(text) - 1)
    return (
        text[:i] + text[i + 1 :]
        if rng.random() < 0.5
        else text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    )


async def _grow(services, rng: random.Random) -> tuple[list[str], list[str]]:
    """Add synthetic themes, aliases, people and assignments in one transaction."""
    names, aliases = [], []
    async with services.db.transaction() as conn:
        for n in range(THEMES):
            name = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {n}"
            alias = "".join(word[0] for word in name.split()[:3]) + str(n)
            cur = await conn.execute(
                "INSERT INTO themes (slug, name, summary, categories, sources)"
                " VALUES (?, ?, ?, ?, ?)",
                (f"bench-{n}", name, "Synthetic theme.", '["Bench"]', "[]"),
            )
            theme_id = cur.lastrowid
            await conn.executemany(
                "INSERT INTO theme_names (key, name, theme_id, kind) VALUES (?, ?, ?, ?)",
                [
                    (name_key(name), name, theme_id, "name"),
                    (name_key(alias), alias, theme_id, "alias"),
                ],
            )
            names.append(name)
            aliases.append(alias)
        await conn.executemany(
            "INSERT INTO people (name, email, country) VALUES (?, ?, ?)",
            [(f"Person {i}", f"p{i}@example.org", "Switzerland") for i in range(PEOPLE)],
        )
        first = (
            await (
                await conn.execute("SELECT MIN(id) FROM people WHERE email LIKE 'p%@example.org'")
            ).fetchone()
        )[0]
        theme_ids = [
            row[0]
            for row in await (
                await conn.execute("SELECT id FROM themes WHERE slug LIKE 'bench-%'")
            ).fetchall()
        ]
        rows = []
        for i in range(PEOPLE):
            kind, sector = (
                ("coordinator", "")
                if i % 5 == 0
                else ("focal_point", rng.choice(["ITU-R", "ITU-T", "ITU-D", "GS"]))
            )
            rows.append(
                (
                    theme_ids[i % len(theme_ids)],
                    first + i,
                    kind,
                    sector,
                    "bench",
                    "2026-01-01T00:00:00Z",
                )
            )
        await conn.executemany(
            "INSERT OR IGNORE INTO assignments"
            " (theme_id, person_id, kind, sector, recorded_by, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    return names, aliases


async def _run() -> list[dict]:
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(ISCG_DB_PATH=Path(tmp) / "bench.sqlite3", PORT=0)
        services = await open_services(
            settings, FixedClock(dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC))
        )
        try:
            names, aliases = await _grow(services, rng)
            queries = []
            for i in range(QUERIES):
                pick = rng.randrange(len(names))
                queries.append(
                    [
                        names[pick],
                        aliases[pick],
                        _typo(names[pick], rng),
                        " ".join(rng.sample(WORDS, 2)) + " zq",
                    ][i % 4]
                )
            ctx = await services.context_for("console:bench", "bench", "console:bench")
            await services.ask(ctx, "/who-coordinates " + queries[0])  # builds the name index once
            full = []
            answered = 0
            for query in queries:
                start = time.perf_counter()
                reply = await services.ask(ctx, "/who-coordinates " + query)
                full.append((time.perf_counter() - start) * 1000)
                answered += reply is not None and not reply.error
            base = []
            async with services.db.read() as conn:
                for query in queries:
                    start = time.perf_counter()
                    cur = await conn.execute(
                        "SELECT t.id, t.name, t.summary FROM theme_names n"
                        " JOIN themes t ON t.id = n.theme_id"
                        " WHERE n.key = ?",
                        (name_key(query),),
                    )
                    await cur.fetchall()
                    base.append((time.perf_counter() - start) * 1000)
        finally:
            await services.db.close()
    params = {
        "themes": THEMES,
        "people": PEOPLE,
        "queries": QUERIES,
        "mix": "exact/alias/typo/unknown",
    }
    figures = []
    for label, share in (("p50", 0.50), ("p99", 0.99)):
        value, baseline = _percentile(full, share), _percentile(base, share)
        figures.append(
            {
                "name": f"who_coordinates_{label}",
                "value": round(value, 3),
                "unit": "ms",
                "params": params,
                "baseline": "bare indexed SQLite lookup (aiosqlite)",
                "baseline_value": round(baseline, 3),
                "ratio": round(value / baseline, 1),
            }
        )
    figures.append(
        {
            "name": "who_coordinates_mean",
            "value": round(statistics.fmean(full), 3),
            "unit": "ms",
            "params": {**params, "resolved": answered},
            "baseline": "bare indexed SQLite lookup (aiosqlite)",
            "baseline_value": round(statistics.fmean(base), 3),
            "ratio": round(statistics.fmean(full) / statistics.fmean(base), 1),
        }
    )
    return figures


def main() -> list[dict]:
    return asyncio.run(_run())
