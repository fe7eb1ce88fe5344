"""Meetings run in a Discord channel: slash commands and the lines members type."""

from __future__ import annotations

import asyncio
import itertools
import re
from types import SimpleNamespace

import pytest
from discord import app_commands

from bot.handlers.discord import IscgClient
from storage import meetings

from .conftest import Channel, User

BOT = User(999, "ISCG assistant", bot=True)
_message_ids = itertools.count(70_000)


def _line(text: str, author: User, channel: Channel) -> SimpleNamespace:
    """A message typed in a server channel, as discord.py hands it to on_message."""
    return SimpleNamespace(
        id=next(_message_ids),
        content=text,
        author=author,
        channel=channel,
        guild=SimpleNamespace(id=77),
        mentions=[],
        role_mentions=[],
    )


def _slash(tree: app_commands.CommandTree, path: str) -> app_commands.Command:
    group, _, name = path.partition(" ")
    found = tree.get_command(group)
    return found.get_command(name) if name else found  # type: ignore[union-attr,return-value]


@pytest.fixture(autouse=True)
def _as_bot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(IscgClient, "user", property(lambda self: BOT))


async def test_a_member_picked_in_an_action_reads_as_their_name_not_a_number(
    connector, interact, member, chair
):
    # Discord sends a member picked from the @ menu as <@222>; shown inert it
    # read "@222" in the reply, the action list and the minutes mailed to the list.
    channel = Channel()
    started = interact(chair, channel_id=channel.id)
    await _slash(connector.tree, "meeting start").callback(started, title="AI call")
    await connector.on_message(_line(f"#action <@{chair.id}> review the text", member, channel))
    (recorded,) = channel.sent
    assert recorded.content.startswith("Recorded A1: @Carla Chair review the text\n")
    assert recorded.pings_nobody

    listed = interact(member)
    await _slash(connector.tree, "actions").callback(listed, filter="open")
    assert "A1 @Carla Chair review the text — Carla Chair" in listed.messages[0].shown
    ended = interact(chair, channel_id=channel.id)
    await _slash(connector.tree, "meeting end").callback(ended)
    minutes = ended.messages[0].shown
    assert "**A1** @Carla Chair review the text — Carla Chair" in minutes
    assert "Ana Member: #action @Carla Chair review the text" in minutes
    assert str(chair.id) not in minutes


async def test_a_mention_of_someone_unknown_stays_inert(connector, interact, member):
    interaction = interact(member)
    await _slash(connector.tree, "action").callback(interaction, text="<@4321> send the draft")
    (reply,) = interaction.messages
    assert reply.content.startswith("Recorded A1: @\u20604321 send the draft")
    assert reply.pings_nobody


@pytest.mark.parametrize(
    ("path", "options", "example"),
    [
        ("meetings", {"meeting": "m9"}, "/meetings meeting: m1"),
        (
            "reschedule",
            {"meeting": "m9", "when": "4 Dec 15:00"},
            "/reschedule meeting: m1 when: 4 Dec 15:00",
        ),
        ("cancel", {"meeting": "m9"}, "/cancel meeting: m1"),
    ],
)
async def test_an_unknown_meeting_gets_an_example_of_the_command_used(
    connector, interact, chair, path, options, example
):
    # Each answered "For example: /invite m1", a command the chair had not used.
    interaction = interact(chair)
    await _slash(connector.tree, path).callback(interaction, **options)
    (reply,) = interaction.messages
    assert reply.ephemeral
    assert 'There is no meeting "m9"' in reply.shown
    assert f"For example: {example}" in reply.shown
    assert "/invite" not in reply.shown


def _completion(tree: app_commands.CommandTree, path: str, option: str):
    return _slash(tree, path)._params[option].autocomplete


async def test_meeting_options_offer_the_meetings_by_id_time_and_title(
    connector, interact, member, chair
):
    # A chair had to remember "m2" to move or cancel a meeting: nothing was offered.
    for title, when in [("AI call", "3 Dec 14:00 Geneva time"), ("Gender", "4 Dec 9:00")]:
        await _slash(connector.tree, "schedule new").callback(
            interact(chair), title=title, when=when
        )
    await _slash(connector.tree, "timezone").callback(interact(member), zone="Asia/Shanghai")
    for path in ("cancel", "reschedule", "invite", "meetings", "minutes"):
        offered = await _completion(connector.tree, path, "meeting")(interact(member), "")
        assert [(c.name, c.value) for c in offered] == [
            ("m1 · Thu 3 Dec 2026 21:00 (UTC+8) · AI call", "m1"),
            ("m2 · Fri 4 Dec 2026 16:00 (UTC+8) · Gender", "m2"),
        ][: len(offered)], path
    typed = await _completion(connector.tree, "cancel", "meeting")(interact(chair), "gend")
    assert [c.value for c in typed] == ["m2"]


async def test_action_options_offer_open_actions_by_id_and_text(connector, interact, member):
    for text in ("send the draft", "Ana Member to book the room", "review the mapping tables"):
        await _slash(connector.tree, "action").callback(interact(member), text=text)
    await _slash(connector.tree, "done").callback(interact(member), ref="A2")
    for path in ("done", "assign", "due", "reopen"):
        offered = await _completion(connector.tree, path, "ref")(interact(member), "")
        assert [c.value for c in offered] == ["A1", "A3", "A2"], path  # open ones first
    (typed,) = await _completion(connector.tree, "done", "ref")(interact(member), "mapping")
    assert typed.value == "A3"
    assert typed.name.startswith("A3 review the mapping tables")
    assert len(typed.name) <= 100


async def test_members_picked_in_any_meeting_line_read_as_names_in_the_minutes(
    connector, interact, member, chair
):
    channel = Channel()
    await _slash(connector.tree, "meeting start").callback(
        interact(chair, channel_id=channel.id), title="AI call"
    )
    for text in (
        f"#topic Report by <@{member.id}>",
        f"#agreed <@{member.id}> chairs the next call",
    ):
        await connector.on_message(_line(text, chair, channel))
    await connector.on_message(_line("#info <@4321> sent regrets", member, channel))
    shown = interact(chair, channel_id=channel.id)
    await _slash(connector.tree, "meeting end").callback(shown)
    minutes = shown.messages[0].shown
    assert "## Report by @Ana Member" in minutes
    assert "AGREED @Ana Member chairs the next call" in minutes
    assert "Carla Chair: #agreed @Ana Member chairs the next call" in minutes
    assert str(member.id) not in minutes
    assert "@\u20604321 sent regrets" in minutes  # nobody known: kept, inert


async def test_a_bar_typed_in_an_option_is_explained_with_the_options_to_use(
    connector, interact, chair
):
    # Used to the e-mail form, a chair typed the duration after a bar and read
    # only "The when cannot contain |".
    interaction = interact(chair)
    await _slash(connector.tree, "schedule new").callback(
        interaction, title="AI call", when="3 Dec 14:00 Geneva time | 90m"
    )
    (reply,) = interaction.messages
    assert reply.ephemeral
    assert reply.shown == (
        'The "when" option cannot contain |: on Discord each part has its own option '
        "(title, when, duration, attendees).\n"
        "For example: when: 3 Dec 14:00 Geneva time, duration: 90m"
    )


async def test_a_join_link_with_a_bar_in_the_title_option_is_taken_whole(
    connector, interact, chair, services
):
    """A Zoom link pasted in the title option was refused, "The title option cannot
    contain |", because of the `|` in its query string: that one is the link's."""
    link = "https://zoom.us/j/8123?pwd=Ab|Cd"
    interaction = interact(chair)
    await _slash(connector.tree, "schedule new").callback(
        interaction, title=f"AI call {link}", when="3 Dec 14:00 Geneva time"
    )
    (reply,) = interaction.messages
    assert "Scheduled m1: AI call" in reply.shown, reply.shown
    async with services.db.read() as conn:
        meeting = await meetings.by_code(conn, "m1")
    assert meeting is not None and meeting.join_url == link


async def test_a_code_fence_typed_in_a_line_does_not_swallow_the_minutes(
    connector, interact, member, chair
):
    # "#info run ``` first" opened a code block in the posted minutes that ran
    # on to the log's own fence: the rest of the minutes showed as raw code.
    channel = Channel()
    await _slash(connector.tree, "meeting start").callback(
        interact(chair, channel_id=channel.id), title="Tools ``` call"
    )
    await connector.on_message(_line("#info run ``` first", member, channel))
    await connector.on_message(_line("#action Ana Member to fix ``` by friday", member, channel))
    ended = interact(chair, channel_id=channel.id)
    await _slash(connector.tree, "meeting end").callback(ended)
    (embed,) = ended.messages[0].embeds
    assert embed.description.count("```") == 2  # the log's fence, opened and closed
    assert embed.description.rstrip().endswith("```")
    assert "- INFO run ''' first (Ana Member)" in embed.description
    assert "Ana Member to fix ''' by friday" in embed.description


async def test_a_move_or_cancellation_is_headed_once_with_the_meeting_id(
    connector, interact, chair
):
    # The embed read "Moved: AI call" and, under it, "Moved: m1 AI call" again.
    await _slash(connector.tree, "schedule new").callback(
        interact(chair), title="AI call", when="3 Dec 14:00 Geneva time"
    )
    for path, options, heading in [
        ("reschedule", {"when": "4 Dec 15:00 Geneva time"}, "Moved: m1 AI call"),
        ("cancel", {}, "Cancelled: m1 AI call"),
    ]:
        interaction = interact(chair)
        await _slash(connector.tree, path).callback(interaction, meeting="m1", **options)
        (embed,) = interaction.messages[0].embeds
        assert embed.title == heading
        assert embed.description.startswith("UTC: ")


async def test_the_topic_and_undo_answers_name_the_member_picked(
    connector, interact, member, chair
):
    # The channel read "Topic: Report by @222" and "Removed your #agreed: @222 ...".
    channel = Channel()
    await _slash(connector.tree, "meeting start").callback(
        interact(chair, channel_id=channel.id), title="AI call"
    )
    for text in (f"#topic Report by <@{chair.id}>", f"#agreed <@{chair.id}> chairs", "#undo"):
        await connector.on_message(_line(text, chair, channel))
    assert [posted.content for posted in channel.sent] == [
        "Topic: Report by @Carla Chair",
        "Removed your #agreed: @Carla Chair chairs",
    ]


async def test_a_masked_link_typed_in_a_line_is_not_a_link_in_the_minutes(
    connector, interact, member, chair
):
    # "#info see [www.itu.int](https://elsewhere.example)" showed in the bot's minutes
    # as a link reading www.itu.int that led elsewhere.
    channel = Channel()
    await _slash(connector.tree, "meeting start").callback(
        interact(chair, channel_id=channel.id), title="Links call"
    )
    typed = "#info see [www.itu.int](https://elsewhere.example/login) now"
    await connector.on_message(_line(typed, member, channel))
    ended = interact(chair, channel_id=channel.id)
    await _slash(connector.tree, "meeting end").callback(ended)
    (embed,) = ended.messages[0].embeds
    assert "- INFO see \\[www.itu.int](https://elsewhere.example/login) now" in embed.description
    before_log = embed.description.split("```")[0]
    assert re.search(r"(?<!\\)\[[^\]]*\]\(", before_log) is None  # no masked link
    assert f"Ana Member: {typed}\n```" in embed.description  # the log, as typed


MASKED_LINK = re.compile(r"(?<!\\)\[[^\]]*\]\(")


async def test_a_masked_link_typed_anywhere_is_never_a_link_under_the_bots_name(
    connector, interact, member, chair
):
    # "/action [www.itu.int](https://elsewhere.example/login)" was answered, and listed
    # by /actions, with a link reading www.itu.int that led elsewhere; so were a
    # meeting's title and a /cancel reason.
    typed = "[www.itu.int](https://elsewhere.example/login)"
    recorded = interact(member)
    await _slash(connector.tree, "action").callback(recorded, text=f"read {typed} by Friday")
    listed = interact(member)
    await _slash(connector.tree, "actions").callback(listed, filter="open")
    channel = Channel()
    started = interact(chair, channel_id=channel.id)
    await _slash(connector.tree, "meeting start").callback(started, title=f"Links {typed}")
    await connector.on_message(_line(f"#topic {typed}", chair, channel))
    shown = [reply.messages[0].shown for reply in (recorded, listed, started)]
    shown += [posted.content for posted in channel.sent]
    for text in shown:
        assert "\\[www.itu.int](https://elsewhere.example/login)" in text
        assert MASKED_LINK.search(text) is None, text


def _gateway_edit(message_id: int, text: str, author: User, channel: Channel) -> dict:
    """A MESSAGE_UPDATE as Discord's gateway sends it: the whole message, as edited."""
    user = {"id": str(author.id), "username": author.display_name.lower().replace(" ", "."),
            "discriminator": "0", "global_name": author.display_name, "avatar": None}  # fmt: skip
    return {"id": str(message_id), "channel_id": str(channel.id), "guild_id": "77",
            "content": text, "author": user, "mentions": [], "mention_roles": [],
            "attachments": [], "embeds": [], "tts": False, "mention_everyone": False,
            "pinned": False, "type": 0, "timestamp": "2026-11-23T08:00:00+00:00",
            "edited_timestamp": "2026-11-23T08:01:00+00:00"}  # fmt: skip


async def _from_gateway(connector, event: str, data: dict) -> None:
    """Hand an event to discord.py as its gateway would, and wait for the client's
    listeners it schedules (the raw ones: the message may not be in the cache)."""
    client = connector.client
    await client._async_setup_hook()  # what logging in does first: the client's loop
    getattr(client._connection, f"parse_{event}")(data)
    await asyncio.gather(
        *(task for task in asyncio.all_tasks() if task.get_name().startswith("discord.py: on_raw"))
    )


async def test_an_edited_or_deleted_line_reads_in_the_minutes_as_in_discord(
    connector, interact, member, chair
):
    """'#action ... teh report', corrected in Discord, kept the typo in the minutes and
    /actions; a deleted line stayed in the log. The bot says nothing about either."""
    channel = Channel()
    await _slash(connector.tree, "meeting start").callback(
        interact(chair, channel_id=channel.id), title="AI call"
    )
    said = [
        _line(f"#action <@{chair.id}> to send teh report", member, channel),
        _line("#info an aside", member, channel),
        _line("#idea purged by a moderator", member, channel),
        _line("the Beijing figures are in", member, channel),
    ]
    for message in said:
        await connector.on_message(message)
    sent = len(channel.sent)
    fixed = f"#action <@{member.id}> to send the report by Friday"
    edit = _gateway_edit(said[0].id, fixed, member, channel)
    await _from_gateway(connector, "message_update", edit)
    await _from_gateway(connector, "message_update", edit)  # the same again: no change
    await _from_gateway(
        connector,
        "message_update",
        _gateway_edit(said[3].id, "#info the Beijing figures are in", member, channel),
    )
    await _from_gateway(
        connector, "message_delete", {"id": str(said[1].id), "channel_id": "555", "guild_id": "77"}
    )
    await _from_gateway(
        connector,
        "message_delete_bulk",
        {"ids": [str(said[2].id), "1"], "channel_id": "555", "guild_id": "77"},
    )
    assert len(channel.sent) == sent

    listed = interact(member)
    await _slash(connector.tree, "actions").callback(listed, filter="open")
    shown = listed.messages[0].shown
    assert "A1 @Ana Member to send the report by Friday — Ana Member, due Fri 27 Nov 2026" in shown
    ended = interact(chair, channel_id=channel.id)
    await _slash(connector.tree, "meeting end").callback(ended)
    minutes = ended.messages[0].shown
    assert "teh" not in minutes and "aside" not in minutes and "purged" not in minutes
    assert "Ana Member: #action @Ana Member to send the report by Friday" in minutes
    assert "INFO the Beijing figures are in" in minutes


async def test_meetings_lists_mine_or_a_days_and_explains_a_word_it_cannot_place(
    connector, interact, member, chair
):
    # "/meetings mine" and "/meetings today" answered: There is no meeting "mine".
    for title, when in [("AI call", "23 Nov 15:00"), ("Gender", "3 Dec 14:00")]:
        await _slash(connector.tree, "schedule new").callback(
            interact(chair), title=title, when=when, attendees="jane@example.org"
        )

    async def listed(user: User, asked: str) -> str:
        interaction = interact(user)
        await _slash(connector.tree, "meetings").callback(interaction, meeting=asked)
        return interaction.messages[0].shown

    today = await listed(member, "today")
    assert today.startswith("Meetings on Monday 23 November 2026 (Europe/Zurich time)")
    assert "m1 · Mon 23 Nov 2026 15:00 (UTC+1) · AI call" in today and "Gender" not in today
    assert "Gender" in await listed(member, "next week")
    assert "AI call" not in await listed(member, "next week")
    mine = await listed(chair, "mine")
    assert mine.startswith("Your upcoming meetings") and "AI call" in mine and "Gender" in mine
    assert await listed(member, "mine") == (
        "No upcoming meeting you organise or are invited to. All upcoming meetings: /meetings"
    )
    odd = await listed(member, "budgets")
    assert odd.startswith('"budgets" is no meeting I know, nor a day ahead I can read.')
    assert "For example: /meetings meeting: today" in odd


async def test_a_replys_hints_name_the_commands_as_typed_on_discord(connector, interact, chair):
    # "/reschedule m1 | <when>" under a new meeting, "/schedule <title> | during TSAG" under
    # a session: the text form, which Discord's options refuse, and a /sessions it lacks.
    scheduled = interact(chair)
    await _slash(connector.tree, "schedule new").callback(
        scheduled, title="AI call", when="3 Dec 14:00", attendees="jane@example.org"
    )
    assert scheduled.messages[0].embeds[-1].footer.text == (
        "/invite meeting: m1 · /reschedule meeting: m1 when: <when> · /cancel meeting: m1"
    )
    added = interact(chair)
    await _slash(connector.tree, "sessions add").callback(
        added, arguments="TSAG 19 Jan 2027 to 23 Jan 2027"
    )
    assert added.messages[0].shown.endswith(
        "See /sessions list; schedule around it with /schedule new title: <title> when: during TSAG"
    )
    listed = interact(chair)
    await _slash(connector.tree, "meetings").callback(listed)
    assert listed.messages[0].embeds[-1].footer.text == (
        "Details and answers: /meetings meeting: <id> · calendar file: /invite meeting: <id>"
    )


async def test_a_bar_typed_in_the_last_option_is_explained_too(connector, interact, chair):
    # Attendees typed "jane@example.org | li@example.org" answered "/schedule takes at most
    # four parts separated by |", parts and bars Discord never showed.
    interaction = interact(chair)
    await _slash(connector.tree, "schedule new").callback(
        interaction,
        title="AI call",
        when="3 Dec 14:00 Geneva time",
        attendees="jane@example.org | li@example.org",
    )
    (reply,) = interaction.messages
    assert reply.ephemeral
    assert reply.shown == (
        'The "attendees" option cannot contain |: on Discord each part has its own option '
        "(title, when, duration, attendees), and a | in one is read as the start of another.\n"
        "For example: attendees: jane@example.org, li@example.org"
    )
    cancelled = interact(chair)
    await _slash(connector.tree, "cancel").callback(
        cancelled, meeting="m9", reason="clashes | TSAG"
    )
    assert 'There is no meeting "m9"' in cancelled.messages[0].shown  # a reason may hold one
