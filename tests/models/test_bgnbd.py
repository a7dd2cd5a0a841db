"""BG/NBD against the literature (CDNOW), finite differences and a simulation with known parameters."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy.optimize import approx_fprime

from siyu.models import bgnbd
from siyu.models.simulate import simulate_bgnbd

CDNOW = Path(__file__).resolve().parents[1] / "data" / "cdnow" / "cdnow_customers_summary_with_transactions.csv"


@pytest.fixture(scope="module")
def cdnow() -> pl.DataFrame:
    return pl.read_csv(CDNOW)


def test_reproduces_the_published_cdnow_fit(cdnow: pl.DataFrame) -> None:
    fit = bgnbd.fit(cdnow["x"].to_numpy(), cdnow["t_x"].to_numpy(), cdnow["T"].to_numpy())
    assert fit.converged and fit.n_customers == 2357
    # Fader, Hardie & Lee (2005), table/figure: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4
    assert round(fit.r, 3) == 0.243
    assert round(fit.alpha, 3) == 4.414
    assert round(fit.a, 3) == 0.793
    assert round(fit.b, 3) == 2.426
    assert round(fit.loglik, 1) == -9582.4


def test_the_optimum_does_not_depend_on_the_start(cdnow: pl.DataFrame) -> None:
    args = (cdnow["x"].to_numpy(), cdnow["t_x"].to_numpy(), cdnow["T"].to_numpy())
    a = bgnbd.fit(*args, start=(1, 1, 1, 1))
    b = bgnbd.fit(*args, start=(0.05, 20, 3, 0.5))
    assert a.params == pytest.approx(b.params, rel=1e-4)


def test_analytic_gradient_matches_finite_differences(cdnow: pl.DataFrame) -> None:
    gx, gt, gT, w = bgnbd.group_rows(cdnow["x"].to_numpy(), cdnow["t_x"].to_numpy(), cdnow["T"].to_numpy())
    for point in ([0.5, 3.0, 1.2, 2.0], [0.243, 4.414, 0.793, 2.426], [2.0, 0.5, 5.0, 10.0]):
        log_p = np.log(point)
        analytic = bgnbd.neg_loglik_and_grad(log_p, gx, gt, gT, w)[1]
        numeric = approx_fprime(log_p, lambda p: bgnbd.neg_loglik_and_grad(p, gx, gt, gT, w)[0], 1e-7)
        assert analytic == pytest.approx(numeric, rel=1e-4, abs=1e-3)


def test_grouping_identical_rows_does_not_change_the_likelihood(cdnow: pl.DataFrame) -> None:
    x, t, T = cdnow["x"].to_numpy(), cdnow["t_x"].to_numpy(), cdnow["T"].to_numpy()
    params = np.array([0.243, 4.414, 0.793, 2.426])
    row_sum = bgnbd.loglik_per_row(params, x.astype(float), t, T).sum()
    gx, gt, gT, w = bgnbd.group_rows(x, t, T)
    assert len(w) < len(x)
    assert -bgnbd.neg_loglik_and_grad(np.log(params), gx, gt, gT, w)[0] == pytest.approx(row_sum, rel=1e-12)


def test_p_alive_and_expected_purchases_hand_values() -> None:
    params = (0.243, 4.414, 0.793, 2.426)
    # x = 0: the model cannot have seen the buyer die, P(alive) = 1
    assert bgnbd.p_alive(params, [0], [0], [38.86])[0] == 1.0
    # x = 2, t_x = 30.43, T = 38.86: 1 / (1 + a/(b+1) * ((alpha+T)/(alpha+t_x))^(r+2))
    expected = 1 / (1 + 0.793 / 3.426 * ((4.414 + 38.86) / (4.414 + 30.43)) ** 2.243)
    assert bgnbd.p_alive(params, [2], [30.43], [38.86])[0] == pytest.approx(expected, rel=1e-12)
    # the longer the silence, the lower P(alive)
    alive = bgnbd.p_alive(params, [5, 5, 5], [38, 20, 5], [38.86] * 3)
    assert alive[0] > alive[1] > alive[2]
    # expected purchases grow with the horizon and start at 0
    e = bgnbd.expected_purchases(params, np.array([0.0, 10, 39, 78]), 2, 30.43, 38.86)
    assert e[0] == pytest.approx(0.0, abs=1e-12) and np.all(np.diff(e) > 0)


def test_population_curve_matches_the_papers_39_week_total(cdnow: pl.DataFrame) -> None:
    """Sum over customers of E[X(T_i)] equals the model's fitted cumulative repeat transactions at the
    calibration end; the paper's figure 1 shows it tracking the actual 2,457 repeat transactions closely."""
    params = (0.2425930, 4.4135316, 0.7928867, 2.4257574)
    total = bgnbd.expected_purchases_new(params, cdnow["T"].to_numpy()).sum()
    assert int(cdnow["x"].sum()) == 2457
    assert total == pytest.approx(2457, rel=0.02)


def test_recovers_parameters_from_simulated_customers() -> None:
    rng = np.random.default_rng(11)
    x, t_x, T = simulate_bgnbd(20_000, r=0.5, alpha=6.0, a=0.8, b=3.0, T=52.0, rng=rng)
    fit = bgnbd.fit(x, t_x, T)
    assert fit.converged
    assert fit.r == pytest.approx(0.5, rel=0.1)
    assert fit.alpha == pytest.approx(6.0, rel=0.15)
    assert fit.a == pytest.approx(0.8, rel=0.25)
    assert fit.b == pytest.approx(3.0, rel=0.3)


def test_degenerate_data_is_reported_not_fitted() -> None:
    # nobody ever came back: the likelihood has no interior optimum
    fit = bgnbd.fit(np.zeros(500), np.zeros(500), np.full(500, 30.0))
    assert not fit.converged
    assert "fallback" in fit.message and "未收敛" in fit.message
    assert bgnbd.fit(np.array([]), np.array([]), np.array([])).n_customers == 0


def test_inconsistent_input_is_refused() -> None:
    with pytest.raises(ValueError):
        bgnbd.fit(np.array([1.0]), np.array([40.0]), np.array([30.0]))


def test_distinct_rows_match_numpy_unique_exactly():
    """The fast grouping gives np.unique(axis=0)'s rows, order and counts bit for bit (the fits must not move)."""
    rng = np.random.default_rng(5)
    x = rng.integers(0, 6, 20_000).astype(float)
    t = np.where(x > 0, rng.integers(0, 40, 20_000) / 7, 0.0)
    T = t + rng.integers(0, 30, 20_000) / 7
    (gx, gt, gT), counts, inverse = bgnbd.distinct_rows(x, t, T)
    unique, expected = np.unique(np.column_stack([x, t, T]), axis=0, return_counts=True)
    assert np.array_equal(np.column_stack([gx, gt, gT]), unique) and np.array_equal(counts, expected)
    assert np.array_equal(gx[inverse], x) and np.array_equal(gt[inverse], t) and np.array_equal(gT[inverse], T)
    assert len(gx) < 20_000 and bgnbd.distinct_rows(x[:0], t[:0], T[:0])[1].size == 0
