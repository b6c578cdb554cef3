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
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

DEFAULT_PROFILE = "shanxi-13"
LAYOUTS = ("balance", "function_tree", "economic_tree", "three_public", "operating_funds", "projects")

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

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(h for h, _ in self.columns)

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
        raise ValueError(f"没有名为 “{profile_id}” 的报表方案，可用：{'、'.join(sorted(files))}")
    profile = _load(str(files[profile_id]), files[profile_id].read_text("utf-8"))
    if profile.id != profile_id:
        raise ValueError(
            f"报表方案文件 {files[profile_id]} 的 id 是 “{profile.id}”，应与文件名 “{profile_id}” 相同"
        )
    return profile


@cache
def _load(where: str, text: str) -> Profile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        from xlbudget.io.strict_json import json_error

        raise ValueError(f"报表方案 {where} 不是有效的 JSON：{json_error(exc)}") from exc
    return profile_from_dict(data)


def profile_from_dict(data: dict) -> Profile:
    """A profile from its JSON data (a shipped file, or a test's own), validated."""
    profile_id = data["id"]
    unit = data.get("amount_unit", "万元")
    tables = []
    for t in data["tables"]:
        where = f"报表方案 {profile_id} 表{t['number']}"
        if t["layout"] not in LAYOUTS:
            raise ValueError(f"{where}：未知的版式 {t['layout']}")
        if t.get("role", "") and t["role"] not in ROLES:
            raise ValueError(f"{where}：未知的表角色 {t['role']}")
        ids = tuple(c[2] if len(c) > 2 else "" for c in t["columns"])
        unknown = [i for i in ids if i and i not in COLUMN_IDS]
        if unknown:
            raise ValueError(f"{where}：未知的列标识 {'、'.join(unknown)}")
        tables.append(
            TableSpec(
                number=t["number"],
                label=t["label"],
                title=t["title"],
                layout=t["layout"],
                filter=t.get("filter", "all"),
                columns=tuple((c[0], c[1]) for c in t["columns"]),
                income=tuple((h, f) for h, f in t.get("income", [])),
                carryover_in=t.get("carryover_in", ""),
                unit_kinds=tuple(t.get("unit_kinds", [])),
                role=t.get("role", ""),
                column_ids=ids,
                amount_unit=t.get("amount_unit", unit),
                empty_note=t.get("empty_note", data.get("empty_note", "注：本表无数据")),
                carryover_lines=tuple((h, f) for h, f in t.get("carryover_lines", [])),
                printing=MappingProxyType(dict(data.get("printing", {})) | dict(t.get("printing", {}))),
            )
        )
    roles = [t.role for t in tables if t.role]
    if len(roles) != len(set(roles)):
        raise ValueError(f"报表方案 {profile_id}：同一表角色出现两次")
    return Profile(
        id=profile_id,
        name=data["name"],
        tables=tuple(tables),
        amount_unit=unit,
        document=data.get("document", "shanxi"),
    )
