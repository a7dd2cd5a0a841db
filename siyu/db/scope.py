"""Global filters as a scope on one read-only connection: channel, tier, staff, tag and a saved segment
restrict the member population, store restricts the orders, and every metric run on that connection sees
only that.

    scope = Scope(channel="门店", store="上海静安店")
    with reading(path) as con:
        apply_scope(con, scope)
        run_metric(con, "kpis", {...})

How: the filter values are bound as parameters into one temp table of member ids (queries/
pg_scope_members.sql) and one of the store; then temp views named like the tables (members, orders,
friends, …) shadow them for this connection only — DuckDB resolves names in the temp catalog first,
including inside the `valid_orders` view — so no metric or runner changes, and no value is ever
formatted into SQL. The only identifier formatted in is the database's own catalog name, quoted.

`import_batches` is shadowed too, with one marker row whose batch id encodes the scope, so anything keyed on
the newest batch id never serves one scope's result to another. The frames the engine keeps in memory
(siyu.engine.frame_cache) do not go through these views: the engine passes the scope as a value
(siyu.engine.scoping, which asks `population` once per data version and filter set and hands it to
`apply_scope`) and filters the unscoped frames in memory; the views serve the queries not kept in memory.
"""

from __future__ import annotations

import zlib
from dataclasses import astuple, dataclass, fields

import duckdb
import polars as pl

from siyu.db import query
from siyu.errors import SiyuError

FILTERS = ("channel", "tier", "store", "staff", "tag", "segment")
MAX_VALUE = 100  # longer than any channel, tier, store or staff id a brand exports
_COLONS = (":", "：")


def split_tag(value: str) -> tuple[str | None, str]:
    """'孩子年龄:7岁' -> ('孩子年龄', '7岁'); ':7岁' -> ('', '7岁') (a tag without a group); '7岁' -> (None,
    '7岁'): that tag in any group. The first colon (ASCII or full-width) separates the group."""
    cut = min((i for i in (value.find(c) for c in _COLONS) if i >= 0), default=-1)
    return (None, value) if cut < 0 else (value[:cut], value[cut + 1:])


def tag_value(group: str, tag: str) -> str:
    """The filter value naming `tag` of `group` (split_tag's inverse)."""
    return f"{group}:{tag}" if group or any(c in tag for c in _COLONS) else tag


@dataclass(frozen=True)
class Scope:
    channel: str | None = None
    tier: str | None = None
    store: str | None = None
    staff: str | None = None
    tag: str | None = None
    """'group:tag' (split_tag)."""
    segment: str | None = None
    """A saved segment's name: its members, resolved by siyu.engine.population (the segment's rules need
    the metrics, which this layer does not import) and passed to apply_scope."""

    @property
    def empty(self) -> bool:
        return all(v is None for v in astuple(self))

    @property
    def members_restricted(self) -> bool:
        return any(v is not None for v in (self.channel, self.tier, self.staff, self.tag, self.segment))

    def key(self) -> tuple[tuple[str, str], ...]:
        """Plain sorted pairs of the filters in force (a cache key, a URL)."""
        return tuple((f.name, getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) is not None)

    def marker(self) -> int:
        """A batch id no import will reach, different for every scope."""
        return 10**15 + zlib.crc32(repr(self.key()).encode("utf-8"))


def _views(db: str, members: bool, store: bool) -> list[str]:
    cat = '"' + db.replace('"', '""') + '"'
    in_scope = "member_id IN (SELECT member_id FROM temp.main.scope_members)" if members else "TRUE"
    store_ok = "store = (SELECT store FROM temp.main.scope_store)" if store else "TRUE"
    return [
        f"CREATE OR REPLACE TEMP VIEW members AS SELECT * FROM {cat}.main.members WHERE {in_scope}",
        f"CREATE OR REPLACE TEMP VIEW member_identities AS SELECT * FROM {cat}.main.member_identities WHERE {in_scope}",
        f"CREATE OR REPLACE TEMP VIEW friends AS SELECT * FROM {cat}.main.friends WHERE {in_scope}",
        f"CREATE OR REPLACE TEMP VIEW member_snapshots AS SELECT * FROM {cat}.main.member_snapshots WHERE {in_scope}",
        f"CREATE OR REPLACE TEMP VIEW member_tags AS SELECT * FROM {cat}.main.member_tags WHERE {in_scope}",
        f"CREATE OR REPLACE TEMP VIEW group_memberships AS SELECT * FROM {cat}.main.group_memberships WHERE {in_scope}",
        f"CREATE OR REPLACE TEMP VIEW points_ledger AS SELECT * FROM {cat}.main.points_ledger WHERE {in_scope}",
        f"CREATE OR REPLACE TEMP VIEW paid_memberships AS SELECT * FROM {cat}.main.paid_memberships WHERE {in_scope}",
        f"CREATE OR REPLACE TEMP VIEW orders AS SELECT * FROM {cat}.main.orders WHERE {in_scope} AND {store_ok}",
        f"CREATE OR REPLACE TEMP VIEW order_items AS SELECT * FROM {cat}.main.order_items "
        f"WHERE order_id IN (SELECT order_id FROM orders)",
        f"CREATE OR REPLACE TEMP VIEW referrals AS SELECT * FROM {cat}.main.referrals "
        f"WHERE {in_scope.replace('member_id IN', 'referee_id IN')}",
        f"CREATE OR REPLACE TEMP VIEW import_batches AS SELECT * FROM {cat}.main.import_batches "
        f"UNION ALL BY NAME SELECT (SELECT marker FROM temp.main.scope_store) AS batch_id, 'scope' AS status",
    ]


def population(con: duckdb.DuckDBPyConnection, scope: Scope, segment_ids: pl.Series | None = None) -> pl.Series | None:
    """The member ids of `scope`'s member filters (None: they restrict nobody), read on `con` unscoped; with a
    saved segment, `segment_ids` are its members (siyu.engine.population resolves them) and the result is
    intersected with them. The slow part of a scope (~0.25 s for a tier at 1M orders: the latest snapshot of
    every member), so the engine asks it once per data version and scope (siyu.engine.scoping)."""
    if not scope.members_restricted:
        return None
    if scope.segment is not None and segment_ids is None:
        raise SiyuError("分群需要先解析成会员（siyu.engine.population）/ a saved segment must be resolved first")
    group, tag = split_tag(scope.tag) if scope.tag is not None else (None, None)
    ids: pl.Series = query(con, "pg_scope_members", {"channel": scope.channel, "tier": scope.tier,
                                                     "staff": scope.staff, "tag": tag, "tag_group": group})["member_id"]
    if segment_ids is not None:
        ids = ids.filter(ids.is_in(segment_ids.cast(pl.Int64).implode()))
    return ids


def apply_scope(con: duckdb.DuckDBPyConnection, scope: Scope, members: pl.Series | None = None, *,
                segment_ids: pl.Series | None = None) -> None:
    """Restrict this connection to `scope` (nothing happens for an empty scope). `members`: the scope's
    population when the caller has it already (`population`), so it is not queried again; else with a saved
    segment, `segment_ids` are its members (siyu.engine.population.apply_population resolves them)."""
    if scope.empty:
        return
    if scope.segment is not None and segment_ids is None and members is None:
        raise SiyuError("分群需要先解析成会员（siyu.engine.population）/ a saved segment must be resolved first")
    row = con.execute("SELECT current_database()").fetchone()
    assert row is not None  # the statement always returns one row
    db = row[0]
    pairs = scope.key()
    con.execute("CREATE OR REPLACE TEMP TABLE scope_store AS SELECT $store::VARCHAR AS store, $marker::BIGINT AS marker, "
                "$members::BOOLEAN AS members_restricted, $names::VARCHAR[] AS filter_names, "
                "$values::VARCHAR[] AS filter_values",
                {"store": scope.store, "marker": scope.marker(), "members": scope.members_restricted,
                 "names": [name for name, _ in pairs], "values": [value for _, value in pairs]})
    if scope.members_restricted:
        found = population(con, scope, segment_ids) if members is None else members
        ids = pl.DataFrame({"member_id": found}, schema={"member_id": pl.Int64})  # read by name below
        con.execute("CREATE OR REPLACE TEMP TABLE scope_members (member_id BIGINT)")
        if ids.height:
            con.execute("INSERT INTO temp.main.scope_members SELECT member_id FROM ids")
    for statement in _views(db, scope.members_restricted, scope.store is not None):
        con.execute(statement)
