"""Finding a theme from what a person typed, and what the directory says of it.

Resolution order: the exact name or alias (any case and punctuation, with or
without "the ... theme" around it), then a sub-topic, then a resolution or
decision, a study group, event or partner the documents list for one theme,
then a typo (rapidfuzz) that misspells the words typed; anything else gets the
closest suggestions rather than a guess stated as fact. Numbers are
identifiers, never typos: "Resolution 191" is not a misspelt "Resolution 1",
nor "IMT-2030" a misspelt "IMT-2020".
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import aiosqlite
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from bot.core import OTHER_LANGUAGES
from storage import knowledge, themes
from storage.chinese import mainland_words
from storage.db import Database, together
from storage.themes import Assignment, NameEntry, SubTopic, Theme, name_key

T = TypeVar("T")

# A typo is accepted as the theme when it is this close to a single name...
TYPO_SCORE = 85.0
# ...and clearly closer than the next different theme.
TYPO_MARGIN = 4.0
# Shorter queries are abbreviations, where one letter is another name ("ICT", "ICTC").
TYPO_MIN_LENGTH = 5
_NUMBERS = re.compile(r"\d+")
# Words a sentence puts around a theme's name, in lookup form: "please" or "thanks" after
# it, in the members' languages...
_PLEASE_WORDS = (
    *("please", "thanks", "thank you", "merci", "s'il vous plaît", "svp"),
    *("por favor", "gracias", "пожалуйста", "спасибо", "من فضلك", "شكرا", "请", "谢谢"),
)
# (in lookup form, as the query is: "пожалуйста" loses its breve)
_PLEASE = re.compile(
    r"(?:^| )(?:" + "|".join(re.escape(name_key(word)) for word in _PLEASE_WORDS) + ")$"
)
# ..."the" before it, and the French and
# Spanish articles a name in those languages comes with ("l'accessibilité" is "l accessibilite").
_THE = re.compile(r"^(?:the|le|la|les|l|el|los|las) ")
# Chinese puts "the theme" after it too, or "work", "area", "issues", "its coordinator":
# "无障碍工作", "无障碍的协调人".
_THEME = re.compile(
    r"(?: themes?|(?<=\w)(?:主题|专题|工作|方面|领域|问题)"
    r"|(?<=\w)的(?:协调人|协调员|联络人|负责人))$"
)
# ...and the Sector a question asks about, after it: "accessibility in ITU-T" (the card
# shows each Sector's focal point), "l'IA à l'UIT-T", "la accesibilidad en el UIT-D",
# "الذكاء الاصطناعي في قطاع تقييس الاتصالات", or "AI | ITU-T", as /set-focal-point takes it.
_AR_SECTORS = "|".join(
    name_key(f"قطاع {name}")
    for name in ("الاتصالات الراديوية", "تقييس الاتصالات", "تنمية الاتصالات")
)
_IN_SECTOR = re.compile(
    r" (?:(?:in|at|for|of|on the side of|a l|au|dans l|de l|en el|en la|en|del|para el)"
    r" (?:the )?(?:itu [rtd]|uit [rtd]|br|tsb|bdt"
    r"|general secretariat|radiocommunication|standardization|development)(?: sectors?)?"
    rf"|(?:في )?(?:itu [rtd]|uit [rtd]|{_AR_SECTORS})|itu [rtd]|uit [rtd])$"
)
# ...and before it, in English and the members' languages: "the theme of accessibility",
# "тему искусственного интеллекта" (Russian asks for "the theme of" a subject), "le thème
# de l'accessibilité", "el tema del...", "موضوع الذكاء الاصطناعي".
_THEME_OF = re.compile(
    r"^(?:тем[аыу]|موضوع|(?:(?:le|el|la) )?(?:theme|tema|thematique|topic|subject))"
    r"(?: (?:of|de|du|des|del|d))?(?: (?:la|le|les|el|l))? "
)
# Russian declines a theme's name after the verb or preposition a question puts before it:
# "кто координирует доступность", "...по доступности", "...вопросы доступности",
# "кто занимается искусственным интеллектом". The words a question puts before the name...
_RU_BEFORE = re.compile(
    r"^(?:(?:по|о|об|обо|за|для|в|во|на|с|со|вопрос(?:ы|ам|ах|ов)|области|сфере|тем[еыу]"
    r"|работ[уе]) )+"
)
# ...and the case endings of its nouns and adjectives, longest first at each place, the
# noun "-ие/-ия" losing only its last letter so that "изменение" and "изменения" agree.
# In lookup form, as the query is: "й" is "и" and "ё" is "е" (`name_key` drops the marks).
_RU_ENDING = re.compile(
    r"(?:ого|его|ому|ему|ыми|ими|ами|ями|ои|еи|ым|им|ом|ем|ую|юю|ая|яя|ое|ее|ые|ых"
    r"|ыи|ам|ям|ах|ях|ов|ев|ью|а|я|о|е|у|ю|ы|и|ь)$"
)
_RU_STEM_MIN = 3  # "ИИ" and "МСП" are abbreviations, not declined
_CYRILLIC = re.compile(r"[а-яё]")


# Arabic writes a name with or without its article, on each word ("الذكاء الاصطناعي",
# "ذكاء اصطناعي"), and with a preposition or "and" fused to it ("بالذكاء", "للذكاء").
_AR_ARTICLE = re.compile(r"^(?:[وبفك]?ال|لل)(?=\w{2})")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def inflection_key(key: str) -> str:
    """A name in lookup form as its language inflects it, reduced to one form: a Russian
    one with its words' case endings cut and the words a question puts before it
    dropped, an Arabic one without its articles; "" for a name in neither script."""
    if _CYRILLIC.search(key):
        name = _RU_BEFORE.sub("", key) or key
        return " ".join(_stem(word) for word in name.split())
    if _ARABIC.search(key):
        return " ".join(_AR_ARTICLE.sub("", word) for word in key.split())
    return ""


def _stem(word: str) -> str:
    """A Russian word without its case ending, unless too little is left to be a stem."""
    cut = _RU_ENDING.sub("", word)
    return cut if len(cut) >= _RU_STEM_MIN else word


# A typo changes letters of the words typed, not the words: each word typed must be
# this close to one of the name's ("water management" is no misspelt "disaster management").
TYPO_WORD_SCORE = 65.0
# "Resolution 73 (Rev. Hammamet, 2016)" -> "resolution 73": how a delegate names one.
_REFERENCE = re.compile(r"\b(resolution|decision)\s+(\d+)\b", re.IGNORECASE)
SECTOR_LABELS = {"ITU-R": "ITU-R", "ITU-T": "ITU-T", "ITU-D": "ITU-D", "GS": "General Secretariat"}
# The languages a theme's `translations` are in, as an answer names them.
# What a theme's `details` hold per Sector, in the order a reader wants them.
DETAIL_TITLES = {
    "study_groups": "Study groups",
    "resolutions": "Resolutions",
    "events": "Events",
    "partners": "Partner organizations",
    "recommendations": "Recommendations",
    "reports": "Reports",
}


@dataclass
class Resolution:
    """The outcome of looking a theme up."""

    query: str
    theme: Theme | None = None
    subtopic: SubTopic | None = None
    matched: NameEntry | None = None
    how: str = ""  # "name", "alias", "subtopic", "reference", "number", "typo"
    language: str = ""  # "Spanish", when the name matched is the theme's in that language
    reference: Reference | None = None  # the listed resolution, when how == "reference"
    suggestions: list[Theme] = field(default_factory=list)
    # theme id -> the name of it that was close ("Environment" for Climate change)
    suggested_as: dict[int, str] = field(default_factory=dict)
    card: ThemeCard | None = None  # the theme's card, when asked for with it


# A sentence of the documents' facts ends at "." or ";" before a capital, a bracket or a
# quote; not at an initial ("Ahmad R. Sharafat") or an abbreviation the documents cite
# with ("Resolution 191 (Rev. Dubai, 2018)", "(Doc. C20/35)").
_SENTENCE_END = re.compile(
    r"(?<=[.;])(?<! [A-Z]\.)(?<!\b(?:Rev|Doc|Res|Add)\.)(?<!\bCorr\.)\s+(?=[A-Z(\"“])"
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a fact, as quoted, and in lookup form between spaces, so that a
    question's words are found in it whole (`f" {key} " in sentence.key`)."""

    text: str
    key: str


def sentences(text: str) -> list[Sentence]:
    """The sentences of a fact, each line's list dash taken off."""
    parts = (
        part.strip().lstrip("- ")
        for line in text.splitlines()
        for part in _SENTENCE_END.split(line)
    )
    return [Sentence(part, f" {name_key(part)} ") for part in parts]


@dataclass(frozen=True)
class Reference:
    """A resolution or decision, a study group, an event, a partner... as a theme's
    details list it, and under which Sector."""

    theme_id: int
    text: str  # as printed: "Resolution 73 (Rev. Hammamet, 2016)"
    sector: str
    listing: str = ""  # the list it is in, when not the resolutions: "partner organizations"


@dataclass
class ThemeCard:
    """Everything `/who-coordinates` and `/theme` show about one theme."""

    theme: Theme
    coordinators: list[Assignment]
    focal_points: dict[str, list[Assignment]]
    subtopics: list[SubTopic]
    aliases: list[str]
    translations: dict[str, list[str]]  # "es" -> its names in Spanish (`OTHER_LANGUAGES`)
    children: list[Theme]
    parent: Theme | None
    citations: list[Citation]
    coordination: Coordination | None = None


@dataclass(frozen=True)
class Coordination:
    """What the documents say of who coordinates a theme, and where they say it."""

    text: str
    citations: list[Citation]


class NameIndex:
    """Every theme name in memory, with trigram and word postings for fuzzy search.

    Built on first use: theme names change only when the seed documents are
    loaded again, which happens before the bot starts. A lookup scores only the
    few dozen names that share the most trigrams or a whole word with the query,
    so a typo in a 10,000-theme directory never scans every name.
    """

    CANDIDATES = 48  # names scored per fuzzy lookup

    def __init__(self) -> None:
        self._entries: dict[str, list[NameEntry]] = {}
        self._grams: dict[str, list[str]] = {}
        self._words: dict[str, list[str]] = {}
        # The seed documents and facts change only on a re-seed; answers cite them
        # on every lookup, so they are kept here rather than read each time.
        self.documents: dict[str, knowledge.Document] = {}
        self.facts: dict[str, knowledge.Fact] = {}
        # Fact key -> its sentences, folded once: a question no theme answers looks for
        # its words in every one of them (`sentences`).
        self.sentences: dict[str, list[Sentence]] = {}
        # What a theme card would otherwise ask the database for on every answer.
        self.aliases: dict[int, list[str]] = {}
        # (theme id, name key) -> the language a theme's name in another language is in.
        self.languages: dict[tuple[int, str], str] = {}
        self.with_subtopics: set[int] = set()
        # "доступност", "ذكاء اصطناعي" -> the names of that form (`inflection_key`).
        self.inflected: dict[str, list[NameEntry]] = {}
        # "1.2" -> the item of that number in the documents' numbered list.
        self.numbers: dict[str, int] = {}
        self.parents: set[int] = set()
        # Theme id -> its name, for an answer that names themes it found no row of.
        self.titles: dict[int, str] = {}
        # "resolution 73" -> where the documents list it among a theme's resolutions.
        self.references: dict[str, list[Reference]] = {}
        # "isc tf", "tsag", "inter sector coordination group" -> the body of the Union.
        self.bodies: dict[str, knowledge.Body] = {}
        # "wmo", "studygroup5", "greenstandardsweek" -> where a theme's details list it.
        self.items: dict[str, list[Reference]] = {}
        self._ready = False

    async def ensure(self, db: Database) -> None:
        """Build the index, unless it is built.

        No lock of its own: a caller inside a transaction (a batch of mail)
        reads with that transaction's connection, and a lock held meanwhile by
        a caller waiting for that transaction would never be released. Callers
        arriving together before it is built each build it, alike.
        """
        if not self._ready:
            async with db.read() as conn:
                entries = await themes.names(conn)
                documents = await knowledge.documents(conn)
                facts = {fact.key: fact for fact in await knowledge.facts(conn)}
                parents = await themes.parent_ids(conn)
                every = await themes.all_themes(conn)
                subtopics = await themes.subtopics(conn)
                bodies = await knowledge.bodies(conn)
            grouped: dict[str, list[NameEntry]] = defaultdict(list)
            for entry in entries:
                grouped[entry.key].append(entry)
            languages = _languages(every)
            aliases: dict[int, list[str]] = defaultdict(list)
            for entry in entries:
                if entry.kind == "alias" and (entry.theme_id, entry.key) not in languages:
                    aliases[entry.theme_id].append(entry.name)
            grams: dict[str, list[str]] = defaultdict(list)
            words: dict[str, list[str]] = defaultdict(list)
            for key in grouped:
                for gram in _trigrams(key):
                    grams[gram].append(key)
                for word in set(key.split()):
                    words[word].append(key)
            self._entries, self._grams, self._words = dict(grouped), dict(grams), dict(words)
            self.documents, self.facts, self.parents = documents, facts, parents
            self.sentences = {key: sentences(fact.value) for key, fact in facts.items()}
            self.aliases = {theme_id: sorted(names) for theme_id, names in aliases.items()}
            self.languages = languages
            self.with_subtopics = {e.theme_id for e in entries if e.kind == "subtopic"}
            self.numbers = {theme.number: theme.id for theme in every if theme.number}
            self.titles = {theme.id: theme.name for theme in every}
            inflected: dict[str, list[NameEntry]] = defaultdict(list)
            for entry in entries:
                if form := inflection_key(entry.key):
                    inflected[form].append(entry)
            self.inflected = dict(inflected)
            self.references = _references(every)
            self.items = _items(every, subtopics)
            self.bodies = {
                name_key(name): body
                for body in bodies
                for name in (body.abbr, body.name, *body.aliases)
            }
            self._ready = True

    def exact(self, key: str) -> list[NameEntry]:
        return self._entries.get(key, [])

    def close(self, key: str, limit: int = 8) -> list[tuple[str, float]]:
        """Names near `key`, best first, with a 0-100 score.

        A typo scores by plain similarity; a name that merely contains the words
        typed ("climate" -> "Climate change") is offered at a discount, so it
        is suggested but never taken for a typo of the query.
        """
        if not key:
            return []
        shared: Counter[str] = Counter()
        # A trigram half the names share says little and costs much: skip those.
        common = max(200, len(self._entries) // 20)
        for gram in _trigrams(key):
            postings = self._grams.get(gram, ())
            if len(postings) <= common:
                shared.update(postings)
        # Ties broken by how near a name's length is to the query's, the nearer being
        # the likelier to score (by name before: "everyone" lost Environment to the
        # names that sort before it once there were more of them), then by name:
        # Counter.most_common keeps the order names were met in, which follows set
        # iteration, so the same query got other suggestions after a restart.
        best = heapq.nsmallest(
            self.CANDIDATES,
            shared.items(),
            key=lambda kv: (-kv[1], abs(len(kv[0]) - len(key)), kv[0]),
        )
        candidates = {name for name, _ in best}
        for word in key.split():
            candidates.update(self._words.get(word, ())[: self.CANDIDATES])
        scored = []
        for name in candidates:
            score = fuzz.ratio(key, name)
            contained = fuzz.token_set_ratio(key, name)
            if contained >= 80:
                score = max(score, contained * 0.8)
            if score >= 50:
                scored.append((name, score))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:limit]

    def entries(self, key: str) -> list[NameEntry]:
        return self._entries.get(key, [])

    def all_entries(self) -> list[NameEntry]:
        """Every name, alias and sub-topic: what a chat autocomplete offers."""
        return [entry for entries in self._entries.values() for entry in entries]


def _languages(every: list[Theme]) -> dict[tuple[int, str], str]:
    """Which of a theme's names are in another language, and in which."""
    return {
        (theme.id, name_key(name)): OTHER_LANGUAGES.get(code, code)
        for theme in every
        for code, names in (theme.details.get("translations") or {}).items()
        for name in names
    }


def translations(theme: Theme) -> dict[str, list[str]]:
    """A theme's names in the other official languages, by language code, in the order
    of `OTHER_LANGUAGES` (the code is what a web page marks them with, for screen readers)."""
    given = theme.details.get("translations") or {}
    return {code: given[code] for code in OTHER_LANGUAGES if given.get(code)}


def reference_keys(text: str) -> list[str]:
    """Every "resolution 73" or "decision 482" a text names, in lookup form."""
    return [f"{word.lower()} {number}" for word, number in _REFERENCE.findall(text)]


# A resolution or decision as the documents print one and delegates paste or shorten it,
# in lookup form: "Resolution 73 (Rev. Hammamet, 2016)", "Resolution 60 (RA-19)", "Res. 73",
# "PP-Resolution 182" (as Table 1 heads a column), "WTSA Resolution 73", "Resolution ITU-R 60".
_CITED = re.compile(
    r"^(?:(?P<issuer>pp|ra|wtsa|wtdc|itu [rtd]) )?(?P<word>resolution|res|decision|dec)"
    r"(?: (?P<sector>itu [rtd]))? (?P<number>\d+)$"
)
# What follows the number in brackets: the issuer ("RA-19") or a revision ("Rev. Busan, 2014").
_CITED_BRACKETS = re.compile(r"\s*\(([^()]*)\)[\s.?!]*$")
# Who adopts a resolution, and whose column of the documents lists it (the Plenipotentiary
# Conference's are the whole Union's).
_ISSUERS = {
    "pp": "",
    "ra": "ITU-R",
    "itu r": "ITU-R",
    "wtsa": "ITU-T",
    "itu t": "ITU-T",
    "wtdc": "ITU-D",
    "itu d": "ITU-D",
}


@dataclass(frozen=True)
class Cited:
    """The one resolution or decision a query names: "resolution 73", and the Sector
    whose it is, when the query says ("" when it does not)."""

    key: str
    sector: str = ""


def cited(query: str) -> Cited | None:
    """The resolution or decision a query names as the documents print one, with its
    revision or issuer in brackets, or shortened: what is looked up as "resolution 73"."""
    text, sectors = query.strip(), []
    while (brackets := _CITED_BRACKETS.search(text)) is not None:
        words = name_key(brackets.group(1)).split()
        sectors.append(_ISSUERS.get(words[0], "") if words else "")
        text = text[: brackets.start()]
    found = _CITED.match(name_key(text))
    if found is None:
        return None
    word = "decision" if found["word"].startswith("dec") else "resolution"
    sectors += [_ISSUERS[part] for part in (found["issuer"], found["sector"]) if part]
    named = {sector for sector in sectors if sector}
    if len(named) > 1:
        return None  # "ITU-R Resolution 73 (WTDC-17)" names no one resolution
    return Cited(f"{word} {found['number']}", named.pop() if named else "")


def _references(every: list[Theme]) -> dict[str, list[Reference]]:
    found: dict[str, list[Reference]] = defaultdict(list)
    for theme in every:
        for sector, items in (theme.details.get("resolutions") or {}).items():
            for text in items:
                for key in reference_keys(text)[:1]:  # the one listed, not those it cites
                    found[key].append(Reference(theme.id, text, sector))
    return dict(found)


# The units a study-group cell names ("Study Group 5 - Q7/5", "Study Group 7 - WP 7B",
# "Study Group 5 - Q6/5 / FG-AI4EE"), as a delegate would ask for one.
_STUDY_UNITS = re.compile(
    r"\bStudy Groups? \d+|\bQ ?\d+/\d+|\bWP ?\d+[A-Z]?|\bFG-[A-Za-z0-9]+", re.IGNORECASE
)
_GROUP_NUMBER = re.compile(r"^study groups? (\d+)$")
_IN_BRACKETS = re.compile(r"\(([^()]*[A-Za-z][^()]*)\)")  # "(SDG 13)", not "(2017)"


def _items(every: list[Theme], subtopics: list[SubTopic]) -> dict[str, list[Reference]]:
    """Everything else the documents list for a theme, by the names a delegate uses:
    a study group (its number, Question, working party), an event, a partner
    organization, a Recommendation or report, and what such an item names in
    brackets ("SDG 13")."""
    found: dict[str, dict[int, Reference]] = defaultdict(dict)

    def add(key: str, theme_id: int, text: str, sector: str, listing: str) -> None:
        key = key.replace(" ", "")  # "SG 5" and "SG5", "WP 7B" and "WP7B" alike
        known = found[key].get(theme_id)
        if known is None:
            found[key][theme_id] = Reference(theme_id, text, sector, listing)
        elif sector not in known.sector.split(", "):
            found[key][theme_id] = Reference(
                theme_id, text, f"{known.sector}, {sector}", known.listing
            )

    groups = [(theme.id, theme.details.get("study_groups") or {}) for theme in every]
    groups += [(sub.theme_id, sub.study_groups) for sub in subtopics]
    for theme_id, cells in groups:
        for sector, texts in cells.items():
            for unit in (u for text in texts for u in _STUDY_UNITS.findall(text)):
                key = name_key(unit)
                number = _GROUP_NUMBER.match(key)
                text = f"Study Group {number.group(1)}" if number else unit
                keys = (
                    [f"study group {number.group(1)}", f"sg {number.group(1)}"] if number else [key]
                )
                for each in keys:
                    add(each, theme_id, text, sector, "study groups")
    for theme in every:
        for field_name, title in DETAIL_TITLES.items():
            if field_name in ("study_groups", "resolutions"):
                continue
            for sector, texts in (theme.details.get(field_name) or {}).items():
                for text in texts:
                    for named in (text, *_IN_BRACKETS.findall(text)):
                        add(name_key(named), theme.id, named, sector, title.lower())
    return {key: list(places.values()) for key, places in found.items() if key}


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def name_index(services_extras: dict[str, object]) -> NameIndex:
    index = services_extras.get("theme_index")
    if not isinstance(index, NameIndex):
        index = NameIndex()
        services_extras["theme_index"] = index
    return index


async def resolve(
    conn: aiosqlite.Connection, index: NameIndex, query: str, *, with_card: bool = False
) -> Resolution:
    """The theme a query names (or the closest ones, if none), with its card if asked:
    the card's reads go with the theme's, and need no more of it than its id."""
    result = Resolution(query=query)
    forms = _lookup_forms(name_key(query))
    # Regional variant words in traditional Chinese, tried last with the standard ones
    # ("人工智慧" is "人工智能"): read from the text as typed, OpenCC knowing the words
    # in traditional characters ("网路", folded first, is no word to it).
    mainland = _lookup_forms(name_key(mainland_words(query)))[-1]
    if mainland not in forms:
        forms.append(mainland)
    # "Resolution 73 in ITU-R" is named as "ITU-R Resolution 73" by its last form.
    reference = cited(query) or cited(forms[-1])
    if not _UNIT.match(forms[-1]) and (sector := _SECTOR_BEFORE.match(forms[-1])) is not None:
        # "ITU-T accessibility" as "accessibility in ITU-T"; not "ITU-T SG5", whose Sector
        # says which study group it is (`_places`).
        forms.append(forms[-1][sector.end() :])
    if reference is not None and reference.key not in forms:
        forms.append(reference.key)  # "Res. 182" is the theme named "Resolution 182"
    for form in forms:
        hits = index.exact(form) or index.exact(form.replace(" ", ""))
        if hits:
            return await _resolved(conn, result, hits[0], hits[0].kind, index, with_card)
    if (named := _named_with_brackets(index, query)) is not None:
        return await _resolved(conn, result, named, named.kind, index, with_card)
    if declined := index.inflected.get(inflection_key(forms[-1])):
        return await _resolved(conn, result, declined[0], declined[0].kind, index, with_card)
    key = forms[-1]
    number = _item_number(key)
    if number in index.numbers:
        entry = NameEntry(
            key=key, name=number, theme_id=index.numbers[number], subtopic_id=None, kind="name"
        )
        return await _resolved(conn, result, entry, "number", index, with_card)
    sector = reference.sector if reference else ""
    listed = _listed(index, key, sector) or _listed_item(index, key)
    if listed is not None:
        result.reference = listed
        entry = NameEntry(
            key=key, name=listed.text, theme_id=listed.theme_id, subtopic_id=None, kind="name"
        )
        return await _resolved(conn, result, entry, "reference", index, with_card)
    if _UNIT.match(key):
        # A study group or Question is no misspelt theme ("SG17" is not "SDG"): the
        # themes that list it are the ones to offer, or none.
        for place in _places(index, key):
            theme = await themes.get(conn, place.theme_id)
            if theme is not None and theme not in result.suggestions:
                result.suggestions.append(theme)
        return result
    near = index.close(key)
    if near and _is_typo(index, key, near):
        entry = index.entries(near[0][0])[0]
        return await _resolved(conn, result, entry, "typo", index, with_card)
    seen: set[int] = set()
    # Of names as close, a theme is offered by one in English before one in another
    # language: "internet" is near "Internet Governance Group" and "gobernanza de
    # Internet" alike, and an English reader was offered the Spanish.
    in_english = sorted(near, key=lambda item: (-item[1], _translated(index, item[0]), item[0]))
    for other, _score in in_english:
        if _names_another(key, other):
            continue
        theme_id = index.entries(other)[0].theme_id
        if theme_id in seen:
            continue
        seen.add(theme_id)
        theme = await themes.get(conn, theme_id)
        if theme is not None:
            result.suggestions.append(theme)
            result.suggested_as[theme_id] = index.entries(other)[0].name
        if len(result.suggestions) == 3:
            break
    return result


# An item of the numbered list as delegates cite one: "1.2", "item 8.1", "point 5".
_ITEM = re.compile(
    r"^(?:(?:item|point|punto|пункт) )?(\d+) (\d+)$|^(?:item|point|punto|пункт) (\d+)$"
)


def _item_number(key: str) -> str:
    """The number of the list item a query names, "1.2", or "" (a bare "5" is no item:
    it may as well be Resolution 5 or Study Group 5)."""
    found = _ITEM.match(key)
    if found is None:
        return ""
    whole, part, alone = found.groups()
    return f"{whole}.{part}" if whole else alone


# A name followed by something in brackets: "Artificial Intelligence (AI)".
_BRACKETED = re.compile(r"^(?P<outer>[^()]*[^()\s])\s*\((?P<inner>[^()]+)\)[\s.?!]*$")


def _named_with_brackets(index: NameIndex, query: str) -> NameEntry | None:
    """A name with another of the theme's names in brackets, as the documents write
    them ("Artificial Intelligence (AI)", "AI (Artificial Intelligence)"), or with
    words in brackets that name no other theme ("Accessibility (pilot trial)")."""
    found = _BRACKETED.match(query.strip())
    if found is None:
        return None
    outer = index.exact(name_key(found.group("outer")))
    inner = {entry.theme_id for entry in index.exact(name_key(found.group("inner")))}
    return next((entry for entry in outer if not inner or entry.theme_id in inner), None)


def _translated(index: NameIndex, key: str) -> bool:
    """Whether a name is a theme's in another language."""
    return any((entry.theme_id, key) in index.languages for entry in index.entries(key))


def _lookup_forms(key: str) -> list[str]:
    """The query as typed, then without the words a sentence puts around a theme:
    "who coordinates the accessibility theme?" asks for Accessibility. The last
    form is the one searched further (resolutions, typos, suggestions)."""
    forms = [key]
    for frame in (_PLEASE, _IN_SECTOR, _THE, _THEME, _THEME_OF, _GROUP_OF_UNIT):
        bare = frame.sub("", forms[-1])
        if bare and bare != forms[-1]:
            said = forms[-1][len(bare) :] if frame is _IN_SECTOR else ""
            forms.append(_sector_first(bare, said))
    return forms


# The Sector `_IN_SECTOR` takes off, by its letter: "in itu r", "de l uit r", "at the tsb".
_SECTOR_LETTER = re.compile(r" (?:(?:itu|uit) ([rtd])|(br)|(tsb)|(bdt))(?: sectors?)?$")
_BUREAU_LETTERS = {"br": "r", "tsb": "t", "bdt": "d"}


def _sector_first(bare: str, said: str) -> str:
    """A study group, Question or resolution with the Sector said after it put before
    it, where its Sector says which one it is: "SG5 in ITU-R" is ITU-R's Study Group 5,
    which the documents do not list, not ITU-T's; a theme is itself in any Sector."""
    sector = _SECTOR_LETTER.search(said)
    unit, resolution = _UNIT.match(bare), _CITED.match(bare)
    if sector is None or not (
        (unit and unit.group(1) is None)
        or (resolution and not resolution["issuer"] and not resolution["sector"])
    ):
        return bare
    letter = sector.group(1) or _BUREAU_LETTERS[next(filter(None, sector.groups()[1:]))]
    return f"itu {letter} {bare}"


# A Sector written before what a query names, as ITU people write one: before its advisory
# group or Bureau ("ITU-R/RAG", "UIT-D/BDT"), or a theme ("ITU-T accessibility"); after
# it, `_IN_SECTOR` takes it off.
_SECTOR_BEFORE = re.compile(r"^(?:itu|uit) ([rtd])(?: |的)")  # Chinese: "ITU-T的无障碍"


# Who in a group a question asks for, after its name: "ISCG chair", "TSAG's representatives"
# (the answer about the group gives its chair or representatives first).
_BODY_PEOPLE = re.compile(
    r"(?: s)? (?:chair|chairman|chairperson|chairs|vice chairs?|representatives?|members?)$"
)


def body_named(index: NameIndex, query: str) -> knowledge.Body | None:
    """The group of the Union a query names (ISCG, ISC-TF, TSAG...), which is no theme:
    "who coordinates the ISC-TF?" must hear what it is, not a nearest theme."""
    for form in _lookup_forms(name_key(query)):
        form = _BODY_PEOPLE.sub("", form) or form
        body = index.bodies.get(form) or index.bodies.get(form.replace(" ", ""))
        if body is not None:
            return body
        if (sector := _SECTOR_BEFORE.match(form)) is not None:
            body = body_named(index, form[sector.end() :])
            if body is not None and body.sector == f"ITU-{sector.group(1).upper()}":
                return body
    return None


# An abbreviation shorter than this with its letters swapped may be another one ("SG", "GS").
_SWAPPED_MIN = 4


def body_misspelt(index: NameIndex, query: str) -> knowledge.Body | None:
    """The group whose abbreviation a query types with letters swapped ("TSGA", "ISGC"),
    the typo an abbreviation gets: a fuzzy match of a four-letter word is no guess."""
    typed = _lookup_forms(name_key(query))[-1].replace(" ", "")
    if len(typed) < _SWAPPED_MIN:
        return None
    return next(
        (
            body
            for body in index.bodies.values()
            if _swapped(typed, name_key(body.abbr).replace(" ", ""))
        ),
        None,
    )


def _swapped(typed: str, abbr: str) -> bool:
    """Whether `typed` is `abbr` with two of its letters trading places, and no more:
    "GATS" has the letters of TSAG, but is another agreement, not a typo of it."""
    if len(typed) != len(abbr):
        return False
    apart = [i for i, (a, b) in enumerate(zip(typed, abbr, strict=True)) if a != b]
    if len(apart) != 2:
        return False
    first, second = apart
    return typed[first] == abbr[second] and typed[second] == abbr[first]


def _listed(index: NameIndex, key: str, sector: str = "") -> Reference | None:
    """The one theme whose details list the resolution the query names, if only one does
    (in the Sector named with it, if one was: the RA's Resolution 73 is not WTSA's)."""
    places = index.references.get(key, []) if reference_keys(key) == [key] else []
    if sector:
        places = [place for place in places if place.sector == sector]
    return places[0] if len({place.theme_id for place in places}) == 1 else None


def _listed_item(index: NameIndex, key: str) -> Reference | None:
    """The one theme whose details list the study group, event or partner named."""
    places = _places(index, key)
    return places[0] if len(places) == 1 else None


# A study group, Question or working party as delegates write one, in lookup form,
# its Sector before it or not: "itu t sg5", "question 7 5", "itu r working party 7b".
# A study group also as the other UN languages name one: "CE 5" (commission d'études,
# comisión de estudio), "ИК5" (исследовательская комиссия), "第5研究组", "لجنة الدراسات 5".
_STUDY_GROUP = (
    r"sg ?\d+|study groups? \d+|ce ?\d+|commission d etudes \d+|comision de estudio \d+"
    r"|ик ?\d+|исследовательская комиссия \d+|第 ?\d+ ?研究组|"
    + name_key("لجنة الدراسات")
    + r" \d+"
)
# ...and a Question or working party: "Cuestión 7/5", "Вопрос 7/5", "المسألة 7/5", "GT 7B".
_QUESTION = r"q|question|cuestion|вопрос|" + name_key("المسألة")
_PARTY = r"wp|working party|gt|groupe de travail|grupo de trabajo|рг|рабочая группа"
_UNIT = re.compile(
    rf"^(?:(?:itu|uit) ([rtd]) ?)?(?:({_STUDY_GROUP})|(?:{_QUESTION}) ?(\d+ \d+)"
    rf"|(?:{_PARTY}) ?(\d+[a-z]?))$"
)


# The study group a Question or working party is of, before it, as Table 1 prints a cell
# and delegates paste it ("Study Group 2 - Q6/2", "SG7 WP 7B"): the Question says which.
_GROUP_OF_UNIT = re.compile(
    r"(?:(?<= )|^)(?:sg ?\d+|study groups? \d+) (?=(?:q|question|wp|working party) ?\d)"
)


def _places(index: NameIndex, key: str) -> list[Reference]:
    """Where the documents list what a query names: a study group, Question or working
    party (of the Sector named with it: ITU-T's Study Group 5 is not ITU-R's), an
    event, a partner..."""
    unit = _UNIT.match(key)
    if unit is None:
        return index.items.get(key.replace(" ", ""), [])
    letter, group, question, party = unit.groups()
    number = _NUMBERS.search(group).group() if group else ""
    form = f"sg{number}" if group else (f"q{question}" if question else f"wp{party}")
    places = index.items.get(form.replace(" ", ""), [])
    if letter is None:
        return places
    sector = f"ITU-{letter.upper()}"
    return [replace(p, sector=sector) for p in places if sector in p.sector.split(", ")]


def unit_named(index: NameIndex, query: str) -> list[Reference] | None:
    """Where the documents list the study group, Question or working party a query
    names ("SG16", "ITU-D Q7/1"): none may be; None when the query names no such unit."""
    key = _lookup_forms(name_key(query))[-1]
    return _places(index, key) if _UNIT.match(key) else None


def unit_sector(query: str) -> str:
    """The Sector a study group or Question is named with ("ITU-D Q7/1"), or ""."""
    unit = _UNIT.match(_lookup_forms(name_key(query))[-1])
    return f"ITU-{unit.group(1).upper()}" if unit and unit.group(1) else ""


def study_units(index: NameIndex) -> dict[str, list[Reference]]:
    """Every study group, Question, working party and focus group the documents list,
    by Sector in the order of `SECTOR_LABELS`: groups first, then by number."""
    found: dict[str, dict[str, Reference]] = defaultdict(dict)
    for places in index.items.values():
        for place in places:
            if place.listing == "study groups":
                for sector in place.sector.split(", "):
                    found[sector].setdefault(place.text, replace(place, sector=sector))

    def order(place: Reference) -> tuple[bool, list[int], str]:
        numbers = [int(n) for n in _NUMBERS.findall(place.text)]
        return (not place.text.startswith("Study Group"), numbers, place.text)

    return {
        sector: sorted(found[sector].values(), key=order)
        for sector in SECTOR_LABELS
        if sector in found
    }


def _names_another(key: str, name: str) -> bool:
    """Whether a query that is a resolution or decision, and nothing else, would be
    offered a name that does not cite it: every name shares the word "resolution"
    with "Resolution 191", and "Working methods (Resolution 1)" is another one."""
    return reference_keys(key) == [key] and key not in reference_keys(name)


def _is_typo(index: NameIndex, key: str, near: list[tuple[str, float]]) -> bool:
    """Whether the closest name is surely what was meant, the query a misspelling of it.

    Never when their numbers differ: a number names one resolution, decision or
    system, and a digit more or less is another one. Never for a short query:
    an abbreviation a letter away from another is another abbreviation.
    """
    best_key, best_score = near[0]
    if _NUMBERS.findall(key) != _NUMBERS.findall(best_key) or len(key) < TYPO_MIN_LENGTH:
        return False
    if not _same_words(key, best_key):
        return False
    best_theme = index.entries(best_key)[0].theme_id
    runner_up = next(
        (score for other, score in near[1:] if index.entries(other)[0].theme_id != best_theme),
        0.0,
    )
    return best_score >= TYPO_SCORE and (
        best_score - runner_up >= TYPO_MARGIN or Levenshtein.distance(key, best_key) <= 1
    )


def _same_words(key: str, name: str) -> bool:
    """Whether every word typed is a spelling of one of the name's words."""
    words = name.split()
    return all(
        max(fuzz.ratio(word, other) for other in words) >= TYPO_WORD_SCORE for word in key.split()
    )


async def _resolved(
    conn: aiosqlite.Connection,
    result: Resolution,
    entry: NameEntry,
    how: str,
    index: NameIndex,
    with_card: bool,
) -> Resolution:
    result.theme, result.subtopic, *parts = await together(
        themes.get(conn, entry.theme_id),
        _given(None) if entry.subtopic_id is None else themes.subtopic(conn, entry.subtopic_id),
        *(_card_reads(conn, entry.theme_id, index) if with_card else []),
    )
    result.matched = entry
    result.how = "subtopic" if entry.subtopic_id is not None and how != "typo" else how
    result.language = index.languages.get((entry.theme_id, entry.key), "")
    if with_card and result.theme is not None:
        theme = result.theme
        parent = await themes.get(conn, theme.parent_id) if theme.parent_id else None
        result.card = _card(theme, index, parent, *parts)
    return result


async def card(conn: aiosqlite.Connection, theme: Theme, index: NameIndex) -> ThemeCard:
    """Everything shown about a theme; `index` must be ready (it holds the static parts).

    Its reads need none of each other's results, so they go to the database together.
    """
    parent, *parts = await together(
        themes.get(conn, theme.parent_id) if theme.parent_id else _given(None),
        *_card_reads(conn, theme.id, index),
    )
    return _card(theme, index, parent, *parts)


def _card_reads(
    conn: aiosqlite.Connection, theme_id: int, index: NameIndex
) -> list[Awaitable[Any]]:
    """A card's reads by theme id (its assignments, sub-topics, children), for `together`."""
    return [
        themes.assignments(conn, theme_id),
        themes.subtopics(conn, theme_id) if theme_id in index.with_subtopics else _given([]),
        themes.children(conn, theme_id) if theme_id in index.parents else _given([]),
    ]


def _card(
    theme: Theme,
    index: NameIndex,
    parent: Theme | None,
    assigned: list[Assignment],
    subtopics: list[SubTopic],
    children: list[Theme],
) -> ThemeCard:
    focal: dict[str, list[Assignment]] = {sector: [] for sector in SECTOR_LABELS}
    for item in assigned:
        if item.kind == "focal_point":
            focal.setdefault(item.sector or "GS", []).append(item)
    return ThemeCard(
        theme=theme,
        coordinators=[item for item in assigned if item.kind == "coordinator"],
        focal_points=focal,
        subtopics=subtopics,
        aliases=index.aliases.get(theme.id, []),
        translations=translations(theme),
        children=children,
        parent=parent,
        citations=citations_for(theme.sources, index.documents),
        coordination=_coordination(theme, index),
    )


def _coordination(theme: Theme, index: NameIndex) -> Coordination | None:
    said = theme.details.get("coordination")
    if not said:
        return None
    return Coordination(said["text"], citations_for(said.get("sources", []), index.documents))


async def _given(value: T) -> T:
    """A value where `together` takes a read: one the caller knows it need not make."""
    return value


@dataclass(frozen=True)
class Citation:
    """One document an answer rests on: `text` for people, `file` for machines."""

    text: str  # "ISCG/25-1/03-E, 23 January 2025: Annex 1.1, 1.3"
    file: str


def citations_for(
    sources: list[dict[str, str]], docs: dict[str, knowledge.Document]
) -> list[Citation]:
    """One citation per document, named as a delegate can find it, its sections together."""
    sections: dict[str, list[str]] = {}
    for source in sources:
        sections.setdefault(source.get("file", ""), []).append(source.get("section", ""))
    result = []
    for file, parts in sections.items():
        doc = docs.get(file)
        label = doc.short_citation if doc else file
        result.append(Citation(f"{label}: {_sections(parts)}".rstrip(": "), file))
    return result


def _sections(parts: list[str]) -> str:
    """ "Annex, 1.1", "Annex, 1.3" -> "Annex 1.1, 1.3": a part named once, not per section."""
    within: dict[str, list[str]] = {}
    for part in filter(None, parts):
        head, _, rest = part.partition(", ") if part.startswith("Annex, ") else (part, "", "")
        within.setdefault(head, []).append(rest)
    return " and ".join(
        " ".join(filter(None, (head, ", ".join(filter(None, rests)))))
        for head, rests in within.items()
    )


def person_line(item: Assignment) -> str:
    person = item.person
    parts = [person.name]
    extra = [x for x in (item.advisory_group, person.country) if x]
    if extra:
        parts.append(f"({', '.join(extra)})")
    if person.email:
        parts.append(f"<{person.email}>")
    return " ".join(parts)


def study_group_lines(groups: dict[str, list[str]]) -> list[str]:
    return [f"{sector}: {'; '.join(cells)}" for sector, cells in groups.items() if cells]


def by_category(every: list[Theme]) -> dict[str, list[Theme]]:
    """Themes under each list of the documents they appear in (one theme, several lists),
    a list item's sub-items right under it: 1.1 under 1, not after 10."""
    grouped: dict[str, list[Theme]] = {}
    for theme in every:
        for category in theme.categories or ["Other"]:
            grouped.setdefault(category, []).append(theme)
    return {category: _nested(items) for category, items in grouped.items()}


def _nested(items: list[Theme]) -> list[Theme]:
    ids = {theme.id for theme in items}
    under: dict[int, list[Theme]] = defaultdict(list)
    for theme in items:
        if theme.parent_id in ids:
            under[theme.parent_id].append(theme)
    ordered: list[Theme] = []
    for theme in items:
        if theme.parent_id not in ids:
            ordered += [theme, *under[theme.id]]
    return ordered


def is_numbered(items: list[Theme]) -> bool:
    """Whether the themes are a numbered list of the documents: only there is an item's
    number shown ("10 Sector membership" among unnumbered areas reads as a rank)."""
    return all(theme.number for theme in items)
