"""The report is valid Word: no findings from Microsoft's Open XML SDK validator nor from
openxml-audit, and Word opens it as a document of its own — no "update the fields?" question,
no Compatibility Mode, properties saying what it is, who made it and when.

Reports of the seed unit, of our test unit (five funds, carried-over projects, a 绩效 form), of
the Shanghai unit (事业收入), of a unit with nothing in it (13 "本表无数据" tables, no charts) and the Shanghai
document of the Shanghai unit and of the Shanghai 部门 (their own A4 landscape template and parts).
The national 9 too: the seed unit with ``"profile": "national-9"`` (9 tables, no 机关运行经费表).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import ROOT, SEED_JSON, SHARED, unit_dict
from tests.helpers.ooxml import audit_findings, sdk_findings
from xlbudget.io.unit_json import budget_from_dict, read_unit_json
from xlbudget.profiles import available_profiles
from xlbudget.report import write_report
from xlbudget.report.text import docx_blocks

UNITS = {
    "seed": SEED_JSON,
    "yanggao": ROOT / "tests" / "units" / "yanggao-test-2024.json",
    "putuo": SHARED / "fixtures" / "putuo-welfare-2024.json",
    "empty": None,
    "national": SEED_JSON,
    "shanghai": None,  # the Shanghai document of the putuo unit (tests/helpers/shanghai.py)
    "shanghai 部门": None,  # the Shanghai 部门 document of 万里街道 (tests/helpers/wanli.py)
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("valid")
    out = {}
    for name, path in UNITS.items():
        if name == "shanghai 部门":
            from tests.helpers.wanli import write_wanli
            from xlbudget.department import department_budget
            from xlbudget.io.department_json import read_department

            dept, _ = read_department([write_wanli(folder / "万里")])
            out[name] = write_report(department_budget(dept), folder / "wanli.docx").docx
            continue
        if name == "shanghai":
            from tests.helpers.shanghai import putuo, shanghai_profile, shanghai_tables

            profile = shanghai_profile()
            budget = putuo()
            tables = shanghai_tables(budget, profile)
            out[name] = write_report(budget, folder / f"{name}.docx", tables=tables, profile=profile).docx
            continue
        budget = read_unit_json(path) if path else budget_from_dict(unit_dict())
        if name == "national":
            budget = replace(budget, unit=replace(budget.unit, profile="national-9"))
        if name == "putuo" and "shanghai-9" not in available_profiles():  # until the shanghai-9 profile lands
            budget = replace(budget, unit=replace(budget.unit, profile="shanxi-13"))
        out[name] = write_report(budget, folder / f"{name}.docx").docx
    return out


@pytest.mark.parametrize("unit", list(UNITS))
def test_open_xml_sdk_validator_finds_nothing(reports, unit):
    assert sdk_findings(reports[unit]) == []


@pytest.mark.parametrize("unit", list(UNITS))
def test_openxml_audit_finds_nothing_and_word_opens_it_cleanly(reports, unit):
    assert audit_findings(reports[unit]) == []


def test_the_validators_do_find_what_word_repairs(reports, tmp_path):
    """The two checks above can fail: a second w:tblLayout in a table (what python-docx's autofit
    plus our own used to write) and tblHeader="true" are what both validators reported before."""
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(reports["seed"]) as z, zipfile.ZipFile(bad, "w") as out:
        for item in z.infolist():
            data = z.read(item)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                xml, n = re.subn(r"(<w:tblLayout [^>]*/>)", r"\1\1", xml, count=1)
                xml, m = re.subn(
                    r'<w:tblHeader(?: w:val="[^"]*")?/>', '<w:tblHeader w:val="true"/>', xml, count=1
                )
                assert n == m == 1
                data = xml.encode("utf-8")
            out.writestr(item, data)
    sdk = sdk_findings(bad)
    assert any("tblLayout" in e["description"] for e in sdk) and any(
        "'true'" in e["description"] for e in sdk
    )
    audit = audit_findings(bad)
    assert any(e.get("node") == "tblLayout" for e in audit) and any(e.get("node") == "val" for e in audit)


def settings_xml(docx: Path) -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read("word/settings.xml").decode("utf-8")


@pytest.mark.parametrize("unit", ["seed", "empty"])
def test_word_asks_nothing_on_open_and_is_not_in_compatibility_mode(reports, unit):
    docx = reports[unit]
    settings = settings_xml(docx)
    assert "updateFields" not in settings
    modes = re.findall(r'w:name="compatibilityMode"[^>]*w:val="(\d+)"', settings)
    assert modes == ["15"]
    doc = Document(str(docx))
    assert not [f for f in doc.element.body.iter(qn("w:fldChar")) if f.get(qn("w:dirty"))]
    with zipfile.ZipFile(docx) as z:
        names = z.namelist()
    # no stale copy of the styles (Word 2010's stylesWithEffects), no python-docx thumbnail
    assert "word/stylesWithEffects.xml" not in names and not [n for n in names if "thumbnail" in n]


def test_core_properties_say_what_it_is_who_made_it_and_when(tmp_path):
    before = datetime.now(UTC).replace(microsecond=0)
    result = write_report(read_unit_json(SEED_JSON), tmp_path / "r.docx")
    after = datetime.now(UTC)
    props = Document(str(result.docx)).core_properties
    assert props.title == "大同市信访局2023年单位预算公开报告"
    assert props.author == "大同市信访局"
    assert props.language == "zh-CN"
    for when in (props.created, props.modified):
        assert before <= when <= after + timedelta(seconds=1), (before, when, after)
    # the extended properties: what wrote it, not python-docx's "Microsoft Macintosh Word, 1 page"
    app = zipfile.ZipFile(result.docx).read("docProps/app.xml").decode("utf-8")
    assert "<Application>xlbudget</Application>" in app
    assert "Macintosh" not in app and "<Pages>" not in app and "Normal.dotm" not in app


def test_the_contents_are_written_out_without_page_numbers_unless_laid_out(reports):
    """Without --pdf nothing has laid the pages out: the contents list every part and heading as
    text (Word's 更新域 adds the numbers); the PDF tests check the numbers the layout gives."""
    from tests.test_report_seed import SECTION_HEADINGS

    blocks = docx_blocks(reports["seed"])
    first = blocks.index("第一部分　概况", blocks.index("目　录"))
    heading = blocks.index("第一部分　概况", first + 1)
    contents = [b for b in blocks[first:heading] if b.strip()]
    assert contents == [
        "第一部分　概况",
        "一、本单位职责",
        "二、机构设置情况",
        "第二部分　2023年单位预算报表",
        "第三部分　2023年度单位预算情况说明",
        *SECTION_HEADINGS,
        "第四部分　名词解释",
    ]


def old_settings(xml: str) -> str:
    """Settings as our templates had them: updateFields, compatibility mode 14."""
    xml = xml.replace('w:val="15"', 'w:val="14"')
    return xml.replace("<w:compat>", '<w:updateFields w:val="true"/><w:compat>')


def no_compat(xml: str) -> str:
    """Settings of a template from elsewhere without any w:compat (Word 2007's mode)."""
    return re.sub(r"<w:compat>.*?</w:compat>", "", xml, flags=re.S)


@pytest.mark.parametrize("edit", [old_settings, no_compat])
def test_an_old_template_is_brought_up_to_date(tmp_path, edit):
    """Such a template still gives a report Word opens without questions, in its current mode."""
    template = ROOT / "docx_templates" / "report.docx"
    old = tmp_path / "old.docx"
    with zipfile.ZipFile(template) as z, zipfile.ZipFile(old, "w") as out:
        for item in z.infolist():
            data = z.read(item)
            if item.filename == "word/settings.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            out.writestr(item, data)
    assert settings_xml(old) != settings_xml(template)
    result = write_report(read_unit_json(SEED_JSON), tmp_path / "r.docx", template=old)
    settings = settings_xml(result.docx)
    assert "updateFields" not in settings
    assert re.findall(r'w:name="compatibilityMode"[^>]*w:val="(\d+)"', settings) == ["15"]
    assert sdk_findings(result.docx) == []


def test_each_contents_entry_links_to_its_heading(reports):
    """As Word's own TOC \\h entries: a hyperlink to a bookmark around the heading it names."""
    doc = Document(str(reports["seed"]))
    body = doc.element.body
    marks = {}
    for start in body.iter(qn("w:bookmarkStart")):
        p = start.getparent()
        marks[start.get(qn("w:name"))] = (p.style, "".join(t.text for t in p.iter(qn("w:t"))))
    links = [
        (h.get(qn("w:anchor")), "".join(t.text for t in h.iter(qn("w:t"))))
        for h in body.iter(qn("w:hyperlink"))
    ]
    assert len(links) == 4 + 2 + 12  # the four parts, 概况 一 二, 情况说明 一…十二
    heading_ids = {doc.styles["Heading 1"].style_id, doc.styles["Heading 2"].style_id}
    for anchor, text in links:
        style, heading = marks[anchor]
        assert heading == text and style in heading_ids, (anchor, text, heading)
