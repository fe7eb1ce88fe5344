"""Buttons: they run their command as the clicker, with the clicker's role, until they expire."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import discord

from bot.core import Args, Button, Reply, Role
from bot.handlers.discord import CommandButton, IscgClient, build_tree

from .conftest import temporary_command

PROPOSALS = Reply(
    text="Proposed slots",
    title="Proposed slots",
    public=True,
    buttons=[Button("Pick 1", "dpick 1", "primary"), Button("Pick 2", "dpick 2")],
)


class Text(Args):
    text: str


def _buttons(view: discord.ui.View) -> list[CommandButton]:
    return [item for item in view.children if isinstance(item, CommandButton)]


@contextmanager
def _slots_and_pick(registry) -> Iterator[None]:
    with (
        temporary_command(registry, "dslots", PROPOSALS),
        temporary_command(registry, "dpick", Reply(text="Booked.", public=True), args=Text),
    ):
        yield


async def _proposals_message(connector, interact, user):
    tree = build_tree(IscgClient(connector, message_content=False), connector.services.registry)
    interaction = interact(user)
    await tree.get_command("dslots").callback(interaction)
    (message,) = interaction.messages
    return message


async def test_a_click_runs_the_command_as_the_clicker(
    connector, services, interact, member, chair
):
    picked = []
    with (
        temporary_command(services.registry, "dslots", PROPOSALS),
        temporary_command(
            services.registry,
            "dpick",
            lambda ctx, a: picked.append(ctx.identity) or Reply(text="Booked.", public=True),
            args=Text,
            role=Role.SECRETARIAT,
        ),
    ):
        message = await _proposals_message(connector, interact, chair)
        assert not message.ephemeral
        first, second = _buttons(message.kwargs["view"])
        assert (first.item.label, first.item.style) == ("Pick 1", discord.ButtonStyle.primary)
        assert second.item.style == discord.ButtonStyle.secondary
        assert re.fullmatch(r"iscg:\d+:dpick 1", first.custom_id)

        refused = interact(member)
        await first.callback(refused)
        (answer,) = refused.messages
        assert answer.ephemeral
        assert "/dpick needs the chair or secretariat role" in answer.shown
        assert picked == []

        accepted = interact(chair)
        await second.callback(accepted)
        assert accepted.messages[0].content == "Booked."
        assert picked == [f"discord:{chair.id}"]


async def test_a_button_still_works_after_a_restart(connector, services, interact, chair):
    with _slots_and_pick(services.registry):
        message = await _proposals_message(connector, interact, chair)
        sent = _buttons(message.kwargs["view"])[0]
        # After a restart discord.py rebuilds the item from the custom id alone.
        match = CommandButton.__discord_ui_compiled_template__.fullmatch(sent.custom_id)
        click = interact(chair)
        rebuilt = await CommandButton.from_custom_id(click, sent.item, match)
        await rebuilt.callback(click)
        assert click.messages[0].content == "Booked."


async def test_an_expired_button_says_so(connector, services, interact, chair, clock):
    with _slots_and_pick(services.registry):
        message = await _proposals_message(connector, interact, chair)
        button = _buttons(message.kwargs["view"])[0]
        clock.advance(days=8)
        late = interact(chair)
        await button.callback(late)
    (answer,) = late.messages
    assert answer.ephemeral
    assert answer.shown == "This button has expired. Type /dpick 1 instead."


async def test_a_button_whose_command_is_gone_says_so(connector, services, interact, chair):
    with temporary_command(services.registry, "dslots", PROPOSALS):
        message = await _proposals_message(connector, interact, chair)
    button = _buttons(message.kwargs["view"])[0]
    late = interact(chair)
    await button.callback(late)
    assert "This button has expired. Type the command again instead." in late.messages[0].shown


async def test_a_long_command_fits_the_custom_id_limit(connector, services, interact, chair):
    long = "dpick " + "x" * 120
    reply = Reply(text="One", public=True, buttons=[Button("Go", long)])
    with (
        temporary_command(services.registry, "dslots", reply),
        temporary_command(
            services.registry, "dpick", lambda ctx, a: Reply(text=f"ran {a.text[:3]}"), args=Text
        ),
    ):
        message = await _proposals_message(connector, interact, chair)
        (button,) = _buttons(message.kwargs["view"])
        assert len(button.custom_id) <= 100
        click = interact(chair)
        await button.callback(click)
        assert click.messages[0].content == "ran xxx"
