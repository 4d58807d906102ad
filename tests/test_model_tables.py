"""Model tables for papers (etable) and warnings that point at the user's line."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from parstats.errors import DroppedRowsWarning, SmallSampleWarning
from parstats.models import ModelTable, etable, fit_ols


def panel(n_groups: int = 40, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"g": np.repeat(range(n_groups), 5), "t": np.tile(range(5), n_groups)})
    df["x"] = rng.normal(size=len(df))
    df["z"] = rng.normal(size=len(df))
    df["y"] = 0.5 * df["x"] + rng.normal(size=len(df))
    return df


@pytest.fixture(scope="module")
def fits():
    df = panel()
    a = fit_ols(df, "y ~ x", fe=("g", "t"), cluster="g")
    b = fit_ols(df, "y ~ x + z", fe=("t",), cov="hc1")
    return a, b


def test_etable_reads_like_a_paper_table(fits):
    a, b = fits
    table = etable(a, b, names=["FE", "HC1"], labels={"x": "Ambition (pp)", "g": "Province"})
    frame = table.to_frame()
    assert list(frame.columns) == ["FE", "HC1"]
    assert frame.index[0] == "Ambition (pp)" and frame.iloc[0, 0] == f"{a.params['x']:.3f}"
    assert frame.iloc[1, 0] == f"({a.std_errors['x']:.3f})"
    assert frame.loc["z", "FE"] == "" and frame.loc["z", "HC1"] != ""
    assert frame.loc["Observations"].tolist() == ["200", "200"]
    assert frame.loc["Province fixed effects"].tolist() == ["✓", ""]
    assert frame.loc["t fixed effects"].tolist() == ["✓", "✓"]
    assert frame.loc["Clusters"].tolist() == ["g (G=40)", ""]
    assert frame.loc["Covariance", "FE"].startswith("CR1 cluster-robust by g")
    assert frame.loc["Small-sample convention", "FE"] == (
        "CR1 G/(G−1)·(N−1)/(N−K), K=6, fixef_k=nested")
    assert frame.loc["Small-sample convention", "HC1"].startswith("HC1 N/(N−K)")
    assert any(n.startswith("FE: CR1 factor") for n in table.notes)  # the full convention


def test_etable_shows_confidence_intervals_on_request(fits):
    a, _ = fits
    low, high = a.conf_int.loc["x", "conf_low"], a.conf_int.loc["x", "conf_high"]
    frame = etable(a, brackets="ci", digits=2).to_frame()
    assert frame.iloc[1, 0] == f"[{low:.2f}, {high:.2f}]".replace("-", "−")
    with pytest.raises(ValueError, match="brackets must be"):
        etable(a, brackets="p")


def test_etable_exports_markdown_latex_and_html(fits):
    a, b = fits
    table = etable(a, b, labels={"x": "Ambition & 100% <online>"})
    md = table.to_markdown()
    assert md.splitlines()[0] == "| | (1) | (2) |" and md.splitlines()[1] == "|---|---:|---:|"
    tex = table.to_latex()
    assert tex.startswith("\\begin{tabular}{lrr}\n\\toprule")
    assert "Ambition \\& 100\\% <online>" in tex and "\\checkmark{}" in tex
    assert "fixef\\_k" in tex and "R$^2$" in tex
    page = table.to_html()
    assert "Ambition &amp; 100% &lt;online&gt;" in page and "<online>" not in page
    assert isinstance(table, ModelTable) and table._repr_html_() == page


def test_warnings_point_at_the_users_line_not_at_library_code():
    """UX review: DroppedRowsWarning pointed into parstats/models (the developer's path)."""
    df = panel(n_groups=6)
    df.loc[0, "x"] = np.nan
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit_ols(df, "y ~ x", fe=("t",), cluster="g", B=199)  # the line the warnings name
    mine = [w for w in caught if issubclass(w.category, DroppedRowsWarning | SmallSampleWarning)]
    assert mine, [str(w.message) for w in caught]
    assert {w.filename for w in mine} == {__file__}
