"""A Shanghai 部门 against a real print: 万里街道办事处's 2024 部门预算
(``../shared/real/shanghai-putuo-wanli-2024-department-budget.pdf``, transcribed cell by cell in
``tests/data/real/…wanli….tables.json`` and checked against the PDF by ``test_real_transcriptions.py``).

No fixture exists for the department: its six units' lines are made from the printed figures
(``tests/helpers/wanli.py`` says how).  Our 部门 path — the units' files read as a department
(``xlbudget.io.department_json``), summed by ``xlbudget.department``, printed by the ``shanghai-9``
profile's department strings — must then print the print's 9 tables: titles, the 编制部门 line, the
columns, the rows in printed order with their codes and names, every figure to the 元 (表9 in 万元),
the empty-table notes, and no per-unit rows (the print has none).

Where the print itself is wrong (``../shared/real/known-defects.json``) the expected table is the print
corrected, each correction named by its defect id:

- wanli-2024-E7, E8: 表8 prints the 款 codes ``301 2`` and ``301 7``; they are 30102 津贴补贴 and 30107 绩效工资.
- wanli-2024-E9: 表9 prints “本部门2024年无“三公”经费和机关运行经费预算，故本表为空表” under a table that has
  figures; ours prints no note there.

Two differences that are no defect of either side, said here rather than hidden:

- 万里 prints 维修(护)费 with half-width brackets, the catalogue's name is 维修（护）费 (punctuation only:
  ``tests/data/real/README.md``, “looked at and not errors”).

Zero and empty cells print as 万里's 部门 template prints them (the unit prints, 福利院 and 财政局, leave them
blank, and so does a unit's output): ``0`` in every figure cell of 表2/3/5/8 and 表9, 表9's 万元 without
trailing zeros (``25`` for 25.00); a blank in 表1 and 表4 and in the 合计 line of the empty 表6/7.  The
transcription writes a printed 0 "0.00" and a blank "", and so does our export.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SHARED
from tests.helpers import wanli
from xlbudget.department import department_budget
from xlbudget.grids import printed_table
from xlbudget.io.department_json import read_department
from xlbudget.io.tables_json import compare, tables_to_dict
from xlbudget.tables import TableSet, build_tables

DEFECTS = SHARED / "real" / "known-defects.json"
PUNCTUATION = {"维修(护)费": "维修（护）费"}


def expected() -> dict[str, Any]:
    """The transcription with each known defect that lives in a table put right (module docstring)."""
    doc = copy.deepcopy(wanli.printed())
    ids = {
        d["id"] for d in json.loads(DEFECTS.read_text("utf-8"))["shanghai-putuo-wanli-2024-department-budget"]
    }
    assert {f"wanli-2024-{e}" for _, e in wanli.MISPRINTED_CODES.values()} | {"wanli-2024-E9"} <= ids
    for row in doc["tables"]["8"]["rows"]:
        row["code"] = wanli.MISPRINTED_CODES.get(row.get("code", ""), (row.get("code"), ""))[0]
        row["name"] = PUNCTUATION.get(row["name"], row["name"])
        if row["code"] is None:
            del row["code"]
    del doc["tables"]["9"]["note"]  # E9
    return doc


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return wanli.write_wanli(tmp_path_factory.mktemp("wanli") / "万里街道")


@pytest.fixture(scope="module")
def tables(folder: Path) -> TableSet:
    dept, notes = read_department([folder])
    assert [u.unit.name for u in dept.units] == list(wanli.UNITS) and notes == []
    return build_tables(department_budget(dept))


def figures(values: list[str], unit: str) -> list[Decimal]:
    """Printed figures in yuan, a blank as 0."""
    return [Decimal(v or "0") * (10000 if unit == "万元" else 1) for v in values]


def lines(table: dict[str, Any], part: str, unit: str) -> list[tuple[Any, ...]]:
    """(code, name, figures) of each line; the side-by-side tables print no code (the export's class code
    of a 支出 line is not a printed cell)."""
    return [
        (r.get("code") if part == "rows" else None, r["name"], figures(r["values"], unit))
        for r in table[part]
    ]


# -- the units, made from the print -------------------------------------------------------------


def test_the_units_lines_are_the_printed_figures() -> None:
    """What the six unit files hold, added up by hand against the print: 基本支出 99,706,020 元 (表8 合计:
    人员 88,537,451 + 公用 11,168,569), 项目支出 56,505,103 元 (表5 合计), together 156,211,123 元 (表1 收入总计);
    公用经费 of the 行政 and 参公 units 3,000,000 + 1,431,800 = 4,431,800 元 = 443.18 万元 (表9 机关运行经费);
    “三公” 13,500 + 250,000 + 215,600 = 479,100 元 = 47.91 万元 (表9 合计)."""
    docs = wanli.unit_docs()
    kinds = [d["unit"]["kind"] for d in docs.values()]
    assert kinds.count("administrative") == 1 and kinds.count("civil_service_institution") == 1
    assert kinds.count("public_institution") == 4  # 机构设置 p.3: 行政 1 家, 参公 1 家, 事业 4 家
    basic = [b for d in docs.values() for b in d["basic"]]
    assert sum(b["amount"] for b in basic) == 99_706_020
    assert sum(b["amount"] for b in basic if b["economic"][:3] in ("301", "303")) == 88_537_451
    assert sum(b["amount"] for b in basic if b["economic"].startswith("302")) == 11_168_569
    assert sum(p["amount"] for d in docs.values() for p in d["projects"]) == 56_505_103
    operating = sum(
        b["amount"]
        for d in docs.values()
        if d["unit"]["kind"] != "public_institution"
        for b in d["basic"]
        if b["economic"].startswith("302")
    )
    assert operating == 4_431_800
    assert sum(t["amount"] for d in docs.values() for t in d["three_public"]) == 479_100
    assert {b["fund"] for b in basic} == {"general"}  # 表2 prints no other income


# -- the 9 tables, every cell -------------------------------------------------------------------


def test_the_department_prints_the_nine_tables_of_the_print(tables: TableSet) -> None:
    """Every title, column heading, row (code, name, figures in printed order), note and money unit."""
    actual, want = tables_to_dict(tables), expected()
    assert actual["profile"] == "shanghai-9" and actual["scope"] == "department"
    assert actual["unit"] == want["unit"] == wanli.DEPARTMENT and actual["year"] == 2024
    assert actual["amount_unit"] == "元"
    assert compare(actual, want) == []
    assert list(actual["tables"]) == list(want["tables"]) == [str(n) for n in range(1, 10)]
    for key, printed in want["tables"].items():
        got = actual["tables"][key]
        unit = printed.get("amount_unit", "元")
        assert got["label"] == "" and got["title"] == printed["title"], key
        assert got.get("amount_unit", "元") == unit, key
        if printed.get("empty"):
            assert got == {"label": "", "title": printed["title"], "empty": True, "note": printed["note"]}, (
                key
            )
            continue
        assert got["columns"] == printed["columns"], key
        assert "note" not in got, key  # 表9 has figures: no empty-table note (E9)
        for part in ("income", "expenditure", "rows"):
            if part in printed:
                assert lines(got, part, unit) == lines(printed, part, unit), (key, part)
                # cell by cell as written: a printed 0 "0.00", a blank "" (表1/表4 blank, the rest 0)
                assert [r["values"] for r in got[part]] == [r["values"] for r in printed[part]], (key, part)
        assert got.get("income_columns") == printed.get("income_columns"), key


def test_no_table_prints_a_row_per_unit(tables: TableSet) -> None:
    """The 部门预算 prints the department's totals only: no row is a unit (Shanxi's 表11 would)."""
    names = {r.label for t in tables.tables for r in t.rows}
    assert not names & set(wanli.UNITS)
    t9 = tables.by_role("three_public_operating")
    assert t9 is not None and len(t9.rows) == 1


def test_the_printed_grids_are_the_prints_lines(tables: TableSet) -> None:
    """As printed (xlbudget.grids, which the sheets and the Word report set): the 编制部门 line, and each
    row of the function and economic tables as the print's cells — 类 | 款 | 项 (``201 05 07``), the name,
    the figures with thousands separators — and 表9's one line of figures in 万元."""
    want = expected()["tables"]
    for t in tables.tables:
        pt = printed_table(t, unit_name=wanli.DEPARTMENT, year=2024)
        money = "万元" if t.number == 9 else "元"
        colon = ":" if t.number == 9 else "："  # 表9 prints 单位:万元 (p.31), the others 单位：元
        assert pt.unit_line == f"编制部门：{wanli.DEPARTMENT}\t单位{colon}{money}", t.number
        assert pt.title == want[str(t.number)]["title"] and pt.label == ""
        if t.layout in ("balance",) or t.empty:
            continue
        body = [[cell.text if cell else "" for cell in row] for row in pt.body]
        printed_rows = want[str(t.number)]["rows"]
        if t.number == 9:  # p.31, as printed
            assert body == [["47.91", "0", "1.35", "46.56", "25", "21.56", "443.18"]]
            continue
        split = (3, 2, 2) if len(body[0]) - len(printed_rows[0]["values"]) == 4 else (3, 2)
        expect = []
        for r in printed_rows:
            code = r.get("code", "")
            parts = [code[sum(split[:i]) : sum(split[: i + 1])] for i in range(len(split))]
            values = [f"{Decimal(v):,.0f}" if v else "" for v in r["values"]]  # "0.00": a printed 0
            if code:
                expect.append([*parts, r["name"], *values])
            else:  # the 合计 line: its label spans the code and name columns
                expect.append([r["name"], *([""] * len(split)), *values])
        assert body == expect, t.number


@pytest.mark.slow
def test_the_department_command_line_exports_and_reports_them(folder: Path, tmp_path: Path) -> None:
    """``export --department`` writes the same tables; ``check --department`` finds no error in the units
    made from the print; ``report --department`` sets the 9 tables in Word, each title as printed."""
    from xlbudget.report.text import docx_blocks, docx_tables

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "xlbudget", *map(str, args)], capture_output=True, text=True, cwd=ROOT
        )

    out = tmp_path / "万里.tables.json"
    done = run("export", "--department", folder, "-o", out)
    assert done.returncode == 0, done.stderr
    assert compare(json.loads(out.read_text("utf-8")), expected()) == []
    checked = run("check", "--department", folder, "--format", "json")
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr
    assert not [f for f in json.loads(checked.stdout) if f["severity"] == "error"]
    report = tmp_path / "万里部门预算.docx"
    done = run("report", "--department", folder, "-o", report)
    assert done.returncode == 0, done.stderr
    blocks = [b.replace("\n", "").rstrip("\t") for b in docx_blocks(report)]
    # the cover and the contents as the print's (p.1, p.2): a 部门预算, its 预算主管部门, its parts
    assert [b for b in blocks[: blocks.index("目   录")] if b] == [
        "上海市普陀区2024年区级部门预算",
        f"预算主管部门：{wanli.DEPARTMENT}",
    ]
    contents = blocks[blocks.index("目   录") + 1 :][:16]
    assert contents[:5] == [
        "一、部门主要职能",
        "二、部门机构设置",
        "三、名词解释",
        "四、部门预算编制说明",
        "五、部门预算表",
    ]
    assert contents[5:14] == [f"{n}. {t['title']}" for n, t in expected()["tables"].items()]
    assert contents[14] == "六、其他相关情况说明"
    for printed in expected()["tables"].values():
        assert printed["title"] in blocks, printed["title"]
    word = docx_tables(report)
    title = "2024年部门一般公共预算基本支出部门预算经济分类预算表"
    t8 = next(t for t in word if t.before[-2].replace("\n", "") == title)  # title, then 编制部门 line
    rows = {r[:3]: r[3:] for r in t8.rows}
    assert rows[("301", "02", "津贴补贴")][:2] == ("16,623,810", "16,623,810")  # E7 put right
    assert rows[("302", "13", "维修（护）费")] == ("430,000", "0", "430,000")  # p.30: 人员经费 0


def test_the_department_report_states_the_operating_funds_the_print_does(folder: Path) -> None:
    """六、二 (p.32), word for word: 机关运行经费 is the 行政 and 参公 units' 公用经费 (443.18 万元, as 表9 prints),
    not the 公用经费 of all six units (1,116.86 万元, what the text said before)."""
    from xlbudget.report.shanghai import shanghai_report

    dept, _ = read_department([folder])
    budget = department_budget(dept)
    report = shanghai_report(budget, build_tables(budget), scope="department", members=budget.units)
    texts = [p.text for part in report.parts for p in part.paragraphs]
    assert (
        f"2024年{wanli.DEPARTMENT}（部门）下属1家机关和1家参公事业单位财政拨款的机关运行经费预算为443.18万元。"
        in texts
    )
    assert report.cover_title == "上海市普陀区2024年区级部门预算"
    assert report.cover_line == f"预算主管部门：{wanli.DEPARTMENT}"


# -- 七、项目经费情况说明 (p.33) -----------------------------------------------------------------------

PROJECT_HEADINGS = [  # p.33, in print order, read off the page
    "一、项目概况",
    "二、立项依据",
    "三、实施主体",
    "四、实施方案",
    "五、实施周期",
    "六、年度预算安排",
    "七、绩效目标",
]


def page_text(page: int, *, layout: bool = False) -> str:
    """The real print's text layer of one page (poppler's pdftotext, not our reader)."""
    import shutil

    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail(
            "pdftotext is not installed; this test needs it: scripts/setup.sh --system (poppler-utils)"
        )
    args = [tool, *(["-layout"] if layout else []), "-f", str(page), "-l", str(page), str(wanli.PDF), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def squashed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.slow
def test_the_department_report_prints_its_project_part_as_the_print_does(
    folder: Path, tmp_path: Path
) -> None:
    """The 部门's 项目经费情况说明, typed into its department JSON (``project_explanation``) as p.33 prints it,
    comes out of ``report --department`` as 七 of the Word report and of its PDF: listed last in the contents
    (p.2), its page headed 项目经费情况说明, the seven sections in print order, each followed by its text — the
    whole part, character for character, the text of p.33 — 项目概况 in its two paragraphs (the second,
    indented on the page, begins 本工程为二类高层建筑).  ``check`` on the report, .docx and .pdf, finds nothing
    to warn about (the part's figures and document numbers are not the tables'), and ``check --department``
    does not ask for the part."""
    from xlbudget.report.text import docx_blocks

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "xlbudget", *map(str, args)], capture_output=True, text=True, cwd=ROOT
        )

    report = tmp_path / "万里部门预算.docx"
    done = run("report", "--department", folder, "-o", report, "--pdf")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "各部分和各表齐全" in done.stdout  # the PDF's preflight looked for 项目经费情况说明 too
    blocks = [b.replace("\n", "").rstrip("\t") for b in docx_blocks(report)]
    contents = blocks[blocks.index("目   录") + 1 :][:16]
    assert contents[14:] == ["六、其他相关情况说明", "七、项目经费情况说明"]
    part = blocks[blocks.index("项目经费情况说明") + 1 :]
    assert [b for b in part if b in PROJECT_HEADINGS] == PROJECT_HEADINGS
    at = {h: part.index(h) for h in PROJECT_HEADINGS}
    overview = part[at["一、项目概况"] + 1 : at["二、立项依据"]]
    assert len(overview) == 2 and overview[1].startswith("本工程为二类高层建筑，设计使用年限为50年")
    assert (
        part[at["五、实施周期"] + 1]
        == "第一季度审价、审计 第二季度审价、审计 第三季度支付尾款 第四季度支付尾款。"
    )
    assert part[at["六、年度预算安排"] + 1] == (
        "第一季度用款计划158.05万元，第二季度用款计划158.05万元，第三季度用款计划158.05万元，第四季度用款计划158.05万元。"
    )
    printed = page_text(33)
    assert printed.lstrip().startswith("项目经费情况说明")
    assert squashed("".join(part)) == squashed(printed)[len("项目经费情况说明") :]
    for made in (report, report.with_suffix(".pdf")):
        checked = run("check", made, "--format", "json")
        assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr
        said = [f for f in json.loads(checked.stdout) if f["severity"] != "info"]
        assert said == [], (made.suffix, said)
    checked = run("check", "--department", folder, "--format", "json")
    assert not [f for f in json.loads(checked.stdout) if "项目经费情况说明" in f["message"]]


def test_a_department_without_its_project_part_is_told_and_prints_none(tmp_path: Path) -> None:
    """The real 部门 print ends with 七 (p.33); a 部门 whose JSON has no ``project_explanation`` is warned about
    it at that place of its file, and its report neither prints nor lists a 七 it has nothing for."""
    from xlbudget.department import check_department
    from xlbudget.report.shanghai import shanghai_report

    folder = wanli.write_wanli(tmp_path / "万里街道")
    info = folder / "部门信息.json"
    doc = json.loads(info.read_text("utf-8"))
    del doc["project_explanation"]
    info.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    dept, _ = read_department([folder])
    asked = [f for f in check_department(dept) if "项目经费情况说明" in f.message]
    assert [(f.rule, f.severity, str(f.location)) for f in asked] == [
        ("completeness.sections", "warning", f"{info} project_explanation")
    ]
    budget = department_budget(dept)
    report = shanghai_report(budget, build_tables(budget), scope="department", members=budget.units)
    assert report.contents[-1] == (1, "六、其他相关情况说明")
    assert not any(p.entry.startswith("七、") for p in report.parts)


def test_a_project_part_typed_wrong_is_refused_or_told_saying_where(tmp_path: Path) -> None:
    """A section the 部门 JSON does not have (a misspelt key), a text that is not text: refused, each with its
    file and JSON path and what may be given (exit 2 on the command line); a placeholder left in a section is
    the checker's error at that section."""
    from xlbudget.department import check_department
    from xlbudget.errors import InputError

    folder = wanli.write_wanli(tmp_path / "万里街道")
    info = folder / "部门信息.json"
    doc = json.loads(info.read_text("utf-8"))
    doc["project_explanation"] = {"overveiw": "新建工程。", "period": ["第一季度"], "basis": "依据。"}
    info.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    with pytest.raises(InputError) as caught:
        read_department([folder])
    said = {p.location: p.message for p in caught.value.problems}
    assert said == {
        f"{info} project_explanation.overveiw": "项目经费情况说明中没有这一项“overveiw”，可用的有：overview（项目概况）、"
        "basis（立项依据）、implementer（实施主体）、implementation（实施方案）、period（实施周期）、"
        "annual_budget（年度预算安排）、performance_goal（绩效目标）",
        f"{info} project_explanation.period": '应为文字，不是 ["第一季度"]',
    }
    from xlbudget.cli import main

    assert main(["check", "--department", str(folder)]) == 2
    doc["project_explanation"] = dict(wanli.PROJECT, annual_budget="第一季度用款计划XX万元。")
    info.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    dept, _ = read_department([folder])
    found = [f for f in check_department(dept) if f.rule == "narrative.placeholder"]
    assert [(f.severity, str(f.location)) for f in found] == [
        ("error", f"{info} project_explanation.annual_budget")
    ]


def test_the_project_part_is_in_the_department_schema_and_told_where_it_does_not_print(
    tmp_path: Path,
) -> None:
    """The department JSON Schema takes 万里's ``project_explanation`` and refuses a section it does not have; a
    Shanxi 部门 that types one is told its report has no such part (its text would go nowhere silently)."""
    import jsonschema
    from referencing import Registry, Resource

    from tests.test_department import DEPT_INFO, write_department
    from xlbudget.department import check_department

    schemas = ROOT / "xlbudget" / "schema"
    unit_schema = json.loads((schemas / "unit-budget-1.schema.json").read_text("utf-8"))
    schema = json.loads((schemas / "department-1.schema.json").read_text("utf-8"))
    registry = Registry().with_resource(unit_schema["$id"], Resource.from_contents(unit_schema))
    validator = jsonschema.Draft202012Validator(schema, registry=registry)
    doc = wanli.department_doc()
    validator.validate(doc)
    assert not validator.is_valid({**doc, "project_explanation": {**wanli.PROJECT, "overveiw": "…"}})
    folder = write_department(tmp_path / "测试局")
    info = folder / "部门信息.json"
    info.write_text(
        json.dumps({**DEPT_INFO, "project_explanation": {"overview": "新建工程。"}}, ensure_ascii=False)
    )
    dept, _ = read_department([folder])
    told = [f for f in check_department(dept) if "项目经费情况说明" in f.message]
    assert [(f.severity, str(f.location)) for f in told] == [("warning", f"{info} project_explanation")]
    assert "shanxi-13" in told[0].message


# -- zero and empty cells, as printed ---------------------------------------------------------------

TREE_PAGES = {2: range(11, 16), 3: range(16, 21), 5: range(22, 27), 8: range(29, 31)}  # the print's pages
FIGURE = re.compile(r"^[\d,]+$")


def printed_lines(pages: range) -> list[list[str]]:
    """The lines of a function or economic table on ``pages`` of the real print, as pdftotext lays them out
    (its words, split at spaces): each line that starts with a code or 合计 and ends in a figure."""
    out = []
    for page in pages:
        for line in page_text(page, layout=True).splitlines():
            words = line.split()
            if len(words) >= 3 and (words[0].isdigit() or words[0] == "合计") and FIGURE.match(words[-1]):
                out.append(words)
    return out


@pytest.mark.slow  # runs poppler's pdftotext (installed by setup.sh --system, as make test runs it)
def test_zero_cells_print_as_the_print_does(tables: TableSet) -> None:
    """Cell by cell against the real print's own text layer (pdftotext, not our reader, not the transcription):
    every line of 表2, 3, 5 and 8 — codes, name, and each figure, ``0`` where the print has 0 (表2's 事业收入 …,
    表3/5's 基本支出 or 项目支出, 表8's 人员经费 or 公用经费) — and 表9's line (p.31: ``47.91 0 1.35 46.56 25
    21.56 443.18``).  表1 and 表4 print a zero blank (p.10: 2. 政府性基金, 二、事业收入 …; p.21: the 政府性基金预算
    and 国有资本经营预算 columns), as does the 合计 line of the empty 表6 and 表7 (pp.27–28)."""
    for number, pages in TREE_PAGES.items():
        pt = printed_table(tables[number], unit_name=wanli.DEPARTMENT, year=2024)
        ours = [[c.text for c in row if c is not None and c.text] for row in pt.body]
        theirs = [[PUNCTUATION.get(w, w) for w in words] for words in printed_lines(pages)]
        for words in theirs:  # 表8's misprinted 款 codes (E7, E8): 301 2 / 301 7 are 30102 / 30107
            if number == 8 and words[:2] in (["301", "2"], ["301", "7"]):
                words[1] = "0" + words[1]
        assert theirs == ours, number
        figures = [c for row in pt.body for c in row if c is not None and c.style == "figure"]
        assert {c.text for c in figures if c.value == 0} == {"0"}, number
    t9 = printed_table(tables[9], unit_name=wanli.DEPARTMENT, year=2024)
    line = next(w for w in (x.split() for x in page_text(31, layout=True).splitlines()) if w[:1] == ["47.91"])
    assert line == ["47.91", "0", "1.35", "46.56", "25", "21.56", "443.18"]
    assert [c.text for c in t9.body[0] if c is not None] == line
    for number in (1, 4, 6, 7):
        pt = printed_table(tables[number], unit_name=wanli.DEPARTMENT, year=2024)
        figures = [c for row in pt.body for c in row if c is not None and c.style == "figure"]
        assert {c.text for c in figures if c.value == 0} == {""}, number
    t4 = printed_table(tables[4], unit_name=wanli.DEPARTMENT, year=2024)
    assert [[c.text if c else "" for c in row[-2:]] for row in t4.body] == [["", ""]] * len(t4.body)  # p.21


def test_a_units_zero_cells_stay_blank() -> None:
    """The unit prints leave a zero blank (福利院 2024 pp.7–15: e.g. 表2's 事业单位经营收入 and 其他收入 columns),
    and the 部门 template's 0 is the 部门's only: the 福利院's tables, built from its fixture, print every zero
    blank and 表9 with two decimals (6.40: the 福利院's own 表9, p.15, prints 6.4 and 0 in the district way —
    a unit's output is left as it was, this change being the 部门's)."""
    from xlbudget.io.unit_json import read_unit_json
    from xlbudget.money import fmt_amount

    budget = read_unit_json(SHARED / "fixtures" / "putuo-welfare-2024.json")
    for t in build_tables(budget).tables:
        pt = printed_table(t, unit_name=budget.unit.name, year=2024)
        figures = [c for row in pt.body for c in row if c is not None and c.style == "figure"]
        assert {c.text for c in figures if c.value == 0} <= {""}, t.number
    t9 = printed_table(build_tables(budget)[9], unit_name=budget.unit.name, year=2024)
    assert t9.body[0][0] is not None and t9.body[0][0].text == "6.40"
    # money.fmt_amount, the one formatting: 万元 half-up, then General's dropped zeros where asked
    assert fmt_amount(Decimal(250_000), "万元", trim=True) == "25"
    assert fmt_amount(Decimal(64_000), "万元", trim=True) == "6.4"
    assert fmt_amount(Decimal(479_149), "万元", trim=True) == "47.91"
    assert fmt_amount(Decimal(0), "万元", zero="0", trim=True) == "0"
    assert fmt_amount(Decimal(1_106_000), "元", zero="0") == "1,106,000"


def test_each_coverage_note_is_said_once_for_the_department_and_its_units(folder: Path) -> None:
    """The 报表方案 shanghai-9 has no 表2 一般公共预算 column (and so on): the same for all six units and
    the 部门, so each 未检查 note is said once — not once per unit and again for the department."""
    from xlbudget.check.runner import NOT_CHECKED
    from xlbudget.department import check_department

    dept, _ = read_department([folder])
    notes = [f.message for f in check_department(dept) if f.rule == NOT_CHECKED]
    assert len(notes) == len(set(notes)) == 7, notes
    assert all(m.startswith(f"【{dept.name}（部门）及各单位】未检查：") for m in notes), notes
    assert any("表2没有“一般公共预算”列" in m for m in notes)
