"""Messages in channels, the outbox, scheduled events, intents and `discord sync`."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from types import SimpleNamespace

import discord
import icalendar
import pytest
from discord import app_commands

from bot.core import Attachment, Reply
from bot.handlers import discord as discord_handler
from bot.handlers.base import DeliveryError
from bot.handlers.discord import IscgClient, sync_commands, sync_scheduled_events
from bot.outgoing import queue_chat
from storage import outbox

from .conftest import Channel, Guild, User
from .test_commands import _command

BOT = User(999, "ISCG assistant", bot=True)
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


def _message(text: str, author: User, channel: Channel, *, mentions=(), guild=True, roles=()):
    return SimpleNamespace(
        id=4242,
        content=text,
        author=author,
        channel=channel,
        guild=SimpleNamespace(id=77) if guild else None,
        mentions=list(mentions),
        role_mentions=list(roles),
    )


@pytest.fixture
def as_bot(monkeypatch):
    monkeypatch.setattr(IscgClient, "user", property(lambda self: BOT))


async def test_channel_lines_reach_the_minutes_hooks(connector, services, member, as_bot):
    seen = []

    async def minutes(ctx, text):
        seen.append((ctx.identity, ctx.channel, ctx.message_id, text))
        return Reply(text="Action 1 recorded: @everyone buy cake", public=True)

    services.registry.line_hooks.append(hook := discord_handler_hook(minutes))
    try:
        thread = Channel(channel_id=8080)
        await connector.on_message(_message("#action buy cake", member, thread))
        await connector.on_message(_message("#action ignored", BOT, thread))
    finally:
        services.registry.line_hooks.remove(hook)
    assert seen == [(f"discord:{member.id}", "discord:8080", "discord:4242", "#action buy cake")]
    (posted,) = thread.sent
    assert posted.content == "Action 1 recorded: @everyone buy cake"
    assert posted.pings_nobody
    assert posted.kwargs["mention_author"] is False


def discord_handler_hook(handler):
    from bot.core import LineHook

    return LineHook("test-minutes", handler)


async def test_a_plain_line_with_no_meeting_gets_no_answer(connector, member, as_bot):
    channel = Channel()
    await connector.on_message(_message("good morning all", member, channel))
    assert channel.sent == []


async def test_a_mention_is_answered_as_a_question(connector, member, as_bot):
    channel = Channel()
    text = f"<@{BOT.id}> who coordinates accessibility?"
    await connector.on_message(_message(text, member, channel, mentions=[BOT]))
    (posted,) = channel.sent
    assert posted.embeds[0].title == "Accessibility: who coordinates"
    assert posted.pings_nobody


async def test_a_long_message_not_for_the_bot_gets_no_answer(
    connector, interact, member, chair, as_bot
):
    """Someone pasting a 5,000-character draft in a channel the bot is in was told, in
    public, that "the bot reads at most 4,000"; asked nothing, the bot says nothing. In a
    meeting, or asked, it still says so: the line would be lost from the minutes."""
    draft = "Here is the draft: " + "lorem ipsum " * 400
    quiet = Channel(556)
    await connector.on_message(_message(draft, member, quiet))
    assert quiet.sent == []
    asked = Channel(556)
    await connector.on_message(_message(f"<@{BOT.id}> {draft}", member, asked, mentions=[BOT]))
    assert "the bot reads at most 4,000" in asked.sent[0].content
    meeting = Channel(555)
    started = interact(chair, channel_id=555)
    await _command(connector.tree, "meeting start").callback(started, meeting="Budget review")
    await connector.on_message(_message(f"#info {draft}", member, meeting))
    assert "the bot reads at most 4,000" in meeting.sent[0].content


async def test_a_mention_of_the_bots_own_role_is_a_question_to_it(connector, member, as_bot):
    """Typing "@ISCG assistant", Discord offers the bot and the role it was given on joining,
    of the same name; picked, the role (`<@&4545>`) left the question unanswered."""
    own_role = SimpleNamespace(id=4545, tags=SimpleNamespace(bot_id=BOT.id))
    other_role = SimpleNamespace(id=4646, tags=None)  # @Delegates: not the bot
    channel = Channel()
    text = "<@&4545> who coordinates accessibility?"
    await connector.on_message(_message(text, member, channel, roles=[own_role]))
    (posted,) = channel.sent
    assert posted.embeds[0].title == "Accessibility: who coordinates"
    assert posted.pings_nobody
    quiet = Channel()
    await connector.on_message(
        _message("<@&4646> who coordinates accessibility?", member, quiet, roles=[other_role])
    )
    assert quiet.sent == []


async def test_a_reply_to_the_bots_post_is_not_a_question_to_it(connector, member, as_bot):
    """Discord's reply pings the author it answers by default, so the bot is among the
    message's mentions though nobody wrote its name: "Thanks, see you there" under its
    announcement got the whole command list, in public. Slack answers only a mention."""
    channel = Channel()
    await connector.on_message(_message("Thanks, see you there!", member, channel, mentions=[BOT]))
    assert channel.sent == []


async def test_an_action_given_by_a_discord_mention_names_the_member(
    connector, interact, chair, as_bot
):
    """Discord sends a member picked from the @ menu as `<@333>`, with the member beside it:
    the owner is that member by name, not an unknown "@333"."""
    started = interact(chair, channel_id=555)
    await _command(connector.tree, "meeting start").callback(started, meeting="Budget review")
    bob = User(333, "Bob Okafor")  # never wrote to the bot
    channel = Channel(555)
    line = "#action <@333> to send the report by Friday"
    await connector.on_message(_message(line, chair, channel, mentions=[bob]))
    (posted,) = channel.sent
    assert "Recorded A1: @Bob Okafor to send the report by Friday" in posted.content
    assert "Owners: Bob Okafor; due Fri 27 Nov 2026." in posted.content
    assert "I know no one" not in posted.content


async def test_messages_from_another_server_are_ignored(connector, services, member, as_bot):
    services.settings.discord_guild_id = 1
    channel = Channel()
    await connector.on_message(_message(f"<@{BOT.id}> help", member, channel, mentions=[BOT]))
    assert channel.sent == []


async def _queued_row(services, reply, *, mention=None, destination="discord:555"):
    async with services.db.transaction() as conn:
        row_id = await queue_chat(
            conn,
            destination=destination,
            kind="announce",
            reply=reply,
            now=NOW,
            dedupe_key=f"test:{destination}:{reply.text}",
            mention=mention,
        )
        return await outbox.get(conn, row_id)


def _ics(method: str, start: dt.datetime, *, sequence: int = 0) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//test//")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", "meeting-7@iscg")
    event.add("summary", "ISCG electronic meeting on AI")
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(hours=2))
    event.add("sequence", sequence)
    event.add("url", "https://itu.zoom.us/j/123")
    event.add("description", "Agenda: AI for Good")
    calendar.add_component(event)
    return calendar.to_ical()


async def test_an_announcement_with_an_invite_posts_the_file_and_a_scheduled_event(
    connector, services, monkeypatch
):
    guild = Guild()
    channel = Channel(guild=guild)
    monkeypatch.setattr(connector.client, "get_channel", lambda channel_id: channel)
    start = dt.datetime(2026, 12, 1, 13, 0, tzinfo=dt.UTC)
    invite = Attachment("invite.ics", "text/calendar", _ics("REQUEST", start))
    reply = Reply(text="ISCG meeting on AI", title="ISCG meeting on AI", attachments=[invite])
    await connector.send(await _queued_row(services, reply))

    (posted,) = channel.sent
    assert posted.embeds[0].title == "ISCG meeting on AI"
    assert posted.kwargs["files"][0].filename == "invite.ics"
    (created,) = guild.created
    assert created["entity_type"] is discord.EntityType.external
    assert created["location"] == "https://itu.zoom.us/j/123"
    assert created["start_time"] == start
    assert created["end_time"] == start + dt.timedelta(hours=2)
    assert created["name"] == "ISCG electronic meeting on AI"
    assert created["description"].endswith("ISCG meeting meeting-7@iscg")

    moved = start + dt.timedelta(days=1)
    assert await sync_scheduled_events(guild, _ics("REQUEST", moved, sequence=1), NOW) == [
        "updated meeting-7@iscg"
    ]
    assert guild.scheduled_events[0].edits[0]["start_time"] == moved
    assert await sync_scheduled_events(guild, _ics("CANCEL", moved, sequence=2), NOW) == [
        "cancelled meeting-7@iscg"
    ]
    assert guild.scheduled_events[0].cancelled


async def test_no_scheduled_event_without_the_permission_or_for_the_past():
    start = dt.datetime(2026, 12, 1, 13, 0, tzinfo=dt.UTC)
    assert (
        await sync_scheduled_events(Guild(can_create_events=False), _ics("REQUEST", start), NOW)
        == []
    )
    past = Guild()
    assert await sync_scheduled_events(past, _ics("REQUEST", NOW - dt.timedelta(days=1)), NOW) == []
    assert past.created == []


async def test_an_action_reminder_pings_its_owner_only(connector, services, monkeypatch):
    channel = Channel()
    monkeypatch.setattr(connector.client, "get_channel", lambda channel_id: channel)
    reply = Reply(text="Action 3 is due: @everyone send the draft", public=True)
    await connector.send(await _queued_row(services, reply, mention="discord:42"))
    (posted,) = channel.sent
    assert posted.content.startswith("<@42> Action 3 is due: @everyone")
    mentions = posted.kwargs["allowed_mentions"]
    assert [user.id for user in mentions.users] == [42]
    assert not mentions.everyone and not mentions.roles


def _http_error(cls, status):
    return cls(SimpleNamespace(status=status, reason="refused"), "refused")


async def test_without_the_right_to_embed_the_text_is_posted(connector, services, monkeypatch):
    class NoEmbeds(Channel):
        async def send(self, **kwargs):
            if kwargs.get("embeds"):
                raise _http_error(discord.Forbidden, 403)
            await super().send(**kwargs)

    channel = NoEmbeds()
    monkeypatch.setattr(connector.client, "get_channel", lambda channel_id: channel)
    reply = Reply.from_sections("Digest", [], public=True)
    await connector.send(await _queued_row(services, reply))
    assert channel.sent[0].content == "Digest"


async def test_delivery_failures_are_permanent_or_retried(connector, services, monkeypatch):
    async def missing(channel_id):
        raise _http_error(discord.NotFound, 404)

    monkeypatch.setattr(connector.client, "get_channel", lambda channel_id: None)
    monkeypatch.setattr(connector.client, "fetch_channel", missing)
    monkeypatch.setattr(connector.client, "fetch_user", missing)  # nor anyone's to DM
    with pytest.raises(DeliveryError) as refused:
        await connector.send(await _queued_row(services, Reply(text="x")))
    assert refused.value.permanent

    async def down(channel_id):
        raise _http_error(discord.DiscordServerError, 503)

    monkeypatch.setattr(connector.client, "fetch_channel", down)
    with pytest.raises(DeliveryError) as later:
        await connector.send(await _queued_row(services, Reply(text="y")))
    assert not later.value.permanent
    bad = await _queued_row(services, Reply(text="z"), destination="discord:general")
    with pytest.raises(DeliveryError, match="not a Discord channel id"):
        await connector.send(bad)


async def test_without_the_message_content_intent_the_bot_runs_and_says_so(
    connector, monkeypatch, caplog
):
    attempts = []

    async def connect(self, *, reconnect=True):
        attempts.append(self.intents.message_content)
        if self.intents.message_content:
            raise discord.PrivilegedIntentsRequired(None)

    async def login(self, token):
        return None

    monkeypatch.setattr(IscgClient, "connect", connect)
    monkeypatch.setattr(IscgClient, "login", login)
    connector.services.settings.discord_token = "token"
    with caplog.at_level(logging.WARNING):
        await connector.listen()
    assert attempts == [True, False]
    assert not connector.message_content
    assert "message-content intent is not enabled" in caplog.text
    assert "Message Content Intent" in caplog.text


async def test_sync_registers_in_one_server_or_globally(settings, services, monkeypatch):
    calls = []

    async def login(self, token):
        calls.append(("login", token))

    async def sync(self, *, guild=None):
        calls.append(("sync", guild.id if guild else None))
        commands = self.get_commands(guild=guild)
        return [SimpleNamespace(name=c.name) for c in commands]

    monkeypatch.setattr(IscgClient, "login", login)
    monkeypatch.setattr(app_commands.CommandTree, "sync", sync)
    settings.discord_token = "token"
    said = await sync_commands(settings, services.registry, 1234)
    assert calls == [("login", "token"), ("sync", 1234)]
    expected = len(services.registry.top_level())
    assert said.startswith(f"Registered {expected} commands in server 1234 (available now)")
    assert "/who-coordinates" in said
    calls.clear()
    said = await sync_commands(settings, services.registry, None)
    assert calls[-1] == ("sync", None) and "up to an hour" in said


def test_the_connector_is_registered_and_needs_a_token(settings):
    from bot.app import CONNECTORS, connector_class

    cls = connector_class(CONNECTORS["discord"])
    assert cls is discord_handler.DiscordConnector
    assert not cls.configured(settings)
    assert "DISCORD_TOKEN" in cls.requirement()


async def test_a_line_starting_with_a_slash_not_said_to_the_bot_gets_no_answer(
    connector, member, as_bot
):
    # "/etc/hosts broke" in a channel was answered there: "There is no command
    # /etc/hosts", and "/actions mine" posted a member's own list for all to read.
    channel = Channel()
    for number, text in enumerate(["/etc/hosts broke again", "/actions mine", "/shrug ok"]):
        line = _message(text, member, channel)
        line.id = 5000 + number
        await connector.on_message(line)
    assert channel.sent == []
    direct = Channel(channel_id=9)
    await connector.on_message(_message("/actions mine", member, direct, guild=False))
    assert direct.sent[0].content == "Your open actions: none."


async def test_a_discord_only_member_gets_personal_messages_by_direct_message(
    connector, services, interact, member, monkeypatch
):
    # Subscribing said "nothing can reach you": the digest and the reminders of a
    # member known only on Discord were never sent.
    said = interact(member)
    await connector.tree.get_command("subscribe").callback(said, choice="weekly")
    assert "nothing can reach you" not in said.messages[0].shown
    assert "in Discord, as direct messages from me" in said.messages[0].shown

    direct = Channel(channel_id=31)

    async def no_such_channel(channel_id):
        raise _http_error(discord.NotFound, 404)

    async def fetch_user(user_id):
        assert user_id == member.id

        class Member:
            dm_channel = None

            async def create_dm(self):
                return direct

        return Member()

    monkeypatch.setattr(connector.client, "get_channel", lambda channel_id: None)
    monkeypatch.setattr(connector.client, "fetch_channel", no_such_channel)
    monkeypatch.setattr(connector.client, "fetch_user", fetch_user)
    reply = Reply(text="A3 is due Fri 27 Nov 2026: send the draft")
    await connector.send(await _queued_row(services, reply, destination=f"discord:{member.id}"))
    (posted,) = direct.sent
    assert posted.content == "A3 is due Fri 27 Nov 2026: send the draft"
    assert posted.pings_nobody


async def test_an_edit_made_while_its_line_is_recorded_is_not_lost(
    connector, services, member, chair, as_bot, monkeypatch
):
    """Discord runs each event in a task of its own: '#info the figures are finla' corrected
    at once was followed while the line was still being recorded, found nothing, and the
    minutes kept the typo."""
    room = Channel(channel_id=8181)
    start = _message(f"<@{BOT.id}> /meeting start Budget", chair, room, mentions=[BOT])
    await connector.on_message(start)
    gate, asked = asyncio.Event(), asyncio.Event()
    context_for = services.context_for

    async def slow_context(*args, **kwargs):
        asked.set()
        await gate.wait()  # the line is being recorded
        return await context_for(*args, **kwargs)

    monkeypatch.setattr(services, "context_for", slow_context)
    line = _message("#info the figures are finla", member, room)
    line.id = 5151
    said = asyncio.create_task(connector.on_message(line))
    await asked.wait()
    fixed = SimpleNamespace(id=5151, content="#info the figures are final", author=member,
                            channel=room, mentions=[], role_mentions=[])  # fmt: skip
    payload = SimpleNamespace(message=fixed, data={"content": fixed.content},
                              cached_message=None, guild_id=77, channel_id=room.id)  # fmt: skip
    edit = asyncio.create_task(connector.on_edit(payload))
    await asyncio.sleep(0.05)
    gate.set()
    await asyncio.gather(said, edit)
    monkeypatch.setattr(services, "context_for", context_for)
    await connector.on_message(_message(f"<@{BOT.id}> /meeting end", chair, room, mentions=[BOT]))
    minutes = room.sent[-1].shown
    assert "INFO the figures are final" in minutes and "finla" not in minutes
