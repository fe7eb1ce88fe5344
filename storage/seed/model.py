"""The shape of the knowledge base file (`knowledge.yaml`).

The knowledge base is data reviewed by people, not code: this model is what
keeps a typo in the YAML from reaching users. Every record carries its
`source` so an answer can cite the document and section it came from.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

KNOWLEDGE_FILE = Path(__file__).with_name("knowledge.yaml")

Sector = Literal["ITU-R", "ITU-T", "ITU-D", "GS"]
# The other official languages of the Union, by ISO 639-1 code.
Language = Literal["ar", "es", "fr", "ru", "zh"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """Where a record comes from: the seed file name and the section in it."""

    file: str
    section: str
    note: str | None = None  # e.g. "superseded by ...", "latest document wins"


class Document(Strict):
    file: str
    title: str
    symbol: str | None = None  # e.g. "ISCG/25-1/03-E", "TDAG-21/..."
    date: dt.date | None = None
    # How answers cite it: symbol and date as printed, else what tells it apart.
    citation: str
    summary: str


class StudyGroups(Strict):
    """Study groups, working parties and Questions per Sector."""

    itu_r: list[str] = Field(default_factory=list, alias="ITU-R")
    itu_t: list[str] = Field(default_factory=list, alias="ITU-T")
    itu_d: list[str] = Field(default_factory=list, alias="ITU-D")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def by_sector(self) -> dict[str, list[str]]:
        return {"ITU-R": self.itu_r, "ITU-T": self.itu_t, "ITU-D": self.itu_d}


class SubTopic(Strict):
    name: str
    aliases: list[str] = Field(default_factory=list)
    translations: dict[Language, list[str]] = Field(default_factory=dict)  # as a theme's
    study_groups: StudyGroups = Field(default_factory=StudyGroups)
    source: Source


class Coordination(Strict):
    """What the documents say of who coordinates a theme, when they name nobody:
    the body that takes it up, as /who-coordinates should tell a delegate."""

    text: str
    sources: list[Source]


class Theme(Strict):
    """A subject of common interest: an ISC-TF area, a list item, a pilot theme.

    `categories` lists every list of the documents the theme appears in
    (one theme, several lists: Gender is an ISC-TF area and a resolution area).
    """

    slug: str
    name: str
    categories: list[str]
    summary: str
    aliases: list[str] = Field(default_factory=list)
    # Its names in the other official languages, as the Union's texts in them write
    # it: a delegate asks "¿quién coordina accesibilidad?" in their own.
    translations: dict[Language, list[str]] = Field(default_factory=dict)
    number: str | None = None  # numbering in the ISCG revised list, e.g. "1.2"
    parent: str | None = None  # slug of the enclosing item of a numbered list
    subtopics: list[SubTopic] = Field(default_factory=list)
    study_groups: StudyGroups = Field(default_factory=StudyGroups)
    events: dict[str, list[str]] = Field(default_factory=dict)  # sector -> events
    partners: dict[str, list[str]] = Field(default_factory=dict)
    resolutions: dict[str, list[str]] = Field(default_factory=dict)
    recommendations: dict[str, list[str]] = Field(default_factory=dict)
    reports: dict[str, list[str]] = Field(default_factory=dict)
    webpage: str | None = None
    coordination: Coordination | None = None
    pilot: bool = False
    sources: list[Source]


class Body(Strict):
    """A group of the Union: ISCG, ISC-TF, RAG, TSAG, TDAG, BR, TSB, BDT, GS."""

    abbr: str
    name: str
    sector: Sector | None = None
    description: str
    aliases: list[str] = Field(default_factory=list)
    source: Source


class Person(Strict):
    name: str
    title: str | None = None  # "Mr", "Ms"
    country: str | None = None
    email: str | None = None
    role: str  # free text as the document says, e.g. "ISCG Chair"
    group: str | None = None  # abbr of the advisory group represented
    timezone: str | None = None  # IANA zone, only where the country has one
    current: bool = True  # False for people of an earlier composition
    source: Source


class Fact(Strict):
    """A single statement the bot may quote (list address, chair, ...)."""

    key: str
    value: str
    source: Source


class MeetingRecord(Strict):
    """An ISCG meeting named in the documents."""

    date: dt.date
    title: str
    start: str | None = None  # "15:00" local to `timezone`
    end: str | None = None
    timezone: str | None = None
    place: str | None = None
    held_with: str | None = None  # advisory-group session it was held with
    source: Source


class SessionRecord(Strict):
    """An advisory-group (or other) session named in the documents."""

    group: str
    first_day: dt.date
    last_day: dt.date
    place: str | None = None
    source: Source


class Knowledge(Strict):
    documents: list[Document]
    bodies: list[Body]
    themes: list[Theme]
    people: list[Person]
    facts: list[Fact]
    meetings: list[MeetingRecord]
    sessions: list[SessionRecord]


def load_knowledge(path: Path = KNOWLEDGE_FILE) -> Knowledge:
    with path.open(encoding="utf-8") as fh:
        return Knowledge.model_validate(yaml.safe_load(fh))
