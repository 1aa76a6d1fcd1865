"""Benchmark: `process --jobs 1` against `--jobs 2` over many demo workbooks (a night's batch).

Each timing is the whole command, as cron runs it (`python -m addin.cli process ... --jobs N`),
on fresh copies of the same workbooks: a second run over a processed file changes nothing, so it
would measure nothing. The workbooks are copies of the demo register that bench_process.py
writes (make_workbook). Target: --jobs 2 at least 1.7 x the
throughput of --jobs 1 on two cores.

The ratio needs cores to spare. Where other programs keep the machine busy, Linux shares the CPU
between sessions (sched_autogroup), so a second worker gets no more CPU than the first had alone;
the "running at once" figure (the workbooks' own run times summed, over the wall time) still
shows whether the workers ran side by side.

    python bench/bench_jobs.py [--books 20] [--rows 5000] [--jobs 1 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_process import TODAY, make_workbook  # bench/: the scripts run from their own folder
from common import as_installed, machine_speed  # bench/common.py

ROOT = Path(__file__).resolve().parents[1]


def fresh_copies(original: Path, books: int, folder: Path) -> list[Path]:
    """``books`` copies of the demo workbook, as the branches' registers, in an empty folder."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return [Path(shutil.copy(original, folder / f"branch-{n:02}.xlsx"))
            for n in range(1, books + 1)]


def timed_run(workbooks: list[Path], jobs: int) -> tuple[float, float]:
    """The command's wall time, and the sum of its workbooks' own run times (from --json)."""
    started = time.perf_counter()
    # The suggester's memo off: the copies share their labels, which real branches do not, and
    # the first copy's training would spare the others theirs (addin.batch.memo).
    done = subprocess.run([sys.executable, "-m", "addin.cli", "process", *map(str, workbooks),
                           "--today", TODAY.isoformat(), "--jobs", str(jobs), "--json"],
                          cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, "COMPLAINT_RECORD_CACHE": "off"})
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: the demo plants rows with errors, as real data has
        sys.exit(f"process --jobs {jobs} failed ({done.returncode}):\n{done.stderr}")
    results = json.loads(done.stdout)["results"]
    return seconds, sum(sum(r["seconds"].values()) for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=20)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the demo workbooks here")
    args = parser.parse_args()
    print(machine_speed(), flush=True)
    print(as_installed(), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        original = folder / f"bench-{args.rows}.xlsx"
        if not original.exists():
            make_workbook(original, args.rows)
        cores = getattr(os, "process_cpu_count", os.cpu_count)()
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{args.books} workbooks x {args.rows:,} rows, {cores} cores, "
              f"load average {load} before the runs")
        seconds = {}
        for jobs in args.jobs:
            workbooks = fresh_copies(original, args.books, folder / "run")
            seconds[jobs], busy = timed_run(workbooks, jobs)
            rate = args.books / seconds[jobs]
            # Runs overlapping: their times summed over the wall time. Near --jobs when the
            # workers truly run side by side, even where a busy machine gives them little CPU.
            print(f"  --jobs {jobs}: {seconds[jobs]:6.1f} s, {rate:.2f} workbooks/s, "
                  f"{rate * args.rows:,.0f} rows/s; workbooks' own times {busy:.1f} s, "
                  f"{busy / seconds[jobs]:.2f} running at once on average")
        first = args.jobs[0]
        for jobs in args.jobs[1:]:
            print(f"  --jobs {jobs} against --jobs {first}: {seconds[first] / seconds[jobs]:.2f} x "
                  "the throughput (target >= 1.7 x on 2 cores)")


if __name__ == "__main__":
    main()
