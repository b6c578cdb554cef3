"""Benchmark 5: ``xlbudget check REPORT`` on reports as published — reading and checking, per document.

For each real Shanghai PDF (../shared/real/, 16–33 pages), the seed's text report and our own seed
report (.docx): the best of N runs of reading (``read_document``) and of checking the tables read
(``check_document``), in this process, with the page count.  Target (issue 10): a 35-page PDF checked
in at most 3 s.  pdfplumber's text layer (pdfminer interpreting each page's content stream) is nearly
all of a PDF's reading time; the grid and paragraph assembly on top of it is a few percent.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from common import ROOT, best_of, machine, verdict  # type: ignore[import-not-found]

SHARED = ROOT.parent / "shared"


def documents() -> list[Path]:
    paths = sorted((SHARED / "real").glob("*.pdf"))
    paths.append(SHARED / "seed" / "datong-xinfang-2023-budget-disclosure.txt")
    own = ROOT / "out" / "大同市信访局2023年单位预算公开报告.docx"
    if own.exists():  # make report writes it
        paths.append(own)
    return paths


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args(argv)
    from xlbudget.document import read_document
    from xlbudget.document.checking import check_document

    print(machine())

    def timed(fn: object) -> float:
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        return time.perf_counter() - start

    from xlbudget.errors import InputError

    for path in documents():
        try:
            doc = read_document(path)
        except InputError as exc:  # e.g. a Shanghai report while no shanghai-9 profile ships
            spent = timed(lambda path=path: _refused(read_document, path))
            print(f"{path.name}: 读到拒绝 {spent:.2f} s — {exc.problems[0].message[:60]}")
            continue
        pages = max((pg for t in doc.paragraphs for pg in [t.page or 0]), default=0)
        read, _ = best_of(a.runs, lambda path=path: timed(lambda: read_document(path)))
        checked, _ = best_of(a.runs, lambda doc=doc: timed(lambda: check_document(doc)))
        total = read + checked
        per_page = f"  {total / pages:.2f} s/页" if pages else ""
        target = (
            f"  35 页约 {35 * total / pages:.1f} s（目标 ≤ 3 s：{verdict(35 * total / pages <= 3)}）"
            if pages
            else ""
        )
        print(
            f"{path.name}: {pages or '—'} 页  读 {read:.2f} s  校验 {checked:.2f} s  共 {total:.2f} s{per_page}{target}"
        )
    return 0


def _refused(read: object, path: Path) -> None:
    from xlbudget.errors import InputError

    try:
        read(path)  # type: ignore[operator]
    except InputError:
        pass


if __name__ == "__main__":
    sys.exit(main())
