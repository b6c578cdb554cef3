"""Source-only VBA projects (``vbaProject.bin``) written from Python.

``build_vba_project`` returns the bytes that XlsxWriter's
``Workbook.add_vba_project(io.BytesIO(data), is_stream=True)`` puts into
an ``.xlsm`` (or write them to a file and pass its path).
"""

from .ovba import VbaModule, build_vba_project

__all__ = ["VbaModule", "build_vba_project"]
