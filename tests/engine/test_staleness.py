"""Stale data is impossible by construction: one data version (queries/m_data_version.sql) keys every cache,
and every kind of write changes it.

One database goes through each kind of write in turn: a demo build, clearing the demo, an import, an import
of a new order, an import that updates an existing order, the undo of that import, and a migration that
redefines the valid_orders view. After each, the pages' loaders (siyu.ui.cache, under the state a new page
run reads) and the command line (in a process whose memory is empty, so from the frame files on disk or from
DuckDB) must both show the new figures. The server process keeps its frames in memory across the steps,
as a running dashboard does.

Orders (generic CSV, 2024-03):
  a.csv  order 1 M1 ¥12.50, order 2 M2 ¥30.00                         -> orders 2, gmv 42.5
  b.csv  order 3 M1 ¥7.50                                              -> orders 3, gmv 50.0
  c.csv  order 2 refunded in full (an update: not a valid order)       -> orders 2, gmv 20.0
  undo of c.csv                                                        -> orders 3, gmv 50.0
  migration 006: valid orders are those of ¥10 or more                 -> orders 2 (1 and 2), gmv 42.5
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from siyu.cli import main
from siyu.config import Settings
from siyu.db import reading, schema
from siyu.db.connection import forget_schema_cache
from siyu.engine import frame_cache
from siyu.ingest import undo_batch
from siyu.ui import banner, cache

HEADER = "order_id,member_id,paid_at,amount,refund_amount,status,store\n"
RANGE = {"start": "2024-03-01", "end": "2024-03-31"}

VIEW_006 = """
CREATE OR REPLACE VIEW valid_orders AS
SELECT
    order_id, member_id, paid_at, store, sales_channel, distributor, coupon_code, discount_cents,
    paid_cents, refunded_cents,
    greatest(paid_cents - refunded_cents, 0) AS net_cents
FROM orders
WHERE paid_at IS NOT NULL
  AND status IN ('paid', 'partially_refunded')
  AND NOT (paid_cents > 0 AND refunded_cents >= paid_cents)
  AND paid_cents >= 1000;
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def _figures(frame_row: dict) -> tuple[int, float]:
    return int(frame_row["orders"]), round(float(frame_row["gmv"]), 2)


def _seen(db: Path, capsys: pytest.CaptureFixture[str]) -> tuple[tuple[int, float], tuple[int, float]]:
    """(orders, gmv) of March 2024 as the pages' loader shows it to a new page run, and as a new
    `python -m siyu metric kpis` prints it."""
    settings = Settings(db=db, lock_timeout=10.0)
    state = cache.db_state(settings)
    page = cache.metric(str(db), "kpis", tuple(sorted(RANGE.items())), state.key, settings.lock_timeout)
    in_memory = dict(frame_cache._FRAMES)  # the server's frames; a new command-line process has none
    frame_cache.clear()
    try:
        out = _run(capsys, "metric", "kpis", "--db", str(db), *[f"--param={k}={v}" for k, v in RANGE.items()])
    finally:
        frame_cache.clear()
        frame_cache._FRAMES.update(in_memory)
    return _figures(page.row(0, named=True)), _figures(json.loads(out))


def _import(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, rows: str) -> int:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    report = json.loads(_run(capsys, "import", "--db", str(db), str(path)).strip().splitlines()[-1])
    return int(report["batch_id"])


def test_every_kind_of_write_reaches_the_loaders_and_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    forget_schema_cache()
    db = tmp_path / "siyu.duckdb"
    frame_cache.clear()

    _run(capsys, "demo", "--db", str(db), "--members", "100")
    settings = Settings(db=db, lock_timeout=10.0)
    with reading(db, 10.0) as con:
        demo_orders = con.execute("SELECT count(*) FROM valid_orders WHERE paid_at >= '2024-03-01' "
                                  "AND paid_at < '2024-04-01'").fetchone()[0]
    page, cli = _seen(db, capsys)
    assert page == cli and page[0] == demo_orders

    banner.clear_demo(settings, user="test")
    assert _seen(db, capsys) == ((0, 0.0), (0, 0.0))

    _import(db, tmp_path, capsys, "a.csv", "1,M1,2024-03-05 10:00,12.50,,,\n2,M2,2024-03-06 11:00,30.00,,,\n")
    assert _seen(db, capsys) == ((2, 42.5), (2, 42.5))

    _import(db, tmp_path, capsys, "b.csv", "3,M1,2024-03-07 09:00,7.50,,,\n")
    assert _seen(db, capsys) == ((3, 50.0), (3, 50.0))

    update = _import(db, tmp_path, capsys, "c.csv", "2,M2,2024-03-06 11:00,30.00,30.00,,\n")
    assert _seen(db, capsys) == ((2, 20.0), (2, 20.0))

    undo_batch(db, update, settings=settings)
    assert _seen(db, capsys) == ((3, 50.0), (3, 50.0))

    shipped = schema.migrations()
    monkeypatch.setattr(schema, "migrations", lambda: [*shipped, schema.Migration(
        len(shipped) + 1, f"{len(shipped) + 1:03d}_valid_from_ten_yuan.sql", VIEW_006)])
    forget_schema_cache()  # the next connection migrates, as a new siyu release's first run does
    assert _seen(db, capsys) == ((2, 42.5), (2, 42.5))


def test_the_data_version_names_the_schema_and_the_views(tmp_path: Path) -> None:
    """The version changes with the schema version alone and with a view's definition alone."""
    from siyu.db import writing
    from siyu.db.frame_store import data_version

    forget_schema_cache()
    db = tmp_path / "siyu.duckdb"
    with reading(db, 10.0) as con:
        first = data_version(con)
    with writing(db, 10.0) as con:
        con.execute("UPDATE schema_version SET version = version + 100 WHERE version = 1")
    with reading(db, 10.0) as con:
        renumbered = data_version(con)
    with writing(db, 10.0) as con:
        con.execute("UPDATE schema_version SET version = version - 100 WHERE version = 101")
        con.execute(VIEW_006)
    with reading(db, 10.0) as con:
        redefined = data_version(con)
    assert len({first, renumbered, redefined}) == 3
    assert first[1:] != redefined[1:] and first[0] == redefined[0] == str(db)
