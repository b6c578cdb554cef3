"""``xlbudget batch`` on what a folder from the field really holds besides good files.

Links that loop or point nowhere, GBK names from a zip made on Windows, files nobody may read,
FIFOs, devices, sockets, empty files, folders that cannot be listed, links to folders: each is
one row of the summary with a Chinese reason, and the batch always finishes and writes it.
Also ``--resume`` after a real SIGKILL, and formula-looking text (ASCII and full-width) kept
inert in the CSVs and the summary workbook.

Root reads every file whatever its mode, so the batch runs under ``setpriv`` without the two
capabilities that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): ``chmod 000`` then means for
it what it means for a clerk's account.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import SEED_JSON, unit_dict
from tests.helpers.lo import sheet_as_csv
from xlbudget.batch.files import probe, readable, readable_name
from xlbudget.batch.resume import RESULTS_DIR
from xlbudget.batch.summary import FINDINGS_DIR, FINDINGS_FILE, SUMMARY_FILE

ROOT = Path(__file__).resolve().parents[1]
SEED_NAME = "大同市信访局"  # the seed unit; its 收入总计 is 916.53 万元 (../shared/golden)
GBK_NAME = "大同市信访局.json"  # written with its GBK bytes, as unzip leaves a Windows zip's names


def _as_a_clerk() -> list[str]:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, (
        "setpriv is needed to run the batch as root without DAC override: apt-get install util-linux"
    )
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def _batch(inbox: Path, out: Path, *extra: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [*_as_a_clerk(), sys.executable, "-m", "xlbudget", "batch", str(inbox), "-o", str(out), "-q", *extra],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def _summary(out: Path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(out / SUMMARY_FILE)["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _findings(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(raw.decode("utf-8-sig").splitlines()))[1:]


def _seed_named(name: str) -> bytes:
    doc = json.loads(SEED_JSON.read_text("utf-8"))
    doc["unit"]["name"] = name
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _small_unit(name: str, yuan: int) -> bytes:
    """One 基本支出 line of ``yuan`` (201 03 01 行政运行, 30101 基本工资, 一般公共预算): 基本支出 and
    支出总计 are that amount.  No 概况 text: the checker reports 2 errors (缺少单位职责, 机构设置)."""
    doc = unit_dict(basic=[{"function": "2010301", "economic": "30101", "fund": "general", "amount": yuan}])
    doc["unit"]["name"] = name
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _oddities(inbox: Path, elsewhere: Path, tag: str = "") -> dict[str, tuple[str, str]]:
    """One of each oddity (and two good files) in ``inbox``: {file as shown: (状态, words of its reason)}."""
    inbox.mkdir(parents=True, exist_ok=True)
    elsewhere.mkdir(parents=True, exist_ok=True)
    expect: dict[str, tuple[str, str]] = {}
    bad, skipped, clean = "无法读取", "未检查", "无错误"

    (inbox / f"loop{tag}.json").symlink_to(f"loop{tag}.json")
    expect[f"loop{tag}.json"] = (bad, "链接形成循环")
    (inbox / f"ping{tag}.xlsm").symlink_to(f"pong{tag}.xlsm")
    (inbox / f"pong{tag}.xlsm").symlink_to(f"ping{tag}.xlsm")
    expect[f"ping{tag}.xlsm"] = expect[f"pong{tag}.xlsm"] = (bad, "链接形成循环")
    (inbox / f"dangling{tag}.xlsm").symlink_to("已删除.xlsm")
    expect[f"dangling{tag}.xlsm"] = (bad, "链接指向的文件不存在：已删除.xlsm")
    (inbox / f"good_link{tag}.json").symlink_to(SEED_JSON)
    expect[f"good_link{tag}.json"] = (clean, "")

    gbk = f"{SEED_NAME}{tag}.json".encode("gbk")
    Path(os.fsdecode(os.path.join(os.fsencode(inbox), gbk))).write_bytes(SEED_JSON.read_bytes())
    expect[f"{SEED_NAME}{tag}.json"] = (clean, "文件名不是 UTF-8 编码")

    noperm = inbox / f"noperm{tag}.json"
    noperm.write_bytes(SEED_JSON.read_bytes())
    noperm.chmod(0)
    expect[noperm.name] = (bad, "没有读取该文件的权限")
    os.mkfifo(inbox / f"fifo{tag}.json")
    expect[f"fifo{tag}.json"] = (bad, "命名管道（FIFO）")
    (inbox / f"null{tag}.xlsm").symlink_to("/dev/null")
    (inbox / f"zero{tag}.json").symlink_to("/dev/zero")  # read, it never ends
    expect[f"null{tag}.xlsm"] = expect[f"zero{tag}.json"] = (bad, "设备文件")
    sock_path = inbox / f"socket{tag}.json"
    assert len(str(sock_path)) < 100, sock_path  # AF_UNIX paths are short
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    sock.close()
    expect[sock_path.name] = (bad, "套接字")
    (inbox / f"empty{tag}.json").write_bytes(b"")
    expect[f"empty{tag}.json"] = (bad, "文件是空的（0 字节）")

    locked = inbox / f"locked{tag}"
    locked.mkdir()
    (locked / "inside.json").write_bytes(SEED_JSON.read_bytes())
    locked.chmod(0)
    expect[f"locked{tag}/"] = (skipped, "无法打开这个文件夹")
    target = elsewhere / f"folder{tag}"
    target.mkdir()
    (target / "u.json").write_bytes(SEED_JSON.read_bytes())
    (inbox / f"linked{tag}").symlink_to(target, target_is_directory=True)
    expect[f"linked{tag}/"] = (skipped, "指向文件夹的链接")

    (inbox / f"seed{tag}.json").write_bytes(SEED_JSON.read_bytes())
    expect[f"seed{tag}.json"] = (clean, "")
    return expect


def _reasons(findings: list[list[str]], file: str) -> str:
    return " | ".join(r[9] for r in findings if r[2] == file)


def test_every_file_system_oddity_is_one_row_with_its_reason(tmp_path: Path) -> None:
    expect = _oddities(tmp_path / "in", tmp_path / "elsewhere")
    out = tmp_path / "out"
    proc = _batch(tmp_path / "in", out, "--jobs", "2", "--timeout", "60")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    rows = _summary(out)
    assert {r["文件"]: r["状态"] for r in rows} == {f: s for f, (s, _) in expect.items()}
    findings = _findings(out / FINDINGS_FILE)
    for file, (_, words) in expect.items():
        assert words in _reasons(findings, file), (file, _reasons(findings, file))
    # the GBK-named file is checked like any other, under its name as Windows showed it
    gbk = next(r for r in rows if r["文件"] == GBK_NAME)
    plain = next(r for r in rows if r["文件"] == "seed.json")  # the same bytes under a UTF-8 name
    assert (gbk["单位名称"], gbk["收入总计（万元）"], gbk["错误"]) == (SEED_NAME, 916.53, 0)
    assert gbk["警告"] == plain["警告"] + 1  # the name's own warning
    assert any(r[2] == GBK_NAME and r[5] == "警告" and r[6] == "batch.file_name" for r in findings)
    # every row has its own findings file, readable, linked from the summary
    assert len(list((out / FINDINGS_DIR).glob("*.csv"))) == len(expect)
    assert "[无法读取] loop.json：链接形成循环" in proc.stdout
    assert "[无法读取] fifo.json" in proc.stdout


def test_a_folder_nobody_may_list_is_refused_with_exit_2(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "seed.json").write_bytes(SEED_JSON.read_bytes())
    inbox.chmod(0)
    try:
        proc = _batch(inbox, tmp_path / "out")
    finally:
        inbox.chmod(0o755)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "无法打开这个文件夹：没有权限" in proc.stderr


def test_readable_names() -> None:
    """GBK names as unzip leaves them: the whole name decoded, even where a GBK character's second
    byte is ASCII (丂 is 0x81 0x40, 乗 0x81 0x74); bytes neither UTF-8 nor GBK shown as \\xNN."""
    assert readable_name(os.fsdecode("收件箱/大同市信访局.xlsm".encode("gbk"))) == "收件箱/大同市信访局.xlsm"
    assert readable_name(os.fsdecode("丂乗.json".encode("gbk"))) == "丂乗.json"
    assert readable_name("子文件夹/" + os.fsdecode(b"\xff\xfe.json")) == "子文件夹/\\xff\\xfe.json"
    assert readable_name("已经是 UTF-8.json") == "已经是 UTF-8.json"
    assert readable("单位\ud800名") == "单位\ufffd名"  # a lone surrogate from JSON
    assert readable("位置 " + os.fsdecode("表.xlsm".encode("gbk"))) == "位置 表.xlsm"


def test_probe_never_opens_a_fifo(tmp_path: Path) -> None:
    """Asked about a FIFO nobody writes to, ``probe`` answers at once (opening it would block)."""
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    assert "命名管道" in (probe(str(fifo)) or "")
    (tmp_path / "ok.json").write_text("{}", "utf-8")
    assert probe(str(tmp_path / "ok.json")) is None


# -- --resume ------------------------------------------------------------------------------------

RESUME_UNITS = 30


def _resume_inbox(inbox: Path) -> None:
    inbox.mkdir()
    for i in range(RESUME_UNITS):
        (inbox / f"unit{i:02d}.json").write_bytes(_seed_named(f"单位{i:02d}"))


def _records(out: Path) -> dict[str, int]:
    folder = out / RESULTS_DIR
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.json")} if folder.exists() else {}


def _without_timing(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in r.items() if k != "用时（秒）"} for r in rows]


def test_resume_after_the_batch_was_killed(tmp_path: Path) -> None:
    """SIGKILL the batch midway; ``--resume`` checks only what was not finished, and the summary
    equals a clean run's (but for the seconds each unit took)."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    _resume_inbox(inbox)
    batch = [sys.executable, "-m", "xlbudget", "batch", str(inbox), "-o", str(out), "-q", "--jobs", "1"]
    proc = subprocess.Popen(batch, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(_records(out)) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    time.sleep(0.5)  # let a record being written land (it is atomic: whole or absent)
    before = _records(out)
    assert 5 <= len(before) < RESUME_UNITS, len(before)
    assert not (out / SUMMARY_FILE).exists()  # killed before the end: today's loss is the summary

    again = _batch(inbox, out, "--jobs", "1", "--resume")
    assert again.returncode == 0, again.stdout + again.stderr  # the seed has warnings, no error
    after = _records(out)
    assert len(after) == RESUME_UNITS
    assert {k: after[k] for k in before} == before  # the finished units were not checked again
    done = len(before)
    assert f"续做：{done} 个文件沿用上次的结果，{RESUME_UNITS - done} 个本次检查" in again.stdout

    clean = tmp_path / "clean"
    _batch(inbox, clean, "--jobs", "2")
    assert _without_timing(_summary(out)) == _without_timing(_summary(clean))
    assert (out / FINDINGS_FILE).read_bytes() == (clean / FINDINGS_FILE).read_bytes()
    for f in (clean / FINDINGS_DIR).iterdir():
        assert (out / FINDINGS_DIR / f.name).read_bytes() == f.read_bytes(), f.name

    # a file changed since: checked again, the others not
    changed = inbox / "unit07.json"
    changed.write_bytes(_seed_named("改过名的单位"))
    third = _batch(inbox, out, "--jobs", "1", "--resume")
    assert f"续做：{RESUME_UNITS - 1} 个文件沿用上次的结果，1 个本次检查" in third.stdout
    row = next(r for r in _summary(out) if r["文件"] == "unit07.json")
    assert row["单位名称"] == "改过名的单位"


def test_without_resume_everything_is_checked_again(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"u{i}.json").write_bytes(_seed_named(f"单位{i}"))
    _batch(inbox, out, "--jobs", "1")
    first = _records(out)
    time.sleep(0.05)
    proc = _batch(inbox, out, "--jobs", "1")
    second = _records(out)
    assert len(second) == 3 and all(second[k] > first[k] for k in first)
    assert "续做" not in proc.stdout


def test_resume_redoes_a_file_whose_permission_was_fixed(tmp_path: Path) -> None:
    """``chmod`` changes no modification time: an unreadable file's reason is never kept."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    f = inbox / "u.json"
    f.write_bytes(SEED_JSON.read_bytes())
    f.chmod(0)
    _batch(inbox, out)
    assert _summary(out)[0]["状态"] == "无法读取"
    f.chmod(0o644)
    _batch(inbox, out, "--resume")
    assert _summary(out)[0]["状态"] == "无错误"


# -- formula-looking text --------------------------------------------------------------------

HOSTILE_NAMES = (
    '=HYPERLINK("http://example.invalid/","点我")',
    '＝HYPERLINK("http://example.invalid/","点我")',  # full-width equals sign
    "＋1+cmd|' /C calc'!A0",
    "－2+3",
    "＠SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def test_formula_looking_names_stay_text_in_every_output(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    for i, name in enumerate(HOSTILE_NAMES):
        (inbox / f"u{i}.json").write_bytes(_small_unit(name, 10_000))
    (inbox / "＝1+1.json").write_bytes(_small_unit("文件名像公式", 10_000))
    (inbox / "=1+1.json").write_bytes(_small_unit("文件名像公式", 10_000))
    proc = _batch(inbox, out, "--jobs", "2")
    assert proc.returncode == 1  # every small unit lacks its 概况 texts: errors
    csvs = [out / FINDINGS_FILE, *sorted((out / FINDINGS_DIR).iterdir())]
    assert len(csvs) == 1 + len(HOSTILE_NAMES) + 2
    cells = [cell for path in csvs for row in _findings(path) for cell in row]
    for cell in cells:
        assert not cell.startswith(FORMULA_START), cell
    for name in HOSTILE_NAMES:
        assert "'" + name in cells, name
    assert "'＝1+1.json" in cells and "'=1+1.json" in cells

    # the workbook: no formula anywhere (XlsxWriter is told strings_to_formulas=False and every text is
    # written with write_string), the names as they were
    wb = openpyxl.load_workbook(out / SUMMARY_FILE)
    assert [c.coordinate for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"] == []
    shown = {r["单位名称"] for r in _summary(out)}
    assert set(HOSTILE_NAMES) <= shown
    assert {"＝1+1.json", "=1+1.json"} <= {r["文件"] for r in _summary(out)}

    # and LibreOffice, opening it, keeps them text (a formula would show its result, "点我")
    text = sheet_as_csv(out / SUMMARY_FILE, tmp_path)
    for name in HOSTILE_NAMES:
        assert name.replace('"', '""') in text, name


# -- 300 files -------------------------------------------------------------------------------


def test_a_300_file_batch_with_every_oddity_has_one_row_per_file(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    expect: dict[str, tuple[str, str]] = {}
    for k in range(10):
        expect.update(_oddities(inbox, tmp_path / "elsewhere", tag=f"_{k}"))
    assert len(expect) == 150
    yuan: dict[str, int] = {}
    for i in range(150):
        name = f"small/unit{i:03d}.json"
        if i % 25 == 0:
            (inbox / name).parent.mkdir(exist_ok=True)
            (inbox / name).write_bytes(b'{"schema": "xlbudget/unit-budget/1", ')  # cut off
            expect[name] = ("无法读取", "")
            continue
        yuan[name] = 10_000 * i + 5_000  # i.50 万元
        (inbox / name).parent.mkdir(exist_ok=True)
        (inbox / name).write_bytes(_small_unit(f"单位{i:03d}", yuan[name]))
        expect[name] = ("有错误", "缺少单位职责")
    assert len(expect) == 300
    out = tmp_path / "out"
    proc = _batch(inbox, out, "--jobs", "2", "--timeout", "60", timeout=600)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "共 300 个文件" in proc.stdout
    rows = _summary(out)
    assert len(rows) == 300
    assert [r["序号"] for r in rows] == list(range(1, 301))
    assert {r["文件"]: r["状态"] for r in rows} == {f: s for f, (s, _) in expect.items()}
    findings = _findings(out / FINDINGS_FILE)
    for file, (_, words) in expect.items():
        assert words in _reasons(findings, file), (file, _reasons(findings, file))
    for r in rows:
        if r["文件"] in yuan:
            i = int(str(r["文件"])[-8:-5])
            assert r["基本支出（万元）"] == pytest.approx(i + 0.5), r
            assert r["支出总计（万元）"] == pytest.approx(i + 0.5), r
    assert len(list((out / FINDINGS_DIR).glob("*.csv"))) == 300


def test_findings_files_of_an_earlier_run_do_not_linger(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"u{i}.json").write_bytes(_seed_named(f"单位{i}"))
    _batch(inbox, out)
    (inbox / "u0.json").unlink()
    _batch(inbox, out, "--resume")
    assert sorted(p.name for p in (out / FINDINGS_DIR).iterdir()) == ["0001_u1.csv", "0002_u2.csv"]
    assert [r["文件"] for r in _summary(out)] == ["u1.json", "u2.json"]


def test_the_output_folder_cannot_be_the_folder_checked(tmp_path: Path) -> None:
    (tmp_path / "u.json").write_bytes(SEED_JSON.read_bytes())
    proc = _batch(tmp_path, tmp_path)
    assert proc.returncode == 2
    assert "结果文件夹不能就是要检查的文件夹" in proc.stderr
    assert not (tmp_path / SUMMARY_FILE).exists()
