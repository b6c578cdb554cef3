"""万里街道办事处's 2024 部门预算 as six unit files, made from its printed tables.

No fixture exists for this 部门: its report (``../shared/real/shanghai-putuo-wanli-2024-department-
budget.pdf``) prints the department's tables only (transcribed in ``tests/data/real/…wanli….tables.json``),
not its units' lines.  So the units' lines are made from the printed figures, and a test can then ask
whether our 部门 path (``xlbudget.department``) prints the tables the real print does:

- **基本支出**: 表5 gives each 项's 一般公共预算 基本支出, 表8 each 经济分类 款's (人员 / 公用).  Any lines whose
  sums by 项 give 表5's column and by 款 give 表8's will do; :func:`basic_lines` pairs the 项 and the 款 that
  are plainly one another (2080505 ↔ 30108 机关事业单位基本养老保险缴费, 2080506 ↔ 30109, 21011 ↔ 30110,
  2210201 ↔ 30113 住房公积金) and fills the rest in print order (the north-west corner rule).  表8's
  ``3012``/``3017`` are the print's code misprints (known defects wanli-2024-E7/E8): the lines book them
  under their real codes 30102 津贴补贴 and 30107 绩效工资.
- **项目支出**: one project per 项 with 项目支出 in 表5, 一般公共预算 (表2 prints no other income).
- **“三公”经费** (表9, 万元): 公务接待费 13,500 元 (= 表8 30217), 公务用车运行维护费 215,600 元 (= 表8 30231),
  公务用车购置费 250,000 元; 因公出国（境）费 none.
- **The units** (机构设置, p.3): 本部 (行政单位), 5 下属单位 of which the print says one is 参公 and four are
  事业单位 without naming which — taken here as the 综合行政执法队 (参公).  机关运行经费 (表9: 443.18 万元) is
  the 公用经费 of the 行政 and 参公 units' 基本支出 only (the 正文 says so; 表8's 公用经费 11,168,569 counts
  all six): 302 lines of 3,000,000 元 go to the 本部 and 1,431,800 元 to the 执法队, 4,431,800 元 → 443.18,
  the rest of 302 to the 事业单位.  人员经费 lines and projects are dealt to the six units in turn.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WANLI = ROOT / "tests" / "data" / "real" / "shanghai-putuo-wanli-2024-department-budget.tables.json"
PDF = ROOT.parent / "shared" / "real" / "shanghai-putuo-wanli-2024-department-budget.pdf"

DEPARTMENT = "上海市普陀区人民政府万里街道办事处"
HEAD = f"{DEPARTMENT}（本部）"
ENFORCEMENT = "上海市普陀区万里街道综合行政执法队"
UNITS = {  # 机构设置 (p.3), in print order → kind
    HEAD: "administrative",
    "上海市普陀区万里街道社区事务受理服务中心": "public_institution",
    "上海市普陀区万里街道社区党群服务中心": "public_institution",
    "上海市普陀区万里街道城市运行管理中心": "public_institution",
    "上海市普陀区万里街道经济发展服务中心": "public_institution",
    ENFORCEMENT: "civil_service_institution",
}
# 表8's misprinted 款 codes (wanli-2024-E7, E8) → the code of the line printed there
MISPRINTED_CODES = {"3012": ("30102", "E7"), "3017": ("30107", "E8")}
# 表9 “三公” (元): item → [(unit, amount)]
THREE_PUBLIC = {
    "公务接待费": [(HEAD, 13_500)],
    "公务用车购置费": [(ENFORCEMENT, 250_000)],
    "公务用车运行维护费": [(HEAD, 100_000), (ENFORCEMENT, 115_600)],
}
THREE_PUBLIC_LINES = {"30217": "公务接待费", "30231": "公务用车运行维护费"}  # 表8's 款 that are “三公”
OPERATING = {HEAD: 3_000_000, ENFORCEMENT: 1_431_800}  # 公用经费 of the 行政 / 参公 units: 4,431,800 元
# (项, 款) booked together first: the 项 that are plainly one 款
PAIRS = [
    ("2080505", "30108"),
    ("2080506", "30109"),
    ("2101101", "30110"),
    ("2101102", "30110"),
    ("2210201", "30113"),
]


def printed() -> dict[str, Any]:
    return json.loads(WANLI.read_text("utf-8"))


def _yuan(value: str) -> int:
    return int(Decimal(value or "0"))


def function_items() -> list[tuple[str, str, int, int]]:
    """表5's 项 rows: (code, name, 基本支出, 项目支出) in yuan, in print order."""
    rows = printed()["tables"]["5"]["rows"]
    return [
        (r["code"], r["name"], _yuan(r["values"][1]), _yuan(r["values"][2]))
        for r in rows
        if len(r.get("code", "")) == 7
    ]


def economic_items() -> list[tuple[str, int]]:
    """表8's 款 rows: (code, 一般公共预算基本支出) in yuan, the misprinted codes put right."""
    out = []
    for r in printed()["tables"]["8"]["rows"]:
        code = r.get("code", "")
        code = MISPRINTED_CODES.get(code, (code, ""))[0]
        if len(code) == 5:
            out.append((code, _yuan(r["values"][0])))
    return out


def basic_lines() -> list[tuple[str, str, int]]:
    """(function 项, economic 款, yuan) whose sums by 项 are 表5's 基本支出 and by 款 表8's."""
    need_f = {code: basic for code, _, basic, _ in function_items() if basic}
    need_e = dict(economic_items())
    assert sum(need_f.values()) == sum(need_e.values())  # 99,706,020 both: the print agrees with itself
    lines: list[tuple[str, str, int]] = []

    def book(f: str, e: str, amount: int) -> None:
        if amount:
            lines.append((f, e, amount))
            need_f[f] -= amount
            need_e[e] -= amount

    for f, e in PAIRS:
        book(f, e, min(need_f[f], need_e[e]))
    fs = [f for f in need_f if need_f[f]]
    es = [e for e in need_e if need_e[e]]
    i = j = 0
    while i < len(fs) and j < len(es):  # the north-west corner: every 项 and 款 filled in turn
        book(fs[i], es[j], min(need_f[fs[i]], need_e[es[j]]))
        if not need_f[fs[i]]:
            i += 1
        if j < len(es) and not need_e[es[j]]:
            j += 1
    assert not any(need_f.values()) and not any(need_e.values())
    return lines


def owed_to(owed: dict[str, list[list[Any]]], unit: str) -> list[tuple[str, int]]:
    """The “三公” 基本支出 still to be booked to ``unit``: (款, yuan)."""
    return [(e, a) for e, shares in owed.items() for u, a in shares if u == unit and a]


def _dealt(names: list[str]) -> Iterator[str]:
    while True:
        yield from names


def unit_docs() -> dict[str, dict[str, Any]]:
    """The six units' budgets as unit JSON (``xlbudget/unit-budget/1``), by name in print order."""
    docs: dict[str, dict[str, Any]] = {
        name: {
            "schema": "xlbudget/unit-budget/1",
            "year": 2024,
            "amount_unit": "元",
            "unit": {
                "name": name,
                "code": "046",
                "level": "县级",
                "region": "普陀区",
                "kind": kind,
                "province": "上海市",
            },
            "overview": {  # the print has no text of a unit's own: the 部门's, pointed to
                "duties_intro": f"{name}的主要职能：",
                "duties": ["见本部门主要职能（部门预算不分单位列出）。"],
                "organization": "见本部门机构设置。",
            },
            "basic": [],
            "projects": [],
            "three_public": [],
        }
        for name, kind in UNITS.items()
    }
    names = list(UNITS)
    public_institutions = [n for n, k in UNITS.items() if k == "public_institution"]
    operating = dict(OPERATING)
    others = _dealt(public_institutions)
    everyone = _dealt(names)

    def basic(unit: str, f: str, e: str, amount: int) -> None:
        docs[unit]["basic"].append({"function": f, "economic": e, "fund": "general", "amount": amount})

    # 表8's 30217 公务接待费 and 30231 公务用车运行维护费 are the “三公” of the units that hold them (a unit's
    # 基本支出 on them cannot exceed its “三公”: the checker's cross.t10_vs_t6)
    owed = {
        economic: [[unit, amount] for unit, amount in THREE_PUBLIC[item]]
        for economic, item in THREE_PUBLIC_LINES.items()
    }
    for f, e, amount in basic_lines():
        if e in owed:
            for share in owed[e]:
                part = min(amount, share[1])
                if part:
                    basic(share[0], f, e, part)
                    amount -= part
                    share[1] -= part
                    operating[share[0]] -= part
            assert not amount, e
        elif e.startswith(
            "302"
        ):  # 公用经费: the 行政/参公 units' share first (机关运行经费), then the others
            for unit in list(operating):
                part = min(amount, operating[unit] - sum(a for u, a in owed_to(owed, unit)))
                if part > 0:
                    basic(unit, f, e, part)
                    amount -= part
                    operating[unit] -= part
            if amount:
                basic(next(others), f, e, amount)
        else:
            basic(next(everyone), f, e, amount)
    assert not any(operating.values()) and not any(a for shares in owed.values() for _, a in shares)
    for code, name, _, project in function_items():
        if project:
            docs[next(everyone)]["projects"].append(
                {"name": f"{name}项目（{code}）", "function": code, "fund": "general", "amount": project}
            )
    for item, parts in THREE_PUBLIC.items():
        for unit, amount in parts:
            docs[unit]["three_public"].append({"item": item, "fund": "general", "amount": amount})
    return docs


DUTIES = [  # 主要职能 (p.2), as printed but for the missing 康 of 健康 (the print's own slip)
    "加强党的建设。落实基层党建责任制，加强基层服务型党组织建设，统筹推进区域化党建和“两新”组织党建、居民区党建工作，"
    "实现社区党建全覆盖，提高党建工作的有效性。",
    "统筹社区发展。统筹落实市、区两级涉及社区发展的重大决策和社区建设规划，参与辖区公共服务设施建设规划，"
    "推动辖区健康、有序、可持续发展。",
    "组织公共服务。组织实施与居民生活密切相关的社区公共服务，落实人力资源、社会保障、民政、教育、卫生健康等领域相关政策。",
    "实施综合管理。对区域内城市管理、人口管理、社会管理等地区性、综合性工作，承担组织领导和综合协调职能。",
    "监督专业管理。对区域内各类专业执法工作组织开展群众监督和社会监督。",
    "动员社会参与。动员各类驻区单位、社区组织和社区居民等社会力量参与社区治理，引导驻区单位履行社会责任，"
    "整合辖区内各种社会力量为社区发展服务。",
    "指导基层自治。指导居委会建设，健全自治平台，组织社区居民和单位参与社区建设和管理。",
    "维护社区平安。承担辖区社会治安综合治理有关工作，处理群众来信来访，反映社情民意，化解矛盾纠纷等。",
    "承办区委、区政府交办的其他事项。",
]


# 项目经费情况说明 (p.33), typed as the print has it, its slips kept (社区事物受理, 更游校的, 跟全过程, 建筑里面, the
# 8013 for 8103 of tests/data/real/README.md): field of the department JSON → text; 项目概况 is two paragraphs.
PROJECT = {
    "overview": "由上海市普陀区人民政府万里街道办事处建设的万里街道社区公共服务中心新建工程，位于普陀区真金路与交通路路口，"
    "东至真金路，南至规划公共绿地，西至规划住宅地块，北至万里雅筑小区，用地面积约为4000.6平方米（以实测为准）。"
    "本工程规划建筑面积约为13459平方米，其中地上建筑面积为8013平方米（其中计容面积7998平方米，不计容面积105平方米），"
    "地下建筑面积为5356平方米，建筑高度为29.8米，地上主楼7层，裙房3层，地下2层。"
    "建成后作为万里街道社区事物受理、社区管理、社区文化艺术活动场所。\n"
    "本工程为二类高层建筑，设计使用年限为50年，建筑耐火等级地上部分为二级，地下部分为一级，抗震设防烈度为7度，"
    "抗震重要性类别为丙类，建筑结构安全等级为二级，主楼、裙楼上部结构采用装配整体式钢筋混凝土框架结构。",
    "basis": "本工程是为了更游校的整合社区公共服务资源，为周边居民提供便捷、优质的社区服务和生活配套设施，"
    "根据沪府规【2016】168号文关于同意《上海市普陀区万里社区W060701单元W-07、W-08街坊、真如城市副中心X101、X102、"
    "X103、G1街坊控制性详细规划局部调整》的批复和普发改投【2017】89号文《关于万里街道社区公共服务中心新建工程"
    "可行性研究报告的批复》进行建设。",
    "implementer": "本工程由建设单位万里街道办事处建设、招标代理单位对本工程的全部单位进行招标工作，"
    "勘察单位对本工程的地质情况和地下管线进行勘察，设计单位对本工程的建筑效果和使用功能要求进行设计，"
    "项目管理单位对本工程的项目工程施工进行跟全过程管理，投资监理单位对本工程的投资金额进行全过程控制，"
    "施工监理对本工程的质量进行全过程控制管理，其他各专业分包单位对相应的分包内容进行施工。",
    "implementation": "本工程紧临两条城市道路路口，充分分析建筑功能需求、基地周边环境及规划条件限制等因素，"
    "制定相应合理有效的设计策略：1、建筑形体方正、简洁，内部空间丰富，平面利用率高；2、总体布局东高西低，"
    "减少对北面小区的日照、视觉影响；3、各功能垂直分区，互不干扰，流线便捷合理；4、建筑里面稳重大气，"
    "符合公共服务建筑气质。",
    "period": "第一季度审价、审计 第二季度审价、审计 第三季度支付尾款 第四季度支付尾款。",
    "annual_budget": "第一季度用款计划158.05万元，第二季度用款计划158.05万元，第三季度用款计划158.05万元，"
    "第四季度用款计划158.05万元。",
    "performance_goal": "建成后作为万里街道社区事务受理、社区管理、社区文化艺术活动场所。"
    "更有效的整合社区公共服务资源，为周边居民提供便捷、优质的社区服务和生活配套设施。",
}


def department_doc() -> dict[str, Any]:
    """The 部门's own file (``xlbudget/department/1``): who it is and its texts (主要职能, 机构设置,
    项目经费情况说明)."""
    units = "".join(f"{i}. {name}。" for i, name in enumerate(UNITS, 1))
    return {
        "schema": "xlbudget/department/1",
        "year": 2024,
        "department": {
            "name": DEPARTMENT,
            "code": "046",
            "level": "县级",
            "region": "普陀区",
            "province": "上海市",
        },
        "units": list(UNITS),
        "overview": {
            "duties_intro": f"{DEPARTMENT}是普陀区政府的派出机关，依据法律法规的规定履行相应的政府服务管理职能。"
            "主要职能包括：",
            "duties": DUTIES,
            "organization": f"{DEPARTMENT}部门预算是包括万里街道本部以及下属 5 家预算单位的综合收支计划。"
            f"本部门中，行政单位 1 家，参公单位1家，事业单位 4 家，具体包括：{units}",
        },
        "project_explanation": PROJECT,
    }


def write_wanli(folder: Path) -> Path:
    """The 部门 folder ``xlbudget … --department`` reads: six unit files and 部门信息.json."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (name, doc) in enumerate(unit_docs().items(), 1):
        (folder / f"{i:02d}-{name}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), "utf-8")
    (folder / "部门信息.json").write_text(json.dumps(department_doc(), ensure_ascii=False, indent=1), "utf-8")
    return folder
