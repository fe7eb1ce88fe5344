"""Every page of the site through aiohttp's test client: status, headers, what a reader sees."""

from __future__ import annotations

import logging

import pytest

from bot import directory
from storage import themes
from tests.conftest import CHAIR
from tests.web.html import read

PAGES = [
    "/",
    "/themes",
    "/themes?q=accesibility",
    "/themes/accessibility",
    "/themes/climate-change",
]


@pytest.mark.parametrize("path", PAGES)
async def test_pages_are_accessible_html_with_safe_headers(client, path):
    response = await client.get(path)
    assert response.status == 200
    assert response.content_type == "text/html"
    assert response.charset == "utf-8"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = read(await response.text())
    assert page.problems() == []


async def test_home_links_the_directory_and_has_the_search_form(client):
    page = read(await (await client.get("/")).text())
    assert page.headings[0] == (1, "ISCG assistant")
    assert page.link("Browse every theme of common interest") == "/themes"
    assert page.labels["q"] == "Find a theme, sub-topic or abbreviation"
    assert "iscg@itu.int" in page.text


async def test_directory_lists_every_theme_by_category(client, services):
    page = read(await (await client.get("/themes")).text())
    assert any(
        text.startswith("ISC-TF subject areas of work (")
        for level, text in page.headings
        if level == 2
    )
    async with services.db.read() as conn:
        every = await themes.all_themes(conn)
    hrefs = {href for _, href in page.links}
    assert {f"/themes/{theme.slug}" for theme in every} <= hrefs


async def test_directory_puts_sub_items_under_their_item(client):
    labels = [label for label, _ in read(await (await client.get("/themes")).text()).links]
    assert labels.index("1.1 Remote participation") == labels.index("1 Participation") + 1
    assert labels.count("10 Sector membership") == 1  # numbered in the ISCG list only


async def test_theme_page_says_which_body_the_documents_give_the_theme_to(client):
    page = read(await (await client.get("/themes/accessibility")).text())
    assert (3, "What the documents say") in page.headings
    assert "addressed and coordinated within the Inter-Sectoral Coordination Task Force" in (
        page.text
    )


async def test_theme_page_gives_its_names_in_the_other_languages_marked_as_such(client):
    html = await (await client.get("/themes/accessibility")).text()
    page = read(html)
    assert "In the other UN languages" in page.text
    # Marked with their language, so that a screen reader speaks them in it.
    assert '<span lang="es">accesibilidad</span>' in html
    assert '<span lang="zh">无障碍</span>' in html and '<span lang="ru">доступность</span>' in html
    found = read(await (await client.get("/themes?q=accesibilidad")).text())
    assert found.link("Accessibility") == "/themes/accessibility"


async def test_search_resolves_a_typo_like_who_coordinates(client):
    page = read(await (await client.get("/themes", params={"q": "accesibility"})).text())
    assert (2, "Result for “accesibility”") in page.headings
    assert page.link("Accessibility") == "/themes/accessibility"
    assert "A guess: no theme is called “accesibility”, so it was read as Accessibility." in (
        page.text
    )
    page = read(await (await client.get("/themes", params={"q": "enviroment"})).text())
    assert "read as Environment, a sub-topic of Climate change." in page.text


async def test_search_names_the_theme_a_resolution_is_listed_under_never_a_near_number(client):
    page = read(await (await client.get("/themes", params={"q": "Resolution 73"})).text())
    assert page.link("Climate change") == "/themes/climate-change"
    assert "Resolution 73 (Rev. Hammamet, 2016) is listed under Climate change, ITU-T" in page.text
    page = read(await (await client.get("/themes", params={"q": "Resolution 191"})).text())
    assert "No theme is called “Resolution 191”." in page.text


async def test_search_finds_a_subtopic_and_an_alias(client):
    page = read(await (await client.get("/themes", params={"q": "e-waste"})).text())
    assert page.link("Climate change") == "/themes/climate-change"
    assert "e-waste is a sub-topic of Climate change." in page.text
    page = read(await (await client.get("/themes", params={"q": "AI"})).text())
    assert page.link("Artificial Intelligence") == "/themes/artificial-intelligence"
    assert "AI is another name for Artificial Intelligence." in page.text


async def test_search_without_a_match_offers_the_closest(client):
    page = read(await (await client.get("/themes", params={"q": "climate policy"})).text())
    assert "No theme is called “climate policy”. The closest are:" in page.text
    assert page.link("Climate change") == "/themes/climate-change"


async def test_search_text_is_escaped_never_markup(client):
    hostile = '<script>alert("x")</script><b onmouseover=1>'
    html = await (await client.get("/themes", params={"q": hostile})).text()
    assert "<script>" not in html
    assert "<b onmouseover" not in html
    assert "&lt;script&gt;" in html


async def test_theme_page_shows_people_subtopics_study_groups_and_source(client, ask):
    await ask("/set-coordinator climate change | Jane Doe <jane@example.org> TSAG", who=CHAIR)
    await ask("/set-focal-point climate change | ITU-D | Ali Kone <ali@example.org>", who=CHAIR)
    response = await client.get("/themes/climate-change")
    page = read(await response.text())
    assert page.headings[0] == (1, "Climate change")
    assert (3, "Coordinator") in page.headings
    assert "Jane Doe (TSAG), jane@example.org" in page.text
    assert page.link("jane@example.org") == "mailto:jane@example.org"
    assert "ITU-D Ali Kone, ali@example.org" in page.text
    assert "General Secretariat none recorded" in page.text
    assert (2, "Sub-topics and study groups") in page.headings
    assert "e-waste ITU-T: Study Group 5 - Q7/5 ITU-D: Study Group 2 - Q6/2" in page.text
    assert (2, "Source") in page.headings
    assert "[004_809f8eff76e4713a.txt]" in page.text


async def test_theme_page_of_a_list_item_links_its_parent_and_children(client, services):
    async with services.db.read() as conn:
        every = await themes.all_themes(conn)
        child = next(theme for theme in every if theme.parent_id)
        parent = await themes.get(conn, child.parent_id)
    page = read(await (await client.get(f"/themes/{parent.slug}")).text())
    assert f"/themes/{child.slug}" in {href for _, href in page.links}
    page = read(await (await client.get(f"/themes/{child.slug}")).text())
    assert f"/themes/{parent.slug}" in {href for _, href in page.links}


async def test_unknown_theme_is_a_404_page(client):
    response = await client.get("/themes/no-such-theme")
    assert response.status == 404
    page = read(await response.text())
    assert page.headings == [(1, "Not found")]
    assert page.problems() == []


async def test_pages_only_read(client):
    assert (await client.head("/themes")).status == 200
    for method in ("POST", "PUT", "DELETE"):
        assert (await client.request(method, "/themes")).status == 405


async def test_an_unexpected_error_is_logged_with_an_id_and_apologised_for(
    client, monkeypatch, caplog
):
    async def broken(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr(directory, "card", broken)
    with caplog.at_level(logging.ERROR):
        response = await client.get("/themes/accessibility")
    assert response.status == 500
    page = read(await response.text())
    error_id = page.text.split("logged as ")[1].split(";")[0]
    assert f"web error {error_id}" in caplog.text
    assert "boom" not in page.text


async def test_style_sheet_is_cached_by_etag(client):
    response = await client.get("/site.css")
    assert response.status == 200
    assert response.content_type == "text/css"
    etag = response.headers["ETag"]
    again = await client.get("/site.css", headers={"If-None-Match": etag})
    assert again.status == 304
    assert await again.read() == b""
