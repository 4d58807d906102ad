"""National benchmarks: a national document of the corpus without a stated period."""

from __future__ import annotations

import pandas as pd

from parstats.ambition import national_benchmark


def test_a_national_programme_without_a_period_is_named_not_a_crash() -> None:
    # A decree read with --all-kinds sets a 2026 target but states no plan period.
    bench = pd.DataFrame(
        {
            "programme_id": ["12_2025_nd_cp"], "indicator": ["online_processing_rate"],
            "level": ["all"], "unit": ["percent"], "direction": ["attain"],
            "period_start": pd.array([None], dtype="Int64"),
            "period_end": pd.array([None], dtype="Int64"),
            "precedence": pd.array([0], dtype="Int64"), "year": pd.array([2026], dtype="Int64"),
            "commitment": pd.array([50.0], dtype="Float64"), "_order": [1],
        }
    )  # fmt: skip
    match = national_benchmark("online_processing_rate", "all", "percent", "attain", 2025, bench)
    assert match.value is None
    assert match.reason == (
        "no national target for online_processing_rate (all) in force in 2025; "
        "national programmes: 12_2025_nd_cp (period not stated)"
    )
