"""Benchmark helper: the suggester's accuracy on the hand-labelled car complaints and its time on
a big register (run through ``bench/bench_classify.py --suggest-rows N``)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from addin.core import suggest
from addin.core.classify import DEFAULT_RULES, classify
from addin.core.register import Register
from addin.core.tags import tag


def suggester_figures(labelled_csv: Path, rows: int) -> None:
    if not suggest.learning_available():
        print("\nsuggester: scikit-learn is not installed (pip install complaint-record[learn])")
        return
    sample = pd.read_csv(labelled_csv, encoding="utf-8-sig")
    texts, labels = sample["desc"].str.strip().tolist(), sample["category"].tolist()
    kept = pd.Series(labels).map(pd.Series(labels).value_counts()) >= suggest.MIN_PER_CLASS
    _, quality = suggest._learn([t for t, k in zip(texts, kept, strict=True) if k],
                                [c for c, k in zip(labels, kept, strict=True) if k])
    print(f"\nsuggester on the {len(sample)} hand-labelled car complaints "
          f"({kept.sum()} in categories with at least {suggest.MIN_PER_CLASS}): "
          f"{quality.describe('en')}")
    register, received = big_register(texts, labels, rows)
    index = register.rows.index
    clock = time.perf_counter()
    # The categories staff typed, as the checks give them to the classification.
    typed = pd.DataFrame({"category": register.col("category")}, index=index)
    classes = classify(register, typed, list(DEFAULT_RULES))
    rules_time = time.perf_counter() - clock
    clock, cpu = time.perf_counter(), time.process_time()
    found = suggest.suggest(register, classes.values, classes.filled, list(DEFAULT_RULES),
                            received)
    suggest_time, suggest_cpu = time.perf_counter() - clock, time.process_time() - cpu
    clock = time.perf_counter()
    tag(register)
    tag_time = time.perf_counter() - clock
    print(f"{rows:,} rows ({found.quality.labels:,} labelled by staff, "
          f"{found.quality.trained + found.quality.tested:,} used): rules {rules_time:.1f} s, "
          f"suggester {suggest_time:.1f} s, {suggest_cpu:.1f} s of CPU "
          f"({found.category.notna().sum():,} suggestions), "
          f"tags {tag_time:.1f} s")


def big_register(texts: list[str], labels: list[str], rows: int
                 ) -> tuple[Register, pd.Series]:
    """``rows`` complaints made of the sample's texts with a varying tail (a date and a number),
    the first 60 % carrying the sample's category as staff typed it, the rest left as Other by
    the catch-all rule (as a run leaves the complaints no rule names): all of them to suggest
    for, the worst case."""
    rng = np.random.default_rng(0)
    pick = rng.integers(0, len(texts), rows)
    body = [[f"{texts[i]} {n % 28 + 1}日 {n}号"]
            + ([labels[i], None] if n < rows * 0.6 else ["Other", "default"])
            for n, i in enumerate(pick)]
    register = Register.from_values("Complaints", 1, 1, ["Complaint", "Category", "Rule"], body)
    received = pd.Series(pd.date_range("2024-01-01", periods=rows, freq="15min"),
                         index=register.rows.index)
    return register, received
