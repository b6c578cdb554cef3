# The few commands people run. Each installs what it needs first.
.PHONY: report test lint workbook setup

OUT ?= out

# The main job on the embedded default: the seed unit's workbook → its Word report (and PDF).
report:
	@scripts/setup.sh --system
	@mkdir -p $(OUT)
	.venv/bin/xlbudget report workbook/Budget2023.xlsm -o $(OUT)/大同市信访局2023年单位预算公开报告.docx --pdf

# Every test, with the real engines (LibreOffice) installed.
test:
	@scripts/setup.sh --system
	.venv/bin/ruff check .
	.venv/bin/python -m pytest -q

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# Rebuild the committed workbook from the seed fixture.
workbook:
	@scripts/setup.sh
	.venv/bin/xlbudget new --from ../shared/fixtures/datong-xinfang-2023.json -o workbook/Budget2023.xlsm

setup:
	@scripts/setup.sh --system
