"""The real Shanghai reports' tables, transcribed into tables version 2 (tests/data/real/), against the PDFs.

Each transcription must hold exactly what is printed: the PDF's words are read again here with
pdfplumber (words and the table's ruling lines, not its table finder), every figure is placed in its
column by the vertical rules it falls between, and the transcription must name the same rows with the
same codes, names and figures in the same cells, in printed order. The print's own arithmetic is
recomputed: every identity holds except the known defect of the finance bureau's 表8, and the known
defects that live in the tables are there as printed. Finally the putuo fixture's lines are summed
into the putuo report's totals, which cross-checks the fixture and the transcription.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import ROOT, SHARED

try:
    import pdfplumber  # type: ignore[import-untyped]
except ImportError as exc:  # never skip: say how to get it
    raise ImportError("pdfplumber is missing: run `.venv/bin/pip install -e .[test]`") from exc

REAL = SHARED / "real"
DATA = ROOT / "tests" / "data" / "real"
SCHEMA = ROOT / "xlbudget" / "schema" / "tables-2.schema.json"
STEMS = [
    "shanghai-putuo-fuliyuan-2024-unit-budget",
    "shanghai-finance-bureau-2025-unit-budget",
    "shanghai-putuo-wanli-2024-department-budget",
]
NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?\d+(\.\d+)?$")


def load(stem: str) -> dict[str, Any]:
    return json.loads((DATA / f"{stem}.tables.json").read_text("utf-8"))


def dec(value: str) -> Decimal:
    return Decimal(value) if value else Decimal(0)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- reading a table back from the PDF -----------------------------------------------------------


@cache
def pdf(stem: str) -> Any:
    return pdfplumber.open(REAL / f"{stem}.pdf")


def _rules(page: Any) -> list[tuple[float, float, float]]:
    """The page's vertical rules as (x, top, bottom)."""
    edges = sorted((e["x0"], e["top"], e["bottom"]) for e in page.edges if e["orientation"] == "v")
    return [e for e in edges if e[2] - e[1] > 2]


def _bounds(rules: list[tuple[float, float, float]], y: float) -> list[float]:
    """The x of the rules crossing height y, left to right; a border drawn double (< 2.5 pt apart) is one."""
    xs = sorted(x for x, top, bottom in rules if top - 1 <= y <= bottom + 1)
    merged: list[float] = []
    for x in xs:
        if not merged or x - merged[-1] > 2.5:
            merged.append(x)
    return merged


def printed_lines(stem: str, page_no: int) -> list[tuple[int, dict[int, list[str]]]]:
    """The table's body lines on one page: for each line, its number of grid columns and the words in
    each grid column (0 = leftmost).

    The body starts at the first line inside the grid that holds a figure (every header line above it
    holds only headings) and ends with the grid.
    """
    page = pdf(stem).pages[page_no - 1]
    rules = _rules(page)
    words = page.extract_words(keep_blank_chars=False)
    by_line: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        key = next((k for k in by_line if abs(k - w["top"]) < 3), round(w["top"]))
        by_line[key].append(w)
    lines = []
    started = False
    for top in sorted(by_line):
        ws = by_line[top]
        y = (ws[0]["top"] + ws[0]["bottom"]) / 2
        bounds = _bounds(rules, y)
        if len(bounds) < 2:
            continue  # title, 编制单位 line, notes: outside the grid
        cells: dict[int, list[str]] = defaultdict(list)
        for w in ws:
            mid = (w["x0"] + w["x1"]) / 2
            col = sum(1 for b in bounds[:-1] if b < mid) - 1
            if 0 <= col < len(bounds) - 1:
                cells[col].append(w["text"])
        if not started and not any(NUMBER.match(t) for ts in cells.values() for t in ts):
            continue
        started = True
        lines.append((len(bounds) - 1, dict(cells)))
    return lines


def _is_figure(words: list[str]) -> bool:
    return len(words) == 1 and bool(NUMBER.match(words[0]))


def _row(cells: dict[int, list[str]], codes: range, name: int, values: range) -> dict[str, Any]:
    row: dict[str, Any] = {}
    code = "".join(t for c in codes for t in cells.get(c, []))
    if code:
        row["code"] = code
    row["name"] = "".join(cells.get(name, [])) if name >= 0 else ""
    vals = []
    for c in values:
        words = cells.get(c, [])
        assert not words or _is_figure(words), f"not one figure in a value cell: {words}"
        vals.append(f"{Decimal(words[0].replace(',', '')):.2f}" if words else "")
    row["values"] = vals
    return row


def read_table(stem: str, table: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The table's rows as the PDF prints them, in the transcription's shape (codes, names, cells)."""
    n = len(table["columns"])
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for page in table["pages"]:
        for ncols, cells in printed_lines(stem, page):
            if "income" in table:
                assert ncols == 2 + 1 + n, f"p.{page}: {ncols} grid columns"
                if cells.get(0) or cells.get(1):
                    out["income"].append(_row(cells, range(0), 0, range(1, 2)))
                if any(cells.get(c) for c in range(2, ncols)):
                    out["expenditure"].append(_row(cells, range(0), 2, range(3, ncols)))
            elif ncols == n:  # 表9: figures only
                out["rows"].append(_row(cells, range(0), -1, range(n)))
            elif ncols == n + 1:  # the 合计 line: its label cell spans the code and name columns
                out["rows"].append(_row(cells, range(0), 0, range(1, ncols)))
            else:
                ncode = ncols - n - 1
                assert ncode in (2, 3), f"p.{page}: {ncols} grid columns for {n} value columns"
                if any(cells.values()):
                    out["rows"].append(_row(cells, range(ncode), ncode, range(ncode + 1, ncols)))
    return dict(out)


def page_text(stem: str, pages: list[int]) -> list[str]:
    return [line["text"] for p in pages for line in pdf(stem).pages[p - 1].extract_text_lines()]


# -- the transcriptions against the PDFs ----------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_transcription_is_tables_version_2(stem: str) -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(load(stem), schema)


def test_schema_refuses_what_version_2_forbids() -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    doc = load(STEMS[0])
    bad_value = json.loads(json.dumps(doc))
    bad_value["tables"]["2"]["rows"][0]["values"][0] = "11,281,624"
    bad_unit = json.loads(json.dumps(doc)) | {"amount_unit": "千元"}
    for bad in (bad_value, bad_unit):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


@pytest.mark.parametrize("stem", STEMS)
def test_every_table_of_the_contents_is_transcribed(stem: str) -> None:
    doc = load(stem)
    contents = "".join(page_text(stem, [2]))
    assert doc["profile"] == "shanghai-9"
    assert str(doc["year"]) in page_text(stem, [1])[0]
    assert doc["unit"] in "".join(page_text(stem, [1]))
    assert sorted(doc["tables"], key=int) == [str(i) for i in range(1, 10)]
    for key, table in doc["tables"].items():
        assert squash(table["title"]) in squash(contents), f"表{key} title not in the contents"


@pytest.mark.parametrize("stem", STEMS)
def test_titles_units_and_notes_are_as_printed(stem: str) -> None:
    doc = load(stem)
    for key, table in doc["tables"].items():
        lines = page_text(stem, table["pages"])
        assert lines[0].strip() == table["title"], f"表{key}"
        unit = table.get("amount_unit", doc["amount_unit"])
        assert re.search(rf"单位[：:]{unit}$", lines[1].strip()), f"表{key}: {lines[1]}"
        header = squash("".join(lines[2:12]))
        for column in table["columns"] + table.get("income_columns", []):
            for part in column.split("/"):
                wrapped = any(part[:i] in header and part[i:] in header for i in range(1, len(part)))
                assert part in header or wrapped, f"表{key}: heading {part!r} not printed"
        notes = [line.strip() for line in lines if line.strip().startswith("注")]
        assert notes == ([table["note"]] if "note" in table else []), f"表{key}"


@pytest.mark.parametrize("stem", STEMS)
def test_transcription_holds_exactly_the_printed_cells(stem: str) -> None:
    """Row by row, cell by cell: codes, names and figures in their columns, in printed order."""
    for key, table in load(stem)["tables"].items():
        printed = read_table(stem, table)
        if table.get("empty"):
            # an empty table prints its 合计 line with no figure in it, and nothing else
            assert printed == {} or all(not any(r["values"]) for r in printed.get("rows", [])), f"表{key}"
            continue
        for side in ("income", "expenditure", "rows"):
            if side not in table:
                continue
            mine = [{k: (squash(v) if k == "name" else v) for k, v in r.items()} for r in table[side]]
            assert mine == printed[side], f"表{key} {side}"


def test_the_reader_sees_a_typo() -> None:
    """The comparison is not vacuous: one figure changed, one cell moved, one code changed all fail."""
    stem = STEMS[0]
    table = load(stem)["tables"]["8"]
    printed = read_table(stem, table)["rows"]
    assert table["rows"] == printed
    typo = json.loads(json.dumps(table["rows"]))
    typo[3]["values"][0] = "3580523.00"
    moved = json.loads(json.dumps(table["rows"]))
    moved[11]["values"] = ["69000.00", "69000.00", ""]
    code = json.loads(json.dumps(table["rows"]))
    code[12]["code"] = "30203"
    for wrong in (typo, moved, code):
        assert wrong != printed


# -- the print's arithmetic, recomputed ----------------------------------------------------------


def _tree_sums(table: dict[str, Any], economic: bool) -> list[str]:
    """Every 类 = its 款 (and 款 = its 项), every 合计 = its 类, every row's 合计 column = the others."""
    found = []
    rows = table["rows"]
    coded = [r for r in rows if "code" in r]
    for r in rows:
        v = [dec(x) for x in r["values"]]
        if v[0] != sum(v[1:]):
            found.append(f"{r.get('code', r['name'])} row: {v[0]} ≠ {sum(v[1:])}")
    total = next(r for r in rows if r["name"] == "合计")
    for parent in coded:
        plen = len(parent["code"])
        if economic:  # 款 under their 类, whatever digits the 款 cells print
            kids = [
                r for r in coded if plen == 3 and len(r["code"]) > 3 and r["code"].startswith(parent["code"])
            ]
        else:
            kids = [r for r in coded if len(r["code"]) == plen + 2 and r["code"].startswith(parent["code"])]
        for c, printed in enumerate(parent["values"]):
            added = sum(dec(k["values"][c]) for k in kids)
            if kids and added != dec(printed):
                found.append(f"{parent['code']} col {c}: printed {printed}, its rows add to {added}")
    classes = [r for r in coded if len(r["code"]) == 3]
    for c, printed in enumerate(total["values"]):
        if sum(dec(r["values"][c]) for r in classes) != dec(printed):
            found.append(f"合计 col {c}")
    return found


def arithmetic(doc: dict[str, Any]) -> list[str]:
    t = doc["tables"]
    found = []
    for key in ("2", "3", "5", "8"):
        found += [f"表{key} {f}" for f in _tree_sums(t[key], economic=key == "8")]
    for key in ("1", "4"):
        spent = t[key]["expenditure"]
        lines, total = spent[:-1], spent[-1]
        assert total["name"] == "支出总计" and t[key]["income"][-1]["name"] == "收入总计"
        for c, printed in enumerate(total["values"]):
            if sum(dec(r["values"][c]) for r in lines) != dec(printed):
                found.append(f"表{key} 支出总计 col {c}")
        for r in spent:
            v = [dec(x) for x in r["values"]]
            if len(v) > 1 and v[0] != sum(v[1:]):
                found.append(f"表{key} {r['name']} row")
        if dec(t[key]["income"][-1]["values"][0]) != dec(total["values"][0]):
            found.append(f"表{key} 收入总计 ≠ 支出总计")
    for r in t["9"]["rows"]:
        v = [dec(x) for x in r["values"]]
        if v[0] != v[1] + v[2] + v[3] or v[3] != v[4] + v[5]:
            found.append("表9 row")

    def by_code(key: str) -> dict[str, list[Decimal]]:
        return {r.get("code", r["name"]): [dec(x) for x in r["values"]] for r in t[key]["rows"]}

    t2, t3, t5, t8 = by_code("2"), by_code("3"), by_code("5"), by_code("8")
    found += [f"表2/表3 {c}" for c in t2.keys() | t3.keys() if t2.get(c, [0])[0] != t3.get(c, [0])[0]]
    found += [f"表5/表2 {c}" for c in t5.keys() | t2.keys() if t5.get(c, [0])[0] != t2.get(c, [0, 0])[1]]
    found += [f"表5/表3 {c}" for c in t5 if t5[c][1] != t3[c][1]]
    if t8["合计"][0] != t5["合计"][1]:
        found.append("表8 合计 ≠ 表5 基本支出")
    people = t8["301"][0] + t8.get("303", [Decimal(0)])[0]
    if people != t8["合计"][1]:
        found.append("表8 人员经费 ≠ 301 + 303")
    return found


def test_the_prints_add_up_except_the_known_defect() -> None:
    """Every sum of the three reports' tables recomputed; the only arithmetic error is finance 2025 E1."""
    fuliyuan, finance, wanli = (load(s) for s in STEMS)
    # 福利院: 表2 prints 2101102 where 表3/表5 print the truncated 71102 (E5, E6); the sums hold
    assert sorted(arithmetic(fuliyuan)) == [
        "表2/表3 2101102",
        "表2/表3 71102",
        "表5/表2 2101102",
        "表5/表2 71102",
    ]
    assert arithmetic(finance) == [
        "表8 302 col 0: printed 24840779.00, its rows add to 24840778.00",
        "表8 302 col 2: printed 24840779.00, its rows add to 24840778.00",
    ]
    assert arithmetic(wanli) == []


def test_tables_agree_with_each_other_across_table_1_and_table_8() -> None:
    """表1's 人员/公用经费 (unit reports) are 表8's; 表1's 类 lines are 表3's; 表4's are 表5's."""
    for stem in STEMS:
        t = load(stem)["tables"]
        classes3 = [r for r in t["3"]["rows"] if len(r.get("code", "")) == 3]
        spent1 = t["1"]["expenditure"][:-1]
        nonzero1 = [r for r in spent1 if any(r["values"])]
        assert [dec(r["values"][0]) for r in nonzero1] == [dec(r["values"][0]) for r in classes3], stem
        spent4 = [r for r in t["4"]["expenditure"][:-1] if any(r["values"])]
        classes5 = [r for r in t["5"]["rows"] if len(r.get("code", "")) == 3]
        assert [dec(r["values"][1]) for r in spent4] == [dec(r["values"][0]) for r in classes5], stem
        if len(t["1"]["columns"]) == 4:  # 单位预算: 表1 splits 基本支出 into 人员/公用经费
            total1 = [dec(x) for x in t["1"]["expenditure"][-1]["values"]]
            total8 = [dec(x) for x in next(r for r in t["8"]["rows"] if r["name"] == "合计")["values"]]
            assert total1[1:3] == total8[1:3], stem
            for r1, r3 in zip(nonzero1, classes3, strict=True):
                v1, v3 = [dec(x) for x in r1["values"]], [dec(x) for x in r3["values"]]
                assert (v1[1] + v1[2], v1[3]) == (v3[1], v3[2]), f"{stem} {r1['name']}"


def test_known_defects_in_the_tables_are_there_as_printed() -> None:
    """The defects of known-defects.json that live in the tables are what the checker will read."""
    known = json.loads((REAL / "known-defects.json").read_text("utf-8"))
    fuliyuan, finance, wanli = (load(s)["tables"] for s in STEMS)

    def row(t: dict[str, Any], name: str) -> dict[str, Any]:
        return next(r for r in t["rows"] if r["name"] == name)

    # E3, E4: the outdated class name in 表1 and 表4
    assert fuliyuan["1"]["expenditure"][2]["name"] == "三、医疗卫生与计划生育支出"
    assert fuliyuan["4"]["expenditure"][2]["name"] == "三、医疗卫生与计划生育支出"
    # E5, E6: 事业单位医疗 with its 类 printed "7"
    assert row(fuliyuan["3"], "事业单位医疗")["code"] == "71102"
    assert row(fuliyuan["5"], "事业单位医疗")["code"] == "71102"
    assert row(fuliyuan["2"], "事业单位医疗")["code"] == "2101102"
    # E7–E17, E19: 表8's 款 numbered 01, 02, 03 … ; E18: 303 printed as 离退休人员经费
    printed = {r["name"]: r.get("code") for r in fuliyuan["8"]["rows"]}
    renumbered = []
    for defect in known["shanghai-putuo-fuliyuan-2024-unit-budget"]:
        m = re.fullmatch(r"(\d{3})\s+(\d{2})\s+(\S+)", defect["printed"])
        if defect["kind"] == "code_misprint" and m and "表8" in defect["where"]:
            assert printed[m.group(3)] == m.group(1) + m.group(2), defect["id"]
            renumbered.append(defect["id"])
    assert len(renumbered) == 12  # E7–E17 and E19
    assert printed["离退休人员经费"] == "303"
    # wanli E7, E8: 款 printed with one digit
    assert row(wanli["8"], "津贴补贴")["code"] == "3012"
    assert row(wanli["8"], "绩效工资")["code"] == "3017"
    # wanli E9: the empty-table note printed under a table with figures
    assert wanli["9"]["note"] == "注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。"
    assert not wanli["9"].get("empty") and dec(wanli["9"]["rows"][0]["values"][0]) == Decimal("47.91")
    # finance E1 is arithmetic (above); E2: 表6 and 表7 empty with no note
    for key in ("6", "7"):
        assert finance[key].get("empty") is True and "note" not in finance[key]
        assert fuliyuan[key]["note"].startswith("注:本单位2024年无")
        assert wanli[key]["note"].startswith("注:本部门2024年无")
    # further error found in transcribing (README): 30108 printed 机关事业单位基本养老保险费
    assert printed["机关事业单位基本养老保险费"] == "30108"


# -- the putuo fixture against the putuo report -------------------------------------------------


def test_putuo_fixture_lines_sum_to_the_printed_totals() -> None:
    """Summing ../shared/fixtures/putuo-welfare-2024.json's lines gives the report's printed figures."""
    unit = json.loads((SHARED / "fixtures" / "putuo-welfare-2024.json").read_text("utf-8"))
    t = load(STEMS[0])["tables"]
    lines = [(ln, "basic") for ln in unit["basic"]] + [(ln, "project") for ln in unit["projects"]]
    yuan = {k: Decimal(0) for k in ("all", "general", "unit_funds", "basic", "project", "people", "public")}
    by_function: dict[str, Decimal] = defaultdict(Decimal)
    by_class: dict[str, Decimal] = defaultdict(Decimal)
    general_basic_by_economic: dict[str, Decimal] = defaultdict(Decimal)
    for line, kind in lines:
        amount = Decimal(str(line["amount"]))
        yuan["all"] += amount
        yuan[line["fund"]] += amount
        yuan[kind] += amount
        by_function[line["function"]] += amount
        by_class[line["function"][:3]] += amount
        if kind == "basic":
            yuan["people" if line["economic"][:3] in ("301", "303") else "public"] += amount
            if line["fund"] == "general":
                general_basic_by_economic[line["economic"][:3]] += amount
    assert not (set(yuan) - {"all", "general", "unit_funds", "basic", "project", "people", "public"})

    total2 = [dec(x) for x in t["2"]["rows"][-1]["values"]]  # 合计, 财政拨款收入, 事业收入, 经营, 其他
    assert (yuan["all"], yuan["general"], yuan["unit_funds"]) == tuple(total2[:3])
    total3 = [dec(x) for x in t["3"]["rows"][-1]["values"]]
    assert (yuan["all"], yuan["basic"], yuan["project"]) == tuple(total3)
    total1 = [dec(x) for x in t["1"]["expenditure"][-1]["values"]]
    assert (yuan["all"], yuan["people"], yuan["public"], yuan["project"]) == tuple(total1)
    income1 = {r["name"]: dec(r["values"][0]) for r in t["1"]["income"]}
    assert (income1["一、财政拨款收入"], income1["二、事业收入"], income1["收入总计"]) == (
        yuan["general"],
        yuan["unit_funds"],
        yuan["all"],
    )
    assert all(
        line.get("income_kind", "其他收入") == "事业收入" for line, _ in lines if line["fund"] == "unit_funds"
    )
    # 表3 by 项 and by 类 (表3's 事业单位医疗 is printed 71102: take its code from 表2)
    for r in t["2"]["rows"]:
        if len(r.get("code", "")) == 7:
            assert by_function[r["code"]] == dec(r["values"][0]), r["code"]
        if len(r.get("code", "")) == 3:
            assert by_class[r["code"]] == dec(r["values"][0]), r["code"]
    # 表8 by 类: the general fund's basic lines by economic class
    for r in t["8"]["rows"]:
        if len(r.get("code", "")) == 3:
            assert general_basic_by_economic[r["code"]] == dec(r["values"][0]), r["code"]
    # 表9: the 三公 items (万元 as printed)
    three: dict[str, Decimal] = defaultdict(Decimal)
    for item in unit.get("three_public", []):
        three[item["item"]] += Decimal(str(item["amount"]))
    printed9 = [dec(x) for x in t["9"]["rows"][0]["values"]]
    assert sum(three.values()) / 10000 == printed9[0]
    assert three["公务用车运行维护费"] / 10000 == printed9[5]


def test_no_transcription_is_left_unchecked() -> None:
    assert sorted(p.name for p in DATA.glob("*.tables.json")) == sorted(f"{s}.tables.json" for s in STEMS)
    assert sorted(p.stem for p in REAL.glob("*.pdf")) == sorted(STEMS)
    assert Path(DATA / "README.md").exists()


@pytest.mark.parametrize("stem", STEMS)
def test_every_table_page_belongs_to_one_table(stem: str) -> None:
    """No continuation page is left out: the tables' pages run on without a gap, each page once, and a
    page that starts no table starts with the grid (a continuation) — never with another title."""
    tables = load(stem)["tables"]
    pages = [p for key in sorted(tables, key=int) for p in tables[key]["pages"]]
    assert pages == list(range(pages[0], pages[-1] + 1))
    firsts = {tables[key]["pages"][0] for key in tables}
    for p in pages:
        first_line = page_text(stem, [p])[0].strip()
        titled = (first_line.endswith("表") and "年" in first_line) or first_line.startswith(
            ("单位“", "部门“")
        )
        assert titled == (p in firsts), f"p.{p}: {first_line}"
    after = page_text(stem, [pages[-1] + 1])[0].strip()
    assert after == "其他相关情况说明"
