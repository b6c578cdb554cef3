"""The Python behind the 预算公开 ribbon: ``dispatch(control_id)``.

The ribbon's one VBA callback runs, for every button::

    RunPython "import xlbudget.workbook.buttons as b; b.dispatch('<control.Id>')"

and :func:`dispatch` gets the workbook with ``xw.Book.caller()``, shows progress
on the status bar and ends with a message box — in Chinese, never a traceback:
an unreadable input lists every problem with its sheet and cell
(``基本支出!F5：“abc” 不是金额``); anything else says what failed.

Buttons (ids from ``customUI14.xml``):

============  =====================================================================
calc          计算：输入表 → 表1…表13 (:func:`xlbudget.workbook.fill.fill`)
check         校验：the checker on the inputs and the tables as shown → 校验结果, cells marked
clear_marks   清除校验标记
report        生成报告（Word）beside the workbook, once the checks find no error (else the list, and 是/否)
wordcheck     校验Word报告：the .docx beside the workbook (:func:`report_beside`) read back and checked —
              its tables against this workbook's lines, its text against its tables → 校验结果
pdf           导出PDF：表1…表13 as Excel prints them; where the engine cannot print
              sheets, the report's PDF instead (LibreOffice or Word)
rollover      生成下一年度工作簿 beside this one (:mod:`xlbudget.rollover`): 单位信息, projects and forms
              carried (dates moved on, marked 【待复核】), this year's figures as 上年, code changes named
rollover_prior 下一年度（按公开报告）: the same, 上年 as the published report beside the workbook prints
              them (:func:`published_beside`, :mod:`xlbudget.prior`) — ``new --from … --year … --prior``
about         关于：versions, Python, where the workbook is
============  =====================================================================
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xlbudget.errors import InputError
from xlbudget.workbook import layout as L
from xlbudget.workbook.book import Book, read_budget, read_tables

TITLE = "预算公开"
MAX_PROBLEMS = 10  # a VBA MsgBox shows about 1024 characters


def _stem(book: Book) -> str:
    return Path(book.name).stem or "预算公开"


def do_calc(book: Book) -> str:
    from xlbudget.workbook.fill import fill

    return fill(book).summary


def do_check(book: Book) -> str:
    from xlbudget.check import SEVERITIES, check_budget
    from xlbudget.workbook.findings_sheet import read_settings, write_findings

    book.set_status("正在读取设置…")
    settings, notes = read_settings(book)
    book.set_status("正在读取输入表…")
    budget = read_budget(book)
    book.set_status("正在读取公开表…")
    tables = read_tables(book)
    book.set_status("正在校验…")
    findings = notes + check_budget(budget, tables, settings)
    book.set_status("正在写入校验结果…")
    counts = write_findings(book, findings)
    if not findings:
        return "校验完成：没有发现问题。"
    parts = "，".join(f"{name} {counts.get(key, 0)} 条" for key, name in SEVERITIES.items())
    return f"校验完成：{parts}。\n详见“{L.FINDINGS_SHEET}”表，有问题的单元格已标色（点“位置”可跳转）。"


def do_clear_marks(book: Book) -> str:
    from xlbudget.workbook.findings_sheet import clear_marks

    n = clear_marks(book)
    return f"已清除 {n} 个单元格的校验标记。" if n else "没有需要清除的校验标记。"


class Declined(Exception):
    """The user answered 否: nothing was written; ``str()`` is what the message box says."""


def _checked_budget(book: Book) -> tuple[Any, Any, int]:
    """The budget, once the checks allow a report: (budget, its tables, errors the user chose to overlook).

    While the inputs and 表1…表13 as shown have errors, the report is refused with the list;
    where the engine can ask (Excel), a 是/否 box lets the user write it anyway.
    """
    from xlbudget.report.gate import describe_errors, refusal, report_errors
    from xlbudget.tables import build_tables

    budget = read_budget(book)
    book.set_status("正在读取公开表…")
    shown = read_tables(book)
    book.set_status("正在校验…")
    tables = build_tables(budget)  # once: checked against the sheets as shown, and printed
    errors = report_errors(budget, shown, tables)
    if not errors:
        return budget, tables, 0
    question = (
        f"校验发现 {len(errors)} 项错误，报告中的数字会有误：\n{describe_errors(errors, MAX_PROBLEMS)}\n\n"
        "仍然按明细生成报告吗？（建议选“否”，先改正错误，点“校验”可查看并跳转到单元格）"
    )
    answer = book.ask(question, TITLE)
    if answer is None:  # no way to ask here: refuse
        raise InputError(refusal(errors, MAX_PROBLEMS) + "\n（确需生成：命令行 xlbudget report … --force）")
    if not answer:
        raise Declined(f"未生成报告：请先改正 {len(errors)} 项校验错误（点“校验”可查看并跳转到单元格）。")
    return budget, tables, len(errors)


def _overlooked(n: int) -> str:
    return f"\n注意：校验有 {n} 项错误未改正，报告按明细计算。" if n else ""


def do_report(book: Book) -> str:
    from xlbudget.report import TemplateError, write_report

    budget, tables, overlooked = _checked_budget(book)
    out = book.folder / f"{_stem(book)}_预算公开报告.docx"
    book.set_status("正在生成 Word 报告…")
    try:
        result = write_report(budget, out, tables=tables)
    except TemplateError as exc:
        raise InputError(f"无法生成报告：{exc}") from exc
    return (
        f"已生成报告：{result.docx}\n（按输入表计算；绩效目标申报表 {result.forms} 张，图 {len(result.charts)} 幅）"
        + _overlooked(overlooked)
    )


REPORT_SUFFIX = "_预算公开报告.docx"  # what 生成报告 names the report beside the workbook


def _files_beside(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files of these kinds in the workbook's folder, by name; Office's ``~$`` owner files left out."""
    try:
        return sorted(
            p
            for p in folder.iterdir()
            if p.suffix.lower() in suffixes and not p.name.startswith("~$") and p.is_file()
        )
    except OSError as exc:
        raise InputError(f"无法列出工作簿所在的文件夹：{exc.strerror or exc}", str(folder)) from exc


def report_beside(book: Book) -> Path:
    """The Word report 校验Word报告 checks: the one 生成报告 wrote beside the workbook
    (``<workbook>_预算公开报告.docx``, staff edit it in place), else the only .docx in the workbook's
    folder.  None there, or several and none of that name: refused, saying which and what to do.

    No file chooser: xlwings' remote engine and WPS have none to offer, and the rule is the same
    everywhere — put the report beside the workbook (or give it that name) and press again.
    """
    folder = book.folder
    own = folder / f"{_stem(book)}{REPORT_SUFFIX}"
    if own.is_file():
        return own
    found = _files_beside(folder, (".docx",))
    if len(found) == 1:
        return found[0]
    if not found:
        raise InputError(
            f"工作簿所在的文件夹里没有 Word 报告（.docx）：{folder}\n"
            "请先点“生成报告（Word）”，或把要校验的报告放到工作簿旁边，再点“校验Word报告”。"
        )
    names = "、".join(p.name for p in found[:MAX_PROBLEMS]) + ("……" if len(found) > MAX_PROBLEMS else "")
    raise InputError(
        f"工作簿旁边有 {len(found)} 个 Word 文档（{names}），不知道要校验哪一个：{folder}\n"
        f"请把要校验的报告命名为“{own.name}”（“生成报告（Word）”写出的名字），"
        "或只在工作簿旁边留下这一个 .docx。"
    )


def do_wordcheck(book: Book) -> str:
    from xlbudget.document import read_document
    from xlbudget.document.checking import check_against_budget
    from xlbudget.tables import build_tables
    from xlbudget.workbook.findings_sheet import read_settings, write_findings

    path = report_beside(book)
    book.set_status("正在读取设置…")
    settings, notes = read_settings(book)
    book.set_status("正在读取输入表…")
    budget = read_budget(book)
    book.set_status(f"正在读取 {path.name}…")
    doc = read_document(path)
    book.set_status("正在校验报告…")
    findings = notes + check_against_budget(doc, budget, settings, build_tables(budget))
    book.set_status("正在写入校验结果…")
    counts = write_findings(book, findings)
    head = f"已校验 Word 报告：{path}\n"
    if not findings:
        return head + "没有发现问题：表中数字与本工作簿一致，文字与表一致。"
    from xlbudget.check import SEVERITIES

    parts = "，".join(f"{name} {counts.get(key, 0)} 条" for key, name in SEVERITIES.items())
    return (
        f"{head}{parts}。\n详见“{L.FINDINGS_SHEET}”表：位置写明报告中的表、行、列或第几段，“原文”列是报告中的原句。"
        "\n改正后请在 Word 中保存报告，再点“校验Word报告”。"
    )


def do_pdf(book: Book) -> str:
    from xlbudget.report.pdf import PdfError

    sheets = [s for s in L.TABLE_SHEETS if s in book.sheet_names()]  # the profile's own 表 sheets
    last = sheets[-1] if sheets else "表1"
    out = book.folder / f"{_stem(book)}_表1-{last}.pdf"
    book.set_status("正在导出 PDF…")
    if book.export_pdf(sheets, out):
        return f"已导出 表1…{last}：{out}"
    from xlbudget.report import TemplateError, write_report

    budget, tables, overlooked = _checked_budget(book)
    docx = book.folder / f"{_stem(book)}_预算公开报告.docx"
    try:
        result = write_report(budget, docx, pdf=True, tables=tables)
    except TemplateError as exc:
        raise InputError(f"无法生成报告：{exc}") from exc
    except PdfError as exc:
        raise InputError(str(exc)) from exc
    from xlbudget.report.preflight import preflight_report

    assert result.pdf is not None
    checked = preflight_report(result.pdf, budget, tables)
    if not checked.ok:
        raise InputError(f"已生成 PDF：{result.pdf}，但{checked.summary()}")
    return (
        f"这里不能直接打印工作表，已生成报告（含 表1…{last}）的 PDF：{result.pdf}"
        f"（{checked.summary()}）\nWord 文档：{result.docx}" + _overlooked(overlooked)
    )


def next_year_name(name: str, year: int) -> str:
    """The file name of next year's workbook: ``Budget2023.xlsm`` → ``Budget2024.xlsm``, else ``…_2024年.xlsm``."""
    stem = Path(name).stem or "预算公开"
    if str(year) in stem:
        head, _, tail = stem.rpartition(str(year))
        return f"{head}{year + 1}{tail}.xlsm"
    return f"{stem}_{year + 1}年.xlsm"


def _next_year_file(book: Book, year: int) -> Path:
    """Where next year's workbook goes, beside this one; a file there is overwritten only when the user
    says 是."""
    out = book.folder / next_year_name(book.name, year - 1)
    if out.exists():
        answer = book.ask(f"已有文件 {out}，要覆盖它吗？", TITLE)
        if answer is None:
            raise InputError(f"已有文件 {out}：未覆盖。请先移走或改名，再生成{year}年工作簿。")
        if not answer:
            raise Declined(f"未生成{year}年工作簿：已有文件 {out}。")
    return out


def do_rollover(book: Book) -> str:
    from xlbudget.rollover import roll_over
    from xlbudget.workbook.build import write_workbook

    book.set_status("正在读取输入表…")
    budget = read_budget(book)
    year = budget.year + 1
    out = _next_year_file(book, year)
    rolled = roll_over(budget, year)
    book.set_status(f"正在写出{year}年工作簿…")
    write_workbook(out, rolled.budget)
    return "\n".join([f"已生成{year}年工作簿：{out}", *rolled.summary()])


def published_beside(book: Book) -> Path:
    """The published report 下一年度（按公开报告） reads: the one 生成报告 wrote beside the workbook
    (``<workbook>_预算公开报告.docx``, perhaps edited in Word before it was published), else its PDF, else the
    only .docx or .pdf in the workbook's folder; none, or several: refused, saying what to do."""
    folder = book.folder
    own = folder / f"{_stem(book)}{REPORT_SUFFIX}"
    for path in (own, own.with_suffix(".pdf")):
        if path.is_file():
            return path
    found = _files_beside(folder, (".docx", ".pdf"))
    if len(found) == 1:
        return found[0]
    if not found:
        raise InputError(
            f"工作簿所在的文件夹里没有已公开的预算公开报告（.docx 或 .pdf）：{folder}\n"
            "请把本年度已公开的报告放到工作簿旁边，再点“下一年度（按公开报告）”；"
            "没有报告时，用“生成下一年度工作簿”（上年数取本工作簿的数）。"
        )
    names = "、".join(p.name for p in found[:MAX_PROBLEMS]) + ("……" if len(found) > MAX_PROBLEMS else "")
    raise InputError(
        f"工作簿旁边有 {len(found)} 个报告文件（{names}），不知道要读哪一个：{folder}\n"
        f"请把已公开的报告命名为“{own.name}”（或同名的 .pdf），或只在工作簿旁边留下这一份。"
    )


def do_rollover_prior(book: Book) -> str:
    """生成下一年度工作簿, last year's figures as the published report prints them (``xlbudget new --from
    THIS --year Y+1 --prior REPORT``)."""
    from dataclasses import replace

    from xlbudget.document import read_document
    from xlbudget.prior import NAMES, check_report, kept_as, read_prior
    from xlbudget.rollover import roll_over
    from xlbudget.workbook.build import write_workbook

    book.set_status("正在读取输入表…")
    budget = read_budget(book)
    year = budget.year + 1
    path = published_beside(book)
    book.set_status(f"正在读取 {path.name}…")
    doc = read_document(path)
    check_report(doc, budget.unit.name, year)
    rolled = roll_over(budget, year)  # the same workbook as 生成下一年度工作簿 …
    reading = read_prior(doc, operating_funds=rolled.budget.unit.has_operating_funds)
    before = rolled.budget.prior_year  # … with the figures the report prints as 上年
    new = replace(rolled.budget, prior_year=reading.onto(before))
    out = _next_year_file(book, year)
    book.set_status(f"正在写出{year}年工作簿…")
    write_workbook(out, new)
    lines = [f"已生成{year}年工作簿：{out}（上年数以 {path.name} 所印为准）"]
    lines += [line for line in rolled.summary() if not line.startswith("上年数")]
    lines += reading.summary(kept_as(before, f"{budget.year}年工作簿的本年数"))
    if reading.missing:
        lines.append(f"请核对：报告中没有找到 {'、'.join(NAMES[n] for n in reading.missing)}")
    return "\n".join(lines)


def do_about(book: Book) -> str:
    import xlwings

    from xlbudget import __version__
    from xlbudget.catalogue import load_catalogue

    try:
        year = read_budget(book).year
    except InputError:
        year = 0
    note = ""
    if year:
        cat = load_catalogue(year)
        note = f"科目表：{year} 年" + (f"（{cat.note}）" if cat.note else "")
    return "\n".join(
        line
        for line in (
            f"xlbudget {__version__} — 单位预算公开（山西 13 张表）",
            f"Python {sys.version.split()[0]}：{sys.executable}",
            f"xlwings {xlwings.__version__}",
            f"工作簿：{book.folder / book.name}",
            note,
        )
        if line
    )


HANDLERS: dict[str, Callable[[Book], str]] = {
    "calc": do_calc,
    "check": do_check,
    "clear_marks": do_clear_marks,
    "report": do_report,
    "wordcheck": do_wordcheck,
    "pdf": do_pdf,
    "rollover": do_rollover,
    "rollover_prior": do_rollover_prior,
    "about": do_about,
}
FAILED = {
    "calc": "无法计算",
    "check": "无法校验",
    "clear_marks": "无法清除校验标记",
    "report": "无法生成报告",
    "wordcheck": "无法校验Word报告",
    "pdf": "无法导出PDF",
    "rollover": "无法生成下一年度工作簿",
    "rollover_prior": "无法按公开报告生成下一年度工作簿",
    "about": "无法显示版本信息",
}


def problems_message(what: str, exc: InputError) -> str:
    """An InputError as a message box text: every problem with its sheet and cell (the first few)."""
    problems = exc.problems
    lines = [f"{what}：工作簿中有 {len(problems)} 处需要改正：" if len(problems) > 1 else f"{what}："]
    for p in problems[:MAX_PROBLEMS]:
        lines.append(f"  {p.location}：{p.message}" if p.location else f"  {p.message}")
    if len(problems) > MAX_PROBLEMS:
        lines.append(f"  ……另有 {len(problems) - MAX_PROBLEMS} 处")
    return "\n".join(lines)


def run_button(control_id: str, book: Book) -> tuple[bool, str]:
    """Run one button on a Book; (succeeded, the message shown).  Never raises."""
    what = FAILED.get(control_id, "无法执行")
    handler = HANDLERS.get(control_id)
    try:
        if handler is None:
            raise InputError(f"未知的按钮 “{control_id}”：请用最新的工作簿模板（xlbudget new）")
        message, ok = handler(book), True
    except Declined as exc:  # the user said 否: not a failure
        message, ok = str(exc), True
    except InputError as exc:
        message, ok = problems_message(what, exc), False
    except Exception as exc:  # noqa: BLE001 - a message box, never a traceback
        message, ok = f"{what}：内部错误（请把这段话发给维护人员）：{type(exc).__name__}: {exc}", False
    finally:
        try:
            book.set_status(None)
        except Exception:  # noqa: BLE001
            pass
    try:
        book.alert(message, TITLE, critical=not ok)
    except Exception:  # noqa: BLE001 - nowhere left to show it
        print(message, file=sys.stderr)
    return ok, message


def dispatch(control_id: str, book: Book | None = None) -> str:
    """The ribbon's entry point; ``book`` defaults to the workbook that called (``xw.Book.caller()``)."""
    if book is None:
        try:
            from xlbudget.workbook.book_xlwings import caller

            book = caller()
        except Exception as exc:  # noqa: BLE001 - not started from Excel, or xlwings cannot reach it
            message = (
                f"无法连接到调用的工作簿（{type(exc).__name__}: {exc}）。请从 Excel 的“预算公开”选项卡运行。"
            )
            _last_resort(message)
            return message
    return run_button(control_id, book)[1]


def _last_resort(message: str) -> None:
    """A message box without a workbook (Windows), else stderr."""
    if sys.platform == "win32":
        try:
            import ctypes

            ctypes.windll.user32.MessageBoxW(0, message, TITLE, 0x30)  # type: ignore[attr-defined]
            return
        except Exception:  # noqa: BLE001
            pass
    print(message, file=sys.stderr)
