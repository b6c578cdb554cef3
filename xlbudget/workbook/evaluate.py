"""Formula cells whose saved result cannot be used: evaluated here, or refused at the cell.

Excel and LibreOffice save each formula's result beside it, and the reader uses it.
A workbook written by a script has none: openpyxl saves no result, XlsxWriter saves 0
(and both ask Excel to recalculate on load, ``fullCalcOnLoad``). Such a cell is read
as a :class:`Formula` and evaluated with the ``formulas`` engine over the workbook's
own cells (other formula cells are evaluated in turn, on demand: only the cells the
reader reads cost anything). What the engine cannot evaluate — an unknown function,
a defined name, another workbook, a circular reference — is :class:`Uncomputable`:
the reader refuses that cell rather than guessing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from xlbudget.workbook.layout import col_letter

NOT_COMPUTED = "公式没有计算结果：请在 Excel 中打开并保存后再试"
MAX_DEPTH = 200  # formulas referring to formulas, at most this deep


@dataclass(frozen=True)
class Formula:
    """A formula cell without a usable saved result: its text ("=SUM(B2:B3)") and what was saved."""

    text: str
    cached: Any = None

    def __str__(self) -> str:  # shown where a value is shown: no fake number
        return self.text


class Uncomputable(Exception):
    """The engine cannot evaluate this formula; ``str()`` says why (not for users)."""


Rows = Sequence[Sequence[Any]]


class Evaluator:
    """Evaluates :class:`Formula` cells over a workbook's sheets (rows of values, 1-based cells).

    ``more(sheet)`` loads a sheet the reader did not read (a formula may refer to any), or None.
    """

    def __init__(self, sheets: Mapping[str, Rows], more: Callable[[str], Rows | None] | None = None) -> None:
        self.sheets = sheets
        self.more = more
        self._loaded: dict[str, Rows | None] = {}
        self._done: dict[tuple[str, int, int], Any] = {}
        self._busy: set[tuple[str, int, int]] = set()

    # -- cells -------------------------------------------------------------------------------
    def _rows(self, sheet: str) -> Rows:
        for name, rows in self.sheets.items():
            if name.upper() == sheet.upper():  # Excel's sheet names ignore case; the engine upper-cases
                return rows
        key = sheet.upper()
        if key not in self._loaded:
            self._loaded[key] = self.more(sheet) if self.more else None
        found = self._loaded[key]
        if found is None:
            raise Uncomputable(f"no sheet {sheet}")
        return found

    def _raw(self, sheet: str, row: int, col: int) -> Any:
        rows = self._rows(sheet)
        if row - 1 >= len(rows) or row < 1:
            return None
        r = rows[row - 1]
        return r[col - 1] if 0 <= col - 1 < len(r) else None

    def cell(self, sheet: str, row: int, col: int) -> Any:
        """A cell's value, a formula without a usable result evaluated (Uncomputable if it cannot be)."""
        value = self._raw(sheet, row, col)
        if not isinstance(value, Formula):
            return value
        key = (sheet.upper(), row, col)
        if key in self._done:
            return self._done[key]
        if key in self._busy or len(self._busy) >= MAX_DEPTH:
            raise Uncomputable("circular reference")
        self._busy.add(key)
        try:
            result = self.formula(value.text, sheet)
        finally:
            self._busy.discard(key)
        self._done[key] = result
        return result

    # -- formulas ------------------------------------------------------------------------------
    def formula(self, text: str, sheet: str) -> Any:
        """The value of formula ``text`` written on ``sheet``, as a cell would show it."""
        import logging  # only where a formula is evaluated (the formulas engine logs through it)

        import numpy as np
        import schedula as sh
        from formulas import Parser
        from formulas.ranges import Ranges
        from formulas.tokens.operand import XlError

        logging.getLogger("schedula").setLevel(logging.CRITICAL)  # a failed function is our Uncomputable
        try:
            func = Parser().ast(text if text.startswith("=") else f"={text}")[1].compile()
        except Exception as exc:  # the parser raises FormulaError and others
            raise Uncomputable(f"cannot parse {text}: {exc}") from exc
        args = []
        for ref in func.inputs:
            try:
                rng = Ranges.get_range(ref, context={"sheet": sheet})
            except Exception as exc:  # a defined name, a structured reference
                raise Uncomputable(f"cannot resolve {ref}") from exc
            if rng.get("excel") or "sheet" not in rng or "n1" not in rng:
                raise Uncomputable(f"outside the workbook: {ref}")
            r1, r2, c1, c2 = int(rng["r1"]), int(rng["r2"]), int(rng["n1"]), int(rng["n2"])
            rows = self._rows(rng["sheet"])
            r1, c1 = max(r1, 1), max(c1, 1)  # a whole row or column starts at 0
            r2 = min(r2, max(len(rows), r1))  # a whole column: its used part
            c2 = min(c2, max(max((len(r) for r in rows), default=0), c1))  # a whole row: likewise
            grid = np.empty((r2 - r1 + 1, c2 - c1 + 1), dtype=object)
            for i, r in enumerate(range(r1, r2 + 1)):
                for j, c in enumerate(range(c1, c2 + 1)):
                    grid[i, j] = _operand(self.cell(rng["sheet"], r, c), sh.EMPTY, ref)
            if grid.shape == (1, 1):
                args.append(grid[0, 0])
            else:
                quoted = rng["sheet"].replace("'", "''")
                part = f"'{quoted}'!{col_letter(c1)}{r1}:{col_letter(c2)}{r2}"
                args.append(Ranges().push(part, value=grid))
        try:
            result = func(*args)
        except Exception as exc:  # an unknown function: the engine raises through schedula
            raise Uncomputable(f"cannot evaluate {text}: {exc}") from exc
        return _shown(result, XlError, sh.EMPTY, text)


def _operand(value: Any, empty: Any, ref: str) -> Any:
    """A referenced cell as the engine's operand. Text that reads as a number, and TRUE/FALSE, are where
    the engine and Excel part ways (Excel's SUM skips them in a reference, the engine counts them):
    such a formula is not evaluated here rather than perhaps evaluated wrong."""
    if value is None:
        return empty
    if isinstance(value, bool):
        raise Uncomputable(f"{ref} holds TRUE/FALSE")
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return value
        raise Uncomputable(f"{ref} holds a number as text")
    return value


def _shown(result: Any, error_type: type, empty: Any, text: str) -> Any:
    """The engine's result as openpyxl would read the saved result: number, text, bool, "#DIV/0!"."""
    import numpy as np

    if isinstance(result, np.ndarray):
        if result.size != 1:
            raise Uncomputable(f"{text} gives a range, not one value")
        result = result.reshape(-1)[0]
    if result is empty:
        return 0  # a formula pointing at an empty cell shows 0
    if isinstance(result, error_type):
        if str(result) == "#NAME?":  # a function or name the engine does not know
            raise Uncomputable(f"{text}: #NAME?")
        return str(result)
    if isinstance(result, np.generic):
        result = result.item()
    if isinstance(result, float):
        if not math.isfinite(result):
            return "#NUM!"
        # Excel computes to 15 significant digits: 0.1+0.2 shows (and sums) as 0.3
        result = float(f"{result:.15g}")
        return int(result) if result.is_integer() and abs(result) < 2**53 else result
    return result
