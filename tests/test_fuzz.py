"""Property-based tests (hypothesis): readers refuse bad input with one line, round trips keep everything.

The suite runs a few hundred examples in all; ``python bench/fuzz.py`` runs the same targets
(tests/fuzzing.py) with tens of thousands and reports crashes and distinct messages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).parent))
from fuzzing import TARGETS, run_target  # noqa: E402

sys.path.remove(str(Path(__file__).parent))

#: Examples per target in the suite (8 targets).
EXAMPLES = 40

#: Targets that still crash on some inputs (strict xfail until issue 14's fixes land).
NOT_YET: set[str] = set()


def _make(name: str):
    strategy = TARGETS[name][1]

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
    @given(strategy)
    def check(value):
        run_target(name, value)

    return check


@pytest.mark.parametrize("name", [pytest.param(n, marks=[pytest.mark.xfail(strict=True, reason="issue 14")]
                                               if n in NOT_YET else []) for n in TARGETS])
def test_a_reader_refuses_with_one_line_or_accepts(name):
    _make(name)()
