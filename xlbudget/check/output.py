"""Findings for people (text grouped by severity) and for programs (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from xlbudget.check.findings import SEVERITIES, Finding

JSON_KEYS = ("rule", "severity", "table", "location", "message", "expected", "actual")


def finding_to_json(f: Finding) -> dict[str, Any]:
    """The keys rule, severity, table, location (as text), message, expected, actual; page and quote
    where they apply; ``where``: the location's fields (sheet and cell, json_path, table, row, column,
    page, paragraph …)."""
    out = {key: getattr(f, key) for key in JSON_KEYS}
    out["location"] = str(f.location)
    if f.page is not None:
        out["page"] = f.page
    if f.quote:
        out["quote"] = f.quote
    out["where"] = f.location.to_json()
    return out


def findings_to_json(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """A list of plain objects: always rule … actual (:data:`JSON_KEYS`), page and quote where they apply."""
    return [finding_to_json(f) for f in findings]


def dumps(findings: Sequence[Finding]) -> str:
    return json.dumps(findings_to_json(findings), ensure_ascii=False, indent=1)


def place_text(f: Finding) -> str:
    """Where, for a reader: the page, the table (unless the location names it), the place."""
    where = f.location
    named = bool(where.table) or where.sheet == f"表{f.table}"  # the place says its table already
    parts = [f"第{where.page}页"] if where.page is not None else []
    if where.paragraph is not None:  # a sentence set against a table: the table is what it was checked with
        against = [f"对照表{f.table}"] if f.table is not None else []
        return " · ".join([*parts, str(where), *against])
    parts += [f"表{f.table}"] if f.table is not None and not named else []
    return " · ".join([*parts, str(where)] if str(where) else parts)


def expected_actual(f: Finding) -> str:
    """ "应为：780.05　实为：999.99"; one side alone when the other does not apply, and nothing when that
    side only repeats what the message or the quote says (no "应为：—" against a name)."""
    if f.expected is not None and f.actual is not None:
        return f"应为：{f.expected}　实为：{f.actual}"
    alone = [(word, text) for word, text in (("应为", f.expected), ("实为", f.actual)) if text is not None]
    return "".join(f"{word}：{text}" for word, text in alone if text not in f.message and text not in f.quote)


def format_text(findings: Sequence[Finding], title: str = "") -> str:
    """What a finance officer reads: a count line, then 错误 / 警告 / 提示, each finding with where it is."""
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    head = f"{title}校验结果：" if title else "校验结果："
    summary = "，".join(f"{name} {counts[s]} 项" for s, name in SEVERITIES.items())
    lines = [head + summary]
    if not findings:
        lines.append("未发现问题。")
        return "\n".join(lines) + "\n"
    for severity, name in SEVERITIES.items():
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        lines += ["", f"{name}（{len(group)}）"]
        for i, f in enumerate(group, 1):
            lines.append(f"{i:>3}. {f.message}")
            lines.append(f"     位置：{place_text(f)}")
            if f.quote:
                lines.append(f"     原文：“{f.quote}”")
            figures = expected_actual(f)
            if figures:
                lines.append(f"     {figures}")
            lines.append(f"     规则：{f.rule}")
    return "\n".join(lines) + "\n"
