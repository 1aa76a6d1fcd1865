"""Reports that read a complaints workbook and never write to it.

- ``monthly.write_report``: the monthly report as one self-contained HTML file (and a PDF when
  Chromium is installed).
- ``summary.write_summaries``: a printable record card and an email summary per case.
- ``read.read_workbook_fast``: the register and settings sheets via python-calamine.

Templates live in ``reports/templates``; a ``templates/`` folder next to the workbook overrides
them. ``contexts`` documents what each template receives.
"""
