"""Shared test fixtures: the seed unit from ../shared, and small units written inline."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_JSON = SHARED / "fixtures" / "datong-xinfang-2023.json"
GOLDEN_TABLES = SHARED / "golden" / "datong-xinfang-2023.tables.json"


# ``make test-fast`` sets XLBUDGET_TEST_FAST=1: property tests then try a tenth of their examples (the same
# first ones, derandomised), so the pure tests run in seconds while working; ``make test`` tries them all.
FAST = os.environ.get("XLBUDGET_TEST_FAST") == "1"


def examples(n: int) -> int:
    """How many examples a property test tries: ``n``, or a tenth of it (at least 10) under test-fast."""
    return max(10, n // 10) if FAST else n


# Property tests are derandomised: the same examples on every run and every machine, so a red CI run is
# reproducible; no deadline, as timing depends on the machine's load (tests never time things).
settings.register_profile("xlbudget", derandomize=True, deadline=None)
settings.load_profile("xlbudget")


def pytest_configure(config: pytest.Config) -> None:
    if not SEED_JSON.exists():
        raise pytest.UsageError(f"../shared is missing: {SEED_JSON} not found (tests need the seed)")


# Modules whose tests run LibreOffice, poppler, subprocesses or whole workbooks (seconds each): marked
# ``slow``; ``make test-fast`` (pytest -m "not slow") runs the rest, the pure tests, in seconds.
SLOW_MODULES = {
    "test_batch",
    "test_batch_console",
    "test_batch_duplicates",
    "test_check_stale",
    "test_fill_restore",
    "test_rollover_prior_button",
    "test_batch_files",
    "test_buttons",
    "test_check_cli",
    "test_cli_output",
    "test_cli_usage",
    "test_duplicate_rows",
    "test_fill",
    "test_fuzz_readers",
    "test_one_build",
    "test_input_formulas",
    "test_input_text",
    "test_real_transcriptions",
    "test_report_charts",
    "test_report_pdf",
    "test_report_seed",
    "test_report_shanghai_docx",
    "test_report_template",
    "test_report_valid",
    "test_rollover_workbook",
    "test_workbook_function_notes",
    "test_income_kind_workbook",
    "test_report_gate",
    "test_safety",
    "test_setup",
    "test_vba",
    "test_workbook_build",
    "test_workbook_look",
    "test_workbook_lo",
    "test_workbook_print",
    "test_workbook_reader",
    "test_xlwings_remote",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def seed_dict() -> dict[str, Any]:
    return json.loads(SEED_JSON.read_text("utf-8"))


@pytest.fixture
def seed_copy(seed_dict: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of the seed unit to plant errors in."""
    return copy.deepcopy(seed_dict)


@pytest.fixture(scope="session")
def golden_tables() -> dict[str, Any]:
    return json.loads(GOLDEN_TABLES.read_text("utf-8"))


def unit_dict(**overrides: Any) -> dict[str, Any]:
    """A minimal valid unit-budget document; tests add the lines they need."""
    doc: dict[str, Any] = {
        "schema": "xlbudget/unit-budget/1",
        "year": 2023,
        "amount_unit": "元",
        "unit": {
            "name": "测试单位",
            "code": "999",
            "level": "市级",
            "region": "大同市",
            "kind": "administrative",
        },
        "basic": [],
        "projects": [],
        "three_public": [],
    }
    doc.update(overrides)
    return doc
