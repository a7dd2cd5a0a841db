"""Monthly spend per acquisition channel for the demo brand: what the 无效私域 cost view ranks.

Each channel has a cost per acquired member (CPA, yuan) — package-insert cards are cheap prints, the paid
short-video channel (短视频, 投流) is expensive and brings coupon hunters who delete within days — and a
month's cost is its joins that month × CPA × lognormal noise (σ = 0.15), rounded to the yuan. One row per
channel and calendar month with at least one join, as an operator's spend sheet would have it. Drawn from
its own random stream, so the members, friends and orders are the same as without it.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from siyu.demo.catalog import CHANNEL_NAMES
from siyu.demo.people import Members

CPA_YUAN = {"包裹卡": 3.0, "门店": 8.0, "裂变海报": 15.0, "短视频": 45.0, "公众号": 5.0, "短信召回": 2.5,
            "直播": 25.0, "分销": 20.0}
assert set(CPA_YUAN) == set(CHANNEL_NAMES)


def cost_table(m: Members, rng: np.random.Generator) -> pa.Table:
    """channel, period_start, period_end (the month's first and last day), cost_cents."""
    month = m.joined.astype("datetime64[s]").astype("datetime64[M]")
    first = month.min()
    index = (month - first).astype(np.int64)
    months = int(index.max()) + 1
    joins = np.zeros((len(CHANNEL_NAMES), months), dtype=np.int64)
    np.add.at(joins, (m.channel.astype(np.int64), index), 1)
    cpa = np.array([CPA_YUAN[name] for name in CHANNEL_NAMES])[:, None]
    noise = rng.lognormal(0.0, 0.15, size=joins.shape)
    cents = np.round(joins * cpa * noise).astype(np.int64) * 100
    ch, mo = np.nonzero(joins)
    starts = first + mo.astype("timedelta64[M]")
    ends = (starts + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    return pa.table({
        "channel": pa.array([CHANNEL_NAMES[c] for c in ch], pa.string()),
        "period_start": pa.array(starts.astype("datetime64[D]"), pa.date32()),
        "period_end": pa.array(ends, pa.date32()),
        "cost_cents": pa.array(cents[ch, mo], pa.int64()),
    })
