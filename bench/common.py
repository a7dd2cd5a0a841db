"""Shared benchmark plumbing: timing medians, peak memory, machine description."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any


def store_frames(db, root, *, check: bool = True) -> None:  # db, root: paths
    """Write the frame store next to `db` as `python -m siyu import`/`demo` leave it (siyu.db.frame_store), in a
    child process so the caller stays small."""
    subprocess.run([sys.executable, "-c", "import sys; from siyu.engine import frame_cache; "
                    "frame_cache.warm(sys.argv[1], 60)", str(db)], cwd=root, check=check)


def median_seconds(fn: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    """Median wall time of `runs` calls, and the last call's result (for equality checks)."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def interleaved(fns: dict[str, Callable[[], Any]], runs: int = 3) -> tuple[dict[str, float], dict[str, Any]]:
    """Run each function once per round, `runs` rounds, taking turns (a, b, c, a, b, c, ...): on a shared
    machine a change of load then hits every contender alike. Median seconds and last result per name."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    last: dict[str, Any] = {}
    for _ in range(runs):
        for name, fn in fns.items():
            started = time.perf_counter()
            last[name] = fn()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(t) for name, t in times.items()}, last


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, MiB: Linux's VmHWM. Not `ru_maxrss`: after fork/vfork
    + exec, Linux carries the parent's high-water mark into the child's `ru_maxrss`, so a child started by
    a 400 MiB runner would never report less than 400 MiB."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    import duckdb
    import pandas
    import polars

    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB RAM, Python {platform.python_version()}, "
            f"duckdb {duckdb.__version__}, polars {polars.__version__}, pandas {pandas.__version__}, commit {commit}")
