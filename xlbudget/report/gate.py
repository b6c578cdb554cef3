"""No report from wrong figures: the checks run before a report is written.

``xlbudget report`` and the 生成报告 button both call :func:`report_errors` first:
while the checker finds errors (a total that does not add up, a figure typed over
in a 表 sheet that disagrees with the lines, …) the report is refused with the
list, unless the user insists (``--force``, or 是 in the button's question).
Warnings and infos never stop a report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xlbudget.check import Finding
    from xlbudget.model import UnitBudget
    from xlbudget.tables import TableSet

SHOWN_LIMIT = 10  # errors listed in full; the rest are counted


def report_errors(
    budget: UnitBudget, shown: TableSet | None = None, derived: TableSet | None = None
) -> list[Finding]:
    """The checker's errors for this budget and, for a workbook, its 表 sheets as shown."""
    from xlbudget.check.findings import ERROR

    return [f for f in report_findings(budget, shown, derived) if f.severity == ERROR]


def report_findings(
    budget: UnitBudget, shown: TableSet | None = None, derived: TableSet | None = None
) -> list[Finding]:
    """Every finding of the checks a report runs first (errors stop it; warnings are told).

    ``derived``: the tables built from the lines, which the report prints (built once, for both)."""
    from xlbudget.check import check_budget

    return check_budget(budget, shown, derived=derived)


def warnings_note(findings: Sequence[Finding], limit: int = 5) -> str:
    """The warnings a report was written with: they do not stop it, but the officer should see them."""
    from xlbudget.check.findings import WARNING

    warnings = [f for f in findings if f.severity == WARNING]
    if not warnings:
        return ""
    return (
        f"注意：校验另有 {len(warnings)} 项警告（不影响生成报告，发布前请看一看；全部见 xlbudget check）：\n"
        + describe_errors(warnings, limit).replace("详见“校验”结果", "用 xlbudget check 查看全部")
    )


def describe_errors(errors: Sequence[Finding], limit: int = SHOWN_LIMIT) -> str:
    """The errors as a finance officer reads them: what, and where (sheet and cell / JSON path)."""
    from xlbudget.check.output import place_text

    lines = []
    for i, f in enumerate(errors[:limit], 1):
        lines.append(f"{i:>3}. {f.message}（位置：{place_text(f)}）")
    if len(errors) > limit:
        lines.append(f"     ……另有 {len(errors) - limit} 项，详见“校验”结果")
    if any(f.rule == "cross.tables_match_lines" for f in errors):
        lines.append("表中的数字与明细不一致：请先点“计算”重新填表，或改正手工改动的数字。")
    return "\n".join(lines)


def refusal(errors: Sequence[Finding], limit: int = SHOWN_LIMIT) -> str:
    """Why no report was written, with the errors listed."""
    return (
        f"校验发现 {len(errors)} 项错误，报告中的数字会有误，未生成报告。请改正后再生成：\n"
        + describe_errors(errors, limit)
    )
