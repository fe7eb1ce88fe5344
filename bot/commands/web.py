"""/calendar: the links to subscribe to the calendar and to read the web pages."""

from __future__ import annotations

from bot import weblinks
from bot.core import Context, NoArgs, Reply, registry


@registry.command(
    "calendar",
    args=NoArgs,
    help="The link to subscribe to the ISCG calendar, and to the web pages.",
    examples=["/calendar"],
    phrasings=[
        "calendar link",
        "what is the calendar link",
        "where is the calendar",
        "how do i subscribe to the calendar",
        "how can i subscribe to the calendar",
        "subscribe to the calendar",
        "where is the web site",
        "what is the web site",
    ],
)
async def calendar(ctx: Context, _args: NoArgs) -> Reply:
    key = await weblinks.access_key(ctx.services)
    if key and ctx.platform == "email":
        # Anyone can write to the bot; a chat workspace is where membership is checked.
        chat = ctx.services.settings.chat_platforms
        return Reply(
            text="The calendar link carries the group's access key, so it is not sent by "
            "e-mail, where anyone can write to the assistant: "
            + (
                f"ask /calendar in the group's {chat}."
                if chat
                else "ask the secretariat (iscg@itu.int) for it."
            )
        )
    base = weblinks.base_url(ctx.services.settings)
    feed = weblinks.page_url(weblinks.FEED_PATH, key, base)
    lines = [
        "Subscribe to the ISCG calendar (meetings from 90 days back and all upcoming ones, "
        "advisory-group sessions as all-day events):",
        weblinks.webcal(feed),
        f"Calendar programs that ask for a URL take: {feed}",
        "",
        f"The web pages (directory, meetings, minutes): {weblinks.page_url('/', key, base)}",
    ]
    if key:
        lines += ["", "These links carry the group's access key: please do not post them publicly."]
    return Reply(text="\n".join(lines), title="ISCG calendar")
