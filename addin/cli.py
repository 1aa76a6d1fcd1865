"""The command line: a thin skin over the library that turns its refusals into one-line messages.

Exit status: 0 done and no errors in the data; 1 done, but the data has errors (see the Findings
sheet); 2 a file was refused or could not be processed (nothing was written to it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from . import __version__
from .batch.safety import WorkbookRefused

EXIT_OK, EXIT_FINDINGS, EXIT_REFUSED = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-22") from err


def _process(args: argparse.Namespace) -> int:
    from .batch.run import process_file

    if args.output and len(args.workbooks) > 1:
        return _fail("--output takes one workbook; give one file or leave --output out")
    results, worst = [], EXIT_OK
    for n, path in enumerate(args.workbooks, 1):
        if len(args.workbooks) > 1 and not args.json:
            print(f"[{n}/{len(args.workbooks)}] {path}", file=sys.stderr, flush=True)
        try:
            report = process_file(Path(path), today=args.today, output=args.output,
                                  allow_loss=args.allow_loss)
        except WorkbookRefused as err:
            results.append({"workbook": str(path), "status": "refused", "message": str(err)})
            worst = EXIT_REFUSED
            if not args.json:
                print(f"complaint-record: {err}", file=sys.stderr)
            continue
        results.append(report.as_dict())
        if report.summary.errors and worst == EXIT_OK:
            worst = EXIT_FINDINGS
        if not args.json:
            print(report.describe())
    if args.json:
        print(json.dumps({"version": __version__, "results": results}, ensure_ascii=False,
                         indent=2, default=str))
    return worst


def _demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(Path(args.folder), rows=args.rows, lang=args.lang, today=args.today)


def _import(args: argparse.Namespace) -> int:
    from .batch.imports import import_csv

    report = import_csv(Path(args.csv), Path(args.into), mapping=args.mapping,
                        encoding=args.encoding, lang=args.lang)
    print(report)
    return EXIT_OK


def _fail(message: str) -> int:
    print(f"complaint-record: {message}", file=sys.stderr)
    return EXIT_REFUSED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="complaint-record",
        description="The customer complaint record card (客户投诉记录卡): check, number, classify "
                    "and track complaints in Excel workbooks.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("process", help="check, number, classify and colour complaint "
                            "workbooks (writes them in place, keeping a backup)")
    p.add_argument("workbooks", nargs="+", metavar="WORKBOOK", help=".xlsx or .xlsm files")
    p.add_argument("--today", type=_date, default=dt.date.today(),
                   help="the date deadlines are measured against (default: today)")
    p.add_argument("--output", type=Path, help="write the result here instead of in place")
    p.add_argument("--allow-loss", action="store_true",
                   help="save even when parts of the workbook would be lost (they are listed)")
    p.add_argument("--json", action="store_true", help="print a JSON summary for scripts")
    p.set_defaults(run=_process)

    p = commands.add_parser("demo", help="write a realistic example workbook and process it")
    p.add_argument("folder", nargs="?", default="demo", help="where to write it (default: demo)")
    p.add_argument("--rows", type=int, default=3000, help="complaints to generate (default 3000)")
    p.add_argument("--lang", choices=("zh-CN", "en"), default="zh-CN")
    p.add_argument("--today", type=_date, default=dt.date.today())
    p.set_defaults(run=_demo)

    p = commands.add_parser("import", help="append complaints from a CSV file to a workbook")
    p.add_argument("csv", help="the CSV file")
    p.add_argument("--into", required=True, help="the workbook (created when it does not exist)")
    p.add_argument("--mapping", default="cfpb",
                   help="a built-in preset (cfpb) or a JSON mapping file (default: cfpb)")
    p.add_argument("--encoding", help="the CSV's encoding, e.g. gb18030 (default: detected)")
    p.add_argument("--lang", choices=("zh-CN", "en"), default="en",
                   help="language of a newly created workbook (default: en)")
    p.set_defaults(run=_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    parser.add_argument("--debug", action="store_true", help="show the full error on failure")
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (WorkbookRefused, FileNotFoundError, ValueError) as err:
        return _fail(str(err))
    except Exception as err:  # an unexpected failure: say what, keep the trace for --debug
        if args.debug:
            raise
        return _fail(f"unexpected error ({type(err).__name__}: {err}); run again with --debug "
                     "for details")


if __name__ == "__main__":
    sys.exit(main())
