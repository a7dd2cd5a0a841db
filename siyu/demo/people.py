"""Members, their identities, staff friendships and referral trees, as numpy arrays.

Member i (0-based) gets member_id i + 1; join times are strictly increasing, so "joined earlier"
is simply "smaller id" and a referrer can be drawn from the ids below the referee's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from siyu.demo.catalog import CHANNELS, SECOND_ADD_WAYS, STAFF, STORES
from siyu.demo.timeline import DAY, DAYS, END_S, JOIN_WARP, START_S, festival_boost

N_CHANNELS = len(CHANNELS)
CHAIN_SHARE = 0.55       # referees whose referrer is a recent referee: grows deep chains
CHAIN_STEP = 0.15        # geometric step back along the referee list
STORE_SHARES = np.array([0.45, 0.33, 0.22])
CAMPAIGN_LIFT = {"裂变海报": 3.0, "直播": 1.5}   # extra share of joins at the top of 双11 / 618


def by_channel(field: str) -> np.ndarray:
    return np.array([getattr(c, field) for c in CHANNELS], dtype=float)


@dataclass
class Members:
    joined: np.ndarray     # int64 seconds, strictly increasing
    channel: np.ndarray    # int8 index into CHANNELS
    store: np.ndarray      # int8 home tea room (the one whose guides serve 门店 members)

    @property
    def n(self) -> int:
        return len(self.joined)


def members(n: int, rng: np.random.Generator) -> Members:
    """Join times follow JOIN_WARP (growth, festivals); channels open over time, and referral posters
    and live streams bring a larger share of joins during 双11 and 618 campaigns."""
    op = np.sort(rng.uniform(0.0, JOIN_WARP.total, n))
    secs = JOIN_WARP.to_seconds(op)
    # Strictly increasing to the second (ties would blur "joined before"): t_i = max(t_i, t_{i-1} + 1).
    steps = np.arange(n, dtype=np.int64)
    secs = np.maximum.accumulate(secs - steps) + steps
    secs = np.minimum(secs, END_S - (n - 1 - steps))
    day = (secs - START_S) // DAY
    weights = np.zeros((len(DAYS), N_CHANNELS))
    boost = festival_boost()
    for c, channel in enumerate(CHANNELS):
        lift = 1.0 + CAMPAIGN_LIFT.get(channel.name, 0.0) * boost
        weights[:, c] = channel.weight * lift * (DAYS >= np.datetime64(channel.opens))
    weights /= weights.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(weights, axis=1)[day]
    u = rng.uniform(size=n)
    channel = (u[:, None] > cumulative[:, :-1]).sum(axis=1).astype(np.int8)
    store = rng.choice(len(STORES), size=n, p=STORE_SHARES).astype(np.int8)
    return Members(secs, channel, store)


@dataclass
class Friends:
    member: np.ndarray     # int64 member index
    staff: np.ndarray      # int16 index into STAFF
    added: np.ndarray      # int64 seconds
    deleted: np.ndarray    # int64 seconds, -1 = still a friend
    by_staff: np.ndarray   # bool: the staff member deleted (else the customer)
    add_way: np.ndarray    # int8 index into ADD_WAYS
    early: np.ndarray      # bool: the 7-day "take the coupon and leave" deletion


ADD_WAYS: tuple[tuple[str, int], ...] = tuple(dict.fromkeys(
    [(text, code) for c in CHANNELS for text, code, _ in c.add_ways] + [(t, k) for t, k, _ in SECOND_ADD_WAYS]))


def _first_staff(m: Members, rng: np.random.Generator) -> np.ndarray:
    """Tea-room members go to their store's guides; 直播 partly to the live host; the rest to 客服/社群."""
    guides = [[i for i, s in enumerate(STAFF) if s[3] == k] for k in range(len(STORES))]
    service = [i for i, s in enumerate(STAFF) if s[0].startswith("kf_")]
    community = [i for i, s in enumerate(STAFF) if s[0].startswith("yy_")]
    host = [i for i, s in enumerate(STAFF) if s[0].startswith("zb_")]
    staff = np.empty(m.n, dtype=np.int16)
    for c, channel in enumerate(CHANNELS):
        mask = m.channel == c
        k = int(mask.sum())
        if channel.name == "门店":
            staff[mask] = np.array(guides)[m.store[mask], rng.integers(0, 2, size=k)]
            continue
        if channel.name == "直播":
            pool, p = service + host, [0.1] * len(service) + [0.5]
        elif channel.name in ("裂变海报", "公众号"):
            pool, p = service + community, [0.12] * len(service) + [0.2] * len(community)
        else:
            pool, p = service, [1.0] * len(service)
        staff[mask] = rng.choice(np.array(pool), size=k, p=np.array(p) / sum(p))
    return staff


def friends(m: Members, rng: np.random.Generator) -> Friends:
    """Most members befriend one staff member at joining; some a second later; deletions by channel."""
    has = rng.uniform(size=m.n) < by_channel("friend_prob")[m.channel]
    first_staff = _first_staff(m, rng)
    second = has & (rng.uniform(size=m.n) < by_channel("second_friend")[m.channel])
    later = m.joined + (rng.exponential(90.0, size=m.n) * DAY).astype(np.int64) + 3600
    second &= later <= END_S
    idx1, idx2 = np.nonzero(has)[0], np.nonzero(second)[0]
    member = np.concatenate([idx1, idx2])
    other = (first_staff[idx2] + 1 + rng.integers(0, len(STAFF) - 1, size=len(idx2))) % len(STAFF)
    staff = np.concatenate([first_staff[idx1], other]).astype(np.int16)
    added = np.concatenate([m.joined[idx1], later[idx2]])
    ch = m.channel[member]
    # add way: channel-specific for the first friendship, internal share / assignment for the second
    way_index = {w: i for i, w in enumerate(ADD_WAYS)}
    add_way = np.empty(len(member), dtype=np.int8)
    for c, channel in enumerate(CHANNELS):
        mask = ch[: len(idx1)] == c
        codes = [way_index[(t, k)] for t, k, _ in channel.add_ways]
        add_way[: len(idx1)][mask] = rng.choice(codes, size=int(mask.sum()), p=[p for *_, p in channel.add_ways])
    add_way[len(idx1):] = rng.choice([way_index[(t, k)] for t, k, _ in SECOND_ADD_WAYS], size=len(idx2),
                                     p=[p for *_, p in SECOND_ADD_WAYS])
    # deletions: an early "got the coupon, gone" wave for first friendships, then a slow yearly hazard
    early = np.zeros(len(member), dtype=bool)
    early[: len(idx1)] = rng.uniform(size=len(idx1)) < by_channel("early_delete")[ch[: len(idx1)]]
    early_delay = 600 + (rng.beta(0.6, 2.2, size=len(member)) * (7 * DAY - 1200)).astype(np.int64)
    slow_delay = (rng.exponential(1.0, size=len(member)) / by_channel("yearly_delete")[ch] * 365.25 * DAY)
    delay = np.where(early, early_delay, np.minimum(slow_delay, 50 * 365 * DAY).astype(np.int64) + 60)
    deleted = added + delay
    deleted = np.where(deleted <= END_S, deleted, -1)
    by_staff = rng.uniform(size=len(member)) < np.where(early, 0.06, 0.22)
    order = np.lexsort((added, member))
    return Friends(member[order], staff[order], added[order], deleted[order], by_staff[order],
                   add_way[order], early[order])


@dataclass
class Referrals:
    referee: np.ndarray    # member index
    referrer: np.ndarray   # member index, always smaller (joined earlier)
    depth: np.ndarray      # per member: edges from the root of its tree (0 = not referred)


def referrals(m: Members, sharer_weight: np.ndarray, rng: np.random.Generator,
              scale: float = 1.0) -> Referrals:
    """Referees pick a referrer among earlier members: often a recent referee (chains), else a
    keen buyer in proportion to `sharer_weight` (super users refer more). `scale` multiplies each
    channel's share of referred joins (capped at 1; 1.0 = the demo brand as documented)."""
    share = by_channel("referred") if scale == 1.0 else np.minimum(by_channel("referred") * scale, 1.0)
    referred = rng.uniform(size=m.n) < share[m.channel]
    referred[0] = False
    referee = np.nonzero(referred)[0]
    k = np.arange(len(referee))
    chain = (rng.uniform(size=len(referee)) < CHAIN_SHARE) & (k > 0)
    back = np.minimum(rng.geometric(CHAIN_STEP, size=len(referee)), np.maximum(k, 1))
    cumulative = np.cumsum(sharer_weight)
    drawn = rng.uniform(size=len(referee)) * cumulative[referee - 1]
    weighted = np.minimum(np.searchsorted(cumulative, drawn, side="right"), referee - 1)
    referrer = np.where(chain, referee[np.maximum(k - back, 0)], weighted)
    parent = np.full(m.n, -1, dtype=np.int64)
    parent[referee] = referrer
    depth = np.zeros(m.n, dtype=np.int64)
    while True:  # one pass per tree level
        deeper = np.where(parent >= 0, depth[np.maximum(parent, 0)] + 1, 0)
        if np.array_equal(deeper, depth):
            break
        depth = deeper
    return Referrals(referee, referrer, depth)
