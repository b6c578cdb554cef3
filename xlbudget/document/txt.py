"""Text extracted from a PDF report (like ``../shared/seed/…budget-disclosure.txt``).

Such text has no grid: a table row is one line, its cells separated by one space each (a blank
cell leaves two spaces in a row), a name too long for its cell wraps onto lines of its own, bold
text is printed twice ("收入收入", "916.53916.53") and a figure runs into the next cell's text
("916.53一、一般公共服务支出").  Here the doubling is undone, each table's lines (from its title to
the next title or part) are made rows of cells, and the rest of the text made paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from xlbudget.document.build import (
    LABEL,
    PAGE_NUMBER,
    PART,
    UNIT_LINE,
    UNIT_NAME,
    Cells,
    Text,
    _title_of,
    build_document,
    detect_profile,
    squash,
    title_key,
)
from xlbudget.document.forms import join_forms
from xlbudget.document.grid import FIGURE, is_figure
from xlbudget.document.model import Document
from xlbudget.errors import InputError
from xlbudget.profiles import Profile, TableSpec

_CJK = re.compile(r"[\u3400-\u9fff]")
_GLUED = re.compile(r"^(-?[\d,]*\d\.\d\d)(\D.*|\d{3,}.*)$")  # "916.53一、…", "0.00201"
_CODE = re.compile(r"^\d{3}(\d\d){0,2}$")
_SENTENCE_END = ("。", "：", "；", ":", "！", "？")
_STARTS = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\d+(?:[、．]|\.(?!\d)))"
)
# cells side by side on a form's line: a space between two words (not a stray space before a comma)
_TABULAR = re.compile(r"[\u3400-\u9fff)）\]] +[\u3400-\u9fffA-Za-z0-9（(≥≤]|\S {2,}\S")


def undouble(line: str) -> str:
    """Bold text as a PDF extraction doubles it, printed once: "收入收入" → "收入",
    "916.53916.53" → "916.53", "第二部分 第二部分 " → "第二部分 ".  Two equal figures in two cells
    ("61.65 61.65") stay two; so does a year ("2020")."""
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        for size in range((n - i) // 2, 1, -1):
            u = line[i : i + size]
            if u[0].isspace() or u[-1].isspace() or u.replace(",", "").isdigit():
                continue
            rest = line[i + size :]
            if rest.startswith(u):
                out.append(u)
                i += 2 * size
                break
            gap = len(rest) - len(rest.lstrip(" "))
            after = rest[gap + size : gap + size + 1]
            whole = (i == 0 or line[i - 1].isspace()) and (not after or after.isspace())
            if gap and whole and _CJK.search(u) and rest[gap:].startswith(u):
                out.append(u)
                i += 2 * size + gap
                break
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def _tokens(line: str) -> list[str]:
    """The cells of one table line: split on single spaces, a figure run into text split off."""
    out: list[str] = []
    for tok in line.split(" "):
        while True:
            m = _GLUED.match(tok)
            if not m or not FIGURE.match(m.group(1)):
                break
            out.append(m.group(1))
            tok = m.group(2)
        out.append(tok)
    return out


def _is_fragment(line: str) -> bool:
    """A piece of a wrapped name: one run of text, no figure, no blank cells around it."""
    s = line.strip(" \u3000")
    ends_bare = line == line.rstrip()  # a row with blank cells after its name ends in spaces
    return bool(s) and ends_bare and " " not in s and not is_figure(s) and not _CODE.match(s)


def _rows(lines: Sequence[str]) -> Iterator[str]:
    """Table lines with wrapped names joined back into their row."""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() and not _is_fragment(line):
            yield line
            i += 1
            continue
        head = line if not line.strip() else ""  # blank cells printed before the wrapped name
        name = "" if head else line
        j = i + 1
        while j < len(lines) and _is_fragment(lines[j]):
            name += lines[j].strip(" ")
            j += 1
        if not name:
            i += 1
            continue
        tail = ""
        numbers = j < len(lines) and lines[j].split() == [str(k) for k in range(1, len(lines[j].split()) + 1)]
        if j < len(lines) and not numbers and (not lines[j].strip() or is_figure(lines[j].split()[0])):
            tail = " " + lines[j].lstrip(" ") if lines[j].strip() else " " + lines[j]
            j += 1
        yield head + name + tail
        i = j


def _cells(line: str, spec: TableSpec) -> list[str]:
    toks = _tokens(line)
    n = len(spec.columns)
    if spec.layout == "balance":
        first = next((k for k, t in enumerate(toks) if t), len(toks))
        if first >= 1 and first < len(toks) and not is_figure(toks[first]):
            toks = ["", ""] + toks[first:]  # the expenditure name, after blank income cells
        elif first == 0 and len(toks) > 1 and toks[1] and not is_figure(toks[1]):
            toks = [toks[0], ""] + toks[1:]  # an income name without a figure, then the expenditure name
        width = 3 + n
    else:
        while toks and not toks[0]:
            toks = toks[1:]
        lead = next((k for k, t in enumerate(toks) if not t), len(toks)) or 1  # no figure: its texts
        for k, t in enumerate(toks):
            if (
                t
                and is_figure(t)
                and not (k == 0 and _CODE.match(t) and len(toks) > 1 and not is_figure(toks[1]))
            ):
                lead = k
                break
        width = lead + n
    while len(toks) > width and not toks[-1]:
        toks = toks[:-1]
    if spec.amount_unit == "万元":  # figures print with two decimals: a bare code among them is no figure
        toks = (
            toks[:lead] + ["" if _CODE.match(t) else t for t in toks[lead:]]
            if spec.layout != "balance"
            else toks
        )
    return toks + [""] * (width - len(toks))


def _width(line: str) -> int:
    """How wide a line prints: a Chinese character takes two columns, a digit or letter one."""
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in line.strip())


def _paragraphs(lines: Sequence[str]) -> Iterator[str]:
    """Prose lines joined into paragraphs: a paragraph ends at a short line ending a sentence, or
    before a heading or numbered item; a line with cells (a form's) stands alone."""
    lengths = Counter(_width(s) for s in lines if _width(s) >= 40 and "  " not in s.strip())
    full = max(lengths, key=lambda n: (lengths[n], n)) if lengths else 0  # the width prose wraps at
    current = ""
    for line in lines:
        s = line.strip()
        if not s:
            continue
        tabular = bool(_TABULAR.search(s))
        if current and (_STARTS.match(s) or tabular):
            yield current
            current = ""
        current += s
        short = _width(s) < full - 3
        heading = bool(_STARTS.match(s)) and short and not s.endswith(("，", "、"))
        if tabular or heading or (s.endswith(_SENTENCE_END) and short) or _width(s) < full / 2:
            yield current
            current = ""
    if current:
        yield current


def read_txt(path: str | Path, profiles: Iterable[Profile] | None = None) -> Document:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", str(path)) from exc
    text = _decoded(raw, str(path))
    if "\x00" in text:
        raise InputError("这不是文本文件（含二进制内容）", str(path))
    lines = [undouble(x.rstrip("\r")) for x in text.split("\n")]
    doc = build_document(str(path), "txt", list(_stream(lines, str(path), profiles)), profiles)
    cut = _cut_off(lines, doc.unit)
    if cut:
        raise InputError(
            f"文本在“{cut[-30:]}”处中断，像是没有复制或下载完整（报告应在一句话、一个数或页码处结束）："
            "请用完整的文本文件，或直接校验 PDF 原件",
            str(path),
        )
    return doc


_TRUNCATED = (
    "文本文件不完整：最后一个字只有一半（第 {at} 字节处被截断），文件没有复制或下载完整：请用完整的文件"
)


def _decoded(raw: bytes, path: str) -> str:
    """The text as UTF-8, else GBK (GB 18030); a file cut off inside its last character is said to be cut off."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.end == len(raw) and exc.reason in (
                "unexpected end of data",
                "incomplete multibyte sequence",
            ):
                raise InputError(_TRUNCATED.format(at=exc.start), path) from None
            continue
    raise InputError("无法识别这个文本文件的编码（应为 UTF-8 或 GBK）", path)


_COMPLETE = ("。", "！", "？", "!", "?", "）", ")", "”", "》", "】", "]", "%", "％", "…")
_NOTHING = ("无", "暂无", "略")  # the whole of a last item's text: （二）其他 / 无
_DATE_OR_FOOTER = re.compile(r"(\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?|第\s*\d+\s*页.*|共\s*\d+\s*页)$")


def _cut_off(lines: Sequence[str], unit: str) -> str:
    """The last line, when the text stops in the middle of a sentence or on a heading with nothing after it
    (a file cut off on a character's boundary); "" when it ends as a report does: a sentence, a figure, a
    page number, a date, a signature, a note."""
    last = next((s.strip(" \u3000\t") for s in reversed(lines) if s.strip(" \u3000\t")), "")
    if last in _NOTHING or last.endswith(_COMPLETE) or last[-1].isdigit() or PAGE_NUMBER.match(last):
        return ""
    if _DATE_OR_FOOTER.search(last) or last.startswith("注") or _is_running_line(last):
        return ""
    if unit and last.replace(" ", "").endswith(unit.replace(" ", "")):
        return ""
    return (
        last
        if _CJK.search(last[-1]) or last.endswith(("，", "、", "；", ";", "：", ":", "（", "《", "“"))
        else ""
    )


def _stream(
    lines: list[str], path: str = "", profiles: Iterable[Profile] | None = None
) -> Iterator[Text | Cells]:
    stripped = [x.strip() for x in lines]
    try:
        found = detect_profile([s for s in stripped if s], profiles)
    except InputError as exc:
        raise InputError(exc.problems[0].message, path) from exc
    specs = {title_key(t.title): t for t in found.profile.tables}
    i = 0
    prose: list[str] = []
    grid = 0
    while i < len(lines):
        hit = _title_of(stripped, i, specs) if stripped[i] else None
        if hit is None:
            prose.append(lines[i])
            i += 1
            continue
        for p in join_forms(_paragraphs(prose)):
            yield from _label_split(p)
        prose = []
        spec, printed, span = hit
        yield Text(printed)
        i += span
        grid += 1
        body: list[str] = []
        while i < len(lines) and (not stripped[i] or _title_of(stripped, i, specs) is None):
            s = stripped[i]
            if PART.match(squash(s)) and not _more_rows(lines, i + 1):
                break
            if s and (
                LABEL.match(squash(s)) or UNIT_LINE.search(s) or UNIT_NAME.search(s) or s.startswith("注")
            ):
                yield from _flush(body, spec, grid)
                body = []
                yield Text(s)
            elif s and (PART.match(squash(s)) or PAGE_NUMBER.match(s) or _is_running_line(s)):
                yield from _flush(body, spec, grid)
                body = []
                yield Text(s)
            else:
                body.append(lines[i])
            i += 1
        yield from _flush(body, spec, grid)
    for p in join_forms(_paragraphs(prose)):
        yield from _label_split(p)


def _more_rows(lines: Sequence[str], start: int) -> bool:
    """A part heading printed inside a table (at a page's top) has the table's rows after it."""
    nxt = next((s for s in lines[start:] if s.strip()), "")
    return bool(nxt) and ("  " in nxt or any(is_figure(t) for t in nxt.split()))


def _is_running_line(s: str) -> bool:
    return s.endswith("公开报告") and len(s) <= 40


def _flush(body: list[str], spec: TableSpec, grid: int) -> Iterator[Cells]:
    for row in _rows([b for b in body if b != ""]):
        yield Cells(_cells(row, spec), None, grid)


def _label_split(paragraph: str) -> Iterator[Text]:
    yield Text(paragraph)
