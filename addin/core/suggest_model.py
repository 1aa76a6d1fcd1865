"""The suggester's model: character n-grams weighted by tf-idf, and a logistic regression.

It is scikit-learn's ``TfidfVectorizer`` followed by ``LogisticRegression``, with one saving: a
register repeats its complaint texts (the same wording, typed again and again), and cutting a
text into n-grams and counting them, in Python, is most of what training costs. Each distinct
text of a call (the training texts, the held-out ones, those asked about) is counted once and
the rows of its repeats are copies of its row, so every matrix the regression sees, and every
probability it gives, is the very one the plain pipeline gives (the tests compare them).

scikit-learn is imported by ``NgramModel`` itself, so a module importing this one does not load it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# The model's settings; the suggester's memo key names them too.
SETTINGS: dict[str, dict[str, Any]] = {
    "tfidf": {"analyzer": "char_wb", "ngram_range": (1, 3), "sublinear_tf": True,
              "max_features": 200_000},
    "regression": {"C": 10.0, "max_iter": 1000},
}


def plain_model():
    """The pipeline ``NgramModel`` gives the same answers as, counting every text anew."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(**SETTINGS["tfidf"]),
                         LogisticRegression(**SETTINGS["regression"]))


class NgramModel:
    """``fit`` texts and labels, then ``predict_proba`` of texts over ``classes_``."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
        from sklearn.linear_model import LogisticRegression

        settings = dict(SETTINGS["tfidf"])
        self._limit = settings["max_features"]
        # What TfidfVectorizer is made of: the counts (as floats, as it counts), then the weights.
        self._counter = CountVectorizer(analyzer=settings["analyzer"],
                                        ngram_range=settings["ngram_range"],
                                        max_features=self._limit, dtype=np.float64)
        self._weights = TfidfTransformer(sublinear_tf=settings["sublinear_tf"])
        self._plain = None  # the plain pipeline, when the shortcut cannot be taken
        self._regression = LogisticRegression(**SETTINGS["regression"])
        self.classes_: np.ndarray = np.array([], dtype=object)

    def fit(self, texts: list[str], labels: list[str]) -> NgramModel:
        distinct, rows = _distinct(texts)
        counts = self._counter.fit_transform(distinct)
        if len(self._counter.vocabulary_) >= self._limit:
            # The vocabulary may have been cut to the most frequent n-grams, and counted once
            # per distinct text the frequencies differ: count every text, as the plain model.
            self._plain = plain_model().fit(texts, labels)
            self.classes_ = self._plain.classes_
            return self
        weighted = self._weights.fit_transform(counts[rows])
        self._regression.fit(weighted, labels)
        self.classes_ = self._regression.classes_
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        if self._plain is not None:
            return self._plain.predict_proba(texts)
        distinct, rows = _distinct(texts)
        counts = self._counter.transform(distinct)[rows]
        return self._regression.predict_proba(self._weights.transform(counts, copy=False))


def _distinct(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """The distinct texts in order of first appearance, and each text's position among them."""
    positions: dict[str, int] = {}
    rows = np.fromiter((positions.setdefault(t, len(positions)) for t in texts), dtype=np.intp,
                       count=len(texts))
    return list(positions), rows
