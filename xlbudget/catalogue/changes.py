"""What a new year's catalogue adds, renames, drops or moves, and what became of a code.

Each catalogue year after the first may have ``changes.csv`` beside its part files
(package data ``data/<year>/changes.csv``, or the same file in the user catalogue
folder, which then wins for that year)::

    part,code,kind,old_name,new_name,successor,source
    function,22006,added,,耕地保护考核奖惩基金支出,,财预〔2024〕22号 …

``kind`` is ``added`` (a code new that year), ``renamed`` (same code, new name),
``removed`` (the code is gone; ``successor`` names the code that takes its place
when the source gives one) or ``moved`` (the same content under a new code,
``successor``). ``source`` says where the change was read.

:func:`net_changes` (pure) folds the year-by-year changes into what happened to each
code between two catalogues; :func:`changes_between` does it for two budget years'
catalogues as loaded, and :func:`fate_of` answers for one code a budget year's
catalogue lacks. Codes that differ between the two catalogues without a recorded
change (e.g. after importing an official export) are reported too, from the
comparison of the catalogues, without a successor.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib.resources.abc import Traversable
from pathlib import Path

from . import (
    CHANGES_FILE,
    PART_CODE_LENGTHS,
    PART_TITLES,
    PARTS,
    Catalogue,
    CatalogueError,
    _package_data,
    _year_dirs,
    available_years,
    load_catalogue,
    normalize_code,
    user_catalogue_dir,
)

CHANGE_KINDS: tuple[str, ...] = ("added", "renamed", "removed", "moved")
COMPARED = "科目表比对"  # source of a change found only by comparing two catalogues

_HEADER = ("part", "code", "kind", "old_name", "new_name", "successor", "source")


@dataclass(frozen=True)
class CodeChange:
    """One code's change. ``year`` is the catalogue year that makes it (for a net change, the last)."""

    year: int
    part: str
    code: str  # the code as it was; for ``added``, the new code
    kind: str
    old_name: str  # "" for added
    new_name: str  # the name in the later catalogue; "" when dropped without a successor
    successor: str | None  # the code that takes its place (removed/moved), if the source gives one
    source: str

    @property
    def dropped(self) -> bool:
        """The code is not in the later catalogue (removed or moved)."""
        return self.kind in ("removed", "moved")

    def describe(self) -> str:
        """A Chinese sentence: ``2010308 信访事务 2024年起调整编码为 2014001 …``."""
        what = f"{self.code} {self.old_name}".strip()
        if self.kind == "added":
            return f"{self.code} {self.new_name} 为{self.year}年新增科目"
        if self.kind == "renamed":
            return f"{what} {self.year}年起更名为“{self.new_name}”"
        if self.successor:
            verb = "调整编码为" if self.kind == "moved" else "撤销，由"
            tail = "" if self.kind == "moved" else "承接"
            name = f" {self.new_name}" if self.new_name else ""
            return f"{what} {self.year}年起{verb} {self.successor}{name}{tail}"
        return f"{what} {self.year}年起撤销"


# --------------------------------------------------------------------------- files


def read_changes_text(text: str, year: int, source: str) -> list[CodeChange]:
    """Parse a changes.csv; raises CatalogueError naming ``source`` and the row for any bad line."""
    reader = csv.reader(io.StringIO(text))
    header = tuple(cell.strip().lower() for cell in next(reader, []))
    if header[: len(_HEADER)] != _HEADER:
        raise CatalogueError(f"{source}：第1行应为表头 {','.join(_HEADER)}。")
    changes: list[CodeChange] = []
    seen: set[tuple[str, str]] = set()
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(_HEADER, (cell.strip() for cell in row), strict=False))
        where = f"{source}：第{row_number}行"
        part, kind = cells.get("part", ""), cells.get("kind", "")
        if part not in PARTS:
            raise CatalogueError(f"{where}，科目表类型“{part}”应为 {'、'.join(PARTS)} 之一。")
        if kind not in CHANGE_KINDS:
            raise CatalogueError(f"{where}，变动类型“{kind}”应为 {'、'.join(CHANGE_KINDS)} 之一。")
        code = _code(cells.get("code", ""), part, where)
        successor = _code(cells["successor"], part, where) if cells.get("successor") else None
        old_name, new_name = cells.get("old_name", ""), cells.get("new_name", "")
        if kind != "added" and not old_name:
            raise CatalogueError(f"{where}，{code} 的变动“{kind}”缺少原名称 old_name。")
        if kind in ("added", "renamed") and not new_name:
            raise CatalogueError(f"{where}，{code} 的变动“{kind}”缺少新名称 new_name。")
        if kind == "moved" and not successor:
            raise CatalogueError(f"{where}，{code} 调整编码（moved）须给出新编码 successor。")
        if kind in ("added", "renamed") and successor:
            raise CatalogueError(f"{where}，{code} 的变动“{kind}”不应有 successor。")
        if not cells.get("source"):
            raise CatalogueError(f"{where}，{code} 缺少出处 source。")
        if (part, code) in seen:
            raise CatalogueError(f"{where}，{code} 在同一年度重复出现。")
        seen.add((part, code))
        changes.append(CodeChange(year, part, code, kind, old_name, new_name, successor, cells["source"]))
    return changes


def _code(raw: str, part: str, where: str) -> str:
    code = normalize_code(raw)
    if code is None or len(code) not in PART_CODE_LENGTHS[part]:
        raise CatalogueError(f"{where}，科目编码“{raw}”不是{PART_TITLES[part]}的编码。")
    return code


def _changes_files(root: Traversable | Path) -> dict[int, Traversable | Path]:
    found: dict[int, Traversable | Path] = {}
    for year, folder in _year_dirs(root):
        candidate = folder / CHANGES_FILE
        if candidate.is_file():
            found[year] = candidate
    return found


def recorded_changes(year: int) -> list[CodeChange]:
    """The changes recorded for catalogue ``year`` (user file, else package data; [] when none)."""
    user, package = _changes_files(user_catalogue_dir()), _changes_files(_package_data())
    file = user.get(year) or package.get(year)
    if file is None:
        return []
    return read_changes_text(file.read_bytes().decode("utf-8-sig"), year, str(file))


# --------------------------------------------------------------------------- folding


def apply_changes(
    names: Mapping[str, str], changes: Iterable[CodeChange], *, strict: bool = True
) -> dict[str, str]:
    """One part's code -> name after one year's changes (pure), in code (= official) order.

    ``strict``: raise CatalogueError when a change does not fit (renaming a code that
    is not there, an old name that is not the code's name, adding a code that exists).
    Otherwise (carrying a user's official import forward) an addition that is already
    there takes the recorded name, and a change of a code that is not there is skipped.
    """
    result = dict(names)
    for change in changes:
        at = f"{change.year}年变动 {change.code}"
        if change.kind == "added":
            if change.code in result and strict:
                raise CatalogueError(f"{at}：新增的编码已在上年科目表中（{result[change.code]}）。")
            result[change.code] = change.new_name
            continue
        if change.code not in result and not strict:
            continue
        if result.get(change.code) != change.old_name and strict:
            raise CatalogueError(
                f"{at}：上年科目表中为“{result.get(change.code, '（无此编码）')}”，不是“{change.old_name}”。"
            )
        if change.kind == "renamed":
            result[change.code] = change.new_name
            continue
        del result[change.code]
        if change.kind == "moved":
            assert change.successor is not None
            result.setdefault(change.successor, change.new_name or change.old_name)
    return dict(sorted(result.items()))


def net_changes(
    before: Mapping[str, Mapping[str, str]],
    after: Mapping[str, Mapping[str, str]],
    steps: Sequence[CodeChange],
    year_to: int,
    codes: Iterable[str] | None = None,
) -> list[CodeChange]:
    """What happened to each code between two catalogues (pure).

    ``before`` / ``after``: part -> code -> name of the earlier and the later catalogue;
    ``steps``: the recorded changes of the years in between, in year order. Each code of
    ``before`` that the later catalogue renames or lacks gives one change (successors
    followed through later years); each code new in ``after`` gives an ``added``.
    (A moved code's new code is not also an ``added``.) Differences no step explains
    come from comparing the catalogues (source
    :data:`COMPARED`, no successor). ``codes`` limits the answer to those codes.
    """
    wanted = None if codes is None else set(codes)
    by_key: dict[tuple[str, str], list[CodeChange]] = {}
    for step in steps:
        by_key.setdefault((step.part, step.code), []).append(step)
    moved_to = {(s.part, s.successor) for s in steps if s.kind == "moved"}
    out: list[CodeChange] = []
    for part in PARTS:
        old, new = before.get(part, {}), after.get(part, {})
        for code, name in old.items():
            if wanted is not None and code not in wanted:
                continue
            change = _follow(part, code, name, by_key, new, year_to)
            if change is not None:
                out.append(change)
        for code, name in new.items():
            if code in old or (wanted is not None and code not in wanted):
                continue
            recorded = [s for s in by_key.get((part, code), []) if s.kind == "added"]
            if recorded:
                out.append(replace(recorded[-1], new_name=name))
            elif (part, code) not in moved_to:  # a moved code's new code is reported with the move
                out.append(CodeChange(year_to, part, code, "added", "", name, None, COMPARED))
    return out


def _follow(
    part: str,
    code: str,
    name: str,
    by_key: Mapping[tuple[str, str], list[CodeChange]],
    new: Mapping[str, str],
    year_to: int,
) -> CodeChange | None:
    current: str | None = code
    first_drop: CodeChange | None = None
    last: CodeChange | None = None
    year = 0
    while current is not None:
        later = [s for s in by_key.get((part, current), []) if s.year > year and s.kind != "added"]
        if not later:
            break
        step = later[0]
        year, last = step.year, step
        if step.dropped:
            first_drop = first_drop or step
            current = step.successor
    if current == code:
        if code not in new:  # gone, and no recorded step says so
            return CodeChange(year_to, part, code, "removed", name, "", None, COMPARED)
        if new[code] == name:
            return None
        source = last.source if last is not None and last.kind == "renamed" else COMPARED
        return CodeChange(
            last.year if last else year_to, part, code, "renamed", name, new[code], None, source
        )
    assert first_drop is not None and last is not None
    return CodeChange(
        last.year,
        part,
        code,
        first_drop.kind if current else "removed",
        name,
        new.get(current, "") if current else "",
        current,
        first_drop.source if first_drop is last else f"{first_drop.source}；{last.source}",
    )


def _names(catalogue: Catalogue) -> dict[str, Mapping[str, str]]:
    return {
        "function": catalogue.function,
        "economic_dept": catalogue.economic,
        "economic_gov": catalogue.gov_economic,
    }


def changes_between(year_from: int, year_to: int, codes: Iterable[str] | None = None) -> list[CodeChange]:
    """Every code of budget year ``year_from``'s catalogue that ``year_to``'s renames or lacks,
    with its successor where one is recorded, and the codes ``year_to`` adds.

    Used when rolling a workbook over to the next year: pass the workbook's codes as
    ``codes`` to hear only about those. Raises CatalogueError when either year has no
    catalogue, or ``year_to`` is before ``year_from``.
    """
    if year_to < year_from:
        raise CatalogueError(f"目标年度{year_to}早于原年度{year_from}。")
    before, after = load_catalogue(year_from), load_catalogue(year_to)
    steps = [c for y in range(before.year + 1, after.year + 1) for c in recorded_changes(y)]
    return net_changes(_names(before), _names(after), steps, after.year, codes)


def fate_of(code: str, year: int) -> CodeChange | None:
    """For a code budget ``year``'s catalogue lacks: its removal (or move) in the last earlier
    catalogue that had it, with the successor where one is recorded; None if no earlier
    catalogue knows the code."""
    for earlier in sorted((y for y in available_years() if y < year), reverse=True):
        catalogue = load_catalogue(earlier)
        if catalogue.year != earlier:
            continue
        if any(code in names for names in _names(catalogue).values()):
            found = [c for c in changes_between(earlier, year, [code]) if c.code == code and c.dropped]
            return found[0] if found else None
    return None
