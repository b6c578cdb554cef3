"""The report as PDF: LibreOffice headless where installed, else Word through COM (Windows).

LibreOffice runs with its own throw-away profile per conversion
(``-env:UserInstallation=file:///tmp/...``), so runs never share state and may
run side by side.  Into that profile goes a font replacement table: the 公文
fonts a Linux machine lacks (仿宋_GB2312, 楷体_GB2312, 方正小标宋简体, 黑体,
宋体) are drawn with the Noto CJK SC faces, never with a Latin font or a
Japanese face.  When Python-UNO is available the conversion also updates the
table of contents (page numbers) before exporting.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_S = 180

# 公文 font → installed face drawn in its place when the font itself is missing.
FONT_SUBSTITUTES = {
    "仿宋_GB2312": ["FangSong", "仿宋", "Noto Serif CJK SC", "Source Han Serif SC"],
    "楷体_GB2312": ["KaiTi", "楷体", "AR PL UKai CN", "Noto Serif CJK SC", "Source Han Serif SC"],
    "方正小标宋简体": ["FZXiaoBiaoSong-B05S", "SimSun", "宋体", "Noto Serif CJK SC", "Source Han Serif SC"],
    "宋体": ["SimSun", "Noto Serif CJK SC", "Source Han Serif SC"],
    "黑体": ["SimHei", "Noto Sans CJK SC", "Source Han Sans SC"],
}


class PdfError(Exception):
    """No PDF could be made; ``str()`` is a Chinese sentence saying why and what to do."""


def find_soffice() -> str | None:
    candidates = [os.environ.get("SOFFICE"), shutil.which("soffice"), shutil.which("libreoffice")]
    if sys.platform == "win32":
        for base in (os.environ.get("ProgramFiles", ""), os.environ.get("ProgramFiles(x86)", "")):
            if base:
                candidates.append(str(Path(base) / "LibreOffice" / "program" / "soffice.exe"))
    else:
        candidates += ["/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice"]
    for cand in candidates:
        if cand and Path(cand).exists() and os.access(cand, os.X_OK):
            return cand
    return None


def installed_families() -> set[str]:
    """Font families fontconfig knows (empty where fc-list is absent, e.g. Windows)."""
    fc = shutil.which("fc-list")
    if not fc:
        return set()
    out = subprocess.run([fc, ":", "family"], capture_output=True, text=True, timeout=30).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def substitutions(families: set[str]) -> dict[str, str]:
    """Missing 公文 font → an installed face, for fonts that are not installed themselves."""
    if not families:
        return {}
    subs = {}
    for font, choices in FONT_SUBSTITUTES.items():
        if font in families:
            continue
        face = next((c for c in choices if c in families), None)
        if face:
            subs[font] = face
    return subs


def profile_xcu(subs: dict[str, str]) -> str:
    """registrymodifications.xcu: the font replacement table, and no first-start dialogs."""
    from xml.sax.saxutils import escape  # (imports urllib.request: only when converting)

    items = [
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>'
    ]
    for i, (font, face) in enumerate(sorted(subs.items())):
        items.append(
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name="_{i}" oor:op="replace">'
            '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
            '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
            f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(font)}</value></prop>'
            f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(face)}</value></prop>'
            "</node></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + "\n".join(items)
        + "\n</oor:items>\n"
    )


# Runs under the interpreter that has ``uno`` (Debian: /usr/bin/python3).
# argv: soffice, profile_url, in_url, out_url, toc_file
_UNO_CONVERT = r"""
import subprocess, sys, time, uuid
try:
    import uno
    from com.sun.star.beans import PropertyValue
except ImportError:
    sys.exit(NO_UNO)

soffice, profile_url, in_url, out_url, toc_file = sys.argv[1:6]
pipe = "xlbudget_pdf_" + uuid.uuid4().hex
office = subprocess.Popen(
    [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
     "-env:UserInstallation=" + profile_url, "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def prop(name, value):
    p = PropertyValue(); p.Name, p.Value = name, value; return p

try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    ctx = None
    for _ in range(1200):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            if office.poll() is not None:
                raise SystemExit("soffice exited early")
            time.sleep(0.05)
    if ctx is None:
        raise SystemExit("soffice did not answer")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(in_url, "_blank", 0, (prop("Hidden", True),))
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        indexes.getByIndex(i).update()
    doc.refresh()
    # a second pass: the updated contents may move headings to other pages
    for i in range(indexes.getCount()):
        indexes.getByIndex(i).update()
    doc.storeToURL(out_url, (prop("FilterName", "writer_pdf_Export"),))
    # the table of contents as laid out (entry TAB page), for the .docx's own cached contents
    import json
    contents = [indexes.getByIndex(i).getAnchor().getString() for i in range(indexes.getCount())]
    with open(toc_file, "w", encoding="utf-8") as f:
        json.dump(contents, f, ensure_ascii=False)
    doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
finally:
    try:
        office.wait(timeout=20)
    except Exception:
        office.kill()
"""


NO_UNO = 75  # the exit code of the conversion script under an interpreter that cannot import uno


def _uno_pythons() -> list[str]:
    """Interpreters that may ``import uno``, best first: this one where it can (asked without starting
    another Python), then the system's.  Which one can is found by running the conversion itself (it
    exits :data:`NO_UNO` where uno is missing): no probe process before each conversion."""
    import importlib.util

    out = [sys.executable] if importlib.util.find_spec("uno") is not None else []
    system = "/usr/bin/python3"
    if (
        sys.platform != "win32"
        and Path(system).exists()
        and os.path.realpath(system) != os.path.realpath(sys.executable)
    ):
        out.append(system)
    return out


def _libreoffice(soffice: str, src: Path, dest: Path) -> tuple[tuple[str, str], ...]:
    """Convert; returns the table of contents as laid out, (entry, page) pairs ((): unknown)."""
    with tempfile.TemporaryDirectory(prefix="xlbudget-lo-") as tmp:
        profile = Path(tmp) / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(
            profile_xcu(substitutions(installed_families())), "utf-8"
        )
        profile_url = profile.as_uri()
        work = Path(tmp) / "out"
        work.mkdir()
        produced = work / (src.stem + ".pdf")
        toc_file = Path(tmp) / "contents.json"
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        script = Path(tmp) / "convert.py"
        script.write_text(f"NO_UNO = {NO_UNO}\n" + _UNO_CONVERT, "utf-8")
        run = None
        for py in _uno_pythons():
            run = subprocess.run(
                [
                    py,
                    str(script),
                    soffice,
                    profile_url,
                    src.resolve().as_uri(),
                    produced.as_uri(),
                    str(toc_file),
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                env=env,
            )
            if run.returncode != NO_UNO:
                break
        if run is None or not produced.exists():
            run = subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={profile_url}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf:writer_pdf_Export",
                    "--outdir",
                    str(work),
                    str(src.resolve()),
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
            )
        if not produced.exists():
            detail = (run.stderr or run.stdout or "").strip()[-500:]
            raise PdfError(f"LibreOffice 未能把 {src.name} 转换为 PDF。{detail}")
        tmp_dest = dest.with_name(f".{dest.name}.tmp")
        shutil.copyfile(produced, tmp_dest)
        os.replace(tmp_dest, dest)
        return _contents(toc_file)


def _contents(toc_file: Path) -> tuple[tuple[str, str], ...]:
    """LibreOffice's laid-out contents ("第一部分　概况\t3" lines) as (entry, page) pairs."""
    try:
        indexes = json.loads(toc_file.read_text("utf-8"))
    except (OSError, ValueError):
        return ()
    pairs = []
    for text in indexes[:1]:
        for line in str(text).splitlines():
            entry, _, page = line.rpartition("\t")
            if entry.strip() and page.strip().isdigit():
                pairs.append((entry.strip(), page.strip()))
    return tuple(pairs)


def _word(src: Path, dest: Path) -> None:
    """Windows without LibreOffice: Word itself through COM (pywin32, which xlwings installs)."""
    import win32com.client  # type: ignore[import-not-found]

    word = win32com.client.DispatchEx("Word.Application")
    word.Visible = False
    try:
        doc = word.Documents.Open(str(src.resolve()), ReadOnly=True)
        try:
            for toc in doc.TablesOfContents:
                toc.Update()
            doc.ExportAsFixedFormat(str(dest.resolve()), 17)  # wdExportFormatPDF
        finally:
            doc.Close(False)
    finally:
        word.Quit()


@dataclass(frozen=True)
class Conversion:
    pdf: Path
    contents: tuple[tuple[str, str], ...] = ()  # (entry, page) of the table of contents, when known


def convert(src: str | Path, dest: str | Path | None = None) -> Conversion:
    """Convert a .docx to PDF. Raises :class:`PdfError` with a Chinese message."""
    src = Path(src)
    dest = Path(dest) if dest else src.with_suffix(".pdf")
    soffice = find_soffice()
    if soffice:
        try:
            return Conversion(dest, _libreoffice(soffice, src, dest))
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"LibreOffice 转换 PDF 超时（{TIMEOUT_S} 秒）：{src.name}") from exc
    if sys.platform == "win32":
        try:
            _word(src, dest)
            return Conversion(dest)
        except ImportError:
            pass
        except Exception as exc:
            raise PdfError(f"通过 Word 转换 PDF 失败：{exc}") from exc
    raise PdfError(
        "无法生成 PDF：本机没有安装 LibreOffice"
        + ("，也无法调用 Word（需要 pywin32）" if sys.platform == "win32" else "")
        + "。Word 文档已经生成，可在 Word 或 WPS 中“另存为 PDF”；"
        "或安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui fonts-noto-cjk）后重试。"
    )


def docx_to_pdf(src: str | Path, dest: str | Path | None = None) -> Path:
    """Convert a .docx to PDF; returns the PDF path. Raises :class:`PdfError` with a Chinese message."""
    return convert(src, dest).pdf


def describe() -> str:
    """Which converter would be used here (for messages and tests)."""
    soffice = find_soffice()
    return json.dumps(
        {"soffice": soffice, "uno_pythons": _uno_pythons() if soffice else []}, ensure_ascii=False
    )
