"""A large unit's lines stay small in memory (benchmark 1b: the report linear in its lines).

Every rule and table walks the lines; past a core's cache (2 MiB on the benchmark machine, about 5,000
lines as they were) each walk cost three times as much per line.  So a line keeps no dict of its own, and
the readers hand every line of a code or fund the one shared string (interned), not a copy of its own."""

from __future__ import annotations

import json
import sys

from tests.conftest import ROOT, SEED_JSON
from xlbudget.io.load import read_budget
from xlbudget.io.unit_json import read_unit_json


def shares_its_strings(lines) -> None:
    by_value: dict[str, int] = {}
    for line in lines:
        assert not hasattr(line, "__dict__"), type(line).__name__
        for value in (line.function, line.economic, line.fund):
            if value:
                assert by_value.setdefault(value, id(value)) == id(value), value
                assert sys.intern(value) is value


def test_lines_from_unit_json_share_their_codes_and_funds(tmp_path):
    seed = json.loads(SEED_JSON.read_text("utf-8"))
    repeated = tmp_path / "unit.json"
    seed["basic"] = seed["basic"] * 3  # the same codes, read from three places of the file
    repeated.write_text(json.dumps(seed, ensure_ascii=False), "utf-8")
    budget = read_unit_json(repeated)
    assert len(budget.basic) == 3 * len(json.loads(SEED_JSON.read_text("utf-8"))["basic"])
    shares_its_strings(budget.lines)


def test_lines_from_the_workbook_share_their_codes_and_funds():
    budget = read_budget(ROOT / "workbook" / "Budget2023.xlsm")
    assert len({line.function for line in budget.basic}) < len(budget.basic)  # codes repeat
    shares_its_strings(budget.lines)
