"""The default rules on real complaints nobody wrote for us.

Hand-labelled: ``fixtures/cn_car_labelled.csv`` holds the first 130 distinct complaints of the
Chinese car-owner file, each read and given a category (and whether it reports a defect) by a
person, not by the rules. The whole files are read from the shared data folder beside the project
(or the folder named by COMPLAINT_RECORD_DATA); the tests that need them skip without it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd
import pytest

from addin.core.classify import DEFAULT_RULES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_classify import car_complaints, categories, cfpb_complaints  # noqa: E402

DATA = Path(os.environ.get("COMPLAINT_RECORD_DATA", ROOT.parent / "shared" / "data"))
LABELLED = pd.read_csv(Path(__file__).parent / "fixtures" / "cn_car_labelled.csv")
needs_data = pytest.mark.skipif(not DATA.is_dir(),
                                reason=f"the shared data folder {DATA} is missing")


def labelled_categories() -> pd.Series:
    frame = pd.DataFrame({"description": LABELLED["desc"], "product": None})
    return pd.Series(categories(frame, DEFAULT_RULES).to_numpy(), index=LABELLED.index)


def test_the_labelled_sample_is_large_distinct_and_uses_the_card_vocabulary():
    assert len(LABELLED) >= 100
    assert LABELLED["id"].is_unique
    assert set(LABELLED["category"]) <= {"Product quality", "Service attitude", "Delivery",
                                         "Price", "Billing", "After-sales", "Other"}
    assert set(LABELLED["is_defect"]) <= {0, 1}


def test_the_rules_agree_with_the_hand_labels():
    found = labelled_categories()
    accuracy = (found == LABELLED["category"]).mean()
    assert accuracy >= 0.9, LABELLED[found != LABELLED["category"]].to_string()


def test_labelled_defects_are_product_quality():
    found = labelled_categories()[LABELLED["is_defect"] == 1]
    assert (found == "Product quality").mean() >= 0.9


@needs_data
@pytest.mark.parametrize("load", [car_complaints, cfpb_complaints], ids=["car", "cfpb"])
def test_at_most_a_tenth_of_real_complaints_are_left_as_other(load):
    found = categories(load(DATA), DEFAULT_RULES)
    assert (found == "Other").mean() <= 0.10
