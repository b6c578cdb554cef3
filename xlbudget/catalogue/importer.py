"""Import an official 政府收支分类科目 export (CSV or XLSX) as a user catalogue.

The export's header row is found by its column titles: 科目编码/编码/code and
科目名称/名称/name, or separate 类/款/项 columns (the layout of the printed
catalogue, where a 款 row shows only its two digits). For ``economic_dept`` an
optional 政府预算经济分类 column gives each 款 its 政府预算支出经济分类 款.

The result is written, atomically, to ``<user catalogue dir>/<year>/<part>.csv``
in the project's own format (code,name[,gov_code]).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from xlbudget.io.atomic import write_bytes_atomic

from . import (
    PART_CODE_LENGTHS,
    PART_TITLES,
    PARTS,
    CatalogueError,
    clear_cache,
    normalize_code,
    resolve_part_data,
    user_catalogue_dir,
)

HEADER_SCAN_ROWS = 30

_CODE_HEADERS = ("科目编码", "科目代码", "编码", "代码", "code")
_NAME_HEADERS = ("科目名称", "名称", "name")
_GOV_HEADERS = ("gov_code", "gov")
_NOT_OWN_COLUMN = ("政府", "上级", "父级", "parent", "gov")
# "2010308 信访事务", "[2010308]信访事务", "【2010308】信访事务"
_CODE_WITH_NAME = re.compile(r"[\[【(（]?\s*(\d+)\s*[\]】)）]?\s*([^\x00-\x7f].*)", re.S)


@dataclass(frozen=True)
class ImportResult:
    """What an import did to one part of one year's user catalogue."""

    year: int
    part: str
    path: Path  # the catalogue file written
    added: int  # codes that were not in the catalogue before
    replaced: int  # codes whose name (or gov_code) changed
    unchanged: int
    removed: int  # codes dropped (replace=True only)
    total: int  # codes in the part after the import

    @property
    def message(self) -> str:
        text = (
            f"已导入{self.year}年{PART_TITLES[self.part]}：新增{self.added}个，"
            f"修改{self.replaced}个，未变{self.unchanged}个"
        )
        if self.removed:
            text += f"，删除{self.removed}个"
        return text + f"，共{self.total}个。"


@dataclass(frozen=True)
class _Entry:
    code: str
    name: str
    gov_code: str | None
    row: int


def _header_text(value: object) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value))).lower()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass(frozen=True)
class _Columns:
    code: int | None
    name: int
    gov: int | None
    lei: int | None  # 类/款/项 layout
    kuan: int | None
    xiang: int | None


def _find_columns(row: Sequence[object], part: str) -> _Columns | None:
    headers = [_header_text(cell) for cell in row]

    def own(text: str) -> bool:
        return not any(word in text for word in _NOT_OWN_COLUMN)

    def first(predicate) -> int | None:
        return next((i for i, text in enumerate(headers) if text and predicate(text)), None)

    code = first(lambda t: t in _CODE_HEADERS)
    if code is None:
        code = first(lambda t: own(t) and (t.endswith("编码") or t.endswith("代码")))
    name = first(lambda t: t in _NAME_HEADERS)
    if name is None:
        name = first(lambda t: own(t) and t.endswith("名称"))
    gov: int | None = None
    if part == "economic_dept":
        gov_columns = [i for i, t in enumerate(headers) if t in _GOV_HEADERS or "政府" in t]
        coded = [i for i in gov_columns if any(w in headers[i] for w in ("编码", "代码", "code"))]
        gov = next(iter(coded or gov_columns), None)
    lei = first(lambda t: t == "类")
    kuan = first(lambda t: t == "款")
    xiang = first(lambda t: t == "项")
    if name is None or (code is None and lei is None):
        return None
    return _Columns(code, name, gov, lei, kuan, xiang)


def _rows_from_csv(path: Path) -> Iterator[list[object]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise CatalogueError(f"{path.name}：无法识别文件编码（应为UTF-8或GBK）。")
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _rows_from_xlsx(path: Path, part: str) -> list[list[object]]:
    """Rows of the first sheet that has a catalogue header (row n of the sheet is item n-1)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a bad file
        raise CatalogueError(f"{path.name}：无法读取这个 Excel 文件（文件已损坏，或不是 .xlsx）。") from exc
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # some exporters write a wrong <dimension>; read every row
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            if any(_find_columns(row, part) for row in rows[:HEADER_SCAN_ROWS]):
                return rows
        return []
    finally:
        workbook.close()


def _read_rows(path: Path, part: str) -> Iterable[list[object]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _rows_from_xlsx(path, part)
    if suffix in (".csv", ".txt", ".tsv"):
        return _rows_from_csv(path)
    raise CatalogueError(f"{path.name}：不支持的文件类型“{path.suffix}”，请另存为 .xlsx 或 .csv 后导入。")


def _entries(rows: Iterable[list[object]], part: str, label: str) -> list[_Entry]:
    iterator = iter(rows)
    columns = None
    header_row = 0
    for header_row, row in enumerate(iterator, start=1):
        columns = _find_columns(row, part)
        if columns is not None or header_row >= HEADER_SCAN_ROWS:
            break
    if columns is None:
        raise CatalogueError(
            f"{label}：前{HEADER_SCAN_ROWS}行中找不到表头。表头应有“科目编码”（或 编码/code，"
            "或 类/款/项 三列）和“科目名称”（或 名称/name）列。"
        )
    lengths = PART_CODE_LENGTHS[part]
    entries: list[_Entry] = []
    current: dict[int, str] = {}  # 类/款 carried down in the 类/款/项 layout

    def cell(row: list[object], index: int | None) -> object:
        return row[index] if index is not None and index < len(row) else None

    def bad(row_no: int, raw: object, why: str) -> CatalogueError:
        return CatalogueError(f"{label}：第{row_no}行，科目编码“{_cell_text(raw)}”{why}")

    for row_number, row in enumerate(iterator, start=header_row + 1):
        name = _cell_text(cell(row, columns.name))
        if columns.code is not None:
            raw: object = cell(row, columns.code)
            code = normalize_code(raw)
            if code is None and isinstance(raw, str) and (match := _CODE_WITH_NAME.fullmatch(raw.strip())):
                code = normalize_code(match.group(1))
                name = name or match.group(2).strip()
            if code is None and not re.search(r"\d", _cell_text(raw)):
                continue  # blank, 合计 or a note: not a code row
        else:
            raw, code = _code_from_levels(row, columns, current, cell)
            if raw is None or (code is None and not re.search(r"\d", _cell_text(raw))):
                continue
        if code is None or len(code) not in lengths:
            allowed = "、".join(f"{n}位" for n in lengths)
            raise bad(row_number, raw, f"不是{allowed}数字（{PART_TITLES[part]}）。")
        if not name:
            raise bad(row_number, raw, "缺少科目名称。")
        gov = None
        if columns.gov is not None and _cell_text(cell(row, columns.gov)):
            gov_raw = cell(row, columns.gov)
            match = re.match(r"\D*(\d{5})(?!\d)", unicodedata.normalize("NFKC", _cell_text(gov_raw)))
            if match is None:
                raise CatalogueError(
                    f"{label}：第{row_number}行，政府预算经济分类“{_cell_text(gov_raw)}”中没有5位科目编码。"
                )
            gov = match.group(1)
        entries.append(_Entry(code, name, gov, row_number))
    if not entries:
        raise CatalogueError(f"{label}：表头下没有任何科目。")
    return entries


def _code_from_levels(row, columns: _Columns, current: dict[int, str], cell) -> tuple[object, str | None]:
    """Code of a row in the 类/款/项 layout (款 and 项 may show only their 2 digits,
    the 类/款 above them carried down from earlier rows)."""
    code: str | None = None
    deepest: object = None
    for index, length in ((columns.lei, 3), (columns.kuan, 5), (columns.xiang, 7)):
        raw = cell(row, index)
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", _cell_text(raw)))
        if not text:
            continue
        if length > 3 and text.isdigit() and len(text) <= 2:
            parent = current.get(length - 2)
            if parent is None:
                return raw, None
            text = parent + text.zfill(2)
        level_code = normalize_code(text)
        if level_code is None or len(level_code) != length:
            return raw, None
        current[length] = level_code
        for deeper in (5, 7):
            if deeper > length:
                current.pop(deeper, None)
        code, deepest = level_code, raw
    return deepest, code


def _check_parents(merged: dict[str, str], imported: dict[str, _Entry], label: str) -> None:
    for code, entry in imported.items():
        parent = code[:-2] if len(code) > 3 else None
        if parent is not None and parent not in merged:
            raise CatalogueError(
                f"{label}：第{entry.row}行，科目{code}“{entry.name}”的上级科目{parent}"
                "既不在导入文件中，也不在原科目表中。"
            )


def _write_atomically(target: Path, part: str, names: dict[str, str], gov: dict[str, str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with_gov = part == "economic_dept"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "name", "gov_code"] if with_gov else ["code", "name"])
    for code in sorted(names):
        writer.writerow([code, names[code], gov.get(code, "")] if with_gov else [code, names[code]])
    write_bytes_atomic(target, buffer.getvalue().encode("utf-8-sig"))


def import_catalogue(path: str | Path, year: int, part: str, *, replace: bool = False) -> ImportResult:
    """Import an official catalogue export for ``year`` into the user catalogue.

    ``part`` is ``function``, ``economic_dept`` or ``economic_gov``. With
    ``replace=False`` the file's codes are added to (or rename codes of) the
    catalogue currently used for ``year``; with ``replace=True`` the file
    becomes the whole part. Raises CatalogueError (Chinese, naming file and
    row) for unusable input; nothing is written then.
    """
    if part not in PARTS:
        raise CatalogueError(f"未知的科目表类型“{part}”，应为 {'、'.join(PARTS)} 之一。")
    year = int(year)
    if not 1990 <= year <= 2100:
        raise CatalogueError(f"年度“{year}”不合理。")
    source = Path(path)
    label = source.name
    if not source.is_file():
        raise CatalogueError(f"找不到文件：{source}")

    entries = _entries(_read_rows(source, part), part, label)
    imported: dict[str, _Entry] = {}
    for entry in entries:
        earlier = imported.get(entry.code)
        if earlier is not None and (earlier.name, earlier.gov_code) != (entry.name, entry.gov_code):
            raise CatalogueError(
                f"{label}：第{entry.row}行，科目编码{entry.code}与第{earlier.row}行重复且内容不同。"
            )
        imported[entry.code] = entry

    resolved = resolve_part_data(year, part)
    base = resolved.data if resolved else None
    old_names = dict(base.names) if base else {}
    old_gov = dict(base.gov_codes) if base else {}

    names = {} if replace else dict(old_names)
    gov = {} if replace else dict(old_gov)
    added = replaced = unchanged = 0
    for code, entry in imported.items():
        new_gov = entry.gov_code or old_gov.get(code)
        if code not in old_names:
            added += 1
        elif (old_names[code], old_gov.get(code)) != (entry.name, new_gov):
            replaced += 1
        else:
            unchanged += 1
        names[code] = entry.name
        if new_gov:
            gov[code] = new_gov
    _check_parents(names, imported, label)
    removed = len(set(old_names) - set(names))

    target = user_catalogue_dir() / str(year) / f"{part}.csv"
    _write_atomically(target, part, names, gov)
    clear_cache()
    return ImportResult(year, part, target, added, replaced, unchanged, removed, len(names))
