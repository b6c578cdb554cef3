"""The macro-enabled workbook: layout (the contract), build (XlsxWriter), reader, ribbon.

* :mod:`~xlbudget.workbook.layout` — sheet names, input columns, where 表1…表13 sit, ``cell_of``.
* :mod:`~xlbudget.workbook.build` — ``build_workbook(budget) -> bytes`` / ``write_workbook(path, budget)``.
* :mod:`~xlbudget.workbook.reader` — ``read_workbook(path) -> UnitBudget``,
  ``read_workbook_tables(path) -> TableSet``.
* :mod:`~xlbudget.workbook.ribbon` — the 预算公开 tab, added to the zip after XlsxWriter.
"""
