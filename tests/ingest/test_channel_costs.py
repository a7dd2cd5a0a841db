"""The channel_costs profile: tolerant headers and amounts, periods, replace-not-add re-imports, overlaps, undo,
and the forward migration that adds the table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from siyu.db.connection import forget_schema_cache
from siyu.db.schema import migrate, migrations
from siyu.ingest import undo_batch

D = dt.date
COSTS = "SELECT channel, period_start, period_end, cost_cents, note FROM channel_costs ORDER BY 1, 2"


def test_chinese_headers_amount_forms_and_month_forms(imp, csvb, sql) -> None:
    rep = imp(csvb([["渠道", "月份", "投放费用（元）", "备注"],
                    ["包裹卡", "2024-03", "¥1,234.50", "首批"],
                    [" 门店 ", "2024年3月", "800元", None],
                    ["包裹卡", "2024-03", "100", "补投"],       # same channel and month: summed
                    ["短视频", "202404", "￥12,000", None],
                    ["裂变海报", "2024/4", "RMB 99.5", None],
                    ["合计", None, "15,234.50", None]]))      # trailing total row: ignored
    assert rep.ok, rep.refused
    assert (rep.profile, rep.rows_read, rep.records, rep.inserted, rep.footer_rows_ignored) == ("channel_costs", 5, 4, 4, 1)
    assert sql(COSTS) == [
        ("包裹卡", D(2024, 3, 1), D(2024, 3, 31), 133450, "首批；补投"),
        ("短视频", D(2024, 4, 1), D(2024, 4, 30), 1200000, None),
        ("裂变海报", D(2024, 4, 1), D(2024, 4, 30), 9950, None),    # (99.995 is a row error: at most two decimals)
        ("门店", D(2024, 3, 1), D(2024, 3, 31), 80000, None),       # trimmed like members.channel
    ]


def test_english_headers_with_day_and_range_periods(imp, csvb, sql) -> None:
    rep = imp(csvb([["Channel", "Date", "Spend", "Notes"],
                    ["KOL", "2024/2/29", "1299", "leap day"],
                    ["KOL", "2024-03", "3000", "a month written in the date column"]]))
    assert rep.ok, rep.refused
    rep2 = imp(csvb([["source", "start", "end", "cost"], ["Ads", "2024-01-15", "2024-02-14", "3100.00"]]), name="r.csv")
    assert rep2.ok and rep2.profile == "channel_costs", rep2.refused
    assert sql(COSTS) == [
        ("Ads", D(2024, 1, 15), D(2024, 2, 14), 310000, None),
        ("KOL", D(2024, 2, 29), D(2024, 2, 29), 129900, "leap day"),
        ("KOL", D(2024, 3, 1), D(2024, 3, 31), 300000, "a month written in the date column"),
    ]


def test_xlsx_month_as_excel_date_cell(imp, xlsxb, sql) -> None:
    rep = imp(xlsxb([["渠道来源", "统计月份", "花费"], ["门店", dt.datetime(2024, 5, 1), 2500.5]]), name="c.xlsx")
    # 渠道来源 is not an alias; the tolerant match falls back to nothing, so the file needs 渠道/来源
    assert not rep.ok and "渠道" in rep.refused
    rep = imp(xlsxb([["来源", "统计月份", "花费"], ["门店", dt.datetime(2024, 5, 1), 2500.5]]), name="c.xlsx")
    assert rep.ok, rep.refused
    assert sql(COSTS) == [("门店", D(2024, 5, 1), D(2024, 5, 31), 250050, None)]


def test_row_errors_are_reported_and_reject_writes_nothing(imp, csvb, sql) -> None:
    rows = [["渠道", "月份", "成本"],
            ["门店", "2024-13", "10"],          # no month 13
            [None, "2024-03", "10"],            # no channel
            ["门店", "2024-03", "-5"],          # negative
            ["门店", "2024-04", "十元"],         # not an amount
            ["包裹卡", "2024-03", "10"]]
    rep = imp(csvb(rows))
    assert not rep.ok and rep.batch_id is None and rep.rejected == 4
    assert [(e["row"], e["column"]) for e in rep.errors] == [(1, "月份"), (2, "渠道"), (3, "成本"), (4, "成本")]
    assert sql("SELECT count(*) FROM channel_costs") == [(0,)]
    rep = imp(csvb(rows), on_error="skip")
    assert rep.ok and rep.inserted == 1 and rep.rejected == 4
    assert sql(COSTS) == [("包裹卡", D(2024, 3, 1), D(2024, 3, 31), 1000, None)]


def test_a_file_without_a_period_column_is_refused(imp, csvb, sql) -> None:
    rep = imp(csvb([["渠道", "费用"], ["门店", "100"]]))
    assert not rep.ok and "月份" in rep.refused and "日期" in rep.refused
    assert sql("SELECT count(*) FROM channel_costs") == [(0,)]


def test_overlapping_periods_inside_a_file_are_row_errors(imp, csvb) -> None:
    rep = imp(csvb([["渠道", "开始日期", "结束日期", "费用"],
                    ["门店", "2024-03-01", "2024-03-31", "100"],
                    ["门店", "2024-03-15", "2024-04-14", "100"],
                    ["包裹卡", "2024-03-15", "2024-04-14", "100"]]))
    assert not rep.ok
    assert [(e["row"], e["column"]) for e in rep.errors] == [(1, "渠道"), (2, "渠道")]
    assert "重叠" in rep.errors[0]["message"]


def test_reimport_replaces_never_doubles_and_undo_restores(imp, csvb, sql, db) -> None:
    first = imp(csvb([["渠道", "月份", "费用"], ["门店", "2024-03", "1000"], ["包裹卡", "2024-03", "500"]]))
    again = imp(csvb([["渠道", "月份", "费用"], ["门店", "2024-03", "1000"], ["包裹卡", "2024-03", "500"]]), name="b.csv")
    assert (again.inserted, again.updated, again.duplicates) == (0, 0, 2)
    fixed = imp(csvb([["渠道", "月份", "费用"], ["门店", "2024-03", "1200"], ["门店", "2024-04", "700"]]), name="c.csv")
    assert (fixed.inserted, fixed.updated, fixed.duplicates) == (1, 1, 0)
    assert sql("SELECT channel, period_start, cost_cents, batch_id FROM channel_costs ORDER BY 1, 2") == [
        ("包裹卡", D(2024, 3, 1), 50000, first.batch_id),
        ("门店", D(2024, 3, 1), 120000, fixed.batch_id),     # replaced, not 1000 + 1200
        ("门店", D(2024, 4, 1), 70000, fixed.batch_id),
    ]
    # the first batch cannot be undone while the correction builds on its row
    import pytest

    from siyu.errors import IngestError

    with pytest.raises(IngestError, match=str(fixed.batch_id)):
        undo_batch(db, first.batch_id)
    undo_batch(db, fixed.batch_id)
    assert sql("SELECT channel, period_start, cost_cents, batch_id FROM channel_costs ORDER BY 1, 2") == [
        ("包裹卡", D(2024, 3, 1), 50000, first.batch_id),
        ("门店", D(2024, 3, 1), 100000, first.batch_id),
    ]
    undo_batch(db, first.batch_id)
    assert sql("SELECT count(*) FROM channel_costs") == [(0,)]


def test_overlap_with_a_stored_period_refuses_the_file(imp, csvb, sql) -> None:
    imp(csvb([["渠道", "月份", "费用"], ["门店", "2024-03", "1000"]]))
    rep = imp(csvb([["渠道", "日期", "费用"], ["门店", "2024-03-05", "10"], ["包裹卡", "2024-03-05", "10"]]), name="d.csv")
    assert not rep.ok and rep.batch_id is None
    assert "第 1 行 门店 2024-03-05~2024-03-05" in rep.refused and "2024-03-01~2024-03-31" in rep.refused
    assert sql("SELECT channel, cost_cents FROM channel_costs") == [("门店", 100000)]   # nothing of the file


def test_forward_migration_adds_costs_and_keeps_rows(tmp_path: Path) -> None:
    # the version is looked up, so the test survives a renumbering when another migration lands first
    version = next(m.version for m in migrations() if m.name.endswith("_channel_costs.sql"))
    path = tmp_path / "before.duckdb"
    con = duckdb.connect(str(path))
    assert migrate.apply(con, target=version - 1) == list(range(1, version))
    con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (1, 'a.csv', 'generic_members')")
    con.execute("INSERT INTO members VALUES (1, '张三', TIMESTAMP '2024-01-01', '门店', 'test', 1)")
    assert migrate.apply(con, target=version) == [version]
    con.execute("INSERT INTO channel_costs VALUES ('门店', DATE '2024-01-01', DATE '2024-01-31', 100, NULL, 1)")
    assert con.execute("SELECT m.channel, c.cost_cents FROM members m JOIN channel_costs c USING (channel)").fetchall() \
        == [("门店", 100)]
    try:
        con.execute("INSERT INTO channel_costs VALUES ('x', DATE '2024-02-01', DATE '2024-01-31', 1, NULL, 1)")
        raise AssertionError("an end before the start must be refused")
    except duckdb.ConstraintException:
        pass
    con.close()
    forget_schema_cache()


def test_cost_channels_are_spelled_like_member_channels(imp, csvb, sql) -> None:
    """Both go through the same trim (full-width spaces included), so a member export's ` 门店　` and a cost
    file's `　门店` are one channel; inner spaces and case are kept, as the scorecard groups by them."""
    imp(csvb([["member_id", "joined_at", "channel"], ["m1", "2024-03-02", " 门店\u3000"], ["m2", "2024-03-03", "Ads"]]))
    imp(csvb([["渠道", "月份", "费用"], ["\u3000门店", "2024-03", "100"], ["ads", "2024-03", "5"]]), name="c.csv")
    assert sql("SELECT m.channel, c.cost_cents FROM members m LEFT JOIN channel_costs c USING (channel) ORDER BY 1") \
        == [("Ads", None), ("门店", 10000)]
