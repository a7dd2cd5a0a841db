"""What a database holds, as plain values two states can be compared by: one checksum per table, and
the totals an operator would check by hand (row counts, order cents, members, batches, identities).

`checksums(db)` hashes every row of every base table (order-insensitive sum of row hashes plus the
count), so "unchanged" means unchanged in every column, not just in size. `checksums(db, stable=True)`
compares what two runs of the same import can be expected to share: it leaves out the wall-clock
columns (import time, audit time) and replaces every member id by the member's identities
(`external_member_id:M7|phone:138...`), since ids are drawn from a sequence in whatever order a
parallel join hands the new members over.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# Columns that hold the time a row was written: equal data imported twice differs only there.
VOLATILE = {"import_batches": ("imported_at",), "audit_log": ("logged_at",),
            "accounts": ("created_at", "password_set_at", "last_login_at"), "ingest_mappings": ("created_at",),
            "points_value": ("updated_at",)}  # its default row is stamped when the schema is made
MEMBER_ID_COLUMNS = ("member_id", "referee_id", "referrer_id")
MEMBER_KEYS = ("(SELECT member_id AS k_id, string_agg(kind || ':' || value, '|' ORDER BY kind, value) AS k_key "
               "FROM member_identities GROUP BY member_id)")

TOTALS_SQL = """
SELECT
  (SELECT count(*) FROM orders) AS orders,
  (SELECT coalesce(sum(paid_cents), 0) FROM orders) AS paid_cents,
  (SELECT coalesce(sum(refunded_cents), 0) FROM orders) AS refunded_cents,
  (SELECT coalesce(sum(paid_cents - refunded_cents), 0) FROM valid_orders) AS valid_net_cents,
  (SELECT count(*) FROM order_items) AS order_items,
  (SELECT count(*) FROM members) AS members,
  (SELECT count(*) FROM member_identities) AS identities,
  (SELECT count(*) FROM import_batches) AS batches,
  (SELECT count(*) FROM import_batches WHERE status = 'committed') AS committed_batches,
  (SELECT count(*) FROM friends) AS friends,
  (SELECT count(*) FROM member_snapshots) AS snapshots,
  (SELECT count(*) FROM referrals) AS referrals,
  (SELECT count(*) FROM audit_log) AS audit_rows
"""


def _connect(db: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(db), read_only=True)


def checksums(db: Path, *, stable: bool = False) -> dict[str, tuple[int, int]]:
    """{table: (rows, sum of row hashes)} for every base table in the file."""
    con = _connect(db)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        out = {}
        for t in tables:
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? "
                "ORDER BY ordinal_position", [t]).fetchall()]
            source, exprs = f'"{t}" AS t', [f't."{c}"' for c in cols]
            if stable:
                cols = [c for c in cols if c not in VOLATILE.get(t, ())]
                exprs = []
                for i, c in enumerate(cols):
                    if c in MEMBER_ID_COLUMNS:
                        source += f' LEFT JOIN {MEMBER_KEYS} AS k{i} ON k{i}.k_id = t."{c}"'
                        exprs.append(f"coalesce(k{i}.k_key, 'id:' || t.\"{c}\")")
                    else:
                        exprs.append(f't."{c}"')
            row = ", ".join(exprs)
            out[t] = con.execute(f"SELECT count(*), coalesce(sum(hash({row})::HUGEINT), 0) FROM {source}").fetchone()
        return out
    finally:
        con.close()


def totals(db: Path) -> dict[str, int]:
    con = _connect(db)
    try:
        cur = con.execute(TOTALS_SQL)
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))
    finally:
        con.close()
