"""Table profiles: which tables a disclosure has, as data.

A profile is a JSON file beside this module (``shanxi-13.json``).  Adding the
national 9-table set or another province's is adding a file, not code: the
engine in :mod:`xlbudget.tables` knows only the layouts.

Each table has a **role** (what the table is, :data:`ROLES`) and each column a
stable **id** (:data:`COLUMN_IDS`): rules, the narrative and the charts find a
table by role and a column by id, never by number or heading text, so a profile
that numbers or words its tables otherwise is checked all the same — and a rule
whose table or column a profile lacks does not apply.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from xlbudget.errors import InputError

DEFAULT_PROFILE = "shanxi-13"
LAYOUTS = (
    "balance",
    "function_tree",
    "economic_tree",
    "three_public",
    "three_public_operating",
    "operating_funds",
    "projects",
)
# which side of a balance table a footer line (its "totals", when the profile lists them) stands on
TOTAL_SIDES = ("income", "expenditure")
# a profile's tables as a 单位 publishes them, or as a 部门 (its "department" strings applied)
SCOPES = ("unit", "department")

# What a table is, whatever its number in a profile.
ROLES: dict[str, str] = {
    "balance": "收支总表",
    "income": "收入总表",
    "expenditure": "支出总表",
    "fiscal_balance": "财政拨款收支总表",
    "general_function": "一般公共预算支出表（按功能分类）",
    "general_basic_economic": "一般公共预算基本支出表（按经济分类）",
    "gov_fund_income": "政府性基金预算收入表",
    "gov_fund_expenditure": "政府性基金预算支出表",
    "soe_capital": "国有资本经营预算收支表",
    "soe_capital_expenditure": "国有资本经营预算支出表",
    "three_public": "“三公”经费支出表",
    "operating_funds": "机关运行经费表",
    "three_public_operating": "“三公”经费和机关运行经费表",
    "projects_this_year": "项目支出表（本年）",
    "projects_carryover": "项目支出表（上年结转）",
}
# What a column holds: the lines it sums (fund, 基本/项目, 人员/公用, this year / carried over).
COLUMN_IDS: dict[str, str] = {
    "total": "合计",
    "this_year": "当年预算安排",
    "carryover": "上年结转",
    "fiscal": "财政拨款",
    "general": "一般公共预算",
    "gov_fund": "政府性基金预算",
    "soe_capital": "国有资本经营预算",
    "special_account": "财政专户管理资金",
    "unit_funds": "单位资金",
    "business_income": "事业收入",
    "operating_income": "事业单位经营收入",
    "other_income": "其他收入",
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "soe_income": "国有资本经营收入",
    "gov_fund_income": "政府性基金收入",
    "abroad": "因公出国（境）费",
    "reception": "公务接待费",
    "vehicles": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_running": "公务用车运行维护费",
    "operating_funds": "机关运行经费",
}
# Which profile a province publishes (contract: unit.profile, else unit.province, else shanxi-13).
PROVINCE_PROFILES: dict[str, str] = {"山西省": "shanxi-13", "上海市": "shanghai-9"}
OTHER_PROVINCE_PROFILE = "national-9"


class ProfileError(InputError, ValueError):
    """A profile file that cannot be used (not JSON, a key missing, a value out of its list): what and where,
    so a province's own profile under $XLBUDGET_PROFILES is answered like any other bad input (exit 2)."""


@dataclass(frozen=True)
class TableSpec:
    number: int
    label: str  # 预算公开表N
    title: str  # with {year}
    layout: str
    filter: str
    columns: tuple[tuple[str, str], ...]  # (heading, filter)
    income: tuple[tuple[str, str], ...] = ()  # balance only
    carryover_in: str = ""  # balance only: the 上年结转 label
    unit_kinds: tuple[str, ...] = ()  # empty = every kind
    role: str = ""  # what the table is (ROLES)
    column_ids: tuple[str, ...] = ()  # one per column (COLUMN_IDS)
    amount_unit: str = "万元"  # as printed: 万元 or 元
    empty_note: str = "注：本表无数据"  # printed under an empty table; {year} and {scope} filled in
    carryover_lines: tuple[tuple[str, str], ...] = ()  # balance only: the carry-over line's parts by fund
    printing: Mapping[str, Any] = field(default_factory=dict)  # how it prints: xlbudget.grids reads it
    # balance with its own footers (``totals`` given, shanghai-9): each income line's level (1 一、…; 2 a sub-line of the level-1 line above it),
    # the expenditure line's label ("{number}、{name}"), the classes printed even without money, and
    # the footer lines printed, (label, side)
    income_levels: tuple[int, ...] = ()
    class_label: str = "{name}"
    always_classes: tuple[str, ...] = ()
    totals: tuple[tuple[str, str], ...] = ()
    income_columns: tuple[str, ...] = ()  # balance: the income side's value headings, as printed
    other_titles: tuple[
        str, ...
    ] = ()  # titles another template of the profile prints (shanghai-9: the city's)
    department: TableSpec | None = field(default=None, compare=False)  # the 部门预算's variant, if it differs

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(h for h, _ in self.columns)

    @property
    def title_department(self) -> str:
        """The title a 部门预算 prints over this table."""
        return (self.department or self).title

    @property
    def empty_note_department(self) -> str:
        """The note a 部门预算 prints under this table when it is empty."""
        return (self.department or self).empty_note

    def scoped(self, scope: str) -> TableSpec:
        """The table as a 单位 ("unit") or a 部门 ("department") publishes it."""
        if scope not in SCOPES:
            raise ProfileError(f"未知的范围 {scope}（应为 unit 或 department）")
        return self.department if scope == "department" and self.department else self

    def column(self, column_id: str) -> int | None:
        """The index of the column with this id, or None when the table has none."""
        return self.column_ids.index(column_id) if column_id in self.column_ids else None


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    tables: tuple[TableSpec, ...]
    amount_unit: str = "万元"
    document: str = "shanxi"  # which report the profile's units publish (the parts and their wording)

    def by_role(self, role: str) -> TableSpec | None:
        """The table with this role, or None when the profile has none."""
        return next((t for t in self.tables if t.role == role), None)

    def scoped(self, scope: str) -> Profile:
        """The profile's tables as a 单位 ("unit") or a 部门 ("department") publishes them."""
        return replace(self, tables=tuple(t.scoped(scope) for t in self.tables))


def profile_for(unit: object) -> str:
    """The profile a unit publishes: ``unit.profile``, else by ``unit.province``, else shanxi-13."""
    named = str(getattr(unit, "profile", "") or "").strip()
    if named:
        return named
    province = str(getattr(unit, "province", "") or "").strip()
    if not province:
        return DEFAULT_PROFILE
    return PROVINCE_PROFILES.get(province, OTHER_PROVINCE_PROFILE)


# Folders of further profiles (a province's own table set), separated like PATH: one JSON file each.
PROFILE_PATH_ENV = "XLBUDGET_PROFILES"


def _profile_files() -> dict[str, Any]:
    """Profile id → its file: the shipped ones, then those of $XLBUDGET_PROFILES (which may add, not replace)."""
    files: dict[str, Any] = {
        p.name[:-5]: p for p in resources.files(__package__).iterdir() if p.name.endswith(".json")
    }
    for folder in filter(None, os.environ.get(PROFILE_PATH_ENV, "").split(os.pathsep)):
        for path in sorted(Path(folder).glob("*.json")):
            files.setdefault(path.stem, path)
    return files


def available_profiles() -> list[str]:
    return sorted(_profile_files())


def load_profile(profile_id: str = DEFAULT_PROFILE) -> Profile:
    files = _profile_files()
    if profile_id not in files:
        raise ProfileError(f"没有名为 “{profile_id}” 的报表方案，可用：{'、'.join(sorted(files))}")
    profile = _load(str(files[profile_id]), files[profile_id].read_text("utf-8"))
    if profile.id != profile_id:
        raise ProfileError(
            f"报表方案文件 {files[profile_id]} 的 id 是 “{profile.id}”，应与文件名 “{profile_id}” 相同"
        )
    return profile


@cache
def _load(where: str, text: str) -> Profile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        from xlbudget.io.strict_json import json_error

        raise ProfileError(f"报表方案 {where} 不是有效的 JSON：{json_error(exc)}") from exc
    return profile_from_dict(data)


def profile_from_dict(data: dict) -> Profile:
    """A profile from its JSON data (a shipped file, or a test's own), validated."""
    try:
        return _profile_from_dict(data)
    except ProfileError:
        raise
    except KeyError as exc:
        raise ProfileError(f"报表方案 {_id_of(data)}：缺少 {exc.args[0]}") from exc
    except (TypeError, IndexError, AttributeError, ValueError) as exc:
        raise ProfileError(f"报表方案 {_id_of(data)}：格式不对（{exc}）") from exc


def _id_of(data: object) -> str:
    return str(data.get("id", "（无 id）")) if isinstance(data, dict) else "（应为 JSON 对象）"


def _profile_from_dict(data: dict) -> Profile:
    profile_id = data["id"]
    unit = data.get("amount_unit", "万元")
    tables = []
    for t in data["tables"]:
        where = f"报表方案 {profile_id} 表{t['number']}"
        try:
            spec = _table_spec(t, data, unit, where)
        except KeyError as exc:
            raise ProfileError(f"{where}：缺少 {exc.args[0]}") from exc
        if "department" in t or "department" in data:
            variant = _mapping(t.get("department", {}), where, "department")
            # the 部门's printing: the profile's, its department's, the table's, the table's department's
            dept = data | {
                "printing": _printing(data) | _printing(_mapping(data.get("department", {}), where))
            }
            merged = t | variant | {"printing": _printing(t) | _printing(variant)}
            spec = replace(spec, department=_table_spec(merged, dept, unit, f"{where}（部门）"))
        tables.append(spec)
    roles = [t.role for t in tables if t.role]
    if len(roles) != len(set(roles)):
        raise ProfileError(f"报表方案 {profile_id}：同一表角色出现两次")
    return Profile(
        id=profile_id,
        name=data["name"],
        tables=tuple(tables),
        amount_unit=unit,
        document=data.get("document", "shanxi"),
    )


def _mapping(raw: Any, where: str, key: str = "department") -> dict:
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}：{key} 应为对象（部门预算与单位预算不同之处）")
    return raw


def _printing(d: Mapping[str, Any]) -> dict:
    raw = d.get("printing", {})
    if not isinstance(raw, dict):
        raise ProfileError("报表方案：printing 应为对象")
    return dict(raw)


def _strings(raw: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ProfileError(f"{where}：{key} 应为文字的列表")
    return tuple(raw)


def _table_spec(t: dict, data: dict, unit: str, where: str) -> TableSpec:
    if t["layout"] not in LAYOUTS:
        raise ProfileError(f"{where}：未知的版式 {t['layout']}")
    if t.get("role", "") and t["role"] not in ROLES:
        raise ProfileError(f"{where}：未知的表角色 {t['role']}")
    ids = tuple(c[2] if len(c) > 2 else "" for c in t["columns"])
    unknown = [i for i in ids if i and i not in COLUMN_IDS]
    if unknown:
        raise ProfileError(f"{where}：未知的列标识 {'、'.join(unknown)}")
    income = t.get("income", [])
    levels = tuple(int(line[2]) if len(line) > 2 else 1 for line in income)
    if any(level not in (1, 2) for level in levels) or levels[:1] == (2,):
        raise ProfileError(f"{where}：收入行的级次应为 1 或 2，且第一行为 1")
    totals = tuple((str(label), str(side)) for label, side in t.get("totals", []))
    bad_sides = [side for _, side in totals if side not in TOTAL_SIDES]
    if bad_sides:
        raise ProfileError(f"{where}：合计行的一侧应为 income 或 expenditure，不是 {'、'.join(bad_sides)}")
    class_label = t.get("class_label", "{name}")
    try:
        class_label.format(number="一", name="一般公共服务支出")
    except (KeyError, IndexError, ValueError) as exc:
        raise ProfileError(f"{where}：class_label 只能含 {{number}} 与 {{name}}") from exc
    always = _strings(t.get("always_classes", []), where, "always_classes")
    if any(not (c.isdigit() and len(c) == 3) for c in always):
        raise ProfileError(f"{where}：always_classes 应为 3 位类级科目编码")
    amount_unit = t.get("amount_unit", unit)
    if amount_unit not in ("万元", "元"):
        raise ProfileError(f"{where}：金额单位应为 万元 或 元，不是 {amount_unit}")
    return TableSpec(
        number=t["number"],
        label=t["label"],
        title=t["title"],
        layout=t["layout"],
        filter=t.get("filter", "all"),
        columns=tuple((c[0], c[1]) for c in t["columns"]),
        income=tuple((line[0], line[1]) for line in income),
        carryover_in=t.get("carryover_in", ""),
        unit_kinds=tuple(t.get("unit_kinds", [])),
        role=t.get("role", ""),
        column_ids=ids,
        amount_unit=amount_unit,
        empty_note=t.get("empty_note", data.get("empty_note", "注：本表无数据")),
        carryover_lines=tuple((h, f) for h, f in t.get("carryover_lines", [])),
        printing=MappingProxyType(_printing(data) | _printing(t)),
        income_levels=levels,
        class_label=class_label,
        always_classes=always,
        totals=totals,
        income_columns=_strings(t.get("income_columns", []), where, "income_columns"),
        other_titles=_strings(t.get("other_titles", []), where, "other_titles"),
    )
