"""The Block Kit renderer's limits and escaping, and the generated app manifest."""

from __future__ import annotations

import subprocess
import sys

import yaml

from bot.commands import load_all
from bot.core import Button, Field_, Reply, Section
from bot.handlers.slack_manifest import BUILT_IN, SCOPES, manifest, manifest_yaml
from bot.handlers.slack_render import (
    MAX_BLOCKS,
    MAX_FIELDS,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    plain_text,
    render,
    split_text,
)


def test_section_fields_become_columns_and_wide_fields_lines():
    reply = Reply.from_sections(
        "Accessibility",
        [
            Section(
                text="Who works on it",
                title="People",
                fields=[Field_(f"ITU-{i}", f"Person {i}") for i in range(12)]
                + [Field_("Note", "A long remark", inline=False)],
            )
        ],
        footer="Source: ISCG report 2025.txt",
    )
    (message,) = render(reply)
    kinds = [block["type"] for block in message.blocks]
    assert kinds == ["header", "section", "section", "section", "section", "context"]
    assert message.blocks[1]["text"]["text"] == "*People*\nWho works on it"
    assert len(message.blocks[2]["fields"]) == MAX_FIELDS
    assert message.blocks[2]["fields"][0]["text"] == "*ITU-0*\nPerson 0"
    assert len(message.blocks[3]["fields"]) == 2
    assert message.blocks[4]["text"]["text"] == "*Note*\nA long remark"
    assert message.blocks[5]["elements"][0]["text"] == "Source: ISCG report 2025.txt"
    assert message.text == reply.text


def test_user_text_is_escaped_before_the_bots_own_formatting():
    reply = Reply.from_sections(
        "x", [Section(text="a <!channel> & b", title="<@U1>", fields=[Field_("<!here>", "v")])]
    )
    (message,) = render(reply)
    assert message.blocks[1]["text"]["text"] == "*&lt;@U1&gt;*\na &lt;!channel&gt; &amp; b"
    assert message.blocks[2]["fields"][0]["text"] == "*&lt;!here&gt;*\nv"
    assert "<!" not in message.text


def test_long_text_is_split_at_line_ends_within_the_section_limit():
    lines = [f"line {i} " + "x" * 90 for i in range(100)]
    pieces = split_text("\n".join(lines))
    assert all(len(piece) <= MAX_SECTION_TEXT for piece in pieces)
    assert "\n".join(pieces).split("\n") == lines
    assert split_text("y" * 7000) == ["y" * 3000, "y" * 3000, "y" * 1000]


def test_more_than_fifty_blocks_become_several_messages_buttons_last():
    sections = [Section(text=f"item {i}") for i in range(120)]
    reply = Reply.from_sections("T" * 200, sections, buttons=[Button("Go", "help", "danger")])
    messages = render(reply)
    assert [len(m.blocks) for m in messages] == [MAX_BLOCKS, MAX_BLOCKS, 22]
    assert len(messages[0].blocks[0]["text"]["text"]) == MAX_HEADER_TEXT
    button = messages[-1].blocks[-1]["elements"][0]
    assert button["value"] == "help" and button["style"] == "danger"
    assert messages[1].text.startswith("item 49")


def test_a_long_heading_is_cut_before_its_count():
    title = "Actions of the meeting on " + "very " * 40 + "long titles"
    reply = Reply(text=f"{title} (12):\nA1 Send it", title=title)
    header = render(reply)[0].blocks[0]["text"]["text"]
    assert len(header) == MAX_HEADER_TEXT
    assert header.startswith("Actions of the meeting on very") and header.endswith("… (12)")


def test_plain_reply_and_the_one_permitted_mention():
    (message,) = render(Reply(text="Done <!here>"), mention="U7")
    assert message.text == "<@U7> Done &lt;!here&gt;"
    assert [b["text"]["text"] for b in message.blocks] == ["<@U7>", "Done &lt;!here&gt;"]


def test_slack_markup_typed_by_people_becomes_plain_text():
    typed = "<@U1> see <#C2|general>, <https://itu.int|ITU> &amp; <mailto:a@b.org|a@b.org> <!here>"
    assert plain_text(typed) == "<@U1> see #general, ITU (https://itu.int) & a@b.org @here"


def test_manifest_has_every_command_the_scopes_and_events():
    registry = load_all()
    data = manifest(registry)
    commands = {c["command"]: c for c in data["features"]["slash_commands"]}
    for name in registry.top_level():
        if name not in BUILT_IN:
            assert commands[f"/{name}"]["description"]
    assert "/iscg" in commands
    assert commands["/who-coordinates"]["usage_hint"] == "<theme>"
    assert data["settings"]["socket_mode_enabled"] is True
    needed = {"commands", "chat:write", "files:write", "users:read", "app_mentions:read"}
    assert set(data["oauth_config"]["scopes"]["bot"]) >= needed
    assert "app_mention" in data["settings"]["event_subscriptions"]["bot_events"]
    assert data["settings"]["interactivity"]["is_enabled"] is True


def test_manifest_for_http_mode_points_everything_at_slack_events():
    text = manifest_yaml(load_all(), url="https://iscg.example.org/")
    data = yaml.safe_load(text)
    url = "https://iscg.example.org/slack/events"
    assert data["settings"]["socket_mode_enabled"] is False
    assert data["settings"]["event_subscriptions"]["request_url"] == url
    assert data["settings"]["interactivity"]["request_url"] == url
    assert {c["url"] for c in data["features"]["slash_commands"]} == {url}
    assert "- users:read  # " + SCOPES["users:read"] in text


def test_multi_word_commands_share_one_slash_command(tmp_path):
    from bot.core import Args, Registry

    registry = Registry()

    async def handler(ctx, args):  # pragma: no cover - never run
        raise AssertionError

    registry.command("sessions", help="Upcoming sessions.")(handler)
    registry.command("sessions add", args=Args, help="Add one.", usage="<group> <days>")(handler)
    registry.command("meeting start", help="Open minutes.", usage="[<meeting>]")(handler)
    registry.command("meeting end", help="Close minutes.")(handler)
    registry.command("invite", help="The .ics.", usage="<meeting>")(handler)
    commands = {c["command"]: c for c in manifest(registry)["features"]["slash_commands"]}
    assert commands["/sessions"]["usage_hint"] == "add <group> <days>"
    assert (
        commands["/meeting"]["description"]
        == "meeting start: Open minutes.; meeting end: Close minutes."
    )
    assert commands["/meeting"]["usage_hint"] == "start [<meeting>] · end"
    assert "/invite" not in commands  # Slack's own; reached as /iscg invite
    assert "/iscg invite" in manifest_yaml(registry)


def test_cli_prints_the_manifest(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "slack-manifest", "--url", "https://bot.example.org"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    assert data["features"]["bot_user"]["display_name"] == "iscg-bot"


def test_a_title_and_its_count_make_the_header_and_nothing_hangs_under_it():
    listing = Reply(
        text="Your open actions (2):\nA1 Send it\nA2 Book a room", title="Your open actions"
    )
    slots = Reply(text="Proposed slots: 1. Tue 1 Dec 14:00", title="Proposed slots")
    minutes = Reply(text="Minutes of the call", title="Minutes")  # not a heading: kept whole
    alone = Reply(text="ISCG meeting", title="ISCG meeting ")
    two_lines = Reply(text="Call on\nAI\nTue 1 Dec", title="Call on\nAI")
    replies = (listing, slots, minutes, alone, two_lines)
    shown = [[block["text"]["text"] for block in render(r)[0].blocks] for r in replies]
    assert shown == [
        ["Your open actions (2)", "A1 Send it\nA2 Book a room"],
        ["Proposed slots", "1. Tue 1 Dec 14:00"],
        ["Minutes", "Minutes of the call"],
        ["ISCG meeting "],  # once, not again under it
        ["Call on\nAI", "Tue 1 Dec"],  # the title not repeated under it
    ]


def test_slash_commands_receive_mentions_as_user_ids():
    """Unescaped, Slack sends '@jdoe' (a legacy username the bot cannot tie to anyone)
    for a person picked in a slash command; escaped, '<@U123|jdoe>', which it can."""
    commands = manifest(load_all())["features"]["slash_commands"]
    assert {c["command"]: c["should_escape"] for c in commands} == {
        c["command"]: True for c in commands
    }
