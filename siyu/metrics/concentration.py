"""Rows of three kinds: kind, buyer_share, buyers, gmv, gmv_share, gini — how concentrated GMV is among buyers.

Definitions (docs/metrics/concentration.md), over valid orders paid in the range, net amounts:
- A buyer's GMV is the sum of their net amounts in the range; buyers with only free samples count
  (GMV 0).
- kind=top: for p in 1, 5, 10, 20, 50 %: the k = ceil(p% x buyers) biggest buyers (at least one);
  buyer_share = p / 100, buyers = k, gmv = their GMV (yuan), gmv_share = gmv / total GMV.
- kind=lorenz: points of the empirical Lorenz curve, buyers sorted by GMV ascending: buyers = k
  bottom buyers, buyer_share = k / n, gmv_share = their share of GMV. k runs over every buyer when
  there are at most 100, else over 101 evenly spaced counts; the first point is (0, 0), the last (1, 1).
- gini: 1 - 2 x area under the exact Lorenz curve = sum_i (2i - n - 1) x_(i) / (n sum x), x ascending;
  the same value on every row. 0 = everyone spends the same; -> 1 = one buyer has everything.
- When total GMV is 0 (only free samples) gmv_share and gini are null.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

TOPS = (1, 5, 10, 20, 50)
LORENZ_POINTS = 100
SCHEMA = pl.Schema({"kind": pl.String, "buyer_share": pl.Float64, "buyers": pl.Int64, "gmv": pl.Float64,
          "gmv_share": pl.Float64, "gini": pl.Float64})


def buyer_gmv(orders: pl.LazyFrame) -> np.ndarray:
    """Net cents per buyer, ascending."""
    per = orders.group_by("member_id").agg(pl.col("net_cents").sum()).select("net_cents").collect()
    return np.sort(per["net_cents"].to_numpy().astype(np.int64))


def gmv_concentration(orders: pl.LazyFrame, tops: tuple[int, ...] = TOPS) -> pl.DataFrame:
    """orders: member_id, net_cents of the valid orders in the range (already filtered)."""
    cents = buyer_gmv(orders)
    n = len(cents)
    if n == 0:
        return pl.DataFrame(schema=SCHEMA)
    total = int(cents.sum())
    cum = np.concatenate([[0], np.cumsum(cents)])  # cum[k] = GMV of the bottom k buyers
    share = (lambda c: c / total) if total else (lambda c: None)
    i = np.arange(1, n + 1)
    gini = float(((2 * i - n - 1) * cents).sum() / (n * total)) if total else None
    rows = []
    for p in tops:
        k = max(1, math.ceil(p * n / 100))
        top = int(total - cum[n - k])
        rows.append(("top", p / 100, k, top / 100, share(top)))
    m = min(n, LORENZ_POINTS)
    for j in range(m + 1):
        k = round(j * n / m)
        rows.append(("lorenz", k / n, k, int(cum[k]) / 100, share(int(cum[k]))))
    frame = pl.DataFrame(rows, schema=list(SCHEMA)[:5], orient="row")
    return frame.with_columns(pl.lit(gini, dtype=pl.Float64).alias("gini")).cast(SCHEMA)
