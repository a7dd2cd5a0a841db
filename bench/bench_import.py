"""Import at scale: a 10M-row generic_orders CSV and a 1M-row GB18030 有赞 order export.

For each file, in fresh processes (so peak memory is per run): siyu's import (read, parse, validate,
resolve members, idempotent load in one transaction), DuckDB's own COPY of the same file into a
typed table (the floor: no validation, no identities, no idempotency), and pandas `read_csv` +
insert into DuckDB (the baseline people write first). A second siyu run of the same file measures
the all-duplicates re-import.

Usage: python bench/bench_import.py [--orders 10000000] [--youzan 1000000] [--dir /tmp/siyu-bench]
       [--runs 1] [--skip-pandas]
"""

from __future__ import annotations

import argparse
import codecs
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- synthetic files (vectorised)

def make_generic_orders(path: Path, n: int, seed: int = 1) -> None:
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    start = 1_672_531_200  # 2023-01-01 UTC, written as brand-local text
    secs = rng.integers(0, 2 * 365 * 86_400, n)
    cents = rng.integers(0, 100_000, n)
    refunded = np.where(rng.random(n) < 0.05, cents // 2, 0)
    status = np.where(rng.random(n) < 0.02, "cancelled", "paid")
    frame = pl.DataFrame({
        "order_id": pl.int_range(1, n + 1, eager=True).cast(pl.Utf8),
        "member_id": "M" + pl.Series(rng.integers(1, max(n // 8, 2), n)).cast(pl.Utf8),
        "paid_at": pl.from_epoch(pl.Series(start + secs), time_unit="s").dt.strftime("%Y-%m-%d %H:%M:%S"),
        "amount": pl.Series(cents // 100).cast(pl.Utf8) + "." + pl.Series(cents % 100).cast(pl.Utf8).str.zfill(2),
        "refund_amount": pl.Series(np.where(refunded > 0, (refunded / 100).round(2).astype(str), "")),
        "status": pl.Series(status),
        "store": pl.Series(rng.choice(["天猫旗舰店", "门店A", "门店B", "有赞商城"], n)),
    })
    frame.write_csv(path)


def make_youzan_gb18030(path: Path, n: int, seed: int = 2) -> None:
    """An 有赞 order export as Excel on Chinese Windows saves it: GB18030, CRLF, ¥ amounts, mixed phone
    spellings, masked phones, a trailing 合计 row."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    start = 1_672_531_200
    secs = rng.integers(0, 2 * 365 * 86_400, n)
    cents = rng.integers(0, 200_000, n)
    buyers = rng.integers(13_000_000_000, 13_000_000_000 + max(n // 6, 2), n)
    form = rng.integers(0, 20, n)
    phone = pl.Series(buyers).cast(pl.Utf8)
    phone = (pl.DataFrame({"p": phone, "f": form}).select(
        pl.when(pl.col("f") == 0).then(pl.col("p").str.slice(0, 3) + "****" + pl.col("p").str.slice(7))
        .when(pl.col("f") < 4).then("+86 " + pl.col("p").str.slice(0, 3) + "-" + pl.col("p").str.slice(3, 4) + "-" + pl.col("p").str.slice(7))
        .otherwise(pl.col("p"))).to_series())
    state = rng.choice(["交易成功", "已发货", "待发货", "已关闭", "待付款"], n, p=[0.7, 0.1, 0.1, 0.05, 0.05])
    paid_time = pl.from_epoch(pl.Series(start + secs + 60), time_unit="s").dt.strftime("%Y/%-m/%-d %H:%M")
    frame = pl.DataFrame({
        "订单号": "E" + pl.int_range(20230000000000, 20230000000000 + n, eager=True).cast(pl.Utf8),
        "销售渠道": pl.Series(rng.choice(["微商城", "小程序", "视频号"], n)),
        "归属店铺": pl.Series(rng.choice(["山茶集旗舰店", "山茶集·成都店"], n)),
        "订单状态": pl.Series(state),
        "订单创建时间": pl.from_epoch(pl.Series(start + secs), time_unit="s").dt.strftime("%Y-%m-%d %H:%M:%S"),
        "买家付款时间": pl.DataFrame({"t": paid_time, "s": state}).select(
            pl.when(pl.col("s").is_in(["待付款", "已关闭"])).then(pl.lit("")).otherwise(pl.col("t"))).to_series(),
        "订单实付金额（元）": "¥" + pl.Series(cents // 100).cast(pl.Utf8) + "." + pl.Series(cents % 100).cast(pl.Utf8).str.zfill(2),
        "全部商品名称": pl.Series(rng.choice(["山茶花面霜 50g", "精华液😀限定", "唇膏·樱花"], n)),
        "收货人手机号/提货人手机号": pl.Series(rng.integers(15_000_000_000, 15_999_999_999, n)).cast(pl.Utf8),
        "买家昵称": pl.Series(rng.choice(["小红", "阿May", "张伟", "🌸花花"], n)),
        "买家手机号": phone,
        "分销员": pl.Series(rng.choice(["", "", "小美"], n)),
        "订单退款状态": pl.Series(np.where(rng.random(n) < 0.03, "退款成功", "")),
        "订单已退款金额": pl.Series(np.where(rng.random(n) < 0.03, "10.00", "0.00")),
    })
    tmp = path.with_suffix(".utf8.tmp")
    frame.write_csv(tmp, line_terminator="\r\n")
    encoder = codecs.getincrementalencoder("gb18030")()
    with open(tmp, encoding="utf-8", newline="") as src, open(path, "wb") as out:
        while chunk := src.read(1 << 22):
            out.write(encoder.encode(chunk))
        out.write(("合计" + "," * 13 + "\r\n").encode("gb18030"))
    tmp.unlink()


# ---------------------------------------------------------------- one measured run per process

def _run_siyu(file: Path, db: Path) -> dict:
    from siyu.config import load_settings
    from siyu.ingest import import_file

    settings = load_settings(db=db)
    started = time.perf_counter()
    report = import_file(db, file, settings=settings)
    elapsed = time.perf_counter() - started
    assert report.ok, report.refused
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    orders, valid, net = con.execute(
        "SELECT (SELECT count(*) FROM orders), count(*), sum(net_cents) FROM valid_orders").fetchall()[0]
    con.close()
    return {"seconds": elapsed, "rows": report.rows_read, "inserted": report.inserted, "duplicates": report.duplicates,
            "rejected": report.rejected, "orders": orders, "valid_orders": valid, "valid_net_cents": int(net or 0)}


def _run_duckdb_copy(file: Path, db: Path, encoding: str) -> dict:
    import duckdb

    started = time.perf_counter()
    source = file
    if encoding != "utf-8":
        # DuckDB reads UTF-8 (and UTF-16/latin-1) only; transcoding is part of the floor for GB18030.
        source = file.with_suffix(".floor.csv")
        decoder = codecs.getincrementaldecoder(encoding)()
        with open(file, "rb") as src, open(source, "wb") as out:
            while chunk := src.read(1 << 24):
                out.write(decoder.decode(chunk).encode("utf-8"))
    con = duckdb.connect(str(db))
    if encoding == "utf-8":
        con.execute("CREATE TABLE t (order_id VARCHAR, member_id VARCHAR, paid_at TIMESTAMP, amount DECIMAL(12,2), "
                    "refund_amount DECIMAL(12,2), status VARCHAR, store VARCHAR)")
        con.execute(f"COPY t FROM '{source}' (HEADER)")
    else:
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{source}', all_varchar = true)")
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    con.close()
    elapsed = time.perf_counter() - started
    if source != file:
        source.unlink()
    return {"seconds": elapsed, "rows": rows}


def _run_pandas(file: Path, db: Path, encoding: str) -> dict:
    import duckdb
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(file, dtype=str, encoding=encoding, keep_default_na=False)
    con = duckdb.connect(str(db))
    con.register("frame", frame)
    con.execute("CREATE TABLE t AS SELECT * FROM frame")
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    con.close()
    return {"seconds": time.perf_counter() - started, "rows": rows}


def _child(args: argparse.Namespace) -> None:
    from bench.common import peak_rss_mb

    file, db = Path(args.file), Path(args.db)
    if args.child == "siyu":
        result = _run_siyu(file, db)
    elif args.child == "siyu-again":
        _run_siyu(file, db)
        result = _run_siyu(file, db)
        result["note"] = "second import of the same file"
    elif args.child == "copy":
        result = _run_duckdb_copy(file, db, args.encoding)
    else:
        result = _run_pandas(file, db, args.encoding)
    result["peak_mb"] = peak_rss_mb()
    print(json.dumps(result))


def _measure(kind: str, file: Path, workdir: Path, encoding: str) -> dict:
    db = workdir / f"bench-{kind}.duckdb"
    for p in (db, db.with_suffix(".duckdb.wal")):
        p.unlink(missing_ok=True)
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--file", str(file), "--db", str(db),
                          "--encoding", encoding], capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise SystemExit(out.stderr)
    db.unlink(missing_ok=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--youzan", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/siyu-bench"))
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--child", default=None)
    parser.add_argument("--file", default=None)
    parser.add_argument("--db", default=None)
    parser.add_argument("--encoding", default="utf-8")
    args = parser.parse_args()
    if args.child:
        _child(args)
        return

    from bench.common import machine

    args.dir.mkdir(parents=True, exist_ok=True)
    files = []
    if args.orders:
        path = args.dir / f"generic_orders_{args.orders}.csv"
        if not path.exists():
            make_generic_orders(path, args.orders)
        files.append(("generic_orders", path, "utf-8", args.orders))
    if args.youzan:
        path = args.dir / f"youzan_orders_{args.youzan}_gb18030.csv"
        if not path.exists():
            make_youzan_gb18030(path, args.youzan)
        files.append(("youzan_orders (GB18030)", path, "gb18030", args.youzan))

    print(f"machine: {machine()}\n")
    print("| file | size | method | seconds | rows/s | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    for label, path, encoding, n in files:
        size = f"{path.stat().st_size / 2**20:.0f} MB"
        kinds = ["copy", "siyu", "siyu-again"] + ([] if args.skip_pandas else ["pandas"])
        names = {"copy": "DuckDB COPY (floor)", "siyu": "siyu import", "siyu-again": "siyu re-import (all duplicates)",
                 "pandas": "pandas read_csv + insert"}
        for kind in kinds:
            r = _measure(kind, path, args.dir, encoding)
            print(f"| {label} {n:,} rows | {size} | {names[kind]} | {r['seconds']:.1f} | {n / r['seconds']:,.0f} "
                  f"| {r['peak_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
