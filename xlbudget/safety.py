"""Untrusted files: look before opening.

A finance bureau receives hundreds of workbooks it did not make.  Before a
workbook reaches openpyxl, :func:`check_workbook` looks at it as bytes:

- what it really is (a PDF, an old .xls or an encrypted workbook, a Word
  document renamed ``.xlsm``) — each gets its own Chinese sentence;
- the zip's central directory (:func:`check_zip`): the number of entries, the
  total and per-part uncompressed size and the compression ratio, so a zip bomb
  (a small file holding gigabytes) is refused before anything is inflated.
  Python's ``zipfile`` never inflates a part beyond the size the directory
  declares, so limiting the declared sizes bounds the memory of every reader;
- every XML part's prolog (:func:`check_xml_prologs`): a ``<!DOCTYPE``/``<!ENTITY``
  has no business in an Office file and is how XXE and "billion laughs" attacks
  start, so such a file is refused whatever parser comes next.

openpyxl itself parses worksheets and shared strings with ``defusedxml`` when it is
installed, and other parts with lxml's ``resolve_entities=False`` parser; the
prolog scan makes the refusal explicit and independent of which parser is used.

:func:`csv_cell` neutralises text for CSV files that people open in Excel
(CSV/formula injection).

Every refusal is an :class:`~xlbudget.errors.InputError` naming the file.
"""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from xlbudget.errors import InputError

MB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """How big a workbook may get once unpacked.

    A unit's workbook with 10,000 lines is a few MB unpacked; these limits leave
    two orders of magnitude of room and still stop a bomb.
    """

    max_entries: int = 2000
    max_total: int = 400 * MB  # all parts, uncompressed
    max_member: int = 200 * MB  # one part, uncompressed
    max_ratio: int = 200  # uncompressed / compressed, for parts above ratio_floor
    ratio_floor: int = 5 * MB  # small parts may compress as well as they like
    prolog_bytes: int = 64 * 1024  # how far into a part a DOCTYPE is looked for


DEFAULT_LIMITS = ZipLimits()

_MAGIC = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "这是旧版 Excel 97-2003（.xls）文件或加密（设置了打开密码）的工作簿，不是 .xlsx/.xlsm：请在 Excel 中另存为 .xlsm 并去掉打开密码",
    ),
    (b"%PDF", "这是 PDF 文件，不是 Excel 工作簿"),
    (b"{", "这是 JSON 文本，不是 Excel 工作簿：单位预算 JSON 的扩展名应为 .json"),
    (b"\xef\xbb\xbf{", "这是 JSON 文本，不是 Excel 工作簿：单位预算 JSON 的扩展名应为 .json"),
    (b"<", "这是 HTML/XML 文本（可能是网页另存或“XML 电子表格”），不是 .xlsx/.xlsm 工作簿"),
    (b"\x89PNG", "这是 PNG 图片，不是 Excel 工作簿"),
    (b"\xff\xd8\xff", "这是 JPEG 图片，不是 Excel 工作簿"),
    (b"Rar!", "这是 RAR 压缩包，不是 Excel 工作簿"),
    (b"7z\xbc\xaf", "这是 7z 压缩包，不是 Excel 工作簿"),
)


def _refuse(path: Path, message: str) -> InputError:
    return InputError(message, str(path))


def sniff(path: str | Path) -> None:
    """Refuse a file whose first bytes say it is not a zip (an .xlsx/.xlsm is a zip)."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise _refuse(path, f"无法读取文件：{exc.strerror or exc}") from exc
    if not head:
        raise _refuse(path, "文件是空的（0 字节），不是 Excel 工作簿")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return
    for magic, message in _MAGIC:
        if head.startswith(magic):
            raise _refuse(path, message)
    raise _refuse(path, "不是有效的 Excel 工作簿（.xlsx/.xlsm）：文件已损坏，或者是改了扩展名的其他文件")


def check_zip(path: str | Path, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Refuse a zip whose directory promises too many parts, too many bytes or a bomb's ratio.

    Reads only the central directory; nothing is inflated.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(
            path,
            "不是有效的 Excel 工作簿：压缩结构已损坏（文件可能不完整：复制或下载中断；请用 Excel 重新另存一份）",
        ) from exc
    if len(infos) > limits.max_entries:
        raise _refuse(
            path, f"工作簿内含 {len(infos)} 个部件，超过上限 {limits.max_entries}，不像单位预算工作簿，已拒绝"
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse(path, f"工作簿内的部件 {info.filename} 已加密，无法读取")
        size, packed = info.file_size, max(info.compress_size, 1)
        total += size
        if size > limits.max_member:
            raise _refuse(
                path,
                f"工作簿内的部件 {info.filename} 解压后 {size // MB} MB，超过上限 {limits.max_member // MB} MB：疑似“压缩炸弹”，已拒绝",
            )
        if size > limits.ratio_floor and size / packed > limits.max_ratio:
            raise _refuse(
                path,
                f"工作簿内的部件 {info.filename} 压缩比 {size // packed}:1，超过上限 {limits.max_ratio}:1：疑似“压缩炸弹”，已拒绝",
            )
    if total > limits.max_total:
        raise _refuse(
            path,
            f"工作簿解压后共 {total // MB} MB，超过上限 {limits.max_total // MB} MB：疑似“压缩炸弹”，已拒绝",
        )


class _PrologDone(Exception):
    pass


class _Doctype(Exception):
    pass


def _prolog_has_doctype(data_chunks: list[bytes]) -> bool:
    """True when the XML declares a DOCTYPE or an entity before its root element."""
    parser = expat.ParserCreate()

    def doctype(*_args: object) -> None:
        raise _Doctype

    def start(*_args: object) -> None:
        raise _PrologDone

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    try:
        for chunk in data_chunks:
            parser.Parse(chunk, False)
    except _Doctype:
        return True
    except (_PrologDone, expat.ExpatError):
        return False
    return False


def check_xml_prologs(path: str | Path, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Refuse a workbook any of whose XML parts declares a DOCTYPE or an ENTITY (XXE, billion laughs)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                name = info.filename.lower()
                if not (name.endswith(".xml") or name.endswith(".rels") or name.endswith(".vml")):
                    continue
                with zf.open(info) as part:
                    head = part.read(limits.prolog_bytes)
                if b"<!" in head and _prolog_has_doctype([head]):
                    raise _refuse(
                        path,
                        f"工作簿内的 XML 部件 {info.filename} 含有 DOCTYPE/实体声明（可能是 XXE 或“实体膨胀”攻击），Excel 文件不会有这种内容，已拒绝",
                    )
    except InputError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _refuse(
            path,
            "不是有效的 Excel 工作簿：压缩内容已损坏（文件可能不完整：复制或下载中断；请用 Excel 重新另存一份）",
        ) from exc


def check_workbook(path: str | Path, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Everything above, in order; returns quietly for a workbook that may be opened."""
    path = Path(path)
    sniff(path)
    check_zip(path, limits)
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:  # pragma: no cover - check_zip saw it
        raise _refuse(
            path,
            "不是有效的 Excel 工作簿：压缩结构已损坏（文件可能不完整：复制或下载中断；请用 Excel 重新另存一份）",
        ) from exc
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise _refuse(path, "这是 Word 文档（.docx），不是 Excel 工作簿")
        if "ppt/presentation.xml" in names:
            raise _refuse(path, "这是 PowerPoint 演示文稿，不是 Excel 工作簿")
        if "content.xml" in names and "mimetype" in names:
            raise _refuse(path, "这是 OpenDocument（WPS/LibreOffice .ods/.odt）文件，请另存为 .xlsm")
        raise _refuse(path, "这是一个 zip 压缩包，但不是 Excel 工作簿（缺少 xl/workbook.xml）")
    check_xml_prologs(path, limits)


# -- CSV for Excel ----------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: object) -> str:
    """A value as CSV text that Excel will show, never run: "=1+1" → "'=1+1".

    Cells starting with ``=``, ``+``, ``-``, ``@`` (and tab, carriage return or line feed, which
    Excel skips before one of those) get a leading apostrophe — and so do their full-width and
    small forms (``＝`` ``＋`` ``－`` ``＠``, ``﹦`` …): Excel with a Chinese or Japanese input method
    takes ``＝HYPERLINK(…)`` for a formula too.  Any character whose compatibility form (NFKC) is
    one of the four counts.
    """
    text = "" if value is None else str(value)
    if not text:
        return text
    first = text[0]
    if first in _FORMULA_START or (
        ord(first) > 0x7F and unicodedata.normalize("NFKC", first) in _FORMULA_START
    ):
        return "'" + text
    return text
