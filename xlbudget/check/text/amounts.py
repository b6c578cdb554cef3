"""Amounts and shares in the text against the tables: 收入/支出总计 and their parts, 基本/项目, 人员/公用,
per-类 figures, 三公, 机关运行经费, 政府采购, the 绩效 projects."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from xlbudget.check.findings import ERROR, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.text.base import text_finding
from xlbudget.check.text.context import text_ctx
from xlbudget.check.text.facts import Fact, Facts
from xlbudget.check.text.itemlist import is_item
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
from xlbudget.money import ZERO

# the total a paragraph's shares are of: 支出预算916.53万元，其中：… / 当年拨款916.53万元，主要用于以下方面：…
_LEAD = re.compile(r"[，,。]?(?:其中|主要包括|主要用于|包括)")
SHARE = re.compile(r"占(?:比)?(?:为)?" + NUMBER + "%")
_PERFORMANCE = re.compile(r"绩效目标(?:管理|编报|申报)|编报绩效目标")
_COUNT = re.compile(r"项目(?:共)?(\d+)个[，,]?(?:涉及[^0-9]*" + NUMBER + "万元)?")
_LISTED = re.compile(r"(人员经费|公用经费)" + NUMBER + r"万元[，,]?(?:主要)?包括[：:]?([^。；;]*)")


def candidates(f: Facts, subject: str | None) -> list[Fact]:
    if subject is None:
        return []
    if subject.startswith("class:"):
        return f.classes.get(subject[6:], [])
    return f.subjects.get(subject, [])


def subject_name(subject: str) -> str:
    return subject[6:] if subject.startswith("class:") else SUBJECT_NAMES.get(subject, subject)


def printed_amounts(ctx: Context) -> Iterator[tuple[Para, Figure, str | None]]:
    """(paragraph, figure, subject) of every 万元 amount outside the 主要内容 list."""
    t = text_ctx(ctx)
    if t is None:
        return
    names = set(t.facts.classes)
    for para in t.paras:
        if is_item(para.text) or _PERFORMANCE.search(para.text):
            continue  # the list: text.list_*; the 绩效 projects' money: text.performance
        for m in AMOUNT.finditer(para.text):
            yield para, figure(m), subject_of(lead_words(para.text, m.start()), names)


@rule("text.amount", "text")
def amount(ctx: Context) -> Iterator[Finding]:
    """An amount the text gives for a figure of the tables equals that figure at the precision printed
    (两位小数 万元 half-up; a text in whole 万元 rounded to the 万元): 收入/支出总计, 本年收入, 上年结转, each
    fund's and each income's part, 财政拨款, 基本/项目支出, 人员/公用经费, each 类, the 三公 items,
    机关运行经费 (the 绩效 projects' money: text.performance). A figure that equals the table figure cut off instead of
    rounded is text.truncated; one ten times too large or too small is said so."""
    t = text_ctx(ctx)
    if t is None:
        return
    for para, fig, subject in printed_amounts(ctx):
        facts = candidates(t.facts, subject)
        if not facts or subject is None:
            continue
        if any(wan_at(f.yuan, fig.places) == fig.value for f in facts):
            continue
        if any(wan_truncated(f.yuan, fig.places) == fig.value for f in facts):
            continue  # text.truncated
        fact = facts[0]
        right = wan_at(fact.yuan, fig.places)
        times = ""
        if right and fig.value == right * 10:
            times = "，多了一位（大了十倍）"
        elif fig.value and fig.value * 10 == right:
            times = "，少了一位（小了十倍）"
        yield text_finding(
            "text.amount",
            ERROR,
            para,
            fig.start,
            f"文字中{subject_name(subject)}为 {fig.text} 万元，{fact.where}为 {right} 万元{times}",
            f"{right}万元",
            f"{fig.text}万元",
            fact.table,
        )


@rule("text.truncated", "text")
def truncated(ctx: Context) -> Iterator[Finding]:
    """A figure of the text is the table figure rounded half-up (四舍五入), not cut off: 6,964,796元 is
    696.48万元, not 696.47."""
    t = text_ctx(ctx)
    if t is None:
        return
    for para, fig, subject in printed_amounts(ctx):
        facts = candidates(t.facts, subject)
        if not facts or subject is None or any(wan_at(f.yuan, fig.places) == fig.value for f in facts):
            continue
        fact = next((f for f in facts if wan_truncated(f.yuan, fig.places) == fig.value), None)
        if fact is not None:
            right = wan_at(fact.yuan, fig.places)
            yield text_finding(
                "text.truncated",
                ERROR,
                para,
                fig.start,
                f"文字中{subject_name(subject)} {fig.text} 万元是{fact.where}截去尾数所得，四舍五入应为 {right} 万元",
                f"{right}万元",
                f"{fig.text}万元",
                fact.table,
            )


@rule("text.share", "text")
def share(ctx: Context) -> Iterator[Finding]:
    """A share (占X%) is the amount before it over the total it is a part of (the amount before 其中 / 主要包括 /
    主要用于: 支出预算916.53万元，其中：基本支出523.52万元，占57.12%), rounded half-up at the decimals printed;
    computed from the printed figures or from the tables' exact figures, either is right."""
    t = text_ctx(ctx)
    if t is None:
        return
    names = set(t.facts.classes)
    for para in t.paras:
        amounts = list(AMOUNT.finditer(para.text))
        leads = [a for a in amounts if _LEAD.match(para.text, a.end())]
        for m in SHARE.finditer(para.text):
            before = [a for a in amounts if a.end() <= m.start() and m.start() - a.end() <= 3]
            base_m = next((a for a in reversed(leads) if a.end() <= m.start()), None)
            if not before or base_m is None or before[-1] is base_m:
                continue
            base = figure(base_m)
            if base.value == 0:
                continue
            part = figure(before[-1])
            printed = Decimal(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
            places = len(m.group(2) or "")
            ok = {round_at(part.value * 100 / base.value, places)}
            part_facts = candidates(t.facts, subject_of(lead_words(para.text, before[-1].start()), names))
            base_facts = candidates(t.facts, subject_of(lead_words(para.text, base_m.start()), names))
            exact = [
                round_at(p.yuan * 100 / b.yuan, places) for p in part_facts for b in base_facts if b.yuan
            ]
            ok.update(exact)
            if printed in ok:
                continue
            right = exact[0] if exact else round_at(part.value * 100 / base.value, places)
            yield text_finding(
                "text.share",
                ERROR,
                para,
                m.start(),
                f"占比 {printed}% 与所占金额不符：{part.text}万元 ÷ {base.text}万元 = {right}%",
                f"{right}%",
                f"{printed}%",
            )


@rule("text.procurement_sum", "text")
def procurement_sum(ctx: Context) -> Iterator[Finding]:
    """政府采购预算 = 货物 + 工程 + 服务, as printed in the same paragraph (each figure rounded: a gap under
    0.005万元 per figure is a 尾差 — 0.01 at most, as printed, for the four)."""
    t = text_ctx(ctx)
    if t is None:
        return
    by_para: dict[int, dict[str, Figure]] = {}
    paras: dict[int, Para] = {}
    for para, fig, subject in printed_amounts(ctx):
        if subject and subject.startswith("procurement"):
            key = id(para)
            paras[key] = para
            by_para.setdefault(key, {}).setdefault(subject, fig)
    for key, figs in by_para.items():
        parts = [figs.get(p) for p in ("procurement_goods", "procurement_works", "procurement_services")]
        total = figs.get("procurement")
        if total is None or any(p is None for p in parts):
            continue
        summed = sum((p.value for p in parts if p is not None), ZERO)
        step = Decimal(1).scaleb(-total.places) / 2
        if abs(summed - total.value) >= step * 4:  # 4 rounded figures: a tail strictly under 4 half-units
            yield text_finding(
                "text.procurement_sum",
                ERROR,
                paras[key],
                total.start,
                f"政府采购预算 {total.text} 万元不等于货物、工程、服务之和 {summed} 万元",
                f"{summed}万元",
                f"{total.text}万元",
            )


@rule("text.performance", "text")
def performance(ctx: Context) -> Iterator[Finding]:
    """The projects under 绩效目标管理 the text counts (项目N个，涉及…X万元) fit the projects table (Shanxi 表12):
    no more projects than it lists and no more money than its total (with the carried-over projects' table,
    Shanxi 表13, where it lists any: their projects are managed too); money equal to the whole table's total
    is all its projects (the seed prints 10个 with the 393.01万元 of all 12), and all its projects have its
    total. (A report that lists no projects table is not checked.)"""
    t = text_ctx(ctx)
    if t is None or t.facts.projects is None:
        return
    count, total, number = t.facts.projects
    # carried-over projects are managed too (涉及项目资金 counts them): the caps take in their table
    more_count, more_total, more = t.facts.carried or (0, ZERO, None)
    where = f"表{number}" + (f"、表{more}" if more is not None and more_count else "")
    for para in t.paras:
        if not _PERFORMANCE.search(para.text):
            continue
        for m in _COUNT.finditer(para.text):
            n = int(m.group(1))
            money = figure_at(m, 2) if m.group(2) else None
            right = wan_at(total, money.places) if money else None
            cap = wan_at(total + more_total, money.places) if money else None
            message = ""
            if n > count + more_count:
                message = f"文字说实行绩效目标管理的项目 {n} 个，{where}只列有 {count + more_count} 个项目"
            elif money is not None and cap is not None and money.value > cap:
                message = f"文字说绩效目标管理的项目涉及 {money.text} 万元，多于{where}全部项目的 {cap} 万元"
            elif more_count:  # with carried-over projects the text's count and money may take in some
                pass
            elif money is not None and money.value == right and n != count:
                message = f"文字说实行绩效目标管理的项目 {n} 个，所说 {money.text} 万元却是表{number}全部 {count} 个项目之和"
            elif money is not None and n == count and money.value != right:
                message = f"表{number}的全部 {count} 个项目合计 {right} 万元，文字写 {money.text} 万元"
            if message:
                yield text_finding(
                    "text.performance",
                    ERROR,
                    para,
                    m.start(),
                    message,
                    f"{count}个，{right}万元" if right is not None else f"至多{count}个",
                    f"{n}个，{money.text}万元" if money else f"{n}个",
                    number,
                )


@rule("text.items_listed", "text")
def items_listed(ctx: Context) -> Iterator[Finding]:
    """The economic items the text lists under 人员经费 / 公用经费 (主要包括：基本工资、津贴补贴…) are 款 the
    基本支出 economic table carries in that column; one the table has and the list leaves out is a warning
    (a list ending in 等 may be shortened)."""
    t = text_ctx(ctx)
    if t is None or not t.facts.economic:
        return
    for para in t.paras:
        for m in _LISTED.finditer(para.text):
            kind = "personnel" if m.group(1) == "人员经费" else "public"
            raw = m.group(4)
            names = [n.strip() for n in re.split(r"[、，,]", raw.removesuffix("等")) if n.strip()]
            names = [n.removesuffix("等") for n in names]
            carried = {n for n, v in t.facts.economic.items() if v[kind] != 0}
            for n in names:
                if n not in carried:
                    yield text_finding(
                        "text.items_listed",
                        ERROR,
                        para,
                        m.start(),
                        f"{m.group(1)}列出的“{n}”在基本支出经济分类表的{m.group(1)}中没有金额",
                        None,
                        n,
                    )
            missing = sorted(carried - set(names))
            if missing and not raw.endswith("等"):
                yield text_finding(
                    "text.items_listed",
                    WARNING,
                    para,
                    m.start(),
                    f"{m.group(1)}未列出表中有金额的：{'、'.join(missing)}",
                    "、".join(missing),
                    None,
                )
