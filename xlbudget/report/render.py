"""The 单位预算公开报告 as a Word document: template + computed context → .docx (→ .pdf).

The template (``docx_templates/report.docx``, docxtpl placeholders) holds the
layout a person edits in Word; :func:`context` computes every sentence and
figure; the 13 tables and the 绩效目标申报表 are built by
:mod:`xlbudget.report.word_tables` and placed at their markers.  Placeholders
the context does not supply are reported before rendering
(:class:`TemplateError`).
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.enum.text import WD_BREAK
from docxtpl import DocxTemplate

from xlbudget.io.atomic import write_bytes_atomic
from xlbudget.model import UnitBudget
from xlbudget.profiles import Profile, load_profile
from xlbudget.report.charts import Chart, charts, place_chart
from xlbudget.report.contents import link_contents
from xlbudget.report.facts import Narrative, chinese_number, narrative
from xlbudget.report.glossary import glossary
from xlbudget.report.template import current_word
from xlbudget.report.word_tables import insert_before, text_width_mm, write_forms, write_tables
from xlbudget.tables import TableSet, build_tables

if TYPE_CHECKING:  # the Shanghai document's modules load when a Shanghai report is written
    from xlbudget.report.shanghai import ShanghaiReport

TEMPLATE_ENV = "XLBUDGET_REPORT_TEMPLATE"
TEMPLATE_NAME = "report.docx"
TABLES_MARKER = "〔xlbudget:第二部分表格〕"
FORMS_MARKER = "〔xlbudget:绩效目标申报表〕"
CHART_MARKER = "〔xlbudget:图{n}〕"  # where chart n goes: the template's {{ c.image }}


class TemplateError(Exception):
    """The Word template cannot be used; ``str()`` is a Chinese sentence."""


@dataclass(frozen=True)
class ReportResult:
    docx: Path
    pdf: Path | None = None
    narrative: Narrative | ShanghaiReport | None = field(default=None, repr=False)
    charts: tuple[str, ...] = ()  # captions
    forms: int = 0  # 绩效目标申报表 written
    notes: tuple[str, ...] = ()  # e.g. the catalogue of an earlier year was used


SHANXI, SHANGHAI = "shanxi", "shanghai"  # the documents a profile's units publish (Profile.document)


def project_template(document: str = SHANXI) -> Path:
    """``docx_templates/report.docx`` (``shanghai.docx`` for the Shanghai document) of the project
    checkout: the template people edit."""
    return Path(__file__).resolve().parents[2] / "docx_templates" / _template_name(document)


def _template_name(document: str) -> str:
    if document != SHANGHAI:
        return TEMPLATE_NAME
    from xlbudget.report import shanghai_template

    return shanghai_template.TEMPLATE_NAME


def default_template(document: str = SHANXI) -> Path:
    """``$XLBUDGET_REPORT_TEMPLATE`` (the Shanxi document only), else the project's
    ``docx_templates/report.docx`` / ``shanghai.docx``; an installed package without the project
    folder builds the default layout once into the user's own cache folder (:func:`cached_template`)."""
    env = os.environ.get(TEMPLATE_ENV)
    if env and document == SHANXI:
        return Path(env)
    project = project_template() if document == SHANXI else project_template(document)
    if project.exists():
        return project
    return cached_template(document)


def user_cache_dir() -> Path:
    """Where this user's caches go: ``%LOCALAPPDATA%\\xlbudget`` on Windows, else
    ``$XDG_CACHE_HOME/xlbudget`` (``~/.cache/xlbudget``)."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "xlbudget"
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "xlbudget"


def private_dir(path: Path) -> Path | None:
    """``path`` as a folder only this user can use: created with mode 0700 (``mkdir`` is
    atomic), or found as a real folder (not a symlink) owned by this user, its group and
    other bits cleared.  None when it is someone else's or not a folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(path)  # lstat: a symlink planted by someone else is not followed
    if not stat.S_ISDIR(st.st_mode):
        return None
    if hasattr(os, "getuid"):
        if st.st_uid != os.getuid():
            return None
        if st.st_mode & 0o077:
            os.chmod(path, 0o700)
    return path


def cached_template(document: str = SHANXI) -> Path:
    """The default template built by :func:`xlbudget.report.template.build`, kept in the
    user's cache folder under a name that changes with the builder's source (a newer
    xlbudget never uses an older build).  Where that folder cannot be had safely, it is
    built into a fresh private temporary folder instead."""
    from xlbudget import __version__
    from xlbudget.report import shanghai_template, template

    builder: Any = shanghai_template if document == SHANGHAI else template
    digest = hashlib.sha256(Path(builder.__file__).read_bytes()).hexdigest()[:12]
    kind = "shanghai-" if document == SHANGHAI else ""
    name = f"report-template-{kind}{__version__}-{digest}.docx"
    folder = private_dir(user_cache_dir())
    if folder is None:
        return Path(builder.build(Path(tempfile.mkdtemp(prefix="xlbudget-")) / name))
    cached = folder / name
    if not cached.is_file() or cached.is_symlink():
        fd, tmp = tempfile.mkstemp(prefix=".template-", suffix=".docx", dir=folder)
        os.close(fd)
        try:
            builder.build(tmp)
            os.replace(tmp, cached)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return cached


def scope_word(budget: UnitBudget) -> str:
    """ "部门" for a 部门's budget (its units together), "单位" for a unit's: the report's wording."""
    return "部门" if budget.scope == "department" else "单位"


def report_title(budget: UnitBudget) -> str:
    return f"{budget.unit.name}{budget.year}年{scope_word(budget)}预算公开报告"


def toc_entries(budget: UnitBudget, story: Narrative) -> list[dict[str, Any]]:
    entries = [
        (1, "第一部分　概况"),
        (2, f"一、本{scope_word(budget)}职责"),
        (2, "二、机构设置情况"),
        (1, f"第二部分　{budget.year}年{scope_word(budget)}预算报表"),
        (1, f"第三部分　{story.title}"),
    ]
    entries += [(2, s.heading) for s in story.sections]
    entries.append((1, "第四部分　名词解释"))
    return [{"level": level, "text": text} for level, text in entries]


def context(
    budget: UnitBudget, tables: TableSet, story: Narrative, chart_list: tuple[Chart, ...] | None = None
) -> dict[str, Any]:
    """Everything the template places: plain strings and lists, all computed here."""
    chart_list = chart_list if chart_list is not None else charts(budget, tables)
    sections = []
    for s in story.sections:
        sections.append(
            {
                "heading": s.heading,
                "paragraphs": [{"text": p.text, "style": p.style} for p in s.paragraphs],
                "charts": [
                    {"image": CHART_MARKER.format(n=n), "caption": f"图{n}　{c.caption}"}
                    for n, c in enumerate(chart_list, 1)
                    if c.after_section == s.number
                ],
                "forms_marker": FORMS_MARKER if s.number == 10 and budget.performance_targets else "",
            }
        )
    o = budget.overview
    return {
        "report_title": report_title(budget),
        "unit_name": budget.unit.name,
        "year": budget.year,
        "scope_word": scope_word(budget),
        "overview": {
            "intro": o.duties_intro,
            "duties": [f"（{chinese_number(i + 1)}）{d}" for i, d in enumerate(o.duties)],
            "organization": o.organization,
        },
        "toc": toc_entries(budget, story),
        "tables_marker": TABLES_MARKER,
        "part3_title": story.title,
        "sections": sections,
        "glossary": [t.numbered(i + 1) for i, t in enumerate(glossary(budget.unit.level))],
    }


def open_template(template: str | Path) -> DocxTemplate:
    """The Word template, parsed (once: the same object is checked and rendered)."""
    path = Path(template)
    if not path.exists():
        raise TemplateError(f"找不到报告模板：{path}（请检查路径；不写 --template 则使用随软件提供的模板）")
    tpl = DocxTemplate(str(path))
    try:
        tpl.init_docx()
    except Exception as exc:  # not a Word document
        raise TemplateError(f"报告模板 {path.name} 无法打开：不是 Word 文档（.docx），或文件已损坏") from exc
    return tpl


def _placeholders(tpl: DocxTemplate) -> set[str]:
    """Every placeholder of the body, headers and footers (docxtpl's own analysis, without re-opening the file)."""
    from docx.oxml import parse_xml
    from jinja2 import Environment, meta

    xml = tpl.patch_xml(tpl.xml_to_string(tpl.docx._element.body))
    for rel in tpl.docx.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return set(meta.find_undeclared_variables(Environment().parse(xml)))


def check_template(
    template: str | Path, ctx: dict[str, Any], tpl: DocxTemplate | None = None
) -> DocxTemplate:
    """The template, parsed; :class:`TemplateError` if it is missing or uses a placeholder ``ctx`` lacks."""
    path = Path(template)
    tpl = tpl if tpl is not None else open_template(path)
    try:
        missing = _placeholders(tpl) - set(ctx)
    except Exception as exc:  # a template broken in Word: unbalanced {% %} etc.
        raise TemplateError(f"报告模板 {path.name} 无法解析：{exc}") from exc
    if missing:
        raise TemplateError(
            f"报告模板 {path.name} 中有数据未提供的占位符：{'、'.join(sorted(missing))}。"
            "请检查模板中的 {{ }} 名称是否拼写正确。"
        )
    from xlbudget.report.word_tables import STYLES

    have = {s.name for s in tpl.docx.styles}
    lacking = [name for name in STYLES if name not in have]
    if lacking:
        raise TemplateError(
            f"报告模板 {path.name} 缺少表格要用的样式：{'、'.join(lacking)}。"
            "请以随软件提供的模板（docx_templates/report.docx）为底稿修改，保留这些样式。"
        )
    return tpl


def _marker(doc, marker: str):
    """The paragraph (``w:p``) holding ``marker``: where the tables or forms go."""
    for p in doc.paragraphs:
        if p.text.strip() == marker:
            return p._p
    raise TemplateError(f"报告模板中缺少插入位置 {marker}")


def _put(marker, blocks: list) -> None:
    """``blocks`` in the place of the marker's paragraph."""
    insert_before(marker, blocks)
    marker.getparent().remove(marker)


def _replace_marker(doc, marker: str, blocks: list) -> None:
    _put(_marker(doc, marker), blocks)


def _place_charts(doc, chart_list: tuple[Chart, ...]) -> None:
    """Each chart into the paragraph holding its marker (a template without ``{{ c.image }}`` has none)."""
    markers = {CHART_MARKER.format(n=n): c for n, c in enumerate(chart_list, 1)}
    for p in doc.paragraphs:
        chart = markers.get(p.text.strip())
        if chart is not None:
            for r in list(p._p.r_lst):
                p._p.remove(r)
            place_chart(doc, p, chart)


def document_of(tables: TableSet, profile: Profile | None = None) -> str:
    """Which report the table set's profile publishes ("shanxi" for a profile not shipped)."""
    if profile is not None:
        return profile.document
    try:
        return load_profile(tables.profile).document
    except ValueError:
        return SHANXI


def render_docx(
    budget: UnitBudget,
    tables: TableSet | None = None,
    *,
    template: str | Path | None = None,
    profile: Profile | None = None,
) -> tuple[bytes, Narrative | ShanghaiReport, tuple[Chart, ...]]:
    """The report as .docx bytes, with its narrative and charts: the document the profile's units
    publish (``profile``, else the table set's own)."""
    tables = tables if tables is not None else build_tables(budget)
    if document_of(tables, profile) == SHANGHAI:
        data, report = render_shanghai(budget, tables, template=template)
        return data, report, ()
    story = narrative(budget, tables)
    template = Path(template) if template else default_template()
    chart_list = charts(budget, tables)
    # computed once: checked against the template, then placed
    ctx = context(budget, tables, story, chart_list)
    tpl = check_template(template, ctx)
    tpl.render(ctx, autoescape=True)
    doc = tpl.docx  # rendered in place: no save and parse again
    _place_charts(doc, chart_list)
    at = _marker(doc, TABLES_MARKER)  # the tables fill the text width of the section they are in
    _put(at, write_tables(doc, budget, tables, text_width_mm(doc, at)))
    if budget.performance_targets:
        blocks = write_forms(doc, budget)
        end = doc.add_paragraph()
        end.add_run().add_break(WD_BREAK.PAGE)
        blocks.append(end._p)
        _replace_marker(doc, FORMS_MARKER, blocks)
    link_contents(doc)
    return _finish(doc, budget, report_title(budget)), story, chart_list


def _finish(doc, budget: UnitBudget, title: str) -> bytes:
    """The rendered document as current Word, its properties set, saved to bytes."""
    current_word(doc)  # also for a template saved by an older Word or by an earlier xlbudget
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)  # python-docx writes it as UTC
    props = doc.core_properties
    props.title = title
    props.author = budget.unit.name
    props.comments = "由 xlbudget 根据单位预算数据生成"
    props.created = props.modified = now
    props.last_modified_by = budget.unit.name
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_shanghai(
    budget: UnitBudget, tables: TableSet, *, template: str | Path | None = None
) -> tuple[bytes, ShanghaiReport]:
    """The Shanghai document (:mod:`xlbudget.report.shanghai`) as .docx bytes, and its facts."""
    from xlbudget.report import shanghai_template as st
    from xlbudget.report.shanghai import shanghai_report

    # a 部门's budget (its units' lines together) prints as the 部门预算: 部门 wording, its units named
    report = shanghai_report(budget, tables, scope=budget.scope, members=budget.units)
    ctx = st.context(report)
    tpl = check_template(Path(template) if template else default_template(SHANGHAI), ctx)
    tpl.render(ctx, autoescape=True)
    doc = tpl.docx
    at = _marker(doc, st.TABLES_MARKER)  # in the template's A4 landscape section, as Shanghai prints them
    _put(at, [st.page_break(doc), *write_tables(doc, budget, tables, text_width_mm(doc, at))])
    return _finish(doc, budget, st.report_title(budget, report)), report


def write_report(
    budget: UnitBudget,
    out_docx: str | Path,
    *,
    pdf: bool = False,
    tables: TableSet | None = None,
    template: str | Path | None = None,
    profile: Profile | None = None,
) -> ReportResult:
    """Write the report to ``out_docx`` (atomically) and, with ``pdf``, the PDF beside it."""
    out_docx = Path(out_docx)
    tables = tables if tables is not None else build_tables(budget)
    data, story, chart_list = render_docx(budget, tables, template=template, profile=profile)
    out_docx.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(out_docx, data)
    pdf_path = add_pdf(out_docx) if pdf else None
    return ReportResult(
        docx=out_docx,
        pdf=pdf_path,
        narrative=story,
        charts=tuple(c.caption for c in chart_list),
        forms=len(budget.performance_targets) if isinstance(story, Narrative) else 0,
        notes=(tables.catalogue_note,) if tables.catalogue_note else (),
    )


def add_pdf(docx: str | Path, pdf: str | Path | None = None) -> Path:
    """The PDF of a written report (beside it by default).

    Where the converter reports the laid-out table of contents (LibreOffice), its
    page numbers are written into the .docx's own contents too, so the document
    shows them in Word and WPS without updating fields (it never asks to).  Raises
    :class:`xlbudget.report.pdf.PdfError`.
    """
    from xlbudget.report.pdf import convert

    docx = Path(docx)
    done = convert(docx, Path(pdf) if pdf else docx.with_suffix(".pdf"))
    if done.contents:
        fill_contents_pages(docx, done.contents)
    return done.pdf


def fill_contents_pages(docx: str | Path, contents: tuple[tuple[str, str], ...]) -> int:
    """Write page numbers after the table-of-contents entries of ``docx`` (atomically). Returns how many.

    Only ``word/document.xml`` is parsed and written again, with lxml alone; every other part is copied
    as it is (a load and save of the whole package through python-docx costs several times as much)."""
    import zipfile

    from lxml import etree

    w = f"{{{W_NS}}}"
    pages = dict(contents)
    docx = Path(docx)
    with zipfile.ZipFile(docx) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]
    names = {info.filename: i for i, (info, _) in enumerate(parts)}
    toc = [
        st.get(f"{w}styleId")
        for st in etree.fromstring(parts[names["word/styles.xml"]][1]).iterchildren(f"{w}style")
        if (name := st.find(f"{w}name")) is not None and name.get(f"{w}val") in ("toc 1", "toc 2")
    ]
    index = names["word/document.xml"]
    document = etree.fromstring(parts[index][1])
    filled = 0
    for style in toc:
        for p in document.iterfind(f".//{w}p/{w}pPr/{w}pStyle[@{w}val='{style}']/../.."):
            text = _paragraph_text(p, w)
            if text not in pages or "\t" in text:
                continue
            tab = etree.SubElement(p, f"{w}r")
            etree.SubElement(tab, f"{w}tab")
            etree.SubElement(etree.SubElement(p, f"{w}r"), f"{w}t").text = pages[text]
            filled += 1
    if filled:
        xml = etree.tostring(document, encoding="UTF-8", standalone=True)
        parts[index] = (parts[index][0], xml)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in parts:
                z.writestr(info, data)
        write_bytes_atomic(docx, out.getvalue())
    return filled


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _paragraph_text(p: Any, w: str) -> str:
    """A paragraph's text as python-docx's ``Paragraph.text`` gives it: its runs' and hyperlinks' runs'
    text, a tab as "\t" and a line break as "\n"."""
    out = []
    for el in p.iter(f"{w}t", f"{w}tab", f"{w}br", f"{w}cr"):
        parent = el.getparent()
        if (
            parent is None
            or parent.tag != f"{w}r"
            or parent.getparent().tag not in (f"{w}p", f"{w}hyperlink")
        ):
            continue
        tag = el.tag[len(w) :]
        out.append(el.text or "" if tag == "t" else "\t" if tag == "tab" else "\n")
    return "".join(out)
