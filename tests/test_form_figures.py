"""A figure with its unit is never parted at a line break in the 绩效目标申报表 (the PDF read back:
tests/test_report_pdf.py); here the pure pieces: where a line may break, the breaks the writer sets,
and the 指标值 column never narrower than a figure with its unit."""

from __future__ import annotations

from xlbudget.report.word_tables import PAD_MM, capped, figures_whole, mixed_mm, no_lone_last
from xlbudget.text_width import unbroken


def test_figures_with_their_units_are_one_piece() -> None:
    assert unbroken("≤20.5万元") == ["≤20.5万元"]
    assert unbroken("≥12,345人次") == ["≥12,345人次"]
    assert unbroken("工作完成率100%") == [*"工作完成率", "100%"]
    assert unbroken("2023年1-12月") == ["2023年", "1-12月"]
    assert unbroken("信访勤务保障费用") == list("信访勤务保障费用")  # text alone: every character


def test_no_lone_last_breaks_between_figures_never_inside_one() -> None:
    """≤20.5万元 in the seed's 21.4 mm 指标值 column was evened into "≤20." / "5万元"."""
    assert no_lone_last("≤20.5万元", 21.4) == "≤20.5万元"
    assert no_lone_last("≤10.5万元", 21.4) == "≤10.5万元"
    broken = no_lone_last("项目资金≤20.5万元", 21.4)
    assert all(line.startswith(("项", "≤")) for line in broken.split("\n")), broken
    assert no_lone_last("为民服务解难题补助经费", 14.5).split("\n")[-1] != "费"  # the labels as before


def test_a_wrapping_value_breaks_after_a_whole_figure() -> None:
    """2022年1月-12月 wraps in 19.3 mm: LibreOffice broke it "2022年1" / "月-12月" (its line holds 48.9 pt,
    2022年1月 takes 50.2 pt with the seams between Chinese and digits); the writer breaks it first."""
    assert figures_whole("2022年1月-12月", 19.3) == "2022年\n1月-12月"
    assert figures_whole("2022年1月-12月", 21.4) == "2022年1月\n-12月"
    assert figures_whole("≤20.5万元", 21.4) == "≤20.5万元"  # fits: left alone
    assert (
        figures_whole("保障信访维稳工作的正常开展", 19.3) == "保障信访维稳工作的正常开展"
    )  # no figure: Word's


def test_the_value_column_holds_the_widest_figure_of_a_long_value() -> None:
    """A value too long for the column's cap sizes it by its widest figure with its unit."""
    sized = capped(("≥8次", "≤1,234,567.89万元（含税及运费）"))
    assert sized == ("≥8次", "≤1,234,567.89万元")
    assert mixed_mm(sized[1]) + PAD_MM > 22  # wider than the cap: the column is widened, the figure kept
