"""Every JSON the package reads, read one strict way.

``json`` keeps the last of two equal keys silently ({"amount": 1, "amount": 2} is 2); here a
duplicate key is refused with its JSON path.  Every string (key or value) passes
:func:`xlbudget.text.clean_text`: control characters removed, a lone surrogate or a text longer
than a cell refused with its path.
"""

from __future__ import annotations

import json
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


def loads(text: str) -> Any:
    """Parse JSON text strictly; every problem (duplicate key, broken text) → one InputError with paths.

    Syntax errors raise ``json.JSONDecodeError`` (a ``ValueError``), as ``json.loads`` does.
    """
    return clean_strings(json.loads(text, object_pairs_hook=_pairs))
