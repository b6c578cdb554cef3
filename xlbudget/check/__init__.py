"""The checker: everything a reviewer checks, rounding-aware, pointing at the cell.

    from xlbudget.check import check_budget, check_tables, findings_to_json, format_text
    findings = check_budget(budget)              # tables derived from the lines
    findings = check_budget(budget, tables)      # tables as shown (read back from the workbook)
    findings = check_tables(tables)              # a tables JSON as published

Rules live in :mod:`xlbudget.check.rules`, each a small function with a stable id and a
docstring stating its 口径; :data:`RULES` maps id → :class:`~xlbudget.check.registry.Rule`.
The text rules (:mod:`xlbudget.check.text`, a published report's text against its tables) load
when :data:`RULES` or :func:`check_text` is first asked for: checking a budget or printing its
report never runs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from xlbudget.check import rules as _rules  # noqa: F401 - registers every rule
from xlbudget.check.figures import ROUNDING_TAIL
from xlbudget.check.findings import ERROR, INFO, SEVERITIES, WARNING, CheckSettings, Finding
from xlbudget.check.output import findings_to_json, format_text
from xlbudget.check.registry import Rule, emitted, registry
from xlbudget.check.runner import (
    FIGURE_TEXT,
    INTERNAL,
    NOT_CHECKED,
    STALE,
    UNKNOWN_PROFILE,
    check_budget,
    check_tables,
)

if TYPE_CHECKING:
    from xlbudget.check.text import check_text

emitted(
    ROUNDING_TAIL,
    """四舍五入尾差: a printed total differs from the sum of its printed parts by no more than 0.005万元 for each
    figure involved (the total and each part) — an info, not an error. Emitted by every sum rule; skip it to hide tails.""",
)
emitted(
    FIGURE_TEXT,
    """金额格里写的是文字: a figure cell of a workbook's 表 sheets holds a text (“七百八十”, “见附件”) — an error at
    the cell, with what the lines make the figure; the cell is read as blank and everything else is checked
    (the 表 sheets are derived from the lines: a text there does not stop reading the workbook).""",
)
emitted(
    STALE,
    """表 工作表未按明细重新计算: the figures of a workbook's 表 sheets disagree with the lines in two or more
    tables (the lines changed and 计算 was not pressed since, or the 表 sheets are empty) — one error first,
    saying to press 计算 (xlbudget fill); each mismatch is still listed (cross.tables_match_lines). A figure
    typed over in one table is told at its cell instead.""",
)
emitted(INTERNAL, """A rule that crashed: one error naming the rule; the other rules still run.""")
emitted(
    NOT_CHECKED,
    """未检查: what a rule could not check because the table set's profile has no such table or column (or a
    table printed other columns than its profile's) — an info naming what and why. Rules apply by the tables'
    roles and column ids, never by number or heading; one that does not apply is not an error.""",
)
emitted(
    UNKNOWN_PROFILE,
    """报表方案不明: tables (a tables JSON) that name a profile no shipped profile file has, checked without one of
    the caller's own (``--profile FILE``) — one warning: the rules that need the tables' roles and columns did not
    run, so "no errors" does not mean the tables agree.""",
)

if TYPE_CHECKING:
    RULES: Mapping[str, Rule]


def __getattr__(name: str) -> Any:
    """``RULES`` (every rule, the text rules included) and ``check_text``, loading the text rules."""
    if name == "RULES":
        import xlbudget.check.text  # noqa: F401 - registers the text rules

        return registry()
    if name == "check_text":
        from xlbudget.check.text import check_text

        return check_text
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ERROR",
    "INFO",
    "RULES",
    "SEVERITIES",
    "WARNING",
    "CheckSettings",
    "Finding",
    "Rule",
    "check_budget",
    "check_tables",
    "check_text",
    "findings_to_json",
    "format_text",
]
