"""Charts for the report: native Word charts (DrawingML chart parts) with their data embedded.

Each chart is data first (:class:`Chart`: caption, categories and the figures
in yuan, from the tables), then a chart part: XlsxWriter writes the data in 万元
(through :func:`xlbudget.money.to_wan`) to a workbook's Sheet1 and draws the chart
from those cells with its chart API; that chart part (``xl/charts/chart1.xml``, a
``c:chartSpace`` with its cached values and ``Sheet1!$A$2:…`` references) becomes
the Word chart, linked (``c:externalData``) to the same data as an embedded
workbook that Word's and WPS's 编辑数据 open; lxml adds what XlsxWriter has no
option for (黑体 as the East Asian font, zh-CN).  :mod:`xlbudget.report.render`
places the parts in the document.  Staff restyle the charts in Word like any
chart; LibreOffice draws them from the cached values when it writes the PDF.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lxml import etree

from xlbudget.model import UnitBudget
from xlbudget.money import to_wan
from xlbudget.tables import TOTAL, TableSet

# Chart text: 黑体 for Chinese (LibreOffice draws it with Noto Sans CJK SC where 黑体 is missing).
EAST_ASIAN_FONT = "黑体"
LATIN_FONT = "Arial"
COLOURS = ["2F5597", "C55A11", "548235", "7F6000", "7030A0", "1F7A7A", "A50021", "595959"]
WAN = "0.00"  # 万元 with two decimals, as the tables print them
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET = "Sheet1"


@dataclass(frozen=True)
class Chart:
    key: str  # "functions", "basic_project", "years"
    caption: str  # 2023年支出预算按支出功能分类（类）（万元）
    kind: str  # "barh", "pie", "bars"
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal, ...]], ...]  # (legend, values in yuan)
    after_section: int  # 情况说明 section the chart follows


def charts(budget: UnitBudget, tables: TableSet) -> tuple[Chart, ...]:
    """The charts that have something to show, in report order."""
    from xlbudget.report.facts import Facts

    out: list[Chart] = []
    p = budget.prior_year
    f = Facts(budget, tables)  # figures by table role and column id, else from the lines
    now: list[tuple[str, Decimal, Decimal | None]] = [
        ("预算收入总计", f.total("balance", "收入总计", None, "all"), p.income_total),
        ("预算支出总计", f.total("balance", "支出总计", "total", "all"), p.expenditure_total),
        (
            "一般公共预算当年拨款",
            f.figure("general_function", TOTAL, "total", "this_year fund:general"),
            p.general_budget_appropriation,
        ),
    ]
    if budget.unit.has_operating_funds:
        now.append(("机关运行经费", f.operating_funds(), p.operating_funds))
    pairs = [(label, a, b) for label, a, b in now if b is not None]
    if pairs:
        out.append(
            Chart(
                "years",
                f"{budget.year}年与{budget.year - 1}年预算对比（万元）",
                "bars",
                tuple(label for label, _, _ in pairs),
                (
                    (f"{budget.year - 1}年", tuple(b for _, _, b in pairs if b is not None)),
                    (f"{budget.year}年", tuple(a for _, a, _ in pairs)),
                ),
                after_section=1,
            )
        )
    basic = f.figure("expenditure", TOTAL, "basic", "basic")
    project = f.figure("expenditure", TOTAL, "project", "project")
    if basic or project:
        out.append(
            Chart(
                "basic_project",
                f"{budget.year}年支出预算构成：基本支出与项目支出（占支出预算的比例）",  # the slices show shares
                "pie",
                ("基本支出", "项目支出"),
                ((f"{budget.year}年预算数", (basic, project)),),
                after_section=3,
            )
        )
    classes = f.classes("expenditure", "all")
    if classes:
        out.append(
            Chart(
                "functions",
                f"{budget.year}年支出预算按支出功能分类（类）（万元）",
                "barh",
                tuple(label for label, _ in classes),
                ((f"{budget.year}年预算数", tuple(v for _, v in classes)),),
                after_section=4,
            )
        )
    return tuple(out)


# -- the chart part -------------------------------------------------------------


def _write_workbook(chart: Chart, *, with_chart: bool) -> bytes:
    """Sheet1 as Word's 编辑数据 shows it: categories in column A from A2, one column per series
    (its legend in row 1), in 万元 (two decimals, half-up, :func:`xlbudget.money.to_wan`); with
    ``with_chart`` XlsxWriter also draws the chart from those cells (its chart part is taken out)."""
    import xlsxwriter  # only the report's charts need it here

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(SHEET)
    wan = book.add_format({"num_format": WAN})
    sheet.set_column(0, 0, 24)
    for col, (legend, values) in enumerate(chart.series, 1):
        sheet.write_string(0, col, legend)
        for row, value in enumerate(values, 1):
            sheet.write_number(row, col, float(to_wan(value)), wan)
    for row, label in enumerate(chart.labels, 1):
        sheet.write_string(row, 0, label)
    if with_chart:
        sheet.insert_chart("E2", _xlsx_chart(book, chart))
    book.close()
    return out.getvalue()


def _xlsx_chart(book, chart: Chart):
    """The chart through XlsxWriter's API: series on Sheet1's cells, colours, labels, axes."""
    kind = {"bars": {"type": "column"}, "barh": {"type": "bar"}, "pie": {"type": "pie"}}[chart.kind]
    view = book.add_chart(kind)
    n = len(chart.labels)
    font = {"name": LATIN_FONT, "size": 9}
    small = {"name": LATIN_FONT, "size": 8 if len(chart.series) > 1 else 9}
    for col, _ in enumerate(chart.series, 1):
        series: dict[str, Any] = {
            "name": [SHEET, 0, col],
            "categories": [SHEET, 1, 0, n, 0],
            "values": [SHEET, 1, col, n, col],
        }
        if chart.kind == "pie":  # name and share on the slices; Word and LibreOffice format the share alike
            series["points"] = [{"fill": {"color": "#" + COLOURS[i % len(COLOURS)]}} for i in range(n)]
            series["data_labels"] = {
                "category": True, "percentage": True, "position": "outside_end",
                "num_format": "0.00%", "font": font,
            }  # fmt: skip
        else:
            series["fill"] = {"color": "#" + COLOURS[(col - 1) % len(COLOURS)]}
            series["data_labels"] = {
                "value": True,
                "position": "outside_end",
                "num_format": WAN,
                "font": small,
            }
            series["gap"] = 60
            if len(chart.series) > 1:  # neighbouring bars' labels apart
                series["overlap"] = -8
        view.add_series(series)
    view.set_title({"none": True})  # the caption is a paragraph below the chart (图N　…)
    if chart.kind != "pie":
        # 0, 200, 400 (or 0.5, 1 for a small unit), not 200.00; XlsxWriter's y axis is the value
        # axis of a column chart, its x axis that of a bar chart
        ticks = {"major_tick_mark": "outside", "minor_tick_mark": "none", "num_font": font}
        values = {"name": "万元", "name_font": font, "num_format": "General", "min": 0, **ticks}
        values["major_gridlines"] = {"visible": True}
        categories: dict[str, Any] = dict(ticks)
        if chart.kind == "barh":
            categories["reverse"] = True  # the first class on top, as in 表3
            view.set_x_axis(values)
            view.set_y_axis(categories)
        else:
            view.set_x_axis(categories)
            view.set_y_axis(values)
    if len(chart.series) > 1:
        view.set_legend({"position": "bottom", "font": font})
    else:
        view.set_legend({"none": True})
    return view


def chart_workbook(chart: Chart) -> bytes:
    """The embedded .xlsx behind 编辑数据: categories in column A, one column per series."""
    return _write_workbook(chart, with_chart=False)


def chart_xml(chart: Chart, workbook_rid: str) -> bytes:
    """``c:chartSpace`` of ``chart`` (XlsxWriter's chart part), its data linked to the embedded
    workbook at ``workbook_rid``."""
    with zipfile.ZipFile(io.BytesIO(_write_workbook(chart, with_chart=True))) as z:
        space = etree.fromstring(z.read("xl/charts/chart1.xml"))
    for code in space.iterfind(f".//{{{C}}}numCache/{{{C}}}formatCode"):
        code.text = WAN  # the cells' format: XlsxWriter caches "General"
    for fmt in space.iterfind(f".//{{{C}}}valAx/{{{C}}}numFmt"):
        fmt.set("sourceLinked", "0")  # "General" of its own, not the cells' 0.00 (XlsxWriter links it)
    for labels in space.iterfind(f".//{{{C}}}ser/{{{C}}}dLbls"):
        _label_flags(labels, bars=chart.kind != "pie")
    if chart.kind == "barh":  # the value axis below the classes: it crosses the category axis at its last
        for crosses in space.iterfind(f".//{{{C}}}valAx/{{{C}}}crosses"):
            crosses.set("val", "max")
        for crosses in space.iterfind(f".//{{{C}}}catAx/{{{C}}}crosses"):
            crosses.set("val", "autoZero")
    for old in space.findall(f"{{{C}}}printSettings"):
        space.remove(old)
    # CT_ChartSpace: … chart, spPr?, txPr?, externalData?, …: the chart's own text, then its data
    text = etree.fromstring(
        f'<c:txPr xmlns:c="{C}" xmlns:a="{A}"><a:bodyPr/><a:lstStyle/><a:p><a:pPr>'
        '<a:defRPr sz="900"/></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>'
    )
    anchor = space.find(f"{{{C}}}spPr")
    (anchor if anchor is not None else space.find(f"{{{C}}}chart")).addnext(text)
    data = etree.SubElement(space, f"{{{C}}}externalData")
    data.set(f"{{{R}}}id", workbook_rid)
    etree.SubElement(data, f"{{{C}}}autoUpdate").set("val", "0")
    text.addnext(data)
    _east_asian_fonts(space)
    _word_defaults(space)
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


_SHOW = ("showLegendKey", "showVal", "showCatName", "showSerName", "showPercent", "showBubbleSize")


def _label_flags(labels, *, bars: bool) -> None:
    """Every show flag of the data labels spelled out: XlsxWriter writes only those that are on
    (and no position where it is Excel's default), and LibreOffice then shows the series and
    category names and the legend key too."""
    on = {name for name in _SHOW if labels.find(f"{{{C}}}{name}") is not None}
    for el in list(labels):
        if etree.QName(el).localname in _SHOW:
            labels.remove(el)
    anchor = labels.find(f"{{{C}}}dLblPos")
    if anchor is None:
        anchor = labels.find(f"{{{C}}}txPr")
        if bars:  # outside the end of the bar, which XlsxWriter leaves to Excel's default
            position = etree.Element(f"{{{C}}}dLblPos")
            position.set("val", "outEnd")
            anchor.addnext(position)
            anchor = position
    for name in _SHOW:
        flag = etree.Element(f"{{{C}}}{name}")
        flag.set("val", "1" if name in on else "0")
        anchor.addnext(flag)
        anchor = flag


# a:rPr / a:defRPr children after a:latin (CT_TextCharacterProperties): a:ea goes before these
_AFTER_LATIN = {f"{{{A}}}{n}" for n in ("ea", "cs", "sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst")}


def _east_asian_fonts(space) -> None:
    """Every run property of the chart names 黑体 for Chinese (a:ea) beside the Latin face."""
    for rpr in space.iter(f"{{{A}}}defRPr", f"{{{A}}}rPr"):
        for old in rpr.findall(f"{{{A}}}ea") + rpr.findall(f"{{{A}}}latin"):
            rpr.remove(old)
        latin = etree.Element(f"{{{A}}}latin")
        latin.set("typeface", LATIN_FONT)
        later = next((el for el in rpr if el.tag in _AFTER_LATIN), None)
        if later is not None:
            later.addprevious(latin)
        else:
            rpr.append(latin)
        etree.SubElement(rpr, f"{{{A}}}ea").set("typeface", EAST_ASIAN_FONT)
        latin.addnext(rpr[-1])
        rpr.set("lang", "zh-CN")
        rpr.set("altLang", "en-US")


def _word_defaults(space) -> None:
    """zh-CN language and square corners: what Word writes for a chart of its own."""
    for old in space.findall(f"{{{C}}}lang") + space.findall(f"{{{C}}}roundedCorners"):
        space.remove(old)
    lang = etree.Element(f"{{{C}}}lang")
    lang.set("val", "zh-CN")
    corners = etree.Element(f"{{{C}}}roundedCorners")
    corners.set("val", "0")
    date1904 = space.find(f"{{{C}}}date1904")
    if date1904 is not None:  # CT_ChartSpace: date1904?, lang?, roundedCorners?, …
        date1904.addnext(lang)
    else:
        space.insert(0, lang)
    lang.addnext(corners)


# -- in the Word document -------------------------------------------------------

CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
WIDTH_MM = 140


def height_mm(chart: Chart) -> float:
    if chart.kind == "barh":
        return 30 + 12 * len(chart.labels)
    return 80


def place_chart(doc, paragraph, chart: Chart) -> None:
    """Put ``chart`` into ``paragraph`` (python-docx) as an inline chart: the chart part
    (``/word/charts/chartN.xml``) related to the document, its workbook
    (``/word/embeddings/…xlsx``) related to the chart part, a ``wp:inline`` in one run."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import Part
    from docx.oxml import parse_xml as parse_docx_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Mm

    package = doc.part.package
    chart_part = Part(package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART, b"", package)
    workbook = Part(
        package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
        CT.SML_SHEET,
        chart_workbook(chart),
        package,
    )
    chart_part._blob = chart_xml(chart, chart_part.relate_to(workbook, RT.PACKAGE))
    rid = doc.part.relate_to(chart_part, RT.CHART)
    ids = [int(x) for x in doc.element.body.xpath("//wp:docPr/@id") if str(x).isdigit()]
    n = max(ids, default=0) + 1
    drawing = parse_docx_xml(
        f"<w:drawing {nsdecls('w', 'wp', 'a', 'r')}>"
        '<wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{Mm(WIDTH_MM)}" cy="{Mm(height_mm(chart))}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{n}" name="图表 {n}"/>'
        "<wp:cNvGraphicFramePr/>"
        f'<a:graphic><a:graphicData uri="{CHART_URI}">'
        f'<c:chart xmlns:c="{C}" r:id="{rid}"/>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing>"
    )
    drawing.find(".//" + qn("wp:docPr")).set("descr", chart.caption)  # alt text for screen readers
    paragraph.add_run()._r.append(drawing)
