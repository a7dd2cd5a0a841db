"""Profiles are detected from the header row, tolerantly; a near miss names the missing columns."""

from __future__ import annotations

import pytest

from siyu.errors import IngestError
from siyu.ingest import detect_profile
from siyu.ingest.profiles import columns_for, detect

WECOM = ["客户名称", "描述", "添加人", "添加人账号", "添加人所属部门", "添加时间", "来源", "手机", "企业", "邮箱", "地址",
         "职务", "电话", "客户等级", "兴趣"]
WECOM_LOST = ["客户名称", "添加人", "添加人账号", "添加时间", "删除时间", "删除方式"]
YOUZAN_CUSTOMERS = ["客户姓名", "客户昵称", "客户手机号", "客户生日", "客户性别", "标签", "是否会员", "成长值", "免费等级",
                    "付费等级", "权益卡", "客户积分", "客户储值余额", "消费次数", "消费金额", "累计退款金额", "累计退款订单数",
                    "笔单价", "上次消费时间", "分销员", "导购员", "企微好友", "来源渠道", "来源方式", "成为客户时间",
                    "成为会员时间", "成为会员店铺", "公众号", "公众号关注时间", "最近浏览时间", "微信地域", "所属区域"]
YOUZAN_ORDERS = ["订单号", "销售渠道", "归属店铺", "订单类型", "订单状态", "推广方式", "订单来源", "订单创建时间", "买家付款时间",
                 "交易成功时间", "付款方式", "商品金额合计", "运费", "店铺优惠合计", "应收订单金额", "订单实付金额", "订单实收金额",
                 "订单抵用积分数", "全部商品名称", "收货人/提货人", "收货人手机号/提货人手机号", "收货人省份", "收货人城市", "买家备注",
                 "买家昵称", "买家是否会员", "买家手机号", "分销员", "分销员手机号", "销售导购", "订单退款状态", "订单已退款金额",
                 "商家订单备注"]
SHOPIFY = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Currency", "Subtotal",
           "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Created at", "Lineitem quantity",
           "Lineitem name", "Lineitem price", "Refunded Amount", "Id", "Phone"]


@pytest.mark.parametrize("header,profile", [
    (WECOM, "wecom_customers"), (WECOM_LOST, "wecom_lost"), (YOUZAN_CUSTOMERS, "youzan_customers"),
    (YOUZAN_ORDERS, "youzan_orders"), (SHOPIFY, "shopify_orders"),
    (["order_id", "member_id", "paid_at", "amount", "refund_amount", "status", "store"], "generic_orders"),
    (["member_id", "joined_at", "phone", "name", "channel", "staff", "tier", "points", "tags", "deleted_at"],
     "generic_members"),
    (["referrer_id", "referee_id", "referred_at", "campaign"], "generic_referrals"),
])
def test_documented_headers_are_detected(header: list[str], profile: str) -> None:
    assert detect_profile(header) == profile


def test_headers_match_tolerantly() -> None:
    header = [" 订单号 ", "订单状态", "订单实付金额（元）", "买家手机号 ", "订单已退款金额(元)", "ORDER_ID"]
    assert detect_profile(header) == "youzan_orders"
    cols = columns_for("youzan_orders", header)
    assert (cols["amount"], cols["refund"]) == (2, 4)
    assert detect_profile(["Order_ID", " MEMBER_ID", "Paid_At", "Amount"]) == "generic_orders"


def test_buyer_phone_is_never_the_receiver_phone() -> None:
    header = ["订单号", "订单状态", "订单实付金额", "收货人手机号/提货人手机号"]
    found = detect(header)
    assert found.profile is None and found.closest == "youzan_orders" and found.missing == ("买家手机号",)


def test_unknown_header_matches_nothing() -> None:
    assert detect(["foo", "bar"]).profile is None and detect(["foo", "bar"]).closest is None


def test_forced_profile_names_missing_columns() -> None:
    with pytest.raises(IngestError, match="paid_at、amount"):
        columns_for("generic_orders", ["order_id", "member_id"])
