"""Cutting long text for platforms with per-message limits, shared by the renderers."""

from __future__ import annotations

import re

_COUNT = re.compile(r" \(\d+\)$")  # "Your open actions (3)": the count a heading ends with


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends, else at spaces.

    A word longer than the limit is cut inside; empty or blank text gives no pieces.
    """
    pieces: list[str] = []
    rest = text.strip("\n")
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest.strip():
        pieces.append(rest)
    return pieces


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis showing where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clip_heading(heading: str, limit: int) -> str:
    """As `clip`, but a count at the end ("... (12)") survives: it is what the reader
    looks for, and a long meeting title would otherwise push it off."""
    count = _COUNT.search(heading)
    if len(heading) <= limit or count is None or len(count.group()) >= limit:
        return clip(heading, limit)
    return clip(heading[: count.start()], limit - len(count.group())) + count.group()
