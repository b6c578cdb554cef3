"""A minimal writer of Compound File Binary files ([MS-CFB], version 3).

Only what a ``vbaProject.bin`` needs: a fresh file written in one go, 512-byte
sectors (§2.2), one FAT (§2.3) whose sectors are all listed in the header's
DIFAT array (so at most 109 FAT sectors, about 6.8 MB of content), a mini FAT
(§2.4) and mini stream (§2.5) for streams under the 4096-byte cutoff, and a
directory (§2.6) whose sibling trees are red-black trees (§2.6.4).

PyPI has readers (olefile, compoundfiles, cfb) but no maintained writer of new
files, hence this module.  The input is a tree of plain mappings::

    write_compound_file({"PROJECT": b"...", "VBA": {"dir": b"...", "Module1": b"..."}})

A ``bytes`` value is a stream, a mapping is a storage.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
DIR_ENTRY = 128
MAX_FAT_SECTORS = 109  # header DIFAT slots (§2.2); no DIFAT sectors are written

# Special sector numbers (§2.1).
FATSECT = 0xFFFFFFFD
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
NOSTREAM = 0xFFFFFFFF

# Object types (§2.6.1).
STORAGE, STREAM, ROOT = 1, 2, 5
RED, BLACK = 0, 1

Tree = Mapping[str, "bytes | Tree"]


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _sort_key(name: str) -> tuple[int, str]:
    """Directory order of §2.6.4: shorter names first, then by upper-cased code units."""
    return (len(name.encode("utf-16-le")), name.upper())


def _check_name(name: str) -> None:
    """§2.6.1: at most 31 UTF-16 code units, none of ``/ \\ : !``."""
    if not name or len(name.encode("utf-16-le")) > 62 or any(c in name for c in "/\\:!"):
        raise ValueError(f"invalid compound file entry name: {name!r}")


def _build_tree(name: str, node: Tree, kind: int) -> _Entry:
    entry = _Entry(name, kind)
    seen: set[str] = set()
    for child_name, value in node.items():
        _check_name(child_name)
        if child_name.upper() in seen:
            raise ValueError(f"duplicate entry name (case-insensitive): {child_name!r}")
        seen.add(child_name.upper())
        if isinstance(value, bytes | bytearray):
            entry.children.append(_Entry(child_name, STREAM, bytes(value)))
        else:
            entry.children.append(_build_tree(child_name, value, STORAGE))
    return entry


def _link_siblings(nodes: list[_Entry], depth: int, max_depth: int) -> int:
    """Make a balanced binary search tree of ``nodes`` (already sorted); return its root id.

    Coloring (§2.6.4): nodes on the deepest level are red, all others black.  In
    a tree built by always splitting at the middle every empty link sits on one
    of the two deepest levels, so every path has the same number of black nodes
    and no red node has a red child.
    """
    if not nodes:
        return NOSTREAM
    mid = len(nodes) // 2
    node = nodes[mid]
    node.left = _link_siblings(nodes[:mid], depth + 1, max_depth)
    node.right = _link_siblings(nodes[mid + 1 :], depth + 1, max_depth)
    node.color = RED if depth == max_depth and depth > 0 else BLACK
    return node.sid


def _tree_height(n: int) -> int:
    """Depth (root = 0) of the deepest node of a middle-split tree of n nodes."""
    return n.bit_length() - 1


def _flatten(root: _Entry) -> list[_Entry]:
    """Assign stream ids in breadth-first order; the root entry gets id 0."""
    order: list[_Entry] = []
    queue = [root]
    while queue:
        entry = queue.pop(0)
        entry.sid = len(order)
        order.append(entry)
        entry.children.sort(key=lambda e: _sort_key(e.name))
        queue.extend(entry.children)
    for entry in order:
        if entry.children:
            height = _tree_height(len(entry.children))
            entry.child = _link_siblings(entry.children, 0, height)
    return order


def _pad(data: bytes, unit: int) -> bytes:
    return data + b"\0" * (-len(data) % unit)


def _chain(table: list[int], first: int, count: int) -> None:
    """Write a contiguous chain of ``count`` sectors starting at ``first`` into a FAT."""
    for i in range(count):
        table[first + i] = first + i + 1 if i + 1 < count else ENDOFCHAIN


def _dir_entry(e: _Entry | None) -> bytes:
    """One 128-byte directory entry (§2.6.1); ``None`` is an unused entry."""
    if e is None:
        return b"\0" * 66 + bytes([0, 0]) + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) + b"\0" * 48
    name = (e.name + "\0").encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name, len(name), e.kind, e.color, e.left, e.right, e.child,
        b"\0" * 16, 0, 0, 0, e.start, e.size,
    )  # fmt: skip


def write_compound_file(tree: Tree) -> bytes:
    """Serialise ``tree`` as a version 3 compound file and return its bytes."""
    entries = _flatten(_build_tree("Root Entry", tree, ROOT))
    streams = [e for e in entries if e.kind == STREAM]

    # Mini stream (§2.5): small streams, each padded to 64-byte mini sectors.
    mini_fat: list[int] = []
    mini_stream = bytearray()
    for e in streams:
        e.size = len(e.data)
        if 0 < e.size < MINI_CUTOFF:
            e.start = len(mini_fat)
            count = -(-e.size // MINI_SECTOR)
            mini_fat.extend([0] * count)
            _chain(mini_fat, e.start, count)
            mini_stream += _pad(e.data, MINI_SECTOR)

    big = [e for e in streams if e.size >= MINI_CUTOFF]
    n_dir = -(-len(entries) * DIR_ENTRY // SECTOR)
    n_minifat = -(-len(mini_fat) * 4 // SECTOR)
    n_mini = -(-len(mini_stream) // SECTOR)
    n_big = sum(-(-e.size // SECTOR) for e in big)
    n_content = n_dir + n_minifat + n_mini + n_big
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_content:
        n_fat += 1
    if n_fat > MAX_FAT_SECTORS:
        raise ValueError("compound file too large for a header-only DIFAT")

    # Sector layout: FAT | directory | mini FAT | mini stream | big streams.
    fat = [FREESECT] * (n_fat * SECTOR // 4)
    for i in range(n_fat):
        fat[i] = FATSECT
    dir_start = n_fat
    _chain(fat, dir_start, n_dir)
    minifat_start = dir_start + n_dir if n_minifat else ENDOFCHAIN
    if n_minifat:
        _chain(fat, minifat_start, n_minifat)
    root = entries[0]
    next_free = dir_start + n_dir + n_minifat
    if n_mini:
        root.start, root.size = next_free, len(mini_stream)
        _chain(fat, next_free, n_mini)
        next_free += n_mini
    body = bytearray()
    for e in big:
        count = -(-e.size // SECTOR)
        e.start = next_free
        _chain(fat, next_free, count)
        next_free += count
        body += _pad(e.data, SECTOR)

    difat = list(range(n_fat)) + [FREESECT] * (MAX_FAT_SECTORS - n_fat)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        bytes.fromhex("D0CF11E0A1B11AE1"), b"\0" * 16,
        0x003E, 0x0003, 0xFFFE, 9, 6, b"\0" * 6,
        0, n_fat, dir_start, 0, MINI_CUTOFF,
        minifat_start, n_minifat, ENDOFCHAIN, 0, *difat,
    )  # fmt: skip
    directory = b"".join(_dir_entry(e) for e in entries)
    directory += _dir_entry(None) * (n_dir * SECTOR // DIR_ENTRY - len(entries))
    minifat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    minifat_bytes += struct.pack("<I", FREESECT) * (n_minifat * SECTOR // 4 - len(mini_fat))
    return b"".join(
        [
            header,
            struct.pack(f"<{len(fat)}I", *fat),
            directory,
            minifat_bytes,
            _pad(bytes(mini_stream), SECTOR),
            bytes(body),
        ]
    )
