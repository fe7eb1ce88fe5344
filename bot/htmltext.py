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
# Where the mail's own line breaks are its lines: <pre>, and what a style keeps
# preformatted (Outlook and some webmails write plain text this way).
_PRE_STYLE = re.compile(r"white-space\s*:\s*(?:pre|break-spaces)", re.I)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.quote_depth = 0
        self.skip_depth = 0
        self.line_depth = 0  # the quote depth the current line started at
        self.preformatted: list[str] = []  # the open tags that keep line breaks

    def _break(self) -> None:
        text = re.sub(r"[ \t\r\n\xa0]+", " ", "".join(self.current)).strip()
        if text or (self.lines and self.lines[-1]):
            self.lines.append(("> " * self.line_depth) + text if text else "")
        self.current = []
        self.line_depth = self.quote_depth

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre" or _PRE_STYLE.search(dict(attrs).get("style") or ""):
            self.preformatted.append(tag)
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
        if self.preformatted and self.preformatted[-1] == tag:
            self.preformatted.pop()
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
        lines = data.split("\n") if self.preformatted else [data]
        for number, line in enumerate(lines):
            if number:
                self._break()
            if not self.current:
                self.line_depth = self.quote_depth
            self.current.append(line)


def html_to_text(html: str) -> str:
    """The readable text of an HTML body, one block per line, quotes as `> `."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    parser._break()
    return "\n".join(parser.lines).strip()
