"""HTML mail as plain text, with the standard library's parser (no GPL converter).

HTML-only mail must still yield its commands and `ACTION:` lines, and a
`<blockquote>` (how Gmail and Apple Mail quote) must come out as `> ` lines so
that quoted text is recognised as quoted, exactly as in a plain-text reply.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {
        *("p", "div", "br", "tr", "ul", "ol", "table", "pre", "hr", "section", "article"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "header", "footer"),
    }
)
_SKIPPED = frozenset(("script", "style", "head", "title"))
# Elements that never have an end tag.
_VOID = frozenset(("br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base"))
# Where the mail's own line breaks are its lines: <pre>, and what a style keeps
# preformatted (Outlook and some webmails write plain text this way); or not.
_WHITE_SPACE = re.compile(r"white-space\s*:\s*([a-z-]+)", re.I)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.quote_depth = 0
        self.skip_depth = 0
        self.line_depth = 0  # the quote depth the current line started at
        # Open elements, each with whether it keeps line breaks (None: as its parent).
        self.open: list[tuple[str, bool | None]] = []

    def _break(self) -> None:
        text = re.sub(r"[ \t\r\n\xa0]+", " ", "".join(self.current)).strip()
        if text or (self.lines and self.lines[-1]):
            self.lines.append(("> " * self.line_depth) + text if text else "")
        self.current = []
        self.line_depth = self.quote_depth

    def _keeps_breaks(self) -> bool:
        return next((keeps for _, keeps in reversed(self.open) if keeps is not None), False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.open.append((tag, _breaks_kept(tag, dict(attrs).get("style") or "")))
        if tag in _SKIPPED:
            self.skip_depth += 1
        elif tag == "blockquote":
            self._break()
            self.quote_depth += 1
            self.line_depth = self.quote_depth
        elif tag == "li":
            self._break()
            self.current.append("- ")
        elif tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        # Closing an element closes those left open inside it (`</tr>` an open `<td>`).
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                break
        if tag in _SKIPPED:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "blockquote":
            self._break()
            self.quote_depth = max(0, self.quote_depth - 1)
            self.line_depth = self.quote_depth
        elif tag in _BLOCKS or tag == "li":
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        lines = data.split("\n") if self._keeps_breaks() else [data]
        for number, line in enumerate(lines):
            if number:
                self._break()
            if not self.current:
                self.line_depth = self.quote_depth
            self.current.append(line)


def _breaks_kept(tag: str, style: str) -> bool | None:
    """Whether an element keeps its text's line breaks; None where it says nothing."""
    found = _WHITE_SPACE.search(style)
    if found:
        return found.group(1).lower() in ("pre", "pre-wrap", "pre-line", "break-spaces")
    return True if tag == "pre" else None


def html_to_text(html: str) -> str:
    """The readable text of an HTML body, one block per line, quotes as `> `."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    parser._break()
    return "\n".join(parser.lines).strip()
