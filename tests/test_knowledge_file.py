"""Checks on the reviewed knowledge base data file (storage/seed/knowledge.yaml).

These tests check properties of the data itself (not of the loader): that it
validates against the schema, that identifiers and aliases are unambiguous,
that every citation names a real seed document, and a few facts that must be
exactly as in the latest source documents.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from storage.seed.model import Knowledge, load_knowledge  # noqa: E402
from storage.themes import name_key  # noqa: E402

SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"

CLIMATE_SUBTOPICS = [
    "Environment",
    "Sustainability",
    "Earth observation",
    "Remote sensing",
    "Energy",
    "Water",
    "e-waste",
    "Circular economy",
    "GHG emissions",
    "ICT applications",
]

# The only term allowed to be both a theme word and a sub-topic name: the
# Climate change sub-topic "Environment". The ISC-TF theme "Environment and
# Smart Sustainable Cities" must not claim the bare alias "environment".
ENVIRONMENT = "environment"
ENVIRONMENT_THEME = "environment-and-smart-sustainable-cities"


def norm(term: str) -> str:
    """Case-insensitive, punctuation-insensitive form of a name or alias."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", term.casefold()).split())


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge()


def theme(kb: Knowledge, slug: str):
    matches = [t for t in kb.themes if t.slug == slug]
    assert len(matches) == 1, f"expected exactly one theme {slug!r}"
    return matches[0]


def all_sources(kb: Knowledge):
    """(where, source) for every Source record in the file."""
    for b in kb.bodies:
        yield f"body {b.abbr}", b.source
    for t in kb.themes:
        for s in t.sources:
            yield f"theme {t.slug}", s
        for st in t.subtopics:
            yield f"sub-topic {t.slug}/{st.name}", st.source
        for s in t.coordination.sources if t.coordination else []:
            yield f"coordination of {t.slug}", s
    for p in kb.people:
        yield f"person {p.name}", p.source
    for f in kb.facts:
        yield f"fact {f.key}", f.source
    for m in kb.meetings:
        yield f"meeting {m.date}", m.source
    for s in kb.sessions:
        yield f"session {s.group} {s.first_day}", s.source


# --- loading and identifiers ---------------------------------------------------


def test_file_loads(kb: Knowledge) -> None:
    assert kb.documents and kb.themes and kb.bodies and kb.people and kb.facts


def test_slugs_unique_and_well_formed(kb: Knowledge) -> None:
    slugs = [t.slug for t in kb.themes]
    dupes = sorted({s for s in slugs if slugs.count(s) > 1})
    assert not dupes, f"duplicate slugs: {dupes}"
    bad = [s for s in slugs if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s)]
    assert not bad, f"slugs must be lowercase-hyphenated: {bad}"


def test_fact_keys_unique_and_lowercase_dotted(kb: Knowledge) -> None:
    keys = [f.key for f in kb.facts]
    assert len(keys) == len(set(keys)), "duplicate fact keys"
    bad = [k for k in keys if not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", k)]
    assert not bad, f"fact keys must be lowercase dotted: {bad}"


def test_terms_unambiguous_across_themes_and_subtopics(kb: Knowledge) -> None:
    """Each normalised name/alias must point at one theme or one sub-topic."""
    owners: dict[str, set[str]] = defaultdict(set)
    for t in kb.themes:
        for term in [t.name, *t.aliases, *(n for ns in t.translations.values() for n in ns)]:
            owners[name_key(term)].add(f"theme:{t.slug}")
        for st in t.subtopics:
            for term in [st.name, *st.aliases, *(n for ns in st.translations.values() for n in ns)]:
                owners[name_key(term)].add(f"subtopic:{t.slug}/{st.name}")
    clashes = {term: sorted(o) for term, o in owners.items() if len(o) > 1}
    assert not clashes, f"names/aliases pointing at several records: {clashes}"
    assert "" not in owners, "an empty name or alias"


def test_environment_exception(kb: Knowledge) -> None:
    """'Environment' is the climate sub-topic; the ISC-TF area has no bare alias."""
    env_theme = theme(kb, ENVIRONMENT_THEME)
    assert "ISC-TF subject areas of work" in env_theme.categories
    assert ENVIRONMENT not in {norm(a) for a in env_theme.aliases}
    claimed_by_themes = [
        t.slug for t in kb.themes if ENVIRONMENT in {norm(x) for x in [t.name, *t.aliases]}
    ]
    assert not claimed_by_themes, f"themes claiming bare 'environment': {claimed_by_themes}"
    climate = theme(kb, "climate-change")
    assert "Environment" in [st.name for st in climate.subtopics]


def test_no_alias_repeats_within_a_record(kb: Knowledge) -> None:
    for t in kb.themes:
        terms = [name_key(x) for x in [t.name, *t.aliases]]
        terms += [name_key(n) for ns in t.translations.values() for n in ns]
        assert len(terms) == len(set(terms)), f"{t.slug}: alias repeats the name or another alias"


def test_translations_are_in_the_language_they_are_filed_under(kb: Knowledge) -> None:
    """A Russian name in Cyrillic, a Chinese one in Han characters, an Arabic one in
    Arabic script: a name filed under the wrong language is said to be in it."""
    scripts = {"ru": "CYRILLIC", "zh": "CJK", "ar": "ARABIC"}
    for t in kb.themes:
        for record in (t, *t.subtopics):
            for lang, names in record.translations.items():
                wanted = scripts.get(lang, "LATIN")
                for name in names:
                    letters = [c for c in name if c.isalpha()]
                    assert letters, (t.slug, lang, name)
                    assert all(wanted in unicodedata.name(c) for c in letters), (t.slug, name)


def test_body_abbreviations_and_aliases_unique(kb: Knowledge) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for b in kb.bodies:
        for term in [b.abbr, b.name, *b.aliases]:
            owners[norm(term)].add(b.abbr)
    clashes = {term: sorted(o) for term, o in owners.items() if len(o) > 1}
    assert not clashes, clashes


def test_required_bodies_and_sectors(kb: Knowledge) -> None:
    sectors = {b.abbr: b.sector for b in kb.bodies}
    expected = {
        "RAG": "ITU-R",
        "BR": "ITU-R",
        "TSAG": "ITU-T",
        "TSB": "ITU-T",
        "TDAG": "ITU-D",
        "BDT": "ITU-D",
        "GS": "GS",
    }
    for abbr, sector in expected.items():
        assert sectors.get(abbr) == sector, f"{abbr} should be {sector}"
    assert {"ISCG", "ISC-TF"} <= set(sectors)
    isctf = next(b for b in kb.bodies if b.abbr == "ISC-TF")
    assert "Service Order No. 16/13" in isctf.description
    assert "Deputy Secretary-General" in isctf.description


# --- numbered list -------------------------------------------------------------


def test_parents_exist_and_numbers_nest(kb: Knowledge) -> None:
    by_slug = {t.slug: t for t in kb.themes}
    for t in kb.themes:
        if t.parent is None:
            continue
        assert t.parent in by_slug, f"{t.slug}: parent {t.parent!r} is not a slug"
        parent = by_slug[t.parent]
        assert parent.parent is None, f"{t.slug}: parent is itself a sub-item"
        assert t.number and parent.number, f"{t.slug}: numbered sub-item without numbers"
        assert t.number.split(".")[0] == parent.number, (
            f"{t.slug}: {t.number} not under {parent.number}"
        )


def test_revised_list_is_complete(kb: Knowledge) -> None:
    cat = "ISCG revised list of areas of mutual interest"
    numbers = sorted(t.number for t in kb.themes if cat in t.categories)
    items = [n for n in numbers if "." not in n]
    subs = [n for n in numbers if "." in n]
    assert sorted(items, key=int) == [str(i) for i in range(1, 11)]
    assert len(subs) == 16
    assert len(numbers) == len(set(numbers)), "a number is used twice"
    assert all(t.number is None for t in kb.themes if cat not in t.categories)


# --- citations -----------------------------------------------------------------


def test_sources_name_existing_seed_files(kb: Knowledge) -> None:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed folder {SEEDS_DIR} not present in this checkout")
    present = {p.name for p in SEEDS_DIR.iterdir() if p.is_file()}
    missing = [(where, s.file) for where, s in all_sources(kb) if s.file not in present]
    missing += [("document", d.file) for d in kb.documents if d.file not in present]
    assert not missing, f"citations of files not in {SEEDS_DIR}: {missing}"
    seeds_txt = {n for n in present if n.endswith(".txt")}
    assert seeds_txt <= {d.file for d in kb.documents}, "a seed document has no documents entry"


def test_every_source_has_a_section(kb: Knowledge) -> None:
    empty = [where for where, s in all_sources(kb) if not s.section.strip()]
    assert not empty, empty


def test_every_theme_has_a_source_and_summary(kb: Knowledge) -> None:
    for t in kb.themes:
        assert t.sources, t.slug
        assert t.categories, t.slug
        assert t.summary.strip(), t.slug


def test_every_isc_tf_area_says_the_isc_tf_coordinates_it(kb: Knowledge) -> None:
    isc_tf = {"ISC-TF subject areas of work", "ISC-TF administrative and support themes"}
    for t in kb.themes:
        if isc_tf & set(t.categories):
            assert t.coordination and "ISC-TF" in t.coordination.text, t.slug
            assert t.coordination.sources, t.slug


def test_what_a_user_reads_names_documents_as_delegates_know_them(kb: Knowledge) -> None:
    """/theme shows a summary as written: a seed file's name ("001_*") means nothing
    to a delegate, who finds a document by its symbol or title."""
    seed_file = re.compile(r"\b\d{3}_(\*|[0-9a-f]{16}\.txt)")
    for t in kb.themes:
        assert not seed_file.search(t.summary), t.slug
    for body in kb.bodies:
        assert not seed_file.search(body.description), body.abbr


# --- climate change pilot theme --------------------------------------------------


def test_climate_change_pilot_theme(kb: Knowledge) -> None:
    climate = theme(kb, "climate-change")
    assert climate.pilot is True
    assert "ISCG pilot themes" in climate.categories
    assert [st.name for st in climate.subtopics] == CLIMATE_SUBTOPICS
    assert [t.slug for t in kb.themes if t.pilot] == ["climate-change"]
    assert (
        climate.webpage
        == "https://www.itu.int/en/action/environment-and-climate-change/Pages/default.aspx"
    )


def test_climate_table_cells(kb: Knowledge) -> None:
    sub = {st.name: st.study_groups.by_sector() for st in theme(kb, "climate-change").subtopics}
    assert sub["e-waste"]["ITU-T"] == ["Study Group 5 - Q7/5"]
    assert sub["e-waste"]["ITU-D"] == ["Study Group 2 - Q6/2"]
    assert sub["e-waste"]["ITU-R"] == []
    assert sub["Earth observation"]["ITU-R"] == ["Study Group 7 - WP 7B"]
    assert sub["Energy"]["ITU-T"] == ["Study Group 5 - Q6/5 / FG-AI4EE"]
    assert sub["GHG emissions"]["ITU-T"] == ["Study Group 5 - Q9/5"]
    assert sub["Environment"] == {
        "ITU-R": ["Study Group 7"],
        "ITU-T": ["Study Group 5"],
        "ITU-D": ["Study Group 2"],
    }


def test_climate_rows_keyed_by_sector(kb: Knowledge) -> None:
    climate = theme(kb, "climate-change")
    allowed = {"ITU-R", "ITU-T", "ITU-D", "All Sectors"}
    for field in ("events", "partners", "resolutions", "recommendations", "reports"):
        rows = getattr(climate, field)
        assert rows, f"climate-change has no {field}"
        assert set(rows) <= allowed, f"{field}: unexpected keys {set(rows) - allowed}"
    assert climate.resolutions["ITU-D"] == ["Resolution 66 (Rev. Buenos Aires, 2017)"]
    assert climate.partners["ITU-R"][0] == "WMO"


def test_merged_themes_are_not_duplicated(kb: Knowledge) -> None:
    """Subjects listed in several lists are one theme with several categories."""
    expectations = {
        "gender": {"ISC-TF subject areas of work", "Areas from the mapping of resolutions"},
        "accessibility": {
            "ISC-TF subject areas of work",
            "Areas from the mapping of resolutions",
            "ISCG specific themes",
        },
        "wsis-and-sdgs": {
            "Cross-sectoral groups and task forces",
            "Areas from the mapping of resolutions",
            "Issues covered by Council working groups",
        },
        "child-online-protection": {
            "Areas from the mapping of resolutions",
            "Issues covered by Council working groups",
        },
        "climate-change": {"ISCG pilot themes", "Areas from the mapping of resolutions"},
    }
    for slug, cats in expectations.items():
        assert cats <= set(theme(kb, slug).categories), slug
    names = [norm(t.name) for t in kb.themes]
    assert len(names) == len(set(names)), "two themes share a name"


@pytest.mark.parametrize(
    "alias, slug",
    [
        ("AI", "artificial-intelligence"),
        ("a11y", "accessibility"),
        ("EMF", "emf"),
        ("IoT", "iot-smart-cities"),
        ("COP", "child-online-protection"),
        ("SDN", "sdn"),
        ("BSG", "bridging-the-standards-gap"),
        ("WSIS", "wsis-and-sdgs"),
        ("SDGs", "wsis-and-sdgs"),
        ("ITRs", "itrs"),
        ("QoS", "charging-principles-qos"),
        ("ICTC", "itu-ict-committee"),
        ("IPPC", "itu-publications-policy-committee"),
        ("CRM", "crm-implementation-committee"),
        ("DRR", "disaster-risk-reduction-and-management"),
        ("5G", "imt-2020-5g"),
        ("IMT-2020", "imt-2020-5g"),
        ("climate", "climate-change"),
        ("smart cities", "iot-smart-cities"),
        ("SMEs", "membership-resource-mobilization-smes"),
    ],
)
def test_alias_resolves(kb: Knowledge, alias: str, slug: str) -> None:
    hits = [t.slug for t in kb.themes if norm(alias) in {norm(x) for x in [t.name, *t.aliases]}]
    assert hits == [slug]


@pytest.mark.parametrize("alias", ["e-waste", "ewaste", "e waste", "GHG"])
def test_subtopic_alias_resolves(kb: Knowledge, alias: str) -> None:
    hits = [
        st.name
        for st in theme(kb, "climate-change").subtopics
        if norm(alias) in {norm(x) for x in [st.name, *st.aliases]}
    ]
    assert len(hits) == 1


# --- people ------------------------------------------------------------------------


def test_chair(kb: Knowledge) -> None:
    chairs = [p for p in kb.people if p.current and "chair" in p.role.lower() and p.group is None]
    assert [p.name for p in chairs] == ["Fabio Bigi"]
    chair = chairs[0]
    assert chair.country == "Italy"
    assert chair.email == "Fabio.bigi@virgilio.it"
    assert chair.timezone == "Europe/Rome"


def test_current_representatives_are_the_2025_six(kb: Knowledge) -> None:
    current = {(p.name, p.group, p.country) for p in kb.people if p.current and p.group}
    assert current == {
        ("Abdouramane El Hadjar", "RAG", "Cameroon"),
        ("Victor Manuel Martinez Vanegas", "RAG", "Mexico"),
        ("Dominique Wurges", "TSAG", "France"),
        ("Noah LUO", "TSAG", "China"),
        ("Ahmad R. Sharafat", "TDAG", "Iran (Islamic Republic of)"),
        ("Inga Rimkeviciene", "TDAG", "Lithuania"),
    }
    for p in kb.people:
        if p.current and p.group:
            assert p.source.file.startswith("002_"), p.name


def test_superseded_representatives(kb: Knowledge) -> None:
    old = {p.name for p in kb.people if not p.current}
    assert old == {
        "Peter Major",
        "Albert Nalbandian",
        "Vladimir Minkin",
        "Matano Ndaro",
        "Nurzat Boljobekova",
        "Arseny Plossky",
    }
    for p in kb.people:
        if not p.current:
            assert p.source.note and "superseded" in p.source.note.lower(), p.name
            assert "002_" in p.source.note, p.name


def test_people_names_unique_and_only_chair_has_email(kb: Knowledge) -> None:
    names = [p.name for p in kb.people]
    assert len(names) == len(set(names))
    with_email = [p.name for p in kb.people if p.email]
    assert with_email == ["Fabio Bigi"], "only the chair's e-mail is in the documents"


def test_timezones(kb: Knowledge) -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    expected = {
        "Cameroon": "Africa/Douala",
        "Mexico": "America/Mexico_City",
        "France": "Europe/Paris",
        "China": "Asia/Shanghai",
        "Iran (Islamic Republic of)": "Asia/Tehran",
        "Lithuania": "Europe/Vilnius",
        "Italy": "Europe/Rome",
    }
    for p in kb.people:
        if p.current:
            assert p.timezone == expected[p.country], p.name
    zones = {p.timezone for p in kb.people if p.timezone} | {
        m.timezone for m in kb.meetings if m.timezone
    }
    for tz in zones:
        try:
            zoneinfo.ZoneInfo(tz)
        except zoneinfo.ZoneInfoNotFoundError:  # pragma: no cover - depends on system tzdata
            pytest.skip("IANA time zone database not available")


# --- facts ---------------------------------------------------------------------------


def fact(kb: Knowledge, key: str) -> str:
    values = [f.value for f in kb.facts if f.key == key]
    assert len(values) == 1, f"expected one fact {key!r}"
    return values[0]


def test_list_address_is_latest(kb: Knowledge) -> None:
    assert fact(kb, "iscg.list_address") == "int-sect-group@lists.itu.int"
    # the superseded address must not be presented as a value anywhere
    assert all("int-sect-team@" not in f.value for f in kb.facts)


def test_contact_facts(kb: Knowledge) -> None:
    assert fact(kb, "iscg.secretariat_email") == "iscg@itu.int"
    assert (
        fact(kb, "iscg.website")
        == "https://www.itu.int/en/general-secretariat/Pages/ISCG/default.aspx"
    )
    assert "Fabio Bigi" in fact(kb, "iscg.chair")
    assert "TIES" in fact(kb, "iscg.documents_access")
    assert "Resolution 208 (Rev. Bucharest, 2022)" in fact(kb, "iscg.composition")
    assert "ISCG/21-4/05-E" in fact(kb, "iscg.mapping_tables")
    assert "ISCG/21-1/05" in fact(kb, "climate.progress_report")
    for key in (
        "iscg.mandate",
        "iscg.working_methods",
        "iscg.coordinators_and_focal_points",
        "iscg.background_resolutions",
        "iscg.pilot_themes",
    ):
        assert fact(kb, key).strip()


# --- meetings and sessions ------------------------------------------------------------


def test_meetings(kb: Knowledge) -> None:
    dates = {m.date.isoformat(): m for m in kb.meetings}
    for d in ("2019-09-25", "2020-06-01", "2021-03-12", "2021-09-01", "2025-02-12"):
        assert d in dates, d
    june = dates["2020-06-01"]
    assert june.date.weekday() == 0, "the document calls 1 June a Monday"
    assert (june.start, june.end, june.timezone) == ("15:00", "16:00", "Europe/Zurich")
    assert dates["2019-09-25"].held_with == "TSAG"
    assert len(dates) == len(kb.meetings), "two meetings on the same day"


def test_sessions(kb: Knowledge) -> None:
    got = {(s.group, s.first_day.isoformat(), s.last_day.isoformat()) for s in kb.sessions}
    assert {
        ("TSAG", "2019-09-23", "2019-09-27"),
        ("RAG", "2020-05-25", "2020-05-27"),
        ("TDAG", "2020-06-02", "2020-06-05"),
    } <= got
    for s in kb.sessions:
        assert s.first_day <= s.last_day, s


def test_meeting_held_with_a_session_falls_inside_it(kb: Knowledge) -> None:
    for m in kb.meetings:
        if m.held_with:
            spans = [
                s
                for s in kb.sessions
                if s.group == m.held_with and s.first_day <= m.date <= s.last_day
            ]
            assert spans, f"meeting {m.date} held with {m.held_with} outside any of its sessions"


def test_documents(kb: Knowledge) -> None:
    by_file = {d.file: d for d in kb.documents}
    assert len(by_file) == len(kb.documents)
    latest = [d for d in kb.documents if d.symbol == "ISCG/25-1/03-E"]
    assert len(latest) == 1 and latest[0].file.startswith("002_")
    assert latest[0].date is not None and latest[0].date.isoformat() == "2025-01-23"
