"""vbaProject.bin writer, checked with real readers: oletools' olevba, olefile and LibreOffice."""

from __future__ import annotations

import io
import os
import random
import re
import struct
import warnings
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest
import xlsxwriter
import xlwings

from tests.helpers.lo import run_macro
from xlbudget.vba import VbaModule, build_vba_project
from xlbudget.vba.cfb import write_compound_file
from xlbudget.vba.ovba import compress

with warnings.catch_warnings():  # oletools 0.60 uses pyparsing names deprecated since 3.0
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser, decompress_stream

XLWINGS_DIR = Path(os.path.dirname(xlwings.__file__))
XLWINGS_BAS = (XLWINGS_DIR / "xlwings.bas").read_text(encoding="utf-8")


def _real_60k() -> bytes:
    """More than 60 KB of real VBA source from the installed xlwings wheel."""
    parts = [XLWINGS_DIR / "xlwings.bas", XLWINGS_DIR / "addin" / "Main.bas"]
    data = b"".join(p.read_bytes() for p in parts)
    assert len(data) >= 60_000
    return data


_RNG = random.Random(20240601)
COMPRESSION_CASES = {
    "empty": b"",
    "tiny": b"A",
    "three": b"abc",
    "exactly-4096-text": _real_60k()[:4096],
    "exactly-4096-random": _RNG.randbytes(4096),
    "4097": _real_60k()[:4097],
    "repetitive": b"a" * 20_000,
    "repetitive-lines": b"    Cells(1, 1).Value = 0\r\n" * 3000,
    "random": _RNG.randbytes(3 * 4096 + 1000),
    "real-60k": _real_60k(),
    "gbk": ('MsgBox "预算公开表 自检通过"\r\n' * 500).encode("gbk"),
}


@pytest.mark.parametrize("name", COMPRESSION_CASES)
def test_compression_round_trip_with_olevba(name: str) -> None:
    data = COMPRESSION_CASES[name]
    packed = compress(data)
    assert bytes(decompress_stream(bytearray(packed))) == data
    # Container shape (§2.4.1.1): signature, then chunks of 4096 input bytes each.
    assert packed[0] == 1
    pos, chunks = 1, 0
    while pos < len(packed):
        (header,) = struct.unpack_from("<H", packed, pos)
        assert header >> 12 & 0b111 == 0b011
        pos += (header & 0x0FFF) + 3
        chunks += 1
    assert pos == len(packed)
    assert chunks == -(-len(data) // 4096)


def test_real_source_compresses_well() -> None:
    data = _real_60k()
    assert len(compress(data)) < len(data) * 0.6


def _strip(code: str) -> str:
    """Normalise line endings, drop Attribute lines and trailing blank lines."""
    lines = code.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [ln for ln in lines if not re.match(r"\s*Attribute\s+VB_", ln)]
    return "\n".join(lines).rstrip("\n")


SELF_TEST = """Option Explicit

Public Sub SelfTest()
    Dim counter As New Counter
    counter.Add 40
    counter.Add 2
    ThisWorkbook.Worksheets("Sheet1").Range("A1").Value = "自检通过"
    ThisWorkbook.Worksheets("Sheet1").Range("B1").Value = counter.Total
    ThisWorkbook.Worksheets("Sheet1").Range("C1").Value = Sheet1.Name
End Sub
"""

COUNTER_CLS = """Option Explicit

Private mTotal As Long

Public Sub Add(ByVal amount As Long)
    mTotal = mTotal + amount
End Sub

Public Property Get Total() As Long
    Total = mTotal
End Property
"""


def _modules(with_xlwings: bool) -> list[VbaModule]:
    mods = [
        VbaModule("ThisWorkbook", "Option Explicit\n", "document"),
        VbaModule("Sheet1", "", "document"),
        VbaModule("Sheet2", "' 第二张表\n", "document"),
        VbaModule("Module1", SELF_TEST, "standard"),
        VbaModule("Counter", COUNTER_CLS, "class"),
    ]
    if with_xlwings:
        mods.append(VbaModule("xlwings", XLWINGS_BAS, "standard"))
        # An exported .cls, VERSION/BEGIN/END header included: the writer drops that header.
        exported = (XLWINGS_DIR / "addin" / "Dictionary.cls").read_text(encoding="utf-8")
        mods.append(VbaModule("Dictionary", exported, "class"))
    return mods


def _expected(m: VbaModule) -> str:
    code = m.code.replace("\r\n", "\n")
    if code.startswith("VERSION 1.0 CLASS"):
        code = code.split("\nEND\n", 1)[1]
    return _strip(code)


def _write_xlsm(path: Path, modules: list[VbaModule]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    wb.set_vba_name("ThisWorkbook")
    for name in ("Sheet1", "Sheet2"):
        wb.add_worksheet(name).set_vba_name(name)
    wb.add_vba_project(io.BytesIO(build_vba_project(modules)), is_stream=True)
    wb.close()
    return path


def test_olevba_reads_back_every_module(tmp_path: Path) -> None:
    modules = _modules(with_xlwings=True)
    xlsm = _write_xlsm(tmp_path / "project.xlsm", modules)
    parser = VBA_Parser(str(xlsm))
    try:
        found = {stream.split("/")[-1]: (fname, code) for _, stream, fname, code in parser.extract_macros()}
    finally:
        parser.close()
    assert set(found) == {m.name for m in modules}
    for m in modules:
        fname, code = found[m.name]
        assert _strip(code) == _expected(m), m.name
        assert fname == m.name + (".bas" if m.kind == "standard" else ".cls")
    assert "自检通过" in found["Module1"][1]


def _decrypt(project_id: str, text: str) -> bytes:
    """§2.4.3.3 Data Decryption, written independently of the encoder."""
    enc = bytes.fromhex(text)
    seed, version_enc, key_enc = enc[:3]
    assert seed ^ version_enc == 2
    assert seed ^ key_enc == sum(project_id.encode()) & 0xFF
    plain, unenc, e1, e2 = [], seed ^ key_enc, key_enc, version_enc
    for b in enc[3:]:
        p = b ^ ((e2 + unenc) & 0xFF)
        plain.append(p)
        e2, e1, unenc = e1, b, p
    data = bytes(plain[(seed & 6) // 2 :])
    assert struct.unpack_from("<I", data)[0] == len(data) - 4
    return data[4:]


def test_decryptor_matches_excel_output() -> None:
    """The test's decryptor reads the CMG/DPB/GC that Excel wrote into xlwings' quickstart."""
    ole = olefile.OleFileIO(
        io.BytesIO(_zip_member(XLWINGS_DIR / "quickstart_standalone.xlsm", "xl/vbaProject.bin"))
    )
    text = ole.openstream("PROJECT").read().decode("cp1252")
    fields = dict(re.findall(r'^(\w+)="([^"]*)"', text, re.M))
    assert _decrypt(fields["ID"], fields["CMG"]) == bytes(4)
    assert _decrypt(fields["ID"], fields["DPB"]) == b"\0"
    assert _decrypt(fields["ID"], fields["GC"]) == b"\xff"


def _zip_member(path: Path, member: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(member)


def test_project_streams(tmp_path: Path) -> None:
    modules = _modules(with_xlwings=False)
    data = build_vba_project(modules)
    assert data == build_vba_project(modules)  # reproducible
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_UNSURE)
    assert sorted("/".join(e) for e in ole.listdir()) == sorted(
        ["PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"] + [f"VBA/{m.name}" for m in modules]
    )
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000000")
    text = ole.openstream("PROJECT").read().decode("gbk")
    assert text.splitlines()[1:6] == [
        "Document=ThisWorkbook/&H00000000",
        "Document=Sheet1/&H00000000",
        "Document=Sheet2/&H00000000",
        "Module=Module1",
        "Class=Counter",
    ]
    fields = dict(re.findall(r'^(\w+)="([^"]*)"', text, re.M))
    assert re.fullmatch(r"\{[0-9A-F-]{36}\}", fields["ID"])
    assert fields["Name"] == "VBAProject"
    assert _decrypt(fields["ID"], fields["CMG"]) == bytes(4)
    assert _decrypt(fields["ID"], fields["DPB"]) == b"\0"
    assert _decrypt(fields["ID"], fields["GC"]) == b"\xff"
    assert "[Host Extender Info]\r\n&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000" in text
    wm = ole.openstream("PROJECTwm").read()
    assert wm.startswith(b"ThisWorkbook\0" + "ThisWorkbook".encode("utf-16-le") + b"\0\0")
    assert wm.endswith(b"Counter\0" + "Counter".encode("utf-16-le") + b"\0\0\0\0")
    sheet = bytes(decompress_stream(bytearray(ole.openstream("VBA/Sheet1").read())))
    assert sheet.startswith(b'Attribute VB_Name = "Sheet1"\r\nAttribute VB_Base = "0{00020820-')


def test_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        VbaModule("Module1", "", "form")
    with pytest.raises(ValueError):
        VbaModule("1bad", "", "standard")
    with pytest.raises(ValueError):
        build_vba_project([VbaModule("A", "", "standard"), VbaModule("a", "", "class")])
    with pytest.raises(ValueError, match="code page"):
        build_vba_project([VbaModule("A", 'x = "€"', "standard")], codepage=936)


def _check_red_black(ole: olefile.OleFileIO, root_sid: int) -> list[str]:
    """Check BST order (§2.6.4) and red-black rules of one sibling tree; return names in order."""
    entries = ole.direntries

    def walk(sid: int) -> tuple[int, list[str]]:
        if sid == olefile.NOSTREAM:
            return 1, []
        e = entries[sid]
        lh, left = walk(e.sid_left)
        rh, right = walk(e.sid_right)
        assert lh == rh, "unequal black heights"
        if e.color == 0:  # red: children black
            for child in (e.sid_left, e.sid_right):
                assert child == olefile.NOSTREAM or entries[child].color == 1
        return lh + (e.color == 1), left + [e.name] + right

    assert entries[root_sid].color == 1
    names = walk(root_sid)[1]
    keys = [(len(n), n.upper()) for n in names]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    return names


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 33])
def test_cfb_red_black_directory(count: int) -> None:
    tree = {f"S{i}": bytes([i]) * i for i in range(count)}
    ole = olefile.OleFileIO(io.BytesIO(write_compound_file(tree)), raise_defects=olefile.DEFECT_UNSURE)
    names = _check_red_black(ole, ole.root.sid_child)
    assert sorted(names) == sorted(tree)
    for name, value in tree.items():
        assert ole.openstream(name).read() == value


def test_cfb_stream_sizes_and_storages() -> None:
    sizes = [0, 1, 63, 64, 65, 4095, 4096, 4097, 70_000, 300_000]
    tree = {f"s{n}": _RNG.randbytes(n) for n in sizes}
    tree["Sub"] = {"inner": b"x" * 5000, "Deeper": {"leaf": b"y"}}
    data = write_compound_file(tree)
    assert len(data) % 512 == 0
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_UNSURE)
    for n in sizes:
        assert ole.get_size(f"s{n}") == n
        assert ole.openstream(f"s{n}").read() == tree[f"s{n}"]
    assert ole.openstream("Sub/inner").read() == b"x" * 5000
    assert ole.openstream("Sub/Deeper/leaf").read() == b"y"


def test_libreoffice_runs_generated_macro(tmp_path: Path) -> None:
    """LibreOffice loads the .xlsm, compiles the project and runs Module1.SelfTest.

    Fails (never skips) when LibreOffice is missing.  xlwings.bas is left out:
    LibreOffice Basic cannot compile its ``#If ... #Else`` around two procedure
    headers, and one uncompilable module stops the whole library.
    """
    xlsm = _write_xlsm(tmp_path / "selftest.xlsm", _modules(with_xlwings=False))
    out = tmp_path / "after.xlsx"
    assert run_macro(xlsm, "Module1.SelfTest", out) == ""
    sheet = openpyxl.load_workbook(out)["Sheet1"]
    assert sheet["A1"].value == "自检通过"
    assert sheet["B1"].value == 42
    assert sheet["C1"].value == "Sheet1"


def test_udf_module_sets_app_as_xlwings_generator_does() -> None:
    """The UDF wrappers compile their Excel branch (caller, error handler): ``#Const App`` before any ``#If``.

    The line is the one xlwings' own generator (``xlwings.udfs.import_udfs``) writes; olevba reads it
    back from the committed workbook's project.  (``xlwings.udfs`` imports pythoncom, Windows only:
    its source is read as text.)
    """
    generator = (XLWINGS_DIR / "udfs.py").read_text(encoding="utf-8")
    const = '#Const App = "Microsoft Excel" \'Adjust when using outside of Excel'
    assert const in generator  # what xlwings writes, to the character
    committed = Path(__file__).resolve().parents[1] / "workbook" / "Budget2023.xlsm"
    parser = VBA_Parser(str(committed))
    try:
        found = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()
    lines = [line.strip() for line in found["xlwings_udfs"].splitlines()]
    assert const in lines
    first_if = next(i for i, line in enumerate(lines) if line.startswith("#If App"))
    assert lines.index(const) < first_if
