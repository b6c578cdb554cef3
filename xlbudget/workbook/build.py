"""Build the macro-enabled workbook (.xlsm) of a unit with XlsxWriter.

``build_workbook(budget)`` writes every sheet of :mod:`xlbudget.workbook.layout`:
the input sheets filled with the unit's lines, 科目表 from the catalogue, 表1…表13
filled with the derived tables (万元 numbers, format 0.00), 校验结果, 使用说明,
设置 and xlwings.conf; the VBA project (our sources plus xlwings' standalone
module from the installed wheel) and the ribbon.  The output depends only on
the budget and the installed xlwings: rebuilding gives the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from xlbudget import __version__
from xlbudget.catalogue import Catalogue, load_catalogue
from xlbudget.grids import PrintedTable
from xlbudget.model import FUNDS, INCOME_KINDS, UNIT_KINDS, Unit, UnitBudget
from xlbudget.profiles import available_profiles, load_profile
from xlbudget.tables import Table, TableSet, build_tables
from xlbudget.vba import VbaModule, build_vba_project
from xlbudget.workbook import layout as L
from xlbudget.workbook.ribbon import add_ribbon

# Fixed document properties: the same budget gives the same file.
CREATED = dt.datetime(2023, 1, 1, 0, 0, 0)
PROJECT_NAME = "VBAProject"
OUR_MODULES = ("XlbudgetRibbon", "XlbudgetSelfTest", "xlwings_udfs")


# -- the VBA project --------------------------------------------------------------------


def xlwings_bas() -> str:
    """xlwings' standalone VBA module (``RunPython``…) from the installed wheel, licence header kept."""
    import xlwings

    path = Path(os.path.dirname(xlwings.__file__)) / "xlwings.bas"
    return path.read_text(encoding="utf-8")


def vba_sources() -> dict[str, str]:
    """Our standard modules, name → source, from ``xlbudget/workbook/vba``."""
    folder = resources.files("xlbudget.workbook").joinpath("vba")
    return {name: folder.joinpath(f"{name}.bas").read_text(encoding="utf-8") for name in OUR_MODULES}


def vba_modules(order: tuple[str, ...] = L.SHEET_ORDER) -> list[VbaModule]:
    """Every module of the project: ThisWorkbook and one document module per sheet, ours, xlwings."""
    modules = [VbaModule("ThisWorkbook", "", "document")]
    modules += [VbaModule(L.vba_code_name(s, order), "", "document") for s in order]
    modules += [VbaModule(name, code, "standard") for name, code in vba_sources().items()]
    modules.append(VbaModule("xlwings", xlwings_bas(), "standard"))
    return modules


# -- formats ----------------------------------------------------------------------------

_FONT = {"font_name": "宋体", "font_size": 10}


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        def f(**kw: Any) -> Any:
            return wb.add_format({**_FONT, **kw})

        border = {"border": 1, "valign": "vcenter"}
        self.head = f(
            bold=True, align="center", valign="vcenter", border=1, bg_color="#DDEBF7", text_wrap=True
        )
        self.text = f(valign="top", text_wrap=True)
        self.label = f(bold=True, valign="top", bg_color="#F2F2F2", border=1)
        self.note = f(italic=True, font_color="#595959", valign="top", text_wrap=True)
        self.note_plain = f(italic=True, font_color="#595959")
        self.code = f(num_format="@")
        self.yuan = f(num_format="#,##0.00")
        self.formula = f(font_color="#375623")  # a whole column: only the table's cells are grey
        # cells to type in: a light fill (使用说明 shows the legend)
        inp = {"bg_color": L.INPUT_FILL, "border": 1, "border_color": "#BFBFBF"}
        self.in_text = f(valign="top", text_wrap=True, **inp)
        self.in_code = f(num_format="@", valign="top", **inp)
        self.in_yuan = f(num_format="#,##0.00", valign="top", **inp)
        self.in_plain = f(valign="top", **inp)
        self.in_year = f(num_format="0", align="left", valign="top", **inp)
        self.formula_cell = f(
            font_color="#375623", bg_color=L.FORMULA_FILL, valign="top", border=1, border_color="#BFBFBF"
        )
        self.legend_input = f(valign="top", text_wrap=True, **inp)
        self.legend_formula = f(
            font_color="#375623",
            bg_color=L.FORMULA_FILL,
            valign="top",
            text_wrap=True,
            border=1,
            border_color="#BFBFBF",
        )
        self.legend_table = f(valign="top", text_wrap=True, border=1)
        self.duplicate = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})  # Excel's "bad"
        self.title = f(bold=True, font_size=16, align="center", valign="vcenter", font_name="黑体")
        self.small = f()
        self.right = f(align="right")
        # a 表 sheet's labels shrink to fit their cell rather than be cut off (a name typed in later that
        # is longer than the column the builder sized from the names it had)
        self.cell = f(shrink=True, **border)
        self.cell_code = f(num_format="@", **border)
        self.cell_bold = f(bold=True, shrink=True, **border)
        self.cell_center = f(align="center", **border)
        self.indent = [f(indent=i, shrink=True, **border) for i in range(3)]
        self.wan = f(num_format="0.00", **border)
        self.wan_bold = f(num_format="0.00", bold=True, **border)
        self.yuan_cell = f(num_format="#,##0", **border)
        self.yuan_cell_bold = f(num_format="#,##0", bold=True, **border)
        # a 元 figure with fen shows them (a conditional format: 计算 may write fen into a whole-yuan cell)
        self.yuan_fen = wb.add_format({"num_format": "#,##0.00"})
        self.heading_big = f(bold=True, font_size=14)


# -- sheets -----------------------------------------------------------------------------

# An A4 page holds about 96 units of column width (Excel's unit: the width of "0") at 100 %
# between margins of 0.5" portrait, 140 landscape.  A sheet prints portrait, one page wide,
# down to about 70 % (more rows a page); a wider one prints landscape.
PORTRAIT_WIDTH = 140


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` wide (Excel's unit: the width of "0").

    Neither Excel's file format nor LibreOffice's import sizes a row to its wrapped text, so the
    builder does: a 10 pt 宋体 character is about 13.3 px wide (a Latin one 7 px), a column
    ``width`` * 7 + 5 px; some room is kept in hand for the engines' differences.
    """
    room = width * 7 + 5 - 6
    lines = 0
    for para in str(text).split("\n"):
        px = sum(13.3 if unicodedata.east_asian_width(ch) in "WF" else 7.0 for ch in para) * 1.15
        n = math.ceil(px / room)
        lines += max(1, n + (n >= 4))  # long text in a narrow column breaks less evenly
    return lines


LINE_HEIGHT = 13.5  # points, one line of 10 pt text


def _fit_row(ws: Worksheet, row: int, cells: list[tuple[str, float]]) -> None:
    """Make row ``row`` (0-based) tall enough for the wrapped text of its cells: (text, column width)."""
    lines = max((text_lines(t, w) for t, w in cells if t), default=1)
    if lines > 1:
        ws.set_row(row, lines * LINE_HEIGHT + 2)


def _page(
    ws: Worksheet,
    *,
    landscape: bool,
    last: tuple[int, int] | None = None,
    header_rows: int = 1,
    footer: bool = True,
) -> None:
    """Print settings: A4, one page wide, the header rows on every page, the print area to ``last``.

    ``last`` is the (row, column), 1-based, the print area ends at; None leaves the area to Excel
    (the used range), for sheets that grow after they are built.
    """
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
    if last is not None:
        ws.print_area(0, 0, last[0] - 1, last[1] - 1)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    if footer:
        ws.set_footer("&C&8&A　第 &P 页")


def install_hint() -> str:
    """How staff install the tool: the wheel ``make wheel`` builds, or the source folder."""
    return (
        f"在命令提示符中运行 pip install xlbudget-{__version__}-py3-none-any.whl"
        "（维护人员用 make wheel 生成的安装文件），或在 xlbudget 源代码文件夹中运行 pip install ."
    )


HELP_WIDTH = 80  # narrower than the page: LibreOffice does not shrink one column wider than the page


def _write_help(ws: Worksheet, fm: _Formats, year: int, n_tables: int = L.TABLE_COUNT) -> None:
    last = f"表{n_tables}"
    ws.set_column(0, 0, HELP_WIDTH)
    lines = [
        (f"{year}年单位预算公开工作簿 使用说明", fm.heading_big),
        ("", None),
        ("一、怎样填", fm.label),
        (
            "1. 在输入表里填写：单位信息、基本支出、项目支出、三公经费（本年和上年）、政府采购、绩效目标、"
            "绩效指标、上年数（上年一般公共预算财政拨款，按功能分类的项）、支出说明（按功能分类的项填写主要用途和"
            "变动原因，上海市报告的财政拨款支出主要内容用）。金额一律以“元”为单位。"
            "要填写的单元格是浅黄色的（见下面“六、单元格颜色”）。",
            fm.text,
        ),
        (
            "2. 科目编码（功能分类 7 位“项”、经济分类 5 位“款”）可以直接粘贴，数字或文字都行；旁边的名称列自动显示科目名称，"
            f"显示“{L.UNKNOWN_CODE}”就说明编码不对。科目表里没有的科目，可以在“科目表”末尾添加。",
            fm.text,
        ),
        ("3. 资金来源、是否上年结转、单位性质等请从下拉列表中选择。", fm.text),
        (
            "4. 各输入表下方已预留空行（名称列已有公式）；行不够时，选中最后一行向下复制，名称列的公式会随之复制。",
            fm.text,
        ),
        ("", None),
        ("二、“预算公开”选项卡上的按钮", fm.label),
        (f"计算（填充派生数据）：按输入表重新计算 表1…{last}，写入各表。", fm.text),
        ("校验：检查数据（表间关系、科目、口径等），结果列在“校验结果”表，并标出有问题的单元格。", fm.text),
        ("清除校验标记：去掉上次校验在各表上留下的标记。", fm.text),
        (
            f"生成报告（Word）：生成单位预算公开报告（情况说明 + {n_tables} 张表）的 Word 文件，保存在本工作簿旁边。",
            fm.text,
        ),
        (
            "校验Word报告：校验本工作簿旁边的 Word 报告（“生成报告”写出、又在 Word 中改过的那份）："
            "表中数字与本工作簿核对，文字与表核对，结果列在“校验结果”表（写明报告中的位置并引用原文）。",
            fm.text,
        ),
        (f"导出PDF：把 表1…{last} 导出为 PDF，保存在本工作簿旁边。", fm.text),
        (
            "生成下一年度工作簿：在本工作簿旁边生成下一年度的工作簿：单位信息、项目和绩效目标沿用（日期顺延一年，"
            "标为“【待复核】”），本年数成为下一年度的上年数。",
            fm.text,
        ),
        (
            "下一年度（按公开报告）：同上，但上年数以本工作簿旁边已公开的报告所印为准（“工作簿名_预算公开报告.docx”"
            "或 .pdf；没有时，旁边唯一的 .docx 或 .pdf），并列出每个数取自报告的哪里、哪些没有找到。",
            fm.text,
        ),
        ("关于：显示版本和 Python 环境。", fm.text),
        ("", None),
        ("三、启用宏", fm.label),
        (
            "1. 从网上或邮件得到的文件：关闭 Excel，在文件上点右键 → 属性 → 常规，勾选“解除锁定”（Unblock）→ 确定，再打开。",
            fm.text,
        ),
        ("2. 打开后如果出现黄色“安全警告 宏已被禁用”，点“启用内容”。", fm.text),
        ("3. 也可以把文件所在文件夹加入 文件 → 选项 → 信任中心 → 信任中心设置 → 受信任位置。", fm.text),
        ("4. WPS：需要安装 VBA 支持组件；按钮功能依赖 Python，WPS 下可只用公式和表格。", fm.text),
        ("", None),
        ("四、按钮怎样找到 Python", fm.label),
        (
            "按钮通过 xlwings 调用 Python，需要安装 Python 3.11 或更新版本和本工具：" + install_hint() + "。",
            fm.text,
        ),
        (
            "Python 的位置按以下顺序查找：“xlwings.conf”表（在第 2 行 A 列写 Interpreter_Win，B 列写 python.exe 的完整路径）；"
            "用户目录下 .xlwings\\xlwings.conf；都没有时使用 PATH 中的 python。",
            fm.text,
        ),
        (
            "如果按钮提示找不到 xlbudget 模块，请在“xlwings.conf”表上方连续的行中加一行 PYTHONPATH，B 列填写它所在的文件夹。",
            fm.text,
        ),
        ("公式 =KMMC(编码) 显示科目名称，=WANYUAN(元) 换算为万元（需要 Python 和 xlwings）。", fm.text),
        ("", None),
        ("五、其他", fm.label),
        ("“设置”表可以关闭某条校验规则（填规则编号），或修改变动提示阈值。", fm.text),
        ("没有 Excel 时，也可以在命令行运行：xlbudget export 本文件.xlsm -o 报表.json", fm.text),
        (
            "打印：每张表都已设为 A4、一页宽、每页重复表头。“科目表”很长（上千行），打印整个工作簿时只打印它的说明；"
            "需要打印科目时，选中要打印的区域，在“打印”中选择“打印选定区域”。",
            fm.text,
        ),
        ("", None),
        ("六、单元格颜色", fm.label),
        (
            "浅黄色：需要填写的单元格——输入表中的明细，单位信息的“内容”（公务用车还有“数量”），设置表的值。",
            fm.legend_input,
        ),
        (
            "浅灰色、绿色字：由公式自动显示（科目名称），不要改写；编码填对了，名称会自己出来。",
            fm.legend_formula,
        ),
        (
            f"白色：表1…{last} 由“计算”按钮按输入表填写，不要手工修改；蓝色底纹是表头。"
            "校验后标为红色（错误）或橙色（提示）的单元格见“校验结果”；“清除校验标记”后恢复原来的颜色。",
            fm.legend_table,
        ),
        ("", None),
        (f"xlbudget {__version__}", fm.note),
    ]
    for i, (text, fmt) in enumerate(lines):
        if text:
            ws.write_string(i, 0, text, fmt)
            _fit_row(ws, i, [(text, HELP_WIDTH)])
    _page(ws, landscape=False, last=(len(lines), 1), header_rows=0)


def _write_unit_form(ws: Worksheet, fm: _Formats, b: UnitBudget | None, year: int) -> None:
    widths = (26, 62, 6, 30)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    for c, h in enumerate(L.UNIT_HEADINGS + ("说明",)):
        ws.write_string(0, c, h, fm.head)
    ws.freeze_panes(1, 1)
    row = 1
    values = _form_values(b, year)
    for f in L.UNIT_FORM:
        entries: list[tuple[Any, Any]] = values.get(f.field, [("", None)])
        for n, (value, count) in enumerate(entries or [("", None)]):
            ws.write_string(row, 0, f.label, fm.label)
            if f.kind == "amount":
                if value is None or value == "":
                    ws.write_blank(row, 1, None, fm.in_yuan)
                else:
                    ws.write_number(row, 1, float(value), fm.in_yuan)
            elif f.kind == "count":
                if value is None or value == "":
                    ws.write_blank(row, 1, None, fm.in_plain)
                else:
                    ws.write_number(row, 1, int(value), fm.in_plain)
            elif f.kind == "year":
                ws.write_number(row, 1, int(value or year), fm.in_year)  # left, as text is: 2023 in full
            elif value is None or value == "":
                ws.write_blank(row, 1, None, fm.in_text)
            else:
                ws.write_string(row, 1, str(value), fm.in_text)
            if f.kind == "vehicle":
                if count is None:
                    ws.write_blank(row, 2, None, fm.in_plain)
                else:
                    ws.write_number(row, 2, int(count), fm.in_plain)
            note = f.note if n == 0 else ""  # a repeated field says it once
            if note:
                ws.write_string(row, 3, note, fm.note)
            if f.kind not in ("amount", "year", "count"):
                _fit_row(ws, row, [(str(value or ""), widths[1]), (note, widths[3])])
            validation = {
                "kind": L.KIND_NAMES,
                "level": L.LEVEL_NAMES,
                "profile": tuple(available_profiles()),
            }.get(f.kind)
            if validation:
                ws.data_validation(row, 1, row, 1, {"validate": "list", "source": list(validation)})
            if f.kind == "year":
                ws.data_validation(
                    row,
                    1,
                    row,
                    1,
                    {"validate": "integer", "criteria": "between", "minimum": 2000, "maximum": 2100},
                )
            row += 1
    _page(ws, landscape=False, last=(row, 4))


def _form_values(b: UnitBudget | None, year: int) -> dict[str, list[tuple[Any, Any]]]:
    """Field → [(value, count)] of the 单位信息 form; repeated fields have one entry a row."""
    if b is None:
        return {
            "year": [(year, None)],
            "unit.level": [("市级", None)],
            "unit.kind": [(UNIT_KINDS["administrative"], None)],
        }
    u: Unit = b.unit
    p = b.prior_year
    return {
        "unit.name": [(u.name, None)],
        "unit.code": [(u.code, None)],
        "unit.level": [(u.level, None)],
        "unit.region": [(u.region, None)],
        "unit.kind": [(u.kind_name, None)],
        "unit.province": [(u.province, None)],
        "unit.profile": [(u.profile, None)],
        "year": [(b.year, None)],
        "overview.duties_intro": [(b.overview.duties_intro, None)],
        "overview.duties": [(d, None) for d in b.overview.duties] or [("", None)],
        "overview.organization": [(b.overview.organization, None)],
        "prior_year.income_total": [(p.income_total, None)],
        "prior_year.expenditure_total": [(p.expenditure_total, None)],
        "prior_year.general_budget_appropriation": [(p.general_budget_appropriation, None)],
        "prior_year.operating_funds": [(p.operating_funds, None)],
        "explanations.total_change": [(b.explanations.total_change, None)],
        "explanations.general_budget_change": [(b.explanations.general_budget_change, None)],
        "explanations.operating_funds_change": [(b.explanations.operating_funds_change, None)],
        "explanations.three_public_change": [(b.explanations.three_public_change, None)],
        "assets.vehicles": [(v.purpose, v.count) for v in b.assets.vehicles] or [("", None)],
        "assets.vehicles_note": [(b.assets.vehicles_note, None)],
        "assets.building_area_m2": [(b.assets.building_area_m2, None)],
        "assets.other": [(b.assets.other, None)],
        "assets.as_of": [(b.assets.as_of, None)],
        "assets.equipment": [(b.assets.equipment, None)],
        "assets.planned_vehicles": [(v.purpose, v.count) for v in b.assets.planned_vehicles] or [("", None)],
        "assets.planned_equipment": [(b.assets.planned_equipment, None)],
        "other_notes.purchase_service_catalog": [(b.other_notes.purchase_service_catalog, None)],
        "other_notes.other": [(b.other_notes.other, None)],
    }


def _flag(value: bool) -> str:
    return L.YES if value else L.NO


def _records(spec: L.InputTable, b: UnitBudget | None) -> list[dict[str, Any]]:
    """The rows of an input table, field → value (codes as text, amounts as Decimal yuan)."""
    if b is None:
        if spec is L.PROCUREMENT:
            return [{"item": name, "amount": None} for _, name in L.PROCUREMENT_ITEMS]
        return []
    if spec is L.BASIC:
        return [
            {
                "function": x.function,
                "economic": x.economic,
                "fund": FUNDS[x.fund],
                "amount": x.amount,
                "carryover": _flag(x.carryover),
                "income_kind": x.income_kind,
            }
            for x in b.basic
        ]
    if spec is L.PROJECTS:
        return [
            {
                "name": x.name,
                "function": x.function,
                "fund": FUNDS[x.fund],
                "amount": x.amount,
                "carryover": _flag(x.carryover),
                "performance_target": _flag(x.performance_target),
                "income_kind": x.income_kind,
            }
            for x in b.projects
        ]
    if spec is L.THREE_PUBLIC:
        rows = [
            {"year": L.THIS_YEAR, "item": t.item, "fund": FUNDS[t.fund], "amount": t.amount}
            for t in b.three_public
        ]
        return rows + [
            {"year": L.LAST_YEAR, "item": t.item, "fund": FUNDS[t.fund], "amount": t.amount}
            for t in b.prior_year.three_public
        ]
    if spec is L.PROCUREMENT:
        return [{"item": name, "amount": getattr(b.procurement, key)} for key, name in L.PROCUREMENT_ITEMS]
    if spec is L.PERFORMANCE:
        out = []
        for p in b.performance_targets:
            rec: dict[str, Any] = {
                k: getattr(p, k)
                for k in (
                    "project",
                    "department",
                    "implementer",
                    "attribute",
                    "period_years",
                    "period_total",
                    "annual_total",
                    "overview",
                    "basis",
                    "necessity",
                    "measures",
                    "plan",
                    "period_goal",
                    "annual_goal",
                )
            }
            for part in ("funding", "annual_funding"):
                f = getattr(p, part)
                for key, attr in (
                    ("central", "central"),
                    ("provincial", "provincial"),
                    ("local", "local"),
                    ("self", "own"),
                    ("other", "other"),
                ):
                    rec[f"{part}.{key}"] = getattr(f, attr)
            out.append(rec)
        return out
    if spec is L.INDICATORS:
        return [
            {
                "project": p.project,
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "period_value": i.period_value,
                "annual_value": i.annual_value,
            }
            for p in b.performance_targets
            for i in p.indicators
        ]
    if spec is L.PRIOR_FUNCTIONS:
        return [{"function": f.function, "amount": f.amount} for f in b.prior_year.functions]
    if spec is L.FUNCTION_NOTES:
        return [{"function": n.function, "purpose": n.purpose, "reason": n.reason} for n in b.function_notes]
    raise ValueError(spec.name)  # pragma: no cover


def _lookup_cached(cat: Catalogue, part: str, code: str) -> str:
    if not code:
        return ""
    name = cat.function.get(code) if part == "function" else cat.economic.get(code)
    return name if name is not None else L.UNKNOWN_CODE


def _write_input_table(
    ws: Worksheet, fm: _Formats, spec: L.InputTable, records: list[dict[str, Any]], cat: Catalogue
) -> None:
    n_rows = len(records) if spec is L.PROCUREMENT else max(len(records) + L.BLANK_ROWS, L.MIN_ROWS)
    first = L.FIRST_DATA_ROW - 1  # 0-based
    last = first + n_rows - 1
    ncols = len(spec.columns)
    ws.add_table(
        L.HEADER_ROW - 1,
        0,
        last,
        ncols - 1,
        {
            "name": spec.name,
            "style": "Table Style Light 9",
            "columns": [{"header": c.heading, "header_format": fm.head} for c in spec.columns],
        },
    )
    for c, col in enumerate(spec.columns):
        fmt = {"code": fm.code, "amount": fm.yuan, "name": fm.formula, "text": fm.text}.get(col.kind)
        ws.set_column(c, c, col.width, fmt)
    ws.freeze_panes(L.FIRST_DATA_ROW - 1, 0)
    # every cell of the table to type in has the light input fill, blank ones too
    input_format = {"code": fm.in_code, "amount": fm.in_yuan, "text": fm.in_text}
    _fit_row(ws, L.HEADER_ROW - 1, [(c.heading, c.width) for c in spec.columns])
    for i in range(n_rows):
        r = first + i
        rec = records[i] if i < len(records) else {}
        wrapped: list[tuple[str, float]] = []
        for c, col in enumerate(spec.columns):
            if col.kind == "name":
                code_col = spec.column(col.lookup)
                code_cell = L.cell_name(r + 1, code_col)
                cached = _lookup_cached(cat, col.catalogue, str(rec.get(col.lookup) or ""))
                ws.write_formula(r, c, L.lookup_formula(code_cell, col.catalogue), fm.formula_cell, cached)
                continue
            fmt = input_format.get(col.kind, fm.in_plain)
            value = rec.get(col.field)
            if col.kind == "text" and value:
                wrapped.append((str(value), col.width))
            if value is None or value == "":
                ws.write_blank(r, c, None, fmt)
            elif col.kind == "amount":
                ws.write_number(r, c, float(value), fmt)
            elif col.kind == "count":
                ws.write_number(r, c, int(value), fmt)
            else:
                ws.write_string(r, c, str(value), fmt)
        _fit_row(ws, r, wrapped)
    width = sum(c.width for c in spec.columns)
    _page(ws, landscape=width > PORTRAIT_WIDTH, last=(last + 1, ncols))
    lists = {
        "fund": L.FUND_NAMES,
        "flag": L.YES_NO,
        "income_kind": INCOME_KINDS,
        "item": L.THREE_PUBLIC_NAMES,
        "year": L.THREE_PUBLIC_YEARS,
    }
    for c, col in enumerate(spec.columns):
        if col.kind in lists:
            ws.data_validation(
                first,
                c,
                last,
                c,
                {
                    "validate": "list",
                    "source": list(lists[col.kind]),
                    "error_title": col.heading,
                    "error_message": "请从下拉列表中选择：" + "、".join(lists[col.kind]),
                },
            )
        elif col.kind == "amount":
            ws.data_validation(
                first,
                c,
                last,
                c,
                {
                    "validate": "decimal",
                    "criteria": ">=",
                    "value": 0,
                    "error_title": col.heading,
                    "error_message": "金额以元为单位，填写不小于 0 的数字，最多两位小数",
                },
            )
    if spec is L.PROJECTS:  # a name typed twice is marked, and warned about as it is typed
        c = spec.column("name") - 1
        duplicate = L.duplicate_project_formula(last + 1)
        ws.conditional_format(
            first, c, last, c, {"type": "formula", "criteria": f"={duplicate}", "format": fm.duplicate}
        )
        ws.data_validation(
            first,
            c,
            last,
            c,
            {
                "validate": "custom",
                "value": f"=NOT({duplicate})",
                "error_type": "warning",
                "error_title": "项目名称重复",
                "error_message": "本表已有同名项目（上年结转相同）。同名项目在公开表中是两行，读者无法区分：请在名称中加以区分。",
            },
        )


def _write_catalogue(ws: Worksheet, fm: _Formats, cat: Catalogue) -> None:
    parts = {"function": cat.function, "economic": cat.economic, "gov_economic": cat.gov_economic}
    for part, (col, code_head, name_head) in L.CATALOGUE_BLOCKS.items():
        c = col - 1
        ws.write_string(0, c, code_head, fm.head)
        ws.write_string(0, c + 1, name_head, fm.head)
        ws.set_column(c, c, 14, fm.code)
        ws.set_column(c + 1, c + 1, 34)
        for i, (code, name) in enumerate(parts[part].items(), start=1):
            ws.write_string(i, c, code, fm.code)
            ws.write_string(i, c + 1, name)
    g = L.CATALOGUE_GOV_OF_COLUMN - 1
    ws.write_string(0, g, L.CATALOGUE_GOV_OF_HEADING, fm.head)
    ws.set_column(g, g, 16, fm.code)
    for i, code in enumerate(cat.economic, start=1):
        gov = cat.dept_to_gov.get(code)
        if gov:
            ws.write_string(i, g, gov, fm.code)
    ws.freeze_panes(1, 0)
    # Printed with the workbook, a thousand and more lines of the official catalogue would be
    # most of the paper: the sheet prints a note saying how to print the part one needs.
    note = L.CATALOGUE_NOTE_COLUMN - 1
    ws.set_column(note, note, 64)
    lines = (
        f"科目表（A—I 列）：{len(cat.function)} 个功能分类科目，",
        f"{len(cat.economic)} 个部门经济分类科目，{len(cat.gov_economic)} 个政府经济分类科目。",
        "打印整个工作簿时只打印这段说明。需要打印科目时，",
        "选中要打印的单元格，在“文件 → 打印 → 设置”中",
        "选择“打印选定区域”。",
    )
    for r, text in enumerate(lines):
        ws.write_string(r, note, text, fm.note_plain)
    _page(ws, landscape=False, header_rows=0)
    ws.print_area(0, note, len(lines) - 1, note)


def _write_findings(ws: Worksheet, fm: _Formats) -> None:
    widths = (14, 8, 8, 14, 60, 14, 14, 40)
    for c, (h, w) in enumerate(zip(L.FINDINGS_HEADINGS, widths, strict=True)):
        ws.write_string(0, c, h, fm.head)
        ws.set_column(c, c, w)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, 0, len(L.FINDINGS_HEADINGS) - 1)
    _page(ws, landscape=sum(widths) > PORTRAIT_WIDTH)  # no print area: the list grows with each check


def _write_settings(ws: Worksheet, fm: _Formats) -> None:
    for c, h in enumerate(L.SETTINGS_HEADINGS):
        ws.write_string(0, c, h, fm.head)
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 60)
    ws.write_string(1, 0, L.SETTINGS_THRESHOLD_LABEL, fm.label)
    ws.write_number(1, 1, L.SETTINGS_THRESHOLD_DEFAULT, fm.in_plain)
    ws.write_string(1, 2, "与上年相比变动超过此百分比时，校验提示写明原因", fm.note)
    ws.write_string(2, 0, L.SETTINGS_DISABLED_LABEL, fm.label)
    ws.write_blank(2, 1, None, fm.in_plain)
    ws.write_string(2, 2, "要关闭的校验规则编号，每行一个（B 列），可向下续写", fm.note)
    _page(ws, landscape=False)  # no print area: rule ids may be added below


def _write_xlwings_conf(ws: Worksheet, fm: _Formats) -> None:
    widths = (28, 50, 60)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    for r, (key, value) in enumerate(L.XLWINGS_CONF):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    note = L.XLWINGS_CONF_NOTE_ROW - 1
    text = (
        "说明：xlwings 只读取从第 1 行起连续的行（遇到空行为止）。需要时，把下面某一项的名称写到上面紧接着的空行"
        "（A 列），在 B 列填写值；不用的项目不要留在上面，空值会盖住用户自己的 xlwings.conf 文件中的设置。"
    )
    ws.merge_range(note, 0, note, 2, text, fm.note)
    _fit_row(ws, note, [(text, sum(widths))])  # a merged cell does not grow with its text
    for i, (key, meaning) in enumerate(L.XLWINGS_CONF_OPTIONAL, start=1):
        ws.write_string(note + i, 0, key, fm.label)
        ws.write_string(note + i, 2, meaning, fm.note)
        _fit_row(ws, note + i, [(meaning, widths[2])])
    _page(ws, landscape=True, header_rows=0)  # no print area: settings are added at the top


# -- 表1 … 表13 ---------------------------------------------------------------------------


# A table wider than this prints landscape; narrower ones print portrait at 80 % or more,
# which keeps 表4's body and its totals on one page.
LANDSCAPE_TABLE_WIDTH = 120


def write_table_sheet(ws: Worksheet, fm: _Formats, t: Table, unit_name: str, year: int) -> None:
    """One 预算公开表 laid out as it prints (its grid, :mod:`xlbudget.grids`), ready to print."""
    pt = L.sheet_grid(t, unit_name, year)
    last = pt.n_cols
    ws.write_string(L.LABEL_ROW - 1, 0, pt.label, fm.small)
    ws.merge_range(L.TITLE_ROW - 1, 0, L.TITLE_ROW - 1, last - 1, pt.title, fm.title)
    ws.set_row(L.TITLE_ROW - 1, 30)
    left, _, right = pt.unit_line.partition("\t")
    ws.write_string(L.UNIT_ROW - 1, 0, left, fm.small)
    if right:
        ws.write_string(L.UNIT_ROW - 1, last - 1, right, fm.right)
    widths = L.table_widths(pt)
    wrapped: dict[int, list[tuple[str, float]]] = {}
    for r1, c1, r2, c2, text in L.header_cells(pt):
        if (r1, c1) == (r2, c2):
            ws.write_string(r1 - 1, c1 - 1, text, fm.head)
        else:
            ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, text, fm.head)
        if r1 == r2:  # a heading one row high: its row grows with its lines (国有资本经营预算 wraps)
            wrapped.setdefault(r1, []).append((text, sum(widths[c1 - 1 : c2])))
    for r, cells in wrapped.items():
        _fit_row(ws, r - 1, cells)
    header_last = L.body_top(pt) - 1
    for c, w in enumerate(widths):
        if w != 8.43:
            ws.set_column(c, c, w)
    _write_body(ws, fm, pt)

    # printing: A4, headers repeated on every page, one page wide
    ws.set_paper(9)
    if sum(widths) > LANDSCAPE_TABLE_WIDTH:
        ws.set_landscape()
    ws.repeat_rows(0, header_last - 1)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.print_area(0, 0, max(L.print_end(pt), header_last) - 1, last - 1)
    ws.freeze_panes(header_last, 0)


def _write_body(ws: Worksheet, fm: _Formats, pt: PrintedTable) -> None:
    """The body (:func:`layout.body_values`), styled: borders, bold totals and 类, 款/项 indents."""
    top = L.body_top(pt)
    values = L.body_values(pt)
    figure = fm.yuan_cell if pt.table.amount_unit == "元" else fm.wan
    figure_bold = fm.yuan_cell_bold if pt.table.amount_unit == "元" else fm.wan_bold
    for i, row in enumerate(pt.body):
        r = top + i - 1
        bold = any(cell is not None and cell.style == "head" for cell in row) or any(
            cell is not None and cell.level == 1 and pt.table.layout in ("function_tree", "economic_tree")
            for cell in row
        )
        c = 0
        while c < len(row):
            cell, value = row[c], values[i][c]
            if cell is None:
                ws.write_blank(r, c, None, fm.cell)
                c += 1
                continue
            if cell.style == "figure":
                fmt = figure_bold if bold else figure
            elif cell.style == "head":
                fmt = fm.cell_bold
            elif cell.wrap and cell.level and pt.table.layout != "balance":
                fmt = fm.indent[min(cell.level, 3) - 1] if not bold else fm.cell_bold
            elif not cell.wrap:
                fmt = fm.cell_code
            else:
                fmt = fm.cell
            if cell.cols > 1:
                ws.merge_range(r, c, r, c + cell.cols - 1, cell.text, fmt)
            elif value is None:
                ws.write_blank(r, c, None, fmt)
            elif isinstance(value, str):
                ws.write_string(r, c, value, fmt)
            else:
                ws.write_number(r, c, value, fmt)
            c += cell.cols
    if pt.note:
        ws.write_string(top + len(pt.body) - 1, 0, pt.note, fm.small)
    if pt.table.amount_unit == "元" and pt.body:  # whole yuan print as 9,501,164; fen are never hidden
        first, last = top - 1, top + len(pt.body) - 2
        corner = xl_rowcol_to_cell(first, 0, row_abs=False, col_abs=False)
        ws.conditional_format(
            first,
            0,
            last,
            pt.n_cols - 1,
            {"type": "formula", "criteria": f"=ROUND({corner},0)<>{corner}", "format": fm.yuan_fen},
        )


# -- the workbook ---------------------------------------------------------------------------


def empty_budget(year: int) -> UnitBudget:
    """A unit with no name and no lines: the blank workbook of a year."""
    return UnitBudget(year=year, unit=Unit(name=""))


def build_workbook(budget: UnitBudget | None = None, *, year: int | None = None) -> bytes:
    """The .xlsm of a unit (or, with ``budget=None``, the blank workbook of ``year``) as bytes."""
    if budget is None:
        if year is None:
            raise ValueError("build_workbook needs a budget or a year")
        year_of = year
    else:
        year_of = budget.year
    cat = load_catalogue(year_of)
    tables: TableSet = build_tables(budget if budget is not None else empty_budget(year_of), catalogue=cat)
    unit_name = budget.unit.name if budget is not None else ""

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    wb.set_properties(
        {
            "title": f"{year_of}年单位预算公开",
            "subject": f"单位预算公开（{load_profile(tables.profile).name}）",
            "author": "xlbudget",
            "company": "",
            "comments": f"由 xlbudget {__version__} 生成",
            "created": CREATED,
        }
    )
    wb.set_calc_mode("auto")
    wb.set_vba_name("ThisWorkbook")
    fm = _Formats(wb)
    sheets: dict[str, Worksheet] = {}
    order = L.sheet_order(len(tables.tables))
    for name in order:
        ws = wb.add_worksheet(name)
        ws.set_vba_name(L.vba_code_name(name, order))
        sheets[name] = ws
    sheets[L.HELP_SHEET].activate()
    sheets[L.HELP_SHEET].set_tab_color("#C00000")

    _write_help(sheets[L.HELP_SHEET], fm, year_of, len(tables.tables))
    _write_unit_form(sheets[L.UNIT_SHEET], fm, budget, year_of)
    for spec in L.INPUT_TABLES:
        sheets[spec.sheet].set_tab_color("#4472C4")
        _write_input_table(sheets[spec.sheet], fm, spec, _records(spec, budget), cat)
    sheets[L.UNIT_SHEET].set_tab_color("#4472C4")
    for t in tables.tables:
        ws = sheets[L.table_sheet(t.number)]
        ws.set_tab_color("#70AD47")
        write_table_sheet(ws, fm, t, unit_name, year_of)
    _write_findings(sheets[L.FINDINGS_SHEET], fm)
    _write_catalogue(sheets[L.CATALOGUE_SHEET], fm, cat)
    _write_settings(sheets[L.SETTINGS_SHEET], fm)
    _write_xlwings_conf(sheets[L.XLWINGS_CONF_SHEET], fm)

    wb.add_vba_project(
        io.BytesIO(build_vba_project(vba_modules(order), project_name=PROJECT_NAME)), is_stream=True
    )
    wb.close()
    return add_ribbon(out.getvalue())


def write_workbook(path: str | Path, budget: UnitBudget | None = None, *, year: int | None = None) -> Path:
    """Build and write the .xlsm atomically; returns its path."""
    from xlbudget.io.atomic import write_bytes_atomic

    path = Path(path)
    write_bytes_atomic(path, build_workbook(budget, year=year))
    return path
