"""/calendar in chat: the feed and site links, with the key where the site needs one."""

from __future__ import annotations

from bot import weblinks
from bot.handlers.console import ask_once


async def test_public_site_links_have_no_key(ask):
    reply = await ask("/calendar")
    assert not reply.error
    assert "webcal://localhost:8080/calendar.ics\n" in reply.text
    assert "take: http://localhost:8080/calendar.ics\n" in reply.text
    assert "http://localhost:8080/" in reply.text
    assert "key" not in reply.text
    assert not reply.public


async def test_private_site_gives_members_the_key_in_chat(private_services):
    key = await weblinks.access_key(private_services)
    reply = await ask_once(private_services, "/calendar", identity="slack:U1")
    assert f"webcal://localhost:8080/calendar.ics?key={key}" in reply.text
    assert f"http://localhost:8080/?key={key}" in reply.text
    assert "please do not post them publicly" in reply.text
    assert not reply.public


async def test_private_site_keeps_the_key_out_of_mail(private_services):
    key = await weblinks.access_key(private_services)
    reply = await ask_once(private_services, "/calendar", identity="email:someone@example.org")
    assert key not in reply.text
    assert "ask the secretariat (iscg@itu.int) for it" in reply.text  # no chat to ask in
    private_services.settings.slack_bot_token = "xoxb-token"
    reply = await ask_once(private_services, "/calendar", identity="email:someone@example.org")
    assert key not in reply.text and "ask /calendar in the group's Slack." in reply.text


async def test_links_use_the_public_address_behind_a_proxy(private_services):
    private_services.settings = private_services.settings.model_copy(
        update={"web_url": "https://iscg.example.org"}
    )
    reply = await ask_once(
        private_services, "how do I subscribe to the calendar?", identity="slack:U1"
    )
    assert "webcal://iscg.example.org/calendar.ics?key=" in reply.text
    assert "https://iscg.example.org/calendar.ics?key=" in reply.text
