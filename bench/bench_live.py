"""Benchmark: the live door's Python time for the Run all button on a big register.

The button runs against the recording stand-in for xlwings that the tests use (tests/
xl_standin.py), over the demo workbook (bench_process.make_workbook) as staff would have it open
in Excel before the first press: every number, class and deadline still to write. Loading the
file into the stand-in is not timed (Excel has the workbook open already).

The stand-in hands over a new object for every cell it is asked for, as Excel does through COM
(two cells holding the same text are two strings, not openpyxl's one shared string).

The stand-in's own cells, a million Python objects that in Excel live outside Python, are no work
of the door's: the cycle collector is off around the press, the collection it would then meet is
timed apart, and the door's Python counts the share of it that walks the door's own objects.
Every module the press uses, scikit-learn's included, is loaded before it, as in Excel after the
first press of a session; the time scikit-learn takes to load is printed apart.

Time is split by the door's steps (read, process, plan, write, and what is left: the status bar
and selecting the first error). Inside read and write, the stand-in's own work (turning openpyxl
cells into the values xlwings would hand over, and back, and finding a sheet's used range) stands
for Excel's side of each call; it is printed apart, and the door's Python time is the rest.
Target: under 3 s of the door's Python at 50,000 rows, with as many calls to Excel as at 10 rows.

    python bench/bench_live.py [--rows 10000 50000] [--repeat N] [--keep DIR] [--profile N]
        [--memo DIR]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench_process import TODAY, make_workbook  # bench/: the scripts run from their own folder
from common import as_installed, machine_speed  # bench/common.py

ROOT = Path(__file__).resolve().parents[1]
# This checkout's code (not an installed copy) and the tests' stand-in for xlwings.
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
import xl_standin  # noqa: E402 - the tests' stand-in for xlwings, found through the line above

import addin.core.pipeline  # noqa: E402
from addin.xl import macros  # noqa: E402

STEPS = {"read": (macros, "read_workbook"), "process": (addin.core.pipeline, "process"),
         "plan": (macros, "plan_writes"), "write": (macros, "apply_writes")}


class Clock:
    """Seconds spent in each step, and in the stand-in (Excel's side) within it."""

    def __init__(self) -> None:
        self.steps: dict[str, float] = defaultdict(float)
        self.excel: dict[str, float] = defaultdict(float)
        self.step = "other"

    def time_step(self, name: str, function):
        def timed(*args, **kwargs):
            outer, self.step = self.step, name
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.steps[name] += time.perf_counter() - started
                self.step = outer
        return timed

    def time_excel(self, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.excel[self.step] += time.perf_counter() - started
        return timed


def instrumented(clock: Clock) -> None:
    """Wrap the door's steps and the stand-in's data-moving operations with the clock."""
    for name, (module, attribute) in STEPS.items():
        setattr(module, attribute, clock.time_step(name, getattr(module, attribute)))
    value = xl_standin.StandinRange.value
    xl_standin.StandinRange.value = property(clock.time_excel(value.fget),
                                             clock.time_excel(value.fset))
    # A used range and its address are Excel's to work out (the stand-in goes through every
    # cell of the sheet for them), not the door's.
    used = xl_standin.StandinSheet.used_range
    xl_standin.StandinSheet.used_range = property(clock.time_excel(used.fget))
    address = xl_standin.StandinRange.address
    xl_standin.StandinRange.address = property(clock.time_excel(address.fget))
    fmt = xl_standin.StandinRange.number_format
    xl_standin.StandinRange.number_format = property(fmt.fget, clock.time_excel(fmt.fset))
    for cls in (xl_standin.StandinRange, xl_standin.StandinSheet):
        cls.clear_contents = clock.time_excel(cls.clear_contents)


def load_learning() -> float:
    """Import the suggester's scikit-learn modules, untimed: the press finds them loaded, as in
    Excel after the first press of a session (the Python behind the buttons keeps running),
    like pandas and the add-in's own modules. Returns the seconds the import took."""
    started = time.perf_counter()
    from addin.core.suggest import learning_available

    if learning_available():
        import sklearn.feature_extraction.text  # noqa: F401 - what suggest_model uses
        import sklearn.linear_model  # noqa: F401
    return time.perf_counter() - started


def press_run_all(book: xl_standin.StandinBook, clock: Clock, profile: int) -> dict:
    # The stand-in's million cell objects live in this process; in Excel they live in Excel's.
    # The collector is off around the press (the press leaves it as its caller had it), so the
    # collection that would follow it, walking them, is timed apart (``collection_after``).
    gc.collect()
    gc.disable()
    clock.steps.clear()
    clock.excel.clear()
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = macros.run_button(book, "run_all", today=TODAY)
    if profiler:
        profiler.disable()
    total = time.perf_counter() - started
    collected, ours, tracked = collection_after()
    gc.enable()
    if not result.ok:
        sys.exit(f"Run all failed: {result.message}")
    if profiler:
        # The door's and the core's own functions, costliest first (the stand-in left out).
        pstats.Stats(profiler).sort_stats("tottime").print_stats(r"addin[/\\]", profile)
    return {"total": total, "calls": book.log.count,
            "lookups": len(book.log.lookups), "cells": result.plan.cells_changed,
            "collected": collected, "ours": ours, "tracked": tracked}


def collection_after() -> tuple[float, int, int]:
    """The cycle collection the press would meet when it ends, its seconds, and how many of
    the objects it walks are not the stand-in's (openpyxl's cells and styles, and the pairs of
    numbers openpyxl files its cells under)."""
    tracked = gc.get_objects()
    theirs = sum(str(type(o).__module__).startswith("openpyxl") or _cell_key(o) for o in tracked)
    ours, count = len(tracked) - theirs, len(tracked)
    del tracked
    started = time.perf_counter()
    gc.collect()
    return time.perf_counter() - started, ours, count


def _cell_key(value: object) -> bool:
    return type(value) is tuple and len(value) == 2 and type(value[0]) is type(value[1]) is int


def report(rows: int, run: dict, clock: Clock) -> float:
    """Print one press's figures; returns the door's Python time."""
    excel = sum(clock.excel.values())
    # The collection after the press, shared out by the objects it walks: the door's part.
    collected = run["collected"] * run["ours"] / max(run["tracked"], 1)
    door = run["total"] - excel + collected
    target = "within" if door < 3 else "over"
    print(f"{rows:>6} rows: the door's Python {door:.2f} s ({target} the 3 s target); "
          f"with the stand-in's side {run['total']:.2f} s; {run['calls']} calls, "
          f"{run['lookups']} lookups, {run['cells']:,} cells changed")
    print(f"        the collection after the press: {run['collected']:.2f} s over "
          f"{run['tracked']:,} objects, {run['ours']:,} of them the door's: {collected:.2f} s "
          "counted in the door's Python")
    other = run["total"] - sum(clock.steps.values())
    steps = [*((name, clock.steps[name]) for name in STEPS), ("other", other)]
    print("        " + ", ".join(
        f"{name} {seconds - clock.excel[name]:.2f}"
        + (f" (+ stand-in {clock.excel[name]:.2f})" if clock.excel[name] >= 0.005 else "")
        for name, seconds in steps))
    return door


def presses(path: Path, rows: int, clock: Clock, args: argparse.Namespace, tmp: str) -> None:
    """``--repeat`` presses of Run all on the workbook at ``path``, each from the workbook as
    it was loaded (the stand-in's checkpoint puts its cells back, untimed), then the spread."""
    loaded = time.perf_counter()
    book = xl_standin.StandinBook(path)
    print(f"{rows:>6} rows: loading the file into the stand-in, not timed: "
          f"{time.perf_counter() - loaded:.1f} s", flush=True)
    restore = book.checkpoint() if args.repeat > 1 else None
    doors = []
    for press in range(args.repeat):
        if press:
            restore()
        # An empty memo for the suggester (addin.memo): the press trains its model,
        # as the first press on a register no run has seen does (--memo: a kept one).
        os.environ["COMPLAINT_RECORD_CACHE"] = str(args.memo) if args.memo else \
            tempfile.mkdtemp(dir=tmp)
        doors.append(report(rows, press_run_all(book, clock, args.profile), clock))
    if len(doors) > 1:
        ordered = sorted(doors)
        print(f"{rows:>6} rows, {len(doors)} presses: the door's Python min {ordered[0]:.2f} s, "
              f"median {ordered[len(ordered) // 2]:.2f} s, max {ordered[-1]:.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the demo workbooks here")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the N costliest functions of each press (cProfile)")
    parser.add_argument("--memo", type=Path, help="keep the suggester's memo here (a second "
                        "run then finds the models the first trained) instead of an empty one")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="press N times at each size, each from the workbook as loaded, "
                        "and print the spread (one press moves by a third from run to run)")
    args = parser.parse_args()
    print(machine_speed(), flush=True)
    print(as_installed(), flush=True)
    print(f"scikit-learn loaded before the presses, not timed: {load_learning():.2f} s",
          flush=True)
    clock = Clock()
    instrumented(clock)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for rows in args.rows:
            path = folder / f"bench-{rows}.xlsx"
            if not path.exists():
                make_workbook(path, rows)
            presses(path, rows, clock, args, tmp)


if __name__ == "__main__":
    main()
