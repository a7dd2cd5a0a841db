"""Overview page through AppTest on the hand-built fixture (tests/pages/conftest.py explains every number)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import shown

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run_app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(query)
    return at.run()


def cards(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_kpis_for_a_quarter_against_the_previous_one(fixture_db):
    at = run_app(start="2024-01-01", end="2024-03-31")
    assert not at.exception and not at.error
    assert cards(at) == {
        "会员数": ("5", "+150.0%"),
        "有效私域用户": ("4", "+300.0%"),
        "购买人数": ("2", "+100.0%"),
        "有效订单": ("4", "+300.0%"),
        "GMV（净额）": ("¥400.00", "+700.0%"),
        "ARPU": ("¥200.00", "+300.0%"),
        "复购率": ("50.0%", "+50.0个百分点"),
        "删除好友数": ("2", ""),  # nothing deleted before: no comparison
    }
    assert "2024年1月1日 至 2024年3月31日" in at.caption[0].value
    assert "2023年10月2日 至 2023年12月31日" in at.caption[0].value
    assert at.caption[1].value == "有效私域用户 4 / 虚荣人数 5（80.0%），无效私域 1 人"
    assert len(at.get("plotly_chart")) == 3


def test_default_range_is_the_last_12_months_of_data(fixture_db):
    at = run_app()
    # data runs 2023-06-01 .. 2024-03-10, its last paid order is of 2024-03-05 (issue #13: the default range
    # ends on the last order day, not on m4's friendship of 03-10): less than a year, so from the first day
    assert at.date_input(key="f_start").value.isoformat() == "2023-06-01"
    assert at.date_input(key="f_end").value.isoformat() == "2024-03-05"
    assert at.query_params["start"] == "2023-06-01" and at.query_params["end"] == "2024-03-05"
    got = cards(at)
    assert got["购买人数"][0] == "4"           # m5, m1, m2, m3
    assert got["GMV（净额）"][0] == "¥480.00"  # 30 + 50 + 100 + 60 + 200 + 40
    assert got["有效订单"][0] == "6"
    assert got["会员数"][1] == ""  # the previous period lies wholly before the data: no comparison


def test_changing_the_range_recomputes_and_updates_the_url(fixture_db):
    at = run_app(start="2024-01-01", end="2024-03-31")
    at.date_input(key="f_start").set_value(__import__("datetime").date(2024, 2, 1)).run()
    assert at.query_params["start"] == "2024-02-01"
    got = cards(at)
    assert got["购买人数"] == ("2", "+100.0%")       # previous 2024-01-01..01-31: m2 only
    assert got["GMV（净额）"][0] == "¥300.00"         # 60 + 200 + 40
    assert got["复购率"][0] == "0.0%"                 # m2 bought once in Feb; m3 twice but on one day


def test_month_week_day_grains_change_the_chart_data(fixture_db):
    at = run_app(start="2024-01-01", end="2024-03-31", grain="week")
    assert at.radio(key="f_grain_zh").value == "week"
    at.radio(key="f_grain_zh").set_value("day").run()
    assert at.query_params["grain"] == "day"
    assert not at.exception


@pytest.mark.parametrize("hostile", [
    "2024-01-01'; DROP TABLE orders;--",
    "<script>alert(1)</script>",
    "2024-13-45",
    "１９９９-01-01",  # full-width digits: not the strict form
])
def test_hostile_query_values_are_ignored_with_a_notice(fixture_db, hostile):
    at = run_app(start=hostile, end="2024-03-31")
    assert [w.value for w in at.warning] == ["网址参数 start 的值无效，已忽略，改用默认值。"]
    assert not at.exception and not at.error
    # the default start is used and the URL is rewritten with it
    assert at.query_params["start"] == "2023-06-01"
    assert cards(at)["有效订单"][0] == "6"
    # the hostile text reached no SQL: the orders table is intact
    from siyu.db import reading
    with reading(fixture_db) as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone()[0] == 9


def test_bad_grain_and_reversed_range_fall_back_with_notices(fixture_db):
    at = run_app(start="2024-03-31", end="2024-01-01", grain="year; DROP")
    notices = [w.value for w in at.warning]
    assert "网址中的开始日期晚于结束日期，已忽略，改用默认范围。" in notices
    assert "网址参数 grain 的值无效，已忽略，改用默认值。" in notices
    assert at.query_params["grain"] == "month"


def test_english_labels_and_formats(fixture_db):
    at = run_app(start="2024-01-01", end="2024-03-31", lang="en")
    got = cards(at)
    assert got["GMV (net)"] == ("¥400.00", "+700.0%")
    assert got["Repurchase rate"] == ("50.0%", "+50.0 pp")
    assert "1 Jan 2024 – 31 Mar 2024" in at.caption[0].value


def test_empty_database_explains_what_to_import(tmp_path, monkeypatch):
    monkeypatch.setenv("SIYU_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    at = run_app()
    assert not at.exception and not at.error
    assert at.subheader[0].value == "还没有数据"
    assert "企业微信客户列表" in at.markdown[0].value
    assert "python -m siyu import" in at.markdown[0].value
    assert len(at.metric) == 0


def test_csv_downloads_hold_the_chart_data(fixture_db):
    at = run_app(start="2024-01-01", end="2024-03-31")
    buttons = at.get("download_button")
    assert len(buttons) == 4
    labels = [b.proto.label for b in buttons]
    assert labels == ["下载数据 (CSV)"] * 3 + ["导出报告 (HTML)"]


def test_new_data_resets_a_range_chosen_for_the_old_data(fixture_db):
    at = run_app(start="2024-01-01", end="2024-01-31")
    assert cards(at)["有效订单"][0] == "1"
    from siyu.db import writing
    from tests.pages.small_db import insert_batch
    with writing(fixture_db) as con:  # an import extends the orders to 2024-06-30
        b = insert_batch(con, "later")
        con.execute("INSERT INTO members VALUES (6, '己', TIMESTAMP '2024-06-30 09:00:00', NULL, 'fixture', ?)", [b])
        con.execute("INSERT INTO orders (order_id, member_id, created_at, paid_at, paid_cents, refunded_cents, status,"
                    " batch_id) VALUES ('o9', 6, TIMESTAMP '2024-06-30 10:00:00', TIMESTAMP '2024-06-30 10:00:00',"
                    " 1000, 0, 'paid', ?)", [b])
    at.run()
    assert at.date_input(key="f_start").value.isoformat() == "2023-07-01"  # the new default: 12 months
    assert at.date_input(key="f_end").value.isoformat() == "2024-06-30"
    assert at.query_params["end"] == "2024-06-30"


def test_a_failing_query_is_a_message_not_a_traceback(fixture_db):
    import duckdb
    con = duckdb.connect(str(fixture_db))  # break the database behind siyu's back
    con.execute("DROP VIEW valid_orders")
    con.close()
    at = run_app(start="2024-01-01", end="2024-03-31")
    assert not at.exception
    assert len(at.error) == 1 and "m_valid_orders_narrow" in shown(at.error[0].value)  # the KPIs read the cached order frame


def test_a_member_or_friend_import_does_not_move_the_default_end(fixture_db):
    at = run_app()
    assert at.date_input(key="f_end").value.isoformat() == "2024-03-05"  # the last order day
    from siyu.db import writing
    from tests.pages.small_db import insert_batch
    with writing(fixture_db) as con:  # a WeCom list / member export reaching 2024-06-30, no order
        b = insert_batch(con, "wecom")
        con.execute("INSERT INTO members VALUES (6, '己', TIMESTAMP '2024-06-30 09:00:00', NULL, 'fixture', ?)", [b])
    at.run()
    assert at.date_input(key="f_end").value.isoformat() == "2024-03-05"
    assert cards(at)["GMV（净额）"][0] == "¥480.00"  # the last month is not an empty ¥0 one


def test_presets_and_the_year_comparison(fixture_db):
    at = run_app(start="2024-01-01", end="2024-03-31")
    assert at.selectbox(key="f_preset_zh").value == "custom"
    at.selectbox(key="f_preset_zh").set_value("last_month").run()  # the month before 2024-03-05's
    assert (at.query_params["start"], at.query_params["end"]) == ("2024-02-01", "2024-02-29")
    assert at.selectbox(key="f_preset_zh").value == "last_month"
    assert cards(at)["GMV（净额）"][0] == "¥300.00"  # 60 + 200 + 40
    at.radio(key="f_compare_zh").set_value("year").run()
    assert at.query_params["compare"] == "year"
    assert "对比去年同期（2023年2月1日 至 2023年2月28日）" in at.caption[0].value
    assert cards(at)["GMV（净额）"] == ("¥300.00", "")  # nothing a year earlier: no comparison


def test_a_card_opens_its_members(fixture_db):
    """购买人数 2 (m2, m3) in 2024-01 .. 2024-03: the pill says 2, the list has those two."""
    at = run_app(start="2024-01-01", end="2024-03-31")
    pills = at.button_group(key="kpi_drill")
    assert not at.exception
    pills.set_value("buyers").run()
    assert not at.exception
    assert "购买人数：2 人（2024年1月1日 至 2024年3月31日）" in [c.value for c in at.caption]
    listing = next(d.value for d in at.dataframe if "last_order" in d.value.columns)
    assert listing[["member_id", "orders", "net"]].values.tolist() == [["siyu:3", 2, 240.0], ["siyu:2", 2, 160.0]]  # no export ids in the fixture
    at.button_group(key="kpi_drill").set_value("valid_members").run()
    assert "有效私域用户：4 人（2024年1月1日 至 2024年3月31日）" in [c.value for c in at.caption]


def test_the_report_button_compares_as_the_page_does(fixture_db, monkeypatch):
    """With 去年同期 chosen, the HTML report the button builds compares with last year's days, as the cards."""
    import streamlit

    import siyu.ui.report

    built: list[str] = []

    class Clicking:  # st, but its download button builds the file at once (AppTest cannot click one)
        def __getattr__(self, name):
            return getattr(streamlit, name)

        def download_button(self, label, data, **kwargs):
            built.append(data().decode("utf-8"))
            return streamlit.download_button(label, data, **kwargs)

    monkeypatch.setattr(siyu.ui.report, "st", Clicking())
    at = run_app(start="2024-02-01", end="2024-02-29", compare="year")
    assert not at.exception
    assert "对比去年同期（2023年2月1日 至 2023年2月28日）" in built[-1]
    assert "对比上一个等长周期" not in built[-1]
    at = run_app(start="2024-02-01", end="2024-02-29")
    assert "对比上一个等长周期（2024年1月3日 至 2024年1月31日）" in built[-1]
