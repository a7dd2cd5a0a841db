"""The built-in demo brand 山茶集: a deterministic private domain that shows every story siyu tells.

`write_demo(db, members=N, seed=S)` draws about three years of data (2023-11-01 to 2026-10-31
23:59:59, fixed, never "today") with numpy `default_rng` streams, fully vectorised, and writes it
in one transaction under one import batch (profile 'demo'). The same (members, seed) always gives
the same rows. See docs/demo.md for the stories; in short:

- members joining through eight channels, growing ~55%/year, with 双11 and 618 peaks;
- a paid short-video channel (短视频) whose friends delete within 7 days about a third of the time,
  after a ¥0-¥9.9 coupon-hunter first order, with almost no repeat buying;
- heavy-tailed repeat buying (BG/NBD-like): the top 20% of buyers bring 70-80% of net GMV;
- refunds, partial refunds, cancelled and unpaid orders, free samples;
- referral trees six or more levels deep; quarterly tier snapshots with visible upgrades, and downgrades at
  a yearly review; a points ledger and a paid VIP (siyu/demo/loyalty.py, issue #19);
- order lines with a product launched on 2026-05-20 (新品), for "early buyers of new products";
- monthly spend per channel (siyu/demo/costs.py), so the 无效私域 view can rank channels by the cost of a
  valid member (短视频 is the most expensive).

Order lines are written only up to ITEMS_MAX_MEMBERS members: above that they would add ~1.4 rows
per order to a 7.5-million-order build for little gain. They are still drawn (they fix each order's
gross), so orders are identical either way.

Measured with `/usr/bin/time -v python -m siyu demo` on the shared 2-core development machine
(2026-11-25; times vary with its load):

- 20,000 members (default): 150,211 orders; 1.5-2.4 s inside write_demo (up to 4 s while other
  test suites ran, load average 6), 2.2-3.9 s for the whole command; peak RSS 0.40 GB; file 40 MB.
- issue #19's programme (siyu/demo/loyalty.py) adds about 0.8 s user time and 27 MB to the default build
  (measured 2026-12-03 at load average 30: 2.8 s user against 2.0 s; 67 MB against 40 MB, mostly the 333,943
  ledger rows); its ledger is left out above 100,000 members.
- 1,000,000 members: 7,485,466 orders; 48 s wall (30 s user) at load average 6; peak RSS 2.9 GB;
  file 1.0 GB without order lines. About a quarter is drawing the data, the rest DuckDB (primary
  keys on orders and identities, commit and checkpoint). `metric kpis` then agrees in 3.7 s.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from siyu.db import execute, query, scalar, writing
from siyu.demo import campaigns, costs, frames, groups, loyalty, people, relations, snapshots, summary
from siyu.demo import orders as order_gen
from siyu.errors import SiyuError

ITEMS_MAX_MEMBERS = 100_000
MIN_MEMBERS, MAX_MEMBERS = 100, 5_000_000
INSERT_CHUNK = 2_000_000   # order rows per Arrow table handed to DuckDB, to bound memory


@dataclass
class Demo:
    """Everything the generator drew; arrays indexed by member (0-based) or by row."""

    members: people.Members
    behaviour: order_gen.Behaviour
    friends: people.Friends
    referrals: people.Referrals
    orders: order_gen.Orders
    snapshots: snapshots.Snapshots
    seed: int
    loyalty: loyalty.Programme | None = None


def generate(members: int, seed: int, *, order_scale: float = 1.0, referral_scale: float = 1.0) -> Demo:
    """Draw the demo brand. Each part has its own random stream, so parts stay stable when another changes.

    `order_scale` multiplies every buyer's purchase rate and `referral_scale` each channel's share of
    referred joins; both default to 1.0, the demo brand as documented. The benchmarks use them to reach
    ~10 orders and ~0.3 referrals per member (1M members: ~10M orders, ~300k referral edges)."""
    def rng(part: int) -> np.random.Generator:
        return np.random.default_rng([seed, part])

    m = people.members(members, rng(1))
    b = order_gen.behaviour(m, rng(2))
    f = people.friends(m, rng(3))
    r = people.referrals(m, 0.2 + b.buyer * b.rate * 365.25, rng(4), scale=referral_scale)
    o = order_gen.orders(m, b, rng(5), keep_items=members <= ITEMS_MAX_MEMBERS, rate_scale=order_scale)
    s = snapshots.snapshots(m, o, rng(6))
    p = loyalty.programme(m, o, s, rng(10), with_ledger=members <= loyalty.LEDGER_MAX_MEMBERS)  # issue #19
    return Demo(m, b, f, r, o, p.snapshots, seed, p)


def _check_size(members: int, seed: int, order_scale: float = 1.0, referral_scale: float = 1.0) -> None:
    for name, value in (("--order-scale", order_scale), ("--referral-scale", referral_scale)):
        if not (0.1 <= value <= 10.0):   # also refuses NaN
            raise SiyuError(f"{name} 须在 0.1 到 10 之间，收到 {value}。 / {name} must be between 0.1 and 10; got {value}.")
    if seed < 0:
        raise SiyuError(f"随机种子须是非负整数，收到 {seed}。 / --seed must be a non-negative integer; got {seed}.")
    if not MIN_MEMBERS <= members <= MAX_MEMBERS:
        raise SiyuError(f"演示数据的会员数须在 {MIN_MEMBERS:,} 到 {MAX_MEMBERS:,} 之间，收到 {members:,}。"
                        f" / --members must be between {MIN_MEMBERS:,} and {MAX_MEMBERS:,}; got {members:,}.")


def _make_room(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """Refuse a database with imported data; remove an earlier demo (same transaction)."""
    if int(query(con, "latest_batch")["real_batches"][0]):
        raise SiyuError(f"数据库 {db_path} 里已有导入的数据，演示数据不会写进去；请用 --db 指定另一个文件。"
                        f" / The database {db_path} already holds imported data; the demo will not be "
                        "written into it. Use another --db.")
    execute(con, "clear_demo")
    if scalar(con, "demo_write_leftover_rows"):
        raise SiyuError(f"数据库 {db_path} 里有不属于演示批次的数据；请用 --db 指定另一个文件。"
                        f" / The database {db_path} holds rows outside any demo batch; use another --db.")


def _insert(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, batch_id: int) -> int:
    con.register(f"demo_{name}", table)
    # On failure the view goes with the rolled-back connection; unregistering then would mask the error.
    execute(con, f"demo_write_{name}", {"batch_id": batch_id} if name != "tiers" else None)
    con.unregister(f"demo_{name}")
    return table.num_rows


def _write_tables(con: duckdb.DuckDBPyConnection, demo: Demo, batch_id: int) -> dict[str, int]:
    """Insert every table, consuming `demo`: its big arrays are dropped as soon as they are written,
    so the memory DuckDB needs for the commit is not held twice (2.8 rather than 3.4 GB at 1M members)."""
    m, seed = demo.members, demo.seed
    rows = {
        "members": _insert(con, "members", frames.member_table(m, np.random.default_rng([seed, 7])), batch_id),
        "member_identities": _insert(con, "identities",
                                     frames.identity_table(m, demo.friends, np.random.default_rng([seed, 8])),
                                     batch_id),
        "staff": _insert(con, "staff", relations.staff_table(), batch_id),  # + the styled staff (issue #17)
        "friends": _insert(con, "friends", relations.restaff(frames.friend_table(m, demo.friends), m, demo.friends,
                                                             demo.behaviour, np.random.default_rng([seed, 10])), batch_id),
        "member_tags": _insert(con, "member_tags", relations.tag_table(m, demo.behaviour, np.random.default_rng([seed, 11])),
                               batch_id),
        "referrals": _insert(con, "referrals", frames.referral_table(m, demo.referrals), batch_id),
        "tiers": _insert(con, "tiers", frames.tier_table(), batch_id),
        "member_snapshots": _insert(con, "snapshots", frames.snapshot_table(demo.snapshots), batch_id),
        "channel_costs": _insert(con, "channel_costs", costs.cost_table(m, np.random.default_rng([seed, 9])), batch_id),
        **(loyalty.write(con, demo.loyalty, batch_id) if demo.loyalty else {}),
    }
    rows.update(_write_groups(con, demo, batch_id))
    del demo.snapshots, demo.friends, demo.behaviour, demo.loyalty
    o = demo.orders
    del demo.orders
    sequence = np.lexsort((np.arange(len(o.member)), o.created))   # orders in created order
    rows["order_items"] = _insert(con, "order_items", frames.item_table(o, sequence), batch_id)
    rows["orders"] = 0
    for lo in range(0, len(sequence), INSERT_CHUNK):
        chunk = frames.order_table(o, sequence[lo:lo + INSERT_CHUNK], first_seq=lo + 1)
        rows["orders"] += _insert(con, "orders", chunk, batch_id)
        del chunk
    return rows


def _write_groups(con: duckdb.DuckDBPyConnection, demo: Demo, batch_id: int) -> dict[str, int]:
    """The customer groups (siyu/demo/groups.py), on their own random stream; their layer rules when none are saved."""
    g = groups.group_tables(demo.members, demo.orders, np.random.default_rng([demo.seed, 10]))
    con.register("demo_group_rules", groups.rules_table())
    execute(con, "demo_write_group_rules")
    con.unregister("demo_group_rules")
    return {"groups": _insert(con, "groups", g.groups, batch_id),
            "group_memberships": _insert(con, "group_memberships", g.memberships, batch_id),
            "group_daily": _insert(con, "group_daily", g.daily, batch_id)}


def write_demo(db_path: Path, *, members: int = 20_000, seed: int = 7, timeout: float = 30.0,
               order_scale: float = 1.0, referral_scale: float = 1.0) -> dict:
    """Build the demo brand into `db_path` and return its summary (see summary.py and docs/demo.md).

    Refuses (SiyuError) a database that holds imported data; replaces an earlier demo. One
    transaction: if anything fails, the database is left as it was.
    """
    started = time.perf_counter()
    _check_size(members, seed, order_scale, referral_scale)
    demo = generate(members, seed, order_scale=order_scale, referral_scale=referral_scale)
    result = {**summary.kpis(demo.members, demo.friends, demo.orders),
              **summary.stories(demo.members, demo.friends, demo.referrals, demo.orders, demo.snapshots)}
    with writing(Path(db_path), timeout) as con:
        _make_room(con, Path(db_path))
        batch_id = int(scalar(con, "new_batch", {"file_name": "demo", "sha256": None, "profile": "demo",
                                                 "imported_by": "demo"}))
        rows = _write_tables(con, demo, batch_id)
        rows["campaign_sends"] = campaigns.write_campaigns(con, batch_id, seed)  # two past recalls (召回 page)
        scalar(con, "demo_write_member_seq", {"last_member_id": members})   # a SELECT: fetch it
        execute(con, "demo_write_batch_totals", {
            "batch_id": batch_id, "rows": sum(rows.values()),
            "note": f"demo brand 山茶集: members={members} seed={seed}"
                    + ("" if (order_scale, referral_scale) == (1.0, 1.0)
                       else f" order_scale={order_scale} referral_scale={referral_scale}")})
        del demo
    result.update(orders_total=rows["orders"], rows=rows, seed=seed, batch_id=batch_id,
                  seconds=round(time.perf_counter() - started, 3))
    return result


__all__ = ["Demo", "generate", "write_demo"]
