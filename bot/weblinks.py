"""Where the web pages are and who may read them: the access key and the links.

`ISCG_WEB_PUBLIC=false` puts the pages behind one key carried in the URL
(`?key=`), the same one the calendar feed link carries: calendar programs
cannot log in, so a secret URL is the one kind of access control all of them
support. The key is `ISCG_WEB_KEY` when set (change the setting to revoke
every link given out), else one generated on first use and kept in the
database, so links given in chat keep working across restarts.
"""

from __future__ import annotations

import hmac
import secrets
from functools import partial
from urllib.parse import urlencode

from bot.config import Settings
from bot.services import Services
from storage import secrets as stored_secrets
from storage.timestamps import to_db

SECRET_NAME = "web_key"
FEED_PATH = "/calendar.ics"
_CACHE = "web_key"


async def access_key(services: Services) -> str | None:
    """The key every page asks for, or None when the site is public."""
    settings = services.settings
    if settings.web_public:
        return None
    if settings.web_key:
        return settings.web_key
    cached = services.extras.get(_CACHE)
    if isinstance(cached, str):
        return cached
    async with services.db.transaction() as conn:
        key = await stored_secrets.keep_first(
            conn, SECRET_NAME, secrets.token_urlsafe(24), to_db(services.now())
        )
        services.db.after_commit(partial(services.extras.__setitem__, _CACHE, key))
    return key


def key_accepted(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison, so response timing tells nothing about the key."""
    if expected is None:
        return True
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def base_url(settings: Settings) -> str:
    """The site as people reach it; `ISCG_WEB_URL` behind a proxy, else this host's port."""
    return settings.web_url or f"http://localhost:{settings.port or 8080}"


def page_url(path: str, key: str | None, base: str = "", **params: str | None) -> str:
    """A link to a page that carries the key when the site needs one."""
    query = {name: value for name, value in params.items() if value}
    if key:
        query["key"] = key
    return f"{base}{path}" + (f"?{urlencode(query)}" if query else "")


def webcal(url: str) -> str:
    """The same feed address as calendar programs open it to subscribe."""
    return "webcal://" + url.split("://", 1)[1]


def public_feed(settings: Settings) -> str | None:
    """The feed's address for mail to the list, or None when there is none to give.

    Only a site at a configured address (`ISCG_WEB_URL`) that needs no key:
    mail to the list is archived and forwarded, and a key given there is a
    key given to anyone (the key-bearing link is given in chat, by /calendar).
    """
    if not settings.web_url or not settings.web_public:
        return None
    return page_url(FEED_PATH, None, settings.web_url)


async def full_list_at(services: Services, path: str) -> str:
    """Where a list cut short in chat is whole: its page, or (behind a key, which is
    not given in an answer that may be public or mailed) how to get the page's link."""
    if await access_key(services) is not None:
        return "on the web pages (/calendar gives their link)"
    return "at " + page_url(path, None, base_url(services.settings))
