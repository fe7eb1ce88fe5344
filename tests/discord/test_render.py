"""Replies split before Discord's limits, in order, nothing lost."""

from __future__ import annotations

from bot.core import Field_, Reply, Section
from bot.handlers.discord_render import (
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    render,
    split_text,
)


def _within_limits(messages) -> None:
    for message in messages:
        assert len(message.content or "") <= CONTENT_LIMIT
        for embed in message.embeds:
            assert len(embed) <= EMBED_TOTAL_LIMIT
            assert len(embed.description or "") <= DESCRIPTION_LIMIT
            assert len(embed.fields) <= FIELD_COUNT_LIMIT
            assert all(len(f.value) <= FIELD_VALUE_LIMIT for f in embed.fields)


def _all_text(messages) -> str:
    parts = []
    for message in messages:
        parts.append(message.content or "")
        for embed in message.embeds:
            parts.append(embed.description or "")
            parts += [f.value for f in embed.fields]
    return "\n".join(parts)


def test_long_minutes_become_several_embeds_in_order():
    lines = [f"{n:03d} #agreed item {n} " + "word " * 12 for n in range(400)]
    actions = [Field_(f"Action {n}", f"Owner {n}: send the draft " * 3, False) for n in range(60)]
    reply = Reply.from_sections(
        "Minutes: ISCG electronic meeting",
        [Section(title="Log", text="\n".join(lines)), Section(text="", fields=actions)],
        footer="Minutes kept by the ISCG assistant",
        public=True,
    )
    messages = render(reply)
    _within_limits(messages)
    assert len(messages) > 4
    assert messages[0].embeds[0].title == "Minutes: ISCG electronic meeting"
    assert messages[1].embeds[0].title == "Minutes: ISCG electronic meeting (continued)"
    assert messages[-1].embeds[0].footer.text == "Minutes kept by the ISCG assistant"
    assert all(m.embeds[0].footer.text is None for m in messages[:-1])
    text = _all_text(messages)
    positions = [text.index(f"{n:03d} #agreed") for n in range(400)]
    assert positions == sorted(positions)  # every line, in order
    names = [f.name for m in messages for e in m.embeds for f in e.fields]
    assert [n for n in names if n.startswith("Action")] == [f"Action {n}" for n in range(60)]


def test_a_long_theme_list_fills_descriptions_then_continues():
    sections = [
        Section(
            title=f"Category {c} (40)",
            text="\n".join(f"• {c}.{n} A theme with a fairly long name" for n in range(40)),
        )
        for c in range(12)
    ]
    messages = render(Reply.from_sections("Themes of common interest", sections))
    _within_limits(messages)
    assert len(messages) >= 3
    text = _all_text(messages)
    for c in range(12):
        assert f"**Category {c} (40)**" in text
        assert f"• {c}.39 A theme" in text


async def test_the_real_theme_list_renders(ask):
    reply = await ask("/themes")
    messages = render(reply)
    _within_limits(messages)
    assert "Accessibility" in _all_text(messages)


def test_a_long_field_value_is_continued_in_another_field():
    value = "\n".join(f"Person {n} <p{n}@example.org>" for n in range(200))
    messages = render(Reply.from_sections("People", [Section("", fields=[Field_("All", value)])]))
    _within_limits(messages)
    names = [f.name for m in messages for e in m.embeds for f in e.fields]
    assert names[0] == "All" and names[1] == "All (continued)"


def test_plain_text_is_split_under_2000_characters_at_line_ends():
    text = "\n".join(f"line {n} " + "x" * 50 for n in range(100))
    messages = render(Reply(text=text))
    assert [m.embeds for m in messages] == [[]] * len(messages)
    assert len(messages) == 3
    assert all(len(m.content) <= CONTENT_LIMIT for m in messages)
    assert "\n".join(m.content for m in messages) == text


def test_text_fallback_of_a_structured_reply():
    reply = Reply.from_sections("Title", [Section(text="Body")], footer="Source: doc")
    (message,) = render(reply, rich=False)
    assert message.content == "Title\n\nBody\n\nSource: doc"
    assert message.embeds == []


def test_a_mention_opens_the_content_and_never_sits_in_an_embed():
    (message,) = render(Reply(text="Reminder", title="Action 4 is due"), mention="<@42>")
    assert message.content == "<@42>"
    (plain,) = render(Reply(text="Reminder"), mention="<@42>")
    assert plain.content == "<@42> Reminder"


def test_split_text_cuts_a_word_longer_than_the_limit():
    assert split_text("a" * 25, 10) == ["a" * 10, "a" * 10, "a" * 5]
    assert split_text("", 10) == [""]


def test_a_title_and_its_count_make_the_embed_title_and_nothing_hangs_under_it():
    reply = Reply(
        text="Your open actions (2):\nA1 Send it\nA2 Book a room", title="Your open actions"
    )
    [message] = render(reply)
    [embed] = message.embeds
    assert (embed.title, embed.description) == (
        "Your open actions (2)",
        "A1 Send it\nA2 Book a room",
    )


def test_a_long_embed_title_is_cut_before_its_count():
    title = "Actions of the meeting on " + "very " * 60 + "long titles"
    [message] = render(Reply(text=f"{title} (12):\nA1 Send it", title=title))
    [embed] = message.embeds
    assert len(embed.title) == TITLE_LIMIT and embed.title.endswith("… (12)")
