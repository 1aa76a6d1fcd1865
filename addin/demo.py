"""The newcomer's first run: write a realistic example workbook, process it, report on it.

The example holds every kind of problem the checks catch (see ``demo_data``), so the Findings
sheet, the colours and the monthly report all have something to show.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .batch.newfile import save_new_workbook
from .batch.run import process_file
from .core.fields import BY_KEY
from .core.text import Lang, Text
from .demo_actions import demo_action_rows, demo_volume_rows
from .demo_data import make_demo
from .workbook import RecordBook

DEMO_NAME = "ComplaintRecord-demo.xlsx"
# What the demo prints, in the language of the example it wrote.
SAYS = {
    "workbook": Text("Example workbook: {path} ({rows} complaints)",
                     "示例工作簿：{path}（{rows} 条投诉）"),
    "report": Text("Monthly report: {file}", "月度报告：{file}"),
    "queue": Text("Follow-up queue: {late} follow-ups overdue; filter the Findings sheet's Code "
                  "column by follow-up-overdue and follow-up-due, and see the report's follow-ups "
                  "table.",
                  "回访队列：{late} 件回访超期；在“Findings”工作表按代码 follow-up-overdue、"
                  "follow-up-due 筛选，月度报告中另有待回访案件表。"),
    "open": Text("Open the workbook in Excel: the Findings sheet links every problem to its cell.",
                 "用 Excel 打开工作簿，查看“Findings”工作表中的问题（每行都链接到出错的单元格）。"),
}


def write_demo_workbook(path: Path | str, rows: int = 3000, lang: str = "zh-CN",
                        today: dt.date | None = None, overwrite: bool = True) -> Path:
    """An example workbook of ``rows`` complaints over the 18 months before ``today``, made by
    the workbook builder (.xlsx: no buttons) and placed by the batch door (a replaced file is
    backed up)."""
    today = today or dt.date.today()
    demo = make_demo(rows, months=18, end=today, lang=lang)
    received = demo.headers.index(BY_KEY["received_at"].header(lang))
    book = RecordBook(lang, demo.headers, demo.rows, side_rows={
        "actions": demo_action_rows(demo, received, today, lang),
        "volume": demo_volume_rows(demo, received, lang)})
    return save_new_workbook(book, path, overwrite=overwrite)


def run_demo(folder: Path | str, rows: int = 3000, lang: str = "zh-CN",
             today: dt.date | None = None) -> int:
    """Write, process and report on the example; print what happened. Returns the exit status."""
    from reports.monthly import default_month, write_report

    today = today or dt.date.today()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = write_demo_workbook(folder / DEMO_NAME, rows=rows, lang=lang, today=today)
    said = Lang.of(lang)
    print(SAYS["workbook"].format(path=path, rows=rows).in_(said))
    report = process_file(path, today=today)
    print(report.describe())
    files = write_report(path, month=default_month(today), lang=lang, today=today)
    for file in files:
        print(SAYS["report"].format(file=file).in_(said))
    print(SAYS["open"].in_(said))
    print(SAYS["queue"].format(late=report.summary.follow_ups_overdue).in_(said))
    return 0
