"""The finance bureau's view: check (and report) every unit under a folder, in parallel, safely.

    from xlbudget.batch import BatchOptions, run_batch
    results = run_batch(Path("收件箱"), Path("out"), BatchOptions(jobs=2))

- :mod:`~xlbudget.batch.discover` finds the workbooks and unit JSONs under a folder;
- :mod:`~xlbudget.batch.worker` checks one file (``process_unit``): the same reading
  and checking as ``xlbudget check``, with every failure turned into findings;
- :mod:`~xlbudget.batch.pool` runs the workers: separate processes, each under a
  memory limit (``RLIMIT_AS``) and a per-file time limit (killed and replaced when
  over it), so a hostile file costs only its own slot;
- :mod:`~xlbudget.batch.summary` writes the summary workbook, the combined findings
  CSV and one findings CSV per unit.
"""

from xlbudget.batch.discover import find_inputs
from xlbudget.batch.pool import BatchOptions, run_batch
from xlbudget.batch.result import UnitResult

__all__ = ["BatchOptions", "UnitResult", "find_inputs", "run_batch"]
