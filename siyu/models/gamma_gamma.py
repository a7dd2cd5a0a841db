"""Gamma-Gamma spend model (Fader, Hardie & Lee 2005b; Fader & Hardie 2013 note) by maximum likelihood.

Per repeat buyer: x = repeat purchases (> 0), m = mean spend per repeat purchase. Spend per
transaction is gamma(p, nu) with nu ~ gamma(q, v) across customers; the model assumes spend is
independent of purchase frequency (check: the correlation is reported by the metric). The test
reproduces the published CDNOW fit p = 6.25, q = 3.74, v = 15.44. Why numpy/scipy: see bgnbd.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from siyu.models.bgnbd import distinct_rows

LOG_BOUNDS = [(np.log(1e-4), np.log(1e6))] * 3


@dataclass(frozen=True)
class GammaGammaFit:
    p: float
    q: float
    v: float
    loglik: float
    n_customers: int
    converged: bool
    message: str

    @property
    def params(self) -> tuple[float, float, float]:
        return self.p, self.q, self.v


def neg_loglik_and_grad(log_params: np.ndarray, x: np.ndarray, m: np.ndarray, w: np.ndarray) -> tuple[float, np.ndarray]:
    from scipy import special  # here, not at the top: ~0.3 s that pages without a model fit never pay
    p, q, v = np.exp(log_params)
    px = p * x
    s = x * m + v
    ll = (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * np.log(v)
          + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(s))
    d_p = x * (special.digamma(px + q) - special.digamma(px) + np.log(m) + np.log(x) - np.log(s))
    d_q = special.digamma(px + q) - special.digamma(q) + np.log(v) - np.log(s)
    d_v = q / v - (px + q) / s
    grad = np.array([np.dot(w, d_p) * p, np.dot(w, d_q) * q, np.dot(w, d_v) * v])
    return -float(np.dot(w, ll)), -grad


def fit(x: np.ndarray, m: np.ndarray) -> GammaGammaFit:
    """Fit on repeat buyers only (x > 0 and m > 0); others are ignored, as the model requires."""
    from scipy import optimize  # here, not at the top: ~0.3 s that pages without a model fit never pay
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    keep = (x > 0) & (m > 0)
    x, m = x[keep], m[keep]
    if len(x) < 2:
        return GammaGammaFit(*(float("nan"),) * 4, n_customers=int(len(x)), converged=False,
                             message="复购客户太少，无法拟合 / too few repeat buyers to fit Gamma-Gamma")
    (ux, um), counts, _ = distinct_rows(x, m)
    start = np.log([1.0, 1.0, max(float(np.mean(m)), 1e-3)])
    result = optimize.minimize(neg_loglik_and_grad, start, args=(ux, um, counts),
                               jac=True, method="L-BFGS-B", bounds=LOG_BOUNDS,
                               options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-9})
    params = np.exp(result.x)
    at_bound = any(abs(v - lo) < 1e-6 or abs(v - hi) < 1e-6 for v, (lo, hi) in zip(result.x, LOG_BOUNDS, strict=True))
    converged = bool(result.success and not at_bound and params[1] > 1)
    message = "ok" if converged else (
        "Gamma-Gamma 拟合未收敛（或 q ≤ 1，期望不存在），改用客户自己的平均客单价。"
        f" / Gamma-Gamma did not converge ({result.message}); using each buyer's own mean spend.")
    return GammaGammaFit(*map(float, params), loglik=-float(result.fun), n_customers=int(len(x)),
                         converged=converged, message=message)


def expected_spend(params: tuple[float, float, float], x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """E[spend per transaction | x, m] = (q - 1)/(p x + q - 1) * v p/(q - 1) + p x/(p x + q - 1) * m:
    a weighted mean of the population mean and the buyer's own mean. For x = 0 it is the population mean."""
    p, q, v = params
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    return (p * (v + x * m)) / (p * x + q - 1)
