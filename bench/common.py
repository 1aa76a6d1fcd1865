"""What the benchmark scripts share: run a measurement in a fresh child process, keep the best."""

from __future__ import annotations

import json
import subprocess
import sys
import time


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


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["total"])
