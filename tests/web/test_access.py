"""`ISCG_WEB_PUBLIC=false`: every page behind the key that `/calendar` gives members."""

from __future__ import annotations

import re

from aiohttp import web

from bot import weblinks
from bot.app import BotApp, open_services
from bot.handlers.web import install_routes
from tests.web.html import read


async def _key(services) -> str:
    key = await weblinks.access_key(services)
    assert key is not None
    return key


async def test_pages_refuse_a_missing_or_wrong_key_and_say_where_to_get_one(
    private_client, private_services
):
    for path in ("/", "/themes", "/themes/accessibility", "/themes?q=ai"):
        for params in ({}, {"key": "wrong"}):
            response = await private_client.get(path, params=params)
            assert response.status == 403, path
            page = read(await response.text())
            assert page.headings == [(1, "Access key needed")]
            # A group on its list alone has no chat to ask /calendar in.
            assert "Ask the secretariat (iscg@itu.int) for the link" in page.text
            assert "ISC-TF" not in page.text
    private_services.settings.discord_token = "discord-token"
    page = read(await (await private_client.get("/themes")).text())
    assert "Ask the bot /calendar in the group's Discord" in page.text


async def test_the_key_opens_the_pages_and_every_link_carries_it(private_client, private_services):
    key = await _key(private_services)
    response = await private_client.get("/themes", params={"key": key})
    assert response.status == 200
    page = read(await response.text())
    internal = [href for _, href in page.links if href.startswith("/")]
    assert internal
    assert all(href.endswith(f"key={key}") for href in internal), internal
    hidden = [item for item in page.inputs if item.get("type") == "hidden"]
    assert hidden == [{"type": "hidden", "name": "key", "value": key}]
    theme = await private_client.get(page.link("Accessibility"))
    assert theme.status == 200
    search = await private_client.get("/themes", params={"q": "accesibility", "key": key})
    assert read(await search.text()).link("Accessibility") == f"/themes/accessibility?key={key}"


async def test_the_generated_key_survives_a_restart(private_settings, clock):
    first = await open_services(private_settings, clock)
    try:
        key = await _key(first)
    finally:
        await first.db.close()
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", key)
    second = await open_services(private_settings, clock)
    try:
        assert await _key(second) == key
    finally:
        await second.db.close()


async def test_a_configured_key_wins(private_settings, clock, client_for):
    settings = private_settings.model_copy(update={"web_key": "k" * 20})
    services = await open_services(settings, clock)
    try:
        client = await client_for(services)
        assert (await client.get("/", params={"key": "k" * 20})).status == 200
        assert (await client.get("/")).status == 403
    finally:
        await services.db.close()


async def test_a_public_site_needs_no_key_and_links_carry_none(client, services):
    assert await weblinks.access_key(services) is None
    page = read(await (await client.get("/")).text())
    assert not [href for _, href in page.links if "key=" in href]


async def test_other_connectors_routes_stay_open(private_services):
    """Slack posts `/slack/events` without the key; the guard must leave it alone."""
    from aiohttp.test_utils import TestClient, TestServer

    app = BotApp(private_services)

    async def events(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app.web.router.add_post("/slack/events", events)
    install_routes(app)
    async with TestClient(TestServer(app.web)) as client:
        response = await client.post("/slack/events", json={})
        assert response.status == 200
        assert await response.json() == {"ok": True}
        assert (await client.get("/themes")).status == 403


async def test_a_key_made_in_a_transaction_that_rolls_back_is_not_kept(private_services):
    """`/calendar` may make the key inside a batch of mail's transaction: should the
    batch roll back, the key was never stored, and must not be given out."""
    services = private_services
    try:
        async with services.db.transaction():
            assert await weblinks.access_key(services)
            raise RuntimeError("the batch fails after /calendar ran")
    except RuntimeError:
        pass
    key = await _key(services)
    async with services.db.read() as conn:
        [(stored,)] = await conn.execute_fetchall(
            "SELECT value FROM instance_secrets WHERE name = ?", (weblinks.SECRET_NAME,)
        )
    assert stored == key and await _key(services) == key
