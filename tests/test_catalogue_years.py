"""The catalogues of 2024–2026, the changes between years, and the checker on a code a year lacks.

The package's 2024–2026 catalogues are the year before plus the changes that could be
confirmed (data/<year>/SOURCES.md): 财预〔2024〕22号 adds 22006 and 2300412; 财预〔2025〕41号
adds 2170404, 22911 and 23107; nothing confirmed for 2026. No rename or removal could be
confirmed, so the tests of successors use a user catalogue folder holding a hypothetical
2024 export and its changes.csv — test data, marked as such, not official facts.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED, unit_dict
from tests.helpers.tables_v1 import tables_to_dict
from xlbudget.catalogue import (
    PARTS,
    CatalogueError,
    changes_between,
    fate_of,
    load_catalogue,
    read_part_text,
)
from xlbudget.catalogue.changes import (
    COMPARED,
    CodeChange,
    apply_changes,
    net_changes,
    read_changes_text,
    recorded_changes,
)
from xlbudget.check import Finding, check_budget, check_tables
from xlbudget.io.tables_json import tables_from_dict
from xlbudget.io.unit_json import budget_from_dict
from xlbudget.tables import build_tables

DATA = Path(__file__).resolve().parents[1] / "xlbudget" / "catalogue" / "data"
REAL = SHARED / "real"
INSTALL = "apt-get install -y poppler-utils"
NOTICE_2024 = "财预〔2024〕22号"
NOTICE_2025 = "财预〔2025〕41号"


@pytest.fixture(autouse=True)
def user_catalogue(tmp_path, monkeypatch):
    """Every test gets an empty user catalogue folder; ~/.xlbudget is never read."""
    folder = tmp_path / "user-catalogue"
    monkeypatch.setenv("XLBUDGET_CATALOGUE_DIR", str(folder))
    return folder


def _part(year: int, part: str):
    return read_part_text((DATA / str(year) / f"{part}.csv").read_text("utf-8"), part, f"{year}/{part}")


# ------------------------------------------------------------------ the package data


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_each_year_is_the_year_before_plus_its_recorded_changes(year):
    text = (DATA / str(year) / "changes.csv").read_text("utf-8")
    changes = read_changes_text(text, year, f"{year}/changes.csv")
    for part in PARTS:
        before, after = _part(year - 1, part), _part(year, part)
        expected = apply_changes(before.names, [c for c in changes if c.part == part])
        assert list(after.names.items()) == list(expected.items()), part  # names and official order
        assert after.gov_codes == {c: g for c, g in before.gov_codes.items() if c in after.names}, part


def test_the_recorded_changes_are_those_of_the_two_notices():
    got = {
        (c.year, c.part, c.code, c.kind, c.new_name) for y in (2024, 2025, 2026) for c in recorded_changes(y)
    }
    assert got == {
        (2024, "function", "22006", "added", "耕地保护考核奖惩基金支出"),
        (2024, "function", "2300412", "added", "自然资源海洋气象等"),
        (2025, "function", "2170404", "added", "中央金融机构注资特别国债支出"),
        (2025, "function", "22911", "added", "中央金融机构注资特别国债财务基金支出"),
        (2025, "function", "23107", "added", "中央金融机构注资特别国债还本支出"),
    }
    for change in recorded_changes(2024):
        assert NOTICE_2024 in change.source and "http://zk.cxy21.com/statute/11893/detail" in change.source
    for change in recorded_changes(2025):
        assert NOTICE_2025 in change.source and "zgcznet.com" in change.source
    for year in (2024, 2025):  # every recorded change is listed in the year's SOURCES.md
        text = (DATA / str(year) / "SOURCES.md").read_text("utf-8")
        for change in recorded_changes(year):
            assert f"| {change.code} |" in text and change.new_name in text, change.code


def test_package_years_are_their_own_catalogue_and_say_how_they_were_made():
    for year in (2024, 2025, 2026):
        catalogue = load_catalogue(year)
        assert (catalogue.year, catalogue.note, catalogue.compiled) == (year, None, True)
        assert f"{year}年科目表由2023年科目表加已核实的逐年变动编成" in (catalogue.basis_note or "")
    assert load_catalogue(2023).compiled is False and load_catalogue(2023).basis_note is None
    assert load_catalogue(2024).function_name("22006") == "耕地保护考核奖惩基金支出"
    assert load_catalogue(2023).function_name("22006") is None
    assert load_catalogue(2025).function_name("2170404") == "中央金融机构注资特别国债支出"
    assert load_catalogue(2024).function_name("2170404") is None
    assert load_catalogue(2026).function == load_catalogue(2025).function
    # codes a unit uses every year are where they were
    for code, name in {"2010301": "行政运行", "2080505": "机关事业单位基本养老保险缴费支出"}.items():
        assert load_catalogue(2026).function_name(code) == name


# ------------------------------------------------------------------ real reports


def _printed(pdf: Path) -> dict[str, set[str]]:
    """Code -> names printed in a report's tables ("201   05   07   专项普查活动   257,700")."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail(f"pdftotext is not installed; this test needs it: {INSTALL}")
    text = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    printed: dict[str, set[str]] = {}
    for line in text.splitlines():
        match = re.match(r"\s*([23]\d\d)(?:\s+(\d\d))?(?:\s+(\d\d))?\s+([^\s\d,]+)\s+[\d,]+", line)
        if match:
            code = match.group(1) + (match.group(2) or "") + (match.group(3) or "")
            printed.setdefault(code, set()).add(match.group(4).replace("(", "（").replace(")", "）"))
    return printed


@pytest.mark.slow  # runs poppler's pdftotext (installed by setup.sh --system, as make test runs it)
@pytest.mark.parametrize(
    ("year", "report", "economic_too"),
    [
        (2024, "shanghai-putuo-wanli-2024-department-budget.pdf", True),
        # 福利院 renumbers its 302/303 款 01, 02, … (known defects E7–E19): function codes only
        (2024, "shanghai-putuo-fuliyuan-2024-unit-budget.pdf", False),
        (2025, "shanghai-finance-bureau-2025-unit-budget.pdf", True),
    ],
)
def test_codes_printed_in_real_reports_are_in_that_years_catalogue(year, report, economic_too):
    catalogue = load_catalogue(year)
    printed = _printed(REAL / report)
    function = {c: n for c, n in printed.items() if c.startswith("2")}
    assert len(function) >= 10 and "2080505" in function
    for code, names in function.items():
        assert names == {catalogue.function_name(code)}, code
    if economic_too:
        economic = {c: n for c, n in printed.items() if c.startswith("3")}
        assert "30101" in economic and len(economic) >= 5
        for code, names in economic.items():
            assert names == {catalogue.economic_name(code)}, code


# ------------------------------------------------------------------ changes between years


def test_changes_between_package_years_are_the_recorded_additions():
    got = [(c.year, c.code, c.kind, c.new_name, c.successor) for c in changes_between(2023, 2026)]
    assert got == [
        (2025, "2170404", "added", "中央金融机构注资特别国债支出", None),
        (2024, "22006", "added", "耕地保护考核奖惩基金支出", None),
        (2025, "22911", "added", "中央金融机构注资特别国债财务基金支出", None),
        (2024, "2300412", "added", "自然资源海洋气象等", None),
        (2025, "23107", "added", "中央金融机构注资特别国债还本支出", None),
    ]
    assert [c.code for c in changes_between(2024, 2025)] == ["2170404", "22911", "23107"]
    assert changes_between(2025, 2026) == [] and changes_between(2023, 2023) == []
    # a workbook's own codes: nothing of the seed's is renamed or dropped by 2026
    assert changes_between(2023, 2026, ["2010308", "2080505", "30101", "50201"]) == []
    with pytest.raises(CatalogueError, match="早于"):
        changes_between(2025, 2024)


def _step(year: int, code: str, kind: str, old: str, new: str, successor: str | None = None) -> CodeChange:
    return CodeChange(year, "function", code, kind, old, new, successor, f"测试{year}")


def test_net_changes_follow_successors_through_the_years():
    """Hand-made: 2024 moves 2990101→2990102 and drops 2990103 for 2990104; 2025 renames 2990102,
    renames 2990105 and drops 2990106 without a successor; 2990107 is missing from 2025 with no
    recorded step; 2990108 is new, 2990109 new without a record."""
    before = {
        "function": {
            "2990101": "甲",
            "2990103": "丙",
            "2990105": "戊",
            "2990106": "己",
            "2990107": "庚",
            "2990110": "不变",
        }
    }
    after = {
        "function": {
            "2990102": "甲（新）",
            "2990104": "丁",
            "2990105": "戊（新）",
            "2990108": "辛",
            "2990109": "壬",
            "2990110": "不变",
        }
    }
    steps = [
        _step(2024, "2990101", "moved", "甲", "甲", "2990102"),
        _step(2024, "2990103", "removed", "丙", "丁", "2990104"),
        _step(2024, "2990104", "added", "", "丁"),
        _step(2025, "2990102", "renamed", "甲", "甲（新）"),
        _step(2025, "2990105", "renamed", "戊", "戊（新）"),
        _step(2025, "2990106", "removed", "己", ""),
        _step(2025, "2990108", "added", "", "辛"),
    ]
    got = {
        c.code: (c.year, c.kind, c.old_name, c.new_name, c.successor, c.source)
        for c in net_changes(before, after, steps, 2025)
    }
    assert got == {
        "2990101": (2025, "moved", "甲", "甲（新）", "2990102", "测试2024；测试2025"),
        "2990103": (2024, "removed", "丙", "丁", "2990104", "测试2024"),
        "2990105": (2025, "renamed", "戊", "戊（新）", None, "测试2025"),
        "2990106": (2025, "removed", "己", "", None, "测试2025"),
        "2990107": (2025, "removed", "庚", "", None, COMPARED),
        "2990104": (2024, "added", "", "丁", None, "测试2024"),
        "2990108": (2025, "added", "", "辛", None, "测试2025"),
        "2990109": (2025, "added", "", "壬", None, COMPARED),
    }
    only = net_changes(before, after, steps, 2025, codes=["2990101", "2990110"])
    assert [c.code for c in only] == ["2990101"]
    assert only[0].describe() == "2990101 甲 2025年起调整编码为 2990102 甲（新）"


def test_apply_changes_refuses_changes_that_do_not_fit():
    names = {"2990101": "甲"}
    with pytest.raises(CatalogueError, match="上年科目表中为“甲”，不是“乙”"):
        apply_changes(names, [_step(2024, "2990101", "renamed", "乙", "丙")])
    with pytest.raises(CatalogueError, match="新增的编码已在上年科目表中"):
        apply_changes(names, [_step(2024, "2990101", "added", "", "丙")])
    assert apply_changes(names, [_step(2024, "2990109", "removed", "乙", "")], strict=False) == names


def test_a_bad_changes_file_names_the_row():
    header = "part,code,kind,old_name,new_name,successor,source\n"
    with pytest.raises(CatalogueError, match=r"c\.csv：第2行，2010308 调整编码（moved）须给出新编码"):
        read_changes_text(header + "function,2010308,moved,信访事务,信访事务,,测试\n", 2024, "c.csv")
    with pytest.raises(CatalogueError, match=r"c\.csv：第3行，变动类型“changed”"):
        read_changes_text(
            header + "function,20140,added,,信访事务,,测试\nfunction,2,changed,,,,\n", 2024, "c.csv"
        )
    with pytest.raises(CatalogueError, match="缺少出处"):
        read_changes_text(header + "function,20140,added,,信访事务,,\n", 2024, "c.csv")
    with pytest.raises(CatalogueError, match="第1行应为表头"):
        read_changes_text("code,name\n", 2024, "c.csv")


# ------------------------------------------------------------------ a hypothetical official 2024 export


@pytest.fixture
def hypothetical_2024(user_catalogue):
    """TEST DATA, not official: a 2024 function export in which 2010309 参事事务 moved to 2010310,
    2010306 政务公开审批 was renamed and 2010304 专项服务 dropped without a successor, with the
    changes.csv a finance bureau would write from the notice."""
    folder = user_catalogue / "2024"
    folder.mkdir(parents=True)
    names = dict(_part(2024, "function").names)
    del names["2010309"], names["2010304"]
    names["2010310"] = "参事事务"
    names["2010306"] = "政务公开审批（测试更名）"
    with (folder / "function.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name"])
        writer.writerows(sorted(names.items()))
    (folder / "changes.csv").write_text(
        "part,code,kind,old_name,new_name,successor,source\n"
        "function,2010309,moved,参事事务,参事事务,2010310,测试数据\n"
        "function,2010306,renamed,政务公开审批,政务公开审批（测试更名）,,测试数据\n"
        "function,2010304,removed,专项服务,,,测试数据\n",
        encoding="utf-8",
    )
    return folder


def test_rolling_over_names_each_renamed_or_dropped_code_with_its_successor(hypothetical_2024):
    workbook_codes = ["2010301", "2010304", "2010306", "2010309", "2080505", "30101"]
    got = {
        c.code: (c.year, c.kind, c.new_name, c.successor) for c in changes_between(2023, 2025, workbook_codes)
    }
    assert got == {
        "2010304": (2024, "removed", "", None),
        "2010306": (2024, "renamed", "政务公开审批（测试更名）", None),
        "2010309": (2024, "moved", "参事事务", "2010310"),
    }
    # the user's 2024 export is carried into 2025 by the package's confirmed 2025 changes
    catalogue = load_catalogue(2025)
    assert catalogue.function_name("2010310") == "参事事务" and catalogue.function_name("2010309") is None
    assert catalogue.function_name("2170404") == "中央金融机构注资特别国债支出"
    assert fate_of("2010309", 2025) is not None and fate_of("2010309", 2025).successor == "2010310"
    assert fate_of("2010301", 2025) is None and fate_of("2999999", 2025) is None


# ------------------------------------------------------------------ the checker


def _basic(function: str, economic: str = "30101") -> dict[str, Any]:
    return {
        "function": function,
        "economic": economic,
        "fund": "general",
        "amount": 100_000,
        "carryover": False,
    }


def _catalogue_findings(year: int, *functions: str) -> list[Finding]:
    unit = unit_dict(year=year, basic=[_basic(code) for code in functions])
    return [f for f in check_budget(budget_from_dict(unit)) if f.rule.startswith("catalogue.")]


def test_a_2025_unit_is_checked_against_the_2025_catalogue_without_a_fallback_note():
    assert _catalogue_findings(2025, "2010301", "2080505", "2101101", "2210201") == []
    assert _catalogue_findings(2026, "2010301") == []
    fallback = _catalogue_findings(2027, "2010301")
    assert [(f.rule, f.message) for f in fallback] == [
        ("catalogue.fallback", "科目目录：2027年没有科目表，使用2026年科目表。")
    ]


def test_a_code_the_compiled_catalogue_lacks_says_it_may_be_new_that_year():
    (finding,) = _catalogue_findings(2024, "2014001")
    assert (finding.rule, finding.severity, finding.expected) == ("catalogue.unknown_code", "error", None)
    assert finding.message.startswith(
        "支出功能分类编码 2014001 不在2024年科目表中（本软件的2024年科目表为已核实变动编成"
    )
    assert "请导入财政部《2024年政府收支分类科目》" in finding.message
    (in_2023,) = _catalogue_findings(2023, "2014001")
    assert in_2023.message == "支出功能分类编码 2014001 不在2023年科目表中"


def test_a_code_dropped_in_2024_is_named_with_its_successor(hypothetical_2024):
    findings = _catalogue_findings(2025, "2010301", "2010309", "2010304")
    got = [(f.rule, f.severity, str(f.location), f.expected, f.actual, f.message) for f in findings]
    assert got == [
        (
            "catalogue.unknown_code",
            "error",
            "basic[1].function",
            "2010310",
            "2010309",
            "支出功能分类编码 2010309 不在2025年科目表中：2010309 参事事务 2024年起调整编码为 2010310 参事事务，"
            "应改用 2010310",
        ),
        (
            "catalogue.unknown_code",
            "error",
            "basic[2].function",
            None,
            "2010304",
            "支出功能分类编码 2010304 不在2025年科目表中：2010304 专项服务 2024年起撤销，科目表未给出承接科目",
        ),
    ]


def test_tables_as_published_name_the_successor_and_the_old_name(hypothetical_2024):
    unit = unit_dict(year=2025, basic=[_basic("2010301"), _basic("2010306")])
    doc = tables_to_dict(build_tables(budget_from_dict(unit)))
    table3 = doc["tables"]["3"]
    table3["rows"]["2010309"] = table3["rows"].pop("2010301")  # a row keeps last year's code
    table3["row_names"]["2010309"] = table3["row_names"].pop("2010301")
    table3["row_names"]["2010306"] = "政务公开审批"  # and last year's name
    findings = [
        f
        for f in check_tables(tables_from_dict(doc))
        if f.rule in ("catalogue.unknown_code", "catalogue.name_mismatch") and f.table == 3
    ]
    got = {(f.rule, f.expected, f.actual): f.message for f in findings}
    assert got == {
        (
            "catalogue.unknown_code",
            "2010310",
            "2010309",
        ): "预算公开表3 科目编码 2010309 不是2025年支出功能分类科目："
        "2010309 参事事务 2024年起调整编码为 2010310 参事事务，应改用 2010310",
        (
            "catalogue.name_mismatch",
            "政务公开审批（测试更名）",
            "政务公开审批",
        ): "预算公开表3 2010306 印的名称“政务公开审批”"
        "（2024年起更名，这是旧名称）与2025年科目表“政务公开审批（测试更名）”不符",
    }


def test_a_users_changes_file_for_a_later_year_replaces_the_packages_and_is_seen_at_once(
    hypothetical_2024, user_catalogue
):
    assert load_catalogue(2025).function_name("2170404") == "中央金融机构注资特别国债支出"
    folder = user_catalogue / "2025"
    folder.mkdir()
    (folder / "changes.csv").write_text(
        "part,code,kind,old_name,new_name,successor,source\nfunction,2010311,added,,测试新增项,,测试数据\n",
        encoding="utf-8",
    )
    catalogue = load_catalogue(2025)  # no clear_cache(): the new file is part of the cache key
    assert catalogue.function_name("2010311") == "测试新增项"
    assert catalogue.function_name("2170404") is None  # the user's list for 2025 stands in for the package's
    assert catalogue.function_name("2010310") == "参事事务"  # the user's 2024 export underneath
