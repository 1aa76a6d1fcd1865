"""The command line: what a person or a script sees, and the exit status they get."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import addin
from addin import cli
from addin.cli import EXIT_BUG, EXIT_FINDINGS, EXIT_OK, EXIT_REFUSED, build_parser, main
from addin.core.errors import Refusal
from addin.core.text import Lang, Text
from addin.demo import write_demo_workbook

TODAY = dt.date(2026, 11, 20)
README = Path(__file__).resolve().parents[1] / "README.md"
CSV_HEADER = ("Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,"
              "Company public response,Company,State,ZIP code,Tags,Consumer consent provided?,"
              "Submitted via,Date sent to company,Company response to consumer,"
              "Timely response?,Consumer disputed?,Complaint ID")


def cfpb_csv(path: Path, ids: range) -> Path:
    """A CFPB-shaped export with one complaint per id."""
    lines = [CSV_HEADER] + [
        f"2026/10/{1 + i % 28},Mortgage,,Trouble during payment process,,Paid twice for "
        f"October,,Example Bank,CA,,,,Web,2026/10/{1 + i % 28},Closed with explanation,Yes,"
        f"N/A,{9000 + i}" for i in ids]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory) -> Path:
    """A small example workbook, as `demo` writes it, not yet processed."""
    return write_demo_workbook(tmp_path_factory.mktemp("demo") / "demo.xlsx", rows=300,
                               lang="en", today=TODAY)


def test_every_command_is_in_the_readme():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # the registered subcommands
    readme = README.read_text(encoding="utf-8")
    missing = [name for name in commands if f"complaint-record {name}" not in readme]
    assert missing == []


def test_readme_starts_with_the_setup_and_test_commands():
    lines = README.read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```bash") + 1:lines.index("```bash") + 3]
    assert block[0].endswith("complaint-record demo")
    assert block[1].endswith("pytest -q")


def test_process_json_reports_each_workbook_and_exit_status(demo_book, tmp_path, capsys):
    out = tmp_path / "out.xlsx"
    status = main(["process", str(demo_book), "--today", TODAY.isoformat(), "--output", str(out),
                   "--json"])
    result = json.loads(capsys.readouterr().out)["results"][0]
    # The demo plants rows with errors, so the run succeeds but says the data needs work.
    assert status == EXIT_FINDINGS
    assert result["status"] == "changed"
    assert result["summary"]["errors"] > 0
    assert re.fullmatch(r"Complaints!\$?[A-Z]+\$?\d+", result["first_error"])
    assert set(result["seconds"]) == {"load", "read", "compute", "write", "save"}
    assert load_workbook(out, read_only=True).sheetnames[:1] == ["Complaints"]


def test_process_says_what_it_did_in_words(demo_book, tmp_path, capsys):
    main(["process", str(demo_book), "--today", TODAY.isoformat(), "--output",
          str(tmp_path / "o.xlsx")])
    text = capsys.readouterr().out
    assert "300 rows checked" in text
    assert "see the Findings sheet" in text


def test_a_workbook_open_in_excel_is_refused_and_left_alone(demo_book, tmp_path, capsys):
    book = tmp_path / demo_book.name
    book.write_bytes(demo_book.read_bytes())
    (tmp_path / f"~${book.name}").write_bytes(b"\0" * 165)
    before = book.read_bytes()
    status = main(["process", str(book), "--today", TODAY.isoformat()])
    assert status == EXIT_REFUSED
    assert "open in Excel" in capsys.readouterr().err
    assert book.read_bytes() == before


@pytest.mark.parametrize("name, content, expected", [
    ("notes.csv", b"a,b\n", "only .xlsx and .xlsm"),
    ("broken.xlsx", b"not a zip file", "cannot be read as a workbook"),
])
def test_files_that_are_not_workbooks_are_named_and_refused(tmp_path, capsys, name, content,
                                                            expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["process", str(path), "--today", TODAY.isoformat()]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert name in err and expected in err
    assert path.read_bytes() == content


def test_a_workbook_without_a_register_is_refused(tmp_path, capsys):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Budget", "Amount"])
    path = tmp_path / "budget.xlsx"
    wb.save(path)
    assert main(["process", str(path), "--today", TODAY.isoformat()]) == EXIT_REFUSED
    assert "no complaints table found" in capsys.readouterr().err


def test_one_refused_file_does_not_stop_the_others(demo_book, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(demo_book.read_bytes())
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"junk")
    status = main(["process", str(bad), str(good), "--today", TODAY.isoformat(), "--json"])
    results = json.loads(capsys.readouterr().out)["results"]
    assert [r["status"] for r in results] == ["refused", "changed"]
    assert status == EXIT_REFUSED


def test_import_creates_then_appends_only_new_complaints(tmp_path, capsys):
    book = tmp_path / "cfpb.xlsx"
    assert main(["import", str(cfpb_csv(tmp_path / "a.csv", range(5))), "--into",
                 str(book)]) == EXIT_OK
    assert "5 added" in capsys.readouterr().out
    assert main(["import", str(cfpb_csv(tmp_path / "b.csv", range(3, 8))), "--into",
                 str(book)]) == EXIT_OK
    assert "3 added (2 already imported, skipped)" in capsys.readouterr().out
    ws = load_workbook(book)["Complaints"]
    headers = [c.value for c in ws[2]]  # row 1 says why a .xlsx has no buttons
    refs = [r[headers.index("Source ref")] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert sorted(refs) == [f"CFPB-{9000 + i}" for i in range(8)]


def test_imported_complaints_process_cleanly_enough_to_number(tmp_path, capsys):
    book = tmp_path / "cfpb.xlsx"
    main(["import", str(cfpb_csv(tmp_path / "a.csv", range(4))), "--into", str(book)])
    capsys.readouterr()
    main(["process", str(book), "--today", TODAY.isoformat(), "--json"])
    summary = json.loads(capsys.readouterr().out)["results"][0]["summary"]
    assert summary["rows"] == 4 and summary["numbered"] == 4


def test_unknown_mapping_is_a_one_line_message(tmp_path, capsys):
    status = main(["import", str(cfpb_csv(tmp_path / "a.csv", range(2))), "--into",
                   str(tmp_path / "x.xlsx"), "--mapping", "no-such-preset"])
    err = capsys.readouterr().err
    assert status == EXIT_REFUSED
    assert err.startswith("complaint-record: ") and "no-such-preset" in err
    assert "Traceback" not in err


def test_report_and_summary_write_their_files(demo_book, tmp_path, capsys):
    processed = tmp_path / "p.xlsx"
    main(["process", str(demo_book), "--today", TODAY.isoformat(), "--output", str(processed)])
    capsys.readouterr()
    assert main(["report", str(processed), "--month", "2026-10", "--no-pdf", "--output",
                 str(tmp_path / "r"), "--today", TODAY.isoformat()]) == EXIT_OK
    html = Path(capsys.readouterr().out.strip())
    assert html.suffix == ".html" and html.exists()
    assert main(["summary", str(processed), "--month", "2026-10", "--output",
                 str(tmp_path / "s"), "--today", TODAY.isoformat()]) == EXIT_OK
    written = list((tmp_path / "s").iterdir())
    assert written and {p.suffix for p in written} == {".html", ".md"}


def test_a_bad_month_is_refused_before_any_file_is_read(capsys):
    assert main(["report", "x.xlsx", "--month", "2026-13"]) == EXIT_REFUSED
    assert capsys.readouterr().err == (
        "complaint-record: --month '2026-13' is not a month. Write it as year-month, "
        "e.g. 2026-10.\n")


# --------------------------------------------------------------------------- what staff read

@pytest.fixture(autouse=True)
def no_locale(monkeypatch):
    """The system's locale is the last resort for the language; tests start from none."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def zh_book(tmp_path_factory) -> Path:
    """A small Chinese workbook: its headers are the card's Chinese headers."""
    return write_demo_workbook(tmp_path_factory.mktemp("zh") / "投诉.xlsx", rows=20,
                               lang="zh-CN", today=TODAY)


def said(capsys) -> str:
    return capsys.readouterr().err


@pytest.mark.parametrize("before, after, expected", [
    ([], [], "complaint-record: {path}: no such file. Check the name and the folder, then run "
             "again.\n"),
    (["--lang", "zh-CN"], [], "complaint-record: {path}：文件不存在。请检查文件名和所在文件夹后"
                              "重新运行。\n"),
    ([], ["--lang", "zh-CN"], "complaint-record: {path}：文件不存在。请检查文件名和所在文件夹后"
                              "重新运行。\n"),
])
def test_a_missing_file_is_named_in_the_language_asked(tmp_path, capsys, before, after,
                                                       expected):
    path = tmp_path / "missing.xlsx"
    assert main([*before, "summary", str(path), *after]) == EXIT_REFUSED
    assert said(capsys) == expected.format(path=path)
    assert not path.exists()


def test_with_no_file_to_go_by_the_locale_speaks(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    path = tmp_path / "missing.xlsx"
    assert main(["report", str(path)]) == EXIT_REFUSED
    assert said(capsys) == (f"complaint-record: {path}：文件不存在。"
                            "请检查文件名和所在文件夹后重新运行。\n")


def test_a_bad_date_is_refused_in_the_workbooks_language(demo_book, zh_book, capsys):
    assert main(["process", str(zh_book), "--today", "2026-02-30"]) == EXIT_REFUSED
    assert said(capsys) == ("complaint-record: --today 的值“2026-02-30”不是日期。"
                            "请按“年-月-日”填写，例如 2026-11-22。\n")
    assert main(["process", str(demo_book), "--today", "next friday"]) == EXIT_REFUSED
    assert said(capsys) == ("complaint-record: --today 'next friday' is not a date. Write it as "
                            "year-month-day, e.g. 2026-11-22.\n")


def test_the_language_option_overrides_the_workbooks(zh_book, capsys):
    before = zh_book.read_bytes()
    assert main(["--lang", "en", "process", str(zh_book), "--today", "22/11/2026"]) \
        == EXIT_REFUSED
    assert said(capsys).startswith("complaint-record: --today '22/11/2026' is not a date.")
    assert zh_book.read_bytes() == before


@pytest.mark.parametrize("header, options, expected", [
    ("Date received,Product", [], "complaint-record: notes.csv: only .xlsx and .xlsm workbooks "
     "can be processed; save it in one of those formats in Excel (File > Save As) and run "
     "again.\n"),
    ("受理时间,客户姓名,投诉内容", [], "complaint-record: notes.csv：只能处理 .xlsx 和 .xlsm "
     "工作簿；请在 Excel 中另存为其中一种格式后重新运行。\n"),
    ("Date received,Product", ["--lang", "zh-CN"], "complaint-record: notes.csv：只能处理 .xlsx "
     "和 .xlsm 工作簿；请在 Excel 中另存为其中一种格式后重新运行。\n"),
])
def test_a_refused_file_is_one_line_in_its_own_language(tmp_path, capsys, header, options,
                                                       expected):
    path = tmp_path / "notes.csv"
    path.write_text(header + "\n1,2,3\n", encoding="utf-8")
    assert main(["process", str(path), *options]) == EXIT_REFUSED
    assert said(capsys) == expected


@pytest.fixture
def broken_process(monkeypatch):
    """A programming error deep in the library, of the kinds once read as the user's fault."""
    import addin.batch.run

    def fail(*args, **kwargs):
        raise ValueError("cannot convert float NaN to integer")

    monkeypatch.setattr(addin.batch.run, "process_file", fail)


@pytest.mark.parametrize("book, expected", [
    ("demo_book", "complaint-record: a bug in ComplaintRecord stopped `process` on {path} "
                  "(ValueError: cannot convert float NaN to integer). This is not a mistake in "
                  "your file or command. Run the same command with --debug to see the full "
                  "trace, and send it with the file to whoever looks after ComplaintRecord.\n"),
    ("zh_book", "complaint-record: ComplaintRecord 程序出错，`process` 未能处理 {path}"
                "（ValueError: cannot convert float NaN to integer）。这不是您的文件或命令有误。"
                "请加上 --debug 重新运行同一命令以查看完整的错误信息，并将其连同文件"
                "发给负责 ComplaintRecord 的同事。\n"),
])
def test_a_programming_error_is_called_our_bug_not_the_users_mistake(request, capsys,
                                                                      broken_process, book,
                                                                      expected):
    path = request.getfixturevalue(book)
    assert main(["process", str(path), "--today", TODAY.isoformat()]) == EXIT_BUG
    assert said(capsys) == expected.format(path=path)


def test_a_key_error_in_a_report_is_a_bug_too(demo_book, capsys, monkeypatch):
    import reports.monthly

    def fail(*args, **kwargs):
        raise KeyError("sla_status")

    monkeypatch.setattr(reports.monthly, "write_report", fail)
    assert main(["report", str(demo_book), "--month", "2026-10"]) == EXIT_BUG
    err = said(capsys)
    assert err.startswith("complaint-record: a bug in ComplaintRecord stopped `report` on ")
    assert "(KeyError: 'sla_status')" in err and err.count("\n") == 1


def test_debug_shows_the_trace_of_a_bug(demo_book, capsys, broken_process):
    assert main(["process", str(demo_book), "--debug"]) == EXIT_BUG
    err = said(capsys)
    assert err.startswith("Traceback (most recent call last):")
    assert "ValueError: cannot convert float NaN to integer" in err


def test_python_warnings_reach_the_terminal_only_with_debug(demo_book, capsys, monkeypatch):
    import warnings

    import addin.batch.run

    def warn_then_refuse(path, **kwargs):
        warnings.warn("Data Validation extension is not supported", UserWarning, stacklevel=1)
        raise Refusal(Text("refused", "已拒绝"))

    monkeypatch.setattr(addin.batch.run, "process_file", warn_then_refuse)
    with warnings.catch_warnings():
        warnings.simplefilter("always")  # whatever the test runner's own filters say
        assert main(["process", str(demo_book)]) == EXIT_REFUSED
        assert said(capsys) == "complaint-record: refused\n"
        assert main(["process", str(demo_book), "--debug"]) == EXIT_REFUSED
        assert "UserWarning: Data Validation extension" in said(capsys)


# --------------------------------------------------------------------------- every text, twice

def _registries() -> dict[str, Text]:
    from addin.cli import NO_FILE, SAYS
    from addin.core.findings import CATALOGUE
    from addin.xl import feedback

    texts = {f"cli {key}": text for key, text in SAYS.items()}
    texts["cli no file"] = NO_FILE
    texts |= {f"feedback {key}": text for key, text in feedback.TEXTS.items()}
    texts |= {f"title {key}": text for key, text in feedback.TITLES.items()}
    texts["product"] = feedback.PRODUCT
    for entry in CATALOGUE.values():
        texts |= {f"{entry.code} title": entry.title, f"{entry.code} message": entry.message,
                  f"{entry.code} fix": entry.fix}
    return texts


@pytest.mark.parametrize("name, text", sorted(_registries().items()))
def test_every_staff_text_is_written_in_both_languages(name, text):
    assert text.en.strip() and text.zh.strip()
    assert text.zh != text.en, f"{name}: the Chinese is a copy of the English"
    assert re.search(r"[\u4e00-\u9fff]", text.zh), f"{name}: no Chinese in the Chinese text"


# --------------------------------------------------------------------------- the language guess

def test_the_guess_reads_headers_not_whole_files(demo_book, zh_book, tmp_path):
    from addin.batch.language import file_lang

    assert (file_lang(demo_book), file_lang(zh_book)) == (Lang.EN, Lang.ZH)
    csv = tmp_path / "导出.csv"
    csv.write_bytes("受理时间,客户姓名,投诉内容\n2026-10-01,张三,退款\n".encode("gb18030"))
    assert file_lang(csv) == Lang.ZH
    assert file_lang(cfpb_csv(tmp_path / "cfpb.csv", range(2))) == Lang.EN


def test_the_guess_gives_up_on_what_it_cannot_read(tmp_path, monkeypatch):
    import zipfile

    from addin.batch import language

    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    assert language.file_lang(junk) is None
    assert language.file_lang(tmp_path / "missing.xlsx") is None
    # A register part that inflates past the cap is not read to its end.
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="Sheet1" '
                         'r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                         '2006/relationships"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" '
                         'Target="worksheets/sheet1.xml"/></Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c><v>"
                         + "9" * (2 << 20) + "</v></c></row></sheetData></worksheet>")
    monkeypatch.setattr(language, "MAX_BYTES", 1 << 20)
    assert language.file_lang(bomb) is None


def test_version_is_looked_up_only_when_asked_for(capsys):
    """A command that never shows the version does not pay for importlib.metadata."""
    code = ("import sys; import addin.cli, reports.readahead; "
            "print('importlib.metadata' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "False"
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"complaint-record {addin.__version__}\n"


@pytest.mark.parametrize("lang, words", [("en", "stopped with Ctrl+C"),
                                         ("zh-CN", "已按 Ctrl+C 停止")])
def test_ctrl_c_is_said_in_one_line_with_status_130(monkeypatch, capsys, lang, words):
    def stopped(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_demo", stopped)
    assert cli.main(["--lang", lang, "demo", "somewhere"]) == cli.EXIT_STOPPED == 130
    err = capsys.readouterr().err
    assert err.startswith(f"complaint-record: {words}") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
