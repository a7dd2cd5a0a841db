"""KPIs at scale: siyu (DuckDB narrow fetch + Polars) against plain pandas and a DuckDB scan floor.

Usage: python bench/bench_kpis.py --db data/bench.duckdb [--members 1000000] [--runs 3]
Builds the demo brand into --db first when the file has no data. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import interleaved, machine, peak_rss_mb
from siyu.db import reading
from siyu.engine.catalog import run_metric


def pandas_kpis(con: duckdb.DuckDBPyConnection, lo: dt.datetime, hi: dt.datetime) -> dict:
    """The kpis definitions written the obvious pandas way, from the same tables."""
    members = con.sql("SELECT member_id, joined_at FROM members").df()
    orders = con.sql("SELECT member_id, paid_at, net_cents FROM valid_orders").df()
    friends = con.sql("SELECT member_id, added_at, deleted_at FROM friends").df()
    joined = members[members.joined_at < hi]
    period = orders[(orders.paid_at >= lo) & (orders.paid_at < hi)]
    days = period.assign(day=period.paid_at.dt.date).groupby("member_id")["day"].nunique()
    open_f = friends[(friends.added_at < hi) & (friends.deleted_at.isna() | (friends.deleted_at >= hi))]
    recent = orders[(orders.paid_at < hi) & (orders.paid_at >= hi - pd.Timedelta(days=180))]
    valid = set(open_f.member_id) | set(recent.member_id)
    valid &= set(joined.member_id)
    buyers = len(days)
    gmv = period.net_cents.sum() / 100
    return {
        "members": len(joined), "valid_members": len(valid), "buyers": buyers, "orders": len(period),
        "gmv": gmv, "arpu": gmv / buyers if buyers else 0.0,
        "repurchase_rate": float((days >= 2).sum() / buyers) if buyers else 0.0,
        "friends_deleted": int(((friends.deleted_at >= lo) & (friends.deleted_at < hi)).sum()),
    }


def measure(db: Path, runs: int = 3) -> dict:
    """siyu's kpis, the pandas kpis and the DuckDB floor on `db`, medians of `runs`; answers compared."""
    with reading(db) as con:
        n_orders = con.execute("SELECT count(*) FROM orders").fetchall()[0][0]
        _, frame = run_metric(con, "kpis", {})
        ours = frame.row(0, named=True)
        lo = dt.datetime.combine(ours["start"], dt.time())
        hi = dt.datetime.combine(ours["end"] + dt.timedelta(days=1), dt.time())
        # taking turns, so a change in the shared machine's load hits all three alike
        times, last = interleaved({"siyu": lambda: run_metric(con, "kpis", {}),
                                   "pandas": lambda: pandas_kpis(con, lo, hi),
                                   "floor": lambda: con.sql("SELECT sum(net_cents), count(*) FROM valid_orders").fetchall()},
                                  runs)
        t_siyu, t_pandas, t_floor, theirs = times["siyu"], times["pandas"], times["floor"], last["pandas"]
    mismatches = {key: (ours[key], value) for key, value in theirs.items()
                  if abs(ours[key] - value) > 1e-9 * max(1.0, abs(value))}
    return {"orders": n_orders, "siyu": t_siyu, "pandas": t_pandas, "floor": t_floor, "peak_mb": peak_rss_mb(),
            "equal": not mismatches, "mismatches": {k: [str(a), str(b)] for k, (a, b) in mismatches.items()}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=Path("data/bench.duckdb"))
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object (for `python -m bench`)")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.db, args.runs)))
        return

    with reading(args.db) as con:
        has_data = con.execute("SELECT count(*) FROM orders").fetchall()[0][0] > 0
    if not has_data:
        from siyu.demo import write_demo

        write_demo(args.db, members=args.members, seed=7)

    r = measure(args.db, args.runs)
    assert r["equal"], r["mismatches"]
    print(f"machine: {machine()}")
    print(f"orders: {r['orders']:,}; peak RSS {r['peak_mb']:,.0f} MB\n")
    print("| task | siyu | pandas | DuckDB floor | pandas / siyu |")
    print("|---|---|---|---|---|")
    print(f"| kpis (whole range) | {r['siyu']:.2f} s | {r['pandas']:.2f} s | {r['floor']:.3f} s | "
          f"{r['pandas'] / r['siyu']:.1f}x |")
    print("\nanswers equal: yes")


if __name__ == "__main__":
    main()
