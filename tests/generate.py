"""Generated units for tests and benchmarks: any number of lines, any number of units.

    from tests.generate import generated_unit, write_units
    doc = generated_unit(basic=10_000, projects=1_000)        # a unit-budget JSON document
    write_units(folder, 200, fmt="xlsm", basic=60, projects=12)  # 200 unit workbooks

Also a command: ``python tests/generate.py -o DIR --units 200 [--format xlsm|json]``.

Codes come from the 2023 catalogue (valid 项 function codes, valid 款 economic codes),
funds and amounts from a seeded random generator: the same arguments give the same files.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FUNDS = ("general", "general", "general", "gov_fund", "special_account", "unit_funds")
FISCAL = ("general", "general", "gov_fund")
# 三公 economic codes (因公出国, 公务接待, 公务用车运行维护, 公务用车购置): left out of the random
# lines so that 表6 and 表10 agree (the checker compares them)
THREE_PUBLIC_ECONOMIC = ("30212", "30217", "30231", "31013")
THREE_PUBLIC = ("因公出国（境）费", "公务接待费", "公务用车购置费", "公务用车运行维护费")


def _codes(year: int = 2023) -> tuple[list[str], list[str]]:
    from xlbudget.catalogue import load_catalogue

    cat = load_catalogue(year)
    functions = sorted({c for c, _ in _walk(cat, [c for c, _ in cat.function_classes()]) if len(c) == 7})
    economic = sorted(
        c
        for c in (f"{k}{m:02d}" for k in ("301", "302", "303", "310") for m in range(1, 100))
        if cat.economic_name(c) and c not in THREE_PUBLIC_ECONOMIC
    )
    return functions, economic


def _walk(cat: Any, codes: list[str]) -> list[tuple[str, str]]:
    out = []
    stack = list(codes)
    while stack:
        code = stack.pop()
        for child, name in cat.children(code):
            out.append((child, name))
            stack.append(child)
    return out


def _amount(rng: random.Random, cents: bool) -> int | str:
    yuan = rng.randint(1_000, 2_000_000)
    if cents and rng.random() < 0.3:
        return f"{yuan}.{rng.randint(0, 99):02d}"
    return yuan


def generated_unit(
    basic: int = 100,
    projects: int = 10,
    *,
    seed: int = 0,
    name: str | None = None,
    year: int = 2023,
    functions_used: int = 40,
) -> dict[str, Any]:
    """A valid unit-budget document with ``basic`` 基本支出 lines and ``projects`` projects.

    The lines spread over ``functions_used`` function codes (a real unit uses a few
    dozen), so the tables have realistic shapes whatever the number of lines.
    """
    rng = random.Random(seed)
    functions, economic = _codes(year)

    def fund_and_carryover(share: float) -> tuple[str, bool]:
        # 上年结转 only of 财政拨款: 表13 has no columns for the other funds
        if rng.random() < share:
            return rng.choice(FISCAL), True
        return rng.choice(FUNDS), False

    used = rng.sample(functions, min(functions_used, len(functions)))
    doc: dict[str, Any] = {
        "schema": "xlbudget/unit-budget/1",
        "year": year,
        "amount_unit": "元",
        "unit": {
            "name": name or f"生成单位{seed:04d}",
            "code": f"{seed % 1000:03d}",
            "level": "市级",
            "region": "测试市",
            "kind": "administrative",
        },
        "overview": {
            "duties_intro": "生成的测试单位。",
            "duties": ["（一）测试。"],
            "organization": "内设1个科室。",
        },
        "basic": [
            {
                "function": rng.choice(used),
                "economic": rng.choice(economic),
                "fund": fund,
                "amount": _amount(rng, cents=True),
                "carryover": carry,
            }
            for fund, carry in (fund_and_carryover(0.05) for _ in range(basic))
        ],
        "projects": [
            {
                "name": f"项目{i + 1:05d}",
                "function": rng.choice(used),
                "fund": fund,
                "amount": _amount(rng, cents=False),
                "carryover": carry,
                "performance_target": False,
            }
            for i, (fund, carry) in enumerate(fund_and_carryover(0.1) for _ in range(projects))
        ],
        "three_public": [
            {"item": item, "fund": "general", "amount": rng.randint(0, 50_000)} for item in THREE_PUBLIC
        ],
        "procurement": {"goods": rng.randint(0, 100_000), "works": 0, "services": rng.randint(0, 100_000)},
        "prior_year": {
            "income_total": 1_000_000 * (basic + projects),
            "expenditure_total": 1_000_000 * (basic + projects),
            "general_budget_appropriation": 600_000 * (basic + projects),
            "operating_funds": 100_000 * basic,
            "three_public": [
                {"item": item, "fund": "general", "amount": rng.randint(0, 50_000)} for item in THREE_PUBLIC
            ],
        },
        "explanations": {
            "total_change": "业务调整。",
            "general_budget_change": "业务调整。",
            "operating_funds_change": "业务调整。",
            "three_public_change": "业务调整。",
        },
        "assets": {"vehicles": [], "vehicles_note": "无公务用车。", "building_area_m2": "", "other": ""},
        "other_notes": {"purchase_service_catalog": "", "other": ""},
        "performance_targets": [],
    }
    return doc


def workbook_bytes(doc: dict[str, Any]) -> bytes:
    """The unit's workbook as ``xlbudget new --from`` builds it (tables filled from the lines)."""
    from xlbudget.io.unit_json import budget_from_dict
    from xlbudget.workbook.build import build_workbook

    return build_workbook(budget_from_dict(doc))


def write_units(
    folder: Path, count: int, *, fmt: str = "xlsm", basic: int = 60, projects: int = 12, seed: int = 0
) -> list[Path]:
    """``count`` generated units as workbooks (fmt "xlsm") or unit JSONs (fmt "json")."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        doc = generated_unit(basic, projects, seed=seed + i)
        path = folder / f"unit{seed + i:04d}.{fmt}"
        if fmt == "json":
            path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
        else:
            path.write_bytes(workbook_bytes(doc))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="生成测试用单位（工作簿或 JSON）/ generate test units")
    p.add_argument("-o", "--output", required=True, type=Path)
    p.add_argument("--units", type=int, default=1)
    p.add_argument("--basic", type=int, default=60)
    p.add_argument("--projects", type=int, default=12)
    p.add_argument("--format", choices=("xlsm", "json"), default="xlsm")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    paths = write_units(a.output, a.units, fmt=a.format, basic=a.basic, projects=a.projects, seed=a.seed)
    print(f"wrote {len(paths)} units to {a.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


# -- broken and hostile files ------------------------------------------------------------

XXE_DOCTYPE = b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS_DOCTYPE = (
    b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9))
    + b"]>"
)


def _with_doctype(xml: bytes, doctype: bytes, entity: bytes) -> bytes:
    """Insert a DOCTYPE after the XML declaration and use ``entity`` in the first text node."""
    decl_end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    out = xml[:decl_end] + doctype + xml[decl_end:]
    # put the entity reference into the first element's content
    first = out.index(b">", out.index(b"<", decl_end + len(doctype) + 1)) + 1
    return out[:first] + entity + out[first:]


def rezip(
    source: Path, target: Path, replace: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()
) -> Path:
    """A copy of a zip with some parts replaced, added or dropped."""
    import zipfile

    replace = dict(replace or {})
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            data = replace.pop(info.filename, None)
            dst.writestr(info.filename, src.read(info) if data is None else data)
        for name, data in replace.items():
            dst.writestr(name, data)
    return target


def zip_bomb(
    target: Path, workbook: Path, member: str = "xl/worksheets/sheet2.xml", megabytes: int = 600
) -> Path:
    """A copy of ``workbook`` (about 1 MB bigger) whose sheet ``member`` inflates to ``megabytes`` MB:
    one inline-string cell holding that many spaces."""
    import zipfile

    chunk = b" " * (1 << 20)
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    )
    tail = b"</t></is></c></row></sheetData></worksheet>"
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename == member:
                bomb = zipfile.ZipInfo(member, date_time=info.date_time)
                bomb.compress_type = zipfile.ZIP_DEFLATED
                with z.open(bomb, "w", force_zip64=True) as f:
                    f.write(head)
                    for _ in range(megabytes):
                        f.write(chunk)
                    f.write(tail)
            else:
                z.writestr(info, src.read(info))
    return target


def hostile_files(folder: Path, workbook: Path) -> dict[str, Path]:
    """Broken and hostile inputs, each named for what it is; ``workbook`` is a good one to start from."""
    import zipfile

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        path = folder / name
        path.write_bytes(data)
        out[name] = path

    good = Path(workbook).read_bytes()
    put("empty.xlsm", b"")
    put("text_renamed.xlsm", "这不是工作簿\n".encode())
    put("pdf_renamed.xlsm", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    put("ole_xls_renamed.xlsm", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    put("truncated.xlsm", good[: len(good) // 2])
    put("random_bytes.xlsx", random.Random(1).randbytes(20_000))
    put("broken.json", b'{"schema": "xlbudget/unit-budget/1", "year": 2023, "basic": [')
    put("not_utf8.json", '{"unit": "单位"}'.encode("gb18030"))
    put("deep.json", b"[" * 200_000 + b"]" * 200_000)
    put("long_number.json", b'{"year": 2023, "basic": [{"amount": ' + b"9" * 100_000 + b"}]}")
    line = {"function": "2010301", "economic": "30101", "fund": [], "amount": 1}
    put("fund_as_list.json", json.dumps({"year": 2023, "unit": {"name": "x"}, "basic": [line]}).encode())
    # a Word document renamed: a zip without xl/workbook.xml
    docx = folder / "docx_renamed.xlsm"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", b'<?xml version="1.0"?><document/>')
    out[docx.name] = docx
    # an empty workbook: valid xlsx, none of our sheets
    import openpyxl

    empty_wb = folder / "empty_workbook.xlsx"
    openpyxl.Workbook().save(empty_wb)
    out[empty_wb.name] = empty_wb
    with zipfile.ZipFile(workbook) as z:
        wb_xml = z.read("xl/workbook.xml")
        strings = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in z.namelist() else None
        sheet1 = z.read("xl/worksheets/sheet1.xml")
    out["xxe_workbook.xlsm"] = rezip(
        workbook,
        folder / "xxe_workbook.xlsm",
        {"xl/workbook.xml": _with_doctype(wb_xml, XXE_DOCTYPE, b"&xxe;")},
    )
    out["laughs_sheet.xlsm"] = rezip(
        workbook,
        folder / "laughs_sheet.xlsm",
        {"xl/worksheets/sheet1.xml": _with_doctype(sheet1, LAUGHS_DOCTYPE, b"&j;")},
    )
    if strings:
        with zipfile.ZipFile(workbook) as z:
            ss = z.read(strings)
        out["laughs_strings.xlsm"] = rezip(
            workbook, folder / "laughs_strings.xlsm", {strings: _with_doctype(ss, LAUGHS_DOCTYPE, b"&j;")}
        )
    out["zip_bomb.xlsm"] = zip_bomb(folder / "zip_bomb.xlsm", workbook, megabytes=300)
    return out
