"""The record-card workbook, built from the code: every new workbook comes from here.

``build_workbook(path, lang)`` writes the committed ``workbook/ComplaintRecord.xlsm`` (examples,
buttons, macros) or, given rows, a new workbook holding them (``.xlsm`` with the buttons, ``.xlsx``
without); ``RecordBook`` is such a workbook for a safe save. ``DEFAULT_PATH`` is the committed copy.
"""

from addin.workbook.build import DEFAULT_PATH, LANGUAGES, RecordBook, build_workbook

__all__ = ["DEFAULT_PATH", "LANGUAGES", "RecordBook", "build_workbook"]
