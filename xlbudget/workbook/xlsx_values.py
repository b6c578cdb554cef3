"""A workbook's cell values through openpyxl's own package and sheet readers, reading nothing else.

openpyxl's read-only load (``load_workbook(read_only=True)``) gives the values, but reads more than
the values need: every shared string through its rich-text objects, the size of every sheet (a parse
of each sheet's start), each requested row as cell objects, and while a sheet is read its data
validations, conditional formats, page setup and views built as objects.  Here openpyxl reads the
package (content types, workbook part, relationships, the styles that say which numbers are dates)
as ``load_workbook`` does; the shared strings are their text as openpyxl's ``read_string_table``
gives it (lxml, one parse); and only the sheets asked for are parsed, once each, by openpyxl's sheet
parser (its cell reading, shared formulas translated, dates from the styles), skipping what is not a
cell.  The rows come out as :meth:`ReadOnlyWorksheet.iter_rows` would lay them out.

Imported only after :func:`xlbudget.workbook.reader.import_openpyxl` (openpyxl without numpy).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from lxml import etree
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, builtin_format_code
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG, FORMULA_TAG, ROW_TAG, WorkSheetParser
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHARED_STRINGS
from openpyxl.xml.functions import iterparse

Cell = dict[str, Any]  # openpyxl's parsed cell: row, column, value, data_type, style_id
#: where the number formats asked for are noted: sheet → (row, column) → the cell's number format code
Formats = dict[str, dict[tuple[int, int], str]]
#: what a sheet's rows are made of: one parsed row's cells and the formulas noted in it → the row's values
RowMaker = Callable[[list[Cell], dict[int, Any], int], list[Any]]

_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def shared_strings(xml: bytes) -> list[str]:
    """The shared-string table as openpyxl reads it (``Text.content``): an item's ``t`` (the last one,
    where there are several), then each rich-text run's ``t``; phonetic runs left out; ``x005F_``
    removed as openpyxl removes it."""
    out: list[str] = []
    for si in etree.fromstring(xml, _XML):
        if not isinstance(si.tag, str) or _local(si.tag) != "si":
            continue
        plain: str | None = None
        runs: list[str] = []
        for el in si:
            if not isinstance(el.tag, str):
                continue
            name = _local(el.tag)
            if name == "t":
                plain = el.text
            elif name == "r":
                run = None
                for sub in el:
                    if isinstance(sub.tag, str) and _local(sub.tag) == "t":
                        run = sub.text
                if run is not None:
                    runs.append(run)
        out.append("".join(([plain] if plain is not None else []) + runs).replace("x005F_", ""))
    return out


class _Package(ExcelReader):  # type: ignore[misc]
    """openpyxl's package reader, leaving out the document properties and the sheets' own reading."""

    def __init__(self, source: Any, *, data_only: bool) -> None:
        super().__init__(source, read_only=True, keep_vba=False, data_only=data_only, keep_links=False)
        self.sheets: list[tuple[str, str | None]] = []  # in workbook order: name, part (None: a chartsheet)

    def read_strings(self) -> None:
        ct = self.package.find(SHARED_STRINGS)
        if ct is not None:
            self.shared_strings = shared_strings(self.archive.read(ct.PartName[1:]))

    def read_properties(self) -> None:  # title, author …: not values
        pass

    def read_custom(self) -> None:
        pass

    def read_theme(self) -> None:
        pass

    def number_formats(self, wanted: Callable[[str], bool]) -> dict[int, str]:
        """style id → its number format code, for the styles whose code ``wanted`` picks."""
        wb = self.wb
        out: dict[int, str] = {}
        for idx, style in enumerate(getattr(wb, "_cell_styles", ())):
            fmt_id = style.numFmtId
            if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
                code = builtin_format_code(fmt_id) or ""
            else:
                code = wb._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
            if code and wanted(code):
                out[idx] = code
        return out

    def read_worksheets(self) -> None:
        """Each sheet's name and part, in the order ``load_workbook`` adds them (a sheet whose part is
        missing is left out, as it leaves it out); an entry for each, so that the defined names bound to
        a sheet by its index find it."""
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            chart = "chartsheet" in rel.Type
            self.sheets.append((sheet.name, None if chart else rel.target))
            self.wb._sheets.append(_Named(sheet.name))


class _Named:
    """A sheet as far as openpyxl's defined names need one (print titles and areas are set on it)."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.defined_names: dict[str, Any] = {}


class _Rows(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's sheet parser, reading the sheet's dimension and its rows only; with ``note`` each
    cell's formula is noted too (by column, for the row being parsed), its result read as the value."""

    def __init__(self, source: Any, package: _Package, *, note: bool) -> None:
        wb = package.wb
        super().__init__(
            source,
            package.shared_strings,
            data_only=package.data_only,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        self.note = note
        self.noted: dict[int, Any] = {}
        self.dimension: tuple[int, int, int, int] | None = None
        self.data_seen = False

    def parse_cell(self, element: Any) -> Cell:
        cell: Cell = super().parse_cell(element)
        if self.note and element.find(FORMULA_TAG) is not None:
            self.noted[cell["column"]] = self.parse_formula(element)
        return cell

    def parse(self) -> Iterator[tuple[int, list[Cell]]]:
        for _, element in iterparse(self.source):
            tag = element.tag
            if tag == ROW_TAG:
                row = self.parse_row(element)
                element.clear()
                yield row
            elif tag == DIMENSION_TAG and not self.data_seen:  # as ReadOnlyWorksheet sizes a sheet
                self.dimension = SheetDimension.from_tree(element).boundaries
            elif tag == DATA_TAG:
                self.data_seen = True


def _rows(
    package: _Package,
    part: str,
    make: RowMaker,
    *,
    note: bool,
    styles: dict[int, str] | None = None,
    formats: dict[tuple[int, int], str] | None = None,
) -> list[list[Any]]:
    """A sheet's rows from A1 as ``ReadOnlyWorksheet.iter_rows()`` lays them out (its size from the
    dimension, rows missing from the file filled, a row out of order left out), each made by ``make``;
    the cells of a style in ``styles`` noted in ``formats`` with its number format."""
    rows: list[list[Any]] = []
    idx = 1
    max_col = max_row = None
    with package.archive.open(part) as src:
        parser = _Rows(src, package, note=note)
        for idx, cells in parser.parse():
            if parser.dimension is not None:  # read before the cells (it comes first in the sheet)
                max_col, max_row = parser.dimension[2], parser.dimension[3]
            formulas = dict(parser.noted)
            parser.noted.clear()
            if max_row is not None and idx > max_row:
                break
            while len(rows) < idx - 1:  # rows missing from the file
                rows.append([None] * max_col if max_col is not None else [])
            if len(rows) >= idx:  # a row out of order: not read (as openpyxl)
                continue
            if styles and formats is not None:
                for cell in cells:
                    if cell["style_id"] in styles and cell["value"] is not None:
                        formats[(idx, cell["column"])] = styles[cell["style_id"]]
            rows.append(make(cells, formulas, max_col or (cells[-1]["column"] if cells else 0)))
        if parser.dimension is not None:
            max_col, max_row = parser.dimension[2], parser.dimension[3]
    if max_row is not None and max_row < idx:
        while len(rows) < max_row:
            rows.append([None] * max_col if max_col is not None else [])
    return rows


def read_values(
    source: Any,
    sheets: Collection[str] | None,
    make: RowMaker,
    *,
    data_only: bool,
    note: bool,
    formats: Formats | None = None,
    wanted: Callable[[str], bool] | None = None,
) -> dict[str, list[list[Any]]]:
    """The sheets (all, or those named that exist; chartsheets have no cells) as rows made by ``make``
    from openpyxl's parsed cells: with ``data_only`` a formula cell's value is its saved result (and with
    ``note`` its formula is noted), else the formula (data type ``"f"``). With ``formats`` and ``wanted``,
    the filled cells whose number format ``wanted`` picks are noted there with it."""
    package = _Package(source, data_only=data_only)
    try:
        package.read()
        styles = package.number_formats(wanted) if wanted is not None and formats is not None else None
        return {
            name: _rows(
                package,
                part,
                make,
                note=note,
                styles=styles,
                formats=formats.setdefault(name, {}) if styles and formats is not None else None,
            )
            for name, part in package.sheets
            if part is not None and (sheets is None or name in sheets)
        }
    finally:
        package.archive.close()
