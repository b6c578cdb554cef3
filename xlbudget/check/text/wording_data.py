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


# A year of the text: 2022年 (not a document number's 〔2019〕, [2016], 【2016】, （2020）)
_YEAR = re.compile(r"(?<![\d〔\[【（(])((?:19|20)\d{2})(?=年)")
# last year's figure is spoken of: 比2022年…, 与2022年预算数相同, 截至2022年12月31日, 2022年当年预算执行数
_BEFORE = re.compile(r"(?:比|与|较|截至|截止|同|上年即|\d{4}年(?:度)?[、和与至—-]?)$")
_AFTER = re.compile(
    r"年(?:度)?(?:当年)?(?:预算|执行|决算|相比|同期|年末|末|底|\d{1,2}月\d{1,2}日|[、和与至—-]?\d{4}年)"
)


def stray_year(text: str, year: int) -> tuple[int, int] | None:
    """(position, year) of the first year in ``text`` that is neither the budget year nor last year where
    the text compares with it (比/与/较2022年, 2022年预算数, 2022年当年预算执行数, 截至2022年12月31日); None
    when there is none.  The one rule for a report's text (text.year) and a workbook's (narrative.year_mentions)."""
    for m in _YEAR.finditer(text):
        y = int(m.group(1))
        if y == year:
            continue
        if y == year - 1 and (_BEFORE.search(text[: m.start()]) or _AFTER.match(text, m.end())):
            continue
        return m.start(), y
    return None


def stray_year_message(y: int, year: int) -> str:
    said = "上年" if y == year - 1 else "其他年度"
    return f"文字中出现{y}年（预算年度{year}年；{said}只应在与上年比较时出现），是否沿用了旧年度的说明"
