"""Each unit's result, kept in ``OUTDIR/results/`` as it arrives, so that ``--resume`` does not redo it.

A record is one small JSON file per input, named by a hash of the input's relative path (the name
itself may be anything, even bytes that are not UTF-8), written atomically the moment the worker's
result reaches the parent: a batch killed midway leaves whole records of every unit it finished.

A record stands for its file while the file is unchanged — same modification time and size as when
the record's check began, and the record written after that — and the batch asks the same (rules
skipped, reports).  Units whose check was lost (timeout, memory, crash) are done again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

from xlbudget import __version__
from xlbudget.batch.result import LOST, RULE_FILE, UnitResult
from xlbudget.batch.worker import Task
from xlbudget.io.atomic import write_bytes_atomic

RESULTS_DIR = "results"
FORMAT = 2  # 2: each finding quotes what a document prints (8 fields)


def stamp(path: str) -> tuple[int, int] | None:
    """(mtime_ns, size) of a regular file, following links; ``None`` for anything else."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_mtime_ns, st.st_size) if stat.S_ISREG(st.st_mode) else None


def record_path(outdir: Path, task: Task) -> Path:
    raw = os.fsencode(task.path)
    return Path(outdir) / RESULTS_DIR / f"{hashlib.sha256(raw).hexdigest()[:24]}.json"


def _options(task: Task) -> dict[str, Any]:
    return {"version": __version__, "skip": sorted(task.skip), "report": task.report, "force": task.force}


def save(outdir: Path, task: Task, result: UnitResult) -> None:
    """Keep ``result`` for a later ``--resume`` — not when the file had no stamp, the check was lost, or
    the file system stood in the way (cheap to ask again, and a permission put right changes no stamp)."""
    if task.stamp is None or result.status in LOST or any(f[0] == RULE_FILE for f in result.findings):
        return
    doc = {
        "format": FORMAT,
        "file": task.file,
        "stamp": list(task.stamp),
        "options": _options(task),
        "result": {
            "status": result.status,
            "unit": result.unit,
            "year": result.year,
            "code": result.code,
            "budget": result.budget,
            "totals": result.totals,
            "findings": [list(f) for f in result.findings],
            "seconds": result.seconds,
            "cpu_seconds": result.cpu_seconds,
            "report": result.report,
            "report_refused": result.report_refused,
        },
    }
    path = record_path(outdir, task)
    path.parent.mkdir(parents=True, exist_ok=True)
    # no fsync: a killed batch leaves each record whole or absent, and a record lost to a power cut only
    # means that unit is checked again — not worth a disk flush per unit while the workers wait.
    write_bytes_atomic(path, json.dumps(doc, ensure_ascii=False).encode("utf-8"), fsync=False)


def load(outdir: Path, task: Task) -> UnitResult | None:
    """The earlier result of ``task``'s file when it still stands for the file, else ``None``."""
    if task.stamp is None:
        return None
    path = record_path(outdir, task)
    try:
        written = path.stat().st_mtime_ns
        doc = json.loads(path.read_bytes())
        if (
            doc.get("format") != FORMAT
            or tuple(doc["stamp"]) != task.stamp
            or written < task.stamp[0]
            or doc["options"] != _options(task)
        ):
            return None
        r = doc["result"]
        if task.report and r["report"] and not (Path(outdir) / r["report"]).is_file():
            return None
        return UnitResult(
            index=task.index,
            file=task.file,
            status=str(r["status"]),
            unit=str(r["unit"]),
            year=r["year"],
            code=str(r.get("code", "")),
            budget=bool(r.get("budget", False)),
            totals={str(k): str(v) for k, v in r["totals"].items()},
            findings=[
                (f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7])  # type: ignore[misc]
                for f in r["findings"]
            ],
            seconds=float(r["seconds"]),
            cpu_seconds=float(r["cpu_seconds"]),
            report=str(r["report"]),
            report_refused=str(r.get("report_refused", "")),
            resumed=True,
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # no record, or one that is not ours: check the file again


def clear(outdir: Path) -> None:
    """A run without ``--resume`` starts from nothing: drop the records of an earlier run."""
    shutil.rmtree(Path(outdir) / RESULTS_DIR, ignore_errors=True)
