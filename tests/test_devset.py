"""The extractor on the hand-annotated development set: a floor that catches regressions.

The figures per label are printed by ``python tests/devset.py``.
"""

from __future__ import annotations

import pytest
from devset import load_items, report, score_items


@pytest.mark.slow
def test_devset_precision_and_recall_floor(processor):
    score = score_items(processor, load_items())
    print(report(score))
    assert score.precision() >= 0.9
    assert score.recall() >= 0.58
