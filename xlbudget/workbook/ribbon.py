"""The 预算公开 ribbon tab: ``customUI/customUI14.xml`` put into a finished .xlsm at zip level.

XlsxWriter does not write ribbon parts, so :func:`add_ribbon` rewrites the zip
after it: every existing part is copied with the same name, order, bytes and
compression method, ``_rels/.rels`` gains one relationship, and the customUI
part is appended.  Nothing else changes.
"""

from __future__ import annotations

import io
import re
import zipfile
from importlib import resources

CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
UI_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
ROOT_RELS = "_rels/.rels"
REL_ID = "rIdXlbudgetRibbon"
# A fixed timestamp keeps rebuilt files identical.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# Button id → label, the order they appear on the tab.  ``OnRibbon`` passes the id to Python.
BUTTONS = {
    "calc": "计算（填充派生数据）",
    "check": "校验",
    "clear_marks": "清除校验标记",
    "report": "生成报告（Word）",
    "wordcheck": "校验Word报告",
    "pdf": "导出PDF",
    "rollover": "生成下一年度工作簿",
    "rollover_prior": "下一年度（按公开报告）",
    "about": "关于",
}
CALLBACK = "OnRibbon"


def customui_xml() -> bytes:
    """The ribbon definition shipped with the package (``xlbudget/workbook/customUI14.xml``)."""
    return resources.files("xlbudget.workbook").joinpath("customUI14.xml").read_bytes()


def on_actions(xml: bytes) -> dict[str, str]:
    """Button id → its onAction callback, read from a customUI document."""
    import defusedxml.ElementTree as ET  # the part may come from a user's file

    root = ET.fromstring(xml)
    return {el.get("id", ""): el.get("onAction", "") for el in root.iter() if el.get("onAction") is not None}


def _add_relationship(rels: bytes) -> bytes:
    text = rels.decode("utf-8")
    if UI_REL_TYPE in text:
        return rels
    rel = f'<Relationship Id="{REL_ID}" Type="{UI_REL_TYPE}" Target="{CUSTOMUI_PART}"/>'
    text, n = re.subn(r"</Relationships>\s*$", rel + "</Relationships>", text)
    if n != 1:
        raise ValueError("_rels/.rels 格式不对：找不到 </Relationships>")
    return text.encode("utf-8")


def add_ribbon(xlsm: bytes, customui: bytes | None = None) -> bytes:
    """The same workbook with the ribbon part and its relationship added (zip level)."""
    customui = customui if customui is not None else customui_xml()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsm)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == CUSTOMUI_PART:
                continue
            data = src.read(info)
            if info.filename == ROOT_RELS:
                data = _add_relationship(data)
            dst.writestr(info, data, compress_type=info.compress_type)
        part = zipfile.ZipInfo(CUSTOMUI_PART, date_time=_ZIP_DATE)
        part.compress_type = zipfile.ZIP_DEFLATED
        dst.writestr(part, customui)
    return out.getvalue()


def read_ribbon(path_or_bytes: str | bytes) -> bytes | None:
    """The customUI14 part of a workbook, if its root relationships point at one."""
    src = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    with zipfile.ZipFile(src) as z:
        names = set(z.namelist())
        if ROOT_RELS not in names or UI_REL_TYPE not in z.read(ROOT_RELS).decode("utf-8"):
            return None
        return z.read(CUSTOMUI_PART) if CUSTOMUI_PART in names else None
