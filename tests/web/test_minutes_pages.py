"""`/minutes/<id>` and its `.txt`: what chat and mail link to, one anchor per action."""

from __future__ import annotations

import re

import pytest

from bot import weblinks
from tests.web.html import read

MEETING = [
    ("console:ana", "/meeting start Coordination call"),
    ("console:ana", "#topic Accessibility <b>pilot</b>"),
    ("console:bo", "#info TSAG agreed to the pilot"),
    ("console:ana", "#action @bo draft the liaison statement by 2026-12-01"),
    ("console:ana", "#link https://www.itu.int/en/ITU-T/accessibility the page"),
    ("console:ana", "/meeting end"),
]


@pytest.fixture
async def minuted(ask) -> int:
    for who, text in MEETING:
        await ask(text, who=who)
    return 1


async def test_minutes_page_has_an_anchor_on_every_action(client, minuted):
    response = await client.get(f"/minutes/{minuted}")
    assert response.status == 200
    html = await response.text()
    page = read(html)
    assert page.problems() == []
    assert page.headings[0] == (1, "Coordination call")
    assert (2, "Accessibility <b>pilot</b>") in page.headings  # shown as text, not markup
    assert "<b>pilot" not in html
    item = re.search(r'<li id="action-1">(.*?)</li>', html, re.S)
    assert item is not None
    assert "draft the liaison statement" in item.group(1)
    assert page.link("A1") == "#action-1"
    assert page.link("The minutes as plain text") == f"/minutes/{minuted}.txt"
    assert page.link("https://www.itu.int/en/ITU-T/accessibility") == (
        "https://www.itu.int/en/ITU-T/accessibility"
    )


async def test_minutes_as_plain_text(client, minuted):
    response = await client.get(f"/minutes/{minuted}.txt")
    assert response.status == 200
    assert response.content_type == "text/plain"
    assert response.charset == "utf-8"
    text = await response.text()
    assert text.startswith("Coordination call\n=================\n")
    assert "* ACTION A1 @bo draft the liaison statement by 2026-12-01 -- bo" in text
    assert "<" not in text.replace("<b>pilot</b>", "")


async def test_unknown_minutes_are_not_found(client, minuted):
    huge = "/minutes/99999999999999999999999"  # was a 500 page: SQLite cannot take it
    for path in ("/minutes/99", "/minutes/99.txt", "/minutes/first", huge, huge + ".txt"):
        assert (await client.get(path)).status == 404, path


async def test_minutes_need_the_key_on_a_private_site(private_client, private_services):
    assert (await private_client.get("/minutes/1")).status == 403
    assert (await private_client.get("/minutes/1.txt")).status == 403
    key = await weblinks.access_key(private_services)
    # No meeting in this database: the key gets through to a plain 404.
    assert (await private_client.get("/minutes/1", params={"key": key})).status == 404
