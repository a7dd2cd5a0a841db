"""Format profiles: which header texts mean which siyu field, and detecting a profile from a header row.

Headers are compared after normalisation (NFKC, so full-width brackets and letters become ASCII;
lower case; spaces, `*` and `:` removed), and again with any bracketed part removed, so
`订单实付金额（元）`, ` 订单实付金额 ` and `订单实付金额(元)` all match `订单实付金额`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from siyu.errors import IngestError


@dataclass(frozen=True)
class Profile:
    name: str
    kind: str                          # orders | members | friends_lost | referrals | channel_costs | groups | campaign_sends | points_ledger ...
    label: str                         # shown to operators
    fields: dict[str, tuple[str, ...]]  # siyu field -> header aliases (first = the documented header)
    required: tuple[str, ...]

    def header_of(self, field: str) -> str:
        return self.fields[field][0]


def _p(profile_name: str, kind: str, label: str, required: tuple[str, ...], /, **fields: tuple[str, ...]) -> Profile:
    return Profile(profile_name, kind, label, dict(fields), required)


PROFILES: dict[str, Profile] = {p.name: p for p in [
    _p("wecom_customers", "members", "企业微信 客户列表", ("name", "staff_name", "added_at"),
       name=("客户名称", "客户昵称", "客户", "外部联系人名称"),
       description=("描述",),
       staff_name=("添加人", "添加人姓名", "所属成员", "跟进成员", "所属员工"),
       staff_account=("添加人账号", "添加人userid", "成员账号", "员工账号"),
       department=("添加人所属部门", "所属部门"),
       added_at=("添加时间", "添加好友时间"),
       add_way=("来源", "添加方式", "添加渠道"),
       phone=("手机", "手机号", "手机号码", "备注手机号"),
       external_id=("外部联系人id", "external_userid", "客户id"),
       channel=("state", "渠道", "渠道活码", "活码名称"),
       company=("企业",), email=("邮箱",), address=("地址",), title=("职务",), telephone=("电话",)),
    _p("wecom_lost", "friends_lost", "企业微信 流失客户", ("name", "staff_name", "added_at", "deleted_at"),
       name=("客户名称", "客户昵称", "客户", "流失客户"),
       staff_name=("添加人", "成员", "所属成员", "员工", "流失成员"),
       staff_account=("添加人账号", "成员账号", "员工账号"),
       department=("添加人所属部门", "所属部门"),
       added_at=("添加时间", "添加好友时间"),
       deleted_at=("删除时间", "流失时间", "删除好友时间"),
       deleted_by=("删除方式", "流失类型", "删除类型", "流失方式", "流失原因"),
       phone=("手机", "手机号")),
    _p("youzan_customers", "members", "有赞 客户列表", ("phone", "became_customer_at"),
       name=("客户姓名",), nickname=("客户昵称",), phone=("客户手机号", "手机号"),
       gender=("客户性别",), tags=("标签", "客户标签"), is_member=("是否会员",),
       growth_value=("成长值",), free_tier=("免费等级", "会员等级"), paid_tier=("付费等级",),
       points=("客户积分", "积分"), channel=("来源渠道",), source_way=("来源方式",),
       became_customer_at=("成为客户时间",), became_member_at=("成为会员时间",)),
    _p("youzan_orders", "orders", "有赞 订单", ("order_id", "status", "amount", "buyer_phone"),
       order_id=("订单号",), sales_channel=("销售渠道",), store=("归属店铺",), order_type=("订单类型",),
       status=("订单状态",), created_at=("订单创建时间", "下单时间"), paid_at=("买家付款时间", "付款时间"),
       discount=("店铺优惠合计",), amount=("订单实付金额",), buyer_nickname=("买家昵称",),
       buyer_phone=("买家手机号",), distributor=("分销员",), refund_status=("订单退款状态",),
       refund=("订单已退款金额",), product=("全部商品名称", "商品名称")),
    _p("shopify_orders", "orders", "Shopify orders", ("name", "financial_status", "total"),
       name=("Name",), email=("Email",), financial_status=("Financial Status",), paid_at=("Paid at",),
       currency=("Currency",), total=("Total",), discount_code=("Discount Code",),
       discount_amount=("Discount Amount",), created_at=("Created at",), refunded=("Refunded Amount",),
       phone=("Phone",), billing_name=("Billing Name",), source=("Source",),
       lineitem_name=("Lineitem name",), lineitem_quantity=("Lineitem quantity",),
       lineitem_price=("Lineitem price",), lineitem_sku=("Lineitem sku",)),
    _p("generic_orders", "orders", "通用订单 generic orders", ("order_id", "member_id", "paid_at", "amount"),
       order_id=("order_id", "订单号", "订单编号"), member_id=("member_id", "会员id", "会员编号"),
       paid_at=("paid_at", "支付时间", "付款时间"), amount=("amount", "金额", "实付金额"),
       refund_amount=("refund_amount", "退款金额"), status=("status", "状态"), store=("store", "店铺", "门店")),
    _p("generic_members", "members", "通用会员 generic members", ("member_id", "joined_at"),
       member_id=("member_id", "会员id", "会员编号"), joined_at=("joined_at", "注册时间", "入会时间"),
       phone=("phone", "手机号"), name=("name", "姓名"), channel=("channel", "渠道"), staff=("staff", "导购", "专属顾问"),
       tier=("tier", "等级"), points=("points", "积分"), tags=("tags", "标签"), deleted_at=("deleted_at", "删除时间")),
    _p("generic_referrals", "referrals", "通用转介绍 generic referrals", ("referrer_id", "referee_id", "referred_at"),
       referrer_id=("referrer_id", "推荐人id"), referee_id=("referee_id", "被推荐人id"),
       referred_at=("referred_at", "推荐时间"), campaign=("campaign", "活动")),
    # Points ledgers (积分明细, issue #19): one row per change of a member's points (siyu.ingest.profile_points).
    _p("youzan_points", "points_ledger", "有赞 积分明细", ("phone", "occurred_at", "delta"),
       phone=("手机号", "客户手机号", "会员手机号", "手机号码"), nickname=("客户昵称", "昵称", "客户姓名", "会员昵称"),
       occurred_at=("变动时间", "积分变动时间", "发生时间", "获取时间", "操作时间", "创建时间"),
       delta=("积分变动", "变动积分", "积分变化", "变动值", "变动数量", "积分变动值"),
       direction=("收支类型", "收支", "增减", "收入/支出"),
       kind=("变动类型", "积分类型", "变动方式", "业务类型", "类型", "积分来源"),
       balance_after=("变动后积分", "剩余积分", "当前积分", "积分余额", "变动后余额", "可用积分"),
       order_id=("关联订单号", "订单号", "订单编号"), reason=("变动原因", "变动说明", "备注", "说明", "原因")),
    _p("points_ledger", "points_ledger", "通用积分明细 generic points ledger", ("member_id", "occurred_at", "delta"),
       member_id=("member_id", "会员id", "会员编号"), phone=("phone", "手机号"),
       occurred_at=("occurred_at", "time", "时间", "变动时间"), delta=("points_change", "delta", "change", "积分变动"),
       kind=("type", "kind", "类型", "变动类型"), balance_after=("balance_after", "balance", "变动后积分"),
       order_id=("order_id", "订单号"), reason=("reason", "note", "备注")),
    # Paid memberships (付费会员 / 权益卡): one row per term bought; a phone or a member id names the member.
    _p("paid_members", "paid_memberships", "付费会员 paid memberships", ("started_at", "expires_at", "fee"),
       phone=("客户手机号", "手机号", "会员手机号", "phone"), member_id=("会员id", "会员编号", "member_id"),
       plan=("权益卡名称", "付费等级", "会员卡名称", "卡名称", "plan"),
       started_at=("开卡时间", "领卡时间", "购买时间", "生效时间", "开通时间", "started_at"),
       expires_at=("到期时间", "有效期至", "失效时间", "过期时间", "expires_at"),
       fee=("实付金额", "支付金额", "售价", "费用", "会员费", "fee")),
    # Spend per acquisition channel (the 无效私域 view): one of month / date / start+end gives the period.
    _p("channel_costs", "channel_costs", "渠道成本 channel costs", ("channel", "cost"),
       channel=("渠道", "渠道名称", "投放渠道", "引流渠道", "来源渠道", "来源", "channel", "source"),
       cost=("投放费用", "费用", "花费", "成本", "消耗", "投放金额", "花费金额", "费用金额", "投放成本", "渠道成本",
             "cost", "spend", "amount"),
       month=("月份", "投放月份", "统计月份", "年月", "月", "month"),
       date=("日期", "投放日期", "统计日期", "date", "day"),
       start=("开始日期", "起始日期", "开始时间", "start", "start_date", "from"),
       end=("结束日期", "截止日期", "结束时间", "end", "end_date", "to"),
       note=("备注", "说明", "note", "notes")),
    # Customer groups (社群, issue #17): siyu/ingest/profile_groups.py.
    _p("wecom_groups", "groups", "企业微信 客户群列表", ("group_name", "created_at"),
       group_name=("群名称", "群名", "群聊名称", "客户群名称", "客户群"), group_id=("群id", "群聊id", "客户群id", "chat_id"),
       owner=("群主", "群主名称", "群主姓名"), owner_account=("群主账号", "群主userid", "群主id"),
       member_count=("群成员数", "群人数", "成员数", "当前群成员数"), created_at=("创建时间", "建群时间", "群创建时间"),
       notice=("群公告", "公告", "群标签", "标签")),
    # The last group_name alias lets an export that names groups only by 群ID still import.
    _p("wecom_group_members", "group_members", "企业微信 客户群成员", ("group_name", "member_name", "joined_at"),
       group_name=("群名称", "群名", "群聊名称", "客户群名称", "所在群", "群id"),
       group_id=("群id", "群聊id", "客户群id", "chat_id"),
       member_name=("成员名称", "成员昵称", "群成员", "成员", "名字", "昵称", "客户名称"),
       nickname=("群昵称", "在群里的昵称", "群内昵称"),
       member_type=("成员类型", "类型", "用户类型", "身份"),
       joined_at=("入群时间", "加入时间", "进群时间"), join_way=("入群方式", "加入方式", "进群方式"),
       inviter=("邀请人", "邀请者", "邀请成员"), left_at=("退群时间", "离群时间", "退出时间"),
       external_id=("外部联系人id", "external_userid", "客户id", "成员id", "userid"),
       phone=("手机", "手机号", "手机号码", "备注手机", "备注手机号")),
    _p("wecom_group_daily", "group_daily", "企业微信 客户群统计（按天）", ("day", "groups_total", "members_total"),
       day=("日期", "统计日期", "时间", "date"), owner=("群主", "群主名称", "群主账号", "成员"),
       new_groups=("新增群数", "新增客户群数", "新增客户群"), groups_total=("群总数", "客户群总数", "群数"),
       active_groups=("有发过消息的群数", "有发过消息的客户群数", "活跃群数"),
       new_members=("新增群成员数", "客户群新增群人数", "新增群人数", "新增成员数"),
       members_total=("群成员总数", "客户群总人数", "群总人数"),
       active_members=("发过消息的群成员数", "有发过消息的群成员数", "活跃群成员数"),
       messages=("群消息总数", "客户群消息总数", "消息总数")),
    _p("generic_group_members", "group_members", "通用社群成员 generic group members",
       ("group_id", "member_id", "joined_at"),
       group_id=("group_id",), group_name=("group_name",), member_id=("member_id",), joined_at=("joined_at",),
       left_at=("left_at",), join_way=("join_way",), inviter=("inviter",), group_type=("group_type",)),
    # What a recall campaign sent (issue #18); a member column (member_id / phone / external_id) is checked
    # by the transform, since any one of the three will do.
    _p("campaign_sends", "campaign_sends", "召回发送记录 campaign sends", ("campaign", "sent_at"),
       campaign=("campaign", "活动", "活动名称", "召回活动", "群发任务", "任务名称", "营销活动"),
       member_id=("member_id", "会员id", "会员编号", "会员号"),
       phone=("phone", "手机号", "手机", "手机号码", "接收号码"),
       external_id=("外部联系人id", "external_userid", "客户id"),
       sent_at=("sent_at", "发送时间", "群发时间", "推送时间", "触达时间"),
       channel=("channel", "发送渠道", "触达渠道", "触达方式", "渠道"),
       variant=("variant", "文案版本", "版本", "ab组"),
       arm=("arm", "分组", "组别", "实验分组"),
       cost=("cost", "费用", "成本", "发送费用", "计费金额"),
       status=("status", "发送状态", "状态")),
]}

# Fields siyu reads from no profile on purpose, so they are not turned into tags (WeCom tag groups are
# the remaining columns of a customer export).
WECOM_KNOWN_EXTRA = {"企业", "邮箱", "地址", "职务", "电话", "描述"}


def norm_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).lower()
    return re.sub(r"[\s*:：\ufeff]", "", text)


def phone_headers(mapped: Iterable[Mapping[str, str]] = ()) -> frozenset[str]:
    """Every header (normalised: norm_header) under which an export may hold phone numbers: the aliases of
    the phone fields of every profile, plus the columns that saved mappings (`{field: header}`) give them."""
    heads = {norm_header(a) for prof in PROFILES.values() for f, aliases in prof.fields.items() if "phone" in f
             for a in (f, *aliases)}
    heads |= {norm_header(h) for columns in mapped for f, h in columns.items() if "phone" in f and h}
    return frozenset(heads - {""})


def _variants(text: str) -> set[str]:
    n = norm_header(text)
    return {n, re.sub(r"\([^)]*\)$", "", n)} - {""}


def match_columns(profile: Profile, header: list[str]) -> dict[str, int]:
    """{field: index of the first header that matches one of its aliases}."""
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        for v in _variants(h):
            index.setdefault(v, i)
    found: dict[str, int] = {}
    for field, aliases in profile.fields.items():
        for alias in aliases:
            at = index.get(norm_header(alias))
            if at is not None:
                found[field] = at
                break
    return found


@dataclass(frozen=True)
class Detection:
    profile: str | None
    columns: dict[str, int]
    missing: tuple[str, ...] = ()     # required headers of the closest profile, when none matched
    closest: str | None = None


def detect(header: list[str]) -> Detection:
    """The profile whose required headers are all present, preferring the one that matches the most."""
    best: tuple[tuple[int, int], str, dict[str, int]] | None = None
    closest: tuple[float, str, tuple[str, ...]] | None = None
    for p in PROFILES.values():
        cols = match_columns(p, header)
        missing = tuple(p.header_of(f) for f in p.required if f not in cols)
        if not missing:
            score = (len(p.required), len(cols))
            if best is None or score > best[0]:
                best = (score, p.name, cols)
        else:
            share = (len(p.required) - len(missing)) / len(p.required)
            if share > 0 and (closest is None or share > closest[0]):
                closest = (share, p.name, missing)
    if best:
        return Detection(best[1], best[2])
    if closest and closest[0] >= 0.5:
        return Detection(None, {}, closest[2], closest[1])
    return Detection(None, {})


def detect_profile(header: list[str]) -> str | None:
    """The name of the profile this header row belongs to, or None when no profile matches."""
    return detect(header).profile


def columns_for(profile_name: str, header: list[str], mapping: dict[str, str] | None = None) -> dict[str, int]:
    """Column indexes for a profile: a saved/explicit mapping {field: header text} wins over aliases.

    Raises IngestError naming the missing required columns.
    """
    if profile_name not in PROFILES:
        raise IngestError(f"未知的格式 {profile_name!r}；可选：{', '.join(PROFILES)} / unknown profile")
    profile = PROFILES[profile_name]
    cols = match_columns(profile, header)
    if mapping:
        normed = {norm_header(h): i for i, h in enumerate(header)}
        for field, head in mapping.items():
            if field not in profile.fields:
                raise IngestError(f"格式 {profile_name} 没有字段 {field!r} / profile has no field {field!r}")
            if not head:
                cols.pop(field, None)
                continue
            i = normed.get(norm_header(head))
            if i is None:
                raise IngestError(f"文件里没有列 {head!r}（映射到 {field}）/ the file has no column {head!r}")
            cols[field] = i
    missing = [profile.header_of(f) for f in profile.required if f not in cols]
    if missing:
        raise IngestError(
            f"按格式 {profile_name}（{profile.label}）缺少必需的列：{'、'.join(missing)}。"
            f"请确认导出时包含这些列，或在导入页面手动对应列。"
            f" / Required column(s) missing for {profile_name}: {', '.join(missing)}.")
    return cols
