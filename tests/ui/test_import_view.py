"""The Import page's decisions (siyu/ui/views/import_data.py), without Streamlit."""

from __future__ import annotations

import polars as pl

from siyu.ingest import PROFILES
from siyu.ingest.pipeline import Mapping
from siyu.ui.views import import_data as view


def test_a_recognised_file_offers_its_format_first():
    offer = view.format_choice("youzan_orders", ["订单号"], {})
    assert offer.default == "youzan_orders" and offer.fit is None
    assert offer.options == [*PROFILES, view.MAP]
    assert view.chosen("youzan_orders") == ("youzan_orders", None)


def test_an_unknown_file_offers_a_saved_mapping_that_fits_else_the_mapping_step():
    saved = {"门店表": Mapping("generic_orders", {"order_id": "单号", "member_id": "会员", "paid_at": "时间",
                                                                "amount": "金额"})}
    offer = view.format_choice(None, ["单号", "会员", "时间", "金额"], saved)
    assert offer.default == "mapping:门店表" and offer.fit[0] == "门店表"
    assert offer.options[-2:] == ["mapping:门店表", view.MAP]
    assert view.chosen("mapping:门店表") == (None, "门店表")
    assert view.format_choice(None, ["x", "y"], saved).default == view.MAP


def test_mapping_step_choices():
    bases = view.mapping_bases()
    assert all(b.startswith("generic") for b in bases[:2]) and sorted(bases) == sorted(PROFILES)
    spec = PROFILES["generic_orders"]
    required = next(iter(spec.required))
    assert view.field_suffix("generic_orders", required) == f" *（{spec.header_of(required)}）"


def test_undo_is_offered_for_committed_imports_only():
    batches = pl.DataFrame({"batch_id": [6, 5, 4, 3, 2, 1],
                            "file_name": ["a.csv", "demo", "b.csv", "b.csv", "c.csv", "demo"],
                            "profile": ["generic_orders", "demo_cleared", "undo", "youzan_orders", "wecom_customers",
                                        "demo"],
                            "status": ["committed", "committed", "committed", "undone", "committed", "committed"]})
    assert view.undo_options(batches) == {6: "6 · a.csv", 2: "2 · c.csv"}


def test_history_shows_the_status_in_words():
    batches = pl.DataFrame({"batch_id": [2, 1], "status": ["undone", "committed"]})
    assert view.batches_shown(batches, "zh")["status"].to_list() == ["已撤销", "已导入"]
    assert view.batches_shown(batches, "en")["status"].to_list() == ["Undone", "Imported"]
    assert batches["status"].to_list() == ["undone", "committed"]  # the frame the undo rule reads is untouched


def test_history_shows_the_format_by_its_name_in_the_language():
    batches = pl.DataFrame({"batch_id": [4, 3, 2, 1], "profile": ["youzan_orders", "undo", "generic_orders", "later_tool"]})
    assert view.batches_shown(batches, "zh")["profile"].to_list() == ["有赞 订单", "撤销", "通用订单", "later_tool"]
    assert view.batches_shown(batches, "en")["profile"].to_list() == ["Youzan orders", "Undo", "Generic orders",
                                                                      "later_tool"]   # unknown to this version: as stored
    assert batches["profile"].to_list()[0] == "youzan_orders"      # the undo rule's frame keeps the codes


def test_every_format_and_batch_kind_has_a_name_in_both_languages():
    from siyu.locales import text
    from siyu.locales.dynamic import DYNAMIC_KEYS

    assert set(DYNAMIC_KEYS["imp_format_{}"]) == {*PROFILES, *view.BATCH_KINDS}
    assert text("imp_format_wecom_group_daily", "zh") == "企业微信 客户群统计（按天）"
    assert text("imp_format_wecom_group_daily", "en") == "WeCom group daily statistics"


def test_the_format_picker_names_each_format_and_keeps_its_id():
    assert view.format_label("youzan_orders", "zh") == "有赞 订单（youzan_orders）"
    assert view.format_label("youzan_orders", "en") == "Youzan orders (youzan_orders)"
    assert view.format_label("mapping:ERP", "en") == "mapping:ERP"       # a saved mapping: its own name
