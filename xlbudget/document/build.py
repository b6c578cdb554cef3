"""What every reader hands over — the document as a stream of texts and table rows — made into a
:class:`~xlbudget.document.model.Document`.

A reader yields :class:`Text` (a paragraph, a title, a note: one printed block of text) and
:class:`Cells` (one row of a printed grid, one text per grid column) in reading order.  Here the
tables are found by their titles through the profiles (the profile whose titles the document
prints), each title's grid read (:mod:`xlbudget.document.grid`), the empty-table notes kept, the
contents page taken apart, and every other text made a :class:`Paragraph` under its part and section.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from xlbudget.document.grid import Grid, ReadTable, clean_cell, is_figure, read_balance_table, read_rows_table
from xlbudget.document.model import Document, Flaw, Paragraph
from xlbudget.errors import InputError
from xlbudget.location import Location
from xlbudget.profiles import Profile, TableSpec, available_profiles, load_profile
from xlbudget.tables import TableSet

AMOUNT_UNITS = {"元": Decimal(1), "万元": Decimal(10000)}
UNIT_LINE = re.compile(r"单位\s*[：:]\s*(万元|元)\s*$")
UNIT_NAME = re.compile(
    r"(?:单位名称|编制单位|预算单位|预算主管部门|部门名称)\s*[：:]\s*(.+?)(?:\s*单位\s*[：:].*)?$"
)
LABEL = re.compile(r"^\S{0,8}表\s*\d+$")  # 预算公开表1, 部门公开表9
PART = re.compile(r"^第[一二三四五六七八九十]+部分")
SECTION = re.compile(r"^[一二三四五六七八九十]+、")
PAGE_NUMBER = re.compile(r"^[-—－\s]*\d+[-—－\s]*$")
CONTENTS = re.compile(r"^目\s*录$")
TRAILING_PAGE = re.compile(r"[\t .…·．]*\d+$")
YEAR = re.compile(r"(20\d\d)\s*年")


@dataclass(frozen=True)
class Text:
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Cells:
    cells: list[str]
    page: int | None = None
    grid: int = 0  # which printed grid (a reader numbers them); rows of one grid share it
    # per cell: it continues the cell above (merged down, as Word repeats it); () when not known
    continued: tuple[bool, ...] = ()


@dataclass
class _Found:
    profile: Profile
    year: int
    titles: dict[int, str] = field(default_factory=dict)


_PUNCTUATION = str.maketrans("“”（）〝〞", '""()""')


def squash(text: str) -> str:
    """Without spaces and with one kind of quotes and brackets: how two printings of a title compare."""
    return re.sub(r"\s+", "", text).translate(_PUNCTUATION)


def title_key(text: str) -> str:
    """A table title without its year and its 单位/部门 prefix: what tells two tables apart."""
    key = squash(text).replace("{year}", "")
    key = re.sub(r"^(20\d\d)?年?度?", "", key)
    return re.sub(r"^(预算单位|单位|部门)", "", key)


def _title_of(texts: Sequence[str], i: int, specs: dict[str, TableSpec]) -> tuple[TableSpec, str, int] | None:
    """The table whose title is printed at texts[i] (alone, or wrapped onto the next text)."""
    line = texts[i]
    if len(line) > 80:
        return None
    for span in (1, 2):
        printed = "".join(texts[i : i + span])
        spec = specs.get(title_key(printed))
        if spec is not None:
            return spec, printed, span
    return None


FINAL_ACCOUNTS = "这是决算报告，不是预算公开报告：本软件校验的是单位（部门）预算公开报告"


def _final_titles(texts: Sequence[str], specs: dict[str, TableSpec]) -> int:
    """How many of the profile's tables the document prints as 决算 tables: a title with 决算 where the
    budget table's title has 预算 ("2022年决算收支总表")."""
    swapped = [t.replace("决算", "预算") for t in texts]
    found: set[int] = set()
    for i, text in enumerate(texts):
        if "决算" not in text and "决算" not in "".join(texts[i : i + 2]):
            continue
        hit = _title_of(swapped, i, specs)
        if hit is not None and "决算" in "".join(texts[i : i + hit[2]]):
            found.add(hit[0].number)
    return len(found)


def detect_profile(texts: Sequence[str], profiles: Iterable[Profile] | None = None) -> _Found:
    """The profile whose table titles the document prints most of; refused when it prints none, or
    when it prints more of them as 决算 tables than as budget tables (a 决算 report)."""
    best: _Found | None = None
    final = 0
    any_final = any("决算" in t for t in texts)
    for profile in profiles if profiles is not None else (load_profile(p) for p in available_profiles()):
        specs = {title_key(t.title): t for t in profile.tables}
        titles: dict[int, str] = {}
        for i in range(len(texts)):
            hit = _title_of(texts, i, specs)
            if hit is not None and hit[0].number not in titles:
                titles[hit[0].number] = hit[1]
        if any_final:
            final = max(final, _final_titles(texts, specs))
        if titles and (best is None or len(titles) > len(best.titles)):
            years = [int(m.group(1)) for t in titles.values() if (m := YEAR.search(t))]
            best = _Found(profile, max(set(years), key=years.count) if years else 0, titles)
    if final > (len(best.titles) if best is not None else 0):
        raise InputError(FINAL_ACCOUNTS, "")
    if best is None:
        head = "".join(texts[:5])  # the cover
        if "决算" in head:
            raise InputError(FINAL_ACCOUNTS, "")
        raise InputError(
            "没有找到任何一张预算公开表的标题（如“2023年预算收支总表”），不像是预算公开报告；"
            f"可识别的报表方案：{'、'.join(available_profiles())}",
            "",
        )
    return best


def _contents_entry(text: str) -> str:
    entry = TRAILING_PAGE.sub("", text.split("\t")[0])
    return re.sub(r"[.…·．\s]+$", "", entry).strip()


def _parts(contents: Sequence[str]) -> list[str]:
    parts = [c for c in contents if PART.match(squash(c))]
    return parts or [c for c in contents if SECTION.match(c)]


def _part_of(text: str, parts: Sequence[str]) -> str | None:
    squashed = squash(text)
    if len(squashed) > 40 or "。" in squashed:
        return None
    if PART.match(squashed):
        return next((p for p in parts if squash(p) == squashed), text.strip())
    for p in parts:
        key = re.sub(r"^(单位|部门)", "", re.sub(r"^[一二三四五六七八九十]+、", "", squash(p)))
        if key and squashed.endswith(key) and not SECTION.match(squashed):
            return p
    return None


def _is_section(text: str) -> bool:
    return (
        bool(SECTION.match(text)) and len(text) <= 40 and not text.rstrip().endswith(("。", "；", "：", ":"))
    )


def _texty(it: Text | Cells) -> Text | Cells:
    """A title, 单位 line or note printed inside a table's frame is text, not a row of the table."""
    if isinstance(it, Text):
        return it
    filled = [clean_cell(c) for c in it.cells if c.strip()]
    joined = " ".join(filled)
    if not filled or len(filled) > 2 or any(is_figure(c) for c in filled):
        return it
    titled = "表" in joined and len(joined) >= 8 and re.search(r"表[)）]?$", squash(joined))
    if (
        titled
        or UNIT_LINE.search(joined)
        or UNIT_NAME.search(joined)
        or (len(filled) == 1 and joined.startswith("注"))
    ):
        return Text(joined, it.page)
    return it


def _line(it: Text | Cells) -> str:
    if isinstance(it, Text):
        return it.text.strip()
    shown = (c for k, c in enumerate(it.cells) if not (k < len(it.continued) and it.continued[k]))
    return " ".join(c.strip().replace("\n", "") for c in shown if c.strip())  # a merged-down cell once


def build_document(
    path: str, kind: str, stream: Iterable[Text | Cells], profiles: Iterable[Profile] | None = None
) -> Document:
    items = [_texty(it) for it in stream]
    texts = [_line(it) for it in items]
    if not any(texts) and not any(isinstance(it, Cells) for it in items):
        raise InputError("文档中没有文字", path)
    try:
        found = detect_profile(texts, profiles)
    except InputError as exc:
        raise InputError(exc.problems[0].message, path) from exc
    specs = {title_key(t.title): t for t in found.profile.tables}
    grids: dict[int, Grid] = {}
    loose: list[tuple[str, int | None]] = []  # paragraph texts
    contents: list[str] = []
    unit = ""
    grid: Grid | None = None
    in_contents: int | None | bool = False
    ti = 0  # index into texts of the next Text
    skip = 0
    pending_label: tuple[str, int | None] | None = None
    last_grid = -1  # the printed grid the current table's last row came from
    for it in items:
        i, ti = ti, ti + 1
        if isinstance(it, Cells):
            if grid is not None:
                grid.rows.append((it.cells, it.page))
                last_grid = it.grid
                if it.page is not None and it.page not in grid.pages:
                    grid.pages.append(it.page)
                continue
            # a grid that is no table of the profile (a framed contents page, a 绩效目标申报表): its
            # rows are lines of text
            it = Text(texts[i], it.page)
        text = it.text.strip()
        if skip:
            skip -= 1
            continue
        if not text or PAGE_NUMBER.match(text):
            continue
        if CONTENTS.match(squash(text)) and not contents:
            in_contents = it.page if it.page is not None else True
            continue
        if in_contents is not False:
            same_page = it.page is not None and it.page == in_contents
            if same_page or (it.page is None and TRAILING_PAGE.search(text) and "\t" in it.text):
                # a PDF's contents lines may run together: an entry ends at its dot leader and page
                # number, or at its leader alone (the Shanghai contents print no page numbers)
                entries = re.split(r"[.…·．]{3,}\s*\d*", text)
                contents += [e for e in (_contents_entry(x) for x in entries) if e]
                continue
            in_contents = False
        hit = _title_of(texts, i, specs)
        if hit is not None:
            spec, printed, span = hit
            skip = span - 1
            label = ""
            if pending_label is not None:
                label = pending_label[0]
                pending_label = None
            grid = Grid(spec.number, clean_cell(printed), label, [it.page] if it.page is not None else [])
            grids.setdefault(spec.number, grid)
            continue
        if pending_label is not None:
            loose.append(pending_label)
            pending_label = None
        if LABEL.match(squash(text)):
            pending_label = (text, it.page)
            continue
        if grid is not None:
            m = UNIT_LINE.search(text)
            name = UNIT_NAME.search(text)
            if name and not unit:
                unit = name.group(1).strip()
            if m or name:
                if m and not grid.amount_unit:
                    grid.amount_unit = m.group(1)
                continue
            if squash(text).startswith("注"):
                grid.notes.append(text)
                continue
            if not grid.rows:
                continue  # the table's header printed as text, before its grid
            nxt = items[i + 1] if i + 1 < len(items) else None
            if not (isinstance(nxt, Cells) and nxt.grid == last_grid):
                grid = None  # else a line printed inside the table (a part heading at a page's top)
        loose.append((text, it.page))
    if pending_label is not None:
        loose.append(pending_label)
    loose = _without_chart_labels(loose)
    if not unit:
        unit = _unit_from_cover(texts)
    return _assemble(path, kind, found, grids, loose, contents, unit)


CAPTION = re.compile(r"^图\s*\d+")


def _without_chart_labels(loose: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    """A chart's axis figures and labels (a PDF's text layer has them) are no text of the report: the
    short lines printed just above a figure caption (图1 …) on its page are left out."""
    drop: set[int] = set()
    for i, (text, page) in enumerate(loose):
        if page is None or not CAPTION.match(text):
            continue
        j = i - 1
        while j >= 0 and loose[j][1] == page:
            label = squash(loose[j][0])
            if (
                len(label) > 40
                or label.endswith(("。", "；", "：", "，"))
                or PART.match(label)
                or _is_section(label)
            ):
                break
            drop.add(j)
            j -= 1
    return [x for k, x in enumerate(loose) if k not in drop]


def _unit_from_cover(texts: Sequence[str]) -> str:
    for t in texts[:10]:
        m = UNIT_NAME.search(t)
        if m:
            return m.group(1).strip()
    for t in texts[:5]:
        m = re.match(r"^(.+?)20\d\d年", squash(t))
        if m:
            return m.group(1)
    return ""


def _assemble(
    path: str,
    kind: str,
    found: _Found,
    grids: dict[int, Grid],
    loose: list[tuple[str, int | None]],
    contents: list[str],
    unit: str,
) -> Document:
    from xlbudget.catalogue import CatalogueError, load_catalogue
    from xlbudget.io.tables_json import table_with_profile

    profile = found.profile
    tables = []
    read: dict[int, ReadTable] = {}
    units: dict[int, str] = {}
    problems: list[Flaw] = []
    try:
        catalogue = load_catalogue(found.year) if found.year else None
    except CatalogueError:
        catalogue = None
    keep_numbering = any(
        label[:2].rstrip("、") in "一二三四五六七八九十" and "、" in label[:3]
        for t in profile.tables
        for label, _ in t.income
    )
    for spec in profile.tables:
        g = grids.get(spec.number)
        if g is None:
            continue
        amount_unit = g.amount_unit or (spec.amount_unit if spec.amount_unit in AMOUNT_UNITS else "万元")
        units[spec.number] = amount_unit
        unit_yuan = AMOUNT_UNITS[amount_unit]
        if spec.layout == "balance":
            r = read_balance_table(g, spec.headings, unit_yuan, keep_numbering)
        else:
            r = read_rows_table(g, spec.headings, unit_yuan, spec.layout)
            if spec.layout == "economic_tree" and catalogue is not None:
                r = _economic_codes(r, catalogue)
        if r.table.empty:
            # an empty table as printed: marked so by its note; a cell of its grid that is no figure
            # (template rows printed where figures go) changes nothing
            layout = "empty" if g.notes else r.table.layout
            r = replace(r, table=replace(r.table, layout=layout), problems=[])
        # what the profile says the table is (role, column ids), its unit and its note as printed
        table = replace(
            table_with_profile(r.table, profile),
            amount_unit=amount_unit,
            note=" ".join(g.notes),
            place=Location(table=f"表{spec.number}", page=g.page),
        )
        r = replace(r, table=table)
        read[spec.number] = r
        tables.append(r.table)
        problems += r.problems
    paragraphs = _paragraphs(loose, contents)
    notes = {n: " ".join(g.notes) for n, g in grids.items() if g.notes}
    return Document(
        path=path,
        kind=kind,
        paragraphs=paragraphs,
        tables=TableSet(unit=unit, year=found.year, profile=profile.id, tables=tuple(tables)),
        profile=profile.id,
        unit=unit,
        year=found.year,
        contents=tuple(contents),
        notes=notes,
        labels={n: g.label for n, g in grids.items()},
        titles={n: g.title for n, g in grids.items()},
        pages={n: tuple(g.pages) for n, g in grids.items()},
        amount_units=units,
        quotes={k: v for r in read.values() for k, v in r.quotes.items()},
        problems=tuple(problems),
    )


def _economic_codes(r: ReadTable, catalogue: object) -> ReadTable:
    """表6 of Shanxi prints names only: each 类 and 款 gets its code from the catalogue by name."""
    from xlbudget.catalogue import Catalogue

    assert isinstance(catalogue, Catalogue)
    if any(row.level for row in r.table.rows):
        return r  # codes printed
    norm = lambda s: squash(s).replace("(", "（").replace(")", "）")  # noqa: E731
    classes = {norm(n): c for c, n in catalogue.economic.items() if len(c) == 3}
    rows = []
    parent = ""
    for row in r.table.rows:
        name = norm(row.label)
        code = classes.get(name)
        if code:
            parent = code
        elif parent:
            code = next((c for c, n in catalogue.children(parent) if norm(n) == name), None)
        rows.append(replace(row, key=code, level=len(code) // 2) if code else row)
    return replace(r, table=replace(r.table, rows=tuple(rows)))


def _paragraphs(loose: list[tuple[str, int | None]], contents: Sequence[str]) -> tuple[Paragraph, ...]:
    parts = _parts(contents)
    part = section = ""
    out: list[Paragraph] = []
    for text, page in loose:
        heading = _part_of(text, parts)
        if heading is not None:
            part, section = heading, ""
        elif _is_section(text):
            section = text
        out.append(Paragraph(text, page, len(out) + 1, part, section))
    return tuple(out)
