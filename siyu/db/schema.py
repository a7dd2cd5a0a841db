"""Schema versions and forward migrations.

Migrations are the numbered files in `siyu/db/migrations/` (`001_initial.sql`, `002_....sql`).
Each runs once, inside one transaction together with the row that records it in `schema_version`,
so a database is always at exactly one version. A file written by a newer siyu is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from siyu.errors import SchemaError

_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """All migrations shipped with this siyu, in version order."""
    found = []
    for entry in resources.files("siyu.db").joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise SchemaError(f"migration files must be numbered 001, 002, ... without gaps: {versions}")
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The version stored in the file; 0 for an empty file. Refuses files that are not siyu's."""
    tables = {row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    if "schema_version" not in tables:
        if tables:
            raise SchemaError(
                f"这个 DuckDB 文件不是 siyu 的数据库（含有表 {sorted(tables)[:5]}）；请用 --db 指定另一个文件。"
                " / This DuckDB file is not a siyu database; point --db at another file.")
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0) if row else 0


class migrate:  # a namespace, read as migrate.apply(con)
    @staticmethod
    def latest_version() -> int:
        return migrations()[-1].version

    @staticmethod
    def apply(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
        """Apply pending migrations up to `target` (default: latest). Returns the versions applied."""
        target = migrate.latest_version() if target is None else target
        current = schema_version(con)
        if current > migrate.latest_version():
            raise SchemaError(
                f"数据库的结构版本是 {current}，比这个 siyu 支持的 {migrate.latest_version()} 新；请升级 siyu。"
                f" / The database schema is version {current}, newer than this siyu supports; upgrade siyu.")
        applied = []
        for m in migrations():
            if current < m.version <= target:
                con.execute("BEGIN TRANSACTION")
                try:
                    if m.version == 1:
                        con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                                    " name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)")
                    con.execute(m.sql)
                    con.execute("INSERT INTO schema_version VALUES (?, ?, current_localtimestamp())",
                                [m.version, m.name])
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                applied.append(m.version)
        return applied
