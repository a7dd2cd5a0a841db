"""The demo brand's fixed cast: channels with their quality, staff, stores, products, names, tiers.

山茶集 (Shanchaji) is an invented tea brand (cold-brew bags, scented and oolong teas, teaware) selling
through a WeChat mini-program, a 有赞 shop, three tea rooms and live streams. Everything here is a constant; the generators only draw from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

BRAND = "山茶集"
START = dt.datetime(2023, 11, 1)
"""First instant of the data (members start joining)."""
END = dt.datetime(2026, 10, 31, 23, 59, 59)
"""Last instant of the data: fixed, so a build never depends on today."""


@dataclass(frozen=True)
class Channel:
    """One acquisition channel and the behaviour of the members it brings."""

    name: str
    weight: float            # share of joins once the channel runs
    opens: dt.date           # first day the channel brings members
    buy_prob: float          # chance a member ever orders
    orders_per_year: float   # mean purchase rate of a live buyer
    rate_shape: float        # gamma shape of that rate across buyers (small = heavy tail)
    churn: tuple[float, float]   # beta(a, b) of the chance to drop out after each purchase
    basket: float            # median basket multiplier
    first_delay_days: float  # mean wait from joining to the first order
    friend_prob: float       # chance the member is a WeCom friend at all
    second_friend: float     # chance of a second staff friendship
    early_delete: float      # chance a friendship ends within 7 days (customer deletes)
    yearly_delete: float     # otherwise, deletions per friend-year
    add_ways: tuple[tuple[str, int, float], ...]  # (来源 text, WeCom add_way code, share)
    referred: float          # share of joins that came through a referrer


QR = ("扫描二维码", 1)
CHANNELS: tuple[Channel, ...] = (
    Channel("包裹卡", 0.24, dt.date(2023, 11, 1), 0.70, 22.0, 0.4, (1.3, 48.0), 1.0, 20, 0.97, 0.10,
            0.015, 0.04, ((*QR, 1.0),), 0.0),
    Channel("门店", 0.15, dt.date(2023, 11, 1), 0.80, 28.0, 0.4, (1.3, 60.0), 1.25, 6, 0.90, 0.16,
            0.010, 0.03, ((*QR, 0.8), ("搜索手机号", 2, 0.2)), 0.08),
    Channel("裂变海报", 0.13, dt.date(2024, 1, 15), 0.60, 20.0, 0.38, (1.3, 42.0), 0.9, 12, 0.98, 0.08,
            0.020, 0.05, ((*QR, 0.7), ("名片分享", 3, 0.3)), 1.0),
    Channel("短视频", 0.14, dt.date(2025, 3, 1), 0.62, 1.0, 0.38, (4.0, 2.0), 0.6, 1.0, 0.99, 0.01,
            0.340, 0.08, (("视频号", 10, 0.55), ("获客链接", 16, 0.45)), 0.0),
    Channel("公众号", 0.10, dt.date(2023, 11, 1), 0.50, 18.0, 0.38, (1.3, 36.0), 0.9, 25, 0.96, 0.08,
            0.020, 0.05, ((*QR, 1.0),), 0.05),
    Channel("短信召回", 0.07, dt.date(2024, 4, 1), 0.60, 18.0, 0.4, (1.3, 42.0), 1.0, 15, 0.85, 0.06,
            0.030, 0.06, (("获客链接", 16, 1.0),), 0.0),
    Channel("直播", 0.10, dt.date(2024, 6, 1), 0.58, 18.0, 0.38, (1.4, 36.0), 0.95, 8, 0.97, 0.08,
            0.025, 0.06, (("视频号", 10, 0.7), (*QR, 0.3)), 0.05),
    Channel("分销", 0.07, dt.date(2024, 3, 1), 0.66, 22.0, 0.38, (1.3, 45.0), 1.0, 10, 0.95, 0.08,
            0.015, 0.04, (("名片分享", 3, 0.6), ("群聊", 4, 0.4)), 0.15),
)
CHANNEL_NAMES = tuple(c.name for c in CHANNELS)
PAID_CHANNEL = "短视频"
"""The paid short-video channel (投流): coupon hunters who delete the staff member within days."""

SECOND_ADD_WAYS = (("内部成员共享", 201, 0.6), ("管理员/负责人分配", 202, 0.4))

STORES = ("上海静安嘉里茶空间", "杭州湖滨银泰茶空间", "成都太古里茶空间")
ONLINE_STORE = "山茶集线上旗舰店"
SALES_CHANNELS = ("小程序", "有赞微商城", "门店", "直播间")

# staff_id, name, department, store index (None = online team)
STAFF: tuple[tuple[str, str, str, int | None], ...] = (
    ("ZhangYating", "张雅婷", "门店/上海静安嘉里茶空间", 0),
    ("LiuJiaxin", "刘佳欣", "门店/上海静安嘉里茶空间", 0),
    ("WangShuang", "王爽", "门店/杭州湖滨银泰茶空间", 1),
    ("ChenMengqi", "陈梦琪", "门店/杭州湖滨银泰茶空间", 1),
    ("ZhaoXinyue", "赵欣悦", "门店/成都太古里茶空间", 2),
    ("HuangYu", "黄宇", "门店/成都太古里茶空间", 2),
    ("kf_XuJing", "徐静（客服）", "客服中心", None),
    ("kf_SunLi", "孙丽（客服）", "客服中心", None),
    ("kf_ZhouTing", "周婷（客服）", "客服中心", None),
    ("kf_WuHao", "吴昊（客服）", "客服中心", None),
    ("kf_ZhengYan", "郑妍（客服）", "客服中心", None),
    ("yy_MaLin", "马琳", "私域运营部/社群", None),
    ("yy_HeQian", "何倩", "私域运营部/社群", None),
    ("zb_LuoXi", "罗希", "私域运营部/直播", None),
)

DISTRIBUTORS = tuple(f"分销员·{n}" for n in (
    "林小雨", "蒋思思", "唐悦", "宋佳", "韩梅", "冯晓", "曹颖", "彭丽", "曾敏", "萧然",
    "田甜", "董洁", "袁媛", "潘虹", "于蓝", "蔡琳", "余欢", "杜若", "叶青", "程程"))

# name, sku, list price (cents), relative popularity, launch day (None = on sale from the start)
PRODUCTS: tuple[tuple[str, str, int, float, dt.date | None], ...] = (
    ("白桃乌龙冷泡茶 15袋", "SC-BT-015", 5900, 0.26, None),
    ("茉莉花茶 罐装 100g", "SC-ML-100", 7900, 0.20, None),
    ("桂花乌龙三角包 20袋", "SC-GH-020", 4500, 0.22, None),
    ("陈皮白茶饼 357g", "SC-CP-357", 16800, 0.12, None),
    ("凤凰单丛礼盒", "SC-DC-GB1", 26800, 0.08, None),
    ("随行茶具套装", "SC-TJ-001", 19900, 0.12, None),
    ("新品·山茶花冷萃 12瓶", "SC-NP-012", 6900, 0.0, dt.date(2026, 5, 20)),
)
BASE_PRODUCTS = 6
NEW_PRODUCT = 6
NEW_PRODUCT_SHARE = 0.22   # chance an order after the launch carries the new product
TRIAL_KIT = ("体验装·冷泡茶尝鲜包", "SC-TR-001", 3900)   # the coupon hunters' ¥9.9 bait
FREE_SAMPLE = ("茶样试饮装", "SC-SM-000", 1900)

# name, rank, cumulative net spend (cents) needed
TIERS = (("普通会员", 1, 0), ("银卡会员", 2, 50_000), ("金卡会员", 3, 200_000), ("黑金会员", 4, 600_000))

COUPONS = ("满99减10", "会员95折", "新客立减10元", "复购券15元")
PROMO_COUPONS = {"双11": "双11满200减30", "618": "618满150减20"}
HUNTER_COUPONS = ("DY新人9.9元购", "DY0元试用")

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
            "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严")
GIVEN = ("婷敏静丽娟艳娜芳霞秀英华慧颖琳雪梅欣悦怡佳雅琪萌晶晨蕾璐瑶洁倩妍茜冰诗涵菲语彤可心宇浩杰"
         "俊伟磊鑫鹏强军明超勇辉健斌涛昊然子轩一诺若曦嘉文思远安晴月")
NICKNAMES = ("小仙女", "Amy", "Coco", "Lily", "阿狸", "糖糖", "Vivian", "momo", "小鱼儿", "晴天", "Cherry",
             "橙子", "豆豆", "Grace", "Summer", "小熊", "Yuki", "阳光", "Kiki", "奶茶")
PHONE_PREFIXES = ("138", "139", "135", "136", "137", "150", "151", "152", "158", "159", "182", "183",
                  "186", "187", "188", "130", "131", "132", "155", "156", "176", "177", "180", "181",
                  "189", "133", "153", "199", "173", "191")
