"""Charts for the report: native Word charts (DrawingML chart parts) with their data embedded.

Each chart is data first (:class:`Chart`: caption, categories and the figures
in yuan, from the tables), then a chart part: python-pptx's chart XML writer
(``ChartXmlWriter`` over ``CategoryChartData``) writes the ``c:chartSpace`` and
its cached values, in 万元 through :func:`xlbudget.money.to_wan`, and the same
data as an embedded workbook (XlsxWriter) that Word's and WPS's 编辑数据 open;
python-pptx's chart objects set the styling.  :mod:`xlbudget.report.render`
places the parts in the document.  Staff restyle the charts in Word like any
chart; LibreOffice draws them from the cached values when it writes the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lxml import etree
from pptx.chart.chart import Chart as ChartObject
from pptx.chart.data import CategoryChartData
from pptx.chart.xmlwriter import ChartXmlWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_DATA_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.oxml import parse_xml
from pptx.util import Pt

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

KINDS = {
    "bars": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "barh": XL_CHART_TYPE.BAR_CLUSTERED,
    "pie": XL_CHART_TYPE.PIE,
}


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
    out: list[Chart] = []
    p = budget.prior_year
    t1 = tables[1]
    now: list[tuple[str, Decimal, Decimal | None]] = [
        ("预算收入总计", t1.totals.get("收入总计", (Decimal(0),))[0], p.income_total),
        ("预算支出总计", t1.totals.get("支出总计", (Decimal(0),))[0], p.expenditure_total),
        ("一般公共预算当年拨款", _value(tables, 5, TOTAL, 0), p.general_budget_appropriation),
    ]
    if budget.unit.has_operating_funds:
        now.append(("机关运行经费", _value(tables, 11, "部门合计", 0), p.operating_funds))
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
    basic, project = _value(tables, 3, TOTAL, 1), _value(tables, 3, TOTAL, 2)
    if basic or project:
        out.append(
            Chart(
                "basic_project",
                f"{budget.year}年支出预算构成：基本支出与项目支出（万元）",
                "pie",
                ("基本支出", "项目支出"),
                ((f"{budget.year}年预算数", (basic, project)),),
                after_section=3,
            )
        )
    classes = [(r.label, r.values[0]) for r in tables[3].rows if r.level == 1 and r.values[0] != 0]
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


def _value(tables: TableSet, n: int, key: str, column: int) -> Decimal:
    row = tables[n].row(key)
    return row.values[column] if row is not None and column < len(row.values) else Decimal(0)


# -- the chart part -------------------------------------------------------------


def chart_data(chart: Chart) -> CategoryChartData:
    """Categories and series in 万元 (two decimals, half-up): the cached values and the workbook."""
    data = CategoryChartData(number_format=WAN)
    data.categories = chart.labels
    for legend, values in chart.series:
        data.add_series(legend, [to_wan(v) for v in values], number_format=WAN)
    return data


def chart_workbook(chart: Chart) -> bytes:
    """The embedded .xlsx behind 编辑数据: categories in column A, one column per series."""
    return chart_data(chart).xlsx_blob


def chart_xml(chart: Chart, workbook_rid: str) -> bytes:
    """``c:chartSpace`` of ``chart``, its data linked to the embedded workbook at ``workbook_rid``."""
    space = parse_xml(ChartXmlWriter(KINDS[chart.kind], chart_data(chart)).xml.encode("utf-8"))
    view = ChartObject(space, None)  # the XML only: the workbook is placed by the caller
    view.has_title = False  # the caption is a paragraph below the chart (图N　…)
    view.font.size = Pt(9)
    view.font.name = LATIN_FONT
    plot = view.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(9)
    if chart.kind == "pie":  # name and share on the slices; Word and LibreOffice format the share alike
        labels.number_format, labels.number_format_is_linked = "0.00%", False
        labels.show_category_name, labels.show_value, labels.show_percentage = True, False, True
        labels.position = XL_DATA_LABEL_POSITION.OUTSIDE_END
        for i, point in enumerate(plot.series[0].points):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor.from_string(COLOURS[i % len(COLOURS)])
    else:
        labels.number_format, labels.number_format_is_linked = WAN, False
        labels.position = XL_DATA_LABEL_POSITION.OUTSIDE_END
        for i, series in enumerate(plot.series):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = RGBColor.from_string(COLOURS[i % len(COLOURS)])
        plot.gap_width = 60
        if len(chart.series) > 1:  # neighbouring bars' labels apart
            plot.overlap = -8
            labels.font.size = Pt(8)
        value_axis = view.value_axis
        value_axis.has_title = True
        value_axis.axis_title.text_frame.text = "万元"
        ticks = value_axis.tick_labels  # 0, 200, 400 (or 0.5, 1 for a small unit), not 200.00
        ticks.number_format, ticks.number_format_is_linked = "General", False
        value_axis.has_major_gridlines = True
        value_axis.minimum_scale = 0
        if chart.kind == "barh":
            view.category_axis.reverse_order = True  # the first class on top, as in 表3
            # and the value axis below them, crossing the category axis at its last class: the
            # value axis's own c:crosses (python-pptx's ValueAxis.crosses writes the other axis's)
            value_axis._element.find(f"{{{C}}}crosses").set("val", "max")
    view.has_legend = len(chart.series) > 1
    if view.has_legend:
        view.legend.position = XL_LEGEND_POSITION.BOTTOM
        view.legend.include_in_layout = False
    space.get_or_add_externalData().rId = workbook_rid
    _positive_axis_ids(space)
    _east_asian_fonts(space)
    _word_defaults(space)
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def _east_asian_fonts(space) -> None:
    """Every run property of the chart names 黑体 for Chinese (a:ea) beside the Latin face."""
    for rpr in space.iter(f"{{{A}}}defRPr", f"{{{A}}}rPr"):
        latin = rpr.get_or_add_latin()
        latin.set("typeface", LATIN_FONT)
        for old in rpr.findall(f"{{{A}}}ea"):
            rpr.remove(old)
        ea = etree.SubElement(rpr, f"{{{A}}}ea")
        ea.set("typeface", EAST_ASIAN_FONT)
        latin.addnext(ea)
        rpr.set("lang", "zh-CN")
        rpr.set("altLang", "en-US")


def _positive_axis_ids(space) -> None:
    """python-pptx numbers axes with negative ids; the schema's c:axId is an unsigned int."""
    ids: dict[str, str] = {}
    for el in space.iter(f"{{{C}}}axId", f"{{{C}}}crossAx"):
        el.set("val", ids.setdefault(el.get("val"), str(100_000 + len(ids))))


def _word_defaults(space) -> None:
    """zh-CN language and square corners: what Word writes for a chart of its own."""
    date1904 = space.find(f"{{{C}}}date1904")
    lang = etree.Element(f"{{{C}}}lang")
    lang.set("val", "zh-CN")
    corners = etree.Element(f"{{{C}}}roundedCorners")
    corners.set("val", "0")
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
