"""BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way") by maximum likelihood.

Why our own numpy/scipy code rather than a library: `lifetimes` is unmaintained and breaks on current
pandas; pymc-marketing pulls in PyMC and PyTensor (hundreds of MB, minutes of compilation) for what
is four parameters and a closed-form likelihood. The likelihood, its analytic gradient and the
conditional expectations below are the paper's equations; the test suite reproduces the published
CDNOW fit (r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4) and checks the gradient
against finite differences.

Inputs per customer: x = repeat purchase count (frequency), t_x = time of the last purchase since
the first (recency), T = time from the first purchase to the end of calibration, in one unit
(weeks or days). Identical (x, t_x, T) rows are grouped and weighted before evaluating the
likelihood, which makes a million buyers cost about as much as their distinct triples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Parameters are fitted on the log scale inside these bounds: wide enough for any real data set
# (the literature's fits sit between 0.01 and 100), narrow enough to keep the gamma functions finite.
LOG_BOUNDS = [(np.log(1e-4), np.log(1e4))] * 4


@dataclass(frozen=True)
class BGNBDFit:
    r: float
    alpha: float
    a: float
    b: float
    loglik: float
    n_customers: int
    converged: bool
    message: str

    @property
    def params(self) -> tuple[float, float, float, float]:
        return self.r, self.alpha, self.a, self.b


def distinct_rows(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The distinct rows of equal-length columns in lexicographic order (the order of np.unique(axis=0)),
    how many input rows share each (as floats: likelihood weights), and each input row's distinct row.

    One lexsort instead of np.unique's sort of a structured view: ~5x faster on a million buyers, and the
    distinct rows and counts come out identical, so fits do not change by a bit."""
    cols = [np.asarray(c, dtype=float) for c in columns]
    n = len(cols[0])
    if n == 0:
        return [c[:0] for c in cols], np.zeros(0), np.zeros(0, dtype=np.intp)
    order = np.lexsort(cols[::-1])  # lexsort's last key is the primary one
    ordered = [c[order] for c in cols]
    new = np.zeros(n, dtype=bool)
    new[0] = True
    for c in ordered:
        new[1:] |= c[1:] != c[:-1]
    starts = np.flatnonzero(new)
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    return [c[starts] for c in ordered], np.diff(np.append(starts, n)).astype(float), inverse


def group_rows(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, ...]:
    """Distinct (x, t_x, T) rows and how many customers share each."""
    (gx, gt, gT), counts, _ = distinct_rows(x, t_x, T)
    return gx, gt, gT, counts


def _terms(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray):
    from scipy import special  # here, not at the top: ~0.3 s that pages without a model fit never pay
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b) - special.gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(repeat, np.log(a) - np.log(np.where(repeat, b + x - 1, 1.0)) - (r + x) * np.log(alpha + t_x),
                      -np.inf)
    return a1, a2, a3, a4, repeat


def loglik_per_row(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Each customer's log-likelihood (equation 6 of the paper)."""
    a1, a2, a3, a4, _ = _terms(params, x, t_x, T)
    return a1 + a2 + np.logaddexp(a3, a4)


def neg_loglik_and_grad(log_params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray,
                        w: np.ndarray) -> tuple[float, np.ndarray]:
    """Minus the weighted log-likelihood and its gradient with respect to the log-parameters."""
    from scipy import special  # here, not at the top: ~0.3 s that pages without a model fit never pay
    params = np.exp(log_params)
    r, alpha, a, b = params
    a1, a2, a3, a4, repeat = _terms(params, x, t_x, T)
    mix = np.logaddexp(a3, a4)
    w3 = np.exp(a3 - mix)
    w4 = np.exp(a4 - mix)  # 0 where x == 0
    ll = a1 + a2 + mix

    safe_bx1 = np.where(repeat, b + x - 1, 1.0)
    d_r = (special.digamma(r + x) - special.digamma(r) + np.log(alpha)
           - w3 * np.log(alpha + T) - w4 * np.log(alpha + t_x))
    d_alpha = r / alpha - w3 * (r + x) / (alpha + T) - w4 * (r + x) / (alpha + t_x)
    d_a = special.digamma(a + b) - special.digamma(a + b + x) + w4 / a
    d_b = (special.digamma(a + b) + special.digamma(b + x) - special.digamma(b) - special.digamma(a + b + x)
           - w4 / safe_bx1)
    grad = np.array([np.dot(w, d) for d in (d_r, d_alpha, d_a, d_b)]) * params
    return -float(np.dot(w, ll)), -grad


def fit(x: np.ndarray, t_x: np.ndarray, T: np.ndarray, *, start: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0)) -> BGNBDFit:
    """Maximum-likelihood BG/NBD fit. `converged` is False when the optimiser did not finish or a
    parameter sits on its bound; callers must then not use the parameters (see clv.fallback)."""
    from scipy import optimize  # here, not at the top: ~0.3 s that pages without a model fit never pay
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    if len(x) == 0:
        return BGNBDFit(*(float("nan"),) * 5, n_customers=0, converged=False, message="没有购买者 / no buyers")
    if np.any(x < 0) or np.any(t_x < 0) or np.any(t_x > T + 1e-9) or np.any((x == 0) & (t_x != 0)):
        raise ValueError("BG/NBD input needs x >= 0, 0 <= t_x <= T, and t_x = 0 when x = 0")
    gx, gt, gT, w = group_rows(x, t_x, T)
    result = optimize.minimize(neg_loglik_and_grad, np.log(np.asarray(start, dtype=float)),
                               args=(gx, gt, gT, w), jac=True, method="L-BFGS-B", bounds=LOG_BOUNDS,
                               options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-9})
    params = np.exp(result.x)
    at_bound = any(abs(v - lo) < 1e-6 or abs(v - hi) < 1e-6 for v, (lo, hi) in zip(result.x, LOG_BOUNDS, strict=True))
    converged = bool(result.success) and np.all(np.isfinite(params)) and not at_bound
    if not converged:
        message = ("BG/NBD 拟合未收敛（参数落在边界或优化器未完成），改用历史购买频率估计。"
                   f" / BG/NBD fit did not converge ({result.message}); using the historical-rate fallback.")
    else:
        message = "ok"
    return BGNBDFit(*map(float, params), loglik=-float(result.fun), n_customers=int(len(x)),
                    converged=converged, message=message)


def p_alive(params: tuple[float, ...], x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """P(still active at T | x, t_x, T) (equation 11); 1 for customers with no repeat purchase."""
    r, alpha, a, b = params
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_ratio = (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
        odds = np.where(x > 0, a / np.where(x > 0, b + x - 1, 1.0) * np.exp(log_ratio), 0.0)
    return 1.0 / (1.0 + odds)


def expected_purchases(params: tuple[float, ...], t: float | np.ndarray, x: np.ndarray, t_x: np.ndarray,
                       T: np.ndarray) -> np.ndarray:
    """E[purchases in (T, T + t] | x, t_x, T] (equation 10), vectorised over customers."""
    from scipy import special  # here, not at the top: ~0.3 s that pages without a model fit never pay
    r, alpha, a, b = params
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    t = np.asarray(t, dtype=float)
    z = t / (alpha + T + t)
    hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, z)
    head = (a + b + x - 1) / (a - 1)
    body = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        denom = 1 + np.where(x > 0, a / np.where(x > 0, b + x - 1, 1.0)
                             * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0)
    return head * body / denom


def expected_purchases_new(params: tuple[float, ...], t: float | np.ndarray) -> np.ndarray:
    """E[X(t)] for a customer just acquired (equation 9): the model's population curve."""
    from scipy import special  # here, not at the top: ~0.3 s that pages without a model fit never pay
    r, alpha, a, b = params
    t = np.asarray(t, dtype=float)
    hyp = special.hyp2f1(r, b, a + b - 1, t / (alpha + t))
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp)
