"""The layering contract of docs/CONTRACTS.md (``[tool.importlinter]`` in pyproject.toml) holds:
a door importing another door, or the core importing a door, fails the suite."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")
BROKEN_IMPORT = re.compile(r"^-\s+([\w.]+) -> ([\w.]+)", re.MULTILINE)

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed")


def lint(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache"], cwd=where, capture_output=True, text=True,
                          timeout=300)


def broken_imports(result: subprocess.CompletedProcess) -> set[tuple[str, str]]:
    return set(BROKEN_IMPORT.findall(result.stdout))


def test_the_layers_hold():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert not broken_imports(result)


@pytest.mark.parametrize("module, bad_import, reported", [
    ("udfs/complaint_udfs.py", "import addin.xl.read", ("udfs.complaint_udfs", "addin.xl.read")),
    ("addin/core/fields.py", "import addin.layout.sheets",
     ("addin.core.fields", "addin.layout.sheets")),
    ("addin/workbook/styles.py", "import addin.batch.sheets",
     ("addin.workbook.styles", "addin.batch.sheets")),
    ("reports/read.py", "import openpyxl", ("reports.read", "openpyxl")),
])
def test_a_forbidden_import_breaks_the_contract(tmp_path, module, bad_import, reported):
    """The contract is no dead letter: the same project with one bad import fails it, by name."""
    for part in ("addin", "reports", "udfs"):
        shutil.copytree(ROOT / part, tmp_path / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.xlsm", "templates"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{bad_import}  # noqa\n",
                      encoding="utf-8")
    result = lint(tmp_path)
    assert result.returncode != 0
    assert reported in broken_imports(result), result.stdout[-3000:]
