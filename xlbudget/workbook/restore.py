"""A 表 sheet the user deleted, put back at zip level: taken from a workbook ``xlbudget new`` builds for the
same budget, and inserted into the user's file with every other part kept.

:func:`insert_sheet` adds to the package (as Excel itself would have it):

* the sheet's XML, its text written inline (the template's shared strings are not the file's) and its
  cell formats mapped into the file's own ``xl/styles.xml`` — a format the file has already is reused,
  one it lacks is appended (with the font, fill, border and number format it needs);
* its ``<sheet>`` in ``xl/workbook.xml`` where the template has it (after 表8 for 表9), its print area and
  print titles, the other sheets' defined names and the active tab moved up by one where they come after;
* its relationship and its content type.

Nothing else changes: macros (``vbaProject.bin``), the ribbon, the other sheets, their styles and names.
The sheet gets no VBA code name (the template's would name the template's document module, which the
file's project need not have): Excel gives it one when it opens the file.
A sheet with parts of its own (drawings, comments, Excel tables) is not put back — the 表 sheets have none.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from typing import Any

from lxml import etree

from xlbudget.errors import InputError

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_REL = f"{REL_NS}/worksheet"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKBOOK = "xl/workbook.xml"
RELS = "xl/_rels/workbook.xml.rels"
STYLES = "xl/styles.xml"
STRINGS = "xl/sharedStrings.xml"
TYPES = "[Content_Types].xml"
_PROLOG = re.compile(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*\?>\s*")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _xml(data: bytes) -> Any:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))


def _bytes(root: Any, original: bytes) -> bytes:
    m = _PROLOG.match(original)
    prolog = m.group(0) if m else b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    return prolog + etree.tostring(root, xml_declaration=False, encoding="UTF-8")


class _Package:
    """The parts of a workbook that say which sheets it has and where they are."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.workbook = _xml(self.zip.read(WORKBOOK))
        self.rels = _xml(self.zip.read(RELS))
        self.sheets = self.workbook.find(_q("sheets"))
        targets = {r.get("Id"): r.get("Target") for r in self.rels.findall(f"{{{PKG_REL_NS}}}Relationship")}
        self.parts: dict[str, str] = {}
        for s in self.sheets.findall(_q("sheet")):
            target = targets.get(s.get(f"{{{REL_NS}}}id"), "") or ""
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            self.parts[s.get("name")] = part

    @property
    def names(self) -> list[str]:
        return [s.get("name") for s in self.sheets.findall(_q("sheet"))]


def _strings(pkg: _Package) -> list[str]:
    if STRINGS not in pkg.zip.namelist():
        return []
    root = _xml(pkg.zip.read(STRINGS))
    return ["".join(t.text or "" for t in si.iter(_q("t"))) for si in root.findall(_q("si"))]


class _StyleMap:
    """The template's cell formats as formats of the file's ``xl/styles.xml`` (found, or appended)."""

    def __init__(self, template: bytes, target: bytes) -> None:
        self.original = target
        self.src, self.dst = _xml(template), _xml(target)
        self.src_xfs = self.src.find(_q("cellXfs")).findall(_q("xf"))
        self.cache: dict[str, str] = {}
        self.changed = False

    def _list(self, root: Any, name: str) -> Any:
        found = root.find(_q(name))
        if found is None:
            raise InputError(f"工作簿的样式部分（{STYLES}）缺少 <{name}>，无法重建工作表", STYLES)
        return found

    def _same_or_append(self, name: str, element: Any) -> int:
        """The index of an equal ``element`` in the file's ``<name>`` list, appended if there is none."""
        holder = self._list(self.dst, name)
        text = etree.tostring(element)
        items = list(holder)
        for i, item in enumerate(items):
            if etree.tostring(item) == text:
                return i
        holder.append(copy.deepcopy(element))
        holder.set("count", str(len(items) + 1))
        self.changed = True
        return len(items)

    def _number_format(self, fmt_id: str) -> str:
        if int(fmt_id) < 164:
            return fmt_id  # a built-in format: the same number everywhere
        codes = {n.get("numFmtId"): n.get("formatCode") for n in self.src.iter(_q("numFmt"))}
        code = codes.get(fmt_id)
        if code is None:
            return "0"
        holder = self.dst.find(_q("numFmts"))
        if holder is None:
            holder = etree.Element(_q("numFmts"))
            self.dst.insert(0, holder)
        for n in holder.findall(_q("numFmt")):
            if n.get("formatCode") == code:
                return str(n.get("numFmtId"))
        used = [int(n.get("numFmtId")) for n in holder.findall(_q("numFmt"))]
        new = str(max([163, *used]) + 1)
        etree.SubElement(holder, _q("numFmt"), numFmtId=new, formatCode=code)
        holder.set("count", str(len(used) + 1))
        self.changed = True
        return new

    def __call__(self, index: str) -> str:
        """The file's format index for the template's format ``index``."""
        if index in self.cache:
            return self.cache[index]
        xf = copy.deepcopy(self.src_xfs[int(index)])
        for attr, name in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
            part = self._list(self.src, name)[int(xf.get(attr) or 0)]
            xf.set(attr, str(self._same_or_append(name, part)))
        xf.set("numFmtId", self._number_format(xf.get("numFmtId") or "0"))
        xf.set("xfId", "0")  # the Normal cell style
        self.cache[index] = str(self._same_or_append("cellXfs", xf))
        return self.cache[index]


def _sheet_xml(data: bytes, strings: list[str], style: _StyleMap) -> bytes:
    root = _xml(data)
    for el in root.iter(_q("c"), _q("row"), _q("col")):
        attr = "style" if el.tag == _q("col") else "s"
        if el.get(attr) is not None:
            el.set(attr, style(el.get(attr)))
    for c in root.iter(_q("c")):
        if c.get("t") == "s":
            v = c.find(_q("v"))
            text = strings[int(v.text)] if v is not None and v.text is not None else ""
            c.remove(v)
            c.set("t", "inlineStr")
            t = etree.SubElement(etree.SubElement(c, _q("is")), _q("t"))
            t.text = text
            if text != text.strip() or "\n" in text:
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    pr = root.find(_q("sheetPr"))
    if pr is not None:
        pr.attrib.pop("codeName", None)
    for view in root.iter(_q("sheetView")):
        view.attrib.pop("tabSelected", None)
    return _bytes(root, data)


def _new_name(existing: set[str], pattern: str) -> str:
    n = 1
    while pattern.format(n) in existing:
        n += 1
    return pattern.format(n)


def insert_sheet(package: bytes, template: bytes, name: str) -> bytes:
    """``package`` with sheet ``name`` of ``template`` put back (see the module's docstring)."""
    src, dst = _Package(template), _Package(package)
    if name not in src.parts:
        raise InputError(f"按报表方案生成的工作簿中也没有工作表“{name}”，无法重建", name)
    if name in dst.parts:
        return package
    src_part = src.parts[name]
    rels_of = posixpath.join(posixpath.dirname(src_part), "_rels", posixpath.basename(src_part) + ".rels")
    if rels_of in src.zip.namelist():
        raise InputError(f"工作表“{name}”带有图形、批注或表格，无法安全重建", name)

    styles = _StyleMap(src.zip.read(STYLES), dst.zip.read(STYLES))
    sheet = _sheet_xml(src.zip.read(src_part), _strings(src), styles)

    members = set(dst.zip.namelist())
    part = _new_name(members, "xl/worksheets/sheet{}.xml")
    rel_ids = {r.get("Id") for r in dst.rels}
    rid = _new_name(rel_ids, "rId{}")
    rel = etree.SubElement(dst.rels, f"{{{PKG_REL_NS}}}Relationship")
    rel.set("Id", rid)
    rel.set("Type", WORKSHEET_REL)
    rel.set("Target", posixpath.relpath(part, "xl"))

    # where the template has it: after the nearest sheet before it that the file has, else first
    order = src.names
    before = [n for n in order[: order.index(name)] if n in dst.parts]
    position = dst.names.index(before[-1]) + 1 if before else 0
    ids = [int(s.get("sheetId") or 0) for s in dst.sheets.findall(_q("sheet"))]
    entry = etree.Element(_q("sheet"))
    entry.set("name", name)
    entry.set("sheetId", str(max([0, *ids]) + 1))
    entry.set(f"{{{REL_NS}}}id", rid)
    dst.sheets.insert(position, entry)

    defined = dst.workbook.find(_q("definedNames"))
    for el in defined.findall(_q("definedName")) if defined is not None else []:
        local = el.get("localSheetId")
        if local is not None and int(local) >= position:
            el.set("localSheetId", str(int(local) + 1))
    src_index = str(order.index(name))
    src_defined = src.workbook.find(_q("definedNames"))
    own = [
        el for el in (src_defined if src_defined is not None else []) if el.get("localSheetId") == src_index
    ]
    if own:
        if defined is None:
            defined = etree.Element(_q("definedNames"))
            dst.sheets.addnext(defined)
        for el in own:
            new = copy.deepcopy(el)
            new.set("localSheetId", str(position))
            defined.append(new)
    for view in dst.workbook.iter(_q("workbookView")):
        for attr in ("activeTab", "firstSheet"):
            if view.get(attr) is not None and int(view.get(attr)) >= position:
                view.set(attr, str(int(view.get(attr)) + 1))

    types_data = dst.zip.read(TYPES)
    types = _xml(types_data)
    override = etree.SubElement(types, f"{{{CT_NS}}}Override")
    override.set("PartName", "/" + part)
    override.set("ContentType", WORKSHEET_TYPE)

    changed = {
        WORKBOOK: _bytes(dst.workbook, dst.zip.read(WORKBOOK)),
        RELS: _bytes(dst.rels, dst.zip.read(RELS)),
        TYPES: _bytes(types, types_data),
    }
    if styles.changed:
        changed[STYLES] = _bytes(styles.dst, styles.original)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in dst.zip.infolist():
            z.writestr(info, changed.get(info.filename, dst.zip.read(info)), compress_type=info.compress_type)
        z.writestr(part, sheet, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
