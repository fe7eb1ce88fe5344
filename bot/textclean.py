"""Characters nobody sees, taken out of text where it enters the bot.

Chat, the console and mail hand the bot text that may hold characters with
no glyph: control characters, and Unicode's format characters (category Cf).
Windows mail clients open a body with a byte-order mark (U+FEFF), so
"/who-coordinates AI" on the first line was no command; a word joiner
(U+2060) inside "@everyone" kept it from reading as a broadcast word, and
one inside an address kept it from matching the person's. One function,
called where text arrives (the dispatcher, the mail reader, identities),
removes them all, so no command has to.

Kept: tab and line break; the zero-width non-joiner and joiner (U+200C,
U+200D) between two letters or symbols beyond ASCII, where they shape a
Persian or Indic word or join an emoji; and the tag characters of an emoji
flag (England's: U+1F3F4 and tags).
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile(
    # A flag and its tags, kept whole (the replacement writes it back).
    "(\U0001f3f4[\U000e0020-\U000e007f]*)"
    # Control characters but tab and line feed; soft hyphen; Arabic letter mark;
    # Mongolian vowel separator; zero-width space; left-to-right and right-to-left
    # marks; bidirectional embeddings, overrides and isolates; word joiner and
    # invisible operators; deprecated format characters; byte-order mark;
    # interlinear annotation marks; the language tag.
    "|[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0001]"
    # Tag characters anywhere else.
    "|[\U000e0020-\U000e007f]"
)
_JOINERS = re.compile("[\u200c\u200d]+")
# Invisible, and taken out of what arrives: the bot writes it into what it echoes to
# keep a word from reading as what it is, a ping (`@everyone`) or a command word.
WORD_JOINER = "\u2060"


def _joined(match: re.Match[str]) -> str:
    """A run of ZWNJ and ZWJ, kept only between two characters beyond ASCII that are
    no spaces: anywhere else (beside ASCII, a space, the text's ends) it joins nothing."""
    text, start, end = match.string, match.start(), match.end()
    sides = (text[start - 1] if start else " ", text[end] if end < len(text) else " ")
    return match.group() if all(not c.isascii() and not c.isspace() for c in sides) else ""


def clean_input(text: str) -> str:
    """The text without characters nobody sees (see the module); refuses nothing.

    Cleaning twice changes nothing more: the other characters go first, so that the
    joiners are judged by the neighbours they are left with. A check on a text
    cleaned once and a command read from it cleaned again must see the same words.
    """
    if text.isprintable():  # most lines: no such character, no line break
        return text
    text = text.replace("\r\n", "\n")
    # A mail body has line breaks and no hidden character: the patterns, tried at every
    # position, would cost it twenty times what this check does.
    if text.replace("\n", " ").replace("\t", " ").isprintable():
        return text
    return _JOINERS.sub(_joined, _INVISIBLE.sub(r"\1", text))
