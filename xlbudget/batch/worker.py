"""Check one unit's file: what ``xlbudget check`` does, with every failure turned into findings.

:func:`process_unit` is plain and in-process (tests call it directly);
:func:`worker_main` is the loop of a worker process: it limits its own memory,
then takes tasks from its pipe until told to stop.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlbudget.batch.files import os_error_text, probe, readable
from xlbudget.batch.result import (
    CLEAN,
    CRASHED,
    ERRORS,
    MEMORY,
    RULE_CRASHED,
    RULE_FILE,
    RULE_FILE_NAME,
    RULE_MEMORY,
    RULE_REPORT,
    RULE_TABLES_UNREADABLE,
    RULE_UNREADABLE,
    UNREADABLE,
    FindingRow,
    UnitResult,
)
from xlbudget.errors import InputError

if TYPE_CHECKING:
    from xlbudget.check.findings import Finding

MAX_PROBLEMS = 200  # an unreadable file lists at most this many of its problems


@dataclass(frozen=True)
class Task:
    index: int
    path: str  # absolute, as the file system spells it (a non-UTF-8 name keeps its bytes as surrogates)
    file: str  # relative to the folder checked, readable (see :func:`~xlbudget.batch.files.readable_name`)
    outdir: str
    report: bool = False
    force: bool = False  # a report even while the check finds errors (as ``report --force``)
    skip: frozenset[str] = frozenset()
    name_not_utf8: bool = False  # the relative path's bytes are not UTF-8 (``file`` shows them decoded)
    stamp: tuple[int, int] | None = None  # (mtime_ns, size) of the file when the task was made


class NotAFile(Exception):
    """The path is no readable file (a looping or dangling link, a FIFO, a device, empty, no
    permission): the message says which."""


def _problem_rows(exc: InputError, file: str, rule: str = RULE_UNREADABLE) -> list[FindingRow]:
    rows: list[FindingRow] = [
        (rule, "error", None, p.location or file, p.message, None, None, "")
        for p in exc.problems[:MAX_PROBLEMS]
    ]
    if len(exc.problems) > MAX_PROBLEMS:
        rows.append(
            (
                rule,
                "error",
                None,
                file,
                f"另有 {len(exc.problems) - MAX_PROBLEMS} 处问题未列出",
                None,
                None,
                "",
            )
        )
    return rows or [(rule, "error", None, file, "无法读取", None, None, "")]


def _wan(yuan: Decimal) -> str:
    from xlbudget.money import fmt_wan

    return fmt_wan(yuan)


def _totals(tables: Any) -> dict[str, str]:
    """收入总计, 支出总计 (收支总表), 基本支出, 项目支出 (支出总表 合计), 三公经费 (“三公”经费表 合计), in 万元;
    tables by role and columns by id, a figure the tables do not print left out."""
    out: dict[str, str] = {}
    try:
        t1 = tables.by_role("balance")
        if t1 is not None:
            for label in ("收入总计", "支出总计"):
                values = t1.totals.get(label, ())
                col = 0 if label == "收入总计" else t1.column("total")
                if col is not None and col < len(values):
                    out[label] = _wan(values[col])
        t3 = tables.by_role("expenditure")
        total3 = t3.row("合计") if t3 is not None else None
        if t3 is not None and total3 is not None:
            for label, column_id in (("基本支出", "basic"), ("项目支出", "project")):
                col = t3.column(column_id)
                if col is not None and col < len(total3.values):
                    out[label] = _wan(total3.values[col])
        t10 = tables.by_role("three_public") or tables.by_role("three_public_operating")
        total10 = (
            (t10.row("合计") or (t10.rows[0] if len(t10.rows) == 1 else None)) if t10 is not None else None
        )
        col = t10.column("total") if t10 is not None else None
        if total10 is not None and col is not None and col < len(total10.values):
            out["三公经费"] = _wan(total10.values[col])
    except (KeyError, IndexError, ArithmeticError, AttributeError):
        pass
    return out


def _safe_name(text: str, limit: int = 60) -> str:
    keep = "".join(c if c.isalnum() or c in "-_（）()" else "_" for c in text)
    return keep.strip("_")[:limit] or "unit"


def _check(task: Task, result: UnitResult) -> None:
    from xlbudget.check import CheckSettings, check_budget, check_tables
    from xlbudget.io.load import WORKBOOK_SUFFIXES, is_document, is_tables_json
    from xlbudget.tables import build_tables

    path = Path(task.path)
    settings = CheckSettings(skip=task.skip)
    why = probe(task.path)
    if why is not None:
        raise NotAFile(why)
    budget = None
    shown = None  # tables as printed in the workbook
    extra: list[FindingRow] = []
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        from xlbudget.workbook import layout as L
        from xlbudget.workbook.reader import budget_from_values, open_values, tables_from_values

        # opened and read once, only the sheets the reader looks at, for both the inputs and the tables
        values = open_values(path, (*L.INPUT_SHEETS, *L.TABLE_SHEETS))
        budget = budget_from_values(values)
        try:
            shown = tables_from_values(values)
        except InputError as exc:  # the input sheets are fine, the printed tables are not
            extra = _problem_rows(exc, task.file, RULE_TABLES_UNREADABLE)
    elif is_document(path):
        from xlbudget.document import read_document
        from xlbudget.document.checking import check_document

        doc = read_document(path)
        result.unit, result.year = doc.unit, doc.year or None
        result.totals = _totals(doc.tables)
        result.findings = [_row(f) for f in check_document(doc, settings)]
        return
    elif is_tables_json(path):
        from xlbudget.io import strict_json
        from xlbudget.io.tables_json import tables_from_dict

        shown = tables_from_dict(strict_json.load_file(path, "报表 JSON"), task.file)
        findings = check_tables(shown, settings)
        result.unit, result.year = shown.unit, shown.year or None
        result.totals = _totals(shown)
        result.findings = [_row(f) for f in findings]
        return
    else:
        from xlbudget.io.unit_json import read_unit_json

        budget = read_unit_json(path)
    result.unit, result.year = budget.unit.name, budget.year or None
    result.code, result.budget = budget.unit.code, True
    derived = build_tables(budget)  # once: the totals, the checks and the report
    result.totals = _totals(derived)
    # as ``xlbudget report``, every rule counts for refusing a report, --skip or not: run them all,
    # then leave out the skipped ones from what is shown
    every = check_budget(budget, shown, CheckSettings() if task.report else settings, derived=derived)
    result.findings = extra + [_row(f) for f in every if f.rule not in task.skip]
    if task.report:
        errors = sum(f[1] == "error" for f in extra) + sum(f.severity == "error" for f in every)
        if errors and not task.force:  # as ``xlbudget report``: no report from wrong figures
            result.report_refused = f"未生成：{errors} 项错误"
        else:
            _report(task, result, budget, derived)


def _readable_row(f: FindingRow) -> FindingRow:
    """Every text of a finding encodable (a reader may quote a non-UTF-8 path or a lone surrogate)."""
    rule, severity, table, location, message, expected, actual, quote = f
    return (
        rule,
        severity,
        table,
        readable(str(location)),
        readable(str(message)),
        None if expected is None else readable(str(expected)),
        None if actual is None else readable(str(actual)),
        readable(str(quote)),
    )


def _row(f: Finding) -> FindingRow:
    """A finding as a row; a PDF's page leads its location ("第9页 · 表3 「71102 事业单位医疗」 合计"),
    what a document prints there is quoted."""
    return (f.rule, f.severity, f.table, f.location.text(), f.message, f.expected, f.actual, f.quote)


def _report(task: Task, result: UnitResult, budget: Any, tables: Any) -> None:
    from xlbudget.report import write_report

    name = f"{task.index:04d}_{_safe_name(budget.unit.name or Path(task.file).stem)}.docx"
    rel = Path("reports") / name
    try:
        write_report(budget, Path(task.outdir) / rel, tables=tables)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - the check stands; the report is one more finding
        result.findings.append(
            (
                RULE_REPORT,
                "error",
                None,
                task.file,
                f"报告未能生成：{type(exc).__name__}: {exc}",
                None,
                None,
                "",
            )
        )
        return
    result.report = rel.as_posix()


def process_unit(task: Task) -> UnitResult:
    """Check one file; never raises for anything the file can do."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result = UnitResult(index=task.index, file=task.file)
    try:
        _check(task, result)
    except NotAFile as exc:
        result.status = UNREADABLE
        result.findings = [(RULE_FILE, "error", None, task.file, str(exc), None, None, "")]
    except InputError as exc:
        result.status = UNREADABLE
        result.findings = _problem_rows(exc, task.file)
    except OSError as exc:  # the file went away, lost its permission or could not be read mid-way
        result.status = UNREADABLE
        result.findings = [
            (RULE_FILE, "error", None, task.file, f"读取文件时出错：{os_error_text(exc)}", None, None, "")
        ]
    except MemoryError:
        result.status = MEMORY
        result.findings = [
            (RULE_MEMORY, "error", None, task.file, "处理该文件超过内存上限，已停止", None, None, "")
        ]
    except RecursionError:
        result.status = UNREADABLE
        result.findings = [
            (RULE_UNREADABLE, "error", None, task.file, "文件结构嵌套过深，无法读取", None, None, "")
        ]
    except Exception as exc:  # noqa: BLE001 - one unit's failure is that unit's finding
        result.status = CRASHED
        result.findings = [
            (
                RULE_CRASHED,
                "error",
                None,
                task.file,
                f"处理时出错（{type(exc).__name__}: {str(exc)[:300]}），请把这条信息发给维护人员",
                None,
                None,
                "",
            )
        ]
    else:
        result.status = ERRORS if any(f[1] == "error" for f in result.findings) else CLEAN
    if task.name_not_utf8:
        result.findings.insert(
            0,
            (
                RULE_FILE_NAME,
                "warning",
                None,
                task.file,
                "文件名不是 UTF-8 编码（常见于 Windows 上制作、在别处解压的压缩包），"
                "已按 GBK 解读显示（解读不了的字节显示为 \\xNN）；建议把文件改为这个名称",
                None,
                None,
                "",
            ),
        )
    result.unit = readable(result.unit)
    result.findings = [_readable_row(f) for f in result.findings]
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu_started
    return result


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space (``RLIMIT_AS``); a file that needs more gets MemoryError."""
    if megabytes <= 0:
        return
    try:
        import resource
    except ImportError:  # Windows has no RLIMIT_AS: no cap there (batch -h says so)
        return

    limit = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def warm_up() -> None:
    """Import what every task needs, once per worker (or once in the forkserver)."""
    import openpyxl  # noqa: F401

    import xlbudget.check  # noqa: F401
    import xlbudget.document.checking  # noqa: F401
    import xlbudget.io.unit_json  # noqa: F401
    import xlbudget.safety  # noqa: F401
    import xlbudget.tables  # noqa: F401
    import xlbudget.workbook.reader  # noqa: F401
    from xlbudget.catalogue import load_catalogue

    try:
        load_catalogue(2023)
    except Exception:  # noqa: BLE001 - warming only
        pass


def worker_main(conn: Any, memory_mb: int) -> None:
    """A worker process: limit memory, then answer tasks until ``None`` or the pipe closes."""
    limit_memory(memory_mb)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = process_unit(task)
        try:
            conn.send(result)
        except MemoryError:
            return
        except (BrokenPipeError, OSError):
            return
        if result.status == MEMORY:
            return  # a process that ran out of memory is not trusted with the next file


__all__ = ["Task", "process_unit", "worker_main", "limit_memory", "warm_up", "RULE_CRASHED"]
