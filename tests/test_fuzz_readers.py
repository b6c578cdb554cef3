"""Property / fuzz tests of the two readers (unit JSON, workbook), with a fixed budget for CI.

Each property: the reader returns a budget or raises ``InputError`` whose every problem has a
Chinese message — never another exception; an amount it accepts is exactly the amount meant
(never a silently wrong number); a code it accepts is 3, 5 or 7 ASCII digits; and what it accepts
goes through the tables and their export without crashing.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import unit_dict
from xlbudget.errors import InputError
from xlbudget.io.unit_json import budget_from_dict
from xlbudget.model import UnitBudget

CI = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CI_SLOW = settings(CI, max_examples=60)
CJK = re.compile(r"[\u4e00-\u9fff]")
FULL = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def _problems_are_clear(exc: InputError) -> None:
    assert exc.problems
    for p in exc.problems:
        assert CJK.search(p.message), p


def _downstream(budget: UnitBudget) -> None:
    """What every command does next with a budget: tables, their export, the checker."""
    from xlbudget.check import check_budget
    from xlbudget.io.tables_json import tables_to_dict
    from xlbudget.tables import build_tables

    tables_to_dict(build_tables(budget))
    internal = [f for f in check_budget(budget) if f.rule == "internal"]
    assert not internal, internal


def _read(doc: Any) -> UnitBudget | None:
    try:
        return budget_from_dict(doc, "fuzz.json")
    except InputError as exc:
        _problems_are_clear(exc)
        return None


# -- amounts as people type them: (what is in the cell, the yuan meant or None = must be refused) --


@st.composite
def amounts(draw: st.DrawFn) -> tuple[Any, Decimal | None]:
    yuan = draw(st.integers(min_value=0, max_value=10**12))
    cents = draw(st.integers(min_value=0, max_value=99))
    exact = Decimal(yuan) + Decimal(cents) / 100
    plain = f"{yuan}.{cents:02d}"
    kind = draw(
        st.sampled_from(
            [
                "int",
                "float",
                "text",
                "grouped",
                "full_width",
                "spaces",
                "negative",
                "three_decimals",
                "words",
                "bool",
                "empty_list",
                "nan",
                "huge_float",
            ]
        )
    )
    if kind == "int":
        return yuan, Decimal(yuan)
    if kind == "float":
        return float(plain), (exact if Decimal(repr(float(plain))) == exact else None)
    if kind == "text":
        return plain, exact
    if kind == "grouped":
        return f"{yuan:,}.{cents:02d}", exact
    if kind == "full_width":
        return plain.translate(FULL), exact
    if kind == "spaces":
        return f"  {plain} ", exact
    if kind == "negative":
        return -(yuan + 1), None
    if kind == "three_decimals":
        return f"{plain}{draw(st.integers(1, 9))}", None
    if kind == "words":
        return draw(st.sampled_from(["一百元", "abc", "12元", "1.2.3", "1e5", "#REF!", "--5", "+-3"])), None
    if kind == "bool":
        return draw(st.booleans()), None
    if kind == "huge_float":  # Excel stores every number as a double: 1E+30 is what a huge cell holds
        return draw(st.sampled_from([1e30, 1e300, -1e30])), None
    if kind == "nan":
        return draw(st.sampled_from([float("nan"), float("inf"), "NaN", "Infinity"])), None
    return [], None


@st.composite
def codes(draw: st.DrawFn) -> tuple[Any, str | None]:
    """A function code in some spelling, and the code meant (None = must be refused)."""
    code = draw(st.sampled_from(["2010301", "2080501", "2013102", "2240102"]))
    kind = draw(st.sampled_from(["text", "spaces", "int", "float", "short", "letters", "empty"]))
    if kind == "text":
        return code, code
    if kind == "spaces":
        return f" {code}  ", code
    if kind == "int":
        return int(code), None  # the contract: codes are strings
    if kind == "float":
        return float(code), None
    if kind == "short":
        return code[:4], None
    if kind == "letters":
        return code[:3] + "ab", None
    return "", None


def _line(amount: Any = 1000, function: Any = "2010301", economic: Any = "30101") -> dict[str, Any]:
    return {"function": function, "economic": economic, "fund": "general", "amount": amount}


# -- unit JSON --------------------------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
TOP_KEYS = ["schema", "year", "amount_unit", "unit", "overview", "basic", "projects", "three_public",
            "procurement", "prior_year", "explanations", "assets", "other_notes", "performance_targets"]  # fmt: skip


@CI
@given(st.one_of(json_values, st.dictionaries(st.sampled_from(TOP_KEYS), json_values, max_size=10)))
def test_json_reader_random_shapes(doc: Any) -> None:
    budget = _read(doc)
    if budget is not None:
        _downstream(budget)


@CI
@given(
    st.sampled_from(
        ["basic", "projects", "three_public", "prior_year", "procurement", "performance_targets"]
    ),
    st.integers(min_value=0, max_value=3),
    json_values,
)
def test_json_reader_seed_with_one_part_replaced(
    seed_dict: dict[str, Any], part: str, index: int, junk: Any
) -> None:
    import copy

    doc = copy.deepcopy(seed_dict)
    target = doc[part]
    if isinstance(target, list) and target:
        item = target[index % len(target)]
        if isinstance(item, dict) and item:
            key = sorted(item)[index % len(item)]
            item[key] = junk
    elif isinstance(target, dict) and target:
        target[sorted(target)[index % len(target)]] = junk
    budget = _read(doc)
    if budget is not None:
        _downstream(budget)


@CI
@given(amounts())
def test_json_amounts_exact_or_refused(case: tuple[Any, Decimal | None]) -> None:
    raw, meant = case
    budget = _read(unit_dict(basic=[_line(raw)]))
    if budget is None:
        return
    assert meant is not None, f"{raw!r} was accepted as {budget.basic[0].amount}"
    assert budget.basic[0].amount == meant, f"{raw!r} read as {budget.basic[0].amount}, meant {meant}"
    _downstream(budget)


@CI
@given(codes())
def test_json_codes_exact_or_refused(case: tuple[Any, str | None]) -> None:
    raw, meant = case
    budget = _read(unit_dict(basic=[_line(function=raw)]))
    if budget is None:
        return
    assert meant is not None, f"{raw!r} was accepted as {budget.basic[0].function!r}"
    assert budget.basic[0].function == meant


def test_json_deep_nesting_and_long_numbers(tmp_path: Any) -> None:
    from xlbudget.io.unit_json import read_unit_json

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    long_number = tmp_path / "long.json"
    long_number.write_text('{"year": 2023, "basic": [{"amount": ' + "9" * 5000 + "}]}")
    for path in (deep, long_number):
        with pytest.raises(InputError) as info:
            read_unit_json(path)
        _problems_are_clear(info.value)


def test_json_huge_integer_amount_is_refused() -> None:
    """An integer amount such as 10**40 is refused like the same figure written as text (it used to pass
    the reader and crash the tables export with decimal.InvalidOperation)."""
    assert _read(unit_dict(basic=[_line(10**40)])) is None


def test_workbook_huge_integer_amount_is_refused(tmp_path: Any) -> None:
    """The integer 10**40 put in a cell comes back as the double 1e+40 (as in Excel, numbers are doubles),
    which the reader refuses."""
    line = {
        "function": "2010301",
        "economic": "30101",
        "fund": "一般公共预算",
        "amount": 10**40,
        "carryover": "否",
    }
    assert _read_book(_save(_workbook([line]), tmp_path)) is None


def test_json_full_width_code_is_never_silent() -> None:
    """ "２０１０３０１" in JSON: the reader keeps it as typed, and the checker says how to write it
    (catalogue.unknown_code, expected "2010301") — never a silently different code."""
    from xlbudget.check import check_budget

    budget = _read(unit_dict(basic=[_line(function="２０１０３０１")]))
    if budget is None or budget.basic[0].function == "2010301":
        return
    found = [f for f in check_budget(budget) if str(f.location) == "basic[0].function"]
    assert any(f.severity == "error" and f.expected == "2010301" for f in found), found


# -- workbook -----------------------------------------------------------------------------------


def _workbook(lines: list[dict[str, Any]]) -> Any:
    """A small workbook holding the input sheets the reader needs, laid out as layout.py says."""
    import openpyxl

    from xlbudget.workbook import layout as L

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = L.UNIT_SHEET
    ws.append(list(L.UNIT_HEADINGS))
    values = {"unit.name": "模糊测试单位", "unit.kind": "行政单位", "unit.level": "市级", "year": 2023}
    for f in L.UNIT_FORM:
        ws.append([f.label, values.get(f.field)])
    for spec in L.INPUT_TABLES:
        sheet = wb.create_sheet(spec.sheet)
        sheet.append([c.heading for c in spec.columns])
    basic = wb[L.BASIC_SHEET]
    for line in lines:
        basic.append([line.get(c.field) for c in L.BASIC.columns])
    return wb


def _save(wb: Any, tmp_path: Any, name: str = "fuzz.xlsx") -> Any:
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / name
    path.write_bytes(buf.getvalue())
    return path


def _read_book(path: Any) -> UnitBudget | None:
    from xlbudget.workbook.reader import read_workbook

    try:
        return read_workbook(path)
    except InputError as exc:
        _problems_are_clear(exc)
        for p in exc.problems:
            assert "!" in p.location or p.location == str(path), p  # names a sheet/cell or the file
        return None


def _cell(raw: Any) -> Any:
    """What openpyxl can store in a cell: lists become text, as if pasted."""
    return str(raw) if isinstance(raw, list) else raw


@CI_SLOW
@given(amounts(), codes(), st.sampled_from([" 30101", "30101", 30101, 30101.0, "３０１０１", "301 01"]))
def test_workbook_cells_exact_or_refused(
    tmp_path_factory: pytest.TempPathFactory,
    amount: tuple[Any, Decimal | None],
    code: tuple[Any, str | None],
    economic: Any,
) -> None:
    raw, meant = amount
    if isinstance(raw, float) and raw != raw:
        raw = "NaN"  # openpyxl writes NaN as an invalid number; Excel would show #NUM!
    if isinstance(raw, float) and raw in (float("inf"), float("-inf")):
        raw = "#NUM!"
    fcode, fmeant = code
    line = {
        "function": fcode,
        "economic": economic,
        "fund": "一般公共预算",
        "amount": _cell(raw),
        "carryover": "否",
    }
    path = _save(_workbook([line]), tmp_path_factory.mktemp("wb"))
    budget = _read_book(path)
    if budget is None:
        return
    got = budget.basic[0]
    # a workbook may hold codes as numbers (Excel does that to pasted codes): the reader normalises them
    function_meant = fmeant or (str(int(fcode)) if isinstance(fcode, int | float) else None)
    assert got.function == function_meant, f"{fcode!r} read as {got.function!r}"
    assert got.economic == "30101", f"{economic!r} read as {got.economic!r}"
    assert meant is not None, f"{raw!r} was accepted as {got.amount}"
    assert got.amount == meant, f"{raw!r} read as {got.amount}, meant {meant}"
    _downstream(budget)


@CI_SLOW
@given(
    st.sampled_from(
        [
            "drop_sheet",
            "rename_sheet",
            "rename_header",
            "drop_header_row",
            "merge",
            "blank_rows",
            "form_label",
        ]
    ),
    st.integers(min_value=0, max_value=50),
)
def test_workbook_shapes(tmp_path_factory: pytest.TempPathFactory, change: str, pick: int) -> None:
    from xlbudget.workbook import layout as L

    lines = [
        {
            "function": "2010301",
            "economic": "30101",
            "fund": "一般公共预算",
            "amount": 1000 + i,
            "carryover": "否",
        }
        for i in range(5)
    ]
    wb = _workbook(lines)
    names = list(L.INPUT_SHEETS)
    sheet = wb[names[pick % len(names)]]
    if change == "drop_sheet":
        wb.remove(sheet)
    elif change == "rename_sheet":
        sheet.title = sheet.title + "（副本）"
    elif change == "rename_header":
        cell = sheet.cell(1, 1 + pick % max(sheet.max_column, 1))
        cell.value = f"{cell.value}X"
    elif change == "drop_header_row":
        sheet.delete_rows(1)
    elif change == "merge":
        basic = wb[L.BASIC_SHEET]
        first = 2 + pick % 4
        basic.merge_cells(start_row=first, start_column=1, end_row=first + 1, end_column=1 + pick % 7)
    elif change == "blank_rows":
        wb[L.BASIC_SHEET].insert_rows(3, amount=1 + pick % 5)
    elif change == "form_label":
        form = wb[L.UNIT_SHEET]
        form.cell(2 + pick % len(L.UNIT_FORM), 1).value = "改过的标签"
    path = _save(wb, tmp_path_factory.mktemp("shape"))
    budget = _read_book(path)
    if budget is None:
        return
    total = sum((x.amount for x in budget.basic), Decimal(0))
    if change in ("blank_rows",):
        assert total == sum(Decimal(x["amount"]) for x in lines)
    if change == "merge":
        # merged cells keep only the top-left value: any line read must still carry a real amount
        assert all(x.amount > 0 for x in budget.basic)
    _downstream(budget)


def test_workbook_empty_and_renamed_files(tmp_path: Any) -> None:
    import openpyxl

    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    assert _read_book(empty) is None
    docx = tmp_path / "report.xlsm"
    docx.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert _read_book(docx) is None


# -- text from other systems: control characters, lone surrogates, Excel's escapes, overlong -------------

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
ADVERSARIAL_TEXTS = [
    "大同市\x07信访局",
    "\x00",
    "行一\x0b行二",
    "\ud800",
    "前\udfff后",
    "_x000B_",
    '=HYPERLINK("http://example.invalid","点我")',
    "＝1+1",
    "\u202e倒序",
    "长" * 32768,
    "",
    " ",
]
any_text = st.sampled_from(ADVERSARIAL_TEXTS) | st.text(
    alphabet=st.characters(codec=None, categories=["Cc", "Cs", "Lo", "Zs", "Po"]), max_size=20
)


def _texts_of(budget: UnitBudget) -> list[str]:
    """Every text field the report may print."""
    out = [budget.unit.name, budget.unit.region, budget.overview.duties_intro, *budget.overview.duties]
    out += [p.name for p in budget.projects]
    return out


@CI
@given(any_text, any_text, any_text)
def test_json_text_is_clean_or_refused(name: str, project: str, duty: str) -> None:
    """Any text in a name or a duty: the reader refuses it with its JSON path, or every text it keeps has
    no control character, no lone surrogate and fits a cell; the narrative and the export are then built."""
    from xlbudget.report import narrative
    from xlbudget.tables import build_tables

    doc = unit_dict(
        projects=[{"name": project, "function": "2010301", "fund": "general", "amount": 1000}],
        overview={"duties_intro": "", "duties": [duty], "organization": ""},
    )
    doc["unit"]["name"] = name
    try:
        budget = budget_from_dict(doc, "fuzz.json")
    except InputError as exc:
        _problems_are_clear(exc)
        assert all(p.location for p in exc.problems), exc.problems
        return
    for text in _texts_of(budget):
        assert not CONTROL.search(text.replace("\n", "").replace("\t", "").replace("\r", "")), repr(text)
        assert len(text) <= 32767
    _downstream(budget)
    narrative(budget, build_tables(budget))


@CI
@given(
    st.lists(st.sampled_from(["unit", "basic", "amount", "name", "名称", "year"]), min_size=1, max_size=4),
    st.sampled_from(["1", '"x"', "[]", "{}", "null"]),
)
def test_duplicate_json_keys_are_refused_with_their_path(path: list[str], value: str) -> None:
    """{"a": {"b": {"k": 1, "k": 2}}}: refused at a.b.k, whatever the depth and the values."""
    from xlbudget.io import strict_json

    *outer, key = path
    text = f'{{"{key}": {value}, "{key}": {value}}}'
    for name in reversed(outer):
        text = f'{{"{name}": {text}}}'
    with pytest.raises(InputError) as info:
        strict_json.loads(text)
    _problems_are_clear(info.value)
    assert [p.location for p in info.value.problems] == [".".join(path)]


# -- formulas typed into amount cells, saved by a script (no result) ------------------------------------

FORMULA_AMOUNTS = [
    ("=1000+234.5", Decimal("1234.5")),
    ("=SUM(1000,2000)*2", Decimal(6000)),
    ("=ROUND(10/3,2)", Decimal("3.33")),
    ("=0.1+0.2", Decimal("0.3")),  # Excel's 15 digits: 0.3, not 0.30000000000000004
    ("=10/3", None),  # more than two decimals
    ("=1/0", None),  # #DIV/0!
    ("=NOSUCHFUNCTION(1)", None),
    ("=[1]Sheet1!A1", None),  # another workbook
    ("=某个名称*2", None),  # a defined name the file does not have
    ("=-5", None),  # negative
    ('="12"&"3"', Decimal(123)),  # text of digits, as Excel shows it
    ("=F2", None),  # itself: circular
    ("=SUM(1:1)*0+5", Decimal(5)),  # a whole row (the headings: text sums to 0)
    ("=SUM(B:B)+5", Decimal(5)),  # a whole column beside it (the name column: text)
    # codes are text that reads as numbers: Excel's SUM skips them, the engine would count them
    ("=SUM(A:E)+5", None),
    ("=SUM(A:XFD)+1", None),  # the whole sheet holds the cell itself: circular
    ("=COUNTA(科目表!A:A)", None),  # a sheet the file does not have
]


@pytest.mark.parametrize(("formula", "meant"), FORMULA_AMOUNTS)
def test_workbook_formula_amounts_exact_or_refused(
    tmp_path: Any, formula: str, meant: Decimal | None
) -> None:
    line = {
        "function": "2010301",
        "economic": "30101",
        "fund": "一般公共预算",
        "amount": formula,
        "carryover": "否",
    }
    budget = _read_book(_save(_workbook([line]), tmp_path))
    if meant is None:
        assert budget is None, f"{formula} was accepted as {budget.basic[0].amount if budget else None}"
        return
    assert budget is not None, formula
    assert budget.basic[0].amount == meant, f"{formula} read as {budget.basic[0].amount}, meant {meant}"


# -- tables JSON, version 2 ------------------------------------------------------------------------------


@CI
@given(
    st.sampled_from(["3", "1", "12"]),
    st.sampled_from(
        [
            "rows",
            "income",
            "expenditure",
            "columns",
            "title",
            "empty",
            "values",
            "name",
            "code",
            "amount_unit",
        ]
    ),
    json_values,
)
def test_tables_v2_reader_random_parts(part_table: str, part: str, junk: Any) -> None:
    """The seed's export (version 2) with one part replaced by junk: read, or refused with a JSON path
    and a Chinese message; what is read goes through the checker without a crashed rule."""
    import copy

    doc = copy.deepcopy(_seed_v2())
    table = doc["tables"][part_table]
    if part in ("rows", "income", "expenditure", "columns", "title", "empty"):
        table[part] = junk
    elif part == "amount_unit":
        doc["amount_unit"] = junk
    else:
        lines = table.get("rows") or table.get("expenditure")
        lines[len(lines) // 2][part] = junk
    _read_or_refused_with_a_path(doc)


def _read_or_refused_with_a_path(doc: dict[str, Any]) -> None:
    """A tables document is read and checked without an internal error, or refused with each problem's path."""
    from xlbudget.check import check_tables
    from xlbudget.io.tables_json import tables_from_dict

    try:
        shown = tables_from_dict(doc, "fuzz.json")
    except InputError as exc:
        _problems_are_clear(exc)
        assert all(p.location for p in exc.problems)
        return
    assert not [f for f in check_tables(shown) if f.rule == "internal"]


_SEED_V2: dict[str, Any] = {}


def _seed_v2() -> dict[str, Any]:
    if not _SEED_V2:
        from tests.conftest import SEED_JSON
        from xlbudget.io.tables_json import tables_to_dict
        from xlbudget.io.unit_json import read_unit_json
        from xlbudget.tables import build_tables

        _SEED_V2.update(tables_to_dict(build_tables(read_unit_json(SEED_JSON))))
    return _SEED_V2


@CI
@given(
    st.sampled_from(["3", "1", "6"]),
    st.sampled_from(["rows", "income", "expenditure", "columns", "row_names", "gov_economic", "value"]),
    json_values,
)
def test_tables_v1_reader_random_parts(
    golden_tables: dict[str, Any], part_table: str, part: str, junk: Any
) -> None:
    """The golden tables (version 1) with one part replaced: read, or refused with a path; never a crash."""
    import copy

    doc = copy.deepcopy(golden_tables)
    table = doc["tables"][part_table]
    if part == "value":
        rows = table.get("rows") or table["expenditure"]
        rows[sorted(rows)[0]] = junk
    else:
        table[part] = junk
    _read_or_refused_with_a_path(doc)
