"""The fixed inputs behind the golden files, and the one function that turns them into outputs.

Everything a golden file depends on is pinned here: the register's rows, the day the run
believes is today, the report's month, the case whose summary is kept, and the environment
(time zone, locale, user name), so that the outputs are the same on any machine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.table import Table, TableStyleInfo

FILES = Path(__file__).with_name("files")
TODAY = dt.date(2026, 4, 10)  # a Friday: March is the last full month
MONTH = "2026-03"
SUMMARY_CASE = "TS-202603-0002"  # the Billing complaint: an email, a phone and <script> in it
LANGS = ("en", "zh-CN")
REPORT_LANG = "zh-CN"
PINNED_ENV = {"TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8",
              "USER": "golden", "USERNAME": "golden"}
HOSTILE = '<script>alert("x")</script>'

# The register's columns: card fields by key, plus one column of the office's own (None), which
# a run must leave alone.
COLUMNS = ("case_no", "received_at", "channel", "customer_name", None, "phone", "email",
           "order_ref", "description", "status", "handler", "acknowledged_at", "resolved_at",
           "solution", "satisfaction")
HEADERS = {
    "en": ("Case No", "Received", "Channel", "Customer", "Internal memo", "Phone", "Email",
           "Order No", "Complaint", "Status", "Handler", "Acknowledged", "Resolved", "Solution",
           "Satisfaction"),
    "zh-CN": ("案件编号", "受理时间", "投诉渠道", "客户姓名", "内部备忘", "联系电话", "电子邮箱",
              "订单号", "投诉内容", "处理状态", "处理人", "首次回复时间", "解决时间", "解决方案",
              "满意度"),
}
# List values as staff of each language type them ("Fax" is on no list: a finding).
ZH_VALUES = {"Phone": "电话", "Email": "邮件", "Web form": "网站", "Live chat": "在线客服",
             "App": "应用", "Letter": "信函", "Fax": "传真", "New": "新建",
             "Acknowledged": "已受理", "In progress": "处理中", "Waiting on customer": "待客户回复",
             "Resolved": "已解决", "Closed": "已结案"}


def _at(day: int, hour: int = 9, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 30)


# Twelve complaints, each there for a reason (the comment says which).
ROWS: tuple[tuple, ...] = (
    # overdue and new; phone and order number look like numbers but are text
    (None, _at(2), "Phone", "张三", "called twice", "13812345678", None, "00123",
     "快递延误三天，订单 00123", "New", None, None, None, None, None),
    # hostile text, an email address and a phone number inside the complaint
    (None, _at(3), "Email", "John Smith", None, None, "john@example.com", "4500012345",
     f"{HOSTILE} Billed twice; call me on 13900001111", "In progress", "Li Si", _at(3, 11),
     None, None, None),
    # closed on time, with a score
    (None, _at(5), "Web form", "Mary Jones", None, "020 7946 0000", None, None,
     "Screen cracked on arrival", "Closed", "Wang Wu", _at(5, 12), _at(9, 15),
     "Replacement sent", 4),
    # resolved late, low score
    (None, _at(6), "Live chat", "李雷", None, "13900002222", None, None,
     "客服态度恶劣，挂我电话", "Resolved", "Zhao Liu", _at(9, 10), _at(30, 16), "道歉并回访", 2),
    # the same customer again within the repeat window
    (None, _at(20), "Phone", "张三", None, "13812345678", None, None, "又延误了",
     "Acknowledged", "Li Si", _at(20, 14), None, None, None),
    # received this week: not yet due
    (None, _at(8, month=4), "App", "Wang Fang", None, "13700003333", None, None,
     "Charged the wrong price for a coupon", "Waiting on customer", "Zhao Liu", _at(8, 11, 4),
     None, None, None),
    # error: no customer name
    (None, _at(12), "Letter", None, None, "13600004444", None, None, "Refund never arrived",
     "New", None, None, None, None, None),
    # error: a score outside 1-5
    (None, _at(13), "Phone", "Chen Qi", None, "13500005555", None, None, "Wrong size delivered",
     "Closed", "Wang Wu", _at(13, 10), _at(16, 10), "Exchanged", 7),
    # a channel on no list
    (None, _at(16), "Fax", "Sun Ba", None, "13400006666", None, None, "Invoice is missing",
     "New", None, None, None, None, None),
    # error: resolved before received
    (None, _at(18), "Email", "Zhou Jiu", None, None, "zhou@example.com", None,
     "Package opened before delivery", "Resolved", "Li Si", _at(18, 11), _at(17), "Refund", 3),
    # error: received in the future
    (None, _at(1, month=5), "Phone", "Wu Shi", None, "13300007777", None, None,
     "Date typed wrong", "New", None, None, None, None, None),
    # numbered by an earlier run, closed last month
    ("TS-202602-0007", _at(25, month=2), "Phone", "Zheng Yi", None, "13200008888", None, None,
     "Late delivery in February", "Closed", "Wang Wu", _at(25, 12, 2), _at(27, 12, 2),
     "Apologised", 5),
)


def report_name() -> str:
    return f"report-{MONTH}-{'zh' if REPORT_LANG.startswith('zh') else 'en'}.html"


def golden_names() -> tuple[str, ...]:
    """The golden files, in the order ``produce`` writes them."""
    return (*(register_name(lang) for lang in LANGS), report_name(),
            f"summary-{SUMMARY_CASE}.html", f"summary-{SUMMARY_CASE}.md")


def register_name(lang: str) -> str:
    return f"register-{'zh' if lang.startswith('zh') else 'en'}.xlsx"


def write_register(path: Path, lang: str) -> Path:
    """The twelve rows as staff of ``lang`` would type them, in an Excel table on Complaints."""
    wb = Workbook()
    ws = wb.active
    ws.title = "投诉登记" if lang.startswith("zh") else "Complaints"
    ws.append(HEADERS[lang])
    for row in ROWS:
        ws.append([ZH_VALUES.get(v, v) if lang.startswith("zh") and isinstance(v, str) else v
                   for v in row])
    ref = f"A1:{chr(ord('A') + len(COLUMNS) - 1)}{len(ROWS) + 1}"
    table = Table(displayName="Complaints", ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    wb.save(path)
    return path


@contextlib.contextmanager
def pinned_environment() -> Iterator[None]:
    """Time zone, locale and user name set for the run and put back afterwards."""
    saved = {name: os.environ.get(name) for name in PINNED_ENV}
    os.environ.update(PINNED_ENV)
    time.tzset()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        time.tzset()


def produce(folder: Path) -> dict[str, Path]:
    """Run the doors over the fixed inputs into ``folder``: golden file name -> file written.

    The register in each language through the batch door; the month's report from the Chinese
    one and one case's card and email summary from the English one, so that each language is
    seen by a report too.
    """
    from addin.batch.run import process_file
    from reports.monthly import write_report
    from reports.summary import write_summaries

    made: dict[str, Path] = {}
    started = dt.datetime.now()
    with pinned_environment():
        for lang in LANGS:
            source = write_register(folder / f"input-{register_name(lang)}", lang)
            # The output carries the golden file's name, since the report shows that name.
            register = folder / register_name(lang)
            process_file(source, today=TODAY, output=register)
            made[register.name] = register
        [report] = write_report(folder / register_name(REPORT_LANG), MONTH, REPORT_LANG,
                                folder / "report", TODAY, pdf=False)
        made[report_name()] = report
        for written in write_summaries(folder / register_name("en"), [SUMMARY_CASE],
                                       output_dir=folder / "summary", today=TODAY, lang="en"):
            made[f"summary-{written.name}"] = written
    scrub_folder(made, folder)
    scrub_run_times(made, started, dt.datetime.now())
    return made


def scrub_run_times(made: dict[str, Path], started: dt.datetime, ended: dt.datetime) -> None:
    """Replace the times the runs stamped on the Case log, wherever a summary's timeline shows
    them: every minute from ``started`` to ``ended``, as either language writes it."""
    from reports.i18n import fmt_datetime

    minute = started.replace(second=0, microsecond=0)
    shown = []
    while minute <= ended:
        if (minute.hour, minute.minute) != (0, 0):  # midnight would show as the bare day
            shown += [fmt_datetime(minute, lang) for lang in LANGS]
        minute += dt.timedelta(minutes=1)
    for path in made.values():
        if path.suffix in (".html", ".md"):
            text = path.read_text(encoding="utf-8")
            for spelling in shown:
                text = text.replace(spelling, "<volatile: run time>")
            path.write_text(text, encoding="utf-8")


def scrub_folder(made: dict[str, Path], folder: Path) -> None:
    """Replace the folder the outputs were written in, wherever a text output names it.

    The reports show only file names today; this keeps a temporary folder out of the golden
    files should one ever name a path.
    """
    for path in made.values():
        if path.suffix in (".html", ".md"):
            text = path.read_text(encoding="utf-8")
            for spelling in (folder.as_uri(), str(folder)):
                text = text.replace(spelling, "<volatile: output folder>")
            path.write_text(text, encoding="utf-8")
