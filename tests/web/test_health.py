"""`/healthz`: what a host's health check sees."""

from __future__ import annotations

from importlib.metadata import version


async def test_healthy_with_the_database_and_the_version(client):
    response = await client.get("/healthz")
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = await response.json()
    assert body["status"] == "ok"
    assert body["version"] == version("iscg-bot")
    assert body["schema"] >= 70


async def test_unhealthy_when_the_database_is_gone(client, services):
    await services.db.close()
    response = await client.get("/healthz")
    assert response.status == 503
    body = await response.json()
    assert body["status"] == "unavailable"
    assert body["version"] == version("iscg-bot")


async def test_health_needs_no_key_on_a_private_site(private_client):
    assert (await private_client.get("/healthz")).status == 200
