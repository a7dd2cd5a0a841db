"""The group metrics on the demo brand against an independent plain-pandas computation of the same
definitions (docs/metrics/groups.md, group_layers.md), and the stories the demo's groups tell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from siyu.db import reading
from siyu.demo import write_demo
from siyu.engine.catalog import run_metric

pytestmark = pytest.mark.slow
DAY = pd.Timedelta(days=1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gdemo") / "demo.duckdb"
    write_demo(path, members=4_000, seed=11)
    return path


def _frames(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, dt.date]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        ms = con.execute("SELECT group_id, member_id, joined_at, left_at FROM group_memberships").df()
        orders = con.execute("SELECT member_id, paid_at, net_cents FROM valid_orders").df()
        groups = con.execute("SELECT group_id, group_name, group_type FROM groups").df()
        rules = con.execute("SELECT position, pattern, layer FROM group_layer_rules ORDER BY position").df()
        last = con.execute("SELECT greatest((SELECT max(joined_at) FROM members), (SELECT max(paid_at) FROM orders),"
                           " (SELECT max(added_at) FROM friends), (SELECT max(deleted_at) FROM friends),"
                           " (SELECT max(joined_at) FROM group_memberships), (SELECT max(left_at) FROM group_memberships),"
                           " (SELECT max(day)::TIMESTAMP FROM group_daily))::DATE").fetchone()[0]
    finally:
        con.close()
    return ms, orders, groups, rules, last


def _layer_of(groups: pd.DataFrame, rules: pd.DataFrame) -> dict[str, str]:
    out = {}
    for g in groups.itertuples():
        layer = g.group_type if isinstance(g.group_type, str) else None
        for r in rules.itertuples():
            if layer is None and r.pattern.lower() in g.group_name.lower():
                layer = r.layer
        out[g.group_id] = layer or "other"
    return out


def _facts(ms: pd.DataFrame, orders: pd.DataFrame, key: str, hi: pd.Timestamp) -> pd.DataFrame:
    """Per key x member, the quantities the definitions name, computed row by row in pandas."""
    ms = ms[ms["joined_at"] < hi].sort_values("joined_at")
    rows = []
    by_member = {m: o for m, o in orders[orders["paid_at"] < hi].groupby("member_id")}
    for (k, member), stays in ms.groupby([key, "member_id"]):
        first = stays.iloc[0]
        join = first["joined_at"]
        left = first["left_at"] if pd.notna(first["left_at"]) and first["left_at"] < hi else None
        now = bool((stays["left_at"].isna() | (stays["left_at"] >= hi)).any())
        o = by_member.get(member, orders.iloc[0:0])
        since = o["paid_at"] - join
        after = o[since >= pd.Timedelta(0)]
        rows.append({
            key: k, "member_id": member, "now": now,
            "left_7d": left is not None and (left - join) < 7 * DAY,
            "left_30d": left is not None and (left - join) < 30 * DAY,
            "b30": bool(((since >= pd.Timedelta(0)) & (since < 30 * DAY)).any()),
            "b90": bool(((since >= pd.Timedelta(0)) & (since < 90 * DAY)).any()),
            "m7": join + 7 * DAY <= hi, "m30": join + 30 * DAY <= hi, "m90": join + 90 * DAY <= hi,
            "after90": int(o.loc[(since >= pd.Timedelta(0)) & (since < 90 * DAY), "net_cents"].sum()),
            "before90": int(o.loc[(since < pd.Timedelta(0)) & (since >= -90 * DAY), "net_cents"].sum()),
            "gmv": int(after["net_cents"].sum()), "days": after["paid_at"].dt.normalize().nunique(),
        })
    return pd.DataFrame(rows)


def _share(num: float, den: float) -> float | None:
    return num / den if den else None


def test_groups_match_plain_pandas(demo: Path) -> None:
    ms, orders, groups, rules, last = _frames(demo)
    hi = pd.Timestamp(last) + DAY
    facts = _facts(ms, orders, "group_id", hi)
    layers = _layer_of(groups, rules)
    with reading(demo) as con:
        got = {r["group_id"]: r for r in run_metric(con, "groups", {})[1].iter_rows(named=True)}
    assert len(got) == len(groups) >= 8
    for gid, f in facts.groupby("group_id"):
        m7, m30, m90 = f[f["m7"]], f[f["m30"]], f[f["m90"]]
        buyers = f[f["days"] >= 1]
        want = {
            "layer": layers[gid], "joined": len(f), "members_now": int(f["now"].sum()),
            "left_7d": int(f["left_7d"].sum()), "left_30d": int(f["left_30d"].sum()),
            "buyers_30d": int(f["b30"].sum()), "buyers_90d": int(f["b90"].sum()),
            "left_7d_share": _share(m7["left_7d"].sum(), len(m7)), "left_30d_share": _share(m30["left_30d"].sum(), len(m30)),
            "buyers_30d_share": _share(m30["b30"].sum(), len(m30)), "buyers_90d_share": _share(m90["b90"].sum(), len(m90)),
            "matured_90d": len(m90), "gmv_90d_after_per_member": _share(m90["after90"].sum() / 100, len(m90)),
            "gmv_90d_before_per_member": _share(m90["before90"].sum() / 100, len(m90)),
            "repeat_rate": _share((buyers["days"] >= 2).sum(), len(buyers)),
        }
        row = got[gid]
        for col, value in want.items():
            assert row[col] == (pytest.approx(value) if isinstance(value, float) else value), (gid, col)


def test_group_layers_match_plain_pandas(demo: Path) -> None:
    ms, orders, groups, rules, last = _frames(demo)
    hi = pd.Timestamp(last) + DAY
    layers = _layer_of(groups, rules)
    facts = _facts(ms.assign(layer=ms["group_id"].map(layers)), orders, "layer", hi)
    total = orders.loc[orders["paid_at"] < hi, "net_cents"].sum()
    with reading(demo) as con:
        got = {r["layer"]: r for r in run_metric(con, "group_layers", {})[1].iter_rows(named=True)}
    assert list(got) == ["mass", "core", "super"]
    for layer, f in facts.groupby("layer"):
        buyers = f[f["days"] >= 1]
        row = got[layer]
        assert (row["members"], row["members_now"], row["buyers"]) == (len(f), int(f["now"].sum()), len(buyers))
        assert row["gmv"] == pytest.approx(f["gmv"].sum() / 100)
        assert row["gmv_share"] == pytest.approx(f["gmv"].sum() / total)
        assert row["repeat_rate"] == pytest.approx((buyers["days"] >= 2).sum() / len(buyers))


def test_the_demo_groups_tell_the_pyramid_story(demo: Path) -> None:
    with reading(demo) as con:
        layers = {r["layer"]: r for r in run_metric(con, "group_layers", {})[1].iter_rows(named=True)}
        groups = run_metric(con, "groups", {})[1]
        moves = run_metric(con, "group_layer_moves", {})[1]
    # A pyramid: the base is widest; each layer up buys more per member and stays more.
    assert layers["mass"]["members"] > 2 * layers["core"]["members"] > 2 * layers["super"]["members"] > 0
    assert layers["mass"]["arpu"] < layers["core"]["arpu"] < layers["super"]["arpu"]
    assert layers["mass"]["retained_share"] < layers["core"]["retained_share"] < layers["super"]["retained_share"]
    # The paid short-video channel's coupon hunters crowd the later 福利大群 and leave within a week.
    mass = groups.filter(groups["layer"] == "mass")
    assert mass["left_7d"].sum() > 0.05 * mass["joined"].sum()
    assert mass["joined"].sum() > mass["members_now"].sum()
    ups = moves.filter((moves["from_layer"] == "mass") & (moves["to_layer"] == "core"))["members"].sum()
    assert ups > 0


def test_group_layer_moves_match_a_month_by_month_pandas_count(demo: Path) -> None:
    ms, _orders, groups, rules, last = _frames(demo)
    level = {"other": 0, "mass": 1, "core": 2, "super": 3}
    ms = ms.assign(level=ms["group_id"].map(_layer_of(groups, rules)).map(level))
    hi = pd.Timestamp(last) + DAY
    months = pd.date_range(ms["joined_at"].min().to_period("M").to_timestamp(), pd.Timestamp(last), freq="MS")
    before: dict[int, int] = {}
    want = []
    for month in months:
        at = min(month + pd.offsets.MonthBegin(1), hi)
        open_ = ms[(ms["joined_at"] < at) & (ms["left_at"].isna() | (ms["left_at"] >= at))]
        now = open_.groupby("member_id")["level"].max().to_dict()
        names = {-1: "none", **{v: k for k, v in level.items()}}
        counts: dict[tuple[str, str], int] = {}
        for member in set(now) | set(before):
            a, b = before.get(member, -1), now.get(member, -1)
            if a != b:
                counts[(names[a], names[b])] = counts.get((names[a], names[b]), 0) + 1
        want += [(month.date().isoformat(), f, t, n) for (f, t), n in sorted(counts.items())]
        before = now
    with reading(demo) as con:
        got = run_metric(con, "group_layer_moves", {})[1]
    assert [(r["month"].isoformat(), r["from_layer"], r["to_layer"], r["members"]) for r in got.iter_rows(named=True)] == want
