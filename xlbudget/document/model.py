"""What a published report is, once read: its paragraphs, its tables as printed, its contents.

The readers (PDF, .docx, .txt) each return a :class:`Document`; the checker runs the table rules
on ``tables`` and the text rules on ``paragraphs`` against those tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlbudget.location import Location
from xlbudget.tables import TableSet


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the text, as printed (a PDF's bold-doubling undone: "收入收入" → "收入")."""

    text: str
    page: int | None  # 1-based PDF page; None for .docx and .txt
    index: int  # paragraph number in the document, 1-based
    part: str = ""  # the part heading it sits under ("第一部分 …", "四、单位预算编制说明"), "" if none
    section: str = ""  # the nearest section heading ("二、收支预算总体情况"), "" if none


@dataclass(frozen=True)
class Flaw:
    """Something wrong in how a table is printed, seen while reading it (a misprinted code, a value
    cell that holds no figure): becomes a finding of rule ``rule`` at ``where``."""

    rule: str  # document.code_misprint / document.figure
    severity: str  # error / warning
    table: int
    where: Location  # the row and column (and page), as Row.cells name them
    message: str
    expected: str | None = None
    actual: str | None = None
    quote: str = ""


@dataclass(frozen=True)
class Document:
    path: str
    kind: str  # "pdf" | "docx" | "txt"
    paragraphs: tuple[Paragraph, ...]
    tables: TableSet  # the tables as printed, found by title through the profiles
    profile: str  # detected from the titles
    unit: str = ""
    year: int = 0
    contents: tuple[str, ...] = ()  # the contents page's entries, as printed
    notes: dict[int, str] = field(default_factory=dict)  # empty-table notes as printed, by table number
    labels: dict[int, str] = field(
        default_factory=dict
    )  # 预算公开表N as printed over each title ("" if none)
    titles: dict[int, str] = field(default_factory=dict)  # each table's title as printed
    pages: dict[int, tuple[int, ...]] = field(default_factory=dict)  # where each table is printed (PDF)
    amount_units: dict[int, str] = field(default_factory=dict)  # 元 / 万元, from each table's 单位 line
    quotes: dict[Location, str] = field(default_factory=dict)  # a figure's location → its row as printed
    problems: tuple[Flaw, ...] = ()  # what is wrong in how the tables are printed, seen in reading
