"""The table of contents as written: every entry a link to its heading.

The template's TOC field holds the entries as text (the ``toc`` loop), so Word shows them
without updating fields.  Here each entry becomes what Word's own ``TOC \\h`` entries are: a
``w:hyperlink`` to a hidden bookmark (``_Toc…``) around its heading, so a click (Ctrl+click in
Word) goes there.  Page numbers need a layout: :func:`xlbudget.report.render.fill_contents_pages`
writes them after the PDF; Word's 更新域 rebuilds the whole field with its own.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

LEVELS = {"toc 1": "Heading 1", "toc 2": "Heading 2"}  # contents style → heading style it lists


def link_contents(doc) -> int:
    """Link each contents entry to the first heading after the last one linked with the same
    text and level. Returns how many entries were linked."""
    ids = {}
    for style in (*LEVELS, *LEVELS.values()):
        try:
            ids[doc.styles[style].style_id] = style
        except KeyError:  # a template without these styles has no contents to link
            return 0
    entries, headings = [], []
    for p in doc.element.body.iterchildren(qn("w:p")):
        name = ids.get(p.style)
        if name in LEVELS:
            entries.append((p, LEVELS[name]))
        elif name is not None:
            headings.append((p, name))
    taken = {int(b.get(qn("w:id"))) for b in doc.element.body.iter(qn("w:bookmarkStart"))}
    next_id = max(taken, default=0) + 1
    cursor, linked = 0, 0
    for entry, level in entries:
        text = entry.text.strip()
        if not text:
            continue
        found = next(
            (
                i
                for i in range(cursor, len(headings))
                if headings[i][1] == level and headings[i][0].text == text
            ),
            None,
        )
        if found is None:
            continue
        cursor = found + 1
        name = f"_Toc{100_000_000 + next_id}"
        _bookmark(headings[found][0], next_id, name)
        _hyperlink(entry, name)
        next_id += 1
        linked += 1
    return linked


def _bookmark(p, n: int, name: str) -> None:
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(n))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(n))
    ppr = p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def _hyperlink(p, anchor: str) -> None:
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    runs = list(p.r_lst)
    runs[0].addprevious(link)
    for r in runs:
        link.append(r)
