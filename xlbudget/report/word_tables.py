"""Word tables of the report: the 13 disclosure tables (第二部分) and the 绩效目标申报表.

The writer of layout: it knows the template's style names (表号, 表题, 表注, 表头,
表格文字, 表格数字, 绩效表标题, 绩效表年度) and builds tables with python-docx into
the rendered document; :mod:`xlbudget.report.render` moves them to their place.
Figures come from the :class:`~xlbudget.tables.TableSet` (exact yuan) and are
printed through :func:`xlbudget.money.fmt_wan`; a zero prints as an empty cell,
as the published tables do.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm

from xlbudget.model import FISCAL_FUNDS, FUNDS, PerformanceTarget, UnitBudget
from xlbudget.money import ZERO, fmt_wan
from xlbudget.report.facts import chinese_number
from xlbudget.tables import EMPTY_NOTE, TOTAL, Row, Table, TableSet

TEXT_WIDTH_MM = 156  # A4 minus the 28 + 26 mm margins

# The standard indicator tree of a 绩效目标申报表: 一级指标 → 二级指标.
INDICATOR_TREE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    ("满意度指标", ("服务对象满意度指标",)),
)


@dataclass(frozen=True)
class Head:
    """A header cell: text spanning ``cols`` columns and ``rows`` rows."""

    text: str
    cols: int = 1
    rows: int = 1


def wan_cell(yuan: Decimal) -> str:
    return "" if yuan == 0 else fmt_wan(yuan)


def yuan_cell(yuan: Decimal) -> str:
    """项目资金 in yuan as the 申报表 prints them: 5,760,000."""
    return f"{yuan:,.0f}" if yuan == yuan.to_integral_value() else f"{yuan:,.2f}"


# -- python-docx helpers --------------------------------------------------------


TBL_PR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
    "tblDescription",
)  # fmt: skip


def insert_in_order(parent, child, order: Sequence[str]) -> None:
    """Insert ``child`` where the schema's sequence ``order`` (local names) puts it."""
    name = child.tag.rsplit("}", 1)[1]
    later = set(order[order.index(name) + 1 :])
    for existing in parent:
        if existing.tag.rsplit("}", 1)[1] in later:
            existing.addprevious(child)
            return
    parent.append(child)


def style_id(doc, name: str) -> str:
    """A style's id by its name, looked up once per document (python-docx's lookup is slow)."""
    ids = doc.__dict__.setdefault("_xlbudget_style_ids", {})
    if name not in ids:
        ids[name] = doc.styles[name].style_id
    return ids[name]


def add_paragraph(doc, text: str, style: str):
    """``doc.add_paragraph(text, style=doc.styles[style])``, with the style looked up once per document."""
    p = doc.add_paragraph(text)
    p._p.style = style_id(doc, style)
    return p


class Grid:
    """A python-docx table with a cached cell grid (``Table.cell`` rebuilds it on every call)."""

    def __init__(self, table, n_cols: int) -> None:
        self.table = table
        self.rows = table.rows
        self._tbl = table._tbl
        self.n_cols = n_cols
        self._cells: list | None = None

    def cell(self, r: int, c: int):
        cells = self._cells
        if cells is None:
            cells = self._cells = self.table._cells
        return cells[r * self.n_cols + c]

    def merge(self, r0: int, c0: int, r1: int, c1: int):
        """Merge the rectangle from (r0, c0) to (r1, c1) and return its cell.

        The XML is what python-docx's ``_Cell.merge`` writes (the first cell of each row
        takes ``gridSpan`` and the widths of the cells it replaces; ``vMerge`` restart /
        continue down the rows), without its walks over the whole table for every cell
        touched.  The rectangle's cells must not be merged yet and must still be empty
        (this module merges first, then fills), so there is no content to move.
        """
        top = self.cell(r0, c0)
        if (r0, c0) == (r1, c1):
            return top
        cells = self._cells
        assert cells is not None
        for r in range(r0, r1 + 1):
            row = [cells[r * self.n_cols + c]._tc for c in range(c0, c1 + 1)]
            if len(set(row)) < len(row) or any(tc.grid_span > 1 or tc.vMerge for tc in row):
                raise ValueError(f"cells of row {r}, columns {c0}–{c1} are merged already")
            moved = row[1:] if r == r0 else row  # what python-docx would move into the top-left cell
            if any(p.r_lst for tc in moved for p in tc.p_lst):
                raise ValueError(f"cells of row {r}, columns {c0}–{c1} are not empty")
            first = row[0]
            for other in row[1:]:
                if first.width and other.width:
                    first.width = Length(first.width + other.width)
                first.grid_span += other.grid_span
                first.getparent().remove(other)
            if r1 > r0:
                first.vMerge = "restart" if r == r0 else "continue"
            for c in range(c0, c1 + 1):
                cells[r * self.n_cols + c] = top
        return top


def _new_table(doc, widths_mm: Sequence[float], n_rows: int) -> Grid:
    table = doc.add_table(rows=1, cols=len(widths_mm))
    table._tbl.tblStyle_val = style_id(doc, "Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")) + tbl_pr.findall(qn("w:tblLayout")):  # autofit wrote one
        tbl_pr.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_mm) / 25.4 * 1440)))
    width.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")  # 1 mm left and right: more text per line than Word's 1.9 mm
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), "57")
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    # CT_TblPr is a sequence: Word rejects children out of order
    for child in (width, layout, margins):
        insert_in_order(tbl_pr, child, TBL_PR_ORDER)
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(w / 25.4 * 1440)))
    first = table._tbl.tr_lst[0]
    plain = style_id(doc, "表格文字")
    for tc, w in zip(first.tc_lst, widths_mm, strict=True):
        tc.width = Mm(w)
        tc.p_lst[0].get_or_add_pPr().style = plain  # empty cells too: not the 16 pt body style
    # The other rows are copies of the first: python-docx's setters cost a walk of the
    # schema's child order for every property of every cell.
    for _ in range(n_rows - 1):
        table._tbl.append(copy.deepcopy(first))
    return Grid(table, len(widths_mm))


def _set(cell, text: str, style: str, doc) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    tc = cell._tc
    ps = tc.p_lst
    for extra in ps[1:]:
        tc.remove(extra)
    p = ps[0]
    for r in p.r_lst:
        p.remove(r)
    p.get_or_add_pPr().style = style_id(doc, style)
    if text:
        for i, line in enumerate(text.split("\n")):
            r = p.add_r()
            if i:
                r.add_br()  # (CT_R.text= would drop the break again)
            r.add_t(line)


def _mark_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))  # on; its ST_OnOff is "on"/"off" only, no "true"


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _merge(table: Grid, r0: int, c0: int, r1: int, c1: int):
    return table.merge(r0, c0, r1, c1)


def _header(doc, table, spec: Sequence[Sequence[Head]]) -> int:
    """Lay out header rows with merged cells; the rows repeat on every page. Returns their count."""
    taken: set[tuple[int, int]] = set()
    for r, heads in enumerate(spec):
        c = 0
        for head in heads:
            while (r, c) in taken:
                c += 1
            cell = _merge(table, r, c, r + head.rows - 1, c + head.cols - 1)
            _set(cell, head.text, "表头", doc)
            for rr in range(r, r + head.rows):
                for cc in range(c, c + head.cols):
                    taken.add((rr, cc))
            c += head.cols
        _mark_header(table.rows[r])
    return len(spec)


# -- the 13 tables ----------------------------------------------------------------


class TablesWriter:
    """Writes 第二部分 into ``doc`` and returns the block elements in order."""

    def __init__(self, doc, budget: UnitBudget, tables: TableSet) -> None:
        self.doc = doc
        self.budget = budget
        self.tables = tables
        self.year = budget.year
        self.blocks: list = []

    # paragraphs
    def para(self, text: str, style: str, *, page_break: bool | None = None):
        p = add_paragraph(self.doc, text, style)
        if page_break is not None:
            p.paragraph_format.page_break_before = page_break
        self.blocks.append(p._p)
        return p

    def table(self, widths: Sequence[float], n_rows: int):
        t = _new_table(self.doc, widths, n_rows)
        self.blocks.append(t._tbl)
        return t

    def write(self) -> list:
        for i, t in enumerate(self.tables.tables):
            self.para(t.label, "表号", page_break=i > 0)
            self.para(t.title, "表题")
            self.para(f"单位名称：{self.budget.unit.name}\t单位：万元", "表注")
            if t.layout == "balance":
                self.balance(t)
            elif t.layout == "economic_tree":
                self.economic(t)
            elif t.number == 9 or (t.layout == "function_tree" and t.columns and "收入" in t.columns[0]):
                self.income_and_spending(t) if len(t.columns) > 1 else self.function_tree(t)
            elif t.layout == "function_tree":
                self.function_tree(t)
            else:
                self.labelled(t)
            if t.empty:
                self.para(EMPTY_NOTE, "表注")
        return self.blocks

    def _values(self, table, r: int, first_col: int, values: Sequence[Decimal]) -> None:
        for j, v in enumerate(values):
            _set(table.cell(r, first_col + j), wan_cell(v), "表格数字", self.doc)

    def _value_widths(self, n: int, label_mm: float) -> list[float]:
        each = (TEXT_WIDTH_MM - label_mm) / n
        return [each] * n

    # 表2 3 5 7 8: 科目编码 | 科目名称 | values
    def function_tree(self, t: Table) -> None:
        n = len(t.columns)
        code_mm = 18
        value_mm = min(20.0, (TEXT_WIDTH_MM - code_mm - 34) / n)
        widths = [code_mm, TEXT_WIDTH_MM - code_mm - value_mm * n] + [value_mm] * n
        first = Head("项目", 2)
        if t.number == 2 or t.columns[1:2] == ("一般公共预算",) and n == 7:
            spec = [
                [first, Head(t.columns[0], 1, 2), Head("本年收入", n - 2), Head(t.columns[-1], 1, 2)],
                [Head("科目编码"), Head("科目名称")] + [Head(h) for h in t.columns[1:-1]],
            ]
        elif n > 1:
            spec = [
                [first, Head(f"{self.year}年预算数", n)],
                [Head("科目编码"), Head("科目名称")] + [Head(h) for h in t.columns],
            ]
        else:
            spec = [[first, Head(t.columns[0], 1, 2)], [Head("收入科目编码"), Head("科目名称")]]
        rows = list(t.rows) or [Row(TOTAL, TOTAL, (ZERO,) * n)]
        table = self.table(widths, len(spec) + len(rows))
        start = _header(self.doc, table, spec)
        for i, row in enumerate(rows):
            r = start + i
            _cant_split(table.rows[r])
            if row.key == TOTAL:
                _set(_merge(table, r, 0, r, 1), TOTAL, "表头", self.doc)
            else:
                _set(table.cell(r, 0), row.key, "表格文字", self.doc)
                _set(table.cell(r, 1), row.label, "表格文字", self.doc)
            self._values(table, r, 2, row.values)

    # 表9: income side | expenditure side
    def income_and_spending(self, t: Table) -> None:
        code_mm, name_mm = 14, 26
        value_mm = (TEXT_WIDTH_MM - 2 * (code_mm + name_mm)) / len(t.columns)
        widths = [code_mm, name_mm, value_mm, code_mm, name_mm] + [value_mm] * (len(t.columns) - 1)
        spec = [
            [Head("国有资本经营预算收入", 3), Head("国有资本经营预算支出", 2 + len(t.columns) - 1)],
            [Head("收入科目编码"), Head("科目名称"), Head(t.columns[0]), Head("科目编码"), Head("科目名称")]
            + [Head(h) for h in t.columns[1:]],
        ]
        rows = list(t.rows) or [Row(TOTAL, TOTAL, (ZERO,) * len(t.columns))]
        table = self.table(widths, len(spec) + len(rows))
        start = _header(self.doc, table, spec)
        for i, row in enumerate(rows):
            r = start + i
            _cant_split(table.rows[r])
            for c in (0, 3):
                if row.key == TOTAL:
                    _set(_merge(table, r, c, r, c + 1), TOTAL, "表头", self.doc)
                else:
                    _set(table.cell(r, c), row.key, "表格文字", self.doc)
                    _set(table.cell(r, c + 1), row.label, "表格文字", self.doc)
            self._values(table, r, 2, row.values[:1])
            self._values(table, r, 5, row.values[1:])

    # 表6
    def economic(self, t: Table) -> None:
        n = len(t.columns)
        widths = [46, 46] + self._value_widths(n, 92)
        spec = [
            [
                Head("部门预算支出经济科目名称", 1, 2),
                Head("政府预算支出经济科目名称", 1, 2),
                Head(f"{self.year}年预算数", n),
            ],
            [Head(h) for h in t.columns],
        ]
        rows = list(t.rows) or [Row(TOTAL, TOTAL, (ZERO,) * n)]
        table = self.table(widths, len(spec) + len(rows))
        start = _header(self.doc, table, spec)
        for i, row in enumerate(rows):
            r = start + i
            _cant_split(table.rows[r])
            if row.key == TOTAL:
                _set(_merge(table, r, 0, r, 1), TOTAL, "表头", self.doc)
            else:
                indent = "　　" if row.level >= 2 else ""
                _set(table.cell(r, 0), indent + row.label, "表格文字", self.doc)
                _set(table.cell(r, 1), row.extra, "表格文字", self.doc)
            self._values(table, r, 2, row.values)

    # 表10 11 12 13: a label column and values
    def labelled(self, t: Table) -> None:
        n = len(t.columns)
        first = {"three_public": "项目", "operating_funds": "单位名称", "projects": "项目名称"}.get(
            t.layout, "项目"
        )
        label_mm = 56 if t.layout == "projects" else 60
        widths = [label_mm] + self._value_widths(n, label_mm)
        fiscal_names = {FUNDS[f] for f in FISCAL_FUNDS}
        if t.layout == "projects":
            top: list[Head] = [Head(first, 1, 2), Head(t.columns[0], 1, 2)]
            fiscal = [h for h in t.columns[1:] if h in fiscal_names]
            top.append(Head(f"{self.year}年财政拨款", len(fiscal)))
            top += [Head(h, 1, 2) for h in t.columns[1 + len(fiscal) :]]
            spec = [top, [Head(h) for h in fiscal], [Head(str(i + 1)) for i in range(n + 1)]]
        else:
            spec = [[Head(first, 1, 2), Head(f"{self.year}年预算数", n)], [Head(h) for h in t.columns]]
        rows = list(t.rows) or [Row(TOTAL, TOTAL, (ZERO,) * n)]
        table = self.table(widths, len(spec) + len(rows))
        start = _header(self.doc, table, spec)
        for i, row in enumerate(rows):
            r = start + i
            _cant_split(table.rows[r])
            style = "表头" if row.key in (TOTAL, "部门合计") else "表格文字"
            _set(table.cell(r, 0), row.label, style, self.doc)
            self._values(table, r, 1, row.values)

    # 表1 表4: income | expenditure, side by side
    def balance(self, t: Table) -> None:
        n = len(t.columns)
        fiscal = t.number == 4 or t.columns[0] == "小计"
        value_mm = 14.0 if n > 3 else 19.0
        widths = [36, 15, TEXT_WIDTH_MM - 51 - value_mm * n] + [value_mm] * n
        if fiscal:
            spec = [
                [Head("收入", 2), Head("支出", 1 + n)],
                [Head("项目", 1, 2), Head("金额", 1, 2), Head("项目", 1, 2), Head("金额", n)],
                [Head(h) for h in t.columns],
            ]
        else:
            heads = [Head(f"{self.year}年合计" if h == "合计" else h) for h in t.columns]
            spec = [
                [Head("收入", 2), Head("支出", 1 + n)],
                [Head("项目"), Head(f"{self.year}年"), Head("项目")] + heads,
            ]
        income = list(t.income)
        spending = list(t.rows)
        carry_label = next((k for k in t.totals if "结转" in k and k != "年终结转"), "上年结转")
        footer: list[tuple[str, Decimal | None, str, tuple[Decimal, ...] | None, bool]] = [
            ("本年收入合计", t.totals["本年收入合计"][0], "本年支出合计", t.totals["本年支出合计"], True),
            (carry_label, t.totals[carry_label][0], "年终结转", t.totals["年终结转"], False),
        ]
        if fiscal:
            for i, fund in enumerate(FISCAL_FUNDS):
                amount = sum((x.amount for x in self.budget.lines if x.carryover and x.fund == fund), ZERO)
                footer.append((f"{chinese_number(i + 1)}、{FUNDS[fund]}", amount, "", None, False))
        footer.append(("收入总计", t.totals["收入总计"][0], "支出总计", t.totals["支出总计"], True))
        body = max(len(income), len(spending))
        table = self.table(widths, len(spec) + body + len(footer))
        start = _header(self.doc, table, spec)
        for i in range(body):
            r = start + i
            _cant_split(table.rows[r])
            if i < len(income):
                _set(table.cell(r, 0), f"{chinese_number(i + 1)}、{income[i].label}", "表格文字", self.doc)
                _set(table.cell(r, 1), wan_cell(income[i].values[0]), "表格数字", self.doc)
            if i < len(spending):
                row = spending[i]
                _set(table.cell(r, 2), f"{chinese_number(i + 1)}、{row.label}", "表格文字", self.doc)
                self._values(table, r, 3, row.values)
        for j, (in_label, in_value, out_label, out_values, strong) in enumerate(footer):
            r = start + body + j
            _cant_split(table.rows[r])
            style = "表头" if strong else "表格文字"
            _set(table.cell(r, 0), in_label, style, self.doc)
            _set(table.cell(r, 1), wan_cell(in_value) if in_value is not None else "", "表格数字", self.doc)
            _set(table.cell(r, 2), out_label, style, self.doc)
            if out_values is not None:
                self._values(table, r, 3, out_values)


def write_tables(doc, budget: UnitBudget, tables: TableSet) -> list:
    """第二部分: every table of the set, with label, title, unit line and 注 — as body elements."""
    return TablesWriter(doc, budget, tables).write()


# -- 项目支出绩效目标申报表 ---------------------------------------------------------


def form_title(budget: UnitBudget) -> str:
    """ "大同市市级预算部门（单位）项目支出绩效目标申报表"."""
    return f"{budget.unit.region}{budget.unit.level}预算部门（单位）项目支出绩效目标申报表"


def indicator_rows(target: PerformanceTarget) -> list[tuple[str, str, str, str, str]]:
    """(一级, 二级, 三级, 实施期指标值, 年度指标值) rows: the standard tree, each 二级 at least once."""
    rows: list[tuple[str, str, str, str, str]] = []
    used: set[int] = set()
    tree = [(l1, list(l2s)) for l1, l2s in INDICATOR_TREE]
    for ind in target.indicators:  # levels the standard tree lacks go at the end
        known = next((l2s for l1, l2s in tree if l1 == ind.level1), None)
        if known is None:
            tree.append((ind.level1, [ind.level2]))
        elif ind.level2 not in known:
            known.append(ind.level2)
    for l1, l2s in tree:
        for l2 in l2s:
            found = [
                (i, ind)
                for i, ind in enumerate(target.indicators)
                if ind.level1 == l1 and ind.level2 == l2 and i not in used
            ]
            if not found:
                rows.append((l1, l2, "", "", ""))
            for i, ind in found:
                used.add(i)
                rows.append((l1, l2, ind.name, ind.period_value, ind.annual_value))
    return rows


def _span_runs(values: Sequence[str]) -> list[tuple[int, int]]:
    """[(start, end)] of runs of equal consecutive values."""
    runs, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            runs.append((start, i - 1))
            start = i
    return runs


def write_form(doc, budget: UnitBudget, target: PerformanceTarget) -> list:
    """One 绩效目标申报表 in the seed's layout: title, then one 8-column table."""
    blocks = []
    p = add_paragraph(doc, form_title(budget), "绩效表标题")
    blocks.append(p._p)
    p = add_paragraph(doc, f"（{budget.year}年度）", "绩效表年度")
    blocks.append(p._p)

    widths = [9, 18, 18, 29, 20, 18, 24, 20]
    f, a = target.funding, target.annual_funding
    money = [
        (
            "实施期资金总额：",
            target.period_total or f.total,
            "年度资金总额：",
            target.annual_total or a.total,
        ),
        ("其中：中央财政资金", f.central, "其中：中央财政资金", a.central),
        ("省级财政资金", f.provincial, "省级财政资金", a.provincial),
        ("市县（区）财政资金", f.local, "市县（区）财政资金", a.local),
        ("单位自筹", f.own, "单位自筹", a.own),
        ("其他资金", f.other, "其他资金", a.other),
    ]
    texts = [
        ("项目概况", target.overview),
        ("立项依据", target.basis),
        ("项目设立必要性", target.necessity),
        ("保证项目实施的制度、措施", target.measures),
        ("项目实施计划", target.plan),
    ]
    indicators = indicator_rows(target)
    n_rows = 3 + len(money) + len(texts) + 2 + 1 + len(indicators)
    table = _new_table(doc, widths, n_rows)
    blocks.append(table._tbl)

    def label(r: int, text: str, c0: int = 0, c1: int = 1, r1: int | None = None) -> None:
        _set(_merge(table, r, c0, r1 if r1 is not None else r, c1), text, "表头", doc)

    def value(r: int, text: str, c0: int, c1: int, style: str = "表格文字") -> None:
        _set(_merge(table, r, c0, r, c1), text, style, doc)

    r = 0
    label(r, "项目名称")
    value(r, target.project, 2, 7)
    r += 1
    label(r, "主管部门及代码")
    value(r, target.department, 2, 3)
    label(r, "实施单位", 4, 5)
    value(r, target.implementer, 6, 7)
    r += 1
    label(r, "项目属性")
    value(r, target.attribute, 2, 3)
    label(r, "项目期", 4, 5)
    value(r, f"{target.period_years}年" if target.period_years else "", 6, 7)
    r += 1
    label(r, "项目资金\n（元）", r1=r + len(money) - 1)
    for left, lv, right, rv in money:
        value(r, left, 2, 3)
        value(r, yuan_cell(lv), 4, 4, "表格数字")
        value(r, right, 5, 6)
        value(r, yuan_cell(rv), 7, 7, "表格数字")
        r += 1
    for name, text in texts:
        label(r, name)
        value(r, text, 2, 7)
        r += 1
    label(r, "总体目标", r1=r + 1)
    _set(_merge(table, r, 2, r, 4), "实施期目标", "表头", doc)
    _set(_merge(table, r, 5, r, 7), "年度目标", "表头", doc)
    value(r + 1, target.period_goal, 2, 4)
    value(r + 1, target.annual_goal, 5, 7)
    r += 2
    head = r
    _set(_merge(table, head, 0, head + len(indicators), 0), "绩\n效\n指\n标", "表头", doc)
    for c, text in enumerate(
        ("一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"), 1
    ):
        _set(table.cell(head, c), text, "表头", doc)
    r += 1
    for i, (_l1, _l2, name, period, annual) in enumerate(indicators):
        _set(table.cell(r + i, 3), name, "表格文字", doc)
        _set(table.cell(r + i, 4), period, "表格文字", doc)
        _set(table.cell(r + i, 6), name, "表格文字", doc)
        _set(table.cell(r + i, 7), annual, "表格文字", doc)
        _cant_split(table.rows[r + i])
    level1 = [row[0] for row in indicators]
    level2 = [f"{row[0]}/{row[1]}" for row in indicators]
    for s, e in _span_runs(level1):
        _set(_merge(table, r + s, 1, r + e, 1), indicators[s][0], "表头", doc)
    for s, e in _span_runs(level2):
        _set(_merge(table, r + s, 2, r + e, 2), indicators[s][1], "表格文字", doc)
        _set(_merge(table, r + s, 5, r + e, 5), indicators[s][1], "表格文字", doc)
    return blocks


def write_forms(doc, budget: UnitBudget) -> list:
    """Every 绩效目标申报表 of the budget, in the order given."""
    blocks = []
    for target in budget.performance_targets:
        blocks += write_form(doc, budget, target)
    return blocks
