"""Chinese as delegates write it, brought to the form the knowledge base uses.

The documents' Chinese names are in simplified characters, as the Union writes
Chinese; many Chinese speakers, Hong Kong and Macao's among them, type traditional
ones ("無障礙" for "无障碍"), and some regional usage has other words too ("人工智慧"
for "人工智能"). OpenCC's
tables (opencc-python-reimplemented, Apache-2.0) do the folding: a hand-kept
table would miss most of the thousands of characters that differ.
"""

from __future__ import annotations

import re
from functools import cache

from opencc import OpenCC

# The CJK ideographs, their extensions and compatibility forms: text without any
# (most text the bot reads) is returned as it is, never handed to OpenCC.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@cache
def _converter(config: str) -> OpenCC:
    """OpenCC reads its tables on creation: once per table, on first use."""
    return OpenCC(config)


def simplified(text: str) -> str:
    """Traditional characters made simplified, character by character ("無障礙" ->
    "无障碍"); simplified text is left as it is, so both sides of a lookup fold alike."""
    return _converter("t2s").convert(text) if _HAN.search(text) else text


def mainland_words(text: str) -> str:
    """Regional variant words made the knowledge base's as well ("人工智慧" -> "人工智能", "資訊" ->
    "信息"). Only for a second try at a lookup: it rewrites simplified text too
    ("智慧城市" -> "智能城市"), where the documents keep the first."""
    return _converter("tw2sp").convert(text) if _HAN.search(text) else text


def as_the_mainland_writes(text: str) -> str:
    """Text written in traditional characters made the mainland's, words and all ("誰協調
    網路安全" -> "谁协调网络安全"); text in simplified characters is left as it is, its words
    being the mainland's already ("智慧城市" stays)."""
    return mainland_words(text) if simplified(text) != text else text
