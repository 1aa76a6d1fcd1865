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
    from .workbook import RecordBook

    report = import_csv(Path(args.csv), Path(args.into), mapping=args.mapping,
                        encoding=args.encoding, lang=args.lang, new_book=RecordBook)
    print(report)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from reports.monthly import write_report

    files = write_report(Path(args.workbook), month=args.month, lang=args.lang,
                         output_dir=args.output, today=args.today, pdf=not args.no_pdf)
    for file in files:
        print(file)
    return EXIT_OK


def _summary(args: argparse.Namespace) -> int:
    from reports.summary import write_summaries

    files = write_summaries(Path(args.workbook), case_nos=args.case or (),
                            status=args.status or (), month=args.month, output_dir=args.output,
                            today=args.today, lang=args.lang)
    if not files:
        return _fail("no case matches; check the case numbers, status or month you gave")
    print(f"{len(files) // 2} cases, {len(files)} files in {files[0].parent}")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .workbook.build import DEFAULT_PATH, build_workbook

    print(build_workbook(Path(args.output) if args.output else DEFAULT_PATH, lang=args.lang))
    return EXIT_OK


def _month(text: str) -> str:
    try:
        return str(dt.datetime.strptime(text, "%Y-%m").date())[:7]
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month like 2026-10") from err


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

    p = commands.add_parser("report", help="write the monthly report (HTML, and PDF when "
                            "Chromium is installed) without changing the workbook")
    p.add_argument("workbook", help="a processed .xlsx or .xlsm file")
    p.add_argument("--month", type=_month, help="YYYY-MM (default: the last full month)")
    p.add_argument("--lang", choices=("zh-CN", "en"), help="default: the workbook's language")
    p.add_argument("--output", type=Path, help="folder for the files (default: the workbook's)")
    p.add_argument("--today", type=_date, default=dt.date.today())
    p.add_argument("--no-pdf", action="store_true", help="skip the PDF")
    p.set_defaults(run=_report)

    p = commands.add_parser("summary", help="write a printable card and an email summary per case")
    p.add_argument("workbook", help="a processed .xlsx or .xlsm file")
    p.add_argument("--case", nargs="+", metavar="NO", help="case numbers")
    p.add_argument("--status", nargs="+", help="statuses, in either language")
    p.add_argument("--month", type=_month, help="cases received in YYYY-MM")
    p.add_argument("--lang", choices=("zh-CN", "en"), help="default: the workbook's language")
    p.add_argument("--output", type=Path, help="folder (default: summaries/ beside the workbook)")
    p.add_argument("--today", type=_date, default=dt.date.today())
    p.set_defaults(run=_summary)

    p = commands.add_parser("build-workbook", help="rebuild workbook/ComplaintRecord.xlsm from "
                            "the sources in this repository")
    p.add_argument("--lang", choices=("zh-CN", "en"), default="zh-CN")
    p.add_argument("--output", type=Path, help="default: workbook/ComplaintRecord.xlsm")
    p.set_defaults(run=_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    parser.add_argument("--debug", action="store_true", help="show the full error on failure")
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`): not a failure
        return EXIT_OK
    except (WorkbookRefused, FileNotFoundError, ValueError) as err:
        return _fail(str(err))
    except Exception as err:  # an unexpected failure: say what, keep the trace for --debug
        if args.debug:
            raise
        return _fail(f"unexpected error ({type(err).__name__}: {err}); run again with --debug "
                     "for details")


if __name__ == "__main__":
    sys.exit(main())
