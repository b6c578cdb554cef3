"""The text as the rules read it: paragraphs normalised, cut into sentences, figures found in them.

A PDF's text layer breaks lines inside words and puts spaces around figures ("104.50万元 ，",
"2023 年度"); Word keeps the paragraph whole.  Both become one string per paragraph with all
white space removed, so a pattern never has to allow for a line break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from xlbudget.document.model import Paragraph
from xlbudget.location import Location
from xlbudget.money import TEN_THOUSAND, to_wan

_SPACE = re.compile(r"\s+")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
# an amount: 1,212.12 / 916.53 / 57; never part of a longer number or a code
NUMBER = r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
AMOUNT = re.compile(NUMBER + r"万元")
PERCENT = re.compile(NUMBER + r"%")
_SENTENCE_END = re.compile(r"[。！？]")


def normalise(text: str) -> str:
    """One paragraph's text with no white space and half-width digits."""
    return _SPACE.sub("", text.translate(_FULL_WIDTH))


@dataclass(frozen=True)
class Figure:
    """A number as printed: its value and how many decimals it carries."""

    value: Decimal
    places: int
    text: str  # as printed, without 万元 / %
    start: int  # position in the normalised paragraph
    end: int


def figure(m: re.Match[str]) -> Figure:
    whole, frac = m.group(1), m.group(2) or ""
    value = Decimal(whole.replace(",", "") + ("." + frac if frac else ""))
    return Figure(value, len(frac), m.group(0).removesuffix("万元").removesuffix("%"), m.start(), m.end())


def figure_at(m: re.Match[str], group: int) -> Figure:
    """The figure a NUMBER pattern captured at ``group`` (its whole part) and ``group + 1`` (its decimals)."""
    whole, frac = m.group(group), m.group(group + 1) or ""
    value = Decimal(whole.replace(",", "") + ("." + frac if frac else ""))
    return Figure(
        value,
        len(frac),
        whole + ("." + frac if frac else ""),
        m.start(group),
        m.end(group + 1) if frac else m.end(group),
    )


def wan_at(yuan: Decimal, places: int) -> Decimal:
    """Yuan as 万元 at a printed precision: two decimals through money.to_wan, else half-up at ``places``."""
    if places == 2:
        return to_wan(yuan)
    return (yuan / TEN_THOUSAND).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def wan_truncated(yuan: Decimal, places: int) -> Decimal:
    """The same figure cut off instead of rounded (what a careless hand prints)."""
    return (yuan / TEN_THOUSAND).quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def round_at(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Para:
    """A paragraph as the rules read it."""

    source: Paragraph
    text: str  # normalised

    @property
    def page(self) -> int | None:
        return self.source.page

    @property
    def where(self) -> Location:
        """Where a reviewer finds it: the page, the section heading and the paragraph number."""
        return Location(page=self.source.page, paragraph=self.source.index, section=self.source.section)

    def sentence_at(self, pos: int) -> str:
        """The sentence around a position: from the last 。 before it to the next 。 (included)."""
        start = 0
        for m in _SENTENCE_END.finditer(self.text, 0, pos):
            start = m.end()
        after = _SENTENCE_END.search(self.text, pos)
        end = after.end() if after else len(self.text)
        return self.text[start:end]


def paras(paragraphs: tuple[Paragraph, ...] | list[Paragraph]) -> tuple[Para, ...]:
    return tuple(Para(p, normalise(p.text)) for p in paragraphs if p.text.strip())
