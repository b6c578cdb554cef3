"""The 绩效目标申报表 (forms) of a report as text extracted from a PDF, put back together cell by cell.

In such text a form's narrow cells break their contents over lines, and the reader's paragraphs break with
them: a label written down its cell one character a line ("绩" "效" "指" "标"), a label wrapped in its cell
("服务对象满意" "度指标", "项目资金" "（元）"), a label's value on the line after it ("保证项目实施的制度、措施"
"同财行[2019]36号 关于印发…的通"), and a value wrapped before its last characters ("…的通" "知",
"…保障单位管理职" "能的发挥。").  :func:`join_forms` joins those pieces, so that the text rules see whole
cells and sentences; a line of its own stays one — a label, an indicator row (``信访勤务保障次数 ≥8次``), a
sentence that ended.  Only the paragraphs of a form change: from its title (…绩效目标申报表) to the next
section or part heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

FORM_TITLE = "绩效目标申报表"

# the labels a 绩效目标申报表 prints (xlbudget.report.word_tables writes the same form)
VALUE_LABELS = (
    "项目名称",
    "项目概况",
    "立项依据",
    "项目设立必要性",
    "保证项目实施的制度、措施",
    "项目实施计划",
)
LABELS = (
    *VALUE_LABELS,
    "主管部门及代码",
    "实施单位",
    "项目属性",
    "项目期",
    "项目资金（元）",
    "实施期资金总额",
    "年度资金总额",
    "其中：中央财政资金",
    "省级财政资金",
    "市县（区）财政资金",
    "单位自筹",
    "其他资金",
    "实施期目标",
    "年度目标",
    "总体目标",
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "产出指标",
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "效益指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "满意度指标",
    "服务对象满意度指标",
)
_END = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、．]|\d+\.(?!\d))"
)
_SENTENCE_END = ("。", "！", "？", "；", "!", "?", ";")
# an indicator's value ends its row: ≥8次, =98%, 100%, ≤20.5万元, 2023年1-12月, 2间, 及时
_VALUE_END = re.compile(r"(?:[≥≤=＝<>]\s*\S+|\d+(?:\.\d+)?\s*%|\d+(?:\.\d+)?[\u4e00-\u9fff]{0,2})$")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _is_label(text: str) -> bool:
    return text in LABELS


def _starts_with_label(text: str) -> bool:
    return any(text.startswith(label) for label in LABELS)


def _label_piece(text: str) -> bool:
    """The start of a label, wrapped in its cell ("服务对象满意", "项目资金")."""
    return any(label.startswith(text) and label != text for label in LABELS)


def _joined(prev: str, cur: str, vertical: bool) -> str | None:
    """``prev`` and ``cur`` as one cell, or None when ``cur`` starts a cell or a row of its own."""
    if len(cur) == 1 and _CJK.match(cur) and vertical:
        return prev + cur  # a label written down its cell: 绩 效 指 标
    if _label_piece(prev) and (_is_label(prev + cur) or _label_piece(prev + cur)):
        return prev + cur  # 服务对象满意 + 度指标, 项目资金 + （元）
    if _starts_with_label(cur) or "  " in cur:
        return None
    if prev in VALUE_LABELS:
        return f"{prev} {cur}"  # 保证项目实施的制度、措施 + 同财行[2019]36号 …
    if _is_label(prev) or _label_piece(prev) or prev.endswith(_SENTENCE_END) or _VALUE_END.search(prev):
        return None
    if _VALUE_END.search(cur) and not cur.endswith(_SENTENCE_END):
        return None  # an indicator row of its own
    if _CJK.search(prev[-1:]) or prev.endswith(("，", "、", ",", "（", "《", "“")):
        return prev + cur  # …的通 + 知, …管理职 + 能的发挥。
    return None


def join_forms(paragraphs: Iterable[str]) -> Iterator[str]:
    """The paragraphs with each form's broken cells joined (see the module's docstring); the rest as given."""
    out: list[str] = []
    in_form = False
    vertical = False  # the last paragraph is a label being written down its cell, one character a line
    for text in paragraphs:
        if FORM_TITLE in text:
            in_form, vertical = True, False
            out.append(text)
            continue
        if in_form and _END.match(text):
            in_form = False
        joined = _joined(out[-1], text, vertical) if in_form and out and FORM_TITLE not in out[-1] else None
        if joined is None:
            out.append(text)
            vertical = len(text) == 1 and bool(_CJK.match(text))
        else:
            out[-1] = joined
            vertical = vertical and len(text) == 1
    yield from out
