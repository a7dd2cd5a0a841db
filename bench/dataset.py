"""The benchmark data set at one scale: the demo brand, its orders as a generic CSV and a GB18030 有赞 export.

`ensure(scale)` builds whatever is missing under `<root>/<scale>/` (default root /tmp/siyu_scale, outside
the repository) and returns a `Dataset` with the paths and the expected answers every import must
reproduce:

- `demo.duckdb`: `python -m siyu demo --members N --order-scale S --referral-scale R` (subprocess, so the
  generator's memory is returned before anything is measured);
- `orders.csv`: every order of that database as a `generic_orders` file (order_id, member_id, paid_at,
  amount, refund_amount, status, store), written by DuckDB's COPY. Unpaid and cancelled orders carry their
  creation time in `paid_at` (the column is required) and keep their status, so the import's valid orders
  are exactly the demo's;
- `youzan_gb18030.csv`: the first `youzan_rows` orders (by order id) as an 有赞 order export the way Excel on
  Chinese Windows saves it: GB18030, CRLF, ¥ amounts, 买家手机号 in mixed spellings (+86 and dashes), a
  trailing 合计 row. Statuses map to 交易成功/已发货/待发货 (paid), 退款成功 with the refunded amount
  (partial or full refund), 已关闭 without payment time (cancelled), 待付款 (unpaid);
- `manifest.json`: row counts, valid orders and net cents of each file's orders, computed from the demo
  database: the import benchmark checks siyu's result against them.
"""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROOT = Path("/tmp/siyu_scale")
ORDER_SCALE = 1.8       # ~10 orders per member (the default demo has ~7.5)
REFERRAL_SCALE = 4.5    # ~0.3 referral edges per member (the default demo has ~0.18)
YOUZAN_MAX_ROWS = 1_000_000   # the size of issue #3's 有赞 benchmark


@dataclass(frozen=True)
class Scale:
    name: str
    members: int
    note: str


SCALES = {
    "toy": Scale("toy", 1_000, "≈10k orders: the smoke test's size"),
    "100k": Scale("100k", 10_000, "≈100k orders"),
    "1m": Scale("1m", 100_000, "≈1M orders"),
    "10m": Scale("10m", 1_000_000, "1M members, ≈10M orders, ≈300k referral edges (issue #8)"),
    "30m": Scale("30m", 3_000_000, "3M members, ≈30M orders"),
}


@dataclass(frozen=True)
class Dataset:
    scale: Scale
    dir: Path
    db: Path
    csv: Path
    youzan: Path
    manifest: dict


def _valid_sql(where: str = "") -> str:
    return ("SELECT count(*) AS orders, "
            "count(*) FILTER (WHERE paid_at IS NOT NULL AND status IN ('paid', 'partially_refunded') "
            "AND NOT (paid_cents > 0 AND refunded_cents >= paid_cents)) AS valid_orders, "
            "sum(greatest(paid_cents - refunded_cents, 0)) FILTER (WHERE paid_at IS NOT NULL "
            "AND status IN ('paid', 'partially_refunded') AND NOT (paid_cents > 0 AND refunded_cents >= paid_cents)) "
            f"AS valid_net_cents FROM orders {where}")


def _youzan_ids_sql(rows: int) -> str:
    return f"(SELECT order_id FROM orders ORDER BY order_id LIMIT {int(rows)})"


def build_demo(db: Path, members: int) -> dict:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "siyu", "demo", "--db", str(db), "--members", str(members),
                           "--order-scale", str(ORDER_SCALE), "--referral-scale", str(REFERRAL_SCALE)],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"building the demo data set failed:\n{proc.stderr}")
    summary = json.loads(proc.stdout)
    return {"seconds": time.perf_counter() - started, "orders": summary["orders_total"],
            "referrals": summary["rows"]["referrals"]}


def write_generic_csv(db: Path, path: Path) -> None:
    import duckdb

    tmp = path.with_suffix(".tmp")
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute(f"""COPY (
            SELECT order_id, CAST(member_id AS VARCHAR) AS member_id,
                   strftime(coalesce(paid_at, created_at), '%Y-%m-%d %H:%M:%S') AS paid_at,
                   printf('%d.%02d', paid_cents // 100, paid_cents % 100) AS amount,
                   CASE WHEN refunded_cents > 0 THEN printf('%d.%02d', refunded_cents // 100, refunded_cents % 100)
                        END AS refund_amount,
                   status, store
            FROM orders ORDER BY order_id) TO '{tmp}' (HEADER, DELIMITER ',')""").fetchall()
    finally:
        con.close()
    tmp.rename(path)


def write_youzan_gb18030(db: Path, path: Path, rows: int) -> None:
    """The first `rows` orders as an 有赞 order export saved by Excel on Chinese Windows."""
    import duckdb

    utf8 = path.with_suffix(".utf8.tmp")
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute(f"""COPY (
            WITH o AS (SELECT * FROM orders WHERE order_id IN {_youzan_ids_sql(rows)}),
            phone AS (SELECT member_id, CAST(13000000000 + member_id AS VARCHAR) AS p FROM members)
            SELECT o.order_id AS "订单号",
                   coalesce(o.sales_channel, '微商城') AS "销售渠道",
                   coalesce(o.store, '山茶集线上旗舰店') AS "归属店铺",
                   CASE o.status WHEN 'unpaid' THEN '待付款' WHEN 'cancelled' THEN '已关闭'
                        ELSE (['交易成功', '交易成功', '交易成功', '已发货', '待发货'])[1 + CAST(hash(o.order_id) % 5 AS BIGINT)] END
                       AS "订单状态",
                   strftime(o.created_at, '%Y-%m-%d %H:%M:%S') AS "订单创建时间",
                   CASE WHEN o.status NOT IN ('unpaid', 'cancelled') THEN strftime(o.paid_at, '%Y/%-m/%-d %H:%M:%S') END AS "买家付款时间",
                   '¥' || printf('%d.%02d', o.paid_cents // 100, o.paid_cents % 100) AS "订单实付金额（元）",
                   '山茶花冷泡茶 10袋' AS "全部商品名称",
                   CAST(15000000000 + o.member_id AS VARCHAR) AS "收货人手机号/提货人手机号",
                   '茶友' || o.member_id AS "买家昵称",
                   CASE CAST(hash(o.member_id) % 10 AS BIGINT) WHEN 0 THEN '+86 ' || p[1:3] || '-' || p[4:7] || '-' || p[8:11]
                        WHEN 1 THEN p[1:3] || ' ' || p[4:7] || ' ' || p[8:11] ELSE p END AS "买家手机号",
                   o.distributor AS "分销员",
                   CASE WHEN o.refunded_cents > 0 THEN '退款成功' END AS "订单退款状态",
                   printf('%d.%02d', o.refunded_cents // 100, o.refunded_cents % 100) AS "订单已退款金额"
            FROM o JOIN phone USING (member_id) ORDER BY o.order_id
        ) TO '{utf8}' (HEADER, DELIMITER ',', NEW_LINE '\\r\\n')""").fetchall()
    finally:
        con.close()
    tmp = path.with_suffix(".tmp")
    encoder = codecs.getincrementalencoder("gb18030")()
    with open(utf8, encoding="utf-8", newline="") as src, open(tmp, "wb") as out:
        while chunk := src.read(1 << 22):
            out.write(encoder.encode(chunk))
        out.write(encoder.encode("合计" + "," * 13 + "\r\n", final=True))
    utf8.unlink()
    tmp.rename(path)


def _expected(db: Path, youzan_rows: int) -> dict:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        keys = ("orders", "valid_orders", "valid_net_cents")
        whole = dict(zip(keys, con.execute(_valid_sql()).fetchall()[0], strict=True))
        part = dict(zip(keys, con.execute(_valid_sql(f"WHERE order_id IN {_youzan_ids_sql(youzan_rows)}")).fetchall()[0],
                        strict=True))
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                  for t in ("members", "orders", "referrals")}
        counts["valid_orders"] = con.execute("SELECT count(*) FROM valid_orders").fetchall()[0][0]
    finally:
        con.close()
    return {"generic": whole, "youzan": part, "counts": counts}


def ensure(scale_name: str, root: Path = DEFAULT_ROOT, log=print) -> Dataset:  # log: a print-like callable
    scale = SCALES[scale_name]
    folder = root / scale.name
    folder.mkdir(parents=True, exist_ok=True)
    db, csv, youzan, manifest_path = (folder / "demo.duckdb", folder / "orders.csv", folder / "youzan_gb18030.csv",
                                      folder / "manifest.json")
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    if not db.exists() or "demo" not in manifest:
        need = 0.35 * scale.members * 10 / 1e6 * 1.2 + 0.5   # GB: 3.3 GB peak at 1M members (~10M orders)
        with open("/proc/meminfo") as f:
            have = int(next(line for line in f if line.startswith("MemAvailable")).split()[1]) / 2**20
        if have < need:
            raise SystemExit(f"not building the {scale.name} data set: the demo generator needs ~{need:.0f} GB, "
                             f"{have:.0f} GB available")
        log(f"[data] building the demo brand: {scale.members:,} members ({scale.note}) into {db}")
        for stale in (db, db.with_suffix(".duckdb.wal"), csv, youzan):
            stale.unlink(missing_ok=True)
        manifest = {"scale": scale.name, "members": scale.members, "order_scale": ORDER_SCALE,
                    "referral_scale": REFERRAL_SCALE, "demo": build_demo(db, scale.members)}
        manifest_path.write_text(json.dumps(manifest, indent=2))
    youzan_rows = min(YOUZAN_MAX_ROWS, manifest["demo"]["orders"])
    if not csv.exists():
        log(f"[data] writing {csv.name}")
        write_generic_csv(db, csv)
    if not youzan.exists():
        log(f"[data] writing {youzan.name} ({youzan_rows:,} orders, GB18030)")
        write_youzan_gb18030(db, youzan, youzan_rows)
    if "expected" not in manifest:
        manifest["expected"] = _expected(db, youzan_rows)
        manifest["youzan_rows"] = youzan_rows
        manifest["files"] = {p.name: p.stat().st_size for p in (csv, youzan)}
        manifest_path.write_text(json.dumps(manifest, indent=2))
    return Dataset(scale, folder, db, csv, youzan, manifest)


if __name__ == "__main__":
    for name in sys.argv[1:] or ["toy"]:
        data = ensure(name)
        print(json.dumps(data.manifest, indent=2))
