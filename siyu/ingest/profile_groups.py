"""Customer-group profiles (社群, issue #17): the group list, group members (WeCom and generic) and the
daily group statistic. Loaded by siyu/ingest/load_groups.py.

Canonical rows:
- groups: group_id (群ID, else the name), group_name, owner_id (群主账号, else 群主), owner_name, created_at,
  member_count, notice.
- group_members: group_id (null when the export has only names: resolved when loaded), group_name,
  group_type, ext_id (generic member_id), wecom_ext_id, phone, phone_masked, phone2, wecom_name,
  display_name, joined_at, left_at, join_way, inviter, member_type, nickname, is_staff.
- group_daily: day, owner ('' when the file has no 群主 column), the seven counts.
"""

from __future__ import annotations

import polars as pl

from siyu.ingest.canonical import Canonical, Schema, frame, phone_cells, when
from siyu.ingest.cells import Cells
from siyu.ingest.group_layers import LAYER_WORDS

GROUP_SCHEMA: Schema = {
    "row_no": pl.Int64, "group_id": pl.Utf8, "group_name": pl.Utf8, "owner_id": pl.Utf8, "owner_name": pl.Utf8,
    "created_at": pl.Datetime("us"), "member_count": pl.Int64, "notice": pl.Utf8}
GROUP_MEMBER_SCHEMA: Schema = {
    "row_no": pl.Int64, "group_id": pl.Utf8, "group_name": pl.Utf8, "group_type": pl.Utf8, "ext_id": pl.Utf8,
    "wecom_ext_id": pl.Utf8, "phone": pl.Utf8, "phone_masked": pl.Utf8, "phone2": pl.Utf8, "wecom_name": pl.Utf8,
    "display_name": pl.Utf8, "joined_at": pl.Datetime("us"), "left_at": pl.Datetime("us"), "join_way": pl.Utf8,
    "inviter": pl.Utf8, "member_type": pl.Utf8, "nickname": pl.Utf8, "is_staff": pl.Boolean}
DAILY_COUNTS = ("new_groups", "groups_total", "active_groups", "new_members", "members_total", "active_members",
                "messages")
GROUP_DAILY_SCHEMA: Schema = {"row_no": pl.Int64, "day": pl.Date, "owner": pl.Utf8,
                              **{k: pl.Int64 for k in DAILY_COUNTS}}

# 成员类型 in words or as the API's code (1 企业成员, 2 外部联系人). 企业成员 are staff, not customers.
STAFF_TYPES = {"企业成员", "成员", "员工", "内部成员", "企业员工", "1"}
CUSTOMER_TYPES = {"外部联系人", "微信用户", "客户", "外部成员", "2"}
# 入群方式 as the API's join_scene code -> words as the console writes them.
JOIN_WAYS = {"1": "由成员邀请", "2": "通过邀请链接", "3": "扫描群二维码"}

MSG_TYPE = ("成员类型只能是 企业成员、外部联系人 或 微信用户 / member type must be 企业成员 (staff), 外部联系人 or"
            " 微信用户")
MSG_LEFT_BEFORE = "退群时间早于入群时间 / the leave time is before the join time"
MSG_GROUP_TYPE = "group_type 只能是 大群、核心群、超级用户群、其他（或 mass / core / super / other）/ unknown group_type"
MSG_DAILY_TWICE = ("同一日期（和群主）在文件里出现了多次而数字不同，无法确定哪一行是对的 / the same day (and owner) appears"
                   " more than once with different numbers")
MSG_GROUP_TWICE = "同一个群在文件里出现了多次而内容不同 / the same group appears more than once with different values"


def _conflicts(c: Cells, rows: pl.DataFrame, key: list[str], field: str, message: str) -> None:
    """Rows sharing a key with different values: which one is right cannot be known (a row error each)."""
    values = [k for k in rows.columns if k != "row_no"]
    differing = rows.select(values).unique().filter(pl.struct(key).is_duplicated()).select(key).unique()
    if differing.height:
        bad = rows.join(differing, on=key, how="semi", nulls_equal=True)["row_no"]
        c.error(field, c.rows.is_in(bad.implode()), message)


def wecom_groups(c: Cells) -> Canonical:
    name = c.required("group_name")
    owner = c.text("owner")
    rows = frame(c.n, GROUP_SCHEMA, row_no=c.rows, group_id=pl.select(pl.coalesce(c.text("group_id"), name)).to_series(),
                 group_name=name, owner_id=pl.select(pl.coalesce(c.text("owner_account"), owner)).to_series(),
                 owner_name=owner, created_at=c.datetime("created_at", required=True),
                 member_count=c.integer("member_count"), notice=c.text("notice"))
    _conflicts(c, rows, ["group_id"], "group_name", MSG_GROUP_TWICE)
    return Canonical("groups", rows, c.errors())


def _left(c: Cells, joined: pl.Series) -> pl.Series:
    left = c.datetime("left_at")
    c.error("left_at", left < joined, MSG_LEFT_BEFORE)
    return left


def wecom_group_members(c: Cells) -> Canonical:
    group_name = c.required("group_name")
    name = c.required("member_name")
    joined = c.datetime("joined_at", required=True)
    kind = c.text("member_type")
    is_staff = kind.is_in(list(STAFF_TYPES)).fill_null(False)
    c.error("member_type", kind.is_not_null() & ~is_staff & ~kind.is_in(list(CUSTOMER_TYPES)), MSG_TYPE)
    phones = phone_cells(c, "phone")
    way = c.text("join_way")
    rows = frame(c.n, GROUP_MEMBER_SCHEMA, row_no=c.rows, group_id=c.text("group_id"), group_name=group_name,
                 wecom_ext_id=c.text("external_id"), phone=phones["phone"], phone_masked=phones["phone_masked"],
                 phone2=phones["phone2"], wecom_name=name, display_name=name, joined_at=joined,
                 left_at=_left(c, joined), join_way=way.replace(JOIN_WAYS), inviter=c.text("inviter"),
                 member_type=when(kind.is_in(["2"]).fill_null(False), "外部联系人", kind),
                 nickname=pl.select(pl.coalesce(c.text("nickname"), name)).to_series(), is_staff=is_staff)
    return Canonical("group_members", rows, c.errors())


def generic_group_members(c: Cells) -> Canonical:
    group_id = c.required("group_id")
    member = c.required("member_id")
    joined = c.datetime("joined_at", required=True)
    raw_type = c.text("group_type")
    layer = raw_type.str.to_lowercase().replace_strict(LAYER_WORDS, default=None)
    c.error("group_type", raw_type.is_not_null() & layer.is_null(), MSG_GROUP_TYPE)
    rows = frame(c.n, GROUP_MEMBER_SCHEMA, row_no=c.rows, group_id=group_id,
                 group_name=pl.select(pl.coalesce(c.text("group_name"), group_id)).to_series(), group_type=layer,
                 ext_id=member, joined_at=joined, left_at=_left(c, joined), join_way=c.text("join_way"),
                 inviter=c.text("inviter"), is_staff=False)
    # One group, one type: two rows giving the same group different types cannot both be right.
    _conflicts(c, rows.filter(pl.col("group_type").is_not_null()).select("row_no", "group_id", "group_type"),
               ["group_id"], "group_type", "同一个群在文件里有不同的 group_type / one group with two group_types")
    return Canonical("group_members", rows, c.errors())


def wecom_group_daily(c: Cells) -> Canonical:
    day = c.datetime("day", required=True).dt.date()
    counts = {k: c.integer(k) for k in DAILY_COUNTS}
    for k in ("groups_total", "members_total"):
        c.required(k)
    rows = frame(c.n, GROUP_DAILY_SCHEMA, row_no=c.rows, day=day, owner=c.text("owner").fill_null(""), **counts)
    _conflicts(c, rows, ["day", "owner"], "day", MSG_DAILY_TWICE)
    return Canonical("group_daily", rows, c.errors())

