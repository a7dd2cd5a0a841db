"""会员权益 page through AppTest: on a small demo brand (points, tiers, paid VIP) every section draws and its
numbers are the metrics'; the point value is edited by operators only, checked, audited; a database without a
ledger or paid-member data says so instead of drawing empty charts."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu import format as fmt
from siyu.db import reading
from siyu.demo import write_demo
from siyu.engine.catalog import run_metric
from tests.pages.conftest import log_in_as

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "app_pages/membership.py"


@pytest.fixture(scope="module")
def brand_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("membership") / "brand.duckdb"
    write_demo(path, members=600, seed=5)
    return path


@pytest.fixture
def brand(brand_file: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SIYU_DB", str(brand_file))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    monkeypatch.delenv("SIYU_LANG", raising=False)
    return brand_file


def open_page(db: Path | None = None, role: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if role:
        log_in_as(at, db, role)
    at.switch_page(PAGE)
    return at.run()


def metric(db: Path, name: str, **params: str):
    with reading(db) as con:
        return run_metric(con, name, params)[1]


def test_every_section_draws_with_the_metrics_numbers(brand):
    at = open_page()
    assert not at.exception and not at.error
    cards = {m.label: m.value for m in at.metric}
    s = metric(brand, "points_liability").row(0, named=True)
    assert cards["未使用积分"] == fmt.number(s["outstanding"]) and cards["积分负债"] == fmt.money(s["liability"])
    assert cards["过期率（breakage）"] == fmt.percent(s["breakage_rate"])
    # flow, redeemer comparison, cohort retention, cohort LTV, KM, paid comparison
    assert len(at.get("plotly_chart")) == 6
    heads = [h.value for h in at.subheader]
    near = metric(brand, "near_next_tier")
    assert f"积分余额最高的会员 · {fmt.number(s['members'])}" in heads    # members with points outstanding
    assert f"接近下一等级的会员（差距 ≤ 门槛的 20%） · {fmt.number(near.height)}" in heads
    captions = " ".join(c.value for c in at.caption)
    u = metric(brand, "redeemer_uplift").row(0, named=True)
    assert f"已匹配 {fmt.number(u['matched'])} 人，{fmt.number(u['unmatched'])} 人无可比对象未计入" in captions
    assert "按每积分 ¥0.01 计" in captions


def test_gap_slider_shows_percents_and_the_metric_gets_the_fraction(brand):
    """The slider holds whole percents shown as 20% (a fraction slider read 0.20); the metric gets 0.3 for 30%."""
    at = open_page()
    slider = at.slider(key="tec_within")
    assert (slider.value, slider.min, slider.max, slider.step, slider.proto.format) == (20, 5, 50, 5, "%d%%")
    slider.set_value(30).run()
    assert not at.exception
    near, before = metric(brand, "near_next_tier", within="0.3"), metric(brand, "near_next_tier")
    assert near.height > before.height    # 30% lets more members in than 20%: the value moved the metric
    heads = [h.value for h in at.subheader]
    assert f"接近下一等级的会员（差距 ≤ 门槛的 30%） · {fmt.number(near.height)}" in heads


def test_point_value_is_edited_by_operators_checked_and_audited(brand):
    viewer = open_page(brand, "viewer")
    assert not viewer.exception and "pts_value" not in [w.key for w in viewer.text_input]   # viewers only read it
    at = open_page(brand, "operator")

    def save(value: str) -> None:
        at.text_input(key="pts_value").set_value(value)
        next(b for b in at.button if b.label == "保存积分价值").click().run()

    save("-1")
    assert at.error and "积分价值需在 0 到" in at.error[0].value
    assert metric(brand, "points_value")["yuan_per_point"][0] == 0.01   # refused: nothing stored
    save("0.015")
    assert not at.error and "已保存：每积分 ¥0.015" in at.success[0].value
    outstanding = metric(brand, "points_liability").row(0, named=True)
    assert outstanding["yuan_per_point"] == 0.015
    assert outstanding["liability"] == round(outstanding["outstanding"] * 0.015 + 1e-9, 2)
    with reading(brand) as con:
        assert con.execute("SELECT detail FROM audit_log WHERE action = 'settings' ORDER BY audit_id DESC LIMIT 1").fetchone() == (
            "yuan_per_point = 0.015",)
    save("0.01")   # back to the default for the other tests


def test_without_a_ledger_or_paid_members_the_page_says_so(fixture_db):
    at = open_page()
    assert not at.exception and not at.error
    infos = " ".join(i.value for i in at.info)
    assert "还没有导入积分明细" in infos and "还没有导入付费会员数据" in infos


def test_tables_show_every_column_of_their_metric(brand):
    """A column named in the page but missing from the metric would silently vanish from a table."""
    from siyu.ui import membership_parts as parts

    frames = {"tier_upgrade_spend": (metric(brand, "tier_upgrade_spend"), parts.SPEND_COLUMNS),
              "tier_downgrades": (metric(brand, "tier_downgrades"), parts.PATH_COLUMNS),
              "paid_members": (metric(brand, "paid_members"), parts.PLAN_COLUMNS),
              "paid_expiries": (metric(brand, "paid_members", view="expiries"), parts.EXPIRY_COLUMNS),
              "near_next_tier": (metric(brand, "near_next_tier"), parts.NEAR_COLUMNS),
              "upgraded": (metric(brand, "tier_upgrade_spend", view="members"), parts.UPGRADE_COLUMNS),
              "redeemers": (metric(brand, "redeemer_uplift", view="members"), parts.UPLIFT_COLUMNS),
              "balances": (metric(brand, "points_liability", view="members"), parts.BALANCE_COLUMNS)}
    for name, (frame, columns) in frames.items():
        wanted = set(columns) - {"display_name", "phone"}   # joined from member_contacts
        assert wanted <= set(frame.columns), (name, wanted - set(frame.columns))
    at = open_page()
    shown = [d.value for d in at.dataframe]   # the values behind each grid, columns by their metric names
    paths = next(f for f in shown if "downgrades" in f.columns)
    assert list(paths.columns) == list(parts.PATH_COLUMNS)
    assert list(paths["downgrades"]) == metric(brand, "tier_downgrades")["downgrades"].to_list()
    expiries = next(f for f in shown if "lapsed" in f.columns)
    assert list(expiries["lapsed"]) == metric(brand, "paid_members", view="expiries")["lapsed"].to_list()


def test_the_page_in_english(brand, monkeypatch):
    monkeypatch.setenv("SIYU_LANG", "en")
    at = open_page()
    assert not at.exception and not at.error
    assert at.title[0].value == "Membership economics"
    heads = " ".join(h.value for h in at.header)
    assert "Points" in heads and "Tier economics" in heads and "Paid membership" in heads
    assert "Matching: from the week of the first redemption" in " ".join(c.value for c in at.caption)
    slider = at.slider(key="tec_within")
    assert (slider.label, slider.value, slider.proto.format) == ("Largest gap (share of the threshold)", 20, "%d%%")
    assert any(h.value.startswith("Members close to the next tier") and "20%" in h.value for h in at.subheader)
