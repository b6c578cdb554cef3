"""Money: exact yuan (元) as ``Decimal``; 万元 shown with two decimals, rounded half-up.

This module is the one place where yuan become 万元.  Everything upstream sums
exact yuan; everything that prints calls :func:`to_wan` / :func:`fmt_wan`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")

# No line of a unit budget comes near 10^15 yuan (1000万亿元); anything larger is a typing accident.
MAX_YUAN = Decimal(10) ** 15

# A half-up rounding of one figure is off by at most half a cent of 万元.
ROUNDING_HALF_STEP_WAN = Decimal("0.005")

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋，", "0123456789.-+,")
_AMOUNT = re.compile(r"^[+-]?(\d+(\.\d{0,2})?|\.\d{1,2})$")
_AMOUNT_ANY = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d{0,2})?$")


class AmountError(ValueError):
    """A value that is not an amount of yuan; ``str()`` is a Chinese sentence."""


def parse_yuan(raw: object) -> Decimal:
    """Read an amount of yuan from JSON or a cell: a number or a decimal string.

    Accepts ints, floats with at most 2 decimals, strings such as ``"1234.5"``,
    ``"1,234.50"``, full-width digits and surrounding spaces.  Anything else —
    text, more than two decimals, booleans, NaN — raises :class:`AmountError`.
    """
    if isinstance(raw, bool) or raw is None:
        raise AmountError(f"“{raw}” 不是金额")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise AmountError(f"“{raw}” 不是金额")
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = raw.strip().translate(_FULL_WIDTH).replace(" ", "")
        if _GROUPED.match(text):
            text = text.replace(",", "")
        if not _AMOUNT.match(text):
            raise AmountError(f"“{raw}” 不是金额")
        value = Decimal(text)
    else:
        raise AmountError(f"“{raw}” 不是金额")
    if abs(value) >= MAX_YUAN:
        raise AmountError(f"“{raw}” 金额过大（以元为单位，应小于 10^15 元）")
    try:
        if value != value.quantize(CENT):
            raise AmountError(f"“{raw}” 超过两位小数（金额以元为单位，最多到分）")
    except InvalidOperation as exc:  # huge exponents
        raise AmountError(f"“{raw}” 不是金额") from exc
    return value.normalize() if value == value.to_integral() else value


def to_wan(yuan: Decimal) -> Decimal:
    """Yuan → 万元 with two decimals, rounded half-up (四舍五入). The one rounding point."""
    return (yuan / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


def wan_at(yuan: Decimal, places: int) -> Decimal:
    """Yuan → 万元 at ``places`` decimals, half-up: the figure a text printing that many decimals shows
    (``wan_at(Decimal(171915169), 0) == 17192``; ``places=2`` is :func:`to_wan`)."""
    return (yuan / TEN_THOUSAND).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def wan_places(printed: str) -> int:
    """How many decimals a printed 万元 figure has: ``"17,192"`` 0, ``"916.53"`` 2."""
    _, dot, decimals = printed.strip().partition(".")
    return len(decimals) if dot else 0


def printed_change(now: Decimal, before: Decimal, *, whole: bool = False) -> Decimal:
    """``now − before`` as the two printed 万元 figures show it, in yuan: each rounded half-up (to the
    cent of 万元, or to the whole 万元 with ``whole``), then subtracted — so that a text printing both
    figures and their change adds up.  58.635 and 57.0049万元 print 58.64 and 57.00: the change printed
    is 1.64万元, not the exact change's 1.63; 20.00 and 19.995 both print 20.00: 持平, not 增加0.01."""
    step = Decimal(1) if whole else CENT
    now_wan = (now / TEN_THOUSAND).quantize(step, rounding=ROUND_HALF_UP)
    before_wan = (before / TEN_THOUSAND).quantize(step, rounding=ROUND_HALF_UP)
    return (now_wan - before_wan) * TEN_THOUSAND


def prints_zero(yuan: Decimal, *, whole: bool = False) -> bool:
    """Whether the figure prints as 0.00万元 (or 0万元 with ``whole``): last year's 30 元 is "from zero"
    to a reader, who sees 上年0.00万元 — never 增加666566.67%."""
    return printed_change(yuan, ZERO, whole=whole) == 0


def fmt_wan(yuan: Decimal) -> str:
    """Yuan → the printed 万元 figure, e.g. ``Decimal(9165305) -> "916.53"``."""
    return f"{to_wan(yuan):.2f}"


def yuan_places(figures: Iterable[Decimal]) -> int:
    """The decimals every figure of one table in 元 prints with: 2 when any of them has fen, else 0.

    One rule for the whole table, so that a column never mixes ``758,448.50`` with ``3,580,522``: with
    fen anywhere the table prints ``3,580,522.00`` too; without, whole yuan (``9,501,164``) as the
    Shanghai prints do."""
    return 2 if any(v != v.to_integral_value() for v in figures) else 0


def fmt_yuan(yuan: Decimal, places: int | None = None) -> str:
    """Yuan as a table in 元 prints it, with thousands separators: ``places`` decimals (the table's
    :func:`yuan_places`), by default the figure's own (9,501,164; 758,448.50).  Never rounds fen away."""
    places = max(yuan_places((yuan,)), places or 0)
    return f"{yuan:,.{places}f}"


def fmt_amount(
    yuan: Decimal, unit: str, places: int | None = None, *, zero: str = "", trim: bool = False
) -> str:
    """A table's figure as printed in its unit (万元, or 元 with the table's ``places``); a zero prints as
    ``zero`` (an empty cell by default; Shanghai's 部门 template prints ``0``).  ``trim``: the decimals'
    trailing zeros dropped, as a spreadsheet's General format prints them (25.00 → ``25``, 6.40 → ``6.4``:
    Shanghai's district 表9)."""
    if yuan == 0:
        return zero
    text = fmt_yuan(yuan, places) if unit == "元" else fmt_wan(yuan)
    return text.rstrip("0").rstrip(".") if trim and "." in text else text


def in_unit(yuan: Decimal, unit: str) -> Decimal:
    """The figure a sheet cell holds for a table in ``unit``: 万元 rounded half-up, or exact 元."""
    return yuan if unit == "元" else to_wan(yuan)


def fmt_wan_grouped(yuan: Decimal) -> str:
    """:func:`fmt_wan` with thousands separators, as the Shanghai text prints it: ``"1,212.12"``."""
    return f"{to_wan(yuan):,.2f}"


def fmt_wan_whole(yuan: Decimal) -> str:
    """Yuan → whole 万元, half-up, with thousands separators (the Shanghai city text: ``"17,192"``)."""
    return f"{wan_at(yuan, 0):,}"


def wan_to_yuan(wan: Decimal) -> Decimal:
    """A printed 万元 figure back to yuan (exact: a 万元 figure has at most 2 decimals)."""
    return wan * TEN_THOUSAND


def parse_wan(text: str, *, max_places: int | None = 2) -> Decimal:
    """A printed 万元 string ("916.53", "" for zero) → Decimal 万元.

    Published figures have two decimals; ``max_places=None`` accepts more (a cell's stored value).
    NaN, infinities and exponents are not amounts.
    """
    text = (text or "").strip().replace(",", "")
    if text in ("", "-", "—"):
        return ZERO
    if not _AMOUNT_ANY.match(text):
        raise AmountError(f"“{text}” 不是金额")
    value = Decimal(text)
    if max_places is not None and value != value.quantize(Decimal(1).scaleb(-max_places)):
        raise AmountError(f"“{text}” 不是两位小数的万元金额")
    return value


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """Share or change in %, two decimals, half-up. ``whole`` must not be zero."""
    return (part * 100 / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_percent(part: Decimal, whole: Decimal) -> str:
    """``"12.87%"``; a share of nothing is ``"0.00%"``."""
    if whole == 0:
        return "0.00%"
    return f"{percent(part, whole):.2f}%"
