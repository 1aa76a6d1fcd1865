"""The record-card workbook (workbook/ComplaintRecord.xlsm), built from the code.

``build_workbook(path, lang)`` writes it; ``DEFAULT_PATH`` is the committed copy.
"""

from addin.workbook.build import DEFAULT_PATH, LANGUAGES, build_workbook

__all__ = ["DEFAULT_PATH", "LANGUAGES", "build_workbook"]
