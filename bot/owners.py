"""Who an action item is for, read from its text.

Owners come from mentions (`@jane`, Slack `<@U123>`, Discord `<@123>`), from
e-mail addresses and names of known people, and from the group words the
ISCG uses ("secretariat", "TSAG representatives", "the chair", "ISC-TF"). Names and
group words count only in the subject of the sentence ("Jane Doe to send the
report to the secretariat" is Jane's, not the secretariat's); mentions and
addresses are explicit and count anywhere. Matching is on whole words. A
mention nobody answers to is kept as written and flagged, never dropped.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from operator import itemgetter

import aiosqlite

from bot.mentions import BROADCAST_WORDS, HANDLE, PLATFORM_MENTION, platform_identity
from storage import people
from storage.actions import Owner
from storage.people import Person

ADVISORY_GROUPS = ("RAG", "TSAG", "TDAG")
# The Inter-Sectoral Coordination Task Force: the secretariat's focal points of the
# General Secretariat and the Bureaux (the seeds' ToR), so the secretariat's members.
TASK_FORCE = "ISC-TF"
# The three Bureaux of the secretariat (who works in which is not known, so their
# actions are nobody's own in /actions mine), and all three together.
BUREAUX = {
    "BR": "Radiocommunication Bureau",
    "TSB": "Telecommunication Standardization Bureau",
    "BDT": "Telecommunication Development Bureau",
}
ALL_BUREAUX = "Bureaux"
GROUP_LABELS = {
    "secretariat": "secretariat",
    "chair": "the chair",
    **{group: f"{group} representatives" for group in ADVISORY_GROUPS},
    TASK_FORCE: TASK_FORCE,
    **{bureau: bureau for bureau in BUREAUX},
    ALL_BUREAUX: "the Bureaux",
}
_CHAIR = "chair(?:s|man|woman|person)?"
_CHAIR_WORD = re.compile(_CHAIR)
_GROUPS: list[tuple[re.Pattern[str], str]] = [
    # The secretariat in the UN languages as well: "Le secrétariat enverra...", "La
    # Secretaría enviará...", "Секретариату подготовить..." (Russian minutes' dative),
    # "秘书处提交文件", "الأمانة ترسل...": like a name, only where the line opens with it.
    (
        re.compile(
            r"(?<![\w#])(?:(?:the|le|la|el)\s+)?(?:ISCG\s+)?"
            r"(?:secretariat\b|secrétariat\b|secretar[íi]a\b|секретариат\w*|(?:ال)?أمانة\b)"
            r"|秘书处|秘書處",
            re.I,
        ),
        "secretariat",
    ),
    (
        re.compile(rf"(?<![\w#])(?:the\s+(?:ISCG\s+)?|ISCG\s+){_CHAIR}\b", re.I),
        "chair",
    ),
    *[
        (re.compile(rf"\b{group}\s+(?:representatives?|reps?|members)\b", re.I), group)
        for group in ADVISORY_GROUPS
    ],
    # "ISC-TF", "the ISCTF", "the Inter-Sectoral Coordination Task Force" (its names in
    # the seeds), its members or not: one word, like a Sector's advisory group.
    (
        re.compile(
            r"(?<![\w#@-])(?:the\s+)?(?:ISC[-\s]?TF|Inter-?\s?Sector(?:al)?\s+Coordination"
            r"\s+Task\s+Force)(?:\s+(?:members|focal\s+points))?(?![\w-])",
            re.I,
        ),
        TASK_FORCE,
    ),
    # "the Bureaux", "the three Bureaux"; a Bureau by its name ("the Telecommunication
    # Standardization Bureau"); by its abbreviation alone, as "TSAG to ...", below.
    (re.compile(r"(?<![\w#@-])(?:the\s+)?(?:three\s+)?Bureaux\b", re.I), ALL_BUREAUX),
    *[
        (re.compile(r"(?<![\w#@-])(?:the\s+)?" + r"\s+".join(name.split()) + r"\b", re.I), bureau)
        for bureau, name in BUREAUX.items()
    ],
]
_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
# Where a name may start (not inside a word, a handle or an address), and end.
# Chinese is written without spaces ("张伟提交文件", "张伟和Bob Smith提交"): a name may
# start at any of its characters, or right after one, and end right before one.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NAME_START = re.compile(rf"(?<![\w@.])\S|(?<=[{_CJK}])\S|[{_CJK}]")
_WORD_STOP = re.compile(r"[^\w@]")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_CJK_NAME_MAX = 4  # a Chinese name is 2 to 4 characters long
_CJK_RUN = re.compile(rf"[{_CJK}]{{2,{_CJK_NAME_MAX}}}")
# Where the subject of a Chinese sentence starts ("请张伟...", "由张伟负责"), and what joins
# the names it is made of ("张伟和李娜", "张伟、李娜与Bob Smith").
_CHINESE_LEAD = re.compile(r"\s*(?:请|由)?\s*")
_CHINESE_JOINER = re.compile(r"\s*(?:[和与及、，,&]|and)?\s*")
_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s*")
_HANDLE_SPACES = re.compile(r"[._]+")
# The subject ends at the first verb-like word: "Jane Doe and the secretariat to ...".
_SUBJECT_END = re.compile(r"\b(?:to|will|shall|should|must|needs?|is|are|can)\b", re.I)
# The words and separators of a subject ("Jane Doe, Fabio & the chair", "أحمد، Jane Doe").
_SEPARATORS = ",;&،、"
_TOKEN = re.compile(rf"[^\s{_SEPARATORS}]+|[{_SEPARATORS}]")
_BRACKETED = re.compile(r"\([^()]*\)")
# The rest of a name written as a possessive: "'s" of "Jane Doe's", " Pérez's" of "Ana
# Pérez's" where only an Ana is known (`_possessive`).
_POSSESSIVE = re.compile(r"(?:\s+\w[\w-]*)*?['’]s(?!\w)")
# A mention's own "'s" ("Review <@U123>'s slides"), right after it: a mention is a whole
# name, and "<@U123> Review TSB's notes" is Bob's.
_MENTION_POSSESSIVE = re.compile(r"['’]s(?!\w)")
# What sets a group apart after a person's name as who the person is (`_without_appositions`).
_COMMA = re.compile(r"\s*,\s*")
_OPENING_BRACKET = re.compile(r"\s*\(\s*")
_CLOSING_BRACKET = re.compile(r"\s*\)")
# What follows an English verb that opens an action ("Mark the dates", "Mark up the
# draft", "Bill all members"), never a name that is its subject ("Ana enviará...").
_IMPERATIVE_NEXT = re.compile(
    r"\s+(?:the|an|all|any|our|their|its|this|these|those|each|every|some|your|up)\b", re.I
)
# Where else a line with no English verb may say who does it, besides the names it
# opens with: in brackets ("Update the pages (Jane Doe)"), after "by" ("Revisión del
# borrador por Jane Doe", "... من قبل أحمد علي"), after a dash, as minutes set an owner
# after the task ("Circulate the draft – Jane Doe"), and after an owner's label
# ("Owner: Jane Doe", "Responsable : Ana", "Ответственный: Иван", "负责人：张伟", "المسؤول:").
_OWNER_PLACE = re.compile(
    r"\(|(?<!\w)(?:by|por|par|من\s+قبل|بواسطة)\s+|\s[-–—]{1,2}\s+"
    r"|(?:(?<!\w)(?:owners?|responsible|responsables?|ответственн\w*)|负责人|المسؤول)\s*[:：]\s*",
    re.I,
)
# "and" between names, as the members write it: "Ana y Li Wei", "Marie et Jane", "Иван и Анна".
_AND = frozenset({"and", "y", "e", "et", "и", "و"})
# Titles before a name, as UN documents write them ("Mr Bigi", "Dr Jane Doe", "Mme Dupont",
# "Sra. García", "г-н Иванов", "السيد أحمد"), with or without a full stop: never a name
# themselves.
_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "h.e", "amb", "ambassador", "m", "mme", "mlle"}
    | {"sr", "sra", "srta", "dña", "г-н", "г-жа", "господин", "госпожа", "д-р", "проф"}
    | {"السيد", "السيدة", "الدكتور", "الدكتورة", "د"}
)
# Capitalised subjects that are nobody's name.
_NO_ONE = frozenset(
    {"all", "everyone", "everybody", "we", "i", "you", "they", "someone", "somebody", "nobody"}
    | {"members", "delegates", "participants", "iscg", "itu", "tbd"}
)


@dataclass
class PeopleIndex:
    """Known people and identities, loaded once per use from the database."""

    people: dict[int, Person]
    identities: dict[str, int]
    by_display: dict[str, set[int]] = field(default_factory=dict)
    by_email: dict[str, int] = field(default_factory=dict)
    names: NameMatcher = field(default_factory=lambda: NameMatcher(()))
    name_ids: dict[str, set[int]] = field(default_factory=dict)
    first_names: dict[str, set[int]] = field(default_factory=dict)  # lowercase first word
    last_names: dict[str, set[int]] = field(default_factory=dict)  # lowercase last word

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
            index.first_names.setdefault(_first_word(person.name), set()).add(person.id)
            index.last_names.setdefault(_last_word(person.name), set()).add(person.id)
        index.names = NameMatcher(index.name_ids)
        return index

    def with_person(self, person: Person, identity: str, display: str | None) -> PeopleIndex:
        """This index and a person met by `people.ensure` (new, or known by address
        and met under a new identity), as `load` would read them.

        Loading again reads every person (0.15 s for 5,000) where only one
        changed; the index is copied, not changed, since others may hold it.
        """
        grown = PeopleIndex(
            people={**self.people, person.id: person},
            identities={**self.identities, identity.lower(): person.id},
            by_display=dict(self.by_display),
            by_email=dict(self.by_email),
            names=self.names,
            name_ids=dict(self.name_ids),
            first_names=dict(self.first_names),
            last_names=dict(self.last_names),
        )
        if display:
            key = display.lower()
            grown.by_display[key] = grown.by_display.get(key, set()) | {person.id}
        if person.email:
            grown.by_email[person.email.lower()] = person.id
        name = person.name.lower()
        if name not in self.name_ids:
            grown.names = self.names.with_name(name)
        grown.name_ids[name] = grown.name_ids.get(name, set()) | {person.id}
        first = _first_word(person.name)
        grown.first_names[first] = grown.first_names.get(first, set()) | {person.id}
        last = _last_word(person.name)
        grown.last_names[last] = grown.last_names.get(last, set()) | {person.id}
        return grown

    def name_of(self, identity: str) -> str | None:
        """The name of the person an identity (`discord:8123`) belongs to, if known."""
        person = self.people.get(self.identities.get(identity.lower(), -1))
        return person.name if person is not None else None

    def by_handle(self, platform: str, handle: str) -> int | None:
        """`@jane`: the one person the handle names (`handle_ids`), if only one."""
        found = self.handle_ids(platform, handle)
        return next(iter(found)) if len(found) == 1 else None

    def handle_ids(self, platform: str, handle: str) -> set[int]:
        """Everyone `@jane` may mean: the identity platform:jane, else those so displayed,
        else so named, else so addressed, else of that first name.

        The first of these that anyone answers to is the answer, however many it
        holds: when two people are displayed "jane", a third whose address is
        jane@... is not surely the one meant, and taking her named the wrong
        person without a word.
        """
        key = handle.lower()
        found = self.identities.get(f"{platform}:{key}")
        if found is not None:
            return {found}
        # Slack's handles write a name's spaces as dots or underscores: @jane.doe.
        spaced = " ".join(_HANDLE_SPACES.split(key))
        for candidates in (
            self.by_display.get(key, set()) | self.by_display.get(spaced, set()),
            self.name_ids.get(key, set()) | self.name_ids.get(spaced, set()),
            {pid for pid, p in self.people.items() if p.email and p.email.split("@")[0] == key},
            self.first_names.get(key, set()),
        ):
            if candidates:
                return set(candidates)
        return set()


class NameMatcher:
    """Known people's names found in text, on whole words.

    Multi-word names match in any case, across any run of whitespace; a
    one-word name only capitalised, so that a person called "member" does not
    own "member states to...". At each place the longest name wins, and the
    search goes on after it. Names are looked up in dictionaries by the words
    at hand (a multi-word name by its first two): one regex of every name
    took time to match in proportion to the number of people, and 0.4 s to
    build again for 5,000 people, which happened whenever anyone new wrote.
    Someone new is now added to a copy (`with_name`), which others may hold.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._single: dict[str, tuple[int, str]] = {}
        self._pairs: dict[tuple[str, str], list[tuple[int, tuple[str, ...], str]]] = {}
        self._firsts: set[str] = set()
        self._heads: set[str] = set()  # the first two characters of each first word
        for name in names:
            self._add(name)

    def with_name(self, name: str) -> NameMatcher:
        """A copy that finds `name` too (this one is left as it was)."""
        grown = copy.copy(self)
        grown._single, grown._pairs = dict(self._single), dict(self._pairs)
        grown._firsts, grown._heads = set(self._firsts), set(self._heads)
        grown._add(name)
        return grown

    def _add(self, name: str) -> None:
        # The longer name ranks first (lower) and wins where several match; of two
        # as long with the same words (" jane" and "jane"), the first in text order,
        # in whatever order they were added.
        rank, words = -len(name), tuple(name.split())
        if words:
            self._heads.add(words[0][:2])
        if len(words) == 1:
            self._single[words[0]] = min((rank, name), self._single.get(words[0], (rank, name)))
        elif words:
            pair = (words[0], words[1])
            # A new list, not the one a copy shares; first to win first (`_best_at`).
            self._pairs[pair] = sorted(
                [*self._pairs.get(pair, ()), (rank, words, name)], key=itemgetter(0, 2)
            )
            self._firsts.add(words[0])

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, the name as given) for each name in `text`, in order."""
        after = 0
        for place in _NAME_START.finditer(text):
            start = place.start()
            if start < after:
                continue
            if _is_cjk(text[start]) and text[start : start + 2] not in self._heads:
                continue  # most places in Chinese text: no name starts so, no need to look
            found = self._best_at(text, start)
            if found is not None:
                _, end, name = found
                yield start, end, name
                after = end

    def _best_at(self, text: str, start: int) -> tuple[int, int, str] | None:
        """(rank, end, name) of the name written at `start` that ranks first, if any."""
        found: list[tuple[int, int, str]] = []
        # In Chinese no space ends a name: it is at most a Chinese name's length.
        first_end = _chunk_end(text, start, _CJK_NAME_MAX if _is_cjk(text[start]) else None)
        spellings = _spellings(text, start, first_end)
        for word in spellings:
            single = self._single.get(word)
            if single is not None:
                end = _match_words(text, start, (word,))
                if end is not None:
                    found.append((single[0], end, single[1]))
        first = spellings[-1]  # a first word of several ends at whitespace
        if first in self._firsts:
            gap = _past_space(text, first_end)
            if gap > first_end:
                for second in _spellings(text, gap, _chunk_end(text, gap)):
                    for rank, words, name in self._pairs.get((first, second), ()):
                        end = _match_words(text, start, words)
                        if end is not None:
                            found.append((rank, end, name))
                            break  # ranked longest first: the rest would lose
        return min(found, default=None)


def _is_word(char: str) -> bool:
    """`\\w` of a `re` pattern."""
    return char.isalnum() or char == "_"


def _past_space(text: str, at: int) -> int:
    """Where the run of whitespace at `at` ends (`at` itself if there is none)."""
    return _SPACES.match(text, at).end()  # type: ignore[union-attr]  # `\s*` always matches


def _chunk_end(text: str, start: int, longest: int | None = None) -> int:
    """Where the run of non-space characters at `start` ends, `longest` of them at most."""
    limit = len(text) if longest is None else min(len(text), start + longest)
    space = _SPACE.search(text, start, limit)
    return space.start() if space else limit


def _spellings(text: str, start: int, end: int) -> list[str]:
    """Every way a word of a name can be written from `start`, lowercased, the longest last.

    It ends where whitespace starts (`end`), or where a name's last word may
    end (before anything but a word character or `@`, or before Chinese, which
    runs on without spaces; a Chinese name is any of the first 2 to 4 characters).
    """
    stops = [stop.start() for stop in _WORD_STOP.finditer(text, start + 1, end)]
    run = _CJK_RUN.match(text, start, end)
    if run is not None:  # "张伟" of "张伟提交文件"
        stops = sorted({*stops, *range(start + 2, run.end() + 1)} - {end})
    elif (chinese := _CJK_CHAR.search(text, start + 1, end)) is not None:
        stops = sorted({*stops, chinese.start()})  # "Smith" of "Smith提交文件"
    return [text[start:k].lower() for k in [*stops, end]]


def _match_words(text: str, start: int, words: tuple[str, ...]) -> int | None:
    """Where the name ends if `words` are written at `start`, else None."""
    at = start
    for n, word in enumerate(words):
        written = text[at : at + len(word)]
        if len(words) == 1:
            if written != word.capitalize():
                return None
        elif written.lower() != word:
            return None
        at += len(word)
        if n < len(words) - 1:
            gap = _past_space(text, at)
            if gap == at:
                return None
            at = gap
    if at < len(text) and (_is_word(text[at]) or text[at] == "@") and not _is_cjk(text[at]):
        return None
    return at


def _is_cjk(char: str) -> bool:
    return _CJK_CHAR.match(char) is not None


def groups_of(person: Person, *, is_chair: bool, is_secretariat: bool) -> list[str]:
    """The group words that name this person (their share of "TSAG representatives"...)."""
    keys = []
    if is_secretariat:
        keys.append("secretariat")
    if is_chair:
        keys.append("chair")
    if is_secretariat:
        keys.append(TASK_FORCE)  # its focal points are the secretariat's
    if person.advisory_group in ADVISORY_GROUPS and person.current:
        keys.append(person.advisory_group)
    return keys


def find_owners(
    text: str, platform: str, index: PeopleIndex, *, only_owners: bool = False
) -> list[Owner]:
    """The owners an action's text names, in the order written, each once.

    `only_owners`: the text is nothing but owners (`/assign A3 Fabio`), not a
    sentence whose subject they are.
    """
    found: list[tuple[int, int, Owner]] = []  # (start, end, owner)
    for match in PLATFORM_MENTION.finditer(text):
        if _MENTION_POSSESSIVE.match(text, match.end()):
            continue  # "Review <@U123>'s slides": whose slides, as a name's
        person_id = index.identities.get(platform_identity(platform, match.group(1)).lower())
        owner = _person_owner(index, person_id, "@" + match.group(1))
        found.append((match.start(), match.end(), owner))
    for match in HANDLE.finditer(text):
        handle = match.group(1)
        if handle.lower() in BROADCAST_WORDS or _MENTION_POSSESSIVE.match(text, match.end()):
            continue  # @everyone is text, never an owner; "@jane's notes" are whose
        group = group_key(handle)
        if group:
            owner = Owner(label=GROUP_LABELS[group], group_key=group)
        else:
            owner = _person_owner(index, index.by_handle(platform, handle), "@" + handle)
        found.append((match.start(), match.end(), owner))
    for match in _EMAIL.finditer(text):
        person_id = index.by_email.get(match.group(1).lower())
        found.append((match.start(), match.end(), _person_owner(index, person_id, match.group(1))))
    verb = _SUBJECT_END.search(text)
    subject = text if only_owners or verb is None else text[: verb.start()]
    opening = _CHINESE_LEAD.match(subject).end()  # type: ignore[union-attr]  # may be empty
    openers: set[int] = set()  # where the names a Chinese subject opens with start
    spans = {start: end for start, end, _ in found}  # each name and group: start -> end
    named: list[tuple[int, int, Owner]] = []  # known names and group words
    for start, end, name in index.names.finditer(subject):
        if _inside_mention(subject, start):
            continue
        if start == opening:  # "张伟和李娜负责...": the names Chinese opens with, its subject
            opening = _CHINESE_JOINER.match(subject, end).end()  # type: ignore[union-attr]
            openers.add(start)
        elif start > 0 and _is_cjk(subject[start - 1]):
            # Run into Chinese further on, a name is no subject: the one sent the file
            # ("秘书处将文件发给张伟"), or no name at all ("准备高峰会议文件", the summit).
            continue
        spans[start] = end
        ids = index.name_ids[name]
        if len(ids) == 1 and not _possessive(subject, end):
            named.append((start, end, _person_owner(index, next(iter(ids)), subject[start:end])))
    for pattern, group in _GROUPS:
        for match in pattern.finditer(subject):
            spans.setdefault(match.start(), match.end())
            if _possessive(subject, match.end()):
                continue
            named.append(
                (match.start(), match.end(), Owner(label=GROUP_LABELS[group], group_key=group))
            )
    subject_end = len(subject)  # where the subject ends, to tell a group said of a person
    if only_owners or verb is not None:
        found += named
        read = [(start, end) for start, end, _ in found]
        others = _other_names(subject, index, read, any_case=only_owners)
        known = [owner for _, _, owner in found + others if not owner.flagged]
        # Unknown words alone ("Draft Report to be circulated") name no one; beside a
        # known owner ("Jane Doe and Noah LUO to ...") they are someone not to drop.
        found += others if only_owners or known else []
    else:
        # No English verb ends the subject: "ACCIÓN: Ana enviará el documento", "ACTION :
        # Marie envoie le projet", "إجراء: أحمد علي يرسل الوثيقة". The names the sentence
        # opens with are its subject, as those before "to" are in English; a name further
        # on is what the action is about ("إجراء: إرسال تعليقات Jane Doe على الوثيقة", Jane's
        # comments) or whom it goes to ("... enviará el documento a Jane Doe"), never who
        # does it, unless the line says so (`_OWNER_PLACE`). Of the opening words, only
        # known names count: with no verb to go by, an unknown capital ("Update the
        # pages") is no one's name.
        lead, starts = _lead(text, 0, spans)
        if " " not in text[:lead].strip() and _IMPERATIVE_NEXT.match(text, lead):
            lead, starts = 0, set()  # "Mark the dates", "Mark up the draft": a verb, not Mark
        for place in _OWNER_PLACE.finditer(text):
            starts |= _lead(text, place.end(), spans)[1]
        found += [owner for owner in named if owner[0] in starts | openers]
        read = [(start, min(end, lead)) for start, end, _ in found if start < lead]
        others = _other_names(text[:lead], index, read)
        found += [other for other in others if not other[2].flagged]
        subject_end = lead
    found = _without_appositions(text, sorted(found, key=itemgetter(0)), subject_end)
    return _unique([owner for _, _, owner in found])


def _without_appositions(
    text: str, found: list[tuple[int, int, Owner]], subject_end: int
) -> list[tuple[int, int, Owner]]:
    """The owners found (in text order), less a group that only says who the person
    named before it is: "Jane Doe, TSB, to send the draft" is Jane's, of the TSB, as
    "Jane Doe (TSB) to ..." is, while "Jane Doe and TSB to send" names both.

    Commas set a group apart only where the subject ends after the second one
    (`subject_end`): in "Jane Doe, TSB and BDT to ..." or "Jane Doe, TSB, and BDT
    to ..." it is one of a list.
    """
    kept = found[:1]
    for (_, before_end, before), (start, end, owner) in pairwise(found):
        if owner.group_key is not None and before.group_key is None:
            between = text[before_end:start]
            comma = _COMMA.match(text, end)
            if _COMMA.fullmatch(between) and comma is not None and comma.end() >= subject_end:
                continue
            if _OPENING_BRACKET.fullmatch(between) and _CLOSING_BRACKET.match(text, end):
                continue
        kept.append((start, end, owner))
    return kept


def _lead(text: str, at: int, known: dict[int, int]) -> tuple[int, set[int]]:
    """The names a sentence opens with from `at` ("Ana and Li Wei" of "Ana and Li Wei
    enviarán...", "أحمد علي" of "أحمد علي يرسل..."): where they end, and where each
    known one (`known`, start -> end) starts.

    They run up to the first word in lower case that no known name holds (Arabic
    and Chinese have no capitals). A known name counts only where a name may start,
    first or after "and", a comma or a title, never inside a run of other words
    ("Send Jane Doe's comments").
    """
    end, starts, joined, past = at, set(), True, at
    for token in _TOKEN.finditer(text, at):
        if token.start() < past:
            continue  # the rest of a known name
        word = token.group()
        if token.start() in known:
            if joined:
                starts.add(token.start())
            end = past = known[token.start()]
            joined = False
        elif word in _SEPARATORS or word.lower() in _AND:
            joined = True
        elif _is_honorific(word):
            end = token.end()
        elif word[0].isupper():
            end, joined = token.end(), False
        else:
            break
    return end, starts


def _other_names(
    subject: str, index: PeopleIndex, read: list[tuple[int, int]], *, any_case: bool = False
) -> list[tuple[int, int, Owner]]:
    """Names in a subject made only of names ("Fabio and Jane Doe to ..."), besides
    those read already (`read`): a person's first name when it is theirs alone (after
    a title, "Mr Bigi", their surname), else the name kept as written and flagged, so
    that nobody named is dropped unsaid. A title is never a name of its own ("Dr" of
    "Dr Jane Doe").

    Only where every other word starts with a capital: in "Mark the dates" or
    "Member states to ...", a capital is no name. `any_case`: the subject is nothing
    but names (`/assign A3 jane`, `/actions bob`), typed as they come.
    """
    rest = list(subject)
    # What was read, and what is in brackets: who someone is ("Ms Doe (ITU-T)"), no name.
    for start, end in [*read, *(m.span() for m in _BRACKETED.finditer(subject))]:
        rest[start:end] = " " * (end - start)
    # [where it is written from (its title too), where the name starts, end] of each run
    # of words between separators.
    runs: list[list[int]] = []
    joined, title = True, None
    for token in _TOKEN.finditer("".join(rest)):
        word = token.group()
        if word in _SEPARATORS or word.lower() in _AND:
            joined, title = True, None
        elif joined and _is_honorific(word):
            title = token.start() if title is None else title
        elif not (any_case or word[0].isupper()):
            return []
        elif joined:
            runs.append([token.start() if title is None else title, token.start(), token.end()])
            joined = False
        else:
            runs[-1][2] = token.end()
    found = []
    for start, name_start, end in runs:
        written = subject[name_start:end]
        if written.lower() in _NO_ONE:
            return []  # "All to ...", "ISCG to ...": a subject, but nobody's name
        group = group_key(written)
        if group:
            found.append((start, end, Owner(label=GROUP_LABELS[group], group_key=group)))
            continue
        ids: set[int] = set()
        if " " not in written:
            ids = index.first_names.get(written.lower(), set())
            if start < name_start:
                # "Mr Bigi": a surname, or a first name, as names are written in either
                # order ("Mr Li" may be Li Wei as well as Wang Li): the one who has it.
                ids = ids | index.last_names.get(written.lower(), set())
        person_id = next(iter(ids)) if len(ids) == 1 else None
        found.append((start, end, _person_owner(index, person_id, subject[start:end])))
    return found


def _possessive(text: str, end: int) -> bool:
    """Whether the name or group ending at `end` is written as a possessive, maybe with
    more capitalised words of a name after it: "review the draft (Ana's text)", "Send
    Jane Doe's comments to the list", "the secretariat's note". It is what the action is
    about, not who does it, and was taken for the owner, as a name in brackets is."""
    tail = _POSSESSIVE.match(text, end)
    return tail is not None and all(
        word[0] in "'’" or word[0].isupper() for word in tail.group().split()
    )


def _is_honorific(word: str) -> bool:
    return word.lower().rstrip(".") in _HONORIFICS


def _first_word(name: str) -> str:
    return name.split(maxsplit=1)[0].lower() if name.strip() else ""


def _last_word(name: str) -> str:
    return name.rsplit(maxsplit=1)[-1].lower() if name.strip() else ""


def _inside_mention(text: str, at: int) -> bool:
    return at > 0 and text[at - 1] in "@<"


def group_key(word: str) -> str | None:
    """The group one word names, in any case ("TSAG", "tsb", "@ISC-TF", "secretariat"),
    where the word stands alone as a name (a handle, a filter): in running text, only
    the capitalised abbreviation is a group ("rag" is a word)."""
    lowered = word.lower()
    if lowered == "secretariat":
        return "secretariat"
    if _CHAIR_WORD.fullmatch(lowered):  # as "the chair", "the chairman" read
        return "chair"
    upper = word.upper()
    if re.sub(r"[-\s]", "", upper) == "ISCTF":  # @ISC-TF, "ISCTF"
        return TASK_FORCE
    if lowered == "bureaux":
        return ALL_BUREAUX
    return upper if upper in ADVISORY_GROUPS or upper in BUREAUX else None


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


async def person_named(
    conn: aiosqlite.Connection,
    index: PeopleIndex,
    platform: str,
    who: str,
    *,
    meet_unknown: bool = True,
) -> int | None:
    """A mention, handle, address or full name -> the person; a platform mention is trusted.

    A handle or full name several people answer to is `Namesakes`: the asker
    says which, never the first found. With `meet_unknown`, someone a platform
    mention names is met if new (a co-chair who never spoke), and a console
    handle is an identity by construction (console:<name>); `@everyone` is
    everyone, never a person.
    """
    text = who.strip()
    if match := PLATFORM_MENTION.fullmatch(text):
        identity = platform_identity(platform, match.group(1))
        if not meet_unknown:
            return index.identities.get(identity.lower())
        return (await people.ensure(conn, identity, match.group(1))).id
    if match := HANDLE.fullmatch(text):
        handle = match.group(1)
        if handle.lower() in BROADCAST_WORDS:
            return None
        found = index.handle_ids(platform, handle)
        if len(found) > 1:
            raise Namesakes(text, [index.people[pid] for pid in sorted(found)])
        if not found and platform == "console" and meet_unknown:
            return (await people.ensure(conn, f"console:{handle}", handle)).id
        return next(iter(found), None)
    by_email = index.by_email.get(text.lower())
    if by_email is not None:
        return by_email
    named = index.name_ids.get(" ".join(text.lower().split()), set())
    if len(named) > 1:
        raise Namesakes(text, [index.people[pid] for pid in sorted(named)])
    return next(iter(named)) if named else None


class Namesakes(Exception):
    """A name, as written (`written`), that several people bear (`people`).

    Two people may share a name (a member and the chair, two delegates called Li
    Wei); an invitation or a record for the first found went to the wrong one
    without a word, so the bot asks instead.
    """

    def __init__(self, written: str, found: list[Person]) -> None:
        super().__init__(written)
        self.written, self.people = written, found

    @property
    def question(self) -> str:
        """Whom the name may mean, each told apart, and how to say which."""
        count = {2: "Two", 3: "Three"}.get(len(self.people), str(len(self.people)))
        told = [_told_apart(person) for person in self.people]
        listed = ", ".join(told[:-1]) + f" and {told[-1]}"
        # "@jane" may be Jane Doe and Jane Roe: they are not both called "Jane Doe",
        # and either is told by her full name.
        if len({person.name.casefold() for person in self.people}) == 1:
            called, write = f'are called "{self.people[0].name}"', "the e-mail address"
        else:
            called, write = f'answer to "{self.written}"', "the full name or e-mail address"
        return f"{count} people {called}: {listed}. Write {write} of the one you mean."

    @property
    def address(self) -> str:
        """An address to write instead of the name, for an example."""
        return next((p.email for p in self.people if p.email), "name@example.org")


def _told_apart(person: Person) -> str:
    details = [
        *([person.role] if person.role != "member" else []),
        *([person.advisory_group] if person.advisory_group else []),
        *([person.country] if person.country else []),
        *([] if person.email else ["no e-mail address on record"]),
    ]
    address = f" <{person.email}>" if person.email else ""
    return person.name + address + (f" ({', '.join(details)})" if details else "")
