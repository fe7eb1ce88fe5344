"""/digest preview, /digest now, /subscribe: the group digest and personal ones."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot import digests
from bot.core import Args, Context, NoArgs, Reply, Role, UserError, registry
from bot.digest_compose import CHAT_MAX_CHARS, render_text
from bot.digest_schedule import Schedule
from storage import digests as store
from storage import people

SUBSCRIBE_EXAMPLE = "/subscribe weekly"
CHOICES = ("daily", "weekly", "off", "nudges off", "nudges on")
# The choices as members write them, in the UN's languages too.
_SAID = {
    "daily": (
        "every day",
        *("quotidien", "quotidienne", "chaque jour", "tous les jours"),
        *("diario", "diaria", "diariamente", "cada día", "todos los días"),
        *("ежедневно", "ежедневный", "каждый день"),
        *("每天", "每日"),
        *("يومي", "يوميا", "يومياً"),
    ),
    "weekly": (
        "every week",
        *("hebdomadaire", "chaque semaine", "toutes les semaines"),
        *("semanal", "semanalmente", "cada semana", "todas las semanas"),
        *("еженедельно", "еженедельный", "каждую неделю"),
        *("每周", "每週", "每星期"),
        *("أسبوعي", "أسبوعيا", "أسبوعياً"),
    ),
    "off": (
        *("stop", "none", "never"),
        *("désactiver", "arrêter", "jamais"),
        *("desactivar", "nunca", "ninguno"),
        *("отключить", "выключить", "никогда"),
        *("关闭", "取消"),
        *("إيقاف", "إلغاء"),
    ),
}
_CHOICE_OF = {said: choice for choice, words in _SAID.items() for said in words}
# A sentence's end, in mail ("/subscribe weekly."), in Chinese and in Arabic.
_ENDS = ".!?;,:。！？；،؛"


class ChoiceArg(Args):
    choice: str = ""

    @classmethod
    def from_text(cls, text: str) -> dict[str, str]:
        said = " ".join(text.lower().split()).strip(_ENDS).strip()
        return {"choice": _CHOICE_OF.get(said, said)}


def _no_choice(said: str) -> UserError:
    """A choice not understood: the one it is closest to (a typo), else them all."""
    closest = process.extractOne(said, CHOICES, scorer=fuzz.ratio, score_cutoff=70)
    if closest is None:
        return UserError("Choose daily, weekly, off, nudges off or nudges on.", SUBSCRIBE_EXAMPLE)
    return UserError(
        f'"{said}" is no choice of /subscribe: did you mean {closest[0]}?',
        f"/subscribe {closest[0]}",
    )


@registry.command(
    "digest preview",
    args=NoArgs,
    help="The next group digest as it would be sent now (only you see it).",
    examples=["/digest preview"],
)
async def digest_preview(ctx: Context, args: NoArgs) -> Reply:
    digest = await digests.preview(ctx.services)
    if digest is None:
        return Reply(text="Nothing to report: the next digest would not be sent.", public=False)
    return Reply(text=render_text(digest, CHAT_MAX_CHARS), title=digest.title, public=False)


@registry.command(
    "digest now",
    args=NoArgs,
    help="Send the group digest now, once; the next scheduled one covers only what came after.",
    examples=["/digest now"],
    role=Role.SECRETARIAT,
)
async def digest_now(ctx: Context, args: NoArgs) -> Reply:
    async with ctx.services.db.transaction() as conn:
        outcome = await digests.send_group(ctx.services, conn, ctx.now, ctx.identity)
    if outcome == "sent":
        where = ["the mailing list", *ctx.services.settings.digest_channels]
        return Reply(text=f"Digest queued to {', '.join(where)}.", public=False)
    return Reply(text="Nothing to report since the last digest; nothing was sent.", public=False)


@registry.command(
    "subscribe",
    args=ChoiceArg,
    help="Your own digest (daily, weekly or off) by e-mail or direct message; nudges on or off.",
    usage="[daily|weekly|off|nudges off|nudges on]",
    examples=[SUBSCRIBE_EXAMPLE, "/subscribe off", "/subscribe nudges off", "/subscribe"],
    changes_state=True,
    asks_when_bare=True,
    own_settings=True,
)
async def subscribe(ctx: Context, args: ChoiceArg) -> Reply:
    """A choice changes the member's subscription; none, like `/timezone` alone, only
    says what it is (a member asking was told to choose)."""
    if args.choice and args.choice not in CHOICES:
        raise _no_choice(args.choice)
    async with ctx.services.db.transaction() as conn:
        sub = await store.subscription(conn, ctx.person_id)
        if args.choice.startswith("nudges"):
            sub.nudges = args.choice == "nudges on"
        elif args.choice and args.choice != sub.frequency:
            sub.frequency = args.choice  # type: ignore[assignment]
            if sub.frequency != "off":
                await digests.subscribed(conn, ctx.person_id, ctx.now)
        if args.choice:
            await store.save_subscription(conn, sub, ctx.now)
        person = await people.get(conn, ctx.person_id)
        assert person is not None
        identities = await people.identities_of(conn, ctx.person_id)
    where = digests.reach(person, identities)
    when = ""
    if sub.frequency != "off":
        group = Schedule.parse(ctx.services.settings.digest_schedule)
        when = f", {digests.personal_schedule(sub.frequency, group).describe()} {ctx.zone.key}"
    lines = [
        f"Personal digest: {sub.frequency}{when};"
        f" nudges about your actions: {'on' if sub.nudges else 'off'}."
    ]
    if where is None:
        lines.append(
            "I know no e-mail address or direct-message channel for you, so nothing can reach"
            " you yet: ask the secretariat to record your e-mail address."
        )
    else:
        lines.append(_reach_text(where))
    if not args.choice:
        choices = [f"/subscribe {choice}" for choice in CHOICES]
        lines.append(f"Change with {', '.join(choices[:-1])} or {choices[-1]}.")
    return Reply(text="\n".join(lines), public=False)


def _reach_text(where: str) -> str:
    """Where personal digests go, in words: 'slack:U1' means nothing to its owner."""
    platform, _, address = where.partition(":")
    if platform == "email":
        return f"They go to {address} by e-mail."
    return f"They come to you in {platform.title()}, as direct messages from me."
