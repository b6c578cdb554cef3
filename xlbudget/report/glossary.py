"""第四部分 名词解释: the standard glossary, worded for the unit's level.

The 2023 published text says "省直部门" in a city-level report; the wording here
follows the unit's level (省级 → 省直, 市级 → 市直, 县级 → 县直).
"""

from __future__ import annotations

from dataclasses import dataclass

from xlbudget.report.facts import chinese_number

# 单位层级 → 部门 word used in the 名词解释
LEVEL_DEPARTMENTS = {"省级": "省直部门", "市级": "市直部门", "县级": "县直部门"}


@dataclass(frozen=True)
class Term:
    term: str  # 基本支出
    definition: str

    def numbered(self, n: int) -> str:
        return f"{chinese_number(n)}、{self.term}：{self.definition}"


def departments_word(level: str) -> str:
    """ "市直部门" for a 市级 unit; unknown levels fall back to the neutral "各部门"."""
    return LEVEL_DEPARTMENTS.get(level, "各部门")


def glossary(level: str) -> tuple[Term, ...]:
    dept = departments_word(level)
    return (
        Term("基本支出", "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
        Term("项目支出", "指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。"),
        Term(
            "“三公”经费",
            f"指{dept}用财政拨款安排的因公出国（境）费用、公务用车购置及运行费和公务接待费。"
            "其中：因公出国（境）费用反映单位公务出国（境）的国际旅费、国外城市间交通费、住宿费、伙食费、"
            "培训费、公杂费等支出；公务用车购置费反映公务用车购置支出（含车辆购置税、牌照费）；"
            "公务用车运行维护费反映单位按规定保留的公务用车燃料费、维修费、过路过桥费、保险费、"
            "安全奖励费用等支出；公务接待费反映机关和参公事业单位按规定开支的各类公务接待（含外宾接待）支出。",
        ),
        Term(
            "机关运行经费",
            "指行政单位和参照公务员法管理的事业单位使用财政拨款安排的基本支出中的公用经费支出。",
        ),
        Term(
            "政府购买服务",
            "根据我国现行政策规定，政府购买服务，是指充分发挥市场机制作用，将国家机关属于自身职责范围且适合"
            "通过市场化方式提供的服务事项，按照政府采购方式和程序，交由符合条件的服务供应商承担，"
            "并根据服务数量和质量等情况向其支付费用的行为。",
        ),
        Term(
            "财政专户管理资金",
            "专指教育收费，包括目前在财政专户管理的高中以上学费、住宿费，高校委托培养费，党校收费，"
            "教育考试考务费，函大、电大、夜大及短训班培训费等。",
        ),
        Term(
            "单位资金",
            "是指除政府预算资金和财政专户管理资金以外的资金，包括事业收入、事业单位经营收入、上级补助收入、"
            "附属单位上缴收入、其他收入。",
        ),
        Term("上年结转", "指以前年度预算安排、结转到本年仍按原规定用途继续使用的资金。"),
        Term(
            "一般公共预算",
            "是指以税收为主体的财政收入，安排用于保障和改善民生、推动经济社会发展、维护国家安全、"
            "维持国家机构正常运转等方面的收支预算。",
        ),
        Term(
            "政府性基金预算",
            "是对依照法律、行政法规的规定在一定期限内向特定对象征收、收取或者以其他方式筹集的资金，"
            "专项用于特定公共事业发展的收支预算。",
        ),
        Term("国有资本经营预算", "是对国有资本收益作出支出安排的收支预算。"),
        Term("财政拨款", "包含一般公共预算、政府性基金预算、国有资本经营预算。"),
    )
