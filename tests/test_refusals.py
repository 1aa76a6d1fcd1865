"""The refusals of the importer and the reports, and the run's report, as staff read them in each
language; the command line shows them in the language --lang asks for."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from addin.batch.run import RunReport
from addin.cli import EXIT_REFUSED, main
from addin.core.errors import Refusal
from addin.core.pipeline import Summary
from addin.core.text import Lang
from addin.importer import CsvError, MappingError, read_csv
from reports.read import ReportRefused, read_workbook_fast
from reports.summary import NoCaseMatched, SummariesIncomplete, select_cases

CASES = pd.DataFrame({"case_no": ["TS-202603-0001", "TS-202603-0002"],
                      "status": ["New", "Closed"],
                      "received_at": pd.to_datetime(["2026-03-02", "2026-03-05"])})


@pytest.mark.parametrize("refusal", [CsvError, MappingError, ReportRefused, NoCaseMatched,
                                     SummariesIncomplete])
def test_every_user_error_is_a_refusal(refusal):
    assert issubclass(refusal, Refusal) and not issubclass(refusal, ValueError)


def test_a_workbook_without_a_register_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Name", "Amount"])
    book.save(path)
    with pytest.raises(ReportRefused) as refused:
        read_workbook_fast(path)
    assert refused.value.text(Lang.EN) == (
        f"{path}: No sheet holds a complaints table with the card's headers. Name the sheet "
        "Complaints (or 投诉登记) and keep the card's header row.")
    assert refused.value.text(Lang.ZH) == (
        f"{path}：没有找到带有记录卡表头的投诉登记表。"
        "请将工作表命名为 Complaints（或 投诉登记）并保留记录卡表头。")


def test_a_file_that_is_no_workbook_is_refused_for_the_report(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(ReportRefused) as refused:
        read_workbook_fast(path)
    english, chinese = refused.value.text(Lang.EN), refused.value.text(Lang.ZH)
    # The package check the batch door runs, with its words (addin.package.limits).
    assert english.startswith("notes.xlsx cannot be read as a workbook: it is damaged or "
                              "incomplete (not a whole .xlsx/.xlsm zip: ")
    assert "open it in Excel, which offers to repair it" in english
    assert chinese.startswith("notes.xlsx 无法作为工作簿读取：文件已损坏或不完整")


def test_an_unknown_case_number_is_named_with_the_workbook():
    with pytest.raises(NoCaseMatched) as refused:
        select_cases(CASES, case_nos=["TS-1", "ts-9"], workbook="march.xlsx")
    assert refused.value.text(Lang.EN) == ("march.xlsx: no case numbered ts-1, ts-9. Check the "
                                           "case numbers, statuses or month you gave.")
    assert refused.value.text(Lang.ZH) == ("march.xlsx：没有编号为 ts-1, ts-9 的案件。"
                                           "请核对给出的案件编号、状态或月份。")


def test_a_selection_matching_nothing_is_refused():
    with pytest.raises(NoCaseMatched) as refused:
        select_cases(CASES, month="2025-01", workbook="march.xlsx")
    assert refused.value.text(Lang.EN) == ("march.xlsx: no case matches the selection. Check the "
                                           "case numbers, statuses or month you gave.")
    assert refused.value.text(Lang.ZH) == ("march.xlsx：没有符合条件的案件。"
                                           "请核对给出的案件编号、状态或月份。")


def test_summaries_not_written_are_listed_in_both_languages():
    refused = SummariesIncomplete(["TS-1 (File name too long)", "row 7 (Disk full)"],
                                  [Path("a.html"), Path("a.md")])
    assert refused.text(Lang.EN) == (
        "Summaries written for 1 case(s); not for: TS-1 (File name too long); row 7 (Disk full). "
        "Check those cases and the output folder, then run again for them.")
    assert refused.text(Lang.ZH) == (
        "已写入 1 个案件的摘要；以下案件未写入：TS-1 (File name too long)；row 7 (Disk full)。"
        "请检查这些案件和输出文件夹后再为它们重新运行。")


def test_an_empty_csv_is_refused_in_the_language_asked(tmp_path, capsys):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\n")
    status = main(["--lang", "zh-CN", "import", str(path), "--into", str(tmp_path / "x.xlsx")])
    assert status == EXIT_REFUSED
    assert capsys.readouterr().err == (f"complaint-record: {path}：文件是空的。"
                                       "请重新导出投诉数据后导入新文件。\n")
    with pytest.raises(CsvError):
        read_csv(path)


def test_the_report_command_shows_the_reports_refusal_as_it_is(tmp_path, capsys):
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Name", "Amount"])
    book.save(path)
    status = main(["report", str(path), "--lang", "en", "--no-pdf", "--month", "2026-03"])
    assert status == EXIT_REFUSED
    assert capsys.readouterr().err == (
        f"complaint-record: {path}: No sheet holds a complaints table with the card's headers. "
        "Name the sheet Complaints (or 投诉登记) and keep the card's header row.\n")


def _report(**changes) -> RunReport:
    summary = Summary(rows=12, numbered=3, classified=4, errors=2, warnings=1, overdue=1,
                      due_soon=0, cells_changed=9)
    fields = dict(workbook=Path("book.xlsx"), output=Path("out/book.xlsx"), summary=summary,
                  lang="en", changed=True, backup=Path("backups/book-1.xlsx"),
                  lost=["Dashboard: charts 2 → 0"], first_error="Complaints!B3")
    return RunReport(**(fields | changes))


def test_a_run_is_described_in_the_language_asked():
    report = _report()
    assert report.describe(Lang.ZH) == (
        "book.xlsx：检查 12 行，新编号 3，分类 4，错误 2，警告 1，逾期 1，即将到期 0。\n"
        "已写入 out/book.xlsx（改动 9 个单元格）\n"
        "第一个错误：Complaints!B3；详见“Findings”工作表。\n"
        "备份：backups/book-1.xlsx\n"
        "已接受的丢失：Dashboard: charts 2 → 0")
    assert report.describe() == report.describe("en") == (
        "book.xlsx: 12 rows checked, 3 numbered, 4 classified, 2 errors, 1 warnings, 1 overdue, "
        "0 due soon.\n"
        "Wrote out/book.xlsx (9 cells changed).\n"
        "First error: Complaints!B3; see the Findings sheet.\n"
        "Backup: backups/book-1.xlsx\n"
        "Accepted loss: Dashboard: charts 2 → 0")


def test_an_unchanged_run_says_so_in_the_workbooks_language_by_default():
    report = _report(lang="zh-CN", changed=False, backup=None, lost=[],
                     summary=Summary(rows=5))
    assert report.describe() == ("book.xlsx：检查 5 行，新编号 0，分类 0，错误 0，警告 0，逾期 0，"
                                 "即将到期 0。\n无需改动，文件未写入。")
    assert report.describe(Lang.EN).endswith("\nNothing to change; the file was not written.")

