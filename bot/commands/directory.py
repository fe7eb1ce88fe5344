"""/who-coordinates, /themes, /theme, /set-coordinator, /set-focal-point."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from pydantic import field_validator

from bot import actions as action_items
from bot import directory
from bot.core import (
    OTHER_LANGUAGES,
    Args,
    Context,
    Field_,
    Reply,
    Role,
    Section,
    UserError,
    registry,
    unquote,
)
from bot.directory import SECTOR_LABELS, ThemeCard
from bot.identity import platform_of
from bot.mentions import BROADCAST_WORDS, HANDLE, PLATFORM_MENTION, defang
from bot.owners import Namesakes, person_named
from storage import people, themes
from storage.chinese import mainland_words
from storage.knowledge import Body
from storage.people import Person
from storage.themes import Theme, name_key
from storage.timestamps import to_db

_EMAIL = re.compile(r"<?([A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})>?")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")
# Something typed as an address that is none ("jane@example", "jane@example,org"): a word
# with letters before its "@", which a mention (@jane, <@U123>) never has.
_BROKEN_EMAIL = re.compile(r"(?<![^\s<(])<?([^\s<>@()]+@[^\s<>()]*)>?")
ADVISORY_GROUPS = ("RAG", "TSAG", "TDAG")
# A Sector as chairs write it, in lookup form (`name_key`): "ITU–T" from Word, "ITU T",
# the French and Spanish "UIT-T", the Russian "МСЭ-Т", a Bureau, the Secretariat.
SECTOR_WORDS = {
    name_key(word): sector
    for sector, words in {
        "ITU-R": ("itu-r", "itur", "r", "radiocommunication", "br", "uit-r", "мсэ-r"),
        "ITU-T": ("itu-t", "itut", "t", "standardization", "tsb", "uit-t", "мсэ-t", "мсэ-т"),
        "ITU-D": ("itu-d", "itud", "d", "development", "bdt", "uit-d", "мсэ-d", "мсэ-д"),
        "GS": (
            "gs",
            "general secretariat",
            "secretariat",
            "secrétariat général",
            "secretaría general",
            "генеральный секретариат",
        ),
    }.items()
    for word in words
}
# A title before a name, as the documents write one ("Mr Fabio Bigi", "Ms Inga
# Rimkeviciene") and members in their languages: no part of the name the person is known by.
_TITLE = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|dr|prof|mme|mlle|sr|sra|srta|dra|h\.e)\.?|m\.|г-н|г-жа)\s+",
    re.IGNORECASE,
)
# A country in brackets after a name, as the documents list the representatives ("Mr Noah
# LUO (China)", "Mr Ahmad R. Sharafat (Iran (Islamic Republic of))").
_COUNTRY = re.compile(r"\s*\(((?:[^()]|\([^()]*\))*[^\W\d_](?:[^()]|\([^()]*\))*)\)$")
# Who a name must never be: a word that reaches a whole channel, as written bare.
_NOT_A_NAME = BROADCAST_WORDS | {"everybody", "all"}
# Characters of what the user typed that an answer quotes back.
SHOWN_QUERY = 80
WHO_EXAMPLE = "/who-coordinates accessibility"
SET_COORDINATOR_EXAMPLE = "/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG"
SET_FOCAL_POINT_EXAMPLE = "/set-focal-point accessibility | ITU-T | Jane Doe <jane@example.org>"


class ThemeArg(Args):
    theme: str

    @field_validator("theme")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name a theme")
        return value


class FilterArg(Args):
    filter: str = ""


class SetCoordinatorArgs(Args):
    theme: str
    person: str

    @classmethod
    def from_text(cls, text: str) -> dict[str, str]:
        """Theme and person split on `|` only: without it, where a theme of several
        words ends and the name begins is a guess ('climate change Jane Doe' was
        recorded as 'change Jane Doe' for Climate change)."""
        if text.strip() and "|" not in text:
            raise UserError(
                "Put | between the theme and the person",
                "/set-coordinator climate change | Jane Doe <jane@example.org> TSAG",
            )
        return super().from_text(text)


class SetFocalPointArgs(Args):
    theme: str
    sector: Literal["ITU-R", "ITU-T", "ITU-D", "GS"]
    person: str

    @classmethod
    def from_text(cls, text: str) -> dict[str, str]:
        parts = [part.strip() for part in text.split("|")]
        if len(parts) != 3:
            raise UserError(
                "Give the theme, the sector and the person, separated by |",
                SET_FOCAL_POINT_EXAMPLE,
            )
        theme, sector, person = parts
        if name_key(sector) not in SECTOR_WORDS:
            raise UserError(
                "The Sector must be ITU-R, ITU-T, ITU-D or GS (General Secretariat)",
                SET_FOCAL_POINT_EXAMPLE,
            )
        return {"theme": theme, "sector": SECTOR_WORDS[name_key(sector)], "person": person}


async def _resolve_or_explain(
    ctx: Context, query: str, command: str, *, tail: str = "", with_card: bool = False
) -> directory.Resolution:
    """The theme a query names, or a refusal naming the closest ones.

    `tail` is what follows the theme in the command ("| Jane Doe"), so that the
    example offered is the user's own command with a theme that exists.
    """
    index = directory.name_index(ctx.services.extras)
    await index.ensure(ctx.services.db)
    async with ctx.services.db.read() as conn:
        found = await directory.resolve(conn, index, query, with_card=with_card)
        person = None if found.theme is not None else await _person_text(conn, query, index)
    if person is not None:
        raise UserError(person + "\nType /themes to see the themes.")
    if found.theme is None:
        raise _unknown_theme(ctx, query, found.suggestions, command, tail, found.suggested_as)
    return found


async def _person_text(  # type: ignore[no-untyped-def]
    conn, query: str, index: directory.NameIndex
) -> str | None:
    """Who a person named instead of a theme is, as the documents say, and what they are
    recorded for: a delegate asking after a coordinator by name wants their themes, not
    the theme whose name is nearest ("Jane Doe" was offered "jeunesse", Youth in French).
    The name is known as the documents write it, with a title or without its accents
    ("Mr Fabio Bigi", "Rimkevičienė" for "Rimkeviciene")."""
    bare = _TITLE.sub("", " ".join(query.split()))
    # Looked up through the index of names, as typed and without accents: every question
    # no theme answers comes here, and folding every person recorded took seconds.
    found: dict[int, Person] = {}
    for name in dict.fromkeys((bare, _unaccented(bare))):
        for person in await people.by_name(conn, name):
            found.setdefault(person.id, person)
    named = list(found.values())
    current = [person for person in named if person.current] or named
    lines = []
    for person in current:
        roles: dict[str, list[str]] = {}
        for theme in await themes.themes_of_person(conn, person.id):
            for item in await themes.assignments(conn, theme.id):
                if item.person.id == person.id:
                    role = (
                        "coordinator"
                        if item.kind == "coordinator"
                        else f"{SECTOR_LABELS[item.sector or 'GS']} focal point"
                    )
                    roles.setdefault(role, []).append(theme.name)
        said = "; ".join(f"{role} for {', '.join(names)}" for role, names in roles.items())
        parts = [
            await _documented_person(conn, person, index),
            f"recorded as {said}" if said else "recorded for no theme",
        ]
        lines.append(f"{person.name} is a person, not a theme: {'; '.join(filter(None, parts))}.")
    return "\n".join(lines) or None


def _unaccented(name: str) -> str:
    """A name as the documents write it, without its accents: "Rimkevičienė" is
    "Rimkeviciene"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


async def _documented_person(  # type: ignore[no-untyped-def]
    conn, person: Person, index: directory.NameIndex
) -> str:
    """What the documents name a person, "ISCG Chair (Italy) in the documents (ISCG/25-1/03-E,
    ...)", "formerly" for a composition since replaced; "" for one they do not name."""
    if not person.position:
        return ""
    file, section = await people.source(conn, person.id)
    country = f" ({person.country})" if person.country else ""
    was = "" if person.current else "formerly "
    return _cited(index, f"{was}{person.position}{country} in the documents", file, section)


def _unknown_theme(
    ctx: Context,
    query: str,
    suggestions: list[Theme],
    command: str,
    tail: str = "",
    suggested_as: dict[int, str] | None = None,
) -> UserError:
    """The refusal of a theme not known, its example the user's own command with the
    closest theme: given as the refusal's one example, not beside the command's own."""
    body = directory.body_named(directory.name_index(ctx.services.extras), query)
    if body is not None:
        return UserError(_body_text(ctx, body))
    if body := directory.body_misspelt(directory.name_index(ctx.services.extras), query):
        lead = (
            f'(A guess: I read "{_shown(query)}" as {body.abbr}, the {body.name},'
            " which is not a theme.)"
        )
        return UserError(_body_text(ctx, body, lead))
    if (group := _sector_group(ctx, query)) is not None:
        lead = (
            f"{_shown(query)} is a Sector of the Union, not a theme: in the ISCG it is"
            f" represented through its advisory group, the {group.name}."
        )
        return UserError(_body_text(ctx, group, lead))
    if (unit := _unlisted_unit(ctx, query, command, tail)) is not None:
        return unit
    lines = [f'I know no theme called "{_shown(query)}".']
    background = _background_mention(ctx, query)
    if background:
        lines.append(background)
    elif said := _documents_mention(ctx, query):
        # What the documents say of it answers the delegate; a nearest theme merely spelt
        # like it ("covid" is near "COP") would only lead them away from it, but one that
        # names it is the theme to ask about ("emergency": Emergency Telecommunications).
        lines += [f"The documents mention {_shown(query)}:", *said]
        wanted = _words_of(query)
        suggestions = [
            theme
            for theme in suggestions
            if wanted & _words_of((suggested_as or {}).get(theme.id) or theme.name)
        ]
    offered = [_offered(theme, (suggested_as or {}).get(theme.id)) for theme in suggestions]
    if len(offered) == 1:
        lines.append(f"Did you mean {offered[0]}?")
    elif offered:
        lines.append("The closest are: " + ", ".join(offered) + ".")
    lines.append("Type /themes to see them all.")
    example = None
    if suggestions:
        example = f"/{command} {suggestions[0].name}" + (f" | {tail}" if tail else "")
    return UserError("\n".join(lines), example)


def _unlisted_unit(ctx: Context, query: str, command: str, tail: str) -> UserError | None:
    """A study group or Question the documents list under no theme ("SG16", "ITU-D
    Q7/1"): the ones they do list and where, with one to ask about in the Sector
    named, rather than a bare "no theme" that leaves the delegate guessing."""
    index = directory.name_index(ctx.services.extras)
    units = directory.study_units(index)
    if directory.unit_named(index, query) != [] or not units:
        return None
    named = sorted({index.titles[place.theme_id] for found in units.values() for place in found})
    listed = " · ".join(
        f"{sector}: {', '.join(place.text for place in found)}" for sector, found in units.items()
    )
    first = (units.get(directory.unit_sector(query)) or next(iter(units.values())))[0]
    # A command that records someone names the theme itself, not a unit listed under it.
    subject = index.titles[first.theme_id] if tail else f"{first.sector} {first.text}"
    example = f"/{command} {subject}" + (f" | {tail}" if tail else "")
    return UserError(
        f'The documents list "{_shown(query)}" under no theme of common interest.\n'
        f"The study groups and Questions they list are under {', '.join(named)}: {listed}.\n"
        "Type /themes to see the themes.",
        example,
    )


# What a delegate asking after one of these groups wants first: who chairs and sits in it.
_BODY_FACTS = {
    "ISCG": ("Chair", "iscg.chair"),
    "RAG": ("Representatives in the ISCG", "iscg.representatives"),
    "TSAG": ("Representatives in the ISCG", "iscg.representatives"),
    "TDAG": ("Representatives in the ISCG", "iscg.representatives"),
}


def _offered(theme: Theme, close_name: str | None) -> str:
    """A suggested theme by the name of it that was close, so the reader sees why it is
    offered: "everyone" is near Environment, a sub-topic of Climate change."""
    if close_name and f" {name_key(close_name)} " not in f" {name_key(theme.name)} ":
        return f"{close_name} ({theme.name})"
    return theme.name


# A Sector by its short name, in any of the members' spellings ("ITU-R", "UIT-T", "МСЭ-Д"):
# "development" alone is no question about ITU-D.
_SECTOR_ALONE = re.compile(r"^(?:itu|uit|мсэ) ?[rtdтд]$")


def _sector_group(ctx: Context, query: str) -> Body | None:
    """The advisory group of the Sector a query names alone ("ITU-R", "UIT-T"), which a
    delegate asks about as one of the ISCG's members, not as a theme."""
    key = name_key(query)
    sector = SECTOR_WORDS.get(key) if _SECTOR_ALONE.match(key) else None
    if sector is None:
        return None
    bodies = directory.name_index(ctx.services.extras).bodies.values()
    return next((b for b in bodies if b.sector == sector and b.abbr in ADVISORY_GROUPS), None)


def _cited(index: directory.NameIndex, text: str, file: str | None, section: str | None) -> str:
    """A text from the documents, with the document and section it is from."""
    where = directory.citations_for(
        [{"file": file or "", "section": section or ""}], index.documents
    )
    return text + (f" ({where[0].text})" if where else "")


def _body_text(ctx: Context, body: Body, lead: str = "") -> str:
    """What a group of the Union named instead of a theme is, as the documents say, and
    for the ISCG and its advisory groups who chairs it or sits in it for them; `lead`
    says why this group answers, when the query named another thing."""
    index = directory.name_index(ctx.services.extras)
    lines = [lead or f"{body.abbr} is not a theme of common interest: it is the {body.name}."]
    label, key = _BODY_FACTS.get(body.abbr, ("", ""))
    if (fact := index.facts.get(key)) is not None:
        lines.append(
            f"{label}: " + _cited(index, fact.value, fact.source_file, fact.source_section)
        )
    lines.append(_cited(index, body.description, body.source_file, body.source_section))
    lines.append("Type /themes to see the themes.")
    return "\n".join(lines)


# A word or phrase the documents mention this often is no subject of its own ("ITU").
_MENTIONED_AT_MOST = 3
# Fewer words are an item of a list ("ICT applications."), which says nothing of it.
_SAYS_WORDS = 5


def _documents_mention(ctx: Context, query: str) -> list[str]:
    """The sentences of the documents' facts that name what a query names, whole words,
    each with its source: "covid", "mapping tables", "JIU" are no theme, but the
    documents say what was done about them. None when as many facts name it as to
    make it no subject (`_MENTIONED_AT_MOST`)."""
    key = name_key(query)
    if len(key) < 3 or key.isdigit():
        return []
    index = directory.name_index(ctx.services.extras)
    found = []
    for fact in index.facts.values():
        named = [
            sentence.text
            for sentence in index.sentences[fact.key]
            if f" {key} " in sentence.key and len(sentence.text.split()) >= _SAYS_WORDS
        ]
        if named:
            found.append(_cited(index, " ".join(named), fact.source_file, fact.source_section))
    return [f"- {text}" for text in found] if len(found) <= _MENTIONED_AT_MOST else []


def _words_of(text: str) -> set[str]:
    """The words of a name that say what it is about, not "the", "and" or "ITU"."""
    return {word for word in name_key(text).split() if len(word) > 3}


def _shown(query: str) -> str:
    """A query as an answer quotes it: a pasted paragraph is not said back whole."""
    query = " ".join(query.split())
    return query if len(query) <= SHOWN_QUERY else query[: SHOWN_QUERY - 1].rstrip() + "…"


# Where the documents cite a resolution that is no theme, and how to say so.
_BACKGROUND = (
    (
        "iscg.background_resolutions",
        "it is among the background documents of the ISCG's own terms of reference (ISCG/25-1/03)",
    ),
    (
        "iscg.chair_term",
        "the ISCG's terms of reference (ISCG/25-1/03) set the Chair's term of four years"
        " in accordance with it",
    ),
    (
        "iscg.background_resolutions_previous",
        "it is among the background documents of the earlier ISCG terms of reference"
        " approved by TSAG",
    ),
)


def _background_mention(ctx: Context, query: str) -> str | None:
    """Why a resolution that is no theme is still known: it underlies the ISCG itself.

    A delegate asking for "Resolution 191" should learn it is the group's own
    basis, not be shown the nearest numbered theme.
    """
    named = directory.cited(query)
    if named is None:
        return None
    key = named.key
    facts = directory.name_index(ctx.services.extras).facts
    for fact_key, said in _BACKGROUND:
        fact = facts.get(fact_key)
        if fact is not None and key in directory.reference_keys(fact.value):
            return f"{query.strip()} is not a theme: {said}."
    return None


def _contact_line(ctx: Context) -> str:
    secretariat = directory.name_index(ctx.services.extras).facts.get("iscg.secretariat_email")
    address = secretariat.value if secretariat else "iscg@itu.int"
    return f"ISCG secretariat: {address} · mailing list: {ctx.services.settings.list_address}"


def _how_matched(found: directory.Resolution) -> str | None:
    theme = found.theme
    assert theme is not None
    if found.how == "typo":
        return _guess_note(found.query, found.matched.name if found.matched else theme.name, theme)
    if found.how == "alias" and found.matched and found.language:
        return f"(Read as {theme.name}: {found.matched.name} is its name in {found.language}.)"
    if (
        found.how == "alias"
        and found.matched
        and not _words_in(found.matched.key, name_key(theme.name))
    ):
        # Not for a part of the name itself: "(EMF is another name for Electromagnetic
        # fields (EMF).)" tells the reader nothing the title does not.
        return f"({found.matched.name} is another name for {theme.name}.)"
    if found.how == "number":
        return f"(Read as item {theme.number}, {theme.name}.)"
    if found.reference is not None:
        ref = found.reference
        among = f", among its {ref.listing}" if ref.listing else ""
        return f"({ref.text} is listed under {theme.name}, {ref.sector}{among}, in the documents.)"
    return None


def _guess_note(query: str, read_as: str, theme: Theme) -> str:
    """What a misspelt theme was taken for, said as a guess the reader can reject: the
    answer under it is for that theme, and a wrong guess must not read as a fact."""
    if name_key(read_as) != name_key(theme.name):
        read_as = f"{read_as} ({theme.name})"
    return (
        f'(A guess: I know no theme "{_shown(query)}" and read it as {read_as}. '
        "If you meant another, type /themes.)"
    )


@registry.command(
    "who-coordinates",
    args=ThemeArg,
    help="Who coordinates a theme: its coordinator(s) and focal points per Sector.",
    usage="<theme>",
    examples=[WHO_EXAMPLE, "/who-coordinates AI", "/who-coordinates e-waste"],
    phrasings=[
        "who coordinates {theme}",
        "who is coordinating {theme}",
        "who is the coordinator of {theme}",
        "who is the coordinator for {theme}",
        "who are the coordinators of {theme}",
        "who is responsible for {theme}",
        "who is in charge of {theme}",
        "who are the focal points for {theme}",
        "who are the focal points of {theme}",
        "who is the focal point for {theme}",
        "who to contact about {theme}",
        "who should i contact about {theme}",
        "who (do|can) i contact (about|for|on|regarding) {theme}",
        "who is the contact person (for|on|about) {theme}",
        "who is the (itu-r|itu-t|itu-d|gs) focal point (for|of|on) {theme}",
        "who are the (itu-r|itu-t|itu-d|gs) focal points (for|of|on) {theme}",
        "who handles {theme}",
        "who leads {theme}",
        "who is the contact for {theme}",
        "who coordinates: {theme}",
        "who chairs {theme}",
        "who is the chair of {theme}",
        "who is the {theme} chair",
        "who are the {theme} representatives",
        # The members' own languages: French, Spanish, Russian, Chinese, Arabic. French
        # as the Union writes it says "coordonnateur"; Russian declines the theme after
        # the verb ("занимается доступностью"), which directory.resolve reads back.
        # The longer word first: "(de|del)" reads "del cambio" as "de" and "l cambio".
        "qui coordonne [le |la |les |l']{theme}",
        "qui est (le|la) (coordinateur|coordinatrice|coordonnateur|coordonnatrice)"
        " (des|du|de|pour) [le |la |les |l']{theme}",
        "qui sont les (coordinateurs|coordonnateurs|points focaux) (des|du|de|pour)"
        " [le |la |les |l']{theme}",
        "qui est (le|la) point focal (des|du|de|pour) [le |la |les |l']{theme}",
        # ...and of a Sector, or the Secretariat, as "the ITU-T focal point for" in English.
        "qui est (le|la) point focal (de l'uit-r|de l'uit-t|de l'uit-d|du secrétariat général)"
        " (des|du|de|pour) [le |la |les |l']{theme}",
        "qui s'occupe (des|du|de) [la |l']{theme}",
        # "who is responsible for / in charge of", as the English above.
        "qui est (responsable|en charge) (des|du|de) [la |l']{theme}",
        "(quién|quien) coordina [el |la |los |las ]{theme}",
        "(quién|quien) es (el|la) (coordinador|coordinadora) (del|de|para)"
        " [el |la |los |las ]{theme}",
        "(quiénes|quienes) son los (coordinadores|puntos focales) (del|de|para)"
        " [el |la |los |las ]{theme}",
        "(quién|quien) es el punto focal (del|de|para) [el |la |los |las ]{theme}",
        "(quién|quien) es el punto focal (del uit-r|del uit-t|del uit-d|de la secretaría general)"
        " (del|de|para) [el |la |los |las ]{theme}",
        "(quién|quien) se ocupa (del|de) [el |la |los |las ]{theme}",
        "(quién|quien) es [el|la] responsable (del|de) [el |la |los |las ]{theme}",
        "(quién|quien) (está|esta) a cargo (del|de) [el |la |los |las ]{theme}",
        "кто координирует {theme}",
        "кто отвечает за {theme}",
        "кто (ответственный|ответственен|ответственная) за {theme}",
        "кто занимается {theme}",
        "кто курирует {theme}",
        "кто (координатор|координаторы|является координатором|координационный центр) {theme}",
        "谁负责{theme}",
        "谁协调{theme}",
        "谁是{theme}的(协调人|协调员|联络人|负责人)",
        "{theme}的(协调人|协调员|联络人|负责人)是谁",
        "من ينسق {theme}",
        "من هو منسق {theme}",
        "من [هو] المسؤول عن {theme}",
        # Who chairs a group (the ISCG): its chair, from the documents.
        "qui préside [le |la |les |l']{theme}",
        "qui est (le|la) (président|présidente) (des|du|de) [la |l']{theme}",
        "(quién|quien) preside [el |la ]{theme}",
        "(quién|quien) es (el|la) (presidente|presidenta) (del|de) [el |la ]{theme}",
        "кто (председатель|возглавляет|председательствует в) {theme}",
        "谁是{theme}[的]主席",
        "{theme}[的]主席是谁",
        "من يرأس {theme}",
    ],
)
async def who_coordinates(ctx: Context, args: ThemeArg) -> Reply:
    found = await _resolve_or_explain(ctx, args.theme, "who-coordinates", with_card=True)
    info = found.card
    assert found.theme is not None and info is not None
    sections: list[Section] = []
    note = _how_matched(found)
    if note:
        sections.append(Section(text=note))
    if found.subtopic is not None:
        cells = directory.study_group_lines(found.subtopic.study_groups)
        text = f"{found.subtopic.name} is a sub-topic of {found.theme.name}."
        if cells:
            text += " Study groups working on it: " + " · ".join(cells) + "."
        sections.append(Section(text=text))
    sections.append(_people_section(info))
    if said := _documented_coordination(info):
        sections.append(said)
    if not info.coordinators and not any(info.focal_points.values()):
        sections.append(Section(text=_nobody_text(found.theme)))
    groups = directory.study_group_lines(found.theme.details.get("study_groups", {}))
    if groups and found.subtopic is None:
        sections.append(Section(title="Study groups", text="\n".join(groups)))
    sections.append(Section(text=_contact_line(ctx)))
    return Reply.from_sections(
        f"{found.theme.name}: who coordinates",
        sections,
        footer=_footer(info),
    )


def _people_section(info: ThemeCard) -> Section:
    if info.coordinators:
        coordinators = "\n".join(directory.person_line(item) for item in info.coordinators)
    else:
        coordinators = "none recorded"
    fields = [
        Field_(
            "Coordinator" if len(info.coordinators) < 2 else "Coordinators",
            coordinators,
            inline=False,
        )
    ]
    for sector, label in SECTOR_LABELS.items():
        items = info.focal_points.get(sector, [])
        value = "\n".join(directory.person_line(item) for item in items) or "none recorded"
        fields.append(Field_(f"Focal point, {label}", value))
    return Section(text="", fields=fields)


def _documented_coordination(info: ThemeCard) -> Section | None:
    """Who the documents say takes the theme up (the ISC-TF, all actors of a pilot
    theme), cited: an answer to "who coordinates?" when nobody is named."""
    said = info.coordination
    if said is None:
        return None
    cited = "; ".join(citation.text for citation in said.citations)
    return Section(
        title="What the documents say", text=said.text + (f" ({cited})" if cited else "")
    )


def _nobody_text(theme: Theme) -> str:
    return (
        f"Nobody is recorded yet as coordinator or focal point for {theme.name}. "
        "The ISCG terms of reference ask the advisory groups to appoint one Coordinator "
        "and Focal Points from the membership for each subject of common interest "
        "(ISCG/25-1/03). A chair or the secretariat can record one with: "
        f"/set-coordinator {theme.name} | Jane Doe <jane@example.org> TSAG"
    )


def _footer(info: ThemeCard) -> str | None:
    if not info.citations:
        return None
    return "Source: " + "; ".join(citation.text for citation in info.citations)


@registry.command(
    "themes",
    args=FilterArg,
    help="The themes of common interest, by category, or those matching a filter.",
    usage="[filter]",
    examples=["/themes", "/themes pilot", "/themes climate"],
    phrasings=[
        "what are the pilot themes => pilot",
        "which are the pilot themes => pilot",
        "what is the pilot theme => pilot",
        "list the themes",
        "list themes",
        "list all themes",
        "list all the themes",
        "show me the themes",
        "show the themes",
        "show themes",
        "what themes are there",
        "which themes are there",
        "what are the themes",
        "what are the {filter} themes",
        "which themes are about {filter}",
        "list the themes about {filter}",
    ],
)
async def list_themes(ctx: Context, args: FilterArg) -> Reply:
    async with ctx.services.db.read() as conn:
        every = await themes.all_themes(conn)
        names = await themes.names(conn)
    groups = directory.by_category(every)
    wanted = name_key(args.filter)
    if wanted:
        # Regional variant words in traditional Chinese, tried again with the standard
        # ones, as a theme's name is (directory.resolve): "網路" is "网络".
        mainland = name_key(mainland_words(args.filter))
        matched = _matching(groups, wanted, names) or _matching(groups, mainland, names)
        groups = matched or await _named_theme(ctx, args.filter, groups)
    sections = [
        Section(
            title=f"{category} ({len(items)})",
            text="\n".join(_theme_line(theme, directory.is_numbered(items)) for theme in items),
        )
        for category, items in groups.items()
    ]
    title = f'Themes matching "{args.filter}"' if wanted else "Themes of common interest"
    return Reply.from_sections(
        title,
        sections,
        footer="Type /theme <name> for one theme, /who-coordinates <name> for its people.",
    )


def _matching(
    groups: dict[str, list[Theme]], wanted: str, names: list[themes.NameEntry]
) -> dict[str, list[Theme]]:
    """The lists a filter names, whole, and the themes it names in the other lists, once:
    "pilot" is the pilot themes, not Climate change again under the areas from the
    mapping of resolutions."""
    singular = _singular(wanted)
    whole = {category for category in groups if _words_in(singular, _singular(name_key(category)))}
    shown = {theme.id for category in whole for theme in groups[category]}
    named = {entry.theme_id for entry in names if _starts_words(wanted, entry.key)} - shown
    kept = {
        category: items if category in whole else [t for t in items if t.id in named]
        for category, items in groups.items()
    }
    return {category: items for category, items in kept.items() if items}


async def _named_theme(
    ctx: Context, text: str, groups: dict[str, list[Theme]]
) -> dict[str, list[Theme]]:
    """A filter no name begins with, read as /theme reads it: the theme it names in
    another form ("доступности", a case of "доступность"), in its lists; a theme it
    may mean by a typo is offered, not listed."""
    index = directory.name_index(ctx.services.extras)
    await index.ensure(ctx.services.db)
    async with ctx.services.db.read() as conn:
        found = await directory.resolve(conn, index, text)
    if found.theme is not None and found.how != "typo":
        named = {c: [t for t in items if t.id == found.theme.id] for c, items in groups.items()}
        return {category: items for category, items in named.items() if items}
    raise _unknown_theme(ctx, text, [found.theme] if found.theme else found.suggestions, "theme")


def _singular(key: str) -> str:
    """Words without a plural's "s", for naming a list as its title does or not: "task
    force" is the list of "cross-sectoral groups and task forces" ("access" stays)."""
    return " ".join(
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in key.split()
    )


def _words_in(wanted: str, key: str) -> bool:
    return f" {wanted} " in f" {key} "


def _starts_words(wanted: str, key: str) -> bool:
    """Whether the filter's words begin words of the name: a filter is typed short,
    "access" for Accessibility, "climat" (French) for Climate change."""
    return f" {wanted}" in f" {key}"


def _theme_line(theme: Theme, numbered: bool) -> str:
    prefix = f"{theme.number} " if numbered and theme.number else ""
    indent = "  " if theme.parent_id else ""
    return f"{indent}• {prefix}{theme.name}"


@registry.command(
    "theme",
    args=ThemeArg,
    help="What a theme covers: category, sub-topics, study groups, resolutions, people, source.",
    usage="<theme>",
    examples=["/theme climate change", "/theme e-waste", "/theme accessibility"],
    phrasings=[
        "which study groups work on {theme}",
        "what study groups work on {theme}",
        "which study groups deal with {theme}",
        "which study groups are working on {theme}",
        "what study groups are working on {theme}",
        "which sgs work on {theme}",
        "what is {theme} about",
        "what does {theme} cover",
        "tell me about {theme}",
        "what do you know about {theme}",
        "what is the {theme} theme",
        "what are the sub-topics of {theme}",
        "what are the subtopics of {theme}",
    ],
)
async def show_theme(ctx: Context, args: ThemeArg) -> Reply:
    found = await _resolve_or_explain(ctx, args.theme, "theme", with_card=True)
    theme, info = found.theme, found.card
    assert theme is not None and info is not None
    sections: list[Section] = []
    intro = theme.summary
    if found.subtopic is not None:
        intro = f"{found.subtopic.name} is a sub-topic of {theme.name}. " + intro
    if note := _how_matched(found):
        intro = f"{note} {intro}"
    fields = [Field_("Category", "; ".join(theme.categories) or "-", inline=False)]
    if info.parent:
        fields.append(Field_("Part of", f"{info.parent.number or ''} {info.parent.name}".strip()))
    if info.aliases:
        fields.append(Field_("Also called", ", ".join(info.aliases), inline=False))
    if info.translations:
        named = (
            f"{OTHER_LANGUAGES[code]}: {', '.join(names)}"
            for code, names in info.translations.items()
        )
        fields.append(Field_("In the other UN languages", " · ".join(named), inline=False))
    sections.append(Section(text=intro, fields=fields))
    if found.subtopic is not None and found.subtopic.study_groups:
        lines = directory.study_group_lines(found.subtopic.study_groups)
        if lines:
            sections.append(
                Section(title=f"Study groups on {found.subtopic.name}", text="\n".join(lines))
            )
    if info.subtopics:
        lines = []
        for sub in info.subtopics:
            cells = directory.study_group_lines(sub.study_groups)
            lines.append(f"• {sub.name}" + (f": {' · '.join(cells)}" if cells else ""))
        sections.append(Section(title="Sub-topics and study groups", text="\n".join(lines)))
    if info.children:
        sections.append(
            Section(
                title="Items",
                text="\n".join(
                    f"• {child.number or ''} {child.name}".replace("•  ", "• ")
                    for child in info.children
                ),
            )
        )
    details = theme.details
    for key, title in directory.DETAIL_TITLES.items():
        lines = directory.study_group_lines(details.get(key) or {})
        if lines:
            sections.append(Section(title=title, text="\n".join(lines)))
    if not _names_study_groups(info):
        # "which study groups work on accessibility?" is answered, not met with silence.
        sections.append(
            Section(title="Study groups", text=f"The documents name none for {theme.name}.")
        )
    if details.get("webpage"):
        sections.append(Section(title="Web page", text=details["webpage"]))
    sections.append(_people_section(info))
    if said := _documented_coordination(info):
        sections.append(said)
    return Reply.from_sections(theme.name, sections, footer=_footer(info))


def _names_study_groups(info: ThemeCard) -> bool:
    """Whether the documents list any study group for the theme or its sub-topics."""
    groups = [info.theme.details.get("study_groups") or {}]
    groups += [sub.study_groups for sub in info.subtopics]
    return any(directory.study_group_lines(cells) for cells in groups)


def parse_person(
    text: str, example: str, sector: str = ""
) -> tuple[str, str | None, str | None, str | None]:
    """`Jane Doe (Italy) <jane@example.org> TSAG` -> name, e-mail, advisory group, country;
    the name is "" for an address alone, which names the person known by it (`_known_at`).

    Refuses what would be recorded as a person but is not one: a Sector where
    the advisory group goes ('Tom Tee ITU-T' is not a name), a mention or
    @everyone. `example` is the command's own, for the refusal; `sector` the
    focal point's, which the person's brackets may repeat ("Ed Gee (TSB)").
    """
    email = None
    match = _EMAIL.search(text)
    if match:
        email = match.group(1).lower()
        text = (text[: match.start()] + " " + text[match.end() :]).strip()
        # "Jane Doe (jane@example.org)": brackets that held the address, left empty, were
        # recorded as part of a new person's name ("Jane Doe ( )").
        text = _EMPTY_BRACKETS.sub(" ", text).strip()
    elif broken := _BROKEN_EMAIL.search(text):
        # Not read as a mention, nor recorded as part of the name: the address is mistyped.
        raise UserError(f"{broken.group(1)} is not a whole e-mail address", example)
    group = None
    words = text.split()
    last = words[-1] if words else ""
    if last.upper() in ADVISORY_GROUPS:
        group = last.upper()
        words.pop()
    elif len(last) > 2 and name_key(last) in SECTOR_WORDS and ")" not in last:
        # In brackets, `_bracketed_notes` reads it, whole: "(General Secretariat)", or
        # quoted with the name, as Outlook does: '"Roe, Ray (TSB)"'.
        raise _sector_as_group(last, example)
    written = _TITLE.sub("", " ".join(words).strip(" ,;"))
    # Outlook quotes what is in brackets with the name: '"Doe, Jane (TSB)"'.
    name = unquote(written)
    country = None
    if (bracketed := _COUNTRY.search(name)) is not None and bracketed.start() > 0:
        name = name[: bracketed.start()].rstrip(" ,;")
        said_group, country = _bracketed_notes(bracketed.group(1), example, sector)
        if group and said_group and said_group != group:
            raise UserError(f"Give one advisory group: {said_group} or {group}", example)
        group = group or said_group
    name = _TITLE.sub("", _display_name(name, quoted=name != written))
    if not name and email is None:
        raise UserError("Give the person's name", example)
    if _is_mention(name) and not _names_one_person(name):
        raise UserError(
            f"Give the person's name: {name} is a mention, not a person to record", example
        )
    if len(name) > 120:
        raise UserError("That name is too long (120 characters at most)", example)
    return name, email, group, country


# Outlook copies a recipient as `"Doe, Jane" <jane@example.org>`: in quotes, the family
# name first and a comma, which is the person called Jane Doe.
_FAMILY_FIRST = re.compile(r"^([^,\d]+),\s*([^,\d]+)$")
# ...but "Jane Doe, PhD" is the name, then a degree or a generation: no given name.
_AFTER_NAME = re.compile(r"^(?:ph\.? ?d|dr|jr|sr|mba|md|msc|esq|ii|iii|iv)\.?$", re.IGNORECASE)


def _display_name(name: str, quoted: bool = False) -> str:
    """A name as an address book quotes it, as the person is called: without the quotes,
    and "Doe, Jane" as "Jane Doe"; `quoted` when the quotes were taken off already, with
    the brackets they held."""
    bare = unquote(name)
    if bare == name and not quoted:
        return name
    family_first = _FAMILY_FIRST.match(bare)
    if family_first is None or _AFTER_NAME.match(family_first.group(2).strip()):
        return bare
    return f"{family_first.group(2)} {family_first.group(1)}"


def _sector_as_group(written: str, example: str) -> UserError:
    return UserError(
        f"{written} is a Sector, not an advisory group: the advisory groups are "
        "RAG (ITU-R), TSAG (ITU-T) and TDAG (ITU-D)",
        example,
    )


def _bracketed_notes(inner: str, example: str, sector: str) -> tuple[str | None, str | None]:
    """What a chair writes in brackets after a name, as (advisory group, country): the
    country as the documents do ("(China)"), the person's advisory group ("(TSAG)",
    "(RAG Vice-Chair)", "(Mexico, TDAG)"), or a focal point's own Sector or Bureau
    ("(TSB)"), none of which is a country. A Sector stands for no advisory group,
    as outside brackets; one other than the focal point's is a contradiction."""
    group, rest = None, []
    for part in filter(None, (part.strip() for part in re.split(r"[,;]", inner))):
        if (named := SECTOR_WORDS.get(name_key(part))) is not None and len(part) > 1:
            if named != sector:
                if not sector:
                    raise _sector_as_group(part, example)
                raise UserError(
                    f"{part} is not {SECTOR_LABELS[sector]}, the Sector this focal point is"
                    " recorded for: give the person's Sector once, after the theme",
                    example,
                )
            continue
        words = part.split()
        groups = [word.upper() for word in words if word.upper() in ADVISORY_GROUPS]
        if len(set(groups)) > 1 or (group and groups and groups[0] != group):
            raise UserError("Give one advisory group for the person", example)
        group = group or (groups[0] if groups else None)
        rest.append(" ".join(word for word in words if word.upper() not in ADVISORY_GROUPS))
    return group, ", ".join(filter(None, rest)) or None


def _is_mention(name: str) -> bool:
    """A chat mention (@x, <@123>, <!here>) or a word that reaches a whole channel."""
    return "@" in name or "<!" in name or name.casefold() in _NOT_A_NAME


def _names_one_person(name: str) -> bool:
    """A mention of one person, as a chair picks them from Slack's or Discord's @ menu
    (`<@U123>`) or types their handle (`@jane`): not `@everyone`, nor a name with a
    mention in it."""
    handle = HANDLE.fullmatch(name)
    return bool(PLATFORM_MENTION.fullmatch(name)) or (
        handle is not None and handle.group(1).casefold() not in _NOT_A_NAME
    )


async def _find_or_create(  # type: ignore[no-untyped-def]
    conn, ctx: Context, name: str, email: str | None, example: str, country: str | None = None
) -> Person:
    """The person a chair names: the one known by that address, else by that mention or
    name, else new.

    Someone who only ever wrote to the bot is known by their address alone; the
    name the chair gives is then the better one, and replaces it. A name several
    current people bear, given without an address, is `Namesakes` (taking the
    first found gave a member's theme to the chair who shares their name); a new
    address goes to the one of them who has none, if only one has none. A
    mention or handle names someone known, or several (`Namesakes`), or nobody
    the bot can record: it is never made a person called "@jane".
    """
    if email:
        known = await people.by_email(conn, email)
        if known is not None and known.name.strip().lower() in ("", email):
            if _names_one_person(name):
                return known
            await people.set_name(conn, known.id, name)
            return known.model_copy(update={"name": name})
        if known is not None:
            return known
    if _names_one_person(name):
        return await _mentioned(conn, ctx, name, email, example)
    namesakes = [p for p in await people.by_name(conn, name) if p.current]
    # A new address given for a name several bear is the address of the one of them
    # who has none, as the question about them asks: it made a third person of that
    # name, and left the one meant without the theme.
    unaddressed = [p for p in namesakes if p.email is None] if email else namesakes
    if len(namesakes) > 1 and email is None:
        raise Namesakes(name, namesakes)
    if len(unaddressed) == 1 and (len(namesakes) == 1 or email):
        if email:
            await people.set_email(conn, unaddressed[0].id, email)
        return unaddressed[0]
    return await people.create(conn, name, email=email, country=country)


async def _mentioned(  # type: ignore[no-untyped-def]
    conn, ctx: Context, mention: str, email: str | None, example: str
) -> Person:
    """The one known person a mention or handle names; several are `Namesakes`."""
    index = (await action_items.lookups_for(ctx.services, conn)).people
    person_id = await person_named(
        conn, index, platform_of(ctx.channel), mention, meet_unknown=False
    )
    person = await people.get(conn, person_id) if person_id is not None else None
    bare = PLATFORM_MENTION.fullmatch(mention)
    if person is None or (bare is not None and person.name == bare.group(1)):
        raise UserError(
            f"I know no one who answers to {defang(mention)}: give their name and e-mail"
            " address instead",
            example,
        )
    if email and person.email is None:
        await people.set_email(conn, person.id, email)
    return person


async def _record(
    ctx: Context, theme_query: str, person_text: str, kind: str, sector: str, command: str
) -> Reply:
    """Record a person for a theme the chair named, never for one the bot guessed.

    A guess read aloud is fine for a question; a record made on a guess puts a
    person on the wrong theme, so a misspelt theme is refused with the command
    as it should read.
    """
    example = SET_COORDINATOR_EXAMPLE if kind == "coordinator" else SET_FOCAL_POINT_EXAMPLE
    name, email, group, country = parse_person(person_text, example, sector)
    tail = f"{sector} | {person_text}" if sector else person_text
    found = await _resolve_or_explain(ctx, theme_query, command, tail=tail)
    theme = found.theme
    assert theme is not None
    if found.how == "typo" or (found.reference is not None and found.reference.listing):
        # A study group, event or partner is no theme: "WMO | ITU-R | Ana" is not
        # surely a focal point for Climate change, the theme that lists WMO.
        raise _unknown_theme(ctx, theme_query, [theme], command, tail)
    async with ctx.services.db.transaction() as conn:
        if not name and email:
            name = await _known_at(conn, email, example)
        try:
            person = await _find_or_create(conn, ctx, name, email, example, country)
        except Namesakes as exc:
            # The example names one of them as they are called ("@jane <jane@...>" is
            # no name), by address if they have one, else by a full name of theirs
            # alone: a placeholder address copied as written would be recorded.
            one = next((p for p in exc.people if p.email == exc.address), exc.people[0])
            alone = sum(p.name.casefold() == one.name.casefold() for p in exc.people) == 1
            told = one.name if alone and not one.email else f"{one.name} <{exc.address}>"
            named = tail.replace(name, told, 1)
            raise UserError(exc.question, f"/{command} {theme.name} | {named}") from None
        added = await themes.assign(
            conn,
            theme_id=theme.id,
            person_id=person.id,
            kind=kind,  # type: ignore[arg-type]
            sector=sector,
            advisory_group=group,
            recorded_by=ctx.identity,
            recorded_at=to_db(ctx.now),
        )
        if kind == "coordinator" and person.role == "member":
            await people.set_role(conn, person.id, "coordinator")
    what = "coordinator" if kind == "coordinator" else f"{SECTOR_LABELS[sector]} focal point"
    who = person.name + (f" <{email}>" if email else "") + (f" ({group})" if group else "")
    part = _named_part(found)
    lead = f"{part}: " if part else ""
    if not added:
        return Reply(
            text=f"{lead}{who} was already recorded as {what} for {theme.name}; nothing changed."
        )
    done = f"{who} as {what} for {theme.name}."
    text = f"{lead}recorded {done}" if part else f"Recorded {done}"
    note = None if part else _how_matched(found)
    if note:
        text += f" {note}"
    return Reply(text=text + f" See /who-coordinates {theme.name}", public=True)


async def _known_at(conn, email: str, example: str) -> str:  # type: ignore[no-untyped-def]
    """The name of the one an address alone names, as a chair copies it from the list:
    someone known by it with a name; else the name is asked for."""
    known = await people.by_email(conn, email)
    if known is None or known.name.strip().lower() in ("", email):
        raise UserError(f"Give the person's name: I know no one at {email} yet", example)
    return known.name


def _named_part(found: directory.Resolution) -> str | None:
    """What the chair named, when it is only part of the theme the person is recorded for.

    People are recorded per theme: a chair naming a sub-topic (e-waste) must
    read that the record is for the whole theme (Climate change).
    """
    theme = found.theme
    assert theme is not None
    if found.subtopic is not None:
        return f"{found.subtopic.name} is part of {theme.name}"
    if found.reference is not None:
        return f"{found.reference.text} is listed under {theme.name}"
    return None


@registry.command(
    "set-coordinator",
    args=SetCoordinatorArgs,
    help="Record a theme's coordinator (chair or secretariat).",
    usage="<theme> | <name> [<email>] [<advisory group>]",
    examples=[SET_COORDINATOR_EXAMPLE, "/set-coordinator climate change | Noah Luo TSAG"],
    role=Role.SECRETARIAT,
)
async def set_coordinator(ctx: Context, args: SetCoordinatorArgs) -> Reply:
    return await _record(ctx, args.theme, args.person, "coordinator", "", "set-coordinator")


@registry.command(
    "set-focal-point",
    args=SetFocalPointArgs,
    help="Record a theme's focal point for a Sector or the General Secretariat.",
    usage="<theme> | <sector: ITU-R, ITU-T, ITU-D, GS> | <name> [<email>]",
    examples=[
        SET_FOCAL_POINT_EXAMPLE,
        "/set-focal-point climate change | GS | Ali Ahmed",
    ],
    role=Role.SECRETARIAT,
)
async def set_focal_point(ctx: Context, args: SetFocalPointArgs) -> Reply:
    return await _record(
        ctx, args.theme, args.person, "focal_point", args.sector, "set-focal-point"
    )
