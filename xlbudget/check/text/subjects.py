"""What a printed amount is the amount of: the words just before it ("其中：本年收入916.53万元").

The words are read back from the amount to the last 、，；：。 or the previous figure; the first
pattern below that matches their end names the subject (the most specific first).
"""

from __future__ import annotations

import re

from xlbudget.check.text.sentences import AMOUNT, PERCENT

_STOP = re.compile(r"[，,；;。：:、]")
_FILL = r"(?:预算数|预算|总额|金额|资金){0,2}(?:为|是|共)?$"

# changes, prior-year figures and a list item's own figures are read by their own rules
SKIP = re.compile(
    r"增加|减少|增长|下降|新增|持平|上年(?!结转)|\d{4}年(?:当年)?(?:预算)?执行数|\d{4}年预算安排|单价|计划"
)

SUBJECTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p + _FILL), s)
    for p, s in (
        (r"政府采购货物", "procurement_goods"),
        (r"政府采购工程", "procurement_works"),
        (r"政府采购服务", "procurement_services"),
        (r"(?<!预留)(?<!项目)政府采购", "procurement"),
        (r"因公出国[（(]境[)）]费(?:用)?", "abroad"),
        (r"公务接待费", "reception"),
        (r"公务用车购置及运行(?:维护)?费", "vehicles"),
        (r"公务用车购置费", "vehicle_purchase"),
        (r"公务用车运行(?:维护)?费", "vehicle_running"),
        (r"[“\"]?三公[”\"]?经费", "three_public"),
        (r"机关运行经费(?:财政拨款)?", "operating_funds"),
        (r"人员经费", "personnel"),
        (r"公用经费", "public"),
        (r"基本支出", "basic"),
        (r"项目支出", "project"),
        (r"财政拨款(?:收支总预算|收入|支出预算|支出)?", "fiscal"),
        (r"一般公共预算(?:拨款)?(?:当年拨款)?(?:收入|支出预算|支出)?", "general"),
        (r"政府性基金(?:预算)?(?:拨款)?(?:收入|支出预算|支出)?", "gov_fund"),
        (r"国有资本经营(?:预算)?(?:拨款)?(?:收入|支出预算|支出)?", "soe_capital"),
        (r"财政专户管理资金(?:收入)?", "special_account"),
        (r"单位资金(?:收入)?", "unit_funds"),
        (r"事业单位经营收入", "operating_income"),
        (r"事业收入", "business_income"),
        (r"其他收入", "other_income"),
        (r"(?:本年|当年)(?:收入|预算安排|拨款收入|支出)(?:合计)?", "this_year"),
        (r"上年结转(?:收入|安排)?", "carryover"),
        (r"(?:收入总计|收入预算|预算收入)(?:合计)?", "income_total"),
        (r"(?:支出总计|支出预算|预算支出)(?:合计)?", "expenditure_total"),
    )
)

# what a subject is called in a message
SUBJECT_NAMES = {
    "procurement": "政府采购预算",
    "procurement_goods": "政府采购货物预算",
    "procurement_works": "政府采购工程预算",
    "procurement_services": "政府采购服务预算",
    "abroad": "因公出国（境）费",
    "reception": "公务接待费",
    "vehicles": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_running": "公务用车运行维护费",
    "three_public": "“三公”经费",
    "operating_funds": "机关运行经费",
    "personnel": "人员经费",
    "public": "公用经费",
    "basic": "基本支出",
    "project": "项目支出",
    "fiscal": "财政拨款",
    "general": "一般公共预算",
    "gov_fund": "政府性基金预算",
    "soe_capital": "国有资本经营预算",
    "special_account": "财政专户管理资金",
    "unit_funds": "单位资金",
    "operating_income": "事业单位经营收入",
    "business_income": "事业收入",
    "other_income": "其他收入",
    "this_year": "本年收入",
    "carryover": "上年结转",
    "income_total": "收入总计",
    "expenditure_total": "支出总计",
}


def lead_words(text: str, start: int) -> str:
    """The words before position ``start`` back to the last separator or figure."""
    begin = 0
    for m in _STOP.finditer(text, 0, start):
        begin = m.end()
    for m in AMOUNT.finditer(text, begin, start):
        begin = max(begin, m.end())
    for m in PERCENT.finditer(text, begin, start):
        begin = max(begin, m.end())
    return text[begin:start]


def subject_of(words: str, class_names: set[str]) -> str | None:
    """The subject the words name: a key of facts.Facts.subjects, "class:<名>", or None."""
    if not words or SKIP.search(words):
        return None
    for name in sorted(class_names, key=len, reverse=True):
        if re.search(re.escape(name) + _FILL, words):
            return f"class:{name}"
    return next((s for p, s in SUBJECTS if p.search(words)), None)
