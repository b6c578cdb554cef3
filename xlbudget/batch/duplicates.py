"""One unit's budget submitted twice in one batch: each of its files gets a finding naming the others, and
the summary counts the unit once.

A unit is its name (spaces removed, full-width and half-width brackets alike) in a year. The budget's
``unit.code`` is the 主管部门代码 — every unit of a department shares it — so it does not make two files one
unit; it keeps two units of the same name under different departments (两个“机关服务中心”) apart: files whose
codes are both filled in and differ are different units. Only budgets count (workbooks and unit JSON that
were read); a published report beside its unit's workbook is not a second submission.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from xlbudget.batch.result import RULE_DUPLICATE, TOTALS, UnitResult

_SAME = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]"})


def _name(unit: str) -> str:
    return "".join(unit.split()).translate(_SAME)


def _key(r: UnitResult) -> tuple[int | None, str] | None:
    return (r.year, _name(r.unit)) if r.budget and _name(r.unit) else None


def _same_unit(a: UnitResult, b: UnitResult) -> bool:
    return not (a.code and b.code and a.code.strip() != b.code.strip())


def duplicates(results: Sequence[UnitResult]) -> dict[int, list[UnitResult]]:
    """For each result (by index) of a unit submitted more than once, the unit's other files."""
    by_key: dict[tuple[int | None, str], list[UnitResult]] = defaultdict(list)
    for r in results:
        key = _key(r)
        if key is not None:
            by_key[key].append(r)
    out: dict[int, list[UnitResult]] = {}
    for group in by_key.values():
        for r in group:
            others = [o for o in group if o is not r and _same_unit(r, o)]
            if others:
                out[r.index] = others
    return out


def unit_count(results: Sequence[UnitResult]) -> int:
    """The units the results stand for: a unit submitted in several files once; a file that was not read
    (no unit known) counts as one."""
    seen: set[tuple[int | None, str, str]] = set()
    uncoded: set[tuple[int | None, str]] = set()
    n = 0
    for r in results:
        key = _key(r)
        if key is None:
            n += 1
        elif r.code.strip():
            seen.add((*key, r.code.strip()))
        else:
            uncoded.add(key)
    coded_names = {(year, name) for year, name, _code in seen}
    return n + len(seen) + len(uncoded - coded_names)


def _totals_differ(r: UnitResult, others: Sequence[UnitResult]) -> str:
    """ "收入总计 a.xlsm 81.52、b.xlsm 80.00 万元" for every total on which the files disagree."""
    parts = []
    for t in TOTALS:
        values = [(f.file, f.totals.get(t, "")) for f in (r, *others)]
        if len({v for _file, v in values}) > 1:
            parts.append(f"{t} " + "、".join(f"{file} {v or '无'}" for file, v in values) + " 万元")
    return "；".join(parts)


def groups(results: Sequence[UnitResult]) -> list[list[UnitResult]]:
    """Each unit submitted more than once: its files, in input order."""
    found = duplicates(results)
    out: list[list[UnitResult]] = []
    for r in results:
        if r.index in found and not any(r in g for g in out):
            out.append(sorted((r, *found[r.index]), key=lambda x: x.index))
    return out


def mark_duplicates(results: Sequence[UnitResult]) -> None:
    """Add a ``batch.duplicate_unit`` warning to every file of a unit submitted more than once (replacing
    one an earlier run left, ``--resume``)."""
    found = duplicates(results)
    for r in results:
        r.findings = [f for f in r.findings if f[0] != RULE_DUPLICATE]
        others = found.get(r.index)
        if not others:
            continue
        year = f"{r.year}年" if r.year else "年度未填"
        differ = _totals_differ(r, others)
        message = (
            f"同一单位（{r.unit}，{year}）的预算报送了 {len(others) + 1} 份："
            f"本文件与 {'、'.join(o.file for o in others)}；汇总表“说明”中的单位数只算一次。"
            + (f"各份的数字不同：{differ}。" if differ else "各份的主要数字相同。")
            + "请确认以哪一份为准，删去其余"
        )
        r.findings.insert(0, (RULE_DUPLICATE, "warning", None, r.file, message, None, None, ""))


def describe(groups: Sequence[Sequence[UnitResult]]) -> list[str]:
    """One line per unit submitted more than once: "大同市信访局（2023年）：a.xlsm、b.xlsm"."""
    return [
        f"{g[0].unit}（{f'{g[0].year}年' if g[0].year else '年度未填'}）：{'、'.join(r.file for r in g)}"
        for g in groups
    ]
