"""Fit lifetimes' BetaGeoFitter on a summary CSV (frequency, recency, T); print one JSON object.

Runs in the side environment bench/.venv-lifetimes (pandas < 3, numpy < 2: see
bench/requirements-lifetimes.txt), started by `python -m bench`; never imported by siyu or its tests.
Usage: bench/.venv-lifetimes/bin/python bench/lifetimes_fit.py SUMMARY.csv [RUNS]
"""

import json
import resource
import statistics
import sys
import time

import lifetimes
import pandas as pd
from lifetimes import BetaGeoFitter


def peak_mb() -> float:
    """VmHWM (MiB): ru_maxrss would include the parent's high-water mark (see bench/common.py)."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    path, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    data = pd.read_csv(path)
    times, fitter = [], None
    for _ in range(runs):
        started = time.perf_counter()
        fitter = BetaGeoFitter().fit(data["frequency"], data["recency"], data["T"])
        times.append(time.perf_counter() - started)
    params = fitter.params_
    print(json.dumps({"seconds": statistics.median(times), "runs": runs,
                      "params": [float(params[k]) for k in ("r", "alpha", "a", "b")],
                      "peak_mb": peak_mb(),
                      "version": lifetimes.__version__, "pandas": pd.__version__}))


if __name__ == "__main__":
    main()
