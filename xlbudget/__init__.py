"""xlbudget — 单位预算公开: budget lines in, the 13 tables, checks and the Word report out.

The pipeline, each stage pure, I/O only at the edges::

    read (unit JSON / workbook)  ->  UnitBudget (model)
    UnitBudget                   ->  TableSet   (tables, by a profile)
    UnitBudget + TableSet        ->  findings   (check)
    UnitBudget + TableSet        ->  narrative facts -> Word report (report)
"""

__version__ = "0.1.0"
