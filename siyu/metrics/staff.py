"""One row per staff member: staff_id, staff_name, friends, active, deleted_{1,7,30}d (+ _customer, _staff), buyer_30d, buyer_90d, buyers, gmv, gmv_per_friend, repeat_rate, credited_friends, credited_gmv, rank, groups_owned.

Definitions (docs/metrics/staff.md), for the staff member's friends added in [start, end], as of `as_of`:
- A friend is one (staff member, member) pair, counted once from its FIRST friendship added in the range:
  a member deleted and re-added by the same staff member is one friend (the first friendship decides the
  deletion figures); a member who is the friend of two staff members is a friend of each.
- friends = such pairs; active = pairs with a friendship (any, first or re-add) open at the end of the
  as-of day.
- deleted_Nd (N = 1, 7, 30) = share of friends whose first friendship ended less than N days after the add,
  among friends added at least N days before the end of the as-of day (younger ones cannot be judged yet);
  _customer / _staff split it by who deleted (friends.deleted_by: the customer deleted the staff member, or
  the staff member deleted the customer); a deletion whose side is unknown counts in deleted_Nd only.
  Deletions after the as-of day count as still open.
- buyer_Nd (N = 30, 90) = share of friends with a valid order paid in [add time, add time + N days), among
  friends added at least N days before the end of the as-of day.
- buyers = friends with a valid order paid on or after the add time (up to the as-of day); gmv = net yuan
  of those orders (a member who is two staff members' friend credits both); gmv_per_friend = gmv / friends;
  repeat_rate = buyers with such orders on >= 2 distinct days / buyers.
- The leaderboard (rank) does not credit a friend who deleted within 7 days: credited_friends = friends
  whose first friendship lasted at least 7 days (still open and added >= 7 days before the end of the as-of
  day, or deleted >= 7 days after the add); credited_gmv = their gmv. rank 1 = most credited friends
  (ties: more credited_gmv, then staff_id).
- groups_owned = customer groups whose 群主 is the staff member and that were created by the end of the as-of
  day (no creation time: counted): groups.owner_id equal to the staff_id (both are the account, else the
  name); a group whose owner_id matches no staff_id is matched by its owner_name (else owner_id) to the
  staff member's name, only when exactly one staff member has that name (an ambiguous name credits no one).
Rates are null when their denominator is 0. A staff member without friends in the range has no row.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

WINDOWS = (1, 7, 30)
SIDES = ("customer", "staff")
CREDIT_DAYS = 7
SCHEMA = pl.Schema({
    "staff_id": pl.String, "staff_name": pl.String, "friends": pl.Int64, "active": pl.Int64,
    **{f"deleted_{n}d{s}": pl.Float64 for n in WINDOWS for s in ("", "_customer", "_staff")},
    "buyer_30d": pl.Float64, "buyer_90d": pl.Float64, "buyers": pl.Int64, "gmv": pl.Float64,
    "gmv_per_friend": pl.Float64, "repeat_rate": pl.Float64, "credited_friends": pl.Int64,
    "credited_gmv": pl.Float64, "rank": pl.Int64, "groups_owned": pl.Int64,
})


def groups_owned(groups: pl.LazyFrame, staff: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """staff_id, groups_owned for staff members owning at least one group created by the end of `as_of`.
    groups: group_id, owner_id, owner_name, created_at; staff: staff_id, name."""
    hi = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    known = groups.filter(pl.col("created_at").is_null() | (pl.col("created_at") < hi))
    ids = staff.select(pl.col("staff_id").alias("owner_id"), pl.lit(True).alias("_by_id"))
    by_id = known.join(ids, on="owner_id", how="inner").select("group_id", pl.col("owner_id").alias("staff_id"))
    # Exports without 群主账号 carry only the name: match it to the one staff member with that name.
    unique_names = (staff.group_by("name").agg(pl.col("staff_id").first(), pl.len().alias("n"))
                    .filter(pl.col("n") == 1).select(pl.col("name").alias("_owner"), "staff_id"))
    by_name = (known.join(ids, on="owner_id", how="anti")
               .with_columns(pl.coalesce("owner_name", "owner_id").alias("_owner"))
               .join(unique_names, on="_owner", how="inner").select("group_id", "staff_id"))
    return (pl.concat([by_id, by_name]).unique()
            .group_by("staff_id").agg(pl.len().cast(pl.Int64).alias("groups_owned")))


def staff_scorecard(friends: pl.LazyFrame, staff: pl.LazyFrame, orders: pl.LazyFrame, *,
                    start: dt.date | None, end: dt.date, as_of: dt.date,
                    groups: pl.LazyFrame | None = None) -> pl.DataFrame:
    """friends: member_id, staff_id, added_at, deleted_at, deleted_by ('customer' | 'staff' | null);
    staff: staff_id, name; orders: member_id, paid_at, net_cents (valid orders); groups (optional; none =
    no groups): group_id, owner_id, owner_name, created_at."""
    hi = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    end_hi = min(hi, dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    day = dt.timedelta(days=1)
    seen = friends.filter(pl.col("added_at") < hi).with_columns(
        pl.when(pl.col("deleted_at") < hi).then(pl.col("deleted_at")).alias("deleted_at"))
    in_range = seen.filter(pl.col("added_at") < end_hi)
    if start is not None:
        in_range = in_range.filter(pl.col("added_at") >= dt.datetime.combine(start, dt.time()))
    first = (in_range.sort("added_at").group_by("staff_id", "member_id")
             .agg(pl.col("added_at", "deleted_at", "deleted_by").first()))
    # Open at the as-of day through any friendship of the pair (a re-add keeps the friend).
    open_pairs = (seen.filter(pl.col("deleted_at").is_null()).select("staff_id", "member_id").unique()
                  .with_columns(pl.lit(True).alias("open")))
    bought = (first.select("staff_id", "member_id", "added_at")
              .join(orders.filter(pl.col("paid_at") < hi), on="member_id")
              .filter(pl.col("paid_at") >= pl.col("added_at"))
              .with_columns((pl.col("paid_at") - pl.col("added_at")).alias("since"))
              .group_by("staff_id", "member_id")
              .agg(pl.col("paid_at").cast(pl.Date).n_unique().alias("days"),
                   pl.col("net_cents").sum().alias("net"),
                   (pl.col("since") < 30 * day).any().alias("b30"),
                   (pl.col("since") < 90 * day).any().alias("b90")))
    age = pl.lit(hi) - pl.col("added_at")
    lasted = pl.col("deleted_at") - pl.col("added_at")

    def share(num: pl.Expr, den: pl.Expr) -> pl.Expr:
        return pl.when(den.sum() > 0).then(num.sum() / den.sum())

    def deleted(n: int, side: str | None) -> pl.Expr:
        judged = age >= n * day
        gone = judged & pl.col("deleted_at").is_not_null() & (lasted < n * day)
        if side is not None:
            gone = gone & (pl.col("deleted_by") == side).fill_null(False)
        return share(gone, judged).alias(f"deleted_{n}d" + (f"_{side}" if side else ""))

    def bought_within(n: int) -> pl.Expr:
        judged = age >= n * day
        return share(judged & pl.col(f"b{n}").fill_null(False), judged).alias(f"buyer_{n}d")

    buyer = pl.col("days").is_not_null()
    credited = (pl.col("deleted_at").is_null() & (age >= CREDIT_DAYS * day)) | (lasted >= CREDIT_DAYS * day)
    credited = credited.fill_null(False)
    owned = (groups_owned(groups, staff, as_of) if groups is not None
             else pl.LazyFrame(schema={"staff_id": pl.String, "groups_owned": pl.Int64}))
    out = (
        first.join(open_pairs, on=["staff_id", "member_id"], how="left")
        .join(bought, on=["staff_id", "member_id"], how="left")
        .group_by("staff_id")
        .agg(pl.len().alias("friends"), pl.col("open").fill_null(False).sum().alias("active"),
             *[deleted(n, side) for n in WINDOWS for side in (None, *SIDES)],
             bought_within(30), bought_within(90),
             buyer.sum().alias("buyers"),
             (pl.col("net").fill_null(0).sum() / 100).alias("gmv"),
             share(buyer & (pl.col("days") >= 2), buyer).alias("repeat_rate"),
             credited.sum().alias("credited_friends"),
             (pl.col("net").fill_null(0).filter(credited).sum() / 100).alias("credited_gmv"))
        .join(staff.select("staff_id", pl.col("name").alias("staff_name")), on="staff_id", how="left")
        .with_columns(pl.col("staff_name").fill_null(pl.col("staff_id")),
                      (pl.col("gmv") / pl.col("friends")).alias("gmv_per_friend"))
        .sort(["credited_friends", "credited_gmv", "staff_id"], descending=[True, True, False])
        .with_row_index("rank", offset=1)
        .join(owned, on="staff_id", how="left")
        .with_columns(pl.col("groups_owned").fill_null(0))
        .collect()
    )
    return out.select(list(SCHEMA)).cast(SCHEMA)
