from decimal import Decimal

import pytest

from xlbudget.money import AmountError, fmt_percent, fmt_wan, parse_yuan, printed_change, to_wan


@pytest.mark.parametrize(
    ("yuan", "wan"),
    [
        (50, "0.01"),  # 0.005 rounds up (banker's rounding would give 0.00)
        (250, "0.03"),  # 0.025 → 0.03 half-up, 0.02 under ROUND_HALF_EVEN
        (49, "0.00"),
        (9165305, "916.53"),
        (4533950, "453.40"),  # the seed's 工资福利支出: 453.395 → 453.40
        (0, "0.00"),
    ],
)
def test_wan_is_half_up(yuan: int, wan: str) -> None:
    assert fmt_wan(Decimal(yuan)) == wan
    assert to_wan(Decimal(yuan)) == Decimal(wan)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(1530810, "1530810"), ("1,234.50", "1234.50"), (" 12.3 ", "12.3"), ("１２３", "123"), (12.34, "12.34")],
)
def test_parse_yuan_accepts_what_people_type(raw: object, expected: str) -> None:
    assert parse_yuan(raw) == Decimal(expected)


@pytest.mark.parametrize(
    "raw", ["12,3x", "abc", "", "1.234", True, None, "1e5", float("nan"), [1], 10**15, "99999999999999999"]
)
def test_parse_yuan_rejects_with_chinese_message(raw: object) -> None:
    with pytest.raises(AmountError) as exc:
        parse_yuan(raw)
    assert "金额" in str(exc.value) or "小数" in str(exc.value), exc.value


def test_percent_two_decimals_half_up() -> None:
    assert fmt_percent(Decimal(1045035), Decimal(8120270)) == "12.87%"
    # the seed's 机关运行经费: 586,360 vs 570,000 yuan → +16,360 → 2.870…% (the seed printed 2.9%)
    assert fmt_percent(Decimal(16360), Decimal(570000)) == "2.87%"
    assert fmt_percent(Decimal(2875), Decimal(100000)) == "2.88%"  # 2.875 → 2.88 half-up
    assert fmt_percent(Decimal(1), Decimal(0)) == "0.00%"


def test_wan_at_a_printed_precision() -> None:
    """171,915,169 元 = 17,191.5169万元: whole 17,192 (half-up), one decimal 17,191.5, two 17,191.52."""
    from xlbudget.money import wan_at, wan_places

    assert wan_at(Decimal(171_915_169), 0) == Decimal(17_192)
    assert wan_at(Decimal(171_915_169), 1) == Decimal("17191.5")
    assert wan_at(Decimal(171_915_169), 2) == to_wan(Decimal(171_915_169)) == Decimal("17191.52")
    assert wan_at(Decimal(5_000), 0) == Decimal(1)  # 0.5万元 rounds half up
    assert (wan_places("17,192"), wan_places("916.53"), wan_places("6.4")) == (0, 2, 1)


@pytest.mark.parametrize(
    "now, before, whole, change",
    [
        (586350, 570049, False, 16400),  # 58.64 − 57.00 = 1.64万元 (the exact 16,301 yuan would print 1.63)
        (200000, 199950, False, 0),  # 20.00 and 19.995 → 20.00: no change printed (exact 50 yuan → 0.01)
        (14951, 14949, False, 100),  # 1.50 − 1.49 = 0.01 (exact 2 yuan → 0.00)
        (175000, 164999, True, 20000),  # whole 万元: 18 − 16 = 2 (exact 1.0001万元 → 1)
        (164999, 175000, True, -20000),
    ],
)
def test_printed_change_is_the_difference_of_the_printed_figures(
    now: int, before: int, whole: bool, change: int
) -> None:
    assert printed_change(Decimal(now), Decimal(before), whole=whole) == change


def test_a_yuan_table_prints_all_its_figures_in_one_format() -> None:
    """Whole yuan unless any figure of the table has fen; then every figure with two decimals (a 元 column
    never mixes 758,448.50 with 3,580,522), and a figure's fen are never rounded away."""
    from xlbudget.money import fmt_amount, fmt_yuan, yuan_places

    whole = [Decimal(3580522), Decimal(225600)]
    assert yuan_places(whole) == 0
    assert [fmt_amount(v, "元", 0) for v in whole] == ["3,580,522", "225,600"]
    mixed = [*whole, Decimal("758448.5")]
    assert yuan_places(mixed) == 2
    assert [fmt_amount(v, "元", 2) for v in mixed] == ["3,580,522.00", "225,600.00", "758,448.50"]
    assert fmt_yuan(Decimal("758448.5"), 0) == "758,448.50"  # never 758,448 nor 758,449
    assert fmt_yuan(Decimal("0.05")) == "0.05" and fmt_yuan(Decimal(12)) == "12"
    assert fmt_amount(Decimal(0), "元", 2) == ""  # an empty cell, as ever
    assert fmt_amount(Decimal("758448.5"), "万元", 2) == "75.84"
