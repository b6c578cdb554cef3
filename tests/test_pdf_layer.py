"""The PDFium text layer (``xlbudget.document.pdf_layer``) gives the reader what pdfplumber gave it before:
on every real published report, page by page, the same words (text, and box to a hundredth of a point)
and the same ruling lines; also on pages turned by /Rotate and on a MediaBox that does not start at 0.
(Our own LibreOffice reports, whose fonts give no descent, are compared in ``test_document_report``.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from tests.conftest import SHARED
from xlbudget.document.pdf_layer import PageLayer, PdfFile

try:
    import pdfplumber  # type: ignore[import-untyped]
except ImportError as exc:  # tests never skip: say how to install it
    raise ImportError("pdfplumber is missing: run `.venv/bin/pip install -e .[test]`") from exc

REAL = sorted((SHARED / "real").glob("*.pdf"))
CLOSE = 0.01  # pt


def plumber_pages(path: Path) -> Iterator[tuple[list[dict[str, Any]], list[Any], list[Any]]]:
    """What the reader took from pdfplumber: words, vertical and horizontal rules longer than 2 pt."""
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            edges = page.edges
            v = [(e["x0"], e["top"], e["bottom"]) for e in edges if e["orientation"] == "v"]
            h = [(e["top"], e["x0"], e["x1"]) for e in edges if e["orientation"] == "h"]
            yield (
                page.extract_words(keep_blank_chars=False, use_text_flow=False),
                [r for r in v if r[2] - r[1] > 2],
                [r for r in h if r[2] - r[1] > 2],
            )


def layers(path: Path) -> list[PageLayer]:
    with PdfFile(path) as doc:
        return [doc.page(i) for i in range(len(doc))]


def same_rules(expected: list[Any], got: list[Any]) -> bool:
    """The same multiset of rules, each coordinate within CLOSE."""
    left = sorted(got)
    for rule in sorted(expected):
        match = next(
            (r for r in left if all(abs(a - b) <= CLOSE for a, b in zip(r, rule, strict=True))), None
        )
        if match is None:
            return False
        left.remove(match)
    return not left


def assert_same(path: Path) -> None:
    mine = layers(path)
    theirs = list(plumber_pages(path))
    assert len(mine) == len(theirs)
    for number, (layer, (words, v, h)) in enumerate(zip(mine, theirs, strict=True), 1):
        assert [w["text"] for w in layer.words] == [w["text"] for w in words], number
        for a, b in zip(layer.words, words, strict=True):
            assert all(abs(a[k] - b[k]) <= CLOSE for k in ("x0", "x1", "top", "bottom")), (number, a, b)
        assert same_rules(v, layer.v), (number, "vertical rules")
        assert same_rules(h, layer.h), (number, "horizontal rules")


@pytest.mark.slow
@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_real_reports_give_pdfplumbers_words_and_rules(path: Path) -> None:
    assert_same(path)


@pytest.mark.slow
@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_turned_page_a_moved_mediabox_and_an_inherited_one(tmp_path: Path, rotate: int) -> None:
    source = PdfReader(REAL[0])
    writer = PdfWriter()
    for n in (6, 7, 8):  # a page of text and pages of a table
        writer.add_page(source.pages[n])
    writer.pages[0].rotate(rotate)
    box = writer.pages[1].mediabox
    writer.pages[1].mediabox.lower_left = (float(box.left) + 30, float(box.bottom) + 20)
    inherited = writer.pages[2]
    tree = writer.root_object["/Pages"].get_object()
    tree[NameObject("/MediaBox")] = inherited[NameObject("/MediaBox")]
    del inherited[NameObject("/MediaBox")]
    assert "/MediaBox" not in inherited and "/CropBox" not in inherited
    out = tmp_path / f"turned-{rotate}.pdf"
    with out.open("wb") as fh:
        writer.write(fh)
    assert layers(out)[0].words, "the turned page has words"
    assert_same(out)


def test_an_unreadable_pdf_is_told_in_chinese(tmp_path: Path) -> None:
    from xlbudget.errors import InputError

    junk = tmp_path / "坏.pdf"
    junk.write_bytes(b"%PDF-1.7\nnot really")
    with pytest.raises(InputError) as err:
        PdfFile(junk)
    assert "无法打开这个 PDF" in err.value.problems[0].message
