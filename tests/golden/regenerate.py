"""Rewrite the golden files from the current code: ``python -m tests.golden.regenerate``.

Runs the same doors over the same fixed inputs as the tests, prints what changed in each golden
file (the same part-by-part diff a failing test shows) and replaces only the files whose
canonical form changed, so a file whose only differences are volatile (save time, run time)
stays as it was. ``--check`` prints the differences and changes nothing (exit status 1 when a
golden file is out of date).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from .canon import compare
from .inputs import FILES, produce


def regenerate(check: bool = False, out=sys.stdout) -> int:
    """Bring the golden files up to date (or only report, with ``check``); the number stale."""
    FILES.mkdir(exist_ok=True)
    stale = 0
    with tempfile.TemporaryDirectory() as folder:
        made = produce(Path(folder))
        for name, fresh in made.items():
            golden = FILES / name
            if not golden.exists():
                found = [f"{name}: new golden file"]
            else:
                found = compare(golden, fresh)
            if not found:
                print(f"{name}: unchanged", file=out)
                continue
            stale += 1
            print("\n\n".join(found), file=out)
            if not check:
                shutil.copyfile(fresh, golden)
                print(f"{name}: rewritten", file=out)
    for extra in sorted(set(p.name for p in FILES.iterdir()) - set(made)):
        print(f"{extra}: no longer produced; delete it if that is intended", file=out)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.golden.regenerate",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="show the differences, change nothing; exit 1 when any")
    args = parser.parse_args(argv)
    stale = regenerate(check=args.check)
    if args.check:
        return 1 if stale else 0
    print(f"{stale} golden file(s) rewritten: review `git diff --stat tests/golden/files` "
          "and the diffs above before committing.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
