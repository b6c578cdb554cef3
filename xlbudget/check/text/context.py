"""What a text rule looks at: :class:`TextContext`, a check Context with the paragraphs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from xlbudget.check.registry import Context
from xlbudget.check.text.facts import Facts, facts
from xlbudget.check.text.sentences import Para, paras
from xlbudget.document.model import Paragraph


@dataclass(frozen=True)
class TextContext(Context):
    """The paragraphs, the tables they speak of, the budget year and the unit's level."""

    paragraphs: tuple[Paragraph, ...] = ()
    budget_year: int = 0
    unit_level: str | None = None  # 省级 / 市级 / 区级 / 县级, None when not known
    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """What several rules read (the changes, the list matched to its rows), worked out once per check."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def year(self) -> int:
        return self.budget_year or self.tables.year

    @cached_property
    def paras(self) -> tuple[Para, ...]:
        return paras(self.paragraphs)

    def matches(self, pattern: re.Pattern[str]) -> Iterator[tuple[Para, re.Match[str]]]:
        """Every place the pattern matches, paragraph by paragraph, in reading order."""
        for para in self.paras:
            for m in pattern.finditer(para.text):
                yield para, m

    @cached_property
    def facts(self) -> Facts:
        return facts(self.tables)


def text_ctx(ctx: Context) -> TextContext | None:
    """The context as a text rule needs it; None for a context without text (the rule does not apply)."""
    return ctx if isinstance(ctx, TextContext) else None
