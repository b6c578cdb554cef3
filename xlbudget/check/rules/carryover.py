"""Money a unit budgets that its profile's tables have nowhere to print."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.check.findings import WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.money import ZERO, fmt_wan
from xlbudget.profiles import Profile, available_profiles, load_profile, profile_for


def prints_carryover(profile: Profile) -> bool:
    """Whether any table of the profile prints carried-over money: a 上年结转 line (``carryover_in``), a
    column of id ``carryover``, or a table of carried-over projects."""
    return any(
        t.carryover_in or "carryover" in t.column_ids or t.role == "projects_carryover"
        for t in profile.tables
    )


@rule("completeness.carryover_not_printed", "budget")
def carryover_not_printed(ctx: Context) -> Iterator[Finding]:
    """Carried-over lines (carryover: true) under a profile whose tables print no 上年结转 — shanghai-9 has
    no 上年结转 line or column in any table, and each of its tables sums this year's lines only — are
    left out of every table, not folded into 本年. Said once, at the first such line, with how many
    lines and how much money (in the unit the profile prints); a warning, as the tables themselves
    still agree with each other."""
    assert ctx.budget is not None
    profile_id = ctx.tables.profile or profile_for(ctx.budget.unit)
    if profile_id not in available_profiles():
        return
    profile = load_profile(profile_id)
    carried = [x for x in ctx.budget.lines if x.carryover]
    if not carried or prints_carryover(profile):
        return
    total = sum((x.amount for x in carried), ZERO)
    amount = f"{fmt_wan(total)}万元" if profile.amount_unit == "万元" else f"{total:,}元"
    yield Finding(
        "completeness.carryover_not_printed",
        WARNING,
        None,
        carried[0].source.at("carryover"),
        f"有 {len(carried)} 行上年结转（carryover，合计 {amount}），而报表方案 {profile_id}（{profile.name}）"
        "的各表不列上年结转：这些钱不会出现在任何一张表中，也没有并入本年；"
        "若是本年预算安排，请去掉上年结转标记",
        None,
        amount,
    )
