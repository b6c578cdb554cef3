# The few commands people run. Each installs what it needs first.
.PHONY: help report test test-fast lint workbook wheel setup

DIST ?= dist

OUT ?= out

# What each target does (the comment above it).
help:
	@awk '/^$$/{c=""} /^# /{if (!c) c=substr($$0,3)} /^[a-z-]+:/{sub(":.*","",$$1); if (c) printf "  make %-10s %s\n", $$1, c; c=""}' Makefile

# The main job on the embedded default: the seed unit's workbook → its Word report (and PDF).
report:
	@scripts/setup.sh --system
	@mkdir -p $(OUT)
	.venv/bin/xlbudget report workbook/Budget2023.xlsm -o $(OUT)/大同市信访局2023年单位预算公开报告.docx --pdf

# Every test, with the real engines (LibreOffice) installed; types checked.
test:
	@scripts/setup.sh --system
	.venv/bin/ruff check .
	.venv/bin/mypy xlbudget
	.venv/bin/python -m pytest -q

# The pure tests, in seconds: everything but LibreOffice, subprocesses and whole builds (marked slow);
# property tests try a tenth of their examples (tests/conftest.py: examples).
test-fast:
	@scripts/setup.sh
	XLBUDGET_TEST_FAST=1 .venv/bin/python -m pytest -q -m "not slow"

# Style only: ruff's checks and formatting.
lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# Rebuild the committed workbook from the seed fixture.
workbook:
	@scripts/setup.sh
	.venv/bin/xlbudget new --from ../shared/fixtures/datong-xinfang-2023.json -o workbook/Budget2023.xlsm

# The installable package: $(DIST)/xlbudget-VERSION-py3-none-any.whl (pip install that file).
wheel:
	@scripts/setup.sh
	.venv/bin/python -m pip wheel -q --no-deps --no-build-isolation -w $(DIST) .

# Install what everything needs (.venv, LibreOffice, fonts, poppler, the validators).
setup:
	@scripts/setup.sh --system
