"""The weekly digest names the page's filters, its figures and the week's firings, and links with the filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from siyu.alerts import store
from siyu.alerts.digest import digest_text
from siyu.config import load_settings
from siyu.ingest.pipeline import import_file
from tests.campaigns import campaign_db

NOW = dt.datetime(2024, 7, 1, 8, 0)


def test_campaign_digest_with_filters_and_firings(tmp_path: Path) -> None:
    db = campaign_db.build(tmp_path / "d.duckdb")
    settings = load_settings(db=db, base_url="https://siyu.example")
    sends = tmp_path / "s.csv"
    sends.write_text("活动,会员编号,发送时间,分组\n" + "".join(
        f"夏季,M{i:03d},2024-06-01 10:00,{'发送' if i <= 6 else '对照组'}\n" for i in range(1, 9)), encoding="utf-8")
    assert import_file(db, sends, settings=settings).refused is None
    store.record_firing(db, name="删除率", fired_at=NOW - dt.timedelta(days=2), value=0.4, previous=None,
                        threshold=0.3, message="m", posted=True, error=None)
    store.record_firing(db, name="太早", fired_at=NOW - dt.timedelta(days=9), value=1, previous=None,
                        threshold=0, message="m", posted=True, error=None)
    text = digest_text(settings, "campaigns", {"channel": "门店"}, now=NOW)
    assert "筛选：渠道 = 门店" in text
    assert "夏季（14 天）" in text and "看不出效果" in text
    assert "本周预警 1 次" in text and "删除率" in text and "太早" not in text
    assert text.endswith("(https://siyu.example/campaigns?channel=%E9%97%A8%E5%BA%97)")


def test_overview_digest_without_filters(tmp_path: Path) -> None:
    db = campaign_db.build(tmp_path / "d.duckdb")
    text = digest_text(load_settings(db=db), "overview", {}, now=NOW)
    assert "本周没有预警" in text and text.endswith("(/overview)")
