"""VBA sources of the workbook (package data, not Python): read by :mod:`xlbudget.workbook.build`."""
