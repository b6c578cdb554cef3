"""Empty-table notes as printed (``Table.note``): under an empty table, naming that table's fund."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from xlbudget.check.findings import ERROR, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.rules.completeness import empty_note_for
from xlbudget.check.text.context import text_ctx
from xlbudget.check.text.facts import name
from xlbudget.location import Location

_EMPTY = re.compile(r"空表|无数据|无.*预算")
# what a note may say the table lacks, and the words of a title that carry it
_FUNDS = (
    ("政府性基金", "政府性基金"),
    ("国有资本经营", "国有资本经营"),
    ("“三公”经费", "三公"),
    ("三公", "三公"),
    ("机关运行经费", "机关运行经费"),
    ("一般公共预算", "一般公共预算"),
)


def _says(note: str) -> list[str]:
    found = []
    for word, title_word in _FUNDS:
        if word in note and title_word not in found:
            found.append(title_word)
    return found


@rule("text.empty_note", "text")
def empty_note(ctx: Context) -> Iterator[Finding]:
    """An empty-table note (注：本表无数据 / 注:本单位2024年无政府性基金预算财政拨款安排的预算，故本表为空表。)
    stands only under an empty table, and names that table's own fund; an empty table carries the note its
    profile prints there (Shanghai's 注:本单位…故本表为空表。, Shanxi's 注：本表无数据) — a warning, as the
    上海市财政局's city template prints none. One finding per table: a table read from a document without its
    note is completeness.empty_marked's (its layout is not "empty"); this rule speaks of a table the data
    mark empty whose note is not printed."""
    t = text_ctx(ctx)
    if t is None:
        return
    for tb in t.tables.tables:
        note = tb.note.strip()
        where = replace(tb.place, column="表下注") if tb.place.table else tb.at("note")
        if note and _EMPTY.search(note) and not tb.empty and tb.layout != "empty":
            yield _note(tb.number, where, f"{name(tb)}有数据，表下却注明“{note}”：删去此注", "（无注）", note)
            continue
        if note and (tb.empty or tb.layout == "empty"):
            wrong = [w for w in _says(note) if w not in tb.title]
            if wrong:
                yield _note(
                    tb.number,
                    where,
                    f"{name(tb)}《{tb.title}》的空表注说的是“{wrong[0]}”：是否抄了别的表的注",
                    None,
                    note,
                )
        elif not note and tb.layout == "empty":  # marked empty in the data, the note not printed
            right = empty_note_for(ctx, tb.number)
            yield Finding(
                "text.empty_note",
                WARNING,
                tb.number,
                where,
                f"{name(tb)}《{tb.title}》是空表，表下应注明“{right}”",
                right,
                None,
            )


def _note(table: int, where: Location, message: str, expected: str | None, actual: str) -> Finding:
    return Finding("text.empty_note", ERROR, table, where, message, expected, actual, quote=actual)
