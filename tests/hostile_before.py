"""Run the hostile corpus against the code before the fixes, test by test, and count per class.

    git worktree add --detach ../before c31962f
    python tests/hostile_before.py ../before > before.tsv      # from this worktree's root
    git worktree remove --force ../before

The corpus (tests/hostile.py and tests/test_hostile_*.py) is copied into the old worktree, and
the few names it imports that the old code lacks are given by a small module written beside it
(``old_names``): the limits' values so that the cases can be built, no case-number format check
(the old code accepted every format) and the CSV import without ``new_book`` (the old import made
a missing workbook itself). Each test then runs in a process of its own with 4 GB of address
space and 150 seconds, so a test that exhausts memory or never ends on the old code fails alone.
The output is one line per test (outcome, seconds, test id, why), then the table per class.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
MEMORY, SECONDS = 4 << 30, 150

OLD_NAMES = '''"""Names the hostile corpus imports that the code before the fixes lacks."""
from types import SimpleNamespace

from addin.batch import imports

package_limits = SimpleNamespace(MAX_PART_BYTES=256 << 20, MAX_PARTS=10_000,
                                 MAX_CELLS=3_000_000)
MAX_NAME = 80
RecordBook = None


def check_case_format(case_format):
    """The old code checked no case-number format: every format was accepted."""


def import_csv(csv, into, *args, new_book=None, **kwargs):
    return imports.import_csv(csv, into, *args, **kwargs)
'''
# (import as the corpus writes it, as the old code can have it); indentation is kept.
ADAPTED = [
    ("from addin.package import limits as package_limits",
     "from old_names import package_limits"),
    ("from addin.batch.safety import WorkbookRefused, saving",
     "from addin.batch import safety as saving\n{indent}from addin.batch.safety import "
     "WorkbookRefused"),
    ("from addin.core.casenumbers import assign_case_numbers, check_case_format",
     "from addin.core.casenumbers import assign_case_numbers\n{indent}from old_names import "
     "check_case_format"),
    ("from addin.batch.imports import import_csv", "from old_names import import_csv"),
    ("from addin.workbook import RecordBook", "from old_names import RecordBook"),
    ("from reports.summary import MAX_NAME, safe_name",
     "from old_names import MAX_NAME\n{indent}from reports.summary import safe_name"),
]

BOMBS = r"bomb-declared|bomb-ratio|too-many-parts|too-many-cells|merge-everything"
DAMAGED = (r"not-a-zip|empty-file|truncated(-tail)?|checksum|lying-size|doctype-\w+|encrypted|"
           r"legacy-xls")
# The classes, by the test's id; the first that matches wins.
CLASSES = [
    ("Unbounded work", rf"\[({BOMBS})\]|bomb_is_refused|inflated_part|reads_every_part|"
                       r"reaching_far|far_cell_on_a_sheet|far_settings_cell|"
                       r"case_number_format_too|huge_row|bounded_or_refused|backtracks"),
    ("Backups", r"disk_without_room|during_the_backup|backup_that_differs|each_stage"),
    ("Silent changes", r"reaches_the_core_unchecked|csv_text|symbolic_link|run_lock|"
                       r"open_in_excel_by_its_real_name|test_hostile_text"),
    ("Crashes", r"merged_cells|zip_noise|with_a_group|gives?_findings_not|dates_never"),
    ("Messages", rf"\[({DAMAGED})\]|password|os_error|output_folder|name_too_long|"
                 r"missing_input"),
    ("File names", r"file_names|long_case_number|stops_only_itself"),
]
# Failures that say the test could not be built on the old code (a name it patches is missing).
NOT_RUN = ("ImportError", "AttributeError: module", "namespace(")


def copy_corpus(old: Path) -> list[Path]:
    tests = old / "tests"
    files = [HERE / "hostile.py", *sorted(HERE.glob("test_hostile_*.py"))]
    for source in files:
        text = source.read_text(encoding="utf-8")
        for new, adapted in ADAPTED:
            text = re.sub(rf"^( *){re.escape(new)}$",
                          lambda m, a=adapted: m.group(1) + a.format(indent=m.group(1)),
                          text, flags=re.MULTILINE)
        (tests / source.name).write_text(text, encoding="utf-8")
    (tests / "old_names.py").write_text(OLD_NAMES, encoding="utf-8")
    return [tests / f.name for f in files if f.name.startswith("test_")]


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def pytest(old: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0",
                           "-q", *args], cwd=old, capture_output=True, text=True, **kwargs)


def run_each(old: Path, files: list[Path]) -> list[tuple[str, str, str]]:
    listed = pytest(old, "--collect-only", *map(str, files)).stdout.splitlines()
    results = []
    for test in (line for line in listed if "::" in line):
        started = time.time()
        try:
            run = pytest(old, "--tb=line", test, timeout=SECONDS, preexec_fn=_limited)
            outcome = "pass" if run.returncode == 0 else "FAIL"
            lines = [line for line in run.stdout.splitlines() if line.strip()]
            why = "" if outcome == "pass" else " | ".join(
                [line for line in lines if "Error" in line or "assert" in line][-1:]
                or lines[-2:])
        except subprocess.TimeoutExpired:
            outcome, why = "FAIL", f"still running after {SECONDS} s"
        print(f"{outcome}\t{time.time() - started:.0f}\t{test}\t{why[:300]}", flush=True)
        results.append((outcome, test, why))
    return results


def table(results: list[tuple[str, str, str]]) -> None:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    notes = []
    for outcome, test, why in results:
        cls = next((c for c, p in CLASSES if re.search(p, test)), "unclassed")
        kind = "pass" if outcome == "pass" else \
            "not run" if any(w in why for w in NOT_RUN) else "fail"
        counts[cls][kind] += 1
        counts[cls]["all"] += 1
        if kind != "fail":
            notes.append(f"{kind}\t{cls}\t{test}\t{why[:160]}")
    print("\n| class | tests | fail on the old code | pass on the old code | cannot run there |")
    print("| --- | ---: | ---: | ---: | ---: |")
    total: dict[str, int] = defaultdict(int)
    for cls in [c for c, _ in CLASSES] + ["unclassed"]:
        if cls in counts:
            c = counts[cls]
            print(f"| {cls} | {c['all']} | {c['fail']} | {c['pass']} | {c['not run']} |")
            for kind in ("all", "fail", "pass", "not run"):
                total[kind] += c[kind]
    print(f"| all | {total['all']} | {total['fail']} | {total['pass']} | {total['not run']} |")
    print("", *notes, sep="\n")


def main(old: str) -> None:
    old_root = Path(old).resolve()
    if not (old_root / "addin").is_dir():
        sys.exit(f"{old_root} is not a worktree of the project")
    files = copy_corpus(old_root)
    try:
        table(run_each(old_root, files))
    finally:
        for name in ["hostile.py", "old_names.py", *(f.name for f in files)]:
            (old_root / "tests" / name).unlink(missing_ok=True)
        shutil.rmtree(old_root / "tests" / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1])
