"""The company report: one monthly report over several branches' workbooks.

Pinned: its totals are the sums of the branches' own reports (figure by figure, from the
reports' contexts); each branch's row and the league tables hold that branch's own figures
(checked by hand on a small company); a folder names its workbooks; a refused workbook stops the
report and is named; one workbook gives exactly that workbook's report; branch names are escaped.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from addin.cli import EXIT_OK, EXIT_REFUSED, main
from addin.core.analysis import analyse_month
from addin.demo_data import demo_rows
from addin.layout.branches import branch_tables
from reports.company import branch_figures, company_context, load_books, write_company_report
from reports.monthly import load_month_inputs, monthly_context, write_report

TODAY = dt.date(2026, 3, 20)
FEB = pd.Period("2026-02", freq="M")
HEADERS = ["Case No", "Received", "Channel", "Customer", "Phone", "Complaint", "Severity",
           "Urgency", "Status", "Resolved", "Solution", "Satisfaction"]


def complaint(case: str, day: int, phone: str, resolved: int | None = None,
              score: int | None = None) -> list:
    """A February complaint with the catch-all deadline (15 calendar days: due on the 17th
    for the 2nd); resolved on ``resolved`` (a day of February) or still open."""
    return [case, dt.datetime(2026, 2, day, 9), "Phone", f"Customer {case}", phone,
            "The parcel came late", "Normal", "Normal", "Resolved" if resolved else "New",
            dt.datetime(2026, 2, resolved, 17) if resolved else None,
            "Refunded" if resolved else None, score]


def save_book(path: Path, rows: list[list], headers: list[str] = HEADERS) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def small_company(tmp_path) -> list[Path]:
    """Three branches, February 2026, figures worked out by hand in the tests below."""
    folder = tmp_path / "east-region"
    folder.mkdir()
    return [
        # a: on time 2 of 4 (A-3 resolved after its deadline, A-4 open past it); scores 5, 3, 1;
        # A-4 is a repeat of A-3 (same phone): 1 of 4.
        save_book(folder / "a.xlsx", [
            complaint("A-1", 2, "13800000001", 3, 5), complaint("A-2", 2, "13800000002", 3, 3),
            complaint("A-3", 2, "13800000003", 25, 1), complaint("A-4", 4, "13800000003")]),
        # b: on time 2 of 2; scores 4, 4; no repeat.
        save_book(folder / "b.xlsx", [
            complaint("B-1", 2, "13900000001", 3, 4), complaint("B-2", 2, "13900000002", 3, 4)]),
        # c: on time 1 of 3 (two open past the deadline); score 5; C-3 repeats C-2: 1 of 3.
        save_book(folder / "c.xlsx", [
            complaint("C-1", 2, "13700000001", 3, 5), complaint("C-2", 3, "13700000002"),
            complaint("C-3", 5, "13700000002")]),
    ]


def test_branch_and_league_tables_by_hand(small_company):
    books = load_books(small_company, TODAY, workers=1)
    branches = branch_figures(books, FEB, TODAY)
    assert [name for name, _ in branches] == ["a", "b", "c"]
    company = analyse_month(pd.concat([b.inputs.cases for b in books]), FEB,
                            books[0].inputs.calendar, TODAY).figures
    by_branch, on_time, satisfaction, repeats = branch_tables(branches, company, "en")
    # Branch, received, overdue at month end, resolved, on time, satisfaction, repeat rate.
    assert by_branch.rows == [
        ["a", 4, 1, 3, 0.5, 3.0, 0.25],
        ["b", 2, 0, 2, 1.0, 4.0, 0.0],
        ["c", 3, 2, 1, pytest.approx(1 / 3), 5.0, pytest.approx(1 / 3)],
        ["Whole company", 9, 3, 6, pytest.approx(5 / 9), pytest.approx(22 / 6),
         pytest.approx(2 / 9)]]
    # Rank, branch, figure, the cases it rests on; best first.
    assert on_time.rows == [[1, "b", 1.0, 2], [2, "a", 0.5, 4], [3, "c", pytest.approx(1 / 3), 3]]
    assert satisfaction.rows == [[1, "c", 5.0, 1], [2, "b", 4.0, 2], [3, "a", 3.0, 3]]
    assert repeats.rows == [[1, "b", 0.0, 2], [2, "a", 0.25, 4], [3, "c", pytest.approx(1 / 3), 3]]


def test_the_league_shares_ranks_and_puts_branches_without_a_figure_last(small_company,
                                                                          tmp_path):
    extra = save_book(tmp_path / "d.xlsx", [complaint("D-1", 2, "13600000001", 3, 3),
                                            complaint("D-2", 9, "13600000002", 10, 3)])
    empty = save_book(tmp_path / "e.xlsx", [])
    books = load_books([*small_company, extra, empty], TODAY, workers=1)
    branches = branch_figures(books, FEB, TODAY)
    assert [name for name, _ in branches] == ["a", "b", "c", "d"]  # e has no case at all
    satisfaction = branch_tables(branches, branches[0][1], "en")[2]
    # a and d both average 3.0: they share third place; the next would be fifth.
    assert [row[:3] for row in satisfaction.rows] == [[1, "c", 5.0], [2, "b", 4.0],
                                                      [3, "a", 3.0], [3, "d", 3.0]]


def single_context(path: Path):
    inputs = load_month_inputs(path, TODAY)
    analysis = analyse_month(inputs.cases, FEB, inputs.calendar, TODAY, inputs.lists)
    return monthly_context(analysis, inputs.lists, "en", mask=inputs.mask,
                           workbook=inputs.workbook), analysis


def number(text: str) -> float:
    return float(text.replace(",", "").rstrip("%"))


@pytest.fixture(scope="module")
def demo_company(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("company")
    paths = []
    for seed, (name, rows) in enumerate((("north", 400), ("south", 250), ("west", 300)), 1):
        headers, body = demo_rows(rows, 14, TODAY, "en", seed=seed)
        paths.append(save_book(folder / f"{name}.xlsx", body, headers))
    return paths


def test_company_totals_are_the_sums_of_the_branch_reports(demo_company):
    singles = [single_context(path) for path in demo_company]
    books = load_books(demo_company, TODAY, workers=2)  # in worker processes
    company = company_context(books, FEB, "en", TODAY)
    cards = {card.label: card.value for card in company.kpis}
    for label in ("Complaints received", "Overdue at month end"):
        parts = [number(next(c.value for c in ctx.kpis if c.label == label))
                 for ctx, _ in singles]
        assert number(cards[label]) == sum(parts) > 0, label
    # A rate over the company is the rate over the branches' counts put together.
    figures = [analysis.figures for _, analysis in singles]
    on_time = sum(f.resolve_on_time for f in figures)
    measured = on_time + sum(f.resolve_late for f in figures)
    assert number(cards["Resolved on time"]) == round(100 * on_time / measured, 1)
    # Each branch's row holds its own report's key figures, one by one.
    columns = company.branches.columns
    for (ctx, _), path, row in zip(singles, demo_company, company.branches.rows, strict=False):
        own = {card.label: card.value for card in ctx.kpis}
        assert row[0] == path.stem
        for label in ("Complaints received", "Overdue at month end", "Resolved on time",
                      "Mean satisfaction (1-5)", "Repeat complaints"):
            assert row[columns.index(label)] == own[label], (path.stem, label)
    assert company.branches.rows[-1][0] == "Whole company"
    assert company.branches.rows[-1][columns.index("Complaints received")] == cards[
        "Complaints received"]


def test_one_workbook_gives_its_own_report_exactly(demo_company, tmp_path):
    alone = write_report(demo_company[0], "2026-02", "en", tmp_path / "alone", TODAY, pdf=False)
    company = write_company_report(demo_company[:1], "2026-02", "en", tmp_path / "company",
                                   TODAY, pdf=False)
    assert [f.name for f in company] == [f.name for f in alone]
    assert company[0].read_text(encoding="utf-8") == alone[0].read_text(encoding="utf-8")
    assert 'id="branches"' not in alone[0].read_text(encoding="utf-8")


def test_a_folder_gives_one_report_named_after_it(small_company, tmp_path, capsys):
    folder = small_company[0].parent
    (folder / "~$a.xlsx").write_bytes(b"Excel's lock file")  # not a workbook: left alone
    out = tmp_path / "out"
    assert main(["report", str(folder), "--month", "2026-02", "--today", "2026-03-20",
                 "--no-pdf", "--output", str(out), "--lang", "en"]) == EXIT_OK
    [written] = capsys.readouterr().out.split()
    assert Path(written) == out / "east-region-report-2026-02-en.html"
    html = Path(written).read_text(encoding="utf-8")
    assert "3 workbooks: a.xlsx, b.xlsx, c.xlsx" in html
    assert "League: resolved on time" in html and "Whole company" in html


def test_a_refused_workbook_is_named(small_company, capsys):
    folder = small_company[0].parent
    (folder / "broken.xlsx").write_bytes(b"not a zip file")
    assert main(["report", *map(str, small_company), str(folder / "broken.xlsx"),
                 "--month", "2026-02", "--no-pdf"]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert "broken.xlsx cannot be read as a workbook: it is damaged" in err
    assert "The company report needs every workbook it is given" in err
    assert not list(folder.glob("*.html"))


def test_an_empty_folder_is_refused(tmp_path, capsys):
    assert main(["report", str(tmp_path), "--no-pdf", "--lang", "en"]) == EXIT_REFUSED
    assert "no .xlsx or .xlsm workbook in this folder" in capsys.readouterr().err


def test_a_branch_column_splits_a_workbook_and_its_names_are_escaped(small_company, tmp_path):
    rows = [complaint("M-1", 2, "13500000001", 3, 4), complaint("M-2", 2, "13500000002"),
            complaint("M-3", 2, "13500000003", 3, 2)]
    branches = ["<b>Harbour</b>", "Old town", None]  # an empty cell: the workbook's name
    mixed = save_book(tmp_path / "mixed.xlsx", [[*r, b] for r, b in zip(rows, branches,
                                                                        strict=True)],
                      [*HEADERS, "Branch"])
    books = load_books([small_company[1], mixed], TODAY, workers=1)
    assert [name for name, _ in branch_figures(books, FEB, TODAY)] == [
        "b", "<b>Harbour</b>", "Old town", "mixed"]
    [html] = write_company_report([small_company[1], mixed], "2026-02", "en", tmp_path / "out",
                                  TODAY, pdf=False)
    text = html.read_text(encoding="utf-8")
    assert "&lt;b&gt;Harbour&lt;/b&gt;" in text and "<b>Harbour" not in text
    # The overdue list says whose case it is: M-2 is open past its deadline in Old town.
    overdue = text[text.index('id="overdue"'):text.index('id="repeats"')]
    assert "<td>M-2</td><td>Old town</td>" in overdue
