"""Atomic writes: a temp file in the same folder, flushed, then renamed over the target.

A process killed mid-write leaves the old file whole; readers never see half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or what a plain ``open(path, "w")`` would give (0o666 less umask)."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes_atomic(path: str | Path, data: bytes, *, fsync: bool = True) -> None:
    """``data`` to ``path`` atomically.  An :class:`OSError` names ``path`` (never the temp file).

    ``fsync=False`` skips the disk flush: a crash then leaves the old file or the new one, whole, but a
    power cut may lose the new one — for records that are cheap to make again.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if fsync:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(path))  # mkstemp makes 0600; keep what the user's file had
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_folder_for(path: str | Path) -> None:
    """The folder ``path`` goes into, made with its parents when missing (``report -o 新文件夹/报告.docx``
    as a user expects).  An :class:`OSError` names the folder: a file of that name in the way, no right."""
    folder = Path(path).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(folder)) from exc
