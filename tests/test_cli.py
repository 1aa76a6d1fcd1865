"""The command line: what a person or a script sees, and the exit status they get."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.cli import EXIT_FINDINGS, EXIT_OK, EXIT_REFUSED, build_parser, main
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


def test_a_bad_month_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["report", "x.xlsx", "--month", "2026-13"])
    assert stop.value.code == 2
    assert "not a month like" in capsys.readouterr().err
