"""政府收支分类科目 (the classification catalogue), by year.

Three parts make up one year's catalogue:

- ``function``      支出功能分类科目: 类 (3 digits) / 款 (5) / 项 (7);
- ``economic_dept`` 部门预算支出经济分类科目: 类 (3) / 款 (5), each 款 with its
  政府预算支出经济分类 款 (``gov_code``);
- ``economic_gov``  政府预算支出经济分类科目: 类 (3) / 款 (5).

The package ships the 2023 catalogue under ``data/2023``, and 2024–2026 under
``data/<year>``: each of those is the year before plus the changes that could be
confirmed from public sources (``data/<year>/changes.csv``, where each was read in
``data/<year>/SOURCES.md``); ``Catalogue.compiled`` says so. ``changes.py``
answers what became of a code between two years. Users can import an
official export for another year (``import_catalogue``); imported parts live in
``$XLBUDGET_CATALOGUE_DIR/<year>/<part>.csv`` (default ``~/.xlbudget/catalogue``)
and win over package data of the same year. A budget year without its own
catalogue uses the nearest earlier year that has one, and says so (``note``).

Codes are always strings; ``normalize_code`` turns what a workbook cell holds
(2010308, 2010308.0, ' 2010308 ', '２０１０３０８') into the clean string.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

__all__ = [
    "PARTS",
    "PART_TITLES",
    "Catalogue",
    "CatalogueError",
    "CodeChange",
    "ImportResult",
    "available_years",
    "changes_between",
    "clear_cache",
    "count_levels",
    "fate_of",
    "format_counts_table",
    "import_catalogue",
    "load_catalogue",
    "normalize_code",
    "user_catalogue_dir",
]

PARTS: tuple[str, ...] = ("function", "economic_dept", "economic_gov")

#: Chinese title of each part, for messages.
PART_TITLES: Mapping[str, str] = MappingProxyType(
    {
        "function": "支出功能分类科目",
        "economic_dept": "部门预算支出经济分类科目",
        "economic_gov": "政府预算支出经济分类科目",
    }
)

#: Code lengths allowed in each part (类 3, 款 5, 项 7).
PART_CODE_LENGTHS: Mapping[str, tuple[int, ...]] = MappingProxyType(
    {"function": (3, 5, 7), "economic_dept": (3, 5), "economic_gov": (3, 5)}
)

LEVEL_NAMES: Mapping[int, str] = MappingProxyType({3: "类", 5: "款", 7: "项"})

ENV_VAR = "XLBUDGET_CATALOGUE_DIR"
FIRST_YEAR = 2023  # the package's full (hand-compiled) catalogue; later years build on it
CHANGES_FILE = "changes.csv"

# 政府预算支出经济分类 for a 事业单位 (public_institution): the money reaches it
# as 对事业单位经常性补助 / 资本性补助, so these 部门经济 类 map to 505/506 instead
# of the 机关 款 in economic_dept.csv. Other 类 (303 对个人和家庭的补助, 307, 311-313,
# 399) map the same for every unit.
_INSTITUTION_GOV_BY_CLASS: Mapping[str, str] = MappingProxyType(
    {"301": "50501", "302": "50502", "309": "50601", "310": "50602"}
)

_CODE_TEXT = re.compile(r"(\d+)(?:\.0*)?")
_YEAR_DIR = re.compile(r"\d{4}")


class CatalogueError(Exception):
    """A catalogue is missing or a catalogue file is not usable (message in Chinese)."""


def normalize_code(raw: object) -> str | None:
    """Return the clean 3/5/7-digit code held by ``raw``, or None.

    Accepts ints, integral floats/Decimals (Excel stores codes as numbers),
    and strings with surrounding spaces, full-width digits or a trailing
    ``.0``. Anything that is not 3, 5 or 7 digits gives None.
    """
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        text = str(raw)
    elif isinstance(raw, float | Decimal):
        try:
            if raw != int(raw):
                return None
        except (ValueError, OverflowError, ArithmeticError):
            return None
        text = str(int(raw))
    elif isinstance(raw, str):
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
        match = _CODE_TEXT.fullmatch(text)
        if match is None:
            return None
        text = match.group(1)
    else:
        return None
    return text if len(text) in (3, 5, 7) else None


def _parent_code(code: str) -> str | None:
    return code[:-2] if len(code) in (5, 7) else None


@dataclass(frozen=True)
class Catalogue:
    """One year's classification catalogue. Mappings are read-only, in official order."""

    year: int  # the catalogue's own year (the newest year any part came from)
    requested_year: int  # the budget year asked for
    function: Mapping[str, str]  # 支出功能分类: code -> name, 3/5/7 digits
    economic: Mapping[str, str]  # 部门预算支出经济分类: code -> name, 3/5 digits
    gov_economic: Mapping[str, str]  # 政府预算支出经济分类: code -> name, 3/5 digits
    dept_to_gov: Mapping[str, str]  # 部门经济 款 -> 政府经济 款 (机关 correspondence)
    part_years: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # Some part is package data compiled as an earlier year plus the confirmed changes
    # (data/<year>/changes.csv), not a full copy of that year's official catalogue.
    compiled: bool = False

    @property
    def basis_note(self) -> str | None:
        """A Chinese sentence when the catalogue is compiled from an earlier year plus confirmed changes."""
        if not self.compiled:
            return None
        return (
            f"本软件的{self.year}年科目表由{FIRST_YEAR}年科目表加已核实的逐年变动编成，"
            f"可能缺少未能核实的当年新设科目；如有财政部《{self.year}年政府收支分类科目》，请导入。"
        )

    @property
    def note(self) -> str | None:
        """A Chinese sentence when some part comes from an earlier year, else None."""
        years = dict(self.part_years) or dict.fromkeys(PARTS, self.year)
        used = set(years.values())
        if used == {self.requested_year}:
            return None
        if len(used) == 1:
            return f"{self.requested_year}年没有科目表，使用{used.pop()}年科目表。"
        parts = [
            f"{self.requested_year}年没有{PART_TITLES[part]}表，使用{year}年的"
            for part, year in years.items()
            if year != self.requested_year
        ]
        return "；".join(parts) + "。"

    def function_name(self, code: str) -> str | None:
        """支出功能分类 name of a 3/5/7-digit code."""
        return self.function.get(code)

    def economic_name(self, code: str) -> str | None:
        """部门预算支出经济分类 name (or, for a 5xx code, 政府预算支出经济分类 name)."""
        name = self.economic.get(code)
        return name if name is not None else self.gov_economic.get(code)

    def gov_economic_of(self, code: str, *, unit_kind: str = "administrative") -> tuple[str, str] | None:
        """(政府经济 款 code, name) for a 部门经济 款, or None if unknown.

        ``unit_kind`` follows the unit-budget contract. For ``public_institution``
        (其他事业单位) 301/302/309/310 map to 505/506 (对事业单位补助); the
        default is the 机关 correspondence, which 参公事业单位 also use.
        """
        gov = self.dept_to_gov.get(code)
        if unit_kind == "public_institution" and len(code) == 5:
            gov = _INSTITUTION_GOV_BY_CLASS.get(code[:3], gov)
        if gov is None or gov not in self.gov_economic:
            return None
        return gov, self.gov_economic[gov]

    def function_classes(self) -> list[tuple[str, str]]:
        """The 支出功能分类 类 in official order (the rows of 预算公开表1)."""
        return [(code, name) for code, name in self.function.items() if len(code) == 3]

    def children(self, code: str) -> list[tuple[str, str]]:
        """Direct children of a function or economic code, in official order."""
        table = self._table_of(code)
        return [(c, n) for c, n in table.items() if _parent_code(c) == code]

    @staticmethod
    def parent(code: str) -> str | None:
        """'2010308' -> '20103' -> '201' -> None; '30101' -> '301'."""
        return _parent_code(code)

    def _table_of(self, code: str) -> Mapping[str, str]:
        if code[:1] == "2":
            return self.function
        if code[:1] == "5":
            return self.gov_economic
        return self.economic


# --------------------------------------------------------------------------- files


def user_catalogue_dir() -> Path:
    """Root of user-imported catalogues: $XLBUDGET_CATALOGUE_DIR or ~/.xlbudget/catalogue."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".xlbudget" / "catalogue"


def _package_data() -> Traversable:
    return resources.files(__name__) / "data"


def _year_dirs(root: Traversable | Path) -> Iterator[tuple[int, Traversable | Path]]:
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child.is_dir() and _YEAR_DIR.fullmatch(child.name):
            yield int(child.name), child


def _part_files(root: Traversable | Path) -> dict[tuple[int, str], Traversable | Path]:
    found: dict[tuple[int, str], Traversable | Path] = {}
    for year, folder in _year_dirs(root):
        for part in PARTS:
            candidate = folder / f"{part}.csv"
            if candidate.is_file():
                found[year, part] = candidate
    return found


def available_years() -> list[int]:
    """Years that have a catalogue of their own (user-imported or package data)."""
    years = {year for year, _ in _part_files(user_catalogue_dir())}
    years |= {year for year, _ in _part_files(_package_data())}
    return sorted(years)


@dataclass(frozen=True)
class PartData:
    """One part as read from a catalogue file, in file order."""

    names: dict[str, str]
    gov_codes: dict[str, str]


def read_part_text(text: str, part: str, source: str) -> PartData:
    """Parse a catalogue file in the project's own format (code,name[,gov_code]).

    Raises CatalogueError naming ``source`` and the row for any bad line.
    """
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if "code" not in header or "name" not in header:
        raise CatalogueError(f"{source}：第1行应为表头 code,name（缺少 code 或 name 列）。")
    i_code, i_name = header.index("code"), header.index("name")
    i_gov = header.index("gov_code") if "gov_code" in header else None
    names: dict[str, str] = {}
    gov_codes: dict[str, str] = {}
    lengths = PART_CODE_LENGTHS[part]
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        raw = row[i_code] if i_code < len(row) else ""
        code = normalize_code(raw)
        if code is None or len(code) not in lengths:
            raise CatalogueError(
                f"{source}：第{row_number}行，科目编码“{raw.strip()}”不是"
                f"{'、'.join(f'{n}位' for n in lengths)}数字。"
            )
        name = row[i_name].strip() if i_name < len(row) else ""
        if not name:
            raise CatalogueError(f"{source}：第{row_number}行，科目编码{code}缺少科目名称。")
        if code in names:
            raise CatalogueError(f"{source}：第{row_number}行，科目编码{code}重复。")
        names[code] = name
        if i_gov is not None and i_gov < len(row) and row[i_gov].strip():
            gov = normalize_code(row[i_gov])
            if gov is None or len(gov) != 5:
                raise CatalogueError(
                    f"{source}：第{row_number}行，政府预算经济分类编码“{row[i_gov].strip()}”不是5位数字。"
                )
            gov_codes[code] = gov
    return PartData(names, gov_codes)


def _read_part(file: Traversable | Path, part: str) -> PartData:
    return read_part_text(file.read_bytes().decode("utf-8-sig"), part, str(file))


def _user_signature() -> tuple[tuple[str, int], ...]:
    """Identifies the current user catalogue files, so edits invalidate the cache."""
    root = user_catalogue_dir()
    files = [*_part_files(root).values()]
    files += [folder / CHANGES_FILE for _, folder in _year_dirs(root) if (folder / CHANGES_FILE).is_file()]
    return tuple(sorted((str(path), Path(str(path)).stat().st_mtime_ns) for path in files))


def load_catalogue(year: int) -> Catalogue:
    """The catalogue for budget ``year`` (cached).

    Uses the nearest earlier year that has a catalogue; user-imported parts
    win over package data. Raises CatalogueError if no year <= ``year`` has one.
    """
    return _load(int(year), str(user_catalogue_dir()), _user_signature())


def clear_cache() -> None:
    """Forget loaded catalogues (import_catalogue does this itself)."""
    _load.cache_clear()


def _compiled_package_year(year: int) -> bool:
    """Package data of ``year`` is the year before plus the confirmed changes (it has changes.csv)."""
    return (_package_data() / str(year) / CHANGES_FILE).is_file()


@dataclass(frozen=True)
class ResolvedPart:
    """One part of the catalogue for a budget year, as the loader builds it."""

    year: int  # the catalogue year it stands for
    data: PartData
    source: str  # the file(s) it came from
    compiled: bool  # built from an earlier year plus confirmed changes


def resolve_part_data(year: int, part: str) -> ResolvedPart | None:
    """``part`` for budget ``year``: the nearest year <= ``year`` that has it.

    A user import wins over package data of the same year. When the package has
    later years (<= ``year``) than the user's newest import, and they are all
    compiled as "year before plus confirmed changes", the user's import is carried
    forward by those changes rather than dropped.
    """
    user, package = _part_files(user_catalogue_dir()), _part_files(_package_data())
    user_year = max((y for (y, p) in user if p == part and y <= year), default=None)
    package_year = max((y for (y, p) in package if p == part and y <= year), default=None)
    if user_year is not None and (package_year is None or user_year >= package_year):
        file = user[user_year, part]
        return ResolvedPart(user_year, _read_part(file, part), str(file), False)
    if package_year is None:
        return None
    file = package[package_year, part]
    later = sorted(
        y for (y, p) in package if p == part and user_year is not None and user_year < y <= package_year
    )
    if user_year is None or not all(_compiled_package_year(y) for y in later):
        return ResolvedPart(
            package_year, _read_part(file, part), str(file), _compiled_package_year(package_year)
        )
    from .changes import apply_changes, recorded_changes

    base = user[user_year, part]
    data = _read_part(base, part)
    names = data.names
    for later_year in later:
        steps = [c for c in recorded_changes(later_year) if c.part == part]
        names = apply_changes(names, steps, strict=False)
    gov_codes = {code: gov for code, gov in data.gov_codes.items() if code in names}
    years = "、".join(map(str, later))
    return ResolvedPart(package_year, PartData(names, gov_codes), f"{base}（加{years}年已核实的变动）", True)


@lru_cache(maxsize=32)
def _load(year: int, _user_root: str, _signature: tuple[tuple[str, int], ...]) -> Catalogue:
    found: dict[str, ResolvedPart] = {}
    missing = []
    for part in PARTS:
        resolved = resolve_part_data(year, part)
        if resolved is None:
            missing.append(part)
        else:
            found[part] = resolved
    if missing:
        have = available_years()
        hint = f"已有科目表的年度：{'、'.join(map(str, have))}。" if have else "尚无任何科目表。"
        what = (
            "政府收支分类科目" if len(missing) == len(PARTS) else "、".join(PART_TITLES[p] for p in missing)
        )
        raise CatalogueError(
            f"没有{year}年或更早年度的{what}表，无法确定科目名称。{hint}"
            "请用“导入科目表”导入财政部公布的该年度《政府收支分类科目》。"
        )
    dept = found["economic_dept"].data
    dept_to_gov = {code: gov for code, gov in dept.gov_codes.items() if len(code) == 5}
    part_years = {part: resolved.year for part, resolved in found.items()}
    return Catalogue(
        year=max(part_years.values()),
        requested_year=year,
        function=MappingProxyType(found["function"].data.names),
        economic=MappingProxyType(dept.names),
        gov_economic=MappingProxyType(found["economic_gov"].data.names),
        dept_to_gov=MappingProxyType(dept_to_gov),
        part_years=MappingProxyType(part_years),
        sources=MappingProxyType({part: resolved.source for part, resolved in found.items()}),
        compiled=any(resolved.compiled for resolved in found.values()),
    )


# --------------------------------------------------------------------------- counts


def count_levels(year: int) -> dict[str, dict[str, int]]:
    """Codes per level (类/款/项) in each part of the package data for ``year``."""
    folder = _package_data() / str(year)
    counts: dict[str, dict[str, int]] = {}
    for part in PARTS:
        file = folder / f"{part}.csv"
        if not file.is_file():
            raise CatalogueError(f"软件包中没有{year}年的{PART_TITLES[part]}表。")
        per_level = {LEVEL_NAMES[length]: 0 for length in PART_CODE_LENGTHS[part]}
        names = _read_part(file, part).names
        for code in names:
            per_level[LEVEL_NAMES[len(code)]] += 1
        per_level["合计"] = len(names)
        counts[part] = per_level
    return counts


def format_counts_table(year: int) -> str:
    """The counts as the Markdown table pasted into data/<year>/SOURCES.md."""
    lines = ["| file | 类 | 款 | 项 | 合计 |", "|---|---:|---:|---:|---:|"]
    for part, per_level in count_levels(year).items():
        cells = [str(per_level.get(level, "-")) for level in ("类", "款", "项", "合计")]
        lines.append(f"| {part}.csv | " + " | ".join(cells) + " |")
    return "\n".join(lines)


from .changes import CodeChange, changes_between, fate_of  # noqa: E402  (uses the names above)


def __getattr__(name: str) -> object:
    """``import_catalogue`` and ``ImportResult`` on first use: only ``xlbudget catalogue import``
    needs the importer, not the checks or the report."""
    if name in ("ImportResult", "import_catalogue"):
        from . import importer

        return getattr(importer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from .importer import ImportResult, import_catalogue
