"""Words the wording rules look for: retired subject names, placeholders, level words."""

from __future__ import annotations

import re

# 政府收支分类科目 names retired, with the name that replaced them
OUTDATED = {
    "医疗卫生与计划生育支出": "卫生健康支出",
    "卫生和计划生育": "卫生健康",
    "文化体育与传媒支出": "文化旅游体育与传媒支出",
    "国土海洋气象等支出": "自然资源海洋气象等支出",
    "资源勘探信息等支出": "资源勘探工业信息等支出",
}

# a template's placeholder or editing note left in: XX, ××, 待填写, 【】, ……, （增加内容）, and the
# 【待复核】 that `xlbudget new --from` puts before every text it carried from last year
PLACEHOLDER = re.compile(
    r"【待复核】|XX|xx|ＸＸ|××|待填写|待补充|【\s*】|(?<!…)……(?!…)|(?<!\.)\.{6}(?!\.)|（(?:增加|删除|补充|修改|填写)内容）|（此处[^）]*）|（请[^）]*填[^）]*）"
)

# 省直/市直/县直 and 省级/市级/区级/县级 as a report defines its money (名词解释: 区级预算主管部门, 使用市级财政拨款)
LEVEL_WORDS = re.compile(r"([省市县区])(?:(直)(?:部门|单位|机关)|(级)(?:预算主管部门|财政拨款|财政(?=有)))")
LEVEL_OF = {"省级": "省", "市级": "市", "县级": "县区", "区级": "县区"}
