"""Run a metric's plan (siyu.spark.catalog) on a Spark session over a lake (siyu.lake).

The bucketed tables a plan reads are read by Spark and unioned into one frame, each table's columns
prefixed with its name (`orders__paid_at`) and a `tbl` column saying which table a row is from; one
`groupBy("bucket").applyInArrow` hands each bucket's rows to the plan's partial — the local engine's pure
Polars function — in a Python worker. A partial returns a Polars frame of any shape, so the worker
returns it as one row (bucket, Arrow IPC bytes); the driver collects those rows and runs the combine.
Small unbucketed tables (the tier ladder) go to every bucket inside the closure; the referral edges and
the member references are read by Spark and collected to the driver.

Timestamps stay wall-clock (TIMESTAMP_NTZ, the session in UTC), as DuckDB and Polars hold them.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from siyu.errors import SiyuError
from siyu.lake.layout import FORMAT_VERSION, MANIFEST
from siyu.spark.catalog import plan as find_plan
from siyu.spark.plans import Bounds, Plan

DEFAULT_MASTER = "local[*]"
_SHIPPED: set[int] = set()  # SparkContexts that already have siyu's code


def session(master: str | None = None, conf: Mapping[str, str] | None = None) -> Any:
    """A SparkSession for siyu's jobs: `master` and `conf` pass through; without `master`, the one
    spark-submit set (its master setting), else local[*]. Python workers run this interpreter, and siyu's package
    is shipped to them."""
    try:
        from pyspark import SparkConf
        from pyspark.sql import SparkSession
    except ImportError:
        raise SiyuError("需要 pyspark：pip install -r requirements-spark.txt（还需要 Java 17）/ "
                        "pyspark is not installed: pip install -r requirements-spark.txt (and Java 17)") from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # a cluster sets its own
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    settings = {"spark.sql.session.timeZone": "UTC", "spark.ui.enabled": "false",
                "spark.sql.shuffle.partitions": "16", "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
                "spark.sql.execution.arrow.pyspark.enabled": "true", **(conf or {})}
    if master is None and not SparkConf().contains("spark.master"):
        master = DEFAULT_MASTER
    builder = SparkSession.builder.appName("siyu")
    if master is not None:
        builder = builder.master(master)
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    _ship_code(spark)
    return spark


def _ship_code(spark: Any) -> None:
    """Zip the siyu package this driver runs and add it to the workers' path (a cluster's executors do not
    have it installed; local workers would otherwise import whatever siyu their working directory holds)."""
    context = spark.sparkContext
    if id(context) in _SHIPPED:
        return
    package = Path(__file__).resolve().parents[1]
    target = Path(tempfile.mkdtemp(prefix="siyu-spark-")) / "siyu.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in package.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.write(path, Path("siyu") / path.relative_to(package))
    context.addPyFile(str(target))
    _SHIPPED.add(id(context))


def read_manifest(spark: Any, lake: str) -> dict[str, Any]:
    """The lake's manifest, read through Spark so a lake on HDFS or object storage works like a local one."""
    import json

    try:
        text = spark.read.text(f"{lake.rstrip('/')}/{MANIFEST}", wholetext=True).first()[0]
        manifest: dict[str, Any] = json.loads(text)
    except Exception as exc:  # Spark's AnalysisException (path missing) or bad JSON
        raise SiyuError(f"{lake} 不是 siyu 数据湖（读不到 {MANIFEST}）；先运行 python -m siyu lake export / "
                        f"{lake} is not a readable siyu lake ({MANIFEST}: {type(exc).__name__})") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise SiyuError(f"数据湖格式版本 {manifest.get('format')} 不受支持 / unsupported lake format")
    return manifest


def _table(spark: Any, lake: str, name: str) -> Any:
    return spark.read.parquet(f"{lake.rstrip('/')}/{name}")


def collect_table(spark: Any, lake: str, name: str) -> pl.DataFrame:
    frame = pl.from_arrow(_table(spark, lake, name).toArrow())
    assert isinstance(frame, pl.DataFrame)
    return frame


def run_metric(name: str, lake: str | Path, params: Mapping[str, str], *, spark: Any | None = None,
               master: str | None = None, conf: Mapping[str, str] | None = None) -> tuple[Plan, pl.DataFrame]:
    """The metric `name` over the lake, as the local engine computes it over the database it came from.
    Returns the plan (single_row says how JSON prints it) and the frame."""
    lake = str(lake)
    plan = find_plan(name)
    spark = spark or session(master, conf)
    manifest = read_manifest(spark, lake)
    resolved = plan.resolve(params, Bounds.from_manifest(manifest))
    shared = {t: collect_table(spark, lake, t) for t in plan.bucket_tables}
    parts = _partials(spark, lake, plan, resolved, shared)
    driver = {t: collect_table(spark, lake, t) for t in plan.driver_tables}
    return plan, plan.combine(parts, resolved, driver)


def _partials(spark: Any, lake: str, plan: Plan, resolved: dict[str, Any],
              shared: dict[str, pl.DataFrame]) -> pl.DataFrame:
    from pyspark.sql import functions as F

    tagged = None
    for name in plan.tables:
        frame = _table(spark, lake, name)
        cols = [F.col(c).alias(f"{name}__{c}") for c in frame.columns if c != "bucket"]
        frame = frame.select(F.col("bucket"), F.lit(name).alias("tbl"), *cols)
        tagged = frame if tagged is None else tagged.unionByName(frame, allowMissingColumns=True)
    tables = plan.tables
    partial = plan.partial

    def run_bucket(table: Any) -> Any:
        import pyarrow as pa
        import pyarrow.compute as pc

        frames = dict(shared)
        for name in tables:
            rows = table.filter(pc.equal(table["tbl"], name))
            cols = [c for c in table.column_names if c.startswith(f"{name}__")]
            got = pl.from_arrow(rows.select(cols))
            assert isinstance(got, pl.DataFrame)
            frames[name] = got.rename({c: c.split("__", 1)[1] for c in cols})
        buffer = io.BytesIO()
        partial(frames, resolved).write_ipc(buffer)
        bucket = table["bucket"][0].as_py() if table.num_rows else -1
        return pa.table({"bucket": pa.array([bucket], pa.int32()), "payload": pa.array([buffer.getvalue()], pa.binary())})

    result = tagged.groupBy("bucket").applyInArrow(run_bucket, "bucket int, payload binary").toArrow()
    frames = [pl.read_ipc(io.BytesIO(blob.as_py())) for blob in result["payload"]]
    if not frames:
        # No bucket has rows: the partial of an empty bucket gives the combine its schema.
        empty = {name: pl.DataFrame() for name in tables}
        return _empty_partial(plan, resolved, shared, empty)
    return pl.concat(frames, how="vertical_relaxed")


def _empty_partial(plan: Plan, resolved: dict[str, Any], shared: dict[str, pl.DataFrame],
                   empty: dict[str, pl.DataFrame]) -> pl.DataFrame:
    from siyu.spark.catalog import EMPTY_TABLES

    frames = {**shared, **{name: pl.DataFrame(schema=EMPTY_TABLES[name]) for name in empty}}
    return plan.partial(frames, resolved)


def parse_conf(pairs: Sequence[str]) -> dict[str, str]:
    """--conf KEY=VALUE pairs (spark-submit's spelling)."""
    conf = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SiyuError(f"--conf 需要 KEY=VALUE：{pair!r} / --conf takes KEY=VALUE")
        conf[key.strip()] = value
    return conf
