"""The outputs the golden tests look at: made now by the current code, and as committed."""

from __future__ import annotations

from pathlib import Path

import pytest

from .inputs import FILES, golden_names, produce


@pytest.fixture(scope="session")
def fresh_outputs(tmp_path_factory) -> dict[str, Path]:
    """The doors run once per test session over the fixed inputs: golden name -> file."""
    return produce(tmp_path_factory.mktemp("golden-outputs"))


@pytest.fixture(scope="session")
def golden_files() -> dict[str, Path]:
    return {name: FILES / name for name in golden_names()}


@pytest.fixture(params=["output", "golden"])
def books(request, fresh_outputs, golden_files) -> dict[str, Path]:
    """Each quirk is checked on what the code writes now (a change in behaviour names the
    quirk it breaks) and on the committed golden file (a regeneration cannot lose it)."""
    return fresh_outputs if request.param == "output" else golden_files
