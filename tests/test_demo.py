"""The demo brand: its summary agrees with the kpis metric, its stories are visible in the tables,
it is deterministic, and it never overwrites imported data. Real DuckDB files, no mocks."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import pytest

from siyu.cli import main
from siyu.db import reading, writing
from siyu.db.connection import release_kept
from siyu.demo import write_demo
from siyu.engine.catalog import run_metric
from siyu.errors import SiyuError
from siyu.metrics.kpis import COLUMNS

MEMBERS = 4_000
TABLES = ["members", "member_identities", "staff", "friends", "tiers", "member_snapshots", "orders",
          "order_items", "referrals", "channel_costs"]


def sql(path: Path, text: str, params: list | None = None) -> list[tuple]:
    with reading(path) as con:
        return con.execute(text, params or []).fetchall()


def one(path: Path, text: str, params: list | None = None):  # any scalar
    return sql(path, text, params)[0][0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    return path, write_demo(path, members=MEMBERS, seed=7)


def assert_same_kpis(summary: dict, metric: dict) -> None:
    for key in COLUMNS:
        expected, got = summary[key], metric[key]
        if isinstance(expected, float) or isinstance(got, float):
            assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12), key
        else:
            assert got == expected, key
    assert (str(metric["start"]), str(metric["end"])) == (summary["start"], summary["end"])


# ---- the summary is the kpis metric, computed a second way ----

def test_summary_equals_metric_kpis_cli(demo: tuple[Path, dict], capsys: pytest.CaptureFixture[str]) -> None:
    path, summary = demo
    assert main(["metric", "kpis", "--db", str(path)]) == 0
    assert_same_kpis(summary, json.loads(capsys.readouterr().out))


def test_summary_equals_registry(demo: tuple[Path, dict]) -> None:
    path, summary = demo
    with reading(path) as con:
        _, frame = run_metric(con, "kpis", {})
    assert_same_kpis(summary, frame.row(0, named=True))


def test_summary_counts_what_was_written(demo: tuple[Path, dict]) -> None:
    path, summary = demo
    assert summary["members"] == MEMBERS == one(path, "SELECT count(*) FROM members")
    assert (summary["start"], summary["end"]) == ("2023-11-01", "2026-10-31")
    for table in TABLES:
        assert summary["rows"][table] == one(path, f"SELECT count(*) FROM {table}"), table
    assert summary["orders_total"] == summary["rows"]["orders"]
    statuses = dict(sql(path, "SELECT status, count(*) FROM orders GROUP BY ALL"))
    assert statuses["refunded"] == summary["refunded_orders"]
    assert statuses["partially_refunded"] == summary["partially_refunded_orders"]
    assert statuses["cancelled"] == summary["cancelled_orders"]
    assert statuses["unpaid"] == summary["unpaid_orders"]
    assert one(path, "SELECT count(*) FROM valid_orders WHERE paid_cents = 0") == summary["zero_amount_orders"] > 0
    assert one(path, "SELECT count(*) FROM referrals") == summary["referrals"]


def test_one_demo_batch_owns_every_row(demo: tuple[Path, dict]) -> None:
    path, summary = demo
    batches = sql(path, "SELECT batch_id, profile, file_name, imported_by, status, rows_inserted FROM import_batches")
    assert batches == [(summary["batch_id"], "demo", "demo", "demo", "committed", sum(summary["rows"].values()))]
    for table in TABLES:
        if table != "tiers":
            assert sql(path, f"SELECT DISTINCT batch_id FROM {table}") == [(summary["batch_id"],)], table
    assert one(path, "SELECT min(member_id) || '..' || max(member_id) FROM members") == f"1..{MEMBERS}"


def test_cli_demo_prints_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.duckdb"
    assert main(["demo", "--db", str(path), "--members", "300", "--seed", "3"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["members"] == 300 and printed["seed"] == 3
    assert printed["orders_total"] == one(path, "SELECT count(*) FROM orders")


def test_member_count_out_of_range_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SiyuError, match="between 100"):
        write_demo(tmp_path / "tiny.duckdb", members=5)


def test_order_and_referral_scales_grow_the_data_and_keep_the_summary_true(tmp_path: Path) -> None:
    """The benchmark knobs: more orders and referrals per member, the same members, kpis still agree."""
    base = write_demo(tmp_path / "base.duckdb", members=1_000, seed=4)
    path = tmp_path / "scaled.duckdb"
    scaled = write_demo(path, members=1_000, seed=4, order_scale=1.8, referral_scale=4.5)
    assert scaled["members"] == base["members"] == 1_000
    assert scaled["orders_total"] > 1.2 * base["orders_total"]
    assert scaled["rows"]["referrals"] > 1.3 * base["rows"]["referrals"]
    with reading(path) as con:
        _, frame = run_metric(con, "kpis", {})
    assert_same_kpis(scaled, frame.row(0, named=True))
    note = one(path, "SELECT note FROM import_batches WHERE profile = 'demo'")
    assert "order_scale=1.8 referral_scale=4.5" in note
    with pytest.raises(SiyuError, match="order-scale"):
        write_demo(tmp_path / "bad.duckdb", members=1_000, order_scale=float("nan"))
    with pytest.raises(SiyuError, match="referral-scale"):
        write_demo(tmp_path / "bad.duckdb", members=1_000, referral_scale=0.0)


# ---- determinism ----

def table_hashes(path: Path) -> dict[str, str]:
    return {t: one(path, f"SELECT md5(string_agg(CAST(x AS VARCHAR), '|' ORDER BY CAST(x AS VARCHAR)))"
                         f" FROM (SELECT {t} AS x FROM {t})") for t in TABLES}


def test_same_seed_same_rows_other_seed_other_rows(tmp_path: Path) -> None:
    a = write_demo(tmp_path / "a.duckdb", members=800, seed=11)
    b = write_demo(tmp_path / "b.duckdb", members=800, seed=11)
    c = write_demo(tmp_path / "c.duckdb", members=800, seed=12)
    hashes = table_hashes(tmp_path / "a.duckdb")
    assert hashes == table_hashes(tmp_path / "b.duckdb")
    other = table_hashes(tmp_path / "c.duckdb")
    assert all(hashes[t] != other[t] for t in TABLES if t not in ("staff", "tiers"))
    assert {k: v for k, v in a.items() if k != "seconds"} == {k: v for k, v in b.items() if k != "seconds"}
    assert a["orders_total"] != c["orders_total"]


# ---- rebuilding and refusing ----

def test_rebuild_replaces_the_old_demo(tmp_path: Path) -> None:
    path = tmp_path / "again.duckdb"
    first = write_demo(path, members=600, seed=5)
    counts = {t: one(path, f"SELECT count(*) FROM {t}") for t in TABLES}
    second = write_demo(path, members=600, seed=5)
    assert {t: one(path, f"SELECT count(*) FROM {t}") for t in TABLES} == counts
    assert sql(path, "SELECT batch_id, profile FROM import_batches") == [(second["batch_id"], "demo")]
    assert second["batch_id"] == first["batch_id"] + 1
    smaller = write_demo(path, members=200, seed=5)
    assert one(path, "SELECT count(*) FROM members") == 200 == smaller["members"]
    # the member id sequence continues after the demo's explicit ids
    with writing(path) as con:
        assert con.execute("SELECT nextval('member_id_seq')").fetchall() == [(201,)]


def test_refuses_a_database_with_imported_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "real.duckdb"
    with writing(path) as con:
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (nextval('batch_id_seq'),"
                    " 'orders.csv', 'youzan_orders')")
        con.execute("INSERT INTO members VALUES (1, '真实客户', '2025-01-01 10:00', '门店', 'youzan_orders', 1)")
    with pytest.raises(SiyuError) as caught:
        write_demo(path, members=300)
    assert "已有导入的数据" in str(caught.value) and "already holds imported data" in str(caught.value)
    assert "--db" in str(caught.value)
    assert main(["demo", "--db", str(path), "--members", "300"]) == 1
    assert "already holds imported data" in capsys.readouterr().err
    assert sql(path, "SELECT member_id, display_name FROM members") == [(1, "真实客户")]
    assert sql(path, "SELECT profile FROM import_batches") == [("youzan_orders",)]


def test_refuses_rows_outside_any_batch_it_can_clear(tmp_path: Path) -> None:
    path = tmp_path / "stray.duckdb"
    with writing(path) as con:   # an undone import that left a row behind: not ours to overwrite
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile, status)"
                    " VALUES (nextval('batch_id_seq'), 'x.csv', 'wecom_customers', 'undone')")
        con.execute("INSERT INTO members VALUES (1, '某人', '2025-01-01 10:00', NULL, 'wecom_customers', 1)")
    with pytest.raises(SiyuError, match="outside any demo batch"):
        write_demo(path, members=300)
    assert one(path, "SELECT count(*) FROM members") == 1


# ---- the stories, read back from the tables ----

def test_top_fifth_of_buyers_bring_most_of_gmv(demo: tuple[Path, dict]) -> None:
    path, summary = demo
    share = one(path, """
        WITH spend AS (SELECT member_id, sum(net_cents) AS net FROM valid_orders GROUP BY member_id),
             ranked AS (SELECT net, row_number() OVER (ORDER BY net DESC) AS r, count(*) OVER () AS n FROM spend)
        SELECT sum(net) FILTER (WHERE r <= ceil(0.2 * n)) / sum(net) FROM ranked""")
    assert 0.70 <= share <= 0.80
    assert share == pytest.approx(summary["top20_gmv_share"], rel=1e-12)
    buyers, members = summary["buyers"], summary["members"]
    assert 0.5 * members < buyers < 0.75 * members
    assert 6.5 <= summary["orders_total"] / members <= 8.5


def test_paid_channel_friends_leave_within_a_week(demo: tuple[Path, dict]) -> None:
    path, summary = demo
    rows = dict(sql(path, """
        SELECT channel = ? AS paid,
               avg(CASE WHEN deleted_at IS NOT NULL AND deleted_at - added_at < INTERVAL 7 DAY THEN 1 ELSE 0 END)
        FROM friends GROUP BY ALL""", [summary["paid_channel"]]))
    assert summary["paid_channel"] == "短视频"
    assert 0.28 <= rows[True] <= 0.40 and rows[True] == pytest.approx(summary["paid_channel_deleted_within_7d"])
    assert rows[False] < 0.10 and rows[False] == pytest.approx(summary["other_channels_deleted_within_7d"])
    early_by = dict(sql(path, """SELECT deleted_by, count(*) FROM friends WHERE channel = '短视频'
                                 AND deleted_at - added_at < INTERVAL 7 DAY GROUP BY ALL"""))
    assert early_by["customer"] > 5 * early_by.get("staff", 0)
    assert one(path, "SELECT count(*) FROM friends WHERE deleted_by = 'staff'") > 0


def test_channel_costs_are_monthly_and_rank_the_paid_channel_most_expensive(demo: tuple[Path, dict]) -> None:
    path, summary = demo
    # one row per channel and month with joins; every period is a whole calendar month
    assert one(path, "SELECT count(*) FROM channel_costs WHERE period_start <> date_trunc('month', period_start)"
                     " OR period_end <> last_day(period_start)") == 0
    assert one(path, """SELECT count(*) FROM (SELECT channel, date_trunc('month', joined_at) AS m FROM members
                        GROUP BY ALL) j FULL JOIN channel_costs c ON c.channel = j.channel AND c.period_start = j.m
                        WHERE c.channel IS NULL OR j.channel IS NULL""") == 0
    with reading(path) as con:
        _, frame = run_metric(con, "channel_costs", {"start": "2026-01-01"})
    assert frame["channel"][0] == summary["paid_channel"] == "短视频"
    assert frame["cost"].null_count() == 0 and frame["cost_coverage"].to_list() == [1.0] * frame.height


def test_paid_channel_first_orders_are_coupon_hunts(demo: tuple[Path, dict]) -> None:
    path, _ = demo
    first = sql(path, """
        WITH firsts AS (SELECT o.*, m.channel, row_number() OVER (PARTITION BY o.member_id ORDER BY o.created_at) AS k
                        FROM orders o JOIN members m USING (member_id))
        SELECT channel = '短视频', avg((paid_cents <= 990 AND coupon_code IS NOT NULL AND discount_cents >= 2900)::INT)
        FROM firsts WHERE k = 1 GROUP BY ALL""")
    share = dict(first)
    assert share[True] == 1.0 and share[False] < 0.02
    repeat = dict(sql(path, """
        WITH days AS (SELECT member_id, count(DISTINCT paid_at::DATE) AS d FROM valid_orders GROUP BY ALL)
        SELECT m.channel = '短视频', avg((d >= 2)::INT) FROM days JOIN members m USING (member_id) GROUP BY ALL"""))
    assert repeat[True] < 0.25 < 0.5 < repeat[False]


def test_referral_trees_are_deep_and_point_back_in_time(demo: tuple[Path, dict]) -> None:
    path, summary = demo
    depth = one(path, """
        WITH RECURSIVE walk(member_id, depth) AS (
            SELECT referee_id, 1 FROM referrals WHERE referrer_id NOT IN (SELECT referee_id FROM referrals)
            UNION ALL
            SELECT r.referee_id, w.depth + 1 FROM referrals r JOIN walk w ON r.referrer_id = w.member_id)
        SELECT max(depth) FROM walk""")
    assert depth >= 6 and depth == summary["max_referral_depth"]
    assert one(path, """SELECT count(*) FROM referrals r JOIN members a ON a.member_id = r.referee_id
                        JOIN members b ON b.member_id = r.referrer_id
                        WHERE NOT (b.joined_at < a.joined_at AND r.referred_at = a.joined_at)""") == 0
    assert one(path, "SELECT count(*) FROM referrals r JOIN members m ON m.member_id = r.referee_id"
                     " WHERE m.channel = '裂变海报'") == one(path, "SELECT count(*) FROM members WHERE channel = '裂变海报'")
    assert one(path, "SELECT count(*) FROM referrals WHERE campaign LIKE '%双11老带新'") > 0


def test_four_tiers_and_upgrades_between_snapshots(demo: tuple[Path, dict]) -> None:
    path, summary = demo
    assert sql(path, "SELECT tier, rank FROM tiers ORDER BY rank") == [
        ("普通会员", 1), ("银卡会员", 2), ("金卡会员", 3), ("黑金会员", 4)]
    # Issue #19 changed this test on purpose: tiers now also go down (the yearly review on 31 December drops a
    # member whose year's growth value fell short of half their tier's threshold, and their growth value restarts
    # at the lower tier's threshold), and points fall when they are redeemed or expire.
    moves = {d: (n, fell, first, last) for d, n, fell, first, last in sql(path, """
        WITH s AS (SELECT member_id, snapshot_date, rank, growth_value, growth_threshold,
                          lag(rank) OVER w AS prev_rank, lag(growth_value) OVER w AS prev_growth
                   FROM member_snapshots JOIN tiers USING (tier) JOIN tier_thresholds USING (tier) WINDOW w AS (PARTITION BY member_id ORDER BY snapshot_date))
        SELECT CASE WHEN rank > prev_rank THEN 'up' WHEN rank < prev_rank THEN 'down' ELSE 'same' END,
               count(*), count(*) FILTER (WHERE growth_value = growth_threshold AND growth_value < prev_growth),
               min(strftime(snapshot_date, '%m-%d')), max(strftime(snapshot_date, '%m-%d'))
        FROM s WHERE prev_rank IS NOT NULL GROUP BY ALL""")}
    assert moves["up"][0] > 100 and moves["down"][0] > 100
    assert moves["down"][1:] == (moves["down"][0], "12-31", "12-31")   # only at reviews, restarting at the bar
    assert one(path, """SELECT count(*) FROM (SELECT points < lag(points) OVER (PARTITION BY member_id ORDER BY
                        snapshot_date) AS fell FROM member_snapshots) WHERE fell""") > 100
    latest = dict(sql(path, "SELECT tier, count(*) FROM member_snapshots"
                            " WHERE snapshot_date = (SELECT max(snapshot_date) FROM member_snapshots) GROUP BY ALL"))
    assert latest == summary["tier_counts"] and set(latest) == {"普通会员", "银卡会员", "金卡会员", "黑金会员"}
    # a snapshot never precedes the member's joining; quarter ends only
    assert one(path, """SELECT count(*) FROM member_snapshots s JOIN members m USING (member_id)
                        WHERE s.snapshot_date < m.joined_at::DATE
                           OR s.snapshot_date + INTERVAL 1 DAY <> date_trunc('quarter', s.snapshot_date + INTERVAL 1 DAY)""") == 0


def test_order_statuses_refunds_and_amounts(demo: tuple[Path, dict]) -> None:
    path, summary = demo
    n = summary["orders_total"]
    assert 0.02 <= summary["refunded_orders"] / n <= 0.04
    assert 0.03 <= summary["partially_refunded_orders"] / n <= 0.05
    assert 0.015 <= summary["cancelled_orders"] / n <= 0.025
    assert 0.005 <= summary["unpaid_orders"] / n <= 0.015
    broken = one(path, """SELECT count(*) FROM orders WHERE
        (status IN ('cancelled', 'unpaid')) <> (paid_at IS NULL)
        OR NOT created_at < coalesce(paid_at, created_at + INTERVAL 1 SECOND)
        OR (status = 'refunded' AND refunded_cents <> paid_cents)
        OR (status = 'partially_refunded' AND NOT (0 < refunded_cents AND refunded_cents < paid_cents))
        OR (status IN ('paid', 'cancelled', 'unpaid') AND refunded_cents <> 0)
        OR (coupon_code IS NULL) <> (discount_cents = 0)
        OR length(order_id) <> 24 OR order_id NOT LIKE 'E20%'""")
    assert broken == 0
    assert one(path, """SELECT count(*) FROM orders o JOIN members m USING (member_id)
                        WHERE o.created_at <= m.joined_at""") == 0
    assert one(path, "SELECT count(*) FROM orders WHERE distributor IS NOT NULL AND member_id NOT IN"
                     " (SELECT member_id FROM members WHERE channel = '分销')") == 0
    stores = {r[0] for r in sql(path, "SELECT DISTINCT store FROM orders")}
    assert "山茶集线上旗舰店" in stores and len(stores) == 4
    assert {r[0] for r in sql(path, "SELECT DISTINCT sales_channel FROM orders")} == {"小程序", "有赞微商城", "门店", "直播间"}


def test_order_lines_add_up_and_the_new_product_comes_late(demo: tuple[Path, dict]) -> None:
    path, _ = demo
    assert one(path, """SELECT count(*) FROM orders o JOIN (SELECT order_id, sum(quantity * price_cents) AS gross
                        FROM order_items GROUP BY ALL) i USING (order_id)
                        WHERE i.gross <> o.paid_cents + o.discount_cents""") == 0
    assert one(path, "SELECT count(*) FROM orders WHERE order_id NOT IN (SELECT order_id FROM order_items)") == 0
    launch = one(path, """SELECT min(o.created_at)::DATE FROM order_items i JOIN orders o USING (order_id)
                          WHERE i.product LIKE '新品%'""")
    assert str(launch) >= "2026-05-20"


def test_double_eleven_and_618_peaks(demo: tuple[Path, dict]) -> None:
    path, _ = demo
    per_day = dict(sql(path, """
        SELECT strftime(paid_at, '%m-%d') AS md, count(*) / count(DISTINCT paid_at::DATE)
        FROM valid_orders WHERE paid_at >= '2024-01-01' GROUP BY ALL"""))
    ordinary = sorted(per_day.values())[len(per_day) // 2]
    assert per_day["11-11"] > 3 * ordinary and per_day["06-18"] > 2 * ordinary
    by_year = dict(sql(path, "SELECT year(joined_at), count(*) FROM members GROUP BY ALL"))
    assert by_year[2024] < by_year[2025] < by_year[2026] * 12 / 10   # 2026 holds ten months


def test_identities_friends_and_staff(demo: tuple[Path, dict]) -> None:
    path, _ = demo
    kinds = dict(sql(path, "SELECT kind, count(*) FROM member_identities GROUP BY ALL"))
    assert kinds["phone"] > 0.75 * MEMBERS and kinds["phone_masked"] > 0.05 * MEMBERS
    assert kinds["wecom_external_id"] > 0.9 * MEMBERS
    assert one(path, "SELECT count(*) FROM member_identities WHERE kind = 'phone'"
                     " AND NOT regexp_full_match(value, '1[3-9][0-9]{9}')") == 0
    assert one(path, "SELECT count(*) - count(DISTINCT value) FROM member_identities WHERE kind = 'phone'") == 0
    assert one(path, "SELECT count(*) FROM member_identities WHERE kind = 'phone_masked'"
                     " AND NOT regexp_full_match(value, '1[0-9]{2}\\*{4}[0-9]{4}')") == 0
    assert one(path, "SELECT count(*) FROM members WHERE member_id NOT IN (SELECT member_id FROM member_identities)") == 0
    assert 8 <= one(path, "SELECT count(*) FROM staff") <= 20
    assert one(path, """SELECT count(*) FROM friends f JOIN members m USING (member_id)
                        WHERE f.channel IS DISTINCT FROM m.channel OR f.added_at < m.joined_at
                           OR (f.deleted_at IS NULL) <> (f.deleted_by IS NULL) OR f.deleted_at <= f.added_at""") == 0
    two = one(path, "SELECT count(*) FROM (SELECT member_id FROM friends GROUP BY ALL HAVING count(*) = 2)")
    assert 0.03 * MEMBERS < two < 0.2 * MEMBERS
    ways = set(sql(path, "SELECT DISTINCT add_way, add_way_code FROM friends"))
    assert ("扫描二维码", 1) in ways and ("内部成员共享", 201) in ways and ("视频号", 10) in ways
    assert len({code for _, code in ways}) == len(ways)


def test_default_build_golden_figures(tmp_path: Path) -> None:
    """The default brand (20,000 members, seed 7) as docs/demo.md quotes it."""
    s = write_demo(tmp_path / "default.duckdb")
    assert (s["members"], s["orders_total"], s["buyers"], s["orders"]) == (20_000, 150_211, 12_576, 141_163)
    assert (s["valid_members"], s["gmv"]) == (18_029, 25_333_825.25)
    assert (s["max_referral_depth"], s["referrals"]) == (12, 3_617)
    assert round(s["top20_gmv_share"], 3) == 0.738
    assert round(s["paid_channel_deleted_within_7d"], 3) == 0.358
    # issue #19: downgrades at the yearly review moved these from 12,553 / 3,307 / 2,142 / 1,019
    assert s["tier_counts"] == {"普通会员": 12_948, "银卡会员": 3_168, "金卡会员": 2_000, "黑金会员": 905}


def test_build_is_a_single_transaction(tmp_path: Path) -> None:
    """A failure half-way leaves the database as it was (here: a table the demo cannot write)."""
    path = tmp_path / "half.duckdb"
    write_demo(path, members=300, seed=1)
    before = {t: one(path, f"SELECT count(*) FROM {t}") for t in TABLES}
    batches = sql(path, "SELECT * FROM import_batches")
    release_kept()  # siyu keeps a read connection a moment; a direct read-write connect must not meet it
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE referrals ADD COLUMN must_fill VARCHAR NOT NULL DEFAULT 'x'")
    con.execute("ALTER TABLE referrals ALTER COLUMN must_fill DROP DEFAULT")
    con.close()
    with pytest.raises(SiyuError):
        write_demo(path, members=400, seed=2)
    assert {t: one(path, f"SELECT count(*) FROM {t}") for t in TABLES} == before
    assert sql(path, "SELECT * FROM import_batches") == batches


@pytest.mark.parametrize(("start", "end"), [("2025-01-01", "2025-12-31"), ("2024-06-18", "2024-06-18"),
                                            ("2026-03-01", "2026-10-31")])
def test_numpy_kpis_equal_the_metric_inside_the_data(demo: tuple[Path, dict], start: str, end: str) -> None:
    """Inner ranges exercise the boundaries: stock figures at an earlier `hi`, the 180-day window."""
    import datetime as dt

    from siyu.demo import generate
    from siyu.demo.summary import kpis

    path, _ = demo
    drawn = generate(MEMBERS, 7)
    ours = kpis(drawn.members, drawn.friends, drawn.orders, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    with reading(path) as con:
        _, frame = run_metric(con, "kpis", {"start": start, "end": end})
    assert_same_kpis(ours, frame.row(0, named=True))
    assert ours["new_members"] < ours["members"] <= MEMBERS
