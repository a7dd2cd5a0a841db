"""The demo brand's staff styles and WeCom tag groups (issue #17), drawn on their own random streams so
every other demo figure stays as it was: only the staff id of some friendships changes, and tags are new rows.

- 林可（投流）, the paid short-video channel's specialist: every first friendship from 短视频 is hers, so she
  adds the most friends and about a third of them delete her within a week (the coupon hunters).
- 苏晴, a senior guide at the 静安 tea room: half of that store's walk-in members who keep buying are
  handed to her; she adds few friends, they stay and they buy.
- Tag groups as a WeCom customer export has them (one column per group): 孩子年龄 (parents of children of
  3 to 10+, more of them among buyers, 7岁/8岁 the keenest), 茶饮偏好 (one or two tastes), 客户来源活动
  (the launch event some members came through).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from siyu.demo.catalog import CHANNELS, PAID_CHANNEL, STAFF
from siyu.demo.orders import Behaviour
from siyu.demo.people import Friends, Members
from siyu.demo.timeline import DAY

EXTRA_STAFF: tuple[tuple[str, str, str], ...] = (
    ("tl_LinKe", "林可（投流）", "私域运营部/投流"),
    ("SuQing", "苏晴", "门店/上海静安嘉里茶空间"),
)
AGES = ("3岁", "5岁", "7岁", "8岁", "10岁以上")
AGE_P_BUYER = (0.14, 0.18, 0.28, 0.26, 0.14)   # buyers' children: 7 and 8 the keenest
AGE_P_OTHER = (0.30, 0.26, 0.14, 0.12, 0.18)
TASTES = ("乌龙", "花茶", "白茶", "冷泡")
EVENT = ("客户来源活动", "春季品鉴会")


def staff_table() -> pa.Table:
    """The catalog's staff and the two with a style of their own."""
    cast = [(s[0], s[1], s[2]) for s in STAFF] + list(EXTRA_STAFF)
    return pa.table({"staff_id": [s[0] for s in cast], "name": [s[1] for s in cast],
                     "department": [s[2] for s in cast]})


def restaff(friends: pa.Table, m: Members, f: Friends, b: Behaviour, rng: np.random.Generator) -> pa.Table:
    """`friends` (frames.friend_table, rows in the order of `f`) with the styled staff members' friendships."""
    first = np.ones(len(f.member), dtype=bool)
    first[1:] = f.member[1:] != f.member[:-1]          # rows are sorted by member, then add time
    channel = m.channel[f.member]
    paid = next(i for i, c in enumerate(CHANNELS) if c.name == PAID_CHANNEL)
    store_walk_in = next(i for i, c in enumerate(CHANNELS) if c.name == "门店")
    lasted = np.where(f.deleted < 0, np.iinfo(np.int64).max, f.deleted - f.added)
    keen = b.buyer[f.member] & (b.rate[f.member] >= np.quantile(b.rate[b.buyer], 0.5))
    su = (first & (channel == store_walk_in) & (m.store[f.member] == 0) & keen & (lasted > 90 * DAY)
          & (rng.uniform(size=len(f.member)) < 0.5))
    lin = first & (channel == paid)
    ids = np.array(friends.column("staff_id").to_pylist(), dtype=object)
    ids[lin] = EXTRA_STAFF[0][0]
    ids[su] = EXTRA_STAFF[1][0]
    return friends.set_column(friends.schema.get_field_index("staff_id"), "staff_id", pa.array(ids, pa.string()))


def tag_table(m: Members, b: Behaviour, rng: np.random.Generator) -> pa.Table:
    """member_id, tag_group, tag: the WeCom tag columns of the demo's customers."""
    members, groups, tags = [], [], []

    def add(who: np.ndarray, group: str, values: np.ndarray) -> None:
        members.append(who + 1)
        groups.append(np.full(len(who), group, dtype=object))
        tags.append(values.astype(object))

    parent = np.nonzero(rng.uniform(size=m.n) < np.where(b.buyer, 0.45, 0.25))[0]
    age_buyer = rng.choice(len(AGES), size=len(parent), p=AGE_P_BUYER)
    age_other = rng.choice(len(AGES), size=len(parent), p=AGE_P_OTHER)
    add(parent, "孩子年龄", np.array(AGES, dtype=object)[np.where(b.buyer[parent], age_buyer, age_other)])
    tasted = np.nonzero(rng.uniform(size=m.n) < 0.4)[0]
    one = rng.integers(0, len(TASTES), size=len(tasted))
    add(tasted, "茶饮偏好", np.array(TASTES, dtype=object)[one])
    two = tasted[rng.uniform(size=len(tasted)) < 0.3]
    other = (one[np.searchsorted(tasted, two)] + 1 + rng.integers(0, len(TASTES) - 1, size=len(two))) % len(TASTES)
    add(two, "茶饮偏好", np.array(TASTES, dtype=object)[other])
    came = np.nonzero(rng.uniform(size=m.n) < 0.05)[0]
    add(came, EVENT[0], np.full(len(came), EVENT[1], dtype=object))
    return pa.table({"member_id": pa.array(np.concatenate(members), pa.int64()),
                     "tag_group": pa.array(np.concatenate(groups).tolist(), pa.string()),
                     "tag": pa.array(np.concatenate(tags).tolist(), pa.string())})
