"""Table profiles: which tables a disclosure has, as data.

A profile is a JSON file beside this module (``shanxi-13.json``).  Adding the
national 9-table set or another province's is adding a file, not code: the
engine in :mod:`xlbudget.tables` knows only the layouts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

DEFAULT_PROFILE = "shanxi-13"
LAYOUTS = ("balance", "function_tree", "economic_tree", "three_public", "operating_funds", "projects")


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

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(h for h, _ in self.columns)


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    tables: tuple[TableSpec, ...]


def available_profiles() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files(__package__).iterdir() if p.name.endswith(".json"))


@cache
def load_profile(profile_id: str = DEFAULT_PROFILE) -> Profile:
    if profile_id not in available_profiles():
        raise ValueError(f"没有名为 “{profile_id}” 的报表方案，可用：{'、'.join(available_profiles())}")
    data = json.loads(resources.files(__package__).joinpath(f"{profile_id}.json").read_text("utf-8"))
    tables = []
    for t in data["tables"]:
        if t["layout"] not in LAYOUTS:
            raise ValueError(f"报表方案 {profile_id} 表{t['number']}：未知的版式 {t['layout']}")
        tables.append(
            TableSpec(
                number=t["number"],
                label=t["label"],
                title=t["title"],
                layout=t["layout"],
                filter=t.get("filter", "all"),
                columns=tuple((h, f) for h, f in t["columns"]),
                income=tuple((h, f) for h, f in t.get("income", [])),
                carryover_in=t.get("carryover_in", ""),
                unit_kinds=tuple(t.get("unit_kinds", [])),
            )
        )
    return Profile(id=data["id"], name=data["name"], tables=tuple(tables))
