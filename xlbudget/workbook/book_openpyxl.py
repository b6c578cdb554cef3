"""A workbook file as a :class:`~xlbudget.workbook.book.Book`: read with openpyxl, written at zip level.

openpyxl reads the values (``data_only``: what Excel last showed).  Writing back
never goes through openpyxl's ``save``, which drops the ribbon's relationship
and parts it does not model.  Instead :meth:`FileBook.save` copies every zip
member as it was — same names, order, dates, compression and content — except
the parts the writes touch:

* the XML of each sheet written to (only the cells written change: their value,
  and for new cells a style taken from the cell above in the same block);
* ``xl/styles.xml`` only when cells were marked (one fill and cell formats that
  differ from existing ones only by that fill are appended);
* ``xl/workbook.xml`` only when a print area changed;
* ``xl/calcChain.xml`` (Excel's list of formula cells in calculation order) is dropped —
  with its relationship and content type — when a write removed a formula that it may
  list: a chain naming a cell without a formula is what Excel "repairs" with "Removed
  Records: Formula from /xl/calcChain.xml", and a missing chain is rebuilt silently.

Strings are written inline (``t="inlineStr"``), so the shared-strings part is
left alone.  The new file replaces the old one atomically
(:func:`~xlbudget.io.atomic.write_bytes_atomic`), after an optional backup.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from xlbudget.errors import InputError
from xlbudget.io.atomic import write_bytes_atomic
from xlbudget.workbook import layout as L
from xlbudget.workbook.book import Link, overlay, rectangle
from xlbudget.workbook.evaluate import Formula

MAX_BYTES = 100 * 1024 * 1024
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
STYLES_PART = "xl/styles.xml"
CONTENT_TYPES = "[Content_Types].xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CALC_CHAIN_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_PROLOG = re.compile(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*\?>\s*")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _col_of(cell: Any) -> int:
    """Column number of a ``<c>`` whose ``r`` attribute is set (every cell's is, once parsed)."""
    m = _REF.match(cell.get("r") or "")
    if m is None:  # pragma: no cover - _SheetXml numbers every cell on load
        raise ValueError(f"cell without a reference: {etree.tostring(cell)!r}")
    return _col_number(m.group(1))


def _ref(row: int, col: int) -> str:
    return f"{L.col_letter(col)}{row}"


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _xml(data: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
    return etree.fromstring(data, parser)


def _serialize(root: Any, original: bytes) -> bytes:
    """The element as bytes behind the original part's own XML declaration (kept to the byte)."""
    m = _PROLOG.match(original)
    prolog = m.group(0) if m else b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    return prolog + etree.tostring(root, xml_declaration=False, encoding="UTF-8")


class _Styles:
    """``xl/styles.xml``: cell formats that differ from an existing one only by their fill."""

    def __init__(self, data: bytes) -> None:
        self.original = data
        self.root = _xml(data)
        self.fills = self.root.find(_q("fills"))
        self.xfs = self.root.find(_q("cellXfs"))
        if self.fills is None or self.xfs is None:
            raise InputError("工作簿的样式部分（xl/styles.xml）不完整，无法标记单元格", STYLES_PART)
        self.changed = False

    def fill_id(self, color: str | None) -> int:
        if color is None:
            return 0
        rgb = "FF" + color.lstrip("#").upper()
        for i, fill in enumerate(self.fills.findall(_q("fill"))):
            pattern = fill.find(_q("patternFill"))
            fg = pattern.find(_q("fgColor")) if pattern is not None else None
            if pattern is not None and pattern.get("patternType") == "solid" and fg is not None:
                if (fg.get("rgb") or "").upper() == rgb:
                    return i
        fill = etree.SubElement(self.fills, _q("fill"))
        pattern = etree.SubElement(fill, _q("patternFill"), patternType="solid")
        etree.SubElement(pattern, _q("fgColor"), rgb=rgb)
        etree.SubElement(pattern, _q("bgColor"), indexed="64")
        self.fills.set("count", str(len(self.fills.findall(_q("fill")))))
        self.changed = True
        return len(self.fills.findall(_q("fill"))) - 1

    def with_fill(self, style: int, color: str | None) -> int:
        xfs = self.xfs.findall(_q("xf"))
        base = xfs[style] if 0 <= style < len(xfs) else xfs[0]
        want = copy.deepcopy(base)
        fill = self.fill_id(color)
        want.set("fillId", str(fill))
        if fill:
            want.set("applyFill", "1")
        else:
            want.attrib.pop("applyFill", None)
        key = etree.tostring(want)
        for i, xf in enumerate(xfs):
            if etree.tostring(xf) == key:
                return i
        # the same format without a fill may be spelled with applyFill="0" or fillId="0"
        if not fill:
            for i, xf in enumerate(xfs):
                other = copy.deepcopy(xf)
                other.attrib.pop("applyFill", None)
                if other.get("fillId", "0") == "0":
                    other.set("fillId", "0")
                    if etree.tostring(other) == key:
                        return i
        self.xfs.append(want)
        self.xfs.set("count", str(len(xfs) + 1))
        self.changed = True
        return len(xfs)


class _SheetXml:
    """One worksheet part, edited cell by cell."""

    def __init__(self, data: bytes) -> None:
        self.original = data
        self.root = _xml(data)
        self.data = self.root.find(_q("sheetData"))
        if self.data is None:
            self.data = etree.SubElement(self.root, _q("sheetData"))
        self.rows: dict[int, Any] = {}
        self.formulas_removed = False
        prev = 0
        for row in self.data.findall(_q("row")):
            r = int(row.get("r") or prev + 1)
            row.set("r", str(r))
            prev = r
            self.rows[r] = row
            col = 0
            for c in row.findall(_q("c")):
                m = _REF.match(c.get("r") or "")
                col = _col_number(m.group(1)) if m else col + 1
                c.set("r", _ref(r, col))

    def _row(self, r: int) -> Any:
        row = self.rows.get(r)
        if row is None:
            row = etree.Element(_q("row"), r=str(r))
            later = [n for n in self.rows if n > r]
            if later:
                self.rows[min(later)].addprevious(row)
            else:
                self.data.append(row)
            self.rows[r] = row
        return row

    def cell(self, r: int, c: int, *, create: bool = True) -> Any:
        row = self.rows.get(r) if not create else self._row(r)
        if row is None:
            return None
        ref = _ref(r, c)
        cells = row.findall(_q("c"))
        for el in cells:
            if el.get("r") == ref:
                return el
        if not create:
            return None
        el = etree.Element(_q("c"), r=ref)
        after = [x for x in cells if _col_of(x) > c]
        if after:
            after[0].addprevious(el)
        else:
            row.append(el)
        return el

    def style_of(self, r: int, c: int) -> str | None:
        el = self.cell(r, c, create=False)
        return el.get("s") if el is not None else None

    def set_value(self, el: Any, value: Any) -> None:
        for child in list(el):
            if child.tag in (_q("v"), _q("f"), _q("is")):
                if child.tag == _q("f"):
                    self.formulas_removed = True
                el.remove(child)
        for attr in ("t", "cm", "vm"):
            el.attrib.pop(attr, None)
        parts = []
        if value is None or value == "":
            return
        if isinstance(value, Link):
            f = etree.Element(_q("f"))
            f.text = _ILLEGAL_XML.sub("", value.formula[1:])
            v = etree.Element(_q("v"))
            v.text = _ILLEGAL_XML.sub("", value.text)
            el.set("t", "str")
            parts = [f, v]
        elif isinstance(value, bool):
            el.set("t", "b")
            v = etree.Element(_q("v"))
            v.text = "1" if value else "0"
            parts = [v]
        elif isinstance(value, int | float | Decimal):
            v = etree.Element(_q("v"))
            v.text = _number_text(value)
            parts = [v]
        else:
            text = _ILLEGAL_XML.sub("", str(value))
            el.set("t", "inlineStr")
            is_ = etree.Element(_q("is"))
            t = etree.SubElement(is_, _q("t"))
            t.text = text
            if text != text.strip() or "\n" in text:
                t.set(XML_SPACE, "preserve")
            parts = [is_]
        for i, part in enumerate(parts):
            el.insert(i, part)

    def finish(self) -> bytes:
        """Spans and dimension brought up to date; the part's bytes."""
        lo_r = lo_c = 10**9
        hi_r = hi_c = 0
        for r, row in self.rows.items():
            cols = [_col_of(c) for c in row.findall(_q("c"))]
            if cols:
                if row.get("spans") is not None:
                    row.set("spans", f"{min(cols)}:{max(cols)}")
                lo_r, hi_r = min(lo_r, r), max(hi_r, r)
                lo_c, hi_c = min(lo_c, min(cols)), max(hi_c, max(cols))
        dim = self.root.find(_q("dimension"))
        if dim is not None and hi_r:
            ref = (
                _ref(lo_r, lo_c) if (lo_r, lo_c) == (hi_r, hi_c) else f"{_ref(lo_r, lo_c)}:{_ref(hi_r, hi_c)}"
            )
            dim.set("ref", ref)
        return _serialize(self.root, self.original)


def lock_file(path: Path) -> Path | None:
    """Excel's owner file ``~$NAME`` beside the workbook (WPS writes the same), if there is one.

    Excel writes it when it opens a workbook and deletes it when it closes it; one left
    behind by a crash looks the same, so this is a reason to warn, not to refuse.
    """
    owner = path.with_name("~$" + path.name)
    return owner if owner.is_file() else None


def open_in_excel_warning(path: Path) -> str | None:
    """The Chinese warning for a workbook that Excel seems to have open, or None."""
    owner = lock_file(path)
    if owner is None:
        return None
    return (
        f"注意：{path.name} 似乎正在 Excel 或 WPS 中打开（同一文件夹中有锁定文件 {owner.name}）。"
        "请先在 Excel 中保存并关闭它，再运行本命令；否则 Excel 再次保存时会覆盖这里写入的结果。"
        f"如果 Excel 已经关闭，{owner.name} 是上次异常退出时留下的，可以删除。"
    )


class FileBook:
    """A workbook file (.xlsm/.xlsx).  Writes are kept until :meth:`save`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        where = str(self.path)
        if not self.path.exists():
            raise InputError("文件不存在", where)
        if self.path.is_dir():
            raise InputError("这是一个文件夹，不是文件", where)
        if self.path.stat().st_size > MAX_BYTES:
            raise InputError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，不像单位预算工作簿", where)
        from xlbudget.safety import check_workbook

        check_workbook(self.path)  # not a zip bomb, no DOCTYPE, really a workbook: before anything is parsed
        self.original = self.path.read_bytes()
        self._package = self.original  # what the writes apply to: the original, or it with a sheet put back
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(self.original))
            self._parts = self._sheet_parts()
        except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
            raise InputError("不是有效的 Excel 工作簿（.xlsx/.xlsm），或文件已损坏", where) from exc
        self._values: dict[str, list[list[Any]]] = {}
        self._formats: dict[str, dict[tuple[int, int], str]] = {}  # cells whose format does not show yuan
        # (row, col) → (value, first row of the write it came from)
        self._edits: dict[str, dict[tuple[int, int], tuple[Any, int]]] = {}
        self._marks: dict[str, dict[tuple[int, int], str | None]] = {}
        self._unstyled: dict[str, set[tuple[int, int]]] = {}
        self._print_areas: dict[str, tuple[int, int]] = {}
        self.status: list[str] = []
        self.alerts: list[str] = []
        self.questions: list[str] = []
        self.answer: bool | None = None  # what ask() answers (a test may set it)

    # -- what is in the file ----------------------------------------------------------------
    def _sheet_parts(self) -> dict[str, str]:
        wb = _xml(self._zip.read(WORKBOOK_PART))
        rels = _xml(self._zip.read(WORKBOOK_RELS))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall(f"{{{PKG_REL_NS}}}Relationship")}
        parts = {}
        sheets = wb.find(_q("sheets"))
        for s in sheets.findall(_q("sheet")) if sheets is not None else []:
            target = targets.get(s.get(f"{{{REL_NS}}}id"), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            parts[s.get("name")] = part
        return parts

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent

    def sheet_names(self) -> list[str]:
        return list(self._parts)

    def _load_values(self) -> None:
        from xlbudget.workbook.reader import read_sheets

        try:
            found = read_sheets(self._package, formats=self._formats)
        except Exception as exc:  # a damaged part inside a valid zip
            raise InputError(
                "无法读取工作簿内容：文件已损坏（可在 Excel 或 WPS 中打开后另存为 .xlsm 再试）",
                str(self.path),
            ) from exc
        for name, rows in found.items():
            self._values[name] = rectangle(rows)

    def sheet_values(self, sheets: Sequence[str]) -> Any:
        """The named sheets as the reader's values: a formula without a saved result is evaluated."""
        from xlbudget.workbook.evaluate import Evaluator
        from xlbudget.workbook.reader import SheetValues

        if not self._values:
            self._load_values()
        return SheetValues(
            self.folder / self.name,
            {s: self._values[s] for s in sheets if s in self._values},
            Evaluator(self._values),
            self._formats,
        )

    # -- the Book interface --------------------------------------------------------------------
    def read(self, sheet: str) -> list[list[Any]]:
        if not self._values:
            self._load_values()
        if sheet not in self._values:
            raise InputError(f"缺少工作表“{sheet}”", f"{sheet}!")
        # what the file shows: a formula without a saved result shows what was saved (or nothing)
        return [[v.cached if isinstance(v, Formula) else v for v in r] for r in self._values[sheet]]

    def write(self, sheet: str, top_left: tuple[int, int], rows: Sequence[Sequence[Any]]) -> None:
        if sheet not in self._parts:
            raise InputError(f"缺少工作表“{sheet}”", f"{sheet}!")
        if not self._values:
            self._load_values()
        edits = self._edits.setdefault(sheet, {})
        r0, c0 = top_left
        for i, row in enumerate(rectangle(rows)):
            for j, v in enumerate(row):
                edits[(r0 + i, c0 + j)] = (v, r0)
        overlay(self._values.setdefault(sheet, []), top_left, rows)

    def clear(
        self, sheet: str, first: tuple[int, int], last: tuple[int, int], *, formats: bool = False
    ) -> None:
        (r1, c1), (r2, c2) = first, last
        self.write(sheet, (r1, c1), [[None] * (c2 - c1 + 1) for _ in range(r2 - r1 + 1)])
        if formats:
            self._unstyled.setdefault(sheet, set()).update(
                (r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
            )

    def mark(self, sheet: str, cells: Sequence[tuple[int, int]], color: str | None) -> None:
        if sheet not in self._parts:
            raise InputError(f"缺少工作表“{sheet}”", f"{sheet}!")
        marks = self._marks.setdefault(sheet, {})
        for cell in cells:
            marks[cell] = color

    def add_sheet(self, name: str) -> None:
        raise InputError(f"工作簿中缺少工作表“{name}”；请用最新的工作簿模板（xlbudget new）", f"{name}!")

    def restore_sheet(self, name: str, template: bytes) -> None:
        """Put back sheet ``name`` as the workbook ``template`` has it (:mod:`~xlbudget.workbook.restore`)."""
        from xlbudget.workbook.reader import read_sheets
        from xlbudget.workbook.restore import insert_sheet

        if not self._values:
            self._load_values()
        self._package = insert_sheet(self._package, template, name)
        self._zip = zipfile.ZipFile(io.BytesIO(self._package))
        self._parts = self._sheet_parts()
        self._values[name] = rectangle(read_sheets(self._package).get(name, []))

    def extend_format(self, sheet: str, row: int, down_to: int, width: int) -> None:
        """Nothing to do: a new cell of a block takes the style of the cell above it when written."""

    def set_print_area(self, sheet: str, last: tuple[int, int]) -> None:
        self._print_areas[sheet] = last

    def set_status(self, text: str | None) -> None:
        if text:
            self.status.append(text)

    def alert(self, text: str, title: str = "预算公开", *, critical: bool = False) -> None:
        self.alerts.append(text)

    def ask(self, text: str, title: str = "预算公开") -> bool | None:
        """No one to ask in a file: the preset :attr:`answer` (None: cannot ask); the question is kept."""
        self.questions.append(text)
        return self.answer

    def export_pdf(self, sheets: Sequence[str], path: Path) -> bool:
        return False

    # -- writing the file ----------------------------------------------------------------------
    def changed_parts(self) -> dict[str, bytes | None]:
        """Part name → new bytes (None: the part goes), for the parts the writes change; nothing else."""
        out: dict[str, bytes | None] = {}
        formulas_removed = False
        styles = _Styles(self._zip.read(STYLES_PART)) if any(self._marks.values()) else None
        for sheet in self._parts:
            edits, marks = self._edits.get(sheet, {}), self._marks.get(sheet, {})
            if not edits and not marks and not self._unstyled.get(sheet):
                continue
            part = self._parts[sheet]
            xml = _SheetXml(self._zip.read(part))
            for (r, c), (value, top) in sorted(edits.items(), key=lambda kv: (kv[0][1], kv[0][0])):
                existing = xml.cell(r, c, create=False)
                if existing is None and value is None:
                    continue
                el = existing if existing is not None else xml.cell(r, c)
                if existing is None and r > top:  # a new row of a block looks like the row above it
                    above = xml.style_of(r - 1, c)
                    if above is not None:
                        el.set("s", above)
                xml.set_value(el, value)
            for r, c in sorted(self._unstyled.get(sheet, ())):
                el = xml.cell(r, c, create=False)
                if el is not None:
                    el.attrib.pop("s", None)
            if styles is not None:
                for (r, c), color in sorted(marks.items()):
                    el = xml.cell(r, c)
                    new = styles.with_fill(int(el.get("s") or 0), color)
                    if new:
                        el.set("s", str(new))
                    else:
                        el.attrib.pop("s", None)
            out[part] = xml.finish()
            formulas_removed = formulas_removed or xml.formulas_removed
        if styles is not None and styles.changed:
            out[STYLES_PART] = _serialize(styles.root, styles.original)
        workbook = self._workbook_xml()
        if workbook is not None:
            out[WORKBOOK_PART] = workbook
        if formulas_removed:
            out.update(self._without_calc_chain())
        return out

    def _without_calc_chain(self) -> dict[str, bytes | None]:
        """The calculation chain removed: its part (None: left out), its relationship, its content type."""
        rels_data = self._zip.read(WORKBOOK_RELS)
        rels = _xml(rels_data)
        chain = [r for r in rels.findall(f"{{{PKG_REL_NS}}}Relationship") if r.get("Type") == CALC_CHAIN_REL]
        if not chain:
            return {}
        out: dict[str, bytes | None] = {}
        for rel in chain:
            target = rel.get("Target") or ""
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            out[part] = None
            rels.remove(rel)
        out[WORKBOOK_RELS] = _serialize(rels, rels_data)
        types_data = self._zip.read(CONTENT_TYPES)
        types = _xml(types_data)
        for override in types.findall(f"{{{CT_NS}}}Override"):
            if (override.get("PartName") or "").lstrip("/") in out:
                types.remove(override)
        out[CONTENT_TYPES] = _serialize(types, types_data)
        return out

    def _workbook_xml(self) -> bytes | None:
        if not self._print_areas:
            return None
        data = self._zip.read(WORKBOOK_PART)
        root = _xml(data)
        names = [s.get("name") for s in root.find(_q("sheets")).findall(_q("sheet"))]
        changed = False
        defined = root.find(_q("definedNames"))
        for el in defined.findall(_q("definedName")) if defined is not None else []:
            if el.get("name") != "_xlnm.Print_Area" or el.get("localSheetId") is None:
                continue
            sheet = names[int(el.get("localSheetId"))]
            if sheet not in self._print_areas:
                continue
            row, col = self._print_areas[sheet]
            quoted = (
                sheet if re.fullmatch(r"[\w\u4e00-\u9fff]+", sheet) else "'" + sheet.replace("'", "''") + "'"
            )
            text = f"{quoted}!$A$1:${L.col_letter(col)}${row}"
            if el.text != text:
                el.text = text
                changed = True
        return _serialize(root, data) if changed else None

    def to_bytes(self) -> bytes:
        """The whole file with the writes applied; every other member copied as it was."""
        changed = self.changed_parts()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for info in self._zip.infolist():
                if info.filename not in changed:
                    data = self._zip.read(info)
                else:
                    new = changed[info.filename]
                    if new is None:  # a part that goes (the calculation chain)
                        continue
                    data = new
                dst.writestr(info, data, compress_type=info.compress_type)
        return out.getvalue()

    def save(self, backup: Path | None = None) -> None:
        """Write the file atomically (temp file + rename), after copying the original to ``backup``."""
        data = self.to_bytes()
        if backup is not None:
            write_bytes_atomic(backup, self.original)
        write_bytes_atomic(self.path, data)
