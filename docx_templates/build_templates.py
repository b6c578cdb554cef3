"""(Re)create the Word templates of the report: ``docx_templates/report.docx`` (the Shanxi
单位预算公开报告) and ``docx_templates/shanghai.docx`` (the Shanghai 单位预算).

    python docx_templates/build_templates.py            # both
    python docx_templates/build_templates.py OUT.docx   # the Shanxi one, to OUT.docx

The layouts themselves (page, fonts, styles, placeholders) are built by
:func:`xlbudget.report.template.build` and :func:`xlbudget.report.shanghai_template.build`; this
script only writes them here.  The committed files are what a person edits afterwards in Word:
rerunning this script overwrites those edits.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from xlbudget.report import shanghai_template  # noqa: E402
from xlbudget.report.template import build  # noqa: E402

OUT = HERE / "report.docx"
SHANGHAI_OUT = HERE / shanghai_template.TEMPLATE_NAME

if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(f"已生成模板：{build(Path(sys.argv[1]))}")
    else:
        print(f"已生成模板：{build(OUT)}")
        print(f"已生成模板：{shanghai_template.build(SHANGHAI_OUT)}")
