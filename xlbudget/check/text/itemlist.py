"""The 财政拨款支出主要内容 list (Shanghai): each item against its row of the function tables.

District form, one item per 项: ``N.“{类}（类）{款}（款）{项}（项）”X万元，主要用于…。{上年}年当年预算执行数为P万元，
{年}年预算安排C万元，比…增加/减少Y%。主要原因是：…。``; city form, one per 类: ``N.“{类}”科目X万元，主要用于…。``
"""

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
from xlbudget.check.text.facts import Item
from xlbudget.check.text.sentences import NUMBER, Figure, Para, figure_at, wan_at, wan_truncated
from xlbudget.check.text.wording_data import OUTDATED
from xlbudget.money import ZERO

_DISTRICT = re.compile(r"^(\d+)[.．、]“(.+?)（类）(.+?)（款）(.+?)（项）”" + NUMBER + "万元")
_CITY = re.compile(r"^(\d+)[.．、]“([^”（]+?)”科目" + NUMBER + "万元")
_PLAN = re.compile(r"\d{4}年预算安排" + NUMBER + "万元")
_USE = re.compile(r"主要用于([^。]*)")
_REASON = re.compile(r"原因(?:主要)?(?:是|为)?[：:]?([^。]*)")


def is_item(text: str) -> bool:
    return bool(_DISTRICT.match(text) or _CITY.match(text))


def _current(name: str) -> str:
    for old, new in OUTDATED.items():
        name = name.replace(old, new)
    return name


@dataclass(frozen=True)
class ListItem:
    para: Para
    number: int
    lei: str
    kuan: str  # "" in the city form
    name: str  # 项名 (the 类名 in the city form)
    amount: Figure


def list_items(ctx: TextContext) -> list[ListItem]:
    out = []
    for para in ctx.paras:
        m = _DISTRICT.match(para.text)
        if m:
            out.append(ListItem(para, int(m.group(1)), m.group(2), m.group(3), m.group(4), figure_at(m, 5)))
            continue
        m = _CITY.match(para.text)
        if m:
            out.append(ListItem(para, int(m.group(1)), m.group(2), "", m.group(2), figure_at(m, 3)))
    return out


def match(item: ListItem, rows: list[Item]) -> Item | None:
    """The table row the item names: same 项名 and, where several carry it, the same 款 and 类."""
    lei, kuan = _current(item.lei), _current(item.kuan)
    if not item.kuan:  # city form: a 类
        return next((r for r in rows if not r.kuan and r.name == lei), None)
    named = [r for r in rows if r.kuan and r.name == _current(item.name)]
    best = [r for r in named if r.kuan == kuan and r.lei == lei] or [r for r in named if r.kuan == kuan]
    if best:
        return best[0]
    return named[0] if len(named) == 1 else None


def matched(ctx: TextContext) -> list[tuple[ListItem, Item | None]]:
    """Each item of the list with the row it names (None: no such row), worked out once per check."""
    rows = ctx.facts.items + ctx.facts.class_items
    pairs: list[tuple[ListItem, Item | None]] = ctx.memo(
        "list", lambda: [(i, match(i, rows)) for i in list_items(ctx)]
    )
    return pairs


def _label(item: ListItem) -> str:
    return f"第{item.number}条“{item.name}”"


@rule("text.list_amount", "text")
def list_amount(ctx: Context) -> Iterator[Finding]:
    """Each item of the 财政拨款支出主要内容 list gives its 项's (city form: its 类's) 一般公共预算 figure of the
    function table (表5, with 政府性基金 and 国有资本经营 rows where there are any), at the precision printed;
    its own “{年}年预算安排C万元” repeats that figure. Ten times too large or too small is said so."""
    t = text_ctx(ctx)
    if t is None:
        return
    for item, row in matched(t):
        if row is None:
            continue
        right = wan_at(row.yuan, item.amount.places)
        if item.amount.value != right:
            cut = wan_truncated(row.yuan, item.amount.places) == item.amount.value
            times = (
                "，是截去尾数而非四舍五入"
                if cut
                else "，大了十倍"
                if item.amount.value == right * 10
                else "，小了十倍"
                if item.amount.value * 10 == right
                else ""
            )
            yield text_finding(
                "text.list_amount",
                ERROR,
                item.para,
                item.amount.start,
                f"财政拨款支出主要内容{_label(item)}为 {item.amount.text} 万元，{row.where} 为 {right} 万元{times}",
                f"{right}万元",
                f"{item.amount.text}万元",
                row.table,
                quote=item.para.text,
            )
        for m in _PLAN.finditer(item.para.text):
            plan = figure_at(m, 1)
            if plan.value != right and plan.value != item.amount.value:
                yield text_finding(
                    "text.list_amount",
                    ERROR,
                    item.para,
                    m.start(),
                    f"财政拨款支出主要内容{_label(item)}的预算安排印为 {plan.text} 万元，与本条金额和{row.where}的 {right} 万元不符",
                    f"{right}万元",
                    f"{plan.text}万元",
                    row.table,
                )


@rule("text.list_items", "text")
def list_items_rule(ctx: Context) -> Iterator[Finding]:
    """The 财政拨款支出主要内容 list has one item for every 项 (city form: 类) with money in the 财政拨款 function
    tables, no item naming a 项 the tables do not have, and none twice."""
    t = text_ctx(ctx)
    if t is None:
        return
    pairs = matched(t)
    if not pairs:
        return
    seen: dict[tuple[str, str], ListItem] = {}
    for item, row in pairs:
        if row is None:
            yield text_finding(
                "text.list_items",
                ERROR,
                item.para,
                0,
                f"财政拨款支出主要内容{_label(item)}在功能分类表中找不到对应的科目（{item.lei}/{item.kuan}/{item.name}）",
                None,
                item.name,
                quote=item.para.text[:80],
            )
            continue
        key = (row.code, row.where)
        if key in seen:
            yield text_finding(
                "text.list_items",
                ERROR,
                item.para,
                0,
                f"财政拨款支出主要内容{_label(item)}与第{seen[key].number}条重复（同一科目 {row.code} {row.name}）",
                None,
                item.name,
                row.table,
                quote=item.para.text[:80],
            )
        seen.setdefault(key, item)
    city = all(not i.kuan for i, _ in pairs)
    rows = t.facts.class_items if city else t.facts.items
    last = pairs[-1][0]
    for row in rows:
        if row.yuan != 0 and (row.code, row.where) not in seen:
            yield text_finding(
                "text.list_items",
                ERROR,
                last.para,
                0,
                f"财政拨款支出主要内容未列出 {row.code} {row.lei}/{row.kuan + '/' if row.kuan else ''}{row.name}"
                f"（{row.where}，{wan_at(row.yuan, 2)} 万元）",
                f"{row.code} {row.name}",
                None,
                row.table,
                quote="",
            )


@rule("text.list_sum", "text")
def list_sum(ctx: Context) -> Iterator[Finding]:
    """The items of the 财政拨款支出主要内容 list add up to the 财政拨款 expenditure (表4 支出总计), within the
    rounding of each printed figure (0.005万元 each, 0.5万元 each in whole 万元). A gap that the items' own
    findings account for (an item's amount not its row's, a 项 left out: text.list_amount, text.list_items)
    is not found again here."""
    t = text_ctx(ctx)
    if t is None:
        return
    items = list_items(t)
    facts = t.facts.subjects.get("fiscal") or t.facts.subjects.get("general")
    if not items or not facts:
        return
    fiscal = sorted(facts, key=lambda f: "支出总计" not in f.where)  # 表4 支出总计 first
    places = min(i.amount.places for i in items)
    total = sum((i.amount.value for i in items), ZERO)
    right = wan_at(fiscal[0].yuan, places)
    half = Decimal(1).scaleb(-places) / 2
    tolerance = half * (len(items) + 1)
    meant, figures = _as_meant(t, places)
    # strictly within: each rounded figure moves by less than half a unit either way (figures.sum_finding)
    if abs(total - right) >= tolerance and abs(meant - right) >= half * (figures + 1):
        yield text_finding(
            "text.list_sum",
            ERROR,
            items[-1].para,
            0,
            f"财政拨款支出主要内容 {len(items)} 条合计 {total} 万元，{fiscal[0].where} 为 {right} 万元，"
            f"相差 {abs(total - right)} 万元（各数四舍五入的尾差小于 {tolerance} 万元）",
            f"{right}万元",
            f"{total}万元",
            fiscal[0].table,
            quote="",
        )


def _as_meant(ctx: TextContext, places: int) -> tuple[Decimal, int]:
    """The list's sum with each item at its row's figure and the rows it leaves out added: what it adds to
    once the findings of text.list_amount and text.list_items are put right (福利院 2024: 738.66 for 696.48
    and 2080599's 0.70 not listed make the 41.47万元 gap; nothing else is wrong in the list); and how many
    rounded figures that sum is of."""
    pairs = matched(ctx)
    total = sum((wan_at(r.yuan, places) if r is not None else i.amount.value for i, r in pairs), ZERO)
    seen = {(r.code, r.where) for _, r in pairs if r is not None}
    city = all(not i.kuan for i, _ in pairs)
    rows = ctx.facts.class_items if city else ctx.facts.items
    added = [wan_at(r.yuan, places) for r in rows if r.yuan and (r.code, r.where) not in seen]
    return total + sum(added, ZERO), len(pairs) + len(added)


def _keys(rows: list[Item]) -> dict[str, str]:
    """Each 项's name as a reason would say it: its 项名, or 款名+项名 where several 项 share the name."""
    names = Counter(r.name for r in rows)
    return {r.code: (r.name if names[r.name] == 1 else r.kuan + r.name) for r in rows}


@rule("text.list_reason_other_item", "text")
def reason_other_item(ctx: Context) -> Iterator[Finding]:
    """An item's 主要用于 and 主要原因 speak of the item itself, not of another 项 of the list (a sentence
    copied from the item above: 城管执法 “主要用于城乡社区管理事务一般行政管理事务”)."""
    t = text_ctx(ctx)
    if t is None:
        return
    pairs = [(i, r) for i, r in matched(t) if r is not None and i.kuan]
    rows = [r for _, r in pairs if r is not None]
    keys = _keys(rows)
    first: dict[str, Item] = {}
    for r in rows:  # each 项 once, in the order first listed: the scan below stays linear in the items
        first.setdefault(r.code, r)
    rows = list(first.values())
    for item, row in pairs:
        assert row is not None
        own = {row.name, row.kuan + row.name, keys[row.code]}
        for pattern, what in ((_USE, "主要用于"), (_REASON, "主要原因")):
            for m in pattern.finditer(item.para.text, item.amount.end):
                said = m.group(1)
                for o in sorted(own, key=len, reverse=True):
                    said = said.replace(o, "□")
                other = next((r for r in rows if r.code != row.code and keys[r.code] in said), None)
                if other is not None:
                    yield text_finding(
                        "text.list_reason_other_item",
                        WARNING,
                        item.para,
                        m.start(),
                        f"财政拨款支出主要内容{_label(item)}的{what}说的是“{keys[other.code]}”（另一条 {other.code}），"
                        f"不是本条的 {row.code} {row.name}：是否从别条复制",
                        None,
                        m.group(1),
                        row.table,
                    )
                    break
