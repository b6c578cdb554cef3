"""Read a workbook back: the unit's budget from the input sheets, the printed tables from 表1…表13.

Like :mod:`xlbudget.io.unit_json`, reading collects every problem with its place
(``基本支出!F12: “12,3x” 不是金额``) and raises one
:class:`~xlbudget.errors.InputError`; every record's :class:`~xlbudget.model.Source`
names its sheet and row, and ``source.fields`` the cell of each field.

openpyxl reads the file read-only with ``data_only=True``: cached values, never
formulas — the name columns beside the codes are not read at all.
"""

from __future__ import annotations

import io
import math
import re
import sys
import zipfile
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

from xlbudget.catalogue import load_catalogue, normalize_code
from xlbudget.errors import InputError, Problem
from xlbudget.location import Location
from xlbudget.model import (
    FUNDS,
    INCOME_KINDS,
    LEVELS,
    THREE_PUBLIC_ITEMS,
    UNIT_KINDS,
    Assets,
    BasicLine,
    Explanations,
    FunctionNote,
    Funding,
    Indicator,
    OtherNotes,
    Overview,
    PerformanceTarget,
    PriorFunction,
    PriorYear,
    Procurement,
    ProjectLine,
    Source,
    ThreePublic,
    Unit,
    UnitBudget,
    Vehicle,
)
from xlbudget.money import ZERO, AmountError, parse_wan, parse_yuan, to_wan, wan_to_yuan
from xlbudget.profiles import available_profiles, load_profile, profile_for
from xlbudget.safety import check_workbook
from xlbudget.tables import TOTAL, Row, Table, TableSet
from xlbudget.text import TextError, clean_text, decode_ooxml
from xlbudget.workbook import layout as L
from xlbudget.workbook.evaluate import NOT_COMPUTED, Evaluator, Formula, Uncomputable

MAX_BYTES = 100 * 1024 * 1024
_FUND_BY_NAME = (
    {name: key for key, name in FUNDS.items()} | {"政府性基金": "gov_fund"} | {k: k for k in FUNDS}
)
_KIND_BY_NAME = (
    {name: key for key, name in UNIT_KINDS.items()}
    | {"参公事业单位": "civil_service_institution"}
    | {k: k for k in UNIT_KINDS}
)
_FLAGS = {"是": True, "否": False, "Y": True, "N": False, "TRUE": True, "FALSE": False, "1": True, "0": False}
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
_EXPECT_CODE = {"function": "支出功能分类", "economic": "经济分类"}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _text(value: Any) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class SheetValues:
    """What the reader reads from: sheets as rows of cell values, each read once.

    :func:`open_values` fills one from a file with openpyxl; the book interface of
    the buttons fills one from live Excel with one bulk read a sheet.  A formula
    cell without a usable saved result is a :class:`~xlbudget.workbook.evaluate.Formula`,
    which :meth:`cell` evaluates (``evaluator``) or refuses.
    """

    path: Path
    sheets: Mapping[str, Sequence[Sequence[Any]]]
    evaluator: Evaluator | None = None
    #: sheet → (row, column) → number format, of the filled cells whose format does not show yuan (a file's)
    formats: Mapping[str, Mapping[tuple[int, int], str]] = field(default_factory=dict)

    def number_format(self, sheet: str, row: int, col: int) -> str | None:
        """The cell's number format where it does not show yuan (:func:`not_in_yuan`), else None."""
        return self.formats.get(sheet, {}).get((row, col))

    def rows(self, sheet: str) -> Sequence[Sequence[Any]]:
        return self.sheets.get(sheet, [])

    def raw(self, sheet: str, row: int, col: int) -> Any:
        """1-based cell as read, None when outside the used range."""
        rows = self.sheets.get(sheet, [])
        if row - 1 >= len(rows):
            return None
        r = rows[row - 1]
        return r[col - 1] if col - 1 < len(r) else None

    def cell(self, sheet: str, row: int, col: int) -> Any:
        """1-based cell value, a formula evaluated; :class:`Uncomputable` when it cannot be."""
        value = self.raw(sheet, row, col)
        if not isinstance(value, Formula):
            return value
        if self.evaluator is None:
            self.evaluator = Evaluator(self.sheets)
        return self.evaluator.cell(sheet, row, col)


#: what openpyxl imports whenever it is installed, for nothing xlbudget reads or writes: numpy (numpy
#: numbers as cell values; ≈ 0.07 s) and Pillow (pictures in a workbook, whose size it reads; ≈ 0.01–0.02 s)
NOT_FOR_OPENPYXL = ("numpy", "PIL")


def import_openpyxl() -> ModuleType:
    """openpyxl, imported without numpy and Pillow where nothing has imported them yet.

    Each is hidden while openpyxl loads (``import numpy`` → ImportError, which openpyxl expects when
    it is not installed), then given back: ``formulas`` imports numpy for real when a formula needs
    evaluating, pdfplumber Pillow when a PDF is read.  openpyxl in that process then treats numpy
    numbers as other objects and leaves a workbook's pictures out of a full load — xlbudget's
    workbooks have none, and it reads only values.
    """
    if "openpyxl" not in sys.modules:
        hidden = [name for name in NOT_FOR_OPENPYXL if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]  # import name → ImportError
        try:
            import openpyxl
        finally:
            for name in hidden:
                del sys.modules[name]
    import openpyxl

    return openpyxl


_OFFICE_DOCUMENT = re.compile(
    r'Target="/?([^"]+)"[^>]*Type="[^"]*/officeDocument"|Type="[^"]*/officeDocument"[^>]*Target="/?([^"]+)"'
)
_CALC_PR = re.compile(r"<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad=\"(1|true)\"")


def _recalculate_on_load(source: Path | bytes) -> bool:
    """Whether the file asks to be recalculated when opened (``fullCalcOnLoad``): a script wrote it.

    openpyxl reports True when the attribute is absent, so the workbook part is read here.
    """
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
        rels = z.read("_rels/.rels").decode("utf-8", "replace") if "_rels/.rels" in z.namelist() else ""
        m = _OFFICE_DOCUMENT.search(rels)
        part = (m.group(1) or m.group(2)) if m else "xl/workbook.xml"
        if part not in z.namelist():
            return False
        return bool(_CALC_PR.search(z.read(part).decode("utf-8", "replace")))


_LITERAL = re.compile(r'"[^"]*"|\\.|!.')  # a number format's quoted text and escaped characters
_SCALED = re.compile(r'!\.|\\\.|"\."')  # a literal point: 0!.0000"万元" prints yuan as 万元 (yuan typed)


def not_in_yuan(code: str) -> str | None:
    """What a cell's number format shows other than yuan, for an amount cell (元): a percentage
    ("百分比": 0.05 shows as 5.00%), or 万元 / 亿元 typed as they print (0.00"万元": 916.53 shows as
    916.53万元 — and would be read as 916.53 元). The usual trick that shows yuan as 万元, a literal
    point (0!.0000"万元": 9165305 shows 916.5305万元), is yuan typed, and fine; so is any plain format."""
    if "%" in _LITERAL.sub("", code):
        return "百分比"
    for unit in ("亿", "万"):
        if unit in code and not _SCALED.search(code):
            return f"{unit}元"
    return None


def _as_excel_holds(value: float) -> float | Decimal:
    """A number cell as Excel holds and shows it: to 15 significant digits, its precision. A formula's
    result is saved with the float's binary tail (=0.1+0.2 as 0.30000000000000004, =1000*1.1 as
    1100.0000000000002) that Excel neither shows nor counts; below 10^12 yuan 15 digits keep at least three
    decimals, so a typed third decimal (1234.567) is still there to be refused."""
    if math.isfinite(value) and abs(value) < 1e12:
        return Decimal(format(value, ".15g"))
    return value


def _not_yuan_message(code: str, amount: Decimal) -> str:
    """Why a number in an amount cell whose format shows it as % or 万元 is refused, and what to type."""
    what = not_in_yuan(code) or "百分比"
    typed = f"{amount:f}"
    text = f"单元格的数字格式“{code}”显示的是{what}，不是元：其中的 {typed} 会按 {typed} 元读入。"
    text += "本列应填以元为单位的金额，格式用常规或数值"
    if what != "百分比":
        yuan = (amount * (10**8 if what == "亿元" else 10**4)).normalize()
        text += f"（{typed}{what}应填 {yuan:f}）"
    return text


def read_sheets(
    source: Path | bytes,
    sheets: Collection[str] | None = None,
    *,
    cached: bool = True,
    formats: dict[str, dict[tuple[int, int], str]] | None = None,
) -> dict[str, list[list[Any]]]:
    """The sheets (all, or those named that exist) as rows of values, 1-based as Excel shows them.

    A formula cell is its saved result, or a :class:`Formula` where there is none to use:
    nothing saved (openpyxl), or the file asks to be recalculated on load (XlsxWriter saves 0).
    ``cached=False``: a reader that never shows a formula's saved text (only evaluates it) lets a
    file that asks to be recalculated be read in one pass, its saved results left unread.
    One parse of each sheet, by openpyxl's readers (:mod:`xlbudget.workbook.xlsx_values`).
    ``formats``: where the filled cells whose number format does not show yuan (:func:`not_in_yuan`) are
    noted, sheet → (row, column) → the format.
    """
    import_openpyxl()
    from xlbudget.workbook.xlsx_values import read_values

    distrust = _recalculate_on_load(source)
    data = io.BytesIO(source) if isinstance(source, bytes) else source

    def wanted(code: str) -> bool:
        return not_in_yuan(code) is not None

    if distrust and not cached:
        return read_values(
            data, sheets, _formulas_row, data_only=False, note=False, formats=formats, wanted=wanted
        )
    make = _results_row if distrust else _values_row
    return read_values(data, sheets, make, data_only=True, note=True, formats=formats, wanted=wanted)


def _values_row(cells: Sequence[Mapping[str, Any]], formulas: Mapping[int, Any], width: int) -> list[Any]:
    """A row as ``iter_rows(values_only=True)`` gives it (saved results), each formula cell without a
    saved result a :class:`Formula` (its text; shared formulas translated, as openpyxl reads them)."""
    return _with_formulas(cells, formulas, width, distrust=False)


def _results_row(cells: Sequence[Mapping[str, Any]], formulas: Mapping[int, Any], width: int) -> list[Any]:
    """The same, every formula cell a :class:`Formula` (its saved result kept beside it, not used)."""
    return _with_formulas(cells, formulas, width, distrust=True)


def _with_formulas(
    cells: Sequence[Mapping[str, Any]], formulas: Mapping[int, Any], width: int, *, distrust: bool
) -> list[Any]:
    row: list[Any] = [None] * width
    for cell in cells:
        c = cell["column"]
        if 1 <= c <= width:
            v = cell["value"]
            row[c - 1] = decode_ooxml(v) if isinstance(v, str) else v
    for c, formula in formulas.items():
        text = getattr(formula, "text", formula)  # an array formula keeps its text
        if isinstance(text, str) and 1 <= c <= width and (row[c - 1] is None or distrust):
            row[c - 1] = Formula(text, row[c - 1])
    return row


def _formulas_row(cells: Sequence[Mapping[str, Any]], formulas: Mapping[int, Any], width: int) -> list[Any]:
    """A row of a file whose saved results are not trusted: constants as read, formulas as :class:`Formula`."""
    row: list[Any] = [None] * width
    for cell in cells:
        c = cell["column"]
        if 1 <= c <= width:
            v = cell["value"]
            if cell["data_type"] == "f":
                text = getattr(v, "text", v)  # an array formula keeps its text
                row[c - 1] = Formula(text) if isinstance(text, str) else v
            else:
                row[c - 1] = decode_ooxml(v) if isinstance(v, str) else v
    return row


def open_values(path: str | Path, sheets: Collection[str] | None = None) -> SheetValues:
    """Read a workbook file's sheets (all, or those named that exist) as values, refusing unsafe files."""
    import_openpyxl()
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    where = str(path)
    if not path.exists():
        raise InputError("文件不存在", where)
    if path.is_dir():
        raise InputError("这是一个文件夹，不是文件", where)
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，不像单位预算工作簿", where)
    # Refuse what is not a workbook, or not a safe one (zip bomb, DOCTYPE/XXE), before openpyxl sees it.
    check_workbook(path)
    formats: dict[str, dict[tuple[int, int], str]] = {}
    try:
        values = read_sheets(path, sheets, cached=False, formats=formats)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(
            "无法打开工作簿：文件已损坏，或不是 Excel 文件（请用 Excel 打开并重新另存一份）", where
        ) from exc
    except MemoryError:
        raise
    except Exception as exc:  # a damaged part inside a valid zip
        raise InputError(
            "无法读取工作簿内容：文件已损坏（可在 Excel 或 WPS 中打开后另存为 .xlsm 再试）", where
        ) from exc

    everything: dict[str, list[list[Any]]] = {}

    def more(sheet: str) -> list[list[Any]] | None:  # a sheet a formula refers to, read when one does
        if not everything:
            try:
                everything.update(read_sheets(path, None))
            except Exception:  # noqa: BLE001 - the formula is then refused at its cell
                return None
        return next((rows for name, rows in everything.items() if name.upper() == sheet.upper()), None)

    return SheetValues(path, values, Evaluator(values, more), formats)


class _Reader:
    """Reads the input sheets, collecting problems instead of raising."""

    def __init__(self, book: SheetValues) -> None:
        self.book = book
        self.file = str(book.path)
        self.problems: list[Problem] = []
        self.uncomputed: set[str] = set()  # cells refused as formulas: no second message about them
        self.columns: dict[str, dict[str, int]] = {}  # input sheet → field → its column, as found
        self.shown: dict[str, str] = {}  # cell → its number format, where it does not show yuan

    def problem(self, where: str, message: str) -> None:
        if where not in self.uncomputed:
            self.problems.append(Problem(where, message))

    def cell(self, sheet: str, row: int, col: int) -> Any:
        """A cell's value: a formula without a saved result evaluated, text cleaned (:mod:`xlbudget.text`);
        None (and a problem) if it can't be used."""
        where = L.cell_name(row, col, sheet)
        shown = self.book.number_format(sheet, row, col)
        if shown is not None:
            self.shown[where] = shown
        try:
            value = self.book.cell(sheet, row, col)
            return clean_text(value) if isinstance(value, str) else value
        except Uncomputable:
            message = NOT_COMPUTED
        except TextError as exc:
            message = str(exc)
        self.problem(where, message)
        self.uncomputed.add(where)
        return None

    # -- cells ---------------------------------------------------------------------
    def amount(self, value: Any, where: str, *, required: bool = False) -> Decimal | None:
        if _blank(value):
            if required:
                self.problem(where, "缺少金额")
            return None
        if isinstance(value, str) and value.strip().startswith("#"):
            self.problem(where, f"单元格是错误值 {value.strip()}，应为金额（元）")
            return None
        try:
            amount = parse_yuan(_as_excel_holds(value) if isinstance(value, float) else value)
        except AmountError as exc:
            self.problem(where, f"{exc}（应填以元为单位的数字）")
            return None
        if amount < 0:
            self.problem(where, f"金额不能为负数：{value}")
        shown = self.shown.get(where)
        if shown is not None and not isinstance(value, str):  # a number shown as % or 万元: not yuan
            self.problem(where, _not_yuan_message(shown, amount))
            return None
        return amount

    def code(self, value: Any, where: str, part: str) -> str:
        what = _EXPECT_CODE[part]
        if _blank(value):
            self.problem(where, f"缺少{what}编码")
            return ""
        code = normalize_code(value)
        if code is None:
            self.problem(where, f"“{_text(value)}” 不是{what}编码（应为3、5或7位数字）")
            return _text(value)
        return sys.intern(code)  # one object per code, shared by the lines (see model.BasicLine)

    def fund(self, value: Any, where: str) -> str:
        text = _text(value)
        if text in _FUND_BY_NAME:
            return _FUND_BY_NAME[text]
        known = "、".join(FUNDS.values())
        if not text:
            self.problem(where, f"缺少资金来源，应为 {known} 之一")
        else:
            self.problem(where, f"未知的资金来源 “{text}”，应为 {known} 之一")
        return "general"

    def flag(self, value: Any, where: str) -> bool:
        if _blank(value):
            return False
        if isinstance(value, bool):
            return value
        text = _text(value).upper()
        if text in _FLAGS:
            return _FLAGS[text]
        self.problem(where, f"应为 是 或 否，不是 “{_text(value)}”")
        return False

    def count(self, value: Any, where: str) -> int | None:
        if _blank(value):
            return None
        if isinstance(value, bool):
            self.problem(where, f"应为整数，不是 “{value}”")
            return None
        if isinstance(value, int | float) and float(value).is_integer():
            return int(value)
        text = _text(value)
        if text.isdigit():
            return int(text)
        self.problem(where, f"“{text}” 不是整数")
        return None

    def income_kind(self, value: Any, where: str) -> str:
        """单位资金收入类型: one of INCOME_KINDS, or blank (其他收入)."""
        text = _text(value)
        if text and text not in INCOME_KINDS:
            self.problem(
                where, f"未知的单位资金收入类型 “{text}”，应为 {'、'.join(INCOME_KINDS)} 之一，或留空"
            )
            return ""
        return text

    # -- input tables ----------------------------------------------------------------
    def table_rows(self, spec: L.InputTable) -> Iterator[tuple[int, dict[str, Any], dict[str, str]]]:
        """(sheet row, field → value, field → cell) of every non-blank row of an input table."""
        sheet = spec.sheet
        if sheet not in self.book.sheets:
            self.problem(self.file, f"缺少工作表“{sheet}”")
            return
        rows = self.book.rows(sheet)
        header = rows[L.HEADER_ROW - 1] if len(rows) >= L.HEADER_ROW else ()
        found = {_text(h): i + 1 for i, h in enumerate(header) if _text(h)}
        cols: dict[str, int] = {}
        missing = False
        for col in spec.input_columns:
            if col.heading in found:
                cols[col.field] = found[col.heading]
            elif col.optional:
                continue
            else:
                cell = L.cell_name(L.HEADER_ROW, spec.column(col.field), sheet)
                self.problem(cell, f"缺少列“{col.heading}”（第 {L.HEADER_ROW} 行的列标题被改动或删除）")
                missing = True
        if missing:
            return
        self.columns[sheet] = cols
        for r in range(L.FIRST_DATA_ROW, len(rows) + 1):
            if all(_blank(self.book.raw(sheet, r, c)) for c in cols.values()):
                continue
            rec = {f: self.cell(sheet, r, c) for f, c in cols.items()}
            cells = {f: L.cell_name(r, c, sheet) for f, c in cols.items()}
            yield r, rec, cells

    def _source(self, sheet: str, row: int, cells: dict[str, str]) -> Source:
        """The record at this row: each field at its cell (the columns as :meth:`table_rows` found them)."""
        places = {f: Location.cell(sheet, row, c) for f, c in self.columns[sheet].items() if f in cells}
        return Source(where=Location.cell(sheet, row, 1), file=self.file, fields=places)

    def basic(self) -> tuple[BasicLine, ...]:
        out = []
        for r, v, cells in self.table_rows(L.BASIC):
            out.append(
                BasicLine(
                    function=self.code(v["function"], cells["function"], "function"),
                    economic=self.code(v["economic"], cells["economic"], "economic"),
                    fund=self.fund(v["fund"], cells["fund"]),
                    amount=self.amount(v["amount"], cells["amount"], required=True) or ZERO,
                    carryover=self.flag(v["carryover"], cells["carryover"]),
                    income_kind=self.income_kind(v.get("income_kind"), cells.get("income_kind", "")),
                    source=self._source(L.BASIC_SHEET, r, cells),
                )
            )
        return tuple(out)

    def projects(self) -> tuple[ProjectLine, ...]:
        out = []
        for r, v, cells in self.table_rows(L.PROJECTS):
            name = _text(v["name"])
            if not name:
                self.problem(cells["name"], "缺少项目名称")
            out.append(
                ProjectLine(
                    name=name,
                    function=self.code(v["function"], cells["function"], "function"),
                    fund=self.fund(v["fund"], cells["fund"]),
                    amount=self.amount(v["amount"], cells["amount"], required=True) or ZERO,
                    carryover=self.flag(v["carryover"], cells["carryover"]),
                    performance_target=self.flag(v["performance_target"], cells["performance_target"]),
                    income_kind=self.income_kind(v.get("income_kind"), cells.get("income_kind", "")),
                    source=self._source(L.PROJECT_SHEET, r, cells),
                )
            )
        return tuple(out)

    def prior_functions(self) -> tuple[PriorFunction, ...]:
        """上年数: last year's 一般公共预算财政拨款 by 项 (a workbook made before the sheet existed has none)."""
        if L.PRIOR_FUNCTIONS_SHEET not in self.book.sheets:
            return ()
        out = []
        for r, v, cells in self.table_rows(L.PRIOR_FUNCTIONS):
            code = self.code(v["function"], cells["function"], "function")
            if code.isdigit() and len(code) in (3, 5):
                self.problem(cells["function"], f"“{code}” 不是项级科目：上年数按项填写，应为7位编码")
            out.append(
                PriorFunction(
                    function=code,
                    amount=self.amount(v["amount"], cells["amount"], required=True) or ZERO,
                    source=self._source(L.PRIOR_FUNCTIONS_SHEET, r, cells),
                )
            )
        return tuple(out)

    def _next_row(
        self, spec: L.InputTable, records: tuple[PriorFunction, ...] | tuple[FunctionNote, ...], field: str
    ) -> Location:
        """The cell of ``field`` in the first row after the last record of an input sheet (where a row
        that is missing would be typed)."""
        rows = [r.source.where.cell_row for r in records]
        row = max(rows) + 1 if rows else L.FIRST_DATA_ROW
        col = self.columns.get(spec.sheet, {}).get(field) or spec.column(field)
        return Location.cell(spec.sheet, row, col)

    def function_notes(self) -> tuple[FunctionNote, ...]:
        """支出说明: per 项, what it is for and why it changed (a workbook made before the sheet existed has none)."""
        if L.FUNCTION_NOTES_SHEET not in self.book.sheets:
            return ()
        out = []
        for r, v, cells in self.table_rows(L.FUNCTION_NOTES):
            code = self.code(v["function"], cells["function"], "function")
            if code.isdigit() and len(code) == 5:
                self.problem(
                    cells["function"],
                    f"“{code}” 是款级科目：用途和变动原因按项（7位）填写，市级单位可按类（3位）填写",
                )
            out.append(
                FunctionNote(
                    function=code,
                    purpose=_text(v["purpose"]),
                    reason=_text(v["reason"]),
                    source=self._source(L.FUNCTION_NOTES_SHEET, r, cells),
                )
            )
        return tuple(out)

    def three_public(self) -> tuple[tuple[ThreePublic, ...], tuple[ThreePublic, ...]]:
        this_year: list[ThreePublic] = []
        last_year: list[ThreePublic] = []
        for r, v, cells in self.table_rows(L.THREE_PUBLIC):
            year = _text(v["year"]) or L.THIS_YEAR
            if year not in L.THREE_PUBLIC_YEARS:
                self.problem(cells["year"], f"年度应为 本年 或 上年，不是 “{year}”")
            item = _text(v["item"])
            if item not in THREE_PUBLIC_ITEMS:
                self.problem(
                    cells["item"],
                    f"未知的“三公”经费项目 “{item}”，应为 {'、'.join(THREE_PUBLIC_ITEMS)} 之一",
                )
            record = ThreePublic(
                item=item,
                fund=self.fund(v["fund"], cells["fund"]) if not _blank(v["fund"]) else "general",
                amount=self.amount(v["amount"], cells["amount"], required=True) or ZERO,
                source=self._source(L.THREE_PUBLIC_SHEET, r, cells),
            )
            (last_year if year == L.LAST_YEAR else this_year).append(record)
        return tuple(this_year), tuple(last_year)

    def procurement(self) -> Procurement:
        amounts = {key: ZERO for key, _ in L.PROCUREMENT_ITEMS}
        by_name = {name: key for key, name in L.PROCUREMENT_ITEMS}
        fields: dict[str, Location] = {}
        for r, v, cells in self.table_rows(L.PROCUREMENT):
            name = _text(v["item"])
            if name not in by_name:
                self.problem(cells["item"], f"未知的采购类别 “{name}”，应为 货物、工程 或 服务")
                continue
            key = by_name[name]
            amounts[key] = self.amount(v["amount"], cells["amount"]) or ZERO
            fields[key] = Location.cell(L.PROCUREMENT_SHEET, r, self.columns[L.PROCUREMENT_SHEET]["amount"])
        return Procurement(
            **amounts,
            source=Source(where=Location.cell(L.PROCUREMENT_SHEET, 1, 1), file=self.file, fields=fields),
        )

    def performance(self) -> tuple[PerformanceTarget, ...]:
        indicators: dict[str, list[Indicator]] = {}
        for r, v, cells in self.table_rows(L.INDICATORS):
            project = _text(v["project"])
            if not project:
                self.problem(cells["project"], "缺少项目名称（指标属于哪个项目）")
            if not _text(v["level1"]):
                self.problem(cells["level1"], "缺少一级指标")
            indicators.setdefault(project, []).append(
                Indicator(
                    level1=_text(v["level1"]),
                    level2=_text(v["level2"]),
                    name=_text(v["name"]),
                    period_value=_text(v["period_value"]),
                    annual_value=_text(v["annual_value"]),
                    source=self._source(L.INDICATOR_SHEET, r, cells),
                )
            )
        out = []
        seen = set()
        for r, v, cells in self.table_rows(L.PERFORMANCE):
            project = _text(v["project"])
            if not project:
                self.problem(cells["project"], "缺少项目名称")
            seen.add(project)

            def funding(part: str, v: dict[str, Any] = v, cells: dict[str, str] = cells) -> Funding:
                def a(key: str) -> Decimal:
                    f = f"{part}.{key}"
                    return self.amount(v[f], cells[f]) or ZERO

                return Funding(a("central"), a("provincial"), a("local"), a("self"), a("other"))

            out.append(
                PerformanceTarget(
                    project=project,
                    department=_text(v["department"]),
                    implementer=_text(v["implementer"]),
                    attribute=_text(v["attribute"]),
                    period_years=self.count(v["period_years"], cells["period_years"]),
                    period_total=self.amount(v["period_total"], cells["period_total"]) or ZERO,
                    annual_total=self.amount(v["annual_total"], cells["annual_total"]) or ZERO,
                    funding=funding("funding"),
                    annual_funding=funding("annual_funding"),
                    overview=_text(v["overview"]),
                    basis=_text(v["basis"]),
                    necessity=_text(v["necessity"]),
                    measures=_text(v["measures"]),
                    plan=_text(v["plan"]),
                    period_goal=_text(v["period_goal"]),
                    annual_goal=_text(v["annual_goal"]),
                    indicators=tuple(indicators.get(project, ())),
                    source=self._source(L.PERFORMANCE_SHEET, r, cells),
                )
            )
        for project, items in indicators.items():
            if project and project not in seen:
                self.problem(
                    str(items[0].source.at("project")),
                    f"绩效指标属于项目“{project}”，但“{L.PERFORMANCE_SHEET}”表中没有这个项目",
                )
        return tuple(out)

    # -- 单位信息 ------------------------------------------------------------------------
    def unit_form(self) -> tuple[dict[str, list[tuple[Any, Any, str, int]]], bool]:
        """field → [(value B, value C, cell of B, row)] from the 单位信息 form."""
        sheet = L.UNIT_SHEET
        if sheet not in self.book.sheets:
            self.problem(self.file, f"缺少工作表“{sheet}”")
            return {}, False
        values: dict[str, list[tuple[Any, Any, str, int]]] = {}
        for r, row in enumerate(self.book.rows(sheet), start=1):
            if r == 1 or not row:
                continue
            label = _text(self.cell(sheet, r, 1))
            field = L.UNIT_FORM_BY_LABEL.get(label)
            if field is None:
                continue
            b = self.cell(sheet, r, 2)
            c = self.cell(sheet, r, 3)
            values.setdefault(field.field, []).append((b, c, L.cell_name(r, 2, sheet), r))
        for f in L.UNIT_FORM:
            if f.field not in values and f.kind not in ("duty", "vehicle") and not f.optional:
                self.problem(f"{sheet}!A", f"缺少“{f.label}”行（A 列的项目名称被改动或删除）")
        return values, True

    def budget(self) -> UnitBudget:
        form, ok = self.unit_form()
        sheet = L.UNIT_SHEET

        def one(field: str) -> tuple[Any, str]:
            entries = form.get(field) or [(None, None, f"{sheet}!B", 0)]
            return entries[0][0], entries[0][2]

        def text(field: str) -> str:
            return _text(one(field)[0])

        def money(field: str) -> Decimal | None:
            value, cell = one(field)
            return self.amount(value, cell)

        def place(field: str) -> Location:
            entries = form.get(field)
            return Location.cell(sheet, entries[0][3], 2) if entries else Location(sheet=sheet)

        def fields(*names: str) -> dict[str, Location]:
            return {n.split(".")[-1]: place(n) for n in names}

        year_raw, year_cell = one("year")
        year = 0
        if ok:
            try:
                year = int(float(_text(year_raw))) if not _blank(year_raw) else 0
            except ValueError:
                year = 0
            if not 2000 <= year <= 2100:
                self.problem(year_cell, f"预算年度应为四位数年份，不是 “{_text(year_raw)}”")
                year = year if 0 < year < 10000 else 0
        name = text("unit.name")
        if ok and not name:
            self.problem(one("unit.name")[1], "缺少单位名称")
        kind_text = text("unit.kind") or UNIT_KINDS["administrative"]
        kind = _KIND_BY_NAME.get(kind_text)
        if kind is None:
            self.problem(
                one("unit.kind")[1],
                f"未知的单位性质 “{kind_text}”，应为 {'、'.join(UNIT_KINDS.values())} 之一",
            )
            kind = "administrative"
        level = text("unit.level") or "市级"
        if level not in LEVELS:
            self.problem(one("unit.level")[1], f"未知的单位级次 “{level}”，应为 省级、市级 或 县级")
        profile = text("unit.profile")
        if profile and profile not in available_profiles():
            self.problem(
                one("unit.profile")[1],
                f"未知的报表方案 “{profile}”，应为 {'、'.join(available_profiles())} 之一",
            )
            profile = ""
        unit_fields = fields(
            "unit.name",
            "unit.code",
            "unit.level",
            "unit.region",
            "unit.kind",
            "unit.province",
            "unit.profile",
        )
        duties = tuple(_text(b) for b, _, _, _ in form.get("overview.duties", []) if _text(b))

        def vehicles_of(field: str) -> tuple[Vehicle, ...]:
            out = []
            for b, c, cell, _r in form.get(field, []):
                if _blank(b) and _blank(c):
                    continue
                count = self.count(c, cell.replace("!B", "!C"))
                out.append(Vehicle(_text(b), count or 0))
            return tuple(out)

        def count_of(field: str) -> int | None:
            value, cell = one(field)
            return None if _blank(value) else self.count(value, cell)

        vehicles = vehicles_of("assets.vehicles")
        this_year, last_year = self.three_public()
        prior_functions, function_notes = self.prior_functions(), self.function_notes()
        src = lambda *names: Source(  # noqa: E731
            where=Location.cell(sheet, 1, 1), file=self.file, fields=fields(*names)
        )
        return UnitBudget(
            year=year,
            unit=Unit(
                name=name,
                code=text("unit.code"),
                level=level,
                region=text("unit.region"),
                kind=kind,
                province=text("unit.province"),
                profile=profile,
                source=Source(where=Location.cell(sheet, 1, 1), file=self.file, fields=unit_fields),
            ),
            overview=Overview(
                duties_intro=text("overview.duties_intro"),
                duties=duties,
                organization=text("overview.organization"),
                source=src("overview.duties_intro", "overview.organization", "overview.duties"),
            ),
            basic=self.basic(),
            projects=self.projects(),
            three_public=this_year,
            procurement=self.procurement(),
            prior_year=PriorYear(
                income_total=money("prior_year.income_total"),
                expenditure_total=money("prior_year.expenditure_total"),
                general_budget_appropriation=money("prior_year.general_budget_appropriation"),
                operating_funds=money("prior_year.operating_funds"),
                three_public=last_year,
                functions=prior_functions,
                source=Source(
                    where=Location.cell(sheet, 1, 1),
                    file=self.file,
                    fields=fields(
                        "prior_year.income_total",
                        "prior_year.expenditure_total",
                        "prior_year.general_budget_appropriation",
                        "prior_year.operating_funds",
                    )
                    | {
                        "three_public": Location.cell(L.THREE_PUBLIC_SHEET, 1, 1),
                        "functions": Location.cell(L.PRIOR_FUNCTIONS_SHEET, 1, 1),
                        # where a row not there yet is typed: the first row after the last one filled
                        "functions.new": self._next_row(L.PRIOR_FUNCTIONS, prior_functions, "function"),
                        "function_notes.new": self._next_row(L.FUNCTION_NOTES, function_notes, "function"),
                    },
                ),
            ),
            explanations=Explanations(
                total_change=text("explanations.total_change"),
                general_budget_change=text("explanations.general_budget_change"),
                operating_funds_change=text("explanations.operating_funds_change"),
                three_public_change=text("explanations.three_public_change"),
                source=src(
                    "explanations.total_change",
                    "explanations.general_budget_change",
                    "explanations.operating_funds_change",
                    "explanations.three_public_change",
                ),
            ),
            assets=Assets(
                vehicles=vehicles,
                vehicles_note=text("assets.vehicles_note"),
                building_area_m2=text("assets.building_area_m2"),
                other=text("assets.other"),
                as_of=text("assets.as_of"),
                equipment=count_of("assets.equipment"),
                planned_vehicles=vehicles_of("assets.planned_vehicles"),
                planned_equipment=count_of("assets.planned_equipment"),
                source=src(
                    "assets.vehicles",
                    "assets.vehicles_note",
                    "assets.building_area_m2",
                    "assets.other",
                    "assets.as_of",
                    "assets.equipment",
                    "assets.planned_vehicles",
                    "assets.planned_equipment",
                ),
            ),
            other_notes=OtherNotes(
                purchase_service_catalog=text("other_notes.purchase_service_catalog"),
                other=text("other_notes.other"),
                source=src("other_notes.purchase_service_catalog", "other_notes.other"),
            ),
            performance_targets=self.performance(),
            function_notes=function_notes,
            origin=self.file,
        )


def budget_from_values(values: SheetValues) -> UnitBudget:
    """The unit's budget from the input sheets' values; problems → one InputError naming sheet and cell."""
    reader = _Reader(values)
    budget = reader.budget()
    if reader.problems:
        raise InputError(reader.problems)
    return budget


def read_workbook(path: str | Path) -> UnitBudget:
    """A unit's budget from one of our workbooks; every problem names its sheet and cell."""
    return budget_from_values(open_values(path, L.INPUT_SHEETS))


# -- the printed tables -------------------------------------------------------------------


def _wan_yuan(value: Any, where: Location, texts: list[tuple[Location, str]]) -> Decimal:
    """A printed 万元 figure (number or text) → exact yuan; a text that is no figure is read as blank and
    kept in ``texts`` (the checker's error at the cell: the 表 sheets are derived, a text there is no
    reason not to read the workbook)."""
    if _blank(value):
        return ZERO
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            wan = Decimal(repr(float(value)))
        else:
            wan = parse_wan(_text(value), max_places=None)
        if not wan.is_finite():
            raise AmountError(str(value))
    except (ArithmeticError, AmountError, ValueError):
        texts.append((where, _text(value)))
        return ZERO
    # the figure as the 0.00 format shows it (a stored 916.525 shows 916.53): rounded by money.py
    return wan_to_yuan(to_wan(wan_to_yuan(wan)))


def _table_cell(book: SheetValues, sheet: str, r: int, c: int, problems: list[Problem]) -> Any:
    """A cell of a 表N sheet, as :meth:`_Reader.cell` reads an input cell."""
    try:
        value = book.cell(sheet, r, c)
        return clean_text(value) if isinstance(value, str) else value
    except Uncomputable:
        message = NOT_COMPUTED
    except TextError as exc:
        message = str(exc)
    where = L.cell_name(r, c, sheet)
    if not any(p.location == where for p in problems):
        problems.append(Problem(where, message))
    return None


def _strip_ordinal(label: str) -> str:
    return _ORDINAL.sub("", label)


def _read_table(
    book: SheetValues,
    spec: Any,
    cat: Any,
    class_codes: dict[str, str],
    problems: list[Problem],
    texts: list[tuple[Location, str]],
) -> Table:
    """表N read back from its sheet, cell by cell where its grid (:mod:`xlbudget.grids`) prints them."""
    template = _blank_table(spec)
    pt = L.sheet_grid(template)
    sheet = L.table_sheet(spec.number)
    ncols = len(spec.headings)
    top = L.body_top(pt)
    options = spec.printing
    in_yuan = spec.amount_unit == "元"

    def value(r: int, c: int) -> Any:
        """A cell's value (1-based); a formula without a saved result evaluated, or refused at the cell."""
        return _table_cell(book, sheet, r, c, problems)

    def text(r: int, c: int) -> str:
        return _text(value(r, c))

    def values_at(
        r: int, first_col: int, n: int
    ) -> tuple[tuple[Decimal, ...], tuple[Location, ...], tuple[str, ...]]:
        cells = tuple(Location.cell(sheet, r, first_col + i) for i in range(n))
        raw = [value(r, first_col + i) for i in range(n)]
        money = _yuan_cell if in_yuan else _wan_yuan
        vals = tuple(money(v, cells[i], texts) for i, v in enumerate(raw))
        printed = tuple("" if v is None else str(v).strip() for v in raw)  # a blank cell is exactly zero
        return vals, cells, printed

    note = ""

    def body_rows() -> list[int]:
        nonlocal note
        out = []
        r = top
        while r <= len(book.rows(sheet)):
            shown = [text(r, c) for c in range(1, pt.n_cols + 1)]
            if shown[0].startswith(("注：", "注:")):
                note = shown[0]
                break
            if not any(shown):
                break
            out.append(r)
            r += 1
        return out

    label = text(L.LABEL_ROW, 1) or spec.label
    title = text(L.TITLE_ROW, 1)

    def base(**parts: Any) -> Table:
        place = Location.cell(sheet, L.LABEL_ROW, 1)
        table = replace(template, label=label, title=title, note=note, place=place, **parts)
        if note and table.layout != "balance" and all(r.is_zero for r in table.rows):
            return replace(table, rows=())  # an empty table's blank 合计 line is no row of it
        return table

    if spec.layout == "balance":
        income, spent, totals, places = [], [], {}, {}
        footers = False
        # the footer lines begin at 本年收入合计 / 本年支出合计, or at the profile's own (shanghai-9: 收入总计)
        first_footers = {
            "本年收入合计",
            "本年支出合计",
            *(label for pair in options.get("footer", []) for label in pair),
        }
        # lines the grid numbers are read without their numbers; a profile's own labels keep theirs
        unnumbered = _strip_ordinal if options.get("number_lines", True) else str.strip
        for r in body_rows():
            left, right = unnumbered(text(r, 1)), unnumbered(text(r, 3))
            footers = footers or left in first_footers or right in first_footers
            if left:
                vals, cells, printed = values_at(r, 2, 1)
                if footers:
                    totals[left], places[left] = vals, cells
                else:
                    income.append(Row(left, left, vals, cells=cells, printed=printed))
            if right:
                vals, cells, printed = values_at(r, 4, ncols)
                if footers:
                    totals[right], places[right] = vals, cells
                else:
                    code = class_codes.get(_strip_ordinal(right), right)
                    spent.append(Row(code, right, vals, level=1, cells=cells, printed=printed))
        return base(rows=tuple(spent), income=tuple(income), totals=totals, total_cells=places)

    out = []
    if spec.layout == "function_tree":
        k = int(options.get("income_columns", 0))
        codes = 1 if k else int(options.get("code_columns", 1))
        for r in body_rows():
            first = text(r, 1)
            if first == TOTAL:
                key, name = TOTAL, TOTAL
            else:
                key = normalize_code("".join(text(r, c) for c in range(1, codes + 1))) or first
                name = text(r, codes + 1) or key
            if k:  # 收入 side, then the 支出 side's own code and name
                v1, c1, p1 = values_at(r, codes + 2, k)
                v2, c2, p2 = values_at(r, codes + 2 + k + 2, ncols - k)
                vals, cells, printed = v1 + v2, c1 + c2, p1 + p2
            else:
                vals, cells, printed = values_at(r, codes + 2, ncols)
            level = len(key) // 2 if key != TOTAL and key.isdigit() else 0
            out.append(Row(key, name, vals, level, "", cells, printed))
        return base(rows=tuple(out))

    if spec.layout == "economic_tree":
        codes = int(options.get("code_columns", 0))
        extra_col = bool(options.get("gov_economic", codes == 0))
        parent = ""
        for r in body_rows():
            first = text(r, 1)
            if first == TOTAL:
                key, name, extra = TOTAL, TOTAL, ""
            else:
                raw = value(r, codes + 1)
                shown = raw if isinstance(raw, str) else _text(raw)
                name = shown.strip().lstrip("　 ")
                if codes:
                    key = normalize_code("".join(text(r, c) for c in range(1, codes + 1))) or name
                else:  # names only (Shanxi 表6): the code from the catalogue, 款 under the 类 above
                    is_item = shown.startswith(("　", " "))
                    key = _economic_code(cat, name, parent if is_item else "") or name
                    parent = parent if is_item else key
                extra = text(r, codes + 2) if extra_col else ""
            first_value = codes + 2 + int(extra_col)
            vals, cells, printed = values_at(r, first_value, ncols)
            level = len(key) // 2 if key.isdigit() else 0
            out.append(Row(key, name, vals, level, extra, cells, printed))
        return base(rows=tuple(out))

    labelled = bool(options.get("label_column", True))  # shanghai-9 表9: a line of figures, no label
    for r in body_rows():  # a label column, then the figures (表10 11 12 13)
        key = text(r, 1) if labelled else ""
        level = 1 if key[:1] in "①②" else 0
        vals, cells, printed = values_at(r, 1 + labelled, ncols)
        out.append(Row(key, key, vals, level, "", cells, printed))
    return base(rows=tuple(out))


def _blank_table(spec: Any) -> Table:
    """A table of the profile with no rows: what decides where its grid prints."""
    return Table(
        spec.number,
        spec.label,
        spec.title,
        spec.layout,
        spec.headings,
        rows=(),
        role=spec.role,
        column_ids=spec.column_ids,
        amount_unit=spec.amount_unit,
        printing=spec.printing,
    )


def _economic_code(cat: Any, name: str, parent: str) -> str:
    """The 部门预算支出经济分类 code printed as ``name``: a 类 (no parent) or a 款 of ``parent``."""
    if parent:
        return next((c for c, n in cat.children(parent) if n == name), "")
    return next((c for c, n in cat.economic.items() if len(c) == 3 and n == name), "")


def _yuan_cell(value: Any, where: Location, texts: list[tuple[Location, str]]) -> Decimal:
    """A printed 元 figure (number or text such as 9,501,164) → exact yuan; a text that is no figure as
    :func:`_wan_yuan` reads it."""
    if _blank(value):
        return ZERO
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return parse_yuan(repr(float(value)) if isinstance(value, float) else str(value))
        return parse_yuan(_text(value))
    except (ArithmeticError, AmountError, ValueError):
        texts.append((where, _text(value)))
        return ZERO


def _profile_of(values: SheetValues) -> str:
    """The profile 单位信息 names (报表方案, else by 省份), as :func:`~xlbudget.profiles.profile_for` picks it."""
    found: dict[str, str] = {}
    if L.UNIT_SHEET in values.sheets:
        labels = {"报表方案": "profile", "省份": "province"}
        for row in values.rows(L.UNIT_SHEET):
            key = labels.get(_text(row[0]) if row else "")
            if key and len(row) > 1:
                found[key] = _text(row[1])
    name = found.get("profile", "")
    return profile_for(
        SimpleNamespace(
            profile=name if name in available_profiles() else "", province=found.get("province", "")
        )
    )


def tables_from_values(values: SheetValues, profile: str | None = None) -> TableSet:
    """表1…表13 as the values show them (万元 → yuan), each figure's cell in ``Row.cells``."""
    problems: list[Problem] = []
    profile = profile or _profile_of(values)
    specs = load_profile(profile).tables
    missing = [L.table_sheet(t.number) for t in specs if L.table_sheet(t.number) not in values.sheets]
    if missing:
        raise InputError([Problem(str(values.path), f"缺少工作表“{s}”") for s in missing])
    unit_line = _text(_table_cell(values, L.table_sheet(1), L.UNIT_ROW, 1, problems))
    unit = unit_line.split("：", 1)[1].strip() if "：" in unit_line else ""
    year_match = re.match(
        r"(\d{4})年", _text(_table_cell(values, L.table_sheet(1), L.TITLE_ROW, 1, problems))
    )
    year = int(year_match.group(1)) if year_match else 0
    cat = load_catalogue(year or 2023)
    class_codes = {name: code for code, name in cat.function_classes()}
    tables = []
    texts: list[tuple[int, Location, str]] = []
    for spec in specs:
        found: list[tuple[Location, str]] = []
        tables.append(_read_table(values, spec, cat, class_codes, problems, found))
        texts += [(spec.number, where, text) for where, text in found]
    if problems:
        raise InputError(problems)
    return TableSet(
        unit=unit, year=year, profile=profile, tables=tuple(tables), texts_in_figures=tuple(texts)
    )


def read_workbook_tables(path: str | Path, profile: str | None = None) -> TableSet:
    """The 13 tables as the workbook prints them (万元 → yuan), each figure's cell in ``Row.cells``."""
    return tables_from_values(open_values(path, (L.UNIT_SHEET, *L.TABLE_SHEETS)), profile)
