"""BG/NBD fit time at 2k, 100k and 1M buyers: siyu (grouped rows, analytic gradient) against a plain
scipy fit of the same likelihood (every row, finite-difference gradient), and lifetimes when it is
importable, in the same process. Checks that the answers agree.

Usage: python bench/bench_bgnbd.py [--sizes 2000,100000,1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy import optimize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, median_seconds, peak_rss_mb
from siyu.models import bgnbd
from siyu.models.simulate import simulate_bgnbd


def plain_scipy_fit(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """What one writes first: sum the per-row likelihood, let scipy difference the gradient."""
    def nll(log_p: np.ndarray) -> float:
        return -float(bgnbd.loglik_per_row(np.exp(log_p), x, t_x, T).sum())

    result = optimize.minimize(nll, np.zeros(4), method="L-BFGS-B", bounds=bgnbd.LOG_BOUNDS)
    return np.exp(result.x)


def on_database(db: Path, runs: int, summary_csv: Path | None = None) -> dict:
    """BG/NBD on a real (demo) database: siyu's rfm summary in weeks, as `metric clv` fits it, then siyu's
    fit and the plain scipy fit of the same rows. The summary is written to `summary_csv` for lifetimes."""
    import time

    from siyu.db import reading
    from siyu.engine.catalog import run_metric

    with reading(db) as con:
        started = time.perf_counter()
        _, summary = run_metric(con, "rfm", {"unit": "week"})
        t_summary = time.perf_counter() - started
    x = summary["frequency"].to_numpy().astype(float)
    t_x = summary["recency"].to_numpy().astype(float)
    T = summary["T"].to_numpy().astype(float)
    if summary_csv is not None:
        summary.select("frequency", "recency", "T").write_csv(summary_csv)
    t_ours, fit = median_seconds(lambda: bgnbd.fit(x, t_x, T), runs)
    t_plain, plain = median_seconds(lambda: plain_scipy_fit(x, t_x, T), 1 if len(x) > 100_000 else runs)
    plain_ll = float(bgnbd.loglik_per_row(plain, x, t_x, T).sum())
    return {"buyers": len(x), "distinct": len(bgnbd.group_rows(x, t_x, T)[3]), "summary_seconds": t_summary,
            "siyu": t_ours, "params": list(fit.params), "loglik": fit.loglik, "converged": fit.converged,
            "plain": t_plain, "plain_params": plain.tolist(), "plain_loglik": plain_ll,
            "max_rel_diff_plain": float(np.max(np.abs(np.array(fit.params) - plain) / plain)),
            "peak_mb": peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, default=None, help="fit the rfm summary of this database; print JSON")
    parser.add_argument("--summary-csv", type=Path, default=None, help="with --db: write the summary here")
    args = parser.parse_args()
    if args.db:
        import json

        print(json.dumps(on_database(args.db, args.runs, args.summary_csv)))
        return
    try:
        import lifetimes  # noqa: F401
        have_lifetimes = True
    except Exception:  # lifetimes breaks on import with current pandas
        have_lifetimes = False

    print(f"machine: {machine()}\n")
    print("| buyers | distinct (x, t_x, T) | siyu fit | plain scipy | lifetimes | scipy / siyu | max rel. diff |")
    print("|---|---|---|---|---|---|---|")
    rng = np.random.default_rng(3)
    for n in (int(s) for s in args.sizes.split(",")):
        # Daily data over two years, in weeks: realistic numbers of distinct triples.
        x, t_x, T = simulate_bgnbd(n, r=0.5, alpha=6.0, a=0.8, b=3.0, T=104.0, rng=rng)
        t_x = np.round(t_x * 7) / 7
        T = T - rng.integers(0, 104 * 7, n) / 7  # staggered first purchases
        t_x = np.minimum(t_x, T)
        t_x[x == 0] = 0
        distinct = len(bgnbd.group_rows(x, t_x, T)[3])
        t_ours, fit = median_seconds(lambda: bgnbd.fit(x, t_x, T), args.runs)
        t_plain, plain = median_seconds(lambda: plain_scipy_fit(x, t_x, T), 1 if n > 100_000 else args.runs)
        diff = float(np.max(np.abs(np.array(fit.params) - plain) / plain))
        lt = "not importable"
        if have_lifetimes:
            import pandas as pd
            from lifetimes import BetaGeoFitter

            t_lt, _ = median_seconds(lambda: BetaGeoFitter().fit(pd.Series(x), pd.Series(t_x), pd.Series(T)), 1)
            lt = f"{t_lt:.2f} s"
        print(f"| {n:,} | {distinct:,} | {t_ours:.3f} s | {t_plain:.2f} s | {lt} | {t_plain / t_ours:.0f}x | {diff:.1e} |")
    print(f"\npeak RSS {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
