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
from xlbudget.check.text.amounts import candidates
from xlbudget.check.text.base import text_finding
from xlbudget.check.text.context import TextContext, text_ctx
from xlbudget.check.text.itemlist import matched
from xlbudget.check.text.sentences import (
    AMOUNT,
    NUMBER,
    Figure,
    Para,
    figure,
    figure_at,
    round_at,
    wan_at,
    wan_truncated,
)
from xlbudget.check.text.subjects import SUBJECT_NAMES, lead_words, subject_of

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
_WAY = {1: UP, -1: DOWN, 0: FLAT}


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


@dataclass(frozen=True)
class Current:
    """This year's figure a change is computed from: as printed, or — where the printed amount disagrees
    with the table it names (text.amount / text.list_amount report that) — the table's figure at the
    precision printed, so the change is not called wrong for the amount's misprint."""

    value: Decimal
    where: str | None  # the table figure's place when it replaces the printed amount, else None


def current_of(ctx: TextContext, c: Change) -> Current | None:
    if c.current is None:
        return None
    fig = c.current
    pairs = [(i, r) for i, r in matched(ctx) if i.para is c.para and r is not None]
    if pairs:  # a 主要内容 item: its 预算安排 is its row's figure
        _, row = pairs[0]
        right = wan_at(row.yuan, fig.places)
        return Current(fig.value, None) if right == fig.value else Current(right, row.where)
    subject = subject_of(lead_words(c.para.text, fig.start), set(ctx.facts.classes))
    facts = candidates(ctx.facts, subject)
    if not facts or any(wan_at(f.yuan, fig.places) == fig.value for f in facts):
        return Current(fig.value, None)
    if any(wan_truncated(f.yuan, fig.places) == fig.value for f in facts):
        return Current(fig.value, None)  # text.truncated; the change is the printed figure's
    return Current(wan_at(facts[0].yuan, fig.places), facts[0].where)


def readings(ctx: TextContext, c: Change) -> list[Current]:
    """This year's figure as printed, then the table's where the printed one disagrees with it. A change is
    right when it is right for either: computed from the misprinted amount (福利院 2024 第4条: 738.66 against
    711.34 is indeed 增加3.84%) or from the table's (万里 2024 第31条: 0.53% is 350.35 against 348.52) —
    either way the amount is the one error, text.list_amount's / text.amount's."""
    if c.current is None:
        return []
    printed = Current(c.current.value, None)
    now = current_of(ctx, c)
    return [printed] if now is None or now.where is None else [printed, now]


def _sign(now: Decimal, prior: Figure | None) -> int | None:
    if prior is None:
        return None
    diff = now - prior.value
    return (diff > 0) - (diff < 0)


def _instead(c: Change, now: Current) -> str:
    """What a message adds when this year's figure is the table's, not the one printed."""
    assert c.current is not None
    return f"（本年按{now.where} {now.value}万元；文字印的 {c.current.text}万元有误）" if now.where else ""


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
    本年 ∓ 增减额. Where the printed 本年 amount disagrees with its table (万里 2024 第31条 prints 352.67 for 表5's
    350.35, and its 0.53% is right for 350.35), the change is right when it is right for either figure
    (:func:`readings`): the amount is the error, found once by text.list_amount / text.amount, not again as
    a wrong change; a change right for neither is worked out from the table's figure. The percentage is
    right beside the workbook (its yuan known) when it is the exact yuan's or the printed figures' own
    (2.87% or 2.88%, not 2.86% or 2.89%); from the print alone when the printed figures, each a rounding,
    allow it (2.86% … 2.89%).  Where only the 增减额 and the percentage are printed and they disagree, last
    year's figure decides which is off when the workbook (its 上年数) or another change in the text (the same
    figure; 收入总计 beside 支出总计) gives it; where nothing does, the finding says they disagree and names no
    应为."""
    t = text_ctx(ctx)
    if t is None:
        return
    for c in all_changes(t):
        if c.current is None or c.word in (FLAT, NEW):
            continue
        known = _prior_known(t, c) if c.prior is None and c.delta is not None else None
        found: list[Finding] = []
        exact = _exact(t, c, c.pct.places) if c.pct is not None else None
        for now in readings(t, c):
            found = list(_change_findings(c, now, known, exact))
            if not found:
                break  # right for the figure as printed, or for the table's
        yield from found


@dataclass(frozen=True)
class Prior:
    """Last year's figure where the sentence does not print it but something else says it."""

    value: Decimal  # 万元, at the precision of this year's figure
    how: str  # "工作簿上年数", "第3段同一数字的变动"


# subjects whose last year's figure is one: a budget balances, 收入总计 = 支出总计, in either year
_SAME_PRIOR = ({"income_total", "expenditure_total"},)


def _subject(ctx: TextContext, c: Change) -> str | None:
    assert c.current is not None
    return subject_of(lead_words(c.para.text, c.current.start), set(ctx.facts.classes))


def _consistent(c: Change) -> Decimal | None:
    """Last year's figure by a change whose printed figures agree with each other: its 上年 printed, or
    本年 ∓ 增减额 where the percentage printed beside it is that 增减额 over it."""
    if c.current is None or c.word not in (UP, DOWN):
        return None
    if c.prior is not None:
        diff = abs(c.current.value - c.prior.value)
        if c.delta is not None and round_at(diff, c.delta.places) != c.delta.value:
            return None
        if c.pct is not None and c.prior.value and not _within(c, diff, c.prior.value, True):
            return None
        return c.prior.value
    if c.delta is None or c.pct is None:
        return None
    prior = c.current.value - c.delta.value if c.word == UP else c.current.value + c.delta.value
    return prior if prior > 0 and _within(c, c.delta.value, prior, False) else None


def _prior_known(ctx: TextContext, c: Change) -> Prior | None:
    """Last year's figure of a change that prints 增减额 but not 上年: the workbook's 上年数 (the report checked
    beside its workbook), else another change in the text of the same figure (the same subject, or 收入总计
    beside 支出总计) printing this year's figure alike, whose own figures agree."""
    assert c.current is not None
    subject = _subject(ctx, c)
    if ctx.budget is not None:
        from xlbudget.check.rules.year_on_year import year_changes

        what = _YEAR_CHANGE.get(subject or "")
        change = next((y for y in year_changes(ctx.budget) if y.what == what), None)
        if change is not None and wan_at(change.current, c.current.places) == c.current.value:
            return Prior(wan_at(change.prior, c.current.places), "工作簿上年数")
    if subject is None:
        return None
    same = next((g for g in _SAME_PRIOR if subject in g), {subject})
    for other in all_changes(ctx):
        if other is c or other.current is None or other.current.value != c.current.value:
            continue
        if _subject(ctx, other) not in same:
            continue
        prior = _consistent(other)
        if prior is not None:
            index = other.para.source.index
            where = "同段" if other.para is c.para else f"第{index}段" if index else "文中"
            name = SUBJECT_NAMES.get(_subject(ctx, other) or "", "同一数字")
            said = other.para.text[other.start : other.end]
            return Prior(prior, f"按{where}{name}“{said}”推算")
    return None


def _within(c: Change, diff: Decimal, prior: Decimal, printed: bool) -> bool:
    assert c.pct is not None
    low, high = _bounds(c, diff, prior, printed)
    return low <= c.pct.value <= high


def _change_findings(
    c: Change, now: Current, known: Prior | None = None, exact: Decimal | None = None
) -> Iterator[Finding]:
    """What is wrong with one change as computed from this year's figure ``now``: the 增减额 (against last
    year's figure printed, or ``known`` from elsewhere), the percentage — which, where the exact yuan are known
    (``exact``, the text checked beside the workbook), is that one or the printed figures' own, else any the
    printed figures allow."""
    assert c.current is not None
    prior = c.prior.value if c.prior else known.value if known else None
    prior_text = f"{c.prior.text}万元" if c.prior else f"{known.value}万元（{known.how}）" if known else ""
    if prior is None and c.delta is not None:
        prior = now.value - c.delta.value if c.word == UP else now.value + c.delta.value
    if prior is None or prior < 0:
        return
    diff = abs(now.value - prior)
    if c.delta is not None and prior_text and round_at(diff, c.delta.places) != c.delta.value:
        yield text_finding(
            "text.change",
            ERROR,
            c.para,
            c.start,
            f"{now.value}万元比上年 {prior_text}{_SAY[c.word]} {diff} 万元，文字写 {c.delta.text} 万元"
            + _instead(c, now),
            f"{diff}万元",
            f"{c.delta.text}万元",
        )
    if c.pct is None or prior == 0:
        return
    printed = round_at(diff * 100 / prior, c.pct.places)
    low, high = _bounds(c, diff, prior, bool(prior_text))
    if exact is not None:
        wrong, right = c.pct.value not in (exact, printed), exact
        sum_text = f"{right}%（按元计算；按印出的万元数 {diff}万元 ÷ 上年 {prior}万元 = {printed}%）"
    else:
        wrong, right = not low <= c.pct.value <= high, printed
        sum_text = f"{diff}万元 ÷ 上年 {prior}万元 = {right}%"
    if wrong and exact is None and not prior_text and c.delta is not None:
        # 上年 printed nowhere: the 增减额 and the percentage disagree, and nothing says which is off
        rate = c.pct.value / 100
        before = now.value / (1 + rate) if c.word == UP else now.value / (1 - rate) if rate < 1 else None
        by_rate = (
            f"；按变动率，增减额约为 {round_at(abs(now.value - before), c.delta.places)} 万元"
            if before
            else ""
        )
        yield text_finding(
            "text.change",
            ERROR,
            c.para,
            c.start,
            f"增减额 {c.delta.text}万元 与变动率 {c.pct.value}% 不相符：按增减额，上年为 {prior}万元、变动率应为 "
            f"{right}%{by_rate}。文中没有上年数，无法判断是增减额还是变动率印错，请对照上年数核对后改正"
            + _instead(c, now),
            None,
            f"{c.pct.value}%",
        )
        return
    if wrong:
        wrong_base = round_at(diff * 100 / now.value, c.pct.places) if now.value else None
        base = "（按本年数而非上年数计算）" if wrong_base == c.pct.value else ""
        yield text_finding(
            "text.change",
            ERROR,
            c.para,
            c.start,
            f"变动率应为 {sum_text}，文字写 {c.pct.value}%{base}" + _instead(c, now),
            f"{right}%",
            f"{c.pct.value}%",
        )


def _bounds(c: Change, diff: Decimal, prior: Decimal, printed: bool | None = None) -> tuple[Decimal, Decimal]:
    """The percentages the printed figures allow: each 万元 figure is rounded (half a unit of its last
    decimal either way), so 1.64 ÷ 57.00 may print 2.88% and the exact yuan 2.87%. A printed 增减额 narrows
    nothing: it may be the printed figures' difference (as xlbudget prints it), a unit off the exact change.
    ``printed``: 上年 is known (printed, or said elsewhere) rather than worked out as 本年 ∓ 增减额; None: as
    the change prints it."""
    assert c.current is not None and c.pct is not None
    half = Decimal(1).scaleb(-c.current.places) / 2
    if c.prior is not None if printed is None else printed:  # 本年 − 上年, both known
        d_err, p_err = 2 * half, half
    else:  # 上年 = 本年 ∓ 增减额
        # the 增减额 is the exact change rounded (half a unit off it, 上年 then a unit off) or the printed
        # figures' difference (a unit off the exact change, 上年 then last year's printed figure): either
        d_err, p_err = 2 * half, 2 * half
    low = max(diff - d_err, Decimal(0)) * 100 / (prior + p_err)
    high = (diff + d_err) * 100 / max(prior - p_err, half)
    return round_at(low, c.pct.places), round_at(high, c.pct.places)


def _possible(c: Change, now: Decimal, prior: Decimal, places: int) -> list[Decimal]:
    """Every percentage at ``places`` decimals the printed 万元 figures allow: 本年 and 上年 are each rounded
    (half a unit of 本年's last decimal either way), and a printed 增减额 is rounded too — 58.64 − 57 with
    增加1.64万元 is 1.635 … 1.645 over 56.995 … 57.005, so 2.87%, 2.88% or 2.89%."""
    assert c.current is not None
    half = Decimal(1).scaleb(-c.current.places) / 2
    diff = abs(now - prior)
    d_low, d_high = diff - 2 * half, diff + 2 * half
    if c.delta is not None:
        d_half = Decimal(1).scaleb(-c.delta.places) / 2
        d_low, d_high = max(d_low, c.delta.value - d_half), min(d_high, c.delta.value + d_half)
    low = round_at(max(d_low, Decimal(0)) * 100 / (prior + half), places)
    high = round_at(max(d_high, Decimal(0)) * 100 / max(prior - half, half), places)
    step = Decimal(1).scaleb(-places)
    out: list[Decimal] = []
    v = low
    while v <= high and len(out) < 12:
        out.append(v)
        v += step
    return out or [round_at(diff * 100 / prior, places)]


# a subject of the text → what year_on_year.year_changes calls its change (the workbook's exact figures)
_YEAR_CHANGE = {
    "operating_funds": "机关运行经费",
    "three_public": "“三公”经费",
    "income_total": "预算收入总计",
    "expenditure_total": "预算支出总计",
    "general": "一般公共预算当年拨款",
    "abroad": "“三公”经费 因公出国（境）费",
    "reception": "“三公”经费 公务接待费",
    "vehicle_purchase": "“三公”经费 公务用车购置费",
    "vehicle_running": "“三公”经费 公务用车运行维护费",
}


def _exact(ctx: TextContext, c: Change, places: int) -> Decimal | None:
    """The percentage on the exact yuan, when the text is checked beside the unit's workbook (its last year's
    figures typed in yuan) and the change is of a figure the workbook compares with last year."""
    if ctx.budget is None or c.current is None:
        return None
    from xlbudget.check.rules.year_on_year import year_changes

    subject = subject_of(lead_words(c.para.text, c.current.start), set(ctx.facts.classes))
    what = _YEAR_CHANGE.get(subject or "")
    change = next((y for y in year_changes(ctx.budget) if y.what == what), None)
    if change is None or not change.prior:
        return None
    if wan_at(change.current, c.current.places) != c.current.value:
        return None  # not this figure's change
    return round_at(abs(change.current - change.prior) * 100 / change.prior, places)


@rule("text.percent_precision", "text")
def percent_precision(ctx: Context) -> Iterator[Finding]:
    """Every change percentage carries the decimals the report's others carry (two: 2.88%, not 2.9% —
    the seed's 机关运行经费). The percentage it should print is computed on the exact yuan where they are
    known (the text checked beside the unit's workbook); from the printed 万元 figures alone the last decimal
    may not be determined (58.64 − 57 = 1.64 over 57 is 2.87%, 2.88% or 2.89% as the figures were rounded:
    the seed's yuan give 2.87%), and then every value they allow is named, not one asserted."""
    t = text_ctx(ctx)
    if t is None:
        return
    places = _dominant_places(t)
    for c in all_changes(t):
        if c.pct is None or c.pct.places >= places or c.current is None:
            continue
        now = current_of(t, c)
        prior = c.prior.value if c.prior else None
        right, note = "", ""
        exact = _exact(t, c, places)
        if exact is not None:
            right, note = f"{exact}%", "（按元计算）"
        elif prior and now is not None:
            values = [f"{v}%" for v in _possible(c, now.value, prior, places)]
            if len(values) == 1:
                right = values[0]
            elif len(values) > 3:
                right = f"{values[0]}～{values[-1]}"
                note = "（按印出的万元数推算，末位定不下来）"
            else:
                right = "、".join(values[:-1]) + " 或 " + values[-1]
                note = "（按印出的万元数推算，末位定不下来）"
        yield text_finding(
            "text.percent_precision",
            WARNING,
            c.para,
            c.start,
            f"变动率 {c.pct.value}% 只有 {c.pct.places} 位小数，报告中其他百分比为 {places} 位"
            + (f"：应为 {right}{note}" if right else ""),
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
        said = [(now, _sign(now.value, c.prior)) for now in readings(t, c)]
        if not said or said[0][1] is None:
            continue
        if any(c.word == _WAY[sign] or (c.word == NEW and sign > 0) for _, sign in said if sign is not None):
            continue  # the word fits the figure printed, or the table's
        now, sign = said[-1]
        if sign is not None:
            right = _WAY[sign]
            assert c.prior is not None
            yield text_finding(
                "text.change_direction",
                ERROR,
                c.para,
                c.start,
                f"本年 {now.value} 万元、上年 {c.prior.text} 万元，应为“{_SAY[right]}”，文字写“{_SAY[c.word]}”"
                + _instead(c, now),
                _SAY[right],
                _SAY[c.word],
            )


@rule("text.reason_empty", "text")
def reason_empty(ctx: Context) -> Iterator[Finding]:
    """A reason announced is given: no “主要原因是。” with nothing after it."""
    t = text_ctx(ctx)
    if t is None:
        return
    for para, m in t.matches(_EMPTY_REASON):
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
            signs = {v for now in readings(t, c) if (v := _sign(now.value, c.prior)) is not None}
            if len(signs) > 1:
                continue  # up for the figure printed, down for the table's: text.list_amount's to say
            direction = _WAY[signs.pop()] if signs else c.word
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
