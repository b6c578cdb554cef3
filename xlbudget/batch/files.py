"""What a folder from the field holds besides good files, said in Chinese.

- :func:`readable` shows any text a batch meets — above all file names that are not UTF-8,
  as unzip leaves the GBK names of a zip made on Chinese Windows — as text every writer can
  encode: the bytes Python keeps as lone surrogates (``surrogateescape``) are read as UTF-8,
  else GB18030 (GBK's superset), else shown as ``\\xNN``.
- :func:`probe` says what is wrong with a path before anyone opens it: a link that loops or
  points nowhere, a FIFO (reading one waits forever), a device, a socket, an empty file, a
  file without read permission.
- :func:`os_error_text` words an ``OSError`` for the user.
"""

from __future__ import annotations

import errno
import os
import re
import stat

_ESCAPED = re.compile("[\udc80-\udcff]+")  # bytes that were not UTF-8, kept by surrogateescape
_SURROGATE = re.compile("[\ud800-\udfff]")

_ERRNO_TEXT = {
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作",
    errno.ENOENT: "不存在",
    errno.ELOOP: "链接形成循环",
    errno.ENAMETOOLONG: "路径过长",
    errno.EIO: "读写错误（磁盘或网络盘故障）",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是文件夹",
    errno.EMFILE: "打开的文件过多",
    errno.ENXIO: "设备不存在",
    errno.ESTALE: "网络盘上的文件已失效",
}


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("ascii", "backslashreplace")


def readable(text: str) -> str:
    """``text`` with every lone surrogate resolved: it encodes as UTF-8 afterwards."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    text = _ESCAPED.sub(lambda m: _decode(bytes(ord(c) - 0xDC00 for c in m.group())), text)
    return _SURROGATE.sub("\ufffd", text)


def readable_name(name: str) -> str:
    """A file or folder name as the user saw it on Windows: the whole name's bytes decoded, so that a
    GBK character whose second byte is ASCII is not split."""
    parts = []
    for part in name.split("/"):
        if not name_is_utf8(part):
            try:
                part = readable(_decode(part.encode("utf-8", "surrogateescape")))
            except UnicodeEncodeError:  # a surrogate that is no escaped byte: not from the file system
                part = readable(part)
        parts.append(part)
    return "/".join(parts)


def name_is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def os_error_text(exc: OSError) -> str:
    text = _ERRNO_TEXT.get(exc.errno or 0) or readable(exc.strerror or type(exc).__name__)
    return f"{text}（{errno.errorcode.get(exc.errno or 0, 'OSError')}）"


def probe(path: str) -> str | None:
    """Why ``path`` cannot be read as an input, or ``None`` when it is a readable, non-empty file.

    Nothing is read and a FIFO is never opened; links are followed (a link to a good file is a good
    input)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "检查时文件已不存在（可能已被移走或删除）"
    except OSError as exc:
        return f"无法查看该文件：{os_error_text(exc)}"
    if stat.S_ISLNK(st.st_mode):
        try:
            st = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "链接形成循环（链接最终又指向它自己），无法打开"
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                try:
                    target = readable(os.readlink(path))
                except OSError:
                    target = "?"
                return f"链接指向的文件不存在：{target}"
            return f"无法打开链接指向的文件：{os_error_text(exc)}"
    mode = st.st_mode
    if stat.S_ISFIFO(mode):
        return "这是命名管道（FIFO），不是普通文件，未检查"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是设备文件，不是普通文件，未检查"
    if stat.S_ISSOCK(mode):
        return "这是套接字（socket），不是普通文件，未检查"
    if stat.S_ISDIR(mode):
        return "这是文件夹，不是文件，未检查"
    if not stat.S_ISREG(mode):
        return "不是普通文件，未检查"
    if st.st_size == 0:
        return "文件是空的（0 字节）：可能上传、复制或解压没有完成"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except PermissionError:
        return "没有读取该文件的权限，请检查文件权限后重试"
    except OSError as exc:
        return f"无法打开该文件：{os_error_text(exc)}"
    os.close(fd)
    return None
