"""The registry and dispatch: usage errors, unknown commands, questions, bad input."""

from __future__ import annotations

import dataclasses
from typing import Literal

import pytest

from bot.core import Args, Registry, Reply, Role
from tests.conftest import CHAIR


async def test_help_lists_every_command_and_one_command_usage(ask, services):
    reply = await ask("/help")
    for name in services.registry.commands:
        assert f"/{name}" in reply.text
    usage = await ask("/help who-coordinates")
    assert "Usage: /who-coordinates <theme>" in usage.text
    assert "Examples:" in usage.text


async def test_help_for_a_first_word_lists_the_commands_under_it(ask):
    reply = await ask("/help meeting")
    assert not reply.error
    assert reply.text.splitlines()[:3] == [
        "Commands under /meeting:",
        "  /meeting end    End the meeting running here: post its minutes and send them to the "
        "list.",
        "  /meeting start  Start taking minutes in this channel or thread; you chair the meeting.",
    ]
    assert "/digest preview" in (await ask("/help digest")).text


@pytest.mark.parametrize(
    ("word", "under"), [("sessions", "sessions add"), ("schedule", "schedule pick")]
)
async def test_help_for_a_command_also_lists_the_commands_under_its_name(ask, word, under):
    text = (await ask(f"/help {word}")).text
    assert text.startswith(f"Usage: /{word}")
    assert f"\n\nAlso under /{word}:\n  /{under}  " in text


async def test_help_for_a_command_that_needs_a_role_says_so(ask):
    assert "Needs the chair or secretariat role" in (await ask("/help set-coordinator")).text


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("/done", "The action id is missing.\nFor example: /done A12\n"),
        ("/due", "The action id is missing.\nFor example: /due A12 Friday\n"),
        (
            "/who-coordinates",
            "The theme is missing.\nFor example: /who-coordinates accessibility\n",
        ),
        (
            "/schedule pick two",
            'The slot number must be a whole number, not "two".\nFor example: /schedule pick 1\n',
        ),
    ],
)
async def test_bad_arguments_are_named_as_the_usage_names_them_with_an_example(ask, typed, said):
    reply = await ask(typed, who=CHAIR)
    assert reply.error
    assert reply.text.startswith(said), reply.text


async def test_arguments_to_a_command_that_takes_none_are_refused_in_a_sentence(ask):
    reply = await ask("/calendar please")
    assert reply.error
    assert reply.text.startswith("This command takes no arguments.\n\nUsage: /calendar\n")


async def test_a_choice_outside_the_list_says_the_choices_as_written(services, ask):
    class Pick(Args):
        sector: Literal["ITU-R", "ITU-T", "GS"]

    async def handler(ctx, args):
        return Reply(text=args.sector)

    services.registry.command(
        "pick-sector", args=Pick, help="x", usage="<sector>", examples=["/pick-sector GS"]
    )(handler)
    try:
        reply = await ask("/pick-sector ITU-X")
    finally:
        services.registry.remove("pick-sector")
    assert reply.text.startswith(
        'The sector must be ITU-R, ITU-T or GS, not "ITU-X".\nFor example: /pick-sector GS\n'
    )


@pytest.mark.parametrize(
    ("command", "also"),
    [
        ("schedule", "a coordinator of a theme the meeting invites"),
        ("reschedule", "the meeting's organiser"),
        ("cancel", "the meeting's organiser"),
    ],
)
async def test_help_names_everyone_a_command_is_open_to(ask, command, also):
    text = (await ask(f"/help {command}")).text
    assert f"\n\nNeeds the chair or secretariat role, or to be {also}." in text


async def test_a_refusal_names_everyone_the_command_is_open_to(ask):
    refused = await ask("/cancel m1")
    assert refused.error
    assert refused.text.startswith(
        "/cancel needs the chair or secretariat role, or to be the meeting's organiser; "
        "you are recorded as member."
    )


async def test_unknown_command_suggests(ask):
    reply = await ask("/who-coordinate accessibility")
    assert reply.error
    assert "There is no command /who-coordinate" in reply.text
    assert "Did you mean /who-coordinates" in reply.text
    assert "/help" in reply.text


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("/whocoordinates AI", "Did you mean /who-coordinates?"),  # not /minutes too
        ("/meting", "Did you mean /meetings or /meeting end?"),
        ("/halp", "Did you mean /help?"),
        ("/frobnicate now", None),  # nothing close: no guess
    ],
)
async def test_a_mistyped_command_is_offered_only_what_it_nearly_is(ask, typed, meant):
    reply = await ask(typed)
    assert reply.error and "Type /help for the list of commands." in reply.text
    guesses = [line for line in reply.text.splitlines() if line.startswith("Did you mean")]
    assert guesses == ([meant] if meant else [])


@pytest.mark.parametrize(
    ("question", "starts"),
    [
        ("who coordinates accessibility?", "Accessibility: who coordinates"),
        ("Who is the coordinator for AI", "Artificial Intelligence: who coordinates"),
        ("@iscg-bot who coordinates climate change?", "Climate change: who coordinates"),
        ("Hi, who coordinates AI? Thanks", "Artificial Intelligence: who coordinates"),
        ("And who coordinates accessibility?", "Accessibility: who coordinates"),
        ("Dear colleagues, who coordinates AI?", "Artificial Intelligence: who coordinates"),
        ("which study groups work on e-waste?", "Climate change"),
        ("what are the pilot themes?", 'Themes matching "pilot"'),
        ("who's the coordinator of gender?", "Gender: who coordinates"),
        ("Who’s the focal point for AI?", "Artificial Intelligence: who coordinates"),
        ("who handles accessibility?", "Accessibility: who coordinates"),
        ("who leads climate change?", "Climate change: who coordinates"),
        ("who coordinates: EMF", "Electromagnetic fields (EMF): who coordinates"),
        ("which SGs work on e-waste?", "Climate change"),
        ("what study groups are working on e-waste?", "Climate change"),
        ("show me the themes", "Themes of common interest"),
        ("help", "ISCG assistant"),
        ("When is the next ISCG meeting?", "No meeting is scheduled"),
        ("Are there any meetings coming up?", "No meeting is scheduled"),
        ("when's our next call?", "No meeting is scheduled"),
        ("What are my action items?", "Your open actions"),
        ("Do I have any open actions?", "Your open actions"),
        ("Show me my tasks please", "Your open actions"),
        ("Which actions are overdue?", "Overdue actions"),
        ("When is the next TSAG meeting?", "No upcoming session"),
        ("What are the upcoming advisory group sessions?", "No upcoming session"),
        ("What commands are there?", "Commands:"),
        ("How do I use this?", "Commands:"),
        ("¿Who coordinates AI?", "Artificial Intelligence: who coordinates"),
        ("what are my actions؟", "Your open actions"),
        ("Dear colleagues, ¿what are my action items?", "Your open actions"),
        ("¿Cuándo es la próxima reunión?", "No meeting is scheduled"),
        ("Hola, ¿cuáles son mis tareas pendientes?", "Your open actions"),
        ("Bonjour, quelles sont mes actions ?", "Your open actions"),
        ("Quand a lieu la prochaine réunion ?", "No meeting is scheduled"),
        ("Qui coordonne l'accessibilité ?", "Accessibility: who coordinates"),
        ("请问下次会议是什么时候？", "No meeting is scheduled"),
        ("我的行动项有哪些？", "Your open actions"),
        ("متى الاجتماع القادم؟", "No meeting is scheduled"),
        ("ما هي إجراءاتي؟", "Your open actions"),
        ("¿Qué puedes hacer?", "Commands:"),
        ("谢谢！请问下次会议是什么时候？", "No meeting is scheduled"),
        ("شكرا جزيلا، ما هي إجراءاتي؟", "Your open actions"),
        ("Pourriez-vous m'indiquer qui coordonne l'accessibilité ?", "Accessibility: who"),
        # Polite English as mail asks ("I could not place that question" before).
        ("Could you please tell me who coordinates accessibility?", "Accessibility: who"),
        ("I would like to know who coordinates accessibility.", "Accessibility: who"),
        ("Could you please let me know what are my action items?", "Your open actions"),
        ("Please tell me who coordinates accessibility?", "Accessibility: who"),
        ("Hello, please let me know what are my action items.", "Your open actions"),
        # A mail subject's label before the question.
        ("Quick question: who coordinates AI?", "Artificial Intelligence: who"),
        ("Question : qui coordonne l'accessibilité ?", "Accessibility: who"),
        ("Pregunta: ¿cuándo es la próxima reunión?", "No meeting is scheduled"),
        ("Вопрос: кто координирует доступность?", "Accessibility: who"),
        ("问题：下次会议是什么时候？", "No meeting is scheduled"),
        ("¿Podría decirme cuándo es la próxima reunión?", "No meeting is scheduled"),
        ("Quisiera saber cuáles son mis tareas pendientes", "Your open actions"),
    ],
)
async def test_plain_questions_route_to_commands(ask, question, starts):
    reply = await ask(question)
    assert reply.text.startswith(starts) or reply.title == starts, reply.text


async def test_which_study_groups_names_them(ask):
    reply = await ask("which study groups work on e-waste?")
    assert "Study Group 5 - Q7/5" in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "what will the weather be tomorrow in Geneva?",
        "Thank you for the list of meetings",
        "Thanks, my actions are done",
        "The next meeting went well",
    ],
)
async def test_question_it_cannot_place_gets_help_not_a_guess(ask, text):
    reply = await ask(text)
    assert reply.text.startswith("I could not place that question")
    assert "/who-coordinates" in reply.text


@pytest.mark.parametrize(
    ("typed", "starts"),
    [("／meetings", "No meeting is scheduled"), ("、actions mine", "Your open actions")],
)
async def test_a_command_typed_with_a_chinese_input_methods_slash_runs(ask, typed, starts):
    """A Chinese input method types the slash full-width ("／"), or as "、" in Chinese
    mode: the command got "I could not place that question"."""
    assert (await ask(typed)).text.startswith(starts)


async def test_input_over_4000_characters_is_refused(ask):
    reply = await ask("/who-coordinates " + "a" * 4100)
    assert reply.error
    assert "at most 4,000" in reply.text


async def test_control_characters_are_stripped(ask):
    reply = await ask("/who-coordinates access\x00ibi\x07lity\u202e")
    assert reply.text.startswith("Accessibility: who coordinates")


async def test_invisible_characters_are_stripped_where_text_enters(ask):
    # A byte-order mark (Windows mail clients open a body with it), a word joiner, an
    # invisible separator and an Arabic letter mark: none is seen, none may count.
    reply = await ask("\ufeff/who-coordinates access\u2060ibi\u2063lity\u061c")
    assert reply.text.startswith("Accessibility: who coordinates")
    action = await ask("/action @every\u2060one bring the agenda")
    assert action.text.splitlines() == [
        "Recorded A1: @\u2060everyone bring the agenda",  # the broadcast word, made inert
        "Owners: unassigned; no due date.",
    ]


async def test_joiners_that_shape_a_word_or_an_emoji_are_kept(ask):
    # Persian writes the zero-width non-joiner inside names; ZWJ joins a family emoji.
    name = "\u0632\u0647\u0631\u0627\u200c\u0633\u0627\u062f\u0627\u062a"
    reply = await ask(f"/set-coordinator accessibility | {name} <z@example.ir>", who=CHAIR)
    assert reply.text.startswith(f"Recorded {name} <z@example.ir> as coordinator")
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert f"Recorded A1: {family} picnic" in (await ask(f"/action {family} picnic")).text


async def test_unexpected_error_apologises_with_an_id_and_keeps_running(services, ask, caplog):
    async def broken(ctx, args):
        raise RuntimeError("boom")

    services.registry.command("explode", help="Break on purpose.")(broken)
    try:
        reply = await ask("/explode")
        assert reply.error
        assert "Sorry, something went wrong on my side (error id" in reply.text
        assert "Traceback" not in reply.text
        assert "boom" in caplog.text
        assert (await ask("/who-coordinates ai")).text.startswith("Artificial Intelligence")
    finally:
        services.registry.remove("explode")


def test_duplicate_command_name_is_an_error_at_start_up():
    registry = Registry()

    async def handler(ctx, args):
        return Reply(text="")

    registry.command("x", help="x")(handler)
    with pytest.raises(ValueError, match="two commands are named 'x'"):
        registry.command("x", help="again")(handler)


def test_a_question_remembered_is_asked_again_once_a_command_is_added_or_removed():
    registry = Registry()

    async def handler(ctx, args):
        return Reply(text="")

    registry.command("themes", help="x", phrasings=["which themes are there"])(handler)
    assert registry.match_question("Which themes are there?") == "themes"
    assert registry.match_question("what is new") is None
    registry.command("news", help="y", phrasings=["what is new"])(handler)
    assert registry.match_question("what is new") == "news"
    assert registry.match_question("Which themes are there?") == "themes"
    registry.remove("news")
    assert registry.match_question("what is new") is None


def test_a_phrasing_names_words_that_may_be_left_out_or_chosen_between():
    registry = Registry()

    async def handler(ctx, args):
        return Reply(text="")

    registry.command(
        "meetings", help="x", phrasings=["[list|show [me]] the [next] (meetings|calls)"]
    )(handler)
    for asked in ("the meetings", "Show me the next calls?", "list the calls", "show the meetings"):
        assert registry.match_question(asked) == "meetings", asked
    for asked in ("show methe meetings", "show the next", "the next next calls", "me the calls"):
        assert registry.match_question(asked) is None, asked


def test_arguments_split_on_pipes_and_quotes():
    class Two(Args):
        first: str
        second: str = ""

    assert Two.from_text('"Climate change" next week') == {
        "first": "Climate change",
        "second": "next week",
    }
    assert Two.from_text("a b | c d") == {"first": "a b", "second": "c d"}
    assert Two.from_text("12 thanks all") == {"first": "12", "second": "thanks all"}


async def test_roles_from_chairs_setting_and_identity_forms(services):
    ctx = await services.context_for("email:Chair@Example.org".lower(), "C", "console:main")
    assert ctx.role is Role.CHAIR
    other = await services.context_for("slack:U1", "Someone", "slack:C1")
    assert other.role is Role.MEMBER


async def test_a_message_without_proof_of_its_sender_changes_nothing_whoever_it_names(
    services,
):
    """A mail with no passing DKIM or DMARC result may carry a forged From: even a chair's
    address runs no command that changes what is stored, wherever the text came from.
    The mail flow refuses those first; this holds if a text slips past its reading."""
    chair = await services.context_for("email:chair@example.org", "Chair", "console:main")
    unproven = dataclasses.replace(chair, proven=False)
    change = "/set-coordinator accessibility | Eve <eve@evil.example> TSAG"
    refused = await services.ask(unproven, change)
    assert refused is not None and refused.error
    assert "does not prove who sent it" in refused.text
    # A list-only group has no chat to send anyone to; one with chat names what it runs.
    assert "Ask the secretariat (iscg@itu.int)." in refused.text and "Slack" not in refused.text
    services.settings.discord_token = "discord-token"
    named = await services.ask(unproven, change)
    assert named is not None and "Do it in Discord instead, or ask the secretariat" in named.text
    assert (
        "Coordinator: none recorded"
        in (await services.ask(chair, "/who-coordinates accessibility")).text
    )
    asked = await services.ask(unproven, "/who-coordinates accessibility")  # asking needs none
    assert asked is not None and not asked.error
    assert not (await services.ask(chair, change)).error  # the same, proven, is recorded


async def test_one_person_links_several_identities_by_email(services):
    from storage import people

    async with services.db.transaction() as conn:
        person = await people.ensure(conn, "email:jane@example.org", "Jane")
        await people.link_identity(conn, "slack:U9", person.id, "jane")
    ctx = await services.context_for("slack:U9", "jane", "slack:C1")
    assert ctx.person_id == person.id


async def test_timezone_is_set_and_validated(ask):
    reply = await ask("/timezone America/Mexico_City")
    assert "America/Mexico_City" in reply.text and "UTC-6" in reply.text
    shown = await ask("/timezone")
    assert "America/Mexico_City (yours)" in shown.text
    bad = await ask("/timezone Genva")
    assert bad.error and "Closest: Geneva (Europe/Zurich)" in bad.text
    assert "/timezone America/Mexico_City" in bad.text


async def test_timezone_takes_an_iana_name_typed_in_any_case_or_with_a_space(ask):
    """'/timezone europe/zurich' was "not a time zone I know. Closest: Europe/Zurich...";
    a name that differs from an IANA one only in its case, or a space for its `_`, is it."""
    for typed, zone in (
        ("europe/zurich", "Europe/Zurich"),
        ("AMERICA/NEW_YORK", "America/New_York"),
        ("America/Mexico City", "America/Mexico_City"),
        ("africa/nairobi", "Africa/Nairobi"),
    ):
        reply = await ask(f"/timezone {typed}")
        assert reply.text.startswith(f"Your time zone is now {zone}: it is "), reply.text


async def test_timezone_reads_a_city_as_schedule_does(ask):
    reply = await ask("/timezone Beijing")
    assert not reply.error, reply.text
    assert reply.text == (
        "Your time zone is now Asia/Shanghai (Beijing time): it is 16:00 there (UTC+8). "
        "Times will be shown in it."
    )
    assert "Asia/Shanghai (yours)" in (await ask("/timezone")).text


async def test_timezone_answers_an_offset_with_places_and_the_etc_zone_of_that_sign(ask):
    offset = await ask("/timezone UTC+8")
    assert offset.error
    assert "/timezone Beijing (Asia/Shanghai)" in offset.text
    assert "/timezone Etc/GMT-8 (UTC+8 all year round)" in offset.text
    assert "Etc/GMT+8" not in offset.text
    fixed = await ask("/timezone Etc/GMT-8")
    assert "it is 16:00 there (UTC+8)" in fixed.text
    # Typed for UTC+5, Etc/GMT+5 is UTC-5: the reply says so before anything is shown in it.
    reversed_sign = await ask("/timezone Etc/GMT+5")
    assert reversed_sign.text.startswith(
        "Your time zone is now Etc/GMT+5 (which is UTC-5: Etc/GMT signs are reversed)"
    )


async def test_timezone_refuses_an_ambiguous_abbreviation_as_schedule_does(ask):
    reply = await ask("/timezone CST")
    assert reply.error and "CST6CDT" not in reply.text
    assert '"CST" could mean China, Central (Mexico City or US' in reply.text
    assert "/timezone Beijing (Asia/Shanghai) or /timezone Mexico City" in reply.text
    assert "Your time zone is Europe/Zurich (the group's default" in (await ask("/timezone")).text
