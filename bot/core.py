"""The command registry, the caller's Context and the platform-neutral Reply.

One declaration per command (name, help, examples, pydantic argument model,
required role, example phrasings) feeds every place the bot lives: console,
e-mail, Slack and Discord commands, `/help`, and the plain-question matcher.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import re
import secrets
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails
from rapidfuzz import fuzz, process

from bot.mentions import BROADCAST_WORDS
from bot.textclean import clean_input
from storage.chinese import as_the_mainland_writes

if TYPE_CHECKING:
    import aiosqlite

    from bot.services import Services

log = logging.getLogger(__name__)

MAX_INPUT = 4000
# Items a list answer shows: 25 lines of an action or a meeting fit one Discord embed
# (4,096 characters) and one Slack message; a thousand made forty messages in a row.
LIST_LIMIT = 25
# A mistyped command's suggestions (rapidfuzz's WRatio, 0-100): "frobnicate" is
# /invite at 60, "meting" /meetings at 86.
SUGGEST_CUTOFF = 70
SUGGEST_SPREAD = 10
QUESTIONS_KEPT = 1_024  # questions remembered with the command text each comes to
_COUNT_AFTER_TITLE = re.compile(r"( \(\d+\))?:?")  # "Open actions (3):" after its title
# Words people put before a question: greetings, thanks, "and", "also", in the members'
# languages (Chinese ones with no space after them).
_FILLER = re.compile(
    r"^(?:(?:please|hi|hello|hey|dear \w+|good (?:morning|afternoon|evening)|thanks|"
    r"thank you|and|also|so|ok|okay|bonjour|bonsoir|salut|merci|et|hola|buen[oa]s d[ií]as|"
    r"buenas tardes|gracias|por favor|y|مرحبا|السلام عليكم|شكرا(?: جزيلا)?)\b[,!.:،]?(?:\s+|$)"
    r"|(?:您好|你好|大家好|请问|谢谢|多谢|感谢)[,!.:。]?\s*"
    # A mail subject's label before the question: "Quick question: who coordinates AI?".
    r"|(?:(?:quick |short )?question|query|petite question|pregunta|consulta|вопрос|问题|سؤال)"
    r"\s*:\s*)+"
)
# The typographic apostrophe phones, Macs and Outlook type is the phrasings' "'": "qui
# coordonne l’accessibilité" reads as "qui coordonne l'accessibilité".
_QUESTION_MARKS = str.maketrans({"¿": None, "¡": None, "؟": "?", "’": "'"})
_CONTRACTION = re.compile(r"\b(who|what|which|where|when|how)['’]s\b")
# pydantic's error types for text that is not a whole number ("two", "1.5").
_WHOLE_NUMBER_ERRORS = {"int_parsing", "int_type", "int_from_float"}
# A usage placeholder: "<id>", "<sector: ITU-R, ITU-T, ITU-D, GS>" (the name is before any colon).
_PLACEHOLDER = re.compile(r"<([^>:]+)[^>]*>")


class Role(enum.IntEnum):
    """Roles in increasing power; a command names the least one it needs."""

    MEMBER = 0
    COORDINATOR = 1
    SECRETARIAT = 2
    CHAIR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Role:
        return cls[text.strip().upper()]


@dataclass(frozen=True)
class Context:
    """Who is asking, where, with which role, and when (the clock's "now")."""

    identity: str
    display_name: str
    channel: str  # where a reply and a meeting live: "console:main", "slack:C1/1700.1"
    role: Role
    person_id: int
    now: dt.datetime
    zone: ZoneInfo  # the reader's zone
    services: Services
    message_id: str | None = None  # platform message id, for de-duplication
    zone_is_default: bool = False  # the person never set a zone
    # Where a zone the person did not set comes from, as its platform's handler says
    # ("your Slack profile"); None when they set it, or it is the group's.
    zone_from: str | None = None
    # False for mail without a passing DKIM or DMARC result from our own server: its
    # From may be forged, so no command that changes what is stored runs for it.
    # The mail flow refuses such commands first, with its own explanation; this
    # holds when a text the flow read as no command is read as one here.
    proven: bool = True

    @property
    def platform(self) -> str:
        return self.identity.partition(":")[0]

    def typed(self, text: str) -> str:
        """A command text a reply names (`/reschedule m1 | <when>`) as the reader types it
        on their platform: on Discord an app command with options, not the `|` form."""
        return self.services.registry.form_for(self.platform).typed(text)


@dataclass
class Field_:
    """A label/value pair shown side by side (Discord embed field, Slack field)."""

    name: str
    value: str
    inline: bool = True


@dataclass
class Section:
    text: str
    title: str | None = None
    fields: list[Field_] = field(default_factory=list)


@dataclass
class Button:
    """A button that runs a command as the person who clicks it."""

    label: str
    command: str
    style: str = "default"  # default, primary, danger


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Reply:
    """What a command answers, before any platform dresses it.

    `text` is always the complete answer in plain text (console, e-mail, the
    fallback of rich renderers); `title`, `sections` and `footer` are the same
    content, structured for renderers that can show more, and `markdown` the
    same again for those that show Markdown (Discord): a document such as the
    minutes, whose headings and bold would be raw marks in mail and Slack.
    """

    text: str
    title: str | None = None
    markdown: str | None = None
    sections: list[Section] = field(default_factory=list)
    footer: str | None = None  # the source document, shown small
    attachments: list[Attachment] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    public: bool = False  # True: post in the channel; False: only the asker needs it
    error: bool = False

    @classmethod
    def from_sections(
        cls, title: str, sections: list[Section], footer: str | None = None, **kw: Any
    ) -> Reply:
        """A reply whose plain text is generated from its structure."""
        parts = [title]
        for section in sections:
            block = []
            if section.title:
                block.append(section.title)
            if section.text:
                block.append(section.text)
            block.extend(f"{f.name}: {f.value}" for f in section.fields)
            parts.append("\n".join(block))
        if footer:
            parts.append(footer)
        return cls(text="\n\n".join(parts), title=title, sections=sections, footer=footer, **kw)

    def headed(self) -> tuple[str | None, str]:
        """The heading a renderer shows apart, and the text under it.

        The text often opens with its title: alone or with a count on its line
        ("Your open actions (3):"), that line is the heading, so that no "(3):"
        is left hanging under it; followed by a colon and more ("Proposed
        slots: 1. ..."), the title and colon are taken off the text. Text that
        opens otherwise ("Minutes of the call" under "Minutes") stays whole.
        """
        if not self.title:
            return None, self.text
        if self.text.strip() == self.title.strip():
            return self.title, ""
        if not self.text.startswith(self.title):
            return self.title, self.text
        after = self.text[len(self.title) :]
        line, _, rest = after.partition("\n")
        counted = _COUNT_AFTER_TITLE.fullmatch(line.rstrip())
        if counted:
            return self.title + (counted.group(1) or ""), rest.strip("\n")
        if after.startswith(":"):
            return self.title, after[1:].strip()
        return self.title, self.text


class UserError(Exception):
    """The user's input was wrong: say what, and show a working example."""

    def __init__(self, message: str, example: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.example = example


class Args(BaseModel):
    """Base of every command's argument model.

    Fields are filled in declaration order from text split on `|`; without a
    `|`, the first field takes the first word (or a quoted phrase) and the next
    takes the rest. A model with its own grammar overrides `from_text`.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @classmethod
    def from_text(cls, text: str) -> dict[str, Any]:
        names = list(cls.model_fields)
        if not names:
            if text.strip():
                raise UserError("This command takes no arguments")
            return {}
        parts = split_arguments(text, len(names))
        return {name: part for name, part in zip(names, parts, strict=False) if part != ""}


class NoArgs(Args):
    pass


# The Union's other official languages, by code (a web page marks text with it): the
# languages the bot reads besides English, in themes' names and in dates and times.
OTHER_LANGUAGES = {
    "fr": "French",
    "es": "Spanish",
    "ru": "Russian",
    "zh": "Chinese",
    "ar": "Arabic",
}

# A link as typed. A `|` in its query or fragment is the link's (Zoom and Teams links
# carry one, `?context=a|b`); one at its end is not, so "…/x| 3 Dec" still separates.
LINK = re.compile(r"https?://[^\s<>|?#]+(?:[?#][^\s<>]*[^\s<>|])?")
_BAR = re.compile(r"\|")


def split_bars(text: str, maxsplit: int = 0) -> list[str]:
    """`text` cut at each `|` that separates arguments (at most `maxsplit` cuts, 0: all),
    the pieces unstripped. A `|` inside a link is the link's: cut there, a meeting's join
    link lost its end and the rest was read as the next argument."""
    links = [match.span() for match in LINK.finditer(text)]
    pieces, start = [], 0
    for bar in _BAR.finditer(text):
        if maxsplit and len(pieces) == maxsplit:
            break
        if not any(begin < bar.start() < end for begin, end in links):
            pieces.append(text[start : bar.start()])
            start = bar.end()
    return [*pieces, text[start:]]


def split_arguments(text: str, count: int) -> list[str]:
    text = text.strip()
    if not text:
        return []
    if count == 1:
        return [unquote(text)]
    pieces = split_bars(text, count - 1)
    if len(pieces) > 1 and not _quotes_a_bar(text):
        pieces = [piece.strip() for piece in pieces]
        pieces[0] = unquote(pieces[0])
        return pieces
    first, rest = _first_word(text)
    if len(split_bars(rest)) > 1:  # "Budget | review" | 3 Dec 14:00
        return [first, *(p.strip() for p in split_bars(rest.removeprefix("|"), count - 2))]
    return [first, rest] if rest else [first]


def _quotes_a_bar(text: str) -> bool:
    """The first argument is quoted and holds a `|` (`"Budget | review" | 3 Dec 14:00`),
    which a split at the first `|` would cut in two."""
    close = QUOTES.get(text[0])
    return close is not None and text.find(close, 1) > text.find("|")


# Opening quote -> closing quote. Phones and Macs type “ ” and ‘ ’ for " and ',
# and Slack passes them on as typed.
QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb"}


def unquote(text: str) -> str:
    """The text without the quotes around it, if it is quoted whole."""
    if len(text) >= 2 and QUOTES.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


def _first_word(text: str) -> tuple[str, str]:
    if text[0] in QUOTES:
        end = text.find(QUOTES[text[0]], 1)
        if end > 0:
            return text[1:end].strip(), text[end + 1 :].strip()
    word, _, rest = text.partition(" ")
    return word, rest.strip()


Handler = Callable[[Context, Any], Awaitable[Reply]]


@dataclass(frozen=True)
class AlsoAllowed:
    """Who may run a command without its role, declared once: the words /help and a
    refusal show after "or to be" ("the meeting's organiser"), and the check that lets
    them in, given the argument text."""

    who: str
    check: Callable[[Context, str], Awaitable[bool]]


@dataclass
class Command:
    name: str  # may hold a space: "sessions add", "meeting start"
    handler: Handler
    args: type[Args]
    help: str
    usage: str
    examples: list[str]
    role: Role = Role.MEMBER
    also: AlsoAllowed | None = None
    phrasings: list[str] = field(default_factory=list)
    changes_state: bool = False
    # With no argument it only shows what is set (`/timezone`): a question, not a change.
    asks_when_bare: bool = False
    # Changes only the caller's own settings (`/subscribe`, `/timezone`): by mail, proof
    # that the sender wrote it is enough, where a change to what others see needs a chair.
    own_settings: bool = False
    slow: bool = False  # may take over 3 s: chat handlers acknowledge first

    def changes_with(self, argument: str) -> bool:
        """Whether running it with this argument text may change what is stored."""
        return self.changes_state and not (self.asks_when_bare and not argument.strip())

    @property
    def summary(self) -> str:
        return self.help.strip().splitlines()[0]

    def usage_text(self, form: CommandForm | None = None) -> str:
        """Its usage, help and examples, as they are typed where `form` says (the text
        form by default: console, e-mail, Slack)."""
        form = form or TEXT_FORM
        usage = f"Usage: /{form.name(self)} {form.usage(self)}".rstrip()
        lines = [usage, "", self.help.strip()]
        if self.examples:
            lines += ["", "Examples:"] + [f"  {form.typed(example)}" for example in self.examples]
        if self.role > Role.MEMBER:
            lines += ["", f"Needs {self.permission()}."]
        return "\n".join(lines)

    def permission(self) -> str:
        """Who may run it, in words, the same in /help and in a refusal: the role it needs,
        and whoever else it lets in (/help saying only the role kept organisers away)."""
        needed = f"the {role_phrase(self.role)} role"
        return f"{needed}, or to be {self.also.who}" if self.also else needed


class CommandForm(Protocol):
    """How commands are typed on a platform: the text form (`/schedule Budget | 3 Dec`)
    everywhere but where the platform's own commands differ (Discord's app commands,
    with an option for each argument). Help and usage are shown in the reader's form,
    or they teach a syntax the reader's platform does not take."""

    # Whether the reader sees the text in a fixed-width font (a terminal, plain-text
    # mail), where a list of commands lines up in columns padded with spaces; in a
    # proportional one (Slack, Discord) such padding leaves ragged gaps instead.
    columns: bool

    def name(self, command: Command) -> str:
        """The command's name as typed there, without the slash."""
        ...

    def usage(self, command: Command) -> str:
        """What follows the name in its usage line."""
        ...

    def typed(self, text: str) -> str:
        """A command text (`/schedule Budget | 3 Dec 14:00`) as typed there; any
        other text as it is."""
        ...


class TextForm:
    """The text form: as the registry declares it."""

    columns = True

    def name(self, command: Command) -> str:
        return command.name

    def usage(self, command: Command) -> str:
        return command.usage

    def typed(self, text: str) -> str:
        return text


TEXT_FORM = TextForm()


def role_phrase(role: Role) -> str:
    if role is Role.CHAIR:
        return "chair"
    if role is Role.SECRETARIAT:
        return "chair or secretariat"
    if role is Role.COORDINATOR:
        return "coordinator, secretariat or chair"
    return "member"


# Whether a line hook takes lines in a channel now, read in an open transaction.
Listens = Callable[["Services", "aiosqlite.Connection", str], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class MessageEdited:
    """A chat message its author edited (Slack `message_changed`, Discord MESSAGE_UPDATE).

    Its connector gives the same `channel` and `message_id` the message came
    with in its Context, so whatever was recorded from it is found again, and
    the new text as it hands a new message's text to `Services.ask`.
    """

    channel: str
    message_id: str
    author: str  # the author's identity ("slack:U1"): only their own edit counts
    author_name: str
    text: str


@dataclass(frozen=True, slots=True)
class MessageDeleted:
    """A chat message deleted, by its author or a moderator (the platforms do not say
    which): what was recorded from it goes, where the record is not yet published."""

    channel: str
    message_id: str


MessageChange = MessageEdited | MessageDeleted
ChangeHandler = Callable[["Services", MessageChange], Awaitable[None]]


@dataclass
class LineHook:
    """Something that wants to see non-command lines (meeting minutes).

    `listens` lets a caller with many lines for one channel (a list post) ask
    once whether the hook could take any of them, instead of offering each
    line; a hook without it is assumed to listen everywhere.

    `unheard` answers a line spoken to the bot that the hook did not take (a
    `#topic` where no meeting runs): the hook knows better than the whole help
    what the speaker was after. It returns None for a line it has nothing to say to.
    """

    name: str
    handler: Callable[[Context, str], Awaitable[Reply | None]]
    listens: Listens | None = None
    unheard: Callable[[Context, str], Awaitable[Reply | None]] | None = None
    # Applies an edit or deletion of a message to what the hook recorded from it,
    # quietly: the platform shows the change, and nobody asked the bot anything.
    changed: ChangeHandler | None = None


# A line hook returns this when it kept the line (a meeting's minutes) and has
# nothing to say: the dispatcher then answers only if the line is a real question.
RECORDED = Reply(text="(recorded)")


class Registry:
    """All commands, by name. A duplicate name is an error at start-up."""

    _default: ClassVar[Registry | None] = None

    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}
        self.line_hooks: list[LineHook] = []
        self._intents: list[tuple[re.Pattern[str], str, Command]] | None = None
        self._questions: dict[str, str | None] = {}  # see match_question
        self._forms: dict[str, CommandForm] = {}  # see form_for

    def use_form(self, platform: str, form: CommandForm) -> None:
        """How commands are typed on `platform`, said by its handler (which knows)."""
        self._forms[platform] = form

    def form_for(self, platform: str) -> CommandForm:
        """How commands are typed on `platform`: the text form unless its handler said."""
        return self._forms.get(platform, TEXT_FORM)

    def add(self, command: Command) -> None:
        if command.name in self.commands:
            raise ValueError(f"two commands are named {command.name!r}")
        self.commands[command.name] = command
        self._forget_phrasings()

    def remove(self, name: str) -> None:
        """Take a command out again (tests add their own to the shared registry)."""
        del self.commands[name]
        self._forget_phrasings()

    def _forget_phrasings(self) -> None:
        self._intents = None
        self._questions.clear()

    def command(
        self,
        name: str,
        *,
        args: type[Args] = NoArgs,
        help: str,
        usage: str = "",
        examples: Iterable[str] = (),
        role: Role = Role.MEMBER,
        also: AlsoAllowed | None = None,
        phrasings: Iterable[str] = (),
        changes_state: bool | None = None,
        asks_when_bare: bool = False,
        own_settings: bool = False,
        slow: bool = False,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.add(
                Command(
                    name=name,
                    handler=handler,
                    args=args,
                    help=help,
                    usage=usage,
                    examples=list(examples),
                    role=role,
                    also=also,
                    phrasings=list(phrasings),
                    changes_state=role > Role.MEMBER if changes_state is None else changes_state,
                    asks_when_bare=asks_when_bare,
                    own_settings=own_settings,
                    slow=slow,
                )
            )
            return handler

        return register

    def on_line(
        self,
        name: str,
        *,
        listens: Listens | None = None,
        unheard: Callable[[Context, str], Awaitable[Reply | None]] | None = None,
        changed: ChangeHandler | None = None,
    ) -> Callable[[Any], Any]:
        def register(handler: Callable[[Context, str], Awaitable[Reply | None]]) -> Any:
            self.line_hooks.append(LineHook(name, handler, listens, unheard, changed))
            return handler

        return register

    async def hears_lines(
        self, services: Services, conn: aiosqlite.Connection, channel: str
    ) -> bool:
        """True when some line hook could take a line said in `channel` now."""
        for hook in self.line_hooks:
            if hook.listens is None or await hook.listens(services, conn, channel):
                return True
        return False

    def top_level(self) -> list[str]:
        """First words of the command names: the slash commands a platform registers."""
        return sorted({name.split(" ")[0] for name in self.commands})

    def family(self, word: str) -> list[Command]:
        """The commands named with `word` and another (/meeting start, /meeting end): what a
        delegate means by `/help meeting`, though no command is called /meeting alone."""
        prefix = word.strip().lower() + " "
        return [self.commands[name] for name in sorted(self.commands) if name.startswith(prefix)]

    def find(self, text: str) -> tuple[Command | None, str]:
        """The longest command name the text starts with, and the rest of the text."""
        words = text.split(None, 2)
        for size in (2, 1):
            if len(words) >= size:
                name = " ".join(words[:size]).lower()
                if name in self.commands:
                    rest = text.strip()[len(" ".join(text.split(None, size)[:size])) :]
                    return self.commands[name], rest.strip()
        return None, text

    def slashed(self, text: str) -> str:
        """The command text a line typed after a slash runs (the slash removed).

        Its own words when they start with a command's name; else, when they ask a
        question ("/who coordinates AI": a delegate who knows the bot takes slashes),
        the command that question runs, so that every reader of a slashed line (the
        dispatcher, and the mail flow checking what needs proof) finds the same one.
        """
        if self.find(text)[0] is not None:
            return text
        return self.match_question(text) or text

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """The commands a mistyped name may mean: close ones, and only those nearly as
        close as the closest ("whocoordinates" is not also /minutes, at 69)."""
        matches = process.extract(
            name.lower(),
            list(self.commands),
            scorer=fuzz.WRatio,
            limit=limit,
            score_cutoff=SUGGEST_CUTOFF,
        )
        best = max((score for _, score, _ in matches), default=0)
        return [found for found, score, _ in matches if score >= best - SUGGEST_SPREAD]

    def intents(self) -> list[tuple[re.Pattern[str], str, Command]]:
        """Example phrasings compiled: `who coordinates {theme}` -> regex + command."""
        if self._intents is None:
            compiled = []
            for command in self.commands.values():
                for phrasing in command.phrasings:
                    target, _, template = phrasing.partition("=>")
                    compiled.append((_phrasing_regex(target.strip()), template.strip(), command))
            self._intents = compiled
        return self._intents

    def match_question(self, text: str) -> str | None:
        """Turn a plain question into command text, or None if no phrasing fits.

        Remembered for the latest questions: every phrasing is a pattern tried
        in turn, and mail asks up to three times of one message (to find its
        command, to check the sender may run it, to run it).
        """
        if text in self._questions:
            return self._questions[text]
        found = self._match_question(text)
        if len(self._questions) >= QUESTIONS_KEPT:
            del self._questions[next(iter(self._questions))]  # the oldest
        self._questions[text] = found
        return found

    def _match_question(self, text: str) -> str | None:
        question = normalise_question(text)
        best: tuple[float, str] | None = None
        for pattern, template, command in self.intents():
            match = pattern.fullmatch(question)
            if not match:
                continue
            values = {k: v.strip() for k, v in match.groupdict().items() if v}
            args = template.format(**values) if template else " ".join(values.values())
            # Prefer the phrasing whose own words explain most of the question.
            score = -sum(len(v) for v in values.values())
            candidate = f"{command.name} {args}".strip()
            if best is None or score > best[0]:
                best = (score, candidate)
        return None if best is None else best[1]


# Who else a chat question names before it: "@here", "@channel" (Slack), "@everyone",
# a member picked from the @ menu (<@U123>, <@8123>, a role <@&8123>). "@channel @iscg-bot
# when is the next meeting?" asks when the next meeting is, for all to see.
_OTHERS_NAMED = re.compile(
    rf"^(?:(?:@(?:{'|'.join(sorted(BROADCAST_WORDS))})\b|<@[!&]?\w+>)[,:]?\s*)+"
)


def normalise_question(text: str) -> str:
    """The question itself, as mail and chat wrap it: "Hi, and who coordinates AI?
    Thanks" is "who coordinates ai"."""
    # Traditional Chinese is asked as the simplified phrasings are written, the theme in
    # it with the mainland's words: "誰協調網路安全" is "谁协调网络安全".
    text = as_the_mainland_writes(unicodedata.normalize("NFKC", text)).strip().lower()
    # Spanish opens a question with "¿" (and an exclamation with "¡"), Arabic ends one with
    # "؟": keyboards of those languages type them in English too.
    text = text.translate(_QUESTION_MARKS).strip()
    text = re.sub(r"^@?iscg[- ]?bot[:,]?\s*", "", text)
    text = _OTHERS_NAMED.sub("", text)
    text = _FILLER.sub("", text)
    text = _CONTRACTION.sub(r"\1 is", text)  # "who's the coordinator of AI"
    text = text.partition("?")[0]  # what follows the question is not part of it
    text = re.sub(r"[?!.]+$", "", text).strip()
    return re.sub(r"\s+", " ", text)


# How a question may open, politely, in the members' languages: "can you tell me",
# "could you please let me know", "I would like to know", "pourriez-vous m'indiquer",
# "¿podría decirme", "quisiera saber".
_POLITE = (
    # "Please tell me ..." reaches here as "tell me ...": `_FILLER` took its "please".
    r"(?:(?:can|could|would) you (?:please )?(?:tell me |let me know )?|(?:tell me|let me know) "
    r"|(?:i would|i'd) like to know |may i (?:know|ask) )"
    r"|(?:pourriez|pouvez)-vous (?:m['’]indiquer|me dire) "
    r"|(?:j['’]aimerais|je voudrais) savoir |(?:podr[ií]as?|puede|puedes) (?:decirme|indicarme) "
    r"|(?:quisiera|quer[ií]a|me gustar[ií]a) saber "
)
# A phrasing's own syntax: `{name}` a value; `(a|b)` one of some words; `[a|b]` words
# people may also leave out ("when is the next [iscg] meeting").
_PHRASING_PART = re.compile(r"\{(\w+)\}|\s*\[|\]\s*|[()|]|\s+")


def _phrasing_regex(phrasing: str) -> re.Pattern[str]:
    pattern, last = "", 0
    # For each `[` open, whether a space came before it: the space goes with the
    # words left out (the one before them, else the one after), so the words
    # around them still need exactly one between them.
    spaced: list[bool] = []
    for match in _PHRASING_PART.finditer(phrasing):
        pattern += re.escape(phrasing[last : match.start()])
        last, part = match.end(), match.group().strip()
        if match.group(1):
            pattern += f"(?P<{match.group(1)}>.+?)"
        elif part == "[":
            spaced.append(match.group() != "[")
            pattern += r"(?:\s+(?:" if spaced[-1] else "(?:(?:"
        elif part == "]":
            after = match.group() != "]"
            if spaced.pop():
                pattern += "))?" + (r"\s+" if after else "")
            else:
                pattern += r")\s+)?" if after else "))?"
        elif part:
            pattern += "(?:" if part == "(" else part
        else:
            pattern += r"\s+"
    pattern += re.escape(phrasing[last:])
    # Leading "can you", trailing "please": people add them; the phrasing need not.
    return re.compile(rf"(?:{_POLITE})?{pattern}(?:,? please)?")


# A command's slash as Chinese input methods type it: full-width ("／meetings"), or "、",
# what the slash key types in Chinese mode, before a command's name typed in English.
_TYPED_SLASH = re.compile(r"^[／、](?=[A-Za-z])")


def as_read(text: str) -> str:
    """A message as the dispatcher reads it: without the characters nobody sees, the
    spaces around it, and with a command's slash typed on a Chinese keyboard made "/".
    Whoever checks a text before it is run (the mail flow's proof check) reads it so too."""
    return _TYPED_SLASH.sub("/", clean_input(text).strip())


def new_error_id() -> str:
    return secrets.token_hex(4)


class Dispatcher:
    """Turns text into a validated command call and its Reply, never a traceback."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    async def handle(self, ctx: Context, text: str, *, addressed: bool = True) -> Reply | None:
        """Answer one message.

        `addressed` is False for a line in a channel that did not speak to the
        bot: only line hooks (meeting minutes) see it, and no help is offered.
        """
        if len(text) > MAX_INPUT:
            if not addressed and not await self._heard_in(ctx):
                return None  # a long post in a channel, not for the bot: nothing to say
            return error_reply(
                f"That message is {len(text):,} characters long; the bot reads at most "
                f"{MAX_INPUT:,}. Send a shorter one, for example: /who-coordinates accessibility"
            )
        text = as_read(text)
        if not text:
            return (
                help_summary(self.registry, form=self.registry.form_for(ctx.platform))
                if addressed
                else None
            )
        try:
            if text.startswith("/") and addressed:  # "/etc/hosts broke" in a channel: a line
                return await self.run_text(ctx, self.registry.slashed(text[1:]))
            recorded = False
            for hook in self.registry.line_hooks:
                reply = await hook.handler(ctx, text)
                if reply is RECORDED:
                    recorded = True
                    break
                if reply is not None:
                    return reply
            if not addressed:
                return None
            if not recorded and (reply := await self._unheard(ctx, text)) is not None:
                return reply
            command_text = self.registry.match_question(text)
            if command_text is None:
                if recorded:  # a meeting line, not a question: nothing to answer
                    return None
                command, _ = self.registry.find(text)
                if command is not None:  # "help", "themes" typed without the slash
                    return await self.run_text(ctx, text)
                return help_summary(
                    self.registry,
                    intro="I could not place that question. These are the things I can do:",
                    form=self.registry.form_for(ctx.platform),
                )
            return await self.run_text(ctx, command_text)
        except Exception:
            return _apology(ctx, text)

    async def _heard_in(self, ctx: Context) -> bool:
        """Whether a line hook listens in the context's channel (a meeting runs there)."""
        async with ctx.services.db.read() as conn:
            return await self.registry.hears_lines(ctx.services, conn, ctx.channel)

    async def _unheard(self, ctx: Context, text: str) -> Reply | None:
        """What a line hook says to a line spoken to the bot that no hook took."""
        for hook in self.registry.line_hooks:
            if hook.unheard is not None and (reply := await hook.unheard(ctx, text)) is not None:
                return reply
        return None

    async def follow(self, services: Services, change: MessageChange) -> None:
        """Apply an edited or deleted message to what the line hooks recorded from it.

        Never raises and never answers: a connector calls it for every edit and
        deletion it sees, and a failure is logged with its context, not shown.
        """
        if isinstance(change, MessageEdited):
            if len(change.text) > MAX_INPUT:  # refused as a new message: the line stays
                return
            change = MessageEdited(
                change.channel,
                change.message_id,
                change.author,
                clean_input(change.author_name),
                as_read(change.text),  # as `handle` reads a new message's text
            )
        for hook in self.registry.line_hooks:
            if hook.changed is None:
                continue
            try:
                await hook.changed(services, change)
            except Exception:
                log.exception("error %s following %r in %s", new_error_id(), change, hook.name)

    async def run_text(self, ctx: Context, text: str) -> Reply:
        """Run `name args...` (no slash) as the context's person."""
        command, rest = self.registry.find(text)
        if command is None:
            name = text.split(None, 1)[0] if text.strip() else ""
            if family := self.registry.family(name):  # `/meeting` alone, or `/meeting begin`
                form = self.registry.form_for(ctx.platform)
                intro = f"/{name.lower()} needs one more word, the one of these you mean:"
                return error_reply(family_text(name.lower(), family, form, intro=intro))
            return unknown_command(self.registry, name)
        try:
            return await self.invoke(ctx, command, rest)
        except Exception:
            return _apology(ctx, text)

    async def invoke(self, ctx: Context, command: Command, rest: str) -> Reply:
        if not ctx.proven and command.changes_with(rest):
            chat = ctx.services.settings.chat_platforms
            instead = f"Do it in {chat} instead, or ask" if chat else "Ask"
            return error_reply(
                f"/{command.name} changes what the assistant records, and this message does "
                f"not prove who sent it. {instead} the secretariat (iscg@itu.int)."
            )
        if ctx.role < command.role and not await _allowed_anyway(ctx, command, rest):
            return error_reply(
                f"/{command.name} needs {command.permission()}; you are recorded as "
                f"{ctx.role.label}. Ask an ISCG chair or the secretariat (iscg@itu.int) if "
                "you should have that role."
            )
        form = self.registry.form_for(ctx.platform)
        try:
            raw = command.args.from_text(rest)
            args = command.args.model_validate(raw)
        except UserError as exc:
            return usage_error(command, exc.message, exc.example, form=form)
        except ValidationError as exc:
            problem = _describe_validation(exc, command)
            return usage_error(command, problem, _example(command), form=form)
        try:
            return await command.handler(ctx, args)
        except UserError as exc:
            return usage_error(command, exc.message, exc.example, full_usage=False, form=form)


async def _allowed_anyway(ctx: Context, command: Command, rest: str) -> bool:
    """A command may widen its own permission (a coordinator and their theme)."""
    return command.also is not None and await command.also.check(ctx, rest)


def _apology(ctx: Context, text: str) -> Reply:
    error_id = new_error_id()
    log.exception(
        "error %s handling %r from %s in %s", error_id, text[:200], ctx.identity, ctx.channel
    )
    return error_reply(
        f"Sorry, something went wrong on my side (error id {error_id}). "
        "It has been logged; please try again later or tell the secretariat (iscg@itu.int)."
    )


def _describe_validation(exc: ValidationError, command: Command) -> str:
    """The model's complaints in the words of the command's usage, never its field names."""
    names = argument_names(command)
    return " ".join(_problem(error, names) for error in exc.errors())


def _problem(error: ErrorDetails, names: dict[str, str]) -> str:
    """One complaint as a sentence: what is wrong and what is expected instead."""
    field_name = str(error["loc"][0]) if error["loc"] else ""
    name = names.get(field_name, "the arguments")
    given = error.get("input")
    if error["type"] == "missing":
        return _sentence(f"{name} is missing")
    if error["type"] == "extra_forbidden":
        return "There are more arguments than this command takes."
    if error["type"] in _WHOLE_NUMBER_ERRORS:
        return _sentence(f'{name} must be a whole number, not "{given}"')
    if error["type"] == "literal_error":
        expected = error.get("ctx", {})["expected"].replace("'", "")
        return _sentence(f'{name} must be {expected}, not "{given}"')
    return _sentence(error["msg"].removeprefix("Value error, "))


def argument_names(command: Command) -> dict[str, str]:
    """How a reply names each argument: as the field's description says ("the action
    id"), else as the usage does at the same place ("<theme>": "the theme"); a field
    name ("ref") means nothing to a delegate."""
    placeholders = _PLACEHOLDER.findall(command.usage)
    names = {}
    for place, (field_name, info) in enumerate(command.args.model_fields.items()):
        if info.description:
            names[field_name] = info.description
        elif place < len(placeholders):
            names[field_name] = f"the {placeholders[place].strip()}"
        else:
            names[field_name] = f"the {field_name.replace('_', ' ')}"
    return names


def _sentence(text: str) -> str:
    """Text as a sentence: a capital first letter (and only that: "ITU-R" stays) and a stop."""
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] + "."


def error_reply(text: str) -> Reply:
    return Reply(text=text, error=True)


def usage_error(
    command: Command,
    problem: str,
    example: str | None = None,
    *,
    full_usage: bool = True,
    form: CommandForm | None = None,
) -> Reply:
    """A mistake, a working example and (`full_usage`) the usage, as typed where `form`
    says."""
    form = form or TEXT_FORM
    if not problem.endswith(("?", "!")):  # "did you mean daily?" takes no stop after it
        problem = problem.rstrip(".") + "."
    lines = [problem]
    if example:
        lines.append(f"For example: {form.typed(example)}")
    if full_usage:
        lines += ["", command.usage_text(form)]
    elif not example and (first := _example(command)):
        lines.append(f"For example: {form.typed(first)}")
    return error_reply("\n".join(lines))


def _example(command: Command) -> str | None:
    """The command's first example, unless it is the bare command: after a refusal of
    /meeting end, "For example: /meeting end" would only say to do it again."""
    first = command.examples[0] if command.examples else None
    return None if first == f"/{command.name}" else first


def unknown_command(registry: Registry, name: str) -> Reply:
    suggestions = registry.suggest(name)
    lines = [f"There is no command /{name}." if name else "That is not a command."]
    if suggestions:
        lines.append("Did you mean " + " or ".join(f"/{s}" for s in suggestions) + "?")
    lines.append("Type /help for the list of commands.")
    return error_reply("\n".join(lines))


def family_text(
    word: str, family: list[Command], form: CommandForm | None = None, *, intro: str = ""
) -> str:
    """The commands under a word (`/meeting`: /meeting start, /meeting end), so that the
    word a delegate remembers leads to them: Slack offers `/meeting` alone in its menu."""
    form = form or TEXT_FORM
    closing = (
        f"Type {form.typed('/help <command>')} for its usage and examples, "
        f"e.g. {form.typed(f'/help {family[0].name}')}."
    )
    intro = intro or f"Commands under /{word}:"
    return "\n".join([intro, *command_lines(family, form), "", closing])


def help_summary(
    registry: Registry, intro: str = "Commands:", form: CommandForm | None = None
) -> Reply:
    """Every command, as typed where `form` says."""
    form = form or TEXT_FORM
    commands = [registry.commands[n] for n in sorted(registry.commands)]
    lines = [intro, *command_lines(commands, form), ""]
    lines.append(
        f"Type {form.typed('/help <command>')} for its usage and examples, "
        f"e.g. {form.typed('/help who-coordinates')}."
    )
    return Reply(text="\n".join(lines), title="ISCG assistant")


def command_lines(commands: list[Command], form: CommandForm | None = None) -> list[str]:
    """One line per command, its name as typed where `form` says and what it does: the
    summaries aligned in a fixed-width font, after a dash in a proportional one."""
    form = form or TEXT_FORM
    names = [form.name(command) for command in commands]
    if not form.columns:
        return [f"• /{name} — {c.summary}" for name, c in zip(names, commands, strict=True)]
    width = max((len(name) for name in names), default=0) + 2
    return [f"  /{name.ljust(width)}{c.summary}" for name, c in zip(names, commands, strict=True)]


registry = Registry()
