"""政府收支分类科目: the 2023 package data, the loader and the importer."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import openpyxl
import pytest

from xlbudget.catalogue import (
    PARTS,
    CatalogueError,
    available_years,
    count_levels,
    import_catalogue,
    load_catalogue,
    normalize_code,
)

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEED = SHARED / "seed" / "datong-xinfang-2023-budget-disclosure.txt"
GOLDEN = SHARED / "golden" / "datong-xinfang-2023.tables.json"
DATA = Path(__file__).resolve().parents[1] / "xlbudget" / "catalogue" / "data"
DATA_2023 = DATA / "2023"
PACKAGE_YEARS = (2023, 2024, 2025, 2026)

CLASS_CODES = [
    "201", "202", "203", "204", "205", "206", "207", "208", "209", "210",
    "211", "212", "213", "214", "215", "216", "217", "219", "220", "221",
    "222", "223", "224", "227", "229", "230", "231", "232", "233", "234",
]  # fmt: skip
CN_NUMERALS = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
    "二十一", "二十二", "二十三", "二十四", "二十五", "二十六", "二十七", "二十八", "二十九", "三十",
]  # fmt: skip


@pytest.fixture(autouse=True)
def user_catalogue(tmp_path, monkeypatch):
    """Every test gets an empty user catalogue folder; ~/.xlbudget is never read."""
    folder = tmp_path / "user-catalogue"
    monkeypatch.setenv("XLBUDGET_CATALOGUE_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))["tables"]


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


def _printed_codes(section: str) -> dict[str, str]:
    """Code -> name for each seed line that starts with a code and its name."""
    printed: dict[str, str] = {}
    for line in section.splitlines():
        match = re.match(r"(\d{7}|\d{5}|\d{3}) (\S+)", line.strip())
        if match:
            printed.setdefault(match.group(1), match.group(2))
    return printed


def _read_csv(name: str, year: int = 2023) -> list[dict[str, str]]:
    with (DATA / str(year) / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------- the seed


def test_table1_lists_the_30_classes_in_catalogue_order(seed_text, golden):
    section = _between(seed_text, "预算公开表1", "预算公开表2")
    flat = re.sub(r"\n", "", section)
    printed = [
        (numeral, name)
        for numeral, name in re.findall(r"([一二三四五六七八九十]+)、([^\s\d、]+)", flat)
        if name.endswith("支出") or name == "预备费"
    ]
    assert [numeral for numeral, _ in printed] == CN_NUMERALS
    classes = load_catalogue(2023).function_classes()
    assert [code for code, _ in classes] == CLASS_CODES
    assert [name for _, name in classes] == [name for _, name in printed]
    assert set(golden["1"]["expenditure"]) <= {name for _, name in classes}
    assert set(golden["4"]["expenditure"]) <= {name for _, name in classes}


def test_function_codes_of_tables_2_3_5_resolve_to_the_printed_names(seed_text, golden):
    catalogue = load_catalogue(2023)
    printed = _printed_codes(_between(seed_text, "预算公开表2", "预算公开表6"))
    assert printed["2010308"] == "信访事务"
    for code, name in printed.items():
        assert catalogue.function_name(code) == name, code
    for table in ("2", "3", "5"):
        codes = [key for key in golden[table]["rows"] if key != "合计"]
        assert codes and set(codes) <= set(printed), table


def test_function_codes_of_table9_template_resolve(seed_text):
    catalogue = load_catalogue(2023)
    printed = _printed_codes(_between(seed_text, "部门公开表9", "预算公开表10"))
    assert {"20105", "2010501", "2010505", "2010507", "2010508", "2010550", "2101102", "2101103"} <= set(
        printed
    )
    for code, name in printed.items():
        assert catalogue.function_name(code) == name, code


def test_table6_economic_names_and_government_correspondence(golden):
    catalogue = load_catalogue(2023)
    table6 = golden["6"]
    for code, name in table6["row_names"].items():
        assert catalogue.economic_name(code) == name, code
    for code, gov_name in table6["gov_economic"].items():
        gov = catalogue.gov_economic_of(code)
        assert gov is not None and gov[1] == gov_name, code
    assert catalogue.gov_economic_of("30239") == ("50201", "办公经费")
    assert catalogue.gov_economic_of("30231") == ("50208", "公务用车运行维护费")
    assert catalogue.gov_economic_of("30302") == ("50905", "离退休费")
    assert catalogue.gov_economic_of("30309") == ("50901", "社会福利和救助")


def test_public_institution_reports_wages_and_goods_under_505():
    catalogue = load_catalogue(2023)
    assert catalogue.gov_economic_of("30101", unit_kind="public_institution") == ("50501", "工资福利支出")
    assert catalogue.gov_economic_of("30201", unit_kind="public_institution") == ("50502", "商品和服务支出")
    assert catalogue.gov_economic_of("30302", unit_kind="public_institution") == ("50905", "离退休费")
    assert catalogue.gov_economic_of("30101", unit_kind="civil_service_institution") == (
        "50101",
        "工资奖金津补贴",
    )


# ------------------------------------------------------------ the package data


@pytest.mark.parametrize("year", PACKAGE_YEARS)
@pytest.mark.parametrize("part", PARTS)
def test_codes_are_unique_and_every_code_has_its_parent(part, year):
    rows = _read_csv(f"{part}.csv", year)
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes)  # official order is code order
    allowed = (3, 5, 7) if part == "function" else (3, 5)
    for row in rows:
        code = row["code"]
        assert code.isdigit() and len(code) in allowed, code
        assert row["name"].strip() == row["name"] and row["name"], code
        if len(code) > 3:
            assert code[:-2] in codes, f"{code} has no parent {code[:-2]}"


@pytest.mark.parametrize("year", PACKAGE_YEARS)
def test_every_department_economic_item_has_an_existing_government_item(year):
    rows = _read_csv("economic_dept.csv", year)
    gov_codes = {row["code"] for row in _read_csv("economic_gov.csv", year)}
    for row in rows:
        if len(row["code"]) == 3:
            assert row["gov_code"] == "", row["code"]
        else:
            assert row["gov_code"] in gov_codes and len(row["gov_code"]) == 5, row["code"]
    catalogue = load_catalogue(year)
    assert set(catalogue.dept_to_gov) == {row["code"] for row in rows if len(row["code"]) == 5}


def test_required_common_items_are_present():
    catalogue = load_catalogue(2023)
    expected = {
        "2080502": "事业单位离退休",
        "2080503": "离退休人员管理机构",
        "2080506": "机关事业单位职业年金缴费支出",
        "2080507": "对机关事业单位基本养老保险基金的补助",
        "2080599": "其他行政事业单位养老支出",
        "2101199": "其他行政事业单位医疗支出",
        "2210203": "购房补贴",
        "2010350": "事业运行",
        "2010399": "其他政府办公厅（室）及相关机构事务支出",
    }
    for code, name in expected.items():
        assert catalogue.function_name(code) == name
    for class_code in ("201", "204", "205", "207", "208", "210", "212", "213", "221"):
        items = [c for c in catalogue.function if len(c) == 7 and c.startswith(class_code)]
        assert len(items) >= 10, class_code
    assert sum(1 for c in catalogue.function if len(c) == 7) >= 300


def test_pre_2019_names_are_not_in_the_2023_data():
    names = {row["name"] for part in PARTS for row in _read_csv(f"{part}.csv")}
    assert "医疗卫生与计划生育支出" not in names
    assert "文化体育与传媒支出" not in names
    assert load_catalogue(2023).function_name("210") == "卫生健康支出"


@pytest.mark.parametrize("year", PACKAGE_YEARS)
def test_counts_in_sources_md_match_the_files(year):
    text = (DATA / str(year) / "SOURCES.md").read_text(encoding="utf-8")
    table = {
        match.group(1): [cell.strip() for cell in match.group(2).split("|")]
        for match in re.finditer(r"^\| (\w+)\.csv \|(.*)\|$", text, re.M)
    }
    counts = count_levels(year)
    assert set(table) == set(PARTS)
    for part, per_level in counts.items():
        expected = [str(per_level.get(level, "-")) for level in ("类", "款", "项", "合计")]
        assert table[part] == expected, part
        assert per_level["合计"] == len(_read_csv(f"{part}.csv", year))


# ------------------------------------------------------------------- the loader


def test_later_year_falls_back_to_2026_with_a_note():
    catalogue = load_catalogue(2027)
    assert catalogue.year == 2026 and catalogue.requested_year == 2027
    assert catalogue.note == "2027年没有科目表，使用2026年科目表。"
    assert catalogue.function_name("2010308") == "信访事务"
    for year in PACKAGE_YEARS:
        assert load_catalogue(year).note is None, year


def test_year_before_any_catalogue_raises_in_chinese():
    with pytest.raises(CatalogueError, match="没有2022年或更早年度"):
        load_catalogue(2022)


def test_available_years_and_cache():
    assert 2023 in available_years()
    assert load_catalogue(2023) is load_catalogue(2023)


def test_parent_and_children():
    catalogue = load_catalogue(2023)
    assert catalogue.parent("2010308") == "20103"
    assert catalogue.parent("20103") == "201"
    assert catalogue.parent("201") is None
    assert catalogue.parent("30101") == "301"
    assert ("2210201", "住房公积金") in catalogue.children("22102")
    assert [code for code, _ in catalogue.children("303")][:2] == ["30301", "30302"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2010308, "2010308"),
        (2010308.0, "2010308"),
        ("2010308.0", "2010308"),
        (" 2010308 ", "2010308"),
        ("２０１０３０８", "2010308"),
        ("　20103　", "20103"),
        (301, "301"),
        ("2010308.5", None),
        (2010308.5, None),
        ("20103a", None),
        ("1234", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_normalize_code(raw, expected):
    assert normalize_code(raw) == expected


# ----------------------------------------------------------------- the importer


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_import_utf8_csv_adds_and_renames_on_top_of_2023(tmp_path, user_catalogue):
    source = _write_csv(
        tmp_path / "export.csv",
        [
            ["科目编码", "科目名称"],
            ["2010310", "测试新项"],
            ["2010308", "信访事务（新名）"],
            ["2010301", "行政运行"],
            ["", "合计"],
        ],
    )
    result = import_catalogue(source, 2024, "function")
    assert (result.added, result.replaced, result.unchanged, result.removed) == (1, 1, 1, 0)
    assert result.path == user_catalogue / "2024" / "function.csv"
    assert "新增1个" in result.message

    catalogue = load_catalogue(2024)
    assert catalogue.function_name("2010310") == "测试新项"
    assert catalogue.function_name("2010308") == "信访事务（新名）"
    assert catalogue.function_name("2210201") == "住房公积金"  # the rest carried over
    assert catalogue.function_name("22006") == "耕地保护考核奖惩基金支出"  # the package's 2024 addition
    assert dict(catalogue.part_years) == dict.fromkeys(PARTS, 2024) and catalogue.note is None
    assert list(catalogue.function) == sorted(catalogue.function)
    # the package's 2023 catalogue is untouched; later years see the import, carried forward by
    # the changes recorded for 2025 (2170404 added by 财预〔2025〕41号)
    assert load_catalogue(2023).function_name("2010310") is None
    later = load_catalogue(2026)
    assert (
        later.function_name("2010310") == "测试新项" and later.function_name("2010308") == "信访事务（新名）"
    )
    assert later.function_name("2170404") == "中央金融机构注资特别国债支出"
    assert later.part_years["function"] == 2026 and later.note is None and later.compiled
    assert [p.name for p in (user_catalogue / "2024").iterdir()] == ["function.csv"]


def test_imported_catalogue_file_gets_the_users_usual_permissions(tmp_path, user_catalogue):
    """Written atomically, yet readable as any file the user saves (0666 less umask), not mkstemp's 0600;
    a re-import keeps what the user set on the file."""
    import os
    import stat

    source = _write_csv(tmp_path / "export.csv", [["科目编码", "科目名称"], ["2010310", "测试新项"]])
    old = os.umask(0o022)
    try:
        result = import_catalogue(source, 2024, "function")
    finally:
        os.umask(old)
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o644
    assert result.path.read_bytes().startswith("\ufeffcode,name\n".encode("utf-8"))  # Excel opens it as UTF-8
    result.path.chmod(0o640)
    import_catalogue(source, 2024, "function")
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o640
    assert [p.name for p in result.path.parent.iterdir()] == ["function.csv"]  # no temp file left


def test_import_gbk_csv(tmp_path):
    source = _write_csv(
        tmp_path / "gbk.csv",
        [
            ["编码", "名称"],
            ["２０１０３１１", "　　全角编码的项"],
            ["20140", "信访事务"],
            ["2014001", "行政运行"],
        ],
        encoding="gbk",
    )
    result = import_catalogue(source, 2024, "function")
    assert result.added == 3
    catalogue = load_catalogue(2024)
    assert catalogue.function_name("2010311") == "全角编码的项"
    assert catalogue.function_name("20140") == "信访事务"


def test_import_xlsx_economic_dept_with_government_column(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2024年部门预算支出经济分类科目"])
    sheet.append([])
    sheet.append(["科目编码", "科目名称", "政府预算经济分类"])
    sheet.append([302, "商品和服务支出", None])
    sheet.append([30241, "测试费用", "50299 其他商品和服务支出"])
    sheet.append([30201.0, "办公费（改）", "[50201]办公经费"])
    sheet.append([None, "合计", None])
    path = tmp_path / "economic.xlsx"
    workbook.save(path)

    result = import_catalogue(path, 2024, "economic_dept")
    assert (result.added, result.replaced, result.unchanged) == (1, 1, 1)
    catalogue = load_catalogue(2024)
    assert catalogue.economic_name("30241") == "测试费用"
    assert catalogue.gov_economic_of("30241") == ("50299", "其他商品和服务支出")
    assert catalogue.economic_name("30201") == "办公费（改）"
    assert catalogue.gov_economic_of("30239") == ("50201", "办公经费")  # carried over


def test_import_xlsx_in_class_item_layout(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["类", "款", "项", "科目名称"])
    sheet.append([201, None, None, "一般公共服务支出"])
    sheet.append([None, "03", None, "政府办公厅（室）及相关机构事务"])
    sheet.append([None, None, 8, "信访事务"])
    sheet.append([None, None, "98", "测试项"])
    path = tmp_path / "levels.xlsx"
    workbook.save(path)
    import_catalogue(path, 2025, "function", replace=True)
    assert dict(load_catalogue(2025).function) == {
        "201": "一般公共服务支出",
        "20103": "政府办公厅（室）及相关机构事务",
        "2010308": "信访事务",
        "2010398": "测试项",
    }


def test_import_with_replace_makes_the_file_the_whole_part(tmp_path, user_catalogue):
    source = _write_csv(
        tmp_path / "small.csv",
        [
            ["code", "name"],
            ["201", "一般公共服务支出"],
            ["20103", "政府办公厅（室）及相关机构事务"],
            ["2010308", "信访事务"],
        ],
    )
    before = len(load_catalogue(2025).function)
    assert before == 1517  # the package's 2025 function.csv (SOURCES.md)
    result = import_catalogue(source, 2025, "function", replace=True)
    assert (result.added, result.unchanged, result.total) == (0, 3, 3)
    assert result.removed == before - 3
    catalogue = load_catalogue(2025)
    assert list(catalogue.function) == ["201", "20103", "2010308"]
    assert catalogue.function_classes() == [("201", "一般公共服务支出")]
    assert not [p for p in (user_catalogue / "2025").iterdir() if p.suffix == ".tmp"]


def test_bad_code_names_file_and_row(tmp_path, user_catalogue):
    source = _write_csv(
        tmp_path / "bad.csv",
        [["科目编码", "科目名称"], ["2010308", "信访事务"], ["20103a", "坏编码"]],
    )
    with pytest.raises(CatalogueError, match=r"bad\.csv：第3行.*20103a"):
        import_catalogue(source, 2024, "function")
    assert not (user_catalogue / "2024").exists()  # nothing written


def test_bad_code_in_xlsx_names_the_sheet_row(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B3"], sheet["C3"] = "科目编码", "科目名称"
    sheet["B4"], sheet["C4"] = 201, "一般公共服务支出"
    sheet["B7"], sheet["C7"] = "2010x", "坏编码"
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    with pytest.raises(CatalogueError, match=r"bad\.xlsx：第7行，科目编码“2010x”"):
        import_catalogue(path, 2024, "function")


def test_bad_inputs_give_chinese_messages(tmp_path):
    no_code = _write_csv(tmp_path / "nocode.csv", [["名称", "金额"], ["信访事务", "1"]])
    with pytest.raises(CatalogueError, match=r"nocode\.csv：.*找不到表头"):
        import_catalogue(no_code, 2024, "function")

    orphan = _write_csv(tmp_path / "orphan.csv", [["code", "name"], ["2990101", "无上级"]])
    with pytest.raises(CatalogueError, match=r"orphan\.csv：第2行.*上级科目29901"):
        import_catalogue(orphan, 2024, "function")

    seven_digit = _write_csv(tmp_path / "econ.csv", [["code", "name"], ["3010101", "太长"]])
    with pytest.raises(CatalogueError, match=r"econ\.csv：第2行"):
        import_catalogue(seven_digit, 2024, "economic_dept")

    no_name = _write_csv(tmp_path / "noname.csv", [["code", "name"], ["2010308", ""]])
    with pytest.raises(CatalogueError, match="缺少科目名称"):
        import_catalogue(no_name, 2024, "function")

    with pytest.raises(CatalogueError, match="未知的科目表类型"):
        import_catalogue(no_name, 2024, "revenue")
    with pytest.raises(CatalogueError, match="不支持的文件类型"):
        import_catalogue(_write_csv(tmp_path / "old.xls", [["x"]]), 2024, "function")


def test_a_damaged_user_file_is_reported_with_its_row(user_catalogue):
    folder = user_catalogue / "2024"
    folder.mkdir(parents=True)
    (folder / "economic_gov.csv").write_text("code,name\n501,机关工资福利支出\n5010,坏\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"economic_gov\.csv：第3行"):
        load_catalogue(2024)
