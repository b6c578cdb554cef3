"""The rule registry: every rule is a small function with a stable id and a docstring stating its 口径.

Rules are registered with :func:`rule` into one private dict, at import of the rule
modules; :data:`RULES` is a read-only view of it.  Nothing else writes to it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from xlbudget.check.findings import CheckSettings, Finding

if TYPE_CHECKING:
    from xlbudget.catalogue import Catalogue
    from xlbudget.model import UnitBudget
    from xlbudget.tables import TableSet

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

    @property
    def shanxi(self) -> bool:
        """The tables are the Shanxi 13 (the numbering the between-table rules speak of)."""
        return self.tables.profile in ("", "shanxi-13")

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
