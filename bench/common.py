"""What the benchmark scripts share: run a measurement in a fresh child process, keep the best."""

from __future__ import annotations

import compileall
import json
import subprocess
import sys
import time
from pathlib import Path

# The project's packages, as pyproject.toml lists them.
PACKAGES = ("addin", "reports", "udfs")


def child(code: str, *args: str) -> dict:
    """Run ``code`` in a new interpreter (so its peak memory is its own); its last line is JSON."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=False)
    if done.returncode:
        sys.exit(f"benchmark child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine_speed() -> str:
    """How fast this machine runs plain Python right now, for reading the figures after it:
    a virtual machine's speed drifts by half from one hour to the next, and every figure with it."""
    started = time.perf_counter()
    total = 0
    for n in range(20_000_000):
        total += n
    spent = time.perf_counter() - started
    return f"machine: a bare Python loop of 20 million additions took {spent:.2f} s"


def as_installed() -> str:
    """Compile the project's modules to bytecode, as an installed copy has them, and say so.

    pip compiles a package's modules when it installs it, and Python writes the bytecode of an
    editable install at its first import; a shell with PYTHONDONTWRITEBYTECODE set writes none,
    and then every child process compiles the project's modules anew, which no user pays (the
    report's imports took 0.59-0.92 s from source, 0.47-0.63 s from bytecode). The files go to
    ``__pycache__`` folders, which git ignores.
    """
    root = Path(__file__).resolve().parents[1]
    # A list, not a generator: every package is compiled even after one has failed.
    done = all([compileall.compile_dir(root / name, quiet=1) for name in PACKAGES])
    return f"bytecode: the project's modules compiled{'' if done else ' (some failed)'}"


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["total"])
