"""Spark against the local engine (docs/scale.md), recorded in BENCHMARKS.md.

    python -m bench.bench_spark local --scale 10m        # the 10m data set of bench/dataset.py: lake export,
                                                         # then each metric on the local engine and on Spark local[2]
    python -m bench.bench_spark big --orders 100000000   # a lake generated bucket by bucket straight to Parquet
                                                         # (no database could hold it here), Spark only

Every run is a fresh child process; its time is wall time and its memory the peak of the summed resident
memory of its whole process tree (the Spark JVM and its Python workers are children of the driver),
sampled every 0.2 s. Results go to bench/results/spark_<scale>.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

from bench.common import machine

ROOT = Path(__file__).resolve().parents[1]
METRICS = ("kpis", "retention", "lifecycle", "concentration", "rfm")


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, MiB (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total / 2**20


def measure(argv: list[str]) -> tuple[float, float, int]:
    """(seconds, peak tree MiB, exit code) of a child process."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    while child.poll() is None:
        peak = max(peak, _tree_rss_mb(child.pid))
        time.sleep(0.2)
    return time.perf_counter() - started, peak, child.returncode


def _load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def run_local(scale: str, master: str) -> str:
    data = Path(f"/tmp/siyu_scale/{scale}")
    db, lake = data / "demo.duckdb", data / "lake"
    py = sys.executable
    rows = [f"load before: {_load()}", "", "| step | local engine s | local MiB | Spark s | Spark MiB |", "|---|---|---|---|---|"]
    t, mb, code = measure([py, "-m", "siyu", "lake", "export", "--db", str(db), "--out", str(lake), "--buckets", "16"])
    rows.append(f"| lake export (16 buckets) | {t:.1f} | {mb:.0f} | — | — |" + ("" if code == 0 else f" exit {code}"))
    for name in METRICS:
        lt, lmb, lcode = measure([py, "-m", "siyu", "metric", name, "--db", str(db), "--format", "csv"])
        st, smb, scode = measure([py, "-m", "siyu", "metric", name, "--engine", "spark", "--lake", str(lake),
                                  "--master", master, "--conf", "spark.driver.memory=4g", "--format", "csv"])
        flag = "" if lcode == scode == 0 else f" (exit {lcode}/{scode})"
        rows.append(f"| {name} | {lt:.1f} | {lmb:.0f} | {st:.1f} | {smb:.0f} |{flag}")
    rows.append(f"\nload after: {_load()}")
    return "\n".join(rows)


def generate_big(out: Path, orders: int, buckets: int, seed: int = 7) -> dict[str, int]:
    """A lake of `orders` valid orders written bucket by bucket (never all in memory): ~10 orders per
    member over three years, members bucketed by siyu.lake.layout.bucket_of."""
    from siyu.lake.layout import FORMAT_VERSION, bucket_expr

    members_total = orders // 10
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-01-01T00:00:00", "us")
    span_us = np.int64(3 * 365 * 86400 * 10**6)
    written = 0
    step = 2_000_000  # member ids per generation step
    for lo in range(1, members_total + 1, step):
        ids = np.arange(lo, min(lo + step, members_total + 1), dtype=np.int64)
        joined = start + (rng.random(ids.size) * span_us * 0.8).astype("timedelta64[us]")
        counts = rng.poisson(9, ids.size) + 1
        member_of = np.repeat(ids, counts)
        base = np.repeat(joined, counts)
        paid = base + (rng.random(member_of.size) * (start + span_us - base).astype(np.int64)).astype("timedelta64[us]")
        cents = (rng.gamma(2.0, 8000, member_of.size)).astype(np.int64)
        frames = {
            "members": pl.DataFrame({"member_id": ids, "joined_at": joined, "channel": rng.choice(["门店", "短视频", "朋友推荐"], ids.size)}),
            "orders": pl.DataFrame({"member_id": member_of, "paid_at": paid, "net_cents": cents}),
        }
        for name, frame in frames.items():
            frame = frame.with_columns(bucket_expr("member_id", buckets))
            for (b,), part in frame.group_by("bucket"):
                target = out / name / f"bucket={b}"
                target.mkdir(parents=True, exist_ok=True)
                part.drop("bucket").write_parquet(target / f"part-{lo}.parquet")
        written += member_of.size
    for name, schema in {"friends": {"member_id": pl.Int64, "added_at": pl.Datetime("us"), "deleted_at": pl.Datetime("us"),
                                      "channel": pl.String, "add_way": pl.String},
                         "snapshots": {"member_id": pl.Int64, "snapshot_date": pl.Date, "tier": pl.String}}.items():
        (out / name / "bucket=0").mkdir(parents=True, exist_ok=True)
        pl.DataFrame(schema=schema).write_parquet(out / name / "bucket=0" / "empty.parquet")
    (out / "member_refs").mkdir(parents=True, exist_ok=True)  # no export ids: outputs name members siyu:<id>
    pl.DataFrame(schema={"siyu_id": pl.Int64, "member_id": pl.String}).write_parquet(out / "member_refs" / "part-0.parquet")
    manifest = {"format": FORMAT_VERSION, "schema_version": 0, "data_version": ["generated"], "buckets": buckets,
                "rows": {"members": members_total, "orders": written}, "first_at": "2023-01-01T00:00:00",
                "last_at": "2025-12-31T23:59:59", "last_order_at": "2025-12-31T23:59:59",
                "data_last_day": "2025-12-31", "last_valid_order_day": "2025-12-31"}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return {"members": members_total, "orders": written}


def run_big(orders: int, buckets: int, master: str) -> str:
    out = Path(f"/tmp/siyu_scale/lake_{orders // 1_000_000}m_{buckets}")
    if not (out / "manifest.json").exists():
        t, mb, code = measure([sys.executable, "-c", "import sys; from pathlib import Path; "
                               "from bench.bench_spark import generate_big; "
                               f"print(generate_big(Path({str(out)!r}), {orders}, {buckets}))"])
        gen = f"generated {orders:,} orders in {buckets} buckets: {t:.0f} s, peak {mb:.0f} MiB (exit {code})"
    else:
        gen = f"reused {out}"
    rows = [gen, f"load before: {_load()}", "", "| metric | Spark s | Spark MiB (whole process tree) |", "|---|---|---|"]
    for name in ("kpis", "retention", "lifecycle"):
        t, mb, code = measure([sys.executable, "-m", "siyu", "metric", name, "--engine", "spark", "--lake", str(out),
                               "--master", master, "--conf", "spark.driver.memory=3g", "--format", "csv"])
        rows.append(f"| {name} | {t:.0f} | {mb:.0f} |" + ("" if code == 0 else f" exit {code}"))
    rows.append(f"\nload after: {_load()}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_spark")
    parser.add_argument("what", choices=["local", "big"])
    parser.add_argument("--scale", default="10m")
    parser.add_argument("--orders", type=int, default=100_000_000)
    parser.add_argument("--buckets", type=int, default=64)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()
    body = run_local(args.scale, args.master) if args.what == "local" else run_big(args.orders, args.buckets, args.master)
    name = args.scale if args.what == "local" else f"{args.orders // 1_000_000}m_generated"
    text = f"## Spark {args.master} vs local engine, {name}\n\nMachine: {machine()}\n\n{body}\n"
    target = ROOT / "bench" / "results" / f"spark_{name}.md"
    target.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
