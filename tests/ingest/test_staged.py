"""Big generic order CSVs are read by DuckDB and converted in SQL (siyu.ingest.staged, #15): the stored
rows, the report and every row error are exactly those of the Polars path, on a corpus of messy files.

Each file is imported twice into fresh databases, once with the staged path forced (its size threshold
set to 0) and once with it off, and everything is compared: the report as the CLI prints it (but its
timings), and a checksum of every table (tests/reliability/dbstate.py, member ids replaced by identities).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from siyu.config import Settings
from siyu.db.connection import ensure_schema, forget_schema_cache
from siyu.ingest import import_file, staged
from siyu.ingest.readers import snapshot_of
from tests.reliability.dbstate import checksums

H = "order_id,member_id,paid_at,amount,refund_amount,status,store"
PLAIN = ["A1,M1,2024-03-05 10:00:00,12.50,,paid,门店甲", "A2,M2,2024-03-06 11:30,99,10.00,paid,门店乙",
         "A3,M1,2024-03-07,0.00,,unpaid,", "A4,M3,2024-03-08 09:00:00,20.00,20.00,paid,门店甲",
         "A5,M4,2024-03-08 09:00:00,30.00,,cancelled,门店丙"]
TOMORROW_PLUS = (dt.date.today() + dt.timedelta(days=3)).isoformat()

# name -> data rows (the header is H unless the name says otherwise); every one mixes plain rows with others.
CORPUS: dict[str, list[str]] = {
    "plain": PLAIN,
    "amount_forms": [*PLAIN, "B1,M5,2024-03-05 10:00,\"¥1,299.00\",,paid,x", "B2,M5,2024-03-05 10:00,1299元,,paid,x",
                     "B3,M6,2024-03-05 10:00,12.5,0.5,PAID,x", "B4,M6,2024-03-05 10:00,1.005,,paid,x"],
    "bad_amounts": [*PLAIN, "C1,M5,2024-03-05 10:00,1.2.3,,paid,x", "C2,M5,2024-03-05 10:00,-3.00,,paid,x",
                    "C3,M5,2024-03-05 10:00,184467440737095516.16,,paid,x", "C4,M5,2024-03-05 10:00,1000000000.00,,paid,x",
                    "C5,M5,2024-03-05 10:00,abc,,paid,x", "C6,M5,2024-03-05 10:00,,,paid,x"],
    "date_forms": [*PLAIN, "D1,M7,2024/3/5 14:05,1.00,,paid,x", "D2,M7,2024年3月5日,1.00,,paid,x",
                   "D3,M7,45356.5,1.00,,paid,x", "D4,M7,2024-03-05T14:05:00+00:00,1.00,,paid,x",
                   "D5,M7,2024-3-5 9:05:00,1.00,,paid,x"],
    "bad_dates": [*PLAIN, "E1,M8,1999-12-31 23:59:59,1.00,,paid,x", f"E2,M8,{TOMORROW_PLUS} 10:00:00,1.00,,paid,x",
                  "E3,M8,2024-02-30 10:00:00,1.00,,paid,x", "E4,M8,2024-03-05 24:00:00,1.00,,paid,x",
                  "E5,M8,,1.00,,paid,x", "E6,M8,1900-01-01,1.00,,paid,x"],
    "text_cells": [*PLAIN, "F1, M9,2024-03-05 10:00,1.00,,paid,x", "F2,M9,2024-03-05 10:00,1.00,,paid,\u3000店",
                   "F3,M9,2024-03-05 10:00,1.00,,paid,\x1b[31m红", "F4,,2024-03-05 10:00,1.00,,paid,x",
                   ",M9,2024-03-05 10:00,1.00,,paid,x", "F6,M9,2024-03-05 10:00,1.00,,paid," + "长" * 10_001,
                   "F7,M9,2024-03-05 10:00,1.00,,paid,a\u202eb", "F8,M9,2024-03-05 10:00,1.00,,退款,x"],
    "statuses": [*PLAIN, "G1,M1,2024-03-05 10:00,5.00,,已支付,x", "G2,M1,2024-03-05 10:00,5.00,,canceled,x",
                 "G3,M1,2024-03-05 10:00,5.00,1.00,partially_refunded,x", "G4,M1,2024-03-05 10:00,5.00,,shipped,x",
                 "G5,M1,2024-03-05 10:00,5.00,,Refunded,x", "G6,M1,2024-03-05 10:00,5.00,6.00,paid,x"],
    "repeats": [*PLAIN, "A1,M1,2024-03-05 10:00:00,12.50,,paid,门店甲", "A2,M2,2024-03-06 11:30,99,12.00,paid,门店乙",
                "H1,M1,2024/3/5 10:00,1.00,,paid,x", "H1,M1,2024-03-05 10:00:00,1.00,,paid,x"],
    "blank_like_rows": [*PLAIN[:2], ",,,,,,", *PLAIN[2:]],
    "footer": [*PLAIN, "合计,,,161.50,,,"],
    # The footer test is skipped for a row whose first cell starts with neither white space nor a footer word's
    # first letter: each way a footer can still start is here, and a plain row that is a footer at the end.
    "footer_forms": [*PLAIN, "合计123,M1,2024-03-05 10:00:00,1.00,,paid,x", "小计A,M1,2024-03-05 10:00:00,1.00,,paid,x",
                     "　总计,,,3.00,,,", ",Total,,,,,", "\ttotal: 4,,,,,,", "TOTAL,,,,,,", ",,,,,,"],
    "footer_in_the_middle": [*PLAIN[:2], "合计,,,1.00,,,", *PLAIN[2:], "totally,M1,2024-03-05 10:00:00,1.00,,paid,x"],
    "ragged": [*PLAIN, "R1,M1,2024-03-05 10:00,1.00,,paid,上海,浦东店", "R2,M1,2024-03-05 10:00,12"],
    "blank_line": [*PLAIN[:2], "", *PLAIN[2:]],
    "quoted": [*PLAIN, "Q1,M1,2024-03-05 10:00,1.00,,paid,\"上海,浦东\""],
}


def _bytes(name: str, rows: list[str], encoding: str = "utf-8", newline: str = "\n", header: str = H) -> bytes:
    text = newline.join([header, *rows]) + newline
    return ("\ufeff" + text).encode("utf-8") if encoding == "utf-8-sig" else text.encode(encoding)


def _import(tmp: Path, data: bytes, forced: bool, monkeypatch: pytest.MonkeyPatch, pepper: str = "",
            **kw: Any) -> tuple[dict[str, Any], Any]:
    monkeypatch.setattr(staged, "MIN_BYTES", 0 if forced else 1 << 62)
    forget_schema_cache()
    folder = tmp / ("staged" if forced else "polars")
    folder.mkdir(exist_ok=True)
    db = folder / "siyu.duckdb"
    ensure_schema(db)
    settings = Settings(db=db, lock_timeout=10.0, pepper=pepper)
    (folder / "orders_20240310.csv").write_bytes(data)
    report = import_file(db, folder / "orders_20240310.csv", settings=settings, **kw)
    out = json.loads(report.to_json())
    out.pop("seconds")
    tables = checksums(db, stable=True)
    tables.pop("schema_version")  # when the schema was made
    return out, tables


@pytest.mark.parametrize("on_error", ["reject", "skip"])
@pytest.mark.parametrize("name", list(CORPUS))
def test_the_staged_path_stores_and_reports_exactly_what_polars_does(
        name: str, on_error: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _bytes(name, CORPUS[name])
    polars_report, polars_db = _import(tmp_path, data, False, monkeypatch, on_error=on_error)
    staged_report, staged_db = _import(tmp_path, data, True, monkeypatch, on_error=on_error)
    assert staged_report == polars_report
    assert staged_db == polars_db


@pytest.mark.parametrize(("encoding", "newline"), [("utf-8", "\r\n"), ("utf-8-sig", "\n"), ("gb18030", "\r\n"),
                                                   ("utf-16", "\n")])
def test_encodings_and_line_ends_take_the_staged_path_with_the_same_result(
        encoding: str, newline: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _bytes("enc", [*CORPUS["amount_forms"], *CORPUS["bad_dates"][5:]], encoding, newline)
    for on_error in ("reject", "skip"):
        (tmp_path / on_error).mkdir()
        polars_report, polars_db = _import(tmp_path / on_error, data, False, monkeypatch, on_error=on_error)
        staged_report, staged_db = _import(tmp_path / on_error, data, True, monkeypatch, on_error=on_error)
        assert staged_report == polars_report and staged_db == polars_db
        assert staged_report["encoding"] == {"utf-8-sig": "utf-8-sig", "utf-16": "utf-16"}.get(encoding, encoding)


def test_which_files_take_the_staged_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Shapes where DuckDB's and Polars' readers could disagree stay with Polars; the rest are staged."""
    monkeypatch.setattr(staged, "MIN_BYTES", 0)
    taken = {}
    for name in CORPUS:
        path = tmp_path / f"{name}.csv"
        path.write_bytes(_bytes(name, CORPUS[name]))
        snap = snapshot_of(path.read_bytes())
        try:
            taken[name] = staged.shape_allows(snap)
        finally:
            snap.close()
    assert [n for n, ok in taken.items() if not ok] == ["amount_forms", "ragged", "blank_line", "quoted"]


def test_a_big_file_read_on_both_cores_keeps_every_row_number(tmp_path: Path) -> None:
    """1.2M rows (~60 MB: DuckDB reads it in parallel, and the row number is the staging table's position):
    rows in other forms, errors and a repeated id far apart in the file come back with their own row numbers
    and values (data row i is row i, as the Polars path numbers it)."""
    n = 1_200_000
    lines = [H]
    for i in range(1, n + 1):
        lines.append(f"S{i},M{i % 1000},2024-03-05 10:00:00,{10 + i % 50}.00,,paid,店{i % 7}")
    messy = {3: "¥1299.00", 400_001: "￥2000.50", 876_543: "¥18.20", n: "1000元"}  # the Polars profile reads these
    for i, amount in messy.items():
        lines[i] = f"S{i},M{i % 1000},2024-03-05 10:00:00,{amount},,paid,店{i % 7}"
    for i in (77_777, 654_321, 1_199_999):
        lines[i] = f"S{i},M{i % 1000},2024-13-40 10:00:00,12.00,,paid,店{i % 7}"
    lines[999_000] = "S5,M5,2024-03-05 10:00:00,99.00,,paid,店5"  # S5 again, other values
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 6 * staged.MIN_BYTES
    db = tmp_path / "siyu.duckdb"
    forget_schema_cache()
    used: list[bool] = []
    real = staged.convert

    def spy(*args: Any, **kw: Any) -> Any:
        got = real(*args, **kw)
        used.append(True)
        return got

    staged.convert = spy  # type: ignore[assignment]
    try:
        report = import_file(db, path, settings=Settings(db=db, lock_timeout=10.0), on_error="skip")
    finally:
        staged.convert = real  # type: ignore[assignment]
    assert used == [True] and report.ok, report.refused
    assert sorted(set(report.error_frame["row"].to_list())) == [5, 77_777, 654_321, 999_000, 1_199_999]
    with duckdb.connect(str(db), read_only=True) as con:
        got = dict(con.execute("SELECT order_id, paid_cents FROM orders WHERE order_id IN "
                               "('S3', 'S400001', 'S876543', 'S1200000', 'S4', 'S77777')").fetchall())
    assert got == {"S3": 129_900, "S400001": 200_050, "S876543": 1_820, "S1200000": 100_000, "S4": 1_400}


def test_a_conversion_plan_that_could_reorder_rows_hands_the_file_to_polars(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row numbers come from the staging table's order: a plan with anything but the reader, projections and
    filters (a join DuckDB made of a long IN list gave rows out of order once) is not run; Polars reads the
    file and the result is the same."""
    data = _bytes("date_forms", CORPUS["date_forms"])
    polars_report, polars_db = _import(tmp_path, data, False, monkeypatch)
    monkeypatch.setattr(staged, "_ORDER_KEEPING", {"READ_CSV", "FILTER"})  # as if a projection could reorder
    refused: list[str] = []
    real = staged.convert

    def spy(*args: Any, **kw: Any) -> Any:
        try:
            return real(*args, **kw)
        except staged.NotStageable as exc:
            refused.append(str(exc))
            raise

    monkeypatch.setattr(staged, "convert", spy)
    staged_report, staged_db = _import(tmp_path, data, True, monkeypatch)
    assert len(refused) == 1 and "would not keep the file order" in refused[0] and "PROJECTION" in refused[0]
    assert staged_report == polars_report and staged_db == polars_db
