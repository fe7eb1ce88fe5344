"""The command tree built from the registry, and slash commands run as Discord would."""

from __future__ import annotations

import asyncio
from typing import Literal

import discord
import pytest
from discord import app_commands
from pydantic import Field

from bot import choices
from bot.core import Args, Registry, Reply, UserError
from bot.handlers import discord as discord_handler
from bot.handlers.discord import IscgClient, build_tree, options_text, slash_path
from storage import people

from .conftest import Members, User, _Refused, temporary_command


def _command(tree: app_commands.CommandTree, path: str) -> app_commands.Command:
    words = path.split(" ")
    found = tree.get_command(words[0])
    for word in words[1:]:
        found = found.get_command(word)  # type: ignore[union-attr]
    assert isinstance(found, app_commands.Command), path
    return found


def _fresh_tree(connector) -> app_commands.CommandTree:
    """The tree again, after a test registered its own commands."""
    client = IscgClient(connector, message_content=False)
    return build_tree(client, connector.services.registry)


def _options(command: app_commands.Command) -> dict[str, dict]:
    tree = app_commands.CommandTree(IscgClient(None, message_content=False))
    return {option["name"]: option for option in command.to_dict(tree)["options"]}


def test_every_registry_command_is_an_application_command(connector, services):
    registry = services.registry
    for name in registry.commands:
        command = _command(connector.tree, " ".join(slash_path(registry, name)))
        assert command.description == registry.commands[name].summary[:100]
    who = _options(_command(connector.tree, "who-coordinates"))
    assert who["theme"]["type"] == discord.AppCommandOptionType.string.value
    assert who["theme"]["required"] is True
    assert who["theme"]["autocomplete"] is True
    assert who["theme"]["description"] == "the theme, e.g. accessibility"
    sector = _options(_command(connector.tree, "set-focal-point"))["sector"]
    assert [c["value"] for c in sector["choices"]] == ["ITU-R", "ITU-T", "ITU-D", "GS"]
    assert _options(_command(connector.tree, "themes"))["filter"]["required"] is False


class RichArgs(Args):
    title: str = Field(description="What the meeting is about")
    when: str = Field(description="A date or window, as text")
    minutes: int = Field(60, description="Length in minutes")
    owner: str = Field("", json_schema_extra={"kind": choices.MEMBER})
    format: Literal["online", "hybrid"] = "online"


async def _nothing(ctx, args) -> Reply:
    return Reply(text="")


def test_option_types_descriptions_groups_and_the_bare_command():
    registry = Registry()
    handler = _nothing
    registry.command(
        "plan",
        args=RichArgs,
        help="Plan a meeting.",
        examples=["/plan Budget review | next week | 90"],
    )(handler)
    registry.command("plan add", help="Add to a plan.")(handler)
    registry.command("meeting start", help="Open minutes.")(handler)
    registry.command("meeting end", help="Close minutes.")(handler)
    tree = build_tree(IscgClient(None, message_content=False), registry)

    assert {c.name for c in tree.get_commands()} == {"plan", "meeting"}
    assert slash_path(registry, "plan") == ("plan", "new")  # it has required arguments
    options = _options(_command(tree, "plan new"))
    assert list(options) == ["title", "when", "minutes", "owner", "format"]  # required first
    assert options["title"]["description"] == "What the meeting is about, e.g. Budget review"
    assert options["minutes"]["type"] == discord.AppCommandOptionType.integer.value
    assert options["minutes"]["required"] is False
    assert options["owner"]["type"] == discord.AppCommandOptionType.user.value
    assert [c["value"] for c in options["format"]["choices"]] == ["online", "hybrid"]
    assert _command(tree, "plan add").description == "Add to a plan."
    assert {c.name for c in tree.get_command("meeting").commands} == {"start", "end"}


def test_a_bare_command_without_required_arguments_becomes_list():
    registry = Registry()
    registry.command("sessions", help="Sessions.")(_nothing)
    registry.command("sessions add", help="Add one.")(_nothing)
    assert slash_path(registry, "sessions") == ("sessions", "list")


def test_options_join_back_into_the_text_the_registry_parses(services):
    for command in services.registry.commands.values():
        for example in command.examples:
            rest = discord_handler._command_rest(command, example)
            if rest is None:
                continue
            raw = command.args.from_text(rest)
            if discord_handler._pipe_friendly(command):
                values = {k: str(v) for k, v in raw.items()}
            else:  # its own grammar: one free-text option carries the text as typed
                values = {discord_handler.FREE_TEXT: rest}
            text = options_text(command, values)
            again = command.args.model_validate(command.args.from_text(text))
            assert again == command.args.model_validate(raw), example


def test_a_value_with_spaces_is_not_split_into_words():
    class Two(Args):
        theme: str
        person: str = ""

    registry = Registry()
    registry.command("two", args=Two, help="Two.")(_nothing)
    command = registry.commands["two"]
    assert Two.from_text(options_text(command, {"theme": "climate change"})) == {
        "theme": "climate change"
    }
    with pytest.raises(UserError, match="cannot contain"):
        options_text(command, {"theme": "a | b", "person": "x"})


def test_a_model_with_its_own_grammar_gets_one_free_text_option():
    class ActionArgs(Args):
        text: str
        due: str = ""

        @classmethod
        def from_text(cls, text: str) -> dict[str, str]:
            body, _, due = text.partition(" by ")
            return {"text": body.strip(), "due": due.strip()} if due else {"text": text.strip()}

    registry = Registry()
    registry.command(
        "act",
        args=ActionArgs,
        help="Record an action.",
        usage="<text> [by <date>]",
        examples=["/act send the draft by friday"],
    )(_nothing)
    tree = build_tree(IscgClient(None, message_content=False), registry)
    options = _options(_command(tree, "act"))
    assert list(options) == ["arguments"]
    assert options["arguments"]["required"] is True
    assert (
        options["arguments"]["description"] == "<text> [by <date>], e.g. send the draft by friday"
    )


async def test_who_coordinates_accessibility_answers_with_an_embed(connector, interact, member):
    interaction = interact(member)
    await _command(connector.tree, "who-coordinates").callback(interaction, theme="accessibility")
    (message,) = interaction.messages
    assert message.how == "response"
    assert message.ephemeral  # a personal answer: only the asker sees it
    (embed,) = message.embeds
    assert embed.title == "Accessibility: who coordinates"
    names = [f.name for f in embed.fields]
    assert names[0].startswith("Coordinator")
    assert "Focal point, ITU-T" in names
    assert embed.footer.text.startswith("Source: ISCG progress report to TDAG")
    assert message.pings_nobody
    assert "iscg@itu.int" in message.shown


async def test_a_users_mistake_is_an_ephemeral_error_with_an_example(connector, interact, member):
    interaction = interact(member)
    await _command(connector.tree, "who-coordinates").callback(interaction, theme="zzqqxx")
    (message,) = interaction.messages
    assert message.ephemeral
    assert 'I know no theme called "zzqqxx"' in message.shown
    assert "Type /themes" in message.shown


async def test_a_role_is_checked_for_the_person_on_discord(connector, interact, member, chair):
    asked = interact(member)
    await _command(connector.tree, "set-coordinator").callback(
        asked, theme="accessibility", person="Jane Doe <jane@example.org> TSAG"
    )
    assert "needs the chair or secretariat role" in asked.messages[0].shown
    assert asked.messages[0].ephemeral
    done = interact(chair)
    await _command(connector.tree, "set-coordinator").callback(
        done, theme="accessibility", person="Jane Doe <jane@example.org> TSAG"
    )
    assert "Recorded Jane Doe" in done.messages[0].shown
    assert not done.messages[0].ephemeral  # a change the channel should see


async def test_timezone_is_set_on_discord_and_geneva_is_the_default(connector, interact, member):
    first = interact(member)
    await _command(connector.tree, "timezone").callback(first)
    assert "Europe/Zurich (the group's default" in first.messages[0].shown
    assert "(UTC+1)" in first.messages[0].shown
    second = interact(member)
    await _command(connector.tree, "timezone").callback(second, zone="America/Mexico_City")
    assert "now America/Mexico_City" in second.messages[0].shown


async def test_theme_autocomplete_offers_the_best_names_and_aliases(connector, interact, member):
    command = _command(connector.tree, "who-coordinates")
    complete = command._params["theme"].autocomplete
    found = await complete(interact(member), "acces")
    assert found[0].value == "Accessibility"
    by_alias = await complete(interact(member), "a11y")
    assert by_alias[0] == app_commands.Choice(name="a11y (Accessibility)", value="a11y")
    everything = await complete(interact(member), "")
    assert len(everything) == 25
    assert all(len(choice.name) <= 100 for choice in everything)


async def test_zone_autocomplete(connector, interact, member):
    complete = _command(connector.tree, "timezone")._params["zone"].autocomplete
    assert "America/Mexico_City" in [c.value for c in await complete(interact(member), "mexico")]
    (geneva,) = await complete(interact(member), "")
    assert geneva.value == "Europe/Zurich"


async def test_zone_autocomplete_offers_the_zone_of_the_city_typed_first(
    connector, interact, member
):
    """/timezone reads "Geneva" or "Beijing" as a city; the menu offered Africa/Ndjamena and
    Africa/Abidjan for them, and picked, the member was put in the wrong zone."""
    complete = _command(connector.tree, "timezone")._params["zone"].autocomplete
    cities = [("geneva", "Europe/Zurich"), ("Beijing", "Asia/Shanghai"),
              ("new york", "America/New_York"), ("Nairobi", "Africa/Nairobi")]  # fmt: skip
    for typed, zone in cities:
        found = await complete(interact(member), typed)
        assert found[0].value == zone, (typed, [c.value for c in found])
        assert typed.lower() in found[0].name.lower()
        assert len(found) <= 25 and all(1 <= len(c.name) <= 100 for c in found)
    geneva = await complete(interact(member), "Geneva")
    assert geneva[0].name == "Geneva (Europe/Zurich)"


async def test_an_action_given_in_a_slash_command_to_a_picked_member_is_theirs_by_name(
    connector, interact, member
):
    """`/action text: @Bob to send the slides` sends Bob as <@333>; Bob never wrote to the
    bot, so the owner was an unknown "@333 (?)"; the server names him."""
    bob = User(333, "Bob Okafor")
    interaction = interact(member)
    interaction.guild = Members(bob)
    await _command(connector.tree, "action").callback(
        interaction, text="<@333> to send the slides by Friday"
    )
    (answer,) = interaction.messages
    assert answer.shown.startswith("Recorded A1: @Bob Okafor to send the slides by Friday")
    assert "Owners: Bob Okafor; due Fri 27 Nov 2026." in answer.shown
    unknown = interact(member)  # someone the server does not know: kept as typed, flagged
    await _command(connector.tree, "action").callback(unknown, text="<@444> to check the room")
    assert "I know no one called @444" in unknown.messages[0].shown


async def test_another_server_is_shown_neither_answers_nor_the_groups_actions(
    connector, services, interact, member, chair
):
    """With DISCORD_GUILD_ID set, a command typed in another server the bot is in was
    refused, but its menus listed the group's action items, owners and all."""
    recorded = interact(chair)
    await _command(connector.tree, "action").callback(
        recorded, text="Carla Chair to send the budget figures by Friday"
    )
    services.settings.discord_guild_id = 77
    done = _command(connector.tree, "done")
    assert await done._params["ref"].autocomplete(interact(member), "")  # the group's server
    elsewhere = interact(member, guild_id=5)
    assert await done._params["ref"].autocomplete(elsewhere, "") == []
    asked = interact(member, guild_id=5)
    await _command(connector.tree, "actions").callback(asked, filter="open")
    (refused,) = asked.messages
    assert refused.ephemeral and "serves another server" in refused.shown


async def test_direct_messages_are_served_to_members_of_the_groups_server_only(
    connector, services, interact, member, chair, monkeypatch
):
    """With DISCORD_GUILD_ID set, anyone sharing any server with the bot could ask it
    directly for '/actions open' and read the group's action items, owners and all (a
    direct message has no server to check). Now only members of the group's server are
    answered there; Discord is asked once about each, not at every keystroke."""
    recorded = interact(chair)
    await _command(connector.tree, "action").callback(
        recorded, text="Carla Chair to send the budget figures by Friday"
    )
    services.settings.discord_guild_id = 77
    group = Members(member, chair)
    monkeypatch.setattr(connector.client, "get_guild", {77: group}.get)
    stranger = User(999, "Someone Elsewhere")
    asked = interact(stranger, guild_id=None)
    await _command(connector.tree, "actions").callback(asked, filter="open")
    (refused,) = asked.messages
    assert refused.ephemeral and "serves another server" in refused.shown
    done = _command(connector.tree, "done")
    assert await done._params["ref"].autocomplete(interact(stranger, guild_id=None), "") == []
    own = interact(member, guild_id=None)
    await _command(connector.tree, "actions").callback(own, filter="open")
    assert "budget figures" in own.messages[0].shown, own.messages[0].shown
    assert await done._params["ref"].autocomplete(interact(member, guild_id=None), "b")
    assert group.fetched == [stranger.id, member.id]


async def test_a_member_is_not_refused_for_ten_minutes_when_discord_could_not_say(
    connector, services, interact, member, monkeypatch
):
    """Discord answering 503 (or 429) to 'is this a member?' was taken as 'no', and kept
    for ten minutes: a member's direct messages were refused all that while, and then
    still told 'This bot serves another server' for the one Discord could not check."""
    services.settings.discord_guild_id = 77

    class Busy(Members):
        async def fetch_member(self, user_id: int) -> User:
            if not self.fetched:
                self.fetched.append(user_id)
                raise discord.DiscordServerError(_Refused(503), "Service Unavailable")
            return await super().fetch_member(user_id)

    group = Busy(member)
    monkeypatch.setattr(connector.client, "get_guild", {77: group}.get)
    first = interact(member, guild_id=None)
    await _command(connector.tree, "actions").callback(first, filter="open")
    # This time it could not tell: not told they are no member, but to try again.
    assert "serves another server" not in first.messages[0].shown
    assert "could not tell me just now" in first.messages[0].shown
    again = interact(member, guild_id=None)
    await _command(connector.tree, "actions").callback(again, filter="open")
    assert "serves another server" not in again.messages[0].shown
    assert group.fetched == [member.id, member.id]


async def test_meeting_ids_autocomplete_from_a_registered_provider(
    connector, services, interact, member
):
    class MeetingArg(Args):
        meeting: str = Field(json_schema_extra={"kind": "dmeeting"})

    @choices.provider("dmeeting")
    async def upcoming(ctx, current):
        assert ctx.identity == f"discord:{member.id}"
        return [
            choices.Choice(f"#{n} Budget review {n}", str(n))
            for n in range(1, 40)
            if current in str(n)
        ]

    try:
        with temporary_command(
            services.registry,
            "dinvite",
            lambda ctx, a: Reply(text=f"invite {a.meeting}"),
            args=MeetingArg,
        ):
            tree = _fresh_tree(connector)
            command = _command(tree, "dinvite")
            assert _options(command)["meeting"]["autocomplete"] is True
            found = await command._params["meeting"].autocomplete(interact(member), "1")
            assert [c.value for c in found][:3] == ["1", "10", "11"]
            assert len(await command._params["meeting"].autocomplete(interact(member), "")) == 25
    finally:
        del choices.PROVIDERS["dmeeting"]


async def test_a_slow_command_defers_then_follows_up(connector, services, interact, member):
    with temporary_command(
        services.registry,
        "dslow",
        Reply(text="Digest sent.", public=True),
        slow=True,
        changes_state=True,
    ):
        tree = _fresh_tree(connector)
        interaction = interact(member)
        await _command(tree, "dslow").callback(interaction)
    defer, followup = interaction.sent
    assert defer.how == "defer" and defer.kwargs == {"ephemeral": False, "thinking": True}
    assert followup.how == "followup" and followup.content == "Digest sent."
    assert not followup.ephemeral


async def test_a_deferred_reply_that_turns_out_personal_replaces_the_public_placeholder(
    connector, services, interact, member
):
    with temporary_command(
        services.registry, "dslow", Reply(text="Only for you."), slow=True, changes_state=True
    ):
        tree = _fresh_tree(connector)
        interaction = interact(member)
        await _command(tree, "dslow").callback(interaction)
    assert [s.how for s in interaction.sent] == ["defer", "delete", "followup"]
    assert interaction.sent[-1].ephemeral


async def test_a_command_that_runs_long_is_deferred_before_it_answers(
    connector, services, interact, member, monkeypatch
):
    monkeypatch.setattr(discord_handler, "DEFER_AFTER", 0)
    deferred = asyncio.Event()

    async def wait_for_defer(ctx, args):
        await deferred.wait()  # finishes only once Discord was told to wait
        return Reply(text="Here it is.")

    with temporary_command(services.registry, "dlong", wait_for_defer):
        tree = _fresh_tree(connector)
        interaction = interact(member)
        interaction.response.on_defer = deferred.set
        await _command(tree, "dlong").callback(interaction)
    assert [s.how for s in interaction.sent] == ["defer", "followup"]
    assert interaction.sent[0].kwargs["ephemeral"] is True


async def test_user_text_echoed_back_pings_nobody(connector, services, interact, member):
    class Say(Args):
        text: str

    with temporary_command(
        services.registry, "decho", lambda ctx, a: Reply(text=a.text, public=True), args=Say
    ):
        tree = _fresh_tree(connector)
        interaction = interact(member)
        await _command(tree, "decho").callback(interaction, text="@everyone @here <@&42> hi")
    (message,) = interaction.messages
    assert message.content == "@everyone @here <@&42> hi"
    assert message.pings_nobody


async def test_attachments_are_sent_as_files(connector, services, interact, member):
    from bot.core import Attachment

    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    reply = Reply(
        text="Invite",
        title="ISCG meeting",
        attachments=[Attachment("invite.ics", "text/calendar", ics)],
    )
    with temporary_command(services.registry, "dics", reply):
        tree = _fresh_tree(connector)
        interaction = interact(member)
        await _command(tree, "dics").callback(interaction)
    (message,) = interaction.messages
    (file,) = message.kwargs["files"]
    assert file.filename == "invite.ics"
    assert file.fp.read() == ics


async def test_a_bare_command_inside_a_group_runs_itself_not_its_subcommand(
    connector, services, interact, member
):
    class Filter(Args):
        filter: str = ""

    with (
        temporary_command(
            services.registry, "dsess", lambda ctx, a: Reply(text=f"list {a.filter}"), args=Filter
        ),
        temporary_command(services.registry, "dsess add", Reply(text="added")),
    ):
        tree = _fresh_tree(connector)
        interaction = interact(member)
        await _command(tree, "dsess list").callback(interaction, filter="add more")
    assert interaction.messages[0].content == "list add more"


async def test_a_slow_first_contact_is_deferred_too(connector, services, interact, monkeypatch):
    # Recording someone new waits for the database; when another change held it,
    # the interaction went unanswered for longer than Discord's 3 seconds.
    monkeypatch.setattr(discord_handler, "DEFER_AFTER", 0)
    deferred = asyncio.Event()
    first_contact = services.context_for

    async def waits_for_the_database(*args, **kwargs):
        await deferred.wait()  # the database is free only once Discord was told to wait
        return await first_contact(*args, **kwargs)

    monkeypatch.setattr(services, "context_for", waits_for_the_database)
    interaction = interact(User(333, "Noah New"))
    interaction.response.on_defer = deferred.set
    await asyncio.wait_for(
        _command(connector.tree, "themes").callback(interaction, filter="climate"), 10
    )
    assert [s.how for s in interaction.sent] == ["defer", "followup"]
    assert "Climate change" in interaction.sent[-1].shown


async def test_a_display_name_holding_invisible_characters_is_recorded_as_it_reads(
    connector, services, interact
):
    # "Fabio Bigi" with a word joiner inside reads as the chair's name but matched no
    # one's: a person of their own, shown under the chair's name in every list.
    user = User(333, "Fabio\u2060 Bigi\u200f")
    tree = _fresh_tree(connector)
    interaction = interact(user)
    await _command(tree, "action").callback(interaction, text="I will send the draft")
    (message,) = interaction.messages
    assert message.shown.startswith("Recorded A1"), message.shown
    async with services.db.read() as conn:
        person = await people.by_identity(conn, "discord:333")
    assert person is not None and person.name == "Fabio Bigi"


async def test_help_and_usage_show_the_commands_as_typed_on_discord(
    connector, interact, member, chair
):
    # On Discord /schedule is `/schedule new` with an option per part: help that taught
    # the text form's `|` (and names Discord does not have, /sessions) led nowhere.
    asked = interact(member)
    await _command(connector.tree, "help").callback(asked, command="schedule")
    shown = asked.messages[0].shown
    assert "Usage: /schedule new title: <title> when: <when> \\[duration: <duration>]" in shown
    assert "/schedule new title: ISCG coordination when: between RAG and TDAG" in shown
    assert "|" not in shown
    listed = interact(member)
    await _command(connector.tree, "help").callback(listed)
    assert "• /sessions list — Upcoming advisory-group" in listed.messages[0].shown
    assert "  " not in listed.messages[0].shown  # no columns padded in a proportional font
    assert "e.g. /help command: who-coordinates" in listed.messages[0].shown
    wrong = interact(chair)
    await _command(connector.tree, "reschedule").callback(wrong, meeting="m9", when="4 Dec 15:00")
    assert "For example: /reschedule meeting: m1 when: 4 Dec 15:00 Geneva time" in (
        wrong.messages[0].shown
    )


def test_each_option_says_what_to_type_in_the_usages_words(connector):
    # Discord shows an option's description under it as it is typed: /due's date read
    # "the text, e.g. Friday", /assign's owners "the text", /schedule's time "the when".
    def described(path: str, option: str) -> str:
        return _options(_command(connector.tree, path))[option]["description"]

    assert described("due", "text") == "the date, e.g. Friday"
    assert described("assign", "text") == "@person [@person ...], e.g. @jane"
    assert described("done", "text").startswith("[<id> ...] [note], e.g. ")
    assert described("actions", "filter") == "mine|open|overdue|done|@person|<theme>, e.g. overdue"
    assert described("reschedule", "when") == "the new date and time, e.g. 4 Dec 15:00 Geneva time"
    assert described("schedule new", "when").startswith("the date and time, or a window")
    assert described("who-coordinates", "theme") == "the theme, e.g. accessibility"
