"""Where something is: a workbook cell, a JSON path, a table's row and column, a document's page and
paragraph — as data, built by the readers and the rules and rendered to text here only.

``str(location)`` is the text every output prints (and JSON findings keep as ``location``):
"表6!D12", "basic[3].function", "表3 「71102 事业单位医疗」 支出预算/合计", "二、收支预算总体情况 · 第2段".
The page is not part of it: outputs print it in front ("第9页 · …", :meth:`Location.text`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


def column_letters(col: int) -> str:
    """1 → "A", 27 → "AA"."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass(frozen=True, repr=False, slots=True)
class Location:
    """Every field optional; a location names what it knows.

    - ``sheet`` with ``cell_row``/``cell_col`` (1-based): a workbook cell, rendered "表6!D12";
    - ``json_path``: "basic[3].function", "tables.6.rows.301[0]";
    - ``table`` (as named: "表3", "预算公开表6"), ``row`` (as printed: "71102 事业单位医疗"),
      ``column`` (its heading): a figure of a table read from a document, or computed here;
    - ``page`` (1-based, PDF), ``paragraph`` (1-based, in the document) under ``section``;
    - ``file``: the file, where it is not the one checked (a 部门's unit file);
    - ``note``: a description where nothing above applies ("报表方案 national-9").
    """

    sheet: str = ""
    cell_row: int = 0
    cell_col: int = 0
    json_path: str = ""
    table: str = ""
    row: str = ""
    column: str = ""
    page: int | None = None
    paragraph: int | None = None
    section: str = ""
    file: str = ""
    note: str = ""

    # -- the ways the readers and rules make one ----------------------------------------------

    @classmethod
    def cell(cls, sheet: str, row: int, col: int, file: str = "") -> Location:
        return cls(sheet=sheet, cell_row=row, cell_col=col, file=file)

    @classmethod
    def path(cls, json_path: str, file: str = "") -> Location:
        return cls(json_path=json_path, file=file)

    @classmethod
    def described(cls, note: str) -> Location:
        return cls(note=note)

    def field(self, name: str) -> Location:
        """A field of the record here: ``basic[3]`` → ``basic[3].amount`` (a JSON path only)."""
        if self.json_path:
            return replace(self, json_path=f"{self.json_path}.{name}")
        return self if self else Location(json_path=name)

    def item(self, index: int) -> Location:
        """An item of the list here: ``overview.duties`` → ``overview.duties[2]`` (a JSON path only)."""
        return replace(self, json_path=f"{self.json_path}[{index}]") if self.json_path else self

    def in_file(self, file: str) -> Location:
        """This place, in another file than the one checked (a 部门's unit)."""
        return replace(self, file=file) if file and not self.file else self

    # -- what it is -------------------------------------------------------------------------

    @property
    def address(self) -> str:
        """The cell's A1 address ("D12"), "" when this is not a cell."""
        return f"{column_letters(self.cell_col)}{self.cell_row}" if self.sheet and self.cell_row else ""

    @property
    def is_cell(self) -> bool:
        return bool(self.address)

    def __repr__(self) -> str:
        return f"Location({', '.join(f'{k}={v!r}' for k, v in self.to_json().items())})"

    def __bool__(self) -> bool:
        return self != NOWHERE

    def __str__(self) -> str:
        if self.sheet:
            core = f"{self.sheet}!{self.address}" if self.address else self.sheet
        elif self.json_path:
            core = self.json_path
        elif self.table or self.row or self.column:
            row = f"「{self.row}」" if self.row else ""
            core = " ".join(p for p in (self.table, row, self.column) if p)
        elif self.paragraph is not None:
            core = f"{self.section} · 第{self.paragraph}段" if self.section else f"第{self.paragraph}段"
        else:
            core = self.note
        return f"{self.file} {core}".strip() if self.file else core

    def text(self) -> str:
        """As a reviewer reads it: the page first where there is one ("第9页 · 表3 「…」 合计")."""
        return f"第{self.page}页 · {self}" if self.page is not None else str(self)

    def to_json(self) -> dict[str, Any]:
        """The fields that are set, by name (a cell as its sheet and A1 address)."""
        out: dict[str, Any] = {}
        if self.sheet:
            out["sheet"] = self.sheet
            if self.address:
                out["cell"] = self.address
        for key in ("json_path", "table", "row", "column", "page", "paragraph", "section", "file", "note"):
            value = getattr(self, key)
            if value not in ("", None):
                out[key] = value
        return out


NOWHERE = Location()
