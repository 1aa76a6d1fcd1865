"""Benchmark: how the default classification rules do on real complaints nobody wrote for us.

Prints, for the Chinese car-owner complaints and for the US CFPB extract in the shared data
folder, the share of complaints the rules leave as Other and the share per category, for the
rules of a baseline (a git revision, ``main`` unless told) and for the rules in this checkout.
Targets (issue: default rules that generalise): Other at most 10 % on both files.

It also prints the coverage of the tags (share of complaints with a Problem class and with a
Part, ``addin/core/tags.py``) and, with ``--suggest-rows N``, the time the suggester takes on a
register of N rows (default 50,000) whose labels are the hand-labelled car complaints, repeated
with varied wording, plus its held-out accuracy on the hand-labelled sample alone.

CFPB rows are classified as an import gives them: the narrative, or the Issue / Sub-issue when
there is none, as the complaint, and Product / Sub-product as the product
(``addin/mappings/cfpb.json``).

    python bench/bench_classify.py [--data ../shared/data] [--baseline main] [--suggest-rows N]

The data folder may also be named by the environment variable COMPLAINT_RECORD_DATA.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin.core.classify import DEFAULT_FIELDS, DEFAULT_RULES, Rule, classify  # noqa: E402
from addin.core.fields import BY_KEY  # noqa: E402
from addin.core.register import Register  # noqa: E402
from addin.core.tags import tag  # noqa: E402
from addin.importer import load_mapping, map_rows, read_csv  # noqa: E402

CATEGORIES = ("Product quality", "Service attitude", "Delivery", "Price", "Billing",
              "After-sales", "Other")


def car_complaints(folder: Path) -> pd.DataFrame:
    """One row per complaint (the export repeats some), the complaint text as the description."""
    source = pd.read_csv(folder / "cn_car_complaints_2020-08.csv", encoding="utf-8-sig")
    source = source.drop_duplicates("id")
    return pd.DataFrame({"description": source["desc"].str.strip(), "product": None})


def cfpb_complaints(folder: Path) -> pd.DataFrame:
    mapped = map_rows(read_csv(folder / "cfpb_complaints_sample.csv"), load_mapping("cfpb"), "en")
    return mapped[["description", "product"]]


def register_of(frame: pd.DataFrame) -> Register:
    headers = [BY_KEY[key].en for key in frame.columns]
    return Register.from_values("Complaints", 1, 1, headers, frame.values.tolist())


def categories(frame: pd.DataFrame, rules: tuple[Rule, ...] | list[Rule]) -> pd.Series:
    """The category the rules give each complaint of ``frame`` (columns: card field keys)."""
    register = register_of(frame)
    result = classify(register, pd.DataFrame(index=register.rows.index), list(rules))
    return result.values["category"]


def baseline_rules(revision: str) -> tuple[Rule, ...] | None:
    """The default rules as they are at a git revision (plain data, read from git)."""
    shown = subprocess.run(["git", "show", f"{revision}:addin/core/default_rules.py"], cwd=ROOT,
                           capture_output=True, text=True, check=False)
    if shown.returncode:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "baseline_rules.py"
        path.write_text(shown.stdout, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("baseline_rules", path)
        module = importlib.util.module_from_spec(spec)
        module.__package__ = "addin.core"  # its relative imports name the core's modules
        spec.loader.exec_module(module)
    return tuple(Rule(rule_id, DEFAULT_FIELDS, match, tuple(patterns), dict(sets))
                 for rule_id, match, patterns, sets, *_ in module.RULES)


def shares(found: pd.Series) -> dict[str, float]:
    counts = found.value_counts()
    return {name: 100 * counts.get(name, 0) / len(found) for name in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get(
        "COMPLAINT_RECORD_DATA", ROOT.parent / "shared" / "data")),
                        help="folder of the shared data (or set COMPLAINT_RECORD_DATA)")
    parser.add_argument("--baseline", default="main", help="git revision of the rules to beat")
    parser.add_argument("--suggest-rows", type=int, default=0, metavar="N",
                        help="time the suggester on a register of N rows (e.g. 50000)")
    args = parser.parse_args()
    before = baseline_rules(args.baseline)
    if before is None:
        print(f"(no baseline: git has no rules at {args.baseline!r})")
    sources = (("Chinese car complaints", car_complaints), ("CFPB extract", cfpb_complaints))
    for name, load in sources:
        frame = load(args.data)
        print(f"\n{name}: {len(frame)} complaints; share per category, %")
        print(f"  {'category':<18}" + (f"{'before':>9}" if before else "") + f"{'after':>9}")
        old = shares(categories(frame, before)) if before else None
        new = shares(categories(frame, DEFAULT_RULES))
        for category in CATEGORIES:
            line = f"  {category:<18}"
            if old:
                line += f"{old[category]:>9.1f}"
            print(line + f"{new[category]:>9.1f}")
        tags = tag(register_of(frame))
        print(f"  tags: Problem class on {100 * tags['problem'].notna().mean():.1f} %, "
              f"Part on {100 * tags['part'].notna().mean():.1f} % of the complaints")
    if args.suggest_rows:
        from bench_suggest import suggester_figures

        suggester_figures(ROOT / "tests" / "fixtures" / "cn_car_labelled.csv", args.suggest_rows)


if __name__ == "__main__":
    main()
