"""Every setting of the bot, in one place, read from the environment and `.env`.

A bad value must stop start-up with one line naming the setting, so a
deployment never half-starts with, say, mail going nowhere.
"""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.identity import canonical_identity

ENV_FILE = Path(".env")
_BARE_ADDRESS = re.compile(r"[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+")


class ConfigError(Exception):
    """A setting has a value the bot cannot use; the message names it."""


# The variable that names the database file, for the errors that name the file.
DB_SETTING = "ISCG_DB_PATH"


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class Settings(BaseSettings):
    """The settings table of DESIGN.md; each field's alias is its variable name."""

    model_config = SettingsConfigDict(
        env_file=ENV_FILE, env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    db_path: Path = Field(Path("./data/iscg.sqlite3"), validation_alias=_env(DB_SETTING))
    timezone: str = Field("Europe/Zurich", validation_alias=_env("ISCG_TIMEZONE"))
    chairs: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validation_alias=_env("ISCG_CHAIRS"),
        examples=["chair@example.org,slack:U0123ABCD"],
    )
    bot_address: str = Field(
        "iscg-bot@localhost",
        validation_alias=_env("ISCG_BOT_ADDRESS"),
        examples=["iscg-bot@example.org"],
    )
    list_address: str = Field(
        "int-sect-group@lists.itu.int", validation_alias=_env("ISCG_LIST_ADDRESS")
    )

    smtp_host: str | None = Field(None, validation_alias=_env("ISCG_SMTP_HOST"))
    smtp_port: int = Field(587, ge=1, le=65535, validation_alias=_env("ISCG_SMTP_PORT"))
    smtp_user: str | None = Field(None, validation_alias=_env("ISCG_SMTP_USER"))
    smtp_password: str | None = Field(None, validation_alias=_env("ISCG_SMTP_PASSWORD"))
    smtp_tls: Literal["starttls", "ssl", "none"] = Field(
        "starttls", validation_alias=_env("ISCG_SMTP_TLS")
    )

    imap_host: str | None = Field(None, validation_alias=_env("ISCG_IMAP_HOST"))
    imap_port: int = Field(993, ge=1, le=65535, validation_alias=_env("ISCG_IMAP_PORT"))
    imap_user: str | None = Field(None, validation_alias=_env("ISCG_IMAP_USER"))
    imap_password: str | None = Field(None, validation_alias=_env("ISCG_IMAP_PASSWORD"))
    imap_tls: Literal["ssl", "starttls", "none"] = Field(
        "ssl", validation_alias=_env("ISCG_IMAP_TLS")
    )
    imap_mailbox: str = Field("INBOX", validation_alias=_env("ISCG_IMAP_MAILBOX"))
    inbound_smtp_port: int | None = Field(
        None, ge=1, le=65535, validation_alias=_env("ISCG_INBOUND_SMTP_PORT"), examples=[2525]
    )
    inbound_smtp_host: str = Field("127.0.0.1", validation_alias=_env("ISCG_INBOUND_SMTP_HOST"))
    mail_rate_limit: int = Field(10, ge=1, validation_alias=_env("ISCG_MAIL_RATE_LIMIT"))
    authserv_id: str | None = Field(None, validation_alias=_env("ISCG_AUTHSERV_ID"))

    slack_bot_token: str | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: str | None = Field(None, validation_alias=_env("SLACK_SIGNING_SECRET"))
    slack_app_token: str | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_url: str | None = Field(None, validation_alias=_env("SLACK_API_URL"))

    discord_token: str | None = Field(None, validation_alias=_env("DISCORD_TOKEN"))
    discord_guild_id: int | None = Field(
        None, validation_alias=_env("DISCORD_GUILD_ID"), examples=[123456789012345678]
    )

    port: int = Field(8080, ge=0, le=65535, validation_alias=_env("PORT"))
    web_public: bool = Field(True, validation_alias=_env("ISCG_WEB_PUBLIC"), examples=["false"])
    web_key: str | None = Field(None, min_length=16, validation_alias=_env("ISCG_WEB_KEY"))
    web_url: str | None = Field(
        None, validation_alias=_env("ISCG_WEB_URL"), examples=["https://iscg.example.org"]
    )

    reminders: Annotated[list[dt.timedelta], NoDecode] = Field(
        default_factory=lambda: [dt.timedelta(hours=24), dt.timedelta(minutes=15)],
        validation_alias=_env("ISCG_REMINDERS"),
        examples=["24h,15m"],
    )

    digest_schedule: str = Field("weekly mon 08:00", validation_alias=_env("ISCG_DIGEST_SCHEDULE"))
    digest_channels: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validation_alias=_env("ISCG_DIGEST_CHANNELS"),
        examples=["slack:C123,discord:456"],
    )

    @field_validator("bot_address", "list_address")
    @classmethod
    def _bare_address(cls, value: str) -> str:
        """A bare address: the bot writes it in From and To and compares it with the
        addresses of incoming mail; with a display name ("ISCG bot <...>") or no
        domain its From is malformed and mail to it or from the list goes unrecognised."""
        value = value.strip()
        if not _BARE_ADDRESS.fullmatch(value):
            raise ValueError(f"{value!r} is not a bare e-mail address (no name, no <>)")
        return value

    @field_validator("digest_schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        from bot.digest_schedule import Schedule

        Schedule.parse(value)
        return value

    @field_validator("digest_channels", mode="before")
    @classmethod
    def _destinations(cls, value: object) -> object:
        """`slack:C123,discord:456`: where the group digest is posted."""
        if not isinstance(value, str):
            return value
        found = [part.strip() for part in value.split(",") if part.strip()]
        for item in found:
            if not re.fullmatch(r"[a-z]+:\S+", item):
                raise ValueError(f"{item!r} is not a destination like slack:C123 or discord:456")
        return found

    @field_validator("chairs", mode="before")
    @classmethod
    def _split_chairs(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("chairs")
    @classmethod
    def _chairs_are_identities(cls, value: list[str]) -> list[str]:
        """Checked at start: a chair that is no identity otherwise failed every role check."""
        for item in value:
            canonical_identity(item)  # IdentityError is a ValueError: pydantic reports it
        return value

    @field_validator("web_url")
    @classmethod
    def _absolute_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not the address people reach the site at")
        return value.rstrip("/")

    @field_validator("reminders", mode="before")
    @classmethod
    def _lead_times(cls, value: object) -> object:
        """`24h,15m` (also `2d`, `90m`, empty for none): how long before a meeting to remind."""
        if not isinstance(value, str):
            return value
        leads = []
        for part in (p.strip().lower() for p in value.split(",") if p.strip()):
            match = re.fullmatch(r"(\d+)\s*([dhm])", part)
            if not match:
                raise ValueError(f"{part!r} is not a lead time like 24h, 15m or 2d")
            unit = {"d": "days", "h": "hours", "m": "minutes"}[match.group(2)]
            leads.append(dt.timedelta(**{unit: int(match.group(1))}))
        return sorted(set(leads), reverse=True)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """A place's zone. The old names without a region (CET, EST, GB) load too, but one
        is an abbreviation the bot reads as Geneva time elsewhere and shows as "CET" all
        summer, another keeps UTC-5 when New York is at UTC-4: refused, as /timezone does."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{value!r} is not an IANA time zone") from exc
        if "/" not in value and value != "UTC":
            raise ValueError(
                f"{value!r} is an abbreviation or a legacy name, not a place's zone "
                "(Geneva is Europe/Zurich)"
            )
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def chat_platforms(self) -> str | None:
        """ "Slack", "Discord" or "Slack or Discord": where replies may send someone to act
        in chat. None where the group runs on its list alone, so that no reply points
        at a workspace that does not exist."""
        running = [
            name
            for name, token in (("Slack", self.slack_bot_token), ("Discord", self.discord_token))
            if token
        ]
        return " or ".join(running) or None

    @property
    def chair_identities(self) -> frozenset[str]:
        """Chairs as canonical identities: a bare address means `email:<address>`."""
        return _identities(tuple(self.chairs))


@lru_cache(maxsize=16)
def _identities(chairs: tuple[str, ...]) -> frozenset[str]:
    """Canonical once per list of chairs: every message's sender is checked against it."""
    return frozenset(canonical_identity(item) for item in chairs)


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning a validation error into one readable line that
    names the variable and shows a value that works: an operator fixes the line
    in `.env` from the message alone."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name, info = _setting(str(first["loc"][0]) if first["loc"] else "?")
        message = first["msg"].removeprefix("Value error, ")
        example = _example(info) if info is not None else None
        hint = f"; for example {name}={example}" if example is not None else ""
        raise ConfigError(f"setting {name}: {message}{hint}") from None


def unknown_variables(env_file: Path = ENV_FILE) -> list[str]:
    """`ISCG_` variables set (in the environment or `.env`) that are no setting, each
    with the setting it most likely meant: a typo is otherwise ignored without a word,
    and `ISCG_SMTP_PASS` leaves mail to go out with no password at all."""
    known = [_setting(field)[0] for field in Settings.model_fields]
    found = {name: "" for name in os.environ if name.startswith("ISCG_")}
    if env_file.is_file():
        for name in dotenv_values(env_file):
            if name.startswith("ISCG_"):
                found.setdefault(name, f" (in {env_file})")
    lines = []
    for name, where in sorted(found.items()):
        if name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1)
        lines.append(
            f"{name}{where} is not a setting" + (f"; did you mean {close[0]}?" if close else "")
        )
    return lines


def _setting(loc: str) -> tuple[str, FieldInfo | None]:
    """The variable's name and the field of an error's location (a field or its alias)."""
    for field, info in Settings.model_fields.items():
        aliases = info.validation_alias
        names = [str(a) for a in aliases.choices] if isinstance(aliases, AliasChoices) else []
        if loc == field or loc in names:
            return (names[0] if names else field), info
    return loc, None


def _example(info: FieldInfo) -> str | None:
    """A good value of a setting: its documented example, else its default."""
    if info.examples:
        return str(info.examples[0])
    if info.default is None or info.default_factory is not None:
        return None
    return str(info.default)


def cannot_listen(
    exc: OSError, host: str, port: int, port_setting: str, host_setting: str | None = None
) -> ConfigError:
    """A listener that could not bind, as one line naming the setting to change: the
    host's when this machine has no such address, else the port's (taken, or refused)."""
    reason = os.strerror(exc.errno).lower() if exc.errno else str(exc)
    where = f"cannot listen on {host}:{port}: {reason}"
    if host_setting is not None and exc.errno == errno.EADDRNOTAVAIL:
        return ConfigError(f"setting {host_setting}: {where}; for example {host_setting}=127.0.0.1")
    _, info = _setting(port_setting)
    example = _example(info) if info is not None else None
    if example is None or example == str(port):
        example = str(port + 1 if port < 65535 else 8080)
    return ConfigError(
        f"setting {port_setting}: {where}; choose another port,"
        f" for example {port_setting}={example}"
    )
