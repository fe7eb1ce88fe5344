"""Read a page back as a person and a screen reader would: text, headings, links, form."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise

_INLINE = {"a", "abbr", "b", "code", "em", "i", "span", "strong", "small"}
_VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr", "col", "area", "base"}


@dataclass
class Page:
    lang: str | None = None
    title: str = ""
    headings: list[tuple[int, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, href)
    inputs: list[dict[str, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # for -> text
    landmarks: list[str] = field(default_factory=list)
    text: str = ""

    def link(self, text: str) -> str:
        return next(href for label, href in self.links if label == text)

    def problems(self) -> list[str]:
        """What breaks the page for someone using a screen reader or no CSS."""
        found = []
        if not self.lang:
            found.append("no lang on <html>")
        if not self.title.strip():
            found.append("no <title>")
        levels = [level for level, _ in self.headings]
        if levels[:1] != [1] or levels.count(1) != 1:
            found.append(f"one <h1> must come first: {self.headings}")
        for before, after in pairwise(levels):
            if after > before + 1:
                found.append(f"heading level skips from h{before} to h{after}")
        for item in self.inputs:
            if item.get("type") in ("hidden", "submit"):
                continue
            if item.get("id") not in self.labels:
                found.append(f"input {item} has no <label for=...>")
        for region in ("header", "nav", "main", "footer"):
            if region not in self.landmarks:
                found.append(f"no <{region}>")
        found += [f"link without text to {href}" for text, href in self.links if not text]
        return found


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._capture: list[list[str]] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.page.lang = values.get("lang")
        if tag in ("header", "nav", "main", "footer"):
            self.page.landmarks.append(tag)
        if tag == "input":
            self.page.inputs.append(values)
        if tag in _VOID:
            return
        self._stack.append((tag, values))
        self._capture.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag not in _INLINE:
            self._text.append(" ")  # a cell or block ends: words on either side stay apart
        while self._stack:
            open_tag, values = self._stack.pop()
            text = " ".join("".join(self._capture.pop()).split())
            if self._capture:
                self._capture[-1].append(text + " ")
            if open_tag == tag:
                self._closed(tag, values, text)
                return

    def _closed(self, tag: str, values: dict[str, str], text: str) -> None:
        if tag == "title":
            self.page.title = text
        elif len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.page.headings.append((int(tag[1]), text))
        elif tag == "a":
            self.page.links.append((text, values.get("href", "")))
        elif tag == "label":
            self.page.labels[values.get("for", "")] = text

    def handle_data(self, data: str) -> None:
        if self._capture:
            self._capture[-1].append(data)
        if not self._stack or self._stack[-1][0] not in ("title", "style", "script"):
            self._text.append(data)


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader.page.text = " ".join("".join(reader._text).split())
    return reader.page
