"""The contents page against what a published report holds (``document.contents``).

万里's real 2024 report lists 一…七 and its nine tables, and prints them all: nothing to say.  Its contents
changed by hand — a part listed that the text lacks, a table printed that the contents leave out — is
told, entry by entry."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import ROOT
from xlbudget.check import CheckSettings
from xlbudget.document import read_document
from xlbudget.document.checking import check_document, contents_findings

WANLI = ROOT.parent / "shared" / "real" / "shanghai-putuo-wanli-2024-department-budget.pdf"


@pytest.fixture(scope="module")
def wanli():  # noqa: ANN201 - a Document
    return read_document(WANLI)


def test_the_real_contents_agree_with_the_report(wanli) -> None:  # noqa: ANN001
    assert "七、项目经费情况说明" in wanli.contents and len(wanli.contents) == 16
    assert contents_findings(wanli) == []


def test_a_part_listed_but_missing_and_a_table_not_listed_are_told(wanli) -> None:  # noqa: ANN001
    edited = tuple(c for c in wanli.contents if not c.startswith("8")) + ("八、其他需要说明的事项",)
    doc = replace(wanli, contents=edited)
    said = [f.message for f in contents_findings(doc)]
    assert said == [
        "目录列出“八、其他需要说明的事项”，文中没有这一部分",
        f"文中有表8《{wanli.titles[8]}》，目录没有列出",
    ]
    found = [f for f in check_document(doc) if f.rule == "document.contents"]
    assert len(found) == 2 and {f.severity for f in found} == {"warning"}
    assert not [f for f in check_document(doc, CheckSettings(skip=frozenset({"document.contents"})))
                if f.rule == "document.contents"]  # fmt: skip


def test_a_part_of_the_text_the_contents_leave_out_is_told(wanli) -> None:  # noqa: ANN001
    doc = replace(wanli, contents=tuple(c for c in wanli.contents if c != "三、名词解释"))
    assert [f.message for f in contents_findings(doc)] == ["文中有“三、名词解释”，目录没有列出"]
