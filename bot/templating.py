"""The one Jinja2 set-up for bot/templates: HTML autoescaped, mentions defanged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from bot.mentions import defang


def environment(**filters: Callable[..., Any]) -> Environment:
    env = Environment(
        loader=PackageLoader("bot", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        # Templates ship with the package and change only with a restart: no stat
        # of every template file at every render.
        auto_reload=False,
    )
    env.filters.update(defang=defang, **filters)
    return env
