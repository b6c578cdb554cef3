"""A finding is data: which rule, how bad, where, what was expected and what was found."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from xlbudget.location import Location

ERROR = "error"
WARNING = "warning"
INFO = "info"

#: Severities in the order a reader wants them, with their Chinese names.
SEVERITIES = MappingProxyType({ERROR: "错误", WARNING: "警告", INFO: "提示"})


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer would point at.

    ``location`` says where (:class:`~xlbudget.location.Location`): a workbook cell (表6!D12), a
    JSON path (basic[3].function, tables.6.rows.301[0]), a table's row and column (a document's, or
    a figure computed here), a document's paragraph; on a PDF with its page.  ``expected``/``actual``
    are printed figures or short texts, None where they do not apply; a finding on a published
    document also quotes what is printed there (``quote``).
    """

    rule: str  # stable id, e.g. "table.total_equals_rows"
    severity: str  # "error" | "warning" | "info"
    table: int | None
    location: Location
    message: str  # Chinese
    expected: str | None = None
    actual: str | None = None
    quote: str = ""  # the sentence or printed line it is about, quoted
    # where the figures it was compared with are (the other printing of the same sum, or the parts of a total):
    # when the figure at ``location`` agrees with the lines and one of these does not, the fix is there
    against: tuple[Location, ...] = ()

    @property
    def page(self) -> int | None:
        """The 1-based page of a PDF the finding is on."""
        return self.location.page


@dataclass(frozen=True)
class CheckSettings:
    """What the user chose: rules switched off, and the 变动 threshold."""

    skip: frozenset[str] = frozenset()
    change_threshold: Decimal = Decimal("10")  # % change vs last year above which a reason is required
