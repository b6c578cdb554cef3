"""The workbook's contract: sheet names, input columns, and where each of 表1…表13 sits.

Everything that knows a cell address of the workbook asks this module: the
builder writes by it, the reader reads by it, ``fill`` (the 计算 button) and the
checker point at cells through :func:`cell_of`.  Rows and columns here are
**1-based, as Excel shows them** (row 1 is the first row, column 1 is A);
XlsxWriter callers subtract one.

Input sheets
    单位信息 is a two-column form (项目 | 内容, a third column for counts),
    read by the label in column A, so rows may be moved; 主要职责 and 公务用车
    repeat, one row each.  基本支出, 项目支出, 三公经费, 政府采购, 绩效目标 and
    绩效指标 are Excel Tables with their header in row 1 and data from row 2;
    columns are found by their heading, so a column may be moved but not
    renamed.  A name column beside every code column is a formula
    (:func:`lookup_formula`) over the 科目表 sheet.

Table sheets
    表N holds 预算公开表N: label (row 1), title (row 2), 单位名称 / 单位：万元
    (row 3), two header rows (4–5), then the figures in 万元 from
    :func:`table_anchor`'s row.  :func:`printed_rows` says which row each
    :class:`~xlbudget.tables.Row` prints on; :func:`cell_of` gives its cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from xlbudget.check.findings import CheckSettings
from xlbudget.model import FUNDS, LEVELS, THREE_PUBLIC_ITEMS, UNIT_KINDS

if TYPE_CHECKING:  # pragma: no cover
    from xlbudget.tables import Table

# -- sheet names ----------------------------------------------------------------

UNIT_SHEET = "单位信息"
BASIC_SHEET = "基本支出"
PROJECT_SHEET = "项目支出"
THREE_PUBLIC_SHEET = "三公经费"
PROCUREMENT_SHEET = "政府采购"
PERFORMANCE_SHEET = "绩效目标"
INDICATOR_SHEET = "绩效指标"
CATALOGUE_SHEET = "科目表"
FINDINGS_SHEET = "校验结果"
HELP_SHEET = "使用说明"
SETTINGS_SHEET = "设置"
XLWINGS_CONF_SHEET = "xlwings.conf"
TABLE_COUNT = 13


def table_sheet(number: int) -> str:
    """Sheet of 预算公开表N: "表6"."""
    return f"表{number}"


INPUT_SHEETS = (
    UNIT_SHEET,
    BASIC_SHEET,
    PROJECT_SHEET,
    THREE_PUBLIC_SHEET,
    PROCUREMENT_SHEET,
    PERFORMANCE_SHEET,
    INDICATOR_SHEET,
)
TABLE_SHEETS = tuple(table_sheet(n) for n in range(1, TABLE_COUNT + 1))
# Sheet order of the workbook, left to right.
SHEET_ORDER = (
    (HELP_SHEET,)
    + INPUT_SHEETS
    + TABLE_SHEETS
    + (FINDINGS_SHEET, CATALOGUE_SHEET, SETTINGS_SHEET, XLWINGS_CONF_SHEET)
)


def vba_code_name(sheet: str) -> str:
    """The VBA code name (``set_vba_name``) of a sheet: Sheet1, Sheet2 … in sheet order."""
    return f"Sheet{SHEET_ORDER.index(sheet) + 1}"


# -- value lists (data validation) ------------------------------------------------

YES, NO = "是", "否"
YES_NO = (YES, NO)
FUND_NAMES = tuple(FUNDS.values())  # 资金来源 in Chinese, print order
KIND_NAMES = tuple(UNIT_KINDS.values())
LEVEL_NAMES = LEVELS
THIS_YEAR, LAST_YEAR = "本年", "上年"
THREE_PUBLIC_YEARS = (THIS_YEAR, LAST_YEAR)
THREE_PUBLIC_NAMES = THREE_PUBLIC_ITEMS
UNKNOWN_CODE = "科目编码不存在"

# -- what cells look like ------------------------------------------------------------
# A light fill on every cell staff type into; another on cells a formula fills in (科目名称).
# 使用说明 explains both; 清除校验标记 puts them back after a check's marks.
INPUT_FILL = "#FFF2CC"  # 浅黄色: 在这里填写
FORMULA_FILL = "#EDEDED"  # 浅灰色: 公式自动显示

# -- input tables -----------------------------------------------------------------

HEADER_ROW = 1  # the heading row of every input table
FIRST_DATA_ROW = 2
BLANK_ROWS = 30  # empty rows (with formulas and validation) after the data, at least
MIN_ROWS = 50  # an input table has at least this many rows


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    ``kind``: code (a classification code, kept as text), name (formula:
    the name of ``lookup``'s code), text, amount (元), fund, flag (是/否),
    item (“三公”项目), year (本年/上年), count.
    ``catalogue``: function / economic — which part of 科目表 a code or name uses.
    """

    field: str
    heading: str
    kind: str = "text"
    width: float = 14
    lookup: str = ""  # for kind "name": the field of the code it names
    catalogue: str = ""


@dataclass(frozen=True)
class InputTable:
    sheet: str
    name: str  # the Excel Table's name (ASCII, as Excel requires nothing else)
    columns: tuple[Column, ...]

    def column(self, field: str) -> int:
        """1-based column of a field."""
        return next(i for i, c in enumerate(self.columns, 1) if c.field == field)

    def letter(self, field: str) -> str:
        return col_letter(self.column(field))

    @property
    def input_columns(self) -> tuple[Column, ...]:
        """The columns people type into (not formulas)."""
        return tuple(c for c in self.columns if c.kind != "name")


BASIC = InputTable(
    BASIC_SHEET,
    "BasicLines",
    (
        Column("function", "功能分类编码", "code", 14, catalogue="function"),
        Column("function_name", "功能分类名称", "name", 30, lookup="function", catalogue="function"),
        Column("economic", "经济分类编码", "code", 14, catalogue="economic"),
        Column("economic_name", "经济分类名称", "name", 26, lookup="economic", catalogue="economic"),
        Column("fund", "资金来源", "fund", 18),
        Column("amount", "金额（元）", "amount", 16),
        Column("carryover", "上年结转", "flag", 10),
    ),
)
PROJECTS = InputTable(
    PROJECT_SHEET,
    "ProjectLines",
    (
        Column("name", "项目名称", "text", 34),
        Column("function", "功能分类编码", "code", 14, catalogue="function"),
        Column("function_name", "功能分类名称", "name", 30, lookup="function", catalogue="function"),
        Column("fund", "资金来源", "fund", 18),
        Column("amount", "金额（元）", "amount", 16),
        Column("carryover", "上年结转", "flag", 10),
        Column("performance_target", "绩效目标管理", "flag", 12),
    ),
)


def duplicate_project_formula(last_row: int) -> str:
    """True on a 项目支出 row whose name another row of the same table (same 上年结转) also has.

    The rule of ``lines.duplicate_project``, for the sheet's conditional format and validation,
    written for its first data row (relative rows, as Excel applies it down the range).
    SUMPRODUCT compares exactly: COUNTIF would read * and ? in a name as wildcards.
    """
    r, name, flag = FIRST_DATA_ROW, PROJECTS.letter("name"), PROJECTS.letter("carryover")

    def rng(col: str) -> str:
        return f"${col}${r}:${col}${last_row}"

    same_name = f"({rng(name)}=${name}{r})"
    same_table = f'(({rng(flag)}="{YES}")=(${flag}{r}="{YES}"))'
    return f'AND(TRIM(${name}{r})<>"",SUMPRODUCT({same_name}*{same_table})>1)'


THREE_PUBLIC = InputTable(
    THREE_PUBLIC_SHEET,
    "ThreePublic",
    (
        Column("year", "年度", "year", 8),
        Column("item", "项目", "item", 22),
        Column("fund", "资金来源", "fund", 18),
        Column("amount", "金额（元）", "amount", 16),
    ),
)
PROCUREMENT = InputTable(
    PROCUREMENT_SHEET,
    "Procurement",
    (
        Column("item", "采购类别", "text", 14),
        Column("amount", "金额（元）", "amount", 16),
    ),
)
PROCUREMENT_ITEMS = (("goods", "货物"), ("works", "工程"), ("services", "服务"))

_FUNDING = (
    ("central", "中央补助"),
    ("provincial", "省级资金"),
    ("local", "市县资金"),
    ("self", "单位自筹"),
    ("other", "其他资金"),
)
# 绩效目标 has 24 columns: narrow ones, text wrapped, so that one page wide stays legible.
PERFORMANCE = InputTable(
    PERFORMANCE_SHEET,
    "PerformanceTargets",
    (
        Column("project", "项目名称", "text", 16),
        Column("department", "主管部门", "text", 13),
        Column("implementer", "实施单位", "text", 12),
        Column("attribute", "项目属性", "text", 11),
        Column("period_years", "项目期（年）", "count", 6),
        Column("period_total", "项目资金总额（元）", "amount", 13),
        Column("annual_total", "年度资金总额（元）", "amount", 13),
        *(Column(f"funding.{k}", f"项目期{h}（元）", "amount", 12) for k, h in _FUNDING),
        *(Column(f"annual_funding.{k}", f"年度{h}（元）", "amount", 12) for k, h in _FUNDING),
        Column("overview", "项目概况", "text", 18),
        Column("basis", "立项依据", "text", 12),
        Column("necessity", "项目设立的必要性", "text", 14),
        Column("measures", "保障措施", "text", 12),
        Column("plan", "项目实施计划", "text", 14),
        Column("period_goal", "项目期总体目标", "text", 18),
        Column("annual_goal", "年度目标", "text", 18),
    ),
)
INDICATORS = InputTable(
    INDICATOR_SHEET,
    "Indicators",
    (
        Column("project", "项目名称", "text", 30),
        Column("level1", "一级指标", "text", 14),
        Column("level2", "二级指标", "text", 18),
        Column("name", "三级指标", "text", 34),
        Column("period_value", "项目期指标值", "text", 18),
        Column("annual_value", "年度指标值", "text", 18),
    ),
)
INPUT_TABLES = (BASIC, PROJECTS, THREE_PUBLIC, PROCUREMENT, PERFORMANCE, INDICATORS)


def input_fill(sheet: str, headings: list[object], label: object, row: int, col: int) -> str | None:
    """The fill a cell of an input sheet has when unmarked (:data:`INPUT_FILL`, :data:`FORMULA_FILL`, None).

    ``headings`` is the sheet's first row as it is now (input columns are found by heading);
    ``label`` the cell in column A of the same row (单位信息's 数量 column is input only beside 公务用车).
    """
    if row < FIRST_DATA_ROW:
        return None
    if sheet == UNIT_SHEET:
        field = UNIT_FORM_BY_LABEL.get(str(label or "").strip())
        if col == 2 or (col == 3 and field is not None and field.kind == "vehicle"):
            return INPUT_FILL
        return None
    if sheet == SETTINGS_SHEET:
        return INPUT_FILL if col == 2 else None
    spec = next((t for t in INPUT_TABLES if t.sheet == sheet), None)
    if spec is None or col > len(headings):
        return None
    column = next((c for c in spec.columns if c.heading == str(headings[col - 1] or "").strip()), None)
    if column is None:
        return None
    return FORMULA_FILL if column.kind == "name" else INPUT_FILL


# -- 单位信息 (a form read by label) ------------------------------------------------

UNIT_HEADINGS = ("项目", "内容", "数量")


@dataclass(frozen=True)
class FormField:
    field: str  # "unit.name", "overview.duties", "prior_year.income_total", …
    label: str  # column A
    kind: str = "text"  # text, year, kind, level, amount, duty (repeats), vehicle (repeats; B 用途, C 数量)
    note: str = ""  # shown in column D


UNIT_FORM = (
    FormField("unit.name", "单位名称", note="必填"),
    FormField("unit.code", "主管部门代码", note="如 017"),
    FormField("unit.level", "单位级次", "level"),
    FormField("unit.region", "地区"),
    FormField("unit.kind", "单位性质", "kind", note="行政单位 / 参照公务员法管理的事业单位 / 其他事业单位"),
    FormField("year", "预算年度", "year", note="四位数年份"),
    FormField("overview.duties_intro", "职责概述"),
    FormField(
        "overview.duties", "主要职责", "duty", note="每条职责一行；要增加，插入一行并在 A 列写“主要职责”"
    ),
    FormField("overview.organization", "机构设置"),
    FormField("prior_year.income_total", "上年收入总计（元）", "amount"),
    FormField("prior_year.expenditure_total", "上年支出总计（元）", "amount"),
    FormField("prior_year.general_budget_appropriation", "上年一般公共预算当年拨款（元）", "amount"),
    FormField("prior_year.operating_funds", "上年机关运行经费（元）", "amount"),
    FormField("explanations.total_change", "收支总计变动原因"),
    FormField("explanations.general_budget_change", "一般公共预算变动原因"),
    FormField("explanations.operating_funds_change", "机关运行经费变动原因"),
    FormField("explanations.three_public_change", "“三公”经费变动原因"),
    FormField("assets.vehicles", "公务用车", "vehicle", note="B 列用途，C 列辆数；每种用途一行"),
    FormField("assets.vehicles_note", "公务用车说明"),
    FormField("assets.building_area_m2", "房屋面积（平方米）"),
    FormField("assets.other", "其他资产情况"),
    FormField("other_notes.purchase_service_catalog", "政府购买服务指导性目录"),
    FormField("other_notes.other", "其他需要说明的事项"),
)
UNIT_FORM_BY_LABEL = {f.label: f for f in UNIT_FORM}

# -- 科目表 -----------------------------------------------------------------------

# (first column, heading of code, heading of name): three blocks side by side.
CATALOGUE_BLOCKS = {
    "function": (1, "功能分类编码", "功能分类名称"),
    "economic": (4, "经济分类编码", "经济分类名称"),
    "gov_economic": (8, "政府经济分类编码", "政府经济分类名称"),
}
# economic block: a third column, the 政府预算支出经济分类 code of each 部门经济分类 code
CATALOGUE_GOV_OF_COLUMN = 6
CATALOGUE_GOV_OF_HEADING = "对应政府经济分类编码"
CATALOGUE_NOTE_COLUMN = 11  # K: what prints of 科目表 (a note), clear of the blocks A–I


def catalogue_range(part: str) -> str:
    """The lookup range of a 科目表 block, whole columns: "科目表!$A:$B"."""
    first = CATALOGUE_BLOCKS[part][0]
    return f"{CATALOGUE_SHEET}!${col_letter(first)}:${col_letter(first + 1)}"


def code_key(cell: str) -> str:
    """A formula expression turning a code cell into its lookup key, the same in Excel, WPS and LibreOffice.

    ``cell&""`` makes a number (2010308 pasted as a number) into text the way
    a 7-digit integer prints; SUBSTITUTE drops every ASCII and full-width
    (ideographic) space, wherever it is.
    """
    return f'SUBSTITUTE(SUBSTITUTE({cell}&""," ",""),"　","")'


def lookup_formula(cell: str, part: str) -> str:
    """Name of the code in ``cell`` from the 科目表 block ``part``; blank for a blank code.

    VLOOKUP + IFERROR only (Excel 2010+, WPS, LibreOffice; no XLOOKUP).
    """
    key = code_key(cell)
    return f'=IF({key}="","",IFERROR(VLOOKUP({key},{catalogue_range(part)},2,FALSE),"{UNKNOWN_CODE}"))'


# -- 校验结果, 设置, xlwings.conf -------------------------------------------------------

FINDINGS_HEADINGS = ("规则", "级别", "表", "位置", "说明", "应为", "实为")
SETTINGS_HEADINGS = ("设置项", "值", "说明")
# 设置: rows from 2; rule ids switched off are listed one per row under 关闭的规则.
SETTINGS_THRESHOLD_LABEL = "变动提示阈值（%）"
SETTINGS_THRESHOLD_DEFAULT = int(CheckSettings().change_threshold)  # one default, the checker's
SETTINGS_DISABLED_LABEL = "关闭的规则"
# xlwings reads this sheet from A1 down to the first blank row, and a key that is there
# with an empty value hides the same key of the user's own xlwings.conf file: so only
# settings that have a value go in the block at the top.
XLWINGS_CONF = (("UDF Modules", "xlbudget.workbook.udfs"),)
# Listed below a blank row (not read by xlwings): what staff may add to the block.
XLWINGS_CONF_OPTIONAL = (
    ("Interpreter_Win", "python.exe 的完整路径，如 C:\\Python311\\python.exe；不填则用 PATH 中的 python"),
    ("PYTHONPATH", "xlbudget 所在文件夹（没有用 pip 安装时）"),
    ("Conda Path", "Anaconda/Miniconda 的安装文件夹（使用 conda 时）"),
    ("Conda Env", "conda 环境名（使用 conda 时）"),
    ("Show Console", "True：运行时显示命令行窗口（排查问题用）"),
)
XLWINGS_CONF_NOTE_ROW = len(XLWINGS_CONF) + 3  # 1-based: a blank row, then the note

# -- 表1 … 表13 --------------------------------------------------------------------

LABEL_ROW, TITLE_ROW, UNIT_ROW = 1, 2, 3
HEADER_ROWS = (4, 5)


@dataclass(frozen=True)
class Block:
    """Where one 预算公开表 sits on its sheet.

    ``key_col``: the column holding the row key (code, label, project name);
    ``name_col``: the printed name (0 = the key is the name); ``extra_col``: 表6's
    政府预算支出经济科目名称; ``value_col``: the first figure column;
    ``first_row``: the first figure row.  Balance tables (表1, 表4) put the
    income side in ``key_col``/``income_col`` and the expenditure side from
    ``name_col``.
    """

    number: int
    layout: str
    first_row: int
    key_col: int
    name_col: int
    value_col: int
    extra_col: int = 0
    income_col: int = 0
    numbered: bool = False  # a row of column numbers 1 2 3 … under the headers (表12, 表13)
    headers: tuple[
        tuple[str, tuple[str, ...]], ...
    ] = ()  # (top heading, sub-headings); "{year}" is filled in

    @property
    def sheet(self) -> str:
        return table_sheet(self.number)


_TREE_HEAD = ("项目", ("科目编码", "科目名称"))


def _block(number: int) -> Block:
    if number in (1, 4):
        income_head = "{year}年" if number == 1 else "金额"
        return Block(
            number,
            "balance",
            first_row=6,
            key_col=1,
            income_col=2,
            name_col=3,
            value_col=4,
            headers=(("收入", ("项目", income_head)), ("支出", ("项目",))),
        )
    if number == 6:
        return Block(
            6,
            "economic_tree",
            first_row=6,
            key_col=1,
            name_col=2,
            extra_col=3,
            value_col=4,
            headers=(("项目", ("科目编码", "部门预算支出经济科目名称", "政府预算支出经济科目名称")),),
        )
    if number == 10:
        return Block(10, "three_public", 6, key_col=1, name_col=0, value_col=2, headers=(("项目", ()),))
    if number == 11:
        return Block(
            11, "operating_funds", 6, key_col=1, name_col=0, value_col=2, headers=(("单位名称", ()),)
        )
    if number in (12, 13):
        return Block(
            number,
            "projects",
            7,
            key_col=1,
            name_col=0,
            value_col=2,
            numbered=True,
            headers=(("项目名称", ()),),
        )
    return Block(number, "function_tree", 6, key_col=1, name_col=2, value_col=3, headers=(_TREE_HEAD,))


BLOCKS = {n: _block(n) for n in range(1, TABLE_COUNT + 1)}

# 表N's value-column groups under the year heading: (top heading template, how many columns).
# The sub-headings are the profile's column headings.
VALUE_GROUPS: dict[int, tuple[tuple[str, int], ...]] = {
    1: (("", 3),),
    2: (("本年收入", 6), ("上年结转", 1)),
    3: (("{year}年预算数", 3),),
    4: (("金额", 4),),
    5: (("{year}年预算数", 3),),
    6: (("{year}年预算数", 3),),
    7: (("政府性基金收入预算", 1),),
    8: (("{year}年预算数", 3),),
    9: (("国有资本经营收入预算", 1), ("国有资本经营预算支出", 3)),
    10: (("{year}年预算数", 4),),
    11: (("{year}年预算数", 4),),
    12: (("合计", 1), ("{year}年财政拨款", 3), ("财政专户管理资金", 1), ("单位资金", 1)),
    13: (("合计", 1), ("{year}年财政拨款", 3), ("财政专户管理资金", 1), ("单位资金", 1)),
}

BALANCE_FOOTER = ("本年收入合计", "本年支出合计")
# 表1 / 表4 footer lines: (income label, expenditure label); the income-side carry-over label
# is the table's own (上年结转 / 上年财政拨款结转).
BALANCE_FOOTERS = (("本年收入合计", "本年支出合计"), (None, "年终结转"), ("收入总计", "支出总计"))
_NUMERALS = "一二三四五六七八九十"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 30 → 三十 (up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens - 1] + "十")
    return head + ("" if ones == 0 else _NUMERALS[ones - 1])


def numbered_label(n: int, name: str) -> str:
    """'一、一般公共服务支出' — the balance tables' way of printing a 类 or an income line."""
    return f"{chinese_ordinal(n)}、{name}"


def header_cells(t: Table, year: int) -> list[tuple[int, int, int, int, str]]:
    """(first row, first col, last row, last col, text) of every header cell of 表N, 1-based; merged when they differ."""
    b = BLOCKS[t.number]
    top, sub = HEADER_ROWS
    cells = []
    col = 1
    for head, subs in b.headers:
        subs = tuple(s.format(year=year) for s in subs)
        if not subs:
            cells.append((top, col, sub, col, head))
            col += 1
            continue
        if b.layout == "balance" and head == "支出":
            width = len(subs) + len(t.columns)
            cells.append((top, col, top, col + width - 1, head))
            for s in subs:
                cells.append((sub, col, sub, col, s))
                col += 1
            break
        cells.append((top, col, top, col + len(subs) - 1, head))
        for s in subs:
            cells.append((sub, col, sub, col, s))
            col += 1
    headings = list(t.columns)
    for head, n in VALUE_GROUPS[t.number]:
        head = head.format(year=year)
        names = headings[:n]
        headings = headings[n:]
        if b.layout == "balance":
            for s in names:
                cells.append((sub, col, sub, col, s))
                col += 1
        elif n == 1 and names and names[0] == head:
            cells.append((top, col, sub, col, head))
            col += 1
        else:
            cells.append((top, col, top, col + n - 1, head))
            for s in names:
                cells.append((sub, col, sub, col, s))
                col += 1
    return cells


def table_anchor(number: int) -> tuple[str, int, int]:
    """(sheet, first figure row, first figure column), 1-based: where 表N's figures start."""
    b = BLOCKS[number]
    return b.sheet, b.first_row, b.value_col


@dataclass(frozen=True)
class PrintedRow:
    """One printed line of a table: on ``row`` of the sheet, the figures of ``key``.

    ``side`` is "income" or "expenditure" on the balance tables, else "".  ``index`` is the
    line's place in ``table.rows`` (``table.income`` on the income side), -1 for a footer:
    two projects with the same name are two lines with the same key.
    """

    row: int
    key: str
    label: str
    level: int = 0
    side: str = ""
    index: int = -1


def printed_rows(table: Table) -> list[PrintedRow]:
    """Every line the table prints, with the sheet row it prints on.

    Tree and project tables print their rows in order from the anchor row; the
    balance tables print income and expenditure side by side, a blank line, then
    the footers (本年收入合计 …), the carry-over line and the grand totals.  An
    empty table prints nothing but its note (:func:`note_row`).
    """
    b = BLOCKS[table.number]
    if b.layout != "balance":
        if table.empty and b.layout not in ("three_public", "operating_funds"):
            return []
        return [PrintedRow(b.first_row + i, r.key, r.label, r.level, "", i) for i, r in enumerate(table.rows)]
    out = [PrintedRow(b.first_row + i, r.key, r.label, 0, "income", i) for i, r in enumerate(table.income)]
    out += [
        PrintedRow(b.first_row + i, r.key, r.label, 1, "expenditure", i) for i, r in enumerate(table.rows)
    ]
    foot = b.first_row + max(len(table.rows), len(table.income)) + 1
    carry_in = next((k for k in table.totals if k not in _FOOTER_KEYS), "")
    lines = (BALANCE_FOOTERS[0], (carry_in, "年终结转"), BALANCE_FOOTERS[2])
    for i, (income, spent) in enumerate(lines):
        if income:
            out.append(PrintedRow(foot + i, income, income, 0, "income"))
        out.append(PrintedRow(foot + i, spent, spent, 0, "expenditure"))
    return out


_FOOTER_KEYS = {"本年收入合计", "本年支出合计", "年终结转", "收入总计", "支出总计"}


def note_row(table: Table) -> int:
    """The row of 注：本表无数据 under an empty table (the first row after its header)."""
    b = BLOCKS[table.number]
    return b.first_row + (len(printed_rows(table)) if b.layout in ("three_public", "operating_funds") else 0)


def last_column(number: int) -> int:
    """The last column a table uses (for titles merged across and the print area)."""
    b = BLOCKS[number]
    return b.value_col + sum(n for _, n in VALUE_GROUPS[number]) - 1


def cell_of(table: Table, row_key: str, column: int = 0) -> str:
    """The cell of a figure: ``cell_of(tables[6], "30101", 1) -> "表6!E7"``.

    ``table`` is the :class:`~xlbudget.tables.Table` as derived (its rows decide
    the row numbers).  ``column`` indexes ``table.columns``; on 表1/表4 the income
    side (an income label, 本年收入合计, the carry-over line, 收入总计) has one
    figure, column 0.  A key the table does not print raises ``KeyError``.
    """
    b = BLOCKS[table.number]
    rows = printed_rows(table)
    for pr in rows:
        if pr.key != row_key:
            continue
        if pr.side == "income":
            if column:
                continue
            col = b.income_col
        else:
            col = b.value_col + column
        return f"{b.sheet}!{col_letter(col)}{pr.row}"
    raise KeyError(f"{table.label} 没有行 “{row_key}”")


def block_values(table: Table) -> list[list[object]]:
    """The values of 表N's body, row by row from its anchor row, one list per sheet row.

    What ``build`` writes and what ``fill`` should write, in one bulk write from
    ``(first_row, 1)``: labels as text, figures as 万元 numbers (``float`` of
    :func:`~xlbudget.money.to_wan`, two decimals), ``None`` for zero and for empty
    cells, 注：本表无数据 under an empty table.  Every list is
    :func:`last_column` long.
    """
    from xlbudget.money import to_wan
    from xlbudget.tables import EMPTY_NOTE

    b = BLOCKS[table.number]
    width = last_column(table.number)

    def wan(v: Decimal) -> float | None:
        return float(to_wan(v)) if v else None

    rows = printed_rows(table)
    end = max([pr.row for pr in rows] + [note_row(table) if table.empty else 0, b.first_row - 1])
    grid: list[list[object]] = [[None] * width for _ in range(end - b.first_row + 1)]
    body_end = b.first_row + max(len(table.rows), len(table.income))
    n_income = n_spent = 0
    for pr in rows:
        line = grid[pr.row - b.first_row]
        if b.layout == "balance":
            footer = pr.row > body_end
            if pr.side == "income":
                n_income += not footer
                label = pr.key if footer else numbered_label(n_income, pr.label)
                values = table.totals[pr.key] if footer else table.income[pr.index].values
                line[b.key_col - 1], line[b.income_col - 1] = label, wan(values[0])
            else:
                n_spent += not footer
                label = pr.key if footer else numbered_label(n_spent, pr.label)
                values = table.totals[pr.key] if footer else table.rows[pr.index].values
                line[b.name_col - 1] = label
                for c, v in enumerate(values):
                    line[b.value_col - 1 + c] = wan(v)
            continue
        row = table.rows[pr.index]
        if b.name_col:
            is_code = row.key != row.label
            line[b.key_col - 1] = row.key if is_code else row.label
            line[b.name_col - 1] = row.label if is_code else None
            if b.extra_col:
                line[b.extra_col - 1] = row.extra or None
        else:
            line[b.key_col - 1] = row.label
        for c, v in enumerate(row.values):
            line[b.value_col - 1 + c] = wan(v)
    if table.empty:
        grid[note_row(table) - b.first_row][0] = EMPTY_NOTE
    return grid


# -- helpers --------------------------------------------------------------------------


def col_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_name(row: int, col: int, sheet: str = "") -> str:
    """(12, 6, "基本支出") → "基本支出!F12"."""
    ref = f"{col_letter(col)}{row}"
    return f"{sheet}!{ref}" if sheet else ref
