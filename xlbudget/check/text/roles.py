"""Tables by role and columns by id, as the profiles name them.

A table read from a file carries the role its profile gives its number (``Table.role``); a
profile not shipped yet (``shanghai-9`` while it is being written) leaves it "".  For those the
numbers below stand in, and a column is found by its printed heading.  Once every profile is
shipped, :func:`table` is ``tables.by_role`` and :func:`column` is ``table.column``.
"""

from __future__ import annotations

from xlbudget.tables import Table, TableSet

# role by number, for profiles whose tables carry no role yet
_NUMBERS: dict[str, dict[int, str]] = {
    "shanghai-9": {
        1: "balance",
        2: "income",
        3: "expenditure",
        4: "fiscal_balance",
        5: "general_function",
        6: "gov_fund_expenditure",
        7: "soe_capital_expenditure",
        8: "general_basic_economic",
        9: "three_public_operating",
    },
}

# a printed heading's last part → column id (first match wins: 事业单位经营收入 before 事业收入)
_HEADINGS: tuple[tuple[str, str], ...] = (
    ("人员经费", "personnel"),
    ("公用经费", "public"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("财政拨款", "fiscal"),
    ("事业单位经营收入", "operating_income"),
    ("事业收入", "business_income"),
    ("其他收入", "other_income"),
    ("因公出国", "abroad"),
    ("公务接待", "reception"),
    ("小计", "vehicles"),
    ("购置费", "vehicle_purchase"),
    ("运行费", "vehicle_running"),
    ("运行维护费", "vehicle_running"),
    ("机关运行经费", "operating_funds"),
    ("当年预算安排", "this_year"),
    ("上年结转", "carryover"),
    ("一般公共预算", "general"),
    ("政府性基金", "gov_fund"),
    ("国有资本经营", "soe_capital"),
    ("财政专户", "special_account"),
    ("单位资金", "unit_funds"),
    ("合计", "total"),
)


def table(tables: TableSet, role: str) -> Table | None:
    """The table of this role, or None when the set has none."""
    found = tables.by_role(role)
    if found is not None:
        return found
    numbers = _NUMBERS.get(tables.profile, {})
    return next((t for t in tables.tables if not t.role and numbers.get(t.number) == role), None)


def heading_id(heading: str) -> str:
    last = heading.split("/")[-1]
    if "机关运行经费" in heading:
        return "operating_funds"
    return next((cid for text, cid in _HEADINGS if text in last), "")


def column(t: Table, column_id: str) -> int | None:
    """The index of the column with this id, or None when the table has none."""
    if t.column_ids:
        return t.column(column_id)
    ids = [heading_id(h) for h in t.columns]
    return ids.index(column_id) if column_id in ids else None
