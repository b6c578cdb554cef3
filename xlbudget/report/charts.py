"""Charts for the report: PNG images with Chinese labels (matplotlib, Noto Sans CJK SC).

Each chart is data first (:class:`Chart`: caption and the figures in 万元, from
the tables), then a PNG.  Nothing here is written to disk by the caller's
accident: :func:`render_png` returns bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlbudget.model import UnitBudget
from xlbudget.money import fmt_wan, to_wan
from xlbudget.tables import TOTAL, TableSet

# Simplified-Chinese faces first: a JP face would draw some characters in Japanese forms.
CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "Microsoft YaHei", "WenQuanYi Zen Hei"]
COLOURS = ["#2F5597", "#C55A11", "#548235", "#7F6000", "#7030A0", "#1F7A7A", "#A50021", "#595959"]


@dataclass(frozen=True)
class Chart:
    key: str  # "functions", "basic_project", "years"
    caption: str  # 图 2023年支出预算按功能分类（类）
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
                (("", (basic, project)),),
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
                (("", tuple(v for _, v in classes)),),
                after_section=4,
            )
        )
    return tuple(out)


def _value(tables: TableSet, n: int, key: str, column: int) -> Decimal:
    row = tables[n].row(key)
    return row.values[column] if row is not None and column < len(row.values) else Decimal(0)


def render_png(chart: Chart, *, width_in: float = 6.0, dpi: int = 200) -> bytes:
    """The chart as PNG bytes."""
    import matplotlib  # here, not at the top: the heaviest import of the report

    rc: Any = {
        "font.family": "sans-serif",
        "font.sans-serif": CJK_FONTS + list(matplotlib.rcParams["font.sans-serif"]),
        "axes.unicode_minus": False,
        "font.size": 10,
    }
    with matplotlib.rc_context(rc):
        if chart.kind == "pie":
            fig, ax = _figure(width_in, width_in * 0.62)
            values = [float(to_wan(v)) for v in chart.series[0][1]]
            labels = [
                f"{lab}\n{fmt_wan(v)}万元" for lab, v in zip(chart.labels, chart.series[0][1], strict=True)
            ]
            ax.pie(
                values,
                labels=labels,
                autopct="%.2f%%",
                startangle=90,
                counterclock=False,
                colors=COLOURS[: len(values)],
                wedgeprops={"edgecolor": "white"},
            )
            ax.axis("equal")
        elif chart.kind == "barh":
            n = len(chart.labels)
            fig, ax = _figure(width_in, 1.0 + 0.45 * n)
            values = [float(to_wan(v)) for v in chart.series[0][1]]
            ys = list(range(n))[::-1]
            bars = ax.barh(ys, values, color=COLOURS[0], height=0.6)
            ax.set_yticks(ys, chart.labels)
            for bar, v in zip(bars, chart.series[0][1], strict=True):
                ax.annotate(
                    fmt_wan(v),
                    (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=9,
                )
            ax.set_xlabel("万元")
            ax.set_xlim(0, max(values) * 1.18 if max(values) > 0 else 1)
            _clean(ax)
        else:  # grouped bars: last year vs this year
            n = len(chart.labels)
            fig, ax = _figure(width_in, 3.4)
            width = 0.38
            for i, (legend, series) in enumerate(chart.series):
                xs = [x + (i - 0.5) * width for x in range(n)]
                values = [float(to_wan(v)) for v in series]
                bars = ax.bar(xs, values, width=width, label=legend, color=COLOURS[i])
                for bar, v in zip(bars, series, strict=True):
                    ax.annotate(
                        fmt_wan(v),
                        (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        xytext=(0, 2),
                        textcoords="offset points",
                        ha="center",
                        fontsize=8,
                    )
            ax.set_xticks(range(n), chart.labels)
            ax.set_ylabel("万元")
            ax.legend(frameon=False)
            top = max(float(to_wan(v)) for _, s in chart.series for v in s)
            ax.set_ylim(0, top * 1.15 if top > 0 else 1)
            _clean(ax)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _figure(width_in: float, height_in: float) -> tuple[Any, Any]:
    """A figure with one axes on an Agg canvas: a PNG in memory needs no pyplot (figure
    managers, the choice of a backend)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(fig)  # attaches itself as fig.canvas
    return fig, fig.subplots()


def _clean(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
