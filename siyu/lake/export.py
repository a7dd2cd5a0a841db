"""`python -m siyu lake export`: write the tables metrics read as a Parquet lake, replaced atomically.

Every export is a full rewrite into a sibling temporary directory, renamed over the old lake only when
complete: a reader (a Spark job) sees either the old lake or the new one, never half of each; a crash
leaves the old lake and a `.<name>.tmp-*` folder that the next export removes. Incremental writing per
import batch is not done: an import may update or cancel orders of earlier batches (siyu.ingest.merge),
so a batch's rows are not an append-only partition.

The manifest records what a run needs to agree with the local engine: the schema and data versions
the lake was written from, the bucket count, each table's row count, and the data's bounds (the first and
last day of any data, the last order day, the last day with data) that metrics use as defaults.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from siyu.db import query
from siyu.db.frame_store import data_version
from siyu.db.schema import schema_version
from siyu.errors import SiyuError
from siyu.lake.layout import DEFAULT_BUCKETS, FORMAT_VERSION, MANIFEST, TABLES, bucket_expr
from siyu.member_refs import choose_refs

MAX_BUCKETS = 4096


def export_lake(con: duckdb.DuckDBPyConnection, out: Path, *, buckets: int = DEFAULT_BUCKETS) -> dict[str, Any]:
    """Write every table of layout.TABLES under `out` (replacing what is there) and return the manifest."""
    if not 1 <= buckets <= MAX_BUCKETS:
        raise SiyuError(f"--buckets 必须在 1 到 {MAX_BUCKETS} 之间 / --buckets must be between 1 and {MAX_BUCKETS}")
    out = Path(out)
    if out.exists() and not (out / MANIFEST).exists() and any(out.iterdir()):
        raise SiyuError(f"{out} 已存在且不是 siyu 数据湖，不会覆盖 / {out} exists and is not a siyu lake; not overwritten")
    out.parent.mkdir(parents=True, exist_ok=True)
    _sweep(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        rows = {name: _write_table(con, name, tmp, buckets) for name in TABLES}
        rows["member_refs"] = _write_refs(con, tmp)
        manifest = _manifest(con, buckets, rows)
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _write_table(con: duckdb.DuckDBPyConnection, name: str, root: Path, buckets: int) -> int:
    source, bucketed = TABLES[name]
    frame = query(con, source)
    target = root / name
    if not bucketed:
        target.mkdir()
        frame.write_parquet(target / "part-0.parquet")
        return frame.height
    frame = frame.with_columns(bucket_expr("member_id", buckets))
    if frame.height == 0:  # an empty table still has its schema: an empty file in bucket 0
        (target / "bucket=0").mkdir(parents=True)
        frame.drop("bucket").write_parquet(target / "bucket=0" / "empty.parquet")
        return 0
    frame.write_parquet(target, partition_by="bucket", mkdir=True)
    return frame.height


def _write_refs(con: duckdb.DuckDBPyConnection, root: Path) -> int:
    """siyu_id, member_id: each member's own reference (siyu.member_refs), so member-level outputs of a
    Spark run name members as the local engine's do."""
    refs = choose_refs(query(con, "member_ref_candidates_all"))
    (root / "member_refs").mkdir()
    refs.write_parquet(root / "member_refs" / "part-0.parquet")
    return refs.height


def _manifest(con: duckdb.DuckDBPyConnection, buckets: int, rows: dict[str, int]) -> dict[str, Any]:
    con = con.cursor()  # schema_version leaves a result open on the connection it is given
    bounds = query(con, "data_bounds").row(0, named=True)
    last_day = query(con, "m_data_last_day").item(0, 0)
    version = data_version(con)
    return {
        "format": FORMAT_VERSION,
        "schema_version": schema_version(con.cursor()),
        "data_version": [str(v) for v in version[1:]] if version else [],
        "buckets": buckets,
        "rows": rows,
        "first_at": _iso(bounds["first_at"]),
        "last_at": _iso(bounds["last_at"]),
        "last_order_at": _iso(bounds["last_order_at"]),
        "data_last_day": _iso(last_day),
        "last_valid_order_day": _iso(query(con, "lake_bounds").item(0, 0)),
        "exported_at": dt.datetime.now().replace(microsecond=0).isoformat(),
    }


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _swap(tmp: Path, out: Path) -> None:
    """Rename the finished lake over the old one: the old one is moved aside first (rename is atomic,
    replacing a non-empty directory is not), then removed."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _sweep(out: Path) -> None:
    """Leftovers of an export that crashed (temporary or moved-aside folders next to the lake)."""
    for stale in out.parent.glob(f".{out.name}.*-*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def read_manifest(lake: Path) -> dict[str, Any]:
    path = Path(lake) / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiyuError(f"{lake} 不是 siyu 数据湖（没有 {MANIFEST}）；先运行 python -m siyu lake export / "
                        f"{lake} is not a siyu lake (no {MANIFEST}); run python -m siyu lake export first") from None
    except (OSError, ValueError) as exc:
        raise SiyuError(f"无法读取 {path}：{exc} / cannot read {path}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise SiyuError(f"{path} 的格式版本 {manifest.get('format')} 不受支持 / unsupported lake format")
    return manifest
