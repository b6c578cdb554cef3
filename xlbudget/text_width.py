"""How wide printed text is, and where a heading or a title may break: pure, for every printer.

The Word tables (:mod:`xlbudget.report.word_tables`) and the workbook's 表 sheets
(:mod:`xlbudget.workbook.build`) size their columns from their content with these and
break headings and titles between words — 当年预算 / 安排, never 国有资本经营预 / 算.
"""

from __future__ import annotations

import re
from functools import lru_cache

PT_MM = 25.4 / 72


def _em(ch: str) -> float:
    if ord(ch) >= 0x2E80 or 0x2000 <= ord(ch) < 0x2C00:  # CJK, full-width forms; ≤ ≥ ‰ — …
        return 1.0
    return 0.32 if ch in ".,:; " else 0.95 if ch == "%" else 0.64


@lru_cache(maxsize=1 << 16)  # column fitting measures the same cells again for each width it tries
def ems(text: str) -> float:
    """Width of one line of text in ems: a Chinese character, full-width sign or ≤ is 1; Latin letters
    and digits are taken at 0.64 (DejaVu Serif's, the widest of the faces that draw them), ".,:; " 0.32."""
    return sum(_em(ch) for ch in text)


# Words a column heading may break between (never inside): the headings' own vocabulary.
HEAD_WORDS = sorted(
    """一般公共 预算 政府性 基金 国有资本 经营 财政专户 管理 资金 单位 上年 结转 安排 当年 人员 经费 公用 基本
    项目 支出 收入 小计 合计 科目 编码 名称 本年 财政 拨款 部门 政府 经济 预算数 金额 其中 事业 其他 中央 省级
    市县（区） 自筹 三公 机关 运行 因公出国（境）费 公务 接待费 用车 购置 及 运行费 实施期 年度 目标 指标 指标值
    一级 二级 三级 服务对象 满意度 可持续影响 经济效益 社会效益 生态效益 数量 质量 时效 成本""".split(),
    key=len,
    reverse=True,
)


def head_words(text: str) -> list[str]:
    """A heading cut where it may break: between known words, after "N年"; unknown runs stay whole.

    >>> head_words("2023年合计"), head_words("当年预算安排")
    (['2023年', '合计'], ['当年', '预算', '安排'])
    """
    out: list[str] = []
    i, run = 0, ""
    while i < len(text):
        m = next((w for w in HEAD_WORDS if text.startswith(w, i)), None)
        if m is None and text[i].isdigit():
            j = i
            while j < len(text) and text[j].isdigit():
                j += 1
            m = text[i : j + 1] if j < len(text) and text[j] == "年" else text[i:j]
        if m is None:
            run += text[i]
            i += 1
            continue
        if run:
            out.append(run)
            run = ""
        out.append(m)
        i += len(m)
    if run:
        out.append(run)
    return out


# Terms a title keeps on one line (its words as head_words cuts them would part them).
TITLE_TERMS = sorted(
    """一般公共预算 政府性基金预算 国有资本经营预算 财政拨款 功能分类 经济分类 部门预算 预算单位 基本支出 项目支出
    收支预算 收入预算 支出预算 机关运行经费 上年结转 “三公”经费""".split(),
    key=len,
    reverse=True,
)


def title_words(text: str) -> list[str]:
    """A title cut where it may break: its :data:`TITLE_TERMS` whole, the rest as :func:`head_words`."""
    out: list[str] = []
    run = ""
    i = 0
    while i < len(text):
        term = next((t for t in TITLE_TERMS if text.startswith(t, i)), None)
        if term is None:
            run += text[i]
            i += 1
            continue
        if run:
            out += head_words(run)
            run = ""
        out.append(term)
        i += len(term)
    return out + (head_words(run) if run else [])


def even_lines(text: str, lines: int = 2) -> str:
    """A title broken into ``lines`` lines between words, as even as may be (the longest line as short
    as it can be): "2024年预算单位" / "国有资本经营预算支出功能分类预算表", never one character alone."""
    words = title_words(text)
    if lines < 2 or len(words) < 2:
        return text

    def best(ws: list[str], k: int) -> tuple[float, list[str]]:
        if k == 1 or len(ws) == 1:
            return ems("".join(ws)), ["".join(ws)]
        options = []
        for i in range(1, len(ws)):
            rest_width, rest = best(ws[i:], k - 1)
            options.append((max(ems("".join(ws[:i])), rest_width), ["".join(ws[:i]), *rest]))
        return min(options, key=lambda o: o[0])

    return "\n".join(best(words, lines)[1])


# A figure with its unit, which a line must never part (≤20. / 5万元 reads as two figures): a sign or
# comparison, the number with its separators (a range 1-12 whole), then % or a unit — a listed one, or
# one Chinese character (≥8次, 2间, 2022年).
_FIGURE = re.compile(
    r"[≤≥=<>＜＞≈~～±+\-－]*\d[\d,.，．]*(?:[-~～—–－][\d,.]+)*"
    r"(?:%|‰|万元|亿元|千元|平方米|立方米|人次|户次|小时|分钟|公里|公顷|[\u4e00-\u9fff])?"
)


def unbroken(text: str) -> list[str]:
    """``text`` cut where a line may break: each figure with its unit whole, every other character alone.

    >>> unbroken("≤20.5万元"), unbroken("2022年1月-12月")
    (['≤20.5万元'], ['2022年', '1月', '-12月'])
    >>> unbroken("2023年1-12月")
    ['2023年', '1-12月']
    """
    out: list[str] = []
    i = 0
    for m in _FIGURE.finditer(text):
        out += text[i : m.start()]
        out.append(m.group())
        i = m.end()
    return out + list(text[i:])
