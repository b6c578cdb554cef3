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
from typing import TYPE_CHECKING

from xlbudget.check.findings import CheckSettings
from xlbudget.model import FUNDS, LEVELS, THREE_PUBLIC_ITEMS, UNIT_KINDS

if TYPE_CHECKING:  # pragma: no cover
    from xlbudget.grids import PrintedTable
    from xlbudget.tables import Table

# -- sheet names ----------------------------------------------------------------

UNIT_SHEET = "单位信息"
BASIC_SHEET = "基本支出"
PROJECT_SHEET = "项目支出"
THREE_PUBLIC_SHEET = "三公经费"
PROCUREMENT_SHEET = "政府采购"
PERFORMANCE_SHEET = "绩效目标"
INDICATOR_SHEET = "绩效指标"
PRIOR_FUNCTIONS_SHEET = "上年数"  # last year's 一般公共预算财政拨款 by 项
FUNCTION_NOTES_SHEET = (
    "支出说明"  # per 项: what it is for, why it changed (the Shanghai 财政拨款支出主要内容)
)
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
    PRIOR_FUNCTIONS_SHEET,
    FUNCTION_NOTES_SHEET,
)
# Every 表 sheet a shipped profile has (a reader asks for these; a profile prints its own first N).
TABLE_SHEETS = tuple(table_sheet(n) for n in range(1, TABLE_COUNT + 1))


def sheet_order(n_tables: int = TABLE_COUNT) -> tuple[str, ...]:
    """Sheet order of a workbook whose profile has ``n_tables`` tables, left to right."""
    return (
        (HELP_SHEET,)
        + INPUT_SHEETS
        + TABLE_SHEETS[:n_tables]
        + (FINDINGS_SHEET, CATALOGUE_SHEET, SETTINGS_SHEET, XLWINGS_CONF_SHEET)
    )


SHEET_ORDER = sheet_order()


def vba_code_name(sheet: str, order: tuple[str, ...] = SHEET_ORDER) -> str:
    """The VBA code name (``set_vba_name``) of a sheet: Sheet1, Sheet2 … in sheet order."""
    return f"Sheet{order.index(sheet) + 1}"


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
    item (“三公”项目), year (本年/上年), count, income_kind (单位资金 by its income:
    事业收入, 事业单位经营收入 … — blank is 其他收入; the Shanghai 财务收支预算总表 prints them apart).
    ``catalogue``: function / economic — which part of 科目表 a code or name uses.
    """

    field: str
    heading: str
    kind: str = "text"
    width: float = 14
    lookup: str = ""  # for kind "name": the field of the code it names
    catalogue: str = ""
    optional: bool = False  # a workbook made before the column existed reads without it


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
        Column("income_kind", "单位资金收入类型", "income_kind", 10, optional=True),
    ),
)
PROJECTS = InputTable(
    PROJECT_SHEET,
    "ProjectLines",
    (
        Column("name", "项目名称", "text", 30),
        Column("function", "功能分类编码", "code", 14, catalogue="function"),
        Column("function_name", "功能分类名称", "name", 30, lookup="function", catalogue="function"),
        Column("fund", "资金来源", "fund", 18),
        Column("amount", "金额（元）", "amount", 16),
        Column("carryover", "上年结转", "flag", 10),
        Column("performance_target", "绩效目标管理", "flag", 12),
        Column("income_kind", "单位资金收入类型", "income_kind", 10, optional=True),
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
# 上年数: last year's 一般公共预算财政拨款 by 项 (the 项 a narrative compares with last year's).
PRIOR_FUNCTIONS = InputTable(
    PRIOR_FUNCTIONS_SHEET,
    "PriorFunctions",
    (
        Column("function", "功能分类编码", "code", 14, catalogue="function"),
        Column("function_name", "功能分类名称", "name", 34, lookup="function", catalogue="function"),
        Column("amount", "金额（元）", "amount", 16),
    ),
)
# 支出说明: per 项 of the 一般公共预算, what it is for and why it changed against last year (the
# Shanghai report's 财政拨款支出主要内容 list).
FUNCTION_NOTES = InputTable(
    FUNCTION_NOTES_SHEET,
    "FunctionNotes",
    (
        Column("function", "功能分类编码", "code", 14, catalogue="function"),
        Column("function_name", "功能分类名称", "name", 30, lookup="function", catalogue="function"),
        Column("purpose", "主要用途", "text", 36),
        Column("reason", "变动原因", "text", 36),
    ),
)
INPUT_TABLES = (
    BASIC,
    PROJECTS,
    THREE_PUBLIC,
    PROCUREMENT,
    PERFORMANCE,
    INDICATORS,
    PRIOR_FUNCTIONS,
    FUNCTION_NOTES,
)


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
    kind: str = "text"  # text, year, kind, level, profile, amount, count, duty (repeats), vehicle (repeats; B 用途, C 数量)
    note: str = ""  # shown in column D
    optional: bool = False  # a row a workbook made before it existed lacks: read as not given


UNIT_FORM = (
    FormField("unit.name", "单位名称", note="必填"),
    FormField("unit.code", "主管部门代码", note="如 017"),
    FormField("unit.level", "单位级次", "level"),
    FormField("unit.region", "地区"),
    FormField("unit.kind", "单位性质", "kind", note="行政单位 / 参照公务员法管理的事业单位 / 其他事业单位"),
    FormField("unit.province", "省份", note="如 山西省、上海市：决定公开哪一套表"),
    FormField(
        "unit.profile",
        "报表方案",
        "profile",
        note="留空则按省份：山西省 shanxi-13，上海市 shanghai-9，其他省份 national-9",
    ),
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
    # 国有资产 as the Shanghai report counts it (rows a workbook made before them lacks)
    FormField("assets.as_of", "资产统计截止日期", note="如 2023年12月31日", optional=True),
    FormField("assets.equipment", "单价100万元以上设备（台套）", "count", optional=True),
    FormField(
        "assets.planned_vehicles", "本年拟购置公务用车", "vehicle", note="B 列用途，C 列辆数；每种用途一行"
    ),
    FormField("assets.planned_equipment", "本年拟购置100万元以上设备（台套）", "count", optional=True),
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

# 原文: what a report (校验Word报告) prints where the finding is
FINDINGS_HEADINGS = ("规则", "级别", "表", "位置", "说明", "应为", "实为", "原文")
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
# Each 表 sheet prints its table's grid (:mod:`xlbudget.grids`), the same cells the Word report
# sets: label (row 1), title (row 2), unit line (row 3), the header rows from row 4, then the body,
# then the note under an empty table. Grid column c is sheet column c + 1.

LABEL_ROW, TITLE_ROW, UNIT_ROW = 1, 2, 3
HEAD_TOP = 4


def sheet_grid(t: Table, unit_name: str = "", year: int = 0) -> PrintedTable:
    """The grid 表N's sheet prints (positions do not depend on the unit name or the year)."""
    from xlbudget.grids import printed_table

    return printed_table(t, unit_name=unit_name, year=year)


def body_top(pt: PrintedTable) -> int:
    """The sheet row of the body's first line."""
    return HEAD_TOP + len(pt.heads)


def print_end(pt: PrintedTable) -> int:
    """The last row the table prints: the body, and the note under an empty table."""
    return body_top(pt) + len(pt.body) - 1 + (1 if pt.note else 0)


# -- how wide a 表 sheet's columns are, from their content -------------------------------------
#
# Excel's unit of column width is the width of "0" (7 px); a column ``w`` wide is ``w * 7 + 5`` px,
# of which about 3 px are margins.  Text is measured as it prints (xlbudget.text_width): a
# Chinese character of 10 pt 宋体 is 13.3 px, taken 10 % wider for the engines' own faces (LibreOffice
# sets 宋体 in Noto Serif CJK); an indent level is about 14 px.

CELL_PT = 10  # the 表 sheets' cells (build._FONT)
TITLE_PT = 16  # the title (黑体, bold)
LABEL_WIDTH = 30.0  # a label column at least: the 项 names most units print fit
BALANCE_LABEL_WIDTH = 22.0  # 表1/表4's income labels
LABEL_MOST = 60.0  # the widest a label column grows to (a longer name shrinks to fit its cell)
FIGURE_WIDTH = {"万元": 13.0, "元": 15.0}  # 99,999.99 万元 bold; 999,999,999 元 bold
INDENT_PX = 14.0


def text_px(text: str, pt: float = CELL_PT) -> float:
    """The widest line of ``text`` in pixels at ``pt`` points (96 px an inch), 10 % to spare."""
    from xlbudget.text_width import ems

    return max((ems(line) for line in text.split("\n")), default=0.0) * pt * 96 / 72 * 1.1


def width_for(px: float) -> float:
    """The column width (Excel's unit) that holds ``px`` pixels of text, in half units."""
    return round((px + 2) / 7 * 2 + 0.49) / 2


def heading_lines(text: str, width: float) -> str:
    """A heading broken between words (当年预算 / 安排, never 国有资本经营预 / 算) into lines that fit a
    cell ``width`` wide, where it does not fit on one line."""
    from xlbudget.text_width import head_words

    if "\n" in text or width_for(text_px(text)) <= width:
        return text
    words = head_words(text)
    lines: list[str] = []
    line = ""
    for word in words:
        if line and width_for(text_px(line + word)) > width:
            lines.append(line)
            line = word
        else:
            line += word
    lines.append(line)
    if len(lines) == 2:  # two lines as even as may be: 国有资本 / 经营预算, not 国有资本经营 / 预算
        i = min(
            range(1, len(words)),
            key=lambda i: max(text_px("".join(words[:i])), text_px("".join(words[i:]))),
        )
        lines = ["".join(words[:i]), "".join(words[i:])]
    return "\n".join(lines)


def _heading_need(text: str) -> float:
    """The narrowest a heading of one column can be in at most two lines broken between words."""
    from xlbudget.text_width import head_words

    words = head_words(text)
    if len(words) < 2:
        return width_for(text_px(text))
    return min(
        max(width_for(text_px("".join(words[:i]))), width_for(text_px("".join(words[i:]))))
        for i in range(1, len(words))
    )


def table_widths(pt: PrintedTable) -> list[float]:
    """The column widths of a 表 sheet, A to its last column, from its content: a label column as wide as
    its longest label (indent included; at least :data:`LABEL_WIDTH`, at most :data:`LABEL_MOST`), a code
    column as its codes and heading, a figure column as its money unit's widest figure and its heading in
    two lines; the label columns then widen until the title and the unit line fit above the table."""
    from xlbudget.grids import placed_heads

    single: list[list[str]] = [[] for _ in range(pt.n_cols)]
    for _r, c, head in placed_heads(pt.heads):
        if head.cols == 1:
            single[c].append(head.text)
    widths = []
    for c, label in enumerate(pt.label_columns):
        cells = [cell for row in pt.body if (cell := row[c]) is not None and cell.cols == 1]
        heads = [_heading_need(h) for h in single[c]]
        if label:
            base = LABEL_WIDTH if pt.table.layout != "balance" or c else BALANCE_LABEL_WIDTH
            names = [width_for(text_px(cell.text) + INDENT_PX * max(cell.level - 1, 0)) for cell in cells]
            widths.append(max([base, *heads, min(max(names, default=0.0), LABEL_MOST)]))
        elif cells and all(cell.style != "figure" for cell in cells) or (not cells and pt.table.empty):
            one_line = [width_for(text_px(h)) for h in single[c]]  # 科目编码 on one line
            widths.append(max([6.0, *one_line, *(width_for(text_px(cell.text)) for cell in cells)]))
        else:
            widths.append(max([FIGURE_WIDTH.get(pt.table.amount_unit, 13.0), *heads]))
    left, _, right = pt.unit_line.partition("\t")
    need = max(
        width_for(text_px(pt.title, TITLE_PT)),
        width_for(text_px(left)) + width_for(text_px(right)) + 2,
    )
    labels = [c for c, label in enumerate(pt.label_columns) if label] or list(range(pt.n_cols))
    short = need - sum(widths)
    if short > 0:
        for c in labels:
            widths[c] += round(short / len(labels) * 2 + 0.49) / 2
    return widths


def header_cells(pt: PrintedTable) -> list[tuple[int, int, int, int, str]]:
    """(first row, first col, last row, last col, text) of every header cell, 1-based; merged when they
    differ.  A heading too long for its columns is broken between words (:func:`heading_lines`)."""
    from xlbudget.grids import placed_heads

    widths = table_widths(pt)
    return [
        (
            HEAD_TOP + r,
            c + 1,
            HEAD_TOP + r + h.rows - 1,
            c + h.cols,
            heading_lines(h.text, sum(widths[c : c + h.cols])),
        )
        for r, c, h in placed_heads(pt.heads)
    ]


def body_values(pt: PrintedTable) -> list[list[object]]:
    """The body as sheet values, row by row from :func:`body_top`: labels as text, figures as numbers
    in the table's unit (万元 rounded half-up through :mod:`xlbudget.money`, or 元), ``None`` for a
    zero and for an empty cell; the note on the line under an empty table. Every list is
    ``pt.n_cols`` long."""
    from xlbudget.money import in_unit

    unit = pt.table.amount_unit
    out: list[list[object]] = []
    for row in pt.body:
        line: list[object] = [None] * pt.n_cols
        for c, cell in enumerate(row):
            if cell is None:
                continue
            if cell.style == "figure":
                line[c] = float(in_unit(cell.value, unit)) if cell.value else None
            else:
                line[c] = cell.text or None
        out.append(line)
    if pt.note:
        out.append([pt.note] + [None] * (pt.n_cols - 1))
    return out


def cell_of(table: Table, row_key: str, column: int = 0) -> str:
    """The cell of a figure: ``cell_of(tables[3], "201", 1) -> "表3!D7"``.

    ``table`` is the :class:`~xlbudget.tables.Table` as derived (its rows decide the row
    numbers). ``column`` indexes ``table.columns``; on the balance tables an income line,
    本年收入合计, the carry-over line and 收入总计 have one figure, column 0. A key the
    table does not print raises ``KeyError``.
    """
    pt = sheet_grid(table)
    refs: list[tuple[str, int, int]] = []
    if table.layout == "balance":
        refs += [("income", i, 0) for i, r in enumerate(table.income) if r.key == row_key and column == 0]
        refs += [(row_key, 0, column)] if row_key in table.totals else []
    refs += [("rows", i, column) for i, r in enumerate(table.rows) if r.key == row_key]
    for ref in refs:
        at = pt.cell_of(ref)
        if at is not None:
            return f"{table_sheet(table.number)}!{col_letter(at[1] + 1)}{body_top(pt) + at[0]}"
    raise KeyError(f"{table.label} 没有行 “{row_key}”")


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
