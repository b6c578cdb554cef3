"""Changes against last year as the text states them: the figures, the word (增加/减少/持平/新增), the
percentage's base and precision, and the reason given."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from xlbudget.check.findings import ERROR, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.text.base import text_finding
from xlbudget.check.text.context import TextContext, text_ctx
from xlbudget.check.text.sentences import AMOUNT, NUMBER, Figure, Para, figure, figure_at, round_at
from xlbudget.check.text.subjects import lead_words

_WORD = r"(增加|减少|增长|下降|持平|相同|新增|保持不变)"
CHANGE = re.compile(
    r"(?:比|较|与|同)(?:上年|\d{4}年)(?:度)?(?:当年)?(?:预算(?:执行数|数)?)?(?:相比)?"
    + _WORD
    + r"(?:"
    + NUMBER
    + r"(万元|%))?"
)
_THEN_PERCENT = re.compile(r"[，,]?(?:增加|减少|增长|下降|增幅|降幅)?(?:为)?" + NUMBER + "%")
_DELTA = re.compile(_WORD + "$")  # the words before a 增减额: …比上年增加
_PRIOR = re.compile(r"(?:上年|\d{4}年)(?:当年)?(?:预算)?(?:执行数|预算数)?(?:为)?$")
_REASON = re.compile(r"原因(?:主要)?(?:是|为|在于)?[：:]?")
_EMPTY_REASON = re.compile(r"(?:主要)?原因(?:主要)?(?:是|为|在于)[：:]?(?=[。；;，,])")
_UP = re.compile(r"增加|增长|提高|上升|增多|扩大")
_DOWN = re.compile(r"减少|下降|降低|减小|压缩|缩减|减员")
UP, DOWN, FLAT, NEW = "up", "down", "flat", "new"
_DIRECTION = {
    "增加": UP,
    "增长": UP,
    "减少": DOWN,
    "下降": DOWN,
    "持平": FLAT,
    "相同": FLAT,
    "保持不变": FLAT,
    "新增": NEW,
}
_SAY = {UP: "增加", DOWN: "减少", FLAT: "持平", NEW: "新增"}


@dataclass(frozen=True)
class Change:
    para: Para
    start: int
    end: int
    word: str  # UP / DOWN / FLAT / NEW
    current: Figure | None
    prior: Figure | None
    delta: Figure | None  # 万元
    pct: Figure | None  # %

    @property
    def sign(self) -> int | None:
        """+1 / -1 / 0 from the printed figures; None when last year's figure is not printed."""
        if self.current is None or self.prior is None:
            return None
        diff = self.current.value - self.prior.value
        return (diff > 0) - (diff < 0)


def _clause_start(text: str, pos: int) -> int:
    start = 0
    for m in re.finditer(r"[。；;]", text[:pos]):
        start = m.end()
    return start


def changes_in(para: Para) -> list[Change]:
    out = []
    text = para.text
    for m in CHANGE.finditer(text):
        word = _DIRECTION[m.group(1)]
        delta = pct = None
        end = m.end()
        if m.group(2):
            fig = figure_at(m, 2)
            if m.group(4) == "%":
                pct = fig
            else:
                delta = fig
                then = _THEN_PERCENT.match(text, m.end())
                if then:
                    pct, end = figure_at(then, 1), then.end()
        start = _clause_start(text, m.start())
        # the clause's amounts before the change, leaving out an earlier change's own 增减额
        before = [
            a
            for a in AMOUNT.finditer(text, start, m.start())
            if not _DELTA.search(lead_words(text, a.start()))
        ]
        priors = [a for a in before if _PRIOR.search(lead_words(text, a.start()))]
        others = [a for a in before if a not in priors and "上年结转" not in lead_words(text, a.start())]
        current = None
        if others:
            lead = others[0]
            between = text[lead.end() : m.start()]
            current = lead if "总计" in lead_words(text, lead.start()) and "其中" in between else others[-1]
        out.append(
            Change(
                para,
                m.start(),
                end,
                word,
                figure(current) if current else None,
                figure(priors[-1]) if priors else None,
                delta,
                pct,
            )
        )
    return out


def all_changes(ctx: TextContext) -> list[Change]:
    found: list[Change] = ctx.memo("changes", lambda: [c for p in ctx.paras for c in changes_in(p)])
    return found


def _dominant_places(ctx: TextContext) -> int:
    """The decimals most of the report's change percentages carry (the more, on a tie)."""
    places = Counter(c.pct.places for c in all_changes(ctx) if c.pct is not None)
    return max(places, key=lambda p: (places[p], p)) if places else 2


@rule("text.change", "text")
def change(ctx: Context) -> Iterator[Finding]:
    """A change against last year adds up: 本年 − 上年 = the 增减额 printed, and the percentage is that change
    over last year's figure (not over this year's), rounded half-up at the decimals printed. Last year's
    figure is the one printed (上年57万元, 2023年当年预算执行数为…); where only the 增减额 is printed it is
    本年 ∓ 增减额."""
    t = text_ctx(ctx)
    if t is None:
        return
    for c in all_changes(t):
        if c.current is None or c.word in (FLAT, NEW):
            continue
        prior = c.prior.value if c.prior else None
        if prior is None and c.delta is not None:
            prior = c.current.value - c.delta.value if c.word == UP else c.current.value + c.delta.value
        if prior is None or prior < 0:
            continue
        diff = abs(c.current.value - prior)
        if c.delta is not None and c.prior is not None and round_at(diff, c.delta.places) != c.delta.value:
            yield text_finding(
                "text.change",
                ERROR,
                c.para,
                c.start,
                f"{c.current.text}万元比上年 {c.prior.text}万元{_SAY[c.word]} {diff} 万元，文字写 {c.delta.text} 万元",
                f"{diff}万元",
                f"{c.delta.text}万元",
            )
        if c.pct is None or prior == 0:
            continue
        right = round_at(diff * 100 / prior, c.pct.places)
        low, high = _bounds(c, diff, prior)
        if not low <= c.pct.value <= high:
            wrong_base = round_at(diff * 100 / c.current.value, c.pct.places) if c.current.value else None
            base = "（按本年数而非上年数计算）" if wrong_base == c.pct.value else ""
            yield text_finding(
                "text.change",
                ERROR,
                c.para,
                c.start,
                f"变动率应为 {diff}万元 ÷ 上年 {prior}万元 = {right}%，文字写 {c.pct.value}%{base}",
                f"{right}%",
                f"{c.pct.value}%",
            )


def _bounds(c: Change, diff: Decimal, prior: Decimal) -> tuple[Decimal, Decimal]:
    """The percentages the printed figures allow: each 万元 figure is rounded (half a unit of its last
    decimal either way), so 1.64 ÷ 57.00 may print 2.88% and the exact yuan 2.87%."""
    assert c.current is not None and c.pct is not None
    half = Decimal(1).scaleb(-c.current.places) / 2
    if c.prior is not None:  # 本年 − 上年, both printed
        d_err, p_err = 2 * half, half
    else:  # 上年 = 本年 ∓ 增减额
        d_err, p_err = half, 2 * half
    low = max(diff - d_err, Decimal(0)) * 100 / (prior + p_err)
    high = (diff + d_err) * 100 / max(prior - p_err, half)
    return round_at(low, c.pct.places), round_at(high, c.pct.places)


@rule("text.percent_precision", "text")
def percent_precision(ctx: Context) -> Iterator[Finding]:
    """Every change percentage carries the decimals the report's others carry (two: 2.88%, not 2.9% —
    the seed's 机关运行经费)."""
    t = text_ctx(ctx)
    if t is None:
        return
    places = _dominant_places(t)
    for c in all_changes(t):
        if c.pct is None or c.pct.places >= places or c.current is None:
            continue
        prior = c.prior.value if c.prior else None
        right = ""
        if prior:
            right = f"{round_at(abs(c.current.value - prior) * 100 / prior, places)}%"
        yield text_finding(
            "text.percent_precision",
            WARNING,
            c.para,
            c.start,
            f"变动率 {c.pct.value}% 只有 {c.pct.places} 位小数，报告中其他百分比为 {places} 位"
            + (f"：应为 {right}" if right else ""),
            right or None,
            f"{c.pct.value}%",
        )


@rule("text.change_direction", "text")
def change_direction(ctx: Context) -> Iterator[Finding]:
    """增加/减少/持平 say what the printed figures do: 增加 when this year's is larger, 减少 when smaller,
    持平 when equal; from zero it is 新增 (an increase from nothing has no percentage: never 增加100.00%)."""
    t = text_ctx(ctx)
    if t is None:
        return
    for c in all_changes(t):
        if c.prior is not None and c.prior.value == 0 and c.current is not None and c.current.value > 0:
            if c.word == UP and c.pct is not None:
                yield text_finding(
                    "text.change_direction",
                    ERROR,
                    c.para,
                    c.start,
                    f"上年为 {c.prior.text} 万元，从零起的增长没有百分比：应写“新增{c.current.text}万元”，不是“{_SAY[c.word]}{c.pct.value}%”",
                    f"新增{c.current.text}万元",
                    f"{_SAY[c.word]}{c.pct.value}%",
                )
            continue
        sign = c.sign
        if sign is None:
            continue
        right = {1: UP, -1: DOWN, 0: FLAT}[sign]
        if c.word != right and not (c.word == NEW and sign > 0):
            assert c.current is not None and c.prior is not None
            yield text_finding(
                "text.change_direction",
                ERROR,
                c.para,
                c.start,
                f"本年 {c.current.text} 万元、上年 {c.prior.text} 万元，应为“{_SAY[right]}”，文字写“{_SAY[c.word]}”",
                _SAY[right],
                _SAY[c.word],
            )


@rule("text.reason_empty", "text")
def reason_empty(ctx: Context) -> Iterator[Finding]:
    """A reason announced is given: no “主要原因是。” with nothing after it."""
    t = text_ctx(ctx)
    if t is None:
        return
    for para in t.paras:
        for m in _EMPTY_REASON.finditer(para.text):
            yield text_finding(
                "text.reason_empty",
                ERROR,
                para,
                m.start(),
                f"“{m.group(0)}”后面没有写原因：补上原因，或删去“主要原因是”",
                "原因",
                m.group(0) + para.text[m.end() : m.end() + 1],
            )


@rule("text.reason_direction", "text")
def reason_direction(ctx: Context) -> Iterator[Finding]:
    """A change's reason does not speak of the opposite direction: a 减少 explained by “经费增加” (and the
    reverse) contradicts the figures."""
    t = text_ctx(ctx)
    if t is None:
        return
    for para in t.paras:
        found = changes_in(para)
        for i, c in enumerate(found):
            direction = {1: UP, -1: DOWN, 0: FLAT}[c.sign] if c.sign is not None else c.word
            if direction not in (UP, DOWN):
                continue
            stop = found[i + 1].start if i + 1 < len(found) else len(para.text)
            m = _REASON.search(para.text, c.end, stop)
            if m is None:
                continue
            end = re.search(r"[。；;]", para.text[m.end() : stop])
            reason = para.text[m.end() : m.end() + end.start()] if end else para.text[m.end() : stop]
            up, down = bool(_UP.search(reason)), bool(_DOWN.search(reason))
            if (direction == DOWN and up and not down) or (direction == UP and down and not up):
                yield text_finding(
                    "text.reason_direction",
                    WARNING,
                    para,
                    m.start(),
                    f"数字{_SAY[direction]}，原因却说“{reason}”：原因与变动方向相反",
                    f"说明{_SAY[direction]}的原因",
                    reason,
                )
