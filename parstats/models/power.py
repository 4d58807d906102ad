r"""How many provinces' plans are needed to detect an effect of ambition: power by simulation.

The outcome's noise is taken from the panel itself (e.g. every province's change
in PCI rank over a plan-length window, :func:`panel_changes`), not from a normal
model. For ``n`` plans and an effect :math:`\delta` (outcome units per standard
deviation of ambition), each simulation draws

.. math:: y_i = e_i + \delta z_i, \qquad e_i \sim \hat F_{\text{panel}}, \quad
          z_i = (x_i - \bar x_{\text{ref}})/s_{\text{ref}},

with :math:`x_i` resampled from observed ambition scores (or standard normal), and
tests the slope of ``y`` on ``z`` by the OLS *t*-test with :math:`n-2` df at level
:math:`\alpha`. Power is the share of rejections; the minimal detectable effect
(MDE) is the smallest :math:`\delta` whose power reaches the target (linear
interpolation on the grid). The same draws are used for every :math:`\delta`
(common random numbers), so power curves are smooth and monotone in practice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from parstats.errors import ModelError


@dataclass(frozen=True, eq=False)
class PowerResult:
    """Simulated power of the slope test, and the minimal detectable effect per sample size.

    Attributes
    ----------
    table
        Columns ``n_plans, effect, power``.
    mde
        Series indexed by ``n_plans``: smallest effect with power ≥ ``target_power``
        (``inf`` when none on the grid).
    mde_sd
        ``mde`` in standard deviations of the outcome.
    alpha, target_power, n_sim, seed
        Settings.
    outcome_sd, n_outcome
        Standard deviation and count of the outcome values simulated from.
    """

    table: pd.DataFrame
    mde: pd.Series
    mde_sd: pd.Series
    alpha: float
    target_power: float
    n_sim: int
    seed: int
    outcome_sd: float
    n_outcome: int

    def plans_needed(self) -> int | None:
        """Smallest ``n_plans`` on the grid whose MDE is finite, or ``None``."""
        finite = self.mde[np.isfinite(self.mde)]
        return int(finite.index.min()) if len(finite) else None


def panel_changes(panel: pd.DataFrame, span: int) -> pd.Series:
    """Return every change ``value[t + span] - value[t]`` in a province × year panel.

    Parameters
    ----------
    panel
        Wide frame: provinces as rows, integer years as columns.
    span
        Years between the two observations (a plan's length, e.g. 5).

    Returns
    -------
    pandas.Series
        One value per (province, start year) with both years observed, indexed by both.
    """
    if span < 1:
        raise ModelError(f"span must be at least one year; got {span}")
    years = sorted(int(c) for c in panel.columns)
    parts = []
    for y in years:
        if y + span in years:
            d = (panel[y + span] - panel[y]).dropna()
            d.index = pd.MultiIndex.from_arrays(
                [d.index, np.full(len(d), y)], names=["province", "start"]
            )
            parts.append(d)
    if not parts:
        raise ModelError(f"no pair of years {span} apart in the panel (years {years})")
    return pd.concat(parts).rename(f"change over {span} years")


def _interp_mde(effects: np.ndarray, power: np.ndarray, target: float) -> float:
    above = np.flatnonzero(power >= target)
    if not above.size:
        return float("inf")
    i = above[0]
    if i == 0:
        return float(effects[0])
    e0, e1, p0, p1 = effects[i - 1], effects[i], power[i - 1], power[i]
    return float(e0 + (target - p0) * (e1 - e0) / (p1 - p0))


def power_by_simulation(
    outcome,
    n_plans: int | list[int] | tuple[int, ...],
    *,
    ambition=None,
    effects=None,
    alpha: float = 0.05,
    target_power: float = 0.8,
    n_sim: int = 2000,
    seed: int = 0,
) -> PowerResult:
    """Simulate the power of the slope test and the smallest detectable effect of ambition.

    Parameters
    ----------
    outcome
        Observed outcome values giving the noise (e.g. ``panel_changes(pci_rank, 5)``).
    n_plans
        Number(s) of plans (provinces) to evaluate; each at least 3.
    ambition
        Observed ambition scores to resample the regressor from; standard normal if ``None``.
    effects
        Grid of effects in outcome units per standard deviation of ambition; default
        61 points from 0 to 3 outcome standard deviations.
    alpha, target_power
        Test level and the power defining the MDE.
    n_sim, seed
        Simulations per sample size, and their seed.

    Returns
    -------
    PowerResult
    """
    e = pd.Series(np.asarray(outcome, float)).dropna().to_numpy()
    if e.size < 3:
        raise ModelError(f"power: need at least 3 outcome values to simulate from; got {e.size}")
    sd = float(e.std(ddof=1))
    if not sd > 0:
        raise ModelError("power: the outcome values do not vary; no noise to simulate from")
    ns = [int(n_plans)] if np.isscalar(n_plans) else [int(n) for n in n_plans]
    if min(ns) < 3:
        raise ModelError(f"power: a slope test needs at least 3 plans; got n_plans={min(ns)}")
    grid = np.linspace(0, 3 * sd, 61) if effects is None else np.asarray(effects, float)
    x_ref = None
    if ambition is not None:
        x_ref = pd.Series(np.asarray(ambition, float)).dropna().to_numpy()
        if x_ref.size < 2 or not x_ref.std() > 0:
            raise ModelError("power: ambition scores must have at least two distinct values")
    rng = np.random.default_rng(seed)
    rows, mde = [], {}
    for n in ns:
        E = e[rng.integers(0, e.size, size=(n_sim, n))]
        if x_ref is None:
            Z = rng.standard_normal((n_sim, n))
        else:
            Z = (x_ref[rng.integers(0, x_ref.size, size=(n_sim, n))] - x_ref.mean()) / x_ref.std(
                ddof=1
            )
        Zc = Z - Z.mean(axis=1, keepdims=True)
        Ec = E - E.mean(axis=1, keepdims=True)
        szz = (Zc * Zc).sum(axis=1)
        sze = (Zc * Ec).sum(axis=1)
        see = (Ec * Ec).sum(axis=1)
        d = grid[:, None]
        sxy = sze + d * szz  # effect grid × simulations
        syy = see + 2 * d * sze + d * d * szz
        with np.errstate(divide="ignore", invalid="ignore"):
            b = sxy / szz
            ssr = np.maximum(syy - b * sxy, 0)
            t = b / np.sqrt(ssr / (n - 2) / szz)
        crit = stats.t.ppf(1 - alpha / 2, n - 2)
        power = np.nanmean(np.abs(t) > crit, axis=1)
        rows.append(pd.DataFrame({"n_plans": n, "effect": grid, "power": power}))
        mde[n] = _interp_mde(grid, power, target_power)
    mde_s = pd.Series(mde, name="mde").rename_axis("n_plans")
    return PowerResult(
        pd.concat(rows, ignore_index=True),
        mde_s,
        (mde_s / sd).rename("mde_sd"),
        alpha,
        target_power,
        n_sim,
        seed,
        sd,
        int(e.size),
    )
