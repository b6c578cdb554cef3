"""The rule modules; importing this package registers every rule."""

from xlbudget.check.rules import (
    carryover,
    catalogue,
    completeness,
    cross,
    function_items,
    lines,
    narrative,
    performance,
    prior_functions,
    tables,
    unit,
    year_on_year,
)

__all__ = [
    "carryover",
    "catalogue",
    "completeness",
    "cross",
    "function_items",
    "lines",
    "narrative",
    "performance",
    "prior_functions",
    "tables",
    "unit",
    "year_on_year",
]
