"""Every command reads its input once and builds the tables once (issue 9, item 7).

Counted, not timed: ``build_tables`` builds each table of the profile with ``xlbudget.tables.build_table``,
so a counter around that function sees every build, from wherever ``build_tables`` is called; a counter
around openpyxl's package reader (``ExcelReader.read``: ``openpyxl.load_workbook`` and the reader's own
read of the values both go through it) sees every time a workbook's sheets are read.  Before, ``check`` of a
workbook read it twice and built the tables three times (the checks, then two rules building their own).
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl.reader.excel import ExcelReader

import xlbudget.io.unit_json
import xlbudget.tables
from tests.conftest import ROOT, SEED_JSON
from xlbudget.batch.result import CLEAN
from xlbudget.batch.worker import Task, process_unit
from xlbudget.cli import main
from xlbudget.workbook.book_openpyxl import FileBook
from xlbudget.workbook.buttons import run_button

WORKBOOK = ROOT / "workbook" / "Budget2023.xlsm"


class Counts:
    def __init__(self) -> None:
        self.tables: Counter[int] = Counter()  # table number → times built
        self.opened = 0  # openpyxl loads

    @property
    def builds(self) -> int:
        """How many times the table set was built (each table is built once per build)."""
        return max(self.tables.values(), default=0)


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counts]:
    seen = Counts()
    build_table = xlbudget.tables.build_table
    read = ExcelReader.read

    def counted_build(spec: Any, *args: Any, **kwargs: Any) -> Any:
        seen.tables[spec.number] += 1
        return build_table(spec, *args, **kwargs)

    def counted_read(reader: ExcelReader) -> Any:
        seen.opened += 1
        return read(reader)

    monkeypatch.setattr(xlbudget.tables, "build_table", counted_build)
    monkeypatch.setattr(ExcelReader, "read", counted_read)
    yield seen


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    copy = tmp_path / "单位.xlsm"
    shutil.copyfile(WORKBOOK, copy)
    return copy


def run(counts: Counts, action: Callable[[], Any]) -> tuple[int, int]:
    counts.tables.clear()
    counts.opened = 0
    action()
    return counts.builds, counts.opened


def test_the_counter_sees_every_build(counts: Counts) -> None:
    """The counter itself: two builds are counted as two, and every table of the profile is seen."""
    budget = xlbudget.io.unit_json.read_unit_json(SEED_JSON)
    assert run(counts, lambda: [xlbudget.tables.build_tables(budget) for _ in range(2)]) == (2, 0)
    assert sorted(counts.tables) == list(range(1, 14))


@pytest.mark.parametrize("source", ["json", "workbook"])
def test_check_export_report(counts: Counts, workbook: Path, tmp_path: Path, source: str) -> None:
    path = SEED_JSON if source == "json" else workbook
    opens = 0 if source == "json" else 1
    assert run(counts, lambda: main(["check", str(path)])) == (1, opens)
    assert run(counts, lambda: main(["export", str(path), "-o", str(tmp_path / "t.json")])) == (1, opens)
    out = tmp_path / "r.docx"
    assert run(counts, lambda: main(["report", str(path), "-o", str(out)])) == (1, opens)
    assert out.stat().st_size > 0


def test_fill(counts: Counts, workbook: Path) -> None:
    assert run(counts, lambda: main(["fill", str(workbook), "--no-backup"])) == (1, 1)


@pytest.mark.parametrize("report", [False, True])
@pytest.mark.parametrize("source", ["json", "workbook"])
def test_batch_worker(counts: Counts, workbook: Path, tmp_path: Path, source: str, report: bool) -> None:
    path = SEED_JSON if source == "json" else workbook
    task = Task(index=1, path=str(path), file=path.name, outdir=str(tmp_path / "out"), report=report)
    result: list[Any] = []
    assert run(counts, lambda: result.append(process_unit(task))) == (1, 0 if source == "json" else 1)
    assert result[0].status == CLEAN and bool(result[0].report) == report, result[0].findings


@pytest.mark.parametrize("button", ["calc", "check", "report"])
def test_buttons(counts: Counts, workbook: Path, button: str) -> None:
    book = FileBook(workbook)
    outcome: list[tuple[bool, str]] = []
    assert run(counts, lambda: outcome.append(run_button(button, book))) == (1, 1)
    assert outcome[0][0], outcome[0][1]


def test_openpyxl_without_numpy_and_formulas_still_evaluate() -> None:
    """Reading a workbook imports neither numpy nor Pillow (openpyxl would, ≈ 0.07 + 0.01 s, for nothing
    we use); the formula engine, which needs numpy, still imports and evaluates afterwards in the same
    process, and Pillow (the PDF reader's) still imports and opens a picture."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from xlbudget.io.load import read_budget_and_tables\n"
        f"budget, shown = read_budget_and_tables(Path({str(WORKBOOK)!r}))\n"
        "assert budget.basic and shown is not None\n"
        "print('numpy' in sys.modules, 'PIL' in sys.modules)\n"
        "from xlbudget.workbook.evaluate import Evaluator, Formula\n"
        "print(Evaluator({'S': [[2, 3, Formula('=A1*B1+1')]]}).cell('S', 1, 3))\n"
        "import io; from PIL import Image\n"
        "png = io.BytesIO(); Image.new('L', (3, 2)).save(png, 'PNG')\n"
        "print(Image.open(io.BytesIO(png.getvalue())).size)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "False", "7", "(3,", "2)"], out.stderr
