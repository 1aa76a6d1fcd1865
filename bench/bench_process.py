"""Benchmark: `process` on 10,000- and 50,000-row workbooks against a bare openpyxl load + save.

Each measurement runs in a fresh child process so its peak memory (ru_maxrss) is its own.
Targets: a run that changes the workbook at most 0.35 x the baseline's time and 0.5 x its peak
memory; a second run over its own output (nothing to change: the file is only read) at most
0.20 x the baseline's time. CPU time (both threads of a run: a save deflates on a second one) is
printed too: on a machine busy with other work it says more than the time on the clock.

The batch door pauses Python's cyclic garbage collector for a run (see addin.batch.run); the
bare load + save is also measured with it paused, so that the gain from that alone shows.

The suggester keeps what its model said in a memo (addin.batch.memo): each measured first run
starts with an empty memo, so it trains; the second run finds the memo the first one left, as a
run the next day over labels nobody changed does.

    python bench/bench_process.py [--rows 10000 50000] [--repeat 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

# bench/common.py: the scripts run from their own folder
from common import as_installed, best, child, machine_speed

TODAY = dt.date(2026, 11, 20)

CHILD_BASELINE = """
import gc, json, resource, sys, time
from openpyxl import load_workbook
path, out = sys.argv[1], sys.argv[2]
if sys.argv[3] == "paused":
    gc.disable()
c0 = time.process_time()
t0 = time.perf_counter(); wb = load_workbook(path, keep_vba=path.endswith('.xlsm'))
t1 = time.perf_counter(); wb.save(out); t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "save": t2 - t1, "total": t2 - t0,
                  "cpu": time.process_time() - c0,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CHILD_PROCESS = """
import datetime as dt, json, resource, sys, time
from addin.batch.run import process_file
path, out, today = sys.argv[1], sys.argv[2], dt.date.fromisoformat(sys.argv[3])
c0, t0 = time.process_time(), time.perf_counter()
report = process_file(path, today=today, output=out if out != path else None)
total = time.perf_counter() - t0
print(json.dumps({**report.timings, "total": total, "cpu": time.process_time() - c0,
                  "changed": report.summary.cells_changed,
                  "written": report.changed,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_workbook(path: Path, rows: int) -> None:
    """The demo workbook, written by a child process: Linux keeps a process's peak memory across
    the exec that starts each measuring child, so a parent grown by writing the workbook would
    raise every child's ru_maxrss to its own."""
    child("from addin.demo import write_demo_workbook; import datetime as dt, json, sys; "
          "write_demo_workbook(sys.argv[1], rows=int(sys.argv[2]), lang='zh-CN', "
          "today=dt.date.fromisoformat(sys.argv[3])); print(json.dumps({}))",
          str(path), str(rows), TODAY.isoformat())


def measure(rows: int, folder: Path, repeat: int) -> dict:
    source = folder / f"bench-{rows}.xlsx"
    if not source.exists():
        make_workbook(source, rows)
    size_mb = source.stat().st_size / 1e6
    bases, paused, runs = [], [], []
    for _ in range(repeat):
        bases.append(child(CHILD_BASELINE, str(source), str(folder / "baseline-out.xlsx"), "on"))
        paused.append(child(CHILD_BASELINE, str(source), str(folder / "baseline-out.xlsx"),
                            "paused"))
        work = folder / "work.xlsx"
        shutil.copy(source, work)
        memo = folder / "memo"
        shutil.rmtree(memo, ignore_errors=True)  # the first run trains
        os.environ["COMPLAINT_RECORD_CACHE"] = str(memo)
        runs.append(child(CHILD_PROCESS, str(work), str(folder / "processed.xlsx"),
                          TODAY.isoformat()))
    best_base, best_paused, best_run = best(bases), best(paused), best(runs)
    # The second run works in place, as staff run it: a run with nothing to change must not
    # write the file at all.
    shutil.copy(folder / "processed.xlsx", folder / "again.xlsx")
    again = child(CHILD_PROCESS, str(folder / "again.xlsx"), str(folder / "again.xlsx"),
                  TODAY.isoformat())
    other = best_run["total"] - best_run.get("load", 0) - best_run.get("save", 0)
    return {"rows": rows, "file_mb": round(size_mb, 1), "baseline": best_base,
            "baseline_paused": best_paused, "process": best_run, "second_run": again,
            "time_ratio": best_run["total"] / best_base["total"],
            "time_ratio_paused": best_run["total"] / best_paused["total"],
            "other_share": other / best_run["total"],
            "memory_ratio": best_run["rss_mb"] / best_base["rss_mb"],
            "second_ratio": again["total"] / best_base["total"],
            "second_memory_ratio": again["rss_mb"] / best_base["rss_mb"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the demo workbooks here")
    args = parser.parse_args()
    print(machine_speed(), flush=True)
    print(as_installed(), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for rows in args.rows:
            r = measure(rows, folder, args.repeat)
            b, bp, p = r["baseline"], r["baseline_paused"], r["process"]
            print(f"{rows:>6} rows ({r['file_mb']} MB): baseline load+save {b['total']:.1f} s "
                  f"(load {b['load']:.1f}, save {b['save']:.1f}; CPU {b['cpu']:.1f} s), "
                  f"{b['rss_mb']:.0f} MB peak; "
                  f"with the collector paused {bp['total']:.1f} s (load {bp['load']:.1f}, "
                  f"save {bp['save']:.1f})")
            parts = ", ".join(f"{k} {v:.2f}" for k, v in p.items()
                              if k not in ("total", "rss_mb", "changed", "written"))
            print(f"        process {p['total']:.1f} s ({parts}), {p['rss_mb']:.0f} MB peak, "
                  f"{p['changed']} cells changed")
            print(f"        time {r['time_ratio']:.2f} x baseline (target <= 0.35), CPU time "
                  f"{p['cpu'] / b['cpu']:.2f} x, "
                  f"{r['time_ratio_paused']:.2f} x the baseline with the collector paused; "
                  f"work other than load and save {r['other_share']:.0%} of total; "
                  f"memory {r['memory_ratio']:.2f} x baseline (target <= 0.5)")
            s = r["second_run"]
            parts = ", ".join(f"{k} {v:.2f}" for k, v in s.items()
                              if k not in ("total", "rss_mb", "changed", "written"))
            print(f"        second run on its own output: {s['changed']} cells changed, "
                  f"{'file written' if s['written'] else 'file not written'}, "
                  f"{s['total']:.1f} s ({parts}), {s['rss_mb']:.0f} MB peak; "
                  f"time {r['second_ratio']:.2f} x baseline (target <= 0.20), CPU time "
                  f"{s['cpu'] / b['cpu']:.2f} x, "
                  f"memory {r['second_memory_ratio']:.2f} x")

if __name__ == "__main__":
    main()
