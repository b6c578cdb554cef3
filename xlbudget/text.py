"""Text from users' files, made safe to print: control characters removed, broken text refused.

One rule for every text field, whether it came from a cell or from JSON:

* tab, line feed and carriage return stay; a vertical tab or form feed (Word's manual line
  break pasted into Excel) becomes a line feed; every other control character (C0, DEL, C1)
  is removed — invisible, and Word, Excel and XML refuse them;
* a lone surrogate ("\\ud800", valid JSON) is refused: some character of the text was lost;
* a text longer than an Excel cell holds (32,767 characters) is refused, never cut.

:func:`clean_text` returns the text or raises :class:`TextError` with a Chinese sentence; the
reader adds the place (cell or JSON path).
"""

from __future__ import annotations

import re

MAX_CELL_CHARS = 32767  # what one Excel cell holds
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


class TextError(ValueError):
    """A text that cannot be used; ``str()`` is a Chinese sentence."""


def clean_text(text: str) -> str:
    """The text with control characters removed (see the module), or :class:`TextError`."""
    bad = _SURROGATE.search(text)
    if bad:
        raise TextError(
            f"文字中有无效字符（孤立的代理码 U+{ord(bad.group()):04X}，第 {bad.start() + 1} 个字符）："
            "原文的某个字已丢失，请重新录入这段文字"
        )
    if len(text) > MAX_CELL_CHARS:
        raise TextError(
            f"文字长 {len(text)} 个字符，超过一个 Excel 单元格能容纳的 {MAX_CELL_CHARS} 个字符，"
            "请分成几段（例如分成几条主要职责）"
        )
    return _CONTROL.sub("", text.translate(_LINE_BREAKS))


def decode_ooxml(text: str) -> str:
    """Undo the OOXML string escape (``_x000B_`` → vertical tab, ``_x005F_`` → "_") Excel writes."""
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
