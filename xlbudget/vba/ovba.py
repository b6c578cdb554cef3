"""Writer of source-only VBA projects ([MS-OVBA]).

A project is a compound file (see :mod:`xlbudget.vba.cfb`) holding::

    PROJECT          text stream, §2.3.1
    PROJECTwm        module name map, §2.3.3
    VBA/_VBA_PROJECT version-independent header without performance cache, §2.3.4.1
    VBA/dir          compressed project information, §2.3.4.2
    VBA/<module>     compressed module source, §2.3.4.3

``_VBA_PROJECT`` is written as ``CC 61 FF FF 00 00 00``: version 0xFFFF tells
the host that no compiled code is present, so Excel recompiles from source.
"""

from __future__ import annotations

import re
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from .cfb import write_compound_file

KINDS = ("standard", "document", "class")
CHUNK = 4096

# LIBIDs (§2.1.1.8) of the references Excel puts in every new project.  VBA and
# the host's own library are implicit.  Office supplies IRibbonControl.
_REFERENCES = (
    (
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files\Microsoft Shared"
        r"\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
    ),
)
_WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
_WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
# §2.4.4: ProjectProtectionState, ProjectPassword, ProjectVisibilityState of an open project.
_NOT_PROTECTED, _NO_PASSWORD, _VISIBLE = bytes(4), b"\x00", b"\xff"
_ATTRIBUTE_LINE = re.compile(r"^\s*Attribute\s+VB_\w+\s*=", re.IGNORECASE)


@dataclass(frozen=True)
class VbaModule:
    """One module of the project.

    ``code`` is the VBA source without ``Attribute VB_...`` header lines; the
    writer adds them.  ``kind`` is ``"standard"`` (.bas), ``"class"`` (.cls) or
    ``"document"``: the module named ``ThisWorkbook`` gets the Workbook base
    class, every other document module the Worksheet one, so its name must be
    the sheet's code name (XlsxWriter ``worksheet.set_vba_name``).  Names are
    ASCII identifiers of at most 31 characters.
    """

    name: str
    code: str
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"module {self.name!r}: kind must be one of {KINDS}, not {self.kind!r}")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,30}", self.name):
            raise ValueError(f"invalid VBA module name: {self.name!r}")


# --- §2.4.1 compression -----------------------------------------------------


def _copy_token_layout(difference: int) -> tuple[int, int]:
    """§2.4.1.3.19.1 CopyToken Help: (bit count of the offset, maximum length)."""
    bit_count = max((difference - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _longest_match(data: bytes, pos: int, candidates: list[int], limit: int) -> tuple[int, int]:
    """§2.4.1.3.19.4 Matching: (length, position) of the longest earlier match, tried
    among the 64 most recent positions that share the next three bytes."""
    best_len, best_pos = 0, 0
    for cand in reversed(candidates[-64:]):
        length = 3
        while length < limit and data[cand + length] == data[pos + length]:
            length += 1
        if length > best_len:
            best_len, best_pos = length, cand
            if length == limit:
                break
    return best_len, best_pos


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """§2.4.1.3.7: one CompressedChunk (header + data) for ``data[start:end]``.

    Tokens come in groups of eight behind a flag byte (§2.4.1.1.7); bit i set
    means token i is a 2-byte CopyToken, clear means a literal byte.
    """
    out = bytearray()
    heads: dict[bytes, list[int]] = {}  # 3-byte prefix -> positions in this chunk
    pos = start
    while pos < end:
        flag_index, flags = len(out), 0
        out.append(0)
        for bit in range(8):
            if pos >= end:
                break
            bit_count, max_len = _copy_token_layout(pos - start) if pos > start else (4, 0)
            limit = min(max_len, end - pos)
            length, match = 0, 0
            if limit >= 3:
                length, match = _longest_match(data, pos, heads.get(data[pos : pos + 3], []), limit)
            step = length if length >= 3 else 1
            for p in range(pos, min(pos + step, end - 2)):
                heads.setdefault(data[p : p + 3], []).append(p)
            if length >= 3:
                out += struct.pack("<H", ((pos - match - 1) << (16 - bit_count)) | (length - 3))
                flags |= 1 << bit
            else:
                out.append(data[pos])
            pos += step
        out[flag_index] = flags
    if len(out) > CHUNK:  # §2.4.1.3.10: store raw, padded to 4096 bytes
        return struct.pack("<H", 0x3000 | (CHUNK - 1)) + data[start:end].ljust(CHUNK, b"\0")
    return struct.pack("<H", 0xB000 | (len(out) - 1)) + bytes(out)


def compress(data: bytes) -> bytes:
    """§2.4.1.3.6: CompressedContainer = signature 0x01 + one chunk per 4096 input bytes.

    A final chunk that does not compress to at most 4096 bytes is stored raw and
    padded with zero bytes, as the spec prescribes; VBA source never does that.
    """
    data = bytes(data)
    return b"\x01" + b"".join(
        _compress_chunk(data, i, min(i + CHUNK, len(data))) for i in range(0, len(data), CHUNK)
    )


# --- §2.4.3 data encryption (CMG, DPB, GC of the PROJECT stream) ---------------


def encrypt(data: bytes, project_id: str, seed: int) -> str:
    """§2.4.3.2 Data Encryption; returns the hex text written in the PROJECT stream."""
    key = sum(project_id.encode("ascii")) & 0xFF
    version_enc, key_enc = seed ^ 2, seed ^ key
    out = [seed, version_enc, key_enc]
    unencrypted, enc1, enc2 = key, key_enc, version_enc
    ignored = bytes((seed & 6) // 2)
    for byte in ignored + struct.pack("<I", len(data)) + data:
        byte_enc = byte ^ ((enc2 + unencrypted) & 0xFF)
        out.append(byte_enc)
        enc2, enc1, unencrypted = enc1, byte_enc, byte
    return bytes(out).hex().upper()


# --- module source, §2.3.4.3 ----------------------------------------------------


def _attributes(module: VbaModule) -> list[str]:
    """The header Excel itself writes for each kind of module (§2.3.4.3, [MS-VBAL] §4.2)."""
    lines = [f'Attribute VB_Name = "{module.name}"']
    if module.kind == "standard":
        return lines
    if module.kind == "document":
        base = _WORKBOOK_BASE if module.name.lower() == "thisworkbook" else _WORKSHEET_BASE
        flags = ("False", "False", "True", "True", "False", "True")
    else:
        base, flags = _CLASS_BASE, ("False", "False", "False", "False", "False", "False")
    names = ("GlobalNameSpace", "Creatable", "PredeclaredId", "Exposed", "TemplateDerived", "Customizable")
    lines.append(f'Attribute VB_Base = "{base}"')
    lines += [f"Attribute VB_{n} = {v}" for n, v in zip(names, flags, strict=True)]
    return lines


def module_source(module: VbaModule) -> str:
    """Full module text as stored: attribute header + code, CRLF line ends.

    The header of an exported file already in ``code`` -- ``VERSION 1.0 CLASS``
    ... ``END`` of a .cls and leading ``Attribute VB_...`` lines -- is dropped
    so that it is not written twice.
    """
    lines = module.code.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].startswith("VERSION ") and len(lines) > 1 and lines[1].strip() == "BEGIN":
        end = next((i for i, ln in enumerate(lines) if ln.strip() == "END"), -1)
        lines = lines[end + 1 :]
    while lines and _ATTRIBUTE_LINE.match(lines[0]):
        lines.pop(0)
    text = "\r\n".join(_attributes(module) + lines)
    return text if text.endswith("\r\n") else text + "\r\n"


# --- dir stream, §2.3.4.2 ---------------------------------------------------------


def _rec(record_id: int, payload: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(payload)) + payload


def _u16(v: int) -> bytes:
    return struct.pack("<H", v)


def _u32(v: int) -> bytes:
    return struct.pack("<I", v)


def _dir_stream(modules: Sequence[VbaModule], project_name: str, codepage: int) -> bytes:
    enc = f"cp{codepage}"
    name = project_name.encode(enc)
    parts = [
        _rec(0x0001, _u32(1)),  # PROJECTSYSKIND: 32-bit Windows
        _rec(0x0002, _u32(0x409)),  # PROJECTLCID
        _rec(0x0014, _u32(0x409)),  # PROJECTLCIDINVOKE
        _rec(0x0003, _u16(codepage)),  # PROJECTCODEPAGE
        _rec(0x0004, name),  # PROJECTNAME
        _rec(0x0005, b"") + _rec(0x0040, b""),  # PROJECTDOCSTRING
        _rec(0x0006, b"") + _rec(0x003D, b""),  # PROJECTHELPFILEPATH
        _rec(0x0007, _u32(0)),  # PROJECTHELPCONTEXT
        _rec(0x0008, _u32(0)),  # PROJECTLIBFLAGS
        _u16(0x0009) + _u32(4) + _u32(1) + _u16(0),  # PROJECTVERSION 1.0
        _rec(0x000C, b"") + _rec(0x003C, b""),  # PROJECTCONSTANTS
    ]
    for ref_name, libid in _REFERENCES:  # REFERENCENAME + REFERENCEREGISTERED
        parts.append(_rec(0x0016, ref_name.encode(enc)) + _rec(0x003E, ref_name.encode("utf-16-le")))
        lib = libid.encode(enc)
        parts.append(_rec(0x000D, _u32(len(lib)) + lib + _u32(0) + _u16(0)))
    parts.append(_rec(0x000F, _u16(len(modules))))  # PROJECTMODULES
    parts.append(_rec(0x0013, _u16(0xFFFF)))  # PROJECTCOOKIE
    for m in modules:
        parts += [
            _rec(0x0019, m.name.encode(enc)),  # MODULENAME
            _rec(0x0047, m.name.encode("utf-16-le")),  # MODULENAMEUNICODE
            _rec(0x001A, m.name.encode(enc)) + _rec(0x0032, m.name.encode("utf-16-le")),  # MODULESTREAMNAME
            _rec(0x001C, b"") + _rec(0x0048, b""),  # MODULEDOCSTRING
            _rec(0x0031, _u32(0)),  # MODULEOFFSET: source starts the stream
            _rec(0x001E, _u32(0)),  # MODULEHELPCONTEXT
            _rec(0x002C, _u16(0xFFFF)),  # MODULECOOKIE
            _rec(0x0021 if m.kind == "standard" else 0x0022, b""),  # MODULETYPE
            _rec(0x002B, b""),  # module terminator
        ]
    parts.append(_rec(0x0010, b""))  # dir terminator
    return b"".join(parts)


# --- PROJECT and PROJECTwm streams, §2.3.1 and §2.3.3 -----------------------------


def _project_stream(modules: Sequence[VbaModule], project_name: str, project_id: str, codepage: int) -> bytes:
    seed = sum(project_id.encode()) * 7 & 0xFF  # deterministic output for reproducible builds
    lines = [f'ID="{project_id}"']
    for m in modules:
        if m.kind == "document":
            lines.append(f"Document={m.name}/&H00000000")
        else:
            lines.append(f"{'Module' if m.kind == 'standard' else 'Class'}={m.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(_NOT_PROTECTED, project_id, seed)}"',
        f'DPB="{encrypt(_NO_PASSWORD, project_id, seed)}"',
        f'GC="{encrypt(_VISIBLE, project_id, seed)}"',
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER,
        "",
        "[Workspace]",
        *(f"{m.name}=0, 0, 0, 0, C" for m in modules),
        "",
    ]
    return "\r\n".join(lines).encode(f"cp{codepage}")


def _project_wm(modules: Sequence[VbaModule], codepage: int) -> bytes:
    names = (m.name.encode(f"cp{codepage}") + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in modules)
    return b"".join(names) + b"\0\0"


def _encode(text: str, codepage: int, what: str) -> bytes:
    try:
        return text.encode(f"cp{codepage}")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        raise ValueError(f"module {what!r}: {bad!r} cannot be written in code page {codepage}") from exc


def build_vba_project(
    modules: Sequence[VbaModule], *, project_name: str = "VBAProject", codepage: int = 936
) -> bytes:
    """Return the bytes of a ``vbaProject.bin`` holding ``modules`` as source code.

    Module text is encoded in ``codepage`` (936 = GBK for Chinese Excel).  The
    output is deterministic: the project ID is derived from the inputs.
    """
    seen: set[str] = set()
    for m in modules:
        if m.name.lower() in seen:
            raise ValueError(f"duplicate module name: {m.name!r}")
        seen.add(m.name.lower())
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,30}", project_name):
        raise ValueError(f"invalid VBA project name: {project_name!r}")
    sources = {m.name: _encode(module_source(m), codepage, m.name) for m in modules}
    digest = uuid.uuid5(uuid.NAMESPACE_URL, "xlbudget-vba:" + project_name + ":" + ",".join(sources))
    project_id = "{" + str(digest).upper() + "}"
    vba = {
        "_VBA_PROJECT": bytes.fromhex("CC61FFFF000000"),
        "dir": compress(_dir_stream(modules, project_name, codepage)),
        **{name: compress(src) for name, src in sources.items()},
    }
    return write_compound_file(
        {
            "PROJECT": _project_stream(modules, project_name, project_id, codepage),
            "PROJECTwm": _project_wm(modules, codepage),
            "VBA": vba,
        }
    )
