"""Gamma-Gamma against the published CDNOW fit and a hand-computed conditional mean."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy.optimize import approx_fprime

from siyu.models import gamma_gamma

CDNOW = Path(__file__).resolve().parents[1] / "data" / "cdnow" / "cdnow_customers_summary_with_transactions.csv"


def test_reproduces_the_published_cdnow_fit() -> None:
    data = pl.read_csv(CDNOW)
    fit = gamma_gamma.fit(data["x"].to_numpy(), data["zbar"].to_numpy())
    assert fit.converged and fit.n_customers == 946  # repeat buyers only
    # Fader & Hardie, "The Gamma-Gamma model of monetary value" (2013): p = 6.25, q = 3.74, v = 15.44
    # ("near": the summary's mean spends are rounded to cents, which moves v in the third digit)
    assert fit.p == pytest.approx(6.25, abs=0.01)
    assert fit.q == pytest.approx(3.74, abs=0.01)
    assert fit.v == pytest.approx(15.44, abs=0.01)


def test_gradient_matches_finite_differences() -> None:
    data = pl.read_csv(CDNOW).filter(pl.col("x") > 0)
    x, m, w = data["x"].to_numpy().astype(float), data["zbar"].to_numpy(), np.ones(data.height)
    log_p = np.log([6.0, 3.0, 15.0])
    analytic = gamma_gamma.neg_loglik_and_grad(log_p, x, m, w)[1]
    numeric = approx_fprime(log_p, lambda p: gamma_gamma.neg_loglik_and_grad(p, x, m, w)[0], 1e-7)
    assert analytic == pytest.approx(numeric, rel=1e-4, abs=1e-3)


def test_conditional_mean_by_hand() -> None:
    # p = 6, q = 4, v = 15: population mean v p / (q - 1) = 30; buyer with x = 2, m = 20:
    # (p (v + x m)) / (p x + q - 1) = 6 * 55 / 15 = 22
    assert gamma_gamma.expected_spend((6.0, 4.0, 15.0), [0, 2], [0, 20]).tolist() == pytest.approx([30.0, 22.0])


def test_too_few_repeat_buyers() -> None:
    fit = gamma_gamma.fit(np.array([0, 0, 1]), np.array([0, 0, 10.0]))
    assert not fit.converged and fit.n_customers == 1
