"""The analytics metrics at scale: siyu (cached narrow frame + Polars) next to plain pandas and a DuckDB floor.

Usage: python bench/bench_metrics.py --db /tmp/bench-metrics.duckdb [--members 1300000] [--runs 3] [--only NAME ...]
Builds the demo brand into --db first when the file has no orders (1.3M members ~ 9.8M orders).
Every metric runs in a fresh child process, so its peak RSS is its own. Per metric:
- cold: first run in the process (DuckDB fetch of the narrow frame, its sort, the metric);
- warm: median of --runs further runs (the narrow frame is cached, as in the dashboard);
- pandas: the same definition written the obvious pandas way, median of --runs, on a frame already
  fetched (fetch time reported apart); the answers are compared with siyu's;
- floor: a DuckDB scan of the same columns (count, sum, max).
Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import interleaved, machine, peak_rss_mb
from siyu.db import reading
from siyu.engine.catalog import resolve_range, run_metric
from siyu.engine.context import read_context

FLOOR_SQL = "SELECT count(*), sum(net_cents), max(paid_at), max(member_id) FROM valid_orders"
CASES = {  # name -> (metric, params)
    "retention": ("retention", {}),
    "retention_revenue": ("retention", {"measure": "revenue"}),
    "retention_week_on_or_after": ("retention", {"grain": "week", "mode": "on_or_after"}),
    "retention_joined": ("retention", {"cohort": "joined"}),
    "rfm": ("rfm", {}),
    "rfm_segments": ("rfm_segments", {}),
    "concentration": ("concentration", {}),
    "tiers": ("tiers", {}),
    "tier_migration": ("tier_migration", {}),
    "lifecycle": ("lifecycle", {}),
    "referrals": ("referrals", {}),
    "k_factor": ("k_factor", {}),
    "referral_leaderboard": ("referral_leaderboard", {}),
    "referred_vs_organic": ("referred_vs_organic", {}),
    "channels": ("channels", {}),
    "friend_survival": ("friend_survival", {}),
    "super_users": ("super_users", {}),
    "forest_300k": (None, {}),
}


# --- pandas baselines: the definitions written the straightforward way -------------------------


def orders_df(con) -> pd.DataFrame:
    return con.sql("SELECT member_id, paid_at, net_cents FROM valid_orders").df()


def pandas_retention(df: pd.DataFrame) -> pd.DataFrame:
    month = df.paid_at.dt.year * 12 + df.paid_at.dt.month - 1
    first = month.groupby(df.member_id).transform("min")
    cells = pd.DataFrame({"member_id": df.member_id, "c": first, "k": month - first}).drop_duplicates()
    tri = cells.groupby(["c", "k"]).size().rename("value").reset_index()
    sizes = cells[cells.k == 0].groupby("c").size().rename("size")
    tri = tri.join(sizes, on="c")
    tri["rate"] = tri.value / tri["size"]
    return tri


def pandas_retention_revenue(df: pd.DataFrame) -> pd.DataFrame:
    month = df.paid_at.dt.year * 12 + df.paid_at.dt.month - 1
    first = month.groupby(df.member_id).transform("min")
    cells = pd.DataFrame({"c": first, "k": month - first, "net": df.net_cents})
    tri = cells.groupby(["c", "k"]).net.sum().rename("value").reset_index()
    tri["value"] = tri.value / 100
    return tri


def pandas_rfm(df: pd.DataFrame) -> pd.DataFrame:
    day = df.paid_at.dt.normalize()
    end = day.max()
    daily = (pd.DataFrame({"member_id": df.member_id, "day": day, "net": df.net_cents})
             .groupby(["member_id", "day"], as_index=False).net.sum())
    g = daily.groupby("member_id")
    out = pd.DataFrame({"frequency": g.size() - 1, "first": g.day.min(), "last": g.day.max()})
    out["recency"] = (out["last"] - out["first"]).dt.days.astype(float)
    out["T"] = (end - out["first"]).dt.days.astype(float)
    repeat = daily[daily.duplicated("member_id")].groupby("member_id").net.mean() / 100
    out["monetary_value"] = repeat.reindex(out.index).fillna(0.0)
    return out


def pandas_concentration(df: pd.DataFrame) -> dict:
    spend = np.sort(df.groupby("member_id").net_cents.sum().to_numpy())
    n, total = len(spend), spend.sum()
    top = {p: spend[::-1][: -(-p * n // 100)].sum() / total for p in (1, 5, 10, 20, 50)}
    gini = ((2 * np.arange(1, n + 1) - n - 1) * spend).sum() / (n * total)
    return {"top": top, "gini": gini}


def pandas_lifecycle(df: pd.DataFrame) -> pd.DataFrame:
    month = df.paid_at.dt.year * 12 + df.paid_at.dt.month - 1
    act = pd.DataFrame({"m": df.member_id, "p": month}).drop_duplicates().sort_values(["m", "p"])
    prev = act.groupby("m").p.shift(1)
    nxt = act.groupby("m").p.shift(-1)
    kinds = pd.DataFrame({"p": act.p, "new": prev.isna(), "returning": prev == act.p - 1,
                          "resurrecting": prev < act.p - 1})
    out = kinds.groupby("p")[["new", "returning", "resurrecting"]].sum()
    dormant = act[nxt.isna() | (nxt > act.p + 1)].groupby(act.p + 1).size()
    return out.join(dormant.rename("dormant"), how="outer").fillna(0)


def pandas_tiers(con, end: dt.date) -> pd.DataFrame:
    snaps = con.sql("SELECT member_id, snapshot_date, tier FROM member_snapshots").df()
    members = con.sql("SELECT member_id, joined_at FROM members").df()
    orders = orders_df(con)
    snaps = snaps[snaps.snapshot_date <= pd.Timestamp(end)].sort_values("snapshot_date").drop_duplicates(
        "member_id", keep="last")
    spend = orders.groupby("member_id").net_cents.sum()
    pop = pd.Index(members.member_id).union(spend.index)
    frame = pd.DataFrame(index=pop).join(snaps.set_index("member_id").tier).join(spend)
    frame["tier"] = frame.tier.fillna("未定级")
    return frame.groupby("tier").agg(members=("tier", "size"), buyers=("net_cents", "count"),
                                     gmv=("net_cents", "sum"))


def pandas_retention_joined(df: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    x = df.merge(members, on="member_id")
    x = x[x.paid_at >= x.joined_at]
    c = members.joined_at.dt.year * 12 + members.joined_at.dt.month - 1
    sizes = c.value_counts().rename("size")
    cm = pd.Series(c.to_numpy(), index=members.member_id)
    xc = x.member_id.map(cm)
    cells = pd.DataFrame({"member_id": x.member_id, "c": xc,
                          "k": x.paid_at.dt.year * 12 + x.paid_at.dt.month - 1 - xc}).drop_duplicates()
    tri = cells.groupby(["c", "k"]).size().rename("value").reset_index().join(sizes, on="c")
    return tri


def pandas_rfm_segments(df: pd.DataFrame) -> pd.DataFrame:
    day = df.paid_at.dt.normalize()
    end = day.max()
    g = pd.DataFrame({"member_id": df.member_id, "day": day, "net": df.net_cents}).groupby("member_id")
    out = pd.DataFrame({"recency_days": (end - g.day.max()).dt.days, "frequency": g.day.nunique(),
                        "monetary": g.net.sum() / 100})
    n = len(out)

    def score(x: pd.Series) -> pd.Series:
        return (1 + np.floor(5 * (x.rank(method="min") - 1) / n)).astype(int)

    out["r_score"], out["f_score"], out["m_score"] = score(-out.recency_days), score(out.frequency), score(out.monetary)
    r_high = out.recency_days <= out.recency_days.mean()
    f_high = out.frequency >= out.frequency.mean()
    m_high = out.monetary >= out.monetary.mean()
    out["cn_key"] = r_high.astype(int) * 4 + f_high.astype(int) * 2 + m_high.astype(int)
    return out


def pandas_tier_migration(con, a: dt.date, b: dt.date) -> pd.Series:
    snaps = con.sql("SELECT member_id, snapshot_date, tier FROM member_snapshots").df().sort_values("snapshot_date")
    before = snaps[snaps.snapshot_date <= pd.Timestamp(a)].drop_duplicates("member_id", keep="last")
    after = snaps[snaps.snapshot_date <= pd.Timestamp(b)].drop_duplicates("member_id", keep="last")
    both = before[["member_id", "tier"]].merge(after[["member_id", "tier"]], on="member_id", how="outer",
                                               suffixes=("_from", "_to")).fillna("未定级")
    return both.groupby(["tier_from", "tier_to"]).size()


def pandas_k_factor(df: pd.DataFrame, refs: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    month = df.paid_at.dt.year * 12 + df.paid_at.dt.month - 1
    buyers = df.assign(m=month).groupby("m").member_id.nunique()
    first = df.groupby("member_id").paid_at.min().dt.normalize()
    r = refs.assign(first=refs.referee_id.map(first))
    conv = r[r["first"] >= r.referred_at.dt.normalize()]
    converted = (conv["first"].dt.year * 12 + conv["first"].dt.month - 1).value_counts()
    return (converted.reindex(buyers.index).fillna(0) / buyers).rename("k")


def random_forest_edges(n: int = 300_000, roots: int = 30_000, seed: int = 1) -> pl.DataFrame:
    """A random recursive forest: `roots` founders, then each new member referred by a uniformly chosen
    earlier member (depth grows like log n: about 12-25 levels, as in real referral trees)."""
    rng = np.random.default_rng(seed)
    child = np.arange(roots + 1, roots + n + 1)
    parent = 1 + np.floor(rng.random(n) * (child - 1)).astype(np.int64)
    return pl.DataFrame({"referee_id": child, "referrer_id": parent,
                         "referred_at": [dt.datetime(2024, 1, 1)] * n})


def pandas_forest(edges: pd.DataFrame) -> pd.DataFrame:
    """root and depth by repeated merges up the parent pointers (the obvious pandas way)."""
    nodes = pd.DataFrame({"member_id": pd.unique(pd.concat([edges.referee_id, edges.referrer_id]))})
    parent = edges.set_index("referee_id").referrer_id
    cur = nodes.assign(anc=nodes.member_id, depth=0)
    while True:
        up = cur.anc.map(parent)
        moving = up.notna()
        if not moving.any():
            break
        cur.loc[moving, "anc"] = up[moving].astype(np.int64)
        cur.loc[moving, "depth"] += 1
    return cur.rename(columns={"anc": "root"})


# --- the child: one metric, timed ----------------------------------------------------------------


def child(db: Path, case: str, runs: int) -> dict:
    metric, params = CASES[case]
    out: dict = {"case": case}
    if metric is None:   # the referral forest on a synthetic 300k-edge forest
        from siyu.metrics.referrals import referral_forest

        edges = random_forest_edges()
        started = time.perf_counter()
        nodes, _ = referral_forest(edges.lazy())
        out["cold"] = time.perf_counter() - started
        out["rss_mb"] = peak_rss_mb()
        out["rows"] = nodes.height
        out["tree_depth"] = int(nodes["depth"].max())
        pdf = edges.to_pandas()
        times, last = interleaved({"warm": lambda: referral_forest(edges.lazy())[0],
                                   "pandas": lambda: pandas_forest(pdf)}, runs)
        out.update(times)
        nodes, theirs = last["warm"], last["pandas"]
        mine = nodes.select("member_id", "root", "depth").sort("member_id").to_pandas()
        theirs = theirs.sort_values("member_id").reset_index(drop=True)
        out["equal"] = bool((mine.root.to_numpy() == theirs.root.to_numpy()).all()
                            and (mine.depth.to_numpy() == theirs.depth.to_numpy()).all())
        return out
    with reading(db) as con:
        con.execute("SET enable_progress_bar = false")
        started = time.perf_counter()
        _, frame = run_metric(con, metric, params)
        out["cold"] = time.perf_counter() - started
        run_metric(con, metric, params)   # one warm run too, then siyu's own peak, before any pandas frame exists
        out["rss_mb"] = peak_rss_mb()
        out["rows"] = frame.height
        pandas_fn, check = _pandas_case(con, case, frame, out)
        # siyu, pandas and the floor take turns, so a change in the shared machine's load hits all three alike
        fns = {"warm": lambda: run_metric(con, metric, params)[1], "floor": lambda: con.sql(FLOOR_SQL).fetchall()}
        if pandas_fn is not None:
            fns["pandas"] = pandas_fn
        times, last = interleaved(fns, runs)
        out.update(times)
        if check is not None:
            out["equal"] = check(last["warm"], last["pandas"])
    return out


def _pandas_case(con, case: str, frame: pl.DataFrame, out: dict):
    """(pandas function, comparison of (siyu frame, pandas answer)) for `case`, or (None, None)."""
    baseline = {"retention": pandas_retention, "retention_revenue": pandas_retention_revenue,
                "rfm": pandas_rfm, "concentration": pandas_concentration, "lifecycle": pandas_lifecycle}
    if case == "retention_joined":
        df, members = orders_df(con), con.sql("SELECT member_id, joined_at FROM members").df()
        return (lambda: pandas_retention_joined(df, members)), _cells_equal
    if case == "rfm_segments":
        df = orders_df(con)

        def same_segments(mine: pl.DataFrame, theirs: pd.DataFrame) -> bool:
            got = mine.to_pandas().set_index("member_id")
            got.index = got.index.astype(np.int64)
            theirs = theirs.loc[got.index]
            key = got.r_high.astype(int) * 4 + got.f_high.astype(int) * 2 + got.m_high.astype(int)
            return bool(all((got[c].to_numpy() == theirs[c].to_numpy()).all() for c in ("r_score", "f_score", "m_score"))
                        and (key.to_numpy() == theirs.cn_key.to_numpy()).all())
        return (lambda: pandas_rfm_segments(df)), same_segments
    if case == "tier_migration":
        dates = con.sql("SELECT DISTINCT snapshot_date FROM member_snapshots ORDER BY 1 DESC").fetchall()
        a, b = dates[1][0], dates[0][0]

        def same_matrix(mine: pl.DataFrame, theirs: pd.Series) -> bool:
            got = {(r["from_tier"], r["to_tier"]): r["members"] for r in mine.iter_rows(named=True) if r["members"]}
            return got == {k: int(v) for k, v in theirs.items()}
        return (lambda: pandas_tier_migration(con, a, b)), same_matrix
    if case == "k_factor":
        df = orders_df(con)
        refs = con.sql("SELECT referee_id, referrer_id, referred_at FROM referrals").df()
        as_of = con.sql("SELECT max(paid_at)::DATE FROM orders").fetchall()[0][0]

        def same_k(mine: pl.DataFrame, theirs: pd.Series) -> bool:
            got = mine.filter(pl.col("buyers") > 0)
            return bool(np.allclose(got["k_factor"].to_numpy(), theirs.sort_index().to_numpy()[-got.height:]))
        return (lambda: pandas_k_factor(df, refs, as_of)), same_k
    if case in baseline or case == "tiers":
        started = time.perf_counter()
        df = orders_df(con)
        out["pandas_fetch"] = time.perf_counter() - started
        if case == "tiers":
            end = resolve_range(read_context(con), {}).end

            def same_tiers(mine: pl.DataFrame, theirs: pd.DataFrame) -> bool:
                got = {r["tier"]: (r["members"], r["buyers"], round(r["gmv"] * 100)) for r in mine.iter_rows(named=True)}
                return all(got[t] == (int(r.members), int(r.buyers), int(r.gmv)) for t, r in theirs.iterrows())
            return (lambda: pandas_tiers(con, end)), same_tiers
        return (lambda: baseline[case](df)), (lambda mine, theirs: compare(case, mine, theirs))
    return None, None


def compare(case: str, mine: pl.DataFrame, theirs) -> bool:
    if case == "retention":
        got = mine.select("period", "value").to_pandas()
        return sorted(got.itertuples(index=False)) == sorted(
            (k, v) for k, v in zip(theirs.k, theirs.value, strict=True)) or _cells_equal(mine, theirs)
    if case == "retention_revenue":
        return bool(np.isclose(mine["value"].sum(), theirs.value.sum(), rtol=1e-9)) and \
            sorted(mine.filter(pl.col("value") != 0)["value"].round(2).to_list()) == sorted(theirs.value.round(2).tolist())
    if case == "rfm":
        got = mine.to_pandas().set_index("member_id")
        got.index = got.index.astype(np.int64)
        theirs = theirs.loc[got.index]
        return bool((got.frequency.to_numpy() == theirs.frequency.to_numpy()).all()
                    and np.allclose(got.recency, theirs.recency) and np.allclose(got["T"], theirs["T"])
                    and np.allclose(got.monetary_value, theirs.monetary_value, rtol=1e-9))
    if case == "concentration":
        tops = mine.filter(pl.col("kind") == "top")["gmv_share"].to_list()
        return bool(np.allclose(tops, list(theirs["top"].values()), rtol=1e-9)
                    and np.isclose(mine["gini"][0], theirs["gini"], rtol=1e-9))
    if case == "lifecycle":
        got = mine.select("new", "returning", "resurrecting", "dormant").sum().row(0)
        want = tuple(int(theirs[c].sum()) for c in ("new", "returning", "resurrecting"))
        # pandas counts dormant one period past the data too; siyu stops at the as-of period.
        return got[:3] == want and got[3] <= int(theirs.dormant.sum())
    return False


def _cells_equal(mine: pl.DataFrame, theirs: pd.DataFrame) -> bool:
    nonzero = mine.filter(pl.col("value") > 0).select("period", "value", "cohort_size").to_pandas()
    return sorted(map(tuple, nonzero.to_numpy().tolist())) == sorted(
        map(tuple, theirs[["k", "value", "size"]].to_numpy().tolist()))


# --- the parent: build, run each child, print the table ------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench-metrics.duckdb"))
    parser.add_argument("--members", type=int, default=1_300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--child", default=None)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.db, args.child, args.runs), default=str))
        return
    with reading(args.db) as con:
        has_data = con.sql("SELECT count(*) FROM orders").fetchall()[0][0] > 0
    if not has_data:
        from siyu.demo import write_demo

        write_demo(args.db, members=args.members, seed=7)
    with reading(args.db) as con:
        n_orders = con.sql("SELECT count(*) FROM orders").fetchall()[0][0]
        n_valid = con.sql("SELECT count(*) FROM valid_orders").fetchall()[0][0]
        n_edges = con.sql("SELECT count(*) FROM referrals").fetchall()[0][0]
    rows = []
    for case in args.only or CASES:
        proc = subprocess.run([sys.executable, __file__, "--db", str(args.db), "--runs", str(args.runs),
                               "--child", case], capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{case} failed:\n{proc.stderr}", file=sys.stderr)
            continue
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(f"machine: {machine()}")
    print(f"data: demo brand, {n_orders:,} orders ({n_valid:,} valid), {n_edges:,} referral edges; "
          f"medians of {args.runs} runs; `forest_300k` is a synthetic 300,000-edge forest\n")
    print("| metric | siyu cold | siyu warm | pandas (fetch) | pandas / siyu warm | DuckDB floor | peak RSS | rows | same answer |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        pandas_cell = f"{r['pandas']:.2f} s" + (f" (+{r['pandas_fetch']:.2f} s)" if "pandas_fetch" in r else "") \
            if "pandas" in r else "—"
        ratio = f"{r['pandas'] / r['warm']:.1f}×" if "pandas" in r else "—"
        floor = f"{r['floor'] * 1000:.0f} ms" if "floor" in r else "—"
        same = {True: "yes", False: "NO"}.get(r.get("equal"), "—")
        print(f"| {r['case']} | {r['cold']:.2f} s | {r['warm']:.2f} s | {pandas_cell} | {ratio} | {floor} | "
              f"{r['rss_mb']:,.0f} MB | {r['rows']:,} | {same} |")


if __name__ == "__main__":
    main()
