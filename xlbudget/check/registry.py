"""The rule registry: every rule is a small function with a stable id and a docstring stating its 口径.

Rules are registered with :func:`rule` into one private dict, at import of the rule
modules; :data:`RULES` is a read-only view of it.  Nothing else writes to it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from xlbudget.check.findings import CheckSettings, Finding

if TYPE_CHECKING:
    from xlbudget.catalogue import Catalogue
    from xlbudget.model import UnitBudget
    from xlbudget.profiles import Profile
    from xlbudget.tables import Table, TableSet

# Scopes: "tables" rules read the tables as shown; "budget" rules need the unit's
# data (and see its tables too); "emitted" ids are not functions but are produced
# by the machinery (rounding tails, crashed rules); "text" rules read a published report's text against
# its tables (xlbudget.check.text).
SCOPES = ("tables", "budget", "text", "emitted")


@dataclass(frozen=True)
class Context:
    """What a rule may look at."""

    tables: TableSet
    budget: UnitBudget | None = None
    settings: CheckSettings = CheckSettings()
    derived: bool = True  # tables computed here from the budget (True) or read as published (False)
    # the table set's profile when it is not a shipped one (a profile of the caller's own); else by name
    own_profile: Profile | None = None
    # what the rules could not check, as (what, why): a table or column the profile does not have
    not_checked: list[tuple[str, str]] = field(default_factory=list, compare=False)
    lines_tables: TableSet | None = None  # the tables built from the budget's lines, when the caller has them

    @cached_property
    def from_lines(self) -> TableSet:
        """The tables the unit's lines sum to, built once for every rule that compares with them: the
        tables checked when they were derived; else those the caller built, when of the tables' profile
        (never for a profile of the caller's own); else built here of that profile."""
        if self.derived:
            return self.tables
        from xlbudget.tables import build_tables

        assert self.budget is not None, "only rules with the unit's data compare with its lines"
        if self.own_profile is not None:
            return build_tables(self.budget, profile=self.own_profile)
        name = self.tables.profile
        if not name:
            from xlbudget.profiles import profile_for

            name = profile_for(self.budget.unit)
        if self.lines_tables is not None and self.lines_tables.profile == name:
            return self.lines_tables
        return build_tables(self.budget, profile=name)

    @property
    def year(self) -> int:
        return self.budget.year if self.budget is not None else self.tables.year

    @cached_property
    def catalogue(self) -> Catalogue | None:
        """The budget year's catalogue; None when there is no usable one (year unknown)."""
        from xlbudget.catalogue import load_catalogue

        if not self.year:
            return None
        try:
            return load_catalogue(self.year)
        except Exception:  # noqa: BLE001 - reported by catalogue.unknown_code, not a crash
            return None

    @cached_property
    def profile(self) -> Profile | None:
        """The profile the tables are of: the caller's own, else the shipped one named; None when unknown."""
        from xlbudget.profiles import available_profiles, load_profile

        if self.own_profile is not None:
            return self.own_profile
        name = self.tables.profile or ("shanxi-13" if self.budget is None else "")
        if not name and self.budget is not None:
            from xlbudget.profiles import profile_for

            name = profile_for(self.budget.unit)
        return load_profile(name) if name in available_profiles() else None

    def table(self, role: str, *column_ids: str, what: str = "") -> Table | None:
        """The table with this role, when it has every column named by id; else None.

        With ``what`` (what the rule would check) a missing table or column is noted as not checked:
        a rule whose table or column the profile lacks does not apply, and ``check`` says so.
        """
        from xlbudget.profiles import COLUMN_IDS, ROLES

        table = self.tables.by_role(role)
        if table is None:
            if what:
                self.note(what, self.no_table(ROLES.get(role, role)))
            return None
        missing = [c for c in column_ids if table.column(c) is None]
        if missing:
            if what:
                name = f"{table.label or f'表{table.number}'}"
                if not table.column_ids:
                    self.note(what, f"{name}的列与报表方案不同，无法按列核对")
                else:
                    cols = "、".join(f"“{COLUMN_IDS.get(c, c)}”" for c in missing)
                    self.note(what, f"{name}没有{cols}列")
            return None
        return table

    def column(self, table: Table, column_id: str, what: str = "") -> int | None:
        """The index of a table's column by id; None (noted as not checked, with ``what``) when it has none."""
        from xlbudget.profiles import COLUMN_IDS

        index = table.column(column_id)
        if index is None and what:
            name = table.label or f"表{table.number}"
            if not table.column_ids:
                self.note(what, f"{name}的列与报表方案不同，无法按列核对")
            else:
                self.note(what, f"{name}没有“{COLUMN_IDS.get(column_id, column_id)}”列")
        return index

    def no_table(self, name: str) -> str:
        """Why a table is not there: the profile has none, or (tables of an unknown profile) nothing says which is which."""
        if self.profile is None and not any(t.role for t in self.tables.tables):
            return f"报表方案“{self.tables.profile}”不是本软件的方案，不知道哪张表是{name}"
        return f"本报表方案没有{name}"

    def note(self, what: str, why: str) -> None:
        """Something a rule could not check, and why."""
        if (what, why) not in self.not_checked:
            self.not_checked.append((what, why))

    @property
    def unit_kind(self) -> str:
        return self.budget.unit.kind if self.budget is not None else "administrative"


RuleFunc = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    scope: str
    doc: str  # the 口径, from the function's docstring
    check: RuleFunc | None = None

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.id


_REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, scope: str) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under a stable id. Its docstring states the 口径 it checks."""
    if scope not in SCOPES[:3]:
        raise ValueError(f"unknown rule scope {scope!r}")

    def register(func: RuleFunc) -> RuleFunc:
        doc = inspect.getdoc(func)
        if not doc:
            raise ValueError(f"rule {rule_id} has no docstring stating its 口径")
        if rule_id in _REGISTRY:
            raise ValueError(f"rule id {rule_id} registered twice")
        _REGISTRY[rule_id] = Rule(rule_id, scope, doc, func)
        return func

    return register


def emitted(rule_id: str, doc: str) -> None:
    """Document an id the machinery emits (no function of its own)."""
    if rule_id in _REGISTRY:
        raise ValueError(f"rule id {rule_id} registered twice")
    _REGISTRY[rule_id] = Rule(rule_id, "emitted", inspect.cleandoc(doc))


# The order rules are listed and run in: as a reviewer reads — each table, then between tables, ….
FAMILY_ORDER = (
    "table",
    "rounding",
    "cross",
    "catalogue",
    "unit",
    "performance",
    "narrative",
    "completeness",
    "text",
)


def _order(rule_id: str) -> int:
    family = rule_id.split(".", 1)[0]
    return FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)


def registry() -> Mapping[str, Rule]:
    """Every rule, read-only, by family (tables first), in registration order within a family."""
    return MappingProxyType(dict(sorted(_REGISTRY.items(), key=lambda item: _order(item[0]))))
