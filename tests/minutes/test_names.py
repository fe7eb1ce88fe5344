"""Finding known people's names in an action's text (owners.NameMatcher)."""

from __future__ import annotations

import pytest

from bot.mentions import named
from bot.owners import NameMatcher
from storage import actions, people
from storage.actions import Owner
from tests.conftest import NOW
from tests.digests.conftest import create_action


def found(names: list[str], text: str) -> list[str]:
    return [text[start:end] for start, end, _ in NameMatcher(names).finditer(text)]


CASES = [
    # Several words: any case, any run of whitespace between them.
    (["jane doe"], "JANE\n  doe to send it", ["JANE\n  doe"]),
    (["jane doe"], "(Jane Doe, Bob) to meet", ["Jane Doe"]),
    # One word: only as a name is written, so "member states" owns nothing.
    (["amina"], "Amina to write", ["Amina"]),
    (["amina"], "amina to write", []),
    (["member"], "member states to answer", []),
    # The longest name at a place wins, and the search goes on after it.
    (["jane", "jane doe"], "Jane Doe and Jane to call", ["Jane Doe", "Jane"]),
    (["jane doe", "doe smith"], "Jane Doe Smith to call", ["Jane Doe"]),
    (["jane doe", "jane doe smith"], "Jane Doe Smith, Jane Doe", ["Jane Doe Smith", "Jane Doe"]),
    # Whole words only: not inside a word, a handle, an address or after a dot.
    (["jane"], "Janet, Jane_x, Jane@example.org, @Jane, x.Jane", []),
    (["jane doe"], "Jane Doeson to review", []),
    (["jane"], "Jane's draft; Jane-led", ["Jane", "Jane"]),
    (
        ["o'brien", "jean-pierre dupont"],
        "O'brien and jean-pierre DUPONT",
        ["O'brien", "jean-pierre DUPONT"],
    ),
]


@pytest.mark.parametrize(("names", "text", "expected"), CASES)
def test_names_are_found_on_whole_words(names, text, expected):
    assert found(names, text) == expected


@pytest.mark.parametrize(("names", "text", "expected"), CASES)
def test_a_matcher_grown_a_name_at_a_time_finds_the_same(names, text, expected):
    # Shortest first, the order that would lose if the longest did not rank first.
    grown = NameMatcher([])
    for name in sorted(names, key=len):
        grown = grown.with_name(name)
    assert [text[start:end] for start, end, _ in grown.finditer(text)] == expected


def test_growing_a_matcher_leaves_the_one_it_grew_from():
    matcher = NameMatcher(["jane doe"])
    grown = matcher.with_name("jane doe smith").with_name("bob")
    text = "Jane Doe Smith and Bob to call"
    assert [name for _, _, name in grown.finditer(text)] == ["jane doe smith", "bob"]
    assert [name for _, _, name in matcher.finditer(text)] == ["jane doe"]


def test_the_name_as_given_is_reported_for_its_people():
    matcher = NameMatcher(["jane  doe", "bob"])
    assert [name for _, _, name in matcher.finditer("Jane Doe and Bob")] == ["jane  doe", "bob"]


def test_many_people_are_searched_by_their_words():
    names = [f"member {n} of staff" for n in range(20_000)] + ["jane doe"]
    assert found(names, "Member 19999 of staff and Jane Doe to sort it out") == [
        "Member 19999 of staff",
        "Jane Doe",
    ]


@pytest.mark.parametrize("names", [["amina", " amina"], ["jane doe ", " jane doe"]])
def test_of_two_names_alike_the_same_wins_however_they_came(names):
    # A display name may keep spaces ('" Amina" <a@example.org>'), and name a person.
    text = "Amina and Jane Doe to write"
    orders = [names, names[::-1]]
    built = [list(NameMatcher(order).finditer(text)) for order in orders]
    grown = [
        list(NameMatcher([]).with_name(order[0]).with_name(order[1]).finditer(text))
        for order in orders
    ]
    assert built[0] == built[1] == grown[0] == grown[1] != []


def test_a_mention_is_named_only_by_a_real_name():
    """A member first met while Slack could not say their name is called "U0123" for
    now: the stored text keeps the mention, which reads as their name once known."""
    names = {"slack:U0123": "U0123", "slack:U0456": "Li Wei"}.get
    assert named("<@U0123> and <@U0456> to send it", "slack", names) == (
        "<@U0123> and @Li Wei to send it"
    )


async def test_a_member_first_met_by_bare_id_names_their_actions_once_known(services):
    """`#chair <@U7>` while Slack could not name U7 made a person called "U7"; an action
    for `<@U7>` then read "@U7 to check the figures -- U7" after Slack named them."""
    async with services.db.transaction() as conn:
        ana = await people.ensure(conn, "slack:U7", "U7")
        owner = Owner(label="U7", person_id=ana.id)
        await create_action(conn, "<@U7> to check the figures", [owner], None, ana.id, NOW)
        await create_action(conn, "<@U7> in console", [], None, ana.id, NOW)
        await conn.execute("UPDATE actions SET platform = 'slack' WHERE id = 1")
    await services.meet("slack:U7", "Ana Lima")
    async with services.db.read() as conn:
        first, other = await actions.get(conn, 1), await actions.get(conn, 2)
    assert first is not None and first.text == "@Ana Lima to check the figures"
    assert [o.label for o in first.owners] == ["Ana Lima"]
    assert other is not None and other.text == "<@U7> in console"  # not a Slack message
