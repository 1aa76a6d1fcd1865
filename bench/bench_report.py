"""Benchmark: the monthly report on a large workbook against a bare python-calamine read of it.

Target (issue: batch and reports near the I/O floor): a report for a 50,000-row workbook takes at
most 1.3 x a bare calamine read of that file + 0.8 seconds (it was 1.5 x + 2 s before). Each
measurement runs in a fresh child process, so imports and caches count as they would for a user.
The report is timed as staff run it, ``complaint-record report`` from its first import to the
file written (the command reads the workbook ahead while its modules load); its phases are then
timed one after another, which adds up to more than the command.

    python bench/bench_report.py [--rows 10000 50000] [--repeat 3] [--keep DIR]
                                 [--company 20]

``--company N`` adds the company report over N workbooks of each ``--rows`` size (one branch
each), against the sum of bare calamine reads of the same N files, and the same report read in
one process, to show what the worker processes give.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

# bench/common.py: the scripts run from their own folder
from common import as_installed, best, child, machine_speed

TODAY = dt.date(2026, 11, 20)
MONTH = "2026-10"

CHILD_CALAMINE = """
import json, sys, time
t0 = time.perf_counter()
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
cells = sum(len(r) for name in book.sheet_names for r in book.get_sheet_by_name(name).to_python())
print(json.dumps({"total": time.perf_counter() - t0, "cells": cells}))
"""

CHILD_PHASES = """
import datetime as dt, json, sys, time
t0 = time.perf_counter()
from pathlib import Path
import pandas as pd
from addin.core.analysis import analyse_month
from reports.monthly import month_inputs, month_learning, monthly_context, read_actions
from reports.read import read_workbook_fast
from reports.render import environment, render
path, out, month, today = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], \\
    dt.date.fromisoformat(sys.argv[4])
# The steps of reports.monthly.report_from_register, one by one (the package check apart).
t_import = time.perf_counter()
import reports.read
check, spent = reports.read.check_package, {}
def timed_check(file, **kwargs):  # the package check's share of the read
    start = time.perf_counter(); wide = check(file, **kwargs)
    spent["check"] = time.perf_counter() - start; return wide
reports.read.check_package = timed_check
register, sheets, counters = read_workbook_fast(path); t1 = time.perf_counter()
inputs = month_inputs(register, sheets, path.name, today, counters); t2 = time.perf_counter()
period = pd.Period(month, freq="M")
analysis = analyse_month(inputs.cases, period, inputs.calendar, today, inputs.lists,
                         due_soon_days=inputs.due_soon_days); t3 = time.perf_counter()
learning = month_learning(inputs, analysis); t4 = time.perf_counter()
context = monthly_context(analysis, inputs.lists, inputs.lang, mask=inputs.mask,
                          workbook=path.name, actions=read_actions(inputs.actions, period,
                                                                   inputs.lang),
                          learning=learning)
html = render(environment(path), "monthly.html.j2", context); t5 = time.perf_counter()
print(json.dumps({"import": t_import - t0, "read": t1 - t_import,
                  "check": spent["check"], "process": t2 - t1,
                  "analyse": t3 - t2, "learn": t4 - t3, "render": t5 - t4,
                  "total": t5 - t0, "html_kb": len(html.encode()) / 1024}))
"""

# The report as staff run it: the command line, from its first import to the file written.
# Run as the program itself (``main()`` reads the process's arguments), so that it checks its
# workbook beside the read where it may fork; the process that began it says the time, once the
# one that wrote the report has ended.
CHILD_COMMAND = """
import json, os, sys, time
t0 = time.perf_counter()
from addin.cli import main
began = os.getpid()
sys.argv[1:] = ["report", sys.argv[1], "--output", sys.argv[2], "--month", sys.argv[3],
                "--today", sys.argv[4], "--no-pdf"]
status = main()
if os.getpid() == began:
    print(json.dumps({"total": time.perf_counter() - t0, "status": status}))
"""


CHILD_CALAMINE_MANY = """
import json, sys, time
t0 = time.perf_counter()
from python_calamine import CalamineWorkbook
reads = []
for path in sys.argv[1:]:
    t1 = time.perf_counter()
    book = CalamineWorkbook.from_path(path)
    cells = sum(len(r) for name in book.sheet_names
                for r in book.get_sheet_by_name(name).to_python())
    reads.append(time.perf_counter() - t1)
print(json.dumps({"total": time.perf_counter() - t0, "reads": sum(reads)}))
"""

CHILD_COMPANY = """
import datetime as dt, json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from reports.company import write_company_report
out, month, today, workers = Path(sys.argv[1]), sys.argv[2], dt.date.fromisoformat(sys.argv[3]), \\
    int(sys.argv[4])
files = write_company_report([Path(p) for p in sys.argv[5:]], month, None, out, today,
                             pdf=False, workers=workers)
print(json.dumps({"total": time.perf_counter() - t0, "files": [str(f) for f in files]}))
"""


def make_workbook(path: Path, rows: int, seed: int = 7) -> None:
    """A demo register of ``rows`` complaints over 18 months, written in openpyxl's fast mode."""
    from openpyxl import Workbook

    from addin.demo_data import demo_rows

    headers, body = demo_rows(rows, 18, TODAY, "zh-CN", seed=seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("投诉登记")
    ws.append(headers)
    for row in body:
        ws.append(row)
    wb.save(path)


def measure(rows: int, folder: Path, repeat: int) -> None:
    path = folder / f"register-{rows}.xlsx"
    if not path.exists():
        print(f"building {path.name} ...", file=sys.stderr, flush=True)
        make_workbook(path, rows)
    size = path.stat().st_size / 1e6
    args = (str(path), str(folder), MONTH, TODAY.isoformat())
    runs: dict[str, list[dict]] = {"calamine": [], "command": [], "phases": []}
    for _ in range(repeat):  # interleaved, so a slow minute weighs on all three alike
        runs["calamine"].append(child(CHILD_CALAMINE, str(path)))
        runs["command"].append(child(CHILD_COMMAND, *args))
        runs["phases"].append(child(CHILD_PHASES, *args))
    calamine, report, phases = (best(runs[k]) for k in ("calamine", "command", "phases"))
    if report["status"] not in (0, 1):
        sys.exit(f"the report command failed with status {report['status']}")
    budget = 1.3 * calamine["total"] + 0.8
    print(f"\n{rows:,} rows ({size:.1f} MB), month {MONTH}, best of {repeat}")
    print(f"  bare calamine read       {calamine['total']:6.2f} s   "
          f"(each run: {_each(runs['calamine'])})")
    print(f"  complaint-record report  {report['total']:6.2f} s   "
          f"ratio {report['total'] / calamine['total']:.2f} x calamine   "
          f"(each run: {_each(runs['command'])})")
    print(f"  budget 1.3 x + 0.8 s     {budget:6.2f} s   "
          f"{'within' if report['total'] <= budget else 'OVER'} budget")
    print(f"  phases, one after another (no read ahead): total {phases['total']:.2f} s, "
          f"import {phases['import']:.2f} s, read {phases['read']:.2f} s (package "
          f"check {phases['check']:.2f} s), " + ", ".join(
              f"{k} {phases[k]:.2f} s" for k in ("process", "analyse", "learn", "render")))
    print(f"  HTML size {phases['html_kb']:.0f} KB")


def _each(runs: list[dict]) -> str:
    return ", ".join(f"{run['total']:.2f}" for run in runs)


def measure_company(rows: int, books: int, folder: Path, repeat: int) -> None:
    """The company report over ``books`` workbooks of ``rows`` rows against bare reads."""
    paths = []
    for n in range(1, books + 1):
        path = folder / f"branch-{n:02d}-{rows}.xlsx"
        if not path.exists():
            print(f"building {path.name} ...", file=sys.stderr, flush=True)
            make_workbook(path, rows, seed=n)
        paths.append(str(path))
    size = sum(Path(p).stat().st_size for p in paths) / 1e6
    calamine = best([child(CHILD_CALAMINE_MANY, *paths) for _ in range(repeat)])
    runs = {workers: best([child(CHILD_COMPANY, str(folder), MONTH, TODAY.isoformat(),
                                 str(workers), *paths) for _ in range(repeat)])
            for workers in (2, 1)}
    print(f"\ncompany report: {books} workbooks x {rows:,} rows ({size:.1f} MB), month {MONTH}, "
          f"best of {repeat}")
    print(f"  sum of bare calamine reads       {calamine['reads']:6.2f} s")
    for workers, run in runs.items():
        print(f"  company report, {workers} process{'es' if workers > 1 else '  '}   "
              f"{run['total']:6.2f} s   ratio {run['total'] / calamine['reads']:.2f} x the reads")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the generated workbooks in this folder")
    parser.add_argument("--company", type=int, default=0, metavar="N",
                        help="also the company report over N workbooks of each size")
    args = parser.parse_args()
    print(machine_speed(), flush=True)
    print(as_installed(), flush=True)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run_all(args, args.keep)
        return
    with tempfile.TemporaryDirectory() as folder:
        run_all(args, Path(folder))


def run_all(args: argparse.Namespace, folder: Path) -> None:
    for rows in args.rows:
        measure(rows, folder, args.repeat)
        if args.company:
            measure_company(rows, args.company, folder, args.repeat)


if __name__ == "__main__":
    main()
