"""Demo complaints: realistic, reproducible, and carrying every planted problem kind."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from addin.core.fields import BY_KEY, fold, match_headers
from addin.core.register import Register
from addin.core.vocab import DEFAULT_LISTS, DONE_STATUSES, STARTED_STATUSES, default_lists
from addin.demo_data import (
    CATEGORY_KEYWORDS,
    DEMO_KEYS,
    DESCRIPTIONS,
    PLANTED_FINDINGS,
    REQUESTS,
    demo_rows,
    make_demo,
)

END = dt.date(2026, 3, 20)
LISTS = default_lists()
CASE_NO = re.compile(r"^TS-(\d{4})(\d{2})-(\d{4})$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")


@pytest.fixture(scope="module")
def chinese_register():
    return make_demo(3000, 18, END, "zh-CN", 7)


@pytest.fixture(scope="module")
def english_register():
    return make_demo(3000, 18, END, "en", 7)


def records(demo) -> list[dict]:
    return [dict(zip(DEMO_KEYS, row, strict=True)) for row in demo.rows]


def canonical(key: str, value) -> str | None:
    return LISTS[key].canonical(value)


def planted_positions(demo) -> set[int]:
    return {i for kind, rows in demo.planted_rows.items() if kind != "repeat-complaint"
            for i in rows}


# --- shape and reproducibility ------------------------------------------------------------------

def test_same_seed_gives_the_same_rows():
    assert make_demo(500, 6, END, "zh-CN", 3).rows == make_demo(500, 6, END, "zh-CN", 3).rows


def test_another_seed_gives_other_rows():
    assert make_demo(500, 6, END, "zh-CN", 3).rows != make_demo(500, 6, END, "zh-CN", 4).rows


def test_demo_rows_returns_headers_and_rows_of_make_demo():
    headers, rows = demo_rows(200, 6, END, "en", 1)
    demo = make_demo(200, 6, END, "en", 1)
    assert (headers, rows) == (demo.headers, demo.rows)
    assert len(rows) == 200 and all(len(r) == len(headers) for r in rows)


@pytest.mark.parametrize(("lang", "first_headers"), [
    ("zh-CN", ["案件编号", "受理时间", "投诉渠道", "客户姓名"]),
    ("en", ["Case No", "Received", "Channel", "Customer"]),
])
def test_headers_are_the_card_fields_in_the_language(lang, first_headers):
    headers, _ = demo_rows(50, 3, END, lang, 1)
    assert headers[:4] == first_headers
    assert match_headers(headers) == {key: i for i, key in enumerate(DEMO_KEYS)}
    assert not any(BY_KEY[key].written for key in DEMO_KEYS)
    assert "source_ref" not in DEMO_KEYS


def test_rows_load_as_a_register_in_their_language(chinese_register):
    register = Register.from_values("投诉登记", 1, 1, chinese_register.headers,
                                    chinese_register.rows)
    assert register.lang == "zh-CN"
    assert register.rows.index[0] == 2 and len(register.rows) == 3000
    assert register.col("customer_name").notna().sum() > 2990


# --- realism ------------------------------------------------------------------------------------

def test_complaints_span_the_months_up_to_end(chinese_register):
    received = [r["received_at"] for r in records(chinese_register)
                if isinstance(r["received_at"], dt.datetime) and r["received_at"].date() <= END]
    assert min(received).date() >= dt.date(2024, 10, 1)
    assert max(received).date() <= END
    assert len({(t.year, t.month) for t in received}) == 18


def test_weekdays_are_busier_than_weekends_and_festivals_show(chinese_register):
    received = [r["received_at"] for r in records(chinese_register)
                if isinstance(r["received_at"], dt.datetime)]
    per_weekday = Counter(t.weekday() for t in received)
    assert min(per_weekday[d] for d in range(5)) > 1.5 * max(per_weekday[5], per_weekday[6])
    per_month = Counter((t.year, t.month) for t in received)
    assert per_month[(2025, 11)] > 1.5 * per_month[(2025, 2)]
    assert all(8 <= t.hour <= 22 for t in received)


def test_channels_have_realistic_shares(chinese_register):
    shares = Counter(canonical("channel", r["channel"]) for r in records(chinese_register))
    assert shares.most_common(1)[0][0] == "Phone"
    assert 0.2 < shares["Phone"] / 3000 < 0.4
    assert set(shares) - {None} == {en for en, _ in DEFAULT_LISTS["channel"]}


@pytest.mark.parametrize(("fixture", "name_pattern"), [
    ("chinese_register", r"^[\u4e00-\u9fff]{2,3}$"),
    ("english_register", r"^[A-Z][a-z]+ [A-Z][A-Za-z']+$"),
])
def test_customer_names_fit_the_language(request, fixture, name_pattern):
    demo = request.getfixturevalue(fixture)
    rows = records(demo)
    clean = set(range(len(rows))) - planted_positions(demo) - set(demo.process_rows["anonymous"])
    names = [rows[i]["customer_name"] for i in clean]
    assert all(re.match(name_pattern, name) for name in names)


def test_contact_details_are_mainland_mobiles_and_example_emails(chinese_register):
    rows = records(chinese_register)
    clean = set(range(len(rows))) - planted_positions(chinese_register)
    phones = [rows[i]["phone"] for i in clean if rows[i]["phone"]]
    assert len(phones) > 2500
    assert all(MOBILE.match(re.sub(r"^\+86|[\s-]", "", p)) for p in phones)
    assert any(" " in p for p in phones) and any(p.startswith("+86") for p in phones)
    emails = [rows[i]["email"] for i in clean if rows[i]["email"]]
    assert emails and all(re.match(r"^[a-z0-9.]+@([a-z]+\.)?example\.(com|cn|net|org)$", e)
                          for e in emails)


def test_most_rows_leave_the_classification_to_the_rules(chinese_register):
    rows = records(chinese_register)
    empty_category = sum(r["category"] is None for r in rows)
    assert 0.6 < empty_category / len(rows) < 0.85


def test_statuses_follow_the_age_of_the_case(chinese_register):
    rows = [r for r in records(chinese_register) if isinstance(r["received_at"], dt.datetime)]
    old = [canonical("status", r["status"]) for r in rows
           if (END - r["received_at"].date()).days > 60]
    recent = [canonical("status", r["status"]) for r in rows
              if 0 <= (END - r["received_at"].date()).days <= 7]
    assert sum(s in DONE_STATUSES for s in old) / len(old) > 0.85
    assert sum(s in {"New", "Acknowledged", "Investigating", "In progress",
                     "Waiting on customer", "Reopened"} for s in recent) / len(recent) > 0.7


def test_about_one_row_in_twenty_uses_the_other_languages_list_values(chinese_register):
    english = {en for en, _ in DEFAULT_LISTS["status"]}
    share = sum(r["status"] in english for r in records(chinese_register)) / 3000
    assert 0.025 < share < 0.08


def test_old_rows_carry_case_numbers_of_an_earlier_run(chinese_register):
    rows = records(chinese_register)
    duplicated = set(chinese_register.planted_rows["duplicate-case-no"])
    numbered = [(i, r) for i, r in enumerate(rows) if r["case_no"] and i not in duplicated]
    assert 0.28 < len(numbered) / len(rows) < 0.32
    assert [i for i, _ in numbered] == list(range(len(numbered)))  # the oldest rows
    per_month: dict[str, list[int]] = {}
    for _, r in numbered:
        year, month, seq = CASE_NO.match(r["case_no"]).groups()
        assert (int(year), int(month)) == (r["received_at"].year, r["received_at"].month)
        per_month.setdefault(year + month, []).append(int(seq))
    assert all(seqs == list(range(1, len(seqs) + 1)) for seqs in per_month.values())


@pytest.mark.parametrize(("fixture", "prefix"), [("chinese_register", "再次投诉："),
                                               ("english_register", "Complaining again: ")])
def test_repeat_complaints_share_phone_or_email_within_thirty_days(request, fixture, prefix):
    demo = request.getfixturevalue(fixture)
    rows = records(demo)
    repeats = demo.planted_rows["repeat-complaint"]
    assert len(repeats) >= 100
    for i in repeats:
        again = rows[i]
        earlier = [r for r in rows[:i] if (r["phone"] and r["phone"] == again["phone"])
                   or (r["email"] and r["email"] == again["email"])]
        assert earlier, i
        gap = again["received_at"] - earlier[-1]["received_at"]
        assert dt.timedelta(0) < gap < dt.timedelta(days=30)
        assert again["description"].startswith(prefix)


# --- descriptions the rules can classify --------------------------------------------------------

def _keyword_cases():
    for category, by_lang in DESCRIPTIONS.items():
        for lang, templates in by_lang.items():
            for template in templates:
                name = f"{category}-{lang}-{template[:12]}"
                yield pytest.param(category, lang, template, id=name)


@pytest.mark.parametrize(("category", "lang", "template"), list(_keyword_cases()))
def test_each_description_names_its_own_category_only(category, lang, template):
    text = template.casefold()
    own = CATEGORY_KEYWORDS[category][lang]
    others = [k for c, kw in CATEGORY_KEYWORDS.items() if c != category for k in kw[lang]]
    if category != "Other":
        assert any(k in text for k in own)
    assert [k for k in others if k in text] == []


def test_requests_hold_no_keyword_that_could_sway_the_rules():
    keywords = [k for kw in CATEGORY_KEYWORDS.values() for ks in kw.values() for k in ks]
    for by_lang in REQUESTS.values():
        for texts in by_lang.values():
            assert [t for t in texts for k in keywords if k in t.casefold()] == []


# --- clean rows are clean, planted rows are spoiled ---------------------------------------------

def _problems(r: dict, end: dt.date) -> set[str]:
    """An independent, simple reading of the card's rules for one row."""
    found = set()
    for key in ("received_at", "channel", "customer_name", "description", "status"):
        if r[key] is None:
            found.add("missing")
    exempt = canonical("channel", r["channel"]) in {"Regulator referral", "Suggestion box"} \
        or r["customer_name"] in {"Anonymous", "匿名"}
    if not r["phone"] and not r["email"] and not exempt:
        found.add("no contact")
    for key in ("channel", "customer_type", "category", "severity", "urgency", "status"):
        if r[key] is not None and canonical(key, r[key]) is None:
            found.add("not in list")
    received = r["received_at"]
    if not isinstance(received, dt.datetime):
        found.add("text date")
    else:
        if received.date() > end:
            found.add("future")
        for key in ("acknowledged_at", "resolved_at"):
            if r[key] is not None and r[key] < received:
                found.add("order")
    status = canonical("status", r["status"])
    if status in DONE_STATUSES and (not r["solution"] or not r["resolved_at"]):
        found.add("incomplete close")
    if status in STARTED_STATUSES and not r["handler"]:
        found.add("no handler")
    if r["satisfaction"] is not None and (status not in DONE_STATUSES
                                          or r["satisfaction"] not in range(1, 6)):
        found.add("satisfaction")
    return found


def test_rows_not_planted_pass_every_check(chinese_register, english_register):
    for demo in (chinese_register, english_register):
        rows = records(demo)
        spoiled = planted_positions(demo)
        dirty = {i: _problems(r, END) for i, r in enumerate(rows) if i not in spoiled}
        assert {i: p for i, p in dirty.items() if p} == {}


def test_every_problem_kind_is_planted_and_counted(chinese_register):
    assert set(chinese_register.planted) == set(PLANTED_FINDINGS)
    assert all(count >= 3 for count in chinese_register.planted.values())
    for kind, rows in chinese_register.planted_rows.items():
        assert chinese_register.planted[kind] == len(rows)
    spoiled = [i for kind, rows in chinese_register.planted_rows.items()
               if kind != "repeat-complaint" for i in rows]
    assert len(spoiled) == len(set(spoiled))  # one problem per spoiled row


def _phone_is_bad(value: str) -> bool:
    return not re.fullmatch(r"[\d\s+\-()]+", value) or len(re.sub(r"\D", "", value)) < 7


EXPECTED = {
    "missing-required": lambda r: any(r[k] is None for k in (
        "received_at", "channel", "customer_name", "description", "status")),
    "no-contact": lambda r: r["phone"] is None and r["email"] is None,
    "text-date": lambda r: isinstance(r["received_at"], str),
    "unreadable-date": lambda r: r["received_at"] in {"next Tuesday", "下周二", "上个月底", "ASAP"},
    "future-received": lambda r: r["received_at"].date() > END,
    "resolved-before-received": lambda r: r["resolved_at"] < r["received_at"],
    "not-in-list": lambda r: any(r[k] is not None and canonical(k, r[k]) is None
                                 for k in ("channel", "status", "customer_type", "category")),
    "bad-phone": lambda r: _phone_is_bad(r["phone"]),
    "bad-email": lambda r: not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", r["email"]),
    "satisfaction-out-of-range": lambda r: r["satisfaction"] in (0, 7),
    "satisfaction-on-open-case": lambda r: canonical("status", r["status"]) == "In progress"
    and r["satisfaction"] is not None,
    "closed-without-solution": lambda r: canonical("status", r["status"]) == "Closed"
    and r["solution"] is None and r["resolved_at"] is not None,
    "closed-without-resolved": lambda r: canonical("status", r["status"]) == "Closed"
    and r["resolved_at"] is None and r["solution"],
    "started-without-handler": lambda r: canonical("status", r["status"]) == "In progress"
    and r["handler"] is None,
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_each_planted_row_shows_its_problem(chinese_register, kind):
    rows = records(chinese_register)
    assert all(EXPECTED[kind](rows[i]) for i in chinese_register.planted_rows[kind])


def test_text_dates_come_in_several_layouts_and_say_the_true_date(chinese_register):
    rows = records(chinese_register)
    texts = [rows[i]["received_at"] for i in chinese_register.planted_rows["text-date"]]
    assert any(re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}", t) for t in texts)
    assert any(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", t) for t in texts)
    day_first = [t for t in texts if re.fullmatch(r"\d{2}/\d{2}/\d{4}", t)]
    assert day_first and all(int(t[:2]) > 12 for t in day_first)  # unambiguous


def test_duplicated_case_numbers_copy_an_earlier_rows_number(chinese_register):
    rows = records(chinese_register)
    counts = Counter(r["case_no"] for r in rows if r["case_no"])
    for i in chinese_register.planted_rows["duplicate-case-no"]:
        assert counts[rows[i]["case_no"]] == 2


def test_dates_are_datetimes_with_a_time_of_day(chinese_register):
    rows = records(chinese_register)
    clean = set(range(len(rows))) - planted_positions(chinese_register)
    received = [rows[i]["received_at"] for i in clean]
    assert all(type(t) is dt.datetime for t in received)
    assert sum(t.time() != dt.time() for t in received) > 0.95 * len(received)
    follow_ups = [rows[i]["follow_up_at"] for i in clean if rows[i]["follow_up_at"]]
    assert follow_ups and all(t.time() == dt.time() for t in follow_ups)


@pytest.mark.parametrize("n", [20, 60, 400])
def test_small_registers_still_plant_what_fits(n):
    demo = make_demo(n, 3, END, "en", 5)
    assert len(demo.rows) == n
    spoiled = planted_positions(demo)
    assert 0 < len(spoiled) <= n
    assert all(0 <= i < n for i in spoiled)


def test_list_values_in_english_register_are_english_mostly(english_register):
    values = [r["channel"] for r in records(english_register) if r["channel"]]
    english = {en for en, _ in DEFAULT_LISTS["channel"]}
    assert sum(v in english for v in values) / len(values) > 0.9
    assert any(fold(v) == fold("电话") for v in values)  # some rows typed in Chinese


# --- through the real pipeline -------------------------------------------------------------------

@pytest.fixture(scope="module", params=["zh-CN", "en"])
def processed(request):
    from addin.core.pipeline import process

    demo = make_demo(3000, 18, END, request.param, 7)
    register = Register.from_values("Complaints", 1, 1, demo.headers, demo.rows)
    return demo, process(register, {}, END)


def _codes_by_row(outcome) -> dict[int, set[str]]:
    codes: dict[int, set[str]] = {}
    for item in outcome.findings:
        codes.setdefault(item.row, set()).add(item.code)
    return codes


def test_each_planted_row_gets_the_finding_it_was_planted_for(processed):
    demo, outcome = processed
    codes = _codes_by_row(outcome)
    for kind, positions in demo.planted_rows.items():
        expected = PLANTED_FINDINGS[kind]
        excel_rows = [i + 2 for i in positions]  # header in row 1
        if expected is None:  # readable text dates: no date finding at all
            assert [r for r in excel_rows if "not-a-date" in codes.get(r, set())] == []
        else:
            assert [r for r in excel_rows if expected not in codes.get(r, set())] == [], kind


# What the process itself signals on clean rows: warnings asking staff to act (and a note for a
# follow-up due soon), never errors.
PROCESS_SIGNALS = {"follow-up-overdue", "follow-up-due", "reopen-suggested",
                   "escalate-proposed", "risk-severity-low"}


def test_rows_not_planted_get_no_finding_but_repeats_and_process_signals(processed):
    demo, outcome = processed
    spoiled = {i + 2 for i in planted_positions(demo)}
    repeats = {i + 2 for i in demo.planted_rows["repeat-complaint"]}
    unexpected = {(row, code) for row, codes in _codes_by_row(outcome).items()
                  if row not in spoiled for code in codes
                  if not (code == "repeat-complaint" and row in repeats)
                  and code not in PROCESS_SIGNALS}
    assert unexpected == set()
    signals = [f for f in outcome.findings if f.code in PROCESS_SIGNALS]
    assert {f.level for f in signals} == {"warning", "info"}
    assert {f.code for f in signals if f.level == "info"} == {"follow-up-due"}
    shown = {f.code for f in signals}
    assert {"follow-up-overdue", "follow-up-due", "reopen-suggested", "escalate-proposed"} <= shown


def test_the_demo_shows_every_stage_of_the_process(processed):
    demo, outcome = processed
    cases = outcome.cases
    assert set(cases["status"].dropna()) == {name for name, _ in DEFAULT_LISTS["status"]}
    clean = cases.drop(index=[i + 2 for i in planted_positions(demo)])
    closed = clean[clean["status"] == "Closed"]
    for key in ("assigned_at", "investigated_at", "remedy", "root_cause_type", "informed_at",
                "follow_up_at", "follow_up_method", "follow_up_result", "closed_at"):
        assert closed[key].notna().all(), key
    assert {"Overdue", "On track"} <= set(cases["follow_up_state"].dropna())
    assert cases["investigate_state"].eq("Overdue").any()
    approved = cases[cases["compensation"] > 1000]
    assert len(approved) >= 5 and approved["approved_by"].notna().all()
    assert outcome.summary.not_accepted == len(demo.process_rows["not-accepted"]) >= 10
    assert cases["risk"].notna().any()


def test_anonymous_complaints_come_from_the_suggestion_box_and_get_numbers(processed):
    demo, outcome = processed
    rows = [i + 2 for i in demo.process_rows["anonymous"]]
    assert len(rows) >= 10
    anonymous = outcome.cases.loc[rows]
    assert anonymous["channel"].eq("Suggestion box").all()
    assert anonymous["phone"].isna().all() and anonymous["email"].isna().all()
    assert anonymous["case_no"].notna().all()
    assert not [f for f in outcome.findings if f.row in rows and f.level == "error"]


def test_the_default_rules_classify_descriptions_as_written(processed):
    demo, outcome = processed
    spoiled = {i + 2 for i in planted_positions(demo)}
    rows = [r for r in outcome.cases.index if r not in spoiled]
    wrong = [r for r in rows if outcome.cases.at[r, "category"] != demo.categories[r - 2]]
    assert wrong == []
