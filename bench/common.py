"""What both benchmark scripts share: run a measurement in a fresh child process, keep the best."""

from __future__ import annotations

import json
import subprocess
import sys


def child(code: str, *args: str) -> dict:
    """Run ``code`` in a new interpreter (so its peak memory is its own); its last line is JSON."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=False)
    if done.returncode:
        sys.exit(f"benchmark child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["total"])
