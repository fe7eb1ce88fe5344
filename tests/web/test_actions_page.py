"""`/actions`: the page digests link action items to when no meeting holds them."""

from __future__ import annotations

from tests.conftest import CHAIR


async def test_open_actions_are_listed_with_anchors_and_escaped(client, ask):
    await ask("/action <b>Update</b> the mapping tables @secretariat by 2026-12-04", who=CHAIR)
    await ask("/action Draft the liaison statement by 2026-11-20", who=CHAIR)
    response = await client.get("/actions")
    assert response.status == 200
    html = await response.text()
    assert 'id="action-1"' in html and 'id="action-2"' in html
    assert "&lt;b&gt;Update&lt;/b&gt;" in html and "<b>Update" not in html
    assert "due 2026-12-04" in html
    assert "overdue" in html  # the liaison statement was due on 20 November


async def test_digest_links_point_at_pages_the_site_serves(client, services):
    from urllib.parse import urlsplit

    from bot.digests import _links

    links = _links(services)
    for url in (links.actions, links.meetings):
        assert (await client.get(urlsplit(url).path)).status == 200
