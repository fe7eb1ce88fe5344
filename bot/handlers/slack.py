"""Slack: every registry command as a slash command, buttons, mentions, meeting lines.

Socket Mode when `SLACK_APP_TOKEN` is set (no public URL needed), otherwise
HTTP mode: Slack posts to `/slack/events` on the bot's web server and
slack-bolt checks the signature with `SLACK_SIGNING_SECRET` (a request that
is unsigned, badly signed or older than five minutes gets 401).

Bolt runs with `process_before_response=True`: each listener acks itself,
and anything that could outlast Slack's three seconds runs in a task this
connector tracks, answering through `respond()` or the Web API. A command
that answers within `ack_budget` seconds is answered in the ack itself, the
cheapest path; one declared `slow`, or one that overruns, acks empty first.

Where the bot speaks: a slash command or button answer is ephemeral unless
the Reply is `public`; errors are always ephemeral. An @-mention is a
question asked in public, so its answer goes in a thread under it (errors
still only to the asker); a direct message is answered in the DM.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    async_default_handlers,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import ConfigError, Settings
from bot.core import (
    Attachment,
    MessageDeleted,
    MessageEdited,
    Reply,
    error_reply,
    new_error_id,
)
from bot.handlers.base import Connector, DeliveryError, InFlight
from bot.handlers.slack_render import RUN_ACTION, SLACK_FORM, SlackMessage, plain_text, render
from bot.mentions import PLATFORM_MENTION
from bot.outgoing import reply_from_payload
from bot.services import Services
from storage import seen
from storage.outbox import OutboxRow

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
ALIAS_COMMAND = "iscg"  # `/iscg <command ...>` for workspaces where a name is taken
PEOPLE_TTL = 3600.0  # seconds a users.info answer (name, zone) is trusted
PROFILE_ZONE_FROM = "your Slack profile"  # where /timezone says a zone from users.info comes from
SHUTDOWN_GRACE = 10.0  # seconds answers under way get to finish on shutdown
# The `message` subtypes of an edit and a deletion, which records made from the message follow.
CHANGES = ("message_changed", "message_deleted")
# How long an event id is remembered to drop Slack's re-deliveries: Slack retries three
# times, the last about five minutes on; a day also covers a bot restarted in between.
SEEN_FOR = dt.timedelta(days=1)
SEEN_PRUNE_EVERY = 3600.0  # seconds between forgetting the event ids older than that
# How long this process remembers an event id in memory, to drop a retry before it acks:
# longer than Slack's retries go on.
CLAIMED_FOR = 900.0
# Slack does not keep a message's events in order: an edit or deletion made at once may
# come before the message. One of a message said this many seconds before it is kept
# for the message, which is then taken as it reads by then (or, deleted, not at all).
OVERTAKEN_FOR = 600.0
RATE_LIMIT_RETRIES = 3  # times a Web API call answered 429 is tried again, after Retry-After
# The longest Retry-After waited out in the call; a longer one fails the call (an outbox
# row is tried again later), or Slack's pass would hold every reminder behind it.
RATE_LIMIT_WAIT = 30
# Web API errors that retrying cannot fix.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
    }
)


def where(channel: str, thread_ts: str | None = None) -> str:
    """The bot's channel id: a thread is a place of its own (its own meeting)."""
    return f"slack:{channel}/{thread_ts}" if thread_ts else f"slack:{channel}"


def api_base_url(url: str | None) -> str:
    """slack_sdk joins method names onto the base URL, which must end in a slash."""
    return (url or AsyncWebClient.BASE_URL).rstrip("/") + "/"


class _ShortRateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """Waits out a 429's Retry-After up to `RATE_LIMIT_WAIT` seconds, not longer.

    slack_sdk's handler sleeps whatever Slack says, up to `RATE_LIMIT_RETRIES`
    times in a row: a minute's limit held the Slack outbox (every reminder and
    invitation queued behind the row) for minutes, an hour's for hours.
    """

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        said = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), None)
        try:
            wait = int((said or ["1"])[0])
        except ValueError:
            return False
        return wait <= RATE_LIMIT_WAIT


def retry_handlers() -> list[AsyncRetryHandler]:
    """slack_sdk's defaults, and waiting out a 429's short Retry-After.

    Slack allows about one message a second in a channel and answers faster
    posting with 429; without this, the answer to a mention was lost, and a
    long post in several messages failed half-way and was sent again whole.
    """
    return [
        *async_default_handlers(),
        _ShortRateLimitRetry(max_retry_count=RATE_LIMIT_RETRIES),
    ]


class SlackConnector(Connector):
    name = "slack"
    platform = "slack"
    ack_budget = 2.0  # seconds a command may take to be answered in the ack itself

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.services: Services = app.services
        self.services.registry.use_form(self.platform, SLACK_FORM)
        self.bolt: AsyncApp | None = None
        self.client: AsyncWebClient | None = None
        self.bot_user_id: str | None = None
        self.socket: AsyncSocketModeHandler | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._people: dict[str, tuple[float, str, str | None]] = {}
        self._hearing = InFlight()
        # Edits (the message as it then read) and deletions (None) that came before their
        # message, by key, with when they came (monotonic).
        self._overtaken: dict[str, tuple[float, dict[str, Any] | None]] = {}
        self._claimed: dict[str, float] = {}  # event ids taken, oldest first, with when
        self._prune_at = 0.0  # when old event ids are next forgotten (monotonic)

    @classmethod
    def configured(cls, settings: Settings) -> bool:
        return bool(
            settings.slack_bot_token and (settings.slack_app_token or settings.slack_signing_secret)
        )

    @classmethod
    def requirement(cls) -> str:
        return (
            "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP mode), "
            "or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode)"
        )

    @property
    def socket_mode(self) -> bool:
        return bool(self.services.settings.slack_app_token)

    # -- lifecycle -------------------------------------------------------

    async def connect(self) -> None:
        settings = self.services.settings
        self._session = aiohttp.ClientSession()
        self.client = AsyncWebClient(
            token=settings.slack_bot_token,
            base_url=api_base_url(settings.slack_api_url),
            session=self._session,
            retry_handlers=retry_handlers(),
        )
        try:
            auth = await self.client.auth_test()
        except SlackApiError as exc:  # a bad token stops start-up with one line
            await self._session.close()
            raise ConfigError(
                f"setting SLACK_BOT_TOKEN: Slack refused it ({exc.response.get('error')})"
            ) from None
        self.bot_user_id = auth.get("user_id")
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=not self.socket_mode,
            process_before_response=True,
            logger=logging.getLogger(f"{__name__}.bolt"),
        )
        self._register(self.bolt)
        if self.socket_mode:
            self.socket = AsyncSocketModeHandler(self.bolt, settings.slack_app_token)
            await self.socket.connect_async()
            log.info("slack: Socket Mode, as %s", auth.get("user"))
        else:
            self.app.web.router.add_post(EVENTS_PATH, self.http_endpoint)
            log.info("slack: HTTP mode on %s, as %s", EVENTS_PATH, auth.get("user"))

    async def listen(self) -> None:
        await asyncio.Event().wait()  # bolt and the web server do the listening

    async def disconnect(self) -> None:
        if self.socket is not None:
            await self.socket.close_async()
        if self._tasks:  # let answers under way finish, but do not hang the shutdown
            _, stuck = await asyncio.wait(list(self._tasks), timeout=SHUTDOWN_GRACE)
            for task in stuck:
                task.cancel()
            await asyncio.gather(*stuck, return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    async def idle(self) -> None:
        """Wait for the work started by requests already acknowledged."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def http_endpoint(self, request: web.Request) -> web.Response:
        assert self.bolt is not None
        response = await self.bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("slack: background work failed", exc_info=task.exception())

    def _register(self, bolt: AsyncApp) -> None:
        bolt.use(self._drop_redeliveries)
        for name in [*self.services.registry.top_level(), ALIAS_COMMAND]:
            bolt.command(f"/{name}")(self._on_command)
        bolt.action(re.compile(f"^{RUN_ACTION}:"))(self._on_button)
        bolt.event("app_mention")(self._on_mention)
        bolt.event("message")(self._on_message)

    async def _drop_redeliveries(
        self, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Ack an event this process has taken already (a retry after a slow ack, a double
        delivery) and stop; the database, which also knows those handled before a
        restart, is asked after the ack (`_once`), so that the ack never waits for it."""
        event_id = body.get("event_id")
        if event_id and not self._claim(event_id):
            return BoltResponse(status=200, body="")
        await next()
        return None

    def _claim(self, event_id: str) -> bool:
        """True the first time this process is given the event, False for its retries.

        Without a wait, so two deliveries of one event cannot both pass; ids are kept
        while Slack may still retry, forgotten oldest first.
        """
        now = time.monotonic()
        while self._claimed and now - next(iter(self._claimed.values())) > CLAIMED_FOR:
            self._claimed.pop(next(iter(self._claimed)))
        if event_id in self._claimed:
            return False
        self._claimed[event_id] = now
        return True

    def _spawn_once(
        self, body: dict[str, Any], work: Coroutine[Any, Any, Any]
    ) -> asyncio.Task[Any]:
        """Do an event's work in the background unless it was done before a restart."""
        return self._spawn(self._once(body.get("event_id"), work))

    async def _once(self, event_id: str | None, work: Coroutine[Any, Any, Any]) -> None:
        if event_id and not await self._first_time(f"slack:event:{event_id}"):
            work.close()
            return
        await work

    async def _first_time(self, key: str) -> bool:
        """Record the event as handled; False if it was already. Those older than
        `SEEN_FOR` are forgotten every `SEEN_PRUNE_EVERY`, in the same write."""
        now = self.services.now()
        async with self.services.db.transaction() as conn:
            first = await seen.first_time(conn, key, now)
            if time.monotonic() >= self._prune_at:
                await seen.forget_before(conn, now - SEEN_FOR)
                self._prune_at = time.monotonic() + SEEN_PRUNE_EVERY
        return first

    # -- who is speaking -------------------------------------------------

    async def _person(self, client: AsyncWebClient, user_id: str) -> tuple[str, str | None]:
        """Display name and time zone from users.info, cached for an hour."""
        cached = self._people.get(user_id)
        if cached and time.monotonic() - cached[0] < PEOPLE_TTL:
            return cached[1], cached[2]
        try:
            user = (await client.users_info(user=user_id))["user"]
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("slack: users.info for %s failed: %s", user_id, exc)
            return user_id, None
        profile = user.get("profile", {})
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or user_id
        )
        self._people[user_id] = (time.monotonic(), name, user.get("tz"))
        return name, user.get("tz")

    async def _ask(
        self,
        client: AsyncWebClient,
        user_id: str,
        place: str,
        text: str,
        *,
        addressed: bool = True,
        message_id: str | None = None,
    ) -> Reply | None:
        """Run text as the Slack user, in the place; never raises."""
        try:
            if addressed or text.startswith("#"):  # not chat the bot only overhears
                await self._meet_mentioned(client, text)
            name, zone = await self._person(client, user_id)
            ctx = await self.services.context_for(
                f"slack:{user_id}",
                name,
                place,
                message_id=message_id,
                platform_zone=zone,
                zone_from=PROFILE_ZONE_FROM,
            )
            reply = await self.services.ask(ctx, text, addressed=addressed)
        except Exception:
            error_id = new_error_id()
            log.exception("slack: error %s answering %r from %s", error_id, text[:200], user_id)
            return error_reply(
                f"Sorry, something went wrong on my side (error id {error_id}). "
                "Please try again later or tell the secretariat (iscg@itu.int)."
            )
        self.app.notify_outbox()
        return reply

    async def _meet_mentioned(self, client: AsyncWebClient, text: str) -> None:
        """Record, under their Slack names and zones, the people `<@U...>` mentions in the text.

        A mention picked from Slack's menu is that person beyond doubt, so an
        action or a co-chair given to someone who never spoke to the bot is
        theirs, not a name kept as unknown. Someone users.info cannot name
        stays unknown.
        """
        for user_id in dict.fromkeys(PLATFORM_MENTION.findall(text)):
            if user_id == self.bot_user_id:
                continue
            name, zone = await self._person(client, user_id)
            if name != user_id:
                await self.services.meet(
                    f"slack:{user_id}", name, platform_zone=zone, zone_from=PROFILE_ZONE_FROM
                )

    async def _answer(self, client: AsyncWebClient, user_id: str, place: str, text: str) -> Reply:
        """A command's answer; a line a meeting only recorded still gets a word back."""
        return await self._ask(client, user_id, place, text) or Reply(text="(recorded)")

    def _command_text(self, command: str, text: str) -> str:
        """`/sessions` + `add RAG ...` -> `/sessions add RAG ...`; `/iscg` takes any command."""
        text = plain_text(text).strip()
        if command.lstrip("/") != ALIAS_COMMAND:
            return f"{command} {text}".strip()
        found, _ = self.services.registry.find(text.lstrip("/"))
        return "/" + text.lstrip("/") if found is not None else text

    # -- slash commands --------------------------------------------------

    async def _on_command(
        self, ack: Any, body: dict[str, Any], respond: Any, client: AsyncWebClient
    ) -> None:
        text = self._command_text(body["command"], body.get("text", ""))
        command, _ = self.services.registry.find(text.lstrip("/"))
        user, channel = body["user_id"], body["channel_id"]
        work = self._spawn(self._answer(client, user, where(channel), text))
        if command is None or not command.slow:
            await asyncio.wait({work}, timeout=self.ack_budget)
        if work.done():
            reply = work.result()
            first, *rest = render(reply)
            await ack(response_type=_response_type(reply), **first.as_kwargs())
            if rest or reply.attachments:
                self._spawn(self._follow_up(client, respond, reply, rest, user, channel))
            return
        await ack()
        self._spawn(self._answer_later(work, client, respond, user, channel))

    async def _answer_later(
        self,
        work: asyncio.Task[Reply],
        client: AsyncWebClient,
        respond: Any,
        user: str,
        channel: str,
    ) -> None:
        reply = await work
        await self._follow_up(client, respond, reply, render(reply), user, channel)

    async def _follow_up(
        self,
        client: AsyncWebClient,
        respond: Any,
        reply: Reply,
        messages: list[SlackMessage],
        user: str,
        channel: str,
        thread_ts: str | None = None,
    ) -> None:
        """The rest of an answer through the response_url, then its files."""
        for message in messages:
            await respond(
                response_type=_response_type(reply), replace_original=False, **message.as_kwargs()
            )
        if reply.attachments:
            problem = await self._share_files(
                client, reply.attachments, _public(reply), user, channel, thread_ts
            )
            if problem:
                await respond(response_type="ephemeral", replace_original=False, text=problem)

    async def _share_files(
        self,
        client: AsyncWebClient,
        attachments: list[Attachment],
        public: bool,
        user: str,
        channel: str,
        thread_ts: str | None,
    ) -> str | None:
        """Upload a reply's files: to the channel if public, else to the asker's DM.

        Returns what to tell the asker when Slack refused, or None.
        """
        if not public:
            try:
                opened = await client.conversations_open(users=user)
            except SlackApiError as exc:
                return _upload_problem(channel, exc)
            channel, thread_ts = opened["channel"]["id"], None
        return await upload_all(client, attachments, channel, thread_ts)

    # -- buttons ---------------------------------------------------------

    async def _on_button(
        self,
        ack: Any,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Any,
        client: AsyncWebClient,
    ) -> None:
        """A click runs the button's command as the clicker, with the same role checks."""
        await ack()
        container = body.get("container", {})
        channel = body.get("channel", {}).get("id") or container.get("channel_id")
        thread_ts = container.get("thread_ts") or body.get("message", {}).get("thread_ts")
        user = body["user"]["id"]
        self._spawn(self._click(client, respond, user, channel, thread_ts, action["value"]))

    async def _click(
        self,
        client: AsyncWebClient,
        respond: Any,
        user: str,
        channel: str,
        thread_ts: str | None,
        command: str,
    ) -> None:
        reply = await self._answer(client, user, where(channel, thread_ts), "/" + command)
        await self._follow_up(client, respond, reply, render(reply), user, channel, thread_ts)

    # -- events ----------------------------------------------------------

    async def _on_mention(
        self, ack: Any, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        self._hear(client, body, event, addressed=True)

    async def _on_message(
        self, ack: Any, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """Lines in channels feed running meetings; a direct message speaks to the bot."""
        await ack()
        if event.get("subtype") in CHANGES:
            self._spawn_once(body, self._follow_change(client, event))
            return
        if event.get("subtype") not in (None, "thread_broadcast", "file_share"):
            return  # joins, bots' posts
        if event.get("bot_id") or not event.get("user"):
            return
        in_dm = event.get("channel_type") == "im"
        if not in_dm and self.bot_user_id and f"<@{self.bot_user_id}" in event.get("text", ""):
            # The app_mention event answers it; Slack sends none for a direct message
            # ("@iscg-bot who coordinates AI?" typed in the bot's DM), so that one is ours.
            return
        self._hear(client, body, event, addressed=in_dm)

    def _hear(
        self,
        client: AsyncWebClient,
        body: dict[str, Any],
        event: dict[str, Any],
        *,
        addressed: bool,
    ) -> None:
        """Answer or record the message, known as under way until done (see `_follow_change`)."""
        key = _message_key(event["channel"], event["ts"])
        finish = self._hearing.begin(key)
        task = self._spawn_once(body, self._converse(client, event, addressed=addressed))
        task.add_done_callback(lambda _: finish())

    async def _converse(
        self, client: AsyncWebClient, event: dict[str, Any], *, addressed: bool
    ) -> None:
        channel, thread_ts = event["channel"], event.get("thread_ts")
        key = _message_key(channel, event["ts"])
        if key in self._overtaken:
            _, now_reads = self._overtaken.pop(key)
            if now_reads is None:
                return  # deleted before it came: nothing to answer or record
            event = {**event, "text": now_reads.get("text", "")}
        reply = await self._ask(
            client,
            event["user"],
            where(channel, thread_ts),
            self._heard(event.get("text", "")),
            addressed=addressed,
            message_id=key,
        )
        if reply is None:
            return
        in_dm = event.get("channel_type") == "im"
        if addressed and not in_dm:
            thread_ts = thread_ts or event["ts"]  # answer a mention under it
        private = reply.error or not (reply.public or addressed)
        for message in render(reply):
            if private and not in_dm:
                await client.chat_postEphemeral(
                    channel=channel, user=event["user"], thread_ts=thread_ts, **message.as_kwargs()
                )
            else:
                await client.chat_postMessage(
                    channel=channel, thread_ts=thread_ts, **message.as_kwargs()
                )
        if reply.attachments:
            await self._share_files(
                client, reply.attachments, not private, event["user"], channel, thread_ts
            )

    def _heard(self, text: str) -> str:
        """A message's text as the bot reads it: Slack's markup undone, its own mention out."""
        if self.bot_user_id:
            text = re.sub(rf"<@{re.escape(self.bot_user_id)}(\|[^>]*)?>", " ", text)
        return plain_text(text).strip()

    # -- edits and deletions ---------------------------------------------

    async def _follow_change(self, client: AsyncWebClient, event: dict[str, Any]) -> None:
        """A message edited or deleted: the meeting line or action recorded from it follows.

        Nothing is posted: Slack shows the edit itself. Slack may deliver the change
        before the message: one still being recorded is waited for; one not yet come
        is kept for it (`_converse` takes it as it now reads), and followed at once too,
        for the message may have been recorded before a restart.
        """
        change = await self._change_of(client, event)
        if change is None:
            return
        if change.message_id in self._hearing:
            await self._hearing.settled(change.message_id)
        elif _said_shortly_before(change.message_id, event.get("event_ts") or event.get("ts")):
            self._keep_overtaken(change.message_id, event.get("message"), change)
        await self.services.follow(change)

    def _keep_overtaken(
        self, key: str, message: dict[str, Any] | None, change: MessageEdited | MessageDeleted
    ) -> None:
        """Keep a change for its message to come, the last made of those come (Slack keeps
        no order among them either); those kept too long are let go."""
        now = time.monotonic()
        for old in [k for k, (at, _) in self._overtaken.items() if now - at > OVERTAKEN_FOR]:
            del self._overtaken[old]
        reads = message if isinstance(change, MessageEdited) else None
        if key not in self._overtaken or _made_after(reads, self._overtaken[key][1]):
            self._overtaken[key] = (now, reads)

    async def _change_of(
        self, client: AsyncWebClient, event: dict[str, Any]
    ) -> MessageEdited | MessageDeleted | None:
        """The core's event for a `message_changed` or `message_deleted`, keyed as the
        message was when it came (`_converse`): its channel or thread, and its ts.

        A thread's parent carries its own ts as `thread_ts` once replied to; it was
        said in the channel, and deleted it becomes a `tombstone` (a change, not a
        deletion, in Slack's events) while its replies stay. An edit whose text did
        not change (Slack adds a link's preview so) or made by anyone but the author
        is none.
        """
        channel = event.get("channel")
        if event.get("subtype") == "message_deleted":
            before = event.get("previous_message") or {}
            ts = event.get("deleted_ts") or before.get("ts")
            if not channel or not ts:
                return None
            return MessageDeleted(where(channel, _thread_of(before, ts)), _message_key(channel, ts))
        message = event.get("message") or {}
        user, ts, text = message.get("user"), message.get("ts"), message.get("text", "")
        if message.get("subtype") == "tombstone" and channel and ts:
            # A thread's parent deleted: Slack keeps "This message was deleted." in its place.
            return MessageDeleted(
                where(channel, _thread_of(message, ts)), _message_key(channel, ts)
            )
        if not channel or not user or not ts or message.get("bot_id"):
            return None
        if (message.get("edited") or {}).get("user", user) != user:
            return None  # only the author's own edit counts
        if text == (event.get("previous_message") or {}).get("text"):
            return None
        heard = self._heard(text)
        if not heard:
            return None  # only a file left (or the bot's name): the line is kept, not blanked
        if heard.startswith("#"):  # people picked in an #action are known by name, as in `_ask`
            await self._meet_mentioned(client, text)
        name, _ = await self._person(client, user)
        place = where(channel, _thread_of(message, ts))
        return MessageEdited(place, _message_key(channel, ts), f"slack:{user}", name, heard)

    # -- outbox ----------------------------------------------------------

    async def send(self, row: OutboxRow) -> None:
        """Post a queued chat payload ({"text", "reply", "mention"}) to `slack:C[/thread]`."""
        assert self.client is not None
        channel, _, thread_ts = row.destination.partition(":")[2].partition("/")
        payload = row.payload
        reply = (
            reply_from_payload(payload["reply"])
            if payload.get("reply")
            else Reply(text=payload.get("text", ""))
        )
        mention = payload.get("mention") or ""
        ping = mention.partition(":")[2] if mention.startswith("slack:") else None
        try:
            for message in render(reply, mention=ping):
                await self.client.chat_postMessage(
                    channel=channel, thread_ts=thread_ts or None, **message.as_kwargs()
                )
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            raise DeliveryError(f"slack: {error}", permanent=error in PERMANENT_ERRORS) from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"slack: {exc!r}") from exc
        # The message is out: a file Slack refuses (no files:write scope) is said under
        # it, not a reason to send the row again, which posted the message at every try.
        problem = await upload_all(self.client, reply.attachments, channel, thread_ts or None)
        if problem:
            (note,) = render(Reply(text=problem))
            try:
                await self.client.chat_postMessage(
                    channel=channel, thread_ts=thread_ts or None, **note.as_kwargs()
                )
            except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
                log.warning("slack: could not say so in %s: %r", channel, exc)


def _message_key(channel: str, ts: str) -> str:
    """The core's id of a Slack message, as its lines and actions record it."""
    return f"slack:{channel}:{ts}"


def _said_shortly_before(key: str, change_ts: str | None) -> bool:
    """Whether the message `key` was said within `OVERTAKEN_FOR` before its change (by
    their Slack timestamps): an edit of an older message has no message still to come."""
    try:
        said, changed = float(key.rpartition(":")[2]), float(change_ts or "")
    except ValueError:
        return False
    return changed - said <= OVERTAKEN_FOR


def _made_after(reads: dict[str, Any] | None, kept: dict[str, Any] | None) -> bool:
    """Whether a change (the message as an edit left it, None for its deletion) was made
    after the one kept: a deletion is the last; edits go by the time Slack says each was
    made. Taken the other way, an edit delivered after the deletion it preceded had the
    deleted message recorded, or an older edit the message as it read before."""
    if kept is None:
        return False
    return reads is None or _edited_at(reads) >= _edited_at(kept)


def _edited_at(message: dict[str, Any]) -> float:
    try:
        return float((message.get("edited") or {}).get("ts", ""))
    except ValueError:
        return 0.0


def _thread_of(message: dict[str, Any], ts: str) -> str | None:
    """The thread a message was said in; a thread's parent (whose `thread_ts` is its own
    ts) was said in the channel."""
    thread_ts = message.get("thread_ts")
    return thread_ts if thread_ts and thread_ts != ts else None


def _public(reply: Reply) -> bool:
    return reply.public and not reply.error


def _response_type(reply: Reply) -> str:
    return "in_channel" if _public(reply) else "ephemeral"


async def upload_all(
    client: AsyncWebClient, attachments: list[Attachment], channel: str, thread_ts: str | None
) -> str | None:
    """Upload files to a channel (or thread); what to tell its readers when Slack refused."""
    try:
        for attachment in attachments:
            await upload(client, attachment, channel, thread_ts)
    except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
        return _upload_problem(channel, exc)
    return None


def _upload_problem(channel: str, exc: Exception) -> str:
    """What a channel's readers are told of a file Slack did not take: Slack's own word
    for a refusal, plain words for a lost connection (its details are for the log)."""
    error = exc.response.get("error") if isinstance(exc, SlackApiError) else None
    log.warning("slack: file upload to %s failed: %s", channel, error or repr(exc))
    if error == "not_in_channel":
        return "I could not share the file here: add me to this channel first."
    return f"I could not share the file ({error or 'the connection to Slack failed'})."


async def upload(
    client: AsyncWebClient, attachment: Attachment, channel: str, thread_ts: str | None
) -> None:
    await client.files_upload_v2(
        channel=channel,
        thread_ts=thread_ts,
        filename=attachment.filename,
        content=attachment.data,
        title=attachment.filename,
    )
