"""Global filters two ways, on one database (issue #14): the scope's temp views vs the scope as a value applied
to the frames kept in memory.

    nice python -m bench.bench_scope --db /tmp/siyu_scale/1m/demo.duckdb

For each filter (channel, tier, store, staff) and each way, a "filter change" as a page sees it: the unscoped
frames are already in memory (warmed first, as the dashboard does), the per-scope caches are empty, and each
metric the pages ask for runs once on its own short connection (a cached loader), from opening the file to
the frame. Ways:
- views: siyu.db.scope.apply_scope's temp views, and every frame fetched through them
  (frame_cache.SCOPE_IN_MEMORY = False);
- read back: the same temp views, the scope read back from them (siyu.engine.context.read_scope), the kept
  frames filtered in memory (SCOPE_IN_MEMORY = True; the dashboard's way before #14's scope value);
- value: the scope passed to the engine as a value (run_metric(..., scope=...), siyu.engine.scoping): its
  population queried once per data version and filter set, the kept frames filtered in memory, the views
  only for the queries not kept in memory (filled from that population).
Also the set-up alone: apply_scope + read_scope (temp tables and views, read back) vs the one query of the
member population (queries/pg_scope_members.sql) a scope value needs. Medians of --runs repetitions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from siyu.db import query, reading
from siyu.db.scope import Scope, apply_scope
from siyu.engine import frame_cache
from siyu.engine.catalog import run_metric
from siyu.engine.context import read_scope

METRICS: list[tuple[str, dict[str, str]]] = [
    ("kpis", {}), ("kpi_trend", {"grain": "month"}),
    ("retention", {"cohort": "first_order", "grain": "month"}), ("retention", {"cohort": "channel", "grain": "week"}),
    ("lifecycle", {"grain": "month"}), ("tiers", {}), ("tier_migration", {}), ("concentration", {}),
    ("k_factor", {"by": "month"}), ("referral_leaderboard", {"top": "50"}), ("referred_vs_organic", {}),
    ("channels", {"by": "member"}), ("channel_money", {"by": "member"}), ("rfm_segments", {}),
    ("friend_survival", {}), ("channel_survival", {}),
]


def scopes(db: Path) -> list[Scope]:
    with reading(db) as con:
        options = query(con, "pg_scope_options").sort("n", descending=True)
    first = {kind: options.filter(options["kind"] == kind)["value"][0] for kind in ("channel", "tier", "store", "staff")}
    # The store filter's second-largest store: the largest is the online shop (80% of the orders).
    second_store = options.filter(options["kind"] == "store")["value"][1]
    return [Scope(channel=first["channel"]), Scope(tier=first["tier"]), Scope(store=second_store),
            Scope(staff=first["staff"])]


def filter_change(db: Path, scope: Scope, way: str) -> float:
    frame_cache.SCOPE_IN_MEMORY = way != "views"
    with frame_cache._LOCK:  # the per-scope caches only: the unscoped frames stay, as in a running dashboard
        frame_cache._SCOPED.clear()
        frame_cache._VALUES.clear()
        frame_cache._LARGE.clear()
        frame_cache._POPULATIONS.clear()
    started = time.perf_counter()
    for name, params in METRICS:
        with reading(db) as con:
            if way == "value":
                run_metric(con, name, params, scope=scope)
            else:
                apply_scope(con, scope)
                run_metric(con, name, params)
    return time.perf_counter() - started


def set_up(db: Path, scope: Scope, value: bool) -> float:
    with reading(db) as con:
        started = time.perf_counter()
        if value:
            query(con, "pg_scope_members", {"channel": scope.channel, "tier": scope.tier, "staff": scope.staff})
        else:
            apply_scope(con, scope)
            read_scope(con)
        return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    for name, params in METRICS:  # warm: the unscoped frames in memory
        with reading(args.db) as con:
            run_metric(con, name, params)
    print("| filter | views (s) | read back (s) | value (s) | set-up: views + read back (ms) | set-up: one query (ms) |")
    print("|---|---|---|---|---|---|")
    for scope in scopes(args.db):
        times: dict[str, list[float]] = {way: [] for way in ("views", "memory", "value", "setup_views", "setup_value")}
        for _ in range(args.runs):
            for way in ("views", "memory", "value"):
                times[way].append(filter_change(args.db, scope, way))
            times["setup_views"].append(set_up(args.db, scope, value=False))
            times["setup_value"].append(set_up(args.db, scope, value=True))
        med = {k: statistics.median(v) for k, v in times.items()}
        label = ", ".join(f"{k}={v}" for k, v in scope.key())
        print(f"| {label} | {med['views']:.2f} | {med['memory']:.2f} | {med['value']:.2f} | {med['setup_views'] * 1000:.0f} | "
              f"{med['setup_value'] * 1000:.0f} |", flush=True)


if __name__ == "__main__":
    main()
