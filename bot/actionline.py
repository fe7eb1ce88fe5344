"""What marks a line as an action item, in a meeting's chat and in mail alike.

Kept apart from `bot.actions` (which needs the database and the date parser) so
that the mail reader's worker, which reads every message's lines, stays light.
"""

from __future__ import annotations

import re

# The label minute-takers put before an action item in the UN languages: ACTION
# (English, also "Action item" and "Action point", and French), ACCIÓN (Spanish, also
# typed without its accent), ДЕЙСТВИЕ and ПОРУЧЕНИЕ (Russian), 行动项 / 行动 (Chinese,
# simplified and traditional), إجراء / الإجراء (Arabic, also typed without its hamza).
# Only a label that opens a line and is followed by a colon counts (French sets a
# space before it, Chinese keyboards type a full-width one), so that ordinary prose is
# never taken for an action.
_WORDS = (
    r"action(?:\s+(?:items?|points?))?",
    "acci[óo]n",
    "действие",
    "поручение",
    "行动项",
    "行動項",
    "行动",
    "行動",
)
# Minutes number their actions after the label too ("Action 2:", "Action item 3:",
# "ACCIÓN n.º 4:", "行动项1："): such a line was no action at all, and its action lost.
_NUMBER = r"(?:\s*(?:no\.?|n\.?[º°]|#|№)?\s*\d{1,3}[a-z]?)?"
# A label in bold or italics, as Slack ("*ACTION:*") and Gmail's plain text ("*ACTION*:")
# write it, or Markdown ("**ACTION:**"): it was lost, or its first star taken for a bullet
# and the action recorded as "* Jane Doe to ...".
_EMPHASIS = "[*_]{0,2}"
_LABEL = (
    "(?:" + "|".join([*_WORDS, "الإجراء", "إجراء", "اجراء"]) + rf"){_NUMBER}{_EMPHASIS}\s*[:：]"
)
# An action item's line: the label or `#action` (maybe with a colon, "#action: ..."),
# maybe as an item of a list, bulleted or numbered ("2. ACTION: ...", "(3) #action ...").
ACTION_LINE = re.compile(
    rf"^\s*(?:(?:[-*•]|\(?\d{{1,3}}[.)])\s*)?{_EMPHASIS}"
    rf"(?:{_LABEL}|#action\b{_EMPHASIS}(?:\s*[:：])?){_EMPHASIS}\s*(?P<text>(?![*_]).+)$",
    re.I | re.S,
)
# What minutes write after the label when there is nothing to do: "Action items: none",
# "None from this call", "N/A", "No new actions", "Acción: ninguna por ahora", "Aucune",
# "Нет", "暂无", "لا يوجد". Chinese and Arabic only whole: "无障碍..." is accessibility.
_NONE = re.compile(
    r"(?:none|nil|n/a|no(?:\s+(?:new|further))?\s+actions?|ningun[ao]|ningún|aucune?|néant"
    r"|нет|отсутствуют)(?![\w/])"
    r"|(?:无|暂无|没有|無|暫無|لا يوجد|لا توجد|لا شيء)[\s.。!！]*$",
    re.I,
)


def labelled_action(line: str) -> str | None:
    """The action item a line states (`ACTION: Jane to send it`, `ACCIÓN : Ana enviará
    el documento`, `行动项：张伟 提交文件`, `#action ...`), or None for any other line,
    and for a label that says there is none ("Action items: none"), or that heads what
    follows (a bold "*Action items:*" leaves only its closing mark, no word)."""
    match = ACTION_LINE.match(line)
    text = match.group("text").strip() if match else ""
    if not any(char.isalnum() for char in text):
        return None
    # "*Action items:* _none_", "ACTION: *None*": the word in italics or bold is still none.
    return text if _NONE.match(text.strip("*_ ")) is None else None
