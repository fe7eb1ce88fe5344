"""The rest of the knowledge base: source documents, bodies of the Union, facts."""

from __future__ import annotations

import json

import aiosqlite
from pydantic import BaseModel, Field

from storage.db import fetch_one


class Document(BaseModel):
    file: str
    title: str
    symbol: str | None = None
    date: str | None = None
    citation: str | None = None
    summary: str

    @property
    def short_citation(self) -> str:
        """A document as a delegate can find it: its symbol and date, or what tells it apart.

        Never the seed's file name, which only a machine needs.
        """
        if self.citation:
            return self.citation
        when = f", {self.date}" if self.date else ""
        return f"{self.symbol or self.title}{when}"


class Body(BaseModel):
    abbr: str
    name: str
    sector: str | None = None
    description: str
    aliases: list[str] = Field(default_factory=list)
    source_file: str | None = None
    source_section: str | None = None


class Fact(BaseModel):
    key: str
    value: str
    source_file: str | None = None
    source_section: str | None = None
    note: str | None = None


_DOCUMENT_COLUMNS = "file, title, symbol, date, citation, summary"


async def documents(conn: aiosqlite.Connection) -> dict[str, Document]:
    rows = await conn.execute_fetchall(f"SELECT {_DOCUMENT_COLUMNS} FROM documents")
    return {row["file"]: Document(**dict(row)) for row in rows}


async def document(conn: aiosqlite.Connection, file: str) -> Document | None:
    row = await fetch_one(
        conn, f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE file = ?", (file,)
    )
    return None if row is None else Document(**dict(row))


async def bodies(conn: aiosqlite.Connection) -> list[Body]:
    rows = await conn.execute_fetchall(
        "SELECT abbr, name, sector, description, aliases, source_file, source_section"
        " FROM bodies ORDER BY abbr"
    )
    rows = [dict(row) for row in rows]
    for row in rows:
        row["aliases"] = json.loads(row["aliases"])
    return [Body(**row) for row in rows]


async def fact(conn: aiosqlite.Connection, key: str) -> Fact | None:
    row = await fetch_one(
        conn,
        "SELECT key, value, source_file, source_section, note FROM facts WHERE key = ?",
        (key,),
    )
    return None if row is None else Fact(**dict(row))


async def facts(conn: aiosqlite.Connection, prefix: str = "") -> list[Fact]:
    rows = await conn.execute_fetchall(
        "SELECT key, value, source_file, source_section, note FROM facts"
        " WHERE substr(key, 1, length(?)) = ? ORDER BY key",
        (prefix, prefix),
    )
    return [Fact(**dict(row)) for row in rows]
