"""``xlbudget batch``: a folder of good, broken and hostile files — each reported, none stopping the others."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED_JSON, unit_dict
from tests.generate import generated_unit, hostile_files
from tests.helpers.lo import sheet_as_csv
from xlbudget.batch import BatchOptions, run_batch
from xlbudget.batch.result import CLEAN, ERRORS, MEMORY, TIMEOUT, UNREADABLE
from xlbudget.batch.summary import FINDINGS_FILE, SUMMARY_FILE

ROOT = Path(__file__).resolve().parents[1]
SEED_WORKBOOK = ROOT / "workbook" / "Budget2023.xlsm"
HOSTILE = (
    "empty.xlsm",
    "pdf_renamed.xlsm",
    "docx_renamed.xlsm",
    "truncated.xlsm",
    "xxe_workbook.xlsm",
    "laughs_strings.xlsm",
    "zip_bomb.xlsm",
    "broken.json",
)
FORMULA_NAME = '=HYPERLINK("http://example.invalid/","点我")'


def _write_json(path: Path, doc: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def _with_errors() -> dict[str, Any]:
    """A generated unit whose checks find errors: 表10 ≠ what 基本支出 shows, and a 10^10 元 line."""
    unit = generated_unit(20, 3, seed=9)
    unit["three_public"][1]["amount"] = 10**9
    unit["basic"].append(
        {"function": "2010301", "economic": "30217", "fund": "general", "amount": 10**10, "carryover": False}
    )
    return unit


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """A folder as a finance bureau receives it, run once through the command line."""
    inbox = tmp_path_factory.mktemp("inbox")
    expect: dict[str, str] = {}
    shutil.copy(SEED_WORKBOOK, inbox / "大同市信访局.xlsm")
    expect["大同市信访局.xlsm"] = CLEAN
    shutil.copy(SEED_JSON, inbox / "县" / "seed.json") if (inbox / "县").mkdir() is None else None
    expect["县/seed.json"] = CLEAN
    _write_json(inbox / "县" / "乡" / "generated.json", generated_unit(80, 10, seed=7))
    expect["县/乡/generated.json"] = CLEAN
    hostile_name = generated_unit(20, 3, seed=8, name=FORMULA_NAME)
    _write_json(inbox / "formula_name.json", hostile_name)
    expect["formula_name.json"] = CLEAN
    _write_json(inbox / "has_errors.json", _with_errors())
    expect["has_errors.json"] = ERRORS
    bad_amount = unit_dict(
        basic=[{"function": "2010301", "economic": "30101", "fund": "general", "amount": "12,3x"}]
    )
    _write_json(inbox / "bad_amount.json", bad_amount)
    expect["bad_amount.json"] = UNREADABLE
    files = hostile_files(tmp_path_factory.mktemp("hostile"), SEED_WORKBOOK)
    for name in HOSTILE:
        shutil.copy(files[name], inbox / "hostile" / name) if (inbox / "hostile").exists() else (
            (inbox / "hostile").mkdir(),
            shutil.copy(files[name], inbox / "hostile" / name),
        )
        expect[f"hostile/{name}"] = UNREADABLE
    (inbox / "~$大同市信访局.xlsm").write_bytes(b"lock")  # Excel's owner file: not an input
    shutil.copy(SEED_WORKBOOK, inbox / "大同市信访局.bak.xlsm")  # xlbudget fill's backup: not an input
    out = tmp_path_factory.mktemp("out")
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "xlbudget", "batch", str(inbox), "-o", str(out), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    seconds = time.monotonic() - started
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert seconds < 120
    return inbox, out, expect


def _summary_rows(out: Path) -> list[dict[str, object]]:
    import openpyxl

    wb = openpyxl.load_workbook(out / SUMMARY_FILE)
    ws = wb["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    return [dict(zip(head, r, strict=True)) for r in rows[1:]]


def test_batch_reports_every_file_with_its_status(mixed: tuple[Path, Path, dict[str, str]]) -> None:
    from xlbudget.batch.result import STATUS_NAMES

    _, out, expect = mixed
    rows = _summary_rows(out)
    got = {r["文件"]: r["状态"] for r in rows}
    assert got == {f: STATUS_NAMES[s] for f, s in expect.items()}


def test_batch_summary_has_totals_counts_and_links(mixed: tuple[Path, Path, dict[str, str]]) -> None:
    import openpyxl

    _, out, _ = mixed
    seed = next(r for r in _summary_rows(out) if r["文件"] == "大同市信访局.xlsm")
    assert seed["单位名称"] == "大同市信访局"
    assert seed["年度"] == 2023
    assert seed["收入总计（万元）"] == pytest.approx(916.53)
    assert seed["支出总计（万元）"] == pytest.approx(916.53)
    assert seed["错误"] == 0
    ws = openpyxl.load_workbook(out / SUMMARY_FILE)["汇总"]
    links = [c.hyperlink.target for c in ws[openpyxl.utils.get_column_letter(14)][1:] if c.hyperlink]
    assert len(links) == ws.max_row - 1
    for link in links:
        assert (out / link.replace("\\", "/")).exists(), link


def test_batch_summary_keeps_formula_like_names_as_text(mixed: tuple[Path, Path, dict[str, str]]) -> None:
    import openpyxl

    _, out, _ = mixed
    ws = openpyxl.load_workbook(out / SUMMARY_FILE)["汇总"]
    cell = next(c for c in ws["C"] if c.value == FORMULA_NAME)
    assert cell.data_type == "s"  # a string, never a formula


def test_batch_findings_csv_opens_in_excel_and_is_neutralised(
    mixed: tuple[Path, Path, dict[str, str]],
) -> None:
    _, out, expect = mixed
    raw = (out / FINDINGS_FILE).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:4] == ["文件序号", "问题序号", "文件", "单位"]
    files = {r[2] for r in rows[1:]}
    assert {f for f, s in expect.items() if s != CLEAN} <= files
    for r in rows:
        for cell in r:
            assert not cell.startswith(("=", "+", "-", "@", "＝", "＋", "－", "＠")), cell
    assert any(cell == "'" + FORMULA_NAME for r in rows for cell in r)


def test_batch_hostile_files_say_why(mixed: tuple[Path, Path, dict[str, str]]) -> None:
    _, out, _ = mixed
    text = (out / FINDINGS_FILE).read_text("utf-8-sig")
    assert "压缩炸弹" in text
    assert "DOCTYPE" in text
    assert "PDF" in text
    assert "Word" in text


def test_batch_summary_opens_in_libreoffice(mixed: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    _, out, _ = mixed
    assert "大同市信访局" in sheet_as_csv(out / SUMMARY_FILE, tmp_path)


def test_batch_clean_folder_exits_0(tmp_path: Path) -> None:
    from xlbudget.cli import main

    inbox = tmp_path / "in"
    for i in range(3):
        _write_json(inbox / f"u{i}.json", generated_unit(30, 4, seed=i))
    assert main(["batch", str(inbox), "-o", str(tmp_path / "out"), "--jobs", "1", "--quiet"]) == 0
    assert (tmp_path / "out" / SUMMARY_FILE).exists()


def test_batch_empty_or_missing_folder_exits_2(tmp_path: Path) -> None:
    from xlbudget.cli import main

    (tmp_path / "empty").mkdir()
    assert main(["batch", str(tmp_path / "empty"), "-o", str(tmp_path / "out"), "--quiet"]) == 2
    assert main(["batch", str(tmp_path / "nope"), "-o", str(tmp_path / "out"), "--quiet"]) == 2


def test_batch_slow_file_is_killed_and_the_others_carry_on(tmp_path: Path) -> None:
    """One file over the time limit is stopped; the small ones, queued behind it, still finish."""
    inbox = tmp_path / "in"
    _write_json(inbox / "a_slow.json", generated_unit(60_000, 2_000, seed=1))
    for i in range(6):
        _write_json(inbox / f"b_small{i}.json", generated_unit(20, 3, seed=10 + i))
    started = time.monotonic()
    results = run_batch(inbox, tmp_path / "out", BatchOptions(jobs=2, timeout=1.0))
    seconds = time.monotonic() - started
    status = {r.file: r.status for r in results}
    assert status["a_slow.json"] == TIMEOUT
    assert all(status[f"b_small{i}.json"] == CLEAN for i in range(6))
    assert seconds < 15


def _worker_baseline_mb() -> int:
    """Address space of a worker once it has imported what it needs (about 175 MB today)."""
    code = (
        "import xlbudget.batch.worker as w; w.warm_up(); "
        "print(next(l for l in open('/proc/self/status') if l.startswith('VmSize')).split()[1])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return int(out.stdout.strip()) // 1024


def test_batch_memory_limit_stops_one_file(tmp_path: Path) -> None:
    """A worker over its address-space limit loses that file only (MemoryError → 内存超限)."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    # 45 MB of JSON (under the reader's 50 MB cap): bytes, text and parsed string need ~140 MB
    (inbox / "a_huge.json").write_text(json.dumps(unit_dict(overview={"duties_intro": "x" * 45_000_000})))
    for i in range(3):
        _write_json(inbox / f"b_small{i}.json", generated_unit(20, 3, seed=20 + i))
    results = run_batch(
        inbox, tmp_path / "out", BatchOptions(jobs=2, memory_mb=_worker_baseline_mb() + 75, timeout=60)
    )
    status = {r.file: r.status for r in results}
    assert status["a_huge.json"] in (MEMORY, UNREADABLE), results[0].findings
    assert all(status[f"b_small{i}.json"] == CLEAN for i in range(3)), status


def test_progress_line_on_a_log(tmp_path: Path) -> None:
    import io

    from xlbudget.batch.progress import Progress
    from xlbudget.batch.result import UnitResult

    stream = io.StringIO()
    p = Progress(stream=stream)
    p.start(40)
    for i in range(40):
        p.done(UnitResult(index=i + 1, file=f"u{i}.json"))
    p.finish()
    lines = stream.getvalue().splitlines()
    # a log is no terminal: no bar per step, a line at the start and one at the end (the run is short)
    assert lines[0] == "批量校验：本次检查 40 个文件……"
    assert len(lines) == 2, lines
    assert lines[-1].startswith("批量校验完成：40/40 个文件") and "█" not in lines[-1]
    assert os.linesep not in lines[-1]


def test_batch_with_reports(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SEED_JSON, inbox / "seed.json")
    (inbox / "broken.json").write_text("{", "utf-8")
    results = run_batch(inbox, tmp_path / "out", BatchOptions(jobs=2, report=True))
    by_file = {r.file: r for r in results}
    assert by_file["seed.json"].report == "reports/0002_大同市信访局.docx"
    assert (tmp_path / "out" / by_file["seed.json"].report).stat().st_size > 10_000
    assert by_file["broken.json"].report == ""


def test_batch_reports_refuse_units_with_errors_unless_forced(tmp_path: Path, capsys) -> None:
    """As ``xlbudget report`` (issue 11 item 4): a unit whose check finds errors gets no report; the summary's
    报告 column and the command's output say which unit and how many errors; ``--force`` writes it all the same."""
    import openpyxl

    from xlbudget.cli import main

    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SEED_JSON, inbox / "seed.json")
    _write_json(inbox / "has_errors.json", _with_errors())
    out = tmp_path / "out"
    assert main(["batch", str(inbox), "-o", str(out), "--report", "--jobs", "1", "-q"]) == 1
    said = capsys.readouterr().out
    results = {r.file: r for r in run_batch(inbox, tmp_path / "again", BatchOptions(jobs=1, report=True))}
    wrong = results["has_errors.json"]
    assert wrong.status == ERRORS and wrong.errors > 0
    assert (wrong.report, wrong.report_refused) == ("", f"未生成：{wrong.errors} 项错误")
    assert results["seed.json"].report and not results["seed.json"].report_refused
    assert sorted(p.name for p in (out / "reports").iterdir()) == ["0002_大同市信访局.docx"]
    assert "未生成报告的单位 1 个" in said and "加 --force" in said
    assert f"has_errors.json（{wrong.unit}）：未生成：{wrong.errors} 项错误" in said
    rows = list(openpyxl.load_workbook(out / SUMMARY_FILE)["汇总"].iter_rows(values_only=True))
    reports = {r[1]: r[rows[0].index("报告")] for r in rows[1:]}
    assert reports == {"has_errors.json": f"未生成：{wrong.errors} 项错误", "seed.json": "报告"}

    forced = tmp_path / "forced"
    assert main(["batch", str(inbox), "-o", str(forced), "--report", "--force", "--jobs", "1", "-q"]) == 1
    assert "未生成报告" not in capsys.readouterr().out
    assert len(list((forced / "reports").iterdir())) == 2
    # --force alone is a mistake, said as such
    assert main(["batch", str(inbox), "-o", str(tmp_path / "x"), "--force"]) == 2
    assert "--force 只与 --report 同用" in capsys.readouterr().err


def _children(pid: int) -> list[int]:
    """Direct children of a process, from /proc."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            out.append(int(entry.name))
    return out


def test_batch_worker_killed_from_outside_is_replaced(tmp_path: Path) -> None:
    """A worker that dies mid-file (here: SIGKILL, as the kernel's OOM killer would send) costs that
    file only; a fresh worker takes the next ones."""
    import signal
    import threading

    inbox = tmp_path / "in"
    _write_json(inbox / "a_slow.json", generated_unit(60_000, 2_000, seed=3))
    for i in range(3):
        _write_json(inbox / f"b_small{i}.json", generated_unit(20, 3, seed=30 + i))
    killed: list[int] = []

    def kill_the_worker() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not killed:
            # our workers are the children of the forkserver, which is our child
            for server in _children(os.getpid()):
                cmdline = Path(f"/proc/{server}/cmdline").read_bytes()
                if b"forkserver" in cmdline:
                    for worker in _children(server):
                        os.kill(worker, signal.SIGKILL)
                        killed.append(worker)
            time.sleep(0.3)

    started: list[str] = []

    def on_start(task: object) -> None:
        started.append(task.file)  # type: ignore[attr-defined]
        if task.file == "a_slow.json":  # type: ignore[attr-defined]
            threading.Timer(1.0, kill_the_worker).start()

    from xlbudget.batch.pool import run_tasks
    from xlbudget.batch.worker import Task

    tasks = [
        Task(index=i, path=str(p), file=p.name, outdir=str(tmp_path / "out"))
        for i, p in enumerate(sorted(inbox.iterdir()), 1)
    ]
    results = {r.file: r for r in run_tasks(tasks, BatchOptions(jobs=1, timeout=60), on_start=on_start)}
    assert killed
    assert results["a_slow.json"].status == MEMORY  # signal 9: reported as a probable memory kill
    assert "信号 9" in results["a_slow.json"].findings[0][4]
    assert all(results[f"b_small{i}.json"].status == CLEAN for i in range(3))
