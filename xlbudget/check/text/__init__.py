"""Text against tables: a published report's 情况说明 / 预算编制说明 / 其他相关情况说明 checked
against its own tables.

    from xlbudget.check.text import check_text
    findings = check_text(document.paragraphs, document.tables, year=2023, unit_level="市级")

Every amount, share, change and count the text prints is matched to the figure it names and
recomputed from the tables, at the precision printed; the wording rules (years, 省直/市直,
placeholders, outdated names, 其它, table labels, empty-table notes) read the same paragraphs.
Rules are registered with scope ``text`` (ids ``text.*``), each docstring stating its 口径.
"""

from __future__ import annotations

from collections.abc import Sequence

from xlbudget.check.findings import CheckSettings, Finding
from xlbudget.check.text.context import TextContext
from xlbudget.document.model import Paragraph
from xlbudget.model import UnitBudget
from xlbudget.tables import TableSet

DEFAULT_SETTINGS = CheckSettings()


def check_text(
    paragraphs: Sequence[Paragraph],
    tables: TableSet,
    *,
    year: int,
    unit_level: str | None,
    settings: CheckSettings = DEFAULT_SETTINGS,
    budget: UnitBudget | None = None,
) -> list[Finding]:
    """Every text rule over the paragraphs, against the tables as printed; with the unit's ``budget`` (a
    report checked beside its workbook) a change is also computed on its exact yuan."""
    from xlbudget.check.runner import run_rules

    ctx = TextContext(
        tables=tables,
        budget=budget,
        settings=settings,
        derived=False,
        paragraphs=tuple(paragraphs),
        budget_year=year,
        unit_level=unit_level,
    )
    return run_rules(ctx, ("text",))


from xlbudget.check.text import amounts, changes, itemlist, notes, wording  # noqa: E402,F401 - registers the rules

__all__ = ["TextContext", "check_text"]
