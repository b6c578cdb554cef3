"""Every JSON the package reads, read one strict way.

``json`` keeps the last of two equal keys silently ({"amount": 1, "amount": 2} is 2); here a
duplicate key is refused with its JSON path.  Every string (key or value) passes
:func:`xlbudget.text.clean_text`: control characters removed, a lone surrogate or a text longer
than a cell refused with its path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xlbudget.errors import InputError, Problem
from xlbudget.text import TextError, clean_text


class _Object(dict):  # type: ignore[type-arg]
    """A JSON object that remembers the keys it had more than once."""

    duplicates: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    out = _Object()
    out.duplicates = []
    for key, value in pairs:
        if key in out and key not in out.duplicates:
            out.duplicates.append(key)
        out[key] = value
    return out


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _check(value: Any, path: str, problems: list[Problem]) -> Any:
    if isinstance(value, str):
        try:
            return clean_text(value)
        except TextError as exc:
            problems.append(Problem(path or "（根）", str(exc)))
            return value
    if isinstance(value, list):
        return [_check(v, _join(path, i), problems) for i, v in enumerate(value)]
    if isinstance(value, dict):
        for key in getattr(value, "duplicates", ()):
            problems.append(
                Problem(
                    _join(path, key), f"键 “{key}” 在同一对象中出现了不止一次：只能保留一个，请删去多余的"
                )
            )
        out = {}
        for key, v in value.items():
            where = _join(path, key)
            try:
                clean_key = clean_text(key)
            except TextError as exc:
                problems.append(Problem(where, f"键名：{exc}"))
                clean_key = key
            out[clean_key] = _check(v, where, problems)
        return out
    return value


def clean_strings(data: Any) -> Any:
    """Every string of parsed JSON (keys too) through :func:`clean_text`; problems → one InputError."""
    problems: list[Problem] = []
    data = _check(data, "", problems)
    if problems:
        raise InputError(problems)
    return data


MAX_BYTES = 50 * 1024 * 1024  # no budget, department or tables JSON comes near it


def load_file(path: str | Path, what: str = "JSON 文件", max_bytes: int = MAX_BYTES) -> Any:
    """Read and parse a JSON file strictly (:func:`loads`); any problem → one :class:`InputError` in
    Chinese naming the file: unreadable, too large, not UTF-8, a syntax error (line and column), too deep."""
    path = Path(path)
    try:
        raw = path.read_bytes() if path.stat().st_size <= max_bytes else None
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", str(path)) from exc
    if raw is None:
        raise InputError(f"文件超过 {max_bytes // 1024 // 1024} MB，不像{what}", str(path))
    try:
        return loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"不是 UTF-8 编码的{what}", str(path)) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"不是有效的 JSON：{json_error(exc)}", str(path)) from exc
    except (RecursionError, ValueError) as exc:  # ValueError: an integer of more than 4300 digits
        raise InputError("JSON 嵌套过深或数字位数过多", str(path)) from exc


def loads(text: str) -> Any:
    """Parse JSON text strictly; every problem (duplicate key, broken text) → one InputError with paths.

    Syntax errors raise ``json.JSONDecodeError`` (a ``ValueError``), as ``json.loads`` does.
    """
    return clean_strings(json.loads(text, object_pairs_hook=_pairs))


# Python's json messages (json/decoder.py, json/scanner.py), in Chinese.
_JSON_MESSAGES = (
    ("Expecting property name enclosed in double quotes", "此处应为用双引号括起的键名（可能多了一个逗号）"),
    ("Expecting ',' delimiter", "此处缺少逗号"),
    ("Expecting ':' delimiter", "此处缺少冒号"),
    ("Expecting value", "此处缺少值（或文件不完整）"),
    ("Unterminated string starting at", "字符串没有结束的引号"),
    ("Invalid control character at", "字符串中有不允许的控制字符"),
    ("Invalid \\escape", "字符串中有无效的 \\ 转义"),
    ("Invalid \\uXXXX escape", "字符串中有无效的 \\u 转义"),
    ("Extra data", "JSON 结束后还有多余内容"),
)


def json_error(exc: json.JSONDecodeError) -> str:
    """Where and what a JSON syntax error is, in Chinese: "第 2 行第 1 列：此处缺少值（或文件不完整）"."""
    what = next((zh for en, zh in _JSON_MESSAGES if exc.msg.startswith(en)), f"语法错误（{exc.msg}）")
    return f"第 {exc.lineno} 行第 {exc.colno} 列：{what}"
