"""Meeting mail as it leaves the bot: /schedule, /reschedule and /cancel, read off the wire.

Attendees get iMIP (RFC 6047): text, HTML and the calendar as alternatives,
the calendar again as invite.ics. The list gets an announcement: text and
HTML with the times in the members' main zones, a PUBLISH calendar, the feed.
"""

from __future__ import annotations

from email.message import EmailMessage

from icalendar import Calendar

from bot.htmltext import html_to_text
from bot.mailpolicy import starts_with_command_word
from tests.conftest import CHAIR
from tests.mail.conftest import BOT, LIST, Received

TITLE = "Help & <b>support</b>"
SCHEDULE = f"/schedule {TITLE} | 3 Dec 14:00 Geneva time | 60m | Fabio Bigi, jane@example.org, list"
FEED = "https://iscg.example.org/calendar.ics"


def by_recipient(sent: list[Received]) -> dict[str, EmailMessage]:
    return {received.rcpt_tos[0]: received.message for received in sent}


def parts(message: EmailMessage) -> tuple[list[EmailMessage], EmailMessage]:
    """The alternatives and the invite.ics attachment of a multipart/mixed meeting mail."""
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert attachment.get_filename() == "invite.ics"
    return alternative.get_payload(), attachment


def event_of(part: EmailMessage, method: str) -> Calendar:
    """The one event of a calendar part whose METHOD says what its Content-Type says."""
    calendar = Calendar.from_ical(part.get_content())
    assert str(calendar["METHOD"]) == method == part.get_param("method")
    assert part.get_param("charset") == "UTF-8"
    [event] = calendar.walk("VEVENT")
    return event


def assert_personal(message: EmailMessage, address: str, method: str) -> Calendar:
    """iMIP to one attendee: plain, escaped HTML, calendar; the same calendar attached."""
    assert message["To"] == address
    assert message["Auto-Submitted"] == "auto-generated" and message["X-Loop"] == BOT
    alternatives, attachment = parts(message)
    plain, html, inline = alternatives
    assert [p.get_content_type() for p in alternatives] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    assert TITLE in plain.get_content()
    assert "Help &amp; &lt;b&gt;support&lt;/b&gt;" in html.get_content()
    assert "<b>" not in html.get_content()
    event = event_of(inline, method)
    assert event == event_of(attachment, method)
    assert str(event["SUMMARY"]) == TITLE
    return event


def assert_list_safe(message: EmailMessage) -> None:
    """No text part opens with a word a list server holds as an administrative request."""
    texts = [p for p in message.walk() if p.get_content_maintype() == "text"]
    for part in texts:
        if part.get_content_subtype() == "plain":
            assert not starts_with_command_word(part.get_content())
        elif part.get_content_subtype() == "html":
            assert not starts_with_command_word(html_to_text(part.get_content()))


async def test_schedule_invites_each_attendee_with_imip(ask, mailbot):
    assert not (await ask(SCHEDULE, who=CHAIR)).error
    sent = by_recipient(await mailbot.deliver())
    assert set(sent) == {"fabio.bigi@virgilio.it", "jane@example.org", LIST}
    for address in ("fabio.bigi@virgilio.it", "jane@example.org"):
        event = assert_personal(sent[address], address, "REQUEST")
        assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"
    # Each attendee reads the time in their own zone.
    assert "Rome (Fabio Bigi)" in parts(sent["fabio.bigi@virgilio.it"])[0][0].get_content()


async def test_the_list_gets_an_announcement_in_the_members_main_zones(ask, mailbot, services):
    services.settings.web_url = "https://iscg.example.org"
    for member in ("console:aiko", "console:kenji"):
        await ask("/timezone Asia/Tokyo", who=member)
    assert not (await ask(SCHEDULE, who=CHAIR)).error
    message = by_recipient(await mailbot.deliver())[LIST]
    assert message["To"] == LIST and message["Auto-Submitted"] == "auto-generated"
    alternatives, attachment = parts(message)
    assert [p.get_content_type() for p in alternatives] == ["text/plain", "text/html"]
    plain, html = (p.get_content() for p in alternatives)
    for text in (plain, html):
        assert "UTC: Thu 3 Dec 2026 13:00" in text and "(UTC+0)" not in text
        assert "Geneva: Thu 3 Dec 2026 14:00 (UTC+1)" in text
        assert "Tokyo: Thu 3 Dec 2026 22:00 (UTC+9)" in text  # the zone most members set
        assert "Europe/Rome" not in text  # an attendee's zone, not the membership's
        assert FEED in text and "webcal://iscg.example.org/calendar.ics" in text
    assert "Help &amp; &lt;b&gt;support&lt;/b&gt;" in html and "<b>" not in html
    event = event_of(attachment, "PUBLISH")
    assert str(event["SUMMARY"]) == TITLE and "ATTENDEE" not in event
    assert_list_safe(message)


async def test_the_announcement_shows_the_zone_slack_members_live_in(ask, mailbot, services):
    """Members in New Delhi known only on Slack (no /timezone): the list read the time in
    the seeded members' zones, not theirs."""
    for member in ("U0ANA", "U0RAVI", "U0LEE"):
        await services.context_for(
            f"slack:{member}", member, "slack:C1", platform_zone="Asia/Kolkata"
        )
    assert not (await ask(SCHEDULE, who=CHAIR)).error
    plain, _html = (p.get_content() for p in parts(by_recipient(await mailbot.deliver())[LIST])[0])
    assert "Delhi: Thu 3 Dec 2026 18:30 (UTC+5:30)" in plain


async def test_no_feed_link_without_a_public_address(ask, mailbot, services):
    services.settings.web_url = "https://iscg.example.org"
    services.settings.web_public = False  # the link would need the key: not for the list
    await ask(SCHEDULE, who=CHAIR)
    services.settings.web_url = None
    await ask("/reschedule m1 | 4 Dec 15:00 CET", who=CHAIR)
    sent = await mailbot.deliver()
    assert [r.rcpt_tos for r in sent].count([LIST]) == 2  # the announcement, then the update
    for received in sent:
        assert "calendar.ics" not in received.raw.decode("utf-8", "replace")


async def test_updates_and_cancellations_say_so_in_every_part(ask, mailbot, services):
    services.settings.chairs = [*services.settings.chairs, "console:subscribe"]
    assert not (await ask(SCHEDULE, who="console:subscribe")).error
    await mailbot.deliver()
    assert not (await ask("/reschedule m1 | 4 Dec 15:00 CET", who="console:subscribe")).error
    moved = by_recipient(await mailbot.deliver())
    event = assert_personal(moved["jane@example.org"], "jane@example.org", "REQUEST")
    assert event["SEQUENCE"] == 1 and event.decoded("DTSTART").hour == 15
    assert "(it was Thu 3 Dec 2026 14:00 (UTC+1) Geneva)" in parts(moved[LIST])[0][0].get_content()
    assert not (await ask("/cancel m1 | sign-off moved", who="console:subscribe")).error
    cancelled = by_recipient(await mailbot.deliver())
    event = assert_personal(cancelled["jane@example.org"], "jane@example.org", "CANCEL")
    assert event["SEQUENCE"] == 2 and str(event["STATUS"]) == "CANCELLED"
    listed = event_of(parts(cancelled[LIST])[1], "PUBLISH")
    assert str(listed["STATUS"]) == "CANCELLED"
    # The organizer's name opens every text: a list server must not hold "subscribe ...".
    assert_list_safe(moved[LIST])
    assert_list_safe(cancelled[LIST])
    assert parts(cancelled[LIST])[0][0].get_content().startswith("ISCG assistant: subscribe")


async def test_an_update_gives_the_time_in_the_zone_an_attendee_set_since(ask, mailbot):
    """Fabio (known, in Rome) and Jane (invited by address) set their zones after the
    invitation: the update and the reminder give them the time where they are now."""
    assert not (await ask(SCHEDULE, who=CHAIR)).error
    await mailbot.deliver()
    for who, zone in (
        ("email:jane@example.org", "Asia/Shanghai"),
        ("email:fabio.bigi@virgilio.it", "America/Mexico_City"),
    ):
        assert not (await ask(f"/timezone {zone}", who=who)).error
    assert not (await ask("/reschedule m1 | 4 Dec 15:00 CET", who=CHAIR)).error
    moved = by_recipient(await mailbot.deliver())
    jane = parts(moved["jane@example.org"])[0][0].get_content()
    assert "Beijing (jane): Fri 4 Dec 2026 22:00 (UTC+8)" in jane, jane
    fabio = parts(moved["fabio.bigi@virgilio.it"])[0][0].get_content()
    assert "Mexico City (Fabio Bigi): Fri 4 Dec 2026 08:00 (UTC-6)" in fabio, fabio


async def test_an_attendee_whose_zone_is_unknown_is_not_given_genevas(ask, mailbot):
    """Ana, invited by address and with no zone the bot knows, read in her invitation
    'Europe/Zurich (ana): Thu 3 Dec 2026 14:00', as if Geneva were where she is, and so
    did the chair's reply. Her invitation now gives UTC and Geneva only; Li Wei, whose
    zone is known, still reads his own time."""
    assert not (await ask("/timezone Asia/Shanghai", who="email:li.wei@example.cn")).error
    reply = await ask(
        "/schedule Sync | 3 Dec 14:00 Geneva time | 60m | ana@example.mx, li.wei@example.cn",
        who=CHAIR,
    )
    assert not reply.error, reply.text
    assert "(ana)" not in reply.text and "Beijing (li.wei" in reply.text, reply.text
    sent = by_recipient(await mailbot.deliver())
    ana = parts(sent["ana@example.mx"])[0][0].get_content()
    assert "Geneva: Thu 3 Dec 2026 14:00 (UTC+1)" in ana
    assert "Europe/Zurich" not in ana, ana
    li = parts(sent["li.wei@example.cn"])[0][0].get_content()
    assert "Thu 3 Dec 2026 21:00 (UTC+8)" in li and "Beijing (li.wei" in li, li
