"""At-risk super users: valuable, P(alive) low and falling; literal fixture."""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.at_risk import COLUMNS, at_risk_super_users


def test_literal_selection() -> None:
    now = pl.DataFrame({
        "member_id": ["a", "b", "c", "d", "e"],
        "p_alive": [0.2, 0.9, 0.3, 0.1, 0.4],
        "expected_purchases_90d": [0.1, 2.0, 0.2, 0.05, 0.3],
        "clv": [50.0, 500.0, 80.0, 5.0, 90.0],
    })
    before = pl.DataFrame({"member_id": ["a", "b", "c", "d", "e"], "p_alive_before": [0.6, 0.95, 0.25, 0.5, 0.7]})
    spend = pl.DataFrame({
        "member_id": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
        "net_spend": [900.0, 1000.0, 800.0, 10.0, 800.0, 5.0, 5.0, 5.0, 5.0, 5.0],
        "last_purchase": [dt.date(2024, 1, 1)] * 10,
        "days_since_last": [100] * 10,
    })
    out = at_risk_super_users(now, before, spend, top_share=0.4, p_alive_max=0.5)
    # top 40% of 10 buyers by spend: b (1000), a (900), c (800), e (800; c wins the tie by id)
    # b: p_alive 0.9 is not low; c: P(alive) rose (0.25 -> 0.3); d: not valuable
    assert out.columns == COLUMNS
    assert out["member_id"].to_list() == ["e", "a"]  # sorted by clv: 90 then 50
    assert out["p_alive_drop"].to_list() == [0.7 - 0.4, 0.6 - 0.2]
    assert out["value_rank_share"].to_list() == [0.4, 0.2]


def test_no_model_no_list() -> None:
    now = pl.DataFrame({"member_id": ["a"], "p_alive": [None], "expected_purchases_90d": [0.1], "clv": [1.0]},
                       schema_overrides={"p_alive": pl.Float64})
    assert at_risk_super_users(now, pl.DataFrame(), pl.DataFrame()).height == 0
