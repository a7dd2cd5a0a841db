"""Member-side profiles: 有赞 customers, generic members, WeCom customers and lost customers, referrals."""

from __future__ import annotations

import polars as pl

from siyu.ingest import parsers
from siyu.ingest.canonical import MEMBER_SCHEMA, REFERRAL_SCHEMA, TAG_GROUP_SEP, Canonical, frame, phone_cells, when
from siyu.ingest.cells import MSG_REQUIRED, Cells
from siyu.ingest.profiles import WECOM_KNOWN_EXTRA, norm_header

# WeCom 来源 in words -> add_way code of the WeCom API.
ADD_WAY_CODES = {
    "未知来源": 0, "扫描二维码": 1, "扫描名片二维码": 1, "搜索手机号": 2, "名片分享": 3, "群聊": 4, "手机通讯录": 5,
    "微信联系人": 6, "第三方应用": 8, "搜索邮箱": 9, "视频号": 10, "日程参与人": 11, "会议参与人": 12,
    "添加微信好友对应的企业微信": 13, "智能硬件专属客服": 14, "上门服务客服": 15, "获客链接": 16,
    "内部成员共享": 201, "管理员/负责人分配": 202, "管理员分配": 202, "负责人分配": 202,
}
def _empty_tier(s: pl.Series) -> pl.Series:
    return when(s.is_in(["-", "无", "—", "普通客户"]).fill_null(False), None, s)


def youzan_customers(c: Cells) -> Canonical:
    phones = phone_cells(c, "phone")
    joined = pl.select(pl.coalesce(c.datetime("became_customer_at"), c.datetime("became_member_at"))).to_series()
    c.error("became_customer_at", joined.is_null() & c.text("became_customer_at").is_null(), MSG_REQUIRED)
    name = pl.select(pl.coalesce(c.text("name"), c.text("nickname"))).to_series()
    tier = pl.select(pl.coalesce(_empty_tier(c.text("free_tier")), _empty_tier(c.text("paid_tier")))).to_series()
    rows = frame(c.n, MEMBER_SCHEMA, row_no=c.rows, phone=phones["phone"], phone_masked=phones["phone_masked"], phone2=phones["phone2"],
                  display_name=name, joined_at=joined, channel=c.text("channel"), tier=tier,
                  points=c.integer("points"), growth_value=c.integer("growth_value"),
                  tags=parsers.split_tags(c.text("tags")))
    return Canonical("members", rows, c.errors())


def generic_members(c: Cells) -> Canonical:
    ext = c.required("member_id")
    joined = c.datetime("joined_at", required=True)
    phones = phone_cells(c, "phone")
    staff = c.text("staff")
    rows = frame(c.n, MEMBER_SCHEMA, row_no=c.rows, ext_id=ext, phone=phones["phone"],
                  phone_masked=phones["phone_masked"], phone2=phones["phone2"], display_name=c.text("name"), joined_at=joined,
                  channel=c.text("channel"), tier=c.text("tier"), points=c.integer("points"),
                  tags=parsers.split_tags(c.text("tags")), staff_id=staff, staff_name=staff, added_at=joined,
                  deleted_at=c.datetime("deleted_at"), friend_channel=c.text("channel"))
    return Canonical("members", rows, c.errors())


def _wecom_common(c: Cells) -> dict[str, pl.Series]:
    name = c.required("name")
    staff_name = c.required("staff_name")
    staff_id = pl.select(pl.coalesce(c.text("staff_account"), staff_name)).to_series()
    added = c.datetime("added_at", required=True)
    phones = phone_cells(c, "phone")
    return dict(phone=phones["phone"], phone_masked=phones["phone_masked"], phone2=phones["phone2"], wecom_name=name, display_name=name,
                joined_at=added, staff_id=staff_id, staff_name=staff_name, department=c.text("department"),
                added_at=added)


def wecom_customers(c: Cells) -> Canonical:
    base = _wecom_common(c)
    add_way = c.text("add_way")
    code = add_way.replace_strict(ADD_WAY_CODES, default=None, return_dtype=pl.Int32)
    code = when(code.is_null(), add_way.cast(pl.Int32, strict=False), code)
    # Tag-group columns: whatever the export carries beyond the known ones.
    used = set(c.columns.values())
    tag_cols = [i for i, h in enumerate(c.table.header)
                if i not in used and h and norm_header(h) not in {norm_header(x) for x in WECOM_KNOWN_EXTRA}]
    for i in tag_cols:
        c.check_column(i)
    if tag_cols:
        # Each column is one tag group (标签组, its header): a tag is kept as "group<US>tag" (load splits it).
        tags = pl.concat([parsers.split_tags(parsers.clean_text(c.table.frame[f"c{i}"])).fill_null([])
                          .list.eval(pl.lit(TAG_GROUP_SEP.join([c.table.header[i].strip().replace(TAG_GROUP_SEP, ""), ""]))
                                     + pl.element().str.replace_all(TAG_GROUP_SEP, "", literal=True))
                          .to_frame("t").with_row_index("i") for i in tag_cols]).group_by("i").agg(pl.col("t").list.explode(keep_nulls=False, empty_as_null=False)).sort("i")["t"]
        tags = tags.list.unique(maintain_order=True)
    else:
        tags = None
    channel = c.text("channel")
    rows = frame(c.n, MEMBER_SCHEMA, row_no=c.rows, wecom_ext_id=c.text("external_id"),
                  channel=pl.select(pl.coalesce(channel, add_way)).to_series(), add_way=add_way, add_way_code=code,
                  friend_channel=channel, tags=tags, **base)
    return Canonical("members", rows, c.errors())


def wecom_lost(c: Cells) -> Canonical:
    base = _wecom_common(c)
    deleted = c.datetime("deleted_at", required=True)
    how = c.text("deleted_by")
    by = pl.select(
        pl.when(how.str.contains("客户删除|被客户删除|del_follow_user|拉黑")).then(pl.lit("customer"))
        .when(how.str.contains("删除客户|员工删除|成员删除|del_external_contact")).then(pl.lit("staff"))
    ).to_series()
    rows = frame(c.n, MEMBER_SCHEMA, row_no=c.rows, deleted_at=deleted, deleted_by=by, **base)
    return Canonical("friends_lost", rows, c.errors())


def generic_referrals(c: Cells) -> Canonical:
    referrer = c.required("referrer_id")
    referee = c.required("referee_id")
    c.error("referee_id", referrer == referee, "推荐人和被推荐人是同一人 / referrer and referee are the same member")
    rows = frame(c.n, REFERRAL_SCHEMA, row_no=c.rows, referrer_ext=referrer, referee_ext=referee,
                  referred_at=c.datetime("referred_at", required=True), campaign=c.text("campaign"))
    return Canonical("referrals", rows, c.errors())
