"""Benchmark: reading a big register and copying its zip, against the floor of the I/O.

On the demo register (default 50,000 rows), each figure measured in a fresh child process:

- reading the rows below the cut (as the batch door's ``rows_below`` does): openpyxl's streaming
  reader, the expat reader (``addin.batch.sheetxml``), and a bare python-calamine read of the
  whole sheet (the floor: it reads values only, with no formulas, whole numbers or openpyxl's
  date rules);
- copying the workbook's zip: every part inflated and deflated again (what saving through
  zipfile costs), every part copied as its stored bytes (``addin.batch.zipcopy``), and that copy
  with the register's sheet written anew (what a run that changed the register would write).

Times are printed against each other, never asserted: the machine may be busy.

    python bench/bench_floor.py [--rows 50000] [--repeat 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench_process import make_workbook
from common import child  # bench/common.py: the scripts run from their own folder

PRELUDE = """
import hashlib, json, sys, time, zipfile
path, part, title = sys.argv[1], sys.argv[2], sys.argv[3]
first_row, last_col, out = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
def done(started, rows=None):
    found = {"total": time.perf_counter() - started}
    if rows is not None:
        found["rows"] = len(rows)
        found["digest"] = hashlib.sha1(repr(rows).encode()).hexdigest()[:12]
    print(json.dumps(found))
"""

READERS = {
    "openpyxl streaming": """
from openpyxl import load_workbook
t0 = time.perf_counter()
book = load_workbook(path, read_only=True, rich_text=False)
ws = book[title]
ws.reset_dimensions()
rows = [(n, v) for n, v in enumerate(ws.iter_rows(min_row=first_row, min_col=1,
        max_col=last_col, values_only=True), first_row) if any(x is not None for x in v)]
done(t0, rows)
""",
    "expat reader": """
from addin.batch.sheetxml import rows_below
t0 = time.perf_counter()
done(t0, rows_below(path, part, first_row, 1, last_col))
""",
    "python-calamine (floor)": """
from python_calamine import CalamineWorkbook
t0 = time.perf_counter()
values = CalamineWorkbook.from_path(path).get_sheet_by_name(title).to_python()
done(t0)
""",
}

COPIERS = {
    "re-deflate every part": """
t0 = time.perf_counter()
with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
    for info in src.infolist():
        dest.writestr(info, src.read(info), zipfile.ZIP_DEFLATED)
done(t0)
""",
    "stored-bytes copy": """
from addin.batch.zipcopy import copy_archive
t0 = time.perf_counter()
copy_archive(path, out)
done(t0)
""",
    "stored-bytes copy, register deflated anew": """
from addin.batch.zipcopy import copy_archive
t0 = time.perf_counter()
def sheet():
    with zipfile.ZipFile(path) as src, src.open(part) as stream:
        while chunk := stream.read(1 << 20):
            yield chunk
copy_archive(path, out, {part: sheet()})
done(t0)
""",
}


def _register(path: Path, keep_rows: int) -> tuple[str, str, int]:
    """The register's sheet title, its part and the columns a run reads (its width and the
    columns a run may add)."""
    import zipfile

    from openpyxl import load_workbook

    from addin.batch.safety import sheet_parts

    with zipfile.ZipFile(path) as archive:
        title, part = next(iter(sheet_parts(archive).items()))
    book = load_workbook(path, read_only=True)
    try:
        ws = book[title]
        ws.reset_dimensions()  # the file's dimension may not say
        width = max(len(row) for row in ws.iter_rows(max_row=keep_rows, values_only=True))
        return title, part, width + 4
    finally:
        book.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the demo workbook here")
    args = parser.parse_args()
    from addin.batch.stream import KEEP_ROWS

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / f"bench-{args.rows}.xlsx"
        if not source.exists():
            make_workbook(source, args.rows)
        title, part, last_col = _register(source, KEEP_ROWS)
        common = [str(source), part, title, str(KEEP_ROWS + 1), str(last_col),
                  str(folder / "copy.xlsx")]
        print(f"{args.rows} rows, {source.stat().st_size / 1e6:.1f} MB; rows below "
              f"{KEEP_ROWS}, columns 1-{last_col}; each figure {args.repeat} times, in seconds")
        for group in (READERS, COPIERS):
            base = None
            for name, code in group.items():
                runs = [child(PRELUDE + code, *common) for _ in range(args.repeat)]
                times = [r["total"] for r in runs]
                base = base or min(times)
                found = f", {runs[0]['rows']} rows, digest {runs[0]['digest']}" \
                    if "rows" in runs[0] else ""
                print(f"  {name:<42} " + " / ".join(f"{t:6.2f}" for t in times)
                      + f"  ({min(times) / base:.2f} x the first{found})")


if __name__ == "__main__":
    main()
