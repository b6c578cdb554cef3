"""(Re)create ``docx_templates/report.docx``, the Word template of the 单位预算公开报告.

    python docx_templates/build_templates.py [OUT.docx]

The layout itself (GB/T 9704 page, fonts, styles, placeholders) is built by
:func:`xlbudget.report.template.build`; this script only writes it here.  The
committed ``report.docx`` is what a person edits afterwards in Word: rerunning
this script overwrites those edits.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from xlbudget.report.template import build  # noqa: E402

OUT = HERE / "report.docx"

if __name__ == "__main__":
    path = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"已生成模板：{path}")
