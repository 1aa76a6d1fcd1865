"""Many workbooks in one command: each run in a worker process, the results back in input order.

A worker is a whole Python with pandas and openpyxl loaded (about a second to import, and a few
hundred MB while it holds a big register: some 300 MB at 50,000 rows), so there is at most one per
core and each takes workbook after workbook. Where the platform can, workers are forked from a
server process that has imported the batch door once (``forkserver``); elsewhere they start
fresh (``spawn``). Either way the entry point is a plain function of this module, never of the
command line's ``__main__``.

Inputs that name the same file, twice or through a link, go to one worker one after the other
(a "chain"), so two runs never hold the same workbook at once and the answers are those of a
run one file at a time: the second run finds nothing to change.

Whatever stops one workbook (a refusal, a file the system will not let us use, a bug) is
returned as that workbook's problem, in a form that crosses between processes; the others go on.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from addin.core.errors import Refusal
from addin.core.text import Text

from .safety import WorkbookRefused

if TYPE_CHECKING:  # the command line imports this module to name a bug: no pandas for that
    from .run import RunReport

# Imported once by the fork server, so each worker starts with pandas and openpyxl loaded.
PRELOAD = ["addin.batch.run"]


@dataclass(frozen=True)
class Options:
    """What every workbook's run is given (the command's options)."""

    today: dt.date
    output: Path | None = None
    allow_loss: bool = False
    debug: bool = False


class Crashed(Exception):
    """A bug stopped one workbook's run. Holds the error and its trace as text, so that it crosses
    from a worker intact whatever the original exception was."""

    def __init__(self, error: str, trace: str = "") -> None:
        super().__init__(error, trace)
        self.error, self.trace = error, trace

    def __str__(self) -> str:
        return self.error


class WorkerLost(Crashed):
    """The worker process died (killed, or out of memory) before it returned this workbook."""


@dataclass
class Done:
    """One workbook's result: its report, or the problem that stopped it (a ``Refusal``, an
    ``OSError`` or a ``Crashed``)."""

    index: int
    path: str
    report: RunReport | None = None
    problem: Exception | None = None


def process_in_order(paths: Sequence[str], options: Options, jobs: int,
                     starting: Callable[[int, str], None] = lambda index, path: None,
                     ) -> Iterator[Done]:
    """Process ``paths``, ``jobs`` at a time, yielding each result once it and all before it are
    done. With one job (or one file) everything runs in this process, as it always has.

    ``starting(index, path)`` is called before a workbook's run here, or before its result is
    yielded when it ran in a worker: either way, just before its result.
    """
    chains = same_file_chains(paths)
    if jobs <= 1 or len(chains) <= 1:
        for index, path in enumerate(paths):
            starting(index, path)
            yield run_one(index, path, options)
        return
    pool = _pool(min(jobs, len(chains)), options.debug)
    try:
        futures = {pool.submit(run_chain, chain, options): chain for chain in chains}
        ready: dict[int, Done] = {}
        next_index = 0
        for future in as_completed(futures):
            ready.update((done.index, done) for done in _chain_results(future, futures[future]))
            while next_index in ready:
                starting(next_index, paths[next_index])
                yield ready.pop(next_index)
                next_index += 1
    finally:
        # Also when the reader stops early (Ctrl+C): workbooks not started are not started.
        pool.shutdown(wait=True, cancel_futures=True)


def same_file_chains(paths: Sequence[str]) -> list[list[tuple[int, str]]]:
    """The inputs grouped by the file they name (links and repeats together), in input order."""
    chains: dict[object, list[tuple[int, str]]] = {}
    for index, path in enumerate(paths):
        chains.setdefault(_identity(path), []).append((index, path))
    return list(chains.values())


def _identity(path: str) -> object:
    try:
        found = os.stat(path)  # follows links; a hard link has the same inode
    except OSError:  # missing or unreadable: its run will say so; name it by its real path
        return os.path.normcase(os.path.realpath(path))
    return (found.st_dev, found.st_ino)


def run_chain(chain: list[tuple[int, str]], options: Options) -> list[Done]:
    """The workers' entry point: the runs of one file, one after the other."""
    return [run_one(index, path, options) for index, path in chain]


def run_one(index: int, path: str, options: Options) -> Done:
    """One workbook's run, whatever stops it turned into a ``Done`` that can cross processes."""
    from . import run  # looked up on each call, so a test can stand in for process_file

    try:
        report = run.process_file(Path(path), today=options.today, output=options.output,
                                  allow_loss=options.allow_loss)
    except Refusal as err:
        return Done(index, path, problem=Refusal(err.said, status=err.status))
    except WorkbookRefused as err:
        return Done(index, path, problem=Refusal(Text(err.message, err.message_zh)))
    except OSError as err:  # the command line tells "not allowed" (staff's to fix) from a bug
        # Rebuilt from its parts, so a library's own subclass crosses processes too; the errno
        # gives back PermissionError and its kin.
        kind = PermissionError if isinstance(err, PermissionError) else OSError
        return Done(index, path, problem=kind(err.errno, err.strerror, err.filename))
    except Exception as err:  # noqa: BLE001 - a bug in one workbook does not stop the others
        trace = "".join(traceback.format_exception(err))
        return Done(index, path, problem=Crashed(_one_line(err), trace))
    return Done(index, path, report=report)


def _chain_results(future: Future, chain: list[tuple[int, str]]) -> list[Done]:
    try:
        return future.result()
    except Exception as err:  # noqa: BLE001 - the worker itself died: say so for its workbooks
        return [Done(index, path, problem=WorkerLost(_one_line(err))) for index, path in chain]


def _one_line(err: BaseException) -> str:
    return " ".join(f"{type(err).__name__}: {err}".split())


def _pool(workers: int, debug: bool) -> ProcessPoolExecutor:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
    else:  # Windows, and macOS where forking a process that loaded system frameworks is unsafe
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(debug,))


def _start_worker(debug: bool) -> None:
    """Each worker hides library warnings as the command does (shown with --debug) and loads the
    batch door before its first workbook."""
    warnings.simplefilter("default" if debug else "ignore")
    from . import run  # noqa: F401 - imported now, not while the first workbook waits
