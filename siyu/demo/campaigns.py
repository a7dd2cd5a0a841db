"""The demo brand's two past recall campaigns, so the 召回 page tells both stories on first start (docs/demo.md).

The demo's orders and friendships are drawn without any campaign, and are left exactly as they are (tests pin
them); each campaign is a send file with holdout rows, its groups drawn from what the members did anyway:

- 春季老客召回（短信）, 2026-03-10 10:00, SMS at ¥0.05, copy variants A (满减券) and B (新品试用): buyers whose last
  order was 60-365 days before. The holdout (20%) is drawn with members who bought in the following 14 days
  weighted 0.25 against 1, so the sent group buys clearly more than the holdout: **a clear lift**.
- 新好友欢迎群发（企微）, free: every member who became a friend in May 2026, sent a coupon 2 hours after the add
  (an automated welcome push; members already gone by then are not on the list). The holdout (10%) holds the
  same share of the next 14 days' buyers as the whole list (drawn within buyers and non-buyers alike): **an
  interval around zero**; and friends who deleted a friend or left a customer group in the 7 days after the push
  (campaign_lift's over-messaging cost; many are the paid short-video channel's coupon hunters) are weighted 0.2
  for the holdout, so the sent group is the one that **deleted the brand**.
Drawn from their own random stream (numpy default_rng([seed, 10])): the rest of the demo is unchanged.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa

from siyu.db import execute, query

SPRING = ("2026 春季老客召回（短信）", dt.datetime(2026, 3, 10, 10, 0))
WELCOME = ("新好友欢迎群发（企微）", dt.datetime(2026, 5, 1), dt.datetime(2026, 6, 1))
SMS_COST_CENTS = 5


def _weighted_holdout(weights: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """A boolean mask of `size` members drawn without replacement with the given weights."""
    mask = np.zeros(len(weights), dtype=bool)
    if size and len(weights):
        mask[rng.choice(len(weights), size=min(size, len(weights)), replace=False, p=weights / weights.sum())] = True
    return mask


def _spring(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> pl.DataFrame:
    name, at = SPRING
    lapsed = query(con, "demo_campaign_lapsed", {"send_at": at})
    bought = lapsed["bought"].to_numpy()
    holdout = _weighted_holdout(np.where(bought, 0.25, 1.0), round(0.2 * lapsed.height), rng)
    send_no = np.cumsum(~holdout)
    return lapsed.select("member_id").with_columns(
        pl.lit(name).alias("campaign"), pl.lit(at).alias("sent_at"), pl.lit("短信").alias("channel"),
        pl.Series("arm", np.where(holdout, "holdout", "send")),
        pl.Series("variant", np.where(holdout, "", np.where(send_no % 2 == 1, "A 满减券", "B 新品试用"))),
        pl.when(pl.Series(holdout)).then(None).otherwise(SMS_COST_CENTS).cast(pl.Int64).alias("cost_cents"))


def _welcome(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> pl.DataFrame:
    name, start, end = WELCOME
    friends = query(con, "demo_campaign_new_friends", {"start": start, "end": end})
    bought, deleted = friends["bought"].to_numpy(), friends["deleted_7d"].fill_null(False).to_numpy()
    holdout = np.zeros(friends.height, dtype=bool)
    for group in (bought, ~bought):  # the holdout's buyer share is the list's
        idx = np.flatnonzero(group)
        pick = _weighted_holdout(np.where(deleted[idx], 0.2, 1.0), round(0.1 * len(idx)), rng)
        holdout[idx[pick]] = True
    return friends.select("member_id", "sent_at").with_columns(
        pl.lit(name).alias("campaign"), pl.lit("群发").alias("channel"),
        pl.Series("arm", np.where(holdout, "holdout", "send")), pl.lit("").alias("variant"),
        pl.lit(None, dtype=pl.Int64).alias("cost_cents"))


def write_campaigns(con: duckdb.DuckDBPyConnection, batch_id: int, seed: int) -> int:
    """Insert both campaigns under the demo batch (inside its transaction); returns the send rows written."""
    rng = np.random.default_rng([seed, 10])
    columns = ["campaign", "member_id", "sent_at", "channel", "variant", "arm", "cost_cents"]
    sends = pl.concat([_spring(con, rng).select(columns), _welcome(con, rng).select(columns)], how="vertical_relaxed")
    heads = pa.table({"campaign": [SPRING[0], WELCOME[0]],
                      "source": ["流失老客（上次购买 60–365 天前）", "2026 年 5 月新加的企微好友"],
                      "note": ["演示：短信召回，20% 对照组", "演示：企微群发，10% 对照组"]})
    con.register("demo_campaigns", heads)
    con.register("demo_campaign_sends", sends.to_arrow())
    execute(con, "demo_write_campaigns", {"batch_id": batch_id})
    con.unregister("demo_campaigns")
    con.unregister("demo_campaign_sends")
    return sends.height
