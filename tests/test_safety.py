"""Untrusted files: every broken or hostile input gets a Chinese message and a nonzero exit —
no traceback, no hang, bounded memory; and nothing of the user's is lost when a write is killed.

The command line runs in a subprocess with a time limit and ``RLIMIT_AS``, as a finance bureau
would run it on files it did not make.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.generate import hostile_files, rezip
from xlbudget.errors import InputError
from xlbudget.safety import ZipLimits, check_workbook, check_zip, csv_cell, sniff

ROOT = Path(__file__).resolve().parents[1]
SEED_WORKBOOK = ROOT / "workbook" / "Budget2023.xlsm"
CLI_TIMEOUT = 60  # seconds: far above any honest file
CLI_MEMORY = 1536 * 1024 * 1024  # address space of the CLI under test
ANSWER_WITHIN = 8.0  # seconds: a hostile file is refused quickly, not after inflating it
CJK = re.compile(r"[\u4e00-\u9fff]")


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CLI_MEMORY, CLI_MEMORY))


def run_cli(*args: str, timeout: float = CLI_TIMEOUT) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "xlbudget", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit,
        cwd=ROOT,
    )
    return proc, time.monotonic() - started


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile_files(tmp_path_factory.mktemp("hostile"), SEED_WORKBOOK)


HOSTILE_WORKBOOKS = (
    "empty.xlsm",
    "text_renamed.xlsm",
    "pdf_renamed.xlsm",
    "ole_xls_renamed.xlsm",
    "truncated.xlsm",
    "random_bytes.xlsx",
    "docx_renamed.xlsm",
    "xxe_workbook.xlsm",
    "laughs_sheet.xlsm",
    "laughs_strings.xlsm",
    "zip_bomb.xlsm",
)


# -- the guard itself (xlbudget.safety) ---------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_WORKBOOKS)
def test_check_workbook_refuses_hostile_file(hostile: dict[str, Path], name: str) -> None:
    with pytest.raises(InputError) as info:
        check_workbook(hostile[name])
    message = str(info.value)
    assert CJK.search(message), message
    assert str(hostile[name]) in message  # names the file


def test_check_workbook_names_what_the_file_really_is(hostile: dict[str, Path]) -> None:
    def said(name: str) -> str:
        with pytest.raises(InputError) as info:
            check_workbook(hostile[name])
        return str(info.value)

    assert "PDF" in said("pdf_renamed.xlsm")
    assert ".xls" in said("ole_xls_renamed.xlsm")
    assert "Word" in said("docx_renamed.xlsm")
    assert "空" in said("empty.xlsm")
    assert "压缩炸弹" in said("zip_bomb.xlsm")
    assert "DOCTYPE" in said("xxe_workbook.xlsm")
    assert "DOCTYPE" in said("laughs_strings.xlsm")


def test_check_workbook_accepts_our_workbooks(tmp_path: Path) -> None:
    from tests.generate import generated_unit, workbook_bytes

    check_workbook(SEED_WORKBOOK)
    big = tmp_path / "big.xlsm"
    big.write_bytes(workbook_bytes(generated_unit(3000, 300)))
    check_workbook(big)


def test_check_zip_counts_entries_and_ratio(tmp_path: Path) -> None:
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as z:
        for i in range(30):
            z.writestr(f"x/{i}.xml", b"<a/>")
    with pytest.raises(InputError, match="个部件"):
        check_zip(many, ZipLimits(max_entries=20))
    dense = tmp_path / "dense.xlsx"
    with zipfile.ZipFile(dense, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/a.xml", b"<a>" + b"0" * (8 * 1024 * 1024) + b"</a>")
    with pytest.raises(InputError, match="压缩比"):
        check_zip(dense)
    check_zip(dense, ZipLimits(max_ratio=10_000))


def test_sniff_decides_on_the_first_bytes_alone(tmp_path: Path) -> None:
    """A zip's first bytes pass whatever follows (the zip check decides on the rest); the same tail behind an
    OLE or PDF header is refused, named for what it is."""
    tail = b"\x00" * 10 + b"%PDF {" * 1000
    looks_zip = tmp_path / "x.xlsm"
    looks_zip.write_bytes(b"PK\x03\x04" + tail)
    assert sniff(looks_zip) is None
    for head, said in (
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel 97-2003（.xls）"),
        (b"%PDF", "这是 PDF 文件"),
    ):
        other = tmp_path / f"{said[:3]}.xlsm"
        other.write_bytes(head + tail)
        with pytest.raises(InputError, match=re.escape(said)):
            sniff(other)


def test_openpyxl_parses_untrusted_xml_safely() -> None:
    """What openpyxl does with defusedxml installed (checked, not assumed): worksheets and shared
    strings go through ``defusedxml``'s iterparse (a DOCTYPE with entities raises); the other parts go
    through lxml with ``resolve_entities=False`` when lxml is installed (entities are left unexpanded),
    else through ``defusedxml``'s fromstring.  ``safety.check_workbook`` refuses any DOCTYPE before that."""
    import defusedxml.ElementTree as defused
    import openpyxl
    import openpyxl.xml.functions as xml_functions

    assert openpyxl.DEFUSEDXML is True
    assert xml_functions.iterparse is defused.iterparse
    if openpyxl.LXML:
        root = xml_functions.fromstring(b'<!DOCTYPE r [<!ENTITY e "secret">]><r>&e;</r>')
        assert "secret" not in (root.text or "")  # left as an unexpanded entity reference
    else:
        assert xml_functions.fromstring is defused.fromstring


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+86 351", "'+86 351"),
        ("-12.50", "'-12.50"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("\n=cmd", "'\n=cmd"),
        ('＝HYPERLINK("http://x/")', '\'＝HYPERLINK("http://x/")'),  # full-width: an IME's = is one too
        ("＋86 351", "'＋86 351"),
        ("－12.50", "'－12.50"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("﹦1+1", "'﹦1+1"),  # the small form: NFKC makes it "="
        ("一＝二", "一＝二"),  # only at the start
        ("−5", "−5"),  # U+2212 MINUS SIGN is no formula start (NFKC keeps it)
        ("916.53", "916.53"),
        ("表6!D12", "表6!D12"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_cell_neutralises_formulas(raw: object, shown: str) -> None:
    assert csv_cell(raw) == shown


# -- the command line on hostile files -----------------------------------------------------


HOSTILE_JSON = ("broken.json", "not_utf8.json", "deep.json", "long_number.json", "fund_as_list.json")


@pytest.mark.parametrize("name", [*HOSTILE_WORKBOOKS, *HOSTILE_JSON, "empty_workbook.xlsx"])
def test_cli_check_refuses_hostile_file_cleanly(hostile: dict[str, Path], name: str) -> None:
    """``xlbudget check`` on each: exit 2, a Chinese message, no traceback, quickly, in bounded memory.

    Before ``safety.check_workbook`` was called at the reader's entry (``reader.open_values``), the reader
    silently accepted a workbook.xml that declares an external entity (exit 0) and spent 10–20 s
    inflating a 0.7 MB file to 300 MB.
    """
    proc, seconds = run_cli("check", str(hostile[name]))
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "内部错误" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, f"exit {proc.returncode}: {proc.stdout[-500:]} {proc.stderr[-500:]}"
    assert CJK.search(proc.stderr)
    # the library's own English words are not passed on to a finance officer
    assert not re.search(r"zip file|Error|Package not found|Unexpected EOF|No such file", proc.stderr), (
        proc.stderr
    )
    assert seconds < ANSWER_WITHIN, f"{name}: {seconds:.1f} s"


@pytest.mark.parametrize("name", [*HOSTILE_WORKBOOKS, "empty_workbook.xlsx"])
def test_cli_fill_refuses_hostile_file_cleanly(hostile: dict[str, Path], name: str, tmp_path: Path) -> None:
    """``xlbudget fill`` (the 计算 button without Excel) on each: exit 2, a Chinese message, no traceback,
    quickly, and the file left as it was.

    Before ``FileBook`` called ``safety.check_workbook``, fill rewrote a workbook whose workbook.xml
    declares an external entity (exit 0) and inflated a 0.7 MB file to 300 MB (12 s, 1.3 GB resident).
    """
    target = tmp_path / name
    shutil.copy(hostile[name], target)
    before = target.read_bytes()
    proc, seconds = run_cli("fill", "--no-backup", str(target))
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "内部错误" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, f"exit {proc.returncode}: {proc.stdout[-300:]} {proc.stderr[-300:]}"
    assert CJK.search(proc.stderr)
    assert target.read_bytes() == before
    assert seconds < ANSWER_WITHIN, f"{name}: {seconds:.1f} s"


# -- nothing lost ---------------------------------------------------------------------------

_WRITER = """
import sys
from xlbudget.io.atomic import write_bytes_atomic
print("start", flush=True)
write_bytes_atomic(sys.argv[1], b"N" * int(sys.argv[2]))
print("done", flush=True)
"""


def test_killed_atomic_write_leaves_the_original_whole(tmp_path: Path) -> None:
    """SIGKILL in the middle of ``write_bytes_atomic``: the target keeps its old bytes."""
    target = tmp_path / "单位.xlsm"
    original = SEED_WORKBOOK.read_bytes()
    target.write_bytes(original)
    size = 400_000_000  # long enough to be caught mid-write
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(target), str(size)], stdout=subprocess.PIPE, cwd=ROOT, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "start"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # wait until the temp file is being written
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        if temps and temps[0].stat().st_size > 0:
            break
        time.sleep(0.005)
    else:
        pytest.fail("the writer never started writing")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == original
    zipfile.ZipFile(target).testzip()


def _sheet_data(path: Path) -> dict[str, list[tuple[object, ...]]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def _stale_workbook(path: Path) -> Path:
    """The seed workbook with one 基本支出 amount changed, so its 表1…表13 are out of date."""
    import openpyxl

    from xlbudget.workbook import layout as L

    wb = openpyxl.load_workbook(SEED_WORKBOOK, keep_vba=True)
    ws = wb[L.BASIC_SHEET]
    cell = ws.cell(L.FIRST_DATA_ROW, L.BASIC.column("amount"))
    cell.value = float(cell.value) + 123456
    wb.save(path)
    return path


def test_killed_fill_leaves_the_workbook_whole(tmp_path: Path) -> None:
    """SIGKILL ``xlbudget fill`` at moments spread over its run: the file is always a whole workbook,
    either the original or the filled one — never half of each."""
    stale = _stale_workbook(tmp_path / "stale.xlsm")
    original = stale.read_bytes()
    original_data = _sheet_data(stale)
    filled = tmp_path / "filled.xlsm"
    filled.write_bytes(original)
    started = time.monotonic()
    proc, _ = run_cli("fill", "--no-backup", str(filled))
    run_time = time.monotonic() - started
    assert proc.returncode in (0, 1), proc.stderr
    filled_data = _sheet_data(filled)
    assert filled_data != original_data  # the fill changed the tables
    outcomes = set()
    for step in range(1, 11):
        delay = run_time * step / 10
        target = tmp_path / f"kill_{step}.xlsm"
        target.write_bytes(original)
        p = subprocess.Popen([sys.executable, "-m", "xlbudget", "fill", "--no-backup", str(target)], cwd=ROOT)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait(10)
        assert zipfile.ZipFile(target).testzip() is None
        data = _sheet_data(target)
        assert data in (original_data, filled_data), f"killed after {delay:.2f}s: a mix of old and new"
        outcomes.add("original" if data == original_data else "filled")
    assert "original" in outcomes  # some kills did land before the write


def test_fill_twice_gives_identical_sheet_data(tmp_path: Path) -> None:
    target = _stale_workbook(tmp_path / "twice.xlsm")
    proc, _ = run_cli("fill", str(target))
    assert proc.returncode in (0, 1), proc.stderr
    once = _sheet_data(target)
    proc, _ = run_cli("fill", str(target))
    assert proc.returncode in (0, 1), proc.stderr
    assert _sheet_data(target) == once


def test_rezip_helper_keeps_parts(tmp_path: Path) -> None:
    copy = rezip(SEED_WORKBOOK, tmp_path / "copy.xlsm")
    with zipfile.ZipFile(SEED_WORKBOOK) as a, zipfile.ZipFile(copy) as b:
        assert a.namelist() == b.namelist()
