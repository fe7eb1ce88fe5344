"""Who an action item is for, read from its text.

Owners come from mentions (`@jane`, Slack `<@U123>`, Discord `<@123>`), from
e-mail addresses and names of known people, and from the group words the
ISCG uses ("secretariat", "TSAG representatives", "the chair"). Names and
group words count only in the subject of the sentence ("Jane Doe to send the
report to the secretariat" is Jane's, not the secretariat's); mentions and
addresses are explicit and count anywhere. Matching is on whole words. A
mention nobody answers to is kept as written and flagged, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import aiosqlite

from bot.mentions import BROADCAST_WORDS, HANDLE, PLATFORM_MENTION, platform_identity
from storage import people
from storage.actions import Owner
from storage.people import Person

ADVISORY_GROUPS = ("RAG", "TSAG", "TDAG")
GROUP_LABELS = {
    "secretariat": "secretariat",
    "chair": "the chair",
    **{group: f"{group} representatives" for group in ADVISORY_GROUPS},
}
_GROUPS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<![\w#])(?:the\s+)?(?:ISCG\s+)?secretariat\b", re.I), "secretariat"),
    (
        re.compile(r"(?<![\w#])(?:the\s+(?:ISCG\s+)?|ISCG\s+)chair(?:s|man|person)?\b", re.I),
        "chair",
    ),
    *[
        (re.compile(rf"\b{group}\s+(?:representatives?|reps?|members)\b", re.I), group)
        for group in ADVISORY_GROUPS
    ],
]
_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
# The subject ends at the first verb-like word: "Jane Doe and the secretariat to ...".
_SUBJECT_END = re.compile(r"\b(?:to|will|shall|should|must|needs?|is|are|can)\b", re.I)


@dataclass
class PeopleIndex:
    """Known people and identities, loaded once per use from the database."""

    people: dict[int, Person]
    identities: dict[str, int]
    by_display: dict[str, set[int]] = field(default_factory=dict)
    by_email: dict[str, int] = field(default_factory=dict)
    names: re.Pattern[str] | None = None
    name_ids: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    async def load(cls, conn: aiosqlite.Connection) -> PeopleIndex:
        everyone = {p.id: p for p in await people.all_people(conn)}
        index = cls(people=everyone, identities={})
        for identity, person_id, display in await people.all_identities(conn):
            index.identities[identity.lower()] = person_id
            if display:
                index.by_display.setdefault(display.lower(), set()).add(person_id)
        for person in everyone.values():
            if person.email:
                index.by_email[person.email.lower()] = person.id
            index.name_ids.setdefault(person.name.lower(), set()).add(person.id)
        index.names = _name_pattern(tuple(sorted(index.name_ids, key=len, reverse=True)))
        return index

    def by_handle(self, platform: str, handle: str) -> int | None:
        """`@jane`: the identity platform:jane, else one person so displayed, named or addressed."""
        key = handle.lower()
        found = self.identities.get(f"{platform}:{key}")
        if found is not None:
            return found
        for candidates in (
            self.by_display.get(key, set()),
            self.name_ids.get(key, set()),
            {pid for pid, p in self.people.items() if p.email and p.email.split("@")[0] == key},
            {pid for pid, p in self.people.items() if p.name.split()[0].lower() == key},
        ):
            if len(candidates) == 1:
                return next(iter(candidates))
        return None


@lru_cache(maxsize=64)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Multi-word names match in any case; a one-word name ("jane", "Fabio") only
    capitalised, so that a person called "member" does not own "member states to..."."""
    patterns = []
    for name in names:
        if " " in name:
            patterns.append(r"\s+".join(re.escape(part) for part in name.split()))
        elif name:
            patterns.append(f"(?-i:{re.escape(name.capitalize())})")
    if not patterns:
        return None
    return re.compile(r"(?<![\w@.])(" + "|".join(patterns) + r")(?![\w@])", re.I)


def groups_of(person: Person, *, is_chair: bool, is_secretariat: bool) -> list[str]:
    """The group words that name this person (their share of "TSAG representatives"...)."""
    keys = []
    if is_secretariat:
        keys.append("secretariat")
    if is_chair:
        keys.append("chair")
    if person.advisory_group in ADVISORY_GROUPS and person.current:
        keys.append(person.advisory_group)
    return keys


def find_owners(text: str, platform: str, index: PeopleIndex) -> list[Owner]:
    """The owners an action's text names, in the order written, each once."""
    found: list[tuple[int, Owner]] = []
    for match in PLATFORM_MENTION.finditer(text):
        person_id = index.identities.get(platform_identity(platform, match.group(1)).lower())
        found.append((match.start(), _person_owner(index, person_id, "@" + match.group(1))))
    for match in HANDLE.finditer(text):
        handle = match.group(1)
        if handle.lower() in BROADCAST_WORDS:
            continue  # @everyone is text, never an owner
        group = _group_key(handle)
        if group:
            found.append((match.start(), Owner(label=GROUP_LABELS[group], group_key=group)))
            continue
        person_id = index.by_handle(platform, handle)
        found.append((match.start(), _person_owner(index, person_id, "@" + handle)))
    for match in _EMAIL.finditer(text):
        person_id = index.by_email.get(match.group(1).lower())
        found.append((match.start(), _person_owner(index, person_id, match.group(1))))
    subject = _subject(text)
    if index.names is not None:
        for match in index.names.finditer(subject):
            if _inside_mention(subject, match.start()):
                continue
            ids = index.name_ids[" ".join(match.group(1).lower().split())]
            if len(ids) == 1:
                found.append((match.start(), _person_owner(index, next(iter(ids)), match.group(1))))
    for pattern, group in _GROUPS:
        for match in pattern.finditer(subject):
            found.append((match.start(), Owner(label=GROUP_LABELS[group], group_key=group)))
    return _unique([owner for _, owner in sorted(found, key=lambda pair: pair[0])])


def _subject(text: str) -> str:
    match = _SUBJECT_END.search(text)
    return text[: match.start()] if match else text


def _inside_mention(text: str, at: int) -> bool:
    return at > 0 and text[at - 1] in "@<"


def _group_key(word: str) -> str | None:
    lowered = word.lower()
    if lowered == "secretariat":
        return "secretariat"
    if lowered in ("chair", "chairs"):
        return "chair"
    upper = word.upper()
    return upper if upper in ADVISORY_GROUPS else None


def _person_owner(index: PeopleIndex, person_id: int | None, written: str) -> Owner:
    if person_id is None or person_id not in index.people:
        return Owner(label=written)
    return Owner(label=index.people[person_id].name, person_id=person_id)


def _unique(owners: list[Owner]) -> list[Owner]:
    seen: set[tuple[object, ...]] = set()
    kept = []
    for owner in owners:
        key = (owner.person_id, owner.group_key, None if owner.person_id else owner.label.lower())
        if key not in seen:
            seen.add(key)
            kept.append(owner)
    return kept
