"""The report's charts are Word's own: DrawingML chart parts with their data in an embedded workbook.

Read back from the .docx with zipfile + lxml (the package as Word reads it) and the embedded
workbook with openpyxl — not with the writer's code.  Expected figures: this year's from the
golden tables (表1 收入总计/支出总计 and its function classes, 表3 基本/项目, 表5 合计, 表11
部门合计); last year's as the golden narrative states them (收入总计 916.53 "比上年增加 104.50"
→ 812.03; 机关运行经费 上年 57.00).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from tests.conftest import SEED_JSON, unit_dict
from xlbudget.io.unit_json import budget_from_dict, read_unit_json
from xlbudget.report import write_report

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
RT_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
RT_PACKAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """rId → (type, absolute part name) of a part's relationships."""
    folder, name = part.rsplit("/", 1)
    root = etree.fromstring(z.read(f"{folder}/_rels/{name}.rels"))
    out = {}
    for rel in root.findall("rel:Relationship", NS):
        out[rel.get("Id")] = (rel.get("Type"), posixpath.normpath(posixpath.join(folder, rel.get("Target"))))
    return out


def read_charts(docx: Path) -> list[dict]:
    """Every chart in document order: its paragraph, XML, embedded workbook and part names."""
    with zipfile.ZipFile(docx) as z:
        types = etree.fromstring(z.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types.findall("ct:Override", NS)}
        defaults = {d.get("Extension"): d.get("ContentType") for d in types.findall("ct:Default", NS)}
        body = etree.fromstring(z.read("word/document.xml"))
        doc_rels = rels(z, "word/document.xml")
        found = []
        for ref in body.iterfind(".//wp:inline/a:graphic/a:graphicData/c:chart", NS):
            rtype, part = doc_rels[ref.get(f"{{{NS['r']}}}id")]
            space = etree.fromstring(z.read(part))
            link = space.find("c:externalData", NS).get(f"{{{NS['r']}}}id")
            wtype, workbook = rels(z, part)[link]
            paragraph = next(p for p in ref.iterancestors(f"{{{NS['w']}}}p"))
            found.append(
                {
                    "rel": rtype,
                    "part": part,
                    "content_type": overrides.get("/" + part),
                    "space": space,
                    "workbook_rel": wtype,
                    "workbook_type": defaults.get(workbook.rsplit(".", 1)[1])
                    or overrides.get("/" + workbook),
                    "workbook": openpyxl.load_workbook(io.BytesIO(z.read(workbook))),
                    "workbook_bytes": z.read(workbook),
                    "inline": ref.getparent().getparent().getparent(),
                    "paragraph": paragraph,
                    "next_text": "".join(paragraph.getnext().itertext()),
                }
            )
        return found


def plotted(space) -> dict:
    """What a chart shows, from its cached values: kind, categories, series (name → 万元)."""
    plot = space.find("c:chart/c:plotArea", NS)
    chart = next(el for el in plot if el.tag.endswith("Chart"))
    kind = etree.QName(chart).localname
    if kind == "barChart":
        kind += ":" + chart.find("c:barDir", NS).get("val")
    series = {}
    categories = None
    for ser in chart.findall("c:ser", NS):
        name = ser.find("c:tx//c:v", NS).text
        cats = [v.text for v in ser.findall("c:cat//c:pt/c:v", NS)]
        assert categories in (None, cats)
        categories = cats
        series[name] = [Decimal(v.text) for v in ser.findall("c:val//c:pt/c:v", NS)]
        assert ser.find("c:val//c:formatCode", NS).text == "0.00"
    return {"kind": kind, "categories": categories, "series": series}


@pytest.fixture(scope="module")
def seed_charts(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("charts") / "seed.docx"
    write_report(read_unit_json(SEED_JSON), out)
    return read_charts(out)


def test_three_native_charts_each_with_its_part_and_embedded_workbook(seed_charts):
    assert len(seed_charts) == 3
    for n, chart in enumerate(seed_charts, 1):
        assert chart["rel"] == RT_CHART and chart["content_type"] == CT_CHART
        assert re.fullmatch(r"word/charts/chart\d+\.xml", chart["part"])
        assert chart["workbook_rel"] == RT_PACKAGE and chart["workbook_type"] == CT_XLSX
        # inline in the text (moves with it), 140 mm wide, alt text = the caption
        assert etree.QName(chart["inline"]).localname == "inline"
        assert int(chart["inline"].find("wp:extent", NS).get("cx")) == 140 * 36000
        assert chart["inline"].find("wp:docPr", NS).get("descr") in chart["next_text"]
        assert chart["next_text"].startswith(f"图{n}　")
    assert len({c["part"] for c in seed_charts}) == 3


def test_cached_values_are_the_seed_figures(seed_charts):
    years, parts, functions = (plotted(c["space"]) for c in seed_charts)
    assert years == {
        "kind": "barChart:col",
        "categories": ["预算收入总计", "预算支出总计", "一般公共预算当年拨款", "机关运行经费"],
        "series": {
            "2022年": [Decimal("812.03"), Decimal("812.03"), Decimal("812.03"), Decimal("57.00")],
            "2023年": [Decimal("916.53"), Decimal("916.53"), Decimal("916.53"), Decimal("58.64")],
        },
    }
    assert parts == {
        "kind": "pieChart",
        "categories": ["基本支出", "项目支出"],
        "series": {"2023年预算数": [Decimal("523.52"), Decimal("393.01")]},
    }
    assert functions == {
        "kind": "barChart:bar",
        "categories": ["一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出"],
        "series": {"2023年预算数": [Decimal("780.05"), Decimal("61.65"), Decimal("18.39"), Decimal("56.44")]},
    }


def test_cached_values_agree_with_the_golden_tables(seed_charts, golden_tables):
    t = golden_tables["tables"]
    years, parts, functions = (plotted(c["space"]) for c in seed_charts)
    assert years["series"]["2023年"] == [
        Decimal(t["1"]["收入总计"]),
        Decimal(t["1"]["支出总计"][0]),
        Decimal(t["5"]["rows"]["合计"][0]),
        Decimal(t["11"]["rows"]["部门合计"][0]),
    ]
    assert parts["series"]["2023年预算数"] == [Decimal(v) for v in t["3"]["rows"]["合计"][1:]]
    spending = t["1"]["expenditure"]
    assert functions["categories"] == list(spending)
    assert functions["series"]["2023年预算数"] == [Decimal(v[0]) for v in spending.values()]


def test_embedded_workbook_holds_the_same_data_where_the_chart_points(seed_charts):
    for chart in seed_charts:
        shown = plotted(chart["space"])
        ws = chart["workbook"].active
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0][1:]) == list(shown["series"])  # series names head the columns
        assert [r[0] for r in rows[1:]] == shown["categories"]
        for i, values in enumerate(shown["series"].values(), 1):
            assert [Decimal(str(r[i])) for r in rows[1:]] == values
        # the chart's formulas point at those cells (Edit Data in Word/WPS edits them)
        n = len(shown["categories"])
        refs = [f.text for f in chart["space"].iterfind(".//c:ser/c:cat//c:f", NS)]
        assert set(refs) == {f"{ws.title}!$A$2:$A${n + 1}"}


def test_embedded_workbooks_are_valid_excel(seed_charts, tmp_path):
    from tests.helpers.ooxml import audit_findings, sdk_findings

    for n, chart in enumerate(seed_charts, 1):
        xlsx = tmp_path / f"chart{n}.xlsx"
        xlsx.write_bytes(chart["workbook_bytes"])
        assert sdk_findings(xlsx) == [] and audit_findings(xlsx) == []


def test_chart_text_is_chinese_with_an_east_asian_font(seed_charts):
    for chart in seed_charts:
        space = chart["space"]
        assert space.find("c:lang", NS).get("val") == "zh-CN"
        assert space.find("c:chart/c:autoTitleDeleted", NS).get("val") == "1"  # the caption is below
        props = list(space.iterfind(".//a:defRPr", NS))
        assert props and all(p.find("a:ea", NS).get("typeface") == "黑体" for p in props)
        kind = plotted(space)["kind"]
        titles = ["".join(t.itertext()) for t in space.iterfind(".//c:valAx/c:title", NS)]
        assert titles == ([] if kind == "pieChart" else ["万元"])


def test_a_unit_without_last_years_figures_has_no_comparison_chart(tmp_path):
    """One 基本支出 line of 1,000,000 yuan under 2010301: 100.00万元, all 一般公共服务支出."""
    line = {"function": "2010301", "economic": "30101", "fund": "general", "amount": 1000000}
    budget = budget_from_dict(unit_dict(basic=[line]))
    result = write_report(budget, tmp_path / "r.docx")
    charts = [plotted(c["space"]) for c in read_charts(result.docx)]
    assert [c["kind"] for c in charts] == ["pieChart", "barChart:bar"]
    assert charts[0]["series"] == {"2023年预算数": [Decimal("100.00"), Decimal("0.00")]}
    assert charts[1]["categories"] == ["一般公共服务支出"]
    assert charts[1]["series"] == {"2023年预算数": [Decimal("100.00")]}
