"""The plan's split: reproducible from its seed, stratified on recency/frequency/value, exact shares."""

from __future__ import annotations

import polars as pl
import pytest

from siyu.errors import MetricError
from siyu.metrics.campaign_split import strata, stratified_split


def _members(n: int = 900) -> pl.DataFrame:
    # Deterministic spread: every 10th member never bought; the others cover a range of R, F and M
    # that is deliberately correlated with member_id (a naive first-n split would be unbalanced).
    rows = []
    for i in range(1, n + 1):
        if i % 10 == 0:
            rows.append((i, None, None, None))
        else:
            rows.append((i, (i * 7) % 365, 1 + (i % 13), float(i % 97) * 10 + i / 10))
    return pl.DataFrame(rows, schema={"member_id": pl.Int64, "recency_days": pl.Int64, "frequency": pl.Int64,
                                      "monetary": pl.Float64}, orient="row")


def test_same_seed_same_split_whatever_the_input_order() -> None:
    members = _members()
    a = stratified_split(members, holdout=0.1, variants=("A", "B"), seed=42)
    b = stratified_split(members.reverse(), holdout=0.1, variants=("A", "B"), seed=42)
    assert a.sort("member_id").equals(b.sort("member_id"))
    c = stratified_split(members, holdout=0.1, variants=("A", "B"), seed=43)
    assert not a.sort("member_id")["arm"].equals(c.sort("member_id")["arm"])


def test_shares_are_exact_and_every_member_once() -> None:
    split = stratified_split(_members(), holdout=0.1, variants=("A", "B"), seed=1)
    assert split.height == 900 and split["member_id"].n_unique() == 900
    assert sorted(split.group_by("arm", "variant").len().rows()) == [
        ("holdout", "", 90), ("send", "A", 405), ("send", "B", 405)]


def test_every_stratum_holds_its_share_within_one_member() -> None:
    members = _members()
    split = stratified_split(members, holdout=0.1, seed=7)
    per = split.group_by("stratum").agg(pl.len().alias("n"), (pl.col("arm") == "holdout").sum().alias("h"))
    assert per.height > 10  # many strata: the terciles of three dimensions plus `none`
    for n, h in per.select("n", "h").iter_rows():
        assert abs(h - n * 0.1) < 1, (n, h)


def test_holdout_and_send_are_balanced_on_recency_frequency_value() -> None:
    members = _members(3000)
    split = stratified_split(members, holdout=0.2, seed=11).join(members, on="member_id")
    means = split.group_by("arm").agg(pl.col("recency_days").mean(), pl.col("frequency").mean(),
                                      pl.col("monetary").mean(), pl.col("frequency").is_null().mean().alias("never"))
    send = means.filter(pl.col("arm") == "send").row(0, named=True)
    hold = means.filter(pl.col("arm") == "holdout").row(0, named=True)
    overall = members.select(pl.col("recency_days").std(), pl.col("frequency").std(), pl.col("monetary").std()).row(0)
    # standardised mean differences well under 0.1 (the usual bar for "balanced")
    for col, sd in zip(("recency_days", "frequency", "monetary"), overall, strict=True):
        assert abs(send[col] - hold[col]) / sd < 0.1, col
    assert send["never"] == pytest.approx(0.1, abs=0.001) and hold["never"] == pytest.approx(0.1, abs=0.001)


def test_strata_by_hand() -> None:
    # three buyers with distinct R/F/M and one who never bought: the terciles are 1, 2, 3
    frame = pl.DataFrame({"member_id": [1, 2, 3, 4], "recency_days": [300, 100, 5, None],
                          "frequency": [1, 5, 2, None], "monetary": [50.0, 900.0, 10.0, None]})
    got = dict(strata(frame).iter_rows())
    assert got == {1: "R1F1M2", 2: "R2F3M3", 3: "R3F2M1", 4: "none"}


@pytest.mark.parametrize("bad", [0, 1, -0.1, 1.5])
def test_holdout_outside_zero_one_is_refused(bad: float) -> None:
    with pytest.raises(MetricError, match="holdout"):
        stratified_split(_members(10), holdout=bad)
