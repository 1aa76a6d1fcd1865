"""The command line: a thin skin over the library that turns its refusals into one-line messages.

It speaks the language of the file it was given (guessed from the workbook's register headers or
sheet names, or from the CSV file's header) unless ``--lang en|zh-CN`` comes before or after the
command; a command's own ``--lang`` (report, summary, import, demo, build-workbook) says what
language it writes in, and the messages follow it. With no file to go by, the system's locale
(LC_ALL, LC_MESSAGES, LANG) decides.

Exit status: 0 done and no errors in the data; 1 done, but the data has errors (see the Findings
sheet); 2 a file was refused or a command was wrong (nothing was written to it); 3 a bug in
ComplaintRecord stopped the command (``--debug`` shows the trace); 130 stopped with Ctrl+C.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import os
import sys
import traceback
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from .core.errors import EXIT_BUG, EXIT_FINDINGS, EXIT_OK, EXIT_REFUSED, Refusal
from .core.text import Lang, Text

if TYPE_CHECKING:
    from .batch.jobs import Done

__all__ = ["EXIT_BUG", "EXIT_FINDINGS", "EXIT_OK", "EXIT_REFUSED", "build_parser", "main"]

PROG = "complaint-record"
# Every sentence the command line itself says, in both languages.
SAYS: dict[str, Text] = {
    "no_such_file": Text("{path}: no such file. Check the name and the folder, then run again.",
                         "{path}：文件不存在。请检查文件名和所在文件夹后重新运行。"),
    "bad_date": Text("--{option} {value!r} is not a date. Write it as year-month-day, e.g. "
                     "2026-11-22.",
                     "--{option} 的值“{value}”不是日期。请按“年-月-日”填写，例如 2026-11-22。"),
    "bad_month": Text("--month {value!r} is not a month. Write it as year-month, e.g. 2026-10.",
                      "--month 的值“{value}”不是月份。请按“年-月”填写，例如 2026-10。"),
    "one_output": Text("--output takes one workbook, but {count} were given. Give one workbook, "
                       "or leave --output out to write each in place.",
                       "--output 只能对应一个工作簿，但给出了 {count} 个。请只给一个工作簿，"
                       "或去掉 --output 以原地写入每个工作簿。"),
    "not_xlsm": Text("--output {path}: the workbook carries macros, so its name must end in "
                     ".xlsm. Give a name ending in .xlsm.",
                     "--output {path}：工作簿带有宏，文件名必须以 .xlsm 结尾。"
                     "请换用以 .xlsm 结尾的名称。"),
    "no_workbooks": Text("{folder}: no .xlsx or .xlsm workbook in this folder. Name the "
                         "workbooks, or a folder that holds them.",
                         "{folder}：该文件夹中没有 .xlsx 或 .xlsm 工作簿。"
                         "请给出工作簿，或包含工作簿的文件夹。"),
    "summaries": Text("{cases} cases, {files} files in {folder}",
                      "{cases} 个案件，共 {files} 个文件，位于 {folder}"),
    "cannot_use_file": Text("{path}: cannot be read or written ({reason}). Check that it exists, "
                            "that you may write to its folder and that no other program holds "
                            "it, then run again.",
                            "{path}：无法读取或写入（{reason}）。请确认文件存在、您有权写入其所在文件夹、"
                            "且没有其他程序占用该文件，然后重新运行。"),
    "bad_jobs": Text("--jobs {value!r} is not a number of workbooks to process at once. Give a "
                     "whole number from 1 up, e.g. --jobs 2, or leave it out to use every core.",
                     "--jobs 的值“{value}”不是同时处理的工作簿数。请填写不小于 1 的整数，"
                     "例如 --jobs 2，或去掉该选项以使用全部处理器核心。"),
    "worker_lost": Text("the process working on {files} stopped before it finished ({error}); "
                        "perhaps the computer ran out of memory. The workbook is either as it "
                        "was or fully processed. Run `{command}` on it again with fewer "
                        "workbooks at once, e.g. --jobs 1.",
                        "处理 {files} 的进程在完成前中止（{error}），可能是计算机内存不足。该工作簿"
                        "要么保持原样，要么已完整处理。请以更少的并行数（例如 --jobs 1）对它重新"
                        "运行 `{command}`。"),
    "bug": Text("a bug in ComplaintRecord stopped `{command}` on {files} ({error}). This is not "
                "a mistake in your file or command. Run the same command with --debug to see the "
                "full trace, and send it with the file to whoever looks after ComplaintRecord.",
                "ComplaintRecord 程序出错，`{command}` 未能处理 {files}（{error}）。这不是您的文件"
                "或命令有误。请加上 --debug 重新运行同一命令以查看完整的错误信息，并将其连同文件"
                "发给负责 ComplaintRecord 的同事。"),
}
NO_FILE = Text("(no file)", "（无文件）")
EXIT_STOPPED = 130  # as a shell reports a command stopped by Ctrl+C (128 + SIGINT)
STOPPED = Text("stopped with Ctrl+C. A workbook is saved whole or not at all: each one is either "
               "as it was or fully processed, and a report not yet written was not written. Run "
               "the command again to finish.",
               "已按 Ctrl+C 停止。工作簿要么完整保存，要么完全不保存：每个工作簿要么保持原样，"
               "要么已完整处理；尚未写出的报表没有写出。请重新运行该命令以完成。")


# --------------------------------------------------------------------------- the commands

def _process(args: argparse.Namespace) -> int:
    from .batch.jobs import Options, process_in_order

    if args.output and len(args.workbooks) > 1:
        raise Refusal(SAYS["one_output"].format(count=len(args.workbooks)))
    options = Options(_date(args.today, "today"), args.output, args.allow_loss, args.debug)
    jobs, total = _jobs(args.jobs), len(args.workbooks)
    results, worst = [], EXIT_OK

    def starting(index: int, path: str) -> None:
        if total > 1 and not args.json:
            print(f"[{index + 1}/{total}] {path}", file=sys.stderr, flush=True)

    for done in process_in_order(args.workbooks, options, jobs, starting):
        args.at = done.path  # the file a message names
        status, result = _workbook_result(args, done)
        results.append(result)
        worst = max(worst, status)  # 0 ok < 1 findings < 2 refused < 3 bug
    if args.json:
        from . import __version__

        print(json.dumps({"version": __version__, "results": results}, ensure_ascii=False,
                         indent=2, default=str))
    return worst


def _workbook_result(args: argparse.Namespace, done: Done) -> tuple[int, dict]:
    """One workbook's exit status and JSON entry; says its line unless --json."""
    if done.report is not None:
        if not args.json:
            print(done.report.describe(getattr(args, "ui_lang", None)), flush=True)
        return (EXIT_FINDINGS if done.report.summary.errors else EXIT_OK), done.report.as_dict()
    status, message = _explain(args, done.problem)
    if not args.json:
        _say(message)
    kind = "bug" if status == EXIT_BUG else "refused"
    return status, {"workbook": str(done.path), "status": kind, "message": message}


def _demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(Path(args.folder), rows=args.rows, lang=args.lang or Lang.ZH,
                    today=_date(args.today, "today"))


def _import(args: argparse.Namespace) -> int:
    from .batch.imports import import_csv
    from .workbook import RecordBook

    _must_exist(args.csv)
    report = import_csv(Path(args.csv), Path(args.into), mapping=args.mapping,
                        encoding=args.encoding, lang=args.lang or Lang.EN, new_book=RecordBook)
    print(report.describe(getattr(args, "ui_lang", None)))
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from reports.readahead import check_beside, end_child, ends_alone, reading_ahead

    from .core.collector import collector_paused

    month, today = _month(args.month), _date(args.today, "today")
    if args.own_process:  # the file is checked in a parent process beside its read
        status = check_beside(args.workbooks)
        if status is not None:
            return status  # the parent: the child wrote the report and said so
        args.finish = end_child  # the child, if one: it ends once it has said its last word
    # One workbook is read in a thread while the report's modules load (see reports.readahead).
    with reading_ahead(args.workbooks), collector_paused(resume=not ends_alone()):
        from reports.company import write_company_report

        paths, stem = _report_books(args.workbooks)
        files = write_company_report(paths, month=month, lang=args.lang,
                                     output_dir=args.output, today=today, pdf=not args.no_pdf,
                                     stem=stem)
    for file in files:
        print(file)
    return EXIT_OK


def _report_books(given: list[str]) -> tuple[list[Path], str]:
    """The workbooks a report covers: those named, or those in the one folder named (then the
    company report is named after the folder)."""
    from reports.read import workbooks_in

    for path in given:
        _must_exist(path)
    if len(given) == 1 and Path(given[0]).is_dir():
        folder = Path(given[0])
        found = workbooks_in(folder)
        if not found:
            raise Refusal(SAYS["no_workbooks"].format(folder=folder))
        return found, folder.resolve().name or "company"
    return [Path(p) for p in given], "company"


def _summary(args: argparse.Namespace) -> int:
    from reports.summary import NO_CASE_SELECTED, NoCaseMatched, write_summaries

    month, today = _month(args.month), _date(args.today, "today")
    _must_exist(args.workbook)
    files = write_summaries(Path(args.workbook), case_nos=args.case or (),
                            status=args.status or (), month=month, output_dir=args.output,
                            today=today, lang=args.lang)
    if not files:
        raise NoCaseMatched(NO_CASE_SELECTED, Path(args.workbook).name)
    print(SAYS["summaries"].format(cases=len(files) // 2, files=len(files),
                                   folder=files[0].parent).in_(_speaking(args)))
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .workbook.build import DEFAULT_PATH, build_workbook

    target = Path(args.output) if args.output else DEFAULT_PATH
    if target.suffix.lower() != ".xlsm":
        raise Refusal(SAYS["not_xlsm"].format(path=target))
    print(build_workbook(target, lang=args.lang or Lang.ZH))
    return EXIT_OK


# --------------------------------------------------------------------------- options staff type

def _date(text: str | None, option: str) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as err:
        raise Refusal(SAYS["bad_date"].format(option=option, value=text)) from err


def _month(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").strftime("%Y-%m")
    except ValueError as err:
        raise Refusal(SAYS["bad_month"].format(value=text)) from err


def _jobs(text: str | None) -> int:
    """--jobs N: how many workbooks at once (default: one per core this process may use)."""
    if text is None:
        cores = getattr(os, "process_cpu_count", os.cpu_count)()  # Python 3.13 has the former
        return cores or 1
    try:
        jobs = int(text.strip())
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise Refusal(SAYS["bad_jobs"].format(value=text))
    return jobs


def _must_exist(path: str | Path) -> None:
    if not Path(path).exists():
        raise Refusal(SAYS["no_such_file"].format(path=path))


# --------------------------------------------------------------------------- language and output

def _files(args: argparse.Namespace) -> list[str]:
    """The files the command was given, the one being worked on first."""
    named = [getattr(args, "at", None), *getattr(args, "workbooks", ()),
             getattr(args, "workbook", None), getattr(args, "csv", None),
             getattr(args, "into", None)]
    return list(dict.fromkeys(str(f) for f in named if f))


def _speaking(args: argparse.Namespace, path: str | Path | None = None) -> Lang:
    """The language to answer in: --lang, else the command's own --lang, else the file's."""
    from .batch.language import file_lang

    chosen = getattr(args, "ui_lang", None) or getattr(args, "lang", None)
    if chosen:
        return Lang.of(chosen)
    for file in [path] if path else _files(args):
        guessed = file_lang(file)
        if guessed:
            return guessed
    return Lang.of(os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES")
                   or os.environ.get("LANG"))


def _say(line: str) -> None:
    print(f"{PROG}: {' '.join(line.split())}", file=sys.stderr)


def _explain(args: argparse.Namespace, err: Exception) -> tuple[int, str]:
    """The exit status and the one line staff read for what stopped a command (or one of its
    workbooks, ``args.at``)."""
    if isinstance(err, Refusal):  # the doors' refusals too (WorkbookRefused, ReportRefused)
        return getattr(err, "status", EXIT_REFUSED), err.text(_speaking(args))
    if isinstance(err, OSError) and _not_allowed(err):
        where = err.filename or ", ".join(_files(args)[:1]) or NO_FILE
        said = SAYS["cannot_use_file"].format(path=where, reason=err.strerror or err)
        return EXIT_REFUSED, said.in_(_speaking(args))
    return EXIT_BUG, _bug(args, err)


def _bug(args: argparse.Namespace, err: Exception) -> str:
    """One line that says it is our bug, not the user's mistake; the trace only with --debug."""
    from .batch.jobs import Crashed, WorkerLost

    if args.debug and isinstance(err, Crashed):  # a bug in a worker brings its trace as text
        sys.stderr.write(err.trace)
    elif args.debug:
        traceback.print_exception(err)
    try:
        lang = _speaking(args)
    except Exception:  # noqa: BLE001 - the bug report itself must get out, in English at worst
        lang = Lang.EN
    error = " ".join(f"{type(err).__name__}: {err}".split())[:200]
    if isinstance(err, Crashed):
        error = err.error[:200]
    files = ", ".join(_files(args)[:1]) or NO_FILE
    said = SAYS["worker_lost" if isinstance(err, WorkerLost) else "bug"]
    return said.format(command=args.command, files=files, error=error).in_(lang)


# --------------------------------------------------------------------------- the parser

class _Version(argparse.Action):
    """``--version``: the installed version, looked up only when it is asked for."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str = "show the version and exit"
                 ) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from . import __version__

        print(f"{parser.prog} {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="The customer complaint record card (客户投诉记录卡): check, number, classify "
                    "and track complaints in Excel workbooks.")
    parser.add_argument("--version", action=_Version)
    _global_options(parser, None)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(commands, "process", "check, number, classify and colour complaint workbooks "
                 "(writes them in place, keeping a backup)", _process, own_lang=False)
    p.add_argument("workbooks", nargs="+", metavar="WORKBOOK", help=".xlsx or .xlsm files")
    p.add_argument("--today", help="the date deadlines are measured against (default: today)")
    p.add_argument("--output", type=Path, help="write the result here instead of in place")
    p.add_argument("--allow-loss", action="store_true",
                   help="save even when parts of the workbook would be lost (they are listed)")
    p.add_argument("--json", action="store_true", help="print a JSON summary for scripts")
    p.add_argument("--jobs", metavar="N", help="workbooks processed at once, each in its own "
                   "process (default: one per core; --jobs 1 processes them one by one)")

    p = _command(commands, "demo", "write a realistic example workbook and process it", _demo)
    p.add_argument("folder", nargs="?", default="demo", help="where to write it (default: demo)")
    p.add_argument("--rows", type=int, default=3000, help="complaints to generate (default 3000)")
    p.add_argument("--lang", choices=("zh-CN", "en"), help="the workbook's language (default "
                   "zh-CN)")
    p.add_argument("--today", help="YYYY-MM-DD (default: today)")

    p = _command(commands, "import", "append complaints from a CSV file to a workbook", _import)
    p.add_argument("csv", help="the CSV file")
    p.add_argument("--into", required=True, help="the workbook (created when it does not exist)")
    p.add_argument("--mapping", default="cfpb",
                   help="a built-in preset (cfpb) or a JSON mapping file (default: cfpb)")
    p.add_argument("--encoding", help="the CSV's encoding, e.g. gb18030 (default: detected)")
    p.add_argument("--lang", choices=("zh-CN", "en"),
                   help="language of a newly created workbook (default: en)")

    p = _command(commands, "report", "write the monthly report (HTML, and PDF when Chromium is "
                 "installed) without changing the workbook", _report)
    p.add_argument("workbooks", nargs="+", metavar="WORKBOOK",
                   help="a processed .xlsx or .xlsm file; several (or one folder of them): one "
                   "company report with the branches side by side")
    p.add_argument("--month", help="YYYY-MM (default: the last full month)")
    p.add_argument("--lang", choices=("zh-CN", "en"), help="default: the workbook's language")
    p.add_argument("--output", type=Path, help="folder for the files (default: the workbook's)")
    p.add_argument("--today", help="YYYY-MM-DD (default: today)")
    p.add_argument("--no-pdf", action="store_true", help="skip the PDF")

    p = _command(commands, "summary", "write a printable card and an email summary per case",
                 _summary)
    p.add_argument("workbook", help="a processed .xlsx or .xlsm file")
    p.add_argument("--case", nargs="+", metavar="NO", help="case numbers")
    p.add_argument("--status", nargs="+", help="statuses, in either language")
    p.add_argument("--month", help="cases received in YYYY-MM")
    p.add_argument("--lang", choices=("zh-CN", "en"), help="default: the workbook's language")
    p.add_argument("--output", type=Path, help="folder (default: summaries/ beside the workbook)")
    p.add_argument("--today", help="YYYY-MM-DD (default: today)")

    p = _command(commands, "build-workbook", "rebuild workbook/ComplaintRecord.xlsm from the "
                 "sources in this repository", _build)
    p.add_argument("--lang", choices=("zh-CN", "en"), help="the workbook's language (default "
                   "zh-CN)")
    p.add_argument("--output", type=Path, help="default: workbook/ComplaintRecord.xlsm")
    return parser


def _command(commands: argparse._SubParsersAction, name: str, summary: str, run,
             own_lang: bool = True) -> argparse.ArgumentParser:
    p = commands.add_parser(name, help=summary)
    # The global options may also follow the command; SUPPRESS keeps a value given before it.
    _global_options(p, argparse.SUPPRESS, lang=not own_lang)
    p.set_defaults(run=run)
    return p


def _global_options(parser: argparse.ArgumentParser, default: object,
                    lang: bool = True) -> None:
    parser.add_argument("--debug", action="store_true", default=default or False,
                        help="show the full trace and Python's warnings on an unexpected error")
    if lang:
        parser.add_argument("--lang", dest="ui_lang", choices=("zh-CN", "en"), default=default,
                            help="the language of the messages (default: the file's)")


def _warning_to_terminal(message, category, filename, lineno, file=None, line=None) -> None:
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _not_allowed(err: OSError) -> bool:
    """The system would not let us use a file or folder: no permission, a full or read-only
    disk. Staff (or whoever runs the server) can fix that; any other OSError is our bug."""
    return isinstance(err, PermissionError) or err.errno in {errno.ENOSPC, errno.EROFS,
                                                             errno.EDQUOT}


def main(argv: list[str] | None = None) -> int:
    """Run the command ``argv`` (the process's own arguments when None: then this is the
    program itself, the console script or ``python -m addin.cli``, and the report may fork)."""
    args = build_parser().parse_args(argv)
    args.own_process = argv is None
    with warnings.catch_warnings():
        # Library warnings (openpyxl's about parts it does not read, pandas' ...) are for us,
        # not for staff: they show with --debug only.
        warnings.simplefilter("default" if args.debug else "ignore")
        if args.debug:
            warnings.showwarning = _warning_to_terminal
        try:
            status = args.run(args)
        except BrokenPipeError:  # the reader of our output went away (`| head`): not a failure
            status = EXIT_OK
        except Exception as err:  # a refusal is the user's to fix; anything else is our bug
            status, message = _explain(args, err)
            _say(message)
        except KeyboardInterrupt:  # staff stopped it: said in a line, not a trace
            status = EXIT_STOPPED
            _say(STOPPED.in_(_speaking(args)))
    if hasattr(args, "finish"):  # set by a command run as the program itself
        args.finish(status)
    return status


if __name__ == "__main__":
    sys.exit(main())
