"""The demo brand's customer groups (社群): the three layers, joins and leaves, and WeCom's daily statistic.

The articles' community: everyone is invited into a 福利大群 (mass), buyers who come back are invited into
a 冷泡茶核心群 (core, "邀请她加入核心群"), and the best customers into the 超级用户群 (super). So:

- mass: MASS_SHARE of members join a 福利大群 within three days of joining siyu (the paid short-video
  channel's coupon hunters more often, PAID_MASS_SHARE, and PAID_QUICK_LEAVE of them leave within a
  week); others leave at a slow rate, and some of those leavers come back later (a re-join, counted once);
  groups are filled in join order, MASS_SIZE members each (WeCom caps a customer group at 500);
- core: CORE_SHARE of members who paid a second valid order join a core group a few days after it;
- super: SUPER_SHARE of members who paid a SUPER_ORDERS-th valid order join a super-user group;
- the daily statistic (wecom_group_daily) for the last 180 days, per group owner, counted from these
  memberships, as WeCom keeps only 180 days.

Group names carry 大群 / 核心群 / 超级用户群, and the demo saves the matching layer rules when none are saved,
so the 社群 page's pyramid has three layers on first start. Its own random stream: members, friends and
orders are the same as without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from siyu.demo.catalog import CHANNEL_NAMES, PAID_CHANNEL
from siyu.demo.frames import timestamps
from siyu.demo.orders import Orders
from siyu.demo.people import Members
from siyu.demo.timeline import DAY, END_S

MASS_SHARE, PAID_MASS_SHARE = 0.6, 0.85
PAID_QUICK_LEAVE = 0.40          # of the paid channel's mass joiners: gone within 7 days
SLOW_LEAVE, SLOW_LEAVE_DAYS = 0.15, 90.0
REJOIN = 0.25                    # of the slow leavers: back 10-120 days later
CORE_SHARE, CORE_LEAVE, CORE_LEAVE_DAYS = 0.35, 0.06, 150.0
SUPER_ORDERS, SUPER_SHARE, SUPER_LEAVE = 10, 0.3, 0.02
MASS_SIZE, CORE_SIZE, SUPER_SIZE = 480, 200, 300
DAILY_DAYS = 180
# (name pattern, layer): the rules the demo saves when none are saved (the operator edits them on the page).
RULES = (("超级用户群", "super"), ("核心群", "core"), ("大群", "mass"))
OWNERS = {"mass": ("yy_MaLin", "yy_HeQian"), "core": ("yy_HeQian",), "super": ("zb_LuoXi",)}
NAMES = {"mass": "山茶集福利大群{}群", "core": "山茶集冷泡茶核心群{}", "super": "山茶集超级用户群{}"}
JOIN_WAYS = ("扫描群二维码", "通过邀请链接", "由成员邀请")


@dataclass
class Groups:
    groups: pa.Table
    memberships: pa.Table
    daily: pa.Table


def _kth_valid_order(o: Orders, n: int, k: int) -> np.ndarray:
    """Seconds of each member's k-th valid order (1-based), -1 when they have fewer."""
    ok = o.valid
    member, paid = o.member[ok], o.paid_at[ok]
    order = np.lexsort((paid, member))
    member, paid = member[order], paid[order]
    first = np.r_[0, np.nonzero(np.diff(member))[0] + 1]
    counts = np.diff(np.r_[first, len(member)])
    out = np.full(n, -1, dtype=np.int64)
    has = counts >= k
    out[member[first[has]]] = paid[first[has] + k - 1]
    return out


def _layer(rng: np.random.Generator, who: np.ndarray, joined: np.ndarray, leave_share: float, leave_days: float,
           size: int, layer: str) -> dict[str, np.ndarray]:
    """Members `who` joining at `joined` (seconds), filled into groups of `size` in join order."""
    order = np.argsort(joined, kind="stable")
    who, joined = who[order], joined[order]
    leaves = rng.uniform(size=len(who)) < leave_share
    left = np.where(leaves, joined + (rng.exponential(leave_days, len(who)) * DAY).astype(np.int64) + 3600, -1)
    return {"member": who, "joined": joined, "left": np.where(left > END_S, -1, left),
            "group": np.arange(len(who)) // size, "layer": np.full(len(who), layer)}


def memberships(m: Members, o: Orders, rng: np.random.Generator) -> dict[str, dict[str, np.ndarray]]:
    """Per layer: member index, joined, left (-1 open) and group number of every membership."""
    n = m.n
    paid = m.channel == CHANNEL_NAMES.index(PAID_CHANNEL)
    mass = np.nonzero(rng.uniform(size=n) < np.where(paid, PAID_MASS_SHARE, MASS_SHARE))[0]
    joined = m.joined[mass] + (rng.uniform(0.02, 3.0, len(mass)) * DAY).astype(np.int64)
    keep = joined < END_S
    mass, joined = mass[keep], joined[keep]
    layers = {"mass": _layer(rng, mass, joined, SLOW_LEAVE, SLOW_LEAVE_DAYS, MASS_SIZE, "mass")}
    mm = layers["mass"]
    quick = paid[mm["member"]] & (rng.uniform(size=len(mm["member"])) < PAID_QUICK_LEAVE)
    mm["left"] = np.where(quick, mm["joined"] + (rng.uniform(0.05, 6.9, len(quick)) * DAY).astype(np.int64), mm["left"])
    back = (~quick & (mm["left"] >= 0)) & (rng.uniform(size=len(quick)) < REJOIN)
    again = mm["left"][back] + (rng.uniform(10, 120, int(back.sum())) * DAY).astype(np.int64)
    fits = again < END_S
    for key, extra in (("member", mm["member"][back][fits]), ("joined", again[fits]),
                       ("left", np.full(int(fits.sum()), -1)), ("group", mm["group"][back][fits]),
                       ("layer", np.full(int(fits.sum()), "mass"))):
        mm[key] = np.concatenate([mm[key], extra])
    for layer, k, share, leave, days, size in (("core", 2, CORE_SHARE, CORE_LEAVE, CORE_LEAVE_DAYS, CORE_SIZE),
                                               ("super", SUPER_ORDERS, SUPER_SHARE, SUPER_LEAVE, 365.0, SUPER_SIZE)):
        kth = _kth_valid_order(o, n, k)
        who = np.nonzero((kth >= 0) & (rng.uniform(size=n) < share))[0]
        at = kth[who] + (rng.uniform(1.0, 7.0, len(who)) * DAY).astype(np.int64)
        keep = at < END_S
        layers[layer] = _layer(rng, who[keep], at[keep], leave, days, size, layer)
    return layers


def _group_table(layers: dict[str, dict[str, np.ndarray]]) -> tuple[pa.Table, dict[tuple[str, int], str]]:
    ids, names, owners, created = [], [], [], []
    key: dict[tuple[str, int], str] = {}
    for layer, rows in layers.items():
        for g in range(int(rows["group"].max()) + 1 if len(rows["group"]) else 0):
            gid = str(_ids(layer, np.array([g]))[0])
            key[(layer, g)] = gid
            ids.append(gid)
            names.append(NAMES[layer].format(g + 1))
            owners.append(OWNERS[layer][g % len(OWNERS[layer])])
            created.append(int(rows["joined"][rows["group"] == g].min()) - 3600)
    return pa.table({"group_id": ids, "group_name": names, "owner_id": owners,
                     "created_at": timestamps(np.array(created, dtype=np.int64))}), key


def _daily(groups: pa.Table, member_owner: np.ndarray, joined: np.ndarray, left: np.ndarray,
           rng: np.random.Generator) -> pa.Table:
    """Per owner and day of the last DAILY_DAYS days: the counts WeCom's daily group statistic has."""
    last_day = END_S // DAY
    days = np.arange(last_day - DAILY_DAYS + 1, last_day + 1)
    ends = (days + 1) * DAY
    created = groups["created_at"].cast(pa.int64()).to_numpy() // 1_000_000
    owner_of_group = np.array(groups["owner_id"].to_pylist())
    out: dict[str, list[np.ndarray]] = {k: [] for k in ("day", "owner", "new_groups", "groups_total",
                                                         "active_groups", "new_members", "members_total",
                                                         "active_members", "messages")}
    open_left = np.where(left < 0, np.iinfo(np.int64).max, left)
    for owner in sorted(set(owner_of_group)):
        g_created = np.sort(created[owner_of_group == owner])
        mine = member_owner == owner
        j, lft = np.sort(joined[mine]), np.sort(open_left[mine])
        total_groups = np.searchsorted(g_created, ends)
        members_total = np.searchsorted(j, ends) - np.searchsorted(lft, ends)
        weekend = np.isin((days + 3) % 7, (5, 6))   # 1970-01-01 was a Thursday
        active_m = rng.binomial(members_total, np.where(weekend, 0.16, 0.11))
        out["day"].append(days)
        out["owner"].append(np.full(len(days), owner))
        out["new_groups"].append(total_groups - np.searchsorted(g_created, ends - DAY))
        out["groups_total"].append(total_groups)
        out["active_groups"].append(np.minimum(total_groups, rng.binomial(total_groups, 0.8)))
        out["new_members"].append(np.searchsorted(j, ends) - np.searchsorted(j, ends - DAY))
        out["members_total"].append(members_total)
        out["active_members"].append(active_m)
        out["messages"].append(np.round(active_m * rng.lognormal(1.3, 0.35, len(days))).astype(np.int64))
    cols = {k: np.concatenate(v) for k, v in out.items()}
    return pa.table({"day": pa.array(cols.pop("day").astype("datetime64[D]"), pa.date32()),
                     "owner": pa.array(cols.pop("owner").astype(str), pa.string()),
                     **{k: pa.array(v.astype(np.int64)) for k, v in cols.items()}})


def _ids(layer: str, group: np.ndarray) -> np.ndarray:
    return np.char.add(f"wrDemo{layer[:1].upper()}", np.char.zfill((group + 1).astype(str), 4))


def group_tables(m: Members, o: Orders, rng: np.random.Generator) -> Groups:
    layers = memberships(m, o, rng)
    groups, _ = _group_table(layers)
    gids = np.concatenate([_ids(layer, rows["group"]) for layer, rows in layers.items()])
    owners = np.concatenate([np.array(OWNERS[layer])[rows["group"] % len(OWNERS[layer])] for layer, rows in layers.items()])
    cols = {k: np.concatenate([rows[k] for rows in layers.values()]) for k in ("member", "joined", "left")}
    way = rng.integers(0, len(JOIN_WAYS), len(gids))
    table = pa.table({
        "group_id": pa.array(gids.astype(str), pa.string()), "member_id": pa.array(cols["member"] + 1, pa.int64()),
        "joined_at": timestamps(cols["joined"]), "left_at": timestamps(cols["left"]),
        "join_way": pa.array(np.array(JOIN_WAYS)[way], pa.string())})
    return Groups(groups, table, _daily(groups, owners, cols["joined"], cols["left"], rng))


def rules_table() -> pa.Table:
    return pa.table({"position": pa.array(range(1, len(RULES) + 1), pa.int32()),
                     "pattern": [p for p, _ in RULES], "layer": [layer for _, layer in RULES]})
