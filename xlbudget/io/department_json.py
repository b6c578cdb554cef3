"""Read a department (部门): its own JSON (``xlbudget/department/1``) and its units' files.

The department JSON says who the 部门 is and carries its own texts; its units are unit-budget JSON
files or workbooks (one per unit: 部门本级 and each 下属单位), given as files or as a folder holding
them (and, optionally, the department JSON itself)::

    {
      "schema": "xlbudget/department/1",
      "year": 2023,
      "department": {"name": "大同市信访局", "code": "017", "level": "市级", "region": "大同市",
                     "province": "山西省"},
      "units": ["大同市信访局（本级）", "大同市信访局信息中心"],
      "overview": {"duties_intro": "…", "duties": ["…"], "organization": "…"},
      "explanations": {"total_change": "…"},
      "assets": {"vehicles": [{"purpose": "机要通信用车", "count": 1}], "building_area_m2": "918.16"},
      "other_notes": {"purchase_service_catalog": "…", "other": "…"},
      "project_explanation": {"overview": "…", "basis": "…", "annual_budget": "…"}
    }

``year`` (optional) must be every unit's; ``units`` (optional) lists the units' names in print order and
must name exactly the units given; ``overview``, ``explanations``, ``assets`` and ``other_notes`` have the
unit budget's shape (without ``assets`` the units' vehicles are summed); ``project_explanation`` (a
Shanghai 部门's 项目经费情况说明, 七) one text per section (``xlbudget.model.PROJECT_SECTIONS``).  Unknown keys are refused, as is
anything else wrong, each with its JSON path; a unit file's problems come with the file's name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from xlbudget.department import Department
from xlbudget.errors import InputError, Problem
from xlbudget.io import strict_json
from xlbudget.io.load import WORKBOOK_SUFFIXES, read_budget
from xlbudget.io.unit_json import _Reader
from xlbudget.model import PROJECT_SECTIONS, ProjectExplanation, UnitBudget
from xlbudget.tables import TableSet

SCHEMA_ID = "xlbudget/department/1"
KEYS = (
    "schema",
    "year",
    "department",
    "units",
    "overview",
    "explanations",
    "assets",
    "other_notes",
    "project_explanation",
)
DEPARTMENT_KEYS = ("name", "code", "level", "region", "province", "profile")


def _load(path: Path) -> Any:
    return strict_json.load_file(path, "部门信息")


def is_department_json(path: Path) -> bool:
    """True for a .json file that says it is a department's (``"schema": "xlbudget/department/1"``)."""
    if path.suffix.lower() != ".json":
        return False
    try:
        data = json.loads(path.read_text("utf-8-sig"))  # only to tell the kinds apart
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("schema") == SCHEMA_ID


def department_from_dict(
    data: Any, units: Sequence[UnitBudget], file: str = "", shown: Sequence[TableSet | None] = ()
) -> Department:
    """A parsed department JSON and its units' budgets → :class:`Department` (units in print order)."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError("部门信息应为 JSON 对象（{…}）", file)
    for key in data:
        if key not in KEYS:
            problems.append(Problem(key, f"部门信息中没有这一项“{key}”，可用的有：{'、'.join(KEYS)}"))
    if data.get("schema") != SCHEMA_ID:
        problems.append(Problem("schema", f"部门信息的 schema 应为 “{SCHEMA_ID}”"))
    head = data.get("department")
    if not isinstance(head, dict):
        problems.append(
            Problem("department", "缺少部门信息（department：name、code、level、region、province）")
        )
        head = {}
    for key in head:
        if key not in DEPARTMENT_KEYS:
            problems.append(
                Problem(
                    f"department.{key}",
                    f"部门信息中没有这一项“{key}”，可用的有：{'、'.join(DEPARTMENT_KEYS)}",
                )
            )
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100):
        problems.append(
            Problem("year", f"预算年度应为四位数年份，不是 {json.dumps(year, ensure_ascii=False)}")
        )
        year = None
    reader = _Reader(file)
    unit = reader.unit(head, "department")
    # the texts have the unit budget's shape: read them by the same reader, at the same paths
    texts = reader.budget(
        {"year": year or 2000, "unit": {"name": unit.name or "-"}}
        | {k: data[k] for k in ("overview", "explanations", "assets", "other_notes") if k in data}
    )
    project = _project_explanation(data.get("project_explanation"), reader)
    problems += reader.problems
    as_shown = {id(b): t for b, t in zip(units, shown, strict=False)}
    units = _in_order(data.get("units"), units, problems)
    if problems:
        raise InputError(problems)
    return Department(
        unit=unit,
        year=year if year is not None else (units[0].year if units else 0),
        units=tuple(units),
        overview=texts.overview,
        explanations=texts.explanations,
        assets=texts.assets if "assets" in data else None,
        other_notes=texts.other_notes,
        project_explanation=project,
        source=reader.source(""),
        shown=tuple(as_shown.get(id(b)) for b in units),
    )


def _project_explanation(raw: Any, reader: _Reader) -> ProjectExplanation:
    """``project_explanation``: the 项目经费情况说明, one text per section (:data:`PROJECT_SECTIONS`)."""
    path = "project_explanation"
    d = reader.obj(raw, path)
    names = "、".join(f"{k}（{v}）" for k, v in PROJECT_SECTIONS.items())
    for key in d:
        if key not in PROJECT_SECTIONS:
            reader.problem(f"{path}.{key}", f"项目经费情况说明中没有这一项“{key}”，可用的有：{names}")
    texts = {key: reader.text(d, key, path) for key in PROJECT_SECTIONS}
    return ProjectExplanation(**texts, source=reader.source(path))


def _in_order(names: Any, units: Sequence[UnitBudget], problems: list[Problem]) -> list[UnitBudget]:
    """The units in the order ``units`` names them (each named unit given, each given unit named)."""
    if names is None:
        return list(units)
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        problems.append(Problem("units", "units 应为各单位名称的列表（按公开表的顺序）"))
        return list(units)
    by_name = {b.unit.name: b for b in units}
    order = [n.strip() for n in names]
    for i, name in enumerate(order):
        if name not in by_name:
            problems.append(
                Problem(f"units[{i}]", f"没有“{name}”的预算文件（给出的单位：{'、'.join(by_name)}）")
            )
    for b in units:
        if b.unit.name not in order:
            problems.append(Problem(b.origin or b.unit.name, f"{b.unit.name}不在部门信息的 units 名单中"))
    return [by_name[n] for n in order if n in by_name]


def _files(paths: Sequence[str | Path]) -> list[Path]:
    """The files named, a folder's unit files and department JSON (by name; hidden and ~$ lock files left out)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError("文件或文件夹不存在", str(path))
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in (".json", *WORKBOOK_SUFFIXES)
                and not p.name.startswith(("~$", "."))
            )
            if not found:
                raise InputError("文件夹中没有单位预算文件（.json、.xlsm 或 .xlsx）", str(path))
            out += found
        else:
            out.append(path)
    return out


def read_unit(path: Path) -> tuple[UnitBudget, TableSet | None]:
    """A unit's budget and, for a workbook, its 表 sheets as shown (one read of the file for both)."""
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return read_budget(path), None
    from xlbudget.workbook import layout as L
    from xlbudget.workbook.reader import budget_from_values, open_values, tables_from_values

    values = open_values(path, (*L.INPUT_SHEETS, *L.TABLE_SHEETS))
    return budget_from_values(values), tables_from_values(values)


def read_department(
    paths: Sequence[str | Path],
    info: str | Path | None = None,
    read: Callable[[Path], tuple[UnitBudget, TableSet | None]] = read_unit,
) -> tuple[Department, list[str]]:
    """The department from its units' files (or folders of them) and its JSON (``info``, else the one
    department JSON among the files).  Returns it with notes on what was left out (tables JSON files).
    ``read`` reads one unit's file (the default keeps a workbook's 表 sheets as shown, for the checks)."""
    from xlbudget.io.load import is_tables_json

    notes: list[str] = []
    infos = [Path(info)] if info is not None else []
    problems: list[Problem] = []
    units: list[UnitBudget] = []
    shown: list[TableSet | None] = []
    for path in _files(paths):
        if infos and path.resolve() == infos[0].resolve():
            continue
        if is_department_json(path):
            if info is None:
                infos.append(path)
            else:
                notes.append(f"{path} 是另一份部门信息，未使用（已用 {info}）")
            continue
        if is_tables_json(path):
            notes.append(f"{path} 是公开表（报表 JSON），不是单位预算，未计入")
            continue
        try:
            budget, tables = read(path)
            units.append(budget)
            shown.append(tables)
        except InputError as exc:
            problems += [Problem(_in_file(path, p.location), p.message) for p in exc.problems]
    if not infos:
        problems.append(
            Problem(
                " ".join(str(p) for p in paths),
                f"缺少部门信息：用 --dept-info 给出部门信息 JSON（schema “{SCHEMA_ID}”），或把它放进单位文件所在的文件夹",
            )
        )
    elif len(infos) > 1:
        problems.append(Problem("、".join(map(str, infos)), "有不止一份部门信息，请用 --dept-info 指定一份"))
    if problems:
        raise InputError(problems)
    where = str(infos[0])
    if info is not None and not infos[0].is_file():
        raise InputError("部门信息文件不存在", where)
    try:
        dept = department_from_dict(_load(infos[0]), units, where, shown)
    except InputError as exc:
        raise InputError(Problem(_in_file(infos[0], p.location), p.message) for p in exc.problems) from exc
    return dept, notes


def _in_file(path: Path, location: str) -> str:
    """A problem's place with its file in front ("部门/本级.json basic[3].amount")."""
    return location if location.startswith(str(path)) else f"{path} {location}".strip()
