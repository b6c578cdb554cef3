"""Wording: years, 省直/市直/县直, placeholders, retired names, 其它, the tables' labels."""

from __future__ import annotations

import re
from collections.abc import Iterator

from xlbudget.check.findings import ERROR, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.text.base import text_finding
from xlbudget.check.text.context import text_ctx
from xlbudget.check.text.wording_data import (
    LEVEL_OF,
    LEVEL_WORDS,
    OUTDATED,
    PLACEHOLDER,
    stray_year,
    stray_year_message,
)

_QITA = re.compile(r"其它(?=[\u4e00-\u9fff]{0,16}?(?:支出|收入|费|资金|用车|事务|补助|缴费|经费))")
_LABEL = re.compile(r"([\u4e00-\u9fff]{2}公开表)(\d{1,2})(?!\d)")


def _in_title(text: str, pos: int) -> bool:
    """Inside 《…》 (a document's title, such as 《市直机关差旅费管理办法》)."""
    return text.rfind("《", 0, pos) > text.rfind("》", 0, pos)


@rule("text.year", "text")
def year(ctx: Context) -> Iterator[Finding]:
    """The text names the budget year, and last year only where it compares with it (比/与/较2022年,
    2022年预算数, 2022年当年预算执行数, 截至2022年…): any other year, or last year as the year of this
    budget's work (“2022年，…项目全部实行绩效目标管理”, “工作完成时间 2022年1月-12月”), is most likely copied
    from an old report. Document numbers (〔2019〕36号, 【2016】168号) are not years of the text."""
    t = text_ctx(ctx)
    if t is None or not t.year:
        return
    for para in t.paras:
        hit = stray_year(para.text, t.year)
        if hit is not None:
            pos, y = hit
            yield text_finding(
                "text.year", WARNING, para, pos, stray_year_message(y, t.year), f"{t.year}年", f"{y}年"
            )


@rule("text.level_wording", "text")
def level_wording(ctx: Context) -> Iterator[Finding]:
    """省直/市直/县直 and 省级/市级/区级 (部门、单位、预算主管部门、财政) fit the unit's level: a city unit's
    名词解释 does not speak of 省直部门, a district report's not of 市级预算主管部门 or 市级财政拨款."""
    t = text_ctx(ctx)
    if t is None or not t.unit_level or t.unit_level not in LEVEL_OF:
        return
    own = LEVEL_OF[t.unit_level]
    for para in t.paras:
        for m in LEVEL_WORDS.finditer(para.text):
            if m.group(1) in own or _in_title(para.text, m.start()):
                continue
            said = "区" if t.unit_level == "区级" else own  # a 区's own word, not 县
            right = "或".join(f"{c}{m.group(2) or m.group(3)}" for c in said)
            yield text_finding(
                "text.level_wording",
                WARNING,
                para,
                m.start(),
                f"本单位是{t.unit_level}单位，文字却说“{m.group(0)}”（应为{right}）",
                right,
                m.group(0),
            )
            break


@rule("text.placeholder", "text")
def placeholder(ctx: Context) -> Iterator[Finding]:
    """No template placeholder or editing note is left in the text: XX, ××, 待填写, 【】, ……, （增加内容）."""
    t = text_ctx(ctx)
    if t is None:
        return
    for para in t.paras:
        m = PLACEHOLDER.search(para.text)
        if m:
            yield text_finding(
                "text.placeholder",
                ERROR,
                para,
                m.start(),
                f"文字中留有模板的占位符或编辑批注“{m.group()}”",
                None,
                m.group(),
            )


# what makes a retired name a subject's: 卫生和计划生育管理事务, …（类）, “…”科目 — not 卫生和计划生育等领域
_SUBJECT_AFTER = re.compile(r"(?:管理事务|事务|支出|[（(][类款项][）)]|[”\"]?科目)")


def _as_subject(text: str, m: re.Match[str]) -> bool:
    """The retired name is used as a subject's name here (a whole class name ending in 支出 always is)."""
    return m.group(0).endswith("支出") or bool(_SUBJECT_AFTER.match(text, m.end()))


@rule("text.outdated_name", "text")
def outdated_name(ctx: Context) -> Iterator[Finding]:
    """Subject names are the current catalogue's: 卫生健康支出, not 医疗卫生与计划生育支出 (renamed 2019), and
    the like — where the text names a subject (…支出, …管理事务, …（类）, “…”科目), not where the words name a
    field of work (“民政、教育、卫生和计划生育等领域相关政策”)."""
    t = text_ctx(ctx)
    if t is None:
        return
    for para in t.paras:
        for old, new in OUTDATED.items():
            pos = next(
                (m.start() for m in re.finditer(re.escape(old), para.text) if _as_subject(para.text, m)), -1
            )
            if pos >= 0:
                yield text_finding(
                    "text.outdated_name",
                    WARNING if old == "卫生和计划生育" else ERROR,
                    para,
                    pos,
                    f"“{old}”是已停用的科目名称，现名“{new}”",
                    new,
                    old,
                )


@rule("text.qita", "text")
def qita(ctx: Context) -> Iterator[Finding]:
    """Subject names write 其他, never 其它 (其他支出, 其他商品和服务支出, 其他收入, 其他用车)."""
    t = text_ctx(ctx)
    if t is None:
        return
    for para, m in t.matches(_QITA):
        yield text_finding(
            "text.qita", WARNING, para, m.start(), "科目名称用“其他”，不用“其它”", "其他", "其它"
        )


@rule("text.table_label", "text")
def table_label(ctx: Context) -> Iterator[Finding]:
    """A table's label printed in the document (预算公开表9) is the profile's label for that number: the seed
    prints 部门公开表9 among 预算公开表N."""
    t = text_ctx(ctx)
    if t is None:
        return
    labels = {tb.number: tb.label for tb in t.tables.tables if tb.label}
    for para, m in t.matches(_LABEL):
        want = labels.get(int(m.group(2)))
        if want and m.group(0) != want:
            yield text_finding(
                "text.table_label",
                ERROR,
                para,
                m.start(),
                f"表名标签印为“{m.group(0)}”，其他表均为“{want[: -len(m.group(2))]}N”",
                want,
                m.group(0),
                int(m.group(2)),
            )


_CODE = re.compile(r"(?<![\d.,])([23]\d{2}(?:\d{2}){0,2})(?![\d.,])([\u4e00-\u9fff（）()]+)")


@rule("text.code", "text")
def code(ctx: Context) -> Iterator[Finding]:
    """A subject code printed with its name in the text (2080505 机关事业单位基本养老保险缴费支出) is the
    catalogue's code for that name: a name printed under a sibling's code, or under a code the catalogue
    lacks where the parent has a child of that name, is a misprinted code."""
    t = text_ctx(ctx)
    if t is None or t.catalogue is None:
        return
    cat = t.catalogue
    for para, m in t.matches(_CODE):
        number, printed = m.group(1), m.group(2)
        table = cat.function if number[0] == "2" else cat.economic
        parent = cat.parent(number)
        if parent is None or parent not in table or table.get(number) == printed:
            continue
        if table.get(number) is not None and printed.startswith(table[number]):
            continue  # the name runs on into the next words
        right = next((c for c, n in cat.children(parent) if n == printed and c != number), None)
        if right is None:
            continue
        yield text_finding(
            "text.code",
            WARNING,
            para,
            m.start(),
            f"“{printed}”的科目编码是 {right}，文字印为 {number}",
            right,
            number,
        )
