"""Suggestions learned from the categories staff typed or corrected, through the pipeline."""

from __future__ import annotations

import datetime as dt
import json
import sys

import pandas as pd
import pytest
from books import put_table
from openpyxl import Workbook, load_workbook

from addin.core import suggest
from addin.core.classify import DEFAULT_RULES, MAX_TEXT_LENGTH
from addin.core.pipeline import process
from addin.core.register import Register
from addin.memo import FileMemo, default_memo

TODAY = dt.date(2026, 3, 31)
HEADERS = ["Received", "Channel", "Customer", "Phone", "Complaint", "Status", "Category",
           "Department", "Rule", "Severity", "Urgency"]
# What this office files its own way: the default rules call the first two themes Other and
# the third Product quality ("broken"), and staff typed their own category.
THEMES = {
    "Billing": ("Membership points from my visit on day {n} vanished from the loyalty balance",
                "Finance"),
    "Delivery": ("会员{n}号到店自提的包裹柜一直打不开，取件码无效", "Logistics"),
    "After-sales": ("The broken umbrella stand by entrance {n} still blocks the aisle",
                    "Store operations"),
}
PER_THEME = 14


def staff_rows() -> list[list[object]]:
    """Rows staff classified themselves: Rule column empty, Category and Department typed."""
    rows = []
    for n in range(PER_THEME):
        for category, (text, department) in THEMES.items():
            rows.append([dt.datetime(2026, 1, 1 + n, 9), "Phone", f"Customer {n}", "13800000000",
                         text.format(n=n), "New", category, department, None, None, None])
    return rows


def new_row(text: str, day: int = 20) -> list[object]:
    return [dt.datetime(2026, 3, day, 9), "Phone", "New customer", "13900000000", text, "New",
            None, None, None, None, None]


NEW_TEXTS = {  # similar complaints nobody has classified yet, and the category staff would give
    "Membership points from my visit on day 31 vanished from the loyalty balance": "Billing",
    "会员99号到店自提的包裹柜取件码无效": "Delivery",
}
RULED = "I want a refund, I was charged twice"  # the rules call this Billing themselves


def register(rows: list[list[object]]) -> Register:
    return Register.from_values("Complaints", 1, 1, HEADERS, rows)


def run(rows: list[list[object]]):
    return process(register(rows), {}, TODAY)


@pytest.fixture
def outcome():
    pytest.importorskip("sklearn", reason="scikit-learn (the learn extra) is not installed")
    rows = staff_rows() + [new_row(text) for text in NEW_TEXTS] + [new_row(RULED)]
    return run(rows)


def test_new_rows_get_the_category_staff_gave_similar_complaints(outcome):
    first_new = 2 + len(THEMES) * PER_THEME
    suggested = outcome.changes["suggested"]
    for row, wanted in zip(range(first_new, first_new + 2), NEW_TEXTS.values(), strict=True):
        text = suggested[row]
        assert text.startswith(f"{wanted} ("), text
        assert "; Department: " in text  # staff name departments, so one is suggested too
        assert outcome.cases.at[row, "suggested"] == wanted
    assert outcome.summary.suggested == 2
    assert outcome.summary.suggest_tested >= len(THEMES)
    assert 0 <= outcome.summary.suggest_accuracy <= 1


def test_staff_and_rule_values_are_untouched(outcome):
    first_new = 2 + len(THEMES) * PER_THEME
    staff = range(2, first_new)
    # Staff's categories and departments are not rewritten...
    assert not set(outcome.changes.get("category", pd.Series()).index) & set(staff)
    assert not set(outcome.changes.get("department", pd.Series()).index) & set(staff)
    # ...the new rows keep what the rules decided (the catch-all's Other), not the suggestion...
    assert outcome.changes["category"][first_new] == "Other"
    assert outcome.cases.at[first_new, "category"] == "Other"
    # ...and a row the rules classified gets no suggestion.
    ruled = first_new + len(NEW_TEXTS)
    assert outcome.cases.at[ruled, "category"] == "Billing"
    assert ruled not in outcome.changes["suggested"].index
    assert not set(outcome.changes["suggested"].index) & set(staff)


def test_each_suggestion_is_an_info_finding_at_the_category_cell(outcome):
    first_new = 2 + len(THEMES) * PER_THEME
    found = [f for f in outcome.findings if f.code == "suggested-category"]
    assert [f.row for f in found] == [first_new, first_new + 1]
    assert found[0].level == "info"
    assert found[0].cell == f"Complaints!G{first_new}"
    assert "copy Billing into Category" in found[0].fix("en")
    assert "账务" in found[0].message("zh-CN")


def test_the_same_register_gives_the_same_suggestions(outcome):
    again = run(staff_rows() + [new_row(text) for text in NEW_TEXTS] + [new_row(RULED)])
    assert again.changes["suggested"].equals(outcome.changes["suggested"])
    assert again.summary == outcome.summary


def test_a_second_run_over_the_output_suggests_the_same(outcome):
    """The catch-all's Other and its Rule id, written by the first run, are not read as staff's
    labels by the next one."""
    rows = staff_rows() + [new_row(text) for text in NEW_TEXTS] + [new_row(RULED)]
    for row, values in enumerate(rows, start=2):
        for key, column in outcome.changes.items():
            if key.capitalize() in HEADERS and row in column.index:
                values[HEADERS.index(key.capitalize())] = column[row]
    again = run(rows)
    assert again.cases.attrs["suggester"] == outcome.cases.attrs["suggester"]
    assert again.cases["suggested"].equals(outcome.cases["suggested"])


def test_a_suggestion_copied_into_category_becomes_a_label(outcome):
    rows = staff_rows() + [new_row(text) for text in NEW_TEXTS]
    quality = outcome.cases.attrs["suggester"]
    rows[-1][HEADERS.index("Category")] = "Delivery"  # accepted
    rows[-1][HEADERS.index("Rule")] = "default"  # as the first run left it
    assert run(rows).cases.attrs["suggester"].labels == quality.labels + 1


def test_too_few_labels_suggest_nothing_and_say_so():
    rows = staff_rows()[:12] + [new_row(text) for text in NEW_TEXTS]
    result = run(rows)
    assert "suggested" not in result.changes
    quality = result.cases.attrs["suggester"]
    assert quality.status == "too-few-labels" and quality.labels == 12
    assert "at least 30" in quality.describe("en")


def test_without_scikit_learn_the_rules_alone_classify(monkeypatch):
    """The learn extra missing: no suggestions, every other column as before."""
    monkeypatch.setitem(sys.modules, "sklearn", None)  # import sklearn now fails
    assert not suggest.learning_available()
    rows = staff_rows() + [new_row(text) for text in NEW_TEXTS]
    result = run(rows)
    assert "suggested" not in result.changes
    assert not [f for f in result.findings if f.code == "suggested-category"]
    assert result.cases.attrs["suggester"].status == "not-installed"
    assert "pip install complaint-record[learn]" in result.cases.attrs["suggester"].describe("en")
    assert result.changes["category"][len(rows) + 1] == "Other"
    assert result.summary.suggest_accuracy is None


@pytest.mark.parametrize(("rule", "category", "filled", "labelled"), [
    (None, "Billing", False, True),  # typed by staff, no rule involved
    ("safety", "Billing", False, True),  # a rule set only the severity
    ("default", "Billing", False, True),  # staff corrected the catch-all's Other
    ("default", "Other", False, False),  # the catch-all's own Other
    ("billing", "Billing", False, False),  # the billing rule's value
    ("price, default", "Billing", False, True),  # corrected; the first rule decided
    ("billing", "Billing", True, False),  # filled by a rule in this very run
    ("gone-rule", "Billing", False, False),  # a rule the workbook no longer has: cannot tell
    (None, None, False, False),  # nothing typed
])
def test_which_categories_are_the_offices_own(rule, category, filled, labelled):
    found = suggest.staff_labelled(pd.Series([rule], dtype=object),
                                   pd.Series([category], dtype=object), pd.Series([filled]),
                                   list(DEFAULT_RULES), "category")
    assert bool(found.iloc[0]) is labelled


def test_the_batch_door_writes_the_suggested_column(tmp_path):
    pytest.importorskip("sklearn", reason="scikit-learn (the learn extra) is not installed")
    from addin.batch.run import process_file

    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    put_table(ws, HEADERS, staff_rows() + [new_row(text) for text in NEW_TEXTS], 1, 1)
    path = tmp_path / "card.xlsx"
    wb.save(path)
    report = process_file(path, today=TODAY)
    assert report.summary.suggested == 2
    sheet = load_workbook(path)["Complaints"]
    headers = [c.value for c in sheet[1]]
    for header in ("Suggested", "Problem class", "Part"):
        assert header in headers
    column = headers.index("Suggested") + 1
    last = sheet.max_row
    assert sheet.cell(last, column).value.startswith("Delivery (")
    assert sheet.cell(2, column).value is None  # a row staff classified


class DictMemo:
    """A memo in a dict, kept as JSON text the way the file memo keeps it."""

    def __init__(self) -> None:
        self.kept: dict[str, str] = {}

    def get(self, key: str):
        return json.loads(self.kept[key]) if key in self.kept else None

    def put(self, key: str, value) -> None:
        self.kept[key] = json.dumps(value, ensure_ascii=False)


def test_a_memo_gives_back_what_the_model_said_without_training(monkeypatch):
    pytest.importorskip("sklearn", reason="scikit-learn (the learn extra) is not installed")
    rows = staff_rows() + [new_row(text) for text in NEW_TEXTS] + [new_row(RULED)]
    memo = DictMemo()
    fresh = run(rows)
    first = process(register(rows), {}, TODAY, memo=memo)
    assert len(memo.kept) == 2  # the category's model and the department's
    monkeypatch.setattr(suggest, "_learn", lambda *args: pytest.fail("trained again"))
    again = process(register(rows), {}, TODAY, memo=memo)
    for result in (first, again):
        assert result.changes.keys() == fresh.changes.keys()
        for key, values in fresh.changes.items():
            pd.testing.assert_series_equal(result.changes[key], values)
        assert result.findings == fresh.findings
        assert result.cases.attrs["suggester"] == fresh.cases.attrs["suggester"]
    # Other labels are another model: trained, not taken from the memo.
    monkeypatch.undo()
    changed = process(register(staff_rows()[1:] + [new_row(t) for t in NEW_TEXTS]), {}, TODAY,
                      memo=memo)
    assert len(memo.kept) == 4 and changed.cases.attrs["suggester"].status == "on"


def test_a_damaged_memo_entry_is_trained_anew(tmp_path, monkeypatch):
    pytest.importorskip("sklearn", reason="scikit-learn (the learn extra) is not installed")
    rows = staff_rows() + [new_row(text) for text in NEW_TEXTS]
    files = FileMemo(tmp_path / "memo")
    first = process(register(rows), {}, TODAY, memo=files)
    for entry in (tmp_path / "memo").glob("*.json"):
        entry.write_text('{"quality": {"status": "on"}, "guess": ["x"]}', encoding="utf-8")
    again = process(register(rows), {}, TODAY, memo=files)
    assert again.findings == first.findings
    assert again.cases.attrs["suggester"] == first.cases.attrs["suggester"]
    monkeypatch.setenv("COMPLAINT_RECORD_CACHE", "off")
    assert default_memo() is None
    monkeypatch.setenv("COMPLAINT_RECORD_CACHE", str(tmp_path))
    assert default_memo().folder == tmp_path / "suggest"


def test_the_model_reads_each_rows_fields_trimmed_one_per_line():
    """``complaint_texts``: a row's searched fields, each trimmed, blank ones left out, cut at
    the length rules search; rows repeating a combination of fields read the same text."""
    long = "x" * (MAX_TEXT_LENGTH + 10)
    cells = [("Broken", "Refund", "Kettle"), ("  Broken ", None, "Kettle"), (None, " ", None),
             ("Broken", "Refund", "Kettle"), (long, "Refund", None), (7, True, "Kettle"),
             ("Broken", None, "Kettle")]
    rows = [[dt.datetime(2026, 1, 1), *row] for row in cells]
    texts = suggest.complaint_texts(Register.from_values(
        "Complaints", 4, 2, ["Received", "Complaint", "Request", "Product"], rows))
    assert texts.index.tolist() == list(range(5, 5 + len(cells)))
    assert texts.tolist() == ["Broken\nRefund\nKettle", "Broken\nKettle", "",
                              "Broken\nRefund\nKettle", "x" * MAX_TEXT_LENGTH,
                              "7\nTrue\nKettle", "Broken\nKettle"]
