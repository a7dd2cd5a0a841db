"""One row per member of the referral graph: member_id, referrer_id, root, depth, referees_direct, descendants, tree_size, tree_depth, cycle_broken.

Definitions (docs/metrics/referrals.md, after docs/metrics.md):
- An edge referrer -> referee with a time. A member has at most one referrer: when the input holds
  several edges for one referee, the earliest (then the first in input order) wins and the others
  are reported (`duplicate_referee`). Self-referrals are dropped and reported.
- Root = a member with no referrer; depth = edges from the root; descendants = members below;
  referees_direct = children; tree_size = members in the tree (root included); tree_depth = deepest
  depth in the tree.
- Cycles (a referred b referred ... a) cannot come from a well-formed import but are handled: in each
  cycle the latest edge (the one that closed it; the earlier referrer wins) is dropped and reported
  (`cycle`), its referee becomes a root and gets cycle_broken = true.
- The graph holds every member appearing in an edge; members never referred nor referring are not in it.

`referral_forest` returns (members frame, issues frame); `referral_trees` summarises one row per root.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

NODE_SCHEMA = pl.Schema({"member_id": pl.Int64, "referrer_id": pl.Int64, "root": pl.Int64, "depth": pl.Int64,
               "referees_direct": pl.Int64, "descendants": pl.Int64, "tree_size": pl.Int64,
               "tree_depth": pl.Int64, "cycle_broken": pl.Boolean})
ISSUE_SCHEMA = pl.Schema({"kind": pl.String(), "referee_id": pl.Int64(), "referrer_id": pl.Int64(),
                "referred_at": pl.Datetime("us"), "detail": pl.String()})
TREE_SCHEMA = pl.Schema({"root": pl.Int64, "tree_size": pl.Int64, "tree_depth": pl.Int64, "referees_direct": pl.Int64})


def first_referrer(edges: pl.LazyFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(winning edges, issues): one edge per referee, earliest first, self-referrals dropped."""
    frame = (
        edges.select("referee_id", "referrer_id", pl.col("referred_at").cast(pl.Datetime("us")))
        .with_row_index("_pos").collect()
        .sort("referred_at", "_pos", nulls_last=True)
    )
    own = frame.filter(pl.col("referee_id") == pl.col("referrer_id"))
    frame = frame.filter(pl.col("referee_id") != pl.col("referrer_id"))
    winners = frame.filter(pl.col("referee_id").is_first_distinct())  # frame is in winning order
    losers = frame.join(winners.select("_pos"), on="_pos", how="anti")
    issues = pl.concat([
        own.select(pl.lit("self_referral").alias("kind"), "referee_id", "referrer_id", "referred_at",
                   pl.lit("自己推荐自己，已忽略 / self-referral ignored").alias("detail")),
        losers.sort("_pos").select(
            pl.lit("duplicate_referee").alias("kind"), "referee_id", "referrer_id", "referred_at",
            pl.lit("该会员已有更早的推荐人，保留第一个 / referee already has an earlier referrer; the first wins")
            .alias("detail")),
    ]).cast(ISSUE_SCHEMA)
    return winners.drop("_pos"), issues


def _levels(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(depth, root index) for every node; -1 for nodes that never reach a root (on or below a cycle)."""
    n = len(parent)
    depth = np.full(n, -1, dtype=np.int64)
    root = np.full(n, -1, dtype=np.int64)
    roots = parent < 0
    depth[roots] = 0
    root[roots] = np.flatnonzero(roots)
    frontier = np.flatnonzero(roots)
    children = _children(parent)
    level = 0
    while len(frontier):
        level += 1
        kids = children(frontier)
        depth[kids] = level
        root[kids] = root[parent[kids]]
        frontier = kids
    return depth, root


def _children(parent: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A function mapping a set of node indices to all their children (CSR adjacency)."""
    has = parent >= 0
    child = np.flatnonzero(has)
    order = np.argsort(parent[child], kind="stable")
    child = child[order]
    starts = np.concatenate([[0], np.cumsum(np.bincount(parent[child], minlength=len(parent)))])

    def kids(nodes: np.ndarray) -> np.ndarray:
        lo, hi = starts[nodes], starts[nodes + 1]
        counts = hi - lo
        if counts.sum() == 0:
            return np.empty(0, dtype=np.int64)
        idx = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        found: np.ndarray = child[idx]
        return found

    return kids


def _break_cycles(parent: np.ndarray, unreached: np.ndarray, stamp: np.ndarray) -> list[list[int]]:
    """Cycles among the unreached nodes, as lists of node indices (few and small in practice)."""
    state = {}  # node -> walk id
    cycles = []
    for walk, start in enumerate(unreached.tolist()):
        node, path = start, []
        while node >= 0 and node not in state:
            state[node] = walk
            path.append(node)
            node = int(parent[node])
        if node >= 0 and state[node] == walk:  # closed a loop during this walk
            cycles.append(path[path.index(node):])
    return cycles


def referral_forest(edges: pl.LazyFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """edges: referee_id, referrer_id, referred_at -> (one row per member, issues)."""
    winners, issues = first_referrer(edges)
    ids = pl.concat([winners["referee_id"], winners["referrer_id"]]).unique().sort().to_numpy()
    n = len(ids)
    if n == 0:
        return pl.DataFrame(schema=NODE_SCHEMA), issues
    child = np.searchsorted(ids, winners["referee_id"].to_numpy())
    parent = np.full(n, -1, dtype=np.int64)
    parent[child] = np.searchsorted(ids, winners["referrer_id"].to_numpy())
    # Order of winning edges (time, then input position) decides which edge of a cycle is the latest.
    stamp = np.full(n, -1, dtype=np.int64)
    stamp[child] = np.arange(len(child))
    broken = np.zeros(n, dtype=bool)
    depth, root = _levels(parent)
    cycle_rows = []
    if (depth < 0).any():
        for cycle in _break_cycles(parent, np.flatnonzero(depth < 0), stamp):
            last = max(cycle, key=lambda i: stamp[i])
            cycle_rows.append((int(ids[last]), int(ids[parent[last]]), winners["referred_at"][int(stamp[last])],
                               "推荐关系成环，已删除成环的最后一条 / cycle "
                               + " -> ".join(str(ids[i]) for i in cycle) + "; its latest edge was dropped"))
            parent[last] = -1
            broken[last] = True
        depth, root = _levels(parent)
    has = parent >= 0
    direct = np.bincount(parent[has], minlength=n)
    subtree = np.ones(n, dtype=np.int64)
    for d in range(int(depth.max()), 0, -1):
        at = np.flatnonzero(depth == d)
        np.add.at(subtree, parent[at], subtree[at])
    tree_depth = np.zeros(n, dtype=np.int64)
    np.maximum.at(tree_depth, root, depth)
    nodes = pl.DataFrame({
        "member_id": ids,
        "referrer_id": pl.Series(np.where(has, ids[np.maximum(parent, 0)], 0)).scatter(np.flatnonzero(~has), None),
        "root": ids[root],
        "depth": depth,
        "referees_direct": direct,
        "descendants": subtree - 1,
        "tree_size": subtree[root],
        "tree_depth": tree_depth[root],
        "cycle_broken": broken,
    }).cast(NODE_SCHEMA)
    if cycle_rows:
        issues = pl.concat([issues, pl.DataFrame(
            [("cycle", *row) for row in cycle_rows], schema=list(ISSUE_SCHEMA), orient="row").cast(ISSUE_SCHEMA)])
    return nodes, issues


def referral_trees(nodes: pl.DataFrame) -> pl.DataFrame:
    """One row per root: root, tree_size, tree_depth, referees_direct (largest trees first)."""
    return (
        nodes.filter(pl.col("depth") == 0)
        .select(pl.col("member_id").alias("root"), "tree_size", "tree_depth", "referees_direct")
        .sort(["tree_size", "tree_depth", "root"], descending=[True, True, False])
        .cast(TREE_SCHEMA)
    )
